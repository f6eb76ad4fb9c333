/* grant.h — writing grants (PRODUCT §5). Presets expand into grants that
 * raise lower ones and never lower any. */
#ifndef MODEL_GRANT_H
#define MODEL_GRANT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/perm.h"

struct req;

/* Apply grants for a user on an event, each raising (never lowering) an
 * existing grant of the same scope and section. preset may be NULL.
 * Caller holds the transaction. 0 or -1. */
int	 grants_apply(struct req *, int64_t event_id, int64_t user_id,
	    const struct grant *, size_t n, const char *preset);
/* Replace one grant exactly (admin editing the grid); level LV_NONE
 * deletes it. 0 or -1. */
int	 grant_set(struct req *, int64_t event_id, int64_t user_id,
	    const struct grant *);
/* Delete every grant of a user on an event (removal), or those in one
 * collaborator scope (moving between collaborators). 0 or -1. */
int	 grants_delete_user(struct req *, int64_t event_id, int64_t user_id);
int	 grants_delete_scope(struct req *, int64_t event_id, int64_t user_id,
	    enum domain, int64_t scope_id);
/* Admin in every section of a scope, for the creator of an area or a
 * collaborator (scope admins, PRODUCT §5). */
int	 grants_scope_admin(struct req *, int64_t event_id, int64_t user_id,
	    enum domain, int64_t scope_id);

#endif
