/* areas.c — the areas of an event: the flat list, creating (the creator
 * becomes the area's admin), the area page, renaming and describing,
 * and deleting an unused area after typing its name (PRODUCT §7). */
#include <stdio.h>
#include <string.h>

#include "deny.h"
#include "advsummary.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "feeds.h"
#include "events.h"
#include "model/area.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/grant.h"
#include "model/user.h"
#include "policy/perm.h"
#include "render/view.h"



static json_object *
change(struct req *r, json_object *c, const char *field, const char *old,
    const char *new)
{
	json_object	*f;

	if ((old == NULL && new == NULL) ||
	    (old != NULL && new != NULL && strcmp(old, new) == 0))
		return c;
	if (c == NULL) {
		c = json_object_new_object();
		(void)req_own_json(r, c);
	}
	f = json_object_new_object();
	vset_str(f, "old", old);
	vset_str(f, "new", new);
	json_object_object_add(c, field, f);
	return c;
}

/* Markdown bodies are noted as changed, with their lengths (§20). */
static json_object *
change_md(struct req *r, json_object *c, const char *old, const char *new)
{
	json_object	*f;

	if ((old == NULL && new == NULL) ||
	    (old != NULL && new != NULL && strcmp(old, new) == 0))
		return c;
	if (c == NULL) {
		c = json_object_new_object();
		(void)req_own_json(r, c);
	}
	f = json_object_new_object();
	vset_int(f, "old_length", old ? (long long)strlen(old) : 0);
	vset_int(f, "new_length", new ? (long long)strlen(new) : 0);
	json_object_object_add(c, "description", f);
	return c;
}

static const char *
areas_path(struct req *r, int64_t event_id)
{
	return arena_printf(r->a, "/events/%lld/areas", (long long)event_id);
}

static const char *
area_path(struct req *r, int64_t event_id, int64_t area_id)
{
	return arena_printf(r->a, "/events/%lld/areas/%lld",
	    (long long)event_id, (long long)area_id);
}

static int
event_settings(const struct event_ctx *c, enum level need)
{
	struct perm_target	 t;

	target_event(&t);
	return event_level(c, SEC_SETTINGS, &t) >= need;
}

/* The area named by {area} in this event, viewable by the actor: 0 to
 * go on, else the status sent (404 for unknown, other events' and
 * invisible areas alike). */
static int
area_gate(struct req *r, const struct event_ctx *c, struct area *a)
{
	struct perm_target	 t;
	int64_t			 id = req_pathvar_id(r, 1);
	int			 rc;

	if (id < 0)
		return render_error(r, 404, "not-found", NULL);
	if ((rc = area_load(r, c->ev.id, id, a)) < 0)
		return 503;
	if (rc == 0) {
		log_msg(LOG_INFO, "decision=deny reason=unknown area=%lld",
		    (long long)id);
		return render_error(r, 404, "not-found", NULL);
	}
	target_area(&t, a->id);
	return event_require(r, c, SEC_SETTINGS, LV_VIEW, &t);
}

/* --- the list -------------------------------------------------------------- */

static json_object *
list_view(struct req *r, const struct event_ctx *c)
{
	json_object		*v = view_new(r), *items, *form;
	struct perm_target	 t;
	struct area		*a;
	size_t			 n, i;
	int			 posted = r->method == M_POST;

	if ((a = area_list(r, c->ev.id, &n)) == NULL)
		return NULL;
	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object	*o;

		target_area(&t, a[i].id);
		if (event_level(c, SEC_SETTINGS, &t) < LV_VIEW)
			continue;
		o = area_json(r, &a[i]);
		vset_int(o, "people", a[i].people);
		vset_str(o, "people_text", arena_printf(r->a, "%lld %s",
		    (long long)a[i].people, a[i].people == 1 ? "person" :
		    "people"));
		json_object_array_add(items, o);
	}
	event_header_into(r, v, c, "areas");
	vset_obj(v, "items", items);
	vset_bool(v, "has_items", json_object_array_length(items) > 0);
	vset_bool(v, "can_create", !c->ev.archived &&
	    event_settings(c, LV_EDIT));
	vset_str(v, "action_url", areas_path(r, c->ev.id));
	form = json_object_new_object();
	vset_str(form, "name", posted ? r->in[AREA_NAME].s : NULL);
	vset_str(form, "description", posted ? r->in[AREA_DESCRIPTION].s :
	    NULL);
	vset_obj(v, "form", form);
	vset_obj(v, "colours", area_colours_json(posted ?
	    r->in[AREA_COLOUR].s : NULL));
	return v;
}

/* GET /events/{event}/areas — 200 the areas the actor may see, with the
 * people holding grants on each; 404 not on the event, or neither
 * Event settings view nor a grant on any area. */
int
h_areas(struct req *r)
{
	struct event_ctx	 c;
	json_object		*v;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	if (!event_areas_viewable(&c)) {
		log_msg(LOG_INFO, "decision=deny reason=not_viewable "
		    "perm=settings.view event=%lld", (long long)c.ev.id);
		return render_error(r, 404, "not-found", NULL);
	}
	if ((v = list_view(r, &c)) == NULL)
		return 503;
	return render_page(r, 200, "events/areas", "Areas", v);
}

static const char *
colour_in(struct req *r, const char *current)
{
	if (!r->in[AREA_COLOUR].present)
		return current;
	if (!area_colour_valid(r->in[AREA_COLOUR].s))
		valid_error(r, "colour", "invalid", "Choose a colour from the "
		    "palette.");
	return r->in[AREA_COLOUR].s;
}

static int
list_invalid(struct req *r, const struct event_ctx *c)
{
	json_object	*v = NULL;

	if (r->fmt == FMT_HTML && (v = list_view(r, c)) == NULL)
		return 503;
	return render_invalid(r, "events/areas", "Areas", v ? v :
	    view_new(r));
}

static const char *
name_taken(struct req *r)
{
	return arena_printf(r->a, "Another area of this event is already "
	    "called “%s” (names are compared ignoring case).",
	    r->in[AREA_NAME].s);
}

/* POST /events/{event}/areas — 303 to the new area (201 JSON); 403
 * settings view only; 404 not on the event or no settings view; 409
 * event-archived; 422 invalid fields or a name already used (ignoring
 * case). */
int
h_area_create(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct area		 a;
	json_object		*ch, *v;
	const char		*colour, *desc;
	int64_t			 id;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0)
		return st;
	target_event(&t);
	if ((st = event_require(r, &c, SEC_SETTINGS, LV_EDIT, &t)) != 0 ||
	    (st = event_writable(r, &c)) != 0)
		return st;
	colour = colour_in(r, "slate");
	desc = r->in[AREA_DESCRIPTION].present ? r->in[AREA_DESCRIPTION].s :
	    NULL;
	if (r->nerrors)
		return list_invalid(r, &c);

	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((id = area_insert(r, c.ev.id, r->in[AREA_NAME].s, desc,
	    colour)) < 0)
		return 503;
	if (id == 0) {
		db_rollback();
		valid_error(r, "name", "taken", name_taken(r));
		return list_invalid(r, &c);
	}
	if (grants_scope_admin(r, c.ev.id, r->user->id, DOM_AREA, id) != 0)
		return 503;
	ch = change(r, NULL, "name", NULL, r->in[AREA_NAME].s);
	ch = change(r, ch, "colour", NULL, colour);
	ch = change_md(r, ch, NULL, desc);
	if (audit(r, c.ev.org_id, c.ev.id, "area.created", "area", id,
	    r->in[AREA_NAME].s, ch) != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld area=%lld msg=\"area created\"",
	    (long long)c.ev.id, (long long)id);
	if (r->fmt == FMT_JSON) {
		if (area_load(r, c.ev.id, id, &a) != 1)
			return 503;
		v = view_new(r);
		vset_obj(v, "area", area_json(r, &a));
		resp_header(r, "Location", arena_printf(r->a, "/api/v1%s",
		    area_path(r, c.ev.id, id)));
		return render_json(r, 201, v);
	}
	flash(r, "ok", arena_printf(r->a, "Area “%s” created; you are its "
	    "admin.", r->in[AREA_NAME].s));
	return render_redirect(r, area_path(r, c.ev.id, id));
}

/* --- one area -------------------------------------------------------------- */

/* The area page; posted: the edit form shows what was sent (a refused
 * edit), else the area as it is. */
static json_object *
area_view(struct req *r, const struct event_ctx *c, const struct area *a,
    int64_t version, int posted)
{
	json_object		*v = view_new(r), *form, *people;
	struct perm_target	 t;

	target_area(&t, a->id);
	event_header_into(r, v, c, "areas");
	vset_obj(v, "area", area_json(r, a));
	vset_bool(v, "can_edit", !c->ev.archived &&
	    event_level(c, SEC_SETTINGS, &t) >= LV_EDIT);
	vset_bool(v, "can_delete", !c->ev.archived &&
	    event_settings(c, LV_ADMIN));
	vset_str(v, "action_url", area_path(r, c->ev.id, a->id));
	vset_str(v, "delete_url", arena_printf(r->a, "%s/delete",
	    area_path(r, c->ev.id, a->id)));
	vset_str(v, "areas_url", areas_path(r, c->ev.id));
	form = json_object_new_object();
	vset_str(form, "name", posted ? r->in[AREA_NAME].s : a->name);
	vset_str(form, "description", posted && r->in[AREA_DESCRIPTION].s ?
	    r->in[AREA_DESCRIPTION].s : a->description);
	vset_int(form, "version", version);
	vset_obj(v, "form", form);
	vset_obj(v, "colours", area_colours_json(posted &&
	    r->in[AREA_COLOUR].present ? r->in[AREA_COLOUR].s : a->colour));
	/* Who holds grants here is users & access information. */
	if (event_level(c, SEC_USERS, &t) >= LV_VIEW) {
		if ((people = area_people_json(r, c->ev.id, a->id)) == NULL)
			return NULL;
		vset_obj(v, "people", people);
		vset_bool(v, "show_people", 1);
	}
	return v;
}

/* GET /events/{event}/areas/{area} — 200 the area page; 404 unknown, in
 * another event, or without settings view on the area. */
int
h_area(struct req *r)
{
	struct event_ctx	 c;
	struct area		 a;
	json_object		*v;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = area_gate(r, &c, &a)) != 0)
		return st;
	if ((v = area_view(r, &c, &a, a.version, 0)) == NULL ||
	    advance_into(r, &c, v, ADVSUM_AREA, a.id) != 0)
		return 503;
	if (feeds_may_subscribe(&c, "area", a.id))
		feeds_subscribe_into(r, v, "area", a.id);
	return render_page(r, 200, "events/area", a.name, v);
}

static int
area_invalid(struct req *r, const struct event_ctx *c, const struct area *a,
    int64_t version)
{
	json_object	*v = NULL;

	if (r->fmt == FMT_HTML &&
	    (v = area_view(r, c, a, version, 1)) == NULL)
		return 503;
	return render_invalid(r, "events/area", a->name, v ? v :
	    view_new(r));
}

/* POST /events/{event}/areas/{area} — rename, describe, recolour: 303
 * back to the area (200 JSON); 403 view only (needs settings edit on the
 * event or the area); 404 unknown or not viewable; 409 event-archived,
 * or edit-conflict on a stale version (both values shown); 422 invalid
 * fields or a name already used. */
int
h_area_update(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct area		 a, now;
	json_object		*ch, *v;
	const char		*desc, *colour;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = area_gate(r, &c, &a)) != 0)
		return st;
	target_area(&t, a.id);
	if ((st = event_require(r, &c, SEC_SETTINGS, LV_EDIT, &t)) != 0 ||
	    (st = event_writable(r, &c)) != 0)
		return st;
	colour = colour_in(r, a.colour);
	if (r->nerrors)
		return area_invalid(r, &c, &a, r->in[AREA_VERSION].present ?
		    r->in[AREA_VERSION].i : a.version);

	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((st = area_lock(r, c.ev.id, a.id, &now)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	/* Absent: kept; sent empty: cleared. */
	desc = r->in[AREA_DESCRIPTION].s == NULL ? now.description :
	    r->in[AREA_DESCRIPTION].present ? r->in[AREA_DESCRIPTION].s : NULL;
	if (!r->in[AREA_COLOUR].present)
		colour = now.colour;
	if (r->in[AREA_VERSION].present &&
	    r->in[AREA_VERSION].i != now.version) {
		json_object	*conf, *fs;

		db_rollback();
		log_msg(LOG_INFO, "decision=deny reason=edit_conflict "
		    "area=%lld", (long long)a.id);
		if (r->fmt == FMT_JSON)
			return render_error(r, 409, "edit-conflict",
			    arena_printf(r->a, "The area changed after you "
			    "loaded it; nothing was saved. Name: yours “%s”, "
			    "now “%s”. Colour: yours %s, now %s. Description: "
			    "yours %zu characters, now %zu.",
			    r->in[AREA_NAME].s, now.name, colour, now.colour,
			    desc ? strlen(desc) : 0, now.description ?
			    strlen(now.description) : 0));
		v = area_view(r, &c, &now, now.version, 1);
		if (v == NULL)
			return 503;
		conf = json_object_new_object();
		fs = json_object_new_array();
		if (strcmp(r->in[AREA_NAME].s, now.name) != 0) {
			json_object	*o = json_object_new_object();

			vset_str(o, "label", "Name");
			vset_str(o, "yours", r->in[AREA_NAME].s);
			vset_str(o, "current", now.name);
			json_object_array_add(fs, o);
		}
		if (strcmp(colour, now.colour) != 0) {
			json_object	*o = json_object_new_object();

			vset_str(o, "label", "Colour");
			vset_str(o, "yours", colour);
			vset_str(o, "current", now.colour);
			json_object_array_add(fs, o);
		}
		if (strcmp(desc ? desc : "", now.description ?
		    now.description : "") != 0) {
			json_object	*o = json_object_new_object();

			vset_str(o, "label", "Description");
			vset_str(o, "yours", desc ? desc : "");
			vset_str(o, "current", now.description ?
			    now.description : "");
			json_object_array_add(fs, o);
		}
		vset_obj(conf, "fields", fs);
		vset_int(conf, "your_version", r->in[AREA_VERSION].i);
		vset_int(conf, "current_version", now.version);
		vset_obj(v, "conflict", conf);
		return render_page(r, 409, "events/area", now.name, v);
	}
	ch = change(r, NULL, "name", now.name, r->in[AREA_NAME].s);
	ch = change(r, ch, "colour", now.colour, colour);
	ch = change_md(r, ch, now.description, desc);
	if (ch == NULL) {
		db_rollback();
		if (r->fmt == FMT_JSON) {
			v = view_new(r);
			vset_obj(v, "area", area_json(r, &now));
			vset_bool(v, "changed", 0);
			return render_json(r, 200, v);
		}
		flash(r, "info", "Nothing changed.");
		return render_redirect(r, area_path(r, c.ev.id, a.id));
	}
	switch (area_update(r, c.ev.id, a.id, now.version, r->in[AREA_NAME].s,
	    desc, colour)) {
	case 1:
		break;
	case 2:
		db_rollback();
		valid_error(r, "name", "taken", name_taken(r));
		return area_invalid(r, &c, &now, now.version);
	case 0:
		return page_refuse(r, 409, "edit-conflict", "The area changed while "
		    "saving; reload and try again.");
	default:
		return 503;
	}
	if (audit(r, c.ev.org_id, c.ev.id, "area.updated", "area", a.id,
	    r->in[AREA_NAME].s, ch) != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		now.name = (char *)r->in[AREA_NAME].s;
		now.description = (char *)desc;
		now.colour = (char *)colour;
		now.version++;
		v = view_new(r);
		vset_obj(v, "area", area_json(r, &now));
		vset_bool(v, "changed", 1);
		return render_json(r, 200, v);
	}
	flash(r, "ok", "Saved.");
	return render_redirect(r, area_path(r, c.ev.id, a.id));
}

/* POST /events/{event}/areas/{area}/delete — with confirm_name equal to
 * the area's name: 303 to the areas list (200 JSON); 403 without Event
 * settings admin; 404 unknown or not viewable; 409 event-archived, or
 * in-use while something is tagged with or scoped to the area; 422 the
 * typed name does not match. */
int
h_area_delete(struct req *r)
{
	struct event_ctx	 c;
	struct area		 a, now;
	struct area_use		 use;
	json_object		*ch, *v;
	const char		*why;
	int64_t			 grants;
	int			 st;

	if ((st = event_gate(r, &c, 0)) != 0 ||
	    (st = area_gate(r, &c, &a)) != 0)
		return st;
	if (!event_settings(&c, LV_ADMIN)) {
		log_msg(LOG_INFO, "decision=deny reason=missing_permission "
		    "perm=settings.admin event=%lld", (long long)c.ev.id);
		return render_error(r, 403, "insufficient-permission",
		    "Deleting an area needs admin access to settings for the "
		    "whole event.");
	}
	if ((st = event_writable(r, &c)) != 0)
		return st;
	if (!r->in[AREADEL_CONFIRM].present ||
	    strcmp(r->in[AREADEL_CONFIRM].s, a.name) != 0) {
		valid_error(r, "confirm_name", "mismatch", arena_printf(r->a,
		    "Type the area's name, “%s”, exactly to delete it.",
		    a.name));
		v = NULL;
		if (r->fmt == FMT_HTML &&
		    (v = area_view(r, &c, &a, a.version, 0)) == NULL)
			return 503;
		return render_invalid(r, "events/area", a.name, v ? v :
		    view_new(r));
	}

	if (db_begin() != 0 || (st = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((st = area_lock(r, c.ev.id, a.id, &now)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (area_in_use(r, c.ev.id, a.id, &use) != 0)
		return 503;
	if ((why = area_use_text(r, &use)) != NULL)
		return page_refuse(r, 409, "in-use", arena_printf(r->a, "“%s” can't "
		    "be deleted while %s. Remove those first.", now.name,
		    why));
	if ((st = area_delete(r, c.ev.id, a.id, &grants)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	ch = change(r, NULL, "name", now.name, NULL);
	json_object_object_add(ch, "grants_removed",
	    json_object_new_int64(grants));
	if (audit(r, c.ev.org_id, c.ev.id, "area.deleted", "area", a.id,
	    now.name, ch) != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld area=%lld grants=%lld "
	    "msg=\"area deleted\"", (long long)c.ev.id, (long long)a.id,
	    (long long)grants);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_bool(v, "deleted", 1);
		vset_int(v, "id", a.id);
		vset_int(v, "grants_removed", grants);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "Area “%s” deleted.", now.name));
	return render_redirect(r, areas_path(r, c.ev.id));
}
