/* advdata.c — asset properties with their sub-assets. */
#include <string.h>

#include "advdata.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"

#define ROWS_MAX	100000

static struct dbq q_props = DBQ(
    "SELECT p.asset_type_id, s.skey, s.label, p.pkey, p.label, p.rtype,"
    " p.options, p.retired FROM asset_props p"
    " LEFT JOIN asset_subs s ON s.id = p.sub_id WHERE p.event_id = ?"
    " ORDER BY p.asset_type_id, s.position, s.id, p.position, p.id");

static int
fetch_prop(struct req *r, struct dbq *q, void *row)
{
	struct advdata_prop *p = row;
	int64_t		 ret;
	int		 rc;

	(void)r;
	rc = db_fetch(q, "issssssi", &p->asset_type_id, &p->sub_key,
	    &p->sub_label, &p->key, &p->label, &p->rtype, &p->options, &ret);
	p->retired = ret != 0;
	return rc;
}

struct advdata_prop *
advdata_props(struct req *r, int64_t event_id, size_t *n)
{
	if (db_select(&q_props, "i", event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_props, fetch_prop, sizeof(struct advdata_prop),
	    ROWS_MAX, n);
}
