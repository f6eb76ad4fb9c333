/* feeds.c — iCalendar feeds under /feeds/<token>/calendar.ics, the
 * Subscribe control of the calendar pages, and Account → Feeds (FEEDS.md
 * §2–§5, PRODUCT §16).
 *
 * Every fetch re-checks the token owner's current standing with the same
 * inputs as the app's pages: the event facts and grants eventctx.c reads,
 * judged by policy/perm.c; an activity is visible by the rule of
 * actperm.c (act_visible): global, the owner takes part directly or
 * through their collaborator, or schedule view through the Event domain,
 * a participating collaborator or a tagged area. An owner who lost the
 * scope gets the token revoked (access_lost) and the same 404 as an
 * unknown token.
 *
 * Work per fetch is a fixed number of queries (token, owner, scope, facts,
 * grants, events, three for the activities, one for their revision
 * columns): the rows are read once and each VEVENT is written into the
 * response buffer and freed at once.
 *
 * Logging: the route template ("GET /feeds/{token}/calendar.ics"), the
 * token id and hint; the path as received never reaches the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "deny.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/util.h"
#include "core/valid.h"
#include "db/db.h"
#include "calendar.h"
#include "eventctx.h"
#include "actperm.h"
#include "feeds.h"
#include "model/activity.h"
#include "model/audit.h"
#include "model/feedtoken.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/ical.h"
#include "render/view.h"
#include "rollup.h"
#include "model/task.h"
#include "model/taskconf.h"

#define FEED_ITEMS_MAX	5000	/* VEVENTs per response (§3.10) */
#define RETAIN_DAYS	30	/* skipped occurrences as components (§3.6) */
#define FUTURE_NONE	36600	/* "unlimited" future window, in days */
#define NOT_FOUND	"Not found"

static struct dbq q_area = DBQ(
    "SELECT event_id, name FROM areas WHERE id = ?");
static struct dbq q_collab = DBQ(
    "SELECT event_id, name FROM collaborators WHERE id = ?");
/* Revision columns (FEEDS §1) the activity model does not read. */
static struct dbq q_rev_event = DBQ(
    "SELECT id, sequence, DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM activities"
    " WHERE event_id = ? ORDER BY id");
static struct dbq q_rev_user = DBQ(
    "SELECT a.id, a.sequence,"
    " DATE_FORMAT(a.updated_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM activities a"
    " JOIN event_users eu ON eu.event_id = a.event_id AND eu.user_id = ?"
    " ORDER BY a.id");

/* Membership of an organization: kind personal and its owner, or a
 * member of a team organization. */
static struct dbq q_org_member = DBQ(
    "SELECT o.kind = 'personal', o.name, (o.kind = 'personal' AND"
    " o.personal_user_id = ?) OR EXISTS (SELECT 1 FROM org_members m"
    " WHERE m.org_id = o.id AND m.user_id = ?) FROM orgs o WHERE o.id = ?");
static struct dbq q_rev_org = DBQ(
    "SELECT a.id, a.sequence,"
    " DATE_FORMAT(a.updated_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM activities a"
    " JOIN events e ON e.id = a.event_id AND e.org_id = ? ORDER BY a.id");

/* The event and the owner's standing and grants (eventctx): 1 the owner
 * may enter the event, 0 not (or no such event), -1 database error. */
static int
load_actor(struct req *r, int64_t uid, int64_t evid, struct event_ctx *c)
{
	int	 rc;

	if ((rc = event_ctx_load(r, uid, evid, c)) <= 0)
		return rc;
	return perm_can_enter(&c->actor) ? 1 : 0;
}

/* --- visibility: the rules of schedule.c ---------------------------------- */

/* A collaborator's calendar: schedule view covering it, or it is the
 * user's own collaborator (schedule.c collab_viewable). */
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

int
feeds_may_subscribe(const struct event_ctx *c, const char *kind, int64_t id)
{
	if (strcmp(kind, "area") == 0)
		return area_viewable(c, id);
	if (strcmp(kind, "collaborator") == 0)
		return collab_viewable(c, id);
	return strcmp(kind, "event") == 0;
}

/* --- scopes (§2) ----------------------------------------------------------- */

struct scope {
	const char	*kind;
	int64_t		 id;
	struct event_ctx c;		/* one-event scopes */
	int		 one_event;
	int		 org;		/* org_schedule, org_tasks */
	int		 tasks;		/* org_tasks */
	int64_t		 scope_org;	/* its org; 0 for "My work" */
	char		*title;
	char		*page;		/* the scope's page, path only */
	char		*slug;		/* Content-Disposition name */
};

static int
name_and_event(struct dbq *q, int64_t id, int64_t *ev, char **name)
{
	int	 rc;

	if (db_select(q, "i", id) != 0)
		return -1;
	rc = db_fetch(q, "is", ev, name);
	db_done(q);
	return rc;
}

static const char *
slug_of(struct req *r, const char *s)
{
	char	*o = arena_strdup(r->a, s ? s : "calendar"), *p;

	for (p = o; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			*p = '_';
	return *o ? o : "calendar";
}

/* Does the user currently hold what the scope needs? 1 yes (s filled),
 * 0 no or no such object, -1 database error. */
static int
scope_check(struct req *r, const struct user *u, const char *kind,
    int64_t id, struct scope *s)
{
	int64_t	 ev = id;
	char	*name = NULL;
	int	 rc;

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->id = id;
	if (!u->active)
		return 0;
	if (strcmp(kind, "personal") == 0) {
		if (!u->verified)
			return 0;
		if (id == 0) {
			s->title = arena_strdup(r->a, "BackOps – My schedule");
			s->page = arena_strdup(r->a, "/calendar");
			s->slug = arena_strdup(r->a, "my-schedule");
			return 1;
		}
	} else if (strcmp(kind, "area") == 0) {
		if ((rc = name_and_event(&q_area, id, &ev, &name)) <= 0)
			return rc;
	} else if (strcmp(kind, "collaborator") == 0) {
		if ((rc = name_and_event(&q_collab, id, &ev, &name)) <= 0)
			return rc;
	} else if (strcmp(kind, "org_schedule") == 0 ||
	    strcmp(kind, "org_tasks") == 0) {
		int64_t	 personal = 0, member = 0;
		int	 tasks = strcmp(kind, "org_tasks") == 0;

		/* The combined schedule (PRODUCT §15): any member. */
		if (db_select(&q_org_member, "iii", u->id, u->id, id) != 0)
			return -1;
		rc = db_fetch(&q_org_member, "isi", &personal, &name, &member);
		db_done(&q_org_member);
		if (rc <= 0 || !member)
			return rc < 0 ? -1 : 0;
		s->org = 1;
		s->scope_org = personal ? 0 : id;
		s->tasks = tasks;
		s->title = arena_printf(r->a, "%s – %s", personal ?
		    "BackOps – My work" : name, tasks ? "Task due dates" :
		    "Combined schedule");
		s->page = arena_printf(r->a, "/orgs/%lld/%s", (long long)id,
		    tasks ? "tasks" : "schedule");
		s->slug = (char *)slug_of(r, arena_printf(r->a, "%s-%s",
		    personal ? "my-work" : name, tasks ? "tasks" : "schedule"));
		return 1;
	} else if (strcmp(kind, "event") != 0)
		return 0;
	if ((rc = load_actor(r, u->id, ev, &s->c)) <= 0)
		return rc;
	s->one_event = 1;
	s->slug = (char *)slug_of(r, s->c.ev.code);
	if (strcmp(kind, "personal") == 0) {
		if (!s->c.actor.event_user)
			return 0;
		s->title = arena_printf(r->a, "%s – My schedule", s->c.ev.name);
		s->page = arena_strdup(r->a, "/calendar");
	} else if (strcmp(kind, "event") == 0) {
		s->title = s->c.ev.name;
		s->page = arena_printf(r->a, "/events/%lld/schedule",
		    (long long)ev);
	} else if (strcmp(kind, "area") == 0) {
		if (!area_viewable(&s->c, id))
			return 0;
		s->title = arena_printf(r->a, "%s · %s", s->c.ev.name, name);
		s->page = arena_printf(r->a, "/events/%lld/areas/%lld",
		    (long long)ev, (long long)id);
	} else {
		if (!collab_viewable(&s->c, id))
			return 0;
		s->title = arena_printf(r->a, "%s · %s", s->c.ev.name, name);
		s->page = arena_printf(r->a, "/events/%lld/collaborators/%lld",
		    (long long)ev, (long long)id);
	}
	return 1;
}

/* --- the feed -------------------------------------------------------------- */

static void
feed_headers(struct req *r)
{
	resp_header(r, "Referrer-Policy", "no-referrer");
	resp_header(r, "X-Robots-Tag", "noindex, nofollow");
	resp_header(r, "Cache-Control", "private, no-cache");
}

/* Unknown, revoked and no-longer-authorized: the same bytes (§4). */
static int
feed_404(struct req *r)
{
	buf_reset(&r->hdr);
	feed_headers(r);
	return render_text(r, 404, "text/plain; charset=utf-8", NOT_FOUND,
	    strlen(NOT_FOUND));
}

static int
feed_400(struct req *r, const char *msg)
{
	buf_reset(&r->hdr);
	feed_headers(r);
	return render_text(r, 400, "text/plain; charset=utf-8", msg,
	    strlen(msg));
}

/* A window parameter: absent (default), or one integer in [lo, hi]. 0,
 * or -1 when bad or repeated. */
static int
window_param(struct req *r, const char *name, int64_t lo, int64_t hi,
    int64_t *val)
{
	size_t	 i, seen = 0;
	char	*end;
	long long n;

	for (i = 0; i < r->params.n; i++) {
		if (strcmp(r->params.v[i].name, name) != 0)
			continue;
		if (++seen > 1)
			return -1;
		n = strtoll(r->params.v[i].value, &end, 10);
		if (r->params.v[i].value[0] == '\0' || *end != '\0' ||
		    n < lo || n > hi)
			return -1;
		*val = n;
	}
	return 0;
}

struct rev {
	int64_t		 id, sequence, updated, created;
};

static int
rev_cmp(const void *k, const void *e)
{
	int64_t	 id = *(const int64_t *)k;
	const struct rev *v = e;

	return id < v->id ? -1 : id > v->id;
}

static struct rev *
rev_load(struct req *r, struct dbq *q, int64_t key, size_t *n)
{
	struct rev	*v = NULL, x;
	size_t		 cap = 0;
	char		*upd, *cre;
	int		 rc;

	*n = 0;
	if (db_select(q, "i", key) != 0)
		return NULL;
	while ((rc = db_fetch(q, "iiss", &x.id, &x.sequence, &upd, &cre)) ==
	    1) {
		x.updated = tz_stamp_secs(upd);
		x.created = tz_stamp_secs(cre);
		v = arena_grow(r->a, v, *n, &cap, sizeof(*v));
		v[(*n)++] = x;
	}
	db_done(q);
	if (rc < 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return v;
}

/* One activity chosen for the feed, with its event's zone and name; or
 * one exception component of a series (x set, FEEDS §3.4). */
struct pick {
	const struct activity *a;
	const char	*tz;
	const char	*event_name;
	int64_t		 key;		/* start instant, for the order */
	const struct rev *rev;
	/* series: skipped occurrences past retention (EXDATE, §3.6) */
	int64_t		*exdates;
	size_t		 nexdates;
	/* exception: the occurrence as it now is */
	const struct act_exception *x;
	int64_t		 rid;		/* original start (all-day: day) */
	int64_t		 start, end;	/* timed: instants; all-day: days */
	const char	*name, *location;
	int		 cancelled;
};

static int
pick_cmp(const void *x, const void *y)
{
	const struct pick *a = x, *b = y;
	int		 c;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if ((c = strcmp(a->a->uuid, b->a->uuid)) != 0)
		return c;
	/* The series before its exceptions, those by RECURRENCE-ID. */
	if ((a->x != NULL) != (b->x != NULL))
		return a->x == NULL ? -1 : 1;
	return a->rid < b->rid ? -1 : a->rid > b->rid;
}

static void
join_names(struct buf *b, const struct activity *a, int organizers)
{
	size_t	 i;
	int	 first = 1;

	for (i = 0; i < a->nparts; i++) {
		if ((a->parts[i].organizer != 0) != organizers ||
		    a->parts[i].name == NULL)
			continue;
		if (first)
			buf_puts(b, organizers ? "Organizers: " :
			    "Participants: ");
		else
			buf_puts(b, ", ");
		buf_puts(b, a->parts[i].name);
		first = 0;
	}
	if (!first)
		buf_putc(b, '\n');
}

static void
write_item(struct req *r, struct buf *out, const struct pick *p,
    int multi)
{
	const struct activity	*a = p->a;
	struct ical_item	 it;
	struct buf		 loc, desc;
	char			*url;
	size_t			 i;
	int64_t			 d;

	memset(&it, 0, sizeof(it));
	buf_init(&loc);
	buf_init(&desc);
	url = arena_printf(r->a, "%s/events/%lld/activities/%lld",
	    cfg->base_url, (long long)a->event_id, (long long)a->id);
	const struct act_exception *x = p->x;
	const char		*name = x ? p->name : a->name;
	const char		*where = x ? p->location : a->location;
	int			 cancelled = x ? p->cancelled : a->cancelled;

	it.uid = a->uuid;
	it.tzid = p->tz;
	it.all_day = a->all_day;
	if (x != NULL) {
		/* An exception: every property, its own times, no rule. */
		it.has_rid = 1;
		it.rid = p->rid;
		if (a->all_day) {
			it.first_day = p->start;
			it.last_day = p->end;
		} else {
			it.start_utc = p->start;
			it.end_utc = p->end;
		}
	} else if (a->all_day) {
		tz_parse_date(a->start_date, &it.first_day);
		tz_parse_date(a->end_date ? a->end_date : a->start_date,
		    &it.last_day);
	} else {
		it.start_utc = tz_stamp_secs(a->start_utc);
		it.end_utc = tz_stamp_secs(a->end_utc);
	}
	if (a->rec_freq != NULL && x == NULL) {
		it.freq = a->rec_freq;
		it.interval = (int)a->rec_interval;
		it.weekdays = (unsigned)a->rec_weekdays;
		it.until = a->rec_until != NULL &&
		    tz_parse_date(a->rec_until, &d) == 0 ? d : -1;
		it.exdates = p->exdates;
		it.nexdates = p->nexdates;
	}
	if (x != NULL) {
		it.sequence = x->sequence;
		it.stamp = tz_stamp_secs(x->updated_at);
		it.created = tz_stamp_secs(x->created_at);
	} else {
		it.sequence = p->rev ? p->rev->sequence : 0;
		it.stamp = p->rev ? p->rev->updated : 0;
		it.created = p->rev ? p->rev->created : 0;
	}
	it.summary = cancelled ? arena_printf(r->a, "[Cancelled] %s",
	    name) : name;
	for (i = 0; i < a->nareas; i++) {
		if (loc.len)
			buf_puts(&loc, ", ");
		buf_puts(&loc, a->areas[i].name);
	}
	if (where != NULL && where[0] != '\0') {
		if (loc.len)
			buf_puts(&loc, ", ");
		buf_puts(&loc, where);
	}
	it.location = buf_cstr(&loc);
	if (a->description != NULL && a->description[0] != '\0') {
		buf_puts(&desc, a->description);
		buf_puts(&desc, "\n\n");
	}
	join_names(&desc, a, 1);
	join_names(&desc, a, 0);
	if (multi) {
		buf_puts(&desc, "Event: ");
		buf_puts(&desc, p->event_name);
		buf_putc(&desc, '\n');
	}
	buf_puts(&desc, url);
	it.description = buf_cstr(&desc);
	it.url = url;
	it.cancelled = cancelled;
	it.transparent = a->all_day || strcmp(a->kind, "time_frame") == 0;
	ical_event(out, &it);
	buf_free(&loc);
	buf_free(&desc);
}

/* The order key of a local day: 00:00 in the zone. */
static int64_t
day_key(int64_t d, const char *tz)
{
	int64_t	 t;

	if (ical_zone_is_utc(tz) || tz_local_to_utc(tz, d * 86400, &t) !=
	    TZ_OK)
		return d * 86400;
	return t;
}

/* The exceptions of the series picked at ps[si]: a component each
 * (§3.4) after the picks so far, except skipped occurrences cancelled
 * more than RETAIN_DAYS ago, which become EXDATEs of the series (§3.6).
 * Exceptions that no longer match an occurrence are left out. Returns
 * the number of picks added. */
static size_t
exception_picks(struct req *r, struct pick *ps, size_t si, int64_t today)
{
	struct pick	*s = &ps[si];
	const struct activity *a = s->a;
	size_t		 i, added = 0;

	s->exdates = arena_calloc(r->a, a->nexcs, sizeof(*s->exdates));
	for (i = 0; i < a->nexcs; i++) {
		const struct act_exception *x = &a->excs[i];
		struct pick	*p;
		struct occ	 o;

		if (sched_occurrence(a, s->tz, x->day, &o) != 0)
			continue;
		if (x->cancelled && tz_stamp_secs(x->updated_at) <
		    (today - RETAIN_DAYS) * 86400) {
			s->exdates[s->nexdates++] = o.orig_start;
			continue;
		}
		p = &ps[si + 1 + added++];
		*p = *s;
		p->exdates = NULL;
		p->nexdates = 0;
		p->x = x;
		p->rid = o.orig_start;
		p->start = o.start;
		p->end = o.end;
		p->name = o.name;
		p->location = o.location;
		p->cancelled = o.cancelled;
		p->key = a->all_day ? day_key(o.start, s->tz) : o.start;
	}
	return added;
}

/* The order key: the start instant, all-day items at 00:00 in their
 * event's zone. */
static int64_t
start_key(const struct activity *a, const char *tz)
{
	int64_t	 d, t;

	if (!a->all_day)
		return tz_stamp_secs(a->start_utc);
	if (tz_parse_date(a->start_date, &d) != 0)
		return 0;
	if (ical_zone_is_utc(tz) || tz_local_to_utc(tz, d * 86400, &t) !=
	    TZ_OK)
		return d * 86400;
	return t;
}

static int
in_area(const struct activity *a, int64_t area)
{
	size_t	 i;

	for (i = 0; i < a->nareas; i++)
		if (a->areas[i].area_id == area)
			return 1;
	return 0;
}

static int
has_collab(const struct activity *a, int64_t collab)
{
	size_t	 i;

	for (i = 0; i < a->nparts; i++)
		if (a->parts[i].collab_id == collab)
			return 1;
	return 0;
}

static void
http_date(int64_t t, char *out, size_t sz)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(out, sz, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static int
etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return 0;
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

/* The conditional request holds (§4): If-None-Match names the ETag or,
 * only without it, If-Modified-Since is not before Last-Modified. */
static int
not_modified(struct req *r, const char *etag, int64_t last_mod)
{
	struct tm	 tm;
	const char	*end;

	if (r->if_none_match != NULL)
		return etag_matches(r->if_none_match, etag);
	if (r->if_modified_since == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(r->if_modified_since, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return end != NULL && *end == '\0' && (int64_t)timegm(&tm) >= last_mod;
}

/* The window and layout asked for (§3.10): 0, or -1 with the message
 * of the 400 in *err. */
static int
read_window(struct req *r, int64_t *past, int64_t *future, const char **err)
{
	const char	*layout = NULL;
	size_t		 i;

	*past = 30;
	*future = -1;
	for (i = 0; i < r->params.n; i++)
		if (strcmp(r->params.v[i].name, "layout") == 0) {
			if (layout != NULL) {
				*err = "layout: given twice";
				return -1;
			}
			layout = r->params.v[i].value;
		}
	if (layout != NULL && strcmp(layout, "activities") != 0) {
		*err = "layout: only activities is offered";
		return -1;
	}
	if (window_param(r, "past_days", 0, 366, past) != 0) {
		*err = "past_days: a whole number from 0 to 366";
		return -1;
	}
	if (window_param(r, "future_days", 1, 3660, future) != 0) {
		*err = "future_days: a whole number from 1 to 3660";
		return -1;
	}
	return 0;
}

/* The key a body is remembered under (0018): the build (a new one may
 * write feeds differently), the day (the window and the retention of
 * cancelled items move with it) and the window. Changes to what the feed
 * shows forget the key instead (0021). "" when the body is never
 * remembered: such feeds are made every time. */
static void
cache_key_of(struct req *r, const struct feedtoken *t, int64_t today,
    int64_t past, int64_t future, char out[33])
{
	unsigned char	 sha[crypto_hash_sha256_BYTES];
	char		 hex[65];
	const char	*in;

	out[0] = '\0';
	if (!t->cacheable)
		return;
	in = arena_printf(r->a, "%s|%lld|%lld|%lld", build_stamp(),
	    (long long)today, (long long)past, (long long)future);
	crypto_hash_sha256(sha, (const unsigned char *)in, strlen(in));
	sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
	snprintf(out, 33, "%.32s", hex);
}

/* 304 straight from the token row: its key is the one the last body
 * was made under and the request's validator matches that body's. */
static int
answer_cached(struct req *r, const struct feedtoken *t, const char *key)
{
	char	 etag[40], date[40];

	if (*key == '\0' || t->cache_key == NULL || t->cache_etag == NULL ||
	    strcmp(key, t->cache_key) != 0)
		return 0;
	snprintf(etag, sizeof(etag), "\"%s\"", t->cache_etag);
	if (!not_modified(r, etag, t->cache_modified))
		return 0;
	if (t->touch_due)
		(void)feedtoken_touch(r, t->id, r->remote_addr, -1);
	http_date(t->cache_modified, date, sizeof(date));
	buf_reset(&r->hdr);
	feed_headers(r);
	resp_header(r, "ETag", etag);
	resp_header(r, "Last-Modified", date);
	return render_text(r, 304, NULL, NULL, 0);
}

/* Send the calendar in r->out (200, or 304 when the request's validator
 * matches), remembering its ETag under key for the next request if the
 * request's claim still stands. */
static int
send_ics(struct req *r, const struct feedtoken *t, const char *key,
    const char *slug, int64_t last_mod, int truncated)
{
	unsigned char	 sha[crypto_hash_sha256_BYTES];
	char		 etag[40], hex[65], date[40];
	struct buf	*out = r->out;

	crypto_hash_sha256(sha, (const unsigned char *)out->p, out->len);
	sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
	hex[32] = '\0';
	snprintf(etag, sizeof(etag), "\"%.32s\"", hex);
	http_date(last_mod, date, sizeof(date));
#ifdef TEST_HOOKS
	/* Test builds: the body is made but not yet remembered, so that a
	 * test can commit a write (or make the body again) meanwhile. */
	sleep(req_test_pause(r, "cache-pause"));
#endif
	if (*key != '\0')
		(void)feedtoken_cache(r, t, key, hex, last_mod);
	if (t->touch_due)
		(void)feedtoken_touch(r, t->id, r->remote_addr, truncated);
	buf_reset(&r->hdr);
	feed_headers(r);
	resp_header(r, "ETag", etag);
	resp_header(r, "Last-Modified", date);
	if (not_modified(r, etag, last_mod))
		return render_text(r, 304, NULL, NULL, 0);
	resp_header(r, "Content-Disposition", arena_printf(r->a,
	    "attachment; filename=\"%s.ics\"", slug));
	if (truncated)
		resp_header(r, "X-BackOps-Truncated", "1");
	return render_text(r, 200, "text/calendar; charset=utf-8", out->p,
	    out->len);
}

/* Revoke a token whose owner lost the scope (§5.3, actor system). */
static void
revoke_lost(struct req *r, const struct feedtoken *t)
{
	json_object	*ch = json_object_new_object();

	json_object_object_add(ch, "reason",
	    json_object_new_string("access_lost"));
	json_object_object_add(ch, "scope_kind",
	    json_object_new_string(t->scope_kind));
	json_object_object_add(ch, "scope_id",
	    json_object_new_int64(t->scope_id));
	if (db_begin() != 0)
		goto out;
	if (feedtoken_revoke(r, 0, t->id, "access_lost") < 0 ||
	    audit_as(r, 0, 0, 0, "feed.revoked", "feed_token", t->id, t->hint,
	    ch) != 0 || db_commit() != 0)
		db_rollback();
out:
	json_object_put(ch);
	log_msg(LOG_INFO, "decision=deny reason=feed_access_lost feed=%lld",
	    (long long)t->id);
}

/* The org_tasks feed (FEEDS §3.7): one all-day VEVENT on the due date of
 * every task the owner may see in the roll-up's events, Archived ones
 * left out; the window applies to due dates, open tasks past due stay
 * in. Answers like the activity feeds (ETag, 304). */
static int
tasks_feed(struct req *r, const struct feedtoken *t, const char *key,
    const struct user *owner, const struct scope *s, int64_t from,
    int64_t to)
{
	struct rollup		 ru;
	struct task		*ts;
	struct ical_cal		 cal;
	struct buf		*out = r->out;
	long			 n, i;
	int64_t			 last_mod = t->created, due;
	size_t			 count = 0, k;

	memset(&ru, 0, sizeof(ru));
	if (rollup_build(r, s->scope_org, 1, &ru) != 0 ||
	    ((ts = task_list_scope(r, s->scope_org, owner->id, &n)) == NULL &&
	    n < 0))
		return 503;
	memset(&cal, 0, sizeof(cal));
	cal.name = s->title;
	cal.tz_hint = owner->timezone;
	cal.url = arena_printf(r->a, "%s%s", cfg->base_url, s->page);
	cal.refresh_min = 60;
	buf_reset(out);
	ical_begin(out, &cal);
	for (i = 0; i < n && count < FEED_ITEMS_MAX; i++) {
		const struct tctx *tc = rollup_event(&ru, ts[i].event_id);
		const struct task_status *st;
		struct ical_item it;
		struct buf	 desc;
		char		*url;
		int		 closed;

		if (tc == NULL || ts[i].due_date == NULL ||
		    tz_parse_date(ts[i].due_date, &due) != 0 ||
		    !task_visible(tc, &ts[i]))
			continue;
		st = taskstatus_find(tc->st, tc->nst, ts[i].status_id);
		if (st != NULL && st->state == TS_ARCHIVED)
			continue;
		closed = st != NULL && task_state_closed(st->state);
		if (due > to || (due < from && closed))
			continue;
		url = arena_printf(r->a, "%s/events/%lld/tasks/%lld",
		    cfg->base_url, (long long)ts[i].event_id,
		    (long long)ts[i].id);
		buf_init(&desc);
		buf_printf(&desc, "Event: %s\nStatus: %s\n", tc->c.ev.name,
		    st ? st->name : "");
		for (k = 0; k < ts[i].npeople; k++)
			if (ts[i].people[k].role == TR_ASSIGNEE)
				buf_printf(&desc, "Assignee: %s\n",
				    ts[i].people[k].name ?
				    ts[i].people[k].name : "");
		if (ts[i].due_time)
			buf_printf(&desc, "Due at %s (%s)\n", ts[i].due_time,
			    tc->c.ev.timezone);
		buf_puts(&desc, url);
		memset(&it, 0, sizeof(it));
		it.uid = ts[i].uuid;
		it.tzid = tc->c.ev.timezone;
		it.all_day = 1;
		it.first_day = it.last_day = due;
		it.sequence = ts[i].version - 1;
		it.stamp = tz_stamp_secs(ts[i].updated_at);
		it.created = tz_stamp_secs(ts[i].created_at);
		it.summary = arena_printf(r->a, "%sDue: %s",
		    st && st->state == TS_DONE ? "[Done] " : "", ts[i].name);
		it.description = buf_cstr(&desc);
		it.url = url;
		it.transparent = 1;
		ical_event(out, &it);
		buf_free(&desc);
		if (it.stamp > last_mod)
			last_mod = it.stamp;
		count++;
	}
	ical_end(out);
	return send_ics(r, t, key, s->slug, last_mod, 0);
}

/* GET|HEAD /feeds/{token}/calendar.ics — 200, 304, 400 bad window, 404
 * unknown/revoked/unauthorized (one body), 503. */
int
h_feed_ics(struct req *r)
{
	unsigned char		 h[TOKEN_HASH_LEN];
	struct feedtoken	 t;
	struct user		 owner;
	struct scope		 s;
	struct act_range	 rg;
	struct activity		*as;
	struct act_event	*evs = NULL;
	struct event_ctx	*ctxs = NULL;
	size_t			 nctx = 0;
	struct pick		*ps;
	struct rev		*revs;
	struct ical_cal		 cal;
	struct buf		*out = r->out;
	size_t			 nevs = 0, nrevs, np = 0, nx, i, k;
	long			 n = 0;
	int64_t			 past = 30, future = -1, today, last_mod,
				 zmin[64];
	const char		*zones[64], *err = NULL;
	size_t			 nz = 0;
	char			 key[33] = "";
	int			 rc, truncated = 0, multi = 0;

	if (token_hash(FEED_PREFIX, req_pathvar(r, 0), h) != 0)
		return feed_404(r);
	if ((rc = feedtoken_by_hash(r, h, &t)) < 0)
		return 503;
	if (rc == 0)
		return feed_404(r);
	/* On the request's closing line: one line per poll (FEEDS §5.5). */
	r->log_extra = arena_printf(r->a, "feed=%lld hint=%s scope=%s:%lld",
	    (long long)t.id, t.hint, t.scope_kind, (long long)t.scope_id);
	today = (int64_t)(time(NULL) / 86400);
	/* Nothing changed since the last body was made: 304 from the token
	 * row (a bad window goes the long way, to its 400 after the access
	 * checks). */
	if (read_window(r, &past, &future, &err) == 0) {
		cache_key_of(r, &t, today, past, future, key);
		if ((rc = answer_cached(r, &t, key)) != 0)
			return rc;
	}
	/* The long way. A body remembered under this key is current (the
	 * client just lacks it); otherwise claim the cache before anything
	 * the body is made of is read, so that a write committed from here
	 * on keeps it from being remembered. */
	if (*key != '\0' && (t.cache_key == NULL ||
	    strcmp(t.cache_key, key) != 0))
		(void)feedtoken_claim(r, &t);
	if ((rc = user_by_id(r, t.owner_id, &owner)) < 0)
		return 503;
	if (rc == 0 || !owner.active)
		return feed_404(r);
	r->user = &owner;
	if ((rc = scope_check(r, &owner, t.scope_kind, t.scope_id, &s)) < 0)
		return 503;
	if (rc == 0) {
		revoke_lost(r, &t);
		return feed_404(r);
	}

	/* Window and layout (§3.10), only after the token was accepted. */
	if (err != NULL)
		return feed_400(r, err);
	activity_range(today - past, future < 0 ? today + FUTURE_NONE :
	    today + future, s.one_event ? s.c.ev.timezone : NULL, &rg);

	if (s.tasks)
		return tasks_feed(r, &t, key, &owner, &s, today - past,
		    future < 0 ? today + FUTURE_NONE : today + future);

	/* Rows: three queries for the activities, one for their revision
	 * columns, one for the user's events (personal scope). */
	if (s.one_event) {
		as = activity_list_range(r, s.c.ev.id, &rg, &n);
		revs = rev_load(r, &q_rev_event, s.c.ev.id, &nrevs);
	} else if (s.org) {
		/* Events the owner may enter now, with their standing
		 * (taking part decides, no grant). */
		ctxs = event_ctx_scope(r, s.scope_org, SEC_SCHEDULE, &nctx);
		as = s.scope_org ? activity_list_org(r, s.scope_org, owner.id,
		    &rg, &n) : activity_list_personal(r, owner.id, &rg, &n);
		revs = s.scope_org ? rev_load(r, &q_rev_org, s.scope_org,
		    &nrevs) : rev_load(r, &q_rev_user, owner.id, &nrevs);
		multi = 1;
	} else {
		as = activity_list_personal(r, owner.id, &rg, &n);
		revs = rev_load(r, &q_rev_user, owner.id, &nrevs);
		evs = activity_my_events(r, owner.id, &nevs);
		multi = 1;
	}
	if (n < 0 || nrevs == (size_t)-1 || nevs == (size_t)-1 ||
	    nctx == (size_t)-1)
		return 503;
	for (i = 0, nx = 0; i < (size_t)n; i++)
		nx += as[i].nexcs;
	ps = arena_calloc(r->a, (size_t)n + nx + 1, sizeof(*ps));
	for (i = 0; i < (size_t)n; i++) {
		const struct activity	*a = &as[i];
		const char		*tz = s.c.ev.timezone, *evname =
		    s.c.ev.name;

		if (s.org) {
			/* Global ones and the owner's own, of events they
			 * may enter; each in its event's zone. */
			for (k = 0; k < nctx && ctxs[k].ev.id != a->event_id;
			    k++)
				;
			if (k == nctx || !(a->is_global ||
			    act_takes_part(&ctxs[k], owner.id, a)))
				continue;
			tz = ctxs[k].ev.timezone;
			evname = ctxs[k].ev.name;
		} else if (s.one_event) {
			if (strcmp(s.kind, "personal") == 0 ?
			    !(a->is_global || act_takes_part(&s.c, owner.id, a)) :
			    !act_visible(&s.c, owner.id, a))
				continue;
			if (strcmp(s.kind, "area") == 0 && !in_area(a, s.id))
				continue;
			if (strcmp(s.kind, "collaborator") == 0 &&
			    !has_collab(a, s.id))
				continue;
		} else {
			/* Personal across events: non-archived ones only. */
			for (k = 0; k < nevs && evs[k].id != a->event_id; k++)
				;
			if (k == nevs || evs[k].archived)
				continue;
			tz = evs[k].timezone;
			evname = evs[k].name;
		}
		ps[np].a = a;
		ps[np].tz = tz;
		ps[np].event_name = evname;
		ps[np].key = start_key(a, tz);
		ps[np].rev = nrevs ? bsearch(&a->id, revs, nrevs,
		    sizeof(*revs), rev_cmp) : NULL;
		np++;
		if (a->nexcs > 0)
			np += exception_picks(r, ps, np - 1, today);
	}
	qsort(ps, np, sizeof(*ps), pick_cmp);
	if (np > FEED_ITEMS_MAX) {
		np = FEED_ITEMS_MAX;
		truncated = 1;
	}

	/* Zones in use and the earliest time written in each. */
	last_mod = t.created;
	for (i = 0; i < np; i++) {
		int64_t	 early = ps[i].key;

		if (ps[i].x == NULL && ps[i].rev && ps[i].rev->updated >
		    last_mod)
			last_mod = ps[i].rev->updated;
		if (ps[i].x != NULL && tz_stamp_secs(ps[i].x->updated_at) >
		    last_mod)
			last_mod = tz_stamp_secs(ps[i].x->updated_at);
		if (ps[i].a->all_day || ical_zone_is_utc(ps[i].tz))
			continue;
		if (ps[i].x != NULL && ps[i].rid < early)
			early = ps[i].rid;
		for (k = 0; k < nz && strcmp(zones[k], ps[i].tz) != 0; k++)
			;
		if (k == nz && nz < 64) {
			zones[nz] = ps[i].tz;
			zmin[nz++] = early;
		} else if (k < nz && early < zmin[k])
			zmin[k] = early;
	}
	/* VTIMEZONEs ordered by TZID (§3.3). */
	for (i = 1; i < nz; i++)
		for (k = i; k > 0 && strcmp(zones[k - 1], zones[k]) > 0; k--) {
			const char	*zt = zones[k];
			int64_t		 mt = zmin[k];

			zones[k] = zones[k - 1];
			zmin[k] = zmin[k - 1];
			zones[k - 1] = zt;
			zmin[k - 1] = mt;
		}

	memset(&cal, 0, sizeof(cal));
	cal.name = s.title;
	cal.tz_hint = s.one_event ? s.c.ev.timezone : owner.timezone;
	if (!s.one_event && nevs > 0) {
		/* The shared zone when every event uses one. */
		for (k = 1; k < nevs && strcmp(evs[k].timezone,
		    evs[0].timezone) == 0; k++)
			;
		if (k == nevs)
			cal.tz_hint = evs[0].timezone;
	}
	cal.url = arena_printf(r->a, "%s%s", cfg->base_url, s.page);
	cal.refresh_min = 60;
	buf_reset(out);
	ical_begin(out, &cal);
	for (i = 0; i < nz; i++)
		ical_vtimezone(out, zones[i], zmin[i]);
	for (i = 0; i < np; i++)
		write_item(r, out, &ps[i], multi);
	ical_end(out);
	return send_ics(r, &t, key, s.slug, last_mod, truncated);
}

/* --- SEQUENCE -------------------------------------------------------------- */

static struct dbq q_seq = DBQ(
    "UPDATE activities SET sequence = sequence + 1 WHERE id = ?"
    " AND event_id = ?");

/* "2027-07-10T06:00:00Z" (read) and "2027-07-10 06:00:00" (written) name
 * the same instant. */
static int
same_instant(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (*a != *b && !((*a == 'T' || *a == ' ') &&
		    (*b == 'T' || *b == ' ')))
			return 0;
	return (*a == '\0' || strcmp(a, "Z") == 0) &&
	    (*b == '\0' || strcmp(b, "Z") == 0);
}

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || *a == '\0')
		return b == NULL || *b == '\0';
	return b != NULL && strcmp(a, b) == 0;
}

static int
same_areas(const struct activity *old, const struct activity_fields *f)
{
	size_t	 i, k;

	if (old->nareas != f->nareas)
		return 0;
	for (i = 0; i < f->nareas; i++) {
		for (k = 0; k < old->nareas &&
		    old->areas[k].area_id != f->areas[i]; k++)
			;
		if (k == old->nareas)
			return 0;
	}
	return 1;
}

int
feeds_sequence_bump(struct req *r, int64_t ev, int64_t id,
    const struct activity *old, const struct activity_fields *f)
{
	(void)r;
	if (f != NULL && old->all_day == f->all_day &&
	    same_instant(old->start_utc, f->start_utc) &&
	    same_instant(old->end_utc, f->end_utc) &&
	    same_str(old->start_date, f->start_date) &&
	    same_str(old->end_date, f->end_date) &&
	    same_str(old->location, f->location) &&
	    same_str(old->rec_freq, f->rec_freq) &&
	    (old->rec_freq == NULL ||
	    (old->rec_interval == f->rec_interval &&
	    old->rec_weekdays == f->rec_weekdays &&
	    same_str(old->rec_until, f->rec_until))) && same_areas(old, f))
		return 0;
	return db_exec(&q_seq, "ii", id, ev) < 0 ? -1 : 0;
}

/* --- Subscribe, Account → Feeds -------------------------------------------- */

void
feeds_subscribe_into(struct req *r, json_object *v, const char *kind,
    int64_t scope_id)
{
	feeds_subscribe_known(r, v, kind, scope_id, -1);
}

void
feeds_subscribe_known(struct req *r, json_object *v, const char *kind,
    int64_t scope_id, int active)
{
	struct feedtoken	 t;
	json_object		*o;

	if (r->user == NULL || r->token_id != 0 || r->fmt != FMT_HTML)
		return;
	if (active < 0)
		active = feedtoken_for_scope(r, r->user->id, kind, scope_id,
		    &t) == 1;
	o = json_object_new_object();
	vset_str(o, "kind", kind);
	vset_int(o, "scope_id", scope_id);
	vset_bool(o, "active", active);
	vset_bool(o, "verified", r->user->verified);
	vset_obj(v, "subscribe", o);
}

static const char *
feed_url(struct req *r, const char *token)
{
	return arena_printf(r->a, "%s/feeds/%s/calendar.ics", cfg->base_url,
	    token);
}

static const char *
webcal_url(struct req *r, const char *https)
{
	const char	*p = strstr(https, "://");

	return arena_printf(r->a, "webcal://%s", p ? p + 3 : https);
}

/* The URL is shown once, on this page (§5.2): never cached, never sent
 * on as a referrer. */
static int
shown_once(struct req *r, int status, const struct scope *s,
    const char *token, int reset)
{
	json_object	*v = view_new(r);
	const char	*https = feed_url(r, token);

	resp_header(r, "Referrer-Policy", "no-referrer");
	resp_header(r, "Cache-Control", "no-store");
	vset_str(v, "title", s->title);
	vset_str(v, "https_url", https);
	vset_str(v, "webcal_url", webcal_url(r, https));
	vset_str(v, "page", s->page);
	vset_bool(v, "reset", reset);
	return render_page(r, status, "feeds/created", "Calendar feed", v);
}


static json_object *
audit_scope(const char *kind, int64_t id)
{
	json_object	*ch = json_object_new_object();

	json_object_object_add(ch, "scope_kind", json_object_new_string(kind));
	json_object_object_add(ch, "scope_id", json_object_new_int64(id));
	return ch;
}

/* POST /account/feeds/new/{kind}/{id} — 201 the new feed's URL (shown
 * once); 200 a feed exists; 403 unverified e-mail; 404 no such scope for
 * this user (or a kind not offered); 409 created meanwhile; 422 50 live
 * feeds. */
int
h_feed_create(struct req *r)
{
	const char		*kind = req_pathvar(r, 0), *ids =
	    req_pathvar(r, 1);
	int64_t			 id, fid, cnt;
	char			*end;
	struct scope		 s;
	struct feedtoken	 old;
	char			 tok[80];
	json_object		*v, *ch;
	int			 rc;

	id = strtoll(ids, &end, 10);
	if (*end != '\0' || id < 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (strcmp(kind, "personal") != 0 && strcmp(kind, "event") != 0 &&
	    strcmp(kind, "area") != 0 && strcmp(kind, "collaborator") != 0 &&
	    strcmp(kind, "org_schedule") != 0 &&
	    strcmp(kind, "org_tasks") != 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (!r->user->verified)
		return page_refuse(r, 403, "email-unverified", "Verify your e-mail "
		    "address before subscribing to a calendar.");
	if ((rc = scope_check(r, r->user, kind, id, &s)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((rc = feedtoken_for_scope(r, r->user->id, kind, id, &old)) < 0)
		return 503;
	if (rc == 1) {
		v = view_new(r);
		vset_str(v, "title", s.title);
		vset_str(v, "hint", old.hint);
		vset_str(v, "page", s.page);
		return render_page(r, 200, "feeds/exists", "Calendar feed", v);
	}
	if ((cnt = feedtoken_count(r, r->user->id)) < 0)
		return 503;
	if (cnt >= FEED_MAX_ACTIVE)
		return page_refuse(r, 422, "too-many-feeds", "You have 50 calendar "
		    "feeds; revoke one in Account → Feeds first.");
	if (db_begin() != 0)
		return 503;
	ch = audit_scope(kind, id);
	if ((fid = feedtoken_create(r, r->user->id, kind, id, tok,
	    sizeof(tok))) < 0 || audit(r, s.one_event ? s.c.ev.org_id : 0,
	    s.one_event ? s.c.ev.id : 0, "feed.created", "feed_token", fid,
	    arena_strndup(r->a, tok, FEED_HINT_LEN), ch) != 0 ||
	    db_commit() != 0) {
		json_object_put(ch);
		sodium_memzero(tok, sizeof(tok));
		return db_errno() == 1062 ? page_refuse(r, 409, "conflict",
		    "A feed for this calendar was just created.") : 503;
	}
	json_object_put(ch);
	rc = shown_once(r, 201, &s, tok, 0);
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

/* GET /account/feeds — 200 the user's live feeds. */
int
h_feeds(struct req *r)
{
	json_object	*v = view_new(r), *list;

	if ((list = feedtoken_list(r, r->user->id)) == NULL)
		return 503;
	vset_bool(v, "has_feeds", json_object_array_length(list) > 0);
	vset_obj(v, "feeds", list);
	resp_header(r, "Referrer-Policy", "no-referrer");
	return render_page(r, 200, "feeds/index", "Calendar feeds", v);
}

static int
done(struct req *r, const char *msg)
{
	json_object	*v;

	flash(r, "ok", msg);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_bool(v, "ok", 1);
		return render_json(r, 200, v);
	}
	return render_redirect(r, "/account/feeds");
}

/* POST /account/feeds/{id}/revoke — 303; 404 not a live feed of mine. */
int
h_feed_revoke(struct req *r)
{
	int64_t	 id = req_pathvar_id(r, 0);
	int	 rc;

	if (id < 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (db_begin() != 0 ||
	    (rc = feedtoken_revoke(r, r->user->id, id, "user")) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (audit(r, 0, 0, "feed.revoked", "feed_token", id, NULL, NULL) != 0 ||
	    db_commit() != 0)
		return 503;
	return done(r, "The feed was revoked. Its address no longer works.");
}

/* POST /account/feeds/revoke-all — 303 every live feed of mine revoked. */
int
h_feeds_revoke_all(struct req *r)
{
	int64_t		 n;
	json_object	*ch;

	if (db_begin() != 0 ||
	    (n = feedtoken_revoke_all(r, r->user->id, "reset_all")) < 0)
		return 503;
	ch = json_object_new_object();
	json_object_object_add(ch, "count", json_object_new_int64(n));
	if (audit(r, 0, 0, "feed.revoked_all", "user", r->user->id, NULL,
	    ch) != 0 || db_commit() != 0) {
		json_object_put(ch);
		return 503;
	}
	json_object_put(ch);
	return done(r, "Every calendar feed was revoked.");
}

/* POST /account/feeds/{id}/reset — 201 the new URL (shown once); 404 not
 * a live feed of mine, or its scope is no longer open to me. */
int
h_feed_reset(struct req *r)
{
	int64_t			 id = req_pathvar_id(r, 0), fid;
	json_object		*list, *ch;
	struct scope		 s;
	const char		*kind = NULL;
	int64_t			 scope_id = 0;
	char			 tok[80];
	size_t			 i;
	int			 rc;

	if (id < 0 || (list = feedtoken_list(r, r->user->id)) == NULL)
		return id < 0 ? page_refuse(r, 404, "not-found", NULL) : 503;
	for (i = 0; i < json_object_array_length(list); i++) {
		json_object	*o = json_object_array_get_idx(list, i);

		if (json_object_get_int64(json_object_object_get(o, "id")) ==
		    id) {
			kind = arena_strdup(r->a, json_object_get_string(
			    json_object_object_get(o, "kind")));
			scope_id = json_object_get_int64(
			    json_object_object_get(o, "scope_id"));
		}
	}
	json_object_put(list);
	if (kind == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if ((rc = scope_check(r, r->user, kind, scope_id, &s)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (db_begin() != 0)
		return 503;
	ch = audit_scope(kind, scope_id);
	if (feedtoken_revoke(r, r->user->id, id, "user") != 1 ||
	    (fid = feedtoken_create(r, r->user->id, kind, scope_id, tok,
	    sizeof(tok))) < 0 || audit(r, s.one_event ? s.c.ev.org_id : 0,
	    s.one_event ? s.c.ev.id : 0, "feed.reset", "feed_token", fid,
	    arena_strndup(r->a, tok, FEED_HINT_LEN), ch) != 0 ||
	    db_commit() != 0) {
		json_object_put(ch);
		sodium_memzero(tok, sizeof(tok));
		return page_refuse(r, db_errno() == 1062 ? 409 : 503,
		    db_errno() == 1062 ? "conflict" : "unavailable", NULL);
	}
	json_object_put(ch);
	rc = shown_once(r, 201, &s, tok, 1);
	sodium_memzero(tok, sizeof(tok));
	return rc;
}
