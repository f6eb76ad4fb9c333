/* advedit.h — writes of advances and their modules (PRODUCT §13.4), and
 * the reads only those writes need: the advance templates and module
 * templates to choose from, a template's modules to copy, and what a
 * removal deletes (kept in its audit entry). Every statement names the
 * event (AC-2) and runs in the caller's transaction; the shared reader
 * of advances and modules is model/advance.h. */
#ifndef MODEL_ADVEDIT_H
#define MODEL_ADVEDIT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct req;

#define ADV_NAME_MAX	200

/* --- advances ------------------------------------------------------------ */

/* The new advance's id, 0 when the collaborator already has one of that
 * name (ignoring case), -1 on error. Area and activity 0 for none. */
int64_t	 advedit_insert(struct req *, int64_t event_id, int64_t collab_id,
	    const char *name, int64_t template_id, int64_t area_id,
	    int64_t activity_id, int64_t user_id);
/* Is the name taken by another advance of the collaborator? 1, 0, -1. */
int	 advedit_name_taken(struct req *, int64_t event_id, int64_t collab_id,
	    const char *name, int64_t except_id);
/* Name, area and activity at version: 1 done, 0 the version moved, 2 the
 * name is taken, -1 error. */
int	 advedit_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const char *name, int64_t area_id,
	    int64_t activity_id);
/* The advance and (cascading) its modules, answers, history, line items
 * and files: 1, 0 gone, -1. Task tracking is told first (advtrack.h). */
int	 advedit_delete(struct req *, int64_t event_id, int64_t id);

/* --- templates to choose from -------------------------------------------- */

struct advedit_tpl {
	int64_t		 id;
	char		*name;
	int64_t		 modules;	/* modules it holds */
};

/* The event's advance templates by name (one query). *n = (size_t)-1
 * on error. */
struct advedit_tpl *advedit_templates(struct req *, int64_t event_id,
	    size_t *n);
/* One advance template of the event: 1, 0, -1. */
int	 advedit_template_get(struct req *, int64_t event_id, int64_t id,
	    struct advedit_tpl *);

/* A module of an advance template (§13.3), with its default due date
 * as configured: due_kind none, fixed (due_date) or before (due_days
 * before the event's start). */
struct advedit_tplmod {
	int64_t		 module_template_id;
	char		*label;
	char		*due_kind;
	char		*due_date;	/* YYYY-MM-DD when fixed */
	int64_t		 due_days;
	int		 required;
	int		 tracked;
	int		 submission;
	int64_t		 reviewer_id;	/* 0 none */
	char		*reviewer_name;
};

/* The modules of an advance template by position (one query). */
struct advedit_tplmod *advedit_template_modules(struct req *,
	    int64_t event_id, int64_t template_id, size_t *n);
/* The due date a template module gives an advance of an event starting
 * on event_start: NULL none, else "YYYY-MM-DD" (arena). */
const char *advedit_due_resolve(struct req *, const struct advedit_tplmod *,
	    const char *event_start);

/* A module template one can add. */
struct advedit_modtpl {
	int64_t		 id;
	char		*name;		/* internal name */
	char		*label;		/* what respondents see */
	char		*category;
};

/* The event's module templates by category then name (one query). */
struct advedit_modtpl *advedit_module_templates(struct req *,
	    int64_t event_id, size_t *n);
/* One module template of the event: 1, 0, -1. */
int	 advedit_module_template_get(struct req *, int64_t event_id,
	    int64_t id, struct advedit_modtpl *);

/* --- modules ------------------------------------------------------------- */

/* The settings of an advance module (§13.4). */
struct advedit_modset {
	const char	*due_date;	/* YYYY-MM-DD, NULL none */
	int		 required;
	int		 tracked;
	int		 submission;
	int64_t		 reviewer_id;	/* 0 none */
};

/* Add a module at position: its id, 0 when the advance already has
 * that module template, -1 on error. */
int64_t	 advedit_mod_insert(struct req *, int64_t event_id,
	    int64_t advance_id, int64_t module_template_id, int64_t position,
	    const struct advedit_modset *);
/* Due date, required, submission and reviewer at version (tracking has
 * its own route): 1 done, 0 the version moved, -1 error. */
int	 advedit_mod_update(struct req *, int64_t event_id, int64_t id,
	    int64_t version, const struct advedit_modset *);
/* Set one module's position (reordering). 0 or -1. */
int	 advedit_mod_position(struct req *, int64_t event_id, int64_t id,
	    int64_t position);
/* Lock every module row of an advance (FOR UPDATE) before a removal
 * reads what it deletes. 0 or -1. */
int	 advedit_lock_modules(struct req *, int64_t event_id,
	    int64_t advance_id);
/* Remove a module (its answers, history, items and files cascade) and
 * close the gap it leaves: 1, 0 gone, -1. */
int	 advedit_mod_delete(struct req *, int64_t event_id,
	    int64_t advance_id, int64_t id, int64_t position);

/* What removing the advance (module_id 0) or one of its modules
 * deletes, for the audit entry: {answers: [{module, block_id, question,
 * value}], line_items: [{id, module, request, description, quantity,
 * notes, props, operational, resource}], files: [{id, module, block_id,
 * name, size}]}. Three queries; NULL on error. */
json_object *advedit_contents_json(struct req *, int64_t event_id,
	    int64_t advance_id, int64_t module_id);

#endif
