/* invitation.c — org invitation rows and their links. */
#include <string.h>

#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "invitation.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define LIVE(t) "(" t ".status = 'pending' AND " t ".expires_at >" \
    " UTC_TIMESTAMP(3))"

/* The whole batch in one statement: the normalized addresses arrive as
 * one JSON array parameter and JSON_TABLE turns them into rows. */
static struct dbq q_lookup = DBQ(
    "SELECT j.n, u.id, u.name, u.email, m.user_id IS NOT NULL,"
    " EXISTS (SELECT 1 FROM org_invitations i WHERE i.org_id = ?"
    "  AND i.email_norm = j.n COLLATE utf8mb4_bin AND " LIVE("i") ")"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (n VARCHAR(254) PATH '$')) AS j"
    " LEFT JOIN users u ON u.email_norm = j.n COLLATE utf8mb4_bin"
    " LEFT JOIN org_members m ON m.org_id = ? AND m.user_id = u.id");
static struct dbq q_by_token = DBQ(
    "SELECT i.id, i.org_id, o.name, i.email, i.role, i.pool_id,"
    " p.product, " LIVE("i") ", " TS("i.expires_at") ", u.name"
    " FROM org_invitations i JOIN orgs o ON o.id = i.org_id"
    " JOIN license_pools p ON p.id = i.pool_id"
    " LEFT JOIN users u ON u.id = i.inviter_id"
    " WHERE i.token_hash = ?");
static struct dbq q_lock = DBQ(
    "SELECT id, org_id, email, role, pool_id, " LIVE("org_invitations")
    ", " TS("expires_at") " FROM org_invitations"
    " WHERE id = ? AND org_id = ? FOR UPDATE");
static struct dbq q_product = DBQ(
    "SELECT product FROM license_pools WHERE id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO org_invitations (org_id, email, email_norm, role,"
    " pool_id, inviter_id, token_hash, created_at, expires_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3),"
    " UTC_TIMESTAMP(3) + INTERVAL ? SECOND)");
static struct dbq q_renew = DBQ(
    "UPDATE org_invitations SET token_hash = ?,"
    " expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
    " WHERE id = ? AND org_id = ? AND " LIVE("org_invitations"));
static struct dbq q_revoke = DBQ(
    "UPDATE org_invitations SET status = 'revoked'"
    " WHERE id = ? AND org_id = ? AND status = 'pending'");
static struct dbq q_accepted = DBQ(
    "UPDATE org_invitations SET status = 'accepted',"
    " accepted_at = UTC_TIMESTAMP(3), accepted_user_id = ?"
    " WHERE id = ? AND " LIVE("org_invitations"));
static struct dbq q_list = DBQ(
    "SELECT i.id, i.email, i.role, p.product, u.name, "
    TS("i.created_at") ", " TS("i.expires_at")
    " FROM org_invitations i JOIN license_pools p ON p.id = i.pool_id"
    " LEFT JOIN users u ON u.id = i.inviter_id"
    " WHERE i.org_id = ? AND " LIVE("i")
    " ORDER BY i.created_at DESC, i.id DESC");

int
invitation_lookup(struct req *r, int64_t org_id, struct invitee *rows,
    size_t n)
{
	json_object	*a = json_object_new_array();
	const char	*norms;
	char		*norm, *name, *email;
	int64_t		 uid, member, pending;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(rows[i].norm));
	norms = arena_strdup(r->a, json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	if (db_select(&q_lookup, "isi", org_id, norms, org_id) != 0)
		return -1;
	while ((rc = db_fetch(&q_lookup, "sissii", &norm, &uid, &name,
	    &email, &member, &pending)) == 1)
		for (i = 0; i < n; i++)
			if (norm != NULL && strcmp(rows[i].norm, norm) == 0) {
				rows[i].user_id = uid;
				rows[i].user_name = name;
				rows[i].user_email = email;
				rows[i].member = (int)member;
				rows[i].pending = (int)pending;
			}
	db_done(&q_lookup);
	return rc < 0 ? -1 : 0;
}

static void
set_enums(struct invitation *inv, const char *role, const char *product)
{
	if (role_parse(role, &inv->role) != 0)
		inv->role = ROLE_MEMBER;
	if (product_parse(product, &inv->license) != 0)
		inv->license = PROD_ORG_STANDARD;
}

int
invitation_by_token(struct req *r, const char *tok, struct invitation *inv)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	char		*role, *product;
	int64_t		 live;
	int		 rc;

	(void)r;
	memset(inv, 0, sizeof(*inv));
	if (tok == NULL || token_hash(INVITE_PREFIX, tok, hash) != 0)
		return 0;
	if (db_select(&q_by_token, "b", hash, sizeof(hash)) != 0)
		return -1;
	rc = db_fetch(&q_by_token, "iisssisiss", &inv->id, &inv->org_id,
	    &inv->org_name, &inv->email, &role, &inv->pool_id, &product,
	    &live, &inv->expires_at, &inv->inviter_name);
	db_done(&q_by_token);
	if (rc <= 0)
		return rc;
	inv->live = (int)live;
	set_enums(inv, role, product);
	return 1;
}

int
invitation_lock(struct req *r, int64_t org_id, int64_t id,
    struct invitation *inv)
{
	char	*role, *product = NULL;
	int64_t	 live;
	int	 rc;

	(void)r;
	memset(inv, 0, sizeof(*inv));
	if (db_select(&q_lock, "ii", id, org_id) != 0)
		return -1;
	rc = db_fetch(&q_lock, "iissiis", &inv->id, &inv->org_id,
	    &inv->email, &role, &inv->pool_id, &live, &inv->expires_at);
	db_done(&q_lock);
	if (rc <= 0)
		return rc;
	inv->live = (int)live;
	if (db_select(&q_product, "i", inv->pool_id) != 0)
		return -1;
	rc = db_fetch(&q_product, "s", &product);
	db_done(&q_product);
	if (rc < 0)
		return -1;
	set_enums(inv, role, product);
	return 1;
}

int64_t
invitation_create(struct req *r, int64_t org_id, const char *email,
    enum org_role role, int64_t pool_id, char *tok, size_t toksz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];

	token_new(INVITE_PREFIX, tok, toksz, hash);
	if (db_exec(&q_insert, "isssiibi", org_id, email,
	    user_email_norm(r, email), role_name(role), pool_id,
	    r->user->id, hash, sizeof(hash), (int64_t)INVITE_TTL) < 0)
		return -1;
	return db_insert_id();
}

int
invitation_renew(struct req *r, int64_t org_id, int64_t id, char *tok,
    size_t toksz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	int64_t		 n;

	(void)r;
	token_new(INVITE_PREFIX, tok, toksz, hash);
	if ((n = db_exec(&q_renew, "biii", hash, sizeof(hash),
	    (int64_t)INVITE_TTL, id, org_id)) < 0)
		return -1;
	return n == 1;
}

int
invitation_revoke(struct req *r, int64_t org_id, int64_t id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_revoke, "ii", id, org_id)) < 0)
		return -1;
	return n == 1;
}

int
invitation_accepted(struct req *r, int64_t id, int64_t user_id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_accepted, "ii", user_id, id)) < 0)
		return -1;
	return n == 1;
}

json_object *
invitation_list(struct req *r, int64_t org_id)
{
	json_object	*a;
	int64_t		 id;
	char		*email, *role, *product, *inviter, *created, *expires;
	const char	*tz = r->user ? r->user->timezone : NULL;
	enum product	 p;
	int		 rc;

	if (db_select(&q_list, "i", org_id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_list, "issssss", &id, &email, &role,
	    &product, &inviter, &created, &expires)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", id);
		vset_str(o, "email", email);
		vset_str(o, "role", role);
		vset_str(o, "license", product);
		vset_str(o, "license_label", product_parse(product, &p) == 0 ?
		    product_label(p) : product);
		vset_str(o, "invited_by", inviter);
		vset_time(o, "created_at", created, tz);
		vset_time(o, "expires_at", expires, tz);
		json_object_array_add(a, o);
	}
	db_done(&q_list);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}
