/* migrate.c — apply sql/NNNN_*.sql in order, each recorded in
 * schema_migrations; running it twice changes nothing.
 *
 * MariaDB commits DDL implicitly, so a migration cannot be rolled back
 * as a whole: each file is written to be applied once, and its record is
 * inserted only after every statement in it succeeded. A named lock keeps
 * two migrate runs from interleaving. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/arena.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

static struct dbq q_table = DBQ(
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT UNSIGNED NOT NULL PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " applied_at DATETIME(3) NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
static struct dbq q_lock = DBQ("SELECT GET_LOCK('backops_migrate', 30)");
static struct dbq q_unlock = DBQ("SELECT RELEASE_LOCK('backops_migrate')");
static struct dbq q_applied = DBQ(
    "SELECT COUNT(*) FROM schema_migrations WHERE version = ?");
static struct dbq q_record = DBQ(
    "INSERT INTO schema_migrations (version, name, applied_at)"
    " VALUES (?, ?, UTC_TIMESTAMP(3))");

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*s;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		fclose(f);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

static int
scalar(struct dbq *q, const char *types, int64_t arg, int64_t *out)
{
	int	 rc;

	rc = *types ? db_select(q, types, arg) : db_select(q, "");
	if (rc != 0)
		return -1;
	rc = db_fetch(q, "i", out);
	db_done(q);
	return rc == 1 ? 0 : -1;
}

int
cmd_migrate(int argc, char **argv)
{
	DIR		*d;
	struct dirent	*de;
	char		**files = NULL, err[1024], path[1024];
	size_t		 n = 0, cap = 0, i;
	int64_t		 got;
	int		 applied = 0, rc = 0;
	struct arena	 a;

	(void)argc, (void)argv;
	arena_init(&a);
	db_request_begin(&a);
	if (db_connect() != 0) {
		fprintf(stderr, "migrate: cannot connect to the database\n");
		return 1;
	}
	if (db_exec(&q_table, "") < 0 || scalar(&q_lock, "", 0, &got) != 0 ||
	    got != 1) {
		fprintf(stderr, "migrate: cannot create schema_migrations or "
		    "take the migration lock\n");
		return 1;
	}
	if ((d = opendir(cfg->sql_dir)) == NULL) {
		fprintf(stderr, "migrate: cannot open %s\n", cfg->sql_dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		const char	*s = de->d_name;
		size_t		 len = strlen(s);

		if (len < 10 || strcmp(s + len - 4, ".sql") != 0 ||
		    strspn(s, "0123456789") != 4 || s[4] != '_')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			files = xrealloc(files, cap * sizeof(*files));
		}
		files[n++] = xstrdup(s);
	}
	closedir(d);
	qsort(files, n, sizeof(*files), cmp);
	for (i = 0; i < n && rc == 0; i++) {
		int64_t	 version = atoi(files[i]);
		char	*sql;

		if (scalar(&q_applied, "i", version, &got) != 0) {
			rc = 1;
			break;
		}
		if (got > 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", cfg->sql_dir, files[i]);
		if ((sql = slurp(path)) == NULL) {
			fprintf(stderr, "migrate: cannot read %s\n", path);
			rc = 1;
			break;
		}
		if (db_run_script(sql, err, sizeof(err)) != 0) {
			fprintf(stderr, "migrate: %s: %s\n", files[i], err);
			rc = 1;
		} else if (db_exec(&q_record, "is", version, files[i]) < 0) {
			fprintf(stderr, "migrate: cannot record %s\n",
			    files[i]);
			rc = 1;
		} else {
			printf("migrate: applied %s\n", files[i]);
			applied++;
		}
		free(sql);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	(void)scalar(&q_unlock, "", 0, &got);
	if (rc == 0)
		printf("migrate: %d applied, schema up to date\n", applied);
	db_disconnect();
	arena_free(&a);
	return rc;
}
