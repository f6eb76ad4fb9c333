/* org.c — organization rows and the actor's membership. */
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "org.h"
#include "render/view.h"
#include "user.h"

static const char *const roles[] = { "none", "member", "admin", "owner" };

/* One query: the organization and the actor's membership and license. */
static struct dbq q_load = DBQ("SELECT " ORG_COLS("?") " FROM orgs o"
    ORG_JOINS("?") "WHERE o.id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO orgs (uuid, name, kind, timezone, created_at)"
    " VALUES (?, ?, 'team', ?, UTC_TIMESTAMP(3))");
static struct dbq q_pool = DBQ(
    "INSERT INTO license_pools (org_id, product, quantity, created_at)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(3))");
static struct dbq q_member = DBQ(
    "INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
    " VALUES (?, ?, 'owner', ?, UTC_TIMESTAMP(3))");
static struct dbq q_workspaces = DBQ(
    "SELECT o.id, o.name, o.kind, 'owner' FROM orgs o"
    " WHERE o.personal_user_id = ? "
    "UNION ALL "
    "SELECT o.id, o.name, o.kind, m.role FROM org_members m"
    " JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? "
    "ORDER BY kind = 'team', name, id");
static struct dbq q_current = DBQ(
    "UPDATE sessions SET current_org_id = ? WHERE id = ?");

const char *
role_name(enum org_role r)
{
	return r <= ROLE_OWNER ? roles[r] : "none";
}

int
role_parse(const char *s, enum org_role *out)
{
	int	 i;

	for (i = ROLE_MEMBER; s != NULL && i <= ROLE_OWNER; i++)
		if (strcmp(s, roles[i]) == 0) {
			*out = (enum org_role)i;
			return 0;
		}
	return -1;
}

int
org_cols(struct dbq *q, size_t first, struct org *o)
{
	int64_t	 mce = 0;
	char	*kind = NULL, *role = NULL, *product = NULL;

	memset(o, 0, sizeof(*o));
	db_cols(q, first, "issssiissis", &o->id, &o->uuid, &o->name, &kind,
	    &o->timezone, &mce, &o->version, &o->created_at, &role,
	    &o->pool_id, &product);
	if (o->id == 0 || kind == NULL)
		return 0;
	o->kind = strcmp(kind, "personal") == 0 ? ORG_PERSONAL : ORG_TEAM;
	o->members_can_create_events = (int)mce;
	if (role_parse(role, &o->role) != 0)
		o->role = ROLE_NONE;
	o->has_license = product != NULL &&
	    product_parse(product, &o->license) == 0 &&
	    product_is_org(o->license);
	return o->role == ROLE_NONE ? 0 : 1;
}

int
org_load(struct req *r, int64_t id, struct org *o)
{
	int64_t	 uid = r->user ? r->user->id : 0;
	int	 rc;

	memset(o, 0, sizeof(*o));
	if (db_select(&q_load, "iii", uid, uid, id) != 0)
		return -1;
	if ((rc = db_fetch(&q_load, "")) == 1)
		rc = org_cols(&q_load, 0, o);
	db_done(&q_load);
	return rc;
}

int64_t
org_create_team(struct req *r, const char *name, const char *tz,
    const int64_t qty[PROD__MAX], enum product license)
{
	char	 uuid[37];
	int64_t	 org, pool, mine = 0;
	int	 p;

	token_uuid(uuid);
	if (db_exec(&q_insert, "sss", uuid, name, tz) < 0)
		return -1;
	org = db_insert_id();
	for (p = 0; p < PROD__MAX; p++) {
		if (qty[p] <= 0 && p != (int)license)
			continue;
		if (db_exec(&q_pool, "isi", org, product_name((enum product)p),
		    qty[p]) < 0)
			return -1;
		pool = db_insert_id();
		if (p == (int)license)
			mine = pool;
	}
	if (db_exec(&q_member, "iii", org, r->user->id, mine) < 0)
		return -1;
	/* The switcher reads the new membership (not the session's copy). */
	r->user->memberships_read = 0;
	return org;
}

static void
workspace_add(struct req *r, json_object *a, int64_t current, int64_t id,
    const char *name, const char *kind, const char *role)
{
	json_object	*o = json_object_new_object();
	int		 personal = strcmp(kind, "personal") == 0;

	vset_int(o, "id", id);
	vset_str(o, "name", personal ? "Personal workspace" : name);
	vset_str(o, "kind", kind);
	vset_str(o, "role", role);
	vset_str(o, "url", personal ? "/" :
	    arena_printf(r->a, "/orgs/%lld", (long long)id));
	vset_bool(o, "current", current ? current == id : personal);
	json_object_array_add(a, o);
}

/* The workspaces from what the session load read: the personal one,
 * then each "id␟kind␟role␟name" of the memberships (in q_workspaces'
 * order). */
static json_object *
workspaces_read(struct req *r, int64_t current)
{
	json_object	*a = json_object_new_array();
	char		*rows, *row, *save = NULL, *f[4];
	size_t		 n;

	if (r->user->personal_org_id != 0)
		workspace_add(r, a, current, r->user->personal_org_id,
		    r->user->personal_org_name, "personal", "owner");
	if (r->user->memberships == NULL)
		return a;
	rows = arena_strdup(r->a, r->user->memberships);
	for (row = strtok_r(rows, "\x1e", &save); row != NULL;
	    row = strtok_r(NULL, "\x1e", &save)) {
		/* The name is last and whole, whatever it holds. */
		f[0] = row;
		for (n = 1; n < 4; n++) {
			if ((f[n] = strchr(f[n - 1], '\x1f')) == NULL)
				break;
			*f[n]++ = '\0';
		}
		if (n == 4)
			workspace_add(r, a, current, strtoll(f[0], NULL, 10),
			    f[3], f[1], f[2]);
	}
	return a;
}

json_object *
org_workspaces(struct req *r, int64_t current)
{
	json_object	*a;
	int64_t		 id;
	char		*name, *kind, *role;
	int		 rc;

	if (r->user->memberships_read)
		return workspaces_read(r, current);
	if (db_select(&q_workspaces, "ii", r->user->id, r->user->id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_workspaces, "isss", &id, &name, &kind,
	    &role)) == 1)
		workspace_add(r, a, current, id, name, kind, role);
	db_done(&q_workspaces);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

json_object *
org_json(const struct org *o)
{
	json_object	*j = json_object_new_object();

	vset_int(j, "id", o->id);
	vset_str(j, "uuid", o->uuid);
	vset_str(j, "name", o->kind == ORG_PERSONAL ? "Personal workspace" :
	    o->name);
	vset_str(j, "kind", o->kind == ORG_PERSONAL ? "personal" : "team");
	vset_str(j, "timezone", o->timezone);
	vset_bool(j, "members_can_create_events",
	    o->members_can_create_events);
	vset_str(j, "created_at", o->created_at);
	vset_int(j, "version", o->version);
	vset_str(j, "my_role", role_name(o->role));
	vset_str(j, "my_license", o->has_license ? product_name(o->license) :
	    NULL);
	vset_str(j, "my_license_label", o->has_license ?
	    product_label(o->license) : NULL);
	return j;
}

int
org_set_current(struct req *r, int64_t org_id)
{
	if (r->sess == NULL)
		return 0;
	return db_exec(&q_current, "ii", org_id, r->sess->id) < 0 ? -1 : 0;
}
