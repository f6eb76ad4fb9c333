/* test_esc.c — every output encoder against a table of inputs. */
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "render/esc.h"
#include "t.h"

typedef void (*encoder)(struct buf *, const char *, size_t);

struct kase {
	const char	*in;
	size_t		 len;	/* 0: strlen(in) */
	const char	*want;
};

static void
table(const char *what, encoder fn, const struct kase *k, size_t n)
{
	struct buf	 b;
	char		 name[160];
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		fn(&b, k[i].in, k[i].len ? k[i].len : strlen(k[i].in));
		snprintf(name, sizeof(name), "%s #%zu", what, i);
		T_STREQ(buf_cstr(&b), k[i].want, name);
	}
	buf_free(&b);
}

static const struct kase html[] = {
	{ "", 0, "" },
	{ "plain text", 0, "plain text" },
	{ "<script>alert(1)</script>", 0,
	    "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "\"><img src=x onerror=alert(1)>", 0,
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
	{ "a & b 'c'", 0, "a &amp; b &#39;c&#39;" },
	{ "&amp;", 0, "&amp;amp;" },
	{ "{{7*7}}", 0, "{{7*7}}" },
	{ "caf\xc3\xa9 \xe2\x80\xae", 0, "caf\xc3\xa9 \xe2\x80\xae" },
	{ "x<", 0, "x&lt;" },
	{ "a\0<b", 4, "a" },	/* NUL kept; T_STREQ sees up to it */
};

static const struct kase url[] = {
	{ "", 0, "" },
	{ "AZaz09-._~", 0, "AZaz09-._~" },
	{ "a b/c?d=e&f#g", 0, "a%20b%2Fc%3Fd%3De%26f%23g" },
	{ "caf\xc3\xa9", 0, "caf%C3%A9" },
	{ "100%", 0, "100%25" },
	{ "\r\n+", 0, "%0D%0A%2B" },
	{ "a\0b", 3, "a%00b" },
};

static const struct kase json[] = {
	{ "{\"a\":\"x\"}", 0, "{\"a\":\"x\"}" },
	{ "\"</script>\"", 0, "\"\\u003c/script\\u003e\"" },
	{ "\"a&b\"", 0, "\"a\\u0026b\"" },
	{ "\"\xe2\x80\xa8\xe2\x80\xa9\"", 0, "\"\\u2028\\u2029\"" },
	{ "\"\xe2\x80\xaa\"", 0, "\"\xe2\x80\xaa\"" },	/* U+202A as is */
	{ "\"\xe2\x80\"", 0, "\"\xe2\x80\"" },		/* cut short */
	{ "\xe2", 0, "\xe2" },
	{ "<a>&", 0, "\\u003ca\\u003e\\u0026" },	/* at both ends */
	{ "\"x<y\" and <more", 5, "\"x\\u003cy\"" },	/* n before the NUL */
	{ "\xe2\x80\xa8", 2, "\xe2\x80" },		/* cut by n */
};

static const struct kase csv[] = {
	{ "", 0, "\"\"" },
	{ "plain", 0, "\"plain\"" },
	{ "say \"hi\"", 0, "\"say \"\"hi\"\"\"" },
	{ "=cmd|' /C calc'!A0", 0, "\"'=cmd|' /C calc'!A0\"" },
	{ "+1", 0, "\"'+1\"" },
	{ "-2", 0, "\"'-2\"" },
	{ "@SUM(A1)", 0, "\"'@SUM(A1)\"" },
	{ "\t=x", 0, "\"'\t=x\"" },
	{ "\r=x", 0, "\"'\r=x\"" },
	{ "a=b", 0, "\"a=b\"" },
	{ "two\nlines", 0, "\"two\nlines\"" },
	{ "bell\x07 del\x7f nul", 0, "\"bell del nul\"" },
	{ "a,b", 0, "\"a,b\"" },
};

static void
test_header(void)
{
	static const struct {
		const char	*in;
		int		 ok;
	} k[] = {
		{ "plain value", 1 },
		{ "", 1 },
		{ "caf\xc3\xa9", 1 },
		{ "a\r\nBcc: x@y", 0 },
		{ "a\nb", 0 },
		{ "a\rb", 0 },
		{ "\n", 0 },
		{ NULL, 0 },
	};
	size_t	 i;

	for (i = 0; i < countof(k); i++)
		T_OK(esc_header_ok(k[i].in) == k[i].ok, k[i].in ? k[i].in :
		    "header NULL");
}

static void
test_disposition(void)
{
	static const struct {
		const char	*kind, *name, *want;
	} k[] = {
		{ "attachment", "report.csv",
		    "attachment; filename=\"report.csv\"; "
		    "filename*=UTF-8''report.csv" },
		{ "inline", "Caf\xc3\xa9 plan.pdf",
		    "inline; filename=\"Caf_ plan.pdf\"; "
		    "filename*=UTF-8''Caf%C3%A9%20plan.pdf" },
		{ "attachment", "a\"b\r\nSet-Cookie: x.txt",
		    "attachment; filename=\"a_b__Set-Cookie: x.txt\"; "
		    "filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x.txt" },
		{ "attachment", "..\\..%2F/etc",
		    "attachment; filename=\".._.._2F_etc\"; "
		    "filename*=UTF-8''..%5C..%252F%2Fetc" },
		{ "evil\r\nX: y", "a.txt",
		    "attachment; filename=\"a.txt\"; filename*=UTF-8''a.txt" },
		{ NULL, "", "attachment; filename=\"download\"; "
		    "filename*=UTF-8''download" },
		{ "attachment", NULL, "attachment; filename=\"download\"; "
		    "filename*=UTF-8''download" },
	};
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < countof(k); i++) {
		buf_reset(&b);
		esc_disposition(&b, k[i].kind, k[i].name);
		T_STREQ(buf_cstr(&b), k[i].want, "disposition");
		T_OK(esc_header_ok(buf_cstr(&b)), "disposition header-safe");
	}
	buf_free(&b);
}

/* A cap on the buffer must not make an encoder write past it. */
static void
test_cap(void)
{
	struct buf	 b;

	buf_init(&b);
	b.max = 8;
	esc_html(&b, "<<<<<<", 6);
	T_OK(b.overflow, "cap sets overflow");
	T_OK(b.len <= 8, "cap respected");
	buf_free(&b);
}

int
main(void)
{
	struct buf	 b;

	table("html", esc_html, html, countof(html));
	table("url", esc_url, url, countof(url));
	table("json", esc_json_text, json, countof(json));
	table("csv", esc_csv_cell, csv, countof(csv));

	/* The NUL case above only compares up to the NUL: check bytes. */
	buf_init(&b);
	esc_html(&b, "a\0<b", 4);
	T_OK(b.len == 7 && memcmp(b.p, "a\0&lt;b", 7) == 0, "html NUL kept");
	buf_reset(&b);
	esc_json_text(&b, "a\0<b&", 5);
	T_OK(b.len == 15 && memcmp(b.p, "a\0\\u003cb\\u0026", 15) == 0,
	    "json: a NUL is passed and scanning goes on after it");
	buf_free(&b);

	test_header();
	test_disposition();
	test_cap();
	return t_done();
}
