/* advances.h — handlers and field indexes of the advances routes. */
#ifndef PAGES_ADVANCES_H
#define PAGES_ADVANCES_H

struct req;

#endif
