/* test_csv.c — the CSV writer: quoting, line ends, the byte order mark
 * and the formula guard, against a table of cells. */
#include <string.h>

#include "core/buf.h"
#include "render/csv.h"
#include "t.h"

static const struct {
	const char	*in;
	const char	*want;
} cells[] = {
	{ "", "\"\"" },
	{ "plain", "\"plain\"" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "two\r\nlines", "\"two\r\nlines\"" },
	{ "line\nbreak", "\"line\nbreak\"" },
	{ "=SUM(A1:A2)", "\"'=SUM(A1:A2)\"" },
	{ "+49 30 1234", "\"'+49 30 1234\"" },
	{ "-1", "\"'-1\"" },
	{ "@cmd", "\"'@cmd\"" },
	{ "\tTab first", "\"'\tTab first\"" },
	{ "\rCR first", "\"'\rCR first\"" },
	{ "a=b", "\"a=b\"" },
	{ "bell\x07here", "\"bellhere\"" },
	{ "del\x7f", "\"del\"" },
	{ "Grüße 🎪", "\"Grüße 🎪\"" },
	{ "=\"quoted\"", "\"'=\"\"quoted\"\"\"" },
};

int
main(void)
{
	struct buf	 b;
	struct csv	 c;
	size_t		 i;
	char		 name[64];

	buf_init(&b);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		buf_reset(&b);
		c.out = &b;
		c.cells = 0;
		csv_cell(&c, cells[i].in);
		snprintf(name, sizeof(name), "cell #%zu", i);
		T_STREQ(buf_cstr(&b), cells[i].want, name);
	}

	buf_reset(&b);
	csv_begin(&c, &b);
	csv_cell(&c, "id");
	csv_cell(&c, "name");
	csv_row_end(&c);
	csv_cellf(&c, "%d", 42);
	csv_cell(&c, NULL);
	csv_row_end(&c);
	T_STREQ(buf_cstr(&b), "\xEF\xBB\xBF\"id\",\"name\"\r\n\"42\",\"\"\r\n",
	    "document: BOM, separators, CRLF, NULL cell");
	T_OK(strstr(buf_cstr(&b), "\n\"") != NULL &&
	    strstr(buf_cstr(&b), "\"\n") == NULL, "no bare LF line ends");
	buf_free(&b);
	return t_done();
}
