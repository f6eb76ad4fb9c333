/* routes.c — the route table: every URL the application answers, with
 * its permission, flags and declared inputs (RELIABILITY AC-1). Each
 * path is also reachable under /api/v1 as its JSON twin. */
#include <stddef.h>

#include "core/req.h"
#include "core/route.h"
#include "pages.h"

#define FIELDS(f)	(f), (sizeof(f) / sizeof((f)[0]))
#define NOFIELDS	NULL, 0

static const struct field login_fields[] = {
	[LOGIN_EMAIL] = { "email", V_TEXT, F_REQUIRED, 1, 254, "Email" },
	[LOGIN_PASSWORD] = { "password", V_SECRET, F_REQUIRED, 1, 1024,
	    "Password" },
	[LOGIN_NEXT] = { "next", V_TEXT, 0, 0, 500, "Next" },
};

static const struct field signup_fields[] = {
	[SIGNUP_NAME] = { "name", V_TEXT, F_REQUIRED, 1, 100, "Name" },
	[SIGNUP_EMAIL] = { "email", V_EMAIL, F_REQUIRED, 3, 254, "Email" },
	[SIGNUP_PASSWORD] = { "password", V_SECRET, F_REQUIRED, 0, 0,
	    "Password" },
	[SIGNUP_TIMEZONE] = { "timezone", V_TZ, F_REQUIRED, 0, 0,
	    "Time zone" },
};

static const struct field token_fields[] = {
	[TOKEN_PARAM] = { "token", V_TOKEN, 0, 0, 0, "Link" },
};

static const struct field forgot_fields[] = {
	[FORGOT_EMAIL] = { "email", V_TEXT, F_REQUIRED, 1, 254, "Email" },
};

static const struct field reset_fields[] = {
	[RESET_TOKEN] = { "token", V_TOKEN, F_REQUIRED, 0, 0, "Link" },
	[RESET_PASSWORD] = { "password", V_SECRET, F_REQUIRED, 0, 0,
	    "New password" },
};

static const struct field pwchange_fields[] = {
	[PWCHANGE_CURRENT] = { "current_password", V_SECRET, F_REQUIRED, 0, 0,
	    "Current password" },
	[PWCHANGE_NEW] = { "new_password", V_SECRET, F_REQUIRED, 0, 0,
	    "New password" },
};

static const struct field reauth_fields[] = {
	[REAUTH_PASSWORD] = { "current_password", V_SECRET, F_REQUIRED, 0, 0,
	    "Current password" },
};

static const struct field apitoken_fields[] = {
	[APITOKEN_NAME] = { "name", V_TEXT, F_REQUIRED, 1, 100, "Name" },
	[APITOKEN_SCOPE] = { "scope", V_TEXT, 0, 0, 20, "Scope" },
	[APITOKEN_EXPIRES] = { "expires_in_days", V_INT, 0, 0, 3650,
	    "Expiry" },
};

#ifdef TEST_HOOKS
static const struct field sleep_fields[] = {
	[TEST_SECONDS] = { "s", V_INT, 0, 0, 600, "Seconds" },
};
static const struct field big_fields[] = {
	[TEST_BYTES] = { "bytes", V_INT, 0, 0, 104857600, "Bytes" },
};
#endif

const struct route routes[] = {
	/* system */
	{ M_GET, "/ping", h_ping, PERM_PUBLIC, R_NO_SESSION | R_HTML_ONLY,
	    NOFIELDS, 0 },
	{ M_GET, "/status", h_status, PERM_LOOPBACK, R_NO_SESSION,
	    NOFIELDS, 0 },
	{ M_GET, "/", h_home, PERM_PUBLIC, 0, NOFIELDS, 0 },

	/* sign-in, sign-up, recovery */
	{ M_GET, "/login", h_login_form, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(login_fields), 0 },
	{ M_POST, "/login", h_login, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(login_fields), 0 },
	{ M_POST, "/logout", h_logout, PERM_USER, R_NO_TOKEN, NOFIELDS, 0 },
	{ M_GET, "/signup", h_signup_form, PERM_PUBLIC, R_PRELOGIN,
	    NOFIELDS, 0 },
	{ M_POST, "/signup", h_signup, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(signup_fields), 0 },
	{ M_GET, "/verify", h_verify_form, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(token_fields), 0 },
	{ M_POST, "/verify", h_verify, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(token_fields), 0 },
	{ M_POST, "/account/verify/resend", h_verify_resend, PERM_USER,
	    R_NO_TOKEN, NOFIELDS, 0 },
	{ M_GET, "/password/forgot", h_forgot_form, PERM_PUBLIC, R_PRELOGIN,
	    NOFIELDS, 0 },
	{ M_POST, "/password/forgot", h_forgot, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(forgot_fields), 0 },
	{ M_GET, "/password/reset", h_reset_form, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(token_fields), 0 },
	{ M_POST, "/password/reset", h_reset, PERM_PUBLIC, R_PRELOGIN,
	    FIELDS(reset_fields), 0 },

	/* account */
	{ M_GET, "/account", h_account, PERM_USER, 0, NOFIELDS, 0 },
	{ M_GET, "/account/password", h_password_form, PERM_USER,
	    R_NO_TOKEN, NOFIELDS, 0 },
	{ M_POST, "/account/password", h_password, PERM_USER, R_NO_TOKEN,
	    FIELDS(pwchange_fields), 0 },
	{ M_POST, "/account/sessions/delete-others", h_sessions_delete_others,
	    PERM_USER, R_NO_TOKEN, FIELDS(reauth_fields), 0 },
	{ M_POST, "/account/sessions/{id}/delete", h_session_delete,
	    PERM_USER, R_NO_TOKEN, NOFIELDS, 0 },
	{ M_GET, "/account/tokens", h_tokens, PERM_USER, R_NO_TOKEN,
	    NOFIELDS, 0 },
	{ M_POST, "/account/tokens", h_token_create, PERM_USER, R_NO_TOKEN,
	    FIELDS(apitoken_fields), 0 },
	{ M_POST, "/account/tokens/{id}/revoke", h_token_revoke, PERM_USER,
	    R_NO_TOKEN, NOFIELDS, 0 },

	/* help pages */
	{ M_GET, "/docs", h_docs_index, PERM_PUBLIC, 0, NOFIELDS, 0 },
	{ M_GET, "/docs/{slug*}", h_docs_page, PERM_PUBLIC, 0, NOFIELDS, 0 },

#ifdef TEST_HOOKS
	/* PROC-11: only in test builds (T40 checks the release binary). */
	{ M_GET, "/__test/sleep", h_test_sleep, PERM_PUBLIC, R_NO_SESSION,
	    FIELDS(sleep_fields), 0 },
	{ M_GET, "/__test/crash", h_test_crash, PERM_PUBLIC, R_NO_SESSION,
	    NOFIELDS, 0 },
	{ M_GET, "/__test/big", h_test_big, PERM_PUBLIC, R_NO_SESSION,
	    FIELDS(big_fields), 0 },
	{ M_GET, "/__test/dbinfo", h_test_dbinfo, PERM_PUBLIC, R_NO_SESSION,
	    NOFIELDS, 0 },
#endif
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
