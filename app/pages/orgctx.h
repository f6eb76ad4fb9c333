/* orgctx.h — the organization a route names ({org}, first path variable)
 * as the actor may see it, checked in one place for every org page. */
#ifndef ORGCTX_H
#define ORGCTX_H

#include "model/org.h"

struct req;

enum org_need {
	NEED_MEMBER,	/* any member, even without an org license */
	NEED_LICENSED,	/* org-level pages: a member holding an org license
			   (personal workspaces need none) */
	NEED_ADMIN,	/* owner or admin (with an org license) */
};

/* auth_load() for a route of one organization ({org} its first path
 * variable): with a cookie session, the session and the organization
 * with the user's standing in one statement, kept for org_gate. The
 * same statuses as auth_load(). */
int	 org_auth_load(struct req *);
/* Load {org} into o and check need. Returns 0 to go on; otherwise the
 * response was sent and its status is returned: 404 for an unknown
 * organization or one the user is not in (AC-3), 403 with an explaining
 * page for a missing org license or role. */
int	 org_gate(struct req *, struct org *o, enum org_need need);
/* 403 for a team-only action in a personal workspace. */
int	 org_personal_refusal(struct req *, const char *what);

#endif
