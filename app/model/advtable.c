/* advtable.c — the Advance Manager's readers: answers, files, line
 * items and asset types of an event in one query each. */
#include <string.h>

#include "advtable.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/modblock.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define ROWS_MAX	200000	/* answers or items read for one page */

static struct dbq q_tpl = DBQ(
    "SELECT t.id, t.name, t.label, t.icon, c.name FROM module_templates t"
    " JOIN module_categories c ON c.id = t.category_id"
    " WHERE t.id = ? AND t.event_id = ?");
/* The scope of struct adv_scope: x the answers or line items. */
#define IN_SCOPE \
    " JOIN advance_modules m ON m.id = x.advance_module_id" \
    " JOIN advances adv ON adv.id = m.advance_id" \
    " WHERE x.event_id = ? AND (? = 0 OR m.module_template_id = ?)" \
    " AND (? = 0 OR adv.area_id = ?) AND (? = 0 OR adv.activity_id = ?)" \
    " AND (? = 0 OR adv.collaborator_id = ?) AND (? = 0 OR x.block_id = ?)"

static struct dbq q_answers = DBQ(
    "SELECT x.id, x.advance_module_id, x.block_id, x.value,"
    " x.review = 'needs_review', x.version, rb.name, " TS("x.reviewed_at")
    ", ub.name, " TS("x.updated_at") " FROM answers x"
    " LEFT JOIN users rb ON rb.id = x.reviewed_by"
    " LEFT JOIN users ub ON ub.id = x.updated_by" IN_SCOPE
    " ORDER BY x.advance_module_id, x.block_id");
static struct dbq q_files = DBQ(
    "SELECT f.id, f.advance_module_id, f.block_id, f.name, f.ctype, f.size"
    " FROM answer_files f JOIN advance_modules m"
    " ON m.id = f.advance_module_id"
    " WHERE f.event_id = ? AND m.module_template_id = ?"
    " ORDER BY f.advance_module_id, f.block_id, f.id");
static struct dbq q_items = DBQ(
    "SELECT x.id, x.advance_module_id, x.block_id, m.advance_id,"
    " m.module_template_id, x.position, x.description, x.quantity,"
    " x.notes, x.props, x.review = 'needs_review', rb.name, "
    TS("x.reviewed_at") ", x.op_state, ob.name, " TS("x.op_at")
    ", x.op_reason, x.res_state, sb.name, " TS("x.res_at")
    ", x.res_reason, x.procurement_linked, " TS("x.created_at") ", "
    TS("x.updated_at") ", x.version, b.label,"
    " b.item_label, b.asset_type_id, b.needs_op,"
    " b.needs_res"
    " FROM line_items x"
    " JOIN module_blocks b ON b.id = x.block_id"
    " LEFT JOIN users rb ON rb.id = x.reviewed_by"
    " LEFT JOIN users ob ON ob.id = x.op_by"
    " LEFT JOIN users sb ON sb.id = x.res_by" IN_SCOPE
    " ORDER BY x.advance_module_id, x.block_id, x.position, x.id");
static struct dbq q_types = DBQ(
    "SELECT id, name, label, item_label FROM asset_types"
    " WHERE event_id = ? ORDER BY label, id");
/* The type's own properties first (no sub-asset), then by sub-asset. */
static struct dbq q_props = DBQ(
    "SELECT p.id, p.asset_type_id, COALESCE(p.sub_id, 0), p.pkey, p.label,"
    " p.rtype, p.options, p.retired FROM asset_props p"
    " LEFT JOIN asset_subs s ON s.id = p.sub_id WHERE p.event_id = ?"
    " ORDER BY p.asset_type_id, p.sub_id IS NOT NULL, s.position, s.id,"
    " p.position, p.id");
static struct dbq q_subs = DBQ(
    "SELECT id, asset_type_id, skey, label, retired FROM asset_subs"
    " WHERE event_id = ? ORDER BY asset_type_id, position, id");
static struct dbq q_set_due = DBQ(
    "UPDATE advance_modules SET due_date = ?, version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");

int
advtable_template(struct req *r, int64_t event_id, int64_t id,
    struct mtpl *t)
{
	int	 rc;

	(void)r;
	memset(t, 0, sizeof(*t));
	if (db_select(&q_tpl, "ii", id, event_id) != 0)
		return -1;
	rc = db_fetch(&q_tpl, "issss", &t->id, &t->name, &t->label, &t->icon,
	    &t->category);
	db_done(&q_tpl);
	return rc;
}

static int
select_scope(struct dbq *q, int64_t ev, const struct adv_scope *s)
{
	return db_select(q, "iiiiiiiiiii", ev, s->template_id,
	    s->template_id, s->area_id, s->area_id, s->activity_id,
	    s->activity_id, s->collab_id, s->collab_id, s->block_id,
	    s->block_id);
}

static int
fetch_answer(struct req *r, struct dbq *q, void *row)
{
	struct adv_answer *a = row;
	int64_t		 nr;
	int		 rc;

	(void)r;
	memset(a, 0, sizeof(*a));
	rc = db_fetch(q, "iiisiissss", &a->id, &a->module_id, &a->block_id,
	    &a->value, &nr, &a->version, &a->reviewed_by, &a->reviewed_at,
	    &a->updated_by, &a->updated_at);
	a->needs_review = nr != 0;
	return rc;
}

struct adv_answer *
advtable_answers(struct req *r, int64_t event_id, const struct adv_scope *sc,
    size_t *n)
{
	if (select_scope(&q_answers, event_id, sc) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_answers, fetch_answer, sizeof(struct adv_answer),
	    ROWS_MAX, n);
}

static int
fetch_file(struct req *r, struct dbq *q, void *row)
{
	struct adv_file	*f = row;

	(void)r;
	return db_fetch(q, "iiissi", &f->id, &f->module_id, &f->block_id,
	    &f->name, &f->ctype, &f->size);
}

struct adv_file *
advtable_files(struct req *r, int64_t event_id, int64_t template_id,
    size_t *n)
{
	if (db_select(&q_files, "ii", event_id, template_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_files, fetch_file, sizeof(struct adv_file),
	    ROWS_MAX, n);
}

static int
fetch_item(struct req *r, struct dbq *q, void *row)
{
	struct adv_item	*it = row;
	int64_t		 nr, pl, op, res;
	int		 rc;

	(void)r;
	memset(it, 0, sizeof(*it));
	rc = db_fetch(q, "iiiiiisississssssssssississiii", &it->id,
	    &it->module_id, &it->block_id, &it->advance_id, &it->template_id,
	    &it->position, &it->description, &it->quantity, &it->notes,
	    &it->props, &nr, &it->reviewed_by, &it->reviewed_at,
	    &it->op.state, &it->op.by, &it->op.at, &it->op.reason,
	    &it->res.state, &it->res.by, &it->res.at, &it->res.reason, &pl,
	    &it->created_at, &it->updated_at, &it->version, &it->block_label,
	    &it->item_label, &it->asset_type_id, &op, &res);
	it->needs_review = nr != 0;
	it->procurement_linked = pl != 0;
	it->needs_op = op != 0;
	it->needs_res = res != 0;
	return rc;
}

struct adv_item *
advtable_items(struct req *r, int64_t event_id, const struct adv_scope *sc,
    size_t *n)
{
	if (select_scope(&q_items, event_id, sc) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_items, fetch_item, sizeof(struct adv_item),
	    ROWS_MAX, n);
}

static int
fetch_type(struct req *r, struct dbq *q, void *row)
{
	struct adv_asset_type *t = row;

	(void)r;
	return db_fetch(q, "isss", &t->id, &t->name, &t->label,
	    &t->item_label);
}

static int
fetch_prop(struct req *r, struct dbq *q, void *row)
{
	struct adv_prop	*p = row;
	int64_t		 ret;
	int		 rc;

	(void)r;
	rc = db_fetch(q, "iiissssi", &p->id, &p->asset_type_id, &p->sub_id,
	    &p->key, &p->label, &p->rtype, &p->options, &ret);
	p->retired = ret != 0;
	return rc;
}

static int
fetch_sub(struct req *r, struct dbq *q, void *row)
{
	struct adv_sub	*s = row;
	int64_t		 ret;
	int		 rc;

	(void)r;
	rc = db_fetch(q, "iissi", &s->id, &s->asset_type_id, &s->key,
	    &s->label, &ret);
	s->retired = ret != 0;
	return rc;
}

int
advtable_assets(struct req *r, int64_t event_id, struct adv_assets *as)
{
	memset(as, 0, sizeof(*as));
	if (db_select(&q_types, "i", event_id) != 0)
		return -1;
	as->types = adv_rows(r, &q_types, fetch_type,
	    sizeof(struct adv_asset_type), ROWS_MAX, &as->ntypes);
	if (as->ntypes == (size_t)-1 || db_select(&q_props, "i", event_id) != 0)
		return -1;
	as->props = adv_rows(r, &q_props, fetch_prop, sizeof(struct adv_prop),
	    ROWS_MAX, &as->nprops);
	if (as->nprops == (size_t)-1 || db_select(&q_subs, "i", event_id) != 0)
		return -1;
	as->subs = adv_rows(r, &q_subs, fetch_sub, sizeof(struct adv_sub),
	    ROWS_MAX, &as->nsubs);
	return as->nsubs == (size_t)-1 ? -1 : 0;
}

/* (module, block) order of the lists: <0, 0, >0. */
static int
pair_cmp(int64_t m1, int64_t b1, int64_t m2, int64_t b2)
{
	if (m1 != m2)
		return m1 < m2 ? -1 : 1;
	if (b1 != b2)
		return b1 < b2 ? -1 : 1;
	return 0;
}

const struct adv_answer *
advtable_answer(const struct adv_answer *a, size_t n, int64_t module_id,
    int64_t block_id)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = pair_cmp(a[mid].module_id, a[mid].block_id, module_id,
		    block_id);
		if (c == 0)
			return &a[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct adv_asset_type *
advtable_asset_type(const struct adv_assets *as, int64_t id)
{
	size_t	 i;

	for (i = 0; i < as->ntypes; i++)
		if (as->types[i].id == id)
			return &as->types[i];
	return NULL;
}

int
advtable_set_due(struct req *r, int64_t event_id, int64_t module_id,
    int64_t version, const char *due)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_set_due, "siii", due, module_id, event_id, version);
	if (n < 0)
		return -1;
	return n > 0 ? 1 : 0;
}
