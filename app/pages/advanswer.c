/* advanswer.c — answers (PRODUCT §13.5, §13.6, §13.8): one question at a
 * time (the autosave of public/js/advance.js, the API and the single
 * answer page), a whole module at once (the Save button that works
 * without scripting), and the files of file questions.
 *
 * Every save states the version it is based on. JSON requires If-Match
 * "<answer id or 0>-v<version>" (428 without, 412 with the current
 * value, author and time when stale); forms send `version` (0 for an
 * unanswered question) and a stale one answers 409 showing both values.
 * Different questions never conflict. A change of value makes the
 * answer need review, writes its history, audits and brings the
 * module's task tree along, all in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "deny.h"
#include "advpage.h"
#include "etag.h"
#include "advperm.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/valid.h"
#include "db/db.h"
#include "events.h"
#include "model/advtrack.h"
#include "model/audit.h"
#include "render/timefmt.h"
#include "render/view.h"

/* What a request sends for one question. */
struct sent {
	int		 present;	/* the field came at all */
	int		 null;		/* JSON null: clear */
	const char	*raw;		/* single value */
	const char	**vals;		/* multi-select keys */
	size_t		 nvals;
	int		 dup;		/* a single value sent twice */
};

/* --- reading what was sent ---------------------------------------------- */

static void
from_json(struct req *r, json_object *v, struct sent *s)
{
	size_t	 i, n;

	s->present = 1;
	if (v == NULL) {
		s->null = 1;
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		s->vals = arena_calloc(r->a, n + 1, sizeof(*s->vals));
		for (i = 0; i < n; i++) {
			json_object	*e = json_object_array_get_idx(v, i);

			if (e != NULL && !json_object_is_type(e,
			    json_type_object) && !json_object_is_type(e,
			    json_type_array))
				s->vals[s->nvals++] = json_object_get_string(e);
		}
		/* An array on a single-valued question is refused by the
		 * check below: keep the first as its raw text. */
		s->raw = s->nvals > 0 ? s->vals[0] : "";
		s->dup = s->nvals > 1;
		return;
	}
	if (json_object_is_type(v, json_type_object)) {
		s->dup = 1;
		return;
	}
	s->raw = json_object_get_string(v);
}

/* The form's values of field name (every one, for multi-select). */
static void
from_form(struct req *r, const char *name, struct sent *s)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->params.n; i++)
		if (strcmp(r->params.v[i].name, name) == 0 &&
		    r->params.v[i].filename == NULL)
			n++;
	if (n == 0)
		return;
	s->present = 1;
	s->vals = arena_calloc(r->a, n + 1, sizeof(*s->vals));
	for (i = 0; i < r->params.n; i++)
		if (strcmp(r->params.v[i].name, name) == 0 &&
		    r->params.v[i].filename == NULL &&
		    r->params.v[i].value[0] != '\0')
			s->vals[s->nvals++] = r->params.v[i].value;
	s->raw = s->nvals > 0 ? s->vals[0] : "";
	s->dup = n > 1;
}

/* Check what was sent against the question: NULL with *canon (NULL
 * clears), or the message. cur is the stored value; html: a form, where
 * an unticked checkbox sends nothing. */
static const char *
check_sent(struct req *r, const struct mblock *b, const char *zone,
    const struct sent *s, const char *cur, int html, char **canon)
{
	struct rt_spec	 sp;

	*canon = NULL;
	modblock_spec(b, zone, &sp);
	if (s->null)
		return NULL;
	if (b->rtype == RT_FILE) {
		if ((s->raw == NULL || *s->raw == '\0') && s->nvals == 0)
			return NULL;
		return "Upload files with the Upload button; remove one with "
		    "its Remove button.";
	}
	if (b->rtype == RT_MULTISELECT)
		return answer_check(r->a, &sp, s->raw, s->vals, s->nvals,
		    canon);
	if (s->dup)
		return "Send one value for this question.";
	if (b->rtype == RT_CHECKBOX && html && !s->present) {
		/* Unticked: "no" once answered; an untouched, unanswered
		 * checkbox stays unanswered. */
		*canon = cur != NULL ? arena_strdup(r->a, "false") : NULL;
		return NULL;
	}
	if (b->rtype == RT_CHECKBOX && !html &&
	    (s->raw == NULL || *s->raw == '\0')) {
		*canon = NULL;
		return NULL;
	}
	return answer_check(r->a, &sp, s->raw, NULL, 0, canon);
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* --- the answer as the API shows it --------------------------------------- */

static json_object *
answer_object(struct req *r, const struct advctx *x, const struct advmod *m,
    const struct mblock *b, const struct answer *a)
{
	json_object	*o = json_object_new_object(), *rv;
	struct rt_spec	 sp;
	const char	*zone = x->ec.ev.timezone;

	modblock_spec(b, zone, &sp);
	vset_int(o, "advance_id", x->adv.id);
	vset_int(o, "module_id", m->id);
	vset_int(o, "block_id", b->id);
	vset_str(o, "label", adv_question_label(r, b));
	vset_str(o, "response_type", rtype_name(b->rtype));
	vset_bool(o, "answered", a != NULL);
	vset_int(o, "answer_id", a ? a->id : 0);
	vset_int(o, "version", a ? a->version : 0);
	vset_str(o, "etag", page_etag_text(r, a ? a->id : 0, a ? a->version :
	    0));
	vset_obj(o, "value", a ? answer_json(&sp, a->value) : NULL);
	vset_str(o, "value_text", a ? answer_display(r->a, &sp, a->value) :
	    NULL);
	/* What an input shows for it (date-time in event time). */
	vset_str(o, "form_value", a ? answer_form_value(r->a, &sp, a->value) :
	    NULL);
	vset_str(o, "updated_by_name", a ? a->updated_by_name : NULL);
	vset_time(o, "updated_at", a ? a->updated_at : NULL, zone);
	if (!x->respondent && a != NULL) {
		rv = json_object_new_object();
		vset_str(rv, "state", a->reviewed ? "reviewed" :
		    "needs_review");
		vset_str(rv, "reviewed_by_name", a->reviewed_by_name);
		vset_time(rv, "reviewed_at", a->reviewed_at, zone);
		vset_obj(o, "review", rv);
	}
	vset_str(o, "url", adv_answer_url(r, x, m->id, b->id));
	return o;
}

/* The question block {block} of x->mod's template: 0, or 404 sent for
 * anything else (content, request, another template's block; a retired
 * one for respondents, who never see it). */
static int
question_of(struct req *r, const struct advctx *x, size_t var,
    struct mblock *b)
{
	int64_t	 id = req_pathvar_id(r, var);
	int	 st;

	if (id <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = modblock_get(r, x->ec.ev.id, x->mod.template_id, id, b)) < 0)
		return 503;
	if (st == 0 || b->kind != BK_QUESTION || (b->retired && x->respondent))
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

static json_object *
changes(const char *label, const char *old, const char *new)
{
	json_object	*ch = json_object_new_object(), *x;

	x = json_object_new_object();
	vset_str(x, "old", old);
	vset_str(x, "new", new);
	json_object_object_add(ch, label, x);
	return ch;
}

/* Write one answer (the module is locked, cur read under it): put or
 * clear, audit. 1 changed, 0 nothing to change, -1 error. */
static int
write_answer(struct req *r, const struct advctx *x, const struct mblock *b,
    const struct answer *cur, const char *canon, struct answer *out)
{
	json_object	*ch;
	int		 rc;

	if (same(cur ? cur->value : NULL, canon))
		return 0;
	if (canon == NULL)
		rc = answer_clear(r, x->ec.ev.id, x->mod.id, b->id,
		    cur->version, x->uid);
	else
		rc = answer_put(r, x->ec.ev.id, x->mod.id, b->id,
		    cur ? cur->version : 0, canon, x->uid, out);
	if (rc <= 0)
		return -1;	/* under the module lock: never stale */
	ch = changes(adv_question_label(r, b), cur ? cur->value : NULL, canon);
	if (x->mod.submitted)
		vset_bool(ch, "module_submitted", 1);
	rc = audit(r, x->ec.ev.org_id, x->ec.ev.id, canon ? "answer.saved" :
	    "answer.cleared", "answer", canon ? out->id : cur->id,
	    arena_printf(r->a, "%s · %s · %s", x->adv.name, x->mod.label,
	    adv_question_label(r, b)), ch);
	json_object_put(ch);
	return rc != 0 ? -1 : 1;
}

/* --- one answer ---------------------------------------------------------------- */

static const char *
anchor(struct req *r, const struct advctx *x, int64_t block)
{
	return arena_printf(r->a, "%s#m%lld-a%lld", adv_mod_url(r, x,
	    x->mod.id), (long long)x->mod.id, (long long)block);
}

/* The single-answer page (and the 409/422 of its form). */
static int
answer_page(struct req *r, const struct advctx *x, const struct mblock *b,
    int status, const struct advfield *f)
{
	struct advdata	 d;
	json_object	*v, *q, *a;
	int		 can_answer, can_review;

	if (db_in_txn())
		db_rollback();
	if (adv_load(r, x, x->mod.id, &d) != 0)
		return 503;
	can_answer = !x->ec.ev.archived && adv_can_answer(&x->ec, &x->adv,
	    &x->mod);
	can_review = !x->ec.ev.archived && !x->respondent &&
	    adv_can_review(&x->ec, x->uid, &x->adv, &x->mod);
	v = view_new(r);
	event_header_into(r, v, &x->ec, x->respondent ? "portal" :
	    "advancing");
	q = advblock_question(r, x, &d, &x->mod, b, f, can_answer, can_review,
	    "answer-form");
	/* This page's form names its fields plainly. */
	vset_str(q, "field", "value");
	vset_str(q, "version_field", "version");
	vset_str(json_object_object_get(q, "input"), "name", "value");
	vset_str(json_object_object_get(q, "input"), "form", "answer-form");
	vset_bool(q, "single_answer", 1);
	vset_obj(v, "question", q);
	a = advance_json(&x->adv);
	vset_str(a, "url", adv_url(r, x));
	vset_obj(v, "advance", a);
	vset_obj(v, "module", advmod_json(&x->mod));
	vset_str(v, "module_url", adv_mod_url(r, x, x->mod.id));
	vset_str(v, "action_url", adv_answer_url(r, x, x->mod.id, b->id));
	vset_bool(v, "can_answer", can_answer && !b->retired);
	vset_str(v, "timezone", x->ec.ev.timezone);
	if (status == 422)
		return render_invalid(r, "advpage/answer", b->label, v);
	return render_page(r, status, "advpage/answer", b->label, v);
}

/* GET …/modules/{m}/answers/{block} — 200 the answer (value typed by
 * its response type, author, time, review for staff) with its ETag;
 * HTML the question on its own. 404 as the module, or not a question of
 * its template. */
int
h_adv_answer(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answer	 a;
	json_object	*v;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = question_of(r, &x, 3,
	    &b)) != 0)
		return st;
	if ((st = answer_get(r, x.ec.ev.id, x.mod.id, b.id, &a)) < 0)
		return 503;
	if (page_etag(r, st ? a.id : 0, st ? a.version : 0))
		return 304;
	if (r->fmt != FMT_JSON)
		return answer_page(r, &x, &b, 200, NULL);
	v = view_new(r);
	vset_obj(v, "answer", answer_object(r, &x, &x.mod, &b, st ? &a : NULL));
	return render_json(r, 200, v);
}

/* 422 of one answer: the problem with the field named, or the module
 * page with the typed value kept and the message beside it. */
static int
answer_invalid(struct req *r, const struct advctx *x, const struct mblock *b,
    const struct sent *s, const char *msg, int single)
{
	struct advfield	 f;
	struct advform	 form;

	if (db_in_txn())
		db_rollback();
	valid_error(r, single ? "value" : arena_printf(r->a, "a%lld",
	    (long long)b->id), "invalid", arena_printf(r->a, "%s: %s",
	    adv_question_label(r, b), msg));
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	memset(&f, 0, sizeof(f));
	f.module_id = x->mod.id;
	f.block_id = b->id;
	f.value = s->raw != NULL ? s->raw : "";
	f.vals = s->vals;
	f.nvals = s->nvals;
	f.error = msg;
	if (single)
		return answer_page(r, x, b, 422, &f);
	memset(&form, 0, sizeof(form));
	form.fields = &f;
	form.nfields = 1;
	return adv_render(r, x, 422, x->mod.id, &form);
}

/* POST/PATCH …/answers/{block} — save one answer: JSON {"value": …}
 * (null or "" clears) with If-Match; a form's `value` with `version`.
 * 200 JSON the answer with its new ETag; 303 back to the question.
 * 403 without advancing edit; 404; 409 archived, submitted module (for
 * those with only edit), stale form version (both values shown); 412
 * stale If-Match (the current answer in the body); 422 a value the
 * response type refuses (field named; nothing saved); 428 JSON without
 * If-Match. */
int
h_adv_answer_save(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answer	 cur, out;
	struct sent	 s;
	json_object	*jv, *v;
	const char	*msg;
	char		*canon;
	int		 st, have, json = r->fmt == FMT_JSON, single;
	int64_t		 version = 0;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = question_of(r, &x, 3,
	    &b)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	/* A form posting here is the single-answer page's (the module
	 * page saves through the module's Save, or as JSON). */
	single = 1;
	memset(&s, 0, sizeof(s));
	if (r->json != NULL) {
		if (json_object_object_get_ex(r->json, "value", &jv))
			from_json(r, jv, &s);
	} else
		from_form(r, "value", &s);
	if (json && r->if_match == NULL)
		return page_if_match_required(r, 0, 0);
	if (!json && !r->in[ANS_VERSION].present) {
		valid_error(r, "version", "required", "Version is required: "
		    "reload the page and try again.");
		return answer_page(r, &x, &b, 422, NULL);
	}
	if (json && !s.present) {
		valid_error(r, "value", "required", "Send the answer as "
		    "\"value\" (null clears it).");
		return render_invalid(r, NULL, NULL, view_new(r));
	}
	if (b.retired)
		return answer_invalid(r, &x, &b, &s, "This question was "
		    "retired and takes no new answers.", single);
	version = r->in[ANS_VERSION].i;

	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id, &cur)) < 0)
		return 503;
	if (json && (st = page_if_match_required(r, have ? cur.id : 0, have ?
	    cur.version : 0)) != 0) {
		if (st != 412)
			return st;
		return adv_precondition_failed(r, arena_printf(r->a, "%s was "
		    "changed by %s meanwhile; nothing was saved.",
		    adv_question_label(r, &b), have && cur.updated_by_name ?
		    cur.updated_by_name : "someone else"), answer_object(r, &x,
		    &x.mod, &b, have ? &cur : NULL));
	}
	if (!json && version != (have ? cur.version : 0)) {
		struct advfield	 f;
		struct advform	 form;

		db_rollback();
		log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
		memset(&f, 0, sizeof(f));
		f.module_id = x.mod.id;
		f.block_id = b.id;
		f.value = s.raw != NULL ? s.raw : "";
		f.vals = s.vals;
		f.nvals = s.nvals;
		f.stale = 1;
		f.theirs = have ? &cur : NULL;
		f.mine_version = version;
		if (single)
			return answer_page(r, &x, &b, 409, &f);
		memset(&form, 0, sizeof(form));
		form.fields = &f;
		form.nfields = 1;
		return adv_render(r, &x, 409, x.mod.id, &form);
	}
	if ((msg = check_sent(r, &b, x.ec.ev.timezone, &s, have ? cur.value :
	    NULL, !json, &canon)) != NULL)
		return answer_invalid(r, &x, &b, &s, msg, single);
	if (canon == NULL && b.rtype == RT_FILE && have &&
	    answerfile_delete(r, x.ec.ev.id, x.mod.id, b.id, 0) < 0)
		return 503;
	if ((st = write_answer(r, &x, &b, have ? &cur : NULL, canon,
	    &out)) < 0)
		return 503;
	if (st > 0 && advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0)
		return 503;
	if (db_commit() != 0)
		return 503;
	if (json) {
		if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id,
		    &cur)) < 0)
			return 503;
		(void)page_etag(r, have ? cur.id : 0, have ? cur.version : 0);
		v = view_new(r);
		vset_bool(v, "changed", st > 0);
		vset_obj(v, "answer", answer_object(r, &x, &x.mod, &b, have ?
		    &cur : NULL));
		return render_json(r, 200, v);
	}
	flash(r, "ok", st > 0 ? arena_printf(r->a, "%s was %s.",
	    adv_question_label(r, &b), canon ? "saved" : "cleared") :
	    "Nothing was changed.");
	return render_redirect(r, anchor(r, &x, b.id));
}

/* DELETE …/answers/{block} — clear the answer (If-Match required): 200
 * JSON the unanswered question with its ETag "0-v0"; 412/428 as for a
 * save. */
int
h_adv_answer_clear(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answer	 cur;
	json_object	*v;
	int		 st, have;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = question_of(r, &x, 3,
	    &b)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	if (r->if_match == NULL)
		return page_if_match_required(r, 0, 0);
	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id, &cur)) < 0)
		return 503;
	if ((st = page_if_match_required(r, have ? cur.id : 0,
	    have ? cur.version : 0)) != 0) {
		if (st != 412)
			return st;
		return adv_precondition_failed(r, "The answer changed "
		    "meanwhile; nothing was cleared.", answer_object(r, &x,
		    &x.mod, &b, have ? &cur : NULL));
	}
	if (have) {
		if (b.rtype == RT_FILE && answerfile_delete(r, x.ec.ev.id,
		    x.mod.id, b.id, 0) < 0)
			return 503;
		if (write_answer(r, &x, &b, &cur, NULL, NULL) < 0 ||
		    advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0)
			return 503;
	}
	if (db_commit() != 0)
		return 503;
	(void)page_etag(r, 0, 0);
	v = view_new(r);
	vset_bool(v, "changed", have);
	vset_obj(v, "answer", answer_object(r, &x, &x.mod, &b, NULL));
	return render_json(r, 200, v);
}

/* --- a whole module without scripting --------------------------------- */

/* One question of the module save. */
struct msave {
	const struct mblock *b;
	struct sent	 s;
	int64_t		 version;
	char		*canon;
	int		 theirs;	/* "take theirs": leave it */
	const struct answer *cur;
};

/* The questions the request sends: forms carry v<id> beside each field
 * (so an unticked checkbox or an empty multi-select still counts);
 * JSON {"answers": [{"block_id", "value", "version"}]}. */
static size_t
module_sent(struct req *r, const struct mblock *bl, size_t nb,
    struct msave *out)
{
	json_object	*arr = NULL;
	size_t		 i, k, n = 0;

	if (r->json != NULL) {
		if (!json_object_object_get_ex(r->json, "answers", &arr) ||
		    !json_object_is_type(arr, json_type_array)) {
			valid_error(r, "answers", "required", "Send the answers "
			    "as \"answers\": [{\"block_id\", \"value\", "
			    "\"version\"}].");
			return 0;
		}
		for (k = 0; k < json_object_array_length(arr); k++) {
			json_object	*e = json_object_array_get_idx(arr, k);
			json_object	*jb, *jv, *jver;
			int64_t		 id;

			if (!json_object_object_get_ex(e, "block_id", &jb) ||
			    (id = json_object_get_int64(jb)) <= 0 ||
			    !json_object_object_get_ex(e, "version", &jver)) {
				valid_error(r, "answers", "invalid", "Each answer "
				    "needs block_id and version.");
				return 0;
			}
			for (i = 0; i < nb; i++)
				if (bl[i].id == id)
					break;
			if (i == nb || bl[i].kind != BK_QUESTION ||
			    bl[i].retired || bl[i].rtype == RT_FILE) {
				valid_error(r, "answers", "invalid", arena_printf(
				    r->a, "Block %lld is not a question this "
				    "module takes answers to here.",
				    (long long)id));
				return 0;
			}
			memset(&out[n], 0, sizeof(out[n]));
			out[n].b = &bl[i];
			out[n].version = json_object_get_int64(jver);
			if (json_object_object_get_ex(e, "value", &jv))
				from_json(r, jv, &out[n].s);
			else
				out[n].s.present = out[n].s.null = 1;
			n++;
		}
		return n;
	}
	for (i = 0; i < nb; i++) {
		const char	*ver, *take;
		char		*end;

		if (bl[i].kind != BK_QUESTION || bl[i].retired ||
		    bl[i].rtype == RT_FILE || (ver = req_param(r,
		    arena_printf(r->a, "v%lld", (long long)bl[i].id))) == NULL)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].b = &bl[i];
		out[n].version = strtoll(ver, &end, 10);
		if (*ver == '\0' || *end != '\0' || out[n].version < 0)
			out[n].version = -1;
		take = req_param(r, arena_printf(r->a, "t%lld",
		    (long long)bl[i].id));
		out[n].theirs = take != NULL && strcmp(take, "theirs") == 0;
		from_form(r, arena_printf(r->a, "a%lld", (long long)bl[i].id),
		    &out[n].s);
		n++;
	}
	return n;
}

static const struct answer *
cur_of(const struct answer *a, size_t n, int64_t block)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (a[i].block_id == block)
			return &a[i];
	return NULL;
}

/* The module page again with every typed value, and the messages or
 * the conflicts. */
static int
module_reshow(struct req *r, const struct advctx *x, int status,
    const struct msave *sv, size_t n, const char *const *errs)
{
	struct advform	 form;
	size_t		 i;

	memset(&form, 0, sizeof(form));
	form.fields = arena_calloc(r->a, n + 1, sizeof(*form.fields));
	for (i = 0; i < n; i++) {
		struct advfield	*f = &form.fields[form.nfields++];

		f->module_id = x->mod.id;
		f->block_id = sv[i].b->id;
		f->value = sv[i].s.raw != NULL ? sv[i].s.raw : "";
		f->vals = sv[i].s.vals;
		f->nvals = sv[i].s.nvals;
		f->error = errs != NULL ? errs[i] : NULL;
		if (status == 409 && sv[i].version != (sv[i].cur ?
		    sv[i].cur->version : 0)) {
			f->stale = 1;
			f->theirs = sv[i].cur;
			f->mine_version = sv[i].version;
		}
		/* A checkbox left unticked shows unticked again. */
		if (sv[i].b->rtype == RT_CHECKBOX && !sv[i].s.present)
			f->value = "false";
	}
	return adv_render(r, x, status, x->mod.id, &form);
}

/* POST /events/{event}/advances/{adv}/modules/{m} — save every question
 * of the module at once, all or nothing: 303 back (to the advance page
 * when the form came from there), JSON 200 {saved, answers}. 403, 404,
 * 409 as for one answer, and 409 when any question is stale (each
 * listed; HTML shows both values with keep mine / take theirs); 422
 * every refused value named, the whole module re-shown as typed. */
int
h_adv_module_save(struct req *r)
{
	struct advctx	 x;
	struct mblock	*bl;
	struct msave	*sv;
	struct answer	*cur, out;
	const char	**errs, *msg, *back;
	json_object	*v, *arr, *stale;
	size_t		 nb, n, ncur, i, saved = 0;
	int		 st, json = r->json != NULL, bad = 0;

	if ((st = adv_gate(r, &x, 1)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	if ((bl = modblock_list(r, x.ec.ev.id, x.mod.template_id, &nb)) ==
	    NULL && nb == (size_t)-1)
		return 503;
	sv = arena_calloc(r->a, nb + 1, sizeof(*sv));
	n = module_sent(r, bl, nb, sv);
	if (r->nerrors)
		return adv_invalid(r, &x);
	if (n == 0) {
		valid_error(r, "answers", "required", "There is nothing to "
		    "save: this module has no questions to answer here.");
		if (json || r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, view_new(r));
		return adv_render(r, &x, 422, x.mod.id, NULL);
	}

	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((cur = answer_lock_module(r, x.ec.ev.id, x.mod.id, &ncur)) ==
	    NULL && ncur == (size_t)-1)
		return 503;
	errs = arena_calloc(r->a, n + 1, sizeof(*errs));
	arr = json_object_new_array();
	stale = json_object_new_array();
	for (i = 0; i < n; i++) {
		sv[i].cur = cur_of(cur, ncur, sv[i].b->id);
		if (sv[i].version != (sv[i].cur ? sv[i].cur->version : 0) &&
		    !sv[i].theirs) {
			json_object	*o = json_object_new_object();

			vset_int(o, "block_id", sv[i].b->id);
			vset_str(o, "label", adv_question_label(r, sv[i].b));
			vset_int(o, "your_version", sv[i].version);
			vset_obj(o, "current", answer_object(r, &x, &x.mod,
			    sv[i].b, sv[i].cur));
			json_object_array_add(stale, o);
		}
		if (sv[i].theirs)
			continue;
		if ((msg = check_sent(r, sv[i].b, x.ec.ev.timezone, &sv[i].s,
		    sv[i].cur ? sv[i].cur->value : NULL, !json,
		    &sv[i].canon)) != NULL) {
			errs[i] = msg;
			bad = 1;
			valid_error(r, arena_printf(r->a, "a%lld",
			    (long long)sv[i].b->id), "invalid", arena_printf(
			    r->a, "%s: %s", adv_question_label(r, sv[i].b),
			    msg));
		}
	}
	if (bad) {
		json_object_put(arr);
		json_object_put(stale);
		db_rollback();
		if (r->fmt == FMT_JSON)
			return render_invalid(r, NULL, NULL, view_new(r));
		return module_reshow(r, &x, 422, sv, n, errs);
	}
	if (json_object_array_length(stale) > 0) {
		db_rollback();
		log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
		json_object_put(arr);
		if (r->fmt == FMT_JSON) {
			json_object	*p = view_new(r);
			const char	*s;

			vset_str(p, "type", "/docs/errors/edit-conflict");
			vset_str(p, "title", "Conflict");
			vset_int(p, "status", 409);
			vset_str(p, "detail", "Some answers were changed by "
			    "someone else meanwhile; nothing was saved.");
			vset_str(p, "code", "edit-conflict");
			vset_str(p, "request_id", r->rid);
			vset_obj(p, "conflicts", stale);
			s = json_object_to_json_string_ext(p,
			    JSON_C_TO_STRING_PLAIN);
			return render_text(r, 409, "application/problem+json; "
			    "charset=utf-8", s, strlen(s));
		}
		json_object_put(stale);
		return module_reshow(r, &x, 409, sv, n, NULL);
	}
	json_object_put(stale);
	for (i = 0; i < n; i++) {
		if (sv[i].theirs)
			continue;
		if ((st = write_answer(r, &x, sv[i].b, sv[i].cur,
		    sv[i].canon, &out)) < 0) {
			json_object_put(arr);
			return 503;
		}
		saved += st;
	}
	if (saved > 0 && advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0) {
		json_object_put(arr);
		return 503;
	}
	if (db_commit() != 0) {
		json_object_put(arr);
		return 503;
	}
	if (r->fmt == FMT_JSON) {
		struct answer	*now;
		size_t		 nn;

		v = view_new(r);
		vset_int(v, "saved", (long long)saved);
		if ((now = answer_list(r, x.ec.ev.id, x.adv.id, x.mod.id,
		    &nn)) == NULL && nn == (size_t)-1) {
			json_object_put(arr);
			return 503;
		}
		for (i = 0; i < n; i++)
			json_object_array_add(arr, answer_object(r, &x, &x.mod,
			    sv[i].b, cur_of(now, nn, sv[i].b->id)));
		vset_obj(v, "answers", arr);
		return render_json(r, 200, v);
	}
	json_object_put(arr);
	flash(r, "ok", saved == 0 ? "Nothing was changed." : saved == 1 ?
	    "1 answer was saved." : arena_printf(r->a, "%zu answers were "
	    "saved.", saved));
	back = req_param(r, "back");
	if (back != NULL && strcmp(back, "advance") == 0)
		return render_redirect(r, arena_printf(r->a, "%s#module-%lld",
		    adv_url(r, &x), (long long)x.mod.id));
	return render_redirect(r, adv_mod_url(r, &x, x.mod.id));
}

/* --- files ---------------------------------------------------------------------- */

/* A file question of the module: 0 or the status sent. */
static int
file_question(struct req *r, const struct advctx *x, struct mblock *b)
{
	int	 st;

	if ((st = question_of(r, x, 3, b)) != 0)
		return st;
	if (b->rtype != RT_FILE)
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

/* GET …/answers/{block}/files/{f} — the file as an attachment with the
 * type detected at upload; 404 for anyone who cannot view the advance
 * and for a file of another question or module. */
int
h_adv_file(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answerfile f;
	const char	*data, *ascii;
	char		*a, *p;
	int64_t		 id;
	int		 st;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = file_question(r, &x,
	    &b)) != 0)
		return st;
	if ((id = req_pathvar_id(r, 4)) <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = answerfile_get(r, x.ec.ev.id, x.mod.id, b.id, id, &f,
	    &data)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	/* filename= for old clients (ASCII only), filename*= in UTF-8. */
	a = arena_strdup(r->a, f.name);
	for (p = a; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80 || *p == '\\' || *p == '"')
			*p = '_';
	ascii = a;
	{
		struct buf	 enc;

		buf_init(&enc);
		for (p = f.name; *p != '\0'; p++) {
			unsigned char	 c = (unsigned char)*p;

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr(".-_~", c))
				buf_putc(&enc, (char)c);
			else
				buf_printf(&enc, "%%%02X", c);
		}
		resp_header(r, "Content-Disposition", arena_printf(r->a,
		    "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii,
		    buf_cstr(&enc)));
		buf_free(&enc);
	}
	resp_header(r, "Cache-Control", "private, no-store");
	return render_text(r, 200, f.ctype, data, (size_t)f.size);
}

/* The version a file write is based on: If-Match for JSON, the form's
 * version otherwise. 0 fine; else the status sent. */
static int
file_version(struct req *r, const struct advctx *x, const struct mblock *b,
    const struct answer *cur, int have)
{
	int	 st;

	if (r->fmt == FMT_JSON) {
		if ((st = page_if_match_required(r, have ? cur->id : 0, have ?
		    cur->version : 0)) == 412)
			return adv_precondition_failed(r, "The answer changed "
			    "meanwhile; nothing was saved.", answer_object(r, x,
			    &x->mod, b, have ? cur : NULL));
		return st;
	}
	if (r->in[ADVV_VERSION].i == (have ? cur->version : 0))
		return 0;
	return page_refuse(r, 409, "edit-conflict", arena_printf(r->a, "%s was "
	    "changed by %s meanwhile (now version %lld); nothing was saved. "
	    "Reload the page to see the files as they are now.",
	    adv_question_label(r, b), have && cur->updated_by_name ?
	    cur->updated_by_name : "someone else", (long long)(have ?
	    cur->version : 0)));
}

/* How many ids a file answer names. */
static size_t
count_ids(const char *v)
{
	size_t	 n = 0;

	for (; v != NULL && *v != '\0'; v++)
		if (*v == ',')
			n++;
	return v != NULL ? n + 1 : 0;
}

/* 422 of an upload: the field named, the module page re-shown. */
static int
upload_invalid(struct req *r, const struct advctx *x, const struct mblock *b,
    const char *msg)
{
	struct advfield	 f;
	struct advform	 form;

	if (db_in_txn())
		db_rollback();
	valid_error(r, arena_printf(r->a, "a%lld", (long long)b->id),
	    "invalid", arena_printf(r->a, "%s: %s", adv_question_label(r, b),
	    msg));
	if (r->fmt == FMT_JSON)
		return render_invalid(r, NULL, NULL, view_new(r));
	memset(&f, 0, sizeof(f));
	f.module_id = x->mod.id;
	f.block_id = b->id;
	f.error = msg;
	memset(&form, 0, sizeof(form));
	form.fields = &f;
	form.nfields = 1;
	return adv_render(r, x, 422, x->mod.id, &form);
}

/* POST …/answers/{block}/files/upload — multipart, one or more parts
 * named "file": each within the upload limit, of a type detected from
 * its content (PDF, images, Word, Excel, ZIP, plain text; programs and
 * other binaries refused), at most 10 per question. 303 back; 201 JSON
 * the answer. 403, 404, 409 (archived, submitted, stale version), 412,
 * 422 (no file, too large, refused type, too many), 428. */
int
h_adv_file_upload(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answer	 cur, out;
	const struct param *files[RT_FILES_MAX + 1];
	const char	*types[RT_FILES_MAX + 1], *ext, *value;
	size_t		 nf = 0, i;
	int64_t		 limit, id;
	json_object	*v;
	int		 st, have;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = file_question(r, &x,
	    &b)) != 0)
		return st;
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	if (r->fmt == FMT_JSON && r->if_match == NULL)
		return page_if_match_required(r, 0, 0);
	if (r->fmt != FMT_JSON && !r->in[ADVV_VERSION].present) {
		valid_error(r, "version", "required", "Version is required: "
		    "reload the page and try again.");
		return adv_invalid(r, &x);
	}
	if (b.retired)
		return upload_invalid(r, &x, &b, "This question was retired "
		    "and takes no new files.");
	limit = cfg->upload_limit < ANSWERFILE_MAX ? cfg->upload_limit :
	    ANSWERFILE_MAX;
	for (i = 0; i < r->params.n; i++) {
		const struct param *p = &r->params.v[i];

		if (p->filename == NULL || strcmp(p->name, "file") != 0 ||
		    (p->len == 0 && *p->filename == '\0'))
			continue;
		if (nf >= RT_FILES_MAX)
			return upload_invalid(r, &x, &b, arena_printf(r->a,
			    "Upload at most %d files.", RT_FILES_MAX));
		if (p->len == 0)
			return upload_invalid(r, &x, &b, arena_printf(r->a,
			    "%s is empty.", answerfile_name(r, p->filename)));
		if ((int64_t)p->len > limit)
			return upload_invalid(r, &x, &b, arena_printf(r->a,
			    "%s is larger than %lld MB.", answerfile_name(r,
			    p->filename), (long long)(limit / 1048576)));
		if ((types[nf] = answerfile_sniff(p->value, p->len, &ext)) ==
		    NULL)
			return upload_invalid(r, &x, &b, arena_printf(r->a,
			    "%s is not a file type we accept: PDF, PNG, JPEG, "
			    "GIF, WebP, Word, Excel, ZIP or plain text.",
			    answerfile_name(r, p->filename)));
		files[nf++] = p;
	}
	if (nf == 0)
		return upload_invalid(r, &x, &b, "Choose a file to upload.");

	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id, &cur)) < 0)
		return 503;
	if ((st = file_version(r, &x, &b, &cur, have)) != 0)
		return st;
	if (count_ids(have ? cur.value : NULL) + nf > RT_FILES_MAX)
		return upload_invalid(r, &x, &b, arena_printf(r->a, "A question "
		    "holds at most %d files; remove one first.",
		    RT_FILES_MAX));
	value = have ? cur.value : NULL;
	for (i = 0; i < nf; i++) {
		if ((id = answerfile_insert(r, x.ec.ev.id, x.mod.id, b.id,
		    answerfile_name(r, files[i]->filename), types[i],
		    files[i]->value, files[i]->len, x.uid)) < 0)
			return 503;
		value = value != NULL ? arena_printf(r->a, "%s,%lld", value,
		    (long long)id) : arena_printf(r->a, "%lld", (long long)id);
	}
	if (write_answer(r, &x, &b, have ? &cur : NULL, value, &out) < 0 ||
	    advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id,
		    &cur)) < 0)
			return 503;
		(void)page_etag(r, cur.id, cur.version);
		v = view_new(r);
		vset_obj(v, "answer", answer_object(r, &x, &x.mod, &b, have ?
		    &cur : NULL));
		return render_json(r, 201, v);
	}
	flash(r, "ok", nf == 1 ? arena_printf(r->a, "%s was uploaded.",
	    answerfile_name(r, files[0]->filename)) : arena_printf(r->a,
	    "%zu files were uploaded.", nf));
	return render_redirect(r, anchor(r, &x, b.id));
}

/* The file ids of value without id (arena); NULL when none is left. */
static char *
without_id(struct req *r, const char *value, int64_t id, int *found)
{
	char	*copy = arena_strdup(r->a, value), *tok, *save = NULL;
	char	*out = NULL;

	*found = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strtoll(tok, NULL, 10) == id) {
			*found = 1;
			continue;
		}
		out = out == NULL ? arena_strdup(r->a, tok) :
		    arena_printf(r->a, "%s,%s", out, tok);
	}
	return out;
}

/* POST …/answers/{block}/files/{f}/delete — remove one file (the answer
 * is cleared with its last file): 303 back, JSON 200 the answer. 403,
 * 404, 409, 412, 428 as for an upload. */
int
h_adv_file_delete(struct req *r)
{
	struct advctx	 x;
	struct mblock	 b;
	struct answer	 cur, out;
	struct answerfile f;
	json_object	*v;
	char		*value;
	int64_t		 id;
	int		 st, have, found;

	if ((st = adv_gate(r, &x, 1)) != 0 || (st = file_question(r, &x,
	    &b)) != 0)
		return st;
	if ((id = req_pathvar_id(r, 4)) <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = answerfile_get(r, x.ec.ev.id, x.mod.id, b.id, id, &f,
	    NULL)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	if ((st = adv_answer_gate(r, &x)) != 0)
		return st;
	if (r->fmt == FMT_JSON && r->if_match == NULL)
		return page_if_match_required(r, 0, 0);
	if (r->fmt != FMT_JSON && !r->in[ADVV_VERSION].present) {
		valid_error(r, "version", "required", "Version is required: "
		    "reload the page and try again.");
		return adv_invalid(r, &x);
	}
	if ((st = adv_begin(r, &x, 1)) != 0)
		return st;
	if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id, &cur)) < 0)
		return 503;
	if ((st = file_version(r, &x, &b, &cur, have)) != 0)
		return st;
	value = have ? without_id(r, cur.value, id, &found) : NULL;
	if (answerfile_delete(r, x.ec.ev.id, x.mod.id, b.id, id) < 0)
		return 503;
	if (have && write_answer(r, &x, &b, &cur, value, &out) < 0)
		return 503;
	if (advtrack_sync_module(r, x.ec.ev.id, x.mod.id) != 0 ||
	    db_commit() != 0)
		return 503;
	if (r->fmt == FMT_JSON) {
		if ((have = answer_get(r, x.ec.ev.id, x.mod.id, b.id,
		    &cur)) < 0)
			return 503;
		(void)page_etag(r, have ? cur.id : 0, have ? cur.version : 0);
		v = view_new(r);
		vset_obj(v, "answer", answer_object(r, &x, &x.mod, &b, have ?
		    &cur : NULL));
		return render_json(r, 200, v);
	}
	flash(r, "ok", arena_printf(r->a, "%s was removed.", f.name));
	return render_redirect(r, anchor(r, &x, b.id));
}
