/* collabs.h — handler prototypes and field indexes of the collabs pages (the
 * route table includes routes_collabs.inc and fields_collabs.inc). */
#ifndef PAGES_COLLABS_H
#define PAGES_COLLABS_H

struct req;

#endif
