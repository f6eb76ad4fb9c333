/* advdata.c — asset properties with their sub-assets. */
#include <string.h>

#include "advdata.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"

#define ROWS_MAX	100000

static struct dbq q_props = DBQ(
    "SELECT p.asset_type_id, s.skey, s.label, p.pkey, p.label, p.rtype,"
    " p.options, p.retired FROM asset_props p"
    " LEFT JOIN asset_subs s ON s.id = p.sub_id WHERE p.event_id = ?"
    " ORDER BY p.asset_type_id, s.position, s.id, p.position, p.id");

struct advdata_prop *
advdata_props(struct req *r, int64_t event_id, size_t *n)
{
	struct advdata_prop	*v = NULL, one;
	size_t			 cap = 0;
	int64_t			 ret;
	int			 rc;

	*n = 0;
	if (db_select(&q_props, "i", event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	while ((rc = db_fetch(&q_props, "issssssi", &one.asset_type_id,
	    &one.sub_key, &one.sub_label, &one.key, &one.label, &one.rtype,
	    &one.options, &ret)) == 1) {
		one.retired = ret != 0;
		if (*n >= ROWS_MAX)
			continue;
		v = arena_grow(r->a, v, *n, &cap, sizeof(*v));
		v[(*n)++] = one;
	}
	db_done(&q_props);
	if (rc < 0)
		*n = (size_t)-1;
	return v;
}
