/* scoreboard.c — shared-memory slots: workers report, the master watches.
 *
 * The mapping is anonymous and shared, made by the master before the first
 * fork, so every worker of every generation sees the same pages without a
 * file or a SysV segment to clean up. A worker writes only its own slot;
 * the master writes the pool-wide fields and its per-request bookkeeping.
 * There are no locks: a reader may see a slot half-updated, which only
 * makes one status page or one timeout check a second stale. */
#include <sys/mman.h>

#include <stdio.h>
#include <string.h>

#include "scoreboard.h"
#include "util.h"

static struct scoreboard	*sb;
static struct sb_slot		*self;

static const char *const state_names[] = {
	"empty", "starting", "idle", "busy", "finishing"
};

struct scoreboard *
scoreboard_create(int nslots)
{
	size_t	 len;
	void	*p;

	if (nslots < 1)
		return NULL;
	len = sizeof(struct scoreboard) + (size_t)nslots * sizeof(struct sb_slot);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Fresh anonymous pages are zero: every slot starts SB_EMPTY. */
	sb = p;
	sb->nslots = nslots;
	sb->started_wall_ms = now_wall_ms();
	sb->started_mono_ms = now_mono_ms();
	return sb;
}

struct scoreboard *
scoreboard_get(void)
{
	return sb;
}

struct sb_slot *
sb_self(void)
{
	return self;
}

void
sb_set_self(struct sb_slot *s)
{
	self = s;
}

/*
 * Copy into a fixed slot field so that the last byte stays NUL at every
 * moment: a concurrent reader may see a mix of old and new text, never an
 * unterminated string.
 */
static void
slot_copy(char *dst, size_t sz, const char *src)
{
	size_t	 n = 0;

	if (src != NULL)
		for (; n < sz - 1 && src[n] != '\0'; n++)
			dst[n] = src[n];
	dst[n] = '\0';
	dst[sz - 1] = '\0';
}

void
sb_begin(const char *rid, const char *route)
{
	if (self == NULL)
		return;
	slot_copy(self->rid, sizeof(self->rid), rid);
	slot_copy(self->route, sizeof(self->route), route);
	/* Text first, then the start time, then the state: the master keys
	 * its timeout checks on req_start_ms, so it must never see a new
	 * start time next to the previous request's route. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	self->req_start_ms = now_mono_ms();
	__atomic_thread_fence(__ATOMIC_RELEASE);
	self->state = SB_BUSY;
}

void
sb_set_route(const char *route)
{
	if (self != NULL)
		slot_copy(self->route, sizeof(self->route), route);
}

void
sb_end(void)
{
	if (self == NULL)
		return;
	/* Keep the route for the crash log: a worker that dies between
	 * requests is reported with the last thing it did. */
	memcpy(self->last_route, self->route, sizeof(self->last_route));
	self->requests++;
	self->state = SB_IDLE;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	self->req_start_ms = 0;
	self->rid[0] = '\0';
	self->route[0] = '\0';
}

json_object *
scoreboard_json(void)
{
	json_object	*o, *arr, *w;
	int64_t		 now = now_mono_ms();
	int		 i, busy = 0, idle = 0, st;

	o = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; sb != NULL && i < sb->nslots; i++) {
		struct sb_slot	*s = &sb->slots[i];
		int64_t		 start;
		char		 buf[sizeof(s->route)];

		st = s->state;
		if (st == SB_EMPTY || s->pid == 0)
			continue;
		if (st < 0 || st >= (int)countof(state_names))
			continue;
		start = s->req_start_ms;
		if (st == SB_BUSY)
			busy++;
		else if (st == SB_IDLE)
			idle++;
		w = json_object_new_object();
		json_object_object_add(w, "pid",
		    json_object_new_int64((int64_t)s->pid));
		json_object_object_add(w, "state",
		    json_object_new_string(state_names[st]));
		json_object_object_add(w, "generation",
		    json_object_new_int(s->generation));
		json_object_object_add(w, "requests",
		    json_object_new_int64((int64_t)s->requests));
		slot_copy(buf, sizeof(buf), st == SB_BUSY ? s->route : "");
		json_object_object_add(w, "route", json_object_new_string(buf));
		slot_copy(buf, sizeof(buf), st == SB_BUSY ? s->rid : "");
		json_object_object_add(w, "rid", json_object_new_string(buf));
		json_object_object_add(w, "age_ms", json_object_new_int64(
		    st == SB_BUSY && start > 0 ? now - start : 0));
		json_object_object_add(w, "uptime_ms",
		    json_object_new_int64(now - s->spawned_ms));
		json_object_object_add(w, "rss_kb",
		    json_object_new_int64((int64_t)s->rss_kb));
		json_object_array_add(arr, w);
	}
	json_object_object_add(o, "workers", arr);
	json_object_object_add(o, "busy", json_object_new_int(busy));
	json_object_object_add(o, "idle", json_object_new_int(idle));
	json_object_object_add(o, "workers_target",
	    json_object_new_int(sb != NULL ? sb->workers : 0));
	json_object_object_add(o, "restarts",
	    json_object_new_int64(sb != NULL ? (int64_t)sb->restarts : 0));
	json_object_object_add(o, "crash_brake",
	    json_object_new_boolean(sb != NULL && sb->braking));
	json_object_object_add(o, "generation",
	    json_object_new_int(sb != NULL ? sb->generation : 0));
	json_object_object_add(o, "uptime_s", json_object_new_int64(
	    sb != NULL ? (now - sb->started_mono_ms) / 1000 : 0));
	return o;
}
