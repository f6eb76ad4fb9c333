/* actperm.h — who sees and who changes an activity (PRODUCT §10), in one
 * place for the schedule pages, run of show, exports, day sheets,
 * roll-ups and feeds. */
#ifndef PAGES_ACTPERM_H
#define PAGES_ACTPERM_H

#include <stdint.h>

struct activity;
struct event_ctx;
struct perm_target;

/* The scopes covering an activity: participating collaborators and
 * tagged areas (never basic). */
void	 act_target(const struct activity *, struct perm_target *);
/* Does user uid take part, directly or through their collaborator? */
int	 act_takes_part(const struct event_ctx *, int64_t uid,
	    const struct activity *);
/* Is uid a user organizer of it? */
int	 act_user_organizer(const struct event_ctx *, int64_t uid,
	    const struct activity *);
/* Visible: global, uid takes part, or schedule view through the Event
 * domain, a participating collaborator or a tagged area. */
int	 act_visible(const struct event_ctx *, int64_t uid,
	    const struct activity *);
/* Editable: schedule edit over it, or a user organizer. */
int	 act_editable(const struct event_ctx *, int64_t uid,
	    const struct activity *);

#endif
