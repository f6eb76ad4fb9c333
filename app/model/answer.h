/* answer.h — answers to the question blocks of advance modules (PRODUCT
 * §13.5, §13.6, §13.8): one row per module and question, its history of
 * saved values (clears included), its review state.
 *
 * Every lookup names the event and the advance module, so a foreign id
 * never resolves. Writes run inside the caller's transaction after it
 * has locked the module row (advmod_lock): the module lock serializes
 * writers of one module, and the version checks below refuse stale
 * saves. A change of value sets the answer to needs review; the version
 * counts values only (a review does not move it, so a respondent's open
 * form stays current when staff review it). */
#ifndef MODEL_ANSWER_H
#define MODEL_ANSWER_H

#include <stddef.h>
#include <stdint.h>

struct req;

struct answer {
	int64_t		 id;
	int64_t		 module_id;	/* advance module */
	int64_t		 block_id;
	char		*value;		/* canonical text (policy/answer.h) */
	int		 reviewed;	/* 0 needs review */
	int64_t		 reviewed_by;
	char		*reviewed_by_name;
	char		*reviewed_at;	/* RFC 3339 UTC */
	int64_t		 updated_by;
	char		*updated_by_name;
	char		*updated_at;
	int64_t		 version;
};

/* The value an answer had when it was last reviewed: what a re-review
 * compares the current value with (value NULL: it was cleared then). */
struct answer_prev {
	int64_t		 module_id;
	int64_t		 block_id;
	char		*value;
	char		*reviewed_by_name;
	char		*reviewed_at;
};

/* Every answer of every module of one advance (module_id 0) or of one
 * module, in one query. *n = (size_t)-1 on error. */
struct answer	*answer_list(struct req *, int64_t event_id,
		    int64_t advance_id, int64_t module_id, size_t *n);
/* The reviewed value of every answer of the advance that was reviewed
 * before (one query). */
struct answer_prev *answer_prev_list(struct req *, int64_t event_id,
		    int64_t advance_id, size_t *n);
/* One answer: 1, 0 unanswered, -1. It takes no row lock: writers hold
 * the module's row lock (advmod_lock) first, which serialises every
 * write to its answers; a locking read of an answer not given yet
 * would gap-lock the unique key and deadlock with first saves into
 * neighbouring modules. */
int		 answer_get(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id, struct answer *);
/* Lock every answer of one module (FOR UPDATE) and read them. */
struct answer	*answer_lock_module(struct req *, int64_t event_id,
		    int64_t module_id, size_t *n);

/* Save value as the answer of (module, block), based on version (0: the
 * question was unanswered). Writes the history row, sets needs review.
 * 1 done (*out the answer as now stored, names not filled), 0 stale,
 * -1 error. */
int		 answer_put(struct req *, int64_t event_id, int64_t module_id,
		    int64_t block_id, int64_t version, const char *value,
		    int64_t uid, struct answer *out);
/* Clear the answer at version (the row goes, history keeps a NULL):
 * 1 done, 0 stale or already unanswered, -1 error. */
int		 answer_clear(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id, int64_t version,
		    int64_t uid);

/* Mark the answer reviewed by uid if it is still at seen_version; the
 * module's task tree follows (advtrack_sync_module). Runs in the
 * caller's transaction; the caller checks the right to review and
 * writes the audit entry. 1 done, 0 stale/changed (or unanswered),
 * -1 error. */
int		 answer_review(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id, int64_t seen_version,
		    int64_t uid);

#endif
