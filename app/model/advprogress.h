/* advprogress.h — completion and progress of advance modules and
 * advances (PRODUCT §13.6), for lists of any length in a fixed number of
 * queries: the modules (advmod_list_event or advmod_list), the blocks of
 * their templates (modblock_list_event or _advance), one count of
 * answers and one of line items per (module, block). The rules
 * themselves are policy/advstate.h; this file only gathers what they
 * need. Content blocks and retired blocks never count.
 *
 * Used by the staff advances list, the collaborator's Advances tab, the
 * vendor portal, the Advance Manager and day sheets. */
#ifndef MODEL_ADVPROGRESS_H
#define MODEL_ADVPROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "model/advance.h"
#include "policy/advstate.h"

struct req;
struct mblock;

/* What one (module, block) holds: its answer (items 1) or its line
 * items, how many need review, how many are procurement-linked. */
struct adv_count {
	int64_t		 module_id;
	int64_t		 block_id;
	int64_t		 items;
	int64_t		 needs_review;
	int64_t		 locked;
};

/* One module as completion sees it. */
struct advprog_mod {
	const struct advmod *m;
	enum adv_completion completion;
	int		 needs_review;
	int		 overdue;
	size_t		 req_answered;	/* required questions answered */
	size_t		 req_total;	/* required questions */
	/* Rows that removing the module deletes (retired blocks too). */
	int64_t		 answers;
	int64_t		 line_items;
	int64_t		 locked_items;	/* procurement-linked: refuse */
};

/* One advance: the run of its modules and what they add up to. An
 * advance without modules has no entry (advprog_find gives a zeroed
 * one). */
struct advprog_adv {
	int64_t		 advance_id;
	size_t		 first;		/* index of its first module */
	size_t		 nmods;
	size_t		 complete;	/* modules complete */
	size_t		 required;	/* required modules */
	size_t		 required_complete;
	size_t		 req_answered;	/* over all its modules */
	size_t		 req_total;
	int		 started;	/* any input, or a module complete */
	int		 done;		/* every required module complete */
	int		 overdue;	/* a required module overdue */
	int		 any_overdue;	/* any module overdue */
	int		 needs_review;
	const char	*next_due;	/* earliest due date of an incomplete
					   module, NULL none */
	int64_t		 answers, line_items, locked_items;
};

struct advprog {
	char		 today[11];	/* YYYY-MM-DD in the event's zone */
	struct advmod	*mods;		/* by advance, then position */
	struct advprog_mod *pm;		/* parallel to mods */
	size_t		 nmods;
	struct advprog_adv *advs;	/* by advance id */
	size_t		 nadvs;
	/* What the states were computed from, for pages that show it. */
	struct mblock	*blocks;	/* by template, then position */
	size_t		 nblocks;
	struct adv_count *ans;		/* by module, then block */
	size_t		 nans;
	struct adv_count *items;	/* by module, then block */
	size_t		 nitems;
};

/* Progress of every module of the event (collab_id and advance_id 0),
 * of one collaborator's advances (collab_id) or of one advance
 * (advance_id); zone is the event's timezone (overdue counts from the
 * end of the local due date). Four queries. 0 or -1. */
int	 advprog_load(struct req *, int64_t event_id, const char *zone,
	    int64_t collab_id, int64_t advance_id, struct advprog *);
/* The summary of one advance; a zeroed one (nmods 0) when it has no
 * modules or was not loaded. Never NULL. */
const struct advprog_adv *advprog_find(const struct advprog *,
	    int64_t advance_id);
/* One module's state, NULL when not loaded. */
const struct advprog_mod *advprog_module(const struct advprog *,
	    int64_t module_id);
/* The blocks of one template (retired and content blocks included, by
 * position): the first and *n, or NULL. */
const struct mblock *advprog_blocks(const struct advprog *,
	    int64_t template_id, size_t *n);
/* The count of (module, block) in p->ans or p->items, NULL none. */
const struct adv_count *advprog_count(const struct adv_count *, size_t n,
	    int64_t module_id, int64_t block_id);
/* Today's local date in zone, "YYYY-MM-DD" (out ≥ 11 bytes). */
void	 advprog_today(const char *zone, char *out, size_t outsz);

/* Overall state of an advance: not_started, in_progress or complete;
 * empty advances are not started. */
enum adv_completion advprog_state(const struct advprog_adv *);

/* {state, state_label, modules, modules_complete, required_modules,
 * required_modules_complete, required_answered, required_total,
 * percent, complete, overdue, needs_review, next_due} */
json_object *advprog_adv_json(const struct advprog_adv *);
/* {completion, completion_label, needs_review, overdue,
 * required_answered, required_total} */
json_object *advprog_mod_json(const struct advprog_mod *);

#endif
