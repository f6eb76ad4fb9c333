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

from bo import BIN, BASE, BASE_NOLIMIT, sql_one
from world import build_world, put_on_event, new_user, add_member, uid_of

P = ("anon", "owner", "orgpro", "std_noseat", "std_view", "seat", "v1",
     "v2", "other")


def row(*codes):
    assert len(codes) == len(P)
    return dict(zip(P, codes))


def same(code):
    return row(*[code] * len(P))


# Shorthands: signed-in users only (anonymous GET → 303 to /login,
# anonymous POST → 401).
def user_only(*codes):
    return row(*codes)


EXPECTED = {
    # --- public and account -------------------------------------------
    "GET /": row(200, 303, 200, 200, 200, 200, 200, 200, 303),
    "GET /login": row(200, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /login": row(422, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /logout": row(401, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /signup": row(200, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /signup": same(422),
    "GET /verify": same(410),
    "POST /verify": same(410),
    "POST /account/verify/resend": row(401, 303, 303, 303, 303, 303, 303,
                                       303, 303),
    "GET /password/forgot": same(200),
    "POST /password/forgot": same(422),
    "GET /password/reset": same(410),
    "POST /password/reset": same(410),
    "GET /account": row(303, *[200] * 8),
    "GET /account/password": row(303, *[200] * 8),
    "POST /account/password": row(401, *[422] * 8),
    "POST /account/sessions/delete-others": row(401, *[422] * 8),
    "POST /account/sessions/{id}/delete": row(401, *[404] * 8),
    "GET /account/tokens": row(303, *[200] * 8),
    "POST /account/tokens": row(401, *[422] * 8),
    "POST /account/tokens/{id}/revoke": row(401, *[404] * 8),
    "GET /docs": same(200),
    "GET /docs/{slug*}": same(200),
    "GET /ping": same(200),
    "GET /status": same(200),
    "GET /invitations/accept": same(410),
    "POST /invitations/accept": same(410),
    "GET /event-invitations/accept": same(410),
    "POST /event-invitations/accept": same(410),
}

# Filled in below from the reviewed observations of the org and event
# routes.
EXPECTED.update({})

LAST = [
    "POST /orgs/{org}/licenses/{pool}/close",
    "POST /events/{event}/collaborators/{c}/crew/{id}/delete",
    "POST /events/{event}/users/{user}/remove",
    "POST /orgs/{org}/members/{user}/remove",
    "POST /events/{event}/archive",
    "POST /events/{event}/restore",
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
    return w


def url(route, w):
    path = route.split(" ", 1)[1]
    subs = {"{org}": w.org, "{event}": w.event, "{area}": w.area,
            "{c}": w.v1, "{pool}": w.pool, "{slug*}": "getting-started"}
    if "/members/{user}" in path:
        subs["{user}"] = uid_of(w.mtarget)
    elif "{user}" in path:
        subs["{user}"] = uid_of(w.etarget)
    if "/crew/{id}" in path:
        subs["{id}"] = w.crew_v1
    else:
        subs["{id}"] = 999999999
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
