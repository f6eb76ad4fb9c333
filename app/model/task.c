/* task.c — task rows, their area tags, people and dependencies. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/token.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/task.h"
#include "render/vw.h"

/* Dates and times come as the client library writes them (YYYY-MM-DD,
 * HH:MM:SS); DATE_FORMAT only for the RFC 3339 stamps. */
#define TASK_COLS \
    "t.id, t.uuid, t.event_id, COALESCE(t.parent_id, 0), t.name," \
    " t.description, t.status_id, t.priority, COALESCE(t.phase_id, 0)," \
    " t.start_date, t.start_time, t.due_date, t.due_time, t.position," \
    " t.source, t.created_by," \
    " DATE_FORMAT(t.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(t.updated_at, '%Y-%m-%dT%H:%i:%sZ'), t.version"
#define TASK_TYPES "isiissisissssisissi"

static struct dbq q_list = DBQ(
    "SELECT " TASK_COLS " FROM tasks t WHERE t.event_id = ? ORDER BY t.id");
#define ORG_EVENTS(col) \
    " WHERE " col " IN (SELECT e.id FROM events e WHERE e.org_id = ?" \
    " AND e.status = 'active')"
#define MY_EVENTS(col) \
    " WHERE " col " IN (SELECT eu.event_id FROM event_users eu JOIN events e" \
    " ON e.id = eu.event_id WHERE eu.user_id = ? AND e.status = 'active')"
static struct dbq q_list_org = DBQ(
    "SELECT " TASK_COLS " FROM tasks t" ORG_EVENTS("t.event_id")
    " ORDER BY t.id");
static struct dbq q_list_mine = DBQ(
    "SELECT " TASK_COLS " FROM tasks t" MY_EVENTS("t.event_id")
    " ORDER BY t.id");
static struct dbq q_get = DBQ(
    "SELECT " TASK_COLS " FROM tasks t WHERE t.event_id = ? AND t.id = ?");
#define PEOPLE_SQL \
    "SELECT p.task_id, p.role + 0, COALESCE(p.user_id, 0)," \
    " COALESCE(p.collaborator_id, 0), COALESCE(u.name, c.name)" \
    " FROM task_people p LEFT JOIN users u ON u.id = p.user_id" \
    " LEFT JOIN collaborators c ON c.id = p.collaborator_id" \
    " WHERE p.event_id = ?"
static struct dbq q_people = DBQ(PEOPLE_SQL " ORDER BY p.task_id, p.id");
#define PEOPLE_ALL \
    "SELECT p.task_id, p.role + 0, COALESCE(p.user_id, 0)," \
    " COALESCE(p.collaborator_id, 0), COALESCE(u.name, c.name)" \
    " FROM task_people p LEFT JOIN users u ON u.id = p.user_id" \
    " LEFT JOIN collaborators c ON c.id = p.collaborator_id"
static struct dbq q_people_org = DBQ(PEOPLE_ALL ORG_EVENTS("p.event_id")
    " ORDER BY p.task_id, p.id");
static struct dbq q_people_mine = DBQ(PEOPLE_ALL MY_EVENTS("p.event_id")
    " ORDER BY p.task_id, p.id");
static struct dbq q_people_one = DBQ(PEOPLE_SQL
    " AND p.task_id = ? ORDER BY p.id");
#define AREAS_SQL \
    "SELECT t.task_id, t.area_id, a.name FROM task_areas t" \
    " JOIN areas a ON a.id = t.area_id WHERE t.event_id = ?"
static struct dbq q_areas = DBQ(AREAS_SQL
    " ORDER BY t.task_id, a.position, a.name");
#define AREAS_ALL \
    "SELECT t.task_id, t.area_id, a.name FROM task_areas t" \
    " JOIN areas a ON a.id = t.area_id"
static struct dbq q_areas_org = DBQ(AREAS_ALL ORG_EVENTS("t.event_id")
    " ORDER BY t.task_id, a.position, a.name");
static struct dbq q_areas_mine = DBQ(AREAS_ALL MY_EVENTS("t.event_id")
    " ORDER BY t.task_id, a.position, a.name");
static struct dbq q_areas_one = DBQ(AREAS_SQL
    " AND t.task_id = ? ORDER BY a.position, a.name");
static struct dbq q_deps = DBQ(
    "SELECT task_id, depends_on_id FROM task_deps WHERE event_id = ?"
    " ORDER BY task_id, depends_on_id");
static struct dbq q_deps_org = DBQ(
    "SELECT task_id, depends_on_id FROM task_deps" ORG_EVENTS("event_id")
    " ORDER BY task_id, depends_on_id");
static struct dbq q_deps_mine = DBQ(
    "SELECT task_id, depends_on_id FROM task_deps" MY_EVENTS("event_id")
    " ORDER BY task_id, depends_on_id");
static struct dbq q_deps_one = DBQ(
    "SELECT task_id, depends_on_id FROM task_deps WHERE event_id = ?"
    " AND task_id = ? ORDER BY depends_on_id");
/* org_id: the event's (the roll-up's index spans an organization). */
static struct dbq q_insert = DBQ(
    "INSERT INTO tasks (uuid, event_id, org_id, parent_id, name,"
    " description, status_id, priority, phase_id, start_date, start_time,"
    " due_date, due_time, position, created_by, created_at, updated_at)"
    " SELECT ?, ?, (SELECT e.org_id FROM events e WHERE e.id = ?),"
    " NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?,"
    " COALESCE(MAX(position) + 1, 0), ?, UTC_TIMESTAMP(3),"
    " UTC_TIMESTAMP(3) FROM tasks WHERE event_id = ?"
    " AND parent_id <=> NULLIF(?, 0)");
static struct dbq q_update = DBQ(
    "UPDATE tasks SET parent_id = NULLIF(?, 0), name = ?, description = ?,"
    " status_id = ?, priority = ?, phase_id = NULLIF(?, 0),"
    " start_date = ?, start_time = ?, due_date = ?, due_time = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_status = DBQ(
    "UPDATE tasks SET status_id = ?, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE id = ? AND event_id = ?"
    " AND (? = 0 OR version = ?)");
static struct dbq q_del_people = DBQ(
    "DELETE FROM task_people WHERE task_id = ? AND event_id = ?");
static struct dbq q_del_areas = DBQ(
    "DELETE FROM task_areas WHERE task_id = ? AND event_id = ?");
static struct dbq q_del_deps = DBQ(
    "DELETE FROM task_deps WHERE task_id = ? AND event_id = ?");
static struct dbq q_ins_person = DBQ(
    "INSERT INTO task_people (task_id, event_id, role, user_id,"
    " collaborator_id) VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0))");
static struct dbq q_has_person = DBQ(
    "SELECT COUNT(*) FROM task_people WHERE task_id = ? AND event_id = ?"
    " AND role = ? AND user_id <=> NULLIF(?, 0)"
    " AND collaborator_id <=> NULLIF(?, 0)");
static struct dbq q_ins_area = DBQ(
    "INSERT INTO task_areas (task_id, event_id, area_id) VALUES (?, ?, ?)");
static struct dbq q_ins_dep = DBQ(
    "INSERT INTO task_deps (task_id, event_id, depends_on_id)"
    " VALUES (?, ?, ?)");
static struct dbq q_delete = DBQ(
    "DELETE FROM tasks WHERE id = ? AND event_id = ?");

/* Roll-up pages. One JSON parameter carries the events with the actor's
 * sight and local clock ($.ev), the collaborators whose assignments show
 * a task to the actor ($.cc: those scoped to give view, and their own
 * where the assignee rule holds) and the areas scoped to give view
 * ($.va). The events become a derived table: GROUP BY (e is unique
 * anyway) has it materialised once with a key on e, where a merged
 * table function would be read through a join buffer and lose the index
 * order. */
#define RU_EVENTS \
    "(SELECT * FROM JSON_TABLE(?, '$.ev[*]' COLUMNS (" \
    " e BIGINT UNSIGNED PATH '$.e', a TINYINT PATH '$.a'," \
    " u TINYINT PATH '$.u', c BIGINT UNSIGNED PATH '$.c'," \
    " d DATE PATH '$.d', n TIME PATH '$.n')) j GROUP BY j.e) ev"
#define RU_IDS(path) \
    "(SELECT i FROM JSON_TABLE(?, '" path "' COLUMNS" \
    " (i BIGINT UNSIGNED PATH '$')) x)"
/* The tasks the actor sees in events not seen whole (task_visible in
 * SQL, found from the people side): the ones they review, or are
 * assigned to where the assignee rule holds; those assigned to a
 * collaborator of $.cc; those tagged with an area of $.va. ($.cc and
 * $.va name only collaborators and areas of such events.) Parameters:
 * JSON, user, JSON, JSON. */
#define RU_SEEN \
    "SELECT p.task_id FROM task_people p JOIN JSON_TABLE(?, '$.ev[*]'" \
    "  COLUMNS (e BIGINT UNSIGNED PATH '$.e', a TINYINT PATH '$.a'," \
    "  u TINYINT PATH '$.u')) w ON w.e = p.event_id" \
    "  WHERE p.user_id = ? AND w.a = 0" \
    "  AND (p.role = 'reviewer' OR w.u = 1)" \
    " UNION SELECT p.task_id FROM task_people p WHERE p.role = 'assignee'" \
    "  AND p.collaborator_id IN " RU_IDS("$.cc[*]") \
    " UNION SELECT a.task_id FROM task_areas a WHERE a.area_id IN " \
    RU_IDS("$.va[*]")
/* The filters. State bits follow ENUM order (1-based), as enum
 * task_state does. A due range is stated as due_null = 0 and a due_date
 * range, so that it becomes a range of the index instead of a filter on
 * every row. */
#define RU_FILTERS_BASE \
    " AND ((? >> (s.state - 1)) & 1) = 1" \
    " AND COALESCE(FIND_IN_SET(t.status_id, ?), 1) > 0" \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM task_people f" \
    "  WHERE f.task_id = t.id AND f.role = 'assignee'" \
    "  AND (f.user_id = ? OR f.collaborator_id = ?)))" \
    " AND t.due_null IN (0, ?) AND (? = 1 OR t.due_date BETWEEN ? AND ?)"
/* Overdue by the event's clock (ev). */
#define RU_FILTERS RU_FILTERS_BASE \
    " AND (? = 0 OR (((? >> (s.state - 1)) & 1) = 0" \
    "  AND (t.due_date < ev.d OR (t.due_date = ev.d" \
    "  AND CAST(t.due_time_key AS TIME) < ev.n))))"
#define RU_ORDER \
    " ORDER BY t.due_null, t.due_date, t.due_time_key, t.event_id," \
    " t.position, t.id LIMIT ? OFFSET ?"
/* A walk's page and its count in one statement: rows of kind 0 are the
 * page's ids in roll-up order (UNION ALL streams its parts in turn), the
 * row of kind 1 the number of tasks selected, counted up to a limit in
 * whatever order the index gives (unsigned like the ids: a signed count
 * would make the column a decimal). Counted in the server: a thousand
 * ids read out only to be counted were a fifth of a roll-up's time. */
#define RU_PAGE_COUNT(from, where) \
    "(SELECT STRAIGHT_JOIN 0, t.id" from where RU_ORDER ")" \
    " UNION ALL (SELECT 1, CAST(COUNT(*) AS UNSIGNED) FROM" \
    " (SELECT STRAIGHT_JOIN 1" from where " LIMIT ?) c)"
/* Events seen whole hold most of the organization: its index in roll-up
 * order, read until the page is full (no sort); elsewhere the tasks
 * seen (materialised once) let a row through. */
#define RU_WALK_FROM \
    " FROM tasks t FORCE INDEX (tasks_rollup)" \
    " JOIN " RU_EVENTS " ON ev.e = t.event_id" \
    " JOIN task_statuses s ON s.id = t.status_id"
#define RU_WALK_WHERE \
    " WHERE t.org_id = ?" RU_FILTERS \
    " AND (ev.a = 1 OR t.id IN (SELECT v.task_id FROM (" RU_SEEN ") v))"
/* Every active event of the organization in the roll-up and seen whole,
 * and no overdue filter (the one that needs each event's clock): the
 * index walked with nothing per event to match, the events' table
 * saying which are active. The common case of an Org Pro holder, for
 * a third of the statement's time. */
#define RU_WHOLE_FROM \
    " FROM tasks t FORCE INDEX (tasks_rollup)" \
    " JOIN events e ON e.id = t.event_id" \
    " JOIN task_statuses s ON s.id = t.status_id"
#define RU_WHOLE_WHERE \
    " WHERE t.org_id = ? AND e.status = 'active'" RU_FILTERS_BASE
/* Otherwise (a few events, sight over parts of events, My work across
 * organizations): every task of the events seen whole and the tasks
 * seen in the others (two disjoint sets), then filtered and sorted. The
 * organization: any when 0. */
#define RU_FOUND_FROM \
    " FROM (SELECT t.id FROM JSON_TABLE(?, '$.ev[*]' COLUMNS (" \
    "  e BIGINT UNSIGNED PATH '$.e', a TINYINT PATH '$.a')) w" \
    "  JOIN tasks t ON t.event_id = w.e WHERE w.a = 1" \
    " UNION ALL SELECT v.task_id FROM (" RU_SEEN ") v) c" \
    " JOIN tasks t ON t.id = c.id" \
    " JOIN " RU_EVENTS " ON ev.e = t.event_id" \
    " JOIN task_statuses s ON s.id = t.status_id"
#define RU_FOUND_WHERE \
    " WHERE ? IN (0, t.org_id)" RU_FILTERS
/* The page and its count: each walk in one statement (RU_PAGE_COUNT);
 * the found set, sorted whole anyway, as its ids in roll-up order up to
 * the count's limit, the page's kept as they are read. */
static struct dbq q_ids_walk = DBQ(
    RU_PAGE_COUNT(RU_WALK_FROM, RU_WALK_WHERE));
static struct dbq q_ids_whole = DBQ(
    RU_PAGE_COUNT(RU_WHOLE_FROM, RU_WHOLE_WHERE));
static struct dbq q_ids_found = DBQ(
    "SELECT STRAIGHT_JOIN t.id" RU_FOUND_FROM RU_FOUND_WHERE RU_ORDER);
/* The page's rows by id: the task, its status and its phase's name (the
 * page names them without reading every status and phase of every
 * event), and the id's place in the list. Unordered: each row is put in
 * its place here, as ORDER BY sorted the whole wide rows, a third of the
 * statement's time. */
#define PAGE_COLS TASK_COLS ", s.name, s.colour, s.state + 0, ph.name, x.n"
#define PAGE_TYPES TASK_TYPES "ssisi"
static struct dbq q_page_rows = DBQ(
    "SELECT STRAIGHT_JOIN " PAGE_COLS
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY,"
    "  i BIGINT UNSIGNED PATH '$')) x"
    " JOIN tasks t ON t.id = x.i"
    " JOIN task_statuses s ON s.id = t.status_id"
    " LEFT JOIN task_phases ph ON ph.id = t.phase_id");
/* The page's people and area tags by its task ids (one bound JSON
 * array), each id looked up through its index: the ids' table first, as
 * the optimizer would otherwise read every row and probe the list. */
#define PAGE_IDS \
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (i BIGINT UNSIGNED PATH '$')) x"
/* The page's people (kind 0: role, user, collaborator, name, ordered by
 * row id) and area tags (kind 1: the area in the fifth column, name,
 * ordered by the area's position and name) in one statement. Unordered:
 * sorted here, as sorting in SQL after the ids' table goes through a
 * temporary table, and names up to 800 characters make it an on-disk
 * one. */
static struct dbq q_page_links = DBQ(
    "SELECT STRAIGHT_JOIN 0, p.task_id, p.role + 0, COALESCE(p.user_id, 0),"
    " COALESCE(p.collaborator_id, 0), COALESCE(u.name, c.name), p.id"
    PAGE_IDS
    " JOIN task_people p ON p.task_id = x.i"
    " LEFT JOIN users u ON u.id = p.user_id"
    " LEFT JOIN collaborators c ON c.id = p.collaborator_id"
    " UNION ALL SELECT STRAIGHT_JOIN 1, t.task_id, 0, 0, t.area_id, a.name,"
    " a.position" PAGE_IDS
    " JOIN task_areas t ON t.task_id = x.i JOIN areas a ON a.id = t.area_id");

static const char *const role_names[] = { "assignee", "reviewer" };

static int
fetch_task(struct dbq *q, struct task *t)
{
	memset(t, 0, sizeof(*t));
	return db_fetch(q, TASK_TYPES, &t->id, &t->uuid, &t->event_id,
	    &t->parent_id, &t->name, &t->description, &t->status_id,
	    &t->priority, &t->phase_id, &t->start_date, &t->start_time,
	    &t->due_date, &t->due_time, &t->position, &t->source,
	    &t->created_by, &t->created_at, &t->updated_at, &t->version);
}

/* A row of a roll-up page statement (PAGE_COLS), and its place in the
 * ids' list (from 1). */
static int
fetch_page_task(struct dbq *q, struct task *t, int64_t *place)
{
	int64_t	 state = 1;
	int	 rc;

	memset(t, 0, sizeof(*t));
	rc = db_fetch(q, PAGE_TYPES, &t->id, &t->uuid, &t->event_id,
	    &t->parent_id, &t->name, &t->description, &t->status_id,
	    &t->priority, &t->phase_id, &t->start_date, &t->start_time,
	    &t->due_date, &t->due_time, &t->position, &t->source,
	    &t->created_by, &t->created_at, &t->updated_at, &t->version,
	    &t->status.name, &t->status.colour, &state, &t->phase_name,
	    place);
	/* ENUM + 0 is 1-based. */
	t->status.id = t->status_id;
	t->status.event_id = t->event_id;
	t->status.state = state >= 1 && state <= TS__MAX ?
	    (enum task_state)(state - 1) : TS_TO_DO;
	return rc;
}

static int
fetch_person(struct dbq *q, struct task_person *p)
{
	int64_t	 role = 1;
	int	 rc;

	memset(p, 0, sizeof(*p));
	rc = db_fetch(q, "iiiis", &p->task_id, &role, &p->user_id,
	    &p->collab_id, &p->name);
	/* ENUM + 0 is 1-based. */
	p->role = role == 2 ? TR_REVIEWER : TR_ASSIGNEE;
	return rc;
}

/* The rows of a people statement already run (PEOPLE_SQL, PEOPLE_ALL). */
static int
read_people(struct req *r, struct dbq *q, struct task_person **out,
    size_t *np)
{
	struct task_person p, *ps = NULL;
	size_t		 cap = 0;
	int		 rc;

	*np = 0;
	while ((rc = fetch_person(q, &p)) == 1) {
		ps = arena_grow(r->a, ps, *np, &cap, sizeof(*ps));
		ps[(*np)++] = p;
	}
	db_done(q);
	*out = ps;
	return rc < 0 ? -1 : 0;
}

/* The rows of an area tag statement already run (AREAS_SQL, AREAS_ALL). */
static int
read_areas(struct req *r, struct dbq *q, struct task_area **out, size_t *np)
{
	struct task_area a, *as = NULL;
	size_t		 cap = 0;
	int		 rc;

	*np = 0;
	memset(&a, 0, sizeof(a));
	while ((rc = db_fetch(q, "iis", &a.task_id, &a.area_id,
	    &a.name)) == 1) {
		as = arena_grow(r->a, as, *np, &cap, sizeof(*as));
		as[(*np)++] = a;
	}
	db_done(q);
	*out = as;
	return rc < 0 ? -1 : 0;
}

/* Read tasks, people, areas and dependencies (four queries, each bound
 * to the one id) and attach them. */
static struct task *
read_list(struct req *r, struct dbq *ql, struct dbq *qp, struct dbq *qa,
    struct dbq *qd, int64_t id, long *np)
{
	struct task	*ts = NULL, t;
	struct task_person *ps = NULL;
	struct task_area *as = NULL;
	struct task_dep	*ds = NULL, d;
	size_t		 n = 0, cap = 0, npp = 0, na = 0;
	size_t		 nd = 0, capd = 0, i, j, k, l;
	int		 rc;

	*np = -1;
	if (db_select(ql, "i", id) != 0)
		return NULL;
	while ((rc = fetch_task(ql, &t)) == 1) {
		ts = arena_grow(r->a, ts, n, &cap, sizeof(*ts));
		ts[n++] = t;
	}
	db_done(ql);
	if (rc < 0 || db_select(qp, "i", id) != 0 ||
	    read_people(r, qp, &ps, &npp) != 0 ||
	    db_select(qa, "i", id) != 0 || read_areas(r, qa, &as, &na) != 0 ||
	    db_select(qd, "i", id) != 0)
		return NULL;
	while ((rc = db_fetch(qd, "ii", &d.task_id, &d.on_id)) == 1) {
		ds = arena_grow(r->a, ds, nd, &capd, sizeof(*ds));
		ds[nd++] = d;
	}
	db_done(qd);
	if (rc < 0)
		return NULL;
	/* All four are ordered by task id: attach in one pass. */
	for (i = j = k = l = 0; i < n; i++) {
		while (j < npp && ps[j].task_id < ts[i].id)
			j++;
		ts[i].people = ps + j;
		for (; j < npp && ps[j].task_id == ts[i].id; j++)
			ts[i].npeople++;
		while (k < na && as[k].task_id < ts[i].id)
			k++;
		ts[i].areas = as + k;
		for (; k < na && as[k].task_id == ts[i].id; k++)
			ts[i].nareas++;
		while (l < nd && ds[l].task_id < ts[i].id)
			l++;
		ts[i].deps = ds + l;
		for (; l < nd && ds[l].task_id == ts[i].id; l++)
			ts[i].ndeps++;
	}
	*np = (long)n;
	return ts;
}

struct task *
task_list(struct req *r, int64_t ev, long *np)
{
	return read_list(r, &q_list, &q_people, &q_areas, &q_deps, ev, np);
}

struct task *
task_list_scope(struct req *r, int64_t org_id, int64_t uid, long *np)
{
	if (org_id)
		return read_list(r, &q_list_org, &q_people_org, &q_areas_org,
		    &q_deps_org, org_id, np);
	return read_list(r, &q_list_mine, &q_people_mine, &q_areas_mine,
	    &q_deps_mine, uid, np);
}

/* --- roll-up pages ---------------------------------------------------------- */

/* The query's JSON parameter (see RU_EVENTS), written as text. */
static const char *
page_json(struct req *r, const struct task_page_query *pq)
{
	json_object	*o;
	const char	*s;
	struct vw	 w;
	size_t		 i;

	vw_text(&w);
	vw_obj(&w, NULL);
	vw_arr(&w, "ev");
	for (i = 0; i < pq->nevents; i++) {
		const struct task_page_event *e = &pq->events[i];

		vw_obj(&w, NULL);
		vw_int(&w, "e", e->event_id);
		vw_int(&w, "a", e->all);
		vw_int(&w, "u", e->assignee_rule);
		vw_int(&w, "c", e->collab_id);
		vw_str(&w, "d", e->today);
		vw_str(&w, "n", e->now);
		vw_end(&w);
	}
	vw_end(&w);
	vw_arr(&w, "cc");
	for (i = 0; i < pq->nview_collabs; i++)
		vw_int(&w, NULL, pq->view_collabs[i]);
	for (i = 0; i < pq->nevents; i++)
		if (!pq->events[i].all && pq->events[i].assignee_rule &&
		    pq->events[i].collab_id)
			vw_int(&w, NULL, pq->events[i].collab_id);
	vw_end(&w);
	vw_arr(&w, "va");
	for (i = 0; i < pq->nview_areas; i++)
		vw_int(&w, NULL, pq->view_areas[i]);
	vw_end(&w);
	vw_end(&w);
	o = vw_take(&w);
	s = arena_strdup(r->a, json_object_to_json_string(o));
	json_object_put(o);
	return s;
}

/* The due range the query implies: the filter's, and for overdue no
 * later than the latest of the events' today. 1 when it has one. */
static int
due_range(const struct task_page_query *pq, const char **from,
    const char **to)
{
	size_t	 i;

	*from = pq->due_from ? pq->due_from : "0001-01-01";
	*to = pq->due_to ? pq->due_to : "9999-12-31";
	if (pq->overdue) {
		const char	*latest = "0001-01-01";

		for (i = 0; i < pq->nevents; i++)
			if (strcmp(pq->events[i].today, latest) > 0)
				latest = pq->events[i].today;
		if (strcmp(latest, *to) < 0)
			*to = latest;
	}
	return pq->due_from != NULL || pq->due_to != NULL || pq->overdue;
}

/* Run a roll-up statement: the events (JSON), the filters and the tasks
 * seen (RU_SEEN) in the order the statement has them; q_ids_whole has
 * only the organization and the filters but overdue. The walks take
 * them twice, for the page (limit, offset) and for the count (count_to);
 * the found set once, read to limit. */
static int
page_select(struct dbq *q, const char *json,
    const struct task_page_query *pq, int64_t limit, int64_t offset,
    int64_t count_to)
{
	int64_t		 by_assignee = pq->assignee_user || pq->assignee_collab;
	int64_t		 any_due;
	const char	*from, *to;

	any_due = !due_range(pq, &from, &to);
#define BASE_TYPES "iisiiiiiss"
#define BASE_ARGS pq->org_id, (int64_t)pq->states, pq->status_ids, \
	    by_assignee, pq->assignee_user, pq->assignee_collab, any_due, \
	    any_due, from, to
#define FILTER_TYPES BASE_TYPES "ii"
#define FILTER_ARGS BASE_ARGS, (int64_t)pq->overdue, (int64_t)pq->closed
#define SEEN_TYPES "siss"
#define SEEN_ARGS json, pq->user_id, json, json
	if (q == &q_ids_whole)
		return db_select(q, BASE_TYPES "ii" BASE_TYPES "i", BASE_ARGS,
		    limit, offset, BASE_ARGS, count_to);
	if (q == &q_ids_found)
		return db_select(q, "s" SEEN_TYPES "s" FILTER_TYPES "ii", json,
		    SEEN_ARGS, json, FILTER_ARGS, limit, offset);
	return db_select(q, "s" FILTER_TYPES SEEN_TYPES "ii"
	    "s" FILTER_TYPES SEEN_TYPES "i", json, FILTER_ARGS, SEEN_ARGS,
	    limit, offset, json, FILTER_ARGS, SEEN_ARGS, count_to);
#undef BASE_TYPES
#undef BASE_ARGS
#undef FILTER_TYPES
#undef FILTER_ARGS
#undef SEEN_TYPES
#undef SEEN_ARGS
}

/* The first of n rows ordered by task id whose task id is at least id;
 * the rows are structs of the given size that start with their task id. */
static size_t
first_row(const void *rows, size_t n, size_t size, int64_t id)
{
	size_t	 lo = 0, hi = n, mid;
	int64_t	 tid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		memcpy(&tid, (const char *)rows + mid * size, sizeof(tid));
		if (tid < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

_Static_assert(offsetof(struct task_person, task_id) == 0 &&
    offsetof(struct task_area, task_id) == 0, "rows start with task_id");

static int
person_order(const void *a, const void *b)
{
	const struct task_person *p = a, *q = b;

	if (p->task_id != q->task_id)
		return p->task_id < q->task_id ? -1 : 1;
	return (p->row_id > q->row_id) - (p->row_id < q->row_id);
}

/* As the areas' names compare in SQL (utf8mb4_bin: by code point, which
 * is byte order in UTF-8). */
static int
area_order(const void *a, const void *b)
{
	const struct task_area *p = a, *q = b;

	if (p->task_id != q->task_id)
		return p->task_id < q->task_id ? -1 : 1;
	if (p->position != q->position)
		return p->position < q->position ? -1 : 1;
	return strcmp(p->name, q->name);
}

/* The rows of q_page_links run on the page's ids: people and area tags,
 * each in task order and then their own. */
static int
read_page_links(struct req *r, struct task_person **pout, size_t *np,
    struct task_area **aout, size_t *na)
{
	struct task_person p, *ps = NULL;
	struct task_area a, *as = NULL;
	size_t		 pcap = 0, acap = 0;
	int64_t		 kind, role, user, id, order;
	char		*name;
	int		 rc;

	*np = *na = 0;
	while ((rc = db_fetch(&q_page_links, "iiiiisi", &kind, &p.task_id,
	    &role, &user, &id, &name, &order)) == 1) {
		if (kind == 0) {
			/* ENUM + 0 is 1-based. */
			p.role = role == 2 ? TR_REVIEWER : TR_ASSIGNEE;
			p.user_id = user;
			p.collab_id = id;
			p.name = name;
			p.row_id = order;
			ps = arena_grow(r->a, ps, *np, &pcap, sizeof(*ps));
			ps[(*np)++] = p;
		} else {
			a.task_id = p.task_id;
			a.area_id = id;
			a.name = name;	/* NOT NULL */
			a.position = order;
			as = arena_grow(r->a, as, *na, &acap, sizeof(*as));
			as[(*na)++] = a;
		}
	}
	db_done(&q_page_links);
	if (*np > 1)
		qsort(ps, *np, sizeof(*ps), person_order);
	if (*na > 1)
		qsort(as, *na, sizeof(*as), area_order);
	*pout = ps;
	*aout = as;
	return rc < 0 ? -1 : 0;
}

/* People and area tags of the page's tasks (one statement, whatever the
 * page), attached to tasks in any order; json holds their ids. */
static int
attach_page(struct req *r, struct task *ts, size_t n, const char *json)
{
	struct task_person *ps;
	struct task_area *as;
	size_t		 np, na, i, j;

	if (db_select(&q_page_links, "ss", json, json) != 0 ||
	    read_page_links(r, &ps, &np, &as, &na) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		j = first_row(ps, np, sizeof(*ps), ts[i].id);
		ts[i].people = ps + j;
		for (; j < np && ps[j].task_id == ts[i].id; j++)
			ts[i].npeople++;
		j = first_row(as, na, sizeof(*as), ts[i].id);
		ts[i].areas = as + j;
		for (; j < na && as[j].task_id == ts[i].id; j++)
			ts[i].nareas++;
	}
	return 0;
}

struct task *
task_page(struct req *r, const struct task_page_query *pq, int64_t offset,
    int64_t limit, int64_t cap, int64_t *total, long *np)
{
	int		 found = !(pq->org_walk && pq->org_id != 0);
	struct dbq	*qi = found ? &q_ids_found : pq->org_whole &&
			    !pq->overdue ? &q_ids_whole : &q_ids_walk;
	const char	*json = qi == &q_ids_whole ? "" : page_json(r, pq),
			*ids_json;
	struct task	*ts = NULL, t;
	int64_t		*ids = NULL, id, kind = 0, seen = 0, place;
	size_t		 n = 0, icap = 0, i, k;
	int		 rc;

	*np = -1;
	if (cap < offset + limit - 1)
		cap = offset + limit - 1;
	if (found) {
		/* The ids up to the count's end; the page's kept. */
		if (page_select(qi, json, pq, cap + 1, 0, 0) != 0)
			return NULL;
		while ((rc = db_fetch(qi, "i", &id)) == 1) {
			if (seen >= offset && seen < offset + limit) {
				ids = arena_grow(r->a, ids, n, &icap,
				    sizeof(*ids));
				ids[n++] = id;
			}
			seen++;
		}
	} else {
		if (page_select(qi, json, pq, limit, offset, cap + 1) != 0)
			return NULL;
		while ((rc = db_fetch(qi, "ii", &kind, &id)) == 1) {
			if (kind == 1)
				seen = id;
			else {
				ids = arena_grow(r->a, ids, n, &icap,
				    sizeof(*ids));
				ids[n++] = id;
			}
		}
	}
	db_done(qi);
	if (rc < 0)
		return NULL;
	*total = seen;
	/* Past the end too: the same statements for every page. */
	ids_json = db_ids_json(r->a, ids, n);
	if (db_select(&q_page_rows, "s", ids_json) != 0)
		return NULL;
	ts = arena_calloc(r->a, n + 1, sizeof(*ts));
	while ((rc = fetch_page_task(&q_page_rows, &t, &place)) == 1)
		if (place >= 1 && (size_t)place <= n)
			ts[place - 1] = t;
	db_done(&q_page_rows);
	/* A task deleted since its id was read has no row: closed up. */
	for (i = k = 0; i < n; i++)
		if (ts[i].id != 0)
			ts[k++] = ts[i];
	if (rc < 0 || attach_page(r, ts, k, ids_json) != 0)
		return NULL;
	*np = (long)k;
	return ts;
}

struct task *
task_find(struct task *ts, long n, int64_t id)
{
	long	 lo = 0, hi = n - 1, mid;

	/* task_list orders by id. */
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (ts[mid].id == id)
			return &ts[mid];
		if (ts[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int
task_get(struct req *r, int64_t ev, int64_t id, struct task *t)
{
	struct task_person p;
	struct task_area a;
	struct task_dep	 d;
	size_t		 cap = 0;
	int		 rc;

	memset(&a, 0, sizeof(a));
	if (db_select(&q_get, "ii", ev, id) != 0)
		return -1;
	rc = fetch_task(&q_get, t);
	db_done(&q_get);
	if (rc != 1)
		return rc;
	if (db_select(&q_people_one, "ii", ev, id) != 0)
		return -1;
	while ((rc = fetch_person(&q_people_one, &p)) == 1) {
		t->people = arena_grow(r->a, t->people, t->npeople, &cap,
		    sizeof(p));
		t->people[t->npeople++] = p;
	}
	db_done(&q_people_one);
	if (rc < 0 || db_select(&q_areas_one, "ii", ev, id) != 0)
		return -1;
	cap = 0;
	while ((rc = db_fetch(&q_areas_one, "iis", &a.task_id, &a.area_id,
	    &a.name)) == 1) {
		t->areas = arena_grow(r->a, t->areas, t->nareas, &cap,
		    sizeof(a));
		t->areas[t->nareas++] = a;
	}
	db_done(&q_areas_one);
	if (rc < 0 || db_select(&q_deps_one, "ii", ev, id) != 0)
		return -1;
	cap = 0;
	while ((rc = db_fetch(&q_deps_one, "ii", &d.task_id, &d.on_id)) == 1) {
		t->deps = arena_grow(r->a, t->deps, t->ndeps, &cap, sizeof(d));
		t->deps[t->ndeps++] = d;
	}
	db_done(&q_deps_one);
	return rc < 0 ? -1 : 1;
}

static int
put_links(int64_t id, int64_t ev, const struct task_fields *f)
{
	size_t	 i;

	for (i = 0; i < f->npeople; i++)
		if (db_exec(&q_ins_person, "iisii", id, ev,
		    role_names[f->people[i].role], f->people[i].user_id,
		    f->people[i].collab_id) < 0)
			return -1;
	for (i = 0; i < f->nareas; i++)
		if (db_exec(&q_ins_area, "iii", id, ev, f->areas[i]) < 0)
			return -1;
	for (i = 0; i < f->ndeps; i++)
		if (db_exec(&q_ins_dep, "iii", id, ev, f->deps[i]) < 0)
			return -1;
	return 0;
}

int64_t
task_insert(struct req *r, int64_t ev, int64_t uid,
    const struct task_fields *f)
{
	char	 uuid[37];
	int64_t	 id;

	(void)r;
	token_uuid(uuid);
	if (db_exec(&q_insert, "siiissisissssiii", uuid, ev, ev, f->parent_id,
	    f->name, f->description, f->status_id, f->priority, f->phase_id,
	    f->start_date, f->start_time, f->due_date, f->due_time, uid, ev,
	    f->parent_id) < 0)
		return -1;
	id = db_insert_id();
	if (put_links(id, ev, f) != 0)
		return -1;
	return id;
}

int
task_update(struct req *r, int64_t ev, int64_t id, int64_t version,
    const struct task_fields *f)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_update, "issisissssiii", f->parent_id, f->name,
	    f->description, f->status_id, f->priority, f->phase_id,
	    f->start_date, f->start_time, f->due_date, f->due_time, id, ev,
	    version);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if (db_exec(&q_del_people, "ii", id, ev) < 0 ||
	    db_exec(&q_del_areas, "ii", id, ev) < 0 ||
	    db_exec(&q_del_deps, "ii", id, ev) < 0 ||
	    put_links(id, ev, f) != 0)
		return -1;
	return 1;
}

int
task_set_status(struct req *r, int64_t ev, int64_t id, int64_t version,
    int64_t status_id)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_status, "iiiii", status_id, id, ev, version, version);
	return n < 0 ? -1 : n > 0;
}

int
task_add_person(struct req *r, int64_t ev, int64_t id,
    const struct task_person *p)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_has_person, "iisii", id, ev, role_names[p->role],
	    p->user_id, p->collab_id) != 0)
		return -1;
	rc = db_fetch(&q_has_person, "i", &n);
	db_done(&q_has_person);
	if (rc < 0)
		return -1;
	if (n > 0)
		return 0;
	return db_exec(&q_ins_person, "iisii", id, ev, role_names[p->role],
	    p->user_id, p->collab_id) < 0 ? -1 : 0;
}

int
task_delete(struct req *r, int64_t ev, const int64_t *ids, size_t n)
{
	size_t	 i;

	(void)r;
	for (i = 0; i < n; i++)
		if (db_exec(&q_delete, "ii", ids[i], ev) < 0)
			return -1;
	return 0;
}
