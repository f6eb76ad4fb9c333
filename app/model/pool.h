/* pool.h — license pools and their use (PRODUCT §4). Every assignment,
 * reservation and decrease locks the pool row first (SELECT … FOR
 * UPDATE) inside the caller's transaction and checks the invariant
 * assigned + reserved ≤ quantity before writing (DB-8). */
#ifndef MODEL_POOL_H
#define MODEL_POOL_H

#include <stdint.h>

#include <json-c/json.h>

#include "policy/license.h"

struct req;

struct pool {
	int64_t		 id;
	int64_t		 org_id;
	enum product	 product;
	int64_t		 quantity;
	int64_t		 assigned;	/* members holding it (org pools) */
	int64_t		 reserved;	/* pending invitations (org pools) */
	int64_t		 version;
	char		*label;
	int		 active;
};

/* Lock one pool of the organization and read its use: 1 found, 0 not
 * found in this organization (404), -1 database error. */
int	 pool_lock(struct req *, int64_t org_id, int64_t pool_id,
	    struct pool *);
/* Lock the first active pool of a product with a free license (the
 * fullest first, so licenses pack into few pools): 1 found, 0 none free
 * (409 no-seats-available), -1 error. */
int	 pool_lock_free(struct req *, int64_t org_id, enum product,
	    struct pool *);
/* Total Event Pro quantity of an organization's active pools. */
int64_t	 pool_event_pro_total(struct req *, int64_t org_id);
json_object *pool_json(const struct pool *);

#endif
