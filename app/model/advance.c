/* advance.c — the shared reader of advances and advance modules. */
#include <string.h>

#include "advance.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define ADVANCES_MAX	5000	/* advances listed for one event */
#define ADVMODS_MAX	50000	/* modules listed for one event */

#define ADV_COLS \
    "a.id, a.uuid, a.event_id, a.collaborator_id, c.name, a.name," \
    " a.advance_template_id, t.name, a.area_id, ar.name, a.activity_id," \
    " act.name, a.version, " TS("a.created_at")
#define ADV_FROM \
    " FROM advances a JOIN collaborators c ON c.id = a.collaborator_id" \
    " LEFT JOIN advance_templates t ON t.id = a.advance_template_id" \
    " LEFT JOIN areas ar ON ar.id = a.area_id" \
    " LEFT JOIN activities act ON act.id = a.activity_id"

static struct dbq q_get = DBQ(
    "SELECT " ADV_COLS ADV_FROM " WHERE a.id = ? AND a.event_id = ?");
static struct dbq q_lock = DBQ(
    "SELECT version FROM advances WHERE id = ? AND event_id = ?"
    " FOR UPDATE");
/* collab 0 means every collaborator. */
static struct dbq q_list = DBQ(
    "SELECT " ADV_COLS ADV_FROM " WHERE a.event_id = ?"
    " AND (? = 0 OR a.collaborator_id = ?)"
    " ORDER BY c.name_norm, a.name_norm, a.id");
static struct dbq q_scoped = DBQ(
    "SELECT " ADV_COLS ADV_FROM " WHERE a.event_id = ?"
    " AND ((? <> 0 AND a.area_id = ?) OR (? <> 0 AND a.activity_id = ?))"
    " ORDER BY c.name_norm, a.name_norm, a.id");

#define MOD_COLS \
    "m.id, m.advance_id, m.module_template_id, t.name, t.label, t.icon," \
    " t.category_id, cat.name, m.position, DATE_FORMAT(m.due_date," \
    " '%Y-%m-%d'), m.required, m.tracked, m.submission," \
    " m.reviewer_user_id, rv.name, m.state = 'submitted', m.submitted_by," \
    " sb.name, " TS("m.submitted_at") ", m.reopen_reason, m.version"
#define MOD_FROM \
    " FROM advance_modules m" \
    " JOIN module_templates t ON t.id = m.module_template_id" \
    " JOIN module_categories cat ON cat.id = t.category_id" \
    " LEFT JOIN users rv ON rv.id = m.reviewer_user_id" \
    " LEFT JOIN users sb ON sb.id = m.submitted_by"

static struct dbq q_mods = DBQ(
    "SELECT " MOD_COLS MOD_FROM " WHERE m.advance_id = ? AND m.event_id = ?"
    " ORDER BY m.position, m.id");
static struct dbq q_mods_event = DBQ(
    "SELECT " MOD_COLS MOD_FROM " JOIN advances a ON a.id = m.advance_id"
    " WHERE m.event_id = ? AND (? = 0 OR a.collaborator_id = ?)"
    " ORDER BY m.advance_id, m.position, m.id");
static struct dbq q_mod = DBQ(
    "SELECT " MOD_COLS MOD_FROM " WHERE m.id = ? AND m.advance_id = ?"
    " AND m.event_id = ?");
/* The module row alone takes the write lock: FOR UPDATE on the joined
 * read would lock its template, category and users too, and every save
 * into any module of the same template would queue on them (and
 * deadlock with readers sharing them). The joined read then takes
 * shared locks: a current read, whatever the transaction saw before. */
static struct dbq q_mod_lock = DBQ(
    "SELECT id FROM advance_modules WHERE id = ? AND event_id = ?"
    " FOR UPDATE");
static struct dbq q_mod_current = DBQ(
    "SELECT " MOD_COLS MOD_FROM " WHERE m.id = ? AND m.event_id = ?"
    " LOCK IN SHARE MODE");

static int
fetch_adv(struct req *r, struct dbq *q, void *row)
{
	struct advance	*a = row;

	(void)r;
	memset(a, 0, sizeof(*a));
	return db_fetch(q, "isiissisisisis", &a->id, &a->uuid, &a->event_id,
	    &a->collab_id, &a->collab_name, &a->name, &a->template_id,
	    &a->template_name, &a->area_id, &a->area_name, &a->activity_id,
	    &a->activity_name, &a->version, &a->created_at);
}

int
advance_get(struct req *r, int64_t event_id, int64_t id, struct advance *a)
{
	int	 rc;

	(void)r;
	if (db_select(&q_get, "ii", id, event_id) != 0)
		return -1;
	rc = fetch_adv(r, &q_get, a);
	db_done(&q_get);
	return rc;
}

int
advance_lock(struct req *r, int64_t event_id, int64_t id, int64_t *version)
{
	int	 rc;

	(void)r;
	if (db_select(&q_lock, "ii", id, event_id) != 0)
		return -1;
	rc = db_fetch(&q_lock, "i", version);
	db_done(&q_lock);
	return rc;
}

void *
adv_rows(struct req *r, struct dbq *q,
    int (*fetch)(struct req *, struct dbq *, void *), size_t sz, size_t max,
    size_t *n)
{
	char	*v = NULL, *one = arena_calloc(r->a, 1, sz);
	size_t	 cap = 0;
	int	 rc;

	*n = 0;
	while ((rc = fetch(r, q, one)) == 1) {
		if (*n >= max)
			continue;
		v = arena_grow(r->a, v, *n, &cap, sz);
		memcpy(v + *n * sz, one, sz);
		(*n)++;
	}
	db_done(q);
	if (rc < 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return v;
}

struct advance *
advance_list(struct req *r, int64_t event_id, int64_t collab_id, size_t *n)
{
	*n = 0;
	if (db_select(&q_list, "iii", event_id, collab_id, collab_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_list, fetch_adv, sizeof(struct advance),
	    ADVANCES_MAX, n);
}

struct advance *
advance_list_scoped(struct req *r, int64_t event_id, int64_t area_id,
    int64_t activity_id, size_t *n)
{
	*n = 0;
	if (db_select(&q_scoped, "iiiii", event_id, area_id, area_id,
	    activity_id, activity_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_scoped, fetch_adv, sizeof(struct advance),
	    ADVANCES_MAX, n);
}

static int
fetch_mod(struct req *r, struct dbq *q, void *row)
{
	struct advmod	*m = row;
	int64_t		 req, trk, sub, st;
	int		 rc;

	(void)r;
	memset(m, 0, sizeof(*m));
	rc = db_fetch(q, "iiisssisisiiiisiisssi", &m->id, &m->advance_id,
	    &m->template_id, &m->name, &m->label, &m->icon, &m->category_id,
	    &m->category, &m->position, &m->due_date, &req, &trk, &sub,
	    &m->reviewer_id, &m->reviewer_name, &st, &m->submitted_by,
	    &m->submitted_by_name, &m->submitted_at, &m->reopen_reason,
	    &m->version);
	m->required = req != 0;
	m->tracked = trk != 0;
	m->submission = sub != 0;
	m->submitted = st != 0;
	return rc;
}

struct advmod *
advmod_list(struct req *r, int64_t event_id, int64_t advance_id, size_t *n)
{
	*n = 0;
	if (db_select(&q_mods, "ii", advance_id, event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_mods, fetch_mod, sizeof(struct advmod),
	    ADVMODS_MAX, n);
}

struct advmod *
advmod_list_event(struct req *r, int64_t event_id, int64_t collab_id,
    size_t *n)
{
	*n = 0;
	if (db_select(&q_mods_event, "iii", event_id, collab_id,
	    collab_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_mods_event, fetch_mod,
	    sizeof(struct advmod), ADVMODS_MAX, n);
}

int
advmod_get(struct req *r, int64_t event_id, int64_t advance_id,
    int64_t module_id, struct advmod *m)
{
	int	 rc;

	(void)r;
	if (db_select(&q_mod, "iii", module_id, advance_id, event_id) != 0)
		return -1;
	rc = fetch_mod(r, &q_mod, m);
	db_done(&q_mod);
	return rc;
}

int
advmod_lock(struct req *r, int64_t event_id, int64_t module_id,
    struct advmod *m)
{
	int	 rc;

	int64_t	 id;

	if (db_select(&q_mod_lock, "ii", module_id, event_id) != 0)
		return -1;
	rc = db_fetch(&q_mod_lock, "i", &id);
	db_done(&q_mod_lock);
	if (rc != 1)
		return rc;
	if (db_select(&q_mod_current, "ii", module_id, event_id) != 0)
		return -1;
	rc = fetch_mod(r, &q_mod_current, m);
	db_done(&q_mod_current);
	return rc;
}

void
advance_scope_into(json_object *o, const struct advance *a)
{
	if (a->area_id > 0)
		vset_int(o, "area_id", a->area_id);
	else
		vset_obj(o, "area_id", NULL);
	vset_str(o, "area_name", a->area_name);
	if (a->activity_id > 0)
		vset_int(o, "activity_id", a->activity_id);
	else
		vset_obj(o, "activity_id", NULL);
	vset_str(o, "activity_name", a->activity_name);
}

json_object *
advance_json(const struct advance *a)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", a->id);
	vset_str(o, "uuid", a->uuid);
	vset_int(o, "collaborator_id", a->collab_id);
	vset_str(o, "collaborator_name", a->collab_name);
	vset_str(o, "name", a->name);
	if (a->template_id > 0)
		vset_int(o, "template_id", a->template_id);
	else
		vset_obj(o, "template_id", NULL);
	vset_str(o, "template_name", a->template_name);
	advance_scope_into(o, a);
	vset_int(o, "version", a->version);
	vset_str(o, "created_at", a->created_at);
	return o;
}

json_object *
advmod_json(const struct advmod *m)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", m->id);
	vset_int(o, "advance_id", m->advance_id);
	vset_int(o, "module_template_id", m->template_id);
	vset_str(o, "name", m->name);
	vset_str(o, "label", m->label);
	vset_str(o, "icon", m->icon);
	vset_str(o, "category", m->category);
	vset_int(o, "position", m->position);
	vset_str(o, "due_date", m->due_date);
	vset_bool(o, "required", m->required);
	vset_bool(o, "task_tracked", m->tracked);
	vset_bool(o, "requires_submission", m->submission);
	if (m->reviewer_id > 0) {
		vset_int(o, "reviewer_id", m->reviewer_id);
		vset_str(o, "reviewer_name", m->reviewer_name);
	} else {
		vset_obj(o, "reviewer_id", NULL);
	}
	vset_str(o, "submission_state", m->submitted ? "submitted" : "open");
	if (m->submitted) {
		vset_int(o, "submitted_by", m->submitted_by);
		vset_str(o, "submitted_by_name", m->submitted_by_name);
		vset_str(o, "submitted_at", m->submitted_at);
	}
	vset_str(o, "reopen_reason", m->reopen_reason);
	vset_int(o, "version", m->version);
	return o;
}
