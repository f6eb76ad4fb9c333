/* modblock.c — the shared reader of module template blocks. */
#include <string.h>

#include "modblock.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/event.h"
#include "render/view.h"

#define BLOCKS_MAX	20000	/* blocks read for one list */

#define BLOCK_COLS \
    "b.id, b.template_id, b.position, b.kind, b.body, b.label, b.prompt," \
    " b.help, b.rtype, b.required, b.options, b.num_min, b.num_max," \
    " b.num_whole, COALESCE(b.item_label, at.item_label, 'Item')," \
    " b.asset_type_id," \
    " at.label, b.needs_op, b.needs_res, b.procurement, b.max_items," \
    " b.retired, b.version"
#define BLOCK_FROM \
    " FROM module_blocks b LEFT JOIN asset_types at ON at.id = b.asset_type_id"

static struct dbq q_tpl = DBQ(
    "SELECT " BLOCK_COLS BLOCK_FROM " WHERE b.template_id = ?"
    " AND b.event_id = ? ORDER BY b.position, b.id");
static struct dbq q_adv = DBQ(
    "SELECT " BLOCK_COLS BLOCK_FROM
    " JOIN advance_modules m ON m.module_template_id = b.template_id"
    " WHERE m.advance_id = ? AND m.event_id = ? AND b.event_id = ?"
    " ORDER BY b.template_id, b.position, b.id");
static struct dbq q_event = DBQ(
    "SELECT " BLOCK_COLS BLOCK_FROM " WHERE b.event_id = ?"
    " ORDER BY b.template_id, b.position, b.id");
static struct dbq q_one = DBQ(
    "SELECT " BLOCK_COLS BLOCK_FROM " WHERE b.id = ? AND b.template_id = ?"
    " AND b.event_id = ?");

static const char *const kinds[] = { "content", "question", "request" };

const char *
block_kind_name(enum block_kind k)
{
	return (unsigned)k < 3 ? kinds[k] : "content";
}

static int
fetch(struct req *r, struct dbq *q, void *row)
{
	struct mblock	*b = row;
	char		*kind, *rtype, *opts;
	int64_t		 req, whole, op, res, proc, ret;
	int		 rc;

	memset(b, 0, sizeof(*b));
	rc = db_fetch(q, "iiissssssisssisisiiiiii", &b->id, &b->template_id,
	    &b->position, &kind, &b->body, &b->label, &b->prompt, &b->help,
	    &rtype, &req, &opts, &b->num_min, &b->num_max, &whole,
	    &b->item_label, &b->asset_type_id, &b->asset_type_label, &op,
	    &res, &proc, &b->max_items, &ret, &b->version);
	if (rc != 1)
		return rc;
	b->kind = BK_CONTENT;
	if (kind != NULL && strcmp(kind, "question") == 0)
		b->kind = BK_QUESTION;
	else if (kind != NULL && strcmp(kind, "request") == 0)
		b->kind = BK_REQUEST;
	if (rtype == NULL || rtype_parse(rtype, &b->rtype) != 0)
		b->rtype = RT_TEXT;
	b->required = req != 0;
	b->num_whole = whole != 0;
	b->needs_op = op != 0;
	b->needs_res = res != 0;
	b->procurement = proc != 0;
	b->retired = ret != 0;
	b->opts = rt_options_parse(r->a, opts, &b->nopts);
	return 1;
}

struct mblock *
modblock_list(struct req *r, int64_t event_id, int64_t template_id,
    size_t *n)
{
	*n = 0;
	if (db_select(&q_tpl, "ii", template_id, event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_tpl, fetch, sizeof(struct mblock),
	    BLOCKS_MAX, n);
}

struct mblock *
modblock_list_advance(struct req *r, int64_t event_id, int64_t advance_id,
    size_t *n)
{
	*n = 0;
	if (db_select(&q_adv, "iii", advance_id, event_id, event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_adv, fetch, sizeof(struct mblock),
	    BLOCKS_MAX, n);
}

struct mblock *
modblock_list_event(struct req *r, int64_t event_id, size_t *n)
{
	*n = 0;
	if (db_select(&q_event, "i", event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_event, fetch, sizeof(struct mblock),
	    BLOCKS_MAX, n);
}

int
modblock_get(struct req *r, int64_t event_id, int64_t template_id,
    int64_t block_id, struct mblock *b)
{
	int	 rc;

	if (db_select(&q_one, "iii", block_id, template_id, event_id) != 0)
		return -1;
	rc = fetch(r, &q_one, b);
	db_done(&q_one);
	return rc;
}

void
modblock_spec(const struct mblock *b, const char *zone, struct rt_spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->type = b->rtype;
	sp->opts = b->opts;
	sp->nopts = b->nopts;
	sp->num_min = b->num_min;
	sp->num_max = b->num_max;
	sp->num_whole = b->num_whole;
	sp->zone = zone;
}

json_object *
modblock_json(struct req *r, const struct mblock *b)
{
	json_object	*o = json_object_new_object(), *opts;
	size_t		 i;

	vset_int(o, "id", b->id);
	vset_int(o, "module_template_id", b->template_id);
	vset_int(o, "position", b->position);
	vset_str(o, "kind", block_kind_name(b->kind));
	vset_bool(o, "retired", b->retired);
	vset_int(o, "version", b->version);
	switch (b->kind) {
	case BK_CONTENT:
		vset_str(o, "body", b->body);
		vset_str(o, "body_html", event_md_html(r, b->body));
		break;
	case BK_QUESTION:
		vset_str(o, "label", b->label);
		vset_str(o, "prompt", b->prompt);
		vset_str(o, "prompt_html", event_md_html(r, b->prompt));
		vset_str(o, "help", b->help);
		vset_str(o, "help_html", event_md_html(r, b->help));
		vset_str(o, "response_type", rtype_name(b->rtype));
		vset_bool(o, "required", b->required);
		if (rtype_has_options(b->rtype)) {
			opts = json_object_new_array();
			for (i = 0; i < b->nopts; i++) {
				json_object	*x = json_object_new_object();

				vset_str(x, "key", b->opts[i].key);
				vset_str(x, "label", b->opts[i].label);
				vset_bool(x, "retired", b->opts[i].retired);
				json_object_array_add(opts, x);
			}
			vset_obj(o, "options", opts);
		}
		if (b->rtype == RT_NUMBER) {
			vset_str(o, "min", b->num_min);
			vset_str(o, "max", b->num_max);
			vset_bool(o, "whole", b->num_whole);
		}
		break;
	case BK_REQUEST:
		vset_str(o, "name", b->label);
		vset_str(o, "item_label", b->item_label);
		if (b->asset_type_id > 0) {
			vset_int(o, "asset_type_id", b->asset_type_id);
			vset_str(o, "asset_type_label", b->asset_type_label);
		} else {
			vset_obj(o, "asset_type_id", NULL);
		}
		vset_bool(o, "needs_operational_approval", b->needs_op);
		vset_bool(o, "needs_resource_approval", b->needs_res);
		vset_bool(o, "procurement_eligible", b->procurement);
		if (b->max_items > 0)
			vset_int(o, "max_items", b->max_items);
		else
			vset_obj(o, "max_items", NULL);
		break;
	}
	return o;
}
