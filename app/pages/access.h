/* access.h — handler prototypes and field indexes of the access pages (the
 * route table includes routes_access.inc and fields_access.inc). */
#ifndef PAGES_ACCESS_H
#define PAGES_ACCESS_H

struct req;

/* access.c — event users, grants, seats and event invitations */
int	 h_event_users(struct req *);
int	 h_event_user_add(struct req *);
int	 h_event_user(struct req *);
int	 h_event_user_grants(struct req *);
int	 h_event_user_seat(struct req *);
int	 h_event_user_seat_free(struct req *);
int	 h_event_user_remove(struct req *);
int	 h_event_user_move(struct req *);
int	 h_event_invitation_resend(struct req *);
int	 h_event_invitation_revoke(struct req *);
int	 h_crew_invite_form(struct req *);
int	 h_crew_invite(struct req *);
int	 h_event_accept_form(struct req *);
int	 h_event_accept(struct req *);
int	 h_event_join(struct req *);

/* Field indexes into r->in[], parallel to fields_access.inc. */
enum { EUADD_EMAIL, EUADD_COLLAB, EUADD_PRESET, EUADD_AREA, EUADD_GRANTS,
    EUADD_SEAT };
enum { CINV_EMAIL, CINV_PRESET, CINV_AREA, CINV_GRANTS, CINV_SEAT };
enum { EUGRANT_PRESET, EUGRANT_SCOPE, EUGRANT_DOMAIN, EUGRANT_SCOPE_ID,
    EUGRANT_SECTION, EUGRANT_LEVEL };
enum { EUMOVE_COLLAB, EUMOVE_PRESET, EUMOVE_VERSION };
enum { EACCEPT_TOKEN, EACCEPT_NAME, EACCEPT_PASSWORD, EACCEPT_TIMEZONE };

#endif
