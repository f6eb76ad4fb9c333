/* advtrack.c — the task tree of tracked advance modules (PRODUCT §13.9)
 * and the event's mapping of advancing states to task statuses.
 *
 * A sync always covers one whole advance, since its modules share the
 * advance task: the advance row FOR UPDATE serialises syncs of one
 * advance; the modules, blocks, answers, items, existing links and the
 * mapping are then read in a fixed number of locking reads (a locking
 * read sees the latest committed rows, not the caller's older snapshot,
 * so the last sync to run always sees every change before it). Every
 * node's state is decided in memory; then what is missing is created top
 * down and only the tasks whose status changes are moved, one UPDATE per
 * target status.
 *
 * Rules, leaves first:
 *  - question: not started unanswered, needs review while its answer
 *    does, done once reviewed;
 *  - line item: needs review until reviewed with none of the approvals
 *    its block asks for still pending; then done — an approval declined
 *    is a decision made (the vendor sees the reason), so it counts as
 *    done like an approved one;
 *  - request block: not started without items, else the parent rule;
 *  - parents (request block, module, advance): archived when every child
 *    is; otherwise archived children are out of play (a retired block
 *    or an untracked module) and the rest decide: not started if all
 *    are, done if all are, needs review otherwise.
 * Tasks of untracked or removed modules, retired or deleted blocks and
 * deleted items are archived. Links are unique per node, so turning
 * tracking on again reuses the tasks.
 *
 * Generated tasks take the module's due date, the module reviewer as
 * assignee and the advance's area; the advance task the earliest due
 * date of its tracked modules and their reviewer when they share one.
 * advance_tasks remembers what was applied (sql/0015), so later changes
 * reach only tasks still carrying the old value. */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advtrack.h"
#include "model/task.h"
#include "model/taskconf.h"
#include "model/user.h"

#define NAME_MAX_CPS	300	/* task names (PRODUCT §9) */

static const char *const state_names[ATS__MAX] = { "not_started",
    "needs_review", "done", "archived" };
static const char *const state_labels[ATS__MAX] = { "Not started",
    "Needs review", "Done", "Archived" };
static const enum task_state state_task[ATS__MAX] = { TS_TO_DO, TS_REVIEW,
    TS_DONE, TS_ARCHIVED };
/* The default status of each mapped state (as model/taskconf.c). */
static const struct {
	const char	*name, *colour;
} state_default[ATS__MAX] = {
	{ "To Do", "slate" }, { "In Review", "amber" }, { "Done", "green" },
	{ "Archived", "slate" },
};

#define MAP_COLS \
    "SELECT not_started_status_id, needs_review_status_id, done_status_id," \
    " archived_status_id, version FROM advance_task_map WHERE event_id = ?"
static struct dbq q_map = DBQ(MAP_COLS " LOCK IN SHARE MODE");
static struct dbq q_map_lock = DBQ(MAP_COLS " FOR UPDATE");
#define FIRST_OF(st) \
    "(SELECT id FROM task_statuses WHERE event_id = ? AND state = '" st "'" \
    " ORDER BY position, id LIMIT 1)"
static struct dbq q_map_seed = DBQ(
    "INSERT INTO advance_task_map (event_id, not_started_status_id,"
    " needs_review_status_id, done_status_id, archived_status_id)"
    " SELECT ?, s.ns, s.nr, s.dn, s.ar FROM (SELECT " FIRST_OF("todo")
    " AS ns, " FIRST_OF("review") " AS nr, " FIRST_OF("done") " AS dn, "
    FIRST_OF("archived") " AS ar) s WHERE s.ns IS NOT NULL"
    " AND s.nr IS NOT NULL AND s.dn IS NOT NULL AND s.ar IS NOT NULL"
    " ON DUPLICATE KEY UPDATE version = advance_task_map.version");
/* A state left without any status (events made by hand) gets its
 * default one back, so the mapping always has something to point at. */
static struct dbq q_state_fill = DBQ(
    "INSERT IGNORE INTO task_statuses (event_id, name, name_norm, colour,"
    " state, position, created_at) SELECT ?, ?, LOWER(?), ?, ?,"
    " COALESCE(MAX(position) + 1, 0), UTC_TIMESTAMP(3) FROM task_statuses"
    " WHERE event_id = ? HAVING COALESCE(SUM(state = ?), 0) = 0");
static struct dbq q_map_upd = DBQ(
    "UPDATE advance_task_map SET not_started_status_id = ?,"
    " needs_review_status_id = ?, done_status_id = ?,"
    " archived_status_id = ?, version = version + 1"
    " WHERE event_id = ? AND version = ?");
/* Each generated task in a mapped state moves to that state's status. */
static struct dbq q_reapply = DBQ(
    "UPDATE tasks t JOIN advance_tasks l ON l.task_id = t.id"
    " JOIN task_statuses s ON s.id = t.status_id"
    " SET t.status_id = CASE s.state WHEN 'todo' THEN ?"
    " WHEN 'review' THEN ? WHEN 'done' THEN ? ELSE ? END,"
    " t.updated_at = UTC_TIMESTAMP(3), t.version = t.version + 1"
    " WHERE l.event_id = ? AND t.event_id = ?"
    " AND s.state IN ('todo', 'review', 'done', 'archived')"
    " AND t.status_id NOT IN (?, ?, ?, ?)");
static struct dbq q_mapped = DBQ(
    "SELECT COUNT(*) FROM advance_task_map WHERE event_id = ? AND ? IN"
    " (not_started_status_id, needs_review_status_id, done_status_id,"
    " archived_status_id)");
static struct dbq q_count = DBQ(
    "SELECT COUNT(*) FROM advance_tasks WHERE event_id = ?");

static struct dbq q_set_tracked = DBQ(
    "UPDATE advance_modules SET tracked = ?, version = version + 1"
    " WHERE id = ? AND event_id = ? AND version = ?");
static struct dbq q_mod_adv = DBQ(
    "SELECT advance_id FROM advance_modules WHERE id = ? AND event_id = ?");
static struct dbq q_tpl_advs = DBQ(
    "SELECT DISTINCT advance_id FROM advance_modules WHERE event_id = ?"
    " AND module_template_id = ? AND tracked = 1 ORDER BY advance_id");
static struct dbq q_adv_lock = DBQ(
    "SELECT name, COALESCE(area_id, 0), collaborator_id FROM advances"
    " WHERE id = ? AND event_id = ? FOR UPDATE");
static struct dbq q_collab = DBQ(
    "SELECT name FROM collaborators WHERE id = ? AND event_id = ?");
static struct dbq q_mods = DBQ(
    "SELECT m.id, m.module_template_id, m.tracked,"
    " DATE_FORMAT(m.due_date, '%Y-%m-%d'), COALESCE(m.reviewer_user_id, 0),"
    " t.label FROM advance_modules m"
    " JOIN module_templates t ON t.id = m.module_template_id"
    " WHERE m.advance_id = ? AND m.event_id = ? ORDER BY m.position, m.id"
    " LOCK IN SHARE MODE");
static struct dbq q_links = DBQ(
    "SELECT l.task_id, l.kind + 0, l.advance_module_id, l.block_id,"
    " l.line_item_id, t.status_id, DATE_FORMAT(t.due_date, '%Y-%m-%d'),"
    " DATE_FORMAT(l.due_applied, '%Y-%m-%d'), l.assignee_applied,"
    " l.area_applied FROM advance_tasks l JOIN tasks t ON t.id = l.task_id"
    " WHERE l.advance_id = ? AND l.event_id = ? ORDER BY l.task_id"
    " LOCK IN SHARE MODE");
static struct dbq q_blocks = DBQ(
    "SELECT b.id, b.template_id, b.kind = 'question', COALESCE(b.label, ''),"
    " COALESCE(NULLIF(b.item_label, ''), 'Item'), b.needs_op, b.needs_res,"
    " b.retired FROM module_blocks b"
    " JOIN advance_modules m ON m.module_template_id = b.template_id"
    " WHERE m.advance_id = ? AND m.event_id = ? AND b.event_id = ?"
    " AND b.kind <> 'content' ORDER BY b.template_id, b.position, b.id"
    " LOCK IN SHARE MODE");
static struct dbq q_answers = DBQ(
    "SELECT a.advance_module_id, a.block_id, a.review = 'reviewed'"
    " FROM answers a JOIN advance_modules m ON m.id = a.advance_module_id"
    " WHERE m.advance_id = ? AND a.event_id = ? LOCK IN SHARE MODE");
static struct dbq q_items = DBQ(
    "SELECT li.id, li.advance_module_id, li.block_id, li.description,"
    " li.review = 'reviewed', li.op_state = 'pending',"
    " li.res_state = 'pending' FROM line_items li"
    " JOIN advance_modules m ON m.id = li.advance_module_id"
    " WHERE m.advance_id = ? AND li.event_id = ?"
    " ORDER BY li.advance_module_id, li.block_id, li.position, li.id"
    " LOCK IN SHARE MODE");

static struct dbq q_link_ins = DBQ(
    "INSERT INTO advance_tasks (task_id, event_id, kind, advance_id,"
    " advance_module_id, block_id, line_item_id, due_applied,"
    " assignee_applied, area_applied)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
static struct dbq q_mark_source = DBQ(
    "UPDATE tasks t JOIN advance_tasks l ON l.task_id = t.id"
    " SET t.source = 'advancing' WHERE l.advance_id = ? AND l.event_id = ?"
    " AND t.source <> 'advancing'");
static struct dbq q_set_status = DBQ(
    "UPDATE tasks SET status_id = ?, updated_at = UTC_TIMESTAMP(3),"
    " version = version + 1 WHERE event_id = ? AND status_id <> ?"
    " AND FIND_IN_SET(id, ?)");
static struct dbq q_archive_adv = DBQ(
    "UPDATE tasks t JOIN advance_tasks l ON l.task_id = t.id"
    " SET t.status_id = ?, t.updated_at = UTC_TIMESTAMP(3),"
    " t.version = t.version + 1"
    " WHERE l.advance_id = ? AND l.event_id = ? AND t.status_id <> ?");

/* Carrying a changed due date, assignee or area to the tasks of one
 * group (the tasks of one module, or with module 0 the advance task)
 * that still hold what was applied last. */
#define GROUP \
    " l.advance_id = ? AND l.advance_module_id = ? AND l.event_id = ?"
static struct dbq q_due = DBQ(
    "UPDATE tasks t JOIN advance_tasks l ON l.task_id = t.id"
    " SET t.due_date = ?, t.updated_at = UTC_TIMESTAMP(3),"
    " t.version = t.version + 1 WHERE" GROUP
    " AND t.due_date <=> l.due_applied AND NOT (l.due_applied <=> ?)"
    " AND (t.start_date IS NULL OR ? IS NULL OR t.start_date <= ?)");
static struct dbq q_asg_del = DBQ(
    "DELETE p FROM task_people p JOIN advance_tasks l"
    " ON l.task_id = p.task_id WHERE" GROUP
    " AND p.role = 'assignee' AND p.user_id = l.assignee_applied"
    " AND l.assignee_applied <> ?");
static struct dbq q_asg_add = DBQ(
    "INSERT INTO task_people (task_id, event_id, role, user_id)"
    " SELECT l.task_id, l.event_id, 'assignee', ? FROM advance_tasks l"
    " WHERE" GROUP " AND l.assignee_applied <> ? AND NOT EXISTS"
    " (SELECT 1 FROM task_people p WHERE p.task_id = l.task_id"
    " AND p.role = 'assignee' AND p.user_id = ?)");
static struct dbq q_area_del = DBQ(
    "DELETE a FROM task_areas a JOIN advance_tasks l"
    " ON l.task_id = a.task_id WHERE" GROUP
    " AND a.area_id = l.area_applied AND l.area_applied <> ?");
static struct dbq q_area_add = DBQ(
    "INSERT IGNORE INTO task_areas (task_id, event_id, area_id)"
    " SELECT l.task_id, l.event_id, ? FROM advance_tasks l WHERE" GROUP
    " AND l.area_applied <> ?");
static struct dbq q_applied = DBQ(
    "UPDATE advance_tasks l SET l.due_applied = ?, l.assignee_applied = ?,"
    " l.area_applied = ? WHERE" GROUP);

/* --- states and the mapping ----------------------------------------------- */

const char *
advtrack_state_name(enum advtrack_state s)
{
	return s < ATS__MAX ? state_names[s] : "not_started";
}

const char *
advtrack_state_label(enum advtrack_state s)
{
	return s < ATS__MAX ? state_labels[s] : "Not started";
}

int
advtrack_state_task_state(enum advtrack_state s)
{
	return s < ATS__MAX ? (int)state_task[s] : TS_TO_DO;
}

static int
read_map(struct dbq *q, int64_t ev, struct advtrack_map *m)
{
	int	 rc;

	memset(m, 0, sizeof(*m));
	if (db_select(q, "i", ev) != 0)
		return -1;
	rc = db_fetch(q, "iiiii", &m->status[ATS_NOT_STARTED],
	    &m->status[ATS_NEEDS_REVIEW], &m->status[ATS_DONE],
	    &m->status[ATS_ARCHIVED], &m->version);
	db_done(q);
	return rc;
}

int
advtrack_map_seed(struct req *r, int64_t ev)
{
	const char	*st;
	int		 i;

	/* Events made by hand may have no statuses yet, or miss a state. */
	if (taskconf_defaults(r, ev) != 0)
		return -1;
	for (i = 0; i < ATS__MAX; i++) {
		st = task_state_name(state_task[i]);
		if (db_exec(&q_state_fill, "isssiis", ev, state_default[i].name,
		    state_default[i].name, state_default[i].colour,
		    (int64_t)state_task[i] + 1, ev, st) < 0)
			return -1;
	}
	return db_exec(&q_map_seed, "iiiii", ev, ev, ev, ev, ev) < 0 ? -1 : 0;
}

int
advtrack_map_get(struct req *r, int64_t ev, int lock, struct advtrack_map *m)
{
	struct dbq	*q = lock ? &q_map_lock : &q_map;
	int		 rc;

	if ((rc = read_map(q, ev, m)) != 0)
		return rc;
	if (advtrack_map_seed(r, ev) != 0)
		return -1;
	/* Still none: a state without any status (cannot happen through
	 * the pages, which keep one per state). */
	return read_map(q, ev, m) == 1 ? 1 : -1;
}

int
advtrack_map_update(struct req *r, int64_t ev, int64_t version,
    const struct advtrack_map *m, int64_t *moved)
{
	int64_t	 n;
	const int64_t *s = m->status;

	(void)r;
	*moved = 0;
	n = db_exec(&q_map_upd, "iiiiii", s[0], s[1], s[2], s[3], ev,
	    version);
	if (n <= 0)
		return n < 0 ? -1 : 0;
	n = db_exec(&q_reapply, "iiiiiiiiii", s[0], s[1], s[2], s[3], ev, ev,
	    s[0], s[1], s[2], s[3]);
	if (n < 0)
		return -1;
	*moved = n;
	return 1;
}

int
advtrack_status_mapped(struct req *r, int64_t ev, int64_t status_id)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_mapped, "ii", ev, status_id) != 0)
		return -1;
	rc = db_fetch(&q_mapped, "i", &n);
	db_done(&q_mapped);
	return rc < 0 ? -1 : n > 0;
}

int64_t
advtrack_task_count(struct req *r, int64_t ev)
{
	int64_t	 n = 0;
	int	 rc;

	(void)r;
	if (db_select(&q_count, "i", ev) != 0)
		return -1;
	rc = db_fetch(&q_count, "i", &n);
	db_done(&q_count);
	return rc < 0 ? -1 : n;
}

/* --- the tree of one advance ---------------------------------------------- */

enum nkind { NK_ADVANCE, NK_MODULE, NK_BLOCK, NK_ITEM };
static const char *const kind_names[] = { "advance", "module", "block",
    "item" };

struct smod {
	int64_t		 id, template_id;
	int		 live;		/* tracked and not being removed */
	char		*due;		/* YYYY-MM-DD or NULL */
	int64_t		 reviewer;	/* 0 none */
	char		*label;
};

struct sblock {
	int64_t		 id, template_id;
	int		 question;
	char		*label, *item_label;
	int		 needs_op, needs_res, retired;
};

struct sanswer {
	int64_t		 mid, bid;
	int		 reviewed;
};

struct sitem {
	int64_t		 id, mid, bid;
	char		*description;
	int		 reviewed, op_pending, res_pending;
};

/* One task of the tree: read from advance_tasks, or to be created. */
struct node {
	enum nkind	 kind;
	int64_t		 mid, bid, iid;
	int64_t		 task_id;	/* 0 until created */
	int		 existing;
	int64_t		 status_id;	/* existing: its status now */
	int		 want;		/* enum advtrack_state */
	long		 parent;	/* index; -1 the advance task */
	const char	*name;		/* new nodes */
	char		*due, *due_applied;
	int64_t		 asg_applied, area_applied;
};

struct sync {
	struct req	*r;
	int64_t		 ev, adv, removed;
	struct advtrack_map map;
	char		*adv_name;
	int64_t		 area, collab;
	struct smod	*mods;
	size_t		 nmods;
	struct sblock	*blocks;
	size_t		 nblocks;
	struct sanswer	*answers;
	size_t		 nanswers;
	struct sitem	*items;
	size_t		 nitems;
	struct node	*nodes;
	size_t		 nnodes, cap;
	struct advtrack_stats st;
};

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* At most max code points of s. */
static const char *
clip(struct req *r, const char *s, size_t max)
{
	size_t	 i, cps = 0;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++cps > max)
			return arena_strndup(r->a, s, i);
	return s;
}

/* The modules of the advance and the tasks made for it so far. */
static int
read_heads(struct sync *s)
{
	struct req	*r = s->r;
	size_t		 cap = 0;
	int64_t		 kind;
	int		 rc;

	if (db_select(&q_mods, "ii", s->adv, s->ev) != 0)
		return -1;
	for (;;) {
		struct smod	 m;
		int64_t		 tracked;

		memset(&m, 0, sizeof(m));
		if ((rc = db_fetch(&q_mods, "iiisis", &m.id, &m.template_id,
		    &tracked, &m.due, &m.reviewer, &m.label)) != 1)
			break;
		m.live = tracked && m.id != s->removed;
		s->mods = arena_grow(r->a, s->mods, s->nmods, &cap,
		    sizeof(m));
		s->mods[s->nmods++] = m;
	}
	db_done(&q_mods);
	if (rc < 0 || db_select(&q_links, "ii", s->adv, s->ev) != 0)
		return -1;
	for (;;) {
		struct node	 n;

		memset(&n, 0, sizeof(n));
		if ((rc = db_fetch(&q_links, "iiiiiissii", &n.task_id, &kind,
		    &n.mid, &n.bid, &n.iid, &n.status_id, &n.due,
		    &n.due_applied, &n.asg_applied, &n.area_applied)) != 1)
			break;
		/* ENUM + 0 is 1-based. */
		n.kind = kind >= 1 && kind <= 4 ? (enum nkind)(kind - 1) :
		    NK_ITEM;
		n.existing = 1;
		n.parent = -1;
		n.want = ATS_ARCHIVED;	/* unless still part of the tree */
		s->nodes = arena_grow(r->a, s->nodes, s->nnodes, &s->cap,
		    sizeof(n));
		s->nodes[s->nnodes++] = n;
	}
	db_done(&q_links);
	return rc < 0 ? -1 : 0;
}

/* The blocks of its module templates, its answers and line items. */
static int
read_content(struct sync *s)
{
	struct req	*r = s->r;
	size_t		 cap = 0;
	int64_t		 a, b, c, d;
	int		 rc;

	if (db_select(&q_blocks, "iii", s->adv, s->ev, s->ev) != 0)
		return -1;
	for (;;) {
		struct sblock	 bl;

		memset(&bl, 0, sizeof(bl));
		if ((rc = db_fetch(&q_blocks, "iiissiii", &bl.id,
		    &bl.template_id, &a, &bl.label, &bl.item_label, &b, &c,
		    &d)) != 1)
			break;
		bl.question = a != 0;
		bl.needs_op = b != 0;
		bl.needs_res = c != 0;
		bl.retired = d != 0;
		s->blocks = arena_grow(r->a, s->blocks, s->nblocks, &cap,
		    sizeof(bl));
		s->blocks[s->nblocks++] = bl;
	}
	db_done(&q_blocks);
	if (rc < 0 || db_select(&q_answers, "ii", s->adv, s->ev) != 0)
		return -1;
	cap = 0;
	for (;;) {
		struct sanswer	 an;

		if ((rc = db_fetch(&q_answers, "iii", &an.mid, &an.bid,
		    &a)) != 1)
			break;
		an.reviewed = a != 0;
		s->answers = arena_grow(r->a, s->answers, s->nanswers, &cap,
		    sizeof(an));
		s->answers[s->nanswers++] = an;
	}
	db_done(&q_answers);
	if (rc < 0 || db_select(&q_items, "ii", s->adv, s->ev) != 0)
		return -1;
	cap = 0;
	for (;;) {
		struct sitem	 it;

		memset(&it, 0, sizeof(it));
		if ((rc = db_fetch(&q_items, "iiisiii", &it.id, &it.mid,
		    &it.bid, &it.description, &a, &b, &c)) != 1)
			break;
		it.reviewed = a != 0;
		it.op_pending = b != 0;
		it.res_pending = c != 0;
		s->items = arena_grow(r->a, s->items, s->nitems, &cap,
		    sizeof(it));
		s->items[s->nitems++] = it;
	}
	db_done(&q_items);
	return rc < 0 ? -1 : 0;
}

static long
find_node(const struct sync *s, enum nkind k, int64_t mid, int64_t bid,
    int64_t iid)
{
	size_t	 i;

	for (i = 0; i < s->nnodes; i++)
		if (s->nodes[i].kind == k && s->nodes[i].mid == mid &&
		    s->nodes[i].bid == bid && s->nodes[i].iid == iid)
			return (long)i;
	return -1;
}

/* The node of a part of the tree as it is now: the existing task, or a
 * new one under parent. */
static long
node_at(struct sync *s, enum nkind k, int64_t mid, int64_t bid, int64_t iid,
    long parent, const char *name)
{
	struct node	 n;
	long		 i;

	if ((i = find_node(s, k, mid, bid, iid)) >= 0)
		return i;
	memset(&n, 0, sizeof(n));
	n.kind = k;
	n.mid = mid;
	n.bid = bid;
	n.iid = iid;
	n.parent = parent;
	n.want = ATS_NOT_STARTED;
	n.name = clip(s->r, name, NAME_MAX_CPS);
	s->nodes = arena_grow(s->r->a, s->nodes, s->nnodes, &s->cap,
	    sizeof(n));
	s->nodes[s->nnodes] = n;
	return (long)s->nnodes++;
}

/* The parent rule over the children of a node: kind k below module mid
 * (and block bid for items). */
static int
children_state(const struct sync *s, enum nkind k, int64_t mid, int64_t bid)
{
	size_t	 i, n = 0, live = 0, ns = 0, done = 0;

	for (i = 0; i < s->nnodes; i++) {
		const struct node *c = &s->nodes[i];

		if (c->kind != k || (k != NK_MODULE && c->mid != mid) ||
		    (k == NK_ITEM && c->bid != bid))
			continue;
		n++;
		if (c->want == ATS_ARCHIVED)
			continue;
		live++;
		ns += c->want == ATS_NOT_STARTED;
		done += c->want == ATS_DONE;
	}
	if (n > 0 && live == 0)
		return ATS_ARCHIVED;
	if (ns == live)
		return ATS_NOT_STARTED;
	if (done == live)
		return ATS_DONE;
	return ATS_NEEDS_REVIEW;
}

static int
answer_state(const struct sync *s, int64_t mid, int64_t bid)
{
	size_t	 i;

	for (i = 0; i < s->nanswers; i++)
		if (s->answers[i].mid == mid && s->answers[i].bid == bid)
			return s->answers[i].reviewed ? ATS_DONE :
			    ATS_NEEDS_REVIEW;
	return ATS_NOT_STARTED;
}

static int
item_state(const struct sitem *it, const struct sblock *b)
{
	if (!it->reviewed || (b->needs_op && it->op_pending) ||
	    (b->needs_res && it->res_pending))
		return ATS_NEEDS_REVIEW;
	return ATS_DONE;
}

static const char *
block_name(const struct sblock *b)
{
	if (b->label != NULL && *b->label != '\0')
		return b->label;
	return b->question ? "Question" : "Request";
}

/* The request block's items, in order, and its own state. */
static void
walk_request(struct sync *s, const struct smod *m, const struct sblock *b,
    long bi)
{
	size_t	 i;
	long	 ii;
	int	 k = 0;
	const char *name;

	for (i = 0; i < s->nitems; i++) {
		const struct sitem *it = &s->items[i];

		if (it->mid != m->id || it->bid != b->id)
			continue;
		k++;
		name = it->description != NULL && *it->description != '\0' ?
		    it->description : arena_printf(s->r->a, "%s %d",
		    b->item_label, k);
		ii = node_at(s, NK_ITEM, m->id, b->id, it->id, bi, name);
		s->nodes[ii].want = item_state(it, b);
	}
	s->nodes[bi].want = k == 0 ? ATS_NOT_STARTED :
	    children_state(s, NK_ITEM, m->id, b->id);
}

/* Decide every node: the tree of each live module under the advance
 * task; whatever is not reached stays archived. */
static void
walk(struct sync *s, const char *collab_name)
{
	size_t	 i, j;
	long	 ai = -1, mi, bi;

	for (i = 0; i < s->nmods; i++)
		if (s->mods[i].live && ai < 0)
			ai = node_at(s, NK_ADVANCE, 0, 0, 0, -1,
			    arena_printf(s->r->a, "%s — %s", collab_name,
			    s->adv_name));
	for (i = 0; i < s->nmods; i++) {
		const struct smod *m = &s->mods[i];

		if (!m->live)
			continue;
		mi = node_at(s, NK_MODULE, m->id, 0, 0, ai, m->label);
		for (j = 0; j < s->nblocks; j++) {
			const struct sblock *b = &s->blocks[j];

			if (b->template_id != m->template_id || b->retired)
				continue;
			bi = node_at(s, NK_BLOCK, m->id, b->id, 0, mi,
			    block_name(b));
			if (b->question)
				s->nodes[bi].want = answer_state(s, m->id,
				    b->id);
			else
				walk_request(s, m, b, bi);
		}
		s->nodes[mi].want = children_state(s, NK_BLOCK, m->id, 0);
	}
	if (ai >= 0)
		s->nodes[ai].want = children_state(s, NK_MODULE, 0, 0);
}

/* What a group's tasks should carry: the module's, or for the advance
 * task (mid 0) the earliest due date of the live modules and their
 * reviewer when they all share one. */
static void
desired(const struct sync *s, int64_t mid, const char **due, int64_t *asg)
{
	size_t	 i;
	int	 first = 1;

	*due = NULL;
	*asg = 0;
	for (i = 0; i < s->nmods; i++) {
		const struct smod *m = &s->mods[i];

		if (mid != 0 && m->id == mid) {
			*due = m->due;
			*asg = m->reviewer;
			return;
		}
		if (mid != 0 || !m->live)
			continue;
		if (m->due != NULL && (*due == NULL || strcmp(m->due,
		    *due) < 0))
			*due = m->due;
		if (first)
			*asg = m->reviewer;
		else if (*asg != m->reviewer)
			*asg = 0;
		first = 0;
	}
}

static const char *
node_description(struct sync *s, const struct node *n)
{
	if (n->kind == NK_ADVANCE)
		return arena_printf(s->r->a, "Made by advancing: its status "
		    "follows the answers and reviews of this advance.\n\n"
		    "[Open the advance](/events/%lld/advances/%lld)",
		    (long long)s->ev, (long long)s->adv);
	return arena_printf(s->r->a, "Made by advancing: its status follows "
	    "the answers and reviews of this module.\n\n[Open the module]"
	    "(/events/%lld/advances/%lld/modules/%lld)", (long long)s->ev,
	    (long long)s->adv, (long long)n->mid);
}

/* Create the new nodes, parents first (they were added first). */
static int
create_missing(struct sync *s)
{
	struct task_fields f;
	struct task_person p;
	const char	*due;
	int64_t		 asg, uid = s->r->user ? s->r->user->id : 0;
	size_t		 i;

	for (i = 0; i < s->nnodes; i++) {
		struct node	*n = &s->nodes[i];

		if (n->existing)
			continue;
		desired(s, n->kind == NK_ADVANCE ? 0 : n->mid, &due, &asg);
		memset(&f, 0, sizeof(f));
		memset(&p, 0, sizeof(p));
		f.name = n->name;
		f.description = node_description(s, n);
		f.status_id = s->map.status[n->want];
		f.priority = "none";
		f.parent_id = n->parent >= 0 ?
		    s->nodes[n->parent].task_id : 0;
		f.due_date = due;
		p.role = TR_ASSIGNEE;
		p.user_id = asg;
		f.people = &p;
		f.npeople = asg != 0;
		f.areas = &s->area;
		f.nareas = s->area != 0;
		if ((n->task_id = task_insert(s->r, s->ev, uid, &f)) < 0)
			return -1;
		if (db_exec(&q_link_ins, "iisiiiisii", n->task_id, s->ev,
		    kind_names[n->kind], s->adv, n->mid, n->bid, n->iid, due,
		    asg, s->area) < 0)
			return -1;
		s->st.created++;
	}
	if (s->st.created > 0 &&
	    db_exec(&q_mark_source, "ii", s->adv, s->ev) < 0)
		return -1;
	return 0;
}

/* Move the existing tasks whose status changes: one UPDATE per target
 * status, whatever the number of tasks. */
static int
move_statuses(struct sync *s)
{
	struct buf	 ids[ATS__MAX];
	size_t		 i;
	int		 w, rc = 0;
	int64_t		 n;

	for (w = 0; w < ATS__MAX; w++)
		buf_init(&ids[w]);
	for (i = 0; i < s->nnodes; i++) {
		const struct node *nd = &s->nodes[i];

		if (!nd->existing || nd->status_id == s->map.status[nd->want])
			continue;
		buf_printf(&ids[nd->want], "%s%lld", ids[nd->want].len ? "," :
		    "", (long long)nd->task_id);
	}
	for (w = 0; w < ATS__MAX && rc == 0; w++) {
		if (ids[w].len == 0)
			continue;
		n = db_exec(&q_set_status, "iiis", s->map.status[w], s->ev,
		    s->map.status[w], buf_cstr(&ids[w]));
		if (n < 0)
			rc = -1;
		else
			s->st.changed += n;
	}
	for (w = 0; w < ATS__MAX; w++)
		buf_free(&ids[w]);
	return rc;
}

/* Carry changed due date, assignee and area to one group's tasks. */
static int
propagate(struct sync *s, int64_t mid)
{
	const char	*due;
	int64_t		 asg, adv = s->adv, ev = s->ev, area = s->area;
	size_t		 i;
	int		 stale = 0;

	desired(s, mid, &due, &asg);
	for (i = 0; i < s->nnodes && !stale; i++) {
		const struct node *n = &s->nodes[i];

		if (!n->existing || n->mid != mid ||
		    (mid == 0 && n->kind != NK_ADVANCE))
			continue;
		stale = !same(n->due_applied, due) || n->asg_applied != asg ||
		    n->area_applied != area;
	}
	if (!stale)
		return 0;
	if (db_exec(&q_due, "siiisss", due, adv, mid, ev, due, due, due) < 0 ||
	    db_exec(&q_asg_del, "iiii", adv, mid, ev, asg) < 0 ||
	    (asg != 0 && db_exec(&q_asg_add, "iiiiii", asg, adv, mid, ev, asg,
	    asg) < 0) ||
	    db_exec(&q_area_del, "iiii", adv, mid, ev, area) < 0 ||
	    (area != 0 && db_exec(&q_area_add, "iiiii", area, adv, mid, ev,
	    area) < 0) ||
	    db_exec(&q_applied, "siiiii", due, asg, area, adv, mid, ev) < 0)
		return -1;
	return 0;
}

static int
lock_advance(struct sync *s)
{
	int	 rc;

	if (db_select(&q_adv_lock, "ii", s->adv, s->ev) != 0)
		return -1;
	rc = db_fetch(&q_adv_lock, "sii", &s->adv_name, &s->area, &s->collab);
	db_done(&q_adv_lock);
	return rc;
}

static const char *
collab_name(struct sync *s)
{
	char	*name = NULL;

	if (db_select(&q_collab, "ii", s->collab, s->ev) != 0)
		return NULL;
	if (db_fetch(&q_collab, "s", &name) != 1)
		name = NULL;
	db_done(&q_collab);
	return name;
}

/* Sync advance adv, treating module removed (0 none) as gone. */
static int
sync_advance(struct req *r, int64_t ev, int64_t adv, int64_t removed,
    struct advtrack_stats *st)
{
	struct sync	 s;
	const char	*cname;
	size_t		 i;
	int		 rc;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.ev = ev;
	s.adv = adv;
	s.removed = removed;
	/* Lock order: the advance, the mapping, then tasks (as the mapping
	 * form: mapping, then tasks). */
	if ((rc = lock_advance(&s)) <= 0)
		return rc;		/* gone: nothing to track */
	if (advtrack_map_get(r, ev, 0, &s.map) != 1 || read_heads(&s) != 0)
		return -1;
	for (i = 0; i < s.nmods && !s.mods[i].live; i++)
		;
	/* Untracked and never tracked: no tree to keep. */
	if (i == s.nmods && s.nnodes == 0)
		return 0;
	if (read_content(&s) != 0 || (cname = collab_name(&s)) == NULL)
		return -1;
	walk(&s, cname);
	if (create_missing(&s) != 0 || move_statuses(&s) != 0)
		return -1;
	/* Due date, assignee and area follow only while tracked. */
	if (i < s.nmods && propagate(&s, 0) != 0)
		return -1;
	for (i = 0; i < s.nmods; i++)
		if (s.mods[i].live && propagate(&s, s.mods[i].id) != 0)
			return -1;
	if (st != NULL) {
		st->created += s.st.created;
		st->changed += s.st.changed;
	}
	return 0;
}

/* --- the hooks ------------------------------------------------------------ */

int
advtrack_sync_advance(struct req *r, int64_t ev, int64_t adv,
    struct advtrack_stats *st)
{
	return sync_advance(r, ev, adv, 0, st);
}

int
advtrack_sync_module(struct req *r, int64_t ev, int64_t mid)
{
	int64_t	 adv = 0;
	int	 rc;

	if (db_select(&q_mod_adv, "ii", mid, ev) != 0)
		return -1;
	rc = db_fetch(&q_mod_adv, "i", &adv);
	db_done(&q_mod_adv);
	if (rc <= 0)
		return rc;
	return sync_advance(r, ev, adv, 0, NULL);
}

int
advtrack_module_removed(struct req *r, int64_t ev, int64_t adv, int64_t mid)
{
	return sync_advance(r, ev, adv, mid, NULL);
}

int
advtrack_set_tracked(struct req *r, int64_t ev, int64_t mid, int64_t version,
    int tracked)
{
	int64_t	 n;

	(void)r;
	n = db_exec(&q_set_tracked, "iiii", (int64_t)(tracked != 0), mid, ev,
	    version);
	return n < 0 ? -1 : n > 0;
}

int
advtrack_advance_removed(struct req *r, int64_t ev, int64_t adv)
{
	struct advtrack_map m;
	int64_t		 arch;

	if (advtrack_map_get(r, ev, 0, &m) != 1)
		return -1;
	arch = m.status[ATS_ARCHIVED];
	return db_exec(&q_archive_adv, "iiii", arch, adv, ev, arch) < 0 ?
	    -1 : 0;
}

int
advtrack_sync_template(struct req *r, int64_t ev, int64_t tpl)
{
	int64_t	*advs = NULL, a;
	size_t	 n = 0, cap = 0, i;
	int	 rc;

	if (db_select(&q_tpl_advs, "ii", ev, tpl) != 0)
		return -1;
	while ((rc = db_fetch(&q_tpl_advs, "i", &a)) == 1) {
		advs = arena_grow(r->a, advs, n, &cap, sizeof(*advs));
		advs[n++] = a;
	}
	db_done(&q_tpl_advs);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (sync_advance(r, ev, advs[i], 0, NULL) != 0)
			return -1;
	return 0;
}
