/* calendar.h — calendar views shared by the event schedule pages
 * (schedule.c) and the personal calendar (calendar.c): one occurrence
 * of an activity, the week and month grids, clash marking (PRODUCT
 * §10 "Calendars"), and the personal calendar's handlers and fields. */
#ifndef PAGES_CALENDAR_H
#define PAGES_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct arena;
struct activity;
struct req;

#define CAL_MAX		12	/* calendars ticked at once */
#define CAL_COLOURS	8	/* cal-c0 … cal-c7 in app.css */

struct act_exception;

/* One occurrence on a calendar. A series' occurrence may carry an
 * exception (FEEDS §3.4): its own times, name or location, or cancelled
 * on its own. Pages show name, location and cancelled from here, never
 * from the activity. */
struct occ {
	const struct activity *a;
	int64_t		 start;		/* UTC seconds; all-day: local day */
	int64_t		 end;		/* all-day: last local day */
	int64_t		 day;		/* local day it starts on (shown zone) */
	int64_t		 ls, le;	/* timed: wall times in the shown zone */
	const char	*tz;		/* the zone it is shown in */
	char		 abbr_s[16];	/* timed: the zone's abbreviation at */
	char		 abbr_e[16];	/* start and at end ("CEST") */
	int64_t		 ev_id;
	const char	*ev_name;	/* personal calendar: its event */
	unsigned	 cals;		/* bit i: on ticked calendar i */
	int		 clash;
	/* the occurrence itself */
	int64_t		 orig_day;	/* original local start day (event
					   zone): names it, ?date= */
	int64_t		 orig_start;	/* UTC start unmoved; all-day: day */
	const struct act_exception *x;	/* its exception or NULL */
	int		 cancelled;	/* the activity or this occurrence */
	int		 moved;		/* x gives other times */
	const char	*name;		/* x's name or the activity's */
	const char	*location;
};

/* A ticked calendar: its key (cal=…), label and colour index. */
struct cal_pick {
	const char	*key;
	const char	*label;
	int		 colour;
};

/* schedule.c: the occurrences of a over local days [from, to], the
 * series expanded in zone tz (its event's), appended to *os, its
 * exceptions applied: cancelled ones kept (marked), moved ones where
 * they moved to (kept when their new times reach into the range). */
void	 sched_expand(const struct activity *, const char *tz, int64_t from,
	    int64_t to, struct occ **os, size_t *n, size_t *cap,
	    struct arena *);
/* The occurrence of series a on its original local day (zone tz), its
 * exception applied: 0, or -1 when a does not repeat or has none that
 * day. */
int	 sched_occurrence(const struct activity *, const char *tz, int64_t day,
	    struct occ *);
/* Drop the cancelled occurrences (the activity's or their own) from
 * os[0..*n), keeping the order. */
void	 sched_drop_cancelled(struct occ *, size_t *n);
/* The page of one occurrence: "/events/E/activities/A?date=D" for a
 * series, the activity page for a single one (arena). */
const char *sched_occ_url(struct req *, const struct occ *);
/* Show an occurrence in another zone (day and wall times move). */
void	 sched_show_in(struct occ *, const char *tz);
void	 sched_sort(struct occ *, size_t);
/* An occurrence as JSON (the list rows and the grid blocks share it). */
json_object *sched_occ_json(struct req *, const struct occ *,
	    const struct cal_pick *, size_t npicks);

/* calendar.c: mark overlapping occurrences sharing a required user
 * participant (only that user when uid is not 0). Cancelled ones, time
 * frames and all-day ones never clash. Returns how many are marked. */
size_t	 cal_clashes(struct occ *, size_t, int64_t uid);
/* Does a share a required user participant with b (only uid when not
 * 0)? The first such user's name, or NULL. */
const char *cal_shared_required(const struct activity *,
	    const struct activity *, int64_t uid);
/* The week grid of the seven local days from monday: {hours, days:
 * [{date, label, url, all_day, blocks, lanes}], first_hour, rows}.
 * A day links to day_pre + date + day_suf. */
void	 cal_week_into(struct req *, json_object *v, const struct occ *,
	    size_t, int64_t monday, int64_t today, const char *day_pre,
	    const char *day_suf,
	    const struct cal_pick *, size_t npicks);
/* The month grid of month (its first day): {weeks: [{days: [{date,
 * num, in_month, today, items, more}]}]}. */
void	 cal_month_into(struct req *, json_object *v, const struct occ *,
	    size_t, int64_t first, int64_t today, const char *day_pre,
	    const char *day_suf,
	    const struct cal_pick *, size_t npicks);
/* Today as a local day in zone tz. */
int64_t	 cal_today(const char *tz);
/* "YYYY-MM-DD" of a local day (arena). */
const char *cal_date(struct req *, int64_t day);

/* The personal calendar (routes_calendar.inc). */
int	 h_calendar(struct req *);
int	 h_calendar_week(struct req *);

enum { PCAL_FROM, PCAL_TO, PCAL_ZONE, PCAL_EVENT };
enum { PWEEK_ZONE, PWEEK_EVENT };

#endif
