/* view.h — writing responses: the view model rendered as JSON or as an
 * HTML page in the layout, redirects, problem details and error pages,
 * with the security headers set in one place (RELIABILITY §8).
 *
 * Every render_* function writes the whole response and returns the
 * status it sent, so handlers end with `return render_…(r, …);`. */
#ifndef VIEW_H
#define VIEW_H

#include <json-c/json.h>

struct req;
struct tmpl_set;

/* The template set compiled by the master (app_load). */
void	 view_set_templates(struct tmpl_set *);
struct tmpl_set *view_templates(void);

/* A new JSON object owned by the request arena (put at reset). */
json_object *view_new(struct req *);
/* Helpers that tolerate NULL strings (→ JSON null). */
void	 vset_str(json_object *, const char *key, const char *val);
void	 vset_int(json_object *, const char *key, long long val);
void	 vset_bool(json_object *, const char *key, int val);
void	 vset_obj(json_object *, const char *key, json_object *val);

/* Add a response header (name and value must not contain CR/LF). */
void	 resp_header(struct req *, const char *name, const char *value);
/* Queue a flash message shown on the next HTML page of this session. */
void	 flash(struct req *, const char *kind, const char *text);

/* 200/201/422…: JSON twin, or tmpl rendered inside the layout. */
int	 render_page(struct req *, int status, const char *tmpl,
	    const char *title, json_object *view);
/* Plain JSON body (API-only answers). */
int	 render_json(struct req *, int status, json_object *);
/* HTML: 303 See Other to location. */
int	 render_redirect(struct req *, const char *location);
/* Errors: problem details (JSON) or error page (HTML). code is one of
 * PRODUCT §19's codes; detail may be NULL. */
int	 render_error(struct req *, int status, const char *code,
	    const char *detail);
/* 422 with r->errors: problem details with errors[], or the form page
 * (tmpl + view) re-shown with field_errors and the summary. */
int	 render_invalid(struct req *, const char *tmpl, const char *title,
	    json_object *view);
/* A raw body with a given content type (text/plain for /ping). */
int	 render_text(struct req *, int status, const char *ctype,
	    const char *body, size_t len);

#endif
