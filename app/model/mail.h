/* mail.h — queue mail in the outbox table (same transaction as the
 * change that causes it); `backopsd outbox` delivers it. */
#ifndef MODEL_MAIL_H
#define MODEL_MAIL_H

struct req;

/* -1 on a database error or a header value with CR/LF (OUT-1). */
int	 mail_queue(struct req *, const char *to, const char *subject,
	    const char *body);

#endif
