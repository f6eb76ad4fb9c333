/* test_valid.c — declared inputs: types, lengths, required, duplicates,
 * multi-valued fields, and the email and time-zone checks. */
#include <string.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "t.h"

static const struct field fields[] = {
	{ "name", V_TEXT, F_REQUIRED, 1, 5, "Name" },
	{ "email", V_EMAIL, 0, 0, 0, "Email" },
	{ "n", V_INT, 0, 1, 10, "Number" },
	{ "flag", V_BOOL, 0, 0, 0, "Flag" },
	{ "tz", V_TZ, 0, 0, 0, "Zone" },
	{ "day", V_DATE, 0, 0, 0, "Day" },
	{ "tag", V_TEXT, F_MULTI, 0, 10, "Tag" },
	{ "pw", V_SECRET, 0, 0, 0, "Password" },
	{ "tok", V_TOKEN, 0, 0, 0, "Token" },
	{ "notes", V_LONGTEXT, 0, 0, 0, "Notes" },
};

static const struct route rt = { M_POST, "/x", NULL, PERM_PUBLIC, 0,
    fields, sizeof(fields) / sizeof(fields[0]), 0 };

/* Validate a query string; returns the status and leaves r filled. */
static int
run(struct arena *a, struct req *r, const char *q)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->route = &rt;
	params_init(a, &r->params);
	if (parse_urlencoded(a, q, strlen(q), SRC_BODY, &r->params) != P_OK)
		return -1;
	return valid_inputs(r);
}

static int
has_error(const struct req *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	static struct conf	 c;
	struct arena		 a;
	struct req		 r;
	char			 err[256];

	conf_load(&c, NULL, err, sizeof(err));
	cfg = &c;
	log_set_level(LOG_WARN);
	arena_init(&a);

	T_OK(run(&a, &r, "name=%20Kim%20&n=7&flag=on&tz=Europe/Berlin"
	    "&day=2024-02-29&tag=a&tag=b&pw=%20secret%20") == 0, "good form");
	T_OK(r.nerrors == 0, "no errors on a good form");
	T_STREQ(r.in[0].s, "Kim", "single-line text is trimmed");
	T_OK(r.in[2].i == 7, "integer parsed");
	T_OK(r.in[3].i == 1, "bool on");
	T_OK(r.in[6].nmulti == 2 && strcmp(r.in[6].multi[1], "b") == 0,
	    "multi-valued field keeps every value");
	T_STREQ(r.in[7].s, " secret ", "secrets are not trimmed");

	T_OK(run(&a, &r, "n=3") == 0 && has_error(&r, "name"),
	    "missing required field is an error");
	T_OK(run(&a, &r, "name=%20%20") == 0 && has_error(&r, "name"),
	    "blank required field is an error");
	T_OK(run(&a, &r, "name=abcdef") == 0 && has_error(&r, "name"),
	    "too long (code points)");
	T_OK(run(&a, &r, "name=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9") == 0 &&
	    !has_error(&r, "name"), "length counts code points, not bytes");
	T_OK(run(&a, &r, "name=a&name=b") == 400, "duplicate single field");
	T_OK(run(&a, &r, "name=a&other=1&other=2") == 0 && r.nerrors == 0,
	    "undeclared duplicates are ignored");
	T_OK(run(&a, &r, "name=a&n=11") == 0 && has_error(&r, "n"),
	    "integer out of range");
	T_OK(run(&a, &r, "name=a&n=3x") == 0 && has_error(&r, "n"),
	    "integer with letters");
	T_OK(run(&a, &r, "name=a&flag=maybe") == 0 && has_error(&r, "flag"),
	    "bad boolean");
	T_OK(run(&a, &r, "name=a&tz=Mars/Base") == 0 && has_error(&r, "tz"),
	    "unknown zone");
	T_OK(run(&a, &r, "name=a&tz=../../etc/passwd") == 0 &&
	    has_error(&r, "tz"), "zone path trick");
	T_OK(run(&a, &r, "name=a&day=2023-02-29") == 0 &&
	    has_error(&r, "day"), "no 29 February in 2023");
	T_OK(run(&a, &r, "name=a&day=2024-13-01") == 0 &&
	    has_error(&r, "day"), "month 13");
	T_OK(run(&a, &r, "name=a&email=a%40b") == 0 &&
	    has_error(&r, "email"), "email without a dot in the domain");
	T_OK(run(&a, &r, "name=a&tok=abc%2Fdef") == 0 &&
	    has_error(&r, "tok"), "token with a slash");
	T_OK(run(&a, &r, "name=a%09b") == 0 && has_error(&r, "name"),
	    "tab in a single-line field");
	T_OK(run(&a, &r, "name=a&notes=line%0Aline%09tab") == 0 &&
	    !has_error(&r, "notes"), "long text keeps newlines and tabs");
	T_OK(run(&a, &r, "name=a&notes=bell%07") == 0 &&
	    has_error(&r, "notes"), "control character in long text");

	T_OK(valid_email("kim@example.com"), "plain email");
	T_OK(valid_email("kim+tag@sub.example.co"), "plus and subdomain");
	T_OK(!valid_email("kim@@example.com"), "two @");
	T_OK(!valid_email("kim example@x.com"), "space");
	T_OK(!valid_email("@example.com"), "empty local part");
	T_OK(!valid_email("kim@.example.com"), "domain starts with a dot");
	T_OK(!valid_email("kim@example..com"), "empty label");
	T_OK(!valid_email("k<im@example.com"), "angle bracket");
	T_OK(valid_tz("UTC") && valid_tz("America/Argentina/Buenos_Aires"),
	    "known zones");
	T_OK(!valid_tz("") && !valid_tz("/etc/passwd") && !valid_tz("Europe"),
	    "directory or path is not a zone");

	arena_free(&a);
	conf_free(&c);
	return t_done();
}
