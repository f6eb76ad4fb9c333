/* advmanager.c — the Advance Manager (PRODUCT §13.10): an overview with
 * one row per module template in use, and per template a table of every
 * visible advance holding it with a column per question and request
 * block, filters, sorting, a print view and bulk review and due dates.
 *
 * Who: seat holders and Org Pro users with advancing view somewhere;
 * everyone else gets 404 (people whose advancing comes through their
 * own collaborator use the portal, §13.5). Rows are limited to the
 * advances the actor may view (adv_level), so an area lead sees their
 * area's advances and nothing else.
 *
 * Queries are fixed per page whatever the number of rows: the event and
 * grants (two), the template, its blocks, the advances, the modules,
 * the answers, the items and the files (one each), and the four of
 * model/advprogress, which gives module completion, review status and
 * overdue.
 *
 * Bulk actions apply completely or not at all: every target is checked
 * (visible, allowed, not changed since the page was shown) before the
 * transaction writes anything, and the writes check the versions again
 * under the module locks; any refusal rolls everything back and the
 * page names each target refused. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "deny.h"
#include "advances.h"
#include "advmanager.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "events.h"
#include "model/advtrack.h"
#include "model/answer.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/lineitem.h"
#include "model/user.h"
#include "policy/answer.h"
#include "policy/tz.h"
#include "render/view.h"

#define CELL_TEXT_MAX	300	/* bytes of a long answer shown in a cell */
#define INCOMPLETE	3	/* completion filter: not complete */

/* --- shared helpers ------------------------------------------------------- */


/* The manager is for seat holders and Org Pro users with advancing view
 * somewhere (§13.10). 0, or the status sent (404 otherwise, as for any
 * page the actor cannot view). */
int
advm_gate(struct req *r, struct event_ctx *c)
{
	int	 st;

	if ((st = event_gate(r, c, 0)) != 0)
		return st;
	if (!license_whole_event(c->actor.lc) ||
	    !event_level_somewhere(c, SEC_ADVANCING, LV_VIEW))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* "2027-07-01 14:05 CEST": now in the event's zone (print views). */
static const char *
local_now_text(struct req *r, const char *zone)
{
	int64_t		 now = (int64_t)time(NULL), ls;
	char		 abbr[16] = "UTC", buf[32];
	time_t		 lt;
	struct tm	 tm;

	if (tz_utc_to_local(zone, now, &ls, abbr, sizeof(abbr)) != TZ_OK)
		ls = now;
	lt = (time_t)ls;
	gmtime_r(&lt, &tm);
	if (strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm) == 0)
		buf[0] = '\0';
	return arena_printf(r->a, "%s %s", buf, abbr);
}

/* A positive decimal id, the whole string: else -1. */
static int64_t
id_of(const char *s, size_t len)
{
	int64_t	 v = 0;
	size_t	 i;

	if (s == NULL || len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0 ? v : -1;
}

const char *
advm_url(struct req *r, int64_t ev)
{
	return arena_printf(r->a, "/events/%lld/advance-manager",
	    (long long)ev);
}

static const char *
table_url(struct req *r, int64_t ev, int64_t tpl)
{
	return arena_printf(r->a, "/events/%lld/advance-manager/%lld",
	    (long long)ev, (long long)tpl);
}

static const char *
advance_url(struct req *r, int64_t ev, int64_t adv)
{
	return arena_printf(r->a, "/events/%lld/advances/%lld",
	    (long long)ev, (long long)adv);
}

/* Advances by id for the module → advance lookups. */
static int
adv_by_id(const void *a, const void *b)
{
	const struct advance *x = *(const struct advance *const *)a;
	const struct advance *y = *(const struct advance *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

struct advance **
advm_adv_index(struct req *r, struct advance *v, size_t n)
{
	struct advance	**ix = arena_calloc(r->a, n + 1, sizeof(*ix));
	size_t		  i;

	for (i = 0; i < n; i++)
		ix[i] = &v[i];
	qsort(ix, n, sizeof(*ix), adv_by_id);
	return ix;
}

const struct advance *
advm_adv_find(struct advance **ix, size_t n, int64_t id)
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

static void
state_into(json_object *o, const struct advmod *m,
    const struct advprog_mod *st)
{
	vset_str(o, "completion", adv_completion_name(st->completion));
	vset_str(o, "completion_label", adv_completion_label(st->completion));
	vset_bool(o, "complete", st->completion == AC_COMPLETE);
	vset_bool(o, "in_progress", st->completion == AC_IN_PROGRESS);
	vset_bool(o, "not_started", st->completion == AC_NOT_STARTED);
	vset_bool(o, "needs_review", st->needs_review);
	vset_bool(o, "overdue", st->overdue);
	vset_int(o, "required_answered", (long long)st->req_answered);
	vset_int(o, "required_total", (long long)st->req_total);
	vset_str(o, "due_date", m->due_date);
	vset_bool(o, "requires_submission", m->submission);
	vset_str(o, "submission_state", m->submitted ? "submitted" : "open");
	vset_str(o, "submission_label", m->submitted ? "Submitted" :
	    "Not submitted");
	vset_str(o, "submitted_at", m->submitted_at);
	vset_str(o, "submitted_by_name", m->submitted_by_name);
}

/* --- overview ------------------------------------------------------------- */

/* One module template in use, with its counts. */
struct usage {
	const struct advmod *m;		/* a module of it (names) */
	int64_t		 advances, complete, needs_review, overdue;
};

static int
usage_cmp(const void *a, const void *b)
{
	const struct usage *x = a, *y = b;
	int		 c = strcasecmp(x->m->label, y->m->label);

	return c ? c : strcmp(x->m->name, y->m->name);
}

/* GET /events/{event}/advance-manager — 200 one row per module template
 * used by an advance the actor may view: how many advances, complete,
 * incomplete, needing review, overdue; 404 not a seat or Org Pro user
 * with advancing view somewhere. */
int
h_advm_overview(struct req *r)
{
	struct event_ctx c;
	struct advance	*advs, **ix;
	struct advprog	 p;
	struct usage	*us = NULL;
	const struct advance *a;
	const struct advprog_mod *pm;
	size_t		 nadvs, nus = 0, cap = 0, i, k;
	int64_t		 tot[5] = { 0, 0, 0, 0, 0 };
	json_object	*v, *rows, *o;
	int		 st0;

	if ((st0 = advm_gate(r, &c)) != 0)
		return st0;
	advs = advance_list(r, c.ev.id, 0, &nadvs);
	if (nadvs == (size_t)-1 ||
	    advprog_load(r, c.ev.id, c.ev.timezone, 0, 0, &p) != 0)
		return 503;
	ix = advm_adv_index(r, advs, nadvs);
	for (i = 0; i < p.nmods; i++) {
		pm = &p.pm[i];
		if ((a = advm_adv_find(ix, nadvs, pm->m->advance_id)) == NULL ||
		    adv_level(&c, a) < LV_VIEW)
			continue;
		for (k = 0; k < nus && us[k].m->template_id !=
		    pm->m->template_id; k++)
			;
		if (k == nus) {
			us = arena_grow(r->a, us, nus, &cap, sizeof(*us));
			memset(&us[nus], 0, sizeof(*us));
			us[nus++].m = pm->m;
		}
		us[k].advances++;
		us[k].complete += pm->completion == AC_COMPLETE;
		us[k].needs_review += pm->needs_review;
		us[k].overdue += pm->overdue;
	}
	if (nus > 1)
		qsort(us, nus, sizeof(*us), usage_cmp);

	v = view_new(r);
	event_header_into(r, v, &c, "advancing");
	vset_obj(v, "subnav", adv_subnav_json(r, &c, "manager"));
	rows = json_object_new_array();
	for (k = 0; k < nus; k++) {
		const char *u = table_url(r, c.ev.id, us[k].m->template_id);

		o = json_object_new_object();
		vset_int(o, "template_id", us[k].m->template_id);
		vset_str(o, "name", us[k].m->name);
		vset_str(o, "label", us[k].m->label);
		vset_str(o, "icon", us[k].m->icon);
		vset_str(o, "category", us[k].m->category);
		vset_str(o, "url", u);
		vset_int(o, "advances", us[k].advances);
		vset_int(o, "complete", us[k].complete);
		vset_int(o, "incomplete", us[k].advances - us[k].complete);
		vset_int(o, "needs_review", us[k].needs_review);
		vset_int(o, "overdue", us[k].overdue);
		vset_str(o, "incomplete_url", arena_printf(r->a,
		    "%s?completion=incomplete", u));
		vset_str(o, "needs_review_url", arena_printf(r->a,
		    "%s?needs_review=1", u));
		vset_str(o, "overdue_url", arena_printf(r->a, "%s?overdue=1",
		    u));
		json_object_array_add(rows, o);
		tot[0] += us[k].advances;
		tot[1] += us[k].complete;
		tot[2] += us[k].needs_review;
		tot[3] += us[k].overdue;
	}
	vset_obj(v, "templates", rows);
	vset_bool(v, "has_templates", nus > 0);
	o = json_object_new_object();
	vset_int(o, "modules", tot[0]);
	vset_int(o, "complete", tot[1]);
	vset_int(o, "incomplete", tot[0] - tot[1]);
	vset_int(o, "needs_review", tot[2]);
	vset_int(o, "overdue", tot[3]);
	vset_obj(v, "totals", o);
	vset_str(v, "today", p.today);
	vset_str(v, "approvals_url", arena_printf(r->a, "%s/approvals",
	    advm_url(r, c.ev.id)));
	vset_str(v, "advances_url", arena_printf(r->a, "/events/%lld/advances",
	    (long long)c.ev.id));
	return render_page(r, 200, "advmanager/index", arena_printf(r->a,
	    "Advance Manager · %s", c.ev.name), v);
}

/* --- the module table ------------------------------------------------------ */

const char *
advm_filter_error(const struct req *r, size_t nfilters)
{
	size_t	 i, k;

	for (i = 0; i < r->nerrors; i++)
		for (k = 0; k < nfilters && k < r->route->nfields; k++)
			if (strcmp(r->errors[i].field,
			    r->route->fields[k].name) == 0)
				return r->errors[i].message;
	return NULL;
}

/* The filters of the request (AMT_* fields): 0 or 400 sent. */
static int
filter_read(struct req *r, struct amfilter *f)
{
	const struct input *in = r->in;
	const char	*s;

	memset(f, 0, sizeof(*f));
	f->completion = -1;
	f->sort = "collaborator";
	if ((s = advm_filter_error(r, AMT__FILTERS)) != NULL)
		return page_refuse(r, 400, "invalid-parameter", s);
	if (in[AMT_COLLAB].present)
		f->collab = in[AMT_COLLAB].i;
	if (in[AMT_AREA].present && *(s = in[AMT_AREA].s) != '\0') {
		if (strcmp(s, "none") == 0)
			f->area = -1;
		else if ((f->area = id_of(s, strlen(s))) < 0)
			return page_refuse(r, 400, "invalid-parameter", "area: "
			    "an area id or \"none\".");
	}
	if (in[AMT_COMPLETION].present &&
	    *(s = in[AMT_COMPLETION].s) != '\0') {
		if (strcmp(s, "not_started") == 0)
			f->completion = AC_NOT_STARTED;
		else if (strcmp(s, "in_progress") == 0)
			f->completion = AC_IN_PROGRESS;
		else if (strcmp(s, "complete") == 0)
			f->completion = AC_COMPLETE;
		else if (strcmp(s, "incomplete") == 0)
			f->completion = INCOMPLETE;
		else
			return page_refuse(r, 400, "invalid-parameter",
			    "completion: one of not_started, in_progress, "
			    "complete and incomplete.");
	}
	f->needs_review = in[AMT_REVIEW].present && in[AMT_REVIEW].i;
	f->overdue = in[AMT_OVERDUE].present && in[AMT_OVERDUE].i;
	if (in[AMT_SORT].present && *(s = in[AMT_SORT].s) != '\0') {
		if (strcmp(s, "collaborator") && strcmp(s, "advance") &&
		    strcmp(s, "due") && strcmp(s, "completion"))
			return page_refuse(r, 400, "invalid-parameter", "sort: "
			    "one of collaborator, advance, due and "
			    "completion.");
		f->sort = s;
	}
	if (in[AMT_DIR].present && *(s = in[AMT_DIR].s) != '\0') {
		if (strcmp(s, "asc") && strcmp(s, "desc"))
			return page_refuse(r, 400, "invalid-parameter", "dir: "
			    "asc or desc.");
		f->desc = strcmp(s, "desc") == 0;
	}
	return 0;
}

const char *
advm_filter_query(struct req *r, const struct amfilter *f)
{
	static const char *const comp[] = { "not_started", "in_progress",
	    "complete", "incomplete" };
	const char	*q = "";

	if (f->collab > 0)
		q = arena_printf(r->a, "%s&collaborator=%lld", q,
		    (long long)f->collab);
	if (f->area > 0)
		q = arena_printf(r->a, "%s&area=%lld", q, (long long)f->area);
	else if (f->area < 0)
		q = arena_printf(r->a, "%s&area=none", q);
	if (f->completion >= 0)
		q = arena_printf(r->a, "%s&completion=%s", q,
		    comp[f->completion]);
	if (f->needs_review)
		q = arena_printf(r->a, "%s&needs_review=1", q);
	if (f->overdue)
		q = arena_printf(r->a, "%s&overdue=1", q);
	if (strcmp(f->sort, "collaborator") != 0)
		q = arena_printf(r->a, "%s&sort=%s", q, f->sort);
	if (f->desc)
		q = arena_printf(r->a, "%s&dir=desc", q);
	if (*q == '\0')
		return "";
	return arena_printf(r->a, "?%s", q + 1);
}

static int
row_matches(const struct amfilter *f, const struct amrow *w)
{
	if (f->collab > 0 && w->adv->collab_id != f->collab)
		return 0;
	if (f->area > 0 && w->adv->area_id != f->area)
		return 0;
	if (f->area < 0 && w->adv->area_id != 0)
		return 0;
	if (f->completion == INCOMPLETE &&
	    w->st.completion == AC_COMPLETE)
		return 0;
	if (f->completion >= 0 && f->completion != INCOMPLETE &&
	    (int)w->st.completion != f->completion)
		return 0;
	if (f->needs_review && !w->st.needs_review)
		return 0;
	if (f->overdue && !w->st.overdue)
		return 0;
	return 1;
}

static int
by_names(const struct amrow *x, const struct amrow *y)
{
	int	 c = strcasecmp(x->adv->collab_name, y->adv->collab_name);

	if (c == 0)
		c = strcasecmp(x->adv->name, y->adv->name);
	if (c == 0)
		c = x->mod->id < y->mod->id ? -1 : x->mod->id > y->mod->id;
	return c;
}

/* qsort_r: arg is the filter. Undated modules stay last either way. */
static int
row_cmp(const void *a, const void *b, void *arg)
{
	const struct amfilter *f = arg;
	const struct amrow *x = *(const struct amrow *const *)a;
	const struct amrow *y = *(const struct amrow *const *)b;
	int		 c = 0;

	if (strcmp(f->sort, "due") == 0) {
		if ((x->mod->due_date == NULL) != (y->mod->due_date == NULL))
			return x->mod->due_date == NULL ? 1 : -1;
		if (x->mod->due_date != NULL)
			c = strcmp(x->mod->due_date, y->mod->due_date);
	} else if (strcmp(f->sort, "completion") == 0)
		c = (int)x->st.completion - (int)y->st.completion;
	else if (strcmp(f->sort, "advance") == 0) {
		c = strcasecmp(x->adv->name, y->adv->name);
		if (c == 0)
			c = strcasecmp(x->adv->collab_name,
			    y->adv->collab_name);
	}
	if (c == 0)
		c = by_names(x, y);
	return f->desc ? -c : c;
}

int
advm_table_load(struct req *r, struct amtable *t, const char *tplvar)
{
	struct advance	**ix;
	const struct advance *a;
	struct adv_scope sc = { 0, 0, 0, 0, 0 };
	struct perm_target ev;
	enum level	 lv;
	int64_t		 tid, uid = r->user->id;
	size_t		 i, k;
	int		 st;

	memset(t, 0, sizeof(*t));
	if ((st = advm_gate(r, &t->c)) != 0)
		return st;
	if ((tid = id_of(tplvar, strlen(tplvar))) < 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = advtable_template(r, t->c.ev.id, tid, &t->tpl)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	t->advs = advance_list(r, t->c.ev.id, 0, &t->nadvs);
	if (t->nadvs == (size_t)-1 || advprog_load(r, t->c.ev.id,
	    t->c.ev.timezone, 0, 0, &t->p) != 0)
		return 503;
	sc.template_id = tid;
	t->ans = advtable_answers(r, t->c.ev.id, &sc, &t->nans);
	t->items = advtable_items(r, t->c.ev.id, &sc, &t->nitems);
	t->files = advtable_files(r, t->c.ev.id, tid, &t->nfiles);
	if (t->nans == (size_t)-1 || t->nitems == (size_t)-1 ||
	    t->nfiles == (size_t)-1)
		return 503;
	t->blocks = advprog_blocks(&t->p, tid, &t->nblocks);

	t->cols = arena_calloc(r->a, t->nblocks + 1, sizeof(*t->cols));
	for (i = 0; i < t->nblocks; i++)
		if (t->blocks[i].kind != BK_CONTENT)
			t->cols[t->ncols++] = &t->blocks[i];

	ix = advm_adv_index(r, t->advs, t->nadvs);
	t->rows = arena_calloc(r->a, t->p.nmods + 1, sizeof(*t->rows));
	for (i = 0; i < t->p.nmods; i++) {
		struct amrow	*w = &t->rows[t->nrows];
		const struct advmod *m = &t->p.mods[i];

		if (m->template_id != tid ||
		    (a = advm_adv_find(ix, t->nadvs, m->advance_id)) == NULL ||
		    (lv = adv_level(&t->c, a)) < LV_VIEW)
			continue;
		w->adv = a;
		w->mod = m;
		w->st = t->p.pm[i];
		w->can_admin = lv >= LV_ADMIN;
		w->can_review = adv_can_review(&t->c, uid, a, m);
		w->cells = arena_calloc(r->a, t->ncols + 1, sizeof(*w->cells));
		for (k = 0; k < t->ncols; k++) {
			w->cells[k].b = t->cols[k];
			if (t->cols[k]->kind == BK_QUESTION)
				w->cells[k].ans = advtable_answer(t->ans,
				    t->nans, m->id, t->cols[k]->id);
			else
				w->cells[k].cnt = advprog_count(t->p.items,
				    t->p.nitems, m->id, t->cols[k]->id);
		}
		t->nrows++;
	}
	/* A template none of the actor's advances uses stays unknown to
	 * those who do not see the whole event's advancing. */
	target_event(&ev);
	if (t->nrows == 0 && event_level(&t->c, SEC_ADVANCING, &ev) < LV_VIEW)
		return page_refuse(r, 404, "not-found", NULL);

	if ((st = filter_read(r, &t->f)) != 0)
		return st;
	t->shown = arena_calloc(r->a, t->nrows + 1, sizeof(*t->shown));
	for (i = 0; i < t->nrows; i++)
		if (row_matches(&t->f, &t->rows[i]))
			t->shown[t->nshown++] = &t->rows[i];
	qsort_r(t->shown, t->nshown, sizeof(*t->shown), row_cmp, &t->f);
	return 0;
}

/* --- cells ------------------------------------------------------------------- */

static void
cell_spec(const struct amtable *t, const struct mblock *b,
    struct rt_spec *sp)
{
	modblock_spec(b, t->c.ev.timezone, sp);
}

const struct adv_file **
advm_cell_files(struct req *r, const struct amtable *t,
    const struct amrow *w, const struct amcell *cl, size_t *n)
{
	const struct adv_file **out;
	const char	*p;
	size_t		 lo = 0, hi = t->nfiles, mid, j, cap;
	int64_t		 id;
	char		*end;

	*n = 0;
	if (cl->ans == NULL || cl->b->rtype != RT_FILE)
		return NULL;
	cap = 1;
	for (p = cl->ans->value; *p != '\0'; p++)
		cap += *p == ',';
	out = arena_calloc(r->a, cap + 1, sizeof(*out));
	/* The first file of (module, block): files are ordered so. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->files[mid].module_id < w->mod->id ||
		    (t->files[mid].module_id == w->mod->id &&
		    t->files[mid].block_id < cl->b->id))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (p = cl->ans->value; *p != '\0' && *n < cap; ) {
		id = strtoll(p, &end, 10);
		if (end == p)
			break;
		for (j = lo; j < t->nfiles && t->files[j].module_id ==
		    w->mod->id && t->files[j].block_id == cl->b->id; j++)
			if (t->files[j].id == id) {
				out[(*n)++] = &t->files[j];
				break;
			}
		p = *end == ',' ? end + 1 : end;
	}
	return out;
}

const char *
advm_file_url(struct req *r, const struct amtable *t, const struct amrow *w,
    const struct adv_file *f)
{
	return arena_printf(r->a, "/events/%lld/advances/%lld/modules/%lld/"
	    "answers/%lld/files/%lld", (long long)t->c.ev.id,
	    (long long)w->adv->id, (long long)w->mod->id,
	    (long long)f->block_id, (long long)f->id);
}

const char *
advm_cell_text(struct req *r, const struct amtable *t, const struct amrow *w,
    const struct amcell *cl)
{
	struct rt_spec	 sp;
	const struct adv_file **fs;
	const char	*s = NULL;
	size_t		 n, i;

	if (cl->b->kind == BK_REQUEST) {
		n = cl->cnt ? (size_t)cl->cnt->items : 0;
		return n == 0 ? "" : arena_printf(r->a, "%zu %s", n,
		    n == 1 ? "item" : "items");
	}
	if (cl->ans == NULL)
		return "";
	if (cl->b->rtype == RT_FILE) {
		fs = advm_cell_files(r, t, w, cl, &n);
		for (i = 0; i < n; i++)
			s = s ? arena_printf(r->a, "%s, %s", s, fs[i]->name) :
			    fs[i]->name;
		return s ? s : "";
	}
	cell_spec(t, cl->b, &sp);
	s = answer_display(r->a, &sp, cl->ans->value);
	return s ? s : "";
}

/* A long text cut for a table cell at a character boundary. */
static const char *
cut(struct req *r, const char *s, int *cutp)
{
	size_t	 n = strlen(s);

	*cutp = 0;
	if (n <= CELL_TEXT_MAX)
		return s;
	n = CELL_TEXT_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	*cutp = 1;
	return arena_printf(r->a, "%.*s…", (int)n, s);
}

/* --- the module table's view --------------------------------------------- */

static json_object *
columns_json(struct req *r, const struct amtable *t)
{
	json_object	*a = json_object_new_array();
	size_t		 k;

	for (k = 0; k < t->ncols; k++) {
		const struct mblock *b = t->cols[k];
		json_object	*o = json_object_new_object();

		vset_int(o, "block_id", b->id);
		vset_str(o, "kind", block_kind_name(b->kind));
		vset_bool(o, "question", b->kind == BK_QUESTION);
		vset_bool(o, "request", b->kind == BK_REQUEST);
		vset_str(o, "label", b->label ? b->label : "");
		vset_bool(o, "retired", b->retired);
		if (b->kind == BK_QUESTION) {
			vset_str(o, "response_type", rtype_name(b->rtype));
			vset_bool(o, "required", b->required);
		} else {
			vset_str(o, "asset_type", b->asset_type_label);
			vset_bool(o, "needs_operational_approval",
			    b->needs_op);
			vset_bool(o, "needs_resource_approval", b->needs_res);
			vset_str(o, "items_csv_url", arena_printf(r->a,
			    "%s/blocks/%lld/items.csv", table_url(r,
			    t->c.ev.id, t->tpl.id), (long long)b->id));
		}
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
cell_json(struct req *r, const struct amtable *t, const struct amrow *w,
    const struct amcell *cl, json_object *seen)
{
	json_object	*o = json_object_new_object(), *fa;
	const struct mblock *b = cl->b;
	const struct adv_file **fs;
	struct rt_spec	 sp;
	size_t		 n, i;
	int		 cutp;

	vset_int(o, "block_id", b->id);
	vset_str(o, "label", b->label ? b->label : "");
	vset_bool(o, "question", b->kind == BK_QUESTION);
	vset_bool(o, "request", b->kind == BK_REQUEST);
	vset_str(o, "token", arena_printf(r->a, "%lld:%lld",
	    (long long)w->mod->id, (long long)b->id));
	if (b->kind == BK_REQUEST) {
		n = cl->cnt ? (size_t)cl->cnt->items : 0;
		vset_int(o, "item_count", (long long)n);
		vset_int(o, "items_needing_review", cl->cnt ?
		    cl->cnt->needs_review : 0);
		vset_bool(o, "needs_review", cl->cnt &&
		    cl->cnt->needs_review > 0);
		vset_bool(o, "answered", n > 0);
		vset_str(o, "display", advm_cell_text(r, t, w, cl));
		vset_bool(o, "selectable", w->can_review && cl->cnt &&
		    cl->cnt->needs_review > 0);
		return o;
	}
	vset_bool(o, "answered", cl->ans != NULL);
	vset_bool(o, "needs_review", cl->ans && cl->ans->needs_review);
	vset_bool(o, "selectable", w->can_review && cl->ans &&
	    cl->ans->needs_review);
	if (cl->ans == NULL) {
		vset_obj(o, "value", NULL);
		return o;
	}
	cell_spec(t, b, &sp);
	vset_obj(o, "value", answer_json(&sp, cl->ans->value));
	vset_int(o, "version", cl->ans->version);
	vset_str(o, "updated_at", cl->ans->updated_at);
	vset_str(o, "updated_by_name", cl->ans->updated_by);
	vset_str(o, "reviewed_at", cl->ans->reviewed_at);
	vset_str(o, "reviewed_by_name", cl->ans->reviewed_by);
	if (b->rtype == RT_FILE) {
		fa = json_object_new_array();
		fs = advm_cell_files(r, t, w, cl, &n);
		for (i = 0; i < n; i++) {
			json_object	*f = json_object_new_object();

			vset_int(f, "id", fs[i]->id);
			vset_str(f, "name", fs[i]->name);
			vset_str(f, "content_type", fs[i]->ctype);
			vset_int(f, "size", fs[i]->size);
			vset_str(f, "url", advm_file_url(r, t, w, fs[i]));
			json_object_array_add(fa, f);
		}
		vset_obj(o, "files", fa);
		vset_bool(o, "is_file", 1);
	} else {
		vset_str(o, "display", cut(r, advm_cell_text(r, t, w, cl),
		    &cutp));
		vset_bool(o, "cut", cutp);
		vset_bool(o, "long", b->rtype == RT_LONGTEXT);
	}
	if (cl->ans->needs_review && seen != NULL)
		json_object_array_add(seen, json_object_new_string(
		    arena_printf(r->a, "answer:%lld:%lld:%lld",
		    (long long)w->mod->id, (long long)b->id,
		    (long long)cl->ans->version)));
	return o;
}

static json_object *
row_json(struct req *r, const struct amtable *t, const struct amrow *w,
    json_object *seen)
{
	json_object	*o = json_object_new_object(), *cells;
	const struct advance *a = w->adv;
	size_t		 k;

	vset_int(o, "module_id", w->mod->id);
	vset_int(o, "module_version", w->mod->version);
	vset_str(o, "token", arena_printf(r->a, "%lld:%lld",
	    (long long)w->mod->id, (long long)w->mod->version));
	vset_int(o, "advance_id", a->id);
	vset_str(o, "advance_name", a->name);
	vset_str(o, "advance_url", advance_url(r, t->c.ev.id, a->id));
	vset_str(o, "module_url", arena_printf(r->a, "%s/modules/%lld",
	    advance_url(r, t->c.ev.id, a->id), (long long)w->mod->id));
	vset_int(o, "collaborator_id", a->collab_id);
	vset_str(o, "collaborator_name", a->collab_name);
	vset_str(o, "collaborator_url", arena_printf(r->a,
	    "/events/%lld/collaborators/%lld", (long long)t->c.ev.id,
	    (long long)a->collab_id));
	advance_scope_into(o, a);
	state_into(o, w->mod, &w->st);
	vset_str(o, "reviewer_name", w->mod->reviewer_name);
	vset_bool(o, "can_review", w->can_review);
	vset_bool(o, "can_set_due_date", w->can_admin);
	vset_bool(o, "selectable", w->can_review || w->can_admin);
	cells = json_object_new_array();
	for (k = 0; k < t->ncols; k++)
		json_object_array_add(cells, cell_json(r, t, w, &w->cells[k],
		    w->can_review ? seen : NULL));
	vset_obj(o, "cells", cells);
	return o;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* "item:<id>:<version>" for every item needing review in the shown
 * rows the actor may review. */
static void
seen_items(struct req *r, const struct amtable *t, json_object *seen)
{
	int64_t	*ids = arena_calloc(r->a, t->nshown + 1, sizeof(*ids));
	size_t	 i, n = 0;

	for (i = 0; i < t->nshown; i++)
		if (t->shown[i]->can_review)
			ids[n++] = t->shown[i]->mod->id;
	qsort(ids, n, sizeof(*ids), id_cmp);
	for (i = 0; i < t->nitems; i++)
		if (t->items[i].needs_review && bsearch(&t->items[i].module_id,
		    ids, n, sizeof(*ids), id_cmp) != NULL)
			json_object_array_add(seen, json_object_new_string(
			    arena_printf(r->a, "item:%lld:%lld",
			    (long long)t->items[i].id,
			    (long long)t->items[i].version)));
}

json_object *
advm_option(const char *value, const char *label, int selected)
{
	json_object	*o = json_object_new_object();

	vset_str(o, "value", value);
	vset_str(o, "label", label);
	vset_bool(o, "selected", selected);
	return o;
}

/* Collaborators and areas among the visible rows, for the filters. */
static void
filter_options(struct req *r, const struct amtable *t, json_object *v)
{
	json_object	*co = json_object_new_array();
	json_object	*ao = json_object_new_array();
	const struct amrow **byc;
	size_t		 i, j;
	int		 none = 0;

	byc = arena_calloc(r->a, t->nrows + 1, sizeof(*byc));
	for (i = 0; i < t->nrows; i++)
		byc[i] = &t->rows[i];
	for (i = 0; i < t->nrows; i++) {
		const struct advance *a = byc[i]->adv;

		for (j = 0; j < i && byc[j]->adv->collab_id != a->collab_id;
		    j++)
			;
		if (j == i)
			json_object_array_add(co, advm_option(arena_printf(r->a,
			    "%lld", (long long)a->collab_id), a->collab_name,
			    t->f.collab == a->collab_id));
		if (a->area_id == 0) {
			none = 1;
			continue;
		}
		for (j = 0; j < i && byc[j]->adv->area_id != a->area_id; j++)
			;
		if (j == i)
			json_object_array_add(ao, advm_option(arena_printf(r->a,
			    "%lld", (long long)a->area_id), a->area_name,
			    t->f.area == a->area_id));
	}
	if (none)
		json_object_array_add(ao, advm_option("none", "No area",
		    t->f.area < 0));
	vset_obj(v, "collaborator_options", co);
	vset_obj(v, "area_options", ao);
}

static json_object *
filter_json(struct req *r, const struct amtable *t, json_object *v)
{
	static const struct { const char *v, *l; } comp[] = {
		{ "not_started", "Not started" },
		{ "in_progress", "In progress" },
		{ "complete", "Complete" },
		{ "incomplete", "Not complete" },
	}, sorts[] = {
		{ "collaborator", "Collaborator" }, { "advance", "Advance" },
		{ "due", "Due date" }, { "completion", "Completion" },
	};
	json_object	*f = json_object_new_object(), *a;
	size_t		 i;

	vset_int(f, "collaborator", t->f.collab);
	vset_str(f, "area", t->f.area > 0 ? arena_printf(r->a, "%lld",
	    (long long)t->f.area) : t->f.area < 0 ? "none" : NULL);
	vset_str(f, "completion", t->f.completion >= 0 ?
	    comp[t->f.completion].v : NULL);
	vset_bool(f, "needs_review", t->f.needs_review);
	vset_bool(f, "overdue", t->f.overdue);
	vset_str(f, "sort", t->f.sort);
	vset_str(f, "dir", t->f.desc ? "desc" : "asc");
	vset_bool(f, "desc", t->f.desc);
	vset_str(f, "query", advm_filter_query(r, &t->f));
	a = json_object_new_array();
	for (i = 0; i < 4; i++)
		json_object_array_add(a, advm_option(comp[i].v, comp[i].l,
		    t->f.completion == (int)i));
	vset_obj(v, "completion_options", a);
	a = json_object_new_array();
	for (i = 0; i < 4; i++)
		json_object_array_add(a, advm_option(sorts[i].v, sorts[i].l,
		    strcmp(t->f.sort, sorts[i].v) == 0));
	vset_obj(v, "sort_options", a);
	filter_options(r, t, v);
	return f;
}

/* The module table's view (and its JSON twin); print drops the bulk
 * controls. */
static json_object *
table_view(struct req *r, const struct amtable *t, int print)
{
	json_object	*v = view_new(r), *o, *rows, *seen, *reqs;
	const char	*base = table_url(r, t->c.ev.id, t->tpl.id);
	const char	*q = advm_filter_query(r, &t->f);
	size_t		 i, k;
	int		 any_review = 0, any_admin = 0;

	event_header_into(r, v, &t->c, "advancing");
	vset_obj(v, "subnav", adv_subnav_json(r, &t->c, "manager"));
	o = json_object_new_object();
	vset_int(o, "id", t->tpl.id);
	vset_str(o, "name", t->tpl.name);
	vset_str(o, "label", t->tpl.label);
	vset_str(o, "icon", t->tpl.icon);
	vset_str(o, "category", t->tpl.category);
	vset_obj(v, "template", o);
	vset_obj(v, "columns", columns_json(r, t));
	vset_int(v, "column_count", (long long)t->ncols);
	reqs = json_object_new_array();
	for (k = 0; k < t->ncols; k++)
		if (t->cols[k]->kind == BK_REQUEST) {
			o = json_object_new_object();
			vset_str(o, "label", t->cols[k]->label);
			vset_str(o, "url", arena_printf(r->a,
			    "%s/blocks/%lld/items.csv", base,
			    (long long)t->cols[k]->id));
			json_object_array_add(reqs, o);
		}
	vset_obj(v, "request_blocks", reqs);
	seen = json_object_new_array();
	rows = json_object_new_array();
	for (i = 0; i < t->nshown; i++) {
		json_object_array_add(rows, row_json(r, t, t->shown[i],
		    seen));
		any_review |= t->shown[i]->can_review;
		any_admin |= t->shown[i]->can_admin;
	}
	seen_items(r, t, seen);
	vset_obj(v, "rows", rows);
	vset_bool(v, "has_rows", t->nshown > 0);
	vset_int(v, "count", (long long)t->nshown);
	vset_int(v, "total", (long long)t->nrows);
	vset_str(v, "today", t->p.today);
	vset_str(v, "timezone", t->c.ev.timezone);
	vset_obj(v, "filter", filter_json(r, t, v));
	vset_str(v, "manager_url", advm_url(r, t->c.ev.id));
	vset_str(v, "approvals_url", arena_printf(r->a, "%s/approvals",
	    advm_url(r, t->c.ev.id)));
	vset_str(v, "table_url", base);
	vset_str(v, "csv_url", arena_printf(r->a, "%s.csv%s", base, q));
	vset_str(v, "print_url", arena_printf(r->a, "%s/print%s", base, q));
	if (print) {
		/* No bulk controls: nothing shows what was seen. */
		json_object_put(seen);
		vset_str(v, "generated_text", local_now_text(r,
		    t->c.ev.timezone));
		return v;
	}
	/* An archived event is read-only: no bulk controls. */
	if (t->c.ev.archived)
		any_review = any_admin = 0;
	vset_obj(v, "seen", any_review ? seen : json_object_new_array());
	if (!any_review)
		json_object_put(seen);
	vset_bool(v, "can_bulk", any_review || any_admin);
	vset_bool(v, "can_review", any_review);
	vset_bool(v, "can_set_due_date", any_admin);
	vset_str(v, "bulk_url", arena_printf(r->a, "%s/bulk%s", base, q));
	return v;
}

/* GET /events/{event}/advance-manager/{template}[.csv]?collaborator=
 * &area=&completion=&needs_review=&overdue=&sort=&dir= — 200 a row per
 * visible advance holding the module template and a column per
 * question and request block (the .csv: the same rows as a download);
 * 400 a bad filter; 404 no manager access, no such template here, or
 * none of the actor's advances uses it. */
int
h_advm_table(struct req *r)
{
	struct amtable	 t;
	const char	*var = req_pathvar(r, 1);
	size_t		 n = var ? strlen(var) : 0;
	int		 csv = n > 4 && strcmp(var + n - 4, ".csv") == 0;
	int		 st;

	if ((st = advm_table_load(r, &t, csv ? arena_strndup(r->a, var,
	    n - 4) : var ? var : "")) != 0)
		return st;
	if (csv)
		return advm_table_csv(r, &t);
	return render_page(r, 200, "advmanager/table", arena_printf(r->a,
	    "%s · Advance Manager", t.tpl.label), table_view(r, &t, 0));
}

/* GET /events/{event}/advance-manager/{template}/print — the table as a
 * print-ready page (black on white, no controls), same filters. */
int
h_advm_print(struct req *r)
{
	struct amtable	 t;
	int		 st;

	if ((st = advm_table_load(r, &t, req_pathvar(r, 1))) != 0)
		return st;
	return render_page(r, 200, "advmanager/print", arena_printf(r->a,
	    "%s · print", t.tpl.label), table_view(r, &t, 1));
}

/* --- bulk actions ------------------------------------------------------------ */

const struct adv_item *
advm_items_of(const struct amtable *t, int64_t module, int64_t block,
    size_t *n)
{
	size_t	 lo = 0, hi = t->nitems, mid, end;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->items[mid].module_id < module ||
		    (t->items[mid].module_id == module &&
		    t->items[mid].block_id < block))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < t->nitems && t->items[end].module_id == module &&
	    t->items[end].block_id == block; end++)
		;
	*n = end - lo;
	return t->items + lo;
}

void
advm_problem(struct req *r, struct amprobs *p, int status, const char *fmt,
    ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	p->v = arena_grow(r->a, p->v, p->n, &p->cap, sizeof(*p->v));
	p->v[p->n].status = status;
	p->v[p->n++].msg = arena_vprintf(r->a, fmt, ap);
	va_end(ap);
}

int
advm_problems_send(struct req *r, const struct amprobs *p, const char *tmpl,
    const char *title, json_object *view)
{
	static const int order[] = { 404, 403, 422, 409 };
	static const char *const codes[] = { "not-found",
	    "insufficient-permission", "validation-failed", "edit-conflict" };
	const char	*detail = NULL;
	json_object	*a;
	size_t		 i, k, worst = 3;

	if (db_in_txn())
		db_rollback();
	for (i = 0; i < p->n; i++)
		for (k = 0; k < worst; k++)
			if (p->v[i].status == order[k])
				worst = k;
	log_msg(LOG_INFO, "decision=deny reason=bulk_%s targets=%zu",
	    codes[worst], p->n);
	for (i = 0; i < p->n; i++)
		detail = detail ? arena_printf(r->a, "%s %s", detail,
		    p->v[i].msg) : p->v[i].msg;
	if (r->fmt == FMT_JSON) {
		if (order[worst] != 422)
			return render_error(r, order[worst], codes[worst],
			    arena_printf(r->a, "Nothing was changed. %s",
			    detail));
		for (i = 0; i < p->n; i++)
			valid_error(r, "items", "not-applicable", p->v[i].msg);
		return render_invalid(r, NULL, NULL, view_new(r));
	}
	a = json_object_new_array();
	for (i = 0; i < p->n; i++)
		json_object_array_add(a, json_object_new_string(p->v[i].msg));
	vset_obj(view, "problems", a);
	vset_bool(view, "has_problems", 1);
	return render_page(r, order[worst], tmpl, title, view);
}

/* Rows by module id for the bulk lookups. */
static int
row_by_mod(const void *a, const void *b)
{
	const struct amrow *x = *(const struct amrow *const *)a;
	const struct amrow *y = *(const struct amrow *const *)b;

	return x->mod->id < y->mod->id ? -1 : x->mod->id > y->mod->id;
}

static const struct amrow *
row_find(const struct amrow **ix, size_t n, int64_t module)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix[mid]->mod->id == module)
			return ix[mid];
		if (ix[mid]->mod->id < module)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* "12:34" or "12:34:5": up to three ids (the last may be absent). 1, or
 * 0 when malformed. */
static int
token_ids(const char *s, int64_t out[3], size_t *n)
{
	char		*end;
	long long	 v;

	*n = 0;
	while (*n < 3) {
		if (*s < '0' || *s > '9')
			return 0;
		v = strtoll(s, &end, 10);
		if (v <= 0 && *n < 2)
			return 0;
		out[(*n)++] = v;
		if (*end == '\0')
			return 1;
		if (*end != ':')
			return 0;
		s = end + 1;
	}
	return 0;
}

/* The versions the page showed: answers and items. */
struct seen {
	int64_t		 m, b, v;	/* answers */
};
struct seenset {
	struct seen	*a;
	size_t		 na;
	int64_t		(*it)[2];	/* items: id, version */
	size_t		 nit;
};

/* Read AMB_SEEN: 0, or 1 with a field error. */
static int
seen_read(struct req *r, struct seenset *ss)
{
	const struct input *in = &r->in[AMB_SEEN];
	int64_t		 ids[3];
	size_t		 i, n;

	memset(ss, 0, sizeof(*ss));
	ss->a = arena_calloc(r->a, in->nmulti + 1, sizeof(*ss->a));
	ss->it = arena_calloc(r->a, in->nmulti + 1, sizeof(*ss->it));
	for (i = 0; i < in->nmulti; i++) {
		const char *s = in->multi[i];

		if (strncmp(s, "answer:", 7) == 0 && token_ids(s + 7, ids,
		    &n) && n == 3) {
			ss->a[ss->na].m = ids[0];
			ss->a[ss->na].b = ids[1];
			ss->a[ss->na++].v = ids[2];
		} else if (strncmp(s, "item:", 5) == 0 && token_ids(s + 5,
		    ids, &n) && n == 2) {
			ss->it[ss->nit][0] = ids[0];
			ss->it[ss->nit++][1] = ids[1];
		} else {
			valid_error(r, "seen", "invalid", "Versions seen must "
			    "be answer:<module>:<block>:<version> or "
			    "item:<item>:<version>.");
			return 1;
		}
	}
	return 0;
}

/* The version the page showed of an answer (-1: not shown). */
static int64_t
seen_answer(const struct seenset *ss, int64_t m, int64_t b)
{
	size_t	 i;

	for (i = 0; i < ss->na; i++)
		if (ss->a[i].m == m && ss->a[i].b == b)
			return ss->a[i].v;
	return -1;
}

static int64_t
seen_item(const struct seenset *ss, int64_t id)
{
	size_t	 i;

	for (i = 0; i < ss->nit; i++)
		if (ss->it[i][0] == id)
			return ss->it[i][1];
	return -1;
}

/* What a review writes: answers and items, each once. */
struct rv_target {
	const struct amrow	*w;
	const struct mblock	*b;
	const struct adv_answer	*a;	/* or */
	const struct adv_item	*it;
	int64_t			 seen;
};
struct rv_plan {
	struct rv_target	*v;
	size_t			 n, cap;
};

static const char *
row_name(struct req *r, const struct amrow *w)
{
	return arena_printf(r->a, "%s — %s", w->adv->collab_name,
	    w->adv->name);
}

static int
planned(const struct rv_plan *pl, const struct adv_answer *a,
    const struct adv_item *it)
{
	size_t	 i;

	for (i = 0; i < pl->n; i++)
		if ((a && pl->v[i].a == a) || (it && pl->v[i].it == it))
			return 1;
	return 0;
}

/* Plan the review of block b of row w (every block when b is NULL):
 * what needs review there and was shown at its current version. */
static void
plan_review(struct req *r, const struct amtable *t, const struct amrow *w,
    const struct mblock *only, const struct seenset *ss, struct rv_plan *pl,
    struct amprobs *pb)
{
	const struct adv_item *its;
	size_t		 k, j, n;
	int64_t		 sv;

	for (k = 0; k < t->ncols; k++) {
		const struct amcell *cl = &w->cells[k];
		const char	*lbl = cl->b->label ? cl->b->label : "";

		if (only != NULL && cl->b != only)
			continue;
		if (cl->b->kind == BK_QUESTION) {
			if (cl->ans == NULL || !cl->ans->needs_review ||
			    planned(pl, cl->ans, NULL))
				continue;
			if ((sv = seen_answer(ss, w->mod->id, cl->b->id)) !=
			    cl->ans->version) {
				advm_problem(r, pb, 409, "“%s” of %s changed "
				    "after the page was shown.", lbl,
				    row_name(r, w));
				continue;
			}
			pl->v = arena_grow(r->a, pl->v, pl->n, &pl->cap,
			    sizeof(*pl->v));
			pl->v[pl->n++] = (struct rv_target){ w, cl->b,
			    cl->ans, NULL, sv };
			continue;
		}
		its = advm_items_of(t, w->mod->id, cl->b->id, &n);
		for (j = 0; j < n; j++) {
			if (!its[j].needs_review || planned(pl, NULL, &its[j]))
				continue;
			if ((sv = seen_item(ss, its[j].id)) != its[j].version) {
				advm_problem(r, pb, 409, "An item of “%s” of %s "
				    "changed or was added after the page was "
				    "shown.", lbl, row_name(r, w));
				continue;
			}
			pl->v = arena_grow(r->a, pl->v, pl->n, &pl->cap,
			    sizeof(*pl->v));
			pl->v[pl->n++] = (struct rv_target){ w, cl->b, NULL,
			    &its[j], sv };
		}
	}
}

/* The rows a bulk form names, checked: modules "<id>[:<version>]" and
 * cells "<module>:<block>". Field errors for malformed tokens; problems
 * for rows not in the table or not allowed. */
struct bulk_sel {
	const struct amrow	**rows;
	int64_t			*versions;	/* -1 not given */
	size_t			 nrows;
	const struct amrow	**crow;		/* cells */
	const struct mblock	**cblock;
	size_t			 ncells;
};

static void
bulk_select(struct req *r, const struct amtable *t, int due,
    struct bulk_sel *sel, struct amprobs *pb)
{
	const struct input *mi = &r->in[AMB_MODULES], *ci = &r->in[AMB_CELLS];
	const struct amrow **ix, *w;
	int64_t		 ids[3];
	size_t		 i, k, n;

	memset(sel, 0, sizeof(*sel));
	ix = arena_calloc(r->a, t->nrows + 1, sizeof(*ix));
	for (i = 0; i < t->nrows; i++)
		ix[i] = &t->rows[i];
	qsort(ix, t->nrows, sizeof(*ix), row_by_mod);
	sel->rows = arena_calloc(r->a, mi->nmulti + 1, sizeof(*sel->rows));
	sel->versions = arena_calloc(r->a, mi->nmulti + 1,
	    sizeof(*sel->versions));
	for (i = 0; i < mi->nmulti; i++) {
		if (!token_ids(mi->multi[i], ids, &n) || n > 2) {
			valid_error(r, "modules", "invalid", "Modules must be "
			    "<module id>:<version>.");
			return;
		}
		if ((w = row_find(ix, t->nrows, ids[0])) == NULL) {
			advm_problem(r, pb, 404, "Module %lld is not in this "
			    "table.", (long long)ids[0]);
			continue;
		}
		if (due ? !w->can_admin : !w->can_review) {
			advm_problem(r, pb, 403, due ? "You can't change the "
			    "due date of %s: that needs advancing admin." :
			    "You can't review %s.", row_name(r, w));
			continue;
		}
		for (k = 0; k < sel->nrows && sel->rows[k] != w; k++)
			;
		if (k < sel->nrows)
			continue;
		sel->rows[sel->nrows] = w;
		sel->versions[sel->nrows++] = n == 2 ? ids[1] : -1;
	}
	if (due)
		return;
	sel->crow = arena_calloc(r->a, ci->nmulti + 1, sizeof(*sel->crow));
	sel->cblock = arena_calloc(r->a, ci->nmulti + 1,
	    sizeof(*sel->cblock));
	for (i = 0; i < ci->nmulti; i++) {
		if (!token_ids(ci->multi[i], ids, &n) || n != 2) {
			valid_error(r, "cells", "invalid", "Answers must be "
			    "<module id>:<block id>.");
			return;
		}
		w = row_find(ix, t->nrows, ids[0]);
		for (k = 0; w != NULL && k < t->ncols &&
		    t->cols[k]->id != ids[1]; k++)
			;
		if (w == NULL || k == t->ncols) {
			advm_problem(r, pb, 404, "Answer %lld:%lld is not in "
			    "this table.", (long long)ids[0],
			    (long long)ids[1]);
			continue;
		}
		if (!w->can_review) {
			advm_problem(r, pb, 403, "You can't review %s.",
			    row_name(r, w));
			continue;
		}
		sel->crow[sel->ncells] = w;
		sel->cblock[sel->ncells++] = t->cols[k];
	}
}

static int
mod_id_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Begin the bulk write: the event's shared lock, then the modules
 * touched, in id order (writers of one module queue behind each
 * other; the same order everywhere avoids deadlocks). 0, 409 archived
 * (sent), -1 error. */
static int
begin_modules(struct req *r, const struct event_ctx *c, int64_t *ids,
    size_t n)
{
	struct advmod	 m;
	size_t		 i;
	int		 st;

	qsort(ids, n, sizeof(*ids), mod_id_cmp);
	if (db_begin() != 0 || (st = event_lock_shared(r, c->ev.id)) < 0)
		return -1;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	for (i = 0; i < n; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		if (advmod_lock(r, c->ev.id, ids[i], &m) < 0)
			return -1;
	}
	return 0;
}

static const char *
target_label(struct req *r, const struct amtable *t, const struct amrow *w)
{
	return arena_printf(r->a, "%s — %s — %s", w->adv->collab_name,
	    w->adv->name, t->tpl.label);
}

/* Write the planned reviews. 0, 1 a stale one (problem added), -1. */
static int
write_reviews(struct req *r, const struct amtable *t,
    const struct rv_plan *pl, struct amprobs *pb)
{
	int64_t		 uid = r->user->id;
	json_object	*ch;
	size_t		 i;
	int		 rc;

	for (i = 0; i < pl->n; i++) {
		const struct rv_target *x = &pl->v[i];

		rc = x->a ? answer_review(r, t->c.ev.id, x->w->mod->id,
		    x->b->id, x->seen, uid) : lineitem_review(r, t->c.ev.id,
		    x->it->id, x->seen, uid);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			advm_problem(r, pb, 409, "“%s” of %s changed while "
			    "this was saved.", x->b->label ? x->b->label : "",
			    row_name(r, x->w));
			return 1;
		}
		ch = json_object_new_object();
		vset_str(ch, "review", "reviewed");
		vset_int(ch, "advance_module_id", x->w->mod->id);
		vset_int(ch, "block_id", x->b->id);
		vset_int(ch, "version_seen", x->seen);
		vset_str(ch, "via", "advance manager");
		rc = audit(r, t->c.ev.org_id, t->c.ev.id, x->a ?
		    "answer.reviewed" : "line_item.reviewed", x->a ? "answer" :
		    "line_item", x->a ? x->a->id : x->it->id, arena_printf(r->a,
		    "%s — %s", target_label(r, t, x->w), x->b->label ?
		    x->b->label : ""), ch);
		json_object_put(ch);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Write the due dates of the selected modules. 0, 1 stale, -1. */
static int
write_due(struct req *r, const struct amtable *t, const struct bulk_sel *sel,
    const char *due, size_t *changed, struct amprobs *pb)
{
	json_object	*ch, *x;
	size_t		 i;
	int		 rc;

	*changed = 0;
	for (i = 0; i < sel->nrows; i++) {
		const struct amrow *w = sel->rows[i];
		const char	*old = w->mod->due_date;

		if ((old == NULL && due == NULL) || (old != NULL &&
		    due != NULL && strcmp(old, due) == 0))
			continue;
		if ((rc = advtable_set_due(r, t->c.ev.id, w->mod->id,
		    sel->versions[i], due)) < 0)
			return -1;
		if (rc == 0) {
			advm_problem(r, pb, 409, "The settings of %s changed "
			    "while this was saved.", row_name(r, w));
			return 1;
		}
		ch = json_object_new_object();
		x = json_object_new_object();
		vset_str(x, "old", old);
		vset_str(x, "new", due);
		json_object_object_add(ch, "due_date", x);
		vset_int(ch, "advance_id", w->adv->id);
		vset_str(ch, "via", "advance manager");
		rc = audit(r, t->c.ev.org_id, t->c.ev.id,
		    "advance_module.updated", "advance_module", w->mod->id,
		    target_label(r, t, w), ch);
		json_object_put(ch);
		if (rc != 0 || advtrack_sync_module(r, t->c.ev.id,
		    w->mod->id) != 0)
			return -1;
		(*changed)++;
	}
	return 0;
}

static int
bulk_invalid(struct req *r, const struct amtable *t)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	v = table_view(r, t, 0);
	return render_invalid(r, "advmanager/table", arena_printf(r->a,
	    "%s · Advance Manager", t->tpl.label), v);
}

static int
bulk_refused(struct req *r, const struct amtable *t, struct amprobs *pb)
{
	return advm_problems_send(r, pb, "advmanager/table", arena_printf(r->a,
	    "%s · Advance Manager", t->tpl.label), r->fmt == FMT_JSON ? NULL :
	    table_view(r, t, 0));
}

static int
bulk_done(struct req *r, const struct amtable *t, const char *action,
    size_t answers, size_t items, size_t modules)
{
	json_object	*v;

	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_str(v, "action", action);
		vset_int(v, "answers_reviewed", (long long)answers);
		vset_int(v, "items_reviewed", (long long)items);
		vset_int(v, "modules_changed", (long long)modules);
		return render_json(r, 200, v);
	}
	if (strcmp(action, "set_due_date") == 0)
		flash(r, "ok", modules ? arena_printf(r->a, "Due date changed "
		    "on %zu module%s.", modules, modules == 1 ? "" : "s") :
		    "The due dates were already so: nothing changed.");
	else
		flash(r, "ok", answers + items ? arena_printf(r->a,
		    "%zu answer%s and %zu line item%s marked reviewed.",
		    answers, answers == 1 ? "" : "s", items, items == 1 ? "" :
		    "s") : "Nothing selected needed review.");
	return render_redirect(r, arena_printf(r->a, "%s%s", table_url(r,
	    t->c.ev.id, t->tpl.id), advm_filter_query(r, &t->f)));
}

/* POST /events/{event}/advance-manager/{template}/bulk — action
 * mark_reviewed (modules and/or cells, with the versions seen) or
 * set_due_date (modules with their versions, due_date or
 * clear_due_date): all or nothing. 303 back to the table (200 JSON
 * with counts); 403 no right to act here or on a selected row; 404 a
 * selection not in the table; 409 archived, or something changed since
 * the page was shown; 422 bad input (nothing changed either way). */
int
h_advm_bulk(struct req *r)
{
	struct amtable	 t;
	struct amprobs	 pb;
	struct bulk_sel	 sel;
	struct seenset	 ss;
	struct rv_plan	 pl;
	const struct input *in = r->in;
	const char	*action, *due = NULL;
	int64_t		*mods;
	size_t		 i, na = 0, ni = 0, changed = 0;
	int		 st, is_due, any = 0;

	if ((st = advm_table_load(r, &t, req_pathvar(r, 1))) != 0)
		return st;
	for (i = 0; i < t.nrows; i++)
		any |= t.rows[i].can_review || t.rows[i].can_admin;
	if (!any && !event_level_somewhere(&t.c, SEC_ADVANCING, LV_ADMIN))
		return page_refuse(r, 403, "insufficient-permission", "Bulk "
		    "actions need advancing admin, or being the reviewer of "
		    "a module.");
	if ((st = event_writable(r, &t.c)) != 0)
		return st;
	memset(&pb, 0, sizeof(pb));
	memset(&pl, 0, sizeof(pl));
	action = in[AMB_ACTION].present ? in[AMB_ACTION].s : "";
	is_due = strcmp(action, "set_due_date") == 0;
	if (!is_due && strcmp(action, "mark_reviewed") != 0)
		valid_error(r, "action", r->in[AMB_ACTION].present ? "invalid" :
		    "required", "Action must be mark_reviewed or "
		    "set_due_date.");
	if (is_due) {
		if (in[AMB_DUE].present)
			due = in[AMB_DUE].s;
		else if (!(in[AMB_CLEAR_DUE].present &&
		    in[AMB_CLEAR_DUE].i) && r->nerrors == 0)
			valid_error(r, "due_date", "required", "Enter a due "
			    "date, or choose to clear it.");
		if (in[AMB_MODULES].nmulti == 0 && r->nerrors == 0)
			valid_error(r, "modules", "required", "Tick at least "
			    "one module.");
	} else if (r->nerrors == 0 && in[AMB_MODULES].nmulti == 0 &&
	    in[AMB_CELLS].nmulti == 0)
		valid_error(r, "modules", "required", "Tick at least one module "
		    "or answer.");
	if (r->nerrors)
		return bulk_invalid(r, &t);
	if (!is_due && seen_read(r, &ss) != 0)
		return bulk_invalid(r, &t);
	bulk_select(r, &t, is_due, &sel, &pb);
	if (r->nerrors)
		return bulk_invalid(r, &t);
	if (is_due) {
		for (i = 0; i < sel.nrows; i++)
			if (sel.versions[i] < 0) {
				valid_error(r, "modules", "invalid", "Each "
				    "module needs the version you saw: "
				    "<module id>:<version>.");
				return bulk_invalid(r, &t);
			} else if (sel.versions[i] != sel.rows[i]->mod->version)
				advm_problem(r, &pb, 409, "The settings of %s "
				    "changed after the page was shown.",
				    row_name(r, sel.rows[i]));
	} else {
		for (i = 0; i < sel.nrows; i++)
			plan_review(r, &t, sel.rows[i], NULL, &ss, &pl, &pb);
		for (i = 0; i < sel.ncells; i++)
			plan_review(r, &t, sel.crow[i], sel.cblock[i], &ss,
			    &pl, &pb);
	}
	if (pb.n)
		return bulk_refused(r, &t, &pb);

	mods = arena_calloc(r->a, sel.nrows + pl.n + 1, sizeof(*mods));
	for (i = 0; i < sel.nrows; i++)
		mods[i] = sel.rows[i]->mod->id;
	for (i = 0; i < pl.n; i++)
		mods[sel.nrows + i] = pl.v[i].w->mod->id;
	if ((st = begin_modules(r, &t.c, mods, sel.nrows + pl.n)) != 0)
		return st < 0 ? 503 : st;
	st = is_due ? write_due(r, &t, &sel, due, &changed, &pb) :
	    write_reviews(r, &t, &pl, &pb);
	if (st < 0)
		return 503;
	if (st > 0)
		return bulk_refused(r, &t, &pb);
	if (db_commit() != 0)
		return 503;
	for (i = 0; i < pl.n; i++)
		pl.v[i].a ? na++ : ni++;
	log_msg(LOG_INFO, "event=%lld template=%lld action=%s answers=%zu "
	    "items=%zu modules=%zu msg=\"bulk action\"", (long long)t.c.ev.id,
	    (long long)t.tpl.id, action, na, ni, changed);
	return bulk_done(r, &t, action, na, ni, changed);
}
