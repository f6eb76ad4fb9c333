/* crew.h — crew members of a collaborator (PRODUCT §8). A record gives no
 * access by itself; its access is derived from the event's users and
 * invitations. Every statement names the event and the collaborator, both
 * resolved by the handler from the session's standing (AC-2, AC-4). */
#ifndef MODEL_CREW_H
#define MODEL_CREW_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct req;

/* Derived, never stored. */
enum crew_access {
	CA_NONE,	/* no linked user, no pending invitation */
	CA_INVITED,	/* a live pending event invitation for the record */
	CA_ACTIVE,	/* linked to a user who is on the event */
	CA_NO_ACCESS,	/* linked, but the user is not on the event */
};

struct crew {
	int64_t		 id;
	int64_t		 event_id;
	int64_t		 collab_id;
	char		*first_name;
	char		*last_name;
	char		*title;
	char		*role_on_show;
	char		*email;
	char		*phone;
	int		 point_of_contact;
	int64_t		 user_id;	/* 0 when not linked */
	char		*notes;		/* Markdown */
	char		*created_at;
	int64_t		 version;
	enum crew_access access;	/* list and get only */
	char		*invited_email;	/* a pending invitation's */
};

struct crew_fields {
	const char	*first_name;
	const char	*last_name;
	const char	*title;
	const char	*role_on_show;
	const char	*email;
	const char	*phone;
	int		 point_of_contact;
	const char	*notes;
};

const char *crew_access_name(enum crew_access);
const char *crew_access_label(enum crew_access);

/* A collaborator's crew (contacts_only: points of contact), with their
 * derived access, in one query ordered by first name, last name, id.
 * Arena array, count in *n; NULL on error. */
struct crew *crew_list(struct req *, int64_t event_id, int64_t collab_id,
	    int contacts_only, size_t *n);
/* One record of the collaborator, with its access: 1, 0 or -1. */
int	 crew_get(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t id, struct crew *);
/* The actor's own crew record in the collaborator, if any: its id, 0
 * when there is none, -1 on error. */
int64_t	 crew_of_user(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t user_id);
/* The record FOR UPDATE (after the collaborator's lock): 1, 0 or -1. */
int	 crew_lock(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t id, struct crew *);
/* Is the email (ignoring case) on another record of the collaborator?
 * 1 taken, 0 free, -1 error. */
int	 crew_email_taken(struct req *, int64_t collab_id, const char *email,
	    int64_t except_id);
/* Insert: the new id, 0 when the email is taken, -1 on error. */
int64_t	 crew_insert(struct req *, int64_t event_id, int64_t collab_id,
	    const struct crew_fields *);
/* Update when the version matches: 1 done, 0 stale, -2 email taken,
 * -1 error. */
int	 crew_update(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t id, int64_t version, const struct crew_fields *);
/* 1 deleted, 0 gone, -1 error. */
int	 crew_delete(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t id);

/* "First Last" (arena). */
const char *crew_name(struct req *, const struct crew *);
/* {id, collaborator_id, first_name, …, notes_html, access, url}. */
json_object *crew_json(struct req *, const struct crew *);

#endif
