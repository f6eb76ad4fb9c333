/* feedtoken.c — feed token rows (FEEDS.md §5.2). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/req.h"
#include "db/db.h"
#include "model/feedtoken.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"

/* The token, its cache (0018) and what its scope's validator is made
 * of: the owner's account state and the change marks of what the feed
 * shows (0020) — the event's and its organization's own for a one-event
 * scope, all of the organization's for a roll-up. Every audited write
 * raises its mark once committed: a sum the poll has seen stands for
 * data the poll then reads, and a write it has not seen will move the
 * sum. One statement per poll; the marks are two primary-key rows, or
 * the organization's range. */
static struct dbq q_by_hash = DBQ(
    "SELECT f.id, f.owner_user_id, f.scope_kind, f.scope_id, f.token_hint, "
    TS("f.created_at") ", f.last_used_at IS NULL OR"
    " f.last_used_at < UTC_TIMESTAMP(3) - INTERVAL 5 MINUTE,"
    " f.cache_key, f.cache_etag, COALESCE(f.cache_modified, 0),"
    " u.status, u.version, u.email_verified_at IS NOT NULL,"
    " COALESCE(f.scope_org_id, 0), COALESCE(f.scope_event_id, 0),"
    " COALESCE((SELECT SUM(m.gen) FROM change_marks m"
    "  WHERE m.org_id = f.scope_org_id AND (f.scope_event_id IS NULL"
    "  OR m.event_id IN (f.scope_event_id, 0))), 0)"
    " FROM feed_token f JOIN users u ON u.id = f.owner_user_id"
    " WHERE f.token_hash = ? AND f.revoked_at IS NULL");
static struct dbq q_for_scope = DBQ(
    "SELECT id, owner_user_id, scope_kind, scope_id, token_hint, "
    TS("created_at") ", 0, cache_key, cache_etag,"
    " COALESCE(cache_modified, 0), '', 0, 0, 0, 0, 0 FROM feed_token"
    " WHERE owner_user_id = ? AND scope_kind = ? AND scope_id = ?"
    " AND revoked_at IS NULL");
static struct dbq q_cache = DBQ(
    "UPDATE feed_token SET cache_key = ?, cache_etag = ?, cache_modified = ?"
    " WHERE id = ? AND revoked_at IS NULL");
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
fetch_one(struct req *r, struct dbq *q, struct feedtoken *t)
{
	int64_t	 due, version, verified, org, ev, marks;
	char	*status;
	int	 rc;

	memset(t, 0, sizeof(*t));
	rc = db_fetch(q, "iisississisiiiii", &t->id, &t->owner_id,
	    &t->scope_kind, &t->scope_id, &t->hint, &t->created_at, &due,
	    &t->cache_key, &t->cache_etag, &t->cache_modified, &status,
	    &version, &verified, &org, &ev, &marks);
	/* "All my events" spans organizations: no validator. */
	if (rc == 1 && org != 0)
		t->validator = arena_printf(r->a, "%s %lld %lld %lld %lld %lld",
		    status, (long long)version, (long long)verified,
		    (long long)org, (long long)ev, (long long)marks);
	t->touch_due = due != 0;
	db_done(q);
	return rc;
}

int
feedtoken_by_hash(struct req *r, const unsigned char h[TOKEN_HASH_LEN],
    struct feedtoken *t)
{
	if (db_select(&q_by_hash, "b", h, (size_t)TOKEN_HASH_LEN) != 0)
		return -1;
	return fetch_one(r, &q_by_hash, t);
}

int
feedtoken_for_scope(struct req *r, int64_t owner, const char *kind,
    int64_t scope_id, struct feedtoken *t)
{
	if (db_select(&q_for_scope, "isi", owner, kind, scope_id) != 0)
		return -1;
	return fetch_one(r, &q_for_scope, t);
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
feedtoken_cache(struct req *r, int64_t id, const char *key, const char *etag,
    int64_t modified)
{
	(void)r;
	return db_exec(&q_cache, "ssii", key, etag, modified, id) < 0 ? -1 : 0;
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
