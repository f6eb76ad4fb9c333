/* route.c — match a path against the route table's patterns.
 *
 * Patterns are literal segments, "{name}" (one non-empty segment) and a
 * trailing "{name*}" (the rest, one or more segments). The table is small
 * and scanned in order; the first pattern and method that match win. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "req.h"
#include "route.h"
#include "util.h"

/* Returns 1 and fills r->pathvars on a match. */
static int
match(struct req *r, const char *pat, const char *path)
{
	size_t	 nv = 0;

	while (*pat != '\0') {
		if (*pat != '{') {
			if (*pat != *path)
				return 0;
			pat++, path++;
			continue;
		}
		/* A variable: find its end in the pattern. */
		{
			const char	*close = strchr(pat, '}');
			int		 rest;
			size_t		 len;

			if (close == NULL || nv >= PATHVARS_MAX)
				return 0;
			rest = close[-1] == '*';
			len = rest ? strlen(path) : strcspn(path, "/");
			if (len == 0)
				return 0;
			r->pathvars[nv++] = arena_strndup(r->a, path, len);
			path += len;
			pat = close + 1;
		}
	}
	if (*path != '\0')
		return 0;
	r->npathvars = nv;
	return 1;
}

const struct route *
route_match(struct req *r, int *status, unsigned *allow)
{
	size_t		 i;
	unsigned	 m = r->method == M_HEAD ? M_GET : r->method;

	*allow = 0;
	for (i = 0; i < nroutes; i++) {
		if (!match(r, routes[i].pattern, r->path))
			continue;
		if (routes[i].methods & m) {
			r->route = &routes[i];
			return &routes[i];
		}
		*allow |= routes[i].methods;
	}
	r->npathvars = 0;
	*status = *allow ? 405 : 404;
	return NULL;
}

const char *
route_name(const struct route *rt, unsigned method)
{
	static char	 name[160];

	if (rt == NULL)
		return "";
	snprintf(name, sizeof(name), "%s %s",
	    method_name((enum method)method), rt->pattern);
	return name;
}

void
route_dump(int fd)
{
	static const char *const perms[] = { "public", "user", "loopback" };
	size_t		 i;
	unsigned	 bit;

	for (i = 0; i < nroutes; i++)
		for (bit = 1; bit <= M_OPTIONS; bit <<= 1)
			if (routes[i].methods & bit)
				dprintf(fd, "%s %s %s%s\n",
				    method_name((enum method)bit),
				    routes[i].pattern, perms[routes[i].perm],
				    (routes[i].flags & R_HTML_ONLY) ?
				    " html-only" : "");
}
