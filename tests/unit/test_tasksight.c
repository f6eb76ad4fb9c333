/* test_tasksight.c — task_sight() (pages/tasks.c) states task_visible()
 * as facts the roll-up's SQL applies to rows (model/task.c RU_SEEN).
 * Random actors (license class, event user or not, collaborator, grants
 * in every domain, section and level) and random tasks (assignees,
 * reviewers, area tags) must be visible under the SQL rule exactly when
 * task_visible() says so. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "model/task.h"
#include "pages/tasksupport.h"
#include "t.h"

#define UID	7	/* the actor */
#define RUNS	200000

static const int64_t collabs[] = { 101, 102, 103 };
static const int64_t areas[] = { 201, 202, 203 };
static const int64_t users[] = { UID, 8, 9 };

static int64_t
pick(const int64_t *v, size_t n)
{
	return v[(size_t)rand() % n];
}

static int
has(const int64_t *ids, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* The rule of RU_FILTERS, row by row: the whole event; a review; an
 * assignment of the user or their collaborator (event users); an
 * assigned collaborator or a tagged area in the lists. */
static int
sql_rule(const struct task_sight *s, const struct task *t)
{
	size_t	 i;

	if (s->all)
		return 1;
	for (i = 0; i < t->npeople; i++) {
		const struct task_person *p = &t->people[i];

		if (p->role == TR_REVIEWER && p->user_id == UID)
			return 1;
		if (p->role != TR_ASSIGNEE)
			continue;
		if (s->assignee_rule && (p->user_id == UID ||
		    (p->collab_id != 0 && p->collab_id == s->collab_id)))
			return 1;
		if (p->collab_id != 0 && has(s->collabs, s->ncollabs,
		    p->collab_id))
			return 1;
	}
	for (i = 0; i < t->nareas; i++)
		if (has(s->areas, s->nareas, t->areas[i].area_id))
			return 1;
	return 0;
}

static void
random_actor(struct tctx *tc, struct grant *g)
{
	static const enum license_class lcs[] = { LC_ORG_PRO, LC_SEAT,
	    LC_FREE };
	size_t	 i, n = (size_t)rand() % 5;

	memset(tc, 0, sizeof(*tc));
	tc->uid = UID;
	tc->c.actor.lc = lcs[rand() % 3];
	tc->c.actor.event_user = rand() % 4 != 0;
	tc->c.actor.collab_id = tc->c.actor.event_user ?
	    pick(collabs, 3) : 0;
	tc->c.actor.org_pro_observer = !tc->c.actor.event_user &&
	    tc->c.actor.lc == LC_ORG_PRO;
	tc->c.actor.org_admin = rand() % 4 == 0;
	for (i = 0; i < n; i++) {
		g[i].domain = (enum domain)(rand() % 3);
		g[i].scope_id = g[i].domain == DOM_EVENT ? 0 :
		    g[i].domain == DOM_COLLAB ? pick(collabs, 3) :
		    pick(areas, 3);
		/* Mostly tasks, sometimes another section. */
		g[i].section = rand() % 3 ? SEC_TASKS :
		    (enum section)(rand() % SEC__MAX);
		g[i].level = (enum level)(rand() % 4);
	}
	tc->c.grants = g;
	tc->c.ngrants = n;
	tc->c.actor.grants = g;
	tc->c.actor.ngrants = n;
}

static void
random_task(struct task *t, struct task_person *ps, struct task_area *as)
{
	size_t	 i;

	memset(t, 0, sizeof(*t));
	t->npeople = (size_t)rand() % 4;
	for (i = 0; i < t->npeople; i++) {
		memset(&ps[i], 0, sizeof(ps[i]));
		ps[i].role = rand() % 3 ? TR_ASSIGNEE : TR_REVIEWER;
		if (ps[i].role == TR_ASSIGNEE && rand() % 2)
			ps[i].collab_id = pick(collabs, 3);
		else
			ps[i].user_id = pick(users, 3);
	}
	t->nareas = (size_t)rand() % 3;
	for (i = 0; i < t->nareas; i++)
		as[i].area_id = pick(areas, 3);
	t->people = ps;
	t->areas = as;
}

int
main(void)
{
	struct arena		 a;
	struct tctx		 tc;
	struct grant		 g[8];
	struct task		 t;
	struct task_person	 ps[4];
	struct task_area	 as[4];
	struct task_sight	 s;
	int			 i, bad = 0, seen = 0, hidden = 0, all = 0;

	arena_init(&a);
	srand(20271);
	for (i = 0; i < RUNS; i++) {
		int	 want, got;

		random_actor(&tc, g);
		random_task(&t, ps, as);
		task_sight(&a, &tc, &s);
		want = task_visible(&tc, &t);
		got = sql_rule(&s, &t);
		if (want != got && bad++ < 5)
			printf("  run %d: task_visible %d, sight %d (lc %d, "
			    "event user %d)\n", i, want, got,
			    (int)tc.c.actor.lc, tc.c.actor.event_user);
		seen += want;
		hidden += !want;
		all += s.all;
		if (i % 1000 == 999)
			arena_reset(&a);
	}
	T_OK(bad == 0, "the sight's rule equals task_visible on every run");
	/* The runs reach both answers and both kinds of sight. */
	T_OK(seen > RUNS / 10 && hidden > RUNS / 10, "visible and hidden");
	T_OK(all > RUNS / 10 && all < RUNS - RUNS / 10, "whole and partial");

	/* A free user's collaborator grant: only their own collaborator's
	 * tasks, which are theirs as assignee anyway; no area. */
	memset(&tc, 0, sizeof(tc));
	tc.uid = UID;
	tc.c.actor.lc = LC_FREE;
	tc.c.actor.event_user = 1;
	tc.c.actor.collab_id = 101;
	g[0] = (struct grant){ DOM_COLLAB, 101, SEC_TASKS, LV_VIEW };
	g[1] = (struct grant){ DOM_AREA, 201, SEC_TASKS, LV_ADMIN };
	g[2] = (struct grant){ DOM_EVENT, 0, SEC_TASKS, LV_ADMIN };
	tc.c.grants = g;
	tc.c.actor.grants = g;
	tc.c.ngrants = tc.c.actor.ngrants = 3;
	task_sight(&a, &tc, &s);
	T_OK(!s.all && s.ncollabs == 1 && s.collabs[0] == 101 &&
	    s.nareas == 0, "free user: own collaborator only");
	T_OK(s.assignee_rule && s.collab_id == 101, "free user: assignee");
	/* An Org Pro observer sees every task; edit grants in other
	 * sections give nothing. */
	memset(&tc, 0, sizeof(tc));
	tc.uid = UID;
	tc.c.actor.lc = LC_ORG_PRO;
	tc.c.actor.org_pro_observer = 1;
	task_sight(&a, &tc, &s);
	T_OK(s.all && !s.assignee_rule && s.collab_id == 0, "observer");
	memset(&tc, 0, sizeof(tc));
	tc.uid = UID;
	tc.c.actor.lc = LC_SEAT;
	tc.c.actor.event_user = 1;
	tc.c.actor.collab_id = 102;
	g[0] = (struct grant){ DOM_AREA, 202, SEC_SCHEDULE, LV_ADMIN };
	g[1] = (struct grant){ DOM_AREA, 203, SEC_TASKS, LV_NONE };
	g[2] = (struct grant){ DOM_COLLAB, 103, SEC_TASKS, LV_EDIT };
	tc.c.grants = g;
	tc.c.actor.grants = g;
	tc.c.ngrants = tc.c.actor.ngrants = 3;
	task_sight(&a, &tc, &s);
	T_OK(!s.all && s.nareas == 0 && s.ncollabs == 1 &&
	    s.collabs[0] == 103, "seat: tasks grants giving view only");
	arena_free(&a);
	return t_done();
}
