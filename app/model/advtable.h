/* advtable.h — answers, files and line items of many advances at once
 * (the Advance Manager, PRODUCT §13.10; day sheets, area and activity
 * pages): one query each for the advances of an event narrowed by a
 * scope, and the asset types that describe items.
 * Module completion, review status and overdue come from
 * model/advprogress. Nothing here decides who may see what:
 * pages/advmanager.c filters by adv_level().
 *
 * Every list comes ordered by (advance module, block) so lookups are
 * binary searches and a page's query count never grows with its rows. */
#ifndef MODEL_ADVTABLE_H
#define MODEL_ADVTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "model/advprogress.h"

struct req;

/* A module template as the manager names it. */
struct mtpl {
	int64_t		 id;
	char		*name;		/* internal, unique */
	char		*label;		/* what respondents see */
	char		*icon;
	char		*category;
};

/* Which advances: every field 0 means any, so a zeroed scope is the
 * whole event. */
struct adv_scope {
	int64_t		 template_id;	/* modules of one module template */
	int64_t		 area_id;	/* advances scoped to an area */
	int64_t		 activity_id;	/* ... to an activity */
	int64_t		 collab_id;	/* advances of a collaborator */
	int64_t		 block_id;	/* items: of one request block */
};

/* One answer. */
struct adv_answer {
	int64_t		 id;
	int64_t		 module_id;	/* advance module */
	int64_t		 block_id;
	char		*value;		/* canonical text */
	int		 needs_review;
	int64_t		 version;
	char		*reviewed_by;	/* name, NULL when never reviewed */
	char		*reviewed_at;	/* RFC 3339 UTC */
	char		*updated_by;
	char		*updated_at;
};

/* One stored file of a file answer. */
struct adv_file {
	int64_t		 id;
	int64_t		 module_id;
	int64_t		 block_id;
	char		*name;
	char		*ctype;
	int64_t		 size;
};

/* One approval of a line item. */
struct adv_approval {
	char		*state;		/* pending, approved, declined */
	char		*by;		/* name */
	char		*at;		/* RFC 3339 UTC */
	char		*reason;
};

/* One request line item with what the manager shows beside it. */
struct adv_item {
	int64_t		 id;
	int64_t		 module_id;
	int64_t		 block_id;
	int64_t		 advance_id;
	int64_t		 template_id;	/* module template */
	int64_t		 position;
	char		*description;	/* items without an asset type */
	int64_t		 quantity;
	char		*notes;
	char		*props;		/* JSON text, asset-typed items */
	int		 needs_review;
	char		*reviewed_by;
	char		*reviewed_at;
	struct adv_approval op, res;
	int		 procurement_linked;
	char		*created_at;
	char		*updated_at;
	int64_t		 version;
	/* from the request block */
	char		*block_label;
	char		*item_label;	/* the block's, NULL unset */
	int64_t		 asset_type_id;	/* 0 none */
	int		 needs_op;
	int		 needs_res;
};

/* Asset types with their properties and sub-assets (§13.1). */
struct adv_prop {
	int64_t		 id;
	int64_t		 asset_type_id;
	int64_t		 sub_id;	/* 0: a property of the type itself */
	char		*key;
	char		*label;
	char		*rtype;
	char		*options;	/* JSON text of select options */
	int		 retired;
};
struct adv_sub {
	int64_t		 id;
	int64_t		 asset_type_id;
	char		*key;
	char		*label;
	int		 retired;
};
struct adv_asset_type {
	int64_t		 id;
	char		*name;
	char		*label;
	char		*item_label;
};
struct adv_assets {
	struct adv_asset_type *types;
	size_t		 ntypes;
	struct adv_prop	*props;		/* by type, sub (0 first, then by
					   the sub's position), position */
	size_t		 nprops;
	struct adv_sub	*subs;		/* by type, position */
	size_t		 nsubs;
};

/* The module template id of this event: 1, 0 not here, -1 error. */
int	 advtable_template(struct req *, int64_t event_id, int64_t id,
	    struct mtpl *);
/* Answers in the scope with values and names, by module and block. *n =
 * (size_t)-1 on error. */
struct adv_answer *advtable_answers(struct req *, int64_t event_id,
	    const struct adv_scope *, size_t *n);
/* Files of file answers of the modules of one template. */
struct adv_file *advtable_files(struct req *, int64_t event_id,
	    int64_t template_id, size_t *n);
/* Line items in the scope, ordered by module, block, position. */
struct adv_item *advtable_items(struct req *, int64_t event_id,
	    const struct adv_scope *, size_t *n);
/* Every asset type of the event with properties and sub-assets (three
 * queries). 0 or -1. */
int	 advtable_assets(struct req *, int64_t event_id, struct adv_assets *);

/* The answer of (module, block) in the ordered list, NULL none. */
const struct adv_answer *advtable_answer(const struct adv_answer *, size_t n,
	    int64_t module_id, int64_t block_id);
const struct adv_asset_type *advtable_asset_type(const struct adv_assets *,
	    int64_t id);

/* Set or clear (due NULL) a module's due date at version: 1 done, 0 the
 * version moved or the module is gone, -1 error. Runs inside the
 * caller's transaction. */
int	 advtable_set_due(struct req *, int64_t event_id, int64_t module_id,
	    int64_t version, const char *due);

#endif
