/* mail.c — the outbox insert. */
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "mail.h"
#include "render/esc.h"

static struct dbq q_queue = DBQ(
    "INSERT INTO outbox (to_addr, subject, body, created_at,"
    " next_attempt_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3),"
    " UTC_TIMESTAMP(3))");

int
mail_queue(struct req *r, const char *to, const char *subject,
    const char *body)
{
	(void)r;
	if (!esc_header_ok(to) || !esc_header_ok(subject)) {
		log_msg(LOG_WARN, "msg=\"mail refused\" reason=header_injection");
		return -1;
	}
	return db_exec(&q_queue, "sss", to, subject, body) < 0 ? -1 : 0;
}
