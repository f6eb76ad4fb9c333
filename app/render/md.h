/* md.h — Markdown to safe HTML (PRODUCT §12.1, RELIABILITY OUT-3).
 *
 * libcmark in its default safe mode (never the unsafe option), plus a
 * pass over the parsed tree:
 * raw HTML becomes escaped text, links whose destination is not http,
 * https, mailto, tel, relative or a fragment become their text, images
 * that are not http/https are dropped, headings get stable ids. */
#ifndef MD_H
#define MD_H

#include <stddef.h>

#include "core/buf.h"

void	 md_render(struct buf *out, const char *md, size_t n);
/* Convenience: returns a malloc'd NUL-terminated string. */
char	*md_render_str(const char *md, size_t n);

#endif
