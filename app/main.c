/* main.c — backopsd: argv → subcommand, configuration, hand-over.
 *
 *	backopsd [-c FILE] serve [--pid-file PATH]
 *	backopsd [-c FILE] migrate | seed-demo | outbox [--loop] | jobs
 *	backopsd [-c FILE] user disable|enable EMAIL
 *	backopsd [-c FILE] routes | config
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "auth/password.h"
#include "cmd/cmd.h"
#include "core/arena.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/master.h"
#include "core/route.h"
#include "db/db.h"

static struct conf	 config;

static void
usage(void)
{
	fprintf(stderr, "usage: backopsd [-c FILE] serve [--pid-file PATH]\n"
	    "       backopsd [-c FILE] migrate | seed-demo | outbox [--loop] "
	    "| jobs\n"
	    "       backopsd [-c FILE] user disable|enable EMAIL\n"
	    "       backopsd [-c FILE] routes | config\n");
	exit(2);
}

static enum log_level
level(const char *s)
{
	if (strcmp(s, "debug") == 0)
		return LOG_DEBUG;
	if (strcmp(s, "warn") == 0)
		return LOG_WARN;
	if (strcmp(s, "error") == 0)
		return LOG_ERROR;
	return LOG_INFO;
}

/* DB-1: a database that can lose acknowledged commits is refused in
 * production. The check runs in a short-lived child, so the master
 * itself never holds a database connection (PROC-1). */
static int
check_database(void)
{
	struct arena	 a;
	char		 msg[512];
	int		 bad, status;
	pid_t		 pid;

	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
			return -1;
		return WEXITSTATUS(status) == 0 ? 0 : -1;
	}
	arena_init(&a);
	db_request_begin(&a);
	if (db_connect() != 0) {
		fprintf(stderr, "backopsd: cannot connect to the database "
		    "(workers will keep trying)\n");
		_exit(0);
	}
	bad = db_check_durability(msg, sizeof(msg));
	db_disconnect();
	if (bad && cfg->require_durable_db) {
		fprintf(stderr, "backopsd: database settings are not durable: "
		    "%s (set them, or require_durable_db = false)\n", msg);
		_exit(1);
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char	*path = getenv("BACKOPS_CONF");
	char		 err[1024];
	const char	*cmd;
	int		 i = 1;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc)
		usage();
	cmd = argv[i];
	if (path == NULL && access("conf/backops.conf", R_OK) == 0)
		path = "conf/backops.conf";
	if (conf_load(&config, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "backopsd: configuration: %s\n", err);
		return 2;
	}
	cfg = &config;
	if (strcmp(cmd, "routes") == 0) {
		route_dump(1);
		return 0;
	}
	if (strcmp(cmd, "config") == 0) {
		conf_dump(cfg, 1);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "backopsd: libsodium failed to initialize\n");
		return 1;
	}
	if (conf_load_secrets(&config, err, sizeof(err)) != 0) {
		fprintf(stderr, "backopsd: configuration: %s\n", err);
		return 2;
	}
	log_set_level(level(cfg->log_level));

	if (strcmp(cmd, "serve") == 0) {
		if (i + 2 < argc && strcmp(argv[i + 1], "--pid-file") == 0)
			master_set_pidfile(argv[i + 2]);
		else if (i + 1 < argc)
			usage();
		if (log_open(cfg->log_file) != 0) {
			fprintf(stderr, "backopsd: log_file: cannot open %s\n",
			    cfg->log_file);
			return 2;
		}
		if (cfg->insecure_dev_cookies)
			log_msg(LOG_WARN, "msg=\"insecure_dev_cookies is on: "
			    "development only\"");
		if (check_database() != 0)
			return 1;
		return master_run(path);
	}
	/* Tools print to the terminal; their log lines go to stderr. */
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc - i, argv + i);
	if (strcmp(cmd, "outbox") == 0)
		return cmd_outbox(argc - i, argv + i);
	if (strcmp(cmd, "jobs") == 0)
		return cmd_jobs(argc - i, argv + i);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - i, argv + i);
	if (strcmp(cmd, "seed-demo") == 0) {
		if (pw_load_common(cfg->common_passwords_file, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "backopsd: %s\n", err);
			return 2;
		}
		return cmd_seed_demo(argc - i, argv + i);
	}
	usage();
	return 2;
}
