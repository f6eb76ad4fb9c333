/* taskpeople.c — the people and areas a task may name, as form choices
 * (assignees, reviewers, area tags) and as the list's assignee filter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "core/route.h"
#include "model/eventuser.h"
#include "model/task.h"
#include "render/view.h"
#include "tasks.h"
#include "tasksupport.h"

int
tpeople_load(struct req *r, const struct tctx *tc, struct tpeople *tp)
{
	memset(tp, 0, sizeof(*tp));
	if (eu_list(r, tc->c.ev.id, &tp->users, &tp->nusers) != 0 ||
	    eu_collabs(r, tc->c.ev.id, &tp->collabs, &tp->ncollabs) != 0 ||
	    eu_areas(r, tc->c.ev.id, &tp->areas, &tp->nareas) != 0)
		return -1;
	return 0;
}

int
tasks_people_into(struct req *r, const struct tctx *tc, json_object *v,
    const char *filter, int64_t filter_area)
{
	struct tpeople	 tp;
	struct perm_target t;
	json_object	*us, *cs, *as;
	size_t		 i;
	int		 all;

	if (tpeople_load(r, tc, &tp) != 0)
		return -1;
	/* Someone who sees only their collaborator's tasks chooses among
	 * their own people. */
	target_event(&t);
	all = perm_level(&tc->c.actor, SEC_TASKS, &t) >= LV_VIEW ||
	    !tc->c.actor.event_user;
	us = json_object_new_array();
	for (i = 0; i < tp.nusers; i++) {
		json_object	*o;
		const char	*val;

		if (!all && tp.users[i].collab_id != tc->c.actor.collab_id)
			continue;
		o = json_object_new_object();
		val = arena_printf(r->a, "user:%lld",
		    (long long)tp.users[i].user_id);
		vset_str(o, "value", val);
		vset_int(o, "id", tp.users[i].user_id);
		vset_str(o, "name", tp.users[i].name);
		vset_str(o, "collaborator", tp.users[i].collab_name);
		vset_bool(o, "filter_selected", filter &&
		    strcmp(filter, val) == 0);
		json_object_array_add(us, o);
	}
	vset_obj(v, "user_options", us);
	cs = json_object_new_array();
	for (i = 0; i < tp.ncollabs; i++) {
		json_object	*o;
		const char	*val;

		if (!all && tp.collabs[i].id != tc->c.actor.collab_id)
			continue;
		o = json_object_new_object();
		val = arena_printf(r->a, "collaborator:%lld",
		    (long long)tp.collabs[i].id);
		vset_str(o, "value", val);
		vset_int(o, "id", tp.collabs[i].id);
		vset_str(o, "name", tp.collabs[i].name);
		vset_bool(o, "filter_selected", filter &&
		    strcmp(filter, val) == 0);
		json_object_array_add(cs, o);
	}
	vset_obj(v, "collab_options", cs);
	as = json_object_new_array();
	for (i = 0; i < tp.nareas; i++) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", tp.areas[i].id);
		vset_str(o, "name", tp.areas[i].name);
		vset_bool(o, "filter_selected", filter_area == tp.areas[i].id);
		json_object_array_add(as, o);
	}
	vset_obj(v, "area_options", as);
	return 0;
}

int
tasks_form_posted(const struct req *r)
{
	return r->method == M_POST && r->route->nfields == TASK_VERSION + 1 &&
	    strcmp(r->route->fields[TASK_DEPENDS].name, "depends_on") == 0;
}

/* Is value among the posted values of field idx? */
static int
posted(struct req *r, int idx, const char *value)
{
	size_t	 i;

	for (i = 0; r->in[idx].present && i < r->in[idx].nmulti; i++)
		if (strcmp(r->in[idx].multi[i], value) == 0)
			return 1;
	return 0;
}

void
tasks_mark_people(struct req *r, json_object *v, const struct task *t)
{
	json_object	*arr;
	size_t		 i, k;
	int		 re = tasks_form_posted(r);

	arr = json_object_object_get(v, "user_options");
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object	*o = json_object_array_get_idx(arr, i);
		int64_t		 id = json_object_get_int64(
		    json_object_object_get(o, "id"));
		const char	*val = json_object_get_string(
		    json_object_object_get(o, "value"));
		int		 as = 0, rv = 0;

		if (re) {
			as = posted(r, TASK_ASSIGNEES, val);
			rv = posted(r, TASK_REVIEWERS, val) ||
			    posted(r, TASK_REVIEWERS, val + 5);
		} else
			for (k = 0; t && k < t->npeople; k++)
				if (t->people[k].user_id == id) {
					as |= t->people[k].role == TR_ASSIGNEE;
					rv |= t->people[k].role == TR_REVIEWER;
				}
		vset_bool(o, "assignee_selected", as);
		vset_bool(o, "reviewer_selected", rv);
	}
	arr = json_object_object_get(v, "collab_options");
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object	*o = json_object_array_get_idx(arr, i);
		int64_t		 id = json_object_get_int64(
		    json_object_object_get(o, "id"));
		int		 as = 0;

		if (re)
			as = posted(r, TASK_ASSIGNEES, json_object_get_string(
			    json_object_object_get(o, "value")));
		else
			for (k = 0; t && k < t->npeople; k++)
				as |= t->people[k].collab_id == id;
		vset_bool(o, "assignee_selected", as);
	}
	arr = json_object_object_get(v, "area_options");
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object	*o = json_object_array_get_idx(arr, i);
		int64_t		 id = json_object_get_int64(
		    json_object_object_get(o, "id"));
		int		 sel = 0;
		char		 buf[24];

		if (re) {
			snprintf(buf, sizeof(buf), "%lld", (long long)id);
			sel = posted(r, TASK_AREAS, buf);
		} else
			for (k = 0; t && k < t->nareas; k++)
				sel |= t->areas[k].area_id == id;
		vset_bool(o, "selected", sel);
	}
}
