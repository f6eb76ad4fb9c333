/* exportid.h — what the schedule exports and day sheets read besides the
 * activities: the stable export ids of guids (FEEDS.md §6.6), the uuids
 * of the people and rooms in a document, and the event's crew contacts.
 * One query each, whatever the number of rows. */
#ifndef MODEL_EXPORTID_H
#define MODEL_EXPORTID_H

#include <stddef.h>
#include <stdint.h>

struct req;

/* Ids for n guids ("8-4-4-4-12" lowercase): selects the known ones,
 * inserts only the missing ones, selects again (at most three
 * statements). ids[i] parallel to guids. 0 or -1. */
int	 exportid_assign(struct req *, const char *const *guids, size_t n,
	    int64_t *ids);

struct ex_user {
	int64_t		 id;
	char		*uuid;
	int64_t		 collab_id;	/* on the event; 0 when not on it */
};
struct ex_named {
	int64_t		 id;
	char		*uuid;
	char		*name;
	int64_t		 position;	/* areas */
};
/* Users taking part in the event's activities; the event's
 * collaborators; its areas by position, name, id. NULL with *n = 0 when
 * none; *n = (size_t)-1 on error. */
struct ex_user	*exportid_users(struct req *, int64_t event_id, size_t *n);
struct ex_named	*exportid_collabs(struct req *, int64_t event_id, size_t *n);
struct ex_named	*exportid_areas(struct req *, int64_t event_id, size_t *n);

/* Crew of the event who are points of contact or linked to a user, with
 * the collaborator's name; ordered by collaborator, first, last name. */
struct ex_contact {
	int64_t		 id;
	int64_t		 collab_id;
	char		*collab_name;
	int64_t		 user_id;	/* 0 when not linked */
	int		 point_of_contact;
	char		*first_name, *last_name, *title, *role_on_show;
	char		*email, *phone;
};
struct ex_contact *exportid_contacts(struct req *, int64_t event_id,
	    size_t *n);

#endif
