/* t.h — the smallest test harness that does the job.
 *
 * Each tests/unit/test_<module>.c is one program: T_OK(cond, name) records a
 * check; main() ends with `return t_done();`, which prints
 * "# <prog>: N passed, M failed" and returns non-zero on any failure.
 * The runner (tests/run) adds those counts up. */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define T_OK(cond, name) do {						\
	if (cond) {							\
		t_pass++;						\
	} else {							\
		t_fail++;						\
		printf("not ok - %s (%s:%d)\n", (name), __FILE__, __LINE__); \
	}								\
} while (0)

#define T_STREQ(got, want, name) do {					\
	const char *t_g = (got), *t_w = (want);				\
	if (t_g != NULL && t_w != NULL && strcmp(t_g, t_w) == 0) {	\
		t_pass++;						\
	} else {							\
		t_fail++;						\
		printf("not ok - %s (%s:%d)\n  got:  [%s]\n  want: [%s]\n", \
		    (name), __FILE__, __LINE__, t_g ? t_g : "(null)",	\
		    t_w ? t_w : "(null)");				\
	}								\
} while (0)

static inline int
t_done_named(const char *prog)
{
	printf("# %s: %d passed, %d failed\n", prog, t_pass, t_fail);
	return t_fail != 0;
}

#define t_done() t_done_named(__FILE__)

#endif
