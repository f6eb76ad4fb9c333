/* events.h — handler prototypes and field indexes of the events pages (the
 * route table includes routes_events.inc and fields_events.inc). */
#ifndef PAGES_EVENTS_H
#define PAGES_EVENTS_H

#include <json-c/json.h>

struct req;
struct event_ctx;

/* events.c — an organization's events, creation, overview, settings,
 * archive and restore, the event audit log */
int	 h_events(struct req *);
int	 h_event_new_form(struct req *);
int	 h_event_create(struct req *);
int	 h_event_overview(struct req *);
int	 h_event_settings(struct req *);
int	 h_event_update(struct req *);
int	 h_event_archive(struct req *);
int	 h_event_restore(struct req *);
int	 h_event_audit(struct req *);

/* areas.c — the areas of an event */
int	 h_areas(struct req *);
int	 h_area_create(struct req *);
int	 h_area(struct req *);
int	 h_area_update(struct req *);
int	 h_area_delete(struct req *);

/* The event header every event page shows: {event (event_json plus
 * dates_text, description_html, urls), archived, nav: [{label, url,
 * current}]} with only the sections the actor can open. current names
 * the page ("overview", "areas", "collaborators", "users", "settings",
 * "audit"). Pages of other files may call it and render
 * {{>events/header}} with the result merged in (event_header_into). */
json_object *event_header(struct req *, const struct event_ctx *,
	    const char *current);
/* Put the header's keys into a page's view model. */
void	 event_header_into(struct req *, json_object *view,
	    const struct event_ctx *, const char *current);
/* Can the actor open the areas list (Event settings view, or a grant on
 * some area)? */
int	 event_areas_viewable(const struct event_ctx *);

/* Field indexes into r->in[], parallel to fields_events.inc. The create
 * and settings forms share the first eight. */
enum { EVLIST_STATUS };
enum { EV_NAME, EV_CODE, EV_TIMEZONE, EV_START, EV_END, EV_VENUE,
    EV_ADDRESS, EV_DESCRIPTION, EV__COMMON };
enum { EVNEW_POOL = EV__COMMON, EVNEW_HOST };
enum { EVSET_VERSION = EV__COMMON };
enum { AREA_NAME, AREA_DESCRIPTION, AREA_COLOUR, AREA_VERSION };
enum { AREADEL_CONFIRM };

#endif
