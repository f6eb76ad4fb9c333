/* activity.h — activities of an event's schedule (PRODUCT §10): rows,
 * their area tags, participants and single-occurrence exceptions. Every
 * lookup names the event; the pages decide visibility (pages/schedule.c).
 * Lists read a date range (series that reach into it included) in four
 * queries, whatever the number of rows. */
#ifndef MODEL_ACTIVITY_H
#define MODEL_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

struct req;

struct act_part {
	int64_t		 activity_id;
	int64_t		 user_id;	/* 0 for a collaborator */
	int64_t		 collab_id;	/* 0 for a user */
	int		 organizer;
	int		 required;
	char		*name;
	int64_t		 row_id;	/* its row, where read for ordering */
};

struct act_area {
	int64_t		 activity_id;
	int64_t		 area_id;
	char		*name;
	int64_t		 position;	/* the area's, where read for
					   ordering */
};

/* One changed or cancelled occurrence of a series (FEEDS §3.4), keyed
 * by the occurrence's original local start day in the event's zone.
 * NULL start/end, name and location mean "as the series". */
struct act_exception {
	int64_t		 id;
	int64_t		 activity_id;
	char		*occ_date;	/* YYYY-MM-DD */
	int64_t		 day;		/* occ_date, days since 1970 */
	int		 cancelled;
	char		*start_utc;	/* RFC 3339 UTC; NULL when not moved */
	char		*end_utc;
	char		*name;
	char		*location;
	int64_t		 sequence;
	char		*created_at;	/* RFC 3339 UTC */
	char		*updated_at;
};

struct activity {
	int64_t		 id;
	char		*uuid;
	int64_t		 event_id;
	char		*kind;		/* "activity", "time_frame" */
	char		*name;
	char		*description;
	int		 all_day;
	char		*start_utc;	/* RFC 3339 UTC; NULL when all-day */
	char		*end_utc;
	char		*start_date;	/* YYYY-MM-DD; all-day only */
	char		*end_date;
	int		 is_global;
	char		*location;
	char		*rec_freq;	/* NULL, daily, weekly, monthly */
	int64_t		 rec_interval;
	int64_t		 rec_weekdays;	/* bit 0 Monday … bit 6 Sunday */
	char		*rec_until;	/* YYYY-MM-DD or NULL */
	int		 cancelled;
	int64_t		 created_by;
	int64_t		 version;
	/* attached by the caller */
	struct act_part	*parts;
	size_t		 nparts;
	struct act_area	*areas;
	size_t		 nareas;
	struct act_exception *excs;	/* by day */
	size_t		 nexcs;
};

/* What a write sets ("YYYY-MM-DD HH:MM:SS" UTC for timed ones). */
struct activity_fields {
	const char	*kind;
	const char	*name;
	const char	*description;
	int		 all_day;
	const char	*start_utc;
	const char	*end_utc;
	const char	*start_date;
	const char	*end_date;
	int		 is_global;
	const char	*location;
	const char	*rec_freq;
	int64_t		 rec_interval;
	int64_t		 rec_weekdays;
	const char	*rec_until;
	const int64_t	*areas;
	size_t		 nareas;
	const struct act_part *parts;
	size_t		 nparts;
};

/* Every activity of the event with its participants, areas and
 * exceptions attached (four queries). NULL with *n = 0 when there are none; -1 in *n on
 * error. */
struct activity *activity_list(struct req *, int64_t event_id, long *n);
/* The SQL bounds of local days [from, to] (days since 1970). */
struct act_range {
	char		 from_utc[24], to_utc[24];
	char		 from_date[12], to_date[12], until_from[12];
	unsigned	 weekdays;	/* weekly series' start days that reach it */
};
/* The SQL bounds of local days [from, to]: tight in a known zone, a day
 * wider each side for zone NULL (rows of events in several zones). */
void	 activity_range(int64_t from, int64_t to, const char *zone,
	    struct act_range *);
/* As activity_list, only rows that may occur in the range (series
 * included, and those with an occurrence moved into it); three queries
 * (one when nothing matches). */
struct activity *activity_list_range(struct req *, int64_t event_id,
	    const struct act_range *, long *n);
/* The personal calendar: across the user's events, the activities the
 * user or their collaborator takes part in and the global ones, in the
 * range; three queries. */
struct activity *activity_list_personal(struct req *, int64_t user_id,
	    const struct act_range *, long *n);

/* The combined schedule of an organization's active events: global
 * activities and those the user or their collaborator takes part in, in
 * the range; three queries. */
struct activity *activity_list_org(struct req *, int64_t org_id,
	    int64_t user_id, const struct act_range *, long *n);

/* The events a user is on (one query); *n = (size_t)-1 on error. */
struct act_event {
	int64_t		 id;
	char		*name;
	char		*timezone;
	int		 archived;
	int64_t		 collab_id;	/* the user's collaborator there */
};
struct act_event *activity_my_events(struct req *, int64_t user_id,
	    size_t *n);

/* What the form and the calendar selector offer: the event's
 * collaborators, areas and users (collab_id: a user's collaborator).
 * Three queries; 0 or -1. */
struct act_choice {
	int64_t		 id;
	char		*name;
	int64_t		 collab_id;
};
struct act_choices {
	struct act_choice *collabs, *areas, *users;
	size_t		 ncollabs, nareas, nusers;
};
/* One query. */
int	 activity_choices(struct req *, int64_t event_id,
	    struct act_choices *);

/* One activity with parts, areas and exceptions: 1 found, 0 not here,
 * -1 error. */
int	 activity_get(struct req *, int64_t event_id, int64_t id,
	    struct activity *);
/* Inside a write transaction (after event_lock_shared): the row FOR
 * UPDATE, as activity_get. */
int	 activity_lock(struct req *, int64_t event_id, int64_t id,
	    struct activity *);
/* Insert: the new id or -1. */
int64_t	 activity_insert(struct req *, int64_t event_id, int64_t user_id,
	    const struct activity_fields *);
/* Update at version: 1 done, 0 the version moved, -1 error. Replaces
 * the areas and participants. */
int	 activity_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const struct activity_fields *);
/* Cancel (1) or restore (0) at version: 1, 0 moved, -1. */
int	 activity_set_cancelled(struct req *, int64_t event_id, int64_t id,
	    int64_t version, int cancelled);
/* Is the user on the event / the collaborator or area of the event?
 * 1, 0 or -1. The name (arena) in *name when found. */
int	 activity_user_on_event(struct req *, int64_t event_id,
	    int64_t user_id, char **name);
int	 activity_collab_of_event(struct req *, int64_t event_id,
	    int64_t collab_id, char **name);
int	 activity_area_of_event(struct req *, int64_t event_id,
	    int64_t area_id, char **name);

/* The event's schedule revision (FEEDS §1): raise it inside every
 * transaction that changes an activity (insert, update, cancel and the
 * model functions below do it themselves); read it with the time of the
 * last change (0 and NULL when never changed). 0 or -1. */
int	 activity_bump_revision(struct req *, int64_t event_id);
int	 activity_revision(struct req *, int64_t event_id, int64_t *rev,
	    char **changed_at);

/* The exception of the occurrence on local day, or NULL. */
const struct act_exception *activity_exception_on(const struct activity *,
	    int64_t day);

/* What an exception write sets (NULL: as the series; times
 * "YYYY-MM-DD HH:MM:SS" UTC). */
struct act_exc_fields {
	int		 cancelled;
	const char	*start_utc;
	const char	*end_utc;
	const char	*name;
	const char	*location;
};
/* Inside a write transaction, after activity_lock: write (f) or drop
 * (f NULL) the exception of the occurrence on occ_date, at the series'
 * version. cur is the current exception (NULL: none). Raises the
 * series' version and the event's schedule revision. 1 done, 0 the
 * version moved, -1 error. */
int	 activity_exception_set(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const char *occ_date,
	    const struct act_exception *cur, const struct act_exc_fields *f);
/* Drop every exception of a series (its start or rule changed): the
 * number dropped or -1. */
int64_t	 activity_exceptions_drop(struct req *, int64_t event_id,
	    int64_t id);
/* After a series edit that keeps them (their carried properties may
 * have changed): SEQUENCE at least the series' + 1, updated now. 0 or
 * -1. */
int	 activity_exceptions_touch(struct req *, int64_t event_id,
	    int64_t id);

#endif
