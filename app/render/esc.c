/* esc.c — output encoders, one per context (RELIABILITY OUT-1). */
#include <string.h>

#include "render/esc.h"

static const char hex[] = "0123456789ABCDEF";

void
esc_html(struct buf *b, const char *s, size_t n)
{
	const char	*rep;
	size_t		 i, run = 0, replen;

	/* Copy runs of harmless bytes in one go: most text has none. */
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			replen = 5;
			break;
		case '<':
			rep = "&lt;";
			replen = 4;
			break;
		case '>':
			rep = "&gt;";
			replen = 4;
			break;
		case '"':
			rep = "&quot;";
			replen = 6;
			break;
		case '\'':
			rep = "&#39;";
			replen = 5;
			break;
		default:
			continue;
		}
		buf_put(b, s + run, i - run);
		buf_put(b, rep, replen);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

void
esc_url(struct buf *b, const char *s, size_t n)
{
	char	 pct[3];
	size_t	 i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c)) {
			buf_putc(b, (char)c);
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 0xf];
		buf_put(b, pct, 3);
	}
}

void
esc_json_text(struct buf *b, const char *s, size_t n)
{
	const char	*rep;
	size_t		 i = 0, run = 0, skip;

	while (i < n) {
		/* Straight to the next byte that may need rewriting (the
		 * text is mostly plain: the C library scans it fastest). A
		 * NUL stops strcspn early; it is plain too. */
		i += strcspn(s + i, "<>&\xe2");
		if (i >= n)
			break;
		skip = 1;
		switch (s[i]) {
		case '<':
			rep = "\\u003c";
			break;
		case '>':
			rep = "\\u003e";
			break;
		case '&':
			rep = "\\u0026";
			break;
		case '\xe2':
			/* U+2028 and U+2029 end a line in pre-ES2019 JS. */
			if (i + 2 < n && s[i + 1] == '\x80' &&
			    (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')) {
				rep = s[i + 2] == '\xa8' ?
				    "\\u2028" : "\\u2029";
				skip = 3;
				break;
			}
			i++;
			continue;
		default:	/* the NUL */
			i++;
			continue;
		}
		buf_put(b, s + run, i - run);
		buf_puts(b, rep);
		i += skip;
		run = i;
	}
	buf_put(b, s + run, n - run);
}

void
esc_csv_cell(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	buf_putc(b, '"');
	/* A spreadsheet would run these as formulas (CSV injection). */
	if (n > 0 && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_putc(b, '\'');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			buf_putc(b, '"');
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0x7f)
			continue;	/* OUT-6: no control characters */
		buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

int
esc_header_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

void
esc_disposition(struct buf *b, const char *kind, const char *name)
{
	const unsigned char	*p;
	size_t			 n;

	if (kind == NULL || (strcmp(kind, "inline") != 0 &&
	    strcmp(kind, "attachment") != 0))
		kind = "attachment";
	if (name == NULL || *name == '\0')
		name = "download";
	n = strlen(name);
	buf_puts(b, kind);
	buf_puts(b, "; filename=\"");
	/*
	 * ASCII fallback for old clients: one '_' per non-ASCII character
	 * and for anything that could end the quoted string or that some
	 * browsers would decode ('%') or treat as a path.
	 */
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p >= 0x80 && (*p & 0xc0) == 0x80)
			continue;	/* UTF-8 continuation byte */
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' ||
		    *p == '%' || *p == '/')
			buf_putc(b, '_');
		else
			buf_putc(b, (char)*p);
	}
	buf_puts(b, "\"; filename*=UTF-8''");
	esc_url(b, name, n);
}
