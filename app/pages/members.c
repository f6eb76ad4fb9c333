/* members.c — the members of a team organization: list, roles, org
 * licenses, removing and leaving, and invitations by email with their
 * acceptance (PRODUCT §3, §4; RELIABILITY DB-8, AC-5).
 *
 * Every write runs in one transaction that first locks the organization
 * row (member_lock_org), so changes to one organization's members happen
 * one at a time: the "always an owner" rule and the license counts are
 * checked on numbers no other writer can move before the commit. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "deny.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/eventuser.h"
#include "model/invitation.h"
#include "model/mail.h"
#include "model/member.h"
#include "model/org.h"
#include "model/pool.h"
#include "model/user.h"
#include "orgctx.h"
#include "pages.h"
#include "render/esc.h"
#include "render/timefmt.h"
#include "render/view.h"
#include "timezones.h"

#define INVITE_MAX	100	/* addresses in one batch */

static const char *const role_labels[] = { "", "Member", "Admin", "Owner" };

static const char *
role_label(enum org_role role)
{
	return role <= ROLE_OWNER ? role_labels[role] : "";
}

static int
not_found(struct req *r)
{
	if (db_in_txn())
		db_rollback();
	return render_error(r, 404, "not-found", NULL);
}


static const char *
members_url(struct req *r, const struct org *o)
{
	return arena_printf(r->a, "/orgs/%lld/members", (long long)o->id);
}

static const char *
invitations_url(struct req *r, const struct org *o)
{
	return arena_printf(r->a, "/orgs/%lld/invitations", (long long)o->id);
}

/* {"field": {"old": …, "new": …}} for the audit entry. */
static json_object *
change(json_object *c, const char *field, const char *old, const char *new)
{
	json_object	*f = json_object_new_object();

	if (c == NULL)
		c = json_object_new_object();
	vset_str(f, "old", old);
	vset_str(f, "new", new);
	json_object_object_add(c, field, f);
	return c;
}

static void
put_changes(json_object *c)
{
	if (c != NULL)
		json_object_put(c);
}

static json_object *
options(const char *const *values, const char *const *labels, size_t n,
    const char *selected)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", values[i]);
		vset_str(o, "label", labels[i]);
		vset_bool(o, "selected", selected != NULL &&
		    strcmp(selected, values[i]) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

/* Roles an actor may hand out: owners all three, admins not owner. */
static json_object *
role_options(enum org_role actor, const char *selected)
{
	static const char *const v[] = { "member", "admin", "owner" };
	static const char *const l[] = { "Member", "Admin", "Owner" };

	return options(v, l, actor == ROLE_OWNER ? 3 : 2, selected);
}

static json_object *
license_options(const char *selected)
{
	static const char *const v[] = { "org_standard", "org_pro" };
	static const char *const l[] = { "Org Standard", "Org Pro" };

	return options(v, l, 2, selected);
}

static int
org_product(const char *s, enum product *p)
{
	return product_parse(s, p) == 0 && product_is_org(*p) ? 0 : -1;
}

static const char *
str_of(json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

/* The actor again, under the organization lock: their role may have
 * changed since org_gate read it. 0 to go on, else the status sent. */
static int
recheck_actor(struct req *r, struct org *o, enum org_role need)
{
	struct member	 me;
	int		 rc;

	if ((rc = member_lock(r, o->id, r->user->id, &me)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	o->role = me.role;
	if (me.role < need)
		return page_refuse(r, 403, "insufficient-permission",
		    "Only owners and admins of this organization can do that.");
	return 0;
}

/* Open the write: transaction, organization lock, actor re-check. */
static int
begin_org_write(struct req *r, struct org *o, enum org_role need)
{
	int	 rc;

	if (db_begin() != 0 || (rc = member_lock_org(r, o->id)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);	/* a personal workspace */
	return need > ROLE_NONE ? recheck_actor(r, o, need) : 0;
}

/* --- the members page ---------------------------------------------------- */

static json_object *
members_view(struct req *r, const struct org *o, const char *role_filter,
    const char *license_filter)
{
	json_object	*v = view_new(r), *items, *filters;
	int		 manage = o->kind == ORG_TEAM && o->role >= ROLE_ADMIN;
	size_t		 i;

	if (o->kind == ORG_PERSONAL) {
		/* A single user, never members (PRODUCT §2). */
		json_object	*me = json_object_new_object();

		items = json_object_new_array();
		vset_int(me, "id", r->user->id);
		vset_str(me, "name", r->user->name);
		vset_str(me, "email", r->user->email);
		vset_str(me, "role", "owner");
		vset_str(me, "role_label", "Owner");
		vset_str(me, "license", NULL);
		vset_str(me, "license_label", NULL);
		vset_bool(me, "is_self", 1);
		json_object_array_add(items, me);
	} else if ((items = member_list(r, o->id, role_filter,
	    license_filter)) == NULL)
		return NULL;
	for (i = 0; o->kind == ORG_TEAM && i < json_object_array_length(items);
	    i++) {
		json_object	*m = json_object_array_get_idx(items, i);
		enum org_role	 role = ROLE_MEMBER;
		int		 self, row;

		(void)role_parse(str_of(m, "role"), &role);
		self = json_object_get_int64(json_object_object_get(m, "id")) ==
		    r->user->id;
		/* Owners manage everyone; admins everyone but owners. */
		row = manage && (role != ROLE_OWNER || o->role == ROLE_OWNER);
		vset_str(m, "role_label", role_label(role));
		vset_bool(m, "is_self", self);
		vset_bool(m, "is_owner", role == ROLE_OWNER);
		vset_bool(m, "editable", row);
		vset_bool(m, "can_remove", row && !self);
		if (row && r->fmt == FMT_HTML) {
			vset_obj(m, "role_options", role_options(o->role,
			    str_of(m, "role")));
			vset_obj(m, "license_options",
			    license_options(str_of(m, "license")));
		}
	}
	vset_obj(v, "org", org_json(o));
	vset_obj(v, "items", items);
	vset_int(v, "count", (long long)json_object_array_length(items));
	vset_str(v, "count_label", arena_printf(r->a, "%zu member%s",
	    json_object_array_length(items),
	    json_object_array_length(items) == 1 ? "" : "s"));
	vset_obj(v, "next_cursor", NULL);
	vset_bool(v, "personal", o->kind == ORG_PERSONAL);
	vset_bool(v, "can_manage", manage);
	vset_bool(v, "show_actions", manage);
	vset_bool(v, "can_leave", o->kind == ORG_TEAM);
	vset_str(v, "members_url", members_url(r, o));
	vset_str(v, "invitations_url", invitations_url(r, o));
	filters = json_object_new_object();
	vset_str(filters, "role", role_filter);
	vset_str(filters, "license", license_filter);
	vset_bool(filters, "active", role_filter != NULL ||
	    license_filter != NULL);
	if (r->fmt == FMT_HTML) {
		vset_obj(filters, "role_options", role_options(ROLE_OWNER,
		    role_filter));
		vset_obj(filters, "license_options",
		    license_options(license_filter));
	}
	vset_obj(v, "filters", filters);
	return v;
}

static const char *
filter_value(struct req *r, int idx)
{
	return r->in[idx].present && r->in[idx].s[0] != '\0' ?
	    r->in[idx].s : NULL;
}

/* GET /orgs/{org}/members — 200 list (owners and admins get controls);
 * 403 without an org license; 404 not a member; 422 unknown filter. */
int
h_members(struct req *r)
{
	struct org	 o;
	json_object	*v;
	const char	*role = filter_value(r, MEMBERS_ROLE);
	const char	*lic = filter_value(r, MEMBERS_LICENSE);
	enum org_role	 rr;
	enum product	 p;
	int		 st;

	if ((st = org_gate(r, &o, NEED_LICENSED)) != 0)
		return st;
	r->org_id = o.id;
	if (role != NULL && role_parse(role, &rr) != 0) {
		valid_error(r, "role", "invalid", "Role must be owner, admin "
		    "or member.");
		role = NULL;
	}
	if (lic != NULL && org_product(lic, &p) != 0) {
		valid_error(r, "license", "invalid", "License must be "
		    "org_standard or org_pro.");
		lic = NULL;
	}
	if ((v = members_view(r, &o, role, lic)) == NULL)
		return 503;
	if (r->nerrors)
		return render_invalid(r, "orgs/members", "Members", v);
	return render_page(r, 200, "orgs/members", "Members", v);
}

/* A form error on a member action: the members page again, 422. */
static int
members_invalid(struct req *r, const struct org *o)
{
	json_object	*v = NULL;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_HTML && (v = members_view(r, o, NULL, NULL)) == NULL)
		return 503;
	return render_invalid(r, "orgs/members", "Members",
	    v ? v : view_new(r));
}

static int
stale(struct req *r, int idx, const struct member *m)
{
	return r->in[idx].present && r->in[idx].i != m->version;
}

static int
edit_conflict(struct req *r, const struct member *m, const char *what,
    const char *sent, const char *now)
{
	return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
	    "%s was changed by someone else meanwhile: the %s is now %s "
	    "(version %lld); you sent %s from an older page. Reload the "
	    "members page and try again.", m->name, what, now,
	    (long long)m->version, sent));
}

/* The answer to a successful member change: the members page (HTML) or
 * the member as it is now (JSON). */
static int
member_done(struct req *r, const struct org *o, const struct member *m,
    const char *msg)
{
	flash(r, "ok", msg);
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		vset_obj(v, "member", member_json(m, r->user->timezone));
		return render_json(r, 200, v);
	}
	return render_redirect(r, members_url(r, o));
}

/* POST /orgs/{org}/members/{user}/role — 303 (200 JSON); 403 not an
 * owner/admin, or an admin touching owners; 404 not a member here; 409
 * last-owner or edit-conflict (stale version); 422 unknown role. */
int
h_member_role(struct req *r)
{
	struct org	 o;
	struct member	 m;
	enum org_role	 role = ROLE_NONE, old;
	int64_t		 uid = req_pathvar_id(r, 1), owners;
	json_object	*ch;
	int		 st, rc;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (uid < 0)
		return not_found(r);
	if (r->in[MEMBER_ROLE].present &&
	    role_parse(r->in[MEMBER_ROLE].s, &role) != 0)
		valid_error(r, "role", "invalid", "Role must be owner, admin "
		    "or member.");
	if (r->nerrors)
		return members_invalid(r, &o);
	if ((st = begin_org_write(r, &o, ROLE_ADMIN)) != 0)
		return st;
	if ((rc = member_lock(r, o.id, uid, &m)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if ((m.role == ROLE_OWNER || role == ROLE_OWNER) &&
	    o.role != ROLE_OWNER)
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "can make someone an owner or change an owner's role.");
	if (stale(r, MEMBER_VERSION, &m))
		return edit_conflict(r, &m, "role", role_name(role),
		    role_name(m.role));
	if (m.role == role) {
		db_rollback();
		return member_done(r, &o, &m, arena_printf(r->a, "%s is "
		    "already %s.", m.name, role_name(role)));
	}
	/* There is always an owner (PRODUCT §3). */
	if (m.role == ROLE_OWNER) {
		if ((owners = member_owner_count(r, o.id)) < 0)
			return 503;
		if (owners <= 1)
			return page_refuse(r, 409, "last-owner", arena_printf(r->a,
			    "%s is the last owner of this organization. "
			    "Promote someone else to owner first.", m.name));
	}
	if ((rc = member_set_role(r, o.id, uid, role, m.version)) < 0)
		return 503;
	if (rc == 0)
		return edit_conflict(r, &m, "role", role_name(role),
		    role_name(m.role));
	old = m.role;
	ch = change(NULL, "role", role_name(old), role_name(role));
	rc = audit(r, o.id, 0, "member.role_changed", "user", uid, m.email,
	    ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	m.role = role;
	m.version++;
	return member_done(r, &o, &m, arena_printf(r->a, "%s is now %s.",
	    m.name, role_name(role)));
}

/* POST /orgs/{org}/members/{user}/license — 303 (200 JSON); 403; 404;
 * 409 no-seats-available (no free license of that product) or
 * edit-conflict; 422 unknown license. */
int
h_member_license(struct req *r)
{
	struct org	 o;
	struct member	 m;
	struct pool	 p;
	enum product	 prod = PROD_ORG_STANDARD;
	int64_t		 uid = req_pathvar_id(r, 1);
	const char	*old;
	json_object	*ch;
	int		 st, rc;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (uid < 0)
		return not_found(r);
	if (r->in[MEMBER_PRODUCT].present &&
	    org_product(r->in[MEMBER_PRODUCT].s, &prod) != 0)
		valid_error(r, "license", "invalid", "License must be "
		    "org_standard or org_pro.");
	if (r->nerrors)
		return members_invalid(r, &o);
	if ((st = begin_org_write(r, &o, ROLE_ADMIN)) != 0)
		return st;
	if ((rc = member_lock(r, o.id, uid, &m)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if (m.role == ROLE_OWNER && o.role != ROLE_OWNER)
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "can change an owner's license.");
	old = m.has_license ? product_name(m.license) : NULL;
	if (stale(r, MEMBER_LICENSE_VERSION, &m))
		return edit_conflict(r, &m, "license", product_name(prod),
		    old ? old : "none");
	if (m.has_license && m.license == prod) {
		db_rollback();
		return member_done(r, &o, &m, arena_printf(r->a, "%s already "
		    "holds %s.", m.name, product_label(prod)));
	}
	/* Race-safe: the pools of the product stay locked until commit. */
	if ((rc = pool_lock_free(r, o.id, prod, &p)) < 0)
		return 503;
	if (rc == 0)
		return page_refuse(r, 409, "no-seats-available", arena_printf(r->a,
		    "No %s license is free in this organization. Raise the "
		    "quantity on the billing page, or free one first.",
		    product_label(prod)));
	if ((rc = member_set_pool(r, o.id, uid, p.id, m.version)) < 0)
		return 503;
	if (rc == 0)
		return edit_conflict(r, &m, "license", product_name(prod),
		    old ? old : "none");
	ch = change(NULL, "license", old, product_name(prod));
	rc = audit(r, o.id, 0, "member.license_changed", "user", uid,
	    m.email, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	m.has_license = 1;
	m.license = prod;
	m.pool_id = p.id;
	m.version++;
	return member_done(r, &o, &m, arena_printf(r->a, "%s now holds %s.",
	    m.name, product_label(prod)));
}

/* Delete a locked membership unless it is the last owner; the caller
 * holds the organization lock. 0 done, else the status sent. */
static int
drop_member(struct req *r, const struct org *o, const struct member *m,
    const char *action)
{
	json_object	*ch;
	int64_t		 owners;
	int		 rc;

	if (m->role == ROLE_OWNER) {
		if ((owners = member_owner_count(r, o->id)) < 0)
			return 503;
		if (owners <= 1)
			return page_refuse(r, 409, "last-owner", m->user_id ==
			    r->user->id ? "You are the last owner of this "
			    "organization. Promote someone else to owner "
			    "first, then leave." : arena_printf(r->a, "%s is "
			    "the last owner of this organization. Promote "
			    "someone else to owner first.", m->name));
	}
	if ((rc = member_delete(r, o->id, m->user_id)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if (eu_leave_org(r, o->id, m->user_id) != 0)
		return 503;
	ch = change(NULL, "role", role_name(m->role), NULL);
	ch = change(ch, "license", m->has_license ?
	    product_name(m->license) : NULL, NULL);
	rc = audit(r, o->id, 0, action, "user", m->user_id, m->email, ch);
	put_changes(ch);
	if (rc != 0 || db_commit() != 0)
		return 503;
	return 0;
}

/* POST /orgs/{org}/members/{user}/remove — 303 (204 JSON); 403 not an
 * owner/admin, or an admin removing an owner; 404; 409 last-owner. The
 * membership and with it the org license go at once: the next request
 * of the removed member to this organization answers 404 (AC-5). */
int
h_member_remove(struct req *r)
{
	struct org	 o;
	struct member	 m;
	int64_t		 uid = req_pathvar_id(r, 1);
	int		 st, rc, self;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (uid < 0)
		return not_found(r);
	if ((st = begin_org_write(r, &o, ROLE_ADMIN)) != 0)
		return st;
	if ((rc = member_lock(r, o.id, uid, &m)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if (m.role == ROLE_OWNER && o.role != ROLE_OWNER)
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "can remove an owner.");
	if ((st = drop_member(r, &o, &m, "member.removed")) != 0)
		return st;
	self = uid == r->user->id;
	flash(r, "ok", self ? arena_printf(r->a, "You left %s.", o.name) :
	    arena_printf(r->a, "%s was removed from %s.", m.name, o.name));
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, self ? "/" : members_url(r, &o));
}

/* POST /orgs/{org}/leave — 303 home (204 JSON); 403 personal workspace;
 * 404 not a member; 409 last-owner. Needs no org license. */
int
h_org_leave(struct req *r)
{
	struct org	 o;
	struct member	 m;
	int		 st, rc;

	if ((st = org_gate(r, &o, NEED_MEMBER)) != 0)
		return st;
	if (o.kind == ORG_PERSONAL)
		return page_refuse(r, 403, "insufficient-permission", "Your "
		    "personal workspace is always yours: it cannot be left.");
	if ((st = begin_org_write(r, &o, ROLE_NONE)) != 0)
		return st;
	if ((rc = member_lock(r, o.id, r->user->id, &m)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if ((st = drop_member(r, &o, &m, "member.left")) != 0)
		return st;
	flash(r, "ok", arena_printf(r->a, "You left %s.", o.name));
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, "/");
}

/* --- invitations ------------------------------------------------------- */

static json_object *
invitations_view(struct req *r, const struct org *o)
{
	json_object	*v = view_new(r), *list, *form, *lic, *e;
	int64_t		 nfree[PROD__MAX];
	const char	*role = r->in[INVITE_ROLE].present ?
	    r->in[INVITE_ROLE].s : "member";
	const char	*prod = r->in[INVITE_PRODUCT].present ?
	    r->in[INVITE_PRODUCT].s : "org_standard";
	int		 p;

	if ((list = invitation_list(r, o->id)) == NULL)
		return NULL;
	if (member_free_by_product(r, o->id, nfree) != 0) {
		json_object_put(list);
		return NULL;
	}
	vset_obj(v, "org", org_json(o));
	vset_obj(v, "items", list);
	vset_obj(v, "next_cursor", NULL);
	vset_str(v, "members_url", members_url(r, o));
	vset_str(v, "invitations_url", invitations_url(r, o));
	lic = json_object_new_array();
	for (p = 0; p < PROD__MAX; p++) {
		if (!product_is_org((enum product)p))
			continue;
		e = json_object_new_object();
		vset_str(e, "product", product_name((enum product)p));
		vset_str(e, "label", product_label((enum product)p));
		vset_int(e, "free", nfree[p]);
		json_object_array_add(lic, e);
	}
	vset_obj(v, "free_licenses", lic);
	form = json_object_new_object();
	vset_str(form, "emails", r->in[INVITE_EMAILS].s);
	vset_str(form, "role", role);
	vset_str(form, "license", prod);
	if (r->fmt == FMT_HTML) {
		vset_obj(form, "role_options", role_options(o->role, role));
		vset_obj(form, "license_options", license_options(prod));
	}
	vset_obj(v, "form", form);
	vset_int(v, "max_batch", INVITE_MAX);
	vset_int(v, "ttl_days", cfg->invitation_ttl_days);
	return v;
}

/* GET /orgs/{org}/invitations — 200 pending invitations and the invite
 * form; 403 not an owner/admin, or a personal workspace; 404. */
int
h_invitations(struct req *r)
{
	struct org	 o;
	json_object	*v;
	int		 st;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (o.kind == ORG_PERSONAL)
		return org_personal_refusal(r, "inviting people");
	if ((v = invitations_view(r, &o)) == NULL)
		return 503;
	return render_page(r, 200, "orgs/invitations", "Invitations", v);
}

/* The invitation page again with the batch's errors: 422 (rows) or 409
 * (licenses), every typed value kept. */
static int
invite_refused(struct req *r, const struct org *o, int status,
    const char *code, const char *detail)
{
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (status == 422) {
		if (r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, NULL);
		if ((v = invitations_view(r, o)) == NULL)
			return 503;
		return render_invalid(r, "orgs/invitations", "Invitations",
		    v);
	}
	log_msg(LOG_INFO, "decision=deny reason=%s", code);
	if (r->fmt == FMT_JSON)
		return render_error(r, status, code, detail);
	if ((v = invitations_view(r, o)) == NULL)
		return 503;
	{
		json_object	*errs = json_object_new_array(), *e, *fe;

		e = json_object_new_object();
		vset_str(e, "field", "emails");
		vset_str(e, "code", code);
		vset_str(e, "message", detail);
		json_object_array_add(errs, e);
		fe = json_object_new_object();
		vset_str(fe, "emails", detail);
		vset_obj(v, "errors", errs);
		vset_obj(v, "field_errors", fe);
	}
	return render_page(r, status, "orgs/invitations", "Invitations", v);
}

static int
is_sep(char c)
{
	return c == '\n' || c == '\r' || c == ',' || c == ' ' || c == '\t';
}

/* Split the pasted list on newlines, commas and spaces; repeated
 * addresses (ignoring case) count once. Returns the number of rows, or
 * INVITE_MAX + 1 when there are more than INVITE_MAX. */
static size_t
split_emails(struct req *r, const char *s, struct invitee *rows)
{
	size_t		 n = 0, len, i;
	const char	*p = s;

	while (s != NULL && *p != '\0') {
		while (*p != '\0' && is_sep(*p))
			p++;
		for (len = 0; p[len] != '\0' && !is_sep(p[len]); len++)
			continue;
		if (len == 0)
			break;
		if (n == INVITE_MAX)
			return INVITE_MAX + 1;
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].email = arena_strndup(r->a, p, len);
		rows[n].norm = user_email_norm(r, rows[n].email);
		p += len;
		for (i = 0; i < n; i++)
			if (strcmp(rows[i].norm, rows[n].norm) == 0)
				break;
		if (i == n)
			n++;
	}
	return n;
}

static const char *
added_body(struct req *r, const struct org *o, const struct invitee *row,
    enum org_role role, enum product prod)
{
	return arena_printf(r->a, "Hello %s,\n\n%s added you to the "
	    "organization \"%s\" on BackOps as %s, with an %s license.\n\n"
	    "Open it here: %s/orgs/%lld\n", row->user_name, r->user->name,
	    o->name, role_name(role), product_label(prod), cfg->base_url,
	    (long long)o->id);
}

static const char *
invite_body(struct req *r, const char *org_name, const char *tok)
{
	return arena_printf(r->a, "Hello,\n\n%s (%s) invited you to join "
	    "the organization \"%s\" on BackOps.\n\nAccept the invitation "
	    "and create your account here (the link works once, for %d "
	    "days):\n%s/invitations/accept?token=%s\n\nIf you weren't "
	    "expecting this, you can ignore this message.\n", r->user->name,
	    r->user->email, org_name, cfg->invitation_ttl_days, cfg->base_url,
	    tok);
}

/* POST /orgs/{org}/invitations — 303 to the invitations page (201
 * JSON); 403 not an owner/admin, an admin inviting owners, an
 * unverified inviter or a personal workspace; 404; 409
 * no-seats-available (the batch needs more free licenses than there
 * are); 422 a bad role, license or row (each bad row named). The whole
 * batch is checked before anything is written; then, in the same
 * transaction, existing accounts become members with their license and
 * are told by mail, and new addresses get an invitation that reserves
 * one license and a link by mail. */
int
h_invite(struct req *r)
{
	struct org	 o;
	struct invitee	 rows[INVITE_MAX];
	struct pool_free pools[POOL_FREE_MAX];
	struct pool	 locked;
	enum org_role	 role = ROLE_MEMBER;
	enum product	 prod = PROD_ORG_STANDARD;
	json_object	*added, *invited, *v, *ch;
	size_t		 n = 0, npools = 0, i, k = 0, nadded = 0;
	int64_t		 total, id;
	char		 tok[INVITE_TOKEN_MAX];
	int		 st, rc;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (o.kind == ORG_PERSONAL)
		return org_personal_refusal(r, "inviting people");
	if (!r->user->verified)
		return page_refuse(r, 403, "insufficient-permission", "Verify your "
		    "email address before inviting people: open the link we "
		    "sent you, or ask for a new one from the banner.");
	if (r->in[INVITE_ROLE].present &&
	    role_parse(r->in[INVITE_ROLE].s, &role) != 0)
		valid_error(r, "role", "invalid", "Role must be owner, admin "
		    "or member.");
	if (r->in[INVITE_PRODUCT].present &&
	    org_product(r->in[INVITE_PRODUCT].s, &prod) != 0)
		valid_error(r, "license", "invalid", "License must be "
		    "org_standard or org_pro.");
	if (r->in[INVITE_EMAILS].present) {
		n = split_emails(r, r->in[INVITE_EMAILS].s, rows);
		if (n == 0)
			valid_error(r, "emails", "required", "Enter at least "
			    "one email address.");
		else if (n > INVITE_MAX) {
			valid_error(r, "emails", "too-many", "Invite at most "
			    "100 addresses at a time.");
			n = 0;
		}
	}
	if (r->nerrors)
		return invite_refused(r, &o, 422, NULL, NULL);
	if (role == ROLE_OWNER && o.role != ROLE_OWNER)
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "can invite owners.");

	if ((st = begin_org_write(r, &o, ROLE_ADMIN)) != 0)
		return st;
	if (role == ROLE_OWNER && o.role != ROLE_OWNER)
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "can invite owners.");
	if (invitation_lookup(r, o.id, rows, n) != 0)
		return 503;
	/* Every bad row is named, in the order they were typed. */
	for (i = 0; i < n; i++) {
		if (strlen(rows[i].email) > 254 || !valid_email(rows[i].email))
			valid_error(r, "emails", "email", arena_printf(r->a,
			    "%s is not a valid email address.",
			    rows[i].email));
		else if (rows[i].member)
			valid_error(r, "emails", "already-member",
			    arena_printf(r->a, "%s is already a member of this "
			    "organization.", rows[i].email));
		else if (rows[i].pending)
			valid_error(r, "emails", "pending-invitation",
			    arena_printf(r->a, "%s already has a pending "
			    "invitation; resend it from the list instead.",
			    rows[i].email));
	}
	if (r->nerrors)
		return invite_refused(r, &o, 422, NULL, NULL);

	/* Lock the product's pools, then count what is free in them: no
	 * other assignment or reservation can happen before we commit. */
	if ((rc = pool_lock_free(r, o.id, prod, &locked)) < 0 ||
	    (total = member_pool_free(r, o.id, prod, pools, POOL_FREE_MAX,
	    &npools)) < 0)
		return 503;
	if (rc == 0 || total < (int64_t)n)
		return invite_refused(r, &o, 409, "no-seats-available",
		    arena_printf(r->a, "Not enough free %s licenses: %zu "
		    "needed, %lld free (pending invitations count as used). "
		    "Raise the quantity on the billing page, or invite fewer "
		    "people.", product_label(prod), n, (long long)total));

	added = json_object_new_array();
	invited = json_object_new_array();
	v = view_new(r);
	vset_obj(v, "added", added);
	vset_obj(v, "invited", invited);
	for (i = 0; i < n; i++) {
		json_object	*e;

		while (k < npools && pools[k].free == 0)
			k++;
		if (k == npools)
			return 503;	/* counted above; cannot happen */
		e = json_object_new_object();
		pools[k].free--;
		ch = change(NULL, "role", NULL, role_name(role));
		ch = change(ch, "license", NULL, product_name(prod));
		if (rows[i].user_id != 0) {
			if ((rc = member_add(r, o.id, rows[i].user_id, role,
			    pools[k].pool_id)) != 0 ||
			    mail_queue(r, rows[i].user_email, arena_printf(r->a,
			    "You were added to %s on BackOps", o.name),
			    added_body(r, &o, &rows[i], role, prod)) != 0 ||
			    audit(r, o.id, 0, "member.added", "user",
			    rows[i].user_id, rows[i].user_email, ch) != 0) {
				put_changes(ch);
				json_object_put(e);
				return rc == 1 ? page_refuse(r, 409,
				    "already-member", arena_printf(r->a,
				    "%s is already a member of this "
				    "organization.", rows[i].email)) : 503;
			}
			vset_int(e, "user_id", rows[i].user_id);
			vset_str(e, "email", rows[i].user_email);
			vset_str(e, "name", rows[i].user_name);
			json_object_array_add(added, e);
			nadded++;
		} else {
			if ((id = invitation_create(r, o.id, rows[i].email,
			    role, pools[k].pool_id, tok, sizeof(tok))) < 0 ||
			    mail_queue(r, rows[i].email, arena_printf(r->a,
			    "%s invited you to %s on BackOps", r->user->name,
			    o.name), invite_body(r, o.name, tok)) != 0 ||
			    audit(r, o.id, 0, "invitation.created",
			    "invitation", id, rows[i].email, ch) != 0) {
				sodium_memzero(tok, sizeof(tok));
				put_changes(ch);
				json_object_put(e);
				return 503;
			}
			sodium_memzero(tok, sizeof(tok));
			vset_int(e, "id", id);
			vset_str(e, "email", rows[i].email);
			json_object_array_add(invited, e);
		}
		put_changes(ch);
		vset_str(e, "role", role_name(role));
		vset_str(e, "license", product_name(prod));
	}
	if (db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=invited org=%lld added=%zu invited=%zu",
	    (long long)o.id, nadded, n - nadded);
	if (r->fmt == FMT_JSON)
		return render_json(r, 201, v);
	flash(r, "ok", nadded == n ? arena_printf(r->a, "Added %zu member%s; "
	    "they were told by email.", n, n == 1 ? "" : "s") : nadded == 0 ?
	    arena_printf(r->a, "Sent %zu invitation%s.", n, n == 1 ? "" :
	    "s") : arena_printf(r->a, "Added %zu member%s and sent %zu "
	    "invitation%s.", nadded, nadded == 1 ? "" : "s", n - nadded,
	    n - nadded == 1 ? "" : "s"));
	return render_redirect(r, nadded == n ? members_url(r, &o) :
	    invitations_url(r, &o));
}

/* Lock an invitation of {org} for resend/revoke. 0 to go on. */
static int
lock_invitation(struct req *r, struct org *o, struct invitation *inv)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st, rc;

	if ((st = org_gate(r, o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o->id;
	if (id < 0)
		return not_found(r);
	if ((st = begin_org_write(r, o, ROLE_ADMIN)) != 0)
		return st;
	if ((rc = invitation_lock(r, o->id, id, inv)) < 0)
		return 503;
	if (rc == 0)
		return not_found(r);
	if (inv->role == ROLE_OWNER && o->role != ROLE_OWNER)
		return page_refuse(r, 403, "insufficient-permission", "Only owners "
		    "can manage invitations of owners.");
	return 0;
}

static int
invitation_gone(struct req *r, const struct invitation *inv)
{
	return page_refuse(r, 409, "edit-conflict", arena_printf(r->a, "The "
	    "invitation for %s is no longer pending: it was accepted, revoked "
	    "or it expired. Reload the page; to ask again, send a new "
	    "invitation.", inv->email));
}

/* POST /orgs/{org}/invitations/{id}/resend — 303 (200 JSON) with a new
 * link and a new expiry, the old link dead; 403; 404; 409 not pending. */
int
h_invitation_resend(struct req *r)
{
	struct org		 o;
	struct invitation	 inv;
	char			 tok[INVITE_TOKEN_MAX];
	int			 st, rc;

	if ((st = lock_invitation(r, &o, &inv)) != 0)
		return st;
	if (!inv.live)
		return invitation_gone(r, &inv);
	if ((rc = invitation_renew(r, o.id, inv.id, tok, sizeof(tok))) < 0)
		return 503;
	if (rc == 0)
		return invitation_gone(r, &inv);
	rc = mail_queue(r, inv.email, arena_printf(r->a, "%s invited you to "
	    "%s on BackOps", r->user->name, o.name),
	    invite_body(r, o.name, tok));
	sodium_memzero(tok, sizeof(tok));
	if (rc != 0 || audit(r, o.id, 0, "invitation.resent", "invitation",
	    inv.id, inv.email, NULL) != 0 || db_commit() != 0)
		return 503;
	flash(r, "ok", arena_printf(r->a, "A new invitation link was sent to "
	    "%s; the earlier link no longer works.", inv.email));
	if (r->fmt == FMT_JSON) {
		json_object	*v = view_new(r);

		vset_int(v, "id", inv.id);
		vset_str(v, "email", inv.email);
		vset_str(v, "status", "pending");
		return render_json(r, 200, v);
	}
	return render_redirect(r, invitations_url(r, &o));
}

/* POST /orgs/{org}/invitations/{id}/revoke — 303 (204 JSON), the link
 * dead and the reserved license free; 403; 404; 409 not pending. */
int
h_invitation_revoke(struct req *r)
{
	struct org		 o;
	struct invitation	 inv;
	int			 st, rc;

	if ((st = lock_invitation(r, &o, &inv)) != 0)
		return st;
	if ((rc = invitation_revoke(r, o.id, inv.id)) < 0)
		return 503;
	if (rc == 0)
		return invitation_gone(r, &inv);
	if (audit(r, o.id, 0, "invitation.revoked", "invitation", inv.id,
	    inv.email, NULL) != 0 || db_commit() != 0)
		return 503;
	flash(r, "ok", arena_printf(r->a, "The invitation for %s was revoked.",
	    inv.email));
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return render_redirect(r, invitations_url(r, &o));
}

/* --- accepting an invitation -------------------------------------------- */

enum accept_state { AS_DEAD, AS_JOIN, AS_SIGNIN, AS_SIGNUP, AS_OTHER };

static const char *
accept_url(struct req *r, const char *tok)
{
	return arena_printf(r->a, "/invitations/accept?token=%s", tok);
}

static const char *
signin_url(struct req *r, const char *tok)
{
	struct buf	 b;
	const char	*next = accept_url(r, tok);
	char		*s;

	buf_init(&b);
	buf_puts(&b, "/login?next=");
	esc_url(&b, next, strlen(next));
	s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static json_object *
accept_view(struct req *r, enum accept_state st,
    const struct invitation *inv)
{
	static const char *const names[] = { "invalid", "join", "sign-in",
	    "sign-up", "other-account" };
	json_object	*v = view_new(r), *i, *form;
	const char	*tok = r->in[ACCEPT_TOKEN].s;
	const char	*tz = r->in[ACCEPT_TIMEZONE].s;

	vset_str(v, "state", names[st]);
	vset_bool(v, "is_dead", st == AS_DEAD);
	vset_bool(v, "is_join", st == AS_JOIN);
	vset_bool(v, "is_signin", st == AS_SIGNIN);
	vset_bool(v, "is_signup", st == AS_SIGNUP);
	vset_bool(v, "is_other", st == AS_OTHER);
	if (st == AS_DEAD) {
		vset_obj(v, "invitation", NULL);
		return v;
	}
	i = json_object_new_object();
	vset_int(i, "org_id", inv->org_id);
	vset_str(i, "org_name", inv->org_name);
	vset_str(i, "email", inv->email);
	vset_str(i, "role", role_name(inv->role));
	vset_str(i, "license", product_name(inv->license));
	vset_str(i, "license_label", product_label(inv->license));
	vset_str(i, "invited_by", inv->inviter_name);
	vset_time(i, "expires_at", inv->expires_at, r->user ?
	    r->user->timezone : "UTC");
	vset_obj(v, "invitation", i);
	if (r->user != NULL)
		vset_str(v, "signed_in_as", r->user->email);
	if (st == AS_SIGNIN)
		vset_str(v, "signin_url", signin_url(r, tok));
	if (r->fmt == FMT_HTML) {
		form = json_object_new_object();
		vset_str(form, "token", tok);
		vset_str(form, "name", r->in[ACCEPT_NAME].s);
		vset_str(form, "timezone", tz);
		vset_obj(v, "form", form);
		if (st == AS_SIGNUP)
			vset_obj(v, "timezones", timezones_json(tz ? tz :
			    "UTC"));
	}
	return v;
}

static int
accept_dead(struct req *r)
{
	static const char msg[] = "This invitation link is no longer valid: "
	    "it was already used, replaced by a newer one, revoked, or it "
	    "expired. Ask the person who invited you to send a new one.";
	json_object	*v;

	if (db_in_txn())
		db_rollback();
	if (r->fmt == FMT_JSON)
		return render_error(r, 410, "invitation-invalid", msg);
	v = accept_view(r, AS_DEAD, NULL);
	vset_str(v, "message", msg);
	return render_page(r, 410, "orgs/accept", "Invitation no longer valid",
	    v);
}

static int
same_address(struct req *r, const char *a, const char *b)
{
	return strcmp(user_email_norm(r, a), user_email_norm(r, b)) == 0;
}

/* Signed in as another account, or an account exists and nobody is
 * signed in: 409 and nothing changes. */
static int
accept_elsewhere(struct req *r, enum accept_state st,
    const struct invitation *inv)
{
	json_object	*v;
	const char	*msg = st == AS_OTHER ? arena_printf(r->a, "This "
	    "invitation is for %s, but you are signed in as %s. Sign out "
	    "first, then open the link again.", inv->email, r->user->email) :
	    arena_printf(r->a, "An account already exists for %s: sign in "
	    "with it to accept this invitation.", inv->email);

	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=invitation_%s",
	    st == AS_OTHER ? "other_account" : "sign_in_first");
	if (r->fmt == FMT_JSON)
		return render_error(r, 409, "conflict", msg);
	v = accept_view(r, st, inv);
	vset_str(v, "message", msg);
	return render_page(r, 409, "orgs/accept", "Invitation", v);
}

/* What the holder of a live link sees: 0 and *st, or -1 on error. */
static int
accept_state_of(struct req *r, const struct invitation *inv,
    enum accept_state *st)
{
	struct user	 u;
	int		 found;

	if (r->user != NULL) {
		*st = same_address(r, r->user->email, inv->email) ? AS_JOIN :
		    AS_OTHER;
		return 0;
	}
	if ((found = user_by_email(r, inv->email, &u)) < 0)
		return -1;
	*st = found ? AS_SIGNIN : AS_SIGNUP;
	return 0;
}

/* GET /invitations/accept?token= — 200 a page fitting who opens it: a
 * "Join" confirmation (signed in with the invited address), a sign-in
 * link back here (an account exists) or a sign-up form with the address
 * fixed; 409 signed in as another account; 410 a dead or unknown link.
 * A GET never changes anything (mail scanners fetch links). */
int
h_invitation_accept_form(struct req *r)
{
	struct invitation	 inv;
	enum accept_state	 st;
	int			 rc;

	resp_header(r, "Referrer-Policy", "no-referrer");
	if ((rc = invitation_by_token(r, r->in[ACCEPT_TOKEN].s, &inv)) < 0)
		return 503;
	if (rc == 0 || !inv.live)
		return accept_dead(r);
	if (accept_state_of(r, &inv, &st) != 0)
		return 503;
	if (st == AS_OTHER)
		return accept_elsewhere(r, st, &inv);
	return render_page(r, 200, "orgs/accept", arena_printf(r->a,
	    "Join %s", inv.org_name), accept_view(r, st, &inv));
}

/* POST /invitations/accept — 303 into the organization, signed in (200
 * JSON); 409 signed in as another account, an account to sign in with
 * first, or already a member; 410 dead link; 422 sign-up form errors.
 * One transaction: the account when needed (its address counts as
 * verified), the membership with the reserved license, the invitation
 * marked accepted, the audit entries and the new session. */
int
h_invitation_accept(struct req *r)
{
	struct invitation	 inv, cur;
	enum accept_state	 st;
	char			 hash[PW_HASH_MAX];
	const char		*why;
	json_object		*ch, *v;
	int64_t			 uid;
	int			 rc;

	resp_header(r, "Referrer-Policy", "no-referrer");
	if ((rc = invitation_by_token(r, r->in[ACCEPT_TOKEN].s, &inv)) < 0)
		return 503;
	if (rc == 0 || !inv.live)
		return accept_dead(r);
	if (accept_state_of(r, &inv, &st) != 0)
		return 503;
	if (st == AS_OTHER || st == AS_SIGNIN)
		return accept_elsewhere(r, st, &inv);
	if (st == AS_SIGNUP) {
		if (!r->in[ACCEPT_NAME].present)
			valid_error(r, "name", "required", "Name is required.");
		if (!r->in[ACCEPT_PASSWORD].present)
			valid_error(r, "password", "required",
			    "Password is required.");
		else if ((why = pw_policy(r->in[ACCEPT_PASSWORD].s,
		    inv.email)) != NULL)
			valid_error(r, "password", "password-policy", why);
		if (!r->in[ACCEPT_TIMEZONE].present)
			valid_error(r, "timezone", "required",
			    "Time zone is required.");
		if (r->nerrors)
			return render_invalid(r, "orgs/accept",
			    arena_printf(r->a, "Join %s", inv.org_name),
			    accept_view(r, AS_SIGNUP, &inv));
		if (pw_hash(r->in[ACCEPT_PASSWORD].s, hash) != 0)
			return 503;
	} else if (r->nerrors)
		r->nerrors = 0;	/* sign-up fields are not asked for */

	if (db_begin() != 0 || (rc = member_lock_org(r, inv.org_id)) < 0)
		return 503;
	if (rc == 0)
		return accept_dead(r);
	/* Under the lock: still live? (resent, revoked or accepted by a
	 * concurrent request). */
	if ((rc = invitation_lock(r, inv.org_id, inv.id, &cur)) < 0)
		return 503;
	if (rc == 0 || !cur.live)
		return accept_dead(r);
	if (st == AS_SIGNUP) {
		uid = user_create(r, inv.email, r->in[ACCEPT_NAME].s, hash,
		    pw_pepper_id(), r->in[ACCEPT_TIMEZONE].s);
		sodium_memzero(hash, sizeof(hash));
		if (uid < 0)
			return 503;
		if (uid == 0)	/* signed up meanwhile by other means */
			return accept_elsewhere(r, AS_SIGNIN, &inv);
		if (audit_as(r, uid, 0, 0, "account.created", "user", uid,
		    inv.email, NULL) != 0)
			return 503;
	} else
		uid = r->user->id;
	if (user_mark_verified(r, uid) != 0 ||
	    (rc = member_add(r, inv.org_id, uid, inv.role, inv.pool_id)) < 0)
		return 503;
	if (rc == 1)
		return page_refuse(r, 409, "already-member", arena_printf(r->a,
		    "You are already a member of %s.", inv.org_name));
	if ((rc = invitation_accepted(r, inv.id, uid)) < 0)
		return 503;
	if (rc == 0)
		return accept_dead(r);
	ch = change(NULL, "role", NULL, role_name(inv.role));
	ch = change(ch, "license", NULL, product_name(inv.license));
	rc = audit_as(r, uid, inv.org_id, 0, "invitation.accepted",
	    "invitation", inv.id, inv.email, ch);
	put_changes(ch);
	if (rc != 0)
		return 503;
	if ((r->user == NULL || r->user->id != uid) &&
	    session_login(r, uid) != 0)
		return 503;
	if (org_set_current(r, inv.org_id) != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "msg=invitation_accepted org=%lld new_account=%d",
	    (long long)inv.org_id, st == AS_SIGNUP);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_int(v, "org_id", inv.org_id);
		vset_int(v, "user_id", uid);
		vset_str(v, "role", role_name(inv.role));
		vset_str(v, "license", product_name(inv.license));
		vset_str(v, "url", arena_printf(r->a, "/orgs/%lld",
		    (long long)inv.org_id));
		return render_json(r, 200, v);
	}
	(void)session_set_flash(r, "ok", arena_printf(r->a, "Welcome to %s.",
	    inv.org_name));
	return render_redirect(r, arena_printf(r->a, "/orgs/%lld",
	    (long long)inv.org_id));
}
