/* deny.c — refusing a request. */
#include "deny.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "render/view.h"

int
page_refuse(struct req *r, int status, const char *code, const char *detail)
{
	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=%s", code);
	return render_error(r, status, code, detail);
}
