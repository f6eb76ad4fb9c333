/* assettype.c — asset type rows, their properties and sub-assets. */
#include <string.h>

#include "assettype.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"
#include "model/modtpl.h"
#include "render/view.h"

#define TYPES_MAX	1000	/* asset types listed for one event */
#define VALUES_MAX	20000	/* values read to find option keys */
#define POS_END		2147483647

#define TYPE_COLS \
    "t.id, t.name, t.label, t.icon, t.category, t.item_label," \
    " DATE_FORMAT(t.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(t.updated_at, '%Y-%m-%dT%H:%i:%sZ'), t.version"

static struct dbq q_list = DBQ(
    "SELECT " TYPE_COLS ","
    " (SELECT COUNT(*) FROM asset_props p WHERE p.asset_type_id = t.id"
    "  AND p.sub_id IS NULL AND p.retired = 0),"
    " (SELECT COUNT(*) FROM asset_subs s WHERE s.asset_type_id = t.id"
    "  AND s.retired = 0),"
    " (SELECT COUNT(*) FROM module_blocks b WHERE b.asset_type_id = t.id"
    "  AND b.event_id = t.event_id)"
    " FROM asset_types t WHERE t.event_id = ? ORDER BY t.label, t.id");
static struct dbq q_get = DBQ(
    "SELECT " TYPE_COLS " FROM asset_types t WHERE t.id = ?"
    " AND t.event_id = ?");
static struct dbq q_lock = DBQ(
    "SELECT " TYPE_COLS " FROM asset_types t WHERE t.id = ?"
    " AND t.event_id = ? FOR UPDATE");
static struct dbq q_props = DBQ(
    "SELECT p.id, COALESCE(p.sub_id, 0), p.pkey, p.label, p.rtype,"
    " p.options, p.required, p.retired, p.position FROM asset_props p"
    " WHERE p.asset_type_id = ? AND p.event_id = ?"
    " ORDER BY COALESCE(p.sub_id, 0), p.position, p.id");
static struct dbq q_subs = DBQ(
    "SELECT s.id, s.skey, s.label, s.retired, s.position FROM asset_subs s"
    " WHERE s.asset_type_id = ? AND s.event_id = ?"
    " ORDER BY s.position, s.id");
static struct dbq q_taken = DBQ(
    "SELECT COUNT(*) FROM asset_types WHERE event_id = ?"
    " AND LOWER(name) = LOWER(?) AND id <> ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO asset_types (event_id, name, label, icon, category,"
    " item_label, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?,"
    " UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_update = DBQ(
    "UPDATE asset_types SET name = ?, label = ?, icon = ?, category = ?,"
    " item_label = ?, version = version + 1, updated_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_touch = DBQ(
    "UPDATE asset_types SET version = version + 1,"
    " updated_at = UTC_TIMESTAMP(3)"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM asset_types WHERE id = ? AND event_id = ?");
static struct dbq q_users = DBQ(
    "SELECT t.id, t.name, b.id, COALESCE(b.label, ''), b.retired"
    " FROM module_blocks b JOIN module_templates t ON t.id = b.template_id"
    " WHERE b.event_id = ? AND b.asset_type_id = ?"
    " ORDER BY t.name, t.id, b.position, b.id");

/* Positions within one group of properties: [lo, hi) one down, (lo, hi]
 * one up. */
static struct dbq q_prop_open = DBQ(
    "UPDATE asset_props SET position = position + 1"
    " WHERE asset_type_id = ? AND event_id = ? AND COALESCE(sub_id, 0) = ?"
    " AND position >= ? AND position < ?");
static struct dbq q_prop_close = DBQ(
    "UPDATE asset_props SET position = position - 1"
    " WHERE asset_type_id = ? AND event_id = ? AND COALESCE(sub_id, 0) = ?"
    " AND position > ? AND position <= ?");
static struct dbq q_prop_setpos = DBQ(
    "UPDATE asset_props SET position = ? WHERE id = ? AND event_id = ?");
static struct dbq q_prop_insert = DBQ(
    "INSERT INTO asset_props (event_id, asset_type_id, sub_id, pkey, label,"
    " rtype, options, required, position) VALUES (?, ?, NULLIF(?, 0), ?,"
    " ?, ?, ?, ?, ?)");
static struct dbq q_prop_update = DBQ(
    "UPDATE asset_props SET label = ?, rtype = ?, options = ?,"
    " required = ?, retired = ? WHERE id = ? AND event_id = ?");
static struct dbq q_prop_delete = DBQ(
    "DELETE FROM asset_props WHERE id = ? AND event_id = ?");

static struct dbq q_sub_open = DBQ(
    "UPDATE asset_subs SET position = position + 1"
    " WHERE asset_type_id = ? AND event_id = ? AND position >= ?"
    " AND position < ?");
static struct dbq q_sub_close = DBQ(
    "UPDATE asset_subs SET position = position - 1"
    " WHERE asset_type_id = ? AND event_id = ? AND position > ?"
    " AND position <= ?");
static struct dbq q_sub_setpos = DBQ(
    "UPDATE asset_subs SET position = ? WHERE id = ? AND event_id = ?");
/* The next position in the same statement: no read before the insert. */
static struct dbq q_sub_insert = DBQ(
    "INSERT INTO asset_subs (event_id, asset_type_id, skey, label,"
    " position) SELECT ?, ?, ?, ?, COALESCE(MAX(position), -1) + 1"
    " FROM asset_subs WHERE asset_type_id = ?");
static struct dbq q_sub_update = DBQ(
    "UPDATE asset_subs SET label = ?, retired = ? WHERE id = ?"
    " AND event_id = ?");
static struct dbq q_sub_delete = DBQ(
    "DELETE FROM asset_subs WHERE id = ? AND event_id = ?");

/* Line-item values of a type's properties (prepared JSON queries; the
 * path is built from stored keys). */
static struct dbq q_values_count = DBQ(
    "SELECT COUNT(*) FROM line_items li"
    " JOIN module_blocks b ON b.id = li.block_id"
    " WHERE li.event_id = ? AND b.asset_type_id = ?"
    " AND COALESCE(JSON_EXTRACT(li.props, ?), 'null')"
    " NOT IN ('null', '\"\"', '[]', '[null]')");
static struct dbq q_sub_rows = DBQ(
    "SELECT COUNT(*) FROM line_items li"
    " JOIN module_blocks b ON b.id = li.block_id"
    " WHERE li.event_id = ? AND b.asset_type_id = ?"
    " AND COALESCE(JSON_LENGTH(li.props, ?), 0) > 0");
static struct dbq q_values = DBQ(
    "SELECT JSON_EXTRACT(li.props, ?) FROM line_items li"
    " JOIN module_blocks b ON b.id = li.block_id"
    " WHERE li.event_id = ? AND b.asset_type_id = ?"
    " AND JSON_EXTRACT(li.props, ?) IS NOT NULL");

static int
fetch(struct dbq *q, struct atype *t, int counts)
{
	memset(t, 0, sizeof(*t));
	if (counts)
		return db_fetch(q, "isssssssiiii", &t->id, &t->name, &t->label,
		    &t->icon, &t->category, &t->item_label, &t->created_at,
		    &t->updated_at, &t->version, &t->nprops_count,
		    &t->nsubs_count, &t->nblocks);
	return db_fetch(q, "isssssssi", &t->id, &t->name, &t->label, &t->icon,
	    &t->category, &t->item_label, &t->created_at, &t->updated_at,
	    &t->version);
}

/* A row of the list: with its counts. */
static int
list_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return fetch(q, row, 1);
}

struct atype *
atype_list(struct req *r, int64_t event_id, size_t *n)
{
	return cfgdb_rows(r, &q_list, db_select(&q_list, "i", event_id),
	    list_row, sizeof(struct atype), TYPES_MAX, n);
}

/* One type: its own columns (the parts come from atype_parts). */
static int
type_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return fetch(q, row, 0);
}

int
atype_get(struct req *r, int64_t event_id, int64_t id, struct atype *t)
{
	return cfgdb_get(r, &q_get, event_id, id, type_row, t);
}

int
atype_lock(struct req *r, int64_t event_id, int64_t id, struct atype *t)
{
	return cfgdb_get(r, &q_lock, event_id, id, type_row, t);
}

int
atype_parts(struct req *r, int64_t event_id, struct atype *t)
{
	struct aprop	 p;
	struct asub	 s;
	char		*rtype, *opts;
	int64_t		 req, ret;
	size_t		 cap = 0;
	int		 rc;

	t->props = NULL;
	t->nprops = 0;
	if (db_select(&q_props, "ii", t->id, event_id) != 0)
		return -1;
	for (;;) {
		memset(&p, 0, sizeof(p));
		if ((rc = db_fetch(&q_props, "iissssiii", &p.id, &p.sub_id,
		    &p.key, &p.label, &rtype, &opts, &req, &ret,
		    &p.position)) != 1)
			break;
		if (rtype_parse(rtype, &p.rtype) != 0)
			p.rtype = RT_TEXT;
		p.required = req != 0;
		p.retired = ret != 0;
		p.opts = rt_options_parse(r->a, opts, &p.nopts);
		t->props = arena_grow(r->a, t->props, t->nprops, &cap,
		    sizeof(p));
		t->props[t->nprops++] = p;
	}
	db_done(&q_props);
	if (rc < 0)
		return -1;
	t->subs = NULL;
	t->nsubs = 0;
	cap = 0;
	if (db_select(&q_subs, "ii", t->id, event_id) != 0)
		return -1;
	for (;;) {
		memset(&s, 0, sizeof(s));
		if ((rc = db_fetch(&q_subs, "issii", &s.id, &s.key, &s.label,
		    &ret, &s.position)) != 1)
			break;
		s.retired = ret != 0;
		t->subs = arena_grow(r->a, t->subs, t->nsubs, &cap, sizeof(s));
		t->subs[t->nsubs++] = s;
	}
	db_done(&q_subs);
	return rc < 0 ? -1 : 0;
}

int
atype_name_taken(struct req *r, int64_t event_id, const char *name,
    int64_t except_id)
{
	(void)r;
	return cfgdb_taken(&q_taken, event_id, name, except_id);
}

int64_t
atype_insert(struct req *r, int64_t event_id, const struct atype_fields *f)
{
	(void)r;
	return cfgdb_inserted(db_exec(&q_insert, "isssss", event_id, f->name,
	    f->label, f->icon, f->category, f->item_label));
}

int
atype_update(struct req *r, int64_t event_id, int64_t id, int64_t version,
    const struct atype_fields *f)
{
	(void)r;
	return cfgdb_updated(db_exec(&q_update, "sssssiii", f->name, f->label,
	    f->icon, f->category, f->item_label, id, event_id, version));
}

int
atype_touch(struct req *r, int64_t event_id, int64_t id, int64_t version)
{
	(void)r;
	return cfgdb_one(db_exec(&q_touch, "iii", id, event_id, version));
}

int
atype_delete(struct req *r, int64_t event_id, int64_t id)
{
	(void)r;
	return cfgdb_one(db_exec(&q_delete, "ii", id, event_id));
}

json_object *
atype_users(struct req *r, int64_t event_id, int64_t id)
{
	json_object	*a;
	int64_t		 tid, bid, ret;
	char		*tname, *bname;
	int		 rc;

	(void)r;
	if (db_select(&q_users, "ii", event_id, id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_users, "isisi", &tid, &tname, &bid, &bname,
	    &ret)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "module_template_id", tid);
		vset_str(o, "module_template_name", tname);
		vset_int(o, "block_id", bid);
		vset_str(o, "block_name", bname);
		vset_bool(o, "retired", ret != 0);
		json_object_array_add(a, o);
	}
	db_done(&q_users);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

/* --- properties ---------------------------------------------------------- */

int64_t
aprop_insert(struct req *r, int64_t event_id, int64_t type_id,
    int64_t sub_id, int64_t position, const char *key, const char *label,
    enum rtype t, const char *options, int required)
{
	(void)r;
	if (db_exec(&q_prop_open, "iiiii", type_id, event_id, sub_id,
	    position, (int64_t)POS_END) < 0)
		return -1;
	if (db_exec(&q_prop_insert, "iiissssii", event_id, type_id, sub_id,
	    key, label, rtype_name(t), options, (int64_t)(required != 0),
	    position) < 0)
		return -1;
	return db_insert_id();
}

int
aprop_update(struct req *r, int64_t event_id, int64_t id, const char *label,
    enum rtype t, const char *options, int required, int retired)
{
	(void)r;
	return db_exec(&q_prop_update, "sssiiii", label, rtype_name(t),
	    options, (int64_t)(required != 0), (int64_t)(retired != 0), id,
	    event_id) < 0 ? -1 : 0;
}

int
aprop_delete(struct req *r, int64_t event_id, int64_t type_id,
    const struct aprop *p)
{
	(void)r;
	if (db_exec(&q_prop_delete, "ii", p->id, event_id) < 0 ||
	    db_exec(&q_prop_close, "iiiii", type_id, event_id, p->sub_id,
	    p->position, (int64_t)POS_END) < 0)
		return -1;
	return 0;
}

int
aprop_move(struct req *r, int64_t event_id, int64_t type_id,
    const struct aprop *p, int64_t to)
{
	(void)r;
	if (to == p->position)
		return 0;
	if (to < p->position) {
		if (db_exec(&q_prop_open, "iiiii", type_id, event_id,
		    p->sub_id, to, p->position) < 0)
			return -1;
	} else if (db_exec(&q_prop_close, "iiiii", type_id, event_id,
	    p->sub_id, p->position, to) < 0)
		return -1;
	return db_exec(&q_prop_setpos, "iii", to, p->id, event_id) < 0 ?
	    -1 : 0;
}

/* --- sub-assets ---------------------------------------------------------- */

int64_t
asub_insert(struct req *r, int64_t event_id, int64_t type_id,
    const char *key, const char *label)
{
	(void)r;
	return cfgdb_inserted(db_exec(&q_sub_insert, "iissi", event_id, type_id,
	    key, label, type_id));
}

int
asub_update(struct req *r, int64_t event_id, int64_t id, const char *label,
    int retired)
{
	(void)r;
	return db_exec(&q_sub_update, "siii", label, (int64_t)(retired != 0),
	    id, event_id) < 0 ? -1 : 0;
}

int
asub_delete(struct req *r, int64_t event_id, int64_t type_id,
    const struct asub *s)
{
	(void)r;
	/* Its properties go with it (ON DELETE CASCADE). */
	if (db_exec(&q_sub_delete, "ii", s->id, event_id) < 0 ||
	    db_exec(&q_sub_close, "iiii", type_id, event_id, s->position,
	    (int64_t)POS_END) < 0)
		return -1;
	return 0;
}

int
asub_move(struct req *r, int64_t event_id, int64_t type_id,
    const struct asub *s, int64_t to)
{
	(void)r;
	if (to == s->position)
		return 0;
	if (to < s->position) {
		if (db_exec(&q_sub_open, "iiii", type_id, event_id, to,
		    s->position) < 0)
			return -1;
	} else if (db_exec(&q_sub_close, "iiii", type_id, event_id,
	    s->position, to) < 0)
		return -1;
	return db_exec(&q_sub_setpos, "iii", to, s->id, event_id) < 0 ?
	    -1 : 0;
}

/* --- values of line items ------------------------------------------------ */

const char *
atype_path(struct req *r, const char *sub_key, const char *key)
{
	/* Keys are a-z 0-9 _ (atype_key_valid), quoted all the same. */
	if (sub_key == NULL)
		return arena_printf(r->a, "$.props.\"%s\"", key);
	if (key == NULL)
		return arena_printf(r->a, "$.subs.\"%s\"", sub_key);
	return arena_printf(r->a, "$.subs.\"%s\"[*].\"%s\"", sub_key, key);
}

static int64_t
count_of(struct dbq *q, int64_t event_id, int64_t type_id, const char *path)
{
	int64_t	 n = 0;
	int	 rc;

	if (db_select(q, "iis", event_id, type_id, path) != 0)
		return -1;
	rc = db_fetch(q, "i", &n);
	db_done(q);
	return rc < 0 ? -1 : n;
}

int64_t
atype_values_count(struct req *r, int64_t event_id, int64_t type_id,
    const char *path)
{
	(void)r;
	return count_of(&q_values_count, event_id, type_id, path);
}

int64_t
atype_sub_rows_count(struct req *r, int64_t event_id, int64_t type_id,
    const char *path)
{
	(void)r;
	return count_of(&q_sub_rows, event_id, type_id, path);
}

char **
atype_values(struct req *r, int64_t event_id, int64_t type_id,
    const char *path, size_t *n)
{
	return cfgdb_rows(r, &q_values, db_select(&q_values, "siis", path,
	    event_id, type_id, path), cfgdb_value_row, sizeof(char *),
	    VALUES_MAX, n);
}

int
atype_key_valid(const char *s)
{
	size_t	 i;

	if (s == NULL || !(*s >= 'a' && *s <= 'z'))
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i <= ATYPE_KEY_MAX;
}

/* --- JSON ---------------------------------------------------------------- */

json_object *
aprop_json(const struct aprop *p)
{
	json_object	*o = json_object_new_object(), *opts;
	size_t		 i;

	vset_int(o, "id", p->id);
	vset_str(o, "key", p->key);
	vset_str(o, "label", p->label);
	vset_str(o, "response_type", rtype_name(p->rtype));
	vset_str(o, "response_type_label", rtype_label(p->rtype));
	vset_bool(o, "required", p->required);
	vset_bool(o, "retired", p->retired);
	vset_int(o, "position", p->position);
	if (rtype_has_options(p->rtype)) {
		opts = json_object_new_array();
		for (i = 0; i < p->nopts; i++) {
			json_object	*x = json_object_new_object();

			vset_str(x, "key", p->opts[i].key);
			vset_str(x, "label", p->opts[i].label);
			vset_bool(x, "retired", p->opts[i].retired);
			json_object_array_add(opts, x);
		}
		vset_obj(o, "options", opts);
	}
	return o;
}

json_object *
atype_json(struct req *r, const struct atype *t, int parts)
{
	json_object	*o = json_object_new_object(), *props, *subs;
	size_t		 i, j;

	vset_int(o, "id", t->id);
	vset_str(o, "name", t->name);
	vset_str(o, "label", t->label);
	vset_str(o, "icon", t->icon);
	vset_str(o, "category", t->category);
	vset_str(o, "item_label", t->item_label);
	vset_int(o, "version", t->version);
	vset_str(o, "etag", arena_printf(r->a, "\"%lld-v%lld\"",
	    (long long)t->id, (long long)t->version));
	vset_str(o, "created_at", t->created_at);
	vset_str(o, "updated_at", t->updated_at);
	if (!parts) {
		vset_int(o, "properties_count", t->nprops_count);
		vset_int(o, "sub_assets_count", t->nsubs_count);
		vset_int(o, "request_blocks_count", t->nblocks);
		return o;
	}
	props = json_object_new_array();
	for (i = 0; i < t->nprops; i++)
		if (t->props[i].sub_id == 0)
			json_object_array_add(props, aprop_json(&t->props[i]));
	vset_obj(o, "properties", props);
	subs = json_object_new_array();
	for (j = 0; j < t->nsubs; j++) {
		json_object	*s = json_object_new_object(), *sp;

		vset_int(s, "id", t->subs[j].id);
		vset_str(s, "key", t->subs[j].key);
		vset_str(s, "label", t->subs[j].label);
		vset_bool(s, "retired", t->subs[j].retired);
		vset_int(s, "position", t->subs[j].position);
		sp = json_object_new_array();
		for (i = 0; i < t->nprops; i++)
			if (t->props[i].sub_id == t->subs[j].id)
				json_object_array_add(sp,
				    aprop_json(&t->props[i]));
		vset_obj(s, "properties", sp);
		json_object_array_add(subs, s);
	}
	vset_obj(o, "sub_assets", subs);
	return o;
}
