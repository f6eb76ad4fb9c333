/* master.c — the prefork supervisor (DESIGN §5, RELIABILITY §1).
 *
 * Modelled on php-fpm: the master owns the listening socket, forks the
 * workers, and then only watches. It never answers a request and never
 * talks to the database. Signal handlers set flags; everything happens in
 * one loop that sleeps in ppoll() with the signals unblocked only there,
 * so a signal can never land between "check the flags" and "sleep". The
 * loop wakes on a signal or at the next timer, at least once a second.
 *
 * States: running; finishing (QUIT: workers finish their request and
 * leave, escalated to TERM after shutdown_timeout and KILL 5 s later);
 * terminating (TERM/INT: workers stop now, KILL after 5 s). A reload
 * (HUP) starts a new generation and sends QUIT to the old one, with the
 * same escalation, while the socket stays open. All timers run on the
 * monotonic clock. */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "conf.h"
#include "log.h"
#include "master.h"
#include "scoreboard.h"
#include "util.h"
#include "worker.h"

#define MAX_WORKERS	256		/* conf.c's bound for `workers` */
#define NSLOTS		(2 * MAX_WORKERS) /* a reload overlaps generations */
#define MAX_CRASHES	1000		/* conf.c's bound for crash_brake_exits */
#define STOP_KILL_MS	5000		/* TERM → KILL on stop and retire */
#define REQ_KILL_MS	2000		/* request_timeout TERM → KILL */
#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	32000
#define TICK_MS		1000
#define MIN_WAIT_MS	10

enum mstate { RUNNING, FINISHING, TERMINATING };

/* The master's own record of a slot; the shared slot holds what the worker
 * reports about itself. Index i here is slot i of the scoreboard. */
struct child {
	pid_t	 pid;		/* 0: free */
	int	 gen;
	int	 max_requests;	/* with jitter */
	int64_t	 forked_ms;
	int64_t	 quit_ms;	/* QUIT sent (retired or graceful stop) */
	int64_t	 term_ms;	/* TERM sent */
	int64_t	 kill_ms;	/* send KILL at this time if still alive */
	int	 killed;	/* KILL sent */
	int	 by_master;	/* we signalled it: its death is no crash */
	int	 req_killed;	/* ... because of request_timeout */
	int64_t	 req_seen;	/* request the slot's slow/term flags cover */
};

static struct child	 children[NSLOTS];
static struct scoreboard *sb;
static enum mstate	 mstate;
static int		 gen;
static int		 lfd = -1;
static char		 sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static dev_t		 sock_dev;
static ino_t		 sock_ino;
static char		*pidfile;
static int		 pidfile_written;
static const char	*conf_file;
static struct conf	*owned_conf;	/* loaded by us on HUP; main owns the first */
static int64_t		 last_fork_ms;

/* Crash brake (PROC-5). */
static int64_t		 crash_at[MAX_CRASHES];	/* ring of abnormal exits */
static int		 crash_next;
static int		 braking;
static int64_t		 backoff_ms;
static int64_t		 next_spawn_ms;
static int64_t		 last_crash_ms;

static volatile sig_atomic_t got_hup, got_quit, got_term, got_usr1, got_chld;

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGQUIT:
		got_quit = 1;
		break;
	case SIGTERM:
	case SIGINT:
		got_term = 1;
		break;
	case SIGUSR1:
		got_usr1 = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	default:
		break;
	}
}

static const int handled[] = {
	SIGHUP, SIGQUIT, SIGTERM, SIGINT, SIGUSR1, SIGCHLD
};

/*
 * Install the flag handlers and block their signals for good; *waitmask
 * gets the mask to sleep with, the only place they are deliverable. Forks
 * therefore always happen with them blocked, and the child installs its
 * own handlers before it unblocks anything.
 */
static void
setup_signals(sigset_t *waitmask, sigset_t *oldmask)
{
	struct sigaction	 sa;
	sigset_t		 block;
	size_t			 i;

	sigemptyset(&block);
	for (i = 0; i < countof(handled); i++)
		sigaddset(&block, handled[i]);
	sigprocmask(SIG_BLOCK, &block, oldmask);
	*waitmask = *oldmask;
	for (i = 0; i < countof(handled); i++)
		sigdelset(waitmask, handled[i]);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_NOCLDSTOP;
	for (i = 0; i < countof(handled); i++)
		sigaction(handled[i], &sa, NULL);
	/* PROC-7; USR2 means "backtrace" to workers and nothing to us, so a
	 * stray one must not kill the master. */
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
}

static void
restore_signals(const sigset_t *oldmask)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < countof(handled); i++)
		sigaction(handled[i], &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
}

static enum log_level
level_of(const char *s)
{
	if (strcmp(s, "debug") == 0)
		return LOG_DEBUG;
	if (strcmp(s, "warn") == 0)
		return LOG_WARN;
	if (strcmp(s, "error") == 0)
		return LOG_ERROR;
	return LOG_INFO;
}

int
master_set_pidfile(const char *path)
{
	free(pidfile);
	pidfile = NULL;
	if (path != NULL && *path != '\0')
		pidfile = xstrdup(path);
	return 0;
}

/* Write pid + newline to a temporary name and rename it, so a reader never
 * sees an empty or half-written file. */
static int
write_pidfile(void)
{
	char	 tmp[1024], line[32];
	int	 fd, n;

	if (pidfile == NULL)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile) >= (int)sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%d\n", (int)getpid());
	if (write(fd, line, (size_t)n) != n || close(fd) != 0 ||
	    rename(tmp, pidfile) != 0) {
		unlink(tmp);
		return -1;
	}
	pidfile_written = 1;
	return 0;
}

/* Remove the pid file only if it still names us: a newer master may have
 * taken over the path while we were draining. */
static void
remove_pidfile(void)
{
	char	 line[32];
	ssize_t	 n;
	int	 fd;

	if (pidfile == NULL || !pidfile_written)
		return;
	if ((fd = open(pidfile, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n > 0) {
		line[n] = '\0';
		if (atoi(line) == (int)getpid())
			unlink(pidfile);
	}
	pidfile_written = 0;
}

/* Create the socket's directory (and missing parents) 0750: only the app
 * user and nginx's group may enter it (PROC-1). An existing directory is
 * left as the operator made it. */
static int
ensure_dir(const char *path)
{
	char		 dir[sizeof(sock_path)];
	char		*p;
	struct stat	 st;
	int		 last;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			log_msg(LOG_ERROR, "socket_dir=%s error=\"not a "
			    "directory\"", lq(dir));
			return -1;
		}
		if (st.st_mode & S_IRWXO)
			log_msg(LOG_WARN, "socket_dir=%s mode=%03o "
			    "msg=\"others may enter; 0750 expected\"", lq(dir),
			    (unsigned)(st.st_mode & 0777));
		return 0;
	}
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		last = *p == '\0';
		*p = '\0';
		if (mkdir(dir, 0750) == 0) {
			/* mkdir(2) honours the umask; the mode is a rule. */
			chmod(dir, 0750);
		} else if (errno != EEXIST) {
			log_msg(LOG_ERROR, "socket_dir=%s error=%s", lq(dir),
			    lq(strerror(errno)));
			return -1;
		}
		if (last)
			break;
		*p = '/';
	}
	return 0;
}

/*
 * A socket file left by a master that died: remove it. One that answers
 * belongs to a running instance, and taking its path over would cut it off
 * from nginx, so we refuse to start instead.
 */
static int
clear_stale_socket(const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, rc;

	if (lstat(sun->sun_path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_msg(LOG_ERROR, "socket=%s error=\"exists and is not a "
		    "socket\"", lq(sun->sun_path));
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		log_msg(LOG_ERROR, "socket=%s error=\"in use by a running "
		    "instance\"", lq(sun->sun_path));
		return -1;
	}
	if (errno != ECONNREFUSED) {
		log_msg(LOG_ERROR, "socket=%s error=%s", lq(sun->sun_path),
		    lq(strerror(errno)));
		return -1;
	}
	log_msg(LOG_INFO, "socket=%s stale=removed", lq(sun->sun_path));
	return unlink(sun->sun_path);
}

/* Plain socket(2) rather than FCGX_OpenSocket: we need the 0660 mode from
 * the first moment and the backlog from the configuration (PROC-1). */
static int
open_socket(void)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(cfg->socket) >= sizeof(sun.sun_path)) {
		log_msg(LOG_ERROR, "socket=%s error=\"path too long\"",
		    lq(cfg->socket));
		return -1;
	}
	strcpy(sun.sun_path, cfg->socket);
	if (ensure_dir(sun.sun_path) != 0 || clear_stale_socket(&sun) != 0)
		return -1;
	/* Non-blocking: workers wait in ppoll() and then race for each
	 * connection; the losers must get EAGAIN, not sleep in accept(2)
	 * where no signal may reach them (worker.c). The flag belongs to
	 * the shared file description, so setting it here covers all. */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0) {
		log_msg(LOG_ERROR, "socket=failed error=%s",
		    lq(strerror(errno)));
		return -1;
	}
	old = umask(0117);	/* the file is born 0660, no window */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		umask(old);
		log_msg(LOG_ERROR, "socket=%s bind=failed error=%s",
		    lq(sun.sun_path), lq(strerror(errno)));
		close(fd);
		return -1;
	}
	umask(old);
	chmod(sun.sun_path, 0660);
	if (listen(fd, cfg->listen_backlog) != 0) {
		log_msg(LOG_ERROR, "socket=%s listen=failed error=%s",
		    lq(sun.sun_path), lq(strerror(errno)));
		close(fd);
		unlink(sun.sun_path);
		return -1;
	}
	if (stat(sun.sun_path, &st) == 0) {
		sock_dev = st.st_dev;
		sock_ino = st.st_ino;
	}
	strcpy(sock_path, sun.sun_path);
	lfd = fd;
	return 0;
}

/* Close our copy and remove the path if it is still the socket we bound
 * (after a graceful stop a new master may already own the name). */
static void
close_socket(void)
{
	struct stat	 st;

	if (lfd < 0)
		return;
	close(lfd);
	lfd = -1;
	if (stat(sock_path, &st) == 0 && st.st_dev == sock_dev &&
	    st.st_ino == sock_ino)
		unlink(sock_path);
}

/* Each worker draws its own limit within ±10 % (PROC-3) so that a pool
 * started together does not recycle together. */
static int
jitter(int n)
{
	uint32_t	 r;
	int		 span = n / 10;

	if (span == 0)
		return n;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint32_t)now_mono_ms() * 2654435761u;
	n = n - span + (int)(r % (uint32_t)(2 * span + 1));
	return n > 0 ? n : 1;
}

static int
nalive(void)
{
	int	 i, n = 0;

	for (i = 0; i < NSLOTS; i++)
		if (children[i].pid != 0)
			n++;
	return n;
}

/* Workers of the current generation that will still be here in a while:
 * not retired, not being killed. */
static int
nserving(void)
{
	int	 i, n = 0;

	for (i = 0; i < NSLOTS; i++)
		if (children[i].pid != 0 && children[i].gen == gen &&
		    children[i].quit_ms == 0 && children[i].term_ms == 0)
			n++;
	return n;
}

static int
spawn(int64_t now)
{
	struct sb_slot	*slot;
	struct child	*c;
	pid_t		 pid;
	int		 i, limit;

	for (i = 0; i < NSLOTS && children[i].pid != 0; i++)
		;
	if (i == NSLOTS) {
		log_msg(LOG_ERROR, "spawn=deferred reason=no_free_slot");
		return -1;
	}
	c = &children[i];
	slot = &sb->slots[i];
	memset(slot, 0, sizeof(*slot));
	slot->generation = gen;
	slot->spawned_ms = now;
	slot->state = SB_STARTING;
	limit = jitter(cfg->max_requests);

	fflush(NULL);	/* no stdio buffer is written twice */
	pid = fork();
	if (pid < 0) {
		log_msg(LOG_ERROR, "spawn=failed error=%s",
		    lq(strerror(errno)));
		memset(slot, 0, sizeof(*slot));
		return -1;
	}
	if (pid == 0)
		worker_main(lfd, slot, limit);	/* never returns */
	slot->pid = pid;
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->gen = gen;
	c->max_requests = limit;
	c->forked_ms = now;
	last_fork_ms = now;
	log_msg(LOG_INFO, "worker_started pid=%d gen=%d slot=%d "
	    "max_requests=%d", (int)pid, gen, i, limit);
	return 0;
}

static void
enter_brake(int64_t now, int n)
{
	braking = 1;
	sb->braking = 1;
	backoff_ms = BACKOFF_MIN_MS;
	next_spawn_ms = now + backoff_ms;
	log_msg(LOG_ALERT, "crash_loop=enter exits=%d window_s=%d "
	    "msg=\"respawning one worker per backoff interval\"", n,
	    cfg->crash_brake_window);
}

static void
leave_brake(int64_t now)
{
	braking = 0;
	sb->braking = 0;
	/* Forget the old burst, or one new crash would re-enter at once. */
	memset(crash_at, 0, sizeof(crash_at));
	log_msg(LOG_INFO, "crash_loop=leave quiet_s=%d",
	    cfg->crash_brake_quiet);
}

static void
note_crash(int64_t now)
{
	int	 i, n = 0, cap = cfg->crash_brake_exits;

	last_crash_ms = now;
	crash_at[crash_next] = now;
	crash_next = (crash_next + 1) % MAX_CRASHES;
	for (i = 0; i < MAX_CRASHES; i++)
		if (crash_at[i] != 0 &&
		    now - crash_at[i] < (int64_t)cfg->crash_brake_window * 1000)
			n++;
	if (!braking && n >= cap)
		enter_brake(now, n);
}

/*
 * Keep the pool full. Outside a crash loop every missing worker is started
 * at once; inside one, one per backoff interval (1 s doubling to 32 s),
 * but never less than one worker per second while none is alive, and
 * never more than one fork per second (PROC-5).
 */
static void
fill(int64_t now)
{
	int	 have = nserving();
	int64_t	 due;

	if (braking && now - last_crash_ms >=
	    (int64_t)cfg->crash_brake_quiet * 1000)
		leave_brake(now);
	if (!braking) {
		while (have < cfg->workers && spawn(now) == 0)
			have++;
		return;
	}
	if (have >= cfg->workers)
		return;
	due = next_spawn_ms;
	if (nalive() == 0 && last_fork_ms + BACKOFF_MIN_MS < due)
		due = last_fork_ms + BACKOFF_MIN_MS;
	if (now < due || now - last_fork_ms < BACKOFF_MIN_MS)
		return;
	if (spawn(now) == 0) {
		next_spawn_ms = now + backoff_ms;
		backoff_ms *= 2;
		if (backoff_ms > BACKOFF_MAX_MS)
			backoff_ms = BACKOFF_MAX_MS;
	}
}

/* Copy a slot string that another process may be writing. */
static void
copy_field(char *dst, size_t sz, const volatile char *src, size_t srcsz)
{
	size_t	 i;

	for (i = 0; i + 1 < sz && i + 1 < srcsz && src[i] != '\0'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static const char *
exit_reason(const struct child *c, int abnormal, uint64_t requests)
{
	if (c->req_killed)
		return "request_timeout";
	if (mstate != RUNNING)
		return "stop";
	if (c->by_master)
		return "retire_timeout";
	if (c->quit_ms)
		return "retired";
	if (abnormal)
		return "crash";
	if (c->max_requests > 0 && requests >= (uint64_t)c->max_requests)
		return "max_requests";
	return "exit";
}

/* PROC-2: log every exit with what the scoreboard knew, then count it. */
static void
reap(int64_t now)
{
	char		 route[sizeof(sb->slots[0].route)];
	struct child	*c;
	struct sb_slot	*s;
	uint64_t	 requests;
	pid_t		 pid;
	int		 st, i, abnormal, crash;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < NSLOTS && children[i].pid != pid; i++)
			;
		if (i == NSLOTS)
			continue;
		c = &children[i];
		s = &sb->slots[i];
		if (s->req_start_ms != 0)
			copy_field(route, sizeof(route), s->route,
			    sizeof(s->route));
		else
			copy_field(route, sizeof(route), s->last_route,
			    sizeof(s->last_route));
		requests = s->requests;
		abnormal = WIFSIGNALED(st) ||
		    (WIFEXITED(st) && WEXITSTATUS(st) != 0);
		crash = abnormal && !c->by_master && mstate == RUNNING;
		if (WIFSIGNALED(st))
			log_msg(abnormal && mstate != TERMINATING ?
			    LOG_WARN : LOG_INFO, "worker_exit pid=%d gen=%d "
			    "signal=%d%s requests=%llu peak_rss_kb=%ld "
			    "last_route=%s uptime_ms=%lld reason=%s",
			    (int)pid, c->gen, WTERMSIG(st),
			    WCOREDUMP(st) ? " core=1" : "",
			    (unsigned long long)requests, (long)s->rss_kb,
			    lq(route), (long long)(now - c->forked_ms),
			    exit_reason(c, abnormal, requests));
		else
			log_msg(abnormal && mstate != TERMINATING ?
			    LOG_WARN : LOG_INFO, "worker_exit pid=%d gen=%d "
			    "status=%d requests=%llu peak_rss_kb=%ld "
			    "last_route=%s uptime_ms=%lld reason=%s",
			    (int)pid, c->gen, WEXITSTATUS(st),
			    (unsigned long long)requests, (long)s->rss_kb,
			    lq(route), (long long)(now - c->forked_ms),
			    exit_reason(c, abnormal, requests));
		if (mstate == RUNNING && c->gen == gen && c->quit_ms == 0)
			sb->restarts++;
		memset(s, 0, sizeof(*s));
		memset(c, 0, sizeof(*c));
		if (crash)
			note_crash(now);
	}
}

static void
send_term(struct child *c, int64_t now, int64_t grace)
{
	kill(c->pid, SIGTERM);
	c->term_ms = now;
	c->kill_ms = now + grace;
	c->by_master = 1;
}

/*
 * Once a second (and at each due time): slow requests get a log line and a
 * USR2 (the worker logs its backtrace); hung ones TERM, then KILL 2 s later
 * (PROC-6); retiring workers escalate QUIT → TERM → KILL.
 */
static void
check_timers(int64_t now)
{
	char		 route[sizeof(sb->slots[0].route)];
	char		 rid[sizeof(sb->slots[0].rid)];
	struct child	*c;
	struct sb_slot	*s;
	int64_t		 start, age;
	int		 i;

	for (i = 0; i < NSLOTS; i++) {
		c = &children[i];
		if (c->pid == 0)
			continue;
		s = &sb->slots[i];
		start = s->req_start_ms;
		if (start != c->req_seen) {
			c->req_seen = start;
			s->slow_logged = 0;
			s->term_sent_ms = 0;
		}
		if (start > 0) {
			age = now - start;
			copy_field(route, sizeof(route), s->route,
			    sizeof(s->route));
			copy_field(rid, sizeof(rid), s->rid, sizeof(s->rid));
			if (!s->slow_logged &&
			    age >= (int64_t)cfg->slow_timeout * 1000) {
				s->slow_logged = 1;
				log_msg(LOG_WARN, "slow_request pid=%d rid=%s "
				    "route=%s elapsed_ms=%lld", (int)c->pid,
				    lq(rid), lq(route), (long long)age);
				kill(c->pid, SIGUSR2);
			}
			if (c->term_ms == 0 &&
			    age >= (int64_t)cfg->request_timeout * 1000) {
				c->req_killed = 1;
				s->term_sent_ms = now;
				send_term(c, now, REQ_KILL_MS);
				log_msg(LOG_WARN, "request_killed pid=%d rid=%s "
				    "route=%s elapsed_ms=%lld signal=TERM",
				    (int)c->pid, lq(rid), lq(route),
				    (long long)age);
			}
		}
		if (c->quit_ms != 0 && c->term_ms == 0 && now - c->quit_ms >=
		    (int64_t)cfg->shutdown_timeout * 1000) {
			send_term(c, now, STOP_KILL_MS);
			log_msg(LOG_WARN, "worker_escalate pid=%d signal=TERM "
			    "after_ms=%lld", (int)c->pid,
			    (long long)(now - c->quit_ms));
		}
		if (c->term_ms != 0 && !c->killed && now >= c->kill_ms) {
			kill(c->pid, SIGKILL);
			c->killed = 1;
			if (c->req_killed)
				log_msg(LOG_WARN, "request_killed pid=%d "
				    "signal=KILL after_term_ms=%lld",
				    (int)c->pid,
				    (long long)(now - c->term_ms));
			else
				log_msg(LOG_WARN, "worker_escalate pid=%d "
				    "signal=KILL after_term_ms=%lld",
				    (int)c->pid,
				    (long long)(now - c->term_ms));
		}
	}
}

/* Milliseconds until the next thing check_timers() or fill() would do,
 * capped at the 1 s tick, so that a 2 s slow_timeout fires at 2 s and not
 * somewhere up to a tick later. */
static int
next_wait(int64_t now)
{
	int64_t	 due = now + TICK_MS, t;
	int	 i;

#define EARLIER(x)	do { t = (x); if (t < due) due = t; } while (0)
	for (i = 0; i < NSLOTS; i++) {
		const struct child	*c = &children[i];
		const struct sb_slot	*s = &sb->slots[i];

		if (c->pid == 0)
			continue;
		if (s->req_start_ms > 0 && s->req_start_ms == c->req_seen) {
			if (!s->slow_logged)
				EARLIER(s->req_start_ms +
				    (int64_t)cfg->slow_timeout * 1000);
			if (c->term_ms == 0)
				EARLIER(s->req_start_ms +
				    (int64_t)cfg->request_timeout * 1000);
		}
		if (c->quit_ms != 0 && c->term_ms == 0)
			EARLIER(c->quit_ms +
			    (int64_t)cfg->shutdown_timeout * 1000);
		if (c->term_ms != 0 && !c->killed)
			EARLIER(c->kill_ms);
	}
	if (mstate == RUNNING && braking) {
		EARLIER(last_crash_ms + (int64_t)cfg->crash_brake_quiet * 1000);
		if (nserving() < cfg->workers) {
			t = next_spawn_ms;
			if (nalive() == 0 && last_fork_ms + BACKOFF_MIN_MS < t)
				t = last_fork_ms + BACKOFF_MIN_MS;
			if (t < last_fork_ms + BACKOFF_MIN_MS)
				t = last_fork_ms + BACKOFF_MIN_MS;
			EARLIER(t);
		}
	}
#undef EARLIER
	t = due - now;
	return t < MIN_WAIT_MS ? MIN_WAIT_MS : (int)t;
}

static void
begin_stop(enum mstate to, int64_t now)
{
	struct child	*c;
	int		 i;

	if (to == FINISHING && mstate != RUNNING)
		return;
	if (to == TERMINATING && mstate == TERMINATING)
		return;
	log_msg(LOG_INFO, "shutdown mode=%s phase=begin workers=%d "
	    "timeout_s=%d", to == FINISHING ? "graceful" : "fast", nalive(),
	    to == FINISHING ? cfg->shutdown_timeout : STOP_KILL_MS / 1000);
	mstate = to;
	/* New connections now fail at once at nginx instead of waiting in a
	 * backlog no one will accept from; the workers keep their copy of
	 * the socket until they leave. */
	close_socket();
	for (i = 0; i < NSLOTS; i++) {
		c = &children[i];
		if (c->pid == 0)
			continue;
		if (to == FINISHING) {
			if (c->quit_ms == 0 && c->term_ms == 0) {
				kill(c->pid, SIGQUIT);
				c->quit_ms = now;
			}
		} else if (c->term_ms == 0)
			send_term(c, now, STOP_KILL_MS);
	}
}

/*
 * HUP (PROC-4): read the configuration into a new struct; if it or the
 * application data fail to load, keep everything as it was. Otherwise the
 * new generation starts with the new settings and the old one is told to
 * finish. The socket stays open throughout; a new socket path is refused
 * because it would need a rebind that existing nginx configs don't follow.
 */
static void
reload(int64_t now)
{
	const struct conf	*old = cfg;
	struct conf		*nc = xcalloc(1, sizeof(*nc));
	char			 err[512];
	int			 i, retired = 0;

	err[0] = '\0';
	if (conf_load(nc, conf_file, err, sizeof(err)) != 0 ||
	    conf_load_secrets(nc, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "reload=failed reason=config error=%s "
		    "msg=\"keeping the running configuration\"", lq(err));
		conf_free(nc);
		free(nc);
		return;
	}
	cfg = nc;
	if (app_load(err, sizeof(err)) != 0) {
		cfg = old;
		log_msg(LOG_ERROR, "reload=failed reason=app_load error=%s "
		    "msg=\"keeping the running configuration\"", lq(err));
		conf_free(nc);
		free(nc);
		return;
	}
	if (strcmp(nc->socket, sock_path) != 0)
		log_msg(LOG_WARN, "reload socket=%s kept=%s msg=\"a new socket "
		    "path needs a restart\"", lq(nc->socket), lq(sock_path));
	if (nc->listen_backlog != old->listen_backlog && lfd >= 0)
		listen(lfd, nc->listen_backlog);	/* Linux resizes in place */
	if (strcmp(nc->log_file, old->log_file) != 0 &&
	    log_open(nc->log_file) != 0)
		log_msg(LOG_ERROR, "log_file=%s error=%s", lq(nc->log_file),
		    lq(strerror(errno)));
	log_set_level(level_of(nc->log_level));
	if (owned_conf != NULL) {
		conf_free(owned_conf);
		free(owned_conf);
	}
	owned_conf = nc;

	gen++;
	sb->generation = gen;
	sb->workers = cfg->workers;
	/* New workers first, so there is always someone at accept(2). */
	fill(now);
	for (i = 0; i < NSLOTS; i++) {
		struct child	*c = &children[i];

		if (c->pid != 0 && c->gen != gen && c->quit_ms == 0 &&
		    c->term_ms == 0) {
			kill(c->pid, SIGQUIT);
			c->quit_ms = now;
			retired++;
		}
	}
	log_msg(LOG_INFO, "reload=ok gen=%d workers=%d retiring=%d", gen,
	    cfg->workers, retired);
}

/* USR1: log rotation. Workers reopen before their next request. */
static void
reopen_logs(void)
{
	int	 i;

	if (log_reopen() != 0)
		log_msg(LOG_ERROR, "log_reopen=failed error=%s",
		    lq(strerror(errno)));
	for (i = 0; i < NSLOTS; i++)
		if (children[i].pid != 0)
			kill(children[i].pid, SIGUSR1);
	log_msg(LOG_INFO, "log_reopen=ok");
}

int
master_run(const char *conf_path)
{
	sigset_t	 waitmask, oldmask;
	struct timespec	 ts;
	char		 err[512];
	int64_t		 now;
	int		 wait_ms;

	conf_file = conf_path;
	if (cfg == NULL)
		return 1;
	if (log_open(cfg->log_file) != 0) {
		fprintf(stderr, "backopsd: log_file %s: %s\n", cfg->log_file,
		    strerror(errno));
		return 1;
	}
	log_set_level(level_of(cfg->log_level));

	sb = scoreboard_create(NSLOTS);
	if (sb == NULL) {
		log_msg(LOG_ERROR, "scoreboard=failed error=%s",
		    lq(strerror(errno)));
		return 1;
	}
	sb->master_pid = getpid();
	sb->workers = cfg->workers;
	gen = 1;
	sb->generation = gen;
	mstate = RUNNING;

	err[0] = '\0';
	if (app_load(err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "app_load=failed error=%s", lq(err));
		return 1;
	}
	setup_signals(&waitmask, &oldmask);
	if (open_socket() != 0) {
		restore_signals(&oldmask);
		return 1;
	}
	if (write_pidfile() != 0)
		log_msg(LOG_ERROR, "pid_file=%s error=%s", lq(pidfile),
		    lq(strerror(errno)));
	log_msg(LOG_INFO, "master_started socket=%s workers=%d gen=%d",
	    lq(sock_path), cfg->workers, gen);

	for (;;) {
		now = now_mono_ms();
		if (got_term) {
			got_term = 0;
			begin_stop(TERMINATING, now);
		}
		if (got_quit) {
			got_quit = 0;
			begin_stop(FINISHING, now);
		}
		if (got_hup) {
			got_hup = 0;
			if (mstate == RUNNING)
				reload(now);
			else
				log_msg(LOG_INFO, "reload=ignored "
				    "reason=stopping");
		}
		if (got_usr1) {
			got_usr1 = 0;
			reopen_logs();
		}
		got_chld = 0;
		reap(now);
		if (mstate != RUNNING && nalive() == 0)
			break;
		check_timers(now);
		if (mstate == RUNNING)
			fill(now);
		wait_ms = next_wait(now_mono_ms());
		ts.tv_sec = wait_ms / 1000;
		ts.tv_nsec = (long)(wait_ms % 1000) * 1000000L;
		ppoll(NULL, 0, &ts, &waitmask);
	}

	close_socket();
	remove_pidfile();
	log_msg(LOG_INFO, "shutdown phase=done status=0");
	restore_signals(&oldmask);
	return 0;
}
