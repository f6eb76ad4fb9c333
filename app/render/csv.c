/* csv.c — CSV cells and rows for the task and schedule downloads. Every
 * cell is quoted, which RFC 4180 allows and which keeps leading zeros,
 * commas and line breaks inside a cell intact in every spreadsheet. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "csv.h"

void
csv_begin(struct csv *c, struct buf *out)
{
	c->out = out;
	c->cells = 0;
	buf_puts(out, "\xEF\xBB\xBF");
}

/* Would a spreadsheet read the cell as a formula (OWASP "CSV
 * injection")? */
static int
formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' ||
	    *s == '\t' || *s == '\r';
}

void
csv_cell(struct csv *c, const char *s)
{
	const unsigned char *p;

	if (c->cells++ > 0)
		buf_putc(c->out, ',');
	buf_putc(c->out, '"');
	if (s != NULL) {
		if (formula_like(s))
			buf_putc(c->out, '\'');
		for (p = (const unsigned char *)s; *p != '\0'; p++) {
			if (*p == '"')
				buf_puts(c->out, "\"\"");
			else if ((*p < 0x20 && *p != '\t' && *p != '\r' &&
			    *p != '\n') || *p == 0x7f)
				continue;
			else
				buf_putc(c->out, (char)*p);
		}
	}
	buf_putc(c->out, '"');
}

void
csv_cellf(struct csv *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*s = NULL;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	csv_cell(c, n < 0 ? "" : s);
	free(s);
}

void
csv_row_end(struct csv *c)
{
	buf_puts(c->out, "\r\n");
	c->cells = 0;
}
