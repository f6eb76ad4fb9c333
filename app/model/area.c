/* area.c — area rows, their palette and what uses them. */
#include <string.h>

#include "area.h"
#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "model/event.h"
#include "policy/perm.h"
#include "render/view.h"

#define ER_DUP_ENTRY	1062
#define AREAS_MAX	1000	/* areas listed for one event */

#define AREA_COLS \
    "a.id, a.uuid, a.event_id, a.name, a.description, a.colour," \
    " a.position, a.version, DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ')"

static struct dbq q_load = DBQ(
    "SELECT " AREA_COLS " FROM areas a WHERE a.id = ? AND a.event_id = ?");
static struct dbq q_lock = DBQ(
    "SELECT " AREA_COLS " FROM areas a WHERE a.id = ? AND a.event_id = ?"
    " FOR UPDATE");
static struct dbq q_list = DBQ(
    "SELECT " AREA_COLS ","
    " (SELECT COUNT(DISTINCT g.user_id) FROM grants g"
    "  WHERE g.event_id = a.event_id AND g.domain = 'area'"
    "  AND g.scope_id = a.id) "
    "FROM areas a WHERE a.event_id = ? ORDER BY a.position, a.name, a.id");
/* The next position in the same statement: no read before the insert. */
static struct dbq q_insert = DBQ(
    "INSERT INTO areas (uuid, event_id, name, name_norm, description,"
    " colour, position, created_at) SELECT ?, ?, ?, LOWER(?), ?, ?,"
    " COALESCE(MAX(position), 0) + 1, UTC_TIMESTAMP(3) FROM areas"
    " WHERE event_id = ?");
static struct dbq q_update = DBQ(
    "UPDATE areas SET name = ?, name_norm = LOWER(?), description = ?,"
    " colour = ?, version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_delete_grants = DBQ(
    "DELETE FROM grants WHERE event_id = ? AND domain = 'area'"
    " AND scope_id = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM areas WHERE id = ? AND event_id = ?");
static struct dbq q_people = DBQ(
    "SELECT g.user_id, u.name, u.email, g.section, g.level FROM grants g"
    " JOIN users u ON u.id = g.user_id WHERE g.event_id = ?"
    " AND g.domain = 'area' AND g.scope_id = ?"
    " ORDER BY u.name, u.id, g.section");

static struct dbq q_in_use = DBQ(
    "SELECT (SELECT COUNT(*) FROM activity_areas WHERE event_id = ?"
    " AND area_id = ?), (SELECT COUNT(*) FROM task_areas"
    " WHERE event_id = ? AND area_id = ?), (SELECT COUNT(*) FROM advances"
    " WHERE event_id = ? AND area_id = ?)");

static const char *const colours[] = { "slate", "red", "orange", "amber",
    "green", "teal", "blue", "indigo", "purple", "pink" };
static const char *const colour_labels[] = { "Slate", "Red", "Orange",
    "Amber", "Green", "Teal", "Blue", "Indigo", "Purple", "Pink" };
#define NCOLOURS	(sizeof(colours) / sizeof(colours[0]))

int
area_colour_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < NCOLOURS; i++)
		if (strcmp(s, colours[i]) == 0)
			return 1;
	return 0;
}

static const char *
colour_label(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < NCOLOURS; i++)
		if (strcmp(s, colours[i]) == 0)
			return colour_labels[i];
	return s;
}

json_object *
area_colours_json(const char *selected)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	if (!area_colour_valid(selected))
		selected = colours[0];
	for (i = 0; i < NCOLOURS; i++) {
		json_object	*o = json_object_new_object();

		vset_str(o, "value", colours[i]);
		vset_str(o, "label", colour_labels[i]);
		vset_bool(o, "selected", strcmp(selected, colours[i]) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

static int
fetch(struct dbq *q, struct area *a, int counts)
{
	memset(a, 0, sizeof(*a));
	if (counts)
		return db_fetch(q, "isisssiisi", &a->id, &a->uuid,
		    &a->event_id, &a->name, &a->description, &a->colour,
		    &a->position, &a->version, &a->created_at, &a->people);
	return db_fetch(q, "isisssiis", &a->id, &a->uuid, &a->event_id,
	    &a->name, &a->description, &a->colour, &a->position, &a->version,
	    &a->created_at);
}

static int
one(struct dbq *q, int64_t event_id, int64_t area_id, struct area *a)
{
	int	 rc;

	if (db_select(q, "ii", area_id, event_id) != 0)
		return -1;
	rc = fetch(q, a, 0);
	db_done(q);
	return rc;
}

int
area_load(struct req *r, int64_t event_id, int64_t area_id, struct area *a)
{
	(void)r;
	return one(&q_load, event_id, area_id, a);
}

int
area_lock(struct req *r, int64_t event_id, int64_t area_id, struct area *a)
{
	(void)r;
	return one(&q_lock, event_id, area_id, a);
}

struct area *
area_list(struct req *r, int64_t event_id, size_t *n)
{
	struct area	*v;
	int		 rc;

	*n = 0;
	if (db_select(&q_list, "i", event_id) != 0)
		return NULL;
	v = arena_calloc(r->a, AREAS_MAX + 1, sizeof(*v));
	while ((rc = fetch(&q_list, &v[*n], 1)) == 1)
		if (*n < AREAS_MAX)
			(*n)++;
	db_done(&q_list);
	return rc < 0 ? NULL : v;
}

int64_t
area_insert(struct req *r, int64_t event_id, const char *name,
    const char *description, const char *colour)
{
	char	 uuid[37];

	(void)r;
	token_uuid(uuid);
	if (db_exec(&q_insert, "sissssi", uuid, event_id, name, name,
	    description, colour, event_id) < 0)
		return db_errno() == ER_DUP_ENTRY ? 0 : -1;
	return db_insert_id();
}

int
area_update(struct req *r, int64_t event_id, int64_t area_id,
    int64_t version, const char *name, const char *description,
    const char *colour)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_update, "ssssiii", name, name, description, colour,
	    area_id, event_id, version);
	if (n < 0)
		return db_errno() == ER_DUP_ENTRY ? 2 : -1;
	return n == 1;
}

int
area_in_use(struct req *r, int64_t event_id, int64_t area_id,
    struct area_use *u)
{
	int	 rc;

	(void)r;
	memset(u, 0, sizeof(*u));
	/* Files join this count when they arrive. */
	if (db_select(&q_in_use, "iiiiii", event_id, area_id, event_id,
	    area_id, event_id, area_id) != 0)
		return -1;
	rc = db_fetch(&q_in_use, "iii", &u->activities, &u->tasks,
	    &u->advances);
	db_done(&q_in_use);
	return rc < 0 ? -1 : 0;
}

static const char *
counted(struct req *r, const char *prev, int64_t n, const char *one_,
    const char *many)
{
	const char	*s;

	if (n <= 0)
		return prev;
	s = arena_printf(r->a, "%lld %s", (long long)n, n == 1 ? one_ : many);
	return prev == NULL ? s : arena_printf(r->a, "%s, %s", prev, s);
}

const char *
area_use_text(struct req *r, const struct area_use *u)
{
	const char	*tags = NULL, *s = NULL;

	tags = counted(r, tags, u->activities, "activity", "activities");
	tags = counted(r, tags, u->tasks, "task", "tasks");
	if (tags != NULL)
		s = arena_printf(r->a, "it is tagged on %s", tags);
	if (u->advances > 0)
		s = arena_printf(r->a, "%s%s%s scoped to it", s ? s : "",
		    s ? "; " : "", counted(r, NULL, u->advances,
		    "advance is", "advances are"));
	if (u->files > 0)
		s = arena_printf(r->a, "%s%sits drive holds %s", s ? s : "",
		    s ? "; " : "", counted(r, NULL, u->files, "file",
		    "files"));
	return s;
}

int
area_delete(struct req *r, int64_t event_id, int64_t area_id,
    int64_t *grants)
{
	int64_t	 n;

	(void)r;
	if ((*grants = db_exec(&q_delete_grants, "ii", event_id, area_id)) < 0)
		return -1;
	if ((n = db_exec(&q_delete, "ii", area_id, event_id)) < 0)
		return -1;
	return n == 1;
}

json_object *
area_people_json(struct req *r, int64_t event_id, int64_t area_id)
{
	json_object	*a, *cur = NULL, *gs = NULL;
	int64_t		 uid, last = 0, lvl;
	char		*name, *email, *sec;
	int		 rc;

	(void)r;
	if (db_select(&q_people, "ii", event_id, area_id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_people, "isssi", &uid, &name, &email, &sec,
	    &lvl)) == 1) {
		json_object	*g;

		if (cur == NULL || uid != last) {
			cur = json_object_new_object();
			gs = json_object_new_array();
			vset_int(cur, "user_id", uid);
			vset_str(cur, "name", name);
			vset_str(cur, "email", email);
			vset_obj(cur, "grants", gs);
			json_object_array_add(a, cur);
			last = uid;
		}
		g = json_object_new_object();
		vset_str(g, "section", sec);
		vset_str(g, "level", level_name(lvl >= 0 && lvl <= LV_ADMIN ?
		    (enum level)lvl : LV_NONE));
		json_object_array_add(gs, g);
	}
	db_done(&q_people);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

json_object *
area_json(struct req *r, const struct area *a)
{
	json_object	*j = json_object_new_object();

	vset_int(j, "id", a->id);
	vset_str(j, "uuid", a->uuid);
	vset_str(j, "name", a->name);
	vset_str(j, "description", a->description);
	vset_str(j, "description_html", event_md_html(r, a->description));
	vset_str(j, "colour", a->colour);
	vset_str(j, "colour_label", colour_label(a->colour));
	vset_int(j, "position", a->position);
	vset_int(j, "version", a->version);
	vset_str(j, "created_at", a->created_at);
	vset_str(j, "url", arena_printf(r->a, "/events/%lld/areas/%lld",
	    (long long)a->event_id, (long long)a->id));
	return j;
}
