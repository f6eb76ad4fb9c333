"""Memory per request (DESIGN §12, the leak-hunt issue): a worker that
has served a route keeps no more memory after serving it again.

A request's memory lives in its arena or is released when it ends, so a
worker's heap after N more requests of a route is what it was before.
Each route of the main families (JSON and HTML, and the error pages of a
few forms) is sent a few times to warm up (statements prepared, caches
filled), then N more times; the worker's heap in use (mallinfo2, through
the test hook GET /__test/heap) must not grow by more than a few hundred
bytes. The leak of 8d210f4 (the schedule's calendar picker) grew it by
some 25 kB a request of the demo festival's schedule.

The worker is a private one: a second `backopsd serve` of the stack's
binary and configuration with one worker that is never recycled, on its
own socket (requests go straight to it over FastCGI, tests/fcgi.py), and
with glibc's per-thread cache off so that freed chunks count as free.
The data is the demo festival of `backopsd seed-demo` (idempotent, as
test_seed.py checks); its staff and vendor logins sign in through nginx.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from bo import BASE, BIN, CONF, Browser, sql, sql_one

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import fcgi  # noqa: E402  (tests/fcgi.py)

pytestmark = [
    pytest.mark.skipif(not CONF or not os.environ.get("BO_STACK"),
                       reason="needs a running test stack (tests/stack/up)"),
    # AddressSanitizer replaces malloc (mallinfo2 sees none of it) and
    # keeps freed memory in quarantine; `tests/run --asan` has
    # LeakSanitizer for leaks instead.
    pytest.mark.skipif("ASAN_OPTIONS" in os.environ,
                       reason="sanitizer build: its allocator is not glibc's"),
]

WARM = 3        # requests before measuring
N = 8           # requests measured per route
SLACK = 512     # bytes a route's N requests may add (noise: a few bytes)
RSS_SLACK_KB = 2048

# (persona, format, path) of GET routes; {names} from ids() below.
ROUTES = [
    ("anon", "html", "/login"),
    ("anon", "html", "/signup"),
    ("anon", "html", "/docs"),
    ("anon", "html", "/docs/getting-started"),
    ("staff", "html", "/"),
    ("staff", "html", "/account"),
    ("staff", "html", "/account/tokens"),
    ("staff", "html", "/account/feeds"),
    ("staff", "html", "/orgs/{org}/members"),
    ("staff", "json", "/orgs/{org}/members"),
    ("staff", "html", "/orgs/{org}/billing"),
    ("staff", "json", "/orgs/{org}/billing"),
    ("staff", "html", "/orgs/{org}/audit"),
    ("staff", "json", "/orgs/{org}/events"),
    ("staff", "html", "/orgs/{org}/tasks"),
    ("staff", "json", "/orgs/{org}/schedule"),
    ("staff", "html", "/orgs/{org}/tasks.xml"),
    ("staff", "html", "/orgs/{org}/schedule.xml"),
    ("staff", "html", "/events/{ev}"),
    ("staff", "html", "/events/{ev}/users"),
    ("staff", "json", "/events/{ev}/users"),
    ("staff", "html", "/events/{ev}/areas"),
    ("staff", "json", "/events/{ev}/areas/{area}"),
    ("staff", "html", "/events/{ev}/collaborators"),
    ("staff", "json", "/events/{ev}/collaborators/{collab}"),
    ("staff", "html", "/events/{ev}/collaborators/{collab}/settings"),
    ("staff", "html", "/events/{ev}/collaborators/{collab}/delete"),
    ("staff", "html", "/events/{ev}/collaborators/{collab}/crew"),
    ("staff", "html", "/events/{ev}/schedule"),
    ("staff", "json", "/events/{ev}/schedule"),
    ("staff", "html", "/events/{ev}/schedule/day/{day}"),
    ("staff", "json", "/events/{ev}/schedule/day/{day}"),
    ("staff", "html", "/events/{ev}/schedule/week/{day}"),
    ("staff", "html", "/events/{ev}/schedule/month/{month}"),
    ("staff", "html", "/events/{ev}/schedule/timeline/{day}"),
    ("staff", "html", "/events/{ev}/activities/{act}"),
    ("staff", "json", "/events/{ev}/activities/{act}"),
    ("staff", "html", "/events/{ev}/activities/{act}/run-of-show"),
    ("staff", "html",
     "/events/{ev}/activities/{act}/run-of-show?date=1999-01-01"),
    ("staff", "html", "/events/{ev}/run-of-show"),
    ("staff", "html", "/events/{ev}/schedule.xml"),
    ("staff", "html", "/events/{ev}/schedule.json"),
    ("staff", "html", "/events/{ev}/schedule.csv"),
    ("staff", "html", "/events/{ev}/tasks"),
    ("staff", "json", "/events/{ev}/tasks"),
    ("staff", "html", "/events/{ev}/tasks/board"),
    ("staff", "html", "/events/{ev}/tasks/{task}"),
    ("staff", "html", "/events/{ev}/tasks/settings"),
    ("staff", "html", "/calendar"),
    ("staff", "html", "/calendar/week/{day}"),
    ("staff", "html", "/events/{ev}/advances"),
    ("staff", "json", "/events/{ev}/advances/{adv}"),
    ("staff", "html", "/events/{ev}/advances/{adv}/modules/{mod}"),
    ("staff", "html", "/events/{ev}/advance-manager"),
    ("staff", "html", "/events/{ev}/advance-manager/approvals"),
    ("staff", "html", "/events/{ev}/advance-manager/{mtpl}"),
    ("staff", "html", "/events/{ev}/advance-manager/{mtpl}/print"),
    ("staff", "html", "/events/{ev}/advances/{li_adv}/modules/{li_mod}/"
     "line-items/{li}"),
    ("staff", "json", "/events/{ev}/advances/{ans_adv}/modules/{ans_mod}/"
     "answers/{ans_block}"),
    ("staff", "html", "/events/{ev}/advance-task-mapping"),
    ("staff", "html", "/events/{ev}/portal/preview/{collab}"),
    ("staff", "html", "/events/{ev}/asset-types"),
    ("staff", "html", "/events/{ev}/asset-types/{atype}"),
    ("staff", "html", "/events/{ev}/module-categories"),
    ("staff", "html", "/events/{ev}/module-templates"),
    ("staff", "html", "/events/{ev}/module-templates/{mtpl}"),
    ("staff", "html", "/events/{ev}/module-templates/{mtpl}/preview"),
    ("staff", "html", "/events/{ev}/advance-templates"),
    ("staff", "html", "/events/{ev}/advance-templates/{atpl}"),
    ("staff", "html", "/events/{ev}/daysheets/collaborator/{collab}"),
    ("anon", "ics", "/feeds/{feed}/calendar.ics"),
    ("vendor", "html", "/events/{ev}/portal"),
    ("vendor", "html", "/events/{ev}/schedule/day/{day}"),
    ("vendor", "html", "/events/{ev}/tasks"),
    ("vendor", "json", "/events/{ev}/advances"),
]

# Forms sent with errors (422, nothing saved): the page again.
FORMS = [
    ("staff", "/events/{ev}/activities", {"name": ""}),
    ("staff", "/events/{ev}/tasks", {"name": ""}),
    ("staff", "/events/{ev}/collaborators", {"name": ""}),
]


def seed():
    out = subprocess.run([BIN, "-c", CONF, "seed-demo"], check=True,
                         capture_output=True, text=True).stdout
    staff = re.search(r"demo login: (\S+) / (\S+)", out).groups()
    vendor = re.search(r"vendor login: (\S+) / (\S+)", out).groups()
    return staff, vendor


def signed_in(email, password):
    b = Browser()
    b.email = email.lower()
    assert b.login(email, password).status_code == 303
    b.get("/account")           # the session's CSRF token
    return b


def ids(staff):
    ev = sql_one("SELECT id FROM events WHERE code = 'nlf2027'")

    def one(q):
        v = sql_one(q)
        assert v is not None, q
        return v
    adv = one(f"SELECT id FROM advances WHERE event_id = {ev} ORDER BY id "
              f"LIMIT 1")
    return {
        "ev": ev,
        "org": one(f"SELECT org_id FROM events WHERE id = {ev}"),
        "collab": one(f"SELECT id FROM collaborators WHERE event_id = {ev} "
                      f"AND is_host = 0 ORDER BY id LIMIT 1"),
        "area": one(f"SELECT id FROM areas WHERE event_id = {ev} ORDER BY id "
                    f"LIMIT 1"),
        "act": one(f"SELECT id FROM activities WHERE event_id = {ev} ORDER "
                   f"BY id LIMIT 1"),
        "task": one(f"SELECT id FROM tasks WHERE event_id = {ev} ORDER BY id "
                    f"LIMIT 1"),
        "adv": adv,
        "mod": one(f"SELECT id FROM advance_modules WHERE advance_id = {adv} "
                   f"ORDER BY id LIMIT 1"),
        "mtpl": one(f"SELECT module_template_id FROM advance_modules "
                    f"WHERE advance_id = {adv} ORDER BY id LIMIT 1"),
        "li": one(f"SELECT id FROM line_items WHERE event_id = {ev} ORDER "
                  f"BY id LIMIT 1"),
        "ans_block": one(f"SELECT block_id FROM answers WHERE event_id = "
                         f"{ev} ORDER BY id LIMIT 1"),
        "atype": one(f"SELECT id FROM asset_types WHERE event_id = {ev} "
                     f"ORDER BY id LIMIT 1"),
        "atpl": one(f"SELECT id FROM advance_templates WHERE event_id = {ev} "
                    f"ORDER BY id LIMIT 1"),
        "day": "2027-07-17",
        "month": "2027-07",
        "feed": feed(staff, ev),
        **module_of("li", "line_items", ev),
        **module_of("ans", "answers", ev),
    }


def module_of(prefix, table, ev):
    """The advance and module of the first row of table."""
    row = sql(f"SELECT am.advance_id, am.id FROM {table} t JOIN "
              f"advance_modules am ON am.id = t.advance_module_id WHERE "
              f"t.event_id = {ev} ORDER BY t.id LIMIT 1")
    assert row, table
    return {prefix + "_adv": row[0][0], prefix + "_mod": row[0][1]}


def feed(b, ev):
    """A token of b's event feed: made, or reset when b has one already
    (one a scope: the address is shown only when it is made)."""
    b.get("/account")
    r = b.post(f"/account/feeds/new/event/{ev}", {})
    if r.status_code != 201:
        fid = sql_one(f"SELECT id FROM feed_token WHERE scope_kind = 'event'"
                      f" AND scope_id = {ev} AND revoked_at IS NULL AND "
                      f"owner_user_id = (SELECT id FROM users WHERE "
                      f"email_norm = '{b.email}')")
        r = b.post(f"/account/feeds/{fid}/reset", {})
    assert r.status_code == 201, r.text[:500]
    return re.search(r"/feeds/(bofeed_[A-Za-z0-9_-]{43})/calendar\.ics",
                     r.text).group(1)


class Worker:
    """A private master with one worker that is never recycled."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="mem.", dir=os.environ["BO_STACK"])
        self.sock = os.path.join(self.dir, "s")
        env = dict(os.environ, BACKOPS_WORKERS="1",
                   BACKOPS_MAX_REQUESTS="1000000", BACKOPS_SOCKET=self.sock,
                   BACKOPS_LOG_FILE=os.path.join(self.dir, "app.log"),
                   BACKOPS_LOG_LEVEL="warn",
                   GLIBC_TUNABLES="glibc.malloc.tcache_count=0")
        self.proc = subprocess.Popen(
            [BIN, "-c", CONF, "serve", "--pid-file",
             os.path.join(self.dir, "pid")], env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        self.fc = fcgi.FcgiClient(self.sock, timeout=30,
                                  server_port=BASE.rsplit(":", 1)[1])
        end = time.monotonic() + 15
        while not os.path.exists(self.sock):
            assert self.proc.poll() is None, "private backopsd exited"
            assert time.monotonic() < end, "private backopsd did not start"
            time.sleep(0.05)

    def heap(self):
        r = self.fc.get("/__test/heap")
        if r.status == 404:
            pytest.skip("binary without test hooks")
        assert r.status == 200, r.body[:200]
        v = json.loads(r.body)
        return v["pid"], v["heap_in_use"]

    def rss_kb(self, pid):
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def world():
    (se, sp), (ve, vp) = seed()
    people = {"anon": None, "staff": signed_in(se, sp),
              "vendor": signed_in(ve, vp)}
    w = Worker()
    yield w, people, ids(people["staff"])
    w.stop()


def sender(w, people, who, fmt):
    b = people[who]
    headers = {"Accept": {"json": "application/json",
                          "html": "text/html"}.get(fmt, "*/*")}
    if b is not None:
        headers["Cookie"] = "bo_sid=" + b.cookie()

    def get(path):
        path, _, query = path.partition("?")
        return w.fc.get(path, query, headers=headers)

    def post(path, data):
        body = "&".join(f"{k}={v}" for k, v in
                        dict(data, csrf_token=b.csrf).items())
        return w.fc.post(path, body, "application/x-www-form-urlencoded",
                         headers=dict(headers, Origin=BASE))
    return get, post


def growth(w, send, what):
    """Heap bytes the route's N requests added after WARM of them."""
    statuses = {send().status for _ in range(WARM)}
    _, h0 = w.heap()
    for _ in range(N):
        statuses.add(send().status)
    _, h1 = w.heap()
    assert statuses <= {200, 422}, (what, statuses)
    return h1 - h0


def requests_of(w, people, v):
    """(label, send) for every route and form."""
    out = []
    for who, fmt, path in ROUTES:
        get, _ = sender(w, people, who, fmt)
        p = path.format(**v)
        out.append((f"{who} {fmt} GET {p}", lambda g=get, p=p: g(p)))
    for who, path, data in FORMS:
        _, post = sender(w, people, who, "html")
        p = path.format(**v)
        out.append((f"{who} POST {p} (422)",
                    lambda po=post, p=p, d=data: po(p, d)))
    return out


def test_no_route_keeps_memory_after_its_request(world):
    w, people, v = world
    reqs = requests_of(w, people, v)
    for _, send in reqs:        # the worker's first pages of each kind
        send()
    pid, _ = w.heap()
    rss0 = w.rss_kb(pid)
    grown = [f"{what}: +{d} bytes after {N} requests"
             for what, d in ((what, growth(w, send, what))
                             for what, send in reqs) if d > SLACK]
    assert w.heap()[0] == pid, "the worker was replaced meanwhile"
    rss1 = w.rss_kb(pid)
    assert not grown, "memory kept after requests:\n" + "\n".join(grown)
    # The yardstick, coarser (whole pages, the allocator's own
    # growth): the worker's resident size after its first requests.
    assert rss1 - rss0 < RSS_SLACK_KB, (len(reqs) * (WARM + N), rss0, rss1)


def test_reconnect_frees_the_old_connections_statements(world):
    """DB-4: after the connection is lost the worker connects again and
    prepares its statements anew; the old ones (and their results) are
    freed, not left behind (some 1.3 MB a reconnect before)."""
    w, people, v = world
    reqs = requests_of(w, people, v)
    for _, send in reqs:        # every statement prepared
        send()
    r = w.fc.get("/__test/dbinfo")
    assert r.status == 200, r.body[:200]
    conn = json.loads(r.body)["connection_id"]
    _, h0 = w.heap()
    sql(f"KILL {conn}")
    # The first statement after it reconnects and runs again (DB-4.2).
    statuses = {send().status for _, send in reqs}
    assert statuses <= {200, 422}, statuses
    _, h1 = w.heap()
    assert json.loads(w.fc.get("/__test/dbinfo").body)["connection_id"] \
        != conn
    # A new connection's own buffers are a few kB.
    assert h1 - h0 < 64 * 1024, (h0, h1)
