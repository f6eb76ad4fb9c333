/* advtpl.h — advance templates (PRODUCT §13.3): a name and ordered
 * module templates, each with a default due date, flags and an
 * optional default reviewer. A starting point copied into advances;
 * editing it never touches advances made from it.
 *
 * Modules have no version of their own: every change to them raises
 * the template's version (advtpl_touch), so its ETag covers them. */
#ifndef MODEL_ADVTPL_H
#define MODEL_ADVTPL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct req;

#define ADVTPL_MODULES_MAX	200
#define ADVTPL_DUE_DAYS_MAX	730

enum due_kind { DUE_NONE, DUE_FIXED, DUE_BEFORE };

struct atpl {
	int64_t		 id;
	char		*name;
	char		*created_at;
	char		*updated_at;
	int64_t		 version;
	int64_t		 nmodules;	/* get and list */
	int64_t		 nadvances;	/* advances made from it */
};

struct atmod {
	int64_t		 id;
	int64_t		 module_template_id;
	char		*mt_name;
	char		*mt_label;
	char		*mt_icon;
	int64_t		 position;
	enum due_kind	 due_kind;
	char		*due_date;	/* fixed: YYYY-MM-DD */
	int64_t		 due_days;	/* before: days before the start */
	int		 required;
	int		 tracked;
	int		 submission;
	int64_t		 reviewer_id;	/* 0 none */
	char		*reviewer_name;
};

struct atmod_fields {
	int64_t		 module_template_id;
	enum due_kind	 due_kind;
	const char	*due_date;
	int64_t		 due_days;
	int		 required;
	int		 tracked;
	int		 submission;
	int64_t		 reviewer_id;
};

struct atpl	*advtpl_list(struct req *, int64_t event_id, size_t *n);
int	 advtpl_get(struct req *, int64_t event_id, int64_t id,
	    struct atpl *);
int	 advtpl_lock(struct req *, int64_t event_id, int64_t id,
	    struct atpl *);
int	 advtpl_name_taken(struct req *, int64_t event_id, const char *name,
	    int64_t except_id);
/* The new id, 0 name taken, -1. */
int64_t	 advtpl_insert(struct req *, int64_t event_id, const char *name);
/* 1 done, 0 version moved, 2 name taken, -1. */
int	 advtpl_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const char *name);
int	 advtpl_touch(struct req *, int64_t event_id, int64_t id,
	    int64_t version);
/* Delete with its modules (advances made from it keep theirs and lose
 * the reference): 1, 0, -1. */
int	 advtpl_delete(struct req *, int64_t event_id, int64_t id);

/* The modules of one template by position (one query). */
struct atmod	*advtpl_modules(struct req *, int64_t event_id, int64_t id,
	    size_t *n);
/* Insert at position: the id, 0 that module template is already in
 * this advance template, -1. */
int64_t	 advtpl_mod_insert(struct req *, int64_t event_id, int64_t id,
	    int64_t position, const struct atmod_fields *);
int	 advtpl_mod_update(struct req *, int64_t event_id, int64_t module_id,
	    const struct atmod_fields *);
int	 advtpl_mod_move(struct req *, int64_t event_id, int64_t id,
	    const struct atmod *, int64_t to_position);
int	 advtpl_mod_delete(struct req *, int64_t event_id, int64_t id,
	    const struct atmod *);

const char	*due_kind_name(enum due_kind);
int		 due_kind_parse(const char *, enum due_kind *);
json_object	*advtpl_json(struct req *, const struct atpl *);
json_object	*atmod_json(const struct atmod *);

#endif
