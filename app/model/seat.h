/* seat.h — Event Pro seats (PRODUCT §4): per event, seats ≤ the quantity
 * of the pool the event is bound to. Assignment locks the pool row first
 * (FOR UPDATE), so concurrent requests for the last seat give exactly
 * one success. Nothing may be read in the transaction before the lock
 * (snapshot isolation would freeze the snapshot too early). */
#ifndef MODEL_SEAT_H
#define MODEL_SEAT_H

#include <stdint.h>

struct req;

/* Take a seat for a user (or, with user_id 0, for a pending invitation).
 * Returns 1 taken (or already held), 0 no seat left (409
 * no-seats-available), -1 error. Caller holds the transaction. */
int	 seat_take(struct req *, int64_t event_id, int64_t pool_id,
	    int64_t user_id, int64_t invitation_id);
/* Free a user's seat on an event; 1 freed, 0 held none, -1 error. */
int	 seat_free_user(struct req *, int64_t event_id, int64_t user_id);
int	 seat_free_invitation(struct req *, int64_t invitation_id);
/* Turn an invitation's reserved seat into the accepting user's. */
int	 seat_claim(struct req *, int64_t invitation_id, int64_t user_id);
/* Seats in use on an event. -1 on error. */
int64_t	 seat_count(struct req *, int64_t event_id);

#endif
