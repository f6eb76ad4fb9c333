/* routes.c — the route table: every URL the application answers, with
 * its permission, flags and declared inputs (RELIABILITY AC-1). Each
 * path is also reachable under /api/v1 as its JSON twin. */
#include <stddef.h>

#include "core/req.h"
#include "core/route.h"
#include "access.h"
#include "advconfig.h"
#include "advances.h"
#include "advmanager.h"
#include "advmap.h"
#include "advpage.h"
#include "calendar.h"
#include "collabs.h"
#include "events.h"
#include "feeds.h"
#include "exports.h"
#include "pages.h"
#include "rollup.h"
#include "schedule.h"
#include "runofshow.h"
#include "tasks.h"

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

static const struct field orgnew_fields[] = {
	[ORGNEW_NAME] = { "name", V_TEXT, F_REQUIRED, 1, 120, "Name" },
	[ORGNEW_TIMEZONE] = { "timezone", V_TZ, F_REQUIRED, 0, 0,
	    "Time zone" },
	[ORGNEW_STANDARD] = { "org_standard", V_INT, 0, 0, 10000,
	    "Org Standard licenses" },
	[ORGNEW_PRO] = { "org_pro", V_INT, 0, 0, 10000, "Org Pro licenses" },
	[ORGNEW_EVENT_PRO] = { "event_pro", V_INT, 0, 0, 10000,
	    "Event Pro licenses" },
	[ORGNEW_LICENSE] = { "license", V_TEXT, F_REQUIRED, 0, 20,
	    "Your license" },
};

static const struct field switch_fields[] = {
	[SWITCH_ORG] = { "org_id", V_ID, F_REQUIRED, 0, 0, "Workspace" },
};

static const struct field audit_fields[] = {
	[AUDIT_PAGE] = { "page", V_INT, 0, 1, 100000, "Page" },
};

static const struct field members_fields[] = {
	[MEMBERS_ROLE] = { "role", V_TEXT, 0, 0, 20, "Role" },
	[MEMBERS_LICENSE] = { "license", V_TEXT, 0, 0, 20, "License" },
};

static const struct field member_role_fields[] = {
	[MEMBER_ROLE] = { "role", V_TEXT, F_REQUIRED, 0, 20, "Role" },
	[MEMBER_VERSION] = { "version", V_INT, 0, 0, 2147483647, "Version" },
};

static const struct field member_license_fields[] = {
	[MEMBER_PRODUCT] = { "license", V_TEXT, F_REQUIRED, 0, 20,
	    "License" },
	[MEMBER_LICENSE_VERSION] = { "version", V_INT, 0, 0, 2147483647,
	    "Version" },
};

static const struct field invite_fields[] = {
	[INVITE_EMAILS] = { "emails", V_LONGTEXT, F_REQUIRED, 1, 30000,
	    "Email addresses" },
	[INVITE_ROLE] = { "role", V_TEXT, F_REQUIRED, 0, 20, "Role" },
	[INVITE_PRODUCT] = { "license", V_TEXT, F_REQUIRED, 0, 20,
	    "License" },
};

static const struct field accept_fields[] = {
	[ACCEPT_TOKEN] = { "token", V_TOKEN, 0, 0, 0, "Invitation link" },
	[ACCEPT_NAME] = { "name", V_TEXT, 0, 1, 100, "Name" },
	[ACCEPT_PASSWORD] = { "password", V_SECRET, 0, 0, 0, "Password" },
	[ACCEPT_TIMEZONE] = { "timezone", V_TZ, 0, 0, 0, "Time zone" },
};

static const struct field pool_fields[] = {
	[POOL_PRODUCT] = { "product", V_TEXT, F_REQUIRED, 0, 20, "Product" },
	[POOL_QUANTITY] = { "quantity", V_INT, F_REQUIRED, 0, 10000,
	    "Quantity" },
	[POOL_LABEL] = { "label", V_TEXT, 0, 0, 100, "Label" },
};

static const struct field qty_fields[] = {
	[QTY_QUANTITY] = { "quantity", V_INT, F_REQUIRED, 0, 10000,
	    "Quantity" },
	[QTY_CONFIRM] = { "confirm", V_BOOL, 0, 0, 0, "Confirm" },
	[QTY_VERSION] = { "version", V_INT, 0, 0, 2147483647, "Version" },
};

/* Events, areas, collaborators, crew, event users and access: each page
 * group keeps its fields and routes in its own include. */
#include "fields_events.inc"
#include "fields_collabs.inc"
#include "fields_access.inc"
#include "fields_tasks.inc"
#include "fields_rollup.inc"
#include "fields_schedule.inc"
#include "fields_calendar.inc"
#include "fields_runofshow.inc"
#include "fields_feeds.inc"
#include "fields_exports.inc"
#include "fields_advconfig.inc"
#include "fields_advances.inc"
#include "fields_advpage.inc"
#include "fields_advmap.inc"
#include "fields_advmanager.inc"

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
	{ M_GET, "/ping", h_ping, PERM_PUBLIC,
	    R_NO_SESSION | R_HTML_ONLY | R_OWN_FORMAT, NOFIELDS, 0 },
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

	/* organizations and the workspace switcher */
	{ M_GET, "/orgs/new", h_org_new_form, PERM_USER, 0, NOFIELDS, 0 },
	{ M_POST, "/orgs", h_org_create, PERM_USER, R_WRITE,
	    FIELDS(orgnew_fields), 0 },
	{ M_POST, "/workspace", h_workspace_switch, PERM_USER, R_HTML_ONLY,
	    FIELDS(switch_fields), 0 },
	{ M_GET, "/orgs/{org}", h_org_home, PERM_USER, 0, NOFIELDS, 0 },
	{ M_GET, "/orgs/{org}/audit", h_org_audit, PERM_USER, 0,
	    FIELDS(audit_fields), 0 },

	/* members and invitations */
	{ M_GET, "/orgs/{org}/members", h_members, PERM_USER, 0,
	    FIELDS(members_fields), 0 },
	{ M_POST, "/orgs/{org}/members/{user}/role", h_member_role, PERM_USER,
	    R_WRITE, FIELDS(member_role_fields), 0 },
	{ M_POST, "/orgs/{org}/members/{user}/license", h_member_license,
	    PERM_USER, R_WRITE, FIELDS(member_license_fields), 0 },
	{ M_POST, "/orgs/{org}/members/{user}/remove", h_member_remove,
	    PERM_USER, R_WRITE, NOFIELDS, 0 },
	{ M_POST, "/orgs/{org}/leave", h_org_leave, PERM_USER, R_WRITE,
	    NOFIELDS, 0 },
	{ M_GET, "/orgs/{org}/invitations", h_invitations, PERM_USER, 0,
	    NOFIELDS, 0 },
	{ M_POST, "/orgs/{org}/invitations", h_invite, PERM_USER, R_WRITE,
	    FIELDS(invite_fields), 0 },
	{ M_POST, "/orgs/{org}/invitations/{id}/resend", h_invitation_resend,
	    PERM_USER, R_WRITE, NOFIELDS, 0 },
	{ M_POST, "/orgs/{org}/invitations/{id}/revoke", h_invitation_revoke,
	    PERM_USER, R_WRITE, NOFIELDS, 0 },
	{ M_GET, "/invitations/accept", h_invitation_accept_form, PERM_PUBLIC,
	    R_PRELOGIN, FIELDS(accept_fields), 0 },
	{ M_POST, "/invitations/accept", h_invitation_accept, PERM_PUBLIC,
	    R_PRELOGIN, FIELDS(accept_fields), 0 },

	/* licenses and billing */
	{ M_GET, "/orgs/{org}/billing", h_billing, PERM_USER, 0, NOFIELDS,
	    0 },
	{ M_POST, "/orgs/{org}/licenses", h_pool_create, PERM_USER, R_WRITE,
	    FIELDS(pool_fields), 0 },
	{ M_POST, "/orgs/{org}/licenses/{pool}/quantity", h_pool_quantity,
	    PERM_USER, R_WRITE, FIELDS(qty_fields), 0 },
	{ M_POST, "/orgs/{org}/licenses/{pool}/close", h_pool_close,
	    PERM_USER, R_WRITE, NOFIELDS, 0 },

	/* events and areas; collaborators and crew; event users and access */
#include "routes_events.inc"
#include "routes_collabs.inc"
#include "routes_access.inc"
#include "routes_tasks.inc"
#include "routes_rollup.inc"
#include "routes_schedule.inc"
#include "routes_calendar.inc"
#include "routes_runofshow.inc"
#include "routes_feeds.inc"
#include "routes_exports.inc"
#include "routes_advconfig.inc"
#include "routes_advances.inc"
#include "routes_advpage.inc"
#include "routes_advmap.inc"
#include "routes_advmanager.inc"

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
	{ M_GET, "/__test/heap", h_test_heap, PERM_PUBLIC, R_NO_SESSION,
	    NOFIELDS, 0 },
#endif
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
