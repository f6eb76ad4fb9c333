/* lean_db.c — the bench's `lean-db` reference line (issue 8): a minimal
 * libfcgi responder that runs ONE prepared SELECT through the MariaDB C
 * API and prints the rows with json-c. No framework, no session, no
 * permission check: the best plain C can do on the same data.
 *
 * For now it selects up to 50 collaborators of one
 * event (GET ...?event=ID) with the columns and crew count of the JSON
 * collaborator list; the real comparison row, 50 activities of one day
 * against the JSON schedule, replaces it when the schedule is wired into
 * the bench (a second prepared statement here).
 *
 *   lean_db SOCKET PROCESSES DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME
 *
 * Each child connects after fork and prepares the statement once. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <mysql.h>

#include "prefork.h"

#define SQL_LIST \
	"SELECT c.id, c.uuid, c.event_id, c.name, c.description, c.email," \
	" c.phone, c.website, c.colour, c.is_host," \
	" DATE_FORMAT(c.created_at, '%Y-%m-%dT%H:%i:%sZ'), c.version," \
	" (SELECT COUNT(*) FROM crew cr WHERE cr.event_id = c.event_id" \
	"  AND cr.collaborator_id = c.id)" \
	" FROM collaborators c WHERE c.event_id = ?" \
	" ORDER BY c.is_host DESC, c.name_norm, c.id LIMIT 50"

enum kind { K_INT, K_BOOL, K_STR };

static const struct col {
	const char	*name;
	enum kind	 kind;
	size_t		 cap;	/* K_STR: buffer bytes (longer values are
				 * fetched again in full) */
} cols[] = {
	{ "id", K_INT, 0 },
	{ "uuid", K_STR, 40 },
	{ "event_id", K_INT, 0 },
	{ "name", K_STR, 4096 },
	{ "description", K_STR, 16384 },
	{ "email", K_STR, 1024 },
	{ "phone", K_STR, 256 },
	{ "website", K_STR, 8192 },
	{ "colour", K_STR, 96 },
	{ "is_host", K_BOOL, 0 },
	{ "created_at", K_STR, 32 },
	{ "version", K_INT, 0 },
	{ "crew_count", K_INT, 0 },
};
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

static const char	*db_socket, *db_user, *db_pwfile, *db_name;
static MYSQL		*db;
static MYSQL_STMT	*st;
static MYSQL_BIND	 out[NCOLS];
static long long	 ival[NCOLS];
static char		*sval[NCOLS];
static unsigned long	 len[NCOLS];
static my_bool		 isnull[NCOLS], cut[NCOLS];
static long long	 param_event;
static MYSQL_BIND	 in[1];

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

static int
child_init(void)
{
	const char	*pw;
	size_t		 i;

	if ((pw = read_secret(db_pwfile)) == NULL ||
	    (db = mysql_init(NULL)) == NULL)
		return 1;
	mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(db, NULL, db_user, pw, db_name, 0, db_socket,
	    0) == NULL) {
		fprintf(stderr, "lean_db: connect: %s\n", mysql_error(db));
		return 1;
	}
	if ((st = mysql_stmt_init(db)) == NULL ||
	    mysql_stmt_prepare(st, SQL_LIST, strlen(SQL_LIST)) != 0) {
		fprintf(stderr, "lean_db: prepare: %s\n", mysql_error(db));
		return 1;
	}
	memset(in, 0, sizeof(in));
	in[0].buffer_type = MYSQL_TYPE_LONGLONG;
	in[0].buffer = &param_event;
	if (mysql_stmt_bind_param(st, in) != 0)
		return 1;
	memset(out, 0, sizeof(out));
	for (i = 0; i < NCOLS; i++) {
		out[i].is_null = &isnull[i];
		out[i].length = &len[i];
		out[i].error = &cut[i];
		if (cols[i].kind == K_STR) {
			if ((sval[i] = malloc(cols[i].cap)) == NULL)
				return 1;
			out[i].buffer_type = MYSQL_TYPE_STRING;
			out[i].buffer = sval[i];
			out[i].buffer_length = cols[i].cap;
		} else {
			out[i].buffer_type = MYSQL_TYPE_LONGLONG;
			out[i].buffer = &ival[i];
		}
	}
	return mysql_stmt_bind_result(st, out) != 0;
}

/* A string column's value; a value longer than its buffer is fetched
 * again in full (the caller frees *spill). */
static json_object *
str_value(size_t i, char **spill)
{
	MYSQL_BIND	 b;

	if (!cut[i])
		return json_object_new_string_len(sval[i], (int)len[i]);
	if ((*spill = malloc(len[i] + 1)) == NULL)
		return NULL;
	memset(&b, 0, sizeof(b));
	b.buffer_type = MYSQL_TYPE_STRING;
	b.buffer = *spill;
	b.buffer_length = len[i] + 1;
	if (mysql_stmt_fetch_column(st, &b, (unsigned int)i, 0) != 0)
		return NULL;
	return json_object_new_string_len(*spill, (int)len[i]);
}

static json_object *
row_json(void)
{
	json_object	*o = json_object_new_object();
	size_t		 i;

	for (i = 0; i < NCOLS; i++) {
		json_object	*v = NULL;
		char		*spill = NULL;

		if (!isnull[i]) {
			switch (cols[i].kind) {
			case K_INT:
				v = json_object_new_int64(ival[i]);
				break;
			case K_BOOL:
				v = json_object_new_boolean(ival[i] != 0);
				break;
			case K_STR:
				v = str_value(i, &spill);
				break;
			}
		}
		json_object_object_add(o, cols[i].name, v);
		free(spill);
	}
	return o;
}

static void
answer(FCGX_Request *r, int status, const char *ctype, const char *body)
{
	char	 head[256];
	int	 n;

	n = snprintf(head, sizeof(head), "Status: %d\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n\r\n", status, ctype, strlen(body));
	FCGX_PutStr(head, n, r->out);
	FCGX_PutStr(body, (int)strlen(body), r->out);
}

static void
handle(FCGX_Request *r)
{
	const char	*qs = FCGX_GetParam("QUERY_STRING", r->envp);
	json_object	*doc, *items;
	char		*end;
	int		 rc;

	if (qs == NULL || strncmp(qs, "event=", 6) != 0) {
		answer(r, 400, "text/plain", "event=ID is required\n");
		return;
	}
	errno = 0;
	param_event = strtoll(qs + 6, &end, 10);
	if (errno != 0 || end == qs + 6 || (*end != '\0' && *end != '&')) {
		answer(r, 400, "text/plain", "event=ID is required\n");
		return;
	}
	if (mysql_stmt_execute(st) != 0) {
		fprintf(stderr, "lean_db: execute: %s\n", mysql_stmt_error(st));
		answer(r, 503, "text/plain", "database\n");
		return;
	}
	items = json_object_new_array();
	while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED)
		json_object_array_add(items, row_json());
	if (rc != MYSQL_NO_DATA) {
		fprintf(stderr, "lean_db: fetch: %s\n", mysql_stmt_error(st));
		json_object_put(items);
		mysql_stmt_free_result(st);
		answer(r, 503, "text/plain", "database\n");
		return;
	}
	mysql_stmt_free_result(st);
	doc = json_object_new_object();
	json_object_object_add(doc, "event_id",
	    json_object_new_int64(param_event));
	json_object_object_add(doc, "items", items);
	answer(r, 200, "application/json",
	    json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
	json_object_put(doc);
}

int
main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: lean_db SOCKET PROCESSES DB_SOCKET "
		    "DB_USER DB_PASSWORD_FILE DB_NAME\n");
		return 2;
	}
	db_socket = argv[3];
	db_user = argv[4];
	db_pwfile = argv[5];
	db_name = argv[6];
	return prefork_run("lean_db", argv[1], argv[2], child_init, handle);
}
