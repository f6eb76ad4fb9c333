/* db.c — connection, reconnect rule, prepared statements, transactions.
 *
 * MYSQL_OPT_RECONNECT stays off (DB-4): a silent reconnect would lose the
 * transaction, session settings and statements. We reconnect ourselves,
 * only before the request's first statement and never inside a
 * transaction, then prepare again and retry that one statement. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "db.h"

/* Parameters of one statement: the roll-up walk binds its filters twice
 * (page and count), 37 in all. */
#define BIND_MAX	48

static MYSQL		*conn;
static unsigned		 gen = 1;	/* bumped on every (re)connect */
static struct arena	*req_arena;
static int		 nqueries;
static int		 in_txn;
static unsigned		 txn_serial;
static void		(*after_commit)(void);
#ifdef TEST_HOOKS
static unsigned		 commit_pause;
#endif
static unsigned		 last_errno;
static int64_t		 last_used_ms;
static int64_t		 wait_timeout_ms = 8 * 3600 * 1000;

/* DB-2: applied by the client library on every connect. */
static const char init_sql[] =
    "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci, time_zone = '+00:00', "
    "sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,NO_ZERO_DATE,NO_ZERO_IN_DATE', "
    "max_statement_time = 10, innodb_lock_wait_timeout = 5";

void
db_request_begin(struct arena *a)
{
	req_arena = a;
	nqueries = 0;
	last_errno = 0;
#ifdef TEST_HOOKS
	commit_pause = 0;
#endif
}

int
db_queries(void)
{
	return nqueries;
}

unsigned
db_errno(void)
{
	return last_errno;
}

int
db_status(void)
{
	switch (last_errno) {
	case ER_DUP_ENTRY:
		return 409;
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_STATEMENT_TIMEOUT:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
		return 503;
	default:
		return last_errno ? 503 : 500;
	}
}

int
db_deadlock(void)
{
	return last_errno == ER_LOCK_DEADLOCK;
}

static int
lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST;
}

void
db_disconnect(void)
{
	if (conn != NULL)
		mysql_close(conn);
	conn = NULL;
	in_txn = 0;
	after_commit = NULL;
}

static void
read_wait_timeout(void)
{
	static struct dbq q = DBQ("SELECT @@SESSION.wait_timeout");
	int64_t	 secs = 0;

	if (db_select(&q, "") == 0 && db_fetch(&q, "i", &secs) == 1 &&
	    secs > 0)
		wait_timeout_ms = secs * 1000;
	db_done(&q);
}

int
db_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) != 0 ? -1 : 0;
}

int
db_connect(void)
{
	unsigned	 t_conn = 3, t_rw = 8;
	const char	*sock, *host;

	if (conn != NULL)
		return 0;
	if ((conn = mysql_init(NULL)) == NULL)
		return -1;
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &t_conn);
	mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &t_rw);
	mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &t_rw);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(conn, MYSQL_INIT_COMMAND, init_sql);
	sock = cfg->db_host[0] == '\0' ? cfg->db_socket : NULL;
	host = cfg->db_host[0] == '\0' ? "localhost" : cfg->db_host;
	if (mysql_real_connect(conn, host, cfg->db_user, cfg->db_password,
	    cfg->db_name, (unsigned)cfg->db_port, sock, 0) == NULL) {
		last_errno = mysql_errno(conn);
		log_msg(LOG_ERROR, "msg=\"database connect failed\" errno=%u "
		    "error=%s", last_errno, lq(mysql_error(conn)));
		mysql_close(conn);
		conn = NULL;
		return -1;
	}
	gen++;
	in_txn = 0;
	last_used_ms = now_mono_ms();
	/* Connection set-up is not the request's work: keep it out of the
	 * per-request statement count (the debug header, the bench). */
	{
		int	 keep = nqueries;

		read_wait_timeout();
		nqueries = keep;
	}
	return 0;
}

static void
free_result(struct dbq *q)
{
	if (q->stmt != NULL && q->ncols)
		mysql_stmt_free_result(q->stmt);
	free(q->binds);
	free(q->bufs);
	free(q->lens);
	free(q->nulls);
	free(q->coltypes);
	q->binds = q->bufs = NULL;
	q->lens = NULL;
	q->nulls = NULL;
	q->coltypes = NULL;
	q->ncols = 0;
}

void
db_done(struct dbq *q)
{
	free_result(q);
}

static int
prepare(struct dbq *q)
{
	if (q->stmt != NULL && q->gen == gen)
		return 0;
	/* Statements of an older connection died with it; mysql_close()
	 * leaves freeing them (and a result they still held) to us. */
	if (q->stmt != NULL && q->gen != gen) {
		q->ncols = 0;	/* its result goes with the statement */
		free_result(q);
		mysql_stmt_close(q->stmt);
		q->stmt = NULL;
	}
	if ((q->stmt = mysql_stmt_init(conn)) == NULL)
		return -1;
	if (mysql_stmt_prepare(q->stmt, q->sql, strlen(q->sql)) != 0) {
		last_errno = mysql_stmt_errno(q->stmt);
		log_msg(LOG_ERROR, "msg=\"prepare failed\" errno=%u error=%s "
		    "sql=%s", last_errno, lq(mysql_stmt_error(q->stmt)),
		    lq(q->sql));
		mysql_stmt_close(q->stmt);
		q->stmt = NULL;
		return -1;
	}
	q->gen = gen;
	return 0;
}

/* Bind parameters from the type string and execute. */
static int
execute(struct dbq *q, const char *types, va_list ap)
{
	MYSQL_BIND	 b[BIND_MAX];
	int64_t		 ints[BIND_MAX];
	double		 dbls[BIND_MAX];
	unsigned long	 lens[BIND_MAX];
	size_t		 i, n = strlen(types);

	if (n > BIND_MAX)
		abort();
	memset(b, 0, sizeof(b));
	for (i = 0; i < n; i++) {
		switch (types[i]) {
		case 'i':
			ints[i] = va_arg(ap, int64_t);
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = &ints[i];
			break;
		case 'd':
			dbls[i] = va_arg(ap, double);
			b[i].buffer_type = MYSQL_TYPE_DOUBLE;
			b[i].buffer = &dbls[i];
			break;
		case 's': {
			const char	*s = va_arg(ap, const char *);

			if (s == NULL) {
				b[i].buffer_type = MYSQL_TYPE_NULL;
				break;
			}
			lens[i] = strlen(s);
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)(uintptr_t)s;
			b[i].buffer_length = lens[i];
			b[i].length = &lens[i];
			break;
		}
		case 'b': {
			const void	*p = va_arg(ap, const void *);

			lens[i] = va_arg(ap, size_t);
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)(uintptr_t)p;
			b[i].buffer_length = lens[i];
			b[i].length = &lens[i];
			break;
		}
		default:
			abort();	/* a programming error */
		}
	}
	if (mysql_stmt_param_count(q->stmt) != n) {
		log_msg(LOG_ERROR, "msg=\"bind count mismatch\" sql=%s",
		    lq(q->sql));
		abort();
	}
	if (n > 0 && mysql_stmt_bind_param(q->stmt, b) != 0)
		return -1;
	nqueries++;
	if (mysql_stmt_execute(q->stmt) != 0)
		return -1;
	return 0;
}

/* Prepare and execute with the reconnect-and-retry-once rule. */
static int
run(struct dbq *q, const char *types, va_list ap)
{
	va_list	 ap2;
	int	 first = nqueries == 0, rc;

	if (conn == NULL && db_connect() != 0)
		return -1;
	/* DB-4.1: a long-idle connection may have been dropped. */
	if (first && !in_txn &&
	    now_mono_ms() - last_used_ms > wait_timeout_ms / 2 &&
	    mysql_ping(conn) != 0) {
		log_msg(LOG_WARN, "msg=\"database reconnect\" reason=idle");
		db_disconnect();
		if (db_connect() != 0)
			return -1;
	}
	free_result(q);
	va_copy(ap2, ap);
	rc = prepare(q) == 0 ? execute(q, types, ap2) : -1;
	va_end(ap2);
	if (rc != 0) {
		last_errno = q->stmt ? mysql_stmt_errno(q->stmt) :
		    mysql_errno(conn);
		if (last_errno == 0)
			last_errno = mysql_errno(conn);
		if (lost(last_errno) && first && !in_txn) {
			log_msg(LOG_WARN, "msg=\"database reconnect\" "
			    "errno=%u", last_errno);
			db_disconnect();
			if (db_connect() != 0)
				return -1;
			va_copy(ap2, ap);
			rc = prepare(q) == 0 ? execute(q, types, ap2) : -1;
			va_end(ap2);
			if (rc != 0)
				last_errno = q->stmt ?
				    mysql_stmt_errno(q->stmt) : mysql_errno(conn);
		}
		if (rc != 0) {
			if (last_errno != ER_DUP_ENTRY)
				log_msg(LOG_ERROR, "msg=\"statement failed\" "
				    "errno=%u error=%s", last_errno,
				    lq(q->stmt ? mysql_stmt_error(q->stmt) :
				    mysql_error(conn)));
			if (lost(last_errno))
				db_disconnect();
			return -1;
		}
	}
	last_used_ms = now_mono_ms();
	return 0;
}

int64_t
db_exec(struct dbq *q, const char *types, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, types);
	rc = run(q, types, ap);
	va_end(ap);
	if (rc != 0)
		return -1;
	return (int64_t)mysql_stmt_affected_rows(q->stmt);
}

int64_t
db_insert_id(void)
{
	return conn ? (int64_t)mysql_insert_id(conn) : 0;
}

int
db_select(struct dbq *q, const char *types, ...)
{
	va_list		 ap;
	MYSQL_RES	*meta;
	MYSQL_BIND	*b;
	MYSQL_FIELD	*f;
	my_bool		 one = 1;
	unsigned	 i;
	size_t		 total = 0, off = 0;
	int		 rc;

	va_start(ap, types);
	rc = run(q, types, ap);
	va_end(ap);
	if (rc != 0)
		return -1;
	/* Buffer the whole result so other statements may run while the
	 * caller walks it; max_length sizes the column buffers exactly. */
	mysql_stmt_attr_set(q->stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &one);
	if (mysql_stmt_store_result(q->stmt) != 0) {
		last_errno = mysql_stmt_errno(q->stmt);
		return -1;
	}
	if ((meta = mysql_stmt_result_metadata(q->stmt)) == NULL)
		return 0;
	q->ncols = mysql_num_fields(meta);
	f = mysql_fetch_fields(meta);
	for (i = 0; i < q->ncols; i++)
		total += f[i].max_length + 9;
	q->binds = b = xcalloc(q->ncols, sizeof(MYSQL_BIND));
	q->bufs = xmalloc(total);
	q->lens = xcalloc(q->ncols, sizeof(unsigned long));
	q->nulls = xcalloc(q->ncols, 1);
	q->coltypes = xcalloc(q->ncols, 1);
	for (i = 0; i < q->ncols; i++) {
		size_t	 sz = f[i].max_length + 9;

		q->coltypes[i] = (unsigned char)f[i].type;

		/* Everything is fetched as text and converted on demand:
		 * one code path for every column type. */
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = (char *)q->bufs + off;
		b[i].buffer_length = sz;
		b[i].length = &q->lens[i];
		b[i].is_null = (my_bool *)&q->nulls[i];
		off += sz;
	}
	mysql_free_result(meta);
	if (mysql_stmt_bind_result(q->stmt, b) != 0) {
		last_errno = mysql_stmt_errno(q->stmt);
		return -1;
	}
	return 0;
}

#ifdef TEST_HOOKS
static int
is_int_type(unsigned char t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT ||
	    t == MYSQL_TYPE_LONG || t == MYSQL_TYPE_LONGLONG ||
	    t == MYSQL_TYPE_INT24;
}

static int
is_text_type(unsigned char t)
{
	return t == MYSQL_TYPE_VAR_STRING || t == MYSQL_TYPE_STRING ||
	    t == MYSQL_TYPE_VARCHAR || t == MYSQL_TYPE_BLOB ||
	    t == MYSQL_TYPE_DATETIME || t == MYSQL_TYPE_DATE;
}

/* Test builds: a type letter that contradicts the column's type almost
 * always means the letters and the pointers are out of step. */
static void
check_types(const struct dbq *q, size_t first, const char *types)
{
	size_t	 i;

	for (i = 0; types[i] != '\0' && first + i < q->ncols; i++)
		if ((types[i] == 'i' && is_text_type(q->coltypes[first + i])) ||
		    (types[i] == 's' && is_int_type(q->coltypes[first + i]))) {
			log_msg(LOG_ALERT, "msg=\"db_fetch type mismatch\" "
			    "column=%zu letter=%c sql=%s", first + i, types[i],
			    lq(q->sql));
			abort();
		}
}
#endif

/* Columns first … first + strlen(types) - 1 of the row fetched last
 * into the pointers of ap. */
static void
read_cols(struct dbq *q, size_t first, const char *types, va_list ap)
{
	MYSQL_BIND	*b = q->binds;
	size_t		 i, n = strlen(types);

	if (first + n > q->ncols)
		abort();
#ifdef TEST_HOOKS
	check_types(q, first, types);
#endif
	for (i = first; i < first + n; i++) {
		const char	*v = b[i].buffer;
		size_t		 len = q->lens[i];
		int		 isnull = q->nulls[i];

		switch (types[i - first]) {
		case 'i': {
			int64_t	*out = va_arg(ap, int64_t *);

			*out = isnull ? 0 : strtoll(v, NULL, 10);
			break;
		}
		case 'd': {
			double	*out = va_arg(ap, double *);

			*out = isnull ? 0 : strtod(v, NULL);
			break;
		}
		case 's': {
			char	**out = va_arg(ap, char **);

			*out = isnull ? NULL :
			    arena_strndup(req_arena, v, len);
			break;
		}
		case 'b': {
			unsigned char	*out = va_arg(ap, unsigned char *);
			size_t		*outlen = va_arg(ap, size_t *);

			*outlen = isnull ? 0 : (len > 32 ? 32 : len);
			if (!isnull)
				memcpy(out, v, *outlen);
			break;
		}
		default:
			abort();
		}
	}
}

int
db_fetch(struct dbq *q, const char *types, ...)
{
	va_list		 ap;
	int		 rc;

	if (q->ncols == 0)
		return 0;
	rc = mysql_stmt_fetch(q->stmt);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc != 0 && rc != MYSQL_DATA_TRUNCATED) {
		last_errno = mysql_stmt_errno(q->stmt);
		return -1;
	}
	va_start(ap, types);
	read_cols(q, 0, types, ap);
	va_end(ap);
	return 1;
}

void
db_cols(struct dbq *q, size_t first, const char *types, ...)
{
	va_list		 ap;

	va_start(ap, types);
	read_cols(q, first, types, ap);
	va_end(ap);
}

int
db_begin(void)
{
	static struct dbq q = DBQ("START TRANSACTION");

	after_commit = NULL;
	if (db_exec(&q, "") < 0)
		return -1;
	in_txn = 1;
	txn_serial++;
	return 0;
}

void
db_after_commit(void (*fn)(void))
{
	after_commit = fn;
}

unsigned
db_txn_serial(void)
{
	return txn_serial;
}

#ifdef TEST_HOOKS
void
db_test_pause_commit(unsigned secs)
{
	commit_pause = secs;
}
#endif

int
db_commit(void)
{
	static struct dbq q = DBQ("COMMIT");
	void		(*fn)(void) = after_commit;
	int64_t		 rc;

#ifdef TEST_HOOKS
	for (; commit_pause > 0; commit_pause = sleep(commit_pause))
		;
#endif
	rc = db_exec(&q, "");
	in_txn = 0;
	after_commit = NULL;
	if (rc < 0)
		return -1;
	if (fn != NULL)
		fn();
	return 0;
}

void
db_rollback(void)
{
	static struct dbq q = DBQ("ROLLBACK");

	after_commit = NULL;
	if (conn != NULL && in_txn) {
		unsigned	 keep = last_errno;

		db_exec(&q, "");
		last_errno = keep;
	}
	in_txn = 0;
}

int
db_in_txn(void)
{
	return in_txn;
}

int
db_run_script(const char *sql, char *err, size_t errsz)
{
	const char	*p = sql;
	char		*stmt;

	if (conn == NULL && db_connect() != 0) {
		snprintf(err, errsz, "cannot connect to the database");
		return -1;
	}
	/* Statements end with ';' at the end of a line; comment lines
	 * start with "--". Each one is prepared and executed on its own, so
	 * no multi-statement text ever reaches the server. */
	while (*p != '\0') {
		const char	*end = p, *line;
		size_t		 cap = 0, len = 0;

		stmt = NULL;
		while (*end != '\0') {
			const char	*nl = strchr(end, '\n');
			size_t		 ll = nl ? (size_t)(nl - end) : strlen(end);
			const char	*t = end;

			line = end;
			end = nl ? nl + 1 : end + ll;
			while (*t == ' ' || *t == '\t')
				t++;
			if (strncmp(t, "--", 2) == 0 || (size_t)(t - line) == ll)
				continue;
			if (len + ll + 2 > cap) {
				cap = (len + ll + 2) * 2;
				stmt = xrealloc(stmt, cap);
			}
			memcpy(stmt + len, line, ll);
			len += ll;
			stmt[len++] = '\n';
			stmt[len] = '\0';
			while (ll > 0 && (line[ll - 1] == ' ' ||
			    line[ll - 1] == '\r' || line[ll - 1] == '\t'))
				ll--;
			if (ll > 0 && line[ll - 1] == ';')
				break;
		}
		p = end;
		if (stmt == NULL)
			continue;
		{
			struct dbq	 q = DBQ(stmt);
			int64_t		 rc;

			rc = db_exec(&q, "");
			if (q.stmt != NULL)
				mysql_stmt_close(q.stmt);
			if (rc < 0) {
				snprintf(err, errsz, "%s (error %u) in: %.200s",
				    mysql_error(conn), last_errno, stmt);
				free(stmt);
				return -1;
			}
		}
		free(stmt);
	}
	return 0;
}

int
db_check_durability(char *msg, size_t msgsz)
{
	static struct dbq q = DBQ(
	    "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit, @@GLOBAL.log_bin,"
	    " @@GLOBAL.sync_binlog, @@GLOBAL.innodb_doublewrite,"
	    " @@GLOBAL.innodb_snapshot_isolation, @@GLOBAL.tx_isolation,"
	    " @@GLOBAL.innodb_lock_wait_timeout, @@GLOBAL.sql_mode,"
	    " @@GLOBAL.max_connections, @@GLOBAL.character_set_server");
	int64_t	 flush = 0, logbin = 0, sync = 0, dw = 0, snap = 0, lwt = 0,
		 maxc = 0;
	char	*iso = NULL, *mode = NULL, *cs = NULL;
	int	 bad = 0;
	size_t	 off = 0;

	msg[0] = '\0';
	if (db_select(&q, "") != 0 || db_fetch(&q, "iiiiisisis", &flush,
	    &logbin, &sync, &dw, &snap, &iso, &lwt, &mode, &maxc, &cs) != 1) {
		db_done(&q);
		snprintf(msg, msgsz, "cannot read server variables");
		return 1;
	}
	db_done(&q);
#define DEV(cond, name) do {						\
	if (cond) {							\
		bad++;							\
		off += (size_t)snprintf(msg + off, off < msgsz ?	\
		    msgsz - off : 0, "%s%s", off ? ", " : "", name);	\
		log_msg(LOG_ALERT, "msg=\"database not durable\" "	\
		    "variable=%s", name);				\
	}								\
} while (0)
	DEV(flush != 1, "innodb_flush_log_at_trx_commit");
	DEV(logbin && sync != 1, "sync_binlog");
	DEV(!logbin, "log_bin");
	DEV(dw != 1, "innodb_doublewrite");
	DEV(snap != 1, "innodb_snapshot_isolation");
	DEV(iso == NULL || strcmp(iso, "REPEATABLE-READ") != 0,
	    "tx_isolation");
	DEV(lwt > 10, "innodb_lock_wait_timeout");
	DEV(mode == NULL || strstr(mode, "STRICT_TRANS_TABLES") == NULL,
	    "sql_mode");
	DEV(maxc < 2 * cfg->workers + 10, "max_connections");
	DEV(cs == NULL || strcmp(cs, "utf8mb4") != 0, "character_set_server");
#undef DEV
	return bad;
}

const char *
db_ids_json(struct arena *a, const int64_t *ids, size_t n)
{
	/* 20 digits and a comma per id, the brackets, the NUL. */
	char	*out = arena_alloc(a, n * 21 + 3), *p = out;
	size_t	 i;

	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%lld", i ? "," : "", (long long)ids[i]);
	*p++ = ']';
	*p = '\0';
	return out;
}
