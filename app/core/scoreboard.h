/* scoreboard.h — one shared-memory slot per worker (RELIABILITY PROC-6).
 *
 * Mapped by the master before forking; each worker writes only its own
 * slot; the master reads all slots once a second to spot slow and hung
 * requests, and /status renders them. Fields are plain words written by
 * one process and read by another: a torn read only makes the status page
 * momentarily stale. */
#ifndef SCOREBOARD_H
#define SCOREBOARD_H

#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

enum sb_state { SB_EMPTY = 0, SB_STARTING, SB_IDLE, SB_BUSY, SB_FINISHING };

struct sb_slot {
	volatile pid_t	 pid;
	volatile int	 state;
	int		 generation;
	volatile uint64_t requests;	/* served by this worker */
	int64_t		 spawned_ms;	/* monotonic */
	volatile int64_t req_start_ms;	/* monotonic; 0 when idle */
	char		 rid[48];
	char		 route[128];	/* route template, never a raw path */
	char		 last_route[128];
	volatile long	 rss_kb;
	/* master bookkeeping for the current request */
	int		 slow_logged;
	int64_t		 term_sent_ms;
};

struct scoreboard {
	int		 nslots;
	volatile int	 generation;
	volatile uint64_t restarts;
	volatile int	 braking;
	int64_t		 started_wall_ms;
	int64_t		 started_mono_ms;	/* uptime without clock jumps */
	volatile int	 workers;		/* configured pool size */
	pid_t		 master_pid;		/* workers notice an orphaning */
	struct sb_slot	 slots[];
};

struct scoreboard *scoreboard_create(int nslots);
struct scoreboard *scoreboard_get(void);
/* The calling worker's slot (NULL in the master and in tools). */
struct sb_slot	*sb_self(void);
void	 sb_set_self(struct sb_slot *);
void	 sb_begin(const char *rid, const char *route);
void	 sb_set_route(const char *route);
void	 sb_end(void);
/* {"workers":[{"pid","state","generation","requests","route","rid",
 *  "age_ms","uptime_ms","rss_kb"}…], "busy", "idle", "workers_target",
 *  "restarts", "crash_brake" (bool), "generation", "uptime_s"} */
json_object *scoreboard_json(void);

#endif
