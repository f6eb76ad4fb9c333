/* emailtok.c — verification and reset links. */
#include <stddef.h>

#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "emailtok.h"

static const char *const kinds[] = { "verify", "reset" };
static const char *const prefixes[] = { "bover_", "boreset_" };

static struct dbq q_kill = DBQ(
    "UPDATE email_tokens SET used_at = UTC_TIMESTAMP(3)"
    " WHERE user_id = ? AND kind = ? AND used_at IS NULL");
static struct dbq q_insert = DBQ(
    "INSERT INTO email_tokens (kind, user_id, token_hash, email,"
    " created_at, expires_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3),"
    " UTC_TIMESTAMP(3) + INTERVAL ? SECOND)");
static struct dbq q_find = DBQ(
    "SELECT id, user_id FROM email_tokens WHERE token_hash = ? AND kind = ?"
    " AND used_at IS NULL AND expires_at > UTC_TIMESTAMP(3)");
static struct dbq q_use = DBQ(
    "UPDATE email_tokens SET used_at = UTC_TIMESTAMP(3) WHERE id = ?"
    " AND used_at IS NULL AND expires_at > UTC_TIMESTAMP(3)");

int
emailtok_kill(struct req *r, enum emailtok_kind k, int64_t user_id)
{
	(void)r;
	return db_exec(&q_kill, "is", user_id, kinds[k]) < 0 ? -1 : 0;
}

int
emailtok_create(struct req *r, enum emailtok_kind k, int64_t user_id,
    const char *email, int ttl, char *out, size_t outsz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];

	if (emailtok_kill(r, k, user_id) != 0)
		return -1;
	token_new(prefixes[k], out, outsz, hash);
	return db_exec(&q_insert, "sibsi", kinds[k], user_id, hash,
	    sizeof(hash), email, (int64_t)ttl) < 0 ? -1 : 0;
}

int
emailtok_find(struct req *r, enum emailtok_kind k, const char *tok,
    int64_t *user_id, int64_t *id)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	int		 rc;

	(void)r;
	if (token_hash(prefixes[k], tok, hash) != 0)
		return 0;
	if (db_select(&q_find, "bs", hash, sizeof(hash), kinds[k]) != 0)
		return -1;
	rc = db_fetch(&q_find, "ii", id, user_id);
	db_done(&q_find);
	return rc;
}

int
emailtok_consume(struct req *r, int64_t id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_use, "i", id)) < 0)
		return -1;
	return n == 1;
}
