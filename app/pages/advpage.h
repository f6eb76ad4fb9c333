/* advpage.h — handlers and field indexes of the advpage routes. */
#ifndef PAGES_ADVPAGE_H
#define PAGES_ADVPAGE_H

struct req;

#endif
