/* access.c — Users & access of an event (PRODUCT §4–§6, §8): the users
 * list and a user's grant grid; bringing people in (an existing account
 * at once, a new address by invitation), from the Users page or from a
 * crew record; Event Pro seats; presets and single grants; removing and
 * moving people; accepting an event invitation.
 *
 * Every write is one transaction whose first statement locks the event
 * row (eu_lock_event). The actor is then read again under that lock and
 * every permission is checked on what it says, so the seat count and the
 * "at least one uncapped users & access admin" rule are decided on
 * numbers no other writer can move before the commit (RELIABILITY DB-8).
 * Seats additionally go through the pool lock inside seat_take(). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "deny.h"
#include "access.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "events.h"
#include "model/audit.h"
#include "model/eventinvite.h"
#include "model/eventuser.h"
#include "model/grant.h"
#include "model/mail.h"
#include "model/seat.h"
#include "model/user.h"
#include "render/esc.h"
#include "render/timefmt.h"
#include "render/view.h"
#include "timezones.h"

static const char *const section_labels[SEC__MAX] = {
	"Settings", "Users & access", "Schedule", "Tasks", "Files",
	"Documents", "Advancing", "Crew"
};
static const char *const level_labels[] = { "None", "View", "Edit",
	"Admin" };

/* The scopes of an event, loaded once per request for names, choices
 * and checks. */
struct scopes {
	struct eu_scope	*collabs;
	size_t		 ncollabs;
	struct eu_scope	*areas;
	size_t		 nareas;
};

/* What an inviter chose: a preset expanded into grants, explicit grants
 * (preset NULL), or nothing beyond basic access; and a seat or not. */
struct choice {
	const char	*preset;
	enum domain	 domain;	/* the preset's scope */
	int64_t		 scope_id;
	struct grant	 g[EINV_GRANTS_MAX];
	size_t		 n;
	int		 seat;
};

enum choice_mode {
	CH_ADD,		/* the Users page: users & access rights decide */
	CH_CREW,	/* a crew record: crew admin plus one's own levels */
	CH_GRANT,	/* grants of someone already on the event */
};

/* What bringing someone in did. */
struct brought {
	int		 invited;	/* 1 invitation, 0 added at once */
	int64_t		 user_id;
	int64_t		 invitation_id;
	const char	*email;
	const char	*name;
	int		 seat;
};

/* --- small helpers ------------------------------------------------------ */

static const char *
level_label(enum level l)
{
	return l <= LV_ADMIN ? level_labels[l] : "";
}

static const char *
lc_label(enum license_class lc)
{
	switch (lc) {
	case LC_ORG_PRO:
		return "Org Pro";
	case LC_SEAT:
		return "Event Pro seat";
	default:
		return "Free collaborator access";
	}
}

static const char *
preset_text(const char *name)
{
	enum preset	 p;

	if (name == NULL)
		return "Custom grants";
	if (preset_parse(name, &p) == 0)
		return preset_label(p);
	if (strcmp(name, "scope_admin") == 0)
		return "Scope admin";
	return name;
}


static int
not_found(struct req *r)
{
	return page_refuse(r, 404, "not-found", NULL);
}

static const char *
users_url(struct req *r, int64_t ev)
{
	return arena_printf(r->a, "/events/%lld/users", (long long)ev);
}

static const char *
user_url(struct req *r, int64_t ev, int64_t uid)
{
	return arena_printf(r->a, "/events/%lld/users/%lld", (long long)ev,
	    (long long)uid);
}

static const char *
crew_url(struct req *r, int64_t ev, int64_t cid, int64_t id)
{
	return arena_printf(r->a, "/events/%lld/collaborators/%lld/crew/%lld",
	    (long long)ev, (long long)cid, (long long)id);
}

static void
scope_target(struct perm_target *t, enum domain d, int64_t scope)
{
	switch (d) {
	case DOM_COLLAB:
		target_collab(t, scope);
		break;
	case DOM_AREA:
		target_area(t, scope);
		break;
	default:
		target_event(t);
		break;
	}
}

/* The actor's effective level in a section of one scope. */
static enum level
actor_level(const struct event_ctx *c, enum section s, enum domain d,
    int64_t scope)
{
	struct perm_target	 t;

	scope_target(&t, d, scope);
	return event_level(c, s, &t);
}

/* Free collaborator access: brings in colleagues as Vendor crew only. */
static int
free_actor(const struct event_ctx *c)
{
	return c->actor.lc == LC_FREE && !c->actor.org_admin;
}

/* event_require and event_writable, with the transaction rolled back
 * first so the error page is rendered outside it. */
static int
require(struct req *r, const struct event_ctx *c, enum section s,
    enum level need, const struct perm_target *t)
{
	if (event_level(c, s, t) >= need)
		return 0;
	if (db_in_txn())
		db_rollback();
	return event_require(r, c, s, need, t);
}

static int
writable(struct req *r, const struct event_ctx *c)
{
	if (!c->ev.archived)
		return 0;
	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=event_archived event=%lld",
	    (long long)c->ev.id);
	return event_writable(r, c);
}

/* Open a write on the event: transaction, the event row locked first,
 * then the actor read again under the lock. 0 to go on. */
static int
begin_event_write(struct req *r, struct event_ctx *c)
{
	int	 rc;

	if (db_begin() != 0 ||
	    (rc = eu_lock_event(r, c->ev.id, NULL, NULL)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	return event_gate(r, c, 1);
}

/* {"field": {"old": …, "new": …}} for audit entries. */
static json_object *
change(json_object *ch, const char *field, const char *old,
    const char *new)
{
	json_object	*f = json_object_new_object();

	if (ch == NULL)
		ch = json_object_new_object();
	vset_str(f, "old", old);
	vset_str(f, "new", new);
	json_object_object_add(ch, field, f);
	return ch;
}

static void
put_changes(json_object *ch)
{
	if (ch != NULL)
		json_object_put(ch);
}

static int
load_scopes(struct req *r, int64_t ev, struct scopes *sc)
{
	memset(sc, 0, sizeof(*sc));
	if (eu_collabs(r, ev, &sc->collabs, &sc->ncollabs) != 0 ||
	    eu_areas(r, ev, &sc->areas, &sc->nareas) != 0)
		return -1;
	return 0;
}

static const struct eu_scope *
scope_find(const struct scopes *sc, enum domain d, int64_t id)
{
	const struct eu_scope	*v = d == DOM_COLLAB ? sc->collabs :
	    sc->areas;
	size_t			 n = d == DOM_COLLAB ? sc->ncollabs :
	    sc->nareas, i;

	for (i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

/* "Event", "Collaborator Foo", "Area Stage"; NULL when the scope is not
 * one of this event's. */
static const char *
scope_label(struct req *r, const struct scopes *sc, enum domain d,
    int64_t id)
{
	const struct eu_scope	*s;

	if (d == DOM_EVENT)
		return id == 0 ? "Whole event" : NULL;
	if ((s = scope_find(sc, d, id)) == NULL)
		return NULL;
	return arena_printf(r->a, "%s %s", d == DOM_COLLAB ?
	    "Collaborator" : "Area", s->name);
}

/* "event", "collaborator:12", "area:3" — the scope of a form. */
static const char *
scope_value(struct req *r, enum domain d, int64_t id)
{
	if (d == DOM_EVENT)
		return "event";
	return arena_printf(r->a, "%s:%lld", domain_name(d), (long long)id);
}

static int
scope_parse(const char *s, enum domain *d, int64_t *id)
{
	char		 dom[16], rest;
	long long	 n = 0;

	if (s == NULL)
		return -1;
	if (strcmp(s, "event") == 0) {
		*d = DOM_EVENT;
		*id = 0;
		return 0;
	}
	if (sscanf(s, "%15[a-z]:%lld%c", dom, &n, &rest) != 2 || n < 1 ||
	    domain_parse(dom, d) != 0 || *d == DOM_EVENT)
		return -1;
	*id = n;
	return 0;
}

/* One grant written as scope/section/level: "event/schedule/edit",
 * "collaborator:12/crew/admin", "area:3/tasks/view". */
static int
grant_parse(const char *s, struct grant *g)
{
	char	 scope[40], sec[16], lvl[8], rest;

	if (s == NULL || sscanf(s, "%39[a-z0-9:]/%15[a-z]/%7[a-z]%c", scope,
	    sec, lvl, &rest) != 3)
		return -1;
	if (scope_parse(scope, &g->domain, &g->scope_id) != 0 ||
	    section_parse(sec, &g->section) != 0 ||
	    level_parse(lvl, &g->level) != 0)
		return -1;
	return 0;
}

static json_object *
option(const char *value, const char *label, int selected)
{
	json_object	*o = json_object_new_object();

	vset_str(o, "value", value);
	vset_str(o, "label", label);
	vset_bool(o, "selected", selected);
	return o;
}

/* The collaborator an invitation form proposes presets for. */
static const char *
default_preset(const struct event_ctx *c, int host)
{
	if (free_actor(c))
		return "vendor_crew";
	return host ? "viewer" : "vendor_contact";
}

enum preset_list {
	PL_INVITE,	/* presets, custom grants, basic access only */
	PL_PRESETS,	/* presets alone */
	PL_MOVE,	/* presets but Area lead (given on an area) */
};

/* Access choices of the forms. Free users invite as Vendor crew only. */
static json_object *
preset_options(const struct event_ctx *c, const char *selected,
    enum preset_list which)
{
	json_object	*a = json_object_new_array();
	int		 p;

	if (which == PL_INVITE && free_actor(c)) {
		json_object_array_add(a, option("vendor_crew",
		    preset_label(PRESET_VENDOR_CREW), 1));
		return a;
	}
	for (p = 0; p < PRESET__MAX; p++)
		if (which != PL_MOVE || p != PRESET_AREA_LEAD)
			json_object_array_add(a, option(preset_name(
			    (enum preset)p), preset_label((enum preset)p),
			    selected != NULL && strcmp(selected,
			    preset_name((enum preset)p)) == 0));
	if (which != PL_INVITE)
		return a;
	json_object_array_add(a, option("custom", "Custom grants (below)",
	    selected != NULL && strcmp(selected, "custom") == 0));
	json_object_array_add(a, option("none", "Basic access only",
	    selected != NULL && strcmp(selected, "none") == 0));
	return a;
}

static json_object *
area_options(const struct scopes *sc, int64_t selected)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < sc->nareas; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "value", sc->areas[i].id);
		vset_str(o, "label", sc->areas[i].name);
		vset_bool(o, "selected", sc->areas[i].id == selected);
		json_object_array_add(a, o);
	}
	return a;
}

/* Per section, a select of Event-domain levels up to the actor's own
 * (the custom grants of the invite forms). */
static json_object *
grant_selects(struct req *r, const struct event_ctx *c,
    const struct input *chosen)
{
	json_object	*a = json_object_new_array();
	int		 s, l;
	size_t		 i;

	for (s = 0; s < SEC__MAX; s++) {
		json_object	*e = json_object_new_object(), *opts;
		enum level	 cap = c->actor.org_admin ? LV_ADMIN :
		    actor_level(c, (enum section)s, DOM_EVENT, 0);

		vset_str(e, "section", section_name((enum section)s));
		vset_str(e, "label", section_labels[s]);
		opts = json_object_new_array();
		json_object_array_add(opts, option("", "None", 0));
		for (l = LV_VIEW; l <= (int)cap; l++) {
			const char	*val = arena_printf(r->a, "event/%s/%s",
			    section_name((enum section)s),
			    level_name((enum level)l));
			int		 sel = 0;

			for (i = 0; chosen != NULL && i < chosen->nmulti; i++)
				if (strcmp(chosen->multi[i], val) == 0)
					sel = 1;
			json_object_array_add(opts, option(val,
			    level_label((enum level)l), sel));
		}
		vset_obj(e, "options", opts);
		json_object_array_add(a, e);
	}
	return a;
}

static json_object *
sections_json(void)
{
	json_object	*a = json_object_new_array();
	int		 s;

	for (s = 0; s < SEC__MAX; s++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "name", section_name((enum section)s));
		vset_str(o, "label", section_labels[s]);
		json_object_array_add(a, o);
	}
	return a;
}

/* Seats of the event: quantity of its pool, used, free. */
static json_object *
seats_json(struct req *r, const struct event_ctx *c)
{
	json_object	*o = json_object_new_object();
	int64_t		 q = 0, used = 0;

	if (eu_seat_info(r, c->ev.id, c->ev.pool_id, &q, &used) != 0) {
		json_object_put(o);
		return NULL;
	}
	vset_int(o, "quantity", q);
	vset_int(o, "used", used);
	vset_int(o, "free", q > used ? q - used : 0);
	return o;
}

/* --- choosing access ---------------------------------------------------- */

/* May the actor give what was chosen? 0, or 403 sent. When bringing
 * someone in, free users may add colleagues of their own collaborator
 * only, as Vendor crew without a seat; a seat needs Event-domain users &
 * access admin; outside crew records a preset needs users & access edit
 * in its scope and explicit grants admin in theirs; and nobody gives a
 * level above their own in that section and scope (org owners and admins
 * excepted: they can always recover an event). */
static int
choice_allowed(struct req *r, const struct event_ctx *c,
    const struct scopes *sc, int64_t collab_id, const struct choice *ch,
    enum choice_mode mode)
{
	enum level	 have;
	size_t		 i;

	if (mode != CH_GRANT && free_actor(c) && (ch->seat ||
	    collab_id != c->actor.collab_id ||
	    ch->preset == NULL || strcmp(ch->preset, "vendor_crew") != 0))
		return page_refuse(r, 403, "insufficient-permission", "With free "
		    "collaborator access you can bring in people of your own "
		    "collaborator only, as Vendor crew and without a seat.");
	if (ch->seat && actor_level(c, SEC_USERS, DOM_EVENT, 0) < LV_ADMIN)
		return page_refuse(r, 403, "insufficient-permission", "Giving an "
		    "Event Pro seat needs admin access to users & access for "
		    "the whole event.");
	if (mode != CH_CREW && ch->preset != NULL && ch->n > 0 &&
	    (have = actor_level(c, SEC_USERS, ch->domain, ch->scope_id)) <
	    LV_EDIT)
		return page_refuse(r, 403, "insufficient-permission",
		    arena_printf(r->a, "Applying the %s preset needs edit "
		    "access to users & access in %s; you have %s.",
		    preset_text(ch->preset), scope_label(r, sc, ch->domain,
		    ch->scope_id), level_name(have)));
	for (i = 0; i < ch->n; i++) {
		const struct grant	*g = &ch->g[i];

		if (mode != CH_CREW && ch->preset == NULL && (have =
		    actor_level(c, SEC_USERS, g->domain, g->scope_id)) <
		    LV_ADMIN)
			return page_refuse(r, 403, "insufficient-permission",
			    arena_printf(r->a, "Giving single grants in %s "
			    "needs admin access to users & access there; you "
			    "have %s.", scope_label(r, sc, g->domain,
			    g->scope_id), level_name(have)));
		if (c->actor.org_admin)
			continue;
		if ((have = actor_level(c, g->section, g->domain,
		    g->scope_id)) < g->level)
			return page_refuse(r, 403, "insufficient-permission",
			    arena_printf(r->a, "You can't give %s access to "
			    "%s in %s: nobody grants more than their own "
			    "level, and yours there is %s.",
			    level_name(g->level), section_name(g->section),
			    scope_label(r, sc, g->domain, g->scope_id),
			    level_name(have)));
	}
	return 0;
}

/* Turn the form's preset, area and grants into a choice. 0, 422 with
 * the field errors added (nothing sent), or 403 sent. */
static int
resolve_choice(struct req *r, const struct event_ctx *c,
    const struct scopes *sc, const struct eu_scope *collab,
    const struct input *preset, const struct input *area,
    const struct input *grants, const struct input *seat,
    enum choice_mode mode, struct choice *ch)
{
	const char	*name = preset->present ? preset->s : NULL;
	enum preset	 p;
	size_t		 i, j;

	memset(ch, 0, sizeof(*ch));
	ch->seat = seat->present && seat->i;
	if (name == NULL)
		name = grants->present ? "custom" :
		    default_preset(c, collab->host);
	if (strcmp(name, "none") == 0)
		;
	else if (strcmp(name, "custom") == 0) {
		for (i = 0; i < grants->nmulti; i++) {
			struct grant	 g;

			if (grant_parse(grants->multi[i], &g) != 0 ||
			    scope_label(r, sc, g.domain, g.scope_id) == NULL) {
				valid_error(r, "grants", "invalid",
				    arena_printf(r->a, "“%s” is not a grant "
				    "on this event. Write scope/section/level, "
				    "e.g. event/schedule/edit or "
				    "collaborator:12/crew/admin.",
				    grants->multi[i]));
				continue;
			}
			if (g.level == LV_NONE)
				continue;
			for (j = 0; j < ch->n; j++)
				if (ch->g[j].domain == g.domain &&
				    ch->g[j].scope_id == g.scope_id &&
				    ch->g[j].section == g.section)
					break;
			if (j < ch->n) {
				if (g.level > ch->g[j].level)
					ch->g[j].level = g.level;
			} else if (ch->n == EINV_GRANTS_MAX) {
				valid_error(r, "grants", "too-many",
				    arena_printf(r->a, "Give at most %d grants "
				    "at a time.", EINV_GRANTS_MAX));
				break;
			} else
				ch->g[ch->n++] = g;
		}
	} else if (preset_parse(name, &p) != 0)
		valid_error(r, "preset", "invalid", "Choose a preset, custom "
		    "grants or basic access only.");
	else {
		ch->preset = preset_name(p);
		ch->domain = DOM_EVENT;
		if (p == PRESET_AREA_LEAD) {
			if (!area->present ||
			    scope_find(sc, DOM_AREA, area->i) == NULL) {
				valid_error(r, "area_id", "required", "Choose "
				    "the area this person leads.");
				return 422;
			}
			ch->domain = DOM_AREA;
			ch->scope_id = area->i;
		} else if (p == PRESET_VENDOR_CONTACT ||
		    p == PRESET_VENDOR_CREW) {
			ch->domain = DOM_COLLAB;
			ch->scope_id = collab->id;
		}
		ch->n = preset_grants(p, ch->scope_id, ch->g);
	}
	if (r->nerrors)
		return 422;
	return choice_allowed(r, c, sc, collab->id, ch, mode);
}

/* "Producer", "Custom grants (3)", "Basic access only", for people. */
static const char *
choice_text(struct req *r, const struct choice *ch)
{
	if (ch->preset != NULL)
		return preset_text(ch->preset);
	if (ch->n == 0)
		return "Basic access only";
	return arena_printf(r->a, "Custom grants (%zu)", ch->n);
}

static json_object *
choice_changes(struct req *r, const struct eu_scope *collab,
    const struct choice *ch, const char *grants_json)
{
	json_object	*c = NULL;

	c = change(c, "collaborator", NULL, collab->name);
	c = change(c, "access", NULL, choice_text(r, ch));
	if (ch->preset == NULL && ch->n > 0)
		c = change(c, "grants", NULL, grants_json);
	c = change(c, "seat", NULL, ch->seat ? "yes" : "no");
	return c;
}

/* --- bringing people in ---------------------------------------------- */

static const char *
added_body(struct req *r, const struct event_ctx *c, const char *name,
    const struct eu_scope *collab, int seat)
{
	return arena_printf(r->a, "Hello %s,\n\n%s added you to the event "
	    "\"%s\" on BackOps, as part of %s%s.\n\nOpen it here: "
	    "%s/events/%lld\n", name, r->user->name, c->ev.name, collab->name,
	    seat ? ", with an Event Pro seat" : "", cfg->base_url,
	    (long long)c->ev.id);
}

static const char *
invite_body(struct req *r, const char *event_name, const char *collab,
    const char *tok)
{
	return arena_printf(r->a, "Hello,\n\n%s (%s) invited you to work on "
	    "the event \"%s\" on BackOps, as part of %s.\n\nAccept the "
	    "invitation here, signing in or creating your account (the link "
	    "works once, for %d days):\n%s/event-invitations/accept?token="
	    "%s\n\nIf you weren't expecting this, you can ignore this "
	    "message.\n", r->user->name, r->user->email, event_name, collab,
	    cfg->invitation_ttl_days, cfg->base_url, tok);
}

/* A seat on the locked event for a user or an invitation: seats of
 * lapsed invitations go first, then seat_take() under the pool lock.
 * 0, or 409 no-seats-available sent. */
static int
take_seat(struct req *r, const struct event_ctx *c, int64_t uid,
    int64_t inv)
{
	int	 rc;

	if (einv_expire(r, c->ev.id) != 0)
		return 503;
	if ((rc = seat_take(r, c->ev.id, c->ev.pool_id, uid, inv)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 409, "no-seats-available", "No Event Pro seat "
		    "is free on this event: every seat of its pool is taken. "
		    "Free one first, or ask an owner or admin of the "
		    "organization to raise the pool's quantity.");
	return 0;
}

/* Inside the write: an existing account joins the collaborator at once
 * (grants, seat, crew record linked, told by mail); a new address gets
 * an invitation holding the grants and the seat reservation, with a link
 * by mail. 0 with *out filled, 422 with a field error added (nothing
 * sent), or the status sent. */
static int
bring_in(struct req *r, const struct event_ctx *c,
    const struct eu_scope *collab, const struct eu_crew *crew,
    const char *email, const struct choice *ch, struct brought *out)
{
	struct user		 u;
	struct event_user	 eu;
	char			 tok[EINV_TOKEN_MAX];
	const char		*gj = einv_grants_json(r, ch->g, ch->n);
	json_object		*chg;
	int64_t			 id;
	int			 rc, st;

	memset(out, 0, sizeof(*out));
	if ((rc = user_by_email(r, email, &u)) < 0)
		return 503;
	if (rc == 1) {
		if ((rc = eu_get(r, c->ev.id, u.id, &eu)) < 0)
			return 503;
		if (rc == 1)
			return page_refuse(r, 409, "already-member",
			    eu.collab_id == collab->id ? arena_printf(r->a,
			    "%s is already on this event, in %s.", u.email,
			    eu.collab_name) : arena_printf(r->a, "%s is "
			    "already on this event, in %s. Each person "
			    "belongs to one collaborator: move them from their "
			    "page on Users & access instead.", u.email,
			    eu.collab_name));
		if ((rc = eu_add(r, c->ev.id, u.id, collab->id)) < 0)
			return 503;
		if (rc == 0)
			return page_refuse(r, 409, "already-member",
			    arena_printf(r->a, "%s is already on this event.",
			    u.email));
		if (grants_apply(r, c->ev.id, u.id, ch->g, ch->n,
		    ch->preset) != 0 || eu_get(r, c->ev.id, u.id, &eu) != 1)
			return 503;
		/* Org Pro reaches the event without a seat. */
		out->seat = ch->seat && eu.lc != LC_ORG_PRO;
		if (out->seat && (st = take_seat(r, c, u.id, 0)) != 0)
			return st;
		if (crew != NULL && eu_crew_link(r, c->ev.id, crew->id,
		    u.id) != 0)
			return 503;
		chg = choice_changes(r, collab, ch, gj);
		chg = change(chg, "seat", NULL, out->seat ? "yes" : "no");
		rc = mail_queue(r, u.email, arena_printf(r->a, "You were added "
		    "to %s on BackOps", c->ev.name), added_body(r, c, u.name,
		    collab, out->seat)) != 0 || audit(r, c->ev.org_id,
		    c->ev.id, "event_user.added", "user", u.id, u.email,
		    chg) != 0;
		put_changes(chg);
		if (rc)
			return 503;
		out->user_id = u.id;
		out->email = u.email;
		out->name = u.name;
		return 0;
	}
	if ((rc = einv_pending(r, c->ev.id, email)) < 0)
		return 503;
	if (rc == 1) {
		valid_error(r, "email", "pending-invitation", arena_printf(r->a,
		    "%s already has a pending invitation to this event; resend "
		    "it from Users & access instead.", email));
		return 422;
	}
	if ((id = einv_create(r, c->ev.id, collab->id, crew ? crew->id : 0,
	    email, gj, ch->preset, tok, sizeof(tok))) < 0)
		return 503;
	if (ch->seat && (st = take_seat(r, c, 0, id)) != 0) {
		sodium_memzero(tok, sizeof(tok));
		return st;
	}
	chg = choice_changes(r, collab, ch, gj);
	rc = mail_queue(r, email, arena_printf(r->a, "%s invited you to %s on "
	    "BackOps", r->user->name, c->ev.name), invite_body(r, c->ev.name,
	    collab->name, tok)) != 0 || audit(r, c->ev.org_id, c->ev.id,
	    "event_invitation.created", "event_invitation", id, email,
	    chg) != 0;
	sodium_memzero(tok, sizeof(tok));
	put_changes(chg);
	if (rc)
		return 503;
	out->invited = 1;
	out->invitation_id = id;
	out->email = email;
	out->seat = ch->seat;
	return 0;
}

static json_object *
brought_json(struct req *r, const struct eu_scope *collab,
    const struct choice *ch, const struct brought *b)
{
	json_object	*v = view_new(r);

	vset_str(v, "result", b->invited ? "invited" : "added");
	if (b->invited)
		vset_int(v, "invitation_id", b->invitation_id);
	else
		vset_int(v, "user_id", b->user_id);
	vset_str(v, "email", b->email);
	vset_int(v, "collaborator_id", collab->id);
	vset_str(v, "access", choice_text(r, ch));
	vset_str(v, "preset", ch->preset);
	vset_bool(v, "seat", b->seat);
	return v;
}

static const char *
brought_text(struct req *r, const struct brought *b)
{
	if (b->invited)
		return arena_printf(r->a, "Invitation sent to %s; the link "
		    "works for %d days%s.", b->email, cfg->invitation_ttl_days,
		    b->seat ? " and an Event Pro seat is held for it" : "");
	return arena_printf(r->a, "%s is on the event now%s, and was told by "
	    "email.", b->name, b->seat ? " with an Event Pro seat" : "");
}

/* --- the Users page ----------------------------------------------------- */

/* The grants of one user in a list sorted by user id: [from, to). */
static void
grant_range(const struct eu_grant *gs, size_t ng, int64_t uid, size_t *from,
    size_t *to)
{
	size_t	 lo = 0, hi = ng;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (gs[mid].user_id < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < ng && gs[lo].user_id == uid)
		lo++;
	*to = lo;
}

/* A person on the event as the permission module sees them. */
static void
person_actor(struct req *r, const struct event_user *u,
    const struct eu_grant *gs, size_t n, struct perm_actor *a)
{
	struct grant	*g = arena_calloc(r->a, n ? n : 1, sizeof(*g));
	size_t		 i;

	for (i = 0; i < n; i++)
		g[i] = gs[i].g;
	memset(a, 0, sizeof(*a));
	a->lc = u->lc;
	a->event_user = 1;
	a->collab_id = u->collab_id;
	a->org_admin = u->org_admin;
	a->grants = g;
	a->ngrants = n;
}

/* Presets a person's grants came from, as one label. */
static const char *
presets_text(struct req *r, const struct eu_grant *gs, size_t n)
{
	const char	*seen[16];
	size_t		 ns = 0, i, j;
	struct buf	 b;
	char		*s;

	for (i = 0; i < n; i++) {
		if (gs[i].preset == NULL)
			continue;
		for (j = 0; j < ns; j++)
			if (strcmp(seen[j], gs[i].preset) == 0)
				break;
		if (j == ns && ns < 16)
			seen[ns++] = gs[i].preset;
	}
	if (ns == 0)
		return n > 0 ? "Custom grants" : "Basic access only";
	buf_init(&b);
	for (j = 0; j < ns; j++) {
		if (j > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, preset_text(seen[j]));
	}
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* The actor's best users & access level: for the whole event or their
 * own collaborator. */
static enum level
users_reach(const struct event_ctx *c)
{
	enum level	 e = actor_level(c, SEC_USERS, DOM_EVENT, 0), o;

	if (!c->actor.event_user)
		return e;
	o = actor_level(c, SEC_USERS, DOM_COLLAB, c->actor.collab_id);
	return o > e ? o : e;
}

/* May the actor take this person off the event? Themselves always
 * (leaving); others with users & access edit in the Event domain or in
 * the person's collaborator. */
static int
can_remove(const struct event_ctx *c, struct req *r,
    const struct event_user *u)
{
	return u->user_id == r->user->id || actor_level(c, SEC_USERS,
	    DOM_COLLAB, u->collab_id) >= LV_EDIT;
}

/* One row of the Users list; also the JSON of a person after a change. */
static json_object *
person_json(struct req *r, const struct event_ctx *c,
    const struct event_user *u, const struct eu_grant *gs, size_t n)
{
	json_object		*o = json_object_new_object(), *lv, *cells, *own;
	struct perm_actor	 a;
	struct perm_target	 t, tc;
	struct buf		 b;
	int			 s, seat_admin;

	person_actor(r, u, gs, n, &a);
	target_event(&t);
	target_collab(&tc, u->collab_id);
	seat_admin = !c->ev.archived &&
	    actor_level(c, SEC_USERS, DOM_EVENT, 0) >= LV_ADMIN;
	vset_int(o, "id", u->user_id);
	vset_str(o, "name", u->name);
	vset_str(o, "email", u->email);
	vset_int(o, "collaborator_id", u->collab_id);
	vset_str(o, "collaborator_name", u->collab_name);
	vset_bool(o, "collaborator_host", u->collab_host);
	vset_str(o, "license_class", license_class_name(u->lc));
	vset_str(o, "license_label", lc_label(u->lc));
	vset_bool(o, "is_free", u->lc == LC_FREE);
	vset_bool(o, "seat", u->has_seat);
	vset_str(o, "presets", presets_text(r, gs, n));
	lv = json_object_new_object();
	own = json_object_new_object();
	cells = json_object_new_array();
	buf_init(&b);
	for (s = 0; s < SEC__MAX; s++) {
		enum level	 l = perm_level(&a, (enum section)s, &t);
		enum level	 lo = perm_level(&a, (enum section)s, &tc);
		json_object	*cell = json_object_new_object();

		vset_str(lv, section_name((enum section)s), level_name(l));
		vset_str(own, section_name((enum section)s), level_name(lo));
		vset_str(cell, "section", section_name((enum section)s));
		vset_str(cell, "level", level_name(l));
		vset_str(cell, "label", l == LV_NONE ? "—" : level_label(l));
		json_object_array_add(cells, cell);
		if (lo > LV_NONE && lo > l) {
			if (b.len > 0)
				buf_puts(&b, ", ");
			buf_printf(&b, "%s %s", section_labels[s],
			    level_name(lo));
		}
	}
	vset_obj(o, "levels", lv);
	vset_obj(o, "collaborator_levels", own);
	vset_obj(o, "level_cells", cells);
	vset_str(o, "collaborator_summary", b.len > 0 ?
	    arena_strdup(r->a, buf_cstr(&b)) : NULL);
	buf_free(&b);
	vset_time(o, "joined_at", u->joined_at, r->user->timezone);
	vset_int(o, "version", u->version);
	vset_str(o, "url", user_url(r, c->ev.id, u->user_id));
	vset_bool(o, "is_self", u->user_id == r->user->id);
	vset_bool(o, "can_remove", !c->ev.archived && can_remove(c, r, u));
	vset_bool(o, "can_seat", seat_admin && !u->has_seat &&
	    u->lc != LC_ORG_PRO);
	vset_bool(o, "can_free_seat", seat_admin && u->has_seat);
	return o;
}

/* The add form: what was typed (POST) or the proposals (GET). */
static json_object *
add_form(struct req *r, const struct event_ctx *c, const struct scopes *sc)
{
	json_object	*f = json_object_new_object(), *opts;
	int		 posting = r->route != NULL &&
	    r->route->handler == h_event_user_add;
	int64_t		 collab = posting && r->in[EUADD_COLLAB].present ?
	    r->in[EUADD_COLLAB].i : 0;
	const char	*preset = posting && r->in[EUADD_PRESET].present ?
	    r->in[EUADD_PRESET].s : NULL;
	size_t		 i;

	if (collab == 0)
		collab = free_actor(c) ? c->actor.collab_id : c->ev.host_collab_id;
	opts = json_object_new_array();
	for (i = 0; i < sc->ncollabs; i++) {
		/* Only collaborators whose users the actor manages. */
		if (actor_level(c, SEC_USERS, DOM_COLLAB, sc->collabs[i].id) <
		    LV_EDIT)
			continue;
		json_object_array_add(opts, option(arena_printf(r->a, "%lld",
		    (long long)sc->collabs[i].id), sc->collabs[i].host ?
		    arena_printf(r->a, "%s (host)", sc->collabs[i].name) :
		    sc->collabs[i].name, sc->collabs[i].id == collab));
	}
	vset_obj(f, "collaborator_options", opts);
	vset_str(f, "email", posting ? r->in[EUADD_EMAIL].s : NULL);
	if (preset == NULL)
		preset = default_preset(c, collab == c->ev.host_collab_id);
	vset_obj(f, "preset_options", preset_options(c, preset,
	    PL_INVITE));
	vset_obj(f, "area_options", area_options(sc, posting &&
	    r->in[EUADD_AREA].present ? r->in[EUADD_AREA].i : 0));
	vset_bool(f, "has_areas", sc->nareas > 0);
	vset_obj(f, "grant_selects", grant_selects(r, c, posting ?
	    &r->in[EUADD_GRANTS] : NULL));
	vset_bool(f, "seat", posting && r->in[EUADD_SEAT].present &&
	    r->in[EUADD_SEAT].i);
	vset_bool(f, "custom_allowed", !free_actor(c));
	return f;
}

static void
event_common(struct req *r, json_object *v, const struct event_ctx *c)
{
	vset_obj(v, "event", event_json(&c->ev));
	vset_str(v, "event_url", arena_printf(r->a, "/events/%lld",
	    (long long)c->ev.id));
	vset_str(v, "settings_url", arena_printf(r->a, "/events/%lld/settings",
	    (long long)c->ev.id));
	vset_str(v, "org_url", arena_printf(r->a, "/orgs/%lld",
	    (long long)c->ev.org_id));
	vset_str(v, "users_url", users_url(r, c->ev.id));
	vset_bool(v, "archived", c->ev.archived);
}

/* Whose access the actor sees on the Users page: everyone (0) with users
 * & access view for the whole event (org owners and admins have it on
 * every event of their organization), the people of their own
 * collaborator (its id) with users & access view there, or nobody (-1). */
static int64_t
users_scope(const struct event_ctx *c)
{
	if (actor_level(c, SEC_USERS, DOM_EVENT, 0) >= LV_VIEW)
		return 0;
	if (c->actor.event_user && actor_level(c, SEC_USERS, DOM_COLLAB,
	    c->actor.collab_id) >= LV_VIEW)
		return c->actor.collab_id;
	return -1;
}

/* The Users page's view model; NULL on a database error. Lists: users,
 * all grants, collaborators, areas, invitations, seats — one query each
 * whatever the number of people. */
static json_object *
users_view(struct req *r, const struct event_ctx *c)
{
	int64_t			 only = users_scope(c);
	json_object		*v = view_new(r), *items, *invs, *seats;
	struct event_user	*us;
	struct eu_grant		*gs;
	struct scopes		 sc;
	size_t			 nu, ng, i, from, to;
	int			 manage_users;

	if (eu_list(r, c->ev.id, &us, &nu) != 0 ||
	    eu_grants(r, c->ev.id, 0, &gs, &ng) != 0 ||
	    load_scopes(r, c->ev.id, &sc) != 0 ||
	    (invs = einv_list(r, c->ev.id, only > 0 ? only : 0)) == NULL)
		return NULL;
	if ((seats = seats_json(r, c)) == NULL) {
		json_object_put(invs);
		return NULL;
	}
	event_common(r, v, c);
	event_header_into(r, v, c, "users");
	items = json_object_new_array();
	for (i = 0; i < nu; i++) {
		if (only > 0 && us[i].collab_id != only)
			continue;
		grant_range(gs, ng, us[i].user_id, &from, &to);
		json_object_array_add(items, person_json(r, c, &us[i],
		    gs + from, to - from));
	}
	nu = json_object_array_length(items);
	for (i = 0; i < json_object_array_length(invs); i++) {
		json_object	*e = json_object_array_get_idx(invs, i);
		int64_t		 cid = json_object_get_int64(
		    json_object_object_get(e, "collaborator_id"));

		vset_bool(e, "can_manage", !c->ev.archived &&
		    actor_level(c, SEC_USERS, DOM_COLLAB, cid) >= LV_EDIT);
	}
	vset_obj(v, "items", items);
	vset_bool(v, "whole_event", only == 0);
	vset_str(v, "only_collaborator", only > 0 ? (scope_find(&sc,
	    DOM_COLLAB, only) ? scope_find(&sc, DOM_COLLAB, only)->name :
	    NULL) : NULL);
	vset_int(v, "count", (long long)nu);
	vset_str(v, "count_label", arena_printf(r->a, "%zu %s", nu,
	    nu == 1 ? "person" : "people"));
	vset_obj(v, "invitations", invs);
	vset_bool(v, "has_invitations", json_object_array_length(invs) > 0);
	vset_obj(v, "seats", seats);
	vset_obj(v, "sections", sections_json());
	manage_users = !c->ev.archived && (actor_level(c, SEC_USERS,
	    DOM_EVENT, 0) >= LV_EDIT || (c->actor.event_user &&
	    actor_level(c, SEC_USERS, DOM_COLLAB, c->actor.collab_id) >=
	    LV_EDIT));
	vset_bool(v, "can_add", manage_users);
	vset_bool(v, "can_join", c->actor.org_pro_observer && !c->ev.archived);
	vset_str(v, "join_url", arena_printf(r->a, "/events/%lld/join",
	    (long long)c->ev.id));
	vset_bool(v, "can_give_seat", !c->ev.archived && actor_level(c,
	    SEC_USERS, DOM_EVENT, 0) >= LV_ADMIN);
	vset_int(v, "ttl_days", cfg->invitation_ttl_days);
	if (r->fmt == FMT_HTML && manage_users)
		vset_obj(v, "form", add_form(r, c, &sc));
	return v;
}

/* GET /events/{event}/users — 200 everyone on the event with their
 * collaborator, license class, presets and effective levels, and the
 * pending invitations (with users & access view for the whole event, or
 * as org owner or admin); only the people of one's own collaborator
 * with users & access view there alone. People who may add others get
 * the form. 404 when the event can't be entered or users & access can't
 * be viewed at all. */
int
h_event_users(struct req *r)
{
	struct event_ctx	 c;
	json_object		*v;
	int			 st;

	if ((st = event_gate(r, &c, 1)) != 0)
		return st;
	if (users_scope(&c) < 0)
		return not_found(r);
	if ((v = users_view(r, &c)) == NULL)
		return 503;
	return render_page(r, 200, "access/users", arena_printf(r->a,
	    "Users & access · %s", c.ev.name), v);
}

/* A form error on the Users page: the page again with what was typed,
 * 422. People who can't see the list get the errors alone. */
static int
users_invalid(struct req *r, const struct event_ctx *c)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, NULL);
	if (users_scope(c) < 0)
		return render_error(r, 422, "validation-failed",
		    r->errors[0].message);
	if ((v = users_view(r, c)) == NULL)
		return 503;
	return render_invalid(r, "access/users", arena_printf(r->a,
	    "Users & access · %s", c->ev.name), v);
}

/* POST /events/{event}/users — add someone to a collaborator: 303 to the
 * Users page (201 JSON). An existing account is on the event at once
 * (grants applied, seat taken, told by email); a new address gets an
 * invitation that holds the grants and reserves the seat, with a 7-day
 * link by email. 403 without users & access edit for the collaborator,
 * a preset or grant the actor may not give, a seat without Event-domain
 * users & access admin, or an unverified inviter; 404 the event or the
 * collaborator can't be seen; 409 event-archived, already-member (on the
 * event already: move instead), no-seats-available; 422 bad email,
 * collaborator, preset, area or grant, or a pending invitation. */
int
h_event_user_add(struct req *r)
{
	struct event_ctx	 c;
	struct scopes		 sc;
	struct eu_scope		 collab;
	struct perm_target	 t;
	struct choice		 ch;
	struct brought		 b;
	int			 st, rc;

	if ((st = event_gate(r, &c, 1)) != 0)
		return st;
	/* Nothing to say to someone who can't see anyone's access here. */
	if (users_reach(&c) == LV_NONE)
		return not_found(r);
	if (r->nerrors)
		return users_invalid(r, &c);
	if ((st = begin_event_write(r, &c)) != 0)
		return st;
	if (users_reach(&c) == LV_NONE)
		return not_found(r);
	if ((rc = eu_collab(r, c.ev.id, r->in[EUADD_COLLAB].i, &collab)) < 0)
		return 503;
	if (rc == 0) {
		valid_error(r, "collaborator_id", "invalid", "Choose a "
		    "collaborator of this event.");
		return users_invalid(r, &c);
	}
	target_collab(&t, collab.id);
	if ((st = require(r, &c, SEC_USERS, LV_EDIT, &t)) != 0)
		return st;
	if (load_scopes(r, c.ev.id, &sc) != 0)
		return 503;
	st = resolve_choice(r, &c, &sc, &collab, &r->in[EUADD_PRESET],
	    &r->in[EUADD_AREA], &r->in[EUADD_GRANTS], &r->in[EUADD_SEAT],
	    CH_ADD, &ch);
	if (st == 422)
		return users_invalid(r, &c);
	if (st != 0)
		return st;
	if ((st = writable(r, &c)) != 0)
		return st;
	if (!r->user->verified)
		return page_refuse(r, 403, "insufficient-permission", "Verify your "
		    "email address before adding people: open the link we sent "
		    "you, or ask for a new one from the banner.");
	st = bring_in(r, &c, &collab, NULL, r->in[EUADD_EMAIL].s, &ch, &b);
	if (st == 422)
		return users_invalid(r, &c);
	if (st != 0)
		return st;
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=event_user_%s event=%lld seat=%d",
	    b.invited ? "invited" : "added", (long long)c.ev.id, b.seat);
	if (r->fmt == FMT_JSON)
		return render_json(r, 201, brought_json(r, &collab, &ch, &b));
	flash(r, "ok", brought_text(r, &b));
	return render_redirect(r, users_scope(&c) >= 0 ?
	    users_url(r, c.ev.id) : arena_printf(r->a, "/events/%lld",
	    (long long)c.ev.id));
}

/* --- one person ----------------------------------------------------------- */

/* Does the actor see this person's access? Themselves; users & access
 * view for the Event or the person's collaborator; or users & access on
 * an area (its admins manage grants on the area for anyone). */
static int
sees_person(struct req *r, const struct event_ctx *c,
    const struct scopes *sc, const struct event_user *u)
{
	size_t	 i;

	if (u->user_id == r->user->id ||
	    actor_level(c, SEC_USERS, DOM_COLLAB, u->collab_id) >= LV_VIEW)
		return 1;
	for (i = 0; i < sc->nareas; i++)
		if (actor_level(c, SEC_USERS, DOM_AREA, sc->areas[i].id) >=
		    LV_VIEW)
			return 1;
	return 0;
}

/* Load {user} on the event as the actor may see it. 0, or 404 sent. */
static int
person_gate(struct req *r, const struct event_ctx *c,
    const struct scopes *sc, struct event_user *u)
{
	int64_t	 uid = req_pathvar_id(r, 1);
	int	 rc;

	if (uid < 0)
		return not_found(r);
	if ((rc = eu_get(r, c->ev.id, uid, u)) < 0)
		return 503;
	if (rc == 0 || !sees_person(r, c, sc, u))
		return not_found(r);
	return 0;
}

/* Scopes of the grid, in order: the event, the person's collaborator,
 * then every other scope they hold grants in. */
struct row {
	enum domain	 d;
	int64_t		 id;
};

static size_t
grid_rows(const struct event_user *u, const struct eu_grant *gs, size_t ng,
    struct row *rows, size_t max)
{
	size_t	 n = 0, i, j;

	rows[n].d = DOM_EVENT, rows[n++].id = 0;
	rows[n].d = DOM_COLLAB, rows[n++].id = u->collab_id;
	for (i = 0; i < ng && n < max; i++) {
		for (j = 0; j < n; j++)
			if (rows[j].d == gs[i].g.domain &&
			    rows[j].id == gs[i].g.scope_id)
				break;
		if (j == n) {
			rows[n].d = gs[i].g.domain;
			rows[n++].id = gs[i].g.scope_id;
		}
	}
	return n;
}

static json_object *
scope_options(struct req *r, const struct event_ctx *c,
    const struct scopes *sc, enum level need)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	if (actor_level(c, SEC_USERS, DOM_EVENT, 0) >= need)
		json_object_array_add(a, option("event", "Whole event", 0));
	for (i = 0; i < sc->ncollabs; i++)
		if (actor_level(c, SEC_USERS, DOM_COLLAB, sc->collabs[i].id) >=
		    need)
			json_object_array_add(a, option(scope_value(r,
			    DOM_COLLAB, sc->collabs[i].id), scope_label(r, sc,
			    DOM_COLLAB, sc->collabs[i].id), 0));
	for (i = 0; i < sc->nareas; i++)
		if (actor_level(c, SEC_USERS, DOM_AREA, sc->areas[i].id) >=
		    need)
			json_object_array_add(a, option(scope_value(r,
			    DOM_AREA, sc->areas[i].id), scope_label(r, sc,
			    DOM_AREA, sc->areas[i].id), 0));
	return a;
}

/* The grant grid (domain × scope × section) with capped grants marked,
 * and the controls the actor may use on this person. */
static json_object *
person_view(struct req *r, const struct event_ctx *c,
    const struct event_user *u)
{
	json_object		*v = view_new(r), *rows, *opts, *seats;
	struct eu_grant		*gs;
	struct scopes		 sc;
	struct perm_actor	 a;
	struct row		 sr[64];
	size_t			 ng, nr, i, k;
	int			 s, capped = 0, self = u->user_id == r->user->id;
	int			 edit, admin, move;

	if (eu_grants(r, c->ev.id, u->user_id, &gs, &ng) != 0 ||
	    load_scopes(r, c->ev.id, &sc) != 0 ||
	    (seats = seats_json(r, c)) == NULL)
		return NULL;
	event_common(r, v, c);
	person_actor(r, u, gs, ng, &a);
	vset_obj(v, "person", person_json(r, c, u, gs, ng));
	vset_obj(v, "sections", sections_json());
	vset_obj(v, "seats", seats);
	rows = json_object_new_array();
	nr = grid_rows(u, gs, ng, sr, sizeof(sr) / sizeof(sr[0]));
	for (i = 0; i < nr; i++) {
		json_object		*row, *cells;
		struct perm_target	 t;
		const char		*label = scope_label(r, &sc, sr[i].d,
		    sr[i].id);

		if (label == NULL || (!self && actor_level(c, SEC_USERS,
		    sr[i].d, sr[i].id) < LV_VIEW))
			continue;
		scope_target(&t, sr[i].d, sr[i].id);
		row = json_object_new_object();
		vset_str(row, "domain", domain_name(sr[i].d));
		vset_int(row, "scope_id", sr[i].id);
		vset_str(row, "scope", scope_value(r, sr[i].d, sr[i].id));
		vset_str(row, "label", label);
		vset_bool(row, "own_collaborator", sr[i].d == DOM_COLLAB &&
		    sr[i].id == u->collab_id);
		cells = json_object_new_array();
		for (s = 0; s < SEC__MAX; s++) {
			json_object	*cell = json_object_new_object();
			enum level	 granted = LV_NONE, eff, cap;
			const char	*preset = NULL;

			for (k = 0; k < ng; k++)
				if (gs[k].g.domain == sr[i].d &&
				    gs[k].g.scope_id == sr[i].id &&
				    gs[k].g.section == (enum section)s) {
					granted = gs[k].g.level;
					preset = gs[k].preset;
				}
			eff = perm_level(&a, (enum section)s, &t);
			cap = perm_ceiling(&a, (enum section)s, &t);
			vset_str(cell, "section", section_name((enum section)s));
			vset_str(cell, "granted", level_name(granted));
			vset_str(cell, "granted_label", granted == LV_NONE ?
			    "—" : level_label(granted));
			vset_bool(cell, "has_grant", granted != LV_NONE);
			vset_str(cell, "preset", granted != LV_NONE ?
			    preset_text(preset) : NULL);
			vset_str(cell, "effective", level_name(eff));
			vset_str(cell, "effective_label", level_label(eff));
			vset_bool(cell, "capped", granted > cap);
			vset_bool(cell, "differs", eff != granted);
			if (granted > cap)
				capped = 1;
			json_object_array_add(cells, cell);
		}
		vset_obj(row, "cells", cells);
		json_object_array_add(rows, row);
	}
	vset_obj(v, "rows", rows);
	vset_bool(v, "any_capped", capped);
	vset_str(v, "grants_url", arena_printf(r->a, "%s/grants",
	    user_url(r, c->ev.id, u->user_id)));

	/* Controls: only what the actor can use. */
	edit = admin = move = 0;
	if (!c->ev.archived) {
		enum level	 best = users_reach(c);

		for (i = 0; i < sc.nareas; i++) {
			enum level	 l = actor_level(c, SEC_USERS, DOM_AREA,
			    sc.areas[i].id);

			if (l > best)
				best = l;
		}
		for (i = 0; i < sc.ncollabs; i++) {
			enum level	 l = actor_level(c, SEC_USERS,
			    DOM_COLLAB, sc.collabs[i].id);

			if (l > best)
				best = l;
		}
		edit = best >= LV_EDIT;
		admin = best >= LV_ADMIN;
		move = actor_level(c, SEC_USERS, DOM_COLLAB, u->collab_id) >=
		    LV_ADMIN;
	}
	vset_bool(v, "can_apply_preset", edit);
	vset_bool(v, "can_set_grant", admin);
	if (r->fmt == FMT_HTML && edit) {
		vset_obj(v, "preset_options", preset_options(c, NULL,
		    PL_PRESETS));
		vset_obj(v, "area_options", area_options(&sc, 0));
		vset_bool(v, "has_areas", sc.nareas > 0);
	}
	if (r->fmt == FMT_HTML && admin) {
		json_object	*secs = sections_json(), *lvls;
		int		 l;

		vset_obj(v, "grant_scope_options", scope_options(r, c, &sc,
		    LV_ADMIN));
		vset_obj(v, "section_options", secs);
		lvls = json_object_new_array();
		for (l = LV_NONE; l <= LV_ADMIN; l++)
			json_object_array_add(lvls, option(level_name(
			    (enum level)l), level_label((enum level)l), 0));
		vset_obj(v, "level_options", lvls);
	}
	opts = json_object_new_array();
	for (i = 0; move && i < sc.ncollabs; i++)
		if (sc.collabs[i].id != u->collab_id && actor_level(c,
		    SEC_USERS, DOM_COLLAB, sc.collabs[i].id) >= LV_ADMIN)
			json_object_array_add(opts, option(arena_printf(r->a,
			    "%lld", (long long)sc.collabs[i].id),
			    sc.collabs[i].name, 0));
	vset_bool(v, "can_move", move && json_object_array_length(opts) > 0);
	vset_obj(v, "move_options", opts);
	if (r->fmt == FMT_HTML && move)
		vset_obj(v, "move_preset_options", preset_options(c, NULL,
		    PL_MOVE));
	return v;
}

static int
person_page(struct req *r, int status, const struct event_ctx *c,
    const struct event_user *u)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if ((v = person_view(r, c, u)) == NULL)
		return 503;
	if (status == 422)
		return render_invalid(r, "access/user", arena_printf(r->a,
		    "%s · Users & access", u->name), v);
	return render_page(r, status, "access/user", arena_printf(r->a,
	    "%s · Users & access", u->name), v);
}

/* GET /events/{event}/users/{user} — 200 the person's grant grid (every
 * scope they hold grants in that the actor may see), capped grants
 * marked, with the controls the actor may use; 404 event, person or
 * their access not visible to the actor. */
int
h_event_user(struct req *r)
{
	struct event_ctx	 c;
	struct event_user	 u;
	struct scopes		 sc;
	int			 st;

	if ((st = event_gate(r, &c, 1)) != 0)
		return st;
	if (load_scopes(r, c.ev.id, &sc) != 0)
		return 503;
	if ((st = person_gate(r, &c, &sc, &u)) != 0)
		return st;
	return person_page(r, 200, &c, &u);
}

/* The answer to a change of one person: their page (HTML) or their row
 * as it is now (JSON). */
static int
person_done(struct req *r, const struct event_ctx *c, int64_t uid,
    const char *msg)
{
	struct event_user	 u;
	struct eu_grant		*gs;
	size_t			 ng;
	json_object		*v;
	int			 rc;

	flash(r, "ok", msg);
	if (r->fmt == FMT_HTML)
		return render_redirect(r, user_url(r, c->ev.id, uid));
	if ((rc = eu_get(r, c->ev.id, uid, &u)) < 0 ||
	    eu_grants(r, c->ev.id, uid, &gs, &ng) != 0)
		return 503;
	v = view_new(r);
	vset_str(v, "message", msg);
	if (rc == 1) {
		json_object	*a = json_object_new_array();
		size_t		 i;

		vset_obj(v, "user", person_json(r, c, &u, gs, ng));
		for (i = 0; i < ng; i++) {
			json_object	*g = json_object_new_object();

			vset_str(g, "domain", domain_name(gs[i].g.domain));
			vset_int(g, "scope_id", gs[i].g.scope_id);
			vset_str(g, "section", section_name(gs[i].g.section));
			vset_str(g, "level", level_name(gs[i].g.level));
			vset_str(g, "preset", gs[i].preset);
			json_object_array_add(a, g);
		}
		vset_obj(v, "grants", a);
	}
	return render_json(r, 200, v);
}

/* The last-admin rule (PRODUCT §5): a change that leaves the event
 * without any uncapped users & access admin, where it had one, is
 * refused. before is the count read under the event lock. 0 or sent. */
static int
keep_an_admin(struct req *r, const struct event_ctx *c, int64_t before,
    const char *what)
{
	int64_t	 after;

	if (before <= 0)
		return 0;
	if ((after = eu_uncapped_admins(r, c->ev.id)) < 0)
		return 503;
	if (after > 0)
		return 0;
	return page_refuse(r, 409, "last-admin", arena_printf(r->a, "%s would "
	    "leave this event without anyone who can manage its users and "
	    "access: at least one person with an Event Pro seat or Org Pro "
	    "must keep admin access to users & access for the whole event. "
	    "Give that to someone else first.", what));
}

/* The scope a grants form names: domain + scope_id, or scope
 * ("event", "collaborator:12", "area:3"). 1 named, 0 absent, -1 bad. */
static int
form_scope(struct req *r, const struct scopes *sc, enum domain *d,
    int64_t *id)
{
	if (r->in[EUGRANT_DOMAIN].present) {
		if (domain_parse(r->in[EUGRANT_DOMAIN].s, d) != 0)
			return -1;
		*id = r->in[EUGRANT_SCOPE_ID].present ?
		    r->in[EUGRANT_SCOPE_ID].i : 0;
	} else if (r->in[EUGRANT_SCOPE].present) {
		if (scope_parse(r->in[EUGRANT_SCOPE].s, d, id) != 0)
			return -1;
	} else
		return 0;
	return scope_label(r, sc, *d, *id) != NULL ? 1 : -1;
}

/* POST /events/{event}/users/{user}/grants — apply a preset (preset; for
 * Area lead also the area as scope) or set one grant (scope, section,
 * level; level none deletes it). Presets raise grants and never lower
 * any; a single grant is set exactly. 303 to the person's page (200
 * JSON); 403 without users & access edit (preset) or admin (single
 * grant) in that scope, or above the actor's own level there; 404 event
 * or person not visible; 409 event-archived, last-admin; 422 bad preset,
 * scope, section or level. */
int
h_event_user_grants(struct req *r)
{
	struct event_ctx	 c;
	struct event_user	 u;
	struct scopes		 sc;
	struct choice		 ch;
	struct eu_grant		*gs;
	enum preset		 p = PRESET_PRODUCER;
	enum domain		 d = DOM_EVENT;
	int64_t			 scope = 0, before;
	enum level		 old = LV_NONE;
	const char		*preset = r->in[EUGRANT_PRESET].present ?
	    r->in[EUGRANT_PRESET].s : NULL;
	json_object		*chg;
	size_t			 ng, i;
	int			 st, named;

	if ((st = event_gate(r, &c, 1)) != 0)
		return st;
	if ((st = begin_event_write(r, &c)) != 0)
		return st;
	if (load_scopes(r, c.ev.id, &sc) != 0)
		return 503;
	if ((st = person_gate(r, &c, &sc, &u)) != 0)
		return st;
	if ((named = form_scope(r, &sc, &d, &scope)) < 0)
		valid_error(r, "scope", "invalid", "Choose the whole event, or "
		    "a collaborator or area of this event.");
	memset(&ch, 0, sizeof(ch));
	if (preset != NULL) {
		if (preset_parse(preset, &p) != 0)
			valid_error(r, "preset", "invalid", "Choose one of the "
			    "presets.");
		else if (p == PRESET_AREA_LEAD && (named != 1 ||
		    d != DOM_AREA))
			valid_error(r, "scope", "required", "Area lead needs "
			    "the area it is for.");
		else {
			ch.preset = preset_name(p);
			ch.domain = p == PRESET_AREA_LEAD ? DOM_AREA :
			    p == PRESET_VENDOR_CONTACT ||
			    p == PRESET_VENDOR_CREW ? DOM_COLLAB : DOM_EVENT;
			ch.scope_id = ch.domain == DOM_AREA ? scope :
			    ch.domain == DOM_COLLAB ? u.collab_id : 0;
			ch.n = preset_grants(p, ch.scope_id, ch.g);
		}
	} else {
		if (!r->in[EUGRANT_SECTION].present ||
		    section_parse(r->in[EUGRANT_SECTION].s,
		    &ch.g[0].section) != 0)
			valid_error(r, "section", "invalid", "Choose a "
			    "section.");
		if (!r->in[EUGRANT_LEVEL].present ||
		    level_parse(r->in[EUGRANT_LEVEL].s, &ch.g[0].level) != 0)
			valid_error(r, "level", "invalid", "Choose none, view, "
			    "edit or admin.");
		ch.g[0].domain = named == 1 ? d : DOM_EVENT;
		ch.g[0].scope_id = named == 1 ? scope : 0;
		ch.n = 1;
	}
	if (r->nerrors)
		return r->fmt == FMT_JSON ? render_invalid(r, NULL, NULL,
		    NULL) : person_page(r, 422, &c, &u);
	if ((st = choice_allowed(r, &c, &sc, u.collab_id, &ch,
	    CH_GRANT)) != 0)
		return st;
	if ((st = writable(r, &c)) != 0)
		return st;
	if ((before = eu_uncapped_admins(r, c.ev.id)) < 0)
		return 503;
	if (preset != NULL) {
		if (grants_apply(r, c.ev.id, u.user_id, ch.g, ch.n,
		    ch.preset) != 0)
			return 503;
		chg = change(NULL, "preset", NULL, preset_text(ch.preset));
		chg = change(chg, "scope", NULL, scope_label(r, &sc, ch.domain,
		    ch.scope_id));
	} else {
		if (eu_grants(r, c.ev.id, u.user_id, &gs, &ng) != 0)
			return 503;
		for (i = 0; i < ng; i++)
			if (gs[i].g.domain == ch.g[0].domain &&
			    gs[i].g.scope_id == ch.g[0].scope_id &&
			    gs[i].g.section == ch.g[0].section)
				old = gs[i].g.level;
		if (grant_set(r, c.ev.id, u.user_id, &ch.g[0]) != 0)
			return 503;
		if ((st = keep_an_admin(r, &c, before, old > ch.g[0].level ?
		    "Lowering this grant" : "This change")) != 0)
			return st;
		chg = change(NULL, arena_printf(r->a, "%s/%s",
		    scope_value(r, ch.g[0].domain, ch.g[0].scope_id),
		    section_name(ch.g[0].section)), level_name(old),
		    level_name(ch.g[0].level));
	}
	st = audit(r, c.ev.org_id, c.ev.id, preset != NULL ?
	    "grants.preset_applied" : "grant.changed", "user", u.user_id,
	    u.email, chg);
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	return person_done(r, &c, u.user_id, preset != NULL ?
	    arena_printf(r->a, "Applied %s to %s: lower grants were raised, "
	    "none was lowered.", preset_text(ch.preset), u.name) :
	    arena_printf(r->a, "%s now has %s access to %s in %s.", u.name,
	    level_name(ch.g[0].level), section_name(ch.g[0].section),
	    scope_label(r, &sc, ch.g[0].domain, ch.g[0].scope_id)));
}

/* Open a write on one person: the event locked and read again, the
 * person loaded and visible. 0 to go on. */
static int
begin_person_write(struct req *r, struct event_ctx *c, struct scopes *sc,
    struct event_user *u)
{
	int	 st;

	if ((st = event_gate(r, c, 1)) != 0 ||
	    (st = begin_event_write(r, c)) != 0)
		return st;
	if (load_scopes(r, c->ev.id, sc) != 0)
		return 503;
	return person_gate(r, c, sc, u);
}

/* POST /events/{event}/users/{user}/seat — assign an Event Pro seat of
 * the event's pool: 303 to the person's page (200 JSON); 403 without
 * users & access admin for the whole event (org owners and admins have
 * it); 404; 409 event-archived, no-seats-available (every seat taken:
 * concurrent requests for the last seat give exactly one success), or
 * the person holds Org Pro and needs none. */
int
h_event_user_seat(struct req *r)
{
	struct event_ctx	 c;
	struct event_user	 u;
	struct scopes		 sc;
	struct perm_target	 t;
	json_object		*chg;
	int			 st;

	if ((st = begin_person_write(r, &c, &sc, &u)) != 0)
		return st;
	target_event(&t);
	if ((st = require(r, &c, SEC_USERS, LV_ADMIN, &t)) != 0 ||
	    (st = writable(r, &c)) != 0)
		return st;
	if (u.has_seat) {
		db_rollback();
		return person_done(r, &c, u.user_id, arena_printf(r->a,
		    "%s already holds an Event Pro seat here.", u.name));
	}
	if (u.lc == LC_ORG_PRO)
		return page_refuse(r, 409, "conflict", arena_printf(r->a, "%s holds "
		    "Org Pro in this organization and reaches the whole event "
		    "without a seat.", u.name));
	if ((st = take_seat(r, &c, u.user_id, 0)) != 0)
		return st;
	chg = change(NULL, "seat", "no", "yes");
	st = audit(r, c.ev.org_id, c.ev.id, "seat.assigned", "user",
	    u.user_id, u.email, chg);
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=seat_assigned event=%lld", (long long)c.ev.id);
	return person_done(r, &c, u.user_id, arena_printf(r->a, "%s now holds "
	    "an Event Pro seat: their grants count on the whole event.",
	    u.name));
}

/* POST /events/{event}/users/{user}/seat/free — 303 (200 JSON), the
 * person keeps free collaborator access; 403 without users & access
 * admin for the whole event; 404; 409 event-archived, last-admin. */
int
h_event_user_seat_free(struct req *r)
{
	struct event_ctx	 c;
	struct event_user	 u;
	struct scopes		 sc;
	struct perm_target	 t;
	json_object		*chg;
	int64_t			 before;
	int			 st;

	if ((st = begin_person_write(r, &c, &sc, &u)) != 0)
		return st;
	target_event(&t);
	if ((st = require(r, &c, SEC_USERS, LV_ADMIN, &t)) != 0 ||
	    (st = writable(r, &c)) != 0)
		return st;
	if (!u.has_seat) {
		db_rollback();
		return person_done(r, &c, u.user_id, arena_printf(r->a,
		    "%s holds no seat here.", u.name));
	}
	if ((before = eu_uncapped_admins(r, c.ev.id)) < 0 ||
	    seat_free_user(r, c.ev.id, u.user_id) < 0)
		return 503;
	if ((st = keep_an_admin(r, &c, before, "Freeing this seat")) != 0)
		return st;
	chg = change(NULL, "seat", "yes", "no");
	st = audit(r, c.ev.org_id, c.ev.id, "seat.freed", "user", u.user_id,
	    u.email, chg);
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	return person_done(r, &c, u.user_id, arena_printf(r->a, "The seat of "
	    "%s is free again; %s%s.", u.name, u.lc == LC_ORG_PRO ?
	    "Org Pro still reaches the whole event" : "they keep free "
	    "collaborator access, reaching only ", u.lc == LC_ORG_PRO ? "" :
	    u.collab_name));
}

/* POST /events/{event}/users/{user}/remove — take someone off the event,
 * or leave it (oneself): the seat is freed and the grants deleted in the
 * same transaction, so their next request to the event answers 404;
 * their work and the audit log stay. 303 to the Users page, or home
 * after leaving (204 JSON); 403 without users & access edit for the
 * whole event or the person's collaborator; 404; 409 event-archived,
 * last-admin. */
int
h_event_user_remove(struct req *r)
{
	struct event_ctx	 c;
	struct event_user	 u;
	struct scopes		 sc;
	struct perm_target	 t;
	json_object		*chg;
	int64_t			 before;
	int			 st, self;

	if ((st = begin_person_write(r, &c, &sc, &u)) != 0)
		return st;
	self = u.user_id == r->user->id;
	target_collab(&t, u.collab_id);
	if ((!self && (st = require(r, &c, SEC_USERS, LV_EDIT, &t)) != 0) ||
	    (st = writable(r, &c)) != 0)
		return st;
	if ((before = eu_uncapped_admins(r, c.ev.id)) < 0 ||
	    grants_delete_user(r, c.ev.id, u.user_id) != 0 ||
	    seat_free_user(r, c.ev.id, u.user_id) < 0 ||
	    eu_delete(r, c.ev.id, u.user_id) < 0)
		return 503;
	if ((st = keep_an_admin(r, &c, before, self ? "Leaving" :
	    arena_printf(r->a, "Removing %s", u.name))) != 0)
		return st;
	chg = change(NULL, "collaborator", u.collab_name, NULL);
	chg = change(chg, "license_class", license_class_name(u.lc), NULL);
	st = audit(r, c.ev.org_id, c.ev.id, self ? "event_user.left" :
	    "event_user.removed", "user", u.user_id, u.email, chg);
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=event_user_removed event=%lld self=%d",
	    (long long)c.ev.id, self);
	flash(r, "ok", self ? arena_printf(r->a, "You left %s.", c.ev.name) :
	    arena_printf(r->a, "%s was removed from the event: their seat is "
	    "free and their grants are gone.", u.name));
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	if (self)
		return render_redirect(r, "/");
	return render_redirect(r, users_scope(&c) >= 0 ?
	    users_url(r, c.ev.id) : arena_printf(r->a, "/events/%lld",
	    (long long)c.ev.id));
}

/* POST /events/{event}/users/{user}/move — to another collaborator of
 * the event; grants on the old collaborator and the link of their crew
 * record there go; an optional preset is applied for the new one. 303
 * to the person's page (200 JSON); 403 without users & access admin on
 * both collaborators, or a preset above one's own level; 404; 409
 * event-archived, edit-conflict (stale version); 422 bad collaborator
 * or preset. */
int
h_event_user_move(struct req *r)
{
	struct event_ctx	 c;
	struct event_user	 u;
	struct scopes		 sc;
	struct perm_target	 t;
	struct choice		 ch;
	const struct eu_scope	*to;
	enum preset		 p;
	const char		*preset = r->in[EUMOVE_PRESET].present &&
	    strcmp(r->in[EUMOVE_PRESET].s, "none") != 0 ?
	    r->in[EUMOVE_PRESET].s : NULL;
	json_object		*chg;
	int			 st, rc;

	if ((st = begin_person_write(r, &c, &sc, &u)) != 0)
		return st;
	target_collab(&t, u.collab_id);
	if ((st = require(r, &c, SEC_USERS, LV_ADMIN, &t)) != 0)
		return st;
	memset(&ch, 0, sizeof(ch));
	to = r->in[EUMOVE_COLLAB].present ? scope_find(&sc, DOM_COLLAB,
	    r->in[EUMOVE_COLLAB].i) : NULL;
	if (to == NULL)
		valid_error(r, "collaborator_id", "invalid", "Choose a "
		    "collaborator of this event.");
	else if (to->id == u.collab_id)
		valid_error(r, "collaborator_id", "same", arena_printf(r->a,
		    "%s is already in %s.", u.name, to->name));
	if (preset != NULL && (preset_parse(preset, &p) != 0 ||
	    p == PRESET_AREA_LEAD))
		valid_error(r, "preset", "invalid", "Choose a preset for the "
		    "new collaborator (Area lead is given on the area).");
	if (r->nerrors)
		return r->fmt == FMT_JSON ? render_invalid(r, NULL, NULL,
		    NULL) : person_page(r, 422, &c, &u);
	target_collab(&t, to->id);
	if ((st = require(r, &c, SEC_USERS, LV_ADMIN, &t)) != 0)
		return st;
	if (preset != NULL) {
		ch.preset = preset_name(p);
		ch.domain = p == PRESET_VENDOR_CONTACT ||
		    p == PRESET_VENDOR_CREW ? DOM_COLLAB : DOM_EVENT;
		ch.scope_id = ch.domain == DOM_COLLAB ? to->id : 0;
		ch.n = preset_grants(p, ch.scope_id, ch.g);
		if ((st = choice_allowed(r, &c, &sc, to->id, &ch,
		    CH_GRANT)) != 0)
			return st;
	}
	if ((st = writable(r, &c)) != 0)
		return st;
	if (r->in[EUMOVE_VERSION].present &&
	    r->in[EUMOVE_VERSION].i != u.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a, "%s "
		    "was changed by someone else meanwhile (now in %s). Reload "
		    "the page and try again.", u.name, u.collab_name));
	if ((rc = eu_move(r, c.ev.id, u.user_id, to->id, u.version)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a, "%s "
		    "was changed by someone else meanwhile. Reload the page and "
		    "try again.", u.name));
	if (grants_delete_scope(r, c.ev.id, u.user_id, DOM_COLLAB,
	    u.collab_id) != 0 || eu_crew_unlink(r, c.ev.id, u.user_id,
	    u.collab_id) != 0 || (ch.n > 0 && grants_apply(r, c.ev.id,
	    u.user_id, ch.g, ch.n, ch.preset) != 0))
		return 503;
	chg = change(NULL, "collaborator", u.collab_name, to->name);
	if (ch.preset != NULL)
		chg = change(chg, "preset", NULL, preset_text(ch.preset));
	st = audit(r, c.ev.org_id, c.ev.id, "event_user.moved", "user",
	    u.user_id, u.email, chg);
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	return person_done(r, &c, u.user_id, arena_printf(r->a, "%s moved from "
	    "%s to %s; their grants on %s were deleted.", u.name,
	    u.collab_name, to->name, u.collab_name));
}

/* --- pending invitations -------------------------------------------------- */

/* Lock {id}, an invitation of the event the actor may manage: users &
 * access edit on its collaborator. 0 to go on. */
static int
lock_invitation(struct req *r, struct event_ctx *c,
    struct event_invitation *inv)
{
	struct perm_target	 t;
	int64_t			 id = req_pathvar_id(r, 1);
	int			 st, rc;

	if ((st = event_gate(r, c, 1)) != 0)
		return st;
	if (id < 0)
		return not_found(r);
	if ((st = begin_event_write(r, c)) != 0)
		return st;
	if ((rc = einv_lock(r, c->ev.id, id, inv)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	target_collab(&t, inv->collab_id);
	if ((st = require(r, c, SEC_USERS, LV_EDIT, &t)) != 0)
		return st;
	return writable(r, c);
}

static int
invitation_gone(struct req *r, const struct event_invitation *inv)
{
	return page_refuse(r, 409, "edit-conflict", arena_printf(r->a, "The "
	    "invitation for %s is no longer pending: it was accepted, revoked "
	    "or it expired. Reload the page; to ask again, add them again.",
	    inv->email));
}

static int
invitation_done(struct req *r, const struct event_ctx *c,
    const struct event_invitation *inv, const char *status,
    const char *msg)
{
	flash(r, "ok", msg);
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		vset_int(v, "id", inv->id);
		vset_str(v, "email", inv->email);
		vset_str(v, "status", status);
		vset_str(v, "message", msg);
		return render_json(r, 200, v);
	}
	return render_redirect(r, users_scope(c) >= 0 ?
	    users_url(r, c->ev.id) : arena_printf(r->a, "/events/%lld",
	    (long long)c->ev.id));
}

/* POST /events/{event}/invitations/{id}/resend — a new link and a new
 * expiry by email, the old link dead: 303 to the Users page (200 JSON);
 * 403 without users & access edit on its collaborator; 404; 409
 * event-archived, or no longer pending. */
int
h_event_invitation_resend(struct req *r)
{
	struct event_ctx	 c;
	struct event_invitation	 inv;
	char			 tok[EINV_TOKEN_MAX];
	int			 st, rc;

	if ((st = lock_invitation(r, &c, &inv)) != 0)
		return st;
	if (!inv.live)
		return invitation_gone(r, &inv);
	if ((rc = einv_renew(r, c.ev.id, inv.id, tok, sizeof(tok))) < 0)
		return 503;
	if (rc == 0)
		return invitation_gone(r, &inv);
	rc = mail_queue(r, inv.email, arena_printf(r->a, "%s invited you to %s "
	    "on BackOps", r->user->name, c.ev.name), invite_body(r, c.ev.name,
	    inv.collab_name, tok));
	sodium_memzero(tok, sizeof(tok));
	if (rc != 0 || audit(r, c.ev.org_id, c.ev.id,
	    "event_invitation.resent", "event_invitation", inv.id, inv.email,
	    NULL) != 0 || db_commit() != 0)
		return 503;
	return invitation_done(r, &c, &inv, "pending", arena_printf(r->a, "A "
	    "new invitation link was sent to %s; the earlier link no longer "
	    "works.", inv.email));
}

/* POST /events/{event}/invitations/{id}/revoke — the link dies and the
 * seat it held is freed: 303 to the Users page (200 JSON); 403; 404; 409
 * event-archived, or no longer pending. */
int
h_event_invitation_revoke(struct req *r)
{
	struct event_ctx	 c;
	struct event_invitation	 inv;
	json_object		*chg = NULL;
	int			 st, rc;

	if ((st = lock_invitation(r, &c, &inv)) != 0)
		return st;
	if ((rc = einv_revoke(r, c.ev.id, inv.id)) < 0)
		return 503;
	if (rc == 0)
		return invitation_gone(r, &inv);
	if (inv.has_seat)
		chg = change(NULL, "seat", "reserved", "freed");
	st = audit(r, c.ev.org_id, c.ev.id, "event_invitation.revoked",
	    "event_invitation", inv.id, inv.email, chg);
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	return invitation_done(r, &c, &inv, "revoked", arena_printf(r->a,
	    "The invitation for %s was revoked%s.", inv.email, inv.has_seat ?
	    " and its seat freed" : ""));
}

/* --- inviting from a crew record ------------------------------------------ */

/* {c} and {id}: a crew record of a collaborator the actor sees the crew
 * of; crew admin there is needed to invite. 0, or 404/403 sent. */
static int
crew_gate(struct req *r, const struct event_ctx *c, struct eu_scope *collab,
    struct eu_crew *crew, int lock)
{
	struct perm_target	 t;
	int64_t			 cid = req_pathvar_id(r, 1);
	int64_t			 id = req_pathvar_id(r, 2);
	int			 rc, st;

	if (cid < 0 || id < 0)
		return not_found(r);
	if ((rc = eu_collab(r, c->ev.id, cid, collab)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	target_collab(&t, cid);
	if (event_level(c, SEC_CREW, &t) < LV_VIEW)
		return not_found(r);
	rc = lock ? eu_crew_lock(r, c->ev.id, cid, id, crew) :
	    eu_crew_get(r, c->ev.id, cid, id, crew);
	if (rc < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if ((st = require(r, c, SEC_CREW, LV_ADMIN, &t)) != 0)
		return st;
	return 0;
}

static const char *
crew_name(struct req *r, const struct eu_crew *cr)
{
	return cr->last_name != NULL && cr->last_name[0] != '\0' ?
	    arena_printf(r->a, "%s %s", cr->first_name, cr->last_name) :
	    cr->first_name;
}

static json_object *
crew_invite_view(struct req *r, const struct event_ctx *c,
    const struct eu_scope *collab, const struct eu_crew *crew)
{
	json_object		*v = view_new(r), *o, *f, *seats;
	struct scopes		 sc;
	struct event_user	 lu;
	int			 posting = r->route != NULL &&
	    r->route->handler == h_crew_invite, rc = 0;
	const char		*preset = posting &&
	    r->in[CINV_PRESET].present ? r->in[CINV_PRESET].s : NULL;

	if (load_scopes(r, c->ev.id, &sc) != 0 ||
	    (seats = seats_json(r, c)) == NULL)
		return NULL;
	if (crew->user_id != 0 &&
	    (rc = eu_get(r, c->ev.id, crew->user_id, &lu)) < 0) {
		json_object_put(seats);
		return NULL;
	}
	event_common(r, v, c);
	o = json_object_new_object();
	vset_int(o, "id", collab->id);
	vset_str(o, "name", collab->name);
	vset_bool(o, "host", collab->host);
	vset_str(o, "url", arena_printf(r->a, "/events/%lld/collaborators/%lld",
	    (long long)c->ev.id, (long long)collab->id));
	vset_obj(v, "collaborator", o);
	o = json_object_new_object();
	vset_int(o, "id", crew->id);
	vset_str(o, "name", crew_name(r, crew));
	vset_str(o, "email", crew->email);
	vset_bool(o, "linked", crew->user_id != 0);
	vset_bool(o, "on_event", rc == 1);
	vset_str(o, "url", crew_url(r, c->ev.id, collab->id, crew->id));
	vset_obj(v, "crew", o);
	vset_str(v, "invite_url", arena_printf(r->a, "%s/invite",
	    crew_url(r, c->ev.id, collab->id, crew->id)));
	vset_obj(v, "seats", seats);
	vset_bool(v, "can_give_seat", actor_level(c, SEC_USERS, DOM_EVENT,
	    0) >= LV_ADMIN && !free_actor(c));
	vset_bool(v, "can_invite", !c->ev.archived && rc != 1);
	vset_int(v, "ttl_days", cfg->invitation_ttl_days);
	if (preset == NULL)
		preset = default_preset(c, collab->host);
	f = json_object_new_object();
	vset_str(f, "email", posting && r->in[CINV_EMAIL].present ?
	    r->in[CINV_EMAIL].s : crew->email);
	vset_bool(f, "email_saved", crew->email != NULL &&
	    crew->email[0] != '\0');
	vset_str(f, "preset", preset);
	if (r->fmt == FMT_HTML) {
		vset_obj(f, "preset_options", preset_options(c, preset,
	    PL_INVITE));
		vset_obj(f, "area_options", area_options(&sc, posting &&
		    r->in[CINV_AREA].present ? r->in[CINV_AREA].i : 0));
		vset_bool(f, "has_areas", sc.nareas > 0);
		vset_obj(f, "grant_selects", grant_selects(r, c, posting ?
		    &r->in[CINV_GRANTS] : NULL));
		vset_bool(f, "custom_allowed", !free_actor(c));
	}
	vset_bool(f, "seat", posting && r->in[CINV_SEAT].present &&
	    r->in[CINV_SEAT].i);
	vset_obj(v, "form", f);
	return v;
}

static int
crew_invite_page(struct req *r, int status, const struct event_ctx *c,
    const struct eu_scope *collab, const struct eu_crew *crew)
{
	json_object	*v;
	const char	*title;

	if (db_in_txn())
		db_rollback();
	if (status == 422 && r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, NULL);
	if ((v = crew_invite_view(r, c, collab, crew)) == NULL)
		return 503;
	title = arena_printf(r->a, "Invite %s", crew_name(r, crew));
	if (status == 422)
		return render_invalid(r, "access/crew_invite", title, v);
	return render_page(r, status, "access/crew_invite", title, v);
}

/* GET /events/{event}/collaborators/{c}/crew/{id}/invite — 200 the
 * invite form for a crew record: email prefilled, presets and grants up
 * to the actor's own, a seat offered to Event-domain users & access
 * admins; 403 without crew admin on the collaborator; 404 event,
 * collaborator or record not visible. */
int
h_crew_invite_form(struct req *r)
{
	struct event_ctx	 c;
	struct eu_scope		 collab;
	struct eu_crew		 crew;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = crew_gate(r, &c, &collab, &crew, 0)) != 0)
		return st;
	return crew_invite_page(r, 200, &c, &collab, &crew);
}

/* POST /events/{event}/collaborators/{c}/crew/{id}/invite — invite the
 * person of a crew record: an existing account joins the collaborator at
 * once and the record is linked; a new address gets an invitation (7-day
 * link by email) that links the record on acceptance. The email is saved
 * on the record if it had none. 303 to the crew record (201 JSON); 403
 * without crew admin on the collaborator, a choice above the actor's own
 * levels or a seat without Event-domain users & access admin; 404; 409
 * event-archived, already-member, no-seats-available; 422 bad email,
 * preset, area or grant, an email another record of the collaborator
 * has, or a pending invitation. */
int
h_crew_invite(struct req *r)
{
	struct event_ctx	 c;
	struct eu_scope		 collab;
	struct eu_crew		 crew;
	struct scopes		 sc;
	struct choice		 ch;
	struct brought		 b;
	struct event_user	 lu;
	const char		*email = r->in[CINV_EMAIL].s;
	json_object		*chg;
	int			 st, rc;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = begin_event_write(r, &c)) != 0)
		return st;
	/* begin_event_write let org admins in; crew pages are not theirs. */
	if (!perm_can_enter(&c.actor))
		return not_found(r);
	if ((st = crew_gate(r, &c, &collab, &crew, 1)) != 0)
		return st;
	if (r->nerrors)
		return crew_invite_page(r, 422, &c, &collab, &crew);
	if (load_scopes(r, c.ev.id, &sc) != 0)
		return 503;
	st = resolve_choice(r, &c, &sc, &collab, &r->in[CINV_PRESET],
	    &r->in[CINV_AREA], &r->in[CINV_GRANTS], &r->in[CINV_SEAT],
	    CH_CREW, &ch);
	if (st == 422)
		return crew_invite_page(r, 422, &c, &collab, &crew);
	if (st != 0 || (st = writable(r, &c)) != 0)
		return st;
	if (!r->user->verified)
		return page_refuse(r, 403, "insufficient-permission", "Verify your "
		    "email address before inviting people: open the link we "
		    "sent you, or ask for a new one from the banner.");
	if (crew.user_id != 0) {
		if ((rc = eu_get(r, c.ev.id, crew.user_id, &lu)) < 0)
			return 503;
		if (rc == 1)
			return page_refuse(r, 409, "already-member",
			    arena_printf(r->a, "%s is linked to %s, who is "
			    "already on this event.", crew_name(r, &crew),
			    lu.email));
	}
	if (crew.email == NULL || crew.email[0] == '\0') {
		if ((rc = eu_crew_set_email(r, crew.id, email)) < 0)
			return 503;
		if (rc == 0) {
			valid_error(r, "email", "taken", arena_printf(r->a,
			    "Another crew member of %s already has %s.",
			    collab.name, email));
			return crew_invite_page(r, 422, &c, &collab, &crew);
		}
		chg = change(NULL, "email", NULL, email);
		rc = audit(r, c.ev.org_id, c.ev.id, "crew.updated", "crew",
		    crew.id, crew_name(r, &crew), chg);
		put_changes(chg);
		if (rc != 0)
			return 503;
	}
	st = bring_in(r, &c, &collab, &crew, email, &ch, &b);
	if (st == 422)
		return crew_invite_page(r, 422, &c, &collab, &crew);
	if (st != 0)
		return st;
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=crew_%s event=%lld seat=%d",
	    b.invited ? "invited" : "added", (long long)c.ev.id, b.seat);
	if (r->fmt == FMT_JSON) {
		json_object	*v = brought_json(r, &collab, &ch, &b);

		vset_int(v, "crew_id", crew.id);
		return render_json(r, 201, v);
	}
	flash(r, "ok", brought_text(r, &b));
	return render_redirect(r, crew_url(r, c.ev.id, collab.id, crew.id));
}

/* --- accepting an event invitation --------------------------------------- */

enum accept_state { AS_DEAD, AS_JOIN, AS_SIGNIN, AS_SIGNUP, AS_OTHER };

static const char *
accept_signin_url(struct req *r, const char *tok)
{
	struct buf	 b;
	const char	*next = arena_printf(r->a,
	    "/event-invitations/accept?token=%s", tok);
	char		*s;

	buf_init(&b);
	buf_puts(&b, "/login?next=");
	esc_url(&b, next, strlen(next));
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static json_object *
accept_view(struct req *r, enum accept_state st,
    const struct event_invitation *inv)
{
	static const char *const names[] = { "invalid", "join", "sign-in",
	    "sign-up", "other-account" };
	json_object	*v = view_new(r), *i, *form;
	const char	*tok = r->in[EACCEPT_TOKEN].s;
	const char	*tz = r->in[EACCEPT_TIMEZONE].s;

	vset_str(v, "state", names[st]);
	vset_bool(v, "is_dead", st == AS_DEAD);
	vset_bool(v, "is_join", st == AS_JOIN);
	vset_bool(v, "is_signin", st == AS_SIGNIN);
	vset_bool(v, "is_signup", st == AS_SIGNUP);
	vset_bool(v, "is_other", st == AS_OTHER);
	if (st == AS_DEAD) {
		vset_obj(v, "invitation", NULL);
		return v;
	}
	i = json_object_new_object();
	vset_int(i, "event_id", inv->event_id);
	vset_str(i, "event_name", inv->event_name);
	vset_str(i, "collaborator_name", inv->collab_name);
	vset_str(i, "email", inv->email);
	vset_str(i, "access", preset_text(inv->preset));
	vset_bool(i, "seat", inv->has_seat);
	vset_str(i, "invited_by", inv->inviter_name);
	vset_time(i, "expires_at", inv->expires_at, r->user ?
	    r->user->timezone : "UTC");
	vset_obj(v, "invitation", i);
	if (r->user != NULL)
		vset_str(v, "signed_in_as", r->user->email);
	if (st == AS_SIGNIN)
		vset_str(v, "signin_url", accept_signin_url(r, tok));
	if (r->fmt == FMT_HTML) {
		form = json_object_new_object();
		vset_str(form, "token", tok);
		vset_str(form, "name", r->in[EACCEPT_NAME].s);
		vset_str(form, "timezone", tz);
		vset_obj(v, "form", form);
		if (st == AS_SIGNUP)
			vset_obj(v, "timezones", timezones_json(tz ? tz :
			    "UTC"));
	}
	return v;
}

static int
accept_dead(struct req *r)
{
	static const char msg[] = "This invitation link is no longer valid: "
	    "it was already used, replaced by a newer one, revoked, or it "
	    "expired. Ask the person who invited you to send a new one.";
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=invitation_invalid");
	if (r->fmt == FMT_JSON)
		return render_error(r, 410, "invitation-invalid", msg);
	v = accept_view(r, AS_DEAD, NULL);
	vset_str(v, "message", msg);
	return render_page(r, 410, "access/accept",
	    "Invitation no longer valid", v);
}

/* Signed in as another account, or an account exists and nobody is
 * signed in: 409 and nothing changes. */
static int
accept_elsewhere(struct req *r, enum accept_state st,
    const struct event_invitation *inv)
{
	json_object	*v;
	const char	*msg = st == AS_OTHER ? arena_printf(r->a, "This "
	    "invitation is for %s, but you are signed in as %s. Sign out "
	    "first, then open the link again.", inv->email, r->user->email) :
	    arena_printf(r->a, "An account already exists for %s: sign in "
	    "with it to accept this invitation.", inv->email);

	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=invitation_%s",
	    st == AS_OTHER ? "other_account" : "sign_in_first");
	if (r->fmt == FMT_JSON)
		return render_error(r, 409, "conflict", msg);
	v = accept_view(r, st, inv);
	vset_str(v, "message", msg);
	return render_page(r, 409, "access/accept", "Invitation", v);
}

static int
accept_state_of(struct req *r, const struct event_invitation *inv,
    enum accept_state *st)
{
	struct user	 u;
	int		 found;

	if (r->user != NULL) {
		*st = strcmp(user_email_norm(r, r->user->email),
		    user_email_norm(r, inv->email)) == 0 ? AS_JOIN : AS_OTHER;
		return 0;
	}
	if ((found = user_by_email(r, inv->email, &u)) < 0)
		return -1;
	*st = found ? AS_SIGNIN : AS_SIGNUP;
	return 0;
}

/* GET /event-invitations/accept?token= — 200 a page fitting who opens
 * it: "Join" (signed in with the invited address), a sign-in link back
 * here (an account exists) or a sign-up form with the address fixed; 409
 * signed in as another account; 410 a dead, used or unknown link. A GET
 * never changes anything (mail scanners fetch links). */
int
h_event_accept_form(struct req *r)
{
	struct event_invitation	 inv;
	enum accept_state	 st;
	int			 rc;

	resp_header(r, "Referrer-Policy", "no-referrer");
	if ((rc = einv_by_token(r, r->in[EACCEPT_TOKEN].s, &inv)) < 0)
		return 503;
	if (rc == 0 || !inv.live)
		return accept_dead(r);
	if (accept_state_of(r, &inv, &st) != 0)
		return 503;
	if (st == AS_OTHER)
		return accept_elsewhere(r, st, &inv);
	return render_page(r, 200, "access/accept", arena_printf(r->a,
	    "Join %s", inv.event_name), accept_view(r, st, &inv));
}

/* POST /event-invitations/accept — 303 to the event, signed in (200
 * JSON); 409 signed in as another account, an account to sign in with
 * first, already on the event (already-member) or the event archived
 * (event-archived); 410 dead link; 422 sign-up form errors. One
 * transaction, the event row locked first: the account when needed
 * (accepting verifies its address), the event user in the invitation's
 * collaborator with exactly its grants and seat, the crew record
 * linked, the invitation marked accepted, audit entries and session. */
int
h_event_accept(struct req *r)
{
	struct event_invitation	 inv, cur;
	struct event_user	 eu;
	struct grant		 g[EINV_GRANTS_MAX];
	enum accept_state	 st;
	char			 hash[PW_HASH_MAX];
	const char		*why;
	json_object		*chg, *v;
	int64_t			 uid;
	int			 rc, archived, ng;

	resp_header(r, "Referrer-Policy", "no-referrer");
	if ((rc = einv_by_token(r, r->in[EACCEPT_TOKEN].s, &inv)) < 0)
		return 503;
	if (rc == 0 || !inv.live)
		return accept_dead(r);
	if (accept_state_of(r, &inv, &st) != 0)
		return 503;
	if (st == AS_OTHER || st == AS_SIGNIN)
		return accept_elsewhere(r, st, &inv);
	if (st == AS_SIGNUP) {
		if (!r->in[EACCEPT_NAME].present)
			valid_error(r, "name", "required", "Name is required.");
		if (!r->in[EACCEPT_PASSWORD].present)
			valid_error(r, "password", "required",
			    "Password is required.");
		else if ((why = pw_policy(r->in[EACCEPT_PASSWORD].s,
		    inv.email)) != NULL)
			valid_error(r, "password", "password-policy", why);
		if (!r->in[EACCEPT_TIMEZONE].present)
			valid_error(r, "timezone", "required",
			    "Time zone is required.");
		if (r->nerrors)
			return render_invalid(r, "access/accept",
			    arena_printf(r->a, "Join %s", inv.event_name),
			    accept_view(r, AS_SIGNUP, &inv));
		if (pw_hash(r->in[EACCEPT_PASSWORD].s, hash) != 0)
			return 503;
	} else if (r->nerrors)
		r->nerrors = 0;	/* sign-up fields are not asked for */
	if ((ng = einv_grants_parse(inv.grants_json, g, EINV_GRANTS_MAX)) < 0) {
		log_msg(LOG_ERROR, "msg=\"invitation grants unreadable\" "
		    "invitation=%lld", (long long)inv.id);
		return 500;
	}

	if (db_begin() != 0 ||
	    (rc = eu_lock_event(r, inv.event_id, NULL, &archived)) < 0)
		return 503;
	if (rc == 0)
		return accept_dead(r);
	/* Under the lock: still live (resent, revoked or accepted by a
	 * concurrent request)? */
	if ((rc = einv_lock(r, inv.event_id, inv.id, &cur)) < 0)
		return 503;
	if (rc == 0 || !cur.live)
		return accept_dead(r);
	if (archived)
		return page_refuse(r, 409, "event-archived", arena_printf(r->a,
		    "%s is archived, so nobody can join it now. The invitation "
		    "stays open until it expires; ask the person who invited "
		    "you.", inv.event_name));
	if (st == AS_SIGNUP) {
		uid = user_create(r, inv.email, r->in[EACCEPT_NAME].s, hash,
		    pw_pepper_id(), r->in[EACCEPT_TIMEZONE].s);
		sodium_memzero(hash, sizeof(hash));
		if (uid < 0)
			return 503;
		if (uid == 0)	/* signed up meanwhile by other means */
			return accept_elsewhere(r, AS_SIGNIN, &inv);
		if (audit_as(r, uid, 0, 0, "account.created", "user", uid,
		    inv.email, NULL) != 0)
			return 503;
	} else
		uid = r->user->id;
	if ((rc = eu_get(r, inv.event_id, uid, &eu)) < 0)
		return 503;
	if (rc == 1)
		return page_refuse(r, 409, "already-member", arena_printf(r->a,
		    "You are already on %s, in %s.", inv.event_name,
		    eu.collab_name));
	if (user_mark_verified(r, uid) != 0 ||
	    (rc = eu_add(r, inv.event_id, uid, cur.collab_id)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 409, "already-member", arena_printf(r->a,
		    "You are already on %s.", inv.event_name));
	if (grants_apply(r, inv.event_id, uid, g, (size_t)ng, cur.preset) != 0)
		return 503;
	/* The reserved seat becomes theirs. */
	if (cur.has_seat && (seat_free_user(r, inv.event_id, uid) < 0 ||
	    seat_claim(r, inv.id, uid) != 0))
		return 503;
	if (cur.crew_id != 0 && eu_crew_link(r, inv.event_id, cur.crew_id,
	    uid) != 0)
		return 503;
	if ((rc = einv_accepted(r, inv.id, uid)) < 0)
		return 503;
	if (rc == 0)
		return accept_dead(r);
	chg = change(NULL, "collaborator", NULL, cur.collab_name);
	chg = change(chg, "access", NULL, preset_text(cur.preset));
	chg = change(chg, "seat", NULL, cur.has_seat ? "yes" : "no");
	rc = audit_as(r, uid, inv.org_id, inv.event_id,
	    "event_invitation.accepted", "event_invitation", inv.id,
	    inv.email, chg);
	put_changes(chg);
	if (rc != 0)
		return 503;
	if ((r->user == NULL || r->user->id != uid) &&
	    session_login(r, uid) != 0)
		return 503;
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=event_invitation_accepted event=%lld "
	    "new_account=%d seat=%d", (long long)inv.event_id,
	    st == AS_SIGNUP, cur.has_seat);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_int(v, "event_id", inv.event_id);
		vset_int(v, "user_id", uid);
		vset_int(v, "collaborator_id", cur.collab_id);
		vset_str(v, "preset", cur.preset);
		vset_bool(v, "seat", cur.has_seat);
		vset_str(v, "url", arena_printf(r->a, "/events/%lld",
		    (long long)inv.event_id));
		return render_json(r, 200, v);
	}
	(void)session_set_flash(r, "ok", arena_printf(r->a, "Welcome to %s.",
	    inv.event_name));
	return render_redirect(r, arena_printf(r->a, "/events/%lld",
	    (long long)inv.event_id));
}

/* --- joining as an Org Pro observer ---------------------------------------- */

/* POST /events/{event}/join — an Org Pro member of the event's
 * organization who is not on the event joins it on the host collaborator
 * with the Producer preset and no seat: 303 to the event (200 JSON).
 * Joining again changes nothing (grants narrowed since stay narrowed).
 * 403 an org owner or admin without Org Pro (add yourself with a seat
 * from Users & access instead); 404 the event can't be entered; 409
 * event-archived. */
int
h_event_join(struct req *r)
{
	struct event_ctx	 c;
	struct eu_scope		 host;
	struct grant		 g[16];
	json_object		*chg, *v;
	size_t			 n;
	int			 st, rc;

	if ((st = event_gate(r, &c, 1)) != 0 ||
	    (st = begin_event_write(r, &c)) != 0)
		return st;
	if (c.actor.event_user) {
		db_rollback();
		flash(r, "info", arena_printf(r->a, "You are already on %s.",
		    c.ev.name));
		goto done;
	}
	if (!c.actor.org_pro_observer)
		return page_refuse(r, 403, "insufficient-permission", "Joining an "
		    "event takes Org Pro. Owners and admins can add themselves "
		    "with an Event Pro seat from Users & access instead.");
	if ((st = writable(r, &c)) != 0)
		return st;
	if ((rc = eu_collab(r, c.ev.id, c.ev.host_collab_id, &host)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	n = preset_grants(PRESET_PRODUCER, 0, g);
	if ((rc = eu_add(r, c.ev.id, r->user->id, host.id)) < 0)
		return 503;
	if (rc == 1 && grants_apply(r, c.ev.id, r->user->id, g, n,
	    preset_name(PRESET_PRODUCER)) != 0)
		return 503;
	chg = change(NULL, "collaborator", NULL, host.name);
	chg = change(chg, "access", NULL, preset_label(PRESET_PRODUCER));
	st = rc == 1 ? audit(r, c.ev.org_id, c.ev.id, "event_user.joined",
	    "user", r->user->id, r->user->email, chg) : 0;
	put_changes(chg);
	if (st != 0 || db_commit() != 0)
		return 503;
	flash(r, "ok", arena_printf(r->a, "You joined %s as Producer, through "
	    "your Org Pro license.", c.ev.name));
done:
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_int(v, "event_id", c.ev.id);
		vset_int(v, "user_id", r->user->id);
		vset_str(v, "url", arena_printf(r->a, "/events/%lld",
		    (long long)c.ev.id));
		return render_json(r, 200, v);
	}
	return render_redirect(r, arena_printf(r->a, "/events/%lld",
	    (long long)c.ev.id));
}
