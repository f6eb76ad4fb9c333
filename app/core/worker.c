/* worker.c — one prefork worker: signals, limits, the FastCGI accept loop.
 *
 * Forked by the master with its signals blocked; we install our own
 * handlers before FCGX_Init, because libfcgi only installs its SIGPIPE and
 * SIGUSR1 handlers over default ones and we want none of them (RELIABILITY
 * PROC-4). Handlers set flags; the only real work done in a handler is the
 * USR2 backtrace, which must run while the request is stuck, and the TERM
 * exit of a busy worker.
 *
 * QUIT, TERM, USR1 and USR2 are blocked except while the worker sleeps in
 * ppoll() waiting for a connection or for the next request on a kept one,
 * and while it runs a request. So libfcgi never sees a signal inside
 * FCGX_Accept_r: an EINTR in its wait for a new connection's first bytes
 * makes it drop that connection (a 502), and a QUIT landing between our
 * flag check and its accept(2) would go unnoticed until the next client.
 * The listening socket is non-blocking (master.c), so a worker that loses
 * the race for a connection gets EAGAIN back and waits again. We still
 * pass FCGI_FAIL_ACCEPT_ON_INTR, so that libfcgi could never swallow an
 * EINTR in its accept loop. */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "log.h"
#include "scoreboard.h"
#include "util.h"
#include "worker.h"

/* AddressSanitizer reserves terabytes of shadow address space, so an
 * RLIMIT_AS would stop it from starting (PROC-9). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SANITIZED	1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED	0
#endif

#define NOFILE_LIMIT	1024
#define AS_LIMIT	(1024UL * 1024 * 1024)
#define BT_FRAMES	48

volatile int			 worker_stop;	/* 1: QUIT, 2: TERM */
static volatile sig_atomic_t	 in_request;
static volatile sig_atomic_t	 want_reopen;
static int			 listen_fd = -1;
static int			 bt_pipe[2] = { -1, -1 };
static sigset_t			 mask_open;	/* in ppoll and in a request */
static sigset_t			 mask_shut;	/* in libfcgi and in between */
static FCGX_Request		 req;

static void
on_quit(int sig)
{
	int	 saved = errno;

	if (worker_stop == 0)
		worker_stop = 1;
	errno = saved;
}

static void
on_term(int sig)
{
	struct sigaction	 sa;
	int			 saved = errno;

	if (in_request) {
		/* Mid-request a TERM means "now" (fast stop, or the master's
		 * request_timeout): die by the signal itself so the master
		 * logs signal=15; MariaDB rolls back the open transaction
		 * when the connection drops. TERM is blocked while we run, so
		 * the re-raised one is delivered as soon as we return. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		raise(SIGTERM);
	} else
		worker_stop = 2;
	errno = saved;
}

static void
on_usr1(int sig)
{
	want_reopen = 1;
}

/* Async-signal-safe line building for the USR2 handler: no stdio, no
 * malloc, no locale, only write(2) at the end. */
struct line {
	char	 b[1024];
	size_t	 n;
};

static void
lput(struct line *l, const char *s)
{
	while (*s != '\0' && l->n < sizeof(l->b) - 2)
		l->b[l->n++] = *s++;
}

static void
lnum(struct line *l, unsigned long long v, int width)
{
	char	 t[24];
	int	 i = 0;

	do {
		t[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && i < (int)sizeof(t));
	while (i < width && i < (int)sizeof(t))
		t[i++] = '0';
	while (i > 0 && l->n < sizeof(l->b) - 2)
		l->b[l->n++] = t[--i];
}

/* Quoted like lq() (LOG-5): quotes, backslash, C0 and DEL as \xNN. */
static void
lquote(struct line *l, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	lput(l, "\"");
	for (i = 0; i < len && s[i] != '\0' && l->n < sizeof(l->b) - 8; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			l->b[l->n++] = '\\';
			l->b[l->n++] = 'x';
			l->b[l->n++] = hex[c >> 4];
			l->b[l->n++] = hex[c & 15];
		} else
			l->b[l->n++] = (char)c;
	}
	lput(l, "\"");
}

/* ts=YYYY-MM-DDTHH:MM:SS.mmmZ without gmtime_r (not async-signal-safe):
 * days since the epoch to a proleptic Gregorian date, 400-year eras. */
static void
lts(struct line *l)
{
	struct timespec	 ts;
	int64_t		 days, secs, era, y;
	unsigned	 doe, yoe, doy, mp, m, d;

	clock_gettime(CLOCK_REALTIME, &ts);
	days = ts.tv_sec / 86400;
	secs = ts.tv_sec % 86400;
	days += 719468;				/* shift the epoch to 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = (int64_t)yoe + era * 400 + (m <= 2);

	lput(l, "ts=");
	lnum(l, (unsigned long long)y, 4);
	lput(l, "-");
	lnum(l, m, 2);
	lput(l, "-");
	lnum(l, d, 2);
	lput(l, "T");
	lnum(l, (unsigned long long)(secs / 3600), 2);
	lput(l, ":");
	lnum(l, (unsigned long long)(secs / 60 % 60), 2);
	lput(l, ":");
	lnum(l, (unsigned long long)(secs % 60), 2);
	lput(l, ".");
	lnum(l, (unsigned long long)(ts.tv_nsec / 1000000), 3);
	lput(l, "Z");
}

static void
lhead(struct line *l)
{
	struct sb_slot	*s = sb_self();

	l->n = 0;
	lts(l);
	lput(l, " lvl=warn pid=");
	lnum(l, (unsigned long long)getpid(), 1);
	if (s != NULL && s->rid[0] != '\0') {
		lput(l, " rid=");
		lquote(l, s->rid, sizeof(s->rid));
	}
	if (s != NULL && s->route[0] != '\0') {
		lput(l, " route=");
		lquote(l, s->route, sizeof(s->route));
	}
}

static void
lwrite(struct line *l)
{
	ssize_t	 r;

	l->b[l->n++] = '\n';
	do
		r = write(log_fd(), l->b, l->n);
	while (r < 0 && errno == EINTR);
}

/*
 * USR2, sent by the master at slow_timeout (PROC-6): log where this worker
 * is right now. backtrace_symbols_fd() is the safe way to symbolize from a
 * handler; it goes through a pipe so that each frame becomes one ordinary
 * key=value log line, written with a single write(2) like every other.
 */
static void
on_usr2(int sig)
{
	static char	 syms[16384];
	void		*frames[BT_FRAMES];
	struct line	 l;
	size_t		 have = 0, start, i;
	ssize_t		 r;
	int		 n, frame = 0, saved = errno;

	n = backtrace(frames, BT_FRAMES);
	lhead(&l);
	lput(&l, " backtrace=begin frames=");
	lnum(&l, (unsigned long long)(n > 0 ? n : 0), 1);
	lwrite(&l);
	if (bt_pipe[0] >= 0 && n > 0) {
		while (read(bt_pipe[0], syms, sizeof(syms)) > 0)
			;	/* drop leftovers of an interrupted run */
		backtrace_symbols_fd(frames, n, bt_pipe[1]);
		while (have < sizeof(syms) && (r = read(bt_pipe[0],
		    syms + have, sizeof(syms) - have)) > 0)
			have += (size_t)r;
		for (start = 0, i = 0; i < have; i++) {
			if (syms[i] != '\n')
				continue;
			lhead(&l);
			lput(&l, " backtrace=frame n=");
			lnum(&l, (unsigned long long)frame++, 1);
			lput(&l, " sym=");
			lquote(&l, syms + start, i - start);
			lwrite(&l);
			start = i + 1;
		}
	}
	errno = saved;
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* SA_RESTART everywhere: libfcgi and the MariaDB client treat an
	 * EINTR from read/write as a broken connection, so a signal must
	 * never cut a request's I/O. ppoll() returns EINTR regardless. */
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void
setup_signals(void)
{
	sigemptyset(&mask_open);
	sigemptyset(&mask_shut);
	sigaddset(&mask_shut, SIGQUIT);
	sigaddset(&mask_shut, SIGTERM);
	sigaddset(&mask_shut, SIGUSR1);
	sigaddset(&mask_shut, SIGUSR2);

	set_handler(SIGQUIT, on_quit);
	set_handler(SIGTERM, on_term);
	set_handler(SIGUSR1, on_usr1);
	set_handler(SIGUSR2, on_usr2);
	/* HUP and INT belong to the master (a terminal's ^C reaches the
	 * whole process group); PIPE must not kill us when a client goes
	 * away mid-response (PROC-7). */
	set_handler(SIGHUP, SIG_IGN);
	set_handler(SIGINT, SIG_IGN);
	set_handler(SIGPIPE, SIG_IGN);
	set_handler(SIGCHLD, SIG_DFL);
	/* Only now let go of what the master blocked for the fork. */
	sigprocmask(SIG_SETMASK, &mask_shut, NULL);
}

static int
under_valgrind(void)
{
	const char	*p = getenv("LD_PRELOAD");

	return p != NULL && strstr(p, "vgpreload") != NULL;
}

static void
set_limits(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > NOFILE_LIMIT)
			rl.rlim_max = NOFILE_LIMIT;
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_msg(LOG_WARN, "setrlimit=nofile error=%s",
			    lq(strerror(errno)));
	}
	/* Cores of a web worker hold session data and keys. */
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	if (!SANITIZED && !under_valgrind()) {
		rl.rlim_cur = rl.rlim_max = AS_LIMIT;
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			log_msg(LOG_WARN, "setrlimit=as error=%s",
			    lq(strerror(errno)));
	}
}

static void
note_rss(struct sb_slot *slot)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == 0)
		slot->rss_kb = ru.ru_maxrss;	/* KiB on Linux */
}

static int
sleep_on(struct pollfd *pfd, int n, const struct timespec *ts)
{
	int	 i, rc;

	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	if ((rc = ppoll(pfd, (nfds_t)n, ts, &mask_open)) >= 0)
		return rc;
	if (errno != EINTR) {
		log_msg(LOG_ERROR, "ppoll=failed error=%s", lq(strerror(errno)));
		exit(2);
	}
	return -1;
}

/*
 * Sleep, with our signals deliverable, until there is work: a connection
 * on the listening socket, or the next request on the connection kept
 * from the last one (nginx's fastcgi_keep_conn). libfcgi serves only one
 * connection at a time and reads the kept one on its next call, so an
 * idle worker pinned to a kept connection would let a new connection
 * wait in the backlog until nginx times out, e.g. while the crash brake
 * runs a single worker. If a new connection is still waiting after a
 * short grace (a free worker normally takes it at once), we give up the
 * kept one; nginx reopens when it needs it. Returns 0 when
 * FCGX_Accept_r() has something to do.
 */
static int
wait_ready(void)
{
	static const struct timespec	 grace = { 0, 20 * 1000000L };
	struct pollfd			 pfd[2];

	pfd[0].events = pfd[1].events = POLLIN;
	if (req.ipcFd < 0) {
		pfd[0].fd = listen_fd;
		return sleep_on(pfd, 1, NULL) < 0 ? -1 : 0;
	}
	pfd[0].fd = req.ipcFd;
	pfd[1].fd = listen_fd;
	if (sleep_on(pfd, 2, NULL) < 0)
		return -1;
	if (pfd[0].revents != 0)
		return 0;
	if (sleep_on(pfd, 1, &grace) != 0)
		return pfd[0].revents != 0 ? 0 : -1;
	pfd[1].revents = 0;
	if (poll(&pfd[1], 1, 0) <= 0)
		return -1;
	FCGX_Free(&req, 1);	/* closes the kept connection */
	return 0;
}

void
worker_main(int fd, struct sb_slot *slot, int max_requests)
{
	struct scoreboard	*sb = scoreboard_get();
	void			*probe[2];
	const char		*rid;
	int			 served = 0, rc;

	listen_fd = fd;
	sb_set_self(slot);
	setup_signals();

	/* If the master dies, finish the current request and leave rather
	 * than serve on unsupervised. Checked after arming the signal, in
	 * case the master was already gone. */
	prctl(PR_SET_PDEATHSIG, SIGQUIT);
	if (sb != NULL && getppid() != sb->master_pid)
		worker_stop = 1;

	set_limits();
	if (pipe2(bt_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		bt_pipe[0] = bt_pipe[1] = -1;
	/* The first backtrace() loads libgcc_s with dlopen, which is not
	 * safe inside a handler; do it now. */
	backtrace(probe, 2);
	slot->pid = getpid();
	note_rss(slot);

	if (app_worker_start() != 0) {
		log_msg(LOG_ERROR, "worker_start=failed");
		exit(1);
	}
	if ((rc = FCGX_Init()) != 0) {
		log_msg(LOG_ERROR, "fcgx_init=failed rc=%d", rc);
		exit(1);
	}
	/* Debian's libfcgi 2.4.2 puts its own (empty) SIGPIPE handler over
	 * SIG_IGN as well as over SIG_DFL; PROC-7 wants it ignored. */
	set_handler(SIGPIPE, SIG_IGN);
	FCGX_InitRequest(&req, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	slot->state = SB_IDLE;

	while (!worker_stop) {
		if (want_reopen) {
			want_reopen = 0;
			log_reopen();
		}
		if (wait_ready() != 0 || worker_stop)
			continue;
		rc = FCGX_Accept_r(&req);
		if (rc < 0) {
			/* Another worker took the connection, or nginx
			 * closed the kept one: wait again. */
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
				continue;
			/* EMFILE and friends: a fresh process is the
			 * cleanest recovery, and the brake limits it. */
			log_msg(LOG_ERROR, "accept=failed rc=%d error=%s", rc,
			    lq(rc > -4096 ? strerror(-rc) : "libfcgi"));
			exit(2);
		}
		/* From here a TERM ends the process on the spot, including
		 * one that arrived while libfcgi read the parameters. */
		in_request = 1;
		sigprocmask(SIG_SETMASK, &mask_open, NULL);
		/* Log lines written for this request go to the current file
		 * after a USR1, even if we slept through it. */
		if (want_reopen) {
			want_reopen = 0;
			log_reopen();
		}
		rid = FCGX_GetParam("REQUEST_ID", req.envp);
		sb_begin(rid, NULL);
		app_request(&req);
		/* Leaving after this response? Then close a keep-alive
		 * connection together with it, rather than later while nginx
		 * may be sending the next request on it. (keepConnection is
		 * in the "don't use" part of FCGX_Request; it is plain ABI of
		 * the libfcgi we build against and there is no API for it.) */
		served++;
		if (worker_stop || (max_requests > 0 && served >= max_requests))
			req.keepConnection = 0;
		FCGX_Finish_r(&req);
		sigprocmask(SIG_SETMASK, &mask_shut, NULL);
		in_request = 0;
		sb_end();
		log_set_request(NULL, NULL);
		note_rss(slot);
		/* PROC-3: the response is complete, so recycling is safe. */
		if (max_requests > 0 && served >= max_requests)
			break;
	}
	slot->state = SB_FINISHING;
	log_set_request(NULL, NULL);
	app_worker_stop();
	exit(0);
}
