/* license.h — what licenses allow (PRODUCT §4), as pure functions over
 * facts the caller has read in one query. The events issue only calls
 * these; nothing else decides a license question.
 *
 *   Org Standard  team membership, org pages and roll-ups; no event access
 *   Org Pro       the same plus every org event without a seat
 *   Event Pro     a pool of N gives N seat holders on every bound event
 *   free          event access confined to the person's own collaborator
 */
#ifndef POLICY_LICENSE_H
#define POLICY_LICENSE_H

#include <stdint.h>

enum product { PROD_ORG_STANDARD, PROD_ORG_PRO, PROD_EVENT_PRO, PROD__MAX };

enum org_kind { ORG_PERSONAL, ORG_TEAM };

/* The license class of a person on an event, first match wins. */
enum license_class { LC_ORG_PRO, LC_SEAT, LC_FREE };

/* Facts about one person and one event's organization. */
struct license_facts {
	int		 member;	/* member of the event's organization */
	enum product	 org_license;	/* their org license, if member */
	int		 has_org_license;
	int		 has_seat;	/* holds a seat on this event */
};

const char	*product_name(enum product);	/* "org_standard", … */
const char	*product_label(enum product);	/* "Org Standard", … */
int		 product_parse(const char *, enum product *);
/* Org licenses are held by members; Event Pro is a pool of slots. */
int		 product_is_org(enum product);
/* Personal workspaces hold Event Pro pools only. */
int		 product_allowed(enum org_kind, enum product);

enum license_class license_class(const struct license_facts *);
const char	*license_class_name(enum license_class);
/* org_pro and seat reach the whole event (ceiling admin); free reaches
 * only the person's own collaborator. */
int		 license_whole_event(enum license_class);

/* Creating an event needs at least one Event Pro license in a pool. */
int		 can_create_event(int64_t event_pro_quantity);
/* Does working on the event need a seat (else it is reached anyway)? */
int		 needs_seat(const struct license_facts *);
/* Team members need an org license to open organization-level pages;
 * personal workspaces need none. */
int		 can_open_org_pages(enum org_kind, const struct license_facts *);
/* One more seat on an event bound to a pool of `quantity`, with `used`
 * seats already held there? */
int		 seat_available(int64_t quantity, int64_t used);
/* One more org license (assignment or reservation) in a pool? */
int		 org_license_available(int64_t quantity, int64_t assigned,
		    int64_t reserved);
/* May a pool shrink to new_quantity? in_use is assigned + reserved for
 * org pools, the highest seat count on any bound event for Event Pro.
 * Returns 0 when allowed, else how many must be freed first. */
int64_t		 pool_shrink_blocked(int64_t new_quantity, int64_t in_use);
/* Quantities are 0–10,000 (PRODUCT §4). */
int		 quantity_valid(int64_t);

#endif
