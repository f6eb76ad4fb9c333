/* etag.h — strong ETags of single objects, "<id>-v<version>" (PRODUCT
 * §19): the header on reads, 304 for a JSON GET that already holds the
 * version, and If-Match on writes. HTML forms carry a hidden version
 * instead and answer 409 themselves. */
#ifndef PAGES_ETAG_H
#define PAGES_ETAG_H

#include <stdint.h>

struct req;

/* "\"<id>-v<version>\"" (request-owned). */
const char *page_etag_text(struct req *, int64_t id, int64_t version);
/* Set the ETag header. For a JSON GET whose If-None-Match names it,
 * send 304 and return 1; else 0. */
int	 page_etag(struct req *, int64_t id, int64_t version);
/* Optional If-Match (most objects): 1 stale (412 sent, any transaction
 * rolled back), 0 matching, "*" or absent. */
int	 page_if_match_stale(struct req *, int64_t id, int64_t version);
/* Required If-Match (answers and line items on JSON): 428 sent and
 * returned when absent; 412 returned but NOT sent when stale (the
 * caller answers with the current object); 0 matching. */
int	 page_if_match_required(struct req *, int64_t id, int64_t version);

#endif
