/* advance.h — advances and their modules (PRODUCT §13.4), read in a fixed
 * number of queries. Every lookup is by (event, id) so a foreign
 * tenant's id never resolves (AC-2). Writes live with their pages'
 * models; this file is the shared reader. */
#ifndef MODEL_ADVANCE_H
#define MODEL_ADVANCE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct dbq;
struct req;

struct advance {
	int64_t		 id;
	char		*uuid;
	int64_t		 event_id;
	int64_t		 collab_id;
	char		*collab_name;
	char		*name;
	int64_t		 template_id;	/* 0 blank */
	char		*template_name;	/* NULL when blank or deleted */
	int64_t		 area_id;	/* 0 event-wide */
	char		*area_name;
	int64_t		 activity_id;	/* 0 none */
	char		*activity_name;
	int64_t		 version;
	char		*created_at;	/* RFC 3339 UTC */
};

/* One module of an advance with its template's visible fields. */
struct advmod {
	int64_t		 id;
	int64_t		 advance_id;
	int64_t		 template_id;	/* module template */
	char		*name;		/* template's internal name */
	char		*label;		/* what respondents see */
	char		*icon;
	int64_t		 category_id;
	char		*category;
	int64_t		 position;
	char		*due_date;	/* YYYY-MM-DD local, NULL none */
	int		 required;
	int		 tracked;
	int		 submission;	/* requires submission */
	int64_t		 reviewer_id;	/* 0 none */
	char		*reviewer_name;
	int		 submitted;	/* state = submitted */
	int64_t		 submitted_by;
	char		*submitted_by_name;
	char		*submitted_at;	/* RFC 3339 UTC */
	char		*reopen_reason;
	int64_t		 version;
};

/* 1 found, 0 not in this event, -1 error. */
int	 advance_get(struct req *, int64_t event_id, int64_t id,
	    struct advance *);
/* Lock the advance row (FOR UPDATE) inside a write: 1, 0, -1. */
int	 advance_lock(struct req *, int64_t event_id, int64_t id,
	    int64_t *version);
/* Advances of the event (collab_id 0) or of one collaborator, by
 * collaborator name then advance name. NULL with *n = 0 when none;
 * *n = (size_t)-1 on error. */
struct advance *advance_list(struct req *, int64_t event_id,
	    int64_t collab_id, size_t *n);
/* Advances scoped to one area or one activity (area pages, activity
 * pages, day sheets). */
struct advance *advance_list_scoped(struct req *, int64_t event_id,
	    int64_t area_id, int64_t activity_id, size_t *n);

/* The modules of one advance by position. *n = (size_t)-1 on error. */
struct advmod *advmod_list(struct req *, int64_t event_id,
	    int64_t advance_id, size_t *n);
/* The modules of every advance of the event (collab_id 0) or of one
 * collaborator, ordered by advance then position: one query for a
 * list page's progress column. */
struct advmod *advmod_list_event(struct req *, int64_t event_id,
	    int64_t collab_id, size_t *n);
/* One module of an advance: 1, 0 (not this advance/event), -1. */
int	 advmod_get(struct req *, int64_t event_id, int64_t advance_id,
	    int64_t module_id, struct advmod *);
/* Lock a module row inside a write (FOR UPDATE): 1, 0, -1. */
int	 advmod_lock(struct req *, int64_t event_id, int64_t module_id,
	    struct advmod *);

json_object *advance_json(const struct advance *);
/* Its scope into o: area_id, area_name, activity_id, activity_name
 * (ids null when unscoped). */
void	 advance_scope_into(json_object *o, const struct advance *);
json_object *advmod_json(const struct advmod *);

/* The rows of a statement the caller has selected, for the advancing
 * readers: fetch reads one into row (1, 0 at the end, -1 error); at
 * most max rows are kept, the rest read and dropped. The rows (arena,
 * elements of size sz) with *n set, or NULL and *n = (size_t)-1 on
 * error. Ends the statement. */
void	*adv_rows(struct req *, struct dbq *q,
	    int (*fetch)(struct req *, struct dbq *, void *row), size_t sz,
	    size_t max, size_t *n);

#endif
