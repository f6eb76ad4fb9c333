/* view.c — responses: headers in one place, JSON twins, HTML in the
 * layout, redirects, problem details and error pages. */
#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>

#include "auth/session.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "esc.h"
#include "model/org.h"
#include "model/user.h"
#include "tmpl.h"
#include "view.h"

static struct tmpl_set	*templates;

static const char csp_html[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
static const char csp_data[] = "default-src 'none'; frame-ancestors 'none'";

void
view_set_templates(struct tmpl_set *t)
{
	templates = t;
}

struct tmpl_set *
view_templates(void)
{
	return templates;
}

json_object *
view_new(struct req *r)
{
	return req_own_json(r, json_object_new_object());
}

void
vset_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

void
vset_int(json_object *o, const char *k, long long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

void
vset_bool(json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_boolean(v != 0));
}

void
vset_obj(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	if (!esc_header_ok(name) || !esc_header_ok(value))
		return;		/* never split a header (OUT-1) */
	buf_printf(&r->hdr, "%s: %s\r\n", name, value);
}

void
flash(struct req *r, const char *kind, const char *text)
{
	if (r->fmt == FMT_HTML)
		(void)session_set_flash(r, kind, text);
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* Write status line, common headers, the route's extra headers, then
 * the body. Security headers live here and nowhere else. */
static int
send(struct req *r, int status, const char *ctype, int html,
    const char *body, size_t len)
{
	FCGX_Request	*fr = r->fcgi;
	struct buf	 h;
	int		 rc;

	buf_init(&h);
	buf_printf(&h, "Status: %d %s\r\n", status, reason(status));
	if (ctype != NULL)
		buf_printf(&h, "Content-Type: %s\r\n", ctype);
	buf_printf(&h, "Content-Security-Policy: %s\r\n",
	    html ? csp_html : csp_data);
	buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n");
	if (strstr(buf_cstr(&r->hdr), "Referrer-Policy:") == NULL)
		buf_puts(&h, "Referrer-Policy: same-origin\r\n");
	if (strstr(buf_cstr(&r->hdr), "Cache-Control:") == NULL)
		buf_puts(&h, "Cache-Control: no-store\r\n");
	if (!html && ctype != NULL && strstr(ctype, "json") != NULL &&
	    strstr(buf_cstr(&r->hdr), "Content-Disposition:") == NULL)
		buf_puts(&h, "Content-Disposition: attachment; "
		    "filename=\"api.json\"\r\n");
	if (r->rid != NULL && esc_header_ok(r->rid))
		buf_printf(&h, "X-Request-Id: %s\r\n", r->rid);
	if (cfg->debug_headers)
		buf_printf(&h, "X-Debug-Queries: %d\r\n", db_queries());
	/* The body is whole in hand, so say its length: nginx then passes
	 * it on as it is instead of re-framing it in chunks. HEAD builds
	 * the same body, so the same length. A 204 and a 304 have none. */
	if (status != 204 && status != 304)
		buf_printf(&h, "Content-Length: %zu\r\n", len);
	if (r->hdr.len)
		buf_put(&h, r->hdr.p, r->hdr.len);
	buf_puts(&h, "\r\n");
	rc = FCGX_PutStr(h.p, (int)h.len, fr->out);
	buf_free(&h);
	if (rc >= 0 && len > 0 && r->method != M_HEAD)
		rc = FCGX_PutStr(body, (int)len, fr->out);
	if (rc < 0 && !r->client_gone) {
		r->client_gone = 1;
		log_msg(LOG_INFO, "client_gone=1");
	}
	r->status = status;
	r->headers_sent = 1;
	return status;
}

int
render_text(struct req *r, int status, const char *ctype, const char *body,
    size_t len)
{
	return send(r, status, ctype, 0, body, len);
}

static void
json_to_out(struct req *r, json_object *o)
{
	size_t		 n = 0;
	const char	*s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	buf_reset(r->out);
	esc_json_text(r->out, s, n);
	buf_putc(r->out, '\n');
}

int
render_json(struct req *r, int status, json_object *o)
{
	json_to_out(r, o);
	return send(r, status, "application/json; charset=utf-8", 0,
	    r->out->p, r->out->len);
}

/* The session's pending flash ("kind\ttext" lines), consumed once. */
static json_object *
take_flash(struct req *r)
{
	static struct dbq q = DBQ("UPDATE sessions SET flash = NULL "
	    "WHERE id = ?");
	json_object	*a = json_object_new_array();
	char		*s, *line, *save = NULL;

	if (r->sess == NULL || r->sess->flash == NULL)
		return a;
	s = arena_strdup(r->a, r->sess->flash);
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char		*tab = strchr(line, '\t');
		json_object	*f = json_object_new_object();

		if (tab == NULL)
			continue;
		*tab = '\0';
		vset_str(f, "kind", line);
		vset_str(f, "text", tab + 1);
		json_object_array_add(a, f);
	}
	(void)db_exec(&q, "i", r->sess->id);
	r->sess->flash = NULL;
	return a;
}

static json_object *
layout_view(struct req *r, const char *title, const char *content)
{
	json_object	*l = view_new(r), *page = json_object_new_object();
	json_object	*ws, *wss;

	vset_str(page, "title", title);
	vset_obj(l, "page", page);
	vset_str(l, "content", content);
	vset_str(l, "request_id", r->rid);
	vset_str(l, "csrf_token", r->sess ? r->sess->csrf : NULL);
	vset_obj(l, "flash", take_flash(r));
	vset_bool(l, "nav_docs", r->path != NULL &&
	    strncmp(r->path, "/docs", 5) == 0);
	vset_bool(l, "signed_out", r->user == NULL);
	if (r->user != NULL) {
		json_object	*me = json_object_new_object();

		vset_str(me, "name", r->user->name);
		vset_str(me, "email", r->user->email);
		vset_bool(me, "verified", r->user->verified);
		vset_obj(l, "me", me);
		/* The switcher: one query for the user's workspaces. */
		wss = org_workspaces(r, r->org_id ? r->org_id :
		    r->sess ? r->sess->current_org_id : 0);
		if (wss == NULL)
			wss = json_object_new_array();
		ws = NULL;
		for (size_t i = 0; i < json_object_array_length(wss); i++) {
			json_object	*w = json_object_array_get_idx(wss, i);

			if (json_object_get_boolean(json_object_object_get(w,
			    "current")))
				ws = json_object_get(w);
		}
		vset_obj(l, "workspace", ws);
		vset_obj(l, "workspaces", wss);
	} else {
		vset_obj(l, "me", NULL);
		vset_obj(l, "workspace", NULL);
		vset_obj(l, "workspaces", json_object_new_array());
	}
	return l;
}

static int
render_html(struct req *r, int status, const char *tmpl, const char *title,
    json_object *view)
{
	struct buf	 content;
	json_object	*l;

	/* The page sees the layout's keys too (csrf_token, me). */
	if (json_object_object_get(view, "csrf_token") == NULL && r->sess)
		vset_str(view, "csrf_token", r->sess->csrf);
	buf_init(&content);
	if (tmpl_render(templates, tmpl, view, &content) != 0) {
		log_msg(LOG_ERROR, "msg=\"missing template\" template=%s",
		    lq(tmpl));
		buf_free(&content);
		return send(r, 500, "text/plain; charset=utf-8", 0,
		    "internal error\n", 15);
	}
	l = layout_view(r, title, buf_cstr(&content));
	buf_free(&content);
	buf_reset(r->out);
	if (tmpl_render(templates, "layout", l, r->out) != 0)
		return send(r, 500, "text/plain; charset=utf-8", 0,
		    "internal error\n", 15);
	return send(r, status, "text/html; charset=utf-8", 1, r->out->p,
	    r->out->len);
}

int
render_page(struct req *r, int status, const char *tmpl, const char *title,
    json_object *view)
{
	if (r->fmt == FMT_JSON)
		return render_json(r, status, view);
	return render_html(r, status, tmpl, title, view);
}

int
render_redirect(struct req *r, const char *location)
{
	char	 url[2048];

	/* Only our own paths (AC-9); anything else goes home. */
	if (location == NULL || location[0] != '/' || location[1] == '/' ||
	    location[1] == '\\' || strchr(location, '\\') != NULL ||
	    !esc_header_ok(location))
		location = "/";
	snprintf(url, sizeof(url), "%s", location);
	resp_header(r, "Location", url);
	return send(r, 303, "text/html; charset=utf-8", 1, "", 0);
}

static const char *
title_for(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Sign-in required";
	case 403: return "Not allowed";
	case 404: return "Page not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 410: return "Link no longer valid";
	case 413: return "Too large";
	case 415: return "Unsupported media type";
	case 422: return "Please check the form";
	case 429: return "Too many requests";
	case 503: return "Service unavailable";
	default: return "Something went wrong";
	}
}

static json_object *
problem(struct req *r, int status, const char *code, const char *detail)
{
	json_object	*p = view_new(r);

	vset_str(p, "type", arena_printf(r->a, "/docs/errors/%s", code));
	vset_str(p, "title", title_for(status));
	vset_int(p, "status", status);
	vset_str(p, "detail", detail);
	vset_str(p, "instance", r->api ?
	    arena_printf(r->a, "/api/v1%s", r->path ? r->path : "") :
	    (r->path ? r->path : "/"));
	vset_str(p, "code", code);
	vset_str(p, "request_id", r->rid);
	return p;
}

int
render_error(struct req *r, int status, const char *code,
    const char *detail)
{
	json_object	*v;

	if (r->fmt == FMT_JSON || templates == NULL) {
		v = problem(r, status, code, detail);
		json_to_out(r, v);
		return send(r, status,
		    "application/problem+json; charset=utf-8", 0, r->out->p,
		    r->out->len);
	}
	v = view_new(r);
	vset_int(v, "status", status);
	vset_str(v, "title", title_for(status));
	vset_str(v, "detail", detail);
	vset_str(v, "code", code);
	vset_str(v, "request_id", r->rid);
	return render_html(r, status, "error", title_for(status), v);
}

static json_object *
errors_json(struct req *r, int pointer)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < r->nerrors; i++) {
		json_object	*e = json_object_new_object();

		if (pointer)
			vset_str(e, "pointer", arena_printf(r->a, "/%s",
			    r->errors[i].field));
		vset_str(e, "parameter", r->errors[i].field);
		vset_str(e, "field", r->errors[i].field);
		vset_str(e, "code", r->errors[i].code);
		vset_str(e, "message", r->errors[i].message);
		json_object_array_add(a, e);
	}
	return a;
}

int
render_invalid(struct req *r, const char *tmpl, const char *title,
    json_object *view)
{
	json_object	*fe;
	size_t		 i;

	if (r->fmt == FMT_JSON) {
		json_object	*p = problem(r, 422, "validation-failed",
		    r->nerrors ? r->errors[0].message : NULL);

		vset_obj(p, "errors", errors_json(r, r->json != NULL));
		json_to_out(r, p);
		return send(r, 422, "application/problem+json; charset=utf-8",
		    0, r->out->p, r->out->len);
	}
	vset_obj(view, "errors", errors_json(r, 0));
	fe = json_object_new_object();
	for (i = 0; i < r->nerrors; i++)
		if (json_object_object_get(fe, r->errors[i].field) == NULL)
			vset_str(fe, r->errors[i].field, r->errors[i].message);
	vset_obj(view, "field_errors", fe);
	return render_html(r, 422, tmpl, title, view);
}
