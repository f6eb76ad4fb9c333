/* exportid.c — export ids, uuids of people and rooms, and crew contacts
 * for pages/exports.c and pages/daysheet.c.
 * Lists pass through JSON_TABLE so that one statement serves any number
 * of guids. */
#include <string.h>

#include <json-c/json.h>

#include "core/req.h"
#include "db/db.h"
#include "exportid.h"

#define LIST_MAX	100000

/* Hex without dashes in, "8-4-4-4-12" back out, so guids compare as the
 * caller wrote them. */
#define GUID_TXT(c) \
    "LOWER(CONCAT_WS('-', SUBSTR(HEX(" c "), 1, 8), SUBSTR(HEX(" c "), 9, 4)," \
    " SUBSTR(HEX(" c "), 13, 4), SUBSTR(HEX(" c "), 17, 4)," \
    " SUBSTR(HEX(" c "), 21, 12)))"

static struct dbq q_ids = DBQ(
    "SELECT " GUID_TXT("m.guid") ", m.export_id"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (g CHAR(32) PATH '$')) AS j"
    " JOIN export_id_map m ON m.guid = UNHEX(j.g)");
/* Only guids found missing a moment ago; IGNORE covers a concurrent
 * export inserting the same one in between. */
static struct dbq q_ids_insert = DBQ(
    "INSERT IGNORE INTO export_id_map (guid, created_at)"
    " SELECT UNHEX(j.g), UTC_TIMESTAMP()"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (g CHAR(32) PATH '$')) AS j");
static struct dbq q_users = DBQ(
    "SELECT u.id, u.uuid, COALESCE(eu.collaborator_id, 0) FROM users u"
    " JOIN (SELECT DISTINCT user_id FROM activity_participants"
    "  WHERE event_id = ? AND user_id IS NOT NULL) p ON p.user_id = u.id"
    " LEFT JOIN event_users eu ON eu.event_id = ? AND eu.user_id = u.id"
    " ORDER BY u.id");
static struct dbq q_collabs = DBQ(
    "SELECT id, uuid, name, 0 FROM collaborators WHERE event_id = ?"
    " ORDER BY id");
static struct dbq q_areas = DBQ(
    "SELECT id, uuid, name, position FROM areas WHERE event_id = ?"
    " ORDER BY position, name, id");
static struct dbq q_contacts = DBQ(
    "SELECT c.id, c.collaborator_id, co.name, COALESCE(c.user_id, 0),"
    " c.point_of_contact, c.first_name, c.last_name, c.title,"
    " c.role_on_show, c.email, c.phone FROM crew c"
    " JOIN collaborators co ON co.id = c.collaborator_id"
    " WHERE c.event_id = ? AND (c.point_of_contact = 1"
    "  OR c.user_id IS NOT NULL)"
    " ORDER BY co.name, c.first_name, c.last_name, c.id");

/* '["hex32", …]' of the guids in want (those with ids[i] == 0). */
static const char *
hex_list(struct req *r, const char *const *guids, size_t n,
    const int64_t *ids)
{
	json_object	*a = json_object_new_array();
	const char	*s;
	size_t		 i, k, o;
	char		 hex[33];

	for (i = 0; i < n; i++) {
		if (ids[i] != 0)
			continue;
		for (k = o = 0; guids[i][k] != '\0' && o < 32; k++)
			if (guids[i][k] != '-')
				hex[o++] = guids[i][k];
		hex[o] = '\0';
		json_object_array_add(a, json_object_new_string(hex));
	}
	s = arena_strdup(r->a, json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	return s;
}

/* Fill ids from the map; returns how many are still 0, or -1. */
static long
fill(struct req *r, const char *const *guids, size_t n, int64_t *ids)
{
	char	*g;
	int64_t	 id;
	size_t	 i, missing = 0;
	int	 rc;

	if (db_select(&q_ids, "s", hex_list(r, guids, n, ids)) != 0)
		return -1;
	/* Guids repeat rarely; a linear pass per row keeps it simple and
	 * the lists are at most a few thousand long. */
	while ((rc = db_fetch(&q_ids, "si", &g, &id)) == 1)
		for (i = 0; i < n; i++)
			if (ids[i] == 0 && strcmp(guids[i], g) == 0)
				ids[i] = id;
	db_done(&q_ids);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++)
		missing += ids[i] == 0;
	return (long)missing;
}

int
exportid_assign(struct req *r, const char *const *guids, size_t n,
    int64_t *ids)
{
	long	 missing;

	memset(ids, 0, n * sizeof(*ids));
	if (n == 0)
		return 0;
	if ((missing = fill(r, guids, n, ids)) <= 0)
		return (int)missing;
	if (db_exec(&q_ids_insert, "s", hex_list(r, guids, n, ids)) < 0)
		return -1;
	return fill(r, guids, n, ids) == 0 ? 0 : -1;
}

struct ex_user *
exportid_users(struct req *r, int64_t event_id, size_t *n)
{
	struct ex_user	*a = NULL, u;
	size_t		 cap = 0;
	int		 rc = 0;

	*n = 0;
	if (db_select(&q_users, "ii", event_id, event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	while (*n < LIST_MAX && (rc = db_fetch(&q_users, "isi", &u.id,
	    &u.uuid, &u.collab_id)) == 1) {
		a = arena_grow(r->a, a, *n, &cap, sizeof(*a));
		a[(*n)++] = u;
	}
	db_done(&q_users);
	if (rc < 0)
		*n = (size_t)-1;
	return a;
}

static struct ex_named *
named(struct req *r, struct dbq *q, int64_t event_id, size_t *n)
{
	struct ex_named	*a = NULL, x;
	size_t		 cap = 0;
	int		 rc = 0;

	*n = 0;
	if (db_select(q, "i", event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	while (*n < LIST_MAX && (rc = db_fetch(q, "issi", &x.id, &x.uuid,
	    &x.name, &x.position)) == 1) {
		a = arena_grow(r->a, a, *n, &cap, sizeof(*a));
		a[(*n)++] = x;
	}
	db_done(q);
	if (rc < 0)
		*n = (size_t)-1;
	return a;
}

struct ex_named *
exportid_collabs(struct req *r, int64_t event_id, size_t *n)
{
	return named(r, &q_collabs, event_id, n);
}

struct ex_named *
exportid_areas(struct req *r, int64_t event_id, size_t *n)
{
	return named(r, &q_areas, event_id, n);
}

struct ex_contact *
exportid_contacts(struct req *r, int64_t event_id, size_t *n)
{
	struct ex_contact *a = NULL, c;
	size_t		 cap = 0;
	int64_t		 poc;
	int		 rc = 0;

	*n = 0;
	if (db_select(&q_contacts, "i", event_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	while (*n < LIST_MAX && (rc = db_fetch(&q_contacts, "iisiissssss",
	    &c.id, &c.collab_id, &c.collab_name, &c.user_id, &poc,
	    &c.first_name, &c.last_name, &c.title, &c.role_on_show, &c.email,
	    &c.phone)) == 1) {
		c.point_of_contact = poc != 0;
		a = arena_grow(r->a, a, *n, &cap, sizeof(*a));
		a[(*n)++] = c;
	}
	db_done(&q_contacts);
	if (rc < 0)
		*n = (size_t)-1;
	return a;
}
