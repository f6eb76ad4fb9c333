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

/* Days since 1970-01-01 of a proleptic Gregorian date and back, by
 * arithmetic over 400-year eras (timegm and gmtime_r take libc's zone
 * lock on every call, and the schedule calls them per occurrence). */
static int64_t
days_of(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
tz_civil(int64_t days, int *y, int *m, int *d)
{
	int64_t	 z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The days of y-m-d in *days: 0, or -1 when the month has no such
 * day. */
static int
ymd_check(int y, int m, int d, int64_t *days)
{
	int	 y2, m2, d2;

	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*days = days_of(y, m, d);
	tz_civil(*days, &y2, &m2, &d2);
	return m2 == m && d2 == d ? 0 : -1;
}

/* n digits of s as a number, or -1 when one is not a digit. */
static int
digits(const char *s, int n)
{
	int	 v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
tz_parse_date(const char *s, int64_t *days)
{
	int	 y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) < 1900 || (m = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0)
		return -1;
	/* 31 February and friends: refused, not moved to another day. */
	return ymd_check(y, m, d, days);
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
	int	 y, m, d;

	tz_civil(days, &y, &m, &d);
	snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
}

/* Two digits of v at p. */
static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void
tz_fmt_stamp(int64_t secs, int zulu, char out[21])
{
	int64_t	 days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400),
		 sod = secs - days * 86400;
	int	 y, m, d;

	tz_civil(days, &y, &m, &d);
	put2(out, y / 100);
	put2(out + 2, y % 100);
	out[4] = out[7] = '-';
	put2(out + 5, m);
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, (int)(sod / 3600));
	out[13] = out[16] = ':';
	put2(out + 14, (int)(sod / 60 % 60));
	put2(out + 17, (int)(sod % 60));
	out[19] = zulu ? 'Z' : '\0';
	out[20] = '\0';
}

int
tz_parse_stamp(const char *s, int64_t *secs)
{
	int64_t	 days;
	int	 h, mi, se;

	if (s == NULL || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return -1;
	if (s[4] != '-' || s[7] != '-' || digits(s, 4) < 0 ||
	    digits(s + 5, 2) < 0 || digits(s + 8, 2) < 0 ||
	    ymd_check(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2),
	    &days) != 0)
		return -1;
	if ((h = digits(s + 11, 2)) < 0 || h > 23 ||
	    (mi = digits(s + 14, 2)) < 0 || mi > 59 ||
	    (se = digits(s + 17, 2)) < 0 || se > 60)
		return -1;
	*secs = days * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

int64_t
tz_stamp_secs(const char *s)
{
	int64_t	 t;

	return tz_parse_stamp(s, &t) == 0 ? t : 0;
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
 * month has no such day (series dates are after 1970). */
static int64_t
ymd_days(int y, int m, int d)
{
	int64_t	 days;

	return ymd_check(y, m, d, &days) == 0 ? days : -1;
}

/* Occurrence n ≥ 0 of the series, or -1 when none (a skipped month
 * returns -2 so the caller goes on). Weekly series are walked by the
 * caller. */
static int64_t
nth(const struct tz_rule *ru, int64_t first, long n)
{
	long		 mon;
	int64_t		 d;
	int		 y, m, day;

	switch (ru->freq) {
	case FREQ_DAILY:
		return first + (int64_t)n * ru->interval;
	case FREQ_MONTHLY:
		tz_civil(first, &y, &m, &day);
		mon = m - 1 + (long)n * ru->interval;
		d = ymd_days(y + (int)(mon / 12), (int)(mon % 12) + 1, day);
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
