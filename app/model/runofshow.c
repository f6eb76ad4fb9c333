/* runofshow.c — run-of-show columns, segments and values. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/runofshow.h"

/* Far past any list: "to the end" in the renumbering ranges. */
#define POS_END		2147483647LL

#define SEG_COLS \
    "id, activity_id, name, duration_min, colour, position, version"
#define SEG_TYPES "iisisii"
#define COL_COLS "id, activity_id, name, width, position, version"
#define COL_TYPES "iissii"

static struct dbq q_segs = DBQ(
    "SELECT " SEG_COLS " FROM ros_segments WHERE event_id = ?"
    " AND activity_id = ? ORDER BY position, id");
static struct dbq q_segs_ev = DBQ(
    "SELECT " SEG_COLS " FROM ros_segments WHERE event_id = ?"
    " ORDER BY activity_id, position, id");
static struct dbq q_cols = DBQ(
    "SELECT " COL_COLS " FROM ros_columns WHERE event_id = ?"
    " AND activity_id = ? ORDER BY position, id");
static struct dbq q_cols_ev = DBQ(
    "SELECT " COL_COLS " FROM ros_columns WHERE event_id = ?"
    " ORDER BY activity_id, position, id");
static struct dbq q_vals = DBQ(
    "SELECT segment_id, column_id, value FROM ros_values"
    " WHERE event_id = ? AND activity_id = ? ORDER BY segment_id,"
    " column_id");
static struct dbq q_vals_ev = DBQ(
    "SELECT segment_id, column_id, value FROM ros_values"
    " WHERE event_id = ? ORDER BY segment_id, column_id");

static struct dbq q_seg_get = DBQ(
    "SELECT " SEG_COLS " FROM ros_segments WHERE event_id = ?"
    " AND activity_id = ? AND id = ?");
static struct dbq q_seg_count = DBQ(
    "SELECT COUNT(*) FROM ros_segments WHERE event_id = ?"
    " AND activity_id = ?");
static struct dbq q_seg_insert = DBQ(
    "INSERT INTO ros_segments (activity_id, event_id, name, duration_min,"
    " colour, position, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_seg_update = DBQ(
    "UPDATE ros_segments SET name = ?, duration_min = ?, colour = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND activity_id = ? AND event_id = ? AND version = ?");
/* Positions in [lo, hi) move one down the list (+1); in (lo, hi] one
 * up (-1). */
static struct dbq q_seg_open = DBQ(
    "UPDATE ros_segments SET position = position + 1"
    " WHERE activity_id = ? AND event_id = ? AND position >= ?"
    " AND position < ?");
static struct dbq q_seg_close = DBQ(
    "UPDATE ros_segments SET position = position - 1"
    " WHERE activity_id = ? AND event_id = ? AND position > ?"
    " AND position <= ?");
static struct dbq q_seg_setpos = DBQ(
    "UPDATE ros_segments SET position = ? WHERE id = ? AND activity_id = ?"
    " AND event_id = ?");
static struct dbq q_seg_delete = DBQ(
    "DELETE FROM ros_segments WHERE id = ? AND activity_id = ?"
    " AND event_id = ?");

static struct dbq q_val_put = DBQ(
    "INSERT INTO ros_values (segment_id, column_id, activity_id, event_id,"
    " value) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
    " value = VALUES(value)");
static struct dbq q_val_del = DBQ(
    "DELETE FROM ros_values WHERE segment_id = ? AND column_id = ?"
    " AND activity_id = ? AND event_id = ?");

static struct dbq q_col_get = DBQ(
    "SELECT " COL_COLS " FROM ros_columns WHERE event_id = ?"
    " AND activity_id = ? AND id = ?");
static struct dbq q_col_count = DBQ(
    "SELECT COUNT(*) FROM ros_columns WHERE event_id = ?"
    " AND activity_id = ?");
static struct dbq q_col_insert = DBQ(
    "INSERT INTO ros_columns (activity_id, event_id, name, width, position,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3),"
    " UTC_TIMESTAMP(3))");
static struct dbq q_col_update = DBQ(
    "UPDATE ros_columns SET name = ?, width = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND activity_id = ? AND event_id = ? AND version = ?");
static struct dbq q_col_open = DBQ(
    "UPDATE ros_columns SET position = position + 1"
    " WHERE activity_id = ? AND event_id = ? AND position >= ?"
    " AND position < ?");
static struct dbq q_col_close = DBQ(
    "UPDATE ros_columns SET position = position - 1"
    " WHERE activity_id = ? AND event_id = ? AND position > ?"
    " AND position <= ?");
static struct dbq q_col_setpos = DBQ(
    "UPDATE ros_columns SET position = ? WHERE id = ? AND activity_id = ?"
    " AND event_id = ?");
static struct dbq q_col_delete = DBQ(
    "DELETE FROM ros_columns WHERE id = ? AND activity_id = ?"
    " AND event_id = ?");

#define GROW(arr, n, cap, type) do {					\
	if ((n) == (cap)) {						\
		type	*na;						\
		(cap) = (cap) ? (cap) * 2 : 16;				\
		na = arena_calloc(r->a, (cap), sizeof(type));		\
		if ((n))						\
			memcpy(na, (arr), (n) * sizeof(type));		\
		(arr) = na;						\
	}								\
} while (0)

static int
fetch_seg(struct dbq *q, struct ros_segment *s)
{
	memset(s, 0, sizeof(*s));
	return db_fetch(q, SEG_TYPES, &s->id, &s->activity_id, &s->name,
	    &s->duration, &s->colour, &s->position, &s->version);
}

static int
fetch_col(struct dbq *q, struct ros_column *c)
{
	memset(c, 0, sizeof(*c));
	return db_fetch(q, COL_TYPES, &c->id, &c->activity_id, &c->name,
	    &c->width, &c->position, &c->version);
}

static int
seg_id_cmp(const void *x, const void *y)
{
	const struct ros_segment *const *a = x, *const *b = y;

	return (*a)->id < (*b)->id ? -1 : (*a)->id > (*b)->id;
}

/* Read the three lists (statements chosen by the caller, bound to
 * "i" ev or "ii" ev, act) and attach the values to their segments. */
static int
load(struct req *r, struct dbq *qs, struct dbq *qc, struct dbq *qv,
    int64_t ev, int64_t act, int one, struct ros *o)
{
	struct ros_segment	 s, **byid;
	struct ros_column	 c;
	struct ros_value	*vs = NULL, v;
	size_t			 cap = 0, cap2 = 0, nv = 0, cap3 = 0, i, j;
	int			 rc;

	memset(o, 0, sizeof(*o));
	if ((one ? db_select(qs, "ii", ev, act) : db_select(qs, "i", ev)) != 0)
		return -1;
	while ((rc = fetch_seg(qs, &s)) == 1) {
		GROW(o->segs, o->nsegs, cap, struct ros_segment);
		o->segs[o->nsegs++] = s;
	}
	db_done(qs);
	if (rc < 0)
		return -1;
	if ((one ? db_select(qc, "ii", ev, act) : db_select(qc, "i", ev)) != 0)
		return -1;
	while ((rc = fetch_col(qc, &c)) == 1) {
		GROW(o->cols, o->ncols, cap2, struct ros_column);
		o->cols[o->ncols++] = c;
	}
	db_done(qc);
	if (rc < 0)
		return -1;
	if ((one ? db_select(qv, "ii", ev, act) : db_select(qv, "i", ev)) != 0)
		return -1;
	while ((rc = db_fetch(qv, "iis", &v.segment_id, &v.column_id,
	    &v.value)) == 1) {
		GROW(vs, nv, cap3, struct ros_value);
		vs[nv++] = v;
	}
	db_done(qv);
	if (rc < 0)
		return -1;
	if (o->nsegs == 0 || nv == 0)
		return 0;
	/* Values come ordered by segment id; segments by position. Walk
	 * the segments in id order beside them. */
	byid = arena_calloc(r->a, o->nsegs, sizeof(*byid));
	for (i = 0; i < o->nsegs; i++)
		byid[i] = &o->segs[i];
	qsort(byid, o->nsegs, sizeof(*byid), seg_id_cmp);
	for (i = j = 0; i < o->nsegs; i++) {
		while (j < nv && vs[j].segment_id < byid[i]->id)
			j++;
		byid[i]->values = vs + j;
		while (j < nv && vs[j].segment_id == byid[i]->id) {
			byid[i]->nvalues++;
			j++;
		}
	}
	return 0;
}

int
ros_load(struct req *r, int64_t ev, int64_t act, struct ros *o)
{
	return load(r, &q_segs, &q_cols, &q_vals, ev, act, 1, o);
}

int
ros_load_event(struct req *r, int64_t ev, struct ros *o)
{
	return load(r, &q_segs_ev, &q_cols_ev, &q_vals_ev, ev, 0, 0, o);
}

static int64_t
count_of(struct dbq *q, int64_t ev, int64_t act)
{
	int64_t	 n = 0;
	int	 rc;

	if (db_select(q, "ii", ev, act) != 0)
		return -1;
	rc = db_fetch(q, "i", &n);
	db_done(q);
	return rc == 1 ? n : -1;
}

/* Move the row at from to to, shifting those between: 0 or -1. */
static int
move_in(struct dbq *open, struct dbq *close, struct dbq *setpos,
    int64_t ev, int64_t act, int64_t id, int64_t from, int64_t to)
{
	if (from == to)
		return 0;
	if (to < from) {
		if (db_exec(open, "iiii", act, ev, to, from) < 0)
			return -1;
	} else if (db_exec(close, "iiii", act, ev, from, to) < 0)
		return -1;
	return db_exec(setpos, "iiii", to, id, act, ev) < 0 ? -1 : 0;
}

int
ros_seg_get(struct req *r, int64_t ev, int64_t act, int64_t id,
    struct ros_segment *s)
{
	int	 rc;

	(void)r;
	if (db_select(&q_seg_get, "iii", ev, act, id) != 0)
		return -1;
	rc = fetch_seg(&q_seg_get, s);
	db_done(&q_seg_get);
	return rc;
}

int64_t
ros_seg_count(struct req *r, int64_t ev, int64_t act)
{
	(void)r;
	return count_of(&q_seg_count, ev, act);
}

int64_t
ros_seg_insert(struct req *r, int64_t ev, int64_t act, int64_t pos,
    const char *name, int64_t duration, const char *colour, int64_t uid)
{
	(void)r;
	if (db_exec(&q_seg_open, "iiii", act, ev, pos, POS_END) < 0 ||
	    db_exec(&q_seg_insert, "iisisii", act, ev, name, duration,
	    colour, pos, uid) < 0)
		return -1;
	return db_insert_id();
}

int
ros_seg_update(struct req *r, int64_t ev, int64_t act, int64_t id,
    int64_t version, const char *name, int64_t duration, const char *colour)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_seg_update, "sisiiii", name, duration, colour, id, act,
	    ev, version);
	return n < 0 ? -1 : n > 0;
}

int
ros_seg_move(struct req *r, int64_t ev, int64_t act, int64_t id,
    int64_t from, int64_t to)
{
	(void)r;
	return move_in(&q_seg_open, &q_seg_close, &q_seg_setpos, ev, act, id,
	    from, to);
}

int
ros_seg_delete(struct req *r, int64_t ev, int64_t act, int64_t id,
    int64_t pos)
{
	(void)r;
	if (db_exec(&q_seg_delete, "iii", id, act, ev) < 0 ||
	    db_exec(&q_seg_close, "iiii", act, ev, pos, POS_END) < 0)
		return -1;
	return 0;
}

int
ros_value_set(struct req *r, int64_t ev, int64_t act, int64_t seg,
    int64_t col, const char *value)
{
	(void)r;
	if (value == NULL || *value == '\0')
		return db_exec(&q_val_del, "iiii", seg, col, act, ev) < 0 ?
		    -1 : 0;
	return db_exec(&q_val_put, "iiiis", seg, col, act, ev, value) < 0 ?
	    -1 : 0;
}

int
ros_col_get(struct req *r, int64_t ev, int64_t act, int64_t id,
    struct ros_column *c)
{
	int	 rc;

	(void)r;
	if (db_select(&q_col_get, "iii", ev, act, id) != 0)
		return -1;
	rc = fetch_col(&q_col_get, c);
	db_done(&q_col_get);
	return rc;
}

int64_t
ros_col_count(struct req *r, int64_t ev, int64_t act)
{
	(void)r;
	return count_of(&q_col_count, ev, act);
}

int64_t
ros_col_insert(struct req *r, int64_t ev, int64_t act, int64_t pos,
    const char *name, const char *width)
{
	(void)r;
	if (db_exec(&q_col_open, "iiii", act, ev, pos, POS_END) < 0 ||
	    db_exec(&q_col_insert, "iissi", act, ev, name, width, pos) < 0)
		return -1;
	return db_insert_id();
}

int
ros_col_update(struct req *r, int64_t ev, int64_t act, int64_t id,
    int64_t version, const char *name, const char *width)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_col_update, "ssiiii", name, width, id, act, ev,
	    version);
	return n < 0 ? -1 : n > 0;
}

int
ros_col_move(struct req *r, int64_t ev, int64_t act, int64_t id,
    int64_t from, int64_t to)
{
	(void)r;
	return move_in(&q_col_open, &q_col_close, &q_col_setpos, ev, act, id,
	    from, to);
}

int
ros_col_delete(struct req *r, int64_t ev, int64_t act, int64_t id,
    int64_t pos)
{
	(void)r;
	if (db_exec(&q_col_delete, "iii", id, act, ev) < 0 ||
	    db_exec(&q_col_close, "iiii", act, ev, pos, POS_END) < 0)
		return -1;
	return 0;
}
