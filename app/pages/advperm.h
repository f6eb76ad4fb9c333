/* advperm.h — who sees, answers, reviews and approves an advance
 * (PRODUCT §5 advancing row, §13.5–§13.7), in one place for the staff
 * pages, the vendor portal, the Advance Manager, day sheets and the
 * reminder job. An advance is covered by Event grants, by Collaborator
 * grants on its collaborator and by Area grants on its area. */
#ifndef PAGES_ADVPERM_H
#define PAGES_ADVPERM_H

#include <stdint.h>

#include "policy/perm.h"

struct advance;
struct advmod;
struct event_ctx;

/* The scopes covering an advance: its collaborator and its area. */
void	 adv_target(const struct advance *, struct perm_target *);
/* The actor's advancing level on the advance (none: a 404). */
enum level adv_level(const struct event_ctx *, const struct advance *);
/* Advancing admin through the Event domain (templates, asset types,
 * categories, resource approval). */
int	 adv_event_admin(const struct event_ctx *);
/* May uid review items of module m (and give operational approval):
 * the module's reviewer or an advancing admin covering the advance. */
int	 adv_can_review(const struct event_ctx *, int64_t uid,
	    const struct advance *, const struct advmod *);
/* Is the actor a respondent: their access to advancing comes only
 * through their own collaborator, which is the advance's (they see
 * the portal, approvals but never review marks)? */
int	 adv_respondent(const struct event_ctx *, const struct advance *);
/* May the actor change answers of module m now: advancing edit, and
 * a submitted module only for advancing admins (§13.5). */
int	 adv_can_answer(const struct event_ctx *, const struct advance *,
	    const struct advmod *);

#endif
