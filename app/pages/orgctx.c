/* orgctx.c — load and check the organization of an org route. */
#include <string.h>

#include "auth/session.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "model/org.h"
#include "orgctx.h"
#include "render/view.h"

/* The session (by its token hash) and {org} with the session user's
 * standing: one statement where a signed-in organization page would
 * take two (issue 8). No organization row: its columns are NULL. */
#define SESSION_ORG_FROM \
    " FROM " SESSION_FROM " LEFT JOIN orgs o ON o.id = ?" \
    ORG_JOINS("s.user_id") "WHERE s.token_hash = ?"
static struct dbq q_session_org = DBQ("SELECT " SESSION_COLS ", "
    ORG_COLS("s.user_id") SESSION_ORG_FROM);
static struct dbq q_session_org_page = DBQ("SELECT " SESSION_COLS
    SESSION_WORKSPACES ", " ORG_COLS("s.user_id") SESSION_ORG_FROM);

static struct dbq q_admins = DBQ(
    "SELECT u.name, u.email, m.role FROM org_members m"
    " JOIN users u ON u.id = m.user_id"
    " WHERE m.org_id = ? AND m.role IN ('owner', 'admin')"
    " ORDER BY m.role = 'owner' DESC, u.name");

/* 403 page: a member without an org license (PRODUCT §4: a clear page
 * says why and who can fix it). */
static int
no_license(struct req *r, const struct org *o)
{
	json_object	*v = view_new(r), *admins;
	char		*name, *email, *role;
	int		 rc;

	log_msg(LOG_INFO, "decision=deny reason=missing_permission "
	    "perm=org_license org=%lld", (long long)o->id);
	if (r->fmt == FMT_JSON)
		return render_error(r, 403, "insufficient-permission",
		    "You need an Org Standard or Org Pro license in this "
		    "organization; ask an owner or admin to assign one.");
	if (db_select(&q_admins, "i", o->id) != 0)
		return 503;
	admins = json_object_new_array();
	while ((rc = db_fetch(&q_admins, "sss", &name, &email, &role)) == 1) {
		json_object	*a = json_object_new_object();

		vset_str(a, "name", name);
		vset_str(a, "email", email);
		vset_str(a, "role", role);
		json_object_array_add(admins, a);
	}
	db_done(&q_admins);
	vset_obj(v, "org", org_json(o));
	vset_obj(v, "admins", admins);
	return render_page(r, 403, "orgs/no_license", "No license", v);
}

/* The organization's columns of the session's row (auth_load_by). */
static void
session_org_cols(struct req *r, struct dbq *q, size_t first)
{
	struct org	*o = arena_calloc(r->a, 1, sizeof(*o));

	(void)org_cols(q, first, o);
	r->org_ctx = o;
}

int
org_auth_load(struct req *r)
{
	return auth_load_by(r, &q_session_org, &q_session_org_page,
	    session_org_cols);
}

int
org_gate(struct req *r, struct org *o, enum org_need need)
{
	int64_t		 id = req_pathvar_id(r, 0);
	struct org	*pre = r->org_ctx;
	int		 rc;

	if (id < 0)
		return render_error(r, 404, "not-found", NULL);
	/* Read with the session: used once, and never for a check under
	 * a transaction's locks (those read the standing again). */
	r->org_ctx = NULL;
	if (pre != NULL && pre->id == id && !db_in_txn()) {
		*o = *pre;
		rc = o->role != ROLE_NONE;
	} else if ((rc = org_load(r, id, o)) < 0)
		return 503;
	if (rc == 0) {
		log_msg(LOG_INFO, "decision=deny reason=not_member org=%lld",
		    (long long)id);
		return render_error(r, 404, "not-found", NULL);
	}
	r->org_id = o->id;
	if (need >= NEED_LICENSED && o->kind == ORG_TEAM && !o->has_license)
		return no_license(r, o);
	if (need == NEED_ADMIN && o->role < ROLE_ADMIN) {
		log_msg(LOG_INFO, "decision=deny reason=missing_permission "
		    "perm=org_admin org=%lld", (long long)id);
		return render_error(r, 403, "insufficient-permission",
		    "Only owners and admins of this organization can do "
		    "that.");
	}
	return 0;
}

int
org_personal_refusal(struct req *r, const char *what)
{
	return render_error(r, 403, "insufficient-permission",
	    arena_printf(r->a, "A personal workspace has a single user: %s "
	    "needs a team organization.", what));
}
