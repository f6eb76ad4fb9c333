/* leandb.c — see leandb.h. */
#include <stdio.h>
#include <string.h>

#include "leandb.h"

static char *
read_secret(const char *path)
{
	static char	 buf[512];
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

MYSQL_STMT *
leandb_open(const char *prog, const char *socket, const char *user,
    const char *pwfile, const char *name, const char *sql,
    unsigned long nparams)
{
	MYSQL		*db;
	MYSQL_STMT	*st;
	const char	*pw;

	if ((pw = read_secret(pwfile)) == NULL) {
		fprintf(stderr, "%s: cannot read %s\n", prog, pwfile);
		return NULL;
	}
	if ((db = mysql_init(NULL)) == NULL)
		return NULL;
	mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(db, NULL, user, pw, name, 0, socket, 0) ==
	    NULL) {
		fprintf(stderr, "%s: connect: %s\n", prog, mysql_error(db));
		return NULL;
	}
	/* DATETIME columns hold UTC; nothing here converts, but say so. */
	if (mysql_query(db, "SET time_zone = '+00:00'") != 0)
		return NULL;
	if ((st = mysql_stmt_init(db)) == NULL ||
	    mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		fprintf(stderr, "%s: prepare: %s\n", prog, mysql_error(db));
		return NULL;
	}
	if (mysql_stmt_param_count(st) != nparams) {
		fprintf(stderr, "%s: %lu parameters, not %lu\n", prog,
		    mysql_stmt_param_count(st), nparams);
		return NULL;
	}
	return st;
}
