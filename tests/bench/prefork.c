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
child(int fd, child_init_fn init, handle_fn handle)
{
	FCGX_Request	 r;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() == 1)
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
	char	*end;
	long	 n, i;
	int	 fd, status, left;
	pid_t	 pid;

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
	for (i = 0; i < n; i++) {
		if ((pid = fork()) < 0) {
			fprintf(stderr, "%s: fork: %s\n", prog,
			    strerror(errno));
			return 1;
		}
		if (pid == 0)
			_exit(child(fd, init, handle));
	}
	/* A child that dies is not replaced: the bench would see the drop
	 * in its figures, and the run is short. */
	for (left = (int)n; left > 0; ) {
		if (wait(&status) > 0)
			left--;
		else if (errno != EINTR)
			break;
	}
	(void)unlink(path);
	return 0;
}
