/* worker.h — one prefork worker: signals, limits, the accept loop. */
#ifndef WORKER_H
#define WORKER_H

struct sb_slot;

/* Never returns: exits 0 after max_requests or on QUIT/TERM. */
void	 worker_main(int listen_fd, struct sb_slot *, int max_requests)
	    __attribute__((noreturn));
/* Set by the worker's signal handlers (TERM: stop now, QUIT: finish). */
extern volatile int worker_stop;

#endif
