/* audit.c — insert audit entries and raise the change marks they imply. */
#include <stdlib.h>

#include "audit.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"

static struct dbq q_insert = DBQ(
    "INSERT INTO audit_log (at, org_id, event_id, actor_user_id,"
    " actor_kind, auth, token_id, action, target_type, target_id,"
    " target_label, changes, request_id, ip) VALUES (UTC_TIMESTAMP(3),"
    " NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?,"
    " NULLIF(?, 0), ?, ?, ?, ?)");

/* Every audited write raises the change mark of its event, or of its
 * organization's own entries (event 0), in its transaction (0020). On a
 * primary key, INSERT … ON DUPLICATE KEY takes a record lock on an
 * existing row and no gap lock for a new one, so first raises of two
 * new events do not deadlock. */
static struct dbq q_mark = DBQ(
    "INSERT INTO change_marks (org_id, event_id, gen) VALUES (?, ?, 1)"
    " ON DUPLICATE KEY UPDATE gen = gen + 1");

struct mark {
	int64_t	 org, event;
};

/* The marks the open transaction raises when it commits, in the request's
 * arena; serial tells a list left by an earlier transaction (rolled back)
 * from this one's. */
static struct mark	*pending;
static size_t		 npending, cap;
static unsigned		 serial;

static int
raise_mark(int64_t org, int64_t event)
{
	return db_exec(&q_mark, "ii", org, event) < 0 ? -1 : 0;
}

static int
mark_order(const void *a, const void *b)
{
	const struct mark	*x = a, *y = b;

	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	return x->event < y->event ? -1 : x->event > y->event;
}

/* Just before COMMIT: the raise is the transaction's last write, so it
 * holds the mark's row lock only until the commit, and marks change in
 * commit order — which the newest audit id does not: it is handed out at
 * insert, so a write that commits after a later one hides behind it. A
 * fixed order keeps two transactions raising the same marks from
 * deadlocking. */
static int
raise_pending(void)
{
	size_t	 i, n = npending;

	npending = 0;
	qsort(pending, n, sizeof(*pending), mark_order);
	for (i = 0; i < n; i++)
		if (raise_mark(pending[i].org, pending[i].event) != 0)
			return -1;
	return 0;
}

static int
note_change(struct req *r, int64_t org, int64_t event)
{
	size_t	 i;

	if (org == 0)
		return 0;
	if (!db_in_txn())
		return raise_mark(org, event);
	if (serial != db_txn_serial()) {
		serial = db_txn_serial();
		pending = NULL;
		npending = cap = 0;
	}
	for (i = 0; i < npending; i++)
		if (pending[i].org == org && pending[i].event == event)
			return 0;
	pending = arena_grow(r->a, pending, npending, &cap, sizeof(*pending));
	pending[npending].org = org;
	pending[npending].event = event;
	npending++;
	db_before_commit(raise_pending);
	return 0;
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
	return note_change(r, org_id, event_id);
}

int
audit(struct req *r, int64_t org_id, int64_t event_id, const char *action,
    const char *target_type, int64_t target_id, const char *label,
    json_object *changes)
{
	return audit_as(r, r->user ? r->user->id : 0, org_id, event_id,
	    action, target_type, target_id, label, changes);
}
