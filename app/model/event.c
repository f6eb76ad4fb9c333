/* event.c — event rows, their codes and dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "core/req.h"
#include "db/db.h"
#include "event.h"
#include "model/user.h"
#include "render/md.h"
#include "render/view.h"

#define ER_DUP_ENTRY	1062
#define CODES_MAX	2000	/* codes read when looking for a free one */

/* One query for the list: the rows plus the actor's standing on each
 * (on the event, Org Pro in the org, owner or admin of the org). */
static struct dbq q_list = DBQ(
    "SELECT e.id, e.name, e.code, e.timezone,"
    " DATE_FORMAT(e.start_date, '%Y-%m-%d'),"
    " DATE_FORMAT(e.end_date, '%Y-%m-%d'), e.venue_name,"
    " e.status = 'archived', eu.user_id IS NOT NULL,"
    " EXISTS (SELECT 1 FROM org_members m JOIN license_pools p"
    "  ON p.id = m.pool_id WHERE m.org_id = e.org_id AND m.user_id = ?"
    "  AND p.product = 'org_pro'),"
    " EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = e.org_id"
    "  AND m.user_id = ? AND m.role IN ('owner', 'admin')) "
    "FROM events e LEFT JOIN event_users eu ON eu.event_id = e.id"
    " AND eu.user_id = ? "
    "WHERE e.org_id = ? AND e.status = ? ORDER BY e.start_date, e.id");
/* Shared with me: events of other organizations the user is on without
 * being a member there (PRODUCT §2). */
static struct dbq q_shared = DBQ(
    "SELECT e.id, e.name, o.name, DATE_FORMAT(e.start_date, '%Y-%m-%d'),"
    " DATE_FORMAT(e.end_date, '%Y-%m-%d'), e.venue_name "
    "FROM event_users eu JOIN events e ON e.id = eu.event_id"
    " JOIN orgs o ON o.id = e.org_id "
    "WHERE eu.user_id = ? AND e.status = 'active'"
    " AND NOT (o.kind = 'personal' AND o.personal_user_id = ?)"
    " AND NOT EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = e.org_id"
    "  AND m.user_id = ?) "
    "ORDER BY e.start_date, e.id");
static struct dbq q_codes = DBQ(
    "SELECT code FROM events WHERE org_id = ? AND code LIKE ?");
static struct dbq q_code_taken = DBQ(
    "SELECT COUNT(*) FROM events WHERE org_id = ? AND code = ?"
    " AND id <> ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO events (uuid, org_id, name, code, timezone, start_date,"
    " end_date, venue_name, venue_address, description, pool_id,"
    " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_host = DBQ(
    "INSERT INTO collaborators (uuid, event_id, name, name_norm, is_host,"
    " created_at) VALUES (?, ?, ?, LOWER(?), 1, UTC_TIMESTAMP(3))");
static struct dbq q_event_user = DBQ(
    "INSERT INTO event_users (event_id, user_id, collaborator_id,"
    " added_by, joined_at) VALUES (?, ?, ?, NULLIF(?, 0),"
    " UTC_TIMESTAMP(3))");
static struct dbq q_lock = DBQ(
    "SELECT name, code, timezone, DATE_FORMAT(start_date, '%Y-%m-%d'),"
    " DATE_FORMAT(end_date, '%Y-%m-%d'), venue_name, venue_address,"
    " description, status = 'archived', version FROM events"
    " WHERE id = ? AND org_id = ? FOR UPDATE");
static struct dbq q_lock_shared = DBQ(
    "SELECT status = 'active' FROM events WHERE id = ? LOCK IN SHARE MODE");
static struct dbq q_update = DBQ(
    "UPDATE events SET name = ?, code = ?, timezone = ?, start_date = ?,"
    " end_date = ?, venue_name = ?, venue_address = ?, description = ?,"
    " updated_at = UTC_TIMESTAMP(3), version = version + 1"
    " WHERE id = ? AND org_id = ? AND version = ?");
static struct dbq q_status = DBQ(
    "UPDATE events SET status = ?, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE id = ? AND org_id = ? AND version = ?");

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Latin-1 letters (U+00C0–U+00FF) folded for codes; '-' separates. */
static const char fold_latin1[] =
    "aaaaaaaceeeeiiiidnooooo-ouuuuyts"
    "aaaaaaaceeeeiiiidnooooo-ouuuuyty";

json_object *
events_list_json(struct req *r, int64_t org_id, int archived)
{
	json_object	*a;
	int64_t		 id, arch, on, pro, admin, uid = r->user->id;
	char		*name, *code, *tz, *start, *end, *venue;
	int		 rc;

	if (db_select(&q_list, "iiiis", uid, uid, uid, org_id,
	    archived ? "archived" : "active") != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_list, "issssssiiii", &id, &name, &code, &tz,
	    &start, &end, &venue, &arch, &on, &pro, &admin)) == 1) {
		json_object	*e = json_object_new_object();
		int		 open = on || pro;

		vset_int(e, "id", id);
		vset_str(e, "name", name);
		vset_str(e, "code", code);
		vset_str(e, "timezone", tz);
		vset_str(e, "start_date", start);
		vset_str(e, "end_date", end);
		vset_str(e, "dates_text", event_dates_text(r, start, end));
		vset_str(e, "venue_name", venue);
		vset_str(e, "status", arch ? "archived" : "active");
		vset_bool(e, "archived", (int)arch);
		vset_bool(e, "on_event", (int)on);
		vset_bool(e, "can_open", open);
		vset_str(e, "url", open ? arena_printf(r->a, "/events/%lld",
		    (long long)id) : NULL);
		vset_str(e, "access_url", !open && admin ? arena_printf(r->a,
		    "/events/%lld/users", (long long)id) : NULL);
		json_object_array_add(a, e);
	}
	db_done(&q_list);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

json_object *
events_shared_json(struct req *r)
{
	json_object	*a;
	int64_t		 id, uid = r->user->id;
	char		*name, *org, *start, *end, *venue;
	int		 rc;

	if (db_select(&q_shared, "iii", uid, uid, uid) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_shared, "isssss", &id, &name, &org, &start,
	    &end, &venue)) == 1) {
		json_object	*e = json_object_new_object();

		vset_int(e, "id", id);
		vset_str(e, "name", name);
		vset_str(e, "org_name", org);
		vset_str(e, "dates_text", event_dates_text(r, start, end));
		vset_str(e, "venue_name", venue);
		vset_str(e, "url", arena_printf(r->a, "/events/%lld",
		    (long long)id));
		json_object_array_add(a, e);
	}
	db_done(&q_shared);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

int
event_code_valid(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n < EVENT_CODE_MIN || n > EVENT_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

void
event_code_from_name(const char *name, char *out)
{
	const unsigned char	*p = (const unsigned char *)name;
	size_t			 n = 0;
	int			 sep = 0;
	char			 ch;

	for (; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			ch = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			ch = (char)(*p - 'A' + 'a');
		else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf)
			ch = fold_latin1[*++p - 0x80];
		else {
			/* Other characters separate words; skip the rest of
			 * a multi-byte sequence. */
			while ((p[1] & 0xc0) == 0x80)
				p++;
			ch = '-';
		}
		if (ch == '-') {
			sep = n > 0;
			continue;
		}
		if (sep && n + 2 <= EVENT_CODE_MAX)
			out[n++] = '-';
		sep = 0;
		if (n < EVENT_CODE_MAX)
			out[n++] = ch;
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, EVENT_CODE_MAX + 1, "event");
	else if (n < EVENT_CODE_MIN)
		snprintf(out + n, EVENT_CODE_MAX + 1 - n, "-event");
}

static int
in_list(char **v, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

int
event_code_free(struct req *r, int64_t org_id, const char *base, char *out)
{
	char	**used, *code, stem[24], suffix[16];
	size_t	 n = 0, keep;
	int	 rc, k;

	/* Every candidate starts with the first 20 characters of base
	 * (a suffix never cuts deeper), so one query finds them all. */
	snprintf(stem, sizeof(stem), "%.20s%%", base);
	if (db_select(&q_codes, "is", org_id, stem) != 0)
		return -1;
	used = arena_calloc(r->a, CODES_MAX, sizeof(char *));
	while ((rc = db_fetch(&q_codes, "s", &code)) == 1)
		if (n < CODES_MAX)
			used[n++] = code;
	db_done(&q_codes);
	if (rc < 0)
		return -1;
	snprintf(out, EVENT_CODE_MAX + 1, "%s", base);
	for (k = 2; in_list(used, n, out) && k < 1000; k++) {
		snprintf(suffix, sizeof(suffix), "-%d", k);
		keep = EVENT_CODE_MAX - strlen(suffix);
		if (keep > strlen(base))
			keep = strlen(base);
		while (keep > 0 && base[keep - 1] == '-')
			keep--;
		snprintf(out, EVENT_CODE_MAX + 1, "%.*s%s", (int)keep, base,
		    suffix);
	}
	return 0;
}

int
event_code_taken(struct req *r, int64_t org_id, const char *code,
    int64_t except)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_code_taken, "isi", org_id, code, except) != 0)
		return -1;
	rc = db_fetch(&q_code_taken, "i", &n);
	db_done(&q_code_taken);
	return rc != 1 ? -1 : n > 0;
}

static int
parse_date(const char *s, struct tm *tm)
{
	const char	*end;

	memset(tm, 0, sizeof(*tm));
	if (s == NULL || (end = strptime(s, "%Y-%m-%d", tm)) == NULL ||
	    *end != '\0')
		return -1;
	tm->tm_hour = 12;
	return 0;
}

int64_t
event_days_between(const char *a, const char *b)
{
	struct tm	 ta, tb;

	if (parse_date(a, &ta) != 0 || parse_date(b, &tb) != 0)
		return 0;
	return ((int64_t)timegm(&tb) - (int64_t)timegm(&ta)) / 86400;
}

const char *
event_dates_text(struct req *r, const char *start, const char *end)
{
	struct tm	 a, b;

	if (parse_date(start, &a) != 0)
		return NULL;
	if (parse_date(end, &b) != 0 || (a.tm_year == b.tm_year &&
	    a.tm_mon == b.tm_mon && a.tm_mday == b.tm_mday))
		return arena_printf(r->a, "%d %s %d", a.tm_mday,
		    months[a.tm_mon], a.tm_year + 1900);
	if (a.tm_year == b.tm_year && a.tm_mon == b.tm_mon)
		return arena_printf(r->a, "%d–%d %s %d", a.tm_mday, b.tm_mday,
		    months[a.tm_mon], a.tm_year + 1900);
	if (a.tm_year == b.tm_year)
		return arena_printf(r->a, "%d %s – %d %s %d", a.tm_mday,
		    months[a.tm_mon], b.tm_mday, months[b.tm_mon],
		    a.tm_year + 1900);
	return arena_printf(r->a, "%d %s %d – %d %s %d", a.tm_mday,
	    months[a.tm_mon], a.tm_year + 1900, b.tm_mday, months[b.tm_mon],
	    b.tm_year + 1900);
}

const char *
event_md_html(struct req *r, const char *md)
{
	char		*html;
	const char	*s;

	if (md == NULL || *md == '\0')
		return "";
	html = md_render_str(md, strlen(md));
	s = arena_strdup(r->a, html);
	free(html);
	return s;
}

static int64_t
inserted(int64_t rc)
{
	if (rc >= 0)
		return db_insert_id();
	return db_errno() == ER_DUP_ENTRY ? 0 : -1;
}

int64_t
event_insert(struct req *r, int64_t org_id, int64_t pool_id,
    const char *uuid, const struct event_fields *f)
{
	return inserted(db_exec(&q_insert, "sissssssssii", uuid, org_id,
	    f->name, f->code, f->timezone, f->start_date, f->end_date,
	    f->venue_name, f->venue_address, f->description, pool_id,
	    r->user->id));
}

int64_t
event_host_insert(struct req *r, int64_t event_id, const char *name)
{
	char	 uuid[37];

	(void)r;
	token_uuid(uuid);
	return inserted(db_exec(&q_host, "siss", uuid, event_id, name,
	    name));
}

int
event_user_insert(struct req *r, int64_t event_id, int64_t user_id,
    int64_t collab_id)
{
	return db_exec(&q_event_user, "iiii", event_id, user_id, collab_id,
	    r->user ? r->user->id : (int64_t)0) < 0 ? -1 : 0;
}

int
event_lock(struct req *r, int64_t org_id, int64_t event_id,
    struct event_row *e)
{
	int64_t	 arch;
	int	 rc;

	(void)r;
	memset(e, 0, sizeof(*e));
	if (db_select(&q_lock, "ii", event_id, org_id) != 0)
		return -1;
	rc = db_fetch(&q_lock, "ssssssssii", &e->f.name, &e->f.code,
	    &e->f.timezone, &e->f.start_date, &e->f.end_date,
	    &e->f.venue_name, &e->f.venue_address, &e->f.description, &arch,
	    &e->version);
	db_done(&q_lock);
	e->archived = (int)arch;
	return rc;
}

int
event_lock_shared(struct req *r, int64_t event_id)
{
	int64_t	 active = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_lock_shared, "i", event_id) != 0)
		return -1;
	rc = db_fetch(&q_lock_shared, "i", &active);
	db_done(&q_lock_shared);
	if (rc < 0)
		return -1;
	return rc == 1 && active;
}

int
event_update(struct req *r, int64_t org_id, int64_t event_id,
    int64_t version, const struct event_fields *f)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_update, "ssssssssiii", f->name, f->code, f->timezone,
	    f->start_date, f->end_date, f->venue_name, f->venue_address,
	    f->description, event_id, org_id, version);
	if (n < 0)
		return db_errno() == ER_DUP_ENTRY ? 2 : -1;
	return n == 1;
}

int
event_set_archived(struct req *r, int64_t org_id, int64_t event_id,
    int64_t version, int archived)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_status, "siii", archived ? "archived" : "active",
	    event_id, org_id, version);
	return n < 0 ? -1 : n == 1;
}
