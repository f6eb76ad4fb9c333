/* etag.c — strong ETags and If-Match for single objects. */
#include <stdio.h>
#include <string.h>

#include "deny.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "etag.h"
#include "render/view.h"

const char *
page_etag_text(struct req *r, int64_t id, int64_t version)
{
	return arena_printf(r->a, "\"%lld-v%lld\"", (long long)id,
	    (long long)version);
}

int
page_etag(struct req *r, int64_t id, int64_t version)
{
	const char	*tag = page_etag_text(r, id, version);

	resp_header(r, "ETag", tag);
	if (r->fmt != FMT_JSON || r->method != M_GET ||
	    r->if_none_match == NULL || strcmp(r->if_none_match, tag) != 0)
		return 0;
	render_text(r, 304, NULL, "", 0);
	return 1;
}

/* Does the If-Match value name (id, version)? Quoted or bare. */
static int
tag_is(const char *given, int64_t id, int64_t version)
{
	char	 want[64];

	snprintf(want, sizeof(want), "%lld-v%lld", (long long)id,
	    (long long)version);
	if (given[0] == '"')
		return strncmp(given + 1, want, strlen(want)) == 0 &&
		    strcmp(given + 1 + strlen(want), "\"") == 0;
	return strcmp(given, want) == 0;
}


int
page_if_match_stale(struct req *r, int64_t id, int64_t version)
{
	if (r->if_match == NULL || *r->if_match == '\0' ||
	    strcmp(r->if_match, "*") == 0 || tag_is(r->if_match, id, version))
		return 0;
	page_refuse(r, 412, "precondition-failed", arena_printf(r->a, "This "
	    "changed since you loaded it; it is now version %lld.",
	    (long long)version));
	return 1;
}

int
page_if_match_required(struct req *r, int64_t id, int64_t version)
{
	if (r->if_match == NULL || *r->if_match == '\0')
		return page_refuse(r, 428, "precondition-required", "Send "
		    "If-Match with the ETag of the version this change is "
		    "based on (\"0-v0\" for an unanswered question).");
	return tag_is(r->if_match, id, version) ? 0 : 412;
}
