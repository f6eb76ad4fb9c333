/* advconfig.c — what the advancing configuration pages share (who may
 * read and change them, versions and ETags, the view's frame, icons,
 * select options as edited) and the module categories (PRODUCT §13.2).
 *
 * Access: the configuration belongs to the whole event. Staff — anyone
 * with advancing view through the Event domain, or an advancing grant
 * on an area or a collaborator other than their own — may read it;
 * people whose advancing comes only through their own collaborator
 * (respondents) get 404, as for anything they cannot see. Every change
 * needs Event-domain advancing admin (403 otherwise) on an active event
 * (409 when archived).
 *
 * Writes run in one transaction: the event's shared lock (an archive
 * waits for us), then the rows written FOR UPDATE, the reads, the
 * change and its audit entry. */
#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "deny.h"
#include "advances.h"
#include "advconfig.h"
#include "advperm.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/req.h"
#include "core/route.h"
#include "core/util.h"
#include "core/valid.h"
#include "db/db.h"
#include "eventctx.h"
#include "events.h"
#include "model/audit.h"
#include "model/event.h"
#include "model/modtpl.h"
#include "policy/answer.h"
#include "render/view.h"

#define OPTION_LABEL_MAX	200	/* code points */
#define OPTIONS_ALL_MAX		1000	/* active and retired */
#define OPTIONS_TEXT_MAX	60000	/* bytes: the TEXT column */

/* --- access -------------------------------------------------------------- */

/* Staff read the configuration; respondents (advancing only through
 * their own collaborator, as the event navigation decides) do not. */
static int
staff(const struct event_ctx *c)
{
	struct perm_target	 t, own;

	target_event(&t);
	if (perm_level(&c->actor, SEC_ADVANCING, &t) >= LV_VIEW)
		return 1;
	if (c->actor.event_user) {
		target_collab(&own, c->actor.collab_id);
		if (perm_level(&c->actor, SEC_ADVANCING, &own) >= LV_VIEW)
			return 0;
	}
	return event_level_somewhere(c, SEC_ADVANCING, LV_VIEW);
}


int
advcfg_gate(struct req *r, struct event_ctx *c, enum cfg_need need)
{
	struct perm_target	 t;
	int			 st;

	if ((st = event_gate(r, c, 0)) != 0)
		return st;
	if (!staff(c))
		return page_refuse(r, 404, "not-found", NULL);
	if (need == CFG_READ)
		return 0;
	if (!adv_event_admin(c)) {
		target_event(&t);
		return page_refuse(r, 403, "insufficient-permission",
		    arena_printf(r->a, "Changing the advancing configuration "
		    "needs admin access to advancing for the whole event; "
		    "you have %s.", level_name(perm_level(&c->actor,
		    SEC_ADVANCING, &t))));
	}
	if (need == CFG_WRITE && c->ev.archived)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	return 0;
}

int
advcfg_can_edit(const struct event_ctx *c)
{
	return adv_event_admin(c) && !c->ev.archived;
}

int
advcfg_begin(struct req *r, const struct event_ctx *c)
{
	int	 st;

	if (db_begin() != 0 || (st = event_lock_shared(r, c->ev.id)) < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 409, "event-archived", "This event is "
		    "archived: restore it before changing anything.");
	return 0;
}

int
advcfg_sent(struct req *r, int idx)
{
	return r->fmt == FMT_HTML ||
	    req_param(r, r->route->fields[idx].name) != NULL;
}

int
advcfg_need_version(struct req *r, int idx)
{
	if (r->in[idx].present || (r->fmt == FMT_JSON && r->if_match != NULL &&
	    *r->if_match != '\0'))
		return r->nerrors != 0;
	if (!advcfg_has_error(r, "version"))
		valid_error(r, "version", "required", "Version is required: "
		    "the version you saw (or an If-Match header).");
	return 1;
}

void
advcfg_read_required(struct req *r, int idx, const char *field,
    const char *msg, int force, const char **dst)
{
	if (!force && !advcfg_sent(r, idx))
		return;
	if (r->in[idx].present)
		*dst = r->in[idx].s;
	else if (!advcfg_has_error(r, field))
		valid_error(r, field, "required", msg);
}

void
advcfg_read_icon(struct req *r, int idx, const char **dst)
{
	if (!advcfg_sent(r, idx))
		return;
	*dst = r->in[idx].s != NULL ? r->in[idx].s : "";
	if (!advcfg_icon_valid(*dst))
		valid_error(r, "icon", "invalid", "Pick an icon from the "
		    "list.");
}

int
advcfg_has_error(struct req *r, const char *field)
{
	size_t	 i;

	for (i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].field, field) == 0)
			return 1;
	return 0;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b || (a == NULL ? *b == '\0' : *a == '\0');
	return strcmp(a, b) == 0;
}

json_object *
advcfg_change(json_object *ch, const char *key, const char *old,
    const char *new)
{
	json_object	*x;

	if (same(old, new))
		return ch;
	if (ch == NULL)
		ch = json_object_new_object();
	x = json_object_new_object();
	vset_str(x, "old", old);
	vset_str(x, "new", new);
	json_object_object_add(ch, key, x);
	return ch;
}

json_object *
advcfg_change_int(json_object *ch, const char *key, int64_t old, int64_t new)
{
	json_object	*x;

	if (old == new)
		return ch;
	if (ch == NULL)
		ch = json_object_new_object();
	x = json_object_new_object();
	vset_int(x, "old", old);
	vset_int(x, "new", new);
	json_object_object_add(ch, key, x);
	return ch;
}

void
advcfg_conflict_row(json_object *rows, const char *label, const char *yours,
    const char *current)
{
	json_object	*d;

	if (same(yours, current))
		return;
	d = json_object_new_object();
	vset_str(d, "label", label);
	vset_str(d, "yours", yours != NULL && *yours != '\0' ? yours :
	    "(empty)");
	vset_str(d, "current", current != NULL && *current != '\0' ?
	    current : "(empty)");
	json_object_array_add(rows, d);
}

json_object *
advcfg_conflict(json_object *rows)
{
	json_object	*o = json_object_new_object();

	vset_obj(o, "rows", json_object_get(rows));
	vset_bool(o, "has_rows", json_object_array_length(rows) > 0);
	return o;
}

/* --- the shapes every handler shares ------------------------------------ */

const char *
advcfg_plural(struct req *r, int64_t n, const char *one, const char *many)
{
	return arena_printf(r->a, "%lld %s", (long long)n, n == 1 ? one :
	    many);
}

int
advcfg_page(struct req *r, int status, const char *tmpl, const char *title,
    json_object *v)
{
	if (db_in_txn())
		db_rollback();
	if (status == 422)
		return render_invalid(r, tmpl, title, v);
	return render_page(r, status, tmpl, title, v);
}

json_object *
advcfg_new_view(struct req *r, const struct event_ctx *c,
    const struct advcfg_new *n, json_object *form)
{
	json_object	*v = advcfg_view(r, c, n->tab);

	vset_obj(v, "form", form);
	vset_str(v, "action_url", advcfg_url(r, c, n->list_suffix));
	vset_str(v, "list_url", advcfg_url(r, c, n->list_suffix));
	vset_str(v, "list_label", n->list_label);
	vset_str(v, "new_title", arena_printf(r->a, "New %s", n->what));
	vset_str(v, "new_next", n->next);
	vset_str(v, "create_label", arena_printf(r->a, "Create %s",
	    n->what));
	return v;
}

int
advcfg_new_form(struct req *r, int (*page)(struct req *, int,
    const struct event_ctx *, int))
{
	struct event_ctx c;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	return page(r, 200, &c, 0);
}

int
advcfg_new_page(struct req *r, int status, const char *tmpl,
    const struct advcfg_new *n, json_object *v)
{
	return advcfg_page(r, status, tmpl, arena_printf(r->a, "New %s",
	    n->what), v);
}

void
advcfg_list_into(json_object *v, json_object *items, size_t n)
{
	vset_obj(v, "items", items);
	vset_obj(v, "next_cursor", NULL);	/* one page: the model's cap */
	vset_int(v, "count", (long long)n);
}

int
advcfg_found(struct req *r, int st)
{
	if (st < 0)
		return 503;
	if (st == 0)
		return page_refuse(r, 404, "not-found", NULL);
	return 0;
}

int
advcfg_begin_id(struct req *r, const struct event_ctx *c, int64_t id)
{
	if (id <= 0)
		return page_refuse(r, 404, "not-found", NULL);
	return advcfg_begin(r, c);
}

int
advcfg_version_stale(struct req *r, int idx, int64_t version)
{
	return r->in[idx].present && r->in[idx].i != version;
}

int
advcfg_stale(struct req *r, const char *name, int64_t version,
    json_object **rows)
{
	if (r->fmt == FMT_JSON) {
		if (*rows != NULL)
			json_object_put(*rows);
		*rows = NULL;
		return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
		    "%s was changed by someone else meanwhile (now version "
		    "%lld). Nothing was saved.", name, (long long)version));
	}
	/* The 409 page shows the stored values: the form's errors are
	 * beside the point now. */
	r->nerrors = 0;
	log_msg(LOG_INFO, "decision=deny reason=edit-conflict");
	if (*rows == NULL)
		*rows = json_object_new_array();
	return 0;
}

int
advcfg_commit(struct req *r, const struct event_ctx *c, const char *action,
    const char *type, int64_t id, const char *name, json_object *ch)
{
	int	 st;

	st = audit(r, c->ev.org_id, c->ev.id, action, type, id, name, ch);
	json_object_put(ch);
	if (st != 0 || db_commit() != 0)
		return 503;
	return 0;
}

int
advcfg_json_written(struct req *r, int status, const char *key,
    json_object *obj, int64_t id, int64_t version, const char *location,
    const char *result)
{
	json_object	*v = view_new(r);

	vset_obj(v, key, obj);
	if (result != NULL)
		vset_str(v, "result", result);
	if (obj != NULL)
		(void)page_etag(r, id, version);
	if (status == 201 && location != NULL)
		resp_header(r, "Location", arena_printf(r->a, "/api/v1%s",
		    location));
	return render_json(r, status, v);
}

int
advcfg_redirect(struct req *r, const char *msg, const char *url,
    const char *anchor)
{
	flash(r, "ok", msg);
	return render_redirect(r, anchor != NULL ? arena_printf(r->a, "%s#%s",
	    url, anchor) : url);
}

int
advcfg_delete_stale(struct req *r, const char *name, int64_t version)
{
	return page_refuse(r, 409, "edit-conflict", arena_printf(r->a,
	    "%s changed after you opened the confirmation (now version "
	    "%lld); nothing was deleted.", name, (long long)version));
}

int
advcfg_in_use(struct req *r, const char *why)
{
	if (r->fmt == FMT_JSON)
		return page_refuse(r, 409, "in-use", why);
	if (db_in_txn())
		db_rollback();
	log_msg(LOG_INFO, "decision=deny reason=in-use");
	return 0;
}

int
advcfg_delete_page(struct req *r, int status, const char *tmpl,
    const char *name, json_object *v)
{
	return render_page(r, status, tmpl, arena_printf(r->a, "Delete %s",
	    name), v);
}

int
advcfg_deleted(struct req *r, const struct event_ctx *c,
    const char *list_suffix, const char *msg)
{
	if (r->fmt == FMT_JSON)
		return render_text(r, 204, NULL, "", 0);
	return advcfg_redirect(r, msg, advcfg_url(r, c, list_suffix), NULL);
}

void
advcfg_form_state(json_object *form, int mine, int failed,
    json_object *conflict)
{
	if (mine) {
		vset_bool(form, "open", 1);
		if (conflict != NULL)
			vset_obj(form, "conflict", advcfg_conflict(conflict));
	} else if (failed)
		vset_obj(form, "field_errors", json_object_new_object());
}

int
advcfg_row_invalid(struct req *r, int removal)
{
	if (removal)
		return advcfg_need_version(r, CFGDEL_VERSION) != 0;
	return r->nerrors != 0;
}

int
advcfg_row_stale(struct req *r, int removal, int64_t version)
{
	return advcfg_version_stale(r, removal ? CFGDEL_VERSION :
	    CFGMOVE_VERSION, version);
}

void
advcfg_row_json(struct req *r, json_object *o, const char *url, size_t i,
    size_t n, const char *label)
{
	vset_str(o, "url", url);
	vset_str(o, "move_url", arena_printf(r->a, "%s/move", url));
	vset_str(o, "delete_url", arena_printf(r->a, "%s/delete", url));
	vset_str(o, "order_label", label);
	vset_bool(o, "can_up", i > 0);
	vset_bool(o, "can_down", i + 1 < n);
	vset_int(o, "up_position", i > 0 ? (long long)i - 1 : 0);
	vset_int(o, "down_position", (long long)i + 1);
}

int64_t
advcfg_move_to(struct req *r, size_t n)
{
	int64_t	 to = r->in[CFGMOVE_POSITION].i;

	return to > (int64_t)n - 1 ? (int64_t)n - 1 : to;
}

void
advcfg_name_taken(struct req *r, const char *what, const char *name)
{
	valid_error(r, "name", "taken", arena_printf(r->a, "There is "
	    "already %s named “%s” in this event.", what, name));
}

/* --- the frame of every page --------------------------------------------- */

const char *
advcfg_url(struct req *r, const struct event_ctx *c, const char *suffix)
{
	return arena_printf(r->a, "/events/%lld%s", (long long)c->ev.id,
	    suffix);
}

json_object *
advcfg_view(struct req *r, const struct event_ctx *c, const char *tab)
{
	json_object	*v = view_new(r);

	event_header_into(r, v, c, "advancing");
	/* The advancing sub-navigation has no entry of its own for
	 * categories: they are reached from the module templates. */
	if (strcmp(tab, "categories") == 0)
		tab = "module-templates";
	vset_obj(v, "subnav", adv_subnav_json(r, c, tab));
	vset_bool(v, "can_edit", advcfg_can_edit(c));
	vset_str(v, "timezone", c->ev.timezone);
	return v;
}

/* --- icons --------------------------------------------------------------- */

static const struct {
	const char	*name, *label, *glyph;
} icons[] = {
	{ "box", "Box", "📦" },
	{ "speaker", "Speaker", "🔊" },
	{ "microphone", "Microphone", "🎤" },
	{ "light", "Light", "💡" },
	{ "power", "Power", "⚡" },
	{ "music", "Music", "🎵" },
	{ "stage", "Stage", "🎭" },
	{ "camera", "Camera", "📷" },
	{ "food", "Food", "🍽️" },
	{ "drink", "Drink", "🥤" },
	{ "bed", "Accommodation", "🛏️" },
	{ "car", "Car", "🚗" },
	{ "truck", "Truck", "🚚" },
	{ "plane", "Travel", "✈️" },
	{ "badge", "Credentials", "🪪" },
	{ "people", "People", "👥" },
	{ "tools", "Tools", "🔧" },
	{ "tent", "Tent", "⛺" },
	{ "wifi", "Network", "📶" },
	{ "shield", "Safety", "🛡️" },
	{ "clipboard", "Checklist", "📋" },
	{ "star", "Star", "⭐" },
};

int
advcfg_icon_valid(const char *s)
{
	size_t	 i;

	if (s == NULL || *s == '\0')
		return 1;
	for (i = 0; i < countof(icons); i++)
		if (strcmp(s, icons[i].name) == 0)
			return 1;
	return 0;
}

const char *
advcfg_icon_glyph(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < countof(icons); i++)
		if (strcmp(s, icons[i].name) == 0)
			return icons[i].glyph;
	return NULL;
}

json_object *
advcfg_icons_json(const char *selected)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	o = json_object_new_object();
	vset_str(o, "value", "");
	vset_str(o, "label", "No icon");
	vset_str(o, "glyph", "");
	vset_bool(o, "selected", selected == NULL || *selected == '\0');
	json_object_array_add(a, o);
	for (i = 0; i < countof(icons); i++) {
		o = json_object_new_object();
		vset_str(o, "value", icons[i].name);
		vset_str(o, "label", icons[i].label);
		vset_str(o, "glyph", icons[i].glyph);
		vset_bool(o, "selected", selected != NULL &&
		    strcmp(selected, icons[i].name) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

/* --- select options as edited -------------------------------------------- */

/* One option the request lists. */
struct want {
	const char	*key;		/* a current option's key; NULL: new */
	const char	*label;
	int		 retired;
};

static char *
trim_ws(struct arena *a, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	return arena_strndup(a, s, n);
}

static const struct rt_option *
find_opt(const struct rt_option *o, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; key != NULL && i < n; i++)
		if (strcmp(o[i].key, key) == 0)
			return &o[i];
	return NULL;
}

/* "Label", or "key | Label" when key is one of the current options
 * (else the whole line is the label of a new option). */
static void
parse_line(struct req *r, const char *line, size_t len,
    const struct rt_option *cur, size_t ncur, struct want *w)
{
	const char	*bar = memchr(line, '|', len);
	char		*k;

	memset(w, 0, sizeof(*w));
	if (bar != NULL) {
		k = trim_ws(r->a, line, (size_t)(bar - line));
		if (find_opt(cur, ncur, k) != NULL) {
			w->key = k;
			w->label = trim_ws(r->a, bar + 1,
			    len - (size_t)(bar + 1 - line));
			return;
		}
	}
	w->label = trim_ws(r->a, line, len);
}

static int
bad_options(struct req *r, const char *field, const char *msg)
{
	if (!advcfg_has_error(r, field))
		valid_error(r, field, "invalid", msg);
	return 1;
}

static struct want *
push_want(struct req *r, struct want *w, size_t *n, size_t *cap,
    const struct want *x)
{
	w = arena_grow(r->a, w, *n, cap, sizeof(*w));
	w[(*n)++] = *x;
	return w;
}

/* The options of a JSON body: [{key?, label, retired?}] or labels. */
static int
json_wants(struct req *r, const char *field, json_object *ja,
    const struct rt_option *cur, size_t ncur, struct want **wp, size_t *np)
{
	struct want	*w = NULL, x;
	size_t		 cap = 0, len, i;

	if (!json_object_is_type(ja, json_type_array))
		return bad_options(r, field, "Options must be a list of "
		    "{\"key\", \"label\"} objects or of labels.");
	len = json_object_array_length(ja);
	if (len > OPTIONS_ALL_MAX)
		return bad_options(r, field, "A question has at most 200 "
		    "options.");
	for (i = 0; i < len; i++) {
		json_object	*e = json_object_array_get_idx(ja, i), *k, *l,
				*rt;
		const char	*s;

		memset(&x, 0, sizeof(x));
		if (json_object_is_type(e, json_type_string)) {
			s = json_object_get_string(e);
			parse_line(r, s, strlen(s), cur, ncur, &x);
		} else if (json_object_is_type(e, json_type_object) &&
		    json_object_object_get_ex(e, "label", &l) &&
		    json_object_is_type(l, json_type_string)) {
			s = json_object_get_string(l);
			x.label = trim_ws(r->a, s, strlen(s));
			if (json_object_object_get_ex(e, "key", &k) &&
			    k != NULL) {
				x.key = json_object_get_string(k);
				if (!json_object_is_type(k, json_type_string) ||
				    find_opt(cur, ncur, x.key) == NULL)
					return bad_options(r, field,
					    arena_printf(r->a, "“%s” is not the "
					    "key of one of these options; leave "
					    "key out for a new option.",
					    x.key));
			}
			x.retired = json_object_object_get_ex(e, "retired",
			    &rt) && json_object_get_boolean(rt);
		} else
			return bad_options(r, field, "Each option needs a "
			    "label.");
		w = push_want(r, w, np, &cap, &x);
	}
	*wp = w;
	return 0;
}

/* The textarea: one option a line, empty lines skipped. */
static int
text_wants(struct req *r, const char *field, const char *s,
    const struct rt_option *cur, size_t ncur, struct want **wp, size_t *np)
{
	struct want	*w = NULL, x;
	size_t		 cap = 0, len;
	const char	*e;

	while (s != NULL && *s != '\0') {
		e = strchr(s, '\n');
		len = e != NULL ? (size_t)(e - s) : strlen(s);
		parse_line(r, s, len, cur, ncur, &x);
		if (*x.label != '\0' || x.key != NULL) {
			if (*np >= OPTIONS_ALL_MAX)
				return bad_options(r, field, "A question has "
				    "at most 200 options.");
			w = push_want(r, w, np, &cap, &x);
		}
		s = e != NULL ? e + 1 : s + len;
	}
	*wp = w;
	return 0;
}

/* Labels present, short, without tabs or controls; keys and the labels
 * of offered options each once. */
static int
check_wants(struct req *r, const char *field, const struct want *w,
    size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (*w[i].label == '\0')
			return bad_options(r, field, "Each option needs a "
			    "label.");
		if (!utf8_valid(w[i].label, strlen(w[i].label)) ||
		    has_controls(w[i].label, 0) || strchr(w[i].label, '\t'))
			return bad_options(r, field, "Option labels can't "
			    "contain tabs or control characters.");
		if (utf8_len(w[i].label, strlen(w[i].label)) >
		    OPTION_LABEL_MAX)
			return bad_options(r, field, "An option label is at "
			    "most 200 characters.");
		for (j = 0; j < i; j++) {
			if (w[i].key != NULL && w[j].key != NULL &&
			    strcmp(w[i].key, w[j].key) == 0)
				return bad_options(r, field, arena_printf(r->a,
				    "The option %s is listed twice.",
				    w[i].key));
			if (!w[i].retired && !w[j].retired &&
			    ascii_casecmp(w[i].label, w[j].label) == 0)
				return bad_options(r, field, arena_printf(r->a,
				    "“%s” is listed twice.", w[i].label));
		}
	}
	return 0;
}

/* The number after "o" of the highest key: new keys count on from it. */
static size_t
next_key(const struct rt_option *cur, size_t ncur)
{
	size_t	 i, next = 1;
	char	*end;

	for (i = 0; i < ncur; i++)
		if (cur[i].key[0] == 'o') {
			unsigned long long k = strtoull(cur[i].key + 1, &end,
			    10);

			if (*end == '\0' && end != cur[i].key + 1 &&
			    k >= next && k < 1000000)
				next = (size_t)k + 1;
		}
	return next;
}

static int
listed(const struct want *w, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (w[i].key != NULL && strcmp(w[i].key, key) == 0)
			return 1;
	return 0;
}

const char *
advcfg_options_field(const struct req *r)
{
	return r->json != NULL ? "options" : "options_text";
}

int
advcfg_options_read(struct req *r, const char *field, int idx_text,
    int idx_restore, const struct rt_option *cur, size_t ncur,
    struct optedit *oe)
{
	const struct input *rs = &r->in[idx_restore];
	json_object	*ja = NULL;
	struct want	*w = NULL, x;
	size_t		 nw = 0, cap, i, next;
	int		 pass;

	memset(oe, 0, sizeof(*oe));
	if (r->json != NULL && json_object_object_get_ex(r->json, "options",
	    &ja) && ja != NULL) {
		if (json_wants(r, field, ja, cur, ncur, &w, &nw) != 0)
			return 1;
	} else if (advcfg_sent(r, idx_text)) {
		if (text_wants(r, field, r->in[idx_text].s, cur, ncur, &w,
		    &nw) != 0)
			return 1;
	} else
		return 0;
	oe->given = 1;
	/* Retired options ticked to be offered again. */
	cap = nw;
	for (i = 0; i < rs->nmulti; i++) {
		const struct rt_option *o = find_opt(cur, ncur, rs->multi[i]);

		if (o == NULL || !o->retired || listed(w, nw, o->key))
			continue;
		memset(&x, 0, sizeof(x));
		x.key = o->key;
		x.label = o->label;
		w = push_want(r, w, &nw, &cap, &x);
	}
	if (check_wants(r, field, w, nw) != 0)
		return 1;
	oe->opts = arena_calloc(r->a, nw + ncur + 1, sizeof(*oe->opts));
	oe->dropped = arena_calloc(r->a, ncur + 1, sizeof(*oe->dropped));
	next = next_key(cur, ncur);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nw; i++) {
			struct rt_option *o;

			if (w[i].retired != pass)
				continue;
			o = &oe->opts[oe->nopts++];
			o->key = w[i].key != NULL ? w[i].key :
			    arena_printf(r->a, "o%zu", next++);
			o->label = w[i].label;
			o->retired = pass;
		}
	for (i = 0; i < ncur; i++) {
		if (listed(w, nw, cur[i].key))
			continue;
		if (cur[i].retired)
			oe->opts[oe->nopts++] = cur[i];
		else
			oe->dropped[oe->ndropped++] = cur[i];
	}
	if (oe->nopts > OPTIONS_ALL_MAX)
		return bad_options(r, field, "Too many options, retired ones "
		    "included.");
	return 0;
}

size_t
advcfg_options_active(const struct optedit *oe)
{
	size_t	 i, n = 0;

	for (i = 0; i < oe->nopts; i++)
		if (!oe->opts[i].retired)
			n++;
	return n;
}

void
advcfg_options_keep_used(struct req *r, struct optedit *oe,
    char *const *values, size_t nvalues)
{
	size_t	 i, j;

	(void)r;
	for (i = 0; i < oe->ndropped; i++)
		for (j = 0; j < nvalues; j++)
			if (advcfg_value_has_key(values[j],
			    oe->dropped[i].key)) {
				/* In use: retired, never removed. */
				oe->opts[oe->nopts] = oe->dropped[i];
				oe->opts[oe->nopts++].retired = 1;
				oe->dropped[i].retired = 1;
				break;
			}
}

char *
advcfg_options_text(struct req *r, const char *field,
    const struct optedit *oe)
{
	char	*s = rt_options_text(r->a, oe->opts, oe->nopts);

	if (strlen(s) > OPTIONS_TEXT_MAX) {
		bad_options(r, field, "The options are too long in total; "
		    "shorten their labels.");
		return NULL;
	}
	return s;
}

const char *
advcfg_options_lines(struct req *r, const struct rt_option *o, size_t n)
{
	const char	*s = "";
	size_t		 i;

	for (i = 0; i < n; i++)
		if (!o[i].retired)
			s = arena_printf(r->a, "%s%s | %s\n", s, o[i].key,
			    o[i].label);
	return s;
}

json_object *
advcfg_options_retired(const struct rt_option *o, size_t n)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		if (o[i].retired) {
			json_object	*x = json_object_new_object();

			vset_str(x, "key", o[i].key);
			vset_str(x, "label", o[i].label);
			json_object_array_add(a, x);
		}
	return a;
}

static int
keych(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int
advcfg_value_has_key(const char *v, const char *key)
{
	size_t		 kl = strlen(key);
	const char	*p = v, *s;

	while (p != NULL && *p != '\0') {
		while (*p != '\0' && !keych(*p))
			p++;
		s = p;
		while (*p != '\0' && keych(*p))
			p++;
		if ((size_t)(p - s) == kl && kl > 0 && memcmp(s, key, kl) == 0)
			return 1;
	}
	return 0;
}

/* --- module categories --------------------------------------------------- */

static const char *
cat_url(struct req *r, const struct event_ctx *c, int64_t id,
    const char *suffix)
{
	return arena_printf(r->a, "/events/%lld/module-categories/%lld%s",
	    (long long)c->ev.id, (long long)id, suffix);
}

/* One category for the page: links, order controls and its form (with
 * typed values when it is the one being edited). */
static json_object *
cat_item(struct req *r, const struct event_ctx *c, const struct mcat *k,
    size_t i, size_t n, json_object *typed)
{
	json_object	*o = modtpl_cat_json(r, k), *f;
	const char	*icon = k->icon;

	vset_str(o, "icon_glyph", advcfg_icon_glyph(k->icon));
	advcfg_row_json(r, o, cat_url(r, c, k->id, ""), i, n, k->name);
	vset_bool(o, "can_delete", k->ntemplates == 0);
	vset_str(o, "templates_label", advcfg_plural(r, k->ntemplates,
	    "module template", "module templates"));
	f = json_object_new_object();
	vset_str(f, "name", k->name);
	if (typed != NULL) {
		json_object_object_foreach(typed, key, val)
			json_object_object_add(f, key, json_object_get(val));
		icon = json_object_get_string(json_object_object_get(typed,
		    "icon"));
	}
	vset_obj(f, "icons", advcfg_icons_json(icon));
	vset_obj(o, "form", f);
	return o;
}

/* The page: every category in order. open_id: the one whose form is
 * open (typed holds what was sent, conflict the 409 rows); open_id 0
 * with typed: the new-category form failed. With errors, the forms
 * that did not fail hide them. */
static json_object *
cats_view(struct req *r, const struct event_ctx *c, const struct mcat *cs,
    size_t n, int64_t open_id, json_object *typed, json_object *conflict)
{
	json_object	*v = advcfg_view(r, c, "categories"), *items, *nf;
	const char	*icon = NULL;
	size_t		 i;
	int		 failed = typed != NULL || conflict != NULL;

	items = json_object_new_array();
	for (i = 0; i < n; i++) {
		int		 mine = open_id != 0 && cs[i].id == open_id;
		json_object	*o = cat_item(r, c, &cs[i], i, n, mine ?
		    typed : NULL);

		advcfg_form_state(o, mine, failed, conflict);
		json_object_array_add(items, o);
	}
	advcfg_list_into(v, items, n);
	vset_str(v, "create_url", advcfg_url(r, c, "/module-categories"));
	vset_str(v, "templates_url", advcfg_url(r, c, "/module-templates"));
	nf = json_object_new_object();
	if (open_id == 0 && typed != NULL) {
		json_object_object_foreach(typed, key, val)
			json_object_object_add(nf, key, json_object_get(val));
		icon = json_object_get_string(json_object_object_get(typed,
		    "icon"));
	} else if (failed)
		vset_obj(nf, "field_errors", json_object_new_object());
	vset_obj(nf, "icons", advcfg_icons_json(icon));
	vset_obj(v, "new_form", nf);
	return v;
}

/* What the form sent, to show it again. */
static json_object *
cat_typed(struct req *r)
{
	json_object	*t = json_object_new_object();

	vset_str(t, "name", r->in[MCAT_NAME].s);
	vset_str(t, "icon", r->in[MCAT_ICON].s);
	return t;
}

static int
cats_page(struct req *r, int status, const struct event_ctx *c,
    int64_t open_id, json_object *typed, json_object *conflict,
    const char *refusal)
{
	struct mcat	*cs;
	json_object	*v;
	size_t		 n;

	/* The request's, whatever happens: the view takes its own
	 * references. */
	if (typed != NULL)
		(void)req_own_json(r, typed);
	if (conflict != NULL)
		(void)req_own_json(r, conflict);
	if (db_in_txn())
		db_rollback();
	if ((cs = modtpl_cat_list(r, c->ev.id, &n)) == NULL && n != 0)
		return 503;
	v = cats_view(r, c, cs, n, open_id, typed, conflict);
	vset_str(v, "refusal", refusal);
	return advcfg_page(r, status, "advconfig/categories",
	    "Module categories", v);
}

/* GET /events/{event}/module-categories — 200 every category in order
 * with its template count ({"items": […]}); 404 not staff. */
int
h_mcats(struct req *r)
{
	struct event_ctx c;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	return cats_page(r, 200, &c, 0, NULL, NULL, NULL);
}

/* GET /events/{event}/module-categories/{id} — 200 the category (JSON
 * {"module_category"} with its ETag; HTML the list with its form
 * open); 404. */
int
h_mcat(struct req *r)
{
	struct event_ctx c;
	struct mcat	 k;
	json_object	*v;
	int64_t		 id = req_pathvar_id(r, 1);
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_READ)) != 0)
		return st;
	if ((st = advcfg_found(r, id > 0 ? modtpl_cat_get(r, c.ev.id, id,
	    &k) : 0)) != 0)
		return st;
	if (page_etag(r, k.id, k.version))
		return 304;
	if (r->fmt == FMT_JSON) {
		v = view_new(r);
		vset_obj(v, "module_category", modtpl_cat_json(r, &k));
		return render_json(r, 200, v);
	}
	return cats_page(r, 200, &c, k.id, NULL, NULL, NULL);
}

/* Name and icon as sent; absent (JSON) keeps cur's. */
static void
cat_read(struct req *r, const struct mcat *cur, const char **name,
    const char **icon)
{
	*name = cur != NULL ? cur->name : NULL;
	*icon = cur != NULL ? cur->icon : "";
	advcfg_read_required(r, MCAT_NAME, "name", "Name is required.",
	    cur == NULL, name);
	advcfg_read_icon(r, MCAT_ICON, icon);
}

static int
cat_written(struct req *r, const struct event_ctx *c, int64_t id,
    int status, const char *msg)
{
	struct mcat	 k;

	if (r->fmt == FMT_JSON) {
		if (modtpl_cat_get(r, c->ev.id, id, &k) != 1)
			return 503;
		return advcfg_json_written(r, status, "module_category",
		    modtpl_cat_json(r, &k), k.id, k.version, cat_url(r, c, id,
		    ""), NULL);
	}
	return advcfg_redirect(r, msg, advcfg_url(r, c, "/module-categories"),
	    NULL);
}

/* POST /events/{event}/module-categories — 303 to the list (201 JSON
 * with the category): a category added last. 403 without Event-domain
 * advancing admin; 404; 409 archived; 422 name missing or taken, an
 * unknown icon. */
int
h_mcat_create(struct req *r)
{
	struct event_ctx c;
	struct mcat	*cs;
	const char	*name, *icon;
	json_object	*ch;
	int64_t		 id;
	size_t		 n;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	cat_read(r, NULL, &name, &icon);
	if (r->nerrors)
		return cats_page(r, 422, &c, 0, cat_typed(r), NULL, NULL);
	if ((st = advcfg_begin(r, &c)) != 0)
		return st;
	if ((cs = modtpl_cat_list_lock(r, c.ev.id, &n)) == NULL &&
	    n == (size_t)-1)
		return 503;
	if ((st = modtpl_cat_name_taken(r, c.ev.id, name, 0)) < 0)
		return 503;
	if (st)
		advcfg_name_taken(r, "a category", name);
	if (r->nerrors)
		return cats_page(r, 422, &c, 0, cat_typed(r), NULL, NULL);
	if ((id = modtpl_cat_insert(r, c.ev.id, name, icon)) < 0)
		return 503;
	if (id == 0) {
		advcfg_name_taken(r, "a category", name);
		return cats_page(r, 409, &c, 0, cat_typed(r), NULL, NULL);
	}
	ch = advcfg_change(NULL, "name", NULL, name);
	ch = advcfg_change(ch, "icon", NULL, icon);
	if (advcfg_commit(r, &c, "module_category.created", "module_category",
	    id, name, ch) != 0)
		return 503;
	return cat_written(r, &c, id, 201, arena_printf(r->a, "The category "
	    "%s was added.", name));
}

static struct mcat *
cat_find(struct mcat *cs, size_t n, int64_t id, size_t *at)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (cs[i].id == id) {
			if (at != NULL)
				*at = i;
			return &cs[i];
		}
	return NULL;
}

/* Lock every category and find {id}: 0, or the status sent. */
static int
cat_locked(struct req *r, const struct event_ctx *c, struct mcat **csp,
    size_t *np, struct mcat **kp, size_t *at)
{
	int64_t	 id = req_pathvar_id(r, 1);
	int	 st;

	if ((st = advcfg_begin_id(r, c, id)) != 0)
		return st;
	if ((*csp = modtpl_cat_list_lock(r, c->ev.id, np)) == NULL &&
	    *np == (size_t)-1)
		return 503;
	if ((*kp = cat_find(*csp, *np, id, at)) == NULL)
		return page_refuse(r, 404, "not-found", NULL);
	if (page_if_match_stale(r, (*kp)->id, (*kp)->version))
		return 412;
	return 0;
}

/* POST /events/{event}/module-categories/{id} — 303 (200 JSON with the
 * new ETag): name and icon changed. 403; 404; 409 archived or a stale
 * version (the page shows both values); 412 stale If-Match; 422. */
int
h_mcat_update(struct req *r)
{
	struct event_ctx c;
	struct mcat	*cs, *k;
	const char	*name, *icon;
	json_object	*ch, *rows;
	size_t		 n, at;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if ((st = cat_locked(r, &c, &cs, &n, &k, &at)) != 0)
		return st;
	cat_read(r, k, &name, &icon);
	if (advcfg_version_stale(r, MCAT_VERSION, k->version)) {
		if (r->fmt == FMT_JSON)
			return page_refuse(r, 409, "edit-conflict",
			    arena_printf(r->a, "The category was changed by "
			    "someone else meanwhile (now version %lld, you "
			    "sent %lld). Nothing was saved.",
			    (long long)k->version,
			    (long long)r->in[MCAT_VERSION].i));
		rows = json_object_new_array();
		advcfg_conflict_row(rows, "Name", name, k->name);
		advcfg_conflict_row(rows, "Icon", icon, k->icon);
		r->nerrors = 0;
		return cats_page(r, 409, &c, k->id, cat_typed(r), rows, NULL);
	}
	if (r->nerrors)
		return cats_page(r, 422, &c, k->id, cat_typed(r), NULL, NULL);
	if (same(name, k->name) && same(icon, k->icon)) {
		db_rollback();
		return cat_written(r, &c, k->id, 200, "Nothing was changed.");
	}
	if ((st = modtpl_cat_name_taken(r, c.ev.id, name, k->id)) < 0)
		return 503;
	if (st) {
		advcfg_name_taken(r, "a category", name);
		return cats_page(r, 422, &c, k->id, cat_typed(r), NULL, NULL);
	}
	if ((st = modtpl_cat_update(r, c.ev.id, k->id, k->version, name,
	    icon)) < 0)
		return 503;
	if (st != 1) {
		advcfg_name_taken(r, "a category", name);
		return cats_page(r, 409, &c, k->id, cat_typed(r), NULL, NULL);
	}
	ch = advcfg_change(NULL, "name", k->name, name);
	ch = advcfg_change(ch, "icon", k->icon, icon);
	if (advcfg_commit(r, &c, "module_category.updated", "module_category",
	    k->id, name, ch) != 0)
		return 503;
	return cat_written(r, &c, k->id, 200, arena_printf(r->a, "The "
	    "category %s was saved.", name));
}

/* POST /events/{event}/module-categories/{id}/move — 303 (200 JSON): the
 * category moves to position (0 first, past the end last). 403; 404;
 * 409 archived or a stale version; 412; 422 no position. */
int
h_mcat_move(struct req *r)
{
	struct event_ctx c;
	struct mcat	*cs, *k;
	json_object	*ch;
	int64_t		 to;
	size_t		 n, at;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if (r->nerrors)
		return cats_page(r, 422, &c, 0, NULL, NULL, NULL);
	if ((st = cat_locked(r, &c, &cs, &n, &k, &at)) != 0)
		return st;
	if (advcfg_version_stale(r, CFGMOVE_VERSION, k->version))
		return page_refuse(r, 409, "edit-conflict", "The category "
		    "changed after you loaded the page; nothing was moved.");
	to = advcfg_move_to(r, n);
	if (modtpl_cat_move(r, c.ev.id, k, cs[to].position) != 0)
		return 503;
	ch = advcfg_change_int(NULL, "position", (int64_t)at, to);
	if (advcfg_commit(r, &c, "module_category.moved", "module_category",
	    k->id, k->name, ch) != 0)
		return 503;
	return cat_written(r, &c, k->id, 200, arena_printf(r->a, "The "
	    "category %s was moved.", k->name));
}

/* "A, B and 3 more" of the names in a [{name}] list. */
static const char *
names_text(struct req *r, json_object *a, const char *key)
{
	const char	*s = "";
	size_t		 i, n = json_object_array_length(a);

	for (i = 0; i < n && i < 10; i++)
		s = arena_printf(r->a, "%s%s%s", s, i == 0 ? "" : ", ",
		    json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(a, i), key)));
	if (n > 10)
		s = arena_printf(r->a, "%s and %zu more", s, n - 10);
	return s;
}

/* POST /events/{event}/module-categories/{id}/delete — 303 (204 JSON).
 * 403; 404; 409 archived, a stale version or in-use (its templates
 * named); 412; 422 no version. */
int
h_mcat_delete(struct req *r)
{
	struct event_ctx c;
	struct mcat	*cs, *k;
	json_object	*users, *ch;
	const char	*why;
	size_t		 n, at;
	int		 st;

	if ((st = advcfg_gate(r, &c, CFG_WRITE)) != 0)
		return st;
	if (advcfg_need_version(r, CFGDEL_VERSION) != 0)
		return cats_page(r, 422, &c, 0, NULL, NULL, NULL);
	if ((st = cat_locked(r, &c, &cs, &n, &k, &at)) != 0)
		return st;
	if (advcfg_version_stale(r, CFGDEL_VERSION, k->version))
		return page_refuse(r, 409, "edit-conflict", "The category "
		    "changed after you loaded the page; nothing was deleted.");
	if ((users = modtpl_cat_users(r, c.ev.id, k->id)) == NULL)
		return 503;
	if (json_object_array_length(users) > 0) {
		why = arena_printf(r->a, "The category %s is used by module "
		    "templates: %s. Move them to another category first; "
		    "nothing was deleted.", k->name, names_text(r, users,
		    "name"));
		json_object_put(users);
		if (r->fmt == FMT_JSON)
			return page_refuse(r, 409, "in-use", why);
		return cats_page(r, 409, &c, 0, NULL, NULL, why);
	}
	json_object_put(users);
	if (modtpl_cat_delete(r, c.ev.id, k) != 0)
		return 503;
	ch = advcfg_change(NULL, "name", k->name, NULL);
	if (advcfg_commit(r, &c, "module_category.deleted", "module_category",
	    k->id, k->name, ch) != 0)
		return 503;
	return advcfg_deleted(r, &c, "/module-categories", arena_printf(r->a,
	    "The category %s was deleted.", k->name));
}
