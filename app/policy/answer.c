/* answer.c — response types: check, canonical form, display. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "core/arena.h"
#include "core/parse.h"
#include "core/valid.h"
#include "policy/tz.h"

static const struct {
	const char	*name;
	const char	*label;
} types[RT__MAX] = {
	[RT_TEXT] = { "text", "Text" },
	[RT_LONGTEXT] = { "longtext", "Long text" },
	[RT_NUMBER] = { "number", "Number" },
	[RT_DATE] = { "date", "Date" },
	[RT_DATETIME] = { "datetime", "Date and time" },
	[RT_CHECKBOX] = { "checkbox", "Checkbox" },
	[RT_SELECT] = { "select", "Select (one option)" },
	[RT_MULTISELECT] = { "multiselect", "Multi-select" },
	[RT_EMAIL] = { "email", "Email" },
	[RT_PHONE] = { "phone", "Phone" },
	[RT_URL] = { "url", "URL" },
	[RT_FILE] = { "file", "File" },
};

const char *
rtype_name(enum rtype t)
{
	return (unsigned)t < RT__MAX ? types[t].name : "text";
}

const char *
rtype_label(enum rtype t)
{
	return (unsigned)t < RT__MAX ? types[t].label : "Text";
}

int
rtype_parse(const char *s, enum rtype *t)
{
	int	 i;

	for (i = 0; s != NULL && i < RT__MAX; i++)
		if (strcmp(s, types[i].name) == 0) {
			*t = (enum rtype)i;
			return 0;
		}
	return -1;
}

int
rtype_has_options(enum rtype t)
{
	return t == RT_SELECT || t == RT_MULTISELECT;
}

json_object *
rtype_choices(enum rtype selected)
{
	json_object	*arr = json_object_new_array(), *o;
	int		 i;

	for (i = 0; i < RT__MAX; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "value",
		    json_object_new_string(types[i].name));
		json_object_object_add(o, "label",
		    json_object_new_string(types[i].label));
		json_object_object_add(o, "selected",
		    json_object_new_boolean(i == (int)selected));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Digits of a decimal: optional sign, digits, optional fraction. The
 * canonical form drops a '+', leading zeros and trailing fraction
 * zeros; "-0" is "0". NULL when s is not a plain decimal or has more
 * than 15 significant digits. */
static char *
decimal_canon(struct arena *a, const char *s)
{
	const char	*p = s, *ip, *fp = NULL;
	size_t		 ilen = 0, flen = 0, sig = 0, i;
	int		 neg = 0, seen = 0;
	char		*out, *o;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	ip = p;
	while (*p >= '0' && *p <= '9')
		p++, ilen++;
	if (*p == '.') {
		fp = ++p;
		while (*p >= '0' && *p <= '9')
			p++, flen++;
	}
	if (*p != '\0' || (ilen == 0 && flen == 0))
		return NULL;
	while (ilen > 0 && *ip == '0')
		ip++, ilen--;
	while (flen > 0 && fp[flen - 1] == '0')
		flen--;
	/* Significant digits: from the first non-zero digit on. */
	for (i = 0; i < ilen; i++)
		seen = 1, sig++;
	for (i = 0; i < flen; i++) {
		if (fp[i] != '0')
			seen = 1;
		if (seen)
			sig++;
	}
	if (sig > 15)
		return NULL;
	o = out = arena_alloc(a, ilen + flen + 4);
	if (neg && (ilen > 0 || flen > 0))
		*o++ = '-';
	if (ilen == 0)
		*o++ = '0';
	else
		memcpy(o, ip, ilen), o += ilen;
	if (flen > 0) {
		*o++ = '.';
		memcpy(o, fp, flen), o += flen;
	}
	*o = '\0';
	return out;
}

const char *
rt_number_check(struct arena *a, const char *raw, char **canon)
{
	*canon = decimal_canon(a, raw);
	return *canon == NULL ? "Enter a number such as 12 or 4.5 (at most "
	    "15 digits)." : NULL;
}

static const char *
check_number(struct arena *a, const struct rt_spec *sp, const char *raw,
    char **canon)
{
	double	 v;

	if ((*canon = decimal_canon(a, raw)) == NULL)
		return "Enter a number such as 12 or 4.5 (at most 15 digits).";
	if (sp->num_whole && strchr(*canon, '.') != NULL)
		return "Enter a whole number.";
	v = strtod(*canon, NULL);
	if (sp->num_min != NULL && v < strtod(sp->num_min, NULL))
		return arena_printf(a, "Enter %s or more.", sp->num_min);
	if (sp->num_max != NULL && v > strtod(sp->num_max, NULL))
		return arena_printf(a, "Enter %s or less.", sp->num_max);
	return NULL;
}

/* Two digits at s: their value, or -1 (sscanf's %2d would also take a
 * sign or a leading space). */
static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DDTHH:MM[:SS]" followed by nothing, "Z" or "±HH:MM". The
 * result: the UTC instant, via the zone when no offset was given. */
static const char *
check_datetime(struct arena *a, const struct rt_spec *sp, const char *raw,
    char **canon)
{
	char		 date[11];
	int		 hh, mm, ss = 0, oh, om, sign;
	int64_t		 days, lsec, utc;
	time_t		 t;
	struct tm	 tm;
	const char	*rest;

	if (strlen(raw) < 16 || (raw[10] != 'T' && raw[10] != ' '))
		goto bad;
	memcpy(date, raw, 10);
	date[10] = '\0';
	if (tz_parse_date(date, &days) != 0)
		goto bad;
	if ((hh = two_digits(raw + 11)) < 0 || raw[13] != ':' ||
	    (mm = two_digits(raw + 14)) < 0)
		goto bad;
	rest = raw + 16;
	if (*rest == ':') {
		if ((ss = two_digits(rest + 1)) < 0)
			goto bad;
		rest += 3;
	}
	if (hh > 23 || mm > 59 || ss > 59)
		goto bad;
	lsec = days * 86400 + hh * 3600 + mm * 60 + ss;
	if (*rest == '\0') {
		if (sp->zone == NULL)
			goto bad;
		switch (tz_local_to_utc(sp->zone, lsec, &utc)) {
		case TZ_OK:
			break;
		case TZ_GAP:
			return "That time does not exist in the event's time "
			    "zone (the clocks skip it); pick another.";
		default:
			goto bad;
		}
	} else if (strcmp(rest, "Z") == 0) {
		utc = lsec;
	} else {
		if (strlen(rest) != 6 || (rest[0] != '+' && rest[0] != '-') ||
		    (oh = two_digits(rest + 1)) < 0 || rest[3] != ':' ||
		    (om = two_digits(rest + 4)) < 0 || oh > 23 || om > 59)
			goto bad;
		sign = rest[0] == '+' ? 1 : -1;
		utc = lsec - sign * (oh * 3600 + om * 60);
	}
	t = (time_t)utc;
	if (gmtime_r(&t, &tm) == NULL)
		goto bad;
	*canon = arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return NULL;
bad:
	return "Enter a date and time such as 2026-07-14T18:30.";
}

int
rt_option_known(const struct rt_spec *sp, const char *key, int any_state)
{
	size_t	 i;

	for (i = 0; i < sp->nopts; i++)
		if (strcmp(sp->opts[i].key, key) == 0)
			return any_state || !sp->opts[i].retired;
	return 0;
}

/* Multi-select: each key offered, none twice; stored in option order. */
static const char *
check_multi(struct arena *a, const struct rt_spec *sp, const char *raw,
    const char *const *vals, size_t nvals, char **canon)
{
	const char	**keys;
	size_t		 nkeys = 0, i, j, cap;
	char		*copy, *tok, *save = NULL;
	char		*out;
	size_t		 len = 0;

	cap = nvals > 0 ? nvals : strlen(raw) + 1;
	keys = arena_calloc(a, cap, sizeof(*keys));
	if (nvals > 0) {
		for (i = 0; i < nvals; i++)
			if (vals[i] != NULL && *vals[i] != '\0')
				keys[nkeys++] = vals[i];
	} else {
		copy = arena_strdup(a, raw);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			if (*tok != '\0')
				keys[nkeys++] = tok;
	}
	if (nkeys == 0) {
		*canon = NULL;
		return NULL;
	}
	for (i = 0; i < nkeys; i++) {
		if (!rt_option_known(sp, keys[i], 0))
			return arena_printf(a, "“%s” is not one of the options.",
			    keys[i]);
		for (j = 0; j < i; j++)
			if (strcmp(keys[i], keys[j]) == 0)
				return "Each option can be chosen once.";
	}
	for (i = 0; i < sp->nopts; i++)
		len += strlen(sp->opts[i].key) + 1;
	out = arena_alloc(a, len + 1);
	*out = '\0';
	for (i = 0; i < sp->nopts; i++)
		for (j = 0; j < nkeys; j++)
			if (strcmp(sp->opts[i].key, keys[j]) == 0) {
				if (*out != '\0')
					strcat(out, ",");
				strcat(out, keys[j]);
			}
	*canon = out;
	return NULL;
}

const char *
answer_check(struct arena *a, const struct rt_spec *sp, const char *raw,
    const char *const *vals, size_t nvals, char **canon)
{
	const char	*s = raw != NULL ? raw : "";
	char		*t;
	size_t		 n;

	*canon = NULL;
	if (sp->type == RT_MULTISELECT)
		return check_multi(a, sp, s, vals, nvals, canon);
	if (!utf8_valid(s, strlen(s)))
		return "The text is not valid UTF-8.";
	if (has_controls(s, sp->type == RT_LONGTEXT))
		return "Control characters are not allowed.";
	/* Single-line values are trimmed; long text keeps its spacing. */
	t = arena_strdup(a, s);
	if (sp->type != RT_LONGTEXT) {
		while (*t == ' ' || *t == '\t')
			t++;
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			t[--n] = '\0';
	}
	if (*t == '\0' && sp->type != RT_CHECKBOX)
		return NULL;
	n = utf8_len(t, strlen(t));
	switch (sp->type) {
	case RT_TEXT:
		if (n > RT_TEXT_MAX)
			return "Keep it to 500 characters.";
		break;
	case RT_LONGTEXT:
		if (n > RT_LONGTEXT_MAX)
			return "Keep it to 20,000 characters.";
		break;
	case RT_NUMBER:
		return check_number(a, sp, t, canon);
	case RT_DATE: {
		int64_t	 d;

		if (strlen(t) != 10 || tz_parse_date(t, &d) != 0)
			return "Enter a date as YYYY-MM-DD.";
		break;
	}
	case RT_DATETIME:
		return check_datetime(a, sp, t, canon);
	case RT_CHECKBOX:
		if (!strcmp(t, "true") || !strcmp(t, "1") || !strcmp(t, "on") ||
		    !strcmp(t, "yes"))
			t = arena_strdup(a, "true");
		else if (!strcmp(t, "false") || !strcmp(t, "0") ||
		    !strcmp(t, "off") || !strcmp(t, "no") || *t == '\0')
			t = arena_strdup(a, "false");
		else
			return "Answer yes or no.";
		break;
	case RT_SELECT:
		if (!rt_option_known(sp, t, 0))
			return "Choose one of the options.";
		break;
	case RT_EMAIL:
		if (!valid_email(t))
			return "Enter an email address such as "
			    "name@example.com.";
		break;
	case RT_PHONE:
		if (!valid_phone(t))
			return "Enter a phone number: 3 to 40 digits, spaces "
			    "and + ( ) - .";
		break;
	case RT_URL:
		if (!valid_url(t))
			return "Enter a web address starting with http:// or "
			    "https://.";
		break;
	case RT_FILE:
	case RT_MULTISELECT:
	case RT__MAX:
		break;
	}
	*canon = t;
	return NULL;
}

static const char *
option_label(const struct rt_spec *sp, const char *key)
{
	size_t	 i;

	for (i = 0; i < sp->nopts; i++)
		if (strcmp(sp->opts[i].key, key) == 0)
			return sp->opts[i].label;
	return key;
}

/* "YYYY-MM-DD HH:MM:SS" UTC → the local wall time and abbreviation. */
static int
utc_local(const struct rt_spec *sp, const char *canon, struct tm *tm,
    char *abbr, size_t abbrsz)
{
	struct tm	 u;
	int64_t		 lsec;
	time_t		 t;

	memset(&u, 0, sizeof(u));
	if (sscanf(canon, "%d-%d-%d %d:%d:%d", &u.tm_year, &u.tm_mon,
	    &u.tm_mday, &u.tm_hour, &u.tm_min, &u.tm_sec) != 6)
		return -1;
	u.tm_year -= 1900;
	u.tm_mon -= 1;
	t = timegm(&u);
	if (sp->zone == NULL || tz_utc_to_local(sp->zone, (int64_t)t, &lsec,
	    abbr, abbrsz) != TZ_OK) {
		lsec = (int64_t)t;
		snprintf(abbr, abbrsz, "UTC");
	}
	t = (time_t)lsec;
	return gmtime_r(&t, tm) == NULL ? -1 : 0;
}

const char *
answer_display(struct arena *a, const struct rt_spec *sp, const char *canon)
{
	struct tm	 tm;
	char		 abbr[16], *copy, *tok, *save = NULL, *out;

	if (canon == NULL)
		return NULL;
	switch (sp->type) {
	case RT_CHECKBOX:
		return strcmp(canon, "true") == 0 ? "Yes" : "No";
	case RT_SELECT:
		return option_label(sp, canon);
	case RT_MULTISELECT:
		out = NULL;
		copy = arena_strdup(a, canon);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			out = out == NULL ?
			    arena_strdup(a, option_label(sp, tok)) :
			    arena_printf(a, "%s, %s", out,
			    option_label(sp, tok));
		return out != NULL ? out : "";
	case RT_DATETIME:
		if (utc_local(sp, canon, &tm, abbr, sizeof(abbr)) != 0)
			return canon;
		return arena_printf(a, "%04d-%02d-%02d %02d:%02d %s",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, abbr);
	default:
		return canon;
	}
}

const char *
answer_form_value(struct arena *a, const struct rt_spec *sp,
    const char *canon)
{
	struct tm	 tm;
	char		 abbr[16];

	if (canon == NULL || sp->type != RT_DATETIME)
		return canon;
	if (utc_local(sp, canon, &tm, abbr, sizeof(abbr)) != 0)
		return canon;
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static json_object *
split_array(const char *canon)
{
	json_object	*arr = json_object_new_array();
	const char	*p = canon, *c;

	while (*p != '\0') {
		c = strchr(p, ',');
		if (c == NULL)
			c = p + strlen(p);
		if (c > p)
			json_object_array_add(arr,
			    json_object_new_string_len(p, (int)(c - p)));
		p = *c == ',' ? c + 1 : c;
	}
	return arr;
}

json_object *
answer_json(const struct rt_spec *sp, const char *canon)
{
	char	 iso[24];

	if (canon == NULL)
		return NULL;
	switch (sp->type) {
	case RT_NUMBER:
		return json_object_new_double_s(strtod(canon, NULL), canon);
	case RT_CHECKBOX:
		return json_object_new_boolean(strcmp(canon, "true") == 0);
	case RT_MULTISELECT:
	case RT_FILE:
		return split_array(canon);
	case RT_DATETIME:
		if (strlen(canon) == 19) {
			memcpy(iso, canon, 19);
			iso[10] = 'T';
			iso[19] = 'Z';
			iso[20] = '\0';
			return json_object_new_string(iso);
		}
		return json_object_new_string(canon);
	default:
		return json_object_new_string(canon);
	}
}

struct rt_option *
rt_options_parse(struct arena *a, const char *text, size_t *n)
{
	json_object		*j = NULL, *o, *k, *l, *r;
	struct rt_option	*opts;
	size_t			 i, len;

	*n = 0;
	if (text == NULL || *text == '\0' ||
	    parse_json(text, strlen(text), &j) != 0 || j == NULL)
		return NULL;
	if (!json_object_is_type(j, json_type_array) ||
	    (len = json_object_array_length(j)) == 0) {
		json_object_put(j);
		return NULL;
	}
	opts = arena_calloc(a, len, sizeof(*opts));
	for (i = 0; i < len; i++) {
		o = json_object_array_get_idx(j, i);
		if (!json_object_object_get_ex(o, "key", &k) ||
		    !json_object_object_get_ex(o, "label", &l))
			continue;
		opts[*n].key = arena_strdup(a, json_object_get_string(k));
		opts[*n].label = arena_strdup(a, json_object_get_string(l));
		opts[*n].retired = json_object_object_get_ex(o, "retired", &r) &&
		    json_object_get_boolean(r);
		(*n)++;
	}
	json_object_put(j);
	return opts;
}

char *
rt_options_text(struct arena *a, const struct rt_option *opts, size_t n)
{
	json_object	*arr = json_object_new_array(), *o;
	char		*s;
	size_t		 i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "key",
		    json_object_new_string(opts[i].key));
		json_object_object_add(o, "label",
		    json_object_new_string(opts[i].label));
		json_object_object_add(o, "retired",
		    json_object_new_boolean(opts[i].retired));
		json_object_array_add(arr, o);
	}
	s = arena_strdup(a, json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(arr);
	return s;
}
