/* advstate.c — module completion, review status, overdue. */
#include <string.h>

#include "advstate.h"

enum adv_completion
adv_module_completion(const struct adv_item_state *s, size_t n,
    int requires_submission, int submitted)
{
	size_t	 i;
	int	 input = 0, missing = 0;

	if (submitted)
		return AC_COMPLETE;
	for (i = 0; i < n; i++) {
		if (s[i].answered)
			input = 1;
		else if (s[i].question && s[i].required)
			missing = 1;
	}
	if (!input)
		return AC_NOT_STARTED;
	if (missing || requires_submission)
		return AC_IN_PROGRESS;
	return AC_COMPLETE;
}

int
adv_module_needs_review(const struct adv_item_state *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i].needs_review)
			return 1;
	return 0;
}

int
adv_overdue(enum adv_completion c, const char *due, const char *today)
{
	/* ISO dates compare as strings. */
	return c != AC_COMPLETE && due != NULL && today != NULL &&
	    strcmp(today, due) > 0;
}

void
adv_progress(const struct adv_item_state *s, size_t n, size_t *answered,
    size_t *total)
{
	size_t	 i;

	*answered = *total = 0;
	for (i = 0; i < n; i++)
		if (s[i].question && s[i].required) {
			(*total)++;
			if (s[i].answered)
				(*answered)++;
		}
}

const char *
adv_completion_name(enum adv_completion c)
{
	switch (c) {
	case AC_NOT_STARTED:
		return "not_started";
	case AC_IN_PROGRESS:
		return "in_progress";
	default:
		return "complete";
	}
}

const char *
adv_completion_label(enum adv_completion c)
{
	switch (c) {
	case AC_NOT_STARTED:
		return "Not started";
	case AC_IN_PROGRESS:
		return "In progress";
	default:
		return "Complete";
	}
}

const char *
adv_marker(enum adv_completion c, int submitted)
{
	if (submitted)
		return "\xf0\x9f\x94\x92";	/* U+1F512 lock */
	switch (c) {
	case AC_NOT_STARTED:
		return "\xe2\x97\x8b";	/* U+25CB ○ */
	case AC_IN_PROGRESS:
		return "\xe2\x97\x90";	/* U+25D0 ◐ */
	default:
		return "\xe2\x9c\x93";	/* U+2713 ✓ */
	}
}
