/* emailtok.h — single-use links sent by mail (verification, reset). */
#ifndef MODEL_EMAILTOK_H
#define MODEL_EMAILTOK_H

#include <stdint.h>

struct req;

enum emailtok_kind { ET_VERIFY, ET_RESET };

/* Create a link token valid for ttl seconds; older unused ones of the
 * same kind die (a newer link kills older ones). Writes the token
 * string (with its prefix) to out. */
int	 emailtok_create(struct req *, enum emailtok_kind, int64_t user_id,
	    const char *email, int ttl, char *out, size_t outsz);
/* Find a live token: 1 and *user_id, 0 dead or unknown, -1 error. */
int	 emailtok_find(struct req *, enum emailtok_kind, const char *tok,
	    int64_t *user_id, int64_t *id);
/* Use it once: 1 consumed now, 0 already used or expired, -1 error. */
int	 emailtok_consume(struct req *, int64_t id);
/* Kill every unused token of a kind for a user. */
int	 emailtok_kill(struct req *, enum emailtok_kind, int64_t user_id);

#endif
