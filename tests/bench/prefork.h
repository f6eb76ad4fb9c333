/* prefork.h — the process model shared by the bench's reference
 * responders (hello.c, lean_db.c): one listening FastCGI socket, N
 * children each running a plain FCGX_Accept_r loop. Nothing else of
 * backopsd's (no scoreboard, limits or signal discipline): these
 * programs are the ceiling the bench compares backopsd with. */
#ifndef BENCH_PREFORK_H
#define BENCH_PREFORK_H

#include <fcgiapp.h>

/* Called once in each child after fork; non-zero ends the child. */
typedef int	(*child_init_fn)(void);
/* Answers one request on r->out. */
typedef void	(*handle_fn)(FCGX_Request *r);

/* Opens the unix socket PATH, forks `procs` children that serve it and
 * waits for them; returns the exit status for main(). TERM or INT to the
 * parent stops the children and reaps them before it exits; should the
 * parent die without that, the children follow it (PR_SET_PDEATHSIG). */
int	prefork_run(const char *prog, const char *path, const char *procs,
	    child_init_fn init, handle_fn handle);

#endif
