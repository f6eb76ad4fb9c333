/* jobs.c — `backopsd jobs`: the periodic work, run by cron (hourly is
 * enough) or by hand. Today: the advance due-date reminders (PRODUCT
 * §13.11), which go out from 09:00 in each event's zone; running it
 * again the same day sends nothing twice (model/reminder.c).
 *
 *	backopsd jobs
 *	backopsd jobs --now 2027-06-24T09:30:00Z	(test builds only)
 *
 * The mail lands in the outbox; `backopsd outbox` delivers it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/reminder.h"

#ifdef TEST_HOOKS
/* RFC 3339 with Z or a ±HH:MM offset → UTC seconds; -1 when malformed. */
static int64_t
parse_now(const char *s)
{
	struct tm	 tm;
	const char	*p;
	int		 oh, om, sign;

	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (strcmp(p, "Z") == 0)
		return (int64_t)timegm(&tm);
	if ((p[0] != '+' && p[0] != '-') || sscanf(p + 1, "%2d:%2d", &oh,
	    &om) != 2 || strlen(p) != 6)
		return -1;
	sign = p[0] == '+' ? 1 : -1;
	return (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
}
#endif

static int
usage(void)
{
#ifdef TEST_HOOKS
	fprintf(stderr, "usage: backopsd jobs [--now RFC3339]\n");
#else
	fprintf(stderr, "usage: backopsd jobs\n");
#endif
	return 2;
}

int
cmd_jobs(int argc, char **argv)
{
	struct arena		 a;
	struct req		 r;
	struct reminder_run	 run;
	int64_t			 now = (int64_t)time(NULL);
	int			 rc;

	if (argc == 3 && strcmp(argv[1], "--now") == 0) {
#ifdef TEST_HOOKS
		if ((now = parse_now(argv[2])) < 0)
			return usage();
#else
		return usage();
#endif
	} else if (argc != 1)
		return usage();
	arena_init(&a);
	memset(&r, 0, sizeof(r));
	r.a = &a;
	r.rid = "jobs";
	r.remote_addr = "";
	db_request_begin(&a);
	if (db_connect() != 0) {
		fprintf(stderr, "jobs: cannot reach the database\n");
		arena_free(&a);
		return 1;
	}
	rc = reminders_run(&r, now, &run);
	db_disconnect();
	arena_free(&a);
	if (rc != 0) {
		fprintf(stderr, "jobs: reminders: database error\n");
		return 1;
	}
	printf("jobs: reminders: %lld sent, %lld already sent today "
	    "(%lld events past 09:00)\n", (long long)run.sent,
	    (long long)run.already, (long long)run.events);
	return 0;
}
