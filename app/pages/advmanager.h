/* advmanager.h — handlers and field indexes of the advmanager routes. */
#ifndef PAGES_ADVMANAGER_H
#define PAGES_ADVMANAGER_H

struct req;

#endif
