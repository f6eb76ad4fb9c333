/* taskconf.c — an event's task statuses and phases (PRODUCT §9): the
 * settings page, create, edit, delete. Changing them needs tasks admin
 * over the whole event; anyone who may open the tasks sees them.
 *
 * Rules: a status name is unique per event ignoring case; each of the
 * five states keeps at least one status; deleting a used status moves
 * its tasks to a replacement in the same transaction. Deleting a phase
 * clears it from its tasks after a confirmation naming the count. */
#include <stdio.h>
#include <string.h>

#include "deny.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "model/advtrack.h"
#include "model/area.h"
#include "model/audit.h"
#include "model/taskconf.h"
#include "policy/tz.h"
#include "render/view.h"
#include "tasks.h"
#include "tasksupport.h"

static int
conf_admin(const struct tctx *tc)
{
	struct perm_target	 t;

	target_event(&t);
	return perm_level(&tc->c.actor, SEC_TASKS, &t) >= LV_ADMIN;
}

static json_object *
settings_view(struct req *r, const struct tctx *tc)
{
	json_object	*v = tasks_base_view(r, tc), *sts, *phs, *states;
	long		 i, per[TS__MAX] = { 0 };
	int		 k;
	long long	 ev = (long long)tc->c.ev.id;

	for (i = 0; i < tc->nst; i++)
		per[tc->st[i].state]++;
	sts = json_object_new_array();
	for (i = 0; i < tc->nst; i++) {
		const struct task_status *s = &tc->st[i];
		json_object	*o = json_object_new_object(), *repl;
		long		 j;

		vset_int(o, "id", s->id);
		vset_str(o, "name", s->name);
		vset_str(o, "colour", s->colour);
		vset_obj(o, "colours", area_colours_json(s->colour));
		vset_str(o, "state", task_state_name(s->state));
		vset_str(o, "state_label", task_state_label(s->state));
		vset_int(o, "position", s->position);
		vset_int(o, "tasks", s->ntasks);
		vset_bool(o, "last_of_state", per[s->state] <= 1);
		vset_str(o, "url", arena_printf(r->a,
		    "/events/%lld/task-statuses/%lld", ev, (long long)s->id));
		repl = json_object_new_array();
		for (j = 0; j < tc->nst; j++) {
			json_object	*p;

			if (tc->st[j].id == s->id)
				continue;
			p = json_object_new_object();
			vset_int(p, "id", tc->st[j].id);
			vset_str(p, "name", tc->st[j].name);
			vset_str(p, "state_label",
			    task_state_label(tc->st[j].state));
			json_object_array_add(repl, p);
		}
		vset_obj(o, "replacements", repl);
		json_object_array_add(sts, o);
	}
	vset_obj(v, "statuses", sts);
	phs = json_object_new_array();
	for (i = 0; i < tc->nph; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", tc->ph[i].id);
		vset_str(o, "name", tc->ph[i].name);
		vset_str(o, "start_date", tc->ph[i].start_date);
		vset_str(o, "end_date", tc->ph[i].end_date);
		vset_int(o, "position", tc->ph[i].position);
		vset_int(o, "tasks", tc->ph[i].ntasks);
		vset_str(o, "url", arena_printf(r->a,
		    "/events/%lld/phases/%lld", ev, (long long)tc->ph[i].id));
		json_object_array_add(phs, o);
	}
	vset_obj(v, "phases", phs);
	states = json_object_new_array();
	for (k = 0; k < TS__MAX; k++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", task_state_name((enum task_state)k));
		vset_str(o, "label", task_state_label((enum task_state)k));
		json_object_array_add(states, o);
	}
	vset_obj(v, "states", states);
	vset_obj(v, "colours", area_colours_json("slate"));
	vset_bool(v, "can_admin", conf_admin(tc) && !tc->c.ev.archived);
	vset_str(v, "status_create_url", arena_printf(r->a,
	    "/events/%lld/task-statuses", ev));
	vset_str(v, "phase_create_url", arena_printf(r->a,
	    "/events/%lld/phases", ev));
	return v;
}

/* GET /events/{event}/tasks/settings — 200 statuses and phases (forms
 * for tasks admins); 404 not on the event. */
int
h_task_settings(struct req *r)
{
	struct tctx	 tc;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	return render_page(r, 200, "tasks/settings", "Statuses and phases",
	    settings_view(r, &tc));
}

/* Gate of every write here: 0, or the status sent. */
static int
conf_gate(struct req *r, struct tctx *tc)
{
	int	 st;

	if ((st = tctx_load(r, tc, 0)) != 0)
		return st;
	if (!conf_admin(tc))
		return page_refuse(r, 403, "insufficient-permission", "Changing "
		    "statuses and phases needs admin access to tasks for the "
		    "whole event.");
	return event_writable(r, &tc->c);
}

static int
conf_invalid(struct req *r, const struct tctx *tc)
{
	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	return render_invalid(r, "tasks/settings", "Statuses and phases",
	    settings_view(r, tc));
}

static int
conf_done(struct req *r, const struct tctx *tc, int status, const char *msg,
    int64_t id)
{
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		if (id)
			vset_int(v, "id", id);
		vset_str(v, "message", msg);
		return render_json(r, status, v);
	}
	flash(r, "ok", msg);
	return render_redirect(r, arena_printf(r->a,
	    "/events/%lld/tasks/settings", (long long)tc->c.ev.id));
}

static int
lock(struct req *r, const struct tctx *tc)
{
	int	 st;

	if (db_begin() != 0 || (st = taskconf_lock_event(r, tc->c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	return 0;
}

static const char *
colour_in(struct req *r, const char *dflt)
{
	const char	*c = r->in[TST_COLOUR].present &&
	    *r->in[TST_COLOUR].s ? r->in[TST_COLOUR].s : dflt;

	if (!area_colour_valid(c))
		valid_error(r, "colour", "invalid", "Colour must be one of the "
		    "palette's colours.");
	return c;
}

static int
name_taken(const struct tctx *tc, const char *name, int64_t except)
{
	long	 i;

	for (i = 0; i < tc->nst; i++)
		if (tc->st[i].id != except &&
		    strcasecmp(tc->st[i].name, name) == 0)
			return 1;
	return 0;
}

/* POST /events/{event}/task-statuses — 303 to the settings (201 JSON);
 * 403 not tasks admin; 409 archived; 422 bad or duplicate name, colour
 * or state. */
int
h_tstatus_create(struct req *r)
{
	struct tctx	 tc;
	enum task_state	 state = TS_TO_DO;
	const char	*colour;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = conf_gate(r, &tc)) != 0)
		return st;
	colour = colour_in(r, "slate");
	if (!r->in[TST_STATE].present ||
	    task_state_parse(r->in[TST_STATE].s, &state) != 0)
		valid_error(r, "state", "invalid", "State must be todo, active, "
		    "review, done or archived.");
	if (r->nerrors == 0 && name_taken(&tc, r->in[TST_NAME].s, 0))
		valid_error(r, "name", "taken", "Another status has this name.");
	if (r->nerrors)
		return conf_invalid(r, &tc);
	if ((st = lock(r, &tc)) != 0)
		return st;
	if ((id = taskstatus_insert(r, tc.c.ev.id, r->in[TST_NAME].s, colour,
	    state)) < 0) {
		if (db_status() == 409) {
			valid_error(r, "name", "taken", "Another status has "
			    "this name.");
			return conf_invalid(r, &tc);
		}
		return 503;
	}
	ch = json_object_new_object();
	vset_str(ch, "state", task_state_name(state));
	vset_str(ch, "colour", colour);
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task_status.created",
	    "task_status", id, r->in[TST_NAME].s, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return conf_done(r, &tc, 201, arena_printf(r->a, "Status “%s” added.",
	    r->in[TST_NAME].s), id);
}

/* POST /events/{event}/task-statuses/{id} — rename, recolour, reorder
 * (the state stays); 303 (200 JSON); 403; 404 not this event's; 409
 * archived; 422. */
int
h_tstatus_update(struct req *r)
{
	struct tctx	 tc;
	const struct task_status *s;
	const char	*colour;
	json_object	*ch;
	int		 st;

	if ((st = conf_gate(r, &tc)) != 0)
		return st;
	if ((s = taskstatus_find(tc.st, tc.nst, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	colour = colour_in(r, s->colour);
	if (r->in[TST_STATE].present && *r->in[TST_STATE].s != '\0' &&
	    strcmp(r->in[TST_STATE].s, task_state_name(s->state)) != 0)
		valid_error(r, "state", "fixed", "A status keeps its state: add "
		    "a new status in the other state and delete this one.");
	if (r->nerrors == 0 && name_taken(&tc, r->in[TST_NAME].s, s->id))
		valid_error(r, "name", "taken", "Another status has this name.");
	if (r->nerrors)
		return conf_invalid(r, &tc);
	if ((st = lock(r, &tc)) != 0)
		return st;
	if (taskstatus_update(r, tc.c.ev.id, s->id, r->in[TST_NAME].s, colour,
	    r->in[TST_POSITION].present ? r->in[TST_POSITION].i :
	    s->position) < 0) {
		if (db_status() == 409) {
			valid_error(r, "name", "taken", "Another status has "
			    "this name.");
			return conf_invalid(r, &tc);
		}
		return 503;
	}
	ch = json_object_new_object();
	if (strcmp(s->name, r->in[TST_NAME].s) != 0) {
		json_object	*o = json_object_new_object();

		vset_str(o, "old", s->name);
		vset_str(o, "new", r->in[TST_NAME].s);
		json_object_object_add(ch, "name", o);
	}
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task_status.updated",
	    "task_status", s->id, r->in[TST_NAME].s, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return conf_done(r, &tc, 200, "The status was saved.", s->id);
}

/* POST /events/{event}/task-statuses/{id}/delete — 303 (200 JSON); 409
 * the last status of its state, used by the advancing task mapping, or
 * used without a replacement; 422 a
 * replacement that is not another status of the event. */
int
h_tstatus_delete(struct req *r)
{
	struct tctx	 tc;
	const struct task_status *s, *repl = NULL;
	json_object	*ch;
	long		 i, same = 0;
	int		 st;

	if ((st = conf_gate(r, &tc)) != 0)
		return st;
	if ((s = taskstatus_find(tc.st, tc.nst, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = lock(r, &tc)) != 0)
		return st;
	/* Counts again under the lock. */
	if ((tc.st = taskstatus_list(r, tc.c.ev.id, &tc.nst)) == NULL ||
	    (s = taskstatus_find(tc.st, tc.nst, req_pathvar_id(r, 1))) == NULL)
		return tc.nst < 0 ? 503 : page_refuse(r, 404, "not-found",
		    NULL);
	for (i = 0; i < tc.nst; i++)
		same += tc.st[i].state == s->state;
	if (same <= 1)
		return page_refuse(r, 409, "last-status", arena_printf(r->a,
		    "“%s” is the only %s status; every state keeps at least "
		    "one.", s->name, task_state_label(s->state)));
	if (r->in[TSTD_REPLACEMENT].present &&
	    ((repl = taskstatus_find(tc.st, tc.nst,
	    r->in[TSTD_REPLACEMENT].i)) == NULL || repl->id == s->id)) {
		valid_error(r, "replacement", "invalid", "The replacement must "
		    "be another status of this event.");
		return conf_invalid(r, &tc);
	}
	/* Advancing's task mapping points at statuses by id: it is
	 * changed first, on its own page (PRODUCT §13.9). */
	if ((st = advtrack_status_mapped(r, tc.c.ev.id, s->id)) != 0)
		return st < 0 ? 503 : page_refuse(r, 409, "in-use",
		    arena_printf(r->a, "“%s” is used by the advancing task "
		    "mapping: map that state to another status first "
		    "(/events/%lld/advance-task-mapping).", s->name,
		    (long long)tc.c.ev.id));
	if (s->ntasks > 0 && repl == NULL)
		return page_refuse(r, 409, "status-in-use", arena_printf(r->a,
		    "%lld task%s use “%s”: choose a status to move them to.",
		    (long long)s->ntasks, s->ntasks == 1 ? "" : "s", s->name));
	if (taskstatus_replace(r, tc.c.ev.id, s->id, repl ? repl->id :
	    s->id) != 0)
		return 503;
	ch = json_object_new_object();
	if (repl != NULL && s->ntasks > 0) {
		vset_str(ch, "tasks_moved_to", repl->name);
		vset_int(ch, "tasks", s->ntasks);
	}
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task_status.deleted",
	    "task_status", s->id, s->name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return conf_done(r, &tc, 200, arena_printf(r->a, "Status “%s” "
	    "deleted.", s->name), 0);
}

/* Phase dates: optional, end not before start. */
static void
phase_dates(struct req *r, const char **sd, const char **ed)
{
	int64_t	 a, b;

	*sd = r->in[TPH_START].present && *r->in[TPH_START].s ?
	    r->in[TPH_START].s : NULL;
	*ed = r->in[TPH_END].present && *r->in[TPH_END].s ?
	    r->in[TPH_END].s : NULL;
	if (*sd && *ed && tz_parse_date(*sd, &a) == 0 &&
	    tz_parse_date(*ed, &b) == 0 && b < a)
		valid_error(r, "end_date", "before-start", "The end date must "
		    "not be before the start date.");
}

static int
phase_taken(const struct tctx *tc, const char *name, int64_t except)
{
	long	 i;

	for (i = 0; i < tc->nph; i++)
		if (tc->ph[i].id != except &&
		    strcasecmp(tc->ph[i].name, name) == 0)
			return 1;
	return 0;
}

/* POST /events/{event}/phases — 303 (201 JSON); 403; 409 archived; 422
 * bad or duplicate name, end before start. */
int
h_tphase_create(struct req *r)
{
	struct tctx	 tc;
	const char	*sd, *ed;
	int64_t		 id;
	int		 st;

	if ((st = conf_gate(r, &tc)) != 0)
		return st;
	phase_dates(r, &sd, &ed);
	if (r->nerrors == 0 && phase_taken(&tc, r->in[TPH_NAME].s, 0))
		valid_error(r, "name", "taken", "Another phase has this name.");
	if (r->nerrors)
		return conf_invalid(r, &tc);
	if ((st = lock(r, &tc)) != 0)
		return st;
	if ((id = taskphase_insert(r, tc.c.ev.id, r->in[TPH_NAME].s, sd,
	    ed)) < 0) {
		if (db_status() == 409) {
			valid_error(r, "name", "taken", "Another phase has "
			    "this name.");
			return conf_invalid(r, &tc);
		}
		return 503;
	}
	if (audit(r, tc.c.ev.org_id, tc.c.ev.id, "phase.created", "phase", id,
	    r->in[TPH_NAME].s, NULL) != 0 || db_commit() != 0)
		return 503;
	return conf_done(r, &tc, 201, arena_printf(r->a, "Phase “%s” added.",
	    r->in[TPH_NAME].s), id);
}

/* POST /events/{event}/phases/{id} — 303 (200 JSON); 403; 404; 409;
 * 422. */
int
h_tphase_update(struct req *r)
{
	struct tctx	 tc;
	const struct task_phase *p;
	const char	*sd, *ed;
	int		 st;

	if ((st = conf_gate(r, &tc)) != 0)
		return st;
	if ((p = taskphase_find(tc.ph, tc.nph, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	phase_dates(r, &sd, &ed);
	if (r->nerrors == 0 && phase_taken(&tc, r->in[TPH_NAME].s, p->id))
		valid_error(r, "name", "taken", "Another phase has this name.");
	if (r->nerrors)
		return conf_invalid(r, &tc);
	if ((st = lock(r, &tc)) != 0)
		return st;
	if (taskphase_update(r, tc.c.ev.id, p->id, r->in[TPH_NAME].s, sd, ed,
	    r->in[TPH_POSITION].present ? r->in[TPH_POSITION].i :
	    p->position) < 0) {
		if (db_status() == 409) {
			valid_error(r, "name", "taken", "Another phase has "
			    "this name.");
			return conf_invalid(r, &tc);
		}
		return 503;
	}
	if (audit(r, tc.c.ev.org_id, tc.c.ev.id, "phase.updated", "phase",
	    p->id, r->in[TPH_NAME].s, NULL) != 0 || db_commit() != 0)
		return 503;
	return conf_done(r, &tc, 200, "The phase was saved.", p->id);
}

/* POST /events/{event}/phases/{id}/delete — with confirm=1: 303 (200
 * JSON), cleared from its tasks; without: 200 a confirmation page
 * naming the count (409 confirmation-required in JSON) when tasks use
 * it. 403; 404; 409 archived. */
int
h_tphase_delete(struct req *r)
{
	struct tctx	 tc;
	const struct task_phase *p;
	json_object	*ch;
	int		 st;

	if ((st = conf_gate(r, &tc)) != 0)
		return st;
	if ((p = taskphase_find(tc.ph, tc.nph, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (p->ntasks > 0 && !r->in[TPHD_CONFIRM].i) {
		json_object	*v;

		if (r->fmt == FMT_JSON)
			return page_refuse(r, 409, "confirmation-required",
			    arena_printf(r->a, "%lld task%s use “%s”; send "
			    "confirm=1 to clear it from them and delete it.",
			    (long long)p->ntasks, p->ntasks == 1 ? "" : "s",
			    p->name));
		v = tasks_base_view(r, &tc);
		vset_str(v, "phase_name", p->name);
		vset_int(v, "phase_tasks", p->ntasks);
		vset_str(v, "delete_url", arena_printf(r->a,
		    "/events/%lld/phases/%lld/delete", (long long)tc.c.ev.id,
		    (long long)p->id));
		return render_page(r, 200, "tasks/phase_delete",
		    "Delete phase", v);
	}
	if ((st = lock(r, &tc)) != 0)
		return st;
	if (taskphase_delete(r, tc.c.ev.id, p->id) != 0)
		return 503;
	ch = json_object_new_object();
	vset_int(ch, "tasks_cleared", p->ntasks);
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "phase.deleted", "phase",
	    p->id, p->name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return conf_done(r, &tc, 200, arena_printf(r->a, "Phase “%s” deleted.",
	    p->name), 0);
}
