/* util.c — allocation wrappers and clocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include "util.h"

static void
oom(size_t n)
{
	fprintf(stderr, "lvl=alert msg=\"out of memory\" bytes=%zu\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom(n * sz);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void	*q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int64_t
now_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
now_wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int
ascii_casecmp(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return lower((unsigned char)*a) - lower((unsigned char)*b);
}

int
ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return lower((unsigned char)*a) - lower((unsigned char)*b);
		if (*a == '\0')
			break;
	}
	return 0;
}

const char *
build_stamp(void)
{
	static char	 stamp[48];
	struct stat	 st;

	if (stamp[0] == '\0') {
		if (stat("/proc/self/exe", &st) == 0)
			snprintf(stamp, sizeof(stamp), "%lld.%lld",
			    (long long)st.st_size, (long long)st.st_mtime);
		else
			snprintf(stamp, sizeof(stamp), "unknown");
	}
	return stamp;
}
