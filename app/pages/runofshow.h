/* runofshow.h — handler prototypes and field indexes of the run-of-show
 * pages (the route table includes routes_runofshow.inc and
 * fields_runofshow.inc). */
#ifndef PAGES_RUNOFSHOW_H
#define PAGES_RUNOFSHOW_H

struct req;

/* runofshow.c — an activity's run of show and the event's printable
 * list (PRODUCT §10) */
int	 h_ros(struct req *);
int	 h_ros_event(struct req *);
int	 h_ros_seg_create(struct req *);
int	 h_ros_seg_update(struct req *);
int	 h_ros_seg_move(struct req *);
int	 h_ros_seg_delete(struct req *);
int	 h_ros_col_create(struct req *);
int	 h_ros_col_update(struct req *);
int	 h_ros_col_move(struct req *);
int	 h_ros_col_delete(struct req *);

/* The most columns an activity may have: the segment form carries one
 * value field per column (value_0 … value_11). */
#define ROS_COLS_MAX	12

/* Field indexes, parallel to fields_runofshow.inc. */
enum { ROSV_DATE };
enum { ROSSEG_NAME, ROSSEG_DURATION, ROSSEG_COLOUR, ROSSEG_POSITION,
    ROSSEG_VERSION, ROSSEG_COLUMN_IDS, ROSSEG_VALUE0 };
enum { ROSMOVE_POSITION, ROSMOVE_VERSION };
enum { ROSDEL_VERSION };
enum { ROSCOL_NAME, ROSCOL_WIDTH, ROSCOL_POSITION, ROSCOL_VERSION };

#endif
