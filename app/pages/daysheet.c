/* daysheet.c — the day sheet (PRODUCT §14): one local day's briefing for
 * an area, an activity or a collaborator, as a printable HTML page and
 * its JSON twin. Opening needs schedule view on the area, sight of the
 * activity, or crew or schedule view on the collaborator (a free user
 * may open their own collaborator's); anything else is 404 like a
 * missing id. Every section is then filtered by the viewer's own
 * permissions and left out when empty.
 *
 * Queries are fixed whatever the number of rows: the event and actor
 * (two), the subject (one to three), the day's activities (three), the
 * event's people (three), the crew contacts (one), the task statuses
 * (one) and the tasks (four), the area's people (one, area sheets
 * for users & access viewers), and the advance data (one, six when an
 * advance is visible: advsummary.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deny.h"
#include "calendar.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "eventctx.h"
#include "actperm.h"
#include "advsummary.h"
#include "events.h"
#include "exports.h"
#include "model/activity.h"
#include "model/area.h"
#include "model/crew.h"
#include "model/exportid.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/view.h"
#include "tasksupport.h"

enum ds_kind { DS_AREA, DS_ACTIVITY, DS_COLLAB };

static const char *const kind_names[] = { "area", "activity", "collaborator" };
static const char *const kind_labels[] = { "Area", "Activity",
    "Collaborator" };

struct ds {
	struct event_ctx c;
	enum ds_kind	 kind;
	int64_t		 id;
	const char	*name;		/* the subject */
	int64_t		 day;
	struct activity	 act;		/* DS_ACTIVITY */
	struct act_choices ch;
	struct crew	*crew;		/* DS_COLLAB, with crew view */
	size_t		 ncrew;
};


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

static const char *
secs_text(struct req *r, int64_t t, const char *fmt)
{
	char	 buf[64];

	fmt_secs(t, fmt, buf, sizeof(buf));
	return arena_strdup(r->a, buf);
}

static enum level
level_on(const struct event_ctx *c, enum section s, int64_t collab_id)
{
	struct perm_target	 t;

	target_collab(&t, collab_id);
	return perm_level(&c->actor, s, &t);
}

static int
own_collab(const struct event_ctx *c, int64_t id)
{
	return c->actor.event_user && c->actor.collab_id == id;
}

/* Crew details of collaborator id: crew view on it. */
static int
crew_viewable(const struct event_ctx *c, int64_t id)
{
	return level_on(c, SEC_CREW, id) >= LV_VIEW;
}

/* {kind}/{id}: 0 with the subject loaded, or the status sent (404 for
 * an unknown kind, a missing id and one the actor may not open). */
static int
subject(struct req *r, struct ds *d)
{
	const char	*k = req_pathvar(r, 1);
	struct perm_target t;
	char		*name = NULL;
	int		 rc, i;

	for (i = 0; i < 3; i++)
		if (k != NULL && strcmp(k, kind_names[i]) == 0)
			break;
	if (i == 3)
		return page_refuse(r, 404, "not-found", "kind: a day sheet is for "
		    "an area, an activity or a collaborator.");
	d->kind = (enum ds_kind)i;
	if ((d->id = req_pathvar_id(r, 2)) <= 0)
		return page_refuse(r, 404, "not-found", arena_printf(r->a,
		    "id: there is no %s with that id on this event.",
		    kind_names[i]));
	switch (d->kind) {
	case DS_AREA:
		target_area(&t, d->id);
		if ((rc = activity_area_of_event(r, d->c.ev.id, d->id,
		    &name)) < 0)
			return 503;
		if (rc == 0 || perm_level(&d->c.actor, SEC_SCHEDULE, &t) <
		    LV_VIEW)
			rc = 0;
		break;
	case DS_ACTIVITY:
		if ((rc = activity_get(r, d->c.ev.id, d->id, &d->act)) < 0)
			return 503;
		if (rc == 1 && !act_visible(&d->c, r->user->id, &d->act))
			rc = 0;
		name = d->act.name;
		break;
	case DS_COLLAB:
	default:
		if ((rc = activity_collab_of_event(r, d->c.ev.id, d->id,
		    &name)) < 0)
			return 503;
		if (rc == 1 && !own_collab(&d->c, d->id) &&
		    level_on(&d->c, SEC_SCHEDULE, d->id) < LV_VIEW &&
		    level_on(&d->c, SEC_CREW, d->id) < LV_VIEW)
			rc = 0;
		break;
	}
	if (rc == 0)
		return page_refuse(r, 404, "not-found", arena_printf(r->a,
		    "id: there is no %s with that id you can open on this "
		    "event.", kind_names[i]));
	d->name = name;
	return 0;
}

/* {date}, or today in event time when it falls in the event, else the
 * event's first day. 0 or the status sent. */
static int
the_day(struct req *r, struct ds *d)
{
	int64_t	 first, last, today;

	if (r->npathvars > 3) {
		if (tz_parse_date(req_pathvar(r, 3), &d->day) != 0)
			return page_refuse(r, 404, "not-found", "date: not a date "
			    "(YYYY-MM-DD).");
		return 0;
	}
	if (tz_parse_date(d->c.ev.start_date, &first) != 0 ||
	    tz_parse_date(d->c.ev.end_date, &last) != 0)
		return 503;
	today = cal_today(d->c.ev.timezone);
	d->day = today >= first && today <= last ? today : first;
	return 0;
}

/* Does the activity belong on this sheet (before visibility)? */
static int
on_sheet(const struct ds *d, const struct activity *a)
{
	size_t	 i;

	switch (d->kind) {
	case DS_AREA:
		if (a->is_global)
			return 1;
		for (i = 0; i < a->nareas; i++)
			if (a->areas[i].area_id == d->id)
				return 1;
		return 0;
	case DS_ACTIVITY:
		return a->id == d->id;
	case DS_COLLAB:
	default:
		if (a->is_global)
			return 1;
		for (i = 0; i < a->nparts; i++)
			if (a->parts[i].collab_id == d->id)
				return 1;
		return 0;
	}
}

static const char *
joined(struct req *r, const struct activity *a, int areas)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;

	buf_init(&b);
	if (areas)
		for (i = 0; i < a->nareas; i++)
			buf_printf(&b, "%s%s", b.len ? ", " : "",
			    a->areas[i].name ? a->areas[i].name : "");
	else
		for (i = 0; i < a->nparts; i++)
			if (a->parts[i].organizer)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
				    a->parts[i].name ? a->parts[i].name : "");
	s = b.len ? arena_strdup(r->a, buf_cstr(&b)) : NULL;
	buf_free(&b);
	return s;
}

/* The day's schedule rows: all-day first, then by start. */
static json_object *
schedule_json(struct req *r, const struct ds *d, struct occ *os, size_t n)
{
	json_object	*a = json_object_new_array();
	const char	*tz = d->c.ev.timezone;
	size_t		 i;

	for (i = 0; i < n; i++) {
		const struct occ *o = &os[i];
		json_object	*j = json_object_new_object();
		int		 before, after;
		char		 s1[16], s2[16];

		vset_int(j, "activity_id", o->a->id);
		vset_str(j, "name", o->name);
		vset_str(j, "url", sched_occ_url(r, o));
		vset_str(j, "type", o->a->kind);
		vset_bool(j, "time_frame", strcmp(o->a->kind, "time_frame") ==
		    0);
		vset_bool(j, "all_day", o->a->all_day);
		vset_bool(j, "global", o->a->is_global);
		vset_str(j, "location", o->location);
		vset_str(j, "areas", joined(r, o->a, 1));
		vset_str(j, "organizers", joined(r, o->a, 0));
		if (o->a->all_day) {
			before = o->start < d->day;
			after = o->end > d->day;
			vset_str(j, "time_text", "All day");
			vset_str(j, "start_date", cal_date(r, o->start));
			vset_str(j, "end_date", cal_date(r, o->end));
		} else {
			before = o->ls / 86400 < d->day;
			after = (o->le - 1) / 86400 > d->day;
			fmt_secs(o->ls, before ? "%-d %b %H:%M" : "%H:%M", s1,
			    sizeof(s1));
			fmt_secs(o->le, after ? "%-d %b %H:%M" : "%H:%M", s2,
			    sizeof(s2));
			vset_str(j, "time_text", arena_printf(r->a,
			    "%s–%s", s1, s2));
			vset_str(j, "start", export_local_iso(r, tz, o->start));
			vset_str(j, "end", export_local_iso(r, tz, o->end));
		}
		vset_bool(j, "continues_from", before);
		vset_bool(j, "continues", after);
		json_object_array_add(a, j);
	}
	return a;
}

static const struct act_choice *
choice(const struct act_choice *a, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (a[i].id == id)
			return &a[i];
	return NULL;
}

static json_object *
contact_json(struct req *r, const char *name, const char *collab,
    const char *role, const char *phone, const char *email, int poc)
{
	json_object	*j = json_object_new_object();

	vset_str(j, "name", name);
	vset_str(j, "collaborator", collab);
	vset_str(j, "role", role && *role ? role : NULL);
	vset_str(j, "phone", phone && *phone ? phone : NULL);
	vset_str(j, "email", email && *email ? email : NULL);
	vset_str(j, "phone_url", phone && *phone ? arena_printf(r->a,
	    "tel:%s", phone) : NULL);
	vset_str(j, "email_url", email && *email ? arena_printf(r->a,
	    "mailto:%s", email) : NULL);
	vset_bool(j, "point_of_contact", poc);
	return j;
}

static const char *
contact_name(struct req *r, const struct ex_contact *k)
{
	return k->last_name && *k->last_name ? arena_printf(r->a, "%s %s",
	    k->first_name, k->last_name) : k->first_name;
}

static const char *
crew_role(const struct ex_contact *k)
{
	return k->title && *k->title ? k->title : k->role_on_show;
}

/* Contacts (PRODUCT §14.3). Area and activity: the user organizers of
 * the listed activities (phone and email from their crew record when
 * the viewer may see that collaborator's crew), then the points of
 * contact of the taking-part collaborators. Collaborator: its points of
 * contact, then the rest of its crew. Crew details only with crew view
 * on their collaborator. */
static json_object *
contacts_json(struct req *r, const struct ds *d, struct occ *os, size_t n,
    const struct ex_contact *k, size_t nk)
{
	json_object	*out = json_object_new_array();
	int64_t		*seen_u, *cols;
	size_t		 nu = 0, nc = 0, i, j, p;

	if (d->kind == DS_COLLAB) {
		const struct crew *cr = d->crew;

		for (p = 0; p < 2; p++)
			for (i = 0; i < d->ncrew; i++)
				if (cr[i].point_of_contact == (p == 0))
					json_object_array_add(out, contact_json(
					    r, cr[i].last_name && *cr[i].last_name ?
					    arena_printf(r->a, "%s %s",
					    cr[i].first_name, cr[i].last_name) :
					    cr[i].first_name, d->name,
					    cr[i].title && *cr[i].title ?
					    cr[i].title : cr[i].role_on_show,
					    cr[i].phone, cr[i].email,
					    cr[i].point_of_contact));
		return out;
	}
	seen_u = arena_calloc(r->a, d->ch.nusers + 1, sizeof(int64_t));
	cols = arena_calloc(r->a, d->ch.ncollabs + 1, sizeof(int64_t));
	for (i = 0; i < n; i++) {
		const struct activity *a = os[i].a;

		for (j = 0; j < a->nparts; j++) {
			const struct act_part *pt = &a->parts[j];
			const struct act_choice *u, *c;
			const struct ex_contact *rec = NULL;

			if (pt->collab_id) {
				for (p = 0; p < nc && cols[p] != pt->collab_id;
				    p++)
					;
				if (p == nc && nc < d->ch.ncollabs)
					cols[nc++] = pt->collab_id;
				continue;
			}
			if (!pt->organizer)
				continue;
			for (p = 0; p < nu && seen_u[p] != pt->user_id; p++)
				;
			if (p < nu || nu >= d->ch.nusers)
				continue;
			seen_u[nu++] = pt->user_id;
			u = choice(d->ch.users, d->ch.nusers, pt->user_id);
			c = u ? choice(d->ch.collabs, d->ch.ncollabs,
			    u->collab_id) : NULL;
			if (c != NULL && crew_viewable(&d->c, c->id))
				for (p = 0; p < nk; p++)
					if (k[p].user_id == pt->user_id)
						rec = &k[p];
			json_object_array_add(out, contact_json(r, pt->name,
			    c ? c->name : NULL, rec ? crew_role(rec) : NULL,
			    rec ? rec->phone : NULL, rec ? rec->email : NULL,
			    0));
		}
	}
	for (p = 0; p < nc; p++) {
		if (!crew_viewable(&d->c, cols[p]))
			continue;
		for (i = 0; i < nk; i++)
			if (k[i].collab_id == cols[p] && k[i].point_of_contact)
				json_object_array_add(out, contact_json(r,
				    contact_name(r, &k[i]), k[i].collab_name,
				    crew_role(&k[i]), k[i].phone, k[i].email,
				    1));
	}
	return out;
}

/* Is the task on this sheet (PRODUCT §14.5)? */
static int
task_on_sheet(const struct ds *d, const struct task *t)
{
	const struct act_choice *u;
	size_t		 i, j;

	switch (d->kind) {
	case DS_AREA:
		for (i = 0; i < t->nareas; i++)
			if (t->areas[i].area_id == d->id)
				return 1;
		return 0;
	case DS_ACTIVITY:
		for (i = 0; i < t->nareas; i++)
			for (j = 0; j < d->act.nareas; j++)
				if (t->areas[i].area_id ==
				    d->act.areas[j].area_id)
					return 1;
		return 0;
	case DS_COLLAB:
	default:
		for (i = 0; i < t->npeople; i++) {
			if (t->people[i].role != TR_ASSIGNEE)
				continue;
			if (t->people[i].collab_id == d->id)
				return 1;
			if (t->people[i].user_id && (u = choice(d->ch.users,
			    d->ch.nusers, t->people[i].user_id)) != NULL &&
			    u->collab_id == d->id)
				return 1;
		}
		return 0;
	}
}

/* Tasks due that day, not in an Archived status, that the viewer may
 * see. 0 or -1. */
static int
tasks_into(struct req *r, const struct ds *d, json_object *v)
{
	struct tctx	 tc;
	struct task	*ts;
	json_object	*a = json_object_new_array();
	const char	*date = cal_date(r, d->day);
	long		 n, i;

	vset_obj(v, "tasks", a);
	memset(&tc, 0, sizeof(tc));
	tc.c = d->c;
	tc.uid = r->user->id;
	if ((tc.st = taskstatus_list(r, d->c.ev.id, &tc.nst)) == NULL &&
	    tc.nst < 0)
		return -1;
	if ((ts = task_list(r, d->c.ev.id, &n)) == NULL && n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct task *t = &ts[i];
		const struct task_status *s = taskstatus_find(tc.st, tc.nst,
		    t->status_id);
		json_object	*j;
		struct buf	 b;
		size_t		 k;

		if (t->due_date == NULL || strcmp(t->due_date, date) != 0 ||
		    (s != NULL && s->state == TS_ARCHIVED) ||
		    !task_on_sheet(d, t) || !task_visible(&tc, t))
			continue;
		j = json_object_new_object();
		vset_int(j, "id", t->id);
		vset_str(j, "name", t->name);
		vset_str(j, "url", arena_printf(r->a, "/events/%lld/tasks/%lld",
		    (long long)d->c.ev.id, (long long)t->id));
		vset_str(j, "status", s ? s->name : NULL);
		vset_str(j, "state", s ? task_state_name(s->state) : NULL);
		vset_str(j, "priority", t->priority);
		vset_str(j, "due_date", t->due_date);
		vset_str(j, "due_time", t->due_time);
		buf_init(&b);
		for (k = 0; k < t->npeople; k++)
			if (t->people[k].role == TR_ASSIGNEE)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
				    t->people[k].name ? t->people[k].name : "");
		vset_str(j, "assignees", b.len ? buf_cstr(&b) : NULL);
		buf_free(&b);
		json_object_array_add(a, j);
	}
	return 0;
}

/* GET /events/{event}/daysheets/{kind}/{id}[/{date}] — 200 the day
 * sheet of an area, an activity or a collaborator for one local day
 * (default today in event time within the event's dates, else its first
 * day): header, the day's schedule, contacts and tasks due that day,
 * each filtered by the viewer's permissions; 404 not on the event, an
 * unknown kind, a missing or unopenable subject, or a malformed date
 * (each naming the part). */
int
h_daysheet(struct req *r)
{
	struct ds	 d;
	struct act_range rg;
	struct activity	*as;
	struct occ	*os = NULL;
	struct ex_contact *k;
	json_object	*v, *hd, *sched, *contacts, *j;
	size_t		 n = 0, cap = 0, nk;
	long		 na, i;
	int64_t		 noon, now = (int64_t)time(NULL), ls;
	const char	*base, *date;
	char		 off[8], abbr[16];
	int		 st;

	memset(&d, 0, sizeof(d));
	if ((st = event_gate(r, &d.c, 0)) != 0 || (st = subject(r, &d)) != 0 ||
	    (st = the_day(r, &d)) != 0)
		return st;
	activity_range(d.day, d.day, d.c.ev.timezone, &rg);
	if ((as = activity_list_range(r, d.c.ev.id, &rg, &na)) == NULL &&
	    na < 0)
		return 503;
	for (i = 0; i < na; i++)
		if (!as[i].cancelled && on_sheet(&d, &as[i]) &&
		    act_visible(&d.c, r->user->id, &as[i]))
			sched_expand(&as[i], d.c.ev.timezone, d.day, d.day, &os,
			    &n, &cap, r->a);
	/* Cancelled occurrences stay off the sheet like cancelled
	 * activities. */
	sched_drop_cancelled(os, &n);
	sched_sort(os, n);
	if (activity_choices(r, d.c.ev.id, &d.ch) != 0)
		return 503;
	/* A collaborator's sheet lists its whole crew (one query); the
	 * others the organizers' records and the points of contact. */
	if (d.kind == DS_COLLAB) {
		k = NULL;
		nk = 0;
		if (crew_viewable(&d.c, d.id) && (d.crew = crew_list(r,
		    d.c.ev.id, d.id, 0, &d.ncrew)) == NULL)
			return 503;
	} else if ((k = exportid_contacts(r, d.c.ev.id, &nk)) == NULL &&
	    nk == (size_t)-1)
		return 503;

	v = view_new(r);
	event_header_into(r, v, &d.c, "schedule");
	date = cal_date(r, d.day);
	base = arena_printf(r->a, "/events/%lld/daysheets/%s/%lld",
	    (long long)d.c.ev.id, kind_names[d.kind], (long long)d.id);

	/* Header: the UTC offset of that day at local noon. */
	if (tz_local_to_utc(d.c.ev.timezone, d.day * 86400 + 43200, &noon) !=
	    TZ_OK)
		noon = d.day * 86400 + 43200;
	export_offset(d.c.ev.timezone, noon, off);
	(void)tz_utc_to_local(d.c.ev.timezone, noon, &ls, abbr, sizeof(abbr));
	hd = json_object_new_object();
	vset_str(hd, "event", d.c.ev.name);
	vset_str(hd, "kind", kind_names[d.kind]);
	vset_str(hd, "kind_label", kind_labels[d.kind]);
	vset_int(hd, "subject_id", d.id);
	vset_str(hd, "subject", d.name);
	vset_str(hd, "subject_url", d.kind == DS_AREA ? arena_printf(r->a,
	    "/events/%lld/areas/%lld", (long long)d.c.ev.id, (long long)d.id) :
	    d.kind == DS_ACTIVITY ? arena_printf(r->a,
	    "/events/%lld/activities/%lld", (long long)d.c.ev.id,
	    (long long)d.id) : arena_printf(r->a,
	    "/events/%lld/collaborators/%lld", (long long)d.c.ev.id,
	    (long long)d.id));
	vset_str(hd, "date", date);
	vset_str(hd, "date_text", secs_text(r, d.day * 86400,
	    "%A %-d %B %Y"));
	vset_str(hd, "timezone", d.c.ev.timezone);
	vset_str(hd, "utc_offset", off);
	vset_str(hd, "zone_abbr", abbr);
	vset_str(hd, "venue_name", d.c.ev.venue_name);
	vset_str(hd, "venue_address", d.c.ev.venue_address);
	vset_str(hd, "generated_at", secs_text(r, now, "%Y-%m-%dT%H:%M:%SZ"));
	(void)tz_utc_to_local(d.c.ev.timezone, now, &ls, abbr, sizeof(abbr));
	vset_str(hd, "generated_text", arena_printf(r->a, "%s %s",
	    secs_text(r, ls, "%-d %b %Y, %H:%M"), abbr));
	vset_obj(v, "sheet", hd);

	sched = schedule_json(r, &d, os, n);
	vset_bool(v, "has_schedule", json_object_array_length(sched) > 0);
	vset_obj(v, "schedule", sched);
	contacts = contacts_json(r, &d, os, n, k, nk);
	vset_bool(v, "has_contacts", json_object_array_length(contacts) > 0);
	vset_obj(v, "contacts", contacts);
	/* Advance data (PRODUCT §14.4): advances scoped to the area or
	 * the activity, or all of the collaborator's, as far as the
	 * viewer may see them. */
	if (advance_into(r, &d.c, v, d.kind == DS_AREA ? ADVSUM_AREA :
	    d.kind == DS_ACTIVITY ? ADVSUM_ACTIVITY : ADVSUM_COLLAB,
	    d.id) != 0)
		return 503;
	if (tasks_into(r, &d, v) != 0)
		return 503;
	j = json_object_object_get(v, "tasks");
	vset_bool(v, "has_tasks", json_object_array_length(j) > 0);
	if (d.kind == DS_AREA) {
		struct perm_target t;

		/* Who holds grants here is users & access information,
		 * as on the area page. */
		target_area(&t, d.id);
		if (event_level(&d.c, SEC_USERS, &t) >= LV_VIEW) {
			json_object	*ppl = area_people_json(r, d.c.ev.id,
			    d.id);

			if (ppl == NULL)
				return 503;
			vset_bool(v, "has_area_people",
			    json_object_array_length(ppl) > 0);
			vset_obj(v, "area_people", ppl);
		}
	}
	vset_str(v, "url", arena_printf(r->a, "%s/%s", base, date));
	vset_str(v, "prev_url", arena_printf(r->a, "%s/%s", base,
	    cal_date(r, d.day - 1)));
	vset_str(v, "next_url", arena_printf(r->a, "%s/%s", base,
	    cal_date(r, d.day + 1)));
	vset_str(v, "day_url", arena_printf(r->a,
	    "/events/%lld/schedule/day/%s", (long long)d.c.ev.id, date));
	return render_page(r, 200, "daysheet/show", arena_printf(r->a,
	    "Day sheet · %s · %s", d.name, date), v);
}
