/* tmpl.h — logic-less templates (DESIGN §7), mustache-like.
 *
 *   {{name}}        value, HTML-escaped (& < > " ')
 *   {{{name}}} {{&name}}  raw (only for already-safe HTML, e.g. md output)
 *   {{#x}}…{{/x}}   array: once per item; object: once with x pushed;
 *                   truthy scalar: once; null/false/""/0/[] : skipped
 *   {{^x}}…{{/x}}   inverted: once when x is falsy
 *   {{>partial}}    another template of the set, same context
 *   {{! comment}}   nothing
 *   {{.}}           the current item; dotted names a.b.c walk objects
 *
 * Names resolve from the innermost context outwards. Every *.html under
 * the directory is compiled once (name = path without ".html", e.g.
 * "account/tokens"); a syntax error or an unknown partial stops loading
 * with "file:line: message". */
#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include <json-c/json.h>

#include "core/buf.h"

struct tmpl_set;

struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t errsz);
/* Compile one template from memory (for tests); name used in errors. */
struct tmpl_set *tmpl_load_strings(const char *const *names,
	    const char *const *sources, size_t n, char *err, size_t errsz);
int	 tmpl_has(const struct tmpl_set *, const char *name);
/* Render into out; -1 if the template does not exist. */
int	 tmpl_render(const struct tmpl_set *, const char *name,
	    json_object *view, struct buf *out);
void	 tmpl_free(struct tmpl_set *);

#endif
