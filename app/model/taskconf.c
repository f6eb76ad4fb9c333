/* taskconf.c — task statuses and phases of an event. */
#include <string.h>

#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/taskconf.h"

static const char *const state_names[TS__MAX] = { "todo", "active",
    "review", "done", "archived" };
static const char *const state_labels[TS__MAX] = { "To Do", "Active",
    "In Review", "Done", "Archived" };

/* The defaults of PRODUCT §9; sql/0005_tasks.sql gave existing events the
 * same. */
static const struct {
	const char	*name, *colour;
	enum task_state	 state;
} default_statuses[] = {
	{ "To Do", "slate", TS_TO_DO },
	{ "In Progress", "blue", TS_ACTIVE },
	{ "In Review", "amber", TS_REVIEW },
	{ "Done", "green", TS_DONE },
	{ "Archived", "slate", TS_ARCHIVED },
};
static const char *const default_phases[] = { "Pre-event", "Load-in",
    "Show", "Load-out", "Post-event" };

static struct dbq q_has_statuses = DBQ(
    "SELECT COUNT(*) FROM task_statuses WHERE event_id = ?");
static struct dbq q_ins_status = DBQ(
    "INSERT IGNORE INTO task_statuses (event_id, name, name_norm, colour,"
    " state, position, created_at) SELECT ?, ?, LOWER(?), ?, ?,"
    " COALESCE(MAX(position) + 1, 0), UTC_TIMESTAMP(3) FROM task_statuses"
    " WHERE event_id = ?");
static struct dbq q_ins_status_strict = DBQ(
    "INSERT INTO task_statuses (event_id, name, name_norm, colour,"
    " state, position, created_at) SELECT ?, ?, LOWER(?), ?, ?,"
    " COALESCE(MAX(position) + 1, 0), UTC_TIMESTAMP(3) FROM task_statuses"
    " WHERE event_id = ?");
static struct dbq q_ins_phase = DBQ(
    "INSERT INTO task_phases (event_id, name, name_norm, start_date,"
    " end_date, position, created_at) SELECT ?, ?, LOWER(?), ?, ?,"
    " COALESCE(MAX(position) + 1, 0), UTC_TIMESTAMP(3) FROM task_phases"
    " WHERE event_id = ?");
static struct dbq q_ins_phase_default = DBQ(
    "INSERT IGNORE INTO task_phases (event_id, name, name_norm, position,"
    " created_at) VALUES (?, ?, LOWER(?), ?, UTC_TIMESTAMP(3))");
#define STATUS_COLS_N(ntasks) \
    "SELECT s.id, s.event_id, s.name, s.colour, s.state + 0, s.position," \
    " " ntasks " FROM task_statuses s"
#define STATUS_COLS STATUS_COLS_N( \
    "(SELECT COUNT(*) FROM tasks t WHERE t.status_id = s.id)")
/* Roll-ups never show how many tasks use a status or phase, and
 * counting them would read every task of the organization: 0. */
#define STATUS_COLS_SCOPE STATUS_COLS_N("0")
static struct dbq q_statuses = DBQ(STATUS_COLS " WHERE s.event_id = ?"
    " ORDER BY s.state, s.position, s.id");
/* Scopes of the roll-ups: an organization's active events, or the active
 * events a user is on. */
#define ORG_EVENTS(col) \
    " WHERE " col " IN (SELECT e.id FROM events e WHERE e.org_id = ?" \
    " AND e.status = 'active')"
#define MY_EVENTS(col) \
    " WHERE " col " IN (SELECT eu.event_id FROM event_users eu JOIN events e" \
    " ON e.id = eu.event_id WHERE eu.user_id = ? AND e.status = 'active')"
static struct dbq q_statuses_org = DBQ(STATUS_COLS_SCOPE
    ORG_EVENTS("s.event_id") " ORDER BY s.event_id, s.state, s.position,"
    " s.id");
static struct dbq q_statuses_mine = DBQ(STATUS_COLS_SCOPE
    MY_EVENTS("s.event_id") " ORDER BY s.event_id, s.state, s.position,"
    " s.id");
static struct dbq q_upd_status = DBQ(
    "UPDATE task_statuses SET name = ?, name_norm = LOWER(?), colour = ?,"
    " position = ? WHERE id = ? AND event_id = ?");
static struct dbq q_move_tasks = DBQ(
    "UPDATE tasks SET status_id = ?, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE status_id = ? AND event_id = ?");
static struct dbq q_del_status = DBQ(
    "DELETE FROM task_statuses WHERE id = ? AND event_id = ?");
#define PHASE_COLS_N(ntasks) \
    "SELECT p.id, p.event_id, p.name, DATE_FORMAT(p.start_date, '%Y-%m-%d')," \
    " DATE_FORMAT(p.end_date, '%Y-%m-%d'), p.position, " ntasks \
    " FROM task_phases p"
#define PHASE_COLS PHASE_COLS_N( \
    "(SELECT COUNT(*) FROM tasks t WHERE t.phase_id = p.id)")
#define PHASE_COLS_SCOPE PHASE_COLS_N("0")
static struct dbq q_phases = DBQ(PHASE_COLS " WHERE p.event_id = ?"
    " ORDER BY p.position, p.id");
static struct dbq q_phases_org = DBQ(PHASE_COLS_SCOPE
    ORG_EVENTS("p.event_id") " ORDER BY p.event_id, p.position, p.id");
static struct dbq q_phases_mine = DBQ(PHASE_COLS_SCOPE
    MY_EVENTS("p.event_id") " ORDER BY p.event_id, p.position, p.id");
static struct dbq q_upd_phase = DBQ(
    "UPDATE task_phases SET name = ?, name_norm = LOWER(?),"
    " start_date = ?, end_date = ?, position = ?"
    " WHERE id = ? AND event_id = ?");
static struct dbq q_clear_phase = DBQ(
    "UPDATE tasks SET phase_id = NULL, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE phase_id = ? AND event_id = ?");
static struct dbq q_del_phase = DBQ(
    "DELETE FROM task_phases WHERE id = ? AND event_id = ?");
static struct dbq q_lock_event = DBQ(
    "SELECT status = 'archived' FROM events WHERE id = ? FOR UPDATE");

const char *
task_state_name(enum task_state s)
{
	return s < TS__MAX ? state_names[s] : "todo";
}

const char *
task_state_label(enum task_state s)
{
	return s < TS__MAX ? state_labels[s] : "To Do";
}

int
task_state_parse(const char *s, enum task_state *out)
{
	int	 i;

	for (i = 0; s != NULL && i < TS__MAX; i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum task_state)i;
			return 0;
		}
	return -1;
}

int
task_state_closed(enum task_state s)
{
	return s == TS_DONE || s == TS_ARCHIVED;
}

int
taskconf_defaults(struct req *r, int64_t ev)
{
	int64_t	 n = 0;
	size_t	 i;
	int	 rc;

	(void)r;
	if (db_select(&q_has_statuses, "i", ev) != 0)
		return -1;
	rc = db_fetch(&q_has_statuses, "i", &n);
	db_done(&q_has_statuses);
	if (rc < 0)
		return -1;
	if (n > 0)
		return 0;
	for (i = 0; i < sizeof(default_statuses) /
	    sizeof(default_statuses[0]); i++)
		if (db_exec(&q_ins_status, "isssii", ev,
		    default_statuses[i].name, default_statuses[i].name,
		    default_statuses[i].colour,
		    (int64_t)default_statuses[i].state + 1, ev) < 0)
			return -1;
	for (i = 0; i < sizeof(default_phases) / sizeof(default_phases[0]);
	    i++)
		if (db_exec(&q_ins_phase_default, "issi", ev, default_phases[i],
		    default_phases[i], (int64_t)i) < 0)
			return -1;
	return 0;
}

static struct task_status *
read_statuses(struct req *r, struct dbq *q, long *np)
{
	struct task_status *out = NULL, s;
	size_t		 n = 0, cap = 0;
	int64_t		 state;
	int		 rc;

	memset(&s, 0, sizeof(s));
	while ((rc = db_fetch(q, "iissiii", &s.id, &s.event_id, &s.name,
	    &s.colour, &state, &s.position, &s.ntasks)) == 1) {
		/* ENUM + 0 is 1-based. */
		s.state = state >= 1 && state <= TS__MAX ?
		    (enum task_state)(state - 1) : TS_TO_DO;
		out = arena_grow(r->a, out, n, &cap, sizeof(*out));
		out[n++] = s;
	}
	db_done(q);
	*np = rc < 0 ? -1 : (long)n;
	return out;
}

struct task_status *
taskstatus_list(struct req *r, int64_t ev, long *np)
{
	*np = -1;
	if (db_select(&q_statuses, "i", ev) != 0)
		return NULL;
	return read_statuses(r, &q_statuses, np);
}

struct task_status *
taskstatus_list_scope(struct req *r, int64_t org_id, int64_t uid, long *np)
{
	struct dbq	*q = org_id ? &q_statuses_org : &q_statuses_mine;

	*np = -1;
	if (db_select(q, "i", org_id ? org_id : uid) != 0)
		return NULL;
	return read_statuses(r, q, np);
}

const struct task_status *
taskstatus_find(const struct task_status *s, long n, int64_t id)
{
	long	 i;

	for (i = 0; i < n; i++)
		if (s[i].id == id)
			return &s[i];
	return NULL;
}

int64_t
taskstatus_insert(struct req *r, int64_t ev, const char *name,
    const char *colour, enum task_state state)
{
	(void)r;
	if (db_exec(&q_ins_status_strict, "isssii", ev, name, name, colour,
	    (int64_t)state + 1, ev) < 0)
		return -1;
	return db_insert_id();
}

int
taskstatus_update(struct req *r, int64_t ev, int64_t id, const char *name,
    const char *colour, int64_t position)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_upd_status, "sssiii", name, name, colour, position, id,
	    ev);
	return n < 0 ? -1 : 1;
}

int
taskstatus_replace(struct req *r, int64_t ev, int64_t id, int64_t repl)
{
	(void)r;
	if (db_exec(&q_move_tasks, "iii", repl, id, ev) < 0 ||
	    db_exec(&q_del_status, "ii", id, ev) < 0)
		return -1;
	return 0;
}

static struct task_phase *
read_phases(struct req *r, struct dbq *q, long *np)
{
	struct task_phase *out = NULL, p;
	size_t		 n = 0, cap = 0;
	int		 rc;

	memset(&p, 0, sizeof(p));
	while ((rc = db_fetch(q, "iisssii", &p.id, &p.event_id, &p.name,
	    &p.start_date, &p.end_date, &p.position, &p.ntasks)) == 1) {
		out = arena_grow(r->a, out, n, &cap, sizeof(*out));
		out[n++] = p;
	}
	db_done(q);
	*np = rc < 0 ? -1 : (long)n;
	return out;
}

struct task_phase *
taskphase_list(struct req *r, int64_t ev, long *np)
{
	*np = -1;
	if (db_select(&q_phases, "i", ev) != 0)
		return NULL;
	return read_phases(r, &q_phases, np);
}

struct task_phase *
taskphase_list_scope(struct req *r, int64_t org_id, int64_t uid, long *np)
{
	struct dbq	*q = org_id ? &q_phases_org : &q_phases_mine;

	*np = -1;
	if (db_select(q, "i", org_id ? org_id : uid) != 0)
		return NULL;
	return read_phases(r, q, np);
}

const struct task_phase *
taskphase_find(const struct task_phase *p, long n, int64_t id)
{
	long	 i;

	for (i = 0; i < n; i++)
		if (p[i].id == id)
			return &p[i];
	return NULL;
}

int64_t
taskphase_insert(struct req *r, int64_t ev, const char *name,
    const char *sd, const char *ed)
{
	(void)r;
	if (db_exec(&q_ins_phase, "issssi", ev, name, name, sd, ed, ev) < 0)
		return -1;
	return db_insert_id();
}

int
taskphase_update(struct req *r, int64_t ev, int64_t id, const char *name,
    const char *sd, const char *ed, int64_t position)
{
	(void)r;
	return db_exec(&q_upd_phase, "ssssiii", name, name, sd, ed, position,
	    id, ev) < 0 ? -1 : 1;
}

int
taskphase_delete(struct req *r, int64_t ev, int64_t id)
{
	(void)r;
	if (db_exec(&q_clear_phase, "ii", id, ev) < 0 ||
	    db_exec(&q_del_phase, "ii", id, ev) < 0)
		return -1;
	return 0;
}

int
taskconf_lock_event(struct req *r, int64_t ev)
{
	int64_t	 archived = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_lock_event, "i", ev) != 0)
		return -1;
	rc = db_fetch(&q_lock_event, "i", &archived);
	db_done(&q_lock_event);
	if (rc < 0)
		return -1;
	return rc == 1 && !archived;
}
