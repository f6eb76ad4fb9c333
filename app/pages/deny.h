/* deny.h — the one way a handler refuses a request: roll back the open
 * transaction (nothing half-written survives a refusal), log the
 * decision with its reason code, and answer the error page or problem
 * (render_error). */
#ifndef PAGES_DENY_H
#define PAGES_DENY_H

struct req;

/* Returns the status sent. */
int	 page_refuse(struct req *, int status, const char *code,
	    const char *detail);

#endif
