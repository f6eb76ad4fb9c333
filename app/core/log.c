/* log.c — key=value log lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int		 fd = 2;
static char		 path[512];
static enum log_level	 min_level = LOG_INFO;
static char		 cur_rid[64];
static char		 cur_route[160];

static const char *const level_names[] = {
	"debug", "info", "warn", "error", "alert"
};

int
log_open(const char *p)
{
	if (p == NULL || *p == '\0' || strcmp(p, "-") == 0) {
		path[0] = '\0';
		fd = 2;
		return 0;
	}
	if (strlen(p) >= sizeof(path))
		return -1;
	strcpy(path, p);
	return log_reopen();
}

int
log_reopen(void)
{
	int	 nfd;

	if (path[0] == '\0')
		return 0;
	nfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (nfd < 0)
		return -1;
	if (fd > 2)
		close(fd);
	fd = nfd;
	return 0;
}

int
log_fd(void)
{
	return fd;
}

void
log_set_level(enum log_level l)
{
	min_level = l;
}

void
log_set_request(const char *rid, const char *route)
{
	snprintf(cur_rid, sizeof(cur_rid), "%s", rid ? rid : "");
	snprintf(cur_route, sizeof(cur_route), "%s", route ? route : "");
}

const char *
lq(const char *s)
{
	static char	 ring[8][600];
	static int	 next;
	char		*out = ring[next++ & 7];
	size_t		 o = 0, lim = sizeof(ring[0]) - 8;

	out[o++] = '"';
	for (; s != NULL && *s != '\0' && o < lim; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
		} else
			out[o++] = (char)c;
	}
	if (s != NULL && *s != '\0') {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	char		 line[2048];
	struct timespec	 ts;
	struct tm	 tm;
	size_t		 n;
	int		 k;
	va_list		 ap;

	if (lvl < min_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "ts=%Y-%m-%dT%H:%M:%S", &tm);
	k = snprintf(line + n, sizeof(line) - n, ".%03ldZ lvl=%s pid=%d",
	    ts.tv_nsec / 1000000, level_names[lvl], (int)getpid());
	n += (size_t)k;
	if (cur_rid[0] != '\0') {
		k = snprintf(line + n, sizeof(line) - n, " rid=%s route=%s",
		    cur_rid, lq(cur_route));
		n += k > 0 ? (size_t)k : 0;
	}
	if (n < sizeof(line) - 2) {
		line[n++] = ' ';
		va_start(ap, fmt);
		k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
		va_end(ap);
		if (k > 0)
			n += (size_t)k < sizeof(line) - n - 1 ?
			    (size_t)k : sizeof(line) - n - 2;
	}
	line[n++] = '\n';
	/* One write(2) per line keeps lines from several processes whole. */
	while (write(fd, line, n) < 0 && errno == EINTR)
		;
}
