/* feedtoken.h — calendar feed tokens (FEEDS.md §5): one per owner and
 * scope, stored as a keyed hash with an 11-character hint. */
#ifndef MODEL_FEEDTOKEN_H
#define MODEL_FEEDTOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "auth/token.h"

struct req;

#define FEED_PREFIX	"bofeed_"
#define FEED_HINT_LEN	11
#define FEED_MAX_ACTIVE	50

struct feedtoken {
	int64_t		 id;
	int64_t		 owner_id;
	char		*scope_kind;	/* personal, event, area, … */
	int64_t		 scope_id;
	char		*hint;
	int64_t		 created;	/* Unix time */
	int		 touch_due;	/* last use older than 5 minutes */
	/* The last body sent (by hash only): the key it was made under,
	 * its ETag (32 hex digits) and Last-Modified (Unix time); NULL and
	 * 0 before the first. */
	char		*cache_key, *cache_etag;
	int64_t		 cache_modified;
	/* Whether its body may be remembered (writes forget it): not for
	 * "All my events", which spans organizations. */
	int		 cacheable;
	/* This request's claim on the cache ("" none): feedtoken_claim. */
	char		 claim[26];
};

/* The live token with this hash: 1, 0 none (unknown or revoked), -1. */
int	 feedtoken_by_hash(struct req *, const unsigned char h[TOKEN_HASH_LEN],
	    struct feedtoken *);
/* The owner's live token for a scope: 1, 0, -1. */
int	 feedtoken_for_scope(struct req *, int64_t owner, const char *kind,
	    int64_t scope_id, struct feedtoken *);
/* Live tokens of the owner, or -1. */
int64_t	 feedtoken_count(struct req *, int64_t owner);
/* Create; the token (shown once) goes to out (≥ 64 bytes). The id, or
 * -1 (db_errno() 1062 when the scope already has a live token). */
int64_t	 feedtoken_create(struct req *, int64_t owner, const char *kind,
	    int64_t scope_id, char *out, size_t outsz);
/* Revoke one of the owner's (owner 0: any owner): 1, 0 none, -1. */
int	 feedtoken_revoke(struct req *, int64_t owner, int64_t id,
	    const char *reason);
/* Revoke all of the owner's live tokens: how many, or -1. */
int64_t	 feedtoken_revoke_all(struct req *, int64_t owner,
	    const char *reason);
/* Record a fetch (last use, address, whether it was truncated; -1
 * leaves that as it was). */
int	 feedtoken_touch(struct req *, int64_t id, const char *ip,
	    int truncated);
/* Claim the token's cache before making its body (t->claim): 1, 0 when
 * another request is making it now, -1. Unclaimed, the body is not
 * remembered. */
int	 feedtoken_claim(struct req *, struct feedtoken *t);
/* Remember the body just made under t's claim: its key, ETag and
 * Last-Modified. 1, 0 when a write forgot the claim meanwhile (or it
 * went stale and another request took it), -1. */
int	 feedtoken_cache(struct req *, const struct feedtoken *t,
	    const char *key, const char *etag, int64_t modified);
/* After a committed write to an event (0: the organization's own
 * entries), forget the remembered bodies of the feeds it may change. */
void	 feedtoken_forget(int64_t org, int64_t event);
/* [{id, kind, kind_label, scope_id, scope, hint, created_at,
 * last_used_at, last_used_ip, truncated}] of the owner's live tokens. */
json_object *feedtoken_list(struct req *, int64_t owner);

#endif
