/* tz.h — local time in an IANA zone and recurrence expansion (PRODUCT
 * §10), as pure functions of their arguments (no database, no request).
 *
 * Local wall times are "seconds since 1970 as if the wall clock were
 * UTC" (lsec): a wall time's calendar fields through timegm(). A local
 * time in a daylight-saving gap has no instant (refused); an ambiguous
 * one (the repeated hour) takes the earlier instant. */
#ifndef POLICY_TZ_H
#define POLICY_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_OCC_MAX	500	/* occurrences of one series */

enum tz_res { TZ_OK = 0, TZ_GAP = -1, TZ_BADZONE = -2 };

/* Make zone the one localtime_r() uses (workers are single-threaded;
 * nothing is restored: every caller names its zone). 0, or -1 when it
 * is no zone of the system's database. */
int	 tz_use(const char *zone);
/* "YYYY-MM-DD" → days since 1970-01-01; -1 when malformed or invalid. */
int	 tz_parse_date(const char *, int64_t *days);
/* "HH:MM" → minutes since midnight; -1 when malformed. */
int	 tz_parse_hm(const char *, int *minutes);
/* days → "YYYY-MM-DD" (out ≥ 11 bytes). */
void	 tz_fmt_date(int64_t days, char *out, size_t outsz);
/* days → year, month (1–12), day (1–31). */
void	 tz_civil(int64_t days, int *y, int *m, int *d);
/* seconds since 1970 → "YYYY-MM-DDTHH:MM:SS", with a "Z" when zulu
 * (years 0–9999). */
void	 tz_fmt_stamp(int64_t secs, int zulu, char out[21]);
/* "YYYY-MM-DDTHH:MM:SSZ" → seconds since 1970: 0, or -1 when s is not
 * one. */
int	 tz_parse_stamp(const char *, int64_t *secs);
/* The same, 0 for NULL or a malformed stamp (rows always hold one). */
int64_t	 tz_stamp_secs(const char *);
/* Day of week of days since 1970: 0 Monday … 6 Sunday. */
int	 tz_weekday(int64_t days);

/* Wall time lsec in zone → UTC instant. TZ_GAP in a gap; the earlier
 * instant when ambiguous. */
enum tz_res tz_local_to_utc(const char *zone, int64_t lsec, int64_t *utc);
/* UTC instant → wall time lsec in zone (and the abbreviation, ≥ 16
 * bytes, may be NULL). */
enum tz_res tz_utc_to_local(const char *zone, int64_t utc, int64_t *lsec,
	    char *abbr, size_t abbrsz);

enum tz_freq { FREQ_NONE, FREQ_DAILY, FREQ_WEEKLY, FREQ_MONTHLY };

struct tz_rule {
	enum tz_freq	 freq;
	int		 interval;	/* 1–99 */
	unsigned	 weekdays;	/* weekly: bit 0 Monday … bit 6 Sunday */
	int64_t		 until;		/* inclusive local day; -1 none */
};

/* The local days a series starting on first (a local day) occurs on,
 * in order, within [from, to] (inclusive days), at most max. Weekly
 * rules repeat the chosen weekdays of every interval-th week (weeks
 * start on Monday; the week of first counts as the first); monthly the
 * day of month of first, skipping months without it. Without a rule
 * the single day first. Returns the count written; *total (may be NULL)
 * gets every occurrence of the series up to until (capped at max + 1,
 * so > max means too many), or -1 when unbounded. */
size_t	 tz_expand(const struct tz_rule *, int64_t first, int64_t from,
	    int64_t to, int64_t *out, size_t max, long *total);

#endif
