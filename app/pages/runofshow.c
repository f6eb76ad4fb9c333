/* runofshow.c — an activity's run of show: custom columns and ordered
 * segments with a value per column, their computed times, and the
 * event's printable list of every visible run of show (PRODUCT §10).
 *
 * Access follows the activity: whoever may see the activity sees its
 * run of show (anyone else gets 404, as for the activity itself);
 * whoever may edit the activity (schedule edit in a covering scope, or
 * a user organizer) changes it: the rules of pages/actperm.c.
 *
 * Times: a segment starts at the activity's start plus the durations
 * before it; nothing but the durations is stored, so inserting, moving
 * or deleting a segment moves every later start. A segment ending
 * after the activity ends is flagged as overrunning. All-day
 * activities count from 00:00 of their first day in the event's zone.
 * A repeating activity has one run of show for the whole series, timed
 * for its first occurrence or for the occurrence chosen with ?date=.
 *
 * Writes run in one transaction each: the event's shared lock, the
 * activity row FOR UPDATE, then the reads, the change and its audit
 * entry, so positions stay dense (0..n-1) under concurrent writers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deny.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "actperm.h"
#include "events.h"
#include "model/activity.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/runofshow.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/view.h"
#include "runofshow.h"

#define SEGS_MAX	500	/* segments of one activity */
#define OCC_CHOICES	60	/* occurrence dates offered in the picker */

/* The palette a segment's colour comes from; CSS draws the swatches
 * (public/css/app.css, "run of show"). */
static const struct {
	const char	*name, *label;
} palette[] = {
	{ "grey", "Grey" }, { "red", "Red" }, { "orange", "Orange" },
	{ "yellow", "Yellow" }, { "green", "Green" }, { "teal", "Teal" },
	{ "blue", "Blue" }, { "purple", "Purple" }, { "pink", "Pink" },
};
#define NPALETTE	(sizeof(palette) / sizeof(palette[0]))

static const struct {
	const char	*name, *label;
} widths[] = {
	{ "narrow", "Narrow" }, { "medium", "Medium" }, { "wide", "Wide" },
};
#define NWIDTHS		(sizeof(widths) / sizeof(widths[0]))

/* The instants a run of show is timed against. */
struct span {
	int64_t		 start;		/* UTC seconds */
	int64_t		 end;
	int64_t		 day;		/* local day of the occurrence (its
					   original one when moved) */
	const struct act_exception *x;	/* the occurrence's exception */
};

/* --- small helpers ------------------------------------------------------- */


static int
forbidden(struct req *r)
{
	return page_refuse(r, 403, "insufficient-permission", "Changing a run of "
	    "show needs edit access to schedule for its activity, or being "
	    "one of its organizers.");
}

static int
archived(struct req *r)
{
	return page_refuse(r, 409, "event-archived", "This event is archived: "
	    "restore it before changing anything.");
}

static int
stale(struct req *r, const char *what, int64_t now)
{
	return page_refuse(r, 409, "edit-conflict", arena_printf(r->a, "The %s "
	    "changed after you loaded it (now version %lld); nothing was "
	    "saved.", what, (long long)now));
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

static const char *
minutes_text(struct req *r, int64_t m)
{
	if (m < 60)
		return arena_printf(r->a, "%lld min", (long long)m);
	if (m % 60 == 0)
		return arena_printf(r->a, "%lld h", (long long)(m / 60));
	return arena_printf(r->a, "%lld h %lld min", (long long)(m / 60),
	    (long long)(m % 60));
}

static const char *
palette_label(const char *name)
{
	size_t	 i;

	for (i = 0; i < NPALETTE; i++)
		if (name != NULL && strcmp(name, palette[i].name) == 0)
			return palette[i].label;
	return NULL;
}

static const char *
width_label(const char *name)
{
	size_t	 i;

	for (i = 0; i < NWIDTHS; i++)
		if (name != NULL && strcmp(name, widths[i].name) == 0)
			return widths[i].label;
	return NULL;
}

/* --- who sees and who changes (the rules of pages/schedule.c) ----------- */

/* {event} and {id}: 0 with the activity visible to the actor, else the
 * status sent (404 for a missing and an invisible one alike). */
static int
gate(struct req *r, struct event_ctx *c, struct activity *a)
{
	int64_t	 id;
	int	 st;

	if ((st = event_gate(r, c, 0)) != 0)
		return st;
	if ((id = req_pathvar_id(r, 1)) <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = activity_get(r, c->ev.id, id, a)) < 0)
		return 503;
	if (st == 0 || !act_visible(c, r->user->id, a))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* gate() plus the right to change: 0, or the status sent. */
static int
write_gate(struct req *r, struct event_ctx *c, struct activity *a)
{
	int	 st;

	if ((st = gate(r, c, a)) != 0)
		return st;
	if (!act_editable(c, r->user->id, a))
		return forbidden(r);
	return event_writable(r, c);
}

/* Begin the write: the event's shared lock, then the activity row FOR
 * UPDATE. 0, or the status sent. */
static int
begin_locked(struct req *r, const struct event_ctx *c, int64_t act)
{
	struct activity	 now;
	int		 st;

	if (db_begin() != 0 || (st = event_lock_shared(r, c->ev.id)) < 0)
		return 503;
	if (st == 0)
		return archived(r);
	if ((st = activity_lock(r, c->ev.id, act, &now)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* --- times --------------------------------------------------------------- */

static void
rule_of(const struct activity *a, struct tz_rule *ru)
{
	memset(ru, 0, sizeof(*ru));
	ru->freq = FREQ_NONE;
	if (a->rec_freq != NULL) {
		if (strcmp(a->rec_freq, "daily") == 0)
			ru->freq = FREQ_DAILY;
		else if (strcmp(a->rec_freq, "weekly") == 0)
			ru->freq = FREQ_WEEKLY;
		else if (strcmp(a->rec_freq, "monthly") == 0)
			ru->freq = FREQ_MONTHLY;
	}
	ru->interval = a->rec_interval > 0 ? (int)a->rec_interval : 1;
	ru->weekdays = (unsigned)a->rec_weekdays;
	if (a->rec_until == NULL || tz_parse_date(a->rec_until, &ru->until))
		ru->until = -1;
}

/* UTC instant of a local wall time; a time in a gap moves an hour on. */
static int64_t
local_utc(const char *tz, int64_t lsec)
{
	int64_t	 t;

	if (tz_local_to_utc(tz, lsec, &t) != TZ_OK &&
	    tz_local_to_utc(tz, lsec + 3600, &t) != TZ_OK)
		t = lsec;
	return t;
}

/* The first local day of the series and, for timed ones, the local
 * time of day it starts at. */
static int
first_day(const char *tz, const struct activity *a, int64_t *first,
    int64_t *tod)
{
	int64_t	 ls;

	*tod = 0;
	if (a->all_day)
		return tz_parse_date(a->start_date, first);
	if (tz_utc_to_local(tz, tz_stamp_secs(a->start_utc), &ls, NULL, 0) !=
	    TZ_OK)
		return -1;
	*first = ls / 86400;
	*tod = ls % 86400;
	return 0;
}

/* The span of the occurrence on local day date (-1: the first one). 0,
 * or -1 when date is not an occurrence of the activity. */
static int
span_of(const char *tz, const struct activity *a, int64_t date,
    struct span *sp)
{
	struct tz_rule	 ru;
	int64_t		 first, tod, last, days[TZ_OCC_MAX];

	if (first_day(tz, a, &first, &tod) != 0)
		return -1;
	if (date < 0)
		date = first;
	else if (date != first) {
		rule_of(a, &ru);
		/* The cap counts from the first occurrence, not from date. */
		if (tz_expand(&ru, first, date, date, days, TZ_OCC_MAX,
		    NULL) != 1 || days[0] != date)
			return -1;
	}
	sp->day = date;
	sp->x = a->rec_freq != NULL ? activity_exception_on(a, date) : NULL;
	if (a->all_day) {
		if (tz_parse_date(a->end_date, &last) != 0)
			return -1;
		sp->start = local_utc(tz, date * 86400);
		sp->end = local_utc(tz, (date + last - first + 1) * 86400);
		return 0;
	}
	if (sp->x != NULL && sp->x->start_utc != NULL &&
	    sp->x->end_utc != NULL) {
		/* A moved occurrence is timed from its own start. */
		sp->start = tz_stamp_secs(sp->x->start_utc);
		sp->end = tz_stamp_secs(sp->x->end_utc);
		return 0;
	}
	if (date == first)
		sp->start = tz_stamp_secs(a->start_utc);
	else
		sp->start = local_utc(tz, date * 86400 + tod);
	sp->end = sp->start + (tz_stamp_secs(a->end_utc) -
	    tz_stamp_secs(a->start_utc));
	return 0;
}

/* "Sat 3 Jul 2027, 10:00 CEST – 11:30 CEST" or "All day, …". */
static const char *
span_text(struct req *r, const char *tz, const struct activity *a,
    const struct span *sp)
{
	int64_t	 ls, le;
	char	 ab[16], ab2[16];

	(void)tz_utc_to_local(tz, sp->start, &ls, ab, sizeof(ab));
	(void)tz_utc_to_local(tz, sp->end, &le, ab2, sizeof(ab2));
	if (a->all_day)
		return arena_printf(r->a, "All day, %s%s%s (timed from 00:00 "
		    "%s)", secs_fmt(r, ls, "%a %-d %b %Y"),
		    ls / 86400 + 1 < le / 86400 ? " to " : "",
		    ls / 86400 + 1 < le / 86400 ? secs_fmt(r, le - 86400,
		    "%a %-d %b %Y") : "", ab);
	return arena_printf(r->a, "%s, %s %s – %s%s %s",
	    secs_fmt(r, ls, "%a %-d %b %Y"), secs_fmt(r, ls, "%H:%M"), ab,
	    ls / 86400 == le / 86400 ? "" : secs_fmt(r, le, "%a %-d %b, "),
	    secs_fmt(r, le, "%H:%M"), ab2);
}

/* --- view models ---------------------------------------------------------- */

static const char *
act_url(struct req *r, int64_t ev, int64_t id)
{
	return arena_printf(r->a, "/events/%lld/activities/%lld",
	    (long long)ev, (long long)id);
}

static const char *
ros_url(struct req *r, int64_t ev, int64_t id)
{
	return arena_printf(r->a, "/events/%lld/activities/%lld/run-of-show",
	    (long long)ev, (long long)id);
}

static json_object *
colour_options(const char *cur)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < NPALETTE; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", palette[i].name);
		vset_str(o, "label", palette[i].label);
		vset_bool(o, "selected", cur != NULL &&
		    strcmp(cur, palette[i].name) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
width_options(const char *cur)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < NWIDTHS; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", widths[i].name);
		vset_str(o, "label", widths[i].label);
		vset_bool(o, "selected", cur != NULL &&
		    strcmp(cur, widths[i].name) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

static const char *
value_of(const struct ros_segment *s, int64_t col)
{
	size_t	 i;

	for (i = 0; i < s->nvalues; i++)
		if (s->values[i].column_id == col)
			return s->values[i].value;
	return "";
}

/* The columns of one activity within an event-wide or activity list:
 * those with activity_id act, which are contiguous. */
static void
cols_of(const struct ros *o, int64_t act, const struct ros_column **cp,
    size_t *np)
{
	size_t	 i;

	*cp = NULL;
	*np = 0;
	for (i = 0; i < o->ncols; i++)
		if (o->cols[i].activity_id == act) {
			if (*cp == NULL)
				*cp = &o->cols[i];
			(*np)++;
		}
}

static json_object *
columns_json(struct req *r, const struct ros_column *cols, size_t n,
    const char *base, int edit)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++) {
		json_object	*o = json_object_new_object();
		const struct ros_column *k = &cols[i];

		vset_int(o, "id", k->id);
		vset_str(o, "name", k->name);
		vset_str(o, "width", k->width);
		vset_str(o, "width_label", width_label(k->width));
		vset_int(o, "position", k->position);
		vset_int(o, "version", k->version);
		if (edit) {
			const char *u = arena_printf(r->a, "%s/columns/%lld",
			    base, (long long)k->id);

			vset_str(o, "url", u);
			vset_str(o, "move_url", arena_printf(r->a, "%s/move",
			    u));
			vset_str(o, "delete_url", arena_printf(r->a,
			    "%s/delete", u));
			vset_bool(o, "can_left", i > 0);
			vset_bool(o, "can_right", i + 1 < n);
			vset_int(o, "left_position", k->position > 0 ?
			    k->position - 1 : 0);
			vset_int(o, "right_position", k->position + 1);
			vset_obj(o, "width_options", width_options(k->width));
		}
		json_object_array_add(a, o);
	}
	return a;
}

/* Segments with their computed times; *overrun set when any runs past
 * the end; *total the sum of durations. */
static json_object *
segments_json(struct req *r, const struct event_ctx *c,
    const struct ros_segment *segs, size_t n, const struct ros_column *cols,
    size_t ncols, const struct span *sp, const char *base, int edit,
    int *overrun, int64_t *total)
{
	json_object	*a = json_object_new_array();
	int64_t		 off = 0, s, e, ls, le;
	size_t		 i, k;

	*overrun = 0;
	for (i = 0; i < n; i++) {
		json_object	*o = json_object_new_object(), *vals;
		const struct ros_segment *g = &segs[i];
		const char	*ids = "";
		int		 over;

		s = sp->start + off * 60;
		e = s + g->duration * 60;
		over = e > sp->end;
		*overrun |= over;
		(void)tz_utc_to_local(c->ev.timezone, s, &ls, NULL, 0);
		(void)tz_utc_to_local(c->ev.timezone, e, &le, NULL, 0);
		vset_int(o, "id", g->id);
		vset_int(o, "position", g->position);
		vset_int(o, "number", g->position + 1);
		vset_str(o, "name", g->name);
		vset_int(o, "duration_minutes", g->duration);
		vset_str(o, "duration_text", minutes_text(r, g->duration));
		vset_str(o, "colour", g->colour);
		vset_str(o, "colour_label", palette_label(g->colour));
		vset_int(o, "offset_minutes", off);
		vset_str(o, "offset_text", arena_printf(r->a, "+%lld:%02lld",
		    (long long)(off / 60), (long long)(off % 60)));
		vset_str(o, "start", secs_fmt(r, s, "%Y-%m-%dT%H:%M:%SZ"));
		vset_str(o, "end", secs_fmt(r, e, "%Y-%m-%dT%H:%M:%SZ"));
		vset_str(o, "start_local", secs_fmt(r, ls,
		    "%Y-%m-%dT%H:%M:%S"));
		vset_str(o, "end_local", secs_fmt(r, le, "%Y-%m-%dT%H:%M:%S"));
		vset_str(o, "start_text", secs_fmt(r, ls, "%H:%M"));
		vset_str(o, "end_text", secs_fmt(r, le, "%H:%M"));
		vset_str(o, "day_note", ls / 86400 != sp->day ?
		    secs_fmt(r, ls, "%a %-d %b") : NULL);
		vset_bool(o, "overrun", over);
		vset_int(o, "version", g->version);
		vals = json_object_new_array();
		for (k = 0; k < ncols; k++) {
			json_object	*v = json_object_new_object();

			vset_int(v, "column_id", cols[k].id);
			vset_str(v, "column", cols[k].name);
			vset_str(v, "width", cols[k].width);
			vset_str(v, "value", value_of(g, cols[k].id));
			vset_str(v, "field", arena_printf(r->a, "value_%zu",
			    k));
			vset_str(v, "input_id", arena_printf(r->a,
			    "seg%lld-value_%zu", (long long)g->id, k));
			json_object_array_add(vals, v);
			ids = arena_printf(r->a, "%s%s%lld", ids, k ? "," : "",
			    (long long)cols[k].id);
		}
		vset_obj(o, "values", vals);
		if (edit) {
			const char *u = arena_printf(r->a, "%s/segments/%lld",
			    base, (long long)g->id);

			vset_str(o, "url", u);
			vset_str(o, "move_url", arena_printf(r->a, "%s/move",
			    u));
			vset_str(o, "delete_url", arena_printf(r->a,
			    "%s/delete", u));
			vset_bool(o, "can_up", i > 0);
			vset_bool(o, "can_down", i + 1 < n);
			vset_int(o, "up_position", g->position > 0 ?
			    g->position - 1 : 0);
			vset_int(o, "down_position", g->position + 1);
			vset_str(o, "column_ids", ids);
			vset_obj(o, "colour_options", colour_options(
			    g->colour));
		}
		json_object_array_add(a, o);
		off += g->duration;
	}
	*total = off;
	return a;
}

/* What an activity's block shows on both pages. */
static void
activity_into(struct req *r, const struct event_ctx *c,
    const struct activity *a, const struct span *sp, json_object *o)
{
	const struct act_exception *x = sp->x;

	vset_int(o, "id", a->id);
	vset_str(o, "name", x && x->name ? x->name : a->name);
	vset_str(o, "url", a->rec_freq != NULL ? arena_printf(r->a,
	    "%s?date=%s", act_url(r, c->ev.id, a->id), secs_fmt(r,
	    sp->day * 86400, "%Y-%m-%d")) : act_url(r, c->ev.id, a->id));
	vset_str(o, "run_of_show_url", ros_url(r, c->ev.id, a->id));
	vset_bool(o, "all_day", a->all_day);
	vset_bool(o, "recurring", a->rec_freq != NULL);
	vset_bool(o, "cancelled", a->cancelled || (x && x->cancelled));
	vset_bool(o, "moved", x && x->start_utc != NULL);
	vset_str(o, "location", x && x->location ? x->location : a->location);
	vset_str(o, "start", secs_fmt(r, sp->start, "%Y-%m-%dT%H:%M:%SZ"));
	vset_str(o, "end", secs_fmt(r, sp->end, "%Y-%m-%dT%H:%M:%SZ"));
	vset_str(o, "date", secs_fmt(r, sp->day * 86400, "%Y-%m-%d"));
	vset_str(o, "time_text", span_text(r, c->ev.timezone, a, sp));
	vset_int(o, "duration_minutes", (sp->end - sp->start) / 60);
	vset_str(o, "duration_text", minutes_text(r,
	    (sp->end - sp->start) / 60));
}

static void
totals_into(struct req *r, json_object *o, const struct span *sp,
    int64_t total, int overrun)
{
	int64_t	 avail = (sp->end - sp->start) / 60;

	vset_int(o, "total_minutes", total);
	vset_str(o, "total_text", minutes_text(r, total));
	vset_bool(o, "overrun", overrun);
	vset_int(o, "overrun_minutes", total > avail ? total - avail : 0);
	vset_str(o, "overrun_text", total > avail ? minutes_text(r,
	    total - avail) : NULL);
	vset_int(o, "remaining_minutes", total < avail ? avail - total : 0);
	vset_str(o, "remaining_text", minutes_text(r, total < avail ?
	    avail - total : 0));
}

/* Occurrence dates a repeating activity offers in the picker. */
static json_object *
occurrences_json(struct req *r, const char *tz, const struct activity *a,
    int64_t cur)
{
	json_object	*arr = json_object_new_array();
	struct tz_rule	 ru;
	int64_t		 days[OCC_CHOICES], first, tod;
	size_t		 i, k;

	if (first_day(tz, a, &first, &tod) != 0)
		return arr;
	rule_of(a, &ru);
	k = tz_expand(&ru, first, first, first + 366 * 50, days, OCC_CHOICES,
	    NULL);
	for (i = 0; i < k; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", secs_fmt(r, days[i] * 86400, "%Y-%m-%d"));
		vset_str(o, "label", secs_fmt(r, days[i] * 86400,
		    "%a %-d %b %Y"));
		vset_bool(o, "selected", days[i] == cur);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* The run-of-show page of one activity (and its JSON twin). Reads the
 * three lists; *vp the view. 0, -1 error, 1 date not an occurrence. */
static int
page_view(struct req *r, const struct event_ctx *c, const struct activity *a,
    int64_t date, const char *colour, json_object **vp)
{
	json_object	*v = view_new(r), *act;
	struct ros	 o;
	struct span	 sp;
	const char	*base = ros_url(r, c->ev.id, a->id);
	int		 edit = act_editable(c, r->user->id, a) &&
	    !c->ev.archived;
	int		 overrun;
	int64_t		 total;
	json_object	*fields;
	size_t		 k;

	if (span_of(c->ev.timezone, a, date, &sp) != 0)
		return 1;
	if (ros_load(r, c->ev.id, a->id, &o) != 0)
		return -1;
	event_header_into(r, v, c, "schedule");
	vset_str(v, "schedule_url", arena_printf(r->a,
	    "/events/%lld/schedule", (long long)c->ev.id));
	vset_str(v, "event_ros_url", arena_printf(r->a,
	    "/events/%lld/run-of-show", (long long)c->ev.id));
	vset_str(v, "timezone", c->ev.timezone);
	act = json_object_new_object();
	activity_into(r, c, a, &sp, act);
	vset_int(act, "version", a->version);
	vset_obj(v, "activity", act);
	if (a->rec_freq != NULL)
		vset_obj(v, "occurrences", occurrences_json(r, c->ev.timezone,
		    a, sp.day));
	vset_obj(v, "columns", columns_json(r, o.cols, o.ncols, base, edit));
	vset_bool(v, "has_columns", o.ncols > 0);
	vset_obj(v, "segments", segments_json(r, c, o.segs, o.nsegs, o.cols,
	    o.ncols, &sp, base, edit, &overrun, &total));
	vset_bool(v, "has_segments", o.nsegs > 0);
	vset_int(v, "count", (long long)o.nsegs);
	totals_into(r, v, &sp, total, overrun);
	vset_bool(v, "can_edit", edit);
	if (edit) {
		const char	*ids = "";

		vset_str(v, "segments_url", arena_printf(r->a, "%s/segments",
		    base));
		vset_str(v, "columns_url", arena_printf(r->a, "%s/columns",
		    base));
		fields = json_object_new_array();
		for (k = 0; k < o.ncols; k++) {
			json_object	*f = json_object_new_object();

			vset_str(f, "field", arena_printf(r->a, "value_%zu", k));
			vset_str(f, "column", o.cols[k].name);
			json_object_array_add(fields, f);
			ids = arena_printf(r->a, "%s%s%lld", ids, k ? "," : "",
			    (long long)o.cols[k].id);
		}
		vset_obj(v, "new_values", fields);
		vset_str(v, "column_ids", ids);
		vset_obj(v, "palette", colour_options(colour ? colour :
		    "grey"));
		vset_obj(v, "width_options", width_options("medium"));
		vset_bool(v, "can_add_column", o.ncols < ROS_COLS_MAX);
		vset_int(v, "columns_max", ROS_COLS_MAX);
	}
	*vp = v;
	return 0;
}

/* The occurrence ?date= names: local day, or -1 for the first. */
static int64_t
date_in(struct req *r)
{
	int64_t	 d;

	if (!r->in[ROSV_DATE].present ||
	    tz_parse_date(r->in[ROSV_DATE].s, &d) != 0)
		return -1;
	return d;
}

/* GET /events/{event}/activities/{id}/run-of-show?date= — 200 the
 * columns and segments with computed times (for the first occurrence
 * or the one on date), overruns flagged, edit controls for those who
 * may edit the activity; 404 not on the event, no such activity or not
 * visible; 422 a date that is not an occurrence. */
int
h_ros(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	json_object	*v;
	int		 st;

	if ((st = gate(r, &c, &a)) != 0)
		return st;
	if (r->nerrors)
		return page_refuse(r, 422, "invalid-date", "Date must be a date "
		    "(YYYY-MM-DD).");
	if ((st = page_view(r, &c, &a, date_in(r), NULL, &v)) < 0)
		return 503;
	if (st > 0)
		return page_refuse(r, 422, "invalid-date", "The activity does not "
		    "take place on that date.");
	return render_page(r, 200, "runofshow/activity", arena_printf(r->a,
	    "Run of show · %s", a.name), v);
}

/* After a write: JSON the page's view (status), HTML a flash and 303
 * back to the page. */
static int
written(struct req *r, const struct event_ctx *c, const struct activity *a,
    int status, const char *msg)
{
	json_object	*v;

	if (r->fmt == FMT_JSON) {
		if (page_view(r, c, a, -1, NULL, &v) != 0)
			return 503;
		return render_json(r, status, v);
	}
	flash(r, "ok", msg);
	return render_redirect(r, ros_url(r, c->ev.id, a->id));
}

/* 422: problem details, or the page again with the errors (and what was
 * typed into the new-segment or new-column form). */
static int
invalid(struct req *r, const struct event_ctx *c, const struct activity *a,
    const char *form)
{
	json_object	*v, *f;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	if (page_view(r, c, a, -1, form != NULL && strcmp(form, "segment") ==
	    0 ? r->in[ROSSEG_COLOUR].s : NULL, &v) != 0)
		return 503;
	if (form != NULL) {
		f = json_object_new_object();
		if (r->in[0].s != NULL)
			vset_str(f, "name", r->in[0].s);
		if (strcmp(form, "segment") == 0 &&
		    r->in[ROSSEG_DURATION].s != NULL)
			vset_str(f, "duration", r->in[ROSSEG_DURATION].s);
		vset_obj(v, strcmp(form, "segment") == 0 ? "segment_form" :
		    "column_form", f);
	}
	return render_invalid(r, "runofshow/activity", arena_printf(r->a,
	    "Run of show · %s", a->name), v);
}

/* --- segments ------------------------------------------------------------ */

/* A column value to set. */
struct colval {
	int64_t		 column_id;
	const char	*value;
};

/* No control characters (the form fields are checked by valid.c; JSON
 * "values" objects come here). */
static int
text_ok(const char *s, size_t max)
{
	const unsigned char *p;
	size_t		 cps = 0;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			cps++;
	}
	return cps <= max;
}

/* The values the request sets: column_ids + value_N, or JSON "values"
 * {"<column id>": "text"}. Checked against the activity's columns
 * later (they are read under the lock). Returns the count, errors
 * added as field errors. */
static size_t
read_values(struct req *r, struct colval *out, size_t max)
{
	size_t		 n = 0;
	const char	*p;
	json_object	*jv;

	if (r->in[ROSSEG_COLUMN_IDS].present) {
		p = r->in[ROSSEG_COLUMN_IDS].s;
		while (*p != '\0') {
			char		*end;
			long long	 id = strtoll(p, &end, 10);

			if (end == p || id <= 0 || n >= max ||
			    (*end != ',' && *end != '\0')) {
				valid_error(r, "column_ids", "invalid",
				    "Columns must be column ids of this run "
				    "of show, separated by commas.");
				return 0;
			}
			out[n].column_id = id;
			out[n].value = r->in[ROSSEG_VALUE0 + (int)n].s ?
			    r->in[ROSSEG_VALUE0 + (int)n].s : "";
			n++;
			p = *end == ',' ? end + 1 : end;
		}
	}
	if (r->json != NULL &&
	    json_object_object_get_ex(r->json, "values", &jv)) {
		json_object_iter	 it;

		if (!json_object_is_type(jv, json_type_object)) {
			valid_error(r, "values", "invalid", "Values must be an "
			    "object of column id to text.");
			return 0;
		}
		json_object_object_foreachC(jv, it) {
			char		*end;
			long long	 id = strtoll(it.key, &end, 10);
			const char	*s;

			if (*end != '\0' || id <= 0 || n >= max ||
			    json_object_is_type(it.val, json_type_object) ||
			    json_object_is_type(it.val, json_type_array)) {
				valid_error(r, "values", "invalid", "Values "
				    "must be an object of column id to text.");
				return 0;
			}
			s = it.val == NULL ? "" : json_object_get_string(it.val);
			if (!text_ok(s, 500)) {
				valid_error(r, "values", "invalid", "A value "
				    "is at most 500 characters, without "
				    "control characters.");
				return 0;
			}
			out[n].column_id = id;
			out[n].value = s;
			n++;
		}
	}
	return n;
}

/* Has field an error already? So a range error of valid.c is not
 * followed by "required". */
static int
has_error(struct req *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return 1;
	return 0;
}

/* Name, duration and colour as sent: absent keeps cur's (create: cur
 * NULL, name and duration required). Adds field errors. */
static void
read_segment(struct req *r, const struct ros_segment *cur,
    const char **name, int64_t *dur, const char **colour)
{
	const struct input *in = r->in;

	*name = cur ? cur->name : NULL;
	*dur = cur ? cur->duration : 0;
	*colour = cur ? cur->colour : "grey";
	if (in[ROSSEG_NAME].present)
		*name = in[ROSSEG_NAME].s;
	else if ((cur == NULL || in[ROSSEG_NAME].s != NULL) &&
	    !has_error(r, "name"))
		valid_error(r, "name", "required", "Name is required.");
	if (in[ROSSEG_DURATION].present)
		*dur = in[ROSSEG_DURATION].i;
	else if ((cur == NULL || in[ROSSEG_DURATION].s != NULL) &&
	    !has_error(r, "duration"))
		valid_error(r, "duration", "required", "Duration (minutes) is "
		    "required: a whole number from 0 to 1440.");
	if (in[ROSSEG_COLOUR].present) {
		if (palette_label(in[ROSSEG_COLOUR].s) == NULL)
			valid_error(r, "colour", "invalid", "Colour must be one "
			    "of grey, red, orange, yellow, green, teal, blue, "
			    "purple and pink.");
		else
			*colour = in[ROSSEG_COLOUR].s;
	}
}

/* Check the values against the activity's columns (o) and write them
 * for segment seg; the changes go into ch. 0, 1 field error, -1. */
static int
put_values(struct req *r, const struct event_ctx *c, int64_t act,
    const struct ros *o, const struct ros_segment *old, int64_t seg,
    const struct colval *vals, size_t n, json_object *ch)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		const char	*prev;

		for (k = 0; k < o->ncols; k++)
			if (o->cols[k].id == vals[i].column_id)
				break;
		if (k == o->ncols) {
			valid_error(r, "column_ids", "not-a-column",
			    arena_printf(r->a, "Column %lld is not a column of "
			    "this run of show.", (long long)vals[i].column_id));
			return 1;
		}
		prev = old ? value_of(old, vals[i].column_id) : "";
		if (strcmp(prev, vals[i].value) == 0)
			continue;
		if (ros_value_set(r, c->ev.id, act, seg, vals[i].column_id,
		    vals[i].value) != 0)
			return -1;
		if (ch != NULL) {
			json_object *x = json_object_new_object();

			vset_str(x, "old", prev);
			vset_str(x, "new", vals[i].value);
			json_object_object_add(ch, arena_printf(r->a,
			    "column:%s", o->cols[k].name), x);
		}
	}
	return 0;
}

static void
change(json_object *ch, const char *key, json_object *old, json_object *new)
{
	json_object	*x = json_object_new_object();

	json_object_object_add(x, "old", old);
	json_object_object_add(x, "new", new);
	json_object_object_add(ch, key, x);
}

/* The segment {seg} of the activity in the locked list o. */
static struct ros_segment *
find_seg(const struct ros *o, int64_t id)
{
	size_t	 i;

	for (i = 0; i < o->nsegs; i++)
		if (o->segs[i].id == id)
			return &o->segs[i];
	return NULL;
}

/* POST /events/{event}/activities/{id}/run-of-show/segments — 303 to
 * the run of show (201 JSON with the page's view): a segment inserted
 * before position (default last; later ones move down). 403 without
 * edit on the activity; 404 not visible; 409 archived; 422 field errors
 * (name, duration 0–1440, colour from the palette, column values;
 * nothing saved). */
int
h_ros_seg_create(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros	 o;
	struct colval	 vals[ROS_COLS_MAX];
	const char	*name, *colour;
	int64_t		 dur, pos, id;
	json_object	*ch;
	size_t		 nv;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	read_segment(r, NULL, &name, &dur, &colour);
	nv = read_values(r, vals, ROS_COLS_MAX);
	if (r->nerrors)
		return invalid(r, &c, &a, "segment");
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if (ros_load(r, c.ev.id, a.id, &o) != 0)
		return 503;
	if (o.nsegs >= SEGS_MAX) {
		valid_error(r, "name", "too-many", "A run of show has at most "
		    "500 segments.");
		return invalid(r, &c, &a, "segment");
	}
	pos = r->in[ROSSEG_POSITION].present ? r->in[ROSSEG_POSITION].i :
	    (int64_t)o.nsegs;
	if (pos > (int64_t)o.nsegs)
		pos = (int64_t)o.nsegs;
	if ((id = ros_seg_insert(r, c.ev.id, a.id, pos, name, dur, colour,
	    r->user->id)) < 0)
		return 503;
	ch = json_object_new_object();
	change(ch, "name", NULL, json_object_new_string(name));
	change(ch, "duration", NULL, json_object_new_int64(dur));
	change(ch, "colour", NULL, json_object_new_string(colour));
	change(ch, "position", NULL, json_object_new_int64(pos));
	vset_int(ch, "activity_id", a.id);
	if ((st = put_values(r, &c, a.id, &o, NULL, id, vals, nv, ch)) != 0) {
		json_object_put(ch);
		return st < 0 ? 503 : invalid(r, &c, &a, "segment");
	}
	st = audit(r, c.ev.org_id, c.ev.id, "ros_segment.created",
	    "ros_segment", id, name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld activity=%lld segment=%lld "
	    "msg=\"segment added\"", (long long)c.ev.id, (long long)a.id,
	    (long long)id);
	if (r->fmt == FMT_JSON)
		resp_header(r, "Location", arena_printf(r->a, "/api/v1%s",
		    ros_url(r, c.ev.id, a.id)));
	return written(r, &c, &a, 201, arena_printf(r->a, "%s was added to "
	    "the run of show.", name));
}

/* POST .../run-of-show/segments/{seg} — 303 (200 JSON): name, duration,
 * colour and column values changed (absent fields keep their value).
 * 403 without edit; 404 not visible or no such segment; 409 archived
 * or a stale version; 422 field errors (nothing saved). */
int
h_ros_seg_update(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros	 o;
	struct ros_segment *cur;
	struct colval	 vals[ROS_COLS_MAX];
	const char	*name, *colour;
	int64_t		 dur, sid = req_pathvar_id(r, 2);
	json_object	*ch;
	size_t		 nv;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	if (sid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	nv = read_values(r, vals, ROS_COLS_MAX);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if (ros_load(r, c.ev.id, a.id, &o) != 0)
		return 503;
	if ((cur = find_seg(&o, sid)) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ROSSEG_VERSION].present &&
	    r->in[ROSSEG_VERSION].i != cur->version)
		return stale(r, "segment", cur->version);
	read_segment(r, cur, &name, &dur, &colour);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = ros_seg_update(r, c.ev.id, a.id, sid, cur->version, name,
	    dur, colour)) < 0)
		return 503;
	if (st == 0)
		return stale(r, "segment", cur->version);
	ch = json_object_new_object();
	if (strcmp(cur->name, name) != 0)
		change(ch, "name", json_object_new_string(cur->name),
		    json_object_new_string(name));
	if (cur->duration != dur)
		change(ch, "duration", json_object_new_int64(cur->duration),
		    json_object_new_int64(dur));
	if (strcmp(cur->colour, colour) != 0)
		change(ch, "colour", json_object_new_string(cur->colour),
		    json_object_new_string(colour));
	vset_int(ch, "activity_id", a.id);
	if ((st = put_values(r, &c, a.id, &o, cur, sid, vals, nv, ch)) != 0) {
		json_object_put(ch);
		return st < 0 ? 503 : invalid(r, &c, &a, NULL);
	}
	st = audit(r, c.ev.org_id, c.ev.id, "ros_segment.updated",
	    "ros_segment", sid, name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &c, &a, 200, arena_printf(r->a, "%s was saved.",
	    name));
}

/* POST .../run-of-show/segments/{seg}/move — 303 (200 JSON): the
 * segment moves to position (past the end: last); the others close up
 * and every later start is recomputed. 403 without edit; 404 not
 * visible or no such segment; 409 archived or a stale version; 422 no
 * position. */
int
h_ros_seg_move(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros_segment s;
	int64_t		 sid = req_pathvar_id(r, 2), n, to;
	json_object	*ch;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	if (sid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if ((st = ros_seg_get(r, c.ev.id, a.id, sid, &s)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ROSMOVE_VERSION].present &&
	    r->in[ROSMOVE_VERSION].i != s.version)
		return stale(r, "segment", s.version);
	if ((n = ros_seg_count(r, c.ev.id, a.id)) < 0)
		return 503;
	to = r->in[ROSMOVE_POSITION].i;
	if (to > n - 1)
		to = n - 1;
	if (ros_seg_move(r, c.ev.id, a.id, sid, s.position, to) != 0)
		return 503;
	ch = json_object_new_object();
	change(ch, "position", json_object_new_int64(s.position),
	    json_object_new_int64(to));
	vset_int(ch, "activity_id", a.id);
	st = audit(r, c.ev.org_id, c.ev.id, "ros_segment.moved",
	    "ros_segment", sid, s.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &c, &a, 200, arena_printf(r->a, "%s was moved.",
	    s.name));
}

/* POST .../run-of-show/segments/{seg}/delete — 303 (200 JSON): the
 * segment and its values are gone, the later ones move up. 403 without
 * edit; 404 not visible or no such segment; 409 archived or a stale
 * version. */
int
h_ros_seg_delete(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros_segment s;
	int64_t		 sid = req_pathvar_id(r, 2);
	json_object	*ch;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	if (sid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if ((st = ros_seg_get(r, c.ev.id, a.id, sid, &s)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ROSDEL_VERSION].present &&
	    r->in[ROSDEL_VERSION].i != s.version)
		return stale(r, "segment", s.version);
	if (ros_seg_delete(r, c.ev.id, a.id, sid, s.position) != 0)
		return 503;
	ch = json_object_new_object();
	change(ch, "name", json_object_new_string(s.name), NULL);
	change(ch, "duration", json_object_new_int64(s.duration), NULL);
	change(ch, "position", json_object_new_int64(s.position), NULL);
	vset_int(ch, "activity_id", a.id);
	st = audit(r, c.ev.org_id, c.ev.id, "ros_segment.deleted",
	    "ros_segment", sid, s.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &c, &a, 200, arena_printf(r->a, "%s was removed "
	    "from the run of show.", s.name));
}

/* --- columns ------------------------------------------------------------- */

static void
read_column(struct req *r, const struct ros_column *cur, const char **name,
    const char **width)
{
	*name = cur ? cur->name : NULL;
	*width = cur ? cur->width : "medium";
	if (r->in[ROSCOL_NAME].present)
		*name = r->in[ROSCOL_NAME].s;
	else if ((cur == NULL || r->in[ROSCOL_NAME].s != NULL) &&
	    !has_error(r, "name"))
		valid_error(r, "name", "required", "Column name is required.");
	if (r->in[ROSCOL_WIDTH].present) {
		if (width_label(r->in[ROSCOL_WIDTH].s) == NULL)
			valid_error(r, "width", "invalid", "Width must be "
			    "narrow, medium or wide.");
		else
			*width = r->in[ROSCOL_WIDTH].s;
	}
}

/* POST .../run-of-show/columns — 303 (201 JSON): a custom column
 * inserted before position (default last). 403 without edit; 404 not
 * visible; 409 archived; 422 field errors or already 12 columns. */
int
h_ros_col_create(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	const char	*name, *width;
	int64_t		 n, pos, id;
	json_object	*ch;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	read_column(r, NULL, &name, &width);
	if (r->nerrors)
		return invalid(r, &c, &a, "column");
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if ((n = ros_col_count(r, c.ev.id, a.id)) < 0)
		return 503;
	if (n >= ROS_COLS_MAX) {
		valid_error(r, "name", "too-many", "A run of show has at most "
		    "12 columns.");
		return invalid(r, &c, &a, "column");
	}
	pos = r->in[ROSCOL_POSITION].present ? r->in[ROSCOL_POSITION].i : n;
	if (pos > n)
		pos = n;
	if ((id = ros_col_insert(r, c.ev.id, a.id, pos, name, width)) < 0)
		return 503;
	ch = json_object_new_object();
	change(ch, "name", NULL, json_object_new_string(name));
	change(ch, "width", NULL, json_object_new_string(width));
	change(ch, "position", NULL, json_object_new_int64(pos));
	vset_int(ch, "activity_id", a.id);
	st = audit(r, c.ev.org_id, c.ev.id, "ros_column.created",
	    "ros_column", id, name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON)
		resp_header(r, "Location", arena_printf(r->a, "/api/v1%s",
		    ros_url(r, c.ev.id, a.id)));
	return written(r, &c, &a, 201, arena_printf(r->a, "The column %s was "
	    "added.", name));
}

/* POST .../run-of-show/columns/{col} — 303 (200 JSON): name and width
 * changed (absent ones kept). 403 without edit; 404 not visible or no
 * such column; 409 archived or a stale version; 422 field errors. */
int
h_ros_col_update(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros_column k;
	const char	*name, *width;
	int64_t		 cid = req_pathvar_id(r, 2);
	json_object	*ch;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	if (cid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if ((st = ros_col_get(r, c.ev.id, a.id, cid, &k)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ROSCOL_VERSION].present &&
	    r->in[ROSCOL_VERSION].i != k.version)
		return stale(r, "column", k.version);
	read_column(r, &k, &name, &width);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = ros_col_update(r, c.ev.id, a.id, cid, k.version, name,
	    width)) < 0)
		return 503;
	if (st == 0)
		return stale(r, "column", k.version);
	ch = json_object_new_object();
	if (strcmp(k.name, name) != 0)
		change(ch, "name", json_object_new_string(k.name),
		    json_object_new_string(name));
	if (strcmp(k.width, width) != 0)
		change(ch, "width", json_object_new_string(k.width),
		    json_object_new_string(width));
	vset_int(ch, "activity_id", a.id);
	st = audit(r, c.ev.org_id, c.ev.id, "ros_column.updated",
	    "ros_column", cid, name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &c, &a, 200, arena_printf(r->a, "The column %s was "
	    "saved.", name));
}

/* POST .../run-of-show/columns/{col}/move — 303 (200 JSON): the column
 * moves to position (past the end: last). 403; 404; 409; 422 no
 * position. */
int
h_ros_col_move(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros_column k;
	int64_t		 cid = req_pathvar_id(r, 2), n, to;
	json_object	*ch;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	if (cid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if ((st = ros_col_get(r, c.ev.id, a.id, cid, &k)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ROSMOVE_VERSION].present &&
	    r->in[ROSMOVE_VERSION].i != k.version)
		return stale(r, "column", k.version);
	if ((n = ros_col_count(r, c.ev.id, a.id)) < 0)
		return 503;
	to = r->in[ROSMOVE_POSITION].i;
	if (to > n - 1)
		to = n - 1;
	if (ros_col_move(r, c.ev.id, a.id, cid, k.position, to) != 0)
		return 503;
	ch = json_object_new_object();
	change(ch, "position", json_object_new_int64(k.position),
	    json_object_new_int64(to));
	vset_int(ch, "activity_id", a.id);
	st = audit(r, c.ev.org_id, c.ev.id, "ros_column.moved", "ros_column",
	    cid, k.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &c, &a, 200, arena_printf(r->a, "The column %s was "
	    "moved.", k.name));
}

/* POST .../run-of-show/columns/{col}/delete — 303 (200 JSON): the
 * column and every value in it are gone. 403; 404; 409 archived or a
 * stale version. */
int
h_ros_col_delete(struct req *r)
{
	struct event_ctx c;
	struct activity	 a;
	struct ros_column k;
	int64_t		 cid = req_pathvar_id(r, 2);
	json_object	*ch;
	int		 st;

	if ((st = write_gate(r, &c, &a)) != 0)
		return st;
	if (cid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->nerrors)
		return invalid(r, &c, &a, NULL);
	if ((st = begin_locked(r, &c, a.id)) != 0)
		return st;
	if ((st = ros_col_get(r, c.ev.id, a.id, cid, &k)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[ROSDEL_VERSION].present &&
	    r->in[ROSDEL_VERSION].i != k.version)
		return stale(r, "column", k.version);
	if (ros_col_delete(r, c.ev.id, a.id, cid, k.position) != 0)
		return 503;
	ch = json_object_new_object();
	change(ch, "name", json_object_new_string(k.name), NULL);
	change(ch, "position", json_object_new_int64(k.position), NULL);
	vset_int(ch, "activity_id", a.id);
	st = audit(r, c.ev.org_id, c.ev.id, "ros_column.deleted",
	    "ros_column", cid, k.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &c, &a, 200, arena_printf(r->a, "The column %s and "
	    "its values were removed.", k.name));
}

/* --- the event's run of show --------------------------------------------- */

struct block {
	const struct activity *a;
	struct span	 sp;
	const struct ros_segment *segs;
	size_t		 nsegs;
};

static int
block_cmp(const void *x, const void *y)
{
	const struct block *a = x, *b = y;

	if (a->sp.start != b->sp.start)
		return a->sp.start < b->sp.start ? -1 : 1;
	return a->a->id < b->a->id ? -1 : a->a->id > b->a->id;
}

static int
act_id_cmp(const void *key, const void *elem)
{
	const int64_t		*id = key;
	const struct activity	*a = elem;

	return *id < a->id ? -1 : *id > a->id;
}

/* GET /events/{event}/run-of-show — 200 every activity the actor can
 * see that has segments, in start order, with its columns and timed
 * segments (first occurrence of a series); printable. Six queries
 * after the event's own, whatever the number of activities; 404 not on
 * the event. */
int
h_ros_event(struct req *r)
{
	struct event_ctx c;
	struct activity	*as;
	struct ros	 o;
	struct block	*bs;
	json_object	*v, *list;
	long		 na;
	size_t		 nb = 0, i, j;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if ((as = activity_list(r, c.ev.id, &na)) == NULL && na < 0)
		return 503;
	if (ros_load_event(r, c.ev.id, &o) != 0)
		return 503;
	/* Segments come grouped by activity id, activities by id. */
	bs = arena_calloc(r->a, o.nsegs + 1, sizeof(*bs));
	for (i = 0; i < o.nsegs; i = j) {
		const struct activity *a;

		for (j = i; j < o.nsegs &&
		    o.segs[j].activity_id == o.segs[i].activity_id; j++)
			;
		a = bsearch(&o.segs[i].activity_id, as, (size_t)na,
		    sizeof(*as), act_id_cmp);
		if (a == NULL || !act_visible(&c, r->user->id, a) ||
		    span_of(c.ev.timezone, a, -1, &bs[nb].sp) != 0)
			continue;
		bs[nb].a = a;
		bs[nb].segs = &o.segs[i];
		bs[nb].nsegs = j - i;
		nb++;
	}
	if (nb > 1)
		qsort(bs, nb, sizeof(*bs), block_cmp);
	v = view_new(r);
	event_header_into(r, v, &c, "schedule");
	vset_str(v, "schedule_url", arena_printf(r->a,
	    "/events/%lld/schedule", (long long)c.ev.id));
	vset_str(v, "timezone", c.ev.timezone);
	list = json_object_new_array();
	for (i = 0; i < nb; i++) {
		json_object		*b = json_object_new_object();
		const struct ros_column	*cols;
		size_t			 ncols;
		int			 overrun;
		int64_t			 total;

		activity_into(r, &c, bs[i].a, &bs[i].sp, b);
		cols_of(&o, bs[i].a->id, &cols, &ncols);
		vset_obj(b, "columns", columns_json(r, cols, ncols, NULL, 0));
		vset_bool(b, "has_columns", ncols > 0);
		vset_obj(b, "segments", segments_json(r, &c, bs[i].segs,
		    bs[i].nsegs, cols, ncols, &bs[i].sp, NULL, 0, &overrun,
		    &total));
		totals_into(r, b, &bs[i].sp, total, overrun);
		json_object_array_add(list, b);
	}
	vset_obj(v, "activities", list);
	vset_bool(v, "has_activities", nb > 0);
	vset_int(v, "count", (long long)nb);
	return render_page(r, 200, "runofshow/event", arena_printf(r->a,
	    "Run of show · %s", c.ev.name), v);
}
