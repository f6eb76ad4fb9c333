/* valid.c — declared inputs → typed values (see valid.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "req.h"
#include "route.h"
#include "util.h"
#include "valid.h"

#define VALUE_MAX	1024		/* single-line values (RELIABILITY §2) */
#define LONGTEXT_MAX	(32 * 1024)

void
valid_error(struct req *r, const char *field, const char *code,
    const char *message)
{
	struct field_error	*e;

	e = arena_alloc(r->a, sizeof(*e) * (r->nerrors + 1));
	if (r->nerrors)
		memcpy(e, r->errors, sizeof(*e) * r->nerrors);
	e[r->nerrors].field = field;
	e[r->nerrors].code = code;
	e[r->nerrors].message = message;
	r->errors = e;
	r->nerrors++;
	log_msg(LOG_INFO, "validation field=%s reason=%s", lq(field), code);
}

static const char *
trim(struct arena *a, const char *s)
{
	const char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return arena_strndup(a, s, (size_t)(e - s));
}

int
valid_email(const char *s)
{
	const char	*at = strrchr(s, '@'), *p;
	size_t		 n = strlen(s);

	if (n < 3 || n > 254 || at == NULL || at == s || at[1] == '\0')
		return 0;
	if (strchr(s, '@') != at || at - s > 64)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '(' || *p == ')' || *p == ',' || *p == ';' ||
		    *p == ':' || *p == '\\' || *p == '"' || *p == '[' ||
		    *p == ']')
			return 0;
	/* The domain needs a dot, no empty labels, no leading hyphen. */
	p = at + 1;
	if (strchr(p, '.') == NULL || *p == '.' || *p == '-' ||
	    p[strlen(p) - 1] == '.' || strstr(p, "..") != NULL)
		return 0;
	return 1;
}

/* 3–40 of digits, spaces and + ( ) - . with at least 3 digits (§8). */
int
valid_phone(const char *s)
{
	size_t	 n = 0, digits = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (strchr(" +()-.", *s) == NULL)
			return 0;
	}
	return n >= 3 && n <= 40 && digits >= 3;
}

/* http or https, a host, no spaces or quotes, at most 2,000 bytes. */
int
valid_url(const char *s)
{
	const char	*p;

	if (strlen(s) > 2000)
		return 0;
	if (ascii_ncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (ascii_ncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return 0;
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#')
		return 0;
	for (; *p != '\0'; p++)
		if (*p == ' ' || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '\\' || *p == '`')
			return 0;
	return 1;
}

int
valid_tz(const char *s)
{
	char		 path[256];
	struct stat	 st;
	const char	*p;

	if (s == NULL || *s == '\0' || strlen(s) > 64 || *s == '/' ||
	    strstr(s, "..") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+'))
			return 0;
	if (strcmp(s, "UTC") == 0)
		return 1;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", s);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
is_true(const char *s)
{
	return !strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "on") ||
	    !strcmp(s, "yes");
}

static int
is_false(const char *s)
{
	return !strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "off") ||
	    !strcmp(s, "no") || !strcmp(s, "");
}

static int
valid_date(const char *s)
{
	int	 y, m, d, mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	size_t	 i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	if ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)
		mdays[1] = 29;
	return d <= mdays[m - 1];
}

/* Check one value against its field; on failure add an error. */
static void
check(struct req *r, const struct field *f, struct input *in,
    const struct param *p)
{
	const char	*v = p->value, *label = f->label ? f->label : f->name;
	size_t		 cps;

	if (f->type == V_FILE) {
		in->file = p;
		in->present = p->filename != NULL && p->len > 0;
		return;
	}
	if (f->type == V_LONGTEXT) {
		if (p->len > LONGTEXT_MAX || has_controls(v, 1)) {
			valid_error(r, f->name, "invalid", arena_printf(r->a,
			    "%s contains characters or length we can't "
			    "accept.", label));
			return;
		}
	} else if (p->len > VALUE_MAX || has_controls(v, 0)) {
		valid_error(r, f->name, "invalid", arena_printf(r->a,
		    "%s is too long or contains control characters.",
		    label));
		return;
	}
	if (f->type != V_SECRET && f->type != V_LONGTEXT)
		v = trim(r->a, v);
	in->s = v;
	in->present = *v != '\0';
	if (!in->present)
		return;
	cps = utf8_len(v, strlen(v));

	switch (f->type) {
	case V_TEXT:
	case V_LONGTEXT:
	case V_SECRET:
		if ((f->min && (int64_t)cps < f->min) ||
		    (f->max && (int64_t)cps > f->max))
			valid_error(r, f->name, "length", arena_printf(r->a,
			    "%s must be %lld to %lld characters.", label,
			    (long long)f->min, (long long)f->max));
		break;
	case V_EMAIL:
		if (!valid_email(v))
			valid_error(r, f->name, "email", arena_printf(r->a,
			    "%s must be a valid email address.", label));
		break;
	case V_INT:
	case V_ID: {
		char		*end;
		long long	 n;

		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno || *end != '\0' || (f->type == V_ID && n < 1) ||
		    ((f->min || f->max) && (n < f->min || n > f->max))) {
			valid_error(r, f->name, "number", f->min || f->max ?
			    arena_printf(r->a, "%s must be a whole number "
			    "from %lld to %lld.", label, (long long)f->min,
			    (long long)f->max) : arena_printf(r->a,
			    "%s must be a whole number.", label));
			in->present = 0;
		} else
			in->i = n;
		break;
	}
	case V_BOOL:
		if (is_true(v))
			in->i = 1;
		else if (is_false(v))
			in->i = 0;
		else
			valid_error(r, f->name, "boolean", arena_printf(r->a,
			    "%s must be yes or no.", label));
		break;
	case V_TZ:
		if (!valid_tz(v))
			valid_error(r, f->name, "timezone", arena_printf(r->a,
			    "%s must be a time zone from the list.", label));
		break;
	case V_DATE:
		if (!valid_date(v))
			valid_error(r, f->name, "date", arena_printf(r->a,
			    "%s must be a date (YYYY-MM-DD).", label));
		break;
	case V_TOKEN: {
		const char	*s;

		for (s = v; *s != '\0'; s++)
			if (!((*s >= 'a' && *s <= 'z') ||
			    (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '0' && *s <= '9') || *s == '-' ||
			    *s == '_'))
				break;
		if (*s != '\0' || cps > 128)
			valid_error(r, f->name, "token", arena_printf(r->a,
			    "%s is not a valid link or token.", label));
		break;
	}
	case V_FILE:
		break;
	}
}

int
valid_inputs(struct req *r)
{
	const struct route	*rt = r->route;
	size_t			 i, j;

	for (i = 0; i < rt->nfields && i < INPUTS_MAX; i++) {
		const struct field	*f = &rt->fields[i];
		struct input		*in = &r->in[i];
		const struct param	*first = NULL;
		size_t			 count = 0;

		memset(in, 0, sizeof(*in));
		for (j = 0; j < r->params.n; j++)
			if (strcmp(r->params.v[j].name, f->name) == 0) {
				if (first == NULL)
					first = &r->params.v[j];
				count++;
			}
		if (count > 1 && !(f->flags & F_MULTI)) {
			log_msg(LOG_INFO, "decision=deny reason=duplicate_param "
			    "field=%s", lq(f->name));
			return 400;
		}
		if (f->flags & F_MULTI) {
			in->multi = arena_calloc(r->a, count + 1,
			    sizeof(char *));
			for (j = 0; j < r->params.n; j++) {
				struct input	 one;

				if (strcmp(r->params.v[j].name, f->name))
					continue;
				memset(&one, 0, sizeof(one));
				check(r, f, &one, &r->params.v[j]);
				if (one.present)
					in->multi[in->nmulti++] = one.s;
			}
			in->present = in->nmulti > 0;
			in->given = count > 0;
		} else if (first != NULL)
			check(r, f, in, first);
		if ((f->flags & F_REQUIRED) && !in->present) {
			size_t	 k;
			int	 already = 0;

			for (k = 0; k < r->nerrors; k++)
				if (strcmp(r->errors[k].field, f->name) == 0)
					already = 1;
			if (!already)
				valid_error(r, f->name, "required",
				    arena_printf(r->a, "%s is required.",
				    f->label ? f->label : f->name));
		}
	}
	return 0;
}
