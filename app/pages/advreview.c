/* advreview.c — review and approvals (PRODUCT §13.6, §13.7), submission
 * and reopening (§13.5).
 *
 * Review: the module's reviewer or an advancing admin covering the
 * advance marks an answer or item reviewed, carrying the version seen
 * (If-Match, or the form's version); a change meanwhile refuses it (412
 * JSON, 409 forms). Approvals: operational by the same people, resource
 * by Event-domain advancing admins only; each approved, declined (a
 * reason required) or pending, and only those the request block asks
 * for. Submission: a module that requires it is submitted once every
 * required question is answered (422 naming the missing ones), then
 * read-only for those with only advancing edit until an advancing admin
 * reopens it (optional reason). */
#include <string.h>

#include "deny.h"
#include "advpage.h"
#include "etag.h"
#include "advperm.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "model/advtrack.h"
#include "model/audit.h"
#include "render/view.h"

static struct dbq q_submit = DBQ(
    "UPDATE advance_modules SET state = 'submitted', submitted_by = ?,"
    " submitted_at = UTC_TIMESTAMP(3), reopen_reason = NULL,"
    " version = version + 1 WHERE id = ? AND event_id = ?"
    " AND state = 'open'");
static struct dbq q_reopen = DBQ(
    "UPDATE advance_modules SET state = 'open', submitted_by = NULL,"
    " submitted_at = NULL, reopen_reason = ?, version = version + 1"
    " WHERE id = ? AND event_id = ? AND state = 'submitted'");

/* The version a review or approval is based on: If-Match when sent
 * (compared with id too), else the form's or body's `version`. Returns
 * 0 with *seen set, or the status sent (428 JSON, 422 form). */
static int
seen_version(struct req *r, const struct advctx *x, int64_t item,
    int version_field, int64_t id, int64_t cur, int64_t *seen, int *by_tag)
{
	*by_tag = 0;
	if (r->if_match != NULL && *r->if_match != '\0') {
		*by_tag = 1;
		*seen = page_if_match_required(r, id, cur) == 0 ? cur : -1;
		return 0;
	}
	if (r->in[version_field].present) {
		*seen = r->in[version_field].i;
		return 0;
	}
	if (r->fmt == FMT_JSON)
		return page_if_match_required(r, 0, 0);
	valid_error(r, "version", "required", "Version is required: reload the "
	    "page and try again.");
	if (item > 0)
		return adv_item_page(r, x, item, 422, NULL, NULL);
	return adv_invalid(r, x);
}

/* The judged object changed after it was loaded. */
static int
changed(struct req *r, const char *what, const char *by, json_object *cur)
{
	const char	*d = arena_printf(r->a, "%s was changed by %s after you "
	    "loaded it; look at it again before judging it.", what,
	    by != NULL ? by : "someone else");

	if (r->fmt == FMT_JSON)
		return adv_precondition_failed(r, d, cur);
	if (cur != NULL)
		json_object_put(cur);
	return page_refuse(r, 409, "edit-conflict", d);
}

/* Review and approval rights on x->mod: 0, else sent. */
static int
judge_gate(struct req *r, struct advctx *x)
{
	if (x->respondent || !adv_can_review(&x->ec, x->uid, &x->adv,
	    &x->mod))
		return adv_forbidden(r, "Reviewing needs advancing admin "
		    "covering this advance, or being the module's reviewer.");
	return event_writable(r, &x->ec) != 0 ? 409 : 0;
}

static json_object *
state_change(const char *key, const char *old, const char *new)
{
	json_object	*ch = json_object_new_object(), *c;

	c = json_object_new_object();
	vset_str(c, "old", old);
	vset_str(c, "new", new);
	json_object_object_add(ch, key, c);
	return ch;
}

static int
done(struct req *r, const struct advctx *x, const char *msg,
    const char *back, json_object *v)
{
	if (r->fmt == FMT_JSON)
		return render_json(r, 200, v);
	flash(r, "ok", msg);
	(void)x;
	return render_redirect(r, back);
}

/* POST …/answers/{block}/review — mark the answer reviewed: 303 back,
 * 200 JSON. 403 without the right to review; 404; 409 archived, no
 * answer, or changed since loaded (form); 412 stale If-Match; 422/428
 * without a version. */
int
h_adv_answer_review(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answer	 cur;
	json_object	*v, *ch;
	int64_t		 bid, seen;
	int		 st, have, tag;

	if ((st = adv_gate(r, &x, 1)) != 0)
		return st;
	if ((bid = req_pathvar_id(r, 3)) <= 0 ||
	    (st = modblock_get(r, x.ec.ev.id, x.mod.template_id, bid,
	    &b)) == 0 || (st > 0 && (b.kind != BK_QUESTION ||
	    (b.retired && x.respondent))))
		return page_refuse(r, 404, "not-found", NULL);
	if (st < 0)
		return 503;
	if ((st = judge_gate(r, &x)) != 0)
		return st;
	if ((st = adv_begin(r, &x, 0)) != 0)
		return st;
	if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id, &cur)) < 0)
		return 503;
	if ((st = seen_version(r, &x, 0, ADVV_VERSION, have ? cur.id : 0, have ?
	    cur.version : 0, &seen, &tag)) != 0)
		return st;
	if (!have && seen == 0)
		return page_refuse(r, 409, "conflict", "The question is not "
		    "answered: there is nothing to review.");
	if (!have || seen != cur.version)
		return changed(r, adv_question_label(r, &b), have ?
		    cur.updated_by_name : NULL, NULL);
	if ((st = answer_review(r, x.ec.ev.id, x.mod.id, b.id, seen,
	    x.uid)) < 0)
		return 503;
	if (st == 0)
		return changed(r, adv_question_label(r, &b), NULL, NULL);
	ch = state_change("review", cur.reviewed ? "reviewed" :
	    "needs_review", "reviewed");
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "answer.reviewed", "answer",
	    cur.id, arena_printf(r->a, "%s · %s · %s", x.adv.name,
	    x.mod.label, adv_question_label(r, &b)), ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	v = view_new(r);
	vset_int(v, "block_id", b.id);
	vset_int(v, "answer_id", cur.id);
	vset_int(v, "version", cur.version);
	vset_str(v, "review", "reviewed");
	(void)page_etag(r, cur.id, cur.version);
	return done(r, &x, arena_printf(r->a, "%s is marked reviewed.",
	    adv_question_label(r, &b)), arena_printf(r->a, "%s#m%lld-a%lld",
	    adv_mod_url(r, &x, x.mod.id), (long long)x.mod.id,
	    (long long)b.id), v);
}

/* {li} of the module with its block: 0 or the status sent. */
static int
item_in_module(struct req *r, const struct advctx *x, struct lineitem *li,
    struct mblock *b)
{
	int64_t	 id = req_pathvar_id(r, 3);
	int	 st;

	if (id <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = lineitem_get(r, x->ec.ev.id, x->mod.id, id, 0, li)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = modblock_get(r, x->ec.ev.id, x->mod.template_id,
	    li->block_id, b)) < 0)
		return 503;
	if (st == 0 || (b->retired && x->respondent))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

static const char *
item_back(struct req *r, const struct advctx *x, int64_t block)
{
	return arena_printf(r->a, "%s#r%lld-%lld", adv_mod_url(r, x,
	    x->mod.id), (long long)x->mod.id, (long long)block);
}

/* POST …/line-items/{li}/review — mark the item reviewed: as for an
 * answer. */
int
h_adv_item_review(struct req *r)
{
	struct advctx	 x;
	struct lineitem	 li, cur;
	struct mblock	 b;
	json_object	*v, *ch;
	int64_t		 seen;
	int		 st, tag;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = item_in_module(r, &x,
	    &li, &b)) != 0)
		return st;
	if ((st = judge_gate(r, &x)) != 0)
		return st;
	if ((st = adv_begin(r, &x, 0)) != 0)
		return st;
	if ((st = lineitem_get(r, x.ec.ev.id, x.mod.id, li.id, 1, &cur)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = seen_version(r, &x, li.id, ADVV_VERSION, cur.id,
	    cur.version, &seen,
	    &tag)) != 0)
		return st;
	if (seen != cur.version ||
	    (st = lineitem_review(r, x.ec.ev.id, li.id, seen, x.uid)) == 0)
		return changed(r, b.item_label, cur.updated_by_name, NULL);
	if (st < 0)
		return 503;
	ch = state_change("review", cur.reviewed ? "reviewed" :
	    "needs_review", "reviewed");
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "line_item.reviewed",
	    "line_item", li.id, arena_printf(r->a, "%s · %s · %s #%lld",
	    x.adv.name, x.mod.label, b.item_label, (long long)li.id), ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	v = view_new(r);
	vset_int(v, "id", li.id);
	vset_int(v, "version", cur.version);
	vset_str(v, "review", "reviewed");
	(void)page_etag(r, cur.id, cur.version);
	return done(r, &x, arena_printf(r->a, "%s is marked reviewed.",
	    b.item_label), item_back(r, &x, b.id), v);
}

/* POST …/line-items/{li}/approval — kind operational|resource, state
 * approved|declined|pending, reason (required to decline), version:
 * 303 back, 200 JSON. 403 (operational: the module's reviewer or an
 * advancing admin covering the advance; resource: Event-domain
 * advancing admins); 404; 409 archived or changed since loaded; 412;
 * 422 kind/state/reason, or an approval the block does not ask for. */
int
h_adv_item_approval(struct req *r)
{
	struct advctx	 x;
	struct lineitem	 li, cur;
	struct mblock	 b;
	json_object	*v, *ch;
	const char	*kind, *state, *reason, *old;
	int64_t		 seen;
	int		 st, tag, res, can_op, can_res;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = item_in_module(r, &x,
	    &li, &b)) != 0)
		return st;
	can_op = !x.respondent && adv_can_review(&x.ec, x.uid, &x.adv, &x.mod);
	can_res = !x.respondent && adv_event_admin(&x.ec);
	if (!can_op && !can_res)
		return adv_forbidden(r, "Approving needs advancing admin "
		    "covering this advance, or being the module's reviewer.");
	if (event_writable(r, &x.ec) != 0)
		return 409;
	kind = r->in[APPR_KIND].s;
	state = r->in[APPR_STATE].s;
	reason = r->in[APPR_REASON].present ? r->in[APPR_REASON].s : NULL;
	res = kind != NULL && strcmp(kind, "resource") == 0;
	if (kind == NULL || (!res && strcmp(kind, "operational") != 0))
		valid_error(r, "kind", "invalid", "Kind must be operational or "
		    "resource.");
	else if (res ? !b.needs_res : !b.needs_op)
		valid_error(r, "kind", "not-applicable", arena_printf(r->a,
		    "This request does not need %s approval.", kind));
	if (state == NULL || (strcmp(state, "approved") != 0 &&
	    strcmp(state, "declined") != 0 && strcmp(state, "pending") != 0))
		valid_error(r, "state", "invalid", "State must be approved, "
		    "declined or pending.");
	else if (strcmp(state, "declined") == 0 && reason == NULL)
		valid_error(r, "reason", "required", "Give a reason for "
		    "declining: the vendor sees it.");
	if (r->nerrors) {
		if (r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, view_new(r));
		return adv_item_page(r, &x, li.id, 422, NULL, NULL);
	}
	if (res ? !can_res : !can_op)
		return adv_forbidden(r, res ? "Resource approval needs "
		    "advancing admin for the whole event." : "Operational "
		    "approval needs advancing admin covering this advance, "
		    "or being the module's reviewer.");
	if ((st = adv_begin(r, &x, 0)) != 0)
		return st;
	if ((st = lineitem_get(r, x.ec.ev.id, x.mod.id, li.id, 1, &cur)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = seen_version(r, &x, li.id, APPR_VERSION, cur.id,
	    cur.version, &seen,
	    &tag)) != 0)
		return st;
	old = res ? cur.res.state : cur.op.state;
	if (seen != cur.version || (st = lineitem_approve(r, x.ec.ev.id,
	    li.id, res, state, reason, seen, x.uid)) == 0)
		return changed(r, b.item_label, cur.updated_by_name, NULL);
	if (st == -2)
		return page_refuse(r, 422, "validation-failed", "That approval "
		    "does not apply.");
	if (st < 0)
		return 503;
	ch = state_change(res ? "resource_approval" : "operational_approval",
	    old, state);
	if (reason != NULL)
		vset_str(ch, "reason", reason);
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "line_item.approval",
	    "line_item", li.id, arena_printf(r->a, "%s · %s · %s #%lld",
	    x.adv.name, x.mod.label, b.item_label, (long long)li.id), ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	v = view_new(r);
	vset_int(v, "id", li.id);
	vset_str(v, "kind", res ? "resource" : "operational");
	vset_str(v, "state", state);
	vset_str(v, "reason", reason);
	(void)page_etag(r, cur.id, cur.version);
	return done(r, &x, arena_printf(r->a, "%s approval: %s.", res ?
	    "Resource" : "Operational", state), item_back(r, &x, b.id), v);
}

/* POST /events/{event}/advances/{adv}/modules/{m}/submit — submit a
 * module that requires it: 303 back, 200 JSON the module. 403 without
 * advancing edit; 404; 409 archived, already submitted, or a module
 * that needs no submitting; 422 naming every unanswered required
 * question. */
int
h_adv_submit(struct req *r)
{
	struct advctx	 x;
	struct mblock	*bl;
	struct answer	*ans;
	json_object	*v, *ch;
	size_t		 nb, na, i, k;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0)
		return st;
	if (x.lv < LV_EDIT)
		return adv_forbidden(r, "Submitting needs edit access to "
		    "advancing for this advance.");
	if (event_writable(r, &x.ec) != 0)
		return 409;
	if ((st = adv_begin(r, &x, 0)) != 0)
		return st;
	if (!x.mod.submission)
		return page_refuse(r, 409, "conflict", arena_printf(r->a, "%s "
		    "does not need submitting: answers count as they are "
		    "saved.", x.mod.label));
	if (x.mod.submitted)
		return adv_locked(r, &x);
	if ((bl = modblock_list(r, x.ec.ev.id, x.mod.template_id, &nb)) ==
	    NULL && nb == (size_t)-1)
		return 503;
	if ((ans = answer_list(r, x.ec.ev.id, x.adv.id, x.mod.id, &na)) ==
	    NULL && na == (size_t)-1)
		return 503;
	for (i = 0; i < nb; i++) {
		if (bl[i].kind != BK_QUESTION || !bl[i].required ||
		    bl[i].retired)
			continue;
		for (k = 0; k < na; k++)
			if (ans[k].block_id == bl[i].id)
				break;
		if (k == na)
			valid_error(r, arena_printf(r->a, "a%lld",
			    (long long)bl[i].id), "required", arena_printf(
			    r->a, "%s is required before submitting.",
			    adv_question_label(r, &bl[i])));
	}
	if (r->nerrors) {
		db_rollback();
		if (r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, view_new(r));
		return adv_render(r, &x, 422, x.mod.id, NULL);
	}
	if ((st = (int)db_exec(&q_submit, "iii", x.uid, x.mod.id,
	    x.ec.ev.id)) < 0)
		return 503;
	if (st == 0)
		return adv_locked(r, &x);
	ch = state_change("state", "open", "submitted");
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance_module.submitted",
	    "advance_module", x.mod.id, arena_printf(r->a, "%s · %s",
	    x.adv.name, x.mod.label), ch);
	json_object_put(ch);
	if (st != 0 || advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (advmod_get(r, x.ec.ev.id, x.adv.id, x.mod.id, &x.mod) != 1)
		return 503;
	v = view_new(r);
	vset_obj(v, "module", advmod_json(&x.mod));
	return done(r, &x, arena_printf(r->a, "%s was submitted.",
	    x.mod.label), adv_mod_url(r, &x, x.mod.id), v);
}

/* POST …/modules/{m}/reopen — reason optional: 303 back, 200 JSON the
 * module. 403 without advancing admin covering the advance; 404; 409
 * archived or not submitted; 422 a reason over 2,000 characters. */
int
h_adv_reopen(struct req *r)
{
	struct advctx	 x;
	json_object	*v, *ch;
	const char	*reason;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0)
		return st;
	if (x.lv < LV_ADMIN)
		return adv_forbidden(r, "Reopening a submitted module needs "
		    "advancing admin covering this advance.");
	if (event_writable(r, &x.ec) != 0)
		return 409;
	if (r->nerrors)
		return adv_invalid(r, &x);
	reason = r->in[REOPEN_REASON].present ? r->in[REOPEN_REASON].s : NULL;
	if ((st = adv_begin(r, &x, 0)) != 0)
		return st;
	if (!x.mod.submitted)
		return page_refuse(r, 409, "conflict", arena_printf(r->a, "%s is "
		    "open already.", x.mod.label));
	if ((st = (int)db_exec(&q_reopen, "sii", reason, x.mod.id,
	    x.ec.ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "conflict", "The module is open "
		    "already.");
	ch = state_change("state", "submitted", "open");
	if (reason != NULL)
		vset_str(ch, "reason", reason);
	st = audit(r, x.ec.ev.org_id, x.ec.ev.id, "advance_module.reopened",
	    "advance_module", x.mod.id, arena_printf(r->a, "%s · %s",
	    x.adv.name, x.mod.label), ch);
	json_object_put(ch);
	if (st != 0 || advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (advmod_get(r, x.ec.ev.id, x.adv.id, x.mod.id, &x.mod) != 1)
		return 503;
	v = view_new(r);
	vset_obj(v, "module", advmod_json(&x.mod));
	return done(r, &x, arena_printf(r->a, "%s was reopened.",
	    x.mod.label), adv_mod_url(r, &x, x.mod.id), v);
}
