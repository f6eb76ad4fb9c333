/* user.h — accounts and their personal workspace (PRODUCT §2). */
#ifndef MODEL_USER_H
#define MODEL_USER_H

#include <stdint.h>

#include <json-c/json.h>

struct req;

struct user {
	int64_t		 id;
	char		*uuid;
	char		*email;
	char		*name;
	char		*timezone;
	int		 verified;
	int		 active;
	int		 must_change_password;
	char		*password_hash;
	int		 pepper_id;
	char		*created_at;		/* RFC 3339 UTC */
	char		*last_sign_in_at;
	int64_t		 personal_org_id;
	char		*personal_org_name;
	/* Read with the session (the layout's workspace switcher): the
	 * team memberships as "id␟kind␟role␟name" joined by ␞ (0x1f,
	 * 0x1e), NULL for none; memberships_read says it was read. */
	char		*memberships;
	int		 memberships_read;
};

/* Lower-case ASCII copy used for the case-insensitive unique key. */
char	*user_email_norm(struct req *, const char *email);
/* Insert the account and its personal organization; caller holds the
 * transaction. Returns the new id, 0 if the email is taken, -1 on error. */
int64_t	 user_create(struct req *, const char *email, const char *name,
	    const char *pw_hash, int pepper_id, const char *tz);
/* Look up by email (normalized) or id; 1 found, 0 not, -1 error. */
int	 user_by_email(struct req *, const char *email, struct user *);
int	 user_by_id(struct req *, int64_t id, struct user *);
int	 user_set_password(struct req *, int64_t id, const char *hash,
	    int pepper_id);
int	 user_mark_verified(struct req *, int64_t id);
int	 user_touch_sign_in(struct req *, int64_t id);
/* {id, uuid, name, email, timezone, verified, created_at, …} */
json_object *user_json(const struct user *);

#endif
