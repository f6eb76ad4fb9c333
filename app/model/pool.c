/* pool.c — locking license pools and counting their use. */
#include <string.h>

#include "core/req.h"
#include "db/db.h"
#include "pool.h"
#include "render/view.h"

/* The lock is taken on the pool row; the counts are read after it, in
 * the same transaction, so no other writer can change them meanwhile. */
static struct dbq q_lock = DBQ(
    "SELECT id, org_id, product, quantity, version, label,"
    " status = 'active' FROM license_pools"
    " WHERE id = ? AND org_id = ? FOR UPDATE");
static struct dbq q_use = DBQ(
    "SELECT (SELECT COUNT(*) FROM org_members WHERE pool_id = ?),"
    " (SELECT COUNT(*) FROM org_invitations WHERE pool_id = ?"
    "  AND status = 'pending' AND expires_at > UTC_TIMESTAMP(3))");
static struct dbq q_candidates = DBQ(
    "SELECT p.id FROM license_pools p"
    " WHERE p.org_id = ? AND p.product = ? AND p.status = 'active'"
    " ORDER BY p.id FOR UPDATE");
static struct dbq q_event_pro = DBQ(
    "SELECT COALESCE(SUM(quantity), 0) FROM license_pools"
    " WHERE org_id = ? AND product = 'event_pro' AND status = 'active'");

int
pool_lock(struct req *r, int64_t org_id, int64_t pool_id, struct pool *p)
{
	int64_t	 active;
	char	*product;
	int	 rc;

	memset(p, 0, sizeof(*p));
	if (db_select(&q_lock, "ii", pool_id, org_id) != 0)
		return -1;
	rc = db_fetch(&q_lock, "iisiisi", &p->id, &p->org_id, &product,
	    &p->quantity, &p->version, &p->label, &active);
	db_done(&q_lock);
	if (rc <= 0)
		return rc;
	p->active = (int)active;
	if (product_parse(product, &p->product) != 0)
		return -1;
	if (db_select(&q_use, "ii", pool_id, pool_id) != 0)
		return -1;
	rc = db_fetch(&q_use, "ii", &p->assigned, &p->reserved);
	db_done(&q_use);
	(void)r;
	return rc == 1 ? 1 : -1;
}

int
pool_lock_free(struct req *r, int64_t org_id, enum product prod,
    struct pool *out)
{
	int64_t	 ids[64], id;
	size_t	 n = 0, i;
	int	 rc;

	/* Lock every candidate pool in id order (a fixed order: two
	 * requests never wait on each other's locks crosswise). */
	if (db_select(&q_candidates, "is", org_id, product_name(prod)) != 0)
		return -1;
	while ((rc = db_fetch(&q_candidates, "i", &id)) == 1)
		if (n < sizeof(ids) / sizeof(ids[0]))
			ids[n++] = id;
	db_done(&q_candidates);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = pool_lock(r, org_id, ids[i], out)) != 1)
			return rc < 0 ? -1 : 0;
		if (org_license_available(out->quantity, out->assigned,
		    out->reserved))
			return 1;
	}
	return 0;
}

int64_t
pool_event_pro_total(struct req *r, int64_t org_id)
{
	int64_t	 total = 0;

	(void)r;
	if (db_select(&q_event_pro, "i", org_id) != 0)
		return -1;
	if (db_fetch(&q_event_pro, "i", &total) != 1)
		total = -1;
	db_done(&q_event_pro);
	return total;
}

json_object *
pool_json(const struct pool *p)
{
	json_object	*j = json_object_new_object();

	vset_int(j, "id", p->id);
	vset_str(j, "product", product_name(p->product));
	vset_str(j, "product_label", product_label(p->product));
	vset_str(j, "label", p->label);
	vset_int(j, "quantity", p->quantity);
	vset_int(j, "assigned", p->assigned);
	vset_int(j, "reserved", p->reserved);
	vset_int(j, "in_use", p->assigned + p->reserved);
	vset_int(j, "free", p->quantity - p->assigned - p->reserved);
	vset_str(j, "status", p->active ? "active" : "closed");
	vset_int(j, "version", p->version);
	return j;
}
