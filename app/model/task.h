/* task.h — tasks of an event (PRODUCT §9): rows, area tags, assignees
 * and reviewers, dependencies. Every lookup names the event; the pages
 * decide visibility (pages/tasks.c). The list reads the whole event in
 * four queries whatever the number of tasks. */
#ifndef MODEL_TASK_H
#define MODEL_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "model/taskconf.h"

struct req;

#define TASK_NAME_MAX	300
#define TASK_DEPTH_MAX	5	/* levels of subtasks, the root included */

enum task_role { TR_ASSIGNEE, TR_REVIEWER };

struct task_person {
	int64_t		 task_id;
	enum task_role	 role;
	int64_t		 user_id;	/* 0 for a collaborator */
	int64_t		 collab_id;	/* 0 for a user */
	char		*name;
	int64_t		 row_id;	/* its row, where read for ordering */
};

struct task_area {
	int64_t		 task_id;
	int64_t		 area_id;
	char		*name;
	int64_t		 position;	/* the area's, where read for
					   ordering */
};

struct task_dep {
	int64_t		 task_id;
	int64_t		 on_id;		/* the prerequisite */
};

struct task {
	int64_t		 id;
	char		*uuid;
	int64_t		 event_id;
	int64_t		 parent_id;	/* 0 for a top-level task */
	char		*name;
	char		*description;
	int64_t		 status_id;
	char		*priority;	/* none, low, medium, high, urgent */
	int64_t		 phase_id;	/* 0 for none */
	char		*start_date;	/* local YYYY-MM-DD or NULL */
	char		*start_time;	/* local HH:MM or NULL */
	char		*due_date;
	char		*due_time;
	int64_t		 position;
	char		*source;	/* manual, advancing */
	int64_t		 created_by;
	char		*created_at;	/* RFC 3339 UTC */
	char		*updated_at;
	int64_t		 version;
	/* attached */
	struct task_person *people;
	size_t		 npeople;
	struct task_area *areas;
	size_t		 nareas;
	struct task_dep	*deps;		/* this task depends on */
	size_t		 ndeps;
	/* task_page only: its status (id, name, colour, state) and phase
	 * name, read with the row */
	struct task_status status;
	char		*phase_name;
};

/* What a write sets. */
struct task_fields {
	const char	*name;
	const char	*description;
	int64_t		 status_id;
	const char	*priority;
	int64_t		 phase_id;
	int64_t		 parent_id;
	const char	*start_date;
	const char	*start_time;
	const char	*due_date;
	const char	*due_time;
	const struct task_person *people;
	size_t		 npeople;
	const int64_t	*areas;
	size_t		 nareas;
	const int64_t	*deps;
	size_t		 ndeps;
};

/* Every task of the event with people, areas and dependencies attached
 * (four queries), ordered by id. NULL with *n = 0 when none; *n = -1 on
 * error. */
struct task *task_list(struct req *, int64_t event_id, long *n);
/* Roll-ups: the same over an organization's active events (org_id) or
 * every active event the user is on (org_id 0). */
struct task *task_list_scope(struct req *, int64_t org_id, int64_t user_id,
	    long *n);
/* Roll-up pages (PRODUCT §15): one event of the page query with what the
 * actor sees there (pages/tasks.c task_sight): every task, or only those
 * they are an assignee (assignee_rule: the user or their collaborator)
 * or reviewer of, or that a scope of the query's view lists covers; and
 * the event's local date and time now, for overdue. */
struct task_page_event {
	int64_t		 event_id;
	int		 all;
	int		 assignee_rule;
	int64_t		 collab_id;
	const char	*today;		/* local YYYY-MM-DD; NULL but for overdue */
	const char	*now;		/* local HH:MM:SS; NULL but for overdue */
};

/* Which tasks a roll-up page shows. Collaborator and area ids are
 * unique across events, so one list of each serves every event. */
struct task_page_query {
	int64_t		 org_id;	/* 0: every event listed, any org */
	int		 org_walk;	/* events seen whole cover most of
					   the org: walk its index */
	int		 org_whole;	/* the events are every active one
					   of the org, each seen whole */
	int64_t		 user_id;
	const struct task_page_event *events;
	size_t		 nevents;
	const int64_t	*view_collabs;	/* scopes giving tasks view */
	size_t		 nview_collabs;
	const int64_t	*view_areas;
	size_t		 nview_areas;
	unsigned	 states;	/* bit per task_state shown */
	unsigned	 closed;	/* bit per task_state never overdue */
	const char	*status_ids;	/* "12,40": the status filter; NULL any */
	int64_t		 assignee_user;	/* 0: no assignee filter */
	int64_t		 assignee_collab;
	const char	*due_from;	/* YYYY-MM-DD or NULL */
	const char	*due_to;
	int		 overdue;
};

/* Tasks [offset, offset + limit) of the query in roll-up order (due,
 * empty last; due time, a date alone at the end of its day; event id;
 * position; id), with their status, phase name, people and areas, and
 * in *total how many tasks the query selects, counted no further than
 * cap + 1 (so that no statement reads the whole organization): four
 * statements.
 * NULL with *n = 0 when none; *n = -1 on error. */
struct task *task_page(struct req *, const struct task_page_query *,
	    int64_t offset, int64_t limit, int64_t cap, int64_t *total,
	    long *n);
/* Find in a list by id. */
struct task *task_find(struct task *, long n, int64_t id);
/* One task with everything attached: 1, 0 not here, -1. */
int	 task_get(struct req *, int64_t event_id, int64_t id, struct task *);
int64_t	 task_insert(struct req *, int64_t event_id, int64_t user_id,
	    const struct task_fields *);
/* Update at version: 1 done, 0 the version moved, -1. Replaces people,
 * areas and dependencies. */
int	 task_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const struct task_fields *);
/* Status only at version (0 = any): 1, 0 moved, -1. */
int	 task_set_status(struct req *, int64_t event_id, int64_t id,
	    int64_t version, int64_t status_id);
/* Add an assignee unless already there: 0 or -1. */
int	 task_add_person(struct req *, int64_t event_id, int64_t id,
	    const struct task_person *);
/* Delete tasks (ids ordered children first): 0 or -1. */
int	 task_delete(struct req *, int64_t event_id, const int64_t *ids,
	    size_t n);

#endif
