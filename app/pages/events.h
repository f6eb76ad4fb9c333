/* events.h — handler prototypes and field indexes of the events pages (the
 * route table includes routes_events.inc and fields_events.inc). */
#ifndef PAGES_EVENTS_H
#define PAGES_EVENTS_H

struct req;

#endif
