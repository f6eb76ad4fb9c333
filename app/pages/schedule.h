/* schedule.h — handler prototypes and field indexes of the schedule pages (the
 * route table includes routes_schedule.inc and fields_schedule.inc). */
#ifndef PAGES_SCHEDULE_H
#define PAGES_SCHEDULE_H

struct req;

#endif
