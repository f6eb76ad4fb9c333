/* collab.h — collaborators of an event (PRODUCT §8): companies, vendors,
 * artist teams, departments. Every lookup is by (id, event_id); the
 * handler decides beforehand, from the session's standing, which ids the
 * actor may reach (RELIABILITY AC-2, AC-4). Colours are the areas'
 * palette (model/area.h). */
#ifndef MODEL_COLLAB_H
#define MODEL_COLLAB_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct req;

struct collab {
	int64_t		 id;
	char		*uuid;
	int64_t		 event_id;
	char		*name;
	char		*description;	/* Markdown, may be NULL */
	char		*email;
	char		*phone;
	char		*website;
	char		*colour;
	int		 is_host;
	char		*created_at;	/* RFC 3339 UTC */
	int64_t		 version;
	int64_t		 crew_count;	/* filled by list and get */
	int64_t		 user_count;	/* its event users */
};

/* What a form may set. NULL clears an optional field. */
struct collab_fields {
	const char	*name;
	const char	*description;
	const char	*email;
	const char	*phone;
	const char	*website;
	const char	*colour;
};

/* What stands in the way of deleting a collaborator. */
struct collab_blockers {
	json_object	*users;		/* [{user_id, name, email}] */
	json_object	*invitations;	/* [{id, email, expires_at}] */
	json_object	*advances;	/* with answers: [{id, name, answers}] */
	int64_t		*advance_ids;	/* every advance, empty ones too */
	size_t		 nadvances;
	size_t		 n;
};

/* The event's collaborators the caller says the actor may see: all of
 * them (all = 1), or the actor's own (own_id) plus those their
 * collaborator-scope crew grants name. One query, host first, then by
 * name. Returns an arena array and its length in *n, NULL on error. */
struct collab *collab_list(struct req *, int64_t event_id, int all,
	    int64_t own_id, int64_t user_id, size_t *n);
/* One collaborator with its counts: 1 found, 0 not in this event, -1. */
int	 collab_get(struct req *, int64_t event_id, int64_t id,
	    struct collab *);
/* Inside a write transaction, first statement: the event row under a
 * shared lock (archive waits for us; we see its true status). Returns
 * 1 (archived in *archived), 0 no such event, -1 error. */
int	 collab_lock_event(struct req *, int64_t event_id, int *archived);
/* The collaborator row FOR UPDATE (no counts): 1, 0 or -1. */
int	 collab_lock(struct req *, int64_t event_id, int64_t id,
	    struct collab *);
/* Is a name taken in the event, ignoring case (except_id aside)?
 * 1 taken, 0 free, -1 error. */
int	 collab_name_taken(struct req *, int64_t event_id, const char *name,
	    int64_t except_id);
/* Insert; returns the new id, 0 when the name is taken (a race the
 * pre-check missed), -1 on error. */
int64_t	 collab_insert(struct req *, int64_t event_id,
	    const struct collab_fields *);
/* Update when the version still matches: 1 done, 0 stale, -2 name
 * taken, -1 error. */
int	 collab_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const struct collab_fields *);
/* What stops a deletion: event users, live pending invitations and
 * advances holding answers or line items (b->n counts them); also every
 * advance id, for collab_delete. */
int	 collab_blockers(struct req *, int64_t event_id, int64_t id,
	    struct collab_blockers *);
/* Delete a locked collaborator without blockers (b from
 * collab_blockers): its empty advances (their tracked tasks archived),
 * crew, dead invitations (and any seat they still reserved) and the
 * grants scoped to it, then the row. Returns 1 deleted, 0 gone, -1
 * error. */
int	 collab_delete(struct req *, int64_t event_id, int64_t id,
	    const struct collab_blockers *);

/* {id, uuid, name, description, description_html, …}. */
json_object *collab_json(struct req *, const struct collab *);

#endif
