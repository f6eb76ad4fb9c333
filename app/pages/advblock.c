/* advblock.c — the renderer of module blocks (PRODUCT §13.2, §13.5):
 * questions as inputs by response type with their answers, files and
 * review, request blocks as item tables with their add form, and the
 * item forms of asset types. The advance page, the module page, the
 * single answer and item pages and the template preview all render
 * through here, so a respondent's form and its preview never differ.
 *
 * Respondents get no review marks at all (not even in JSON); staff see
 * needs review / reviewed with who and when and, for a re-review, the
 * value they reviewed before. */
#include <stdio.h>
#include <string.h>

#include "advpage.h"
#include "advperm.h"
#include "core/req.h"
#include "model/event.h"
#include "policy/answer.h"
#include "render/timefmt.h"
#include "render/view.h"

const struct mblock *
adv_block(const struct advdata *d, int64_t template_id, int64_t block_id)
{
	size_t	 i;

	for (i = 0; i < d->nblocks; i++)
		if (d->blocks[i].id == block_id &&
		    d->blocks[i].template_id == template_id)
			return &d->blocks[i];
	return NULL;
}

const struct answer *
adv_answer_of(const struct advdata *d, int64_t m, int64_t block)
{
	size_t	 i;

	for (i = 0; i < d->nans; i++)
		if (d->ans[i].module_id == m && d->ans[i].block_id == block)
			return &d->ans[i];
	return NULL;
}

static const struct answer_prev *
prev_of(const struct advdata *d, int64_t m, int64_t block)
{
	size_t	 i;

	for (i = 0; i < d->nprev; i++)
		if (d->prev[i].module_id == m && d->prev[i].block_id == block)
			return &d->prev[i];
	return NULL;
}

const char *
adv_question_label(struct req *r, const struct mblock *b)
{
	if (b->label != NULL && *b->label != '\0')
		return b->label;
	return arena_printf(r->a, "Question %lld", (long long)b->id);
}

json_object *
adv_value_json(const struct mblock *b, const char *zone, const char *canon)
{
	struct rt_spec	 sp;

	modblock_spec(b, zone, &sp);
	return answer_json(&sp, canon);
}

void
adv_prop_spec(const struct asset_prop *p, const char *zone,
    struct rt_spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->type = p->rtype;
	sp->opts = p->opts;
	sp->nopts = p->nopts;
	sp->zone = zone;
}

/* --- inputs ---------------------------------------------------------------- */

/* Is key among the canonical multi-select keys (comma-joined)? */
static int
in_list(const char *list, const char *key)
{
	size_t	 n = strlen(key);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

static int
in_vals(const char *const *vals, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (vals[i] != NULL && strcmp(vals[i], key) == 0)
			return 1;
	return 0;
}

/* What the form shows for one value: the stored canonical value in its
 * form shape, or what the user typed (use_typed). */
struct shown {
	const char	*canon;		/* stored */
	int		 use_typed;
	const char	*typed;
	const char *const *tvals;
	size_t		 ntvals;
};

/* One input by response type: {type, is_<type>, name, id, form, value,
 * checked, options[{key, label, selected, retired}], min, max, step,
 * disabled, required, zone}. The template draws it (advpage/input). */
static json_object *
input_json(struct req *r, const struct rt_spec *sp, const char *name,
    const char *id, const char *form, const struct shown *sh, int disabled,
    int required)
{
	json_object	*in = json_object_new_object(), *opts;
	const char	*val;
	size_t		 i;

	vset_str(in, "type", rtype_name(sp->type));
	vset_bool(in, arena_printf(r->a, "is_%s", rtype_name(sp->type)), 1);
	vset_str(in, "name", name);
	vset_str(in, "id", id);
	vset_str(in, "form", form);
	vset_bool(in, "disabled", disabled);
	vset_bool(in, "required", required);
	vset_str(in, "zone", sp->zone);
	val = sh->use_typed ? sh->typed :
	    answer_form_value(r->a, sp, sh->canon);
	if (sp->type == RT_CHECKBOX) {
		vset_bool(in, "checked", sh->use_typed ? val != NULL &&
		    (strcmp(val, "true") == 0 || strcmp(val, "on") == 0 ||
		    strcmp(val, "1") == 0) : val != NULL &&
		    strcmp(val, "true") == 0);
		vset_bool(in, "answered", sh->canon != NULL);
	}
	vset_str(in, "value", sp->type == RT_CHECKBOX ? "true" :
	    val != NULL ? val : "");
	if (rtype_has_options(sp->type)) {
		opts = json_object_new_array();
		for (i = 0; i < sp->nopts; i++) {
			const struct rt_option *o = &sp->opts[i];
			json_object	*x;
			int		 sel;

			if (sp->type == RT_SELECT)
				sel = val != NULL && strcmp(val, o->key) == 0;
			else if (sh->use_typed)
				sel = in_vals(sh->tvals, sh->ntvals, o->key);
			else
				sel = val != NULL && in_list(val, o->key);
			/* A retired option stays visible only where it is
			 * still chosen, so nothing vanishes unseen. */
			if (o->retired && !sel)
				continue;
			x = json_object_new_object();
			vset_str(x, "key", o->key);
			vset_str(x, "label", o->label);
			vset_bool(x, "selected", sel);
			vset_bool(x, "retired", o->retired);
			vset_str(x, "id", arena_printf(r->a, "%s-%zu", id, i));
			json_object_array_add(opts, x);
		}
		vset_obj(in, "options", opts);
	}
	if (sp->type == RT_NUMBER) {
		vset_str(in, "min", sp->num_min);
		vset_str(in, "max", sp->num_max);
		vset_str(in, "step", sp->num_whole ? "1" : "any");
	}
	return in;
}

/* --- questions ------------------------------------------------------------- */

static json_object *
files_json(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct advmod *m, const struct mblock *b, const struct answer *a,
    int can_answer)
{
	json_object	*arr = json_object_new_array();
	const char	*base = adv_answer_url(r, x, m->id, b->id);
	size_t		 i;

	for (i = 0; i < d->nfiles; i++) {
		const struct answerfile *f = &d->files[i];
		json_object	*o;

		if (f->module_id != m->id || f->block_id != b->id)
			continue;
		o = json_object_new_object();
		vset_int(o, "id", f->id);
		vset_str(o, "name", f->name);
		vset_str(o, "content_type", f->ctype);
		vset_int(o, "size", f->size);
		vset_str(o, "size_text", f->size >= 1024 * 1024 ?
		    arena_printf(r->a, "%.1f MB", (double)f->size / 1048576) :
		    f->size >= 1024 ? arena_printf(r->a, "%lld KB",
		    (long long)((f->size + 1023) / 1024)) :
		    arena_printf(r->a, "%lld bytes", (long long)f->size));
		vset_str(o, "uploaded_by_name", f->created_by_name);
		vset_time(o, "uploaded_at", f->created_at, x->ec.ev.timezone);
		vset_str(o, "url", arena_printf(r->a, "%s/files/%lld", base,
		    (long long)f->id));
		vset_str(o, "delete_url", can_answer ? arena_printf(r->a,
		    "%s/files/%lld/delete", base, (long long)f->id) : NULL);
		vset_int(o, "version", a != NULL ? a->version : 0);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Staff only: the review state, who and when, and for a re-review the
 * value last reviewed. */
static json_object *
review_json(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct advmod *m, const struct mblock *b, const struct answer *a,
    int can_review)
{
	json_object	*o = json_object_new_object(), *p;
	const struct answer_prev *pv;
	struct rt_spec	 sp;

	modblock_spec(b, x->ec.ev.timezone, &sp);
	vset_str(o, "state", a->reviewed ? "reviewed" : "needs_review");
	vset_bool(o, "needs_review", !a->reviewed);
	vset_bool(o, "reviewed", a->reviewed);
	vset_str(o, "reviewed_by_name", a->reviewed_by_name);
	vset_time(o, "reviewed_at", a->reviewed_at, x->ec.ev.timezone);
	pv = a->reviewed ? NULL : prev_of(d, m->id, b->id);
	if (pv != NULL) {
		p = json_object_new_object();
		vset_obj(p, "value", answer_json(&sp, pv->value));
		vset_str(p, "value_text", pv->value != NULL ?
		    answer_display(r->a, &sp, pv->value) : NULL);
		vset_bool(p, "was_unanswered", pv->value == NULL);
		vset_str(p, "reviewed_by_name", pv->reviewed_by_name);
		vset_time(p, "reviewed_at", pv->reviewed_at,
		    x->ec.ev.timezone);
		vset_obj(o, "previous", p);
	} else
		vset_obj(o, "previous", NULL);
	vset_bool(o, "can_review", can_review && !a->reviewed);
	vset_str(o, "review_url", can_review ? arena_printf(r->a,
	    "%s/review", adv_answer_url(r, x, m->id, b->id)) : NULL);
	vset_int(o, "version", a->version);
	return o;
}

/* The conflict a stale save shows: the value now stored, who saved it
 * and when, beside the user's own (kept in the input). */
static json_object *
conflict_json(struct req *r, const struct advctx *x, const struct mblock *b,
    const struct advfield *f)
{
	json_object	*o = json_object_new_object();
	struct rt_spec	 sp;
	const struct answer *t = f->theirs;

	modblock_spec(b, x->ec.ev.timezone, &sp);
	vset_str(o, "their_value_text", t != NULL && t->value != NULL ?
	    answer_display(r->a, &sp, t->value) : NULL);
	vset_bool(o, "their_unanswered", t == NULL || t->value == NULL);
	vset_str(o, "their_by_name", t != NULL ? t->updated_by_name : NULL);
	vset_time(o, "their_at", t != NULL ? t->updated_at : NULL,
	    x->ec.ev.timezone);
	vset_int(o, "current_version", t != NULL ? t->version : 0);
	vset_str(o, "etag", adv_etag_text(r, t != NULL ? t->id : 0,
	    t != NULL ? t->version : 0));
	vset_int(o, "your_version", f->mine_version);
	return o;
}

json_object *
advblock_question(struct req *r, const struct advctx *x,
    const struct advdata *d, const struct advmod *m, const struct mblock *b,
    const struct advfield *f, int can_answer, int can_review,
    const char *form_id)
{
	json_object	*o = json_object_new_object();
	const struct answer *a = d != NULL ? adv_answer_of(d, m->id, b->id) :
	    NULL;
	const char	*zone = x->ec.ev.timezone;
	struct rt_spec	 sp;
	struct shown	 sh;
	int		 writable = can_answer && !b->retired;
	int64_t		 version = a != NULL ? a->version : 0;
	const char	*name = arena_printf(r->a, "a%lld", (long long)b->id);
	const char	*id = arena_printf(r->a, "m%lld-a%lld",
	    (long long)m->id, (long long)b->id);

	modblock_spec(b, zone, &sp);
	vset_str(o, "kind", "question");
	vset_bool(o, "is_question", 1);
	vset_int(o, "id", b->id);
	vset_int(o, "module_id", m->id);
	vset_str(o, "label", adv_question_label(r, b));
	vset_str(o, "prompt_html", event_md_html(r, b->prompt));
	vset_str(o, "help_html", event_md_html(r, b->help));
	vset_str(o, "response_type", rtype_name(b->rtype));
	vset_str(o, "response_type_label", rtype_label(b->rtype));
	vset_bool(o, "required", b->required);
	vset_bool(o, "retired", b->retired);
	vset_bool(o, "answered", a != NULL);
	vset_bool(o, "missing", a == NULL && b->required && !b->retired);
	vset_obj(o, "value", a != NULL ? answer_json(&sp, a->value) : NULL);
	vset_str(o, "value_text", a != NULL ? answer_display(r->a, &sp,
	    a->value) : NULL);
	vset_int(o, "answer_id", a != NULL ? a->id : 0);
	vset_int(o, "version", version);
	vset_str(o, "etag", adv_etag_text(r, a != NULL ? a->id : 0, version));
	vset_str(o, "updated_by_name", a != NULL ? a->updated_by_name : NULL);
	vset_time(o, "updated_at", a != NULL ? a->updated_at : NULL, zone);
	vset_str(o, "url", d != NULL ? adv_answer_url(r, x, m->id, b->id) :
	    NULL);
	vset_bool(o, "can_answer", writable);
	vset_str(o, "field", name);
	vset_str(o, "version_field", arena_printf(r->a, "v%lld",
	    (long long)b->id));
	vset_str(o, "form_id", form_id);
	vset_str(o, "input_id", id);
	vset_bool(o, "single_answer", 0);

	memset(&sh, 0, sizeof(sh));
	sh.canon = a != NULL ? a->value : NULL;
	if (f != NULL && (f->value != NULL || f->nvals > 0 || f->error)) {
		sh.use_typed = 1;
		sh.typed = f->value;
		sh.tvals = f->vals;
		sh.ntvals = f->nvals;
	}
	if (b->rtype == RT_FILE) {
		vset_obj(o, "files", d != NULL ? files_json(r, x, d, m, b, a,
		    writable) : json_object_new_array());
		vset_str(o, "upload_url", writable ? arena_printf(r->a,
		    "%s/files/upload", adv_answer_url(r, x, m->id, b->id)) :
		    NULL);
		vset_int(o, "files_max", RT_FILES_MAX);
	}
	vset_obj(o, "input", input_json(r, &sp, name, id, form_id, &sh,
	    !writable, b->required));
	vset_str(o, "error", f != NULL ? f->error : NULL);
	/* A stale save shows the user's value in the input (kept) and the
	 * stored one beside it; the form's version is now the current one,
	 * so saving again keeps theirs knowingly. */
	if (f != NULL && f->stale) {
		vset_obj(o, "conflict", conflict_json(r, x, b, f));
		vset_int(o, "version", f->theirs != NULL ?
		    f->theirs->version : 0);
	} else
		vset_obj(o, "conflict", NULL);
	if (!x->respondent && a != NULL && d != NULL)
		vset_obj(o, "review", review_json(r, x, d, m, b, a,
		    can_review));
	else
		vset_obj(o, "review", NULL);
	return o;
}

/* --- request blocks and their items --------------------------------------- */

static const char *
state_label(const char *s)
{
	if (s == NULL || strcmp(s, "pending") == 0)
		return "Pending";
	if (strcmp(s, "approved") == 0)
		return "Approved";
	return "Declined";
}

static json_object *
approval_json(struct req *r, const struct advctx *x, const struct approval *p,
    int applies)
{
	json_object	*o = json_object_new_object();

	(void)r;
	vset_bool(o, "applies", applies);
	vset_str(o, "state", p->state != NULL ? p->state : "pending");
	vset_str(o, "state_label", state_label(p->state));
	vset_bool(o, "approved", p->state && !strcmp(p->state, "approved"));
	vset_bool(o, "declined", p->state && !strcmp(p->state, "declined"));
	vset_bool(o, "pending", !p->state || !strcmp(p->state, "pending"));
	vset_str(o, "by_name", p->by_name);
	vset_time(o, "at", p->at, x->ec.ev.timezone);
	vset_str(o, "reason", p->reason);
	return o;
}

/* The asset properties of type (sub 0: the item's own). */
static void
props_of(const struct advdata *d, int64_t type, int64_t sub, size_t *first,
    size_t *n)
{
	size_t	 i;

	*first = 0;
	*n = 0;
	for (i = 0; i < d->forms.nprops; i++)
		if (d->forms.props[i].type_id == type &&
		    d->forms.props[i].sub_id == sub) {
			if (*n == 0)
				*first = i;
			(*n)++;
		}
}

/* An item's stored props as JSON (NULL: none or unreadable; a new
 * reference the caller puts). */
static json_object *
props_parse(const char *text)
{
	json_object	*j;

	if (text == NULL || (j = json_tokener_parse(text)) == NULL)
		return NULL;
	if (!json_object_is_type(j, json_type_object)) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

/* Properties of an item (or of one sub-asset row) as [{key, label,
 * value, value_text, retired}]; staff see retired ones too. */
static json_object *
prop_values(struct req *r, const struct advctx *x, const struct advdata *d,
    int64_t type, int64_t sub, json_object *vals, const char **summary)
{
	json_object	*arr = json_object_new_array();
	size_t		 first, n, i;

	props_of(d, type, sub, &first, &n);
	for (i = first; i < first + n; i++) {
		const struct asset_prop *p = &d->forms.props[i];
		const char	*v = jstr(vals, p->key);
		json_object	*o;
		struct rt_spec	 sp;
		const char	*txt;

		if (p->sub_id != sub || (p->retired && x->respondent))
			continue;
		adv_prop_spec(p, x->ec.ev.timezone, &sp);
		txt = v != NULL ? answer_display(r->a, &sp, v) : NULL;
		o = json_object_new_object();
		vset_str(o, "key", p->key);
		vset_str(o, "label", p->label);
		vset_obj(o, "value", answer_json(&sp, v));
		vset_str(o, "value_text", txt);
		vset_bool(o, "retired", p->retired);
		json_object_array_add(arr, o);
		if (summary != NULL && txt != NULL && *txt != '\0')
			*summary = *summary == NULL ? arena_printf(r->a,
			    "%s: %s", p->label, txt) : arena_printf(r->a,
			    "%s · %s: %s", *summary, p->label, txt);
	}
	return arr;
}

static json_object *
subs_values(struct req *r, const struct advctx *x, const struct advdata *d,
    int64_t type, json_object *subs)
{
	json_object	*arr = json_object_new_array();
	size_t		 i, k, first, n;

	for (i = 0; i < d->forms.nsubs; i++) {
		const struct asset_sub *s = &d->forms.subs[i];
		json_object	*o, *rows, *list = NULL, *cols;

		if (s->type_id != type || (s->retired && x->respondent))
			continue;
		o = json_object_new_object();
		vset_str(o, "key", s->key);
		vset_str(o, "label", s->label);
		cols = json_object_new_array();
		props_of(d, type, s->id, &first, &n);
		for (k = first; k < first + n; k++) {
			json_object	*c;

			if (d->forms.props[k].retired && x->respondent)
				continue;
			c = json_object_new_object();
			vset_str(c, "label", d->forms.props[k].label);
			json_object_array_add(cols, c);
		}
		vset_obj(o, "columns", cols);
		rows = json_object_new_array();
		if (subs != NULL)
			(void)json_object_object_get_ex(subs, s->key, &list);
		for (k = 0; list != NULL && json_object_is_type(list,
		    json_type_array) && k < json_object_array_length(list);
		    k++) {
			json_object	*row = json_object_new_object();

			vset_obj(row, "cells", prop_values(r, x, d, type, s->id,
			    json_object_array_get_idx(list, k), NULL));
			json_object_array_add(rows, row);
		}
		vset_int(o, "count", (long long)json_object_array_length(rows));
		vset_obj(o, "rows", rows);
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *
advblock_item(struct req *r, const struct advctx *x, const struct advdata *d,
    const struct advmod *m, const struct mblock *b, const struct lineitem *li,
    int can_answer, int can_review)
{
	json_object	*o = json_object_new_object(), *j, *rv;
	const char	*url = adv_item_url(r, x, m->id, li->id);
	const char	*summary = NULL;
	int		 approved = (li->op.state && !strcmp(li->op.state,
	    "approved")) || (li->res.state && !strcmp(li->res.state,
	    "approved"));
	int		 deletable;

	vset_int(o, "id", li->id);
	vset_int(o, "module_id", m->id);
	vset_int(o, "block_id", b->id);
	vset_int(o, "position", li->position);
	vset_int(o, "number", li->position + 1);
	vset_int(o, "version", li->version);
	vset_str(o, "etag", adv_etag_text(r, li->id, li->version));
	vset_str(o, "item_label", b->item_label);
	if (b->asset_type_id > 0) {
		j = props_parse(li->props);
		vset_bool(o, "has_asset_type", 1);
		vset_obj(o, "props", prop_values(r, x, d, b->asset_type_id, 0,
		    j != NULL ? json_object_object_get(j, "props") : NULL,
		    &summary));
		vset_obj(o, "subs", subs_values(r, x, d, b->asset_type_id,
		    j != NULL ? json_object_object_get(j, "subs") : NULL));
		if (j != NULL)
			json_object_put(j);
		vset_str(o, "description", NULL);
		vset_obj(o, "quantity", NULL);
		vset_str(o, "notes", NULL);
	} else {
		vset_bool(o, "has_asset_type", 0);
		vset_obj(o, "props", NULL);
		vset_obj(o, "subs", NULL);
		vset_str(o, "description", li->description);
		vset_int(o, "quantity", li->quantity);
		vset_str(o, "notes", li->notes);
		summary = li->description;
	}
	vset_str(o, "summary", summary != NULL ? summary : arena_printf(r->a,
	    "%s %lld", b->item_label, (long long)(li->position + 1)));
	vset_obj(o, "operational_approval", approval_json(r, x, &li->op,
	    b->needs_op));
	vset_obj(o, "resource_approval", approval_json(r, x, &li->res,
	    b->needs_res));
	vset_bool(o, "procurement_linked", li->procurement_linked);
	vset_str(o, "created_by_name", li->created_by_name);
	vset_time(o, "created_at", li->created_at, x->ec.ev.timezone);
	vset_str(o, "updated_by_name", li->updated_by_name);
	vset_time(o, "updated_at", li->updated_at, x->ec.ev.timezone);
	if (!x->respondent) {
		rv = json_object_new_object();
		vset_str(rv, "state", li->reviewed ? "reviewed" :
		    "needs_review");
		vset_bool(rv, "needs_review", !li->reviewed);
		vset_bool(rv, "reviewed", li->reviewed);
		vset_str(rv, "reviewed_by_name", li->reviewed_by_name);
		vset_time(rv, "reviewed_at", li->reviewed_at,
		    x->ec.ev.timezone);
		vset_bool(rv, "can_review", can_review && !li->reviewed);
		vset_str(rv, "review_url", can_review ? arena_printf(r->a,
		    "%s/review", url) : NULL);
		vset_int(rv, "version", li->version);
		vset_obj(o, "review", rv);
	} else
		vset_obj(o, "review", NULL);
	/* Respondents delete while nothing is approved; admins anything
	 * not tied to procurement (§13.7). */
	deletable = can_answer && !li->procurement_linked &&
	    (x->lv >= LV_ADMIN || !approved);
	vset_bool(o, "can_edit", can_answer && !li->procurement_linked);
	vset_bool(o, "can_delete", deletable);
	vset_str(o, "url", url);
	vset_str(o, "delete_url", deletable ? arena_printf(r->a, "%s/delete",
	    url) : NULL);
	vset_str(o, "approval_url", arena_printf(r->a, "%s/approval", url));
	return o;
}

/* The typed value of a field when re-shown (typed: {"name": "v" or
 * ["k", …]}). */
static void
typed_of(json_object *typed, const char *name, struct shown *sh,
    struct req *r)
{
	json_object	*v;
	size_t		 i, n;
	const char	**vals;

	if (typed == NULL || !json_object_object_get_ex(typed, name, &v))
		return;
	sh->use_typed = 1;
	if (v == NULL)
		return;
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		vals = arena_calloc(r->a, n + 1, sizeof(*vals));
		for (i = 0; i < n; i++)
			vals[i] = json_object_get_string(
			    json_object_array_get_idx(v, i));
		sh->tvals = vals;
		sh->ntvals = n;
		return;
	}
	sh->typed = json_object_get_string(v);
}

static const char *
error_of(struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, name) == 0)
			return r->errors[i].message;
	return NULL;
}

/* One property field of the item form. */
static json_object *
prop_field(struct req *r, const char *zone, const struct asset_prop *p,
    const char *name, const char *idp, const char *canon, json_object *typed,
    int disabled)
{
	json_object	*o = json_object_new_object();
	struct rt_spec	 sp;
	struct shown	 sh;

	adv_prop_spec(p, zone, &sp);
	memset(&sh, 0, sizeof(sh));
	sh.canon = canon;
	typed_of(typed, name, &sh, r);
	vset_str(o, "label", p->label);
	vset_bool(o, "required", p->required);
	vset_str(o, "error", typed != NULL ? error_of(r, name) : NULL);
	vset_obj(o, "input", input_json(r, &sp, name, arena_printf(r->a,
	    "%s-%s", idp, name), NULL, &sh, disabled, p->required));
	return o;
}

json_object *
advblock_item_form(struct req *r, const struct advdata *d,
    const struct mblock *b, const struct lineitem *li, json_object *typed,
    int disabled, const char *zone)
{
	json_object	*o = json_object_new_object(), *fields, *subs, *j = NULL;
	json_object	*pv = NULL, *sv = NULL;
	const char	*idp;
	size_t		 i, k, first, n;

	idp = arena_printf(r->a, "i%lld-%lld", (long long)b->id,
	    (long long)(li != NULL ? li->id : 0));
	vset_int(o, "block_id", b->id);
	vset_str(o, "item_label", b->item_label);
	vset_bool(o, "disabled", disabled);
	vset_int(o, "version", li != NULL ? li->version : 0);
	if (b->asset_type_id == 0) {
		struct shown	 sh;

		vset_bool(o, "has_asset_type", 0);
		memset(&sh, 0, sizeof(sh));
		typed_of(typed, "description", &sh, r);
		vset_str(o, "description", sh.use_typed ? sh.typed : li ?
		    li->description : NULL);
		memset(&sh, 0, sizeof(sh));
		typed_of(typed, "quantity", &sh, r);
		if (sh.use_typed)
			vset_str(o, "quantity", sh.typed);
		else
			vset_str(o, "quantity", arena_printf(r->a, "%lld",
			    (long long)(li ? li->quantity : 1)));
		memset(&sh, 0, sizeof(sh));
		typed_of(typed, "notes", &sh, r);
		vset_str(o, "notes", sh.use_typed ? sh.typed : li ? li->notes :
		    NULL);
		/* Messages only on the form that was sent. */
		vset_str(o, "description_error", typed ? error_of(r,
		    "description") : NULL);
		vset_str(o, "quantity_error", typed ? error_of(r, "quantity") :
		    NULL);
		vset_str(o, "notes_error", typed ? error_of(r, "notes") : NULL);
		vset_str(o, "id_prefix", idp);
		return o;
	}
	vset_bool(o, "has_asset_type", 1);
	vset_str(o, "asset_type_label", b->asset_type_label);
	vset_str(o, "id_prefix", idp);
	if (li != NULL && (j = props_parse(li->props)) != NULL) {
		pv = json_object_object_get(j, "props");
		sv = json_object_object_get(j, "subs");
	}
	fields = json_object_new_array();
	props_of(d, b->asset_type_id, 0, &first, &n);
	for (i = first; i < first + n; i++) {
		const struct asset_prop *p = &d->forms.props[i];

		if (p->retired || p->rtype == RT_FILE)
			continue;
		json_object_array_add(fields, prop_field(r, zone, p,
		    arena_printf(r->a, "p:%s", p->key), idp, jstr(pv, p->key),
		    typed, disabled));
	}
	vset_obj(o, "fields", fields);
	subs = json_object_new_array();
	for (i = 0; i < d->forms.nsubs; i++) {
		const struct asset_sub *s = &d->forms.subs[i];
		json_object	*so, *cols, *rows, *list = NULL;
		size_t		 have = 0, nrows, row, sf, sn;

		if (s->type_id != b->asset_type_id || s->retired)
			continue;
		if (sv != NULL && json_object_object_get_ex(sv, s->key, &list) &&
		    json_object_is_type(list, json_type_array))
			have = json_object_array_length(list);
		/* Re-shown: as many rows as were typed. */
		nrows = have + ADV_BLANK_ROWS;
		if (typed != NULL) {
			json_object	*tn;

			if (json_object_object_get_ex(typed, arena_printf(r->a,
			    "rows:%s", s->key), &tn))
				nrows = (size_t)json_object_get_int(tn);
		}
		if (nrows > ADV_ROWS_MAX)
			nrows = ADV_ROWS_MAX;
		so = json_object_new_object();
		vset_str(so, "key", s->key);
		vset_str(so, "label", s->label);
		vset_str(so, "rows_field", arena_printf(r->a, "rows:%s",
		    s->key));
		vset_int(so, "row_count", (long long)nrows);
		cols = json_object_new_array();
		props_of(d, b->asset_type_id, s->id, &sf, &sn);
		for (k = sf; k < sf + sn; k++) {
			json_object	*c;

			if (d->forms.props[k].retired ||
			    d->forms.props[k].rtype == RT_FILE)
				continue;
			c = json_object_new_object();
			vset_str(c, "label", d->forms.props[k].label);
			vset_bool(c, "required", d->forms.props[k].required);
			json_object_array_add(cols, c);
		}
		vset_obj(so, "columns", cols);
		rows = json_object_new_array();
		for (row = 0; row < nrows; row++) {
			json_object	*ro = json_object_new_object(), *cells;
			json_object	*vals = row < have ?
			    json_object_array_get_idx(list, row) : NULL;

			vset_int(ro, "n", (long long)row + 1);
			cells = json_object_new_array();
			for (k = sf; k < sf + sn; k++) {
				const struct asset_prop *p = &d->forms.props[k];

				if (p->retired || p->rtype == RT_FILE)
					continue;
				json_object_array_add(cells, prop_field(r, zone,
				    p, arena_printf(r->a, "s:%s:%zu:%s",
				    s->key, row, p->key), idp, typed != NULL ?
				    NULL : jstr(vals, p->key), typed,
				    disabled));
			}
			vset_obj(ro, "cells", cells);
			json_object_array_add(rows, ro);
		}
		vset_obj(so, "rows", rows);
		json_object_array_add(subs, so);
	}
	vset_obj(o, "subs", subs);
	vset_bool(o, "has_subs", json_object_array_length(subs) > 0);
	if (j != NULL)
		json_object_put(j);
	return o;
}

json_object *
advblock_request(struct req *r, const struct advctx *x,
    const struct advdata *d, const struct advmod *m, const struct mblock *b,
    const struct advform *form, int can_answer, int can_review)
{
	json_object	*o = json_object_new_object(), *items;
	int		 writable = can_answer && !b->retired;
	size_t		 i, n = 0;

	vset_str(o, "kind", "request");
	vset_bool(o, "is_request", 1);
	vset_int(o, "id", b->id);
	vset_int(o, "module_id", m->id);
	vset_str(o, "name", b->label != NULL && *b->label != '\0' ? b->label :
	    b->item_label);
	vset_str(o, "item_label", b->item_label);
	vset_bool(o, "retired", b->retired);
	vset_str(o, "asset_type_label", b->asset_type_id > 0 ?
	    b->asset_type_label : NULL);
	vset_bool(o, "has_asset_type", b->asset_type_id > 0);
	vset_bool(o, "needs_operational_approval", b->needs_op);
	vset_bool(o, "needs_resource_approval", b->needs_res);
	vset_bool(o, "needs_approval", b->needs_op || b->needs_res);
	if (b->max_items > 0)
		vset_int(o, "max_items", b->max_items);
	else
		vset_obj(o, "max_items", NULL);
	items = json_object_new_array();
	for (i = 0; d != NULL && i < d->nitems; i++) {
		if (d->items[i].module_id != m->id ||
		    d->items[i].block_id != b->id)
			continue;
		json_object_array_add(items, advblock_item(r, x, d, m, b,
		    &d->items[i], writable, can_review));
		n++;
	}
	vset_obj(o, "items", items);
	vset_int(o, "count", (long long)n);
	vset_bool(o, "has_items", n > 0);
	vset_bool(o, "show_review", !x->respondent);
	vset_bool(o, "full", b->max_items > 0 && (int64_t)n >= b->max_items);
	vset_bool(o, "can_add", writable && (b->max_items == 0 ||
	    (int64_t)n < b->max_items));
	vset_str(o, "add_url", writable ? arena_printf(r->a, "%s/line-items",
	    adv_mod_url(r, x, m->id)) : NULL);
	vset_bool(o, "add_open", form != NULL && form->item_block == b->id);
	vset_obj(o, "form", advblock_item_form(r, d, b, NULL,
	    form != NULL && form->item_block == b->id ? form->item_form : NULL,
	    !writable, x->ec.ev.timezone));
	return o;
}
