"""The permission matrix (issue 4): every route of the application, read
from `backopsd routes`, requested by every persona of world.py; each
answer must be the status in EXPECTED. A route without a row fails the
test, so a new route cannot ship without deciding who may use it.

Requests are real: GETs read; POSTs carry the persona's CSRF token and an
empty form, so allowed personas reach validation (422) or a conflict
rather than changing the world, except the rows in LAST, which run after
everything else in the order given.

Set BO_MATRIX_DUMP=1 to print the observed table instead of checking."""

import os
import subprocess

import pytest

import glob
import importlib

from bo import BIN, BASE, BASE_NOLIMIT, sql_one
from world import build_world, put_on_event, new_user, add_member, uid_of

from matrix_common import P, row


# Reviewed against PRODUCT §3–§8 and RELIABILITY AC-3: 404 where the
# persona may not see the object (another tenant, an event they are not
# on, another vendor's collaborator), 403 where they see it but the action
# needs more, 401/303 for anonymous callers, 409/410/422 where the request
# reaches the handler and is refused on its merits.
EXPECTED = {
    "GET /ping": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /status": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /": row(200, 303, 200, 200, 200, 200, 200, 200, 303),
    "GET /login": row(200, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /login": row(422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /signup": row(200, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /signup": row(422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /verify": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "POST /verify": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "POST /account/verify/resend": row(401, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /password/forgot": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /password/forgot": row(422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /password/reset": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "POST /password/reset": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "GET /account": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /account/password": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /account/password": row(401, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /account/sessions/delete-others": row(401, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /account/sessions/{id}/delete": row(401, 404, 404, 404, 404, 404, 404, 404, 404),
    "GET /account/tokens": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /account/tokens": row(401, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /account/tokens/{id}/revoke": row(401, 404, 404, 404, 404, 404, 404, 404, 404),
    "GET /orgs/new": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /orgs": row(401, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /workspace": row(401, 400, 400, 400, 400, 400, 400, 400, 400),
    "GET /orgs/{org}": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "GET /orgs/{org}/audit": row(303, 200, 403, 403, 403, 404, 404, 404, 404),
    "GET /orgs/{org}/members": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "POST /orgs/{org}/members/{user}/role": row(401, 422, 403, 403, 403, 404, 404, 404, 404),
    "POST /orgs/{org}/members/{user}/license": row(401, 422, 403, 403, 403, 404, 404, 404, 404),
    "GET /orgs/{org}/invitations": row(303, 200, 403, 403, 403, 404, 404, 404, 404),
    "POST /orgs/{org}/invitations": row(401, 422, 403, 403, 403, 404, 404, 404, 404),
    "POST /orgs/{org}/invitations/{id}/resend": row(401, 404, 403, 403, 403, 404, 404, 404, 404),
    "POST /orgs/{org}/invitations/{id}/revoke": row(401, 404, 403, 403, 403, 404, 404, 404, 404),
    "GET /invitations/accept": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "POST /invitations/accept": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "GET /orgs/{org}/billing": row(303, 200, 403, 403, 403, 404, 404, 404, 404),
    "POST /orgs/{org}/licenses": row(401, 422, 403, 403, 403, 404, 404, 404, 404),
    "POST /orgs/{org}/licenses/{pool}/quantity": row(401, 422, 403, 403, 403, 404, 404, 404, 404),
    "GET /orgs/{org}/events": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "GET /orgs/{org}/events/new": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "POST /orgs/{org}/events": row(401, 422, 422, 422, 422, 404, 404, 404, 404),
    "GET /events/{event}": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/settings": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    "POST /events/{event}/settings": row(401, 422, 403, 404, 403, 403, 404, 404, 404),
    "GET /events/{event}/audit": row(303, 200, 403, 404, 404, 403, 404, 404, 404),
    "GET /events/{event}/areas": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    "POST /events/{event}/areas": row(401, 422, 403, 404, 403, 403, 404, 404, 404),
    "GET /events/{event}/areas/{area}": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    "POST /events/{event}/areas/{area}": row(401, 422, 403, 404, 403, 403, 404, 404, 404),
    "POST /events/{event}/areas/{area}/delete": row(401, 422, 403, 404, 403, 403, 404, 404, 404),
    "GET /events/{event}/collaborators": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "POST /events/{event}/collaborators": row(401, 422, 403, 404, 403, 422, 403, 403, 404),
    "GET /events/{event}/collaborators/new": row(303, 200, 403, 404, 403, 200, 403, 403, 404),
    "GET /events/{event}/collaborators/{c}": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
    "POST /events/{event}/collaborators/{c}": row(401, 422, 403, 404, 403, 422, 422, 404, 404),
    "GET /events/{event}/collaborators/{c}/settings": row(303, 200, 403, 404, 403, 200, 200, 404, 404),
    "GET /events/{event}/collaborators/{c}/delete": row(303, 200, 403, 404, 403, 403, 403, 404, 404),
    "POST /events/{event}/collaborators/{c}/delete": row(401, 409, 403, 404, 403, 403, 403, 404, 404),
    "GET /events/{event}/collaborators/{c}/crew": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
    "POST /events/{event}/collaborators/{c}/crew": row(401, 422, 403, 404, 403, 422, 422, 404, 404),
    "GET /events/{event}/collaborators/{c}/crew/new": row(303, 200, 403, 404, 403, 200, 200, 404, 404),
    "GET /events/{event}/collaborators/{c}/crew/{id}": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
    "POST /events/{event}/collaborators/{c}/crew/{id}": row(401, 422, 403, 404, 403, 422, 422, 404, 404),
    "GET /events/{event}/users": row(303, 200, 200, 404, 404, 200, 200, 200, 404),
    "POST /events/{event}/users": row(401, 422, 422, 404, 404, 422, 422, 422, 404),
    "GET /events/{event}/users/{user}": row(303, 200, 200, 404, 404, 200, 200, 404, 404),
    "POST /events/{event}/users/{user}/grants": row(401, 422, 422, 404, 404, 422, 422, 404, 404),
    "POST /events/{event}/users/{user}/seat": row(401, 303, 403, 404, 404, 403, 404, 404, 404),
    "POST /events/{event}/users/{user}/seat/free": row(401, 303, 403, 404, 404, 403, 404, 404, 404),
    "POST /events/{event}/users/{user}/move": row(401, 422, 403, 404, 404, 403, 403, 404, 404),
    "POST /events/{event}/invitations/{id}/resend": row(401, 404, 404, 404, 404, 404, 404, 404, 404),
    "POST /events/{event}/invitations/{id}/revoke": row(401, 404, 404, 404, 404, 404, 404, 404, 404),
    "GET /events/{event}/collaborators/{c}/crew/{id}/invite": row(303, 200, 403, 404, 403, 403, 200, 404, 404),
    "POST /events/{event}/collaborators/{c}/crew/{id}/invite": row(401, 422, 403, 404, 403, 403, 422, 404, 404),
    "GET /event-invitations/accept": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "POST /event-invitations/accept": row(410, 410, 410, 410, 410, 410, 410, 410, 410),
    "GET /docs": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /docs/{slug*}": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /orgs/{org}/licenses/{pool}/close": row(401, 409, 403, 403, 403, 404, 404, 404, 404),
    "POST /events/{event}/collaborators/{c}/crew/{id}/delete": row(401, 303, 404, 404, 404, 404, 404, 404, 404),
    "POST /events/{event}/users/{user}/remove": row(401, 303, 404, 404, 404, 404, 404, 404, 404),
    "POST /orgs/{org}/members/{user}/remove": row(401, 303, 403, 403, 403, 404, 404, 404, 404),
    "POST /events/{event}/archive": row(401, 303, 403, 404, 403, 403, 404, 404, 404),
    "POST /events/{event}/restore": row(401, 303, 403, 404, 403, 403, 404, 404, 404),
    "POST /events/{event}/join": row(401, 303, 303, 404, 303, 303, 303, 303, 404),
    "POST /orgs/{org}/leave": row(401, 409, 303, 303, 303, 404, 404, 404, 404),
    "POST /logout": row(401, 303, 303, 303, 303, 303, 303, 303, 303),
}

# Feature modules (tests/http/matrix_<feature>.py) add their own rows:
# ROWS (same shape as EXPECTED), optionally prepare(w) to add objects to
# the world and subs(path, w) returning {placeholder: value} overrides for
# their routes. They share P and row() from matrix_common.
FEATURES = [importlib.import_module(os.path.basename(f)[:-3]) for f in
            sorted(glob.glob(os.path.join(os.path.dirname(__file__),
                                          "matrix_*.py")))
            if not f.endswith("matrix_common.py")]
for _m in FEATURES:
    for _k, _v in _m.ROWS.items():
        assert _k not in EXPECTED, f"{_k} has two rows"
        EXPECTED[_k] = _v

LAST = [
    "POST /orgs/{org}/licenses/{pool}/close",
    "POST /events/{event}/collaborators/{c}/crew/{id}/delete",
    "POST /events/{event}/users/{user}/remove",
    "POST /orgs/{org}/members/{user}/remove",
    "POST /events/{event}/archive",
    "POST /events/{event}/restore",
    "POST /events/{event}/join",
    "POST /orgs/{org}/leave",
    "POST /logout",
]


def routes():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for line in out.splitlines():
        method, pattern = line.split()[:2]
        if pattern.startswith("/__test/"):
            continue
        found.append(f"{method} {pattern}")
    return found


@pytest.fixture(scope="module")
def world():
    w = build_world()
    # Targets the member/user routes act on, so no persona loses access
    # mid-matrix.
    w.mtarget = new_user(tag="mtarget")
    add_member(w.org, w.mtarget, "member", "org_standard")
    w.etarget = new_user(tag="etarget")
    put_on_event(w.event, w.etarget, w.v1,
                 [("collaborator", w.v1, "crew", 1)])
    for m in FEATURES:
        if hasattr(m, "prepare"):
            m.prepare(w)
    return w


def url(route, w):
    path = route.split(" ", 1)[1]
    subs = {"{org}": w.org, "{event}": w.event, "{area}": w.area,
            "{c}": w.v1, "{pool}": w.pool, "{slug*}": "getting-started",
            "{date}": "2027-07-02"}
    if "/members/{user}" in path:
        subs["{user}"] = uid_of(w.mtarget)
    elif "{user}" in path:
        subs["{user}"] = uid_of(w.etarget)
    if "/crew/{id}" in path:
        subs["{id}"] = w.crew_v1
    else:
        subs["{id}"] = 999999999
    for m in FEATURES:
        if hasattr(m, "subs"):
            subs.update(m.subs(path, w) or {})
    for k, v in subs.items():
        path = path.replace(k, str(v))
    return path


def request(b, route, path):
    method = route.split(" ", 1)[0]
    if method == "GET":
        r = b.s.get(BASE_NOLIMIT + path, allow_redirects=False)
    else:
        data = {"csrf_token": b.csrf} if b.csrf else {}
        r = b.s.post(BASE_NOLIMIT + path, data=data, allow_redirects=False,
                     headers={"Origin": BASE})
    return r.status_code


def test_every_route_has_a_row():
    missing = [r for r in routes() if r not in EXPECTED]
    assert not missing, "routes without a permission row: %s" % missing


def test_permission_matrix(world):
    order = [r for r in routes() if r not in LAST] + \
        [r for r in LAST if r in routes()]
    # Each persona needs a CSRF token from a page it may open.
    for name, b in world.personas.items():
        b.get("/account" if name != "anon" else "/login")
    observed = {}
    for route in order:
        path = url(route, world)
        observed[route] = {name: request(world.personas[name], route, path)
                           for name in P}
    if os.environ.get("BO_MATRIX_DUMP"):
        for route in order:
            print(f'    "{route}": row(' + ", ".join(
                str(observed[route][n]) for n in P) + "),")
        pytest.skip("dumped")
    bad = []
    for route in order:
        want = EXPECTED.get(route)
        if want is None:
            continue
        for name in P:
            if observed[route][name] != want[name]:
                bad.append(f"{route} as {name}: got "
                           f"{observed[route][name]}, want {want[name]}")
    assert not bad, "\n".join(bad)
