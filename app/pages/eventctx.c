/* eventctx.c — load an event and the actor's license, seat, collaborator
 * and grants (one query), and answer 404/403/409 uniformly. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "eventctx.h"
#include "model/user.h"
#include "render/view.h"

#define MAX_GRANTS	512

/* An event (e, its organization o) and the standing on it of the user
 * whose id is the SQL expression uid: columns (with the host
 * collaborator's column given, EVENT_HOST or NULL, and the grants
 * column, EVENT_GRANTS or NULL) and the joins after e and o. The seat
 * is a join (one per user and event, a unique key): as a subquery per
 * row it was a quarter of a roll-up's event statement. */
#define EVENT_COLS(uid, host, grants) \
    "e.id, e.uuid, e.org_id, o.name, o.kind, e.name, e.code," \
    " e.timezone, e.start_date, e.end_date, e.venue_name, e.venue_address," \
    " e.description, e.pool_id, e.status = 'archived', e.version, " host \
    ", DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " CASE WHEN o.kind = 'personal' AND o.personal_user_id = " uid \
    "  THEN 'owner' ELSE COALESCE(m.role, 'none') END," \
    " p.product, eu.collaborator_id, es.id IS NOT NULL, " grants
#define EVENT_JOINS(uid) \
    " LEFT JOIN org_members m ON m.org_id = e.org_id AND m.user_id = " uid \
    " LEFT JOIN license_pools p ON p.id = m.pool_id" \
    " LEFT JOIN event_users eu ON eu.event_id = e.id AND eu.user_id = " uid \
    " LEFT JOIN event_seats es ON es.event_id = e.id AND es.user_id = " uid \
    " "
/* The host collaborator (single-event pages; roll-ups have no use for
 * it, and a subquery per event costs). */
#define EVENT_HOST \
    "(SELECT c.id FROM collaborators c WHERE c.event_id = e.id" \
    " AND c.is_host = 1 LIMIT 1)"
/* The grants as one list ("domain scope section level", comma-separated:
 * enum names and numbers, nothing to escape). */
#define EVENT_GRANTS(uid) \
    "(SELECT GROUP_CONCAT(g.domain, ' ', g.scope_id, ' ', g.section, ' '," \
    " g.level SEPARATOR ',') FROM grants g WHERE g.event_id = e.id" \
    " AND g.user_id = " uid ")"
/* The user id a parameter: four times, five with the grants. */
#define EVENT_SQL(host, grants) \
    "SELECT " EVENT_COLS("?", host, grants) \
    " FROM events e JOIN orgs o ON o.id = e.org_id" EVENT_JOINS("?")
#define EVENT_TYPES "isissssssssssiiiisssiis"
static struct dbq q_event = DBQ(EVENT_SQL(EVENT_HOST, EVENT_GRANTS("?"))
    "WHERE e.id = ?");
/* The session (by its token hash) and {event} with the session user's
 * standing: one statement where a signed-in event page would take two
 * (issue 8). No event row: its columns are NULL. */
#define SESSION_EVENT_FROM \
    " FROM " SESSION_FROM \
    " LEFT JOIN (events e JOIN orgs o ON o.id = e.org_id) ON e.id = ?" \
    EVENT_JOINS("s.user_id") "WHERE s.token_hash = ?"
static struct dbq q_session_event = DBQ("SELECT " SESSION_COLS ", "
    EVENT_COLS("s.user_id", EVENT_HOST, EVENT_GRANTS("s.user_id"))
    SESSION_EVENT_FROM);
/* A page also shows whether the user subscribes to the event's
 * calendar (the Subscribe control): one index step (0007's
 * one_active_per_scope). */
#define EVENT_FEED(uid) \
    "EXISTS (SELECT 1 FROM feed_token f WHERE f.owner_user_id = " uid \
    " AND f.scope_kind = 'event' AND f.scope_id = e.id AND f.active_key = 1)"
static struct dbq q_session_event_page = DBQ("SELECT " SESSION_COLS
    SESSION_WORKSPACES ", " EVENT_COLS("s.user_id", EVENT_HOST,
    EVENT_GRANTS("s.user_id")) ", " EVENT_FEED("s.user_id")
    SESSION_EVENT_FROM);
/* Roll-ups: an organization's active events, or every active event the
 * user is on (a personal workspace's "My work"). Their grants come in
 * one statement of rows (GRANT_COLS) by event: a list per event cost a
 * subquery per event, half the statement's time for a hundred events.
 * Unordered: sorted here (by_start), as ORDER BY sorted the whole rows,
 * descriptions and all. */
static struct dbq q_events_org = DBQ(EVENT_SQL("NULL", "NULL")
    "WHERE e.org_id = ? AND e.status = 'active'");
static struct dbq q_events_mine = DBQ(EVENT_SQL("NULL", "NULL")
    "WHERE eu.user_id IS NOT NULL AND e.status = 'active'");
/* The events first, in id order from their index: ordering by the
 * grants' key instead has the optimizer read every grant there is. Only
 * the section a roll-up decides by: a producer holds sixteen grants per
 * event, and the other fifteen were nine tenths of the rows; the key
 * (0019) leads to that section's grants without reading the others. */
#define GRANT_COLS \
    "SELECT STRAIGHT_JOIN g.event_id, g.domain, g.scope_id, g.section," \
    " g.level"
static struct dbq q_grants_org = DBQ(GRANT_COLS
    " FROM events e JOIN grants g ON g.event_id = e.id AND g.user_id = ?"
    "  AND g.section = ?"
    " WHERE e.org_id = ? AND e.status = 'active' ORDER BY e.id");
static struct dbq q_grants_mine = DBQ(GRANT_COLS
    " FROM event_users eu JOIN events e ON e.id = eu.event_id"
    " JOIN grants g ON g.event_id = eu.event_id AND g.user_id = eu.user_id"
    "  AND g.section = ?"
    " WHERE eu.user_id = ? AND e.status = 'active' ORDER BY eu.event_id");

static int
not_found(struct req *r, const char *why, int64_t id)
{
	log_msg(LOG_INFO, "decision=deny reason=%s event=%lld", why,
	    (long long)id);
	return render_error(r, 404, "not-found", NULL);
}

/* A whole decimal number of a grants entry: 0, or -1 when s is not one. */
static int
grant_number(const char *s, long long *v)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' ? 0 : -1;
}

/* A grant from its columns: 0, or -1 when it names no known domain,
 * section or level. */
static int
grant_set(struct grant *g, const char *dom, long long scope,
    const char *sec, long long lvl)
{
	if (domain_parse(dom, &g->domain) != 0 ||
	    section_parse(sec, &g->section) != 0 || lvl < 0 || lvl > LV_ADMIN)
		return -1;
	g->scope_id = scope;
	g->level = (enum level)lvl;
	return 0;
}

/* One entry, "domain scope section level" (sscanf was a tenth of a
 * roll-up's time: a hundred events of sixteen grants each). 0, or -1
 * for an entry naming no known domain, section or level. */
static int
grant_parse(char *item, struct grant *g)
{
	char		*f[4], *save = NULL;
	long long	 scope, lvl;
	size_t		 n;

	for (n = 0; n < 4; n++)
		if ((f[n] = strtok_r(n == 0 ? item : NULL, " ", &save)) ==
		    NULL)
			return -1;
	if (strtok_r(NULL, " ", &save) != NULL ||
	    grant_number(f[1], &scope) != 0 || grant_number(f[3], &lvl) != 0)
		return -1;
	return grant_set(g, f[0], scope, f[2], lvl);
}

/* The grants column of EVENT_SQL into c's arena list; entries that
 * name no known domain, section or level are skipped. */
static void
parse_grants(struct req *r, char *list, struct event_ctx *c)
{
	char		*item, *save = NULL;
	const char	*p;
	size_t		 n = 1;

	c->grants = NULL;
	c->ngrants = 0;
	if (list == NULL || *list == '\0')
		return;
	/* As many as the list holds: a roll-up reads a hundred events. */
	for (p = list; *p != '\0'; p++)
		n += *p == ',';
	c->grants = arena_calloc(r->a, n < MAX_GRANTS ? n : MAX_GRANTS,
	    sizeof(struct grant));
	for (item = strtok_r(list, ",", &save); item != NULL &&
	    c->ngrants < MAX_GRANTS; item = strtok_r(NULL, ",", &save))
		if (grant_parse(item, &c->grants[c->ngrants]) == 0)
			c->ngrants++;
}

/* The EVENT_COLS of the row fetched last, from column first, into c:
 * 1, or 0 when they are NULL (no such event). */
static int
ctx_cols(struct req *r, struct dbq *q, size_t first, struct event_ctx *c)
{
	int64_t			 archived, seats, collab;
	char			*kind, *role, *product, *grants;
	struct license_facts	 f;
	struct event		*e = &c->ev;

	memset(c, 0, sizeof(*c));
	db_cols(q, first, EVENT_TYPES, &e->id, &e->uuid,
	    &e->org_id, &e->org_name, &kind, &e->name, &e->code,
	    &e->timezone, &e->start_date, &e->end_date, &e->venue_name,
	    &e->venue_address, &e->description, &e->pool_id, &archived,
	    &e->version, &e->host_collab_id, &e->created_at, &role, &product,
	    &collab, &seats, &grants);
	if (e->id == 0 || kind == NULL || role == NULL)
		return 0;
	parse_grants(r, grants, c);
	c->event_feed = -1;
	c->actor.grants = c->grants;
	c->actor.ngrants = c->ngrants;
	e->archived = (int)archived;
	e->org_kind = strcmp(kind, "personal") == 0 ? ORG_PERSONAL : ORG_TEAM;
	if (role_parse(role, &c->org_role) != 0)
		c->org_role = ROLE_NONE;
	c->has_seat = seats > 0;

	memset(&f, 0, sizeof(f));
	f.member = e->org_kind == ORG_TEAM && c->org_role != ROLE_NONE;
	f.has_org_license = product != NULL &&
	    product_parse(product, &f.org_license) == 0 &&
	    product_is_org(f.org_license);
	f.has_seat = c->has_seat;
	c->actor.lc = license_class(&f);
	c->actor.event_user = collab != 0;
	c->actor.collab_id = collab;
	c->actor.org_pro_observer = !c->actor.event_user &&
	    c->actor.lc == LC_ORG_PRO;
	c->actor.org_admin = c->org_role >= ROLE_ADMIN;
	return 1;
}

/* Fetch one row of an EVENT_SQL query into c. 1, 0 no more rows, -1
 * error. */
static int
fetch_ctx(struct req *r, struct dbq *q, struct event_ctx *c)
{
	int	 rc;

	memset(c, 0, sizeof(*c));
	if ((rc = db_fetch(q, "")) != 1)
		return rc;
	return ctx_cols(r, q, 0, c) == 1 ? 1 : -1;
}

int
event_ctx_load(struct req *r, int64_t uid, int64_t id, struct event_ctx *c)
{
	int	 rc;

	memset(c, 0, sizeof(*c));
	if (db_select(&q_event, "iiiiii", uid, uid, uid, uid, uid, id) != 0)
		return -1;
	rc = fetch_ctx(r, &q_event, c);
	db_done(&q_event);
	return rc;
}

/* The event's columns of the session's row (auth_load_by). */
static void
session_event_cols(struct req *r, struct dbq *q, size_t first)
{
	struct event_ctx *c = arena_calloc(r->a, 1, sizeof(*c));
	int64_t		 feed = 0;

	if (ctx_cols(r, q, first, c) != 1)
		return;
	if (q == &q_session_event_page) {
		db_cols(q, first + sizeof(EVENT_TYPES) - 1, "i", &feed);
		c->event_feed = feed != 0;
	}
	r->event_ctx = c;
}

int
event_auth_load(struct req *r)
{
	return auth_load_by(r, &q_session_event, &q_session_event_page,
	    session_event_cols);
}

int
event_gate(struct req *r, struct event_ctx *c, int org_admin_ok)
{
	int64_t			 id = req_pathvar_id(r, 0);
	struct event_ctx	*pre = r->event_ctx;
	int			 rc;

	memset(c, 0, sizeof(*c));
	if (id < 0)
		return not_found(r, "unknown", id);
	/* Read with the session: used once, and never for a check under
	 * a transaction's locks (those read the standing again). */
	r->event_ctx = NULL;
	if (pre != NULL && pre->ev.id == id && !db_in_txn()) {
		*c = *pre;
		rc = 1;
	} else
		rc = event_ctx_load(r, r->user->id, id, c);
	if (rc < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown", id);
	if (!perm_can_enter(&c->actor) &&
	    !(org_admin_ok && c->actor.org_admin))
		return not_found(r, "not_on_event", id);
	r->org_id = c->ev.org_id;
	return 0;
}

struct event_ctx *
event_ctx_scope(struct req *r, int64_t org_id, enum section sec, size_t *np)
{
	size_t	 nactive;

	return event_ctx_scope_counted(r, org_id, sec, np, &nactive);
}

/* A roll-up's grants, ordered by event: each grant and its event's id. */
struct scope_grants {
	struct grant	*g;
	int64_t		*ev;
	size_t		 n;
};

static int
scope_grants(struct req *r, int64_t org_id, enum section only,
    struct scope_grants *sg)
{
	struct dbq	*q = org_id ? &q_grants_org : &q_grants_mine;
	struct grant	 g;
	size_t		 cap = 0, ecap = 0;
	int64_t		 uid = r->user->id, ev, scope, lvl;
	char		*dom, *sec;
	int		 rc;

	memset(sg, 0, sizeof(*sg));
	rc = org_id ? db_select(q, "isi", uid, section_name(only), org_id) :
	    db_select(q, "si", section_name(only), uid);
	if (rc != 0)
		return -1;
	while ((rc = db_fetch(q, "isisi", &ev, &dom, &scope, &sec,
	    &lvl)) == 1) {
		if (grant_set(&g, dom, scope, sec, lvl) != 0)
			continue;
		sg->g = arena_grow(r->a, sg->g, sg->n, &cap, sizeof(*sg->g));
		sg->ev = arena_grow(r->a, sg->ev, sg->n, &ecap,
		    sizeof(*sg->ev));
		sg->g[sg->n] = g;
		sg->ev[sg->n++] = ev;
	}
	db_done(q);
	return rc < 0 ? -1 : 0;
}

/* c's grants: its event's run of the roll-up's. */
static void
attach_grants(const struct scope_grants *sg, struct event_ctx *c)
{
	size_t	 lo = 0, hi = sg->n, mid, k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sg->ev[mid] < c->ev.id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < sg->n && sg->ev[k] == c->ev.id; k++)
		;
	c->grants = k > lo ? sg->g + lo : NULL;
	c->ngrants = k - lo < MAX_GRANTS ? k - lo : MAX_GRANTS;
	c->actor.grants = c->grants;
	c->actor.ngrants = c->ngrants;
}

/* Roll-up order: by start date (YYYY-MM-DD sorts as text), then uuid. */
static int
by_start(const void *a, const void *b)
{
	const struct event	*x = &((const struct event_ctx *)a)->ev;
	const struct event	*y = &((const struct event_ctx *)b)->ev;
	int			 c = strcmp(x->start_date, y->start_date);

	return c != 0 ? c : strcmp(x->uuid, y->uuid);
}

struct event_ctx *
event_ctx_scope_counted(struct req *r, int64_t org_id, enum section sec,
    size_t *np, size_t *nactive)
{
	struct event_ctx *cs = NULL, c;
	struct scope_grants sg;
	int64_t		 uid = r->user->id;
	size_t		 n = 0, cap = 0;
	struct dbq	*q = org_id ? &q_events_org : &q_events_mine;
	int		 rc;

	*np = (size_t)-1;
	*nactive = 0;
	if (scope_grants(r, org_id, sec, &sg) != 0)
		return NULL;
	rc = org_id ? db_select(q, "iiiii", uid, uid, uid, uid, org_id) :
	    db_select(q, "iiii", uid, uid, uid, uid);
	if (rc != 0)
		return NULL;
	while ((rc = fetch_ctx(r, q, &c)) == 1) {
		(*nactive)++;
		attach_grants(&sg, &c);
		if (!perm_can_enter(&c.actor))
			continue;
		cs = arena_grow(r->a, cs, n, &cap, sizeof(*cs));
		cs[n++] = c;
	}
	db_done(q);
	if (rc < 0)
		return NULL;
	if (n > 1)
		qsort(cs, n, sizeof(*cs), by_start);
	*np = n;
	return cs;
}

enum level
event_level(const struct event_ctx *c, enum section s,
    const struct perm_target *t)
{
	return perm_level(&c->actor, s, t);
}

int
event_level_somewhere(const struct event_ctx *c, enum section s,
    enum level need)
{
	struct perm_target	 t;
	size_t			 i;

	target_event(&t);
	if (perm_level(&c->actor, s, &t) >= need)
		return 1;
	for (i = 0; i < c->ngrants; i++) {
		if (c->grants[i].section != s || c->grants[i].level < need)
			continue;
		if (c->grants[i].domain == DOM_COLLAB)
			target_collab(&t, c->grants[i].scope_id);
		else if (c->grants[i].domain == DOM_AREA)
			target_area(&t, c->grants[i].scope_id);
		else
			continue;
		/* The license ceiling may still cap the grant. */
		if (perm_level(&c->actor, s, &t) >= need)
			return 1;
	}
	return 0;
}

int
event_require(struct req *r, const struct event_ctx *c, enum section s,
    enum level need, const struct perm_target *t)
{
	enum level	 have = perm_level(&c->actor, s, t);

	if (have >= need)
		return 0;
	if (have == LV_NONE) {
		log_msg(LOG_INFO, "decision=deny reason=not_viewable perm=%s."
		    "%s event=%lld", section_name(s), level_name(need),
		    (long long)c->ev.id);
		return render_error(r, 404, "not-found", NULL);
	}
	log_msg(LOG_INFO, "decision=deny reason=missing_permission perm=%s.%s "
	    "event=%lld", section_name(s), level_name(need),
	    (long long)c->ev.id);
	return render_error(r, 403, "insufficient-permission",
	    arena_printf(r->a, "This needs %s access to %s; you have %s.",
	    level_name(need), section_name(s), level_name(have)));
}

int
event_writable(struct req *r, const struct event_ctx *c)
{
	if (!c->ev.archived)
		return 0;
	return render_error(r, 409, "event-archived", "This event is "
	    "archived: restore it before changing anything.");
}

json_object *
event_json(const struct event *e)
{
	json_object	*j = json_object_new_object();

	vset_int(j, "id", e->id);
	vset_str(j, "uuid", e->uuid);
	vset_int(j, "org_id", e->org_id);
	vset_str(j, "org_name", e->org_kind == ORG_PERSONAL ?
	    "Personal workspace" : e->org_name);
	vset_str(j, "name", e->name);
	vset_str(j, "code", e->code);
	vset_str(j, "timezone", e->timezone);
	vset_str(j, "start_date", e->start_date);
	vset_str(j, "end_date", e->end_date);
	vset_str(j, "venue_name", e->venue_name);
	vset_str(j, "venue_address", e->venue_address);
	vset_str(j, "description", e->description);
	vset_str(j, "status", e->archived ? "archived" : "active");
	vset_int(j, "host_collaborator_id", e->host_collab_id);
	vset_int(j, "version", e->version);
	vset_str(j, "created_at", e->created_at);
	return j;
}
