/* modtpl.h — module categories, module templates and the writes of
 * their blocks (PRODUCT §13.2). Blocks are read through
 * model/modblock.h; here they are inserted, changed, moved, retired and
 * deleted, always inside the caller's transaction with the template row
 * locked (modtpl_lock), so positions stay dense under concurrent
 * editors. Every block change also raises the template's version
 * (modtpl_touch): its strong ETag covers the blocks. */
#ifndef MODEL_MODTPL_H
#define MODEL_MODTPL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "model/modblock.h"

struct req;

#define MODTPL_BLOCKS_MAX	500	/* blocks of one template */

struct mcat {
	int64_t		 id;
	char		*name;
	char		*icon;
	int64_t		 position;
	int64_t		 version;
	int64_t		 ntemplates;	/* lists only */
};

struct mtpl {
	int64_t		 id;
	char		*name;
	char		*label;
	char		*icon;
	int64_t		 category_id;
	char		*category_name;	/* get and list */
	char		*note;
	char		*created_at;
	char		*updated_at;
	int64_t		 version;
	int64_t		 nblocks;	/* get and list: not retired */
	int64_t		 nadvances;	/* advances using it */
	int64_t		 natpls;	/* advance templates using it */
};

struct mtpl_fields {
	const char	*name;
	const char	*label;
	const char	*icon;
	int64_t		 category_id;
	const char	*note;
};

/* What a block holds; the kind decides which fields mean something
 * (the others are stored NULL / 0). */
struct mblock_fields {
	enum block_kind	 kind;
	const char	*body;
	const char	*label;		/* question label / request name */
	const char	*prompt;
	const char	*help;
	enum rtype	 rtype;
	int		 required;
	const char	*options;	/* JSON text or NULL */
	const char	*num_min;
	const char	*num_max;
	int		 num_whole;
	const char	*item_label;
	int64_t		 asset_type_id;	/* 0 none */
	int		 needs_op;
	int		 needs_res;
	int		 procurement;
	int64_t		 max_items;	/* 0 no cap */
	int		 retired;
};

/* How often a block was answered: answer rows and line items. */
struct mblock_use {
	int64_t		 block_id;
	int64_t		 answers;
	int64_t		 items;
};

/* --- categories ---------------------------------------------------------- */

/* Every category by position with its template count (one query). */
struct mcat	*modtpl_cat_list(struct req *, int64_t event_id, size_t *n);
/* The same without counts, every row locked (FOR UPDATE): the first
 * read of a category write. */
struct mcat	*modtpl_cat_list_lock(struct req *, int64_t event_id,
	    size_t *n);
int	 modtpl_cat_get(struct req *, int64_t event_id, int64_t id,
	    struct mcat *);
int	 modtpl_cat_lock(struct req *, int64_t event_id, int64_t id,
	    struct mcat *);
int	 modtpl_cat_name_taken(struct req *, int64_t event_id,
	    const char *name, int64_t except_id);
/* Insert last: the id, 0 name taken (unique key), -1. */
int64_t	 modtpl_cat_insert(struct req *, int64_t event_id,
	    const char *name, const char *icon);
/* 1 done, 0 version moved, 2 name taken, -1. */
int	 modtpl_cat_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const char *name, const char *icon);
int	 modtpl_cat_move(struct req *, int64_t event_id, const struct mcat *,
	    int64_t to_position);
int	 modtpl_cat_delete(struct req *, int64_t event_id,
	    const struct mcat *);
/* The templates in a category: [{id, name}] (new reference) or NULL. */
json_object *modtpl_cat_users(struct req *, int64_t event_id, int64_t id);
json_object *modtpl_cat_json(struct req *, const struct mcat *);

/* --- templates ----------------------------------------------------------- */

/* Every template of the event by category position then name, with its
 * category and counts (one query). */
struct mtpl	*modtpl_list(struct req *, int64_t event_id, size_t *n);
/* One template with category and counts: 1, 0, -1. */
int	 modtpl_get(struct req *, int64_t event_id, int64_t id,
	    struct mtpl *);
/* Lock the row (FOR UPDATE; the template's own columns only). */
int	 modtpl_lock(struct req *, int64_t event_id, int64_t id,
	    struct mtpl *);
int	 modtpl_name_taken(struct req *, int64_t event_id, const char *name,
	    int64_t except_id);
int64_t	 modtpl_insert(struct req *, int64_t event_id,
	    const struct mtpl_fields *);
int	 modtpl_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const struct mtpl_fields *);
int	 modtpl_touch(struct req *, int64_t event_id, int64_t id,
	    int64_t version);
/* Delete with its blocks: 1, 0, -1. */
int	 modtpl_delete(struct req *, int64_t event_id, int64_t id);
/* What uses a template: advance templates [{id, name}] and advances
 * [{id, name, collaborator_name}] (new references); -1 on error. */
int	 modtpl_users(struct req *, int64_t event_id, int64_t id,
	    json_object **atpls, json_object **advances);
json_object *modtpl_json(struct req *, const struct mtpl *);

/* --- blocks -------------------------------------------------------------- */

/* Insert at position (the blocks from there move down): the id or -1. */
int64_t	 modtpl_block_insert(struct req *, int64_t event_id,
	    int64_t template_id, int64_t position,
	    const struct mblock_fields *);
/* Update at version: 1 done, 0 version moved, -1. */
int	 modtpl_block_update(struct req *, int64_t event_id,
	    int64_t template_id, int64_t id, int64_t version,
	    const struct mblock_fields *);
int	 modtpl_block_retire(struct req *, int64_t event_id,
	    int64_t template_id, int64_t id, int64_t version);
int	 modtpl_block_move(struct req *, int64_t event_id,
	    int64_t template_id, const struct mblock *, int64_t to_position);
int	 modtpl_block_delete(struct req *, int64_t event_id,
	    int64_t template_id, const struct mblock *);
/* Answers and line items per block of a template (one query). */
struct mblock_use *modtpl_block_use(struct req *, int64_t event_id,
	    int64_t template_id, size_t *n);
/* The distinct answers given to a block (option keys in use). */
char	**modtpl_block_values(struct req *, int64_t event_id,
	    int64_t block_id, size_t *n);

/* --- shared by the configuration models (modtpl.c, assettype.c,
 * advtpl.c): the results of their statements ------------------------- */
struct dbq;

/* A name check: q counts the event's rows named name other than
 * except_id ("isi"). 1 taken, 0 free, -1 error. */
int	 cfgdb_taken(struct dbq *q, int64_t event_id, const char *name,
	    int64_t except_id);
/* An INSERT's result: the new id, 0 a duplicate key, -1 an error. */
int64_t	 cfgdb_inserted(int64_t rc);
/* An UPDATE of one versioned row: 1 done, 0 stale version, 2 a
 * duplicate key, -1 an error. */
int	 cfgdb_updated(int64_t rc);
/* A statement on one row: 1 done, 0 no such row, -1 an error. */
int	 cfgdb_one(int64_t rc);
/* One row of the event by id: q selects "ii" (id, event_id), fetch
 * reads it. 1, 0 none, -1 an error. */
int	 cfgdb_get(struct req *, struct dbq *q, int64_t event_id, int64_t id,
	    int (*fetch)(struct req *, struct dbq *, void *row), void *row);
/* A row of stored values (one string column), NULL values passed
 * over: a fetch for cfgdb_rows. */
int	 cfgdb_value_row(struct req *, struct dbq *, void *row);
/* The rows of a list (adv_rows of model/advance.h) once selected: sel
 * is db_select's result. NULL with *n = (size_t)-1 on an error. */
void	*cfgdb_rows(struct req *, struct dbq *q, int sel,
	    int (*fetch)(struct req *, struct dbq *, void *row), size_t sz,
	    size_t max, size_t *n);

#endif
