/* log.h — one line per event, key=value, UTC timestamps with ms (LOG-2).
 *
 * Every line starts with ts, lvl, pid and, inside a request, rid and route.
 * Values built from input go through lq(), which quotes and writes CR, LF,
 * quotes, backslash, other C0 and DEL as \xNN (LOG-5). */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_ALERT };

int	 log_open(const char *path);	/* NULL or "" or "-": stderr */
int	 log_reopen(void);		/* USR1 */
void	 log_set_level(enum log_level);
/* Request context added to every line until cleared with NULLs. */
void	 log_set_request(const char *rid, const char *route);
void	 log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Quoted, escaped copy of s in one of a few rotating static buffers;
 * long values are cut (with "..." appended). Valid until the 8th next call. */
const char *lq(const char *s);
int	 log_fd(void);

#endif
