/* assettypes.c — asset types (PRODUCT §13.1): the list, creation, the
 * edit page with properties and sub-assets, removal.
 *
 * A property's response type cannot change once line items hold values
 * for it (409); removing a property or a sub-asset that line items hold
 * values for retires it instead (hidden from respondents, kept for
 * staff); an option in use is retired rather than removed; a type that
 * request blocks name cannot be deleted (409 in-use naming them).
 *
 * Properties and sub-assets carry the type's version: every change to
 * them raises it, so forms and If-Match name the type's version. Each
 * write locks the type row first, so keys and positions are decided by
 * one writer at a time. */
#include <string.h>

#include "etag.h"
#include "deny.h"
#include "advconfig.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "model/assettype.h"
#include "model/audit.h"
#include "policy/answer.h"
#include "render/view.h"

#define KEY_GEN_MAX	40	/* generated keys, before a suffix */

/* --- small helpers ------------------------------------------------------- */

static const char *
type_url(struct req *r, const struct event_ctx *c, int64_t id,
    const char *suffix)
{
	return arena_printf(r->a, "/events/%lld/asset-types/%lld%s",
	    (long long)c->ev.id, (long long)id, suffix);
}

/* The properties of one group: the type's own (sub 0) or a sub's. */
static size_t
group_count(const struct atype *t, int64_t sub)
{
	size_t	 i, n = 0;

	for (i = 0; i < t->nprops; i++)
		if (t->props[i].sub_id == sub)
			n++;
	return n;
}

static struct aprop *
find_prop(const struct atype *t, int64_t id)
{
	size_t	 i;

	for (i = 0; i < t->nprops; i++)
		if (t->props[i].id == id)
			return &t->props[i];
	return NULL;
}

static struct asub *
find_sub(const struct atype *t, int64_t id)
{
	size_t	 i;

	for (i = 0; i < t->nsubs; i++)
		if (t->subs[i].id == id)
			return &t->subs[i];
	return NULL;
}

static int
prop_key_taken(const struct atype *t, int64_t sub, const char *key)
{
	size_t	 i;

	for (i = 0; i < t->nprops; i++)
		if (t->props[i].sub_id == sub &&
		    strcmp(t->props[i].key, key) == 0)
			return 1;
	return 0;
}

static int
sub_key_taken(const struct atype *t, const char *key)
{
	size_t	 i;

	for (i = 0; i < t->nsubs; i++)
		if (strcmp(t->subs[i].key, key) == 0)
			return 1;
	return 0;
}

/* A key made from a label: lower-case letters, digits and "_", a
 * letter first (prefix otherwise); suffixed _2, _3 … while taken. */
static const char *
key_from(struct req *r, const char *label, const char *prefix,
    const struct atype *t, int64_t sub, int is_sub)
{
	char		 base[KEY_GEN_MAX + 1];
	const char	*p, *k;
	size_t		 n = 0;
	int		 i;

	for (p = label; *p != '\0' && n < KEY_GEN_MAX; p++) {
		char	 ch = *p;

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			base[n++] = ch;
		else if (n > 0 && base[n - 1] != '_')
			base[n++] = '_';
	}
	while (n > 0 && base[n - 1] == '_')
		n--;
	base[n] = '\0';
	k = n > 0 && base[0] >= 'a' && base[0] <= 'z' ? arena_strdup(r->a,
	    base) : arena_printf(r->a, "%s%s%s", prefix, n ? "_" : "", base);
	for (i = 2; is_sub ? sub_key_taken(t, k) : prop_key_taken(t, sub, k);
	    i++)
		k = arena_printf(r->a, "%s_%d", n > 0 && base[0] >= 'a' &&
		    base[0] <= 'z' ? base : prefix, i);
	return k;
}

/* --- view models --------------------------------------------------------- */

/* The fields of a type's form: stored values, or what was sent. */
static json_object *
type_form(struct req *r, const struct atype *t, int typed)
{
	json_object	*f = json_object_new_object();
	const char	*icon;

	if (typed) {
		vset_str(f, "name", r->in[ATYPE_NAME].s);
		vset_str(f, "label", r->in[ATYPE_LABEL].s);
		vset_str(f, "category", r->in[ATYPE_CATEGORY].s);
		vset_str(f, "item_label", r->in[ATYPE_ITEM_LABEL].s);
		icon = r->in[ATYPE_ICON].s;
	} else {
		vset_str(f, "name", t ? t->name : NULL);
		vset_str(f, "label", t ? t->label : NULL);
		vset_str(f, "category", t ? t->category : NULL);
		vset_str(f, "item_label", t ? t->item_label : "Item");
		icon = t ? t->icon : NULL;
	}
	vset_obj(f, "icons", advcfg_icons_json(icon));
	return f;
}

/* Which form of the edit page failed, to open it with what was sent
 * and hide the other forms' errors. */
enum failed { F_NONE, F_TYPE, F_NEW_PROP, F_PROP, F_NEW_SUB, F_SUB };

struct pagefail {
	enum failed	 what;
	int64_t		 id;		/* prop or sub; new prop: its sub */
	json_object	*conflict;	/* 409 rows */
};

static json_object *
type_choices(const char *selected)
{
	enum rtype	 t = RT_TEXT;
	json_object	*a, *out = json_object_new_array();
	size_t		 i;

	if (selected != NULL)
		(void)rtype_parse(selected, &t);
	a = rtype_choices(t);
	/* Line items hold no files (answer_files belong to questions). */
	for (i = 0; i < json_object_array_length(a); i++) {
		json_object	*o = json_object_array_get_idx(a, i);

		if (strcmp(json_object_get_string(json_object_object_get(o,
		    "value")), "file") != 0)
			json_object_array_add(out, json_object_get(o));
	}
	json_object_put(a);
	return out;
}

/* The form of a property (p NULL: the new-property form). */
static json_object *
prop_form(struct req *r, const struct aprop *p, int typed)
{
	json_object	*f = json_object_new_object();

	if (typed) {
		vset_str(f, "key", r->in[APROP_KEY].s);
		vset_str(f, "label", r->in[APROP_LABEL].s);
		vset_str(f, "options_text", r->in[APROP_OPTIONS].s);
		vset_bool(f, "required", r->in[APROP_REQUIRED].i);
		vset_bool(f, "retired", r->in[APROP_RETIRED].i);
		vset_obj(f, "types", type_choices(r->in[APROP_TYPE].s));
	} else {
		vset_str(f, "key", p ? p->key : NULL);
		vset_str(f, "label", p ? p->label : NULL);
		vset_str(f, "options_text", p ? advcfg_options_lines(r, p->opts,
		    p->nopts) : NULL);
		vset_bool(f, "required", p ? p->required : 0);
		vset_bool(f, "retired", p ? p->retired : 0);
		vset_obj(f, "types", type_choices(p ? rtype_name(p->rtype) :
		    NULL));
	}
	if (p != NULL)
		vset_obj(f, "retired_options", advcfg_options_retired(p->opts,
		    p->nopts));
	vset_bool(f, "existing", p != NULL);
	return f;
}

static int64_t
active_options(const struct aprop *p)
{
	size_t	 i;
	int64_t	 n = 0;

	for (i = 0; i < p->nopts; i++)
		n += !p->opts[i].retired;
	return n;
}

/* The properties of one group with their forms and controls. */
static json_object *
props_json(struct req *r, const struct event_ctx *c, const struct atype *t,
    int64_t sub, const struct pagefail *pf)
{
	json_object	*a = json_object_new_array();
	size_t		 i, k = 0, n = group_count(t, sub);

	for (i = 0; i < t->nprops; i++) {
		const struct aprop *p = &t->props[i];
		json_object	*o;
		const char	*u;
		int		 mine;

		if (p->sub_id != sub)
			continue;
		mine = pf->what == F_PROP && pf->id == p->id;
		o = aprop_json(p);
		u = type_url(r, c, t->id, arena_printf(r->a, "/properties/%lld",
		    (long long)p->id));
		advcfg_row_json(r, o, u, k, n, p->label);
		vset_bool(o, "has_options", rtype_has_options(p->rtype));
		vset_str(o, "id_prefix", arena_printf(r->a, "prop%lld",
		    (long long)p->id));
		vset_str(o, "options_summary", advcfg_plural(r,
		    active_options(p), "option", "options"));
		vset_obj(o, "form", prop_form(r, p, mine));
		advcfg_form_state(o, mine, pf->what != F_NONE, pf->conflict);
		json_object_array_add(a, o);
		k++;
	}
	return a;
}

/* The new-property form of a group. */
static json_object *
new_prop_json(struct req *r, const struct event_ctx *c,
    const struct atype *t, int64_t sub, const struct pagefail *pf)
{
	json_object	*o;
	int		 mine = pf->what == F_NEW_PROP && pf->id == sub;

	o = prop_form(r, NULL, mine);
	vset_str(o, "action_url", type_url(r, c, t->id, "/properties"));
	vset_int(o, "sub_asset_id", sub);
	vset_str(o, "sub_label", sub ? find_sub(t, sub)->label : NULL);
	vset_str(o, "id_prefix", arena_printf(r->a, "newprop%lld",
	    (long long)sub));
	advcfg_form_state(o, mine, pf->what != F_NONE, NULL);
	return o;
}

/* The edit page of a type (parts read). */
static json_object *
type_view(struct req *r, const struct event_ctx *c, const struct atype *t,
    const struct pagefail *pf)
{
	json_object	*v = advcfg_view(r, c, "asset-types");
	json_object	*subs, *ed, *f;
	size_t		 j;

	vset_obj(v, "asset_type", atype_json(r, t, 1));
	vset_str(v, "icon_glyph", advcfg_icon_glyph(t->icon));
	vset_str(v, "list_url", advcfg_url(r, c, "/asset-types"));
	vset_str(v, "action_url", type_url(r, c, t->id, ""));
	vset_str(v, "delete_url", type_url(r, c, t->id, "/delete"));
	vset_int(v, "version", t->version);
	ed = json_object_new_object();
	f = type_form(r, t, pf->what == F_TYPE);
	advcfg_form_state(f, pf->what == F_TYPE, pf->what != F_NONE,
	    pf->conflict);
	vset_obj(ed, "type_form", f);
	vset_obj(ed, "properties", props_json(r, c, t, 0, pf));
	vset_bool(ed, "has_properties", group_count(t, 0) > 0);
	vset_obj(ed, "new_property", new_prop_json(r, c, t, 0, pf));
	subs = json_object_new_array();
	for (j = 0; j < t->nsubs; j++) {
		const struct asub *s = &t->subs[j];
		json_object	*o = json_object_new_object(), *sf;
		const char	*u = type_url(r, c, t->id, arena_printf(r->a,
		    "/sub-assets/%lld", (long long)s->id));
		int		 mine = pf->what == F_SUB && pf->id == s->id;

		vset_int(o, "id", s->id);
		vset_str(o, "key", s->key);
		vset_str(o, "label", s->label);
		vset_bool(o, "retired", s->retired);
		advcfg_row_json(r, o, u, j, t->nsubs, s->label);
		sf = json_object_new_object();
		vset_str(sf, "label", mine ? r->in[ASUB_LABEL].s : s->label);
		vset_bool(sf, "retired", mine ? r->in[ASUB_RETIRED].i :
		    s->retired);
		advcfg_form_state(sf, mine, pf->what != F_NONE, pf->conflict);
		vset_obj(o, "sub_form", sf);
		vset_obj(o, "properties", props_json(r, c, t, s->id, pf));
		vset_bool(o, "has_properties", group_count(t, s->id) > 0);
		vset_obj(o, "new_property", new_prop_json(r, c, t, s->id, pf));
		json_object_array_add(subs, o);
	}
	vset_obj(ed, "sub_assets", subs);
	vset_bool(ed, "has_sub_assets", t->nsubs > 0);
	f = json_object_new_object();
	vset_str(f, "action_url", type_url(r, c, t->id, "/sub-assets"));
	if (pf->what == F_NEW_SUB) {
		vset_str(f, "key", r->in[ASUB_KEY].s);
		vset_str(f, "label", r->in[ASUB_LABEL].s);
	}
	advcfg_form_state(f, pf->what == F_NEW_SUB, pf->what != F_NONE, NULL);
	vset_obj(ed, "new_sub", f);
	vset_obj(v, "editor", ed);
	return v;
}

/* The edit page again (after a failed write: status 409 or 422). */
static int
type_page(struct req *r, int status, const struct event_ctx *c,
    int64_t id, struct pagefail *pf, const char *refusal)
{
	struct atype	 t;
	json_object	*v;
	int		 st;

	/* The request's, whatever happens: the view takes its own
	 * reference. */
	if (pf->conflict != NULL)
		(void)req_own_json(r, pf->conflict);
	if (db_in_txn())
		db_rollback();
	if ((st = atype_get(r, c->ev.id, id, &t)) < 0 ||
	    (st == 1 && atype_parts(r, c->ev.id, &t) != 0))
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	v = type_view(r, c, &t, pf);
	vset_str(v, "refusal", refusal);
	return advcfg_page(r, status, "advconfig/asset_type", t.label, v);
}

static int
fail_page(struct req *r, int status, const struct event_ctx *c, int64_t id,
    enum failed what, int64_t which, json_object *conflict)
{
	struct pagefail	 pf;

	pf.what = what;
	pf.id = which;
	pf.conflict = conflict;
	return type_page(r, status, c, id, &pf, NULL);
}

/* After a write: JSON the type with its parts and ETag (extra: a key of
 * the result), HTML a flash and 303 to the page (anchor). */
static int
written(struct req *r, const struct event_ctx *c, int64_t id, int status,
    const char *anchor, const char *result, const char *msg)
{
	struct atype	 t;

	if (r->fmt == FMT_JSON) {
		if (atype_get(r, c->ev.id, id, &t) != 1 ||
		    atype_parts(r, c->ev.id, &t) != 0)
			return 503;
		/* Location only for the type: a new part has no URL of
		 * its own to GET. */
		return advcfg_json_written(r, status, "asset_type",
		    atype_json(r, &t, 1), t.id, t.version, anchor == NULL ?
		    type_url(r, c, id, "") : NULL, result);
	}
	return advcfg_redirect(r, msg, type_url(r, c, id, ""), anchor);
}

/* --- list, new, show ----------------------------------------------------- */

/* GET /events/{event}/asset-types — 200 every asset type by label with
 * its counts ({"items": […]}); one query whatever their number; 404
 * not staff. */
int
h_atypes(struct req *r)
{
	struct event_ctx c;
	struct atype	*ts;
	json_object	*v, *items;
	size_t		 n, i;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if ((ts = atype_list(r, c.ev.id, &n)) == NULL && n != 0)
		return 503;
	v = advcfg_view(r, &c, "asset-types");
	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object	*o = atype_json(r, &ts[i], 0);

		vset_str(o, "url", type_url(r, &c, ts[i].id, ""));
		vset_str(o, "icon_glyph", advcfg_icon_glyph(ts[i].icon));
		vset_str(o, "counts_text", arena_printf(r->a, "%s · %s",
		    advcfg_plural(r, ts[i].nprops_count, "property",
		    "properties"),
		    advcfg_plural(r, ts[i].nsubs_count, "sub-asset",
		    "sub-assets")));
		vset_str(o, "used_text", ts[i].nblocks > 0 ? advcfg_plural(r,
		    ts[i].nblocks, "request block", "request blocks") : NULL);
		json_object_array_add(items, o);
	}
	advcfg_list_into(v, items, n);
	vset_str(v, "new_url", advcfg_url(r, &c, "/asset-types/new"));
	return render_page(r, 200, "advconfig/asset_types", "Asset types", v);
}

static int
new_page(struct req *r, int status, const struct event_ctx *c, int typed)
{
	static const struct advcfg_new n = { "asset-types", "/asset-types",
	    "Asset types", "asset type", "Properties and sub-assets come "
	    "next, on the asset type's page." };

	return advcfg_new_page(r, status, "advconfig/asset_type_new", &n,
	    advcfg_new_view(r, c, &n, type_form(r, NULL, typed)));
}

/* GET /events/{event}/asset-types/new — 200 the form; 403 without
 * Event-domain advancing admin; 404; 409 archived. */
int
h_atype_new(struct req *r)
{
	return advcfg_new_form(r, new_page);
}

/* GET /events/{event}/asset-types/{id} — 200 the type with its
 * properties and sub-assets ({"asset_type"}, strong ETag; the edit
 * forms for admins); 404. */
int
h_atype(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct pagefail	 pf;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? atype_get(r, c.ev.id, id,
	    &t) : 0)) != 0)
		return st;
	if (atype_parts(r, c.ev.id, &t) != 0)
		return 503;
	if (page_etag(r, t.id, t.version))
		return 304;
	memset(&pf, 0, sizeof(pf));
	return render_page(r, 200, "advconfig/asset_type", t.label,
	    type_view(r, &c, &t, &pf));
}

/* --- the type itself ----------------------------------------------------- */

/* The fields as sent (absent in JSON: cur's). Errors added. */
static void
read_type(struct req *r, const struct atype *cur, struct atype_fields *f)
{
	f->name = cur ? cur->name : NULL;
	f->label = cur ? cur->label : NULL;
	f->icon = cur ? cur->icon : "";
	f->category = cur ? cur->category : "";
	f->item_label = cur ? cur->item_label : "Item";
	advcfg_read_required(r, ATYPE_NAME, "name", "Internal name is "
	    "required.", cur == NULL, &f->name);
	advcfg_read_required(r, ATYPE_LABEL, "label", "Label is required.",
	    cur == NULL, &f->label);
	advcfg_read_icon(r, ATYPE_ICON, &f->icon);
	if (advcfg_sent(r, ATYPE_CATEGORY))
		f->category = r->in[ATYPE_CATEGORY].s ?
		    r->in[ATYPE_CATEGORY].s : "";
	if (advcfg_sent(r, ATYPE_ITEM_LABEL))
		f->item_label = r->in[ATYPE_ITEM_LABEL].present ?
		    r->in[ATYPE_ITEM_LABEL].s : "Item";
}

static json_object *
type_changes(json_object *ch, const struct atype *old,
    const struct atype_fields *f)
{
	ch = advcfg_change(ch, "name", old ? old->name : NULL, f->name);
	ch = advcfg_change(ch, "label", old ? old->label : NULL, f->label);
	ch = advcfg_change(ch, "icon", old ? old->icon : NULL, f->icon);
	ch = advcfg_change(ch, "category", old ? old->category : NULL,
	    f->category);
	ch = advcfg_change(ch, "item_label", old ? old->item_label : NULL,
	    f->item_label);
	return ch;
}

/* POST /events/{event}/asset-types — 303 to the new type's page (201
 * JSON with it). 403; 404; 409 archived or the name taken meanwhile;
 * 422 name (unique in the event) or label missing, unknown icon. */
int
h_atype_create(struct req *r)
{
	struct event_ctx c;
	struct atype_fields f;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	read_type(r, NULL, &f);
	if (r->nerrors)
		return new_page(r, 422, &c, 1);
	if ((st = advcfg_begin(r, &c)) != 0)
		return st;
	if ((st = atype_name_taken(r, c.ev.id, f.name, 0)) < 0)
		return 503;
	if (st) {
		advcfg_name_taken(r, "an asset type", f.name);
		return new_page(r, 422, &c, 1);
	}
	if ((id = atype_insert(r, c.ev.id, &f)) < 0)
		return 503;
	if (id == 0) {
		advcfg_name_taken(r, "an asset type", f.name);
		return new_page(r, 409, &c, 1);
	}
	ch = type_changes(NULL, NULL, &f);
	if (advcfg_commit(r, &c, "asset_type.created", "asset_type", id,
	    f.label, ch) != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld asset_type=%lld msg=\"asset type "
	    "created\"", (long long)c.ev.id, (long long)id);
	return written(r, &c, id, 201, NULL, "created", arena_printf(r->a,
	    "%s was created. Add its properties next.", f.label));
}

/* Lock {id} and read its parts: 0, or the status sent (404, 412). */
static int
type_locked(struct req *r, const struct event_ctx *c, struct atype *t)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st;

	if ((st = advcfg_begin_id(r, c, id)) != 0)
		return st;
	if ((st = advcfg_found(r, atype_lock(r, c->ev.id, id, t))) != 0)
		return st;
	if (atype_parts(r, c->ev.id, t) != 0)
		return 503;
	if (page_if_match_stale(r, t->id, t->version))
		return 412;
	return 0;
}

/* A stale version (the type's) on a form: JSON 409, HTML the page with
 * the failed form open and rows showing both values. */
static int
stale(struct req *r, const struct event_ctx *c, const struct atype *t,
    enum failed what, int64_t which, json_object *rows)
{
	int	 st;

	if ((st = advcfg_stale(r, t->label, t->version, &rows)) != 0)
		return st;
	return fail_page(r, 409, c, t->id, what, which, rows);
}

/* POST /events/{event}/asset-types/{id} — 303 (200 JSON with the new
 * ETag): name, label, icon, category, line-item label. 403; 404; 409
 * archived, stale version (both values shown) or name taken meanwhile;
 * 412 stale If-Match; 422. */
int
h_atype_update(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct atype_fields f;
	json_object	*ch, *rows;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = type_locked(r, &c, &t)) != 0)
		return st;
	read_type(r, &t, &f);
	if (advcfg_version_stale(r, ATYPE_VERSION, t.version)) {
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Internal name", f.name, t.name);
		advcfg_conflict_row(rows, "Label", f.label, t.label);
		advcfg_conflict_row(rows, "Icon", f.icon, t.icon);
		advcfg_conflict_row(rows, "Category", f.category, t.category);
		advcfg_conflict_row(rows, "Line-item label", f.item_label,
		    t.item_label);
		return stale(r, &c, &t, F_TYPE, 0, rows);
	}
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_TYPE, 0, NULL);
	if ((ch = type_changes(NULL, &t, &f)) == NULL) {
		db_rollback();
		return written(r, &c, t.id, 200, NULL, "unchanged",
		    "Nothing was changed.");
	}
	if ((st = atype_name_taken(r, c.ev.id, f.name, t.id)) < 0) {
		json_object_put(ch);
		return 503;
	}
	if (st) {
		json_object_put(ch);
		advcfg_name_taken(r, "an asset type", f.name);
		return fail_page(r, 422, &c, t.id, F_TYPE, 0, NULL);
	}
	if ((st = atype_update(r, c.ev.id, t.id, t.version, &f)) != 1) {
		json_object_put(ch);
		if (st < 0)
			return 503;
		advcfg_name_taken(r, "an asset type", f.name);
		return fail_page(r, 409, &c, t.id, F_TYPE, 0, NULL);
	}
	if (advcfg_commit(r, &c, "asset_type.updated", "asset_type", t.id,
	    f.label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, NULL, "updated", arena_printf(r->a,
	    "%s was saved.", f.label));
}

/* The confirmation page: the request blocks that stand in the way. */
static json_object *
delete_view(struct req *r, const struct event_ctx *c, const struct atype *t,
    json_object *users)
{
	json_object	*v = advcfg_view(r, c, "asset-types");
	size_t		 i, n = json_object_array_length(users);

	vset_obj(v, "asset_type", atype_json(r, t, 0));
	for (i = 0; i < n; i++) {
		json_object	*u = json_object_array_get_idx(users, i);

		vset_str(u, "url", arena_printf(r->a,
		    "/events/%lld/module-templates/%lld#block-%lld",
		    (long long)c->ev.id, (long long)json_object_get_int64(
		    json_object_object_get(u, "module_template_id")),
		    (long long)json_object_get_int64(json_object_object_get(u,
		    "block_id"))));
	}
	vset_obj(v, "blockers", users);
	vset_bool(v, "blocked", n > 0);
	vset_bool(v, "can_confirm", n == 0 && advcfg_can_edit(c));
	vset_str(v, "action_url", type_url(r, c, t->id, "/delete"));
	vset_str(v, "cancel_url", type_url(r, c, t->id, ""));
	return v;
}

/* "Audio rider (Backline)" of every blocker. */
static const char *
users_text(struct req *r, json_object *users)
{
	const char	*s = "";
	size_t		 i, n = json_object_array_length(users);

	for (i = 0; i < n && i < 10; i++) {
		json_object	*u = json_object_array_get_idx(users, i);

		s = arena_printf(r->a, "%s%s%s (request “%s”)", s, i ? ", " :
		    "", json_object_get_string(json_object_object_get(u,
		    "module_template_name")), json_object_get_string(
		    json_object_object_get(u, "block_name")));
	}
	if (n > 10)
		s = arena_printf(r->a, "%s and %zu more", s, n - 10);
	return s;
}

/* GET /events/{event}/asset-types/{id}/delete — 200 the confirmation,
 * listing the request blocks that use the type. 403; 404. */
int
h_atype_delete_form(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	json_object	*users;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_ADMIN)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? atype_get(r, c.ev.id, id,
	    &t) : 0)) != 0)
		return st;
	if ((users = atype_users(r, c.ev.id, id)) == NULL)
		return 503;
	return advcfg_delete_page(r, 200, "advconfig/asset_type_delete",
	    t.label,
	    delete_view(r, &c, &t, users));
}

/* POST /events/{event}/asset-types/{id}/delete — 303 to the list (204
 * JSON): the type with its properties and sub-assets. 403; 404; 409
 * archived, stale version or in-use (the request blocks named); 412;
 * 422 no version. */
int
h_atype_delete(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	json_object	*users, *ch;
	const char	*why;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_need_version(r, CFGDEL_VERSION) != 0)
		return fail_page(r, 422, &c, req_pathvar_id(r, 1), F_NONE, 0,
		    NULL);
	if ((st = type_locked(r, &c, &t)) != 0)
		return st;
	if (advcfg_version_stale(r, CFGDEL_VERSION, t.version))
		return advcfg_delete_stale(r, t.label, t.version);
	if ((users = atype_users(r, c.ev.id, t.id)) == NULL)
		return 503;
	if (json_object_array_length(users) > 0) {
		json_object	*v;

		why = arena_printf(r->a, "%s is used by request blocks: %s. "
		    "Remove the asset type from them first; nothing was "
		    "deleted.", t.label, users_text(r, users));
		if ((st = advcfg_in_use(r, why)) != 0) {
			json_object_put(users);
			return st;
		}
		v = delete_view(r, &c, &t, users);
		vset_str(v, "refusal", why);
		return advcfg_delete_page(r, 409, "advconfig/asset_type_delete",
		    t.label, v);
	}
	json_object_put(users);
	if ((st = atype_delete(r, c.ev.id, t.id)) < 0)
		return 503;
	ch = advcfg_change(NULL, "name", t.name, NULL);
	ch = advcfg_change(ch, "label", t.label, NULL);
	ch = advcfg_change_int(ch, "properties", (int64_t)t.nprops, 0);
	ch = advcfg_change_int(ch, "sub_assets", (int64_t)t.nsubs, 0);
	if (advcfg_commit(r, &c, "asset_type.deleted", "asset_type", t.id,
	    t.label, ch) != 0)
		return 503;
	return advcfg_deleted(r, &c, "/asset-types", arena_printf(r->a,
	    "%s was deleted.", t.label));
}

/* --- properties ---------------------------------------------------------- */

/* The property path in line items (sub's key when it has one). */
static const char *
prop_path(struct req *r, const struct atype *t, const struct aprop *p)
{
	const struct asub *s = p->sub_id ? find_sub(t, p->sub_id) : NULL;

	return atype_path(r, s ? s->key : NULL, p->key);
}

struct propin {
	const char	*key;
	const char	*label;
	enum rtype	 rtype;
	struct optedit	 oe;
	const char	*options;	/* JSON text, select types */
	int		 required;
	int		 retired;
};

/* The fields as sent against cur (NULL: a new property). */
static void
read_prop(struct req *r, const struct aprop *cur, struct propin *in)
{
	memset(in, 0, sizeof(*in));
	in->key = cur ? cur->key : NULL;
	in->label = cur ? cur->label : NULL;
	in->rtype = cur ? cur->rtype : RT_TEXT;
	in->required = cur ? cur->required : 0;
	in->retired = cur ? cur->retired : 0;
	if (cur == NULL || advcfg_sent(r, APROP_LABEL)) {
		if (r->in[APROP_LABEL].present)
			in->label = r->in[APROP_LABEL].s;
		else if (!advcfg_has_error(r, "label"))
			valid_error(r, "label", "required", "Label is "
			    "required.");
	}
	if (r->in[APROP_KEY].present) {
		if (cur != NULL && strcmp(cur->key, r->in[APROP_KEY].s) != 0)
			valid_error(r, "key", "fixed", "A property's key can't "
			    "change: line items store values under it.");
		else if (!atype_key_valid(r->in[APROP_KEY].s))
			valid_error(r, "key", "invalid", "A key is a lower-case "
			    "letter, then letters, digits or _ (at most 64).");
		else
			in->key = r->in[APROP_KEY].s;
	}
	if (cur == NULL || advcfg_sent(r, APROP_TYPE)) {
		if (!r->in[APROP_TYPE].present) {
			if (!advcfg_has_error(r, "response_type"))
				valid_error(r, "response_type", "required",
				    "Response type is required.");
		} else if (rtype_parse(r->in[APROP_TYPE].s, &in->rtype) != 0)
			valid_error(r, "response_type", "invalid", "Pick a "
			    "response type from the list.");
		else if (in->rtype == RT_FILE)
			valid_error(r, "response_type", "invalid", "Line items "
			    "can't hold files; ask for files with a file "
			    "question instead.");
	}
	if (advcfg_sent(r, APROP_REQUIRED))
		in->required = r->in[APROP_REQUIRED].present &&
		    r->in[APROP_REQUIRED].i;
	if (cur != NULL && advcfg_sent(r, APROP_RETIRED))
		in->retired = r->in[APROP_RETIRED].present &&
		    r->in[APROP_RETIRED].i;
	(void)advcfg_options_read(r, advcfg_options_field(r), APROP_OPTIONS,
	    APROP_RESTORE, cur ? cur->opts : NULL, cur ? cur->nopts : 0,
	    &in->oe);
}

/* Select types need 1–200 offered options. Called once the in-use ones
 * are kept. Sets in->options. */
static void
check_options(struct req *r, const struct aprop *cur, struct propin *in)
{
	size_t	 n;

	if (!rtype_has_options(in->rtype)) {
		in->options = NULL;
		return;
	}
	if (!in->oe.given) {
		in->options = cur ? rt_options_text(r->a, cur->opts,
		    cur->nopts) : NULL;
		n = cur != NULL ? (size_t)active_options(cur) : 0;
	} else {
		n = advcfg_options_active(&in->oe);
		in->options = advcfg_options_text(r, advcfg_options_field(r),
		    &in->oe);
	}
	if ((n < 1 || n > RT_OPTIONS_MAX) &&
	    !advcfg_has_error(r, advcfg_options_field(r)))
		valid_error(r, advcfg_options_field(r), "count", "A select "
		    "needs 1 to 200 options, one a line.");
}

/* POST /events/{event}/asset-types/{id}/properties — 303 (201 JSON with
 * the type): a property of the type (or of sub_asset_id), key made from
 * the label when none is sent, inserted at position (default last).
 * 403; 404; 409 archived or stale version; 412; 422 key invalid or
 * taken, label, response type (no files), options 1–200. */
int
h_aprop_create(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct propin	 in;
	json_object	*ch;
	int64_t		 sub = 0, id, pos, n;
	const struct aprop *at;
	size_t		 i, k;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = type_locked(r, &c, &t)) != 0)
		return st;
	if (r->in[APROP_SUB].present && r->in[APROP_SUB].i > 0) {
		sub = r->in[APROP_SUB].i;
		if (find_sub(&t, sub) == NULL) {
			valid_error(r, "sub_asset_id", "invalid", "That is not a "
			    "sub-asset of this type.");
			sub = 0;
		}
	}
	if (advcfg_version_stale(r, APROP_VERSION, t.version))
		return stale(r, &c, &t, F_NEW_PROP, sub, NULL);
	read_prop(r, NULL, &in);
	if (in.key == NULL && in.label != NULL)
		in.key = key_from(r, in.label, "p", &t, sub, 0);
	else if (in.key != NULL && prop_key_taken(&t, sub, in.key))
		valid_error(r, "key", "taken", arena_printf(r->a, "The key %s "
		    "is already used here.", in.key));
	check_options(r, NULL, &in);
	if (t.nprops >= ATYPE_PROPS_MAX)
		valid_error(r, "label", "too-many", "An asset type has at most "
		    "200 properties.");
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_NEW_PROP, sub, NULL);
	/* Insert before the property at index position (default last). */
	n = (int64_t)group_count(&t, sub);
	pos = r->in[APROP_POSITION].present ? r->in[APROP_POSITION].i : n;
	at = NULL;
	for (i = 0, k = 0; i < t.nprops && pos < n; i++)
		if (t.props[i].sub_id == sub && (int64_t)k++ == pos)
			at = &t.props[i];
	if (at != NULL)
		pos = at->position;
	else
		for (i = 0, pos = 0; i < t.nprops; i++)
			if (t.props[i].sub_id == sub &&
			    t.props[i].position >= pos)
				pos = t.props[i].position + 1;
	if ((id = aprop_insert(r, c.ev.id, t.id, sub, pos, in.key, in.label,
	    in.rtype, in.options, in.required)) < 0 ||
	    atype_touch(r, c.ev.id, t.id, t.version) != 1)
		return 503;
	ch = advcfg_change(NULL, "key", NULL, in.key);
	ch = advcfg_change(ch, "label", NULL, in.label);
	ch = advcfg_change(ch, "response_type", NULL, rtype_name(in.rtype));
	ch = advcfg_change(ch, "options", NULL, in.options);
	ch = advcfg_change_int(ch, "required", 0, in.required);
	if (sub)
		ch = advcfg_change_int(ch, "sub_asset_id", 0, sub);
	vset_int(ch, "asset_type_id", t.id);
	if (advcfg_commit(r, &c, "asset_property.created", "asset_property",
	    id, in.label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 201, arena_printf(r->a, "prop-%lld",
	    (long long)id), "created", arena_printf(r->a, "The property %s "
	    "was added.", in.label));
}

/* Lock the type and find {p}: 0, or the status sent. */
static int
prop_locked(struct req *r, const struct event_ctx *c, struct atype *t,
    struct aprop **pp)
{
	int64_t	 pid = req_pathvar_id(r, 2);
	int	 st;

	if (pid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = type_locked(r, c, t)) != 0)
		return st;
	if ((*pp = find_prop(t, pid)) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* The start of a move or a removal of a part ({p} of properties, {s}
 * of sub-assets: what F_PROP or F_SUB): gated, a move's position or a
 * removal's version checked, the type locked with its parts, the part
 * found (its id in *pid) and the version named checked. 0, or the
 * status sent. */
static int
part_open(struct req *r, struct event_ctx *c, struct atype *t,
    enum failed what, int removal, int64_t *pid)
{
	int	 st;

	if ((st = advcfg_gate(r, c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_row_invalid(r, removal))
		return fail_page(r, 422, c, req_pathvar_id(r, 1), F_NONE, 0,
		    NULL);
	*pid = req_pathvar_id(r, 2);
	if (*pid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = type_locked(r, c, t)) != 0)
		return st;
	if (what == F_PROP ? find_prop(t, *pid) == NULL :
	    find_sub(t, *pid) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (advcfg_row_stale(r, removal, t->version))
		return stale(r, c, t, what, *pid, NULL);
	return 0;
}

/* A part written (st: the model's result): the type's version raised
 * (forms and If-Match name it), the audit entry, commit. 0, or 503;
 * ch released. */
static int
part_commit(struct req *r, const struct event_ctx *c, const struct atype *t,
    int st, const char *action, const char *type, int64_t id,
    const char *label, json_object *ch)
{
	vset_int(ch, "asset_type_id", t->id);
	if (st != 0 || atype_touch(r, c->ev.id, t->id, t->version) != 1) {
		json_object_put(ch);
		return 503;
	}
	return advcfg_commit(r, c, action, type, id, label, ch);
}

/* POST /events/{event}/asset-types/{id}/properties/{p} — 303 (200 JSON):
 * label, response type, options, required, retired. Options left out
 * that line items use are retired, not removed. 403; 404; 409 archived,
 * stale version, or a type change while line items hold values
 * (in-use); 412; 422. */
int
h_aprop_update(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct aprop	*p;
	struct propin	 in;
	json_object	*ch, *rows;
	const char	*old_opts;
	int64_t		 used;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = prop_locked(r, &c, &t, &p)) != 0)
		return st;
	read_prop(r, p, &in);
	if (advcfg_version_stale(r, APROP_VERSION, t.version)) {
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Label", in.label, p->label);
		advcfg_conflict_row(rows, "Response type",
		    rtype_label(in.rtype), rtype_label(p->rtype));
		advcfg_conflict_row(rows, "Required", in.required ? "Yes" :
		    "No", p->required ? "Yes" : "No");
		return stale(r, &c, &t, F_PROP, p->id, rows);
	}
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_PROP, p->id, NULL);
	if (in.rtype != p->rtype) {
		if ((used = atype_values_count(r, c.ev.id, t.id,
		    prop_path(r, &t, p))) < 0)
			return 503;
		if (used > 0) {
			const char *why = arena_printf(r->a, "The response "
			    "type of %s can't change: %s hold%s values for it. "
			    "Add a new property instead.", p->label,
			    advcfg_plural(r, used, "line item", "line items"),
			    used == 1 ? "s" : "");

			if (r->fmt == FMT_JSON)
				return page_refuse(r, 409, "in-use", why);
			{
				struct pagefail pf = { F_PROP, p->id, NULL };

				log_msg(LOG_INFO, "decision=deny "
				    "reason=in-use");
				return type_page(r, 409, &c, t.id, &pf, why);
			}
		}
	}
	if (in.oe.given && in.oe.ndropped > 0 &&
	    rtype_has_options(in.rtype)) {
		char	**vals;
		size_t	 nv;

		if ((vals = atype_values(r, c.ev.id, t.id, prop_path(r, &t, p),
		    &nv)) == NULL && nv == (size_t)-1)
			return 503;
		advcfg_options_keep_used(r, &in.oe, vals, nv);
	}
	check_options(r, p, &in);
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_PROP, p->id, NULL);
	old_opts = rtype_has_options(p->rtype) ? rt_options_text(r->a,
	    p->opts, p->nopts) : NULL;
	ch = advcfg_change(NULL, "label", p->label, in.label);
	ch = advcfg_change(ch, "response_type", rtype_name(p->rtype),
	    rtype_name(in.rtype));
	ch = advcfg_change(ch, "options", old_opts, in.options);
	ch = advcfg_change_int(ch, "required", p->required, in.required);
	ch = advcfg_change_int(ch, "retired", p->retired, in.retired);
	if (ch == NULL) {
		db_rollback();
		return written(r, &c, t.id, 200, arena_printf(r->a,
		    "prop-%lld", (long long)p->id), "unchanged",
		    "Nothing was changed.");
	}
	st = aprop_update(r, c.ev.id, p->id, in.label, in.rtype, in.options,
	    in.required, in.retired);
	if (part_commit(r, &c, &t, st, "asset_property.updated",
	    "asset_property", p->id, in.label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, arena_printf(r->a, "prop-%lld",
	    (long long)p->id), "updated", arena_printf(r->a, "The property %s "
	    "was saved.", in.label));
}

/* POST /events/{event}/asset-types/{id}/properties/{p}/move — 303 (200
 * JSON): to position within its group. 403; 404; 409; 412; 422. */
int
h_aprop_move(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct aprop	*p;
	json_object	*ch;
	int64_t		 to, from = 0, k = 0, target = -1;
	size_t		 i;
	int64_t		 id;
	int		 st;

	if ((st = part_open(r, &c, &t, F_PROP, 0, &id)) != 0)
		return st;
	p = find_prop(&t, id);
	/* Index to = the place of the group's to-th property. */
	to = r->in[CFGMOVE_POSITION].i;
	for (i = 0; i < t.nprops; i++) {
		if (t.props[i].sub_id != p->sub_id)
			continue;
		if (t.props[i].id == p->id)
			from = k;
		if (k <= to)
			target = t.props[i].position;
		k++;
	}
	st = aprop_move(r, c.ev.id, t.id, p, target);
	ch = advcfg_change_int(NULL, "position", from, to > k - 1 ? k - 1 :
	    to);
	if (part_commit(r, &c, &t, st, "asset_property.moved",
	    "asset_property", p->id, p->label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, arena_printf(r->a, "prop-%lld",
	    (long long)p->id), "moved", arena_printf(r->a, "The property %s "
	    "was moved.", p->label));
}

/* POST /events/{event}/asset-types/{id}/properties/{p}/delete — 303 (200
 * JSON with the type and "result": deleted or retired): removed, or
 * retired when line items hold values for it. 403; 404; 409 archived or
 * stale version; 412; 422 no version. */
int
h_aprop_delete(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct aprop	*p;
	json_object	*ch;
	int64_t		 used;
	int64_t		 id;
	int		 st;

	if ((st = part_open(r, &c, &t, F_PROP, 1, &id)) != 0)
		return st;
	p = find_prop(&t, id);
	if ((used = atype_values_count(r, c.ev.id, t.id,
	    prop_path(r, &t, p))) < 0)
		return 503;
	ch = advcfg_change(NULL, "label", p->label, NULL);
	if (used > 0) {
		vset_int(ch, "line_items_with_values", used);
		st = p->retired ? 0 : aprop_update(r, c.ev.id, p->id, p->label,
		    p->rtype, rtype_has_options(p->rtype) ? rt_options_text(r->a,
		    p->opts, p->nopts) : NULL, p->required, 1);
	} else
		st = aprop_delete(r, c.ev.id, t.id, p);
	if (part_commit(r, &c, &t, st, used > 0 ? "asset_property.retired" :
	    "asset_property.deleted", "asset_property", p->id, p->label,
	    ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, used > 0 ? arena_printf(r->a,
	    "prop-%lld", (long long)p->id) : "properties", used > 0 ?
	    "retired" : "deleted", used > 0 ? arena_printf(r->a, "%s holds "
	    "values in %s, so it was retired: hidden from respondents, kept "
	    "for staff.", p->label, advcfg_plural(r, used, "line item",
	    "line items")) : arena_printf(r->a, "The property %s was removed.",
	    p->label));
}

/* --- sub-assets ---------------------------------------------------------- */

/* POST /events/{event}/asset-types/{id}/sub-assets — 303 (201 JSON): a
 * repeatable group added last (key from the label unless sent). 403;
 * 404; 409; 412; 422 label, key invalid or taken, more than 20. */
int
h_asub_create(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	const char	*key = NULL, *label;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = type_locked(r, &c, &t)) != 0)
		return st;
	if (advcfg_version_stale(r, ASUB_VERSION, t.version))
		return stale(r, &c, &t, F_NEW_SUB, 0, NULL);
	label = r->in[ASUB_LABEL].s;
	if (!r->in[ASUB_LABEL].present && !advcfg_has_error(r, "label"))
		valid_error(r, "label", "required", "Label is required.");
	if (r->in[ASUB_KEY].present) {
		key = r->in[ASUB_KEY].s;
		if (!atype_key_valid(key))
			valid_error(r, "key", "invalid", "A key is a lower-case "
			    "letter, then letters, digits or _ (at most 64).");
		else if (sub_key_taken(&t, key))
			valid_error(r, "key", "taken", arena_printf(r->a, "The "
			    "key %s is already used here.", key));
	} else if (r->in[ASUB_LABEL].present)
		key = key_from(r, label, "s", &t, 0, 1);
	if (t.nsubs >= ATYPE_SUBS_MAX)
		valid_error(r, "label", "too-many", "An asset type has at most "
		    "20 sub-assets.");
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_NEW_SUB, 0, NULL);
	if ((id = asub_insert(r, c.ev.id, t.id, key, label)) < 0 ||
	    atype_touch(r, c.ev.id, t.id, t.version) != 1)
		return 503;
	if (id == 0) {
		valid_error(r, "key", "taken", arena_printf(r->a, "The key %s "
		    "is already used here.", key));
		return fail_page(r, 409, &c, t.id, F_NEW_SUB, 0, NULL);
	}
	ch = advcfg_change(NULL, "key", NULL, key);
	ch = advcfg_change(ch, "label", NULL, label);
	vset_int(ch, "asset_type_id", t.id);
	if (advcfg_commit(r, &c, "asset_sub.created", "asset_sub", id, label,
	    ch) != 0)
		return 503;
	return written(r, &c, t.id, 201, arena_printf(r->a, "sub-%lld",
	    (long long)id), "created", arena_printf(r->a, "The sub-asset %s "
	    "was added; give it properties next.", label));
}

static int
sub_locked(struct req *r, const struct event_ctx *c, struct atype *t,
    struct asub **sp)
{
	int64_t	 sid = req_pathvar_id(r, 2);
	int	 st;

	if (sid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = type_locked(r, c, t)) != 0)
		return st;
	if ((*sp = find_sub(t, sid)) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* POST /events/{event}/asset-types/{id}/sub-assets/{s} — 303 (200 JSON):
 * label and retired (the key is fixed). 403; 404; 409; 412; 422. */
int
h_asub_update(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct asub	*s;
	const char	*label;
	json_object	*ch, *rows;
	int		 retired, st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = sub_locked(r, &c, &t, &s)) != 0)
		return st;
	label = s->label;
	retired = s->retired;
	if (advcfg_sent(r, ASUB_LABEL)) {
		if (r->in[ASUB_LABEL].present)
			label = r->in[ASUB_LABEL].s;
		else if (!advcfg_has_error(r, "label"))
			valid_error(r, "label", "required", "Label is "
			    "required.");
	}
	if (advcfg_sent(r, ASUB_RETIRED))
		retired = r->in[ASUB_RETIRED].present &&
		    r->in[ASUB_RETIRED].i;
	if (r->in[ASUB_KEY].present && strcmp(r->in[ASUB_KEY].s, s->key) != 0)
		valid_error(r, "key", "fixed", "A sub-asset's key can't "
		    "change: line items store rows under it.");
	if (advcfg_version_stale(r, ASUB_VERSION, t.version)) {
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Label", label, s->label);
		advcfg_conflict_row(rows, "Retired", retired ? "Yes" : "No",
		    s->retired ? "Yes" : "No");
		return stale(r, &c, &t, F_SUB, s->id, rows);
	}
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_SUB, s->id, NULL);
	ch = advcfg_change(NULL, "label", s->label, label);
	ch = advcfg_change_int(ch, "retired", s->retired, retired);
	if (ch == NULL) {
		db_rollback();
		return written(r, &c, t.id, 200, arena_printf(r->a, "sub-%lld",
		    (long long)s->id), "unchanged", "Nothing was changed.");
	}
	st = asub_update(r, c.ev.id, s->id, label, retired);
	if (part_commit(r, &c, &t, st, "asset_sub.updated", "asset_sub",
	    s->id, label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, arena_printf(r->a, "sub-%lld",
	    (long long)s->id), "updated", arena_printf(r->a, "The sub-asset "
	    "%s was saved.", label));
}

/* POST /events/{event}/asset-types/{id}/sub-assets/{s}/move — 303 (200
 * JSON). 403; 404; 409; 412; 422 no position. */
int
h_asub_move(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct asub	*s;
	json_object	*ch;
	int64_t		 to, from = 0;
	size_t		 i;
	int64_t		 id;
	int		 st;

	if ((st = part_open(r, &c, &t, F_SUB, 0, &id)) != 0)
		return st;
	s = find_sub(&t, id);
	to = advcfg_move_to(r, t.nsubs);
	for (i = 0; i < t.nsubs; i++)
		if (t.subs[i].id == s->id)
			from = (int64_t)i;
	st = asub_move(r, c.ev.id, t.id, s, t.subs[to].position);
	ch = advcfg_change_int(NULL, "position", from, to);
	if (part_commit(r, &c, &t, st, "asset_sub.moved", "asset_sub", s->id,
	    s->label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, arena_printf(r->a, "sub-%lld",
	    (long long)s->id), "moved", arena_printf(r->a, "The sub-asset %s "
	    "was moved.", s->label));
}

/* POST /events/{event}/asset-types/{id}/sub-assets/{s}/delete — 303 (200
 * JSON with "result"): removed with its properties, or retired when
 * line items hold rows of it. 403; 404; 409; 412; 422 no version. */
int
h_asub_delete(struct req *r)
{
	struct event_ctx c;
	struct atype	 t;
	struct asub	*s;
	json_object	*ch;
	int64_t		 used;
	int64_t		 id;
	int		 st;

	if ((st = part_open(r, &c, &t, F_SUB, 1, &id)) != 0)
		return st;
	s = find_sub(&t, id);
	if ((used = atype_sub_rows_count(r, c.ev.id, t.id, atype_path(r,
	    s->key, NULL))) < 0)
		return 503;
	ch = advcfg_change(NULL, "label", s->label, NULL);
	if (used > 0) {
		vset_int(ch, "line_items_with_rows", used);
		st = s->retired ? 0 : asub_update(r, c.ev.id, s->id, s->label,
		    1);
	} else
		st = asub_delete(r, c.ev.id, t.id, s);
	if (part_commit(r, &c, &t, st, used > 0 ? "asset_sub.retired" :
	    "asset_sub.deleted", "asset_sub", s->id, s->label, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, "sub-assets", used > 0 ? "retired" :
	    "deleted", used > 0 ? arena_printf(r->a, "%s has rows in %s, so "
	    "it was retired: hidden from respondents, kept for staff.",
	    s->label, advcfg_plural(r, used, "line item", "line items")) :
	    arena_printf(r->a, "The sub-asset %s and its properties were "
	    "removed.", s->label));
}
