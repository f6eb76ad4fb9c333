/* collabs.h — handler prototypes and field indexes of the collabs pages (the
 * route table includes routes_collabs.inc and fields_collabs.inc). */
#ifndef PAGES_COLLABS_H
#define PAGES_COLLABS_H

struct req;

/* collabs.c — collaborators of an event and their crew (PRODUCT §8) */
int	 h_collabs(struct req *);
int	 h_collab_new_form(struct req *);
int	 h_collab_create(struct req *);
int	 h_collab(struct req *);
int	 h_collab_settings(struct req *);
int	 h_collab_update(struct req *);
int	 h_collab_delete_form(struct req *);
int	 h_collab_delete(struct req *);
int	 h_crew_list(struct req *);
int	 h_crew_new_form(struct req *);
int	 h_crew_create(struct req *);
int	 h_crew(struct req *);
int	 h_crew_update(struct req *);
int	 h_crew_delete(struct req *);

/* Field indexes, parallel to the tables in fields_collabs.inc. The new
 * and edit tables share one order (the edit table adds the version). */
enum { COLLAB_NAME, COLLAB_DESCRIPTION, COLLAB_EMAIL, COLLAB_PHONE,
    COLLAB_WEBSITE, COLLAB_COLOUR, COLLAB_VERSION };
enum { CREW_FIRST_NAME, CREW_LAST_NAME, CREW_TITLE, CREW_ROLE, CREW_EMAIL,
    CREW_PHONE, CREW_POC, CREW_NOTES, CREW_VERSION };
enum { CDEL_VERSION };

#endif
