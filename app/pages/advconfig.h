/* advconfig.h — handlers and field indexes of the advconfig routes. */
#ifndef PAGES_ADVCONFIG_H
#define PAGES_ADVCONFIG_H

struct req;

#endif
