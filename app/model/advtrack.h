/* advtrack.h — task tracking of advance modules (PRODUCT §13.9): the
 * generated task tree (advance → module → question or request block →
 * line item) whose statuses follow answers and reviews. Every function
 * runs inside the caller's write transaction, after the change it
 * follows, so the tree is never out of step with what was committed. */
#ifndef MODEL_ADVTRACK_H
#define MODEL_ADVTRACK_H

#include <stdint.h>

struct req;

/* Bring the tree of one advance module in line with its settings,
 * blocks, answers and items: when the module is tracked, create what is
 * missing (reusing earlier tasks, never duplicating) and recalculate
 * every status up to the advance task; when it is not, archive its
 * tasks. Call after any answer, item, review, approval, submission or
 * module-setting change. 0 or -1. */
int	 advtrack_sync_module(struct req *, int64_t event_id,
	    int64_t module_id);
/* Before a module is removed: archive its tasks and recalculate the
 * advance task. 0 or -1. */
int	 advtrack_module_removed(struct req *, int64_t event_id,
	    int64_t advance_id, int64_t module_id);
/* Before an advance is removed: archive all its tasks. 0 or -1. */
int	 advtrack_advance_removed(struct req *, int64_t event_id,
	    int64_t advance_id);
/* After a template block is retired or edited: sync every tracked
 * module using that module template. 0 or -1. */
int	 advtrack_sync_template(struct req *, int64_t event_id,
	    int64_t module_template_id);

/* What one sync did (the tracking route reports it). */
struct advtrack_stats {
	int64_t		 created;	/* tasks made */
	int64_t		 changed;	/* existing tasks moved to another
					   status */
};

/* The whole tree of one advance in one pass (every module of it): after
 * a change of the advance itself (its area). The sync functions above
 * all end here. stats may be NULL. 0 or -1. */
int	 advtrack_sync_advance(struct req *, int64_t event_id,
	    int64_t advance_id, struct advtrack_stats *);

/* Turn task tracking of a module on or off at its version (bumping
 * it); the caller then syncs the advance. 1, 0 the version moved, -1. */
int	 advtrack_set_tracked(struct req *, int64_t event_id,
	    int64_t module_id, int64_t version, int tracked);

/* §13.9 mapping of the four advancing states to task statuses. */
enum advtrack_state { ATS_NOT_STARTED, ATS_NEEDS_REVIEW, ATS_DONE,
    ATS_ARCHIVED, ATS__MAX };

struct advtrack_map {
	int64_t		 status[ATS__MAX];	/* task_statuses ids */
	int64_t		 version;
};

/* "not_started" …, "Not started" …, the task state each maps into
 * (enum task_state of model/taskconf.h). */
const char	*advtrack_state_name(enum advtrack_state);
const char	*advtrack_state_label(enum advtrack_state);
int		 advtrack_state_task_state(enum advtrack_state);

/* Give the event its mapping unless it has one: the first status (by
 * position) of each state, after the default statuses when it has
 * none. Idempotent. 0 or -1. */
int	 advtrack_map_seed(struct req *, int64_t event_id);
/* The mapping, seeded on first use: 1, or -1. With lock the row is
 * read FOR UPDATE (the mapping form's write). */
int	 advtrack_map_get(struct req *, int64_t event_id, int lock,
	    struct advtrack_map *);
/* Store a new mapping at version and move every generated task of the
 * event whose status belongs to a mapped state onto the new status of
 * that state: 1 done (*moved tasks moved), 0 the version moved, -1. */
int	 advtrack_map_update(struct req *, int64_t event_id, int64_t version,
	    const struct advtrack_map *, int64_t *moved);
/* Is the status one the mapping uses (it must be remapped before it is
 * deleted)? 1, 0, -1. */
int	 advtrack_status_mapped(struct req *, int64_t event_id,
	    int64_t status_id);
/* Generated tasks of the event (the mapping page's count); -1 error. */
int64_t	 advtrack_task_count(struct req *, int64_t event_id);

#endif
