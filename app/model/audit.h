/* audit.h — the audit trail (PRODUCT §20), written inside the caller's
 * transaction so a committed change always has its entry. */
#ifndef MODEL_AUDIT_H
#define MODEL_AUDIT_H

#include <stdint.h>

#include <json-c/json.h>

struct req;

/* changes: {"field": {"old": …, "new": …}} or NULL; never secrets. */
int	 audit(struct req *, int64_t org_id, int64_t event_id,
	    const char *action, const char *target_type, int64_t target_id,
	    const char *target_label, json_object *changes);
/* The same with an explicit actor (sign-up, reset: no session yet). */
int	 audit_as(struct req *, int64_t actor_id, int64_t org_id,
	    int64_t event_id, const char *action, const char *target_type,
	    int64_t target_id, const char *target_label, json_object *changes);

#endif
