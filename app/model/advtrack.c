/* advtrack.c — task tracking of advance modules. The task-tracking work
 * replaces these bodies; until it lands, tracked modules have no tree
 * and every call succeeds without writing. */
#include "advtrack.h"

int
advtrack_sync_module(struct req *r, int64_t event_id, int64_t module_id)
{
	(void)r, (void)event_id, (void)module_id;
	return 0;
}

int
advtrack_module_removed(struct req *r, int64_t event_id, int64_t advance_id,
    int64_t module_id)
{
	(void)r, (void)event_id, (void)advance_id, (void)module_id;
	return 0;
}

int
advtrack_advance_removed(struct req *r, int64_t event_id, int64_t advance_id)
{
	(void)r, (void)event_id, (void)advance_id;
	return 0;
}

int
advtrack_sync_template(struct req *r, int64_t event_id,
    int64_t module_template_id)
{
	(void)r, (void)event_id, (void)module_template_id;
	return 0;
}
