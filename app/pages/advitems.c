/* advitems.c — request line items (PRODUCT §13.2 request blocks, §13.5
 * "Add request", §13.7): add, change and remove items of a request
 * block; with an asset type the item form is that type's live
 * properties plus rows of its sub-assets, each value checked like an
 * answer; without one, description (required, ≤ 500), quantity (≥ 1,
 * default 1) and notes.
 *
 * Any content change resets both approvals to pending and the item to
 * needs review. Items carry a version (If-Match on JSON, 428/412; a
 * stale form answers 409). Items linked to procurement are locked
 * (409 request-locked); respondents remove items while neither approval
 * is approved, advancing admins any other. */
#include <stdlib.h>
#include <string.h>

#include "deny.h"
#include "advpage.h"
#include "etag.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "events.h"
#include "model/advtrack.h"
#include "model/audit.h"
#include "render/timefmt.h"
#include "render/view.h"

#define QTY_MAX	1000000

/* --- reading an item --------------------------------------------------------- */

/* The raw value(s) of form field name, or of JSON member v: 1 sent. */
static int
raw_of(struct req *r, json_object *v, const char *name, const char **raw,
    const char ***vals, size_t *nvals)
{
	size_t	 i, n = 0;

	*raw = NULL;
	*vals = NULL;
	*nvals = 0;
	if (r->json != NULL) {
		if (v == NULL)
			return 0;
		if (json_object_is_type(v, json_type_array)) {
			n = json_object_array_length(v);
			*vals = arena_calloc(r->a, n + 1, sizeof(**vals));
			for (i = 0; i < n; i++)
				(*vals)[(*nvals)++] = json_object_get_string(
				    json_object_array_get_idx(v, i));
			*raw = n > 0 ? (*vals)[0] : "";
			return 1;
		}
		*raw = json_object_is_type(v, json_type_object) ? "" :
		    json_object_get_string(v);
		return 1;
	}
	for (i = 0; i < r->params.n; i++)
		if (strcmp(r->params.v[i].name, name) == 0)
			n++;
	if (n == 0)
		return 0;
	*vals = arena_calloc(r->a, n + 1, sizeof(**vals));
	for (i = 0; i < r->params.n; i++)
		if (strcmp(r->params.v[i].name, name) == 0 &&
		    r->params.v[i].value[0] != '\0')
			(*vals)[(*nvals)++] = r->params.v[i].value;
	*raw = *nvals > 0 ? (*vals)[0] : "";
	return 1;
}

/* Check one property value: the canonical text (NULL empty) or an error
 * added under field. */
static char *
prop_value(struct req *r, const struct asset_prop *p, const char *zone,
    const char *field, json_object *jv, json_object *typed, int *empty)
{
	struct rt_spec	 sp;
	const char	*raw, **vals, *msg;
	size_t		 nvals;
	char		*canon;
	int		 sent;

	*empty = 1;
	adv_prop_spec(p, zone, &sp);
	sent = raw_of(r, jv, field, &raw, &vals, &nvals);
	if (sent && typed != NULL) {
		if (p->rtype == RT_MULTISELECT) {
			json_object	*a = json_object_new_array();
			size_t		 i;

			for (i = 0; i < nvals; i++)
				json_object_array_add(a,
				    json_object_new_string(vals[i]));
			json_object_object_add(typed, field, a);
		} else
			vset_str(typed, field, raw);
	}
	if (!sent || (p->rtype == RT_CHECKBOX && r->json == NULL &&
	    (raw == NULL || *raw == '\0')))
		return NULL;
	if (p->rtype != RT_MULTISELECT && nvals > 1) {
		valid_error(r, field, "invalid", arena_printf(r->a, "%s: send "
		    "one value.", p->label));
		return NULL;
	}
	if ((msg = answer_check(r->a, &sp, raw, p->rtype == RT_MULTISELECT ?
	    vals : NULL, p->rtype == RT_MULTISELECT ? nvals : 0,
	    &canon)) != NULL) {
		valid_error(r, field, "invalid", arena_printf(r->a, "%s: %s",
		    p->label, msg));
		*empty = 0;
		return NULL;
	}
	*empty = canon == NULL;
	return canon;
}

static json_object *
jget(json_object *o, const char *key)
{
	json_object	*v;

	return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* The item's own properties (sub 0) from the form or JSON jprops;
 * retired ones keep what oldp held. Errors added. */
static json_object *
own_props(struct req *r, const struct advdata *d, const struct mblock *b,
    const char *zone, json_object *jprops, json_object *oldp,
    json_object *typed)
{
	json_object	*props = json_object_new_object();
	size_t		 i;
	int		 empty;

	for (i = 0; i < d->forms.nprops; i++) {
		const struct asset_prop *p = &d->forms.props[i];
		const char	*field;
		char		*v;

		if (p->type_id != b->asset_type_id || p->sub_id != 0)
			continue;
		if (p->retired || p->rtype == RT_FILE) {
			json_object	*keep = jget(oldp, p->key);

			if (keep != NULL)
				json_object_object_add(props, p->key,
				    json_object_get(keep));
			continue;
		}
		field = arena_printf(r->a, "p:%s", p->key);
		v = prop_value(r, p, zone, field, jget(jprops, p->key), typed,
		    &empty);
		if (v != NULL)
			vset_str(props, p->key, v);
		else if (empty && p->required)
			valid_error(r, field, "required", arena_printf(r->a,
			    "%s is required.", p->label));
	}
	return props;
}

/* One row of sub-asset s: its values (a new object), or NULL when the
 * row is empty (no row); a started row needs its required values. */
static json_object *
sub_row(struct req *r, const struct advdata *d, const struct mblock *b,
    const struct asset_sub *s, const char *zone, size_t row, json_object *jr,
    json_object *typed)
{
	json_object	*ro = json_object_new_object();
	const char	**missing;
	size_t		 k, nerr = r->nerrors, filled = 0, nmissing = 0;
	int		 empty;

	missing = arena_calloc(r->a, d->forms.nprops + 1, sizeof(*missing));
	for (k = 0; k < d->forms.nprops; k++) {
		const struct asset_prop *p = &d->forms.props[k];
		const char	*field;
		char		*v;

		if (p->type_id != b->asset_type_id || p->sub_id != s->id ||
		    p->retired || p->rtype == RT_FILE)
			continue;
		field = arena_printf(r->a, "s:%s:%zu:%s", s->key, row, p->key);
		v = prop_value(r, p, zone, field, jget(jr, p->key), typed,
		    &empty);
		if (v != NULL) {
			vset_str(ro, p->key, v);
			filled++;
		} else if (!empty)
			filled++;
		else if (p->required)
			missing[nmissing++] = field;
	}
	if (filled == 0 && r->nerrors == nerr) {
		json_object_put(ro);
		return NULL;
	}
	for (k = 0; k < nmissing; k++)
		valid_error(r, missing[k], "required", arena_printf(r->a, "%s "
		    "row %zu: a required value is missing.", s->label,
		    row + 1));
	return ro;
}

/* The sub-asset rows from the form (rows:<key> says how many it shows)
 * or JSON jsubs; retired sub-assets keep what olds held. */
static json_object *
sub_rows(struct req *r, const struct advdata *d, const struct mblock *b,
    const char *zone, json_object *jsubs, json_object *olds,
    json_object *typed)
{
	json_object	*subs = json_object_new_object();
	size_t		 i, row, nrows;

	for (i = 0; i < d->forms.nsubs; i++) {
		const struct asset_sub *s = &d->forms.subs[i];
		json_object	*rows, *jrows, *ro;
		const char	*cnt;

		if (s->type_id != b->asset_type_id)
			continue;
		if (s->retired) {
			json_object	*keep = jget(olds, s->key);

			if (keep != NULL)
				json_object_object_add(subs, s->key,
				    json_object_get(keep));
			continue;
		}
		jrows = jget(jsubs, s->key);
		if (r->json != NULL)
			nrows = jrows != NULL && json_object_is_type(jrows,
			    json_type_array) ? json_object_array_length(jrows) :
			    0;
		else {
			cnt = req_param(r, arena_printf(r->a, "rows:%s",
			    s->key));
			nrows = cnt != NULL ? (size_t)strtoul(cnt, NULL, 10) :
			    0;
		}
		if (nrows > ADV_ROWS_MAX) {
			valid_error(r, arena_printf(r->a, "rows:%s", s->key),
			    "invalid", arena_printf(r->a, "%s: at most %d "
			    "rows.", s->label, ADV_ROWS_MAX));
			nrows = ADV_ROWS_MAX;
		}
		if (typed != NULL)
			vset_int(typed, arena_printf(r->a, "rows:%s", s->key),
			    (long long)nrows);
		rows = json_object_new_array();
		for (row = 0; row < nrows; row++)
			if ((ro = sub_row(r, d, b, s, zone, row, jrows != NULL ?
			    json_object_array_get_idx(jrows, row) : NULL,
			    typed)) != NULL)
				json_object_array_add(rows, ro);
		json_object_object_add(subs, s->key, rows);
	}
	return subs;
}

/* The asset-typed item: {"props": {...}, "subs": {...}} from the form
 * or JSON (which may leave "props" or "subs" out to keep them as they
 * are). Errors added. */
static const char *
read_props(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct mblock *b, const char *old, json_object *typed)
{
	json_object	*out = json_object_new_object();
	json_object	*oldj = old != NULL ? json_tokener_parse(old) : NULL;
	json_object	*jprops = jget(r->json, "props");
	json_object	*jsubs = jget(r->json, "subs");
	json_object	*oldp = jget(oldj, "props"), *olds = jget(oldj, "subs");
	const char	*zone = x->ec.ev.timezone, *text;
	int		 keep = r->json != NULL && oldj != NULL;

	json_object_object_add(out, "props", keep && jprops == NULL ?
	    (oldp != NULL ? json_object_get(oldp) : json_object_new_object()) :
	    own_props(r, d, b, zone, jprops, oldp, typed));
	json_object_object_add(out, "subs", keep && jsubs == NULL ?
	    (olds != NULL ? json_object_get(olds) : json_object_new_object()) :
	    sub_rows(r, d, b, zone, jsubs, olds, typed));
	text = arena_strdup(r->a, json_object_to_json_string_ext(out,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	if (oldj != NULL)
		json_object_put(oldj);
	return text;
}

/* The fields of an item from the request; old (an update) supplies
 * what a JSON PATCH leaves out. Errors added; typed gets the form's
 * values for a re-show. */
static void
read_item(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct mblock *b, const struct lineitem *old,
    struct lineitem_fields *f, json_object *typed)
{
	struct rt_spec	 sp;
	const char	*raw, *msg, **vals;
	char		*canon;
	size_t		 nvals;

	memset(f, 0, sizeof(f[0]));
	if (b->asset_type_id > 0) {
		f->quantity = 1;
		f->props = read_props(r, x, d, b, old ? old->props : NULL,
		    typed);
		return;
	}
	memset(&sp, 0, sizeof(sp));
	sp.type = RT_TEXT;
	f->description = old ? old->description : NULL;
	if (raw_of(r, jget(r->json, "description"), "description", &raw,
	    &vals, &nvals) || old == NULL) {
		if (typed != NULL)
			vset_str(typed, "description", raw);
		if ((msg = answer_check(r->a, &sp, raw, NULL, 0, &canon)) !=
		    NULL)
			valid_error(r, "description", "invalid", arena_printf(
			    r->a, "Description: %s", msg));
		else if (canon == NULL)
			valid_error(r, "description", "required",
			    "Description is required.");
		f->description = canon;
	}
	f->quantity = old ? old->quantity : 1;
	if (raw_of(r, jget(r->json, "quantity"), "quantity", &raw, &vals,
	    &nvals)) {
		char		*end;
		long long	 q;

		if (typed != NULL)
			vset_str(typed, "quantity", raw);
		q = raw != NULL ? strtoll(raw, &end, 10) : 0;
		if (raw == NULL || *raw == '\0')
			q = 1, end = (char *)"";
		if (*end != '\0' || q < 1 || q > QTY_MAX)
			valid_error(r, "quantity", "invalid", "Quantity must be "
			    "a whole number from 1 to 1,000,000.");
		else
			f->quantity = q;
	}
	sp.type = RT_LONGTEXT;
	f->notes = old ? old->notes : NULL;
	if (raw_of(r, jget(r->json, "notes"), "notes", &raw, &vals, &nvals)) {
		if (typed != NULL)
			vset_str(typed, "notes", raw);
		if ((msg = answer_check(r->a, &sp, raw, NULL, 0, &canon)) !=
		    NULL)
			valid_error(r, "notes", "invalid", arena_printf(r->a,
			    "Notes: %s", msg));
		f->notes = canon;
	}
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Props as stored compare as parsed JSON (key order may differ). */
static int
same_props(const char *a, const char *b)
{
	json_object	*ja, *jb;
	int		 eq;

	if (a == NULL || b == NULL)
		return a == b;
	ja = json_tokener_parse(a);
	jb = json_tokener_parse(b);
	eq = ja != NULL && jb != NULL && json_object_equal(ja, jb);
	json_object_put(ja);
	json_object_put(jb);
	return eq;
}

/* --- shared ------------------------------------------------------------------- */

/* The request block {block} of x->mod's template. 1 found and live, 0
 * no such block (or a retired one), -1 error. */
static int
request_block(struct req *r, const struct advctx *x, int64_t id,
    struct mblock *b)
{
	int	 st;

	if ((st = modblock_get(r, x->ec.ev.id, x->mod.template_id, id, b)) <= 0)
		return st;
	return b->kind == BK_REQUEST && !b->retired;
}

/* {li} of the module and its block: 0, or the status sent. */
static int
item_of(struct req *r, const struct advctx *x, struct lineitem *li,
    struct mblock *b)
{
	int64_t	 id = req_pathvar_id(r, 3);
	int	 st;

	if (id <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = lineitem_get(r, x->ec.ev.id, x->mod.id, id, 0, li)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = modblock_get(r, x->ec.ev.id, x->mod.template_id,
	    li->block_id, b)) < 0)
		return 503;
	if (st == 0 || (b->retired && x->respondent))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

static const char *
item_label(struct req *r, const struct advctx *x, const struct mblock *b,
    int64_t id)
{
	return arena_printf(r->a, "%s · %s · %s #%lld", x->adv.name,
	    x->mod.label, b->item_label, (long long)id);
}

static const char *
block_anchor(struct req *r, const struct advctx *x, int64_t block)
{
	return arena_printf(r->a, "%s#r%lld-%lld", adv_mod_url(r, x,
	    x->mod.id), (long long)x->mod.id, (long long)block);
}

static json_object *
item_changes(const struct lineitem *old, const struct lineitem_fields *f)
{
	json_object	*ch = json_object_new_object(), *c;

#define CH(key, o, n) do {						\
	c = json_object_new_object();					\
	vset_str(c, "old", (o));					\
	vset_str(c, "new", (n));					\
	json_object_object_add(ch, key, c);				\
} while (0)
	if (old == NULL || !same(old->description, f->description))
		CH("description", old ? old->description : NULL,
		    f->description);
	if (old == NULL || old->quantity != f->quantity) {
		c = json_object_new_object();
		if (old != NULL)
			vset_int(c, "old", old->quantity);
		vset_int(c, "new", f->quantity);
		json_object_object_add(ch, "quantity", c);
	}
	if (old == NULL || !same(old->notes, f->notes))
		CH("notes", old ? old->notes : NULL, f->notes);
	if (old == NULL || !same_props(old->props, f->props))
		CH("props", old ? old->props : NULL, f->props);
#undef CH
	return ch;
}

/* One item read afresh as JSON (*st: 0, or a status to send). */
static json_object *
item_fresh(struct req *r, const struct advctx *x, int64_t id,
    struct lineitem *li, int *st)
{
	struct advdata	 d;
	const struct mblock *b = NULL;
	size_t		 i;
	int		 rc;

	*st = 503;
	if (adv_load(r, x, x->mod.id, &d) != 0 ||
	    (rc = lineitem_get(r, x->ec.ev.id, x->mod.id, id, 0, li)) < 0)
		return NULL;
	if (rc == 0) {
		*st = 404;
		return NULL;
	}
	for (i = 0; i < d.nblocks; i++)
		if (d.blocks[i].id == li->block_id &&
		    d.blocks[i].template_id == x->mod.template_id)
			b = &d.blocks[i];
	if (b == NULL)
		return NULL;
	*st = 0;
	return advblock_item(r, x, &d, &x->mod, b, li, !x->ec.ev.archived &&
	    adv_can_answer(&x->ec, &x->adv, &x->mod), !x->ec.ev.archived &&
	    !x->respondent && adv_can_review(&x->ec, x->uid, &x->adv,
	    &x->mod));
}

/* JSON of one item read afresh, with its ETag. */
static int
item_json_answer(struct req *r, const struct advctx *x, int64_t id,
    int status)
{
	struct lineitem	 li;
	json_object	*v, *o;
	int		 st;

	if ((o = item_fresh(r, x, id, &li, &st)) == NULL)
		return st == 404 ? page_refuse(r, 404, "not-found", NULL) : st;
	(void)page_etag(r, li.id, li.version);
	v = view_new(r);
	vset_obj(v, "item", o);
	return render_json(r, status, v);
}

/* --- the item page ------------------------------------------------------------- */

/* The item on its own: details, approvals with reasons, review (staff),
 * the edit form (typed values when re-shown), approval and removal
 * forms for those who may. */
int
adv_item_page(struct req *r, const struct advctx *x, int64_t id, int status,
    json_object *typed, const struct lineitem *theirs)
{
	struct advdata	 d;
	struct lineitem	 li;
	const struct mblock *b = NULL;
	json_object	*v, *a, *item, *c;
	size_t		 i;
	int		 st, can_answer, can_review, can_res;

	if (db_in_txn())
		db_rollback();
	if (adv_load(r, x, x->mod.id, &d) != 0 ||
	    (st = lineitem_get(r, x->ec.ev.id, x->mod.id, id, 0, &li)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	for (i = 0; i < d.nblocks; i++)
		if (d.blocks[i].id == li.block_id &&
		    d.blocks[i].template_id == x->mod.template_id)
			b = &d.blocks[i];
	if (b == NULL)
		return 503;
	can_answer = !x->ec.ev.archived && adv_can_answer(&x->ec, &x->adv,
	    &x->mod) && !b->retired;
	can_review = !x->ec.ev.archived && !x->respondent &&
	    adv_can_review(&x->ec, x->uid, &x->adv, &x->mod);
	can_res = !x->ec.ev.archived && !x->respondent &&
	    adv_event_admin(&x->ec);
	v = view_new(r);
	event_header_into(r, v, &x->ec, x->respondent ? "portal" :
	    "advancing");
	a = advance_json(&x->adv);
	vset_str(a, "url", adv_url(r, x));
	vset_obj(v, "advance", a);
	vset_obj(v, "module", advmod_json(&x->mod));
	vset_str(v, "module_url", adv_mod_url(r, x, x->mod.id));
	vset_str(v, "block_url", block_anchor(r, x, b->id));
	vset_str(v, "block_name", b->label != NULL && *b->label != '\0' ?
	    b->label : b->item_label);
	item = advblock_item(r, x, &d, &x->mod, b, &li, can_answer,
	    can_review);
	vset_bool(v, "can_operational", can_review && b->needs_op);
	vset_bool(v, "can_resource", can_res && b->needs_res);
	vset_bool(v, "staff", !x->respondent);
	vset_obj(v, "item", item);
	vset_obj(v, "form", advblock_item_form(r, &d, b, &li, typed,
	    !(can_answer && !li.procurement_linked), x->ec.ev.timezone));
	if (theirs != NULL) {
		c = json_object_new_object();
		vset_str(c, "by_name", li.updated_by_name);
		vset_time(c, "at", li.updated_at, x->ec.ev.timezone);
		vset_int(c, "current_version", li.version);
		vset_obj(v, "conflict", c);
	} else
		vset_obj(v, "conflict", NULL);
	vset_str(v, "timezone", x->ec.ev.timezone);
	if (status == 422)
		return render_invalid(r, "advpage/item", b->item_label, v);
	return render_page(r, status, "advpage/item", b->item_label, v);
}

/* GET …/modules/{m}/line-items/{li} — 200 the item (JSON with its
 * ETag); 404 as the module, or not an item of this module. */
int
h_adv_item(struct req *r)
{
	struct advctx	 x;
	struct lineitem	 li;
	struct mblock	 b;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = item_of(r, &x, &li,
	    &b)) != 0)
		return st;
	if (r->fmt == FMT_JSON) {
		/* item_json_answer sets the ETag of what it read. */
		if (r->if_none_match != NULL && strcmp(r->if_none_match,
		    page_etag_text(r, li.id, li.version)) == 0)
			return page_etag(r, li.id, li.version) ? 304 : 500;
		return item_json_answer(r, &x, li.id, 200);
	}
	(void)page_etag(r, li.id, li.version);
	return adv_item_page(r, &x, li.id, 200, NULL, NULL);
}

/* 422 of the add form: the module page with the form open and typed. */
static int
create_invalid(struct req *r, const struct advctx *x, int64_t block,
    json_object *typed)
{
	struct advform	 form;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON || block == 0)
		return adv_invalid(r, x);
	memset(&form, 0, sizeof(form));
	form.item_block = block;
	form.item_form = typed;
	return adv_render(r, x, 422, x->mod.id, &form);
}

/* POST …/modules/{m}/line-items — add an item to the request block
 * block_id: 303 to the block, 201 JSON the item with its ETag. 403
 * without advancing edit; 404; 409 archived or submitted (for those
 * with only edit); 422 field errors (each named, typed values kept) or
 * the block's maximum reached. */
int
h_adv_item_create(struct req *r)
{
	struct advctx		 x;
	struct advdata		 d;
	struct mblock		 b;
	struct lineitem_fields	 f;
	json_object		*typed, *ch;
	int64_t			 n, id;
	int			 st;

	if ((st = adv_gate(r, &x, 1)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	typed = view_new(r);
	if (!r->in[ITEM_BLOCK].present)
		return create_invalid(r, &x, 0, typed);
	if ((st = request_block(r, &x, r->in[ITEM_BLOCK].i, &b)) < 0)
		return 503;
	if (st == 0) {
		valid_error(r, "block_id", "invalid", "That is not a request "
		    "of this module.");
		return create_invalid(r, &x, 0, typed);
	}
	memset(&d, 0, sizeof(d));
	if (b.asset_type_id > 0 &&
	    lineitem_forms(r, x.ec.ev.id, x.adv.id, 0, &d.forms) != 0)
		return 503;
	r->nerrors = 0;		/* the declared fields are checked below */
	read_item(r, &x, &d, &b, NULL, &f, typed);
	if (r->nerrors)
		return create_invalid(r, &x, b.id, typed);

	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((n = lineitem_count(r, x.ec.ev.id, x.mod.id, b.id)) < 0)
		return 503;
	if (b.max_items > 0 && n >= b.max_items) {
		valid_error(r, "block_id", "max-items", arena_printf(r->a,
		    "%s takes at most %lld items.", b.label ? b.label :
		    b.item_label, (long long)b.max_items));
		return create_invalid(r, &x, b.id, typed);
	}
	if ((id = lineitem_insert(r, x.ec.ev.id, x.mod.id, b.id, &f,
	    x.uid)) < 0)
		return 503;
	ch = item_changes(NULL, &f);
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "line_item.created",
	    "line_item", id, item_label(r, &x, &b, id), ch);
	json_object_put(ch);
	if (st != 0 || advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON)
		return item_json_answer(r, &x, id, 201);
	flash(r, "ok", arena_printf(r->a, "%s was added.", b.item_label));
	return render_redirect(r, block_anchor(r, &x, b.id));
}

/* The version a write on an item is based on: JSON If-Match (428
 * without), forms `version` (422 without). 0 fine, else sent. */
static int
need_version(struct req *r, const struct advctx *x, int64_t id)
{
	if (r->fmt == FMT_JSON) {
		if (r->if_match == NULL || *r->if_match == '\0')
			return page_if_match_required(r, 0, 0);
		return 0;
	}
	if (r->in[ITEM_VERSION].present)
		return 0;
	valid_error(r, "version", "required", "Version is required: reload "
	    "the page and try again.");
	return adv_item_page(r, x, id, 422, NULL, NULL);
}

/* Stale? JSON: 412 with the item as it is; forms: 409 with the item
 * page showing the current values and the typed form. 0 current. */
static int
stale(struct req *r, const struct advctx *x, const struct lineitem *cur,
    int64_t form_version, json_object *typed)
{
	int	 st;

	if (r->fmt == FMT_JSON) {
		struct lineitem	 now;
		json_object	*o;

		if ((st = page_if_match_required(r, cur->id,
		    cur->version)) == 0)
			return 0;
		db_rollback();
		if ((o = item_fresh(r, x, cur->id, &now, &st)) == NULL)
			return st == 404 ? page_refuse(r, 404, "not-found",
			    NULL) : st;
		return adv_precondition_failed(r, arena_printf(r->a, "The "
		    "item was changed by %s meanwhile; nothing was saved.",
		    now.updated_by_name ? now.updated_by_name :
		    "someone else"), o);
	}
	if (form_version == cur->version)
		return 0;
	log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
	return adv_item_page(r, x, cur->id, 409, typed, cur);
}

static int
request_locked(struct req *r)
{
	return page_refuse(r, 409, "request-locked", "This request is linked "
	    "to procurement and can no longer be changed or removed.");
}

/* POST/PATCH …/line-items/{li} — change an item (JSON: the fields sent,
 * the others kept — "props" and "subs" each replaced whole; If-Match
 * required): 303 to the block, 200 JSON with the new ETag.
 * Both approvals go back to pending and the item to needs review. 403,
 * 404; 409 archived, submitted, request-locked, stale form (current and
 * typed shown); 412; 422; 428. */
int
h_adv_item_save(struct req *r)
{
	struct advctx		 x;
	struct advdata		 d;
	struct lineitem		 li, cur;
	struct mblock		 b;
	struct lineitem_fields	 f;
	json_object		*typed, *ch;
	int			 st;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = item_of(r, &x, &li,
	    &b)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	if (li.procurement_linked)
		return request_locked(r);
	if (b.retired)
		return page_refuse(r, 409, "conflict", "This request was "
		    "retired; its items can no longer be changed.");
	if ((st = need_version(r, &x, li.id)) != 0)
		return st;
	memset(&d, 0, sizeof(d));
	if (b.asset_type_id > 0 &&
	    lineitem_forms(r, x.ec.ev.id, x.adv.id, 0, &d.forms) != 0)
		return 503;
	typed = view_new(r);
	r->nerrors = 0;
	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((st = lineitem_get(r, x.ec.ev.id, x.mod.id, li.id, 1, &cur)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	read_item(r, &x, &d, &b, &cur, &f, typed);
	if ((st = stale(r, &x, &cur, r->in[ITEM_VERSION].i, typed)) != 0)
		return st;
	if (r->nerrors) {
		db_rollback();
		if (r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, view_new(r));
		return adv_item_page(r, &x, li.id, 422, typed, NULL);
	}
	if (same(cur.description, f.description) && cur.quantity ==
	    f.quantity && same(cur.notes, f.notes) && same_props(cur.props,
	    f.props)) {
		db_rollback();
		if (r->fmt == FMT_JSON)
			return item_json_answer(r, &x, li.id, 200);
		flash(r, "info", "Nothing was changed.");
		return render_redirect(r, block_anchor(r, &x, b.id));
	}
	if ((st = lineitem_update(r, x.ec.ev.id, li.id, cur.version, &f,
	    x.uid)) <= 0)
		return 503;
	ch = item_changes(&cur, &f);
	if (x.mod.submitted)
		vset_bool(ch, "module_submitted", 1);
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "line_item.updated",
	    "line_item", li.id, item_label(r, &x, &b, li.id), ch);
	json_object_put(ch);
	if (st != 0 || advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON)
		return item_json_answer(r, &x, li.id, 200);
	flash(r, "ok", arena_printf(r->a, "%s was saved; its approvals are "
	    "pending again.", b.item_label));
	return render_redirect(r, block_anchor(r, &x, b.id));
}

/* DELETE …/line-items/{li} and POST …/line-items/{li}/delete — remove
 * an item: 303 to the block, 200 JSON {deleted}. Respondents while
 * neither approval is approved, advancing admins any item not linked
 * to procurement. 403, 404; 409 archived, submitted, request-locked
 * (linked, or approved for those with only edit), stale form; 412;
 * 422 without a version; 428. */
int
h_adv_item_delete(struct req *r)
{
	struct advctx	 x;
	struct lineitem	 li, cur;
	struct mblock	 b;
	json_object	*v;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = item_of(r, &x, &li,
	    &b)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	if (li.procurement_linked)
		return request_locked(r);
	if ((st = need_version(r, &x, li.id)) != 0)
		return st;
	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((st = lineitem_get(r, x.ec.ev.id, x.mod.id, li.id, 1, &cur)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = stale(r, &x, &cur, r->in[ITEM_VERSION].i, NULL)) != 0)
		return st;
	if (cur.procurement_linked)
		return request_locked(r);
	if (x.lv < LV_ADMIN && ((cur.op.state && !strcmp(cur.op.state,
	    "approved")) || (cur.res.state && !strcmp(cur.res.state,
	    "approved"))))
		return page_refuse(r, 409, "request-locked", "This request is "
		    "approved; ask the production team to remove it.");
	if ((st = lineitem_delete(r, x.ec.ev.id, li.id, cur.version)) <= 0)
		return 503;
	if (audit(r, x.ec.ev.org_id, x.ec.ev.id, "line_item.deleted",
	    "line_item", li.id, item_label(r, &x, &b, li.id), NULL) != 0 ||
	    advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_bool(v, "deleted", 1);
		vset_int(v, "id", li.id);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was removed.", b.item_label));
	return render_redirect(r, block_anchor(r, &x, b.id));
}
