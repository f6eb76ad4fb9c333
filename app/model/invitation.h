/* invitation.h — invitations of new email addresses into a team
 * organization (PRODUCT §3). A pending invitation reserves one org
 * license in its pool until it is accepted, revoked or expires; the link
 * carries a "boinv_" token of which only a keyed hash is stored. An
 * invitation whose expires_at has passed is dead everywhere, whatever
 * its status column still says. */
#ifndef MODEL_INVITATION_H
#define MODEL_INVITATION_H

#include <stddef.h>
#include <stdint.h>

#include "core/conf.h"

#include <json-c/json.h>

#include "model/org.h"
#include "policy/license.h"

struct req;

/* Seconds a link stays valid: invitation_ttl_days (PRODUCT §3). */
#define INVITE_TTL	((int64_t)cfg->invitation_ttl_days * 86400)
#define INVITE_PREFIX	"boinv_"
#define INVITE_TOKEN_MAX 80

struct invitation {
	int64_t		 id;
	int64_t		 org_id;
	char		*org_name;
	char		*email;
	enum org_role	 role;
	int64_t		 pool_id;
	enum product	 license;
	int		 live;		/* pending and not expired */
	char		*expires_at;	/* RFC 3339 UTC */
	char		*inviter_name;
};

/* One address of an invitation batch and what the database knows. */
struct invitee {
	const char	*email;		/* as typed (trimmed) */
	char		*norm;		/* user_email_norm() */
	int64_t		 user_id;	/* an existing account, else 0 */
	char		*user_name;
	char		*user_email;
	int		 member;	/* already a member of the org */
	int		 pending;	/* a live invitation exists */
};

/* Fill user_id, member and pending of every row in one query. */
int	 invitation_lookup(struct req *, int64_t org_id, struct invitee *,
	    size_t n);
/* By the token of a link: 1 found (live or not), 0 unknown or
 * malformed, -1 error. */
int	 invitation_by_token(struct req *, const char *tok,
	    struct invitation *);
/* Lock one invitation of the organization (id, org_id): 1, 0, -1. The
 * org_name and inviter_name fields stay NULL. */
int	 invitation_lock(struct req *, int64_t org_id, int64_t id,
	    struct invitation *);
/* A new pending invitation; writes its link token to tok. Returns the
 * id or -1. */
int64_t	 invitation_create(struct req *, int64_t org_id, const char *email,
	    enum org_role, int64_t pool_id, char *tok, size_t toksz);
/* A new token and a new expiry (the old link dies): 1, 0 not pending. */
int	 invitation_renew(struct req *, int64_t org_id, int64_t id,
	    char *tok, size_t toksz);
/* pending → revoked: 1, 0 not pending. */
int	 invitation_revoke(struct req *, int64_t org_id, int64_t id);
/* pending → accepted by user_id: 1, 0 not pending. */
int	 invitation_accepted(struct req *, int64_t id, int64_t user_id);
/* Live pending invitations of the organization, newest first: [{id,
 * email, role, license, license_label, invited_by, created_at(_local),
 * expires_at(_local)}], or NULL on error. */
json_object *invitation_list(struct req *, int64_t org_id);

#endif
