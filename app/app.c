/* app.c — the request pipeline: read, route, check, validate, handle,
 * answer (DESIGN §4). Every generic check lives here, in this order, so
 * no handler can forget one. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>
#include <malloc.h>
#include <sodium.h>

#include "app.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/scoreboard.h"
#include "core/util.h"
#include "db/db.h"
#include "model/user.h"
#include "pages/eventctx.h"
#include "pages/orgctx.h"
#include "pages/pages.h"
#include "pages/timezones.h"
#include "render/docs.h"
#include "render/tmpl.h"
#include "render/view.h"

#define OUT_KEEP	(256 * 1024)	/* response buffer kept between requests */
#define BIG_REQUEST	(1024 * 1024)	/* arena bytes after which the heap is trimmed */

static struct arena	 arena;
static struct buf	 out;
static struct docs	*docs;

int
app_load(char *err, size_t errsz)
{
	struct tmpl_set	*t;
	struct docs	*d;

	if (db_library_init() != 0) {
		snprintf(err, errsz, "the MariaDB client library failed to "
		    "initialize");
		return -1;
	}
	if ((t = tmpl_load_dir(cfg->template_dir, err, errsz)) == NULL)
		return -1;
	if (!tmpl_has(t, "layout") || !tmpl_has(t, "error")) {
		snprintf(err, errsz, "template_dir: %s lacks layout.html or "
		    "error.html", cfg->template_dir);
		tmpl_free(t);
		return -1;
	}
	if ((d = docs_load(cfg->docs_dir, err, errsz)) == NULL) {
		tmpl_free(t);
		return -1;
	}
	if (pw_load_common(cfg->common_passwords_file, err, errsz) != 0 ||
	    timezones_load(err, errsz) != 0) {
		tmpl_free(t);
		docs_free(d);
		return -1;
	}
	/* Only now that everything loaded: swap (HUP keeps the old set on
	 * any error above). */
	if (view_templates() != NULL)
		tmpl_free(view_templates());
	view_set_templates(t);
	if (docs != NULL)
		docs_free(docs);
	docs = d;
	pages_set_docs(d);
	return 0;
}

int
app_worker_start(void)
{
	arena_init(&arena);
	buf_init(&out);
	return 0;
}

void
app_worker_stop(void)
{
	db_disconnect();
}

static const char *
code_for(int status)
{
	switch (status) {
	case 400: return "malformed-request";
	case 401: return "unauthenticated";
	case 403: return "insufficient-permission";
	case 404: return "not-found";
	case 405: return "method-not-allowed";
	case 406: return "not-acceptable";
	case 409: return "conflict";
	case 411: return "length-required";
	case 413: return "payload-too-large";
	case 414: return "uri-too-long";
	case 415: return "unsupported-media-type";
	case 429: return "rate-limited";
	case 431: return "headers-too-large";
	case 503: return "unavailable";
	default: return "internal";
	}
}

static int
is_unsafe(enum method m)
{
	return (m & (M_POST | M_PUT | M_PATCH | M_DELETE)) != 0;
}

static int
is_loopback(const char *a)
{
	return strcmp(a, "127.0.0.1") == 0 || strcmp(a, "::1") == 0;
}

/* An API client whose Accept rules JSON out gets 406 (AC-8). */
static int
accepts_json(const struct req *r)
{
	return r->accept == NULL || *r->accept == '\0' ||
	    strstr(r->accept, "application/json") != NULL ||
	    strstr(r->accept, "application/problem+json") != NULL ||
	    strstr(r->accept, "application/*") != NULL ||
	    strstr(r->accept, "*/*") != NULL;
}

static void
allow_header(struct req *r, unsigned allow)
{
	char		 s[80] = "";
	unsigned	 bit;

	if (allow & M_GET)
		allow |= M_HEAD;
	for (bit = 1; bit <= M_OPTIONS; bit <<= 1)
		if (allow & bit) {
			if (s[0] != '\0')
				strcat(s, ", ");
			strcat(s, method_name((enum method)bit));
		}
	resp_header(r, "Allow", s);
}

/* Everything between routing and the handler. 0 = go on. */
/* Whether the route's pattern is prefix or lies under it: a route of
 * one event or organization, named by its first path variable. */
static int
route_under(const struct route *rt, const char *prefix)
{
	size_t	 n = strlen(prefix);

	return strncmp(rt->pattern, prefix, n) == 0 &&
	    (rt->pattern[n] == '/' || rt->pattern[n] == '\0');
}

/* The session, read with the event's or organization's standing on
 * their routes (one statement fewer). */
static int
session_load(struct req *r, const struct route *rt)
{
	if (route_under(rt, "/events/{event}"))
		return event_auth_load(r);
	if (route_under(rt, "/orgs/{org}"))
		return org_auth_load(r);
	return auth_load(r);
}

static int
gate(struct req *r, const struct route *rt)
{
	int	 st;

	if (r->api && !accepts_json(r))
		return render_error(r, 406, "not-acceptable", NULL);
	if (r->fmt == FMT_JSON && (rt->flags & R_HTML_ONLY)) {
		/* A monitor or calendar client asking for JSON still gets
		 * the pong or the calendar; the /api/v1 prefix has neither. */
		if (r->api || !(rt->flags & R_OWN_FORMAT))
			return render_error(r, 404, "not-found", NULL);
		r->fmt = FMT_HTML;
	}
	st = req_read_body(r, rt->max_body ? rt->max_body :
	    (rt->flags & R_UPLOAD) ? cfg->upload_limit : cfg->max_body,
	    (rt->flags & R_UPLOAD) != 0);
	if (st != 0)
		return render_error(r, st, code_for(st), st == 413 ?
		    "The request body is larger than this route accepts." :
		    st == 415 ? "Send application/json." : NULL);
	if (!(rt->flags & R_NO_SESSION) && (st = session_load(r, rt)) != 0)
		return render_error(r, st, code_for(st), st == 400 ?
		    "Send either a session cookie or a Bearer token, "
		    "not both." : NULL);

	switch (rt->perm) {
	case PERM_PUBLIC:
		break;
	case PERM_LOOPBACK:
		if (!is_loopback(r->remote_addr))
			return render_error(r, 404, "not-found", NULL);
		break;
	case PERM_USER:
		if (r->user != NULL)
			break;
		log_msg(LOG_INFO, "decision=deny reason=unauthenticated");
		if (r->fmt == FMT_HTML && r->method == M_GET)
			return render_redirect(r, arena_printf(r->a,
			    "/login?next=%s", r->path));
		return render_error(r, 401, "unauthenticated",
		    "Sign in, or send an API token.");
	}
	if (r->token_id != 0 && ((rt->flags & R_NO_TOKEN) ||
	    ((is_unsafe(r->method) || (rt->flags & R_WRITE)) &&
	    !r->token_write))) {
		log_msg(LOG_INFO, "decision=deny reason=token_scope");
		return render_error(r, 403, "token-scope",
		    "This API token may not do that.");
	}
	if (is_unsafe(r->method) && r->token_id == 0 &&
	    !(rt->flags & R_NO_CSRF) && csrf_check(r) != 0)
		return render_error(r, 403, "insufficient-permission",
		    "The form expired or came from another site. Reload "
		    "the page and try again.");
	/* A listed password found at sign-in must be changed first. */
	if (r->user != NULL && r->user->must_change_password &&
	    r->fmt == FMT_HTML && !(rt->flags & R_PRELOGIN) &&
	    strcmp(rt->pattern, "/account/password") != 0 &&
	    strcmp(rt->pattern, "/logout") != 0 && r->method == M_GET)
		return render_redirect(r, "/account/password");
	if ((rt->flags & R_PRELOGIN) && r->method == M_GET &&
	    session_ensure(r) != 0)
		return render_error(r, 503, "unavailable", NULL);
	if ((st = valid_inputs(r)) != 0)
		return render_error(r, st, "invalid-parameter",
		    "A parameter was sent more than once.");
	return 0;
}

static void
pause_briefly(void)
{
	struct timespec	 ts = { 0, (long)(10 + randombytes_uniform(41)) *
	    1000000L };

	nanosleep(&ts, NULL);
}

void
app_request(void *fcgx)
{
	struct req		 r;
	const struct route	*rt;
	unsigned		 allow;
	int			 st, attempt, big;

	db_request_begin(&arena);
	buf_init(&r.hdr);
	st = req_read_head(&r, fcgx, &arena, &out);
	buf_init(&r.hdr);
	log_set_request(r.rid, "");
	if (st != 0) {
		render_error(&r, st, code_for(st), NULL);
		goto done;
	}
	if ((rt = route_match(&r, &st, &allow)) == NULL) {
		if (st == 405) {
			allow_header(&r, allow);
			log_msg(LOG_INFO, "decision=deny reason=method");
		}
		render_error(&r, st, code_for(st), NULL);
		goto done;
	}
	sb_set_route(route_name(rt, r.method == M_HEAD ? M_GET : r.method));
	log_set_request(r.rid, route_name(rt, r.method));
	if (gate(&r, rt) != 0 || r.headers_sent)
		goto done;
#ifdef TEST_HOOKS
	db_test_pause_commit(req_test_pause(&r, "commit-pause"));
#endif

	/* DB-6: a deadlock rolled the whole transaction back; run the
	 * handler again, at most three times, after a short random pause. */
	for (attempt = 0; attempt < 3; attempt++) {
		st = rt->handler(&r);
		if (db_in_txn())
			db_rollback();
		if (r.headers_sent || !db_deadlock())
			break;
		log_msg(LOG_WARN, "msg=deadlock attempt=%d", attempt + 1);
		buf_reset(&r.hdr);
		pause_briefly();
	}
	if (!r.headers_sent)
		render_error(&r, st >= 400 && st < 600 ? st : db_status(),
		    code_for(st >= 400 && st < 600 ? st : db_status()), NULL);
done:
	log_msg(r.status >= 500 ? LOG_WARN : LOG_INFO,
	    "method=%s status=%d dur_ms=%lld queries=%d actor=%s%s%s%s",
	    method_name(r.method), r.status,
	    (long long)(now_mono_ms() - r.t0_ms), db_queries(),
	    r.user ? "user:" : "anon", r.user && r.user->uuid ? r.user->uuid : "",
	    r.log_extra ? " " : "", r.log_extra ? r.log_extra : "");
	log_set_request(NULL, NULL);
	buf_free(&r.hdr);
	big = arena.used > BIG_REQUEST;
	arena_reset(&arena);
	buf_trim(&out, OUT_KEEP);
	/* A large answer (a feed of thousands of events, a long list) leaves
	 * freed heap behind (libical, json-c, result sets): hand it back so
	 * that the worker returns to its baseline. */
	if (big)
		(void)malloc_trim(0);
}
