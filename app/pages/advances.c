/* advances.c — advances for staff (PRODUCT §13.4): the event's list with
 * progress and "no respondent" warnings (§13.11), creating an advance
 * blank or from an advance template, its settings (name, area,
 * activity), its modules (add, settings, reorder, remove) and removal;
 * and a collaborator's Advances tab.
 *
 * Permissions (§5 advancing row): an advance is covered by Event grants,
 * by Collaborator grants on its collaborator and by Area grants on its
 * area (advperm.c). Seeing needs advancing view covering it — anyone
 * else gets the 404 of an advance that does not exist, so a vendor
 * never learns about another collaborator's advances; managing (create,
 * delete, modules, due dates, reviewers) needs advancing admin covering
 * it, else 403. Areas and activities offered or accepted are those the
 * actor can see.
 *
 * Writes run in one transaction: the event's shared lock (an archive
 * waits; archived answers 409), the advance row FOR UPDATE so changes of
 * one advance and its modules happen one at a time, a fresh read, the
 * change, task tracking told (advtrack.h) and the audit entry. A form
 * carries the version it was made from; a stale one answers 409 with
 * both values (HTML) — JSON sends If-Match (412 when stale) or the
 * version field (409); neither is required on these settings routes.
 *
 * Removing a module or an advance that holds answers or line items
 * needs confirm = how many go; the audit entry keeps their values.
 * Procurement-linked line items refuse it (409 request-locked). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deny.h"
#include "actperm.h"
#include "advances.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "etag.h"
#include "eventctx.h"
#include "events.h"
#include "model/activity.h"
#include "model/advance.h"
#include "model/advedit.h"
#include "model/advprogress.h"
#include "model/advtrack.h"
#include "model/audit.h"
#include "model/collab.h"
#include "model/event.h"
#include "model/eventuser.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/view.h"

#define MODS_MAX	200	/* modules of one advance */

/* The event, the actor on it and, below /advances/{adv}, the advance
 * with the actor's advancing level on it. */
struct actx {
	struct event_ctx ec;
	struct advance	 a;
	enum level	 lv;
	int		 writable;	/* event not archived */
};

/* The people on the event with their grants, for "who could answer or
 * review this advance" (respondents, reviewers). Two queries. */
struct people {
	struct event_user *u;
	size_t		 nu;
	struct eu_grant	*g;		/* by user */
	struct grant	*flat;		/* g[i].g, contiguous */
	size_t		 ng;
};

/* An area or activity the actor may choose. */
struct choice {
	int64_t		 id;
	const char	*name;
	const char	*sub;
};

struct choices {
	struct choice	*areas;
	size_t		 nareas;
	struct choice	*acts;
	size_t		 nacts;
};

/* --- small helpers ------------------------------------------------------- */


static int
not_found(struct req *r, const char *why)
{
	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=%s", why);
	return render_error(r, 404, "not-found", NULL);
}

static int
forbidden(struct req *r, enum level have, const char *what)
{
	return page_refuse(r, 403, "insufficient-permission", arena_printf(r->a,
	    "%s needs admin access to advancing covering it; you have %s.",
	    what, level_name(have)));
}

static int
archived(struct req *r)
{
	return page_refuse(r, 409, "event-archived", "This event is archived: "
	    "restore it before changing anything.");
}

/* Was the field sent? A form always sends every field; JSON may leave
 * one out to keep its value. */
static int
sent(struct req *r, int idx)
{
	return r->fmt == FMT_HTML ||
	    req_param(r, r->route->fields[idx].name) != NULL;
}

static int
has_error(struct req *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return 1;
	return 0;
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
change(json_object *ch, const char *key, json_object *old, json_object *new)
{
	json_object	*x = json_object_new_object();

	json_object_object_add(x, "old", old);
	json_object_object_add(x, "new", new);
	json_object_object_add(ch, key, x);
}

static json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static const char *
ev_path(struct req *r, int64_t ev, const char *tail)
{
	return arena_printf(r->a, "/events/%lld%s", (long long)ev, tail);
}

static const char *
adv_path(struct req *r, int64_t ev, int64_t adv, const char *tail)
{
	return arena_printf(r->a, "/events/%lld/advances/%lld%s",
	    (long long)ev, (long long)adv, tail);
}

static const char *
mod_path(struct req *r, int64_t ev, int64_t adv, int64_t m, const char *tail)
{
	return arena_printf(r->a, "/events/%lld/advances/%lld/modules/%lld%s",
	    (long long)ev, (long long)adv, (long long)m, tail);
}

const char *
adv_page_url(struct req *r, int64_t ev, int64_t adv)
{
	return adv_path(r, ev, adv, "");
}

/* "1 Jun 2027" for a local date. */
static const char *
date_text(struct req *r, const char *d)
{
	return d != NULL ? event_dates_text(r, d, d) : NULL;
}

static const char *
count_text(struct req *r, int64_t n, const char *one, const char *many)
{
	return arena_printf(r->a, "%lld %s", (long long)n, n == 1 ? one :
	    many);
}

/* "2 answers, 1 line item" — what a removal deletes. */
static const char *
contents_text(struct req *r, int64_t answers, int64_t items)
{
	if (answers > 0 && items > 0)
		return arena_printf(r->a, "%s and %s", count_text(r, answers,
		    "answer", "answers"), count_text(r, items, "line item",
		    "line items"));
	if (items > 0)
		return count_text(r, items, "line item", "line items");
	return count_text(r, answers, "answer", "answers");
}

/* "a, b, c" of an array of strings. */
static const char *
joined(struct req *r, json_object *a)
{
	const char	*s = "";
	size_t		 i, n = json_object_array_length(a);

	for (i = 0; i < n; i++)
		s = arena_printf(r->a, "%s%s%s", s, i ? ", " : "",
		    json_object_get_string(json_object_array_get_idx(a, i)));
	return s;
}

/* --- who sees what ------------------------------------------------------- */

/* Areas offered: settings or advancing view on the area. */
static int
area_visible(const struct event_ctx *c, int64_t id)
{
	struct perm_target	 t;

	target_area(&t, id);
	return event_level(c, SEC_SETTINGS, &t) >= LV_VIEW ||
	    event_level(c, SEC_ADVANCING, &t) >= LV_VIEW;
}

/* Collaborators: their own, or crew, settings or advancing view on it. */
static int
collab_visible(const struct event_ctx *c, int64_t id)
{
	struct perm_target	 t;

	if (c->actor.event_user && c->actor.collab_id == id)
		return 1;
	target_collab(&t, id);
	return event_level(c, SEC_CREW, &t) >= LV_VIEW ||
	    event_level(c, SEC_SETTINGS, &t) >= LV_VIEW ||
	    event_level(c, SEC_ADVANCING, &t) >= LV_VIEW;
}

/* The actor's level on an advance that does not exist yet. */
static enum level
level_for(const struct event_ctx *c, int64_t collab, int64_t area)
{
	struct advance	 a;

	memset(&a, 0, sizeof(a));
	a.collab_id = collab;
	a.area_id = area;
	return adv_level(c, &a);
}

static enum level
collab_level(const struct event_ctx *c, int64_t collab)
{
	return level_for(c, collab, 0);
}

/* Advancing admin through an area grant: such an actor may create an
 * advance for any collaborator they see, scoped to that area. */
static int
area_admin_any(const struct event_ctx *c)
{
	size_t	 i;

	for (i = 0; i < c->ngrants; i++)
		if (c->grants[i].domain == DOM_AREA &&
		    c->grants[i].section == SEC_ADVANCING &&
		    level_for(c, 0, c->grants[i].scope_id) >= LV_ADMIN)
			return 1;
	return 0;
}

int
adv_portal_user(const struct event_ctx *c)
{
	struct perm_target	 t;

	target_event(&t);
	return c->actor.event_user &&
	    event_level(c, SEC_ADVANCING, &t) < LV_VIEW &&
	    collab_level(c, c->actor.collab_id) >= LV_VIEW;
}

static int
people_load(struct req *r, int64_t ev, struct people *p)
{
	size_t	 i;

	memset(p, 0, sizeof(*p));
	if (eu_list(r, ev, &p->u, &p->nu) != 0 ||
	    eu_grants(r, ev, 0, &p->g, &p->ng) != 0)
		return -1;
	p->flat = arena_calloc(r->a, p->ng + 1, sizeof(*p->flat));
	for (i = 0; i < p->ng; i++)
		p->flat[i] = p->g[i].g;
	return 0;
}

/* An event user's advancing level on an advance, from the grants read
 * once for everyone. */
static enum level
person_level(const struct people *p, const struct event_user *u,
    const struct advance *a)
{
	struct perm_actor	 act;
	struct perm_target	 t;
	size_t			 lo = 0, hi = p->ng, k;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (p->g[mid].user_id < u->user_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < p->ng && p->g[k].user_id == u->user_id; k++)
		;
	memset(&act, 0, sizeof(act));
	act.lc = u->lc;
	act.event_user = 1;
	act.collab_id = u->collab_id;
	act.org_admin = u->org_admin;
	act.grants = p->flat + lo;
	act.ngrants = k - lo;
	adv_target(a, &t);
	return perm_level(&act, SEC_ADVANCING, &t);
}

static const struct event_user *
person(const struct people *p, int64_t uid)
{
	size_t	 i;

	for (i = 0; i < p->nu; i++)
		if (p->u[i].user_id == uid)
			return &p->u[i];
	return NULL;
}

/* A respondent: an event user of the collaborator with advancing edit
 * on the advance (§13.11). */
static int
has_respondent(const struct people *p, const struct advance *a)
{
	size_t	 i;

	for (i = 0; i < p->nu; i++)
		if (p->u[i].collab_id == a->collab_id &&
		    person_level(p, &p->u[i], a) >= LV_EDIT)
			return 1;
	return 0;
}

/* A reviewer must hold advancing admin over the advance. */
static int
reviewer_ok(const struct people *p, int64_t uid, const struct advance *a)
{
	const struct event_user	*u = person(p, uid);

	return u != NULL && person_level(p, u, a) >= LV_ADMIN;
}

/* --- gates --------------------------------------------------------------- */

static int
load_event(struct req *r, struct actx *x)
{
	int	 st;

	memset(x, 0, sizeof(*x));
	if ((st = event_gate(r, &x->ec, 0)) != 0)
		return st;
	x->writable = !x->ec.ev.archived;
	return 0;
}

/* The event and advance {adv}: 0 when the actor can see it, else the
 * status sent — a missing and an invisible advance answer the same
 * 404 (AC-3). */
static int
load_adv(struct req *r, struct actx *x)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st;

	if ((st = load_event(r, x)) != 0)
		return st;
	if (id <= 0)
		return not_found(r, "unknown");
	if ((st = advance_get(r, x->ec.ev.id, id, &x->a)) < 0)
		return 503;
	if (st == 0)
		return not_found(r, "unknown");
	x->lv = adv_level(&x->ec, &x->a);
	if (x->lv < LV_VIEW)
		return not_found(r, "not_viewable");
	return 0;
}

/* load_adv() plus advancing admin: the management routes. */
static int
load_manage(struct req *r, struct actx *x)
{
	int	 st;

	if ((st = load_adv(r, x)) != 0)
		return st;
	if (x->lv < LV_ADMIN)
		return forbidden(r, x->lv, "Managing an advance");
	return 0;
}

/* The write's start: the event's shared lock, the advance row FOR
 * UPDATE, then (lock) module row lk of it or (lock -1) every one of its
 * modules, and only then the first plain read — a fresh one of the
 * advance, on which the actor must still be admin. Taking every lock
 * before reading means what we count and keep (answers, line items)
 * is what the cascade deletes: writers of answers lock the module row
 * first and wait for us. 0, or the status sent. */
static int
begin_adv(struct req *r, struct actx *x, int64_t lock, struct advmod *m)
{
	int64_t	 version;
	int	 st;

	if (db_begin() != 0 || (st = event_lock_shared(r, x->ec.ev.id)) < 0)
		return 503;
	if (st == 0)
		return archived(r);
	if ((st = advance_lock(r, x->ec.ev.id, x->a.id, &version)) < 0)
		return 503;
	if (st == 0)
		return not_found(r, "gone");
	if (lock > 0) {
		if ((st = advmod_lock(r, x->ec.ev.id, lock, m)) < 0)
			return 503;
		if (st == 0 || m->advance_id != x->a.id)
			return not_found(r, "unknown");
	} else if (lock < 0 && advedit_lock_modules(r, x->ec.ev.id,
	    x->a.id) != 0)
		return 503;
	if ((st = advance_get(r, x->ec.ev.id, x->a.id, &x->a)) < 0)
		return 503;
	if (st == 0)
		return not_found(r, "gone");
	x->lv = adv_level(&x->ec, &x->a);
	if (x->lv < LV_VIEW)
		return not_found(r, "not_viewable");
	if (x->lv < LV_ADMIN)
		return forbidden(r, x->lv, "Managing an advance");
	return 0;
}

/* --- choices ------------------------------------------------------------- */

/* "3 Jul 2027" (the local start day) for an activity. */
static const char *
act_when(struct req *r, const char *zone, const struct activity *a)
{
	int64_t	 ls;
	char	 d[16];

	if (a->all_day)
		return event_dates_text(r, a->start_date, a->end_date);
	if (tz_utc_to_local(zone, tz_stamp_secs(a->start_utc), &ls, NULL, 0) !=
	    TZ_OK)
		return NULL;
	tz_fmt_date(ls / 86400, d, sizeof(d));
	return date_text(r, d);
}

/* The areas and activities the actor may scope an advance to. Five
 * queries. 0 or -1. */
static int
choices_load(struct req *r, const struct event_ctx *c, struct choices *ch)
{
	struct eu_scope	*as;
	struct activity	*acts;
	size_t		 na, i;
	long		 nact, k;

	memset(ch, 0, sizeof(*ch));
	if (eu_areas(r, c->ev.id, &as, &na) != 0)
		return -1;
	if ((acts = activity_list(r, c->ev.id, &nact)) == NULL && nact < 0)
		return -1;
	ch->areas = arena_calloc(r->a, na + 1, sizeof(*ch->areas));
	for (i = 0; i < na; i++)
		if (area_visible(c, as[i].id)) {
			ch->areas[ch->nareas].id = as[i].id;
			ch->areas[ch->nareas++].name = as[i].name;
		}
	ch->acts = arena_calloc(r->a, (size_t)(nact > 0 ? nact : 0) + 1,
	    sizeof(*ch->acts));
	for (k = 0; k < nact; k++)
		if (act_visible(c, r->user->id, &acts[k])) {
			ch->acts[ch->nacts].id = acts[k].id;
			ch->acts[ch->nacts].name = acts[k].name;
			ch->acts[ch->nacts++].sub = act_when(r, c->ev.timezone,
			    &acts[k]);
		}
	return 0;
}

/* The options of a select; keep (with its name) is the advance's
 * current choice, offered even when the actor cannot see it, so that
 * saving other fields does not drop it. */
static json_object *
options_json(struct req *r, const struct choice *v, size_t n, int64_t cur,
    const char *none, int64_t keep, const char *keep_name)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;
	int		 kept = keep <= 0;

	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", none);
	vset_bool(o, "selected", cur <= 0);
	json_object_array_add(a, o);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)v[i].id));
		vset_str(o, "label", v[i].sub ? arena_printf(r->a, "%s · %s",
		    v[i].name, v[i].sub) : v[i].name);
		vset_bool(o, "selected", v[i].id == cur);
		json_object_array_add(a, o);
		kept |= v[i].id == keep;
	}
	if (!kept) {
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)keep));
		vset_str(o, "label", keep_name);
		vset_bool(o, "selected", keep == cur);
		json_object_array_add(a, o);
	}
	return a;
}

/* An id from a form value: 0 for none or anything unusable (the
 * validator already reported that). */
static int64_t
id_in(struct req *r, int idx)
{
	return r->in[idx].present && !has_error(r,
	    r->route->fields[idx].name) ? r->in[idx].i : 0;
}

/* The area {id}: visible to the actor, its name in *name. Adds a field
 * error otherwise. 0 fine, -1 error. */
static int
check_area(struct req *r, const struct event_ctx *c, const char *field,
    int64_t id, const char **name)
{
	struct eu_scope	 s;
	int		 rc;

	*name = NULL;
	if (id <= 0)
		return 0;
	if ((rc = eu_area(r, c->ev.id, id, &s)) < 0)
		return -1;
	if (rc == 0 || !area_visible(c, id))
		valid_error(r, field, "unknown", "Area must be an area of this "
		    "event you can see.");
	else
		*name = s.name;
	return 0;
}

static int
check_activity(struct req *r, const struct event_ctx *c, const char *field,
    int64_t id, const char **name)
{
	struct activity	 a;
	int		 rc;

	*name = NULL;
	if (id <= 0)
		return 0;
	if ((rc = activity_get(r, c->ev.id, id, &a)) < 0)
		return -1;
	if (rc == 0 || !act_visible(c, r->user->id, &a))
		valid_error(r, field, "unknown", "Activity must be an activity "
		    "of this event you can see.");
	else
		*name = a.name;
	return 0;
}

/* --- view models ---------------------------------------------------------- */

/* A module of a list row: label, due date, state marker. */
static json_object *
mod_row_json(struct req *r, int64_t ev, const struct advprog_mod *pm,
    int respondent)
{
	const struct advmod	*m = pm->m;
	json_object		*o = json_object_new_object();

	vset_int(o, "id", m->id);
	vset_str(o, "label", m->label);
	vset_str(o, "icon", m->icon);
	vset_int(o, "position", m->position);
	vset_str(o, "due_date", m->due_date);
	vset_str(o, "due_text", date_text(r, m->due_date));
	vset_bool(o, "required", m->required);
	vset_bool(o, "requires_submission", m->submission);
	vset_str(o, "submission_state", m->submitted ? "submitted" : "open");
	vset_bool(o, "submitted", m->submitted);
	vset_str(o, "completion", adv_completion_name(pm->completion));
	vset_str(o, "completion_label", adv_completion_label(pm->completion));
	vset_str(o, "marker", adv_marker(pm->completion, pm->m->submitted));
	vset_bool(o, "overdue", pm->overdue);
	vset_bool(o, "incomplete_required", m->required &&
	    pm->completion != AC_COMPLETE);
	if (!respondent)
		vset_bool(o, "needs_review", pm->needs_review);
	vset_int(o, "required_answered", (long long)pm->req_answered);
	vset_int(o, "required_total", (long long)pm->req_total);
	vset_str(o, "url", mod_path(r, ev, m->advance_id, m->id, ""));
	return o;
}

json_object *
adv_row_json(struct req *r, const struct event_ctx *c,
    const struct advance *a, const struct advprog *p, int flags)
{
	const struct advprog_adv *pa = advprog_find(p, a->id);
	json_object		*o = advance_json(a), *prog, *mods;
	int			 resp = flags & ADV_ROW_RESPONDENT;
	size_t			 i;

	prog = advprog_adv_json(pa);
	if (resp)
		json_object_object_del(prog, "needs_review");
	vset_obj(o, "progress", prog);
	vset_str(o, "next_due_text", date_text(r, pa->next_due));
	vset_bool(o, "overdue", pa->overdue);
	vset_bool(o, "complete", pa->nmods > 0 && pa->done);
	vset_str(o, "url", adv_page_url(r, c->ev.id, a->id));
	vset_str(o, "settings_url", !resp && adv_level(c, a) >= LV_ADMIN ?
	    adv_path(r, c->ev.id, a->id, "/settings") : NULL);
	if (flags & ADV_ROW_MODULES) {
		mods = json_object_new_array();
		for (i = pa->first; i < pa->first + pa->nmods; i++)
			json_object_array_add(mods, mod_row_json(r, c->ev.id,
			    &p->pm[i], resp));
		vset_obj(o, "modules", mods);
		vset_bool(o, "has_modules", pa->nmods > 0);
	}
	return o;
}

json_object *
adv_subnav_json(struct req *r, const struct event_ctx *c, const char *current)
{
	json_object		*a = json_object_new_array();
	struct perm_target	 t;
	int			 config;
	static const struct {
		const char	*key, *label, *tail;
		int		 config;
	} items[] = {
		{ "advances", "Advances", "/advances", 0 },
		{ "manager", "Advance Manager", "/advance-manager", 0 },
		{ "module-templates", "Module templates", "/module-templates",
		    1 },
		{ "advance-templates", "Advance templates",
		    "/advance-templates", 1 },
		{ "asset-types", "Asset types", "/asset-types", 1 },
		{ "task-mapping", "Task mapping", "/advance-task-mapping", 1 },
	};
	size_t			 i;

	target_event(&t);
	config = event_level(c, SEC_ADVANCING, &t) >= LV_VIEW;
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		json_object	*o;

		if (items[i].config && !config)
			continue;
		/* The Manager: seat and Org Pro users (§13.10). */
		if (strcmp(items[i].key, "manager") == 0 &&
		    c->actor.lc == LC_FREE)
			continue;
		o = json_object_new_object();
		vset_str(o, "key", items[i].key);
		vset_str(o, "label", items[i].label);
		vset_str(o, "url", ev_path(r, c->ev.id, items[i].tail));
		vset_bool(o, "current", strcmp(items[i].key, current) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

/* The view every staff advances page starts from. */
static json_object *
base_view(struct req *r, const struct event_ctx *c)
{
	json_object	*v = view_new(r);

	event_header_into(r, v, c, "advancing");
	vset_obj(v, "subnav", adv_subnav_json(r, c, "advances"));
	vset_str(v, "advances_url", ev_path(r, c->ev.id, "/advances"));
	return v;
}

/* --- the list ------------------------------------------------------------ */

struct row {
	const struct advance	*a;
	const struct advprog_adv *pa;
	int			 no_respondent;
};

static int
due_cmp(const void *x, const void *y)
{
	const struct row	*a = x, *b = y;
	const char		*da = a->pa->next_due, *db = b->pa->next_due;
	int			 c;

	/* Undated last; then the list's own order (collaborator, name). */
	if (da != NULL && db != NULL && (c = strcmp(da, db)) != 0)
		return c;
	if ((da == NULL) != (db == NULL))
		return da == NULL ? 1 : -1;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* GET /events/{event}/advances[?sort=collaborator|due] — 200 the
 * advances the actor can see (advancing view covering each), grouped
 * by collaborator or flat by next due date, with template, area,
 * activity, module count, progress, next due date, overdue and "no
 * respondent" marks; links to the advancing pages the actor may open.
 * Nine queries whatever the number of advances. 404 without advancing
 * view anywhere on the event; 422 an unknown sort. */
int
h_advances(struct req *r)
{
	struct actx	 x;
	struct advance	*as;
	struct advprog	 p;
	struct people	 pe;
	struct row	*rows;
	json_object	*v, *items, *groups = NULL, *g = NULL, *ga = NULL;
	const char	*sort = r->in[ADVLIST_SORT].present ?
	    r->in[ADVLIST_SORT].s : "collaborator";
	size_t		 n, nr = 0, i, ncomplete = 0, noverdue = 0;
	int		 st, by_due, area_admin;

	if ((st = load_event(r, &x)) != 0)
		return st;
	if (!event_level_somewhere(&x.ec, SEC_ADVANCING, LV_VIEW))
		return not_found(r, "not_viewable");
	if (strcmp(sort, "collaborator") != 0 && strcmp(sort, "due") != 0)
		return page_refuse(r, 422, "invalid-parameter", "sort must be "
		    "collaborator or due.");
	by_due = strcmp(sort, "due") == 0;
	if ((as = advance_list(r, x.ec.ev.id, 0, &n)) == NULL &&
	    n == (size_t)-1)
		return 503;
	if (advprog_load(r, x.ec.ev.id, x.ec.ev.timezone, 0, 0, &p) != 0 ||
	    people_load(r, x.ec.ev.id, &pe) != 0)
		return 503;
	rows = arena_calloc(r->a, n + 1, sizeof(*rows));
	for (i = 0; i < n; i++) {
		if (adv_level(&x.ec, &as[i]) < LV_VIEW)
			continue;
		rows[nr].a = &as[i];
		rows[nr].pa = advprog_find(&p, as[i].id);
		rows[nr].no_respondent = !has_respondent(&pe, &as[i]);
		ncomplete += rows[nr].pa->nmods > 0 && rows[nr].pa->done;
		noverdue += rows[nr].pa->overdue;
		nr++;
	}
	if (by_due && nr > 1)
		qsort(rows, nr, sizeof(*rows), due_cmp);

	v = base_view(r, &x.ec);
	area_admin = area_admin_any(&x.ec);
	items = json_object_new_array();
	if (!by_due)
		groups = json_object_new_array();
	for (i = 0; i < nr; i++) {
		const struct advance	*a = rows[i].a;
		int			 resp = adv_respondent(&x.ec, a);
		json_object		*o = adv_row_json(r, &x.ec, a, &p,
		    resp ? ADV_ROW_RESPONDENT : 0);

		/* Respondents never see review marks (§13.5), nor who
		 * else answers. */
		if (!resp)
			vset_bool(o, "no_respondent", rows[i].no_respondent);
		json_object_array_add(items, o);
		if (by_due)
			continue;
		if (i == 0 || rows[i - 1].a->collab_id != a->collab_id) {
			g = json_object_new_object();
			ga = json_object_new_array();
			vset_int(g, "collaborator_id", a->collab_id);
			vset_str(g, "collaborator_name", a->collab_name);
			vset_str(g, "tab_url", arena_printf(r->a,
			    "/events/%lld/collaborators/%lld/advances",
			    (long long)x.ec.ev.id, (long long)a->collab_id));
			vset_str(g, "preview_url", collab_level(&x.ec,
			    a->collab_id) >= LV_VIEW ? arena_printf(r->a,
			    "/events/%lld/portal/preview/%lld",
			    (long long)x.ec.ev.id, (long long)a->collab_id) :
			    NULL);
			vset_str(g, "new_url", x.writable &&
			    (collab_level(&x.ec, a->collab_id) >= LV_ADMIN ||
			    area_admin) ? arena_printf(r->a,
			    "/events/%lld/advances/new?collaborator_id=%lld",
			    (long long)x.ec.ev.id, (long long)a->collab_id) :
			    NULL);
			vset_obj(g, "advances", ga);
			json_object_array_add(groups, g);
		}
		json_object_array_add(ga, json_object_get(o));
		if (rows[i].no_respondent && !resp)
			vset_bool(g, "no_respondent", 1);
	}
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);
	vset_obj(v, "groups", groups);
	vset_bool(v, "has_items", nr > 0);
	vset_str(v, "sort", sort);
	vset_bool(v, "sort_due", by_due);
	vset_str(v, "sort_collaborator_url", ev_path(r, x.ec.ev.id,
	    "/advances"));
	vset_str(v, "sort_due_url", ev_path(r, x.ec.ev.id,
	    "/advances?sort=due"));
	vset_str(v, "count_label", count_text(r, (int64_t)nr, "advance",
	    "advances"));
	vset_int(v, "count", (long long)nr);
	vset_int(v, "complete_count", (long long)ncomplete);
	vset_int(v, "overdue_count", (long long)noverdue);
	vset_str(v, "today", p.today);
	vset_bool(v, "can_create", x.writable &&
	    event_level_somewhere(&x.ec, SEC_ADVANCING, LV_ADMIN));
	vset_str(v, "new_url", ev_path(r, x.ec.ev.id, "/advances/new"));
	vset_str(v, "portal_url", ev_path(r, x.ec.ev.id, "/portal"));
	return render_page(r, 200, "advances/list", arena_printf(r->a,
	    "Advances · %s", x.ec.ev.name), v);
}

/* --- creating ------------------------------------------------------------ */

/* The collaborators the actor may create advances for. */
static json_object *
collab_options(struct req *r, const struct event_ctx *c, int64_t cur,
    size_t *n)
{
	json_object	*a = json_object_new_array(), *o;
	struct eu_scope	*cs;
	size_t		 nc, i;
	int		 area_admin = area_admin_any(c);

	*n = 0;
	if (eu_collabs(r, c->ev.id, &cs, &nc) != 0) {
		json_object_put(a);
		return NULL;
	}
	for (i = 0; i < nc; i++) {
		if (!collab_visible(c, cs[i].id) || (!area_admin &&
		    collab_level(c, cs[i].id) < LV_ADMIN))
			continue;
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)cs[i].id));
		vset_str(o, "label", cs[i].name);
		vset_bool(o, "selected", cs[i].id == cur);
		json_object_array_add(a, o);
		(*n)++;
	}
	return a;
}

static json_object *
template_options(struct req *r, int64_t ev, int64_t cur)
{
	json_object		*a = json_object_new_array(), *o;
	struct advedit_tpl	*ts;
	size_t			 n, i;

	if ((ts = advedit_templates(r, ev, &n)) == NULL && n == (size_t)-1) {
		json_object_put(a);
		return NULL;
	}
	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", "Blank: no modules yet");
	vset_bool(o, "selected", cur <= 0);
	json_object_array_add(a, o);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)ts[i].id));
		vset_str(o, "label", arena_printf(r->a, "%s (%s)", ts[i].name,
		    count_text(r, ts[i].modules, "module", "modules")));
		vset_bool(o, "selected", ts[i].id == cur);
		json_object_array_add(a, o);
	}
	return a;
}

/* The new-advance form: choices and, after a refusal, what was typed. */
static json_object *
new_view(struct req *r, const struct actx *x)
{
	json_object	*v = base_view(r, &x->ec), *f, *co, *to;
	struct choices	 ch;
	size_t		 nc;
	int		 post = r->method == M_POST;
	int64_t		 collab = r->in[ADVNEW_COLLAB].present ?
	    r->in[ADVNEW_COLLAB].i : 0;

	if (choices_load(r, &x->ec, &ch) != 0 ||
	    (co = collab_options(r, &x->ec, collab, &nc)) == NULL ||
	    (to = template_options(r, x->ec.ev.id, post ?
	    id_in(r, ADVNEW_TEMPLATE) : 0)) == NULL)
		return NULL;
	f = json_object_new_object();
	vset_str(f, "name", post ? r->in[ADVNEW_NAME].s : NULL);
	vset_obj(f, "collaborator_options", co);
	vset_obj(f, "template_options", to);
	vset_obj(f, "area_options", options_json(r, ch.areas, ch.nareas,
	    post ? id_in(r, ADVNEW_AREA) : 0, "Event-wide (no area)", 0,
	    NULL));
	vset_obj(f, "activity_options", options_json(r, ch.acts, ch.nacts,
	    post ? id_in(r, ADVNEW_ACTIVITY) : 0, "No activity", 0, NULL));
	vset_obj(v, "form", f);
	vset_bool(v, "has_collaborators", nc > 0);
	vset_bool(v, "can_submit", x->writable && nc > 0);
	vset_str(v, "action_url", ev_path(r, x->ec.ev.id, "/advances"));
	vset_str(v, "cancel_url", collab > 0 && collab_visible(&x->ec,
	    collab) ? arena_printf(r->a,
	    "/events/%lld/collaborators/%lld/advances",
	    (long long)x->ec.ev.id, (long long)collab) :
	    ev_path(r, x->ec.ev.id, "/advances"));
	return v;
}

/* Creating needs advancing admin somewhere (Event domain, a
 * collaborator or an area): 0, or 403/404 sent. */
static int
may_create(struct req *r, const struct actx *x)
{
	if (!event_level_somewhere(&x->ec, SEC_ADVANCING, LV_VIEW))
		return not_found(r, "not_viewable");
	if (!event_level_somewhere(&x->ec, SEC_ADVANCING, LV_ADMIN))
		return page_refuse(r, 403, "insufficient-permission", "Creating an "
		    "advance needs admin access to advancing covering its "
		    "collaborator or area.");
	return 0;
}

/* GET /events/{event}/advances/new[?collaborator_id=] — 200 the form:
 * collaborator (those the actor may create advances for), name,
 * advance template, area and activity (those the actor can see). 403
 * without advancing admin anywhere; 404 without advancing at all. */
int
h_advance_new_form(struct req *r)
{
	struct actx	 x;
	json_object	*v;
	int		 st;

	if ((st = load_event(r, &x)) != 0 || (st = may_create(r, &x)) != 0)
		return st;
	r->nerrors = 0;		/* a bad preselection is just ignored */
	if ((v = new_view(r, &x)) == NULL)
		return 503;
	return render_page(r, 200, "advances/new", "New advance", v);
}

static int
new_invalid(struct req *r, const struct actx *x)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	if ((v = new_view(r, x)) == NULL)
		return 503;
	return render_invalid(r, "advances/new", "New advance", v);
}

/* Copy an advance template's modules into advance id (a copy: later
 * template edits change nothing here), due dates resolved against the
 * event's start; a default reviewer without advancing admin over this
 * advance is left out. Tracked modules get their task tree. The
 * module labels go into mods, the reviewers left out into dropped. 0
 * or -1. */
static int
copy_template(struct req *r, const struct actx *x, const struct advance *a,
    int64_t tpl, json_object *mods, json_object *dropped)
{
	struct advedit_tplmod	*tm;
	struct advedit_modset	 s;
	struct people		 pe;
	size_t			 n, i;
	int64_t			 id;

	if ((tm = advedit_template_modules(r, x->ec.ev.id, tpl, &n)) ==
	    NULL && n == (size_t)-1)
		return -1;
	if (n > 0 && people_load(r, x->ec.ev.id, &pe) != 0)
		return -1;
	for (i = 0; i < n && i < MODS_MAX; i++) {
		memset(&s, 0, sizeof(s));
		s.due_date = advedit_due_resolve(r, &tm[i],
		    x->ec.ev.start_date);
		s.required = tm[i].required;
		s.tracked = tm[i].tracked;
		s.submission = tm[i].submission;
		if (tm[i].reviewer_id > 0) {
			if (reviewer_ok(&pe, tm[i].reviewer_id, a))
				s.reviewer_id = tm[i].reviewer_id;
			else
				json_object_array_add(dropped,
				    json_object_new_string(arena_printf(r->a,
				    "%s (%s)", tm[i].reviewer_name ?
				    tm[i].reviewer_name : "?",
				    tm[i].label)));
		}
		if ((id = advedit_mod_insert(r, x->ec.ev.id, a->id,
		    tm[i].module_template_id, (int64_t)i, &s)) <= 0)
			return -1;
		if (s.tracked && advtrack_sync_module(r, x->ec.ev.id, id) != 0)
			return -1;
		json_object_array_add(mods, json_object_new_string(
		    tm[i].label));
	}
	return 0;
}

/* The advance as the API answers it: the object, its progress and its
 * modules with their states. */
static json_object *
adv_full_json(struct req *r, const struct actx *x, const struct advance *a)
{
	struct advprog	 p;
	json_object	*v = view_new(r), *o;
	size_t		 i;

	if (advprog_load(r, x->ec.ev.id, x->ec.ev.timezone, 0, a->id, &p) !=
	    0)
		return NULL;
	o = adv_row_json(r, &x->ec, a, &p, 0);
	vset_obj(v, "advance", o);
	o = json_object_new_array();
	for (i = 0; i < p.nmods; i++) {
		json_object	*m = advmod_json(&p.mods[i]);

		vset_obj(m, "progress", advprog_mod_json(&p.pm[i]));
		json_object_array_add(o, m);
	}
	vset_obj(v, "modules", o);
	return v;
}

/* POST /events/{event}/advances — 303 to the new advance's settings
 * (201 JSON with the advance and its modules, Location and ETag): a
 * blank advance or a copy of an advance template's modules with due
 * dates resolved. 403 without advancing admin covering the would-be
 * advance (its collaborator or area); 404 without advancing at all;
 * 409 archived; 422 field errors (collaborator, template, area or
 * activity not one the actor can see; name 1–200, unique per
 * collaborator ignoring case). */
int
h_advance_create(struct req *r)
{
	struct actx		 x;
	struct advance		 a;
	struct eu_scope		 co;
	struct advedit_tpl	 tpl;
	const char		*name = r->in[ADVNEW_NAME].s, *area_name,
				*act_name, *msg;
	int64_t			 collab = id_in(r, ADVNEW_COLLAB);
	int64_t			 tid = id_in(r, ADVNEW_TEMPLATE);
	int64_t			 area = id_in(r, ADVNEW_AREA);
	int64_t			 act = id_in(r, ADVNEW_ACTIVITY), id = 0;
	enum level		 lv;
	json_object		*ch, *mods, *dropped, *v;
	int			 st, rc;

	if ((st = load_event(r, &x)) != 0 || (st = may_create(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	memset(&co, 0, sizeof(co));
	if (collab > 0) {
		if ((rc = eu_collab(r, x.ec.ev.id, collab, &co)) < 0)
			return 503;
		if (rc == 0 || !collab_visible(&x.ec, collab))
			valid_error(r, "collaborator_id", "unknown",
			    "Collaborator must be a collaborator of this event "
			    "you can see.");
	}
	if (tid > 0) {
		if ((rc = advedit_template_get(r, x.ec.ev.id, tid, &tpl)) < 0)
			return 503;
		if (rc == 0)
			valid_error(r, "template_id", "unknown", "Advance "
			    "template must be one of this event's.");
	}
	if (check_area(r, &x.ec, "area_id", area, &area_name) != 0 ||
	    check_activity(r, &x.ec, "activity_id", act, &act_name) != 0)
		return 503;
	if (r->nerrors)
		return new_invalid(r, &x);
	if ((lv = level_for(&x.ec, collab, area)) < LV_ADMIN)
		return forbidden(r, lv, arena_printf(r->a, "Creating an advance "
		    "for %s", co.name));

	if (db_begin() != 0 || (st = event_lock_shared(r, x.ec.ev.id)) < 0)
		return 503;
	if (st == 0)
		return archived(r);
	if ((rc = advedit_name_taken(r, x.ec.ev.id, collab, name, 0)) < 0)
		return 503;
	if (rc == 0 && (id = advedit_insert(r, x.ec.ev.id, collab, name, tid,
	    area, act, r->user->id)) < 0)
		return 503;
	if (rc != 0 || id == 0) {
		valid_error(r, "name", "taken", arena_printf(r->a, "%s already "
		    "has an advance named “%s”.", co.name, name));
		return new_invalid(r, &x);
	}
	if ((rc = advance_get(r, x.ec.ev.id, id, &a)) != 1)
		return 503;
	mods = json_object_new_array();
	dropped = json_object_new_array();
	if (tid > 0 && copy_template(r, &x, &a, tid, mods, dropped) != 0) {
		json_object_put(mods);
		json_object_put(dropped);
		return 503;
	}
	ch = json_object_new_object();
	change(ch, "name", NULL, jstr(name));
	change(ch, "collaborator", NULL, jstr(co.name));
	vset_int(ch, "collaborator_id", collab);
	if (tid > 0) {
		change(ch, "template", NULL, jstr(tpl.name));
		vset_obj(ch, "modules", json_object_get(mods));
	}
	if (area > 0)
		change(ch, "area", NULL, jstr(area_name));
	if (act > 0)
		change(ch, "activity", NULL, jstr(act_name));
	if (json_object_array_length(dropped) > 0)
		vset_obj(ch, "reviewers_not_copied", json_object_get(dropped));
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance.created",
	    "advance", id, name, ch);
	json_object_put(ch);
	if (rc != 0 || db_commit() != 0) {
		json_object_put(mods);
		json_object_put(dropped);
		return 503;
	}
	log_msg(LOG_INFO, "event=%lld advance=%lld modules=%zu msg=\"advance "
	    "created\"", (long long)x.ec.ev.id, (long long)id,
	    json_object_array_length(mods));
	msg = arena_printf(r->a, "The advance “%s” was created%s.", name,
	    tid > 0 ? arena_printf(r->a, " with %s from %s",
	    count_text(r, (int64_t)json_object_array_length(mods), "module",
	    "modules"), tpl.name) : "");
	if (json_object_array_length(dropped) > 0)
		msg = arena_printf(r->a, "%s Default reviewers without admin "
		    "access to this advance were left out: %s.", msg,
		    joined(r, dropped));
	json_object_put(mods);
	if (r->fmt == FMT_JSON) {
		if ((v = adv_full_json(r, &x, &a)) == NULL) {
			json_object_put(dropped);
			return 503;
		}
		vset_obj(v, "reviewers_not_copied", dropped);
		resp_header(r, "Location", arena_printf(r->a, "/api/v1%s",
		    adv_page_url(r, x.ec.ev.id, id)));
		(void)page_etag(r, id, a.version);
		return render_json(r, 201, v);
	}
	json_object_put(dropped);
	flash(r, "ok", msg);
	return render_redirect(r, adv_path(r, x.ec.ev.id, id, "/settings"));
}

/* --- settings ------------------------------------------------------------ */

static json_object *
reviewer_options(struct req *r, const struct people *pe,
    const struct advance *a, const struct advmod *m, int64_t cur)
{
	json_object	*arr = json_object_new_array(), *o;
	size_t		 i;
	int		 found = 0;

	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", "No reviewer");
	vset_bool(o, "selected", cur <= 0);
	json_object_array_add(arr, o);
	for (i = 0; i < pe->nu; i++) {
		const struct event_user	*u = &pe->u[i];

		if (person_level(pe, u, a) < LV_ADMIN)
			continue;
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)u->user_id));
		vset_str(o, "label", arena_printf(r->a, "%s · %s", u->name,
		    u->collab_name));
		vset_bool(o, "selected", u->user_id == cur);
		found |= u->user_id == cur;
		json_object_array_add(arr, o);
	}
	/* A reviewer who lost admin access stays shown, marked. */
	if (!found && cur > 0 && m != NULL && cur == m->reviewer_id) {
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)cur));
		vset_str(o, "label", arena_printf(r->a, "%s (no admin access "
		    "any more)", m->reviewer_name ? m->reviewer_name : "?"));
		vset_bool(o, "selected", 1);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* What a module's form shows after a refusal: the values typed. */
struct modform {
	int64_t		 module_id;	/* 0: none of the modules */
	const char	*due_date;
	int		 required;
	int		 submission;
	int64_t		 reviewer_id;
	const char	*error;
};

static json_object *
module_json(struct req *r, const struct actx *x, const struct advprog *p,
    size_t i, const struct people *pe, const struct modform *mf)
{
	const struct advprog_mod *pm = &p->pm[i];
	const struct advmod	*m = pm->m;
	json_object		*o = advmod_json(m), *f;
	int			 mine = mf != NULL && mf->module_id == m->id;
	int64_t			 rev = mine ? mf->reviewer_id : m->reviewer_id;

	vset_obj(o, "progress", advprog_mod_json(pm));
	vset_str(o, "marker", adv_marker(pm->completion, pm->m->submitted));
	vset_bool(o, "submitted", m->submitted);
	vset_int(o, "number", (long long)i + 1);
	vset_str(o, "due_text", date_text(r, m->due_date));
	vset_bool(o, "overdue", pm->overdue);
	vset_int(o, "answers", pm->answers);
	vset_int(o, "line_items", pm->line_items);
	vset_bool(o, "has_contents", pm->answers + pm->line_items > 0);
	vset_str(o, "contents_text", contents_text(r, pm->answers,
	    pm->line_items));
	vset_bool(o, "locked", pm->locked_items > 0);
	vset_str(o, "url", mod_path(r, x->ec.ev.id, x->a.id, m->id, ""));
	vset_str(o, "settings_url", mod_path(r, x->ec.ev.id, x->a.id, m->id,
	    "/settings"));
	vset_str(o, "move_url", mod_path(r, x->ec.ev.id, x->a.id, m->id,
	    "/move"));
	vset_str(o, "delete_url", mod_path(r, x->ec.ev.id, x->a.id, m->id,
	    "/delete"));
	vset_str(o, "tracking_url", mod_path(r, x->ec.ev.id, x->a.id, m->id,
	    "/tracking"));
	vset_bool(o, "can_up", i > 0);
	vset_bool(o, "can_down", i + 1 < p->nmods);
	f = json_object_new_object();
	vset_str(f, "due_date", mine ? mf->due_date : m->due_date);
	vset_bool(f, "required", mine ? mf->required : m->required);
	vset_bool(f, "requires_submission", mine ? mf->submission :
	    m->submission);
	vset_obj(f, "reviewer_options", reviewer_options(r, pe, &x->a, m,
	    rev));
	vset_str(f, "error", mine ? mf->error : NULL);
	vset_obj(o, "form", f);
	return o;
}

/* Which form of the settings page a refused request came from, so it
 * shows what was typed. */
enum { TYPED_NONE, TYPED_SETTINGS, TYPED_ADD };

/* The settings page: the advance's form, its modules with their
 * settings (mf: what was typed into one of them), the module templates
 * one can still add. NULL on error. */
static json_object *
settings_view(struct req *r, const struct actx *x, const struct modform *mf,
    int typed)
{
	json_object		*v = base_view(r, &x->ec), *f, *ms, *add, *af;
	struct advprog		 p;
	struct people		 pe;
	struct choices		 ch;
	struct advedit_modtpl	*mt;
	const struct advprog_adv *pa;
	size_t			 nmt, i, k, nadd = 0;
	int			 manage = x->lv >= LV_ADMIN && x->writable;
	int			 typed_set;

	if (advprog_load(r, x->ec.ev.id, x->ec.ev.timezone, 0, x->a.id,
	    &p) != 0 || people_load(r, x->ec.ev.id, &pe) != 0 ||
	    choices_load(r, &x->ec, &ch) != 0)
		return NULL;
	if ((mt = advedit_module_templates(r, x->ec.ev.id, &nmt)) == NULL &&
	    nmt == (size_t)-1)
		return NULL;
	pa = advprog_find(&p, x->a.id);
	vset_obj(v, "advance", adv_row_json(r, &x->ec, &x->a, &p, 0));
	vset_str(v, "collaborator_url", arena_printf(r->a,
	    "/events/%lld/collaborators/%lld/advances",
	    (long long)x->ec.ev.id, (long long)x->a.collab_id));
	vset_str(v, "page_url", adv_page_url(r, x->ec.ev.id, x->a.id));
	vset_str(v, "action_url", adv_path(r, x->ec.ev.id, x->a.id,
	    "/settings"));
	vset_str(v, "delete_url", adv_path(r, x->ec.ev.id, x->a.id,
	    "/delete"));
	vset_str(v, "modules_url", adv_path(r, x->ec.ev.id, x->a.id,
	    "/modules"));
	vset_bool(v, "can_manage", manage);
	vset_bool(v, "no_respondent", !has_respondent(&pe, &x->a));

	f = json_object_new_object();
	typed_set = typed == TYPED_SETTINGS;
	vset_str(f, "name", typed_set && sent(r, ADVSET_NAME) ?
	    r->in[ADVSET_NAME].s : x->a.name);
	vset_int(f, "version", x->a.version);
	vset_obj(f, "area_options", options_json(r, ch.areas, ch.nareas,
	    typed_set && sent(r, ADVSET_AREA) ? id_in(r, ADVSET_AREA) :
	    x->a.area_id, "Event-wide (no area)", x->a.area_id,
	    x->a.area_name));
	vset_obj(f, "activity_options", options_json(r, ch.acts, ch.nacts,
	    typed_set && sent(r, ADVSET_ACTIVITY) ? id_in(r, ADVSET_ACTIVITY) :
	    x->a.activity_id, "No activity", x->a.activity_id,
	    x->a.activity_name));
	vset_obj(v, "form", f);

	ms = json_object_new_array();
	for (i = 0; i < p.nmods; i++)
		json_object_array_add(ms, module_json(r, x, &p, i, &pe, mf));
	vset_obj(v, "modules", ms);
	vset_bool(v, "has_modules", p.nmods > 0);
	vset_int(v, "module_count", (long long)pa->nmods);
	vset_str(v, "module_count_label", count_text(r, (int64_t)pa->nmods,
	    "module", "modules"));

	add = json_object_new_array();
	af = json_object_new_object();
	if (typed == TYPED_ADD) {
		vset_str(af, "due_date", r->in[ADVMODADD_DUE].s);
		vset_bool(af, "required", r->in[ADVMODADD_REQUIRED].i);
		vset_bool(af, "requires_submission",
		    r->in[ADVMODADD_SUBMISSION].i);
	} else
		vset_bool(af, "required", 1);
	vset_obj(v, "add_form", af);
	for (i = 0; i < nmt; i++) {
		json_object	*o;

		for (k = 0; k < p.nmods; k++)
			if (p.mods[k].template_id == mt[i].id)
				break;
		if (k < p.nmods)
			continue;
		o = json_object_new_object();
		vset_str(o, "value", arena_printf(r->a, "%lld",
		    (long long)mt[i].id));
		vset_str(o, "label", str_eq(mt[i].name, mt[i].label) ?
		    mt[i].label : arena_printf(r->a, "%s (%s)", mt[i].label,
		    mt[i].name));
		vset_str(o, "category", mt[i].category);
		vset_bool(o, "selected", typed == TYPED_ADD &&
		    id_in(r, ADVMODADD_TEMPLATE) == mt[i].id);
		json_object_array_add(add, o);
		nadd++;
	}
	vset_obj(v, "add_options", add);
	vset_bool(v, "can_add", manage && nadd > 0);
	vset_bool(v, "no_templates", nmt == 0);
	vset_str(v, "module_templates_url", ev_path(r, x->ec.ev.id,
	    "/module-templates"));
	return v;
}

static const char *
settings_title(struct req *r, const struct actx *x)
{
	return arena_printf(r->a, "%s · %s · settings", x->a.name,
	    x->a.collab_name);
}

/* GET /events/{event}/advances/{adv}/settings — 200 the advance's
 * settings and its modules with theirs (JSON: the advance with ETag
 * and its modules). 403 without advancing admin covering it (vendors
 * opening their own); 404 not visible (another collaborator's). */
int
h_advance_settings(struct req *r)
{
	struct actx	 x;
	json_object	*v;
	int		 st;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (r->fmt == FMT_JSON) {
		if ((v = adv_full_json(r, &x, &x.a)) == NULL)
			return 503;
		if (page_etag(r, x.a.id, x.a.version))
			return 304;
		return render_json(r, 200, v);
	}
	if ((v = settings_view(r, &x, NULL, TYPED_NONE)) == NULL)
		return 503;
	(void)page_etag(r, x.a.id, x.a.version);
	return render_page(r, 200, "advances/settings", settings_title(r, &x),
	    v);
}

/* 422 on the settings page (or problem details); typed: the advance's
 * own form shows what was sent (its route only). */
static int
settings_invalid(struct req *r, const struct actx *x,
    const struct modform *mf, int typed)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	if ((v = settings_view(r, x, mf, typed)) == NULL)
		return 503;
	return render_invalid(r, "advances/settings", settings_title(r, x), v);
}

/* 409 for a stale form: the page again with the current values and a
 * table of what differs (yours against now); its version is the
 * current one, so saving again overwrites knowingly. */
static int
settings_conflict(struct req *r, struct actx *x, json_object *fields,
    int64_t yours, int64_t now, const char *what,
    const struct modform *mf)
{
	json_object	*v, *c;

	db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
	if (r->fmt == FMT_JSON) {
		json_object_put(fields);
		return render_error(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s was changed by someone else meanwhile (now version "
		    "%lld, you sent %lld). Nothing was saved.", what,
		    (long long)now, (long long)yours));
	}
	if ((v = settings_view(r, x, mf, TYPED_NONE)) == NULL) {
		json_object_put(fields);
		return 503;
	}
	c = json_object_new_object();
	vset_str(c, "what", what);
	vset_int(c, "your_version", yours);
	vset_int(c, "current_version", now);
	vset_obj(c, "fields", fields);
	vset_bool(c, "has_fields", json_object_array_length(fields) > 0);
	vset_obj(v, "conflict", c);
	return render_page(r, 409, "advances/settings", settings_title(r, x),
	    v);
}

static void
diff(json_object *fields, const char *label, const char *yours,
    const char *now)
{
	json_object	*d;

	if (str_eq(yours, now))
		return;
	d = json_object_new_object();
	vset_str(d, "label", label);
	vset_str(d, "yours", yours ? yours : "(none)");
	vset_str(d, "current", now ? now : "(none)");
	json_object_array_add(fields, d);
}

/* After a write: JSON the advance (ETag), HTML a flash and back to the
 * settings page. */
static int
saved(struct req *r, const struct actx *x, int status, const char *msg)
{
	struct advance	 a;
	json_object	*v;

	if (r->fmt == FMT_JSON) {
		if (advance_get(r, x->ec.ev.id, x->a.id, &a) != 1 ||
		    (v = adv_full_json(r, x, &a)) == NULL)
			return 503;
		(void)page_etag(r, a.id, a.version);
		return render_json(r, status, v);
	}
	flash(r, "ok", msg);
	return render_redirect(r, adv_path(r, x->ec.ev.id, x->a.id,
	    "/settings"));
}

/* POST /events/{event}/advances/{adv}/settings — 303 back (200 JSON with
 * the new ETag): name, area and activity (JSON may leave any out). 403
 * without advancing admin covering it; 404 not visible; 409 archived
 * or a stale version (both values shown); 412 stale If-Match; 422
 * field errors (name 1–200 and unique for the collaborator; an area or
 * activity the actor cannot see; a scope that would take the advance
 * out of the actor's admin reach). */
int
h_advance_update(struct req *r)
{
	struct actx	 x;
	struct advance	 now, after;
	const char	*name, *area_name = NULL, *act_name = NULL;
	int64_t		 area, act;
	json_object	*ch, *fields;
	int		 st, rc;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if (sent(r, ADVSET_NAME) && !r->in[ADVSET_NAME].present &&
	    !has_error(r, "name"))
		valid_error(r, "name", "required", "Name is required.");
	if (r->nerrors)
		return settings_invalid(r, &x, NULL, TYPED_SETTINGS);
	if ((st = begin_adv(r, &x, 0, NULL)) != 0)
		return st;
	now = x.a;
	if (page_if_match_stale(r, now.id, now.version))
		return 412;
	name = sent(r, ADVSET_NAME) ? r->in[ADVSET_NAME].s : now.name;
	area = sent(r, ADVSET_AREA) ? id_in(r, ADVSET_AREA) : now.area_id;
	act = sent(r, ADVSET_ACTIVITY) ? id_in(r, ADVSET_ACTIVITY) :
	    now.activity_id;
	if (area != now.area_id && check_area(r, &x.ec, "area_id", area,
	    &area_name) != 0)
		return 503;
	if (area == now.area_id)
		area_name = now.area_name;
	if (act != now.activity_id && check_activity(r, &x.ec, "activity_id",
	    act, &act_name) != 0)
		return 503;
	if (act == now.activity_id)
		act_name = now.activity_name;
	if (r->in[ADVSET_VERSION].present &&
	    r->in[ADVSET_VERSION].i != now.version) {
		fields = json_object_new_array();
		diff(fields, "Name", name, now.name);
		diff(fields, "Area", area_name, now.area_name);
		diff(fields, "Activity", act_name, now.activity_name);
		return settings_conflict(r, &x, fields,
		    r->in[ADVSET_VERSION].i, now.version, now.name, NULL);
	}
	if (r->nerrors)
		return settings_invalid(r, &x, NULL, TYPED_SETTINGS);
	after = now;
	after.area_id = area;
	if (area != now.area_id && adv_level(&x.ec, &after) < LV_ADMIN) {
		valid_error(r, "area_id", "out-of-reach", "With that area you "
		    "would no longer hold admin access to advancing on this "
		    "advance; choose an area you manage.");
		return settings_invalid(r, &x, NULL, TYPED_SETTINGS);
	}
	if (str_eq(name, now.name) && area == now.area_id &&
	    act == now.activity_id) {
		db_rollback();
		if (r->fmt == FMT_HTML) {
			flash(r, "info", "Nothing was changed.");
			return render_redirect(r, adv_path(r, x.ec.ev.id,
			    x.a.id, "/settings"));
		}
		return saved(r, &x, 200, NULL);
	}
	if (!str_eq(name, now.name)) {
		if ((rc = advedit_name_taken(r, x.ec.ev.id, now.collab_id,
		    name, now.id)) < 0)
			return 503;
		if (rc) {
			valid_error(r, "name", "taken", arena_printf(r->a,
			    "%s already has an advance named “%s”.",
			    now.collab_name, name));
			return settings_invalid(r, &x, NULL, TYPED_SETTINGS);
		}
	}
	if ((rc = advedit_update(r, x.ec.ev.id, now.id, now.version, name,
	    area, act)) < 0)
		return 503;
	if (rc == 2) {
		valid_error(r, "name", "taken", arena_printf(r->a, "%s already "
		    "has an advance named “%s”.", now.collab_name, name));
		return settings_invalid(r, &x, NULL, TYPED_SETTINGS);
	}
	if (rc == 0)
		return page_refuse(r, 409, "edit-conflict", "The advance changed "
		    "meanwhile; nothing was saved.");
	ch = json_object_new_object();
	if (!str_eq(name, now.name))
		change(ch, "name", jstr(now.name), jstr(name));
	if (area != now.area_id)
		change(ch, "area", jstr(now.area_name), jstr(area_name));
	if (act != now.activity_id)
		change(ch, "activity", jstr(now.activity_name),
		    jstr(act_name));
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance.updated",
	    "advance", now.id, name, ch);
	json_object_put(ch);
	/* Generated tasks carry the advance's area (§13.9); their names,
	 * once made, are theirs to edit. */
	if (rc == 0 && area != now.area_id)
		rc = advtrack_sync_advance(r, x.ec.ev.id, now.id, NULL);
	if (rc != 0 || db_commit() != 0)
		return 503;
	return saved(r, &x, 200, arena_printf(r->a, "“%s” was saved.", name));
}

/* --- removing an advance -------------------------------------------------- */

/* The confirmation: what goes. */
static json_object *
delete_view(struct req *r, const struct actx *x, int64_t mod)
{
	json_object		*v = base_view(r, &x->ec), *gone;
	struct advprog		 p;
	const struct advprog_adv *pa;
	const struct advprog_mod *pm = NULL;
	int64_t			 answers, items, locked;

	if (advprog_load(r, x->ec.ev.id, x->ec.ev.timezone, 0, x->a.id,
	    &p) != 0)
		return NULL;
	pa = advprog_find(&p, x->a.id);
	answers = pa->answers;
	items = pa->line_items;
	locked = pa->locked_items;
	if (mod > 0) {
		if ((pm = advprog_module(&p, mod)) == NULL)
			return NULL;
		answers = pm->answers;
		items = pm->line_items;
		locked = pm->locked_items;
		vset_obj(v, "module", advmod_json(pm->m));
		vset_str(v, "action_url", mod_path(r, x->ec.ev.id, x->a.id,
		    mod, "/delete"));
		vset_int(v, "version", pm->m->version);
	} else {
		vset_str(v, "action_url", adv_path(r, x->ec.ev.id, x->a.id,
		    "/delete"));
		vset_int(v, "version", x->a.version);
		vset_str(v, "module_count_label", count_text(r,
		    (int64_t)pa->nmods, "module", "modules"));
	}
	if ((gone = advedit_contents_json(r, x->ec.ev.id, x->a.id, mod)) ==
	    NULL)
		return NULL;
	vset_obj(v, "advance", advance_json(&x->a));
	vset_bool(v, "has_gone_answers", json_object_array_length(
	    json_object_object_get(gone, "answers")) > 0);
	vset_bool(v, "has_gone_items", json_object_array_length(
	    json_object_object_get(gone, "line_items")) > 0);
	vset_obj(v, "gone", gone);
	vset_int(v, "count", answers + items);
	vset_bool(v, "needs_count", answers + items > 0);
	vset_str(v, "contents_text", contents_text(r, answers, items));
	vset_bool(v, "locked", locked > 0);
	vset_str(v, "locked_text", locked > 0 ? count_text(r, locked,
	    "line item is", "line items are") : NULL);
	vset_bool(v, "can_confirm", locked == 0 && x->writable);
	vset_str(v, "settings_url", adv_path(r, x->ec.ev.id, x->a.id,
	    "/settings"));
	return v;
}

/* GET /events/{event}/advances/{adv}/delete — 200 the confirmation,
 * listing the answers, line items and files that go. 403 without
 * advancing admin covering it; 404 not visible. */
int
h_advance_delete_form(struct req *r)
{
	struct actx	 x;
	json_object	*v;
	int		 st;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if ((v = delete_view(r, &x, 0)) == NULL)
		return 503;
	return render_page(r, 200, "advances/delete", arena_printf(r->a,
	    "Delete %s", x.a.name), v);
}

/* Is the typed confirmation the number that goes? 0 fine (or nothing
 * to confirm), 1 a field error added. */
static int
check_confirm(struct req *r, int64_t answers, int64_t items)
{
	const char	*s = r->in[ADVDEL_CONFIRM].s;
	char		 want[32];

	if (answers + items == 0)
		return 0;
	snprintf(want, sizeof(want), "%lld", (long long)(answers + items));
	if (s != NULL && strcmp(s, want) == 0)
		return 0;
	valid_error(r, "confirm", "confirm", arena_printf(r->a, "This deletes "
	    "%s. Type %s to confirm.", contents_text(r, answers, items),
	    want));
	return 1;
}

static int
delete_invalid(struct req *r, const struct actx *x, int64_t mod,
    int status)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return status == 422 ? render_invalid(r, NULL, NULL,
		    view_new(r)) : render_error(r, status, "request-locked",
		    "A line item is linked to procurement, so nothing was "
		    "deleted.");
	if ((v = delete_view(r, x, mod)) == NULL)
		return 503;
	if (status == 422)
		return render_invalid(r, "advances/delete", "Delete", v);
	vset_str(v, "refusal", "A line item here is linked to procurement, "
	    "so nothing can be deleted.");
	return render_page(r, status, "advances/delete", "Delete", v);
}

/* POST /events/{event}/advances/{adv}/delete — 303 to the collaborator's
 * Advances tab (200 JSON): the advance, its modules and everything in
 * them go; task tracking archives its tasks first; the audit entry
 * keeps the answers' values and the line items. With answers or line
 * items, confirm must be their number (else 422). 403 without
 * advancing admin; 404 not visible; 409 archived, a stale version or
 * request-locked (procurement-linked items); 412 stale If-Match. */
int
h_advance_delete(struct req *r)
{
	struct actx		 x;
	struct advprog		 p;
	const struct advprog_adv *pa;
	json_object		*ch, *gone, *v;
	int			 st, rc;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if (r->nerrors)
		return delete_invalid(r, &x, 0, 422);
	if ((st = begin_adv(r, &x, -1, NULL)) != 0)
		return st;
	if (page_if_match_stale(r, x.a.id, x.a.version))
		return 412;
	if (r->in[ADVDEL_VERSION].present &&
	    r->in[ADVDEL_VERSION].i != x.a.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "“%s” changed after you opened the confirmation (now "
		    "version %lld, you saw %lld). Nothing was deleted; look "
		    "again and confirm.", x.a.name, (long long)x.a.version,
		    (long long)r->in[ADVDEL_VERSION].i));
	if (advprog_load(r, x.ec.ev.id, x.ec.ev.timezone, 0, x.a.id, &p) != 0)
		return 503;
	pa = advprog_find(&p, x.a.id);
	if (pa->locked_items > 0)
		return delete_invalid(r, &x, 0, 409);
	if (check_confirm(r, pa->answers, pa->line_items))
		return delete_invalid(r, &x, 0, 422);
	if ((gone = advedit_contents_json(r, x.ec.ev.id, x.a.id, 0)) == NULL)
		return 503;
	if (advtrack_advance_removed(r, x.ec.ev.id, x.a.id) != 0 ||
	    (rc = advedit_delete(r, x.ec.ev.id, x.a.id)) < 0) {
		json_object_put(gone);
		return 503;
	}
	if (rc == 0) {
		json_object_put(gone);
		return not_found(r, "gone");
	}
	ch = json_object_new_object();
	change(ch, "name", jstr(x.a.name), NULL);
	vset_str(ch, "collaborator", x.a.collab_name);
	vset_int(ch, "modules", (long long)pa->nmods);
	vset_obj(ch, "removed", gone);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance.deleted",
	    "advance", x.a.id, x.a.name, ch);
	json_object_put(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld advance=%lld answers=%lld items=%lld "
	    "msg=\"advance deleted\"", (long long)x.ec.ev.id,
	    (long long)x.a.id, (long long)pa->answers,
	    (long long)pa->line_items);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_bool(v, "deleted", 1);
		vset_int(v, "id", x.a.id);
		vset_int(v, "modules_removed", (long long)pa->nmods);
		vset_int(v, "answers_removed", pa->answers);
		vset_int(v, "line_items_removed", pa->line_items);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "The advance “%s” was deleted.",
	    x.a.name));
	return render_redirect(r, arena_printf(r->a,
	    "/events/%lld/collaborators/%lld/advances", (long long)x.ec.ev.id,
	    (long long)x.a.collab_id));
}

/* --- modules ------------------------------------------------------------- */

/* POST /events/{event}/advances/{adv}/modules — 303 to the settings
 * (201 JSON with the advance and its modules): a module template
 * added last, with an optional due date, required (default yes) and
 * requires submission (default no). 403 without advancing admin
 * covering the advance; 404 not visible; 409 archived; 422 not a
 * module template of the event, or one the advance already has. */
int
h_advmod_add(struct req *r)
{
	struct actx		 x;
	struct advedit_modtpl	 mt;
	struct advedit_modset	 s;
	int64_t			 tid = id_in(r, ADVMODADD_TEMPLATE), id, n;
	json_object		*ch;
	size_t			 nm;
	int			 st, rc;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if (r->nerrors)
		return settings_invalid(r, &x, NULL, TYPED_ADD);
	if ((st = begin_adv(r, &x, 0, NULL)) != 0)
		return st;
	if ((rc = advedit_module_template_get(r, x.ec.ev.id, tid, &mt)) < 0)
		return 503;
	if (rc == 0) {
		valid_error(r, "module_template_id", "unknown", "Module must be "
		    "one of this event's module templates.");
		return settings_invalid(r, &x, NULL, TYPED_ADD);
	}
	if (advmod_list(r, x.ec.ev.id, x.a.id, &nm) == NULL &&
	    nm == (size_t)-1)
		return 503;
	if (nm >= MODS_MAX) {
		valid_error(r, "module_template_id", "too-many", "An advance "
		    "has at most 200 modules.");
		return settings_invalid(r, &x, NULL, TYPED_ADD);
	}
	n = (int64_t)nm;
	memset(&s, 0, sizeof(s));
	s.due_date = r->in[ADVMODADD_DUE].present ? r->in[ADVMODADD_DUE].s :
	    NULL;
	s.required = sent(r, ADVMODADD_REQUIRED) ?
	    (int)r->in[ADVMODADD_REQUIRED].i : 1;
	s.submission = sent(r, ADVMODADD_SUBMISSION) ?
	    (int)r->in[ADVMODADD_SUBMISSION].i : 0;
	if ((id = advedit_mod_insert(r, x.ec.ev.id, x.a.id, tid, n, &s)) < 0)
		return 503;
	if (id == 0) {
		valid_error(r, "module_template_id", "taken", arena_printf(r->a,
		    "“%s” already has the module %s; each module appears at "
		    "most once.", x.a.name, mt.label));
		return settings_invalid(r, &x, NULL, TYPED_ADD);
	}
	ch = json_object_new_object();
	change(ch, "module", NULL, jstr(mt.label));
	vset_int(ch, "module_template_id", tid);
	vset_int(ch, "advance_id", x.a.id);
	if (s.due_date != NULL)
		change(ch, "due_date", NULL, jstr(s.due_date));
	change(ch, "required", NULL, json_object_new_boolean(s.required));
	change(ch, "requires_submission", NULL,
	    json_object_new_boolean(s.submission));
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance_module.created",
	    "advance_module", id, arena_printf(r->a, "%s · %s", x.a.name,
	    mt.label), ch);
	json_object_put(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	return saved(r, &x, 201, arena_printf(r->a, "%s was added.",
	    mt.label));
}

/* Begin a module write on module {m} of the advance. */
static int
begin_mod(struct req *r, struct actx *x, struct advmod *m)
{
	int64_t	 id = req_pathvar_id(r, 2);

	if (id <= 0)
		return not_found(r, "unknown");
	return begin_adv(r, x, id, m);
}

static const char *
bool_text(int b)
{
	return b ? "yes" : "no";
}

static const char *
reviewer_text(struct req *r, const struct people *pe, int64_t uid)
{
	const struct event_user	*u;

	if (uid <= 0)
		return NULL;
	u = person(pe, uid);
	return u != NULL ? u->name : arena_printf(r->a, "user %lld",
	    (long long)uid);
}

/* POST /events/{event}/advances/{adv}/modules/{m}/settings — 303 to the
 * settings (200 JSON with the module's new ETag): due date (local
 * YYYY-MM-DD, empty for none), required, requires submission and
 * reviewer (empty for none); JSON may leave any out. Task tracking
 * follows (assignee, due date). 403 without advancing admin covering
 * the advance; 404 not visible or no such module; 409 archived or a
 * stale version (both values shown); 412 stale If-Match (the module's
 * ETag); 422 field errors (a reviewer without advancing admin over the
 * advance). */
int
h_advmod_update(struct req *r)
{
	struct actx		 x;
	struct advmod		 m;
	struct advedit_modset	 s;
	struct modform		 mf;
	struct people		 pe;
	json_object		*ch, *v, *fields;
	const char		*label;
	int			 st, rc;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if ((st = begin_mod(r, &x, &m)) != 0)
		return st;
	if (page_if_match_stale(r, m.id, m.version))
		return 412;
	memset(&s, 0, sizeof(s));
	s.due_date = !sent(r, ADVMOD_DUE) ? m.due_date :
	    r->in[ADVMOD_DUE].present ? r->in[ADVMOD_DUE].s : NULL;
	s.required = sent(r, ADVMOD_REQUIRED) ?
	    (int)r->in[ADVMOD_REQUIRED].i : m.required;
	s.submission = sent(r, ADVMOD_SUBMISSION) ?
	    (int)r->in[ADVMOD_SUBMISSION].i : m.submission;
	s.tracked = m.tracked;
	s.reviewer_id = sent(r, ADVMOD_REVIEWER) ? id_in(r, ADVMOD_REVIEWER) :
	    m.reviewer_id;
	memset(&mf, 0, sizeof(mf));
	mf.module_id = m.id;
	mf.due_date = sent(r, ADVMOD_DUE) ? r->in[ADVMOD_DUE].s : m.due_date;
	mf.required = s.required;
	mf.submission = s.submission;
	mf.reviewer_id = s.reviewer_id;
	if (people_load(r, x.ec.ev.id, &pe) != 0)
		return 503;
	if (r->in[ADVMOD_VERSION].present &&
	    r->in[ADVMOD_VERSION].i != m.version) {
		fields = json_object_new_array();
		diff(fields, "Due date", s.due_date, m.due_date);
		diff(fields, "Required", bool_text(s.required),
		    bool_text(m.required));
		diff(fields, "Requires submission", bool_text(s.submission),
		    bool_text(m.submission));
		diff(fields, "Reviewer", reviewer_text(r, &pe, s.reviewer_id),
		    reviewer_text(r, &pe, m.reviewer_id));
		mf.error = "Not saved: someone changed this module meanwhile.";
		return settings_conflict(r, &x, fields,
		    r->in[ADVMOD_VERSION].i, m.version, m.label, &mf);
	}
	/* Only a new reviewer is checked, so a reviewer who lost access
	 * does not block saving the other settings. */
	if (s.reviewer_id > 0 && s.reviewer_id != m.reviewer_id &&
	    !reviewer_ok(&pe, s.reviewer_id, &x.a))
		valid_error(r, "reviewer_id", "not-admin", "The reviewer must "
		    "be on the event with admin access to advancing covering "
		    "this advance.");
	if (r->nerrors) {
		mf.error = r->errors[0].message;
		return settings_invalid(r, &x, &mf, TYPED_NONE);
	}
	if (str_eq(s.due_date, m.due_date) && s.required == m.required &&
	    s.submission == m.submission && s.reviewer_id == m.reviewer_id) {
		db_rollback();
		if (r->fmt == FMT_HTML) {
			flash(r, "info", "Nothing was changed.");
			return render_redirect(r, adv_path(r, x.ec.ev.id,
			    x.a.id, "/settings"));
		}
	} else {
		if ((rc = advedit_mod_update(r, x.ec.ev.id, m.id, m.version,
		    &s)) < 0)
			return 503;
		if (rc == 0)
			return page_refuse(r, 409, "edit-conflict", "The module "
			    "changed meanwhile; nothing was saved.");
		if (advtrack_sync_module(r, x.ec.ev.id, m.id) != 0)
			return 503;
		ch = json_object_new_object();
		vset_int(ch, "advance_id", x.a.id);
		if (!str_eq(s.due_date, m.due_date))
			change(ch, "due_date", jstr(m.due_date),
			    jstr(s.due_date));
		if (s.required != m.required)
			change(ch, "required",
			    json_object_new_boolean(m.required),
			    json_object_new_boolean(s.required));
		if (s.submission != m.submission)
			change(ch, "requires_submission",
			    json_object_new_boolean(m.submission),
			    json_object_new_boolean(s.submission));
		if (s.reviewer_id != m.reviewer_id)
			change(ch, "reviewer", jstr(reviewer_text(r, &pe,
			    m.reviewer_id)), jstr(reviewer_text(r, &pe,
			    s.reviewer_id)));
		label = arena_printf(r->a, "%s · %s", x.a.name, m.label);
		rc = audit(r, x.ec.ev.org_id, x.ec.ev.id,
		    "advance_module.updated", "advance_module", m.id, label,
		    ch);
		json_object_put(ch);
		if (rc != 0 || db_commit() != 0)
			return 503;
	}
	if (r->fmt == FMT_JSON) {
		struct advprog	 p;
		const struct advprog_mod *pm;

		if (advprog_load(r, x.ec.ev.id, x.ec.ev.timezone, 0, x.a.id,
		    &p) != 0 || (pm = advprog_module(&p, m.id)) == NULL)
			return 503;
		v = view_new(r);
		vset_obj(v, "module", advmod_json(pm->m));
		vset_obj(json_object_object_get(v, "module"), "progress",
		    advprog_mod_json(pm));
		(void)page_etag(r, m.id, pm->m->version);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was saved.", m.label));
	return render_redirect(r, adv_path(r, x.ec.ev.id, x.a.id,
	    "/settings"));
}

/* POST /events/{event}/advances/{adv}/modules/{m}/move — 303 to the
 * settings (200 JSON): the module moves one up or down (direction) or
 * to position (0 first; past the end: last); positions stay dense. 403
 * without advancing admin; 404; 409 archived or a stale version; 422
 * neither direction nor position. */
int
h_advmod_move(struct req *r)
{
	struct actx	 x;
	struct advmod	 m, *ms, tmp;
	const char	*dir = r->in[ADVMOVE_DIRECTION].s;
	json_object	*ch;
	size_t		 n, i, from, to;
	int		 st, rc;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if (r->in[ADVMOVE_DIRECTION].present && strcmp(dir, "up") != 0 &&
	    strcmp(dir, "down") != 0)
		valid_error(r, "direction", "invalid", "Direction must be up or "
		    "down.");
	else if (!r->in[ADVMOVE_DIRECTION].present &&
	    !r->in[ADVMOVE_POSITION].present && !has_error(r, "position"))
		valid_error(r, "direction", "required", "Say where to move the "
		    "module: direction up or down, or a position.");
	if (r->nerrors)
		return settings_invalid(r, &x, NULL, TYPED_NONE);
	if ((st = begin_mod(r, &x, &m)) != 0)
		return st;
	if (r->in[ADVMOVE_VERSION].present &&
	    r->in[ADVMOVE_VERSION].i != m.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s changed after you loaded the page; nothing was moved. "
		    "Look again and retry.", m.label));
	if ((ms = advmod_list(r, x.ec.ev.id, x.a.id, &n)) == NULL)
		return 503;
	for (from = 0; from < n && ms[from].id != m.id; from++)
		;
	if (from == n)
		return not_found(r, "gone");
	if (r->in[ADVMOVE_DIRECTION].present)
		to = strcmp(dir, "up") == 0 ? (from > 0 ? from - 1 : 0) :
		    (from + 1 < n ? from + 1 : from);
	else
		to = (size_t)r->in[ADVMOVE_POSITION].i < n ?
		    (size_t)r->in[ADVMOVE_POSITION].i : n - 1;
	tmp = ms[from];
	if (to < from)
		memmove(&ms[to + 1], &ms[to], (from - to) * sizeof(*ms));
	else if (to > from)
		memmove(&ms[from], &ms[from + 1], (to - from) * sizeof(*ms));
	ms[to] = tmp;
	for (i = 0; i < n; i++)
		if (ms[i].position != (int64_t)i &&
		    advedit_mod_position(r, x.ec.ev.id, ms[i].id,
		    (int64_t)i) != 0)
			return 503;
	if (to != from) {
		ch = json_object_new_object();
		vset_int(ch, "advance_id", x.a.id);
		change(ch, "position", json_object_new_int64((int64_t)from),
		    json_object_new_int64((int64_t)to));
		rc = audit(r, x.ec.ev.org_id, x.ec.ev.id,
		    "advance_module.moved", "advance_module", m.id,
		    arena_printf(r->a, "%s · %s", x.a.name, m.label), ch);
		json_object_put(ch);
		if (rc != 0)
			return 503;
	}
	if (db_commit() != 0)
		return 503;
	return saved(r, &x, 200, arena_printf(r->a, "%s was moved.",
	    m.label));
}

/* GET /events/{event}/advances/{adv}/modules/{m}/delete — 200 the
 * confirmation with the answers, line items and files that go. 403
 * without advancing admin; 404 not visible or no such module. */
int
h_advmod_delete_form(struct req *r)
{
	struct actx	 x;
	struct advmod	 m;
	json_object	*v;
	int64_t		 id = req_pathvar_id(r, 2);
	int		 st;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (id <= 0)
		return not_found(r, "unknown");
	if ((st = advmod_get(r, x.ec.ev.id, x.a.id, id, &m)) < 0)
		return 503;
	if (st == 0)
		return not_found(r, "unknown");
	if ((v = delete_view(r, &x, id)) == NULL)
		return 503;
	return render_page(r, 200, "advances/delete", arena_printf(r->a,
	    "Remove %s", m.label), v);
}

/* POST /events/{event}/advances/{adv}/modules/{m}/delete — 303 to the
 * settings (200 JSON): the module goes with its answers, history, line
 * items and files; task tracking archives its tasks first; the audit
 * entry keeps the values. With answers or line items, confirm must be
 * their number (422 otherwise). 403; 404; 409 archived, a stale
 * version or request-locked; 412 stale If-Match. */
int
h_advmod_delete(struct req *r)
{
	struct actx		 x;
	struct advmod		 m;
	struct advprog		 p;
	const struct advprog_mod *pm;
	json_object		*ch, *gone, *v;
	int			 st, rc;

	if ((st = load_manage(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if ((st = begin_mod(r, &x, &m)) != 0)
		return st;
	if (page_if_match_stale(r, m.id, m.version))
		return 412;
	if (r->in[ADVDEL_VERSION].present &&
	    r->in[ADVDEL_VERSION].i != m.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s changed after you opened the confirmation; nothing "
		    "was removed. Look again and confirm.", m.label));
	if (advprog_load(r, x.ec.ev.id, x.ec.ev.timezone, 0, x.a.id, &p) !=
	    0 || (pm = advprog_module(&p, m.id)) == NULL)
		return 503;
	if (pm->locked_items > 0)
		return delete_invalid(r, &x, m.id, 409);
	if (r->nerrors || check_confirm(r, pm->answers, pm->line_items))
		return delete_invalid(r, &x, m.id, 422);
	if ((gone = advedit_contents_json(r, x.ec.ev.id, x.a.id, m.id)) ==
	    NULL)
		return 503;
	if (advtrack_module_removed(r, x.ec.ev.id, x.a.id, m.id) != 0 ||
	    (rc = advedit_mod_delete(r, x.ec.ev.id, x.a.id, m.id,
	    m.position)) < 0) {
		json_object_put(gone);
		return 503;
	}
	if (rc == 0) {
		json_object_put(gone);
		return not_found(r, "gone");
	}
	ch = json_object_new_object();
	vset_int(ch, "advance_id", x.a.id);
	change(ch, "module", jstr(m.label), NULL);
	vset_obj(ch, "removed", gone);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance_module.deleted",
	    "advance_module", m.id, arena_printf(r->a, "%s · %s", x.a.name,
	    m.label), ch);
	json_object_put(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_bool(v, "deleted", 1);
		vset_int(v, "id", m.id);
		vset_int(v, "answers_removed", pm->answers);
		vset_int(v, "line_items_removed", pm->line_items);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was removed from “%s”.",
	    m.label, x.a.name));
	return render_redirect(r, adv_path(r, x.ec.ev.id, x.a.id,
	    "/settings"));
}

/* --- a collaborator's Advances tab ---------------------------------------- */

/* GET /events/{event}/collaborators/{c}/advances — 200 the
 * collaborator's advances the actor can see, with progress, and New
 * advance for those who may create one for it. 404 when the actor
 * cannot see the collaborator (another vendor's) or it does not
 * exist. Eight queries whatever the number of advances. */
int
h_collab_advances(struct req *r)
{
	struct actx		 x;
	struct collab		 co;
	struct advance		*as;
	struct advprog		 p;
	struct people		 pe;
	struct perm_target	 t, te;
	json_object		*v, *items, *tabs;
	int64_t			 cid = req_pathvar_id(r, 1);
	size_t			 n, i, shown = 0;
	int			 st, rc, staff, resp;

	if ((st = load_event(r, &x)) != 0)
		return st;
	if (cid <= 0 || !collab_visible(&x.ec, cid))
		return not_found(r, "not_viewable");
	if ((rc = collab_get(r, x.ec.ev.id, cid, &co)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if ((as = advance_list(r, x.ec.ev.id, cid, &n)) == NULL &&
	    n == (size_t)-1)
		return 503;
	staff = !adv_portal_user(&x.ec);
	memset(&pe, 0, sizeof(pe));
	if (advprog_load(r, x.ec.ev.id, x.ec.ev.timezone, cid, 0, &p) != 0 ||
	    (staff && people_load(r, x.ec.ev.id, &pe) != 0))
		return 503;

	v = view_new(r);
	event_header_into(r, v, &x.ec, "collaborators");
	target_collab(&t, cid);
	target_event(&te);
	/* The keys of the collaborator pages' tabs (collabs/tabs). */
	vset_obj(v, "collaborator", collab_json(r, &co));
	vset_bool(v, "is_own", x.ec.actor.event_user &&
	    x.ec.actor.collab_id == cid);
	vset_str(v, "collaborators_url", ev_path(r, x.ec.ev.id,
	    "/collaborators"));
	vset_str(v, "overview_url", arena_printf(r->a,
	    "/events/%lld/collaborators/%lld", (long long)x.ec.ev.id,
	    (long long)cid));
	vset_str(v, "crew_url", event_level(&x.ec, SEC_CREW, &t) >= LV_VIEW ?
	    arena_printf(r->a, "/events/%lld/collaborators/%lld/crew",
	    (long long)x.ec.ev.id, (long long)cid) : NULL);
	vset_str(v, "settings_url", event_level(&x.ec, SEC_CREW, &te) >=
	    LV_EDIT || event_level(&x.ec, SEC_SETTINGS, &t) >= LV_EDIT ?
	    arena_printf(r->a, "/events/%lld/collaborators/%lld/settings",
	    (long long)x.ec.ev.id, (long long)cid) : NULL);
	vset_str(v, "users_url", event_level(&x.ec, SEC_USERS, &te) >=
	    LV_VIEW ? ev_path(r, x.ec.ev.id, "/users") : NULL);
	tabs = json_object_new_object();
	vset_bool(tabs, "advances", 1);
	vset_obj(v, "tab", tabs);

	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object	*o;

		if (adv_level(&x.ec, &as[i]) < LV_VIEW)
			continue;
		resp = adv_respondent(&x.ec, &as[i]);
		o = adv_row_json(r, &x.ec, &as[i], &p, ADV_ROW_MODULES |
		    (resp ? ADV_ROW_RESPONDENT : 0));
		if (staff && !resp)
			vset_bool(o, "no_respondent",
			    !has_respondent(&pe, &as[i]));
		json_object_array_add(items, o);
		shown++;
	}
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);
	vset_bool(v, "has_items", shown > 0);
	vset_bool(v, "staff", staff);
	vset_bool(v, "can_create", x.writable && (collab_level(&x.ec, cid) >=
	    LV_ADMIN || area_admin_any(&x.ec)));
	vset_str(v, "new_url", arena_printf(r->a,
	    "/events/%lld/advances/new?collaborator_id=%lld",
	    (long long)x.ec.ev.id, (long long)cid));
	vset_str(v, "preview_url", staff && collab_level(&x.ec, cid) >=
	    LV_VIEW ? arena_printf(r->a, "/events/%lld/portal/preview/%lld",
	    (long long)x.ec.ev.id, (long long)cid) : NULL);
	vset_str(v, "portal_url", staff ? NULL : ev_path(r, x.ec.ev.id,
	    "/portal"));
	vset_str(v, "count_label", count_text(r, (int64_t)shown, "advance",
	    "advances"));
	return render_page(r, 200, "advances/collab", arena_printf(r->a,
	    "%s · Advances", co.name), v);
}
