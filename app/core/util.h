/* util.h — allocation wrappers that abort on failure, and tiny helpers.
 *
 * A worker that cannot allocate is in an unknown state; aborting lets the
 * master respawn it (DESIGN §12, RELIABILITY PROC-9) and nginx answers 502
 * for that one request. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>

#define countof(a) (sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/* Monotonic and wall clocks in milliseconds. */
int64_t	 now_mono_ms(void);
int64_t	 now_wall_ms(void);

/* ASCII-only case-insensitive comparison (locale independent). */
int	 ascii_casecmp(const char *, const char *);
/* The running binary's size and modification time as a short string,
 * the same in every process of one build: what keys output that a new
 * build may write differently (feed caches). */
const char *build_stamp(void);
int	 ascii_ncasecmp(const char *, const char *, size_t);

#endif
