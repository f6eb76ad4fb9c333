/* advperm.c — advancing permissions on one advance. */
#include <string.h>

#include "advperm.h"
#include "eventctx.h"
#include "model/advance.h"

void
adv_target(const struct advance *a, struct perm_target *t)
{
	memset(t, 0, sizeof(*t));
	t->collabs[t->ncollabs++] = a->collab_id;
	if (a->area_id > 0)
		t->areas[t->nareas++] = a->area_id;
}

enum level
adv_level(const struct event_ctx *ec, const struct advance *a)
{
	struct perm_target	 t;

	adv_target(a, &t);
	return event_level(ec, SEC_ADVANCING, &t);
}

int
adv_event_admin(const struct event_ctx *ec)
{
	struct perm_target	 t;

	memset(&t, 0, sizeof(t));
	return event_level(ec, SEC_ADVANCING, &t) >= LV_ADMIN;
}

int
adv_can_review(const struct event_ctx *ec, int64_t uid,
    const struct advance *a, const struct advmod *m)
{
	enum level	 lv = adv_level(ec, a);

	if (lv >= LV_ADMIN)
		return 1;
	/* A reviewer must hold advancing admin over the advance when
	 * named; a later narrowing of their grants ends it, so the level
	 * still has to be at least view to act on what they can see. */
	return m != NULL && m->reviewer_id == uid && uid > 0 &&
	    lv >= LV_VIEW;
}

int
adv_respondent(const struct event_ctx *ec, const struct advance *a)
{
	struct perm_target	 t;

	if (!ec->actor.event_user || ec->actor.collab_id != a->collab_id)
		return 0;
	/* Staff of the host collaborator who hold Event-domain advancing
	 * are not respondents even for the host's own advances. */
	memset(&t, 0, sizeof(t));
	return event_level(ec, SEC_ADVANCING, &t) < LV_VIEW;
}

int
adv_can_answer(const struct event_ctx *ec, const struct advance *a,
    const struct advmod *m)
{
	enum level	 lv = adv_level(ec, a);

	if (lv < LV_EDIT)
		return 0;
	return m == NULL || !m->submitted || lv >= LV_ADMIN;
}
