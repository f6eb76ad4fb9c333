/* advpage.h — the advance page (PRODUCT §13.5–§13.8): handlers, field
 * indexes of fields_advpage.inc, and what its files share.
 *
 *   advpage.c    who may see and change an advance, the page and module
 *                views, the module template preview, URLs and ETags
 *   advblock.c   the renderer of blocks: questions as inputs by type,
 *                request blocks as item tables and item forms
 *   advanswer.c  answers: one field, a whole module without scripting,
 *                file uploads and downloads
 *   advitems.c   request line items
 *   advreview.c  review, approvals, submission and reopening */
#ifndef PAGES_ADVPAGE_H
#define PAGES_ADVPAGE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "eventctx.h"
#include "model/advance.h"
#include "model/answer.h"
#include "model/answerfile.h"
#include "model/lineitem.h"
#include "model/modblock.h"

struct req;

/* advpage.c */
int	 h_adv_page(struct req *);
int	 h_adv_module(struct req *);
int	 h_adv_preview(struct req *);
/* advanswer.c */
int	 h_adv_module_save(struct req *);
int	 h_adv_answer(struct req *);
int	 h_adv_answer_save(struct req *);
int	 h_adv_answer_clear(struct req *);
int	 h_adv_file(struct req *);
int	 h_adv_file_upload(struct req *);
int	 h_adv_file_delete(struct req *);
/* advitems.c */
int	 h_adv_item_create(struct req *);
int	 h_adv_item(struct req *);
int	 h_adv_item_save(struct req *);
int	 h_adv_item_delete(struct req *);
/* advreview.c */
int	 h_adv_answer_review(struct req *);
int	 h_adv_item_review(struct req *);
int	 h_adv_item_approval(struct req *);
int	 h_adv_submit(struct req *);
int	 h_adv_reopen(struct req *);

/* Field indexes, parallel to fields_advpage.inc. */
enum { ANS_VALUE, ANS_VERSION };
enum { ADVV_VERSION };		/* review, upload, file delete */
enum { ITEM_BLOCK, ITEM_DESCRIPTION, ITEM_QUANTITY, ITEM_NOTES,
    ITEM_VERSION };
enum { APPR_KIND, APPR_STATE, APPR_REASON, APPR_VERSION };
enum { REOPEN_REASON };

/* Sub-asset rows an item form offers beyond those it has. */
#define ADV_BLANK_ROWS	3
/* Sub-asset rows one item may hold. */
#define ADV_ROWS_MAX	100

/* --- shared by the files of the advance page --------------------------- */

/* The advance a route names and the actor's standing on it. */
struct advctx {
	struct event_ctx ec;
	struct advance	 adv;
	enum level	 lv;		/* advancing on the advance */
	int		 respondent;	/* sees no review marks */
	int64_t		 uid;
	struct advmod	 mod;		/* the module the route names */
	int		 has_mod;
};

/* Everything the page shows, each read in one query. */
struct advdata {
	struct advmod	*mods;
	size_t		 nmods;
	struct mblock	*blocks;
	size_t		 nblocks;
	struct answer	*ans;
	size_t		 nans;
	struct answer_prev *prev;
	size_t		 nprev;
	struct lineitem	*items;
	size_t		 nitems;
	struct answerfile *files;
	size_t		 nfiles;
	struct asset_forms forms;
};

/* A question re-shown after a refused save: what the user typed, the
 * message beside it, and when it was stale the answer as it is now. */
struct advfield {
	int64_t		 module_id;
	int64_t		 block_id;
	const char	*value;		/* typed (form text), NULL none */
	const char *const *vals;	/* multi-select keys typed */
	size_t		 nvals;
	const char	*error;
	const struct answer *theirs;	/* stale: the current answer */
	int		 stale;
	int64_t		 mine_version;	/* the version the user had */
};

/* What a re-shown page carries beside the stored state. */
struct advform {
	struct advfield	*fields;
	size_t		 nfields;
	int64_t		 item_block;	/* the add-item form re-shown here */
	json_object	*item_form;	/* its typed values and errors */
};

/* {event}/{adv}[/{m}]: 0 with the advance viewable (adv_level ≥ view),
 * else the status sent (404 for a missing and an invisible one alike).
 * with_module: {m} must be a module of this advance. */
int	 adv_gate(struct req *, struct advctx *, int with_module);
/* May the actor change answers and items of x->mod: 0, else 403 (no
 * advancing edit), 409 (archived event; submitted module for those with
 * only edit) sent. */
int	 adv_answer_gate(struct req *, struct advctx *);
/* Begin a write on x->mod: the event's shared lock, the module row FOR
 * UPDATE (re-read into x->mod), the submitted-module rule again. 0 or
 * the status sent (the transaction rolled back). */
int	 adv_begin(struct req *, struct advctx *, int answering);
/* Read everything the page shows (module_id 0: every module). */
int	 adv_load(struct req *, const struct advctx *, int64_t module_id,
	    struct advdata *);
/* Render the advance page (module_id 0) or one module page with
 * status, optionally re-showing a refused form. */
int	 adv_render(struct req *, const struct advctx *, int status,
	    int64_t module_id, const struct advform *);
/* 422 with r->errors: the problem (JSON), or the module page (the
 * advance page without a module) with the summary on top. */
int	 adv_invalid(struct req *, const struct advctx *);
/* advitems.c: the item page (status 200, 409 with theirs, 422). */
int	 adv_item_page(struct req *, const struct advctx *, int64_t item,
	    int status, json_object *typed, const struct lineitem *theirs);
int	 adv_forbidden(struct req *, const char *what);
/* 409 module-submitted: the module is read-only for the actor. */
int	 adv_locked(struct req *, const struct advctx *);

/* URLs of the page's objects. */
const char *adv_url(struct req *, const struct advctx *);
const char *adv_mod_url(struct req *, const struct advctx *, int64_t m);
const char *adv_answer_url(struct req *, const struct advctx *, int64_t m,
	    int64_t block);
const char *adv_item_url(struct req *, const struct advctx *, int64_t m,
	    int64_t item);

/* The strong ETag "<id>-v<version>" of an answer (id 0 and version 0
 * when unanswered) or an item, for the autosave script (etag.h). */
const char *adv_etag_text(struct req *, int64_t id, int64_t version);
/* 412 precondition-failed (JSON) with the object as it is now under
 * "current". */
int	 adv_precondition_failed(struct req *, const char *detail,
	    json_object *current);

/* "Today" in the event's zone (YYYY-MM-DD, arena). */
const char *adv_today(struct req *, const char *zone);

/* advblock.c: the renderer. */
const struct mblock *adv_block(const struct advdata *, int64_t template_id,
	    int64_t block_id);
const struct answer *adv_answer_of(const struct advdata *, int64_t m,
	    int64_t block);
/* The JSON of one question: the answer (value typed by its response
 * type, display text, author and time), the input the form shows, the
 * review (staff only), files, the re-shown state of f. */
json_object *advblock_question(struct req *, const struct advctx *,
	    const struct advdata *, const struct advmod *,
	    const struct mblock *, const struct advfield *f, int can_answer,
	    int can_review, const char *form_id);
/* A request block: its items as rows and the add form. */
json_object *advblock_request(struct req *, const struct advctx *,
	    const struct advdata *, const struct advmod *,
	    const struct mblock *, const struct advform *, int can_answer,
	    int can_review);
/* One line item as JSON (the API object and the table row). */
json_object *advblock_item(struct req *, const struct advctx *,
	    const struct advdata *, const struct advmod *,
	    const struct mblock *, const struct lineitem *, int can_answer,
	    int can_review);
/* The item form of a request block: fields of the asset type (typed
 * values from li, or from typed when re-shown) or description,
 * quantity and notes. */
json_object *advblock_item_form(struct req *, const struct advdata *,
	    const struct mblock *, const struct lineitem *,
	    json_object *typed, int disabled, const char *zone);
/* The answer spec of an asset property in the event's zone. */
void	 adv_prop_spec(const struct asset_prop *, const char *zone,
	    struct rt_spec *);
/* A canonical value as JSON / as display text for one question. */
json_object *adv_value_json(const struct mblock *, const char *zone,
	    const char *canon);
/* Audit labels. */
const char *adv_question_label(struct req *, const struct mblock *);

#endif
