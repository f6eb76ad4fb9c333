/* leandb.h — what the bench's database reference lines (lean_db.c,
 * lean_304.c) share: a connection and one prepared statement, set up
 * once per child, exactly as a plain MariaDB C API program would. */
#ifndef BENCH_LEANDB_H
#define BENCH_LEANDB_H

#include <mysql.h>

/* Connects (utf8mb4, session time zone UTC) with the password read from
 * PWFILE and prepares SQL, checking that it takes NPARAMS parameters.
 * Returns the statement, or NULL with the reason on stderr under the
 * name PROG. */
MYSQL_STMT	*leandb_open(const char *prog, const char *socket,
		    const char *user, const char *pwfile, const char *name,
		    const char *sql, unsigned long nparams);

#endif
