/* test_license.c — every license combination of PRODUCT §4. */
#include "policy/license.h"
#include "t.h"

int
main(void)
{
	struct license_facts	 f;
	enum product		 p;
	int			 member, has, prod, seat;

	/* The class for every combination: Org Pro members first, then
	 * seats, then free access. */
	for (member = 0; member <= 1; member++)
		for (has = 0; has <= 1; has++)
			for (prod = 0; prod < 2; prod++)
				for (seat = 0; seat <= 1; seat++) {
					enum license_class want;

					f.member = member;
					f.has_org_license = has;
					f.org_license = (enum product)prod;
					f.has_seat = seat;
					want = member && has &&
					    prod == PROD_ORG_PRO ? LC_ORG_PRO :
					    seat ? LC_SEAT : LC_FREE;
					T_OK(license_class(&f) == want,
					    "license class of a combination");
					T_OK(needs_seat(&f) == (want !=
					    LC_ORG_PRO), "seat needed unless "
					    "Org Pro");
					T_OK(can_open_org_pages(ORG_TEAM, &f) ==
					    (member && has), "org pages need a "
					    "membership and an org license");
					T_OK(can_open_org_pages(ORG_PERSONAL,
					    &f), "personal workspace: no org "
					    "license needed");
				}
	/* Org Pro of another organization gives nothing here. */
	f = (struct license_facts){ 0, PROD_ORG_PRO, 1, 0 };
	T_OK(license_class(&f) == LC_FREE, "Org Pro elsewhere is not Org Pro "
	    "here");
	T_OK(license_whole_event(LC_ORG_PRO) && license_whole_event(LC_SEAT) &&
	    !license_whole_event(LC_FREE), "ceilings");
	T_STREQ(license_class_name(LC_SEAT), "seat", "class names");

	T_OK(!can_create_event(0) && can_create_event(1),
	    "an event needs an Event Pro license");
	T_OK(seat_available(3, 2) && !seat_available(3, 3) &&
	    !seat_available(0, 0), "seats per event ≤ pool quantity");
	T_OK(org_license_available(5, 3, 1) && !org_license_available(5, 3, 2),
	    "reservations count against the pool");
	T_OK(pool_shrink_blocked(4, 6) == 2 && pool_shrink_blocked(6, 6) == 0 &&
	    pool_shrink_blocked(10, 2) == 0, "shrinking below use");
	T_OK(quantity_valid(0) && quantity_valid(10000) &&
	    !quantity_valid(-1) && !quantity_valid(10001), "quantity range");

	T_OK(product_allowed(ORG_PERSONAL, PROD_EVENT_PRO) &&
	    !product_allowed(ORG_PERSONAL, PROD_ORG_STANDARD) &&
	    !product_allowed(ORG_PERSONAL, PROD_ORG_PRO) &&
	    product_allowed(ORG_TEAM, PROD_ORG_PRO),
	    "personal workspaces hold Event Pro only");
	T_OK(product_parse("org_pro", &p) == 0 && p == PROD_ORG_PRO,
	    "parse");
	T_OK(product_parse("enterprise", &p) == -1, "unknown product");
	T_OK(product_is_org(PROD_ORG_STANDARD) &&
	    !product_is_org(PROD_EVENT_PRO), "org products");
	return t_done();
}
