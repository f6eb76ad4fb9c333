/* route.h — the route table: {methods, pattern, handler, permission,
 * flags, fields}, matched in one place; flags are checked generically
 * before any handler runs (cgit's command table, RELIABILITY AC-1). */
#ifndef ROUTE_H
#define ROUTE_H

#include <stddef.h>

#include "valid.h"

struct req;

/* Who may call the route at all; finer checks ask app/policy. */
enum perm {
	PERM_PUBLIC,		/* anyone, signed in or not */
	PERM_USER,		/* a signed-in user (session or token) */
	PERM_LOOPBACK,		/* only from 127.0.0.1 / ::1 (status) */
};

enum route_flag {
	R_NO_SESSION = 1 << 0,	/* never read or create a session (feeds, ping) */
	R_HTML_ONLY = 1 << 1,	/* no JSON twin (e.g. redirects only) */
	R_NO_TOKEN = 1 << 2,	/* API tokens may not use it (tokens, password) */
	R_WRITE = 1 << 3,	/* changes state: read-scope tokens get 403 */
	R_NO_CSRF = 1 << 4,	/* unsafe method that needs no CSRF token */
	R_UPLOAD = 1 << 5,	/* multipart with a file: upload_limit body */
	R_PRELOGIN = 1 << 6,	/* GET creates a pre-login session (CSRF) */
	R_OWN_FORMAT = 1 << 7,	/* with R_HTML_ONLY: answers its own format
				   (text, a calendar) to an Accept that
				   prefers JSON, instead of a 404 */
};

typedef int (*handler_fn)(struct req *);

struct route {
	unsigned		 methods;	/* enum method bits */
	const char		*pattern;	/* "/docs/{slug*}", "/x/{id}" */
	handler_fn		 handler;
	enum perm		 perm;
	unsigned		 flags;
	const struct field	*fields;
	size_t			 nfields;
	int			 max_body;	/* 0: cfg->max_body */
};

extern const struct route routes[];
extern const size_t nroutes;

/* Match r->path and r->method. Returns the route, or NULL with *status
 * set to 404 or 405 (and *allow the methods bitmask for Allow:). */
const struct route *route_match(struct req *, int *status, unsigned *allow);
/* "GET /docs/{slug*}" — the route's template for logs and scoreboard. */
const char *route_name(const struct route *, unsigned method);
/* Print the table (`backopsd routes`), one "METHOD PATTERN PERM" a line. */
void	 route_dump(int fd);

#endif
