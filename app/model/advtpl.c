/* advtpl.c — advance templates and their modules. */
#include <string.h>

#include "advtpl.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/modtpl.h"
#include "render/view.h"

#define LIST_MAX	2000
#define POS_END		2147483647

#define ATPL_COLS \
    "a.id, a.name, DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(a.updated_at, '%Y-%m-%dT%H:%i:%sZ'), a.version"
#define ATPL_COUNTS \
    ", (SELECT COUNT(*) FROM advance_template_modules m" \
    "  WHERE m.advance_template_id = a.id)," \
    " (SELECT COUNT(*) FROM advances v WHERE v.event_id = a.event_id" \
    "  AND v.advance_template_id = a.id)"

static struct dbq q_list = DBQ(
    "SELECT " ATPL_COLS ATPL_COUNTS " FROM advance_templates a"
    " WHERE a.event_id = ? ORDER BY a.name, a.id");
static struct dbq q_get = DBQ(
    "SELECT " ATPL_COLS ATPL_COUNTS " FROM advance_templates a"
    " WHERE a.id = ? AND a.event_id = ?");
static struct dbq q_lock = DBQ(
    "SELECT " ATPL_COLS ", 0, 0 FROM advance_templates a"
    " WHERE a.id = ? AND a.event_id = ? FOR UPDATE");
static struct dbq q_taken = DBQ(
    "SELECT COUNT(*) FROM advance_templates WHERE event_id = ?"
    " AND LOWER(name) = LOWER(?) AND id <> ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO advance_templates (event_id, name, created_at, updated_at)"
    " VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_update = DBQ(
    "UPDATE advance_templates SET name = ?, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_touch = DBQ(
    "UPDATE advance_templates SET version = version + 1,"
    " updated_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM advance_templates WHERE id = ? AND event_id = ?");

static struct dbq q_mods = DBQ(
    "SELECT m.id, m.module_template_id, t.name, t.label, t.icon,"
    " m.position, m.due_kind, DATE_FORMAT(m.due_date, '%Y-%m-%d'),"
    " COALESCE(m.due_days, 0), m.required, m.tracked, m.submission,"
    " COALESCE(m.reviewer_user_id, 0), u.name"
    " FROM advance_template_modules m"
    " JOIN module_templates t ON t.id = m.module_template_id"
    " LEFT JOIN users u ON u.id = m.reviewer_user_id"
    " WHERE m.advance_template_id = ? AND m.event_id = ?"
    " ORDER BY m.position, m.id");
static struct dbq q_mod_open = DBQ(
    "UPDATE advance_template_modules SET position = position + 1"
    " WHERE advance_template_id = ? AND event_id = ? AND position >= ?"
    " AND position < ?");
static struct dbq q_mod_close = DBQ(
    "UPDATE advance_template_modules SET position = position - 1"
    " WHERE advance_template_id = ? AND event_id = ? AND position > ?"
    " AND position <= ?");
static struct dbq q_mod_setpos = DBQ(
    "UPDATE advance_template_modules SET position = ? WHERE id = ?"
    " AND event_id = ?");
static struct dbq q_mod_insert = DBQ(
    "INSERT INTO advance_template_modules (event_id, advance_template_id,"
    " module_template_id, position, due_kind, due_date, due_days, required,"
    " tracked, submission, reviewer_user_id) VALUES (?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, NULLIF(?, 0))");
static struct dbq q_mod_update = DBQ(
    "UPDATE advance_template_modules SET due_kind = ?, due_date = ?,"
    " due_days = ?, required = ?, tracked = ?, submission = ?,"
    " reviewer_user_id = NULLIF(?, 0) WHERE id = ? AND event_id = ?");
static struct dbq q_mod_delete = DBQ(
    "DELETE FROM advance_template_modules WHERE id = ? AND event_id = ?");

static const char *const due_kinds[] = { "none", "fixed", "before" };

const char *
due_kind_name(enum due_kind k)
{
	return (unsigned)k < 3 ? due_kinds[k] : "none";
}

int
due_kind_parse(const char *s, enum due_kind *k)
{
	int	 i;

	for (i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, due_kinds[i]) == 0) {
			*k = (enum due_kind)i;
			return 0;
		}
	return -1;
}

static int
fetch(struct dbq *q, struct atpl *a)
{
	memset(a, 0, sizeof(*a));
	return db_fetch(q, "isssiii", &a->id, &a->name, &a->created_at,
	    &a->updated_at, &a->version, &a->nmodules, &a->nadvances);
}

static int
list_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return fetch(q, row);
}

struct atpl *
advtpl_list(struct req *r, int64_t event_id, size_t *n)
{
	return cfgdb_rows(r, &q_list, db_select(&q_list, "i", event_id),
	    list_row, sizeof(struct atpl), LIST_MAX, n);
}


int
advtpl_get(struct req *r, int64_t event_id, int64_t id, struct atpl *a)
{
	return cfgdb_get(r, &q_get, event_id, id, list_row, a);
}

int
advtpl_lock(struct req *r, int64_t event_id, int64_t id, struct atpl *a)
{
	return cfgdb_get(r, &q_lock, event_id, id, list_row, a);
}

int
advtpl_name_taken(struct req *r, int64_t event_id, const char *name,
    int64_t except_id)
{
	(void)r;
	return cfgdb_taken(&q_taken, event_id, name, except_id);
}

int64_t
advtpl_insert(struct req *r, int64_t event_id, const char *name)
{
	(void)r;
	return cfgdb_inserted(db_exec(&q_insert, "is", event_id, name));
}

int
advtpl_update(struct req *r, int64_t event_id, int64_t id, int64_t version,
    const char *name)
{
	(void)r;
	return cfgdb_updated(db_exec(&q_update, "siii", name, id, event_id,
	    version));
}

int
advtpl_touch(struct req *r, int64_t event_id, int64_t id, int64_t version)
{
	(void)r;
	return cfgdb_one(db_exec(&q_touch, "iii", id, event_id, version));
}

int
advtpl_delete(struct req *r, int64_t event_id, int64_t id)
{
	(void)r;
	/* Modules go with it (ON DELETE CASCADE); advances made from it
	 * keep their copies (ON DELETE SET NULL). */
	return cfgdb_one(db_exec(&q_delete, "ii", id, event_id));
}

static int
mod_row(struct req *r, struct dbq *q, void *row)
{
	struct atmod	*m = row;
	char		*kind;
	int64_t		 req, trk, sub;
	int		 rc;

	(void)r;
	memset(m, 0, sizeof(*m));
	if ((rc = db_fetch(q, "iisssissiiiiis", &m->id, &m->module_template_id,
	    &m->mt_name, &m->mt_label, &m->mt_icon, &m->position, &kind,
	    &m->due_date, &m->due_days, &req, &trk, &sub, &m->reviewer_id,
	    &m->reviewer_name)) != 1)
		return rc;
	if (due_kind_parse(kind, &m->due_kind) != 0)
		m->due_kind = DUE_NONE;
	m->required = req != 0;
	m->tracked = trk != 0;
	m->submission = sub != 0;
	return 1;
}

struct atmod *
advtpl_modules(struct req *r, int64_t event_id, int64_t id, size_t *n)
{
	return cfgdb_rows(r, &q_mods, db_select(&q_mods, "ii", id, event_id),
	    mod_row, sizeof(struct atmod), (size_t)-1, n);
}

/* The due columns a kind does not use are stored NULL (days bound as
 * text so that NULL can be said). */
static void
due_cols(struct req *r, const struct atmod_fields *f, const char **date,
    const char **days)
{
	*date = f->due_kind == DUE_FIXED ? f->due_date : NULL;
	*days = f->due_kind == DUE_BEFORE ? arena_printf(r->a, "%lld",
	    (long long)f->due_days) : NULL;
}

int64_t
advtpl_mod_insert(struct req *r, int64_t event_id, int64_t id,
    int64_t position, const struct atmod_fields *f)
{
	const char	*date, *days;

	due_cols(r, f, &date, &days);
	if (db_exec(&q_mod_open, "iiii", id, event_id, position,
	    (int64_t)POS_END) < 0)
		return -1;
	return cfgdb_inserted(db_exec(&q_mod_insert, "iiiisssiiii", event_id,
	    id, f->module_template_id, position, due_kind_name(f->due_kind),
	    date, days, (int64_t)f->required, (int64_t)f->tracked,
	    (int64_t)f->submission, f->reviewer_id));
}

int
advtpl_mod_update(struct req *r, int64_t event_id, int64_t module_id,
    const struct atmod_fields *f)
{
	const char	*date, *days;

	due_cols(r, f, &date, &days);
	return db_exec(&q_mod_update, "sssiiiiii", due_kind_name(f->due_kind),
	    date, days, (int64_t)f->required, (int64_t)f->tracked,
	    (int64_t)f->submission, f->reviewer_id, module_id, event_id) < 0 ?
	    -1 : 0;
}

int
advtpl_mod_move(struct req *r, int64_t event_id, int64_t id,
    const struct atmod *m, int64_t to)
{
	(void)r;
	if (to == m->position)
		return 0;
	if (to < m->position) {
		if (db_exec(&q_mod_open, "iiii", id, event_id, to,
		    m->position) < 0)
			return -1;
	} else if (db_exec(&q_mod_close, "iiii", id, event_id, m->position,
	    to) < 0)
		return -1;
	return db_exec(&q_mod_setpos, "iii", to, m->id, event_id) < 0 ?
	    -1 : 0;
}

int
advtpl_mod_delete(struct req *r, int64_t event_id, int64_t id,
    const struct atmod *m)
{
	(void)r;
	if (db_exec(&q_mod_delete, "ii", m->id, event_id) < 0 ||
	    db_exec(&q_mod_close, "iiii", id, event_id, m->position,
	    (int64_t)POS_END) < 0)
		return -1;
	return 0;
}

json_object *
advtpl_json(struct req *r, const struct atpl *a)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", a->id);
	vset_str(o, "name", a->name);
	vset_int(o, "version", a->version);
	vset_str(o, "etag", arena_printf(r->a, "\"%lld-v%lld\"",
	    (long long)a->id, (long long)a->version));
	vset_str(o, "created_at", a->created_at);
	vset_str(o, "updated_at", a->updated_at);
	vset_int(o, "modules_count", a->nmodules);
	vset_int(o, "advances_count", a->nadvances);
	return o;
}

json_object *
atmod_json(const struct atmod *m)
{
	json_object	*o = json_object_new_object(), *d;

	vset_int(o, "id", m->id);
	vset_int(o, "module_template_id", m->module_template_id);
	vset_str(o, "module_template_name", m->mt_name);
	vset_str(o, "module_template_label", m->mt_label);
	vset_int(o, "position", m->position);
	d = json_object_new_object();
	vset_str(d, "kind", due_kind_name(m->due_kind));
	if (m->due_kind == DUE_FIXED)
		vset_str(d, "date", m->due_date);
	if (m->due_kind == DUE_BEFORE)
		vset_int(d, "days_before_start", m->due_days);
	vset_obj(o, "default_due", d);
	vset_bool(o, "required", m->required);
	vset_bool(o, "task_tracked", m->tracked);
	vset_bool(o, "requires_submission", m->submission);
	if (m->reviewer_id > 0) {
		vset_int(o, "default_reviewer_id", m->reviewer_id);
		vset_str(o, "default_reviewer_name", m->reviewer_name);
	} else {
		vset_obj(o, "default_reviewer_id", NULL);
	}
	return o;
}
