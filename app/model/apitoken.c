/* apitoken.c — personal access token rows. */
#include <stdio.h>
#include <string.h>

#include "apitoken.h"
#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"

static struct dbq q_list = DBQ(
    "SELECT id, name, hint, scope, " TS("created_at") ", "
    TS("expires_at") ", " TS("last_used_at") " FROM api_tokens"
    " WHERE user_id = ? AND revoked_at IS NULL"
    " AND (expires_at IS NULL OR expires_at > UTC_TIMESTAMP(3))"
    " ORDER BY created_at DESC, id DESC");
static struct dbq q_insert = DBQ(
    "INSERT INTO api_tokens (user_id, name, token_hash, hint, scope,"
    " created_at, expires_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3),"
    " IF(? > 0, UTC_TIMESTAMP(3) + INTERVAL ? DAY, NULL))");
static struct dbq q_revoke = DBQ(
    "UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND user_id = ? AND revoked_at IS NULL");

json_object *
apitoken_list(struct req *r, int64_t user_id)
{
	json_object	*a;
	int64_t		 id;
	char		*name, *hint, *scope, *created, *expires, *used;
	int		 rc;

	if (db_select(&q_list, "i", user_id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_list, "issssss", &id, &name, &hint, &scope,
	    &created, &expires, &used)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", id);
		vset_str(o, "name", name);
		vset_str(o, "hint", hint);
		vset_str(o, "scope", scope);
		vset_time(o, "created_at", created, r->user->timezone);
		vset_time(o, "expires_at", expires, r->user->timezone);
		vset_time(o, "last_used_at", used, r->user->timezone);
		json_object_array_add(a, o);
	}
	db_done(&q_list);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

int64_t
apitoken_create(struct req *r, int64_t user_id, const char *name,
    const char *scope, int days, char *out, size_t outsz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	char		 hint[20];

	(void)r;
	token_new("boapi_", out, outsz, hash);
	/* Enough to recognise a token in a list, far too little to use. */
	snprintf(hint, sizeof(hint), "boapi_%.4s…", out + 6);
	if (db_exec(&q_insert, "isbssii", user_id, name, hash, sizeof(hash),
	    hint, scope, (int64_t)days, (int64_t)days) < 0)
		return -1;
	return db_insert_id();
}

int
apitoken_revoke(struct req *r, int64_t user_id, int64_t id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_revoke, "ii", id, user_id)) < 0)
		return -1;
	return n == 1;
}
