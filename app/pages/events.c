/* events.c — an organization's events: the list, creation with its host
 * collaborator, seat and Producer grants, the overview, settings,
 * archive and restore, and the event audit log (PRODUCT §4–§6, §20). */
#include <stdio.h>
#include <string.h>

#include "deny.h"
#include "advmap.h"
#include "auth/token.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "events.h"
#include "model/advtrack.h"
#include "model/area.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/taskconf.h"
#include "model/grant.h"
#include "model/org.h"
#include "model/pool.h"
#include "model/seat.h"
#include "model/user.h"
#include "orgctx.h"
#include "pages.h"
#include "policy/license.h"
#include "policy/perm.h"
#include "render/timefmt.h"
#include "render/view.h"
#include "timezones.h"

#define AUDIT_PAGE_SIZE	50
#define POOLS_MAX	64

static struct dbq q_pools = DBQ(
    "SELECT id, label, quantity FROM license_pools WHERE org_id = ?"
    " AND product = 'event_pro' AND status = 'active' ORDER BY id");
static struct dbq q_collabs = DBQ(
    "SELECT c.id, c.name, c.is_host,"
    " (SELECT COUNT(*) FROM crew w WHERE w.collaborator_id = c.id),"
    " (SELECT COUNT(*) FROM event_users u WHERE u.event_id = c.event_id"
    "  AND u.collaborator_id = c.id) "
    "FROM collaborators c WHERE c.event_id = ?"
    " ORDER BY c.is_host DESC, c.name, c.id");
static struct dbq q_audit = DBQ(
    "SELECT DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%sZ'), a.action,"
    " a.target_type, a.target_id, a.target_label, a.changes, a.request_id,"
    " a.actor_kind, u.name, u.email "
    "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id "
    "WHERE a.event_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?");

/* The Event Pro pools of an organization that an event may bind to. */
struct evpool {
	int64_t		 id;
	char		*label;
	int64_t		 quantity;
};

struct evpools {
	struct evpool	 v[POOLS_MAX];
	size_t		 n;
	size_t		 usable;	/* with quantity ≥ 1 */
};

static int
load_pools(struct req *r, int64_t org_id, struct evpools *ps)
{
	struct evpool	 p;
	int		 rc;

	(void)r;
	ps->n = ps->usable = 0;
	if (db_select(&q_pools, "i", org_id) != 0)
		return -1;
	while ((rc = db_fetch(&q_pools, "isi", &p.id, &p.label,
	    &p.quantity)) == 1) {
		if (ps->n == POOLS_MAX)
			continue;
		ps->v[ps->n++] = p;
		if (can_create_event(p.quantity))
			ps->usable++;
	}
	db_done(&q_pools);
	return rc < 0 ? -1 : 0;
}

static const struct evpool *
find_pool(const struct evpools *ps, int64_t id)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].id == id)
			return &ps->v[i];
	return NULL;
}

static const struct evpool *
only_usable(const struct evpools *ps)
{
	size_t	 i;

	if (ps->usable != 1)
		return NULL;
	for (i = 0; i < ps->n; i++)
		if (can_create_event(ps->v[i].quantity))
			return &ps->v[i];
	return NULL;
}

static const char *
event_path(struct req *r, int64_t id, const char *rest)
{
	return arena_printf(r->a, "/events/%lld%s", (long long)id, rest);
}


/* --- audit changes --------------------------------------------------------- */

static json_object *
change(json_object *c, const char *field, const char *old, const char *new)
{
	json_object	*f;

	if ((old == NULL && new == NULL) ||
	    (old != NULL && new != NULL && strcmp(old, new) == 0))
		return c;
	if (c == NULL)
		c = json_object_new_object();
	f = json_object_new_object();
	vset_str(f, "old", old);
	vset_str(f, "new", new);
	json_object_object_add(c, field, f);
	return c;
}

/* Markdown bodies are noted as changed, with their lengths (§20). */
static json_object *
change_md(json_object *c, const char *field, const char *old,
    const char *new)
{
	json_object	*f;

	if ((old == NULL && new == NULL) ||
	    (old != NULL && new != NULL && strcmp(old, new) == 0))
		return c;
	if (c == NULL)
		c = json_object_new_object();
	f = json_object_new_object();
	vset_int(f, "old_length", old ? (long long)strlen(old) : 0);
	vset_int(f, "new_length", new ? (long long)strlen(new) : 0);
	json_object_object_add(c, field, f);
	return c;
}


/* Keep a changes object alive until the request ends. */
static json_object *
keep(struct req *r, json_object *c)
{
	if (c != NULL)
		(void)req_own_json(r, c);
	return c;
}

static json_object *
field_changes(struct req *r, const struct event_fields *a,
    const struct event_fields *b)
{
	json_object	*c = NULL;

	c = change(c, "name", a->name, b->name);
	c = change(c, "code", a->code, b->code);
	c = change(c, "timezone", a->timezone, b->timezone);
	c = change(c, "start_date", a->start_date, b->start_date);
	c = change(c, "end_date", a->end_date, b->end_date);
	c = change(c, "venue_name", a->venue_name, b->venue_name);
	c = change(c, "venue_address", a->venue_address, b->venue_address);
	c = change_md(c, "description", a->description, b->description);
	return keep(r, c);
}

/* --- the event header and navigation --------------------------------------- */

int
event_areas_viewable(const struct event_ctx *c)
{
	struct perm_target	 t;
	size_t			 i;

	target_event(&t);
	if (perm_level(&c->actor, SEC_SETTINGS, &t) >= LV_VIEW)
		return 1;
	for (i = 0; i < c->ngrants; i++) {
		if (c->grants[i].domain != DOM_AREA)
			continue;
		target_area(&t, c->grants[i].scope_id);
		if (perm_level(&c->actor, SEC_SETTINGS, &t) >= LV_VIEW)
			return 1;
	}
	return 0;
}

static void
nav_add(struct req *r, json_object *nav, const char *key, const char *label,
    int64_t id, const char *rest, const char *current)
{
	json_object	*o = json_object_new_object();

	vset_str(o, "key", key);
	vset_str(o, "label", label);
	vset_str(o, "url", event_path(r, id, rest));
	vset_bool(o, "current", current != NULL && strcmp(current, key) == 0);
	json_object_array_add(nav, o);
}

json_object *
event_header(struct req *r, const struct event_ctx *c, const char *current)
{
	json_object		*h = json_object_new_object(), *ev, *nav;
	const struct event	*e = &c->ev;
	struct perm_target	 t, own;
	int			 enter = perm_can_enter(&c->actor);

	target_event(&t);
	target_collab(&own, c->actor.collab_id);
	ev = event_json(e);
	vset_str(ev, "dates_text", event_dates_text(r, e->start_date,
	    e->end_date));
	vset_str(ev, "description_html", event_md_html(r, e->description));
	vset_str(ev, "url", event_path(r, e->id, ""));
	vset_obj(h, "event", ev);
	vset_bool(h, "archived", e->archived);
	vset_str(h, "org_events_url", c->org_role != ROLE_NONE ?
	    arena_printf(r->a, "/orgs/%lld/events", (long long)e->org_id) :
	    NULL);

	nav = json_object_new_array();
	if (enter)
		nav_add(r, nav, "overview", "Overview", e->id, "", current);
	/* Global activities are basic access: every event user has one. */
	if (enter)
		nav_add(r, nav, "schedule", "Schedule", e->id, "/schedule",
		    current);
	/* Tasks: everyone on the event may be an assignee or reviewer. */
	if (enter)
		nav_add(r, nav, "tasks", "Tasks", e->id, "/tasks", current);
	if (enter && event_areas_viewable(c))
		nav_add(r, nav, "areas", "Areas", e->id, "/areas", current);
	/* Advancing: staff see the advances they cover; people whose
	 * advancing comes only through their own collaborator get its
	 * portal instead (PRODUCT §13.5). */
	if (enter && c->actor.event_user &&
	    perm_level(&c->actor, SEC_ADVANCING, &t) < LV_VIEW &&
	    perm_level(&c->actor, SEC_ADVANCING, &own) >= LV_VIEW)
		nav_add(r, nav, "portal", "Advances", e->id, "/portal",
		    current);
	else if (enter && event_level_somewhere(c, SEC_ADVANCING, LV_VIEW))
		nav_add(r, nav, "advancing", "Advancing", e->id, "/advances",
		    current);
	if (enter && (c->actor.event_user ||
	    perm_level(&c->actor, SEC_CREW, &t) >= LV_VIEW))
		nav_add(r, nav, "collaborators", "Collaborators", e->id,
		    "/collaborators", current);
	if (perm_level(&c->actor, SEC_USERS, &t) >= LV_VIEW ||
	    (c->actor.event_user &&
	    perm_level(&c->actor, SEC_USERS, &own) >= LV_VIEW))
		nav_add(r, nav, "users", "Users & access", e->id, "/users",
		    current);
	if (enter && perm_level(&c->actor, SEC_SETTINGS, &t) >= LV_VIEW)
		nav_add(r, nav, "settings", "Settings", e->id, "/settings",
		    current);
	if (perm_level(&c->actor, SEC_USERS, &t) >= LV_ADMIN)
		nav_add(r, nav, "audit", "Audit log", e->id, "/audit",
		    current);
	vset_obj(h, "nav", nav);
	return h;
}

void
event_header_into(struct req *r, json_object *v, const struct event_ctx *c,
    const char *current)
{
	json_object	*h = event_header(r, c, current);

	json_object_object_foreach(h, k, val)
		json_object_object_add(v, k, json_object_get(val));
	json_object_put(h);
}

/* --- the list -------------------------------------------------------------- */

/* Owners and admins always; members when the organization lets them. */
static int
may_create(const struct org *o)
{
	return o->role >= ROLE_ADMIN || (o->role == ROLE_MEMBER &&
	    o->members_can_create_events);
}

/* GET /orgs/{org}/events[?status=archived] — 200 the active (or the
 * archived) events; 400 an unknown status; 403 a team member without an
 * org license; 404 not a member. */
int
h_events(struct req *r)
{
	struct org	 o;
	json_object	*v, *items;
	const char	*status = r->in[EVLIST_STATUS].s;
	int		 st, archived;

	if ((st = org_gate(r, &o, NEED_LICENSED)) != 0)
		return st;
	if (r->nerrors || (status != NULL && *status != '\0' &&
	    strcmp(status, "active") != 0 && strcmp(status, "archived") != 0))
		return render_error(r, 400, "invalid-parameter",
		    "status must be active or archived.");
	archived = status != NULL && strcmp(status, "archived") == 0;
	if ((items = events_list_json(r, o.id, archived)) == NULL)
		return 503;
	v = view_new(r);
	vset_obj(v, "org", org_json(&o));
	vset_bool(v, "personal", o.kind == ORG_PERSONAL);
	vset_str(v, "status", archived ? "archived" : "active");
	vset_bool(v, "archived", archived);
	vset_obj(v, "items", items);
	vset_bool(v, "has_items", json_object_array_length(items) > 0);
	vset_bool(v, "can_create", may_create(&o));
	vset_str(v, "new_url", arena_printf(r->a, "/orgs/%lld/events/new",
	    (long long)o.id));
	vset_str(v, "active_url", arena_printf(r->a, "/orgs/%lld/events",
	    (long long)o.id));
	vset_str(v, "archived_url", arena_printf(r->a,
	    "/orgs/%lld/events?status=archived", (long long)o.id));
	return render_page(r, 200, "events/list", archived ?
	    "Archived events" : "Events", v);
}

/* --- creation -------------------------------------------------------------- */

static const char *
default_host(struct req *r, const struct org *o)
{
	return o->kind == ORG_PERSONAL ? r->user->name : o->name;
}

static const char *
in_or(struct req *r, int i, const char *dflt)
{
	return r->in[i].s != NULL ? r->in[i].s : dflt;
}

static json_object *
new_view(struct req *r, const struct org *o, const struct evpools *ps)
{
	json_object	*v = view_new(r), *form, *pools;
	int64_t		 chosen = r->in[EVNEW_POOL].present ?
	    r->in[EVNEW_POOL].i : 0;
	size_t		 i;
	int		 posted = r->method == M_POST;

	vset_obj(v, "org", org_json(o));
	vset_bool(v, "personal", o->kind == ORG_PERSONAL);
	vset_bool(v, "verified", r->user->verified);
	vset_bool(v, "no_event_pro", ps->usable == 0);
	vset_bool(v, "can_billing", o->role >= ROLE_ADMIN);
	vset_str(v, "billing_url", arena_printf(r->a, "/orgs/%lld/billing",
	    (long long)o->id));
	vset_str(v, "events_url", arena_printf(r->a, "/orgs/%lld/events",
	    (long long)o->id));
	vset_str(v, "action_url", arena_printf(r->a, "/orgs/%lld/events",
	    (long long)o->id));
	vset_bool(v, "org_pro", o->has_license && o->license == PROD_ORG_PRO);

	form = json_object_new_object();
	vset_str(form, "name", posted ? r->in[EV_NAME].s : NULL);
	vset_str(form, "code", posted ? r->in[EV_CODE].s : NULL);
	vset_str(form, "start_date", posted ? r->in[EV_START].s : NULL);
	vset_str(form, "end_date", posted ? r->in[EV_END].s : NULL);
	vset_str(form, "venue_name", posted ? r->in[EV_VENUE].s : NULL);
	vset_str(form, "venue_address", posted ? r->in[EV_ADDRESS].s : NULL);
	vset_str(form, "description", posted ? r->in[EV_DESCRIPTION].s :
	    NULL);
	vset_str(form, "host_name", posted ? in_or(r, EVNEW_HOST,
	    default_host(r, o)) : default_host(r, o));
	vset_obj(v, "form", form);
	vset_obj(v, "timezones", timezones_json(posted &&
	    r->in[EV_TIMEZONE].present ? r->in[EV_TIMEZONE].s : o->timezone));

	pools = json_object_new_array();
	for (i = 0; i < ps->n; i++) {
		json_object	*p;

		if (!can_create_event(ps->v[i].quantity))
			continue;
		p = json_object_new_object();
		vset_int(p, "id", ps->v[i].id);
		vset_str(p, "label", ps->v[i].label);
		vset_int(p, "quantity", ps->v[i].quantity);
		vset_str(p, "title", ps->v[i].label != NULL &&
		    ps->v[i].label[0] != '\0' ? arena_printf(r->a,
		    "%s (%lld seats per event)", ps->v[i].label,
		    (long long)ps->v[i].quantity) : arena_printf(r->a,
		    "Event Pro pool #%lld (%lld seats per event)",
		    (long long)ps->v[i].id, (long long)ps->v[i].quantity));
		vset_bool(p, "selected", chosen == ps->v[i].id);
		json_object_array_add(pools, p);
	}
	vset_obj(v, "pools", pools);
	vset_bool(v, "choose_pool", ps->usable > 1);
	vset_int(v, "pool_id", only_usable(ps) ? only_usable(ps)->id : 0);
	return v;
}

/* The page that replaces the form: no Event Pro license to create with. */
static int
no_event_pro(struct req *r, const struct org *o, const struct evpools *ps,
    int status)
{
	log_msg(LOG_INFO, "decision=deny reason=no_event_pro org=%lld",
	    (long long)o->id);
	if (r->fmt == FMT_JSON)
		return render_error(r, status, "insufficient-permission",
		    arena_printf(r->a, "Creating an event needs an Event Pro "
		    "license: this organization holds none. %s",
		    o->role >= ROLE_ADMIN ? arena_printf(r->a, "Add Event "
		    "Pro licenses at /orgs/%lld/billing.", (long long)o->id) :
		    "Ask an owner or admin to add Event Pro licenses."));
	return render_page(r, status, "events/new", "New event",
	    new_view(r, o, ps));
}

static int
create_refusal(struct req *r, const struct org *o)
{
	if (!r->user->verified)
		return page_refuse(r, 403, "insufficient-permission", "Verify your "
		    "email address before creating an event: use the link we "
		    "sent you.");
	if (!may_create(o))
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "and admins can create events in this organization.");
	return 0;
}

/* GET /orgs/{org}/events/new — 200 the form, or in its place the
 * explanation when the organization holds no Event Pro license; 403
 * unverified, a member where only owners and admins create events, or
 * no org license; 404 not a member. */
int
h_event_new_form(struct req *r)
{
	struct org	 o;
	struct evpools	 ps;
	int		 st;

	if ((st = org_gate(r, &o, NEED_LICENSED)) != 0)
		return st;
	if (!may_create(&o))
		return create_refusal(r, &o);
	if (load_pools(r, o.id, &ps) != 0)
		return 503;
	return render_page(r, 200, "events/new", "New event",
	    new_view(r, &o, &ps));
}

static int
code_ok(struct req *r, const char *code)
{
	if (event_code_valid(code))
		return 1;
	valid_error(r, "code", "invalid", "Code must be 4 to 32 characters: "
	    "lower-case letters a–z, digits, hyphens and underscores.");
	return 0;
}

/* End not before start, and at most EVENT_SPAN_MAX days counting both. */
static void
check_dates(struct req *r, const char *start, const char *end)
{
	int64_t	 d;

	if (start == NULL || end == NULL)
		return;
	d = event_days_between(start, end);
	if (d < 0)
		valid_error(r, "end_date", "before-start", "The end date can't "
		    "be before the start date.");
	else if (d + 1 > EVENT_SPAN_MAX)
		valid_error(r, "end_date", "too-long", arena_printf(r->a,
		    "An event can span at most %d days; this one spans %lld.",
		    EVENT_SPAN_MAX, (long long)(d + 1)));
}

/* An optional text: NULL when empty. */
static const char *
opt(struct req *r, int i)
{
	return r->in[i].present ? r->in[i].s : NULL;
}

/* POST /orgs/{org}/events — 303 to the new event's overview (201
 * JSON); 403 unverified, not allowed to create events here, or no Event
 * Pro license in the organization (the explanation with a billing link);
 * 404 not a member; 409 no-seats-available (the chosen pool has none
 * left; nothing is created); 422 invalid fields, a code in use. */
int
h_event_create(struct req *r)
{
	struct org		 o;
	struct evpools		 ps;
	struct event_fields	 f;
	const struct evpool	*pool = NULL;
	struct pool		 lk;
	struct grant		 g[16];
	struct event		 e;
	json_object		*ch, *v;
	char			 code[EVENT_CODE_MAX + 1], uuid[37];
	int64_t			 id, host, uid = r->user->id;
	int			 st, org_pro, seat = 0;
	size_t			 n;

	if ((st = org_gate(r, &o, NEED_LICENSED)) != 0)
		return st;
	if ((st = create_refusal(r, &o)) != 0)
		return st;
	if (load_pools(r, o.id, &ps) != 0)
		return 503;
	if (ps.usable == 0)
		return no_event_pro(r, &o, &ps, 403);

	memset(&f, 0, sizeof(f));
	f.name = r->in[EV_NAME].s;
	f.timezone = r->in[EV_TIMEZONE].present ? r->in[EV_TIMEZONE].s :
	    o.timezone;
	f.start_date = r->in[EV_START].present ? r->in[EV_START].s : NULL;
	f.end_date = r->in[EV_END].present ? r->in[EV_END].s : NULL;
	f.venue_name = opt(r, EV_VENUE);
	f.venue_address = opt(r, EV_ADDRESS);
	f.description = opt(r, EV_DESCRIPTION);
	if (r->in[EV_CODE].present && code_ok(r, r->in[EV_CODE].s)) {
		switch (event_code_taken(r, o.id, r->in[EV_CODE].s, 0)) {
		case 0:
			break;
		case 1:
			valid_error(r, "code", "taken", "Another event of this "
			    "organization already uses this code.");
			break;
		default:
			return 503;
		}
	}
	check_dates(r, f.start_date, f.end_date);
	if (r->in[EVNEW_POOL].present) {
		if ((pool = find_pool(&ps, r->in[EVNEW_POOL].i)) == NULL)
			valid_error(r, "pool_id", "invalid", "Choose one of this "
			    "organization's Event Pro pools.");
	} else if ((pool = only_usable(&ps)) == NULL)
		valid_error(r, "pool_id", "required", "Choose which Event Pro "
		    "licenses this event uses.");
	if (r->nerrors)
		return render_invalid(r, "events/new", "New event",
		    new_view(r, &o, &ps));

	if (r->in[EV_CODE].present)
		snprintf(code, sizeof(code), "%s", r->in[EV_CODE].s);
	else {
		char	 base[EVENT_CODE_MAX + 1];

		event_code_from_name(f.name, base);
		if (event_code_free(r, o.id, base, code) != 0)
			return 503;
	}
	f.code = code;
	org_pro = o.kind == ORG_TEAM && o.has_license &&
	    o.license == PROD_ORG_PRO;

	/* One transaction; the pool lock comes first (seat.h). */
	if (db_begin() != 0)
		return 503;
	if ((st = pool_lock(r, o.id, pool->id, &lk)) < 0)
		return 503;
	if (st == 0 || !lk.active || lk.product != PROD_EVENT_PRO ||
	    !can_create_event(lk.quantity))
		return page_refuse(r, 409, "no-seats-available", "The chosen Event "
		    "Pro pool has no licenses left: choose another pool or "
		    "raise its quantity on the billing page.");
	token_uuid(uuid);
	if ((id = event_insert(r, o.id, pool->id, uuid, &f)) < 0)
		return 503;
	if (id == 0) {
		db_rollback();
		valid_error(r, "code", "taken", "Another event of this "
		    "organization already uses this code.");
		return render_invalid(r, "events/new", "New event",
		    new_view(r, &o, &ps));
	}
	if ((host = event_host_insert(r, id, in_or(r, EVNEW_HOST,
	    default_host(r, &o)))) <= 0 ||
	    event_user_insert(r, id, uid, host) != 0 ||
	    taskconf_defaults(r, id) != 0 || advtrack_map_seed(r, id) != 0)
		return 503;
	if (!org_pro) {
		if ((seat = seat_take(r, id, pool->id, uid, 0)) < 0)
			return 503;
		if (seat == 0)
			return page_refuse(r, 409, "no-seats-available", "No Event "
			    "Pro seat is left in the chosen pool for you, so "
			    "the event was not created.");
	}
	n = preset_grants(PRESET_PRODUCER, 0, g);
	if (grants_apply(r, id, uid, g, n, preset_name(PRESET_PRODUCER)) != 0 ||
	    grants_scope_admin(r, id, uid, DOM_COLLAB, host) != 0)
		return 503;
	ch = field_changes(r, &(struct event_fields){ 0 }, &f);
	if (ch == NULL)
		ch = keep(r, json_object_new_object());
	ch = change(ch, "host_collaborator", NULL, in_or(r, EVNEW_HOST,
	    default_host(r, &o)));
	ch = change(ch, "pool_id", NULL, arena_printf(r->a, "%lld",
	    (long long)pool->id));
	ch = change(ch, "creator_license", NULL, org_pro ? "org_pro" :
	    "seat");
	if (audit(r, o.id, id, "event.created", "event", id, f.name, ch) != 0 ||
	    db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "org=%lld event=%lld msg=\"event created\"",
	    (long long)o.id, (long long)id);

	if (r->fmt == FMT_JSON) {
		memset(&e, 0, sizeof(e));
		e.id = id;
		e.uuid = uuid;
		e.org_id = o.id;
		e.org_name = o.name;
		e.org_kind = o.kind;
		e.name = (char *)f.name;
		e.code = code;
		e.timezone = (char *)f.timezone;
		e.start_date = (char *)f.start_date;
		e.end_date = (char *)f.end_date;
		e.venue_name = (char *)f.venue_name;
		e.venue_address = (char *)f.venue_address;
		e.description = (char *)f.description;
		e.pool_id = pool->id;
		e.version = 1;
		e.host_collab_id = host;
		v = view_new(r);
		vset_obj(v, "event", event_json(&e));
		vset_bool(v, "seat_taken", seat == 1);
		resp_header(r, "Location", arena_printf(r->a,
		    "/api/v1/events/%lld", (long long)id));
		return render_json(r, 201, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s is ready. Add its areas and "
	    "collaborators next.", f.name));
	return render_redirect(r, event_path(r, id, ""));
}

/* --- the overview ---------------------------------------------------------- */

static json_object *
areas_json(struct req *r, const struct event_ctx *c)
{
	json_object		*a = json_object_new_array();
	struct perm_target	 t;
	struct area		*v;
	size_t			 n, i;

	if (!event_areas_viewable(c))
		return a;
	if ((v = area_list(r, c->ev.id, &n)) == NULL) {
		json_object_put(a);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		json_object	*o;

		target_area(&t, v[i].id);
		if (perm_level(&c->actor, SEC_SETTINGS, &t) < LV_VIEW)
			continue;
		o = json_object_new_object();
		vset_int(o, "id", v[i].id);
		vset_str(o, "name", v[i].name);
		vset_str(o, "colour", v[i].colour);
		vset_int(o, "people", v[i].people);
		vset_str(o, "url", arena_printf(r->a, "/events/%lld/areas/%lld",
		    (long long)c->ev.id, (long long)v[i].id));
		json_object_array_add(a, o);
	}
	return a;
}

/* The collaborators the actor may see: those their crew grants reach,
 * and always their own (basic access: its name). One query. */
static json_object *
collabs_json(struct req *r, const struct event_ctx *c)
{
	json_object		*a;
	struct perm_target	 t;
	int64_t			 id, host, crew, users;
	char			*name;
	int			 rc;

	if (db_select(&q_collabs, "i", c->ev.id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_collabs, "isiii", &id, &name, &host, &crew,
	    &users)) == 1) {
		json_object	*o;
		int		 counts;

		target_collab(&t, id);
		counts = perm_level(&c->actor, SEC_CREW, &t) >= LV_VIEW;
		if (!counts && !(c->actor.event_user &&
		    id == c->actor.collab_id))
			continue;
		o = json_object_new_object();
		vset_int(o, "id", id);
		vset_str(o, "name", name);
		vset_bool(o, "is_host", (int)host);
		vset_bool(o, "mine", c->actor.event_user &&
		    id == c->actor.collab_id);
		if (counts) {
			vset_int(o, "crew_count", crew);
			vset_int(o, "user_count", users);
			vset_str(o, "counts_text", arena_printf(r->a,
			    "%lld crew · %lld user%s", (long long)crew,
			    (long long)users, users == 1 ? "" : "s"));
		}
		vset_str(o, "url", arena_printf(r->a,
		    "/events/%lld/collaborators/%lld", (long long)c->ev.id,
		    (long long)id));
		json_object_array_add(a, o);
	}
	db_done(&q_collabs);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

/* GET /events/{event} — 200 the overview: header, description, the
 * areas and collaborators the actor may see; 404 not on the event. */
int
h_event_overview(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	json_object		*v, *areas, *collabs;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if ((areas = areas_json(r, &c)) == NULL ||
	    (collabs = collabs_json(r, &c)) == NULL)
		return 503;
	target_event(&t);
	v = view_new(r);
	event_header_into(r, v, &c, "overview");
	vset_obj(v, "areas", areas);
	vset_bool(v, "show_areas", event_areas_viewable(&c));
	vset_obj(v, "collaborators", collabs);
	vset_bool(v, "can_edit", !c.ev.archived &&
	    event_level(&c, SEC_SETTINGS, &t) >= LV_EDIT);
	vset_bool(v, "can_add_area", !c.ev.archived &&
	    event_level(&c, SEC_SETTINGS, &t) >= LV_EDIT);
	vset_str(v, "my_license", license_class_name(c.actor.lc));
	return render_page(r, 200, "events/overview", c.ev.name, v);
}

/* --- settings -------------------------------------------------------------- */

static int
may_archive(const struct event_ctx *c)
{
	struct perm_target	 t;

	target_event(&t);
	return c->actor.org_admin ||
	    perm_level(&c->actor, SEC_SETTINGS, &t) >= LV_ADMIN;
}

static json_object *
settings_view(struct req *r, const struct event_ctx *c,
    const struct event_fields *f, int64_t version)
{
	json_object		*v = view_new(r), *form;
	struct perm_target	 t;
	int			 edit;

	target_event(&t);
	edit = !c->ev.archived &&
	    event_level(c, SEC_SETTINGS, &t) >= LV_EDIT;
	event_header_into(r, v, c, "settings");
	form = json_object_new_object();
	vset_str(form, "name", f->name);
	vset_str(form, "code", f->code);
	vset_str(form, "start_date", f->start_date);
	vset_str(form, "end_date", f->end_date);
	vset_str(form, "venue_name", f->venue_name);
	vset_str(form, "venue_address", f->venue_address);
	vset_str(form, "description", f->description);
	vset_int(form, "version", version);
	vset_obj(v, "form", form);
	vset_obj(v, "timezones", timezones_json(f->timezone));
	vset_bool(v, "can_edit", edit);
	vset_bool(v, "can_archive", !c->ev.archived && may_archive(c));
	vset_bool(v, "can_restore", c->ev.archived && may_archive(c));
	vset_str(v, "action_url", event_path(r, c->ev.id, "/settings"));
	vset_str(v, "archive_url", event_path(r, c->ev.id, "/archive"));
	vset_str(v, "restore_url", event_path(r, c->ev.id, "/restore"));
	advmap_reminders_into(r, v, c);
	return v;
}

static void
current_fields(const struct event *e, struct event_fields *f)
{
	f->name = e->name;
	f->code = e->code;
	f->timezone = e->timezone;
	f->start_date = e->start_date;
	f->end_date = e->end_date;
	f->venue_name = e->venue_name;
	f->venue_address = e->venue_address;
	f->description = e->description;
}

/* GET /events/{event}/settings — 200 the general settings (edit
 * controls only with settings edit on an active event); 404 not on the
 * event or without settings view. */
int
h_event_settings(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct event_fields	 f;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	target_event(&t);
	if ((st = event_require(r, &c, SEC_SETTINGS, LV_VIEW, &t)) != 0)
		return st;
	current_fields(&c.ev, &f);
	return render_page(r, 200, "events/settings", "Settings",
	    settings_view(r, &c, &f, c.ev.version));
}

/* A sent field replaces the value, an absent one keeps it (JSON clients
 * may send only what changes); an empty optional field clears it. */
static const char *
sent(struct req *r, int i, const char *current)
{
	if (r->in[i].s == NULL)
		return current;
	return r->in[i].present ? r->in[i].s : NULL;
}

static json_object *
conflict_json(struct req *r, const struct event_fields *mine,
    const struct event_fields *now, int64_t my_version, int64_t version)
{
	json_object	*c = json_object_new_object(), *fs;
	static const char *const labels[] = { "Name", "Code", "Time zone",
	    "Start date", "End date", "Venue name", "Venue address",
	    "Description" };
	const char	*a[8], *b[8];
	size_t		 i;

	a[0] = mine->name, b[0] = now->name;
	a[1] = mine->code, b[1] = now->code;
	a[2] = mine->timezone, b[2] = now->timezone;
	a[3] = mine->start_date, b[3] = now->start_date;
	a[4] = mine->end_date, b[4] = now->end_date;
	a[5] = mine->venue_name, b[5] = now->venue_name;
	a[6] = mine->venue_address, b[6] = now->venue_address;
	a[7] = mine->description, b[7] = now->description;
	fs = json_object_new_array();
	for (i = 0; i < 8; i++) {
		json_object	*o;

		if ((a[i] == NULL && b[i] == NULL) || (a[i] != NULL &&
		    b[i] != NULL && strcmp(a[i], b[i]) == 0))
			continue;
		o = json_object_new_object();
		vset_str(o, "label", labels[i]);
		vset_str(o, "yours", a[i] ? a[i] : "");
		vset_str(o, "current", b[i] ? b[i] : "");
		json_object_array_add(fs, o);
	}
	vset_obj(c, "fields", fs);
	vset_int(c, "your_version", my_version);
	vset_int(c, "current_version", version);
	(void)r;
	return c;
}

static const char *
conflict_text(struct req *r, json_object *conf)
{
	json_object	*fs = json_object_object_get(conf, "fields");
	const char	*s = "The event changed after you loaded it; nothing "
	    "was saved.";
	size_t		 i;

	for (i = 0; i < json_object_array_length(fs); i++) {
		json_object	*o = json_object_array_get_idx(fs, i);

		s = arena_printf(r->a, "%s %s: yours “%s”, now “%s”.", s,
		    json_object_get_string(json_object_object_get(o,
		    "label")), json_object_get_string(json_object_object_get(o,
		    "yours")), json_object_get_string(json_object_object_get(o,
		    "current")));
	}
	return s;
}

/* POST /events/{event}/settings — 303 back to the settings (200 JSON);
 * 403 settings view only; 404 not on the event or no settings view; 409
 * event-archived, or edit-conflict on a stale version (both values
 * shown); 422 invalid fields or a code in use. */
int
h_event_update(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct event_fields	 f, cur;
	struct event_row	 row;
	struct event		 e;
	json_object		*ch, *v;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	target_event(&t);
	if ((st = event_require(r, &c, SEC_SETTINGS, LV_EDIT, &t)) != 0 ||
	    (st = event_writable(r, &c)) != 0)
		return st;
	current_fields(&c.ev, &cur);
	f.name = r->in[EV_NAME].s;
	f.code = r->in[EV_CODE].s != NULL ? r->in[EV_CODE].s : cur.code;
	f.timezone = r->in[EV_TIMEZONE].present ? r->in[EV_TIMEZONE].s :
	    cur.timezone;
	f.start_date = r->in[EV_START].present ? r->in[EV_START].s : NULL;
	f.end_date = r->in[EV_END].present ? r->in[EV_END].s : NULL;
	f.venue_name = sent(r, EV_VENUE, cur.venue_name);
	f.venue_address = sent(r, EV_ADDRESS, cur.venue_address);
	f.description = sent(r, EV_DESCRIPTION, cur.description);
	if (f.code == NULL || *f.code == '\0')
		valid_error(r, "code", "required", "Code is required.");
	else if (code_ok(r, f.code)) {
		switch (event_code_taken(r, c.ev.org_id, f.code, c.ev.id)) {
		case 0:
			break;
		case 1:
			valid_error(r, "code", "taken", "Another event of this "
			    "organization already uses this code.");
			break;
		default:
			return 503;
		}
	}
	check_dates(r, f.start_date, f.end_date);
	if (r->nerrors)
		return render_invalid(r, "events/settings", "Settings",
		    settings_view(r, &c, &f, r->in[EVSET_VERSION].present ?
		    r->in[EVSET_VERSION].i : c.ev.version));

	if (db_begin() != 0)
		return 503;
	if ((st = event_lock(r, c.ev.org_id, c.ev.id, &row)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (row.archived)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if (r->in[EVSET_VERSION].present &&
	    r->in[EVSET_VERSION].i != row.version) {
		json_object	*conf;

		db_rollback();
		conf = conflict_json(r, &f, &row.f, r->in[EVSET_VERSION].i,
		    row.version);
		log_msg(LOG_INFO, "decision=deny reason=edit_conflict "
		    "event=%lld", (long long)c.ev.id);
		if (r->fmt == FMT_JSON) {
			const char	*why = conflict_text(r, conf);

			json_object_put(conf);
			return render_error(r, 409, "edit-conflict", why);
		}
		v = settings_view(r, &c, &f, row.version);
		vset_obj(v, "conflict", conf);
		return render_page(r, 409, "events/settings", "Settings", v);
	}
	ch = field_changes(r, &row.f, &f);
	if (ch == NULL) {
		db_rollback();
		if (r->fmt == FMT_JSON) {
			v = view_new(r);
			vset_obj(v, "event", event_json(&c.ev));
			vset_bool(v, "changed", 0);
			return render_json(r, 200, v);
		}
		flash(r, "info", "Nothing changed.");
		return render_redirect(r, event_path(r, c.ev.id,
		    "/settings"));
	}
	switch (event_update(r, c.ev.org_id, c.ev.id, row.version, &f)) {
	case 1:
		break;
	case 2:
		db_rollback();
		valid_error(r, "code", "taken", "Another event of this "
		    "organization already uses this code.");
		return render_invalid(r, "events/settings", "Settings",
		    settings_view(r, &c, &f, row.version));
	case 0:
		return page_refuse(r, 409, "edit-conflict", "The event changed "
		    "while saving; reload and try again.");
	default:
		return 503;
	}
	if (audit(r, c.ev.org_id, c.ev.id, "event.updated", "event", c.ev.id,
	    f.name, ch) != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		e = c.ev;
		e.name = (char *)f.name;
		e.code = (char *)f.code;
		e.timezone = (char *)f.timezone;
		e.start_date = (char *)f.start_date;
		e.end_date = (char *)f.end_date;
		e.venue_name = (char *)f.venue_name;
		e.venue_address = (char *)f.venue_address;
		e.description = (char *)f.description;
		e.version = row.version + 1;
		v = view_new(r);
		vset_obj(v, "event", event_json(&e));
		vset_bool(v, "changed", 1);
		return render_json(r, 200, v);
	}
	flash(r, "ok", "Saved.");
	return render_redirect(r, event_path(r, c.ev.id, "/settings"));
}

/* --- archive and restore --------------------------------------------------- */

static int
set_archived(struct req *r, int archive)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct event_row	 row;
	struct event		 e;
	json_object		*ch, *v;
	int			 st;

	if ((st = event_gate(r, &c, 1)) != 0)
		return st;
	target_event(&t);
	if (!c.actor.org_admin &&
	    (st = event_require(r, &c, SEC_SETTINGS, LV_ADMIN, &t)) != 0)
		return st;
	if (db_begin() != 0)
		return 503;
	if ((st = event_lock(r, c.ev.org_id, c.ev.id, &row)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (archive && row.archived)
		return page_refuse(r, 409, "event-archived", "This event is already "
		    "archived.");
	if (!archive && !row.archived)
		return page_refuse(r, 409, "edit-conflict", "This event is not "
		    "archived.");
	if ((st = event_set_archived(r, c.ev.org_id, c.ev.id, row.version,
	    archive)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "edit-conflict", "The event changed "
		    "meanwhile; reload and try again.");
	ch = keep(r, change(NULL, "status", archive ? "active" : "archived",
	    archive ? "archived" : "active"));
	if (audit(r, c.ev.org_id, c.ev.id, archive ? "event.archived" :
	    "event.restored", "event", c.ev.id, c.ev.name, ch) != 0 ||
	    db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld msg=\"event %s\"", (long long)c.ev.id,
	    archive ? "archived" : "restored");
	if (r->fmt == FMT_JSON) {
		e = c.ev;
		e.archived = archive;
		e.version = row.version + 1;
		v = view_new(r);
		vset_obj(v, "event", event_json(&e));
		return render_json(r, 200, v);
	}
	flash(r, "ok", archive ? arena_printf(r->a, "%s is archived: it is "
	    "read-only and listed under Archived.", c.ev.name) :
	    arena_printf(r->a, "%s is active again.", c.ev.name));
	if (!perm_can_enter(&c.actor))
		return render_redirect(r, arena_printf(r->a,
		    "/orgs/%lld/events%s", (long long)c.ev.org_id,
		    archive ? "?status=archived" : ""));
	return render_redirect(r, event_path(r, c.ev.id, archive ? "" :
	    "/settings"));
}

/* POST /events/{event}/archive — 303 to the overview (200 JSON); 403
 * without settings admin; 404 not on the event (org owners and admins
 * always reach it); 409 event-archived when it already is. */
int
h_event_archive(struct req *r)
{
	return set_archived(r, 1);
}

/* POST /events/{event}/restore — 303 to the settings (200 JSON); 403
 * without settings admin; 404 not on the event (org owners and admins
 * always reach it); 409 edit-conflict when it is not archived. */
int
h_event_restore(struct req *r)
{
	return set_archived(r, 0);
}

/* --- the audit log --------------------------------------------------------- */

/* GET /events/{event}/audit?page=N — 200 newest first, 50 a page;
 * Event-domain users & access admins and org owners and admins; 403
 * users & access view only; 404 not on the event or no users view. */
int
h_event_audit(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	json_object		*v, *items;
	int64_t			 page = r->in[AUDIT_PAGE].present ?
	    r->in[AUDIT_PAGE].i : 1, tid;
	char			*at, *action, *ttype, *label, *changes, *rid,
				*kind, *name, *email;
	int			 st, rc, n = 0;

	if ((st = event_gate(r, &c, 1)) != 0)
		return st;
	target_event(&t);
	if ((st = event_require(r, &c, SEC_USERS, LV_ADMIN, &t)) != 0)
		return st;
	if (r->nerrors)
		return render_error(r, 400, "invalid-parameter",
		    r->errors[0].message);
	/* One extra row tells whether an older page exists. */
	if (db_select(&q_audit, "iii", c.ev.id, (int64_t)AUDIT_PAGE_SIZE + 1,
	    (page - 1) * AUDIT_PAGE_SIZE) != 0)
		return 503;
	items = json_object_new_array();
	v = view_new(r);
	vset_obj(v, "items", items);
	while ((rc = db_fetch(&q_audit, "sssisssss" "s", &at, &action, &ttype,
	    &tid, &label, &changes, &rid, &kind, &name, &email)) == 1) {
		json_object	*e;

		if (++n > AUDIT_PAGE_SIZE)
			continue;
		e = json_object_new_object();
		vset_time(e, "at", at, c.ev.timezone);
		vset_str(e, "action", action);
		vset_str(e, "target_type", ttype);
		if (tid)
			vset_int(e, "target_id", tid);
		vset_str(e, "target_label", label);
		vset_obj(e, "changes", changes ?
		    json_tokener_parse(changes) : NULL);
		vset_str(e, "changes_text", changes);
		vset_str(e, "request_id", rid);
		vset_str(e, "actor", name ? name : kind);
		vset_str(e, "actor_email", email);
		json_object_array_add(items, e);
	}
	db_done(&q_audit);
	if (rc < 0)
		return 503;
	event_header_into(r, v, &c, "audit");
	vset_int(v, "page", page);
	vset_str(v, "prev_url", page > 1 ? arena_printf(r->a,
	    "/events/%lld/audit?page=%lld", (long long)c.ev.id,
	    (long long)(page - 1)) : NULL);
	vset_str(v, "next_url", n > AUDIT_PAGE_SIZE ? arena_printf(r->a,
	    "/events/%lld/audit?page=%lld", (long long)c.ev.id,
	    (long long)(page + 1)) : NULL);
	return render_page(r, 200, "events/audit", "Audit log", v);
}
