/* lineitem.c — request line items, their review and approvals, and the
 * asset-type forms they are entered with. */
#include <string.h>

#include "lineitem.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/advtrack.h"

#define ITEMS_MAX	50000	/* items read for one advance */
#define PROPS_MAX	20000	/* asset properties read for one form set */

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define LI_COLS \
    "li.id, li.advance_module_id, li.block_id, li.position," \
    " li.description, li.quantity, li.notes, li.props," \
    " li.review = 'reviewed', li.reviewed_by, rv.name, " \
    TS("li.reviewed_at") ", li.op_state, li.op_by, ob.name, " \
    TS("li.op_at") ", li.op_reason, li.res_state, li.res_by, rb.name, " \
    TS("li.res_at") ", li.res_reason, li.procurement_linked," \
    " li.created_by, cb.name, " TS("li.created_at") ", li.updated_by," \
    " ub.name, " TS("li.updated_at") ", li.version"
#define LI_TYPES "iiiisissiisssissssisssiississi"
#define LI_FROM \
    " FROM line_items li LEFT JOIN users rv ON rv.id = li.reviewed_by" \
    " LEFT JOIN users ob ON ob.id = li.op_by" \
    " LEFT JOIN users rb ON rb.id = li.res_by" \
    " LEFT JOIN users cb ON cb.id = li.created_by" \
    " LEFT JOIN users ub ON ub.id = li.updated_by"

static struct dbq q_list = DBQ(
    "SELECT " LI_COLS LI_FROM
    " JOIN advance_modules m ON m.id = li.advance_module_id"
    " WHERE m.advance_id = ? AND m.event_id = ? AND li.event_id = ?"
    " AND (? = 0 OR li.advance_module_id = ?)"
    " ORDER BY li.advance_module_id, li.block_id, li.position, li.id");
static struct dbq q_get = DBQ(
    "SELECT " LI_COLS LI_FROM " WHERE li.id = ? AND li.event_id = ?"
    " AND (? = 0 OR li.advance_module_id = ?)");
static struct dbq q_lock = DBQ(
    "SELECT " LI_COLS LI_FROM " WHERE li.id = ? AND li.event_id = ?"
    " AND (? = 0 OR li.advance_module_id = ?) FOR UPDATE");
static struct dbq q_count = DBQ(
    "SELECT COUNT(*) FROM line_items WHERE advance_module_id = ?"
    " AND block_id = ? AND event_id = ?");
/* The next position in the same statement: no read before the insert. */
static struct dbq q_insert = DBQ(
    "INSERT INTO line_items (event_id, advance_module_id, block_id,"
    " position, description, quantity, notes, props, created_by,"
    " created_at, updated_by, updated_at) SELECT ?, ?, ?,"
    " COALESCE(MAX(position), -1) + 1, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3),"
    " ?, UTC_TIMESTAMP(3) FROM line_items WHERE advance_module_id = ?"
    " AND block_id = ?");
static struct dbq q_update = DBQ(
    "UPDATE line_items SET description = ?, quantity = ?, notes = ?,"
    " props = ?, review = 'needs_review', reviewed_by = NULL,"
    " reviewed_at = NULL, op_state = 'pending', op_by = NULL,"
    " op_at = NULL, op_reason = NULL, res_state = 'pending',"
    " res_by = NULL, res_at = NULL, res_reason = NULL, updated_by = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM line_items WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_review = DBQ(
    "UPDATE line_items SET review = 'reviewed', reviewed_by = ?,"
    " reviewed_at = UTC_TIMESTAMP(3) WHERE id = ? AND event_id = ?"
    " AND version = ?");
/* The item with what its block asks for, locked for the approval. */
static struct dbq q_approvable = DBQ(
    "SELECT li.advance_module_id, li.version, b.needs_op, b.needs_res"
    " FROM line_items li JOIN module_blocks b ON b.id = li.block_id"
    " WHERE li.id = ? AND li.event_id = ? FOR UPDATE");
static struct dbq q_approve_op = DBQ(
    "UPDATE line_items SET op_state = ?, op_by = ?,"
    " op_at = UTC_TIMESTAMP(3), op_reason = ? WHERE id = ?"
    " AND event_id = ? AND version = ?");
static struct dbq q_approve_res = DBQ(
    "UPDATE line_items SET res_state = ?, res_by = ?,"
    " res_at = UTC_TIMESTAMP(3), res_reason = ? WHERE id = ?"
    " AND event_id = ? AND version = ?");
static struct dbq q_module_of = DBQ(
    "SELECT advance_module_id FROM line_items WHERE id = ?"
    " AND event_id = ?");

/* The asset types a set of blocks use: those of one advance's module
 * templates, or of one module template. */
#define TYPES_USED \
    " IN (SELECT b.asset_type_id FROM module_blocks b WHERE b.event_id = ?" \
    " AND b.asset_type_id IS NOT NULL AND (b.template_id = ? OR" \
    " b.template_id IN (SELECT m.module_template_id FROM advance_modules m" \
    " WHERE m.advance_id = ? AND m.event_id = ?)))"
static struct dbq q_props = DBQ(
    "SELECT p.id, p.asset_type_id, COALESCE(p.sub_id, 0), p.pkey, p.label,"
    " p.rtype, p.options, p.required, p.retired FROM asset_props p"
    " WHERE p.event_id = ? AND p.asset_type_id" TYPES_USED
    " ORDER BY p.asset_type_id, COALESCE(p.sub_id, 0), p.position, p.id");
static struct dbq q_subs = DBQ(
    "SELECT s.id, s.asset_type_id, s.skey, s.label, s.retired"
    " FROM asset_subs s WHERE s.event_id = ? AND s.asset_type_id"
    TYPES_USED " ORDER BY s.asset_type_id, s.position, s.id");

static int
fetch(struct req *r, struct dbq *q, void *row)
{
	struct lineitem	*li = row;
	int64_t		 rev, proc;
	int		 rc;

	(void)r;
	memset(li, 0, sizeof(*li));
	rc = db_fetch(q, LI_TYPES, &li->id, &li->module_id, &li->block_id,
	    &li->position, &li->description, &li->quantity, &li->notes,
	    &li->props, &rev, &li->reviewed_by, &li->reviewed_by_name,
	    &li->reviewed_at, &li->op.state, &li->op.by, &li->op.by_name,
	    &li->op.at, &li->op.reason, &li->res.state, &li->res.by,
	    &li->res.by_name, &li->res.at, &li->res.reason, &proc,
	    &li->created_by, &li->created_by_name, &li->created_at,
	    &li->updated_by, &li->updated_by_name, &li->updated_at,
	    &li->version);
	li->reviewed = rev != 0;
	li->procurement_linked = proc != 0;
	return rc;
}

struct lineitem *
lineitem_list(struct req *r, int64_t event_id, int64_t advance_id,
    int64_t module_id, size_t *n)
{
	if (db_select(&q_list, "iiiii", advance_id, event_id, event_id,
	    module_id, module_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_list, fetch, sizeof(struct lineitem), ITEMS_MAX,
	    n);
}

int
lineitem_get(struct req *r, int64_t event_id, int64_t module_id, int64_t id,
    int lock, struct lineitem *li)
{
	struct dbq	*q = lock ? &q_lock : &q_get;
	int		 rc;

	(void)r;
	memset(li, 0, sizeof(*li));
	if (db_select(q, "iiii", id, event_id, module_id, module_id) != 0)
		return -1;
	rc = fetch(r, q, li);
	db_done(q);
	return rc;
}

int64_t
lineitem_count(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_count, "iii", module_id, block_id, event_id) != 0)
		return -1;
	rc = db_fetch(&q_count, "i", &n);
	db_done(&q_count);
	return rc == 1 ? n : -1;
}

int64_t
lineitem_insert(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, const struct lineitem_fields *f, int64_t uid)
{
	(void)r;
	if (db_exec(&q_insert, "iiisissiiii", event_id, module_id, block_id,
	    f->description, f->quantity, f->notes, f->props, uid, uid,
	    module_id, block_id) < 0)
		return -1;
	return db_insert_id();
}

int
lineitem_update(struct req *r, int64_t event_id, int64_t id, int64_t version,
    const struct lineitem_fields *f, int64_t uid)
{
	int64_t	 rc;

	(void)r;
	rc = db_exec(&q_update, "sissiiii", f->description, f->quantity,
	    f->notes, f->props, uid, id, event_id, version);
	return rc < 0 ? -1 : rc > 0;
}

int
lineitem_delete(struct req *r, int64_t event_id, int64_t id, int64_t version)
{
	int64_t	 rc;

	(void)r;
	rc = db_exec(&q_delete, "iii", id, event_id, version);
	return rc < 0 ? -1 : rc > 0;
}

/* The module an item belongs to (for the task tree): >0, 0, -1. */
static int64_t
module_of(int64_t event_id, int64_t id)
{
	int64_t	 m = 0;
	int	 rc;

	if (db_select(&q_module_of, "ii", id, event_id) != 0)
		return -1;
	rc = db_fetch(&q_module_of, "i", &m);
	db_done(&q_module_of);
	return rc < 0 ? -1 : m;
}

int
lineitem_review(struct req *r, int64_t event_id, int64_t item_id,
    int64_t seen_version, int64_t uid)
{
	int64_t	 rc, m;

	if ((rc = db_exec(&q_review, "iiii", uid, item_id, event_id,
	    seen_version)) < 0)
		return -1;
	if (rc == 0)
		return 0;
	if ((m = module_of(event_id, item_id)) < 0)
		return -1;
	return advtrack_sync_module(r, event_id, m) != 0 ? -1 : 1;
}

int
lineitem_approve(struct req *r, int64_t event_id, int64_t item_id,
    int resource, const char *state, const char *reason,
    int64_t seen_version, int64_t uid)
{
	int64_t	 m, version, op, res, rc;
	int	 got;

	if (state == NULL || (strcmp(state, "approved") != 0 &&
	    strcmp(state, "declined") != 0 && strcmp(state, "pending") != 0))
		return -2;
	if (reason != NULL && *reason == '\0')
		reason = NULL;
	if (strcmp(state, "declined") == 0 && reason == NULL)
		return -2;
	if (db_select(&q_approvable, "ii", item_id, event_id) != 0)
		return -1;
	got = db_fetch(&q_approvable, "iiii", &m, &version, &op, &res);
	db_done(&q_approvable);
	if (got < 0)
		return -1;
	if (got == 0 || version != seen_version)
		return 0;
	if (!(resource ? res : op))
		return -2;
	rc = db_exec(resource ? &q_approve_res : &q_approve_op, "sisiii",
	    state, uid, reason, item_id, event_id, seen_version);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	return advtrack_sync_module(r, event_id, m) != 0 ? -1 : 1;
}

int
lineitem_forms(struct req *r, int64_t event_id, int64_t advance_id,
    int64_t template_id, struct asset_forms *f)
{
	struct asset_prop	 p;
	struct asset_sub	 s;
	size_t			 cap = 0;
	char			*rtype, *opts;
	int64_t			 req, ret;
	int			 rc;

	memset(f, 0, sizeof(*f));
	if (db_select(&q_props, "iiiii", event_id, event_id, template_id,
	    advance_id, event_id) != 0)
		return -1;
	while ((rc = db_fetch(&q_props, "iiissssii", &p.id, &p.type_id,
	    &p.sub_id, &p.key, &p.label, &rtype, &opts, &req, &ret)) == 1) {
		if (f->nprops >= PROPS_MAX)
			continue;
		if (rtype_parse(rtype, &p.rtype) != 0)
			p.rtype = RT_TEXT;
		p.opts = rt_options_parse(r->a, opts, &p.nopts);
		p.required = req != 0;
		p.retired = ret != 0;
		f->props = arena_grow(r->a, f->props, f->nprops, &cap,
		    sizeof(*f->props));
		f->props[f->nprops++] = p;
	}
	db_done(&q_props);
	if (rc < 0)
		return -1;
	cap = 0;
	if (db_select(&q_subs, "iiiii", event_id, event_id, template_id,
	    advance_id, event_id) != 0)
		return -1;
	while ((rc = db_fetch(&q_subs, "iissi", &s.id, &s.type_id, &s.key,
	    &s.label, &ret)) == 1) {
		if (f->nsubs >= PROPS_MAX)
			continue;
		s.retired = ret != 0;
		f->subs = arena_grow(r->a, f->subs, f->nsubs, &cap,
		    sizeof(*f->subs));
		f->subs[f->nsubs++] = s;
	}
	db_done(&q_subs);
	return rc < 0 ? -1 : 0;
}
