/* license.c — license rules of PRODUCT §4. */
#include <string.h>

#include "license.h"

static const char *const names[PROD__MAX] = {
	"org_standard", "org_pro", "event_pro"
};
static const char *const labels[PROD__MAX] = {
	"Org Standard", "Org Pro", "Event Pro"
};

const char *
product_name(enum product p)
{
	return p < PROD__MAX ? names[p] : "";
}

const char *
product_label(enum product p)
{
	return p < PROD__MAX ? labels[p] : "";
}

int
product_parse(const char *s, enum product *out)
{
	int	 i;

	for (i = 0; s != NULL && i < PROD__MAX; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum product)i;
			return 0;
		}
	return -1;
}

int
product_is_org(enum product p)
{
	return p == PROD_ORG_STANDARD || p == PROD_ORG_PRO;
}

int
product_allowed(enum org_kind k, enum product p)
{
	return k == ORG_TEAM || p == PROD_EVENT_PRO;
}

enum license_class
license_class(const struct license_facts *f)
{
	if (f->member && f->has_org_license && f->org_license == PROD_ORG_PRO)
		return LC_ORG_PRO;
	if (f->has_seat)
		return LC_SEAT;
	return LC_FREE;
}

const char *
license_class_name(enum license_class c)
{
	switch (c) {
	case LC_ORG_PRO:
		return "org_pro";
	case LC_SEAT:
		return "seat";
	default:
		return "free";
	}
}

int
license_whole_event(enum license_class c)
{
	return c == LC_ORG_PRO || c == LC_SEAT;
}

int
can_create_event(int64_t event_pro_quantity)
{
	return event_pro_quantity >= 1;
}

int
needs_seat(const struct license_facts *f)
{
	return license_class(&(struct license_facts){ f->member,
	    f->org_license, f->has_org_license, 0 }) != LC_ORG_PRO;
}

int
can_open_org_pages(enum org_kind k, const struct license_facts *f)
{
	if (k == ORG_PERSONAL)
		return 1;
	return f->member && f->has_org_license &&
	    product_is_org(f->org_license);
}

int
seat_available(int64_t quantity, int64_t used)
{
	return used < quantity;
}

int
org_license_available(int64_t quantity, int64_t assigned, int64_t reserved)
{
	return assigned + reserved < quantity;
}

int64_t
pool_shrink_blocked(int64_t new_quantity, int64_t in_use)
{
	return in_use > new_quantity ? in_use - new_quantity : 0;
}

int
quantity_valid(int64_t q)
{
	return q >= 0 && q <= 10000;
}
