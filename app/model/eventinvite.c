/* eventinvite.c — event invitation rows and their links. */
#include <string.h>

#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "eventinvite.h"
#include "model/seat.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define LIVE(t) "(" t ".status = 'pending' AND " t ".expires_at >" \
    " UTC_TIMESTAMP(3))"

static struct dbq q_by_token = DBQ(
    "SELECT i.id, i.event_id, e.org_id, e.name, e.status = 'archived',"
    " i.collaborator_id, c.name, i.crew_id, i.email, i.grants_json,"
    " i.preset, (SELECT COUNT(*) FROM event_seats s"
    "  WHERE s.invitation_id = i.id), " LIVE("i") ", "
    TS("i.expires_at") ", u.name"
    " FROM event_invitations i JOIN events e ON e.id = i.event_id"
    " JOIN collaborators c ON c.id = i.collaborator_id"
    " LEFT JOIN users u ON u.id = i.inviter_id"
    " WHERE i.token_hash = ?");
static struct dbq q_lock = DBQ(
    "SELECT id, event_id, collaborator_id, crew_id, email, grants_json,"
    " preset, " LIVE("event_invitations") ", " TS("expires_at")
    " FROM event_invitations WHERE id = ? AND event_id = ? FOR UPDATE");
static struct dbq q_lock_extra = DBQ(
    "SELECT c.name, (SELECT COUNT(*) FROM event_seats s"
    "  WHERE s.invitation_id = ?)"
    " FROM collaborators c WHERE c.id = ?");
static struct dbq q_pending = DBQ(
    "SELECT COUNT(*) FROM event_invitations i WHERE i.event_id = ?"
    " AND i.email_norm = ? AND " LIVE("i"));
static struct dbq q_insert = DBQ(
    "INSERT INTO event_invitations (event_id, collaborator_id, crew_id,"
    " email, email_norm, grants_json, preset, inviter_id, token_hash,"
    " created_at, expires_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?,"
    " ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)");
static struct dbq q_renew = DBQ(
    "UPDATE event_invitations SET token_hash = ?,"
    " expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
    " WHERE id = ? AND event_id = ? AND " LIVE("event_invitations"));
static struct dbq q_revoke = DBQ(
    "UPDATE event_invitations SET status = 'revoked'"
    " WHERE id = ? AND event_id = ? AND status = 'pending'");
static struct dbq q_accepted = DBQ(
    "UPDATE event_invitations SET status = 'accepted',"
    " accepted_at = UTC_TIMESTAMP(3), accepted_user_id = ?"
    " WHERE id = ? AND " LIVE("event_invitations"));
static struct dbq q_expire = DBQ(
    "UPDATE event_invitations SET status = 'expired' WHERE event_id = ?"
    " AND status = 'pending' AND expires_at <= UTC_TIMESTAMP(3)");
static struct dbq q_expire_seats = DBQ(
    "DELETE s FROM event_seats s JOIN event_invitations i"
    " ON i.id = s.invitation_id WHERE s.event_id = ?"
    " AND i.status <> 'pending'");
static struct dbq q_list = DBQ(
    "SELECT i.id, i.email, i.collaborator_id, c.name, i.crew_id, i.preset,"
    " (SELECT COUNT(*) FROM event_seats s WHERE s.invitation_id = i.id),"
    " u.name, " TS("i.created_at") ", " TS("i.expires_at")
    " FROM event_invitations i"
    " JOIN collaborators c ON c.id = i.collaborator_id"
    " LEFT JOIN users u ON u.id = i.inviter_id"
    " WHERE i.event_id = ? AND (? = 0 OR i.collaborator_id = ?)"
    " AND " LIVE("i") " ORDER BY i.created_at DESC, i.id DESC");

char *
einv_grants_json(struct req *r, const struct grant *g, size_t n)
{
	json_object	*a = json_object_new_array(), *e;
	char		*s;
	size_t		 i;

	for (i = 0; i < n; i++) {
		e = json_object_new_array();
		json_object_array_add(e, json_object_new_string(
		    domain_name(g[i].domain)));
		json_object_array_add(e, json_object_new_int64(g[i].scope_id));
		json_object_array_add(e, json_object_new_string(
		    section_name(g[i].section)));
		json_object_array_add(e, json_object_new_int(
		    (int)g[i].level));
		json_object_array_add(a, e);
	}
	s = arena_strdup(r->a, json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	return s;
}

int
einv_grants_parse(const char *text, struct grant *out, size_t max)
{
	json_object	*a, *e;
	size_t		 i, n;
	int64_t		 lvl;
	int		 rc = 0;

	if (text == NULL || (a = json_tokener_parse(text)) == NULL)
		return -1;
	if (!json_object_is_type(a, json_type_array) ||
	    (n = json_object_array_length(a)) > max) {
		json_object_put(a);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_array) ||
		    json_object_array_length(e) != 4 ||
		    domain_parse(json_object_get_string(
		    json_object_array_get_idx(e, 0)), &out[i].domain) != 0 ||
		    section_parse(json_object_get_string(
		    json_object_array_get_idx(e, 2)), &out[i].section) != 0) {
			rc = -1;
			break;
		}
		out[i].scope_id = json_object_get_int64(
		    json_object_array_get_idx(e, 1));
		lvl = json_object_get_int64(json_object_array_get_idx(e, 3));
		if (lvl < LV_VIEW || lvl > LV_ADMIN || out[i].scope_id < 0 ||
		    (out[i].domain == DOM_EVENT) != (out[i].scope_id == 0))
			rc = -1;
		out[i].level = (enum level)lvl;
	}
	json_object_put(a);
	return rc == 0 ? (int)n : -1;
}

int
einv_by_token(struct req *r, const char *tok, struct event_invitation *inv)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	int64_t		 archived, seat, live;
	int		 rc;

	(void)r;
	memset(inv, 0, sizeof(*inv));
	if (tok == NULL || token_hash(EINV_PREFIX, tok, hash) != 0)
		return 0;
	if (db_select(&q_by_token, "b", hash, sizeof(hash)) != 0)
		return -1;
	rc = db_fetch(&q_by_token, "iiisiisisssiiss", &inv->id,
	    &inv->event_id, &inv->org_id, &inv->event_name, &archived,
	    &inv->collab_id, &inv->collab_name, &inv->crew_id, &inv->email,
	    &inv->grants_json, &inv->preset, &seat, &live, &inv->expires_at,
	    &inv->inviter_name);
	db_done(&q_by_token);
	if (rc <= 0)
		return rc;
	inv->event_archived = (int)archived;
	inv->has_seat = seat > 0;
	inv->live = (int)live;
	return 1;
}

int
einv_lock(struct req *r, int64_t event_id, int64_t id,
    struct event_invitation *inv)
{
	int64_t	 live, seat = 0;
	int	 rc;

	(void)r;
	memset(inv, 0, sizeof(*inv));
	if (db_select(&q_lock, "ii", id, event_id) != 0)
		return -1;
	rc = db_fetch(&q_lock, "iiiisssis", &inv->id, &inv->event_id,
	    &inv->collab_id, &inv->crew_id, &inv->email, &inv->grants_json,
	    &inv->preset, &live, &inv->expires_at);
	db_done(&q_lock);
	if (rc <= 0)
		return rc;
	inv->live = (int)live;
	if (db_select(&q_lock_extra, "ii", inv->id, inv->collab_id) != 0)
		return -1;
	rc = db_fetch(&q_lock_extra, "si", &inv->collab_name, &seat);
	db_done(&q_lock_extra);
	if (rc < 0)
		return -1;
	inv->has_seat = seat > 0;
	return 1;
}

int
einv_pending(struct req *r, int64_t event_id, const char *email)
{
	int64_t	 n = 0;
	int	 rc;

	if (db_select(&q_pending, "is", event_id,
	    user_email_norm(r, email)) != 0)
		return -1;
	rc = db_fetch(&q_pending, "i", &n);
	db_done(&q_pending);
	return rc < 0 ? -1 : n > 0;
}

int64_t
einv_create(struct req *r, int64_t event_id, int64_t collab_id,
    int64_t crew_id, const char *email, const char *grants_json,
    const char *preset, char *tok, size_t toksz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];

	token_new(EINV_PREFIX, tok, toksz, hash);
	if (db_exec(&q_insert, "iiissssibi", event_id, collab_id, crew_id,
	    email, user_email_norm(r, email), grants_json, preset,
	    r->user->id, hash, sizeof(hash), EINV_TTL) < 0)
		return -1;
	return db_insert_id();
}

int
einv_renew(struct req *r, int64_t event_id, int64_t id, char *tok,
    size_t toksz)
{
	unsigned char	 hash[TOKEN_HASH_LEN];
	int64_t		 n;

	(void)r;
	token_new(EINV_PREFIX, tok, toksz, hash);
	if ((n = db_exec(&q_renew, "biii", hash, sizeof(hash), EINV_TTL, id,
	    event_id)) < 0)
		return -1;
	return n == 1;
}

int
einv_revoke(struct req *r, int64_t event_id, int64_t id)
{
	int64_t	 n;

	if ((n = db_exec(&q_revoke, "ii", id, event_id)) < 0)
		return -1;
	if (n == 0)
		return 0;
	return seat_free_invitation(r, id) != 0 ? -1 : 1;
}

int
einv_accepted(struct req *r, int64_t id, int64_t user_id)
{
	int64_t	 n;

	(void)r;
	if ((n = db_exec(&q_accepted, "ii", user_id, id)) < 0)
		return -1;
	return n == 1;
}

int
einv_expire(struct req *r, int64_t event_id)
{
	(void)r;
	if (db_exec(&q_expire, "i", event_id) < 0 ||
	    db_exec(&q_expire_seats, "i", event_id) < 0)
		return -1;
	return 0;
}

json_object *
einv_list(struct req *r, int64_t event_id, int64_t collab_id)
{
	json_object	*a;
	int64_t		 id, cid, crew, seat;
	char		*email, *cname, *preset, *inviter, *created, *expires;
	const char	*tz = r->user ? r->user->timezone : NULL;
	enum preset	 p;
	int		 rc;

	if (db_select(&q_list, "iii", event_id, collab_id, collab_id) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_list, "isisisisss", &id, &email, &cid,
	    &cname, &crew, &preset, &seat, &inviter, &created,
	    &expires)) == 1) {
		json_object	*o = json_object_new_object();

		vset_int(o, "id", id);
		vset_str(o, "email", email);
		vset_int(o, "collaborator_id", cid);
		vset_str(o, "collaborator_name", cname);
		if (crew != 0)
			vset_int(o, "crew_id", crew);
		else
			vset_obj(o, "crew_id", NULL);
		vset_str(o, "preset", preset);
		vset_str(o, "preset_label", preset != NULL &&
		    preset_parse(preset, &p) == 0 ? preset_label(p) :
		    "Custom grants");
		vset_bool(o, "seat", seat > 0);
		vset_str(o, "invited_by", inviter);
		vset_time(o, "created_at", created, tz);
		vset_time(o, "expires_at", expires, tz);
		json_object_array_add(a, o);
	}
	db_done(&q_list);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}
