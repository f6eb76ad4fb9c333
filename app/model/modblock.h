/* modblock.h — the blocks of module templates (PRODUCT §13.2), read in
 * one query per list: the template editor, the respondent's form, the
 * staff view, the Advance Manager and day sheets all read them here.
 * Writes belong to the template editor (model/modtpl.c). */
#ifndef MODEL_MODBLOCK_H
#define MODEL_MODBLOCK_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "policy/answer.h"

struct req;

enum block_kind { BK_CONTENT, BK_QUESTION, BK_REQUEST };

struct mblock {
	int64_t		 id;
	int64_t		 template_id;
	int64_t		 position;
	enum block_kind	 kind;
	char		*body;		/* content: Markdown */
	char		*label;		/* question label / request name */
	char		*prompt;	/* question: Markdown */
	char		*help;		/* question: Markdown */
	enum rtype	 rtype;		/* question */
	int		 required;	/* question */
	struct rt_option *opts;		/* select types */
	size_t		 nopts;
	char		*num_min;	/* number: canonical decimal or NULL */
	char		*num_max;
	int		 num_whole;
	char		*item_label;	/* request: "Item" when unset */
	int64_t		 asset_type_id;	/* request: 0 none */
	char		*asset_type_label;
	int		 needs_op;
	int		 needs_res;
	int		 procurement;
	int64_t		 max_items;	/* 0 no cap */
	int		 retired;
	int64_t		 version;
};

/* Every block of one module template by position. *n = (size_t)-1 on
 * error. */
struct mblock *modblock_list(struct req *, int64_t event_id,
	    int64_t template_id, size_t *n);
/* Every block of the module templates one advance uses (ordered by
 * template then position). */
struct mblock *modblock_list_advance(struct req *, int64_t event_id,
	    int64_t advance_id, size_t *n);
/* Every block of every module template of the event (manager, day
 * sheets over many advances). */
struct mblock *modblock_list_event(struct req *, int64_t event_id,
	    size_t *n);
/* One block of a template: 1, 0, -1. */
int	 modblock_get(struct req *, int64_t event_id, int64_t template_id,
	    int64_t block_id, struct mblock *);
/* The answer spec of a question block in the event's zone. */
void	 modblock_spec(const struct mblock *, const char *zone,
	    struct rt_spec *);
const char *block_kind_name(enum block_kind);
/* The block as JSON (prompt_html/help_html/body_html rendered by the
 * safe Markdown renderer). */
json_object *modblock_json(struct req *, const struct mblock *);

#endif
