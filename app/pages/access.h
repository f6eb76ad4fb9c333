/* access.h — handler prototypes and field indexes of the access pages (the
 * route table includes routes_access.inc and fields_access.inc). */
#ifndef PAGES_ACCESS_H
#define PAGES_ACCESS_H

struct req;

#endif
