/* db.h — the worker's one MariaDB connection and its prepared statements
 * (DESIGN §6, RELIABILITY §3).
 *
 * Every statement is a `struct dbq` declared next to its model:
 *
 *	static struct dbq q_user_by_email = DBQ(
 *	    "SELECT id, name FROM users WHERE email_norm = ?");
 *
 * It is prepared on first use and again after a reconnect. Parameters are
 * bound from a type string: i int64_t, s const char * (NULL = SQL NULL),
 * b const void * + size_t, d double. Results: db_fetch(q, "is", &id, &name)
 * with i int64_t * (NULL reads as 0), s char ** (arena copy, NULL when SQL
 * NULL), b unsigned char * of 32 bytes + size_t * length, d double *.
 *
 * Errors: functions return -1 and leave the MariaDB error code in
 * db_errno(); handlers map it with db_status() (409 duplicate, 503 …). */
#ifndef DB_H
#define DB_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct dbq {
	const char	*sql;
	void		*stmt;		/* MYSQL_STMT * */
	unsigned	 gen;		/* connection generation prepared on */
	/* result buffers of the last execute */
	void		*binds;
	void		*bufs;
	unsigned long	*lens;
	char		*nulls;
	unsigned char	*coltypes;	/* enum_field_types of the result */
	unsigned	 ncols;
};

#define DBQ(s)	{ .sql = (s) }

/* Per request: the arena for result strings; resets counters and marks
 * the request's first statement (for the reconnect rule, DB-4). */
void	 db_request_begin(struct arena *);
/* Ids as a JSON array ("[1,2,3]", in the arena): the one parameter of a
 * statement that reads rows by a list of ids through
 * JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')). */
const char *db_ids_json(struct arena *, const int64_t *ids, size_t n);
int	 db_queries(void);		/* statements run in this request */

/* The client library's one-time set-up (TLS included), done in the
 * master so that every worker it forks starts with it: 0, -1. */
int	 db_library_init(void);
/* Open (lazily) or check the connection. 0 or -1 (database down). */
int	 db_connect(void);
void	 db_disconnect(void);

/* Run a statement that returns no rows. Returns affected rows or -1. */
int64_t	 db_exec(struct dbq *, const char *types, ...);
/* Run a SELECT and buffer its result; then db_fetch() until 0. */
int	 db_select(struct dbq *, const char *types, ...);
/* 1 row fetched, 0 no more rows, -1 error. */
int	 db_fetch(struct dbq *, const char *types, ...);
/* More columns of the row db_fetch() fetched last, from column first
 * (0-based): two modules reading their parts of one joined row. */
void	 db_cols(struct dbq *, size_t first, const char *types, ...);
/* Free the buffered result (also done by the next db_select on q). */
void	 db_done(struct dbq *);
int64_t	 db_insert_id(void);

/* Transactions: all-or-nothing writes (DB-5). */
int	 db_begin(void);
int	 db_commit(void);
void	 db_rollback(void);
int	 db_in_txn(void);
/* Run fn once this transaction has committed (not when it rolls back or
 * its COMMIT fails): bookkeeping that must not become visible before the
 * writes it is about. One per transaction. */
void	 db_after_commit(void (*fn)(void));
/* Changes with each db_begin(): state kept for one transaction can tell
 * that it belongs to an earlier one. */
unsigned db_txn_serial(void);
#ifdef TEST_HOOKS
/* Test builds: this request's next COMMIT waits secs first, so that a
 * test can commit another write while this one is done but unseen. */
void	 db_test_pause_commit(unsigned secs);
#endif

unsigned db_errno(void);
/* The HTTP status for the last error: 409 (1062), 503 (lock timeout,
 * connection loss, statement timeout), 500 otherwise. */
int	 db_status(void);
/* Deadlock (1213): the whole handler may be run again. */
int	 db_deadlock(void);

/* For migrate: run a multi-statement SQL text from a file. */
int	 db_run_script(const char *sql, char *err, size_t errsz);
/* Server variable check of DB-1; returns the number of deviations and
 * logs each; names them into msg. */
int	 db_check_durability(char *msg, size_t msgsz);

#endif
