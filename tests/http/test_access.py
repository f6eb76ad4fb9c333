"""Users & access of an event (PRODUCT §4–§6, §8; issue 4 items 4–7;
RELIABILITY T19, T22, AC-3, AC-5): the Users page and a person's grant grid,
adding people (existing accounts at once, new addresses by invitation
through the .eml link), inviting from a crew record, Event Pro seats under
concurrency, presets and single grants, removal, moving, the last-admin
rule, 404 versus 403, archived events and audit entries.

Events are created through POST /orgs/{org}/events (bo.new_event): the
creator is on the host collaborator with a seat and Producer. Other
collaborators, crew records and people put straight onto an event are
written with SQL, so these tests don't lean on the pages they don't test."""

import re
import threading
import uuid

import requests

from bo import (BASE, BASE_NOLIMIT, Browser, PASSWORD, last_mail, link_with,
                mails_to, new_event, new_org, new_user, sql, sql_one,
                unique_email)
from test_core import create_token, problem

SECTIONS = ("settings", "users", "schedule", "tasks", "files", "documents",
            "advancing", "crew")


# --- helpers -----------------------------------------------------------------

def uid_of(who):
    addr = who if isinstance(who, str) else who.email
    v = sql_one(f"SELECT id FROM users WHERE email_norm = '{addr.lower()}'")
    return int(v) if v is not None else None


def host_of(ev):
    return int(sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev}"
                       f" AND is_host = 1"))


def pool_of(ev):
    return int(sql_one(f"SELECT pool_id FROM events WHERE id = {ev}"))


def org_of(ev):
    return int(sql_one(f"SELECT org_id FROM events WHERE id = {ev}"))


def new_collab(ev, name=None):
    name = name or "Vendor " + uuid.uuid4().hex[:6]
    sql(f"INSERT INTO collaborators (uuid, event_id, name, name_norm,"
        f" created_at) VALUES ('{uuid.uuid4()}', {ev}, '{name}',"
        f" LOWER('{name}'), UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev}"
                       f" AND name = '{name}'"))


def new_area(ev, name=None):
    name = name or "Stage " + uuid.uuid4().hex[:6]
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at)"
        f" VALUES ('{uuid.uuid4()}', {ev}, '{name}', LOWER('{name}'),"
        f" UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM areas WHERE event_id = {ev}"
                       f" AND name = '{name}'"))


def new_crew(ev, cid, first="Robin", email=None):
    em = f"'{email}'" if email else "NULL"
    emn = f"'{email.lower()}'" if email else "NULL"
    sql(f"INSERT INTO crew (event_id, collaborator_id, first_name, email,"
        f" email_norm, created_at) VALUES ({ev}, {cid}, '{first}', {em},"
        f" {emn}, UTC_TIMESTAMP(3))")
    return int(sql_one("SELECT MAX(id) FROM crew"))


def put_on(ev, who, cid, grants=(), seat=False):
    """Someone straight onto the event: [(domain, scope, section, level)]."""
    u = uid_of(who)
    sql(f"INSERT INTO event_users (event_id, user_id, collaborator_id,"
        f" joined_at) VALUES ({ev}, {u}, {cid}, UTC_TIMESTAMP(3))")
    if seat:
        sql(f"INSERT INTO event_seats (pool_id, event_id, user_id,"
            f" assigned_at) VALUES ({pool_of(ev)}, {ev}, {u},"
            f" UTC_TIMESTAMP(3))")
    for dom, scope, sec, lvl in grants:
        sql(f"INSERT INTO grants (event_id, user_id, domain, scope_id,"
            f" section, level, granted_at) VALUES ({ev}, {u}, '{dom}',"
            f" {scope}, '{sec}', {lvl}, UTC_TIMESTAMP(3))")
    return u


def org_member(org, b, role="member", product="org_standard"):
    pool = sql_one(f"SELECT id FROM license_pools WHERE org_id = {org} AND"
                   f" product = '{product}' ORDER BY id LIMIT 1")
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({org}, {uid_of(b)}, '{role}', {pool}, UTC_TIMESTAMP(3))")


def bare_user(tag="bare"):
    """An account that never signs in (a seat target), written with SQL."""
    addr = unique_email(tag)
    sql(f"INSERT INTO users (uuid, email, email_norm, name, password_hash,"
        f" created_at, password_changed_at) VALUES ('{uuid.uuid4()}',"
        f" '{addr}', '{addr}', 'Bare {tag}', '!', UTC_TIMESTAMP(3),"
        f" UTC_TIMESTAMP(3))")
    return addr


def level_rows(ev, who):
    return {(d, int(s), sec): int(l) for d, s, sec, l in sql(
        f"SELECT domain, scope_id, section, level FROM grants WHERE"
        f" event_id = {ev} AND user_id = {uid_of(who)}")}


def seats(ev):
    return int(sql_one(f"SELECT COUNT(*) FROM event_seats WHERE"
                       f" event_id = {ev}"))


def on_event(ev, who):
    return sql_one(f"SELECT collaborator_id FROM event_users WHERE"
                   f" event_id = {ev} AND user_id = {uid_of(who)}")


def audits(ev, action):
    return int(sql_one(f"SELECT COUNT(*) FROM audit_log WHERE event_id = {ev}"
                       f" AND action = '{action}'"))


def add(b, ev, email, cid, preset=None, seat=False, grants=None, area=None):
    b.get(f"/events/{ev}/users")
    data = {"email": email, "collaborator_id": str(cid)}
    if preset:
        data["preset"] = preset
    if seat:
        data["seat"] = "1"
    if grants is not None:
        data["grants"] = grants
    if area:
        data["area_id"] = str(area)
    return b.post(f"/events/{ev}/users", data)


def post(b, path, data=None):
    b.get("/account")
    return b.post(path, data or {})


def accept_path(addr):
    link = link_with(last_mail(addr), "/event-invitations/accept?token=")
    return link[link.index("/event-invitations/accept"):]


def form_token(text):
    return re.search(r'name="token"\s+value="([^"]+)"', text).group(1)


def api_get(b, path):
    return b.s.get(BASE_NOLIMIT + "/api/v1" + path)


def setup_event(event_pro=3, **kw):
    owner = new_user(tag="owner")
    org = new_org(owner, event_pro=event_pro, **kw)
    ev = new_event(owner, org)
    return owner, org, ev


# --- the Users page and a person's page ----------------------------------------

def test_users_page_lists_people_license_presets_and_levels():
    owner, org, ev = setup_event()
    v1 = new_collab(ev, "Sound Co")
    vendor = new_user(tag="vendor")
    put_on(ev, vendor, v1, [("collaborator", v1, "crew", 3)])

    page = owner.get(f"/events/{ev}/users")
    assert page.status_code == 200, page.text
    for s in (owner.email, vendor.email, "Producer", "Event Pro seat",
              "Free collaborator access", "Sound Co", "Add someone",
              f"/events/{ev}/users/{uid_of(vendor)}/remove"):
        assert s in page.text, s
    assert "style=" not in page.text and "<script>" not in page.text

    j = api_get(owner, f"/events/{ev}/users").json()
    people = {i["email"]: i for i in j["items"]}
    me = people[owner.email]
    assert me["license_class"] == "seat" and "Producer" in me["presets"]
    assert all(me["levels"][s] == "admin" for s in SECTIONS)
    v = people[vendor.email]
    assert v["license_class"] == "free"
    assert v["levels"]["crew"] == "none"
    assert v["collaborator_levels"]["crew"] == "admin"
    assert j["seats"] == {"quantity": 3, "used": 1, "free": 2}

    # The person page: the grid by scope, with what the actor may do.
    p = owner.get(f"/events/{ev}/users/{uid_of(vendor)}")
    assert p.status_code == 200 and "Sound Co" in p.text
    assert "Set one grant" in p.text and "Apply a preset" in p.text


def test_page_query_count_does_not_grow_with_people():
    owner, org, ev = setup_event()
    host = host_of(ev)

    def queries():
        r = owner.get(f"/events/{ev}/users")
        assert r.status_code == 200
        return int(r.headers["X-Debug-Queries"])

    queries()
    q1 = queries()
    for _ in range(5):
        put_on(ev, bare_user(), host, [("event", 0, "schedule", 1)])
    assert queries() == q1


def test_view_only_users_see_no_controls_and_get_403_on_writes():
    owner, org, ev = setup_event()
    host = host_of(ev)
    viewer = new_user(tag="viewer")
    put_on(ev, viewer, host, [("event", 0, "users", 1)], seat=True)

    page = viewer.get(f"/events/{ev}/users")
    assert page.status_code == 200 and owner.email in page.text
    me = uid_of(owner)
    for s in ("Add someone", f"/users/{me}/remove", "/seat", "/resend"):
        assert s not in page.text, s
    assert "Leave" in page.text     # their own row: leaving is theirs
    p = viewer.get(f"/events/{ev}/users/{uid_of(owner)}")
    assert p.status_code == 200
    assert "Set one grant" not in p.text and "Apply a preset" not in p.text
    r = add(viewer, ev, unique_email(), host, preset="viewer")
    assert r.status_code == 403
    r = post(viewer, f"/events/{ev}/users/{uid_of(owner)}/remove")
    assert r.status_code == 403
    assert on_event(ev, owner) is not None


# --- adding people ----------------------------------------------------------------

def test_add_existing_account_at_once_with_mail_and_audit():
    owner, org, ev = setup_event()
    host = host_of(ev)
    u = new_user(tag="existing")

    r = add(owner, ev, u.email, host, preset="viewer")
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == f"/events/{ev}/users"
    assert int(on_event(ev, u)) == host
    assert level_rows(ev, u) == {("event", 0, s): 1 for s in SECTIONS
                                 if s != "users"}
    msg = last_mail(u.email)
    assert "You were added" in msg["Subject"]
    assert f"/events/{ev}" in msg.get_content()
    assert audits(ev, "event_user.added") == 1
    # They are in at once; Viewer has no users & access.
    assert u.get(f"/events/{ev}").status_code == 200
    assert u.get(f"/events/{ev}/users").status_code == 404

    # Again, or into another collaborator: 409, move instead.
    r = add(owner, ev, u.email, host, preset="viewer")
    assert r.status_code == 409 and "already on this event" in r.text
    r = add(owner, ev, u.email, new_collab(ev), preset="vendor_contact")
    assert r.status_code == 409 and "move them" in r.text

    # Bad input: 422 with the form kept.
    r = add(owner, ev, "not-an-email", host)
    assert r.status_code == 422 and "valid email" in r.text
    r = add(owner, ev, unique_email(), 999999999)
    assert r.status_code == 422 and "collaborator of this event" in r.text
    r = add(owner, ev, unique_email(), host, preset="boss")
    assert r.status_code == 422
    r = add(owner, ev, unique_email(), host, preset="area_lead")
    assert r.status_code == 422 and "area" in r.text


def test_add_with_custom_grants_and_seat_json():
    owner, org, ev = setup_event()
    host = host_of(ev)
    u = new_user(tag="custom")
    tok = create_token(owner, "read-write")
    r = requests.post(BASE + f"/api/v1/events/{ev}/users", json={
        "email": u.email, "collaborator_id": host, "preset": "custom",
        "grants": ["event/schedule/edit", "event/crew/view",
                   f"collaborator:{host}/tasks/admin"],
        "seat": True}, headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 201, r.text
    j = r.json()
    assert j["result"] == "added" and j["seat"] is True
    assert level_rows(ev, u) == {("event", 0, "schedule"): 2,
                                 ("event", 0, "crew"): 1,
                                 ("collaborator", host, "tasks"): 3}
    assert seats(ev) == 2
    r = requests.post(BASE + f"/api/v1/events/{ev}/users", json={
        "email": unique_email(), "collaborator_id": host, "preset": "custom",
        "grants": ["planet/schedule/edit"]},
        headers={"Authorization": "Bearer " + tok})
    p = problem(r, 422, "validation-failed")
    assert p["errors"][0]["pointer"] == "/grants" or "grants" in str(p)


def test_invitation_for_a_new_account_through_the_mail_link():
    owner, org, ev = setup_event()
    v1 = new_collab(ev, "Lights Ltd")
    addr = unique_email("newcomer")

    r = add(owner, ev, addr, v1, preset="vendor_contact")
    assert r.status_code == 303, r.text
    inv = sql(f"SELECT id, status, collaborator_id FROM event_invitations"
              f" WHERE event_id = {ev} AND email_norm = '{addr}'")
    assert len(inv) == 1 and inv[0][1] == "pending"
    page = owner.get(f"/events/{ev}/users")
    assert addr in page.text and "Resend" in page.text
    assert audits(ev, "event_invitation.created") == 1
    # A second invitation to the same address: 422.
    r = add(owner, ev, addr, v1, preset="vendor_crew")
    assert r.status_code == 422 and "pending invitation" in r.text

    path = accept_path(addr)
    assert "boevinv_" in path
    b = Browser()
    r = b.get(path)
    assert r.status_code == 200 and "Create account and join" in r.text
    assert "Lights Ltd" in r.text and addr in r.text
    # GET changed nothing.
    assert sql_one(f"SELECT status FROM event_invitations WHERE"
                   f" id = {inv[0][0]}") == "pending"
    r = b.post("/event-invitations/accept", {
        "token": form_token(r.text), "name": "Nia Newcomer",
        "password": "short", "timezone": "Europe/Paris"})
    assert r.status_code == 422
    r = b.post("/event-invitations/accept", {
        "token": form_token(r.text), "name": "Nia Newcomer",
        "password": PASSWORD, "timezone": "Europe/Paris"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == f"/events/{ev}"
    b.email = addr
    assert int(on_event(ev, b)) == v1
    assert sql_one(f"SELECT email_verified_at IS NOT NULL FROM users WHERE"
                   f" email_norm = '{addr}'") == "1"
    assert level_rows(ev, b) == {
        ("collaborator", v1, "settings"): 2, ("collaborator", v1, "users"): 2,
        ("collaborator", v1, "crew"): 3, ("collaborator", v1, "advancing"): 2,
        ("collaborator", v1, "files"): 2, ("collaborator", v1, "schedule"): 2,
        ("collaborator", v1, "tasks"): 1}
    assert b.get(f"/events/{ev}").status_code == 200
    assert audits(ev, "event_invitation.accepted") == 1

    # The link is used up.
    r = Browser().get(path)
    assert r.status_code == 410 and "no longer valid" in r.text
    problem(requests.get(BASE + "/api/v1" + path), 410, "invitation-invalid")


def test_invitation_for_an_account_made_meanwhile_and_wrong_account():
    owner, org, ev = setup_event()
    host = host_of(ev)
    addr = unique_email("later")
    assert add(owner, ev, addr, host, preset="coordinator").status_code == 303
    path = accept_path(addr)

    # Someone else signed in: 409, nothing changes.
    other = new_user(tag="other")
    r = other.get(path)
    assert r.status_code == 409 and "signed in as" in r.text

    # The address gets an account by signing up on its own.
    b = Browser()
    assert b.signup(addr).status_code == 200
    # Signed out, an account exists: sign in first.
    anon = Browser()
    r = anon.get(path)
    assert r.status_code == 200 and "Sign in to accept" in r.text
    assert b.login(addr).status_code == 303
    r = b.get(path)
    assert r.status_code == 200 and "Join" in r.text
    r = b.post("/event-invitations/accept", {"token": form_token(r.text)})
    assert r.status_code == 303, r.text
    b.email = addr
    assert int(on_event(ev, b)) == host
    assert level_rows(ev, b)[("event", 0, "advancing")] == 3
    assert sql_one(f"SELECT email_verified_at IS NOT NULL FROM users WHERE"
                   f" email_norm = '{addr}'") == "1"


def test_dead_links_resend_and_revoke():
    owner, org, ev = setup_event()
    host = host_of(ev)
    addr = unique_email("dead")
    assert add(owner, ev, addr, host, preset="viewer",
               seat=True).status_code == 303
    iid = int(sql_one(f"SELECT id FROM event_invitations WHERE"
                      f" email_norm = '{addr}'"))
    assert seats(ev) == 2
    first = accept_path(addr)
    assert post(owner, f"/events/{ev}/invitations/{iid}/resend").status_code \
        == 303
    second = accept_path(addr)
    assert first != second
    assert Browser().get(first).status_code == 410
    assert Browser().get(second).status_code == 200
    assert audits(ev, "event_invitation.resent") == 1

    r = post(owner, f"/events/{ev}/invitations/{iid}/revoke")
    assert r.status_code == 303
    assert seats(ev) == 1
    assert Browser().get(second).status_code == 410
    assert post(owner, f"/events/{ev}/invitations/{iid}/revoke"
                ).status_code == 409
    assert audits(ev, "event_invitation.revoked") == 1

    # Expired: dead, and its seat no longer counts.
    addr2 = unique_email("expired")
    assert add(owner, ev, addr2, host, seat=True).status_code == 303
    path = accept_path(addr2)
    sql(f"UPDATE event_invitations SET expires_at = UTC_TIMESTAMP(3) -"
        f" INTERVAL 1 MINUTE WHERE email_norm = '{addr2}'")
    assert Browser().get(path).status_code == 410
    j = api_get(owner, f"/events/{ev}/users").json()
    assert j["seats"]["used"] == 1
    assert addr2 not in [i["email"] for i in j["invitations"]]


def test_invitation_with_a_seat_reserves_and_hands_it_over():
    owner, org, ev = setup_event(event_pro=2)
    host = host_of(ev)
    addr = unique_email("seated")
    assert add(owner, ev, addr, host, preset="producer",
               seat=True).status_code == 303
    assert sql_one(f"SELECT COUNT(*) FROM event_seats s JOIN"
                   f" event_invitations i ON i.id = s.invitation_id WHERE"
                   f" i.email_norm = '{addr}'") == "1"
    # The pool is full now: one more seat is refused.
    r = add(owner, ev, unique_email(), host, seat=True)
    assert r.status_code == 409 and "No Event Pro seat" in r.text
    b = Browser()
    r = b.get(accept_path(addr))
    r = b.post("/event-invitations/accept", {
        "token": form_token(r.text), "name": "Sam Seat", "password": PASSWORD,
        "timezone": "UTC"})
    assert r.status_code == 303, r.text
    b.email = addr
    assert sql_one(f"SELECT COUNT(*) FROM event_seats WHERE event_id = {ev}"
                   f" AND user_id = {uid_of(b)}") == "1"
    assert seats(ev) == 2
    j = api_get(b, f"/events/{ev}/users").json()
    me = [i for i in j["items"] if i["email"] == addr][0]
    assert me["license_class"] == "seat"


# --- inviting from a crew record -----------------------------------------------

def test_crew_record_invite_links_the_record():
    owner, org, ev = setup_event()
    v1 = new_collab(ev, "Catering Co")
    rec = new_crew(ev, v1, "Cleo")
    url = f"/events/{ev}/collaborators/{v1}/crew/{rec}/invite"

    page = owner.get(url)
    assert page.status_code == 200, page.text
    assert "Invite Cleo" in page.text and "Vendor contact" in page.text
    addr = unique_email("cleo")
    r = owner.post(url, {"email": addr, "preset": "vendor_contact"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == f"/events/{ev}/collaborators/{v1}/crew/{rec}"
    # The record had no email: it has now.
    assert sql_one(f"SELECT email FROM crew WHERE id = {rec}") == addr
    assert sql_one(f"SELECT crew_id FROM event_invitations WHERE"
                   f" email_norm = '{addr}'") == str(rec)

    b = Browser()
    r = b.get(accept_path(addr))
    r = b.post("/event-invitations/accept", {
        "token": form_token(r.text), "name": "Cleo Cook", "password": PASSWORD,
        "timezone": "UTC"})
    assert r.status_code == 303, r.text
    b.email = addr
    assert sql_one(f"SELECT user_id FROM crew WHERE id = {rec}") == \
        str(uid_of(b))
    assert int(on_event(ev, b)) == v1

    # An existing account: on the event at once, record linked.
    rec2 = new_crew(ev, v1, "Dee")
    u = new_user(tag="dee")
    owner.get(f"/events/{ev}/collaborators/{v1}/crew/{rec2}/invite")
    r = owner.post(f"/events/{ev}/collaborators/{v1}/crew/{rec2}/invite",
                   {"email": u.email, "preset": "vendor_crew"})
    assert r.status_code == 303, r.text
    assert sql_one(f"SELECT user_id FROM crew WHERE id = {rec2}") == \
        str(uid_of(u))
    assert int(on_event(ev, u)) == v1
    # Once on the event: 409.
    r = owner.post(f"/events/{ev}/collaborators/{v1}/crew/{rec2}/invite",
                   {"email": u.email, "preset": "vendor_crew"})
    assert r.status_code == 409


def test_vendor_contacts_invite_colleagues_as_vendor_crew_only():
    owner, org, ev = setup_event()
    v1, v2 = new_collab(ev, "V One"), new_collab(ev, "V Two")
    vc = new_user(tag="vc")
    put_on(ev, vc, v1, [("collaborator", v1, s, l) for s, l in (
        ("settings", 2), ("users", 2), ("crew", 3), ("advancing", 2),
        ("files", 2), ("schedule", 2), ("tasks", 1))])
    rec = new_crew(ev, v1, "Col", unique_email("col"))

    page = vc.get(f"/events/{ev}/collaborators/{v1}/crew/{rec}/invite")
    assert page.status_code == 200
    assert "Vendor crew" in page.text and "Producer" not in page.text
    assert 'name="seat"' not in page.text
    r = vc.post(f"/events/{ev}/collaborators/{v1}/crew/{rec}/invite",
                {"email": unique_email(), "preset": "viewer"})
    assert r.status_code == 403
    r = vc.post(f"/events/{ev}/collaborators/{v1}/crew/{rec}/invite",
                {"email": unique_email(), "preset": "vendor_crew",
                 "seat": "1"})
    assert r.status_code == 403
    colleague = new_user(tag="colleague")
    r = vc.post(f"/events/{ev}/collaborators/{v1}/crew/{rec}/invite",
                {"email": colleague.email, "preset": "vendor_crew"})
    assert r.status_code == 303, r.text
    assert level_rows(ev, colleague) == {
        ("collaborator", v1, s): 1
        for s in ("crew", "advancing", "files", "schedule")}

    # Their own collaborator's people only; another collaborator: 404.
    page = vc.get(f"/events/{ev}/users")
    assert page.status_code == 200
    assert colleague.email in page.text and owner.email not in page.text
    r = add(vc, ev, unique_email(), v1, preset="vendor_crew")
    assert r.status_code == 303, r.text
    assert add(vc, ev, unique_email(), v2,
               preset="vendor_crew").status_code == 404
    assert vc.get(f"/events/{ev}/users/{uid_of(owner)}").status_code == 404
    rec2 = new_crew(ev, v2, "Other")
    assert vc.get(f"/events/{ev}/collaborators/{v2}/crew/{rec2}/invite"
                  ).status_code == 404


# --- seats ------------------------------------------------------------------------

def test_seat_race_gives_exactly_one_seat():
    owner, org, ev = setup_event(event_pro=2)
    host = host_of(ev)
    people = [bare_user("racer") for _ in range(20)]
    for p in people:
        put_on(ev, p, host, [("event", 0, "schedule", 1)])
    owner.get(f"/events/{ev}/users")
    cookies = owner.s.cookies.get_dict()
    token = owner.csrf
    barrier = threading.Barrier(len(people))
    results = []

    def go(addr):
        s = requests.Session()
        s.cookies.update(cookies)
        barrier.wait()
        r = s.post(BASE_NOLIMIT + f"/events/{ev}/users/{uid_of(addr)}/seat",
                   data={"csrf_token": token}, headers={"Origin": BASE},
                   allow_redirects=False)
        results.append(r.status_code)

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [303] + [409] * 19, results
    assert seats(ev) == 2
    assert audits(ev, "seat.assigned") == 1


def test_seats_never_exceed_the_pool_and_lowering_below_use_is_refused():
    owner, org, ev = setup_event(event_pro=3)
    host = host_of(ev)
    a, b, c = (new_user(tag=t) for t in ("a", "b", "c"))
    for u in (a, b, c):
        put_on(ev, u, host, [("event", 0, "schedule", 1)])
    for u in (a, b):
        r = post(owner, f"/events/{ev}/users/{uid_of(u)}/seat")
        assert r.status_code == 303, r.text
    r = post(owner, f"/events/{ev}/users/{uid_of(c)}/seat")
    assert r.status_code == 409 and "No Event Pro seat" in r.text
    tok = create_token(owner, "read-write")
    problem(requests.post(BASE + f"/api/v1/events/{ev}/users/{uid_of(c)}/seat",
                          json={}, headers={"Authorization": "Bearer " + tok}),
            409, "no-seats-available")
    assert seats(ev) == 3

    # Billing: in use is the highest seat count on a bound event.
    pool = pool_of(ev)
    j = requests.get(BASE + f"/api/v1/orgs/{org}/billing",
                     headers={"Authorization": "Bearer " + tok}).json()
    p = [x for x in j["pools"] if x["id"] == pool][0]
    assert p["in_use"] == 3 and p["free"] == 0
    owner.get(f"/orgs/{org}/billing")
    r = owner.post(f"/orgs/{org}/licenses/{pool}/quantity",
                   {"quantity": "2", "confirm": "1"})
    assert r.status_code == 409 and "free 1 before lowering to 2" in r.text
    assert sql_one(f"SELECT quantity FROM license_pools WHERE id = {pool}") \
        == "3"
    # Freeing a seat makes room; then lowering to 2 works.
    assert post(owner, f"/events/{ev}/users/{uid_of(b)}/seat/free"
                ).status_code == 303
    assert audits(ev, "seat.freed") == 1
    owner.get(f"/orgs/{org}/billing")
    r = owner.post(f"/orgs/{org}/licenses/{pool}/quantity",
                   {"quantity": "2", "confirm": "1"})
    assert r.status_code == 303, r.text


def test_seats_need_event_users_admin():
    owner, org, ev = setup_event()
    host = host_of(ev)
    editor = new_user(tag="editor")
    put_on(ev, editor, host, [("event", 0, "users", 2)], seat=True)
    u = new_user(tag="u")
    put_on(ev, u, host)
    assert post(editor, f"/events/{ev}/users/{uid_of(u)}/seat"
                ).status_code == 403
    r = add(editor, ev, unique_email(), host, preset="none", seat=True)
    assert r.status_code == 403
    # But users & access edit adds people without a seat.
    r = add(editor, ev, unique_email(), host, preset="none")
    assert r.status_code == 303, r.text


# --- grants ----------------------------------------------------------------------

def test_granting_above_ones_own_level_is_refused():
    owner, org, ev = setup_event()
    host = host_of(ev)
    coord = new_user(tag="coord")
    put_on(ev, coord, host, [("event", 0, "settings", 1),
                             ("event", 0, "users", 2),
                             ("event", 0, "schedule", 2),
                             ("event", 0, "tasks", 2),
                             ("event", 0, "files", 2),
                             ("event", 0, "documents", 2),
                             ("event", 0, "advancing", 3),
                             ("event", 0, "crew", 2)], seat=True)
    u = new_user(tag="target")
    put_on(ev, u, host)
    url = f"/events/{ev}/users/{uid_of(u)}/grants"

    r = post(coord, url, {"preset": "producer"})
    assert r.status_code == 403 and "own level" in r.text
    r = post(coord, url, {"scope": "event", "section": "schedule",
                          "level": "edit"})
    assert r.status_code == 403      # single grants need admin
    assert level_rows(ev, u) == {}
    r = add(coord, ev, unique_email(), host, preset="producer")
    assert r.status_code == 403
    # Presets within their own levels: fine.
    r = add(coord, ev, unique_email(), host, preset="viewer")
    assert r.status_code == 303, r.text
    r = post(coord, url, {"preset": "viewer"})
    assert r.status_code == 303, r.text
    # Explicit grants need users & access admin.
    r = add(coord, ev, unique_email(), host, preset="custom",
            grants=["event/schedule/view"])
    assert r.status_code == 403
    # Even an admin of users & access gives no more than they have.
    sql(f"UPDATE grants SET level = 3 WHERE user_id = {uid_of(coord)}"
        f" AND section = 'users'")
    r = add(coord, ev, unique_email(), host, preset="custom",
            grants=["event/schedule/admin"])
    assert r.status_code == 403 and "own level" in r.text
    r = add(coord, ev, unique_email(), host, preset="custom",
            grants=["event/schedule/edit", "event/settings/view"])
    assert r.status_code == 303, r.text


def test_presets_raise_and_single_grants_set_exactly():
    owner, org, ev = setup_event()
    host = host_of(ev)
    area = new_area(ev, "Main Stage")
    u = new_user(tag="g")
    put_on(ev, u, host, [("event", 0, "schedule", 3)], seat=True)
    url = f"/events/{ev}/users/{uid_of(u)}/grants"

    r = post(owner, url, {"preset": "viewer"})
    assert r.status_code == 303, r.text
    rows = level_rows(ev, u)
    assert rows[("event", 0, "schedule")] == 3      # never lowered
    assert rows[("event", 0, "crew")] == 1
    r = post(owner, url, {"preset": "area_lead", "scope": f"area:{area}"})
    assert r.status_code == 303, r.text
    assert level_rows(ev, u)[("area", area, "tasks")] == 3
    r = post(owner, url, {"preset": "area_lead"})
    assert r.status_code == 422
    r = post(owner, url, {"scope": "event", "section": "schedule",
                          "level": "view"})
    assert r.status_code == 303
    assert level_rows(ev, u)[("event", 0, "schedule")] == 1
    r = post(owner, url, {"scope": "event", "section": "schedule",
                          "level": "none"})
    assert ("event", 0, "schedule") not in level_rows(ev, u)
    r = post(owner, url, {"scope": "area:999999", "section": "tasks",
                          "level": "view"})
    assert r.status_code == 422
    assert audits(ev, "grants.preset_applied") == 2
    assert audits(ev, "grant.changed") == 2
    page = owner.get(f"/events/{ev}/users/{uid_of(u)}")
    assert "Area Main Stage" in page.text


def test_capped_grants_are_kept_and_marked():
    owner, org, ev = setup_event()
    v1 = new_collab(ev, "Capped Co")
    u = new_user(tag="capped")
    put_on(ev, u, v1)
    r = post(owner, f"/events/{ev}/users/{uid_of(u)}/grants",
             {"scope": "event", "section": "schedule", "level": "edit"})
    assert r.status_code == 303, r.text
    page = owner.get(f"/events/{ev}/users/{uid_of(u)}")
    assert "Capped by license" in page.text
    j = api_get(owner, f"/events/{ev}/users/{uid_of(u)}").json()
    ev_row = [row for row in j["rows"] if row["domain"] == "event"][0]
    cell = [c for c in ev_row["cells"] if c["section"] == "schedule"][0]
    assert cell["granted"] == "edit" and cell["capped"] is True
    assert cell["effective"] == "none"
    # A seat lifts the cap.
    assert post(owner, f"/events/{ev}/users/{uid_of(u)}/seat"
                ).status_code == 303
    j = api_get(owner, f"/events/{ev}/users/{uid_of(u)}").json()
    ev_row = [row for row in j["rows"] if row["domain"] == "event"][0]
    cell = [c for c in ev_row["cells"] if c["section"] == "schedule"][0]
    assert cell["capped"] is False and cell["effective"] == "edit"


# --- removal, moving, last admin --------------------------------------------------

def test_removal_takes_effect_on_the_next_request():
    owner, org, ev = setup_event()
    host = host_of(ev)
    u = new_user(tag="removed")
    assert add(owner, ev, u.email, host, preset="producer",
               seat=True).status_code == 303
    assert u.get(f"/events/{ev}").status_code == 200
    assert u.get(f"/events/{ev}/users").status_code == 200
    r = post(owner, f"/events/{ev}/users/{uid_of(u)}/remove")
    assert r.status_code == 303, r.text
    # Their open session: the next request is a 404.
    assert u.get(f"/events/{ev}").status_code == 404
    assert u.get(f"/events/{ev}/users").status_code == 404
    assert level_rows(ev, u) == {} and on_event(ev, u) is None
    assert seats(ev) == 1
    assert audits(ev, "event_user.removed") == 1
    assert post(owner, f"/events/{ev}/users/{uid_of(u)}/remove"
                ).status_code == 404


def test_last_admin_is_kept():
    owner, org, ev = setup_event()
    host = host_of(ev)
    me = uid_of(owner)
    r = post(owner, f"/events/{ev}/users/{me}/remove")
    assert r.status_code == 409 and "users and access" in r.text
    r = post(owner, f"/events/{ev}/users/{me}/grants",
             {"scope": "event", "section": "users", "level": "edit"})
    assert r.status_code == 409
    r = post(owner, f"/events/{ev}/users/{me}/seat/free")
    assert r.status_code == 409
    tok = create_token(owner, "read-write")
    problem(requests.post(BASE + f"/api/v1/events/{ev}/users/{me}/remove",
                          json={}, headers={"Authorization": "Bearer " + tok}),
            409, "last-admin")
    assert on_event(ev, owner) is not None and seats(ev) == 1

    # A capped admin does not count; a seated one does.
    other = new_user(tag="second")
    put_on(ev, other, host, [("event", 0, "users", 3)])
    assert post(owner, f"/events/{ev}/users/{me}/remove").status_code == 409
    assert post(owner, f"/events/{ev}/users/{uid_of(other)}/seat"
                ).status_code == 303
    r = post(owner, f"/events/{ev}/users/{me}/remove")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert audits(ev, "event_user.left") == 1
    # The org owner can still open Users & access, and recover.
    assert owner.get(f"/events/{ev}/users").status_code == 200


def test_move_deletes_grants_of_the_old_collaborator():
    owner, org, ev = setup_event()
    v1, v2 = new_collab(ev, "Move From"), new_collab(ev, "Move To")
    u = new_user(tag="mover")
    put_on(ev, u, v1, [("collaborator", v1, "crew", 3),
                       ("event", 0, "schedule", 1)])
    rec = new_crew(ev, v1, "Mo")
    sql(f"UPDATE crew SET user_id = {uid_of(u)} WHERE id = {rec}")
    ver = sql_one(f"SELECT version FROM event_users WHERE event_id = {ev}"
                  f" AND user_id = {uid_of(u)}")
    r = post(owner, f"/events/{ev}/users/{uid_of(u)}/move",
             {"collaborator_id": str(v2), "preset": "vendor_crew",
              "version": ver})
    assert r.status_code == 303, r.text
    assert int(on_event(ev, u)) == v2
    rows = level_rows(ev, u)
    assert ("collaborator", v1, "crew") not in rows
    assert rows[("event", 0, "schedule")] == 1
    assert rows[("collaborator", v2, "crew")] == 1
    assert sql_one(f"SELECT user_id FROM crew WHERE id = {rec}") is None or \
        sql_one(f"SELECT user_id FROM crew WHERE id = {rec}") == "NULL"
    assert audits(ev, "event_user.moved") == 1
    # A stale form: 409.
    r = post(owner, f"/events/{ev}/users/{uid_of(u)}/move",
             {"collaborator_id": str(v1), "version": ver})
    assert r.status_code == 409


# --- who gets in --------------------------------------------------------------------

def test_org_admin_not_on_the_event_reaches_users_and_access_only():
    owner, org, ev = setup_event()
    host = host_of(ev)
    admin = new_user(tag="orgadmin")
    org_member(org, admin, role="admin")
    rec = new_crew(ev, host, "Hal")
    assert admin.get(f"/events/{ev}/users").status_code == 200
    assert admin.get(f"/events/{ev}/users/{uid_of(owner)}").status_code == 200
    assert admin.get(f"/events/{ev}").status_code == 404
    assert admin.get(f"/events/{ev}/collaborators/{host}/crew/{rec}/invite"
                     ).status_code == 404
    # They may bring themselves in with a seat and any access.
    r = add(admin, ev, admin.email, host, preset="producer", seat=True)
    assert r.status_code == 303, r.text
    assert admin.get(f"/events/{ev}").status_code == 200


def test_member_of_another_org_gets_404():
    owner, org, ev = setup_event()
    host = host_of(ev)
    stranger = new_user(tag="stranger")
    new_org(stranger)
    for path in (f"/events/{ev}/users", f"/events/{ev}/users/{uid_of(owner)}"):
        assert stranger.get(path).status_code == 404
    assert add(stranger, ev, unique_email(), host).status_code == 404
    assert post(stranger, f"/events/{ev}/users/{uid_of(owner)}/seat/free"
                ).status_code == 404
    assert post(stranger, f"/events/{ev}/users/{uid_of(owner)}/remove"
                ).status_code == 404


def test_archived_event_refuses_writes():
    owner, org, ev = setup_event()
    host = host_of(ev)
    u = new_user(tag="arch")
    put_on(ev, u, host)
    addr = unique_email("archinv")
    assert add(owner, ev, addr, host).status_code == 303
    iid = sql_one(f"SELECT id FROM event_invitations WHERE"
                  f" email_norm = '{addr}'")
    path = accept_path(addr)
    rec = new_crew(ev, host, "Arc")
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")

    page = owner.get(f"/events/{ev}/users")
    assert page.status_code == 200 and "Add someone" not in page.text
    tok = create_token(owner, "read-write")
    h = {"Authorization": "Bearer " + tok}
    for path_, body in (
            (f"/events/{ev}/users", {"email": unique_email(),
                                     "collaborator_id": host}),
            (f"/events/{ev}/users/{uid_of(u)}/seat", {}),
            (f"/events/{ev}/users/{uid_of(owner)}/seat/free", {}),
            (f"/events/{ev}/users/{uid_of(u)}/remove", {}),
            (f"/events/{ev}/users/{uid_of(u)}/grants",
             {"preset": "viewer"}),
            (f"/events/{ev}/invitations/{iid}/revoke", {}),
            (f"/events/{ev}/collaborators/{host}/crew/{rec}/invite",
             {"email": unique_email()})):
        problem(requests.post(BASE + "/api/v1" + path_, json=body, headers=h),
                409, "event-archived")
    b = Browser()
    r = b.get(path)
    r = b.post("/event-invitations/accept", {
        "token": form_token(r.text), "name": "Late", "password": PASSWORD,
        "timezone": "UTC"})
    assert r.status_code == 409
    assert on_event(ev, u) is not None and seats(ev) == 1


def test_anonymous_is_sent_to_sign_in():
    owner, org, ev = setup_event()
    r = Browser().get(f"/events/{ev}/users")
    assert r.status_code == 303 and "/login" in r.headers["Location"]
    problem(requests.get(BASE + f"/api/v1/events/{ev}/users"), 401)


def test_org_pro_member_joins_as_producer_without_a_seat():
    owner, org, ev = setup_event()
    pro = new_user(tag="pro")
    org_member(org, pro, product="org_pro")
    page = pro.get(f"/events/{ev}/users")
    assert page.status_code == 200 and "Join event" in page.text
    r = post(pro, f"/events/{ev}/join")
    assert r.status_code == 303 and r.headers["Location"] == f"/events/{ev}"
    assert int(on_event(ev, pro)) == host_of(ev)
    assert all(level_rows(ev, pro)[("event", 0, s)] == 3 for s in SECTIONS)
    assert seats(ev) == 1
    assert audits(ev, "event_user.joined") == 1
    # Narrowed later, joining again restores nothing.
    sql(f"UPDATE grants SET level = 1 WHERE user_id = {uid_of(pro)}"
        f" AND section = 'tasks'")
    assert post(pro, f"/events/{ev}/join").status_code == 303
    assert level_rows(ev, pro)[("event", 0, "tasks")] == 1
    assert audits(ev, "event_user.joined") == 1
    j = api_get(pro, f"/events/{ev}/users").json()
    me = [i for i in j["items"] if i["email"] == pro.email][0]
    assert me["license_class"] == "org_pro"

    # An org admin on Org Standard: add yourself with a seat instead.
    admin = new_user(tag="stdadmin")
    org_member(org, admin, role="admin")
    assert post(admin, f"/events/{ev}/join").status_code == 403
    std = new_user(tag="std")
    org_member(org, std)
    assert post(std, f"/events/{ev}/join").status_code == 404


def test_a_lowered_grant_applies_to_the_next_request():
    owner, org, ev = setup_event()
    host = host_of(ev)
    editor = new_user(tag="lowered")
    put_on(ev, editor, host, [("event", 0, "users", 2),
                              ("event", 0, "schedule", 1)], seat=True)
    assert add(editor, ev, unique_email(), host,
               preset="none").status_code == 303
    r = post(owner, f"/events/{ev}/users/{uid_of(editor)}/grants",
             {"scope": "event", "section": "users", "level": "view"})
    assert r.status_code == 303, r.text
    r = editor.post(f"/events/{ev}/users", {"email": unique_email(),
                                            "collaborator_id": str(host),
                                            "preset": "none"})
    assert r.status_code == 403
    assert editor.get(f"/events/{ev}/users").status_code == 200
