/* advedit.c — writes of advances and advance modules. */
#include <string.h>

#include "advedit.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "policy/tz.h"
#include "render/view.h"

#define ER_DUP_ENTRY	1062
#define TEMPLATES_MAX	2000	/* templates offered in one list */
#define CONTENTS_MAX	20000	/* rows kept in one removal's audit */

static struct dbq q_insert = DBQ(
    "INSERT INTO advances (uuid, event_id, collaborator_id, name,"
    " name_norm, advance_template_id, area_id, activity_id, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, LOWER(?), NULLIF(?, 0),"
    " NULLIF(?, 0), NULLIF(?, 0), ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_taken = DBQ(
    "SELECT COUNT(*) FROM advances WHERE event_id = ?"
    " AND collaborator_id = ? AND name_norm = LOWER(?) AND id <> ?");
static struct dbq q_update = DBQ(
    "UPDATE advances SET name = ?, name_norm = LOWER(?),"
    " area_id = NULLIF(?, 0), activity_id = NULLIF(?, 0),"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM advances WHERE id = ? AND event_id = ?");

static struct dbq q_tpls = DBQ(
    "SELECT t.id, t.name, (SELECT COUNT(*) FROM advance_template_modules m"
    " WHERE m.advance_template_id = t.id) FROM advance_templates t"
    " WHERE t.event_id = ? ORDER BY t.name, t.id");
static struct dbq q_tpl = DBQ(
    "SELECT t.id, t.name, (SELECT COUNT(*) FROM advance_template_modules m"
    " WHERE m.advance_template_id = t.id) FROM advance_templates t"
    " WHERE t.id = ? AND t.event_id = ?");
static struct dbq q_tpl_mods = DBQ(
    "SELECT m.module_template_id, mt.label, m.due_kind,"
    " DATE_FORMAT(m.due_date, '%Y-%m-%d'), m.due_days, m.required,"
    " m.tracked, m.submission, m.reviewer_user_id, u.name"
    " FROM advance_template_modules m"
    " JOIN module_templates mt ON mt.id = m.module_template_id"
    " LEFT JOIN users u ON u.id = m.reviewer_user_id"
    " WHERE m.advance_template_id = ? AND m.event_id = ?"
    " ORDER BY m.position, m.id");

static struct dbq q_modtpls = DBQ(
    "SELECT t.id, t.name, t.label, c.name FROM module_templates t"
    " JOIN module_categories c ON c.id = t.category_id"
    " WHERE t.event_id = ? ORDER BY c.position, c.name, t.name, t.id");
static struct dbq q_modtpl = DBQ(
    "SELECT t.id, t.name, t.label, c.name FROM module_templates t"
    " JOIN module_categories c ON c.id = t.category_id"
    " WHERE t.id = ? AND t.event_id = ?");

static struct dbq q_mod_insert = DBQ(
    "INSERT INTO advance_modules (event_id, advance_id, module_template_id,"
    " position, due_date, required, tracked, submission, reviewer_user_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))");
static struct dbq q_mod_update = DBQ(
    "UPDATE advance_modules SET due_date = ?, required = ?,"
    " submission = ?, reviewer_user_id = NULLIF(?, 0),"
    " version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_mod_position = DBQ(
    "UPDATE advance_modules SET position = ? WHERE id = ? AND event_id = ?");
static struct dbq q_mod_delete = DBQ(
    "DELETE FROM advance_modules WHERE id = ? AND advance_id = ?"
    " AND event_id = ?");
static struct dbq q_mod_lock_all = DBQ(
    "SELECT id FROM advance_modules WHERE advance_id = ? AND event_id = ?"
    " FOR UPDATE");
static struct dbq q_mod_gap = DBQ(
    "UPDATE advance_modules SET position = position - 1"
    " WHERE advance_id = ? AND event_id = ? AND position > ?");

/* What a removal deletes; module 0 means every module of the advance. */
static struct dbq q_gone_answers = DBQ(
    "SELECT mt.label, x.block_id, b.label, x.value"
    " FROM answers x JOIN advance_modules m ON m.id = x.advance_module_id"
    " JOIN module_templates mt ON mt.id = m.module_template_id"
    " JOIN module_blocks b ON b.id = x.block_id"
    " WHERE x.event_id = ? AND m.advance_id = ?"
    " AND (? = 0 OR m.id = ?) ORDER BY m.position, b.position, x.id");
static struct dbq q_gone_items = DBQ(
    "SELECT x.id, mt.label, b.label, x.description, x.quantity, x.notes,"
    " x.props, x.op_state, x.res_state"
    " FROM line_items x JOIN advance_modules m ON m.id = x.advance_module_id"
    " JOIN module_templates mt ON mt.id = m.module_template_id"
    " JOIN module_blocks b ON b.id = x.block_id"
    " WHERE x.event_id = ? AND m.advance_id = ?"
    " AND (? = 0 OR m.id = ?) ORDER BY m.position, b.position,"
    " x.position, x.id");
static struct dbq q_gone_files = DBQ(
    "SELECT f.id, mt.label, f.block_id, f.name, f.size"
    " FROM answer_files f JOIN advance_modules m ON m.id = f.advance_module_id"
    " JOIN module_templates mt ON mt.id = m.module_template_id"
    " WHERE f.event_id = ? AND m.advance_id = ?"
    " AND (? = 0 OR m.id = ?) ORDER BY m.position, f.id");

/* --- advances ------------------------------------------------------------ */

int64_t
advedit_insert(struct req *r, int64_t ev, int64_t collab, const char *name,
    int64_t tpl, int64_t area, int64_t act, int64_t uid)
{
	char	 uuid[37];

	(void)r;
	token_uuid(uuid);
	if (db_exec(&q_insert, "siissiiii", uuid, ev, collab, name, name, tpl,
	    area, act, uid) < 0)
		return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	return db_insert_id();
}

int
advedit_name_taken(struct req *r, int64_t ev, int64_t collab,
    const char *name, int64_t except)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_taken, "iisi", ev, collab, name, except) != 0)
		return -1;
	rc = db_fetch(&q_taken, "i", &n);
	db_done(&q_taken);
	return rc < 0 ? -1 : n > 0;
}

int
advedit_update(struct req *r, int64_t ev, int64_t id, int64_t version,
    const char *name, int64_t area, int64_t act)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_update, "ssiiiii", name, name, area, act, id, ev,
	    version);
	if (n < 0)
		return db_errno() == ER_DUP_ENTRY ? 2 : -1;
	return n == 1;
}

int
advedit_delete(struct req *r, int64_t ev, int64_t id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_delete, "ii", id, ev)) < 0)
		return -1;
	return n == 1;
}

/* --- templates ----------------------------------------------------------- */

static int
fetch_tpl(struct req *r, struct dbq *q, void *row)
{
	struct advedit_tpl	*t = row;

	(void)r;
	memset(t, 0, sizeof(*t));
	return db_fetch(q, "isi", &t->id, &t->name, &t->modules);
}

struct advedit_tpl *
advedit_templates(struct req *r, int64_t ev, size_t *n)
{
	if (db_select(&q_tpls, "i", ev) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_tpls, fetch_tpl, sizeof(struct advedit_tpl),
	    TEMPLATES_MAX, n);
}

int
advedit_template_get(struct req *r, int64_t ev, int64_t id,
    struct advedit_tpl *t)
{
	int	 rc;

	(void)r;
	memset(t, 0, sizeof(*t));
	if (db_select(&q_tpl, "ii", id, ev) != 0)
		return -1;
	rc = db_fetch(&q_tpl, "isi", &t->id, &t->name, &t->modules);
	db_done(&q_tpl);
	return rc;
}

static int
fetch_tplmod(struct req *r, struct dbq *q, void *row)
{
	struct advedit_tplmod	*m = row;
	int64_t			 req, trk, sub;
	int			 rc;

	(void)r;
	memset(m, 0, sizeof(*m));
	rc = db_fetch(q, "isssiiiiis", &m->module_template_id, &m->label,
	    &m->due_kind, &m->due_date, &m->due_days, &req, &trk, &sub,
	    &m->reviewer_id, &m->reviewer_name);
	m->required = req != 0;
	m->tracked = trk != 0;
	m->submission = sub != 0;
	return rc;
}

struct advedit_tplmod *
advedit_template_modules(struct req *r, int64_t ev, int64_t tpl, size_t *n)
{
	if (db_select(&q_tpl_mods, "ii", tpl, ev) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_tpl_mods, fetch_tplmod,
	    sizeof(struct advedit_tplmod), TEMPLATES_MAX, n);
}

const char *
advedit_due_resolve(struct req *r, const struct advedit_tplmod *m,
    const char *start)
{
	int64_t	 d;
	char	 buf[16];

	if (m->due_kind == NULL)
		return NULL;
	if (strcmp(m->due_kind, "fixed") == 0)
		return m->due_date;
	if (strcmp(m->due_kind, "before") != 0 || start == NULL ||
	    tz_parse_date(start, &d) != 0)
		return NULL;
	tz_fmt_date(d - m->due_days, buf, sizeof(buf));
	return arena_strdup(r->a, buf);
}

static int
fetch_modtpl(struct req *r, struct dbq *q, void *row)
{
	struct advedit_modtpl	*t = row;

	(void)r;
	memset(t, 0, sizeof(*t));
	return db_fetch(q, "isss", &t->id, &t->name, &t->label, &t->category);
}

struct advedit_modtpl *
advedit_module_templates(struct req *r, int64_t ev, size_t *n)
{
	if (db_select(&q_modtpls, "i", ev) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_modtpls, fetch_modtpl,
	    sizeof(struct advedit_modtpl), TEMPLATES_MAX, n);
}

int
advedit_module_template_get(struct req *r, int64_t ev, int64_t id,
    struct advedit_modtpl *t)
{
	int	 rc;

	(void)r;
	if (db_select(&q_modtpl, "ii", id, ev) != 0)
		return -1;
	rc = fetch_modtpl(r, &q_modtpl, t);
	db_done(&q_modtpl);
	return rc;
}

/* --- modules ------------------------------------------------------------- */

int64_t
advedit_mod_insert(struct req *r, int64_t ev, int64_t adv, int64_t mt,
    int64_t pos, const struct advedit_modset *s)
{
	(void)r;
	if (db_exec(&q_mod_insert, "iiiisiiii", ev, adv, mt, pos, s->due_date,
	    (int64_t)s->required, (int64_t)s->tracked, (int64_t)s->submission,
	    s->reviewer_id) < 0)
		return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	return db_insert_id();
}

int
advedit_mod_update(struct req *r, int64_t ev, int64_t id, int64_t version,
    const struct advedit_modset *s)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_mod_update, "siiiiii", s->due_date,
	    (int64_t)s->required, (int64_t)s->submission, s->reviewer_id, id,
	    ev, version);
	if (n < 0)
		return -1;
	return n == 1;
}

int
advedit_mod_position(struct req *r, int64_t ev, int64_t id, int64_t pos)
{
	(void)r;
	return db_exec(&q_mod_position, "iii", pos, id, ev) < 0 ? -1 : 0;
}

int
advedit_lock_modules(struct req *r, int64_t ev, int64_t adv)
{
	int64_t	 id;
	int	 rc;

	(void)r;
	if (db_select(&q_mod_lock_all, "ii", adv, ev) != 0)
		return -1;
	while ((rc = db_fetch(&q_mod_lock_all, "i", &id)) == 1)
		;
	db_done(&q_mod_lock_all);
	return rc < 0 ? -1 : 0;
}

int
advedit_mod_delete(struct req *r, int64_t ev, int64_t adv, int64_t id,
    int64_t pos)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_mod_delete, "iii", id, adv, ev)) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (db_exec(&q_mod_gap, "iii", adv, ev, pos) < 0)
		return -1;
	return 1;
}

/* --- what a removal deletes ---------------------------------------------- */

static int
gone_answers(struct req *r, int64_t ev, int64_t adv, int64_t mod,
    json_object *out)
{
	char	*module, *question, *value;
	int64_t	 block;
	size_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_gone_answers, "iiii", ev, adv, mod, mod) != 0)
		return -1;
	while ((rc = db_fetch(&q_gone_answers, "siss", &module, &block,
	    &question, &value)) == 1) {
		json_object	*o;

		if (n++ >= CONTENTS_MAX)
			continue;
		o = json_object_new_object();
		vset_str(o, "module", module);
		vset_int(o, "block_id", block);
		vset_str(o, "question", question);
		vset_str(o, "value", value);
		json_object_array_add(out, o);
	}
	db_done(&q_gone_answers);
	return rc < 0 ? -1 : 0;
}

static int
gone_items(struct req *r, int64_t ev, int64_t adv, int64_t mod,
    json_object *out)
{
	char	*module, *request, *desc, *notes, *props, *op, *res;
	int64_t	 id, qty;
	size_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_gone_items, "iiii", ev, adv, mod, mod) != 0)
		return -1;
	while ((rc = db_fetch(&q_gone_items, "isssissss", &id, &module,
	    &request, &desc, &qty, &notes, &props, &op, &res)) == 1) {
		json_object	*o;

		if (n++ >= CONTENTS_MAX)
			continue;
		o = json_object_new_object();
		vset_int(o, "id", id);
		vset_str(o, "module", module);
		vset_str(o, "request", request);
		vset_str(o, "description", desc);
		vset_int(o, "quantity", qty);
		vset_str(o, "notes", notes);
		vset_str(o, "props", props);
		vset_str(o, "operational", op);
		vset_str(o, "resource", res);
		json_object_array_add(out, o);
	}
	db_done(&q_gone_items);
	return rc < 0 ? -1 : 0;
}

static int
gone_files(struct req *r, int64_t ev, int64_t adv, int64_t mod,
    json_object *out)
{
	char	*module, *name;
	int64_t	 id, block, size;
	size_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_gone_files, "iiii", ev, adv, mod, mod) != 0)
		return -1;
	while ((rc = db_fetch(&q_gone_files, "isisi", &id, &module, &block,
	    &name, &size)) == 1) {
		json_object	*o;

		if (n++ >= CONTENTS_MAX)
			continue;
		o = json_object_new_object();
		vset_int(o, "id", id);
		vset_str(o, "module", module);
		vset_int(o, "block_id", block);
		vset_str(o, "name", name);
		vset_int(o, "size", size);
		json_object_array_add(out, o);
	}
	db_done(&q_gone_files);
	return rc < 0 ? -1 : 0;
}

json_object *
advedit_contents_json(struct req *r, int64_t ev, int64_t adv, int64_t mod)
{
	json_object	*o = json_object_new_object();
	json_object	*a = json_object_new_array();
	json_object	*i = json_object_new_array();
	json_object	*f = json_object_new_array();

	json_object_object_add(o, "answers", a);
	json_object_object_add(o, "line_items", i);
	json_object_object_add(o, "files", f);
	if (gone_answers(r, ev, adv, mod, a) != 0 ||
	    gone_items(r, ev, adv, mod, i) != 0 ||
	    gone_files(r, ev, adv, mod, f) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
