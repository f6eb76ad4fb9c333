/* advsummary.h — advance data where it is used outside the advance page
 * (PRODUCT §13.4 scope, §14.4): the advances scoped to an area, to an
 * activity, or all of a collaborator's, each module with its answered
 * questions as "label: answer", "— missing" for unanswered required
 * questions, and line items with their approval states. Only advances
 * the actor may view are included; review marks never show. Fixed
 * number of queries whatever the number of advances. */
#ifndef PAGES_ADVSUMMARY_H
#define PAGES_ADVSUMMARY_H

#include <stdint.h>

#include <json-c/json.h>

struct event_ctx;
struct req;

enum advsum_scope { ADVSUM_AREA, ADVSUM_ACTIVITY, ADVSUM_COLLAB };

/* The summary as a JSON array (empty when nothing is visible), or NULL
 * on a database error. */
json_object *advsummary_json(struct req *, const struct event_ctx *,
	    enum advsum_scope, int64_t id);

/* The same into a page's view model: "advance" and "has_advance".
 * 0, or -1 on a database error. */
int	 advance_into(struct req *, const struct event_ctx *, json_object *v,
	    enum advsum_scope, int64_t id);

#endif
