/* seed_plan.c — the demo festival's three-day schedule: build and
 * load-out as all-day time frames, a daily load-in window, daily meals
 * and production meetings as series, soundchecks, sets on both stages
 * with changeovers between them, "Gates open" for everyone each day,
 * and the headline set's run of show. Times are the event's local
 * wall clock, stored in UTC. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/req.h"
#include "model/activity.h"
#include "model/runofshow.h"
#include "policy/tz.h"
#include "seed_plan.h"

#define LINKS_MAX	16

int
seed_links(const struct demo_ctx *d, const char *s,
    int (*fn)(const struct seed_link *, void *), void *arg)
{
	struct seed_link l;
	int		 i;

	while (s != NULL && *s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		memset(&l, 0, sizeof(l));
		l.kind = *s++;
		if (*s < '0' || *s > '9')
			return -1;
		for (i = 0; *s >= '0' && *s <= '9'; s++)
			i = i * 10 + (*s - '0');
		for (; *s == '*' || *s == '?'; s++)
			*(*s == '*' ? &l.organizer : &l.optional) = 1;
		switch (l.kind) {
		case 'u':
		case 'r':
			if (i >= U__MAX)
				return -1;
			l.id = d->user[i];
			break;
		case 'c':
			if (i >= C__MAX)
				return -1;
			l.id = d->collab[i];
			break;
		case 'a':
			if (i >= A__MAX)
				return -1;
			l.id = d->area[i];
			break;
		default:
			return -1;
		}
		if (l.id <= 0 || fn(&l, arg) != 0)
			return -1;
	}
	return 0;
}

/* --- the plan ------------------------------------------------------------ */

enum { ONCE, DAILY, ALLDAY };

struct act_seed {
	int		 day;		/* from the event's first day */
	const char	*start, *end;	/* local HH:MM; NULL all-day */
	int		 rep, days;	/* days: how long an all-day one is */
	int		 frame, global;
	const char	*name, *links, *location, *description;
};

/* Series run over the three festival days. */
static const struct act_seed fixed[] = {
	{ -4, NULL, NULL, ALLDAY, 4, 1, 0, "Build week",
	    "u1* c4 c6 a0 a1 a5", "Strandpark Zuid",
	    "Stages, power and fencing go up. Hard hats and hi-vis on site "
	    "at all times." },
	{ 3, NULL, NULL, ALLDAY, 2, 1, 0, "Load-out",
	    "u1* c4 c1 c2 a0 a1 a5", "Strandpark Zuid",
	    "Stages down, site clean, handover to the beach authority on "
	    "Tuesday at 16:00." },
	{ 0, "06:00", "10:00", DAILY, 0, 1, 0, "Load-in window",
	    "u1* c4 c7 a5", "Gate C",
	    "Trucks via gate C only; marshals at the roundabout. No "
	    "vehicles on site after 10:00." },
	{ 0, "07:30", "09:30", DAILY, 0, 0, 0, "Breakfast",
	    "c3* c0 a3", "Catering Tent", "Crew and artists; show your "
	    "wristband." },
	{ 0, "09:00", "09:45", DAILY, 0, 0, 0, "Production meeting",
	    "u1* u0 c1 c2 c4 c6 c7 a4", "Production Office",
	    "Heads of department: yesterday's issues, today's timings, "
	    "weather and crowd numbers." },
	{ 0, "12:00", "14:00", DAILY, 0, 0, 0, "Lunch",
	    "c3* c0 a3", "Catering Tent", NULL },
	{ 0, "17:30", "19:30", DAILY, 0, 0, 0, "Dinner",
	    "c3* c0 a3", "Catering Tent",
	    "Hot meal; vegan and gluten-free options at the far counter." },
	{ 0, "14:00", "14:30", ONCE, 0, 0, 1, "Gates open",
	    "c7* u1 a5", "Gates A and B", "Security briefing at the gates "
	    "30 minutes before." },
	{ 1, "12:00", "12:30", ONCE, 0, 0, 1, "Gates open",
	    "c7* u1 a5", "Gates A and B", NULL },
	{ 2, "12:00", "12:30", ONCE, 0, 0, 1, "Gates open",
	    "c7* u1 a5", "Gates A and B", NULL },
	{ 0, "10:30", "12:00", ONCE, 0, 0, 0, "Soundcheck: Velvet Orbit",
	    "c1* c2 a0", "Main Stage", NULL },
	{ 0, "12:30", "13:30", ONCE, 0, 0, 0, "Soundcheck: Marram Grass",
	    "c1* a1", "Forest Stage", NULL },
	{ 1, "10:00", "12:00", ONCE, 0, 0, 0, "Soundcheck: The Midnight Owls",
	    "c5* c1 c2 u1 a0", "Main Stage",
	    "Full band with playback and the intro video; closed stage." },
	{ 1, "18:00", "18:30", ONCE, 0, 0, 0, "Meet & greet: The Midnight Owls",
	    "c0* c5 a2", "Green Room", "Competition winners; Ines hosts." },
	{ 2, "10:30", "11:30", ONCE, 0, 0, 0, "Soundcheck: Harbour Lights",
	    "c1* c2 a0", "Main Stage", NULL },
	{ 2, "23:00", "23:30", ONCE, 0, 0, 0, "Curfew sweep and wrap",
	    "u1* c7 c4 a0 a1", "Site", "Last music 23:00; security sweeps "
	    "the field, crew starts the overnight strip." },
};

/* Sets; the changeovers between consecutive sets of a stage are made. */
struct set_seed {
	int		 day, stage;	/* A_MAIN or A_FOREST */
	const char	*start, *end, *act;
	int		 headline;
};

static const struct set_seed sets[] = {
	{ 0, A_MAIN, "15:00", "16:00", "Saltwater Choir", 0 },
	{ 0, A_MAIN, "16:30", "17:45", "Neon Tides", 0 },
	{ 0, A_MAIN, "18:30", "19:45", "Paper Lanterns", 0 },
	{ 0, A_MAIN, "20:30", "22:00", "Velvet Orbit", 0 },
	{ 0, A_FOREST, "15:30", "16:30", "Marram Grass", 0 },
	{ 0, A_FOREST, "18:00", "19:00", "Low Tide Radio", 0 },
	{ 0, A_FOREST, "21:30", "22:45", "Northbound Ferries", 0 },
	{ 1, A_MAIN, "14:00", "15:00", "The Kelp Kings", 0 },
	{ 1, A_MAIN, "15:45", "17:00", "Sand Dollar", 0 },
	{ 1, A_MAIN, "17:45", "19:00", "Lighthouse Keepers", 0 },
	{ 1, A_MAIN, "19:45", "21:15", "Harbour Lights", 0 },
	{ 1, A_MAIN, "22:00", "23:30", "The Midnight Owls", 1 },
	{ 1, A_FOREST, "14:30", "15:30", "Dune Walkers", 0 },
	{ 1, A_FOREST, "17:00", "18:00", "Amber Coast", 0 },
	{ 1, A_FOREST, "20:00", "21:00", "Quiet Ferns", 0 },
	{ 1, A_FOREST, "21:45", "22:45", "Static Gulls", 0 },
	{ 2, A_MAIN, "13:00", "14:00", "Morning Tide Brass Band", 0 },
	{ 2, A_MAIN, "14:45", "16:00", "Sea Glass", 0 },
	{ 2, A_MAIN, "16:45", "18:15", "Paper Lanterns (acoustic)", 0 },
	{ 2, A_MAIN, "19:00", "20:30", "Harbour Lights", 0 },
	{ 2, A_MAIN, "21:15", "22:45", "Velvet Orbit (closing set)", 0 },
	{ 2, A_FOREST, "14:00", "15:00", "Marram Grass", 0 },
	{ 2, A_FOREST, "16:00", "17:00", "Kite Season", 0 },
	{ 2, A_FOREST, "19:30", "20:45", "Low Tide Radio", 0 },
};
#define NSETS	(sizeof(sets) / sizeof(sets[0]))
#define CHANGEOVER_MAX	60	/* minutes: a longer gap is a break */

/* The headline set's run of show. */
static const char *const ros_cols[][2] = {
	{ "Audio", "medium" }, { "Lighting", "medium" }, { "Video", "medium" },
};
static const struct {
	const char	*name;
	int		 minutes;
	const char	*colour, *values[3];
} ros_segs[] = {
	{ "Walk-in", 3, "grey", { "Walk-in playlist fades at −0:30",
	    "House to black on the fade", NULL } },
	{ "Intro video", 4, "purple", { "Playback from video, stereo feed",
	    NULL, "INTRO_v3.mov on the LED wall, IMAG off" } },
	{ "Nightjar", 6, "blue", { NULL, "Cues 1–12, hazers on", NULL } },
	{ "Silver Lines", 5, "blue", { NULL, NULL, NULL } },
	{ "Harbour Song", 5, "blue", { NULL, NULL, "Lyric overlays" } },
	{ "Acoustic set (three songs)", 15, "teal",
	    { "Acoustic mics 14–16, drop the kit", "Warm front wash only",
	    NULL } },
	{ "Owl Light (single)", 6, "orange", { NULL, NULL,
	    "IMAG with the single's artwork" } },
	{ "Main block (songs 8–14)", 30, "blue", { NULL, NULL, NULL } },
	{ "Encore break", 3, "grey", { "Crowd mics up", "Audience blinders",
	    NULL } },
	{ "Encore: Midnight", 8, "red", { NULL, "CO2 jets on the last "
	    "chorus (site safety has signed off)", NULL } },
	{ "Walk-off", 5, "pink", { "Outro track; house lights at +2:00",
	    "House lights up", "Thank-you slide" } },
};

/* "YYYY-MM-DD HH:MM:SS" UTC of a local day and "HH:MM" in the zone. */
static int
utc_of(const struct demo_ctx *d, int day, const char *hm, char *out,
    size_t outsz)
{
	int64_t		 utc;
	int		 min;
	time_t		 t;
	struct tm	 tm;

	if (tz_parse_hm(hm, &min) != 0 || tz_local_to_utc(d->tz,
	    (d->first_day + day) * 86400 + (int64_t)min * 60, &utc) != TZ_OK)
		return -1;
	t = (time_t)utc;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return -1;
	return 0;
}

struct links {
	int64_t		 areas[LINKS_MAX];
	struct act_part	 parts[LINKS_MAX];
	size_t		 nareas, nparts;
};

static int
put_link(const struct seed_link *l, void *arg)
{
	struct links	*k = arg;
	struct act_part	*p;

	if (l->kind == 'a') {
		if (k->nareas >= LINKS_MAX)
			return -1;
		k->areas[k->nareas++] = l->id;
		return 0;
	}
	if (k->nparts >= LINKS_MAX || l->kind == 'r')
		return -1;
	p = &k->parts[k->nparts++];
	memset(p, 0, sizeof(*p));
	if (l->kind == 'u')
		p->user_id = l->id;
	else
		p->collab_id = l->id;
	p->organizer = l->organizer;
	p->required = !l->optional;
	return 0;
}

static int64_t
add(struct req *r, const struct demo_ctx *d, const struct act_seed *s)
{
	struct activity_fields	 f;
	struct links		 k;
	char			 su[24], eu[24], sd[12], ed[12], until[12];

	memset(&f, 0, sizeof(f));
	memset(&k, 0, sizeof(k));
	if (seed_links(d, s->links, put_link, &k) != 0)
		return -1;
	f.kind = s->frame ? "time_frame" : "activity";
	f.name = s->name;
	f.description = s->description;
	f.location = s->location;
	f.is_global = s->global;
	if (s->rep == ALLDAY) {
		tz_fmt_date(d->first_day + s->day, sd, sizeof(sd));
		tz_fmt_date(d->first_day + s->day + s->days - 1, ed,
		    sizeof(ed));
		f.all_day = 1;
		f.start_date = sd;
		f.end_date = ed;
	} else {
		if (utc_of(d, s->day, s->start, su, sizeof(su)) != 0 ||
		    utc_of(d, s->day, s->end, eu, sizeof(eu)) != 0)
			return -1;
		f.start_utc = su;
		f.end_utc = eu;
	}
	f.rec_interval = 1;
	if (s->rep == DAILY) {
		tz_fmt_date(d->first_day + 2, until, sizeof(until));
		f.rec_freq = "daily";
		f.rec_until = until;
	}
	f.areas = k.areas;
	f.nareas = k.nareas;
	f.parts = k.parts;
	f.nparts = k.nparts;
	return activity_insert(r, d->ev, d->author, &f);
}

/* The headline set's columns and segments (values on a few). */
static int
run_of_show(struct req *r, const struct demo_ctx *d, int64_t act)
{
	struct activity	 a;
	int64_t		 col[3], seg;
	size_t		 i, k;

	if (activity_lock(r, d->ev, act, &a) != 1)
		return -1;
	for (k = 0; k < 3; k++)
		if ((col[k] = ros_col_insert(r, d->ev, act, (int64_t)k,
		    ros_cols[k][0], ros_cols[k][1])) <= 0)
			return -1;
	for (i = 0; i < sizeof(ros_segs) / sizeof(ros_segs[0]); i++) {
		if ((seg = ros_seg_insert(r, d->ev, act, (int64_t)i,
		    ros_segs[i].name, ros_segs[i].minutes, ros_segs[i].colour,
		    d->author)) <= 0)
			return -1;
		for (k = 0; k < 3; k++)
			if (ros_segs[i].values[k] != NULL &&
			    ros_value_set(r, d->ev, act, seg, col[k],
			    ros_segs[i].values[k]) != 0)
				return -1;
	}
	return 0;
}

static int
add_set(struct req *r, const struct demo_ctx *d, const struct set_seed *s)
{
	struct act_seed	 a;
	int64_t		 id;
	int		 big = s->stage == A_MAIN;

	memset(&a, 0, sizeof(a));
	a.day = s->day;
	a.start = s->start;
	a.end = s->end;
	a.rep = ONCE;
	a.location = big ? "Main Stage" : "Forest Stage";
	if (s->headline) {
		a.name = "Headline: The Midnight Owls";
		a.links = "c0* c5* c1 c2 u0 u1 a0 a2";
		a.description = "Saturday's headline set. Run of show "
		    "attached; pit closed to photographers after the third "
		    "song.";
	} else {
		a.name = s->act;
		a.links = big ? "c0* c1 c2 a0" : "c0* c1 a1";
	}
	if ((id = add(r, d, &a)) <= 0)
		return -1;
	return s->headline ? run_of_show(r, d, id) : 0;
}

/* Changeovers in the gaps (up to an hour) between a stage's sets. */
static int
changeovers(struct req *r, const struct demo_ctx *d)
{
	struct act_seed	 a;
	size_t		 i, j;
	int		 e, s;

	for (i = 0; i < NSETS; i++)
		for (j = i + 1; j < NSETS; j++) {
			if (sets[j].day != sets[i].day ||
			    sets[j].stage != sets[i].stage)
				continue;
			if (tz_parse_hm(sets[i].end, &e) != 0 ||
			    tz_parse_hm(sets[j].start, &s) != 0)
				return -1;
			if (s <= e || s - e > CHANGEOVER_MAX)
				break;
			memset(&a, 0, sizeof(a));
			a.day = sets[i].day;
			a.start = sets[i].end;
			a.end = sets[j].start;
			a.rep = ONCE;
			a.name = "Changeover";
			a.location = sets[i].stage == A_MAIN ? "Main Stage" :
			    "Forest Stage";
			a.links = sets[i].stage == A_MAIN ? "c4* c1 c2 a0" :
			    "c4* c1 a1";
			if (add(r, d, &a) <= 0)
				return -1;
			break;
		}
	return 0;
}

int
seed_schedule(struct req *r, const struct demo_ctx *d)
{
	size_t	 i;
	long	 n;

	(void)activity_list(r, d->ev, &n);
	if (n != 0)
		return n < 0 ? -1 : 0;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (add(r, d, &fixed[i]) <= 0)
			return -1;
	for (i = 0; i < NSETS; i++)
		if (add_set(r, d, &sets[i]) != 0)
			return -1;
	return changeovers(r, d) == 0 ? 1 : -1;
}
