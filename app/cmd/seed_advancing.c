/* seed_advancing.c — the demo festival's advancing (issue 7 item 12):
 * module categories, asset types (power drop, labour call with its
 * laborers, credential), six module templates (Audio rider,
 * Hospitality, Catering, Power, Labour call, Credentials), an artist
 * advance template, and advances for five collaborators in different
 * states: answered and reviewed, waiting for review, submitted, not
 * started, overdue; request line items with approvals given, pending
 * and declined (area -1: event-wide). The templates are data tables; rows are written with
 * the statements below in the caller's transaction, and only when the
 * event has no module template yet. Tracked modules get their task
 * tree through advtrack at the end. */
#include <stdio.h>
#include <string.h>

#include "auth/token.h"
#include "core/arena.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advtrack.h"
#include "policy/tz.h"
#include "seed_plan.h"

static struct dbq q_has = DBQ(
    "SELECT COUNT(*) FROM module_templates WHERE event_id = ?");
static struct dbq q_cat = DBQ(
    "INSERT INTO module_categories (event_id, name, icon, position)"
    " VALUES (?, ?, ?, ?)");
static struct dbq q_asset = DBQ(
    "INSERT INTO asset_types (event_id, name, label, icon, category,"
    " item_label, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?,"
    " UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_sub = DBQ(
    "INSERT INTO asset_subs (event_id, asset_type_id, skey, label,"
    " position) VALUES (?, ?, ?, ?, ?)");
static struct dbq q_prop = DBQ(
    "INSERT INTO asset_props (event_id, asset_type_id, sub_id, pkey,"
    " label, rtype, options, required, position)"
    " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?)");
static struct dbq q_tpl = DBQ(
    "INSERT INTO module_templates (event_id, name, label, icon,"
    " category_id, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?,"
    " ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_block = DBQ(
    "INSERT INTO module_blocks (event_id, template_id, position, kind,"
    " body, label, prompt, help, rtype, required, options, num_min,"
    " num_whole, item_label, asset_type_id, needs_op, needs_res)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0),"
    " ?, ?)");
static struct dbq q_advtpl = DBQ(
    "INSERT INTO advance_templates (event_id, name, created_at,"
    " updated_at) VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_advtpl_mod = DBQ(
    "INSERT INTO advance_template_modules (event_id, advance_template_id,"
    " module_template_id, position, due_kind, due_days, required,"
    " tracked, submission, reviewer_user_id)"
    " VALUES (?, ?, ?, ?, 'before', ?, ?, ?, ?, ?)");
static struct dbq q_adv = DBQ(
    "INSERT INTO advances (uuid, event_id, collaborator_id, name,"
    " name_norm, advance_template_id, area_id, created_by, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, LOWER(?), NULLIF(?, 0),"
    " NULLIF(?, 0), ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
static struct dbq q_mod = DBQ(
    "INSERT INTO advance_modules (event_id, advance_id,"
    " module_template_id, position, due_date, required, tracked,"
    " submission, reviewer_user_id, state, submitted_by, submitted_at)"
    " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, IF(? <> 0, 'submitted', 'open'),"
    " NULLIF(?, 0), IF(? <> 0, UTC_TIMESTAMP(3), NULL))");
static struct dbq q_answer = DBQ(
    "INSERT INTO answers (event_id, advance_module_id, block_id, value,"
    " review, reviewed_by, reviewed_at, updated_by, updated_at)"
    " VALUES (?, ?, ?, ?, IF(? <> 0, 'reviewed', 'needs_review'),"
    " NULLIF(?, 0), IF(? <> 0, UTC_TIMESTAMP(3), NULL), ?,"
    " UTC_TIMESTAMP(3))");
static struct dbq q_history = DBQ(
    "INSERT INTO answer_history (event_id, advance_module_id, block_id,"
    " value, version, changed_by, changed_at)"
    " VALUES (?, ?, ?, ?, 1, ?, UTC_TIMESTAMP(3))");
static struct dbq q_item = DBQ(
    "INSERT INTO line_items (event_id, advance_module_id, block_id,"
    " position, props, review, reviewed_by, reviewed_at, op_state, op_by,"
    " op_at, op_reason, res_state, res_by, res_at, created_by,"
    " created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?,"
    " IF(? <> 0, 'reviewed', 'needs_review'), NULLIF(?, 0),"
    " IF(? <> 0, UTC_TIMESTAMP(3), NULL), ?, NULLIF(?, 0),"
    " IF(? <> 'pending', UTC_TIMESTAMP(3), NULL), ?, ?, NULLIF(?, 0),"
    " IF(? <> 'pending', UTC_TIMESTAMP(3), NULL), ?, UTC_TIMESTAMP(3), ?,"
    " UTC_TIMESTAMP(3))");

/* --- what the demo holds ---------------------------------------------- */

static const char *const categories[] = { "Technical", "Hospitality",
    "Logistics", "Access" };
enum { CAT_TECH, CAT_HOSP, CAT_LOG, CAT_ACCESS };

enum { AT_POWER, AT_LABOUR, AT_CRED, AT__MAX };

static const struct {
	const char	*name, *label, *icon, *category, *item;
} assets[AT__MAX] = {
	{ "power-drop", "Power drop", "bolt", "Power", "Drop" },
	{ "labour-call", "Labour call", "users", "Crew", "Call" },
	{ "credential", "Credential", "badge", "Access", "Pass" },
};

/* Properties: sub NULL for the type's own, else the sub-asset key. */
static const struct {
	int		 asset;
	const char	*sub, *key, *label, *rtype, *options;
	int		 required;
} props[] = {
	{ AT_POWER, NULL, "phase", "Phase", "select",
	    "[{\"key\":\"single\",\"label\":\"Single phase (230 V)\"},"
	    "{\"key\":\"three\",\"label\":\"Three phase (400 V)\"}]", 1 },
	{ AT_POWER, NULL, "amps", "Current (A)", "number", NULL, 1 },
	{ AT_POWER, NULL, "where", "Location", "text", NULL, 1 },
	{ AT_LABOUR, NULL, "call", "Call name", "text", NULL, 1 },
	{ AT_LABOUR, NULL, "start", "Start", "datetime", NULL, 1 },
	{ AT_LABOUR, NULL, "end", "End", "datetime", NULL, 1 },
	{ AT_LABOUR, "laborer", "role", "Role", "select",
	    "[{\"key\":\"hand\",\"label\":\"Stagehand\"},"
	    "{\"key\":\"rigger\",\"label\":\"Rigger\"},"
	    "{\"key\":\"fork\",\"label\":\"Forklift driver\"}]", 1 },
	{ AT_LABOUR, "laborer", "qty", "Quantity", "number", NULL, 1 },
	{ AT_CRED, NULL, "holder", "Name on the pass", "text", NULL, 1 },
	{ AT_CRED, NULL, "zone", "Access", "select",
	    "[{\"key\":\"aaa\",\"label\":\"All areas\"},"
	    "{\"key\":\"backstage\",\"label\":\"Backstage\"},"
	    "{\"key\":\"stage\",\"label\":\"Stage only\"}]", 1 },
};

enum { M_AUDIO, M_HOSP, M_CATER, M_POWER, M_LABOUR, M_CRED, M__MAX };

static const struct {
	const char	*name, *label, *icon, *note;
	int		 category;
} modules[M__MAX] = {
	{ "Audio rider", "Audio rider", "speaker", "FOH and monitor needs "
	    "per act; the system engineer reviews.", CAT_TECH },
	{ "Artist hospitality", "Hospitality", "coffee", NULL, CAT_HOSP },
	{ "Crew catering", "Catering", "utensils", "Harbor Catering plans "
	    "covers from these numbers.", CAT_HOSP },
	{ "Power", "Power", "bolt", NULL, CAT_TECH },
	{ "Labour call", "Labour call", "users", NULL, CAT_LOG },
	{ "Credentials", "Credentials", "badge", NULL, CAT_ACCESS },
};

/* Blocks in order. kind: c content (text = Markdown), q question,
 * r request (asset type; op/res approvals). */
struct block_seed {
	int		 module;
	char		 kind;
	const char	*text;		/* content body / question label /
					   request name */
	const char	*rtype, *options, *prompt;
	int		 required, asset, op, res;
};

#define OPT_DIET \
    "[{\"key\":\"veg\",\"label\":\"Vegetarian\"}," \
    "{\"key\":\"vegan\",\"label\":\"Vegan\"}," \
    "{\"key\":\"gf\",\"label\":\"Gluten-free\"}," \
    "{\"key\":\"halal\",\"label\":\"Halal\"}]"
#define NOASSET	-1

static const struct block_seed blocks[] = {
	{ M_AUDIO, 'c', "Tell us what you need at **front of house** and "
	    "on stage. The house system is a d&b GSL array with a DiGiCo "
	    "Quantum 338 at FOH.", NULL, NULL, NULL, 0, NOASSET, 0, 0 },
	{ M_AUDIO, 'q', "FOH console", "text", NULL, "Which desk do you "
	    "bring or need?", 1, NOASSET, 0, 0 },
	{ M_AUDIO, 'q', "Monitor mixes", "number", NULL, "Wedges and IEM "
	    "mixes together.", 1, NOASSET, 0, 0 },
	{ M_AUDIO, 'q', "Wireless channels", "number", NULL, NULL, 0,
	    NOASSET, 0, 0 },
	{ M_AUDIO, 'q', "Stage plot and input list", "file", NULL, "PDF or "
	    "image.", 0, NOASSET, 0, 0 },
	{ M_AUDIO, 'q', "Notes for the system engineer", "longtext", NULL,
	    NULL, 0, NOASSET, 0, 0 },
	{ M_HOSP, 'q', "Arrival at the venue", "datetime", NULL, "When "
	    "does the party reach the artist entrance?", 1, NOASSET, 0, 0 },
	{ M_HOSP, 'q', "Party size", "number", NULL, NULL, 1, NOASSET, 0,
	    0 },
	{ M_HOSP, 'q', "Dietary needs", "multiselect", OPT_DIET, NULL, 0,
	    NOASSET, 0, 0 },
	{ M_HOSP, 'q', "Dressing room rider", "longtext", NULL, NULL, 0,
	    NOASSET, 0, 0 },
	{ M_CATER, 'q', "Crew meals per day", "number", NULL, NULL, 1,
	    NOASSET, 0, 0 },
	{ M_CATER, 'q', "Dietary needs", "multiselect", OPT_DIET, NULL, 0,
	    NOASSET, 0, 0 },
	{ M_CATER, 'q', "First meal", "select",
	    "[{\"key\":\"breakfast\",\"label\":\"Breakfast\"},"
	    "{\"key\":\"lunch\",\"label\":\"Lunch\"},"
	    "{\"key\":\"dinner\",\"label\":\"Dinner\"}]", NULL, 1, NOASSET,
	    0, 0 },
	{ M_POWER, 'c', "List every drop you need; the site electrician "
	    "approves the plan and the production office the budget.", NULL,
	    NULL, NULL, 0, NOASSET, 0, 0 },
	{ M_POWER, 'r', "Power drops", NULL, NULL, NULL, 0, AT_POWER, 1, 1 },
	{ M_LABOUR, 'r', "Crew calls", NULL, NULL, NULL, 0, AT_LABOUR, 1,
	    1 },
	{ M_CRED, 'q', "Credentials contact", "email", NULL, "Who picks up "
	    "the passes?", 1, NOASSET, 0, 0 },
	{ M_CRED, 'r', "Passes", NULL, NULL, NULL, 0, AT_CRED, 1, 0 },
};
#define NBLOCKS	(sizeof(blocks) / sizeof(blocks[0]))

/* The artist advance template: module, days before the show,
 * tracked, requires submission. */
static const struct {
	int	 module, days, tracked, submission;
} artist_tpl[] = {
	{ M_HOSP, 30, 1, 1 }, { M_AUDIO, 45, 1, 0 }, { M_CATER, 21, 0, 0 },
	{ M_CRED, 14, 0, 0 },
};

/* Advances: collaborator, name, area, whether made from the artist
 * template, and their modules (due: days from the first show day). */
struct mod_plan {
	int	 module, due, tracked, submitted;
};
static const struct {
	int		 collab, area;
	const char	*name;
	int		 artist;
	struct mod_plan	 mods[4];
} advances[] = {
	{ C_OWLS, A_MAIN, "Headline show", 1, {
	    { M_HOSP, -30, 1, 1 }, { M_AUDIO, -45, 1, 0 },
	    { M_CATER, -21, 0, 0 }, { M_CRED, -14, 0, 0 } } },
	{ C_SOUND, A_MAIN, "Main Stage audio", 0, {
	    { M_AUDIO, -60, 0, 0 }, { M_POWER, -50, 1, 0 },
	    { M_LABOUR, -40, 0, 0 }, { -1, 0, 0, 0 } } },
	{ C_CATER, A_CATER, "Catering service", 0, {
	    { M_CATER, -30, 0, 0 }, { M_POWER, -30, 0, 0 },
	    { -1, 0, 0, 0 }, { -1, 0, 0, 0 } } },
	{ C_LIGHT, A_MAIN, "Lighting rig", 0, {
	    { M_POWER, -240, 0, 0 }, { M_LABOUR, -35, 0, 0 },
	    { -1, 0, 0, 0 }, { -1, 0, 0, 0 } } },
	{ C_POWER, -1, "Site power", 0, {
	    { M_CRED, -14, 0, 0 }, { -1, 0, 0, 0 }, { -1, 0, 0, 0 },
	    { -1, 0, 0, 0 } } },
};
#define NADV	(sizeof(advances) / sizeof(advances[0]))

/* Answers: advance index, module, question label, canonical value,
 * reviewed. Soundwave (the vendor login) still owes its monitor mixes. */
static const struct {
	int		 adv, module;
	const char	*label, *value;
	int		 reviewed;
} answers[] = {
	{ 0, M_HOSP, "Arrival at the venue", "2027-07-17 15:30:00", 1 },
	{ 0, M_HOSP, "Party size", "9", 1 },
	{ 0, M_HOSP, "Dietary needs", "veg,gf", 1 },
	{ 0, M_HOSP, "Dressing room rider", "Two dressing rooms, a clothes "
	    "rail, six towels each.\nNo glass bottles on stage.", 1 },
	{ 0, M_AUDIO, "FOH console", "Own DiGiCo SD12, flown in", 1 },
	{ 0, M_AUDIO, "Monitor mixes", "8", 0 },
	{ 0, M_AUDIO, "Wireless channels", "6", 0 },
	{ 0, M_CATER, "Crew meals per day", "14", 0 },
	{ 1, M_AUDIO, "FOH console", "House Quantum 338", 1 },
	{ 1, M_AUDIO, "Notes for the system engineer", "Delay towers at "
	    "60 m; we bring the measurement rig.", 0 },
	{ 2, M_CATER, "Crew meals per day", "420", 1 },
	{ 2, M_CATER, "Dietary needs", "veg,vegan,gf,halal", 1 },
	{ 2, M_CATER, "First meal", "breakfast", 1 },
};

/* Line items: advance, module, props JSON, reviewed, approvals. */
static const struct {
	int		 adv, module;
	const char	*props;
	int		 reviewed;
	const char	*op, *res, *reason;
} items[] = {
	{ 0, M_CRED, "{\"props\":{\"holder\":\"Lou Harper\",\"zone\":"
	    "\"aaa\"},\"subs\":{}}", 1, "approved", "pending", NULL },
	{ 0, M_CRED, "{\"props\":{\"holder\":\"Noor Haddad\",\"zone\":"
	    "\"backstage\"},\"subs\":{}}", 0, "pending", "pending", NULL },
	{ 1, M_POWER, "{\"props\":{\"phase\":\"three\",\"amps\":\"125\","
	    "\"where\":\"FOH riser\"},\"subs\":{}}", 1, "approved",
	    "approved", NULL },
	{ 1, M_POWER, "{\"props\":{\"phase\":\"three\",\"amps\":\"400\","
	    "\"where\":\"Stage left amp world\"},\"subs\":{}}", 0, "declined",
	    "pending", "400 A is more than the stage distro carries; split "
	    "it into two 125 A drops." },
	{ 1, M_LABOUR, "{\"props\":{\"call\":\"Main Stage load-in\","
	    "\"start\":\"2027-07-15 04:00:00\",\"end\":\"2027-07-15 "
	    "10:00:00\"},\"subs\":{\"laborer\":[{\"role\":\"hand\",\"qty\":"
	    "\"8\"},{\"role\":\"rigger\",\"qty\":\"2\"}]}}", 0, "pending",
	    "pending", NULL },
	{ 2, M_POWER, "{\"props\":{\"phase\":\"three\",\"amps\":\"63\","
	    "\"where\":\"Catering tent kitchen\"},\"subs\":{}}", 1,
	    "approved", "approved", NULL },
};

/* --- writing it ---------------------------------------------------------- */

struct ids {
	int64_t	 cat[4], asset[AT__MAX], module[M__MAX], block[NBLOCKS];
	int64_t	 adv[NADV], mod[NADV][4];
};

static int64_t
insert_id(int64_t rc)
{
	return rc < 0 ? -1 : db_insert_id();
}

static int64_t
sub_id(const struct demo_ctx *d, int64_t asset, const char *key)
{
	static struct dbq q = DBQ("SELECT id FROM asset_subs WHERE"
	    " event_id = ? AND asset_type_id = ? AND skey = ?");
	int64_t	 id = 0;

	if (db_select(&q, "iis", d->ev, asset, key) != 0)
		return -1;
	if (db_fetch(&q, "i", &id) < 0)
		id = -1;
	db_done(&q);
	return id;
}

static int
write_assets(const struct demo_ctx *d, struct ids *x)
{
	int64_t	 sub;
	size_t	 i;

	for (i = 0; i < AT__MAX; i++)
		if ((x->asset[i] = insert_id(db_exec(&q_asset, "isssss",
		    d->ev, assets[i].name, assets[i].label, assets[i].icon,
		    assets[i].category, assets[i].item))) <= 0)
			return -1;
	if (db_exec(&q_sub, "iissi", d->ev, x->asset[AT_LABOUR], "laborer",
	    "Laborer", (int64_t)1) < 0)
		return -1;
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		sub = 0;
		if (props[i].sub != NULL &&
		    (sub = sub_id(d, x->asset[props[i].asset],
		    props[i].sub)) <= 0)
			return -1;
		if (db_exec(&q_prop, "iiissssii", d->ev,
		    x->asset[props[i].asset], sub, props[i].key,
		    props[i].label, props[i].rtype, props[i].options,
		    (int64_t)props[i].required, (int64_t)i) < 0)
			return -1;
	}
	return 0;
}

static int
write_templates(const struct demo_ctx *d, struct ids *x)
{
	const struct block_seed	*b;
	size_t			 i;
	int64_t			 pos[M__MAX] = { 0 }, asset;

	for (i = 0; i < 4; i++)
		if ((x->cat[i] = insert_id(db_exec(&q_cat, "issi", d->ev,
		    categories[i], "", (int64_t)i + 1))) <= 0)
			return -1;
	for (i = 0; i < M__MAX; i++)
		if ((x->module[i] = insert_id(db_exec(&q_tpl, "isssis",
		    d->ev, modules[i].name, modules[i].label, modules[i].icon,
		    x->cat[modules[i].category], modules[i].note))) <= 0)
			return -1;
	for (i = 0; i < NBLOCKS; i++) {
		b = &blocks[i];
		asset = b->asset == NOASSET ? 0 : x->asset[b->asset];
		if ((x->block[i] = insert_id(db_exec(&q_block,
		    "iiissssssissisiii", d->ev, x->module[b->module],
		    ++pos[b->module], b->kind == 'c' ? "content" :
		    b->kind == 'q' ? "question" : "request",
		    b->kind == 'c' ? b->text : NULL,
		    b->kind == 'c' ? NULL : b->text, b->prompt, NULL,
		    b->kind == 'q' ? b->rtype : NULL,
		    (int64_t)b->required, b->options,
		    b->rtype != NULL && strcmp(b->rtype, "number") == 0 ?
		    "0" : NULL, (int64_t)(b->rtype != NULL &&
		    strcmp(b->rtype, "number") == 0),
		    NULL, asset, (int64_t)b->op,
		    (int64_t)b->res))) <= 0)
			return -1;
	}
	return 0;
}

static int
write_artist_template(const struct demo_ctx *d, const struct ids *x,
    int64_t *tpl)
{
	size_t	 i;

	if ((*tpl = insert_id(db_exec(&q_advtpl, "is", d->ev,
	    "Artist advance"))) <= 0)
		return -1;
	for (i = 0; i < sizeof(artist_tpl) / sizeof(artist_tpl[0]); i++)
		if (db_exec(&q_advtpl_mod, "iiiiiiiii", d->ev, *tpl,
		    x->module[artist_tpl[i].module], (int64_t)i + 1,
		    (int64_t)artist_tpl[i].days, (int64_t)1,
		    (int64_t)artist_tpl[i].tracked,
		    (int64_t)artist_tpl[i].submission, d->user[U_SAM]) < 0)
			return -1;
	return 0;
}

static int
write_advances(const struct demo_ctx *d, struct ids *x, int64_t tpl)
{
	const struct mod_plan	*p;
	char			 uuid[37], due[11];
	size_t			 i, j;
	int64_t			 area, who;

	for (i = 0; i < NADV; i++) {
		token_uuid(uuid);
		area = advances[i].area >= 0 ? d->area[advances[i].area] : 0;
		if ((x->adv[i] = insert_id(db_exec(&q_adv, "siissiii", uuid,
		    d->ev, d->collab[advances[i].collab], advances[i].name,
		    advances[i].name, advances[i].artist ? tpl : 0, area,
		    d->author))) <= 0)
			return -1;
		for (j = 0; j < 4; j++) {
			p = &advances[i].mods[j];
			if (p->module < 0)
				continue;
			tz_fmt_date(d->first_day + p->due, due, sizeof(due));
			who = p->submitted ? d->author : 0;
			if ((x->mod[i][j] = insert_id(db_exec(&q_mod,
			    "iiiisiiiiii", d->ev, x->adv[i],
			    x->module[p->module], (int64_t)j + 1, due,
			    (int64_t)p->tracked,
			    (int64_t)(advances[i].artist && p->module ==
			    M_HOSP), d->user[U_SAM], (int64_t)p->submitted,
			    who, who))) <= 0)
				return -1;
		}
	}
	return 0;
}

/* The advance module of advance i using module template m. */
static int64_t
module_of(const struct ids *x, size_t i, int m)
{
	size_t	 j;

	for (j = 0; j < 4; j++)
		if (advances[i].mods[j].module == m)
			return x->mod[i][j];
	return 0;
}

static int64_t
block_of(const struct ids *x, int m, char kind, const char *label)
{
	size_t	 i;

	for (i = 0; i < NBLOCKS; i++)
		if (blocks[i].module == m && blocks[i].kind == kind &&
		    (label == NULL || strcmp(blocks[i].text, label) == 0))
			return x->block[i];
	return 0;
}

static int
write_answers(const struct demo_ctx *d, const struct ids *x)
{
	int64_t	 mod, blk, rv;
	size_t	 i;

	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		mod = module_of(x, (size_t)answers[i].adv, answers[i].module);
		blk = block_of(x, answers[i].module, 'q', answers[i].label);
		if (mod <= 0 || blk <= 0)
			return -1;
		rv = answers[i].reviewed ? d->user[U_SAM] : 0;
		if (db_exec(&q_answer, "iiisiiii", d->ev, mod, blk,
		    answers[i].value, rv, rv, rv, d->author) < 0 ||
		    db_exec(&q_history, "iiisi", d->ev, mod, blk,
		    answers[i].value, d->author) < 0)
			return -1;
	}
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		mod = module_of(x, (size_t)items[i].adv, items[i].module);
		blk = block_of(x, items[i].module, 'r', NULL);
		if (mod <= 0 || blk <= 0)
			return -1;
		rv = items[i].reviewed ? d->user[U_SAM] : 0;
		if (db_exec(&q_item, "iiiisiiisisssisii", d->ev, mod, blk,
		    (int64_t)i + 1, items[i].props, rv, rv, rv, items[i].op,
		    strcmp(items[i].op, "pending") ? d->user[U_SAM] : 0,
		    items[i].op, items[i].reason, items[i].res,
		    strcmp(items[i].res, "pending") ? d->author : 0,
		    items[i].res, d->author, d->author) < 0)
			return -1;
	}
	return 0;
}

int
seed_advancing(struct req *r, const struct demo_ctx *d)
{
	struct ids	 x;
	int64_t		 n = 0, tpl;
	size_t		 i, j;

	if (db_select(&q_has, "i", d->ev) != 0)
		return -1;
	if (db_fetch(&q_has, "i", &n) < 0)
		n = -1;
	db_done(&q_has);
	if (n != 0)
		return n < 0 ? -1 : 0;
	memset(&x, 0, sizeof(x));
	if (write_assets(d, &x) != 0 || write_templates(d, &x) != 0 ||
	    write_artist_template(d, &x, &tpl) != 0 ||
	    write_advances(d, &x, tpl) != 0 || write_answers(d, &x) != 0)
		return -1;
	for (i = 0; i < NADV; i++)
		for (j = 0; j < 4; j++)
			if (x.mod[i][j] > 0 && advances[i].mods[j].tracked &&
			    advtrack_sync_module(r, d->ev, x.mod[i][j]) != 0)
				return -1;
	return 1;
}
