/* buf.h — growable byte buffer (heap-backed, reusable across requests).
 *
 * Appends never fail: allocation failure aborts (util.h). The buffer can
 * carry a cap; passing it sets a sticky `overflow` flag checked once at the
 * end instead of after every append (the redis/SQLite habit). */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0 = unlimited */
	int	 overflow;	/* sticky: an append passed max */
};

void	 buf_init(struct buf *);
void	 buf_reset(struct buf *);	/* len = 0, keeps memory */
void	 buf_free(struct buf *);
/* Shrink capacity back to `keep` bytes when it grew past it. */
void	 buf_trim(struct buf *, size_t keep);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* NUL-terminated view of the contents (does not change len). */
const char *buf_cstr(struct buf *);

#endif
