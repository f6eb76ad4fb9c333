/* test_parse.c — request parsers (app/core/parse.c): tables of good and
 * malformed inputs for every parser, the RELIABILITY T10 cases, and a
 * fixed-seed mutation loop that must never crash (run it under ASan and
 * UBSan: `make asan`). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/parse.h"
#include "core/util.h"
#include "t.h"

static struct arena	 A;
static struct buf	 dump;

/* "name(filename)<ctype>=value\n" per param, non-printables as \xNN, so
 * that a whole result compares as one string. */
static const char *
dump_params(const struct params *ps)
{
	size_t		 i, j;
	unsigned char	 c;

	buf_reset(&dump);
	for (i = 0; i < ps->n; i++) {
		buf_puts(&dump, ps->v[i].name);
		if (ps->v[i].filename != NULL)
			buf_printf(&dump, "(%s)", ps->v[i].filename);
		if (ps->v[i].ctype != NULL)
			buf_printf(&dump, "<%s>", ps->v[i].ctype);
		buf_putc(&dump, '=');
		for (j = 0; j < ps->v[i].len; j++) {
			c = (unsigned char)ps->v[i].value[j];
			if (c < 0x20 || c >= 0x7F)
				buf_printf(&dump, "\\x%02x", c);
			else
				buf_putc(&dump, (char)c);
		}
		buf_putc(&dump, '\n');
	}
	return buf_cstr(&dump);
}

/* Every value is NUL-terminated at len, whatever it holds. */
static int
params_sane(const struct params *ps)
{
	size_t	 i;

	if (ps->n > PARAMS_MAX)
		return 0;
	for (i = 0; i < ps->n; i++) {
		if (ps->v[i].name == NULL || ps->v[i].value == NULL ||
		    ps->v[i].value[ps->v[i].len] != '\0' ||
		    strlen(ps->v[i].name) > PARAM_NAME_MAX ||
		    !utf8_valid(ps->v[i].name, strlen(ps->v[i].name)))
			return 0;
		if (ps->v[i].filename == NULL &&
		    !utf8_valid(ps->v[i].value, ps->v[i].len))
			return 0;
	}
	return 1;
}

/*
 * UTF-8 and controls.
 */

#define U(s, ok)	{ s, sizeof(s) - 1, ok }

static const struct {
	const char	*s;
	size_t		 n;
	int		 ok;
} utf8_cases[] = {
	U("", 1),
	U("plain ascii", 1),
	U("caf\xc3\xa9", 1),			/* é */
	U("\xe2\x82\xac", 1),			/* € */
	U("\xf0\x9f\x98\x80", 1),		/* U+1F600 */
	U("\xc2\x80", 1),			/* U+0080, smallest 2-byte */
	U("\xe0\xa0\x80", 1),			/* U+0800, smallest 3-byte */
	U("\xed\x9f\xbf", 1),			/* U+D7FF, below surrogates */
	U("\xee\x80\x80", 1),			/* U+E000, above surrogates */
	U("\xef\xbf\xbf", 1),			/* U+FFFF */
	U("\xf0\x90\x80\x80", 1),		/* U+10000 */
	U("\xf4\x8f\xbf\xbf", 1),		/* U+10FFFF */
	U("\x7f", 1),				/* DEL is valid UTF-8 */
	U("a\0b", 0),				/* NUL */
	U("\0", 0),
	U("\xc0\xaf", 0),			/* overlong '/' */
	U("\xc1\xbf", 0),			/* overlong */
	U("\xe0\x80\xaf", 0),			/* overlong, 3 bytes */
	U("\xe0\x9f\xbf", 0),			/* overlong U+07FF */
	U("\xf0\x80\x80\xaf", 0),		/* overlong, 4 bytes */
	U("\xf0\x8f\xbf\xbf", 0),		/* overlong U+FFFF */
	U("\xed\xa0\x80", 0),			/* U+D800 */
	U("\xed\xbf\xbf", 0),			/* U+DFFF */
	U("\xed\xa0\xbd\xed\xb8\x80", 0),	/* CESU-8 pair */
	U("\xf4\x90\x80\x80", 0),		/* U+110000 */
	U("\xf5\x80\x80\x80", 0),
	U("\xff", 0),
	U("\xfe", 0),
	U("\x80", 0),				/* lone continuation */
	U("a\xbf", 0),
	U("\xc3", 0),				/* truncated */
	U("\xe2\x82", 0),
	U("\xf0\x9f\x98", 0),
	U("\xc3\x28", 0),			/* bad continuation */
	U("\xe2\x28\xa1", 0),
	U("\xf0\x9f\x28\x80", 0),
	U("\xf8\x88\x80\x80\x80", 0),		/* 5-byte form */
};

static void
test_utf8(void)
{
	size_t	 i;
	char	 name[64];

	for (i = 0; i < countof(utf8_cases); i++) {
		snprintf(name, sizeof(name), "utf8_valid case %zu", i);
		T_OK(utf8_valid(utf8_cases[i].s, utf8_cases[i].n) ==
		    utf8_cases[i].ok, name);
	}
	T_OK(utf8_valid(NULL, 0), "utf8_valid NULL, 0");
	/* The length bounds the check: the NUL after it is not looked at. */
	T_OK(utf8_valid("ab\0", 2), "utf8_valid stops at n");
	T_OK(!utf8_valid("\xc3\xa9", 1), "utf8_valid cut inside sequence");

	T_OK(utf8_len("", 0) == 0, "utf8_len empty");
	T_OK(utf8_len("abc", 3) == 3, "utf8_len ascii");
	T_OK(utf8_len("caf\xc3\xa9", 5) == 4, "utf8_len 2-byte");
	T_OK(utf8_len("\xe2\x82\xac\xf0\x9f\x98\x80", 7) == 2,
	    "utf8_len 3+4-byte");

	T_OK(!has_controls("plain text", 0), "controls: none");
	T_OK(!has_controls("", 0), "controls: empty");
	T_OK(!has_controls(NULL, 0), "controls: NULL");
	T_OK(has_controls("a\tb", 0), "controls: tab single-line");
	T_OK(!has_controls("a\tb", 1), "controls: tab multi-line");
	T_OK(has_controls("a\nb", 0), "controls: LF single-line");
	T_OK(!has_controls("a\r\nb", 1), "controls: CRLF multi-line");
	T_OK(has_controls("a\x7f" "b", 0), "controls: DEL single-line");
	T_OK(has_controls("a\x01" "b", 1), "controls: SOH multi-line");
	T_OK(has_controls("\x1b[31m", 1), "controls: ESC multi-line");
	T_OK(has_controls("x\x1f", 0), "controls: US single-line");
	T_OK(!has_controls("caf\xc3\xa9 \xe2\x82\xac", 0),
	    "controls: non-ASCII is not control");
}

/*
 * urlencoded.
 */

#define UE(s, want, dump)	{ s, sizeof(s) - 1, want, dump }

static const struct {
	const char	*s;
	size_t		 n;
	enum perr	 want;
	const char	*dump;
} ue_cases[] = {
	UE("", P_OK, ""),
	UE("a=1&b=2", P_OK, "a=1\nb=2\n"),
	UE("a=1;b=2", P_OK, "a=1;b=2\n"),	/* ';' is not a separator */
	UE("&&a=1&&&b=2&", P_OK, "a=1\nb=2\n"),
	UE("&", P_OK, ""),
	UE("a", P_OK, "a=\n"),
	UE("a=", P_OK, "a=\n"),
	UE("a&b", P_OK, "a=\nb=\n"),
	UE("=x", P_OK, ""),			/* empty name: skipped */
	UE("=", P_OK, ""),
	UE("%3D=x", P_OK, "==x\n"),		/* name "=" */
	UE("a==b", P_OK, "a==b\n"),
	UE("a+b=c+d", P_OK, "a b=c d\n"),
	UE("a=%2B%26%3D%25", P_OK, "a=+&=%\n"),
	UE("a=%41%62", P_OK, "a=Ab\n"),
	UE("a=%c3%a9", P_OK, "a=\\xc3\\xa9\n"),
	UE("a=%E2%82%AC", P_OK, "a=\\xe2\\x82\\xac\n"),
	UE("a=%F0%9F%98%80", P_OK, "a=\\xf0\\x9f\\x98\\x80\n"),
	UE("a=caf\xc3\xa9", P_OK, "a=caf\\xc3\\xa9\n"),	/* raw UTF-8 */
	UE("a=1&a=2", P_OK, "a=1\na=2\n"),	/* validator judges repeats */
	UE("a=%0D%0A", P_OK, "a=\\x0d\\x0a\n"),	/* controls: validator */
	UE("x=%7F", P_OK, "x=\\x7f\n"),
	UE("a=%zz", P_BAD_ENCODING, ""),
	UE("a=%C0%AF", P_BAD_ENCODING, ""),
	UE("a=%c0%af", P_BAD_ENCODING, ""),
	UE("a=%00", P_BAD_ENCODING, ""),
	UE("%00=1", P_BAD_ENCODING, ""),
	UE("a=x%00y", P_BAD_ENCODING, ""),
	UE("a=%", P_BAD_ENCODING, ""),
	UE("a=%4", P_BAD_ENCODING, ""),
	UE("a=%4g", P_BAD_ENCODING, ""),
	UE("a=%g4", P_BAD_ENCODING, ""),
	UE("a=% 41", P_BAD_ENCODING, ""),
	UE("a=%%41", P_BAD_ENCODING, ""),
	UE("%zz=1", P_BAD_ENCODING, ""),
	UE("%=1", P_BAD_ENCODING, ""),
	UE("a=%80", P_BAD_ENCODING, ""),
	UE("a=%C3", P_BAD_ENCODING, ""),
	UE("a=%C3&b=%A9", P_BAD_ENCODING, ""),	/* halves in two values */
	UE("a=%E0%80%AF", P_BAD_ENCODING, ""),
	UE("a=%ED%A0%80", P_BAD_ENCODING, ""),
	UE("a=%F4%90%80%80", P_BAD_ENCODING, ""),
	UE("a=%FF", P_BAD_ENCODING, ""),
	UE("a=\xc0\xaf", P_BAD_ENCODING, ""),	/* raw overlong */
	UE("a=\xff", P_BAD_ENCODING, ""),
	UE("a=1&b=%zz&c=3", P_BAD_ENCODING, ""),	/* nothing kept */
	UE("a=1&b=2\0c", P_BAD_ENCODING, ""),	/* raw NUL */
	UE("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
	    P_OK,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1\n"),
	UE("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
	    P_NAME_TOO_LONG, ""),
	UE("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    P_NAME_TOO_LONG, ""),
};

static void
test_urlencoded(void)
{
	struct params	 ps;
	struct buf	 b;
	enum perr	 e;
	size_t		 i;
	char		 name[64];

	for (i = 0; i < countof(ue_cases); i++) {
		arena_reset(&A);
		params_init(&A, &ps);
		e = parse_urlencoded(&A, ue_cases[i].s, ue_cases[i].n,
		    SRC_BODY, &ps);
		snprintf(name, sizeof(name), "urlencoded case %zu result", i);
		T_OK(e == ue_cases[i].want, name);
		if (e != ue_cases[i].want)
			printf("  input [%s] got %d\n", ue_cases[i].s, e);
		snprintf(name, sizeof(name), "urlencoded case %zu params", i);
		T_STREQ(dump_params(&ps), ue_cases[i].dump, name);
	}

	/* The length bounds parsing, not a NUL. */
	arena_reset(&A);
	params_init(&A, &ps);
	e = parse_urlencoded(&A, "a=1&b=2", 3, SRC_QUERY, &ps);
	T_OK(e == P_OK && ps.n == 1, "urlencoded honours n");
	T_OK(ps.n == 1 && ps.v[0].src == SRC_QUERY && ps.v[0].filename == NULL,
	    "urlencoded src and no filename");
	T_OK(parse_urlencoded(&A, NULL, 0, SRC_QUERY, &ps) == P_OK &&
	    ps.n == 1, "urlencoded NULL string");

	/* 64 bytes of name once decoded, 192 on the wire. */
	buf_init(&b);
	for (i = 0; i < PARAM_NAME_MAX; i++)
		buf_puts(&b, "%41");
	buf_puts(&b, "=v");
	arena_reset(&A);
	params_init(&A, &ps);
	T_OK(parse_urlencoded(&A, b.p, b.len, SRC_BODY, &ps) == P_OK,
	    "urlencoded 64-byte encoded name");

	/* T10: 256 parameters pass, 257 do not, and nothing is kept. */
	buf_reset(&b);
	for (i = 0; i < PARAMS_MAX; i++)
		buf_printf(&b, "%sp%zu=%zu", i ? "&" : "", i, i);
	arena_reset(&A);
	params_init(&A, &ps);
	e = parse_urlencoded(&A, b.p, b.len, SRC_BODY, &ps);
	T_OK(e == P_OK && ps.n == PARAMS_MAX, "urlencoded 256 params");
	T_STREQ(ps.v[255].name, "p255", "urlencoded 256th name");
	buf_puts(&b, "&p256=x");
	arena_reset(&A);
	params_init(&A, &ps);
	e = parse_urlencoded(&A, b.p, b.len, SRC_BODY, &ps);
	T_OK(e == P_TOO_MANY, "urlencoded 257 params");
	T_OK(ps.n == 0, "urlencoded 257 params keeps none");

	/* The cap counts query and body together. */
	buf_reset(&b);
	for (i = 0; i < 200; i++)
		buf_printf(&b, "&q%zu=1", i);
	arena_reset(&A);
	params_init(&A, &ps);
	T_OK(parse_urlencoded(&A, b.p, b.len, SRC_QUERY, &ps) == P_OK &&
	    ps.n == 200, "urlencoded 200 in query");
	buf_reset(&b);
	for (i = 0; i < 56; i++)
		buf_printf(&b, "b%zu=1&", i);
	T_OK(parse_urlencoded(&A, b.p, b.len, SRC_BODY, &ps) == P_OK &&
	    ps.n == 256 && ps.v[255].src == SRC_BODY &&
	    ps.v[0].src == SRC_QUERY, "urlencoded +56 in body");
	T_OK(parse_urlencoded(&A, "z=1", 3, SRC_BODY, &ps) == P_TOO_MANY &&
	    ps.n == 256, "urlencoded 257th across query and body");
	/* Empty pairs and empty names do not count. */
	T_OK(parse_urlencoded(&A, "&&=x&", 5, SRC_BODY, &ps) == P_OK &&
	    ps.n == 256, "urlencoded empty pairs at the cap");
	buf_free(&b);
}

/*
 * Cookies.
 */

static const struct {
	const char	*hdr;
	size_t		 max;
	const char	*dump;		/* "name=value\n"... */
} ck_cases[] = {
	{ "a=1; b=2", COOKIES_MAX, "a=1\nb=2\n" },
	{ "a=1;b=2", COOKIES_MAX, "a=1\nb=2\n" },
	{ "  a = 1 ;  b=2  ", COOKIES_MAX, "a=1\nb=2\n" },
	{ "a=\"xyz\"", COOKIES_MAX, "a=xyz\n" },
	{ "a=\"\"", COOKIES_MAX, "a=\n" },
	{ "a=", COOKIES_MAX, "a=\n" },
	{ "a=b=c", COOKIES_MAX, "a=b=c\n" },
	{ "__Host-bo_sid=bosess_AZaz09-_", COOKIES_MAX,
	    "__Host-bo_sid=bosess_AZaz09-_\n" },
	{ "a=1; a=2", COOKIES_MAX, "a=1\na=2\n" },
	{ "", COOKIES_MAX, "" },
	{ ";;;", COOKIES_MAX, "" },
	{ "a", COOKIES_MAX, "" },		/* no '=' */
	{ "a; b=2", COOKIES_MAX, "b=2\n" },
	{ "=1; b=2", COOKIES_MAX, "b=2\n" },	/* empty name */
	{ "a=1;;b=2", COOKIES_MAX, "a=1\nb=2\n" },
	{ "bad name=1; c=3", COOKIES_MAX, "c=3\n" },
	{ "a=\"x y\"; c=3", COOKIES_MAX, "c=3\n" },	/* space in value */
	{ "a=\"; c=3", COOKIES_MAX, "c=3\n" },	/* lone quote */
	{ "a=\"x; c=3", COOKIES_MAX, "c=3\n" },
	{ "a=x\"y; c=3", COOKIES_MAX, "c=3\n" },
	{ "a=1, b=2", COOKIES_MAX, "" },	/* ',' is no separator */
	{ "a=x\\y; c=3", COOKIES_MAX, "c=3\n" },
	{ "a=\x01; c=3", COOKIES_MAX, "c=3\n" },
	{ "a=caf\xc3\xa9; c=3", COOKIES_MAX, "c=3\n" },
	{ "n(x)=1; c=3", COOKIES_MAX, "c=3\n" },
	{ "a=1;bad;b=2;c=3", 2, "a=1\nb=2\n" },
	{ "a=1", 0, "" },
};

static void
test_cookies(void)
{
	struct cookie	 ck[COOKIES_MAX + 4];
	struct buf	 b;
	size_t		 i, j, n;
	char		 name[64];

	for (i = 0; i < countof(ck_cases); i++) {
		arena_reset(&A);
		n = parse_cookies(&A, ck_cases[i].hdr, ck, ck_cases[i].max);
		buf_reset(&dump);
		for (j = 0; j < n; j++)
			buf_printf(&dump, "%s=%s\n", ck[j].name, ck[j].value);
		snprintf(name, sizeof(name), "cookies case %zu", i);
		T_STREQ(buf_cstr(&dump), ck_cases[i].dump, name);
	}
	T_OK(parse_cookies(&A, NULL, ck, COOKIES_MAX) == 0, "cookies NULL");

	/* At most COOKIES_MAX are kept; the rest are ignored. */
	buf_init(&b);
	for (i = 0; i < COOKIES_MAX + 4; i++)
		buf_printf(&b, "c%zu=%zu; ", i, i);
	n = parse_cookies(&A, buf_cstr(&b), ck, COOKIES_MAX);
	T_OK(n == COOKIES_MAX, "cookies capped at COOKIES_MAX");
	T_STREQ(ck[COOKIES_MAX - 1].name, "c15", "cookies last kept");
	buf_free(&b);
}

/*
 * multipart/form-data.
 */

#define CT	"multipart/form-data; boundary=XyZ"
#define CD	"Content-Disposition: form-data; "
#define MP(ct, body, want, dump)	{ ct, body, sizeof(body) - 1, want, dump }

static const struct {
	const char	*ctype;
	const char	*body;
	size_t		 n;
	enum perr	 want;
	const char	*dump;
} mp_cases[] = {
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\n" CD "name=\"b\"\r\n\r\ntwo words\r\n--XyZ--\r\n",
	    P_OK, "a=1\nb=two words\n"),
	/* T10-style quoted boundary with characters that need quoting. */
	MP("multipart/form-data; boundary=\"a:b c?=\"",
	    "--a:b c?=\r\n" CD "name=\"a\"\r\n\r\n1\r\n--a:b c?=--",
	    P_OK, "a=1\n"),
	MP("Multipart/Form-Data;charset=utf-8;Boundary=XyZ",
	    "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--", P_OK, "a=1\n"),
	/* File with NUL bytes: raw, len counts them. */
	MP(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"a.bin\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\0\1\2\0\xff\xc0\xaf\r\n--XyZ--\r\n",
	    P_OK, "f(a.bin)<application/octet-stream>="
	    "\\x00\\x01\\x02\\x00\\xff\\xc0\\xaf\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n",
	    P_OK, "f()<application/octet-stream>=\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"caf\xc3\xa9.txt\"\r\n"
	    "\r\nx\r\n--XyZ--", P_OK, "f(caf\xc3\xa9.txt)=x\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"a\\\"b.txt\"\r\n"
	    "\r\nx\r\n--XyZ--", P_OK, "f(a\"b.txt)=x\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"C:\\dir\\f.txt\"\r\n"
	    "\r\nx\r\n--XyZ--", P_OK, "f(C:\\dir\\f.txt)=x\n"),
	MP(CT, "--XyZ--\r\n", P_OK, ""),		/* empty form */
	MP(CT, "this is a preamble\r\n--XyZ\r\n" CD "name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ--\r\nepilogue", P_OK, "a=1\n"),
	MP(CT, "--XyZ  \t\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--",
	    P_OK, "a=1\n"),			/* transport padding */
	MP(CT, "--XyZ\r\n" "CONTENT-DISPOSITION:form-data;NAME=\"a\"\r\n"
	    "X-Other: ignored\r\n\r\n1\r\n--XyZ--", P_OK, "a=1\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\nx--XyZ\r\nline\r\n"
	    "--XyZ--", P_OK, "a=x--XyZ\\x0d\\x0aline\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n\r\n--XyZ--",
	    P_OK, "a=\n"),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\n" CD "name=\"a\"\r\n\r\n2\r\n--XyZ--",
	    P_OK, "a=1\na=2\n"),		/* repeats: validator */

	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"", P_MALFORMED, ""),
	MP(CT, "--XyZ", P_MALFORMED, ""),
	MP(CT, "", P_MALFORMED, ""),
	MP(CT, "no boundary here", P_MALFORMED, ""),
	MP(CT, "--XyZX\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZjunk\r\n--XyZ--",
	    P_MALFORMED, ""),
	MP(CT, "--XyZ\n" CD "name=\"a\"\n\n1\n--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n\r\n1\r\n--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),			/* no disposition */
	MP(CT, "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n"
	    "1\r\n--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "filename=\"a\"\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),			/* no name */
	MP(CT, "--XyZ\r\n" CD "name=\"\"\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"; name=\"b\"\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"; filename=\"x\"; filename=\"y\""
	    "\r\n\r\n1\r\n--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n" CD "name=\"b\"\r\n\r\n1\r\n"
	    "--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),			/* unterminated quote */
	MP(CT, "--XyZ\r\n" CD "name=\r\n\r\n1\r\n--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\" junk\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\nNoColonHere\r\n\r\n1\r\n"
	    "--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n folded\r\n\r\n1\r\n--XyZ--",
	    P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\nContent-Type: a\r\n"
	    "Content-Type: b\r\n\r\n1\r\n--XyZ--", P_MALFORMED, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\nbad\xc0\xaf\r\n--XyZ--",
	    P_BAD_ENCODING, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\nnul\0here\r\n--XyZ--",
	    P_BAD_ENCODING, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"\xff\"\r\n\r\n1\r\n--XyZ--",
	    P_BAD_ENCODING, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"\xc0\xaf\"\r\n\r\n"
	    "1\r\n--XyZ--", P_BAD_ENCODING, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\x01\"\r\n\r\n1\r\n--XyZ--",
	    P_BAD_ENCODING, ""),		/* control in a header */
	MP(CT, "--XyZ\r\n" CD "name=\"a\0\"\r\n\r\n1\r\n--XyZ--",
	    P_BAD_ENCODING, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\r\n\r\n1\r\n--XyZ--",
	    P_NAME_TOO_LONG, ""),
	MP(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\n" CD "name=\"b\"\r\n\r\n\xff\r\n--XyZ--",
	    P_BAD_ENCODING, ""),		/* first part not kept */

	MP(NULL, "--XyZ--", P_MALFORMED, ""),
	MP("multipart/form-data", "--XyZ--", P_MALFORMED, ""),
	MP("multipart/form-data; charset=utf-8", "--XyZ--", P_MALFORMED, ""),
	MP("multipart/form-data; boundary=", "----", P_MALFORMED, ""),
	MP("multipart/form-data; boundary=\"\"", "----", P_MALFORMED, ""),
	MP("multipart/form-data; boundary=\"XyZ", "--XyZ--", P_MALFORMED, ""),
	MP("multipart/form-data; boundary=XyZ; boundary=XyZ", "--XyZ--",
	    P_MALFORMED, ""),
	MP("multipart/mixed; boundary=XyZ", "--XyZ--", P_MALFORMED, ""),
	MP("application/x-www-form-urlencoded; boundary=XyZ", "--XyZ--",
	    P_MALFORMED, ""),
	MP("multipart/form-data; boundary=\"a<b\"", "--a<b--",
	    P_MALFORMED, ""),			/* '<' is no bchar */
	MP("multipart/form-data; boundary=\"ab \"", "--ab --",
	    P_MALFORMED, ""),			/* trailing space */
};

/* A boundary of len characters. */
static void
boundary_body(struct buf *ct, struct buf *body, size_t len)
{
	size_t	 i;

	buf_reset(ct);
	buf_reset(body);
	buf_puts(ct, "multipart/form-data; boundary=");
	for (i = 0; i < len; i++)
		buf_putc(ct, (char)('a' + i % 26));
	buf_printf(body, "--%s\r\n" CD "name=\"a\"\r\n\r\n1\r\n--%s--\r\n",
	    buf_cstr(ct) + 30, buf_cstr(ct) + 30);
}

static enum perr
mp_run(const char *ctype, const struct buf *body, struct params *ps)
{
	char		*copy;
	enum perr	 e;

	/* An exact-size copy so ASan sees any read past the end. */
	copy = malloc(body->len ? body->len : 1);
	memcpy(copy, body->p, body->len);
	arena_reset(&A);
	params_init(&A, ps);
	e = parse_multipart(&A, ctype, copy, body->len, ps);
	free(copy);
	return e;
}

static void
test_multipart(void)
{
	struct params	 ps;
	struct buf	 ct, b;
	enum perr	 e;
	size_t		 i, pad;
	char		 name[64], *copy;

	for (i = 0; i < countof(mp_cases); i++) {
		copy = malloc(mp_cases[i].n ? mp_cases[i].n : 1);
		memcpy(copy, mp_cases[i].body, mp_cases[i].n);
		arena_reset(&A);
		params_init(&A, &ps);
		e = parse_multipart(&A, mp_cases[i].ctype, copy,
		    mp_cases[i].n, &ps);
		free(copy);
		snprintf(name, sizeof(name), "multipart case %zu result", i);
		T_OK(e == mp_cases[i].want, name);
		if (e != mp_cases[i].want)
			printf("  got %d want %d\n", e, mp_cases[i].want);
		snprintf(name, sizeof(name), "multipart case %zu params", i);
		T_STREQ(dump_params(&ps), mp_cases[i].dump, name);
	}

	buf_init(&ct);
	buf_init(&b);

	/* File part: len counts the NULs, the value is NUL-terminated. */
	buf_puts(&b, "--XyZ\r\n" CD "name=\"f\"; filename=\"z\"\r\n\r\n");
	buf_put(&b, "\0\0\0\0", 4);
	buf_puts(&b, "\r\n--XyZ--");
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_OK && ps.n == 1 && ps.v[0].len == 4 &&
	    memcmp(ps.v[0].value, "\0\0\0\0\0", 5) == 0 &&
	    ps.v[0].src == SRC_BODY, "multipart NUL file, len 4");

	/* Boundary length: 70 is the RFC 2046 maximum. */
	boundary_body(&ct, &b, 70);
	T_OK(mp_run(buf_cstr(&ct), &b, &ps) == P_OK && ps.n == 1,
	    "multipart 70-char boundary");
	boundary_body(&ct, &b, 71);
	T_OK(mp_run(buf_cstr(&ct), &b, &ps) == P_MALFORMED,
	    "multipart 71-char boundary");
	boundary_body(&ct, &b, 1);
	T_OK(mp_run(buf_cstr(&ct), &b, &ps) == P_OK,
	    "multipart 1-char boundary");

	/* 8 parts pass, 9 do not. */
	buf_reset(&b);
	for (i = 0; i < MULTIPART_PARTS_MAX; i++)
		buf_printf(&b, "--XyZ\r\n" CD "name=\"p%zu\"\r\n\r\n%zu\r\n",
		    i, i);
	buf_puts(&b, "--XyZ--\r\n");
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_OK && ps.n == MULTIPART_PARTS_MAX, "multipart 8 parts");
	buf_reset(&b);
	for (i = 0; i <= MULTIPART_PARTS_MAX; i++)
		buf_printf(&b, "--XyZ\r\n" CD "name=\"p%zu\"\r\n\r\n%zu\r\n",
		    i, i);
	buf_puts(&b, "--XyZ--\r\n");
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_TOO_MANY && ps.n == 0, "multipart 9 parts");

	/* Part headers: exactly MULTIPART_HEADER_MAX bytes pass, one more
	 * does not. The block counts each header line with its CRLF. */
	for (pad = 0; pad < 2; pad++) {
		size_t	 fixed = strlen(CD "name=\"a\"\r\n") +
			    strlen("X-Pad: \r\n");

		buf_reset(&b);
		buf_puts(&b, "--XyZ\r\n" CD "name=\"a\"\r\nX-Pad: ");
		for (i = 0; i < MULTIPART_HEADER_MAX - fixed + pad; i++)
			buf_putc(&b, 'p');
		buf_puts(&b, "\r\n\r\nv\r\n--XyZ--");
		e = mp_run(CT, &b, &ps);
		T_OK(e == (pad ? P_TOO_MANY : P_OK),
		    pad ? "multipart header block 1025" :
		    "multipart header block 1024");
	}
	/* A header block that never ends within the limit. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n" CD "name=\"a\"\r\nX-Pad: ");
	for (i = 0; i < 64 * 1024; i++)
		buf_putc(&b, 'p');
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_TOO_MANY, "multipart endless header");
	/* Many short header lines add up to the same limit. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n" CD "name=\"a\"\r\n");
	for (i = 0; i < 200; i++)
		buf_puts(&b, "X-A: b\r\n");
	buf_puts(&b, "\r\nv\r\n--XyZ--");
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_TOO_MANY, "multipart many header lines");
	/* Cut short inside the headers, well under the limit. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n" CD "name=\"a\"\r\nX-Pad: ppp");
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_MALFORMED, "multipart truncated header");

	/* The params cap applies across sources. */
	arena_reset(&A);
	params_init(&A, &ps);
	ps.n = PARAMS_MAX;
	for (i = 0; i < PARAMS_MAX; i++) {
		ps.v[i].name = "q";
		ps.v[i].value = "";
	}
	e = parse_multipart(&A, CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--", strlen("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--"),
	    &ps);
	T_OK(e == P_TOO_MANY && ps.n == PARAMS_MAX, "multipart at params cap");

	/* A large file part and a part with a CR LF run inside. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n" CD "name=\"f\"; filename=\"big\"\r\n\r\n");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, (char)(i % 251));
	buf_puts(&b, "\r\n\r\n--Xy\r\n--XyZ--");
	e = mp_run(CT, &b, &ps);
	T_OK(e == P_OK && ps.n == 1 && ps.v[0].len == 100000 + 8,
	    "multipart 100 kB file");

	buf_free(&ct);
	buf_free(&b);
}

/*
 * JSON.
 */

#define J(s, want)	{ s, sizeof(s) - 1, want }

static const struct {
	const char	*s;
	size_t		 n;
	enum perr	 want;
} json_cases[] = {
	J("{}", P_OK),
	J("[]", P_OK),
	J("{\"a\":1}", P_OK),
	J(" \t\r\n{\"a\":[1,2.5,-3e2,{\"b\":null}],\"c\":true} \r\n", P_OK),
	J("[\"caf\xc3\xa9\",\"\\u00e9\",\"\\ud83d\\ude00\",\"\\/\\n\\t\"]",
	    P_OK),
	J("{\"\xe2\x82\xac\":\"x\"}", P_OK),
	J("{\"a\":1,\"a\":2}", P_OK),		/* json-c keeps the last */
	J("[\"it's\"]", P_OK),
	J("[\"\\\\u0000\"]", P_OK),		/* an escaped backslash */
	J("[\"\\\"'\"]", P_OK),
	J("[\"\\u001f\"]", P_OK),		/* escaped control: validator */

	J("", P_MALFORMED),
	J("   ", P_MALFORMED),
	J("{", P_MALFORMED),
	J("[1,2", P_MALFORMED),
	J("{\"a\":}", P_MALFORMED),
	J("{} x", P_MALFORMED),			/* trailing garbage */
	J("{}{}", P_MALFORMED),
	J("[]]", P_MALFORMED),
	J("{}\0", P_MALFORMED),
	J("{}\0{}", P_MALFORMED),
	J("[\"a\0b\"]", P_MALFORMED),
	J("123", P_MALFORMED),			/* top level must be */
	J("\"str\"", P_MALFORMED),		/* object or array */
	J("null", P_MALFORMED),
	J("true", P_MALFORMED),
	J("[1,]", P_MALFORMED),
	J("{\"a\":1,}", P_MALFORMED),
	J("[01]", P_MALFORMED),
	J("[.5]", P_MALFORMED),
	J("[+1]", P_MALFORMED),
	J("[True]", P_MALFORMED),
	J("[NaN]", P_MALFORMED),
	J("[Infinity]", P_MALFORMED),
	J("[-Infinity]", P_MALFORMED),
	J("[1e999]", P_MALFORMED),
	J("['a']", P_MALFORMED),
	J("{'a':1}", P_MALFORMED),
	J("[1]/*c*/", P_MALFORMED),
	J("[1]//c", P_MALFORMED),
	J("[\"a\tb\"]", P_MALFORMED),		/* raw control in string */
	J("[\"a\nb\"]", P_MALFORMED),
	J("[\"\\x\"]", P_MALFORMED),
	J("[\"\\u00zz\"]", P_MALFORMED),
	J("[\"\\u00\"]", P_MALFORMED),

	J("[\"\\u0000\"]", P_BAD_ENCODING),
	J("{\"a\\u0000b\":1}", P_BAD_ENCODING),	/* would cut the key */
	J("[\"\\ud800\"]", P_BAD_ENCODING),	/* lone high surrogate */
	J("[\"\\udc00\"]", P_BAD_ENCODING),	/* lone low surrogate */
	J("[\"\\ud800x\"]", P_BAD_ENCODING),
	J("[\"\\ud800\\u0041\"]", P_BAD_ENCODING),
	J("[\"\\ud800\\ud800\"]", P_BAD_ENCODING),
	J("[\"\\udc00\\ud800\"]", P_BAD_ENCODING),
	J("[\"\xc0\xaf\"]", P_BAD_ENCODING),	/* overlong */
	J("{\"\xc0\xaf\":1}", P_BAD_ENCODING),
	J("[\"\xed\xa0\x80\"]", P_BAD_ENCODING),	/* raw surrogate */
	J("[\"\xf4\x90\x80\x80\"]", P_BAD_ENCODING),
	J("[\"\xe0\x80\xaf\"]", P_BAD_ENCODING),
	J("[\"\xff\"]", P_BAD_ENCODING),
	J("{\"k\":[\"ok\",{\"x\":\"\xc3\"}]}", P_BAD_ENCODING),
};

/* n containers deep: empty arrays, arrays around a number, objects
 * {"a":{"a":...1}}, or arrays and objects alternating around a string. */
static void
nested(struct buf *b, size_t n, int kind)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_puts(b, kind == 2 || (kind == 3 && i % 2) ? "{\"a\":" : "[");
	buf_puts(b, kind == 0 ? "" : kind == 3 ? "\"s\"" : "1");
	for (i = n; i-- > 0;)
		buf_puts(b, kind == 2 || (kind == 3 && i % 2) ? "}" : "]");
}

static enum perr
json_run(const char *s, size_t n)
{
	json_object	*o = (json_object *)&o;	/* must be reset */
	char		*copy;
	enum perr	 e;

	copy = malloc(n ? n : 1);
	memcpy(copy, s, n);
	e = parse_json(copy, n, &o);
	free(copy);
	if ((e == P_OK) != (o != NULL)) {
		printf("  parse_json: result %d with out %p\n", e, (void *)o);
		e = (enum perr)-1;
	}
	json_object_put(o);
	return e;
}

static void
test_json(void)
{
	struct buf	 b;
	size_t		 i;
	enum perr	 e;
	char		 name[64];

	for (i = 0; i < countof(json_cases); i++) {
		e = json_run(json_cases[i].s, json_cases[i].n);
		snprintf(name, sizeof(name), "json case %zu", i);
		T_OK(e == json_cases[i].want, name);
		if (e != json_cases[i].want)
			printf("  [%s] got %d\n", json_cases[i].s, e);
	}
	/* A byte-order mark is refused (which error is json-c's business). */
	T_OK(json_run("\xef\xbb\xbf{}", 5) != P_OK, "json BOM");

	buf_init(&b);
	for (i = 0; i < 4; i++) {
		size_t	 d;

		for (d = JSON_DEPTH_MAX - 1; d <= JSON_DEPTH_MAX + 2; d++) {
			nested(&b, d, (int)i);
			snprintf(name, sizeof(name), "json kind %zu %zu deep",
			    i, d);
			T_OK(json_run(b.p, b.len) ==
			    (d <= JSON_DEPTH_MAX ? P_OK : P_TOO_DEEP), name);
		}
	}
	nested(&b, 100000, 0);
	T_OK(json_run(b.p, b.len) == P_TOO_DEEP, "json arrays 100000 deep");

	for (i = 0; i < 2; i++) {
		size_t	 k, len = JSON_ARRAY_MAX + i;

		buf_reset(&b);
		buf_puts(&b, "{\"x\":{\"list\":[");
		for (k = 0; k < len; k++)
			buf_printf(&b, "%s%zu", k ? "," : "", k);
		buf_puts(&b, "]}}");
		T_OK(json_run(b.p, b.len) == (i ? P_TOO_DEEP : P_OK),
		    i ? "json 1001-element array" : "json 1000-element array");
	}
	buf_reset(&b);
	buf_puts(&b, "[");
	for (i = 0; i <= JSON_ARRAY_MAX; i++)
		buf_printf(&b, "%s\"s\"", i ? "," : "");
	buf_puts(&b, "]");
	T_OK(json_run(b.p, b.len) == P_TOO_DEEP, "json 1001 top-level");

	/* A big object is fine: the array cap is about arrays. */
	buf_reset(&b);
	buf_puts(&b, "{");
	for (i = 0; i < 2000; i++)
		buf_printf(&b, "%s\"k%zu\":%zu", i ? "," : "", i, i);
	buf_puts(&b, "}");
	T_OK(json_run(b.p, b.len) == P_OK, "json 2000 keys");

	{
		json_object	*o = NULL;

		e = parse_json("{\"a\":[1,\"x\"]}", 13, &o);
		T_OK(e == P_OK && json_object_is_type(o, json_type_object),
		    "json result is the object");
		json_object_put(o);
		T_OK(parse_json(NULL, 0, &o) == P_MALFORMED && o == NULL,
		    "json NULL body");
	}
	buf_free(&b);
}

/*
 * Mutation: random edits of valid samples must never crash, and every
 * answer must be an enum perr with a consistent result.
 */

/* -DMUTATION_RUNS=1000000 for a longer local run. */
#ifndef MUTATION_RUNS
#define MUTATION_RUNS	20000
#endif

static uint64_t	 rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(void)
{
	/* xorshift64*: fixed seed, the same run every time. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static const char *const mut_ue[] = {
	"a=1&b=two+words&c=%C3%A9&d=%F0%9F%98%80&e&=x&&f=%2B",
	"name=caf%C3%A9&list=1&list=2&long=aaaaaaaaaaaaaaaaaaaaaaa",
};
static const char *const mut_ck[] = {
	"a=1; __Host-bo_sid=bosess_abc-DEF_123; q=\"quoted\"; x=",
};
static const char *const mut_json[] = {
	"{\"a\":[1,2.5,-3e2,{\"b\":null,\"c\":\"\\u00e9\\ud83d\\ude00\"}],"
	"\"d\":true,\"e\":\"caf\xc3\xa9\"}",
	"[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]",
};
static const char mut_mp[] =
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	"filename=\"a\\\"b.txt\"\r\nContent-Type: text/plain\r\n\r\n"
	"file\0body\r\n--XyZ\r\nContent-Disposition: form-data; "
	"name=\"c\"\r\n\r\ncaf\xc3\xa9\r\n--XyZ--\r\n";
static const char *const mut_ct[] = {
	CT,
	"multipart/form-data; boundary=\"XyZ\"",
};

/* Bytes that matter to some parser. */
static const char	 special[] = "%&=+;\"\\\r\n-{}[]:,'\0\xc0\xed\xff\x80Zu0";

static size_t
mutate(char *p, size_t n, size_t cap)
{
	size_t	 k, edits, i, j;

	/* Mostly a single edit, so that results stay near valid input and
	 * reach the success paths too. */
	edits = rnd() % 2 ? 1 : 1 + rnd() % 4;

	for (k = 0; k < edits; k++) {
		switch (rnd() % 6) {
		case 0:		/* flip a bit */
			if (n > 0)
				p[rnd() % n] ^= (char)(1 << (rnd() % 8));
			break;
		case 1:		/* random byte */
			if (n > 0)
				p[rnd() % n] = (char)rnd();
			break;
		case 2:		/* special byte */
			if (n > 0)
				p[rnd() % n] =
				    special[rnd() % (sizeof(special) - 1)];
			break;
		case 3:		/* truncate */
			if (n > 0)
				n = rnd() % n;
			break;
		case 4:		/* insert a special byte */
			if (n < cap) {
				i = n > 0 ? rnd() % n : 0;
				memmove(p + i + 1, p + i, n - i);
				p[i] = special[rnd() % (sizeof(special) - 1)];
				n++;
			}
			break;
		default:	/* duplicate a chunk */
			if (n > 0) {
				i = rnd() % n;
				j = 1 + rnd() % 16;
				if (j > n - i)
					j = n - i;
				if (n + j <= cap) {
					memmove(p + i + j, p + i, n - i);
					n += j;
				}
			}
			break;
		}
	}
	return n;
}

static int
perr_ok(enum perr e)
{
	return e >= P_OK && e <= P_TOO_DEEP;
}

static void
test_mutation(void)
{
	char		 work[4096], *copy, ctbuf[128];
	struct params	 ps;
	struct cookie	 ck[COOKIES_MAX];
	json_object	*o;
	const char	*src;
	size_t		 it, n, nc, k, srclen;
	enum perr	 e;
	unsigned	 which, bad = 0, okcount[4] = { 0 };

	for (it = 0; it < MUTATION_RUNS; it++) {
		arena_reset(&A);
		params_init(&A, &ps);
		which = it % 4;
		switch (which) {
		case 0:
			src = mut_ue[rnd() % countof(mut_ue)];
			srclen = strlen(src);
			break;
		case 1:
			src = mut_ck[rnd() % countof(mut_ck)];
			srclen = strlen(src);
			break;
		case 2:
			src = mut_mp;
			srclen = sizeof(mut_mp) - 1;
			break;
		default:
			src = mut_json[rnd() % countof(mut_json)];
			srclen = strlen(src);
			break;
		}
		memcpy(work, src, srclen);
		n = mutate(work, srclen, sizeof(work) - 1);
		/* Exact-size heap copy: overreads trip ASan. */
		copy = malloc(n + 1);
		memcpy(copy, work, n);
		copy[n] = '\0';

		switch (which) {
		case 0:
			e = parse_urlencoded(&A, copy, n, SRC_QUERY, &ps);
			if (!perr_ok(e) || !params_sane(&ps) ||
			    (e != P_OK && ps.n != 0))
				bad++;
			okcount[0] += e == P_OK;
			break;
		case 1:
			nc = parse_cookies(&A, copy, ck, COOKIES_MAX);
			for (k = 0; k < nc; k++)
				if (ck[k].name == NULL || ck[k].value == NULL ||
				    *ck[k].name == '\0')
					bad++;
			if (nc > COOKIES_MAX)
				bad++;
			okcount[1] += nc > 0;
			break;
		case 2:
			/* Now and then mutate the Content-Type instead. */
			src = mut_ct[rnd() % countof(mut_ct)];
			if (rnd() % 4 == 0) {
				srclen = strlen(src);
				memcpy(ctbuf, src, srclen);
				srclen = mutate(ctbuf, srclen,
				    sizeof(ctbuf) - 1);
				ctbuf[srclen] = '\0';
				src = ctbuf;
				n = sizeof(mut_mp) - 1;
				memcpy(work, mut_mp, n);
			}
			free(copy);
			copy = malloc(n ? n : 1);
			memcpy(copy, work, n);
			e = parse_multipart(&A, src, copy, n, &ps);
			if (!perr_ok(e) || !params_sane(&ps) ||
			    (e != P_OK && ps.n != 0) ||
			    ps.n > MULTIPART_PARTS_MAX)
				bad++;
			okcount[2] += e == P_OK;
			break;
		default:
			o = NULL;
			free(copy);
			copy = malloc(n ? n : 1);
			memcpy(copy, work, n);
			e = parse_json(copy, n, &o);
			if (!perr_ok(e) || (e == P_OK) != (o != NULL))
				bad++;
			okcount[3] += e == P_OK;
			json_object_put(o);
			break;
		}
		free(copy);
	}
	T_OK(bad == 0, "mutation: consistent results, no crash");
	/* The loop must also exercise the success paths. */
	T_OK(okcount[0] > 250 && okcount[1] > 250 && okcount[2] > 250 &&
	    okcount[3] > 250, "mutation: every parser succeeded sometimes");
	printf("# mutation: %d runs; successes: urlencoded %u, cookies %u, "
	    "multipart %u, json %u\n", MUTATION_RUNS,
	    okcount[0], okcount[1], okcount[2], okcount[3]);
}

int
main(void)
{
	arena_init(&A);
	buf_init(&dump);
	test_utf8();
	test_urlencoded();
	test_cookies();
	test_multipart();
	test_json();
	test_mutation();
	arena_free(&A);
	buf_free(&dump);
	return t_done();
}
