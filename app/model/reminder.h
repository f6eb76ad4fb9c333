/* reminder.h — advance due-date reminders (PRODUCT §13.11): each event's
 * reminder offsets and the daily run of `backopsd jobs` that mails each
 * respondent the modules hitting an offset, at most once per event and
 * local day (the advance_reminders ledger). */
#ifndef MODEL_REMINDER_H
#define MODEL_REMINDER_H

#include <stdint.h>

struct req;

#define REMINDER_OFFSETS_MAX	5	/* offsets per event */
#define REMINDER_DAYS_MAX	60	/* days before or after a due date */
#define REMINDER_HOUR		9	/* local hour from which mail goes */

/* Days relative to the due date: positive before it, 0 on it, negative
 * after it. Kept in descending order, without repeats. */
struct reminder_offsets {
	int	 n;
	int	 days[REMINDER_OFFSETS_MAX];
};

/* Parse "7, 1, -1" (commas or spaces; empty: no reminders). NULL when
 * valid, else the message for the user. */
const char *reminder_offsets_parse(struct req *, const char *,
	    struct reminder_offsets *);
/* "7,1,-1" as stored in events.reminder_offsets. */
const char *reminder_offsets_format(struct req *,
	    const struct reminder_offsets *);
/* "7 days and 1 day before the due date and 1 day after it". */
const char *reminder_offsets_text(struct req *,
	    const struct reminder_offsets *);

/* The event's stored offsets ("7,1,-1"): 1, 0 no such event, -1. */
int	 reminder_offsets_get(struct req *, int64_t event_id, char **);
/* Store canonical offsets at the event's version (bumping it): 1, 0
 * the version moved, -1. */
int	 reminder_offsets_set(struct req *, int64_t event_id, int64_t version,
	    const char *canonical);

struct reminder_run {
	int64_t		 events;	/* events past 09:00 with offsets */
	int64_t		 sent;		/* mails queued */
	int64_t		 already;	/* respondents mailed earlier today */
};

/* One run at instant now (UTC seconds): for every active event whose
 * local time is 09:00 or later, each respondent (an event user of the
 * advance's collaborator with advancing edit on the advance) gets one
 * mail listing the open, dated, incomplete modules whose due date minus
 * today is one of the offsets — unless the ledger shows one already
 * went today. The ledger row and the outbox row commit together, one
 * transaction per mail. 0, or -1 on a database error. */
int	 reminders_run(struct req *, int64_t now, struct reminder_run *);

#endif
