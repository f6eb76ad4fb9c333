/* schedule.h — handler prototypes and field indexes of the schedule pages (the
 * route table includes routes_schedule.inc and fields_schedule.inc). */
#ifndef PAGES_SCHEDULE_H
#define PAGES_SCHEDULE_H

struct req;

/* schedule.c — activities and the event calendar (PRODUCT §10) */
int	 h_schedule(struct req *);
int	 h_schedule_day(struct req *);
int	 h_schedule_week(struct req *);
int	 h_schedule_month(struct req *);
int	 h_schedule_timeline(struct req *);
int	 h_activity_create(struct req *);
int	 h_activity(struct req *);
int	 h_activity_update(struct req *);
int	 h_activity_cancel(struct req *);
int	 h_occurrence(struct req *);
int	 h_occurrence_update(struct req *);
int	 h_occurrence_cancel(struct req *);
int	 h_occurrence_reset(struct req *);

/* Field indexes, parallel to fields_schedule.inc. Create and edit share
 * one table (edit adds the version at the end). */
enum { SCHED_FROM, SCHED_TO, SCHED_CAL };
enum { VIEW_CAL };		/* day, week and month */
enum { ACT_KIND, ACT_NAME, ACT_DESCRIPTION, ACT_ALL_DAY, ACT_START_DATE,
    ACT_START_TIME, ACT_END_DATE, ACT_END_TIME, ACT_TIMEZONE, ACT_GLOBAL,
    ACT_LOCATION, ACT_AREAS, ACT_PARTICIPANTS, ACT_REPEAT, ACT_INTERVAL,
    ACT_WEEKDAYS, ACT_UNTIL, ACT_VERSION };
enum { ACTCANCEL_VERSION, ACTCANCEL_RESTORE };	/* occurrences' too */
enum { ACTSHOW_DATE };
enum { OCC_START_DATE, OCC_START_TIME, OCC_END_DATE, OCC_END_TIME, OCC_NAME,
    OCC_LOCATION, OCC_VERSION };
enum { OCCRESET_VERSION };

#endif
