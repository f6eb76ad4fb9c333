/* event.h — event rows (PRODUCT §6): an organization's list, creation
 * with its host collaborator and first event user, edits, archive and
 * restore. Access questions are asked by the pages (pages/eventctx.h);
 * these functions read and write rows inside the caller's transaction. */
#ifndef MODEL_EVENT_H
#define MODEL_EVENT_H

#include <stdint.h>

#include <json-c/json.h>

struct req;

#define EVENT_CODE_MIN		4
#define EVENT_CODE_MAX		32
#define EVENT_SPAN_MAX		366	/* days, first and last included */

/* The editable fields of an event; NULL for an empty optional one. */
struct event_fields {
	const char	*name;
	const char	*code;
	const char	*timezone;
	const char	*start_date;	/* YYYY-MM-DD, local */
	const char	*end_date;
	const char	*venue_name;
	const char	*venue_address;
	const char	*description;
};

/* The events of an organization as the actor sees them in a list, in
 * one query: [{id, name, code, timezone, start_date, end_date,
 * dates_text, venue_name, status, on_event, can_open, url,
 * access_url}], active (archived 0) or archived ones, by start date.
 * url is set only when the actor can open the event (an event user, or
 * an Org Pro member of its organization); access_url (the Users & access
 * page) for org owners and admins who cannot. A new reference; NULL on
 * a database error.
 * The organization pages (org home, personal home) call this too. */
json_object *events_list_json(struct req *, int64_t org_id, int archived);
/* Events of other organizations the user works on without being a
 * member there ("Shared with me"): [{id, name, org_name, dates_text,
 * venue_name, url}]. NULL on a database error. */
json_object *events_shared_json(struct req *);

/* Is s a valid code: 4–32 of a–z 0–9 _ - ? */
int	 event_code_valid(const char *s);
/* A code made from a name (lower-case letters and digits, other runs
 * become '-'); always valid, out must hold EVENT_CODE_MAX + 1 bytes. */
void	 event_code_from_name(const char *name, char *out);
/* The first of base, base-2, base-3 … not used in the organization
 * (one query). 0, or -1 on a database error. */
int	 event_code_free(struct req *, int64_t org_id, const char *base,
	    char *out);
/* Is code used by another event of the organization? 1, 0 or -1. */
int	 event_code_taken(struct req *, int64_t org_id, const char *code,
	    int64_t except_event_id);
/* Days from a to b (YYYY-MM-DD, both valid): b - a. */
int64_t	 event_days_between(const char *a, const char *b);
/* "12–14 Jun 2027", "30 Jun – 2 Jul 2027", … (arena). */
const char *event_dates_text(struct req *, const char *start,
	    const char *end);

/* Markdown to safe HTML (render/md.h) in the arena; "" for NULL. */
const char *event_md_html(struct req *, const char *md);

/* Creation, in the caller's transaction. event_insert and
 * event_host_insert return the new id, 0 when a unique key refused it
 * (the code, the collaborator name), -1 on error. */
int64_t	 event_insert(struct req *, int64_t org_id, int64_t pool_id,
	    const char *uuid, const struct event_fields *);
int64_t	 event_host_insert(struct req *, int64_t event_id, const char *name);
int	 event_user_insert(struct req *, int64_t event_id, int64_t user_id,
	    int64_t collab_id);

/* Lock the event row (FOR UPDATE: take it before any other read of the
 * transaction) and read it as it is now: 1 found, 0 gone, -1 error.
 * Fields are arena strings. */
struct event_row {
	struct event_fields f;
	int		 archived;
	int64_t		 version;
};
int	 event_lock(struct req *, int64_t org_id, int64_t event_id,
	    struct event_row *);
/* Every write inside an event first takes a shared lock on its row and
 * re-reads its status, so archiving waits for writes in flight and no
 * write slips in after it: 1 active, 0 archived or gone, -1 error. */
int	 event_lock_shared(struct req *, int64_t event_id);
/* Update the fields at version: 1 done, 0 the version moved, 2 the code
 * is taken by another event, -1 error. */
int	 event_update(struct req *, int64_t org_id, int64_t event_id,
	    int64_t version, const struct event_fields *);
/* Archive (1) or restore (0) at version: 1 done, 0 moved, -1 error. */
int	 event_set_archived(struct req *, int64_t org_id, int64_t event_id,
	    int64_t version, int archived);

#endif
