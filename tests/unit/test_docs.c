/* test_docs.c — help pages: front matter good and bad, sidebar, lookups. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "render/docs.h"
#include "t.h"

/* Files to write; bad ones must be skipped with a logged reason. */
static const struct {
	const char	*file, *text;
	int		 ok;
	const char	*reason;	/* substring of the logged reason */
} files[] = {
	{ "index.md", "---\ntitle: Welcome\nsidebar:\n  order: 1\n---\n"
	    "# Hi\n", 1, NULL },
	{ "getting-started.md", "---\ntitle: Getting started\n"
	    "description: First steps # a comment\nlastUpdated: 2026-03-02\n"
	    "sidebar:\n  order: 2\n---\nBody *text*\n", 1, NULL },
	{ "zeta.md", "---\ntitle: Alpha unordered\n---\n", 1, NULL },
	{ "beta.md", "---\ntitle: beta unordered\n---\n", 1, NULL },
	{ "quoted.md", "---\r\ntitle: \"Quote: \\\"x\\\" \\\\ y\"\r\n"
	    "description: 'It''s # not a comment'   # but this is\r\n\r\n"
	    "# a comment line\r\n---\r\ntext\r\n", 1, NULL },
	{ "bom.md", "\xef\xbb\xbf---\ntitle: With BOM\nsidebar:\n"
	    "    order: -5\n---\n", 1, NULL },
	{ "leap.md", "---\ntitle: Leap\nlastUpdated: 2024-02-29\n---\n", 1,
	    NULL },
	{ "only-fm.md", "---\ntitle: Only\n---", 1, NULL },
	{ "advancing/overview.md", "---\ntitle: Overview\nsidebar:\n"
	    "  order: 1\n---\n", 1, NULL },
	{ "advancing/assign.md", "---\ntitle: Assigning advances\n"
	    "sidebar:\n  order: 2\n---\n", 1, NULL },
	{ "advancing/deep/nested.md", "---\ntitle: Nested\n---\n", 1, NULL },
	{ "crew-and-contacts/list.md", "---\ntitle: Crew list\n---\n", 1,
	    NULL },

	{ "Bad.md", "---\ntitle: X\n---\n", 0, "a-z 0-9" },
	{ "under_score.md", "---\ntitle: X\n---\n", 0, "a-z 0-9" },
	{ "no-fm.md", "# Just markdown\n", 0, "no front matter" },
	{ "unclosed.md", "---\ntitle: X\n", 0, "not closed" },
	{ "missing-title.md", "---\ndescription: d\n---\n", 0,
	    "title missing" },
	{ "empty-title.md", "---\ntitle: \"\"\n---\n", 0,
	    "title must be 1-200" },
	{ "empty-value.md", "---\ntitle:\n---\n", 0,
	    "empty value for 'title'" },
	{ "bad-date.md", "---\ntitle: X\nlastUpdated: 2026-02-30\n---\n", 0,
	    "lastUpdated" },
	{ "bad-date2.md", "---\ntitle: X\nlastUpdated: 2026-3-2\n---\n", 0,
	    "lastUpdated" },
	{ "bad-leap.md", "---\ntitle: X\nlastUpdated: 2100-02-29\n---\n", 0,
	    "lastUpdated" },
	{ "bad-order.md", "---\ntitle: X\nsidebar:\n  order: 3.5\n---\n", 0,
	    "not an integer" },
	{ "bad-order2.md", "---\ntitle: X\nsidebar:\n  order: many\n---\n",
	    0, "not an integer" },
	{ "huge-order.md", "---\ntitle: X\nsidebar:\n  order: 99999999999\n"
	    "---\n", 0, "not an integer" },
	{ "unknown-key.md", "---\ntitle: X\nauthor: me\n---\n", 0,
	    "unknown key 'author'" },
	{ "unknown-sb.md", "---\ntitle: X\nsidebar:\n  label: x\n---\n", 0,
	    "unknown key 'sidebar.label'" },
	{ "tab.md", "---\ntitle: X\nsidebar:\n\torder: 1\n---\n", 0,
	    "tab in indentation" },
	{ "dup.md", "---\ntitle: X\ntitle: Y\n---\n", 0,
	    "duplicate key 'title'" },
	{ "dup-order.md", "---\ntitle: X\nsidebar:\n  order: 1\n  order: 2\n"
	    "---\n", 0, "duplicate key 'sidebar.order'" },
	{ "indent.md", "---\ntitle: X\n  order: 1\n---\n", 0,
	    "unexpected indentation" },
	{ "mixed-indent.md", "---\ntitle: X\nsidebar:\n  order: 1\n"
	    "    order: 2\n---\n", 0, "inconsistent indentation" },
	{ "no-colon.md", "---\ntitle X\n---\n", 0, "expected 'key: value'" },
	{ "flow.md", "---\ntitle: [a, b]\n---\n", 0, "unsupported YAML" },
	{ "colon.md", "---\ntitle: Foo: bar\n---\n", 0, "': ' in a plain" },
	{ "open-quote.md", "---\ntitle: \"abc\n---\n", 0,
	    "unterminated quoted value" },
	{ "after-quote.md", "---\ntitle: \"a\" b\n---\n", 0,
	    "text after quoted value" },
	{ "control.md", "---\ntitle: a\x01z\n---\n", 0, "not valid text" },
	{ "bad-utf8.md", "---\ntitle: a\xff z\n---\n", 0, "not valid text" },
	{ "sb-scalar.md", "---\ntitle: X\nsidebar: 3\n---\n", 0,
	    "nested block" },
	{ "bad-escape.md", "---\ntitle: \"a\\n\"\n---\n", 0,
	    "unsupported escape" },
};

static char	 dir[] = "/tmp/test_docs.XXXXXX";

static void
writefile(const char *rel, const char *text)
{
	char	 path[512], *slash;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = path + strlen(dir) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* "group:slug,slug|group:slug" from the sidebar JSON, to compare. */
static void
flatten(json_object *sb, struct buf *b)
{
	json_object	*g, *pages, *p;
	size_t		 i, j;

	for (i = 0; i < json_object_array_length(sb); i++) {
		g = json_object_array_get_idx(sb, i);
		buf_printf(b, "%s%s:", i ? "|" : "", json_object_get_string(
		    json_object_object_get(g, "group")));
		pages = json_object_object_get(g, "pages");
		for (j = 0; j < json_object_array_length(pages); j++) {
			p = json_object_array_get_idx(pages, j);
			buf_printf(b, "%s%s", j ? "," : "",
			    json_object_get_string(json_object_object_get(p,
			    "slug")));
		}
	}
}

static char *
readall(const char *path)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	buf_init(&b);
	if ((f = fopen(path, "r")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_put(&b, chunk, n);
		fclose(f);
	}
	buf_cstr(&b);
	return b.p;
}

static void
test_load(void)
{
	const struct doc_page	*p;
	struct docs		*d;
	struct buf		 b, t;
	json_object		*sb, *o, *g;
	char			 logpath[600], err[600], *log, want[600];
	char			 slug[128];
	size_t			 i, good = 0;
	int			 k;

	/* a title of exactly 200 characters (400 bytes) is fine, 201 not */
	buf_init(&t);
	buf_puts(&t, "---\ntitle: Z");
	for (k = 0; k < 199; k++)
		buf_puts(&t, "\xc3\xa9");
	buf_puts(&t, "\n---\n");
	writefile("title-200.md", buf_cstr(&t));
	buf_reset(&t);
	buf_puts(&t, "---\ntitle: Z");
	for (k = 0; k < 200; k++)
		buf_puts(&t, "\xc3\xa9");
	buf_puts(&t, "\n---\n");
	writefile("title-201.md", buf_cstr(&t));
	buf_reset(&t);
	buf_puts(&t, "---\ntitle: D\ndescription: ");
	for (k = 0; k < 301; k++)
		buf_putc(&t, 'd');
	buf_puts(&t, "\n---\n");
	writefile("desc-301.md", buf_cstr(&t));
	buf_free(&t);

	for (i = 0; i < countof(files); i++)
		writefile(files[i].file, files[i].text);
	writefile("nul.md", "---\ntitle: a");	/* NUL appended below */
	{
		char	 path[600];
		FILE	*f;

		snprintf(path, sizeof(path), "%s/nul.md", dir);
		if ((f = fopen(path, "a")) != NULL) {
			fwrite("\0b\n---\n", 1, 7, f);
			fclose(f);
		}
	}
	writefile("notes.txt", "---\ntitle: not markdown\n---\n");
	writefile(".hidden.md", "---\ntitle: hidden\n---\n");

	snprintf(logpath, sizeof(logpath), "%s.log", dir);
	T_OK(log_open(logpath) == 0, "log to file");
	d = docs_load(dir, err, sizeof(err));
	log_open(NULL);
	T_OK(d != NULL, "docs_load");
	if (d == NULL)
		return;
	log = readall(logpath);
	unlink(logpath);

	for (i = 0; i < countof(files); i++) {
		snprintf(slug, sizeof(slug), "%.*s",
		    (int)(strlen(files[i].file) - 3), files[i].file);
		p = docs_find(d, slug);
		T_OK((p != NULL) == files[i].ok, files[i].file);
		if (files[i].ok) {
			good++;
			continue;
		}
		snprintf(want, sizeof(want), "file=\"%s/%s\"", dir,
		    files[i].file);
		T_OK(strstr(log, want) != NULL, "skip logged with file");
		/* the reason on the same line as the file */
		{
			const char *ln = strstr(log, want), *end;

			end = ln ? strchr(ln, '\n') : NULL;
			T_OK(ln != NULL && end != NULL &&
			    memmem(ln, (size_t)(end - ln), files[i].reason,
			    strlen(files[i].reason)) != NULL, files[i].reason);
		}
	}
	T_OK(strstr(log, "unknown-key.md\" line=3 reason=") != NULL,
	    "line number logged");
	T_OK(strstr(log, "title-201.md\" line=") != NULL, "201 chars bad");
	T_OK(strstr(log, "desc-301.md\" line=") != NULL, "301 chars bad");
	T_OK(strstr(log, "title-200.md") == NULL, "200 chars fine");
	T_OK(strstr(log, "nul.md\" reason=\"file contains NUL") != NULL &&
	    docs_find(d, "nul") == NULL, "NUL bytes refused");
	T_OK(strstr(log, "notes") == NULL && strstr(log, "hidden") == NULL,
	    "non-.md and hidden files ignored");
	T_OK(docs_count(d) == good + 1, "count = good files");
	free(log);

	/* values */
	p = docs_find(d, "getting-started");
	T_OK(p != NULL, "find getting-started");
	if (p != NULL) {
		T_STREQ(p->title, "Getting started", "title");
		T_STREQ(p->description, "First steps", "plain comment cut");
		T_STREQ(p->last_updated, "2026-03-02", "lastUpdated");
		T_OK(p->has_order && p->order == 2, "order");
		T_STREQ(p->group, "", "top group");
		T_STREQ(p->html, "<p>Body <em>text</em></p>\n", "body html");
	}
	p = docs_find(d, "quoted");
	T_OK(p != NULL, "find quoted");
	if (p != NULL) {
		T_STREQ(p->title, "Quote: \"x\" \\ y", "double quotes");
		T_STREQ(p->description, "It's # not a comment",
		    "single quotes");
		T_OK(p->last_updated == NULL && !p->has_order, "absent");
		T_STREQ(p->html, "<p>text</p>\n", "CRLF body");
	}
	p = docs_find(d, "bom");
	T_OK(p != NULL && p->order == -5, "BOM, negative order");
	p = docs_find(d, "only-fm");
	T_OK(p != NULL && strcmp(p->html, "") == 0, "empty body");
	p = docs_find(d, "index");
	T_OK(p != NULL && strstr(p->html, "<h1 id=\"hi\">Hi</h1>") != NULL,
	    "index rendered with heading id");
	p = docs_find(d, "advancing/deep/nested");
	T_OK(p != NULL && strcmp(p->group, "advancing") == 0,
	    "group is the top-level folder");
	T_OK(docs_find(d, "nope") == NULL && docs_find(d, "") == NULL &&
	    docs_find(d, NULL) == NULL && docs_find(d, "advancing") == NULL &&
	    docs_find(d, "index.md") == NULL, "unknown slugs");

	/* sidebar: "" group first, order then title, folders by name */
	sb = docs_sidebar_json(d, "advancing/assign");
	buf_init(&b);
	flatten(sb, &b);
	T_STREQ(buf_cstr(&b), ":bom,index,getting-started,zeta,beta,leap,"
	    "only-fm,quoted,title-200|advancing:advancing/overview,"
	    "advancing/assign,advancing/deep/nested|"
	    "crew-and-contacts:crew-and-contacts/list", "sidebar order");
	buf_free(&b);
	g = json_object_array_get_idx(sb, 0);
	T_STREQ(json_object_get_string(json_object_object_get(g, "title")),
	    "", "top group title");
	g = json_object_array_get_idx(sb, 2);
	T_STREQ(json_object_get_string(json_object_object_get(g, "title")),
	    "Crew and contacts", "group title");
	g = json_object_array_get_idx(sb, 1);
	o = json_object_array_get_idx(json_object_object_get(g, "pages"), 1);
	T_STREQ(json_object_get_string(json_object_object_get(o, "url")),
	    "/docs/advancing/assign", "url");
	T_STREQ(json_object_get_string(json_object_object_get(o, "title")),
	    "Assigning advances", "page title");
	T_OK(json_object_get_boolean(json_object_object_get(o, "current")),
	    "current page marked");
	o = json_object_array_get_idx(json_object_object_get(g, "pages"), 0);
	T_OK(!json_object_get_boolean(json_object_object_get(o, "current")),
	    "other page not current");
	json_object_put(sb);

	sb = docs_sidebar_json(d, NULL);
	T_OK(json_object_array_length(sb) == 3, "sidebar without current");
	json_object_put(sb);

	/* page JSON */
	o = docs_page_json(docs_find(d, "getting-started"));
	T_STREQ(json_object_get_string(json_object_object_get(o, "slug")),
	    "getting-started", "json slug");
	T_STREQ(json_object_get_string(json_object_object_get(o,
	    "last_updated")), "2026-03-02", "json last_updated");
	T_STREQ(json_object_get_string(json_object_object_get(o, "html")),
	    "<p>Body <em>text</em></p>\n", "json html");
	json_object_put(o);
	o = docs_page_json(docs_find(d, "zeta"));
	T_OK(json_object_object_get_ex(o, "description", &g) && g == NULL,
	    "absent description is null");
	json_object_put(o);

	T_OK(docs_page_at(d, 0) == docs_find(d, "bom") &&
	    docs_page_at(d, docs_count(d)) == NULL, "docs_page_at");
	docs_free(d);
}

static void
test_edges(void)
{
	struct docs	*d;
	json_object	*sb;
	char		 err[600], sub[600];

	snprintf(sub, sizeof(sub), "%s/missing", dir);
	err[0] = '\0';
	T_OK(docs_load(sub, err, sizeof(err)) == NULL, "missing dir");
	T_OK(strstr(err, "missing") != NULL, "missing dir error");

	snprintf(sub, sizeof(sub), "%s/index.md", dir);
	T_OK(docs_load(sub, err, sizeof(err)) == NULL, "not a directory");

	snprintf(sub, sizeof(sub), "%s/empty", dir);
	mkdir(sub, 0700);
	d = docs_load(sub, err, sizeof(err));
	T_OK(d != NULL && docs_count(d) == 0, "empty dir");
	sb = docs_sidebar_json(d, "index");
	T_OK(json_object_array_length(sb) == 0, "empty sidebar");
	T_OK(docs_find(d, "index") == NULL, "empty find");
	json_object_put(sb);
	docs_free(d);
	docs_free(NULL);
}

int
main(void)
{
	char	 cmd[600];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_load();
	test_edges();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", dir);
	return t_done();
}
