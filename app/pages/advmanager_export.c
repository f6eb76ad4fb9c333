/* advmanager_export.c — the Advance Manager's downloads (PRODUCT §13.10,
 * §16): the module table as CSV (the rows and filters of the page) and
 * the line items of one request block as CSV, one row per item with its
 * asset-type properties, sub-assets and both approvals. Both go through
 * render/csv (byte order mark, CRLF, every cell quoted, formula guard)
 * and show exactly the rows the page shows the actor. Also the line
 * items' property formatting the approvals list shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deny.h"
#include "advmanager.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/req.h"
#include "exports.h"
#include "policy/answer.h"
#include "render/csv.h"
#include "render/schedxml.h"
#include "render/view.h"

#define SLUG_MAX	40

/* --- item properties ------------------------------------------------------- */

void
advm_props_init(struct req *r, struct amprops *pp,
    const struct adv_assets *as, const char *zone)
{
	size_t	 i;

	pp->as = as;
	pp->specs = arena_calloc(r->a, as->nprops + 1, sizeof(*pp->specs));
	for (i = 0; i < as->nprops; i++) {
		struct rt_spec	*sp = &pp->specs[i];

		if (as->props[i].rtype == NULL ||
		    rtype_parse(as->props[i].rtype, &sp->type) != 0)
			sp->type = RT_TEXT;
		sp->opts = rt_options_parse(r->a, as->props[i].options,
		    &sp->nopts);
		sp->zone = zone;
	}
}


json_object *
advm_props_parse(struct req *r, const char *props)
{
	json_object	*o;

	if (props == NULL || *props == '\0' ||
	    (o = json_tokener_parse(props)) == NULL)
		return NULL;
	(void)req_own_json(r, o);
	if (!json_object_is_type(o, json_type_object))
		return NULL;
	return o;
}

/* A stored JSON value as the canonical text of policy/answer.h. */
static const char *
canon_of(struct req *r, json_object *v)
{
	const char	*s = NULL;
	size_t		 i, n;

	if (v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? "true" : "false";
	if (!json_object_is_type(v, json_type_array))
		return json_object_get_string(v);
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		const char *e = json_object_get_string(
		    json_object_array_get_idx(v, i));

		s = s ? arena_printf(r->a, "%s,%s", s, e ? e : "") :
		    arena_strdup(r->a, e ? e : "");
	}
	return s;
}

const char *
advm_prop_text(struct req *r, const struct amprops *pp, size_t pi,
    json_object *obj)
{
	json_object	*v;
	const char	*c;

	if (obj == NULL || !json_object_object_get_ex(obj,
	    pp->as->props[pi].key, &v) || v == NULL)
		return NULL;
	if ((c = canon_of(r, v)) == NULL || *c == '\0')
		return NULL;
	return answer_display(r->a, &pp->specs[pi], c);
}

/* "Label: value, Label: value" of the properties of one object (the
 * item's own: sub 0, else a sub-asset row). */
static const char *
props_line(struct req *r, const struct amprops *pp, int64_t type,
    int64_t sub, json_object *obj)
{
	const char	*s = NULL, *t;
	size_t		 i;

	for (i = 0; i < pp->as->nprops; i++) {
		const struct adv_prop *p = &pp->as->props[i];

		if (p->asset_type_id != type || p->sub_id != sub ||
		    (t = advm_prop_text(r, pp, i, obj)) == NULL)
			continue;
		s = s ? arena_printf(r->a, "%s, %s: %s", s, p->label, t) :
		    arena_printf(r->a, "%s: %s", p->label, t);
	}
	return s;
}

const char *
advm_sub_text(struct req *r, const struct amprops *pp,
    const struct adv_sub *sub, json_object *root)
{
	json_object	*subs, *rows;
	const char	*s = "", *line;
	size_t		 i, n;

	if (root == NULL || !json_object_object_get_ex(root, "subs", &subs) ||
	    !json_object_object_get_ex(subs, sub->key, &rows) ||
	    !json_object_is_type(rows, json_type_array))
		return "";
	n = json_object_array_length(rows);
	for (i = 0; i < n; i++) {
		line = props_line(r, pp, sub->asset_type_id, sub->id,
		    json_object_array_get_idx(rows, i));
		if (line != NULL)
			s = *s ? arena_printf(r->a, "%s; %s", s, line) : line;
	}
	return s;
}

json_object *
advm_item_props(struct req *r, const struct amprops *pp,
    const struct adv_item *it, const char **summary)
{
	json_object	*a = json_object_new_array(), *root, *own = NULL;
	const char	*sum = NULL, *t;
	size_t		 i;

	root = it->asset_type_id ? advm_props_parse(r, it->props) : NULL;
	if (root != NULL)
		json_object_object_get_ex(root, "props", &own);
	for (i = 0; root != NULL && i < pp->as->nprops; i++) {
		const struct adv_prop *p = &pp->as->props[i];
		json_object	*o;

		if (p->asset_type_id != it->asset_type_id || p->sub_id != 0 ||
		    (t = advm_prop_text(r, pp, i, own)) == NULL)
			continue;
		o = json_object_new_object();
		vset_str(o, "key", p->key);
		vset_str(o, "label", p->label);
		vset_str(o, "value", t);
		json_object_array_add(a, o);
		sum = sum ? arena_printf(r->a, "%s · %s: %s", sum, p->label,
		    t) : arena_printf(r->a, "%s: %s", p->label, t);
	}
	for (i = 0; root != NULL && i < pp->as->nsubs; i++) {
		const struct adv_sub *s = &pp->as->subs[i];
		json_object	*o;

		if (s->asset_type_id != it->asset_type_id ||
		    *(t = advm_sub_text(r, pp, s, root)) == '\0')
			continue;
		o = json_object_new_object();
		vset_str(o, "key", s->key);
		vset_str(o, "label", s->label);
		vset_str(o, "value", t);
		json_object_array_add(a, o);
		sum = sum ? arena_printf(r->a, "%s · %s: %s", sum, s->label,
		    t) : arena_printf(r->a, "%s: %s", s->label, t);
	}
	if (it->asset_type_id == 0 && it->notes != NULL && *it->notes) {
		json_object	*o = json_object_new_object();

		vset_str(o, "key", "notes");
		vset_str(o, "label", "Notes");
		vset_str(o, "value", it->notes);
		json_object_array_add(a, o);
		sum = arena_printf(r->a, "Notes: %s", it->notes);
	}
	*summary = sum ? sum : "";
	return a;
}

const char *
advm_item_name(struct req *r, const struct adv_assets *as,
    const struct adv_item *it, int n)
{
	const struct adv_asset_type *at;
	const char	*l = it->item_label;

	if (it->asset_type_id == 0 && it->description != NULL &&
	    *it->description != '\0')
		return it->description;
	if ((l == NULL || *l == '\0') && it->asset_type_id != 0 &&
	    (at = advtable_asset_type(as, it->asset_type_id)) != NULL)
		l = at->item_label != NULL && *at->item_label != '\0' &&
		    strcmp(at->item_label, "Item") != 0 ? at->item_label :
		    at->label;
	return arena_printf(r->a, "%s %d", l != NULL && *l != '\0' ? l :
	    "Item", n);
}

const char *
advm_local(struct req *r, const char *zone, const char *utc)
{
	int64_t	 s;

	if (utc == NULL || (s = export_secs(utc)) == 0)
		return "";
	return export_local_iso(r, zone, s);
}

/* --- downloads --------------------------------------------------------------- */

static int
send_csv(struct req *r, const struct amtable *t, const char *what,
    struct buf *b)
{
	char	 ev[SLUG_MAX + 1], tp[SLUG_MAX + 1];
	int	 st;

	sx_slug(t->c.ev.code, SLUG_MAX, ev, sizeof(ev));
	sx_slug(t->tpl.name, SLUG_MAX, tp, sizeof(tp));
	resp_header(r, "Content-Disposition", arena_printf(r->a,
	    "attachment; filename=\"%s-%s%s.csv\"", ev, tp, what));
	st = render_text(r, 200, "text/csv; charset=utf-8", b->p, b->len);
	buf_free(b);
	return st;
}

static const char *
yes_no(int v)
{
	return v ? "yes" : "no";
}

/* A cell of the table CSV: request blocks as their item count, files by
 * name and link. */
static void
csv_cell_of(struct req *r, struct csv *cv, const struct amtable *t,
    const struct amrow *w, const struct amcell *cl)
{
	const struct adv_file **fs;
	const char	*s = NULL;
	size_t		 n, i;

	if (cl->b->kind == BK_REQUEST) {
		csv_cellf(cv, "%lld", cl->cnt ? (long long)cl->cnt->items : 0);
		return;
	}
	if (cl->ans != NULL && cl->b->rtype == RT_FILE) {
		fs = advm_cell_files(r, t, w, cl, &n);
		for (i = 0; i < n; i++) {
			const char *one = arena_printf(r->a, "%s (%s%s)",
			    fs[i]->name, cfg->base_url, advm_file_url(r, t, w,
			    fs[i]));

			s = s ? arena_printf(r->a, "%s; %s", s, one) : one;
		}
		csv_cell(cv, s);
		return;
	}
	csv_cell(cv, advm_cell_text(r, t, w, cl));
}

int
advm_table_csv(struct req *r, struct amtable *t)
{
	static const char *const head[] = { "collaborator", "advance", "area",
	    "activity", "due_date", "overdue", "completion", "needs_review",
	    "requires_submission", "submission", "submitted_at" };
	struct csv	 cv;
	struct buf	 b;
	size_t		 i, k;

	buf_init(&b);
	csv_begin(&cv, &b);
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_cell(&cv, head[i]);
	for (k = 0; k < t->ncols; k++) {
		const struct mblock *c = t->cols[k];

		csv_cellf(&cv, "%s%s%s", c->label ? c->label : "",
		    c->kind == BK_REQUEST ? " (items)" : "",
		    c->retired ? " (retired)" : "");
	}
	csv_cell(&cv, "url");
	csv_row_end(&cv);
	for (i = 0; i < t->nshown; i++) {
		const struct amrow *w = t->shown[i];

		csv_cell(&cv, w->adv->collab_name);
		csv_cell(&cv, w->adv->name);
		csv_cell(&cv, w->adv->area_name);
		csv_cell(&cv, w->adv->activity_name);
		csv_cell(&cv, w->mod->due_date);
		csv_cell(&cv, yes_no(w->st.overdue));
		csv_cell(&cv, adv_completion_label(w->st.completion));
		csv_cell(&cv, yes_no(w->st.needs_review));
		csv_cell(&cv, yes_no(w->mod->submission));
		csv_cell(&cv, w->mod->submitted ? "submitted" : "open");
		csv_cell(&cv, advm_local(r, t->c.ev.timezone,
		    w->mod->submitted_at));
		for (k = 0; k < t->ncols; k++)
			csv_cell_of(r, &cv, t, w, &w->cells[k]);
		csv_cellf(&cv, "%s/events/%lld/advances/%lld/modules/%lld",
		    cfg->base_url, (long long)t->c.ev.id,
		    (long long)w->adv->id, (long long)w->mod->id);
		csv_row_end(&cv);
	}
	return send_csv(r, t, "", &b);
}

static void
approval_cells(struct req *r, struct csv *cv, const char *zone, int needed,
    const struct adv_approval *ap)
{
	csv_cell(cv, needed ? ap->state : "not required");
	csv_cell(cv, needed ? ap->by : NULL);
	csv_cell(cv, needed ? advm_local(r, zone, ap->at) : NULL);
	csv_cell(cv, needed ? ap->reason : NULL);
}

/* The items of one request block of the shown rows, row by row. */
static void
items_rows(struct req *r, struct csv *cv, const struct amtable *t,
    const struct mblock *blk, const struct amprops *pp)
{
	const char	*zone = t->c.ev.timezone;
	size_t		 i, k, j;

	for (i = 0; i < t->nshown; i++) {
		const struct amrow *w = t->shown[i];
		const struct adv_item *first;
		size_t		 n;

		first = advm_items_of(t, w->mod->id, blk->id, &n);
		for (k = 0; k < n; k++) {
			const struct adv_item *it = &first[k];
			json_object	*root, *own = NULL;

			csv_cell(cv, w->adv->collab_name);
			csv_cell(cv, w->adv->name);
			csv_cell(cv, w->adv->area_name);
			csv_cell(cv, w->adv->activity_name);
			csv_cellf(cv, "%zu", k + 1);
			csv_cellf(cv, "%lld", (long long)it->id);
			if (blk->asset_type_id == 0) {
				csv_cell(cv, it->description);
				csv_cellf(cv, "%lld", (long long)it->quantity);
				csv_cell(cv, it->notes);
			} else {
				root = advm_props_parse(r, it->props);
				if (root != NULL)
					json_object_object_get_ex(root,
					    "props", &own);
				for (j = 0; j < pp->as->nprops; j++)
					if (pp->as->props[j].asset_type_id ==
					    blk->asset_type_id &&
					    pp->as->props[j].sub_id == 0)
						csv_cell(cv, advm_prop_text(r,
						    pp, j, own));
				for (j = 0; j < pp->as->nsubs; j++)
					if (pp->as->subs[j].asset_type_id ==
					    blk->asset_type_id)
						csv_cell(cv, advm_sub_text(r,
						    pp, &pp->as->subs[j],
						    root));
			}
			csv_cell(cv, it->needs_review ? "needs review" :
			    "reviewed");
			csv_cell(cv, it->reviewed_by);
			csv_cell(cv, advm_local(r, zone, it->reviewed_at));
			approval_cells(r, cv, zone, blk->needs_op, &it->op);
			approval_cells(r, cv, zone, blk->needs_res, &it->res);
			csv_cell(cv, advm_local(r, zone, it->updated_at));
			csv_cellf(cv, "%s/events/%lld/advances/%lld/modules/"
			    "%lld/line-items/%lld", cfg->base_url,
			    (long long)t->c.ev.id, (long long)w->adv->id,
			    (long long)w->mod->id, (long long)it->id);
			csv_row_end(cv);
		}
	}
}

/* GET /events/{event}/advance-manager/{template}/blocks/{block}/items.csv
 * ?<the table's filters> — 200 the line items of one request block in
 * the rows the table shows: one row per item with its properties (a
 * column each, sub-assets a column each) or description, quantity and
 * notes, its review and both approvals; 400 a bad filter; 404 as the
 * table, or the block is not a request block of the template. */
int
h_advm_items_csv(struct req *r)
{
	static const char *const pre[] = { "collaborator", "advance", "area",
	    "activity", "item_number", "item_id" };
	static const char *const post[] = { "review", "reviewed_by",
	    "reviewed_at", "operational_approval", "operational_by",
	    "operational_at", "operational_reason", "resource_approval",
	    "resource_by", "resource_at", "resource_reason", "updated_at",
	    "url" };
	struct amtable	 t;
	struct adv_assets as;
	struct amprops	 pp;
	const struct mblock *blk = NULL;
	struct csv	 cv;
	struct buf	 b;
	int64_t		 bid = req_pathvar_id(r, 2);
	size_t		 i;
	int		 st;

	if ((st = advm_table_load(r, &t, req_pathvar(r, 1))) != 0)
		return st;
	for (i = 0; i < t.ncols; i++)
		if (t.cols[i]->id == bid && t.cols[i]->kind == BK_REQUEST)
			blk = t.cols[i];
	if (blk == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (advtable_assets(r, t.c.ev.id, &as) != 0)
		return 503;
	advm_props_init(r, &pp, &as, t.c.ev.timezone);

	buf_init(&b);
	csv_begin(&cv, &b);
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		csv_cell(&cv, pre[i]);
	if (blk->asset_type_id == 0) {
		csv_cell(&cv, "description");
		csv_cell(&cv, "quantity");
		csv_cell(&cv, "notes");
	} else {
		for (i = 0; i < as.nprops; i++)
			if (as.props[i].asset_type_id == blk->asset_type_id &&
			    as.props[i].sub_id == 0)
				csv_cellf(&cv, "%s%s", as.props[i].label,
				    as.props[i].retired ? " (retired)" : "");
		for (i = 0; i < as.nsubs; i++)
			if (as.subs[i].asset_type_id == blk->asset_type_id)
				csv_cell(&cv, as.subs[i].label);
	}
	for (i = 0; i < sizeof(post) / sizeof(post[0]); i++)
		csv_cell(&cv, post[i]);
	csv_row_end(&cv);
	items_rows(r, &cv, &t, blk, &pp);
	{
		char	 bl[SLUG_MAX + 1];

		sx_slug(blk->label, SLUG_MAX, bl, sizeof(bl));
		return send_csv(r, &t, arena_printf(r->a, "-%s-items",
		    *bl ? bl : "request"), &b);
	}
}
