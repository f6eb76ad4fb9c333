/* modtpl.c — module categories, templates and block writes. */
#include <string.h>

#include "modtpl.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/event.h"
#include "render/view.h"

#define ER_DUP_ENTRY	1062
#define LIST_MAX	2000	/* categories or templates listed */
#define USERS_MAX	200	/* advances named as blockers */
#define VALUES_MAX	20000
#define POS_END		2147483647

/* --- results of statements (modtpl.h) ----------------------------------- */

int
cfgdb_taken(struct dbq *q, int64_t event_id, const char *name,
    int64_t except_id)
{
	int64_t	 n = 0;
	int	 rc;

	if (db_select(q, "isi", event_id, name, except_id) != 0)
		return -1;
	rc = db_fetch(q, "i", &n);
	db_done(q);
	return rc < 0 ? -1 : n > 0;
}

int64_t
cfgdb_inserted(int64_t rc)
{
	if (rc < 0)
		return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	return db_insert_id();
}

int
cfgdb_updated(int64_t rc)
{
	if (rc < 0)
		return db_errno() == ER_DUP_ENTRY ? 2 : -1;
	return rc == 1;
}

int
cfgdb_one(int64_t rc)
{
	return rc < 0 ? -1 : rc == 1;
}

int
cfgdb_get(struct req *r, struct dbq *q, int64_t event_id, int64_t id,
    int (*fetch)(struct req *, struct dbq *, void *), void *row)
{
	int	 rc;

	if (db_select(q, "ii", id, event_id) != 0)
		return -1;
	rc = fetch(r, q, row);
	db_done(q);
	return rc;
}

int
cfgdb_value_row(struct req *r, struct dbq *q, void *row)
{
	int	 rc;

	(void)r;
	while ((rc = db_fetch(q, "s", (char **)row)) == 1 &&
	    *(char **)row == NULL)
		;
	return rc;
}

void *
cfgdb_rows(struct req *r, struct dbq *q, int sel,
    int (*fetch)(struct req *, struct dbq *, void *), size_t sz, size_t max,
    size_t *n)
{
	if (sel != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, q, fetch, sz, max, n);
}

/* --- categories ---------------------------------------------------------- */

#define CAT_COLS "c.id, c.name, c.icon, c.position, c.version"

static struct dbq q_cat_list = DBQ(
    "SELECT " CAT_COLS ", (SELECT COUNT(*) FROM module_templates t"
    "  WHERE t.category_id = c.id)"
    " FROM module_categories c WHERE c.event_id = ?"
    " ORDER BY c.position, c.id");
/* Every category of the event locked: moves and removals keep the
 * positions dense under concurrent editors. */
static struct dbq q_cat_list_lock = DBQ(
    "SELECT " CAT_COLS ", 0 FROM module_categories c WHERE c.event_id = ?"
    " ORDER BY c.position, c.id FOR UPDATE");
static struct dbq q_cat_get = DBQ(
    "SELECT " CAT_COLS ", (SELECT COUNT(*) FROM module_templates t"
    "  WHERE t.category_id = c.id)"
    " FROM module_categories c WHERE c.id = ? AND c.event_id = ?");
static struct dbq q_cat_lock = DBQ(
    "SELECT " CAT_COLS ", 0 FROM module_categories c"
    " WHERE c.id = ? AND c.event_id = ? FOR UPDATE");
static struct dbq q_cat_taken = DBQ(
    "SELECT COUNT(*) FROM module_categories WHERE event_id = ?"
    " AND LOWER(name) = LOWER(?) AND id <> ?");
static struct dbq q_cat_insert = DBQ(
    "INSERT INTO module_categories (event_id, name, icon, position)"
    " SELECT ?, ?, ?, COALESCE(MAX(position), -1) + 1"
    " FROM module_categories WHERE event_id = ?");
static struct dbq q_cat_update = DBQ(
    "UPDATE module_categories SET name = ?, icon = ?, version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_cat_open = DBQ(
    "UPDATE module_categories SET position = position + 1"
    " WHERE event_id = ? AND position >= ? AND position < ?");
static struct dbq q_cat_close = DBQ(
    "UPDATE module_categories SET position = position - 1"
    " WHERE event_id = ? AND position > ? AND position <= ?");
static struct dbq q_cat_setpos = DBQ(
    "UPDATE module_categories SET position = ? WHERE id = ?"
    " AND event_id = ?");
static struct dbq q_cat_delete = DBQ(
    "DELETE FROM module_categories WHERE id = ? AND event_id = ?");
static struct dbq q_cat_users = DBQ(
    "SELECT id, name FROM module_templates WHERE event_id = ?"
    " AND category_id = ? ORDER BY name, id");

static int
cat_fetch(struct dbq *q, struct mcat *c)
{
	memset(c, 0, sizeof(*c));
	return db_fetch(q, "issiii", &c->id, &c->name, &c->icon, &c->position,
	    &c->version, &c->ntemplates);
}

static int
cat_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return cat_fetch(q, row);
}

static struct mcat *
cat_list(struct req *r, struct dbq *q, int64_t event_id, size_t *n)
{
	return cfgdb_rows(r, q, db_select(q, "i", event_id), cat_row,
	    sizeof(struct mcat), LIST_MAX, n);
}

struct mcat *
modtpl_cat_list(struct req *r, int64_t event_id, size_t *n)
{
	return cat_list(r, &q_cat_list, event_id, n);
}

struct mcat *
modtpl_cat_list_lock(struct req *r, int64_t event_id, size_t *n)
{
	return cat_list(r, &q_cat_list_lock, event_id, n);
}


int
modtpl_cat_get(struct req *r, int64_t event_id, int64_t id, struct mcat *c)
{
	return cfgdb_get(r, &q_cat_get, event_id, id, cat_row, c);
}

int
modtpl_cat_lock(struct req *r, int64_t event_id, int64_t id, struct mcat *c)
{
	return cfgdb_get(r, &q_cat_lock, event_id, id, cat_row, c);
}

int
modtpl_cat_name_taken(struct req *r, int64_t event_id, const char *name,
    int64_t except_id)
{
	(void)r;
	return cfgdb_taken(&q_cat_taken, event_id, name, except_id);
}

int64_t
modtpl_cat_insert(struct req *r, int64_t event_id, const char *name,
    const char *icon)
{
	(void)r;
	return cfgdb_inserted(db_exec(&q_cat_insert, "issi", event_id, name,
	    icon, event_id));
}

int
modtpl_cat_update(struct req *r, int64_t event_id, int64_t id,
    int64_t version, const char *name, const char *icon)
{
	(void)r;
	return cfgdb_updated(db_exec(&q_cat_update, "ssiii", name, icon, id,
	    event_id, version));
}

int
modtpl_cat_move(struct req *r, int64_t event_id, const struct mcat *c,
    int64_t to)
{
	(void)r;
	if (to == c->position)
		return 0;
	if (to < c->position) {
		if (db_exec(&q_cat_open, "iii", event_id, to, c->position) < 0)
			return -1;
	} else if (db_exec(&q_cat_close, "iii", event_id, c->position,
	    to) < 0)
		return -1;
	return db_exec(&q_cat_setpos, "iii", to, c->id, event_id) < 0 ?
	    -1 : 0;
}

int
modtpl_cat_delete(struct req *r, int64_t event_id, const struct mcat *c)
{
	(void)r;
	if (db_exec(&q_cat_delete, "ii", c->id, event_id) < 0 ||
	    db_exec(&q_cat_close, "iii", event_id, c->position,
	    (int64_t)POS_END) < 0)
		return -1;
	return 0;
}

json_object *
modtpl_cat_users(struct req *r, int64_t event_id, int64_t id)
{
	json_object	*a;
	int64_t		 tid;
	char		*name;
	int		 rc;

	(void)r;
	if (db_select(&q_cat_users, "ii", event_id, id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_cat_users, "is", &tid, &name)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", tid);
		vset_str(o, "name", name);
		json_object_array_add(a, o);
	}
	db_done(&q_cat_users);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

json_object *
modtpl_cat_json(struct req *r, const struct mcat *c)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", c->id);
	vset_str(o, "name", c->name);
	vset_str(o, "icon", c->icon);
	vset_int(o, "position", c->position);
	vset_int(o, "version", c->version);
	vset_str(o, "etag", arena_printf(r->a, "\"%lld-v%lld\"",
	    (long long)c->id, (long long)c->version));
	vset_int(o, "module_templates_count", c->ntemplates);
	return o;
}

/* --- templates ----------------------------------------------------------- */

#define TPL_COLS \
    "t.id, t.name, t.label, t.icon, t.category_id, t.note," \
    " DATE_FORMAT(t.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(t.updated_at, '%Y-%m-%dT%H:%i:%sZ'), t.version"
#define TPL_MORE \
    ", c.name, (SELECT COUNT(*) FROM module_blocks b" \
    "  WHERE b.template_id = t.id AND b.retired = 0)," \
    " (SELECT COUNT(DISTINCT m.advance_id) FROM advance_modules m" \
    "  WHERE m.event_id = t.event_id AND m.module_template_id = t.id)," \
    " (SELECT COUNT(*) FROM advance_template_modules a" \
    "  WHERE a.module_template_id = t.id)" \
    " FROM module_templates t JOIN module_categories c" \
    " ON c.id = t.category_id"

static struct dbq q_tpl_list = DBQ(
    "SELECT " TPL_COLS TPL_MORE " WHERE t.event_id = ?"
    " ORDER BY c.position, c.id, t.name, t.id");
static struct dbq q_tpl_get = DBQ(
    "SELECT " TPL_COLS TPL_MORE " WHERE t.id = ? AND t.event_id = ?");
static struct dbq q_tpl_lock = DBQ(
    "SELECT " TPL_COLS " FROM module_templates t WHERE t.id = ?"
    " AND t.event_id = ? FOR UPDATE");
static struct dbq q_tpl_taken = DBQ(
    "SELECT COUNT(*) FROM module_templates WHERE event_id = ?"
    " AND LOWER(name) = LOWER(?) AND id <> ?");
static struct dbq q_tpl_insert = DBQ(
    "INSERT INTO module_templates (event_id, name, label, icon,"
    " category_id, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?,"
    " ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_tpl_update = DBQ(
    "UPDATE module_templates SET name = ?, label = ?, icon = ?,"
    " category_id = ?, note = ?, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_tpl_touch = DBQ(
    "UPDATE module_templates SET version = version + 1,"
    " updated_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_tpl_delete_blocks = DBQ(
    "DELETE FROM module_blocks WHERE template_id = ? AND event_id = ?");
static struct dbq q_tpl_delete = DBQ(
    "DELETE FROM module_templates WHERE id = ? AND event_id = ?");
static struct dbq q_tpl_atpls = DBQ(
    "SELECT a.id, a.name FROM advance_template_modules m"
    " JOIN advance_templates a ON a.id = m.advance_template_id"
    " WHERE m.event_id = ? AND m.module_template_id = ?"
    " ORDER BY a.name, a.id");
static struct dbq q_tpl_advances = DBQ(
    "SELECT v.id, v.name, c.name FROM advance_modules m"
    " JOIN advances v ON v.id = m.advance_id"
    " JOIN collaborators c ON c.id = v.collaborator_id"
    " WHERE m.event_id = ? AND m.module_template_id = ?"
    " ORDER BY c.name, v.name, v.id");

static int
tpl_fetch(struct dbq *q, struct mtpl *t, int more)
{
	memset(t, 0, sizeof(*t));
	if (more)
		return db_fetch(q, "isssisssisiii", &t->id, &t->name, &t->label,
		    &t->icon, &t->category_id, &t->note, &t->created_at,
		    &t->updated_at, &t->version, &t->category_name,
		    &t->nblocks, &t->nadvances, &t->natpls);
	return db_fetch(q, "isssisssi", &t->id, &t->name, &t->label, &t->icon,
	    &t->category_id, &t->note, &t->created_at, &t->updated_at,
	    &t->version);
}

/* A row of the list: with the category and the counts. */
static int
tpl_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return tpl_fetch(q, row, 1);
}

struct mtpl *
modtpl_list(struct req *r, int64_t event_id, size_t *n)
{
	return cfgdb_rows(r, &q_tpl_list, db_select(&q_tpl_list, "i",
	    event_id), tpl_row, sizeof(struct mtpl), LIST_MAX, n);
}

/* The row locked for a write: the template's own columns. */
static int
tpl_lock_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return tpl_fetch(q, row, 0);
}

int
modtpl_get(struct req *r, int64_t event_id, int64_t id, struct mtpl *t)
{
	return cfgdb_get(r, &q_tpl_get, event_id, id, tpl_row, t);
}

int
modtpl_lock(struct req *r, int64_t event_id, int64_t id, struct mtpl *t)
{
	return cfgdb_get(r, &q_tpl_lock, event_id, id, tpl_lock_row, t);
}

int
modtpl_name_taken(struct req *r, int64_t event_id, const char *name,
    int64_t except_id)
{
	(void)r;
	return cfgdb_taken(&q_tpl_taken, event_id, name, except_id);
}

int64_t
modtpl_insert(struct req *r, int64_t event_id, const struct mtpl_fields *f)
{
	(void)r;
	return cfgdb_inserted(db_exec(&q_tpl_insert, "isssis", event_id,
	    f->name, f->label, f->icon, f->category_id, f->note));
}

int
modtpl_update(struct req *r, int64_t event_id, int64_t id, int64_t version,
    const struct mtpl_fields *f)
{
	(void)r;
	return cfgdb_updated(db_exec(&q_tpl_update, "sssisiii", f->name,
	    f->label, f->icon, f->category_id, f->note, id, event_id, version));
}

int
modtpl_touch(struct req *r, int64_t event_id, int64_t id, int64_t version)
{
	(void)r;
	return cfgdb_one(db_exec(&q_tpl_touch, "iii", id, event_id, version));
}

int
modtpl_delete(struct req *r, int64_t event_id, int64_t id)
{
	int64_t	 n;

	(void)r;
	if (db_exec(&q_tpl_delete_blocks, "ii", id, event_id) < 0 ||
	    (n = db_exec(&q_tpl_delete, "ii", id, event_id)) < 0)
		return -1;
	return n == 1;
}

int
modtpl_users(struct req *r, int64_t event_id, int64_t id,
    json_object **atpls, json_object **advances)
{
	int64_t	 xid;
	char	*name, *cname;
	size_t	 n = 0;
	int	 rc;

	(void)r;
	*atpls = *advances = NULL;
	if (db_select(&q_tpl_atpls, "ii", event_id, id) != 0)
		return -1;
	*atpls = json_object_new_array();
	while ((rc = db_fetch(&q_tpl_atpls, "is", &xid, &name)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", xid);
		vset_str(o, "name", name);
		json_object_array_add(*atpls, o);
	}
	db_done(&q_tpl_atpls);
	if (rc < 0 || db_select(&q_tpl_advances, "ii", event_id, id) != 0)
		goto fail;
	*advances = json_object_new_array();
	while ((rc = db_fetch(&q_tpl_advances, "iss", &xid, &name,
	    &cname)) == 1) {
		json_object	*o;

		if (n++ >= USERS_MAX)
			continue;
		o = json_object_new_object();
		vset_int(o, "id", xid);
		vset_str(o, "name", name);
		vset_str(o, "collaborator_name", cname);
		json_object_array_add(*advances, o);
	}
	db_done(&q_tpl_advances);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	json_object_put(*atpls);
	json_object_put(*advances);
	*atpls = *advances = NULL;
	return -1;
}

json_object *
modtpl_json(struct req *r, const struct mtpl *t)
{
	json_object	*o = json_object_new_object();

	vset_int(o, "id", t->id);
	vset_str(o, "name", t->name);
	vset_str(o, "label", t->label);
	vset_str(o, "icon", t->icon);
	vset_int(o, "category_id", t->category_id);
	vset_str(o, "category_name", t->category_name);
	vset_str(o, "note", t->note);
	vset_str(o, "note_html", event_md_html(r, t->note));
	vset_int(o, "version", t->version);
	vset_str(o, "etag", arena_printf(r->a, "\"%lld-v%lld\"",
	    (long long)t->id, (long long)t->version));
	vset_str(o, "created_at", t->created_at);
	vset_str(o, "updated_at", t->updated_at);
	vset_int(o, "blocks_count", t->nblocks);
	vset_int(o, "advances_count", t->nadvances);
	vset_int(o, "advance_templates_count", t->natpls);
	return o;
}

/* --- blocks -------------------------------------------------------------- */

static struct dbq q_blk_open = DBQ(
    "UPDATE module_blocks SET position = position + 1"
    " WHERE template_id = ? AND event_id = ? AND position >= ?"
    " AND position < ?");
static struct dbq q_blk_close = DBQ(
    "UPDATE module_blocks SET position = position - 1"
    " WHERE template_id = ? AND event_id = ? AND position > ?"
    " AND position <= ?");
static struct dbq q_blk_setpos = DBQ(
    "UPDATE module_blocks SET position = ? WHERE id = ? AND event_id = ?");
static struct dbq q_blk_insert = DBQ(
    "INSERT INTO module_blocks (event_id, template_id, position, kind,"
    " body, label, prompt, help, rtype, required, options, num_min,"
    " num_max, num_whole, item_label, asset_type_id, needs_op, needs_res,"
    " procurement, max_items, retired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, NULLIF(?, 0), ?)");
static struct dbq q_blk_update = DBQ(
    "UPDATE module_blocks SET body = ?, label = ?, prompt = ?, help = ?,"
    " rtype = ?, required = ?, options = ?, num_min = ?, num_max = ?,"
    " num_whole = ?, item_label = ?, asset_type_id = NULLIF(?, 0),"
    " needs_op = ?, needs_res = ?, procurement = ?,"
    " max_items = NULLIF(?, 0), retired = ?, version = version + 1"
    " WHERE id = ? AND template_id = ? AND event_id = ? AND version = ?");
static struct dbq q_blk_retire = DBQ(
    "UPDATE module_blocks SET retired = 1, version = version + 1"
    " WHERE id = ? AND template_id = ? AND event_id = ? AND version = ?");
static struct dbq q_blk_delete = DBQ(
    "DELETE FROM module_blocks WHERE id = ? AND template_id = ?"
    " AND event_id = ?");
static struct dbq q_blk_use = DBQ(
    "SELECT b.id, (SELECT COUNT(*) FROM answers a WHERE a.block_id = b.id),"
    " (SELECT COUNT(*) FROM line_items li WHERE li.event_id = b.event_id"
    "  AND li.block_id = b.id)"
    " FROM module_blocks b WHERE b.template_id = ? AND b.event_id = ?");
static struct dbq q_blk_values = DBQ(
    "SELECT DISTINCT value FROM answers WHERE block_id = ?"
    " AND event_id = ?");

/* The columns a kind does not use are stored NULL or 0. */
static void
bind_fields(const struct mblock_fields *f, const char **body,
    const char **label, const char **prompt, const char **help,
    const char **rtype, const char **opts, const char **min,
    const char **max, const char **item)
{
	*body = *label = *prompt = *help = *rtype = *opts = *min = *max =
	    *item = NULL;
	switch (f->kind) {
	case BK_CONTENT:
		*body = f->body;
		break;
	case BK_QUESTION:
		*label = f->label;
		*prompt = f->prompt;
		*help = f->help;
		*rtype = rtype_name(f->rtype);
		*opts = rtype_has_options(f->rtype) ? f->options : NULL;
		*min = f->rtype == RT_NUMBER ? f->num_min : NULL;
		*max = f->rtype == RT_NUMBER ? f->num_max : NULL;
		break;
	case BK_REQUEST:
		*label = f->label;
		*item = f->item_label;
		break;
	}
}

int64_t
modtpl_block_insert(struct req *r, int64_t event_id, int64_t template_id,
    int64_t position, const struct mblock_fields *f)
{
	const char	*body, *label, *prompt, *help, *rt, *opts, *min, *max,
			*item;
	int		 q = f->kind == BK_QUESTION;
	int		 rq = f->kind == BK_REQUEST;

	(void)r;
	bind_fields(f, &body, &label, &prompt, &help, &rt, &opts, &min, &max,
	    &item);
	if (db_exec(&q_blk_open, "iiii", template_id, event_id, position,
	    (int64_t)POS_END) < 0)
		return -1;
	if (db_exec(&q_blk_insert, "iiissssssisssisiiiiii", event_id,
	    template_id, position, block_kind_name(f->kind), body, label,
	    prompt, help, rt, (int64_t)(q && f->required), opts, min, max,
	    (int64_t)(q && f->rtype == RT_NUMBER && f->num_whole), item,
	    rq ? f->asset_type_id : 0, (int64_t)(rq && f->needs_op),
	    (int64_t)(rq && f->needs_res), (int64_t)(rq && f->procurement),
	    rq ? f->max_items : 0, (int64_t)(f->retired != 0)) < 0)
		return -1;
	return db_insert_id();
}

int
modtpl_block_update(struct req *r, int64_t event_id, int64_t template_id,
    int64_t id, int64_t version, const struct mblock_fields *f)
{
	const char	*body, *label, *prompt, *help, *rt, *opts, *min, *max,
			*item;
	int		 q = f->kind == BK_QUESTION;
	int		 rq = f->kind == BK_REQUEST;
	int64_t		 n;

	(void)r;
	bind_fields(f, &body, &label, &prompt, &help, &rt, &opts, &min, &max,
	    &item);
	n = db_exec(&q_blk_update, "sssssisssisiiiiiiiiii", body, label, prompt,
	    help, rt, (int64_t)(q && f->required), opts, min, max,
	    (int64_t)(q && f->rtype == RT_NUMBER && f->num_whole), item,
	    rq ? f->asset_type_id : 0, (int64_t)(rq && f->needs_op),
	    (int64_t)(rq && f->needs_res), (int64_t)(rq && f->procurement),
	    rq ? f->max_items : 0, (int64_t)(f->retired != 0), id,
	    template_id, event_id, version);
	if (n < 0)
		return -1;
	return n == 1;
}

int
modtpl_block_retire(struct req *r, int64_t event_id, int64_t template_id,
    int64_t id, int64_t version)
{
	(void)r;
	return cfgdb_one(db_exec(&q_blk_retire, "iiii", id, template_id,
	    event_id, version));
}

int
modtpl_block_move(struct req *r, int64_t event_id, int64_t template_id,
    const struct mblock *b, int64_t to)
{
	(void)r;
	if (to == b->position)
		return 0;
	if (to < b->position) {
		if (db_exec(&q_blk_open, "iiii", template_id, event_id, to,
		    b->position) < 0)
			return -1;
	} else if (db_exec(&q_blk_close, "iiii", template_id, event_id,
	    b->position, to) < 0)
		return -1;
	return db_exec(&q_blk_setpos, "iii", to, b->id, event_id) < 0 ?
	    -1 : 0;
}

int
modtpl_block_delete(struct req *r, int64_t event_id, int64_t template_id,
    const struct mblock *b)
{
	(void)r;
	if (db_exec(&q_blk_delete, "iii", b->id, template_id, event_id) < 0 ||
	    db_exec(&q_blk_close, "iiii", template_id, event_id, b->position,
	    (int64_t)POS_END) < 0)
		return -1;
	return 0;
}

static int
use_row(struct req *r, struct dbq *q, void *row)
{
	struct mblock_use *u = row;

	(void)r;
	return db_fetch(q, "iii", &u->block_id, &u->answers, &u->items);
}

struct mblock_use *
modtpl_block_use(struct req *r, int64_t event_id, int64_t template_id,
    size_t *n)
{
	return cfgdb_rows(r, &q_blk_use, db_select(&q_blk_use, "ii",
	    template_id, event_id), use_row, sizeof(struct mblock_use),
	    (size_t)-1, n);
}

char **
modtpl_block_values(struct req *r, int64_t event_id, int64_t block_id,
    size_t *n)
{
	return cfgdb_rows(r, &q_blk_values, db_select(&q_blk_values, "ii",
	    block_id, event_id), cfgdb_value_row, sizeof(char *), VALUES_MAX,
	    n);
}
