/* seed.c — `backopsd seed-demo`: a demo account to look around with.
 * Idempotent: a second run finds the account and changes nothing. */
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "cmd.h"
#include "core/arena.h"
#include "core/conf.h"
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"

#define DEMO_EMAIL	"demo@backops.test"
#define DEMO_NAME	"Dana Demo"
#define DEMO_PASSWORD	"festival-demo-2026"

int
cmd_seed_demo(int argc, char **argv)
{
	struct arena	 a;
	struct req	 r;
	struct user	 u;
	char		 hash[PW_HASH_MAX];
	int		 found;
	int64_t		 id;

	(void)argc, (void)argv;
	arena_init(&a);
	memset(&r, 0, sizeof(r));
	r.a = &a;
	r.rid = "seed-demo";
	r.remote_addr = "";
	db_request_begin(&a);
	if ((found = user_by_email(&r, DEMO_EMAIL, &u)) < 0) {
		fprintf(stderr, "seed-demo: cannot reach the database\n");
		return 1;
	}
	if (!found) {
		if (pw_hash(DEMO_PASSWORD, hash) != 0 || db_begin() != 0 ||
		    (id = user_create(&r, DEMO_EMAIL, DEMO_NAME, hash,
		    pw_pepper_id(), "Europe/Amsterdam")) <= 0 ||
		    user_mark_verified(&r, id) != 0 || db_commit() != 0) {
			fprintf(stderr, "seed-demo: could not create the demo "
			    "account\n");
			return 1;
		}
		printf("seed-demo: created the demo account\n");
	} else
		printf("seed-demo: demo data already present\n");
	printf("demo login: %s / %s\n", DEMO_EMAIL, DEMO_PASSWORD);
	db_disconnect();
	arena_free(&a);
	return 0;
}
