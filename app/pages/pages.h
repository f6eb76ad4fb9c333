/* pages.h — every handler, grouped by page file. Each returns the status
 * it sent (render_* in render/view.h). */
#ifndef PAGES_H
#define PAGES_H

struct req;
struct docs;

void	 pages_set_docs(struct docs *);

/* system.c */
int	 h_ping(struct req *);
int	 h_status(struct req *);
int	 h_home(struct req *);
#ifdef TEST_HOOKS
int	 h_test_sleep(struct req *);
int	 h_test_crash(struct req *);
int	 h_test_big(struct req *);
int	 h_test_dbinfo(struct req *);
int	 h_test_heap(struct req *);
#endif


/* auth.c */
int	 h_login_form(struct req *);
int	 h_login(struct req *);
int	 h_logout(struct req *);
int	 h_signup_form(struct req *);
int	 h_signup(struct req *);
int	 h_verify_form(struct req *);
int	 h_verify(struct req *);
int	 h_verify_resend(struct req *);
int	 h_forgot_form(struct req *);
int	 h_forgot(struct req *);
int	 h_reset_form(struct req *);
int	 h_reset(struct req *);

/* account.c */
int	 h_account(struct req *);
int	 h_password_form(struct req *);
int	 h_password(struct req *);
int	 h_session_delete(struct req *);
int	 h_sessions_delete_others(struct req *);
int	 h_tokens(struct req *);
int	 h_token_create(struct req *);
int	 h_token_revoke(struct req *);

/* orgs.c — team organizations, workspace switcher, org audit log */
int	 h_org_new_form(struct req *);
int	 h_org_create(struct req *);
int	 h_workspace_switch(struct req *);
int	 h_org_home(struct req *);
int	 h_org_audit(struct req *);

/* members.c — members, roles, org licenses, invitations */
int	 h_members(struct req *);
int	 h_member_role(struct req *);
int	 h_member_license(struct req *);
int	 h_member_remove(struct req *);
int	 h_org_leave(struct req *);
int	 h_invitations(struct req *);
int	 h_invite(struct req *);
int	 h_invitation_resend(struct req *);
int	 h_invitation_revoke(struct req *);
int	 h_invitation_accept_form(struct req *);
int	 h_invitation_accept(struct req *);

/* billing.c — license pools, quantities, billing history */
int	 h_billing(struct req *);
int	 h_pool_create(struct req *);
int	 h_pool_quantity(struct req *);
int	 h_pool_close(struct req *);

/* docs.c */
int	 h_docs_index(struct req *);
int	 h_docs_page(struct req *);



/* Field indexes into r->in[], parallel to the field tables in routes.c
 * (kcgi's enum + table idiom). */
enum { LOGIN_EMAIL, LOGIN_PASSWORD, LOGIN_NEXT };
enum { SIGNUP_NAME, SIGNUP_EMAIL, SIGNUP_PASSWORD, SIGNUP_TIMEZONE };
enum { TOKEN_PARAM };
enum { FORGOT_EMAIL };
enum { RESET_TOKEN, RESET_PASSWORD };
enum { PWCHANGE_CURRENT, PWCHANGE_NEW };
enum { REAUTH_PASSWORD };
enum { APITOKEN_NAME, APITOKEN_SCOPE, APITOKEN_EXPIRES };
enum { ORGNEW_NAME, ORGNEW_TIMEZONE, ORGNEW_STANDARD, ORGNEW_PRO,
    ORGNEW_EVENT_PRO, ORGNEW_LICENSE };
enum { SWITCH_ORG };
enum { AUDIT_PAGE };
enum { MEMBERS_ROLE, MEMBERS_LICENSE };
enum { MEMBER_ROLE, MEMBER_VERSION };
enum { MEMBER_PRODUCT, MEMBER_LICENSE_VERSION };
enum { INVITE_EMAILS, INVITE_ROLE, INVITE_PRODUCT };
enum { ACCEPT_TOKEN, ACCEPT_NAME, ACCEPT_PASSWORD, ACCEPT_TIMEZONE };
enum { POOL_PRODUCT, POOL_QUANTITY, POOL_LABEL };
enum { QTY_QUANTITY, QTY_CONFIRM, QTY_VERSION };
enum { TEST_SECONDS };
enum { TEST_BYTES };
#endif
