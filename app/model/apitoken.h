/* apitoken.h — personal access tokens (PRODUCT §19). */
#ifndef MODEL_APITOKEN_H
#define MODEL_APITOKEN_H

#include <stdint.h>

#include <json-c/json.h>

struct req;

/* [{id, name, hint, scope, created_at, expires_at, last_used_at}] of the
 * user's live tokens, newest first. NULL on a database error. */
json_object *apitoken_list(struct req *, int64_t user_id);
/* Create; the secret (shown once) goes to out. Returns the id or -1. */
int64_t	 apitoken_create(struct req *, int64_t user_id, const char *name,
	    const char *scope, int expires_days, char *out, size_t outsz);
/* 1 revoked, 0 not found (or not the user's), -1 error. */
int	 apitoken_revoke(struct req *, int64_t user_id, int64_t id);

#endif
