/* assettype.h — asset types (PRODUCT §13.1): the typed properties and
 * repeatable sub-assets a request block's line items are made of.
 *
 * A property of the type itself has sub_id 0; a sub-asset's properties
 * carry its id. Properties and sub-assets have no version of their own:
 * every change to them raises the asset type's version (atype_touch),
 * so the type's strong ETag covers its whole definition.
 *
 * Line-item values live in line_items.props as
 * {"props": {"<pkey>": v}, "subs": {"<skey>": [{"<pkey>": v}]}}; the
 * "has values" questions read them with JSON paths built from stored
 * keys (atype_path), never from request text. */
#ifndef MODEL_ASSETTYPE_H
#define MODEL_ASSETTYPE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "policy/answer.h"

struct req;

#define ATYPE_KEY_MAX	64	/* property and sub-asset keys */
#define ATYPE_PROPS_MAX	200	/* properties of one type, subs included */
#define ATYPE_SUBS_MAX	20

struct aprop {
	int64_t		 id;
	int64_t		 sub_id;	/* 0: the type's own */
	char		*key;
	char		*label;
	enum rtype	 rtype;
	struct rt_option *opts;
	size_t		 nopts;
	int		 required;
	int		 retired;
	int64_t		 position;
};

struct asub {
	int64_t		 id;
	char		*key;
	char		*label;
	int		 retired;
	int64_t		 position;
};

struct atype {
	int64_t		 id;
	char		*name;
	char		*label;
	char		*icon;
	char		*category;
	char		*item_label;
	char		*created_at;	/* RFC 3339 UTC */
	char		*updated_at;
	int64_t		 version;
	/* lists only */
	int64_t		 nprops_count;
	int64_t		 nsubs_count;
	int64_t		 nblocks;	/* request blocks using it */
	/* atype_parts */
	struct aprop	*props;		/* by sub (own first), position */
	size_t		 nprops;
	struct asub	*subs;		/* by position */
	size_t		 nsubs;
};

/* The editable fields of a type. */
struct atype_fields {
	const char	*name;
	const char	*label;
	const char	*icon;
	const char	*category;
	const char	*item_label;
};

/* Every type of the event by label, with counts (one query). *n =
 * (size_t)-1 on error. */
struct atype	*atype_list(struct req *, int64_t event_id, size_t *n);
/* One type (lock: FOR UPDATE): 1, 0, -1. */
int	 atype_get(struct req *, int64_t event_id, int64_t id,
	    struct atype *);
int	 atype_lock(struct req *, int64_t event_id, int64_t id,
	    struct atype *);
/* Its properties and sub-assets (two queries): 0 or -1. */
int	 atype_parts(struct req *, int64_t event_id, struct atype *);
/* Is name used by another type of the event (case-insensitive)? 1, 0,
 * -1. */
int	 atype_name_taken(struct req *, int64_t event_id, const char *name,
	    int64_t except_id);
/* Insert: the new id, 0 when the name's unique key refused it, -1. */
int64_t	 atype_insert(struct req *, int64_t event_id,
	    const struct atype_fields *);
/* Update at version: 1 done, 0 version moved, 2 name taken, -1. */
int	 atype_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const struct atype_fields *);
/* A property or sub-asset changed: version + 1. 1, 0, -1. */
int	 atype_touch(struct req *, int64_t event_id, int64_t id,
	    int64_t version);
/* Delete with its properties and sub-assets: 1, 0, -1. */
int	 atype_delete(struct req *, int64_t event_id, int64_t id);
/* The request blocks naming the type: [{template_id, template_name,
 * block_id, block_name, retired}] (a new reference), NULL on error. */
json_object *atype_users(struct req *, int64_t event_id, int64_t id);

/* Properties. Positions are per group (the type's own, or one sub). */
int64_t	 aprop_insert(struct req *, int64_t event_id, int64_t type_id,
	    int64_t sub_id, int64_t position, const char *key,
	    const char *label, enum rtype, const char *options, int required);
int	 aprop_update(struct req *, int64_t event_id, int64_t id,
	    const char *label, enum rtype, const char *options, int required,
	    int retired);
int	 aprop_delete(struct req *, int64_t event_id, int64_t type_id,
	    const struct aprop *);
int	 aprop_move(struct req *, int64_t event_id, int64_t type_id,
	    const struct aprop *, int64_t to_position);

/* Sub-assets. */
int64_t	 asub_insert(struct req *, int64_t event_id, int64_t type_id,
	    const char *key, const char *label);
int	 asub_update(struct req *, int64_t event_id, int64_t id,
	    const char *label, int retired);
int	 asub_delete(struct req *, int64_t event_id, int64_t type_id,
	    const struct asub *);
int	 asub_move(struct req *, int64_t event_id, int64_t type_id,
	    const struct asub *, int64_t to_position);

/* The JSON path of a property's values in line_items.props: sub_key
 * NULL for the type's own properties (arena). */
const char *atype_path(struct req *, const char *sub_key, const char *key);
/* How many line items hold a value at path (a property), or hold rows
 * of a sub-asset (path of the sub: "$.subs.\"k\""): -1 on error. */
int64_t	 atype_values_count(struct req *, int64_t event_id,
	    int64_t type_id, const char *path);
int64_t	 atype_sub_rows_count(struct req *, int64_t event_id,
	    int64_t type_id, const char *path);
/* The values stored at path as JSON texts, to find option keys in use
 * (one query). *n = (size_t)-1 on error. */
char	**atype_values(struct req *, int64_t event_id, int64_t type_id,
	    const char *path, size_t *n);

/* Is s a valid key: a-z first, then a-z 0-9 _, at most 64? */
int	 atype_key_valid(const char *);

/* The type; parts: with its properties and sub-assets (atype_parts),
 * else with the list's counts. */
json_object *atype_json(struct req *, const struct atype *, int parts);
json_object *aprop_json(const struct aprop *);

#endif
