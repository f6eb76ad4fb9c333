/* req.h — one request: what came in, the actor, and what goes out.
 *
 * Filled by req_read_head() and req_read_body() from the FastCGI parameters inside the request
 * arena; handlers read r->in (validated inputs) and write through render
 * (view.h). Nothing here outlives the request. */
#ifndef REQ_H
#define REQ_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "parse.h"

enum method {
	M_GET = 1 << 0, M_HEAD = 1 << 1, M_POST = 1 << 2, M_PUT = 1 << 3,
	M_PATCH = 1 << 4, M_DELETE = 1 << 5, M_OPTIONS = 1 << 6,
	M_OTHER = 1 << 7
};

enum fmt { FMT_HTML, FMT_JSON };

#define PATHVARS_MAX	8
#define INPUTS_MAX	32

struct route;
struct user;
struct session;

/* A validated input (valid.h): the field's typed value. */
struct input {
	int		 present;
	const char	*s;		/* text form, trimmed if single-line */
	int64_t		 i;		/* integers, booleans */
	const char	**multi;	/* multi-valued fields */
	size_t		 nmulti;
	int		 given;		/* multi: the name appeared, even if
					   only with empty values */
	const struct param *file;	/* file fields */
};

/* A field error collected by validation or by the handler (422). */
struct field_error {
	const char	*field;
	const char	*code;
	const char	*message;
};

struct req {
	struct arena	*a;
	void		*fcgi;		/* FCGX_Request * */

	/* what came in */
	enum method	 method;
	const char	*method_name;
	const char	*uri;		/* REQUEST_URI as sent */
	const char	*path;		/* decoded path, no /api/v1 prefix */
	const char	*query;
	const char	*ctype;		/* CONTENT_TYPE */
	int64_t		 clen;		/* CONTENT_LENGTH, -1 when absent */
	const char	*accept;
	const char	*origin;
	const char	*sec_fetch_site;
	const char	*authorization;
	const char	*if_match;
	const char	*csrf_header;	/* X-CSRF-Token */
	const char	*if_none_match;
	const char	*if_modified_since;
	const char	*remote_addr;
	const char	*user_agent;
	const char	*rid;		/* nginx $request_id */
	const char	*test_fault;	/* X-Test-Fault, test builds only */
	int		 https;
	int		 api;		/* path began with /api/v1 */
	enum fmt	 fmt;

	struct params	 params;	/* query + body */
	struct cookie	 cookies[COOKIES_MAX];
	size_t		 ncookies;
	const char	*body;
	size_t		 bodylen;
	json_object	*json;		/* parsed JSON body, owned by arena */

	/* routing */
	const struct route *route;
	const char	*pathvars[PATHVARS_MAX];
	size_t		 npathvars;
	struct input	 in[INPUTS_MAX];	/* parallel to route->fields */
	struct field_error *errors;
	size_t		 nerrors;

	/* actor */
	struct session	*sess;
	struct user	*user;
	int64_t		 token_id;	/* API token, 0 for a session */
	int64_t		 org_id;	/* workspace the page belongs to */
	int		 token_write;	/* token scope allows writes */
	void		*event_ctx;	/* eventctx.c: {event}'s standing, read
					   with the session (taken once) */
	void		*org_ctx;	/* orgctx.c: {org} and the standing in
					   it, the same way */

	/* what goes out */
	int		 status;
	struct buf	 hdr;		/* extra header lines, CRLF-ended */
	struct buf	*out;		/* body (worker-owned, reused) */
	int		 headers_sent;
	int		 client_gone;
	int		 nqueries;	/* SQL statements run (test header) */
	const char	*log_extra;	/* more key=value pairs for the
					   request's closing log line */
	int64_t		 t0_ms;
};

/* Read the FastCGI parameters: method, path, headers, cookies and the
 * query string (capped). Returns 0 or an HTTP status (400, 414, 431)
 * with the reason logged. */
int	 req_read_head(struct req *, void *fcgi, struct arena *,
	    struct buf *out);
/* Read and parse the body once the route (and so its limit) is known.
 * Returns 0 or 400, 411, 413, 415. */
int	 req_read_body(struct req *, int max_body, int upload);
/* Headers and parameters. */
const char *req_param(const struct req *, const char *name);
const char *req_cookie(const struct req *, const char *name);
const char *req_pathvar(const struct req *, size_t i);
int64_t	 req_pathvar_id(const struct req *, size_t i);	/* -1 if bad */
const char *method_name(enum method);
/* o released (json_object_put) when the request ends; returns o. For
 * JSON the request holds beyond one view: a view takes its own
 * reference (json_object_get). */
json_object *req_own_json(struct req *, json_object *o);
#ifdef TEST_HOOKS
/* Test builds: the seconds of an X-Test-Fault "name=N" pause, else 0. */
unsigned req_test_pause(const struct req *, const char *name);
#endif

#endif
