/* advsummary.c — read-only advance data for day sheets, area and
 * activity pages. Queries: the advances (one), module progress (four,
 * model/advprogress: modules, blocks and counts), answers (one), line
 * items (one), asset types (three: types, properties, sub-assets). */
#include <string.h>

#include "advperm.h"
#include "advsummary.h"
#include "core/arena.h"
#include "core/parse.h"
#include "core/req.h"
#include "eventctx.h"
#include "model/advance.h"
#include "model/advprogress.h"
#include "model/advtable.h"
#include "model/modblock.h"
#include "policy/advstate.h"
#include "policy/answer.h"
#include "render/view.h"

/* Everything read once for the whole summary. */
struct sumdata {
	const struct event_ctx	*ec;
	struct advprog		 p;		/* modules, blocks, states */
	struct adv_answer	*ans;
	size_t			 nans;
	struct adv_item		*items;
	size_t			 nitems;
	struct adv_assets	 as;		/* asset types' properties */
};

/* A file answer is its file ids joined by ",". */
static const char *
file_count(struct req *r, const char *ids)
{
	size_t	 n = 1;

	for (; *ids != '\0'; ids++)
		n += *ids == ',';
	return n == 1 ? "1 file" : arena_printf(r->a, "%zu files", n);
}

static const char *
state_label(const char *st)
{
	if (st != NULL && strcmp(st, "approved") == 0)
		return "Approved";
	if (st != NULL && strcmp(st, "declined") == 0)
		return "Declined";
	return "Pending";
}

/* "Label: value" for one property value of an item. */
static const char *
prop_text(struct req *r, const struct adv_prop *p, json_object *val,
    const char *zone)
{
	struct rt_spec	 sp;
	const char	*raw;

	if (val == NULL || json_object_is_type(val, json_type_null))
		return NULL;
	raw = json_object_get_string(val);
	if (raw == NULL || *raw == '\0')
		return NULL;
	memset(&sp, 0, sizeof(sp));
	if (rtype_parse(p->rtype, &sp.type) != 0)
		sp.type = RT_TEXT;
	sp.opts = rt_options_parse(r->a, p->options, &sp.nopts);
	sp.zone = zone;
	return arena_printf(r->a, "%s: %s", p->label,
	    answer_display(r->a, &sp, raw));
}

/* An item as one line: its own properties, then each sub-asset row. */
static const char *
item_text(struct req *r, const struct sumdata *s, const struct mblock *b,
    const struct adv_item *it)
{
	json_object	*j = NULL, *props, *subs, *rows, *row, *val;
	const char	*out = NULL, *t;
	size_t		 i, k, nrows;

	if (b->asset_type_id == 0 || it->props == NULL ||
	    parse_json(it->props, strlen(it->props), &j) != 0 || j == NULL)
		return it->quantity > 1 ? arena_printf(r->a, "%s × %lld",
		    it->description ? it->description : "",
		    (long long)it->quantity) : it->description;
	if (!json_object_object_get_ex(j, "props", &props))
		props = NULL;
	if (!json_object_object_get_ex(j, "subs", &subs))
		subs = NULL;
	for (i = 0; i < s->as.nprops; i++) {
		const struct adv_prop *p = &s->as.props[i];

		if (p->asset_type_id != b->asset_type_id || p->sub_id != 0)
			continue;
		t = prop_text(r, p, props != NULL ?
		    json_object_object_get(props, p->key) : NULL,
		    s->ec->ev.timezone);
		if (t != NULL)
			out = out ? arena_printf(r->a, "%s · %s", out, t) : t;
	}
	/* Then each sub-asset's rows, "Label (Prop: value, …)". */
	for (i = 0; i < s->as.nsubs; i++) {
		const struct adv_sub *sb = &s->as.subs[i];

		if (sb->asset_type_id != b->asset_type_id || subs == NULL ||
		    !json_object_object_get_ex(subs, sb->key, &rows) ||
		    !json_object_is_type(rows, json_type_array))
			continue;
		nrows = json_object_array_length(rows);
		for (k = 0; k < nrows; k++) {
			const char	*line = NULL;
			size_t		 q;

			row = json_object_array_get_idx(rows, k);
			for (q = 0; q < s->as.nprops; q++) {
				const struct adv_prop *p = &s->as.props[q];

				if (p->asset_type_id != sb->asset_type_id ||
				    p->sub_id != sb->id)
					continue;
				val = json_object_object_get(row, p->key);
				t = prop_text(r, p, val, s->ec->ev.timezone);
				if (t != NULL)
					line = line ? arena_printf(r->a,
					    "%s, %s", line, t) : t;
			}
			if (line != NULL)
				out = arena_printf(r->a, "%s%s%s (%s)",
				    out ? out : "", out ? " · " : "",
				    sb->label, line);
		}
	}
	json_object_put(j);
	return out != NULL ? out : "";
}

static json_object *
request_json(struct req *r, const struct sumdata *s, const struct advmod *m,
    const struct mblock *b, size_t *count)
{
	json_object	*o = json_object_new_object(), *arr, *x;
	size_t		 i;

	arr = json_object_new_array();
	*count = 0;
	for (i = 0; i < s->nitems; i++) {
		const struct adv_item *it = &s->items[i];

		if (it->module_id != m->id || it->block_id != b->id)
			continue;
		(*count)++;
		x = json_object_new_object();
		vset_int(x, "id", it->id);
		vset_str(x, "text", item_text(r, s, b, it));
		if (b->needs_op) {
			vset_str(x, "operational", it->op.state);
			vset_str(x, "operational_label",
			    state_label(it->op.state));
			vset_str(x, "operational_reason", it->op.reason);
		}
		if (b->needs_res) {
			vset_str(x, "resource", it->res.state);
			vset_str(x, "resource_label",
			    state_label(it->res.state));
			vset_str(x, "resource_reason", it->res.reason);
		}
		json_object_array_add(arr, x);
	}
	vset_str(o, "name", b->label);
	vset_obj(o, "items", arr);
	vset_bool(o, "has_items", *count > 0);
	return o;
}

static json_object *
module_json(struct req *r, const struct sumdata *s,
    const struct advprog_mod *pm)
{
	const struct advmod	*m = pm->m;
	const struct mblock	*tb;
	json_object		*o = json_object_new_object(), *qs, *rqs, *x;
	size_t			 i, ntb, nitems;
	struct rt_spec		 sp;
	const struct adv_answer	*an;

	qs = json_object_new_array();
	rqs = json_object_new_array();
	tb = advprog_blocks(&s->p, m->template_id, &ntb);
	for (i = 0; i < ntb; i++) {
		const struct mblock *b = &tb[i];

		if (b->retired || b->kind == BK_CONTENT)
			continue;
		if (b->kind == BK_QUESTION) {
			an = advtable_answer(s->ans, s->nans, m->id, b->id);
			modblock_spec(b, s->ec->ev.timezone, &sp);
			x = json_object_new_object();
			vset_str(x, "label", b->label);
			if (an != NULL && b->rtype == RT_FILE)
				vset_str(x, "answer", file_count(r, an->value));
			else
				vset_str(x, "answer", an ? answer_display(r->a,
				    &sp, an->value) : NULL);
			vset_bool(x, "missing", an == NULL && b->required);
			if (an != NULL || b->required)
				json_object_array_add(qs, x);
			else
				json_object_put(x);
		} else {
			x = request_json(r, s, m, b, &nitems);
			if (nitems > 0)
				json_object_array_add(rqs, x);
			else
				json_object_put(x);
		}
	}
	vset_str(o, "label", m->label);
	vset_str(o, "due_date", m->due_date);
	vset_str(o, "completion", adv_completion_name(pm->completion));
	vset_str(o, "completion_label", adv_completion_label(pm->completion));
	vset_bool(o, "overdue", pm->overdue);
	vset_bool(o, "submitted", m->submitted);
	vset_obj(o, "questions", qs);
	vset_obj(o, "requests", rqs);
	return o;
}

json_object *
advsummary_json(struct req *r, const struct event_ctx *ec,
    enum advsum_scope scope, int64_t id)
{
	struct adv_scope	 sc;
	struct sumdata		 s;
	struct advance		*advs;
	const struct advprog_adv *pa;
	size_t			 nadv, i, j, shown = 0;
	json_object		*arr = json_object_new_array(), *o, *mods;

	memset(&sc, 0, sizeof(sc));
	memset(&s, 0, sizeof(s));
	s.ec = ec;
	if (scope == ADVSUM_AREA) {
		sc.area_id = id;
		advs = advance_list_scoped(r, ec->ev.id, id, 0, &nadv);
	} else if (scope == ADVSUM_ACTIVITY) {
		sc.activity_id = id;
		advs = advance_list_scoped(r, ec->ev.id, 0, id, &nadv);
	} else {
		sc.collab_id = id;
		advs = advance_list(r, ec->ev.id, id, &nadv);
	}
	if (nadv == (size_t)-1)
		goto fail;
	for (i = 0; i < nadv; i++)
		if (adv_level(ec, &advs[i]) >= LV_VIEW)
			shown++;
	if (shown == 0)
		return arr;
	if (advprog_load(r, ec->ev.id, ec->ev.timezone, sc.collab_id, 0,
	    &s.p) != 0)
		goto fail;
	s.ans = advtable_answers(r, ec->ev.id, &sc, &s.nans);
	s.items = advtable_items(r, ec->ev.id, &sc, &s.nitems);
	if (s.nans == (size_t)-1 || s.nitems == (size_t)-1 ||
	    advtable_assets(r, ec->ev.id, &s.as) != 0)
		goto fail;
	for (i = 0; i < nadv; i++) {
		if (adv_level(ec, &advs[i]) < LV_VIEW)
			continue;
		o = advance_json(&advs[i]);
		vset_str(o, "url", arena_printf(r->a,
		    "/events/%lld/advances/%lld", (long long)ec->ev.id,
		    (long long)advs[i].id));
		mods = json_object_new_array();
		pa = advprog_find(&s.p, advs[i].id);
		for (j = pa->first; j < pa->first + pa->nmods; j++)
			json_object_array_add(mods,
			    module_json(r, &s, &s.p.pm[j]));
		vset_obj(o, "modules", mods);
		json_object_array_add(arr, o);
	}
	return arr;
fail:
	json_object_put(arr);
	return NULL;
}

int
advance_into(struct req *r, const struct event_ctx *ec, json_object *v,
    enum advsum_scope scope, int64_t id)
{
	json_object	*adv = advsummary_json(r, ec, scope, id);

	if (adv == NULL)
		return -1;
	vset_bool(v, "has_advance", json_object_array_length(adv) > 0);
	vset_obj(v, "advance", adv);
	return 0;
}
