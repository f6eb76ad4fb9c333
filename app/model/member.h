/* member.h — memberships of team organizations: role, org license and
 * the rows behind the members page (PRODUCT §3, §4).
 *
 * Writers lock the organization row first (member_lock_org), then the
 * pools (pool.h), then the rows they change: one order everywhere, so two
 * requests never wait on each other crosswise, and the "always an owner"
 * and "assigned + reserved ≤ quantity" rules are checked by one writer at
 * a time (RELIABILITY DB-8). */
#ifndef MODEL_MEMBER_H
#define MODEL_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "model/org.h"
#include "policy/license.h"

struct req;

struct member {
	int64_t		 user_id;
	char		*name;
	char		*email;
	enum org_role	 role;
	int64_t		 pool_id;
	int		 has_license;
	enum product	 license;
	char		*joined_at;	/* RFC 3339 UTC */
	int64_t		 version;
};

/* Free org licenses of one product, per active pool in id order (the
 * order pool_lock_free locks them in). */
struct pool_free {
	int64_t		 pool_id;
	int64_t		 free;
};
#define POOL_FREE_MAX	64

/* Lock the organization row for a membership change: 1, 0 gone, -1. */
int	 member_lock_org(struct req *, int64_t org_id);
/* Lock one membership (org_id, user_id): 1 found, 0 not a member, -1. */
int	 member_lock(struct req *, int64_t org_id, int64_t user_id,
	    struct member *);
/* Owners of the organization (after member_lock_org), -1 on error. */
int64_t	 member_owner_count(struct req *, int64_t org_id);
/* Insert a membership: 0 added, 1 already a member, -1 error. */
int	 member_add(struct req *, int64_t org_id, int64_t user_id,
	    enum org_role, int64_t pool_id);
/* Compare-and-set on the version: 1 changed, 0 stale, -1 error. */
int	 member_set_role(struct req *, int64_t org_id, int64_t user_id,
	    enum org_role, int64_t version);
int	 member_set_pool(struct req *, int64_t org_id, int64_t user_id,
	    int64_t pool_id, int64_t version);
/* Delete the membership (its org license is freed with it) and forget
 * the organization as the user's current workspace: 1, 0 gone, -1. */
int	 member_delete(struct req *, int64_t org_id, int64_t user_id);
/* The members page: one query, filtered by role and product names (NULL
 * = any), ordered by joining time then id. Returns an array of
 * {id, name, email, role, license, license_label, joined_at(_local),
 * version}, or NULL on error. */
json_object *member_list(struct req *, int64_t org_id, const char *role,
	    const char *product);
/* Free licenses of a product per active pool, read in one query; call
 * with the pools locked (pool_lock_free) for a number that holds until
 * commit. Returns the total free, -1 on error. */
int64_t	 member_pool_free(struct req *, int64_t org_id, enum product,
	    struct pool_free *out, size_t max, size_t *n);
/* Free org licenses per product (for the invitation form): one query. */
int	 member_free_by_product(struct req *, int64_t org_id,
	    int64_t nfree[PROD__MAX]);
json_object *member_json(const struct member *, const char *tz);

#endif
