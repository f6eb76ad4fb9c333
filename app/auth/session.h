/* session.h — who is asking: the session cookie or a Bearer token, and
 * the CSRF defence of cookie-authenticated writes (DESIGN §8, RELIABILITY
 * §5.3, §6). */
#ifndef SESSION_H
#define SESSION_H

#include <stdint.h>

struct dbq;
struct req;

/* A session's row: columns, joins (aliases s, u, po) and their db_fetch
 * letters, for a statement that reads more with it (eventctx.c). An
 * HTML request's row adds SESSION_WORKSPACES after SESSION_COLS (the
 * layout's workspace list: a subquery that would double the cost of
 * every API request's session read); session_ncols() counts both. */
#define SESSION_COLS \
    "s.id, s.user_id, s.csrf_secret, s.flash, s.current_org_id," \
    " TIMESTAMPDIFF(SECOND, s.created_at, UTC_TIMESTAMP(3))," \
    " TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP(3))," \
    " COALESCE(TIMESTAMPDIFF(SECOND, s.authed_at, UTC_TIMESTAMP(3)), 1e9)," \
    " u.uuid, u.email, u.name, u.timezone, u.email_verified_at IS NOT NULL," \
    " u.status = 'active', u.must_change_password," \
    " DATE_FORMAT(u.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(u.last_sign_in_at, '%Y-%m-%dT%H:%i:%sZ'), po.id, po.name"
#define SESSION_WORKSPACES \
    ", (SELECT GROUP_CONCAT(mo.id, 0x1f, mo.kind, 0x1f, mm.role, 0x1f," \
    "  mo.name ORDER BY mo.kind = 'team', mo.name, mo.id SEPARATOR 0x1e)" \
    "  FROM org_members mm JOIN orgs mo ON mo.id = mm.org_id" \
    "  WHERE mm.user_id = u.id)"
#define SESSION_FROM \
    "sessions s LEFT JOIN users u ON u.id = s.user_id" \
    " LEFT JOIN orgs po ON po.personal_user_id = u.id"
#define SESSION_TYPES	"iissiiiissssiiissis"
#define SESSION_NCOLS	19

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
/* auth_load() on a route of one object, {…} its first path variable,
 * for a cookie session read by the caller's statement: q_page for an
 * HTML request, q for others, the session's columns first (see
 * SESSION_COLS), parameters the object's id and then the session's
 * token hash. When the row holds a signed-in session, cols(r, q, first)
 * reads the caller's own columns from it (db_cols from column first).
 * Without a cookie, with a Bearer token or without an id in the path
 * this is auth_load() and no statement is run. The same statuses as
 * auth_load(). */
int	 auth_load_by(struct req *, struct dbq *q, struct dbq *q_page,
	    void (*cols)(struct req *, struct dbq *, size_t first));
/* The session's columns in this request's row. */
size_t	 session_ncols(const struct req *);
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
