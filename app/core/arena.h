/* arena.h — per-request memory pool with cleanup callbacks (after nginx's
 * ngx_pool_t). Everything a request allocates lives here and goes away in
 * one arena_reset() after FCGX_Finish_r(). */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block	*head;	  /* current block, newest first */
	struct arena_cleanup	*cleanups;
	size_t			 used;	  /* bytes handed out since reset */
};

void	 arena_init(struct arena *);
void	*arena_alloc(struct arena *, size_t);
void	*arena_calloc(struct arena *, size_t, size_t);
/* Room for one more element in an arena array of n elements: returns the
 * array (moved to a block twice the size when full; *cap updated). */
void	*arena_grow(struct arena *, void *arr, size_t n, size_t *cap,
	    size_t elem);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*arena_vprintf(struct arena *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Run fn(arg) at reset, newest first (e.g. json_object_put). */
void	 arena_on_reset(struct arena *, void (*fn)(void *), void *arg);
/* Run cleanups, keep the first block for reuse, free the rest. */
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);

#endif
