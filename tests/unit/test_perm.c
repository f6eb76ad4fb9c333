/* test_perm.c — the permission rules of PRODUCT §5: additive grants,
 * scopes, basic access, the license ceiling, Org Pro observers, org
 * admins on Users & access, and every preset. */
#include <string.h>

#include "policy/perm.h"
#include "t.h"

#define V1	101	/* collaborator ids */
#define V2	102
#define A1	201	/* area ids */
#define A2	202

static struct perm_actor
actor(enum license_class lc, int64_t collab, const struct grant *g,
    size_t n)
{
	struct perm_actor	 a;

	memset(&a, 0, sizeof(a));
	a.lc = lc;
	a.event_user = collab != 0;
	a.collab_id = collab;
	a.grants = g;
	a.ngrants = n;
	return a;
}

int
main(void)
{
	struct perm_target	 ev, t1, t2, ta1, ta2, both, basic;
	struct grant		 g[16];
	struct perm_actor	 a;
	size_t			 n;
	int			 s;

	target_event(&ev);
	target_collab(&t1, V1);
	target_collab(&t2, V2);
	target_area(&ta1, A1);
	target_area(&ta2, A2);
	memset(&both, 0, sizeof(both));
	both.collabs[0] = V2;
	both.ncollabs = 1;
	both.areas[0] = A1;
	both.nareas = 1;
	target_event(&basic);
	basic.basic = 1;

	/* No grants: basic access only. */
	a = actor(LC_SEAT, V1, NULL, 0);
	T_OK(perm_can_enter(&a), "an event user enters");
	T_OK(perm_level(&a, SEC_SETTINGS, &ev) == LV_NONE,
	    "no grant, no access");
	T_OK(perm_level(&a, SEC_SETTINGS, &basic) == LV_VIEW,
	    "basic access is view");

	/* Producer: admin everywhere for a seat holder. */
	n = preset_grants(PRESET_PRODUCER, 0, g);
	T_OK(n == SEC__MAX, "producer covers every section");
	a = actor(LC_SEAT, V1, g, n);
	for (s = 0; s < SEC__MAX; s++)
		T_OK(perm_level(&a, (enum section)s, &t2) == LV_ADMIN,
		    "producer admin on any collaborator");
	/* The same grants under free access: only the own collaborator,
	 * capped by the free ceiling. */
	a = actor(LC_FREE, V1, g, n);
	T_OK(perm_level(&a, SEC_CREW, &t1) == LV_ADMIN, "free: crew admin "
	    "on own collaborator");
	T_OK(perm_level(&a, SEC_ADVANCING, &t1) == LV_EDIT, "free: advancing "
	    "edit, never review");
	T_OK(perm_level(&a, SEC_TASKS, &t1) == LV_VIEW, "free: tasks view");
	T_OK(perm_level(&a, SEC_DOCUMENTS, &t1) == LV_NONE,
	    "free: documents only when shared");
	T_OK(perm_level(&a, SEC_CREW, &t2) == LV_NONE, "free: nothing of "
	    "another collaborator");
	T_OK(perm_level(&a, SEC_SETTINGS, &ev) == LV_NONE,
	    "free: no event settings");
	T_OK(perm_level(&a, SEC_SCHEDULE, &basic) == LV_VIEW,
	    "free: global schedule by basic access");
	T_OK(perm_ceiling(&a, SEC_CREW, &t2) == LV_NONE &&
	    perm_ceiling(&a, SEC_CREW, &t1) == LV_ADMIN, "free ceiling");

	/* Collaborator and area grants cover only their scope. */
	g[0] = (struct grant){ DOM_COLLAB, V1, SEC_CREW, LV_EDIT };
	g[1] = (struct grant){ DOM_AREA, A1, SEC_SCHEDULE, LV_ADMIN };
	g[2] = (struct grant){ DOM_EVENT, 0, SEC_SCHEDULE, LV_VIEW };
	a = actor(LC_SEAT, V2, g, 3);
	T_OK(perm_level(&a, SEC_CREW, &t1) == LV_EDIT, "collaborator grant");
	T_OK(perm_level(&a, SEC_CREW, &t2) == LV_NONE, "not another one");
	T_OK(perm_level(&a, SEC_SCHEDULE, &ta1) == LV_ADMIN, "area grant");
	T_OK(perm_level(&a, SEC_SCHEDULE, &ta2) == LV_VIEW,
	    "event grant covers other areas");
	T_OK(perm_level(&a, SEC_SCHEDULE, &both) == LV_ADMIN,
	    "an object tied to several scopes takes the highest");
	T_OK(perm_level(&a, SEC_TASKS, &ta1) == LV_NONE,
	    "grants are per section");

	/* Additive: the highest of several grants. */
	g[0] = (struct grant){ DOM_EVENT, 0, SEC_TASKS, LV_VIEW };
	g[1] = (struct grant){ DOM_AREA, A1, SEC_TASKS, LV_EDIT };
	a = actor(LC_SEAT, V1, g, 2);
	T_OK(perm_level(&a, SEC_TASKS, &ta1) == LV_EDIT, "highest wins");
	T_OK(perm_level(&a, SEC_TASKS, &ta2) == LV_VIEW, "elsewhere view");

	/* Org Pro observer: view of every section, not on the event. */
	a = actor(LC_ORG_PRO, 0, NULL, 0);
	a.org_pro_observer = 1;
	T_OK(perm_can_enter(&a), "Org Pro observers enter");
	for (s = 0; s < SEC__MAX; s++)
		T_OK(perm_level(&a, (enum section)s, &t2) == LV_VIEW,
		    "observer view everywhere");

	/* Org admin not on the event: Users & access only. */
	a = actor(LC_FREE, 0, NULL, 0);
	a.org_admin = 1;
	T_OK(!perm_can_enter(&a), "org admins do not enter the event");
	T_OK(perm_level(&a, SEC_USERS, &ev) == LV_ADMIN,
	    "but manage its users and seats");
	T_OK(perm_level(&a, SEC_SETTINGS, &ev) == LV_NONE, "and nothing else");

	/* Presets. */
	n = preset_grants(PRESET_VIEWER, 0, g);
	a = actor(LC_SEAT, V1, g, n);
	T_OK(perm_level(&a, SEC_USERS, &ev) == LV_NONE &&
	    perm_level(&a, SEC_CREW, &t2) == LV_VIEW, "viewer");
	n = preset_grants(PRESET_COORDINATOR, 0, g);
	a = actor(LC_SEAT, V1, g, n);
	T_OK(perm_level(&a, SEC_ADVANCING, &ev) == LV_ADMIN &&
	    perm_level(&a, SEC_SETTINGS, &ev) == LV_VIEW &&
	    perm_level(&a, SEC_SCHEDULE, &ev) == LV_EDIT, "coordinator");
	n = preset_grants(PRESET_AREA_LEAD, A1, g);
	a = actor(LC_SEAT, V1, g, n);
	T_OK(perm_level(&a, SEC_SCHEDULE, &ta1) == LV_ADMIN &&
	    perm_level(&a, SEC_SCHEDULE, &ta2) == LV_VIEW &&
	    perm_level(&a, SEC_TASKS, &ta2) == LV_NONE &&
	    perm_level(&a, SEC_CREW, &t2) == LV_VIEW, "area lead");
	n = preset_grants(PRESET_VENDOR_CONTACT, V1, g);
	a = actor(LC_FREE, V1, g, n);
	T_OK(perm_level(&a, SEC_USERS, &t1) == LV_EDIT &&
	    perm_level(&a, SEC_CREW, &t1) == LV_ADMIN &&
	    perm_level(&a, SEC_TASKS, &t1) == LV_VIEW &&
	    perm_level(&a, SEC_CREW, &t2) == LV_NONE, "vendor contact");
	n = preset_grants(PRESET_VENDOR_CREW, V1, g);
	a = actor(LC_FREE, V1, g, n);
	T_OK(perm_level(&a, SEC_CREW, &t1) == LV_VIEW &&
	    perm_level(&a, SEC_USERS, &t1) == LV_NONE, "vendor crew");

	/* Names round-trip. */
	{
		enum section	 sec;
		enum level	 lv;
		enum preset	 p;
		enum domain	 d;

		T_OK(section_parse("advancing", &sec) == 0 &&
		    sec == SEC_ADVANCING, "section names");
		T_OK(level_parse("edit", &lv) == 0 && lv == LV_EDIT,
		    "level names");
		T_OK(preset_parse("vendor_contact", &p) == 0 &&
		    p == PRESET_VENDOR_CONTACT, "preset names");
		T_OK(domain_parse("area", &d) == 0 && d == DOM_AREA,
		    "domain names");
		T_OK(section_parse("billing", &sec) != 0 &&
		    level_parse("owner", &lv) != 0, "unknown names refused");
	}
	return t_done();
}
