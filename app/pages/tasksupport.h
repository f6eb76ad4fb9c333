/* tasksupport.h — what the task pages share: the event with its task
 * statuses and phases (loaded once per request), the people and areas a
 * task may name, and the visibility rule. */
#ifndef PAGES_TASKSUPPORT_H
#define PAGES_TASKSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "eventctx.h"
#include "model/taskconf.h"

struct arena;
struct req;
struct task;
struct task_status;
struct task_phase;
struct event_user;
struct eu_scope;

struct tctx {
	struct event_ctx c;
	int64_t		 uid;
	struct task_status *st;
	long		 nst;
	struct task_phase *ph;
	long		 nph;
};

/* The event's users, collaborators and areas (three queries). */
struct tpeople {
	struct event_user *users;
	size_t		 nusers;
	struct eu_scope	*collabs;
	size_t		 ncollabs;
	struct eu_scope	*areas;
	size_t		 nareas;
};

/* event_gate, then statuses (the defaults made when the event has none)
 * and phases: 0 or the status sent. */
int	 tctx_load(struct req *, struct tctx *, int org_admin_ok);
/* A view with the event header (Tasks current) and the tasks links. */
json_object *tasks_base_view(struct req *, const struct tctx *);
int	 task_visible(const struct tctx *, const struct task *);

/* task_visible() as facts a query applies to rows (model/task.h
 * task_page): the actor sees every task of the event (all), or the
 * tasks they review, those assigned to them or their collaborator
 * (assignee_rule: event users only), and those an assigned collaborator
 * or a tagged area of these lists gives them view of. */
struct task_sight {
	int		 all;
	int		 assignee_rule;
	int64_t		 collab_id;	/* their collaborator, 0 if none */
	int64_t		*collabs;	/* arena */
	size_t		 ncollabs;
	int64_t		*areas;
	size_t		 nareas;
};
void	 task_sight(struct arena *, const struct tctx *, struct task_sight *);
int	 task_overdue(const struct tctx *, const struct task *);
/* The same for a task whose status is in state st, in the event's zone. */
int	 task_overdue_in(const char *zone, enum task_state st,
	    const struct task *);

int	 tpeople_load(struct req *, const struct tctx *, struct tpeople *);
/* user_options, collab_options and area_options for the forms and the
 * filter bar; actors who can't view every task only get their own
 * collaborator and its users. filter marks the option picked as the
 * list's assignee filter. 0 or -1. */
int	 tasks_people_into(struct req *, const struct tctx *, json_object *,
	    const char *filter, int64_t filter_area);
/* Is this a POST of the task form (values to re-show)? */
int	 tasks_form_posted(const struct req *);
/* Tick the options the task (or the re-shown form) names. */
void	 tasks_mark_people(struct req *, json_object *, const struct task *);

/* taskfilter.c — the list's filters (fields_tasks.inc tasklist_fields)
 * and sort orders, shared by the list, the board and the CSV. */
#define TASK_NPRIORITIES	5
extern const char *const task_priorities[TASK_NPRIORITIES];

struct task_filter {
	int		 state;		/* -1 any but archived, TS__MAX any */
	int64_t		 status;
	const char	*assignee;
	const char	*reviewer;
	int64_t		 area;
	int64_t		 phase;		/* -1 none, 0 any */
	const char	*priority;
	int64_t		 due_from, due_to;	/* days, -1 none */
	int		 overdue;
	const char	*q;
	const char	*sort;
};

/* "user:12" with prefix "user:" → 12: 0, or -1 when malformed. */
int	 task_ref_parse(const char *, const char *prefix, int64_t *id);
/* Read the filters from r->in: 0, or a 400 sent naming the bad one. */
int	 task_filter_read(struct req *, const struct tctx *,
	    struct task_filter *);
int	 task_filter_matches(const struct tctx *, const struct task_filter *,
	    const struct task *);
/* Sort by key (position, due, priority, name, status, updated). */
void	 task_sort(const struct tctx *, const char *key, struct task **,
	    size_t);

#endif
