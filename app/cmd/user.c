/* user.c — operator helpers: `backopsd user disable|enable EMAIL`.
 * Disabling stops the account's sessions and tokens at once (PRODUCT §2):
 * sessions are deleted here, tokens are refused by the status check. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"

static struct dbq q_status = DBQ(
    "UPDATE users SET status = ?, version = version + 1 WHERE id = ?");
static struct dbq q_end = DBQ("DELETE FROM sessions WHERE user_id = ?");

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
	    "active", u.id) < 0 || (disable && db_exec(&q_end, "i",
	    u.id) < 0) || db_commit() != 0) {
		fprintf(stderr, "user: database error\n");
		return 1;
	}
	printf("user: %s %s\n", argv[2], disable ? "disabled" : "enabled");
	db_disconnect();
	arena_free(&a);
	return 0;
}
