/* actperm.c — who sees and who changes an activity. */
#include <string.h>

#include "actperm.h"
#include "eventctx.h"
#include "model/activity.h"

void
act_target(const struct activity *a, struct perm_target *t)
{
	size_t	 i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < a->nparts && t->ncollabs < TARGET_SCOPES; i++)
		if (a->parts[i].collab_id)
			t->collabs[t->ncollabs++] = a->parts[i].collab_id;
	for (i = 0; i < a->nareas && t->nareas < TARGET_SCOPES; i++)
		t->areas[t->nareas++] = a->areas[i].area_id;
}

int
act_takes_part(const struct event_ctx *c, int64_t uid,
    const struct activity *a)
{
	size_t	 i;

	if (!c->actor.event_user)
		return 0;
	for (i = 0; i < a->nparts; i++)
		if ((a->parts[i].user_id && a->parts[i].user_id == uid) ||
		    (a->parts[i].collab_id &&
		    a->parts[i].collab_id == c->actor.collab_id))
			return 1;
	return 0;
}

int
act_user_organizer(const struct event_ctx *c, int64_t uid,
    const struct activity *a)
{
	size_t	 i;

	if (!c->actor.event_user)
		return 0;
	for (i = 0; i < a->nparts; i++)
		if (a->parts[i].user_id == uid && a->parts[i].organizer)
			return 1;
	return 0;
}

int
act_visible(const struct event_ctx *c, int64_t uid, const struct activity *a)
{
	struct perm_target	 t;

	if (a->is_global || act_takes_part(c, uid, a))
		return 1;
	act_target(a, &t);
	return perm_level(&c->actor, SEC_SCHEDULE, &t) >= LV_VIEW;
}

int
act_editable(const struct event_ctx *c, int64_t uid,
    const struct activity *a)
{
	struct perm_target	 t;

	act_target(a, &t);
	return perm_level(&c->actor, SEC_SCHEDULE, &t) >= LV_EDIT ||
	    act_user_organizer(c, uid, a);
}
