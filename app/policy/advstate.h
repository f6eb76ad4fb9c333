/* advstate.h — completion, review status and overdue of advance modules
 * and advances (PRODUCT §13.6), as pure functions of what was read. */
#ifndef POLICY_ADVSTATE_H
#define POLICY_ADVSTATE_H

#include <stddef.h>

/* One block of a module as completion sees it. Content blocks and
 * retired blocks are left out by the caller. */
struct adv_item_state {
	int	 question;	/* 1 question, 0 request block */
	int	 required;	/* questions only */
	int	 answered;	/* question answered / request has items */
	int	 needs_review;	/* an answer or item needs review */
};

enum adv_completion { AC_NOT_STARTED, AC_IN_PROGRESS, AC_COMPLETE };

/* not started: no input; in progress: some input but a required
 * question unanswered or a required submission pending; complete
 * otherwise. A submitted module is complete. */
enum adv_completion adv_module_completion(const struct adv_item_state *,
	    size_t n, int requires_submission, int submitted);
/* needs review when any item does (1), else reviewed (0). */
int	 adv_module_needs_review(const struct adv_item_state *, size_t n);
/* Overdue: not complete after the end of its local due date. due and
 * today are "YYYY-MM-DD" (today in the event zone); NULL due: never. */
int	 adv_overdue(enum adv_completion, const char *due, const char *today);
/* Required questions answered / required questions (the progress the
 * portal shows). */
void	 adv_progress(const struct adv_item_state *, size_t n,
	    size_t *answered, size_t *total);
const char *adv_completion_name(enum adv_completion);
/* The state marker lists and tables of contents show: ○ not started,
 * ◐ in progress, ✓ complete, a lock when submitted. */
const char *adv_marker(enum adv_completion, int submitted);
const char *adv_completion_label(enum adv_completion);

#endif
