/* org.h — organizations (personal workspaces and team organizations) and
 * the actor's standing in one: role and org license (PRODUCT §3, §4). */
#ifndef MODEL_ORG_H
#define MODEL_ORG_H

#include <stdint.h>

#include <json-c/json.h>

#include "policy/license.h"

struct dbq;
struct req;

enum org_role { ROLE_NONE = 0, ROLE_MEMBER, ROLE_ADMIN, ROLE_OWNER };

struct org {
	int64_t		 id;
	char		*uuid;
	char		*name;
	enum org_kind	 kind;
	char		*timezone;
	int		 members_can_create_events;
	int64_t		 version;
	char		*created_at;
	/* the actor's standing (personal: the owner, no license needed) */
	enum org_role	 role;
	int		 has_license;
	enum product	 license;
	int64_t		 pool_id;
};

const char	*role_name(enum org_role);
int		 role_parse(const char *, enum org_role *);

/* An organization (o) and the standing in it of the user whose id is
 * the SQL expression uid: the columns, and the joins after o. A
 * personal workspace's owner stands as its owner. */
#define ORG_COLS(uid) \
    "o.id, o.uuid, o.name, o.kind, o.timezone," \
    " o.members_can_create_events, o.version," \
    " DATE_FORMAT(o.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " CASE WHEN o.kind = 'personal' AND o.personal_user_id = " uid \
    "  THEN 'owner' ELSE COALESCE(m.role, 'none') END," \
    " m.pool_id, p.product"
#define ORG_JOINS(uid) \
    " LEFT JOIN org_members m ON m.org_id = o.id AND m.user_id = " uid \
    " LEFT JOIN license_pools p ON p.id = m.pool_id "
/* The ORG_COLS of the row fetched last, from column first, into o: as
 * org_load answers (NULL columns: no such organization, 0). */
int	 org_cols(struct dbq *, size_t first, struct org *);
/* Load the organization as seen by r->user: 1 when the user belongs to
 * it (owner of a personal workspace, or a team member), 0 when it does
 * not exist or the user is not in it (the caller answers 404), -1 on a
 * database error. */
int	 org_load(struct req *, int64_t id, struct org *);
/* A new team organization with its first pools and the creator as owner
 * holding `license`; caller holds the transaction. Returns the id. */
int64_t	 org_create_team(struct req *, const char *name, const char *tz,
	    const int64_t quantities[PROD__MAX], enum product license);
/* The user's workspaces: personal first, then team organizations by
 * name: [{id, name, kind, role, url, current}]. NULL on error. */
json_object *org_workspaces(struct req *, int64_t current_org_id);
json_object *org_json(const struct org *);
/* Remember the chosen workspace on the session. */
int	 org_set_current(struct req *, int64_t org_id);

#endif
