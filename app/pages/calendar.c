/* calendar.c — the calendar grids (week and month), clash marking, and
 * the personal calendar across all of a user's events (PRODUCT §10
 * "Calendars").
 *
 * The week grid is plain HTML laid out by CSS grid: a row per quarter
 * hour of the shown hours, a column per overlapping lane. Placement
 * travels as class names (cs-N start row, cn-N rows, cl-N lane, lanes-N)
 * because the content security policy allows no inline styles. Rows
 * follow the wall clock of the shown zone; a block starts at its local
 * start and is as tall as the activity really lasts, so an hour across
 * a daylight-saving change is one hour tall.
 *
 * The personal calendar reads the user's events (one query) and the
 * activities they or their collaborator take part in plus the global
 * ones (three queries), whatever the number of rows; each activity is
 * shown in its event's zone, or all in the user's own zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/view.h"
#include "feeds.h"

#define WK_LANES	4	/* side-by-side blocks in a day column */
#define WK_FIRST	8	/* hours shown at least */
#define WK_LAST		18
#define MONTH_ITEMS	3	/* items in a month cell before "more" */
#define PCAL_DAYS	14	/* the personal list's default span */
#define PCAL_RANGE_MAX	366

const char *
cal_date(struct req *r, int64_t day)
{
	char	 b[16];

	tz_fmt_date(day, b, sizeof(b));
	return arena_strdup(r->a, b);
}

int64_t
cal_today(const char *tz)
{
	int64_t	 ls;

	if (tz == NULL || tz_utc_to_local(tz, (int64_t)time(NULL), &ls, NULL,
	    0) != TZ_OK)
		ls = (int64_t)time(NULL);
	return ls / 86400;
}

static const char *
day_fmt(struct req *r, int64_t day, const char *fmt)
    __attribute__((format(strftime, 3, 0)));

static const char *
day_fmt(struct req *r, int64_t day, const char *fmt)
{
	struct tm	 tm;
	time_t		 t = (time_t)(day * 86400);
	char		 buf[64];

	gmtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, sizeof(buf), fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return arena_strdup(r->a, buf);
}

/* --- clashes ------------------------------------------------------------- */

const char *
cal_shared_required(const struct activity *a, const struct activity *b,
    int64_t uid)
{
	size_t	 i, j;

	for (i = 0; i < a->nparts; i++) {
		const struct act_part *p = &a->parts[i];

		if (!p->user_id || !p->required || (uid && p->user_id != uid))
			continue;
		for (j = 0; j < b->nparts; j++)
			if (b->parts[j].user_id == p->user_id &&
			    b->parts[j].required)
				return p->name ? p->name : "";
	}
	return NULL;
}

static int
may_clash(const struct occ *o)
{
	return !o->a->all_day && !o->cancelled &&
	    strcmp(o->a->kind, "time_frame") != 0;
}

static int
start_cmp(const void *x, const void *y)
{
	const struct occ *a = *(const struct occ *const *)x;
	const struct occ *b = *(const struct occ *const *)y;

	return a->start < b->start ? -1 : a->start > b->start;
}

size_t
cal_clashes(struct occ *os, size_t n, int64_t uid)
{
	struct occ	**ix;
	size_t		 m = 0, i, j, marked = 0;

	if (n < 2)
		return 0;
	ix = calloc(n, sizeof(*ix));
	if (ix == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (may_clash(&os[i]))
			ix[m++] = &os[i];
	qsort(ix, m, sizeof(*ix), start_cmp);
	/* Sweep: later starts only while they begin before this one ends. */
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m && ix[j]->start < ix[i]->end; j++) {
			if (ix[j]->a == ix[i]->a ||
			    cal_shared_required(ix[i]->a, ix[j]->a, uid) ==
			    NULL)
				continue;
			marked += !ix[i]->clash + !ix[j]->clash;
			ix[i]->clash = ix[j]->clash = 1;
		}
	free(ix);
	return marked;
}

/* --- the week grid ------------------------------------------------------- */

struct seg {
	const struct occ *o;
	int64_t		 day;
	int		 smin, emin;	/* wall minutes of the day */
	int		 lane;
	int		 frame;
};

static int
seg_cmp(const void *x, const void *y)
{
	const struct seg *a = x, *b = y;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->frame != b->frame)
		return a->frame ? -1 : 1;
	if (a->smin != b->smin)
		return a->smin < b->smin ? -1 : 1;
	return b->emin - a->emin;
}

/* Each timed occurrence cut at local midnights into the week's days. */
static struct seg *
week_segs(struct req *r, const struct occ *os, size_t n, int64_t mon,
    size_t *nsp)
{
	struct seg	*ss = NULL;
	size_t		 ns = 0, cap = 0, i;
	int64_t		 k, sday, eday;

	for (i = 0; i < n; i++) {
		const struct occ *o = &os[i];
		int64_t		 dur = (o->end - o->start) / 60;

		if (o->a->all_day)
			continue;
		sday = o->ls / 86400;
		eday = o->le > o->ls ? (o->le - 1) / 86400 : sday;
		for (k = sday < mon ? mon : sday; k <= eday && k <= mon + 6;
		    k++) {
			struct seg	 s;
			int64_t		 e;

			memset(&s, 0, sizeof(s));
			s.o = o;
			s.day = k;
			s.frame = strcmp(o->a->kind, "time_frame") == 0;
			s.smin = k == sday ? (int)(o->ls % 86400 / 60) : 0;
			/* One day: as long as it lasts; else to midnight. */
			if (sday == eday)
				e = s.smin + dur;
			else
				e = k == eday ? (o->le - k * 86400) / 60 : 1440;
			s.emin = (int)(e > 1440 ? 1440 : e <= s.smin ?
			    s.smin + 1 : e);
			if (ns == cap) {
				struct seg	*nss;

				cap = cap ? cap * 2 : 64;
				nss = arena_calloc(r->a, cap, sizeof(*nss));
				if (ns)
					memcpy(nss, ss, ns * sizeof(*nss));
				ss = nss;
			}
			ss[ns++] = s;
		}
	}
	if (ns > 1)
		qsort(ss, ns, sizeof(*ss), seg_cmp);
	*nsp = ns;
	return ss;
}

/* Lanes per day: a block takes the first lane free at its start, so
 * overlapping blocks sit side by side. Returns lanes used per day. */
static void
week_lanes(struct seg *ss, size_t ns, int64_t mon, int lanes[7])
{
	int	 end[WK_LANES], l, best;
	int64_t	 day = -1;
	size_t	 i;

	memset(lanes, 0, 7 * sizeof(int));
	for (i = 0; i < ns; i++) {
		if (ss[i].day != day) {
			day = ss[i].day;
			for (l = 0; l < WK_LANES; l++)
				end[l] = -1;
		}
		if (ss[i].frame) {
			ss[i].lane = 0;
			continue;
		}
		best = 0;
		for (l = 0; l < WK_LANES; l++) {
			if (end[l] <= ss[i].smin) {
				best = l;
				break;
			}
			if (end[l] < end[best])
				best = l;
		}
		ss[i].lane = best;
		if (ss[i].emin > end[best])
			end[best] = ss[i].emin;
		if (best + 1 > lanes[day - mon])
			lanes[day - mon] = best + 1;
	}
}

void
cal_week_into(struct req *r, json_object *v, const struct occ *os, size_t n,
    int64_t mon, int64_t today, const char *day_pre, const char *day_suf,
    const struct cal_pick *pk, size_t npk)
{
	struct seg	*ss;
	size_t		 ns, i;
	int		 first = WK_FIRST, last = WK_LAST, rows, lanes[7], h, d;
	json_object	*days, *hours, *all, *dj[7], *adj[7], *bj[7], *fj[7];
	int		 any_all_day = 0;

	ss = week_segs(r, os, n, mon, &ns);
	for (i = 0; i < ns; i++) {
		if (ss[i].smin / 60 < first)
			first = ss[i].smin / 60;
		if ((ss[i].emin + 59) / 60 > last)
			last = (ss[i].emin + 59) / 60;
	}
	rows = (last - first) * 4;
	week_lanes(ss, ns, mon, lanes);

	days = json_object_new_array();
	for (d = 0; d < 7; d++) {
		int64_t	 day = mon + d;

		dj[d] = json_object_new_object();
		adj[d] = json_object_new_array();
		bj[d] = json_object_new_array();
		fj[d] = json_object_new_array();
		vset_str(dj[d], "date", cal_date(r, day));
		vset_str(dj[d], "label", day_fmt(r, day, "%a %-d %b"));
		vset_str(dj[d], "weekday", day_fmt(r, day, "%a"));
		vset_str(dj[d], "num", day_fmt(r, day, "%-d"));
		vset_str(dj[d], "url", arena_printf(r->a, "%s%s%s", day_pre,
		    cal_date(r, day), day_suf));
		vset_bool(dj[d], "today", day == today);
		vset_bool(dj[d], "weekend", d >= 5);
		vset_int(dj[d], "lanes", lanes[d] ? lanes[d] : 1);
		vset_obj(dj[d], "all_day", adj[d]);
		vset_obj(dj[d], "blocks", bj[d]);
		vset_obj(dj[d], "frames", fj[d]);
		json_object_array_add(days, dj[d]);
	}
	/* The all-day row: every day an all-day occurrence covers. */
	all = json_object_new_array();
	for (i = 0; i < n; i++) {
		const struct occ *o = &os[i];
		int64_t		 k;

		json_object_array_add(all, sched_occ_json(r, o, pk, npk));
		if (!o->a->all_day)
			continue;
		for (k = o->start < mon ? mon : o->start; k <= o->end &&
		    k <= mon + 6; k++) {
			json_object_array_add(adj[k - mon], sched_occ_json(r, o,
			    pk, npk));
			any_all_day = 1;
		}
	}
	for (i = 0; i < ns; i++) {
		json_object	*b = sched_occ_json(r, ss[i].o, pk, npk);
		int		 row, span;

		row = (ss[i].smin - first * 60) / 15 + 1;
		span = (ss[i].emin - ss[i].smin + 14) / 15;
		if (span < 1)
			span = 1;
		if (row + span - 1 > rows)
			span = rows - row + 1;
		vset_int(b, "row", row);
		vset_int(b, "rows", span);
		vset_int(b, "lane", ss[i].lane + 1);
		vset_int(b, "minutes", ss[i].emin - ss[i].smin);
		vset_bool(b, "continues", ss[i].day != ss[i].o->ls / 86400);
		json_object_array_add(ss[i].frame ? fj[ss[i].day - mon] :
		    bj[ss[i].day - mon], b);
	}
	hours = json_object_new_array();
	for (h = first; h < last; h++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "label", arena_printf(r->a, "%02d:00", h));
		vset_int(o, "row", (h - first) * 4 + 1);
		json_object_array_add(hours, o);
	}
	vset_obj(v, "occurrences", all);
	vset_bool(v, "has_items", n > 0);
	vset_int(v, "count", (long long)n);
	vset_obj(v, "week_days", days);
	vset_obj(v, "hours", hours);
	vset_bool(v, "has_all_day", any_all_day);
	vset_int(v, "first_hour", first);
	vset_int(v, "last_hour", last);
	vset_int(v, "rows", rows);
}

/* --- the month grid ------------------------------------------------------ */

void
cal_month_into(struct req *r, json_object *v, const struct occ *os, size_t n,
    int64_t first, int64_t today, const char *day_pre, const char *day_suf,
    const struct cal_pick *pk, size_t npk)
{
	int64_t		 gfrom = first - tz_weekday(first), last, day, cnt;
	json_object	*weeks, *week = NULL, *all;
	size_t		 i;
	char		 ym[8], dm[8];

	/* The month's last day: the day before the next month's first. */
	snprintf(ym, sizeof(ym), "%s", day_fmt(r, first, "%m"));
	for (last = first; ; last++) {
		snprintf(dm, sizeof(dm), "%s", day_fmt(r, last + 1, "%m"));
		if (strcmp(dm, ym) != 0)
			break;
	}
	all = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(all, sched_occ_json(r, &os[i], pk, npk));
	weeks = json_object_new_array();
	for (day = gfrom; day <= last + 6 - tz_weekday(last); day++) {
		json_object	*cell = json_object_new_object(), *items;

		if (tz_weekday(day) == 0) {
			json_object	*wk = json_object_new_object();

			week = json_object_new_array();
			vset_obj(wk, "days", week);
			json_object_array_add(weeks, wk);
		}
		items = json_object_new_array();
		cnt = 0;
		for (i = 0; i < n; i++) {
			const struct occ *o = &os[i];
			int	 on = o->a->all_day ? o->start <= day &&
			    day <= o->end : o->day == day;

			if (!on)
				continue;
			if (cnt++ < MONTH_ITEMS)
				json_object_array_add(items, sched_occ_json(r, o,
				    pk, npk));
		}
		vset_str(cell, "date", cal_date(r, day));
		vset_str(cell, "num", day_fmt(r, day, "%-d"));
		vset_str(cell, "weekday", day_fmt(r, day, "%a"));
		vset_str(cell, "url", arena_printf(r->a, "%s%s%s", day_pre,
		    cal_date(r, day), day_suf));
		vset_bool(cell, "in_month", day >= first && day <= last);
		vset_bool(cell, "today", day == today);
		vset_obj(cell, "items", items);
		vset_int(cell, "count", cnt);
		vset_int(cell, "more", cnt > MONTH_ITEMS ? cnt - MONTH_ITEMS :
		    0);
		json_object_array_add(week, cell);
	}
	vset_obj(v, "occurrences", all);
	vset_bool(v, "has_items", n > 0);
	vset_int(v, "count", (long long)n);
	vset_obj(v, "weeks", weeks);
}

/* --- the personal calendar ----------------------------------------------- */

struct pcal {
	struct act_event *evs;
	size_t		 nev;
	unsigned char	*shown;		/* per event: filtered in */
	int		 filtered;
	int		 own_zone;	/* zone=user */
	const char	*utz;
	const char	*qs;		/* filters other than dates/zone */
	struct occ	*os;
	size_t		 n;
};

/* Read zone and event filters: 0, or the status sent (422 a bad zone,
 * 404 an event that is not one of the user's). */
static int
pcal_filters(struct req *r, struct pcal *p, int zi, int ei)
{
	struct buf	 qs;
	size_t		 i, j;

	p->utz = r->user->timezone ? r->user->timezone : "UTC";
	if (r->in[zi].present && strcmp(r->in[zi].s, "user") != 0 &&
	    strcmp(r->in[zi].s, "event") != 0)
		return render_error(r, 422, "invalid-zone", "zone: show times "
		    "in the event's zone (event) or yours (user).");
	p->own_zone = r->in[zi].present && strcmp(r->in[zi].s, "user") == 0;
	p->evs = activity_my_events(r, r->user->id, &p->nev);
	if (p->nev == (size_t)-1)
		return 503;
	p->shown = arena_calloc(r->a, p->nev + 1, 1);
	buf_init(&qs);
	for (i = 0; i < r->in[ei].nmulti; i++) {
		const char	*s = r->in[ei].multi[i];
		char		*end;
		long long	 id;

		if (*s == '\0')
			continue;
		id = strtoll(s, &end, 10);
		for (j = 0; *end == '\0' && id > 0 && j < p->nev; j++)
			if (p->evs[j].id == id)
				break;
		if (*end != '\0' || id <= 0 || j == p->nev) {
			buf_free(&qs);
			return render_error(r, 404, "not-found", arena_printf(
			    r->a, "event: %s is not one of your events.", s));
		}
		if (!p->shown[j])
			buf_printf(&qs, "&event=%lld", id);
		p->shown[j] = 1;
		p->filtered = 1;
	}
	p->qs = arena_strdup(r->a, qs.len ? buf_cstr(&qs) : "");
	buf_free(&qs);
	return 0;
}

/* The occurrences over local days [from, to]: expanded in each event's
 * zone, then shown in it or in the user's. 0 or -1. */
static int
pcal_collect(struct req *r, struct pcal *p, int64_t from, int64_t to)
{
	struct act_range rg;
	struct activity	*as;
	size_t		 cap = 0, i, n0, j;
	long		 na, k;

	p->os = NULL;
	p->n = 0;
	/* A day on each side: the shown zone may differ from the event's. */
	activity_range(from - 1, to + 1, NULL, &rg);
	if ((as = activity_list_personal(r, r->user->id, &rg, &na)) == NULL &&
	    na < 0)
		return -1;
	for (k = 0; k < na; k++) {
		for (j = 0; j < p->nev; j++)
			if (p->evs[j].id == as[k].event_id)
				break;
		if (j == p->nev || (p->filtered && !p->shown[j]))
			continue;
		n0 = p->n;
		sched_expand(&as[k], p->evs[j].timezone, from - 1, to + 1,
		    &p->os, &p->n, &cap, r->a);
		for (i = n0; i < p->n; i++) {
			p->os[i].ev_name = p->evs[j].name;
			p->os[i].cals = 1;
			if (p->own_zone)
				sched_show_in(&p->os[i], p->utz);
		}
	}
	/* Keep what reaches into [from, to] in the shown zone. */
	for (i = j = 0; i < p->n; i++) {
		const struct occ *o = &p->os[i];
		int64_t		 endday = o->a->all_day ? o->end :
		    (o->le > o->ls ? (o->le - 1) / 86400 : o->day);

		if (o->day <= to && endday >= from)
			p->os[j++] = p->os[i];
	}
	p->n = j;
	sched_sort(p->os, p->n);
	(void)cal_clashes(p->os, p->n, r->user->id);
	return 0;
}

static const struct cal_pick personal_pick[] = {
	{ "personal", "Personal", 0 },
};

/* View parts both personal pages share: zone switch, event filter. */
static json_object *
pcal_view(struct req *r, const struct pcal *p, const char *path,
    const char *dates)
{
	json_object	*v = view_new(r), *evs;
	size_t		 i, clashes = 0;

	vset_str(v, "user_timezone", p->utz);
	vset_str(v, "filter_action", path);
	vset_str(v, "zone", p->own_zone ? "user" : "event");
	vset_bool(v, "own_zone", p->own_zone);
	vset_str(v, "event_zone_url", arena_printf(r->a, "%s?zone=event%s%s",
	    path, dates, p->qs));
	vset_str(v, "user_zone_url", arena_printf(r->a, "%s?zone=user%s%s",
	    path, dates, p->qs));
	evs = json_object_new_array();
	for (i = 0; i < p->nev; i++) {
		json_object	*e = json_object_new_object();

		vset_int(e, "id", p->evs[i].id);
		vset_str(e, "name", p->evs[i].name);
		vset_str(e, "timezone", p->evs[i].timezone);
		vset_bool(e, "archived", p->evs[i].archived);
		vset_bool(e, "checked", p->filtered && p->shown[i]);
		vset_str(e, "url", arena_printf(r->a, "/events/%lld/schedule",
		    (long long)p->evs[i].id));
		vset_str(e, "input_id", arena_printf(r->a, "ev-%lld",
		    (long long)p->evs[i].id));
		json_object_array_add(evs, e);
	}
	vset_obj(v, "events", evs);
	vset_bool(v, "has_events", p->nev > 0);
	for (i = 0; i < p->n; i++)
		clashes += p->os[i].clash != 0;
	vset_int(v, "clashes", (long long)clashes);
	vset_str(v, "list_url", "/calendar");
	vset_str(v, "week_url", arena_printf(r->a, "/calendar/week/%s",
	    cal_date(r, cal_today(p->utz))));
	feeds_subscribe_into(r, v, "personal", 0);
	return v;
}

/* GET /calendar?from=&to=&zone=&event= — 200 the signed-in user's
 * personal calendar as a list by day (default the next two weeks), each
 * activity in its event's zone or (zone=user) in the user's; 404 an
 * event filter that is not one of the user's; 422 a bad range or
 * zone. */
int
h_calendar(struct req *r)
{
	struct pcal	 p;
	json_object	*v, *all, *days, *day = NULL, *items = NULL;
	int64_t		 from, to, cur = -1;
	size_t		 i;
	int		 st;

	memset(&p, 0, sizeof(p));
	if (r->nerrors)
		return render_error(r, 422, "invalid-range", "from and to must "
		    "be dates (YYYY-MM-DD).");
	if ((st = pcal_filters(r, &p, PCAL_ZONE, PCAL_EVENT)) != 0)
		return st;
	from = cal_today(p.utz);
	if (r->in[PCAL_FROM].present &&
	    tz_parse_date(r->in[PCAL_FROM].s, &from) != 0)
		return render_error(r, 422, "invalid-range", "from: not a "
		    "date.");
	to = from + PCAL_DAYS - 1;
	if (r->in[PCAL_TO].present &&
	    tz_parse_date(r->in[PCAL_TO].s, &to) != 0)
		return render_error(r, 422, "invalid-range", "to: not a date.");
	if (to < from || to - from >= PCAL_RANGE_MAX)
		return render_error(r, 422, "invalid-range", "to: must not be "
		    "before from, and the range at most 366 days.");
	if (pcal_collect(r, &p, from, to) != 0)
		return 503;
	v = pcal_view(r, &p, "/calendar", arena_printf(r->a,
	    "&from=%s&to=%s", cal_date(r, from), cal_date(r, to)));
	vset_str(v, "from", cal_date(r, from));
	vset_str(v, "to", cal_date(r, to));
	vset_str(v, "prev_url", arena_printf(r->a, "/calendar?zone=%s&from=%s"
	    "&to=%s%s", p.own_zone ? "user" : "event",
	    cal_date(r, from - (to - from + 1)), cal_date(r, from - 1), p.qs));
	vset_str(v, "next_url", arena_printf(r->a, "/calendar?zone=%s&from=%s"
	    "&to=%s%s", p.own_zone ? "user" : "event", cal_date(r, to + 1),
	    cal_date(r, to + (to - from + 1)), p.qs));
	vset_str(v, "today_url", arena_printf(r->a, "/calendar?zone=%s%s",
	    p.own_zone ? "user" : "event", p.qs));
	all = json_object_new_array();
	/* The days only for the HTML page (as the event's list). */
	days = r->fmt == FMT_JSON ? NULL : json_object_new_array();
	for (i = 0; i < p.n; i++) {
		json_object	*o = sched_occ_json(r, &p.os[i], personal_pick,
		    1);

		json_object_array_add(all, o);
		if (days == NULL)
			continue;
		if (p.os[i].day != cur) {
			cur = p.os[i].day < from ? from : p.os[i].day;
			if (day == NULL || p.os[i].day >= from) {
				day = json_object_new_object();
				items = json_object_new_array();
				vset_str(day, "date", cal_date(r, cur));
				vset_str(day, "label", day_fmt(r, cur,
				    "%A %-d %B %Y"));
				vset_obj(day, "items", items);
				json_object_array_add(days, day);
			}
			cur = p.os[i].day;
		}
		json_object_array_add(items, json_object_get(o));
	}
	vset_obj(v, "occurrences", all);
	if (days != NULL)
		vset_obj(v, "days", days);
	vset_bool(v, "has_items", p.n > 0);
	vset_int(v, "count", (long long)p.n);
	vset_bool(v, "view_list", 1);
	return render_page(r, 200, "calendar/list", "My calendar", v);
}

/* GET /calendar/week/{date}?zone=&event= — 200 the personal calendar's
 * week (Monday to Sunday) holding the date as a grid; 404 not a date or
 * an event filter that is not one of the user's; 422 a bad zone. */
int
h_calendar_week(struct req *r)
{
	struct pcal	 p;
	json_object	*v;
	int64_t		 d, mon;
	int		 st;
	const char	*z;

	memset(&p, 0, sizeof(p));
	if (tz_parse_date(req_pathvar(r, 0), &d) != 0)
		return render_error(r, 404, "not-found", "date: not a date "
		    "(YYYY-MM-DD).");
	if ((st = pcal_filters(r, &p, PWEEK_ZONE, PWEEK_EVENT)) != 0)
		return st;
	mon = d - tz_weekday(d);
	if (pcal_collect(r, &p, mon, mon + 6) != 0)
		return 503;
	z = p.own_zone ? "user" : "event";
	v = pcal_view(r, &p, arena_printf(r->a, "/calendar/week/%s",
	    cal_date(r, d)), "");
	vset_str(v, "from", cal_date(r, mon));
	vset_str(v, "to", cal_date(r, mon + 6));
	vset_str(v, "week_label", arena_printf(r->a, "%s – %s",
	    day_fmt(r, mon, "%-d %b"), day_fmt(r, mon + 6, "%-d %b %Y")));
	vset_str(v, "prev_url", arena_printf(r->a, "/calendar/week/%s?zone=%s%s",
	    cal_date(r, mon - 7), z, p.qs));
	vset_str(v, "next_url", arena_printf(r->a, "/calendar/week/%s?zone=%s%s",
	    cal_date(r, mon + 7), z, p.qs));
	vset_str(v, "today_url", arena_printf(r->a,
	    "/calendar/week/%s?zone=%s%s", cal_date(r, cal_today(p.utz)), z,
	    p.qs));
	cal_week_into(r, v, p.os, p.n, mon, cal_today(p.utz),
	    arena_printf(r->a, "/calendar?zone=%s%s&from=", z, p.qs),
	    "", personal_pick, 1);
	vset_bool(v, "view_week", 1);
	return render_page(r, 200, "calendar/week", "My calendar · week", v);
}
