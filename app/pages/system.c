/* system.c — liveness, the worker status page, the home page, and the
 * test-build hooks of RELIABILITY PROC-11. */
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/req.h"
#include "core/scoreboard.h"
#include "db/db.h"
#include "auth/session.h"
#include "model/event.h"
#include "model/org.h"
#include "model/user.h"
#include "pages.h"
#include "render/view.h"

/* GET /ping — 200; no database, no session. */
int
h_ping(struct req *r)
{
	return render_text(r, 200, "text/plain; charset=utf-8", "pong\n", 5);
}

/* GET /status — 200 scoreboard JSON; 404 unless from loopback. */
int
h_status(struct req *r)
{
	json_object	*s = scoreboard_json();
	int		 st;

	if (s == NULL)
		return render_error(r, 503, "unavailable", NULL);
	st = render_json(r, 200, s);
	json_object_put(s);
	return st;
}

/* GET / — 200 landing page, or the personal workspace when signed in. */
int
h_home(struct req *r)
{
	json_object	*v = view_new(r), *ws;

	if (r->user == NULL) {
		vset_bool(v, "signed_out", 1);
		return render_page(r, 200, "landing", "BackOps", v);
	}
	/* The remembered team workspace, if the user is still in it. */
	if (r->sess != NULL && r->sess->current_org_id != 0 &&
	    r->fmt == FMT_HTML) {
		struct org	 o;
		int		 rc = org_load(r, r->sess->current_org_id, &o);

		if (rc < 0)
			return 503;
		if (rc == 1 && o.kind == ORG_TEAM)
			return render_redirect(r, arena_printf(r->a,
			    "/orgs/%lld", (long long)o.id));
	}
	ws = json_object_new_object();
	vset_int(ws, "id", r->user->personal_org_id);
	vset_str(ws, "name", "Personal workspace");
	vset_str(ws, "kind", "personal");
	vset_obj(v, "workspace", ws);
	vset_obj(v, "me", user_json(r->user));
	{
		json_object	*events = events_list_json(r,
		    r->user->personal_org_id, 0);

		if (events == NULL)
			return 503;
		vset_obj(v, "events", events);
		if ((events = events_shared_json(r)) == NULL)
			return 503;
		vset_bool(v, "has_shared",
		    json_object_array_length(events) > 0);
		vset_obj(v, "shared", events);
	}
	vset_str(v, "new_event_url", arena_printf(r->a, "/orgs/%lld/events/new",
	    (long long)r->user->personal_org_id));
	vset_str(v, "events_url", arena_printf(r->a, "/orgs/%lld/events",
	    (long long)r->user->personal_org_id));
	return render_page(r, 200, "home", "Home", v);
}

#ifdef TEST_HOOKS
/* GET /__test/sleep?s=N — 200 after N seconds (slow and hung requests). */
int
h_test_sleep(struct req *r)
{
	unsigned	 left = (unsigned)r->in[TEST_SECONDS].i;

	while (left > 0)
		left = sleep(left);
	return render_text(r, 200, "text/plain; charset=utf-8", "slept\n", 6);
}

/* GET /__test/crash — the worker dies of SIGSEGV. */
int
h_test_crash(struct req *r)
{
	(void)r;
	raise(SIGSEGV);
	return 500;
}

/* GET /__test/big?bytes=N — 200 with N bytes (client aborts). */
int
h_test_big(struct req *r)
{
	size_t	 n = (size_t)r->in[TEST_BYTES].i;
	char	*p = arena_alloc(r->a, n + 1);

	memset(p, 'x', n);
	return render_text(r, 200, "text/plain; charset=utf-8", p, n);
}

/* GET /__test/dbinfo — the session variables of this worker's
 * connection (T14: they survive a reconnect) and its pid. */
int
h_test_dbinfo(struct req *r)
{
	static struct dbq q = DBQ("SELECT @@SESSION.time_zone,"
	    " @@SESSION.max_statement_time, @@SESSION.sql_mode,"
	    " @@SESSION.innodb_lock_wait_timeout, CONNECTION_ID()");
	json_object	*v = view_new(r);
	char		*tz = NULL, *mst = NULL, *mode = NULL;
	int64_t		 lwt = 0, cid = 0;

	if (db_select(&q, "") != 0 || db_fetch(&q, "sssii", &tz, &mst, &mode,
	    &lwt, &cid) != 1) {
		db_done(&q);
		return render_error(r, 503, "unavailable", NULL);
	}
	db_done(&q);
	vset_str(v, "time_zone", tz);
	vset_str(v, "max_statement_time", mst);
	vset_str(v, "sql_mode", mode);
	vset_int(v, "innodb_lock_wait_timeout", lwt);
	vset_int(v, "connection_id", cid);
	vset_int(v, "pid", getpid());
	return render_json(r, 200, v);
}

/* GET /__test/heap — this worker's pid and the bytes it has allocated
 * from malloc (heap and mmapped chunks): a request that leaks makes it
 * grow from one call to the next (tests/http/test_memory.py). */
int
h_test_heap(struct req *r)
{
	struct mallinfo2 mi = mallinfo2();
	json_object	*v = view_new(r);

	vset_int(v, "pid", getpid());
	vset_int(v, "heap_in_use", (long long)(mi.uordblks + mi.hblkhd));
	return render_json(r, 200, v);
}
#endif
