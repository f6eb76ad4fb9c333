/* audit.c — insert audit entries; once they commit, forget the cached
 * feed bodies they make stale. */
#include "audit.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/feedtoken.h"
#include "model/user.h"

static struct dbq q_insert = DBQ(
    "INSERT INTO audit_log (at, org_id, event_id, actor_user_id,"
    " actor_kind, auth, token_id, action, target_type, target_id,"
    " target_label, changes, request_id, ip) VALUES (UTC_TIMESTAMP(3),"
    " NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?,"
    " NULLIF(?, 0), ?, ?, ?, ?)");

/* Every audited write forgets the remembered bodies of the feeds of its
 * event, or of its organization's own entries (event 0), once its data is
 * committed (feedtoken_forget): a key a poll still finds was made from
 * data no committed write has changed since, bar the instant between a
 * write's COMMIT and its forgetting. Outside the write's transaction:
 * in there the forgetting would hold the tokens' locks until the commit
 * and, under the snapshot isolation of conf/my.cnf.in, fail every write
 * whose snapshot predates a poll's claim (1020). */
struct changed {
	int64_t	 org, event;
};

/* The scopes the open transaction changes, forgotten once it commits, in
 * the request's arena; serial tells a list left by an earlier transaction
 * (rolled back) from this one's. */
static struct changed	*pending;
static size_t		 npending, cap;
static unsigned		 serial;

static void
forget_pending(void)
{
	size_t	 i, n = npending;

	npending = 0;
	for (i = 0; i < n; i++)
		feedtoken_forget(pending[i].org, pending[i].event);
}

static void
note_change(struct req *r, int64_t org, int64_t event)
{
	size_t	 i;

	if (org == 0)
		return;
	if (!db_in_txn()) {
		/* The write's own statements have committed already. */
		feedtoken_forget(org, event);
		return;
	}
	if (serial != db_txn_serial()) {
		serial = db_txn_serial();
		pending = NULL;
		npending = cap = 0;
	}
	for (i = 0; i < npending; i++)
		if (pending[i].org == org && pending[i].event == event)
			return;
	pending = arena_grow(r->a, pending, npending, &cap, sizeof(*pending));
	pending[npending].org = org;
	pending[npending].event = event;
	npending++;
	db_after_commit(forget_pending);
}

int
audit_as(struct req *r, int64_t actor, int64_t org_id, int64_t event_id,
    const char *action, const char *target_type, int64_t target_id,
    const char *label, json_object *changes)
{
	const char	*kind = actor ? "user" : "anon";
	const char	*auth = r->token_id ? "token" : r->sess ? "session" :
	    "none";

	if (db_exec(&q_insert, "iiissississss", org_id, event_id, actor,
	    kind, auth, r->token_id, action, target_type, target_id, label,
	    changes ? json_object_to_json_string_ext(changes,
	    JSON_C_TO_STRING_PLAIN) : NULL, r->rid, r->remote_addr) < 0)
		return -1;
	note_change(r, org_id, event_id);
	return 0;
}

int
audit(struct req *r, int64_t org_id, int64_t event_id, const char *action,
    const char *target_type, int64_t target_id, const char *label,
    json_object *changes)
{
	return audit_as(r, r->user ? r->user->id : 0, org_id, event_id,
	    action, target_type, target_id, label, changes);
}
