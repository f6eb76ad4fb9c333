/* area.h — areas of an event (PRODUCT §7): a flat list of named spaces,
 * each a tag and a permission scope. Names are unique in the event
 * ignoring case (name_norm = LOWER(name), a unique key). Writes run in
 * the caller's transaction; every lookup is by (event, id) (AC-2). */
#ifndef MODEL_AREA_H
#define MODEL_AREA_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct req;

#define AREA_NAME_MAX		120
#define AREA_DESCRIPTION_MAX	10000

struct area {
	int64_t		 id;
	char		*uuid;
	int64_t		 event_id;
	char		*name;
	char		*description;	/* Markdown, NULL when empty */
	char		*colour;
	int64_t		 position;
	int64_t		 version;
	char		*created_at;
	int64_t		 people;	/* users holding grants on it (lists) */
};

/* What keeps an area from being deleted: tags on activities and tasks,
 * advances scoped to it, files in its drive. */
struct area_use {
	int64_t		 activities;
	int64_t		 tasks;
	int64_t		 advances;
	int64_t		 files;
};

/* The named palette: is s one of it, and the choices for a form. */
int	 area_colour_valid(const char *);
json_object *area_colours_json(const char *selected);

/* 1 found, 0 not in this event, -1 error. area_lock takes the row lock
 * (FOR UPDATE) for an edit or a delete. */
int	 area_load(struct req *, int64_t event_id, int64_t area_id,
	    struct area *);
int	 area_lock(struct req *, int64_t event_id, int64_t area_id,
	    struct area *);
/* Every area of the event by position then name, with people counts,
 * in one query; *n set. NULL on error. */
struct area *area_list(struct req *, int64_t event_id, size_t *n);
/* The new area's id, 0 when the name is taken, -1 on error. */
int64_t	 area_insert(struct req *, int64_t event_id, const char *name,
	    const char *description, const char *colour);
/* 1 done, 0 the version moved, 2 the name is taken, -1 error. */
int	 area_update(struct req *, int64_t event_id, int64_t area_id,
	    int64_t version, const char *name, const char *description,
	    const char *colour);
/* Count what uses the area. 0 or -1. */
int	 area_in_use(struct req *, int64_t event_id, int64_t area_id,
	    struct area_use *);
/* "tagged on 3 activities and 1 task" (arena), NULL when unused. */
const char *area_use_text(struct req *, const struct area_use *);
/* Delete the area and every grant on it; *grants the number removed.
 * 1 deleted, 0 gone, -1 error. */
int	 area_delete(struct req *, int64_t event_id, int64_t area_id,
	    int64_t *grants);
/* The people holding grants on the area, one query:
 * [{user_id, name, email, grants: [{section, level}]}]. NULL on error. */
json_object *area_people_json(struct req *, int64_t event_id,
	    int64_t area_id);
/* {id, uuid, name, description, description_html, colour, colour_label,
 * position, version, created_at, url} */
json_object *area_json(struct req *, const struct area *);

#endif
