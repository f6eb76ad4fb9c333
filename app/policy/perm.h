/* perm.h — who may do what inside an event (PRODUCT §5). One function
 * decides every access; handlers describe the object (which scopes cover
 * it) and ask for the level the action needs.
 *
 *   effective = min(license ceiling, max(basic access, covering grants))
 *
 * Grants are additive: Event grants cover everything, Collaborator and
 * Area grants the objects tied to that collaborator or area. */
#ifndef POLICY_PERM_H
#define POLICY_PERM_H

#include <stddef.h>
#include <stdint.h>

#include "license.h"

enum section {
	SEC_SETTINGS, SEC_USERS, SEC_SCHEDULE, SEC_TASKS, SEC_FILES,
	SEC_DOCUMENTS, SEC_ADVANCING, SEC_CREW, SEC__MAX
};
enum level { LV_NONE, LV_VIEW, LV_EDIT, LV_ADMIN };
enum domain { DOM_EVENT, DOM_COLLAB, DOM_AREA };

enum preset {
	PRESET_PRODUCER, PRESET_COORDINATOR, PRESET_VIEWER, PRESET_AREA_LEAD,
	PRESET_VENDOR_CONTACT, PRESET_VENDOR_CREW, PRESET__MAX
};

struct grant {
	enum domain	 domain;
	int64_t		 scope_id;	/* 0 for the Event domain */
	enum section	 section;
	enum level	 level;
};

/* The actor on one event, read once per request (AC-5: never cached). */
struct perm_actor {
	enum license_class lc;		/* on this event */
	int		 event_user;	/* on the event (has a collaborator) */
	int64_t		 collab_id;	/* their collaborator, if event user */
	int		 org_pro_observer; /* Org Pro member not on the event */
	int		 org_admin;	/* owner or admin of the event's org */
	const struct grant *grants;
	size_t		 ngrants;
};

#define TARGET_SCOPES	16

/* What the action is about: the scopes that cover it. An object tied to
 * no collaborator and no area is covered by Event grants only. */
struct perm_target {
	int64_t		 collabs[TARGET_SCOPES];
	size_t		 ncollabs;
	int64_t		 areas[TARGET_SCOPES];
	size_t		 nareas;
	int		 basic;		/* part of basic access (event header,
					   global activities, own records) */
};

const char	*section_name(enum section);
int		 section_parse(const char *, enum section *);
const char	*level_name(enum level);
int		 level_parse(const char *, enum level *);
const char	*domain_name(enum domain);
int		 domain_parse(const char *, enum domain *);
const char	*preset_name(enum preset);
const char	*preset_label(enum preset);
int		 preset_parse(const char *, enum preset *);

/* May the actor enter the event at all (else everything is 404)? */
int		 perm_can_enter(const struct perm_actor *);
/* The effective level for a section on a target. */
enum level	 perm_level(const struct perm_actor *, enum section,
		    const struct perm_target *);
/* The license ceiling alone for a section on a target. */
enum level	 perm_ceiling(const struct perm_actor *, enum section,
		    const struct perm_target *);
/* Expand a preset into grants for a scope (collaborator for vendor
 * presets, area for Area lead). Returns how many were written (≤ 16). */
size_t		 preset_grants(enum preset, int64_t scope_id,
		    struct grant out[16]);
/* Target helpers. */
void		 target_event(struct perm_target *);
void		 target_collab(struct perm_target *, int64_t collab_id);
void		 target_area(struct perm_target *, int64_t area_id);

#endif
