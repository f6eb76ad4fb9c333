/* seat.c — seat rows, taken under the pool lock. */
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"
#include "seat.h"

static struct dbq q_lock_pool = DBQ(
    "SELECT quantity, status = 'active' FROM license_pools"
    " WHERE id = ? AND product = 'event_pro' FOR UPDATE");
static struct dbq q_held = DBQ(
    "SELECT COUNT(*) FROM event_seats WHERE event_id = ? AND user_id = ?");
static struct dbq q_count = DBQ(
    "SELECT COUNT(*) FROM event_seats WHERE event_id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO event_seats (pool_id, event_id, user_id, invitation_id,"
    " assigned_by, assigned_at) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0),"
    " NULLIF(?, 0), UTC_TIMESTAMP(3))");
static struct dbq q_free_user = DBQ(
    "DELETE FROM event_seats WHERE event_id = ? AND user_id = ?");
static struct dbq q_free_inv = DBQ(
    "DELETE FROM event_seats WHERE invitation_id = ?");
static struct dbq q_claim = DBQ(
    "UPDATE event_seats SET user_id = ?, invitation_id = NULL"
    " WHERE invitation_id = ?");

static int64_t
scalar(struct dbq *q, int64_t a, int64_t b, int two)
{
	int64_t	 n = -1;
	int	 rc;

	rc = two ? db_select(q, "ii", a, b) : db_select(q, "i", a);
	if (rc != 0)
		return -1;
	if (db_fetch(q, "i", &n) != 1)
		n = -1;
	db_done(q);
	return n;
}

int64_t
seat_count(struct req *r, int64_t event_id)
{
	(void)r;
	return scalar(&q_count, event_id, 0, 0);
}

int
seat_take(struct req *r, int64_t event_id, int64_t pool_id, int64_t user_id,
    int64_t invitation_id)
{
	int64_t	 quantity = 0, active = 0, used;
	int	 rc;

	/* The pool row is the lock every seat of its events goes through. */
	if (db_select(&q_lock_pool, "i", pool_id) != 0)
		return -1;
	rc = db_fetch(&q_lock_pool, "ii", &quantity, &active);
	db_done(&q_lock_pool);
	if (rc < 0)
		return -1;
	if (rc == 0 || !active)
		return 0;
	if (user_id != 0) {
		int64_t	 held = scalar(&q_held, event_id, user_id, 1);

		if (held < 0)
			return -1;
		if (held > 0)
			return 1;
	}
	if ((used = seat_count(r, event_id)) < 0)
		return -1;
	if (used >= quantity)
		return 0;
	if (db_exec(&q_insert, "iiiii", pool_id, event_id, user_id,
	    invitation_id, r->user ? r->user->id : (int64_t)0) < 0)
		return -1;
	return 1;
}

int
seat_free_user(struct req *r, int64_t event_id, int64_t user_id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_free_user, "ii", event_id, user_id)) < 0)
		return -1;
	return n > 0;
}

int
seat_free_invitation(struct req *r, int64_t invitation_id)
{
	(void)r;
	return db_exec(&q_free_inv, "i", invitation_id) < 0 ? -1 : 0;
}

int
seat_claim(struct req *r, int64_t invitation_id, int64_t user_id)
{
	(void)r;
	return db_exec(&q_claim, "ii", user_id, invitation_id) < 0 ? -1 : 0;
}
