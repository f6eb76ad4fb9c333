/* ical.h — iCalendar output with libical (FEEDS.md §3): the calendar
 * header, generated VTIMEZONEs, and one VEVENT at a time written into a
 * buffer and freed at once, so a feed of thousands of items never holds
 * more than one component in memory. No database, no request: pure
 * functions of their arguments (unit-tested in tests/unit/test_ical.c). */
#ifndef RENDER_ICAL_H
#define RENDER_ICAL_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Calendar-level properties of §3.1. */
struct ical_cal {
	const char	*name;		/* NAME and X-WR-CALNAME */
	const char	*tz_hint;	/* X-WR-TIMEZONE */
	const char	*url;		/* the scope's page */
	int		 refresh_min;	/* REFRESH-INTERVAL, ≥ 15 */
};

/* One VEVENT (§3.3, §3.5, §3.7). Texts are sanitized here (§3.8). */
struct ical_item {
	const char	*uid;
	const char	*tzid;		/* IANA zone of the item's event */
	int		 all_day;
	int64_t		 start_utc, end_utc;	/* timed */
	int64_t		 first_day, last_day;	/* all-day: days since 1970,
						   inclusive */
	/* recurrence: freq NULL for none; weekdays bit 0 Monday;
	   until the inclusive local day (days since 1970), -1 for an
	   open-ended series (no UNTIL) */
	const char	*freq;		/* "daily", "weekly", "monthly" */
	int		 interval;
	unsigned	 weekdays;
	int64_t		 until;
	/* An exception component of a series (§3.4) names the occurrence
	   it replaces with RECURRENCE-ID: has_rid set, rid its original
	   start (timed: UTC instant, written in tzid; all-day: the local
	   day, VALUE=DATE). The series lists skipped occurrences past
	   retention (§3.6) as EXDATE, in the same form. */
	int		 has_rid;
	int64_t		 rid;
	const int64_t	*exdates;
	size_t		 nexdates;
	int64_t		 sequence;
	int64_t		 stamp;		/* updated_at, UTC seconds */
	int64_t		 created;
	const char	*summary;
	const char	*location;	/* NULL or "" omitted */
	const char	*description;
	const char	*url;
	int		 cancelled;
	int		 transparent;
};

/* BEGIN:VCALENDAR and the calendar properties. */
void	 ical_begin(struct buf *, const struct ical_cal *);
/* The VTIMEZONE for zone (bare IANA TZID, truncated one day before
 * earliest_utc). Nothing for UTC. 0, or -1 for an unknown zone. */
int	 ical_vtimezone(struct buf *, const char *zone, int64_t earliest_utc);
/* One VEVENT; the component is freed before returning. */
void	 ical_event(struct buf *, const struct ical_item *);
void	 ical_end(struct buf *);

/* The RRULE value of §3.4 ("FREQ=WEEKLY;UNTIL=…;INTERVAL=2;BYDAY=MO,WE")
 * as libical writes it; out ≥ 128 bytes. 0, or -1 without a rule. */
int	 ical_rrule_text(const struct ical_item *, char *out, size_t outsz);
/* §3.8: copy of s without C0 controls (TAB and LF kept, CR dropped),
 * DEL, with invalid UTF-8 replaced by U+FFFD. malloc'd; free() it. */
char	*ical_clean(const char *s);
/* Is the zone "UTC" (written in UTC form, no VTIMEZONE)? */
int	 ical_zone_is_utc(const char *zone);

#endif
