/* test_tmpl.c — template engine: rendering table, compile errors, files. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "render/tmpl.h"
#include "t.h"

/* Partials every render case can use. */
static const char *const pnames[] = { "p/item", "p/wrap", "rec", "loop",
    "wide" };
static const char *const psrcs[] = {
	"<li>{{name}}</li>",
	"[{{>p/item}}]",
	"{{#kids}}({{n}}{{>rec}}){{/kids}}",
	"x{{>loop}}",
	"{{>wide}}{{>wide}}{{>wide}}{{>wide}}",
};

static const struct {
	const char	*tmpl, *view, *want;
} rcases[] = {
	/* escaping and raw output */
	{ "Hello {{name}}!", "{\"name\":\"<b>&'\\\"\"}",
	    "Hello &lt;b&gt;&amp;&#39;&quot;!" },
	{ "{{{h}}}|{{&h}}|{{h}}", "{\"h\":\"<em>x</em>\"}",
	    "<em>x</em>|<em>x</em>|&lt;em&gt;x&lt;/em&gt;" },
	{ "<a title=\"{{t}}\">", "{\"t\":\"\\\" onmouseover=\\\"x\"}",
	    "<a title=\"&quot; onmouseover=&quot;x\">" },
	{ "{{v}}", "{\"v\":\"{{x}}\"}", "{{x}}" },	/* not re-parsed */
	{ "{{ name }}|{{\tname\t}}", "{\"name\":\"n\"}", "n|n" },
	{ "a } b }} c {", "{}", "a } b }} c {" },
	{ "", "{}", "" },
	{ "no tags at all\n", "{}", "no tags at all\n" },

	/* scalars */
	{ "{{i}}|{{d}}|{{t}}|{{f}}|{{n}}|{{missing}}|{{o}}|{{a}}",
	    "{\"i\":42,\"d\":1.5,\"t\":true,\"f\":false,\"n\":null,"
	    "\"o\":{\"x\":1},\"a\":[1]}",
	    "42|1.5|true|false||||" },
	{ "{{i}} {{j}} {{d}}", "{\"i\":-7,\"j\":9007199254740993,\"d\":0.1}",
	    "-7 9007199254740993 0.1" },
	{ "{{a}} {{b}} {{c}} {{d}}", "{\"a\":0,\"b\":-9223372036854775808,"
	    "\"c\":9223372036854775807,\"d\":-10}",
	    "0 -9223372036854775808 9223372036854775807 -10" },
	{ "{{d}} {{e}} {{f}}", "{\"d\":3.0,\"e\":-2.5e-3,\"f\":1e20}",
	    "3 -0.0025 1e+20" },

	/* sections */
	{ "{{#items}}<{{name}}>{{/items}}",
	    "{\"items\":[{\"name\":\"a\"},{\"name\":\"b&c\"}]}",
	    "<a><b&amp;c>" },
	{ "{{#xs}}{{.}},{{/xs}}", "{\"xs\":[1,\"two\",true,null]}",
	    "1,two,true,," },
	{ "{{#user}}{{name}} of {{org}}{{/user}}",
	    "{\"org\":\"ACME\",\"user\":{\"name\":\"Ann\"}}", "Ann of ACME" },
	{ "{{#flag}}yes{{/flag}}", "{\"flag\":true}", "yes" },
	{ "{{#s}}[{{.}}]{{/s}}", "{\"s\":\"abc\"}", "[abc]" },
	{ "{{#n}}[{{.}}]{{/n}}", "{\"n\":3}", "[3]" },
	{ "{{#e}}[{{x}}]{{/e}}", "{\"e\":{},\"x\":1}", "[1]" },
	{ "{{#rows}}({{#.}}{{.}}{{/.}}){{/rows}}",
	    "{\"rows\":[[1,2],[3],[]]}", "(12)(3)()" },
	{ "{{#a}}{{#b}}{{c}}{{d}}{{/b}}{{/a}}",
	    "{\"d\":\"D\",\"a\":{\"c\":\"C\",\"b\":[1,2]}}", "CDCD" },

	/* inverted */
	{ "{{^xs}}none{{/xs}}", "{\"xs\":[]}", "none" },
	{ "{{^xs}}none{{/xs}}", "{\"xs\":[0]}", "" },
	{ "{{^missing}}gone{{/missing}}", "{}", "gone" },
	{ "{{#ok}}a{{/ok}}{{^ok}}b{{/ok}}", "{\"ok\":false}", "b" },

	/* names: dotted, shadowing, no fallback once found */
	{ "{{a.b.c}}|{{a.x.c}}|{{a.b}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}",
	    "deep||" },
	{ "{{#a}}{{b.c}}{{/a}}",
	    "{\"b\":{\"c\":\"outer\"},\"a\":{\"b\":{}}}", "" },
	{ "{{#a.b}}{{c}}{{/a.b}}", "{\"a\":{\"b\":{\"c\":1}}}", "1" },
	{ "{{#inner}}{{name}}{{/inner}}{{name}}",
	    "{\"name\":\"outer\",\"inner\":{\"name\":\"inner\"}}",
	    "innerouter" },
	{ "{{#o}}[{{x}}]{{/o}}", "{\"x\":\"outer\",\"o\":{\"x\":null}}",
	    "[]" },
	{ "{{#xs}}{{y}}{{/xs}}", "{\"y\":\"Y\",\"xs\":[1,2]}", "YY" },
	{ "{{x.y}}", "{\"x\":\"str\"}", "" },
	{ "{{a-b}}{{c_d}}", "{\"a-b\":1,\"c_d\":2}", "12" },

	/* comments */
	{ "a{{! note }}b{{!\nmulti\nline}}c", "{}", "abc" },

	/* partials: same context, nested, recursive with data */
	{ "<ul>{{#items}}{{>p/item}}{{/items}}</ul>",
	    "{\"items\":[{\"name\":\"<x>\"},{\"name\":\"y\"}]}",
	    "<ul><li>&lt;x&gt;</li><li>y</li></ul>" },
	{ "{{>p/wrap}}", "{\"name\":\"w\"}", "[<li>w</li>]" },
	{ "{{> p/item }}", "{\"name\":\"s\"}", "<li>s</li>" },
	/* leaves need "kids":[] or the outer kids would be found again */
	{ "{{>rec}}",
	    "{\"kids\":[{\"n\":1,\"kids\":[{\"n\":2,\"kids\":[]}]},"
	    "{\"n\":3,\"kids\":[]}]}",
	    "(1(2))(3)" },
};

static const struct {
	const char	*tmpl, *want;
} ecases[] = {
	{ "{{#a}}x", "main:1: unclosed section 'a'" },
	{ "{{#a}}\n{{#b}}\n{{/b}}\n", "main:1: unclosed section 'a'" },
	{ "line1\n{{#a}}\n{{/b}}", "main:3: mismatched close tag 'b' "
	    "(open is 'a' from line 2)" },
	{ "{{/a}}", "main:1: close tag 'a' without open section" },
	{ "x\n\n{{>nope}}", "main:3: unknown partial 'nope'" },
	{ "a {{name", "main:1: unterminated tag" },
	{ "a\nb {{name\n}}", "main:2: unterminated tag" },
	{ "{{{name}}", "main:1: unterminated tag" },
	{ "{{!never closed", "main:1: unterminated tag" },
	{ "{{", "main:1: unterminated tag" },
	{ "{{}}", "main:1: empty name" },
	{ "{{ }}", "main:1: empty name" },
	{ "{{#}}{{/}}", "main:1: empty name" },
	{ "{{>}}", "main:1: empty name" },
	{ "{{{}}}", "main:1: empty name" },
	{ "{{a b}}", "main:1: bad name 'a b'" },
	{ "{{a..b}}", "main:1: bad name 'a..b'" },
	{ "{{a.}}", "main:1: bad name 'a.'" },
	{ "{{#a<b}}{{/a<b}}", "main:1: bad name 'a<b'" },
	{ "{{=<% %>=}}", "main:1: delimiter change not supported" },
	{ "{{! a\nb }}\n{{/x}}", "main:3: close tag 'x' without open section" },
	{ "{{#a}}{{^b}}{{/a}}{{/b}}", "main:1: mismatched close tag 'a' "
	    "(open is 'b' from line 1)" },
};

static struct tmpl_set *
load_with_partials(const char *main_src, char *err, size_t errsz)
{
	const char	*names[countof(pnames) + 1];
	const char	*srcs[countof(psrcs) + 1];
	size_t		 i;

	names[0] = "main";
	srcs[0] = main_src;
	for (i = 0; i < countof(pnames); i++) {
		names[i + 1] = pnames[i];
		srcs[i + 1] = psrcs[i];
	}
	return tmpl_load_strings(names, srcs, countof(names), err, errsz);
}

static void
test_render(void)
{
	struct tmpl_set	*set;
	struct buf	 out;
	json_object	*view;
	char		 err[256], name[64];
	size_t		 i;
	int		 rc;

	buf_init(&out);
	for (i = 0; i < countof(rcases); i++) {
		snprintf(name, sizeof(name), "render #%zu", i);
		err[0] = '\0';
		set = load_with_partials(rcases[i].tmpl, err, sizeof(err));
		T_OK(set != NULL, name);
		if (set == NULL) {
			printf("  compile: %s\n", err);
			continue;
		}
		view = json_tokener_parse(rcases[i].view);
		T_OK(view != NULL, "view parses");
		buf_reset(&out);
		rc = tmpl_render(set, "main", view, &out);
		T_OK(rc == 0, name);
		T_STREQ(buf_cstr(&out), rcases[i].want, name);
		json_object_put(view);
		tmpl_free(set);
	}
	buf_free(&out);
}

/* Every falsy value skips a section and shows the inverted one. */
static void
test_truthiness(void)
{
	static const char *const falsy[] = { "null", "false", "\"\"", "0",
	    "0.0", "[]" };
	static const char *const truthy[] = { "true", "\"0\"", "\" \"", "1",
	    "-1", "0.5", "{}", "[0]", "[false]" };
	static const char *const names[] = { "main" };
	static const char *const srcs[] = { "{{#x}}T{{/x}}{{^x}}F{{/x}}" };
	struct tmpl_set	*set;
	struct buf	 out;
	json_object	*view;
	char		 js[64];
	size_t		 i;

	set = tmpl_load_strings(names, srcs, 1, NULL, 0);
	T_OK(set != NULL, "truthiness compiles");
	if (set == NULL)
		return;
	buf_init(&out);
	for (i = 0; i < countof(falsy); i++) {
		snprintf(js, sizeof(js), "{\"x\":%s}", falsy[i]);
		view = json_tokener_parse(js);
		buf_reset(&out);
		tmpl_render(set, "main", view, &out);
		T_STREQ(buf_cstr(&out), "F", falsy[i]);
		json_object_put(view);
	}
	for (i = 0; i < countof(truthy); i++) {
		snprintf(js, sizeof(js), "{\"x\":%s}", truthy[i]);
		view = json_tokener_parse(js);
		buf_reset(&out);
		tmpl_render(set, "main", view, &out);
		/* arrays repeat per item, so count Ts */
		T_OK(out.len >= 1 && strchr(buf_cstr(&out), 'F') == NULL,
		    truthy[i]);
		json_object_put(view);
	}
	/* a NULL view: everything is absent */
	buf_reset(&out);
	T_OK(tmpl_render(set, "main", NULL, &out) == 0, "NULL view");
	T_STREQ(buf_cstr(&out), "F", "NULL view is falsy");
	buf_free(&out);
	tmpl_free(set);
}

static void
test_errors(void)
{
	struct tmpl_set	*set;
	char		 err[256];
	size_t		 i;

	for (i = 0; i < countof(ecases); i++) {
		strcpy(err, "(none)");
		set = load_with_partials(ecases[i].tmpl, err, sizeof(err));
		T_OK(set == NULL, ecases[i].want);
		T_STREQ(err, ecases[i].want, ecases[i].tmpl);
		tmpl_free(set);
	}

	/* the error names the template it is in */
	{
		static const char *const names[] = { "good", "other" };
		static const char *const srcs[] = { "ok {{>other}}",
		    "fine\n\nbad {{#open}}" };

		set = tmpl_load_strings(names, srcs, 2, err, sizeof(err));
		T_OK(set == NULL, "second template fails");
		T_STREQ(err, "other:3: unclosed section 'open'", "names file");
	}
	{
		static const char *const names[] = { "a", "a" };
		static const char *const srcs[] = { "1", "2" };

		set = tmpl_load_strings(names, srcs, 2, err, sizeof(err));
		T_OK(set == NULL, "duplicate names refused");
		T_STREQ(err, "a: duplicate template name", "duplicate");
	}
}

static void
test_limits(void)
{
	struct tmpl_set	*set;
	struct buf	 out;
	char		 err[256];
	int64_t		 t0;

	buf_init(&out);
	set = load_with_partials("{{>loop}}", err, sizeof(err));
	T_OK(set != NULL, "recursive partial compiles");
	T_OK(tmpl_render(set, "main", NULL, &out) == -1,
	    "runaway recursion fails the render");
	T_OK(out.len <= 17, "runaway recursion stops at depth 16");
	tmpl_free(set);

	/* 4^16 calls if the render did not stop at the first overrun */
	set = load_with_partials("{{>wide}}", err, sizeof(err));
	t0 = now_mono_ms();
	buf_reset(&out);
	T_OK(tmpl_render(set, "main", NULL, &out) == -1, "wide recursion");
	T_OK(now_mono_ms() - t0 < 2000, "wide recursion stops quickly");

	buf_reset(&out);
	T_OK(tmpl_render(set, "nope", NULL, &out) == -1, "unknown template");
	T_OK(out.len == 0, "unknown template writes nothing");
	T_OK(tmpl_has(set, "p/item") && tmpl_has(set, "main") &&
	    !tmpl_has(set, "p") && !tmpl_has(set, NULL), "tmpl_has");
	T_OK(!tmpl_has(NULL, "main"), "tmpl_has NULL set");
	tmpl_free(set);

	/* a capped buffer stops the render without writing past the cap */
	{
		static const char *const names[] = { "main" };
		static const char *const srcs[] = {
		    "{{#xs}}0123456789{{/xs}}" };
		json_object	*view, *xs;
		int		 i;

		set = tmpl_load_strings(names, srcs, 1, err, sizeof(err));
		view = json_object_new_object();
		xs = json_object_new_array();
		for (i = 0; i < 1000; i++)
			json_object_array_add(xs, json_object_new_int(i));
		json_object_object_add(view, "xs", xs);
		buf_free(&out);
		buf_init(&out);
		out.max = 100;
		tmpl_render(set, "main", view, &out);
		T_OK(out.overflow && out.len <= 100, "capped output");
		json_object_put(view);
		tmpl_free(set);
	}
	buf_free(&out);
}

static void
writefile(const char *dir, const char *rel, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static void
test_dir(void)
{
	struct tmpl_set	*set;
	struct buf	 out;
	json_object	*view;
	char		 dir[] = "/tmp/test_tmpl.XXXXXX", sub[600];
	char		 err[1024], want[1024];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(sub, sizeof(sub), "%s/auth", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/auth/deep", dir);
	mkdir(sub, 0700);
	writefile(dir, "layout.html", "<main>{{>auth/deep/field}}</main>\n");
	writefile(dir, "auth/login.html", "{{>layout}}");
	writefile(dir, "auth/deep/field.html", "<input value=\"{{v}}\">");
	writefile(dir, "notes.txt", "{{#broken");
	writefile(dir, ".hidden.html", "{{#broken");

	set = tmpl_load_dir(dir, err, sizeof(err));
	T_OK(set != NULL, "load_dir");
	if (set != NULL) {
		T_OK(tmpl_has(set, "layout") && tmpl_has(set, "auth/login") &&
		    tmpl_has(set, "auth/deep/field"), "names from paths");
		T_OK(!tmpl_has(set, "notes") && !tmpl_has(set, ".hidden") &&
		    !tmpl_has(set, "auth/login.html"), "only *.html");
		buf_init(&out);
		view = json_tokener_parse("{\"v\":\"a\\\"b\"}");
		T_OK(tmpl_render(set, "auth/login", view, &out) == 0,
		    "render from dir");
		T_STREQ(buf_cstr(&out),
		    "<main><input value=\"a&quot;b\"></main>\n", "dir output");
		json_object_put(view);
		buf_free(&out);
		tmpl_free(set);
	} else
		printf("  %s\n", err);

	/* a syntax error in a subdirectory names the file and line */
	writefile(dir, "auth/deep/bad.html", "ok\n{{#x}}\n");
	set = tmpl_load_dir(dir, err, sizeof(err));
	T_OK(set == NULL, "bad file stops loading");
	snprintf(want, sizeof(want), "%s/auth/deep/bad.html:2: "
	    "unclosed section 'x'", dir);
	T_STREQ(err, want, "dir error names file:line");
	tmpl_free(set);

	snprintf(sub, sizeof(sub), "%s/auth/deep/bad.html", dir);
	unlink(sub);
	writefile(dir, "auth/deep/bad.html", "{{>auth/missing}}");
	set = tmpl_load_dir(dir, err, sizeof(err));
	snprintf(want, sizeof(want), "%s/auth/deep/bad.html:1: "
	    "unknown partial 'auth/missing'", dir);
	T_STREQ(err, want, "dir unknown partial");
	tmpl_free(set);

	snprintf(sub, sizeof(sub), "%s/nonexistent", dir);
	T_OK(tmpl_load_dir(sub, err, sizeof(err)) == NULL, "missing dir");

	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	if (system(sub) != 0)
		printf("  could not remove %s\n", dir);
}

int
main(void)
{
	log_open("/dev/null");	/* the runaway cases log errors */
	test_render();
	test_truthiness();
	test_errors();
	test_limits();
	test_dir();
	return t_done();
}
