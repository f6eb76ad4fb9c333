/* auth.c — sign-in, sign-out, sign-up, email verification and password
 * recovery (PRODUCT §2, RELIABILITY §5). Responses never reveal whether
 * an address has an account. */
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
#include "model/audit.h"
#include "model/emailtok.h"
#include "model/mail.h"
#include "model/throttle.h"
#include "model/user.h"
#include "pages.h"
#include "render/view.h"
#include "timezones.h"

#define VERIFY_TTL	(24 * 3600)
#define RESET_TTL	3600
#define HOURLY_LIMIT	5

static const char generic_login_error[] =
    "Email or password is incorrect.";

/* A "next" that is one of our own paths, else "/" (AC-9). */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strchr(next, '\\') != NULL ||
	    strstr(next, "://") != NULL)
		return "/";
	return next;
}

static json_object *
login_view(struct req *r)
{
	json_object	*v = view_new(r), *form = json_object_new_object();

	vset_str(form, "email", r->in[LOGIN_EMAIL].s);
	vset_str(form, "next", safe_next(r->in[LOGIN_NEXT].s));
	vset_obj(v, "form", form);
	return v;
}

/* GET /login — 200 form; 303 home when already signed in. */
int
h_login_form(struct req *r)
{
	if (r->user != NULL)
		return render_redirect(r, safe_next(r->in[LOGIN_NEXT].s));
	return render_page(r, 200, "auth/login", "Sign in", login_view(r));
}

static int
login_refused(struct req *r)
{
	valid_error(r, "email", "invalid-credentials", generic_login_error);
	if (r->fmt == FMT_JSON)
		return render_error(r, 401, "unauthenticated",
		    generic_login_error);
	return render_invalid(r, "auth/login", "Sign in", login_view(r));
}

static int
too_many(struct req *r, int secs, const char *detail)
{
	char	 s[16];

	snprintf(s, sizeof(s), "%d", secs > 0 ? secs : 1);
	resp_header(r, "Retry-After", s);
	return render_error(r, 429, "rate-limited", detail);
}

/* POST /login — 303 (signed in), 401/422 refused, 429 throttled. */
int
h_login(struct req *r)
{
	struct user	 u;
	const char	*pw = r->in[LOGIN_PASSWORD].s;
	int		 found, wait, ok;

	if (r->nerrors)
		return render_invalid(r, "auth/login", "Sign in",
		    login_view(r));
	if ((found = user_by_email(r, r->in[LOGIN_EMAIL].s, &u)) < 0)
		return 503;
	if (found && (wait = login_throttle(r, u.id)) != 0) {
		if (wait < 0)
			return 503;
		log_msg(LOG_WARN, "auth=login decision=deny reason=throttled "
		    "throttled=1 user=%s", u.uuid);
		return too_many(r, wait, "Too many failed sign-in attempts. "
		    "Wait a moment and try again.");
	}
	if (!found) {
		pw_verify_dummy(pw);	/* same cost as a real check */
		log_msg(LOG_INFO, "auth=login decision=deny reason=unknown");
		return login_refused(r);
	}
	ok = pw_verify(u.password_hash, u.pepper_id, pw) && u.active;
	if (!ok) {
		if (login_failed(r, u.id) != 0)
			return 503;
		log_msg(LOG_INFO, "auth=login decision=deny reason=password "
		    "user=%s", u.uuid);
		return login_refused(r);
	}
	if (db_begin() != 0)
		return 503;
	/* AUTH-2: converge on the configured cost (and pepper). */
	if (pw_needs_rehash(u.password_hash, u.pepper_id)) {
		char	 h[PW_HASH_MAX];

		if (pw_hash(pw, h) != 0 ||
		    user_set_password(r, u.id, h, pw_pepper_id()) != 0)
			return 503;
	}
	if (login_clear(r, u.id) != 0 || user_touch_sign_in(r, u.id) != 0 ||
	    session_login(r, u.id) != 0 ||
	    audit_as(r, u.id, 0, 0, "account.signed_in", "user", u.id,
	    u.email, NULL) != 0)
		return 503;
	/* AUTH-1: a listed password found at sign-in must be changed. */
	if (pw_is_common(pw)) {
		static struct dbq q = DBQ("UPDATE users SET "
		    "must_change_password = 1 WHERE id = ?");

		if (db_exec(&q, "i", u.id) < 0)
			return 503;
	}
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "auth=login decision=allow user=%s", u.uuid);
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		vset_obj(v, "user", user_json(&u));
		return render_json(r, 200, v);
	}
	return render_redirect(r, pw_is_common(pw) ? "/account/password" :
	    safe_next(r->in[LOGIN_NEXT].s));
}

/* POST /logout — 303 to /, 204 for JSON. */
int
h_logout(struct req *r)
{
	if (session_logout(r) != 0)
		return 503;
	log_msg(LOG_INFO, "auth=logout");
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, "/");
}

static json_object *
signup_view(struct req *r)
{
	json_object	*v = view_new(r), *form = json_object_new_object();
	const char	*tz = r->in[SIGNUP_TIMEZONE].s;

	vset_str(form, "name", r->in[SIGNUP_NAME].s);
	vset_str(form, "email", r->in[SIGNUP_EMAIL].s);
	vset_str(form, "timezone", tz);
	vset_obj(v, "form", form);
	vset_obj(v, "timezones", timezones_json(tz ? tz : "UTC"));
	return v;
}

/* GET /signup — 200 form. */
int
h_signup_form(struct req *r)
{
	if (r->user != NULL)
		return render_redirect(r, "/");
	return render_page(r, 200, "auth/signup", "Create your account",
	    signup_view(r));
}

static int
check_inbox(struct req *r, const char *email)
{
	json_object	*v = view_new(r);

	vset_str(v, "email", email);
	vset_str(v, "message", "Check your inbox: we sent a link to finish "
	    "setting up your account.");
	return render_page(r, r->fmt == FMT_JSON ? 202 : 200,
	    "auth/check_inbox", "Check your inbox", v);
}

static char *
link(struct req *r, const char *path, const char *tok)
{
	return arena_printf(r->a, "%s%s?token=%s", cfg->base_url, path, tok);
}

/* POST /signup — 200 "check your inbox" for a new and a taken address
 * alike; 422 form errors; 429 too many sign-ups from this address/IP. */
int
h_signup(struct req *r)
{
	const char	*name = r->in[SIGNUP_NAME].s;
	const char	*email = r->in[SIGNUP_EMAIL].s;
	const char	*pw = r->in[SIGNUP_PASSWORD].s, *why;
	char		 hash[PW_HASH_MAX], tok[80];
	struct user	 u;
	int64_t		 n, id;
	int		 found;

	if (r->in[SIGNUP_PASSWORD].present &&
	    (why = pw_policy(pw, email)) != NULL)
		valid_error(r, "password", "password-policy", why);
	if (r->nerrors)
		return render_invalid(r, "auth/signup", "Create your account",
		    signup_view(r));
	if ((n = throttle_count(r, "signup-ip", r->remote_addr, 3600)) < 0)
		return 503;
	if (n >= cfg->signup_ip_limit)
		return too_many(r, 600, "Too many sign-ups from this network; "
		    "try again later.");
	/* Hash first, whatever happens next, so a taken address answers in
	 * the same time as a new one. */
	if (pw_hash(pw, hash) != 0)
		return 503;
	if (db_begin() != 0 || throttle_add(r, "signup-ip", r->remote_addr))
		return 503;
	if ((found = user_by_email(r, email, &u)) < 0)
		return 503;
	if (found) {
		/* AUTH-5: no second account, no disclosure; the owner gets
		 * a note with a way back in (if this address is not being
		 * flooded). */
		if ((n = throttle_count(r, "signup-addr",
		    user_email_norm(r, email), 3600)) < 0)
			return 503;
		if (n < HOURLY_LIMIT) {
			if (throttle_add(r, "signup-addr",
			    user_email_norm(r, email)) != 0 ||
			    emailtok_create(r, ET_RESET, u.id, u.email,
			    RESET_TTL, tok, sizeof(tok)) != 0 ||
			    mail_queue(r, u.email, "Someone tried to create a "
			    "BackOps account with your address",
			    arena_printf(r->a, "Hello %s,\n\nSomeone (maybe "
			    "you) tried to create a BackOps account with this "
			    "email address, which already has one.\n\nSign in: "
			    "%s/login\n\nForgot your password? Choose a new one "
			    "(this link works once, for 1 hour):\n%s\n\nIf it "
			    "wasn't you, you can ignore this message.\n",
			    u.name, cfg->base_url,
			    link(r, "/password/reset", tok))) != 0)
				return 503;
		}
		if (db_commit() != 0)
			return 503;
		log_msg(LOG_INFO, "auth=signup outcome=existing");
		return check_inbox(r, email);
	}
	id = user_create(r, email, name, hash, pw_pepper_id(),
	    r->in[SIGNUP_TIMEZONE].s);
	if (id <= 0)
		return 503;	/* 0: a concurrent sign-up took the address */
	if (emailtok_create(r, ET_VERIFY, id, email, VERIFY_TTL, tok,
	    sizeof(tok)) != 0 ||
	    mail_queue(r, email, "Verify your email address for BackOps",
	    arena_printf(r->a, "Hello %s,\n\nWelcome to BackOps. Please "
	    "confirm that this is your address (the link works once, for "
	    "24 hours):\n%s\n\nYour personal workspace is ready; you can "
	    "sign in at %s/login\n", name, link(r, "/verify", tok),
	    cfg->base_url)) != 0 ||
	    audit_as(r, id, 0, 0, "account.created", "user", id, email,
	    NULL) != 0)
		return 503;
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "auth=signup outcome=created");
	return check_inbox(r, email);
}

static int
link_dead(struct req *r, const char *what)
{
	json_object	*v = view_new(r);

	vset_bool(v, "ok", 0);
	vset_str(v, "message", arena_printf(r->a, "This %s link is no "
	    "longer valid: it was already used, replaced by a newer one, or "
	    "it expired.", what));
	if (r->fmt == FMT_JSON)
		return render_error(r, 410, "invitation-invalid",
		    json_object_get_string(json_object_object_get(v,
		    "message")));
	return render_page(r, 410, "auth/verified", "Link no longer valid",
	    v);
}

/* GET /verify?token= — 200 confirmation form, 410 dead link. A GET never
 * changes anything (CSRF-3, and mail scanners fetch links). */
int
h_verify_form(struct req *r)
{
	json_object	*v, *form;
	int64_t		 uid, id;
	int		 rc;

	rc = r->in[TOKEN_PARAM].present ? emailtok_find(r, ET_VERIFY,
	    r->in[TOKEN_PARAM].s, &uid, &id) : 0;
	if (rc < 0)
		return 503;
	if (rc == 0)
		return link_dead(r, "verification");
	v = view_new(r);
	form = json_object_new_object();
	vset_str(form, "token", r->in[TOKEN_PARAM].s);
	vset_obj(v, "form", form);
	return render_page(r, 200, "auth/verify", "Verify your email", v);
}

/* POST /verify — 303 into the personal workspace, signed in; 410 dead. */
int
h_verify(struct req *r)
{
	int64_t		 uid, id;
	struct user	 u;
	int		 rc;

	if (!r->in[TOKEN_PARAM].present)
		return link_dead(r, "verification");
	if (db_begin() != 0)
		return 503;
	rc = emailtok_find(r, ET_VERIFY, r->in[TOKEN_PARAM].s, &uid, &id);
	if (rc > 0)
		rc = emailtok_consume(r, id);
	if (rc < 0)
		return 503;
	if (rc == 0) {
		db_rollback();
		return link_dead(r, "verification");
	}
	if (user_by_id(r, uid, &u) != 1 || user_mark_verified(r, uid) != 0 ||
	    audit_as(r, uid, 0, 0, "account.email_verified", "user", uid,
	    u.email, NULL) != 0)
		return 503;
	/* The link proved the mailbox: land signed in (a different
	 * account's session in this browser is replaced). */
	if ((r->user == NULL || r->user->id != uid) &&
	    session_login(r, uid) != 0)
		return 503;
	if (db_commit() != 0)
		return 503;
	r->user = NULL;
	(void)session_set_flash(r, "ok", "Thanks, your email address is "
	    "verified.");
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		vset_bool(v, "verified", 1);
		return render_json(r, 200, v);
	}
	return render_redirect(r, "/");
}

/* POST /account/verify/resend — 303 back home with a flash; 429. */
int
h_verify_resend(struct req *r)
{
	char	 tok[80];
	int64_t	 n;

	if (r->user->verified) {
		flash(r, "info", "Your email address is already verified.");
		return r->fmt == FMT_JSON ? render_text(r, 204, NULL, "", 0) :
		    render_redirect(r, "/");
	}
	if ((n = throttle_count(r, "verify-addr", r->user->email, 3600)) < 0)
		return 503;
	if (n >= HOURLY_LIMIT)
		return too_many(r, 600, "We already sent several links; "
		    "check your inbox or try again later.");
	if (db_begin() != 0 ||
	    throttle_add(r, "verify-addr", r->user->email) != 0 ||
	    emailtok_create(r, ET_VERIFY, r->user->id, r->user->email,
	    VERIFY_TTL, tok, sizeof(tok)) != 0 ||
	    mail_queue(r, r->user->email, "Verify your email address for "
	    "BackOps", arena_printf(r->a, "Hello %s,\n\nPlease confirm that "
	    "this is your address (the link works once, for 24 hours):\n"
	    "%s\n", r->user->name, link(r, "/verify", tok))) != 0 ||
	    db_commit() != 0)
		return 503;
	flash(r, "ok", "We sent a new verification link.");
	return r->fmt == FMT_JSON ? render_text(r, 204, NULL, "", 0) :
	    render_redirect(r, "/");
}

/* GET /password/forgot — 200 form. */
int
h_forgot_form(struct req *r)
{
	return render_page(r, 200, "auth/forgot", "Forgot your password",
	    view_new(r));
}

/* POST /password/forgot — 200 the same answer for every address; 429
 * when this network asked too often. */
int
h_forgot(struct req *r)
{
	const char	*email = r->in[FORGOT_EMAIL].s;
	json_object	*v;
	struct user	 u;
	char		 tok[80];
	int64_t		 n;
	int		 found;

	if (r->nerrors)
		return render_invalid(r, "auth/forgot", "Forgot your password",
		    view_new(r));
	if ((n = throttle_count(r, "reset-ip", r->remote_addr, 3600)) < 0)
		return 503;
	if (n >= cfg->reset_ip_limit)
		return too_many(r, 600, "Too many reset requests from this "
		    "network; try again later.");
	if (db_begin() != 0 || throttle_add(r, "reset-ip", r->remote_addr))
		return 503;
	if ((found = user_by_email(r, email, &u)) < 0)
		return 503;
	if (found && u.active) {
		const char	*norm = user_email_norm(r, email);

		if ((n = throttle_count(r, "reset-addr", norm, 3600)) < 0)
			return 503;
		if (n < HOURLY_LIMIT && (throttle_add(r, "reset-addr",
		    norm) != 0 || emailtok_create(r, ET_RESET, u.id,
		    u.email, RESET_TTL, tok, sizeof(tok)) != 0 ||
		    mail_queue(r, u.email, "Reset your BackOps password",
		    arena_printf(r->a, "Hello %s,\n\nChoose a new password "
		    "here (the link works once, for 1 hour; a newer link "
		    "replaces it):\n%s\n\nIf you didn't ask for this, ignore "
		    "this message: your password stays as it is.\n", u.name,
		    link(r, "/password/reset", tok))) != 0 ||
		    audit_as(r, u.id, 0, 0, "account.reset_requested", "user",
		    u.id, u.email, NULL) != 0))
			return 503;
	}
	if (db_commit() != 0)
		return 503;
	v = view_new(r);
	vset_str(v, "email", email);
	return render_page(r, r->fmt == FMT_JSON ? 202 : 200,
	    "auth/forgot_sent", "Check your inbox", v);
}

static json_object *
reset_view(struct req *r)
{
	json_object	*v = view_new(r), *form = json_object_new_object();

	vset_str(form, "token", r->in[RESET_TOKEN].s);
	vset_obj(v, "form", form);
	return v;
}

/* GET /password/reset?token= — 200 form, 410 dead link. */
int
h_reset_form(struct req *r)
{
	int64_t	 uid, id;
	int	 rc;

	/* AUTH-6: the page holding the token sends no Referer onwards. */
	resp_header(r, "Referrer-Policy", "no-referrer");
	rc = r->in[TOKEN_PARAM].present ? emailtok_find(r, ET_RESET,
	    r->in[TOKEN_PARAM].s, &uid, &id) : 0;
	if (rc < 0)
		return 503;
	if (rc == 0)
		return link_dead(r, "password reset");
	return render_page(r, 200, "auth/reset", "Choose a new password",
	    reset_view(r));
}

/* POST /password/reset — 200 done; 410 dead link; 422 weak password. */
int
h_reset(struct req *r)
{
	int64_t		 uid, id;
	struct user	 u;
	char		 hash[PW_HASH_MAX];
	const char	*why;
	int		 rc;

	resp_header(r, "Referrer-Policy", "no-referrer");
	if (!r->in[RESET_TOKEN].present)
		return link_dead(r, "password reset");
	rc = emailtok_find(r, ET_RESET, r->in[RESET_TOKEN].s, &uid, &id);
	if (rc < 0)
		return 503;
	if (rc == 0)
		return link_dead(r, "password reset");
	if (user_by_id(r, uid, &u) != 1)
		return 503;
	if (r->in[RESET_PASSWORD].present &&
	    (why = pw_policy(r->in[RESET_PASSWORD].s, u.email)) != NULL)
		valid_error(r, "password", "password-policy", why);
	if (r->nerrors)
		return render_invalid(r, "auth/reset", "Choose a new password",
		    reset_view(r));
	if (pw_hash(r->in[RESET_PASSWORD].s, hash) != 0)
		return 503;
	if (db_begin() != 0 || (rc = emailtok_consume(r, id)) < 0)
		return 503;
	if (rc == 0) {
		db_rollback();
		return link_dead(r, "password reset");
	}
	/* AUTH-6: every session ends; the mailbox was proven. */
	if (user_set_password(r, uid, hash, pw_pepper_id()) != 0 ||
	    user_mark_verified(r, uid) != 0 ||
	    emailtok_kill(r, ET_RESET, uid) != 0 ||
	    session_end_all(r, uid) != 0 || login_clear(r, uid) != 0 ||
	    mail_queue(r, u.email, "Your BackOps password was changed",
	    arena_printf(r->a, "Hello %s,\n\nYour password was just reset "
	    "and every signed-in session was ended. If this wasn't you, "
	    "reset it again at %s/password/forgot and contact your "
	    "administrator.\n", u.name, cfg->base_url)) != 0 ||
	    audit_as(r, uid, 0, 0, "account.password_reset", "user", uid,
	    u.email, NULL) != 0 || db_commit() != 0)
		return 503;
	if (r->sess != NULL && r->sess->user_id == uid)
		r->sess = NULL;
	return render_page(r, 200, "auth/reset_done", "Password changed",
	    view_new(r));
}
