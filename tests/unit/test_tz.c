/* test_tz.c — local time conversion across daylight saving and the
 * expansion of recurring series (PRODUCT §10). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "policy/tz.h"
#include "t.h"

static int64_t
day(const char *s)
{
	int64_t	 d = -1;

	if (tz_parse_date(s, &d) != 0)
		return -1;
	return d;
}

static int64_t
wall(const char *date, int h, int m)
{
	return day(date) * 86400 + h * 3600 + m * 60;
}

static void
test_conversion(void)
{
	const char	*ams = "Europe/Amsterdam";
	int64_t		 s, e, l;
	char		 abbr[16];

	/* Spring forward: 02:00 → 03:00 on 28 March 2027. */
	T_OK(tz_local_to_utc(ams, wall("2027-03-28", 1, 30), &s) == TZ_OK,
	    "01:30 exists");
	T_OK(tz_local_to_utc(ams, wall("2027-03-28", 3, 30), &e) == TZ_OK,
	    "03:30 exists");
	T_OK(e - s == 3600, "01:30–03:30 on the spring-forward night is 1 h");
	T_OK(tz_local_to_utc(ams, wall("2027-03-28", 2, 30), &s) == TZ_GAP,
	    "02:30 is in the gap");
	/* Fall back: 03:00 → 02:00 on 31 October 2027; 02:30 twice. */
	T_OK(tz_local_to_utc(ams, wall("2027-10-31", 2, 30), &s) == TZ_OK,
	    "ambiguous time accepted");
	T_OK(s == wall("2027-10-31", 0, 30), "ambiguous takes the earlier "
	    "instant (00:30 UTC, CEST)");
	T_OK(tz_utc_to_local(ams, s, &l, abbr, sizeof(abbr)) == TZ_OK &&
	    l == wall("2027-10-31", 2, 30), "back to local");
	T_STREQ(abbr, "CEST", "abbreviation");
	T_OK(tz_local_to_utc(ams, wall("2027-01-10", 12, 0), &s) == TZ_OK &&
	    s == wall("2027-01-10", 11, 0), "winter offset +1");
	T_OK(tz_local_to_utc("Nowhere/Atlantis", 0, &s) == TZ_BADZONE,
	    "unknown zone refused");
	T_OK(tz_local_to_utc("UTC", wall("2027-03-28", 2, 30), &s) ==
	    TZ_OK && s == wall("2027-03-28", 2, 30), "UTC identity");
}

static void
test_dates(void)
{
	int64_t	 d;
	int	 m;
	char	 buf[16];

	T_OK(tz_parse_date("2027-02-30", &d) != 0, "30 Feb refused");
	T_OK(tz_parse_date("2027-2-3", &d) != 0, "short form refused");
	T_OK(tz_parse_date("2028-02-29", &d) == 0, "leap day");
	tz_fmt_date(d, buf, sizeof(buf));
	T_STREQ(buf, "2028-02-29", "format");
	T_OK(tz_weekday(day("2027-03-29")) == 0, "29 Mar 2027 is a Monday");
	T_OK(tz_parse_hm("23:59", &m) == 0 && m == 1439, "23:59");
	T_OK(tz_parse_hm("24:00", &m) != 0, "24:00 refused");
}

static void
test_expand(void)
{
	struct tz_rule	 ru;
	int64_t		 out[600];
	char		 buf[16];
	size_t		 n;
	long		 total;

	/* Monthly on the 31st: Jan, Mar, May, Jul (Feb, Apr, Jun skip). */
	memset(&ru, 0, sizeof(ru));
	ru.freq = FREQ_MONTHLY;
	ru.interval = 1;
	ru.until = day("2027-07-31");
	n = tz_expand(&ru, day("2027-01-31"), day("2027-01-01"),
	    day("2027-12-31"), out, TZ_OCC_MAX, &total);
	T_OK(n == 4 && total == 4, "monthly on the 31st: 4 occurrences");
	tz_fmt_date(out[1], buf, sizeof(buf));
	T_STREQ(buf, "2027-03-31", "February skipped");
	tz_fmt_date(out[3], buf, sizeof(buf));
	T_STREQ(buf, "2027-07-31", "until is inclusive");

	/* Weekly on Monday and Thursday from Wed 3 March 2027 through
	 * 31 March: Thu 4, Mon 8, Thu 11, Mon 15, Thu 18, Mon 22, Thu 25,
	 * Mon 29. */
	memset(&ru, 0, sizeof(ru));
	ru.freq = FREQ_WEEKLY;
	ru.interval = 1;
	ru.weekdays = (1u << 0) | (1u << 3);
	ru.until = day("2027-03-31");
	n = tz_expand(&ru, day("2027-03-03"), day("2027-01-01"),
	    day("2027-12-31"), out, TZ_OCC_MAX, &total);
	T_OK(n == 8 && total == 8, "weekly Mon+Thu: 8 in March");
	tz_fmt_date(out[0], buf, sizeof(buf));
	T_STREQ(buf, "2027-03-04", "first is the Thursday after the start");
	tz_fmt_date(out[7], buf, sizeof(buf));
	T_STREQ(buf, "2027-03-29", "last Monday");
	/* Every other week. */
	ru.interval = 2;
	n = tz_expand(&ru, day("2027-03-03"), day("2027-01-01"),
	    day("2027-12-31"), out, TZ_OCC_MAX, &total);
	T_OK(n == 4, "fortnightly: 4 in March");

	/* Daily across a month boundary, windowed. */
	memset(&ru, 0, sizeof(ru));
	ru.freq = FREQ_DAILY;
	ru.interval = 1;
	ru.until = day("2027-04-10");
	n = tz_expand(&ru, day("2027-03-20"), day("2027-03-25"),
	    day("2027-04-05"), out, TZ_OCC_MAX, &total);
	T_OK(n == 12 && total == 22, "daily window across a month");
	tz_fmt_date(out[11], buf, sizeof(buf));
	T_STREQ(buf, "2027-04-05", "window end included");
	/* Too many occurrences. */
	ru.until = day("2029-12-31");
	(void)tz_expand(&ru, day("2027-01-01"), 0, 0, out, TZ_OCC_MAX,
	    &total);
	T_OK(total > TZ_OCC_MAX, "over 500 detected");
	/* No rule: one occurrence. */
	n = tz_expand(NULL, day("2027-03-20"), day("2027-03-01"),
	    day("2027-03-31"), out, TZ_OCC_MAX, &total);
	T_OK(n == 1 && total == 1, "single");
}

/* The arithmetic date code against libc's gmtime_r/strftime and
 * timegm: every 13th day from 1900 to 2400, at a time of day that moves
 * with it, and the calendar's edges. */
static void
dates_match_libc(void)
{
	static const char *const bad[] = {
		"2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-01-00", "1899-12-31", "2026-1-01", "2026-01-1x",
		"20260101", "2024-02-30", "", "2026/01/01",
	};
	static const char *const bad_stamps[] = {
		"2026-11-22T24:00:00Z", "2026-11-22T12:60:00Z",
		"2026-11-22 12:00:00Z", "2026-11-22T12:00:00", "2026-02-30T00:00:00Z",
		"2026-11-22T12:00:00+01", "2026-11-22T1:00:00Z",
	};
	int64_t	 d, got, secs;
	char	 want[32], have[32], name[64];
	int	 ok_date = 1, ok_stamp = 1, ok_parse = 1, ok_civil = 1;
	size_t	 i;

	for (d = -25567; d <= 157000; d += 13) {
		time_t		 t = (time_t)(d * 86400 +
		    ((d * 7919) % 86400 + 86400) % 86400);
		struct tm	 tm;
		int		 y, m, dd;

		gmtime_r(&t, &tm);
		tz_civil(d, &y, &m, &dd);
		if (y != tm.tm_year + 1900 || m != tm.tm_mon + 1 ||
		    dd != tm.tm_mday)
			ok_civil = 0;
		strftime(want, sizeof(want), "%Y-%m-%d", &tm);
		tz_fmt_date(d, have, sizeof(have));
		if (strcmp(want, have) != 0)
			ok_date = 0;
		if (tz_parse_date(want, &got) != 0 || got != d)
			ok_parse = 0;
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		tz_fmt_stamp((int64_t)t, 1, have);
		if (strcmp(want, have) != 0)
			ok_stamp = 0;
		if (tz_parse_stamp(want, &secs) != 0 || secs != (int64_t)t)
			ok_parse = 0;
		want[19] = '\0';
		tz_fmt_stamp((int64_t)t, 0, have);
		if (strcmp(want, have) != 0)
			ok_stamp = 0;
	}
	T_OK(ok_civil, "tz_civil: the day's year, month and day as gmtime_r");
	T_OK(ok_date, "tz_fmt_date as strftime %Y-%m-%d");
	T_OK(ok_stamp, "tz_fmt_stamp as strftime, with and without Z");
	T_OK(ok_parse, "tz_parse_date and tz_parse_stamp read them back");
	tz_fmt_stamp(-1, 1, have);
	T_STREQ(have, "1969-12-31T23:59:59Z", "a second before 1970");
	T_OK(tz_parse_date("2024-02-29", &got) == 0 && got == 19782,
	    "29 February of a leap year");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "refused date \"%s\"", bad[i]);
		T_OK(tz_parse_date(bad[i], &got) == -1, name);
	}
	for (i = 0; i < sizeof(bad_stamps) / sizeof(bad_stamps[0]); i++) {
		snprintf(name, sizeof(name), "refused stamp \"%s\"",
		    bad_stamps[i]);
		T_OK(tz_parse_stamp(bad_stamps[i], &secs) == -1, name);
	}
}

int
main(void)
{
	test_conversion();
	test_dates();
	test_expand();
	dates_match_libc();
	return t_done();
}
