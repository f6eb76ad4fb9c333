/* taskfilter.c — the task list's filters and sort orders, shared by the
 * list, the board and the CSV export so they always agree (PRODUCT §9
 * "Views"). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deny.h"
#include "core/req.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "policy/tz.h"
#include "tasks.h"
#include "tasksupport.h"


const char *const task_priorities[TASK_NPRIORITIES] = { "none", "low",
    "medium", "high", "urgent" };

int
task_ref_parse(const char *s, const char *prefix, int64_t *id)
{
	size_t	 n = strlen(prefix);
	char	*end;
	long long v;

	if (strncmp(s, prefix, n) != 0 || s[n] == '\0')
		return -1;
	v = strtoll(s + n, &end, 10);
	if (*end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int
bad_filter(struct req *r, const char *detail)
{
	return page_refuse(r, 400, "invalid-parameter", detail);
}

int
task_filter_read(struct req *r, const struct tctx *tc, struct task_filter *f)
{
	const char	*s;
	enum task_state	 ts;
	int64_t		 id;
	size_t		 i;

	memset(f, 0, sizeof(*f));
	f->state = -1;
	f->due_from = f->due_to = -1;
	if (r->nerrors)
		return bad_filter(r, arena_printf(r->a, "%s: %s",
		    r->errors[0].field, r->errors[0].message));
	if ((s = r->in[TL_STATE].s) != NULL && *s != '\0') {
		if (strcmp(s, "all") == 0)
			f->state = TS__MAX;
		else if (task_state_parse(s, &ts) == 0)
			f->state = (int)ts;
		else
			return bad_filter(r, "state must be todo, active, "
			    "review, done, archived or all.");
	}
	if (r->in[TL_STATUS].present) {
		f->status = r->in[TL_STATUS].i;
		if (taskstatus_find(tc->st, tc->nst, f->status) == NULL)
			return bad_filter(r, "status is not a status of this "
			    "event.");
	}
	if ((s = r->in[TL_ASSIGNEE].s) != NULL && *s != '\0') {
		if (strcmp(s, "me") != 0 && strcmp(s, "my_collaborator") != 0 &&
		    task_ref_parse(s, "user:", &id) != 0 &&
		    task_ref_parse(s, "collaborator:", &id) != 0)
			return bad_filter(r, "assignee must be me, "
			    "my_collaborator, user:ID or collaborator:ID.");
		f->assignee = s;
	}
	if ((s = r->in[TL_REVIEWER].s) != NULL && *s != '\0') {
		if (strcmp(s, "me") != 0 && task_ref_parse(s, "user:", &id) != 0)
			return bad_filter(r, "reviewer must be me or user:ID.");
		f->reviewer = s;
	}
	if (r->in[TL_AREA].present)
		f->area = r->in[TL_AREA].i;
	if ((s = r->in[TL_PHASE].s) != NULL && *s != '\0') {
		if (strcmp(s, "none") == 0)
			f->phase = -1;
		else if (task_ref_parse(s, "", &f->phase) != 0 ||
		    taskphase_find(tc->ph, tc->nph, f->phase) == NULL)
			return bad_filter(r, "phase is not a phase of this "
			    "event.");
	}
	if ((s = r->in[TL_PRIORITY].s) != NULL && *s != '\0') {
		for (i = 0; i < TASK_NPRIORITIES; i++)
			if (strcmp(s, task_priorities[i]) == 0)
				break;
		if (i == TASK_NPRIORITIES)
			return bad_filter(r, "priority must be none, low, "
			    "medium, high or urgent.");
		f->priority = s;
	}
	if (r->in[TL_DUE_FROM].present)
		(void)tz_parse_date(r->in[TL_DUE_FROM].s, &f->due_from);
	if (r->in[TL_DUE_TO].present)
		(void)tz_parse_date(r->in[TL_DUE_TO].s, &f->due_to);
	f->overdue = r->in[TL_OVERDUE].i != 0;
	if ((s = r->in[TL_Q].s) != NULL && *s != '\0')
		f->q = s;
	f->sort = "position";
	if ((s = r->in[TL_SORT].s) != NULL && *s != '\0') {
		if (strcmp(s, "position") != 0 && strcmp(s, "due") != 0 &&
		    strcmp(s, "priority") != 0 && strcmp(s, "name") != 0 &&
		    strcmp(s, "status") != 0 && strcmp(s, "updated") != 0)
			return bad_filter(r, "sort must be position, due, "
			    "priority, name, status or updated.");
		f->sort = s;
	}
	return 0;
}

static int
has_person(const struct task *t, enum task_role role, int64_t uid,
    int64_t cid)
{
	size_t	 i;

	for (i = 0; i < t->npeople; i++)
		if (t->people[i].role == role &&
		    ((uid && t->people[i].user_id == uid) ||
		    (cid && t->people[i].collab_id == cid)))
			return 1;
	return 0;
}

int
task_filter_matches(const struct tctx *tc, const struct task_filter *f,
    const struct task *t)
{
	const struct task_status *s = taskstatus_find(tc->st, tc->nst,
	    t->status_id);
	int	 state = s ? (int)s->state : TS_TO_DO;
	int64_t	 id, day;
	size_t	 i;

	if (f->state == -1 && state == TS_ARCHIVED && f->status == 0)
		return 0;
	if (f->state >= 0 && f->state < TS__MAX && state != f->state)
		return 0;
	if (f->status && t->status_id != f->status)
		return 0;
	if (f->assignee != NULL) {
		if (strcmp(f->assignee, "me") == 0) {
			if (!has_person(t, TR_ASSIGNEE, tc->uid, 0))
				return 0;
		} else if (strcmp(f->assignee, "my_collaborator") == 0) {
			if (!tc->c.actor.event_user || !has_person(t,
			    TR_ASSIGNEE, 0, tc->c.actor.collab_id))
				return 0;
		} else if (task_ref_parse(f->assignee, "user:", &id) == 0) {
			if (!has_person(t, TR_ASSIGNEE, id, 0))
				return 0;
		} else if (task_ref_parse(f->assignee, "collaborator:", &id) == 0 &&
		    !has_person(t, TR_ASSIGNEE, 0, id))
			return 0;
	}
	if (f->reviewer != NULL) {
		id = strcmp(f->reviewer, "me") == 0 ? tc->uid : 0;
		if (id == 0)
			(void)task_ref_parse(f->reviewer, "user:", &id);
		if (!has_person(t, TR_REVIEWER, id, 0))
			return 0;
	}
	if (f->area) {
		for (i = 0; i < t->nareas; i++)
			if (t->areas[i].area_id == f->area)
				break;
		if (i == t->nareas)
			return 0;
	}
	if ((f->phase == -1 && t->phase_id != 0) ||
	    (f->phase > 0 && t->phase_id != f->phase))
		return 0;
	if (f->priority && strcmp(f->priority, t->priority) != 0)
		return 0;
	if (f->due_from >= 0 || f->due_to >= 0) {
		if (t->due_date == NULL || tz_parse_date(t->due_date, &day) != 0)
			return 0;
		if ((f->due_from >= 0 && day < f->due_from) ||
		    (f->due_to >= 0 && day > f->due_to))
			return 0;
	}
	if (f->overdue && !task_overdue(tc, t))
		return 0;
	if (f->q && strcasestr(t->name, f->q) == NULL)
		return 0;
	return 1;
}

static int
priority_rank(const char *p)
{
	size_t	 i;

	for (i = 0; i < TASK_NPRIORITIES; i++)
		if (strcmp(p, task_priorities[i]) == 0)
			return (int)i;
	return 0;
}

/* qsort has no context argument: the sort in effect. */
static const struct tctx *sort_tc;
static const char *sort_key;

static int
status_rank(const struct task *t)
{
	const struct task_status *s = taskstatus_find(sort_tc->st,
	    sort_tc->nst, t->status_id);

	return s ? (int)s->state * 10000 + (int)s->position : 0;
}

static int
cmp_str_null_last(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int
task_cmp(const void *x, const void *y)
{
	const struct task *a = *(const struct task *const *)x;
	const struct task *b = *(const struct task *const *)y;
	int	 c = 0;

	if (strcmp(sort_key, "due") == 0) {
		if ((c = cmp_str_null_last(a->due_date, b->due_date)) == 0)
			c = cmp_str_null_last(a->due_time, b->due_time);
	} else if (strcmp(sort_key, "priority") == 0)
		c = priority_rank(b->priority) - priority_rank(a->priority);
	else if (strcmp(sort_key, "name") == 0)
		c = strcasecmp(a->name, b->name);
	else if (strcmp(sort_key, "status") == 0)
		c = status_rank(a) - status_rank(b);
	else if (strcmp(sort_key, "updated") == 0)
		c = -strcmp(a->updated_at, b->updated_at);
	if (c == 0)
		c = a->position < b->position ? -1 : a->position > b->position;
	if (c == 0)
		c = a->id < b->id ? -1 : a->id > b->id;
	return c;
}

void
task_sort(const struct tctx *tc, const char *key, struct task **v, size_t n)
{
	sort_tc = tc;
	sort_key = key;
	qsort(v, n, sizeof(*v), task_cmp);
}
