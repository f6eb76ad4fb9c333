/* prefork.c — see prefork.h. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prefork.h"

#define PROCS_MAX	256

static int
child(int fd, child_init_fn init, handle_fn handle, pid_t parent)
{
	FCGX_Request	 r;
	sigset_t	 none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		return 1;
	if (init != NULL && init() != 0)
		return 1;
	if (FCGX_Init() != 0)
		return 1;
	if (FCGX_InitRequest(&r, fd, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		handle(&r);
		FCGX_Finish_r(&r);
	}
	return 0;
}

int
prefork_run(const char *prog, const char *path, const char *procs,
    child_init_fn init, handle_fn handle)
{
	sigset_t	 set;
	char		*end;
	long		 n, i;
	int		 fd, sig, status, left, stopping = 0;
	pid_t		 pid, kids[PROCS_MAX], self = getpid();

	errno = 0;
	n = strtol(procs, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > PROCS_MAX) {
		fprintf(stderr, "%s: processes must be 1..%d\n", prog,
		    PROCS_MAX);
		return 2;
	}
	(void)unlink(path);
	umask(007);
	if ((fd = FCGX_OpenSocket(path, 1024)) < 0) {
		fprintf(stderr, "%s: cannot listen on %s\n", prog, path);
		return 1;
	}
	/* The parent takes TERM, INT and CHLD with sigwait, so no signal
	 * can slip in between a check and a wait: TERM or INT is passed on
	 * to the children, which are all reaped before the parent leaves —
	 * none is left behind as an orphan (a container's PID 1 may never
	 * reap it). The children unblock everything. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		if ((pid = fork()) < 0) {
			fprintf(stderr, "%s: fork: %s\n", prog,
			    strerror(errno));
			stopping = 1;
			break;
		}
		if (pid == 0)
			_exit(child(fd, init, handle, self));
		kids[i] = pid;
	}
	n = i;
	/* A child that dies is not replaced: the bench would see the drop
	 * in its figures, and the run is short. */
	left = (int)n;
	for (;;) {
		while (left > 0 && (pid = waitpid(-1, &status, WNOHANG)) > 0)
			left--;
		if (left == 0)
			break;
		if (stopping == 1) {
			for (i = 0; i < n; i++)
				(void)kill(kids[i], SIGTERM);
			stopping = 2;
			continue;
		}
		if (sigwait(&set, &sig) != 0)
			break;
		if (sig != SIGCHLD && stopping == 0)
			stopping = 1;
	}
	(void)unlink(path);
	return 0;
}
