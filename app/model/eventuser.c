/* eventuser.c — event_users rows, the grants and seats read with them,
 * and the crew links an invitation makes. */
#include <string.h>

#include "core/req.h"
#include "db/db.h"
#include "eventuser.h"
#include "model/user.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define ER_DUP_ENTRY	1062

/* Who each event user is, their collaborator and their license facts:
 * a seat on this event, Org Pro in the event's (team) organization, and
 * owner/admin there (the personal workspace's owner counts as owner). */
#define EU_SELECT \
    "SELECT eu.user_id, u.name, u.email, eu.collaborator_id, c.name," \
    " c.is_host, s.id IS NOT NULL," \
    " o.kind = 'team' AND p.product = 'org_pro'," \
    " (o.kind = 'personal' AND o.personal_user_id = eu.user_id) OR" \
    "  (o.kind = 'team' AND m.role IN ('owner', 'admin'))," \
    " " TS("eu.joined_at") ", eu.version" \
    " FROM event_users eu JOIN users u ON u.id = eu.user_id" \
    " JOIN collaborators c ON c.id = eu.collaborator_id" \
    " JOIN events e ON e.id = eu.event_id JOIN orgs o ON o.id = e.org_id" \
    " LEFT JOIN org_members m ON m.org_id = e.org_id" \
    "  AND m.user_id = eu.user_id" \
    " LEFT JOIN license_pools p ON p.id = m.pool_id" \
    " LEFT JOIN event_seats s ON s.event_id = eu.event_id" \
    "  AND s.user_id = eu.user_id"

static struct dbq q_lock_event = DBQ(
    "SELECT pool_id, status = 'archived' FROM events WHERE id = ?"
    " FOR UPDATE");
static struct dbq q_get = DBQ(
    EU_SELECT " WHERE eu.event_id = ? AND eu.user_id = ?");
static struct dbq q_list = DBQ(
    EU_SELECT " WHERE eu.event_id = ? ORDER BY eu.joined_at, eu.user_id");
static struct dbq q_grants = DBQ(
    "SELECT user_id, domain, scope_id, section, level, preset FROM grants"
    " WHERE event_id = ? AND (? = 0 OR user_id = ?)"
    " ORDER BY user_id, domain, scope_id, section");
static struct dbq q_collabs = DBQ(
    "SELECT id, name, is_host FROM collaborators WHERE event_id = ?"
    " ORDER BY is_host DESC, name_norm, id");
static struct dbq q_areas = DBQ(
    "SELECT id, name, 0 FROM areas WHERE event_id = ?"
    " ORDER BY position, name_norm, id");
static struct dbq q_collab = DBQ(
    "SELECT id, name, is_host FROM collaborators"
    " WHERE id = ? AND event_id = ?");
static struct dbq q_area = DBQ(
    "SELECT id, name, 0 FROM areas WHERE id = ? AND event_id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO event_users (event_id, user_id, collaborator_id,"
    " added_by, joined_at) VALUES (?, ?, ?, NULLIF(?, 0),"
    " UTC_TIMESTAMP(3))");
static struct dbq q_delete = DBQ(
    "DELETE FROM event_users WHERE event_id = ? AND user_id = ?");
static struct dbq q_move = DBQ(
    "UPDATE event_users SET collaborator_id = ?, version = version + 1"
    " WHERE event_id = ? AND user_id = ? AND version = ?");
static struct dbq q_admins = DBQ(
    "SELECT COUNT(*) FROM grants g"
    " JOIN event_users eu ON eu.event_id = g.event_id"
    "  AND eu.user_id = g.user_id"
    " JOIN events e ON e.id = g.event_id JOIN orgs o ON o.id = e.org_id"
    " LEFT JOIN event_seats s ON s.event_id = g.event_id"
    "  AND s.user_id = g.user_id"
    " LEFT JOIN org_members m ON m.org_id = e.org_id"
    "  AND m.user_id = g.user_id"
    " LEFT JOIN license_pools p ON p.id = m.pool_id"
    " WHERE g.event_id = ? AND g.domain = 'event' AND g.section = 'users'"
    " AND g.level >= 3 AND (s.id IS NOT NULL OR"
    "  (o.kind = 'team' AND p.product = 'org_pro'))");
static struct dbq q_seats_used = DBQ(
    "SELECT COUNT(*) FROM event_seats s"
    " LEFT JOIN event_invitations i ON i.id = s.invitation_id"
    " WHERE s.event_id = ? AND (s.invitation_id IS NULL OR"
    "  (i.status = 'pending' AND i.expires_at > UTC_TIMESTAMP(3)))");
static struct dbq q_seat_info = DBQ(
    "SELECT p.quantity, (SELECT COUNT(*) FROM event_seats s"
    "  LEFT JOIN event_invitations i ON i.id = s.invitation_id"
    "  WHERE s.event_id = ? AND (s.invitation_id IS NULL OR"
    "  (i.status = 'pending' AND i.expires_at > UTC_TIMESTAMP(3))))"
    " FROM license_pools p WHERE p.id = ?");
#define CREW_COLS \
    "SELECT id, collaborator_id, first_name, last_name, email," \
    " user_id, version FROM crew" \
    " WHERE id = ? AND collaborator_id = ? AND event_id = ?"
static struct dbq q_crew_lock = DBQ(CREW_COLS " FOR UPDATE");
static struct dbq q_crew_get = DBQ(CREW_COLS);
static struct dbq q_crew_email = DBQ(
    "UPDATE crew SET email = ?, email_norm = ?, version = version + 1"
    " WHERE id = ? AND (email IS NULL OR email = '')");
static struct dbq q_crew_unlink_other = DBQ(
    "UPDATE crew SET user_id = NULL, version = version + 1"
    " WHERE event_id = ? AND user_id = ? AND id <> ?");
static struct dbq q_crew_link = DBQ(
    "UPDATE crew SET user_id = ?, version = version + 1"
    " WHERE id = ? AND event_id = ?");
static struct dbq q_crew_unlink = DBQ(
    "UPDATE crew SET user_id = NULL, version = version + 1"
    " WHERE event_id = ? AND user_id = ? AND collaborator_id = ?");

int
eu_lock_event(struct req *r, int64_t id, int64_t *pool_id, int *archived)
{
	int64_t	 pool = 0, arch = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_lock_event, "i", id) != 0)
		return -1;
	rc = db_fetch(&q_lock_event, "ii", &pool, &arch);
	db_done(&q_lock_event);
	if (pool_id != NULL)
		*pool_id = pool;
	if (archived != NULL)
		*archived = (int)arch;
	return rc;
}

static int
fetch_user(struct dbq *q, struct event_user *u)
{
	int64_t	 host, seat, pro, admin;
	int	 rc;

	memset(u, 0, sizeof(*u));
	rc = db_fetch(q, "issisiiiisi", &u->user_id, &u->name, &u->email,
	    &u->collab_id, &u->collab_name, &host, &seat, &pro, &admin,
	    &u->joined_at, &u->version);
	if (rc != 1)
		return rc;
	u->collab_host = (int)host;
	u->has_seat = seat > 0;
	u->org_pro = pro > 0;
	u->org_admin = admin > 0;
	/* First match wins (PRODUCT §4). */
	u->lc = u->org_pro ? LC_ORG_PRO : u->has_seat ? LC_SEAT : LC_FREE;
	return 1;
}

int
eu_get(struct req *r, int64_t ev, int64_t uid, struct event_user *u)
{
	int	 rc;

	(void)r;
	if (db_select(&q_get, "ii", ev, uid) != 0)
		return -1;
	rc = fetch_user(&q_get, u);
	db_done(&q_get);
	return rc;
}

int
eu_list(struct req *r, int64_t ev, struct event_user **out, size_t *n)
{
	struct event_user	 u, *v;
	size_t			 cap = 16;
	int			 rc;

	*n = 0;
	*out = v = arena_calloc(r->a, cap, sizeof(*v));
	if (db_select(&q_list, "i", ev) != 0)
		return -1;
	while ((rc = fetch_user(&q_list, &u)) == 1) {
		if (*n == cap) {
			struct event_user	*nv;

			nv = arena_calloc(r->a, cap * 2, sizeof(*nv));
			memcpy(nv, v, cap * sizeof(*nv));
			*out = v = nv;
			cap *= 2;
		}
		v[(*n)++] = u;
	}
	db_done(&q_list);
	return rc < 0 ? -1 : 0;
}

int
eu_grants(struct req *r, int64_t ev, int64_t uid, struct eu_grant **out,
    size_t *n)
{
	struct eu_grant	*v;
	size_t		 cap = 32;
	char		*dom, *sec, *preset;
	int64_t		 user, scope, lvl;
	int		 rc;

	*n = 0;
	*out = v = arena_calloc(r->a, cap, sizeof(*v));
	if (db_select(&q_grants, "iii", ev, uid, uid) != 0)
		return -1;
	while ((rc = db_fetch(&q_grants, "isisis", &user, &dom, &scope, &sec,
	    &lvl, &preset)) == 1) {
		struct eu_grant	 g;

		memset(&g, 0, sizeof(g));
		if (domain_parse(dom, &g.g.domain) != 0 ||
		    section_parse(sec, &g.g.section) != 0 || lvl < LV_NONE ||
		    lvl > LV_ADMIN)
			continue;
		g.user_id = user;
		g.g.scope_id = scope;
		g.g.level = (enum level)lvl;
		g.preset = preset;
		if (*n == cap) {
			struct eu_grant	*nv;

			nv = arena_calloc(r->a, cap * 2, sizeof(*nv));
			memcpy(nv, v, cap * sizeof(*nv));
			*out = v = nv;
			cap *= 2;
		}
		v[(*n)++] = g;
	}
	db_done(&q_grants);
	return rc < 0 ? -1 : 0;
}

static int
scopes(struct req *r, struct dbq *q, int64_t ev, struct eu_scope **out,
    size_t *n)
{
	struct eu_scope	*v;
	size_t		 cap = 16;
	int64_t		 id, host;
	char		*name;
	int		 rc;

	*n = 0;
	*out = v = arena_calloc(r->a, cap, sizeof(*v));
	if (db_select(q, "i", ev) != 0)
		return -1;
	while ((rc = db_fetch(q, "isi", &id, &name, &host)) == 1) {
		if (*n == cap) {
			struct eu_scope	*nv;

			nv = arena_calloc(r->a, cap * 2, sizeof(*nv));
			memcpy(nv, v, cap * sizeof(*nv));
			*out = v = nv;
			cap *= 2;
		}
		v[*n].id = id;
		v[*n].name = name;
		v[*n].host = (int)host;
		(*n)++;
	}
	db_done(q);
	return rc < 0 ? -1 : 0;
}

int
eu_collabs(struct req *r, int64_t ev, struct eu_scope **out, size_t *n)
{
	return scopes(r, &q_collabs, ev, out, n);
}

int
eu_areas(struct req *r, int64_t ev, struct eu_scope **out, size_t *n)
{
	return scopes(r, &q_areas, ev, out, n);
}

static int
scope_one(struct dbq *q, int64_t ev, int64_t id, struct eu_scope *s)
{
	int64_t	 host = 0;
	int	 rc;

	memset(s, 0, sizeof(*s));
	if (db_select(q, "ii", id, ev) != 0)
		return -1;
	rc = db_fetch(q, "isi", &s->id, &s->name, &host);
	db_done(q);
	s->host = (int)host;
	return rc;
}

int
eu_collab(struct req *r, int64_t ev, int64_t id, struct eu_scope *s)
{
	(void)r;
	return scope_one(&q_collab, ev, id, s);
}

int
eu_area(struct req *r, int64_t ev, int64_t id, struct eu_scope *s)
{
	(void)r;
	return scope_one(&q_area, ev, id, s);
}

int
eu_add(struct req *r, int64_t ev, int64_t uid, int64_t collab)
{
	if (db_exec(&q_insert, "iiii", ev, uid, collab,
	    r->user ? r->user->id : (int64_t)0) < 0)
		return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	return 1;
}

/* Removal from an organization takes the person off every event of it,
 * archived ones included: seats freed, grants deleted, crew records
 * unlinked (PRODUCT §3). Content and audit entries stay. */
static struct dbq q_org_seats = DBQ(
    "DELETE s FROM event_seats s JOIN events e ON e.id = s.event_id"
    " WHERE e.org_id = ? AND s.user_id = ?");
static struct dbq q_org_grants = DBQ(
    "DELETE g FROM grants g JOIN events e ON e.id = g.event_id"
    " WHERE e.org_id = ? AND g.user_id = ?");
static struct dbq q_org_crew = DBQ(
    "UPDATE crew c JOIN events e ON e.id = c.event_id SET c.user_id = NULL"
    " WHERE e.org_id = ? AND c.user_id = ?");
static struct dbq q_org_users = DBQ(
    "DELETE eu FROM event_users eu JOIN events e ON e.id = eu.event_id"
    " WHERE e.org_id = ? AND eu.user_id = ?");

int
eu_leave_org(struct req *r, int64_t org_id, int64_t uid)
{
	(void)r;
	if (db_exec(&q_org_seats, "ii", org_id, uid) < 0 ||
	    db_exec(&q_org_grants, "ii", org_id, uid) < 0 ||
	    db_exec(&q_org_crew, "ii", org_id, uid) < 0 ||
	    db_exec(&q_org_users, "ii", org_id, uid) < 0)
		return -1;
	return 0;
}

int
eu_delete(struct req *r, int64_t ev, int64_t uid)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_delete, "ii", ev, uid)) < 0)
		return -1;
	return n == 1;
}

int
eu_move(struct req *r, int64_t ev, int64_t uid, int64_t collab,
    int64_t version)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_move, "iiii", collab, ev, uid, version)) < 0)
		return -1;
	return n == 1;
}

static int64_t
count1(struct dbq *q, int64_t ev)
{
	int64_t	 n = -1;

	if (db_select(q, "i", ev) != 0)
		return -1;
	if (db_fetch(q, "i", &n) != 1)
		n = -1;
	db_done(q);
	return n;
}

int64_t
eu_uncapped_admins(struct req *r, int64_t ev)
{
	(void)r;
	return count1(&q_admins, ev);
}

int64_t
eu_seats_used(struct req *r, int64_t ev)
{
	(void)r;
	return count1(&q_seats_used, ev);
}

int
eu_seat_info(struct req *r, int64_t ev, int64_t pool, int64_t *quantity,
    int64_t *used)
{
	int	 rc;

	(void)r;
	*quantity = *used = 0;
	if (db_select(&q_seat_info, "ii", ev, pool) != 0)
		return -1;
	rc = db_fetch(&q_seat_info, "ii", quantity, used);
	db_done(&q_seat_info);
	return rc < 0 ? -1 : 0;
}

static int
crew_fetch(struct dbq *q, int64_t ev, int64_t collab, int64_t id,
    struct eu_crew *c)
{
	int	 rc;

	memset(c, 0, sizeof(*c));
	if (db_select(q, "iii", id, collab, ev) != 0)
		return -1;
	rc = db_fetch(q, "iisssii", &c->id, &c->collab_id, &c->first_name,
	    &c->last_name, &c->email, &c->user_id, &c->version);
	db_done(q);
	return rc;
}

int
eu_crew_lock(struct req *r, int64_t ev, int64_t collab, int64_t id,
    struct eu_crew *c)
{
	(void)r;
	return crew_fetch(&q_crew_lock, ev, collab, id, c);
}

int
eu_crew_get(struct req *r, int64_t ev, int64_t collab, int64_t id,
    struct eu_crew *c)
{
	(void)r;
	return crew_fetch(&q_crew_get, ev, collab, id, c);
}

int
eu_crew_set_email(struct req *r, int64_t id, const char *email)
{
	if (db_exec(&q_crew_email, "ssi", email, user_email_norm(r, email),
	    id) < 0)
		return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	return 1;
}

int
eu_crew_link(struct req *r, int64_t ev, int64_t id, int64_t uid)
{
	(void)r;
	if (db_exec(&q_crew_unlink_other, "iii", ev, uid, id) < 0 ||
	    db_exec(&q_crew_link, "iii", uid, id, ev) < 0)
		return -1;
	return 0;
}

int
eu_crew_unlink(struct req *r, int64_t ev, int64_t uid, int64_t collab)
{
	(void)r;
	return db_exec(&q_crew_unlink, "iii", ev, uid, collab) < 0 ? -1 : 0;
}
