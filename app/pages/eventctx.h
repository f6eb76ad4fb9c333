/* eventctx.h — the event a route names ({event}, first path variable)
 * and the actor's standing on it, read fresh on every request (AC-5),
 * plus the one place handlers ask whether an action is allowed. */
#ifndef EVENTCTX_H
#define EVENTCTX_H

#include <stdint.h>

#include <json-c/json.h>

#include "model/org.h"
#include "policy/perm.h"

struct req;

struct event {
	int64_t		 id;
	char		*uuid;
	int64_t		 org_id;
	char		*org_name;
	enum org_kind	 org_kind;
	char		*name;
	char		*code;
	char		*timezone;
	char		*start_date;	/* YYYY-MM-DD, local */
	char		*end_date;
	char		*venue_name;
	char		*venue_address;
	char		*description;
	int64_t		 pool_id;
	int		 archived;
	int64_t		 version;
	int64_t		 host_collab_id;
	char		*created_at;
};

struct event_ctx {
	struct event	 ev;
	struct perm_actor actor;
	enum org_role	 org_role;	/* the actor in the event's org */
	int		 has_seat;
	struct grant	*grants;	/* arena */
	size_t		 ngrants;
	int		 event_feed;	/* the actor's live feed of the whole
					   event: 1 or 0, read with the
					   session on HTML pages; -1 unread */
};

/* Load {event} and the actor. Returns 0 to go on, or the status already
 * sent: 404 when the event does not exist or the actor cannot enter it
 * (org owners and admins enter only where org_admin_ok is set: the
 * Users & access pages and archive/restore). */
int	 event_gate(struct req *, struct event_ctx *, int org_admin_ok);
/* auth_load() for a route of one event ({event} its first path
 * variable): a cookie session comes with the user's standing on that
 * event in the same statement, which the first event_gate() then uses
 * instead of reading it again. */
int	 event_auth_load(struct req *);
/* The event and user uid's standing and grants on it, whether they may
 * enter or not (perm_can_enter says): one query. 1, 0 no such event,
 * -1 database error. For callers without a session (feeds). */
int	 event_ctx_load(struct req *, int64_t uid, int64_t event_id,
	    struct event_ctx *);
/* Roll-ups: the active events of an organization (org_id) or, with 0,
 * every active event the user is on, that the user may enter, each with
 * the actor's standing and the grants of section sec only (what the
 * roll-up decides by: levels of other sections read as if ungranted),
 * without the host collaborator (ev.host_collab_id 0); ordered by start
 * date. Two queries whatever the number of events.
 * NULL and *n = 0 when none; *n = (size_t)-1 on error. */
struct event_ctx *event_ctx_scope(struct req *, int64_t org_id,
	    enum section sec, size_t *n);
/* The same, and in *nactive how many active events it read, whether the
 * user may enter them or not (the share a roll-up covers). */
struct event_ctx *event_ctx_scope_counted(struct req *, int64_t org_id,
	    enum section sec, size_t *n, size_t *nactive);
/* Check a level on a target: 0 allowed; else 404 when the actor cannot
 * even view the target (AC-3), 403 naming section and level otherwise
 * (both sent). */
int	 event_require(struct req *, const struct event_ctx *,
	    enum section, enum level, const struct perm_target *);
/* 409 event-archived (sent) for any write to an archived event, else 0. */
int	 event_writable(struct req *, const struct event_ctx *);
/* Effective level shortcut for view models (show/hide controls). */
enum level event_level(const struct event_ctx *, enum section,
	    const struct perm_target *);
/* Does the actor hold at least need in the section somewhere: the Event
 * domain or any collaborator or area grant (may open a create form)? */
int	 event_level_somewhere(const struct event_ctx *, enum section,
	    enum level need);
json_object *event_json(const struct event *);

#endif
