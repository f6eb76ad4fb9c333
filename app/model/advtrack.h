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

#endif
