/* schedule.c — an event's activities and its calendar: the list of
 * occurrences over a date range, the day view, an activity's page,
 * create, edit (the whole series) and cancel (PRODUCT §5 schedule
 * section, §10).
 *
 * Visibility: global activities are basic access; otherwise the actor
 * takes part (directly or through their collaborator) or holds schedule
 * view through the Event domain, a participating collaborator or a
 * tagged area. The calendar reads the event's activities, participants
 * and areas in three queries and decides per row in memory, so its
 * query count does not depend on the number of rows.
 *
 * Times: timed activities are entered as local date and "HH:MM" in the
 * event's zone (or the zone named in the form) and stored in UTC; a time
 * in a daylight-saving gap is refused, an ambiguous one takes the
 * earlier instant (policy/tz.h). Occurrences keep the local start time
 * and the duration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deny.h"
#include "advsummary.h"
#include "calendar.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "actperm.h"
#include "feeds.h"
#include "events.h"
#include "model/activity.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/view.h"
#include "render/vw.h"
#include "schedule.h"

#define RANGE_MAX	366	/* days a calendar page may span */
#define SPAN_MAX	31	/* days a timed activity may last */
#define DAILY_MAX	730	/* days a daily series may run */

static const char *const wdnames[7] = { "mon", "tue", "wed", "thu", "fri",
    "sat", "sun" };
static const char *const wdlabels[7] = { "Mon", "Tue", "Wed", "Thu", "Fri",
    "Sat", "Sun" };

/* --- small helpers ------------------------------------------------------- */


static int
forbidden(struct req *r, enum level need)
{
	return page_refuse(r, 403, "insufficient-permission", arena_printf(r->a,
	    "This needs %s access to schedule.", level_name(need)));
}

static const char *secs_fmt(struct req *, int64_t, const char *)
	    __attribute__((format(strftime, 3, 0)));

static const char *
secs_fmt(struct req *r, int64_t t, const char *fmt)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 buf[64];

	gmtime_r(&tt, &tm);
	/* fmt is checked at every call site (the attribute above). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, sizeof(buf), fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return arena_strdup(r->a, buf);
}

static int
event_admin(const struct event_ctx *c)
{
	struct perm_target	 t;

	target_event(&t);
	return perm_level(&c->actor, SEC_SCHEDULE, &t) >= LV_ADMIN;
}

/* --- occurrences --------------------------------------------------------- */

static enum tz_freq
freq_of(const char *s)
{
	if (s == NULL)
		return FREQ_NONE;
	if (strcmp(s, "daily") == 0)
		return FREQ_DAILY;
	if (strcmp(s, "weekly") == 0)
		return FREQ_WEEKLY;
	if (strcmp(s, "monthly") == 0)
		return FREQ_MONTHLY;
	return FREQ_NONE;
}

static void
rule_of(const struct activity *a, struct tz_rule *ru)
{
	memset(ru, 0, sizeof(*ru));
	ru->freq = freq_of(a->rec_freq);
	ru->interval = a->rec_interval > 0 ? (int)a->rec_interval : 1;
	ru->weekdays = (unsigned)a->rec_weekdays;
	if (a->rec_until == NULL || tz_parse_date(a->rec_until, &ru->until))
		ru->until = -1;
}

/* A timed occurrence's wall times and zone abbreviations in o->tz. */
static void
occ_local(struct occ *o)
{
	(void)tz_utc_to_local(o->tz, o->start, &o->ls, o->abbr_s,
	    sizeof(o->abbr_s));
	(void)tz_utc_to_local(o->tz, o->end, &o->le, o->abbr_e,
	    sizeof(o->abbr_e));
}

/* The unmoved occurrence of a on local day d (tod: the series' local
 * start time, span: its length in local days). 0, or -1 when its start
 * has no instant. */
static int
occ_base(const struct activity *a, const char *tz, int64_t d, int64_t tod,
    int64_t span, struct occ *o)
{
	int64_t	 ls;

	memset(o, 0, sizeof(*o));
	o->a = a;
	o->tz = tz;
	o->ev_id = a->event_id;
	o->day = o->orig_day = d;
	o->name = a->name;
	o->location = a->location;
	o->cancelled = a->cancelled;
	if (a->all_day) {
		o->start = o->orig_start = d;
		o->end = d + span;
		return 0;
	}
	ls = d * 86400 + tod;
	/* A start in a gap moves an hour on. */
	if (tz_local_to_utc(tz, ls, &o->start) != TZ_OK &&
	    tz_local_to_utc(tz, ls + 3600, &o->start) != TZ_OK)
		return -1;
	o->orig_start = o->start;
	o->end = o->start + (tz_stamp_secs(a->end_utc) -
	    tz_stamp_secs(a->start_utc));
	occ_local(o);
	return 0;
}

/* Apply the occurrence's exception: name, location, cancelled, and a
 * timed one's own start and end (its day may change). */
static void
occ_apply(struct occ *o, const struct act_exception *x)
{
	const struct activity *a = o->a;

	if ((o->x = x) == NULL)
		return;
	if (x->name != NULL)
		o->name = x->name;
	if (x->location != NULL)
		o->location = x->location;
	o->cancelled = a->cancelled || x->cancelled;
	if (a->all_day || x->start_utc == NULL || x->end_utc == NULL)
		return;
	o->moved = 1;
	o->start = tz_stamp_secs(x->start_utc);
	o->end = tz_stamp_secs(x->end_utc);
	occ_local(o);
	o->day = o->ls / 86400;
}

static void
occ_push(struct occ **os, size_t *n, size_t *cap, struct arena *ar,
    const struct occ *o)
{
	*os = arena_grow(ar, *os, *n, cap, sizeof(**os));
	(*os)[(*n)++] = *o;
}

/* A series' first local day, its local start time (timed) and its
 * length in local days. 0 or -1. */
static int
series_shape(const struct activity *a, const char *tz, int64_t *first,
    int64_t *tod, int64_t *span)
{
	int64_t		 last, ls, lend;

	if (a->all_day) {
		if (tz_parse_date(a->start_date, first) ||
		    tz_parse_date(a->end_date, &last))
			return -1;
		*span = last - *first;
		*tod = 0;
		return 0;
	}
	if (tz_utc_to_local(tz, tz_stamp_secs(a->start_utc), &ls, NULL, 0) !=
	    TZ_OK)
		return -1;
	*first = ls / 86400;
	*tod = ls % 86400;
	(void)tz_utc_to_local(tz, tz_stamp_secs(a->end_utc), &lend, NULL, 0);
	*span = lend / 86400 - *first;
	return 0;
}

/* Append the occurrences of a overlapping local days [from, to]. */
void
sched_expand(const struct activity *a, const char *tz, int64_t from,
    int64_t to, struct occ **os, size_t *n, size_t *cap, struct arena *ar)
{
	struct tz_rule	 ru;
	int64_t		 days[TZ_OCC_MAX], first, tod, span;
	size_t		 i, k;

	rule_of(a, &ru);
	if (series_shape(a, tz, &first, &tod, &span) != 0)
		return;
	k = tz_expand(&ru, first, from - span, to, days, TZ_OCC_MAX, NULL);
	for (i = 0; i < k; i++) {
		struct occ	 o;

		if (occ_base(a, tz, days[i], tod, span, &o) != 0)
			continue;
		if (a->rec_freq != NULL)
			occ_apply(&o, activity_exception_on(a, days[i]));
		if (o.moved ? o.day > to || o.le / 86400 < from :
		    o.day + span < from)
			continue;
		occ_push(os, n, cap, ar, &o);
	}
	/* Occurrences moved into the range from days outside the ones
	 * expanded above. */
	for (i = 0; a->rec_freq != NULL && !a->all_day && i < a->nexcs; i++) {
		const struct act_exception *x = &a->excs[i];
		struct occ	 o;

		if (x->start_utc == NULL || x->end_utc == NULL ||
		    (x->day >= from - span && x->day <= to) ||
		    tz_expand(&ru, first, x->day, x->day, days, TZ_OCC_MAX,
		    NULL) != 1 ||
		    occ_base(a, tz, x->day, tod, span, &o) != 0)
			continue;
		occ_apply(&o, x);
		if (o.day > to || o.le / 86400 < from)
			continue;
		occ_push(os, n, cap, ar, &o);
	}
}

void
sched_drop_cancelled(struct occ *os, size_t *n)
{
	size_t	 i, j;

	for (i = j = 0; i < *n; i++)
		if (!os[i].cancelled)
			os[j++] = os[i];
	*n = j;
}

void
sched_show_in(struct occ *o, const char *tz)
{
	o->tz = tz;
	if (o->a->all_day)
		return;
	occ_local(o);
	o->day = o->ls / 86400;
}

static int
occ_cmp(const void *x, const void *y)
{
	const struct occ *a = x, *b = y;
	int64_t		 ka, kb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->a->all_day != b->a->all_day)
		return a->a->all_day ? -1 : 1;
	ka = a->start;
	kb = b->start;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return a->a->id < b->a->id ? -1 : a->a->id > b->a->id;
}

void
sched_sort(struct occ *os, size_t n)
{
	if (n > 1)
		qsort(os, n, sizeof(*os), occ_cmp);
}

static const char *
act_url(struct req *r, int64_t ev, int64_t id)
{
	return arena_printf(r->a, "/events/%lld/activities/%lld",
	    (long long)ev, (long long)id);
}

const char *
sched_occ_url(struct req *r, const struct occ *o)
{
	char	 d[11];

	if (o->a->rec_freq == NULL)
		return act_url(r, o->ev_id, o->a->id);
	tz_fmt_date(o->orig_day, d, sizeof(d));
	return arena_printf(r->a, "/events/%lld/activities/%lld?date=%s",
	    (long long)o->ev_id, (long long)o->a->id, d);
}

/* "09:00" of a wall time. */
static void
fmt_hm(int64_t lsec, char out[6])
{
	char	 stamp[21];

	tz_fmt_stamp(lsec, 0, stamp);
	memcpy(out, stamp + 11, 5);
	out[5] = '\0';
}

/* One occurrence: its times ("09:00 CEST – 10:30 CEST" or "All day"),
 * and a marker per ticked calendar it is on. Written through w: json-c
 * objects for the pages, text for the API (list_into). */
static void
sched_occ_emit(struct vw *w, struct req *r, const struct occ *o,
    const struct cal_pick *pk, size_t npk)
{
	const struct activity *a = o->a;
	char		 d[11], s1[21], s2[21], h1[6], h2[6], text[96];
	size_t		 i;
	int		 colour = -1, y, m, dd;

	vw_obj(w, NULL);
	vw_int(w, "activity_id", a->id);
	vw_int(w, "event_id", o->ev_id);
	vw_str(w, "event_name", o->ev_name);
	vw_str(w, "url", sched_occ_url(r, o));
	vw_str(w, "name", o->name);
	vw_str(w, "type", a->kind);
	vw_bool(w, "time_frame", strcmp(a->kind, "time_frame") == 0);
	vw_bool(w, "all_day", a->all_day);
	vw_bool(w, "global", a->is_global);
	vw_bool(w, "cancelled", o->cancelled);
	vw_bool(w, "recurring", a->rec_freq != NULL);
	vw_bool(w, "clash", o->clash);
	vw_str(w, "location", o->location);
	/* The occurrence itself: its original day names it. */
	if (a->rec_freq != NULL) {
		tz_fmt_date(o->orig_day, d, sizeof(d));
		vw_str(w, "occurrence_date", d);
	}
	vw_bool(w, "changed", o->x != NULL);
	vw_bool(w, "moved", o->moved);
	vw_str(w, "timezone", o->tz);
	tz_fmt_date(o->day, d, sizeof(d));
	vw_str(w, "date", d);
	if (a->all_day) {
		tz_fmt_date(o->start, d, sizeof(d));
		vw_str(w, "start_date", d);
		tz_fmt_date(o->end, d, sizeof(d));
		vw_str(w, "end_date", d);
		vw_str(w, "time_text", "All day");
	} else {
		tz_fmt_stamp(o->start, 1, s1);
		vw_str(w, "start", s1);
		tz_fmt_stamp(o->end, 1, s1);
		vw_str(w, "end", s1);
		vw_int(w, "duration_minutes", (o->end - o->start) / 60);
		tz_fmt_stamp(o->ls, 0, s1);
		tz_fmt_stamp(o->le, 0, s2);
		vw_str(w, "start_local", s1);
		vw_str(w, "end_local", s2);
		fmt_hm(o->ls, h1);
		fmt_hm(o->le, h2);
		/* An end on another day names it: "… – 16 Jun 01:00". */
		if (o->ls / 86400 == o->le / 86400)
			snprintf(text, sizeof(text), "%s %s – %s %s", h1,
			    o->abbr_s, h2, o->abbr_e);
		else {
			tz_civil(o->le / 86400, &y, &m, &dd);
			snprintf(text, sizeof(text), "%s %s – %d %.3s %s %s",
			    h1, o->abbr_s, dd, &"JanFebMarAprMayJunJulAugSep"
			    "OctNovDec"[(m - 1) * 3], h2, o->abbr_e);
		}
		vw_str(w, "time_text", text);
		vw_str(w, "start_hm", h1);
	}
	vw_arr(w, "areas");
	for (i = 0; i < a->nareas; i++)
		vw_str(w, NULL, a->areas[i].name ? a->areas[i].name : "");
	vw_end(w);
	vw_arr(w, "markers");
	for (i = 0; i < npk; i++) {
		if (!((o->cals >> i) & 1))
			continue;
		vw_obj(w, NULL);
		vw_str(w, "calendar", pk[i].key);
		vw_str(w, "label", pk[i].label);
		vw_int(w, "colour", pk[i].colour);
		vw_end(w);
		if (colour < 0)
			colour = pk[i].colour;
	}
	vw_end(w);
	vw_bool(w, "has_markers", npk > 1);
	vw_int(w, "colour", colour < 0 ? 0 : colour);
	vw_end(w);
}

json_object *
sched_occ_json(struct req *r, const struct occ *o, const struct cal_pick *pk,
    size_t npk)
{
	struct vw	 w;

	vw_tree(&w);
	sched_occ_emit(&w, r, o, pk, npk);
	return vw_take(&w);
}

/* --- calendars: which ones, and the overlay -------------------------------- */

enum calkind { CK_PERSONAL, CK_EVENT, CK_COLLAB, CK_AREA };

/* The calendars ticked on an event calendar page, the selector listing
 * the viewable ones, and the query string that keeps the choice. */
struct calsel {
	struct cal_pick	 picks[CAL_MAX];
	enum calkind	 kind[CAL_MAX];
	int64_t		 id[CAL_MAX];
	size_t		 n;
	const char	*qs;		/* "?cal=…&cal=…" or "" */
	json_object	*groups;
	struct act_choices ch;
};

/* Collaborator X's calendar: schedule view covering X, or X is the
 * actor's own collaborator. */
static int
collab_viewable(const struct event_ctx *c, int64_t id)
{
	struct perm_target	 t;

	if (c->actor.event_user && c->actor.collab_id == id)
		return 1;
	target_collab(&t, id);
	return perm_level(&c->actor, SEC_SCHEDULE, &t) >= LV_VIEW;
}

static int
area_viewable(const struct event_ctx *c, int64_t id)
{
	struct perm_target	 t;

	target_area(&t, id);
	return perm_level(&c->actor, SEC_SCHEDULE, &t) >= LV_VIEW;
}

/* One selector entry; colours follow the order of the whole list, so a
 * calendar keeps its colour whatever else is ticked. */
static json_object *
sel_item(struct req *r, const char *key, const char *label, int colour,
    int checked)
{
	json_object	*o = json_object_new_object();

	vset_str(o, "key", key);
	vset_str(o, "label", label);
	vset_int(o, "colour", colour);
	vset_bool(o, "checked", checked);
	vset_str(o, "input_id", arena_printf(r->a, "cal-%s", key));
	return o;
}

static json_object *
sel_group(const char *label, json_object *items)
{
	json_object	*g = json_object_new_object();

	vset_str(g, "label", label);
	vset_obj(g, "items", items);
	vset_bool(g, "has_items", json_object_array_length(items) > 0);
	return g;
}

/* Read the cal parameters (field idx) against the viewable calendars:
 * 0, or the status sent — 422 for a malformed value, 404 for a
 * calendar that is not one the actor may view on this event (another
 * event's, another vendor's, unknown alike). Three queries. */
static int
calsel_read(struct req *r, const struct event_ctx *c, int idx,
    struct calsel *sel)
{
	struct { enum calkind k; int64_t id; const char *key, *label; }
			*all;
	const char	*want[CAL_MAX];
	size_t		 nall = 0, nwant = 0, i, j;
	json_object	*gen, *cols, *ars, *groups;
	struct buf	 qs;

	memset(sel, 0, sizeof(*sel));
	if (activity_choices(r, c->ev.id, &sel->ch) != 0)
		return 503;
	all = arena_calloc(r->a, 2 + sel->ch.ncollabs + sel->ch.nareas,
	    sizeof(*all));
	all[nall].k = CK_PERSONAL;
	all[nall].key = "personal";
	all[nall++].label = "Personal";
	all[nall].k = CK_EVENT;
	all[nall].key = "event";
	all[nall++].label = "Event";
	for (i = 0; i < sel->ch.ncollabs; i++)
		if (collab_viewable(c, sel->ch.collabs[i].id)) {
			all[nall].k = CK_COLLAB;
			all[nall].id = sel->ch.collabs[i].id;
			all[nall].key = arena_printf(r->a, "collab:%lld",
			    (long long)all[nall].id);
			all[nall++].label = sel->ch.collabs[i].name;
		}
	for (i = 0; i < sel->ch.nareas; i++)
		if (area_viewable(c, sel->ch.areas[i].id)) {
			all[nall].k = CK_AREA;
			all[nall].id = sel->ch.areas[i].id;
			all[nall].key = arena_printf(r->a, "area:%lld",
			    (long long)all[nall].id);
			all[nall++].label = sel->ch.areas[i].name;
		}

	for (i = 0; i < r->in[idx].nmulti; i++) {
		const char	*v = r->in[idx].multi[i];
		char		 kind[8];
		long long	 id;
		int		 end = 0;

		if (*v == '\0')
			continue;
		if (strcmp(v, "personal") != 0 && strcmp(v, "event") != 0 &&
		    (sscanf(v, "%7[a-z]:%lld%n", kind, &id, &end) != 2 ||
		    v[end] != '\0' || id <= 0 || (strcmp(kind, "collab") != 0 &&
		    strcmp(kind, "area") != 0)))
			return page_refuse(r, 422, "invalid-calendar", arena_printf(
			    r->a, "cal: \"%s\" is not a calendar (personal, "
			    "event, collab:ID or area:ID).", v));
		for (j = 0; j < nall; j++)
			if (strcmp(all[j].key, v) == 0)
				break;
		if (j == nall)
			return page_refuse(r, 404, "not-found", arena_printf(r->a,
			    "cal: there is no calendar %s you can view on this "
			    "event.", v));
		for (j = 0; j < nwant; j++)
			if (strcmp(want[j], v) == 0)
				break;
		if (j < nwant)
			continue;
		if (nwant == CAL_MAX)
			return page_refuse(r, 422, "invalid-calendar", arena_printf(
			    r->a, "cal: at most %d calendars at once.",
			    CAL_MAX));
		want[nwant++] = v;
	}
	if (nwant == 0)
		want[nwant++] = "event";

	buf_init(&qs);
	gen = json_object_new_array();
	cols = json_object_new_array();
	ars = json_object_new_array();
	for (j = 0; j < nall; j++) {
		int	 colour = (int)(j % CAL_COLOURS), ticked = 0;

		for (i = 0; i < nwant; i++)
			if (strcmp(want[i], all[j].key) == 0)
				ticked = 1;
		json_object_array_add(all[j].k == CK_COLLAB ? cols :
		    all[j].k == CK_AREA ? ars : gen, sel_item(r, all[j].key,
		    all[j].label, colour, ticked));
		if (!ticked)
			continue;
		sel->picks[sel->n].key = all[j].key;
		sel->picks[sel->n].label = all[j].label;
		sel->picks[sel->n].colour = colour;
		sel->kind[sel->n] = all[j].k;
		sel->id[sel->n] = all[j].id;
		sel->n++;
		buf_printf(&qs, "%ccal=%s", qs.len ? '&' : '?', all[j].key);
	}
	sel->qs = arena_strdup(r->a, qs.len ? buf_cstr(&qs) : "");
	buf_free(&qs);
	/* The request's: cal_view takes its own reference. */
	groups = req_own_json(r, json_object_new_array());
	json_object_array_add(groups, sel_group("General", gen));
	json_object_array_add(groups, sel_group("Collaborators", cols));
	json_object_array_add(groups, sel_group("Areas", ars));
	sel->groups = groups;
	return 0;
}

/* Which ticked calendars an activity is on (bit per pick). */
static unsigned
cals_of(struct req *r, const struct event_ctx *c, const struct calsel *sel,
    const struct activity *a)
{
	unsigned	 bits = 0;
	size_t		 i, j;

	for (i = 0; i < sel->n; i++) {
		int	 on = 0;

		switch (sel->kind[i]) {
		case CK_PERSONAL:
			on = a->is_global || act_takes_part(c, r->user->id, a);
			break;
		case CK_EVENT:
			on = 1;
			break;
		case CK_COLLAB:
			for (j = 0; j < a->nparts; j++)
				on |= a->parts[j].collab_id == sel->id[i];
			break;
		case CK_AREA:
			for (j = 0; j < a->nareas; j++)
				on |= a->areas[j].area_id == sel->id[i];
			break;
		}
		if (on)
			bits |= 1u << i;
	}
	return bits;
}

/* The visible occurrences on the ticked calendars over local days
 * [from, to], sorted, clashes marked, in an arena array (*np); three
 * queries whatever the number of rows. 0 or -1. */
static int
collect(struct req *r, const struct event_ctx *c, const struct calsel *sel,
    int64_t from, int64_t to, struct occ **osp, size_t *np)
{
	struct act_range rg;
	struct activity	*as;
	size_t		 cap = 0, i, n0;
	long		 na, k;
	unsigned	 bits;

	*osp = NULL;
	*np = 0;
	activity_range(from, to, c->ev.timezone, &rg);
	if ((as = activity_list_range(r, c->ev.id, &rg, &na)) == NULL &&
	    na < 0)
		return -1;
	for (k = 0; k < na; k++) {
		if (!act_visible(c, r->user->id, &as[k]))
			continue;
		bits = sel ? cals_of(r, c, sel, &as[k]) : 1;
		if (bits == 0)
			continue;
		n0 = *np;
		sched_expand(&as[k], c->ev.timezone, from, to, osp, np, &cap,
		    r->a);
		for (i = n0; i < *np; i++)
			(*osp)[i].cals = bits;
	}
	sched_sort(*osp, *np);
	(void)cal_clashes(*osp, *np, 0);
	return 0;
}

/* The calendar over local days [from, to]: {occurrences: [...],
 * days: [{date, label, items}]}. The days only for the HTML page: they
 * repeat every occurrence, which a JSON client groups by its date. The
 * API's occurrences are written as text: nothing walks them. */
static void
list_into(struct req *r, const struct event_ctx *c, json_object *v,
    const struct calsel *sel, struct occ *os, size_t n, int64_t from)
{
	json_object	*all, *days, *day = NULL, *items = NULL;
	struct vw	 w;
	size_t		 i, clashes = 0;
	int64_t		 cur = -1;

	if (r->fmt == FMT_JSON)
		vw_text(&w);
	else
		vw_tree(&w);
	vw_arr(&w, NULL);
	for (i = 0; i < n; i++) {
		sched_occ_emit(&w, r, &os[i], sel->picks, sel->n);
		clashes += os[i].clash != 0;
	}
	vw_end(&w);
	all = vw_take(&w);
	vset_obj(v, "occurrences", all);
	vset_bool(v, "has_items", n > 0);
	vset_int(v, "count", (long long)n);
	vset_int(v, "clashes", (long long)clashes);
	if (r->fmt == FMT_JSON)
		return;
	days = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (os[i].day != cur) {
			cur = os[i].day < from ? from : os[i].day;
			if (day == NULL || os[i].day >= from) {
				day = json_object_new_object();
				items = json_object_new_array();
				vset_str(day, "date", cal_date(r, cur));
				vset_str(day, "label", secs_fmt(r, cur * 86400,
				    "%A %-d %B %Y"));
				vset_str(day, "url", arena_printf(r->a,
				    "/events/%lld/schedule/day/%s%s",
				    (long long)c->ev.id, cal_date(r, cur),
				    sel->qs));
				vset_obj(day, "items", items);
				json_object_array_add(days, day);
			}
			cur = os[i].day;
		}
		json_object_array_add(items,
		    json_object_get(json_object_array_get_idx(all, i)));
	}
	vset_obj(v, "days", days);
}

static json_object *
base_view(struct req *r, const struct event_ctx *c)
{
	json_object	*v = view_new(r);

	event_header_into(r, v, c, "schedule");
	vset_str(v, "schedule_url", arena_printf(r->a, "/events/%lld/schedule",
	    (long long)c->ev.id));
	vset_str(v, "timezone", c->ev.timezone);
	return v;
}

/* The participant pick list's choice for one user or collaborator:
 * "" (not taking part) or kind:id:role[:optional]. */
static const char *
part_value(struct req *r, const char *kind, int64_t id, int organizer,
    int optional)
{
	return arena_printf(r->a, "%s:%lld:%s%s", kind, (long long)id,
	    organizer ? "organizer" : "attendee", optional ? ":optional" : "");
}

static json_object *
part_options(struct req *r, const char *kind, int64_t id, int sel_org,
    int sel_opt, int taking)
{
	static const struct { const char *label; int org, opt; } opts[] = {
		{ "Organizer", 1, 0 }, { "Attendee", 0, 0 },
		{ "Attendee (optional)", 0, 1 },
		{ "Organizer (optional)", 1, 1 },
	};
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", "—");
	vset_bool(o, "selected", !taking);
	json_object_array_add(a, o);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		o = json_object_new_object();
		vset_str(o, "value", part_value(r, kind, id, opts[i].org,
		    opts[i].opt));
		vset_str(o, "label", opts[i].label);
		vset_bool(o, "selected", taking && sel_org == opts[i].org &&
		    sel_opt == opts[i].opt);
		json_object_array_add(a, o);
	}
	return a;
}

/* Is kind:id chosen in the submitted form (or the current activity)?
 * Sets role and optional. */
static int
part_chosen(struct req *r, const struct activity *cur, int user, int64_t id,
    int *org, int *opt)
{
	size_t	 i;

	if (r->method == M_POST) {
		for (i = 0; i < r->in[ACT_PARTICIPANTS].nmulti; i++) {
			char		 k[16], role[16], rq[16];
			long long	 pid;

			role[0] = rq[0] = '\0';
			if (sscanf(r->in[ACT_PARTICIPANTS].multi[i],
			    "%15[a-z]:%lld:%15[a-z]:%15[a-z]", k, &pid, role,
			    rq) < 2 || pid != id ||
			    strcmp(k, user ? "user" : "collaborator") != 0)
				continue;
			*org = strcmp(role, "organizer") == 0;
			*opt = strcmp(rq, "optional") == 0;
			return 1;
		}
		return 0;
	}
	if (cur == NULL)
		return 0;
	for (i = 0; i < cur->nparts; i++)
		if ((user ? cur->parts[i].user_id : cur->parts[i].collab_id)
		    == id) {
			*org = cur->parts[i].organizer;
			*opt = !cur->parts[i].required;
			return 1;
		}
	return 0;
}

static int
area_chosen(struct req *r, const struct activity *cur, int64_t id)
{
	size_t	 i;

	if (r->method == M_POST) {
		for (i = 0; i < r->in[ACT_AREAS].nmulti; i++)
			if (strtoll(r->in[ACT_AREAS].multi[i], NULL, 10) == id)
				return 1;
		return 0;
	}
	for (i = 0; cur != NULL && i < cur->nareas; i++)
		if (cur->areas[i].area_id == id)
			return 1;
	return 0;
}

/* Pick lists of the form: the users and collaborators the actor may see
 * the calendars of, and the viewable areas. */
static void
choices_into(struct req *r, const struct event_ctx *c, json_object *f,
    const struct act_choices *ch, const struct activity *cur)
{
	json_object	*us = json_object_new_array(),
			*cs = json_object_new_array(),
			*as = json_object_new_array(), *o;
	size_t		 i;
	int		 org = 0, opt = 0, on;

	for (i = 0; i < ch->nusers; i++) {
		if (!collab_viewable(c, ch->users[i].collab_id) &&
		    ch->users[i].id != r->user->id)
			continue;
		org = opt = 0;
		on = part_chosen(r, cur, 1, ch->users[i].id, &org, &opt);
		o = json_object_new_object();
		vset_str(o, "name", ch->users[i].name);
		vset_str(o, "input_id", arena_printf(r->a, "part-user-%lld",
		    (long long)ch->users[i].id));
		vset_obj(o, "options", part_options(r, "user",
		    ch->users[i].id, org, opt, on));
		json_object_array_add(us, o);
	}
	for (i = 0; i < ch->ncollabs; i++) {
		if (!collab_viewable(c, ch->collabs[i].id))
			continue;
		org = opt = 0;
		on = part_chosen(r, cur, 0, ch->collabs[i].id, &org, &opt);
		o = json_object_new_object();
		vset_str(o, "name", ch->collabs[i].name);
		vset_str(o, "input_id", arena_printf(r->a, "part-collab-%lld",
		    (long long)ch->collabs[i].id));
		vset_obj(o, "options", part_options(r, "collaborator",
		    ch->collabs[i].id, org, opt, on));
		json_object_array_add(cs, o);
	}
	for (i = 0; i < ch->nareas; i++) {
		if (!area_viewable(c, ch->areas[i].id))
			continue;
		o = json_object_new_object();
		vset_int(o, "id", ch->areas[i].id);
		vset_str(o, "name", ch->areas[i].name);
		vset_bool(o, "checked", area_chosen(r, cur, ch->areas[i].id));
		json_object_array_add(as, o);
	}
	vset_bool(f, "has_user_options", json_object_array_length(us) > 0);
	vset_obj(f, "user_options", us);
	vset_bool(f, "has_collab_options", json_object_array_length(cs) > 0);
	vset_obj(f, "collab_options", cs);
	vset_bool(f, "has_area_options", json_object_array_length(as) > 0);
	vset_obj(f, "area_options", as);
}

/* The empty create form's defaults and choices. */
static void
form_into(struct req *r, const struct event_ctx *c, json_object *v,
    const struct activity *cur, const struct act_choices *ch)
{
	json_object	*f = json_object_new_object(), *wds;
	int		 i;
	unsigned	 wd = cur ? (unsigned)cur->rec_weekdays : 0;

	if (r->method == M_POST) {
		for (i = ACT_KIND; i <= ACT_UNTIL; i++)
			if (r->in[i].s != NULL)
				vset_str(f, r->route->fields[i].name,
				    r->in[i].s);
		for (i = 0; i < (int)r->in[ACT_WEEKDAYS].nmulti; i++) {
			int	 j;

			for (j = 0; j < 7; j++)
				if (strcmp(r->in[ACT_WEEKDAYS].multi[i],
				    wdnames[j]) == 0)
					wd |= 1u << j;
		}
		vset_bool(f, "all_day_checked", r->in[ACT_ALL_DAY].i);
		vset_bool(f, "global_checked", r->in[ACT_GLOBAL].i);
	} else if (cur != NULL) {
		int64_t	 ls, le;

		vset_str(f, "type", cur->kind);
		vset_str(f, "name", cur->name);
		vset_str(f, "description", cur->description);
		vset_str(f, "location", cur->location);
		vset_bool(f, "all_day_checked", cur->all_day);
		vset_bool(f, "global_checked", cur->is_global);
		if (cur->all_day) {
			vset_str(f, "start_date", cur->start_date);
			vset_str(f, "end_date", cur->end_date);
		} else {
			(void)tz_utc_to_local(c->ev.timezone,
			    tz_stamp_secs(cur->start_utc), &ls, NULL, 0);
			(void)tz_utc_to_local(c->ev.timezone,
			    tz_stamp_secs(cur->end_utc), &le, NULL, 0);
			vset_str(f, "start_date", secs_fmt(r, ls, "%Y-%m-%d"));
			vset_str(f, "start_time", secs_fmt(r, ls, "%H:%M"));
			vset_str(f, "end_date", secs_fmt(r, le, "%Y-%m-%d"));
			vset_str(f, "end_time", secs_fmt(r, le, "%H:%M"));
		}
		vset_str(f, "repeat", cur->rec_freq ? cur->rec_freq : "");
		vset_int(f, "interval", cur->rec_interval);
		vset_str(f, "until", cur->rec_until);
	} else {
		vset_str(f, "start_date", c->ev.start_date);
		vset_str(f, "end_date", c->ev.start_date);
		vset_str(f, "start_time", "09:00");
		vset_str(f, "end_time", "10:00");
	}
	wds = json_object_new_array();
	for (i = 0; i < 7; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", wdnames[i]);
		vset_str(o, "label", wdlabels[i]);
		vset_bool(o, "checked", (wd >> i) & 1);
		json_object_array_add(wds, o);
	}
	vset_obj(f, "weekday_options", wds);
	choices_into(r, c, f, ch, cur);
	{
		json_object	*t;
		const char	*ty = "", *rp = "";

		if (json_object_object_get_ex(f, "type", &t))
			ty = json_object_get_string(t);
		if (json_object_object_get_ex(f, "repeat", &t))
			rp = json_object_get_string(t);
		vset_bool(f, "type_frame", strcmp(ty, "time_frame") == 0 ||
		    strcmp(ty, "time frame") == 0);
		vset_bool(f, "repeat_daily", strcmp(rp, "daily") == 0);
		vset_bool(f, "repeat_weekly", strcmp(rp, "weekly") == 0);
		vset_bool(f, "repeat_monthly", strcmp(rp, "monthly") == 0);
	}
	vset_obj(v, "form", f);
	vset_bool(v, "can_global", event_admin(c));
}


/* --- the calendar -------------------------------------------------------- */

enum cview { CV_LIST, CV_DAY, CV_WEEK, CV_MONTH };

/* What every event calendar page shows around its grid: the selector,
 * the view switch and prev/today/next. anchor is the local day the
 * other views open on. */
static json_object *
cal_view(struct req *r, struct event_ctx *c, const struct calsel *sel,
    enum cview view, int64_t anchor)
{
	json_object	*v = base_view(r, c), *tabs;
	static const char *const names[] = { "List", "Day", "Week", "Month" };
	const char	*urls[4], *ev;
	int64_t		 monday = anchor - tz_weekday(anchor);
	int		 i;

	ev = arena_printf(r->a, "/events/%lld/schedule", (long long)c->ev.id);
	urls[CV_LIST] = arena_printf(r->a, "%s?from=%s&to=%s%s%s", ev,
	    cal_date(r, monday), cal_date(r, monday + 6), *sel->qs ? "&" : "",
	    *sel->qs ? sel->qs + 1 : "");
	urls[CV_DAY] = arena_printf(r->a, "%s/day/%s%s", ev,
	    cal_date(r, anchor), sel->qs);
	urls[CV_WEEK] = arena_printf(r->a, "%s/week/%s%s", ev,
	    cal_date(r, anchor), sel->qs);
	urls[CV_MONTH] = arena_printf(r->a, "%s/month/%s%s", ev,
	    secs_fmt(r, anchor * 86400, "%Y-%m"), sel->qs);
	tabs = json_object_new_array();
	for (i = 0; i < 4; i++) {
		json_object	*t = json_object_new_object();

		vset_str(t, "label", names[i]);
		vset_str(t, "url", urls[i]);
		vset_bool(t, "current", (int)view == i);
		json_object_array_add(tabs, t);
	}
	vset_obj(v, "views", tabs);
	vset_obj(v, "calendars", json_object_get(sel->groups));
	vset_str(v, "view", names[view]);
	vset_str(v, "view_action", r->path);
	vset_str(v, "cal_qs", sel->qs);
	vset_int(v, "overlay", (long long)sel->n);
	vset_str(v, "personal_url", "/calendar");
	if (event_level_somewhere(c, SEC_SCHEDULE, LV_EDIT) &&
	    !c->ev.archived) {
		vset_bool(v, "can_create", 1);
		vset_str(v, "new_url", arena_printf(r->a, "%s#new-title", ev));
	}
	feeds_subscribe_known(r, v, "event", c->ev.id, c->event_feed);
	return v;
}

static void
nav_into(struct req *r, json_object *v, const char *prev, const char *next,
    const char *today)
{
	vset_str(v, "prev_url", prev);
	vset_str(v, "next_url", next);
	vset_str(v, "today_url", today);
}

/* The list page: the create form under the calendar. */
static int
list_page(struct req *r, struct event_ctx *c, const struct calsel *sel,
    int64_t from, int64_t to)
{
	json_object	*v;
	struct occ	*os;
	size_t		 n;

	if (collect(r, c, sel, from, to, &os, &n) != 0)
		return 503;
	v = cal_view(r, c, sel, CV_LIST, from);
	vset_bool(v, "keep_range", 1);
	vset_str(v, "from", cal_date(r, from));
	vset_str(v, "to", cal_date(r, to));
	list_into(r, c, v, sel, os, n, from);
	if (event_level_somewhere(c, SEC_SCHEDULE, LV_EDIT) &&
	    !c->ev.archived) {
		vset_str(v, "create_url", arena_printf(r->a,
		    "/events/%lld/activities", (long long)c->ev.id));
		form_into(r, c, v, NULL, &sel->ch);
	}
	return render_page(r, 200, "schedule/list", arena_printf(r->a,
	    "Schedule · %s", c->ev.name), v);
}

/* GET /events/{event}/schedule?from=&to=&cal= — 200 the occurrences
 * the actor may see between two local dates (default the event's
 * dates), by day, on the ticked calendars (default the Event one); 404
 * not on the event or a calendar the actor may not view; 422 a bad
 * range (to before from, more than 366 days) or a malformed cal. */
int
h_schedule(struct req *r)
{
	struct event_ctx c;
	struct calsel	 sel;
	int64_t		 from, to;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (r->nerrors)
		return page_refuse(r, 422, "invalid-range", "From and to must be "
		    "dates (YYYY-MM-DD).");
	if (tz_parse_date(r->in[SCHED_FROM].present ? r->in[SCHED_FROM].s :
	    c.ev.start_date, &from) != 0 ||
	    tz_parse_date(r->in[SCHED_TO].present ? r->in[SCHED_TO].s :
	    c.ev.end_date, &to) != 0)
		return page_refuse(r, 422, "invalid-range", "From and to must be "
		    "dates.");
	if (to < from || to - from >= RANGE_MAX)
		return page_refuse(r, 422, "invalid-range", "To must not be before "
		    "from, and the range at most 366 days.");
	if ((st = calsel_read(r, &c, SCHED_CAL, &sel)) != 0)
		return st;
	return list_page(r, &c, &sel, from, to);
}

/* A path date: the local day, or 404 (sent) naming the field. */
static int
path_day(struct req *r, int64_t *d)
{
	if (tz_parse_date(req_pathvar(r, 1), d) != 0) {
		page_refuse(r, 404, "not-found", "date: not a date (YYYY-MM-DD).");
		return -1;
	}
	return 0;
}

/* GET /events/{event}/schedule/day/{date}?cal= — 200 one local day's
 * occurrences; 404 not on the event, not a date or a calendar the
 * actor may not view; 422 a malformed cal. */
int
h_schedule_day(struct req *r)
{
	struct event_ctx c;
	struct calsel	 sel;
	struct occ	*os;
	size_t		 n;
	json_object	*v;
	int64_t		 d;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (path_day(r, &d) != 0)
		return 404;
	if ((st = calsel_read(r, &c, VIEW_CAL, &sel)) != 0)
		return st;
	if (collect(r, &c, &sel, d, d, &os, &n) != 0)
		return 503;
	v = cal_view(r, &c, &sel, CV_DAY, d);
	vset_str(v, "from", cal_date(r, d));
	vset_str(v, "to", cal_date(r, d));
	vset_str(v, "day_label", secs_fmt(r, d * 86400, "%A %-d %B %Y"));
	nav_into(r, v, arena_printf(r->a, "/events/%lld/schedule/day/%s%s",
	    (long long)c.ev.id, cal_date(r, d - 1), sel.qs),
	    arena_printf(r->a, "/events/%lld/schedule/day/%s%s",
	    (long long)c.ev.id, cal_date(r, d + 1), sel.qs),
	    arena_printf(r->a, "/events/%lld/schedule/day/%s%s",
	    (long long)c.ev.id, cal_date(r, cal_today(c.ev.timezone)),
	    sel.qs));
	vset_str(v, "timeline_url", arena_printf(r->a,
	    "/events/%lld/schedule/timeline/%s", (long long)c.ev.id,
	    cal_date(r, d)));
	list_into(r, &c, v, &sel, os, n, d);
	return render_page(r, 200, "schedule/day", arena_printf(r->a,
	    "Schedule · %s", c.ev.name), v);
}

/* GET /events/{event}/schedule/week/{date}?cal= — 200 the week (Monday
 * to Sunday) holding the date as a grid: an all-day row, activities as
 * blocks as long as they last in 15-minute steps, time frames as bands;
 * 404 not on the event, not a date or a calendar the actor may not
 * view; 422 a malformed cal. */
int
h_schedule_week(struct req *r)
{
	struct event_ctx c;
	struct calsel	 sel;
	struct occ	*os;
	size_t		 n;
	json_object	*v;
	int64_t		 d, mon;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (path_day(r, &d) != 0)
		return 404;
	if ((st = calsel_read(r, &c, VIEW_CAL, &sel)) != 0)
		return st;
	mon = d - tz_weekday(d);
	if (collect(r, &c, &sel, mon, mon + 6, &os, &n) != 0)
		return 503;
	v = cal_view(r, &c, &sel, CV_WEEK, d);
	vset_str(v, "from", cal_date(r, mon));
	vset_str(v, "to", cal_date(r, mon + 6));
	vset_str(v, "week_label", arena_printf(r->a, "%s – %s",
	    secs_fmt(r, mon * 86400, "%-d %b"), secs_fmt(r, (mon + 6) * 86400,
	    "%-d %b %Y")));
	nav_into(r, v, arena_printf(r->a, "/events/%lld/schedule/week/%s%s",
	    (long long)c.ev.id, cal_date(r, mon - 7), sel.qs),
	    arena_printf(r->a, "/events/%lld/schedule/week/%s%s",
	    (long long)c.ev.id, cal_date(r, mon + 7), sel.qs),
	    arena_printf(r->a, "/events/%lld/schedule/week/%s%s",
	    (long long)c.ev.id, cal_date(r, cal_today(c.ev.timezone)),
	    sel.qs));
	cal_week_into(r, v, os, n, mon, cal_today(c.ev.timezone),
	    arena_printf(r->a, "/events/%lld/schedule/day/",
	    (long long)c.ev.id), sel.qs, sel.picks, sel.n);
	return render_page(r, 200, "schedule/week", arena_printf(r->a,
	    "Week · %s", c.ev.name), v);
}

/* "YYYY-MM" → its first day; -1 when malformed. */
static int
parse_month(const char *s, int64_t *first)
{
	char	 buf[16];

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	snprintf(buf, sizeof(buf), "%s-01", s);
	return tz_parse_date(buf, first);
}

/* GET /events/{event}/schedule/month/{month}?cal= — 200 the month
 * (YYYY-MM) as weeks of day cells with the day's activities; 404 not on
 * the event, not a month or a calendar the actor may not view; 422 a
 * malformed cal. */
int
h_schedule_month(struct req *r)
{
	struct event_ctx c;
	struct calsel	 sel;
	struct occ	*os;
	size_t		 n;
	json_object	*v;
	int64_t		 first, last, gfrom, gto, pm, nm;
	int		 st;
	char		 ym[16];

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (parse_month(req_pathvar(r, 1), &first) != 0)
		return page_refuse(r, 404, "not-found", "month: not a month "
		    "(YYYY-MM).");
	if ((st = calsel_read(r, &c, VIEW_CAL, &sel)) != 0)
		return st;
	/* The next month's first day, less one. */
	snprintf(ym, sizeof(ym), "%s", secs_fmt(r, (first + 31) * 86400,
	    "%Y-%m"));
	(void)parse_month(ym, &nm);
	last = nm - 1;
	snprintf(ym, sizeof(ym), "%s", secs_fmt(r, (first - 1) * 86400,
	    "%Y-%m"));
	(void)parse_month(ym, &pm);
	gfrom = first - tz_weekday(first);
	gto = last + 6 - tz_weekday(last);
	if (collect(r, &c, &sel, gfrom, gto, &os, &n) != 0)
		return 503;
	v = cal_view(r, &c, &sel, CV_MONTH, first);
	vset_str(v, "from", cal_date(r, gfrom));
	vset_str(v, "to", cal_date(r, gto));
	vset_str(v, "month", secs_fmt(r, first * 86400, "%Y-%m"));
	vset_str(v, "month_label", secs_fmt(r, first * 86400, "%B %Y"));
	nav_into(r, v, arena_printf(r->a, "/events/%lld/schedule/month/%s%s",
	    (long long)c.ev.id, secs_fmt(r, pm * 86400, "%Y-%m"), sel.qs),
	    arena_printf(r->a, "/events/%lld/schedule/month/%s%s",
	    (long long)c.ev.id, secs_fmt(r, nm * 86400, "%Y-%m"), sel.qs),
	    arena_printf(r->a, "/events/%lld/schedule/month/%s%s",
	    (long long)c.ev.id, secs_fmt(r, cal_today(c.ev.timezone) * 86400,
	    "%Y-%m"), sel.qs));
	cal_month_into(r, v, os, n, first, cal_today(c.ev.timezone),
	    arena_printf(r->a, "/events/%lld/schedule/day/",
	    (long long)c.ev.id), sel.qs, sel.picks, sel.n);
	return render_page(r, 200, "schedule/month", arena_printf(r->a,
	    "Month · %s", c.ev.name), v);
}

/* --- the area timeline -------------------------------------------------- */

#define TL_COLW		180	/* column width */
#define TL_GUTTER	48	/* hour labels on the left */
#define TL_HEAD		28	/* column titles */
#define TL_QUARTER	10	/* height of 15 minutes */
#define TL_COLS		40	/* areas shown */

/* The timeline's axis is real time: minutes since the local midnight
 * starting the day, so a day with a daylight-saving change is 23 or 25
 * hours tall and every block is as long as the activity lasts. */
struct tl_day {
	int64_t		 mid;		/* UTC instant of local midnight */
	int64_t		 len;		/* minutes to the next midnight */
};

static void
tl_day_of(const char *tz, int64_t day, struct tl_day *td)
{
	int64_t	 next;

	if (tz_local_to_utc(tz, day * 86400, &td->mid) != TZ_OK &&
	    tz_local_to_utc(tz, day * 86400 + 3600, &td->mid) != TZ_OK)
		td->mid = day * 86400;
	if (tz_local_to_utc(tz, (day + 1) * 86400, &next) != TZ_OK &&
	    tz_local_to_utc(tz, (day + 1) * 86400 + 3600, &next) != TZ_OK)
		next = td->mid + 86400;
	td->len = (next - td->mid) / 60;
}

static int64_t
day_minutes(const struct tl_day *td, int64_t t)
{
	int64_t	 m = (t - td->mid) / 60;

	return m < 0 ? 0 : m > td->len ? td->len : m;
}

struct tl_col {
	int64_t		 area_id;	/* 0: no area */
	const char	*name;
	json_object	*frames, *blocks;
};

static struct tl_col *
tl_column(struct tl_col *cols, size_t *n, int64_t id, const char *name)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (cols[i].area_id == id)
			return &cols[i];
	if (*n >= TL_COLS)
		return NULL;
	cols[*n].area_id = id;
	cols[*n].name = name ? name : "";
	cols[*n].frames = json_object_new_array();
	cols[*n].blocks = json_object_new_array();
	return &cols[(*n)++];
}

static void
tl_block(struct req *r, const struct event_ctx *c, struct tl_col *col,
    size_t ci, const struct occ *o, const struct tl_day *td)
{
	json_object	*b = json_object_new_object();
	int64_t		 m0, m1, y, h;
	int		 frame = strcmp(o->a->kind, "time_frame") == 0;

	if (o->a->all_day) {
		m0 = 0;
		m1 = td->len;
	} else {
		m0 = day_minutes(td, o->start);
		m1 = day_minutes(td, o->end);
	}
	/* Whole 15-minute steps, at least one. */
	y = TL_HEAD + m0 / 15 * TL_QUARTER;
	h = (m1 + 14) / 15 * TL_QUARTER + TL_HEAD - y;
	if (h < TL_QUARTER)
		h = TL_QUARTER;
	vset_int(b, "x", (long long)(TL_GUTTER + ci * TL_COLW + 4));
	vset_int(b, "y", y);
	vset_int(b, "w", TL_COLW - 8);
	vset_int(b, "h", h);
	vset_int(b, "tx", (long long)(TL_GUTTER + ci * TL_COLW + 10));
	vset_int(b, "ty", y + 14);
	vset_str(b, "name", o->name);
	vset_str(b, "url", sched_occ_url(r, o));
	vset_bool(b, "cancelled", o->cancelled);
	vset_int(b, "minutes", m1 - m0);
	vset_str(b, "fill", frame ? "#f1f5f9" : o->cancelled ? "#f3f4f6" :
	    "#dbeafe");
	vset_str(b, "stroke", frame ? "#cbd5e1" : o->cancelled ?
	    "#9ca3af" : "#3b82f6");
	json_object_array_add(frame ? col->frames : col->blocks, b);
}

/* GET /events/{event}/schedule/timeline/{date} — 200 one local day as
 * a column per area (the areas of the visible activities, and "No
 * area"), activities drawn as SVG blocks sized by duration in 15-minute
 * steps, time frames as bands behind them; 404 not on the event or not
 * a date. */
int
h_schedule_timeline(struct req *r)
{
	struct event_ctx c;
	struct occ	*os;
	struct tl_col	 cols[TL_COLS + 1];
	struct tl_day	 td;
	json_object	*v, *jc, *hours;
	size_t		 n, nc = 0, i, j;
	int64_t		 d;
	int		 st, hr;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (tz_parse_date(req_pathvar(r, 1), &d) != 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (collect(r, &c, NULL, d, d, &os, &n) != 0)
		return 503;
	tl_day_of(c.ev.timezone, d, &td);
	for (i = 0; i < n; i++) {
		struct tl_col	*col;

		if (os[i].a->nareas == 0) {
			if ((col = tl_column(cols, &nc, 0, "No area")) != NULL)
				tl_block(r, &c, col, (size_t)(col - cols),
				    &os[i], &td);
			continue;
		}
		for (j = 0; j < os[i].a->nareas; j++)
			if ((col = tl_column(cols, &nc,
			    os[i].a->areas[j].area_id,
			    os[i].a->areas[j].name)) != NULL)
				tl_block(r, &c, col, (size_t)(col - cols),
				    &os[i], &td);
	}
	v = base_view(r, &c);
	jc = json_object_new_array();
	for (i = 0; i < nc; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "name", cols[i].name);
		vset_int(o, "x", (long long)(TL_GUTTER + i * TL_COLW));
		vset_int(o, "tx", (long long)(TL_GUTTER + i * TL_COLW + 8));
		vset_obj(o, "frames", cols[i].frames);
		vset_obj(o, "blocks", cols[i].blocks);
		json_object_array_add(jc, o);
	}
	hours = json_object_new_array();
	for (hr = 0; hr * 60 <= td.len; hr++) {
		json_object	*o = json_object_new_object();
		int64_t		 ls;

		(void)tz_utc_to_local(c.ev.timezone, td.mid + hr * 3600, &ls,
		    NULL, 0);
		vset_int(o, "y", TL_HEAD + hr * 4 * TL_QUARTER);
		vset_int(o, "ty", TL_HEAD + hr * 4 * TL_QUARTER + 4);
		vset_str(o, "label", hr * 60 == td.len ? "24:00" :
		    secs_fmt(r, ls, "%H:%M"));
		json_object_array_add(hours, o);
	}
	vset_obj(v, "columns", jc);
	vset_obj(v, "hours", hours);
	vset_bool(v, "has_columns", nc > 0);
	vset_int(v, "width", (long long)(TL_GUTTER + (nc ? nc : 1) * TL_COLW));
	vset_int(v, "height", TL_HEAD + td.len / 15 * TL_QUARTER + 8);
	vset_int(v, "day_minutes", td.len);
	vset_int(v, "line_x2", (long long)(TL_GUTTER + (nc ? nc : 1) *
	    TL_COLW));
	vset_str(v, "date", secs_fmt(r, d * 86400, "%Y-%m-%d"));
	vset_str(v, "day_label", secs_fmt(r, d * 86400, "%A %-d %B %Y"));
	vset_str(v, "day_url", arena_printf(r->a,
	    "/events/%lld/schedule/day/%s", (long long)c.ev.id,
	    secs_fmt(r, d * 86400, "%Y-%m-%d")));
	vset_str(v, "prev_url", arena_printf(r->a,
	    "/events/%lld/schedule/timeline/%s", (long long)c.ev.id,
	    secs_fmt(r, (d - 1) * 86400, "%Y-%m-%d")));
	vset_str(v, "next_url", arena_printf(r->a,
	    "/events/%lld/schedule/timeline/%s", (long long)c.ev.id,
	    secs_fmt(r, (d + 1) * 86400, "%Y-%m-%d")));
	return render_page(r, 200, "schedule/timeline", arena_printf(r->a,
	    "Timeline · %s", c.ev.name), v);
}

/* --- one activity -------------------------------------------------------- */

static json_object *
activity_json(struct req *r, const struct event_ctx *c,
    const struct activity *a)
{
	json_object	*j = json_object_new_object(), *ps, *ar, *wd;
	size_t		 i;
	int		 k;
	const char	*html;

	vset_int(j, "id", a->id);
	vset_str(j, "uuid", a->uuid);
	vset_str(j, "url", act_url(r, c->ev.id, a->id));
	vset_str(j, "type", a->kind);
	vset_bool(j, "time_frame", strcmp(a->kind, "time_frame") == 0);
	vset_str(j, "name", a->name);
	vset_str(j, "description", a->description);
	html = event_md_html(r, a->description);
	vset_str(j, "description_html", html);
	vset_bool(j, "all_day", a->all_day);
	vset_str(j, "timezone", c->ev.timezone);
	if (a->all_day) {
		vset_str(j, "start_date", a->start_date);
		vset_str(j, "end_date", a->end_date);
	} else {
		int64_t	 ls, le;
		char	 ab[16], ab2[16];

		vset_str(j, "start", a->start_utc);
		vset_str(j, "end", a->end_utc);
		(void)tz_utc_to_local(c->ev.timezone,
		    tz_stamp_secs(a->start_utc), &ls, ab, sizeof(ab));
		(void)tz_utc_to_local(c->ev.timezone,
		    tz_stamp_secs(a->end_utc), &le, ab2, sizeof(ab2));
		vset_str(j, "start_local", arena_printf(r->a, "%s %s",
		    secs_fmt(r, ls, "%-d %b %Y, %H:%M"), ab));
		vset_str(j, "end_local", arena_printf(r->a, "%s %s",
		    secs_fmt(r, le, "%-d %b %Y, %H:%M"), ab2));
		vset_int(j, "duration_minutes", (tz_stamp_secs(a->end_utc) -
		    tz_stamp_secs(a->start_utc)) / 60);
	}
	vset_bool(j, "global", a->is_global);
	vset_str(j, "location", a->location);
	vset_bool(j, "cancelled", a->cancelled);
	vset_int(j, "version", a->version);
	if (a->rec_freq != NULL) {
		json_object	*rec = json_object_new_object();

		vset_str(rec, "frequency", a->rec_freq);
		vset_int(rec, "interval", a->rec_interval);
		vset_str(rec, "until", a->rec_until);
		wd = json_object_new_array();
		for (k = 0; k < 7; k++)
			if ((a->rec_weekdays >> k) & 1)
				json_object_array_add(wd,
				    json_object_new_string(wdnames[k]));
		vset_obj(rec, "weekdays", wd);
		vset_obj(j, "recurrence", rec);
	} else
		vset_obj(j, "recurrence", NULL);
	ps = json_object_new_array();
	for (i = 0; i < a->nparts; i++) {
		json_object	*p = json_object_new_object();

		if (a->parts[i].user_id) {
			vset_str(p, "kind", "user");
			vset_int(p, "user_id", a->parts[i].user_id);
		} else {
			vset_str(p, "kind", "collaborator");
			vset_int(p, "collaborator_id", a->parts[i].collab_id);
		}
		vset_str(p, "name", a->parts[i].name);
		vset_str(p, "role", a->parts[i].organizer ? "organizer" :
		    "attendee");
		vset_bool(p, "required", a->parts[i].required);
		json_object_array_add(ps, p);
	}
	vset_obj(j, "participants", ps);
	ar = json_object_new_array();
	for (i = 0; i < a->nareas; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", a->areas[i].area_id);
		vset_str(o, "name", a->areas[i].name);
		json_object_array_add(ar, o);
	}
	vset_obj(j, "areas", ar);
	return j;
}

/* {activity} visible to the actor: 0 and *a filled, else the status
 * sent (404 for a missing and an invisible one alike). */
static int
activity_gate(struct req *r, const struct event_ctx *c, struct activity *a)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 rc;

	if (id <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((rc = activity_get(r, c->ev.id, id, a)) < 0)
		return 503;
	if (rc == 0 || !act_visible(c, r->user->id, a))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* The visible activities whose occurrences overlap one of a's and
 * share a required user participant with it (at most 20, over a's
 * series up to a year on): [{name, url, date, user}]. Three queries. */
static json_object *
clashes_json(struct req *r, const struct event_ctx *c,
    const struct activity *a)
{
	json_object	*out = json_object_new_array();
	struct act_range rg;
	struct activity	*as;
	struct occ	*mine = NULL, *theirs = NULL;
	size_t		 nm = 0, cm = 0, i, j;
	int64_t		 first, last, ls;
	long		 na, k;

	if (a->all_day || a->cancelled || strcmp(a->kind, "time_frame") == 0 ||
	    tz_utc_to_local(c->ev.timezone, tz_stamp_secs(a->start_utc), &ls,
	    NULL, 0) != TZ_OK)
		return out;
	first = ls / 86400;
	last = first + 1;
	if (a->rec_freq != NULL && (a->rec_until == NULL ||
	    tz_parse_date(a->rec_until, &last) != 0))
		last = first + RANGE_MAX;
	if (last > first + RANGE_MAX)
		last = first + RANGE_MAX;
	sched_expand(a, c->ev.timezone, first, last, &mine, &nm, &cm, r->a);
	activity_range(first, last, c->ev.timezone, &rg);
	if ((as = activity_list_range(r, c->ev.id, &rg, &na)) == NULL)
		return out;
	for (k = 0; k < na && json_object_array_length(out) < 20; k++) {
		const struct activity *b = &as[k];
		const char	*who;
		size_t		 nt = 0, ct = 0;

		if (b->id == a->id || b->all_day || b->cancelled ||
		    strcmp(b->kind, "time_frame") == 0 ||
		    !act_visible(c, r->user->id, b) ||
		    (who = cal_shared_required(a, b, 0)) == NULL)
			continue;
		theirs = NULL;
		sched_expand(b, c->ev.timezone, first, last, &theirs, &nt, &ct,
		    r->a);
		for (i = 0; i < nm; i++) {
			if (mine[i].cancelled)
				continue;
			for (j = 0; j < nt; j++)
				if (!theirs[j].cancelled &&
				    mine[i].start < theirs[j].end &&
				    theirs[j].start < mine[i].end)
					break;
			if (j < nt)
				break;
		}
		if (i == nm)
			continue;
		{
			json_object	*o = json_object_new_object();

			vset_str(o, "name", b->name);
			vset_str(o, "url", act_url(r, c->ev.id, b->id));
			vset_str(o, "date", cal_date(r, theirs[j].day));
			vset_str(o, "user", who);
			json_object_array_add(out, o);
		}
	}
	return out;
}

static json_object *occurrence_json(struct req *, const struct occ *);
static json_object *occ_list_json(struct req *, const struct event_ctx *,
		    const struct activity *, int64_t);

/* The activity page; sel the occurrence ?date= names (-1 none). */
static json_object *
show_view(struct req *r, const struct event_ctx *c, const struct activity *a,
    int64_t sel)
{
	json_object	*v = base_view(r, c), *cl, *occs;
	struct act_choices ch;
	struct occ	 o;
	int		 edit = act_editable(c, r->user->id, a) && !c->ev.archived;

	vset_obj(v, "activity", activity_json(r, c, a));
	cl = clashes_json(r, c, a);
	vset_bool(v, "has_clashes", json_object_array_length(cl) > 0);
	vset_obj(v, "clashes", cl);
	vset_bool(v, "can_edit", edit);
	if (a->rec_freq != NULL) {
		/* A series: one occurrence picked, the next ones listed. */
		if (sel >= 0 && sched_occurrence(a, c->ev.timezone, sel, &o) == 0)
			vset_obj(v, "occurrence", occurrence_json(r, &o));
		else if (sel >= 0)
			vset_str(v, "no_occurrence", cal_date(r, sel));
		occs = occ_list_json(r, c, a, sel);
		vset_bool(v, "has_occurrences",
		    json_object_array_length(occs) > 0);
		vset_obj(v, "occurrences", occs);
		vset_int(v, "exceptions", (long long)a->nexcs);
		vset_bool(v, "has_exceptions", a->nexcs > 0);
	}
	if (edit) {
		if (activity_choices(r, c->ev.id, &ch) != 0)
			memset(&ch, 0, sizeof(ch));
		form_into(r, c, v, a, &ch);
		vset_str(v, "action_url", act_url(r, c->ev.id, a->id));
		vset_str(v, "cancel_url", arena_printf(r->a, "%s/cancel",
		    act_url(r, c->ev.id, a->id)));
		vset_int(v, "version", a->version);
	}
	return v;
}

/* GET /events/{event}/activities/{id}?date= — 200 the activity, with
 * the edit form when the actor may edit; a series lists its next
 * occurrences (with their controls) and shows the one date names; 404
 * not on the event, no such activity or not visible. */
int
h_activity(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	json_object	*v;
	int		 st;
	int64_t		 sel = -1;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = activity_gate(r, &c, &a)) != 0)
		return st;
	/* ?date= picks an occurrence; a malformed one is ignored. */
	if (r->in[ACTSHOW_DATE].present &&
	    tz_parse_date(r->in[ACTSHOW_DATE].s, &sel) != 0)
		sel = -1;
	v = show_view(r, &c, &a, sel);
	if (advance_into(r, &c, v, ADVSUM_ACTIVITY, a.id) != 0)
		return 503;
	return render_page(r, 200, "schedule/activity", a.name, v);
}

/* --- reading a form ------------------------------------------------------ */

struct input_set {
	struct activity_fields f;
	struct act_part	 parts[64];
	int64_t		 areas[64];
	char		 start_utc[24], end_utc[24];
	json_object	*names;		/* participant names for the audit */
};

static int
weekday_of(const char *s)
{
	int	 i;

	for (i = 0; i < 7; i++)
		if (strcasecmp(s, wdnames[i]) == 0)
			return i;
	return -1;
}

/* Local date + "HH:MM" in zone → UTC "YYYY-MM-DD HH:MM:SS" and seconds.
 * 0, or an error added on field. */
static int
local_instant(struct req *r, const char *zone, int64_t day, const char *hm,
    const char *field, const char *label, char *out, size_t outsz,
    int64_t *secs)
{
	int	 min;

	if (hm == NULL || tz_parse_hm(hm, &min) != 0) {
		valid_error(r, field, "time", arena_printf(r->a, "%s must be "
		    "a time (HH:MM).", label));
		return -1;
	}
	switch (tz_local_to_utc(zone, day * 86400 + min * 60, secs)) {
	case TZ_OK:
		break;
	case TZ_GAP:
		valid_error(r, field, "dst-gap", arena_printf(r->a, "%s %s "
		    "does not exist in %s: the clocks skip it for daylight "
		    "saving time.", label, hm, zone));
		return -1;
	default:
		valid_error(r, "timezone", "unknown", "Unknown time zone.");
		return -1;
	}
	snprintf(out, outsz, "%s", secs_fmt(r, *secs, "%Y-%m-%d %H:%M:%S"));
	return 0;
}

/* Check and convert the form into in->f, adding field errors. The
 * creator (uid) becomes an organizer when no organizer is named and
 * add_creator is set. */
/* Does a multi field carry any non-empty value? */
static int
multi_given(struct req *r, int idx)
{
	size_t	 i;

	for (i = 0; i < r->in[idx].nmulti; i++)
		if (*r->in[idx].multi[i] != '\0')
			return 1;
	return 0;
}

static void
read_form(struct req *r, const struct event_ctx *c, struct input_set *in,
    int add_creator, const struct activity *cur)
{
	struct activity_fields *f = &in->f;
	const char	*zone, *kind, *rep;
	int64_t		 sd = 0, ed = 0, s = 0, e = 0, until = -1;
	size_t		 i, j;
	int		 ok = 1, organizers = 0, rc;
	char		*name;

	memset(in, 0, sizeof(*in));
	/* The request's, so no path leaks it. */
	in->names = req_own_json(r, json_object_new_array());
	kind = r->in[ACT_KIND].present ? r->in[ACT_KIND].s : "activity";
	if (strcmp(kind, "time frame") == 0)
		kind = "time_frame";
	if (strcmp(kind, "activity") != 0 && strcmp(kind, "time_frame") != 0)
		valid_error(r, "type", "invalid", "Type must be activity or "
		    "time frame.");
	f->kind = kind;
	f->name = r->in[ACT_NAME].s;
	f->description = r->in[ACT_DESCRIPTION].present ?
	    r->in[ACT_DESCRIPTION].s : NULL;
	f->location = r->in[ACT_LOCATION].present ? r->in[ACT_LOCATION].s :
	    NULL;
	f->all_day = r->in[ACT_ALL_DAY].i != 0;
	f->is_global = r->in[ACT_GLOBAL].i != 0;
	zone = r->in[ACT_TIMEZONE].present ? r->in[ACT_TIMEZONE].s :
	    c->ev.timezone;

	if (!r->in[ACT_START_DATE].present ||
	    tz_parse_date(r->in[ACT_START_DATE].s, &sd) != 0 ||
	    !r->in[ACT_END_DATE].present ||
	    tz_parse_date(r->in[ACT_END_DATE].s, &ed) != 0)
		ok = 0;
	if (ok && f->all_day) {
		if (ed < sd)
			valid_error(r, "end_date", "before-start", "End date "
			    "must not be before the start date.");
		f->start_date = r->in[ACT_START_DATE].s;
		f->end_date = r->in[ACT_END_DATE].s;
	} else if (ok) {
		if (local_instant(r, zone, sd, r->in[ACT_START_TIME].s,
		    "start_time", "Start time", in->start_utc,
		    sizeof(in->start_utc), &s) == 0 &&
		    local_instant(r, zone, ed, r->in[ACT_END_TIME].s,
		    "end_time", "End time", in->end_utc, sizeof(in->end_utc),
		    &e) == 0) {
			if (e <= s)
				valid_error(r, "end_time", "before-start",
				    "The end must be after the start.");
			else if (e - s > SPAN_MAX * 86400)
				valid_error(r, "end_date", "too-long", "An "
				    "activity lasts at most 31 days.");
			f->start_utc = in->start_utc;
			f->end_utc = in->end_utc;
		}
		/* The series repeats the local start day of the event. */
		if (s != 0) {
			int64_t	 ls;

			(void)tz_utc_to_local(c->ev.timezone, s, &ls, NULL, 0);
			sd = ls / 86400;
		}
	}

	/* Recurrence. */
	rep = r->in[ACT_REPEAT].present ? r->in[ACT_REPEAT].s : "";
	f->rec_interval = r->in[ACT_INTERVAL].present ?
	    r->in[ACT_INTERVAL].i : 1;
	if (*rep != '\0' && strcmp(rep, "none") != 0) {
		struct tz_rule	 ru;
		long		 total;
		int64_t		 scratch[1];

		memset(&ru, 0, sizeof(ru));
		if ((ru.freq = freq_of(rep)) == FREQ_NONE)
			valid_error(r, "repeat", "invalid", "Repeat must be "
			    "daily, weekly or monthly.");
		f->rec_freq = rep;
		for (i = 0; i < r->in[ACT_WEEKDAYS].nmulti; i++) {
			int	 w = weekday_of(r->in[ACT_WEEKDAYS].multi[i]);

			if (w < 0)
				valid_error(r, "weekdays", "invalid",
				    "Weekdays are mon, tue, wed, thu, fri, "
				    "sat and sun.");
			else
				f->rec_weekdays |= 1 << w;
		}
		if (ru.freq == FREQ_WEEKLY && f->rec_weekdays == 0)
			valid_error(r, "weekdays", "required", "A weekly series "
			    "needs at least one weekday.");
		if (ru.freq != FREQ_WEEKLY)
			f->rec_weekdays = 0;
		if (r->in[ACT_UNTIL].present) {
			(void)tz_parse_date(r->in[ACT_UNTIL].s, &until);
			f->rec_until = r->in[ACT_UNTIL].s;
		}
		if (ru.freq == FREQ_DAILY && until < 0)
			valid_error(r, "until", "required", "A daily series "
			    "needs an end date (at most two years on).");
		else if (ru.freq == FREQ_DAILY && ok &&
		    until - sd > DAILY_MAX)
			valid_error(r, "until", "too-far", "A daily series "
			    "ends at most two years after it starts.");
		if (until >= 0 && ok && until < sd)
			valid_error(r, "until", "before-start", "The end date "
			    "of the series must not be before its start.");
		if (ok && ru.freq != FREQ_NONE && until >= 0) {
			ru.interval = (int)f->rec_interval;
			ru.weekdays = (unsigned)f->rec_weekdays;
			ru.until = until;
			(void)tz_expand(&ru, sd, 0, -1, scratch, 0, &total);
			if (total > TZ_OCC_MAX)
				valid_error(r, "until", "too-many", "A series "
				    "has at most 500 occurrences.");
		}
	}

	/* Areas: an edit that sends none keeps them ("none" clears). */
	if (cur != NULL && !multi_given(r, ACT_AREAS))
		for (i = 0; i < cur->nareas && i < 64; i++)
			in->areas[f->nareas++] = cur->areas[i].area_id;
	for (i = 0; i < r->in[ACT_AREAS].nmulti; i++) {
		char	*end;
		long long id = strtoll(r->in[ACT_AREAS].multi[i], &end, 10);

		if (*r->in[ACT_AREAS].multi[i] == '\0' ||
		    strcmp(r->in[ACT_AREAS].multi[i], "none") == 0)
			continue;
		if (*end != '\0' || id <= 0 || f->nareas >= 64) {
			valid_error(r, "areas", "invalid", "Areas must be "
			    "area ids of this event.");
			break;
		}
		for (j = 0; j < f->nareas; j++)
			if (in->areas[j] == id)
				break;
		if (j < f->nareas)
			continue;
		if ((rc = activity_area_of_event(r, c->ev.id, id, &name)) < 0)
			return;
		if (rc == 0) {
			valid_error(r, "areas", "not-on-event", arena_printf(
			    r->a, "Area %lld is not an area of this event.",
			    id));
			break;
		}
		in->areas[f->nareas++] = id;
	}
	f->areas = in->areas;

	/* Participants: "user:ID" or "collaborator:ID" [":organizer" |
	 * ":attendee"] [":optional" | ":required"]. */
	if (cur != NULL && !multi_given(r, ACT_PARTICIPANTS))
		for (i = 0; i < cur->nparts && i < 64; i++) {
			in->parts[f->nparts++] = cur->parts[i];
			organizers += cur->parts[i].organizer;
			json_object_array_add(in->names, json_object_new_string(
			    cur->parts[i].name ? cur->parts[i].name : ""));
		}
	for (i = 0; i < r->in[ACT_PARTICIPANTS].nmulti; i++) {
		const char	*spec = r->in[ACT_PARTICIPANTS].multi[i];
		char		 kindb[16], role[16], reqd[16];
		long long	 id;
		struct act_part	*p;
		int		 nf;

		if (*spec == '\0')
			continue;
		role[0] = reqd[0] = '\0';
		nf = sscanf(spec, "%15[a-z]:%lld:%15[a-z]:%15[a-z]", kindb,
		    &id, role, reqd);
		if (nf < 2 || id <= 0 || f->nparts >= 64 ||
		    (strcmp(kindb, "user") != 0 &&
		    strcmp(kindb, "collaborator") != 0) ||
		    (role[0] && strcmp(role, "organizer") != 0 &&
		    strcmp(role, "attendee") != 0) ||
		    (reqd[0] && strcmp(reqd, "optional") != 0 &&
		    strcmp(reqd, "required") != 0)) {
			valid_error(r, "participants", "invalid", arena_printf(
			    r->a, "Participant \"%s\" is not user:ID or "
			    "collaborator:ID, optionally with :organizer or "
			    ":attendee and :optional.", spec));
			break;
		}
		if (strcmp(kindb, "user") == 0)
			rc = activity_user_on_event(r, c->ev.id, id, &name);
		else
			rc = activity_collab_of_event(r, c->ev.id, id, &name);
		if (rc < 0)
			return;
		if (rc == 0) {
			valid_error(r, "participants", "not-on-event",
			    arena_printf(r->a, "Participant %s is not on this "
			    "event.", spec));
			break;
		}
		p = &in->parts[f->nparts];
		memset(p, 0, sizeof(*p));
		if (strcmp(kindb, "user") == 0)
			p->user_id = id;
		else
			p->collab_id = id;
		for (j = 0; j < f->nparts; j++)
			if (in->parts[j].user_id == p->user_id &&
			    in->parts[j].collab_id == p->collab_id)
				break;
		if (j < f->nparts)
			continue;
		p->organizer = strcmp(role, "organizer") == 0;
		p->required = strcmp(reqd, "optional") != 0;
		organizers += p->organizer;
		json_object_array_add(in->names, json_object_new_string(
		    name ? name : ""));
		f->nparts++;
	}
	if (organizers == 0 && add_creator && c->actor.event_user) {
		for (j = 0; j < f->nparts; j++)
			if (in->parts[j].user_id == r->user->id)
				break;
		if (j == f->nparts && f->nparts < 64) {
			memset(&in->parts[j], 0, sizeof(in->parts[j]));
			in->parts[j].user_id = r->user->id;
			in->parts[j].required = 1;
			f->nparts++;
		}
		in->parts[j].organizer = 1;
		organizers = 1;
	}
	if (organizers == 0)
		valid_error(r, "participants", "no-organizer", "An activity "
		    "needs at least one organizer.");
	f->parts = in->parts;
}

/* Scopes a new or changed activity would have. */
static void
fields_target(const struct activity_fields *f, struct perm_target *t)
{
	size_t	 i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < f->nparts && t->ncollabs < TARGET_SCOPES; i++)
		if (f->parts[i].collab_id)
			t->collabs[t->ncollabs++] = f->parts[i].collab_id;
	for (i = 0; i < f->nareas && t->nareas < TARGET_SCOPES; i++)
		t->areas[t->nareas++] = f->areas[i];
}

static int
str_ne(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static json_object *
changes_of(const struct activity *old, const struct activity_fields *f)
{
	json_object	*ch = json_object_new_object(), *o;

#define CH(key, a, b) do {						\
	if (str_ne((a), (b))) {					\
		o = json_object_new_object();				\
		vset_str(o, "old", (a));				\
		vset_str(o, "new", (b));				\
		json_object_object_add(ch, (key), o);			\
	}								\
} while (0)
	CH("name", old ? old->name : NULL, f->name);
	CH("type", old ? old->kind : NULL, f->kind);
	CH("start", old ? old->start_utc : NULL, f->start_utc);
	CH("end", old ? old->end_utc : NULL, f->end_utc);
	CH("start_date", old ? old->start_date : NULL, f->start_date);
	CH("end_date", old ? old->end_date : NULL, f->end_date);
	CH("location", old ? old->location : NULL, f->location);
	CH("repeat", old ? old->rec_freq : NULL, f->rec_freq);
	CH("until", old ? old->rec_until : NULL, f->rec_until);
#undef CH
	if (old == NULL || old->is_global != f->is_global) {
		o = json_object_new_object();
		if (old != NULL)
			vset_bool(o, "old", old->is_global);
		vset_bool(o, "new", f->is_global);
		json_object_object_add(ch, "global", o);
	}
	return ch;
}

/* "YYYY-MM-DD HH:MM:SS" (UTC, as written) → seconds; 0 malformed. */
static int64_t
db_secs(const char *s)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	return (int64_t)timegm(&tm);
}

/* Would the edit f move the occurrences of series old: its start (day
 * or time), all-day flag or repeat rule (until included) changes? */
static int
rule_changed(const struct activity *old, const struct activity_fields *f)
{
	if (old->all_day != f->all_day || str_ne(old->rec_freq, f->rec_freq))
		return 1;
	if (old->all_day ? str_ne(old->start_date, f->start_date) :
	    f->start_utc == NULL || tz_stamp_secs(old->start_utc) !=
	    db_secs(f->start_utc))
		return 1;
	return old->rec_freq != NULL && (old->rec_interval !=
	    f->rec_interval || old->rec_weekdays != f->rec_weekdays ||
	    str_ne(old->rec_until, f->rec_until));
}

/* 422: the calendar page (create) or the activity page (edit) with the
 * errors and what was typed. */
static int
invalid(struct req *r, struct event_ctx *c, const struct activity *cur)
{
	json_object	*v;
	struct act_choices ch;
	int64_t		 d;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	if (cur != NULL) {
		v = show_view(r, c, cur, -1);
		return render_invalid(r, "schedule/activity", cur->name, v);
	}
	v = base_view(r, c);
	if (tz_parse_date(c->ev.start_date, &d) != 0)
		d = 0;
	vset_str(v, "from", c->ev.start_date);
	vset_str(v, "to", c->ev.end_date);
	vset_bool(v, "can_create", 1);
	vset_str(v, "create_url", arena_printf(r->a, "/events/%lld/activities",
	    (long long)c->ev.id));
	if (activity_choices(r, c->ev.id, &ch) != 0)
		memset(&ch, 0, sizeof(ch));
	form_into(r, c, v, NULL, &ch);
	return render_invalid(r, "schedule/list", "New activity", v);
}

/* POST /events/{event}/activities — 303 to the activity (201 JSON); 403
 * without schedule edit covering it (Event domain, a participating
 * collaborator or a tagged area) or setting global without Event
 * schedule admin; 404 not on the event; 409 archived; 422 field errors
 * (nothing saved). */
int
h_activity_create(struct req *r)
{
	struct event_ctx c;
	struct input_set *in;
	struct perm_target t;
	struct activity	 a;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (!event_level_somewhere(&c, SEC_SCHEDULE, LV_EDIT))
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &c)) != 0)
		return st;
	in = arena_calloc(r->a, 1, sizeof(*in));
	if (r->nerrors == 0)
		read_form(r, &c, in, 1, NULL);
	if (r->nerrors)
		return invalid(r, &c, NULL);
	fields_target(&in->f, &t);
	if (perm_level(&c.actor, SEC_SCHEDULE, &t) < LV_EDIT)
		return forbidden(r, LV_EDIT);
	if (in->f.is_global && !event_admin(&c))
		return page_refuse(r, 403, "insufficient-permission", "Making an "
		    "activity global needs admin access to schedule for the "
		    "whole event.");

	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((id = activity_insert(r, c.ev.id, r->user->id, &in->f)) < 0)
		return 503;
	ch = changes_of(NULL, &in->f);
	json_object_object_add(ch, "participants", json_object_get(in->names));
	st = audit(r, c.ev.org_id, c.ev.id, "activity.created", "activity",
	    id, in->f.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld activity=%lld msg=\"activity created\"",
	    (long long)c.ev.id, (long long)id);
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (activity_get(r, c.ev.id, id, &a) != 1)
			return 503;
		vset_obj(v, "activity", activity_json(r, &c, &a));
		resp_header(r, "Location", arena_printf(r->a,
		    "/api/v1/events/%lld/activities/%lld",
		    (long long)c.ev.id, (long long)id));
		return render_json(r, 201, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was added to the schedule.",
	    in->f.name));
	return render_redirect(r, act_url(r, c.ev.id, id));
}

/* POST /events/{event}/activities/{id} — 303 to the activity (200
 * JSON); the whole series changes. 403 without schedule edit covering
 * it (or being a user organizer), or changing global without Event
 * schedule admin; 404 not visible; 409 archived or a stale version;
 * 422 field errors (nothing saved). */
int
h_activity_update(struct req *r)
{
	struct event_ctx c;
	struct input_set *in;
	struct activity	 a, now;
	json_object	*ch;
	int64_t		 dropped = 0;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = activity_gate(r, &c, &a)) != 0)
		return st;
	if (!act_editable(&c, r->user->id, &a))
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &c)) != 0)
		return st;
	in = arena_calloc(r->a, 1, sizeof(*in));
	if (r->nerrors == 0)
		read_form(r, &c, in, 0, &a);
	if (r->nerrors)
		return invalid(r, &c, &a);
	if (in->f.is_global != a.is_global && !event_admin(&c))
		return page_refuse(r, 403, "insufficient-permission", "Setting or "
		    "clearing the global flag needs admin access to schedule "
		    "for the whole event.");

	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((st = activity_lock(r, c.ev.id, a.id, &now)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ACT_VERSION].present && r->in[ACT_VERSION].i != now.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "The activity changed after you loaded it (now version "
		    "%lld); nothing was saved.", (long long)now.version));
	if ((st = activity_update(r, c.ev.id, a.id, now.version, &in->f)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "edit-conflict", "The activity changed "
		    "meanwhile; nothing was saved.");
	if (feeds_sequence_bump(r, c.ev.id, a.id, &now, &in->f) != 0)
		return 503;
	/* Single-occurrence changes: dropped when the start or the rule
	 * moves the occurrences (FEEDS §3.4), else they follow the
	 * series' new values. */
	if (now.nexcs > 0 && rule_changed(&now, &in->f)) {
		if ((dropped = activity_exceptions_drop(r, c.ev.id, a.id)) < 0)
			return 503;
	} else if (now.nexcs > 0 &&
	    activity_exceptions_touch(r, c.ev.id, a.id) != 0)
		return 503;
	ch = changes_of(&now, &in->f);
	json_object_object_add(ch, "participants", json_object_get(in->names));
	if (dropped > 0)
		vset_int(ch, "occurrence_changes_dropped", dropped);
	st = audit(r, c.ev.org_id, c.ev.id, "activity.updated", "activity",
	    a.id, in->f.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (activity_get(r, c.ev.id, a.id, &now) != 1)
			return 503;
		vset_obj(v, "activity", activity_json(r, &c, &now));
		vset_int(v, "occurrence_changes_dropped", dropped);
		return render_json(r, 200, v);
	}
	flash(r, "ok", dropped > 0 ? arena_printf(r->a, "The activity was "
	    "saved. Its start or repeat rule changed, so %lld changed or "
	    "cancelled occurrence%s no longer matched the series and %s "
	    "dropped.", (long long)dropped, dropped == 1 ? "" : "s",
	    dropped == 1 ? "was" : "were") : "The activity was saved.");
	return render_redirect(r, act_url(r, c.ev.id, a.id));
}

/* POST /events/{event}/activities/{id}/cancel — 303 to the activity
 * (200 JSON): cancelled (kept, shown cancelled), or restored with
 * restore=1. 403 without edit; 404 not visible; 409 archived or stale
 * version. */
int
h_activity_cancel(struct req *r)
{
	struct event_ctx c;
	struct activity	 a, now;
	int		 st, cancel = r->in[ACTCANCEL_RESTORE].i == 0;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = activity_gate(r, &c, &a)) != 0)
		return st;
	if (!act_editable(&c, r->user->id, &a))
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &c)) != 0)
		return st;
	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((st = activity_lock(r, c.ev.id, a.id, &now)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ACTCANCEL_VERSION].present &&
	    r->in[ACTCANCEL_VERSION].i != now.version)
		return page_refuse(r, 409, "edit-conflict", "The activity changed "
		    "after you loaded it; nothing was saved.");
	if ((st = activity_set_cancelled(r, c.ev.id, a.id, now.version,
	    cancel)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "edit-conflict", "The activity changed "
		    "meanwhile; nothing was saved.");
	if (feeds_sequence_bump(r, c.ev.id, a.id, &now, NULL) != 0)
		return 503;
	if (audit(r, c.ev.org_id, c.ev.id, cancel ? "activity.cancelled" :
	    "activity.restored", "activity", a.id, now.name, NULL) != 0 ||
	    db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (activity_get(r, c.ev.id, a.id, &now) != 1)
			return 503;
		vset_obj(v, "activity", activity_json(r, &c, &now));
		return render_json(r, 200, v);
	}
	flash(r, "ok", cancel ? "The activity was cancelled; it stays on the "
	    "schedule marked as cancelled." : "The activity was restored.");
	return render_redirect(r, act_url(r, c.ev.id, a.id));
}

/* --- one occurrence of a series ------------------------------------------- */

/* An occurrence of a series can be moved (timed series only: an all-day
 * occurrence is cancelled or renamed, never moved), renamed, given its
 * own exact location, cancelled, restored and reset to the series. The
 * change is an exception row (model/activity.c) keyed by the
 * occurrence's original local day, which also names it in URLs. Every
 * write locks the series row, checks the series' version when one is
 * sent and raises it, so two edits of one series never cross. */

#define OCC_LIST	30	/* occurrences the activity page lists */
#define MOVE_DAYS	366	/* how far one occurrence may move */

int
sched_occurrence(const struct activity *a, const char *tz, int64_t day,
    struct occ *o)
{
	struct tz_rule	 ru;
	int64_t		 first, tod, span, d[TZ_OCC_MAX];

	if (a->rec_freq == NULL ||
	    series_shape(a, tz, &first, &tod, &span) != 0)
		return -1;
	rule_of(a, &ru);
	/* The cap counts from the first occurrence, not from day. */
	if (tz_expand(&ru, first, day, day, d, TZ_OCC_MAX, NULL) != 1 ||
	    d[0] != day ||
	    occ_base(a, tz, day, tod, span, o) != 0)
		return -1;
	occ_apply(o, activity_exception_on(a, day));
	return 0;
}

static const char *
occ_page_url(struct req *r, const struct occ *o)
{
	return arena_printf(r->a, "/events/%lld/activities/%lld/occurrences/%s",
	    (long long)o->ev_id, (long long)o->a->id, cal_date(r, o->orig_day));
}

/* "09:00 CEST – 10:30 CEST" of instants s, e in zone tz. */
static const char *
hm_text(struct req *r, const char *tz, int64_t s, int64_t e)
{
	char	 ab[16], ab2[16];
	int64_t	 ls, le;

	(void)tz_utc_to_local(tz, s, &ls, ab, sizeof(ab));
	(void)tz_utc_to_local(tz, e, &le, ab2, sizeof(ab2));
	return arena_printf(r->a, "%s %s – %s%s %s", secs_fmt(r, ls, "%H:%M"),
	    ab, ls / 86400 == le / 86400 ? "" : secs_fmt(r, le, "%-d %b "),
	    secs_fmt(r, le, "%H:%M"), ab2);
}

static int64_t
series_length(const struct activity *a)
{
	return tz_stamp_secs(a->end_utc) - tz_stamp_secs(a->start_utc);
}

/* One occurrence with what the pages need to change it. */
static json_object *
occurrence_json(struct req *r, const struct occ *o)
{
	json_object	*j = sched_occ_json(r, o, NULL, 0);
	const char	*base = occ_page_url(r, o);
	const struct act_exception *x = o->x;

	vset_str(j, "label", secs_fmt(r, o->orig_day * 86400,
	    "%a %-d %b %Y"));
	vset_str(j, "page_url", base);
	vset_str(j, "cancel_url", arena_printf(r->a, "%s/cancel", base));
	vset_str(j, "reset_url", arena_printf(r->a, "%s/reset", base));
	vset_bool(j, "occurrence_cancelled", x != NULL && x->cancelled);
	vset_bool(j, "series_cancelled", o->a->cancelled);
	vset_bool(j, "name_changed", x != NULL && x->name != NULL);
	vset_bool(j, "location_changed", x != NULL && x->location != NULL);
	/* Changed other than by cancelling (the "Changed" badge). */
	vset_bool(j, "edited", o->moved || (x != NULL && (x->name != NULL ||
	    x->location != NULL)));
	if (!o->a->all_day) {
		int64_t	 oe = o->orig_start + series_length(o->a);

		vset_str(j, "original_start", secs_fmt(r, o->orig_start,
		    "%Y-%m-%dT%H:%M:%SZ"));
		vset_str(j, "original_end", secs_fmt(r, oe,
		    "%Y-%m-%dT%H:%M:%SZ"));
		vset_str(j, "original_time_text", hm_text(r, o->tz,
		    o->orig_start, oe));
		if (o->moved && o->ls / 86400 != o->orig_day)
			vset_str(j, "moved_to_date", secs_fmt(r, o->ls,
			    "%a %-d %b %Y"));
	}
	return j;
}

static int
occ_day_cmp(const void *x, const void *y)
{
	const struct occ *a = x, *b = y;

	return a->orig_day < b->orig_day ? -1 : a->orig_day > b->orig_day;
}

/* The series' occurrences from today (or from its start, when it has
 * not started or is over), at most OCC_LIST, by their own day. */
static json_object *
occ_list_json(struct req *r, const struct event_ctx *c,
    const struct activity *a, int64_t sel)
{
	json_object	*out = json_object_new_array();
	struct occ	*os = NULL;
	size_t		 n = 0, cap = 0, i;
	int64_t		 first, tod, span, from, to, today;

	if (a->rec_freq == NULL || series_shape(a, c->ev.timezone, &first,
	    &tod, &span) != 0)
		return out;
	today = cal_today(c->ev.timezone);
	from = today > first ? today : first;
	if (a->rec_until == NULL || tz_parse_date(a->rec_until, &to) != 0 ||
	    to > from + RANGE_MAX)
		to = from + RANGE_MAX;
	sched_expand(a, c->ev.timezone, from, to, &os, &n, &cap, r->a);
	if (n == 0 && from > first)
		sched_expand(a, c->ev.timezone, first, first + RANGE_MAX, &os,
		    &n, &cap, r->a);
	if (n > 1)
		qsort(os, n, sizeof(*os), occ_day_cmp);
	for (i = 0; i < n && i < OCC_LIST; i++) {
		json_object	*o = occurrence_json(r, &os[i]);

		vset_bool(o, "selected", os[i].orig_day == sel);
		json_object_array_add(out, o);
	}
	return out;
}

/* {date} of a visible series: 0 with *o its occurrence, else the status
 * sent (404: not a date, not a series, no occurrence that day). */
static int
occ_gate(struct req *r, const struct event_ctx *c, const struct activity *a,
    struct occ *o)
{
	int64_t	 day;

	if (tz_parse_date(req_pathvar(r, 2), &day) != 0)
		return page_refuse(r, 404, "not-found", "date: not a date "
		    "(YYYY-MM-DD).");
	if (a->rec_freq == NULL)
		return page_refuse(r, 404, "not-found", "date: the activity does "
		    "not repeat; change the activity itself.");
	if (sched_occurrence(a, c->ev.timezone, day, o) != 0)
		return page_refuse(r, 404, "not-found", arena_printf(r->a, "date: "
		    "the series has no occurrence on %s.", cal_date(r, day)));
	return 0;
}

/* The occurrence page: the occurrence, and its form for editors (what
 * was posted on a 422, else its current values). */
static json_object *
occ_view(struct req *r, const struct event_ctx *c, const struct occ *o,
    int posted)
{
	json_object	*v = base_view(r, c), *f;
	const struct activity *a = o->a;
	int		 edit = act_editable(c, r->user->id, a) && !c->ev.archived, i;

	vset_obj(v, "activity", activity_json(r, c, a));
	vset_obj(v, "occurrence", occurrence_json(r, o));
	vset_str(v, "activity_url", sched_occ_url(r, o));
	vset_bool(v, "can_edit", edit);
	vset_bool(v, "timed", !a->all_day);
	if (!edit)
		return v;
	vset_int(v, "version", a->version);
	f = json_object_new_object();
	if (!a->all_day) {
		vset_str(f, "start_date", secs_fmt(r, o->ls, "%Y-%m-%d"));
		vset_str(f, "start_time", secs_fmt(r, o->ls, "%H:%M"));
		vset_str(f, "end_date", secs_fmt(r, o->le, "%Y-%m-%d"));
		vset_str(f, "end_time", secs_fmt(r, o->le, "%H:%M"));
	}
	vset_str(f, "name", o->name);
	vset_str(f, "location", o->location);
	if (posted)
		for (i = OCC_START_DATE; i <= OCC_LOCATION; i++)
			if (r->in[i].s != NULL)
				vset_str(f, r->route->fields[i].name,
				    r->in[i].s);
	vset_obj(v, "form", f);
	return v;
}

/* GET /events/{event}/activities/{id}/occurrences/{date} — 200 one
 * occurrence of a series (date: its own local day), with its form for
 * those who may edit the activity; 404 not on the event, no such
 * activity or not visible, not a date, not a series or no occurrence
 * that day. */
int
h_occurrence(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct occ	 o;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = activity_gate(r, &c, &a)) != 0 ||
	    (st = occ_gate(r, &c, &a, &o)) != 0)
		return st;
	return render_page(r, 200, "schedule/occurrence", arena_printf(r->a,
	    "%s · %s", o.name, cal_date(r, o.orig_day)),
	    occ_view(r, &c, &o, 0));
}

/* "2027-07-10T06:00:00Z" → "2027-07-10 06:00:00" (arena), NULL kept. */
static const char *
db_time(struct req *r, const char *rfc)
{
	return rfc ? secs_fmt(r, tz_stamp_secs(rfc), "%Y-%m-%d %H:%M:%S") : NULL;
}

/* Loose text equality: NULL and "" alike. */
static int
same_loose(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The occurrence's state as an exception write sets it. */
struct occ_state {
	struct act_exc_fields f;
	char		 start[24], end[24];
};

static void
state_of(struct req *r, const struct act_exception *x, struct occ_state *st)
{
	memset(st, 0, sizeof(*st));
	if (x == NULL)
		return;
	st->f.cancelled = x->cancelled;
	st->f.start_utc = db_time(r, x->start_utc);
	st->f.end_utc = db_time(r, x->end_utc);
	st->f.name = x->name;
	st->f.location = x->location;
}

static int
state_default(const struct occ_state *st)
{
	return !st->f.cancelled && st->f.start_utc == NULL &&
	    st->f.name == NULL && st->f.location == NULL;
}

static int
str_same(const char *a, const char *b)
{
	return !str_ne(a, b);
}

static int
state_same(const struct occ_state *a, const struct occ_state *b)
{
	return a->f.cancelled == b->f.cancelled &&
	    str_same(a->f.start_utc, b->f.start_utc) &&
	    str_same(a->f.end_utc, b->f.end_utc) &&
	    str_same(a->f.name, b->f.name) &&
	    str_same(a->f.location, b->f.location);
}

/* Does the form send any of the occurrence's time fields? */
static int
occ_times_sent(struct req *r)
{
	int	 i;

	for (i = OCC_START_DATE; i <= OCC_END_TIME; i++)
		if (r->in[i].present)
			return 1;
	return 0;
}

/* Apply the form to st (the occurrence's current state; o its current
 * form), adding field errors. A field not sent keeps its value; times
 * that equal the series' own for that day are no move; a name or
 * location equal to the series' (or empty) is no override. */
static void
occ_read_form(struct req *r, const struct event_ctx *c, const struct occ *o,
    struct occ_state *st)
{
	const struct activity *a = o->a;
	const char	*zone = c->ev.timezone, *sth, *eth;
	int64_t		 sd, ed, s, e, oe;
	int		 i, given = 0;

	for (i = OCC_START_DATE; i <= OCC_LOCATION; i++)
		given |= r->in[i].s != NULL;
	if (!given) {
		valid_error(r, "start_date", "required", "Send new times, a "
		    "name or an exact location for this occurrence.");
		return;
	}
	if (occ_times_sent(r) && a->all_day)
		valid_error(r, "start_date", "all-day", "An occurrence of an "
		    "all-day series cannot be moved on its own: change the "
		    "series, or cancel this occurrence.");
	else if (occ_times_sent(r)) {
		if (!r->in[OCC_START_DATE].present ||
		    tz_parse_date(r->in[OCC_START_DATE].s, &sd) != 0)
			sd = o->ls / 86400;
		if (!r->in[OCC_END_DATE].present ||
		    tz_parse_date(r->in[OCC_END_DATE].s, &ed) != 0)
			ed = o->le / 86400;
		sth = r->in[OCC_START_TIME].present ?
		    r->in[OCC_START_TIME].s : secs_fmt(r, o->ls, "%H:%M");
		eth = r->in[OCC_END_TIME].present ?
		    r->in[OCC_END_TIME].s : secs_fmt(r, o->le, "%H:%M");
		oe = o->orig_start + series_length(a);
		if (local_instant(r, zone, sd, sth, "start_time", "Start time",
		    st->start, sizeof(st->start), &s) == 0 &&
		    local_instant(r, zone, ed, eth, "end_time", "End time",
		    st->end, sizeof(st->end), &e) == 0) {
			if (e <= s)
				valid_error(r, "end_time", "before-start",
				    "The end must be after the start.");
			else if (e - s > SPAN_MAX * 86400)
				valid_error(r, "end_date", "too-long", "An "
				    "activity lasts at most 31 days.");
			else if (s - o->orig_start > MOVE_DAYS * 86400 ||
			    o->orig_start - s > MOVE_DAYS * 86400)
				valid_error(r, "start_date", "too-far", "An "
				    "occurrence moves at most a year away from "
				    "its own date.");
			else if (s == o->orig_start && e == oe)
				st->f.start_utc = st->f.end_utc = NULL;
			else {
				st->f.start_utc = st->start;
				st->f.end_utc = st->end;
			}
		}
	}
	if (r->in[OCC_NAME].s != NULL)
		st->f.name = !r->in[OCC_NAME].present ||
		    strcmp(r->in[OCC_NAME].s, a->name) == 0 ? NULL :
		    r->in[OCC_NAME].s;
	if (r->in[OCC_LOCATION].s != NULL)
		st->f.location = same_loose(r->in[OCC_LOCATION].s,
		    a->location) ? NULL : r->in[OCC_LOCATION].s;
}

/* The audit entry's changes: the occurrence and what moved. */
static json_object *
occ_changes(struct req *r, const struct occ *o, const struct occ_state *was,
    const struct occ_state *now, int dropped)
{
	json_object	*ch = json_object_new_object(), *x;

	vset_str(ch, "date", cal_date(r, o->orig_day));
#define OCH(key, a, b) do {						\
	if (str_ne((a), (b))) {					\
		x = json_object_new_object();				\
		vset_str(x, "old", (a));				\
		vset_str(x, "new", (b));				\
		json_object_object_add(ch, (key), x);			\
	}								\
} while (0)
	if (dropped) {
		OCH("start", was->f.start_utc, NULL);
		OCH("end", was->f.end_utc, NULL);
		OCH("name", was->f.name, NULL);
		OCH("location", was->f.location, NULL);
	} else {
		OCH("start", was->f.start_utc, now->f.start_utc);
		OCH("end", was->f.end_utc, now->f.end_utc);
		OCH("name", was->f.name, now->f.name);
		OCH("location", was->f.location, now->f.location);
	}
#undef OCH
	if (was->f.cancelled != (dropped ? 0 : now->f.cancelled)) {
		x = json_object_new_object();
		vset_bool(x, "old", was->f.cancelled);
		vset_bool(x, "new", !dropped && now->f.cancelled);
		json_object_object_add(ch, "cancelled", x);
	}
	return ch;
}

/* 422: the occurrence page with the errors and what was typed. */
static int
occ_invalid(struct req *r, const struct event_ctx *c, const struct occ *o)
{
	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	return render_invalid(r, "schedule/occurrence", o->name,
	    occ_view(r, c, o, 1));
}

/* After a write (or none): JSON the series and the occurrence (200),
 * HTML a flash and 303 to the activity page on that occurrence. */
static int
occ_done(struct req *r, const struct event_ctx *c, int64_t id, int64_t day,
    const char *msg, int changed)
{
	struct activity	 a;
	struct occ	 o;
	json_object	*v;

	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		if (activity_get(r, c->ev.id, id, &a) != 1)
			return 503;
		vset_obj(v, "activity", activity_json(r, c, &a));
		if (sched_occurrence(&a, c->ev.timezone, day, &o) == 0)
			vset_obj(v, "occurrence", occurrence_json(r, &o));
		vset_bool(v, "changed", changed);
		vset_str(v, "message", msg);
		return render_json(r, 200, v);
	}
	flash(r, "ok", msg);
	return render_redirect(r, arena_printf(r->a, "%s?date=%s",
	    act_url(r, c->ev.id, id), cal_date(r, day)));
}

enum occ_op { OP_EDIT, OP_CANCEL, OP_RESTORE, OP_RESET };

/* The writes of one occurrence: gates, then in one transaction lock the
 * series, check its version (field vidx when sent), find the
 * occurrence again, write its exception (or drop it) and the audit
 * entry. A write that would change nothing writes nothing. */
static int
occ_write(struct req *r, enum occ_op op, int vidx)
{
	static const char *const actions[] = { "activity.occurrence_updated",
	    "activity.occurrence_cancelled", "activity.occurrence_restored",
	    "activity.occurrence_reset" };
	static const char *const done_msg[] = { "This occurrence was saved; "
	    "the rest of the series is unchanged.", "This occurrence was "
	    "cancelled; it stays on the schedule marked as cancelled.",
	    "This occurrence was restored.", "This occurrence is back to "
	    "the series' times, name and location." };
	struct event_ctx c;
	struct activity	 a, now;
	struct occ	 o;
	struct occ_state was, want;
	json_object	*ch;
	int64_t		 day;
	int		 st, drop;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = activity_gate(r, &c, &a)) != 0 ||
	    (st = occ_gate(r, &c, &a, &o)) != 0)
		return st;
	if (!act_editable(&c, r->user->id, &a))
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &c)) != 0)
		return st;
	day = o.orig_day;
	if (op == OP_EDIT && r->nerrors)
		return occ_invalid(r, &c, &o);

	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((st = activity_lock(r, c.ev.id, a.id, &now)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[vidx].present && r->in[vidx].i != now.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "The series changed after you loaded it (now version "
		    "%lld); nothing was saved.", (long long)now.version));
	if (sched_occurrence(&now, c.ev.timezone, day, &o) != 0)
		return page_refuse(r, 409, "edit-conflict", "The series changed "
		    "meanwhile and has no occurrence on that day any more; "
		    "nothing was saved.");
	state_of(r, o.x, &was);
	state_of(r, o.x, &want);
	switch (op) {
	case OP_EDIT:
		occ_read_form(r, &c, &o, &want);
		if (r->nerrors)
			return occ_invalid(r, &c, &o);
		break;
	case OP_CANCEL:
		want.f.cancelled = 1;
		break;
	case OP_RESTORE:
		want.f.cancelled = 0;
		break;
	case OP_RESET:
		memset(&want, 0, sizeof(want));
		break;
	}
	drop = state_default(&want);
	if (o.x == NULL ? drop : state_same(&was, &want)) {
		db_rollback();
		return occ_done(r, &c, a.id, day, "Nothing changed: this "
		    "occurrence already looks like that.", 0);
	}
	if ((st = activity_exception_set(r, c.ev.id, a.id, now.version,
	    cal_date(r, day), o.x, drop ? NULL : &want.f)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "edit-conflict", "The series changed "
		    "meanwhile; nothing was saved.");
	ch = occ_changes(r, &o, &was, &want, drop);
	st = audit(r, c.ev.org_id, c.ev.id, actions[op], "activity", a.id,
	    now.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld activity=%lld occurrence=%s msg=\"%s\"",
	    (long long)c.ev.id, (long long)a.id, cal_date(r, day),
	    actions[op]);
	return occ_done(r, &c, a.id, day, done_msg[op], 1);
}

/* POST /events/{event}/activities/{id}/occurrences/{date} — 303 to the
 * activity on that occurrence (200 JSON): new times (local, in the
 * event's zone), a name or an exact location for this occurrence only.
 * 403 without edit on the activity; 404 as the occurrence page; 409
 * archived or a stale series version; 422 nothing sent, a time in a
 * daylight-saving gap, an end before the start, more than 31 days, a
 * move of more than a year, or any move of an all-day occurrence. */
int
h_occurrence_update(struct req *r)
{
	return occ_write(r, OP_EDIT, OCC_VERSION);
}

/* POST /events/{event}/activities/{id}/occurrences/{date}/cancel —
 * 303 (200 JSON): this occurrence cancelled (kept, marked), or
 * restored with restore=1. 403, 404, 409 as the edit. */
int
h_occurrence_cancel(struct req *r)
{
	return occ_write(r, r->in[ACTCANCEL_RESTORE].i ? OP_RESTORE :
	    OP_CANCEL, ACTCANCEL_VERSION);
}

/* POST /events/{event}/activities/{id}/occurrences/{date}/reset — 303
 * (200 JSON): the occurrence goes back to the series (its exception is
 * dropped). 403, 404, 409 as the edit. */
int
h_occurrence_reset(struct req *r)
{
	return occ_write(r, OP_RESET, OCCRESET_VERSION);
}
