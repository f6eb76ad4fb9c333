/* lineitem.h — request line items of advance modules (PRODUCT §13.2
 * request blocks, §13.7 approvals) and the asset-type forms they are
 * entered with.
 *
 * Every lookup names the event (and the module where the page knows
 * it), so a foreign id never resolves. Writes run inside the caller's
 * transaction after it has locked the module row (advmod_lock). The
 * version counts content changes: any of them resets both approvals to
 * pending and the item to needs review; reviews and approvals carry the
 * version seen and do not move it. */
#ifndef MODEL_LINEITEM_H
#define MODEL_LINEITEM_H

#include <stddef.h>
#include <stdint.h>

#include "policy/answer.h"

struct req;

/* One approval: state pending | approved | declined. */
struct approval {
	char		*state;
	int64_t		 by;
	char		*by_name;
	char		*at;		/* RFC 3339 UTC */
	char		*reason;
};

struct lineitem {
	int64_t		 id;
	int64_t		 module_id;	/* advance module */
	int64_t		 block_id;
	int64_t		 position;
	char		*description;	/* without an asset type */
	int64_t		 quantity;
	char		*notes;
	char		*props;		/* with an asset type: JSON text */
	int		 reviewed;
	int64_t		 reviewed_by;
	char		*reviewed_by_name;
	char		*reviewed_at;
	struct approval	 op;		/* operational */
	struct approval	 res;		/* resource */
	int		 procurement_linked;
	int64_t		 created_by;
	char		*created_by_name;
	char		*created_at;
	int64_t		 updated_by;
	char		*updated_by_name;
	char		*updated_at;
	int64_t		 version;
};

/* What an item holds: description/quantity/notes, or props (JSON text
 * {"props": {...}, "subs": {"<skey>": [{...}]}}) with an asset type. */
struct lineitem_fields {
	const char	*description;
	int64_t		 quantity;
	const char	*notes;
	const char	*props;
};

/* Items of every module of one advance (module_id 0) or of one module,
 * by module, block and position: one query. *n = (size_t)-1 on error. */
struct lineitem	*lineitem_list(struct req *, int64_t event_id,
		    int64_t advance_id, int64_t module_id, size_t *n);
/* One item of a module (module_id 0: any module of the event): 1, 0,
 * -1. lock: FOR UPDATE. */
int		 lineitem_get(struct req *, int64_t event_id,
		    int64_t module_id, int64_t id, int lock,
		    struct lineitem *);
/* How many items a request block holds in one module, or -1. */
int64_t		 lineitem_count(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id);
/* Add an item at the end of its block: the new id, or -1. */
int64_t		 lineitem_insert(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id,
		    const struct lineitem_fields *, int64_t uid);
/* Change an item at version: both approvals back to pending, needs
 * review, version + 1. 1 done, 0 stale, -1 error. */
int		 lineitem_update(struct req *, int64_t event_id, int64_t id,
		    int64_t version, const struct lineitem_fields *,
		    int64_t uid);
/* Remove an item at version: 1, 0 stale, -1. */
int		 lineitem_delete(struct req *, int64_t event_id, int64_t id,
		    int64_t version);

/* Mark the item reviewed by uid if still at seen_version; the task tree
 * follows (advtrack_sync_module). The caller checks the right to review
 * (adv_can_review) and writes the audit entry. 1 done, 0 stale or gone,
 * -1 error. */
int		 lineitem_review(struct req *, int64_t event_id,
		    int64_t item_id, int64_t seen_version, int64_t uid);
/* Set the operational (resource 0) or resource approval of the item to
 * state (approved | declined | pending) with reason (required to
 * decline) if still at seen_version; the task tree follows. The caller
 * checks who may approve (adv_can_review, adv_event_admin) and writes
 * the audit entry. 1 done, 0 stale or gone, -1 error, -2 refused: the
 * block does not ask for that approval, an unknown state, or a decline
 * without a reason. */
int		 lineitem_approve(struct req *, int64_t event_id,
		    int64_t item_id, int resource, const char *state,
		    const char *reason, int64_t seen_version, int64_t uid);

/* Asset-type forms: the properties (sub_id 0: of the item itself, else
 * of one sub-asset row) and the sub-assets of the asset types a set of
 * request blocks use. */
struct asset_prop {
	int64_t		 id;
	int64_t		 type_id;
	int64_t		 sub_id;	/* 0: the item's own property */
	char		*key;
	char		*label;
	enum rtype	 rtype;
	struct rt_option *opts;
	size_t		 nopts;
	int		 required;
	int		 retired;
};

struct asset_sub {
	int64_t		 id;
	int64_t		 type_id;
	char		*key;
	char		*label;
	int		 retired;
};

struct asset_forms {
	struct asset_prop *props;	/* by type, sub, position */
	size_t		 nprops;
	struct asset_sub *subs;		/* by type, position */
	size_t		 nsubs;
};

/* The forms of the asset types used by the module templates of one
 * advance (advance_id) or by one module template (template_id; the
 * other 0): two queries. 0 or -1. */
int		 lineitem_forms(struct req *, int64_t event_id,
		    int64_t advance_id, int64_t template_id,
		    struct asset_forms *);

#endif
