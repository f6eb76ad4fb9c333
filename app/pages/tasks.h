/* tasks.h — handler prototypes and field indexes of the tasks pages (the
 * route table includes routes_tasks.inc and fields_tasks.inc). */
#ifndef PAGES_TASKS_H
#define PAGES_TASKS_H

struct req;

/* tasks.c — tasks: list, board, page, create, edit, status, delete,
 * bulk changes (PRODUCT §9) */
int	 h_tasks(struct req *);
int	 h_tasks_board(struct req *);
int	 h_task_new(struct req *);
int	 h_task(struct req *);
int	 h_task_create(struct req *);
int	 h_task_update(struct req *);
int	 h_task_status(struct req *);
int	 h_task_delete(struct req *);
int	 h_tasks_bulk(struct req *);

/* taskconf.c — statuses and phases */
int	 h_task_settings(struct req *);
int	 h_tstatus_create(struct req *);
int	 h_tstatus_update(struct req *);
int	 h_tstatus_delete(struct req *);
int	 h_tphase_create(struct req *);
int	 h_tphase_update(struct req *);
int	 h_tphase_delete(struct req *);

/* Field indexes, parallel to fields_tasks.inc. */
enum { TASK_NAME, TASK_DESCRIPTION, TASK_STATUS, TASK_PRIORITY, TASK_PHASE,
    TASK_PARENT, TASK_START_DATE, TASK_START_TIME, TASK_DUE_DATE,
    TASK_DUE_TIME, TASK_ASSIGNEES, TASK_REVIEWERS, TASK_AREAS, TASK_DEPENDS,
    TASK_VERSION };
enum { TL_STATE, TL_STATUS, TL_ASSIGNEE, TL_REVIEWER, TL_AREA, TL_PHASE,
    TL_PRIORITY, TL_DUE_FROM, TL_DUE_TO, TL_OVERDUE, TL_Q, TL_SORT };
enum { TNEW_PARENT };
enum { TSC_STATUS, TSC_VERSION };
enum { TDEL_SUBTASKS, TDEL_VERSION };
enum { TB_IDS, TB_STATUS, TB_ASSIGNEE };
enum { TST_NAME, TST_COLOUR, TST_STATE, TST_POSITION };
enum { TSTD_REPLACEMENT };
enum { TPH_NAME, TPH_START, TPH_END, TPH_POSITION };
enum { TPHD_CONFIRM };

#endif
