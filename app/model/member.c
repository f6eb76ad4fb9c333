/* member.c — membership rows of team organizations. */
#include <string.h>

#include "core/req.h"
#include "db/db.h"
#include "member.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"

static struct dbq q_lock_org = DBQ(
    "SELECT id FROM orgs WHERE id = ? AND kind = 'team' FOR UPDATE");
static struct dbq q_lock = DBQ(
    "SELECT m.user_id, u.name, u.email, m.role, m.pool_id, p.product, "
    TS("m.joined_at") ", m.version FROM org_members m"
    " JOIN users u ON u.id = m.user_id"
    " LEFT JOIN license_pools p ON p.id = m.pool_id"
    " WHERE m.org_id = ? AND m.user_id = ? FOR UPDATE");
static struct dbq q_owners = DBQ(
    "SELECT COUNT(*) FROM org_members WHERE org_id = ? AND role = 'owner'");
static struct dbq q_add = DBQ(
    "INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
    " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))");
static struct dbq q_role = DBQ(
    "UPDATE org_members SET role = ?, version = version + 1"
    " WHERE org_id = ? AND user_id = ? AND version = ?");
static struct dbq q_pool = DBQ(
    "UPDATE org_members SET pool_id = ?, version = version + 1"
    " WHERE org_id = ? AND user_id = ? AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM org_members WHERE org_id = ? AND user_id = ?");
static struct dbq q_forget = DBQ(
    "UPDATE sessions SET current_org_id = NULL"
    " WHERE user_id = ? AND current_org_id = ?");
static struct dbq q_list = DBQ(
    "SELECT u.id, u.name, u.email, m.role, p.product, " TS("m.joined_at")
    ", m.version, (SELECT COUNT(*) FROM event_users eu JOIN events e"
    "  ON e.id = eu.event_id WHERE e.org_id = m.org_id"
    "  AND eu.user_id = m.user_id) FROM org_members m"
    " JOIN users u ON u.id = m.user_id"
    " LEFT JOIN license_pools p ON p.id = m.pool_id"
    " WHERE m.org_id = ? AND (? IS NULL OR m.role = ?)"
    " AND (? IS NULL OR p.product = ?)"
    " ORDER BY m.joined_at, u.id");
/* Free licenses per active org pool: quantity less members holding it
 * and live pending invitations reserving it (expired ones reserve
 * nothing, as in pool.c). */
static struct dbq q_free = DBQ(
    "SELECT p.id, p.product, CAST(p.quantity AS SIGNED)"
    " - (SELECT COUNT(*) FROM org_members m WHERE m.pool_id = p.id)"
    " - (SELECT COUNT(*) FROM org_invitations i WHERE i.pool_id = p.id"
    "    AND i.status = 'pending' AND i.expires_at > UTC_TIMESTAMP(3))"
    " FROM license_pools p WHERE p.org_id = ? AND p.status = 'active'"
    " AND p.product IN ('org_standard', 'org_pro') ORDER BY p.id");

int
member_lock_org(struct req *r, int64_t org_id)
{
	int64_t	 id;
	int	 rc;

	(void)r;
	if (db_select(&q_lock_org, "i", org_id) != 0)
		return -1;
	rc = db_fetch(&q_lock_org, "i", &id);
	db_done(&q_lock_org);
	return rc;
}

int
member_lock(struct req *r, int64_t org_id, int64_t user_id,
    struct member *m)
{
	char	*role, *product;
	int	 rc;

	(void)r;
	memset(m, 0, sizeof(*m));
	if (db_select(&q_lock, "ii", org_id, user_id) != 0)
		return -1;
	rc = db_fetch(&q_lock, "isssissi", &m->user_id, &m->name, &m->email,
	    &role, &m->pool_id, &product, &m->joined_at, &m->version);
	db_done(&q_lock);
	if (rc <= 0)
		return rc;
	if (role_parse(role, &m->role) != 0)
		m->role = ROLE_MEMBER;
	m->has_license = product != NULL &&
	    product_parse(product, &m->license) == 0;
	return 1;
}

int64_t
member_owner_count(struct req *r, int64_t org_id)
{
	int64_t	 n = -1;

	(void)r;
	if (db_select(&q_owners, "i", org_id) != 0)
		return -1;
	if (db_fetch(&q_owners, "i", &n) != 1)
		n = -1;
	db_done(&q_owners);
	return n;
}

/* The session's copy of the signed-in user's memberships (the layout's
 * workspace switcher) is stale after a write to them: read them again. */
static void
memberships_changed(struct req *r)
{
	if (r->user != NULL)
		r->user->memberships_read = 0;
}

int
member_add(struct req *r, int64_t org_id, int64_t user_id,
    enum org_role role, int64_t pool_id)
{
	memberships_changed(r);
	if (db_exec(&q_add, "iisi", org_id, user_id, role_name(role),
	    pool_id) < 0)
		return db_status() == 409 ? 1 : -1;
	return 0;
}

int
member_set_role(struct req *r, int64_t org_id, int64_t user_id,
    enum org_role role, int64_t version)
{
	int64_t	 n;

	memberships_changed(r);
	if ((n = db_exec(&q_role, "siii", role_name(role), org_id, user_id,
	    version)) < 0)
		return -1;
	return n == 1;
}

int
member_set_pool(struct req *r, int64_t org_id, int64_t user_id,
    int64_t pool_id, int64_t version)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_pool, "iiii", pool_id, org_id, user_id,
	    version)) < 0)
		return -1;
	return n == 1;
}

int
member_delete(struct req *r, int64_t org_id, int64_t user_id)
{
	int64_t	 n;

	memberships_changed(r);
	if ((n = db_exec(&q_delete, "ii", org_id, user_id)) < 0 ||
	    db_exec(&q_forget, "ii", user_id, org_id) < 0)
		return -1;
	return n == 1;
}

json_object *
member_json(const struct member *m, const char *tz)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", m->user_id);
	vset_str(o, "name", m->name);
	vset_str(o, "email", m->email);
	vset_str(o, "role", role_name(m->role));
	vset_str(o, "license", m->has_license ? product_name(m->license) :
	    NULL);
	vset_str(o, "license_label", m->has_license ?
	    product_label(m->license) : NULL);
	vset_time(o, "joined_at", m->joined_at, tz);
	vset_int(o, "version", m->version);
	return o;
}

json_object *
member_list(struct req *r, int64_t org_id, const char *role,
    const char *product)
{
	json_object	*a, *o;
	struct member	 m;
	char		*rs, *ps;
	int64_t		 events = 0;
	int		 rc;

	if (db_select(&q_list, "issss", org_id, role, role, product,
	    product) != 0)
		return NULL;
	a = json_object_new_array();
	for (;;) {
		memset(&m, 0, sizeof(m));
		rc = db_fetch(&q_list, "isssssii", &m.user_id, &m.name,
		    &m.email, &rs, &ps, &m.joined_at, &m.version, &events);
		if (rc != 1)
			break;
		if (role_parse(rs, &m.role) != 0)
			m.role = ROLE_MEMBER;
		m.has_license = ps != NULL && product_parse(ps,
		    &m.license) == 0;
		o = member_json(&m, r->user ? r->user->timezone : NULL);
		json_object_object_add(o, "event_count",
		    json_object_new_int64(events));
		json_object_array_add(a, o);
	}
	db_done(&q_list);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

/* One pass over the org pools; out may be NULL (totals only). */
static int
read_free(int64_t org_id, int64_t by_product[PROD__MAX], enum product want,
    struct pool_free *out, size_t max, size_t *n)
{
	int64_t		 id, nfree;
	char		*ps;
	enum product	 p;
	int		 rc;

	if (n != NULL)
		*n = 0;
	memset(by_product, 0, sizeof(int64_t) * PROD__MAX);
	if (db_select(&q_free, "i", org_id) != 0)
		return -1;
	while ((rc = db_fetch(&q_free, "isi", &id, &ps, &nfree)) == 1) {
		if (product_parse(ps, &p) != 0)
			continue;
		if (nfree < 0)
			nfree = 0;	/* a quantity lowered under use */
		by_product[p] += nfree;
		if (out != NULL && p == want && *n < max) {
			out[*n].pool_id = id;
			out[*n].free = nfree;
			(*n)++;
		}
	}
	db_done(&q_free);
	return rc < 0 ? -1 : 0;
}

int64_t
member_pool_free(struct req *r, int64_t org_id, enum product want,
    struct pool_free *out, size_t max, size_t *n)
{
	int64_t	 total[PROD__MAX];

	(void)r;
	if (read_free(org_id, total, want, out, max, n) != 0)
		return -1;
	return total[want];
}

int
member_free_by_product(struct req *r, int64_t org_id,
    int64_t nfree[PROD__MAX])
{
	(void)r;
	return read_free(org_id, nfree, PROD_ORG_STANDARD, NULL, 0, NULL);
}
