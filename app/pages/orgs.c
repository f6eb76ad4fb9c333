/* orgs.c — team organizations: creation, the organization home, the
 * workspace switcher and the organization's audit log (PRODUCT §3, §20). */
#include <stdio.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/billing.h"
#include "model/event.h"
#include "model/org.h"
#include "model/user.h"
#include "orgctx.h"
#include "pages.h"
#include "policy/license.h"
#include "render/timefmt.h"
#include "render/view.h"
#include "timezones.h"

#define AUDIT_PAGE_SIZE	50

static struct dbq q_counts = DBQ(
    "SELECT (SELECT COUNT(*) FROM org_members WHERE org_id = ?),"
    " (SELECT COUNT(*) FROM org_invitations WHERE org_id = ?"
    "  AND status = 'pending' AND expires_at > UTC_TIMESTAMP(3))");
static struct dbq q_audit = DBQ(
    "SELECT DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%sZ'), a.action,"
    " a.target_type, a.target_id, a.target_label, a.changes, a.request_id,"
    " a.actor_kind, u.name, u.email "
    "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id "
    "WHERE a.org_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?");

static json_object *
new_org_view(struct req *r)
{
	json_object	*v = view_new(r), *form = json_object_new_object();
	const char	*tz = r->in[ORGNEW_TIMEZONE].s;

	if (tz == NULL)
		tz = r->user->timezone;
	vset_str(form, "name", r->in[ORGNEW_NAME].s);
	vset_str(form, "org_standard", r->in[ORGNEW_STANDARD].s ?
	    r->in[ORGNEW_STANDARD].s : "5");
	vset_str(form, "org_pro", r->in[ORGNEW_PRO].s ?
	    r->in[ORGNEW_PRO].s : "0");
	vset_str(form, "event_pro", r->in[ORGNEW_EVENT_PRO].s ?
	    r->in[ORGNEW_EVENT_PRO].s : "1");
	vset_bool(form, "license_pro", r->in[ORGNEW_LICENSE].s != NULL &&
	    strcmp(r->in[ORGNEW_LICENSE].s, "org_pro") == 0);
	vset_obj(v, "form", form);
	vset_obj(v, "timezones", timezones_json(tz ? tz : "UTC"));
	vset_bool(v, "verified", r->user->verified);
	vset_obj(v, "prices", billing_prices_json(r));
	return v;
}

/* GET /orgs/new — 200 form (with a note for unverified accounts). */
int
h_org_new_form(struct req *r)
{
	return render_page(r, 200, "orgs/new", "Create an organization",
	    new_org_view(r));
}

/* POST /orgs — 303 to the new organization; 403 unverified; 422 form
 * errors or the billing hook refused. */
int
h_org_create(struct req *r)
{
	int64_t		 qty[PROD__MAX], id;
	enum product	 mine = PROD_ORG_STANDARD;
	char		 msg[512];
	int		 p;

	if (!r->user->verified)
		return render_error(r, 403, "insufficient-permission",
		    "Verify your email address before creating an "
		    "organization: use the link we sent you.");
	qty[PROD_ORG_STANDARD] = r->in[ORGNEW_STANDARD].i;
	qty[PROD_ORG_PRO] = r->in[ORGNEW_PRO].i;
	qty[PROD_EVENT_PRO] = r->in[ORGNEW_EVENT_PRO].i;
	if (r->in[ORGNEW_LICENSE].present &&
	    (product_parse(r->in[ORGNEW_LICENSE].s, &mine) != 0 ||
	    !product_is_org(mine)))
		valid_error(r, "license", "invalid", "Your license must be Org "
		    "Standard or Org Pro.");
	else if (r->in[ORGNEW_LICENSE].present && qty[mine] < 1)
		valid_error(r, product_name(mine), "quantity", arena_printf(
		    r->a, "You need one %s license yourself: the quantity "
		    "must be at least 1.", product_label(mine)));
	if (r->nerrors)
		return render_invalid(r, "orgs/new", "Create an organization",
		    new_org_view(r));
	if (db_begin() != 0)
		return 503;
	if ((id = org_create_team(r, r->in[ORGNEW_NAME].s,
	    r->in[ORGNEW_TIMEZONE].s, qty, mine)) < 0)
		return 503;
	/* The hook hears of every starting pool; a refusal of any of them
	 * creates nothing. */
	for (p = 0; p < PROD__MAX; p++) {
		if (qty[p] <= 0)
			continue;
		switch (billing_pools_created(r, id, r->in[ORGNEW_NAME].s,
		    (enum product)p, qty[p], msg, sizeof(msg))) {
		case 0:
			break;
		case 1:
			db_rollback();
			valid_error(r, product_name((enum product)p), "refused",
			    arena_strdup(r->a, msg));
			return render_invalid(r, "orgs/new",
			    "Create an organization", new_org_view(r));
		default:
			return 503;
		}
	}
	if (audit(r, id, 0, "org.created", "org", id, r->in[ORGNEW_NAME].s,
	    NULL) != 0 || org_set_current(r, id) != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "org=%lld msg=\"organization created\"",
	    (long long)id);
	if (r->fmt == FMT_JSON) {
		struct org	 o;
		json_object	*v = view_new(r);

		if (org_load(r, id, &o) != 1)
			return 503;
		vset_obj(v, "org", org_json(&o));
		resp_header(r, "Location", arena_printf(r->a,
		    "/api/v1/orgs/%lld", (long long)id));
		return render_json(r, 201, v);
	}
	flash(r, "ok", "Your organization is ready. Invite your team from "
	    "Members.");
	return render_redirect(r, arena_printf(r->a, "/orgs/%lld",
	    (long long)id));
}

/* POST /workspace — 303 to the chosen workspace, remembered on the
 * session; 404 not one of mine. */
int
h_workspace_switch(struct req *r)
{
	struct org	 o;
	int		 rc;

	if (r->nerrors)
		return render_error(r, 400, "invalid-parameter", NULL);
	if ((rc = org_load(r, r->in[SWITCH_ORG].i, &o)) < 0)
		return 503;
	if (rc == 0)
		return render_error(r, 404, "not-found", NULL);
	if (org_set_current(r, o.kind == ORG_PERSONAL ? 0 : o.id) != 0)
		return 503;
	return render_redirect(r, o.kind == ORG_PERSONAL ? "/" :
	    arena_printf(r->a, "/orgs/%lld", (long long)o.id));
}

/* GET /orgs/{org} — 200 organization home; 403 without an org license;
 * 404 not a member. */
int
h_org_home(struct req *r)
{
	struct org	 o;
	json_object	*v;
	int64_t		 members = 0, pending = 0;
	int		 st;

	if ((st = org_gate(r, &o, NEED_LICENSED)) != 0)
		return st;
	if (o.kind == ORG_PERSONAL)
		return render_redirect(r, "/");
	if (db_select(&q_counts, "ii", o.id, o.id) != 0 ||
	    db_fetch(&q_counts, "ii", &members, &pending) < 0) {
		db_done(&q_counts);
		return 503;
	}
	db_done(&q_counts);
	v = view_new(r);
	vset_obj(v, "org", org_json(&o));
	vset_int(v, "member_count", members);
	vset_str(v, "member_count_text", arena_printf(r->a, "%lld member%s",
	    (long long)members, members == 1 ? "" : "s"));
	vset_int(v, "pending_invitations", pending);
	vset_str(v, "pending_text", arena_printf(r->a, "%lld pending "
	    "invitation%s", (long long)pending, pending == 1 ? "" : "s"));
	vset_bool(v, "is_admin", o.role >= ROLE_ADMIN);
	{
		json_object	*events = events_list_json(r, o.id, 0);

		if (events == NULL)
			return 503;
		vset_obj(v, "events", events);
	}
	return render_page(r, 200, "orgs/home", o.name, v);
}

/* GET /orgs/{org}/audit?page=N — 200 newest first, 50 a page; owners
 * and admins only (403), 404 not a member. */
int
h_org_audit(struct req *r)
{
	struct org	 o;
	json_object	*v, *items;
	int64_t		 page = r->in[AUDIT_PAGE].present ?
	    r->in[AUDIT_PAGE].i : 1, tid;
	char		*at, *action, *ttype, *label, *changes, *rid, *kind,
			*name, *email;
	int		 st, rc, n = 0;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	if (r->nerrors)
		return render_error(r, 400, "invalid-parameter",
		    r->errors[0].message);
	/* One extra row tells whether a next page exists. */
	if (db_select(&q_audit, "iii", o.id, (int64_t)AUDIT_PAGE_SIZE + 1,
	    (page - 1) * AUDIT_PAGE_SIZE) != 0)
		return 503;
	items = json_object_new_array();
	v = view_new(r);
	vset_obj(v, "items", items);
	while ((rc = db_fetch(&q_audit, "sssisssss" "s", &at, &action, &ttype,
	    &tid, &label, &changes, &rid, &kind, &name, &email)) == 1) {
		json_object	*e;

		if (++n > AUDIT_PAGE_SIZE)
			continue;
		e = json_object_new_object();
		vset_time(e, "at", at, r->user->timezone);
		vset_str(e, "action", action);
		vset_str(e, "target_type", ttype);
		if (tid)
			vset_int(e, "target_id", tid);
		vset_str(e, "target_label", label);
		vset_obj(e, "changes", changes ?
		    json_tokener_parse(changes) : NULL);
		vset_str(e, "changes_text", changes);
		vset_str(e, "request_id", rid);
		vset_str(e, "actor", name ? name : kind);
		vset_str(e, "actor_email", email);
		json_object_array_add(items, e);
	}
	db_done(&q_audit);
	if (rc < 0)
		return 503;
	vset_obj(v, "org", org_json(&o));
	vset_int(v, "page", page);
	vset_str(v, "prev_url", page > 1 ? arena_printf(r->a,
	    "/orgs/%lld/audit?page=%lld", (long long)o.id,
	    (long long)(page - 1)) : NULL);
	vset_str(v, "next_url", n > AUDIT_PAGE_SIZE ? arena_printf(r->a,
	    "/orgs/%lld/audit?page=%lld", (long long)o.id,
	    (long long)(page + 1)) : NULL);
	return render_page(r, 200, "orgs/audit", "Audit log", v);
}
