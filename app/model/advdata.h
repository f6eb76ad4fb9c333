/* advdata.h — answers and line items of many advances at once (day
 * sheets, area and activity pages): one query each for the advances
 * scoped to an area, to an activity, or of a collaborator. */
#ifndef MODEL_ADVDATA_H
#define MODEL_ADVDATA_H

#include <stddef.h>
#include <stdint.h>

struct req;

/* The scope: exactly one of area, activity, collab is non-zero. */
struct advdata_scope {
	int64_t		 area_id;
	int64_t		 activity_id;
	int64_t		 collab_id;
};

struct advdata_answer {
	int64_t		 module_id;	/* advance module */
	int64_t		 block_id;
	char		*value;		/* canonical (policy/answer.h) */
	int		 needs_review;
};

struct advdata_item {
	int64_t		 id;
	int64_t		 module_id;
	int64_t		 block_id;
	char		*description;	/* without an asset type */
	int64_t		 quantity;
	char		*props;		/* with one: {"props":…, "subs":…} */
	char		*op_state;	/* pending | approved | declined */
	char		*op_reason;
	char		*res_state;
	char		*res_reason;
	int		 needs_review;
};

/* An asset-type property with its sub-asset (sub_key NULL for the
 * type's own), for labelling item properties. */
struct advdata_prop {
	int64_t		 asset_type_id;
	char		*sub_key;
	char		*sub_label;
	char		*key;
	char		*label;
	char		*rtype;
	char		*options;
	int		 retired;
};

/* Each: the rows (arena) with *n set; *n = (size_t)-1 on error. */
struct advdata_answer *advdata_answers(struct req *, int64_t event_id,
	    const struct advdata_scope *, size_t *n);
struct advdata_item *advdata_items(struct req *, int64_t event_id,
	    const struct advdata_scope *, size_t *n);
/* Every asset property of the event by type, sub-asset, position. */
struct advdata_prop *advdata_props(struct req *, int64_t event_id,
	    size_t *n);

#endif
