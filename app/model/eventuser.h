/* eventuser.h — the people on an event (PRODUCT §6): each belongs to
 * exactly one collaborator there, with a license class (org_pro, seat or
 * free, §4) and grants (§5). Writes run with the event row locked
 * (eu_lock_event, first statement of the transaction), so changes to one
 * event's users happen one at a time and the "at least one uncapped
 * users & access admin" rule is checked on numbers nobody else moves. */
#ifndef MODEL_EVENTUSER_H
#define MODEL_EVENTUSER_H

#include <stddef.h>
#include <stdint.h>

#include "policy/perm.h"

struct req;

struct event_user {
	int64_t		 user_id;
	char		*name;
	char		*email;
	int64_t		 collab_id;
	char		*collab_name;
	int		 collab_host;
	int		 has_seat;
	int		 org_pro;	/* team member of the event's org, Org Pro */
	int		 org_admin;	/* owner or admin of the event's org */
	enum license_class lc;
	char		*joined_at;	/* RFC 3339 UTC */
	int64_t		 version;
};

/* One grant row with its holder and the preset it came from. */
struct eu_grant {
	int64_t		 user_id;
	struct grant	 g;
	char		*preset;	/* NULL: set one by one */
};

/* A collaborator or an area of the event (scope choices, names). */
struct eu_scope {
	int64_t		 id;
	char		*name;
	int		 host;		/* collaborators: the host */
};

/* A crew record the invite form works on. */
struct eu_crew {
	int64_t		 id;
	int64_t		 collab_id;
	char		*first_name;
	char		*last_name;
	char		*email;
	int64_t		 user_id;	/* linked account, 0 none */
	int64_t		 version;
};

/* Lock the event row: the first statement of every write transaction on
 * the event's users. 1 found (pool and archived filled), 0, -1. */
int	 eu_lock_event(struct req *, int64_t event_id, int64_t *pool_id,
	    int *archived);
/* One event user: 1 found, 0 not on the event, -1 error. */
int	 eu_get(struct req *, int64_t event_id, int64_t user_id,
	    struct event_user *);
/* Every event user, oldest first (one query). *out in the arena. */
int	 eu_list(struct req *, int64_t event_id, struct event_user **out,
	    size_t *n);
/* Every grant on the event (user 0) or of one user, one query. */
int	 eu_grants(struct req *, int64_t event_id, int64_t user_id,
	    struct eu_grant **out, size_t *n);
/* Collaborators (host first, then by name) and areas of the event. */
int	 eu_collabs(struct req *, int64_t event_id, struct eu_scope **out,
	    size_t *n);
int	 eu_areas(struct req *, int64_t event_id, struct eu_scope **out,
	    size_t *n);
/* Look one up inside the event: 1, 0 not there, -1. */
int	 eu_collab(struct req *, int64_t event_id, int64_t collab_id,
	    struct eu_scope *);
int	 eu_area(struct req *, int64_t event_id, int64_t area_id,
	    struct eu_scope *);

/* Put a user on the event: 1 added, 0 already on it, -1 error. */
int	 eu_add(struct req *, int64_t event_id, int64_t user_id,
	    int64_t collab_id);
/* Take a user off every event of an organization (removal from it):
 * seats, grants, crew links and event users. 0 or -1. */
int	 eu_leave_org(struct req *, int64_t org_id, int64_t user_id);
/* Take a user off the event (the row only): 1, 0 not on it, -1. */
int	 eu_delete(struct req *, int64_t event_id, int64_t user_id);
/* Move to another collaborator: 1, 0 gone or version moved, -1. */
int	 eu_move(struct req *, int64_t event_id, int64_t user_id,
	    int64_t collab_id, int64_t version);
/* Users on the event holding Event-domain users & access admin with a
 * seat or Org Pro (the last-admin rule, PRODUCT §5). -1 on error. */
int64_t	 eu_uncapped_admins(struct req *, int64_t event_id);
/* Live seats on the event (seats of dead invitations do not count). */
int64_t	 eu_seats_used(struct req *, int64_t event_id);
/* The quantity of the pool and the live seats on the event. 0 or -1. */
int	 eu_seat_info(struct req *, int64_t event_id, int64_t pool_id,
	    int64_t *quantity, int64_t *used);

/* Crew records: lock one of a collaborator of the event (1, 0, -1);
 * save an email on a record that had none (1, 0 taken in the
 * collaborator, -1); link a record to a user, first unlinking any other
 * record of that user on the event (0, -1). */
int	 eu_crew_lock(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t crew_id, struct eu_crew *);
int	 eu_crew_get(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t crew_id, struct eu_crew *);
int	 eu_crew_set_email(struct req *, int64_t crew_id, const char *email);
int	 eu_crew_link(struct req *, int64_t event_id, int64_t crew_id,
	    int64_t user_id);
/* Unlink a user's crew record in one collaborator (moving away). */
int	 eu_crew_unlink(struct req *, int64_t event_id, int64_t user_id,
	    int64_t collab_id);

#endif
