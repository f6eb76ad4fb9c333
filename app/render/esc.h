/* esc.h — one encoder per output context (RELIABILITY OUT-1). */
#ifndef ESC_H
#define ESC_H

#include <stddef.h>

#include "core/buf.h"

/* HTML text and double-quoted attribute values: & < > " ' */
void	 esc_html(struct buf *, const char *s, size_t n);
/* Percent-encode everything outside the RFC 3986 unreserved set. */
void	 esc_url(struct buf *, const char *s, size_t n);
/* Rewrite json-c output for embedding anywhere: < > & U+2028 U+2029 as
 * \u escapes (safe byte-wise: they only occur inside JSON strings).
 * json is NUL-terminated at or after n (it is scanned with strcspn). */
void	 esc_json_text(struct buf *, const char *json, size_t n);
/* One CSV cell: always quoted, quotes doubled, formula prefixes
 * (= + - @ TAB CR) neutralized with a leading apostrophe. */
void	 esc_csv_cell(struct buf *, const char *s, size_t n);
/* 1 if s is safe as an HTTP or mail header value (no CR, LF or NUL). */
int	 esc_header_ok(const char *s);
/* Content-Disposition value: attachment; filename="ascii";
 * filename*=UTF-8''percent-encoded */
void	 esc_disposition(struct buf *, const char *kind, const char *name);

#endif
