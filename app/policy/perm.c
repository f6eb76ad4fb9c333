/* perm.c — the permission rules of PRODUCT §5. */
#include <string.h>

#include "perm.h"

static const char *const sections[SEC__MAX] = {
	"settings", "users", "schedule", "tasks", "files", "documents",
	"advancing", "crew"
};
static const char *const levels[] = { "none", "view", "edit", "admin" };
static const char *const domains[] = { "event", "collaborator", "area" };
static const char *const presets[PRESET__MAX] = {
	"producer", "coordinator", "viewer", "area_lead", "vendor_contact",
	"vendor_crew"
};
static const char *const preset_labels[PRESET__MAX] = {
	"Producer", "Coordinator", "Viewer", "Area lead", "Vendor contact",
	"Vendor crew"
};

/* Free collaborator access, inside the person's own collaborator
 * (PRODUCT §4); nothing outside it beyond basic access. */
static const enum level free_ceiling[SEC__MAX] = {
	[SEC_SETTINGS] = LV_EDIT, [SEC_USERS] = LV_EDIT,
	[SEC_SCHEDULE] = LV_EDIT, [SEC_TASKS] = LV_VIEW,
	[SEC_FILES] = LV_EDIT, [SEC_DOCUMENTS] = LV_NONE,
	[SEC_ADVANCING] = LV_EDIT, [SEC_CREW] = LV_ADMIN,
};

static int
lookup(const char *const *names, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
section_name(enum section s)
{
	return s < SEC__MAX ? sections[s] : "";
}

int
section_parse(const char *s, enum section *out)
{
	int	 i = lookup(sections, SEC__MAX, s);

	if (i < 0)
		return -1;
	*out = (enum section)i;
	return 0;
}

const char *
level_name(enum level l)
{
	return l <= LV_ADMIN ? levels[l] : "";
}

int
level_parse(const char *s, enum level *out)
{
	int	 i = lookup(levels, 4, s);

	if (i < 0)
		return -1;
	*out = (enum level)i;
	return 0;
}

const char *
domain_name(enum domain d)
{
	return d <= DOM_AREA ? domains[d] : "";
}

int
domain_parse(const char *s, enum domain *out)
{
	int	 i = lookup(domains, 3, s);

	if (i < 0)
		return -1;
	*out = (enum domain)i;
	return 0;
}

const char *
preset_name(enum preset p)
{
	return p < PRESET__MAX ? presets[p] : "";
}

const char *
preset_label(enum preset p)
{
	return p < PRESET__MAX ? preset_labels[p] : "";
}

int
preset_parse(const char *s, enum preset *out)
{
	int	 i = lookup(presets, PRESET__MAX, s);

	if (i < 0)
		return -1;
	*out = (enum preset)i;
	return 0;
}

int
perm_can_enter(const struct perm_actor *a)
{
	return a->event_user || a->org_pro_observer;
}

static int
has(const int64_t *ids, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int
own(const struct perm_actor *a, const struct perm_target *t)
{
	return a->event_user && has(t->collabs, t->ncollabs, a->collab_id);
}

enum level
perm_ceiling(const struct perm_actor *a, enum section s,
    const struct perm_target *t)
{
	if (s >= SEC__MAX)
		return LV_NONE;
	if (a->lc != LC_FREE)
		return LV_ADMIN;
	/* Org owners and admins manage users and seats on any org event. */
	if (s == SEC_USERS && a->org_admin)
		return LV_ADMIN;
	if (own(a, t))
		return free_ceiling[s];
	return t->basic ? LV_VIEW : LV_NONE;
}

enum level
perm_level(const struct perm_actor *a, enum section s,
    const struct perm_target *t)
{
	enum level	 got = LV_NONE, cap;
	size_t		 i;

	if (s >= SEC__MAX)
		return LV_NONE;
	if (t->basic && (a->event_user || a->org_pro_observer))
		got = LV_VIEW;
	if (a->org_pro_observer)
		got = LV_VIEW;		/* implicit Event view everywhere */
	if (s == SEC_USERS && a->org_admin)
		got = LV_ADMIN;
	for (i = 0; i < a->ngrants; i++) {
		const struct grant	*g = &a->grants[i];

		if (g->section != s || g->level <= got)
			continue;
		if (g->domain == DOM_EVENT ||
		    (g->domain == DOM_COLLAB &&
		    has(t->collabs, t->ncollabs, g->scope_id)) ||
		    (g->domain == DOM_AREA &&
		    has(t->areas, t->nareas, g->scope_id)))
			got = g->level;
	}
	cap = perm_ceiling(a, s, t);
	return got < cap ? got : cap;
}

static size_t
add(struct grant *out, size_t n, enum domain d, int64_t scope,
    enum section s, enum level l)
{
	out[n].domain = d;
	out[n].scope_id = scope;
	out[n].section = s;
	out[n].level = l;
	return n + 1;
}

size_t
preset_grants(enum preset p, int64_t scope, struct grant out[16])
{
	size_t	 n = 0;
	int	 s;

	switch (p) {
	case PRESET_PRODUCER:
		for (s = 0; s < SEC__MAX; s++)
			n = add(out, n, DOM_EVENT, 0, (enum section)s,
			    LV_ADMIN);
		break;
	case PRESET_COORDINATOR:
		n = add(out, n, DOM_EVENT, 0, SEC_SETTINGS, LV_VIEW);
		n = add(out, n, DOM_EVENT, 0, SEC_USERS, LV_VIEW);
		n = add(out, n, DOM_EVENT, 0, SEC_SCHEDULE, LV_EDIT);
		n = add(out, n, DOM_EVENT, 0, SEC_TASKS, LV_EDIT);
		n = add(out, n, DOM_EVENT, 0, SEC_FILES, LV_EDIT);
		n = add(out, n, DOM_EVENT, 0, SEC_DOCUMENTS, LV_EDIT);
		n = add(out, n, DOM_EVENT, 0, SEC_ADVANCING, LV_ADMIN);
		n = add(out, n, DOM_EVENT, 0, SEC_CREW, LV_EDIT);
		break;
	case PRESET_VIEWER:
		for (s = 0; s < SEC__MAX; s++)
			if (s != SEC_USERS)
				n = add(out, n, DOM_EVENT, 0, (enum section)s,
				    LV_VIEW);
		break;
	case PRESET_AREA_LEAD:
		n = add(out, n, DOM_AREA, scope, SEC_SETTINGS, LV_ADMIN);
		n = add(out, n, DOM_AREA, scope, SEC_USERS, LV_ADMIN);
		n = add(out, n, DOM_AREA, scope, SEC_SCHEDULE, LV_ADMIN);
		n = add(out, n, DOM_AREA, scope, SEC_TASKS, LV_ADMIN);
		n = add(out, n, DOM_AREA, scope, SEC_FILES, LV_ADMIN);
		n = add(out, n, DOM_AREA, scope, SEC_ADVANCING, LV_ADMIN);
		n = add(out, n, DOM_EVENT, 0, SEC_SCHEDULE, LV_VIEW);
		n = add(out, n, DOM_EVENT, 0, SEC_CREW, LV_VIEW);
		break;
	case PRESET_VENDOR_CONTACT:
		n = add(out, n, DOM_COLLAB, scope, SEC_SETTINGS, LV_EDIT);
		n = add(out, n, DOM_COLLAB, scope, SEC_USERS, LV_EDIT);
		n = add(out, n, DOM_COLLAB, scope, SEC_CREW, LV_ADMIN);
		n = add(out, n, DOM_COLLAB, scope, SEC_ADVANCING, LV_EDIT);
		n = add(out, n, DOM_COLLAB, scope, SEC_FILES, LV_EDIT);
		n = add(out, n, DOM_COLLAB, scope, SEC_SCHEDULE, LV_EDIT);
		n = add(out, n, DOM_COLLAB, scope, SEC_TASKS, LV_VIEW);
		break;
	case PRESET_VENDOR_CREW:
		n = add(out, n, DOM_COLLAB, scope, SEC_CREW, LV_VIEW);
		n = add(out, n, DOM_COLLAB, scope, SEC_ADVANCING, LV_VIEW);
		n = add(out, n, DOM_COLLAB, scope, SEC_FILES, LV_VIEW);
		n = add(out, n, DOM_COLLAB, scope, SEC_SCHEDULE, LV_VIEW);
		break;
	default:
		break;
	}
	return n;
}

void
target_event(struct perm_target *t)
{
	memset(t, 0, sizeof(*t));
}

void
target_collab(struct perm_target *t, int64_t id)
{
	memset(t, 0, sizeof(*t));
	t->collabs[0] = id;
	t->ncollabs = 1;
}

void
target_area(struct perm_target *t, int64_t id)
{
	memset(t, 0, sizeof(*t));
	t->areas[0] = id;
	t->nareas = 1;
}
