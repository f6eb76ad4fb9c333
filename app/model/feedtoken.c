/* feedtoken.c — feed token rows (FEEDS.md §5.2). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/conf.h"
#include "core/req.h"
#include "db/db.h"
#include "model/feedtoken.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"

/* The token and its cache (0018): one statement per poll, one table,
 * one unique-key step. What the feed shows has no part in it: a write
 * forgets the cached bodies of the feeds it changes instead
 * (feedtoken_forget, 0021), and disabling an account revokes its tokens
 * (FEEDS §5.3), so a key found here stands for everything the body was
 * made of but the day and the window, which the poll adds itself. The
 * owner's account and access are read on the long way (§5.4). */
static struct dbq q_by_hash = DBQ(
    "SELECT id, owner_user_id, scope_kind, scope_id, token_hint,"
    " UNIX_TIMESTAMP(created_at), COALESCE(UNIX_TIMESTAMP(last_used_at), 0),"
    " cache_key, cache_etag, COALESCE(cache_modified, 0),"
    " COALESCE(scope_org_id, 0)"
    " FROM feed_token WHERE token_hash = ? AND revoked_at IS NULL");
static struct dbq q_for_scope = DBQ(
    "SELECT id, owner_user_id, scope_kind, scope_id, token_hint,"
    " UNIX_TIMESTAMP(created_at), COALESCE(UNIX_TIMESTAMP(last_used_at), 0),"
    " cache_key, cache_etag, COALESCE(cache_modified, 0), 0 FROM feed_token"
    " WHERE owner_user_id = ? AND scope_kind = ? AND scope_id = ?"
    " AND revoked_at IS NULL");
/* A request about to make the body again claims the token's cache: a
 * key no body has, "~", the time in 8 hex digits and 16 random ones. It
 * stores its key only if the claim is still there: a write committed
 * meanwhile forgets the claim with the key, so the body made from older
 * data is not remembered. A live claim is left alone, or polls of one
 * token side by side would take it from each other for ever and none
 * would store; one older than twice the request timeout belongs to a
 * request that is gone and may be taken (as may any key, all of which
 * sort below "~"). */
static struct dbq q_claim = DBQ(
    "UPDATE feed_token SET cache_key = ? WHERE id = ? AND revoked_at IS NULL"
    " AND (cache_key IS NULL OR cache_key < ?)");
static struct dbq q_cache = DBQ(
    "UPDATE feed_token SET cache_key = ?, cache_etag = ?, cache_modified = ?"
    " WHERE id = ? AND cache_key = ? AND revoked_at IS NULL");
/* What a committed write in an event makes stale: its feeds and those of
 * its organization's roll-ups; a write to the organization's own entries
 * (event 0): every feed in it. Only rows with a key or a claim are
 * touched (0021's key), so a write in a quiet scope changes nothing. */
static struct dbq q_forget_event = DBQ(
    "UPDATE feed_token SET cache_key = NULL WHERE scope_org_id = ?"
    " AND (scope_event_id = ? OR scope_event_id IS NULL)"
    " AND cache_key IS NOT NULL");
static struct dbq q_forget_org = DBQ(
    "UPDATE feed_token SET cache_key = NULL WHERE scope_org_id = ?"
    " AND cache_key IS NOT NULL");
static struct dbq q_count = DBQ(
    "SELECT COUNT(*) FROM feed_token WHERE owner_user_id = ?"
    " AND revoked_at IS NULL");
/* With the scope's event and organization, fixed for the token's life
 * (an area or collaborator stays in its event, an event in its
 * organization): what the validator reads by. */
static struct dbq q_insert = DBQ(
    "INSERT INTO feed_token (owner_user_id, scope_kind, scope_id,"
    " token_hash, token_hint, created_at, scope_event_id, scope_org_id)"
    " SELECT v.o, v.k, v.s, v.h, v.t, UTC_TIMESTAMP(3), e.id,"
    " IF(v.k IN ('org_schedule', 'org_tasks'), v.s, e.org_id)"
    " FROM (SELECT ? AS o, ? AS k, ? AS s, ? AS h, ? AS t) v"
    " LEFT JOIN areas ar ON v.k = 'area' AND ar.id = v.s"
    " LEFT JOIN collaborators c ON v.k = 'collaborator' AND c.id = v.s"
    " LEFT JOIN events e ON e.id = CASE v.k WHEN 'area' THEN ar.event_id"
    "  WHEN 'collaborator' THEN c.event_id WHEN 'event' THEN v.s"
    "  WHEN 'personal' THEN v.s END");
static struct dbq q_revoke = DBQ(
    "UPDATE feed_token SET revoked_at = UTC_TIMESTAMP(3), revoke_reason = ?"
    " WHERE id = ? AND (owner_user_id = ? OR ? = 0) AND revoked_at IS NULL");
static struct dbq q_revoke_all = DBQ(
    "UPDATE feed_token SET revoked_at = UTC_TIMESTAMP(3), revoke_reason = ?"
    " WHERE owner_user_id = ? AND revoked_at IS NULL");
static struct dbq q_touch = DBQ(
    "UPDATE feed_token SET last_used_at = UTC_TIMESTAMP(3),"
    " last_used_ip = INET6_ATON(?), truncated = IF(? < 0, truncated, ?)"
    " WHERE id = ? AND revoked_at IS NULL");
/* The scope's label: event, event · area, event · collaborator, or the
 * organization; personal scope 0 is every event. */
static struct dbq q_list = DBQ(
    "SELECT f.id, f.scope_kind, f.scope_id, f.token_hint, "
    TS("f.created_at") ", " TS("f.last_used_at") ","
    " INET6_NTOA(f.last_used_ip), f.truncated,"
    " CASE f.scope_kind WHEN 'area' THEN CONCAT(e.name, ' · ', ar.name)"
    "  WHEN 'collaborator' THEN CONCAT(e.name, ' · ', c.name)"
    "  WHEN 'org_schedule' THEN o.name WHEN 'org_tasks' THEN o.name"
    "  ELSE COALESCE(e.name, 'All my events') END,"
    " COALESCE(e.id, 0)"
    " FROM feed_token f"
    " LEFT JOIN areas ar ON f.scope_kind = 'area' AND ar.id = f.scope_id"
    " LEFT JOIN collaborators c ON f.scope_kind = 'collaborator'"
    "  AND c.id = f.scope_id"
    " LEFT JOIN events e ON e.id = CASE f.scope_kind"
    "  WHEN 'area' THEN ar.event_id WHEN 'collaborator' THEN c.event_id"
    "  WHEN 'event' THEN f.scope_id WHEN 'personal' THEN f.scope_id END"
    " LEFT JOIN orgs o ON f.scope_kind IN ('org_schedule', 'org_tasks')"
    "  AND o.id = f.scope_id"
    " WHERE f.owner_user_id = ? AND f.revoked_at IS NULL"
    " ORDER BY f.created_at DESC, f.id DESC");

static int
fetch_one(struct dbq *q, struct feedtoken *t)
{
	int64_t	 used, org;
	int	 rc;

	memset(t, 0, sizeof(*t));
	rc = db_fetch(q, "iisisiissii", &t->id, &t->owner_id, &t->scope_kind,
	    &t->scope_id, &t->hint, &t->created, &used, &t->cache_key,
	    &t->cache_etag, &t->cache_modified, &org);
	/* "All my events" spans organizations: no write forgets its
	 * body, so it is never remembered. */
	t->cacheable = rc == 1 && org != 0;
	t->touch_due = used < (int64_t)time(NULL) - 5 * 60;
	db_done(q);
	return rc;
}

int
feedtoken_by_hash(struct req *r, const unsigned char h[TOKEN_HASH_LEN],
    struct feedtoken *t)
{
	(void)r;
	if (db_select(&q_by_hash, "b", h, (size_t)TOKEN_HASH_LEN) != 0)
		return -1;
	return fetch_one(&q_by_hash, t);
}

int
feedtoken_for_scope(struct req *r, int64_t owner, const char *kind,
    int64_t scope_id, struct feedtoken *t)
{
	(void)r;
	if (db_select(&q_for_scope, "isi", owner, kind, scope_id) != 0)
		return -1;
	return fetch_one(&q_for_scope, t);
}

int64_t
feedtoken_count(struct req *r, int64_t owner)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_count, "i", owner) != 0)
		return -1;
	rc = db_fetch(&q_count, "i", &n);
	db_done(&q_count);
	return rc < 0 ? -1 : n;
}

int64_t
feedtoken_create(struct req *r, int64_t owner, const char *kind,
    int64_t scope_id, char *out, size_t outsz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	char		 hint[FEED_HINT_LEN + 1];

	(void)r;
	token_new(FEED_PREFIX, out, outsz, hash);
	/* "bofeed_Ab3d": recognizable, far too short to use (§5.1). */
	snprintf(hint, sizeof(hint), "%.*s", FEED_HINT_LEN, out);
	if (db_exec(&q_insert, "isibs", owner, kind, scope_id, hash,
	    sizeof(hash), hint) < 0) {
		sodium_memzero(hash, sizeof(hash));
		return -1;
	}
	return db_insert_id();
}

int
feedtoken_revoke(struct req *r, int64_t owner, int64_t id, const char *why)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_revoke, "siii", why, id, owner, owner)) < 0)
		return -1;
	return n > 0;
}

int64_t
feedtoken_revoke_all(struct req *r, int64_t owner, const char *why)
{
	(void)r;
	return db_exec(&q_revoke_all, "si", why, owner);
}

int
feedtoken_touch(struct req *r, int64_t id, const char *ip, int truncated)
{
	(void)r;
	return db_exec(&q_touch, "siii", ip, (int64_t)truncated,
	    (int64_t)truncated, id) < 0 ? -1 : 0;
}

int
feedtoken_claim(struct req *r, struct feedtoken *t)
{
	unsigned char	 rnd[8];
	char		 hex[17], stale[10];
	int64_t		 now = (int64_t)time(NULL), n;

	(void)r;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(t->claim, sizeof(t->claim), "~%08llx%s",
	    (unsigned long long)now, hex);
	snprintf(stale, sizeof(stale), "~%08llx",
	    (unsigned long long)(now - 2 * cfg->request_timeout));
	if ((n = db_exec(&q_claim, "sis", t->claim, t->id, stale)) <= 0) {
		t->claim[0] = '\0';
		return n < 0 ? -1 : 0;
	}
	return 1;
}

int
feedtoken_cache(struct req *r, const struct feedtoken *t, const char *key,
    const char *etag, int64_t modified)
{
	int64_t	 n;

	(void)r;
	if (t->claim[0] == '\0')
		return 0;
	if ((n = db_exec(&q_cache, "ssiis", key, etag, modified, t->id,
	    t->claim)) < 0)
		return -1;
	return n > 0;
}

/* Run after the write's COMMIT, outside any transaction: a deadlock with
 * a poll's claim is tried again, as the stale key would otherwise stay
 * until the scope's next change. */
void
feedtoken_forget(int64_t org, int64_t event)
{
	int	 attempt;

	for (attempt = 0; attempt < 3; attempt++)
		if ((event != 0 ? db_exec(&q_forget_event, "ii", org, event) :
		    db_exec(&q_forget_org, "i", org)) >= 0 || !db_deadlock())
			return;
}

static const char *
kind_label(const char *k)
{
	if (strcmp(k, "personal") == 0)
		return "My schedule";
	if (strcmp(k, "event") == 0)
		return "Event calendar";
	if (strcmp(k, "area") == 0)
		return "Area calendar";
	if (strcmp(k, "collaborator") == 0)
		return "Collaborator calendar";
	if (strcmp(k, "org_schedule") == 0)
		return "Combined schedule";
	return "Task due dates";
}

json_object *
feedtoken_list(struct req *r, int64_t owner)
{
	json_object	*a;
	int64_t		 id, scope_id, trunc, ev;
	char		*kind, *hint, *created, *used, *ip, *label;
	int		 rc;

	if (db_select(&q_list, "i", owner) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_list, "isissssisi", &id, &kind,
	    &scope_id, &hint, &created, &used, &ip, &trunc, &label, &ev)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", id);
		vset_str(o, "kind", kind);
		vset_str(o, "kind_label", kind_label(kind));
		vset_int(o, "scope_id", scope_id);
		vset_str(o, "scope", label ? label : "(removed)");
		vset_str(o, "hint", hint);
		vset_time(o, "created_at", created, r->user->timezone);
		vset_time(o, "last_used_at", used, r->user->timezone);
		vset_str(o, "last_used_ip", ip);
		vset_bool(o, "truncated", trunc != 0);
		json_object_array_add(a, o);
	}
	db_done(&q_list);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}
