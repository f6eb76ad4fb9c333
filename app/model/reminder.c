/* reminder.c — reminder offsets and the daily reminder run.
 *
 * A run reads, per event past 09:00 local time, the open dated modules
 * whose due date hits an offset today, what completion needs of them
 * (their blocks, answered questions, request blocks with items), the
 * event users with their license facts and advancing grants: six
 * queries whatever the number of advances. Respondents are decided with
 * the permission code (policy/perm.h) exactly as a request would. Each
 * mail is one transaction: the ledger row first (its primary key is
 * event, user and local day, so a second run the same day finds it and
 * sends nothing), then the outbox row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "model/mail.h"
#include "model/org.h"
#include "model/reminder.h"
#include "policy/advstate.h"
#include "policy/license.h"
#include "policy/perm.h"
#include "policy/tz.h"

static struct dbq q_get = DBQ(
    "SELECT reminder_offsets FROM events WHERE id = ?");
static struct dbq q_set = DBQ(
    "UPDATE events SET reminder_offsets = ?, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE id = ? AND version = ?");
static struct dbq q_events = DBQ(
    "SELECT id, name, timezone, reminder_offsets FROM events"
    " WHERE status = 'active' AND reminder_offsets <> '' ORDER BY id");
/* The modules of an event hitting an offset today: open, dated. */
#define DUE_FILTER \
    " m.event_id = ? AND m.state = 'open' AND m.due_date IS NOT NULL" \
    " AND FIND_IN_SET(DATEDIFF(m.due_date, ?), ?)"
static struct dbq q_due = DBQ(
    "SELECT m.id, m.advance_id, m.module_template_id, a.collaborator_id,"
    " COALESCE(a.area_id, 0), a.name, t.label,"
    " DATE_FORMAT(m.due_date, '%Y-%m-%d'), DATEDIFF(m.due_date, ?),"
    " m.submission FROM advance_modules m"
    " JOIN advances a ON a.id = m.advance_id"
    " JOIN module_templates t ON t.id = m.module_template_id"
    " WHERE" DUE_FILTER " ORDER BY a.collaborator_id, a.name_norm,"
    " m.position, m.id");
static struct dbq q_blocks = DBQ(
    "SELECT id, template_id, kind = 'question', required FROM module_blocks"
    " WHERE event_id = ? AND kind <> 'content' AND retired = 0"
    " ORDER BY template_id, position, id");
static struct dbq q_answered = DBQ(
    "SELECT a.advance_module_id, a.block_id FROM answers a"
    " JOIN advance_modules m ON m.id = a.advance_module_id WHERE" DUE_FILTER);
static struct dbq q_requested = DBQ(
    "SELECT DISTINCT li.advance_module_id, li.block_id FROM line_items li"
    " JOIN advance_modules m ON m.id = li.advance_module_id WHERE"
    DUE_FILTER);
/* Event users with what license_class() needs (as pages/eventctx.c). */
static struct dbq q_users = DBQ(
    "SELECT eu.user_id, eu.collaborator_id, u.email, u.name,"
    " CASE WHEN o.kind = 'personal' AND o.personal_user_id = eu.user_id"
    "  THEN 'owner' ELSE COALESCE(om.role, 'none') END, o.kind, p.product,"
    " (SELECT COUNT(*) FROM event_seats s WHERE s.event_id = eu.event_id"
    "  AND s.user_id = eu.user_id)"
    " FROM event_users eu JOIN users u ON u.id = eu.user_id"
    " JOIN events e ON e.id = eu.event_id JOIN orgs o ON o.id = e.org_id"
    " LEFT JOIN org_members om ON om.org_id = e.org_id"
    "  AND om.user_id = eu.user_id"
    " LEFT JOIN license_pools p ON p.id = om.pool_id"
    " WHERE eu.event_id = ? AND u.status = 'active' ORDER BY eu.user_id");
static struct dbq q_grants = DBQ(
    "SELECT user_id, domain, scope_id, level FROM grants"
    " WHERE event_id = ? AND section = 'advancing' ORDER BY user_id");
static struct dbq q_ledger = DBQ(
    "INSERT IGNORE INTO advance_reminders (event_id, user_id, day,"
    " created_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))");
static struct dbq q_ledger_mail = DBQ(
    "UPDATE advance_reminders SET outbox_id = ? WHERE event_id = ?"
    " AND user_id = ? AND day = ?");

/* --- offsets -------------------------------------------------------------- */

static int
desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

const char *
reminder_offsets_parse(struct req *r, const char *s,
    struct reminder_offsets *o)
{
	const char	*p = s ? s : "", *start;
	char		*tok, *end;
	long		 v;
	int		 i;

	memset(o, 0, sizeof(*o));
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		tok = arena_strndup(r->a, start, (size_t)(p - start));
		v = strtol(tok, &end, 10);
		if (*end != '\0' || end == tok || (tok[0] == '+' &&
		    tok[1] == '\0') || strlen(tok) > 4)
			return arena_printf(r->a, "“%s” is not a whole number "
			    "of days.", tok);
		if (v < -REMINDER_DAYS_MAX || v > REMINDER_DAYS_MAX)
			return arena_printf(r->a, "%ld is out of range: "
			    "reminder days go from %d (before the due date) "
			    "to -%d (after it).", v, REMINDER_DAYS_MAX,
			    REMINDER_DAYS_MAX);
		for (i = 0; i < o->n; i++)
			if (o->days[i] == (int)v)
				return arena_printf(r->a, "%ld is listed "
				    "twice.", v);
		if (o->n == REMINDER_OFFSETS_MAX)
			return arena_printf(r->a, "At most %d reminder days.",
			    REMINDER_OFFSETS_MAX);
		o->days[o->n++] = (int)v;
	}
	qsort(o->days, (size_t)o->n, sizeof(o->days[0]), desc);
	return NULL;
}

const char *
reminder_offsets_format(struct req *r, const struct reminder_offsets *o)
{
	char	 buf[64];
	size_t	 len = 0;
	int	 i;

	buf[0] = '\0';
	for (i = 0; i < o->n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d",
		    i ? "," : "", o->days[i]);
	return arena_strdup(r->a, buf);
}

/* "7 days and 1 day": the absolute values of days[from, to). */
static const char *
day_list(struct req *r, const struct reminder_offsets *o, int from, int to)
{
	const char	*s = "";
	int		 i, d;

	for (i = from; i < to; i++) {
		d = abs(o->days[i]);
		s = arena_printf(r->a, "%s%s%d day%s", s, i == from ? "" :
		    i + 1 == to ? " and " : ", ", d, d == 1 ? "" : "s");
	}
	return s;
}

const char *
reminder_offsets_text(struct req *r, const struct reminder_offsets *o)
{
	const char	*parts[3];
	int		 np = 0, i, pos = 0, zero = 0;

	if (o->n == 0)
		return "No reminders.";
	for (i = 0; i < o->n; i++) {
		pos += o->days[i] > 0;
		zero += o->days[i] == 0;
	}
	if (pos > 0)
		parts[np++] = arena_printf(r->a, "%s before the due date",
		    day_list(r, o, 0, pos));
	if (zero)
		parts[np++] = "on the due date";
	if (pos + zero < o->n) {
		/* After: nearest first. */
		struct reminder_offsets after;

		memset(&after, 0, sizeof(after));
		for (i = o->n - 1; i >= pos + zero; i--)
			after.days[after.n++] = o->days[i];
		for (i = 0; i < after.n / 2; i++) {
			int	 t = after.days[i];

			after.days[i] = after.days[after.n - 1 - i];
			after.days[after.n - 1 - i] = t;
		}
		parts[np++] = arena_printf(r->a, "%s after it", day_list(r,
		    &after, 0, after.n));
	}
	if (np == 1)
		return arena_printf(r->a, "%s.", parts[0]);
	if (np == 2)
		return arena_printf(r->a, "%s and %s.", parts[0], parts[1]);
	return arena_printf(r->a, "%s, %s and %s.", parts[0], parts[1],
	    parts[2]);
}

int
reminder_offsets_get(struct req *r, int64_t ev, char **out)
{
	int	 rc;

	*out = NULL;
	if (db_select(&q_get, "i", ev) != 0)
		return -1;
	rc = db_fetch(&q_get, "s", out);
	db_done(&q_get);
	if (rc == 1 && *out == NULL)
		*out = arena_strdup(r->a, "");
	return rc;
}

int
reminder_offsets_set(struct req *r, int64_t ev, int64_t version,
    const char *canonical)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_set, "sii", canonical, ev, version);
	return n < 0 ? -1 : n > 0;
}

/* --- the run -------------------------------------------------------------- */

struct rmod {
	int64_t		 id, adv, template_id, collab, area;
	char		*adv_name, *label, *due;
	int64_t		 diff;		/* due − today, in days */
	int64_t		 submission;
	int		 open;		/* not complete: remind */
};

struct rpair {
	int64_t		 mid, bid;
};

struct rblock {
	int64_t		 id, template_id;
	int		 question, required;
};

struct ruser {
	int64_t		 id, collab;
	char		*email, *name;
	struct perm_actor actor;
	struct grant	*grants;
	size_t		 ngrants;
};

struct revent {
	int64_t		 id;
	char		*name, *tz, *offsets;
	char		 today[16];
	struct rmod	*mods;
	size_t		 nmods;
	struct rblock	*blocks;
	size_t		 nblocks;
	struct rpair	*answered, *requested;
	size_t		 nanswered, nrequested;
	struct ruser	*users;
	size_t		 nusers;
};

static int
has_pair(const struct rpair *p, size_t n, int64_t mid, int64_t bid)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i].mid == mid && p[i].bid == bid)
			return 1;
	return 0;
}

static struct rpair *
read_pairs(struct req *r, struct dbq *q, const struct revent *e,
    const char *offsets, size_t *np)
{
	struct rpair	*v = NULL, p;
	size_t		 cap = 0;
	int		 rc;

	*np = 0;
	if (db_select(q, "iss", e->id, e->today, offsets) != 0)
		return NULL;
	while ((rc = db_fetch(q, "ii", &p.mid, &p.bid)) == 1) {
		v = arena_grow(r->a, v, *np, &cap, sizeof(p));
		v[(*np)++] = p;
	}
	db_done(q);
	if (rc < 0)
		*np = (size_t)-1;
	return v;
}

/* The due modules and which of them are not complete (§13.6 through
 * policy/advstate.c). 0, or -1. */
static int
read_modules(struct req *r, struct revent *e, const char *offsets)
{
	struct rmod	 m;
	struct rblock	 b;
	struct adv_item_state *st;
	size_t		 cap = 0, i, j, k;
	int64_t		 q, rq;
	int		 rc;

	if (db_select(&q_due, "siss", e->today, e->id, e->today, offsets) != 0)
		return -1;
	for (;;) {
		memset(&m, 0, sizeof(m));
		if ((rc = db_fetch(&q_due, "iiiiisssii", &m.id, &m.adv,
		    &m.template_id, &m.collab, &m.area, &m.adv_name, &m.label,
		    &m.due, &m.diff, &m.submission)) != 1)
			break;
		e->mods = arena_grow(r->a, e->mods, e->nmods, &cap, sizeof(m));
		e->mods[e->nmods++] = m;
	}
	db_done(&q_due);
	if (rc < 0)
		return -1;
	if (e->nmods == 0)
		return 0;
	if (db_select(&q_blocks, "i", e->id) != 0)
		return -1;
	cap = 0;
	while ((rc = db_fetch(&q_blocks, "iiii", &b.id, &b.template_id, &q,
	    &rq)) == 1) {
		b.question = q != 0;
		b.required = rq != 0;
		e->blocks = arena_grow(r->a, e->blocks, e->nblocks, &cap,
		    sizeof(b));
		e->blocks[e->nblocks++] = b;
	}
	db_done(&q_blocks);
	if (rc < 0)
		return -1;
	e->answered = read_pairs(r, &q_answered, e, offsets, &e->nanswered);
	if (e->nanswered == (size_t)-1)
		return -1;
	e->requested = read_pairs(r, &q_requested, e, offsets,
	    &e->nrequested);
	if (e->nrequested == (size_t)-1)
		return -1;
	st = arena_calloc(r->a, e->nblocks + 1, sizeof(*st));
	for (i = 0; i < e->nmods; i++) {
		struct rmod	*mm = &e->mods[i];

		for (j = k = 0; j < e->nblocks; j++) {
			const struct rblock *bl = &e->blocks[j];

			if (bl->template_id != mm->template_id)
				continue;
			memset(&st[k], 0, sizeof(st[k]));
			st[k].question = bl->question;
			st[k].required = bl->required;
			st[k].answered = bl->question ?
			    has_pair(e->answered, e->nanswered, mm->id,
			    bl->id) : has_pair(e->requested, e->nrequested,
			    mm->id, bl->id);
			k++;
		}
		mm->open = adv_module_completion(st, k, mm->submission != 0,
		    0) != AC_COMPLETE;
	}
	return 0;
}

/* Event users and their advancing grants; each user's actor built as
 * pages/eventctx.c builds the signed-in one. */
static int
read_users(struct req *r, struct revent *e)
{
	struct ruser	 u;
	struct license_facts f;
	struct grant	*gs = NULL, g;
	int64_t		*guid = NULL, uid, scope, lvl, seats;
	char		*role, *kind, *product, *dom;
	enum org_role	 orole;
	size_t		 cap = 0, ng = 0, capg = 0, capu = 0, i, j;
	int		 rc;

	if (db_select(&q_users, "i", e->id) != 0)
		return -1;
	for (;;) {
		memset(&u, 0, sizeof(u));
		if ((rc = db_fetch(&q_users, "iisssssi", &u.id, &u.collab,
		    &u.email, &u.name, &role, &kind, &product, &seats)) != 1)
			break;
		if (role_parse(role, &orole) != 0)
			orole = ROLE_NONE;
		memset(&f, 0, sizeof(f));
		f.member = strcmp(kind, "team") == 0 && orole != ROLE_NONE;
		f.has_org_license = product != NULL &&
		    product_parse(product, &f.org_license) == 0 &&
		    product_is_org(f.org_license);
		f.has_seat = seats > 0;
		u.actor.lc = license_class(&f);
		u.actor.event_user = 1;
		u.actor.collab_id = u.collab;
		u.actor.org_admin = orole >= ROLE_ADMIN;
		e->users = arena_grow(r->a, e->users, e->nusers, &cap,
		    sizeof(u));
		e->users[e->nusers++] = u;
	}
	db_done(&q_users);
	if (rc < 0 || db_select(&q_grants, "i", e->id) != 0)
		return -1;
	while ((rc = db_fetch(&q_grants, "isii", &uid, &dom, &scope,
	    &lvl)) == 1) {
		if (domain_parse(dom, &g.domain) != 0 || lvl < 0 ||
		    lvl > LV_ADMIN)
			continue;
		g.section = SEC_ADVANCING;
		g.scope_id = scope;
		g.level = (enum level)lvl;
		gs = arena_grow(r->a, gs, ng, &capg, sizeof(g));
		guid = arena_grow(r->a, guid, ng, &capu, sizeof(*guid));
		gs[ng] = g;
		guid[ng++] = uid;
	}
	db_done(&q_grants);
	if (rc < 0)
		return -1;
	/* Both ordered by user. */
	for (i = j = 0; i < e->nusers; i++) {
		while (j < ng && guid[j] < e->users[i].id)
			j++;
		e->users[i].grants = gs + j;
		for (; j < ng && guid[j] == e->users[i].id; j++)
			e->users[i].ngrants++;
		e->users[i].actor.grants = e->users[i].grants;
		e->users[i].actor.ngrants = e->users[i].ngrants;
	}
	return 0;
}

/* A respondent of the module's advance: on its collaborator, with
 * advancing edit covering it (its collaborator, its area). */
static int
respondent(const struct ruser *u, const struct rmod *m)
{
	struct perm_target	 t;

	if (u->collab != m->collab)
		return 0;
	memset(&t, 0, sizeof(t));
	t.collabs[t.ncollabs++] = m->collab;
	if (m->area > 0)
		t.areas[t.nareas++] = m->area;
	return perm_level(&u->actor, SEC_ADVANCING, &t) >= LV_EDIT;
}

static const char *
when_text(struct req *r, const struct rmod *m)
{
	int64_t		 d = m->diff, days;
	struct tm	 tm;
	time_t		 t;
	char		 date[40];

	if (tz_parse_date(m->due, &days) != 0)
		return m->due;
	t = (time_t)(days * 86400);
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a %-d %b %Y", &tm);
	if (d == 0)
		return arena_printf(r->a, "due today, %s", date);
	if (d == 1)
		return arena_printf(r->a, "due tomorrow, %s", date);
	if (d > 1)
		return arena_printf(r->a, "due in %lld days, %s",
		    (long long)d, date);
	if (d == -1)
		return arena_printf(r->a, "was due yesterday, %s", date);
	return arena_printf(r->a, "was due %lld days ago, %s",
	    (long long)-d, date);
}

static const char *
mail_body(struct req *r, const struct revent *e, const struct ruser *u,
    const int *pick, size_t n)
{
	struct buf	 b;
	const char	*out;
	size_t		 i;

	buf_init(&b);
	buf_printf(&b, "Hello %s,\n\nThese advance modules for %s still need "
	    "your answers:\n\n", u->name, e->name);
	for (i = 0; i < n; i++) {
		const struct rmod *m = &e->mods[pick[i]];

		buf_printf(&b, "- %s (%s): %s\n  %s/events/%lld/advances/%lld/"
		    "modules/%lld\n", m->label, m->adv_name, when_text(r, m),
		    cfg->base_url, (long long)e->id, (long long)m->adv,
		    (long long)m->id);
	}
	buf_printf(&b, "\nReminders stop once a module is complete or "
	    "submitted. You get at most one of these a day for %s.\n\n"
	    "— BackOps\n", e->name);
	out = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Ledger row, then the mail, in one transaction: 1 sent, 0 already
 * sent today, -1. */
static int
send_one(struct req *r, const struct revent *e, const struct ruser *u,
    const int *pick, size_t n)
{
	const char	*subject;
	int64_t		 got;

	if (db_begin() != 0)
		return -1;
	if ((got = db_exec(&q_ledger, "iis", e->id, u->id, e->today)) < 0)
		goto fail;
	if (got == 0) {
		db_rollback();
		return 0;
	}
	subject = n == 1 ? arena_printf(r->a, "Reminder: %s for %s",
	    e->mods[pick[0]].label, e->name) : arena_printf(r->a,
	    "Reminder: %zu advance modules for %s", n, e->name);
	if (mail_queue(r, u->email, subject, mail_body(r, e, u, pick, n)) !=
	    0 || db_exec(&q_ledger_mail, "iiis", db_insert_id(), e->id,
	    u->id, e->today) < 0 || db_commit() != 0)
		goto fail;
	return 1;
fail:
	db_rollback();
	return -1;
}

static int
run_event(struct req *r, struct revent *e, struct reminder_run *run)
{
	struct reminder_offsets o;
	const char	*offsets;
	int		*pick;
	size_t		 i, j, n;
	int		 rc;

	if (reminder_offsets_parse(r, e->offsets, &o) != NULL || o.n == 0)
		return 0;
	offsets = reminder_offsets_format(r, &o);
	run->events++;
	if (read_modules(r, e, offsets) != 0)
		return -1;
	for (i = n = 0; i < e->nmods; i++)
		n += e->mods[i].open;
	if (n == 0)
		return 0;
	if (read_users(r, e) != 0)
		return -1;
	pick = arena_calloc(r->a, e->nmods, sizeof(*pick));
	for (i = 0; i < e->nusers; i++) {
		for (j = n = 0; j < e->nmods; j++)
			if (e->mods[j].open &&
			    respondent(&e->users[i], &e->mods[j]))
				pick[n++] = (int)j;
		if (n == 0)
			continue;
		if ((rc = send_one(r, e, &e->users[i], pick, n)) < 0)
			return -1;
		if (rc == 0)
			run->already++;
		else
			run->sent++;
	}
	return 0;
}

int
reminders_run(struct req *r, int64_t now, struct reminder_run *run)
{
	struct revent	*evs = NULL, e;
	size_t		 n = 0, cap = 0, i;
	int64_t		 lsec;
	int		 rc;

	memset(run, 0, sizeof(*run));
	if (db_select(&q_events, "") != 0)
		return -1;
	for (;;) {
		memset(&e, 0, sizeof(e));
		if ((rc = db_fetch(&q_events, "isss", &e.id, &e.name, &e.tz,
		    &e.offsets)) != 1)
			break;
		/* From 09:00 local time on the event's own calendar day. */
		if (tz_utc_to_local(e.tz, now, &lsec, NULL, 0) != TZ_OK ||
		    lsec < 0 || lsec % 86400 < REMINDER_HOUR * 3600)
			continue;
		tz_fmt_date(lsec / 86400, e.today, sizeof(e.today));
		evs = arena_grow(r->a, evs, n, &cap, sizeof(e));
		evs[n++] = e;
	}
	db_done(&q_events);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (run_event(r, &evs[i], run) != 0) {
			log_msg(LOG_ERROR, "msg=\"reminders failed\" "
			    "event=%lld", (long long)evs[i].id);
			return -1;
		}
	return 0;
}
