/* modtemplates.c — module templates (PRODUCT §13.2): the list by
 * category, creation, the editor with its ordered blocks (content,
 * question, request), removal.
 *
 * Templates are live: advances use them directly, so a block answered
 * anywhere (answer rows or line items) is only ever retired — hidden
 * from respondents, kept for staff — never deleted; an option in use is
 * retired rather than removed; a question's response type (and a
 * request's asset type) cannot change once answered (409); a template
 * that an advance or an advance template uses cannot be deleted (409).
 * After a block is added, changed or retired the task trees of tracked
 * modules using the template follow, in the same transaction.
 *
 * Block writes lock the template row first, then check the block's own
 * version; every block change raises the template's version too, so
 * its ETag covers the blocks. */
#include <stdlib.h>
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
#include "model/advtrack.h"
#include "model/assettype.h"
#include "model/audit.h"
#include "model/modblock.h"
#include "model/modtpl.h"
#include "policy/answer.h"
#include "render/view.h"

#define QUESTION_LABEL_MAX	100	/* the Advance Manager's heading */

/* --- small helpers ------------------------------------------------------- */

static const char *
tpl_url(struct req *r, const struct event_ctx *c, int64_t id,
    const char *suffix)
{
	return arena_printf(r->a, "/events/%lld/module-templates/%lld%s",
	    (long long)c->ev.id, (long long)id, suffix);
}

static const char *
block_url(struct req *r, const struct event_ctx *c, int64_t tid, int64_t bid,
    const char *suffix)
{
	return arena_printf(r->a, "/events/%lld/module-templates/%lld/blocks/"
	    "%lld%s", (long long)c->ev.id, (long long)tid, (long long)bid,
	    suffix);
}

static const char *
kind_label(enum block_kind k)
{
	switch (k) {
	case BK_QUESTION:
		return "Question";
	case BK_REQUEST:
		return "Request";
	default:
		return "Content";
	}
}

static int
kind_parse(const char *s, enum block_kind *k)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "content") == 0)
		*k = BK_CONTENT;
	else if (strcmp(s, "question") == 0)
		*k = BK_QUESTION;
	else if (strcmp(s, "request") == 0)
		*k = BK_REQUEST;
	else
		return -1;
	return 0;
}

static const struct mblock_use *
use_of(const struct mblock_use *u, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (u[i].block_id == id)
			return &u[i];
	return NULL;
}

static const char *
str_or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

/* Markdown is audited as changed, with its lengths (PRODUCT §20). */
static json_object *
md_change(json_object *ch, const char *key, const char *old, const char *new)
{
	json_object	*x;

	if (old == NULL ? new == NULL || *new == '\0' : new != NULL &&
	    strcmp(old, new) == 0)
		return ch;
	if (ch == NULL)
		ch = json_object_new_object();
	x = json_object_new_object();
	vset_bool(x, "changed", 1);
	vset_int(x, "old_length", old ? (long long)strlen(old) : 0);
	vset_int(x, "new_length", new ? (long long)strlen(new) : 0);
	json_object_object_add(ch, key, x);
	return ch;
}

/* --- view models --------------------------------------------------------- */

/* Choices of the request form's asset type, "none" first. */
static json_object *
asset_choices(struct req *r, const struct atype *ts, size_t n, int64_t sel)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", "None: description, quantity and notes");
	vset_bool(o, "selected", sel <= 0);
	json_object_array_add(a, o);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)ts[i].id));
		vset_str(o, "label", ts[i].label);
		vset_bool(o, "selected", ts[i].id == sel);
		json_object_array_add(a, o);
	}
	return a;
}

/* The asset types offered to request blocks (read once per page). */
struct choices {
	struct atype	*types;
	size_t		 ntypes;
};

/* The form of a block: stored values (b), or what was sent (typed). b
 * NULL and kind: a new block of that kind. */
static json_object *
block_form(struct req *r, const struct mblock *b, enum block_kind kind,
    int typed, const struct choices *ch)
{
	json_object	*f = json_object_new_object();
	const struct input *in = r->in;
	enum rtype	 rt = b ? b->rtype : RT_TEXT;
	int64_t		 at = b ? b->asset_type_id : 0;

	vset_str(f, "kind", block_kind_name(kind));
	vset_bool(f, "is_content", kind == BK_CONTENT);
	vset_bool(f, "is_question", kind == BK_QUESTION);
	vset_bool(f, "is_request", kind == BK_REQUEST);
	if (typed) {
		vset_str(f, "body", in[MBLK_BODY].s);
		vset_str(f, "label", in[MBLK_LABEL].s);
		vset_str(f, "name", str_or(in[MBLK_NAME].s, in[MBLK_LABEL].s));
		vset_str(f, "prompt", in[MBLK_PROMPT].s);
		vset_str(f, "help", in[MBLK_HELP].s);
		vset_bool(f, "required", in[MBLK_REQUIRED].i);
		vset_str(f, "options_text", in[MBLK_OPTIONS].s);
		vset_str(f, "min", in[MBLK_MIN].s);
		vset_str(f, "max", in[MBLK_MAX].s);
		vset_bool(f, "whole", in[MBLK_WHOLE].i);
		vset_str(f, "item_label", in[MBLK_ITEM_LABEL].s);
		vset_bool(f, "needs_operational_approval",
		    in[MBLK_NEEDS_OP].i);
		vset_bool(f, "needs_resource_approval", in[MBLK_NEEDS_RES].i);
		vset_bool(f, "procurement_eligible", in[MBLK_PROCUREMENT].i);
		vset_str(f, "max_items", in[MBLK_MAX_ITEMS].s);
		vset_bool(f, "retired", in[MBLK_RETIRED].i);
		if (in[MBLK_TYPE].present)
			(void)rtype_parse(in[MBLK_TYPE].s, &rt);
		at = in[MBLK_ASSET_TYPE].present ? in[MBLK_ASSET_TYPE].i : 0;
	} else if (b != NULL) {
		vset_str(f, "body", b->body);
		vset_str(f, "label", b->label);
		vset_str(f, "name", b->label);
		vset_str(f, "prompt", b->prompt);
		vset_str(f, "help", b->help);
		vset_bool(f, "required", b->required);
		vset_str(f, "options_text", advcfg_options_lines(r, b->opts,
		    b->nopts));
		vset_str(f, "min", b->num_min);
		vset_str(f, "max", b->num_max);
		vset_bool(f, "whole", b->num_whole);
		vset_str(f, "item_label", b->item_label);
		vset_bool(f, "needs_operational_approval", b->needs_op);
		vset_bool(f, "needs_resource_approval", b->needs_res);
		vset_bool(f, "procurement_eligible", b->procurement);
		vset_str(f, "max_items", b->max_items > 0 ? arena_printf(r->a,
		    "%lld", (long long)b->max_items) : NULL);
		vset_bool(f, "retired", b->retired);
	} else {
		/* Every key present, so the form never reads the page's. */
		static const char *const keys[] = { "body", "label", "name",
		    "prompt", "help", "options_text", "min", "max",
		    "max_items" };
		size_t	 i;

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			vset_str(f, keys[i], NULL);
		vset_str(f, "item_label", "Item");
	}
	if (b != NULL)
		vset_obj(f, "retired_options", advcfg_options_retired(b->opts,
		    b->nopts));
	vset_bool(f, "existing", b != NULL);
	if (kind == BK_QUESTION)
		vset_obj(f, "types", rtype_choices(rt));
	if (kind == BK_REQUEST)
		vset_obj(f, "asset_types", asset_choices(r, ch->types,
		    ch->ntypes, at));
	return f;
}

/* Which form of the editor failed (opened with what was sent, the
 * others' errors hidden). */
enum failed { F_NONE, F_TPL, F_NEW_BLOCK, F_BLOCK };

struct pagefail {
	enum failed	 what;
	int64_t		 id;		/* the block */
	enum block_kind	 kind;		/* a new block */
	json_object	*conflict;
	const char	*refusal;
};

/* What the respondent sees of a block, briefly (the list's summary). */
static void
block_summary(struct req *r, const struct mblock *b, json_object *o)
{
	const char	*s = NULL;

	switch (b->kind) {
	case BK_QUESTION:
		s = arena_printf(r->a, "%s%s", rtype_label(b->rtype),
		    b->required ? " · required" : "");
		if (rtype_has_options(b->rtype))
			s = arena_printf(r->a, "%s · %s", s, advcfg_plural(r,
			    (int64_t)b->nopts, "option", "options"));
		if (b->rtype == RT_NUMBER && (b->num_min || b->num_max))
			s = arena_printf(r->a, "%s · %s to %s%s", s,
			    str_or(b->num_min, "any"), str_or(b->num_max,
			    "any"), b->num_whole ? ", whole" : "");
		break;
	case BK_REQUEST:
		s = arena_printf(r->a, "%s%s%s%s%s · items called “%s”",
		    b->asset_type_id > 0 ? str_or(b->asset_type_label,
		    "Asset type") : "Free-form items",
		    b->needs_op ? " · operational approval" : "",
		    b->needs_res ? " · resource approval" : "",
		    b->procurement ? " · procurement" : "",
		    b->max_items > 0 ? arena_printf(r->a, " · at most %lld",
		    (long long)b->max_items) : "", b->item_label);
		break;
	default:
		break;
	}
	vset_str(o, "summary", s);
}

static json_object *
blocks_json(struct req *r, const struct event_ctx *c, int64_t tid,
    const struct mblock *bs, size_t n, const struct mblock_use *us,
    size_t nu, const struct choices *ch, const struct pagefail *pf)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++) {
		const struct mblock *b = &bs[i];
		const struct mblock_use *u = use_of(us, nu, b->id);
		json_object	*o = modblock_json(r, b);
		int64_t		 na = u ? u->answers : 0;
		int64_t		 ni = u ? u->items : 0;
		int		 mine = pf->what == F_BLOCK &&
		    pf->id == b->id;

		vset_str(o, "etag", arena_printf(r->a, "\"%lld-v%lld\"",
		    (long long)b->id, (long long)b->version));
		vset_int(o, "number", (long long)i + 1);
		vset_int(o, "index", (long long)i);
		vset_str(o, "id_prefix", arena_printf(r->a, "block%lld",
		    (long long)b->id));
		vset_str(o, "kind_label", kind_label(b->kind));
		vset_str(o, "title", b->kind != BK_CONTENT ? b->label : NULL);
		vset_bool(o, "is_content", b->kind == BK_CONTENT);
		vset_bool(o, "is_question", b->kind == BK_QUESTION);
		vset_bool(o, "is_request", b->kind == BK_REQUEST);
		vset_int(o, "answers_count", na);
		vset_int(o, "line_items_count", ni);
		vset_bool(o, "answered", na + ni > 0);
		vset_str(o, "answered_text", na > 0 ? advcfg_plural(r, na,
		    "answer", "answers") : ni > 0 ? advcfg_plural(r, ni,
		    "line item", "line items") : NULL);
		block_summary(r, b, o);
		advcfg_row_json(r, o, block_url(r, c, tid, b->id, ""), i, n,
		    arena_printf(r->a, "block %zu", i + 1));
		vset_obj(o, "form", block_form(r, b, b->kind, mine, ch));
		advcfg_form_state(o, mine, pf->what != F_NONE, pf->conflict);
		if (mine)
			vset_str(o, "refusal", pf->refusal);
		json_object_array_add(a, o);
	}
	return a;
}

/* The three add-a-block forms. */
static json_object *
new_blocks_json(struct req *r, const struct event_ctx *c, int64_t tid,
    size_t nblocks, const struct choices *ch, const struct pagefail *pf)
{
	static const enum block_kind kinds[] = { BK_CONTENT, BK_QUESTION,
	    BK_REQUEST };
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < 3; i++) {
		int		 mine = pf->what == F_NEW_BLOCK &&
		    pf->kind == kinds[i];
		json_object	*o = block_form(r, NULL, kinds[i], mine, ch);

		vset_str(o, "kind_label", kind_label(kinds[i]));
		vset_str(o, "action_url", tpl_url(r, c, tid, "/blocks"));
		vset_str(o, "id_prefix", arena_printf(r->a, "new-%s",
		    block_kind_name(kinds[i])));
		vset_int(o, "end_position", (long long)nblocks);
		advcfg_form_state(o, mine, pf->what != F_NONE, NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
category_choices(const struct mcat *cs, size_t n, int64_t sel)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "value", cs[i].id);
		vset_str(o, "label", cs[i].name);
		vset_bool(o, "selected", cs[i].id == sel);
		json_object_array_add(a, o);
	}
	return a;
}

/* The settings form of a template (t NULL: a new one). */
static json_object *
tpl_form(struct req *r, const struct mtpl *t, int typed,
    const struct mcat *cs, size_t ncs)
{
	json_object	*f = json_object_new_object();
	const char	*icon;
	int64_t		 cat;

	if (typed) {
		vset_str(f, "name", r->in[MTPL_NAME].s);
		vset_str(f, "label", r->in[MTPL_LABEL].s);
		vset_str(f, "note", r->in[MTPL_NOTE].s);
		icon = r->in[MTPL_ICON].s;
		cat = r->in[MTPL_CATEGORY].present ? r->in[MTPL_CATEGORY].i :
		    0;
	} else {
		vset_str(f, "name", t ? t->name : NULL);
		vset_str(f, "label", t ? t->label : NULL);
		vset_str(f, "note", t ? t->note : NULL);
		icon = t ? t->icon : NULL;
		cat = t ? t->category_id : 0;
	}
	vset_obj(f, "icons", advcfg_icons_json(icon));
	vset_obj(f, "categories", category_choices(cs, ncs, cat));
	vset_bool(f, "has_categories", ncs > 0);
	return f;
}

/* Everything the editor page shows, read with a fixed number of
 * queries. 0 or -1. */
static int
editor_view(struct req *r, const struct event_ctx *c, const struct mtpl *t,
    const struct pagefail *pf, json_object **vp)
{
	struct mblock	*bs;
	struct mblock_use *us;
	struct mcat	*cs;
	struct choices	 ch;
	json_object	*v, *o, *f;
	size_t		 n, nu, ncs;

	if ((bs = modblock_list(r, c->ev.id, t->id, &n)) == NULL &&
	    n == (size_t)-1)
		return -1;
	if ((us = modtpl_block_use(r, c->ev.id, t->id, &nu)) == NULL &&
	    nu == (size_t)-1)
		return -1;
	if ((cs = modtpl_cat_list(r, c->ev.id, &ncs)) == NULL &&
	    ncs == (size_t)-1)
		return -1;
	if ((ch.types = atype_list(r, c->ev.id, &ch.ntypes)) == NULL &&
	    ch.ntypes == (size_t)-1)
		return -1;
	v = advcfg_view(r, c, "module-templates");
	o = modtpl_json(r, t);
	vset_obj(o, "blocks", blocks_json(r, c, t->id, bs, n, us, nu, &ch,
	    pf));
	vset_obj(v, "module_template", o);
	vset_str(v, "icon_glyph", advcfg_icon_glyph(t->icon));
	vset_bool(v, "has_blocks", n > 0);
	vset_bool(v, "in_use", t->nadvances > 0 || t->natpls > 0);
	vset_str(v, "use_text", arena_printf(r->a, "Used by %s and %s",
	    advcfg_plural(r, t->nadvances, "advance", "advances"),
	    advcfg_plural(r, t->natpls, "advance template",
	    "advance templates")));
	vset_str(v, "list_url", advcfg_url(r, c, "/module-templates"));
	vset_str(v, "action_url", tpl_url(r, c, t->id, ""));
	vset_str(v, "delete_url", tpl_url(r, c, t->id, "/delete"));
	vset_str(v, "preview_url", tpl_url(r, c, t->id, "/preview"));
	vset_str(v, "categories_url", advcfg_url(r, c, "/module-categories"));
	vset_str(v, "asset_types_url", advcfg_url(r, c, "/asset-types"));
	vset_int(v, "version", t->version);
	f = tpl_form(r, t, pf->what == F_TPL, cs, ncs);
	advcfg_form_state(f, pf->what == F_TPL, pf->what != F_NONE,
	    pf->conflict);
	vset_obj(v, "settings_form", f);
	vset_obj(v, "new_blocks", new_blocks_json(r, c, t->id, n, &ch, pf));
	if (pf->what != F_BLOCK)
		vset_str(v, "refusal", pf->refusal);
	*vp = v;
	return 0;
}

/* The editor again after a failed write (409 or 422). */
static int
editor_page(struct req *r, int status, const struct event_ctx *c,
    int64_t id, struct pagefail *pf)
{
	struct mtpl	 t;
	json_object	*v;
	int		 st;

	/* The request's, whatever happens: the view takes its own
	 * reference. */
	if (pf->conflict != NULL)
		(void)req_own_json(r, pf->conflict);
	if (db_in_txn())
		db_rollback();
	if ((st = advcfg_found(r, modtpl_get(r, c->ev.id, id, &t))) != 0)
		return st;
	st = editor_view(r, c, &t, pf, &v);
	if (st != 0)
		return 503;
	return advcfg_page(r, status, "advconfig/module_template", t.label, v);
}

static int
fail_page(struct req *r, int status, const struct event_ctx *c, int64_t id,
    enum failed what, int64_t which, enum block_kind kind,
    json_object *conflict, const char *refusal)
{
	struct pagefail	 pf;

	pf.what = what;
	pf.id = which;
	pf.kind = kind;
	pf.conflict = conflict;
	pf.refusal = refusal;
	if (refusal != NULL)
		log_msg(LOG_INFO, "decision=deny reason=in-use");
	return editor_page(r, status, c, id, &pf);
}

/* After a template write: JSON the template with its blocks (ETag),
 * HTML a flash and 303 to the editor. */
static int
tpl_written(struct req *r, const struct event_ctx *c, int64_t id,
    int status, const char *msg)
{
	struct mtpl	 t;
	struct mblock	*bs;
	json_object	*o, *a;
	size_t		 n, i;

	if (r->fmt == FMT_JSON) {
		if (modtpl_get(r, c->ev.id, id, &t) != 1 ||
		    ((bs = modblock_list(r, c->ev.id, id, &n)) == NULL &&
		    n == (size_t)-1))
			return 503;
		o = modtpl_json(r, &t);
		a = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(a, modblock_json(r, &bs[i]));
		vset_obj(o, "blocks", a);
		return advcfg_json_written(r, status, "module_template", o,
		    t.id, t.version, tpl_url(r, c, id, ""), NULL);
	}
	return advcfg_redirect(r, msg, tpl_url(r, c, id, ""), NULL);
}

/* After a block write: JSON the block (its ETag) with the result, HTML
 * a flash and 303 to the block in the editor. */
static int
block_written(struct req *r, const struct event_ctx *c, int64_t tid,
    int64_t bid, int status, const char *result, const char *msg)
{
	struct mblock	 b;

	if (r->fmt == FMT_JSON) {
		if (bid <= 0)		/* removed */
			return advcfg_json_written(r, status, "block", NULL, 0,
			    0, NULL, result);
		if (modblock_get(r, c->ev.id, tid, bid, &b) != 1)
			return 503;
		return advcfg_json_written(r, status, "block",
		    modblock_json(r, &b), b.id, b.version, block_url(r, c, tid,
		    bid, ""), result);
	}
	return advcfg_redirect(r, msg, tpl_url(r, c, tid, ""), bid > 0 ?
	    arena_printf(r->a, "block-%lld", (long long)bid) : "blocks");
}

/* --- list, new, show ----------------------------------------------------- */

/* GET /events/{event}/module-templates — 200 every template grouped by
 * category ({"items": […]} in category order); three queries whatever
 * their number; 404 not staff. */
int
h_mtpls(struct req *r)
{
	struct event_ctx c;
	struct mtpl	*ts;
	struct mcat	*cs;
	json_object	*v, *items, *groups;
	size_t		 n, ncs, i, j;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if (((ts = modtpl_list(r, c.ev.id, &n)) == NULL && n != 0) ||
	    ((cs = modtpl_cat_list(r, c.ev.id, &ncs)) == NULL && ncs != 0))
		return 503;
	v = advcfg_view(r, &c, "module-templates");
	items = json_object_new_array();
	groups = json_object_new_array();
	for (j = 0; j < ncs; j++) {
		json_object	*g = json_object_new_object(), *gt;

		vset_str(g, "name", cs[j].name);
		vset_str(g, "icon_glyph", advcfg_icon_glyph(cs[j].icon));
		gt = json_object_new_array();
		for (i = 0; i < n; i++) {
			json_object	*o;

			if (ts[i].category_id != cs[j].id)
				continue;
			o = modtpl_json(r, &ts[i]);
			vset_str(o, "url", tpl_url(r, &c, ts[i].id, ""));
			vset_str(o, "icon_glyph", advcfg_icon_glyph(
			    ts[i].icon));
			vset_str(o, "blocks_text", advcfg_plural(r,
			    ts[i].nblocks, "block", "blocks"));
			vset_str(o, "use_text", ts[i].nadvances > 0 ?
			    advcfg_plural(r, ts[i].nadvances, "advance",
			    "advances") : NULL);
			json_object_array_add(items, o);
			json_object_array_add(gt, json_object_get(o));
		}
		vset_obj(g, "templates", gt);
		if (json_object_array_length(gt) > 0)
			json_object_array_add(groups, g);
		else
			json_object_put(g);
	}
	advcfg_list_into(v, items, n);
	vset_obj(v, "groups", groups);
	vset_bool(v, "has_categories", ncs > 0);
	vset_str(v, "new_url", advcfg_url(r, &c, "/module-templates/new"));
	vset_str(v, "categories_url", advcfg_url(r, &c, "/module-categories"));
	return render_page(r, 200, "advconfig/module_templates",
	    "Module templates", v);
}

static int
new_page(struct req *r, int status, const struct event_ctx *c, int typed)
{
	static const struct advcfg_new n = { "module-templates",
	    "/module-templates", "Module templates", "module template",
	    "Blocks come next, in the template's editor." };
	struct mcat	*cs;
	json_object	*v;
	size_t		 ncs;

	if (db_in_txn())
		db_rollback();
	if ((cs = modtpl_cat_list(r, c->ev.id, &ncs)) == NULL && ncs != 0)
		return 503;
	v = advcfg_new_view(r, c, &n, tpl_form(r, NULL, typed, cs, ncs));
	vset_str(v, "categories_url", advcfg_url(r, c, "/module-categories"));
	return advcfg_new_page(r, status, "advconfig/module_template_new", &n,
	    v);
}

/* GET /events/{event}/module-templates/new — 200 the form; 403 without
 * Event-domain advancing admin; 404; 409 archived. */
int
h_mtpl_new(struct req *r)
{
	return advcfg_new_form(r, new_page);
}

/* GET /events/{event}/module-templates/{id} — 200 the template with its
 * blocks in order ({"module_template"}, strong ETag; for admins the
 * editor); 404. */
int
h_mtpl(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct pagefail	 pf;
	json_object	*v;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? modtpl_get(r, c.ev.id, id,
	    &t) : 0)) != 0)
		return st;
	if (page_etag(r, t.id, t.version))
		return 304;
	memset(&pf, 0, sizeof(pf));
	if (editor_view(r, &c, &t, &pf, &v) != 0)
		return 503;
	return render_page(r, 200, "advconfig/module_template", t.label, v);
}

/* GET /events/{event}/module-templates/{id}/blocks/{b} — 200 the block
 * ({"block"}, its strong ETag; HTML the editor with it open); 404. */
int
h_mblock(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct mblock	 b;
	struct pagefail	 pf;
	json_object	*v;
	int64_t		 id = req_pathvar_id(r, 1);
	int64_t		 bid = req_pathvar_id(r, 2);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if (id <= 0 || bid <= 0 ||
	    (st = modblock_get(r, c.ev.id, id, bid, &b)) == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (st < 0)
		return 503;
	if (page_etag(r, b.id, b.version))
		return 304;
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_obj(v, "block", modblock_json(r, &b));
		return render_json(r, 200, v);
	}
	if ((st = modtpl_get(r, c.ev.id, id, &t)) != 1)
		return st < 0 ? 503 : page_refuse(r, 404, "not-found", NULL);
	memset(&pf, 0, sizeof(pf));
	pf.what = F_BLOCK;
	pf.id = b.id;
	if (editor_view(r, &c, &t, &pf, &v) != 0)
		return 503;
	return render_page(r, 200, "advconfig/module_template", t.label, v);
}

/* --- the template itself ------------------------------------------------- */

/* The fields as sent (JSON: absent keeps cur's); the category must be
 * one of the event's. Errors added. */
static int
read_tpl(struct req *r, const struct event_ctx *c, const struct mtpl *cur,
    struct mtpl_fields *f)
{
	struct mcat	 k;
	int		 st;

	f->name = cur ? cur->name : NULL;
	f->label = cur ? cur->label : NULL;
	f->icon = cur ? cur->icon : "";
	f->category_id = cur ? cur->category_id : 0;
	f->note = cur ? cur->note : NULL;
	advcfg_read_required(r, MTPL_NAME, "name", "Internal name is "
	    "required.", cur == NULL, &f->name);
	advcfg_read_required(r, MTPL_LABEL, "label", "Label is required: "
	    "respondents see it.", cur == NULL, &f->label);
	advcfg_read_icon(r, MTPL_ICON, &f->icon);
	if (advcfg_sent(r, MTPL_NOTE))
		f->note = r->in[MTPL_NOTE].present ? r->in[MTPL_NOTE].s : NULL;
	if (cur == NULL || advcfg_sent(r, MTPL_CATEGORY)) {
		if (!r->in[MTPL_CATEGORY].present ||
		    r->in[MTPL_CATEGORY].i <= 0) {
			if (!advcfg_has_error(r, "category_id"))
				valid_error(r, "category_id", "required",
				    "Category is required.");
			return 0;
		}
		f->category_id = r->in[MTPL_CATEGORY].i;
		if ((st = modtpl_cat_get(r, c->ev.id, f->category_id,
		    &k)) < 0)
			return -1;
		if (st == 0)
			valid_error(r, "category_id", "invalid", "Pick a "
			    "category of this event.");
	}
	return 0;
}

static json_object *
tpl_changes(json_object *ch, const struct mtpl *old,
    const struct mtpl_fields *f)
{
	ch = advcfg_change(ch, "name", old ? old->name : NULL, f->name);
	ch = advcfg_change(ch, "label", old ? old->label : NULL, f->label);
	ch = advcfg_change(ch, "icon", old ? old->icon : NULL, f->icon);
	ch = advcfg_change_int(ch, "category_id", old ? old->category_id : 0,
	    f->category_id);
	ch = md_change(ch, "note", old ? old->note : NULL, f->note);
	return ch;
}

/* POST /events/{event}/module-templates — 303 to the editor (201 JSON).
 * 403; 404; 409 archived or the name taken meanwhile; 422 name (unique)
 * or label missing, no category of the event, unknown icon. */
int
h_mtpl_create(struct req *r)
{
	struct event_ctx c;
	struct mtpl_fields f;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = advcfg_begin(r, &c)) != 0)
		return st;
	if (read_tpl(r, &c, NULL, &f) != 0)
		return 503;
	if (r->nerrors == 0) {
		if ((st = modtpl_name_taken(r, c.ev.id, f.name, 0)) < 0)
			return 503;
		if (st)
			advcfg_name_taken(r, "a module template", f.name);
	}
	if (r->nerrors)
		return new_page(r, 422, &c, 1);
	if ((id = modtpl_insert(r, c.ev.id, &f)) < 0)
		return 503;
	if (id == 0) {
		advcfg_name_taken(r, "a module template", f.name);
		return new_page(r, 409, &c, 1);
	}
	ch = tpl_changes(NULL, NULL, &f);
	if (advcfg_commit(r, &c, "module_template.created", "module_template",
	    id, f.name, ch) != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld module_template=%lld msg=\"module "
	    "template created\"", (long long)c.ev.id, (long long)id);
	return tpl_written(r, &c, id, 201, arena_printf(r->a, "%s was "
	    "created. Add its blocks next.", f.name));
}

/* Lock {id}: 0, or the status sent. */
static int
tpl_locked(struct req *r, const struct event_ctx *c, struct mtpl *t)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st;

	if ((st = advcfg_begin_id(r, c, id)) != 0)
		return st;
	if ((st = advcfg_found(r, modtpl_lock(r, c->ev.id, id, t))) != 0)
		return st;
	return 0;
}

/* POST /events/{event}/module-templates/{id} — 303 (200 JSON with the
 * new ETag): name, label, icon, category, note. 403; 404; 409 archived,
 * stale version (both values shown) or name taken meanwhile; 412; 422. */
int
h_mtpl_update(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct mtpl_fields f;
	json_object	*ch, *rows;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = tpl_locked(r, &c, &t)) != 0)
		return st;
	if (page_if_match_stale(r, t.id, t.version))
		return 412;
	if (read_tpl(r, &c, &t, &f) != 0)
		return 503;
	if (advcfg_version_stale(r, MTPL_VERSION, t.version)) {
		if (r->fmt == FMT_JSON)
			return page_refuse(r, 409, "edit-conflict",
			    arena_printf(r->a, "%s was changed meanwhile (now "
			    "version %lld). Nothing was saved.", t.name,
			    (long long)t.version));
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Internal name", f.name, t.name);
		advcfg_conflict_row(rows, "Label", f.label, t.label);
		advcfg_conflict_row(rows, "Icon", f.icon, t.icon);
		advcfg_conflict_row(rows, "Internal note", f.note, t.note);
		r->nerrors = 0;
		return fail_page(r, 409, &c, t.id, F_TPL, 0, BK_CONTENT, rows,
		    NULL);
	}
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_TPL, 0, BK_CONTENT, NULL,
		    NULL);
	if ((ch = tpl_changes(NULL, &t, &f)) == NULL) {
		db_rollback();
		return tpl_written(r, &c, t.id, 200, "Nothing was changed.");
	}
	if ((st = modtpl_name_taken(r, c.ev.id, f.name, t.id)) != 0 ||
	    (st = modtpl_update(r, c.ev.id, t.id, t.version, &f)) != 1) {
		json_object_put(ch);
		if (st < 0)
			return 503;
		advcfg_name_taken(r, "a module template", f.name);
		return fail_page(r, st == 2 ? 409 : 422, &c, t.id, F_TPL, 0,
		    BK_CONTENT, NULL, NULL);
	}
	if (advcfg_commit(r, &c, "module_template.updated", "module_template",
	    t.id, f.name, ch) != 0)
		return 503;
	return tpl_written(r, &c, t.id, 200, arena_printf(r->a, "%s was "
	    "saved.", f.name));
}

static json_object *
delete_view(struct req *r, const struct event_ctx *c, const struct mtpl *t,
    json_object *atpls, json_object *advs)
{
	json_object	*v = advcfg_view(r, c, "module-templates");
	size_t		 i, na = json_object_array_length(atpls),
			 nv = json_object_array_length(advs);

	vset_obj(v, "module_template", modtpl_json(r, t));
	for (i = 0; i < na; i++) {
		json_object	*a = json_object_array_get_idx(atpls, i);

		vset_str(a, "url", arena_printf(r->a,
		    "/events/%lld/advance-templates/%lld", (long long)c->ev.id,
		    (long long)json_object_get_int64(json_object_object_get(a,
		    "id"))));
	}
	vset_obj(v, "advance_templates", atpls);
	vset_obj(v, "advances", advs);
	vset_bool(v, "blocked", na + nv > 0);
	vset_bool(v, "can_confirm", na + nv == 0 && advcfg_can_edit(c));
	vset_str(v, "action_url", tpl_url(r, c, t->id, "/delete"));
	vset_str(v, "cancel_url", tpl_url(r, c, t->id, ""));
	return v;
}

/* GET /events/{event}/module-templates/{id}/delete — 200 the
 * confirmation, naming the advances and advance templates that use it.
 * 403; 404. */
int
h_mtpl_delete_form(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	json_object	*atpls, *advs;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_ADMIN)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? modtpl_get(r, c.ev.id, id,
	    &t) : 0)) != 0)
		return st;
	if (modtpl_users(r, c.ev.id, id, &atpls, &advs) != 0)
		return 503;
	return advcfg_delete_page(r, 200, "advconfig/module_template_delete",
	    t.name,
	    delete_view(r, &c, &t, atpls, advs));
}

static const char *
names_of(struct req *r, json_object *a, int advances)
{
	const char	*s = "";
	size_t		 i, n = json_object_array_length(a);

	for (i = 0; i < n && i < 10; i++) {
		json_object	*o = json_object_array_get_idx(a, i);
		const char	*name = json_object_get_string(
		    json_object_object_get(o, "name"));

		s = advances ? arena_printf(r->a, "%s%s%s — %s", s, i ? ", " :
		    "", json_object_get_string(json_object_object_get(o,
		    "collaborator_name")), name) : arena_printf(r->a,
		    "%s%s%s", s, i ? ", " : "", name);
	}
	if (n > 10)
		s = arena_printf(r->a, "%s and %zu more", s, n - 10);
	return s;
}

/* POST /events/{event}/module-templates/{id}/delete — 303 to the list
 * (204 JSON): the template and its blocks. 403; 404; 409 archived,
 * stale version or in-use (advances and advance templates named); 412;
 * 422 no version. */
int
h_mtpl_delete(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t, full;
	json_object	*atpls, *advs, *ch;
	const char	*why;
	size_t		 na, nv;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_need_version(r, CFGDEL_VERSION) != 0)
		return fail_page(r, 422, &c, req_pathvar_id(r, 1), F_NONE, 0,
		    BK_CONTENT, NULL, NULL);
	if ((st = tpl_locked(r, &c, &t)) != 0)
		return st;
	if (page_if_match_stale(r, t.id, t.version))
		return 412;
	if (advcfg_version_stale(r, CFGDEL_VERSION, t.version))
		return advcfg_delete_stale(r, t.name, t.version);
	if (modtpl_users(r, c.ev.id, t.id, &atpls, &advs) != 0)
		return 503;
	na = json_object_array_length(atpls);
	nv = json_object_array_length(advs);
	if (na + nv > 0) {
		json_object	*v;

		why = arena_printf(r->a, "%s is in use%s%s%s%s. Remove it "
		    "there first; nothing was deleted.", t.name, nv ?
		    " by advances: " : "", nv ? names_of(r, advs, 1) : "",
		    na ? (nv ? "; and by advance templates: " :
		    " by advance templates: ") : "", na ? names_of(r, atpls,
		    0) : "");
		if ((st = advcfg_in_use(r, why)) != 0) {
			json_object_put(atpls);
			json_object_put(advs);
			return st;
		}
		if (modtpl_get(r, c.ev.id, t.id, &full) != 1)
			return 503;
		v = delete_view(r, &c, &full, atpls, advs);
		vset_str(v, "refusal", why);
		return advcfg_delete_page(r, 409,
		    "advconfig/module_template_delete", t.name, v);
	}
	json_object_put(atpls);
	json_object_put(advs);
	if (modtpl_delete(r, c.ev.id, t.id) < 0)
		return 503;
	ch = advcfg_change(NULL, "name", t.name, NULL);
	ch = advcfg_change(ch, "label", t.label, NULL);
	if (advcfg_commit(r, &c, "module_template.deleted", "module_template",
	    t.id, t.name, ch) != 0)
		return 503;
	return advcfg_deleted(r, &c, "/module-templates", arena_printf(r->a,
	    "%s was deleted.", t.name));
}

/* --- blocks -------------------------------------------------------------- */

/* A block as sent, against cur (NULL: new, of kind). */
struct blockin {
	struct mblock_fields f;
	struct optedit	 oe;
};

/* A text field; new blocks (force) read it even when JSON leaves it
 * out, so a required one is missing rather than kept. */
static void
read_text(struct req *r, int idx, const char **dst, const char *field,
    const char *required, int force)
{
	if (!force && !advcfg_sent(r, idx))
		return;
	*dst = r->in[idx].present ? r->in[idx].s : NULL;
	if (*dst == NULL && required != NULL && !advcfg_has_error(r, field))
		valid_error(r, field, "required", required);
}

static void
read_flag(struct req *r, int idx, int *dst)
{
	if (advcfg_sent(r, idx))
		*dst = r->in[idx].present && r->in[idx].i;
}

/* A number bound: canonical decimal or NULL. */
static void
read_bound(struct req *r, int idx, const char *field, const char **dst)
{
	const char	*msg;
	char		*canon;

	if (!advcfg_sent(r, idx))
		return;
	if (!r->in[idx].present) {
		*dst = NULL;
		return;
	}
	if ((msg = rt_number_check(r->a, r->in[idx].s, &canon)) != NULL) {
		if (!advcfg_has_error(r, field))
			valid_error(r, field, "invalid", msg);
		return;
	}
	*dst = canon;
}

static void
from_block(const struct mblock *b, struct mblock_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = b->kind;
	f->body = b->body;
	f->label = b->label;
	f->prompt = b->prompt;
	f->help = b->help;
	f->rtype = b->rtype;
	f->required = b->required;
	f->num_min = b->num_min;
	f->num_max = b->num_max;
	f->num_whole = b->num_whole;
	f->item_label = b->item_label;
	f->asset_type_id = b->asset_type_id;
	f->needs_op = b->needs_op;
	f->needs_res = b->needs_res;
	f->procurement = b->procurement;
	f->max_items = b->max_items;
	f->retired = b->retired;
}

/* Read the fields of the block's kind; check what depends on the
 * event (the asset type). 0, or -1 on a database error. */
static int
read_block(struct req *r, const struct event_ctx *c, const struct mblock *cur,
    enum block_kind kind, struct blockin *in)
{
	struct mblock_fields *f = &in->f;
	struct atype	 at;
	int		 st;

	memset(in, 0, sizeof(*in));
	if (cur != NULL)
		from_block(cur, f);
	else {
		f->kind = kind;
		f->rtype = RT_TEXT;
		f->item_label = "Item";
	}
	read_flag(r, MBLK_RETIRED, &f->retired);
	switch (f->kind) {
	case BK_CONTENT:
		read_text(r, MBLK_BODY, &f->body, "body", "Content is required: "
		    "the Markdown respondents read.", cur == NULL);
		break;
	case BK_QUESTION:
		read_text(r, MBLK_LABEL, &f->label, "label", "Label is "
		    "required.", cur == NULL);
		if (f->label != NULL && utf8_len(f->label, strlen(f->label)) >
		    QUESTION_LABEL_MAX && !advcfg_has_error(r, "label"))
			valid_error(r, "label", "length", "A question's label "
			    "is at most 100 characters (it heads the Advance "
			    "Manager's column).");
		read_text(r, MBLK_PROMPT, &f->prompt, "prompt", NULL, 0);
		read_text(r, MBLK_HELP, &f->help, "help", NULL, 0);
		if (cur == NULL || advcfg_sent(r, MBLK_TYPE)) {
			if (!r->in[MBLK_TYPE].present) {
				if (!advcfg_has_error(r, "response_type"))
					valid_error(r, "response_type",
					    "required", "Response type is "
					    "required.");
			} else if (rtype_parse(r->in[MBLK_TYPE].s,
			    &f->rtype) != 0)
				valid_error(r, "response_type", "invalid",
				    "Pick a response type from the list.");
		}
		read_flag(r, MBLK_REQUIRED, &f->required);
		read_bound(r, MBLK_MIN, "min", &f->num_min);
		read_bound(r, MBLK_MAX, "max", &f->num_max);
		read_flag(r, MBLK_WHOLE, &f->num_whole);
		if (f->rtype == RT_NUMBER && f->num_min != NULL &&
		    f->num_max != NULL && strtod(f->num_min, NULL) >
		    strtod(f->num_max, NULL) && !advcfg_has_error(r, "max"))
			valid_error(r, "max", "range", "The maximum must not be "
			    "below the minimum.");
		(void)advcfg_options_read(r, advcfg_options_field(r),
		    MBLK_OPTIONS, MBLK_RESTORE, cur ? cur->opts : NULL, cur ? cur->nopts : 0,
		    &in->oe);
		break;
	case BK_REQUEST:
		/* The request's name travels as name (or label). */
		if (r->in[MBLK_NAME].present)
			f->label = r->in[MBLK_NAME].s;
		else if (r->in[MBLK_LABEL].present)
			f->label = r->in[MBLK_LABEL].s;
		else if ((cur == NULL || advcfg_sent(r, MBLK_NAME)) &&
		    !advcfg_has_error(r, "name"))
			valid_error(r, "name", "required", "Name is required.");
		if (advcfg_sent(r, MBLK_ITEM_LABEL))
			f->item_label = r->in[MBLK_ITEM_LABEL].present ?
			    r->in[MBLK_ITEM_LABEL].s : "Item";
		if (advcfg_sent(r, MBLK_ASSET_TYPE))
			f->asset_type_id = r->in[MBLK_ASSET_TYPE].present ?
			    r->in[MBLK_ASSET_TYPE].i : 0;
		read_flag(r, MBLK_NEEDS_OP, &f->needs_op);
		read_flag(r, MBLK_NEEDS_RES, &f->needs_res);
		read_flag(r, MBLK_PROCUREMENT, &f->procurement);
		if (advcfg_sent(r, MBLK_MAX_ITEMS))
			f->max_items = r->in[MBLK_MAX_ITEMS].present ?
			    r->in[MBLK_MAX_ITEMS].i : 0;
		if (f->asset_type_id > 0) {
			if ((st = atype_get(r, c->ev.id, f->asset_type_id,
			    &at)) < 0)
				return -1;
			if (st == 0)
				valid_error(r, "asset_type_id", "invalid",
				    "Pick an asset type of this event.");
		}
		if (f->procurement && f->asset_type_id <= 0)
			valid_error(r, "procurement_eligible", "needs-asset-type",
			    "Procurement needs an asset type: pick one, or "
			    "untick procurement eligible.");
		break;
	}
	return 0;
}

/* Select questions need 1–200 offered options (after the in-use ones
 * were kept); sets f.options. */
static void
check_options(struct req *r, const struct mblock *cur, struct blockin *in)
{
	size_t	 n = 0, i;

	if (in->f.kind != BK_QUESTION || !rtype_has_options(in->f.rtype)) {
		in->f.options = NULL;
		return;
	}
	if (!in->oe.given) {
		in->f.options = cur ? rt_options_text(r->a, cur->opts,
		    cur->nopts) : NULL;
		for (i = 0; cur != NULL && i < cur->nopts; i++)
			n += !cur->opts[i].retired;
	} else {
		n = advcfg_options_active(&in->oe);
		in->f.options = advcfg_options_text(r, advcfg_options_field(r),
		    &in->oe);
	}
	if ((n < 1 || n > RT_OPTIONS_MAX) &&
	    !advcfg_has_error(r, advcfg_options_field(r)))
		valid_error(r, advcfg_options_field(r), "count", "A select "
		    "needs 1 to 200 options, one a line.");
}

static json_object *
block_changes(struct req *r, const struct mblock *old,
    const struct mblock_fields *f)
{
	json_object	*ch = NULL;
	const char	*oo = old && old->kind == BK_QUESTION &&
	    rtype_has_options(old->rtype) ? rt_options_text(r->a, old->opts,
	    old->nopts) : NULL;

	ch = advcfg_change(ch, "kind", old ? block_kind_name(old->kind) :
	    NULL, block_kind_name(f->kind));
	switch (f->kind) {
	case BK_CONTENT:
		ch = md_change(ch, "body", old ? old->body : NULL, f->body);
		break;
	case BK_QUESTION:
		ch = advcfg_change(ch, "label", old ? old->label : NULL,
		    f->label);
		ch = md_change(ch, "prompt", old ? old->prompt : NULL,
		    f->prompt);
		ch = md_change(ch, "help", old ? old->help : NULL, f->help);
		ch = advcfg_change(ch, "response_type", old ?
		    rtype_name(old->rtype) : NULL, rtype_name(f->rtype));
		ch = advcfg_change_int(ch, "required", old ? old->required : 0,
		    f->required);
		ch = advcfg_change(ch, "options", oo, f->options);
		ch = advcfg_change(ch, "min", old ? old->num_min : NULL,
		    f->rtype == RT_NUMBER ? f->num_min : NULL);
		ch = advcfg_change(ch, "max", old ? old->num_max : NULL,
		    f->rtype == RT_NUMBER ? f->num_max : NULL);
		ch = advcfg_change_int(ch, "whole", old ? old->num_whole : 0,
		    f->rtype == RT_NUMBER && f->num_whole);
		break;
	case BK_REQUEST:
		ch = advcfg_change(ch, "name", old ? old->label : NULL,
		    f->label);
		ch = advcfg_change(ch, "item_label", old ? old->item_label :
		    NULL, f->item_label);
		ch = advcfg_change_int(ch, "asset_type_id", old ?
		    old->asset_type_id : 0, f->asset_type_id);
		ch = advcfg_change_int(ch, "needs_operational_approval", old ?
		    old->needs_op : 0, f->needs_op);
		ch = advcfg_change_int(ch, "needs_resource_approval", old ?
		    old->needs_res : 0, f->needs_res);
		ch = advcfg_change_int(ch, "procurement_eligible", old ?
		    old->procurement : 0, f->procurement);
		ch = advcfg_change_int(ch, "max_items", old ? old->max_items :
		    0, f->max_items);
		break;
	}
	ch = advcfg_change_int(ch, "retired", old ? old->retired : 0,
	    f->retired);
	return ch;
}

/* The label a block goes by in messages and the audit log. */
static const char *
block_name(struct req *r, const struct mblock_fields *f, int64_t number)
{
	if (f->kind != BK_CONTENT && f->label != NULL)
		return f->label;
	return arena_printf(r->a, "Content block %lld", (long long)number);
}

/* A block added, changed or removed (st: the model's result, 0 done):
 * the template's version raised (forms and If-Match name it), the
 * task tracking of its advances synced, the audit entry, commit. 0,
 * or 503; ch released. */
static int
block_commit(struct req *r, const struct event_ctx *c, const struct mtpl *t,
    int st, const char *action, int64_t bid, const char *name,
    json_object *ch)
{
	vset_int(ch, "module_template_id", t->id);
	if (st != 0 || modtpl_touch(r, c->ev.id, t->id, t->version) != 1 ||
	    advtrack_sync_template(r, c->ev.id, t->id) != 0) {
		json_object_put(ch);
		return 503;
	}
	return advcfg_commit(r, c, action, "module_block", bid, name, ch);
}

/* POST /events/{event}/module-templates/{id}/blocks — 303 to the block
 * (201 JSON with it): a content, question or request block inserted at
 * position (default last). 403; 404; 409 archived; 412 stale If-Match
 * (the template's); 422 kind, content, label ≤ 100, response type,
 * options 1–200, min ≤ max, asset type, procurement without asset
 * type, maximum items 1–999. */
int
h_mblock_create(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct mblock	*bs;
	struct blockin	 in;
	enum block_kind	 kind = BK_CONTENT;
	json_object	*ch;
	int64_t		 pos, id;
	size_t		 n;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = tpl_locked(r, &c, &t)) != 0)
		return st;
	if (page_if_match_stale(r, t.id, t.version))
		return 412;
	if (kind_parse(r->in[MBLK_KIND].s, &kind) != 0) {
		valid_error(r, "kind", "invalid", "Kind must be content, "
		    "question or request.");
		return fail_page(r, 422, &c, t.id, F_NONE, 0, BK_CONTENT, NULL,
		    NULL);
	}
	if (read_block(r, &c, NULL, kind, &in) != 0)
		return 503;
	check_options(r, NULL, &in);
	if ((bs = modblock_list(r, c.ev.id, t.id, &n)) == NULL &&
	    n == (size_t)-1)
		return 503;
	if (n >= MODTPL_BLOCKS_MAX)
		valid_error(r, "kind", "too-many", "A module template has at "
		    "most 500 blocks.");
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_NEW_BLOCK, 0, kind, NULL,
		    NULL);
	/* Insert before the block at index position (default last). */
	pos = r->in[MBLK_POSITION].present ? r->in[MBLK_POSITION].i :
	    (int64_t)n;
	if (pos < (int64_t)n)
		pos = bs[pos].position;
	else
		pos = n > 0 ? bs[n - 1].position + 1 : 0;
	id = modtpl_block_insert(r, c.ev.id, t.id, pos, &in.f);
	ch = block_changes(r, NULL, &in.f);
	if (block_commit(r, &c, &t, id < 0, "module_block.created", id,
	    block_name(r, &in.f, (int64_t)n + 1), ch) != 0)
		return 503;
	return block_written(r, &c, t.id, id, 201, "created",
	    arena_printf(r->a, "The %s block was added.",
	    block_kind_name(kind)));
}

/* Lock the template, read {b}: 0, or the status sent. */
static int
block_locked(struct req *r, const struct event_ctx *c, struct mtpl *t,
    struct mblock *b)
{
	int64_t	 bid = req_pathvar_id(r, 2);
	int	 st;

	if (bid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = tpl_locked(r, c, t)) != 0)
		return st;
	if ((st = advcfg_found(r, modblock_get(r, c->ev.id, t->id, bid,
	    b))) != 0)
		return st;
	if (page_if_match_stale(r, b->id, b->version))
		return 412;
	return 0;
}

static int
block_stale(struct req *r, const struct event_ctx *c, const struct mtpl *t,
    const struct mblock *b, json_object *rows)
{
	int	 st;

	if ((st = advcfg_stale(r, "The block", b->version, &rows)) != 0)
		return st;
	return fail_page(r, 409, c, t->id, F_BLOCK, b->id, b->kind, rows,
	    NULL);
}

/* A refusal because answers exist: JSON 409 in-use, HTML the editor
 * with the block's form open and the reason. */
static int
in_use(struct req *r, const struct event_ctx *c, int64_t tid, int64_t bid,
    const char *why)
{
	if (r->fmt == FMT_JSON)
		return page_refuse(r, 409, "in-use", why);
	r->nerrors = 0;
	return fail_page(r, 409, c, tid, F_BLOCK, bid, BK_CONTENT, NULL, why);
}

/* POST /events/{event}/module-templates/{id}/blocks/{b} — 303 (200 JSON
 * with the block's new ETag): the fields of its kind; options left out
 * that answers use are retired; retired may be set or cleared. 403;
 * 404; 409 archived, stale version (both values shown), or a response
 * type (asset type) change of an answered question (request with
 * items); 412; 422 as for creation. */
int
h_mblock_update(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct mblock	 b;
	struct mblock_use *us;
	struct blockin	 in;
	enum block_kind	 kind;
	json_object	*ch, *rows;
	int64_t		 answers = 0, items = 0;
	size_t		 nu, i;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = block_locked(r, &c, &t, &b)) != 0)
		return st;
	if (r->in[MBLK_KIND].present && (kind_parse(r->in[MBLK_KIND].s,
	    &kind) != 0 || kind != b.kind))
		valid_error(r, "kind", "fixed", "A block's kind can't change; "
		    "add a new block instead.");
	if (read_block(r, &c, &b, b.kind, &in) != 0)
		return 503;
	if (advcfg_version_stale(r, MBLK_VERSION, b.version)) {
		rows = json_object_new_array();
		check_options(r, &b, &in);
		advcfg_conflict_row(rows, "Content", in.f.body, b.body);
		advcfg_conflict_row(rows, b.kind == BK_REQUEST ? "Name" :
		    "Label", in.f.label, b.label);
		advcfg_conflict_row(rows, "Prompt", in.f.prompt, b.prompt);
		advcfg_conflict_row(rows, "Help text", in.f.help, b.help);
		if (b.kind == BK_QUESTION) {
			advcfg_conflict_row(rows, "Response type",
			    rtype_label(in.f.rtype), rtype_label(b.rtype));
			advcfg_conflict_row(rows, "Required", in.f.required ?
			    "Yes" : "No", b.required ? "Yes" : "No");
			advcfg_conflict_row(rows, "Options",
			    advcfg_options_lines(r, in.oe.given ? in.oe.opts :
			    b.opts, in.oe.given ? in.oe.nopts : b.nopts),
			    advcfg_options_lines(r, b.opts, b.nopts));
		}
		if (b.kind == BK_REQUEST)
			advcfg_conflict_row(rows, "Line-item label",
			    in.f.item_label, b.item_label);
		return block_stale(r, &c, &t, &b, rows);
	}
	if (r->nerrors) {
		check_options(r, &b, &in);
		return fail_page(r, 422, &c, t.id, F_BLOCK, b.id, b.kind, NULL,
		    NULL);
	}
	if ((us = modtpl_block_use(r, c.ev.id, t.id, &nu)) == NULL &&
	    nu == (size_t)-1)
		return 503;
	for (i = 0; i < nu; i++)
		if (us[i].block_id == b.id) {
			answers = us[i].answers;
			items = us[i].items;
		}
	if (b.kind == BK_QUESTION && in.f.rtype != b.rtype && answers > 0)
		return in_use(r, &c, t.id, b.id, arena_printf(r->a, "The "
		    "response type of “%s” can't change: it has %s. Retire "
		    "this question and add a new one instead.", b.label,
		    advcfg_plural(r, answers, "answer", "answers")));
	if (b.kind == BK_REQUEST && in.f.asset_type_id != b.asset_type_id &&
	    items > 0)
		return in_use(r, &c, t.id, b.id, arena_printf(r->a, "The asset "
		    "type of “%s” can't change: it has %s. Retire this "
		    "request and add a new one instead.", b.label,
		    advcfg_plural(r, items, "line item", "line items")));
	if (b.kind == BK_QUESTION && in.oe.given && in.oe.ndropped > 0 &&
	    answers > 0) {
		char	**vals;
		size_t	 nv;

		if ((vals = modtpl_block_values(r, c.ev.id, b.id, &nv)) ==
		    NULL && nv == (size_t)-1)
			return 503;
		advcfg_options_keep_used(r, &in.oe, vals, nv);
	}
	check_options(r, &b, &in);
	if (r->nerrors)
		return fail_page(r, 422, &c, t.id, F_BLOCK, b.id, b.kind, NULL,
		    NULL);
	if ((ch = block_changes(r, &b, &in.f)) == NULL) {
		db_rollback();
		return block_written(r, &c, t.id, b.id, 200, "unchanged",
		    "Nothing was changed.");
	}
	if ((st = modtpl_block_update(r, c.ev.id, t.id, b.id, b.version,
	    &in.f)) != 1) {
		json_object_put(ch);
		if (st < 0)
			return 503;
		return block_stale(r, &c, &t, &b, NULL);
	}
	if (block_commit(r, &c, &t, 0, "module_block.updated", b.id,
	    block_name(r, &in.f, b.position + 1), ch) != 0)
		return 503;
	return block_written(r, &c, t.id, b.id, 200, "updated",
	    arena_printf(r->a, "%s was saved.", block_name(r, &in.f,
	    b.position + 1)));
}

/* The start of a move or a removal of {b}: gated, a move's position or
 * a removal's version checked, the template locked, {b} read and the
 * version named checked (the block's own). 0, or the status sent. */
static int
block_open(struct req *r, struct event_ctx *c, struct mtpl *t,
    struct mblock *b, int removal)
{
	int	 st;

	if ((st = advcfg_gate(r, c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_row_invalid(r, removal))
		return fail_page(r, 422, c, req_pathvar_id(r, 1), F_NONE, 0,
		    BK_CONTENT, NULL, NULL);
	if ((st = block_locked(r, c, t, b)) != 0)
		return st;
	if (advcfg_row_stale(r, removal, b->version))
		return block_stale(r, c, t, b, NULL);
	return 0;
}

/* POST /events/{event}/module-templates/{id}/blocks/{b}/move — 303 (200
 * JSON): the block moves to position (0 first, past the end last).
 * 403; 404; 409 archived or stale version; 412; 422 no position. */
int
h_mblock_move(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct mblock	 b, *bs;
	json_object	*ch;
	int64_t		 to, from = 0;
	size_t		 n, i;
	int		 st;

	if ((st = block_open(r, &c, &t, &b, 0)) != 0)
		return st;
	if ((bs = modblock_list(r, c.ev.id, t.id, &n)) == NULL)
		return 503;
	to = advcfg_move_to(r, n);
	for (i = 0; i < n; i++)
		if (bs[i].id == b.id)
			from = (int64_t)i;
	if (modtpl_block_move(r, c.ev.id, t.id, &b, bs[to].position) != 0 ||
	    modtpl_touch(r, c.ev.id, t.id, t.version) != 1)
		return 503;
	ch = advcfg_change_int(NULL, "position", from, to);
	vset_int(ch, "module_template_id", t.id);
	if (advcfg_commit(r, &c, "module_block.moved", "module_block", b.id,
	    b.label != NULL ? b.label : "Content block", ch) != 0)
		return 503;
	return block_written(r, &c, t.id, b.id, 200, "moved", "The block was "
	    "moved.");
}

/* POST /events/{event}/module-templates/{id}/blocks/{b}/delete — 303
 * (200 JSON with "result": deleted, or retired when answered anywhere:
 * hidden from respondents, kept for staff). 403; 404; 409 archived or
 * stale version; 412; 422 no version. */
int
h_mblock_delete(struct req *r)
{
	struct event_ctx c;
	struct mtpl	 t;
	struct mblock	 b;
	struct mblock_use *us;
	json_object	*ch;
	const char	*name;
	int64_t		 answers = 0, items = 0;
	size_t		 nu, i;
	int		 st, retire;

	if ((st = block_open(r, &c, &t, &b, 1)) != 0)
		return st;
	if ((us = modtpl_block_use(r, c.ev.id, t.id, &nu)) == NULL &&
	    nu == (size_t)-1)
		return 503;
	for (i = 0; i < nu; i++)
		if (us[i].block_id == b.id) {
			answers = us[i].answers;
			items = us[i].items;
		}
	retire = answers + items > 0;
	name = b.kind != BK_CONTENT && b.label != NULL ? b.label :
	    "Content block";
	ch = advcfg_change(NULL, "kind", block_kind_name(b.kind), NULL);
	if (retire) {
		vset_int(ch, "answers", answers);
		vset_int(ch, "line_items", items);
		st = b.retired ? 1 : modtpl_block_retire(r, c.ev.id, t.id,
		    b.id, b.version);
		if (st == 0) {
			json_object_put(ch);
			return block_stale(r, &c, &t, &b, NULL);
		}
	} else
		st = modtpl_block_delete(r, c.ev.id, t.id, &b) == 0 ? 1 : -1;
	if (block_commit(r, &c, &t, st < 0, retire ? "module_block.retired" :
	    "module_block.deleted", b.id, name, ch) != 0)
		return 503;
	return block_written(r, &c, t.id, retire ? b.id : 0, 200, retire ?
	    "retired" : "deleted", retire ? arena_printf(r->a, "“%s” has %s, "
	    "so it was retired: hidden from respondents and out of "
	    "completion, kept for staff.", name, answers > 0 ? advcfg_plural(r,
	    answers, "answer", "answers") : advcfg_plural(r, items, "line item",
	    "line items")) : arena_printf(r->a, "“%s” was removed.", name));
}
