/* session.c — sessions in MariaDB, API tokens, CSRF.
 *
 * One query loads the session, its user and the personal workspace, so
 * a signed-in page starts with a single round trip; on the routes of one
 * event or organization the same query brings the user's standing in it
 * (auth_load_by: eventctx.c, orgctx.c). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"
#include "render/view.h"
#include "session.h"
#include "token.h"

static struct dbq q_load = DBQ("SELECT " SESSION_COLS " FROM " SESSION_FROM
    " WHERE s.token_hash = ?");
static struct dbq q_load_page = DBQ("SELECT " SESSION_COLS SESSION_WORKSPACES
    " FROM " SESSION_FROM " WHERE s.token_hash = ?");
static struct dbq q_touch = DBQ(
    "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(3) WHERE id = ?");
static struct dbq q_delete = DBQ("DELETE FROM sessions WHERE id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at,"
    " last_seen_at, authed_at, client, ip) VALUES (?, NULLIF(?, 0), ?,"
    " UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),"
    " IF(? > 0, UTC_TIMESTAMP(3), NULL), ?, ?)");
static struct dbq q_purge = DBQ(
    "DELETE FROM sessions WHERE last_seen_at < UTC_TIMESTAMP(3) -"
    " INTERVAL ? SECOND LIMIT 100");
static struct dbq q_others = DBQ(
    "DELETE FROM sessions WHERE user_id = ? AND id <> ?");
static struct dbq q_all = DBQ("DELETE FROM sessions WHERE user_id = ?");
static struct dbq q_flash = DBQ("UPDATE sessions SET flash = ? WHERE id = ?");
static struct dbq q_token = DBQ(
    "SELECT t.id, t.scope = 'read-write', t.user_id,"
    " t.last_used_at IS NULL OR t.last_used_at <"
    "  UTC_TIMESTAMP(3) - INTERVAL 60 SECOND,"
    " u.uuid, u.email, u.name, u.timezone, u.email_verified_at IS NOT NULL,"
    " DATE_FORMAT(u.created_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(u.last_sign_in_at, '%Y-%m-%dT%H:%i:%sZ'), o.id, o.name "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id"
    " LEFT JOIN orgs o ON o.personal_user_id = u.id "
    "WHERE t.token_hash = ? AND t.revoked_at IS NULL"
    " AND (t.expires_at IS NULL OR t.expires_at > UTC_TIMESTAMP(3))"
    " AND u.status = 'active'");
static struct dbq q_token_used = DBQ(
    "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP(3),"
    " last_used_ip = ? WHERE id = ?");

const char *
session_cookie_name(void)
{
	return cfg->insecure_dev_cookies ? "bo_sid" : "__Host-bo_sid";
}

static void
set_cookie(struct req *r, const char *value)
{
	char	 line[256];

	if (cfg->insecure_dev_cookies)
		snprintf(line, sizeof(line), "%s=%s; Path=/; HttpOnly; "
		    "SameSite=Lax%s", session_cookie_name(), value,
		    *value ? "" : "; Max-Age=0");
	else
		snprintf(line, sizeof(line), "%s=%s; Path=/; Secure; "
		    "HttpOnly; SameSite=Lax%s", session_cookie_name(), value,
		    *value ? "" : "; Max-Age=0");
	resp_header(r, "Set-Cookie", line);
}

static int
load_token(struct req *r, const char *tok)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	struct user	*u;
	int64_t		 id, write, uid, stale, verified;
	int		 rc;

	if (token_hash("boapi_", tok, hash) != 0)
		return 401;
	if (db_select(&q_token, "b", hash, sizeof(hash)) != 0)
		return 503;
	u = arena_calloc(r->a, 1, sizeof(*u));
	rc = db_fetch(&q_token, "iiiissssissis", &id, &write, &uid, &stale,
	    &u->uuid, &u->email, &u->name, &u->timezone, &verified,
	    &u->created_at, &u->last_sign_in_at, &u->personal_org_id,
	    &u->personal_org_name);
	db_done(&q_token);
	if (rc < 0)
		return 503;
	if (rc == 0) {
		log_msg(LOG_INFO, "auth=token decision=deny "
		    "reason=unauthenticated");
		return 401;
	}
	u->id = uid;
	u->verified = (int)verified;
	u->active = 1;
	r->user = u;
	r->token_id = id;
	r->token_write = (int)write;
	if (stale && db_exec(&q_token_used, "si", r->remote_addr, id) < 0)
		return 503;
	return 0;
}

/* The session of the next row of q (SESSION_COLS first): sets r->sess
 * and r->user, ends an expired one. 0, or 503. */
static int
from_row(struct req *r, struct dbq *q)
{
	struct session	*s;
	struct user	*u;
	int64_t		 age, idle, verified, active, mcp;
	char		*uuid;
	int		 rc;

	s = arena_calloc(r->a, 1, sizeof(*s));
	u = arena_calloc(r->a, 1, sizeof(*u));
	rc = db_fetch(q, SESSION_TYPES, &s->id, &s->user_id,
	    &s->csrf, &s->flash, &s->current_org_id, &age, &idle, &s->authed_age, &uuid,
	    &u->email, &u->name, &u->timezone, &verified, &active, &mcp,
	    &u->created_at, &u->last_sign_in_at, &u->personal_org_id,
	    &u->personal_org_name);
	if (rc < 0)
		return 503;
	if (rc == 1 && session_ncols(r) > SESSION_NCOLS) {
		db_cols(q, SESSION_NCOLS, "s", &u->memberships);
		u->memberships_read = 1;
	}
	if (rc == 0) {
		set_cookie(r, "");
		return 0;
	}
	/* SES-5: idle and absolute timeouts against the server clock; a
	 * disabled account loses its sessions at once. */
	if (idle >= cfg->session_idle_timeout ||
	    age >= cfg->session_absolute_timeout ||
	    (s->user_id != 0 && !active)) {
		log_msg(LOG_INFO, "auth=session decision=expired idle=%lld "
		    "age=%lld", (long long)idle, (long long)age);
		if (db_exec(&q_delete, "i", s->id) < 0)
			return 503;
		set_cookie(r, "");
		return 0;
	}
	if (idle >= 60 && db_exec(&q_touch, "i", s->id) < 0)
		return 503;
	r->sess = s;
	if (s->user_id != 0) {
		u->id = s->user_id;
		u->uuid = uuid;
		u->verified = (int)verified;
		u->active = (int)active;
		u->must_change_password = (int)mcp;
		r->user = u;
	}
	return 0;
}

int
auth_load(struct req *r)
{
	const char	*cookie = req_cookie(r, session_cookie_name());
	unsigned char	 hash[TOKEN_HASH_LEN];
	struct dbq	*q;
	int		 st;

	if (r->authorization != NULL &&
	    strncmp(r->authorization, "Bearer ", 7) == 0) {
		/* CSRF-6: a Bearer request carries no ambient credential. */
		if (cookie != NULL)
			return 400;
		return load_token(r, r->authorization + 7);
	}
	if (cookie == NULL)
		return 0;
	if (token_hash("bosess_", cookie, hash) != 0) {
		set_cookie(r, "");
		return 0;
	}
	q = r->fmt == FMT_HTML ? &q_load_page : &q_load;
	if (db_select(q, "b", hash, sizeof(hash)) != 0)
		return 503;
	st = from_row(r, q);
	db_done(q);
	return st;
}

size_t
session_ncols(const struct req *r)
{
	return r->fmt == FMT_HTML ? SESSION_NCOLS + 1 : SESSION_NCOLS;
}

int
auth_load_by(struct req *r, struct dbq *q, struct dbq *q_page,
    void (*cols)(struct req *, struct dbq *, size_t))
{
	const char	*cookie = req_cookie(r, session_cookie_name());
	unsigned char	 hash[TOKEN_HASH_LEN];
	int64_t		 id = req_pathvar_id(r, 0);
	int		 st;

	if (id < 0 || cookie == NULL || (r->authorization != NULL &&
	    strncmp(r->authorization, "Bearer ", 7) == 0) ||
	    token_hash("bosess_", cookie, hash) != 0)
		return auth_load(r);
	if (r->fmt == FMT_HTML)
		q = q_page;
	if (db_select(q, "ib", id, hash, sizeof(hash)) != 0)
		return 503;
	if ((st = from_row(r, q)) == 0 && r->user != NULL)
		cols(r, q, session_ncols(r));
	db_done(q);
	return st;
}

static int
create(struct req *r, int64_t user_id)
{
	char		 tok[64], csrf[TOKEN_RAND_B64 + 1];
	unsigned char	 hash[TOKEN_HASH_LEN];
	char		 client[201];
	struct session	*s;

	token_new("bosess_", tok, sizeof(tok), hash);
	token_random_b64(csrf);
	snprintf(client, sizeof(client), "%s",
	    r->user_agent ? r->user_agent : "");
	/* Keep the stored client description printable. */
	for (char *p = client; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (!utf8_valid(client, strlen(client)))
		client[0] = '\0';
	if (db_exec(&q_insert, "bisiss", hash, sizeof(hash),
	    user_id, csrf, user_id, client,
	    r->remote_addr) < 0)
		return -1;
	s = arena_calloc(r->a, 1, sizeof(*s));
	s->id = db_insert_id();
	s->user_id = user_id;
	s->csrf = arena_strdup(r->a, csrf);
	r->sess = s;
	set_cookie(r, tok);
	sodium_memzero(tok, sizeof(tok));
	return 0;
}

int
session_ensure(struct req *r)
{
	if (r->sess != NULL || r->token_id != 0)
		return 0;
	/* Expired rows go a few at a time, on the way. */
	if (db_exec(&q_purge, "i", (int64_t)cfg->session_idle_timeout) < 0)
		return -1;
	return create(r, 0);
}

int
session_login(struct req *r, int64_t user_id)
{
	if (r->sess != NULL && db_exec(&q_delete, "i", r->sess->id) < 0)
		return -1;
	r->sess = NULL;
	return create(r, user_id);
}

int
session_logout(struct req *r)
{
	if (r->sess != NULL && db_exec(&q_delete, "i", r->sess->id) < 0)
		return -1;
	r->sess = NULL;
	r->user = NULL;
	set_cookie(r, "");
	return 0;
}

int
session_end_others(struct req *r, int64_t user_id)
{
	return db_exec(&q_others, "ii", user_id,
	    r->sess ? r->sess->id : (int64_t)0) < 0 ? -1 : 0;
}

int
session_end_all(struct req *r, int64_t user_id)
{
	(void)r;
	return db_exec(&q_all, "i", user_id) < 0 ? -1 : 0;
}

int
session_set_flash(struct req *r, const char *kind, const char *text)
{
	if (r->sess == NULL)
		return 0;
	return db_exec(&q_flash, "si", arena_printf(r->a, "%s\t%s", kind,
	    text), r->sess->id) < 0 ? -1 : 0;
}

static int
deny(const char *why)
{
	log_msg(LOG_WARN, "decision=deny reason=csrf detail=%s", why);
	return 403;
}

int
csrf_check(struct req *r)
{
	const char	*tok;
	size_t		 n;

	/* CSRF-2: the Origin must be ours; without Origin the browser's
	 * Sec-Fetch-Site must say same-origin; with neither, refuse. */
	if (r->origin != NULL) {
		if (strcmp(r->origin, cfg->base_url) != 0)
			return deny("origin");
	} else if (r->sec_fetch_site == NULL ||
	    strcmp(r->sec_fetch_site, "same-origin") != 0)
		return deny("no_origin");
	if (r->sess == NULL)
		return deny("no_session");
	tok = req_param(r, "csrf_token");
	if (tok == NULL)
		tok = r->csrf_header;
	if (tok == NULL)
		return deny("missing");
	n = strlen(r->sess->csrf);
	if (strlen(tok) != n || sodium_memcmp(tok, r->sess->csrf, n) != 0)
		return deny("mismatch");
	return 0;
}
