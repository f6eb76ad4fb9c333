/* eventinvite.h — invitations of new email addresses onto one event
 * (PRODUCT §6, §8). An invitation names the collaborator the person will
 * belong to, holds the grants to apply on acceptance and, through
 * event_seats.invitation_id, an optional Event Pro seat reservation. The
 * link carries a "boevinv_" token of which only a keyed hash is stored.
 * An invitation whose expires_at has passed is dead everywhere, whatever
 * its status column still says; its reserved seat no longer counts and
 * is deleted by einv_expire() the next time the event's seats change. */
#ifndef MODEL_EVENTINVITE_H
#define MODEL_EVENTINVITE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/conf.h"
#include "policy/perm.h"

struct req;

#define EINV_PREFIX	"boevinv_"
#define EINV_TOKEN_MAX	80
#define EINV_TTL	((int64_t)cfg->invitation_ttl_days * 86400)
#define EINV_GRANTS_MAX	64	/* grants one invitation may hold */

struct event_invitation {
	int64_t		 id;
	int64_t		 event_id;
	int64_t		 org_id;
	char		*event_name;
	int		 event_archived;
	int64_t		 collab_id;
	char		*collab_name;
	int64_t		 crew_id;	/* 0: not from a crew record */
	char		*email;
	char		*grants_json;	/* [[domain, scope_id, section, level]] */
	char		*preset;	/* NULL: explicit grants */
	int		 has_seat;	/* a seat is reserved for it */
	int		 live;		/* pending and not expired */
	char		*expires_at;	/* RFC 3339 UTC */
	char		*inviter_name;
};

/* Grants to and from the stored JSON form. einv_grants_parse returns the
 * number read (≤ max), or -1 when the text is not what we wrote. */
char	*einv_grants_json(struct req *, const struct grant *, size_t n);
int	 einv_grants_parse(const char *json, struct grant *out, size_t max);

/* By the token of a link: 1 found (live or not), 0 unknown or malformed,
 * -1 error. */
int	 einv_by_token(struct req *, const char *tok,
	    struct event_invitation *);
/* Lock one invitation of the event (id, event_id): 1, 0, -1. */
int	 einv_lock(struct req *, int64_t event_id, int64_t id,
	    struct event_invitation *);
/* Is there a live invitation for this address on the event? 1, 0, -1. */
int	 einv_pending(struct req *, int64_t event_id, const char *email);
/* A new pending invitation; writes its link token to tok. Returns the id
 * or -1. */
int64_t	 einv_create(struct req *, int64_t event_id, int64_t collab_id,
	    int64_t crew_id, const char *email, const char *grants_json,
	    const char *preset, char *tok, size_t toksz);
/* A new token and expiry (the old link dies): 1, 0 not live. */
int	 einv_renew(struct req *, int64_t event_id, int64_t id, char *tok,
	    size_t toksz);
/* pending → revoked, its seat freed: 1, 0 not pending. */
int	 einv_revoke(struct req *, int64_t event_id, int64_t id);
/* pending → accepted by user_id: 1, 0 not live. */
int	 einv_accepted(struct req *, int64_t id, int64_t user_id);
/* Mark the event's lapsed invitations expired and delete the seats they
 * reserved. Call with the event row locked. 0 or -1. */
int	 einv_expire(struct req *, int64_t event_id);
/* Live invitations of the event (collab_id 0: all), newest first:
 * [{id, email, collaborator_id, collaborator_name, crew_id, preset,
 * preset_label, seat, invited_by, created_at(_local), expires_at(_local)}]
 * or NULL on error. */
json_object *einv_list(struct req *, int64_t event_id, int64_t collab_id);

#endif
