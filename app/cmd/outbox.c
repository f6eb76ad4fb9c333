/* outbox.c — deliver queued mail: through mail_command (read as a
 * `sendmail -t` style program taking the message on standard input) or,
 * by default in development and tests, as .eml files under mail_dir.
 *
 * A failed attempt is retried with growing delays (1, 2, 4 … minutes)
 * for 24 hours, then marked failed (PRODUCT §17). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/token.h"
#include "cmd.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "render/esc.h"

static struct dbq q_due = DBQ(
    "SELECT id, to_addr, subject, body,"
    " created_at < UTC_TIMESTAMP(3) - INTERVAL 1 DAY, attempts"
    " FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
    " AND next_attempt_at <= UTC_TIMESTAMP(3) ORDER BY id LIMIT 100");
static struct dbq q_sent = DBQ(
    "UPDATE outbox SET sent_at = UTC_TIMESTAMP(3), attempts = attempts + 1"
    " WHERE id = ?");
static struct dbq q_retry = DBQ(
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
    " next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL ? MINUTE WHERE id = ?");
static struct dbq q_failed = DBQ(
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
    " failed_at = UTC_TIMESTAMP(3) WHERE id = ?");

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
ascii_only(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* RFC 2047 encoded-word for non-ASCII subjects. */
static void
put_subject(struct buf *b, const char *s)
{
	char	*enc;
	size_t	 n = strlen(s), elen = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_ORIGINAL);

	if (ascii_only(s)) {
		buf_printf(b, "Subject: %s\r\n", s);
		return;
	}
	enc = xmalloc(elen);
	sodium_bin2base64(enc, elen, (const unsigned char *)s, n,
	    sodium_base64_VARIANT_ORIGINAL);
	buf_printf(b, "Subject: =?UTF-8?B?%s?=\r\n", enc);
	free(enc);
}

static void
compose(struct buf *b, int64_t id, const char *to, const char *subject,
    const char *body)
{
	char		 date[64], uuid[37];
	time_t		 now = time(NULL);
	struct tm	 tm;
	const char	*host = strstr(cfg->base_url, "://");
	const char	*p;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	token_uuid(uuid);
	host = host ? host + 3 : "localhost";
	buf_printf(b, "From: %s\r\nTo: %s\r\n", cfg->mail_from, to);
	put_subject(b, subject);
	buf_printf(b, "Date: %s\r\nMessage-ID: <%lld.%s@%.*s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n", date, (long long)id,
	    uuid, (int)strcspn(host, ":/"), host);
	/* Bodies are stored with \n; mail wants CRLF. */
	for (p = body; *p != '\0'; p++) {
		if (*p == '\n')
			buf_putc(b, '\r');
		buf_putc(b, *p);
	}
}

static int
to_file(int64_t id, struct buf *msg, char *err, size_t errsz)
{
	char	 tmp[400], path[400];
	int	 fd;

	mkdir(cfg->mail_dir, 0750);
	snprintf(path, sizeof(path), "%s/%06lld.eml", cfg->mail_dir,
	    (long long)id);
	snprintf(tmp, sizeof(tmp), "%s/.%06lld.tmp", cfg->mail_dir,
	    (long long)id);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) < 0 ||
	    write(fd, msg->p, msg->len) != (ssize_t)msg->len ||
	    fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errsz, "%.200s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

static int
to_command(struct buf *msg, char *err, size_t errsz)
{
	FILE	*p = popen(cfg->mail_command, "w");
	int	 st;

	if (p == NULL) {
		snprintf(err, errsz, "cannot run mail_command");
		return -1;
	}
	fwrite(msg->p, 1, msg->len, p);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errsz, "mail_command exited with status %d",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	return 0;
}

/* One pass over the due messages; returns how many were sent or -1. */
static int
deliver_due(struct arena *a)
{
	int64_t	 id, expired, attempts;
	char	*to, *subject, *body, err[512];
	int	 sent = 0, rc;
	struct buf msg;

	arena_reset(a);
	db_request_begin(a);
	if (db_select(&q_due, "") != 0)
		return -1;
	buf_init(&msg);
	/* Results are buffered, so updates may run while walking them. */
	while ((rc = db_fetch(&q_due, "isssii", &id, &to, &subject, &body,
	    &expired, &attempts)) == 1) {
		buf_reset(&msg);
		compose(&msg, id, to, subject, body);
		if ((cfg->mail_command[0] == '\0' ? to_file(id, &msg, err,
		    sizeof(err)) : to_command(&msg, err, sizeof(err))) == 0) {
			db_exec(&q_sent, "i", id);
			sent++;
			continue;
		}
		log_msg(LOG_WARN, "msg=\"mail delivery failed\" id=%lld "
		    "error=%s", (long long)id, lq(err));
		if (expired)
			db_exec(&q_failed, "si", err, id);
		else
			db_exec(&q_retry, "sii", err,
			    (int64_t)1 << (attempts > 10 ? 10 : attempts), id);
	}
	db_done(&q_due);
	buf_free(&msg);
	return rc < 0 ? -1 : sent;
}

int
cmd_outbox(int argc, char **argv)
{
	struct arena	 a;
	int		 loop = argc > 1 && strcmp(argv[1], "--loop") == 0;
	int		 n, total = 0;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	arena_init(&a);
	do {
		if ((n = deliver_due(&a)) < 0) {
			db_disconnect();
			if (!loop) {
				fprintf(stderr, "outbox: database error\n");
				return 1;
			}
		} else
			total += n;
		if (loop && !stop)
			sleep(1);
	} while (loop && !stop);
	db_disconnect();
	arena_free(&a);
	if (!loop)
		printf("outbox: %d sent\n", total);
	return 0;
}
