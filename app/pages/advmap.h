/* advmap.h — handlers and field indexes of the advmap routes: the
 * event's advance task mapping, turning task tracking of an advance
 * module on and off (PRODUCT §13.9) and the event's reminder days
 * (§13.11). */
#ifndef PAGES_ADVMAP_H
#define PAGES_ADVMAP_H

#include <json-c/json.h>

struct req;
struct event_ctx;

/* advmap.c */
int	 h_advmap(struct req *);
int	 h_advmap_update(struct req *);
int	 h_advtrack_toggle(struct req *);
int	 h_reminders_update(struct req *);

/* The reminder card of the event settings page: view["reminders"] =
 * {offsets, value, text, can_edit, action_url, version}. */
void	 advmap_reminders_into(struct req *, json_object *view,
	    const struct event_ctx *);

/* Field indexes, parallel to fields_advmap.inc. */
enum { ADVMAP_NOT_STARTED, ADVMAP_NEEDS_REVIEW, ADVMAP_DONE,
    ADVMAP_ARCHIVED, ADVMAP_VERSION };
enum { ADVTRACK_TRACKED, ADVTRACK_VERSION };
enum { REMIND_OFFSETS, REMIND_VERSION };

#endif
