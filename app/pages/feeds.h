/* feeds.h — calendar feeds under /feeds/<token>/ and their tokens
 * (FEEDS.md §2–§5, PRODUCT §16). */
#ifndef PAGES_FEEDS_H
#define PAGES_FEEDS_H

#include <stdint.h>

#include <json-c/json.h>

struct event_ctx;
struct req;

int	 h_feed_ics(struct req *);
int	 h_feed_create(struct req *);
int	 h_feeds(struct req *);
int	 h_feed_revoke(struct req *);
int	 h_feed_reset(struct req *);
int	 h_feeds_revoke_all(struct req *);

/* The Subscribe control of a calendar page: v.subscribe = {kind,
 * scope_id, active (the actor already has a live feed for it)}. One
 * query; nothing is added for signed-out or API-token requests. */
void	 feeds_subscribe_into(struct req *, json_object *v, const char *kind,
	    int64_t scope_id);
/* The same with active already known (1 or 0; -1 reads it), as the
 * event's own page may know it from the session's statement. */
void	 feeds_subscribe_known(struct req *, json_object *v,
	    const char *kind, int64_t scope_id, int active);
/* May the actor of c subscribe to the area or collaborator calendar id
 * of c's event? The feed's own rule (schedule view over it, or one's
 * own collaborator), which its page's gate does not imply: a page
 * shows Subscribe only when the feed would be made. */
int	 feeds_may_subscribe(const struct event_ctx *, const char *kind,
	    int64_t id);

/* SEQUENCE (FEEDS.md §1): inside the write transaction, after the row
 * was updated, raise activities.sequence by 1 when start, end, the
 * all-day flag, recurrence, exact location or the area tags differ
 * between old and f; f NULL: the cancelled flag changed. 0 or -1. */
struct activity;
struct activity_fields;
int	 feeds_sequence_bump(struct req *, int64_t event_id, int64_t id,
	    const struct activity *old, const struct activity_fields *f);

#endif
