/* advdata.c — answers and line items of the advances in one scope. */
#include <string.h>

#include "advdata.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"

#define ROWS_MAX	100000

/* The scope test shared by both statements: event, then area, activity
 * and collaborator each as "(? <> 0 AND column = ?)". */
#define IN_SCOPE \
    " JOIN advance_modules m ON m.id = x.advance_module_id" \
    " JOIN advances a ON a.id = m.advance_id" \
    " WHERE x.event_id = ? AND ((? <> 0 AND a.area_id = ?)" \
    " OR (? <> 0 AND a.activity_id = ?)" \
    " OR (? <> 0 AND a.collaborator_id = ?))"

static struct dbq q_answers = DBQ(
    "SELECT x.advance_module_id, x.block_id, x.value,"
    " x.review = 'needs_review' FROM answers x" IN_SCOPE
    " ORDER BY x.advance_module_id, x.block_id");
static struct dbq q_items = DBQ(
    "SELECT x.id, x.advance_module_id, x.block_id, x.description,"
    " x.quantity, x.props, x.op_state, x.op_reason, x.res_state,"
    " x.res_reason, x.review = 'needs_review' FROM line_items x" IN_SCOPE
    " ORDER BY x.advance_module_id, x.block_id, x.position, x.id");
static struct dbq q_props = DBQ(
    "SELECT p.asset_type_id, s.skey, s.label, p.pkey, p.label, p.rtype,"
    " p.options, p.retired FROM asset_props p"
    " LEFT JOIN asset_subs s ON s.id = p.sub_id WHERE p.event_id = ?"
    " ORDER BY p.asset_type_id, s.position, s.id, p.position, p.id");

static int
select_scope(struct dbq *q, int64_t ev, const struct advdata_scope *s)
{
	return db_select(q, "iiiiiii", ev, s->area_id, s->area_id,
	    s->activity_id, s->activity_id, s->collab_id, s->collab_id);
}

struct advdata_answer *
advdata_answers(struct req *r, int64_t event_id,
    const struct advdata_scope *s, size_t *n)
{
	struct advdata_answer	*v = NULL, one;
	size_t			 cap = 0;
	int64_t			 nr;
	int			 rc;

	*n = 0;
	if (select_scope(&q_answers, event_id, s) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	while ((rc = db_fetch(&q_answers, "iisi", &one.module_id,
	    &one.block_id, &one.value, &nr)) == 1) {
		one.needs_review = nr != 0;
		if (*n >= ROWS_MAX)
			continue;
		v = arena_grow(r->a, v, *n, &cap, sizeof(*v));
		v[(*n)++] = one;
	}
	db_done(&q_answers);
	if (rc < 0)
		*n = (size_t)-1;
	return v;
}

struct advdata_item *
advdata_items(struct req *r, int64_t event_id,
    const struct advdata_scope *s, size_t *n)
{
	struct advdata_item	*v = NULL, one;
	size_t			 cap = 0;
	int64_t			 nr;
	int			 rc;

	*n = 0;
	if (select_scope(&q_items, event_id, s) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	memset(&one, 0, sizeof(one));
	while ((rc = db_fetch(&q_items, "iiisisssssi", &one.id,
	    &one.module_id, &one.block_id, &one.description, &one.quantity,
	    &one.props, &one.op_state, &one.op_reason, &one.res_state,
	    &one.res_reason, &nr)) == 1) {
		one.needs_review = nr != 0;
		if (*n >= ROWS_MAX)
			continue;
		v = arena_grow(r->a, v, *n, &cap, sizeof(*v));
		v[(*n)++] = one;
	}
	db_done(&q_items);
	if (rc < 0)
		*n = (size_t)-1;
	return v;
}

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
