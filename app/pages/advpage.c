/* advpage.c — the advance page (PRODUCT §13.5): a table of contents of
 * the advance's modules with their state, and every module rendered
 * from its template with the answers, files and request items; one
 * module on its own page; the respondent's-eye preview of a module
 * template (§13.2).
 *
 * Who: anyone with advancing view covering the advance (Event grants,
 * Collaborator grants on its collaborator, Area grants on its area);
 * anyone else gets 404, as for a missing advance. Respondents (whose
 * advancing comes only through their own collaborator) never see
 * review marks or retired blocks; staff see both.
 *
 * Reads: a fixed number of queries however many modules, blocks,
 * answers, items and files (the event, the advance, its modules, the
 * blocks of their templates, answers, reviewed values, items, files
 * and the asset-type forms). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "deny.h"
#include "advpage.h"
#include "etag.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "events.h"
#include "model/event.h"
#include "model/user.h"
#include "policy/advstate.h"
#include "policy/tz.h"
#include "render/timefmt.h"
#include "render/view.h"

/* --- small helpers ---------------------------------------------------------- */


int
adv_forbidden(struct req *r, const char *what)
{
	return page_refuse(r, 403, "insufficient-permission", what);
}

int
adv_locked(struct req *r, const struct advctx *x)
{
	return page_refuse(r, 409, "module-submitted", arena_printf(r->a,
	    "%s was submitted%s%s and is read-only now; an advancing admin "
	    "can reopen it.", x->mod.label, x->mod.submitted_by_name ?
	    " by " : "", x->mod.submitted_by_name ? x->mod.submitted_by_name :
	    ""));
}

const char *
adv_url(struct req *r, const struct advctx *x)
{
	return arena_printf(r->a, "/events/%lld/advances/%lld",
	    (long long)x->ec.ev.id, (long long)x->adv.id);
}

const char *
adv_mod_url(struct req *r, const struct advctx *x, int64_t m)
{
	return arena_printf(r->a, "%s/modules/%lld", adv_url(r, x),
	    (long long)m);
}

const char *
adv_answer_url(struct req *r, const struct advctx *x, int64_t m,
    int64_t block)
{
	return arena_printf(r->a, "%s/answers/%lld", adv_mod_url(r, x, m),
	    (long long)block);
}

const char *
adv_item_url(struct req *r, const struct advctx *x, int64_t m, int64_t item)
{
	return arena_printf(r->a, "%s/line-items/%lld", adv_mod_url(r, x, m),
	    (long long)item);
}

/* Kept for advblock.c; pages use etag.h. */
const char *
adv_etag_text(struct req *r, int64_t id, int64_t version)
{
	return page_etag_text(r, id, version);
}

int
adv_precondition_failed(struct req *r, const char *detail,
    json_object *current)
{
	json_object	*p = view_new(r);
	const char	*s;

	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=precondition-failed");
	vset_str(p, "type", "/docs/errors/precondition-failed");
	vset_str(p, "title", "Precondition failed");
	vset_int(p, "status", 412);
	vset_str(p, "detail", detail);
	vset_str(p, "instance", r->api ? arena_printf(r->a, "/api/v1%s",
	    r->path) : r->path);
	vset_str(p, "code", "precondition-failed");
	vset_str(p, "request_id", r->rid);
	vset_obj(p, "current", current);
	s = json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	return render_text(r, 412, "application/problem+json; charset=utf-8",
	    s, strlen(s));
}

const char *
adv_today(struct req *r, const char *zone)
{
	int64_t	 lsec;
	char	 d[16];

	if (tz_utc_to_local(zone, (int64_t)time(NULL), &lsec, NULL, 0) !=
	    TZ_OK)
		lsec = (int64_t)time(NULL);
	tz_fmt_date(lsec / 86400, d, sizeof(d));
	return arena_strdup(r->a, d);
}

/* "Tue 1 Jun 2027" for a local date. */
static const char *
date_text(struct req *r, const char *date)
{
	int64_t		 days;
	time_t		 t;
	struct tm	 tm;
	char		 buf[40];

	if (date == NULL || tz_parse_date(date, &days) != 0)
		return date;
	t = (time_t)(days * 86400);
	gmtime_r(&t, &tm);
	if (strftime(buf, sizeof(buf), "%a %-d %b %Y", &tm) == 0)
		return date;
	return arena_strdup(r->a, buf);
}

/* --- who sees and who changes --------------------------------------------- */

int
adv_gate(struct req *r, struct advctx *x, int with_module)
{
	int64_t	 id, m;
	int	 st;

	memset(x, 0, sizeof(*x));
	if ((st = event_gate(r, &x->ec, 0)) != 0)
		return st;
	x->uid = r->user->id;
	if ((id = req_pathvar_id(r, 1)) <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = advance_get(r, x->ec.ev.id, id, &x->adv)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	x->lv = adv_level(&x->ec, &x->adv);
	if (x->lv < LV_VIEW)
		return page_refuse(r, 404, "not-found", NULL);
	x->respondent = adv_respondent(&x->ec, &x->adv);
	if (!with_module)
		return 0;
	if ((m = req_pathvar_id(r, 2)) <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = advmod_get(r, x->ec.ev.id, x->adv.id, m, &x->mod)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	x->has_mod = 1;
	return 0;
}

int
adv_answer_gate(struct req *r, struct advctx *x)
{
	if (x->lv < LV_EDIT)
		return adv_forbidden(r, "Answering needs edit access to "
		    "advancing for this advance.");
	if (event_writable(r, &x->ec) != 0)
		return 409;
	if (x->has_mod && !adv_can_answer(&x->ec, &x->adv, &x->mod))
		return adv_locked(r, x);
	return 0;
}

int
adv_begin(struct req *r, struct advctx *x, int answering)
{
	int	 st;

	if (db_begin() != 0 || (st = event_lock_shared(r, x->ec.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((st = advmod_lock(r, x->ec.ev.id, x->mod.id, &x->mod)) < 0)
		return 503;
	if (st == 0 || x->mod.advance_id != x->adv.id)
		return page_refuse(r, 404, "not-found", NULL);
	if (answering && !adv_can_answer(&x->ec, &x->adv, &x->mod))
		return adv_locked(r, x);
	return 0;
}

/* --- reading ---------------------------------------------------------------- */

int
adv_load(struct req *r, const struct advctx *x, int64_t module_id,
    struct advdata *d)
{
	int64_t	 ev = x->ec.ev.id, adv = x->adv.id;

	memset(d, 0, sizeof(*d));
	d->mods = advmod_list(r, ev, adv, &d->nmods);
	d->blocks = modblock_list_advance(r, ev, adv, &d->nblocks);
	d->ans = answer_list(r, ev, adv, module_id, &d->nans);
	if (!x->respondent)
		d->prev = answer_prev_list(r, ev, adv, &d->nprev);
	d->items = lineitem_list(r, ev, adv, module_id, &d->nitems);
	d->files = answerfile_list(r, ev, adv, module_id, &d->nfiles);
	if (d->nmods == (size_t)-1 || d->nblocks == (size_t)-1 ||
	    d->nans == (size_t)-1 || d->nprev == (size_t)-1 ||
	    d->nitems == (size_t)-1 || d->nfiles == (size_t)-1)
		return -1;
	return lineitem_forms(r, ev, adv, 0, &d->forms);
}

/* --- the view --------------------------------------------------------------- */

static const struct advfield *
field_of(const struct advform *f, int64_t m, int64_t block)
{
	size_t	 i;

	for (i = 0; f != NULL && i < f->nfields; i++)
		if (f->fields[i].module_id == m &&
		    f->fields[i].block_id == block)
			return &f->fields[i];
	return NULL;
}

static int
has_items(const struct advdata *d, int64_t m, int64_t block, int *unreviewed)
{
	size_t	 i;
	int	 n = 0;

	*unreviewed = 0;
	for (i = 0; i < d->nitems; i++)
		if (d->items[i].module_id == m &&
		    d->items[i].block_id == block) {
			n++;
			if (!d->items[i].reviewed)
				*unreviewed = 1;
		}
	return n > 0;
}

/* The completion inputs of one module: its live question and request
 * blocks (content and retired blocks are out, §13.2). */
static size_t
module_states(struct req *r, const struct advdata *d, const struct advmod *m,
    struct adv_item_state **out)
{
	struct adv_item_state *s;
	size_t		 i, n = 0;

	s = arena_calloc(r->a, d->nblocks + 1, sizeof(*s));
	for (i = 0; i < d->nblocks; i++) {
		const struct mblock *b = &d->blocks[i];
		const struct answer *a;
		int		 unrev;

		if (b->template_id != m->template_id || b->retired ||
		    b->kind == BK_CONTENT)
			continue;
		if (b->kind == BK_QUESTION) {
			a = adv_answer_of(d, m->id, b->id);
			s[n].question = 1;
			s[n].required = b->required;
			s[n].answered = a != NULL;
			s[n].needs_review = a != NULL && !a->reviewed;
		} else {
			s[n].answered = has_items(d, m->id, b->id, &unrev);
			s[n].needs_review = unrev;
		}
		n++;
	}
	*out = s;
	return n;
}

/* What the table of contents and the module header share. */
static void
module_head(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct advmod *m, const char *today, json_object *o,
    enum adv_completion *cp, int *overduep)
{
	struct adv_item_state *s;
	size_t		 n = module_states(r, d, m, &s), ans, tot;
	enum adv_completion c = adv_module_completion(s, n, m->submission,
	    m->submitted);
	int		 overdue = adv_overdue(c, m->due_date, today);

	adv_progress(s, n, &ans, &tot);
	vset_int(o, "id", m->id);
	vset_str(o, "label", m->label);
	vset_str(o, "icon", m->icon);
	vset_str(o, "category", m->category);
	vset_bool(o, "required", m->required);
	vset_str(o, "due_date", m->due_date);
	vset_str(o, "due_text", date_text(r, m->due_date));
	vset_str(o, "state", adv_completion_name(c));
	vset_str(o, "state_label", m->submitted ? "Submitted" :
	    adv_completion_label(c));
	vset_str(o, "marker", adv_marker(c, m->submitted));
	vset_bool(o, "complete", c == AC_COMPLETE);
	vset_bool(o, "overdue", overdue);
	vset_bool(o, "submitted", m->submitted);
	vset_int(o, "answered", (long long)ans);
	vset_int(o, "required_total", (long long)tot);
	if (!x->respondent) {
		int nr = adv_module_needs_review(s, n);

		vset_str(o, "review_status", nr ? "needs_review" : "reviewed");
		vset_bool(o, "needs_review", nr);
		vset_bool(o, "reviewed_badge", !nr && c != AC_NOT_STARTED);
	} else {
		vset_obj(o, "review_status", NULL);
		vset_bool(o, "needs_review", 0);
		vset_bool(o, "reviewed_badge", 0);
	}
	vset_str(o, "url", adv_mod_url(r, x, m->id));
	vset_str(o, "anchor", arena_printf(r->a, "module-%lld",
	    (long long)m->id));
	*cp = c;
	*overduep = overdue;
}

/* Every block says what it is not too, so a template's {{#is_…}}
 * never finds the key in an enclosing object. */
static void
kind_flags(json_object *bo)
{
	static const char *const keys[] = { "is_content", "is_question",
	    "is_request" };
	size_t	 i;

	for (i = 0; i < 3; i++)
		if (!json_object_object_get_ex(bo, keys[i], NULL))
			vset_bool(bo, keys[i], 0);
}

static json_object *
module_json(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct advmod *m, const struct advform *form, const char *today,
    int single)
{
	json_object	*o = advmod_json(m), *blocks, *missing;
	enum adv_completion c;
	int		 overdue, archived = x->ec.ev.archived;
	int		 can_answer = !archived && adv_can_answer(&x->ec, &x->adv,
	    m);
	int		 can_review = !archived && !x->respondent &&
	    adv_can_review(&x->ec, x->uid, &x->adv, m);
	const char	*form_id = arena_printf(r->a, "mod-%lld",
	    (long long)m->id);
	size_t		 i, nq = 0;

	module_head(r, x, d, m, today, o, &c, &overdue);
	vset_time(o, "submitted_at", m->submitted_at, x->ec.ev.timezone);
	vset_str(o, "form_id", form_id);
	vset_str(o, "save_url", can_answer ? adv_mod_url(r, x, m->id) : NULL);
	vset_bool(o, "can_answer", can_answer);
	vset_bool(o, "admin_edit", can_answer && m->submitted);
	vset_bool(o, "can_submit", !archived && m->submission &&
	    !m->submitted && x->lv >= LV_EDIT);
	vset_str(o, "submit_url", arena_printf(r->a, "%s/submit",
	    adv_mod_url(r, x, m->id)));
	vset_bool(o, "can_reopen", !archived && m->submitted &&
	    x->lv >= LV_ADMIN);
	vset_str(o, "reopen_url", arena_printf(r->a, "%s/reopen",
	    adv_mod_url(r, x, m->id)));
	vset_bool(o, "read_only", !can_answer);
	/* Open what still needs doing; the module page opens its one. */
	vset_bool(o, "open", single || c != AC_COMPLETE);
	blocks = json_object_new_array();
	missing = json_object_new_array();
	for (i = 0; i < d->nblocks; i++) {
		const struct mblock *b = &d->blocks[i];
		json_object	*bo;

		if (b->template_id != m->template_id ||
		    (b->retired && x->respondent))
			continue;
		switch (b->kind) {
		case BK_CONTENT:
			bo = json_object_new_object();
			vset_str(bo, "kind", "content");
			vset_bool(bo, "is_content", 1);
			vset_int(bo, "id", b->id);
			vset_bool(bo, "retired", b->retired);
			vset_str(bo, "body_html", event_md_html(r, b->body));
			break;
		case BK_QUESTION:
			bo = advblock_question(r, x, d, m, b, field_of(form,
			    m->id, b->id), can_answer, can_review, form_id);
			nq += b->rtype != RT_FILE && !b->retired;
			if (b->required && !b->retired &&
			    adv_answer_of(d, m->id, b->id) == NULL) {
				json_object *mi = json_object_new_object();

				vset_int(mi, "id", b->id);
				vset_str(mi, "label", adv_question_label(r, b));
				vset_str(mi, "anchor", arena_printf(r->a,
				    "m%lld-a%lld", (long long)m->id,
				    (long long)b->id));
				json_object_array_add(missing, mi);
			}
			break;
		default:
			bo = advblock_request(r, x, d, m, b, form, can_answer,
			    can_review);
			break;
		}
		kind_flags(bo);
		json_object_array_add(blocks, bo);
	}
	vset_obj(o, "blocks", blocks);
	vset_int(o, "missing_count", (long long)json_object_array_length(
	    missing));
	vset_obj(o, "missing", missing);
	vset_bool(o, "has_fields", can_answer && nq > 0);
	return o;
}

/* The page's view: header, the advance, the table of contents and the
 * modules (all, or the one module_id names). */
static json_object *
page_view(struct req *r, const struct advctx *x, const struct advdata *d,
    int64_t module_id, const struct advform *form)
{
	json_object	*v = view_new(r), *toc, *mods, *a;
	const char	*today = adv_today(r, x->ec.ev.timezone);
	size_t		 i, reqd = 0, done = 0;
	int		 any_overdue = 0;

	event_header_into(r, v, &x->ec, x->respondent ? "portal" :
	    "advancing");
	a = advance_json(&x->adv);
	vset_str(a, "url", adv_url(r, x));
	vset_obj(v, "advance", a);
	vset_str(v, "timezone", x->ec.ev.timezone);
	vset_bool(v, "respondent", x->respondent);
	vset_bool(v, "staff", !x->respondent);
	vset_str(v, "back_url", x->respondent ? arena_printf(r->a,
	    "/events/%lld/portal", (long long)x->ec.ev.id) :
	    arena_printf(r->a, "/events/%lld/collaborators/%lld/advances",
	    (long long)x->ec.ev.id, (long long)x->adv.collab_id));
	vset_str(v, "back_label", x->respondent ? "Advances" :
	    x->adv.collab_name);
	vset_str(v, "advances_url", arena_printf(r->a, "/events/%lld/advances",
	    (long long)x->ec.ev.id));
	vset_bool(v, "single", module_id != 0);
	toc = json_object_new_array();
	mods = json_object_new_array();
	for (i = 0; i < d->nmods; i++) {
		const struct advmod *m = &d->mods[i];
		json_object	*t = json_object_new_object();
		enum adv_completion c;
		int		 od;

		module_head(r, x, d, m, today, t, &c, &od);
		vset_bool(t, "current", m->id == module_id);
		vset_str(t, "href", module_id != 0 ? adv_mod_url(r, x, m->id) :
		    arena_printf(r->a, "#module-%lld", (long long)m->id));
		json_object_array_add(toc, t);
		if (m->required) {
			reqd++;
			done += c == AC_COMPLETE;
			any_overdue |= od;
		}
		if (module_id == 0 || m->id == module_id)
			json_object_array_add(mods, module_json(r, x, d, m,
			    form, today, module_id != 0));
	}
	vset_obj(v, "toc", toc);
	vset_obj(v, "modules", mods);
	vset_bool(v, "has_modules", d->nmods > 0);
	vset_bool(v, "complete", reqd == done);
	vset_bool(v, "overdue", any_overdue);
	vset_int(v, "required_modules", (long long)reqd);
	vset_int(v, "complete_modules", (long long)done);
	vset_bool(v, "preview", 0);
	vset_bool(v, "archived_readonly", x->ec.ev.archived);
	return v;
}

int
adv_render(struct req *r, const struct advctx *x, int status,
    int64_t module_id, const struct advform *form)
{
	struct advdata	 d;
	json_object	*v;
	const char	*title = x->adv.name;
	size_t		 i;

	if (db_in_txn())
		db_rollback();
	if (adv_load(r, x, module_id, &d) != 0)
		return 503;
	v = page_view(r, x, &d, module_id, form);
	for (i = 0; i < d.nmods; i++)
		if (d.mods[i].id == module_id)
			title = arena_printf(r->a, "%s · %s", d.mods[i].label,
			    x->adv.name);
	if (status == 422)
		return render_invalid(r, "advpage/page", title, v);
	return render_page(r, status, "advpage/page", title, v);
}

int
adv_invalid(struct req *r, const struct advctx *x)
{
	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	return adv_render(r, x, 422, x->has_mod ? x->mod.id : 0, NULL);
}

/* GET /events/{event}/advances/{adv} — 200 the advance with every
 * module; 404 not on the event or no advancing view covering it. */
int
h_adv_page(struct req *r)
{
	struct advctx	 x;
	int		 st;

	if ((st = adv_gate(r, &x, 0)) != 0)
		return st;
	return adv_render(r, &x, 200, 0, NULL);
}

/* GET /events/{event}/advances/{adv}/modules/{m} — 200 one module (the
 * table of contents links the others); 404 as above or not a module of
 * this advance. */
int
h_adv_module(struct req *r)
{
	struct advctx	 x;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0)
		return st;
	if (page_etag(r, x.mod.id, x.mod.version))
		return 304;
	return adv_render(r, &x, 200, x.mod.id, NULL);
}

/* --- the template preview ------------------------------------------------------ */

static struct dbq q_tpl = DBQ(
    "SELECT t.id, t.name, t.label, t.icon, c.name FROM module_templates t"
    " JOIN module_categories c ON c.id = t.category_id"
    " WHERE t.id = ? AND t.event_id = ?");

/* GET /events/{event}/module-templates/{id}/preview — 200 the module as
 * a respondent sees it: the same renderer, no answers, every input
 * disabled, marked "Preview". Needs Event-domain advancing view (the
 * templates' own readers); anyone else 404. */
int
h_adv_preview(struct req *r)
{
	struct advctx	 x;
	struct advdata	 d;
	struct advmod	 m;
	struct perm_target t;
	json_object	*v, *mo, *blocks;
	int64_t		 id;
	size_t		 i;
	int		 st;

	memset(&x, 0, sizeof(x));
	if ((st = event_gate(r, &x.ec, 0)) != 0)
		return st;
	memset(&t, 0, sizeof(t));
	if (event_level(&x.ec, SEC_ADVANCING, &t) < LV_VIEW ||
	    (id = req_pathvar_id(r, 1)) <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	memset(&m, 0, sizeof(m));
	if (db_select(&q_tpl, "ii", id, x.ec.ev.id) != 0)
		return 503;
	st = db_fetch(&q_tpl, "issss", &m.template_id, &m.name, &m.label,
	    &m.icon, &m.category);
	db_done(&q_tpl);
	if (st < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	/* The respondent's eye: no review marks, no retired blocks. */
	x.respondent = 1;
	x.uid = r->user->id;
	memset(&d, 0, sizeof(d));
	d.blocks = modblock_list(r, x.ec.ev.id, id, &d.nblocks);
	if (d.nblocks == (size_t)-1 ||
	    lineitem_forms(r, x.ec.ev.id, 0, id, &d.forms) != 0)
		return 503;
	v = view_new(r);
	event_header_into(r, v, &x.ec, "advancing");
	vset_bool(v, "preview", 1);
	vset_str(v, "timezone", x.ec.ev.timezone);
	vset_str(v, "template_url", arena_printf(r->a,
	    "/events/%lld/module-templates/%lld", (long long)x.ec.ev.id,
	    (long long)id));
	mo = json_object_new_object();
	vset_int(mo, "id", 0);
	vset_int(mo, "module_template_id", id);
	vset_str(mo, "name", m.name);
	vset_str(mo, "label", m.label);
	vset_str(mo, "icon", m.icon);
	vset_str(mo, "category", m.category);
	vset_str(mo, "form_id", "preview");
	vset_bool(mo, "open", 1);
	vset_bool(mo, "read_only", 1);
	blocks = json_object_new_array();
	for (i = 0; i < d.nblocks; i++) {
		const struct mblock *b = &d.blocks[i];
		json_object	*bo;

		if (b->retired)
			continue;
		if (b->kind == BK_CONTENT) {
			bo = json_object_new_object();
			vset_str(bo, "kind", "content");
			vset_bool(bo, "is_content", 1);
			vset_int(bo, "id", b->id);
			vset_bool(bo, "retired", 0);
			vset_str(bo, "body_html", event_md_html(r, b->body));
		} else if (b->kind == BK_QUESTION)
			bo = advblock_question(r, &x, NULL, &m, b, NULL, 0, 0,
			    "preview");
		else
			bo = advblock_request(r, &x, &d, &m, b, NULL, 0, 0);
		kind_flags(bo);
		json_object_array_add(blocks, bo);
	}
	vset_obj(mo, "blocks", blocks);
	vset_obj(v, "module", mo);
	return render_page(r, 200, "advpage/preview", arena_printf(r->a,
	    "Preview · %s", m.label), v);
}
