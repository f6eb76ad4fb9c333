/* csv.h — a small CSV writer for spreadsheet downloads (PRODUCT §16,
 * RELIABILITY OUT-1): UTF-8 with a byte order mark, CRLF line ends,
 * every cell quoted with quotes doubled (RFC 4180), and cells a
 * spreadsheet would run as a formula defused with a leading apostrophe. */
#ifndef RENDER_CSV_H
#define RENDER_CSV_H

#include <stddef.h>

struct buf;

struct csv {
	struct buf	*out;
	size_t		 cells;		/* cells in the current row */
};

/* Start a document: the UTF-8 byte order mark. */
void	 csv_begin(struct csv *, struct buf *out);
/* One cell (NULL writes an empty one). Control characters other than
 * TAB, CR and LF are dropped; a cell starting with =, +, -, @, TAB or
 * CR gets a leading ' so that spreadsheets show it as text. */
void	 csv_cell(struct csv *, const char *);
void	 csv_cellf(struct csv *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* End the row (CRLF). */
void	 csv_row_end(struct csv *);

#endif
