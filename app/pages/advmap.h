/* advmap.h — handlers and field indexes of the advmap routes. */
#ifndef PAGES_ADVMAP_H
#define PAGES_ADVMAP_H

struct req;

#endif
