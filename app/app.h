/* app.h — what the process layer (core/master.c, core/worker.c) calls in
 * the application. Everything product-specific hangs off these four. */
#ifndef APP_H
#define APP_H

#include <stddef.h>

/* Master, before forking (and again on HUP): compile templates, load the
 * help pages and the common-password list. On error fills err and returns
 * -1; on HUP the master then keeps the previous generation's data. */
int	 app_load(char *err, size_t errsz);
/* Worker, right after fork: per-process state (the database connection
 * is opened lazily on the first request that needs it, PROC-8). */
int	 app_worker_start(void);
/* Worker: answer one accepted request (FCGX_Request *). Never exits. */
void	 app_request(void *fcgx_request);
/* Worker, before a normal exit: close the database connection. */
void	 app_worker_stop(void);

#endif
