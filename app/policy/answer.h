/* answer.h — the response types of advancing (PRODUCT §13.2) and the
 * one check every answer and asset property goes through: raw input →
 * the canonical text stored in answers.value / line item props, or a
 * message naming what is wrong. Pure functions of their arguments.
 *
 * Canonical values: text and long text as given (single-line trimmed);
 * number a plain decimal without leading zeros or a trailing fraction
 * of zeros ("12.5", "-3", "0.25"); date "YYYY-MM-DD"; date-time the UTC
 * instant "YYYY-MM-DD HH:MM:SS" (entered as event-local
 * "YYYY-MM-DDTHH:MM[:SS]", or RFC 3339 with Z or an offset);
 * checkbox "true"/"false"; select one key; multi-select distinct keys
 * joined by "," in option order; email, phone, URL as given. File
 * answers are file ids joined by "," and are checked by the caller. */
#ifndef POLICY_ANSWER_H
#define POLICY_ANSWER_H

#include <stddef.h>

#include <json-c/json.h>

struct arena;

enum rtype {
	RT_TEXT, RT_LONGTEXT, RT_NUMBER, RT_DATE, RT_DATETIME, RT_CHECKBOX,
	RT_SELECT, RT_MULTISELECT, RT_EMAIL, RT_PHONE, RT_URL, RT_FILE,
	RT__MAX
};

#define RT_TEXT_MAX	500
#define RT_LONGTEXT_MAX	20000
#define RT_OPTIONS_MAX	200
#define RT_FILES_MAX	10

/* Select options: stable keys, labels, retired ones kept for old
 * answers but never offered. */
struct rt_option {
	const char	*key;
	const char	*label;
	int		 retired;
};

/* What one question (or asset property) accepts. */
struct rt_spec {
	enum rtype		 type;
	const struct rt_option	*opts;
	size_t			 nopts;
	const char		*num_min;	/* NULL: unbounded */
	const char		*num_max;
	int			 num_whole;
	const char		*zone;		/* event zone for date-time */
};

/* "text", "longtext", … and the form label "Long text"; parse returns
 * 0 or -1 for an unknown name. */
const char	*rtype_name(enum rtype);
const char	*rtype_label(enum rtype);
int		 rtype_parse(const char *, enum rtype *);
int		 rtype_has_options(enum rtype);
/* Every type as [{"value","label"}] with selected marked (forms). */
json_object	*rtype_choices(enum rtype selected);

/* Check raw against spec. raw may be NULL or "" (a clear): *canon =
 * NULL and the result is NULL. Multi-select takes its keys in vals (a
 * form's repeated field or a JSON array) when nvals > 0, else raw split
 * on ",". Returns NULL with *canon set (arena), or a sentence for the
 * user ("Enter a number, e.g. 12 or 4.5."). */
const char	*answer_check(struct arena *, const struct rt_spec *,
		    const char *raw, const char *const *vals, size_t nvals,
		    char **canon);
/* How a canonical value reads to people: option labels, "Yes"/"No",
 * date-time in the spec's zone with its abbreviation. */
const char	*answer_display(struct arena *, const struct rt_spec *,
		    const char *canon);
/* The value a form field shows for a canonical value (date-time as
 * event-local "YYYY-MM-DDTHH:MM"); others unchanged. */
const char	*answer_form_value(struct arena *, const struct rt_spec *,
		    const char *canon);
/* The canonical value as JSON: number → double, checkbox → boolean,
 * multi-select and file → array of strings, others a string (date-time
 * as RFC 3339 UTC). NULL canon → NULL. */
json_object	*answer_json(const struct rt_spec *, const char *canon);

/* Options stored as JSON text → array in the arena (*n set); NULL with
 * *n = 0 when empty or unreadable. */
struct rt_option *rt_options_parse(struct arena *, const char *json,
		    size_t *n);
/* Options → their JSON text (arena). */
char		*rt_options_text(struct arena *, const struct rt_option *,
		    size_t n);
/* Is key one of the options (retired ones too when any_state)? */
int		 rt_option_known(const struct rt_spec *, const char *key,
		    int any_state);
/* Check a number bound as entered in a template form: NULL or a
 * message; *canon the canonical decimal. */
const char	*rt_number_check(struct arena *, const char *raw, char **canon);

#endif
