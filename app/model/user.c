/* user.c — account rows and the personal organization made with them. */
#include <string.h>

#include "auth/token.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "render/timefmt.h"
#include "render/view.h"
#include "user.h"

#define USER_COLS \
    "u.id, u.uuid, u.email, u.name, u.timezone, " \
    "u.email_verified_at IS NOT NULL, u.status = 'active', " \
    "u.must_change_password, u.password_hash, u.pepper_id, " \
    "DATE_FORMAT(u.created_at, '%Y-%m-%dT%H:%i:%sZ'), " \
    "DATE_FORMAT(u.last_sign_in_at, '%Y-%m-%dT%H:%i:%sZ'), o.id, o.name "
#define USER_FROM \
    "FROM users u LEFT JOIN orgs o ON o.personal_user_id = u.id "

static struct dbq q_by_email = DBQ(
    "SELECT " USER_COLS USER_FROM "WHERE u.email_norm = ?");
static struct dbq q_by_id = DBQ(
    "SELECT " USER_COLS USER_FROM "WHERE u.id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO users (uuid, email, email_norm, name, password_hash, "
    "pepper_id, timezone, created_at, password_changed_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_insert_org = DBQ(
    "INSERT INTO orgs (uuid, name, kind, personal_user_id, timezone, "
    "created_at) VALUES (?, ?, 'personal', ?, ?, UTC_TIMESTAMP(3))");
static struct dbq q_set_pw = DBQ(
    "UPDATE users SET password_hash = ?, pepper_id = ?, "
    "must_change_password = 0, password_changed_at = UTC_TIMESTAMP(3), "
    "version = version + 1 WHERE id = ?");
static struct dbq q_verify = DBQ(
    "UPDATE users SET email_verified_at = COALESCE(email_verified_at, "
    "UTC_TIMESTAMP(3)) WHERE id = ?");
static struct dbq q_sign_in = DBQ(
    "UPDATE users SET last_sign_in_at = UTC_TIMESTAMP(3) WHERE id = ?");

char *
user_email_norm(struct req *r, const char *email)
{
	char	*s = arena_strdup(r->a, email), *p;

	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

static int
fetch(struct dbq *q, struct user *u)
{
	int64_t	 verified, active, mcp, pepper;
	int	 rc;

	memset(u, 0, sizeof(*u));
	rc = db_fetch(q, "issssiiisissis", &u->id, &u->uuid, &u->email,
	    &u->name, &u->timezone, &verified, &active, &mcp,
	    &u->password_hash, &pepper, &u->created_at, &u->last_sign_in_at,
	    &u->personal_org_id, &u->personal_org_name);
	u->verified = (int)verified;
	u->active = (int)active;
	u->must_change_password = (int)mcp;
	u->pepper_id = (int)pepper;
	db_done(q);
	return rc;
}

int
user_by_email(struct req *r, const char *email, struct user *u)
{
	if (db_select(&q_by_email, "s", user_email_norm(r, email)) != 0)
		return -1;
	return fetch(&q_by_email, u);
}

int
user_by_id(struct req *r, int64_t id, struct user *u)
{
	(void)r;
	if (db_select(&q_by_id, "i", id) != 0)
		return -1;
	return fetch(&q_by_id, u);
}

int64_t
user_create(struct req *r, const char *email, const char *name,
    const char *pw_hash, int pepper_id, const char *tz)
{
	char	 uuid[37], ouuid[37];
	int64_t	 id;

	token_uuid(uuid);
	if (db_exec(&q_insert, "sssssis", uuid, email,
	    user_email_norm(r, email), name, pw_hash, (int64_t)pepper_id,
	    tz) < 0)
		return db_status() == 409 ? 0 : -1;
	id = db_insert_id();
	token_uuid(ouuid);
	if (db_exec(&q_insert_org, "ssis", ouuid, name, id, tz) < 0)
		return -1;
	return id;
}

int
user_set_password(struct req *r, int64_t id, const char *hash,
    int pepper_id)
{
	(void)r;
	return db_exec(&q_set_pw, "sii", hash, (int64_t)pepper_id, id) < 0 ?
	    -1 : 0;
}

int
user_mark_verified(struct req *r, int64_t id)
{
	(void)r;
	return db_exec(&q_verify, "i", id) < 0 ? -1 : 0;
}

int
user_touch_sign_in(struct req *r, int64_t id)
{
	(void)r;
	return db_exec(&q_sign_in, "i", id) < 0 ? -1 : 0;
}

json_object *
user_json(const struct user *u)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", u->id);
	vset_str(o, "uuid", u->uuid);
	vset_str(o, "name", u->name);
	vset_str(o, "email", u->email);
	vset_str(o, "timezone", u->timezone);
	vset_bool(o, "verified", u->verified);
	vset_time(o, "created_at", u->created_at, u->timezone);
	vset_time(o, "last_sign_in_at", u->last_sign_in_at, u->timezone);
	return o;
}
