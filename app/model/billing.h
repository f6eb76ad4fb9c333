/* billing.h — prices, the billing hook and the billing history
 * (PRODUCT §4). orgs.c uses billing_prices_json() and
 * billing_pools_created(); pages/billing.c uses the rest.
 *
 * The hook contract (conf/backops.conf.example, public/docs/billing.md):
 * cfg->billing_hook runs through /bin/sh -c with one JSON object on
 * standard input
 *	{"kind", "org_id", "org_name", "pool_id", "product", "old_quantity",
 *	 "new_quantity", "unit_price_cents", "currency", "actor_email", "time"}
 * and must print {"accept": true|false, "message": "…", "reference": "…"}
 * and exit 0 within 10 seconds. Silence, an unreadable answer, another
 * exit status or the deadline is a refusal. An empty billing_hook accepts
 * everything. */
#ifndef MODEL_BILLING_H
#define MODEL_BILLING_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "policy/license.h"

struct req;

#define BILLING_HOOK_MS		10000	/* the contract's deadline */
#define BILLING_REF_MAX		200	/* characters, billing_events column */
#define BILLING_MSG_MAX		640	/* bytes of a message for the person */

enum billing_kind { BK_POOL_CREATED, BK_QUANTITY_CHANGED, BK_POOL_CLOSED };

/* One change to bill: what the hook is told and the history records. */
struct billing_change {
	enum billing_kind kind;
	int64_t		 org_id;
	const char	*org_name;
	int64_t		 pool_id;
	enum product	 product;
	int64_t		 old_quantity;	/* -1: none (a new pool) */
	int64_t		 new_quantity;	/* 0 for a closed pool */
	char		 at[32];	/* set by billing_consult: RFC 3339 UTC
					   with ms, the same in hook and row */
};

/* The hook's answer. message is for the person (never empty on a
 * refusal); reference is the hook's, stored with the billing event. */
struct billing_verdict {
	int	 accept;
	char	 message[BILLING_MSG_MAX];
	char	 reference[BILLING_REF_MAX * 4 + 1];
};

const char	*billing_kind_name(enum billing_kind);
/* Unit price per license per period, in cents (configuration). */
int64_t		 billing_unit_price(enum product);
/* cents → "EUR 1,500.00" (arena copy). */
const char	*billing_money(struct req *, int64_t cents);

/* Used by orgs.c: {"org_standard": {"unit_price_cents", "unit_price",
 * "currency", "period"}, …} for the organization-creation form. */
json_object *billing_prices_json(struct req *);

/* Ask the hook about a change (fills c->at). 0 accepted, 1 refused. Any
 * failure to get a clear yes is a refusal with a message saying why. */
int	 billing_consult(struct req *, struct billing_change *,
	    struct billing_verdict *);
/* The runner underneath: cmd through /bin/sh -c, input on stdin, at most
 * timeout_ms. 0 accepted, 1 refused; v is always filled. */
int	 billing_hook_run(const char *cmd, const char *input, int timeout_ms,
	    struct billing_verdict *v);
/* Append a billing event (caller's transaction); reference may be NULL. */
int	 billing_record(struct req *, const struct billing_change *,
	    const char *reference);
/* Consult, then record when accepted: 0 recorded, 1 refused (msg holds
 * the message for the person), -1 database error. */
int	 billing_apply(struct req *, struct billing_change *, char *msg,
	    size_t msgsz, struct billing_verdict *out);

/* Used by orgs.c: a pool of `product` with `quantity` was just created in
 * the caller's transaction for a new organization: consult the billing
 * hook and, when accepted, record the pool_created billing event.
 * Returns 0 accepted, 1 refused (msg holds the hook's message for the
 * person), -1 error. */
int	 billing_pools_created(struct req *, int64_t org_id,
	    const char *org_name, enum product, int64_t quantity,
	    char *msg, size_t msgsz);

/* The organization's billing events, newest first, at most `limit`:
 * [{id, kind, kind_label, pool_id, pool_label, product, product_label,
 *   old_quantity, new_quantity, from_to, unit_price_cents, unit_price,
 *   currency, amount_cents, amount, change_cents, change, actor,
 *   actor_email, at, at_local, reference}]. NULL on a database error. */
json_object *billing_history(struct req *, int64_t org_id, const char *tz,
	    int limit);

#endif
