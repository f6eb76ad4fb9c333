/* advmap.c — the advancing side of tasks and reminders:
 *
 *  - the event's advance task mapping (PRODUCT §13.9): which task
 *    status each advancing state (not started, needs review, done,
 *    archived) takes; tasks view to see it, Event tasks admin to change
 *    it. A change moves every generated task to the new status of its
 *    state in the same transaction;
 *  - turning task tracking of an advance module on or off (advancing
 *    admin covering the advance), which builds, reuses or archives the
 *    module's task tree (model/advtrack.c);
 *  - the event's reminder days (§13.11), a card of the event settings
 *    page changed by Event settings admins; `backopsd jobs` sends them.
 *
 * Writes run in one transaction: the event's shared lock first (an
 * archive waits for us), then the row written FOR UPDATE, then the
 * checks, the change and its audit entry. The mapping and the reminder
 * days are versioned with their rows (the mapping's own version, the
 * event's version); forms send it hidden (stale: 409 showing both
 * values), JSON may send If-Match "<event>-v<version>" (stale: 412). */
#include <stdio.h>
#include <string.h>

#include "deny.h"
#include "advances.h"
#include "advmap.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "etag.h"
#include "eventctx.h"
#include "events.h"
#include "model/advance.h"
#include "model/advtrack.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/reminder.h"
#include "model/taskconf.h"
#include "render/view.h"

/* Parallel to enum advtrack_state. */
static const int map_field[ATS__MAX] = { ADVMAP_NOT_STARTED,
    ADVMAP_NEEDS_REVIEW, ADVMAP_DONE, ADVMAP_ARCHIVED };
static const char *const map_hint[ATS__MAX] = {
	"Questions nobody has answered yet; request blocks without items; "
	"modules and advances where nothing has started.",
	"Answers and line items waiting for a review or for a required "
	"approval; modules and advances partly done.",
	"Reviewed answers; reviewed line items whose approvals are decided; "
	"modules and advances where everything is.",
	"Modules no longer tracked, retired blocks, removed line items, "
	"modules and advances.",
};

/* --- small helpers ------------------------------------------------------- */


static int
archived(struct req *r)
{
	return page_refuse(r, 409, "event-archived", "This event is archived: "
	    "restore it before changing anything.");
}

static const char *
ev_url(struct req *r, int64_t ev, const char *rest)
{
	return arena_printf(r->a, "/events/%lld%s", (long long)ev, rest);
}

static enum level
event_wide(const struct event_ctx *c, enum section s)
{
	struct perm_target	 t;

	target_event(&t);
	return event_level(c, s, &t);
}

/* --- the mapping --------------------------------------------------------- */

static const struct task_status *
status_in(const struct task_status *st, long n, int64_t id)
{
	return taskstatus_find(st, n, id);
}

static json_object *
status_ref(const struct task_status *s)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", s->id);
	vset_str(o, "name", s->name);
	vset_str(o, "colour", s->colour);
	vset_str(o, "state", task_state_name(s->state));
	return o;
}

static json_object *
mapping_json(const int64_t *ids, int64_t version,
    const struct task_status *st, long nst)
{
	json_object	*o = json_object_new_object();
	const struct task_status *s;
	int		 i;

	for (i = 0; i < ATS__MAX; i++) {
		s = status_in(st, nst, ids[i]);
		vset_obj(o, advtrack_state_name(i), s ? status_ref(s) : NULL);
	}
	vset_int(o, "version", version);
	return o;
}

static const char *
status_name(const struct task_status *st, long nst, int64_t id)
{
	const struct task_status *s = status_in(st, nst, id);

	return s ? s->name : "(none)";
}

/* The page: the stored mapping, and a form holding chosen (what the
 * user sent, or the mapping) at form_version. */
static json_object *
map_view(struct req *r, const struct event_ctx *c,
    const struct task_status *st, long nst, const struct advtrack_map *cur,
    const int64_t *chosen, int64_t form_version, int64_t ntasks)
{
	json_object	*v = view_new(r), *rows, *row, *opts, *o, *form;
	size_t		 k;
	long		 j;
	int		 i;

	event_header_into(r, v, c, "advancing");
	vset_obj(v, "subnav", adv_subnav_json(r, c, "task-mapping"));
	vset_obj(v, "mapping", mapping_json(cur->status, cur->version, st,
	    nst));
	rows = json_object_new_array();
	for (i = 0; i < ATS__MAX; i++) {
		const char	*key = advtrack_state_name(i);

		row = json_object_new_object();
		vset_str(row, "key", key);
		vset_str(row, "label", advtrack_state_label(i));
		vset_str(row, "state_label", task_state_label(
		    advtrack_state_task_state(i)));
		vset_str(row, "hint", map_hint[i]);
		vset_str(row, "current", status_name(st, nst,
		    cur->status[i]));
		opts = json_object_new_array();
		for (j = 0; j < nst; j++) {
			if ((int)st[j].state != advtrack_state_task_state(i))
				continue;
			o = json_object_new_object();
			vset_int(o, "id", st[j].id);
			vset_str(o, "name", st[j].name);
			vset_bool(o, "selected", st[j].id == chosen[i]);
			json_object_array_add(opts, o);
		}
		vset_obj(row, "options", opts);
		for (k = 0; k < r->nerrors; k++)
			if (r->errors[k].field != NULL &&
			    strcmp(r->errors[k].field, key) == 0)
				vset_str(row, "error", r->errors[k].message);
		json_object_array_add(rows, row);
	}
	vset_obj(v, "rows", rows);
	form = json_object_new_object();
	vset_int(form, "version", form_version);
	vset_obj(v, "form", form);
	vset_bool(v, "can_edit", !c->ev.archived &&
	    event_wide(c, SEC_TASKS) >= LV_ADMIN);
	vset_int(v, "generated_tasks", ntasks);
	vset_str(v, "generated_text", ntasks <= 0 ? "No task of this event "
	    "comes from advancing yet." : ntasks == 1 ? "1 task of this event "
	    "comes from advancing; saving moves it to the new status of its "
	    "state." : arena_printf(r->a, "%lld tasks of this event come from "
	    "advancing; saving moves each to the new status of its state.",
	    (long long)ntasks));
	vset_str(v, "action_url", ev_url(r, c->ev.id,
	    "/advance-task-mapping"));
	vset_str(v, "tasks_url", ev_url(r, c->ev.id, "/tasks"));
	vset_str(v, "statuses_url", ev_url(r, c->ev.id, "/tasks/settings"));
	return v;
}

/* GET /events/{event}/advance-task-mapping — 200 the mapping (seeded on
 * first use; a form with Event tasks admin on an active event); 404 not
 * on the event or without Event tasks view. */
int
h_advmap(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct advtrack_map	 m;
	struct task_status	*st;
	long			 nst;
	int64_t			 n;
	int			 rc;

	if ((rc = event_gate(r, &c, 0)) != 0)
		return rc;
	target_event(&t);
	if ((rc = event_require(r, &c, SEC_TASKS, LV_VIEW, &t)) != 0)
		return rc;
	if (advtrack_map_get(r, c.ev.id, 0, &m) != 1 ||
	    ((st = taskstatus_list(r, c.ev.id, &nst)) == NULL && nst < 0) ||
	    (n = advtrack_task_count(r, c.ev.id)) < 0)
		return 503;
	if (page_etag(r, c.ev.id, m.version))
		return 304;
	return render_page(r, 200, "advmap/mapping", "Advance task mapping",
	    map_view(r, &c, st, nst, &m, m.status, m.version, n));
}

static int
map_invalid(struct req *r, const struct event_ctx *c,
    const struct task_status *st, long nst, const struct advtrack_map *cur,
    const int64_t *chosen)
{
	if (db_in_txn())
		db_rollback();
	return render_invalid(r, "advmap/mapping", "Advance task mapping",
	    map_view(r, c, st, nst, cur, chosen, r->in[ADVMAP_VERSION].present ?
	    r->in[ADVMAP_VERSION].i : cur->version,
	    advtrack_task_count(r, c->ev.id)));
}

/* The 409 of a stale form: both values of every state that differs;
 * the form keeps the user's choice at the current version, so saving
 * again overwrites knowingly. */
static int
map_conflict(struct req *r, const struct event_ctx *c,
    const struct task_status *st, long nst, const struct advtrack_map *cur,
    const int64_t *chosen, int64_t theirs)
{
	json_object	*v, *conf, *fields, *o;
	int		 i;

	db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
	if (r->fmt == FMT_JSON)
		return render_error(r, 409, "edit-conflict", arena_printf(r->a,
		    "The mapping was changed by someone else meanwhile (now "
		    "version %lld, you sent %lld). Nothing was saved.",
		    (long long)cur->version, (long long)theirs));
	v = map_view(r, c, st, nst, cur, chosen, cur->version,
	    advtrack_task_count(r, c->ev.id));
	conf = json_object_new_object();
	fields = json_object_new_array();
	for (i = 0; i < ATS__MAX; i++) {
		if (chosen[i] == cur->status[i])
			continue;
		o = json_object_new_object();
		vset_str(o, "label", advtrack_state_label(i));
		vset_str(o, "yours", status_name(st, nst, chosen[i]));
		vset_str(o, "current", status_name(st, nst, cur->status[i]));
		json_object_array_add(fields, o);
	}
	vset_obj(conf, "fields", fields);
	vset_int(conf, "your_version", theirs);
	vset_int(conf, "current_version", cur->version);
	vset_obj(v, "conflict", conf);
	return render_page(r, 409, "advmap/mapping", "Advance task mapping",
	    v);
}

static int
map_written(struct req *r, const struct event_ctx *c,
    const struct task_status *st, long nst, const int64_t *ids,
    int64_t version, int64_t moved, const char *msg)
{
	json_object	*v;

	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_obj(v, "mapping", mapping_json(ids, version, st, nst));
		vset_int(v, "tasks_moved", moved);
		(void)page_etag(r, c->ev.id, version);
		return render_json(r, 200, v);
	}
	flash(r, "ok", msg);
	return render_redirect(r, ev_url(r, c->ev.id,
	    "/advance-task-mapping"));
}

/* POST /events/{event}/advance-task-mapping — 303 back (200 JSON with
 * the new ETag); fields left out keep their status. 403 without Event
 * tasks admin; 404 not on the event or no tasks view; 409 archived or a
 * stale version (both values shown); 412 stale If-Match; 422 a status
 * of another state or not of this event, naming the field. */
int
h_advmap_update(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct advtrack_map	 cur, next;
	struct task_status	*st;
	const struct task_status *s;
	json_object		*ch, *o;
	long			 nst;
	int64_t			 moved;
	int			 i, rc, same = 1;

	if ((rc = event_gate(r, &c, 0)) != 0)
		return rc;
	target_event(&t);
	if ((rc = event_require(r, &c, SEC_TASKS, LV_ADMIN, &t)) != 0 ||
	    (rc = event_writable(r, &c)) != 0)
		return rc;
	if (db_begin() != 0 || (rc = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (rc == 0)
		return archived(r);
	if (advtrack_map_get(r, c.ev.id, 1, &cur) != 1 ||
	    ((st = taskstatus_list(r, c.ev.id, &nst)) == NULL && nst < 0))
		return 503;
	if (page_if_match_stale(r, c.ev.id, cur.version))
		return 412;
	next = cur;
	for (i = 0; i < ATS__MAX; i++) {
		const struct input *in = &r->in[map_field[i]];

		if (!in->present)
			continue;
		next.status[i] = in->i;
		s = status_in(st, nst, in->i);
		if (s == NULL)
			valid_error(r, advtrack_state_name(i), "invalid",
			    arena_printf(r->a, "%s must be one of this event's "
			    "task statuses.", advtrack_state_label(i)));
		else if ((int)s->state != advtrack_state_task_state(i))
			valid_error(r, advtrack_state_name(i), "wrong-state",
			    arena_printf(r->a, "%s must be a status of the %s "
			    "state; “%s” is %s.", advtrack_state_label(i),
			    task_state_label(advtrack_state_task_state(i)),
			    s->name, task_state_label(s->state)));
		same &= next.status[i] == cur.status[i];
	}
	if (r->nerrors)
		return map_invalid(r, &c, st, nst, &cur, next.status);
	if (r->in[ADVMAP_VERSION].present &&
	    r->in[ADVMAP_VERSION].i != cur.version)
		return map_conflict(r, &c, st, nst, &cur, next.status,
		    r->in[ADVMAP_VERSION].i);
	if (same) {
		/* Nothing to change: no new version, no audit entry. */
		db_rollback();
		return map_written(r, &c, st, nst, cur.status, cur.version, 0,
		    "Nothing was changed.");
	}
	if ((rc = advtrack_map_update(r, c.ev.id, cur.version, &next,
	    &moved)) < 0)
		return 503;
	if (rc == 0)
		return map_conflict(r, &c, st, nst, &cur, next.status,
		    cur.version);
	ch = json_object_new_object();
	for (i = 0; i < ATS__MAX; i++) {
		if (next.status[i] == cur.status[i])
			continue;
		o = json_object_new_object();
		vset_str(o, "old", status_name(st, nst, cur.status[i]));
		vset_str(o, "new", status_name(st, nst, next.status[i]));
		json_object_object_add(ch, advtrack_state_name(i), o);
	}
	vset_int(ch, "tasks_moved", moved);
	rc = audit(r, c.ev.org_id, c.ev.id, "advance_task_map.updated",
	    "advance_task_map", c.ev.id, "Advance task mapping", ch);
	json_object_put(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	return map_written(r, &c, st, nst, next.status, cur.version + 1, moved,
	    moved ? arena_printf(r->a, "The mapping was saved; %lld "
	    "generated task%s moved to the new status.", (long long)moved,
	    moved == 1 ? "" : "s") : "The mapping was saved.");
}

/* --- turning tracking on and off ----------------------------------------- */

/* POST /events/{event}/advances/{adv}/modules/{m}/tracking — tracked=1
 * builds what is missing of the module's task tree (reusing earlier
 * tasks) and recalculates it, tracked=0 archives it; sending the value
 * it already has recalculates. 303 to the advance settings (200 JSON:
 * the module and what changed, with its ETag). 403 without advancing
 * admin covering the advance; 404 an advance or module not visible or
 * not here; 409 archived or a stale version; 412 stale If-Match; 422
 * no tracked value. */
int
h_advtrack_toggle(struct req *r)
{
	struct event_ctx	 c;
	struct advance		 a;
	struct advmod		 m, lk;
	struct advtrack_stats	 stats;
	json_object		*ch, *o, *v;
	int64_t			 aid = req_pathvar_id(r, 1);
	int64_t			 mid = req_pathvar_id(r, 2);
	int			 rc, want;

	if ((rc = event_gate(r, &c, 0)) != 0)
		return rc;
	if (aid <= 0 || mid <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((rc = advance_get(r, c.ev.id, aid, &a)) < 0)
		return 503;
	if (rc == 0 || adv_level(&c, &a) < LV_VIEW)
		return page_refuse(r, 404, "not-found", NULL);
	if ((rc = advmod_get(r, c.ev.id, aid, mid, &m)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (adv_level(&c, &a) < LV_ADMIN)
		return page_refuse(r, 403, "insufficient-permission", "Turning task "
		    "tracking on or off needs admin access to advancing for "
		    "this advance.");
	if ((rc = event_writable(r, &c)) != 0)
		return rc;
	if (r->nerrors) {
		if (r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, view_new(r));
		return render_error(r, 422, "invalid-input",
		    r->errors[0].message);
	}
	want = r->in[ADVTRACK_TRACKED].i != 0;
	if (db_begin() != 0 || (rc = event_lock_shared(r, c.ev.id)) < 0)
		return 503;
	if (rc == 0)
		return archived(r);
	/* The module row, then (in the sync) its advance: the order of the
	 * answer and item writes, which lock their module first. */
	if ((rc = advmod_lock(r, c.ev.id, mid, &lk)) < 0)
		return 503;
	if (rc == 0 || lk.advance_id != aid)
		return page_refuse(r, 404, "not-found", NULL);
	if (page_if_match_stale(r, lk.id, lk.version))
		return 412;
	if (r->in[ADVTRACK_VERSION].present &&
	    r->in[ADVTRACK_VERSION].i != lk.version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s was changed by someone else meanwhile: task tracking "
		    "is now %s (version %lld, you saw %lld). Nothing was "
		    "saved.", lk.label, lk.tracked ? "on" : "off",
		    (long long)lk.version,
		    (long long)r->in[ADVTRACK_VERSION].i));
	if (want != lk.tracked) {
		if ((rc = advtrack_set_tracked(r, c.ev.id, mid, lk.version,
		    want)) < 0)
			return 503;
		if (rc == 0)
			return page_refuse(r, 409, "edit-conflict", "The module "
			    "changed meanwhile; nothing was saved.");
	}
	memset(&stats, 0, sizeof(stats));
	if (advtrack_sync_advance(r, c.ev.id, aid, &stats) != 0)
		return 503;
	ch = json_object_new_object();
	if (want != lk.tracked) {
		o = json_object_new_object();
		vset_bool(o, "old", lk.tracked);
		vset_bool(o, "new", want);
		json_object_object_add(ch, "tracked", o);
	}
	vset_int(ch, "advance_id", aid);
	vset_int(ch, "tasks_created", stats.created);
	vset_int(ch, "tasks_moved", stats.changed);
	rc = audit(r, c.ev.org_id, c.ev.id, want ? "advance_module.tracked" :
	    "advance_module.untracked", "advance_module", mid, lk.label, ch);
	json_object_put(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		if (advmod_get(r, c.ev.id, aid, mid, &m) != 1)
			return 503;
		v = view_new(r);
		vset_obj(v, "module", advmod_json(&m));
		o = json_object_new_object();
		vset_int(o, "created", stats.created);
		vset_int(o, "moved", stats.changed);
		vset_obj(v, "tasks", o);
		(void)page_etag(r, m.id, m.version);
		return render_json(r, 200, v);
	}
	if (!want)
		flash(r, "ok", arena_printf(r->a, "Task tracking of %s is off; "
		    "its tasks are archived.", lk.label));
	else if (stats.created > 0)
		flash(r, "ok", arena_printf(r->a, "Task tracking of %s is on; "
		    "%lld task%s added.", lk.label, (long long)stats.created,
		    stats.created == 1 ? "" : "s"));
	else
		flash(r, "ok", arena_printf(r->a, "Task tracking of %s is on; "
		    "its tasks are up to date.", lk.label));
	return render_redirect(r, arena_printf(r->a,
	    "/events/%lld/advances/%lld/settings", (long long)c.ev.id,
	    (long long)aid));
}

/* --- reminder days ------------------------------------------------------- */

static json_object *
reminders_json(struct req *r, const struct event_ctx *c,
    const struct reminder_offsets *o, const char *value, int64_t version)
{
	json_object	*j = json_object_new_object(), *a;
	int		 i;

	a = json_object_new_array();
	for (i = 0; i < o->n; i++)
		json_object_array_add(a, json_object_new_int(o->days[i]));
	vset_obj(j, "offsets", a);
	vset_str(j, "value", value);
	vset_str(j, "text", reminder_offsets_text(r, o));
	vset_bool(j, "can_edit", !c->ev.archived &&
	    event_wide(c, SEC_SETTINGS) >= LV_ADMIN);
	vset_str(j, "action_url", ev_url(r, c->ev.id, "/settings/reminders"));
	vset_int(j, "version", version);
	return j;
}

/* "7,1,-1" → "7, 1, -1" for the form. */
static const char *
spaced(struct req *r, const struct reminder_offsets *o)
{
	const char	*s = "";
	int		 i;

	for (i = 0; i < o->n; i++)
		s = arena_printf(r->a, "%s%s%d", s, i ? ", " : "", o->days[i]);
	return s;
}

void
advmap_reminders_into(struct req *r, json_object *v,
    const struct event_ctx *c)
{
	struct reminder_offsets	 o;
	char			*stored = NULL;

	if (reminder_offsets_get(r, c->ev.id, &stored) != 1 ||
	    reminder_offsets_parse(r, stored, &o) != NULL)
		memset(&o, 0, sizeof(o));
	vset_obj(v, "reminders", reminders_json(r, c, &o, spaced(r, &o),
	    c->ev.version));
}

/* The reminder card alone, for a refused change (422 with the typed
 * value, 409 with both values). */
static int
remind_page(struct req *r, int status, const struct event_ctx *c,
    const char *typed, int64_t version, json_object *conflict)
{
	struct reminder_offsets	 o;
	char			*stored = NULL;
	json_object		*v = view_new(r);

	if (db_in_txn())
		db_rollback();
	if (reminder_offsets_get(r, c->ev.id, &stored) != 1 ||
	    reminder_offsets_parse(r, stored, &o) != NULL)
		memset(&o, 0, sizeof(o));
	event_header_into(r, v, c, "settings");
	vset_obj(v, "reminders", reminders_json(r, c, &o, typed, version));
	vset_str(v, "settings_url", ev_url(r, c->ev.id, "/settings"));
	if (conflict != NULL)
		vset_obj(v, "conflict", conflict);
	if (status == 422)
		return render_invalid(r, "advmap/reminders", "Reminders", v);
	return render_page(r, status, "advmap/reminders", "Reminders", v);
}

/* The offsets as sent: the form's one text, or a JSON array's values,
 * joined with commas. */
static const char *
offsets_sent(struct req *r)
{
	const struct input *in = &r->in[REMIND_OFFSETS];
	const char	*s = "";
	size_t		 i;

	for (i = 0; i < in->nmulti; i++)
		s = arena_printf(r->a, "%s%s%s", s, i ? "," : "",
		    in->multi[i]);
	return s;
}

/* POST /events/{event}/settings/reminders — 303 to the settings (200
 * JSON: the reminder days); reminder_offsets "7, 1, -1" (days before
 * the due date; 0 on it; negative after it), empty for none. 403
 * without Event settings admin; 404 not on the event or no settings
 * view; 409 archived or a stale version (both values shown); 412 stale
 * If-Match; 422 missing, not whole days, out of −60…60, repeated or
 * more than five. */
int
h_reminders_update(struct req *r)
{
	struct event_ctx	 c;
	struct perm_target	 t;
	struct reminder_offsets	 o, was;
	struct event_row	 row;
	const char		*typed, *msg, *canon, *old;
	char			*stored = NULL;
	json_object		*ch, *v;
	int			 rc;

	if ((rc = event_gate(r, &c, 0)) != 0)
		return rc;
	target_event(&t);
	if ((rc = event_require(r, &c, SEC_SETTINGS, LV_ADMIN, &t)) != 0 ||
	    (rc = event_writable(r, &c)) != 0)
		return rc;
	typed = offsets_sent(r);
	if (!r->in[REMIND_OFFSETS].given && r->nerrors == 0)
		valid_error(r, "reminder_offsets", "required", "Reminder days "
		    "are required: leave the field empty for no reminders.");
	else if (r->nerrors == 0 &&
	    (msg = reminder_offsets_parse(r, typed, &o)) != NULL)
		valid_error(r, "reminder_offsets", "invalid", msg);
	if (r->nerrors)
		return remind_page(r, 422, &c, typed,
		    r->in[REMIND_VERSION].present ? r->in[REMIND_VERSION].i :
		    c.ev.version, NULL);
	canon = reminder_offsets_format(r, &o);

	if (db_begin() != 0)
		return 503;
	if ((rc = event_lock(r, c.ev.org_id, c.ev.id, &row)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if (row.archived)
		return archived(r);
	if (page_if_match_stale(r, c.ev.id, row.version))
		return 412;
	if (reminder_offsets_get(r, c.ev.id, &stored) != 1)
		return 503;
	if (reminder_offsets_parse(r, stored, &was) != NULL)
		memset(&was, 0, sizeof(was));
	old = reminder_offsets_format(r, &was);
	if (r->in[REMIND_VERSION].present &&
	    r->in[REMIND_VERSION].i != row.version) {
		json_object	*conf = json_object_new_object(), *fs, *f;

		if (r->fmt == FMT_JSON) {
			json_object_put(conf);
			return page_refuse(r, 409, "edit-conflict", arena_printf(
			    r->a, "The event changed after you loaded it (now "
			    "version %lld); reminder days are now “%s”. "
			    "Nothing was saved.", (long long)row.version,
			    spaced(r, &was)));
		}
		fs = json_object_new_array();
		f = json_object_new_object();
		vset_str(f, "label", "Reminder days");
		vset_str(f, "yours", spaced(r, &o));
		vset_str(f, "current", spaced(r, &was));
		json_object_array_add(fs, f);
		vset_obj(conf, "fields", fs);
		vset_int(conf, "your_version", r->in[REMIND_VERSION].i);
		vset_int(conf, "current_version", row.version);
		log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
		return remind_page(r, 409, &c, typed, row.version, conf);
	}
	if (strcmp(old, canon) != 0) {
		if ((rc = reminder_offsets_set(r, c.ev.id, row.version,
		    canon)) < 0)
			return 503;
		if (rc == 0)
			return page_refuse(r, 409, "edit-conflict", "The event "
			    "changed meanwhile; nothing was saved.");
		ch = json_object_new_object();
		v = json_object_new_object();
		vset_str(v, "old", old);
		vset_str(v, "new", canon);
		json_object_object_add(ch, "reminder_offsets", v);
		rc = audit(r, c.ev.org_id, c.ev.id, "event.reminders_updated",
		    "event", c.ev.id, c.ev.name, ch);
		json_object_put(ch);
		if (rc != 0 || db_commit() != 0)
			return 503;
		row.version++;
	} else
		db_rollback();
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		c.ev.version = row.version;
		vset_obj(v, "reminders", reminders_json(r, &c, &o, spaced(r,
		    &o), row.version));
		vset_bool(v, "changed", strcmp(old, canon) != 0);
		(void)page_etag(r, c.ev.id, row.version);
		return render_json(r, 200, v);
	}
	flash(r, strcmp(old, canon) != 0 ? "ok" : "info",
	    strcmp(old, canon) != 0 ? arena_printf(r->a, "Reminder days "
	    "saved: %s", reminder_offsets_text(r, &o)) : "Nothing changed.");
	return render_redirect(r, ev_url(r, c.ev.id, "/settings"));
}
