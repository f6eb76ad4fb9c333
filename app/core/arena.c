/* arena.c — bump allocator in chained blocks.
 *
 * Blocks are 16 KiB unless a single allocation needs more. After a reset
 * only the first (smallest) block is kept so a worker's memory returns to
 * its baseline after a large request. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

#define BLOCK_SIZE	(16 * 1024)
#define ALIGN		16

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* usable bytes in data[] */
	size_t			 off;
	_Alignas(16) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup	*next;
	void			(*fn)(void *);
	void			*arg;
};

void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

static struct arena_block *
block_new(size_t size)
{
	struct arena_block	*b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->off = 0;
	return b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b = a->head;
	size_t			 need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void			*p;

	if (need < n)
		abort();	/* overflow: a bug, not user input */
	if (b == NULL || b->size - b->off < need) {
		b = block_new(need > BLOCK_SIZE ? need : BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->off;
	b->off += need;
	a->used += need;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t sz)
{
	void	*p;

	if (sz != 0 && n > SIZE_MAX / sz)
		abort();
	p = arena_alloc(a, n * sz);
	memset(p, 0, n * sz);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
	void	*na;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	na = arena_calloc(a, *cap, elem);
	if (n)
		memcpy(na, arr, n * elem);
	return na;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	*p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		abort();
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_on_reset(struct arena *a, void (*fn)(void *), void *arg)
{
	struct arena_cleanup	*c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

void
arena_reset(struct arena *a)
{
	struct arena_block	*b, *next, *keep = NULL;
	struct arena_cleanup	*c;

	/* Cleanups live inside the blocks: run them all before freeing. */
	for (c = a->cleanups; c != NULL; c = c->next)
		c->fn(c->arg);
	a->cleanups = NULL;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL && next == NULL && b->size == BLOCK_SIZE) {
			keep = b;	/* the oldest, standard-sized block */
			continue;
		}
		free(b);
	}
	if (keep != NULL)
		keep->off = 0;
	a->head = keep;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
}
