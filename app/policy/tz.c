/* tz.c — local times in IANA zones and recurrence expansion.
 *
 * Zone conversion switches TZ like render/timefmt.c (workers are
 * single-threaded) and restores nothing: every caller names its zone.
 * A wall time's instant is found by trying the zone's offsets around it
 * and keeping those that convert back to the same wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/valid.h"
#include "tz.h"

static char	 cur_zone[72];

/* The zone in force is checked once, when switched to: valid_tz looks
 * for its file, a stat per conversion otherwise. */
int
tz_use(const char *zone)
{
	if (zone == NULL)
		return -1;
	if (strcmp(cur_zone, zone) == 0)
		return 0;
	if (!valid_tz(zone))
		return -1;
	snprintf(cur_zone, sizeof(cur_zone), "%s", zone);
	setenv("TZ", cur_zone, 1);
	tzset();
	return 0;
}

int
tz_parse_date(const char *s, int64_t *days)
{
	struct tm	 tm;
	int		 y, m, d;
	char		 tail;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-')
		return -1;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*days = (int64_t)timegm(&tm) / 86400;
	/* 31 February and friends normalise to another day: refuse. */
	if (tm.tm_mday != d || tm.tm_mon != m - 1)
		return -1;
	return 0;
}

int
tz_parse_hm(const char *s, int *minutes)
{
	int	 h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    sscanf(s, "%2d:%2d", &h, &m) != 2 || h < 0 || h > 23 ||
	    m < 0 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

void
tz_fmt_date(int64_t days, char *out, size_t outsz)
{
	struct tm	 tm;
	time_t		 t = (time_t)(days * 86400);

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d", &tm);
}

int
tz_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3). */
	return (int)(((days % 7) + 7 + 3) % 7);
}

enum tz_res
tz_utc_to_local(const char *zone, int64_t utc, int64_t *lsec, char *abbr,
    size_t abbrsz)
{
	struct tm	 tm;
	time_t		 t = (time_t)utc;

	if (tz_use(zone) != 0)
		return TZ_BADZONE;
	localtime_r(&t, &tm);
	*lsec = utc + tm.tm_gmtoff;
	if (abbr != NULL)
		snprintf(abbr, abbrsz, "%s", tm.tm_zone ? tm.tm_zone : "");
	return TZ_OK;
}

enum tz_res
tz_local_to_utc(const char *zone, int64_t lsec, int64_t *utc)
{
	static const int64_t probes[] = { -86400, -3 * 3600, 0, 3 * 3600,
	    86400 };
	struct tm	 tm;
	time_t		 t;
	int64_t		 off, cand, best = 0;
	size_t		 i;
	int		 found = 0;

	if (tz_use(zone) != 0)
		return TZ_BADZONE;
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		/* The zone's offset near the wall time … */
		t = (time_t)(lsec + probes[i]);
		localtime_r(&t, &tm);
		off = tm.tm_gmtoff;
		/* … is right when the candidate shows that wall time. */
		cand = lsec - off;
		t = (time_t)cand;
		localtime_r(&t, &tm);
		if (cand + tm.tm_gmtoff != lsec)
			continue;
		if (!found || cand < best)
			best = cand;
		found = 1;
	}
	if (!found)
		return TZ_GAP;
	*utc = best;
	return TZ_OK;
}

/* Days since 1970 of year y, month m (1–12), day d, or -1 when the
 * month has no such day. */
static int64_t
ymd_days(int y, int m, int d)
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	if (tm.tm_mday != d)
		return -1;
	return (int64_t)t / 86400;
}

/* Occurrence n ≥ 0 of the series, or -1 when none (a skipped month
 * returns -2 so the caller goes on). Weekly series are walked by the
 * caller. */
static int64_t
nth(const struct tz_rule *ru, int64_t first, long n)
{
	struct tm	 tm;
	time_t		 t;
	long		 mon;
	int64_t		 d;

	switch (ru->freq) {
	case FREQ_DAILY:
		return first + (int64_t)n * ru->interval;
	case FREQ_MONTHLY:
		t = (time_t)(first * 86400);
		gmtime_r(&t, &tm);
		mon = tm.tm_mon + (long)n * ru->interval;
		d = ymd_days(tm.tm_year + 1900 + (int)(mon / 12),
		    (int)(mon % 12) + 1, tm.tm_mday);
		return d < 0 ? -2 : d;
	default:
		return n == 0 ? first : -1;
	}
}

size_t
tz_expand(const struct tz_rule *ru, int64_t first, int64_t from, int64_t to,
    int64_t *out, size_t max, long *total)
{
	size_t		 n = 0;
	long		 count = 0, i;
	int64_t		 d, week0, limit;
	int		 wd;

	if (ru == NULL || ru->freq == FREQ_NONE) {
		if (first >= from && first <= to && max > 0)
			out[n++] = first;
		if (total != NULL)
			*total = 1;
		return n;
	}
	/* Without until, walk only as far as the window (never more than
	 * max + 1 occurrences counted). */
	limit = ru->until >= 0 ? ru->until : to;
	if (ru->freq == FREQ_WEEKLY) {
		week0 = first - tz_weekday(first);
		for (i = 0; ; i++) {
			int64_t	 ws = week0 + (int64_t)i * 7 * ru->interval;

			if (ws > limit || count > (long)max)
				break;
			for (wd = 0; wd < 7; wd++) {
				if (!(ru->weekdays & (1u << wd)))
					continue;
				d = ws + wd;
				if (d < first || d > limit)
					continue;
				if (++count > (long)max)
					break;
				if (d >= from && d <= to && n < max)
					out[n++] = d;
			}
		}
	} else {
		for (i = 0; count <= (long)max; i++) {
			d = nth(ru, first, i);
			if (d == -2)
				continue;
			if (d < 0 || d > limit)
				break;
			count++;
			if (count <= (long)max && d >= from && d <= to &&
			    n < max)
				out[n++] = d;
		}
	}
	if (total != NULL)
		*total = ru->until >= 0 ? count : -1;
	return n;
}
