/* advconfig.h — handlers and field indexes of the advancing
 * configuration routes (PRODUCT §13.1–§13.3): asset types, module
 * categories, module templates with their blocks, advance templates;
 * plus the helpers the four page files share (advconfig.c). */
#ifndef PAGES_ADVCONFIG_H
#define PAGES_ADVCONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct req;
struct event_ctx;
struct rt_option;

/* advconfig.c — module categories */
int	 h_mcats(struct req *);
int	 h_mcat_create(struct req *);
int	 h_mcat(struct req *);
int	 h_mcat_update(struct req *);
int	 h_mcat_move(struct req *);
int	 h_mcat_delete(struct req *);

/* assettypes.c — asset types, their properties and sub-assets */
int	 h_atypes(struct req *);
int	 h_atype_new(struct req *);
int	 h_atype_create(struct req *);
int	 h_atype(struct req *);
int	 h_atype_update(struct req *);
int	 h_atype_delete_form(struct req *);
int	 h_atype_delete(struct req *);
int	 h_aprop_create(struct req *);
int	 h_aprop_update(struct req *);
int	 h_aprop_move(struct req *);
int	 h_aprop_delete(struct req *);
int	 h_asub_create(struct req *);
int	 h_asub_update(struct req *);
int	 h_asub_move(struct req *);
int	 h_asub_delete(struct req *);

/* modtemplates.c — module templates and their blocks */
int	 h_mtpls(struct req *);
int	 h_mtpl_new(struct req *);
int	 h_mtpl_create(struct req *);
int	 h_mtpl(struct req *);
int	 h_mtpl_update(struct req *);
int	 h_mtpl_delete_form(struct req *);
int	 h_mtpl_delete(struct req *);
int	 h_mblock_create(struct req *);
int	 h_mblock(struct req *);
int	 h_mblock_update(struct req *);
int	 h_mblock_move(struct req *);
int	 h_mblock_delete(struct req *);

/* advtemplates.c — advance templates and their modules */
int	 h_atpls(struct req *);
int	 h_atpl_new(struct req *);
int	 h_atpl_create(struct req *);
int	 h_atpl(struct req *);
int	 h_atpl_update(struct req *);
int	 h_atpl_delete_form(struct req *);
int	 h_atpl_delete(struct req *);
int	 h_atmod_create(struct req *);
int	 h_atmod_update(struct req *);
int	 h_atmod_move(struct req *);
int	 h_atmod_delete(struct req *);

/* Field indexes, parallel to fields_advconfig.inc. */
enum { CFGMOVE_POSITION, CFGMOVE_VERSION };
enum { CFGDEL_VERSION };
enum { MCAT_NAME, MCAT_ICON, MCAT_VERSION };
enum { ATYPE_NAME, ATYPE_LABEL, ATYPE_ICON, ATYPE_CATEGORY,
    ATYPE_ITEM_LABEL, ATYPE_VERSION };
enum { APROP_KEY, APROP_LABEL, APROP_TYPE, APROP_OPTIONS, APROP_RESTORE,
    APROP_REQUIRED, APROP_RETIRED, APROP_SUB, APROP_POSITION,
    APROP_VERSION };
enum { ASUB_KEY, ASUB_LABEL, ASUB_RETIRED, ASUB_VERSION };
enum { MTPL_NAME, MTPL_LABEL, MTPL_ICON, MTPL_CATEGORY, MTPL_NOTE,
    MTPL_VERSION };
enum { MBLK_KIND, MBLK_BODY, MBLK_LABEL, MBLK_NAME, MBLK_PROMPT, MBLK_HELP,
    MBLK_TYPE, MBLK_REQUIRED, MBLK_OPTIONS, MBLK_RESTORE, MBLK_MIN,
    MBLK_MAX, MBLK_WHOLE, MBLK_ITEM_LABEL, MBLK_ASSET_TYPE, MBLK_NEEDS_OP,
    MBLK_NEEDS_RES, MBLK_PROCUREMENT, MBLK_MAX_ITEMS, MBLK_RETIRED,
    MBLK_POSITION, MBLK_VERSION };
enum { ATPL_NAME, ATPL_VERSION };
enum { ATMOD_TEMPLATE, ATMOD_DUE_KIND, ATMOD_DUE_DATE, ATMOD_DUE_DAYS,
    ATMOD_REQUIRED, ATMOD_TRACKED, ATMOD_SUBMISSION, ATMOD_REVIEWER,
    ATMOD_POSITION, ATMOD_VERSION };

/* --- shared by the advconfig page files (advconfig.c) ------------------ */

/* What a route needs: read (staff with advancing view somewhere), the
 * admin's forms (Event-domain advancing admin), or a write (admin on an
 * active event). */
enum cfg_need { CFG_READ, CFG_ADMIN, CFG_WRITE };

/* Load {event} and check the actor: 0 to go on, else the status sent
 * (404 not on the event or a respondent, 403 without Event-domain
 * advancing admin, 409 archived). */
int	 advcfg_gate(struct req *, struct event_ctx *, enum cfg_need);
/* May the actor change configuration now (admin, event active)? */
int	 advcfg_can_edit(const struct event_ctx *);
/* Begin a write: the event's shared lock and its status (0, or the
 * status sent: 409 archived, 503). */
int	 advcfg_begin(struct req *, const struct event_ctx *);
/* A field counts as sent: HTML forms send every field; JSON bodies
 * only those they name (the others keep their value). */
int	 advcfg_sent(struct req *, int idx);
/* Removals state the version they saw: a version field, or for JSON an
 * If-Match header. 0 fine, 1 with an error added (or already there). */
int	 advcfg_need_version(struct req *, int idx);
/* A required text field: read when sent (JSON: named) or when force
 * (creation); *dst becomes its value, or stays and a "required" error
 * with msg is added to field. */
void	 advcfg_read_required(struct req *, int idx, const char *field,
	    const char *msg, int force, const char **dst);
/* The icon field when sent: "" for none, an unknown name an error. */
void	 advcfg_read_icon(struct req *, int idx, const char **dst);
/* Already an error on field? (so "required" does not follow a range
 * error of valid.c) */
int	 advcfg_has_error(struct req *, const char *field);
/* A change {"old", "new"} under key in ch (created when NULL); strings
 * that are equal add nothing. Returns ch. */
json_object *advcfg_change(json_object *ch, const char *key,
	    const char *old, const char *new);
json_object *advcfg_change_int(json_object *ch, const char *key,
	    int64_t old, int64_t new);
/* The view every page of the group starts from: the event header with
 * Advancing current, the configuration tabs (tab names "asset-types",
 * "categories", "module-templates", "advance-templates") and can_edit. */
json_object *advcfg_view(struct req *, const struct event_ctx *,
	    const char *tab);
const char *advcfg_url(struct req *, const struct event_ctx *,
	    const char *suffix);
/* Rows of the 409 page of a stale form: {label, yours, current} added
 * to rows when the two differ. */
void	 advcfg_conflict_row(json_object *rows, const char *label,
	    const char *yours, const char *current);
/* The conflict box of a form: {rows, has_rows} (rows referenced). */
json_object *advcfg_conflict(json_object *rows);

/* --- the shapes every handler of the group shares ---------------------- */

/* "1 module", "3 modules". */
const char *advcfg_plural(struct req *, int64_t n, const char *one,
	    const char *many);
/* Send a page of the group: 422 as render_invalid (the typed values
 * and errors), other statuses as render_page. Rolls back first. */
int	 advcfg_page(struct req *, int status, const char *tmpl,
	    const char *title, json_object *v);
/* What a "new" form page says of its object. */
struct advcfg_new {
	const char	*tab;		/* of advcfg_view */
	const char	*list_suffix;	/* the list: posted to, Cancel */
	const char	*list_label;	/* "Asset types" */
	const char	*what;		/* "asset type" */
	const char	*next;		/* what comes after creating it */
};
/* The view of a "new" form page (template advconfig/new_head and
 * new_foot around the object's fields): the frame, the form, the URLs
 * and the texts of the card. */
json_object *advcfg_new_view(struct req *, const struct event_ctx *,
	    const struct advcfg_new *, json_object *form);
/* GET of a "new" form: gated for a write, then page(r, 200, c, 0),
 * the page file's form (typed 0: empty). */
int	 advcfg_new_form(struct req *, int (*page)(struct req *, int,
	    const struct event_ctx *, int));
/* Send it (advcfg_page with the title "New <what>"). */
int	 advcfg_new_page(struct req *, int status, const char *tmpl,
	    const struct advcfg_new *, json_object *v);
/* A list page's rows: items, count and next_cursor (one page). */
void	 advcfg_list_into(json_object *v, json_object *items, size_t n);
/* A read of one object (st: 1 found, 0 none, <0 error): 0 to go on,
 * else the status sent (404, 503). */
int	 advcfg_found(struct req *, int st);
/* Start a write on {id}: 404 for no id, else advcfg_begin. */
int	 advcfg_begin_id(struct req *, const struct event_ctx *, int64_t id);
/* The form's version field names another version than the object's. */
int	 advcfg_version_stale(struct req *, int idx, int64_t version);
/* A stale form: JSON gets 409 edit-conflict (returned); HTML returns 0
 * with the errors cleared and *rows an array (created when NULL) for
 * the caller's 409 page. */
int	 advcfg_stale(struct req *, const char *name, int64_t version,
	    json_object **rows);
/* The write's audit entry (ch released), then commit: 0, or 503. */
int	 advcfg_commit(struct req *, const struct event_ctx *,
	    const char *action, const char *type, int64_t id,
	    const char *name, json_object *ch);
/* After a write, JSON: obj under key with its ETag, result when given,
 * and for a 201 with location a Location header. */
int	 advcfg_json_written(struct req *, int status, const char *key,
	    json_object *obj, int64_t id, int64_t version,
	    const char *location, const char *result);
/* After a write, HTML: a flash and 303 to url (#anchor when given). */
int	 advcfg_redirect(struct req *, const char *msg, const char *url,
	    const char *anchor);
/* A removal confirmed for another version than the stored one: 409
 * edit-conflict sent (returned). */
int	 advcfg_delete_stale(struct req *, const char *name, int64_t version);
/* A removal refused because the object is used (why names the users):
 * JSON gets 409 in-use (returned); HTML returns 0, the transaction
 * ended, for the caller's 409 page with the refusal. */
int	 advcfg_in_use(struct req *, const char *why);
/* The confirmation page of a removal ("Delete <name>"). */
int	 advcfg_delete_page(struct req *, int status, const char *tmpl,
	    const char *name, json_object *v);
/* After a removal: 204 JSON, or a flash and 303 to the list (suffix). */
int	 advcfg_deleted(struct req *, const struct event_ctx *,
	    const char *list_suffix, const char *msg);
/* One form of a page after a failed write: the failed one open with its
 * conflict rows, the others with their errors hidden. */
void	 advcfg_form_state(json_object *form, int mine, int failed,
	    json_object *conflict);
/* Moves and removals of a row: before locking, is the request refused
 * already (a move without its position, a removal without the version
 * it saw: 422)? After locking, does the version its form names differ
 * from version? */
int	 advcfg_row_invalid(struct req *, int removal);
int	 advcfg_row_stale(struct req *, int removal, int64_t version);
/* A row of an ordered list (template advconfig/order): its url, move
 * and delete URLs, and the up/down controls of row i of n, named by
 * label for screen readers. */
void	 advcfg_row_json(struct req *, json_object *o, const char *url,
	    size_t i, size_t n, const char *label);
/* Where a move goes: the requested position, past the end the last. */
int64_t	 advcfg_move_to(struct req *, size_t n);
/* "There is already <what> named “name” in this event." on name. */
void	 advcfg_name_taken(struct req *, const char *what, const char *name);

/* Icons: a small built-in set shared by asset types, categories and
 * module templates ("" for none). */
int	 advcfg_icon_valid(const char *);
const char *advcfg_icon_glyph(const char *);
json_object *advcfg_icons_json(const char *selected);

/* Select options as edited: the request's options (HTML: options_text,
 * one "Label" or "key | Label" a line, plus restore_options keys; JSON:
 * "options" [{key?, label, retired?}] or ["Label", …]) against the
 * current ones. Keys stay stable; new options get the next "oN". */
struct optedit {
	int		 given;		/* the request sent options */
	struct rt_option *opts;		/* result: active, then retired */
	size_t		 nopts;
	struct rt_option *dropped;	/* current options left out */
	size_t		 ndropped;
};
/* The field options errors are named by: "options" for JSON bodies,
 * the form's "options_text" otherwise. */
const char *advcfg_options_field(const struct req *);
/* Read them; errors go to field. 0, or 1 with a field error. */
int	 advcfg_options_read(struct req *, const char *field, int idx_text,
	    int idx_restore, const struct rt_option *cur, size_t ncur,
	    struct optedit *);
/* How many of the result's options are offered (not retired). */
size_t	 advcfg_options_active(const struct optedit *);
/* Options left out that answers use (values: the stored answers) are
 * kept as retired instead of dropped. */
void	 advcfg_options_keep_used(struct req *, struct optedit *,
	    char *const *values, size_t nvalues);
/* The options as stored (JSON text), or NULL with a field error when
 * they are too long in total. */
char	*advcfg_options_text(struct req *, const char *field,
	    const struct optedit *);
/* The options as the form shows them: the textarea's text ("key |
 * Label" lines of active options) and the retired ones. */
const char *advcfg_options_lines(struct req *, const struct rt_option *,
	    size_t);
json_object *advcfg_options_retired(const struct rt_option *, size_t);
/* Does a stored answer name option key (select, multi-select, arrays
 * of them)? */
int	 advcfg_value_has_key(const char *value, const char *key);

#endif
