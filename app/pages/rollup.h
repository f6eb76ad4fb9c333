/* rollup.h — organization roll-ups (PRODUCT §15): every visible task of
 * the organization's active events, and the combined schedule; in a
 * personal workspace "My work" over every active event the user is on.
 * HTML and JSON here (rollup.c), our own XML format in rollupxml.c. */
#ifndef PAGES_ROLLUP_H
#define PAGES_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "model/org.h"
#include "tasksupport.h"

struct req;

int	 h_rollup_tasks(struct req *);
int	 h_rollup_schedule(struct req *);
int	 h_rollup_tasks_xml(struct req *);
int	 h_rollup_schedule_xml(struct req *);

/* The events a roll-up spans, each with the actor's standing, their
 * grants of the tasks section (what task sight decides by; the combined
 * schedule goes by taking part) and (when loaded) its task statuses and
 * phases, as task contexts. */
struct rollup {
	struct org	 o;
	int64_t		 scope_org;	/* 0: the user's events (personal) */
	struct tctx	*evs;		/* by start date, then guid */
	size_t		 nev;
	size_t		 nactive;	/* active events read, enterable
					   or not */
};

/* org_gate (any member), then the events: 0 or the status sent. With
 * taskconf, statuses and phases are attached (two more queries). */
int	 rollup_load(struct req *, struct rollup *, int taskconf);
/* The same for r->user without the organization check (feeds, whose
 * owner is checked there): scope_org 0 for the user's own events. 0 or
 * -1. */
int	 rollup_build(struct req *, int64_t scope_org, int taskconf,
	    struct rollup *);
/* Attach the events' statuses, and with phases their phases, to a
 * roll-up built without them (one or two queries). 0 or -1. */
int	 rollup_taskconf(struct req *, struct rollup *, int phases);
/* The context of an event of the roll-up, NULL when not in it. */
const struct tctx *rollup_event(const struct rollup *, int64_t event_id);

/* The combined schedule's series that may occur in local days [from,
 * to]: global ones and the user's own (directly or through their
 * collaborator), of events in the roll-up; three queries. */
struct activity *rollup_activities(struct req *, const struct rollup *,
	    int64_t from, int64_t to, long *n);

/* Field indexes (fields_rollup.inc). */
enum { RT_EVENT, RT_STATE, RT_STATUS, RT_ASSIGNEE, RT_DUE_FROM, RT_DUE_TO,
    RT_OVERDUE, RT_ARCHIVED, RT_PAGE };
enum { RS_FROM, RS_TO, RS_ZONE };
enum { RX_PAST, RX_FUTURE };

#endif
