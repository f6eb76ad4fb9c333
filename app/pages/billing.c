/* billing.c — the billing page: license pools with their use and prices,
 * adding and closing pools, changing quantities through a confirm step,
 * and the billing history (PRODUCT §4). */
#include <stdio.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/billing.h"
#include "model/org.h"
#include "model/pool.h"
#include "model/user.h"
#include "orgctx.h"
#include "pages.h"
#include "policy/license.h"
#include "render/timefmt.h"
#include "render/view.h"

#define HISTORY_MAX	200	/* newest billing events shown */

/* Event Pro use of a pool (PRODUCT §4): the highest count of live seats
 * on any event bound to it — a seat held for an invitation counts while
 * the invitation is pending and unexpired — and the number of events
 * bound to it (archived ones too: they keep their seats). */
#define EVENT_PRO_SEATS(pool) \
    "COALESCE((SELECT COUNT(*) FROM event_seats s" \
    "  JOIN events e ON e.id = s.event_id" \
    "  LEFT JOIN event_invitations ei ON ei.id = s.invitation_id" \
    "  WHERE e.pool_id = " pool " AND (s.invitation_id IS NULL OR" \
    "  (ei.status = 'pending' AND ei.expires_at > UTC_TIMESTAMP(3)))" \
    "  GROUP BY s.event_id ORDER BY COUNT(*) DESC LIMIT 1), 0)"
#define EVENT_PRO_EVENTS(pool) \
    "(SELECT COUNT(*) FROM events e WHERE e.pool_id = " pool ")"

/* Every pool of the organization with its use, in one query (closed
 * ones too: the handlers tell "closed" from "not here"). */
static struct dbq q_pools = DBQ(
    "SELECT p.id, p.product, p.quantity, p.label, p.version,"
    " p.status = 'active',"
    " (SELECT COUNT(*) FROM org_members m WHERE m.pool_id = p.id),"
    " (SELECT COUNT(*) FROM org_invitations i WHERE i.pool_id = p.id"
    "  AND i.status = 'pending' AND i.expires_at > UTC_TIMESTAMP(3)),"
    " " EVENT_PRO_SEATS("p.id") ", " EVENT_PRO_EVENTS("p.id") " "
    "FROM license_pools p WHERE p.org_id = ? ORDER BY p.product, p.id");
static struct dbq q_holders = DBQ(
    "SELECT m.pool_id, u.id, u.name, u.email, m.role FROM org_members m"
    " JOIN users u ON u.id = m.user_id"
    " WHERE m.org_id = ? AND m.pool_id IS NOT NULL ORDER BY u.name, u.id");
static struct dbq q_reservations = DBQ(
    "SELECT i.pool_id, i.id, i.email,"
    " DATE_FORMAT(i.expires_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM org_invitations i WHERE i.org_id = ? AND i.status = 'pending'"
    " AND i.expires_at > UTC_TIMESTAMP(3) ORDER BY i.created_at, i.id");
static struct dbq q_insert = DBQ(
    "INSERT INTO license_pools (org_id, product, quantity, label,"
    " created_at) VALUES (?, ?, ?, NULLIF(?, ''), UTC_TIMESTAMP(3))");
static struct dbq q_quantity = DBQ(
    "UPDATE license_pools SET quantity = ?, version = version + 1"
    " WHERE id = ? AND org_id = ? AND version = ?");
static struct dbq q_close = DBQ(
    "UPDATE license_pools SET status = 'closed', version = version + 1"
    " WHERE id = ? AND org_id = ? AND version = ? AND status = 'active'");

struct poolrow {
	int64_t		 id;
	enum product	 product;
	int64_t		 quantity;
	char		*label;
	int64_t		 version;
	int		 active;
	int64_t		 assigned;	/* members holding it */
	int64_t		 reserved;	/* pending invitations */
	int64_t		 seats;		/* Event Pro: highest per-event count */
	int64_t		 events;	/* Event Pro: events bound to it */
	json_object	*holders;	/* filled for the page */
	json_object	*reservations;
};

struct pools {
	struct poolrow	*v;
	size_t		 n;
};


/* An audit change of a new object: {"old": null, "new": value}. */
static json_object *
created(json_object *val)
{
	json_object	*pair = json_object_new_object();

	vset_obj(pair, "old", NULL);
	vset_obj(pair, "new", val);
	return pair;
}

/* Event Pro use of one pool, read under its lock (the lock every seat
 * assignment also takes): the highest seat count on any bound event and
 * the number of bound events, as in q_pools. */
static struct dbq q_event_pro_use = DBQ(
    "SELECT " EVENT_PRO_SEATS("?") ", " EVENT_PRO_EVENTS("?"));

static int
event_pro_use(struct req *r, int64_t pool_id, int64_t *seats,
    int64_t *events)
{
	int	 rc;

	(void)r;
	*seats = *events = 0;
	if (db_select(&q_event_pro_use, "ii", pool_id, pool_id) != 0)
		return -1;
	rc = db_fetch(&q_event_pro_use, "ii", seats, events);
	db_done(&q_event_pro_use);
	return rc == 1 ? 0 : -1;
}

/* In use: assigned + reserved for org licenses; for Event Pro the
 * highest seat count on a bound event (PRODUCT §4). */
static int64_t
in_use(const struct poolrow *p)
{
	return product_is_org(p->product) ? p->assigned + p->reserved :
	    p->seats;
}

static int
load_pools(struct req *r, int64_t org_id, struct pools *ps)
{
	struct poolrow	 p;
	size_t		 cap = 8;
	int64_t		 active;
	char		*prod;
	int		 rc;

	ps->n = 0;
	ps->v = arena_calloc(r->a, cap, sizeof(*ps->v));
	if (db_select(&q_pools, "i", org_id) != 0)
		return -1;
	memset(&p, 0, sizeof(p));
	while ((rc = db_fetch(&q_pools, "isisiiiiii", &p.id, &prod,
	    &p.quantity, &p.label, &p.version, &active, &p.assigned,
	    &p.reserved, &p.seats, &p.events)) == 1) {
		if (product_parse(prod, &p.product) != 0)
			continue;
		p.active = (int)active;
		if (ps->n == cap) {
			struct poolrow	*nv = arena_calloc(r->a, cap * 2,
			    sizeof(*nv));

			memcpy(nv, ps->v, cap * sizeof(*nv));
			ps->v = nv;
			cap *= 2;
		}
		ps->v[ps->n++] = p;
		memset(&p, 0, sizeof(p));
	}
	db_done(&q_pools);
	return rc < 0 ? -1 : 0;
}

static struct poolrow *
find_pool(struct pools *ps, int64_t id)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].id == id)
			return &ps->v[i];
	return NULL;
}

static int64_t
line_total(enum product prod, int64_t quantity)
{
	return quantity * billing_unit_price(prod);
}

/* The organization's total per period, with one pool counted at
 * `quantity` instead of its own (pool_id 0: none). */
static int64_t
org_total(const struct pools *ps, int64_t pool_id, int64_t quantity)
{
	int64_t	 t = 0;
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].active)
			t += line_total(ps->v[i].product,
			    ps->v[i].id == pool_id ? quantity :
			    ps->v[i].quantity);
	return t;
}

static const char *
plural(struct req *r, int64_t n, const char *one, const char *many)
{
	return arena_printf(r->a, "%lld %s", (long long)n, n == 1 ? one :
	    many);
}

/* "3 Org Standard licenses are in use (2 members, 1 pending invitation)" */
static const char *
in_use_text(struct req *r, const struct poolrow *p)
{
	const char	*what, *label;
	int64_t		 n = in_use(p);

	label = p->label != NULL && p->label[0] != '\0' ?
	    arena_printf(r->a, " of “%s”", p->label) : "";
	if (!product_is_org(p->product))
		return arena_printf(r->a, "Up to %s%s are in use on one "
		    "event", plural(r, n, "Event Pro seat", "Event Pro seats"),
		    label);
	if (p->assigned > 0 && p->reserved > 0)
		what = arena_printf(r->a, "%s, %s", plural(r, p->assigned,
		    "member", "members"), plural(r, p->reserved,
		    "pending invitation", "pending invitations"));
	else if (p->assigned > 0)
		what = plural(r, p->assigned, "member", "members");
	else
		what = plural(r, p->reserved, "pending invitation",
		    "pending invitations");
	return arena_printf(r->a, "%lld %s license%s%s %s in use (%s)",
	    (long long)n, product_label(p->product), n == 1 ? "" : "s", label,
	    n == 1 ? "is" : "are", what);
}

/* Where licenses are freed, for the refusal messages. */
static const char *
where_text(const struct poolrow *p)
{
	return product_is_org(p->product) ? "remove members or switch them "
	    "to another license on the Members page, or revoke pending "
	    "invitations" : "remove seat holders from the event";
}

/* The refusal of lowering below use: how many to free, and where. */
static const char *
shrink_text(struct req *r, const struct poolrow *p, int64_t newq)
{
	return arena_printf(r->a, "%s; free %lld before lowering to %lld: %s.",
	    in_use_text(r, p), (long long)pool_shrink_blocked(newq,
	    in_use(p)), (long long)newq, where_text(p));
}

static const char *
pool_title(struct req *r, const struct poolrow *p)
{
	return p->label != NULL && p->label[0] != '\0' ?
	    arena_printf(r->a, "%s (%s)", product_label(p->product),
	    p->label) : product_label(p->product);
}

static json_object *
pool_view(struct req *r, const struct org *o, const struct poolrow *p)
{
	json_object	*j = json_object_new_object();
	int64_t		 used = in_use(p), price;

	price = billing_unit_price(p->product);
	vset_int(j, "id", p->id);
	vset_str(j, "product", product_name(p->product));
	vset_str(j, "product_label", product_label(p->product));
	vset_str(j, "label", p->label);
	vset_str(j, "title", pool_title(r, p));
	vset_str(j, "status", p->active ? "active" : "closed");
	vset_int(j, "version", p->version);
	vset_int(j, "quantity", p->quantity);
	vset_bool(j, "org_license", product_is_org(p->product));
	vset_int(j, "assigned", p->assigned);
	vset_int(j, "reserved", p->reserved);
	vset_int(j, "in_use", used);
	vset_int(j, "free", p->quantity > used ? p->quantity - used : 0);
	if (product_is_org(p->product))
		vset_str(j, "in_use_detail", arena_printf(r->a, "%s · %s",
		    plural(r, p->assigned, "member", "members"), plural(r,
		    p->reserved, "pending", "pending")));
	else
		vset_str(j, "in_use_detail", "highest on one event");
	vset_int(j, "unit_price_cents", price);
	vset_str(j, "unit_price", billing_money(r, price));
	vset_str(j, "currency", cfg->currency);
	vset_str(j, "period", cfg->billing_period);
	vset_int(j, "line_total_cents", line_total(p->product, p->quantity));
	vset_str(j, "line_total", billing_money(r, line_total(p->product,
	    p->quantity)));
	vset_bool(j, "can_close", p->active && used == 0 && p->events == 0);
	vset_str(j, "quantity_url", arena_printf(r->a,
	    "/orgs/%lld/licenses/%lld/quantity", (long long)o->id,
	    (long long)p->id));
	vset_str(j, "close_url", arena_printf(r->a,
	    "/orgs/%lld/licenses/%lld/close", (long long)o->id,
	    (long long)p->id));
	if (p->holders != NULL) {
		vset_obj(j, "holders", json_object_get(p->holders));
		vset_bool(j, "has_holders",
		    json_object_array_length(p->holders) > 0);
	}
	if (p->reservations != NULL) {
		vset_obj(j, "reservations", json_object_get(p->reservations));
		vset_bool(j, "has_reservations",
		    json_object_array_length(p->reservations) > 0);
	}
	return j;
}

/* Holders and pending reservations of every org-license pool: one query
 * each for the whole organization. */
static int
load_holders(struct req *r, const struct org *o, struct pools *ps)
{
	struct poolrow	*p;
	int64_t		 pool, id;
	char		*name, *email, *role, *expires;
	size_t		 i;
	int		 rc;

	for (i = 0; i < ps->n; i++)
		if (product_is_org(ps->v[i].product)) {
			ps->v[i].holders = json_object_new_array();
			ps->v[i].reservations = json_object_new_array();
			(void)req_own_json(r, ps->v[i].holders);
			(void)req_own_json(r, ps->v[i].reservations);
		}
	if (o->kind != ORG_TEAM)
		return 0;
	if (db_select(&q_holders, "i", o->id) != 0)
		return -1;
	while ((rc = db_fetch(&q_holders, "iisss", &pool, &id, &name, &email,
	    &role)) == 1) {
		json_object	*h;

		if ((p = find_pool(ps, pool)) == NULL || p->holders == NULL)
			continue;
		h = json_object_new_object();
		vset_int(h, "user_id", id);
		vset_str(h, "name", name);
		vset_str(h, "email", email);
		vset_str(h, "role", role);
		json_object_array_add(p->holders, h);
	}
	db_done(&q_holders);
	if (rc < 0)
		return -1;
	if (db_select(&q_reservations, "i", o->id) != 0)
		return -1;
	while ((rc = db_fetch(&q_reservations, "iiss", &pool, &id, &email,
	    &expires)) == 1) {
		json_object	*h;

		if ((p = find_pool(ps, pool)) == NULL ||
		    p->reservations == NULL)
			continue;
		h = json_object_new_object();
		vset_int(h, "invitation_id", id);
		vset_str(h, "email", email);
		vset_time(h, "expires_at", expires, r->user->timezone);
		json_object_array_add(p->reservations, h);
	}
	db_done(&q_reservations);
	return rc < 0 ? -1 : 0;
}

static void
common_view(struct req *r, json_object *v, const struct org *o)
{
	vset_obj(v, "org", org_json(o));
	vset_bool(v, "personal", o->kind == ORG_PERSONAL);
	vset_str(v, "currency", cfg->currency);
	vset_str(v, "period", cfg->billing_period);
	vset_str(v, "billing_url", arena_printf(r->a, "/orgs/%lld/billing",
	    (long long)o->id));
	vset_str(v, "members_url", o->kind == ORG_TEAM ? arena_printf(r->a,
	    "/orgs/%lld/members", (long long)o->id) : NULL);
	vset_str(v, "invitations_url", o->kind == ORG_TEAM ?
	    arena_printf(r->a, "/orgs/%lld/invitations", (long long)o->id) :
	    NULL);
}

/* The billing page's view model; NULL on a database error. The add-pool
 * form keeps what was typed (r->in of POST /licenses, when that is the
 * route). */
static json_object *
billing_view(struct req *r, const struct org *o)
{
	struct pools	 ps;
	json_object	*v = view_new(r), *pools, *products, *form, *hist;
	const char	*fprod = NULL;
	size_t		 i;
	int		 p, creating = r->route != NULL &&
	    r->route->handler == h_pool_create;

	if (load_pools(r, o->id, &ps) != 0 || load_holders(r, o, &ps) != 0)
		return NULL;
	if ((hist = billing_history(r, o->id, r->user->timezone,
	    HISTORY_MAX)) == NULL)
		return NULL;
	common_view(r, v, o);
	pools = json_object_new_array();
	for (i = 0; i < ps.n; i++)
		if (ps.v[i].active)
			json_object_array_add(pools, pool_view(r, o,
			    &ps.v[i]));
	vset_obj(v, "pools", pools);
	vset_bool(v, "has_pools", json_object_array_length(pools) > 0);
	vset_int(v, "total_cents", org_total(&ps, 0, 0));
	vset_str(v, "total", billing_money(r, org_total(&ps, 0, 0)));
	vset_obj(v, "history", hist);
	vset_bool(v, "history_truncated", json_object_array_length(hist) >=
	    HISTORY_MAX);

	form = json_object_new_object();
	if (creating) {
		fprod = r->in[POOL_PRODUCT].s;
		vset_str(form, "quantity", r->in[POOL_QUANTITY].s);
		vset_str(form, "label", r->in[POOL_LABEL].s);
	} else
		vset_str(form, "quantity", "1");
	vset_str(form, "product", fprod);
	vset_obj(v, "form", form);
	products = json_object_new_array();
	for (p = 0; p < PROD__MAX; p++) {
		json_object	*j;

		if (!product_allowed(o->kind, (enum product)p))
			continue;
		j = json_object_new_object();
		vset_str(j, "value", product_name((enum product)p));
		vset_str(j, "label", product_label((enum product)p));
		vset_str(j, "unit_price", billing_money(r,
		    billing_unit_price((enum product)p)));
		vset_bool(j, "selected", fprod != NULL &&
		    strcmp(fprod, product_name((enum product)p)) == 0);
		json_object_array_add(products, j);
	}
	vset_obj(v, "products", products);
	vset_str(v, "create_url", arena_printf(r->a, "/orgs/%lld/licenses",
	    (long long)o->id));
	return v;
}

/* 422 on the billing page (the add-pool form, or a refused close). */
static int
billing_invalid(struct req *r, const struct org *o)
{
	json_object	*v = NULL;

	if (r->fmt == FMT_HTML && (v = billing_view(r, o)) == NULL)
		return 503;
	return render_invalid(r, "orgs/billing", "Billing", v != NULL ? v :
	    view_new(r));
}

static const char *
pool_path(struct req *r, const struct org *o)
{
	return arena_printf(r->a, "/orgs/%lld/billing", (long long)o->id);
}

/* GET /orgs/{org}/billing — 200 pools, totals, holders and history;
 * 403 members and people without an org license; 404 not a member. */
int
h_billing(struct req *r)
{
	struct org	 o;
	json_object	*v;
	int		 st;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if ((v = billing_view(r, &o)) == NULL)
		return 503;
	return render_page(r, 200, "orgs/billing", "Billing", v);
}

/* POST /orgs/{org}/licenses — 303 to the billing page (201 JSON);
 * 403 not owner/admin; 404 not a member; 422 bad product, quantity or
 * label, an org license in a personal workspace, or the billing hook
 * refused. */
int
h_pool_create(struct req *r)
{
	struct org		 o;
	struct poolrow		 p;
	struct billing_change	 c;
	struct billing_verdict	 vd;
	enum product		 prod = PROD_EVENT_PRO;
	json_object		*ch, *v;
	char			 msg[BILLING_MSG_MAX];
	const char		*label;
	int64_t			 id;
	int			 st;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (r->in[POOL_PRODUCT].present) {
		if (product_parse(r->in[POOL_PRODUCT].s, &prod) != 0)
			valid_error(r, "product", "invalid", "Product must be "
			    "Org Standard, Org Pro or Event Pro.");
		else if (!product_allowed(o.kind, prod))
			valid_error(r, "product", "not-allowed", "A personal "
			    "workspace holds Event Pro licenses only; Org "
			    "Standard and Org Pro belong to team "
			    "organizations.");
	}
	if (r->nerrors)
		return billing_invalid(r, &o);
	label = r->in[POOL_LABEL].present ? r->in[POOL_LABEL].s : "";

	if (db_begin() != 0 || db_exec(&q_insert, "isis", o.id,
	    product_name(prod), r->in[POOL_QUANTITY].i, label) < 0)
		return 503;
	id = db_insert_id();
	memset(&c, 0, sizeof(c));
	c.kind = BK_POOL_CREATED;
	c.org_id = o.id;
	c.org_name = o.name;
	c.pool_id = id;
	c.product = prod;
	c.old_quantity = -1;
	c.new_quantity = r->in[POOL_QUANTITY].i;
	switch (billing_apply(r, &c, msg, sizeof(msg), &vd)) {
	case 0:
		break;
	case 1:
		db_rollback();
		valid_error(r, "quantity", "billing-refused",
		    arena_strdup(r->a, msg));
		return billing_invalid(r, &o);
	default:
		return 503;
	}
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.product = prod;
	p.quantity = c.new_quantity;
	p.label = label[0] != '\0' ? (char *)label : NULL;
	p.version = 1;
	p.active = 1;
	ch = view_new(r);
	vset_obj(ch, "product", created(json_object_new_string(
	    product_name(prod))));
	vset_obj(ch, "quantity", created(json_object_new_int64(
	    c.new_quantity)));
	if (p.label != NULL)
		vset_obj(ch, "label", created(json_object_new_string(
		    p.label)));
	if (audit(r, o.id, 0, "license_pool.created", "license_pool", id,
	    pool_title(r, &p), ch) != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "org=%lld pool=%lld msg=\"pool created\"",
	    (long long)o.id, (long long)id);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_obj(v, "pool", pool_view(r, &o, &p));
		vset_str(v, "hook_reference", vd.reference[0] != '\0' ?
		    vd.reference : NULL);
		return render_json(r, 201, v);
	}
	flash(r, "ok", arena_printf(r->a, "Added a pool of %s.",
	    plural(r, c.new_quantity, arena_printf(r->a, "%s license",
	    product_label(prod)), arena_printf(r->a, "%s licenses",
	    product_label(prod)))));
	return render_redirect(r, pool_path(r, &o));
}

/* The confirm page (and its JSON twin): the pool, the quantity asked for
 * and what the period total becomes. */
static json_object *
confirm_view(struct req *r, const struct org *o, struct pools *ps,
    const struct poolrow *p, int64_t newq, int valid)
{
	json_object	*v = view_new(r), *form, *pv;
	int64_t		 now = org_total(ps, 0, 0), next, d;
	int		 blocked;

	common_view(r, v, o);
	vset_obj(v, "pool", pool_view(r, o, p));
	form = json_object_new_object();
	vset_str(form, "quantity", valid ? arena_printf(r->a, "%lld",
	    (long long)newq) : r->in[QTY_QUANTITY].s);
	vset_int(form, "version", p->version);
	vset_obj(v, "form", form);
	vset_str(v, "action_url", arena_printf(r->a,
	    "/orgs/%lld/licenses/%lld/quantity", (long long)o->id,
	    (long long)p->id));
	vset_str(v, "total", billing_money(r, now));
	vset_int(v, "total_cents", now);
	if (!valid) {
		vset_obj(v, "preview", NULL);
		return v;
	}
	next = org_total(ps, p->id, newq);
	d = next - now;
	blocked = pool_shrink_blocked(newq, in_use(p)) > 0;
	pv = json_object_new_object();
	vset_int(pv, "old_quantity", p->quantity);
	vset_int(pv, "new_quantity", newq);
	vset_int(pv, "line_total_cents", line_total(p->product, newq));
	vset_str(pv, "line_total", billing_money(r, line_total(p->product,
	    newq)));
	vset_int(pv, "new_total_cents", next);
	vset_str(pv, "new_total", billing_money(r, next));
	vset_int(pv, "difference_cents", d);
	vset_str(pv, "difference", arena_printf(r->a, "%s%s", d >= 0 ? "+" :
	    "-", billing_money(r, d >= 0 ? d : -d)));
	vset_bool(pv, "unchanged", newq == p->quantity);
	vset_bool(pv, "increase", newq > p->quantity);
	/* Known now, refused on confirm: say so before the click. */
	vset_str(pv, "blocked", blocked ? shrink_text(r, p, newq) : NULL);
	vset_bool(pv, "can_confirm", newq != p->quantity && !blocked);
	vset_obj(v, "preview", pv);
	vset_bool(v, "confirm_required", 1);
	return v;
}

/* POST /orgs/{org}/licenses/{pool}/quantity — without confirm: 200 the
 * confirm page (JSON: the same preview, nothing changed). With confirm:
 * 303 to the billing page (200 JSON); 403 not owner/admin; 404 unknown
 * pool or not a member; 409 pool closed, stale version (both values
 * shown) or lowering below use (in-use, naming what to free); 422 bad
 * quantity or the billing hook refused (its message on the quantity). */
int
h_pool_quantity(struct req *r)
{
	struct org		 o;
	struct pools		 ps;
	struct poolrow		*p, lp;
	struct pool		 lk;
	struct billing_change	 c;
	struct billing_verdict	 vd;
	json_object		*v, *ch, *pair;
	char			 msg[BILLING_MSG_MAX];
	int64_t			 pool_id = req_pathvar_id(r, 1), newq;
	int64_t			 total;
	int			 st;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (pool_id < 0)
		return render_error(r, 404, "not-found", NULL);
	if (load_pools(r, o.id, &ps) != 0)
		return 503;
	if ((p = find_pool(&ps, pool_id)) == NULL)
		return render_error(r, 404, "not-found", NULL);
	if (!p->active)
		return render_error(r, 409, "edit-conflict", "This pool was "
		    "closed; its quantity can no longer change.");
	if (r->nerrors)
		return render_invalid(r, "orgs/billing_confirm",
		    "Change quantity", confirm_view(r, &o, &ps, p, 0, 0));
	newq = r->in[QTY_QUANTITY].i;
	if (!r->in[QTY_CONFIRM].present || r->in[QTY_CONFIRM].i == 0)
		return render_page(r, 200, "orgs/billing_confirm",
		    "Change quantity", confirm_view(r, &o, &ps, p, newq, 1));

	if (db_begin() != 0)
		return 503;
	if ((st = pool_lock(r, o.id, pool_id, &lk)) <= 0) {
		if (st < 0)
			return 503;
		db_rollback();
		return render_error(r, 404, "not-found", NULL);
	}
	/* From here on, what the lock read is the truth. */
	lp = *p;
	lp.quantity = lk.quantity;
	lp.version = lk.version;
	lp.label = lk.label;
	lp.active = lk.active;
	lp.assigned = lk.assigned;
	lp.reserved = lk.reserved;
	if (!lk.active) {
		db_rollback();
		return render_error(r, 409, "edit-conflict", "This pool was "
		    "closed; its quantity can no longer change.");
	}
	if (r->in[QTY_VERSION].present && r->in[QTY_VERSION].i != lk.version) {
		db_rollback();
		*p = lp;
		if (r->fmt == FMT_JSON)
			return render_error(r, 409, "edit-conflict",
			    arena_printf(r->a, "The pool changed after you "
			    "loaded it: you asked for %lld based on version "
			    "%lld; it now holds %lld (version %lld). Nothing "
			    "was changed.", (long long)newq,
			    (long long)r->in[QTY_VERSION].i,
			    (long long)lk.quantity, (long long)lk.version));
		v = confirm_view(r, &o, &ps, p, newq, 1);
		pair = json_object_new_object();
		vset_int(pair, "your_quantity", newq);
		vset_int(pair, "your_version", r->in[QTY_VERSION].i);
		vset_int(pair, "current_quantity", lk.quantity);
		vset_int(pair, "current_version", lk.version);
		vset_obj(v, "conflict", pair);
		return render_page(r, 409, "orgs/billing_confirm",
		    "Change quantity", v);
	}
	if (newq == lk.quantity) {
		db_rollback();
		if (r->fmt == FMT_JSON) {
			v = view_new(r);
			vset_obj(v, "pool", pool_view(r, &o, &lp));
			vset_bool(v, "changed", 0);
			return render_json(r, 200, v);
		}
		flash(r, "info", arena_printf(r->a, "%s already has a quantity "
		    "of %lld; nothing was changed.", pool_title(r, &lp),
		    (long long)newq));
		return render_redirect(r, pool_path(r, &o));
	}
	if (!product_is_org(lp.product) &&
	    event_pro_use(r, pool_id, &lp.seats, &lp.events) != 0)
		return 503;
	if (pool_shrink_blocked(newq, in_use(&lp)) > 0) {
		const char	*why;

		db_rollback();
		why = shrink_text(r, &lp, newq);
		log_msg(LOG_INFO, "decision=deny reason=in_use pool=%lld "
		    "in_use=%lld asked=%lld", (long long)pool_id,
		    (long long)in_use(&lp), (long long)newq);
		if (r->fmt == FMT_JSON)
			return render_error(r, 409, "in-use", why);
		*p = lp;
		v = confirm_view(r, &o, &ps, p, newq, 1);
		/* The page says it once, with where to go. */
		vset_obj(json_object_object_get(v, "preview"), "blocked", NULL);
		vset_str(v, "refusal", why);
		return render_page(r, 409, "orgs/billing_confirm",
		    "Change quantity", v);
	}

	memset(&c, 0, sizeof(c));
	c.kind = BK_QUANTITY_CHANGED;
	c.org_id = o.id;
	c.org_name = o.name;
	c.pool_id = pool_id;
	c.product = lp.product;
	c.old_quantity = lk.quantity;
	c.new_quantity = newq;
	switch (billing_apply(r, &c, msg, sizeof(msg), &vd)) {
	case 0:
		break;
	case 1:
		db_rollback();
		*p = lp;
		valid_error(r, "quantity", "billing-refused",
		    arena_strdup(r->a, msg));
		return render_invalid(r, "orgs/billing_confirm",
		    "Change quantity", confirm_view(r, &o, &ps, p, newq, 1));
	default:
		return 503;
	}
	if (db_exec(&q_quantity, "iiii", newq, pool_id, o.id, lk.version) != 1)
		return 503;
	ch = view_new(r);
	pair = json_object_new_object();
	vset_int(pair, "old", lk.quantity);
	vset_int(pair, "new", newq);
	vset_obj(ch, "quantity", pair);
	if (audit(r, o.id, 0, "license_pool.quantity_changed",
	    "license_pool", pool_id, pool_title(r, &lp), ch) != 0 ||
	    db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "org=%lld pool=%lld old=%lld new=%lld "
	    "msg=\"quantity changed\"", (long long)o.id, (long long)pool_id,
	    (long long)lk.quantity, (long long)newq);
	lp.quantity = newq;
	lp.version = lk.version + 1;
	*p = lp;
	total = org_total(&ps, 0, 0);
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_obj(v, "pool", pool_view(r, &o, &lp));
		vset_bool(v, "changed", 1);
		vset_int(v, "total_cents", total);
		vset_str(v, "total", billing_money(r, total));
		vset_str(v, "hook_reference", vd.reference[0] != '\0' ?
		    vd.reference : NULL);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s: quantity changed from %lld to "
	    "%lld. The total is now %s per %s.", pool_title(r, &lp),
	    (long long)c.old_quantity, (long long)newq, billing_money(r, total),
	    cfg->billing_period));
	return render_redirect(r, pool_path(r, &o));
}

/* POST /orgs/{org}/licenses/{pool}/close — 303 to the billing page (200
 * JSON); 403 not owner/admin; 404 unknown pool or not a member; 409
 * already closed, or licenses of it still in use (in-use); 422 the
 * billing hook refused. */
int
h_pool_close(struct req *r)
{
	struct org		 o;
	struct pool		 lk;
	struct poolrow		 lp;
	struct billing_change	 c;
	struct billing_verdict	 vd;
	json_object		*v, *ch, *pair;
	char			 msg[BILLING_MSG_MAX];
	int64_t			 pool_id = req_pathvar_id(r, 1);
	int			 st;

	if ((st = org_gate(r, &o, NEED_ADMIN)) != 0)
		return st;
	r->org_id = o.id;
	if (pool_id < 0)
		return render_error(r, 404, "not-found", NULL);
	if (db_begin() != 0)
		return 503;
	if ((st = pool_lock(r, o.id, pool_id, &lk)) <= 0) {
		if (st < 0)
			return 503;
		db_rollback();
		return render_error(r, 404, "not-found", NULL);
	}
	if (!lk.active) {
		db_rollback();
		return render_error(r, 409, "edit-conflict", "This pool is "
		    "already closed.");
	}
	memset(&lp, 0, sizeof(lp));
	lp.id = lk.id;
	lp.product = lk.product;
	lp.quantity = lk.quantity;
	lp.label = lk.label;
	lp.version = lk.version;
	lp.active = 1;
	lp.assigned = lk.assigned;
	lp.reserved = lk.reserved;
	if (!product_is_org(lp.product) &&
	    event_pro_use(r, pool_id, &lp.seats, &lp.events) != 0)
		return 503;
	if (in_use(&lp) > 0 || lp.events > 0) {
		db_rollback();
		return render_error(r, 409, "in-use", lp.events > 0 &&
		    in_use(&lp) == 0 ? arena_printf(r->a, "%s bound to this "
		    "pool; move %s to another pool before closing it.",
		    plural(r, lp.events, "event is", "events are"),
		    lp.events == 1 ? "it" : "them") :
		    arena_printf(r->a, "%s; free them before closing this "
		    "pool: %s.", in_use_text(r, &lp), where_text(&lp)));
	}

	memset(&c, 0, sizeof(c));
	c.kind = BK_POOL_CLOSED;
	c.org_id = o.id;
	c.org_name = o.name;
	c.pool_id = pool_id;
	c.product = lp.product;
	c.old_quantity = lp.quantity;
	c.new_quantity = 0;
	switch (billing_apply(r, &c, msg, sizeof(msg), &vd)) {
	case 0:
		break;
	case 1:
		db_rollback();
		valid_error(r, "pool", "billing-refused",
		    arena_strdup(r->a, msg));
		return billing_invalid(r, &o);
	default:
		return 503;
	}
	if (db_exec(&q_close, "iii", pool_id, o.id, lk.version) != 1)
		return 503;
	ch = view_new(r);
	pair = json_object_new_object();
	vset_str(pair, "old", "active");
	vset_str(pair, "new", "closed");
	vset_obj(ch, "status", pair);
	if (audit(r, o.id, 0, "license_pool.closed", "license_pool", pool_id,
	    pool_title(r, &lp), ch) != 0 || db_commit() != 0)
		return 503;
	log_msg(LOG_INFO, "org=%lld pool=%lld msg=\"pool closed\"",
	    (long long)o.id, (long long)pool_id);
	if (r->fmt == FMT_JSON) {
		lp.active = 0;
		lp.version++;
		v = view_new(r);
		vset_obj(v, "pool", pool_view(r, &o, &lp));
		vset_str(v, "hook_reference", vd.reference[0] != '\0' ?
		    vd.reference : NULL);
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "Closed the %s pool.",
	    pool_title(r, &lp)));
	return render_redirect(r, pool_path(r, &o));
}
