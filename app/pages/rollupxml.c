/* rollupxml.c — the roll-ups in BackOps' own XML format (FEEDS.md §8,
 * schema public/schemas/backops-rollup-1.xsd): the combined schedule
 * (one element per series with its rule) or the task roll-up, with the
 * events they come from, their areas and collaborators. Written with
 * libxml2's text writer; a fixed number of queries. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "calendar.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/view.h"
#include "rollup.h"

#define NS		"urn:uuid:5bd03a66-cc7c-4511-b99d-609dfac4f744"
#define FUTURE_MAX	3660

/* Names and guids of the roll-up's events: areas, collaborators, users
 * and schedule revisions (the user id or org id bound once). */
#define SCOPE_ORG \
    " IN (SELECT e.id FROM events e WHERE e.org_id = ? AND" \
    " e.status = 'active')"
#define SCOPE_MINE \
    " IN (SELECT eu.event_id FROM event_users eu JOIN events e ON" \
    " e.id = eu.event_id WHERE eu.user_id = ? AND e.status = 'active')"
#define AREAS "SELECT event_id, id, uuid, name FROM areas WHERE event_id"
#define COLLABS "SELECT event_id, id, uuid, name FROM collaborators" \
    " WHERE event_id"
#define USERS "SELECT DISTINCT 0, u.id, u.uuid, u.name FROM users u" \
    " JOIN event_users eu ON eu.user_id = u.id WHERE eu.event_id"
#define REVS "SELECT event_id, revision, '', '' FROM schedule_revisions" \
    " WHERE event_id"
static struct dbq q_areas_org = DBQ(AREAS SCOPE_ORG
    " ORDER BY event_id, position, name, id");
static struct dbq q_areas_mine = DBQ(AREAS SCOPE_MINE
    " ORDER BY event_id, position, name, id");
static struct dbq q_collabs_org = DBQ(COLLABS SCOPE_ORG
    " ORDER BY event_id, is_host DESC, name, id");
static struct dbq q_collabs_mine = DBQ(COLLABS SCOPE_MINE
    " ORDER BY event_id, is_host DESC, name, id");
static struct dbq q_users_org = DBQ(USERS SCOPE_ORG " ORDER BY 2");
static struct dbq q_users_mine = DBQ(USERS SCOPE_MINE " ORDER BY 2");
static struct dbq q_revs_org = DBQ(REVS SCOPE_ORG);
static struct dbq q_revs_mine = DBQ(REVS SCOPE_MINE);
static struct dbq q_act_meta = DBQ(
    "SELECT a.id, a.sequence, DATE_FORMAT(a.updated_at,"
    " '%Y-%m-%dT%H:%i:%sZ') FROM activities a WHERE a.event_id"
    " IN (SELECT e.id FROM events e WHERE e.status = 'active' AND"
    " (e.org_id = ? OR e.id IN (SELECT event_id FROM event_users WHERE"
    " user_id = ?))) ORDER BY a.id");

/* One named row: an area, a collaborator or a user of the roll-up. */
struct named {
	int64_t		 event_id;
	int64_t		 id;
	char		*uuid;
	char		*name;
};

struct names {
	struct named	*v;
	size_t		 n;
};

static int
read_names(struct req *r, struct dbq *q, int64_t bind, struct names *out)
{
	struct named	 x;
	size_t		 cap = 0;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (db_select(q, "i", bind) != 0)
		return -1;
	while ((rc = db_fetch(q, "iiss", &x.event_id, &x.id, &x.uuid,
	    &x.name)) == 1) {
		out->v = arena_grow(r->a, out->v, out->n, &cap, sizeof(x));
		out->v[out->n++] = x;
	}
	db_done(q);
	return rc < 0 ? -1 : 0;
}

static const struct named *
named_find(const struct names *ns, int64_t id)
{
	size_t	 i;

	for (i = 0; i < ns->n; i++)
		if (ns->v[i].id == id)
			return &ns->v[i];
	return NULL;
}

struct ctx {
	struct rollup	 ru;
	struct names	 areas, collabs, users, revs;
	xmlTextWriterPtr w;
	xmlBufferPtr	 buf;
	int64_t		 from, to;	/* window: UTC days */
	int		 has_to;
};

/* --- values ---------------------------------------------------------------- */

static const char *
utc_text(char *out, size_t sz, int64_t t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(out, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/* An instant in zone tz with its offset: 2027-07-10T08:00:00+02:00. */
static const char *
offset_text(char *out, size_t sz, const char *tz, int64_t utc)
{
	int64_t		 ls, off;
	time_t		 tt;
	struct tm	 tm;
	size_t		 len;
	int		 a;

	(void)tz_utc_to_local(tz, utc, &ls, NULL, 0);
	off = ls - utc;
	a = (int)((off < 0 ? -off : off) / 60) % (24 * 60);
	tt = (time_t)ls;
	gmtime_r(&tt, &tm);
	len = strftime(out, sz, "%Y-%m-%dT%H:%M:%S", &tm);
	if (len + 7 <= sz)
		snprintf(out + len, sz - len, "%c%02d:%02d", off < 0 ? '-' :
		    '+', a / 60, a % 60);
	return out;
}

/* XML 1.0 forbids most control characters: drop them (FEEDS §6.5). */
static const char *
clean(struct req *r, const char *s)
{
	char	*out, *o;

	if (s == NULL)
		return "";
	out = o = arena_strdup(r->a, s);
	for (; *s; s++)
		if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' ||
		    *s == '\r')
			*o++ = *s;
	*o = '\0';
	return out;
}

#define W_ATTR(c, k, v) \
	xmlTextWriterWriteAttribute((c)->w, BAD_CAST (k), BAD_CAST (v))
#define W_START(c, e) xmlTextWriterStartElement((c)->w, BAD_CAST (e))
#define W_END(c) xmlTextWriterEndElement((c)->w)

static void
w_text_el(struct req *r, struct ctx *c, const char *el, const char *text)
{
	W_START(c, el);
	xmlTextWriterWriteString(c->w, BAD_CAST clean(r, text));
	W_END(c);
}

static void
w_int_attr(struct ctx *c, const char *k, int64_t v)
{
	char	 b[24];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	W_ATTR(c, k, b);
}

/* The palette as #rrggbb (app.css tc-* text colours). */
static const char *
colour_hex(const char *name)
{
	static const char *const map[][2] = { { "slate", "#475467" },
	    { "red", "#b42318" }, { "orange", "#b93815" },
	    { "amber", "#93370d" }, { "green", "#067647" },
	    { "teal", "#107569" }, { "blue", "#175cd3" },
	    { "indigo", "#3538cd" }, { "purple", "#5925dc" },
	    { "pink", "#c11574" } };
	size_t	 i;

	for (i = 0; name && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name, map[i][0]) == 0)
			return map[i][1];
	return "#475467";
}

/* --- the document ------------------------------------------------------- */

/* Parse the window (§3.10): 0, or 400 sent. */
static int
read_window(struct req *r, struct ctx *c)
{
	int64_t	 today = (int64_t)time(NULL) / 86400, past = 30;

	if (r->nerrors)
		return render_error(r, 400, "invalid-parameter",
		    r->errors[0].message);
	if (r->in[RX_PAST].present)
		past = r->in[RX_PAST].i;
	c->from = today - past;
	c->to = today + FUTURE_MAX;
	if (r->in[RX_FUTURE].present) {
		c->to = today + r->in[RX_FUTURE].i;
		c->has_to = 1;
	}
	return 0;
}

static int
load(struct req *r, struct ctx *c, int taskconf)
{
	int64_t	 bind;
	int	 st, org;

	if ((st = rollup_load(r, &c->ru, taskconf)) != 0 ||
	    (st = read_window(r, c)) != 0)
		return st;
	org = c->ru.scope_org != 0;
	bind = org ? c->ru.scope_org : r->user->id;
	if (read_names(r, org ? &q_areas_org : &q_areas_mine, bind,
	    &c->areas) != 0 ||
	    read_names(r, org ? &q_collabs_org : &q_collabs_mine, bind,
	    &c->collabs) != 0 ||
	    read_names(r, org ? &q_users_org : &q_users_mine, bind,
	    &c->users) != 0)
		return 503;
	{
		struct dbq	*q = org ? &q_revs_org : &q_revs_mine;
		struct named	 x;
		size_t		 cap = 0;
		char		*a, *b;
		int		 rc;

		memset(&c->revs, 0, sizeof(c->revs));
		if (db_select(q, "i", bind) != 0)
			return 503;
		while ((rc = db_fetch(q, "iiss", &x.event_id, &x.id, &a,
		    &b)) == 1) {
			c->revs.v = arena_grow(r->a, c->revs.v, c->revs.n,
			    &cap, sizeof(x));
			c->revs.v[c->revs.n++] = x;
		}
		db_done(q);
		if (rc < 0)
			return 503;
	}
	return 0;
}

static int
begin(struct req *r, struct ctx *c, const char *kind)
{
	char	 b[32];
	size_t	 i, j;

	if ((c->buf = xmlBufferCreate()) == NULL)
		return -1;
	if ((c->w = xmlNewTextWriterMemory(c->buf, 0)) == NULL) {
		xmlBufferFree(c->buf);
		c->buf = NULL;
		return -1;
	}
	xmlTextWriterSetIndent(c->w, 1);
	xmlTextWriterSetIndentString(c->w, BAD_CAST "  ");
	xmlTextWriterStartDocument(c->w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElementNS(c->w, NULL, BAD_CAST "rollup",
	    BAD_CAST NS);
	W_ATTR(c, "format_version", "1");
	W_ATTR(c, "kind", kind);
	W_ATTR(c, "generated", utc_text(b, sizeof(b), (int64_t)time(NULL)));
	W_START(c, "generator");
	W_ATTR(c, "name", "BackOps");
	W_ATTR(c, "version", "1.0.0");
	W_END(c);
	W_START(c, "organization");
	w_int_attr(c, "id", c->ru.o.id);
	W_ATTR(c, "guid", c->ru.o.uuid);
	W_ATTR(c, "name", clean(r, c->ru.o.kind == ORG_PERSONAL ? "My work" :
	    c->ru.o.name));
	W_END(c);
	W_START(c, "window");
	W_ATTR(c, "from", utc_text(b, sizeof(b), c->from * 86400));
	if (c->has_to)
		W_ATTR(c, "to", utc_text(b, sizeof(b), (c->to + 1) * 86400));
	W_END(c);
	W_START(c, "events");
	for (i = 0; i < c->ru.nev; i++) {
		const struct event *e = &c->ru.evs[i].c.ev;
		int64_t		 rev = 0;

		for (j = 0; j < c->revs.n; j++)
			if (c->revs.v[j].event_id == e->id)
				rev = c->revs.v[j].id;
		W_START(c, "event");
		w_int_attr(c, "id", e->id);
		W_ATTR(c, "guid", e->uuid);
		W_ATTR(c, "code", e->code);
		W_ATTR(c, "time_zone", e->timezone);
		W_ATTR(c, "start_date", e->start_date);
		W_ATTR(c, "end_date", e->end_date);
		w_int_attr(c, "schedule_revision", rev);
		w_text_el(r, c, "name", e->name);
		for (j = 0; j < c->areas.n; j++) {
			if (c->areas.v[j].event_id != e->id)
				continue;
			W_START(c, "area");
			w_int_attr(c, "id", c->areas.v[j].id);
			W_ATTR(c, "guid", c->areas.v[j].uuid);
			W_ATTR(c, "name", clean(r, c->areas.v[j].name));
			W_END(c);
		}
		for (j = 0; j < c->collabs.n; j++) {
			if (c->collabs.v[j].event_id != e->id)
				continue;
			W_START(c, "collaborator");
			w_int_attr(c, "id", c->collabs.v[j].id);
			W_ATTR(c, "guid", c->collabs.v[j].uuid);
			W_ATTR(c, "name", clean(r, c->collabs.v[j].name));
			W_END(c);
		}
		W_END(c);
	}
	W_END(c);
	return 0;
}

static int
finish(struct req *r, struct ctx *c)
{
	int	 st;

	xmlTextWriterEndDocument(c->w);
	xmlFreeTextWriter(c->w);
	c->w = NULL;
	resp_header(r, "Content-Disposition", arena_printf(r->a,
	    "inline; filename=\"backops-rollup-%lld.xml\"",
	    (long long)c->ru.o.id));
	st = render_text(r, 200, "application/xml; charset=utf-8",
	    (const char *)xmlBufferContent(c->buf),
	    (size_t)xmlBufferLength(c->buf));
	xmlBufferFree(c->buf);
	return st;
}

/* --- schedule ------------------------------------------------------------- */

static const char *const wd_codes[7] = { "MO", "TU", "WE", "TH", "FR",
    "SA", "SU" };

struct ameta {
	int64_t		 id;
	int64_t		 sequence;	/* FEEDS §1, as the iCal SEQUENCE */
	char		*updated;
};

static int
act_cmp(const void *x, const void *y)
{
	const struct activity *a = x, *b = y;
	const char	*sa = a->all_day ? a->start_date : a->start_utc;
	const char	*sb = b->all_day ? b->start_date : b->start_utc;
	int		 c = strcmp(sa ? sa : "", sb ? sb : "");

	return c ? c : strcmp(a->uuid, b->uuid);
}

/* A series' changed and cancelled occurrences (§8.2), by their own
 * day: recurrence_id the original start (all-day: 00:00 that day) with
 * the event zone's offset; start and end only for a moved one. Those
 * that no longer match an occurrence are left out. */
static void
w_exceptions(struct ctx *c, const struct activity *a, const char *tz)
{
	char	 b[48];
	size_t	 i;

	for (i = 0; i < a->nexcs; i++) {
		const struct act_exception *x = &a->excs[i];
		struct occ	 o;
		int64_t		 rid;

		if (sched_occurrence(a, tz, x->day, &o) != 0)
			continue;
		rid = o.orig_start;
		if (a->all_day && tz_local_to_utc(tz, x->day * 86400, &rid) !=
		    TZ_OK && tz_local_to_utc(tz, x->day * 86400 + 3600, &rid) !=
		    TZ_OK)
			rid = x->day * 86400;
		W_START(c, "exception");
		W_ATTR(c, "recurrence_id", offset_text(b, sizeof(b), tz, rid));
		W_ATTR(c, "status", o.cancelled ? "cancelled" : "confirmed");
		w_int_attr(c, "sequence", x->sequence);
		W_ATTR(c, "updated", x->updated_at);
		if (o.moved) {
			W_ATTR(c, "start", offset_text(b, sizeof(b), tz,
			    o.start));
			W_ATTR(c, "end", offset_text(b, sizeof(b), tz, o.end));
		}
		W_END(c);
	}
}

static void
w_activity(struct req *r, struct ctx *c, const struct activity *a,
    const struct tctx *tc, const struct ameta *m)
{
	char	 b[48];
	size_t	 i;
	int	 k;

	W_START(c, "activity");
	w_int_attr(c, "id", a->id);
	W_ATTR(c, "guid", a->uuid);
	W_ATTR(c, "event", tc->c.ev.uuid);
	W_ATTR(c, "type", a->kind);
	W_ATTR(c, "status", a->cancelled ? "cancelled" : "confirmed");
	W_ATTR(c, "global", a->is_global ? "true" : "false");
	w_int_attr(c, "sequence", m ? m->sequence : 0);
	W_ATTR(c, "updated", m && m->updated ? m->updated :
	    "1970-01-01T00:00:00Z");
	if (a->all_day) {
		W_ATTR(c, "first_day", a->start_date);
		W_ATTR(c, "last_day", a->end_date);
	} else {
		W_ATTR(c, "start", offset_text(b, sizeof(b), tc->c.ev.timezone,
		    tz_stamp_secs(a->start_utc)));
		W_ATTR(c, "end", offset_text(b, sizeof(b), tc->c.ev.timezone,
		    tz_stamp_secs(a->end_utc)));
	}
	w_text_el(r, c, "title", a->name);
	if (a->rec_freq != NULL) {
		const char	*days = NULL;

		W_START(c, "recurrence");
		W_ATTR(c, "freq", a->rec_freq);
		w_int_attr(c, "interval", a->rec_interval);
		if (a->rec_until)
			W_ATTR(c, "until", a->rec_until);
		for (k = 0; k < 7; k++)
			if ((a->rec_weekdays >> k) & 1)
				days = days ? arena_printf(r->a, "%s %s", days,
				    wd_codes[k]) : wd_codes[k];
		if (days && strcmp(a->rec_freq, "weekly") == 0)
			W_ATTR(c, "by_day", days);
		W_END(c);
		w_exceptions(c, a, tc->c.ev.timezone);
	}
	for (i = 0; i < a->nareas; i++) {
		const struct named *n = named_find(&c->areas,
		    a->areas[i].area_id);

		if (n == NULL)
			continue;
		W_START(c, "area_ref");
		W_ATTR(c, "area", n->uuid);
		W_END(c);
	}
	if (a->location && *a->location)
		w_text_el(r, c, "location", a->location);
	for (i = 0; i < a->nparts; i++) {
		const struct act_part *p = &a->parts[i];
		const struct named *n = p->user_id ?
		    named_find(&c->users, p->user_id) :
		    named_find(&c->collabs, p->collab_id);

		if (n == NULL)
			continue;
		W_START(c, "participant");
		W_ATTR(c, "kind", p->user_id ? "user" : "collaborator");
		W_ATTR(c, "role", p->organizer ? "organizer" : "attendee");
		W_ATTR(c, "required", p->required ? "true" : "false");
		W_ATTR(c, "guid", n->uuid);
		xmlTextWriterWriteString(c->w, BAD_CAST clean(r, p->name));
		W_END(c);
	}
	if (a->description && *a->description)
		w_text_el(r, c, "description", a->description);
	W_END(c);
}

/* GET /orgs/{org}/schedule.xml?past_days&future_days — 200 the combined
 * schedule in the roll-up format: each series once with its rule when
 * any occurrence falls in the window; 400 a bad window; 404 not a
 * member. */
int
h_rollup_schedule_xml(struct req *r)
{
	struct ctx	 c;
	struct activity	*as;
	struct ameta	*meta = NULL, m;
	long		 n, k;
	size_t		 nm = 0, cap = 0;
	int		 st, rc;

	memset(&c, 0, sizeof(c));
	if ((st = load(r, &c, 0)) != 0)
		return st;
	if ((as = rollup_activities(r, &c.ru, c.from, c.to, &n)) == NULL &&
	    n < 0)
		return 503;
	if (db_select(&q_act_meta, "ii", c.ru.scope_org, r->user->id) != 0)
		return 503;
	while ((rc = db_fetch(&q_act_meta, "iis", &m.id, &m.sequence,
	    &m.updated)) == 1) {
		meta = arena_grow(r->a, meta, nm, &cap, sizeof(m));
		meta[nm++] = m;
	}
	db_done(&q_act_meta);
	if (rc < 0)
		return 503;
	if (n > 0)	/* none: as is NULL, which qsort() may not get */
		qsort(as, (size_t)n, sizeof(*as), act_cmp);
	if (begin(r, &c, "schedule") != 0)
		return 503;
	W_START(&c, "schedule");
	for (k = 0; k < n; k++) {
		const struct tctx *tc = rollup_event(&c.ru, as[k].event_id);
		struct occ	*os = NULL;
		size_t		 no = 0, ocap = 0;
		const struct ameta *mm = NULL;

		/* Only series with an occurrence in the window. */
		sched_expand(&as[k], tc->c.ev.timezone, c.from, c.to, &os, &no,
		    &ocap, r->a);
		if (no == 0)
			continue;
		{
			/* meta is ordered by id. */
			size_t	 lo = 0, hi = nm;

			while (lo < hi) {
				size_t	 mid = lo + (hi - lo) / 2;

				if (meta[mid].id < as[k].id)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < nm && meta[lo].id == as[k].id)
				mm = &meta[lo];
		}
		w_activity(r, &c, &as[k], tc, mm);
	}
	W_END(&c);
	return finish(r, &c);
}

/* --- tasks ----------------------------------------------------------------- */

static const char *
xml_state(enum task_state s)
{
	static const char *const v[TS__MAX] = { "todo", "active", "in_review",
	    "done", "archived" };

	return s < TS__MAX ? v[s] : "todo";
}

static const char *
task_when(char *out, size_t sz, const char *tz, const char *date,
    const char *hm)
{
	int64_t	 day, utc;
	int	 min;

	if (hm == NULL || tz_parse_date(date, &day) != 0 ||
	    tz_parse_hm(hm, &min) != 0) {
		snprintf(out, sz, "%s", date);
		return out;
	}
	if (tz_local_to_utc(tz, day * 86400 + (int64_t)min * 60, &utc) ==
	    TZ_GAP)
		utc = day * 86400 + (int64_t)min * 60;
	return offset_text(out, sz, tz, utc);
}

struct xtask {
	const struct task *t;
	const struct tctx *tc;
	size_t		 evpos;
	size_t		 depth;
	const char	*path;		/* positions of the parent chain */
};

static int
xtask_cmp(const void *x, const void *y)
{
	const struct xtask *a = x, *b = y;
	int		 c;

	if (a->evpos != b->evpos)
		return a->evpos < b->evpos ? -1 : 1;
	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	return strcmp(a->t->uuid, b->t->uuid);
}

/* GET /orgs/{org}/tasks.xml?past_days&future_days — 200 the task roll-up
 * in the roll-up format: every visible task not in an Archived status,
 * dated ones when due in the window (open ones past due stay in); 400;
 * 404. */
int
h_rollup_tasks_xml(struct req *r)
{
	struct ctx	 c;
	struct task	*ts;
	struct xtask	*xs;
	long		 n, i;
	size_t		 k = 0, j;
	int		 st;
	char		 b[48], *inc;

	memset(&c, 0, sizeof(c));
	if ((st = load(r, &c, 1)) != 0)
		return st;
	if ((ts = task_list_scope(r, c.ru.scope_org, r->user->id, &n)) ==
	    NULL && n < 0)
		return 503;
	xs = arena_calloc(r->a, (size_t)n + 1, sizeof(*xs));
	inc = arena_calloc(r->a, (size_t)n + 1, 1);
	for (i = 0; i < n; i++) {
		const struct tctx *tc = rollup_event(&c.ru, ts[i].event_id);
		const struct task_status *s;
		int64_t		 due;
		const struct task *p;
		const char	*path = "";
		int		 guard = 0;

		if (tc == NULL || !task_visible(tc, &ts[i]))
			continue;
		s = taskstatus_find(tc->st, tc->nst, ts[i].status_id);
		if (s != NULL && s->state == TS_ARCHIVED)
			continue;
		if (ts[i].due_date && tz_parse_date(ts[i].due_date, &due) == 0 &&
		    (due > c.to || (due < c.from && s != NULL &&
		    task_state_closed(s->state))))
			continue;
		/* Sort key: positions from the root down. */
		for (p = &ts[i]; p != NULL && guard++ < TASK_DEPTH_MAX + 1;
		    p = p->parent_id ? task_find(ts, n, p->parent_id) : NULL)
			path = arena_printf(r->a, "%010lld.%s",
			    (long long)p->position, path);
		xs[k].t = &ts[i];
		xs[k].tc = tc;
		xs[k].evpos = (size_t)(tc - c.ru.evs);
		xs[k].path = path;
		inc[i] = 1;
		k++;
	}
	qsort(xs, k, sizeof(*xs), xtask_cmp);
	if (begin(r, &c, "tasks") != 0)
		return 503;
	W_START(&c, "tasks");
	for (j = 0; j < k; j++) {
		const struct task *t = xs[j].t;
		const struct tctx *tc = xs[j].tc;
		const struct task_status *s = taskstatus_find(tc->st, tc->nst,
		    t->status_id);
		const struct task_phase *ph = taskphase_find(tc->ph, tc->nph,
		    t->phase_id);
		const struct task *parent = t->parent_id ?
		    task_find(ts, n, t->parent_id) : NULL;
		size_t		 q;

		W_START(&c, "task");
		w_int_attr(&c, "id", t->id);
		W_ATTR(&c, "guid", t->uuid);
		W_ATTR(&c, "event", tc->c.ev.uuid);
		/* Only a parent in this document (no dangling reference). */
		if (parent && inc[parent - ts])
			W_ATTR(&c, "parent", parent->uuid);
		W_ATTR(&c, "state", xml_state(s ? s->state : TS_TO_DO));
		W_ATTR(&c, "priority", t->priority);
		W_ATTR(&c, "updated", t->updated_at);
		if (t->start_date)
			W_ATTR(&c, "start", task_when(b, sizeof(b),
			    tc->c.ev.timezone, t->start_date, t->start_time));
		if (t->due_date)
			W_ATTR(&c, "due", task_when(b, sizeof(b),
			    tc->c.ev.timezone, t->due_date, t->due_time));
		w_text_el(r, &c, "title", t->name);
		W_START(&c, "status");
		W_ATTR(&c, "name", clean(r, s ? s->name : "To Do"));
		W_ATTR(&c, "color", colour_hex(s ? s->colour : NULL));
		W_END(&c);
		if (ph != NULL)
			w_text_el(r, &c, "phase", ph->name);
		for (q = 0; q < t->npeople; q++) {
			const struct task_person *p = &t->people[q];
			const struct named *nm = p->user_id ?
			    named_find(&c.users, p->user_id) :
			    named_find(&c.collabs, p->collab_id);

			if (nm == NULL || p->role != TR_ASSIGNEE)
				continue;
			W_START(&c, "assignee");
			W_ATTR(&c, "kind", p->user_id ? "user" :
			    "collaborator");
			W_ATTR(&c, "guid", nm->uuid);
			xmlTextWriterWriteString(c.w, BAD_CAST clean(r,
			    p->name));
			W_END(&c);
		}
		for (q = 0; q < t->npeople; q++) {
			const struct task_person *p = &t->people[q];
			const struct named *nm = named_find(&c.users,
			    p->user_id);

			if (nm == NULL || p->role != TR_REVIEWER)
				continue;
			W_START(&c, "reviewer");
			W_ATTR(&c, "guid", nm->uuid);
			xmlTextWriterWriteString(c.w, BAD_CAST clean(r,
			    p->name));
			W_END(&c);
		}
		for (q = 0; q < t->nareas; q++) {
			const struct named *nm = named_find(&c.areas,
			    t->areas[q].area_id);

			if (nm == NULL)
				continue;
			W_START(&c, "area_ref");
			W_ATTR(&c, "area", nm->uuid);
			W_END(&c);
		}
		W_END(&c);
	}
	W_END(&c);
	return finish(r, &c);
}
