/* tasks.h — handler prototypes and field indexes of the tasks pages (the
 * route table includes routes_tasks.inc and fields_tasks.inc). */
#ifndef PAGES_TASKS_H
#define PAGES_TASKS_H

struct req;

#endif
