/* portal.c — the vendor advance portal's home (PRODUCT §13.5): for
 * people whose advancing comes only through their own collaborator,
 * that collaborator's advances — only those — with progress (required
 * items answered / total), next due date and overdue marks, each module
 * with its state, and links to the collaborator's schedule and crew.
 *
 * Staff reach the same page read-only as "Preview as ⟨collaborator⟩"
 * (/portal/preview/{c}), rendered from the same view model with the
 * respondent's eye: no review marks, no management links. Opening the
 * portal itself, staff get the list of collaborators they may preview.
 * A collaborator the actor has no advancing view on is a 404, so one
 * vendor never reaches another's portal. */
#include <string.h>

#include "advances.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "eventctx.h"
#include "events.h"
#include "model/advance.h"
#include "model/advprogress.h"
#include "model/event.h"
#include "model/eventuser.h"
#include "render/view.h"

static int
not_found(struct req *r, const char *why)
{
	log_msg(LOG_INFO, "decision=deny reason=%s", why);
	return render_error(r, 404, "not-found", NULL);
}

/* The actor's advancing level on collaborator c's advances. */
static enum level
collab_level(const struct event_ctx *c, int64_t collab)
{
	struct perm_target	 t;

	target_collab(&t, collab);
	return event_level(c, SEC_ADVANCING, &t);
}

static const char *
co_path(struct req *r, int64_t ev, int64_t c, const char *tail)
{
	return arena_printf(r->a, "/events/%lld/collaborators/%lld%s",
	    (long long)ev, (long long)c, tail);
}

/* The home of collaborator co's portal, as its respondents see it
 * (preview: for staff, marked as such). Six queries. */
static int
home(struct req *r, const struct event_ctx *c, const struct eu_scope *co,
    int preview)
{
	struct advance		*as;
	struct advprog		 p;
	struct perm_target	 t;
	json_object		*v, *items, *o;
	size_t			 n, i, shown = 0, overdue = 0, open = 0;
	const char		*next = NULL;

	if ((as = advance_list(r, c->ev.id, co->id, &n)) == NULL &&
	    n == (size_t)-1)
		return 503;
	if (advprog_load(r, c->ev.id, c->ev.timezone, co->id, 0, &p) != 0)
		return 503;
	v = view_new(r);
	event_header_into(r, v, c, preview ? "advancing" : "portal");
	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		const struct advprog_adv *pa;

		if (adv_level(c, &as[i]) < LV_VIEW)
			continue;
		pa = advprog_find(&p, as[i].id);
		o = adv_row_json(r, c, &as[i], &p, ADV_ROW_MODULES |
		    ADV_ROW_RESPONDENT);
		json_object_array_add(items, o);
		shown++;
		overdue += pa->overdue;
		open += pa->nmods > 0 && !pa->done;
		if (pa->next_due != NULL && (next == NULL ||
		    strcmp(pa->next_due, next) < 0))
			next = pa->next_due;
	}
	target_collab(&t, co->id);
	vset_obj(v, "collaborator", json_object_new_object());
	vset_int(json_object_object_get(v, "collaborator"), "id", co->id);
	vset_str(json_object_object_get(v, "collaborator"), "name",
	    co->name);
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);
	vset_bool(v, "has_items", shown > 0);
	vset_int(v, "count", (long long)shown);
	vset_int(v, "open_count", (long long)open);
	vset_int(v, "overdue_count", (long long)overdue);
	vset_str(v, "next_due", next);
	vset_str(v, "next_due_text", next ? event_dates_text(r, next, next) :
	    NULL);
	vset_str(v, "today", p.today);
	vset_bool(v, "preview", preview);
	vset_str(v, "schedule_url", arena_printf(r->a,
	    "/events/%lld/schedule?cal=collab:%lld", (long long)c->ev.id,
	    (long long)co->id));
	/* Respondents keep their crew (vendor presets give crew access);
	 * a preview shows the link they see. */
	vset_str(v, "crew_url", preview || event_level(c, SEC_CREW, &t) >=
	    LV_VIEW ? co_path(r, c->ev.id, co->id, "/crew") : NULL);
	vset_str(v, "staff_url", preview ? co_path(r, c->ev.id, co->id,
	    "/advances") : NULL);
	vset_str(v, "portal_url", arena_printf(r->a, "/events/%lld/portal",
	    (long long)c->ev.id));
	return render_page(r, 200, "advances/portal", preview ?
	    arena_printf(r->a, "Preview: %s's portal", co->name) :
	    arena_printf(r->a, "Advances · %s", co->name), v);
}

/* Staff opening the portal: the collaborators they may preview, with
 * how many advances each has. Four queries. */
static int
chooser(struct req *r, const struct event_ctx *c)
{
	struct eu_scope	*cs;
	struct advance	*as;
	json_object	*v, *items, *o;
	size_t		 nc, na, i, k;
	int64_t		 count;

	if (eu_collabs(r, c->ev.id, &cs, &nc) != 0)
		return 503;
	if ((as = advance_list(r, c->ev.id, 0, &na)) == NULL &&
	    na == (size_t)-1)
		return 503;
	v = view_new(r);
	event_header_into(r, v, c, "advancing");
	items = json_object_new_array();
	for (i = 0; i < nc; i++) {
		if (collab_level(c, cs[i].id) < LV_VIEW)
			continue;
		for (count = 0, k = 0; k < na; k++)
			count += as[k].collab_id == cs[i].id;
		o = json_object_new_object();
		vset_int(o, "id", cs[i].id);
		vset_str(o, "name", cs[i].name);
		vset_bool(o, "is_host", cs[i].host);
		vset_int(o, "advances", count);
		vset_str(o, "preview_url", arena_printf(r->a,
		    "/events/%lld/portal/preview/%lld", (long long)c->ev.id,
		    (long long)cs[i].id));
		json_object_array_add(items, o);
	}
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);
	vset_bool(v, "has_items", json_object_array_length(items) > 0);
	vset_str(v, "advances_url", arena_printf(r->a,
	    "/events/%lld/advances", (long long)c->ev.id));
	return render_page(r, 200, "advances/portal_choose",
	    "Preview the vendor portal", v);
}

/* GET /events/{event}/portal — 200 for people whose advancing comes only
 * through their own collaborator: that collaborator's advances with
 * progress, next due date and overdue marks, and links to its schedule
 * and crew; for staff with advancing view somewhere, the collaborators
 * whose portal they may preview. 404 for anyone else on the event (and
 * anyone not on it). */
int
h_portal(struct req *r)
{
	struct event_ctx c;
	struct eu_scope	 co;
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (adv_portal_user(&c)) {
		if ((st = eu_collab(r, c.ev.id, c.actor.collab_id, &co)) < 0)
			return 503;
		if (st == 0)
			return not_found(r, "unknown");
		return home(r, &c, &co, 0);
	}
	if (!event_level_somewhere(&c, SEC_ADVANCING, LV_VIEW))
		return not_found(r, "not_viewable");
	return chooser(r, &c);
}

/* GET /events/{event}/portal/preview/{c} — 200 collaborator c's portal
 * exactly as its respondents see it, marked as a preview. 404 without
 * advancing view covering the collaborator (another vendor's alike) or
 * when it does not exist. */
int
h_portal_preview(struct req *r)
{
	struct event_ctx c;
	struct eu_scope	 co;
	int64_t		 cid = req_pathvar_id(r, 1);
	int		 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (cid <= 0 || collab_level(&c, cid) < LV_VIEW)
		return not_found(r, "not_viewable");
	if ((st = eu_collab(r, c.ev.id, cid, &co)) < 0)
		return 503;
	if (st == 0)
		return not_found(r, "unknown");
	return home(r, &c, &co, 1);
}
