/* throttle.c — database-backed counters for rate limits. */
#include "core/req.h"
#include "db/db.h"
#include "throttle.h"

static struct dbq q_count = DBQ(
    "SELECT COUNT(*) FROM throttle_events WHERE kind = ? AND subject = ?"
    " AND at > UTC_TIMESTAMP(3) - INTERVAL ? SECOND");
static struct dbq q_add = DBQ(
    "INSERT INTO throttle_events (kind, subject, at)"
    " VALUES (?, ?, UTC_TIMESTAMP(3))");
static struct dbq q_purge = DBQ(
    "DELETE FROM throttle_events WHERE at < UTC_TIMESTAMP(3) -"
    " INTERVAL 1 DAY LIMIT 100");
static struct dbq q_login = DBQ(
    "SELECT SUM(at > UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE), COUNT(*),"
    " COALESCE(TIMESTAMPDIFF(MICROSECOND, MAX(at), UTC_TIMESTAMP(3)), 0),"
    " COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(3) - INTERVAL 1 HOUR,"
    "  MIN(at)), 0) "
    "FROM login_failures WHERE user_id = ?"
    " AND at > UTC_TIMESTAMP(3) - INTERVAL 1 HOUR");
static struct dbq q_fail = DBQ(
    "INSERT INTO login_failures (user_id, at) VALUES (?, UTC_TIMESTAMP(3))");
static struct dbq q_clear = DBQ(
    "DELETE FROM login_failures WHERE user_id = ?");

int64_t
throttle_count(struct req *r, const char *kind, const char *subject,
    int window)
{
	int64_t	 n = 0;

	(void)r;
	if (db_select(&q_count, "ssi", kind, subject, (int64_t)window) != 0)
		return -1;
	if (db_fetch(&q_count, "i", &n) < 0)
		n = -1;
	db_done(&q_count);
	return n;
}

int
throttle_add(struct req *r, const char *kind, const char *subject)
{
	(void)r;
	if (db_exec(&q_purge, "") < 0)
		return -1;
	return db_exec(&q_add, "ss", kind, subject) < 0 ? -1 : 0;
}

int
login_throttle(struct req *r, int64_t user_id)
{
	int64_t	 recent = 0, hour = 0, since_us = 0, oldest_left = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_login, "i", user_id) != 0)
		return -1;
	rc = db_fetch(&q_login, "iiii", &recent, &hour, &since_us,
	    &oldest_left);
	db_done(&q_login);
	if (rc < 0)
		return -1;
	/* At most 100 failures per rolling hour: wait for the oldest to
	 * age out. */
	if (hour >= 100)
		return oldest_left > 0 ? (int)oldest_left + 1 : 1;
	/* After 5 failures in 15 minutes, one attempt per 30 s. */
	if (recent >= 5 && since_us < 30 * 1000000LL)
		return (int)((30 * 1000000LL - since_us) / 1000000) + 1;
	return 0;
}

int
login_failed(struct req *r, int64_t user_id)
{
	(void)r;
	return db_exec(&q_fail, "i", user_id) < 0 ? -1 : 0;
}

int
login_clear(struct req *r, int64_t user_id)
{
	(void)r;
	return db_exec(&q_clear, "i", user_id) < 0 ? -1 : 0;
}
