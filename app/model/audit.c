/* audit.c — insert audit entries. */
#include "audit.h"
#include "core/req.h"
#include "db/db.h"
#include "model/user.h"

static struct dbq q_insert = DBQ(
    "INSERT INTO audit_log (at, org_id, event_id, actor_user_id,"
    " actor_kind, auth, token_id, action, target_type, target_id,"
    " target_label, changes, request_id, ip) VALUES (UTC_TIMESTAMP(3),"
    " NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?,"
    " NULLIF(?, 0), ?, ?, ?, ?)");

int
audit_as(struct req *r, int64_t actor, int64_t org_id, int64_t event_id,
    const char *action, const char *target_type, int64_t target_id,
    const char *label, json_object *changes)
{
	const char	*kind = actor ? "user" : "anon";
	const char	*auth = r->token_id ? "token" : r->sess ? "session" :
	    "none";

	return db_exec(&q_insert, "iiissississss", org_id, event_id, actor,
	    kind, auth, r->token_id, action, target_type, target_id, label,
	    changes ? json_object_to_json_string_ext(changes,
	    JSON_C_TO_STRING_PLAIN) : NULL, r->rid, r->remote_addr) < 0 ?
	    -1 : 0;
}

int
audit(struct req *r, int64_t org_id, int64_t event_id, const char *action,
    const char *target_type, int64_t target_id, const char *label,
    json_object *changes)
{
	return audit_as(r, r->user ? r->user->id : 0, org_id, event_id,
	    action, target_type, target_id, label, changes);
}
