/* master.h — the prefork supervisor (DESIGN §5, RELIABILITY §1). */
#ifndef MASTER_H
#define MASTER_H

/* Bind the socket, fork workers, supervise until QUIT/TERM/INT.
 * conf_path is re-read on HUP. Returns the process exit status. */
int	 master_run(const char *conf_path);
/* Write our pid to path after binding the socket, remove it on exit
 * (`backopsd serve --pid-file PATH`). Call before master_run. */
int	 master_set_pidfile(const char *path);

#endif
