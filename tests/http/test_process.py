"""Process supervision from the outside (RELIABILITY §1, §13.3).

T03 slow and hung requests, T05 signals to the master (HUP, QUIT, TERM),
T06 client aborts, and the issue's check that a worker killed with
SIGKILL is replaced within 1 s. The tests talk to nginx (BO_BASE), to the
FastCGI socket directly (BO_SOCKET), send signals to the master named in
BO_MASTER_PID_FILE, and read the master's and workers' lines from
BO_APP_LOG. Tests that stop the master start it again with
tests/stack/restart-app, exactly as the stack did.

Timings assume the test configuration: workers 4, slow_timeout 2 s,
request_timeout 6 s, shutdown_timeout 5 s, nginx fastcgi_read_timeout 8 s.
"""

import datetime
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import pytest
import requests

ENV = ("BO_BASE", "BO_STACK", "BO_APP_LOG", "BO_MASTER_PID_FILE", "BO_SOCKET")
pytestmark = pytest.mark.skipif(
    any(not os.environ.get(k) for k in ENV),
    reason="needs a running test stack (tests/stack/up)")

BASE = os.environ.get("BO_BASE", "")
APP_LOG = os.environ.get("BO_APP_LOG", "")
PID_FILE = os.environ.get("BO_MASTER_PID_FILE", "")
SOCKET = os.environ.get("BO_SOCKET", "")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RESTART = os.environ.get("BO_RESTART_APP",
                         os.path.join(ROOT, "tests", "stack", "restart-app"))

sys.path.insert(0, os.path.join(ROOT, "tests"))
import fcgi  # noqa: E402  (tests/fcgi.py, the stack's FastCGI client)

SLOW_S = 2
REQUEST_TIMEOUT_S = 6
SHUTDOWN_TIMEOUT_S = 5


# --- processes -------------------------------------------------------------

def proc_stat(pid):
    """(state, ppid) of a process, or None if it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return None
    rest = s[s.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def alive(pid):
    """Exists and is not a zombie: the master is re-parented to a PID 1
    that may never reap it, so kill(pid, 0) alone would lie."""
    st = proc_stat(pid)
    return st is not None and st[0] != "Z"


def master_pid():
    with open(PID_FILE) as f:
        return int(f.read().split()[0])


def workers(mpid=None):
    """Live children of the master."""
    mpid = mpid or master_pid()
    out = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st is not None and st[1] == mpid and st[0] != "Z":
                out.add(int(name))
    return out


def wait_until(cond, timeout, step=0.05):
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v or time.monotonic() >= end:
            return v
        time.sleep(step)


# --- the app log -----------------------------------------------------------

TS = re.compile(r"^ts=(\S+)")


def line_time(line):
    """Epoch seconds of a log line's ts= (UTC, milliseconds)."""
    m = TS.match(line)
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ")
    return t.replace(tzinfo=datetime.timezone.utc).timestamp()


def field(line, key):
    """Value of the last key=value in a log line (quotes removed), or None.
    The last one, because the master's lines start with its own pid= and
    then name the worker's."""
    ms = re.findall(r'(?:^|\s)%s=("(?:[^"\\]|\\.)*"|\S+)' %
                    re.escape(key), line)
    if not ms:
        return None
    v = ms[-1]
    return v[1:-1] if v.startswith('"') else v


class LogTail:
    """The lines appended to the app log since this object was made."""

    def __init__(self):
        self.start = os.path.getsize(APP_LOG)

    def lines(self, word=None, **fields):
        with open(APP_LOG, "rb") as f:
            f.seek(self.start)
            text = f.read().decode("utf-8", "replace")
        out = []
        for line in text.splitlines():
            if word and not re.search(r"(?:^|\s)%s(?:[\s=]|$)" %
                                      re.escape(word), line):
                continue
            if all(field(line, k) == str(v) for k, v in fields.items()):
                out.append(line)
        return out

    def wait(self, word, timeout, **fields):
        return wait_until(lambda: self.lines(word, **fields), timeout)


# --- traffic ---------------------------------------------------------------

def get(path, timeout=10):
    return requests.get(BASE + path, timeout=timeout)


class Loop:
    """Threads requesting a path as fast as they can; every answer and
    every exception is recorded."""

    def __init__(self, path="/ping", threads=1, pause=0.0):
        self.path = path
        self.pause = pause
        self.stop_ev = threading.Event()
        self.statuses = []
        self.errors = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True)
                        for _ in range(threads)]

    def run(self):
        s = requests.Session()
        while not self.stop_ev.is_set():
            try:
                r = s.get(BASE + self.path, timeout=10)
                with self.lock:
                    self.statuses.append(r.status_code)
            except requests.RequestException as e:
                with self.lock:
                    self.errors.append(repr(e))
                s = requests.Session()
            if self.pause:
                time.sleep(self.pause)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop_ev.set()
        for t in self.threads:
            t.join(15)

    def bad(self):
        return [c for c in self.statuses if not 200 <= c < 300] + self.errors


class Call(threading.Thread):
    """One request in the background: .status (or .error) and .elapsed."""

    def __init__(self, path, timeout=15):
        super().__init__(daemon=True)
        self.path, self.timeout = path, timeout
        self.status = self.error = self.elapsed = self.done_at = None
        self.start()

    def run(self):
        t0 = time.monotonic()
        try:
            self.status = get(self.path, self.timeout).status_code
        except requests.RequestException as e:
            self.error = repr(e)
        self.done_at = time.monotonic()
        self.elapsed = self.done_at - t0


# --- fixtures --------------------------------------------------------------

def healthy():
    try:
        return alive(master_pid()) and get("/ping", 3).status_code == 200
    except (OSError, ValueError, requests.RequestException):
        return False


def restart_app():
    subprocess.run([RESTART, os.environ["BO_STACK"]], check=True,
                   timeout=90, stdin=subprocess.DEVNULL)
    assert wait_until(healthy, 15), "stack not healthy after restart-app"


@pytest.fixture
def app():
    """A running master with its full pool, whatever the last test did."""
    if not healthy():
        restart_app()
    mpid = master_pid()
    assert wait_until(lambda: len(workers(mpid)) >= 2, 5)
    time.sleep(0.2)     # let a just-replaced worker reach accept()
    return mpid


def pool_size(mpid):
    """The configured pool size, from the scoreboard if /status answers,
    else from what is running now."""
    try:
        return int(get("/status", 3).json()["workers_target"])
    except (requests.RequestException, ValueError, KeyError, TypeError):
        return len(workers(mpid))


# --- scoreboard --------------------------------------------------------------

def test_status_shows_the_scoreboard(app):
    for _ in range(5):      # a worker may be recycling just now
        r = get("/status")
        assert r.status_code == 200
        doc = r.json()
        if {w["pid"] for w in doc["workers"]} == workers(app):
            break
        time.sleep(0.2)
    for key in ("workers", "busy", "idle", "restarts", "crash_brake",
                "generation"):
        assert key in doc, key
    assert doc["crash_brake"] is False
    assert {w["pid"] for w in doc["workers"]} == workers(app)
    for w in doc["workers"]:
        assert w["state"] in ("starting", "idle", "busy", "finishing")
        assert w["generation"] >= 1 and w["requests"] >= 0
    # /status itself is a request in progress, so at least one is busy.
    assert doc["busy"] >= 1
    assert doc["busy"] + doc["idle"] <= len(doc["workers"])
    busy = [w for w in doc["workers"] if w["state"] == "busy"]
    assert any("/status" in w["route"] for w in busy)
    # Route templates only, never a raw path with a query.
    assert all("?" not in w["route"] for w in doc["workers"])


# --- kill -9 (issue check, PROC-2) -----------------------------------------

def test_killed_worker_is_replaced_within_1s(app):
    n = pool_size(app)
    log = LogTail()
    with Loop("/ping", threads=4) as loop:
        time.sleep(1)
        # Workers recycle every ~200 requests under this load: pick one
        # that is there right now.
        for _ in range(20):
            victim = max(workers(app))
            try:
                os.kill(victim, signal.SIGKILL)
                break
            except ProcessLookupError:
                continue
        t_kill = time.monotonic()
        full = wait_until(lambda: victim not in workers(app) and
                          len(workers(app)) >= n, 1.0, 0.01)
        t_full = time.monotonic()
        time.sleep(1)
    assert full, "pool not refilled within 1 s of the kill"
    assert t_full - t_kill <= 1.0
    exits = log.wait("worker_exit", 2, pid=victim)
    assert exits and field(exits[0], "signal") == "9", exits
    assert field(exits[0], "requests") is not None
    assert field(exits[0], "peak_rss_kb") is not None
    assert field(exits[0], "last_route") is not None
    started = [line for line in log.lines("worker_started")
               if line_time(line) >= line_time(exits[0]) - 0.001]
    assert started, "no worker_started after the exit"
    assert line_time(started[0]) - line_time(exits[0]) <= 1.0
    # At most the request in flight on the victim fails.
    assert len(loop.bad()) <= 1, loop.bad()[:5]
    assert len(loop.statuses) > 50


# --- T03: slow and hung request ----------------------------------------------

def test_slow_then_hung_request_is_logged_and_killed(app):
    log = LogTail()
    with Loop("/ping", threads=1, pause=0.02) as loop:
        t0 = time.time()
        call = Call("/__test/sleep?s=60", timeout=15)
        call.join(15)
        time.sleep(0.5)
    # A read timeout here usually means nginx replayed the request on
    # another worker after the kill: with fastcgi_keep_conn it retries a
    # failed cached connection, so the stack sets a short
    # fastcgi_next_upstream_timeout.
    assert call.error is None, call.error
    assert call.status in (502, 504), call.status
    assert call.elapsed <= 9, call.elapsed

    slow = [line for line in log.lines("slow_request")
            if "/__test/sleep" in (field(line, "route") or "")]
    assert len(slow) == 1, slow
    pid = int(field(slow[0], "pid"))
    assert field(slow[0], "rid"), "slow_request without request id"
    assert abs(line_time(slow[0]) - t0 - SLOW_S) <= 0.5, slow[0]
    # USR2 made the worker log where it was.
    assert wait_until(lambda: [line for line in log.lines("pid=%d" % pid)
                               if "backtrace=" in line], 2)

    killed = log.lines("request_killed", pid=pid)
    assert killed, "no request_killed line"
    assert abs(line_time(killed[0]) - t0 - REQUEST_TIMEOUT_S) <= 1, killed[0]
    exits = log.wait("worker_exit", 3, pid=pid)
    assert exits and (field(exits[0], "signal") in ("15", "9")), exits
    assert "/__test/sleep" in field(exits[0], "last_route")
    assert not alive(pid)
    started = [line for line in log.lines("worker_started")
               if line_time(line) >= line_time(killed[0]) - 0.001]
    assert started and line_time(started[0]) - line_time(exits[0]) <= 1.0
    assert wait_until(lambda: len(workers(app)) >= pool_size(app), 2)
    assert loop.bad() == [], loop.bad()[:5]
    assert len(loop.statuses) > 20


# --- T06: client aborts ------------------------------------------------------

BIG = "/__test/big?bytes=2097152"


def abort_http(n):
    """Like `curl --max-time 0.05`: ask for 2 MiB, give up after 50 ms."""
    host, port = BASE.split("//", 1)[1].split("/")[0].rsplit(":", 1)
    for _ in range(n):
        s = socket.create_connection((host, int(port)), 2)
        try:
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close"
                       "\r\n\r\n" % (BIG, host)).encode())
            s.settimeout(0.05)
            try:
                while s.recv(65536):
                    pass
            except (socket.timeout, OSError):
                pass
        finally:
            s.close()


def abort_fcgi(n):
    """Straight to the worker: read the first bytes of the answer, then
    reset the connection, so the worker's next write fails with EPIPE or
    ECONNRESET whatever nginx buffering would have done."""
    c = fcgi.FcgiClient(SOCKET, timeout=5)
    pairs = c.build_params("GET", "/__test/big", "bytes=2097152")
    out = (fcgi.record(fcgi.FCGI_BEGIN_REQUEST,
                       struct.pack("!HB5x", fcgi.FCGI_RESPONDER, 0)) +
           fcgi.stream(fcgi.FCGI_PARAMS, fcgi.encode_params(pairs)) +
           fcgi.stream(fcgi.FCGI_STDIN, b""))
    for _ in range(n):
        s = c.connect()
        try:
            s.sendall(out)
            s.recv(4096)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        finally:
            s.close()


def test_client_abort_keeps_workers(app):
    before = workers(app)
    log = LogTail()
    with Loop("/ping", threads=1, pause=0.02) as loop:
        ts = [threading.Thread(target=abort_http, args=(50,))
              for _ in range(4)]
        ts.append(threading.Thread(target=abort_fcgi, args=(20,)))
        for t in ts:
            t.start()
        for t in ts:
            t.join(60)
        time.sleep(0.5)
    # The same workers, except for ones recycled cleanly after their
    # max_requests (200 in the test configuration): nothing died.
    exits = log.lines("worker_exit")
    assert all(field(e, "status") == "0" and
               field(e, "reason") == "max_requests" for e in exits), exits
    recycled = {int(field(e, "pid")) for e in exits}
    assert before - workers(app) <= recycled, "a worker died on an abort"
    assert not [line for line in log.lines()
                if "signal=13" in line], "SIGPIPE killed a worker"
    assert log.lines("client_gone"), "no client_gone line"
    assert loop.bad() == [], loop.bad()[:5]


# --- T05: signals to the master ------------------------------------------------

def test_hup_reloads_without_a_failed_request(app):
    n = pool_size(app)
    log = LogTail()
    with Loop("/ping", threads=8) as loop:
        time.sleep(2)
        # The workers of the moment: every one of them must go (workers
        # recycle after max_requests, so an earlier list is stale).
        old = workers(app)
        os.kill(app, signal.SIGHUP)
        t_hup = time.monotonic()
        gone = wait_until(lambda: not (workers(app) & old), 5, 0.02)
        t_gone = time.monotonic()
        left = workers(app) & old
        full = wait_until(lambda: len(workers(app)) >= n, 2, 0.02)
        time.sleep(max(0, 7 - (time.monotonic() - t_hup)))
    # What the master did after the HUP, for a failure to say.
    story = [line for line in log.lines() if "reload" in line or
             "worker_" in line][:40]
    assert gone and t_gone - t_hup <= 5, (sorted(left), story)
    assert full, (len(workers(app)), n, story)
    assert alive(app) and master_pid() == app
    assert log.lines("reload=ok")
    assert loop.bad() == [], loop.bad()[:5]
    assert len(loop.statuses) > 100


def test_quit_finishes_the_running_request_then_exits(app):
    old = workers(app)
    log = LogTail()
    call = Call("/__test/sleep?s=3")
    time.sleep(1)
    os.kill(app, signal.SIGQUIT)
    t_quit = time.monotonic()
    call.join(10)
    gone = wait_until(lambda: not alive(app), SHUTDOWN_TIMEOUT_S + 1, 0.02)
    t_gone = time.monotonic()
    try:
        assert call.error is None and call.status == 200, \
            (call.status, call.error)
        assert gone, "master still running after QUIT"
        # Right after the last request, well within shutdown_timeout.
        assert t_gone - call.done_at <= 1.0, t_gone - call.done_at
        assert t_gone - t_quit < SHUTDOWN_TIMEOUT_S
        assert not any(alive(p) for p in old)
        assert log.lines("shutdown", mode="graceful")
        assert log.lines("shutdown", phase="done")
        assert not log.lines("worker_escalate")
    finally:
        restart_app()


def test_term_cuts_the_running_request_and_exits(app):
    old = workers(app)
    log = LogTail()
    call = Call("/__test/sleep?s=3")
    time.sleep(1)
    os.kill(app, signal.SIGTERM)
    t_term = time.monotonic()
    call.join(10)
    gone = wait_until(lambda: not alive(app), 5, 0.02)
    t_gone = time.monotonic()
    try:
        assert call.error is None and call.status == 502, \
            (call.status, call.error)
        assert call.done_at - t_term < 1.5, "request not cut"
        assert gone and t_gone - t_term <= 5
        assert not any(alive(p) for p in old)
        assert log.lines("shutdown", mode="fast")
        assert log.lines("shutdown", phase="done")
    finally:
        restart_app()
