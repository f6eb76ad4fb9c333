/* advtemplates.c — advance templates (PRODUCT §13.3): the list,
 * creation, the editor with its ordered modules, removal.
 *
 * Each module names a module template (once per advance template), a
 * default due date (none, a fixed date, or N days before the event
 * starts), required, task-tracked, requires submission and an optional
 * default reviewer, who must be a user of the event holding advancing
 * admin for the whole event (422 otherwise). A template is only a
 * starting point: deleting or editing it never touches advances made
 * from it (they keep their modules and lose the reference).
 *
 * Modules carry the template's version; every change to them raises
 * it. Writes lock the template row first. */
#include <string.h>
#include <time.h>

#include "etag.h"
#include "deny.h"
#include "advconfig.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "model/advtpl.h"
#include "model/audit.h"
#include "model/eventuser.h"
#include "model/modtpl.h"
#include "policy/perm.h"
#include "policy/tz.h"
#include "render/view.h"

/* --- small helpers ------------------------------------------------------- */

static const char *
atpl_url(struct req *r, const struct event_ctx *c, int64_t id,
    const char *suffix)
{
	return arena_printf(r->a, "/events/%lld/advance-templates/%lld%s",
	    (long long)c->ev.id, (long long)id, suffix);
}

/* The event's start minus days, as a local date. */
static const char *
days_before(struct req *r, const struct event_ctx *c, int64_t days)
{
	int64_t	 d;
	time_t	 t;
	struct tm tm;

	if (tz_parse_date(c->ev.start_date, &d) != 0)
		return NULL;
	t = (time_t)((d - days) * 86400);
	if (gmtime_r(&t, &tm) == NULL)
		return NULL;
	return arena_printf(r->a, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
}

static const char *
due_text(struct req *r, const struct event_ctx *c, const struct atmod *m)
{
	switch (m->due_kind) {
	case DUE_FIXED:
		return arena_printf(r->a, "Due %s", m->due_date);
	case DUE_BEFORE:
		return arena_printf(r->a, "Due %s before the event starts "
		    "(%s)", advcfg_plural(r, m->due_days, "day", "days"),
		    days_before(r, c, m->due_days));
	default:
		return "No default due date";
	}
}

/* The people who may be a default reviewer: users of the event holding
 * advancing admin for the whole event (license ceiling applied). Two
 * queries. NULL with *n = (size_t)-1 on error. */
struct person {
	int64_t		 id;
	const char	*name;
	const char	*email;
};

static struct person *
reviewers(struct req *r, const struct event_ctx *c, size_t *np)
{
	struct event_user *us;
	struct eu_grant	*gs;
	struct grant	*all;
	struct person	*out;
	struct perm_target t;
	size_t		 nu, ng, i, lo, hi, mid;

	*np = (size_t)-1;
	if (eu_list(r, c->ev.id, &us, &nu) != 0 ||
	    eu_grants(r, c->ev.id, 0, &gs, &ng) != 0)
		return NULL;
	*np = 0;
	out = arena_calloc(r->a, nu + 1, sizeof(*out));
	/* Grants come ordered by user: each user's are one run of all[]. */
	all = arena_calloc(r->a, ng + 1, sizeof(*all));
	for (i = 0; i < ng; i++)
		all[i] = gs[i].g;
	target_event(&t);
	for (i = 0; i < nu; i++) {
		struct perm_actor a;

		for (lo = 0, hi = ng; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (gs[mid].user_id < us[i].user_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (hi = lo; hi < ng && gs[hi].user_id == us[i].user_id; hi++)
			;
		memset(&a, 0, sizeof(a));
		a.lc = us[i].lc;
		a.event_user = 1;
		a.collab_id = us[i].collab_id;
		a.org_admin = us[i].org_admin;
		a.grants = &all[lo];
		a.ngrants = hi - lo;
		if (perm_level(&a, SEC_ADVANCING, &t) < LV_ADMIN)
			continue;
		out[*np].id = us[i].user_id;
		out[*np].name = us[i].name;
		out[*np].email = us[i].email;
		(*np)++;
	}
	return out;
}

static json_object *
reviewer_choices(const struct person *ps, size_t n, int64_t sel)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", "No default reviewer");
	vset_bool(o, "selected", sel <= 0);
	json_object_array_add(a, o);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		vset_int(o, "value", ps[i].id);
		vset_str(o, "label", ps[i].name);
		vset_bool(o, "selected", ps[i].id == sel);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
due_choices(enum due_kind sel)
{
	static const char *const labels[] = { "No default due date",
	    "A fixed date", "Days before the event starts" };
	json_object	*a = json_object_new_array();
	int		 i;

	for (i = 0; i < 3; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", due_kind_name((enum due_kind)i));
		vset_str(o, "label", labels[i]);
		vset_bool(o, "selected", i == (int)sel);
		json_object_array_add(a, o);
	}
	return a;
}

/* --- view models --------------------------------------------------------- */

enum failed { F_NONE, F_TPL, F_NEW_MOD, F_MOD };

struct pagefail {
	enum failed	 what;
	int64_t		 id;
	json_object	*conflict;
};

/* The form of a module (m NULL: the add form). */
static json_object *
mod_form(struct req *r, const struct atmod *m, int typed,
    const struct person *ps, size_t nps)
{
	json_object	*f = json_object_new_object();
	const struct input *in = r->in;
	enum due_kind	 k = m ? m->due_kind : DUE_NONE;
	int64_t		 rev = m ? m->reviewer_id : 0;

	if (typed) {
		if (in[ATMOD_DUE_KIND].present)
			(void)due_kind_parse(in[ATMOD_DUE_KIND].s, &k);
		vset_str(f, "due_date", in[ATMOD_DUE_DATE].s);
		vset_str(f, "due_days", in[ATMOD_DUE_DAYS].s);
		vset_bool(f, "required", in[ATMOD_REQUIRED].i);
		vset_bool(f, "task_tracked", in[ATMOD_TRACKED].i);
		vset_bool(f, "requires_submission", in[ATMOD_SUBMISSION].i);
		rev = in[ATMOD_REVIEWER].present ? in[ATMOD_REVIEWER].i : 0;
		vset_int(f, "module_template_id", in[ATMOD_TEMPLATE].present ?
		    in[ATMOD_TEMPLATE].i : 0);
	} else {
		vset_str(f, "due_date", m && m->due_kind == DUE_FIXED ?
		    m->due_date : NULL);
		vset_str(f, "due_days", m && m->due_kind == DUE_BEFORE ?
		    arena_printf(r->a, "%lld", (long long)m->due_days) : NULL);
		vset_bool(f, "required", m ? m->required : 1);
		vset_bool(f, "task_tracked", m ? m->tracked : 0);
		vset_bool(f, "requires_submission", m ? m->submission : 0);
	}
	vset_obj(f, "due_kinds", due_choices(k));
	vset_obj(f, "reviewers", reviewer_choices(ps, nps, rev));
	return f;
}

static json_object *
template_choices(const struct mtpl *ts, size_t n, const struct atmod *ms,
    size_t nm, int64_t sel)
{
	json_object	*a = json_object_new_array();
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		json_object	*o;

		for (j = 0; j < nm; j++)
			if (ms[j].module_template_id == ts[i].id)
				break;
		if (j < nm)
			continue;
		o = json_object_new_object();
		vset_int(o, "value", ts[i].id);
		vset_str(o, "label", ts[i].name);
		vset_str(o, "category", ts[i].category_name);
		vset_bool(o, "selected", ts[i].id == sel);
		json_object_array_add(a, o);
	}
	return a;
}

/* The editor: the template, its modules with forms, the add form. Four
 * queries after the template's own, whatever the number of modules. */
static int
editor_view(struct req *r, const struct event_ctx *c, const struct atpl *t,
    const struct pagefail *pf, json_object **vp)
{
	struct atmod	*ms;
	struct mtpl	*ts;
	struct person	*ps;
	json_object	*v, *o, *mods, *f;
	size_t		 nm, nt, nps, i;

	if (((ms = advtpl_modules(r, c->ev.id, t->id, &nm)) == NULL &&
	    nm == (size_t)-1) ||
	    ((ts = modtpl_list(r, c->ev.id, &nt)) == NULL &&
	    nt == (size_t)-1) ||
	    ((ps = reviewers(r, c, &nps)) == NULL && nps == (size_t)-1))
		return -1;
	v = advcfg_view(r, c, "advance-templates");
	o = advtpl_json(r, t);
	mods = json_object_new_array();
	for (i = 0; i < nm; i++) {
		const struct atmod *m = &ms[i];
		json_object	*x = atmod_json(m);
		const char	*u = atpl_url(r, c, t->id, arena_printf(r->a,
		    "/modules/%lld", (long long)m->id));
		int		 mine = pf->what == F_MOD && pf->id == m->id;

		vset_str(x, "icon_glyph", advcfg_icon_glyph(m->mt_icon));
		vset_str(x, "due_text", due_text(r, c, m));
		advcfg_row_json(r, x, u, i, nm, m->mt_name);
		vset_str(x, "module_template_url", arena_printf(r->a,
		    "/events/%lld/module-templates/%lld", (long long)c->ev.id,
		    (long long)m->module_template_id));
		vset_int(x, "number", (long long)i + 1);
		vset_str(x, "id_prefix", arena_printf(r->a, "mod%lld",
		    (long long)m->id));
		vset_obj(x, "form", mod_form(r, m, mine, ps, nps));
		advcfg_form_state(x, mine, pf->what != F_NONE, pf->conflict);
		json_object_array_add(mods, x);
	}
	vset_obj(o, "modules", mods);
	vset_obj(v, "advance_template", o);
	vset_bool(v, "has_modules", nm > 0);
	vset_str(v, "modules_text", advcfg_plural(r, (int64_t)nm, "module",
	    "modules"));
	vset_str(v, "advances_text", t->nadvances > 0 ? arena_printf(r->a,
	    "%s were made from it; they keep their own modules whatever "
	    "happens here.", advcfg_plural(r, t->nadvances, "advance",
	    "advances")) :
	    NULL);
	vset_str(v, "list_url", advcfg_url(r, c, "/advance-templates"));
	vset_str(v, "action_url", atpl_url(r, c, t->id, ""));
	vset_str(v, "delete_url", atpl_url(r, c, t->id, "/delete"));
	vset_str(v, "module_templates_url", advcfg_url(r, c,
	    "/module-templates"));
	vset_int(v, "version", t->version);
	vset_str(v, "event_start", c->ev.start_date);
	f = json_object_new_object();
	vset_str(f, "name", pf->what == F_TPL ? r->in[ATPL_NAME].s : t->name);
	advcfg_form_state(f, pf->what == F_TPL, pf->what != F_NONE,
	    pf->conflict);
	vset_obj(v, "settings_form", f);
	f = mod_form(r, NULL, pf->what == F_NEW_MOD, ps, nps);
	vset_obj(f, "module_templates", template_choices(ts, nt, ms, nm,
	    pf->what == F_NEW_MOD && r->in[ATMOD_TEMPLATE].present ?
	    r->in[ATMOD_TEMPLATE].i : 0));
	vset_bool(f, "has_choices", nt > nm);
	vset_str(f, "action_url", atpl_url(r, c, t->id, "/modules"));
	vset_str(f, "id_prefix", "newmod");
	advcfg_form_state(f, pf->what == F_NEW_MOD, pf->what != F_NONE, NULL);
	vset_obj(v, "new_module", f);
	*vp = v;
	return 0;
}

static int
editor_page(struct req *r, int status, const struct event_ctx *c,
    int64_t id, enum failed what, int64_t which, json_object *conflict)
{
	struct atpl	 t;
	struct pagefail	 pf;
	json_object	*v;
	int		 st;

	/* The request's, whatever happens: the view takes its own
	 * reference. */
	if (conflict != NULL)
		(void)req_own_json(r, conflict);
	if (db_in_txn())
		db_rollback();
	if ((st = advcfg_found(r, advtpl_get(r, c->ev.id, id, &t))) != 0)
		return st;
	pf.what = what;
	pf.id = which;
	pf.conflict = conflict;
	st = editor_view(r, c, &t, &pf, &v);
	if (st != 0)
		return 503;
	return advcfg_page(r, status, "advconfig/advance_template", t.name, v);
}

/* After a write: JSON the template with its modules (ETag), HTML a
 * flash and 303 to the editor. */
static int
written(struct req *r, const struct event_ctx *c, int64_t id, int status,
    const char *anchor, const char *msg)
{
	struct atpl	 t;
	struct atmod	*ms;
	json_object	*o, *a;
	size_t		 n, i;

	if (r->fmt == FMT_JSON) {
		if (advtpl_get(r, c->ev.id, id, &t) != 1 ||
		    ((ms = advtpl_modules(r, c->ev.id, id, &n)) == NULL &&
		    n == (size_t)-1))
			return 503;
		o = advtpl_json(r, &t);
		a = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(a, atmod_json(&ms[i]));
		vset_obj(o, "modules", a);
		return advcfg_json_written(r, status, "advance_template", o,
		    t.id, t.version, anchor == NULL ? atpl_url(r, c, id, "") :
		    NULL, NULL);
	}
	return advcfg_redirect(r, msg, atpl_url(r, c, id, ""), anchor);
}

/* --- list, new, show ----------------------------------------------------- */

/* GET /events/{event}/advance-templates — 200 every advance template by
 * name with counts ({"items": […]}); one query whatever their number;
 * 404 not staff. */
int
h_atpls(struct req *r)
{
	struct event_ctx c;
	struct atpl	*ts;
	json_object	*v, *items;
	size_t		 n, i;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if ((ts = advtpl_list(r, c.ev.id, &n)) == NULL && n != 0)
		return 503;
	v = advcfg_view(r, &c, "advance-templates");
	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object	*o = advtpl_json(r, &ts[i]);

		vset_str(o, "url", atpl_url(r, &c, ts[i].id, ""));
		vset_str(o, "modules_text", advcfg_plural(r, ts[i].nmodules,
		    "module", "modules"));
		vset_str(o, "advances_text", ts[i].nadvances > 0 ?
		    advcfg_plural(r, ts[i].nadvances, "advance", "advances") :
		    NULL);
		json_object_array_add(items, o);
	}
	advcfg_list_into(v, items, n);
	vset_str(v, "new_url", advcfg_url(r, &c, "/advance-templates/new"));
	return render_page(r, 200, "advconfig/advance_templates",
	    "Advance templates", v);
}

static int
new_page(struct req *r, int status, const struct event_ctx *c, int typed)
{
	static const struct advcfg_new n = { "advance-templates",
	    "/advance-templates", "Advance templates", "advance template",
	    "Modules come next, in the template's editor." };
	json_object	*f = json_object_new_object();

	vset_str(f, "name", typed ? r->in[ATPL_NAME].s : NULL);
	return advcfg_new_page(r, status, "advconfig/advance_template_new",
	    &n, advcfg_new_view(r, c, &n, f));
}

/* GET /events/{event}/advance-templates/new — 200 the form; 403; 404;
 * 409 archived. */
int
h_atpl_new(struct req *r)
{
	return advcfg_new_form(r, new_page);
}

/* GET /events/{event}/advance-templates/{id} — 200 the template with
 * its modules ({"advance_template"}, strong ETag; the editor for
 * admins); 404. */
int
h_atpl(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	struct pagefail	 pf;
	json_object	*v;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? advtpl_get(r, c.ev.id, id,
	    &t) : 0)) != 0)
		return st;
	if (page_etag(r, t.id, t.version))
		return 304;
	memset(&pf, 0, sizeof(pf));
	if (editor_view(r, &c, &t, &pf, &v) != 0)
		return 503;
	return render_page(r, 200, "advconfig/advance_template", t.name, v);
}

/* --- the template itself ------------------------------------------------- */

/* POST /events/{event}/advance-templates — 303 to the editor (201 JSON).
 * 403; 404; 409 archived or the name taken meanwhile; 422 name missing
 * or taken. */
int
h_atpl_create(struct req *r)
{
	struct event_ctx c;
	const char	*name = r->in[ATPL_NAME].s;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	advcfg_read_required(r, ATPL_NAME, "name", "Name is required.", 1,
	    &name);
	if (r->nerrors)
		return new_page(r, 422, &c, 1);
	if ((st = advcfg_begin(r, &c)) != 0)
		return st;
	if ((st = advtpl_name_taken(r, c.ev.id, name, 0)) < 0)
		return 503;
	if (st) {
		advcfg_name_taken(r, "an advance template", name);
		return new_page(r, 422, &c, 1);
	}
	if ((id = advtpl_insert(r, c.ev.id, name)) < 0)
		return 503;
	if (id == 0) {
		advcfg_name_taken(r, "an advance template", name);
		return new_page(r, 409, &c, 1);
	}
	ch = advcfg_change(NULL, "name", NULL, name);
	if (advcfg_commit(r, &c, "advance_template.created",
	    "advance_template", id, name, ch) != 0)
		return 503;
	return written(r, &c, id, 201, NULL, arena_printf(r->a, "%s was "
	    "created. Add its modules next.", name));
}

static int
tpl_locked(struct req *r, const struct event_ctx *c, struct atpl *t)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st;

	if ((st = advcfg_begin_id(r, c, id)) != 0)
		return st;
	if ((st = advcfg_found(r, advtpl_lock(r, c->ev.id, id, t))) != 0)
		return st;
	if (page_if_match_stale(r, t->id, t->version))
		return 412;
	return 0;
}

static int
stale(struct req *r, const struct event_ctx *c, const struct atpl *t,
    enum failed what, int64_t which, json_object *rows)
{
	int	 st;

	if ((st = advcfg_stale(r, t->name, t->version, &rows)) != 0)
		return st;
	return editor_page(r, 409, c, t->id, what, which, rows);
}

/* POST /events/{event}/advance-templates/{id} — 303 (200 JSON): the
 * name. 403; 404; 409 archived, stale version or name taken meanwhile;
 * 412; 422. */
int
h_atpl_update(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	const char	*name;
	json_object	*ch, *rows;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = tpl_locked(r, &c, &t)) != 0)
		return st;
	name = t.name;
	advcfg_read_required(r, ATPL_NAME, "name", "Name is required.", 0,
	    &name);
	if (advcfg_version_stale(r, ATPL_VERSION, t.version)) {
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Name", name, t.name);
		return stale(r, &c, &t, F_TPL, 0, rows);
	}
	if (r->nerrors)
		return editor_page(r, 422, &c, t.id, F_TPL, 0, NULL);
	if ((ch = advcfg_change(NULL, "name", t.name, name)) == NULL) {
		db_rollback();
		return written(r, &c, t.id, 200, NULL, "Nothing was changed.");
	}
	if ((st = advtpl_name_taken(r, c.ev.id, name, t.id)) != 0 ||
	    (st = advtpl_update(r, c.ev.id, t.id, t.version, name)) != 1) {
		json_object_put(ch);
		if (st < 0)
			return 503;
		advcfg_name_taken(r, "an advance template", name);
		return editor_page(r, st == 2 ? 409 : 422, &c, t.id, F_TPL, 0,
		    NULL);
	}
	if (advcfg_commit(r, &c, "advance_template.updated",
	    "advance_template", t.id, name, ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, NULL, arena_printf(r->a, "%s was "
	    "saved.", name));
}

static json_object *
delete_view(struct req *r, const struct event_ctx *c, const struct atpl *t)
{
	json_object	*v = advcfg_view(r, c, "advance-templates");

	vset_obj(v, "advance_template", advtpl_json(r, t));
	vset_str(v, "advances_text", t->nadvances > 0 ? arena_printf(r->a,
	    "%s made from it keep their modules; they just no longer name "
	    "a template.", advcfg_plural(r, t->nadvances, "advance",
	    "advances")) :
	    NULL);
	vset_bool(v, "can_confirm", advcfg_can_edit(c));
	vset_str(v, "action_url", atpl_url(r, c, t->id, "/delete"));
	vset_str(v, "cancel_url", atpl_url(r, c, t->id, ""));
	return v;
}

/* GET /events/{event}/advance-templates/{id}/delete — 200 the
 * confirmation. 403; 404. */
int
h_atpl_delete_form(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_ADMIN)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? advtpl_get(r, c.ev.id, id,
	    &t) : 0)) != 0)
		return st;
	return advcfg_delete_page(r, 200, "advconfig/advance_template_delete",
	    t.name, delete_view(r, &c, &t));
}

/* POST /events/{event}/advance-templates/{id}/delete — 303 to the list
 * (204 JSON): the template and its modules; advances made from it keep
 * theirs. 403; 404; 409 archived or stale version; 412; 422 no
 * version. */
int
h_atpl_delete(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	json_object	*ch;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_need_version(r, CFGDEL_VERSION) != 0)
		return editor_page(r, 422, &c, req_pathvar_id(r, 1), F_NONE, 0,
		    NULL);
	if ((st = tpl_locked(r, &c, &t)) != 0)
		return st;
	if (advcfg_version_stale(r, CFGDEL_VERSION, t.version))
		return advcfg_delete_stale(r, t.name, t.version);
	if (advtpl_delete(r, c.ev.id, t.id) < 0)
		return 503;
	ch = advcfg_change(NULL, "name", t.name, NULL);
	if (advcfg_commit(r, &c, "advance_template.deleted",
	    "advance_template", t.id, t.name, ch) != 0)
		return 503;
	return advcfg_deleted(r, &c, "/advance-templates", arena_printf(r->a,
	    "%s was deleted.", t.name));
}

/* --- modules ------------------------------------------------------------- */

static struct atmod *
find_mod(struct atmod *ms, size_t n, int64_t id, size_t *at)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (ms[i].id == id) {
			*at = i;
			return &ms[i];
		}
	return NULL;
}

/* The module's settings as sent (cur NULL: the add form; JSON defaults
 * required on, the rest off). Reviewer checked. 0, or -1 on a database
 * error. */
static int
read_mod(struct req *r, const struct event_ctx *c, const struct atmod *cur,
    struct atmod_fields *f)
{
	const struct input *in = r->in;
	struct person	*ps;
	size_t		 nps, i;

	memset(f, 0, sizeof(*f));
	f->required = 1;
	f->due_days = -1;
	if (cur != NULL) {
		f->module_template_id = cur->module_template_id;
		f->due_kind = cur->due_kind;
		f->due_date = cur->due_date;
		f->due_days = cur->due_kind == DUE_BEFORE ? cur->due_days : -1;
		f->required = cur->required;
		f->tracked = cur->tracked;
		f->submission = cur->submission;
		f->reviewer_id = cur->reviewer_id;
	}
	if (advcfg_sent(r, ATMOD_DUE_KIND)) {
		f->due_kind = DUE_NONE;
		if (in[ATMOD_DUE_KIND].present &&
		    due_kind_parse(in[ATMOD_DUE_KIND].s, &f->due_kind) != 0)
			valid_error(r, "due_kind", "invalid", "The default due "
			    "date is none, fixed or before.");
	}
	if (advcfg_sent(r, ATMOD_DUE_DATE) && !advcfg_has_error(r, "due_date"))
		f->due_date = in[ATMOD_DUE_DATE].present ?
		    in[ATMOD_DUE_DATE].s : NULL;
	if (advcfg_sent(r, ATMOD_DUE_DAYS) && !advcfg_has_error(r, "due_days"))
		f->due_days = in[ATMOD_DUE_DAYS].present ?
		    in[ATMOD_DUE_DAYS].i : -1;
	if (f->due_kind == DUE_FIXED && f->due_date == NULL &&
	    !advcfg_has_error(r, "due_date"))
		valid_error(r, "due_date", "required", "Pick the due date.");
	if (f->due_kind == DUE_BEFORE && f->due_days < 0 &&
	    !advcfg_has_error(r, "due_days"))
		valid_error(r, "due_days", "required", "Say how many days "
		    "before the event starts (0 to 730).");
	if (advcfg_sent(r, ATMOD_REQUIRED))
		f->required = in[ATMOD_REQUIRED].present &&
		    in[ATMOD_REQUIRED].i;
	if (advcfg_sent(r, ATMOD_TRACKED))
		f->tracked = in[ATMOD_TRACKED].present && in[ATMOD_TRACKED].i;
	if (advcfg_sent(r, ATMOD_SUBMISSION))
		f->submission = in[ATMOD_SUBMISSION].present &&
		    in[ATMOD_SUBMISSION].i;
	if (advcfg_sent(r, ATMOD_REVIEWER) &&
	    !advcfg_has_error(r, "default_reviewer_id"))
		f->reviewer_id = in[ATMOD_REVIEWER].present ?
		    in[ATMOD_REVIEWER].i : 0;
	if (f->reviewer_id > 0 && (cur == NULL ||
	    f->reviewer_id != cur->reviewer_id)) {
		if ((ps = reviewers(r, c, &nps)) == NULL && nps == (size_t)-1)
			return -1;
		for (i = 0; i < nps; i++)
			if (ps[i].id == f->reviewer_id)
				break;
		if (i == nps)
			valid_error(r, "default_reviewer_id", "invalid", "A "
			    "default reviewer must be a user of this event "
			    "with advancing admin for the whole event.");
	}
	return 0;
}

static json_object *
mod_changes(const struct atmod *old, const struct atmod_fields *f)
{
	json_object	*ch = NULL;

	ch = advcfg_change(ch, "due_kind", old ? due_kind_name(old->due_kind) :
	    NULL, due_kind_name(f->due_kind));
	ch = advcfg_change(ch, "due_date", old && old->due_kind == DUE_FIXED ?
	    old->due_date : NULL, f->due_kind == DUE_FIXED ? f->due_date :
	    NULL);
	ch = advcfg_change_int(ch, "due_days", old && old->due_kind ==
	    DUE_BEFORE ? old->due_days : -1, f->due_kind == DUE_BEFORE ?
	    f->due_days : -1);
	ch = advcfg_change_int(ch, "required", old ? old->required : -1,
	    f->required);
	ch = advcfg_change_int(ch, "task_tracked", old ? old->tracked : -1,
	    f->tracked);
	ch = advcfg_change_int(ch, "requires_submission", old ?
	    old->submission : -1, f->submission);
	ch = advcfg_change_int(ch, "default_reviewer_id", old ?
	    old->reviewer_id : 0, f->reviewer_id);
	return ch;
}

/* POST /events/{event}/advance-templates/{id}/modules — 303 (201 JSON
 * with the template): a module template added at position (default
 * last). 403; 404; 409 archived or stale version; 412; 422 no module
 * template of the event, already in this template, due date incomplete,
 * reviewer without Event-domain advancing admin. */
int
h_atmod_create(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	struct atmod	*ms;
	struct atmod_fields f;
	struct mtpl	 mt;
	json_object	*ch;
	int64_t		 id, pos;
	size_t		 n, i;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = tpl_locked(r, &c, &t)) != 0)
		return st;
	if (advcfg_version_stale(r, ATMOD_VERSION, t.version))
		return stale(r, &c, &t, F_NEW_MOD, 0, NULL);
	if ((ms = advtpl_modules(r, c.ev.id, t.id, &n)) == NULL &&
	    n == (size_t)-1)
		return 503;
	if (read_mod(r, &c, NULL, &f) != 0)
		return 503;
	memset(&mt, 0, sizeof(mt));
	if (!r->in[ATMOD_TEMPLATE].present || r->in[ATMOD_TEMPLATE].i <= 0) {
		if (!advcfg_has_error(r, "module_template_id"))
			valid_error(r, "module_template_id", "required",
			    "Pick a module template.");
	} else {
		f.module_template_id = r->in[ATMOD_TEMPLATE].i;
		if ((st = modtpl_get(r, c.ev.id, f.module_template_id,
		    &mt)) < 0)
			return 503;
		if (st == 0)
			valid_error(r, "module_template_id", "invalid", "Pick a "
			    "module template of this event.");
		for (i = 0; i < n; i++)
			if (ms[i].module_template_id == f.module_template_id)
				valid_error(r, "module_template_id", "taken",
				    arena_printf(r->a, "%s is already in this "
				    "advance template.", ms[i].mt_name));
	}
	if (n >= ADVTPL_MODULES_MAX)
		valid_error(r, "module_template_id", "too-many", "An advance "
		    "template has at most 200 modules.");
	if (r->nerrors)
		return editor_page(r, 422, &c, t.id, F_NEW_MOD, 0, NULL);
	pos = r->in[ATMOD_POSITION].present ? r->in[ATMOD_POSITION].i :
	    (int64_t)n;
	if (pos < (int64_t)n)
		pos = ms[pos].position;
	else
		pos = n > 0 ? ms[n - 1].position + 1 : 0;
	if ((id = advtpl_mod_insert(r, c.ev.id, t.id, pos, &f)) < 0)
		return 503;
	if (id == 0) {
		valid_error(r, "module_template_id", "taken", arena_printf(r->a,
		    "%s is already in this advance template.", mt.name));
		return editor_page(r, 409, &c, t.id, F_NEW_MOD, 0, NULL);
	}
	if (advtpl_touch(r, c.ev.id, t.id, t.version) != 1)
		return 503;
	ch = mod_changes(NULL, &f);
	vset_int(ch, "advance_template_id", t.id);
	vset_int(ch, "module_template_id", f.module_template_id);
	if (advcfg_commit(r, &c, "advance_template_module.created",
	    "advance_template_module", id, mt.name, ch) != 0)
		return 503;
	return written(r, &c, t.id, 201, arena_printf(r->a, "module-%lld",
	    (long long)id), arena_printf(r->a, "%s was added.", mt.name));
}

/* Lock the template, read its modules, find {m}: 0 or the status sent. */
static int
mod_locked(struct req *r, const struct event_ctx *c, struct atpl *t,
    struct atmod **msp, size_t *np, struct atmod **mp, size_t *at)
{
	int64_t	 mid = req_pathvar_id(r, 2);
	int	 st;

	if (mid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = tpl_locked(r, c, t)) != 0)
		return st;
	if ((*msp = advtpl_modules(r, c->ev.id, t->id, np)) == NULL &&
	    *np == (size_t)-1)
		return 503;
	if ((*mp = find_mod(*msp, *np, mid, at)) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* The start of a move or a removal of {m}: gated, a move's position or
 * a removal's version checked, the template locked, its modules read,
 * {m} found and the version named checked. 0, or the status sent. */
static int
mod_open(struct req *r, struct event_ctx *c, struct atpl *t,
    struct atmod **msp, size_t *np, struct atmod **mp, size_t *at,
    int removal)
{
	int	 st;

	if ((st = advcfg_gate(r, c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_row_invalid(r, removal))
		return editor_page(r, 422, c, req_pathvar_id(r, 1), F_NONE, 0,
		    NULL);
	if ((st = mod_locked(r, c, t, msp, np, mp, at)) != 0)
		return st;
	if (advcfg_row_stale(r, removal, t->version))
		return stale(r, c, t, F_MOD, (*mp)->id, NULL);
	return 0;
}

/* A module written (st: the model's result): the template's version
 * raised (forms and If-Match name it), the audit entry, commit. 0, or
 * 503; ch released. */
static int
mod_commit(struct req *r, const struct event_ctx *c, const struct atpl *t,
    int st, const char *action, const struct atmod *m, json_object *ch)
{
	vset_int(ch, "advance_template_id", t->id);
	if (st != 0 || advtpl_touch(r, c->ev.id, t->id, t->version) != 1) {
		json_object_put(ch);
		return 503;
	}
	return advcfg_commit(r, c, action, "advance_template_module", m->id,
	    m->mt_name, ch);
}

/* POST /events/{event}/advance-templates/{id}/modules/{m} — 303 (200
 * JSON): due date, flags, reviewer (the module template is fixed). 403;
 * 404; 409 archived or stale version (both values shown); 412; 422. */
int
h_atmod_update(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	struct atmod	*ms, *m;
	struct atmod_fields f;
	json_object	*ch, *rows;
	size_t		 n, at;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = mod_locked(r, &c, &t, &ms, &n, &m, &at)) != 0)
		return st;
	if (read_mod(r, &c, m, &f) != 0)
		return 503;
	if (r->in[ATMOD_TEMPLATE].present && r->in[ATMOD_TEMPLATE].i !=
	    m->module_template_id)
		valid_error(r, "module_template_id", "fixed", "The module "
		    "template of an entry can't change; remove it and add the "
		    "other one.");
	if (advcfg_version_stale(r, ATMOD_VERSION, t.version)) {
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Default due date",
		    due_kind_name(f.due_kind), due_kind_name(m->due_kind));
		advcfg_conflict_row(rows, "Required", f.required ? "Yes" : "No",
		    m->required ? "Yes" : "No");
		advcfg_conflict_row(rows, "Task-tracked", f.tracked ? "Yes" :
		    "No", m->tracked ? "Yes" : "No");
		advcfg_conflict_row(rows, "Requires submission", f.submission ?
		    "Yes" : "No", m->submission ? "Yes" : "No");
		return stale(r, &c, &t, F_MOD, m->id, rows);
	}
	if (r->nerrors)
		return editor_page(r, 422, &c, t.id, F_MOD, m->id, NULL);
	if ((ch = mod_changes(m, &f)) == NULL) {
		db_rollback();
		return written(r, &c, t.id, 200, arena_printf(r->a,
		    "module-%lld", (long long)m->id), "Nothing was changed.");
	}
	st = advtpl_mod_update(r, c.ev.id, m->id, &f);
	if (mod_commit(r, &c, &t, st, "advance_template_module.updated", m,
	    ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, arena_printf(r->a, "module-%lld",
	    (long long)m->id), arena_printf(r->a, "%s was saved.",
	    m->mt_name));
}

/* POST /events/{event}/advance-templates/{id}/modules/{m}/move — 303
 * (200 JSON). 403; 404; 409; 412; 422 no position. */
int
h_atmod_move(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	struct atmod	*ms, *m;
	json_object	*ch;
	int64_t		 to;
	size_t		 n, at;
	int		 st;

	if ((st = mod_open(r, &c, &t, &ms, &n, &m, &at, 0)) != 0)
		return st;
	to = advcfg_move_to(r, n);
	st = advtpl_mod_move(r, c.ev.id, t.id, m, ms[to].position);
	ch = advcfg_change_int(NULL, "position", (int64_t)at, to);
	if (mod_commit(r, &c, &t, st, "advance_template_module.moved", m,
	    ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, arena_printf(r->a, "module-%lld",
	    (long long)m->id), arena_printf(r->a, "%s was moved.",
	    m->mt_name));
}

/* POST /events/{event}/advance-templates/{id}/modules/{m}/delete — 303
 * (200 JSON with the template): the module leaves the template (the
 * module template itself stays). 403; 404; 409; 412; 422 no version. */
int
h_atmod_delete(struct req *r)
{
	struct event_ctx c;
	struct atpl	 t;
	struct atmod	*ms, *m;
	json_object	*ch;
	size_t		 n, at;
	int		 st;

	if ((st = mod_open(r, &c, &t, &ms, &n, &m, &at, 1)) != 0)
		return st;
	ch = advcfg_change_int(NULL, "module_template_id",
	    m->module_template_id, 0);
	st = advtpl_mod_delete(r, c.ev.id, t.id, m);
	if (mod_commit(r, &c, &t, st, "advance_template_module.deleted", m,
	    ch) != 0)
		return 503;
	return written(r, &c, t.id, 200, "modules", arena_printf(r->a, "%s "
	    "was removed from the template.", m->mt_name));
}
