/* grant.c — grant rows. */
#include "core/req.h"
#include "db/db.h"
#include "grant.h"
#include "model/user.h"

static struct dbq q_raise = DBQ(
    "INSERT INTO grants (event_id, user_id, domain, scope_id, section, level,"
    " preset, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
    " NULLIF(?, 0), UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE"
    " preset = IF(VALUES(level) > level, VALUES(preset), preset),"
    " granted_by = IF(VALUES(level) > level, VALUES(granted_by), granted_by),"
    " granted_at = IF(VALUES(level) > level, VALUES(granted_at), granted_at),"
    " level = GREATEST(level, VALUES(level))");
static struct dbq q_set = DBQ(
    "INSERT INTO grants (event_id, user_id, domain, scope_id, section, level,"
    " preset, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?, NULL,"
    " NULLIF(?, 0), UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE"
    " level = VALUES(level), preset = NULL,"
    " granted_by = VALUES(granted_by), granted_at = VALUES(granted_at)");
static struct dbq q_delete_one = DBQ(
    "DELETE FROM grants WHERE event_id = ? AND user_id = ? AND domain = ?"
    " AND scope_id = ? AND section = ?");
static struct dbq q_delete_user = DBQ(
    "DELETE FROM grants WHERE event_id = ? AND user_id = ?");
static struct dbq q_delete_scope = DBQ(
    "DELETE FROM grants WHERE event_id = ? AND user_id = ? AND domain = ?"
    " AND scope_id = ?");

static int64_t
actor(struct req *r)
{
	return r->user ? r->user->id : 0;
}

int
grants_apply(struct req *r, int64_t ev, int64_t uid, const struct grant *g,
    size_t n, const char *preset)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (db_exec(&q_raise, "iisisisi", ev, uid,
		    domain_name(g[i].domain), g[i].scope_id,
		    section_name(g[i].section), (int64_t)g[i].level, preset,
		    actor(r)) < 0)
			return -1;
	return 0;
}

int
grant_set(struct req *r, int64_t ev, int64_t uid, const struct grant *g)
{
	if (g->level == LV_NONE)
		return db_exec(&q_delete_one, "iisis", ev, uid,
		    domain_name(g->domain), g->scope_id,
		    section_name(g->section)) < 0 ? -1 : 0;
	return db_exec(&q_set, "iisisii", ev, uid, domain_name(g->domain),
	    g->scope_id, section_name(g->section), (int64_t)g->level,
	    actor(r)) < 0 ? -1 : 0;
}

int
grants_delete_user(struct req *r, int64_t ev, int64_t uid)
{
	(void)r;
	return db_exec(&q_delete_user, "ii", ev, uid) < 0 ? -1 : 0;
}

int
grants_delete_scope(struct req *r, int64_t ev, int64_t uid, enum domain d,
    int64_t scope)
{
	(void)r;
	return db_exec(&q_delete_scope, "iisi", ev, uid, domain_name(d),
	    scope) < 0 ? -1 : 0;
}

int
grants_scope_admin(struct req *r, int64_t ev, int64_t uid, enum domain d,
    int64_t scope)
{
	struct grant	 g[SEC__MAX];
	int		 s;

	for (s = 0; s < SEC__MAX; s++) {
		g[s].domain = d;
		g[s].scope_id = scope;
		g[s].section = (enum section)s;
		g[s].level = LV_ADMIN;
	}
	return grants_apply(r, ev, uid, g, SEC__MAX, "scope_admin");
}
