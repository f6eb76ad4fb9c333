/* exports.h — downloads of an event's schedule and tasks (FEEDS.md §6–§7,
 * PRODUCT §16): schedule.xml and schedule.json in the conference schedule
 * format, CSV of the schedule over a date range and of the filtered task
 * list; and the day sheets (daysheet.c, PRODUCT §14). The route table
 * includes routes_exports.inc and fields_exports.inc. */
#ifndef PAGES_EXPORTS_H
#define PAGES_EXPORTS_H

#include <stdint.h>

struct req;
struct buf;
struct event_ctx;
struct activity;

/* exports.c */
int	 h_schedule_xml(struct req *);
int	 h_schedule_json(struct req *);
int	 h_schedule_csv(struct req *);
int	 h_tasks_csv(struct req *);

/* daysheet.c */
int	 h_daysheet(struct req *);

/* The schedule document of an event (area_id 0) or of one area, as the
 * actor of c may see it, into out as XML (json 0) or JSON (json 1): for
 * the app's downloads and the token feeds alike. 0; 422 when the days
 * span more than 366 days; -1 on a database error. */
int	 export_schedule(struct req *, const struct event_ctx *,
	    int64_t area_id, int json, struct buf *out);

/* UTC instant → "YYYY-MM-DDTHH:MM:SS+hh:mm" in zone (arena). */
const char *export_local_iso(struct req *, const char *zone, int64_t utc);
/* "+hh:mm" of zone at utc. */
void	 export_offset(const char *zone, int64_t utc, char out[8]);
/* RFC 3339 UTC ("…Z") → seconds; 0 when malformed. */
int64_t	 export_secs(const char *);

/* Field indexes, parallel to fields_exports.inc (the task CSV reuses
 * the list's TL_* indexes of tasks.h). */
enum { EXS_AREA };
enum { EXC_FROM, EXC_TO };

#endif
