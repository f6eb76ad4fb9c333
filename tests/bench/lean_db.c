/* lean_db.c — the bench's `lean-db` reference line (issue 8): a minimal
 * libfcgi responder that runs ONE prepared SELECT through the MariaDB C
 * API and prints the rows with json-c. No framework, no session, no
 * permission check: the best plain C can do on the same data.
 *
 * GET ...?event=ID&day=YYYY-MM-DD answers the activities of that local
 * day of the event — the same ones as the JSON schedule of the day
 * (/api/v1/events/{event}/schedule/day/{date}, the `schedule-json` row):
 * single activities overlapping the day, daily series and weekly series
 * on the day's weekday, with the occurrence's start and end in UTC, the
 * kind, flags, location and area names. The day's bounds in UTC come
 * from the zone in the environment variable TZ (tests/bench/run sets the
 * bench event's, Europe/Amsterdam). Unlike backopsd it does not expand
 * series in C: the SELECT decides "occurs on this day" for the shapes
 * the bench data set holds (interval-1 weekly series, series whose UTC
 * start date is their local start date). Nothing is cached between
 * requests; the statement is prepared once per process.
 *
 *   lean_db SOCKET PROCESSES DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME
 *
 * Each child connects after fork and prepares the statement once. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <mysql.h>

#include "leandb.h"
#include "prefork.h"

/* The occurrence's start and end: a single's own, a series' moved to the
 * day. The area names come joined by the unit separator (0x1f). */
#define OCC(col) \
	"DATE_FORMAT(IF(a.rec_freq IS NULL, a." col ", a." col \
	" + INTERVAL DATEDIFF(?, DATE(a.start_utc)) DAY)," \
	" '%Y-%m-%dT%H:%i:%sZ')"
#define SQL_DAY \
	"SELECT a.id, a.uuid, a.event_id, a.name, a.kind, a.all_day," \
	" a.is_global, a.cancelled, a.rec_freq IS NOT NULL, a.location," \
	" " OCC("start_utc") " AS occ_start, " OCC("end_utc") "," \
	" DATE_FORMAT(a.start_date, '%Y-%m-%d')," \
	" DATE_FORMAT(a.end_date, '%Y-%m-%d')," \
	" (SELECT GROUP_CONCAT(ar.name ORDER BY ar.position, ar.name" \
	"   SEPARATOR 0x1f) FROM activity_areas t JOIN areas ar" \
	"   ON ar.id = t.area_id WHERE t.activity_id = a.id)" \
	" FROM activities a WHERE a.event_id = ? AND (" \
	"  (a.rec_freq IS NULL AND a.all_day = 0 AND a.start_utc < ?" \
	"   AND a.end_utc > ?)" \
	"  OR (a.rec_freq IS NULL AND a.all_day = 1 AND a.start_date <= ?" \
	"   AND a.end_date >= ?)" \
	"  OR (a.rec_freq IS NOT NULL AND a.all_day = 0 AND a.start_utc < ?" \
	"   AND (a.rec_until IS NULL OR a.rec_until >= ?)" \
	"   AND ((a.rec_freq = 'daily'" \
	"     AND DATEDIFF(?, DATE(a.start_utc)) % a.rec_interval = 0)" \
	"    OR (a.rec_freq = 'weekly' AND (a.rec_weekdays & ?) <> 0))))" \
	" ORDER BY a.all_day DESC, occ_start, a.id"

enum kind { K_INT, K_BOOL, K_STR, K_LIST };

static const struct col {
	const char	*name;
	enum kind	 kind;
	size_t		 cap;	/* K_STR, K_LIST: buffer bytes (longer
				 * values are fetched again in full) */
} cols[] = {
	{ "activity_id", K_INT, 0 },
	{ "uuid", K_STR, 40 },
	{ "event_id", K_INT, 0 },
	{ "name", K_STR, 4096 },
	{ "type", K_STR, 32 },
	{ "all_day", K_BOOL, 0 },
	{ "global", K_BOOL, 0 },
	{ "cancelled", K_BOOL, 0 },
	{ "recurring", K_BOOL, 0 },
	{ "location", K_STR, 4096 },
	{ "start", K_STR, 32 },
	{ "end", K_STR, 32 },
	{ "start_date", K_STR, 16 },
	{ "end_date", K_STR, 16 },
	{ "areas", K_LIST, 4096 },
};
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

/* The parameters, in the order of the placeholders. */
enum { P_DAY1, P_DAY2, P_EVENT, P_END1, P_START, P_DAY3, P_DAY4, P_END2,
	P_DAY5, P_DAY6, P_WDBIT, NPARAMS };

static const char	*db_socket, *db_user, *db_pwfile, *db_name;
static MYSQL_STMT	*st;
static MYSQL_BIND	 out[NCOLS];
static long long	 ival[NCOLS];
static char		*sval[NCOLS];
static unsigned long	 len[NCOLS];
static my_bool		 isnull[NCOLS], cut[NCOLS];
static MYSQL_BIND	 in[NPARAMS];
static long long	 param_event, param_wdbit;
static char		 param_day[16], param_start[24], param_end[24];
static unsigned long	 len_day, len_start, len_end;

static void
bind_str(MYSQL_BIND *b, char *buf, unsigned long *l)
{
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = buf;
	b->length = l;
}

static int
child_init(void)
{
	size_t		 i;

	if ((st = leandb_open("lean_db", db_socket, db_user, db_pwfile,
	    db_name, SQL_DAY, NPARAMS)) == NULL)
		return 1;
	memset(in, 0, sizeof(in));
	bind_str(&in[P_DAY1], param_day, &len_day);
	bind_str(&in[P_DAY2], param_day, &len_day);
	in[P_EVENT].buffer_type = MYSQL_TYPE_LONGLONG;
	in[P_EVENT].buffer = &param_event;
	bind_str(&in[P_END1], param_end, &len_end);
	bind_str(&in[P_START], param_start, &len_start);
	bind_str(&in[P_DAY3], param_day, &len_day);
	bind_str(&in[P_DAY4], param_day, &len_day);
	bind_str(&in[P_END2], param_end, &len_end);
	bind_str(&in[P_DAY5], param_day, &len_day);
	bind_str(&in[P_DAY6], param_day, &len_day);
	in[P_WDBIT].buffer_type = MYSQL_TYPE_LONGLONG;
	in[P_WDBIT].buffer = &param_wdbit;
	if (mysql_stmt_bind_param(st, in) != 0)
		return 1;
	memset(out, 0, sizeof(out));
	for (i = 0; i < NCOLS; i++) {
		out[i].is_null = &isnull[i];
		out[i].length = &len[i];
		out[i].error = &cut[i];
		if (cols[i].kind == K_STR || cols[i].kind == K_LIST) {
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

/* A string column's bytes; a value longer than its buffer is fetched
 * again in full (the caller frees *spill). NULL on failure. */
static const char *
str_bytes(size_t i, char **spill)
{
	MYSQL_BIND	 b;

	if (!cut[i])
		return sval[i];
	if ((*spill = malloc(len[i] + 1)) == NULL)
		return NULL;
	memset(&b, 0, sizeof(b));
	b.buffer_type = MYSQL_TYPE_STRING;
	b.buffer = *spill;
	b.buffer_length = len[i] + 1;
	if (mysql_stmt_fetch_column(st, &b, (unsigned int)i, 0) != 0)
		return NULL;
	return *spill;
}

/* "a\x1fb\x1fc" as ["a", "b", "c"]. */
static json_object *
list_value(const char *s, size_t n)
{
	json_object	*arr = json_object_new_array();
	const char	*end = s + n, *p;

	while (s < end) {
		if ((p = memchr(s, 0x1f, (size_t)(end - s))) == NULL)
			p = end;
		json_object_array_add(arr,
		    json_object_new_string_len(s, (int)(p - s)));
		s = p + 1;
	}
	return arr;
}

static json_object *
row_json(void)
{
	json_object	*o = json_object_new_object();
	size_t		 i;

	for (i = 0; i < NCOLS; i++) {
		json_object	*v = NULL;
		const char	*s;
		char		*spill = NULL;

		if (isnull[i]) {
			if (cols[i].kind == K_LIST)
				v = json_object_new_array();
		} else {
			switch (cols[i].kind) {
			case K_INT:
				v = json_object_new_int64(ival[i]);
				break;
			case K_BOOL:
				v = json_object_new_boolean(ival[i] != 0);
				break;
			case K_STR:
				if ((s = str_bytes(i, &spill)) != NULL)
					v = json_object_new_string_len(s,
					    (int)len[i]);
				break;
			case K_LIST:
				if ((s = str_bytes(i, &spill)) != NULL)
					v = list_value(s, len[i]);
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

/* Local midnight of the day (y, m, d) in TZ as "YYYY-MM-DD HH:MM:SS" UTC. */
static int
midnight_utc(int y, int m, int d, char *buf, size_t sz)
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return -1;
	return strftime(buf, sz, "%Y-%m-%d %H:%M:%S", &tm) == 0 ? -1 : 0;
}

/* event=ID&day=YYYY-MM-DD into the parameters; 0 or -1. */
static int
read_query(const char *qs)
{
	struct tm	 tm;
	char		*end;
	int		 y, m, d, n = 0;

	if (qs == NULL || strncmp(qs, "event=", 6) != 0)
		return -1;
	errno = 0;
	param_event = strtoll(qs + 6, &end, 10);
	if (errno != 0 || end == qs + 6 || strncmp(end, "&day=", 5) != 0)
		return -1;
	if (sscanf(end + 5, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    end[5 + n] != '\0' || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	snprintf(param_day, sizeof(param_day), "%04d-%02d-%02d", y, m, d);
	len_day = strlen(param_day);
	if (midnight_utc(y, m, d, param_start, sizeof(param_start)) != 0 ||
	    midnight_utc(y, m, d + 1, param_end, sizeof(param_end)) != 0)
		return -1;
	len_start = strlen(param_start);
	len_end = strlen(param_end);
	/* The weekday bit as the app keeps it: Monday = bit 0. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1)
		return -1;
	param_wdbit = 1LL << ((tm.tm_wday + 6) % 7);
	return 0;
}

static void
handle(FCGX_Request *r)
{
	json_object	*doc, *items;
	int		 rc;

	if (read_query(FCGX_GetParam("QUERY_STRING", r->envp)) != 0) {
		answer(r, 400, "text/plain",
		    "event=ID&day=YYYY-MM-DD is required\n");
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
	json_object_object_add(doc, "date", json_object_new_string(param_day));
	json_object_object_add(doc, "count",
	    json_object_new_int64((int64_t)json_object_array_length(items)));
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
	tzset();
	return prefork_run("lean_db", argv[1], argv[2], child_init, handle);
}
