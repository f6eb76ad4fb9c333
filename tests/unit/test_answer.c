/* test_answer.c — the response types of advancing (policy/answer.c:
 * good and bad input of every type, canonical forms, multi-select order
 * and duplicates, date-time in a zone with daylight saving, number
 * limits, display and JSON forms, stored options) and module completion,
 * review and overdue (policy/advstate.c). */
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/util.h"
#include "policy/advstate.h"
#include "policy/answer.h"
#include "t.h"

static struct arena	 a;

static const struct rt_option colours[] = {
	{ "o1", "Red", 0 }, { "o2", "Green", 0 }, { "o3", "Blue", 0 },
	{ "o4", "Mauve", 1 },
};

static struct rt_spec
spec(enum rtype t)
{
	struct rt_spec	 s;

	memset(&s, 0, sizeof(s));
	s.type = t;
	s.zone = "Europe/Amsterdam";
	if (rtype_has_options(t)) {
		s.opts = colours;
		s.nopts = sizeof(colours) / sizeof(colours[0]);
	}
	return s;
}

/* The canonical value of raw, or "ERR: message" / "(null)" (a clear). */
static const char *
check(const struct rt_spec *s, const char *raw)
{
	char		*canon = NULL;
	const char	*msg = answer_check(&a, s, raw, NULL, 0, &canon);

	if (msg != NULL)
		return arena_printf(&a, "ERR: %s", msg);
	return canon != NULL ? canon : "(null)";
}

static int
bad(const struct rt_spec *s, const char *raw)
{
	return strncmp(check(s, raw), "ERR: ", 5) == 0;
}

/* Raw input and its canonical value (NULL: refused), named by what the
 * case shows; cases() checks each against a spec. */
struct ccase {
	const char	*raw;
	const char	*want;
	const char	*what;
};

static void
cases(const struct rt_spec *s, const struct ccase *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (c[i].want == NULL)
			T_OK(bad(s, c[i].raw), c[i].what);
		else
			T_STREQ(check(s, c[i].raw), c[i].want, c[i].what);
	}
}

static const char *
many(size_t n, const char *unit)
{
	char	*s = arena_alloc(&a, n * strlen(unit) + 1);
	size_t	 i;

	*s = '\0';
	for (i = 0; i < n; i++)
		strcat(s, unit);
	return s;
}

static void
test_types(void)
{
	enum rtype	 t;
	json_object	*c;
	int		 i, selected = 0;

	for (i = 0; i < RT__MAX; i++) {
		T_OK(rtype_parse(rtype_name((enum rtype)i), &t) == 0 &&
		    t == (enum rtype)i, "every type name parses back");
		T_OK(rtype_label((enum rtype)i)[0] != '\0', "every type has "
		    "a label");
	}
	T_OK(rtype_parse("colour", &t) == -1 && rtype_parse(NULL, &t) == -1,
	    "unknown type names are refused");
	T_OK(rtype_parse("Text", &t) == -1, "type names are lower case");
	T_STREQ(rtype_name(RT_LONGTEXT), "longtext", "long text's name");
	T_STREQ(rtype_name(RT_MULTISELECT), "multiselect", "multi's name");
	T_OK(rtype_has_options(RT_SELECT) && rtype_has_options(RT_MULTISELECT)
	    && !rtype_has_options(RT_TEXT) && !rtype_has_options(RT_FILE),
	    "only select types have options");
	c = rtype_choices(RT_DATE);
	T_OK(json_object_array_length(c) == RT__MAX, "a choice per type");
	for (i = 0; i < RT__MAX; i++)
		if (json_object_get_boolean(json_object_object_get(
		    json_object_array_get_idx(c, (size_t)i), "selected")))
			selected = selected * 10 + i + 1;
	T_OK(selected == RT_DATE + 1, "exactly the given type is selected");
	json_object_put(c);
}

static const struct ccase text_s[] = {
	{ "  Stage left  ", "Stage left", "single-line text is trimmed" },
	{ "Stage\tleft", NULL, "a tab in single-line text" },
	{ "", "(null)", "empty text clears the answer" },
};

static const struct ccase text_s_2[] = {
	{ "one\ntwo", NULL, "a line break in single-line text" },
	{ "bell\a", NULL, "a control character" },
	{ "\xc3\x28", NULL, "invalid UTF-8" },
};

static void
test_text(void)
{
	struct rt_spec	 s = spec(RT_TEXT), l = spec(RT_LONGTEXT);

	cases(&s, text_s, countof(text_s));
	T_STREQ(check(&s, NULL), "(null)", "no text clears the answer");
	T_STREQ(check(&s, "   "), "(null)", "blank text clears the answer");
	T_STREQ(check(&s, many(500, "é")), many(500, "é"),
	    "500 code points (1,000 bytes) fit");
	T_OK(bad(&s, many(501, "a")), "501 characters are too many");
	cases(&s, text_s_2, countof(text_s_2));
	T_STREQ(check(&l, "  line one\n\tline two  \n"),
	    "  line one\n\tline two  \n", "long text keeps its spacing");
	T_STREQ(check(&l, many(20000, "x")), many(20000, "x"),
	    "20,000 characters of long text fit");
	T_OK(bad(&l, many(20001, "x")), "20,001 characters are too many");
	T_OK(bad(&l, "esc\x1b"), "control characters in long text");
}

static const struct ccase number_s[] = {
	{ "12", "12", "a whole number" },
	{ "012.50", "12.5", "leading and trailing zeros go" },
	{ "+3", "3", "a plus sign goes" },
	{ "-4.25", "-4.25", "a negative decimal" },
	{ "-0", "0", "minus zero is zero" },
	{ "-0.000", "0", "minus zero with a fraction" },
	{ ".5", "0.5", "a fraction without an integer" },
	{ "5.", "5", "a trailing point" },
	{ " 7 ", "7", "spaces around are trimmed" },
	{ "123456789012345", "123456789012345", "15 significant digits" },
	{ "0.000123456789012345", "0.000123456789012345",
	    "leading zeros of a fraction are not significant" },
	{ "1234567890.12345", "1234567890.12345",
	    "15 digits across the point" },
	{ "1234567890123456", NULL, "16 significant digits" },
	{ "12345678901234.56", NULL, "16 digits across the point" },
	{ "1e5", NULL, "no exponents" },
	{ "12a", NULL, "letters in a number" },
	{ "1,5", NULL, "a decimal comma" },
	{ ".", NULL, "a point alone" },
	{ "-", NULL, "a sign alone" },
	{ "1 000", NULL, "a space inside" },
	{ "0x10", NULL, "hexadecimal" },
	{ "", "(null)", "an empty number clears" },
};

static const struct ccase number_lim_2[] = {
	{ "1", "1", "the minimum itself" },
	{ "64.0", "64", "the maximum itself" },
	{ "0", "ERR: Enter 1 or more.", "below the minimum" },
	{ "65", "ERR: Enter 64 or less.", "above the maximum" },
	{ "2.5", "ERR: Enter a whole number.",
	    "a fraction where whole numbers are asked for" },
};

static const struct ccase number_lim_3[] = {
	{ "-2.5", "-2.5", "a fractional minimum" },
	{ "-2.51", NULL, "just below a fractional minimum" },
	{ "999999999999999", "999999999999999", "no maximum" },
};

static void
test_number(void)
{
	struct rt_spec	 s = spec(RT_NUMBER), lim = spec(RT_NUMBER);
	char		*canon;

	cases(&s, number_s, countof(number_s));
	lim.num_min = "1";
	lim.num_max = "64";
	lim.num_whole = 1;
	cases(&lim, number_lim_2, countof(number_lim_2));
	lim.num_whole = 0;
	lim.num_min = "-2.5";
	lim.num_max = NULL;
	cases(&lim, number_lim_3, countof(number_lim_3));
	T_OK(rt_number_check(&a, "007.10", &canon) == NULL &&
	    strcmp(canon, "7.1") == 0, "a template bound in canonical form");
	T_OK(rt_number_check(&a, "seven", &canon) != NULL && canon == NULL,
	    "a bound that is not a number");
}

static const struct ccase date_s[] = {
	{ "2027-07-10", "2027-07-10", "a date" },
	{ "2028-02-29", "2028-02-29", "a leap day" },
	{ "2027-02-29", NULL, "no 29 February in 2027" },
	{ "2027-13-01", NULL, "month 13" },
	{ "2027-7-10", NULL, "a one-digit month" },
	{ "10/07/2027", NULL, "another date format" },
	{ "2027-07-10T10:00", NULL, "a date-time for a date" },
	{ "", "(null)", "an empty date clears" },
};

static void
test_date(void)
{
	struct rt_spec	 s = spec(RT_DATE);

	cases(&s, date_s, countof(date_s));
}

static const struct ccase datetime_s[] = {
	{ "2027-07-01T12:00", "2027-07-01 10:00:00",
	    "summer time is two hours ahead of UTC" },
	{ "2027-01-15T12:00", "2027-01-15 11:00:00",
	    "winter time is one hour ahead" },
	{ "2027-01-15T12:00:30", "2027-01-15 11:00:30", "seconds are kept" },
	{ "2027-01-15 12:00", "2027-01-15 11:00:00", "a space instead of T" },
	{ "2027-01-01T00:30", "2026-12-31 23:30:00",
	    "local midnight falls on the day before in UTC" },
};

static const struct ccase datetime_s_2[] = {
	{ "2027-03-28T03:00", "2027-03-28 01:00:00",
	    "03:00 right after the gap is summer time" },
	{ "2027-10-31T02:30", "2027-10-31 00:30:00",
	    "02:30 on the fall-back night (twice) is the earlier one" },
	{ "2027-07-01T12:00Z", "2027-07-01 12:00:00", "an instant in UTC" },
	{ "2027-07-01T12:00:00+05:30", "2027-07-01 06:30:00",
	    "an instant with an offset" },
	{ "2027-07-01T01:00-03:00", "2027-07-01 04:00:00",
	    "a negative offset" },
	{ "2027-07-01", NULL, "a date without a time" },
	{ "2027-07-01T24:00", NULL, "hour 24" },
	{ "2027-07-01T12:60", NULL, "minute 60" },
	{ "2027-07-01T12:00:61", NULL, "second 61" },
	{ "2027-07-01T1:00", NULL, "a one-digit hour" },
	{ "2027-07-01T+1:00", NULL, "a signed hour" },
	{ "2027-07-01T 1:00", NULL, "a space for a digit" },
	{ "2027-07-01T12:00+2", NULL, "a short offset" },
	{ "2027-07-01T12:00 CEST", NULL, "a zone abbreviation" },
	{ "2027-02-30T12:00", NULL, "30 February" },
};

static void
test_datetime(void)
{
	struct rt_spec	 s = spec(RT_DATETIME), utc = spec(RT_DATETIME);
	json_object	*j;

	/* Europe/Amsterdam: CET (+1) in winter, CEST (+2) in summer. */
	cases(&s, datetime_s, countof(datetime_s));
	T_OK(strstr(check(&s, "2027-03-28T02:30"), "does not exist") != NULL,
	    "02:30 on the spring-forward night is refused as skipped");
	cases(&s, datetime_s_2, countof(datetime_s_2));
	utc.zone = NULL;
	T_OK(bad(&utc, "2027-07-01T12:00"), "a local time needs the zone");
	T_STREQ(check(&utc, "2027-07-01T12:00Z"), "2027-07-01 12:00:00",
	    "an instant needs none");
	T_STREQ(answer_display(&a, &s, "2027-07-01 10:00:00"),
	    "2027-07-01 12:00 CEST", "shown in event time with CEST");
	T_STREQ(answer_display(&a, &s, "2027-01-15 11:00:00"),
	    "2027-01-15 12:00 CET", "shown in event time with CET");
	T_STREQ(answer_form_value(&a, &s, "2027-07-01 10:00:00"),
	    "2027-07-01T12:00", "the form shows event time");
	j = answer_json(&s, "2027-07-01 10:00:00");
	T_STREQ(json_object_get_string(j), "2027-07-01T10:00:00Z",
	    "JSON gives RFC 3339 UTC");
	json_object_put(j);
}

static void
test_checkbox(void)
{
	struct rt_spec	 s = spec(RT_CHECKBOX);
	const char	*yes[] = { "true", "1", "on", "yes" };
	const char	*no[] = { "false", "0", "off", "no", "" };
	size_t		 i;
	json_object	*j;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		T_STREQ(check(&s, yes[i]), "true", "a ticked box");
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		T_STREQ(check(&s, no[i]), "false",
		    "an unticked box is answered once saved");
	T_OK(bad(&s, "maybe"), "neither yes nor no");
	T_STREQ(answer_display(&a, &s, "true"), "Yes", "shown as Yes");
	T_STREQ(answer_display(&a, &s, "false"), "No", "shown as No");
	j = answer_json(&s, "true");
	T_OK(json_object_is_type(j, json_type_boolean) &&
	    json_object_get_boolean(j), "JSON gives a boolean");
	json_object_put(j);
}

static const char *
multi(const struct rt_spec *s, const char *const *vals, size_t n)
{
	char		*canon = NULL;
	const char	*msg = answer_check(&a, s, NULL, vals, n, &canon);

	if (msg != NULL)
		return arena_printf(&a, "ERR: %s", msg);
	return canon != NULL ? canon : "(null)";
}

static const struct ccase select_s[] = {
	{ "o2", "o2", "an offered option" },
	{ " o2 ", "o2", "an option key is trimmed" },
	{ "o9", NULL, "an option not offered" },
	{ "Red", NULL, "a label is not a key" },
	{ "o4", NULL, "a retired option is not offered" },
	{ "", "(null)", "no choice clears" },
};

static void
test_select(void)
{
	struct rt_spec	 s = spec(RT_SELECT), m = spec(RT_MULTISELECT);
	const char	*v1[] = { "o3", "o1" };
	const char	*v2[] = { "o2", "o2" };
	const char	*v3[] = { "o1", "o9" };
	const char	*v4[] = { "", "o2", "" };
	const char	*v5[] = { "", "" };
	const char	*v6[] = { "o4" };
	json_object	*j;

	cases(&s, select_s, countof(select_s));
	T_STREQ(answer_display(&a, &s, "o3"), "Blue", "shown by label");
	T_STREQ(answer_display(&a, &s, "o4"), "Mauve",
	    "a retired option still shows its label");
	T_OK(rt_option_known(&s, "o4", 1) && !rt_option_known(&s, "o4", 0),
	    "retired options are known only when asked for any state");
	T_STREQ(multi(&m, v1, 2), "o1,o3", "keys are stored in option order");
	T_STREQ(check(&m, "o3,o2,o1"), "o1,o2,o3",
	    "a comma-separated list in option order");
	T_STREQ(check(&m, "o2,,o1,"), "o1,o2", "empty keys are skipped");
	T_OK(strstr(multi(&m, v2, 2), "once") != NULL,
	    "an option chosen twice");
	T_OK(strstr(check(&m, "o1,o1"), "once") != NULL,
	    "a listed option twice");
	T_OK(strstr(multi(&m, v3, 2), "o9") != NULL,
	    "an option not offered is named");
	T_OK(bad(&m, "o4"), "a retired option can't be chosen");
	T_STREQ(multi(&m, v4, 3), "o2", "empty form values are skipped");
	T_STREQ(multi(&m, v5, 2), "(null)", "no option chosen clears");
	T_STREQ(multi(&m, v6, 1), "ERR: “o4” is not one of the options.",
	    "the retired key is named");
	T_STREQ(answer_display(&a, &m, "o1,o3"), "Red, Blue",
	    "shown as labels");
	j = answer_json(&m, "o1,o3");
	T_OK(json_object_array_length(j) == 2 && strcmp(
	    json_object_get_string(json_object_array_get_idx(j, 1)), "o3") ==
	    0, "JSON gives an array of keys");
	json_object_put(j);
}

static const struct ccase contact_e[] = {
	{ " kim@example.com ", "kim@example.com", "an email" },
	{ "kim@example", NULL, "an email without a dot in the domain" },
	{ "kim example@x.com", NULL, "an email with a space" },
};

static const struct ccase contact_p_2[] = {
	{ "+31 (0)20-123.4567", "+31 (0)20-123.4567",
	    "a phone number as written" },
	{ "12", NULL, "a phone number needs 3 digits" },
	{ "call me", NULL, "letters in a phone number" },
};

static const struct ccase contact_u_3[] = {
	{ "https://example.com/rider.pdf", "https://example.com/rider.pdf",
	    "a web address" },
	{ "ftp://example.com", NULL, "not http(s)" },
	{ "javascript:alert(1)", NULL, "a script address" },
	{ "https:///path", NULL, "no host" },
};

static void
test_contact(void)
{
	struct rt_spec	 e = spec(RT_EMAIL), p = spec(RT_PHONE);
	struct rt_spec	 u = spec(RT_URL), f = spec(RT_FILE);
	struct rt_spec	 n = spec(RT_NUMBER);
	char		 local[300];
	json_object	*j;

	cases(&e, contact_e, countof(contact_e));
	memset(local, 'a', 60);
	strcpy(local + 60, "@");
	memset(local + 61, 'b', 189);
	strcpy(local + 250, ".com");
	T_STREQ(check(&e, local), local, "an email of 254 characters");
	T_OK(bad(&e, arena_printf(&a, "x%s", local)),
	    "an email of 255 characters");
	cases(&p, contact_p_2, countof(contact_p_2));
	T_OK(bad(&p, many(41, "1")), "41 characters of phone number");
	cases(&u, contact_u_3, countof(contact_u_3));
	T_OK(bad(&u, arena_printf(&a, "https://x.com/%s", many(1990, "a"))),
	    "more than 2,000 bytes");
	T_STREQ(check(&f, "12,13"), "12,13", "file ids pass to the caller");
	j = answer_json(&f, "12,13");
	T_OK(json_object_array_length(j) == 2, "files as an array");
	json_object_put(j);
	j = answer_json(&n, "12.5");
	T_OK(json_object_is_type(j, json_type_double) && strcmp(
	    json_object_to_json_string(j), "12.5") == 0,
	    "a number in JSON keeps its canonical digits");
	json_object_put(j);
	T_OK(answer_json(&n, NULL) == NULL && answer_display(&a, &n, NULL) ==
	    NULL, "no answer, no value");
}

static void
test_options(void)
{
	struct rt_option *o;
	size_t		 n;
	char		*text;

	text = rt_options_text(&a, colours, 4);
	T_STREQ(text, "[{\"key\":\"o1\",\"label\":\"Red\",\"retired\":false},"
	    "{\"key\":\"o2\",\"label\":\"Green\",\"retired\":false},"
	    "{\"key\":\"o3\",\"label\":\"Blue\",\"retired\":false},"
	    "{\"key\":\"o4\",\"label\":\"Mauve\",\"retired\":true}]",
	    "options as stored");
	o = rt_options_parse(&a, text, &n);
	T_OK(n == 4 && strcmp(o[3].key, "o4") == 0 && o[3].retired &&
	    !o[0].retired && strcmp(o[1].label, "Green") == 0,
	    "options read back");
	o = rt_options_parse(&a, "[{\"key\":\"a\",\"label\":\"A\"},"
	    "{\"label\":\"no key\"},{\"key\":\"c\",\"label\":\"C\"}]", &n);
	T_OK(n == 2 && strcmp(o[1].key, "c") == 0 && !o[0].retired,
	    "entries without a key are skipped; retired defaults to no");
	T_OK(rt_options_parse(&a, "not json", &n) == NULL && n == 0,
	    "unreadable options are none");
	T_OK(rt_options_parse(&a, "[]", &n) == NULL && n == 0, "no options");
	T_OK(rt_options_parse(&a, NULL, &n) == NULL && n == 0, "NULL options");
	T_OK(rt_options_parse(&a, "{\"key\":\"a\"}", &n) == NULL && n == 0,
	    "an object is not a list");
}

static void
test_advstate(void)
{
	struct adv_item_state none[2], some[3], all[3], items[1];
	size_t		 ans, tot;

	memset(none, 0, sizeof(none));
	none[0].question = none[0].required = 1;
	none[1].question = 1;
	T_OK(adv_module_completion(none, 2, 0, 0) == AC_NOT_STARTED,
	    "no input: not started");
	T_OK(adv_module_completion(NULL, 0, 0, 0) == AC_NOT_STARTED,
	    "nothing to answer: not started");
	T_OK(adv_module_completion(none, 2, 1, 0) == AC_NOT_STARTED,
	    "no input with submission pending: not started");
	T_OK(adv_module_completion(none, 2, 1, 1) == AC_COMPLETE,
	    "a submitted module is complete");
	memcpy(some, none, sizeof(none));
	memset(&some[2], 0, sizeof(some[2]));
	some[1].answered = 1;
	T_OK(adv_module_completion(some, 3, 0, 0) == AC_IN_PROGRESS,
	    "an optional answer with a required one missing: in progress");
	memcpy(all, some, sizeof(some));
	all[0].answered = 1;
	T_OK(adv_module_completion(all, 3, 0, 0) == AC_COMPLETE,
	    "every required question answered: complete");
	T_OK(adv_module_completion(all, 3, 1, 0) == AC_IN_PROGRESS,
	    "answered but not submitted: in progress");
	T_OK(adv_module_completion(all, 3, 1, 1) == AC_COMPLETE,
	    "answered and submitted: complete");
	all[1].answered = 0;
	T_OK(adv_module_completion(all, 3, 0, 0) == AC_COMPLETE,
	    "an optional question unanswered does not hold it up");
	memset(items, 0, sizeof(items));
	items[0].answered = 1;
	T_OK(adv_module_completion(items, 1, 0, 0) == AC_COMPLETE,
	    "a request with items is input, and requests are never "
	    "required");
	T_OK(!adv_module_needs_review(all, 3), "nothing needs review");
	all[2].needs_review = 1;
	T_OK(adv_module_needs_review(all, 3), "one item needing review is "
	    "enough");
	adv_progress(some, 3, &ans, &tot);
	T_OK(ans == 0 && tot == 1, "progress counts required questions");
	adv_progress(all, 3, &ans, &tot);
	T_OK(ans == 1 && tot == 1, "progress: one of one");
	adv_progress(items, 1, &ans, &tot);
	T_OK(ans == 0 && tot == 0, "request blocks are not in progress");
	T_OK(!adv_overdue(AC_IN_PROGRESS, "2027-07-01", "2027-07-01"),
	    "not overdue on its due date");
	T_OK(adv_overdue(AC_IN_PROGRESS, "2027-07-01", "2027-07-02"),
	    "overdue the day after");
	T_OK(adv_overdue(AC_NOT_STARTED, "2026-12-31", "2027-01-01"),
	    "not started counts, across a year end");
	T_OK(!adv_overdue(AC_COMPLETE, "2027-07-01", "2027-08-01"),
	    "a complete module is never overdue");
	T_OK(!adv_overdue(AC_IN_PROGRESS, NULL, "2027-08-01"),
	    "without a due date, never overdue");
	T_STREQ(adv_completion_name(AC_IN_PROGRESS), "in_progress",
	    "completion names");
	T_STREQ(adv_completion_label(AC_NOT_STARTED), "Not started",
	    "completion labels");
	T_STREQ(adv_completion_name(AC_COMPLETE), "complete",
	    "complete's name");
}

int
main(void)
{
	arena_init(&a);
	test_types();
	test_text();
	test_number();
	test_date();
	test_datetime();
	test_checkbox();
	test_select();
	test_contact();
	test_options();
	test_advstate();
	arena_free(&a);
	return t_done();
}
