/* advmanager_approvals.c — the Advance Manager's approvals list (PRODUCT
 * §13.7): every line item of the advances the actor may view, filtered
 * by asset type, collaborator, area, module and approval state, with
 * bulk approve and decline.
 *
 * Only the approvals a request block asks for apply. Operational: the
 * module's reviewer or an advancing admin covering the advance;
 * resource: Event-domain advancing admins only. A decline needs a
 * reason. A bulk action applies to every selected item or to none: the
 * page names each item refused (not visible, not allowed, not asked
 * for, changed since shown). Queries are fixed: the event and grants,
 * the advances, the modules, the items and the asset types (three). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deny.h"
#include "advances.h"
#include "advmanager.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "events.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/lineitem.h"
#include "model/user.h"
#include "render/view.h"

/* One visible item. */
struct amitem {
	const struct adv_item	*it;
	const struct advance	*adv;
	const struct advmod	*mod;
	int			 number;	/* in its block, from 1 */
	int			 can_op;
	int			 can_res;
};

struct amappr {
	struct event_ctx	 c;
	struct advance		*advs;
	size_t			 nadvs;
	struct advmod		*mods;
	size_t			 nmods;
	struct adv_item		*items;
	size_t			 nitems;
	struct adv_assets	 as;
	struct amprops		 pp;
	struct amitem		*rows;
	size_t			 nrows;
	struct amitem		**shown;
	size_t			 nshown;
	int			 event_admin;
	struct {
		int64_t		 asset;		/* 0 any, -1 none */
		int64_t		 collab;
		int64_t		 area;		/* 0 any, -1 none */
		int64_t		 tpl;
		const char	*op, *res;	/* NULL any */
	}			 f;
};

static const char *const states[] = { "pending", "approved", "declined" };
static const char *const state_labels[] = { "Pending", "Approved",
    "Declined" };

static const char *
state_label(const char *s)
{
	size_t	 i;

	for (i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, states[i]) == 0)
			return state_labels[i];
	return s;
}

static const char *
appr_url(struct req *r, int64_t ev)
{
	return arena_printf(r->a, "%s/approvals", advm_url(r, ev));
}

/* Modules by id for the item → module lookups. */
static int
mod_by_id(const void *a, const void *b)
{
	const struct advmod *x = *(const struct advmod *const *)a;
	const struct advmod *y = *(const struct advmod *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static const struct advmod *
mod_find(const struct advmod **ix, size_t n, int64_t id)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix[mid]->id == id)
			return ix[mid];
		if (ix[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* An id, or "none" (-1) for the asset type and area filters. 0 ok. */
static int
id_or_none(const struct input *in, int64_t *out)
{
	const char	*s = in->s;
	char		*end;

	*out = 0;
	if (!in->present || *s == '\0')
		return 0;
	if (strcmp(s, "none") == 0) {
		*out = -1;
		return 0;
	}
	*out = strtoll(s, &end, 10);
	return *end == '\0' && *out > 0 ? 0 : -1;
}

static int
state_in(const struct input *in, const char **out)
{
	size_t	 i;

	*out = NULL;
	if (!in->present || *in->s == '\0')
		return 0;
	for (i = 0; i < 3; i++)
		if (strcmp(in->s, states[i]) == 0) {
			*out = states[i];
			return 0;
		}
	return -1;
}

static int
filters_read(struct req *r, struct amappr *p)
{
	const char	*e;

	if ((e = advm_filter_error(r, AMA__FILTERS)) != NULL)
		return page_refuse(r, 400, "invalid-parameter", e);
	if (id_or_none(&r->in[AMA_ASSET], &p->f.asset) != 0)
		return page_refuse(r, 400, "invalid-parameter", "asset_type: "
		    "an asset type id or \"none\".");
	if (id_or_none(&r->in[AMA_AREA], &p->f.area) != 0)
		return page_refuse(r, 400, "invalid-parameter", "area: an area "
		    "id or \"none\".");
	if (state_in(&r->in[AMA_OP], &p->f.op) != 0 ||
	    state_in(&r->in[AMA_RES], &p->f.res) != 0)
		return page_refuse(r, 400, "invalid-parameter", "operational, "
		    "resource: pending, approved or declined.");
	p->f.collab = r->in[AMA_COLLAB].present ? r->in[AMA_COLLAB].i : 0;
	p->f.tpl = r->in[AMA_TEMPLATE].present ? r->in[AMA_TEMPLATE].i : 0;
	return 0;
}

static int
item_matches(const struct amappr *p, const struct amitem *x)
{
	const struct adv_item *it = x->it;

	if (p->f.asset > 0 && it->asset_type_id != p->f.asset)
		return 0;
	if (p->f.asset < 0 && it->asset_type_id != 0)
		return 0;
	if (p->f.collab > 0 && x->adv->collab_id != p->f.collab)
		return 0;
	if (p->f.area > 0 && x->adv->area_id != p->f.area)
		return 0;
	if (p->f.area < 0 && x->adv->area_id != 0)
		return 0;
	if (p->f.tpl > 0 && it->template_id != p->f.tpl)
		return 0;
	/* A state filter only finds items that ask for that approval. */
	if (p->f.op != NULL && (!it->needs_op ||
	    strcmp(it->op.state, p->f.op) != 0))
		return 0;
	if (p->f.res != NULL && (!it->needs_res ||
	    strcmp(it->res.state, p->f.res) != 0))
		return 0;
	return 1;
}

/* Collaborator, advance, module label, block, position. */
static int
item_cmp(const void *a, const void *b)
{
	const struct amitem *x = *(const struct amitem *const *)a;
	const struct amitem *y = *(const struct amitem *const *)b;
	int		 c = strcasecmp(x->adv->collab_name, y->adv->collab_name);

	if (c == 0)
		c = strcasecmp(x->adv->name, y->adv->name);
	if (c == 0 && x->mod->id != y->mod->id)
		c = x->mod->position < y->mod->position ? -1 :
		    x->mod->position > y->mod->position ? 1 :
		    x->mod->id < y->mod->id ? -1 : 1;
	if (c == 0 && x->it->block_id != y->it->block_id)
		c = x->it->block_id < y->it->block_id ? -1 : 1;
	if (c == 0)
		c = x->number - y->number;
	return c;
}

/* Load the list as the actor may see it. 0, or the status sent. */
static int
appr_load(struct req *r, struct amappr *p)
{
	struct advance	**ix;
	const struct advmod **mix;
	const struct advance *a;
	const struct advmod *m;
	const struct adv_scope whole = { 0, 0, 0, 0, 0 };
	int64_t		 uid = r->user->id, lastm = 0, lastb = 0;
	size_t		 i;
	int		 st, num = 0;

	memset(p, 0, sizeof(*p));
	if ((st = advm_gate(r, &p->c)) != 0)
		return st;
	if ((st = filters_read(r, p)) != 0)
		return st;
	p->advs = advance_list(r, p->c.ev.id, 0, &p->nadvs);
	p->mods = advmod_list_event(r, p->c.ev.id, 0, &p->nmods);
	p->items = advtable_items(r, p->c.ev.id, &whole, &p->nitems);
	if (p->nadvs == (size_t)-1 || p->nmods == (size_t)-1 ||
	    p->nitems == (size_t)-1 ||
	    advtable_assets(r, p->c.ev.id, &p->as) != 0)
		return 503;
	advm_props_init(r, &p->pp, &p->as, p->c.ev.timezone);
	p->event_admin = adv_event_admin(&p->c);
	ix = advm_adv_index(r, p->advs, p->nadvs);
	mix = arena_calloc(r->a, p->nmods + 1, sizeof(*mix));
	for (i = 0; i < p->nmods; i++)
		mix[i] = &p->mods[i];
	qsort(mix, p->nmods, sizeof(*mix), mod_by_id);
	p->rows = arena_calloc(r->a, p->nitems + 1, sizeof(*p->rows));
	for (i = 0; i < p->nitems; i++) {
		const struct adv_item *it = &p->items[i];
		struct amitem	*x = &p->rows[p->nrows];

		/* Items come by module, block and position. */
		if (it->module_id != lastm || it->block_id != lastb)
			num = 0;
		lastm = it->module_id;
		lastb = it->block_id;
		num++;
		if ((m = mod_find(mix, p->nmods, it->module_id)) == NULL ||
		    (a = advm_adv_find(ix, p->nadvs, m->advance_id)) == NULL ||
		    adv_level(&p->c, a) < LV_VIEW)
			continue;
		x->it = it;
		x->adv = a;
		x->mod = m;
		x->number = num;
		x->can_op = it->needs_op && adv_can_review(&p->c, uid, a, m);
		x->can_res = it->needs_res && p->event_admin;
		p->nrows++;
	}
	p->shown = arena_calloc(r->a, p->nrows + 1, sizeof(*p->shown));
	for (i = 0; i < p->nrows; i++)
		if (item_matches(p, &p->rows[i]))
			p->shown[p->nshown++] = &p->rows[i];
	qsort(p->shown, p->nshown, sizeof(*p->shown), item_cmp);
	return 0;
}

static const char *
filter_query(struct req *r, const struct amappr *p)
{
	const char	*q = "";

	if (p->f.asset)
		q = p->f.asset < 0 ? arena_printf(r->a, "%s&asset_type=none",
		    q) : arena_printf(r->a, "%s&asset_type=%lld", q,
		    (long long)p->f.asset);
	if (p->f.collab)
		q = arena_printf(r->a, "%s&collaborator=%lld", q,
		    (long long)p->f.collab);
	if (p->f.area)
		q = p->f.area < 0 ? arena_printf(r->a, "%s&area=none", q) :
		    arena_printf(r->a, "%s&area=%lld", q, (long long)p->f.area);
	if (p->f.tpl)
		q = arena_printf(r->a, "%s&module=%lld", q,
		    (long long)p->f.tpl);
	if (p->f.op)
		q = arena_printf(r->a, "%s&operational=%s", q, p->f.op);
	if (p->f.res)
		q = arena_printf(r->a, "%s&resource=%s", q, p->f.res);
	return *q ? arena_printf(r->a, "?%s", q + 1) : "";
}

static json_object *
approval_json(const struct adv_approval *ap, int needed, int can)
{
	json_object	*o = json_object_new_object();

	vset_bool(o, "required", needed);
	vset_bool(o, "can_change", can);
	if (!needed)
		return o;
	vset_str(o, "state", ap->state);
	vset_str(o, "state_label", state_label(ap->state));
	vset_bool(o, "pending", strcmp(ap->state, "pending") == 0);
	vset_bool(o, "approved", strcmp(ap->state, "approved") == 0);
	vset_bool(o, "declined", strcmp(ap->state, "declined") == 0);
	vset_str(o, "by_name", ap->by);
	vset_str(o, "at", ap->at);
	vset_str(o, "reason", ap->reason);
	return o;
}

static json_object *
item_json(struct req *r, const struct amappr *p, const struct amitem *x)
{
	json_object	*o = json_object_new_object();
	const struct adv_item *it = x->it;
	const struct adv_asset_type *at;
	const char	*sum, *adv_url;

	adv_url = arena_printf(r->a, "/events/%lld/advances/%lld",
	    (long long)p->c.ev.id, (long long)x->adv->id);
	vset_int(o, "id", it->id);
	vset_int(o, "version", it->version);
	vset_str(o, "token", arena_printf(r->a, "%lld:%lld",
	    (long long)it->id, (long long)it->version));
	vset_str(o, "name", advm_item_name(r, &p->as, it, x->number));
	vset_int(o, "number", x->number);
	vset_int(o, "collaborator_id", x->adv->collab_id);
	vset_str(o, "collaborator_name", x->adv->collab_name);
	vset_int(o, "advance_id", x->adv->id);
	vset_str(o, "advance_name", x->adv->name);
	vset_str(o, "advance_url", adv_url);
	vset_str(o, "area_name", x->adv->area_name);
	vset_str(o, "activity_name", x->adv->activity_name);
	vset_int(o, "module_id", x->mod->id);
	vset_int(o, "module_template_id", x->mod->template_id);
	vset_str(o, "module_label", x->mod->label);
	vset_str(o, "module_url", arena_printf(r->a, "%s/modules/%lld",
	    adv_url, (long long)x->mod->id));
	vset_int(o, "block_id", it->block_id);
	vset_str(o, "block_label", it->block_label);
	at = it->asset_type_id ? advtable_asset_type(&p->as,
	    it->asset_type_id) : NULL;
	if (at != NULL)
		vset_int(o, "asset_type_id", at->id);
	else
		vset_obj(o, "asset_type_id", NULL);
	vset_str(o, "asset_type_label", at ? at->label : NULL);
	if (it->asset_type_id == 0) {
		vset_str(o, "description", it->description);
		vset_int(o, "quantity", it->quantity);
	}
	vset_obj(o, "properties", advm_item_props(r, &p->pp, it, &sum));
	vset_str(o, "properties_text", sum);
	vset_bool(o, "needs_review", it->needs_review);
	vset_str(o, "reviewed_by_name", it->reviewed_by);
	vset_obj(o, "operational", approval_json(&it->op, it->needs_op,
	    x->can_op));
	vset_obj(o, "resource", approval_json(&it->res, it->needs_res,
	    x->can_res));
	vset_bool(o, "selectable", x->can_op || x->can_res);
	vset_bool(o, "procurement_linked", it->procurement_linked);
	vset_str(o, "url", arena_printf(r->a, "%s/modules/%lld/line-items/%lld",
	    adv_url, (long long)x->mod->id, (long long)it->id));
	return o;
}

/* The filters' options: asset types of the event, collaborators, areas
 * and modules among the visible items. */
static void
options_into(struct req *r, const struct amappr *p, json_object *v)
{
	json_object	*at = json_object_new_array();
	json_object	*co = json_object_new_array();
	json_object	*ar = json_object_new_array();
	json_object	*mo = json_object_new_array();
	json_object	*op = json_object_new_array();
	json_object	*rs = json_object_new_array();
	size_t		 i, j;
	int		 none = 0;

	for (i = 0; i < p->as.ntypes; i++)
		json_object_array_add(at, advm_option(arena_printf(r->a,
		    "%lld", (long long)p->as.types[i].id), p->as.types[i].label,
		    p->f.asset == p->as.types[i].id));
	json_object_array_add(at, advm_option("none", "No asset type",
	    p->f.asset < 0));
	for (i = 0; i < p->nrows; i++) {
		const struct amitem *x = &p->rows[i];

		for (j = 0; j < i && p->rows[j].adv->collab_id !=
		    x->adv->collab_id; j++)
			;
		if (j == i)
			json_object_array_add(co, advm_option(arena_printf(
			    r->a, "%lld", (long long)x->adv->collab_id),
			    x->adv->collab_name,
			    p->f.collab == x->adv->collab_id));
		for (j = 0; j < i && p->rows[j].mod->template_id !=
		    x->mod->template_id; j++)
			;
		if (j == i)
			json_object_array_add(mo, advm_option(arena_printf(
			    r->a, "%lld", (long long)x->mod->template_id),
			    x->mod->label, p->f.tpl == x->mod->template_id));
		if (x->adv->area_id == 0) {
			none = 1;
			continue;
		}
		for (j = 0; j < i && p->rows[j].adv->area_id !=
		    x->adv->area_id; j++)
			;
		if (j == i)
			json_object_array_add(ar, advm_option(arena_printf(
			    r->a, "%lld", (long long)x->adv->area_id),
			    x->adv->area_name, p->f.area == x->adv->area_id));
	}
	if (none)
		json_object_array_add(ar, advm_option("none", "No area",
		    p->f.area < 0));
	for (i = 0; i < 3; i++) {
		json_object_array_add(op, advm_option(states[i],
		    state_labels[i], p->f.op == states[i]));
		json_object_array_add(rs, advm_option(states[i],
		    state_labels[i], p->f.res == states[i]));
	}
	vset_obj(v, "asset_type_options", at);
	vset_obj(v, "collaborator_options", co);
	vset_obj(v, "area_options", ar);
	vset_obj(v, "module_options", mo);
	vset_obj(v, "operational_options", op);
	vset_obj(v, "resource_options", rs);
}

static json_object *
appr_view(struct req *r, const struct amappr *p)
{
	json_object	*v = view_new(r), *items, *f;
	size_t		 i;
	int		 any = 0;

	event_header_into(r, v, &p->c, "advancing");
	vset_obj(v, "subnav", adv_subnav_json(r, &p->c, "manager"));
	items = json_object_new_array();
	for (i = 0; i < p->nshown; i++) {
		json_object_array_add(items, item_json(r, p, p->shown[i]));
		any |= p->shown[i]->can_op || p->shown[i]->can_res;
	}
	vset_obj(v, "items", items);
	vset_bool(v, "has_items", p->nshown > 0);
	vset_int(v, "count", (long long)p->nshown);
	vset_int(v, "total", (long long)p->nrows);
	f = json_object_new_object();
	vset_str(f, "asset_type", p->f.asset > 0 ? arena_printf(r->a, "%lld",
	    (long long)p->f.asset) : p->f.asset < 0 ? "none" : NULL);
	vset_int(f, "collaborator", p->f.collab);
	vset_str(f, "area", p->f.area > 0 ? arena_printf(r->a, "%lld",
	    (long long)p->f.area) : p->f.area < 0 ? "none" : NULL);
	vset_int(f, "module", p->f.tpl);
	vset_str(f, "operational", p->f.op);
	vset_str(f, "resource", p->f.res);
	vset_str(f, "query", filter_query(r, p));
	vset_obj(v, "filter", f);
	options_into(r, p, v);
	vset_bool(v, "can_bulk", any && !p->c.ev.archived);
	vset_bool(v, "can_resource", p->event_admin);
	vset_str(v, "manager_url", advm_url(r, p->c.ev.id));
	vset_str(v, "approvals_url", appr_url(r, p->c.ev.id));
	vset_str(v, "bulk_url", arena_printf(r->a, "%s/bulk%s", appr_url(r,
	    p->c.ev.id), filter_query(r, p)));
	return v;
}

/* GET /events/{event}/advance-manager/approvals?asset_type=&collaborator=
 * &area=&module=&operational=&resource= — 200 every line item of the
 * advances the actor may view with both approvals, filtered; 400 a bad
 * filter; 404 no manager access. */
int
h_advm_approvals(struct req *r)
{
	struct amappr	 p;
	int		 st;

	if ((st = appr_load(r, &p)) != 0)
		return st;
	return render_page(r, 200, "advmanager/approvals", arena_printf(r->a,
	    "Approvals · Advance Manager · %s", p.c.ev.name),
	    appr_view(r, &p));
}

/* --- bulk approve and decline ------------------------------------------------ */

static int
appr_invalid(struct req *r, const struct amappr *p)
{
	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	return render_invalid(r, "advmanager/approvals", arena_printf(r->a,
	    "Approvals · Advance Manager · %s", p->c.ev.name),
	    appr_view(r, p));
}

static int
appr_refused(struct req *r, const struct amappr *p, struct amprobs *pb)
{
	return advm_problems_send(r, pb, "advmanager/approvals",
	    arena_printf(r->a, "Approvals · Advance Manager · %s",
	    p->c.ev.name), r->fmt == FMT_JSON ? NULL : appr_view(r, p));
}

/* The visible item id (rows are in module order, not by id). */
static const struct amitem *
row_of(const struct amappr *p, int64_t id)
{
	size_t	 i;

	for (i = 0; i < p->nrows; i++)
		if (p->rows[i].it->id == id)
			return &p->rows[i];
	return NULL;
}

/* "Microphone 1 of Sound Co — Main show" */
static const char *
item_who(struct req *r, const struct amappr *p, const struct amitem *x)
{
	return arena_printf(r->a, "%s of %s — %s", advm_item_name(r, &p->as,
	    x->it, x->number), x->adv->collab_name, x->adv->name);
}

/* The selected items, checked: each visible, asking for this approval,
 * allowed and unchanged. Field errors for malformed tokens. */
static size_t
appr_select(struct req *r, const struct amappr *p, int resource,
    const struct amitem ***selp, int64_t **seenp, struct amprobs *pb)
{
	const struct input *in = &r->in[AMAB_ITEMS];
	const struct amitem **sel, *x;
	int64_t		*seen, id, v;
	const char	*kind = resource ? "resource" : "operational", *who;
	size_t		 i, k, n = 0;
	char		*end;

	sel = arena_calloc(r->a, in->nmulti + 1, sizeof(*sel));
	seen = arena_calloc(r->a, in->nmulti + 1, sizeof(*seen));
	*selp = sel;
	*seenp = seen;
	for (i = 0; i < in->nmulti; i++) {
		id = strtoll(in->multi[i], &end, 10);
		v = *end == ':' ? strtoll(end + 1, &end, 10) : -1;
		if (id <= 0 || v <= 0 || *end != '\0') {
			valid_error(r, "items", "invalid", "Line items must be "
			    "<item id>:<version>.");
			return 0;
		}
		if ((x = row_of(p, id)) == NULL) {
			advm_problem(r, pb, 404, "Line item %lld is not one "
			    "you can see.", (long long)id);
			continue;
		}
		for (k = 0; k < n && sel[k] != x; k++)
			;
		if (k < n)
			continue;
		who = item_who(r, p, x);
		if (!(resource ? x->it->needs_res : x->it->needs_op)) {
			advm_problem(r, pb, 422, "%s does not need %s "
			    "approval.", who, kind);
			continue;
		}
		if (!(resource ? x->can_res : x->can_op)) {
			advm_problem(r, pb, 403, "You can't give %s approval "
			    "to %s.", kind, who);
			continue;
		}
		if (v != x->it->version) {
			advm_problem(r, pb, 409, "%s changed after the page was "
			    "shown.", who);
			continue;
		}
		sel[n] = x;
		seen[n++] = v;
	}
	return n;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Write every approval: 0, 1 refused (problem added), -1 error. */
static int
appr_write(struct req *r, const struct amappr *p, const struct amitem **sel,
    const int64_t *seen, size_t n, int resource, const char *state,
    const char *reason, struct amprobs *pb)
{
	int64_t		*mods = arena_calloc(r->a, n + 1, sizeof(*mods));
	struct advmod	 m;
	json_object	*ch, *x;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++)
		mods[i] = sel[i]->mod->id;
	qsort(mods, n, sizeof(*mods), id_cmp);
	if (db_begin() != 0 || (rc = event_lock_shared(r, p->c.ev.id)) < 0)
		return -1;
	if (rc == 0) {
		advm_problem(r, pb, 409, "This event is archived: restore it "
		    "before changing anything.");
		return 1;
	}
	/* The modules in id order, as every bulk writer takes them. */
	for (i = 0; i < n; i++)
		if ((i == 0 || mods[i] != mods[i - 1]) &&
		    advmod_lock(r, p->c.ev.id, mods[i], &m) < 0)
			return -1;
	for (i = 0; i < n; i++) {
		const struct adv_item *it = sel[i]->it;
		const struct adv_approval *old = resource ? &it->res : &it->op;
		const char *name = advm_item_name(r, &p->as, it,
		    sel[i]->number);

		rc = lineitem_approve(r, p->c.ev.id, it->id, resource, state,
		    reason, seen[i], r->user->id);
		if (rc == -1)
			return -1;
		if (rc == 0 || rc == -2) {
			advm_problem(r, pb, rc == 0 ? 409 : 422, rc == 0 ?
			    "%s changed while this was saved." :
			    "%s cannot take this approval.",
			    item_who(r, p, sel[i]));
			return 1;
		}
		ch = json_object_new_object();
		x = json_object_new_object();
		vset_str(x, "old", old->state);
		vset_str(x, "new", state);
		json_object_object_add(ch, resource ? "resource_approval" :
		    "operational_approval", x);
		if (reason != NULL)
			vset_str(ch, "reason", reason);
		vset_int(ch, "advance_module_id", it->module_id);
		vset_int(ch, "version_seen", seen[i]);
		vset_str(ch, "via", "advance manager");
		rc = audit(r, p->c.ev.org_id, p->c.ev.id, strcmp(state,
		    "approved") == 0 ? "line_item.approved" :
		    "line_item.declined", "line_item", it->id,
		    arena_printf(r->a, "%s — %s — %s — %s",
		    sel[i]->adv->collab_name, sel[i]->adv->name,
		    sel[i]->mod->label, name), ch);
		json_object_put(ch);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* POST /events/{event}/advance-manager/approvals/bulk — action approve
 * or decline, kind operational or resource, items "<id>:<version>",
 * reason (needed to decline): all or nothing. 303 back to the list
 * (200 JSON with the count); 403 no right to approve here, resource
 * approval without Event-domain advancing admin, or an item not
 * allowed; 404 an item not visible; 409 archived or an item changed
 * since shown; 422 bad input, a decline without reason, or an item
 * not asking for that approval (nothing changed either way). */
int
h_advm_approvals_bulk(struct req *r)
{
	struct amappr	 p;
	struct amprobs	 pb;
	const struct amitem **sel;
	const struct input *in = r->in;
	const char	*action, *kind, *reason = NULL, *state;
	int64_t		*seen;
	size_t		 i, n;
	int		 st, resource, any = 0;

	if ((st = appr_load(r, &p)) != 0)
		return st;
	for (i = 0; i < p.nrows; i++)
		any |= p.rows[i].can_op || p.rows[i].can_res;
	if (!any && !event_level_somewhere(&p.c, SEC_ADVANCING, LV_ADMIN))
		return page_refuse(r, 403, "insufficient-permission",
		    "Approving needs advancing admin, or being the reviewer "
		    "of a module.");
	if ((st = event_writable(r, &p.c)) != 0)
		return st;
	memset(&pb, 0, sizeof(pb));
	action = in[AMAB_ACTION].present ? in[AMAB_ACTION].s : "";
	kind = in[AMAB_KIND].present ? in[AMAB_KIND].s : "operational";
	if (strcmp(action, "approve") != 0 && strcmp(action, "decline") != 0)
		valid_error(r, "action", in[AMAB_ACTION].present ? "invalid" :
		    "required", "Action must be approve or decline.");
	if (strcmp(kind, "operational") != 0 && strcmp(kind, "resource") != 0)
		valid_error(r, "kind", "invalid", "Approval must be "
		    "operational or resource.");
	if (in[AMAB_REASON].present)
		reason = in[AMAB_REASON].s;
	if (strcmp(action, "decline") == 0 && reason == NULL)
		valid_error(r, "reason", "required", "Give a reason to "
		    "decline: the collaborator sees it.");
	if (in[AMAB_ITEMS].nmulti == 0)
		valid_error(r, "items", "required", "Tick at least one line "
		    "item.");
	if (r->nerrors)
		return appr_invalid(r, &p);
	resource = strcmp(kind, "resource") == 0;
	if (resource && !p.event_admin)
		return page_refuse(r, 403, "insufficient-permission", "Resource "
		    "approval needs advancing admin for the whole event; "
		    "nothing was changed.");
	state = strcmp(action, "approve") == 0 ? "approved" : "declined";
	n = appr_select(r, &p, resource, &sel, &seen, &pb);
	if (r->nerrors)
		return appr_invalid(r, &p);
	if (pb.n)
		return appr_refused(r, &p, &pb);
	if ((st = appr_write(r, &p, sel, seen, n, resource, state, reason,
	    &pb)) < 0)
		return 503;
	if (st > 0)
		return appr_refused(r, &p, &pb);
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld kind=%s state=%s items=%zu "
	    "msg=\"bulk approval\"", (long long)p.c.ev.id, kind, state, n);
	if (r->fmt == FMT_JSON) {
		json_object *v = view_new(r);

		vset_str(v, "action", action);
		vset_str(v, "kind", kind);
		vset_str(v, "state", state);
		vset_int(v, "updated", (long long)n);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%zu line item%s %s (%s).", n,
	    n == 1 ? "" : "s", state, kind));
	return render_redirect(r, arena_printf(r->a, "%s%s", appr_url(r,
	    p.c.ev.id), filter_query(r, &p)));
}
