/* crew.c — crew rows; every statement names the event and collaborator. */
#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "crew.h"
#include "db/db.h"
#include "model/user.h"
#include "render/md.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define LIST_MAX	10000	/* records shown for one collaborator */

#define COLS \
    "cr.id, cr.event_id, cr.collaborator_id, cr.first_name, cr.last_name," \
    " cr.title, cr.role_on_show, cr.email, cr.phone, cr.point_of_contact," \
    " cr.user_id, cr.notes, " TS("cr.created_at") ", cr.version"
/* The derived access: is the linked user on the event, and the address
 * of a live pending invitation made from this record. */
#define ACCESS \
    ", eu.user_id IS NOT NULL," \
    " (SELECT i.email FROM event_invitations i WHERE i.event_id = cr.event_id" \
    "  AND i.crew_id = cr.id AND i.status = 'pending'" \
    "  AND i.expires_at > UTC_TIMESTAMP(3) ORDER BY i.id DESC LIMIT 1)"
#define FROM \
    " FROM crew cr LEFT JOIN event_users eu ON eu.event_id = cr.event_id" \
    " AND eu.user_id = cr.user_id"

static const char *const access_names[] = {
	"none", "invited", "active", "no_access"
};
static const char *const access_labels[] = {
	"Not invited", "Invited", "Active user", "No access"
};

static struct dbq q_list = DBQ(
    "SELECT " COLS ACCESS FROM
    " WHERE cr.event_id = ? AND cr.collaborator_id = ?"
    " AND (? = 0 OR cr.point_of_contact = 1)"
    " ORDER BY LOWER(cr.first_name), LOWER(COALESCE(cr.last_name, '')),"
    " cr.id LIMIT 10000");
static struct dbq q_get = DBQ(
    "SELECT " COLS ACCESS FROM
    " WHERE cr.id = ? AND cr.event_id = ? AND cr.collaborator_id = ?");
static struct dbq q_of_user = DBQ(
    "SELECT id FROM crew WHERE event_id = ? AND collaborator_id = ?"
    " AND user_id = ?");
static struct dbq q_lock = DBQ(
    "SELECT " COLS " FROM crew cr WHERE cr.id = ? AND cr.event_id = ?"
    " AND cr.collaborator_id = ? FOR UPDATE");
static struct dbq q_taken = DBQ(
    "SELECT COUNT(*) FROM crew WHERE collaborator_id = ?"
    " AND email_norm = ? AND id <> ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO crew (event_id, collaborator_id, first_name, last_name,"
    " title, role_on_show, email, email_norm, phone, point_of_contact,"
    " notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " UTC_TIMESTAMP(3))");
static struct dbq q_update = DBQ(
    "UPDATE crew SET first_name = ?, last_name = ?, title = ?,"
    " role_on_show = ?, email = ?, email_norm = ?, phone = ?,"
    " point_of_contact = ?, notes = ?, version = version + 1"
    " WHERE id = ? AND event_id = ? AND collaborator_id = ? AND version = ?");
static struct dbq q_delete = DBQ(
    "DELETE FROM crew WHERE id = ? AND event_id = ? AND collaborator_id = ?");

const char *
crew_access_name(enum crew_access a)
{
	return a <= CA_NO_ACCESS ? access_names[a] : "";
}

const char *
crew_access_label(enum crew_access a)
{
	return a <= CA_NO_ACCESS ? access_labels[a] : "";
}

static int
fetch(struct dbq *q, struct crew *c, int access)
{
	int64_t	 poc = 0, on_event = 0;
	int	 rc;

	memset(c, 0, sizeof(*c));
	if (access)
		rc = db_fetch(q, "iiissssssiissiis", &c->id, &c->event_id,
		    &c->collab_id, &c->first_name, &c->last_name, &c->title,
		    &c->role_on_show, &c->email, &c->phone, &poc,
		    &c->user_id, &c->notes, &c->created_at, &c->version,
		    &on_event, &c->invited_email);
	else
		rc = db_fetch(q, "iiissssssiissi", &c->id, &c->event_id,
		    &c->collab_id, &c->first_name, &c->last_name, &c->title,
		    &c->role_on_show, &c->email, &c->phone, &poc,
		    &c->user_id, &c->notes, &c->created_at, &c->version);
	c->point_of_contact = poc != 0;
	if (c->user_id != 0 && on_event)
		c->access = CA_ACTIVE;
	else if (c->invited_email != NULL)
		c->access = CA_INVITED;
	else if (c->user_id != 0)
		c->access = CA_NO_ACCESS;
	else
		c->access = CA_NONE;
	return rc;
}

struct crew *
crew_list(struct req *r, int64_t ev, int64_t collab, int contacts, size_t *n)
{
	struct crew	*v, *w;
	size_t		 cap = 32;
	int		 rc = 0;

	*n = 0;
	if (db_select(&q_list, "iii", ev, collab, (int64_t)(contacts != 0))
	    != 0)
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
crew_get(struct req *r, int64_t ev, int64_t collab, int64_t id,
    struct crew *c)
{
	int	 rc;

	(void)r;
	if (db_select(&q_get, "iii", id, ev, collab) != 0)
		return -1;
	rc = fetch(&q_get, c, 1);
	db_done(&q_get);
	return rc;
}

int64_t
crew_of_user(struct req *r, int64_t ev, int64_t collab, int64_t uid)
{
	int64_t	 id = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_of_user, "iii", ev, collab, uid) != 0)
		return -1;
	rc = db_fetch(&q_of_user, "i", &id);
	db_done(&q_of_user);
	return rc < 0 ? -1 : rc == 0 ? 0 : id;
}

int
crew_lock(struct req *r, int64_t ev, int64_t collab, int64_t id,
    struct crew *c)
{
	int	 rc;

	(void)r;
	if (db_select(&q_lock, "iii", id, ev, collab) != 0)
		return -1;
	rc = fetch(&q_lock, c, 0);
	db_done(&q_lock);
	return rc;
}

int
crew_email_taken(struct req *r, int64_t collab, const char *email,
    int64_t except)
{
	int64_t	 n = 0;
	int	 rc;

	if (email == NULL)
		return 0;
	if (db_select(&q_taken, "isi", collab, user_email_norm(r, email),
	    except) != 0)
		return -1;
	rc = db_fetch(&q_taken, "i", &n);
	db_done(&q_taken);
	return rc < 0 ? -1 : n > 0;
}

int64_t
crew_insert(struct req *r, int64_t ev, int64_t collab,
    const struct crew_fields *f)
{
	if (db_exec(&q_insert, "iisssssssis", ev, collab, f->first_name,
	    f->last_name, f->title, f->role_on_show, f->email,
	    f->email ? user_email_norm(r, f->email) : NULL, f->phone,
	    (int64_t)(f->point_of_contact != 0), f->notes) < 0)
		return db_status() == 409 ? 0 : -1;
	return db_insert_id();
}

int
crew_update(struct req *r, int64_t ev, int64_t collab, int64_t id,
    int64_t version, const struct crew_fields *f)
{
	int64_t	 n;

	n = db_exec(&q_update, "sssssssisiiii", f->first_name, f->last_name,
	    f->title, f->role_on_show, f->email,
	    f->email ? user_email_norm(r, f->email) : NULL, f->phone,
	    (int64_t)(f->point_of_contact != 0), f->notes, id, ev, collab,
	    version);
	if (n < 0)
		return db_status() == 409 ? -2 : -1;
	return n > 0;
}

int
crew_delete(struct req *r, int64_t ev, int64_t collab, int64_t id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_delete, "iii", id, ev, collab)) < 0)
		return -1;
	return n > 0;
}

const char *
crew_name(struct req *r, const struct crew *c)
{
	if (c->last_name == NULL || c->last_name[0] == '\0')
		return c->first_name;
	return arena_printf(r->a, "%s %s", c->first_name, c->last_name);
}

json_object *
crew_json(struct req *r, const struct crew *c)
{
	json_object	*j = json_object_new_object();
	char		*html = NULL;

	if (c->notes != NULL)
		html = md_render_str(c->notes, strlen(c->notes));
	vset_int(j, "id", c->id);
	vset_int(j, "event_id", c->event_id);
	vset_int(j, "collaborator_id", c->collab_id);
	vset_str(j, "first_name", c->first_name);
	vset_str(j, "last_name", c->last_name);
	vset_str(j, "name", crew_name(r, c));
	vset_str(j, "title", c->title);
	vset_str(j, "role_on_show", c->role_on_show);
	/* "Stage manager · Main stage", for lists. */
	vset_str(j, "subtitle", c->title && c->role_on_show ?
	    arena_printf(r->a, "%s · %s", c->title, c->role_on_show) :
	    c->title ? c->title : c->role_on_show);
	vset_str(j, "email", c->email);
	vset_str(j, "phone", c->phone);
	vset_bool(j, "point_of_contact", c->point_of_contact);
	if (c->user_id)
		vset_int(j, "user_id", c->user_id);
	else
		vset_obj(j, "user_id", NULL);
	vset_str(j, "notes", c->notes);
	vset_str(j, "notes_html", html);
	free(html);
	vset_str(j, "access", crew_access_name(c->access));
	vset_str(j, "access_label", crew_access_label(c->access));
	vset_str(j, "invited_email", c->invited_email);
	vset_str(j, "created_at", c->created_at);
	vset_int(j, "version", c->version);
	vset_str(j, "url", arena_printf(r->a,
	    "/events/%lld/collaborators/%lld/crew/%lld",
	    (long long)c->event_id, (long long)c->collab_id,
	    (long long)c->id));
	return j;
}
