/* req.c — fill struct req from a FastCGI request, with every cap of
 * RELIABILITY §2 checked before anything is trusted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "conf.h"
#include "log.h"
#include "req.h"
#include "util.h"

#define FCGI_PARAMS_MAX		128
#define FCGI_PARAMS_BYTES	(32 * 1024)

static const struct {
	const char	*name;
	enum method	 m;
} methods[] = {
	{ "GET", M_GET }, { "HEAD", M_HEAD }, { "POST", M_POST },
	{ "PUT", M_PUT }, { "PATCH", M_PATCH }, { "DELETE", M_DELETE },
	{ "OPTIONS", M_OPTIONS },
};

const char *
method_name(enum method m)
{
	size_t	 i;

	for (i = 0; i < countof(methods); i++)
		if (methods[i].m == m)
			return methods[i].name;
	return "OTHER";
}

/* The FastCGI parameters we read, found in one pass over the
 * environment (libfcgi's lookup compares every entry for each name). */
enum fparam {
	FP_REQUEST_ID, FP_REQUEST_METHOD, FP_REQUEST_URI, FP_CONTENT_TYPE,
	FP_CONTENT_LENGTH, FP_ACCEPT, FP_ORIGIN, FP_SEC_FETCH_SITE,
	FP_AUTHORIZATION, FP_IF_MATCH, FP_CSRF_TOKEN, FP_IF_NONE_MATCH,
	FP_IF_MODIFIED_SINCE, FP_REMOTE_ADDR, FP_USER_AGENT, FP_HTTPS,
	FP_COOKIE, FP_TEST_FAULT, FP__MAX
};

#define FP(s)	{ s, sizeof(s) - 1 }
static const struct {
	const char	*name;
	size_t		 len;
} fparams[FP__MAX] = {
	FP("REQUEST_ID"), FP("REQUEST_METHOD"), FP("REQUEST_URI"),
	FP("CONTENT_TYPE"), FP("CONTENT_LENGTH"), FP("HTTP_ACCEPT"),
	FP("HTTP_ORIGIN"), FP("HTTP_SEC_FETCH_SITE"),
	FP("HTTP_AUTHORIZATION"), FP("HTTP_IF_MATCH"),
	FP("HTTP_X_CSRF_TOKEN"), FP("HTTP_IF_NONE_MATCH"),
	FP("HTTP_IF_MODIFIED_SINCE"), FP("REMOTE_ADDR"),
	FP("HTTP_USER_AGENT"), FP("HTTPS"), FP("HTTP_COOKIE"),
	FP("HTTP_X_TEST_FAULT"),
};
#undef FP

/* Each wanted parameter's value (the first, as libfcgi would give it),
 * the number of entries and their total size. */
static void
read_env(char **env, const char *v[FP__MAX], size_t *n, size_t *bytes)
{
	const char	*eq;
	size_t		 len, k;

	for (k = 0; k < FP__MAX; k++)
		v[k] = NULL;
	for (*n = 0, *bytes = 0; *env != NULL; env++) {
		(*n)++;
		*bytes += strlen(*env);
		if ((eq = strchr(*env, '=')) == NULL)
			continue;
		len = (size_t)(eq - *env);
		for (k = 0; k < FP__MAX; k++)
			if (fparams[k].len == len && v[k] == NULL &&
			    memcmp(fparams[k].name, *env, len) == 0) {
				v[k] = eq + 1;
				break;
			}
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode a path ('+' stays '+'); refuse bad escapes, NUL and
 * invalid UTF-8. */
static char *
decode_path(struct arena *a, const char *s, size_t n)
{
	char	*out = arena_alloc(a, n + 1), *o = out;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int	 h, l;

			if (i + 2 >= n ||
			    (h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				return NULL;
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	if (!utf8_valid(out, (size_t)(o - out)) || has_controls(out, 0))
		return NULL;
	return out;
}

static int
bad(struct req *r, int status, const char *reason)
{
	log_msg(LOG_INFO, "decision=deny reason=%s status=%d", reason, status);
	(void)r;
	return status;
}

int
req_read_head(struct req *r, void *fcgi, struct arena *a, struct buf *out)
{
	FCGX_Request	*fr = fcgi;
	const char	*fp[FP__MAX];
	size_t		 n, bytes, i;
	const char	*uri, *q, *cl, *cookie, *m;
	enum perr	 pe;

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->fcgi = fcgi;
	r->out = out;
	r->clen = -1;
	r->t0_ms = now_mono_ms();
	params_init(a, &r->params);

	read_env(fr->envp, fp, &n, &bytes);
	r->rid = fp[FP_REQUEST_ID];
	if (r->rid == NULL || strlen(r->rid) > 64)
		r->rid = arena_printf(a, "local-%llx",
		    (unsigned long long)now_wall_ms());
	if (n > FCGI_PARAMS_MAX || bytes > FCGI_PARAMS_BYTES)
		return bad(r, 431, "limit_headers");

	m = fp[FP_REQUEST_METHOD];
	r->method = M_OTHER;
	r->method_name = m ? m : "";
	for (i = 0; m != NULL && i < countof(methods); i++)
		if (strcmp(m, methods[i].name) == 0)
			r->method = methods[i].m;

	uri = fp[FP_REQUEST_URI];
	if (uri == NULL || uri[0] != '/')
		return bad(r, 400, "bad_uri");
	if (strlen(uri) > 8192)
		return bad(r, 414, "limit_uri");
	r->uri = uri;
	q = strchr(uri, '?');
	r->path = decode_path(a, uri, q ? (size_t)(q - uri) : strlen(uri));
	if (r->path == NULL)
		return bad(r, 400, "bad_encoding");
	/* Dot segments never name anything of ours; refuse them outright. */
	if (strstr(r->path, "/../") || strstr(r->path, "/./") ||
	    (strlen(r->path) >= 3 &&
	    strcmp(r->path + strlen(r->path) - 3, "/..") == 0))
		return bad(r, 400, "bad_path");
	if (strncmp(r->path, "/api/v1/", 8) == 0 ||
	    strcmp(r->path, "/api/v1") == 0) {
		r->api = 1;
		r->path += 7;
		if (*r->path == '\0')
			r->path = "/";
	}
	r->query = q ? q + 1 : "";

	r->ctype = fp[FP_CONTENT_TYPE];
	if (r->ctype != NULL && *r->ctype == '\0')
		r->ctype = NULL;
	cl = fp[FP_CONTENT_LENGTH];
	if (cl != NULL && *cl != '\0') {
		char	*end;
		long long v;

		errno = 0;
		v = strtoll(cl, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0)
			return bad(r, 400, "bad_content_length");
		r->clen = v;
	}
	r->accept = fp[FP_ACCEPT];
	r->origin = fp[FP_ORIGIN];
	r->sec_fetch_site = fp[FP_SEC_FETCH_SITE];
	r->authorization = fp[FP_AUTHORIZATION];
	r->if_match = fp[FP_IF_MATCH];
	r->csrf_header = fp[FP_CSRF_TOKEN];
	r->if_none_match = fp[FP_IF_NONE_MATCH];
	r->if_modified_since = fp[FP_IF_MODIFIED_SINCE];
	r->remote_addr = fp[FP_REMOTE_ADDR];
	r->user_agent = fp[FP_USER_AGENT];
#ifdef TEST_HOOKS
	r->test_fault = fp[FP_TEST_FAULT];
#endif
	r->https = fp[FP_HTTPS] != NULL && *fp[FP_HTTPS] != '\0';
	if (r->remote_addr == NULL)
		r->remote_addr = "";

	if ((cookie = fp[FP_COOKIE]) != NULL)
		r->ncookies = parse_cookies(a, cookie, r->cookies,
		    COOKIES_MAX);

	pe = parse_urlencoded(a, r->query, strlen(r->query), SRC_QUERY,
	    &r->params);
	if (pe == P_TOO_MANY)
		return bad(r, 400, "limit_params");
	if (pe != P_OK)
		return bad(r, 400, "bad_encoding");

	/* JSON when asked for: the /api/v1 prefix, or an Accept that names
	 * JSON before (or without) HTML. */
	r->fmt = FMT_HTML;
	if (r->api)
		r->fmt = FMT_JSON;
	else if (r->accept != NULL) {
		const char	*j = strstr(r->accept, "application/json");
		const char	*h = strstr(r->accept, "text/html");

		if (j != NULL && (h == NULL || j < h))
			r->fmt = FMT_JSON;
	}
	return 0;
}

static int
is_ctype(const char *ctype, const char *want)
{
	size_t	 n = strlen(want);

	return ctype != NULL && ascii_ncasecmp(ctype, want, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/* Scalars and arrays of scalars at the top of a JSON object become
 * parameters, so forms and JSON share one set of validators. */
static enum perr
json_to_params(struct req *r)
{
	json_object_iter	 it;

	if (!json_object_is_type(r->json, json_type_object))
		return P_OK;
	json_object_object_foreachC(r->json, it) {
		json_object	*v = it.val;
		size_t		 i, n;

		if (json_object_is_type(v, json_type_array)) {
			n = json_object_array_length(v);
			for (i = 0; i < n; i++) {
				json_object	*e;

				e = json_object_array_get_idx(v, i);
				if (e == NULL || json_object_is_type(e,
				    json_type_object) || json_object_is_type(e,
				    json_type_array))
					continue;
				if (r->params.n >= PARAMS_MAX)
					return P_TOO_MANY;
				r->params.v[r->params.n].name =
				    arena_strdup(r->a, it.key);
				r->params.v[r->params.n].value =
				    arena_strdup(r->a, json_object_get_string(e));
				r->params.v[r->params.n].len =
				    strlen(r->params.v[r->params.n].value);
				r->params.v[r->params.n].src = SRC_BODY;
				r->params.n++;
			}
			continue;
		}
		if (json_object_is_type(v, json_type_object))
			continue;
		if (r->params.n >= PARAMS_MAX)
			return P_TOO_MANY;
		r->params.v[r->params.n].name = arena_strdup(r->a, it.key);
		r->params.v[r->params.n].value = v == NULL ? "" :
		    arena_strdup(r->a, json_object_get_string(v));
		r->params.v[r->params.n].len =
		    strlen(r->params.v[r->params.n].value);
		r->params.v[r->params.n].src = SRC_BODY;
		r->params.n++;
	}
	return P_OK;
}

static void
json_put(void *p)
{
	json_object_put(p);
}

json_object *
req_own_json(struct req *r, json_object *o)
{
	arena_on_reset(r->a, json_put, o);
	return o;
}

int
req_read_body(struct req *r, int max_body, int upload)
{
	FCGX_Request	*fr = r->fcgi;
	char		*body;
	int		 got;
	enum perr	 pe;
	int		 has_body_method = r->method & (M_POST | M_PUT | M_PATCH);

	if (r->clen < 0) {
		if (has_body_method)
			return bad(r, 411, "no_length");
		return 0;
	}
	if (r->clen == 0)
		goto parsed;
	/* Refuse by the declared length before reading a byte (T09). */
	if (r->clen > max_body)
		return bad(r, 413, "limit_body");
	body = arena_alloc(r->a, (size_t)r->clen + 1);
	got = FCGX_GetStr(body, (int)r->clen, fr->in);
	if (got != r->clen)
		return bad(r, 400, "short_body");
	body[got] = '\0';
	r->body = body;
	r->bodylen = (size_t)got;

	if (is_ctype(r->ctype, "application/x-www-form-urlencoded")) {
		if (r->api)
			return bad(r, 415, "media_type");
		pe = parse_urlencoded(r->a, body, r->bodylen, SRC_BODY,
		    &r->params);
	} else if (is_ctype(r->ctype, "multipart/form-data")) {
		if (r->api && !upload)
			return bad(r, 415, "media_type");
		pe = parse_multipart(r->a, r->ctype, body, r->bodylen,
		    &r->params);
	} else if (is_ctype(r->ctype, "application/json")) {
		pe = parse_json(body, r->bodylen, &r->json);
		if (pe == P_OK) {
			(void)req_own_json(r, r->json);
			pe = json_to_params(r);
		}
	} else
		return bad(r, 415, "media_type");

	switch (pe) {
	case P_OK:
		break;
	case P_TOO_MANY:
		return bad(r, 400, "limit_params");
	case P_TOO_DEEP:
		return bad(r, 400, "limit_json");
	case P_BAD_ENCODING:
		return bad(r, 400, "bad_encoding");
	default:
		return bad(r, 400, "malformed_body");
	}
parsed:
	/* An unsafe JSON API call must say it is JSON (CSRF-4). */
	if (r->api && has_body_method && r->clen > 0 && !upload &&
	    !is_ctype(r->ctype, "application/json"))
		return bad(r, 415, "media_type");
	return 0;
}

const char *
req_param(const struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->params.n; i++)
		if (strcmp(r->params.v[i].name, name) == 0)
			return r->params.v[i].value;
	return NULL;
}

const char *
req_cookie(const struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->ncookies; i++)
		if (strcmp(r->cookies[i].name, name) == 0)
			return r->cookies[i].value;
	return NULL;
}

const char *
req_pathvar(const struct req *r, size_t i)
{
	return i < r->npathvars ? r->pathvars[i] : NULL;
}

int64_t
req_pathvar_id(const struct req *r, size_t i)
{
	const char	*s = req_pathvar(r, i);
	int64_t		 v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 ? v : -1;
}

#ifdef TEST_HOOKS
unsigned
req_test_pause(const struct req *r, const char *name)
{
	size_t	 n = strlen(name);

	if (r->test_fault == NULL || strncmp(r->test_fault, name, n) != 0 ||
	    r->test_fault[n] != '=')
		return 0;
	return (unsigned)atoi(r->test_fault + n + 1);
}
#endif
