/* taskconf.h — an event's task statuses and phases (PRODUCT §9). A
 * status belongs to one of five fixed states; each state keeps at least
 * one status. New events get a default set of both. */
#ifndef MODEL_TASKCONF_H
#define MODEL_TASKCONF_H

#include <stddef.h>
#include <stdint.h>

struct req;

enum task_state {
	TS_TO_DO, TS_ACTIVE, TS_REVIEW, TS_DONE, TS_ARCHIVED, TS__MAX
};

struct task_status {
	int64_t		 id;
	int64_t		 event_id;
	char		*name;
	char		*colour;
	enum task_state	 state;
	int64_t		 position;
	int64_t		 ntasks;	/* tasks using it */
};

struct task_phase {
	int64_t		 id;
	int64_t		 event_id;
	char		*name;
	char		*start_date;	/* YYYY-MM-DD or NULL */
	char		*end_date;
	int64_t		 position;
	int64_t		 ntasks;
};

const char	*task_state_name(enum task_state);	/* "todo" … */
const char	*task_state_label(enum task_state);	/* "To Do" … */
int		 task_state_parse(const char *, enum task_state *);
/* Done or Archived: not overdue, not blocking. */
int		 task_state_closed(enum task_state);

/* Insert the default statuses and phases unless the event has some
 * (idempotent). 0 or -1. */
int	 taskconf_defaults(struct req *, int64_t event_id);

/* Statuses ordered by state then position, with task counts; NULL and
 * *n = 0 when none, *n = -1 on error. */
struct task_status *taskstatus_list(struct req *, int64_t event_id,
	    long *n);
/* Find in a list by id (NULL when not there). */
const struct task_status *taskstatus_find(const struct task_status *,
	    long n, int64_t id);
int64_t	 taskstatus_insert(struct req *, int64_t event_id, const char *name,
	    const char *colour, enum task_state);
/* 1 done, 0 not in the event, -1 error (1062 on a duplicate name). */
int	 taskstatus_update(struct req *, int64_t event_id, int64_t id,
	    const char *name, const char *colour, int64_t position);
/* Move every task from one status to another, then delete the first. */
int	 taskstatus_replace(struct req *, int64_t event_id, int64_t id,
	    int64_t replacement);

/* Roll-ups: the statuses and phases of an organization's active events
 * (org_id) or of every active event the user is on (org_id 0), ordered
 * by event then as above; one query each. Their ntasks is 0 (not
 * counted). */
struct task_status *taskstatus_list_scope(struct req *, int64_t org_id,
	    int64_t user_id, long *n);
struct task_phase *taskphase_list_scope(struct req *, int64_t org_id,
	    int64_t user_id, long *n);
struct task_phase *taskphase_list(struct req *, int64_t event_id, long *n);
const struct task_phase *taskphase_find(const struct task_phase *, long n,
	    int64_t id);
int64_t	 taskphase_insert(struct req *, int64_t event_id, const char *name,
	    const char *start_date, const char *end_date);
int	 taskphase_update(struct req *, int64_t event_id, int64_t id,
	    const char *name, const char *start_date, const char *end_date,
	    int64_t position);
/* Clear the phase from its tasks and delete it. */
int	 taskphase_delete(struct req *, int64_t event_id, int64_t id);

/* Serialise status/phase writes of one event: 1 locked, 0 archived or
 * gone, -1 error. Takes the event row FOR UPDATE (tasks write too). */
int	 taskconf_lock_event(struct req *, int64_t event_id);

#endif
