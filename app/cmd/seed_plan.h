/* seed_plan.h — the demo festival's plan (issue 5 item 7): custom task
 * statuses, a few dozen tasks and the three-day schedule with recurring
 * meals and the headline set's run of show. seed.c creates the festival
 * and fills a demo_ctx; each step writes in the caller's transaction
 * through the models, and only when the event has none of its part yet
 * (so a second run changes nothing). */
#ifndef CMD_SEED_PLAN_H
#define CMD_SEED_PLAN_H

#include <stdint.h>

struct req;

/* Users on the event, in the order seed.c makes them. */
enum { U_DANA, U_SAM, U_VERA, U__MAX };
/* Collaborators, in seed.c's collabs[] order (the host first). */
enum { C_HOST, C_SOUND, C_LIGHT, C_CATER, C_CREW, C_OWLS, C_POWER, C_SEC,
    C__MAX };
/* Areas, in seed.c's areas[] order. */
enum { A_MAIN, A_FOREST, A_GREEN, A_CATER, A_OFFICE, A_LOADIN, A__MAX };

struct demo_ctx {
	int64_t		 ev;
	const char	*tz;		/* the event's zone */
	int64_t		 first_day;	/* its start date, days since 1970 */
	int64_t		 author;	/* created_by of the rows */
	int64_t		 user[U__MAX];
	int64_t		 collab[C__MAX];
	int64_t		 area[A__MAX];
};

/* Each: 1 written, 0 the event already has it, -1 error. */
int	 seed_statuses(struct req *, const struct demo_ctx *);
int	 seed_tasks(struct req *, const struct demo_ctx *);
int	 seed_schedule(struct req *, const struct demo_ctx *);
int	 seed_advancing(struct req *, const struct demo_ctx *);

/* Shared by the two: "u1* c3 a0 r0" — u user, c collaborator, a area,
 * r reviewer (a user), each with its index; '*' marks an organizer and
 * '?' an optional participant. The callback gets each link; returns 0,
 * or -1 (from the callback or a malformed spec). */
struct seed_link {
	char		 kind;		/* 'u', 'c', 'a', 'r' */
	int64_t		 id;		/* resolved through the context */
	int		 organizer, optional;
};
int	 seed_links(const struct demo_ctx *, const char *spec,
	    int (*fn)(const struct seed_link *, void *), void *arg);

#endif
