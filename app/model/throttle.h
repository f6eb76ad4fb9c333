/* throttle.h — counted events for rate limits kept in the database, so
 * every worker on every host sees the same counts (DESIGN §11). */
#ifndef MODEL_THROTTLE_H
#define MODEL_THROTTLE_H

#include <stdint.h>

struct req;

/* Events of kind for subject within the last window seconds; -1 error. */
int64_t	 throttle_count(struct req *, const char *kind, const char *subject,
	    int window);
int	 throttle_add(struct req *, const char *kind, const char *subject);

/* Per-account sign-in throttle (AUTH-4). Returns 0 to go ahead, or the
 * seconds to wait (for Retry-After), or -1 on a database error. */
int	 login_throttle(struct req *, int64_t user_id);
int	 login_failed(struct req *, int64_t user_id);
int	 login_clear(struct req *, int64_t user_id);

#endif
