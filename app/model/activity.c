/* activity.c — activity rows, area tags, participants and the
 * exceptions of series (single-occurrence changes). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/user.h"
#include "policy/tz.h"

#define ACT_COLS \
    "a.id, a.uuid, a.event_id, a.kind, a.name, a.description, a.all_day," \
    " DATE_FORMAT(a.start_utc, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(a.end_utc, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(a.start_date, '%Y-%m-%d')," \
    " DATE_FORMAT(a.end_date, '%Y-%m-%d'), a.is_global, a.location," \
    " a.rec_freq, a.rec_interval, a.rec_weekdays," \
    " DATE_FORMAT(a.rec_until, '%Y-%m-%d'), a.cancelled, a.created_by," \
    " a.version"
#define ACT_TYPES "isisssissssissiisiii"

static struct dbq q_list = DBQ(
    "SELECT " ACT_COLS " FROM activities a WHERE a.event_id = ?"
    " ORDER BY a.id");
/* Rows that may have an occurrence in a range of days (activity_range):
 * single ones overlapping it, series starting before its end and not
 * ended 32 days before its start, and series with an occurrence moved
 * into it (wherever their own dates are). Nine parameters. */
#define RANGE_SQL \
    " AND ((a.rec_freq IS NULL AND ((a.all_day = 0 AND a.start_utc < ?" \
    "   AND a.end_utc > ?) OR (a.all_day = 1 AND a.start_date <= ?" \
    "   AND a.end_date >= ?)))" \
    "  OR (a.rec_freq IS NOT NULL AND ((a.all_day = 0 AND a.start_utc < ?)" \
    "   OR (a.all_day = 1 AND a.start_date <= ?))" \
    "   AND (a.rec_until IS NULL OR a.rec_until >= ?))" \
    "  OR (a.rec_freq IS NOT NULL AND EXISTS (SELECT 1" \
    "   FROM activity_exceptions xr WHERE xr.activity_id = a.id" \
    "   AND xr.start_utc < ? AND xr.end_utc > ?)))"
#define RANGE_T "sssssssss"
/* The same for one event through the span indexes (0016), as a union
 * of ids: timed single ones overlapping the range (those lasting at most
 * a day found by their start, the longer ones by their end), all-day
 * single ones, series started before its end and not ended long before
 * it (weekly ones lasting a day or less only when they start on a
 * weekday of the range or of the day before it), series with an
 * occurrence moved into it. The single OR above would read every row of
 * the event. Eighteen parameters (RG_EVENT). */
static struct dbq q_list_rg = DBQ(	/* unordered: read_list sorts */
    "SELECT STRAIGHT_JOIN " ACT_COLS " FROM ("
    "SELECT s.id FROM activities s WHERE s.event_id = ?"
    " AND s.rec_freq IS NULL AND s.all_day = 0 AND s.span_long = 0"
    " AND s.start_utc > CAST(? AS DATETIME) - INTERVAL 1 DAY"
    " AND s.start_utc < ? AND s.end_utc > ?"
    " UNION SELECT s.id FROM activities s WHERE s.event_id = ?"
    " AND s.rec_freq IS NULL AND s.all_day = 0 AND s.span_long = 1"
    " AND s.end_utc > ? AND s.start_utc < ?"
    " UNION SELECT s.id FROM activities s WHERE s.event_id = ?"
    " AND s.rec_freq IS NULL AND s.all_day = 1 AND s.end_date >= ?"
    " AND s.start_date <= ?"
    " UNION SELECT s.id FROM activities s WHERE s.event_id = ?"
    " AND s.rec_freq IS NOT NULL AND ((s.all_day = 0 AND s.start_utc < ?)"
    " OR (s.all_day = 1 AND s.start_date <= ?))"
    " AND (s.rec_until IS NULL OR s.rec_until >= ?)"
    " AND (s.rec_freq <> 'weekly' OR s.all_day = 1 OR s.span_long = 1"
    "  OR (s.rec_weekdays & ?) <> 0)"
    " UNION SELECT x.activity_id FROM activity_exceptions x"
    " WHERE x.event_id = ? AND x.end_utc > ? AND x.start_utc < ?)"
    " m JOIN activities a ON a.id = m.id");
/* Personal: on the user's events, global or with the user or their
 * collaborator taking part. */
#define PERS_FROM \
    " FROM activities a JOIN event_users eu ON eu.event_id = a.event_id" \
    " AND eu.user_id = ? WHERE (a.is_global = 1 OR EXISTS (SELECT 1" \
    " FROM activity_participants p2 WHERE p2.activity_id = a.id AND" \
    " (p2.user_id = eu.user_id OR p2.collaborator_id = eu.collaborator_id)))" \
    RANGE_SQL
static struct dbq q_pers = DBQ("SELECT " ACT_COLS PERS_FROM
    " ORDER BY a.id");
static struct dbq q_my_events = DBQ(
    "SELECT e.id, e.name, e.timezone, e.status = 'archived',"
    " eu.collaborator_id FROM event_users eu JOIN events e"
    " ON e.id = eu.event_id WHERE eu.user_id = ?"
    " ORDER BY e.start_date, e.id");
/* What a form or calendar picker offers, in one statement: the event's
 * collaborators (host first), areas (their order) and users, each list
 * by name (kind 0, 1, 2; then the lists' own keys). */
static struct dbq q_choices = DBQ(
    "SELECT 0 AS kind, c.id, c.name, c.id, c.is_host AS host, 0 AS pos"
    " FROM collaborators c WHERE c.event_id = ?"
    " UNION ALL SELECT 1, ar.id, ar.name, 0, 0, ar.position FROM areas ar"
    " WHERE ar.event_id = ?"
    " UNION ALL SELECT 2, u.id, u.name, eu.collaborator_id, 0, 0"
    " FROM event_users eu JOIN users u ON u.id = eu.user_id"
    " WHERE eu.event_id = ?"
    " ORDER BY kind, host DESC, pos, 3, 2");
static struct dbq q_get = DBQ(
    "SELECT " ACT_COLS " FROM activities a WHERE a.event_id = ?"
    " AND a.id = ?");
static struct dbq q_lock = DBQ(
    "SELECT " ACT_COLS " FROM activities a WHERE a.event_id = ?"
    " AND a.id = ? FOR UPDATE");
#define PART_COLS \
    "p.activity_id, p.user_id, p.collaborator_id," \
    " p.role = 'organizer', p.required, COALESCE(u.name, c.name)"
#define PART_NAMES \
    " LEFT JOIN users u ON u.id = p.user_id" \
    " LEFT JOIN collaborators c ON c.id = p.collaborator_id"
#define PART_SQL \
    "SELECT " PART_COLS " FROM activity_participants p" PART_NAMES \
    " WHERE p.event_id = ?"
static struct dbq q_parts = DBQ(PART_SQL " ORDER BY p.activity_id, p.id");
static struct dbq q_parts_one = DBQ(PART_SQL
    " AND p.activity_id = ? ORDER BY p.id");
#define AREA_COLS "t.activity_id, t.area_id, ar.name"
#define AREA_SQL \
    "SELECT " AREA_COLS " FROM activity_areas t" \
    " JOIN areas ar ON ar.id = t.area_id WHERE t.event_id = ?"
static struct dbq q_areas = DBQ(AREA_SQL
    " ORDER BY t.activity_id, ar.position, ar.name");
static struct dbq q_areas_one = DBQ(AREA_SQL
    " AND t.activity_id = ? ORDER BY ar.position, ar.name");
/* Combined schedule of an organization (PRODUCT §15): its active
 * events, global or with the user or their collaborator taking part. */
#define ORG_FROM \
    " FROM activities a JOIN events e ON e.id = a.event_id" \
    " AND e.org_id = ? AND e.status = 'active'" \
    " LEFT JOIN event_users eu ON eu.event_id = a.event_id" \
    " AND eu.user_id = ? WHERE (a.is_global = 1 OR EXISTS (SELECT 1" \
    " FROM activity_participants p2 WHERE p2.activity_id = a.id AND" \
    " (p2.user_id = eu.user_id OR p2.collaborator_id = eu.collaborator_id)))" \
    RANGE_SQL
static struct dbq q_org = DBQ("SELECT " ACT_COLS ORG_FROM " ORDER BY a.id");
/* Exceptions, ordered like the activities they belong to. */
#define EXC_COLS \
    "x.id, x.activity_id, DATE_FORMAT(x.occ_date, '%Y-%m-%d'), x.cancelled," \
    " DATE_FORMAT(x.start_utc, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(x.end_utc, '%Y-%m-%dT%H:%i:%sZ'), x.name, x.location," \
    " x.sequence, DATE_FORMAT(x.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(x.updated_at, '%Y-%m-%dT%H:%i:%sZ')"
#define EXC_TYPES "iisissssiss"
#define EXC_ORDER " ORDER BY x.activity_id, x.occ_date"
static struct dbq q_excs = DBQ("SELECT " EXC_COLS
    " FROM activity_exceptions x WHERE x.event_id = ?" EXC_ORDER);
/* Participants, area tags and exceptions of a list of activities, by
 * their ids (one bound JSON array, ids_json), each id looked up through
 * its index: what the range lists read once their rows are known. */
#define IDS_TABLE \
    " JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j"
/* What a list of activities carries, in one statement: participants
 * (kind 0, ordered by row id), area tags (kind 1, in the areas' order:
 * position, name) and exceptions (kind 2, by date). Columns: kind, the
 * ordering key (participant row, area position, exception id), the
 * activity, four numbers, seven texts:
 *   participant: user, collaborator, organizer, required; name
 *   area tag:    area; name
 *   exception:   cancelled, sequence; name, date, start, end, location,
 *                created, updated
 * Unordered: sorted here, which spares MariaDB a temporary table of the
 * whole union; one statement where three round trips cost more than
 * their work (issue 8). */
#define LINK_TYPES "iiiiiiisssssss"
static struct dbq q_links_ids = DBQ(
    "SELECT STRAIGHT_JOIN 0 AS kind, p.id AS k, " PART_COLS " AS name,"
    " NULL, NULL, NULL, NULL, NULL, NULL"
    " FROM" IDS_TABLE " JOIN activity_participants p ON p.activity_id = j.id"
    PART_NAMES
    " UNION ALL SELECT STRAIGHT_JOIN 1, ar.position, t.activity_id,"
    " t.area_id, 0, 0, 0, ar.name, NULL, NULL, NULL, NULL, NULL, NULL"
    " FROM" IDS_TABLE " JOIN activity_areas t ON t.activity_id = j.id"
    " JOIN areas ar ON ar.id = t.area_id"
    " UNION ALL SELECT STRAIGHT_JOIN 2, x.id, x.activity_id, x.cancelled,"
    " x.sequence, 0, 0, x.name, DATE_FORMAT(x.occ_date, '%Y-%m-%d'),"
    " DATE_FORMAT(x.start_utc, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(x.end_utc, '%Y-%m-%dT%H:%i:%sZ'), x.location,"
    " DATE_FORMAT(x.created_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(x.updated_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM" IDS_TABLE " JOIN activity_exceptions x ON x.activity_id = j.id");
static struct dbq q_excs_one = DBQ("SELECT " EXC_COLS
    " FROM activity_exceptions x WHERE x.event_id = ? AND x.activity_id = ?"
    " ORDER BY x.occ_date");
/* Writes: the series' version first (the conflict check), then the
 * row. A new exception's SEQUENCE starts at the series' + 1. */
static struct dbq q_exc_version = DBQ(
    "UPDATE activities SET version = version + 1 WHERE id = ?"
    " AND event_id = ? AND version = ?");
static struct dbq q_exc_insert = DBQ(
    "INSERT INTO activity_exceptions (activity_id, event_id, occ_date,"
    " cancelled, start_utc, end_utc, name, location, sequence, created_by,"
    " created_at, updated_at) SELECT a.id, a.event_id, ?, ?, ?, ?, ?, ?,"
    " a.sequence + 1, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)"
    " FROM activities a WHERE a.id = ? AND a.event_id = ?");
static struct dbq q_exc_update = DBQ(
    "UPDATE activity_exceptions SET cancelled = ?, start_utc = ?,"
    " end_utc = ?, name = ?, location = ?, sequence = sequence + ?,"
    " updated_at = UTC_TIMESTAMP(3) WHERE activity_id = ? AND event_id = ?"
    " AND occ_date = ?");
static struct dbq q_exc_delete = DBQ(
    "DELETE FROM activity_exceptions WHERE activity_id = ? AND event_id = ?"
    " AND occ_date = ?");
static struct dbq q_exc_drop = DBQ(
    "DELETE FROM activity_exceptions WHERE activity_id = ?"
    " AND event_id = ?");
static struct dbq q_exc_touch = DBQ(
    "UPDATE activity_exceptions x SET x.sequence = GREATEST(x.sequence,"
    " (SELECT a.sequence + 1 FROM activities a WHERE a.id = x.activity_id)),"
    " x.updated_at = UTC_TIMESTAMP(3) WHERE x.activity_id = ?"
    " AND x.event_id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO activities (uuid, event_id, kind, name, description,"
    " all_day, start_utc, end_utc, start_date, end_date, is_global,"
    " location, rec_freq, rec_interval, rec_weekdays, rec_until,"
    " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_update = DBQ(
    "UPDATE activities SET kind = ?, name = ?, description = ?,"
    " all_day = ?, start_utc = ?, end_utc = ?, start_date = ?,"
    " end_date = ?, is_global = ?, location = ?, rec_freq = ?,"
    " rec_interval = ?, rec_weekdays = ?, rec_until = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_cancel = DBQ(
    "UPDATE activities SET cancelled = ?, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_bump = DBQ(
    "INSERT INTO schedule_revisions (event_id, revision, changed_at)"
    " VALUES (?, 1, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE"
    " revision = revision + 1, changed_at = UTC_TIMESTAMP(3)");
static struct dbq q_revision = DBQ(
    "SELECT revision, DATE_FORMAT(changed_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM schedule_revisions WHERE event_id = ?");
static struct dbq q_del_parts = DBQ(
    "DELETE FROM activity_participants WHERE activity_id = ?"
    " AND event_id = ?");
static struct dbq q_del_areas = DBQ(
    "DELETE FROM activity_areas WHERE activity_id = ? AND event_id = ?");
static struct dbq q_ins_part = DBQ(
    "INSERT INTO activity_participants (activity_id, event_id, user_id,"
    " collaborator_id, role, required)"
    " VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)");
static struct dbq q_ins_area = DBQ(
    "INSERT INTO activity_areas (activity_id, event_id, area_id)"
    " VALUES (?, ?, ?)");
static struct dbq q_user_on = DBQ(
    "SELECT u.name FROM event_users eu JOIN users u ON u.id = eu.user_id"
    " WHERE eu.event_id = ? AND eu.user_id = ?");
static struct dbq q_collab_of = DBQ(
    "SELECT name FROM collaborators WHERE event_id = ? AND id = ?");
static struct dbq q_area_of = DBQ(
    "SELECT name FROM areas WHERE event_id = ? AND id = ?");

static int
fetch_act(struct dbq *q, struct activity *a)
{
	int64_t	 all_day, glob, canc;
	int	 rc;

	memset(a, 0, sizeof(*a));
	rc = db_fetch(q, ACT_TYPES, &a->id, &a->uuid, &a->event_id,
	    &a->kind, &a->name, &a->description, &all_day, &a->start_utc,
	    &a->end_utc, &a->start_date, &a->end_date, &glob, &a->location,
	    &a->rec_freq, &a->rec_interval, &a->rec_weekdays, &a->rec_until,
	    &canc, &a->created_by, &a->version);
	a->all_day = all_day != 0;
	a->is_global = glob != 0;
	a->cancelled = canc != 0;
	return rc;
}

static int
fetch_part(struct dbq *q, struct act_part *p)
{
	int64_t	 org, req;
	int	 rc;

	memset(p, 0, sizeof(*p));
	rc = db_fetch(q, "iiiiis", &p->activity_id, &p->user_id,
	    &p->collab_id, &org, &req, &p->name);
	p->organizer = org != 0;
	p->required = req != 0;
	return rc;
}

/* Read every row of an executed activity select into an arena array. */
static struct activity *
read_acts(struct req *r, struct dbq *q, size_t *np, int *err)
{
	struct activity	*as = NULL, a;
	size_t		 n = 0, cap = 0;
	int		 rc;

	while ((rc = fetch_act(q, &a)) == 1) {
		as = arena_grow(r->a, as, n, &cap, sizeof(struct activity));
		as[n++] = a;
	}
	db_done(q);
	*err = rc < 0;
	*np = n;
	return as;
}

static struct act_part *
read_parts(struct req *r, struct dbq *q, size_t *np, int *err)
{
	struct act_part	*ps = NULL, p;
	size_t		 n = 0, cap = 0;
	int		 rc;

	while ((rc = fetch_part(q, &p)) == 1) {
		ps = arena_grow(r->a, ps, n, &cap, sizeof(struct act_part));
		ps[n++] = p;
	}
	db_done(q);
	*err = rc < 0;
	*np = n;
	return ps;
}

static struct act_area *
read_areas(struct req *r, struct dbq *q, size_t *np, int *err)
{
	struct act_area	*ts = NULL, t;
	size_t		 n = 0, cap = 0;
	int		 rc;

	memset(&t, 0, sizeof(t));
	while ((rc = db_fetch(q, "iis", &t.activity_id, &t.area_id,
	    &t.name)) == 1) {
		ts = arena_grow(r->a, ts, n, &cap, sizeof(struct act_area));
		ts[n++] = t;
	}
	db_done(q);
	*err = rc < 0;
	*np = n;
	return ts;
}

static int
fetch_exc(struct dbq *q, struct act_exception *x)
{
	int64_t	 canc;
	int	 rc;

	memset(x, 0, sizeof(*x));
	rc = db_fetch(q, EXC_TYPES, &x->id, &x->activity_id, &x->occ_date,
	    &canc, &x->start_utc, &x->end_utc, &x->name, &x->location,
	    &x->sequence, &x->created_at, &x->updated_at);
	x->cancelled = canc != 0;
	if (rc == 1 && tz_parse_date(x->occ_date, &x->day) != 0)
		x->day = -1;
	return rc;
}

static struct act_exception *
read_excs(struct req *r, struct dbq *q, size_t *np, int *err)
{
	struct act_exception *xs = NULL, x;
	size_t		 n = 0, cap = 0;
	int		 rc;

	while ((rc = fetch_exc(q, &x)) == 1) {
		xs = arena_grow(r->a, xs, n,
		    &cap, sizeof(struct act_exception));
		xs[n++] = x;
	}
	db_done(q);
	*err = rc < 0;
	*np = n;
	return xs;
}

/* The lists are ordered by activity id: attach in one pass. */
static void
attach_all(struct activity *as, size_t n, struct act_part *ps, size_t np2,
    struct act_area *ts, size_t nt, struct act_exception *xs, size_t nx)
{
	size_t	 i, j, k, m;

	for (i = j = k = m = 0; i < n; i++) {
		while (m < nx && xs[m].activity_id < as[i].id)
			m++;
		as[i].excs = xs + m;
		while (m < nx && xs[m].activity_id == as[i].id) {
			as[i].nexcs++;
			m++;
		}
		while (j < np2 && ps[j].activity_id < as[i].id)
			j++;
		as[i].parts = ps + j;
		while (j < np2 && ps[j].activity_id == as[i].id) {
			as[i].nparts++;
			j++;
		}
		while (k < nt && ts[k].activity_id < as[i].id)
			k++;
		as[i].areas = ts + k;
		while (k < nt && ts[k].activity_id == as[i].id) {
			as[i].nareas++;
			k++;
		}
	}
}

#define RG(rg) (rg)->to_utc, (rg)->from_utc, (rg)->to_date, (rg)->from_date, \
	(rg)->to_utc, (rg)->to_date, (rg)->until_from, (rg)->to_utc, \
	(rg)->from_utc

/* q_list_rg's binds: the event and the range, once per arm. */
#define RG_EVENT_T "isssissississsiiss"
#define RG_EVENT(ev, rg) (ev), (rg)->from_utc, (rg)->to_utc, (rg)->from_utc, \
	(ev), (rg)->from_utc, (rg)->to_utc, \
	(ev), (rg)->from_date, (rg)->to_date, \
	(ev), (rg)->to_utc, (rg)->to_date, (rg)->until_from, \
	(int64_t)(rg)->weekdays, \
	(ev), (rg)->from_utc, (rg)->to_utc

/* The ids of the rows read, the one parameter of the by-ids queries. */
static const char *
ids_json(struct req *r, const struct activity *as, size_t n)
{
	int64_t	*ids = arena_calloc(r->a, n + 1, sizeof(*ids));
	size_t	 i;

	for (i = 0; i < n; i++)
		ids[i] = as[i].id;
	return db_ids_json(r->a, ids, n);
}

/* The orders the satellite lists are sorted into (see q_links_ids). */
static int
part_order(const void *a, const void *b)
{
	const struct act_part *p = a, *q = b;

	if (p->activity_id != q->activity_id)
		return p->activity_id < q->activity_id ? -1 : 1;
	return (p->row_id > q->row_id) - (p->row_id < q->row_id);
}

/* The areas' names compare as in SQL (utf8mb4_bin: by code point, which
 * is byte order in UTF-8). */
static int
area_order(const void *a, const void *b)
{
	const struct act_area *p = a, *q = b;

	if (p->activity_id != q->activity_id)
		return p->activity_id < q->activity_id ? -1 : 1;
	if (p->position != q->position)
		return p->position < q->position ? -1 : 1;
	return strcmp(p->name, q->name);
}

static int
activity_order(const void *a, const void *b)
{
	const struct activity *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

static int
exception_order(const void *a, const void *b)
{
	const struct act_exception *p = a, *q = b;

	if (p->activity_id != q->activity_id)
		return p->activity_id < q->activity_id ? -1 : 1;
	return strcmp(p->occ_date, q->occ_date);
}

/* The lists of q_links_ids (participants, area tags, exceptions), each
 * by activity and then in its own order: read_links, 0 or -1. */
struct links {
	struct act_part	*ps;
	struct act_area	*ts;
	struct act_exception *xs;
	size_t		 np, nt, nx;
};

static int
read_links(struct req *r, struct links *l)
{
	struct act_part	 p;
	struct act_area	 t;
	struct act_exception x;
	int64_t		 kind, key, act, n[4];
	char		*s[7];
	size_t		 capp = 0, capt = 0, capx = 0;
	int		 rc;

	memset(l, 0, sizeof(*l));
	while ((rc = db_fetch(&q_links_ids, LINK_TYPES, &kind, &key, &act,
	    &n[0], &n[1], &n[2], &n[3], &s[0], &s[1], &s[2], &s[3], &s[4],
	    &s[5], &s[6])) == 1) {
		switch (kind) {
		case 0:
			memset(&p, 0, sizeof(p));
			p.activity_id = act;
			p.user_id = n[0];
			p.collab_id = n[1];
			p.organizer = n[2] != 0;
			p.required = n[3] != 0;
			p.name = s[0];
			p.row_id = key;
			l->ps = arena_grow(r->a, l->ps, l->np, &capp, sizeof(p));
			l->ps[l->np++] = p;
			break;
		case 1:
			t.activity_id = act;
			t.area_id = n[0];
			t.name = s[0];		/* NOT NULL */
			t.position = key;
			l->ts = arena_grow(r->a, l->ts, l->nt, &capt, sizeof(t));
			l->ts[l->nt++] = t;
			break;
		default:
			memset(&x, 0, sizeof(x));
			x.id = key;
			x.activity_id = act;
			x.cancelled = n[0] != 0;
			x.sequence = n[1];
			x.name = s[0];
			x.occ_date = s[1];	/* NOT NULL */
			x.start_utc = s[2];
			x.end_utc = s[3];
			x.location = s[4];
			x.created_at = s[5];
			x.updated_at = s[6];
			if (tz_parse_date(x.occ_date, &x.day) != 0)
				x.day = -1;
			l->xs = arena_grow(r->a, l->xs, l->nx, &capx, sizeof(x));
			l->xs[l->nx++] = x;
			break;
		}
	}
	db_done(&q_links_ids);
	if (l->np > 1)
		qsort(l->ps, l->np, sizeof(*l->ps), part_order);
	if (l->nt > 1)
		qsort(l->ts, l->nt, sizeof(*l->ts), area_order);
	if (l->nx > 1)
		qsort(l->xs, l->nx, sizeof(*l->xs), exception_order);
	return rc < 0 ? -1 : 0;
}

/* The rows of an executed select (qa), with their participants, area
 * tags and exceptions attached: those of the whole event ev (three more
 * queries), or (ev 0) those of the rows' ids (one more). None when no
 * row came. */
static struct activity *
read_list(struct req *r, struct dbq *qa, int64_t ev, long *np)
{
	struct activity	*as;
	struct act_part	*ps;
	struct act_area	*ts;
	struct act_exception *xs;
	const char	*ids;
	size_t		 n, n2, n3, n4;
	int		 err;

	*np = -1;
	as = read_acts(r, qa, &n, &err);
	if (err)
		return NULL;
	if (n == 0) {
		*np = 0;
		return as;
	}
	/* By id, as the rest is attached (q_list_rg comes unordered). */
	if (qa == &q_list_rg)
		qsort(as, n, sizeof(*as), activity_order);
	if (ev != 0) {
		if (db_select(&q_parts, "i", ev) != 0)
			return NULL;
		ps = read_parts(r, &q_parts, &n2, &err);
		if (err || db_select(&q_areas, "i", ev) != 0)
			return NULL;
		ts = read_areas(r, &q_areas, &n3, &err);
		if (err || db_select(&q_excs, "i", ev) != 0)
			return NULL;
		xs = read_excs(r, &q_excs, &n4, &err);
	} else {
		struct links	 l;

		ids = ids_json(r, as, n);
		if (db_select(&q_links_ids, "sss", ids, ids, ids) != 0 ||
		    read_links(r, &l) != 0)
			return NULL;
		ps = l.ps, n2 = l.np;
		ts = l.ts, n3 = l.nt;
		xs = l.xs, n4 = l.nx;
	}
	if (err)
		return NULL;
	attach_all(as, n, ps, n2, ts, n3, xs, n4);
	*np = (long)n;
	return as;
}

struct activity *
activity_list(struct req *r, int64_t ev, long *np)
{
	*np = -1;
	if (db_select(&q_list, "i", ev) != 0)
		return NULL;
	return read_list(r, &q_list, ev, np);
}

/* Hours the SQL bounds of a range of days in a known zone keep beyond
 * its offset at noon: more than the largest daylight-saving shift. */
#define ZONE_MARGIN	(3 * 3600)

/* The UTC instant at which local day d begins, roughly: its offset taken
 * at noon, the caller's margin covering a shift in between. */
static int64_t
day_start_near(int64_t d, const char *zone)
{
	int64_t	 noon = d * 86400 + 43200, lsec;

	if (tz_utc_to_local(zone, noon, &lsec, NULL, 0) != TZ_OK)
		return d * 86400 - 86400;
	return d * 86400 - (lsec - noon);
}

/* The SQL bounds of a range of local days: in a known zone within a few
 * hours of its first and last day, in any zone (zone NULL) a day wider
 * on each side. The caller's expansion cuts exactly. */
void
activity_range(int64_t from, int64_t to, const char *zone,
    struct act_range *rg)
{
	time_t		 t;
	struct tm	 tm;
	int64_t		 lo = (from - 1) * 86400, hi = (to + 2) * 86400, d;

	if (zone != NULL) {
		lo = day_start_near(from, zone) - ZONE_MARGIN;
		hi = day_start_near(to + 1, zone) + ZONE_MARGIN;
	}
#define FMT(buf, secs, f) do {						\
	t = (time_t)(secs);						\
	gmtime_r(&t, &tm);						\
	strftime((buf), sizeof(buf), (f), &tm);				\
} while (0)
	FMT(rg->from_utc, lo, "%Y-%m-%d %H:%M:%S");
	FMT(rg->to_utc, hi, "%Y-%m-%d %H:%M:%S");
	FMT(rg->from_date, from * 86400, "%Y-%m-%d");
	FMT(rg->to_date, to * 86400, "%Y-%m-%d");
	/* A series' last start may be up to 31 days before the range and
	 * its occurrence still reach into it. */
	FMT(rg->until_from, (from - 32) * 86400, "%Y-%m-%d");
#undef FMT
	/* Weekly series start on these local weekdays to reach the range
	 * (bit 0 Monday, as rec_weekdays): its days and the one before. */
	rg->weekdays = 0x7f;
	if (to - from < 6) {
		rg->weekdays = 0;
		for (d = from - 1; d <= to; d++)
			rg->weekdays |= 1u << tz_weekday(d);
	}
}

struct activity *
activity_list_range(struct req *r, int64_t ev, const struct act_range *rg,
    long *np)
{
	*np = -1;
	if (db_select(&q_list_rg, RG_EVENT_T, RG_EVENT(ev, rg)) != 0)
		return NULL;
	return read_list(r, &q_list_rg, 0, np);
}

struct activity *
activity_list_personal(struct req *r, int64_t uid, const struct act_range *rg,
    long *np)
{
	*np = -1;
	if (db_select(&q_pers, "i" RANGE_T, uid, RG(rg)) != 0)
		return NULL;
	return read_list(r, &q_pers, 0, np);
}

struct activity *
activity_list_org(struct req *r, int64_t org_id, int64_t uid,
    const struct act_range *rg, long *np)
{
	*np = -1;
	if (db_select(&q_org, "ii" RANGE_T, org_id, uid, RG(rg)) != 0)
		return NULL;
	return read_list(r, &q_org, 0, np);
}

struct act_event *
activity_my_events(struct req *r, int64_t uid, size_t *np)
{
	struct act_event *es = NULL, e;
	size_t		 n = 0, cap = 0;
	int64_t		 arch, coll;
	int		 rc;

	*np = 0;
	if (db_select(&q_my_events, "i", uid) != 0)
		return NULL;
	while ((rc = db_fetch(&q_my_events, "issii", &e.id, &e.name,
	    &e.timezone, &arch, &coll)) == 1) {
		e.archived = arch != 0;
		e.collab_id = coll;
		es = arena_grow(r->a, es, n, &cap, sizeof(struct act_event));
		es[n++] = e;
	}
	db_done(&q_my_events);
	if (rc < 0) {
		*np = (size_t)-1;
		return NULL;
	}
	*np = n;
	return es;
}

int
activity_choices(struct req *r, int64_t ev, struct act_choices *ch)
{
	struct act_choice **lists[3] = { &ch->collabs, &ch->areas, &ch->users };
	size_t		*counts[3] = { &ch->ncollabs, &ch->nareas, &ch->nusers };
	size_t		 caps[3] = { 0, 0, 0 };
	struct act_choice c;
	int64_t		 kind, host, pos;
	int		 rc;

	memset(ch, 0, sizeof(*ch));
	if (db_select(&q_choices, "iii", ev, ev, ev) != 0)
		return -1;
	while ((rc = db_fetch(&q_choices, "iisiii", &kind, &c.id, &c.name,
	    &c.collab_id, &host, &pos)) == 1) {
		if (kind < 0 || kind > 2)
			continue;
		*lists[kind] = arena_grow(r->a, *lists[kind], *counts[kind],
		    &caps[kind], sizeof(c));
		(*lists[kind])[(*counts[kind])++] = c;
	}
	db_done(&q_choices);
	return rc < 0 ? -1 : 0;
}

static int
attach(struct req *r, int64_t ev, struct activity *a)
{
	struct act_part	 p;
	struct act_area	 t;
	size_t		 cap = 0, cap2 = 0;
	int		 rc;

	memset(&t, 0, sizeof(t));
	if (db_select(&q_parts_one, "ii", ev, a->id) != 0)
		return -1;
	while ((rc = fetch_part(&q_parts_one, &p)) == 1) {
		a->parts = arena_grow(r->a, a->parts, a->nparts,
		    &cap, sizeof(struct act_part));
		a->parts[a->nparts++] = p;
	}
	db_done(&q_parts_one);
	if (rc < 0 || db_select(&q_areas_one, "ii", ev, a->id) != 0)
		return -1;
	while ((rc = db_fetch(&q_areas_one, "iis", &t.activity_id,
	    &t.area_id, &t.name)) == 1) {
		a->areas = arena_grow(r->a, a->areas, a->nareas,
		    &cap2, sizeof(struct act_area));
		a->areas[a->nareas++] = t;
	}
	db_done(&q_areas_one);
	if (rc < 0 || db_select(&q_excs_one, "ii", ev, a->id) != 0)
		return -1;
	a->excs = read_excs(r, &q_excs_one, &a->nexcs, &rc);
	return rc ? -1 : 1;
}

static int
get_with(struct req *r, struct dbq *q, int64_t ev, int64_t id,
    struct activity *a)
{
	int	 rc;

	if (db_select(q, "ii", ev, id) != 0)
		return -1;
	rc = fetch_act(q, a);
	db_done(q);
	if (rc != 1)
		return rc;
	return attach(r, ev, a);
}

int
activity_get(struct req *r, int64_t ev, int64_t id, struct activity *a)
{
	return get_with(r, &q_get, ev, id, a);
}

int
activity_lock(struct req *r, int64_t ev, int64_t id, struct activity *a)
{
	return get_with(r, &q_lock, ev, id, a);
}

static int
put_links(int64_t id, int64_t ev, const struct activity_fields *f)
{
	size_t	 i;

	for (i = 0; i < f->nareas; i++)
		if (db_exec(&q_ins_area, "iii", id, ev, f->areas[i]) < 0)
			return -1;
	for (i = 0; i < f->nparts; i++) {
		const struct act_part *p = &f->parts[i];

		if (db_exec(&q_ins_part, "iiiisi", id, ev, p->user_id,
		    p->collab_id, p->organizer ? "organizer" : "attendee",
		    (int64_t)p->required) < 0)
			return -1;
	}
	return 0;
}

int64_t
activity_insert(struct req *r, int64_t ev, int64_t uid,
    const struct activity_fields *f)
{
	char	 uuid[37];
	int64_t	 id;

	(void)r;
	token_uuid(uuid);
	if (db_exec(&q_insert, "sisssissssissiisi", uuid, ev, f->kind,
	    f->name, f->description, (int64_t)f->all_day, f->start_utc,
	    f->end_utc, f->start_date, f->end_date, (int64_t)f->is_global,
	    f->location, f->rec_freq, f->rec_interval, f->rec_weekdays,
	    f->rec_until, uid) < 0)
		return -1;
	id = db_insert_id();
	if (put_links(id, ev, f) != 0 || activity_bump_revision(r, ev) != 0)
		return -1;
	return id;
}

int
activity_update(struct req *r, int64_t ev, int64_t id, int64_t version,
    const struct activity_fields *f)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_update, "sssissssissiisiii", f->kind, f->name,
	    f->description, (int64_t)f->all_day, f->start_utc, f->end_utc,
	    f->start_date, f->end_date, (int64_t)f->is_global, f->location,
	    f->rec_freq, f->rec_interval, f->rec_weekdays, f->rec_until, id,
	    ev, version);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if (db_exec(&q_del_parts, "ii", id, ev) < 0 ||
	    db_exec(&q_del_areas, "ii", id, ev) < 0 ||
	    put_links(id, ev, f) != 0 || activity_bump_revision(r, ev) != 0)
		return -1;
	return 1;
}

int
activity_set_cancelled(struct req *r, int64_t ev, int64_t id,
    int64_t version, int cancelled)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_cancel, "iiii", (int64_t)cancelled, id, ev, version);
	if (n > 0 && activity_bump_revision(r, ev) != 0)
		return -1;
	return n < 0 ? -1 : n > 0;
}

const struct act_exception *
activity_exception_on(const struct activity *a, int64_t day)
{
	size_t	 lo = 0, hi = a->nexcs;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (a->excs[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->nexcs && a->excs[lo].day == day ? &a->excs[lo] : NULL;
}

/* "2027-07-10T06:00:00Z" (read) and "2027-07-10 06:00:00" (written)
 * name the same instant; NULL and "" alike for texts. */
static int
same_time(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strncmp(a, b, 10) == 0 && strncmp(a + 11, b + 11, 8) == 0;
}

static int
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
activity_exception_set(struct req *r, int64_t ev, int64_t id,
    int64_t version, const char *occ_date, const struct act_exception *cur,
    const struct act_exc_fields *f)
{
	int64_t	 n, seq;

	(void)r;
	if ((n = db_exec(&q_exc_version, "iii", id, ev, version)) <= 0)
		return n < 0 ? -1 : 0;
	if (f == NULL)
		n = db_exec(&q_exc_delete, "iis", id, ev, occ_date);
	else if (cur == NULL)
		n = db_exec(&q_exc_insert, "sissssiii", occ_date,
		    (int64_t)f->cancelled, f->start_utc, f->end_utc, f->name,
		    f->location, r->user ? r->user->id : 0, id, ev);
	else {
		/* SEQUENCE rises with times, location or cancellation. */
		seq = cur->cancelled != f->cancelled ||
		    !same_time(cur->start_utc, f->start_utc) ||
		    !same_time(cur->end_utc, f->end_utc) ||
		    !same_text(cur->location, f->location);
		n = db_exec(&q_exc_update, "issssiiis", (int64_t)f->cancelled,
		    f->start_utc, f->end_utc, f->name, f->location, seq, id,
		    ev, occ_date);
	}
	if (n < 0 || activity_bump_revision(r, ev) != 0)
		return -1;
	return 1;
}

int64_t
activity_exceptions_drop(struct req *r, int64_t ev, int64_t id)
{
	(void)r;
	return db_exec(&q_exc_drop, "ii", id, ev);
}

int
activity_exceptions_touch(struct req *r, int64_t ev, int64_t id)
{
	(void)r;
	return db_exec(&q_exc_touch, "ii", id, ev) < 0 ? -1 : 0;
}

static int
name_of(struct dbq *q, int64_t ev, int64_t id, char **name)
{
	int	 rc;

	if (db_select(q, "ii", ev, id) != 0)
		return -1;
	rc = db_fetch(q, "s", name);
	db_done(q);
	return rc;
}

int
activity_user_on_event(struct req *r, int64_t ev, int64_t uid, char **name)
{
	(void)r;
	return name_of(&q_user_on, ev, uid, name);
}

int
activity_collab_of_event(struct req *r, int64_t ev, int64_t cid,
    char **name)
{
	(void)r;
	return name_of(&q_collab_of, ev, cid, name);
}

int
activity_area_of_event(struct req *r, int64_t ev, int64_t aid, char **name)
{
	(void)r;
	return name_of(&q_area_of, ev, aid, name);
}

int
activity_bump_revision(struct req *r, int64_t ev)
{
	(void)r;
	return db_exec(&q_bump, "i", ev) < 0 ? -1 : 0;
}

int
activity_revision(struct req *r, int64_t ev, int64_t *rev, char **changed)
{
	int	 rc;

	(void)r;
	*rev = 0;
	*changed = NULL;
	if (db_select(&q_revision, "i", ev) != 0)
		return -1;
	rc = db_fetch(&q_revision, "is", rev, changed);
	db_done(&q_revision);
	return rc < 0 ? -1 : 0;
}
