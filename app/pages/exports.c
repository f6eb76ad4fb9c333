/* exports.c — an event's schedule as schedule.xml and schedule.json
 * (FEEDS.md §6–§7), the schedule over a date range and the filtered task
 * list as CSV (PRODUCT §16). Each download shows exactly what the HTML
 * pages show the same actor: the schedule through the calendar's
 * visibility rule, the tasks through task_visible() and the list's
 * filters. Queries are fixed per request: the activities (three), the
 * uuids of people and rooms (three), the revision (one) and the export ids
 * (at most three), whatever the number of rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deny.h"
#include "calendar.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "eventctx.h"
#include "actperm.h"
#include "exports.h"
#include "model/activity.h"
#include "model/exportid.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/csv.h"
#include "render/esc.h"
#include "render/schedxml.h"
#include "render/view.h"
#include "tasks.h"
#include "tasksupport.h"

#define RANGE_MAX	366	/* days a document or CSV may span */
#define SERIES_DAYS	800	/* a series without an until-date */
#define MOVE_DAYS	366	/* how far an occurrence may move (schedule.c) */
#define SLUG_MAX	40
/* FEEDS §1 export fields the events table does not have yet: the
 * defaults stand until it does. */
#define DAY_CHANGE_MIN	0	/* event.day_change, minutes after 00:00 */
#define TIMESLOT_MIN	15	/* event.timeslot_minutes */
#define NO_AREA		"No area"

/* --- shared helpers -------------------------------------------------------- */


int64_t
export_secs(const char *s)
{
	return tz_stamp_secs(s);
}

void
export_offset(const char *zone, int64_t utc, char out[8])
{
	int64_t	 ls = utc, off;

	(void)tz_utc_to_local(zone, utc, &ls, NULL, 0);
	off = (ls - utc) / 60;
	snprintf(out, 8, "%c%02d:%02d", off < 0 ? '-' : '+',
	    (int)((off < 0 ? -off : off) / 60 % 100),
	    (int)((off < 0 ? -off : off) % 60));
}

static void
fmt_secs(int64_t t, const char *fmt, char *out, size_t sz)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	gmtime_r(&tt, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, sz, fmt, &tm) == 0)
		out[0] = '\0';
#pragma GCC diagnostic pop
}

static void
local_iso(const char *zone, int64_t utc, char out[32])
{
	int64_t	 ls = utc;
	char	 off[8], wall[24];

	(void)tz_utc_to_local(zone, utc, &ls, NULL, 0);
	export_offset(zone, utc, off);
	fmt_secs(ls, "%Y-%m-%dT%H:%M:%S", wall, sizeof(wall));
	snprintf(out, 32, "%s%s", wall, off);
}

const char *
export_local_iso(struct req *r, const char *zone, int64_t utc)
{
	char	 s[32];

	local_iso(zone, utc, s);
	return arena_strdup(r->a, s);
}

/* A download: the body with its type and an ASCII file name. */
static int
send_file(struct req *r, const char *ctype, const char *fname,
    const char *body, size_t len)
{
	resp_header(r, "Content-Disposition", arena_printf(r->a,
	    "attachment; filename=\"%s\"", fname));
	return render_text(r, 200, ctype, body, len);
}

/* A file-name-safe form of s (the event code is already). */
static const char *
fname_part(struct req *r, const char *s)
{
	char	 out[SLUG_MAX + 1];

	sx_slug(s, SLUG_MAX, out, sizeof(out));
	return arena_strdup(r->a, out);
}

/* --- the schedule document --------------------------------------------------- */

/* One timed occurrence, or one day's part of one longer than 24 hours. */
struct item {
	const struct activity *a;
	const char	*name, *location;	/* the occurrence's */
	int64_t		 s, e;		/* UTC */
	int64_t		 day;		/* local day (day change applied) */
	int		 part, nparts;
	char		 guid[SX_UUID_LEN + 1];
	const struct ex_named *room;	/* NULL: the synthetic room */
};

struct sched_ctx {
	const char	*tz;
	struct ex_user	*users;
	size_t		 nusers;
	struct ex_named	*collabs, *areas;
	size_t		 ncollabs, nareas;
};

/* The local day an instant belongs to, days starting at the day change. */
static int64_t
day_of(const char *tz, int64_t utc)
{
	int64_t	 ls = utc, x;

	(void)tz_utc_to_local(tz, utc, &ls, NULL, 0);
	x = ls - DAY_CHANGE_MIN * 60;
	return x >= 0 ? x / 86400 : -((-x + 86399) / 86400);
}

/* The UTC instant a local day starts (a start in a gap moves on). */
static int64_t
day_start(const char *tz, int64_t day)
{
	int64_t	 ls = day * 86400 + DAY_CHANGE_MIN * 60, utc;

	if (tz_local_to_utc(tz, ls, &utc) != TZ_OK &&
	    tz_local_to_utc(tz, ls + 3600, &utc) != TZ_OK)
		utc = ls;
	return utc;
}

static const struct ex_named *
named_find(const struct ex_named *a, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (a[i].id == id)
			return &a[i];
	return NULL;
}

static const struct ex_user *
user_find(const struct sched_ctx *x, int64_t id)
{
	size_t	 i;

	for (i = 0; i < x->nusers; i++)
		if (x->users[i].id == id)
			return &x->users[i];
	return NULL;
}

/* The activity's first area in area order (NULL when it has none). */
static const struct ex_named *
first_area(const struct sched_ctx *x, const struct activity *a)
{
	const struct ex_named *best = NULL, *n;
	size_t		 i;

	for (i = 0; i < a->nareas; i++)
		if ((n = named_find(x->areas, x->nareas,
		    a->areas[i].area_id)) != NULL &&
		    (best == NULL || n < best))
			best = n;
	return best;
}

/* Track: the collaborator of the first organizer (FEEDS §6.5). */
static const char *
track_of(const struct sched_ctx *x, const struct activity *a,
    const char *fallback)
{
	const struct ex_named *c;
	const struct ex_user *u;
	size_t		 i;

	for (i = 0; i < a->nparts; i++) {
		if (!a->parts[i].organizer)
			continue;
		if (a->parts[i].collab_id)
			c = named_find(x->collabs, x->ncollabs,
			    a->parts[i].collab_id);
		else if ((u = user_find(x, a->parts[i].user_id)) != NULL)
			c = named_find(x->collabs, x->ncollabs, u->collab_id);
		else
			c = NULL;
		if (c != NULL)
			return c->name;
	}
	return fallback;
}

/* Users first, then collaborators; organizers before attendees. */
static struct sx_person *
persons_of(struct req *r, const struct sched_ctx *x, const struct activity *a,
    size_t *np)
{
	struct sx_person *p = arena_calloc(r->a, a->nparts + 1, sizeof(*p));
	int		 pass;
	size_t		 i;

	*np = 0;
	for (pass = 0; pass < 4; pass++)
		for (i = 0; i < a->nparts; i++) {
			const struct act_part *pt = &a->parts[i];
			int	 user = pt->user_id != 0;

			if (user != (pass < 2) ||
			    pt->organizer != (pass % 2 == 0))
				continue;
			if (user) {
				const struct ex_user *u = user_find(x,
				    pt->user_id);

				if (u == NULL)
					continue;
				p[*np].guid = u->uuid;
			} else {
				const struct ex_named *c = named_find(
				    x->collabs, x->ncollabs, pt->collab_id);

				if (c == NULL)
					continue;
				p[*np].guid = c->uuid;
			}
			p[*np].name = pt->name ? pt->name : "";
			(*np)++;
		}
	return p;
}

static int
item_cmp(const void *x, const void *y)
{
	const struct item *a = x, *b = y;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return strcmp(a->guid, b->guid);
}

static int
track_cmp(const void *x, const void *y)
{
	return strcmp(((const struct sx_track *)x)->name,
	    ((const struct sx_track *)y)->name);
}

/* The activities of the document as items (occurrences expanded, long
 * ones split), sorted by day, start and guid. */
static struct item *
collect_items(struct req *r, const struct event_ctx *c,
    const struct sched_ctx *x, struct activity *as, long na, int64_t area_id,
    size_t *ni)
{
	struct item	*it = NULL;
	size_t		 cap = 0, k;
	long		 i;

	*ni = 0;
	for (i = 0; i < na; i++) {
		const struct activity *a = &as[i];
		struct occ	*os = NULL;
		size_t		 no = 0, ocap = 0;
		int64_t		 first, last, ls;

		if (a->cancelled || a->all_day || strcmp(a->kind,
		    "activity") != 0 || !act_visible(c, r->user->id, a))
			continue;
		if (area_id) {
			for (k = 0; k < a->nareas; k++)
				if (a->areas[k].area_id == area_id)
					break;
			if (k == a->nareas)
				continue;
		}
		if (tz_utc_to_local(x->tz, export_secs(a->start_utc), &ls, NULL,
		    0) != TZ_OK)
			continue;
		first = ls / 86400;
		last = first;
		if (a->rec_freq != NULL && (a->rec_until == NULL ||
		    tz_parse_date(a->rec_until, &last) != 0))
			last = first + SERIES_DAYS;
		/* Occurrences may have moved up to MOVE_DAYS away; cancelled
		 * ones are left out (FEEDS §6.5). */
		sched_expand(a, x->tz, a->rec_freq != NULL ? first - MOVE_DAYS :
		    first, a->rec_freq != NULL ? last + MOVE_DAYS : last, &os,
		    &no, &ocap, r->a);
		sched_drop_cancelled(os, &no);
		for (k = 0; k < no; k++) {
			char	 base[SX_UUID_LEN + 1], name[40];
			int64_t	 d0, d1, d;
			int	 n, p;

			if (a->rec_freq != NULL) {
				/* Named by its original start, moved or
				 * not (§6.6). */
				fmt_secs(os[k].orig_start,
				    "occ:%Y%m%dT%H%M%SZ", name, sizeof(name));
				if (sx_uuid8(a->uuid, name, base) != 0)
					continue;
			} else
				snprintf(base, sizeof(base), "%s", a->uuid);
			d0 = day_of(x->tz, os[k].start);
			d1 = os[k].end - os[k].start > 86400 ?
			    day_of(x->tz, os[k].end - 1) : d0;
			n = (int)(d1 - d0 + 1);
			for (d = d0, p = 1; d <= d1; d++, p++) {
				struct item	*t;

				it = arena_grow(r->a, it, *ni, &cap,
				    sizeof(*it));
				t = &it[(*ni)++];
				memset(t, 0, sizeof(*t));
				t->a = a;
				t->name = os[k].name;
				t->location = os[k].location;
				t->day = d;
				t->room = first_area(x, a);
				if (n == 1) {
					t->s = os[k].start;
					t->e = os[k].end;
					memcpy(t->guid, base, sizeof(base));
					continue;
				}
				t->s = d == d0 ? os[k].start :
				    day_start(x->tz, d);
				t->e = d == d1 ? os[k].end :
				    day_start(x->tz, d + 1);
				t->part = p;
				t->nparts = n;
				fmt_secs(d * 86400, "seg:%Y-%m-%d", name,
				    sizeof(name));
				(void)sx_uuid8(base, name, t->guid);
			}
		}
	}
	if (*ni > 1)
		qsort(it, *ni, sizeof(*it), item_cmp);
	return it;
}

/* "Location: …", "Also in: …", "Part k of n", as they apply. */
static const char *
description_of(struct req *r, const struct sched_ctx *x, const struct item *t)
{
	struct buf	 b;
	const char	*out;
	size_t		 i, k, others = 0;

	buf_init(&b);
	if (t->location != NULL && *t->location != '\0')
		buf_printf(&b, "Location: %s", t->location);
	/* The other areas, in area order. */
	for (k = 0; k < x->nareas; k++) {
		if (t->room == &x->areas[k])
			continue;
		for (i = 0; i < t->a->nareas; i++)
			if (t->a->areas[i].area_id == x->areas[k].id)
				break;
		if (i == t->a->nareas)
			continue;
		buf_printf(&b, "%s%s", others++ ? ", " : b.len ? "\nAlso in: " :
		    "Also in: ", x->areas[k].name);
	}
	if (t->nparts > 1)
		buf_printf(&b, "%sPart %d of %d", b.len ? "\n" : "", t->part,
		    t->nparts);
	out = b.len ? arena_strdup(r->a, buf_cstr(&b)) : NULL;
	buf_free(&b);
	return out;
}

int
export_schedule(struct req *r, const struct event_ctx *c, int64_t area_id,
    int json, struct buf *out)
{
	struct sched_ctx x;
	struct activity	*as;
	struct item	*it;
	struct sx_event	*evs;
	struct sx_day	*days;
	struct sx_room	*rooms;
	struct sx_track	*tracks;
	struct sx_doc	 d;
	const char	**guids, *base, *no_area = NO_AREA;
	char		*changed;
	char		 acronym[64], syn_guid[SX_UUID_LEN + 1];
	int64_t		*ids, dmin, dmax, rev, day;
	size_t		 ni, i, k, nrooms = 0, ntracks = 0, ndays, nsyn;
	long		 na;

	memset(&x, 0, sizeof(x));
	x.tz = c->ev.timezone;
	if ((as = activity_list(r, c->ev.id, &na)) == NULL && na < 0)
		return -1;
	x.users = exportid_users(r, c->ev.id, &x.nusers);
	x.collabs = exportid_collabs(r, c->ev.id, &x.ncollabs);
	x.areas = exportid_areas(r, c->ev.id, &x.nareas);
	if (x.nusers == (size_t)-1 || x.ncollabs == (size_t)-1 ||
	    x.nareas == (size_t)-1 ||
	    activity_revision(r, c->ev.id, &rev, &changed) != 0)
		return -1;
	it = collect_items(r, c, &x, as, na, area_id, &ni);

	/* Days: the event's, stretched over every item. */
	if (tz_parse_date(c->ev.start_date, &dmin) != 0 ||
	    tz_parse_date(c->ev.end_date, &dmax) != 0)
		return -1;
	for (i = 0; i < ni; i++) {
		if (it[i].day < dmin)
			dmin = it[i].day;
		if (it[i].day > dmax)
			dmax = it[i].day;
	}
	if (dmax - dmin + 1 > RANGE_MAX)
		return 422;
	ndays = (size_t)(dmax - dmin + 1);

	/* Ids: one statement for the known, one for the new. */
	guids = arena_calloc(r->a, ni + 1, sizeof(*guids));
	ids = arena_calloc(r->a, ni + 1, sizeof(*ids));
	for (i = 0; i < ni; i++)
		guids[i] = it[i].guid;
	if (exportid_assign(r, guids, ni, ids) != 0)
		return -1;

	/* The synthetic room's name, unless an area already has it. */
	for (k = 0; k < x.nareas; k++)
		if (strcasecmp(x.areas[k].name, NO_AREA) == 0)
			no_area = NO_AREA " (unassigned)";
	(void)sx_uuid8(c->ev.uuid, "room:none", syn_guid);
	nsyn = x.nareas;	/* the synthetic room sorts after every area */

	sx_acronym(c->ev.code, acronym, sizeof(acronym));
	base = arena_printf(r->a, "%s/", cfg->base_url);
	evs = arena_calloc(r->a, ni + 1, sizeof(*evs));
	tracks = arena_calloc(r->a, ni + 1, sizeof(*tracks));
	for (i = 0; i < ni; i++) {
		struct sx_event	*e = &evs[i];
		const struct item *t = &it[i];
		char		 slug[SLUG_MAX + 1];

		e->id = ids[i];
		memcpy(e->guid, t->guid, sizeof(e->guid));
		e->room = t->room ? t->room->name : no_area;
		e->title = t->name;
		local_iso(x.tz, t->s, e->date);
		memcpy(e->start, e->date + 11, 5);
		e->start[5] = '\0';
		sx_hhmm((t->e - t->s) / 60, e->duration);
		local_iso(x.tz, t->e, e->end);
		e->abstract = t->a->description ? t->a->description : "";
		sx_slug(t->name, SLUG_MAX, slug, sizeof(slug));
		e->slug = arena_printf(r->a, "%s-%lld-%s", acronym,
		    (long long)e->id, slug);
		e->track = track_of(&x, t->a, c->ev.name);
		e->persons = persons_of(r, &x, t->a, &e->npersons);
		e->description = description_of(r, &x, t);
		e->url = arena_printf(r->a, "%s/events/%lld/activities/%lld",
		    cfg->base_url, (long long)c->ev.id, (long long)t->a->id);
		e->t0 = t->s;
		for (k = 0; k < ntracks; k++)
			if (strcmp(tracks[k].name, e->track) == 0)
				break;
		if (k == ntracks)
			tracks[ntracks++].name = e->track;
	}
	for (k = 0; k < ntracks; k++) {
		char	 s[128];

		sx_slug(tracks[k].name, 0, s, sizeof(s));
		if (s[0] >= 'a' && s[0] <= 'z' && s[1] != '\0' &&
		    (strcmp(s, "activity") != 0 ||
		    strcasecmp(tracks[k].name, "activity") == 0))
			tracks[k].slug = arena_strdup(r->a, s);
	}
	if (ntracks > 1)
		qsort(tracks, ntracks, sizeof(*tracks), track_cmp);

	/* Rooms of the document in area order, the synthetic one last. */
	rooms = arena_calloc(r->a, x.nareas + 1, sizeof(*rooms));
	for (k = 0; k <= x.nareas; k++) {
		for (i = 0; i < ni; i++)
			if (k == nsyn ? it[i].room == NULL :
			    it[i].room == &x.areas[k])
				break;
		if (i == ni)
			continue;
		rooms[nrooms].name = k == nsyn ? no_area : x.areas[k].name;
		rooms[nrooms].guid = k == nsyn ? arena_strdup(r->a, syn_guid) :
		    x.areas[k].uuid;
		nrooms++;
	}

	/* Days, each with its rooms that have events (items are sorted by
	 * day, start and guid already). */
	days = arena_calloc(r->a, ndays, sizeof(*days));
	for (day = dmin, i = 0; day <= dmax; day++) {
		struct sx_day	*dy = &days[day - dmin];
		size_t		 first = i, j;

		dy->index = (int)(day - dmin + 1);
		fmt_secs(day * 86400, "%Y-%m-%d", dy->date, sizeof(dy->date));
		local_iso(x.tz, day_start(x.tz, day), dy->start);
		local_iso(x.tz, day_start(x.tz, day + 1), dy->end);
		while (i < ni && it[i].day == day)
			i++;
		if (i == first)
			continue;
		dy->rooms = arena_calloc(r->a, nrooms, sizeof(*dy->rooms));
		for (k = 0; k < nrooms; k++) {
			struct sx_room	*rm = &dy->rooms[dy->nrooms];

			for (j = first; j < i; j++) {
				if (strcmp(evs[j].room, rooms[k].name) != 0)
					continue;
				if (rm->nevents == 0)
					rm->events = arena_calloc(r->a,
					    i - first, sizeof(*rm->events));
				rm->events[rm->nevents++] = &evs[j];
			}
			if (rm->nevents == 0)
				continue;
			rm->name = rooms[k].name;
			rm->guid = rooms[k].guid;
			dy->nrooms++;
		}
	}

	memset(&d, 0, sizeof(d));
	d.version = arena_printf(r->a, "%lld", (long long)rev);
	d.title = c->ev.name;
	d.acronym = acronym;
	d.start = days[0].date;
	d.end = days[ndays - 1].date;
	d.timeslot = TIMESLOT_MIN == 15 ? "00:15" : "00:30";
	d.time_zone = x.tz;
	d.base_url = base;
	d.url = arena_printf(r->a, "%s/events/%lld", cfg->base_url,
	    (long long)c->ev.id);
	d.tracks = tracks;
	d.ntracks = ntracks;
	d.rooms = rooms;
	d.nrooms = nrooms;
	d.days = days;
	d.ndays = ndays;
	if (json) {
		json_object	*j = sx_json(&d);
		const char	*s = json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE);

		buf_puts(out, s);
		buf_putc(out, '\n');
		json_object_put(j);
		return 0;
	}
	return sx_write_xml(&d, out) == 0 ? 0 : -1;
}

/* The {event} and the optional area scope: 0, or the status sent (400 a
 * malformed area, 404 one not on the event or not viewable). */
static int
sched_scope(struct req *r, struct event_ctx *c, int64_t *area_id)
{
	struct perm_target	 t;
	char			*name;
	int			 st, rc;

	*area_id = 0;
	if ((st = event_gate(r, c, 0)) != 0)
		return st;
	if (r->nerrors)
		return page_refuse(r, 400, "invalid-parameter", arena_printf(r->a,
		    "%s: %s", r->errors[0].field, r->errors[0].message));
	if (!r->in[EXS_AREA].present)
		return 0;
	*area_id = r->in[EXS_AREA].i;
	if ((rc = activity_area_of_event(r, c->ev.id, *area_id, &name)) < 0)
		return 503;
	target_area(&t, *area_id);
	if (rc == 0 || perm_level(&c->actor, SEC_SCHEDULE, &t) < LV_VIEW)
		return page_refuse(r, 404, "not-found", "area: there is no area "
		    "with that id you can view on this event.");
	return 0;
}

static int
sched_download(struct req *r, int json)
{
	struct event_ctx c;
	struct buf	 b;
	int64_t		 area_id;
	int		 st;
	const char	*fname;

	if ((st = sched_scope(r, &c, &area_id)) != 0)
		return st;
	buf_init(&b);
	if ((st = export_schedule(r, &c, area_id, json, &b)) != 0) {
		buf_free(&b);
		if (st == 422)
			return page_refuse(r, 422, "invalid-range", "The schedule "
			    "spans more than 366 days; export an area or "
			    "shorten the event.");
		return 503;
	}
	fname = arena_printf(r->a, "%s%s%s.%s", fname_part(r, c.ev.code),
	    area_id ? "-area-" : "", area_id ? arena_printf(r->a, "%lld",
	    (long long)area_id) : "", json ? "json" : "xml");
	st = send_file(r, json ? "application/json; charset=utf-8" :
	    "application/xml; charset=utf-8", fname, b.p, b.len);
	buf_free(&b);
	return st;
}

/* GET /events/{event}/schedule.xml?area= — 200 the event's schedule (or
 * one area's) as the actor may see it, in the conference schedule format
 * (FEEDS §6); 400 a malformed area; 404 not on the event, or an area
 * that is not one the actor may view; 422 more than 366 days. */
int
h_schedule_xml(struct req *r)
{
	return sched_download(r, 0);
}

/* GET /events/{event}/schedule.json?area= — the same as schedule.json
 * (FEEDS §7); statuses as schedule.xml. */
int
h_schedule_json(struct req *r)
{
	return sched_download(r, 1);
}

/* --- schedule CSV -------------------------------------------------------------- */

static const char *
names_of(struct req *r, const struct activity *a, int organizers)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < a->nparts; i++)
		if (organizers < 0 || a->parts[i].organizer == organizers)
			buf_printf(&b, "%s%s", b.len ? "; " : "",
			    a->parts[i].name ? a->parts[i].name : "");
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *
areas_of(struct req *r, const struct activity *a)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < a->nareas; i++)
		buf_printf(&b, "%s%s", b.len ? "; " : "",
		    a->areas[i].name ? a->areas[i].name : "");
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* GET /events/{event}/schedule.csv?from=&to= — 200 the occurrences the
 * actor may see between two local dates (default the event's), one row
 * each, times in event time with their UTC offset; 404 not on the event;
 * 422 a bad range (naming the field). */
int
h_schedule_csv(struct req *r)
{
	struct event_ctx c;
	struct act_range rg;
	struct activity	*as;
	struct occ	*os = NULL;
	struct csv	 cv;
	struct buf	 b;
	size_t		 n = 0, cap = 0, i;
	int64_t		 from, to;
	long		 na, k;
	int		 st;
	char		 s1[32], s2[32], off[8];

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (r->nerrors)
		return page_refuse(r, 422, "invalid-range", arena_printf(r->a,
		    "%s: must be a date (YYYY-MM-DD).", r->errors[0].field));
	if (tz_parse_date(r->in[EXC_FROM].present ? r->in[EXC_FROM].s :
	    c.ev.start_date, &from) != 0 ||
	    tz_parse_date(r->in[EXC_TO].present ? r->in[EXC_TO].s :
	    c.ev.end_date, &to) != 0)
		return page_refuse(r, 422, "invalid-range", "from, to: must be "
		    "dates (YYYY-MM-DD).");
	if (to < from || to - from >= RANGE_MAX)
		return page_refuse(r, 422, "invalid-range", "to: must not be before "
		    "from, and the range at most 366 days.");
	activity_range(from, to, c.ev.timezone, &rg);
	if ((as = activity_list_range(r, c.ev.id, &rg, &na)) == NULL &&
	    na < 0)
		return 503;
	for (k = 0; k < na; k++)
		if (act_visible(&c, r->user->id, &as[k]))
			sched_expand(&as[k], c.ev.timezone, from, to, &os, &n,
			    &cap, r->a);
	sched_sort(os, n);

	buf_init(&b);
	csv_begin(&cv, &b);
	{
		static const char *const head[] = { "date", "start", "end",
		    "utc_offset", "timezone", "all_day", "name", "type",
		    "location", "areas", "organizers", "participants",
		    "global", "cancelled", "activity_id", "url" };

		for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
			csv_cell(&cv, head[i]);
		csv_row_end(&cv);
	}
	for (i = 0; i < n; i++) {
		const struct activity *a = os[i].a;

		fmt_secs(os[i].day * 86400, "%Y-%m-%d", s1, sizeof(s1));
		csv_cell(&cv, s1);
		if (a->all_day) {
			fmt_secs(os[i].start * 86400, "%Y-%m-%d", s1,
			    sizeof(s1));
			fmt_secs(os[i].end * 86400, "%Y-%m-%d", s2,
			    sizeof(s2));
			csv_cell(&cv, s1);
			csv_cell(&cv, s2);
			csv_cell(&cv, "");
		} else {
			fmt_secs(os[i].ls, "%Y-%m-%d %H:%M", s1, sizeof(s1));
			fmt_secs(os[i].le, "%Y-%m-%d %H:%M", s2, sizeof(s2));
			csv_cell(&cv, s1);
			csv_cell(&cv, s2);
			/* "UTC+01:00": a bare "+01:00" would meet the
			 * formula guard. */
			export_offset(c.ev.timezone, os[i].start, off);
			csv_cellf(&cv, "UTC%s", off);
		}
		csv_cell(&cv, c.ev.timezone);
		csv_cell(&cv, a->all_day ? "yes" : "no");
		csv_cell(&cv, os[i].name);
		csv_cell(&cv, strcmp(a->kind, "time_frame") == 0 ?
		    "time frame" : "activity");
		csv_cell(&cv, os[i].location);
		csv_cell(&cv, areas_of(r, a));
		csv_cell(&cv, names_of(r, a, 1));
		csv_cell(&cv, names_of(r, a, -1));
		csv_cell(&cv, a->is_global ? "yes" : "no");
		csv_cell(&cv, os[i].cancelled ? "yes" : "no");
		csv_cellf(&cv, "%lld", (long long)a->id);
		csv_cellf(&cv, "%s%s", cfg->base_url, sched_occ_url(r,
		    &os[i]));
		csv_row_end(&cv);
	}
	st = send_file(r, "text/csv; charset=utf-8", arena_printf(r->a,
	    "%s-schedule-%s-%s.csv", fname_part(r, c.ev.code),
	    cal_date(r, from), cal_date(r, to)), b.p, b.len);
	buf_free(&b);
	return st;
}

/* --- task CSV --------------------------------------------------------------------- */

static const char *
people_of(struct req *r, const struct task *t, enum task_role role)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < t->npeople; i++)
		if (t->people[i].role == role)
			buf_printf(&b, "%s%s", b.len ? "; " : "",
			    t->people[i].name ? t->people[i].name : "");
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* GET /events/{event}/tasks.csv?<the list's filters> — 200 the tasks the
 * list shows the actor with the same filters, flat, in the list's sort
 * order (a parent column keeps the tree); 400 a bad filter (named); 404
 * not on the event. */
int
h_tasks_csv(struct req *r)
{
	struct tctx	 tc;
	struct task_filter	 f;
	struct task	*ts, **shown;
	struct csv	 cv;
	struct buf	 b;
	long		 n, i;
	size_t		 ns = 0, k;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0 ||
	    (st = task_filter_read(r, &tc, &f)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	shown = arena_calloc(r->a, (size_t)n + 1, sizeof(*shown));
	for (i = 0; i < n; i++)
		if (task_visible(&tc, &ts[i]) &&
		    task_filter_matches(&tc, &f, &ts[i]))
			shown[ns++] = &ts[i];
	task_sort(&tc, f.sort, shown, ns);

	buf_init(&b);
	csv_begin(&cv, &b);
	{
		static const char *const head[] = { "id", "name", "status",
		    "state", "priority", "phase", "start_date", "start_time",
		    "due_date", "due_time", "timezone", "overdue",
		    "assignees", "reviewers", "areas", "parent_id", "parent",
		    "url" };

		for (k = 0; k < sizeof(head) / sizeof(head[0]); k++)
			csv_cell(&cv, head[k]);
		csv_row_end(&cv);
	}
	for (k = 0; k < ns; k++) {
		const struct task *t = shown[k], *p;
		const struct task_status *s = taskstatus_find(tc.st, tc.nst,
		    t->status_id);
		const struct task_phase *ph = t->phase_id ? taskphase_find(
		    tc.ph, tc.nph, t->phase_id) : NULL;
		struct buf	 ab;
		size_t		 j;

		csv_cellf(&cv, "%lld", (long long)t->id);
		csv_cell(&cv, t->name);
		csv_cell(&cv, s ? s->name : "");
		csv_cell(&cv, s ? task_state_label(s->state) : "");
		csv_cell(&cv, t->priority);
		csv_cell(&cv, ph ? ph->name : "");
		csv_cell(&cv, t->start_date);
		csv_cell(&cv, t->start_time);
		csv_cell(&cv, t->due_date);
		csv_cell(&cv, t->due_time);
		csv_cell(&cv, tc.c.ev.timezone);
		csv_cell(&cv, task_overdue(&tc, t) ? "yes" : "no");
		csv_cell(&cv, people_of(r, t, TR_ASSIGNEE));
		csv_cell(&cv, people_of(r, t, TR_REVIEWER));
		buf_init(&ab);
		for (j = 0; j < t->nareas; j++)
			buf_printf(&ab, "%s%s", ab.len ? "; " : "",
			    t->areas[j].name ? t->areas[j].name : "");
		csv_cell(&cv, buf_cstr(&ab));
		buf_free(&ab);
		/* The parent only when the actor may see it. */
		p = t->parent_id ? task_find(ts, n, t->parent_id) : NULL;
		if (p != NULL && task_visible(&tc, p)) {
			csv_cellf(&cv, "%lld", (long long)p->id);
			csv_cell(&cv, p->name);
		} else {
			csv_cell(&cv, "");
			csv_cell(&cv, "");
		}
		csv_cellf(&cv, "%s/events/%lld/tasks/%lld", cfg->base_url,
		    (long long)tc.c.ev.id, (long long)t->id);
		csv_row_end(&cv);
	}
	st = send_file(r, "text/csv; charset=utf-8", arena_printf(r->a,
	    "%s-tasks.csv", fname_part(r, tc.c.ev.code)), b.p, b.len);
	buf_free(&b);
	return st;
}
