/* user.c — operator helpers: `backopsd user disable|enable EMAIL`.
 * Disabling stops the account's sessions and tokens at once (PRODUCT §2):
 * sessions are deleted here, API tokens are refused by the status check,
 * and calendar feeds are revoked (FEEDS §5.3, access_lost): a feed's 304
 * reads the token alone. Enabling brings none of them back. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/feedtoken.h"
#include "model/user.h"

static struct dbq q_status = DBQ(
    "UPDATE users SET status = ?, version = version + 1 WHERE id = ?");
static struct dbq q_end = DBQ("DELETE FROM sessions WHERE user_id = ?");

/* The account's live feeds, revoked as lost access, with the audit entry
 * of a reset-all (actor: none, the operator has no account here). */
static int
revoke_feeds(struct req *r, const struct user *u)
{
	json_object	*ch;
	int64_t		 n;
	int		 rc;

	if ((n = feedtoken_revoke_all(r, u->id, "access_lost")) < 0)
		return -1;
	if (n == 0)
		return 0;
	ch = json_object_new_object();
	json_object_object_add(ch, "count", json_object_new_int64(n));
	json_object_object_add(ch, "reason",
	    json_object_new_string("access_lost"));
	rc = audit_as(r, 0, 0, 0, "feed.revoked_all", "user", u->id, u->email,
	    ch);
	json_object_put(ch);
	return rc;
}

int
cmd_user(int argc, char **argv)
{
	struct arena	 a;
	struct req	 r;
	struct user	 u;
	int		 disable;

	if (argc != 3 || (strcmp(argv[1], "disable") != 0 &&
	    strcmp(argv[1], "enable") != 0)) {
		fprintf(stderr, "usage: backopsd user disable|enable EMAIL\n");
		return 2;
	}
	disable = strcmp(argv[1], "disable") == 0;
	arena_init(&a);
	memset(&r, 0, sizeof(r));
	r.a = &a;
	db_request_begin(&a);
	if (user_by_email(&r, argv[2], &u) != 1) {
		fprintf(stderr, "user: no account with that email\n");
		return 1;
	}
	if (db_begin() != 0 || db_exec(&q_status, "si", disable ? "disabled" :
	    "active", u.id) < 0 || (disable && (db_exec(&q_end, "i",
	    u.id) < 0 || revoke_feeds(&r, &u) != 0)) || db_commit() != 0) {
		fprintf(stderr, "user: database error\n");
		return 1;
	}
	printf("user: %s %s\n", argv[2], disable ? "disabled" : "enabled");
	db_disconnect();
	arena_free(&a);
	return 0;
}
