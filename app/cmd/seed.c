/* seed.c — `backopsd seed-demo`: a believable festival to look around
 * in (issue 4): a team organization with members on each license, one
 * event with six areas and eight collaborators with crew, and an outside
 * vendor with free collaborator access; then its plan (issue 5, in
 * seed_plan.c and seed_tasks.c): task statuses, tasks and the three-day
 * schedule; and its advancing (seed_advancing.c). Idempotent: a second
 * run finds the demo organization and
 * each part of the plan already there, and changes nothing. A demo made
 * before the plan existed gets the parts it lacks. */
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"
#include "cmd.h"
#include "core/arena.h"
#include "core/conf.h"
#include "core/req.h"
#include "db/db.h"
#include "model/area.h"
#include "model/collab.h"
#include "model/crew.h"
#include "model/event.h"
#include "model/grant.h"
#include "model/member.h"
#include "model/org.h"
#include "model/seat.h"
#include "model/taskconf.h"
#include "model/user.h"
#include "policy/perm.h"
#include "policy/tz.h"
#include "seed_plan.h"

#define DEMO_PASSWORD	"festival-demo-2026"
#define DEMO_ORG	"Northern Lights Productions"
#define DEMO_CODE	"nlf2027"

struct person {
	const char	*email, *name;
};

static const struct person dana = { "demo@backops.test", "Dana Demo" };
static const struct person sam = { "sam@backops.test", "Sam Okafor" };
static const struct person alex = { "alex@backops.test", "Alex Lindqvist" };
static const struct person vera = { "vendor@backops.test", "Vera Sound" };

static const char *const areas[][2] = {
	{ "Main Stage", "The big one: 12 m × 10 m, PA flown, barrier in "
	    "front of house." },
	{ "Forest Stage", "Second stage among the trees; ground-stacked PA, "
	    "curfew 23:00." },
	{ "Green Room", "Artist hospitality behind the Main Stage." },
	{ "Catering Tent", "Crew and artist catering, 400 covers a day." },
	{ "Production Office", "Radios, passes, lost property and coffee." },
	{ "Car Park & Load-in", "Trucks via gate C; load-in window 06:00–"
	    "10:00." },
};

struct crew_seed {
	const char	*first, *last, *title, *role, *email, *phone;
	int		 poc;
};

struct collab_seed {
	const char	*name, *description, *email, *phone, *colour;
	struct crew_seed crew[3];
};

/* The host collaborator comes first (made with the event). */
static const struct collab_seed collabs[] = {
	{ DEMO_ORG, "The production company running the festival.",
	    "office@northernlights.example", "+31 20 555 0100", "purple", {
	    { "Dana", "Demo", "Festival director", "Producer",
		"demo@backops.test", "+31 6 1000 0001", 1 },
	    { "Sam", "Okafor", "Production manager", "Site lead",
		"sam@backops.test", "+31 6 1000 0002", 1 },
	    { "Ines", "Baptista", "Artist liaison", "Hospitality",
		"ines@northernlights.example", "+31 6 1000 0003", 0 } } },
	{ "Soundwave Audio", "PA and monitor systems for both stages.",
	    "crew@soundwave.example", "+31 20 555 0200", "blue", {
	    { "Vera", "Sound", "Account manager", "Audio vendor contact",
		"vendor@backops.test", "+31 6 2000 0001", 1 },
	    { "Jonas", "Meyer", "System engineer", "FOH systems",
		"jonas@soundwave.example", "+31 6 2000 0002", 0 },
	    { "Priya", "Nair", "Monitor engineer", "Monitors",
		"priya@soundwave.example", NULL, 0 } } },
	{ "Bright Beam Lighting", "Lighting rig, haze and follow spots.",
	    "hello@brightbeam.example", "+31 20 555 0300", "orange", {
	    { "Tom", "Ridley", "Lighting designer", "LD Main Stage",
		"tom@brightbeam.example", "+31 6 3000 0001", 1 },
	    { "Aiko", "Tanaka", "Crew chief", "Rigging",
		"aiko@brightbeam.example", "+31 6 3000 0002", 0 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "Harbor Catering", "Crew and artist catering.",
	    "kitchen@harbor.example", "+31 20 555 0400", "green", {
	    { "Maria", "Rossi", "Head chef", "Catering lead",
		"maria@harbor.example", "+31 6 4000 0001", 1 },
	    { "Kees", "de Vries", "Runner", "Deliveries", NULL,
		"+31 6 4000 0002", 0 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "Stagehand Crew Co", "Local crew for load-in and load-out.",
	    "bookings@stagehand.example", "+31 20 555 0500", "slate", {
	    { "Femi", "Adeyemi", "Crew boss", "Stage crew",
		"femi@stagehand.example", "+31 6 5000 0001", 1 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "The Midnight Owls", "Headliner, Saturday night on the Main Stage.",
	    "tour@midnightowls.example", NULL, "red", {
	    { "Lou", "Harper", "Tour manager", "Band TM",
		"lou@midnightowls.example", "+44 7700 900001", 1 },
	    { "Noor", "Haddad", "Production manager", "Band PM",
		"noor@midnightowls.example", "+44 7700 900002", 0 },
	    { "Rémi", "Laurent", "Backline tech", "Backline", NULL, NULL,
		0 } } },
	{ "Coastline Power", "Generators and distribution.",
	    "ops@coastline.example", "+31 20 555 0700", "yellow", {
	    { "Bram", "Jansen", "Site electrician", "Power",
		"bram@coastline.example", "+31 6 7000 0001", 1 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "City Security Services", "Gates, pit and backstage security.",
	    "control@citysecurity.example", "+31 20 555 0800", "slate", {
	    { "Olga", "Petrova", "Security manager", "Head of security",
		"olga@citysecurity.example", "+31 6 8000 0001", 1 },
	    { "Daan", "Bakker", "Supervisor", "Backstage", NULL,
		"+31 6 8000 0002", 0 },
	    { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
};

static struct dbq q_org = DBQ(
    "SELECT o.id FROM orgs o JOIN org_members m ON m.org_id = o.id"
    " WHERE o.name = ? AND m.user_id = ? AND m.role = 'owner'");
static struct dbq q_pool = DBQ(
    "SELECT id FROM license_pools WHERE org_id = ? AND product = ?"
    " ORDER BY id LIMIT 1");
static struct dbq q_event = DBQ(
    "SELECT id FROM events WHERE org_id = ? AND code = ?");

static int64_t
scalar(struct dbq *q, const char *types, int64_t a, const char *s)
{
	int64_t	 v = 0;
	int	 rc;

	rc = types[0] == 's' ? db_select(q, types, s, a) :
	    db_select(q, types, a, s);
	if (rc != 0)
		return -1;
	rc = db_fetch(q, "i", &v);
	db_done(q);
	return rc < 0 ? -1 : v;
}

/* An account (verified), found or made. */
static int64_t
account(struct req *r, const struct person *p)
{
	struct user	 u;
	char		 hash[PW_HASH_MAX];
	int64_t		 id;
	int		 rc;

	if ((rc = user_by_email(r, p->email, &u)) < 0)
		return -1;
	if (rc == 1)
		return u.id;
	if (pw_hash(DEMO_PASSWORD, hash) != 0 ||
	    (id = user_create(r, p->email, p->name, hash, pw_pepper_id(),
	    "Europe/Amsterdam")) <= 0 || user_mark_verified(r, id) != 0)
		return -1;
	return id;
}

static int
grant_preset(struct req *r, int64_t ev, int64_t uid, enum preset p,
    int64_t scope)
{
	struct grant	 g[16];
	size_t		 n = preset_grants(p, scope, g);

	return grants_apply(r, ev, uid, g, n, preset_name(p));
}

static int
festival(struct req *r, int64_t ids[4])
{
	int64_t			 qty[PROD__MAX] = { 5, 2, 5 };
	int64_t			 org, pool_std, pool_ev, ev, host = 0, cid;
	struct event_fields	 f;
	char			 uuid[37];
	size_t			 i, j;

	if ((org = org_create_team(r, DEMO_ORG, "Europe/Amsterdam", qty,
	    PROD_ORG_PRO)) < 0)
		return -1;
	pool_std = scalar(&q_pool, "is", org, "org_standard");
	pool_ev = scalar(&q_pool, "is", org, "event_pro");
	/* Members on each license: Sam (admin, Org Standard), Alex
	 * (member, Org Standard, not on the event). */
	if (pool_std <= 0 || pool_ev <= 0 ||
	    member_add(r, org, ids[1], ROLE_ADMIN, pool_std) < 0 ||
	    member_add(r, org, ids[2], ROLE_MEMBER, pool_std) < 0)
		return -1;

	memset(&f, 0, sizeof(f));
	f.name = "Northern Lights Festival 2027";
	f.code = DEMO_CODE;
	f.timezone = "Europe/Amsterdam";
	f.start_date = "2027-07-16";
	f.end_date = "2027-07-18";
	f.venue_name = "Strandpark Zuid";
	f.venue_address = "Strandweg 1, 1976 Zandvoort, Netherlands";
	f.description = "Three days of music by the sea: two stages, "
	    "**40 acts** and 12,000 guests a day.\n\nLoad-in starts on "
	    "Monday 12 July; see the Production Office for passes.";
	token_uuid(uuid);
	if ((ev = event_insert(r, org, pool_ev, uuid, &f)) <= 0 ||
	    taskconf_defaults(r, ev) != 0)
		return -1;
	for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		if (area_insert(r, ev, areas[i][0], areas[i][1], "slate") <= 0)
			return -1;
	for (i = 0; i < sizeof(collabs) / sizeof(collabs[0]); i++) {
		const struct collab_seed	*c = &collabs[i];

		if (i == 0)
			cid = host = event_host_insert(r, ev, c->name);
		else {
			struct collab_fields	 cf = { c->name,
			    c->description, c->email, c->phone, NULL,
			    c->colour };

			cid = collab_insert(r, ev, &cf);
		}
		if (cid <= 0)
			return -1;
		for (j = 0; j < 3 && c->crew[j].first != NULL; j++) {
			const struct crew_seed	*p = &c->crew[j];
			struct crew_fields	 cr = { p->first, p->last,
			    p->title, p->role, p->email, p->phone, p->poc,
			    NULL };

			if (crew_insert(r, ev, cid, &cr) <= 0)
				return -1;
		}
		if (i == 1) {
			/* Vera, the sound vendor: free collaborator access. */
			if (event_user_insert(r, ev, ids[3], cid) != 0 ||
			    grant_preset(r, ev, ids[3], PRESET_VENDOR_CONTACT,
			    cid) != 0)
				return -1;
		}
	}
	/* Dana holds Org Pro (no seat needed); Sam takes a seat. */
	if (event_user_insert(r, ev, ids[0], host) != 0 ||
	    grant_preset(r, ev, ids[0], PRESET_PRODUCER, 0) != 0 ||
	    grants_scope_admin(r, ev, ids[0], DOM_COLLAB, host) != 0 ||
	    event_user_insert(r, ev, ids[1], host) != 0 ||
	    seat_take(r, ev, pool_ev, ids[1], 0) != 1 ||
	    grant_preset(r, ev, ids[1], PRESET_COORDINATOR, 0) != 0)
		return -1;
	return 0;
}

/* Inside a step's transaction: lock the demo event and name its users,
 * collaborators and areas by the seed's own lists. 1, 0 when the event
 * is archived (left alone), or -1. */
static int
demo_load(struct req *r, int64_t org, const int64_t ids[4],
    struct demo_ctx *d)
{
	struct event_row	 row;
	struct area		*ar;
	struct collab		*co;
	size_t			 na, nc, i, j;

	memset(d, 0, sizeof(*d));
	if ((d->ev = scalar(&q_event, "is", org, DEMO_CODE)) <= 0 ||
	    event_lock(r, org, d->ev, &row) != 1)
		return -1;
	if (row.archived)
		return 0;
	if (tz_parse_date(row.f.start_date, &d->first_day) != 0)
		return -1;
	d->tz = row.f.timezone;
	d->author = ids[0];
	d->user[U_DANA] = ids[0];
	d->user[U_SAM] = ids[1];
	d->user[U_VERA] = ids[3];
	if ((ar = area_list(r, d->ev, &na)) == NULL && na != 0)
		return -1;
	if ((co = collab_list(r, d->ev, 1, 0, 0, &nc)) == NULL)
		return -1;
	for (i = 0; i < A__MAX; i++)
		for (j = 0; j < na; j++)
			if (strcmp(ar[j].name, areas[i][0]) == 0)
				d->area[i] = ar[j].id;
	for (i = 0; i < C__MAX; i++)
		for (j = 0; j < nc; j++)
			if (strcmp(co[j].name, collabs[i].name) == 0)
				d->collab[i] = co[j].id;
	for (i = 0; i < A__MAX; i++)
		if (d->area[i] <= 0)
			return -1;
	for (i = 0; i < C__MAX; i++)
		if (d->collab[i] <= 0)
			return -1;
	return 1;
}

/* One part of the plan in its own transaction: 0 or -1. */
static int
plan_step(struct req *r, int64_t org, const int64_t ids[4],
    int (*fn)(struct req *, const struct demo_ctx *), const char *what)
{
	struct demo_ctx	 d;
	int		 rc;

	if (db_begin() != 0)
		return -1;
	if ((rc = demo_load(r, org, ids, &d)) < 0 ||
	    (rc > 0 && (rc = fn(r, &d)) < 0) || db_commit() != 0) {
		db_rollback();
		fprintf(stderr, "seed-demo: could not add %s\n", what);
		return -1;
	}
	if (rc > 0)
		printf("seed-demo: added %s\n", what);
	return 0;
}

int
cmd_seed_demo(int argc, char **argv)
{
	const struct person	*people[] = { &dana, &sam, &alex, &vera };
	struct arena		 a;
	struct req		 r;
	struct user		 me;
	int64_t			 ids[4], org, made;
	size_t			 i;

	(void)argc, (void)argv;
	arena_init(&a);
	memset(&r, 0, sizeof(r));
	r.a = &a;
	r.rid = "seed-demo";
	r.remote_addr = "";
	db_request_begin(&a);
	if (db_connect() != 0) {
		fprintf(stderr, "seed-demo: cannot reach the database\n");
		return 1;
	}
	if (db_begin() != 0)
		goto fail;
	for (i = 0; i < 4; i++)
		if ((ids[i] = account(&r, people[i])) <= 0)
			goto fail;
	if (user_by_id(&r, ids[0], &me) != 1)
		goto fail;
	r.user = &me;
	if ((org = scalar(&q_org, "si", ids[0], DEMO_ORG)) < 0)
		goto fail;
	if (org == 0 && festival(&r, ids) != 0)
		goto fail;
	if ((made = org == 0) &&
	    (org = scalar(&q_org, "si", ids[0], DEMO_ORG)) <= 0)
		goto fail;
	if (db_commit() != 0)
		goto fail;
	printf(made ? "seed-demo: created the demo festival\n" :
	    "seed-demo: demo festival already present\n");
	if (plan_step(&r, org, ids, seed_statuses, "the task statuses") != 0 ||
	    plan_step(&r, org, ids, seed_schedule, "the schedule and the "
	    "run of show") != 0 ||
	    plan_step(&r, org, ids, seed_tasks, "the tasks") != 0 ||
	    plan_step(&r, org, ids, seed_advancing, "the advancing") != 0) {
		db_disconnect();
		arena_free(&a);
		return 1;
	}
	printf("demo login: %s / %s\n", dana.email, DEMO_PASSWORD);
	printf("vendor login: %s / %s (free collaborator access)\n",
	    vera.email, DEMO_PASSWORD);
	db_disconnect();
	arena_free(&a);
	return 0;
fail:
	db_rollback();
	fprintf(stderr, "seed-demo: could not create the demo data\n");
	db_disconnect();
	arena_free(&a);
	return 1;
}
