/* session.h — who is asking: the session cookie or a Bearer token, and
 * the CSRF defence of cookie-authenticated writes (DESIGN §8, RELIABILITY
 * §5.3, §6). */
#ifndef SESSION_H
#define SESSION_H

#include <stdint.h>

struct req;

struct session {
	int64_t		 id;
	int64_t		 user_id;	/* 0: pre-login session */
	char		*csrf;		/* 43 base64url characters */
	char		*flash;		/* "kind\ttext" lines, or NULL */
	int64_t		 current_org_id; /* the workspace chosen, 0 = personal */
	int64_t		 authed_age;	/* seconds since password entry */
};

/* Read the session cookie or Bearer token into r->sess / r->user.
 * Expired or unknown cookies are dropped silently (the cookie is
 * cleared). Returns 0, or 400 (cookie and Bearer together), 401 (bad,
 * expired or revoked token), 503 (database). */
int	 auth_load(struct req *);
/* Make sure a (pre-login) session exists, for the CSRF token of a form. */
int	 session_ensure(struct req *);
/* Start a signed-in session: the old one is deleted (no fixation). */
int	 session_login(struct req *, int64_t user_id);
int	 session_logout(struct req *);
/* End every session of the user except the current one. */
int	 session_end_others(struct req *, int64_t user_id);
int	 session_end_all(struct req *, int64_t user_id);
/* Flash for the next page (stored on the session row). */
int	 session_set_flash(struct req *, const char *kind, const char *text);
/* CSRF-1/2: token and Origin checks. 0 ok, 403 refused (logged). */
int	 csrf_check(struct req *);
/* The cookie's name for this configuration (SES-2/3). */
const char *session_cookie_name(void);

#endif
