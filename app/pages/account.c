/* account.c — the account page: profile, sessions, password change and
 * personal access tokens (PRODUCT §2, §19; RELIABILITY SES-6, AUTH-8). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/password.h"
#include "auth/session.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "model/apitoken.h"
#include "model/audit.h"
#include "model/emailtok.h"
#include "model/mail.h"
#include "model/user.h"
#include "pages.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"

static struct dbq q_sessions = DBQ(
    "SELECT id, " TS("created_at") ", " TS("last_seen_at") ", client"
    " FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, id DESC");
static struct dbq q_session_delete = DBQ(
    "DELETE FROM sessions WHERE id = ? AND user_id = ?");

static json_object *
workspaces(const struct user *u)
{
	json_object	*a = json_object_new_array(), *o;

	o = json_object_new_object();
	vset_int(o, "id", u->personal_org_id);
	vset_str(o, "name", "Personal workspace");
	vset_str(o, "kind", "personal");
	vset_str(o, "url", "/");
	json_object_array_add(a, o);
	return a;
}

/* GET /account — 200 profile, workspaces and sessions. */
int
h_account(struct req *r)
{
	json_object	*v = view_new(r), *sessions;
	struct user	 u;
	int64_t		 id;
	char		*created, *seen, *client;
	int		 rc;

	if (user_by_id(r, r->user->id, &u) != 1)
		return 503;
	vset_obj(v, "me", user_json(&u));
	vset_obj(v, "workspaces", workspaces(&u));
	if (r->token_id == 0) {
		if (db_select(&q_sessions, "i", u.id) != 0)
			return 503;
		sessions = json_object_new_array();
		vset_obj(v, "sessions", sessions);
		while ((rc = db_fetch(&q_sessions, "isss", &id, &created,
		    &seen, &client)) == 1) {
			json_object	*s = json_object_new_object();

			vset_int(s, "id", id);
			vset_time(s, "created_at", created, u.timezone);
			vset_time(s, "last_seen_at", seen, u.timezone);
			vset_str(s, "client", client);
			vset_bool(s, "current", r->sess && r->sess->id == id);
			json_object_array_add(sessions, s);
		}
		db_done(&q_sessions);
		if (rc < 0)
			return 503;
	}
	return render_page(r, 200, "account/index", "Account", v);
}

/* GET /account/password — 200 form. */
int
h_password_form(struct req *r)
{
	json_object	*v = view_new(r);

	vset_bool(v, "must_change", r->user->must_change_password);
	return render_page(r, 200, "account/password", "Change password", v);
}

static int
wrong_current(struct req *r, const char *tmpl, const char *title)
{
	valid_error(r, "current_password", "invalid-credentials",
	    "Your current password is not correct.");
	if (r->fmt == FMT_JSON)
		return render_error(r, 403, "insufficient-permission",
		    "Your current password is not correct.");
	return render_invalid(r, tmpl, title, view_new(r));
}

/* POST /account/password — 303 to /account; 422 errors (wrong current
 * password or a weak new one). The session is rotated and every other
 * session ends (SES-4, SES-6). */
int
h_password(struct req *r)
{
	struct user	 u;
	char		 hash[PW_HASH_MAX];
	const char	*why;

	if (user_by_id(r, r->user->id, &u) != 1)
		return 503;
	if (r->in[PWCHANGE_NEW].present &&
	    (why = pw_policy(r->in[PWCHANGE_NEW].s, u.email)) != NULL)
		valid_error(r, "new_password", "password-policy", why);
	if (r->nerrors)
		return render_invalid(r, "account/password",
		    "Change password", view_new(r));
	if (!pw_verify(u.password_hash, u.pepper_id,
	    r->in[PWCHANGE_CURRENT].s))
		return wrong_current(r, "account/password", "Change password");
	if (pw_hash(r->in[PWCHANGE_NEW].s, hash) != 0)
		return 503;
	if (db_begin() != 0 ||
	    user_set_password(r, u.id, hash, pw_pepper_id()) != 0 ||
	    emailtok_kill(r, ET_RESET, u.id) != 0 ||
	    session_end_others(r, u.id) != 0 ||
	    session_login(r, u.id) != 0 ||
	    mail_queue(r, u.email, "Your BackOps password was changed",
	    arena_printf(r->a, "Hello %s,\n\nYour password was changed and "
	    "your other sessions were signed out. If this wasn't you, reset "
	    "your password at %s/password/forgot.\n", u.name,
	    cfg->base_url)) != 0 ||
	    audit(r, 0, 0, "account.password_changed", "user", u.id, u.email,
	    NULL) != 0 || db_commit() != 0)
		return 503;
	flash(r, "ok", "Your password was changed. Other sessions were "
	    "signed out.");
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, "/account");
}

/* POST /account/sessions/{id}/delete — 303; 404 not one of mine. */
int
h_session_delete(struct req *r)
{
	int64_t	 id = req_pathvar_id(r, 0), n;

	if (id < 0)
		return render_error(r, 404, "not-found", NULL);
	if (db_begin() != 0)
		return 503;
	if ((n = db_exec(&q_session_delete, "ii", id, r->user->id)) < 0)
		return 503;
	if (n == 0) {
		db_rollback();
		return render_error(r, 404, "not-found", NULL);
	}
	if (audit(r, 0, 0, "account.session_ended", "session", id, NULL,
	    NULL) != 0 || db_commit() != 0)
		return 503;
	if (r->sess != NULL && r->sess->id == id) {
		r->sess = NULL;		/* signed out of this browser */
		return render_redirect(r, "/login");
	}
	flash(r, "ok", "That session was signed out.");
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, "/account");
}

/* POST /account/sessions/delete-others — 303; 422 wrong password. */
int
h_sessions_delete_others(struct req *r)
{
	struct user	 u;

	if (r->nerrors)
		return render_invalid(r, "account/index", "Account",
		    view_new(r));
	if (user_by_id(r, r->user->id, &u) != 1)
		return 503;
	/* AUTH-8: re-enter the password before ending other sessions. */
	if (!pw_verify(u.password_hash, u.pepper_id,
	    r->in[REAUTH_PASSWORD].s)) {
		flash(r, "error", "Your current password is not correct; no "
		    "session was signed out.");
		if (r->fmt == FMT_JSON)
			return render_error(r, 403, "insufficient-permission",
			    "Your current password is not correct.");
		return render_redirect(r, "/account");
	}
	if (db_begin() != 0 || session_end_others(r, u.id) != 0 ||
	    audit(r, 0, 0, "account.sessions_ended", "user", u.id, u.email,
	    NULL) != 0 || db_commit() != 0)
		return 503;
	flash(r, "ok", "Every other session was signed out.");
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, "/account");
}

static int
tokens_page(struct req *r, int status, json_object *v)
{
	json_object	*list = apitoken_list(r, r->user->id);

	if (list == NULL)
		return 503;
	vset_obj(v, "tokens", list);
	if (json_object_object_get(v, "new_token") == NULL)
		vset_obj(v, "new_token", NULL);
	return render_page(r, status, "account/tokens", "API tokens", v);
}

/* GET /account/tokens — 200 list. */
int
h_tokens(struct req *r)
{
	return tokens_page(r, 200, view_new(r));
}

/* POST /account/tokens — 201 with the secret shown once; 422. */
int
h_token_create(struct req *r)
{
	const char	*scope = r->in[APITOKEN_SCOPE].present ?
	    r->in[APITOKEN_SCOPE].s : "read";
	int		 days = r->in[APITOKEN_EXPIRES].present ?
	    (int)r->in[APITOKEN_EXPIRES].i : 90;
	char		 secret[80];
	json_object	*v = view_new(r), *nt;
	int64_t		 id;

	if (strcmp(scope, "read") != 0 && strcmp(scope, "read-write") != 0)
		valid_error(r, "scope", "invalid", "Scope must be read or "
		    "read-write.");
	if (r->nerrors) {
		json_object	*list = NULL;

		if (r->fmt == FMT_HTML &&
		    (list = apitoken_list(r, r->user->id)) == NULL)
			return 503;
		vset_obj(v, "tokens", list);
		vset_obj(v, "new_token", NULL);
		return render_invalid(r, "account/tokens", "API tokens", v);
	}
	if (db_begin() != 0)
		return 503;
	if ((id = apitoken_create(r, r->user->id, r->in[APITOKEN_NAME].s,
	    scope, days, secret, sizeof(secret))) < 0 ||
	    audit(r, 0, 0, "account.token_created", "api_token", id,
	    r->in[APITOKEN_NAME].s, NULL) != 0 || db_commit() != 0)
		return 503;
	nt = json_object_new_object();
	vset_int(nt, "id", id);
	vset_str(nt, "name", r->in[APITOKEN_NAME].s);
	vset_str(nt, "scope", scope);
	vset_str(nt, "secret", secret);
	vset_obj(v, "new_token", nt);
	sodium_memzero(secret, sizeof(secret));
	/* Shown once: never behind a redirect that would need storing it. */
	return tokens_page(r, 201, v);
}

/* POST /account/tokens/{id}/revoke — 303; 404 not one of mine. */
int
h_token_revoke(struct req *r)
{
	int64_t	 id = req_pathvar_id(r, 0);
	int	 rc;

	if (id < 0)
		return render_error(r, 404, "not-found", NULL);
	if (db_begin() != 0 || (rc = apitoken_revoke(r, r->user->id, id)) < 0)
		return 503;
	if (rc == 0) {
		db_rollback();
		return render_error(r, 404, "not-found", NULL);
	}
	if (audit(r, 0, 0, "account.token_revoked", "api_token", id, NULL,
	    NULL) != 0 || db_commit() != 0)
		return 503;
	flash(r, "ok", "The token was revoked.");
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, "/account/tokens");
}
