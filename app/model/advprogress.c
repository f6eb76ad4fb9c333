/* advprogress.c — module completion and advance progress over many
 * advances in four queries. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advprogress.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/modblock.h"
#include "policy/tz.h"
#include "render/view.h"

#define COUNTS_MAX	200000	/* (module, block) pairs read at once */

/* Answers and line items per (module, block), narrowed like the module
 * lists: 0 means "any" for the collaborator and the advance. */
static struct dbq q_answers = DBQ(
    "SELECT x.advance_module_id, x.block_id, COUNT(*),"
    " COUNT(CASE WHEN x.review = 'needs_review' THEN 1 END), 0"
    " FROM answers x JOIN advance_modules m ON m.id = x.advance_module_id"
    " JOIN advances a ON a.id = m.advance_id"
    " WHERE x.event_id = ? AND (? = 0 OR a.collaborator_id = ?)"
    " AND (? = 0 OR m.advance_id = ?)"
    " GROUP BY x.advance_module_id, x.block_id"
    " ORDER BY x.advance_module_id, x.block_id");
static struct dbq q_items = DBQ(
    "SELECT x.advance_module_id, x.block_id, COUNT(*),"
    " COUNT(CASE WHEN x.review = 'needs_review' THEN 1 END),"
    " COUNT(CASE WHEN x.procurement_linked = 1 THEN 1 END)"
    " FROM line_items x JOIN advance_modules m ON m.id = x.advance_module_id"
    " JOIN advances a ON a.id = m.advance_id"
    " WHERE x.event_id = ? AND (? = 0 OR a.collaborator_id = ?)"
    " AND (? = 0 OR m.advance_id = ?)"
    " GROUP BY x.advance_module_id, x.block_id"
    " ORDER BY x.advance_module_id, x.block_id");

static const struct advprog_adv empty_adv;

void
advprog_today(const char *zone, char *out, size_t outsz)
{
	int64_t	 ls, now = (int64_t)time(NULL);

	if (zone == NULL || tz_utc_to_local(zone, now, &ls, NULL, 0) != TZ_OK)
		ls = now;
	tz_fmt_date(ls / 86400, out, outsz);
}

static int
fetch_count(struct req *r, struct dbq *q, void *row)
{
	struct adv_count *c = row;

	(void)r;
	return db_fetch(q, "iiiii", &c->module_id, &c->block_id, &c->items,
	    &c->needs_review, &c->locked);
}

static struct adv_count *
read_counts(struct req *r, struct dbq *q, int64_t ev, int64_t collab,
    int64_t adv, size_t *n)
{
	if (db_select(q, "iiiii", ev, collab, collab, adv, adv) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, q, fetch_count, sizeof(struct adv_count),
	    COUNTS_MAX, n);
}

static int
count_cmp(const void *k, const void *e)
{
	const struct adv_count *a = k, *b = e;

	if (a->module_id != b->module_id)
		return a->module_id < b->module_id ? -1 : 1;
	if (a->block_id != b->block_id)
		return a->block_id < b->block_id ? -1 : 1;
	return 0;
}

const struct adv_count *
advprog_count(const struct adv_count *v, size_t n, int64_t module,
    int64_t block)
{
	struct adv_count	 k;

	if (n == 0)
		return NULL;
	k.module_id = module;
	k.block_id = block;
	return bsearch(&k, v, n, sizeof(*v), count_cmp);
}

/* Every row of a module, whatever its block (removal counts). */
static void
module_totals(const struct adv_count *v, size_t n, int64_t module,
    int64_t *rows, int64_t *locked)
{
	struct adv_count	 k;
	size_t		 lo = 0, hi = n, i;

	*rows = *locked = 0;
	k.module_id = module;
	k.block_id = 0;
	/* The first pair of the module: lower bound on (module, 0). */
	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (count_cmp(&v[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && v[i].module_id == module; i++) {
		*rows += v[i].items;
		*locked += v[i].locked;
	}
}

/* The blocks of one template: a run of the list ordered by template. */
static size_t
template_run(const struct mblock *b, size_t n, int64_t tpl, size_t *first)
{
	size_t	 lo = 0, hi = n, k;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (b[mid].template_id < tpl)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (k = lo; k < n && b[k].template_id == tpl; k++)
		;
	return k - lo;
}

static void
module_state(struct advprog_mod *pm, const struct mblock *blocks,
    size_t nblocks, const struct adv_count *ans, size_t nans,
    const struct adv_count *items, size_t nitems, struct adv_item_state *st,
    const char *today)
{
	const struct advmod	*m = pm->m;
	size_t			 first, nb, i, ns = 0;
	int64_t			 rows, locked;

	nb = template_run(blocks, nblocks, m->template_id, &first);
	for (i = first; i < first + nb; i++) {
		const struct mblock	*b = &blocks[i];
		const struct adv_count	*c;

		if (b->retired || b->kind == BK_CONTENT)
			continue;
		memset(&st[ns], 0, sizeof(st[ns]));
		st[ns].question = b->kind == BK_QUESTION;
		st[ns].required = b->kind == BK_QUESTION && b->required;
		c = advprog_count(b->kind == BK_QUESTION ? ans : items,
		    b->kind == BK_QUESTION ? nans : nitems, m->id, b->id);
		if (c != NULL) {
			st[ns].answered = c->items > 0;
			st[ns].needs_review = c->needs_review > 0;
		}
		ns++;
	}
	pm->completion = adv_module_completion(st, ns, m->submission,
	    m->submitted);
	pm->needs_review = adv_module_needs_review(st, ns);
	pm->overdue = adv_overdue(pm->completion, m->due_date, today);
	adv_progress(st, ns, &pm->req_answered, &pm->req_total);
	module_totals(ans, nans, m->id, &rows, &locked);
	pm->answers = rows;
	module_totals(items, nitems, m->id, &rows, &locked);
	pm->line_items = rows;
	pm->locked_items = locked;
}

/* Add one module into its advance's summary. */
static void
adv_add(struct advprog_adv *a, const struct advprog_mod *pm)
{
	const struct advmod	*m = pm->m;
	int			 done = pm->completion == AC_COMPLETE;

	a->nmods++;
	a->complete += done;
	if (m->required) {
		a->required++;
		a->required_complete += done;
		a->overdue |= pm->overdue;
	}
	a->any_overdue |= pm->overdue;
	a->started |= pm->completion != AC_NOT_STARTED;
	a->needs_review |= pm->needs_review;
	a->req_answered += pm->req_answered;
	a->req_total += pm->req_total;
	a->answers += pm->answers;
	a->line_items += pm->line_items;
	a->locked_items += pm->locked_items;
	if (!done && m->due_date != NULL && (a->next_due == NULL ||
	    strcmp(m->due_date, a->next_due) < 0))
		a->next_due = m->due_date;
}

int
advprog_load(struct req *r, int64_t ev, const char *zone, int64_t collab,
    int64_t adv, struct advprog *p)
{
	struct mblock		*blocks;
	struct adv_count	*ans, *items;
	struct adv_item_state	*st;
	size_t			 nblocks, nans, nitems, i, maxb = 0, cap = 0;

	memset(p, 0, sizeof(*p));
	advprog_today(zone, p->today, sizeof(p->today));
	p->mods = adv > 0 ? advmod_list(r, ev, adv, &p->nmods) :
	    advmod_list_event(r, ev, collab, &p->nmods);
	if (p->nmods == (size_t)-1)
		return -1;
	blocks = adv > 0 ? modblock_list_advance(r, ev, adv, &nblocks) :
	    modblock_list_event(r, ev, &nblocks);
	if (nblocks == (size_t)-1)
		return -1;
	ans = read_counts(r, &q_answers, ev, collab, adv, &nans);
	if (nans == (size_t)-1)
		return -1;
	items = read_counts(r, &q_items, ev, collab, adv, &nitems);
	if (nitems == (size_t)-1)
		return -1;
	p->blocks = blocks;
	p->nblocks = nblocks;
	p->ans = ans;
	p->nans = nans;
	p->items = items;
	p->nitems = nitems;

	/* One scratch array, as long as the longest template. */
	for (i = 0; i < nblocks; ) {
		size_t	 first, n = template_run(blocks, nblocks,
		    blocks[i].template_id, &first);

		if (n > maxb)
			maxb = n;
		i = first + n;
	}
	st = arena_calloc(r->a, maxb + 1, sizeof(*st));
	p->pm = arena_calloc(r->a, p->nmods + 1, sizeof(*p->pm));
	for (i = 0; i < p->nmods; i++) {
		struct advprog_adv	*a;

		p->pm[i].m = &p->mods[i];
		module_state(&p->pm[i], blocks, nblocks, ans, nans, items,
		    nitems, st, p->today);
		/* Modules come grouped by advance. */
		if (p->nadvs == 0 ||
		    p->advs[p->nadvs - 1].advance_id != p->mods[i].advance_id) {
			p->advs = arena_grow(r->a, p->advs, p->nadvs, &cap,
			    sizeof(*p->advs));
			a = &p->advs[p->nadvs++];
			memset(a, 0, sizeof(*a));
			a->advance_id = p->mods[i].advance_id;
			a->first = i;
		}
		adv_add(&p->advs[p->nadvs - 1], &p->pm[i]);
	}
	for (i = 0; i < p->nadvs; i++)
		p->advs[i].done = p->advs[i].required_complete ==
		    p->advs[i].required;
	return 0;
}

const struct mblock *
advprog_blocks(const struct advprog *p, int64_t tpl, size_t *n)
{
	size_t	 first;

	*n = template_run(p->blocks, p->nblocks, tpl, &first);
	return *n ? &p->blocks[first] : NULL;
}

static int
adv_cmp(const void *k, const void *e)
{
	const int64_t			*id = k;
	const struct advprog_adv	*a = e;

	return *id < a->advance_id ? -1 : *id > a->advance_id;
}

const struct advprog_adv *
advprog_find(const struct advprog *p, int64_t id)
{
	const struct advprog_adv	*a = NULL;

	if (p->nadvs > 0)
		a = bsearch(&id, p->advs, p->nadvs, sizeof(*p->advs), adv_cmp);
	return a != NULL ? a : &empty_adv;
}

const struct advprog_mod *
advprog_module(const struct advprog *p, int64_t id)
{
	size_t	 i;

	for (i = 0; i < p->nmods; i++)
		if (p->mods[i].id == id)
			return &p->pm[i];
	return NULL;
}

enum adv_completion
advprog_state(const struct advprog_adv *a)
{
	if (a->nmods == 0)
		return AC_NOT_STARTED;
	if (a->done)
		return AC_COMPLETE;
	return a->started ? AC_IN_PROGRESS : AC_NOT_STARTED;
}

json_object *
advprog_adv_json(const struct advprog_adv *a)
{
	json_object		*o = json_object_new_object();
	enum adv_completion	 s = advprog_state(a);
	long long		 pct;

	if (a->req_total > 0)
		pct = (long long)(a->req_answered * 100 / a->req_total);
	else
		pct = s == AC_COMPLETE ? 100 : 0;
	vset_str(o, "state", adv_completion_name(s));
	vset_str(o, "state_label", a->nmods == 0 ? "No modules" :
	    adv_completion_label(s));
	vset_int(o, "modules", (long long)a->nmods);
	vset_int(o, "modules_complete", (long long)a->complete);
	vset_int(o, "required_modules", (long long)a->required);
	vset_int(o, "required_modules_complete",
	    (long long)a->required_complete);
	vset_int(o, "required_answered", (long long)a->req_answered);
	vset_int(o, "required_total", (long long)a->req_total);
	vset_int(o, "percent", pct);
	vset_bool(o, "complete", a->nmods > 0 && a->done);
	vset_bool(o, "overdue", a->overdue);
	vset_bool(o, "needs_review", a->needs_review);
	vset_str(o, "next_due", a->next_due);
	return o;
}

json_object *
advprog_mod_json(const struct advprog_mod *pm)
{
	json_object	*o = json_object_new_object();

	vset_str(o, "completion", adv_completion_name(pm->completion));
	vset_str(o, "completion_label", adv_completion_label(pm->completion));
	vset_bool(o, "needs_review", pm->needs_review);
	vset_bool(o, "overdue", pm->overdue);
	vset_int(o, "required_answered", (long long)pm->req_answered);
	vset_int(o, "required_total", (long long)pm->req_total);
	return o;
}
