/* collab.c — collaborator rows; every statement names the event. */
#include <stdlib.h>
#include <string.h>

#include "model/advtrack.h"
#include "auth/token.h"
#include "collab.h"
#include "core/req.h"
#include "db/db.h"
#include "render/md.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define LIST_MAX	2000	/* collaborators shown on one event */

#define COLS \
    "c.id, c.uuid, c.event_id, c.name, c.description, c.email, c.phone," \
    " c.website, c.colour, c.is_host, " TS("c.created_at") ", c.version"
#define COUNTS \
    ", (SELECT COUNT(*) FROM crew cr WHERE cr.event_id = c.event_id" \
    "  AND cr.collaborator_id = c.id)," \
    " (SELECT COUNT(*) FROM event_users eu WHERE eu.event_id = c.event_id" \
    "  AND eu.collaborator_id = c.id)"

static struct dbq q_list = DBQ(
    "SELECT " COLS COUNTS " FROM collaborators c WHERE c.event_id = ?"
    " AND (? = 1 OR c.id = ? OR c.id IN (SELECT g.scope_id FROM grants g"
    "  WHERE g.event_id = ? AND g.user_id = ? AND g.domain = 'collaborator'"
    "  AND g.section = 'crew' AND g.level >= 1))"
    " ORDER BY c.is_host DESC, c.name_norm, c.id LIMIT 2000");
static struct dbq q_get = DBQ(
    "SELECT " COLS COUNTS " FROM collaborators c"
    " WHERE c.id = ? AND c.event_id = ?");
static struct dbq q_lock_event = DBQ(
    "SELECT status = 'archived' FROM events WHERE id = ?"
    " LOCK IN SHARE MODE");
static struct dbq q_lock = DBQ(
    "SELECT " COLS " FROM collaborators c WHERE c.id = ? AND c.event_id = ?"
    " FOR UPDATE");
static struct dbq q_taken = DBQ(
    "SELECT COUNT(*) FROM collaborators WHERE event_id = ?"
    " AND name_norm = LOWER(?) AND id <> ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO collaborators (uuid, event_id, name, name_norm,"
    " description, email, phone, website, colour, is_host, created_at)"
    " VALUES (?, ?, ?, LOWER(?), ?, ?, ?, ?, ?, 0, UTC_TIMESTAMP(3))");
static struct dbq q_update = DBQ(
    "UPDATE collaborators SET name = ?, name_norm = LOWER(?),"
    " description = ?, email = ?, phone = ?, website = ?, colour = ?,"
    " version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_users = DBQ(
    "SELECT u.id, u.name, u.email FROM event_users eu"
    " JOIN users u ON u.id = eu.user_id"
    " WHERE eu.event_id = ? AND eu.collaborator_id = ?"
    " ORDER BY u.name, u.id LIMIT 200");
static struct dbq q_invitations = DBQ(
    "SELECT id, email, " TS("expires_at") " FROM event_invitations"
    " WHERE event_id = ? AND collaborator_id = ? AND status = 'pending'"
    " AND expires_at > UTC_TIMESTAMP(3) ORDER BY id LIMIT 200");
/* Advances holding answers or line items stop a deletion (§8); empty
 * ones go with the collaborator (their modules cascade). */
static struct dbq q_advances = DBQ(
    "SELECT a.id, a.name, (SELECT COUNT(*) FROM answers x"
    "  JOIN advance_modules m ON m.id = x.advance_module_id"
    "  WHERE m.advance_id = a.id) + (SELECT COUNT(*) FROM line_items x"
    "  JOIN advance_modules m ON m.id = x.advance_module_id"
    "  WHERE m.advance_id = a.id) AS n"
    " FROM advances a WHERE a.event_id = ? AND a.collaborator_id = ?"
    " ORDER BY a.name_norm, a.id");
static struct dbq q_del_advances = DBQ(
    "DELETE FROM advances WHERE event_id = ? AND collaborator_id = ?");
static struct dbq q_del_crew = DBQ(
    "DELETE FROM crew WHERE event_id = ? AND collaborator_id = ?");
/* Invitations that can no longer be accepted (accepted, revoked,
 * expired or past their date) only keep the row from going; any seat a
 * lapsed one still reserved is freed with it. */
static struct dbq q_del_seats = DBQ(
    "DELETE s FROM event_seats s JOIN event_invitations i"
    " ON i.id = s.invitation_id WHERE i.event_id = ?"
    " AND i.collaborator_id = ?");
static struct dbq q_del_invitations = DBQ(
    "DELETE FROM event_invitations WHERE event_id = ?"
    " AND collaborator_id = ?");
static struct dbq q_del_grants = DBQ(
    "DELETE FROM grants WHERE event_id = ? AND domain = 'collaborator'"
    " AND scope_id = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM collaborators WHERE id = ? AND event_id = ?"
    " AND is_host = 0");

static int
fetch(struct dbq *q, struct collab *c, int counts)
{
	int64_t	 host = 0;
	int	 rc;

	memset(c, 0, sizeof(*c));
	if (counts)
		rc = db_fetch(q, "isissssssisiii", &c->id, &c->uuid,
		    &c->event_id, &c->name, &c->description, &c->email,
		    &c->phone, &c->website, &c->colour, &host,
		    &c->created_at, &c->version, &c->crew_count,
		    &c->user_count);
	else
		rc = db_fetch(q, "isissssssisi", &c->id, &c->uuid,
		    &c->event_id, &c->name, &c->description, &c->email,
		    &c->phone, &c->website, &c->colour, &host,
		    &c->created_at, &c->version);
	c->is_host = host != 0;
	return rc;
}

struct collab *
collab_list(struct req *r, int64_t ev, int all, int64_t own, int64_t uid,
    size_t *n)
{
	struct collab	*v, *w;
	size_t		 cap = 16;
	int		 rc = 0;

	*n = 0;
	if (db_select(&q_list, "iiiii", ev, (int64_t)(all != 0), own, ev,
	    uid) != 0)
		return NULL;
	v = arena_calloc(r->a, cap, sizeof(*v));
	while (*n < LIST_MAX) {
		if (*n == cap) {
			w = arena_calloc(r->a, cap * 2, sizeof(*w));
			memcpy(w, v, cap * sizeof(*w));
			v = w;
			cap *= 2;
		}
		if ((rc = fetch(&q_list, &v[*n], 1)) != 1)
			break;
		(*n)++;
	}
	db_done(&q_list);
	return rc < 0 ? NULL : v;
}

int
collab_get(struct req *r, int64_t ev, int64_t id, struct collab *c)
{
	int	 rc;

	(void)r;
	if (db_select(&q_get, "ii", id, ev) != 0)
		return -1;
	rc = fetch(&q_get, c, 1);
	db_done(&q_get);
	return rc;
}

int
collab_lock_event(struct req *r, int64_t ev, int *archived)
{
	int64_t	 a = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_lock_event, "i", ev) != 0)
		return -1;
	rc = db_fetch(&q_lock_event, "i", &a);
	db_done(&q_lock_event);
	*archived = a != 0;
	return rc;
}

int
collab_lock(struct req *r, int64_t ev, int64_t id, struct collab *c)
{
	int	 rc;

	(void)r;
	if (db_select(&q_lock, "ii", id, ev) != 0)
		return -1;
	rc = fetch(&q_lock, c, 0);
	db_done(&q_lock);
	return rc;
}

int
collab_name_taken(struct req *r, int64_t ev, const char *name,
    int64_t except)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_taken, "isi", ev, name, except) != 0)
		return -1;
	rc = db_fetch(&q_taken, "i", &n);
	db_done(&q_taken);
	return rc < 0 ? -1 : n > 0;
}

int64_t
collab_insert(struct req *r, int64_t ev, const struct collab_fields *f)
{
	char	 uuid[37];

	(void)r;
	token_uuid(uuid);
	if (db_exec(&q_insert, "sisssssss", uuid, ev, f->name, f->name,
	    f->description, f->email, f->phone, f->website, f->colour) < 0)
		return db_status() == 409 ? 0 : -1;
	return db_insert_id();
}

int
collab_update(struct req *r, int64_t ev, int64_t id, int64_t version,
    const struct collab_fields *f)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_update, "sssssssiii", f->name, f->name,
	    f->description, f->email, f->phone, f->website, f->colour, id, ev,
	    version);
	if (n < 0)
		return db_status() == 409 ? -2 : -1;
	return n > 0;
}

int
collab_blockers(struct req *r, int64_t ev, int64_t id,
    struct collab_blockers *b)
{
	char	*name, *email, *exp;
	int64_t	 uid, iid, aid, na;
	size_t	 cap = 0;
	int	 rc;

	b->users = json_object_new_array();
	b->invitations = json_object_new_array();
	(void)req_own_json(r, b->users);
	(void)req_own_json(r, b->invitations);
	b->n = 0;
	if (db_select(&q_users, "ii", ev, id) != 0)
		return -1;
	while ((rc = db_fetch(&q_users, "iss", &uid, &name, &email)) == 1) {
		json_object	*u = json_object_new_object();

		vset_int(u, "user_id", uid);
		vset_str(u, "name", name);
		vset_str(u, "email", email);
		json_object_array_add(b->users, u);
		b->n++;
	}
	db_done(&q_users);
	if (rc < 0 || db_select(&q_invitations, "ii", ev, id) != 0)
		return -1;
	while ((rc = db_fetch(&q_invitations, "iss", &iid, &email,
	    &exp)) == 1) {
		json_object	*i = json_object_new_object();

		vset_int(i, "id", iid);
		vset_str(i, "email", email);
		vset_str(i, "expires_at", exp);
		json_object_array_add(b->invitations, i);
		b->n++;
	}
	db_done(&q_invitations);
	if (rc < 0)
		return -1;
	b->advances = json_object_new_array();
	(void)req_own_json(r, b->advances);
	b->advance_ids = NULL;
	b->nadvances = 0;
	if (db_select(&q_advances, "ii", ev, id) != 0)
		return -1;
	while ((rc = db_fetch(&q_advances, "isi", &aid, &name, &na)) == 1) {
		json_object	*a;

		b->advance_ids = arena_grow(r->a, b->advance_ids,
		    b->nadvances, &cap, sizeof(*b->advance_ids));
		b->advance_ids[b->nadvances++] = aid;
		if (na == 0)
			continue;
		a = json_object_new_object();
		vset_int(a, "id", aid);
		vset_str(a, "name", name);
		vset_int(a, "answers", na);
		json_object_array_add(b->advances, a);
		b->n++;
	}
	db_done(&q_advances);
	return rc < 0 ? -1 : 0;
}

int
collab_delete(struct req *r, int64_t ev, int64_t id,
    const struct collab_blockers *b)
{
	int64_t	 n;
	size_t	 i;

	/* Empty advances go too: their tracked tasks are archived first. */
	for (i = 0; i < b->nadvances; i++)
		if (advtrack_advance_removed(r, ev, b->advance_ids[i]) != 0)
			return -1;
	if (db_exec(&q_del_advances, "ii", ev, id) < 0 ||
	    db_exec(&q_del_crew, "ii", ev, id) < 0 ||
	    db_exec(&q_del_seats, "ii", ev, id) < 0 ||
	    db_exec(&q_del_invitations, "ii", ev, id) < 0 ||
	    db_exec(&q_del_grants, "ii", ev, id) < 0 ||
	    (n = db_exec(&q_delete, "ii", id, ev)) < 0)
		return -1;
	return n > 0;
}

json_object *
collab_json(struct req *r, const struct collab *c)
{
	json_object	*j = json_object_new_object();
	char		*html = NULL;

	if (c->description != NULL)
		html = md_render_str(c->description, strlen(c->description));
	vset_int(j, "id", c->id);
	vset_str(j, "uuid", c->uuid);
	vset_int(j, "event_id", c->event_id);
	vset_str(j, "name", c->name);
	vset_str(j, "description", c->description);
	vset_str(j, "description_html", html);
	free(html);
	vset_str(j, "email", c->email);
	vset_str(j, "phone", c->phone);
	vset_str(j, "website", c->website);
	vset_str(j, "colour", c->colour);
	/* The palette's names are lower-case ASCII: "teal" → "Teal". */
	vset_str(j, "colour_label", c->colour && c->colour[0] >= 'a' &&
	    c->colour[0] <= 'z' ? arena_printf(r->a, "%c%s",
	    c->colour[0] - 'a' + 'A', c->colour + 1) : c->colour);
	vset_bool(j, "is_host", c->is_host);
	vset_int(j, "crew_count", c->crew_count);
	vset_str(j, "created_at", c->created_at);
	vset_int(j, "version", c->version);
	vset_str(j, "url", arena_printf(r->a, "/events/%lld/collaborators/%lld",
	    (long long)c->event_id, (long long)c->id));
	return j;
}
