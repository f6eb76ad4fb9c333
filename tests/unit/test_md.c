/* test_md.c — Markdown rendering: hostile input, links, images, ids. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "render/md.h"
#include "t.h"

static char *
render(const char *md)
{
	return md_render_str(md, strlen(md));
}

/* Whole-output cases. */
static const struct {
	const char	*md, *want;
} exact[] = {
	{ "", "" },
	{ "Hello *world*", "<p>Hello <em>world</em></p>\n" },
	{ "<script>alert(1)</script>",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n" },
	{ "a <b onclick=\"x()\">bold</b> c",
	    "<p>a &lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt; c</p>\n" },
	{ "<div>\n*hi*\n</div>\n\nafter",
	    "<p>&lt;div&gt;\n*hi*\n&lt;/div&gt;</p>\n<p>after</p>\n" },
	{ "<!-- secret -->", "<p>&lt;!-- secret --&gt;</p>\n" },
	{ "[x](javascript:alert(1))", "<p>x</p>\n" },
	{ "[x](JavaScript:alert(1))", "<p>x</p>\n" },
	{ "[x](javascript&#58;alert(1))", "<p>x</p>\n" },
	{ "[x](<java\tscript:alert(1)>)", "<p>x</p>\n" },
	{ "[x](vbscript:msgbox)", "<p>x</p>\n" },
	{ "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>\n" },
	{ "[x](file:///etc/passwd)", "<p>x</p>\n" },
	{ "[*em* and `code`](ftp://h/x)",
	    "<p><em>em</em> and <code>code</code></p>\n" },
	{ "<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n" },
	{ "[r](/events/1)", "<p><a href=\"/events/1\">r</a></p>\n" },
	{ "[r](../x?y=1)", "<p><a href=\"../x?y=1\">r</a></p>\n" },
	{ "[f](#top)", "<p><a href=\"#top\">f</a></p>\n" },
	{ "[q](?a=b:c)", "<p><a href=\"?a=b:c\">q</a></p>\n" },
	{ "[m](mailto:a@example.com)",
	    "<p><a href=\"mailto:a@example.com\">m</a></p>\n" },
	{ "[t](tel:+4912345)", "<p><a href=\"tel:+4912345\">t</a></p>\n" },
	{ "[h](HTTPS://example.com/a \"T\")",
	    "<p><a href=\"HTTPS://example.com/a\" title=\"T\">h</a></p>\n" },
	{ "<https://example.com>",
	    "<p><a href=\"https://example.com\">https://example.com</a>"
	    "</p>\n" },
	{ "![alt *text*](data:image/png;base64,AAAA)", "<p>alt text</p>\n" },
	{ "![](javascript:x)", "<p></p>\n" },
	{ "![rel](/img/a.png)", "<p>rel</p>\n" },
	{ "![pic](https://example.com/a.png)",
	    "<p><img referrerpolicy=\"no-referrer\" "
	    "src=\"https://example.com/a.png\" alt=\"pic\" /></p>\n" },
	{ "[![pic](http://e.com/a.png)](javascript:x)",
	    "<p><img referrerpolicy=\"no-referrer\" src=\"http://e.com/a.png\" "
	    "alt=\"pic\" /></p>\n" },
	{ "[<b>x</b>](javascript:x)", "<p>&lt;b&gt;x&lt;/b&gt;</p>\n" },
	{ "`<img src=x>`", "<p><code>&lt;img src=x&gt;</code></p>\n" },
	{ "```\n<h1>no</h1>\n```",
	    "<pre><code>&lt;h1&gt;no&lt;/h1&gt;\n</code></pre>\n" },
	{ "> <img src=x onerror=y>",
	    "<blockquote>\n<p>&lt;img src=x onerror=y&gt;</p>\n"
	    "</blockquote>\n" },
	{ "- <style>x</style>",
	    "<ul>\n<li>&lt;style&gt;x&lt;/style&gt;</li>\n</ul>\n" },
	{ "bad \xff utf8", "<p>bad \xef\xbf\xbd utf8</p>\n" },
};

/* Heading ids: stable, ASCII, deduplicated in document order. */
static const struct {
	const char	*md, *want;
} heads[] = {
	{ "# Hello World", "<h1 id=\"hello-world\">Hello World</h1>\n" },
	{ "## What's *new*?", "<h2 id=\"whats-new\">What's <em>new</em>?"
	    "</h2>\n" },
	{ "# A\n# A\n# a\n", "<h1 id=\"a\">A</h1>\n<h1 id=\"a-2\">A</h1>\n"
	    "<h1 id=\"a-3\">a</h1>\n" },
	{ "# x-2\n# x\n# x\n",
	    "<h1 id=\"x-2\">x-2</h1>\n<h1 id=\"x\">x</h1>\n"
	    "<h1 id=\"x-3\">x</h1>\n" },
	{ "#\n# !!!\n", "<h1 id=\"section\"></h1>\n"
	    "<h1 id=\"section-2\">!!!</h1>\n" },
	{ "Setext\n======\n\nSub title\n---\n",
	    "<h1 id=\"setext\">Setext</h1>\n<h2 id=\"sub-title\">Sub title"
	    "</h2>\n" },
	{ "###### Caf\xc3\xa9 &amp; `code`  snake_case",
	    "<h6 id=\"caf-code-snake-case\">Caf\xc3\xa9 &amp; <code>code</code>"
	    "  snake_case</h6>\n" },
	{ "# <em>raw</em>",
	    "<h1 id=\"emrawem\">&lt;em&gt;raw&lt;/em&gt;</h1>\n" },
	{ "# [link](javascript:x)", "<h1 id=\"link\">link</h1>\n" },
	{ "# Hr\n\n---\n\n# Hr",
	    "<h1 id=\"hr\">Hr</h1>\n<hr />\n<h1 id=\"hr-2\">Hr</h1>\n" },
};

static void
test_tables(void)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < countof(exact); i++) {
		got = render(exact[i].md);
		T_STREQ(got, exact[i].want, exact[i].md);
		free(got);
	}
	for (i = 0; i < countof(heads); i++) {
		got = render(heads[i].md);
		T_STREQ(got, heads[i].want, heads[i].md);
		free(got);
	}
}

/* Nothing in the output may be a tag cmark did not write itself. */
static void
test_no_foreign_tags(void)
{
	static const char *const hostile[] = {
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"\"><svg onload=alert(1)>",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<iframe src=//evil>",
		"</textarea><script>",
		"[a](javascript:alert(1) \"<script>\")",
		"![x\" onerror=\"alert(1)](https://e.com/a.png)",
		"<h1>fake heading</h1>",
		"<img referrerpolicy=x src=y>",
	};
	char	*got;
	size_t	 i;

	for (i = 0; i < countof(hostile); i++) {
		got = render(hostile[i]);
		T_OK(strstr(got, "<script") == NULL &&
		    strstr(got, "<svg") == NULL &&
		    strstr(got, "<iframe") == NULL &&
		    strstr(got, "<textarea") == NULL &&
		    strstr(got, "<h1") == NULL &&
		    strstr(got, "\" onerror=\"") == NULL &&
		    strstr(got, "javascript:alert(1)\"") == NULL, hostile[i]);
		free(got);
	}
}

static void
test_api(void)
{
	struct buf	 b;
	char		*s;
	size_t		 i;

	/* md_render appends, and honours the length argument */
	buf_init(&b);
	buf_puts(&b, "<div>");
	md_render(&b, "*a* and more", 3);
	T_STREQ(buf_cstr(&b), "<div><p><em>a</em></p>\n", "append, length");
	buf_free(&b);

	s = md_render_str(NULL, 0);
	T_STREQ(s, "", "NULL input");
	free(s);

	/* many equal headings must not go quadratic or collide */
	buf_init(&b);
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "# same\n");
	s = md_render_str(b.p, b.len);
	T_OK(strstr(s, "id=\"same-20000\"") != NULL, "20000th duplicate id");
	T_OK(strstr(s, "id=\"same-20001\"") == NULL, "no extra ids");
	free(s);
	buf_free(&b);
}

int
main(void)
{
	test_tables();
	test_no_foreign_tags();
	test_api();
	return t_done();
}
