/* answer.c — answers, their history and their review. */
#include <string.h>

#include "answer.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/advtrack.h"

#define ER_DUP_ENTRY	1062
#define ANSWERS_MAX	50000	/* answers read for one advance */

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define ANS_COLS \
    "a.id, a.advance_module_id, a.block_id, a.value," \
    " a.review = 'reviewed', a.reviewed_by, rv.name, " TS("a.reviewed_at") \
    ", a.updated_by, up.name, " TS("a.updated_at") ", a.version"
#define ANS_FROM \
    " FROM answers a LEFT JOIN users rv ON rv.id = a.reviewed_by" \
    " LEFT JOIN users up ON up.id = a.updated_by"

/* module 0: every module of the advance. */
static struct dbq q_list = DBQ(
    "SELECT " ANS_COLS ANS_FROM
    " JOIN advance_modules m ON m.id = a.advance_module_id"
    " WHERE m.advance_id = ? AND m.event_id = ? AND a.event_id = ?"
    " AND (? = 0 OR a.advance_module_id = ?)"
    " ORDER BY a.advance_module_id, a.block_id");
/* The newest reviewed history row of each answer of the advance. */
static struct dbq q_prev = DBQ(
    "SELECT h.advance_module_id, h.block_id, h.value, u.name, "
    TS("h.reviewed_at") " FROM answer_history h"
    " JOIN (SELECT x.advance_module_id, x.block_id, MAX(x.id) AS id"
    "  FROM answer_history x JOIN advance_modules m"
    "  ON m.id = x.advance_module_id WHERE m.advance_id = ?"
    "  AND m.event_id = ? AND x.event_id = ? AND x.reviewed_at IS NOT NULL"
    "  GROUP BY x.advance_module_id, x.block_id) last ON last.id = h.id"
    " LEFT JOIN users u ON u.id = h.reviewed_by"
    " ORDER BY h.advance_module_id, h.block_id");
static struct dbq q_get = DBQ(
    "SELECT " ANS_COLS ANS_FROM " WHERE a.advance_module_id = ?"
    " AND a.block_id = ? AND a.event_id = ?");
static struct dbq q_lock_module = DBQ(
    "SELECT " ANS_COLS ANS_FROM " WHERE a.advance_module_id = ?"
    " AND a.event_id = ? ORDER BY a.block_id FOR UPDATE");

static struct dbq q_insert = DBQ(
    "INSERT INTO answers (event_id, advance_module_id, block_id, value,"
    " review, updated_by, updated_at) VALUES (?, ?, ?, ?, 'needs_review',"
    " ?, UTC_TIMESTAMP(3))");
static struct dbq q_update = DBQ(
    "UPDATE answers SET value = ?, review = 'needs_review',"
    " reviewed_by = NULL, reviewed_at = NULL, updated_by = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE advance_module_id = ? AND block_id = ? AND event_id = ?"
    " AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM answers WHERE advance_module_id = ? AND block_id = ?"
    " AND event_id = ? AND version = ?");
static struct dbq q_history = DBQ(
    "INSERT INTO answer_history (event_id, advance_module_id, block_id,"
    " value, version, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?,"
    " UTC_TIMESTAMP(3))");
static struct dbq q_review = DBQ(
    "UPDATE answers SET review = 'reviewed', reviewed_by = ?,"
    " reviewed_at = UTC_TIMESTAMP(3) WHERE advance_module_id = ?"
    " AND block_id = ? AND event_id = ? AND version = ?");
/* The saved value that was reviewed: the newest history row. */
static struct dbq q_review_history = DBQ(
    "UPDATE answer_history SET reviewed_by = ?,"
    " reviewed_at = UTC_TIMESTAMP(3) WHERE advance_module_id = ?"
    " AND block_id = ? AND event_id = ? ORDER BY id DESC LIMIT 1");
static struct dbq q_after = DBQ(
    "SELECT id, version, " TS("updated_at") " FROM answers"
    " WHERE advance_module_id = ? AND block_id = ? AND event_id = ?");

static int
fetch(struct req *r, struct dbq *q, void *row)
{
	struct answer	*a = row;
	int64_t		 rev;
	int		 rc;

	(void)r;
	memset(a, 0, sizeof(*a));
	rc = db_fetch(q, "iiisiississi", &a->id, &a->module_id, &a->block_id,
	    &a->value, &rev, &a->reviewed_by, &a->reviewed_by_name,
	    &a->reviewed_at, &a->updated_by, &a->updated_by_name,
	    &a->updated_at, &a->version);
	a->reviewed = rev != 0;
	return rc;
}

struct answer *
answer_list(struct req *r, int64_t event_id, int64_t advance_id,
    int64_t module_id, size_t *n)
{
	*n = 0;
	if (db_select(&q_list, "iiiii", advance_id, event_id, event_id,
	    module_id, module_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_list, fetch, sizeof(struct answer),
	    ANSWERS_MAX, n);
}

static int
fetch_prev(struct req *r, struct dbq *q, void *row)
{
	struct answer_prev *p = row;

	(void)r;
	return db_fetch(q, "iisss", &p->module_id, &p->block_id, &p->value,
	    &p->reviewed_by_name, &p->reviewed_at);
}

struct answer_prev *
answer_prev_list(struct req *r, int64_t event_id, int64_t advance_id,
    size_t *n)
{
	if (db_select(&q_prev, "iii", advance_id, event_id, event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_prev, fetch_prev, sizeof(struct answer_prev),
	    ANSWERS_MAX, n);
}

int
answer_get(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, struct answer *a)
{
	struct dbq	*q = &q_get;
	int		 rc;

	(void)r;
	memset(a, 0, sizeof(*a));
	if (db_select(q, "iii", module_id, block_id, event_id) != 0)
		return -1;
	rc = fetch(r, q, a);
	db_done(q);
	return rc;
}

struct answer *
answer_lock_module(struct req *r, int64_t event_id, int64_t module_id,
    size_t *n)
{
	*n = 0;
	if (db_select(&q_lock_module, "ii", module_id, event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_lock_module, fetch, sizeof(struct answer),
	    ANSWERS_MAX, n);
}

static int
history(int64_t event_id, int64_t module_id, int64_t block_id,
    const char *value, int64_t version, int64_t uid)
{
	return db_exec(&q_history, "iiisii", event_id, module_id, block_id,
	    value, version, uid) < 0 ? -1 : 0;
}

int
answer_put(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, int64_t version, const char *value, int64_t uid,
    struct answer *out)
{
	int64_t	 rc;
	int	 got;

	(void)r;
	if (version == 0) {
		rc = db_exec(&q_insert, "iiisi", event_id, module_id, block_id,
		    value, uid);
		/* Someone answered first: the caller's version is stale. */
		if (rc < 0)
			return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	} else {
		rc = db_exec(&q_update, "siiiii", value, uid, module_id,
		    block_id, event_id, version);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return 0;
	}
	memset(out, 0, sizeof(*out));
	if (db_select(&q_after, "iii", module_id, block_id, event_id) != 0)
		return -1;
	got = db_fetch(&q_after, "iis", &out->id, &out->version,
	    &out->updated_at);
	db_done(&q_after);
	if (got != 1)
		return -1;
	out->module_id = module_id;
	out->block_id = block_id;
	out->value = (char *)value;
	out->updated_by = uid;
	if (history(event_id, module_id, block_id, value, out->version,
	    uid) != 0)
		return -1;
	return 1;
}

int
answer_clear(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, int64_t version, int64_t uid)
{
	int64_t	 rc;

	(void)r;
	if ((rc = db_exec(&q_delete, "iiii", module_id, block_id, event_id,
	    version)) < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (history(event_id, module_id, block_id, NULL, version + 1,
	    uid) != 0)
		return -1;
	return 1;
}

int
answer_review(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, int64_t seen_version, int64_t uid)
{
	int64_t	 rc;

	if (seen_version <= 0)
		return 0;
	if ((rc = db_exec(&q_review, "iiiii", uid, module_id, block_id,
	    event_id, seen_version)) < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (db_exec(&q_review_history, "iiii", uid, module_id, block_id,
	    event_id) < 0)
		return -1;
	return advtrack_sync_module(r, event_id, module_id) != 0 ? -1 : 1;
}
