/* runofshow.h — an activity's run of show (PRODUCT §10): custom columns,
 * ordered segments and a value per segment and column. Every lookup
 * names the event and the activity; the pages decide who may see and
 * change them (pages/runofshow.c). Positions are dense (0..n-1) per
 * activity: the writes keep them so, and run inside the caller's
 * transaction after it has locked the activity row (activity_lock), so
 * two writers never renumber the same list at once. */
#ifndef MODEL_RUNOFSHOW_H
#define MODEL_RUNOFSHOW_H

#include <stddef.h>
#include <stdint.h>

struct req;

struct ros_column {
	int64_t		 id;
	int64_t		 activity_id;
	char		*name;
	char		*width;		/* narrow, medium, wide */
	int64_t		 position;
	int64_t		 version;
};

struct ros_value {
	int64_t		 segment_id;
	int64_t		 column_id;
	char		*value;
};

struct ros_segment {
	int64_t		 id;
	int64_t		 activity_id;
	char		*name;
	int64_t		 duration;	/* minutes, 0–1,440 */
	char		*colour;	/* a palette name */
	int64_t		 position;
	int64_t		 version;
	/* attached by the loaders */
	struct ros_value *values;
	size_t		 nvalues;
};

/* Columns and segments (values attached) of one activity, or of every
 * activity of the event ordered by activity id then position. Three
 * queries either way. 0 or -1; arrays in the request arena. */
struct ros {
	struct ros_column *cols;
	size_t		 ncols;
	struct ros_segment *segs;
	size_t		 nsegs;
};
int	 ros_load(struct req *, int64_t event_id, int64_t activity_id,
	    struct ros *);
int	 ros_load_event(struct req *, int64_t event_id, struct ros *);

/* Segments. get: 1 found, 0 not on this activity, -1 error. */
int	 ros_seg_get(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, struct ros_segment *);
/* How many segments (columns) the activity has, or -1. */
int64_t	 ros_seg_count(struct req *, int64_t event_id, int64_t activity_id);
/* Insert at position (0..n; later ones move down): the id or -1. */
int64_t	 ros_seg_insert(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t position, const char *name, int64_t duration,
	    const char *colour, int64_t user_id);
/* Update at version: 1 done, 0 the version moved, -1 error. */
int	 ros_seg_update(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, int64_t version, const char *name, int64_t duration,
	    const char *colour);
/* Move from position from to position to (both in 0..n-1): 0 or -1. */
int	 ros_seg_move(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, int64_t from, int64_t to);
/* Delete (values go with it) and close the gap at position: 0 or -1. */
int	 ros_seg_delete(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, int64_t position);
/* Set a segment's value in a column; an empty value removes it. 0/-1. */
int	 ros_value_set(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t segment_id, int64_t column_id, const char *value);

/* Columns, the same way. */
int	 ros_col_get(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, struct ros_column *);
int64_t	 ros_col_count(struct req *, int64_t event_id, int64_t activity_id);
int64_t	 ros_col_insert(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t position, const char *name, const char *width);
int	 ros_col_update(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, int64_t version, const char *name, const char *width);
int	 ros_col_move(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, int64_t from, int64_t to);
int	 ros_col_delete(struct req *, int64_t event_id, int64_t activity_id,
	    int64_t id, int64_t position);

#endif
