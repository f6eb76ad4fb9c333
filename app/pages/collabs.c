/* collabs.c — an event's collaborators and their crew: list, create,
 * overview, settings, delete; crew list, add, view, edit, delete
 * (PRODUCT §5 crew and settings sections, §8; RELIABILITY AC-2 to AC-4).
 *
 * Vendor isolation: every route under /collaborators/{c} first decides
 * from the actor's standing alone whether collaborator c is visible, and
 * answers the same 404 as for an id that does not exist before reading
 * anything about it; every query then names (id, event, collaborator).
 *
 * Writes run in one transaction whose first statement locks the event
 * row in share mode (an archive waits for us, and we see its status),
 * then the collaborator row FOR UPDATE, so crew changes of one
 * collaborator and its deletion happen one at a time; only then do we
 * read (snapshot isolation freezes the snapshot at the first read). */
#include <stdio.h>
#include <string.h>

#include "deny.h"
#include "collabs.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/req.h"
#include "core/route.h"
#include "core/util.h"
#include "core/valid.h"
#include "db/db.h"
#include "etag.h"
#include "eventctx.h"
#include "feeds.h"
#include "events.h"
#include "model/area.h"
#include "model/audit.h"
#include "model/collab.h"
#include "model/crew.h"
#include "model/grant.h"
#include "model/user.h"
#include "render/view.h"

/* An event, the actor on it and, below /collaborators/{c}, the
 * collaborator with the actor's levels there. */
struct cctx {
	struct event_ctx ec;
	struct collab	 co;
	int		 own;		/* the actor's own one */
	enum level	 ev_crew;	/* crew, Event domain */
	enum level	 crew;		/* crew on this collaborator */
	enum level	 settings;	/* settings on this collaborator */
	int		 profile_edit;	/* may edit the profile */
	int		 writable;	/* event not archived */
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
forbidden(struct req *r, enum section s, enum level need, enum level have)
{
	return page_refuse(r, 403, "insufficient-permission", arena_printf(r->a,
	    "This needs %s access to %s; you have %s.", level_name(need),
	    section_name(s), level_name(have)));
}

static int
archived(struct req *r)
{
	return page_refuse(r, 409, "event-archived", "This event is archived: "
	    "restore it before changing anything.");
}

static enum level
level_on(const struct event_ctx *c, enum section s, int64_t collab_id)
{
	struct perm_target	 t;

	if (collab_id)
		target_collab(&t, collab_id);
	else
		target_event(&t);
	return perm_level(&c->actor, s, &t);
}

static void
standing(struct cctx *x, int64_t id)
{
	x->own = x->ec.actor.event_user && x->ec.actor.collab_id == id;
	x->ev_crew = level_on(&x->ec, SEC_CREW, 0);
	x->crew = level_on(&x->ec, SEC_CREW, id);
	x->settings = level_on(&x->ec, SEC_SETTINGS, id);
	/* Edit: Event crew edit, or settings edit covering it (§8). */
	x->profile_edit = x->ev_crew >= LV_EDIT || x->settings >= LV_EDIT;
	x->writable = !x->ec.ev.archived;
}

/* Visible: crew view on it, the actor's own collaborator (basic access:
 * its name), or a profile the actor may edit. */
static int
visible(const struct cctx *x)
{
	return x->crew >= LV_VIEW || x->own || x->profile_edit;
}

/* The event. 0 to go on, else the status sent. */
static int
load_event(struct req *r, struct cctx *x)
{
	int	 st;

	memset(x, 0, sizeof(*x));
	if ((st = event_gate(r, &x->ec, 0)) != 0)
		return st;
	x->ev_crew = level_on(&x->ec, SEC_CREW, 0);
	x->writable = !x->ec.ev.archived;
	return 0;
}

/* The event and collaborator {c}: decided from the standing alone
 * before the row is read, so an invisible id and a missing one answer
 * the same 404 (AC-3). */
static int
load_collab(struct req *r, struct cctx *x)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st, rc;

	if ((st = load_event(r, x)) != 0)
		return st;
	if (id < 0)
		return not_found(r, "unknown");
	standing(x, id);
	if (!visible(x))
		return not_found(r, "not_viewable");
	if ((rc = collab_get(r, x->ec.ev.id, id, &x->co)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	return 0;
}

static const char *
ev_url(struct req *r, const struct cctx *x)
{
	return arena_printf(r->a, "/events/%lld", (long long)x->ec.ev.id);
}

static const char *
list_url(struct req *r, const struct cctx *x)
{
	return arena_printf(r->a, "/events/%lld/collaborators",
	    (long long)x->ec.ev.id);
}

static const char *
co_url(struct req *r, const struct cctx *x, const char *tail)
{
	return arena_printf(r->a, "/events/%lld/collaborators/%lld%s",
	    (long long)x->ec.ev.id, (long long)x->co.id, tail);
}

static const char *
crew_url(struct req *r, const struct cctx *x, int64_t id, const char *tail)
{
	return arena_printf(r->a, "/events/%lld/collaborators/%lld/crew/%lld%s",
	    (long long)x->ec.ev.id, (long long)x->co.id, (long long)id, tail);
}

/* A field value for a write: a JSON body that leaves the field out keeps
 * the current value; a form always sends every field. */
static int
sent(struct req *r, int idx)
{
	return r->fmt == FMT_HTML ||
	    req_param(r, r->route->fields[idx].name) != NULL;
}

static const char *
pick(struct req *r, int idx, const char *cur)
{
	if (!sent(r, idx))
		return cur;
	return r->in[idx].present ? r->in[idx].s : NULL;
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* {"field": {"old": …, "new": …}}; Markdown bodies only by length. */
static json_object *
change(json_object *c, const char *field, const char *old, const char *new,
    int markdown)
{
	json_object	*f;

	if (str_eq(old, new))
		return c;
	if (c == NULL)
		c = json_object_new_object();
	f = json_object_new_object();
	if (markdown) {
		vset_bool(f, "changed", 1);
		vset_int(f, "old_length", old ? (long long)utf8_len(old,
		    strlen(old)) : 0);
		vset_int(f, "new_length", new ? (long long)utf8_len(new,
		    strlen(new)) : 0);
	} else {
		vset_str(f, "old", old);
		vset_str(f, "new", new);
	}
	json_object_object_add(c, field, f);
	return c;
}

static void
put_changes(json_object *c)
{
	if (c != NULL)
		json_object_put(c);
}

static void
check_phone(struct req *r, int idx)
{
	if (r->in[idx].present && !valid_phone(r->in[idx].s))
		valid_error(r, "phone", "phone", "Phone must be 3 to 40 "
		    "characters of digits, spaces and + ( ) - . with at least "
		    "3 digits.");
}

/* A form page with field errors at another status than 422 (a name or
 * email taken by a concurrent write: 409). */
static int
form_refused(struct req *r, int status, const char *tmpl, const char *title,
    json_object *v, const char *field, const char *message)
{
	json_object	*errs, *e, *fe;

	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=taken field=%s", field);
	if (r->fmt == FMT_JSON)
		return render_error(r, status, "conflict", message);
	errs = json_object_new_array();
	e = json_object_new_object();
	vset_str(e, "field", field);
	vset_str(e, "code", "taken");
	vset_str(e, "message", message);
	json_object_array_add(errs, e);
	fe = json_object_new_object();
	vset_str(fe, field, message);
	vset_obj(v, "errors", errs);
	vset_obj(v, "field_errors", fe);
	return render_page(r, status, tmpl, title, v);
}

/* The view model every event page of ours starts from. */
static json_object *
event_view(struct req *r, const struct cctx *x)
{
	json_object	*v = view_new(r);

	/* The event's header and section navigation (events.c). */
	event_header_into(r, v, &x->ec, "collaborators");
	vset_str(v, "event_url", ev_url(r, x));
	vset_str(v, "collaborators_url", list_url(r, x));
	return v;
}

/* The collaborator pages: the profile, the tabs and what the actor may
 * do here (controls hidden on archived events). */
static json_object *
collab_view(struct req *r, const struct cctx *x, const char *tab)
{
	json_object	*v = event_view(r, x), *tabs;

	vset_obj(v, "collaborator", collab_json(r, &x->co));
	vset_bool(v, "is_own", x->own);
	vset_str(v, "overview_url", co_url(r, x, ""));
	vset_str(v, "crew_url", x->crew >= LV_VIEW ? co_url(r, x, "/crew") :
	    NULL);
	vset_str(v, "settings_url", x->profile_edit ?
	    co_url(r, x, "/settings") : NULL);
	/* The event's Users page lists everyone with their collaborator. */
	vset_str(v, "users_url", level_on(&x->ec, SEC_USERS, 0) >= LV_VIEW ?
	    arena_printf(r->a, "/events/%lld/users", (long long)x->ec.ev.id) :
	    NULL);
	vset_bool(v, "can_view_crew", x->crew >= LV_VIEW);
	vset_bool(v, "can_edit", x->profile_edit && x->writable);
	vset_bool(v, "can_add_crew", x->crew >= LV_EDIT && x->writable);
	vset_bool(v, "can_admin_crew", x->crew >= LV_ADMIN && x->writable);
	vset_bool(v, "can_delete", x->ev_crew >= LV_ADMIN && x->writable &&
	    !x->co.is_host);
	tabs = json_object_new_object();
	vset_bool(tabs, tab, 1);
	vset_obj(v, "tab", tabs);
	return v;
}

/* --- collaborators ------------------------------------------------------- */

/* GET /events/{event}/collaborators — 200 the collaborators the actor may
 * see (Event crew view: all; otherwise their own and those their grants
 * cover); 404 not on the event. */
int
h_collabs(struct req *r)
{
	struct cctx	 x;
	struct collab	*list;
	json_object	*v, *items;
	size_t		 n, i;
	int		 st;

	if ((st = load_event(r, &x)) != 0)
		return st;
	if ((list = collab_list(r, x.ec.ev.id, x.ev_crew >= LV_VIEW,
	    x.ec.actor.event_user ? x.ec.actor.collab_id : 0, r->user->id,
	    &n)) == NULL)
		return 503;
	v = event_view(r, &x);
	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object	*j;

		/* The query narrowed by grants; the policy decides. */
		x.co = list[i];
		standing(&x, list[i].id);
		if (!visible(&x))
			continue;
		j = collab_json(r, &list[i]);
		vset_bool(j, "is_own", x.own);
		vset_bool(j, "can_view_crew", x.crew >= LV_VIEW);
		json_object_array_add(items, j);
	}
	vset_bool(v, "has_items", json_object_array_length(items) > 0);
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);
	vset_bool(v, "sees_all", x.ev_crew >= LV_VIEW);
	vset_str(v, "count_label", arena_printf(r->a, "%zu collaborator%s",
	    json_object_array_length(items),
	    json_object_array_length(items) == 1 ? "" : "s"));
	vset_bool(v, "can_create", level_on(&x.ec, SEC_CREW, 0) >= LV_EDIT &&
	    !x.ec.ev.archived);
	vset_str(v, "new_url", arena_printf(r->a,
	    "/events/%lld/collaborators/new", (long long)x.ec.ev.id));
	return render_page(r, 200, "collabs/list", "Collaborators", v);
}

static json_object *
collab_form(struct req *r, const struct collab *cur)
{
	json_object	*f = json_object_new_object();

#define FV(idx, key, field) vset_str(f, key, r->method == M_POST ? \
	    r->in[idx].s : cur ? cur->field : NULL)
	FV(COLLAB_NAME, "name", name);
	FV(COLLAB_DESCRIPTION, "description", description);
	FV(COLLAB_EMAIL, "email", email);
	FV(COLLAB_PHONE, "phone", phone);
	FV(COLLAB_WEBSITE, "website", website);
#undef FV
	if (cur != NULL)
		vset_int(f, "version", cur->version);
	vset_obj(f, "colour_options", area_colours_json(r->method == M_POST &&
	    r->in[COLLAB_COLOUR].present ? r->in[COLLAB_COLOUR].s :
	    cur ? cur->colour : NULL));
	return f;
}

static json_object *
new_collab_view(struct req *r, const struct cctx *x)
{
	json_object	*v = event_view(r, x);

	vset_obj(v, "form", collab_form(r, NULL));
	vset_str(v, "action_url", list_url(r, x));
	return v;
}

/* Event crew edit, else 403 (the list itself is open to every event
 * user); 409 archived. */
static int
may_create(struct req *r, const struct cctx *x)
{
	if (x->ev_crew < LV_EDIT)
		return forbidden(r, SEC_CREW, LV_EDIT, x->ev_crew);
	if (!x->writable)
		return archived(r);
	return 0;
}

/* GET /events/{event}/collaborators/new — 200 form; 403 without Event
 * crew edit; 404 not on the event; 409 archived. */
int
h_collab_new_form(struct req *r)
{
	struct cctx	 x;
	int		 st;

	if ((st = load_event(r, &x)) != 0 || (st = may_create(r, &x)) != 0)
		return st;
	return render_page(r, 200, "collabs/new", "New collaborator",
	    new_collab_view(r, &x));
}

/* Field checks beyond the table's: phone, website, colour. */
static void
check_collab(struct req *r)
{
	check_phone(r, COLLAB_PHONE);
	if (r->in[COLLAB_WEBSITE].present &&
	    !valid_url(r->in[COLLAB_WEBSITE].s))
		valid_error(r, "website", "url", "Website must be an http:// "
		    "or https:// address.");
	if (r->in[COLLAB_COLOUR].present &&
	    !area_colour_valid(r->in[COLLAB_COLOUR].s))
		valid_error(r, "colour", "invalid", "Colour must be one of the "
		    "palette's colours.");
}

static const char *
taken_name(struct req *r, const char *name)
{
	return arena_printf(r->a, "A collaborator named \"%s\" already exists "
	    "on this event (names are compared ignoring case).", name);
}

/* POST /events/{event}/collaborators — 303 to the new collaborator (201
 * JSON); 403 without Event crew edit; 404; 409 archived, or the name
 * taken by a concurrent request; 422 field errors (a taken name
 * included). The creator becomes its scope admin (PRODUCT §5). */
int
h_collab_create(struct req *r)
{
	struct cctx		 x;
	struct collab_fields	 f;
	struct collab		 co;
	json_object		*ch = NULL;
	int64_t			 id;
	int			 st, rc, arch;

	if ((st = load_event(r, &x)) != 0 || (st = may_create(r, &x)) != 0)
		return st;
	check_collab(r);
	if (r->nerrors)
		return render_invalid(r, "collabs/new", "New collaborator",
		    new_collab_view(r, &x));
	memset(&f, 0, sizeof(f));
	f.name = r->in[COLLAB_NAME].s;
	f.description = pick(r, COLLAB_DESCRIPTION, NULL);
	f.email = pick(r, COLLAB_EMAIL, NULL);
	f.phone = pick(r, COLLAB_PHONE, NULL);
	f.website = pick(r, COLLAB_WEBSITE, NULL);
	f.colour = r->in[COLLAB_COLOUR].present ? r->in[COLLAB_COLOUR].s :
	    "slate";

	if (db_begin() != 0 || (rc = collab_lock_event(r, x.ec.ev.id,
	    &arch)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (arch)
		return archived(r);
	if ((rc = collab_name_taken(r, x.ec.ev.id, f.name, 0)) < 0)
		return 503;
	if (rc) {
		db_rollback();
		valid_error(r, "name", "taken", taken_name(r, f.name));
		return render_invalid(r, "collabs/new", "New collaborator",
		    new_collab_view(r, &x));
	}
	if ((id = collab_insert(r, x.ec.ev.id, &f)) < 0)
		return 503;
	if (id == 0)
		return form_refused(r, 409, "collabs/new", "New collaborator",
		    new_collab_view(r, &x), "name", taken_name(r, f.name));
	if (grants_scope_admin(r, x.ec.ev.id, r->user->id, DOM_COLLAB, id) != 0)
		return 503;
	ch = change(ch, "name", NULL, f.name, 0);
	ch = change(ch, "description", NULL, f.description, 1);
	ch = change(ch, "email", NULL, f.email, 0);
	ch = change(ch, "phone", NULL, f.phone, 0);
	ch = change(ch, "website", NULL, f.website, 0);
	ch = change(ch, "colour", NULL, f.colour, 0);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "collaborator.created",
	    "collaborator", id, f.name, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld collaborator=%lld msg=\"collaborator "
	    "created\"", (long long)x.ec.ev.id, (long long)id);
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (collab_get(r, x.ec.ev.id, id, &co) != 1)
			return 503;
		vset_obj(v, "collaborator", collab_json(r, &co));
		resp_header(r, "Location", arena_printf(r->a,
		    "/api/v1/events/%lld/collaborators/%lld",
		    (long long)x.ec.ev.id, (long long)id));
		(void)page_etag(r, id, co.version);
		return render_json(r, 201, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was added. Add its crew next.",
	    f.name));
	return render_redirect(r, arena_printf(r->a,
	    "/events/%lld/collaborators/%lld", (long long)x.ec.ev.id,
	    (long long)id));
}

/* GET /events/{event}/collaborators/{c} — 200 overview: profile, points
 * of contact and crew count (with crew view), the actor's own crew
 * record; 404 unknown or not visible (AC-3, AC-4). */
int
h_collab(struct req *r)
{
	struct cctx	 x;
	struct crew	*contacts;
	json_object	*v, *a;
	size_t		 n = 0, i;
	int64_t		 mine = 0;
	int		 st;

	if ((st = load_collab(r, &x)) != 0)
		return st;
	v = collab_view(r, &x, "overview");
	a = json_object_new_array();
	if (x.crew >= LV_VIEW) {
		if ((contacts = crew_list(r, x.ec.ev.id, x.co.id, 1, &n)) ==
		    NULL) {
			json_object_put(a);
			return 503;
		}
		for (i = 0; i < n; i++)
			json_object_array_add(a, crew_json(r, &contacts[i]));
	}
	vset_obj(v, "points_of_contact", a);
	if (x.crew < LV_VIEW)
		vset_obj(json_object_object_get(v, "collaborator"),
		    "crew_count", NULL);
	if (x.own && (mine = crew_of_user(r, x.ec.ev.id, x.co.id,
	    r->user->id)) < 0)
		return 503;
	vset_str(v, "my_crew_url", mine > 0 ? crew_url(r, &x, mine, "") :
	    NULL);
	if (feeds_may_subscribe(&x.ec, "collaborator", x.co.id))
		feeds_subscribe_into(r, v, "collaborator", x.co.id);
	if (page_etag(r, x.co.id, x.co.version))
		return 304;
	return render_page(r, 200, "collabs/show", x.co.name, v);
}

static json_object *
settings_view(struct req *r, const struct cctx *x, const struct collab *cur)
{
	json_object	*v = collab_view(r, x, "settings");

	vset_obj(v, "form", collab_form(r, cur));
	vset_str(v, "action_url", co_url(r, x, ""));
	vset_str(v, "delete_url", co_url(r, x, "/delete"));
	return v;
}

/* GET /events/{event}/collaborators/{c}/settings — 200 the edit form
 * (read-only on an archived event); 403 without Event crew edit or
 * settings edit on it; 404. */
int
h_collab_settings(struct req *r)
{
	struct cctx	 x;
	int		 st;

	if ((st = load_collab(r, &x)) != 0)
		return st;
	if (!x.profile_edit)
		return forbidden(r, SEC_SETTINGS, LV_EDIT, x.settings);
	(void)page_etag(r, x.co.id, x.co.version);
	return render_page(r, 200, "collabs/settings", x.co.name,
	    settings_view(r, &x, &x.co));
}

/* The 409 page of a stale edit: the form keeps what the user typed,
 * beside each field someone else changed meanwhile; its version is now
 * the current one, so saving again overwrites knowingly. */
static int
collab_conflict(struct req *r, struct cctx *x, const struct collab *now,
    const struct collab_fields *mine, int64_t their_version)
{
	json_object	*v, *c, *fields, *form;

	db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
	if (r->fmt == FMT_JSON)
		return render_error(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s was changed by someone else meanwhile (now version "
		    "%lld, you sent %lld). Nothing was saved.", now->name,
		    (long long)now->version, (long long)their_version));
	x->co = *now;
	v = settings_view(r, x, now);
	form = json_object_object_get(v, "form");
	vset_int(form, "version", now->version);
	c = json_object_new_object();
	fields = json_object_new_array();
#define DIFF(label, a, b) do {						\
	if (!str_eq((a), (b))) {					\
		json_object *d = json_object_new_object();		\
		vset_str(d, "label", label);				\
		vset_str(d, "yours", (a) ? (a) : "(empty)");		\
		vset_str(d, "current", (b) ? (b) : "(empty)");		\
		json_object_array_add(fields, d);			\
	}								\
} while (0)
	DIFF("Name", mine->name, now->name);
	DIFF("Description", mine->description, now->description);
	DIFF("Email", mine->email, now->email);
	DIFF("Phone", mine->phone, now->phone);
	DIFF("Website", mine->website, now->website);
	DIFF("Colour", mine->colour, now->colour);
#undef DIFF
	vset_int(c, "your_version", their_version);
	vset_int(c, "current_version", now->version);
	vset_obj(c, "fields", fields);
	vset_obj(v, "conflict", c);
	return render_page(r, 409, "collabs/settings", now->name, v);
}

/* POST /events/{event}/collaborators/{c} — 303 to the overview (200
 * JSON with the new ETag); 403 without Event crew edit or settings edit
 * on it; 404; 409 archived, stale version (both values shown) or the
 * name taken concurrently; 412 stale If-Match; 422 field errors. */
int
h_collab_update(struct req *r)
{
	struct cctx		 x;
	struct collab_fields	 f;
	struct collab		 lk;
	json_object		*ch = NULL;
	int			 st, rc, arch;

	if ((st = load_collab(r, &x)) != 0)
		return st;
	if (!x.profile_edit)
		return forbidden(r, SEC_SETTINGS, LV_EDIT, x.settings);
	if (!x.writable)
		return archived(r);
	check_collab(r);
	if (sent(r, COLLAB_NAME) && !r->in[COLLAB_NAME].present &&
	    r->nerrors == 0)
		valid_error(r, "name", "required", "Name is required.");
	if (r->nerrors)
		return render_invalid(r, "collabs/settings", x.co.name,
		    settings_view(r, &x, &x.co));

	if (db_begin() != 0 || (rc = collab_lock_event(r, x.ec.ev.id,
	    &arch)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (arch)
		return archived(r);
	if ((rc = collab_lock(r, x.ec.ev.id, x.co.id, &lk)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	if (page_if_match_stale(r, lk.id, lk.version))
		return 412;
	memset(&f, 0, sizeof(f));
	f.name = pick(r, COLLAB_NAME, lk.name);
	f.description = pick(r, COLLAB_DESCRIPTION, lk.description);
	f.email = pick(r, COLLAB_EMAIL, lk.email);
	f.phone = pick(r, COLLAB_PHONE, lk.phone);
	f.website = pick(r, COLLAB_WEBSITE, lk.website);
	f.colour = r->in[COLLAB_COLOUR].present ? r->in[COLLAB_COLOUR].s :
	    lk.colour;
	if (r->in[COLLAB_VERSION].present &&
	    r->in[COLLAB_VERSION].i != lk.version)
		return collab_conflict(r, &x, &lk, &f,
		    r->in[COLLAB_VERSION].i);
	if (str_eq(f.name, lk.name) && str_eq(f.description,
	    lk.description) && str_eq(f.email, lk.email) &&
	    str_eq(f.phone, lk.phone) && str_eq(f.website, lk.website) &&
	    str_eq(f.colour, lk.colour)) {
		/* Nothing to change: no new version, no audit entry. */
		db_rollback();
		if (r->fmt == FMT_JSON) {
			json_object	*v = view_new(r);

			vset_obj(v, "collaborator", collab_json(r, &x.co));
			(void)page_etag(r, x.co.id, x.co.version);
			return render_json(r, 200, v);
		}
		flash(r, "info", "Nothing was changed.");
		return render_redirect(r, co_url(r, &x, ""));
	}
	if (!str_eq(f.name, lk.name)) {
		if ((rc = collab_name_taken(r, x.ec.ev.id, f.name,
		    lk.id)) < 0)
			return 503;
		if (rc) {
			db_rollback();
			valid_error(r, "name", "taken", taken_name(r, f.name));
			return render_invalid(r, "collabs/settings", x.co.name,
			    settings_view(r, &x, &x.co));
		}
	}
	if ((rc = collab_update(r, x.ec.ev.id, lk.id, lk.version, &f)) == -2)
		return form_refused(r, 409, "collabs/settings", x.co.name,
		    settings_view(r, &x, &x.co), "name",
		    taken_name(r, f.name));
	if (rc < 0)
		return 503;
	if (rc == 0)
		return collab_conflict(r, &x, &lk, &f, lk.version);
	ch = change(ch, "name", lk.name, f.name, 0);
	ch = change(ch, "description", lk.description, f.description, 1);
	ch = change(ch, "email", lk.email, f.email, 0);
	ch = change(ch, "phone", lk.phone, f.phone, 0);
	ch = change(ch, "website", lk.website, f.website, 0);
	ch = change(ch, "colour", lk.colour, f.colour, 0);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "collaborator.updated",
	    "collaborator", lk.id, f.name, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (collab_get(r, x.ec.ev.id, lk.id, &x.co) != 1)
			return 503;
		vset_obj(v, "collaborator", collab_json(r, &x.co));
		(void)page_etag(r, x.co.id, x.co.version);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was saved.", f.name));
	return render_redirect(r, co_url(r, &x, ""));
}

/* The confirmation page: what goes (its crew, empty advances) and what
 * stands in the way (host, event users, pending invitations, advances
 * with answers). */
static json_object *
delete_view(struct req *r, const struct cctx *x, const struct crew *crew,
    size_t ncrew, const struct collab_blockers *b)
{
	json_object	*v = collab_view(r, x, "settings"), *goes, *bl;
	size_t		 i;

	goes = json_object_new_array();
	for (i = 0; i < ncrew; i++) {
		json_object	*c = json_object_new_object();

		vset_int(c, "id", crew[i].id);
		vset_str(c, "name", crew_name(r, &crew[i]));
		vset_str(c, "email", crew[i].email);
		json_object_array_add(goes, c);
	}
	vset_obj(v, "crew", goes);
	vset_str(v, "crew_label", arena_printf(r->a, "%zu crew member%s",
	    ncrew, ncrew == 1 ? "" : "s"));
	bl = json_object_new_object();
	vset_obj(bl, "users", json_object_get(b->users));
	vset_obj(bl, "invitations", json_object_get(b->invitations));
	vset_obj(bl, "advances", json_object_get(b->advances));
	vset_bool(bl, "host", x->co.is_host);
	vset_obj(v, "blockers", bl);
	vset_bool(v, "blocked", x->co.is_host || b->n > 0);
	vset_bool(v, "can_confirm", !x->co.is_host && b->n == 0 &&
	    x->writable);
	vset_str(v, "action_url", co_url(r, x, "/delete"));
	return v;
}

/* Event crew admin, else 403 (404 when not even visible). */
static int
may_delete_collab(struct req *r, const struct cctx *x)
{
	if (x->ev_crew < LV_ADMIN)
		return forbidden(r, SEC_CREW, LV_ADMIN, x->ev_crew);
	return 0;
}

/* GET /events/{event}/collaborators/{c}/delete — 200 the confirmation
 * (listing the crew that go, or what blocks the deletion); 403 without
 * Event crew admin; 404. */
int
h_collab_delete_form(struct req *r)
{
	struct cctx		 x;
	struct collab_blockers	 b;
	struct crew		*crew;
	size_t			 n;
	int			 st;

	if ((st = load_collab(r, &x)) != 0 ||
	    (st = may_delete_collab(r, &x)) != 0)
		return st;
	if (collab_blockers(r, x.ec.ev.id, x.co.id, &b) != 0 ||
	    (crew = crew_list(r, x.ec.ev.id, x.co.id, 0, &n)) == NULL)
		return 503;
	return render_page(r, 200, "collabs/delete", arena_printf(r->a,
	    "Delete %s", x.co.name), delete_view(r, &x, crew, n, &b));
}

/* "Ann Smith, Bob" — names for messages and the audit entry. */
static const char *
names_of(struct req *r, json_object *a, const char *key)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < json_object_array_length(a) && i < 20; i++) {
		json_object	*e = json_object_array_get_idx(a, i);
		const char	*name = json_object_get_string(
		    json_object_object_get(e, key));

		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, name ? name : "");
	}
	if (json_object_array_length(a) > 20)
		buf_printf(&b, " and %zu more",
		    json_object_array_length(a) - 20);
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* "event users (A, B) and advances with answers (X)": what blocks. */
static const char *
blockers_text(struct req *r, const struct collab_blockers *b)
{
	const char	*parts[3], *out = NULL;
	size_t		 n = 0, i;

	if (json_object_array_length(b->users))
		parts[n++] = arena_printf(r->a, "event users (%s)",
		    names_of(r, b->users, "name"));
	if (json_object_array_length(b->invitations))
		parts[n++] = arena_printf(r->a, "pending invitations (%s)",
		    names_of(r, b->invitations, "email"));
	if (json_object_array_length(b->advances))
		parts[n++] = arena_printf(r->a, "advances with answers (%s)",
		    names_of(r, b->advances, "name"));
	for (i = 0; i < n; i++)
		out = out == NULL ? parts[i] : arena_printf(r->a, "%s%s%s",
		    out, i + 1 == n ? " and " : ", ", parts[i]);
	return out != NULL ? out : "";
}

/* POST /events/{event}/collaborators/{c}/delete — 303 to the list (204
 * JSON); 403 without Event crew admin; 404; 409 archived, the host,
 * in-use (event users or pending invitations, listed) or a stale
 * version. Its crew and the grants scoped to it go with it. */
int
h_collab_delete(struct req *r)
{
	struct cctx		 x;
	struct collab_blockers	 b;
	struct collab		 lk;
	struct crew		*crew;
	json_object		*ch = NULL, *names;
	const char		*why;
	size_t			 n, i;
	int			 st, rc, arch;

	if ((st = load_collab(r, &x)) != 0 ||
	    (st = may_delete_collab(r, &x)) != 0)
		return st;
	if (!x.writable)
		return archived(r);
	if (db_begin() != 0 || (rc = collab_lock_event(r, x.ec.ev.id,
	    &arch)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (arch)
		return archived(r);
	if ((rc = collab_lock(r, x.ec.ev.id, x.co.id, &lk)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	if (page_if_match_stale(r, lk.id, lk.version))
		return 412;
	if (r->in[CDEL_VERSION].present && r->in[CDEL_VERSION].i != lk.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s was changed after you opened the confirmation (now "
		    "version %lld, you saw %lld). Nothing was deleted; look "
		    "again and confirm.", lk.name, (long long)lk.version,
		    (long long)r->in[CDEL_VERSION].i));
	if (lk.is_host)
		return page_refuse(r, 409, "in-use", arena_printf(r->a, "%s is the "
		    "event's host collaborator; it can't be deleted.",
		    lk.name));
	if (collab_blockers(r, x.ec.ev.id, lk.id, &b) != 0 ||
	    (crew = crew_list(r, x.ec.ev.id, lk.id, 0, &n)) == NULL)
		return 503;
	if (b.n > 0) {
		why = arena_printf(r->a, "%s still has %s. Remove or move its "
		    "users, revoke its invitations and remove its answered "
		    "advances first; nothing was deleted.", lk.name,
		    blockers_text(r, &b));
		db_rollback();
		log_msg(LOG_INFO, "decision=deny reason=in-use");
		if (r->fmt == FMT_JSON)
			return render_error(r, 409, "in-use", why);
		x.co.is_host = lk.is_host;
		{
			json_object	*v = delete_view(r, &x, crew, n, &b);

			vset_str(v, "refusal", why);
			return render_page(r, 409, "collabs/delete",
			    arena_printf(r->a, "Delete %s", lk.name), v);
		}
	}
	if ((rc = collab_delete(r, x.ec.ev.id, lk.id, &b)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	names = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(names,
		    json_object_new_string(crew_name(r, &crew[i])));
	ch = json_object_new_object();
	{
		json_object	*f = json_object_new_object();

		vset_obj(f, "old", names);
		vset_obj(f, "new", NULL);
		json_object_object_add(ch, "crew", f);
	}
	ch = change(ch, "name", lk.name, NULL, 0);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "collaborator.deleted",
	    "collaborator", lk.id, lk.name, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld collaborator=%lld crew=%zu "
	    "msg=\"collaborator deleted\"", (long long)x.ec.ev.id,
	    (long long)lk.id, n);
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	flash(r, "ok", n ? arena_printf(r->a, "%s and its %zu crew "
	    "member%s were deleted.", lk.name, n, n == 1 ? "" : "s") :
	    arena_printf(r->a, "%s was deleted.", lk.name));
	return render_redirect(r, list_url(r, &x));
}

/* --- crew ---------------------------------------------------------------- */

/* Links and flags of one crew row for the actor. */
static json_object *
crew_row(struct req *r, const struct cctx *x, const struct crew *c)
{
	json_object	*j = crew_json(r, c);
	int		 admin = x->crew >= LV_ADMIN && x->writable;

	vset_bool(j, "is_self", c->user_id != 0 && c->user_id == r->user->id);
	vset_bool(j, "can_edit", x->writable && (x->crew >= LV_EDIT ||
	    (c->user_id != 0 && c->user_id == r->user->id)));
	vset_bool(j, "can_delete", admin);
	/* Inviting is the access pages' business; we only link there. */
	vset_str(j, "invite_url", admin && (c->access == CA_NONE ||
	    c->access == CA_NO_ACCESS) ? crew_url(r, x, c->id, "/invite") :
	    NULL);
	return j;
}

/* Crew view on the collaborator, else 403 (it is visible). */
static int
may_view_crew(struct req *r, const struct cctx *x)
{
	if (x->crew < LV_VIEW)
		return forbidden(r, SEC_CREW, LV_VIEW, x->crew);
	return 0;
}

static int
may_add_crew(struct req *r, const struct cctx *x)
{
	if (x->crew < LV_EDIT)
		return forbidden(r, SEC_CREW, LV_EDIT, x->crew);
	if (!x->writable)
		return archived(r);
	return 0;
}

/* GET /events/{event}/collaborators/{c}/crew — 200 the crew with their
 * derived access; 403 without crew view on it (their own collaborator);
 * 404 not visible. */
int
h_crew_list(struct req *r)
{
	struct cctx	 x;
	struct crew	*list;
	json_object	*v, *items;
	size_t		 n, i, contacts = 0;
	int		 st;

	if ((st = load_collab(r, &x)) != 0 ||
	    (st = may_view_crew(r, &x)) != 0)
		return st;
	if ((list = crew_list(r, x.ec.ev.id, x.co.id, 0, &n)) == NULL)
		return 503;
	v = collab_view(r, &x, "crew");
	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object_array_add(items, crew_row(r, &x, &list[i]));
		contacts += list[i].point_of_contact != 0;
	}
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);
	vset_str(v, "count_label", arena_printf(r->a, "%zu crew member%s",
	    n, n == 1 ? "" : "s"));
	vset_int(v, "contact_count", (long long)contacts);
	vset_bool(v, "show_actions", x.writable && x.crew >= LV_EDIT);
	vset_str(v, "new_url", co_url(r, &x, "/crew/new"));
	return render_page(r, 200, "collabs/crew", arena_printf(r->a,
	    "Crew of %s", x.co.name), v);
}

static json_object *
crew_form(struct req *r, const struct crew *cur)
{
	json_object	*f = json_object_new_object();
	int		 post = r->method == M_POST;

#define FV(idx, key, field) vset_str(f, key, post ? r->in[idx].s : \
	    cur ? cur->field : NULL)
	FV(CREW_FIRST_NAME, "first_name", first_name);
	FV(CREW_LAST_NAME, "last_name", last_name);
	FV(CREW_TITLE, "title", title);
	FV(CREW_ROLE, "role_on_show", role_on_show);
	FV(CREW_EMAIL, "email", email);
	FV(CREW_PHONE, "phone", phone);
	FV(CREW_NOTES, "notes", notes);
#undef FV
	vset_bool(f, "point_of_contact", post ? r->in[CREW_POC].i != 0 :
	    cur ? cur->point_of_contact : 0);
	if (cur != NULL)
		vset_int(f, "version", cur->version);
	return f;
}

static json_object *
crew_new_view(struct req *r, const struct cctx *x)
{
	json_object	*v = collab_view(r, x, "crew");

	vset_obj(v, "form", crew_form(r, NULL));
	vset_str(v, "action_url", co_url(r, x, "/crew"));
	return v;
}

/* GET /events/{event}/collaborators/{c}/crew/new — 200 form; 403
 * without crew edit on it; 404; 409 archived. */
int
h_crew_new_form(struct req *r)
{
	struct cctx	 x;
	int		 st;

	if ((st = load_collab(r, &x)) != 0 || (st = may_add_crew(r, &x)) != 0)
		return st;
	return render_page(r, 200, "collabs/crew_new", "Add crew member",
	    crew_new_view(r, &x));
}

static const char *
taken_email(struct req *r, const char *email)
{
	return arena_printf(r->a, "%s is already on another crew record of "
	    "this collaborator.", email);
}

/* POST /events/{event}/collaborators/{c}/crew — 303 to the crew list
 * (201 JSON); 403 without crew edit on it; 404; 409 archived or the
 * email taken concurrently; 422 field errors (a taken email included). */
int
h_crew_create(struct req *r)
{
	struct cctx		 x;
	struct crew_fields	 f;
	struct collab		 lk;
	struct crew		 c;
	json_object		*ch = NULL;
	const char		*name;
	int64_t			 id;
	int			 st, rc, arch;

	if ((st = load_collab(r, &x)) != 0 || (st = may_add_crew(r, &x)) != 0)
		return st;
	check_phone(r, CREW_PHONE);
	if (r->nerrors)
		return render_invalid(r, "collabs/crew_new", "Add crew member",
		    crew_new_view(r, &x));
	memset(&f, 0, sizeof(f));
	f.first_name = r->in[CREW_FIRST_NAME].s;
	f.last_name = pick(r, CREW_LAST_NAME, NULL);
	f.title = pick(r, CREW_TITLE, NULL);
	f.role_on_show = pick(r, CREW_ROLE, NULL);
	f.email = pick(r, CREW_EMAIL, NULL);
	f.phone = pick(r, CREW_PHONE, NULL);
	f.point_of_contact = r->in[CREW_POC].present && r->in[CREW_POC].i;
	f.notes = pick(r, CREW_NOTES, NULL);

	if (db_begin() != 0 || (rc = collab_lock_event(r, x.ec.ev.id,
	    &arch)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (arch)
		return archived(r);
	if ((rc = collab_lock(r, x.ec.ev.id, x.co.id, &lk)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	if ((rc = crew_email_taken(r, lk.id, f.email, 0)) < 0)
		return 503;
	if (rc) {
		db_rollback();
		valid_error(r, "email", "taken", taken_email(r, f.email));
		return render_invalid(r, "collabs/crew_new", "Add crew member",
		    crew_new_view(r, &x));
	}
	if ((id = crew_insert(r, x.ec.ev.id, lk.id, &f)) < 0)
		return 503;
	if (id == 0)
		return form_refused(r, 409, "collabs/crew_new",
		    "Add crew member", crew_new_view(r, &x), "email",
		    taken_email(r, f.email));
	memset(&c, 0, sizeof(c));
	c.first_name = (char *)f.first_name;
	c.last_name = (char *)f.last_name;
	name = crew_name(r, &c);
	ch = change(ch, "first_name", NULL, f.first_name, 0);
	ch = change(ch, "last_name", NULL, f.last_name, 0);
	ch = change(ch, "title", NULL, f.title, 0);
	ch = change(ch, "role_on_show", NULL, f.role_on_show, 0);
	ch = change(ch, "email", NULL, f.email, 0);
	ch = change(ch, "phone", NULL, f.phone, 0);
	ch = change(ch, "point_of_contact", NULL, f.point_of_contact ? "yes" :
	    NULL, 0);
	ch = change(ch, "notes", NULL, f.notes, 1);
	ch = change(ch, "collaborator", NULL, lk.name, 0);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "crew.created", "crew", id,
	    name, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (crew_get(r, x.ec.ev.id, lk.id, id, &c) != 1)
			return 503;
		vset_obj(v, "crew", crew_json(r, &c));
		resp_header(r, "Location", arena_printf(r->a, "/api/v1%s",
		    crew_url(r, &x, id, "")));
		(void)page_etag(r, id, c.version);
		return render_json(r, 201, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was added to the crew.", name));
	return render_redirect(r, co_url(r, &x, "/crew"));
}

/* The record {id} of collaborator {c}, if the actor may see it: crew
 * view on the collaborator, or their own linked record (basic access).
 * 0 to go on, else the status sent (404 alike for all the rest). */
static int
load_crew(struct req *r, struct cctx *x, struct crew *c)
{
	int64_t	 id;
	int	 st, rc;

	if ((st = load_collab(r, x)) != 0)
		return st;
	if ((id = req_pathvar_id(r, 2)) < 0)
		return not_found(r, "unknown");
	if ((rc = crew_get(r, x->ec.ev.id, x->co.id, id, c)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (x->crew < LV_VIEW && c->user_id != r->user->id)
		return not_found(r, "not_viewable");
	return 0;
}

static json_object *
crew_view(struct req *r, const struct cctx *x, const struct crew *c,
    const struct crew *form_from)
{
	json_object	*v = collab_view(r, x, "crew"), *row;
	int		 full = x->crew >= LV_EDIT && x->writable;

	row = crew_row(r, x, c);
	vset_obj(v, "crew", row);
	vset_obj(v, "form", crew_form(r, form_from));
	/* A linked person edits their name and phone, nothing else. */
	vset_bool(v, "can_edit_all", full);
	vset_bool(v, "can_edit_self", !full && x->writable &&
	    c->user_id != 0 && c->user_id == r->user->id);
	vset_str(v, "action_url", crew_url(r, x, c->id, ""));
	vset_str(v, "delete_url", crew_url(r, x, c->id, "/delete"));
	vset_str(v, "list_url", x->crew >= LV_VIEW ? co_url(r, x, "/crew") :
	    NULL);
	return v;
}

/* GET /events/{event}/collaborators/{c}/crew/{id} — 200 the record with
 * its derived access (and the edit form where allowed); 404 unknown, in
 * another collaborator, or not visible. */
int
h_crew(struct req *r)
{
	struct cctx	 x;
	struct crew	 c;
	int		 st;

	if ((st = load_crew(r, &x, &c)) != 0)
		return st;
	if (page_etag(r, c.id, c.version))
		return 304;
	return render_page(r, 200, "collabs/crew_show", crew_name(r, &c),
	    crew_view(r, &x, &c, &c));
}

static int
crew_conflict(struct req *r, struct cctx *x, const struct crew *before,
    const struct crew *now, const struct crew_fields *mine,
    int64_t their_version)
{
	json_object	*v, *cf, *fields;
	struct crew	 shown;

	db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
	if (r->fmt == FMT_JSON)
		return render_error(r, 409, "edit-conflict", arena_printf(r->a,
		    "This crew record was changed by someone else meanwhile "
		    "(now version %lld, you sent %lld). Nothing was saved.",
		    (long long)now->version, (long long)their_version));
	shown = *now;
	shown.access = before->access;
	shown.invited_email = before->invited_email;
	v = crew_view(r, x, &shown, now);
	vset_int(json_object_object_get(v, "form"), "version", now->version);
	cf = json_object_new_object();
	fields = json_object_new_array();
#define DIFF(label, a, b) do {						\
	if (!str_eq((a), (b))) {					\
		json_object *d = json_object_new_object();		\
		vset_str(d, "label", label);				\
		vset_str(d, "yours", (a) ? (a) : "(empty)");		\
		vset_str(d, "current", (b) ? (b) : "(empty)");		\
		json_object_array_add(fields, d);			\
	}								\
} while (0)
	DIFF("First name", mine->first_name, now->first_name);
	DIFF("Last name", mine->last_name, now->last_name);
	DIFF("Title", mine->title, now->title);
	DIFF("Role on show", mine->role_on_show, now->role_on_show);
	DIFF("Email", mine->email, now->email);
	DIFF("Phone", mine->phone, now->phone);
	DIFF("Point of contact", mine->point_of_contact ? "yes" : "no",
	    now->point_of_contact ? "yes" : "no");
	DIFF("Notes", mine->notes, now->notes);
#undef DIFF
	vset_int(cf, "your_version", their_version);
	vset_int(cf, "current_version", now->version);
	vset_obj(cf, "fields", fields);
	vset_obj(v, "conflict", cf);
	return render_page(r, 409, "collabs/crew_show", crew_name(r, now), v);
}

/* POST /events/{event}/collaborators/{c}/crew/{id} — 303 to the record
 * (200 JSON with the new ETag); 403 without crew edit (a linked person
 * may always change their own name and phone; other fields they send
 * are ignored); 404; 409 archived, stale version (both values shown) or
 * the email taken concurrently; 412 stale If-Match; 422 field errors. */
int
h_crew_update(struct req *r)
{
	struct cctx		 x;
	struct crew		 c, lk;
	struct crew_fields	 f;
	struct collab		 co;
	json_object		*ch = NULL;
	const char		*name;
	int			 st, rc, arch, full, self;

	if ((st = load_crew(r, &x, &c)) != 0)
		return st;
	full = x.crew >= LV_EDIT;
	self = c.user_id != 0 && c.user_id == r->user->id;
	if (!full && !self)
		return forbidden(r, SEC_CREW, LV_EDIT, x.crew);
	if (!x.writable)
		return archived(r);
	check_phone(r, CREW_PHONE);
	if (sent(r, CREW_FIRST_NAME) && !r->in[CREW_FIRST_NAME].present &&
	    r->nerrors == 0)
		valid_error(r, "first_name", "required",
		    "First name is required.");
	if (r->nerrors)
		return render_invalid(r, "collabs/crew_show", crew_name(r, &c),
		    crew_view(r, &x, &c, &c));

	if (db_begin() != 0 || (rc = collab_lock_event(r, x.ec.ev.id,
	    &arch)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (arch)
		return archived(r);
	if ((rc = collab_lock(r, x.ec.ev.id, x.co.id, &co)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	if ((rc = crew_lock(r, x.ec.ev.id, x.co.id, c.id, &lk)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	if (page_if_match_stale(r, lk.id, lk.version))
		return 412;
	memset(&f, 0, sizeof(f));
	f.first_name = pick(r, CREW_FIRST_NAME, lk.first_name);
	f.last_name = pick(r, CREW_LAST_NAME, lk.last_name);
	f.phone = pick(r, CREW_PHONE, lk.phone);
	if (full) {
		f.title = pick(r, CREW_TITLE, lk.title);
		f.role_on_show = pick(r, CREW_ROLE, lk.role_on_show);
		f.email = pick(r, CREW_EMAIL, lk.email);
		f.point_of_contact = sent(r, CREW_POC) ?
		    r->in[CREW_POC].present && r->in[CREW_POC].i :
		    lk.point_of_contact;
		f.notes = pick(r, CREW_NOTES, lk.notes);
	} else {
		f.title = lk.title;
		f.role_on_show = lk.role_on_show;
		f.email = lk.email;
		f.point_of_contact = lk.point_of_contact;
		f.notes = lk.notes;
	}
	if (r->in[CREW_VERSION].present && r->in[CREW_VERSION].i != lk.version)
		return crew_conflict(r, &x, &c, &lk, &f,
		    r->in[CREW_VERSION].i);
	if (str_eq(f.first_name, lk.first_name) &&
	    str_eq(f.last_name, lk.last_name) && str_eq(f.title, lk.title) &&
	    str_eq(f.role_on_show, lk.role_on_show) &&
	    str_eq(f.email, lk.email) && str_eq(f.phone, lk.phone) &&
	    f.point_of_contact == lk.point_of_contact &&
	    str_eq(f.notes, lk.notes)) {
		/* Nothing to change: no new version, no audit entry. */
		db_rollback();
		if (r->fmt == FMT_JSON) {
			json_object	*v = view_new(r);

			vset_obj(v, "crew", crew_json(r, &c));
			(void)page_etag(r, c.id, c.version);
			return render_json(r, 200, v);
		}
		flash(r, "info", "Nothing was changed.");
		return render_redirect(r, crew_url(r, &x, lk.id, ""));
	}
	if (f.email != NULL && (lk.email == NULL ||
	    ascii_casecmp(f.email, lk.email) != 0)) {
		if ((rc = crew_email_taken(r, co.id, f.email, lk.id)) < 0)
			return 503;
		if (rc) {
			db_rollback();
			valid_error(r, "email", "taken",
			    taken_email(r, f.email));
			return render_invalid(r, "collabs/crew_show",
			    crew_name(r, &c), crew_view(r, &x, &c, &c));
		}
	}
	if ((rc = crew_update(r, x.ec.ev.id, co.id, lk.id, lk.version,
	    &f)) == -2)
		return form_refused(r, 409, "collabs/crew_show",
		    crew_name(r, &c), crew_view(r, &x, &c, &c), "email",
		    taken_email(r, f.email));
	if (rc < 0)
		return 503;
	if (rc == 0)
		return crew_conflict(r, &x, &c, &lk, &f, lk.version);
	ch = change(ch, "first_name", lk.first_name, f.first_name, 0);
	ch = change(ch, "last_name", lk.last_name, f.last_name, 0);
	ch = change(ch, "title", lk.title, f.title, 0);
	ch = change(ch, "role_on_show", lk.role_on_show, f.role_on_show, 0);
	ch = change(ch, "email", lk.email, f.email, 0);
	ch = change(ch, "phone", lk.phone, f.phone, 0);
	ch = change(ch, "point_of_contact", lk.point_of_contact ? "yes" : "no",
	    f.point_of_contact ? "yes" : "no", 0);
	ch = change(ch, "notes", lk.notes, f.notes, 1);
	c.first_name = (char *)f.first_name;
	c.last_name = (char *)f.last_name;
	name = crew_name(r, &c);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "crew.updated", "crew",
	    lk.id, name, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (crew_get(r, x.ec.ev.id, co.id, lk.id, &c) != 1)
			return 503;
		vset_obj(v, "crew", crew_json(r, &c));
		(void)page_etag(r, c.id, c.version);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was saved.", name));
	return render_redirect(r, crew_url(r, &x, lk.id, ""));
}

/* POST /events/{event}/collaborators/{c}/crew/{id}/delete — 303 to the
 * crew list (204 JSON); 403 without crew admin on it; 404; 409
 * archived, stale version, or in-use (a pending invitation made from
 * the record: revoke it first). The linked user, if any, stays on the
 * event. */
int
h_crew_delete(struct req *r)
{
	struct cctx	 x;
	struct crew	 c, lk;
	struct collab	 co;
	json_object	*ch = NULL;
	const char	*name;
	int		 st, rc, arch;

	if ((st = load_crew(r, &x, &c)) != 0)
		return st;
	if (x.crew < LV_ADMIN)
		return forbidden(r, SEC_CREW, LV_ADMIN, x.crew);
	if (!x.writable)
		return archived(r);
	if (db_begin() != 0 || (rc = collab_lock_event(r, x.ec.ev.id,
	    &arch)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "unknown");
	if (arch)
		return archived(r);
	if ((rc = collab_lock(r, x.ec.ev.id, x.co.id, &co)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	/* The row's lock first, then its derived access (a plain read now
	 * sees everything committed before the lock). */
	if ((rc = crew_lock(r, x.ec.ev.id, co.id, c.id, &lk)) < 0 ||
	    (rc > 0 && (rc = crew_get(r, x.ec.ev.id, co.id, c.id, &lk)) < 0))
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	name = crew_name(r, &lk);
	if (page_if_match_stale(r, lk.id, lk.version))
		return 412;
	if (r->in[CDEL_VERSION].present && r->in[CDEL_VERSION].i != lk.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s's record was changed after you loaded it (now version "
		    "%lld, you saw %lld). Nothing was deleted.", name,
		    (long long)lk.version, (long long)r->in[CDEL_VERSION].i));
	if (lk.access == CA_INVITED)
		return page_refuse(r, 409, "in-use", arena_printf(r->a, "%s has a "
		    "pending invitation to this event (%s). Revoke it first; "
		    "nothing was deleted.", name, lk.invited_email));
	if ((rc = crew_delete(r, x.ec.ev.id, co.id, lk.id)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r, "gone");
	ch = change(ch, "first_name", lk.first_name, NULL, 0);
	ch = change(ch, "last_name", lk.last_name, NULL, 0);
	ch = change(ch, "email", lk.email, NULL, 0);
	ch = change(ch, "collaborator", co.name, NULL, 0);
	rc = audit(r, x.ec.ev.org_id, x.ec.ev.id, "crew.deleted", "crew",
	    lk.id, name, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	flash(r, "ok", arena_printf(r->a, "%s was removed from the crew.",
	    name));
	return render_redirect(r, co_url(r, &x, "/crew"));
}
