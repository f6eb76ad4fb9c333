/* tasks.c — an event's tasks (PRODUCT §9): the tree list with filters,
 * sorting and bulk changes, the board, a task's page, create, edit,
 * status changes and delete.
 *
 * Who sees a task: holders of tasks view over it (Event domain, an
 * assigned collaborator or a tagged area), its assignees (a user, or the
 * users of an assigned collaborator) and its reviewers. Assignees may
 * change its status with view only; when a task has reviewers only they
 * or a tasks admin may move it into a Done-state status. Advancing
 * manages the status of the tasks it made (409 managed-by-advancing on
 * a change by hand, single or bulk).
 *
 * Pages read the whole event's tasks, statuses and phases in a fixed
 * number of queries and decide per row in memory. Writes take the event
 * row FOR UPDATE first, so parent and dependency checks (no cycles, at
 * most five levels) see a tree nobody else is changing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "deny.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "events.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/eventuser.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "model/user.h"
#include "policy/tz.h"
#include "render/timefmt.h"
#include "render/view.h"
#include "tasks.h"
#include "tasksupport.h"

#define LINKS_MAX	64	/* assignees, reviewers, areas, dependencies */


/* --- permissions ----------------------------------------------------------- */

/* The scopes covering a task: assigned collaborators, tagged areas. */
static void
task_target(const struct task *t, struct perm_target *pt)
{
	size_t	 i;

	memset(pt, 0, sizeof(*pt));
	for (i = 0; i < t->npeople && pt->ncollabs < TARGET_SCOPES; i++)
		if (t->people[i].role == TR_ASSIGNEE && t->people[i].collab_id)
			pt->collabs[pt->ncollabs++] = t->people[i].collab_id;
	for (i = 0; i < t->nareas && pt->nareas < TARGET_SCOPES; i++)
		pt->areas[pt->nareas++] = t->areas[i].area_id;
}

static int
is_assignee(const struct tctx *tc, const struct task *t)
{
	size_t	 i;

	if (!tc->c.actor.event_user)
		return 0;
	for (i = 0; i < t->npeople; i++)
		if (t->people[i].role == TR_ASSIGNEE &&
		    ((t->people[i].user_id && t->people[i].user_id == tc->uid) ||
		    (t->people[i].collab_id &&
		    t->people[i].collab_id == tc->c.actor.collab_id)))
			return 1;
	return 0;
}

static int
is_reviewer(const struct tctx *tc, const struct task *t)
{
	size_t	 i;

	for (i = 0; i < t->npeople; i++)
		if (t->people[i].role == TR_REVIEWER &&
		    t->people[i].user_id == tc->uid)
			return 1;
	return 0;
}

static int
has_reviewers(const struct task *t)
{
	size_t	 i;

	for (i = 0; i < t->npeople; i++)
		if (t->people[i].role == TR_REVIEWER)
			return 1;
	return 0;
}

static enum level
task_level(const struct tctx *tc, const struct task *t)
{
	struct perm_target	 pt;

	task_target(t, &pt);
	return perm_level(&tc->c.actor, SEC_TASKS, &pt);
}

int
task_visible(const struct tctx *tc, const struct task *t)
{
	return task_level(tc, t) >= LV_VIEW || is_assignee(tc, t) ||
	    is_reviewer(tc, t);
}

/* Every task when the Event-domain level alone gives view (no target
 * lowers it: the license ceiling of a task only rises with the scopes
 * it names). Otherwise each collaborator or area grant giving view on
 * its own: a task is covered when one of its scopes is. For a free
 * user only their own collaborator's grant can, and its tasks are
 * theirs as assignee anyway. */
void
task_sight(struct arena *a, const struct tctx *tc, struct task_sight *s)
{
	const struct event_ctx *c = &tc->c;
	struct perm_target	 pt;
	size_t			 i;

	memset(s, 0, sizeof(*s));
	s->assignee_rule = c->actor.event_user;
	s->collab_id = c->actor.event_user ? c->actor.collab_id : 0;
	target_event(&pt);
	if ((s->all = perm_level(&c->actor, SEC_TASKS, &pt) >= LV_VIEW))
		return;
	s->collabs = arena_calloc(a, c->ngrants + 1, sizeof(*s->collabs));
	s->areas = arena_calloc(a, c->ngrants + 1, sizeof(*s->areas));
	for (i = 0; i < c->ngrants; i++) {
		const struct grant *g = &c->grants[i];

		if (g->section != SEC_TASKS || g->level < LV_VIEW)
			continue;
		if (g->domain == DOM_COLLAB) {
			target_collab(&pt, g->scope_id);
			if (perm_level(&c->actor, SEC_TASKS, &pt) >= LV_VIEW)
				s->collabs[s->ncollabs++] = g->scope_id;
		} else if (g->domain == DOM_AREA) {
			target_area(&pt, g->scope_id);
			if (perm_level(&c->actor, SEC_TASKS, &pt) >= LV_VIEW)
				s->areas[s->nareas++] = g->scope_id;
		}
	}
}

static int
task_editable(const struct tctx *tc, const struct task *t)
{
	return !tc->c.ev.archived && task_level(tc, t) >= LV_EDIT;
}

/* Assignees move their task along; reviewers review it. */
static int
may_set_status(const struct tctx *tc, const struct task *t)
{
	return !tc->c.ev.archived && (task_level(tc, t) >= LV_EDIT ||
	    is_assignee(tc, t) || is_reviewer(tc, t));
}

/* Advancing keeps the status of its tasks (PRODUCT §13.9): nobody
 * changes it by hand; every other field stays editable. */
static int
managed(const struct task *t)
{
	return strcmp(t->source, "advancing") == 0;
}

static int
managed_refuse(struct req *r, const struct task *t)
{
	return page_refuse(r, 409, "managed-by-advancing", arena_printf(r->a,
	    "The status of “%s” follows its advance: it changes with the "
	    "answers, reviews and approvals, not by hand. Its other fields "
	    "stay editable.", t->name));
}

/* The reviewers rule: into a Done-state status only a reviewer or a
 * tasks admin, when the task has reviewers. */
static int
may_close(const struct tctx *tc, const struct task *t)
{
	return !has_reviewers(t) || is_reviewer(tc, t) ||
	    task_level(tc, t) >= LV_ADMIN;
}

/* --- time ------------------------------------------------------------------ */

/* The due moment in UTC: a date alone means the end of that local day. */
static int64_t
due_utc(const char *zone, const struct task *t)
{
	int64_t	 day, utc;
	int	 min = 24 * 60;

	if (t->due_date == NULL || tz_parse_date(t->due_date, &day) != 0)
		return 0;
	if (t->due_time != NULL && tz_parse_hm(t->due_time, &min) != 0)
		min = 24 * 60;
	if (tz_local_to_utc(zone, day * 86400 + (int64_t)min * 60, &utc) ==
	    TZ_GAP)
		utc = day * 86400 + (int64_t)min * 60;
	return utc;
}

int
task_overdue_in(const char *zone, enum task_state st, const struct task *t)
{
	if (t->due_date == NULL || task_state_closed(st))
		return 0;
	return (int64_t)time(NULL) > due_utc(zone, t);
}

int
task_overdue(const struct tctx *tc, const struct task *t)
{
	const struct task_status *s;

	s = taskstatus_find(tc->st, tc->nst, t->status_id);
	return task_overdue_in(tc->c.ev.timezone, s ? s->state : TS_TO_DO, t);
}

static const char *
when_text(struct req *r, const char *date, const char *hm)
{
	int64_t	 day;
	char	 buf[64];
	struct tm tm;
	time_t	 tt;

	if (date == NULL || tz_parse_date(date, &day) != 0)
		return NULL;
	tt = (time_t)(day * 86400);
	gmtime_r(&tt, &tm);
	if (strftime(buf, sizeof(buf), "%a %-d %b %Y", &tm) == 0)
		return date;
	return hm ? arena_printf(r->a, "%s, %s", buf, hm) :
	    arena_strdup(r->a, buf);
}

/* --- context --------------------------------------------------------------- */

int
tctx_load(struct req *r, struct tctx *tc, int org_admin_ok)
{
	int	 st;

	memset(tc, 0, sizeof(*tc));
	if ((st = event_gate(r, &tc->c, org_admin_ok)) != 0)
		return st;
	tc->uid = r->user->id;
	if ((tc->st = taskstatus_list(r, tc->c.ev.id, &tc->nst)) == NULL &&
	    tc->nst < 0)
		return 503;
	if (tc->nst == 0) {
		/* Events made before statuses existed, or by hand. */
		if (taskconf_defaults(r, tc->c.ev.id) != 0 ||
		    ((tc->st = taskstatus_list(r, tc->c.ev.id, &tc->nst)) ==
		    NULL && tc->nst < 0))
			return 503;
	}
	if ((tc->ph = taskphase_list(r, tc->c.ev.id, &tc->nph)) == NULL &&
	    tc->nph < 0)
		return 503;
	return 0;
}


static int
forbidden(struct req *r, enum level need)
{
	return page_refuse(r, 403, "insufficient-permission", arena_printf(
	    r->a, "This needs %s access to tasks.", level_name(need)));
}

static const char *
task_url(struct req *r, int64_t ev, int64_t id)
{
	return arena_printf(r->a, "/events/%lld/tasks/%lld", (long long)ev,
	    (long long)id);
}

json_object *
tasks_base_view(struct req *r, const struct tctx *tc)
{
	json_object	*v = view_new(r);
	long long	 ev = (long long)tc->c.ev.id;

	event_header_into(r, v, &tc->c, "tasks");
	vset_str(v, "tasks_url", arena_printf(r->a, "/events/%lld/tasks", ev));
	vset_str(v, "board_url", arena_printf(r->a, "/events/%lld/tasks/board",
	    ev));
	vset_str(v, "settings_url", arena_printf(r->a,
	    "/events/%lld/tasks/settings", ev));
	vset_str(v, "timezone", tc->c.ev.timezone);
	if (!tc->c.ev.archived &&
	    event_level_somewhere(&tc->c, SEC_TASKS, LV_EDIT))
		vset_str(v, "new_url", arena_printf(r->a,
		    "/events/%lld/tasks/new", ev));
	return v;
}

static json_object *
status_json(const struct task_status *s)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", s->id);
	vset_str(o, "name", s->name);
	vset_str(o, "colour", s->colour);
	vset_str(o, "state", task_state_name(s->state));
	vset_str(o, "state_label", task_state_label(s->state));
	return o;
}

/* A task as JSON; ts/n (may be NULL) give names of the parent and the
 * prerequisites the actor may see. */
static json_object *
task_json(struct req *r, const struct tctx *tc, const struct task *t,
    struct task *ts, long n)
{
	json_object	*j = json_object_new_object(), *as, *rv, *ar, *dp,
			*bl;
	const struct task_status *s;
	const struct task_phase *p;
	size_t		 i;
	long		 hidden = 0;

	vset_int(j, "id", t->id);
	vset_str(j, "uuid", t->uuid);
	vset_str(j, "url", task_url(r, tc->c.ev.id, t->id));
	vset_str(j, "name", t->name);
	vset_str(j, "description", t->description);
	vset_str(j, "description_html", event_md_html(r, t->description));
	s = taskstatus_find(tc->st, tc->nst, t->status_id);
	vset_obj(j, "status", s ? status_json(s) : NULL);
	vset_bool(j, "closed", s && task_state_closed(s->state));
	vset_str(j, "priority", t->priority);
	vset_bool(j, "priority_set", strcmp(t->priority, "none") != 0);
	p = taskphase_find(tc->ph, tc->nph, t->phase_id);
	if (p != NULL) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", p->id);
		vset_str(o, "name", p->name);
		vset_obj(j, "phase", o);
	} else
		vset_obj(j, "phase", NULL);
	if (t->parent_id) {
		struct task	*pt = ts ? task_find(ts, n, t->parent_id) : NULL;

		vset_int(j, "parent_id", t->parent_id);
		if (pt && task_visible(tc, pt)) {
			vset_str(j, "parent_name", pt->name);
			vset_str(j, "parent_url", task_url(r, tc->c.ev.id,
			    pt->id));
		}
	} else
		vset_obj(j, "parent_id", NULL);
	vset_str(j, "start_date", t->start_date);
	vset_str(j, "start_time", t->start_time);
	vset_str(j, "due_date", t->due_date);
	vset_str(j, "due_time", t->due_time);
	vset_str(j, "start_text", when_text(r, t->start_date, t->start_time));
	vset_str(j, "due_text", when_text(r, t->due_date, t->due_time));
	vset_bool(j, "overdue", task_overdue(tc, t));
	vset_int(j, "position", t->position);
	vset_str(j, "source", t->source);
	vset_int(j, "version", t->version);
	vset_str(j, "created_at", t->created_at);
	vset_str(j, "updated_at", t->updated_at);

	as = json_object_new_array();
	rv = json_object_new_array();
	for (i = 0; i < t->npeople; i++) {
		json_object	*o = json_object_new_object();
		const struct task_person *pp = &t->people[i];

		if (pp->user_id) {
			vset_str(o, "kind", "user");
			vset_int(o, "user_id", pp->user_id);
		} else {
			vset_str(o, "kind", "collaborator");
			vset_int(o, "collaborator_id", pp->collab_id);
		}
		vset_str(o, "name", pp->name);
		json_object_array_add(pp->role == TR_REVIEWER ? rv : as, o);
	}
	vset_obj(j, "assignees", as);
	vset_obj(j, "reviewers", rv);
	ar = json_object_new_array();
	for (i = 0; i < t->nareas; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", t->areas[i].area_id);
		vset_str(o, "name", t->areas[i].name);
		json_object_array_add(ar, o);
	}
	vset_obj(j, "areas", ar);

	/* Dependencies are advisory: "Blocked by" while a prerequisite is
	 * not Done or Archived. Invisible ones are counted, not named. */
	dp = json_object_new_array();
	bl = json_object_new_array();
	for (i = 0; i < t->ndeps; i++) {
		struct task	*d = ts ? task_find(ts, n, t->deps[i].on_id) :
		    NULL;
		const struct task_status *ds;
		json_object	*o;
		int		 closed;

		if (d == NULL)
			continue;
		ds = taskstatus_find(tc->st, tc->nst, d->status_id);
		closed = ds && task_state_closed(ds->state);
		if (!task_visible(tc, d)) {
			hidden += !closed;
			continue;
		}
		o = json_object_new_object();
		vset_int(o, "id", d->id);
		vset_str(o, "name", d->name);
		vset_str(o, "url", task_url(r, tc->c.ev.id, d->id));
		vset_bool(o, "closed", closed);
		json_object_array_add(dp, o);
		if (!closed)
			json_object_array_add(bl, json_object_get(o));
	}
	vset_obj(j, "depends_on", dp);
	vset_obj(j, "blocked_by", bl);
	vset_int(j, "blocked_by_hidden", hidden);
	vset_bool(j, "blocked", json_object_array_length(bl) > 0 ||
	    hidden > 0);
	return j;
}

/* --- the tree list --------------------------------------------------------- */

/* The shown tasks in tree order: siblings sorted by the key; a task
 * whose parent is not shown starts a tree of its own. */
static void
emit_tree(struct req *r, const struct tctx *tc, struct task **shown,
    size_t n, const long *first, const long *next, long at, int depth,
    struct task *ts, long nts, json_object *out)
{
	for (; at >= 0; at = next[at]) {
		json_object	*j = task_json(r, tc, shown[at], ts, nts);

		vset_int(j, "depth", depth);
		vset_bool(j, "editable", task_editable(tc, shown[at]));
		json_object_array_add(out, j);
		emit_tree(r, tc, shown, n, first, next, first[at], depth + 1,
		    ts, nts, out);
	}
}

static json_object *
tree_json(struct req *r, const struct tctx *tc, struct task *ts, long n,
    const struct task_filter *f, long *count)
{
	struct task	**shown;
	long		*first, *next, *pidx, *last, roots = -1, rlast = -1;
	size_t		 ns = 0, i;
	json_object	*out = json_object_new_array();

	shown = arena_calloc(r->a, (size_t)n + 1, sizeof(*shown));
	for (i = 0; i < (size_t)n; i++)
		if (task_visible(tc, &ts[i]) &&
		    task_filter_matches(tc, f, &ts[i]))
			shown[ns++] = &ts[i];
	task_sort(tc, f->sort, shown, ns);
	first = arena_calloc(r->a, ns + 1, sizeof(long));
	next = arena_calloc(r->a, ns + 1, sizeof(long));
	last = arena_calloc(r->a, ns + 1, sizeof(long));
	pidx = arena_calloc(r->a, ns + 1, sizeof(long));
	/* Index of each shown task's shown parent (ids are sorted in ts,
	 * so mark positions through a lookup table over ts). */
	{
		long	*at = arena_calloc(r->a, (size_t)n + 1, sizeof(long));

		for (i = 0; i < (size_t)n; i++)
			at[i] = -1;
		for (i = 0; i < ns; i++)
			at[shown[i] - ts] = (long)i;
		for (i = 0; i < ns; i++) {
			struct task	*p = shown[i]->parent_id ?
			    task_find(ts, n, shown[i]->parent_id) : NULL;

			pidx[i] = p ? at[p - ts] : -1;
			first[i] = next[i] = last[i] = -1;
		}
	}
	for (i = 0; i < ns; i++) {
		long	 p = pidx[i];

		if (p < 0) {
			if (rlast < 0)
				roots = (long)i;
			else
				next[rlast] = (long)i;
			rlast = (long)i;
		} else {
			if (last[p] < 0)
				first[p] = (long)i;
			else
				next[last[p]] = (long)i;
			last[p] = (long)i;
		}
	}
	emit_tree(r, tc, shown, ns, first, next, roots, 0, ts, n, out);
	*count = (long)ns;
	return out;
}

/* Choices the filter bar and the forms offer. */
static void
choices_into(struct req *r, const struct tctx *tc, json_object *v,
    const struct task_filter *f)
{
	json_object	*sts = json_object_new_array(), *phs, *pri;
	long		 i;
	size_t		 k;

	for (i = 0; i < tc->nst; i++) {
		json_object	*o = status_json(&tc->st[i]);

		vset_bool(o, "selected", f && f->status == tc->st[i].id);
		json_object_array_add(sts, o);
	}
	vset_obj(v, "statuses", sts);
	phs = json_object_new_array();
	for (i = 0; i < tc->nph; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", tc->ph[i].id);
		vset_str(o, "name", tc->ph[i].name);
		vset_bool(o, "selected", f && f->phase == tc->ph[i].id);
		json_object_array_add(phs, o);
	}
	vset_obj(v, "phases", phs);
	pri = json_object_new_array();
	for (k = 0; k < TASK_NPRIORITIES; k++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", task_priorities[k]);
		vset_bool(o, "selected", f && f->priority &&
		    strcmp(f->priority, task_priorities[k]) == 0);
		json_object_array_add(pri, o);
	}
	vset_obj(v, "priorities", pri);
	(void)r;
}

static json_object *
states_json(const struct task_filter *f)
{
	json_object	*a = json_object_new_array();
	int		 i;

	for (i = 0; i < TS__MAX; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", task_state_name((enum task_state)i));
		vset_str(o, "label", task_state_label((enum task_state)i));
		vset_bool(o, "selected", f->state == i);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
filter_json(struct req *r, const struct task_filter *f)
{
	json_object	*o = json_object_new_object();

	vset_str(o, "state", r->in[TL_STATE].s);
	vset_bool(o, "state_all", f->state == TS__MAX);
	vset_str(o, "assignee", f->assignee);
	vset_bool(o, "assignee_me", f->assignee &&
	    strcmp(f->assignee, "me") == 0);
	vset_bool(o, "assignee_mine", f->assignee &&
	    strcmp(f->assignee, "my_collaborator") == 0);
	vset_str(o, "reviewer", f->reviewer);
	vset_str(o, "due_from", r->in[TL_DUE_FROM].s);
	vset_str(o, "due_to", r->in[TL_DUE_TO].s);
	vset_bool(o, "overdue", f->overdue);
	vset_str(o, "q", f->q);
	vset_str(o, "sort", f->sort);
	{
		static const char *const keys[][2] = { { "position",
		    "Manual order" }, { "due", "Due date" }, { "priority",
		    "Priority" }, { "name", "Name" }, { "status", "Status" },
		    { "updated", "Recently changed" } };
		json_object	*a = json_object_new_array();
		size_t		 i;

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			json_object	*k = json_object_new_object();

			vset_str(k, "value", keys[i][0]);
			vset_str(k, "label", keys[i][1]);
			vset_bool(k, "selected", strcmp(f->sort, keys[i][0]) ==
			    0);
			json_object_array_add(a, k);
		}
		vset_obj(o, "sorts", a);
	}
	return o;
}

/* GET /events/{event}/tasks — 200 the tasks the actor may see as a tree
 * (archived ones only when filtered for); 400 a bad filter; 404 not on
 * the event. */
int
h_tasks(struct req *r)
{
	struct tctx	 tc;
	struct task_filter	 f;
	struct task	*ts;
	long		 n, shown;
	json_object	*v, *items;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0 ||
	    (st = task_filter_read(r, &tc, &f)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	v = tasks_base_view(r, &tc);
	items = tree_json(r, &tc, ts, n, &f, &shown);
	vset_obj(v, "tasks", items);
	vset_int(v, "count", shown);
	vset_obj(v, "filter", filter_json(r, &f));
	vset_obj(v, "states", states_json(&f));
	choices_into(r, &tc, v, &f);
	if (tasks_people_into(r, &tc, v, f.assignee, f.area) != 0)
		return 503;
	vset_bool(v, "can_bulk", !tc.c.ev.archived && shown > 0);
	vset_str(v, "bulk_url", arena_printf(r->a, "/events/%lld/tasks/bulk",
	    (long long)tc.c.ev.id));
	vset_bool(v, "view_list", 1);
	vset_str(v, "filter_action", json_object_get_string(
	    json_object_object_get(v, "tasks_url")));
	return render_page(r, 200, "tasks/list", arena_printf(r->a,
	    "Tasks · %s", tc.c.ev.name), v);
}

/* The statuses a card may move to, its own selected; Done ones only
 * under the reviewers rule. */
static json_object *
move_options(const struct tctx *tc, const struct task *t)
{
	json_object	*a = json_object_new_array();
	long		 i;

	for (i = 0; i < tc->nst; i++) {
		json_object	*o;

		if (tc->st[i].state == TS_DONE && !may_close(tc, t))
			continue;
		o = json_object_new_object();
		vset_int(o, "id", tc->st[i].id);
		vset_str(o, "name", tc->st[i].name);
		vset_bool(o, "selected", tc->st[i].id == t->status_id);
		json_object_array_add(a, o);
	}
	return a;
}

/* GET /events/{event}/tasks/board — 200 a column per status (Archived
 * columns only when filtered for) with the same filters; 400; 404. */
int
h_tasks_board(struct req *r)
{
	struct tctx	 tc;
	struct task_filter	 f;
	struct task	*ts;
	long		 n, i, j;
	json_object	*v, *cols;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0 ||
	    (st = task_filter_read(r, &tc, &f)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	v = tasks_base_view(r, &tc);
	cols = json_object_new_array();
	for (i = 0; i < tc.nst; i++) {
		const struct task_status *s = &tc.st[i];
		json_object	*col, *cards;
		struct task	**in;
		size_t		 k = 0, m;

		if ((s->state == TS_ARCHIVED && f.state != TS_ARCHIVED &&
		    f.state != TS__MAX && f.status != s->id) ||
		    (f.state >= 0 && f.state < TS__MAX &&
		    (int)s->state != f.state) ||
		    (f.status && f.status != s->id))
			continue;
		in = arena_calloc(r->a, (size_t)n + 1, sizeof(*in));
		for (j = 0; j < n; j++)
			if (ts[j].status_id == s->id &&
			    task_visible(&tc, &ts[j]) &&
			    task_filter_matches(&tc, &f, &ts[j]))
				in[k++] = &ts[j];
		task_sort(&tc, f.sort, in, k);
		col = status_json(s);
		cards = json_object_new_array();
		for (m = 0; m < k; m++) {
			json_object	*c = task_json(r, &tc, in[m], ts, n);

			vset_bool(c, "can_move", may_set_status(&tc, in[m]) &&
			    !managed(in[m]));
			if (may_set_status(&tc, in[m]) && !managed(in[m]))
				vset_obj(c, "move_options", move_options(&tc,
				    in[m]));
			json_object_array_add(cards, c);
		}
		vset_obj(col, "tasks", cards);
		vset_int(col, "count", (long long)k);
		json_object_array_add(cols, col);
	}
	vset_obj(v, "columns", cols);
	vset_obj(v, "filter", filter_json(r, &f));
	vset_obj(v, "states", states_json(&f));
	choices_into(r, &tc, v, &f);
	if (tasks_people_into(r, &tc, v, f.assignee, f.area) != 0)
		return 503;
	vset_bool(v, "view_board", 1);
	vset_str(v, "filter_action", json_object_get_string(
	    json_object_object_get(v, "board_url")));
	return render_page(r, 200, "tasks/board", arena_printf(r->a,
	    "Task board · %s", tc.c.ev.name), v);
}

/* --- the form -------------------------------------------------------------- */

struct input_set {
	struct task_fields f;
	struct task_person people[LINKS_MAX];
	int64_t		 areas[LINKS_MAX];
	int64_t		 deps[LINKS_MAX];
	json_object	*names;		/* people and areas for the audit */
};

static int
multi_given(struct req *r, int idx)
{
	/* An empty value alone ("ticked nothing") still replaces the list. */
	return r->in[idx].given;
}

static int
user_on(const struct tpeople *tp, int64_t uid, const char **name)
{
	size_t	 i;

	for (i = 0; i < tp->nusers; i++)
		if (tp->users[i].user_id == uid) {
			*name = tp->users[i].name;
			return 1;
		}
	return 0;
}

static int
scope_in(const struct eu_scope *s, size_t n, int64_t id, const char **name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i].id == id) {
			*name = s[i].name;
			return 1;
		}
	return 0;
}

/* Walk the parent chain of task id: its depth (1 for a top-level task),
 * or -1 when self is on it (a cycle). */
static int
depth_of(struct task *ts, long n, int64_t id, int64_t self)
{
	int	 d = 0;

	while (id && d <= TASK_DEPTH_MAX + 1) {
		struct task	*t;

		if (id == self)
			return -1;
		if ((t = task_find(ts, n, id)) == NULL)
			break;
		d++;
		id = t->parent_id;
	}
	return d;
}

/* Levels below and including task id. */
static int
height_of(struct task *ts, long n, int64_t id, int guard)
{
	long	 i;
	int	 h = 0, c;

	if (guard > TASK_DEPTH_MAX + 1)
		return guard;
	for (i = 0; i < n; i++)
		if (ts[i].parent_id == id &&
		    (c = height_of(ts, n, ts[i].id, guard + 1)) > h)
			h = c;
	return h + 1;
}

/* Is there a path from task `from` to `to` along dependencies, with
 * self's dependencies replaced by deps? Writes the path (ids, from …
 * to) into path and returns its length, 0 when none. */
static size_t
dep_path(struct req *r, struct task *ts, long n, int64_t self,
    const int64_t *deps, size_t ndeps, int64_t from, int64_t to,
    int64_t *path)
{
	long	*prev, *stack, sp = 0, i, at, target;
	char	*seen;
	struct task *ft = task_find(ts, n, from), *tt = task_find(ts, n, to);
	size_t	 len = 0, k;

	if (ft == NULL || tt == NULL)
		return 0;
	prev = arena_calloc(r->a, (size_t)n, sizeof(long));
	stack = arena_calloc(r->a, (size_t)n + 1, sizeof(long));
	seen = arena_calloc(r->a, (size_t)n, 1);
	target = tt - ts;
	stack[sp++] = ft - ts;
	seen[ft - ts] = 1;
	prev[ft - ts] = -1;
	while (sp > 0) {
		const int64_t	*on;
		size_t		 non;
		int64_t		 tmp[LINKS_MAX];

		at = stack[--sp];
		if (at == target)
			break;
		if (ts[at].id == self) {
			on = deps;
			non = ndeps;
		} else {
			non = ts[at].ndeps < LINKS_MAX ? ts[at].ndeps :
			    LINKS_MAX;
			for (k = 0; k < non; k++)
				tmp[k] = ts[at].deps[k].on_id;
			on = tmp;
		}
		for (k = 0; k < non; k++) {
			struct task	*nx = task_find(ts, n, on[k]);

			if (nx == NULL || seen[nx - ts])
				continue;
			seen[nx - ts] = 1;
			prev[nx - ts] = at;
			stack[sp++] = nx - ts;
		}
	}
	if (!seen[target])
		return 0;
	for (i = target; i >= 0; i = prev[i])
		len++;
	k = len;
	for (i = target; i >= 0; i = prev[i])
		path[--k] = ts[i].id;
	return len;
}

/* Read and check the form; errors go to r->errors (422). cur is the
 * task being edited (absent fields keep its values) or NULL. */
static void
read_form(struct req *r, const struct tctx *tc, const struct tpeople *tp,
    struct task *ts, long n, const struct task *cur, struct input_set *in)
{
	struct task_fields *f = &in->f;
	const char	*s, *name;
	int64_t		 sd = -1, dd = -1, id;
	int		 sm = 0, dm = 24 * 60, depth, height;
	size_t		 i, j;

	memset(in, 0, sizeof(*in));
	in->names = req_own_json(r, json_object_new_object());
	if (cur != NULL) {
		f->name = cur->name;
		f->description = cur->description;
		f->status_id = cur->status_id;
		f->priority = cur->priority;
		f->phase_id = cur->phase_id;
		f->parent_id = cur->parent_id;
		f->start_date = cur->start_date;
		f->start_time = cur->start_time;
		f->due_date = cur->due_date;
		f->due_time = cur->due_time;
	} else {
		f->priority = "none";
		for (i = 0; i < (size_t)tc->nst; i++)
			if (tc->st[i].state == TS_TO_DO) {
				f->status_id = tc->st[i].id;
				break;
			}
	}

	if (r->in[TASK_NAME].present)
		f->name = r->in[TASK_NAME].s;
	if (f->name == NULL || *f->name == '\0')
		valid_error(r, "name", "required", "Name is required.");
	if (r->in[TASK_DESCRIPTION].present)
		f->description = *r->in[TASK_DESCRIPTION].s ?
		    r->in[TASK_DESCRIPTION].s : NULL;
	if (r->in[TASK_STATUS].present) {
		f->status_id = r->in[TASK_STATUS].i;
		if (taskstatus_find(tc->st, tc->nst, f->status_id) == NULL)
			valid_error(r, "status", "invalid", "Status must be "
			    "one of this event's statuses.");
	}
	if ((s = r->in[TASK_PRIORITY].s) != NULL && r->in[TASK_PRIORITY].present) {
		for (i = 0; i < TASK_NPRIORITIES; i++)
			if (strcmp(s, task_priorities[i]) == 0)
				break;
		if (i == TASK_NPRIORITIES)
			valid_error(r, "priority", "invalid", "Priority must be "
			    "none, low, medium, high or urgent.");
		else
			f->priority = task_priorities[i];
	}
	if (r->in[TASK_PHASE].present) {
		s = r->in[TASK_PHASE].s;
		if (*s == '\0' || strcmp(s, "none") == 0)
			f->phase_id = 0;
		else if (task_ref_parse(s, "", &id) != 0 ||
		    taskphase_find(tc->ph, tc->nph, id) == NULL)
			valid_error(r, "phase", "invalid", "Phase must be one "
			    "of this event's phases.");
		else
			f->phase_id = id;
	}
	if (r->in[TASK_PARENT].present) {
		s = r->in[TASK_PARENT].s;
		if (*s == '\0' || strcmp(s, "none") == 0)
			f->parent_id = 0;
		else if (task_ref_parse(s, "", &id) != 0 ||
		    task_find(ts, n, id) == NULL ||
		    !task_visible(tc, task_find(ts, n, id)))
			valid_error(r, "parent", "invalid", "The parent must be "
			    "a task of this event.");
		else
			f->parent_id = id;
	}
	if (f->parent_id) {
		depth = depth_of(ts, n, f->parent_id, cur ? cur->id : 0);
		height = cur ? height_of(ts, n, cur->id, 1) : 1;
		if (depth < 0)
			valid_error(r, "parent", "cycle", "A task can't be its "
			    "own parent or the subtask of its own subtask.");
		else if (depth + height > TASK_DEPTH_MAX)
			valid_error(r, "parent", "too-deep", "Subtasks nest at "
			    "most five levels deep.");
	}

	/* Start and due: local dates with optional local times. */
#define DATEFIELD(idx, dst, label, key) do {				\
	if (r->in[idx].present)						\
		dst = *r->in[idx].s ? r->in[idx].s : NULL;		\
	if (dst != NULL && tz_parse_date(dst, &id) != 0)		\
		valid_error(r, key, "invalid", label " must be a date "	\
		    "(YYYY-MM-DD).");					\
} while (0)
#define TIMEFIELD(idx, dst, label, key) do {				\
	if (r->in[idx].present)						\
		dst = *r->in[idx].s ? r->in[idx].s : NULL;		\
	if (dst != NULL && tz_parse_hm(dst, &sm) != 0)		\
		valid_error(r, key, "invalid", label " must be a time "	\
		    "(HH:MM).");					\
} while (0)
	DATEFIELD(TASK_START_DATE, f->start_date, "Start date", "start_date");
	DATEFIELD(TASK_DUE_DATE, f->due_date, "Due date", "due_date");
	TIMEFIELD(TASK_START_TIME, f->start_time, "Start time", "start_time");
	TIMEFIELD(TASK_DUE_TIME, f->due_time, "Due time", "due_time");
#undef DATEFIELD
#undef TIMEFIELD
	if (f->start_time && f->start_date == NULL)
		valid_error(r, "start_date", "required", "A start time needs "
		    "a start date.");
	if (f->due_time && f->due_date == NULL)
		valid_error(r, "due_date", "required", "A due time needs a due "
		    "date.");
	if (f->start_date && f->due_date && r->nerrors == 0 &&
	    tz_parse_date(f->start_date, &sd) == 0 &&
	    tz_parse_date(f->due_date, &dd) == 0) {
		/* Times compare only on the same day (a date alone spans it). */
		sm = 0;
		if (f->start_time)
			(void)tz_parse_hm(f->start_time, &sm);
		if (f->due_time)
			(void)tz_parse_hm(f->due_time, &dm);
		if (sd > dd || (sd == dd && f->start_time && f->due_time &&
		    sm > dm))
			valid_error(r, "due_date", "before-start", "The due date "
			    "must not be before the start.");
	}

	/* People, areas, dependencies: a list given replaces the old one. */
	if (multi_given(r, TASK_ASSIGNEES) || multi_given(r, TASK_REVIEWERS) ||
	    cur == NULL) {
		for (i = 0; multi_given(r, TASK_ASSIGNEES) &&
		    i < r->in[TASK_ASSIGNEES].nmulti; i++) {
			struct task_person *p = &in->people[f->npeople];

			s = r->in[TASK_ASSIGNEES].multi[i];
			if (*s == '\0')
				continue;
			memset(p, 0, sizeof(*p));
			p->role = TR_ASSIGNEE;
			if (f->npeople >= LINKS_MAX) {
				valid_error(r, "assignees", "too-many", "At most "
				    "64 assignees and reviewers.");
				break;
			}
			if (task_ref_parse(s, "user:", &id) == 0 &&
			    user_on(tp, id, &name))
				p->user_id = id;
			else if (task_ref_parse(s, "collaborator:", &id) == 0 &&
			    scope_in(tp->collabs, tp->ncollabs, id, &name))
				p->collab_id = id;
			else {
				valid_error(r, "assignees", "invalid", arena_printf(
				    r->a, "“%s” is not a user or collaborator of "
				    "this event.", s));
				continue;
			}
			for (j = 0; j < f->npeople; j++)
				if (in->people[j].user_id == p->user_id &&
				    in->people[j].collab_id == p->collab_id)
					break;
			if (j == f->npeople) {
				p->name = (char *)name;
				f->npeople++;
			}
		}
		for (i = 0; multi_given(r, TASK_REVIEWERS) &&
		    i < r->in[TASK_REVIEWERS].nmulti; i++) {
			struct task_person *p = &in->people[f->npeople];

			s = r->in[TASK_REVIEWERS].multi[i];
			if (*s == '\0')
				continue;
			if (f->npeople >= LINKS_MAX) {
				valid_error(r, "reviewers", "too-many", "At most "
				    "64 assignees and reviewers.");
				break;
			}
			if ((task_ref_parse(s, "user:", &id) != 0 &&
			    task_ref_parse(s, "", &id) != 0) ||
			    !user_on(tp, id, &name)) {
				valid_error(r, "reviewers", "invalid", arena_printf(
				    r->a, "“%s” is not a user of this event.", s));
				continue;
			}
			for (j = 0; j < f->npeople; j++)
				if (in->people[j].role == TR_REVIEWER &&
				    in->people[j].user_id == id)
					break;
			if (j < f->npeople)
				continue;
			memset(p, 0, sizeof(*p));
			p->role = TR_REVIEWER;
			p->user_id = id;
			p->name = (char *)name;
			f->npeople++;
		}
		/* One list given alone keeps the other. */
		if (cur != NULL)
			for (i = 0; i < cur->npeople && f->npeople < LINKS_MAX;
			    i++) {
				int	 keep = cur->people[i].role == TR_ASSIGNEE ?
				    !multi_given(r, TASK_ASSIGNEES) :
				    !multi_given(r, TASK_REVIEWERS);

				if (keep)
					in->people[f->npeople++] =
					    cur->people[i];
			}
	} else if (cur != NULL) {
		for (i = 0; i < cur->npeople && i < LINKS_MAX; i++)
			in->people[f->npeople++] = cur->people[i];
	}
	f->people = in->people;

	if (multi_given(r, TASK_AREAS)) {
		for (i = 0; i < r->in[TASK_AREAS].nmulti; i++) {
			s = r->in[TASK_AREAS].multi[i];
			if (*s == '\0')
				continue;
			if (task_ref_parse(s, "", &id) != 0 ||
			    !scope_in(tp->areas, tp->nareas, id, &name)) {
				valid_error(r, "areas", "invalid", arena_printf(
				    r->a, "“%s” is not an area of this event.",
				    s));
				continue;
			}
			for (j = 0; j < f->nareas; j++)
				if (in->areas[j] == id)
					break;
			if (j == f->nareas && f->nareas < LINKS_MAX)
				in->areas[f->nareas++] = id;
		}
	} else if (cur != NULL)
		for (i = 0; i < cur->nareas && i < LINKS_MAX; i++)
			in->areas[f->nareas++] = cur->areas[i].area_id;
	f->areas = in->areas;

	if (multi_given(r, TASK_DEPENDS)) {
		for (i = 0; i < r->in[TASK_DEPENDS].nmulti; i++) {
			struct task	*d;

			s = r->in[TASK_DEPENDS].multi[i];
			if (*s == '\0')
				continue;
			if (task_ref_parse(s, "", &id) != 0 ||
			    (d = task_find(ts, n, id)) == NULL ||
			    !task_visible(tc, d)) {
				valid_error(r, "depends_on", "invalid",
				    arena_printf(r->a, "“%s” is not a task of "
				    "this event.", s));
				continue;
			}
			if (cur != NULL && id == cur->id) {
				valid_error(r, "depends_on", "dependency-cycle",
				    "A task can't depend on itself.");
				continue;
			}
			for (j = 0; j < f->ndeps; j++)
				if (in->deps[j] == id)
					break;
			if (j == f->ndeps && f->ndeps < LINKS_MAX)
				in->deps[f->ndeps++] = id;
		}
	} else if (cur != NULL)
		for (i = 0; i < cur->ndeps && i < LINKS_MAX; i++)
			in->deps[f->ndeps++] = cur->deps[i].on_id;
	f->deps = in->deps;

	/* A new dependency d closes a cycle when d already leads back to
	 * this task; name the cycle. A new task has no dependants. */
	if (cur != NULL && multi_given(r, TASK_DEPENDS))
		for (i = 0; i < f->ndeps; i++) {
			int64_t	*path = arena_calloc(r->a, (size_t)n + 2,
			    sizeof(int64_t));
			size_t	 len, k;
			char	*text;

			len = dep_path(r, ts, n, cur->id, f->deps, f->ndeps,
			    f->deps[i], cur->id, path);
			if (len == 0)
				continue;
			text = arena_printf(r->a, "“%s”", cur->name);
			for (k = 0; k < len; k++) {
				struct task	*t = task_find(ts, n, path[k]);

				text = arena_printf(r->a, "%s → “%s”", text,
				    t && task_visible(tc, t) ? t->name :
				    "a task you can't see");
			}
			valid_error(r, "depends_on", "dependency-cycle",
			    arena_printf(r->a, "This dependency would close a "
			    "cycle: %s.", text));
			break;
		}

	/* Names for the audit entry. */
	{
		json_object	*as = json_object_new_array();

		for (i = 0; i < f->npeople; i++)
			json_object_array_add(as, json_object_new_string(
			    arena_printf(r->a, "%s%s", in->people[i].role ==
			    TR_REVIEWER ? "reviewer " : "",
			    in->people[i].name ? in->people[i].name : "?")));
		json_object_object_add(in->names, "people", as);
	}
}

/* The scopes a task with these fields would be covered by. */
static void
fields_target(const struct task_fields *f, struct perm_target *pt)
{
	size_t	 i;

	memset(pt, 0, sizeof(*pt));
	for (i = 0; i < f->npeople && pt->ncollabs < TARGET_SCOPES; i++)
		if (f->people[i].role == TR_ASSIGNEE && f->people[i].collab_id)
			pt->collabs[pt->ncollabs++] = f->people[i].collab_id;
	for (i = 0; i < f->nareas && pt->nareas < TARGET_SCOPES; i++)
		pt->areas[pt->nareas++] = f->areas[i];
}

static int
str_ne(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static json_object *
changes_of(const struct tctx *tc, const struct task *old,
    const struct task_fields *f)
{
	json_object	*ch = json_object_new_object(), *o;
	const struct task_status *a, *b;

#define CH(key, x, y) do {						\
	if (str_ne((x), (y))) {						\
		o = json_object_new_object();				\
		vset_str(o, "old", (x));				\
		vset_str(o, "new", (y));				\
		json_object_object_add(ch, (key), o);			\
	}								\
} while (0)
	CH("name", old ? old->name : NULL, f->name);
	a = old ? taskstatus_find(tc->st, tc->nst, old->status_id) : NULL;
	b = taskstatus_find(tc->st, tc->nst, f->status_id);
	CH("status", a ? a->name : NULL, b ? b->name : NULL);
	CH("priority", old ? old->priority : NULL, f->priority);
	CH("start_date", old ? old->start_date : NULL, f->start_date);
	CH("start_time", old ? old->start_time : NULL, f->start_time);
	CH("due_date", old ? old->due_date : NULL, f->due_date);
	CH("due_time", old ? old->due_time : NULL, f->due_time);
#undef CH
	if (old == NULL || old->parent_id != f->parent_id) {
		o = json_object_new_object();
		if (old != NULL)
			vset_int(o, "old", old->parent_id);
		vset_int(o, "new", f->parent_id);
		json_object_object_add(ch, "parent", o);
	}
	return ch;
}

/* The form's choices and values (create, edit and 422 re-show). */
static int
form_into(struct req *r, const struct tctx *tc, json_object *v,
    struct task *ts, long n, const struct task *cur, int64_t parent)
{
	json_object	*fo, *opts;
	long		 i;
	int		 k;

	if (tasks_people_into(r, tc, v, NULL, 0) != 0)
		return -1;
	choices_into(r, tc, v, NULL);
	fo = json_object_new_object();
	if (tasks_form_posted(r)) {
		for (k = TASK_NAME; k <= TASK_DUE_TIME; k++)
			if (r->in[k].present)
				vset_str(fo, r->route->fields[k].name,
				    r->in[k].s);
	} else if (cur != NULL) {
		vset_str(fo, "name", cur->name);
		vset_str(fo, "description", cur->description);
		vset_str(fo, "start_date", cur->start_date);
		vset_str(fo, "start_time", cur->start_time);
		vset_str(fo, "due_date", cur->due_date);
		vset_str(fo, "due_time", cur->due_time);
	}
	/* Selected values: typed ones on a re-shown form, else current. */
	{
		int64_t	 status = cur ? cur->status_id : 0,
			 phase = cur ? cur->phase_id : 0;
		const char *prio = cur ? cur->priority : "none";
		json_object *arr;

		if (tasks_form_posted(r) && r->in[TASK_STATUS].present)
			status = r->in[TASK_STATUS].i;
		if (tasks_form_posted(r) && r->in[TASK_PHASE].present)
			(void)task_ref_parse(r->in[TASK_PHASE].s, "", &phase);
		if (tasks_form_posted(r) && r->in[TASK_PRIORITY].present)
			prio = r->in[TASK_PRIORITY].s;
		if (tasks_form_posted(r) && r->in[TASK_PARENT].present)
			(void)task_ref_parse(r->in[TASK_PARENT].s, "", &parent);
		else if (cur != NULL)
			parent = cur->parent_id;
		arr = json_object_object_get(v, "statuses");
		for (i = 0; i < (long)json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr,
			    (size_t)i);
			json_object *id = json_object_object_get(o, "id");

			vset_bool(o, "selected", status ?
			    json_object_get_int64(id) == status :
			    i == 0);
		}
		arr = json_object_object_get(v, "phases");
		for (i = 0; i < (long)json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr,
			    (size_t)i);

			vset_bool(o, "selected", json_object_get_int64(
			    json_object_object_get(o, "id")) == phase);
		}
		arr = json_object_object_get(v, "priorities");
		for (i = 0; i < (long)json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr,
			    (size_t)i);

			vset_bool(o, "selected", strcmp(json_object_get_string(
			    json_object_object_get(o, "value")), prio) == 0);
		}
	}
	/* Tasks offered as parent and prerequisites: the visible ones
	 * except this one. */
	opts = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object	*o;
		size_t		 d;
		int		 dep = 0;

		if ((cur && ts[i].id == cur->id) || !task_visible(tc, &ts[i]))
			continue;
		for (d = 0; cur && d < cur->ndeps; d++)
			if (cur->deps[d].on_id == ts[i].id)
				dep = 1;
		o = json_object_new_object();
		vset_int(o, "id", ts[i].id);
		vset_str(o, "name", ts[i].name);
		vset_bool(o, "parent_selected", ts[i].id == parent);
		vset_bool(o, "dep_selected", dep);
		json_object_array_add(opts, o);
	}
	vset_obj(v, "task_options", opts);
	tasks_mark_people(r, v, cur);
	vset_obj(v, "form", fo);
	return 0;
}

/* --- a task's page --------------------------------------------------------- */

static struct dbq q_task_audit = DBQ(
    "SELECT DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%sZ'), a.action, a.changes,"
    " a.actor_kind, u.name FROM audit_log a"
    " LEFT JOIN users u ON u.id = a.actor_user_id"
    " WHERE a.event_id = ? AND a.target_type = 'task' AND a.target_id = ?"
    " ORDER BY a.at DESC, a.id DESC LIMIT 50");

static json_object *
audit_json(struct req *r, const struct tctx *tc, int64_t id)
{
	json_object	*items = json_object_new_array();
	char		*at, *action, *changes, *kind, *name;
	int		 rc;

	if (db_select(&q_task_audit, "ii", tc->c.ev.id, id) != 0) {
		json_object_put(items);
		return NULL;
	}
	while ((rc = db_fetch(&q_task_audit, "sssss", &at, &action, &changes,
	    &kind, &name)) == 1) {
		json_object	*e = json_object_new_object();

		vset_time(e, "at", at, tc->c.ev.timezone);
		vset_str(e, "action", action);
		vset_str(e, "changes_text", changes);
		vset_str(e, "actor", name ? name : kind);
		json_object_array_add(items, e);
	}
	db_done(&q_task_audit);
	if (rc < 0) {
		json_object_put(items);
		return NULL;
	}
	return items;
}

/* {id} visible to the actor, found in ts: 0 and *tp set, else the
 * status sent (404 for a missing and an invisible task alike). */
static int
task_gate(struct req *r, const struct tctx *tc, struct task *ts, long n,
    struct task **tp)
{
	int64_t	 id = req_pathvar_id(r, 1);

	if (id <= 0 || (*tp = task_find(ts, n, id)) == NULL ||
	    !task_visible(tc, *tp))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* Review statuses offered instead of a Done one (reviewers rule). */
static const char *
review_names(struct req *r, const struct tctx *tc)
{
	const char	*s = NULL;
	long		 i;

	for (i = 0; i < tc->nst; i++)
		if (tc->st[i].state == TS_REVIEW)
			s = s ? arena_printf(r->a, "%s, “%s”", s,
			    tc->st[i].name) : arena_printf(r->a, "“%s”",
			    tc->st[i].name);
	return s ? s : "an In Review status";
}

static json_object *
show_view(struct req *r, const struct tctx *tc, struct task *ts, long n,
    struct task *t)
{
	json_object	*v = tasks_base_view(r, tc), *subs, *blocks, *sts,
			*aud;
	int		 edit = task_editable(tc, t);
	long		 i;

	vset_obj(v, "task", task_json(r, tc, t, ts, n));
	subs = json_object_new_array();
	blocks = json_object_new_array();
	for (i = 0; i < n; i++) {
		size_t	 d;

		if (!task_visible(tc, &ts[i]))
			continue;
		if (ts[i].parent_id == t->id)
			json_object_array_add(subs, task_json(r, tc, &ts[i],
			    ts, n));
		for (d = 0; d < ts[i].ndeps; d++)
			if (ts[i].deps[d].on_id == t->id) {
				json_object	*o = json_object_new_object();

				vset_str(o, "name", ts[i].name);
				vset_str(o, "url", task_url(r, tc->c.ev.id,
				    ts[i].id));
				json_object_array_add(blocks, o);
			}
	}
	vset_obj(v, "subtasks", subs);
	vset_obj(v, "blocks", blocks);
	vset_bool(v, "can_edit", edit);
	vset_bool(v, "can_status", may_set_status(tc, t) && !managed(t));
	/* The edit form shows advancing's status without offering it. */
	vset_bool(v, "status_managed", managed(t));
	vset_int(v, "status_managed_id", t->status_id);
	vset_bool(v, "can_delete", !tc->c.ev.archived &&
	    task_level(tc, t) >= LV_ADMIN && strcmp(t->source, "manual") == 0);
	vset_bool(v, "can_subtask", edit);
	vset_str(v, "action_url", task_url(r, tc->c.ev.id, t->id));
	vset_str(v, "status_url", arena_printf(r->a, "%s/status",
	    task_url(r, tc->c.ev.id, t->id)));
	vset_str(v, "delete_url", arena_printf(r->a, "%s/delete",
	    task_url(r, tc->c.ev.id, t->id)));
	vset_str(v, "subtask_url", arena_printf(r->a,
	    "/events/%lld/tasks/new?parent=%lld", (long long)tc->c.ev.id,
	    (long long)t->id));
	vset_int(v, "version", t->version);
	/* Statuses the actor may pick: Done ones only under the rule. */
	sts = json_object_new_array();
	for (i = 0; i < tc->nst; i++) {
		json_object	*o;

		if ((tc->st[i].state == TS_DONE) && !may_close(tc, t))
			continue;
		o = status_json(&tc->st[i]);
		vset_bool(o, "selected", tc->st[i].id == t->status_id);
		json_object_array_add(sts, o);
	}
	vset_obj(v, "status_choices", sts);
	vset_bool(v, "review_only", !may_close(tc, t));
	if ((aud = audit_json(r, tc, t->id)) != NULL)
		vset_obj(v, "audit", aud);
	return v;
}

/* GET /events/{event}/tasks/{id} — 200 the task with its subtasks,
 * dependencies and audit trail, and the forms the actor may use; 404
 * not on the event, no such task or not visible. */
int
h_task(struct req *r)
{
	struct tctx	 tc;
	struct task	*ts, *t;
	long		 n;
	json_object	*v;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	if ((st = task_gate(r, &tc, ts, n, &t)) != 0)
		return st;
	v = show_view(r, &tc, ts, n, t);
	if (task_editable(&tc, t) && form_into(r, &tc, v, ts, n, t, 0) != 0)
		return 503;
	return render_page(r, 200, "tasks/show", t->name, v);
}

/* GET /events/{event}/tasks/new[?parent=] — 200 the create form; 403
 * without tasks edit anywhere; 404 not on the event or an unknown
 * parent; 409 archived. */
int
h_task_new(struct req *r)
{
	struct tctx	 tc;
	struct task	*ts, *p = NULL;
	long		 n;
	json_object	*v;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if (!event_level_somewhere(&tc.c, SEC_TASKS, LV_EDIT))
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &tc.c)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	if (r->in[TNEW_PARENT].present &&
	    ((p = task_find(ts, n, r->in[TNEW_PARENT].i)) == NULL ||
	    !task_visible(&tc, p)))
		return page_refuse(r, 404, "not-found", "No such parent task.");
	v = tasks_base_view(r, &tc);
	if (form_into(r, &tc, v, ts, n, NULL, p ? p->id : 0) != 0)
		return 503;
	vset_str(v, "create_url", arena_printf(r->a, "/events/%lld/tasks",
	    (long long)tc.c.ev.id));
	if (p != NULL)
		vset_str(v, "parent_name", p->name);
	return render_page(r, 200, "tasks/new", "New task", v);
}

/* 422: the form re-shown with the errors and what was typed. */
static int
invalid(struct req *r, const struct tctx *tc, struct task *ts, long n,
    struct task *cur)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	if (cur != NULL) {
		v = show_view(r, tc, ts, n, cur);
		(void)form_into(r, tc, v, ts, n, cur, 0);
		return render_invalid(r, "tasks/show", cur->name, v);
	}
	v = tasks_base_view(r, tc);
	(void)form_into(r, tc, v, ts, n, NULL, 0);
	vset_str(v, "create_url", arena_printf(r->a, "/events/%lld/tasks",
	    (long long)tc->c.ev.id));
	return render_invalid(r, "tasks/new", "New task", v);
}

/* Lock the event for a task write and reload the tasks under the lock.
 * 0, or the status sent. */
static int
lock_and_reload(struct req *r, struct tctx *tc, struct task **ts, long *n)
{
	int	 st;

	if (db_begin() != 0 || (st = taskconf_lock_event(r, tc->c.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	if ((*ts = task_list(r, tc->c.ev.id, n)) == NULL && *n < 0)
		return 503;
	return 0;
}

static int
written(struct req *r, const struct tctx *tc, int64_t id, int created,
    const char *msg)
{
	struct task	*ts, *t;
	long		 n;
	json_object	*v;

	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		if ((ts = task_list(r, tc->c.ev.id, &n)) == NULL ||
		    (t = task_find(ts, n, id)) == NULL)
			return 503;
		vset_obj(v, "task", task_json(r, tc, t, ts, n));
		if (created)
			resp_header(r, "Location", arena_printf(r->a,
			    "/api/v1/events/%lld/tasks/%lld",
			    (long long)tc->c.ev.id, (long long)id));
		return render_json(r, created ? 201 : 200, v);
	}
	flash(r, "ok", msg);
	return render_redirect(r, task_url(r, tc->c.ev.id, id));
}

/* POST /events/{event}/tasks — 303 to the task (201 JSON); 403 without
 * tasks edit covering it (Event domain, an assigned collaborator or a
 * tagged area); 404 not on the event; 409 archived; 422 field errors
 * (nothing saved). */
int
h_task_create(struct req *r)
{
	struct tctx	 tc;
	struct tpeople	 tp;
	struct input_set *in;
	struct perm_target pt;
	struct task	*ts;
	long		 n;
	json_object	*ch;
	int64_t		 id;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if (!event_level_somewhere(&tc.c, SEC_TASKS, LV_EDIT))
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &tc.c)) != 0)
		return st;
	if (tpeople_load(r, &tc, &tp) != 0)
		return 503;
	if ((st = lock_and_reload(r, &tc, &ts, &n)) != 0)
		return st;
	in = arena_calloc(r->a, 1, sizeof(*in));
	if (r->nerrors == 0)
		read_form(r, &tc, &tp, ts, n, NULL, in);
	if (r->nerrors)
		return invalid(r, &tc, ts, n, NULL);
	fields_target(&in->f, &pt);
	if (perm_level(&tc.c.actor, SEC_TASKS, &pt) < LV_EDIT)
		return page_refuse(r, 403, "insufficient-permission", "You "
		    "may add tasks only for the collaborators and areas you "
		    "edit tasks for: assign that collaborator or tag that "
		    "area.");
	if (in->f.parent_id) {
		struct task	*p = task_find(ts, n, in->f.parent_id);

		if (p == NULL || task_level(&tc, p) < LV_EDIT)
			return page_refuse(r, 403, "insufficient-permission",
			    "Adding a subtask needs edit access to tasks on "
			    "its parent.");
	}
	if ((id = task_insert(r, tc.c.ev.id, tc.uid, &in->f)) < 0)
		return 503;
	ch = changes_of(&tc, NULL, &in->f);
	json_object_object_add(ch, "people", json_object_get(
	    json_object_object_get(in->names, "people")));
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task.created", "task", id,
	    in->f.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "event=%lld task=%lld msg=\"task created\"",
	    (long long)tc.c.ev.id, (long long)id);
	return written(r, &tc, id, 1, arena_printf(r->a, "“%s” was added.",
	    in->f.name));
}

/* Refuse a status the actor may not set on t: 403 under the reviewers
 * rule (naming the review statuses), else 0. */
static int
check_close(struct req *r, const struct tctx *tc, const struct task *t,
    int64_t status_id)
{
	const struct task_status *s = taskstatus_find(tc->st, tc->nst,
	    status_id);

	if (s == NULL || s->id == t->status_id || s->state != TS_DONE ||
	    may_close(tc, t))
		return 0;
	return page_refuse(r, 403, "review-required", arena_printf(r->a,
	    "“%s” has reviewers: only a reviewer or a tasks admin may mark it "
	    "done. Move it to %s instead.", t->name, review_names(r, tc)));
}

/* POST /events/{event}/tasks/{id} — 303 to the task (200 JSON); fields
 * left out keep their values. 403 without tasks edit over the task and
 * over what it becomes, or a Done status under the reviewers rule; 404
 * not visible; 409 archived or a stale version; 422 field errors,
 * dependency-cycle naming the cycle (nothing saved). */
int
h_task_update(struct req *r)
{
	struct tctx	 tc;
	struct tpeople	 tp;
	struct input_set *in;
	struct perm_target pt;
	struct task	*ts, *t;
	long		 n;
	json_object	*ch;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	if ((st = task_gate(r, &tc, ts, n, &t)) != 0)
		return st;
	if (task_level(&tc, t) < LV_EDIT)
		return forbidden(r, LV_EDIT);
	if ((st = event_writable(r, &tc.c)) != 0)
		return st;
	if (tpeople_load(r, &tc, &tp) != 0)
		return 503;
	if ((st = lock_and_reload(r, &tc, &ts, &n)) != 0)
		return st;
	if ((t = task_find(ts, n, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[TASK_VERSION].present && r->in[TASK_VERSION].i != t->version)
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "The task changed after you loaded it (now version %lld); "
		    "nothing was saved.", (long long)t->version));
	in = arena_calloc(r->a, 1, sizeof(*in));
	if (r->nerrors == 0)
		read_form(r, &tc, &tp, ts, n, t, in);
	if (r->nerrors)
		return invalid(r, &tc, ts, n, t);
	fields_target(&in->f, &pt);
	if (perm_level(&tc.c.actor, SEC_TASKS, &pt) < LV_EDIT)
		return page_refuse(r, 403, "insufficient-permission", "After "
		    "this change you could no longer edit the task: keep your "
		    "collaborator assigned or your area tagged.");
	if (managed(t) && in->f.status_id != t->status_id)
		return managed_refuse(r, t);
	if ((st = check_close(r, &tc, t, in->f.status_id)) != 0)
		return st;
	if ((st = task_update(r, tc.c.ev.id, t->id, t->version, &in->f)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "edit-conflict", "The task changed "
		    "meanwhile; nothing was saved.");
	ch = changes_of(&tc, t, &in->f);
	json_object_object_add(ch, "people", json_object_get(
	    json_object_object_get(in->names, "people")));
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task.updated", "task",
	    t->id, in->f.name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &tc, t->id, 0, "The task was saved.");
}

/* POST /events/{event}/tasks/{id}/status — 303 to the task (200 JSON).
 * Tasks edit or being an assignee; 403 otherwise or a Done status under
 * the reviewers rule; 404 not visible; 409 archived, stale version or
 * managed-by-advancing; 422 not a status of the event. */
int
h_task_status(struct req *r)
{
	struct tctx	 tc;
	struct task	*ts, *t;
	long		 n;
	json_object	*ch, *o;
	const struct task_status *old, *s;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	if ((st = task_gate(r, &tc, ts, n, &t)) != 0)
		return st;
	if ((st = event_writable(r, &tc.c)) != 0)
		return st;
	if (!may_set_status(&tc, t))
		return page_refuse(r, 403, "insufficient-permission", "Only "
		    "assignees and people with edit access to tasks may change "
		    "its status.");
	if (managed(t))
		return managed_refuse(r, t);
	if (r->nerrors || (s = taskstatus_find(tc.st, tc.nst,
	    r->in[TSC_STATUS].i)) == NULL) {
		if (r->nerrors == 0)
			valid_error(r, "status", "invalid", "Status must be one "
			    "of this event's statuses.");
		return invalid(r, &tc, ts, n, t);
	}
	if ((st = check_close(r, &tc, t, s->id)) != 0)
		return st;
	if ((st = lock_and_reload(r, &tc, &ts, &n)) != 0)
		return st;
	if ((t = task_find(ts, n, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (r->in[TSC_VERSION].present && r->in[TSC_VERSION].i != t->version)
		return page_refuse(r, 409, "edit-conflict", "The task changed "
		    "after you loaded it; nothing was saved.");
	if ((st = task_set_status(r, tc.c.ev.id, t->id, t->version, s->id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "edit-conflict", "The task changed "
		    "meanwhile; nothing was saved.");
	old = taskstatus_find(tc.st, tc.nst, t->status_id);
	ch = json_object_new_object();
	o = json_object_new_object();
	vset_str(o, "old", old ? old->name : NULL);
	vset_str(o, "new", s->name);
	json_object_object_add(ch, "status", o);
	st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task.status", "task",
	    t->id, t->name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return written(r, &tc, t->id, 0, arena_printf(r->a, "Moved to “%s”.",
	    s->name));
}

/* Collect t and its descendants, children before parents. */
static void
collect_subtree(struct task *ts, long n, int64_t id, int64_t *out,
    size_t *k, int guard)
{
	long	 i;

	if (guard > TASK_DEPTH_MAX + 1)
		return;
	for (i = 0; i < n; i++)
		if (ts[i].parent_id == id)
			collect_subtree(ts, n, ts[i].id, out, k, guard + 1);
	out[(*k)++] = id;
}

/* POST /events/{event}/tasks/{id}/delete — 303 to the list (204 JSON).
 * Tasks admin over the task (and every subtask); 409 with subtasks
 * unless with_subtasks=1, for advancing tasks, archived or a stale
 * version; 422 without the version; 404 not visible. */
int
h_task_delete(struct req *r)
{
	struct tctx	 tc;
	struct task	*ts, *t;
	long		 n;
	int64_t		*ids;
	size_t		 k = 0, i;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if ((ts = task_list(r, tc.c.ev.id, &n)) == NULL && n < 0)
		return 503;
	if ((st = task_gate(r, &tc, ts, n, &t)) != 0)
		return st;
	if (task_level(&tc, t) < LV_ADMIN)
		return forbidden(r, LV_ADMIN);
	if ((st = event_writable(r, &tc.c)) != 0)
		return st;
	if ((st = lock_and_reload(r, &tc, &ts, &n)) != 0)
		return st;
	if ((t = task_find(ts, n, req_pathvar_id(r, 1))) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	/* A delete names the version it saw, so nobody deletes a task
	 * that changed under them. */
	if (!r->in[TDEL_VERSION].present) {
		valid_error(r, "version", "required", "Send the version of the "
		    "task you are deleting.");
		return invalid(r, &tc, ts, n, t);
	}
	if (r->in[TDEL_VERSION].i != t->version)
		return page_refuse(r, 409, "edit-conflict", "The task changed "
		    "after you loaded it; nothing was deleted.");
	if (strcmp(t->source, "manual") != 0)
		return page_refuse(r, 409, "advancing-task", "Tasks made by "
		    "advancing can't be deleted: turn task tracking off on the "
		    "module to archive them.");
	ids = arena_calloc(r->a, (size_t)n + 1, sizeof(*ids));
	collect_subtree(ts, n, t->id, ids, &k, 1);
	if (k > 1 && !r->in[TDEL_SUBTASKS].i)
		return page_refuse(r, 409, "has-subtasks", arena_printf(r->a,
		    "“%s” has %zu subtask%s: choose “delete with subtasks” to "
		    "delete them too.", t->name, k - 1, k == 2 ? "" : "s"));
	for (i = 0; i + 1 < k; i++) {
		struct task	*s = task_find(ts, n, ids[i]);

		if (s == NULL || task_level(&tc, s) < LV_ADMIN ||
		    strcmp(s->source, "manual") != 0)
			return page_refuse(r, 403, "insufficient-permission",
			    "Some subtasks are outside what you administer or "
			    "come from advancing; nothing was deleted.");
	}
	if (task_delete(r, tc.c.ev.id, ids, k) != 0)
		return 503;
	for (i = 0; i < k; i++) {
		struct task	*s = task_find(ts, n, ids[i]);

		if (audit(r, tc.c.ev.org_id, tc.c.ev.id, "task.deleted", "task",
		    ids[i], s ? s->name : NULL, NULL) != 0)
			return 503;
	}
	if (db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON)
		return render_json(r, 200, view_new(r));
	flash(r, "ok", k > 1 ? arena_printf(r->a, "“%s” and %zu subtask%s were "
	    "deleted.", t->name, k - 1, k == 2 ? "" : "s") :
	    arena_printf(r->a, "“%s” was deleted.", t->name));
	return render_redirect(r, arena_printf(r->a, "/events/%lld/tasks",
	    (long long)tc.c.ev.id));
}

/* The bulk bar has no form page of its own: problem details, or an
 * error page naming the first problem. */
static int
bulk_invalid(struct req *r)
{
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	return render_error(r, 422, "invalid-input", r->errors[0].message);
}

/* POST /events/{event}/tasks/bulk — ids[] with a status and/or an
 * assignee to add; all or nothing: 303 to the list (200 JSON); 403 when
 * any task refuses the change (status: edit or assignee, reviewers rule;
 * assignee: edit); 404 when any id is not a visible task; 409 archived;
 * 422 nothing chosen or an unknown status/assignee. */
int
h_tasks_bulk(struct req *r)
{
	struct tctx	 tc;
	struct tpeople	 tp;
	struct task	*ts, *t;
	struct task_person who;
	const struct task_status *s = NULL;
	const char	*as, *name = NULL;
	long		 n;
	size_t		 i;
	int64_t		 id;
	int		 st;

	if ((st = tctx_load(r, &tc, 0)) != 0)
		return st;
	if ((st = event_writable(r, &tc.c)) != 0)
		return st;
	if (r->nerrors)
		return bulk_invalid(r);
	memset(&who, 0, sizeof(who));
	if (r->in[TB_STATUS].present && *r->in[TB_STATUS].s != '\0' &&
	    (task_ref_parse(r->in[TB_STATUS].s, "", &id) != 0 ||
	    (s = taskstatus_find(tc.st, tc.nst, id)) == NULL))
		valid_error(r, "status", "invalid", "Status must be one of this "
		    "event's statuses.");
	as = r->in[TB_ASSIGNEE].present ? r->in[TB_ASSIGNEE].s : "";
	if (*as != '\0') {
		if (tpeople_load(r, &tc, &tp) != 0)
			return 503;
		who.role = TR_ASSIGNEE;
		if (task_ref_parse(as, "user:", &id) == 0 && user_on(&tp, id, &name))
			who.user_id = id;
		else if (task_ref_parse(as, "collaborator:", &id) == 0 &&
		    scope_in(tp.collabs, tp.ncollabs, id, &name))
			who.collab_id = id;
		else
			valid_error(r, "assignee", "invalid", "Assignee must be "
			    "a user or collaborator of this event.");
	}
	if (r->nerrors == 0 && s == NULL && *as == '\0')
		valid_error(r, "status", "required", "Choose a status or an "
		    "assignee to apply.");
	if (r->nerrors == 0 && r->in[TB_IDS].nmulti == 0)
		valid_error(r, "ids", "required", "Tick at least one task.");
	if (r->nerrors)
		return bulk_invalid(r);

	if ((st = lock_and_reload(r, &tc, &ts, &n)) != 0)
		return st;
	for (i = 0; i < r->in[TB_IDS].nmulti; i++) {
		id = strtoll(r->in[TB_IDS].multi[i], NULL, 10);
		if ((t = task_find(ts, n, id)) == NULL || !task_visible(&tc, t))
			return page_refuse(r, 404, "not-found", arena_printf(
			    r->a, "Task %lld is not on this event.",
			    (long long)id));
		if (s != NULL) {
			if (!may_set_status(&tc, t))
				return page_refuse(r, 403,
				    "insufficient-permission", arena_printf(
				    r->a, "You can't change the status of “%s”;"
				    " nothing was changed.", t->name));
			if (managed(t) && s->id != t->status_id)
				return managed_refuse(r, t);
			if ((st = check_close(r, &tc, t, s->id)) != 0)
				return st;
		}
		if (*as != '\0') {
			if (task_level(&tc, t) < LV_EDIT)
				return page_refuse(r, 403,
				    "insufficient-permission", arena_printf(
				    r->a, "You can't assign “%s”; nothing was "
				    "changed.", t->name));
		}
	}
	for (i = 0; i < r->in[TB_IDS].nmulti; i++) {
		json_object	*ch = json_object_new_object(), *o;

		id = strtoll(r->in[TB_IDS].multi[i], NULL, 10);
		t = task_find(ts, n, id);
		if (s != NULL && s->id != t->status_id) {
			const struct task_status *old = taskstatus_find(tc.st,
			    tc.nst, t->status_id);

			if (task_set_status(r, tc.c.ev.id, t->id, 0, s->id) < 0) {
				json_object_put(ch);
				return 503;
			}
			o = json_object_new_object();
			vset_str(o, "old", old ? old->name : NULL);
			vset_str(o, "new", s->name);
			json_object_object_add(ch, "status", o);
		}
		if (*as != '\0') {
			if (task_add_person(r, tc.c.ev.id, t->id, &who) != 0) {
				json_object_put(ch);
				return 503;
			}
			o = json_object_new_object();
			vset_str(o, "added", name);
			json_object_object_add(ch, "assignee", o);
		}
		st = audit(r, tc.c.ev.org_id, tc.c.ev.id, "task.bulk_updated",
		    "task", t->id, t->name, ch);
		json_object_put(ch);
		if (st != 0)
			return 503;
	}
	if (db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		vset_int(v, "updated", (long long)r->in[TB_IDS].nmulti);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%zu task%s updated.",
	    r->in[TB_IDS].nmulti, r->in[TB_IDS].nmulti == 1 ? "" : "s"));
	return render_redirect(r, arena_printf(r->a, "/events/%lld/tasks",
	    (long long)tc.c.ev.id));
}
