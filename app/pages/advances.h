/* advances.h — handlers and field indexes of the advances routes: the
 * staff list and management of advances and their modules (PRODUCT
 * §13.4), a collaborator's Advances tab and the vendor portal's home
 * (§13.5). The route table includes routes_advances.inc and
 * fields_advances.inc. */
#ifndef PAGES_ADVANCES_H
#define PAGES_ADVANCES_H

#include <stdint.h>

#include <json-c/json.h>

struct req;
struct event_ctx;
struct advance;
struct advprog;

/* advances.c — staff management */
int	 h_advances(struct req *);
int	 h_advance_new_form(struct req *);
int	 h_advance_create(struct req *);
int	 h_advance_settings(struct req *);
int	 h_advance_update(struct req *);
int	 h_advance_delete_form(struct req *);
int	 h_advance_delete(struct req *);
int	 h_advmod_add(struct req *);
int	 h_advmod_update(struct req *);
int	 h_advmod_move(struct req *);
int	 h_advmod_delete_form(struct req *);
int	 h_advmod_delete(struct req *);
int	 h_collab_advances(struct req *);

/* portal.c — the vendor portal's home and the staff preview of it */
int	 h_portal(struct req *);
int	 h_portal_preview(struct req *);

/* The advancing pages' sub-navigation (template advances/subnav): the
 * sibling pages the actor may open, current marked — the advances list,
 * the Advance Manager, templates, asset types and the task mapping. */
json_object *adv_subnav_json(struct req *, const struct event_ctx *,
	    const char *current);

/* Shared by advances.c and portal.c: one advance as a list row with its
 * progress and URLs, in the view model of every advances list. Flags:
 * ADV_ROW_MODULES adds its modules' states; ADV_ROW_RESPONDENT leaves
 * out what respondents never see (review marks, staff links). */
enum { ADV_ROW_MODULES = 1, ADV_ROW_RESPONDENT = 2 };
json_object *adv_row_json(struct req *, const struct event_ctx *,
	    const struct advance *, const struct advprog *, int flags);
/* Does the actor's advancing come only through their own collaborator
 * (the rule of the event navigation: they use the portal)? */
int	 adv_portal_user(const struct event_ctx *);
/* The URL of an advance's page (built by the advance page). */
const char *adv_page_url(struct req *, int64_t event_id, int64_t adv_id);

/* Field indexes, parallel to fields_advances.inc. */
enum { ADVLIST_SORT };
enum { ADVNEW_COLLAB, ADVNEW_NAME, ADVNEW_TEMPLATE, ADVNEW_AREA,
    ADVNEW_ACTIVITY };
enum { ADVSET_NAME, ADVSET_AREA, ADVSET_ACTIVITY, ADVSET_VERSION };
enum { ADVDEL_CONFIRM, ADVDEL_VERSION };
enum { ADVMODADD_TEMPLATE, ADVMODADD_DUE, ADVMODADD_REQUIRED,
    ADVMODADD_SUBMISSION };
enum { ADVMOD_DUE, ADVMOD_REQUIRED, ADVMOD_SUBMISSION, ADVMOD_REVIEWER,
    ADVMOD_VERSION };
enum { ADVMOVE_DIRECTION, ADVMOVE_POSITION, ADVMOVE_VERSION };

#endif
