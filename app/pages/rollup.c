/* rollup.c — the task roll-up and the combined schedule of an
 * organization as HTML and JSON (PRODUCT §15).
 *
 * Items follow each event's own visibility rules: the events are those
 * of the organization that the user may enter (Org Pro holders every
 * active one, others the events they are on); archived events never
 * appear. Everything is read in a fixed number of queries whatever the
 * organization holds. The task roll-up is paged in SQL (model/task.c
 * task_page): per event, what the actor sees (task_sight) and its clock
 * go to the query, which filters, orders and counts (to TOTAL_AHEAD past
 * the page) there; the combined schedule is decided per row in memory. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "calendar.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "eventctx.h"
#include "actperm.h"
#include "feeds.h"
#include "model/activity.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "model/user.h"
#include "orgctx.h"
#include "policy/tz.h"
#include "core/buf.h"
#include "core/parse.h"
#include "core/valid.h"
#include "render/esc.h"
#include "render/view.h"
#include "render/vw.h"
#include "rollup.h"

#define PAGE_SIZE	100
#define TOTAL_AHEAD	1000	/* tasks counted past a page's first */
#define RANGE_MAX	366
#define RANGE_DEFAULT	30

int
rollup_build(struct req *r, int64_t scope_org, int taskconf,
    struct rollup *ru)
{
	struct event_ctx *cs;
	size_t		 n, k;

	ru->scope_org = scope_org;
	/* Task sight needs the tasks section's grants; the combined
	 * schedule goes by taking part. */
	if ((cs = event_ctx_scope_counted(r, ru->scope_org, SEC_TASKS, &n,
	    &ru->nactive)) == NULL && n == (size_t)-1)
		return -1;
	ru->evs = arena_calloc(r->a, n + 1, sizeof(*ru->evs));
	ru->nev = n;
	for (k = 0; k < n; k++) {
		ru->evs[k].c = cs[k];
		ru->evs[k].uid = r->user->id;
	}
	return taskconf ? rollup_taskconf(r, ru, 1) : 0;
}

int
rollup_taskconf(struct req *r, struct rollup *ru, int phases)
{
	struct task_status *st = NULL;
	struct task_phase *ph = NULL;
	long		 nst = 0, nph = 0, i;
	size_t		 k;

	if (((st = taskstatus_list_scope(r, ru->scope_org, r->user->id,
	    &nst)) == NULL && nst < 0) || (phases &&
	    (ph = taskphase_list_scope(r, ru->scope_org, r->user->id,
	    &nph)) == NULL && nph < 0))
		return -1;
	for (k = 0; k < ru->nev; k++) {
		struct tctx	*tc = &ru->evs[k];

		/* Statuses and phases come ordered by event: find the run. */
		for (i = 0; i < nst && st[i].event_id != tc->c.ev.id; i++)
			;
		tc->st = st + i;
		tc->nst = 0;
		for (; i < nst && st[i].event_id == tc->c.ev.id; i++)
			tc->nst++;
		for (i = 0; i < nph && ph[i].event_id != tc->c.ev.id; i++)
			;
		tc->ph = ph + i;
		tc->nph = 0;
		for (; i < nph && ph[i].event_id == tc->c.ev.id; i++)
			tc->nph++;
	}
	return 0;
}

int
rollup_load(struct req *r, struct rollup *ru, int taskconf)
{
	int	 rc;

	memset(ru, 0, sizeof(*ru));
	if ((rc = org_gate(r, &ru->o, NEED_MEMBER)) != 0)
		return rc;
	return rollup_build(r, ru->o.kind == ORG_PERSONAL ? 0 : ru->o.id,
	    taskconf, ru) == 0 ? 0 : 503;
}

const struct tctx *
rollup_event(const struct rollup *ru, int64_t ev)
{
	size_t	 i;

	for (i = 0; i < ru->nev; i++)
		if (ru->evs[i].c.ev.id == ev)
			return &ru->evs[i];
	return NULL;
}

/* A query value percent-encoded (arena). */
static const char *
qvalue(struct req *r, const char *s)
{
	struct buf	 b;
	char		*out;

	buf_init(&b);
	esc_url(&b, s, strlen(s));
	out = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

static json_object *
rollup_view(struct req *r, const struct rollup *ru, const char *current)
{
	json_object	*v = view_new(r), *evs = json_object_new_array();
	size_t		 i;

	vset_obj(v, "org", org_json(&ru->o));
	vset_bool(v, "personal", ru->o.kind == ORG_PERSONAL);
	vset_str(v, "title", ru->o.kind == ORG_PERSONAL ? "My work" :
	    ru->o.name);
	vset_str(v, "tasks_url", arena_printf(r->a, "/orgs/%lld/tasks",
	    (long long)ru->o.id));
	vset_str(v, "schedule_url", arena_printf(r->a, "/orgs/%lld/schedule",
	    (long long)ru->o.id));
	vset_bool(v, "view_tasks", strcmp(current, "tasks") == 0);
	vset_bool(v, "view_schedule", strcmp(current, "schedule") == 0);
	for (i = 0; i < ru->nev; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", ru->evs[i].c.ev.id);
		vset_str(o, "name", ru->evs[i].c.ev.name);
		vset_str(o, "code", ru->evs[i].c.ev.code);
		vset_str(o, "timezone", ru->evs[i].c.ev.timezone);
		json_object_array_add(evs, o);
	}
	vset_obj(v, "events", evs);
	return v;
}

/* --- the task roll-up ------------------------------------------------------ */

struct tfilter {
	const int64_t	*events;
	size_t		 nevents;
	unsigned	 states;	/* bit per task_state; 0 = open ones */
	const char	*status;	/* status name, any case */
	const char	*assignee;	/* me, user:ID, collaborator:ID */
	int64_t		 due_from, due_to;
	int		 overdue;
	int		 archived;
	int64_t		 page;
};

static int
read_tfilter(struct req *r, struct tfilter *f)
{
	size_t		 i;
	enum task_state	 ts;
	int64_t		*evs;
	const char	*s;
	int64_t		 id;

	memset(f, 0, sizeof(f[0]));
	f->due_from = f->due_to = -1;
	f->page = 1;
	if (r->nerrors)
		return render_error(r, 400, "invalid-parameter",
		    r->errors[0].message);
	evs = arena_calloc(r->a, r->in[RT_EVENT].nmulti + 1, sizeof(*evs));
	for (i = 0; i < r->in[RT_EVENT].nmulti; i++)
		evs[f->nevents++] = strtoll(r->in[RT_EVENT].multi[i], NULL, 10);
	f->events = evs;
	for (i = 0; i < r->in[RT_STATE].nmulti; i++) {
		if (task_state_parse(r->in[RT_STATE].multi[i], &ts) != 0)
			return render_error(r, 400, "invalid-parameter",
			    "state must be todo, active, review, done or "
			    "archived.");
		f->states |= 1u << ts;
	}
	if ((s = r->in[RT_STATUS].s) != NULL && *s != '\0')
		f->status = s;
	if ((s = r->in[RT_ASSIGNEE].s) != NULL && *s != '\0') {
		if (strcmp(s, "me") != 0 && task_ref_parse(s, "user:", &id) != 0 &&
		    task_ref_parse(s, "collaborator:", &id) != 0)
			return render_error(r, 400, "invalid-parameter",
			    "assignee must be me, user:ID or collaborator:ID.");
		f->assignee = s;
	}
	if (r->in[RT_DUE_FROM].present)
		(void)tz_parse_date(r->in[RT_DUE_FROM].s, &f->due_from);
	if (r->in[RT_DUE_TO].present)
		(void)tz_parse_date(r->in[RT_DUE_TO].s, &f->due_to);
	f->overdue = r->in[RT_OVERDUE].i != 0;
	f->archived = r->in[RT_ARCHIVED].i != 0;
	if (r->in[RT_PAGE].present)
		f->page = r->in[RT_PAGE].i;
	return 0;
}

/* The states shown: the ones asked for (all when none), Archived only
 * when asked for by state or by "include archived". */
static unsigned
states_shown(const struct tfilter *f)
{
	unsigned	 all = (1u << TS__MAX) - 1, arch = 1u << TS_ARCHIVED;
	unsigned	 m = f->states ? f->states : all;

	if (f->archived)
		m |= arch;
	else if (!(f->states & arch))
		m &= ~arch;
	return m;
}

/* The states in which a task is never overdue. */
static unsigned
states_closed(void)
{
	unsigned	 m = 0;
	int		 k;

	for (k = 0; k < TS__MAX; k++)
		if (task_state_closed((enum task_state)k))
			m |= 1u << k;
	return m;
}

static int
event_picked(const struct tfilter *f, int64_t ev)
{
	size_t	 i;

	for (i = 0; i < f->nevents; i++)
		if (f->events[i] == ev)
			return 1;
	return f->nevents == 0;
}

/* The event's local date and time now, for overdue (task_overdue). */
static void
event_clock(struct req *r, const char *zone, time_t now,
    struct task_page_event *e)
{
	int64_t	 ls, sec;
	char	 d[16];

	if (tz_utc_to_local(zone, (int64_t)now, &ls, NULL, 0) != TZ_OK)
		ls = (int64_t)now;
	tz_fmt_date(ls / 86400, d, sizeof(d));
	sec = ls % 86400;
	e->today = arena_strdup(r->a, d);
	e->now = arena_printf(r->a, "%02d:%02d:%02d", (int)(sec / 3600),
	    (int)(sec / 60 % 60), (int)(sec % 60));
}

/* The status filter as ids ("12,40"; "0" when no event has the name),
 * matched as before: the whole name, ignoring ASCII case. */
static void
status_ids_add(struct req *r, const struct tctx *tc, const char *name,
    const char **list)
{
	long	 i;

	for (i = 0; i < tc->nst; i++)
		if (strcasecmp(tc->st[i].name, name) == 0)
			*list = strcmp(*list, "0") == 0 ?
			    arena_printf(r->a, "%lld", (long long)tc->st[i].id) :
			    arena_printf(r->a, "%s,%lld", *list,
			    (long long)tc->st[i].id);
}

static void
ids_add(struct req *r, int64_t **ids, size_t *n, size_t *cap,
    const int64_t *add, size_t nadd)
{
	size_t	 i;

	for (i = 0; i < nadd; i++) {
		*ids = arena_grow(r->a, *ids, *n, cap, sizeof(**ids));
		(*ids)[(*n)++] = add[i];
	}
}

/* The page query: per event of the roll-up the filter picks, what the
 * actor sees there (task_sight) and, for overdue, its clock; the
 * filters. */
static void
page_query(struct req *r, const struct rollup *ru, const struct tfilter *f,
    struct task_page_query *pq)
{
	struct task_page_event *evs;
	int64_t		*vc = NULL, *va = NULL, id;
	size_t		 k, n = 0, nall = 0, capc = 0, capa = 0;
	time_t		 now = time(NULL);

	memset(pq, 0, sizeof(*pq));
	evs = arena_calloc(r->a, ru->nev + 1, sizeof(*evs));
	if (f->status != NULL)
		pq->status_ids = "0";
	for (k = 0; k < ru->nev; k++) {
		const struct tctx *tc = &ru->evs[k];
		struct task_sight s;

		if (!event_picked(f, tc->c.ev.id))
			continue;
		task_sight(r->a, tc, &s);
		evs[n].event_id = tc->c.ev.id;
		evs[n].all = s.all;
		nall += s.all;
		evs[n].assignee_rule = s.assignee_rule;
		evs[n].collab_id = s.collab_id;
		/* The clock only for overdue: a zone conversion per event
		 * was a twentieth of the worker's time on a roll-up. */
		if (f->overdue)
			event_clock(r, tc->c.ev.timezone, now, &evs[n]);
		n++;
		ids_add(r, &vc, &pq->nview_collabs, &capc, s.collabs,
		    s.ncollabs);
		ids_add(r, &va, &pq->nview_areas, &capa, s.areas, s.nareas);
		if (f->status != NULL)
			status_ids_add(r, tc, f->status, &pq->status_ids);
	}
	pq->org_id = ru->scope_org;
	/* Walking the organization's index pays while the events seen
	 * whole hold a good share of its tasks; otherwise the tasks that
	 * may be visible are found and sorted. */
	pq->org_walk = ru->scope_org != 0 && 2 * nall >= ru->nactive;
	pq->org_whole = ru->scope_org != 0 && nall == ru->nactive;
	pq->user_id = r->user->id;
	pq->events = evs;
	pq->nevents = n;
	pq->view_collabs = vc;
	pq->view_areas = va;
	pq->states = states_shown(f);
	pq->closed = states_closed();
	if (f->assignee != NULL && strcmp(f->assignee, "me") == 0)
		pq->assignee_user = r->user->id;
	else if (f->assignee != NULL &&
	    task_ref_parse(f->assignee, "user:", &id) == 0)
		pq->assignee_user = id;
	else if (f->assignee != NULL &&
	    task_ref_parse(f->assignee, "collaborator:", &id) == 0)
		pq->assignee_collab = id;
	if (f->due_from >= 0)
		pq->due_from = cal_date(r, f->due_from);
	if (f->due_to >= 0)
		pq->due_to = cal_date(r, f->due_to);
	pq->overdue = f->overdue;
}

/* A row of the roll-up: as text for the API, as objects for the page
 * (render/vw.h). */
static void
task_row_emit(struct vw *w, struct req *r, const struct tctx *tc,
    const struct task *t)
{
	const struct task_status *s = &t->status;
	size_t		 i;

	vw_obj(w, NULL);
	vw_obj(w, "event");
	vw_int(w, "id", tc->c.ev.id);
	vw_str(w, "name", tc->c.ev.name);
	vw_str(w, "code", tc->c.ev.code);
	vw_str(w, "url", arena_printf(r->a, "/events/%lld/tasks",
	    (long long)tc->c.ev.id));
	vw_end(w);
	vw_int(w, "id", t->id);
	vw_str(w, "uuid", t->uuid);
	vw_str(w, "name", t->name);
	vw_str(w, "url", arena_printf(r->a, "/events/%lld/tasks/%lld",
	    (long long)t->event_id, (long long)t->id));
	vw_obj(w, "status");
	vw_str(w, "name", s->name);
	vw_str(w, "colour", s->colour);
	vw_str(w, "state", task_state_name(s->state));
	vw_str(w, "state_label", task_state_label(s->state));
	vw_end(w);
	vw_str(w, "due_date", t->due_date);
	vw_str(w, "due_time", t->due_time);
	vw_bool(w, "overdue", task_overdue_in(tc->c.ev.timezone, s->state,
	    t));
	vw_str(w, "priority", t->priority);
	vw_bool(w, "priority_set", strcmp(t->priority, "none") != 0);
	vw_str(w, "phase", t->phase_name);
	vw_arr(w, "assignees");
	for (i = 0; i < t->npeople; i++) {
		if (t->people[i].role != TR_ASSIGNEE)
			continue;
		vw_obj(w, NULL);
		vw_str(w, "kind", t->people[i].user_id ? "user" :
		    "collaborator");
		vw_int(w, "id", t->people[i].user_id ?
		    t->people[i].user_id : t->people[i].collab_id);
		vw_str(w, "name", t->people[i].name);
		vw_end(w);
	}
	vw_end(w);
	vw_arr(w, "areas");
	for (i = 0; i < t->nareas; i++) {
		vw_obj(w, NULL);
		vw_int(w, "id", t->areas[i].area_id);
		vw_str(w, "name", t->areas[i].name);
		vw_end(w);
	}
	vw_end(w);
	vw_end(w);
}

/* "1,234" (arena). */
static const char *
thousands(struct req *r, int64_t n)
{
	if (n < 1000)
		return arena_printf(r->a, "%lld", (long long)n);
	return arena_printf(r->a, "%s,%03lld", thousands(r, n / 1000),
	    (long long)(n % 1000));
}

/* GET /orgs/{org}/tasks — 200 a page of 100 of every task the user may
 * see in the organization's active events (personal workspace: every
 * event they are on), filtered; 400 a bad filter; 404 not a member.
 * The total is counted up to TOTAL_AHEAD tasks past the page's first:
 * beyond that it is a lower bound ("1,000+"). */
int
h_rollup_tasks(struct req *r)
{
	struct rollup	 ru;
	struct tfilter	 f;
	struct task_page_query pq;
	struct task	*ts;
	long		 n, i;
	int64_t		 first, total, cap;
	json_object	*v, *sts;
	struct vw	 w;
	int		 st, capped;
	const char	*qs = "";

	/* The page rows carry their status and phase: every event's
	 * statuses only for a status filter (matched by name). */
	if ((st = rollup_load(r, &ru, 0)) != 0 ||
	    (st = read_tfilter(r, &f)) != 0)
		return st;
	if (f.status != NULL && rollup_taskconf(r, &ru, 0) != 0)
		return 503;
	page_query(r, &ru, &f, &pq);
	first = (f.page - 1) * PAGE_SIZE;
	cap = first + TOTAL_AHEAD;
	if ((ts = task_page(r, &pq, first, PAGE_SIZE, cap, &total, &n)) ==
	    NULL && n < 0)
		return 503;
	if ((capped = total > cap))
		total = cap;
	v = rollup_view(r, &ru, "tasks");
	if (r->fmt == FMT_JSON)
		vw_text(&w);
	else
		vw_tree(&w);
	vw_arr(&w, NULL);
	for (i = 0; i < n; i++) {
		const struct tctx *tc = rollup_event(&ru, ts[i].event_id);

		if (tc != NULL)
			task_row_emit(&w, r, tc, &ts[i]);
	}
	vw_end(&w);
	vset_obj(v, "tasks", vw_take(&w));
	vset_int(v, "total", (long long)total);
	vset_bool(v, "total_capped", capped);
	vset_str(v, "total_text", arena_printf(r->a, "%s%s",
	    thousands(r, total), capped ? "+" : ""));
	vset_int(v, "page", f.page);
	vset_int(v, "page_size", PAGE_SIZE);
	/* The filters again for the pager links. */
	for (i = 0; i < (long)r->params.n; i++)
		if (strcmp(r->params.v[i].name, "page") != 0)
			qs = arena_printf(r->a, "%s&%s=%s", qs,
			    qvalue(r, r->params.v[i].name), qvalue(r,
			    r->params.v[i].value));
	vset_str(v, "prev_url", f.page > 1 ? arena_printf(r->a,
	    "/orgs/%lld/tasks?page=%lld%s", (long long)ru.o.id,
	    (long long)(f.page - 1), qs) : NULL);
	vset_str(v, "next_url", first + PAGE_SIZE < total ? arena_printf(r->a,
	    "/orgs/%lld/tasks?page=%lld%s", (long long)ru.o.id,
	    (long long)(f.page + 1), qs) : NULL);
	sts = json_object_new_array();
	{
		int	 k;

		for (k = 0; k < TS__MAX; k++) {
			json_object	*o = json_object_new_object();

			vset_str(o, "value", task_state_name(
			    (enum task_state)k));
			vset_str(o, "label", task_state_label(
			    (enum task_state)k));
			vset_bool(o, "selected", (f.states >> k) & 1);
			json_object_array_add(sts, o);
		}
	}
	vset_obj(v, "states", sts);
	vset_str(v, "f_status", f.status);
	vset_str(v, "f_assignee", f.assignee);
	vset_bool(v, "f_me", f.assignee && strcmp(f.assignee, "me") == 0);
	vset_str(v, "f_due_from", r->in[RT_DUE_FROM].s);
	vset_str(v, "f_due_to", r->in[RT_DUE_TO].s);
	vset_bool(v, "f_overdue", f.overdue);
	vset_bool(v, "f_archived", f.archived);
	vset_str(v, "xml_url", arena_printf(r->a, "/orgs/%lld/tasks.xml",
	    (long long)ru.o.id));
	feeds_subscribe_into(r, v, "org_tasks", ru.o.id);
	return render_page(r, 200, "rollup/tasks", arena_printf(r->a,
	    "Tasks · %s", ru.o.kind == ORG_PERSONAL ? "My work" : ru.o.name),
	    v);
}

/* --- the combined schedule ------------------------------------------------- */

/* The combined schedule's series in local days [from, to] (the model
 * reads them; global ones and the user's own, of events in the
 * roll-up). */
struct activity *
rollup_activities(struct req *r, const struct rollup *ru, int64_t from,
    int64_t to, long *np)
{
	struct act_range rg;
	struct activity	*as;
	long		 n, i, k = 0;

	activity_range(from, to, NULL, &rg);
	as = ru->scope_org ? activity_list_org(r, ru->scope_org, r->user->id,
	    &rg, &n) : activity_list_personal(r, r->user->id, &rg, &n);
	if (as == NULL && n < 0) {
		*np = -1;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const struct tctx *tc = rollup_event(ru, as[i].event_id);

		if (tc == NULL || !(as[i].is_global || act_takes_part(&tc->c, tc->uid, &as[i])))
			continue;
		as[k++] = as[i];
	}
	*np = k;
	return as;
}

/* "Friday 16 July 2027" for a local day (arena). */
static const char *
day_label(struct req *r, int64_t day)
{
	time_t		 t = (time_t)(day * 86400);
	struct tm	 tm;
	char		 buf[64];

	gmtime_r(&t, &tm);
	if (strftime(buf, sizeof(buf), "%A %-d %B %Y", &tm) == 0)
		return cal_date(r, day);
	return arena_strdup(r->a, buf);
}

/* GET /orgs/{org}/schedule?from&to&zone=event|user — 200 the combined
 * schedule by day (default today + 30 days, at most 366), each item in
 * its event's zone or the user's; 404 not a member; 422 bad range or
 * zone. */
int
h_rollup_schedule(struct req *r)
{
	struct rollup	 ru;
	struct activity	*as;
	struct occ	*os = NULL;
	size_t		 nos = 0, cap = 0, i;
	long		 n, k;
	int64_t		 from, to, cur = -1;
	const char	*zone, *utz;
	json_object	*v, *days, *day = NULL, *items = NULL, *all;
	int		 st, own;

	if ((st = rollup_load(r, &ru, 0)) != 0)
		return st;
	if (r->nerrors)
		return render_invalid(r, NULL, NULL, view_new(r));
	zone = r->in[RS_ZONE].present ? r->in[RS_ZONE].s : "event";
	if (strcmp(zone, "event") != 0 && strcmp(zone, "user") != 0) {
		valid_error(r, "zone", "invalid", "zone must be event or user.");
		return render_invalid(r, NULL, NULL, view_new(r));
	}
	own = strcmp(zone, "user") == 0;
	utz = r->user->timezone ? r->user->timezone : ru.o.timezone;
	from = cal_today(utz);
	if (r->in[RS_FROM].present)
		(void)tz_parse_date(r->in[RS_FROM].s, &from);
	to = from + RANGE_DEFAULT;
	if (r->in[RS_TO].present)
		(void)tz_parse_date(r->in[RS_TO].s, &to);
	if (to < from || to - from >= RANGE_MAX) {
		valid_error(r, "to", "invalid-range", "To must not be before "
		    "from, and the range at most 366 days.");
		return render_invalid(r, NULL, NULL, view_new(r));
	}
	if ((as = rollup_activities(r, &ru, from, to, &n)) == NULL && n < 0)
		return 503;
	for (k = 0; k < n; k++) {
		const struct tctx *tc = rollup_event(&ru, as[k].event_id);
		size_t		 before = nos, j;

		sched_expand(&as[k], tc->c.ev.timezone, from, to, &os, &nos,
		    &cap, r->a);
		for (j = before; j < nos; j++) {
			os[j].ev_id = tc->c.ev.id;
			os[j].ev_name = tc->c.ev.name;
			if (own)
				sched_show_in(&os[j], utz);
		}
	}
	sched_sort(os, nos);
	v = rollup_view(r, &ru, "schedule");
	vset_str(v, "from", cal_date(r, from));
	vset_str(v, "to", cal_date(r, to));
	vset_bool(v, "zone_user", own);
	vset_str(v, "user_zone", utz);
	vset_str(v, "xml_url", arena_printf(r->a, "/orgs/%lld/schedule.xml",
	    (long long)ru.o.id));
	all = json_object_new_array();
	days = json_object_new_array();
	for (i = 0; i < nos; i++) {
		json_object	*o = sched_occ_json(r, &os[i], NULL, 0);

		vset_str(o, "event_name", os[i].ev_name);
		vset_int(o, "event_id", os[i].ev_id);
		json_object_array_add(all, o);
		if (day == NULL || os[i].day != cur) {
			cur = os[i].day;
			day = json_object_new_object();
			items = json_object_new_array();
			vset_str(day, "date", cal_date(r, cur < from ? from :
			    cur));
			vset_str(day, "label", day_label(r, cur < from ? from :
			    cur));
			vset_obj(day, "items", items);
			json_object_array_add(days, day);
		}
		json_object_array_add(items, json_object_get(o));
	}
	vset_obj(v, "occurrences", all);
	vset_obj(v, "days", days);
	vset_int(v, "count", (long long)nos);
	feeds_subscribe_into(r, v, "org_schedule", ru.o.id);
	return render_page(r, 200, "rollup/schedule", arena_printf(r->a,
	    "Schedule · %s", ru.o.kind == ORG_PERSONAL ? "My work" :
	    ru.o.name), v);
}
