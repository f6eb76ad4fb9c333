/* advmanager.h — the Advance Manager (PRODUCT §13.10, §13.7): handler
 * prototypes and field indexes of its routes (routes_advmanager.inc,
 * fields_advmanager.inc), and the module table shared by the page
 * (advmanager.c) and its exports (advmanager_export.c). */
#ifndef PAGES_ADVMANAGER_H
#define PAGES_ADVMANAGER_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "eventctx.h"
#include "model/advance.h"
#include "model/advtable.h"
#include "model/modblock.h"

struct req;

/* advmanager.c — overview, module table, approvals list, bulk actions */
int	 h_advm_overview(struct req *);
int	 h_advm_table(struct req *);		/* also {template}.csv */
int	 h_advm_print(struct req *);
int	 h_advm_bulk(struct req *);
int	 h_advm_approvals(struct req *);
int	 h_advm_approvals_bulk(struct req *);
/* advmanager_export.c — the line items of one request block as CSV */
int	 h_advm_items_csv(struct req *);

/* Field indexes, parallel to fields_advmanager.inc. The module table's
 * filters come first in its bulk form too (the page is shown again
 * with them); likewise the approvals list's. */
enum { AMT_COLLAB, AMT_AREA, AMT_COMPLETION, AMT_REVIEW, AMT_OVERDUE,
    AMT_SORT, AMT_DIR, AMT__FILTERS };
enum { AMB_ACTION = AMT__FILTERS, AMB_MODULES, AMB_CELLS, AMB_SEEN,
    AMB_DUE, AMB_CLEAR_DUE };
enum { AMA_ASSET, AMA_COLLAB, AMA_AREA, AMA_TEMPLATE, AMA_OP, AMA_RES,
    AMA__FILTERS };
enum { AMAB_ACTION = AMA__FILTERS, AMAB_KIND, AMAB_ITEMS, AMAB_REASON };

/* --- the module table, shared with advmanager_export.c ------------------ */

/* One cell: a question's answer or a request block's item count. */
struct amcell {
	const struct mblock	*b;
	const struct adv_answer	*ans;	/* NULL unanswered */
	const struct adv_count	*cnt;	/* NULL no items */
};

/* One row: a visible advance holding the template. */
struct amrow {
	const struct advance	*adv;
	const struct advmod	*mod;
	struct advprog_mod	 st;
	int			 can_review;	/* reviewer or admin covering */
	int			 can_admin;	/* advancing admin covering */
	struct amcell		*cells;		/* parallel to cols */
};

struct amfilter {
	int64_t		 collab;	/* 0 any */
	int64_t		 area;		/* 0 any, -1 none */
	int		 completion;	/* -1 any, AC_*, 3 incomplete */
	int		 needs_review;
	int		 overdue;
	const char	*sort;		/* collaborator, advance, due,
					   completion */
	int		 desc;
};

struct amtable {
	struct event_ctx	 c;
	struct mtpl		 tpl;
	struct advprog		 p;		/* every module's state */
	const struct mblock	*blocks;	/* the template's (in p) */
	size_t			 nblocks;
	const struct mblock	**cols;		/* questions and requests */
	size_t			 ncols;
	struct advance		*advs;
	size_t			 nadvs;
	struct adv_answer	*ans;
	size_t			 nans;
	struct adv_item		*items;
	size_t			 nitems;
	struct adv_file		*files;
	size_t			 nfiles;
	struct amrow		*rows;		/* every visible one */
	size_t			 nrows;
	struct amrow		**shown;	/* filtered and sorted */
	size_t			 nshown;
	struct amfilter		 f;
};

/* The manager is for seat holders and Org Pro users with advancing
 * view somewhere: event_gate plus that. 0, or the status sent (404). */
int	 advm_gate(struct req *, struct event_ctx *);
/* /events/{e}/advance-manager */
const char *advm_url(struct req *, int64_t event_id);
/* Advances by id (an index into v) and the lookup in it. */
struct advance **advm_adv_index(struct req *, struct advance *v, size_t n);
const struct advance *advm_adv_find(struct advance **ix, size_t n,
	    int64_t id);
/* {value, label, selected} for a filter's select. */
json_object *advm_option(const char *value, const char *label,
	    int selected);

/* The first validation error on one of the route's first nfilters
 * fields (the filters; a bulk form's own fields answer 422, not 400). */
const char *advm_filter_error(const struct req *, size_t nfilters);

/* Open the module table of {template} (path variable 1, an id with an
 * optional ".csv" the caller has checked): the event, the actor's right
 * to the manager, the rows they may see, filtered and sorted by the
 * request's AMT_* fields. 0, or the status already sent. */
int	 advm_table_load(struct req *, struct amtable *, const char *tpl);
/* "?collaborator=…&…" of the active filters ("" when none). */
const char *advm_filter_query(struct req *, const struct amfilter *);
/* How a cell reads to people (answers through answer_display in the
 * event's zone, files by name, requests as item counts). */
const char *advm_cell_text(struct req *, const struct amtable *,
	    const struct amrow *, const struct amcell *);
/* The files of a file answer in the order its value names them. */
const struct adv_file **advm_cell_files(struct req *, const struct amtable *,
	    const struct amrow *, const struct amcell *, size_t *n);
const char *advm_file_url(struct req *, const struct amtable *,
	    const struct amrow *, const struct adv_file *);
/* The module table as CSV (the filtered rows): 200 or an error. */
int	 advm_table_csv(struct req *, struct amtable *);
/* Line items' asset-type properties as people read them (§13.1):
 * props is {"props": {"<key>": value}, "subs": {"<skey>": [{…}]}}. */
struct amprops {
	const struct adv_assets	*as;
	struct rt_spec		*specs;		/* parallel to as->props */
};
void	 advm_props_init(struct req *, struct amprops *,
	    const struct adv_assets *, const char *zone);
/* The parsed props of an item (request-owned), NULL when none. */
json_object *advm_props_parse(struct req *, const char *props);
/* Property as->props[pi] in obj (the "props" object or one sub-asset
 * row): NULL when unset. */
const char *advm_prop_text(struct req *, const struct amprops *, size_t pi,
	    json_object *obj);
/* The rows of one sub-asset: "Role: Rigger, Quantity: 2; …" ("" none). */
const char *advm_sub_text(struct req *, const struct amprops *,
	    const struct adv_sub *, json_object *root);
/* An item's set properties and sub-assets as [{label, value}], with a
 * one-line summary in *summary. */
json_object *advm_item_props(struct req *, const struct amprops *,
	    const struct adv_item *, const char **summary);
/* An item's name: its description, else "<label> <n>" with the block's
 * line-item label, the asset type's, or the asset type's name. */
const char *advm_item_name(struct req *, const struct adv_assets *,
	    const struct adv_item *, int n);
/* UTC RFC 3339 → event-local ISO with offset ("" for NULL). */
const char *advm_local(struct req *, const char *zone, const char *utc);

/* The items of (module, block) in the table's ordered list: the first
 * and *n. */
const struct adv_item *advm_items_of(const struct amtable *, int64_t module,
	    int64_t block, size_t *n);

/* Why a bulk action was refused, target by target. */
struct amprob {
	int		 status;	/* 404, 403, 422 or 409 */
	const char	*msg;
};
struct amprobs {
	struct amprob	*v;
	size_t		 n, cap;
};
void	 advm_problem(struct req *, struct amprobs *, int status,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Send the refusal (rolled back first): the worst status (404, 403,
 * 422, 409 in that order); JSON a problem naming every target, HTML
 * the page (tmpl with view) again with the list. */
int	 advm_problems_send(struct req *, const struct amprobs *,
	    const char *tmpl, const char *title, json_object *view);

#endif
