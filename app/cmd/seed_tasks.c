/* seed_tasks.c — the demo festival's task statuses and tasks: the five
 * phases from advancing the headliner to paying the invoices, every
 * state in use (two custom active statuses among them), subtasks three
 * levels deep, dependencies that only point back at earlier tasks (so
 * never a cycle), users and collaborators as assignees, reviewers, area
 * tags, and due dates relative to the event's first day. */
#include <string.h>
#include <strings.h>

#include "core/req.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "policy/tz.h"
#include "seed_plan.h"

#define NODAY	9999
#define LINKS_MAX	16

static const struct {
	const char	*name, *colour;
	enum task_state	 state;
} statuses[] = {
	{ "Waiting on vendor", "orange", TS_ACTIVE },
	{ "Blocked", "red", TS_ACTIVE },
};

struct task_seed {
	const char	*key, *parent, *name;
	const char	*status, *priority, *phase;
	int		 start;		/* day from the first, or NODAY */
	const char	*start_time;
	int		 due;
	const char	*due_time;
	const char	*links;		/* seed_links; r = reviewer */
	const char	*deps;		/* keys of earlier tasks */
	const char	*description;
};

#define PRE	"Pre-event"
#define LOADIN	"Load-in"
#define SHOW	"Show"
#define LOADOUT	"Load-out"
#define POST	"Post-event"
#define NS	NODAY, NULL	/* no start */

static const struct task_seed tasks[] = {
	/* Pre-event: the headliner, three levels deep. */
	{ "book", NULL, "Book the headliner", "Done", "high", PRE, NS, -320,
	    NULL, "u0 r1", NULL, "Saturday night on the Main Stage; budget "
	    "agreed with the board in September." },
	{ "contract", "book", "Sign The Midnight Owls' contract", "Done",
	    "high", PRE, NS, -300, NULL, "u0 c5", NULL, NULL },
	{ "rider", "book", "Agree the hospitality rider", "In Progress",
	    "medium", PRE, NS, -30, NULL, "c0 c5 a2", NULL, NULL },
	{ "vegan", "rider", "Source the rider's vegan menu", "To Do", "low",
	    PRE, NS, -10, NULL, "c3 a3", NULL, NULL },
	{ "dressing", "rider", "Lay out the Green Room dressing rooms",
	    "To Do", "low", PRE, NS, -7, NULL, "u1 a2", NULL, NULL },
	{ "advance", "book", "Advance the headline show", "In Progress",
	    "high", PRE, NS, -30, NULL, "u1 c5 r0 a0", NULL, NULL },
	{ "plot", "advance", "Get the input list and stage plot from the band",
	    "Waiting on vendor", "high", PRE, NS, -60, NULL, "c5 a0", NULL,
	    "Noor promised the tour's current versions; the festival ones "
	    "differ (no B-stage)." },
	{ "send", "advance", "Send the input list to Soundwave", "To Do",
	    "medium", PRE, NS, -55, NULL, "u1 c1 a0", "plot", NULL },
	{ "intro", "advance", "Intro video file for the LED wall", "To Do",
	    "medium", PRE, NS, -21, NULL, "c5", NULL, "ProRes, 1920×1080, "
	    "stereo audio; upload to the production share." },
	/* Pre-event: permits and plans. */
	{ "permit", NULL, "Event permit application", "In Progress",
	    "urgent", PRE, NS, -245, "17:00", "u1 r0 a4", NULL,
	    "The municipality wants the **noise plan** and the **traffic "
	    "plan** attached before it decides." },
	{ "noise", "permit", "Noise management plan", "Done", "high", PRE, NS,
	    -260, NULL, "u1", NULL, NULL },
	{ "traffic", "permit", "Traffic plan for gate C", "Blocked", "high",
	    PRE, NS, -240, NULL, "c7 u1 a5", NULL, "Waiting for the "
	    "municipality's decision on closing Strandweg." },
	{ "audio", NULL, "Audio system design for both stages", "In Review",
	    "high", PRE, NS, -60, NULL, "c1 r1 a0 a1", NULL, NULL },
	{ "pa", "audio", "Main Stage PA prediction (flown arrays)", "Done",
	    "high", PRE, NS, -90, NULL, "c1 a0", NULL, NULL },
	{ "forestpa", "audio", "Forest Stage ground stack and delay towers",
	    "Waiting on vendor", "medium", PRE, NS, -50, NULL, "c1 a1", NULL,
	    NULL },
	{ "iem", "audio", "In-ear monitor frequency plan", "To Do", "medium",
	    PRE, NS, -30, NULL, "c1 a0", "send", NULL },
	{ "light", NULL, "Lighting plot for the Main Stage", "In Progress",
	    "high", PRE, NS, -45, NULL, "c2 r1 a0", "plot", NULL },
	{ "power", NULL, "Power distribution plan", "Waiting on vendor",
	    "high", PRE, NS, -60, NULL, "c6 u1 a0 a1 a3", NULL, NULL },
	{ "cater", NULL, "Crew catering numbers per day", "To Do", "medium",
	    PRE, NS, -14, NULL, "c3 r0 a3", NULL, NULL },
	{ "secplan", NULL, "Security deployment plan", "In Progress", "high",
	    PRE, NS, -30, NULL, "c7 r1", NULL, NULL },
	{ "pit", "secplan", "Pit barrier staffing rota", "To Do", "medium",
	    PRE, NS, -10, NULL, "c7 a0", NULL, NULL },
	{ "passes", NULL, "Print passes and wristbands", "To Do", "medium",
	    PRE, NS, -7, NULL, "u1 a4", "secplan", "Zones follow the "
	    "security plan." },
	{ "radios", NULL, "Radio channel plan", "Done", "low", PRE, NS, -20,
	    NULL, "u1 a4", NULL, NULL },
	{ "banner", NULL, "Sponsor banner design (old sponsor)", "Archived",
	    "none", PRE, NS, NODAY, NULL, "u0", NULL, NULL },
	{ "shuttle", NULL, "Shuttle bus quote (replaced by the train deal)",
	    "Archived", "low", PRE, NS, NODAY, NULL, "u0", NULL, NULL },
	/* Load-in. */
	{ "trucks", NULL, "Truck schedule for load-in", "In Review", "high",
	    LOADIN, NS, -5, NULL, "u1 c4 r0 a5", NULL, NULL },
	{ "forklift", "trucks", "Forklift and telehandler hire", "Done",
	    "medium", LOADIN, NS, -30, NULL, "c4", NULL, NULL },
	{ "trackway", "trucks", "Ground protection on the car park", "To Do",
	    "medium", LOADIN, NS, -4, "08:00", "c4 a5", NULL, NULL },
	{ "gens", NULL, "Generators on site and tested", "To Do", "urgent",
	    LOADIN, NS, -3, "12:00", "c6 a5", "power", NULL },
	{ "fly", NULL, "Fly the Main Stage PA", "To Do", "high", LOADIN, -2,
	    "08:00", -2, "18:00", "c1 c4 a0", "pa gens", NULL },
	{ "focus", NULL, "Lighting focus on the Main Stage", "To Do",
	    "medium", LOADIN, NS, -1, "23:00", "c2 a0", "light gens", NULL },
	{ "forest", NULL, "Forest Stage build", "To Do", "medium", LOADIN, NS,
	    -1, NULL, "c4 a1", NULL, NULL },
	/* Show. */
	{ "linecheck", NULL, "Daily line check before gates", "To Do", "high",
	    SHOW, 0, NULL, 2, "11:30", "c1 a0 a1", "fly", "Every show day, "
	    "done by 11:30; report at the production meeting." },
	{ "changeover", NULL, "Headline changeover plan", "In Progress",
	    "high", SHOW, NS, 1, "21:30", "u1 c5 c1 c2 r0 a0", NULL, NULL },
	{ "tape", "changeover", "Tape the backline positions", "To Do",
	    "medium", SHOW, NS, 1, "20:00", "c5 a0", NULL, NULL },
	{ "ledtest", "changeover", "Test the intro video on the LED wall",
	    "To Do", "high", SHOW, NS, 1, "16:00", "u1 c5 a0", "intro", NULL },
	{ "greenroom", NULL, "Restock the Green Room each show day", "To Do",
	    "low", SHOW, NS, NODAY, NULL, "c3 a2", NULL, NULL },
	/* Load-out. */
	{ "loadout", NULL, "Load-out plan", "To Do", "medium", LOADOUT, NS, 2,
	    NULL, "u1 c4 a5", NULL, NULL },
	{ "pastrike", "loadout", "PA down and packed", "To Do", "medium",
	    LOADOUT, NS, 3, "12:00", "c1 c4 a0", NULL, NULL },
	{ "return", "loadout", "Radios and passes returned", "To Do", "low",
	    LOADOUT, NS, 3, NULL, "u1 a4", NULL, NULL },
	{ "handover", NULL, "Site clean and handover", "To Do", "high",
	    LOADOUT, NS, 4, "16:00", "c4 r0 a5", "loadout", NULL },
	/* Post-event. */
	{ "invoices", NULL, "Settle the vendor invoices", "To Do", "medium",
	    POST, NS, 30, NULL, "u0", NULL, NULL },
	{ "soundinv", "invoices", "Check the Soundwave invoice against the "
	    "quote", "To Do", "low", POST, NS, 25, NULL, "u0", NULL, NULL },
	{ "debrief", NULL, "Debrief with all vendors", "To Do", "low", POST,
	    NS, 14, NULL, "u0 u1", NULL, NULL },
};
#define NTASKS	(sizeof(tasks) / sizeof(tasks[0]))

int
seed_statuses(struct req *r, const struct demo_ctx *d)
{
	struct task_status *have;
	long		 n, j;
	size_t		 i;
	int		 wrote = 0;

	if (taskconf_defaults(r, d->ev) != 0 ||
	    ((have = taskstatus_list(r, d->ev, &n)), n < 0))
		return -1;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		for (j = 0; j < n; j++)
			if (strcasecmp(have[j].name, statuses[i].name) == 0)
				break;
		if (j < n)
			continue;
		if (taskstatus_insert(r, d->ev, statuses[i].name,
		    statuses[i].colour, statuses[i].state) <= 0)
			return -1;
		wrote = 1;
	}
	return wrote;
}

struct links {
	struct task_person people[LINKS_MAX];
	int64_t		 areas[LINKS_MAX];
	size_t		 npeople, nareas;
};

static int
put_link(const struct seed_link *l, void *arg)
{
	struct links	*k = arg;
	struct task_person *p;

	if (l->kind == 'a') {
		if (k->nareas >= LINKS_MAX)
			return -1;
		k->areas[k->nareas++] = l->id;
		return 0;
	}
	if (k->npeople >= LINKS_MAX)
		return -1;
	p = &k->people[k->npeople++];
	memset(p, 0, sizeof(*p));
	p->role = l->kind == 'r' ? TR_REVIEWER : TR_ASSIGNEE;
	if (l->kind == 'c')
		p->collab_id = l->id;
	else
		p->user_id = l->id;
	return 0;
}

/* The id of an earlier task by key, or 0. */
static int64_t
id_of(const int64_t *ids, size_t upto, const char *key, size_t len)
{
	size_t	 i;

	for (i = 0; i < upto; i++)
		if (strlen(tasks[i].key) == len &&
		    strncmp(tasks[i].key, key, len) == 0)
			return ids[i];
	return 0;
}

static int64_t
status_of(const struct task_status *s, long n, const char *name)
{
	long	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return s[i].id;
	return 0;
}

static int64_t
phase_of(const struct task_phase *p, long n, const char *name)
{
	long	 i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return p[i].id;
	return 0;
}

static int64_t
add(struct req *r, const struct demo_ctx *d, const struct task_seed *t,
    int64_t *ids, size_t at, const struct task_status *st, long nst,
    const struct task_phase *ph, long nph)
{
	struct task_fields f;
	struct links	 k;
	int64_t		 deps[LINKS_MAX];
	char		 sd[12], dd[12];
	const char	*s, *e;

	memset(&f, 0, sizeof(f));
	memset(&k, 0, sizeof(k));
	if (seed_links(d, t->links, put_link, &k) != 0)
		return -1;
	for (s = t->deps; s != NULL && *s != '\0'; s = e) {
		while (*s == ' ')
			s++;
		for (e = s; *e != '\0' && *e != ' '; e++)
			;
		if (e == s)
			break;
		if (f.ndeps >= LINKS_MAX ||
		    (deps[f.ndeps++] = id_of(ids, at, s, (size_t)(e - s))) <= 0)
			return -1;
	}
	f.name = t->name;
	f.description = t->description;
	f.priority = t->priority;
	if ((f.status_id = status_of(st, nst, t->status)) <= 0 ||
	    (f.phase_id = phase_of(ph, nph, t->phase)) <= 0 ||
	    (t->parent != NULL && (f.parent_id = id_of(ids, at, t->parent,
	    strlen(t->parent))) <= 0))
		return -1;
	if (t->start != NODAY) {
		tz_fmt_date(d->first_day + t->start, sd, sizeof(sd));
		f.start_date = sd;
		f.start_time = t->start_time;
	}
	if (t->due != NODAY) {
		tz_fmt_date(d->first_day + t->due, dd, sizeof(dd));
		f.due_date = dd;
		f.due_time = t->due_time;
	}
	f.people = k.people;
	f.npeople = k.npeople;
	f.areas = k.areas;
	f.nareas = k.nareas;
	f.deps = deps;
	return task_insert(r, d->ev, d->author, &f);
}

int
seed_tasks(struct req *r, const struct demo_ctx *d)
{
	struct task_status *st;
	struct task_phase *ph;
	int64_t		 ids[NTASKS];
	long		 n, nst, nph;
	size_t		 i;

	(void)task_list(r, d->ev, &n);
	if (n != 0)
		return n < 0 ? -1 : 0;
	st = taskstatus_list(r, d->ev, &nst);
	ph = taskphase_list(r, d->ev, &nph);
	if (nst <= 0 || nph <= 0)
		return -1;
	for (i = 0; i < NTASKS; i++)
		if ((ids[i] = add(r, d, &tasks[i], ids, i, st, nst, ph,
		    nph)) <= 0)
			return -1;
	return 1;
}
