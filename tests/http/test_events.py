"""Events and areas (PRODUCT §4–§7, §20): creation with its host
collaborator, event user, seat and Producer grants, refused without Event
Pro or a free seat; codes, dates and zones; the list with its Archived
view; settings with version checks; archive and restore; areas; tenancy
(another organization's events are 404) and view-only users (no edit
controls, 403 on writes); the event audit log."""

import re

import requests

from bo import (BASE, new_event, new_org, new_user, sql, sql_one)
from test_core import create_token, problem

PRODUCER = {"settings", "users", "schedule", "tasks", "files", "documents",
            "advancing", "crew"}


def uid(b):
    return int(sql_one(f"SELECT id FROM users WHERE email_norm = '{b.email}'"))


def count(query):
    return int(sql_one(query))


def api(tok):
    return {"Authorization": "Bearer " + tok}


def pool_of(org):
    return int(sql_one(f"SELECT id FROM license_pools WHERE org_id = {org} "
                       f"AND product = 'event_pro' ORDER BY id LIMIT 1"))


def add_pool(org, quantity, label=None):
    lab = f"'{label}'" if label else "NULL"
    sql(f"INSERT INTO license_pools (org_id, product, quantity, label, "
        f"created_at) VALUES ({org}, 'event_pro', {quantity}, {lab}, "
        f"UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT MAX(id) FROM license_pools WHERE org_id = "
                       f"{org}"))


def personal_org(b):
    return int(sql_one(f"SELECT o.id FROM orgs o JOIN users u ON "
                       f"u.id = o.personal_user_id WHERE u.email_norm = "
                       f"'{b.email}'"))


def add_member(org, b, role="member", product="org_standard"):
    pool = sql_one(f"SELECT id FROM license_pools WHERE org_id = {org} AND "
                   f"product = '{product}' ORDER BY id LIMIT 1")
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({org}, {uid(b)}, '{role}', {pool}, UTC_TIMESTAMP(3))")


def host_of(ev):
    return int(sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev} "
                       f"AND is_host = 1"))


def put_on_event(ev, b, grants, seat=True):
    """Make b an event user on the host collaborator with the given
    (domain, scope, section, level) grants, written with SQL."""
    u = uid(b)
    sql(f"INSERT INTO event_users (event_id, user_id, collaborator_id, "
        f"joined_at) VALUES ({ev}, {u}, {host_of(ev)}, UTC_TIMESTAMP(3))")
    if seat:
        pool = sql_one(f"SELECT pool_id FROM events WHERE id = {ev}")
        sql(f"INSERT INTO event_seats (pool_id, event_id, user_id, "
            f"assigned_at) VALUES ({pool}, {ev}, {u}, UTC_TIMESTAMP(3))")
    for dom, scope, sec, lvl in grants:
        sql(f"INSERT INTO grants (event_id, user_id, domain, scope_id, "
            f"section, level, granted_at) VALUES ({ev}, {u}, '{dom}', "
            f"{scope}, '{sec}', {lvl}, UTC_TIMESTAMP(3))")


VIEWER = [("event", 0, s, 1) for s in sorted(PRODUCER - {"users"})]


def create(b, org, **fields):
    data = {"name": "Show", "start_date": "2027-06-10",
            "end_date": "2027-06-12", "timezone": "Europe/Amsterdam"}
    data.update({k: str(v) for k, v in fields.items()})
    b.get(f"/orgs/{org}/events/new")
    return b.post(f"/orgs/{org}/events", data)


def new_area(b, ev, name, **fields):
    b.get(f"/events/{ev}/areas")
    r = b.post(f"/events/{ev}/areas", dict(name=name, **fields))
    assert r.status_code == 303, r.text
    return int(r.headers["Location"].rsplit("/", 1)[1])


def area_version(area):
    return int(sql_one(f"SELECT version FROM areas WHERE id = {area}"))


def event_version(ev):
    return int(sql_one(f"SELECT version FROM events WHERE id = {ev}"))


def settings_data(ev, **over):
    name, code, tz, start, end, ver = sql(
        f"SELECT name, code, timezone, start_date, end_date, version "
        f"FROM events WHERE id = {ev}")[0]
    d = {"name": name, "code": code, "timezone": tz, "start_date": start,
         "end_date": end, "version": ver}
    d.update(over)
    return d


# --- creation -------------------------------------------------------------------

def test_creation_refused_without_event_pro():
    owner = new_user()
    org = new_org(owner, event_pro=0)
    before = count("SELECT COUNT(*) FROM events")
    page = owner.get(f"/orgs/{org}/events/new")
    assert page.status_code == 200
    assert "An Event Pro license is needed" in page.text
    assert f'href="/orgs/{org}/billing"' in page.text
    assert 'name="start_date"' not in page.text     # no form
    r = create(owner, org, name="Nope")
    assert r.status_code == 403
    assert "Event Pro license is needed" in r.text
    assert f'href="/orgs/{org}/billing"' in r.text
    # A pool of 0 is no better.
    add_pool(org, 0)
    assert "An Event Pro license is needed" in owner.get(
        f"/orgs/{org}/events/new").text
    tok = create_token(owner, "read-write")
    p = problem(requests.post(BASE + f"/api/v1/orgs/{org}/events", json={
        "name": "Nope", "start_date": "2027-01-01",
        "end_date": "2027-01-02"}, headers=api(tok)), 403,
        "insufficient-permission")
    assert "Event Pro" in p["detail"] and f"/orgs/{org}/billing" in p["detail"]
    assert count("SELECT COUNT(*) FROM events") == before
    # A member is told to ask an admin (no billing link).
    m = new_user()
    add_member(org, m)
    page = m.get(f"/orgs/{org}/events/new")
    assert "Ask an owner or admin" in page.text
    assert f'href="/orgs/{org}/billing"' not in page.text


def test_creation_refused_when_no_seat_is_left():
    owner = new_user()
    org = new_org(owner, event_pro=1)
    empty = add_pool(org, 0, "spent")
    before = [count("SELECT COUNT(*) FROM events"),
              count("SELECT COUNT(*) FROM collaborators"),
              count("SELECT COUNT(*) FROM event_seats")]
    r = create(owner, org, name="No seat", pool_id=empty)
    assert r.status_code == 409 and "no licenses left" in r.text
    tok = create_token(owner, "read-write")
    problem(requests.post(BASE + f"/api/v1/orgs/{org}/events", json={
        "name": "No seat", "start_date": "2027-01-01",
        "end_date": "2027-01-02", "pool_id": empty}, headers=api(tok)),
        409, "no-seats-available")
    assert [count("SELECT COUNT(*) FROM events"),
            count("SELECT COUNT(*) FROM collaborators"),
            count("SELECT COUNT(*) FROM event_seats")] == before
    # The form offers only the usable pool, hidden as the only one.
    page = owner.get(f"/orgs/{org}/events/new").text
    assert f'name="pool_id" value="{pool_of(org)}"' in page
    assert "spent" not in page


def test_created_with_host_collaborator_event_user_seat_and_grants():
    owner = new_user()
    org = new_org(owner, name="Wonder Fest Ltd", event_pro=2)
    r = create(owner, org, name="Wonder Fest", venue_name="The Park",
               venue_address="1 Park Lane\nTown",
               description="Hello **crew**")
    assert r.status_code == 303, r.text
    ev = int(re.match(r"^/events/(\d+)$", r.headers["Location"]).group(1))
    u = uid(owner)
    row = sql(f"SELECT org_id, pool_id, status, created_by, code, timezone, "
              f"venue_address FROM events WHERE id = {ev}")[0]
    assert row[:6] == [str(org), str(pool_of(org)), "active", str(u),
                       "wonder-fest", "Europe/Amsterdam"]
    assert row[6] == "1 Park Lane\\nTown"
    host = sql(f"SELECT id, name, is_host FROM collaborators "
               f"WHERE event_id = {ev}")
    assert len(host) == 1 and host[0][1:] == ["Wonder Fest Ltd", "1"]
    hid = int(host[0][0])
    assert sql(f"SELECT user_id, collaborator_id FROM event_users "
               f"WHERE event_id = {ev}") == [[str(u), str(hid)]]
    assert sql(f"SELECT pool_id, user_id FROM event_seats WHERE event_id = "
               f"{ev}") == [[str(pool_of(org)), str(u)]]
    grants = sql(f"SELECT domain, scope_id, section, level, preset FROM "
                 f"grants WHERE event_id = {ev} AND user_id = {u}")
    ev_grants = {g[2] for g in grants if g[0] == "event" and g[1] == "0"
                 and g[3] == "3" and g[4] == "producer"}
    assert ev_grants == PRODUCER
    scope = {g[2] for g in grants if g[0] == "collaborator" and
             g[1] == str(hid) and g[3] == "3"}
    assert scope == PRODUCER and len(grants) == 16
    assert count(f"SELECT COUNT(*) FROM audit_log WHERE event_id = {ev} "
                 f"AND action = 'event.created'") == 1
    page = owner.get(f"/events/{ev}")
    assert page.status_code == 200
    assert "Wonder Fest" in page.text and "<strong>crew</strong>" in page.text
    assert "Wonder Fest Ltd" in page.text and ">Host<" in page.text
    assert f'href="/events/{ev}/settings"' in page.text


def test_org_pro_creator_takes_no_seat_and_json_twin():
    owner = new_user()
    org = new_org(owner, org_pro=1, license="org_pro")
    tok = create_token(owner, "read-write")
    r = requests.post(BASE + f"/api/v1/orgs/{org}/events", json={
        "name": "Pro Show", "start_date": "2027-03-01",
        "end_date": "2027-03-01", "description": "# Hi"}, headers=api(tok))
    assert r.status_code == 201, r.text
    e = r.json()["event"]
    assert r.headers["Location"] == f"/api/v1/events/{e['id']}"
    assert e["timezone"] == "Europe/Amsterdam"      # the org's default
    assert e["code"] == "pro-show" and e["status"] == "active"
    assert r.json()["seat_taken"] is False
    assert count(f"SELECT COUNT(*) FROM event_seats WHERE event_id = "
                 f"{e['id']}") == 0
    assert count(f"SELECT COUNT(*) FROM grants WHERE event_id = {e['id']} "
                 f"AND preset = 'producer'") == 8
    r = requests.get(BASE + f"/api/v1/events/{e['id']}", headers=api(tok))
    assert r.status_code == 200
    body = r.json()
    assert body["event"]["description_html"].startswith("<h1")
    assert body["event"]["dates_text"] == "1 Mar 2027"
    assert [c["name"] for c in body["collaborators"]] == [
        sql_one(f"SELECT name FROM orgs WHERE id = {org}")]


def test_personal_workspace_events_and_host_name_default():
    u = new_user()
    porg = personal_org(u)
    page = u.get(f"/orgs/{porg}/events/new")
    assert "An Event Pro license is needed" in page.text
    add_pool(porg, 1)
    page = u.get(f"/orgs/{porg}/events/new")
    assert 'value="Test Person"' in page.text       # the user's name
    ev = new_event(u, porg, name="My Wedding")
    assert sql_one(f"SELECT name FROM collaborators WHERE event_id = {ev}") \
        == "Test Person"
    lst = u.get(f"/orgs/{porg}/events")
    assert lst.status_code == 200 and "My Wedding" in lst.text
    other = new_user()
    assert other.get(f"/orgs/{porg}/events").status_code == 404


def test_code_derived_unique_and_validated():
    owner = new_user()
    org = new_org(owner)
    a = new_event(owner, org, name="Fête de la Musique 2027")
    b = new_event(owner, org, name="Fête de la Musique 2027")
    c = new_event(owner, org, name="X")
    d = new_event(owner, org, name="???")
    codes = [sql_one(f"SELECT code FROM events WHERE id = {i}")
             for i in (a, b, c, d)]
    assert codes == ["fete-de-la-musique-2027", "fete-de-la-musique-2027-2",
                     "x-event", "event"]
    long = new_event(owner, org, name="A very long festival name that "
                     "goes on and on")
    code = sql_one(f"SELECT code FROM events WHERE id = {long}")
    assert len(code) <= 32 and re.fullmatch(r"[a-z0-9-]+", code)
    new_event(owner, org, code="mine_1")
    before = count("SELECT COUNT(*) FROM events")
    for bad, msg in (("ab", "4 to 32"), ("Bad Code", "lower-case"),
                     ("x" * 33, "4 to 32"), ("mine_1", "already uses")):
        r = create(owner, org, name="Coded", code=bad)
        assert r.status_code == 422, bad
        assert msg in r.text and 'aria-invalid="true"' in r.text
        assert 'value="Coded"' in r.text                # kept
    assert count("SELECT COUNT(*) FROM events") == before
    # Codes are unique per organization only.
    other = new_user()
    org2 = new_org(other)
    new_event(other, org2, code="mine_1")


def test_dates_and_zone_validated():
    owner = new_user()
    org = new_org(owner)
    before = count("SELECT COUNT(*) FROM events")
    cases = [({"start_date": "2027-06-10", "end_date": "2027-06-09"},
              "be before the start date"),
             ({"start_date": "2027-01-01", "end_date": "2028-01-02"},
              "at most 366 days"),
             ({"start_date": "2027-02-30"}, "must be a date"),
             ({"end_date": ""}, "End date is required"),
             ({"timezone": "Mars/Olympus_Mons"}, "time zone from the list"),
             ({"timezone": "../../etc/passwd"}, "time zone from the list"),
             ({"name": ""}, "Name is required"),
             ({"name": "n" * 201}, "1 to 200"),
             ({"venue_name": "v" * 201}, "0 to 200")]
    for over, msg in cases:
        r = create(owner, org, **over)
        assert r.status_code == 422, (over, r.status_code)
        assert msg in r.text, (over, msg)
    assert count("SELECT COUNT(*) FROM events") == before
    # A leap year, first and last day included, is allowed.
    ev = new_event(owner, org, start_date="2028-01-01",
                   end_date="2028-12-31", timezone="America/New_York")
    assert sql(f"SELECT start_date, end_date, timezone FROM events "
               f"WHERE id = {ev}") == [["2028-01-01", "2028-12-31",
                                        "America/New_York"]]
    tok = create_token(owner, "read-write")
    p = problem(requests.post(BASE + f"/api/v1/orgs/{org}/events", json={
        "name": "Z", "start_date": "2027-01-01", "end_date": "2027-01-01",
        "timezone": "Nowhere/Land"}, headers=api(tok)), 422,
        "validation-failed")
    assert p["errors"][0]["pointer"] == "/timezone"


def test_who_may_create():
    owner = new_user()
    org = new_org(owner)
    m = new_user()
    add_member(org, m)
    assert m.get(f"/orgs/{org}/events/new").status_code == 200
    new_event(m, org, name="By a member")
    sql(f"UPDATE orgs SET members_can_create_events = 0 WHERE id = {org}")
    assert m.get(f"/orgs/{org}/events/new").status_code == 403
    assert create(m, org).status_code == 403
    lst = m.get(f"/orgs/{org}/events").text
    assert "New event" not in lst
    new_event(owner, org, name="By the owner")
    unverified = new_user(verified=False)
    add_member(org, unverified, role="admin")
    r = create(unverified, org)
    assert r.status_code == 403 and "Verify your email" in r.text


# --- list, settings, archive ----------------------------------------------------

def test_list_shows_events_to_members_and_links_only_where_they_can_go():
    owner = new_user()
    org = new_org(owner, org_pro=1)
    ev = new_event(owner, org, name="Summer Nights", start_date="2027-07-01",
                   end_date="2027-07-03", venue_name="Beach")
    std = new_user()
    add_member(org, std)
    pro = new_user()
    add_member(org, pro, product="org_pro")
    lst = std.get(f"/orgs/{org}/events")
    assert lst.status_code == 200
    assert "Summer Nights" in lst.text and "1–3 Jul 2027" in lst.text
    assert f'href="/events/{ev}"' not in lst.text
    assert std.get(f"/events/{ev}").status_code == 404
    assert f'href="/events/{ev}"' in pro.get(f"/orgs/{org}/events").text
    assert pro.get(f"/events/{ev}").status_code == 200
    r = std.get(f"/api/v1/orgs/{org}/events")
    items = r.json()["items"]
    assert [(i["name"], i["status"], i["url"]) for i in items] == [
        ("Summer Nights", "active", None)]
    assert std.get(f"/orgs/{org}/events?status=weird").status_code == 400


def test_settings_edit_with_version_check():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org, name="Old Name")
    page = owner.get(f"/events/{ev}/settings")
    assert page.status_code == 200 and 'name="version"' in page.text
    ver = event_version(ev)
    r = owner.post(f"/events/{ev}/settings", settings_data(
        ev, name="New Name", code="new-code", venue_name="Hall",
        description="*x*"))
    assert r.status_code == 303, r.text
    assert sql(f"SELECT name, code, venue_name, version FROM events "
               f"WHERE id = {ev}") == [["New Name", "new-code", "Hall",
                                        str(ver + 1)]]
    ch = sql_one(f"SELECT changes FROM audit_log WHERE event_id = {ev} AND "
                 f"action = 'event.updated'")
    assert '"name":{"old":"Old Name","new":"New Name"}' in ch
    assert '"description":{"old_length":0,"new_length":3}' in ch
    # A stale form: 409 with both values, nothing saved.
    r = owner.post(f"/events/{ev}/settings", settings_data(
        ev, name="Stale Name", version=ver))
    assert r.status_code == 409
    assert "Stale Name" in r.text and "New Name" in r.text
    assert sql_one(f"SELECT name FROM events WHERE id = {ev}") == "New Name"
    tok = create_token(owner, "read-write")
    p = problem(requests.post(BASE + f"/api/v1/events/{ev}/settings",
                              json=settings_data(ev, name="Api", version=1),
                              headers=api(tok)), 409, "edit-conflict")
    assert "Api" in p["detail"] and "New Name" in p["detail"]
    # Bad values are 422 and keep what was typed.
    r = owner.post(f"/events/{ev}/settings", settings_data(
        ev, end_date="2020-01-01"))
    assert r.status_code == 422 and "before the start date" in r.text
    # The JSON twin with a fresh version.
    r = requests.post(BASE + f"/api/v1/events/{ev}/settings",
                      json=settings_data(ev, venue_address="Main St 1"),
                      headers=api(tok))
    assert r.status_code == 200, r.text
    assert r.json()["event"]["venue_address"] == "Main St 1"
    assert r.json()["event"]["version"] == event_version(ev)


def test_archive_makes_everything_read_only_until_restored():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org, name="Winter Gala")
    area = new_area(owner, ev, "Foyer")
    owner.get(f"/events/{ev}/settings")
    r = owner.post(f"/events/{ev}/archive")
    assert r.status_code == 303 and r.headers["Location"] == f"/events/{ev}"
    assert sql_one(f"SELECT status FROM events WHERE id = {ev}") == "archived"
    assert "Winter Gala is archived" in owner.get(f"/events/{ev}").text
    # Listed under Archived only.
    assert "Winter Gala" not in owner.get(f"/orgs/{org}/events").text
    assert "Winter Gala" in owner.get(
        f"/orgs/{org}/events?status=archived").text
    # Reads work, with a banner and no edit controls.
    page = owner.get(f"/events/{ev}")
    assert page.status_code == 200 and "This event is archived" in page.text
    s = owner.get(f"/events/{ev}/settings").text
    assert "Restore event" in s and 'name="version"' not in s
    a = owner.get(f"/events/{ev}/areas/{area}").text
    assert "Edit area" not in a and "Delete area" not in a
    assert "New area" not in owner.get(f"/events/{ev}/areas").text
    # Every write is 409 event-archived.
    writes = [(f"/events/{ev}/settings", settings_data(ev, name="X")),
              (f"/events/{ev}/archive", {}),
              (f"/events/{ev}/areas", {"name": "Bar"}),
              (f"/events/{ev}/areas/{area}", {"name": "Lobby"}),
              (f"/events/{ev}/areas/{area}/delete", {"confirm_name": "Foyer"})]
    for path, data in writes:
        r = owner.post(path, data)
        assert r.status_code == 409 and "archived" in r.text, path
    tok = create_token(owner, "read-write")
    for path, data in writes:
        problem(requests.post(BASE + "/api/v1" + path, json=data,
                              headers=api(tok)), 409, "event-archived")
    assert sql_one(f"SELECT name FROM areas WHERE id = {area}") == "Foyer"
    # Restore changes nothing but the status.
    before = sql(f"SELECT name, code, start_date, end_date, pool_id FROM "
                 f"events WHERE id = {ev}")
    owner.get(f"/events/{ev}/settings")
    r = owner.post(f"/events/{ev}/restore")
    assert r.status_code == 303
    assert sql_one(f"SELECT status FROM events WHERE id = {ev}") == "active"
    assert sql(f"SELECT name, code, start_date, end_date, pool_id FROM "
               f"events WHERE id = {ev}") == before
    assert owner.post(f"/events/{ev}/restore").status_code == 409
    assert "Winter Gala" in owner.get(f"/orgs/{org}/events").text
    assert owner.post(f"/events/{ev}/areas",
                      {"name": "Bar"}).status_code == 303
    acts = [r[0] for r in sql(f"SELECT action FROM audit_log WHERE "
                              f"event_id = {ev} ORDER BY id")]
    assert acts[-3:] == ["event.archived", "event.restored", "area.created"]


def test_org_admin_not_on_the_event_may_archive_and_restore():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org)
    admin = new_user()
    add_member(org, admin, role="admin")
    assert admin.get(f"/events/{ev}").status_code == 404
    admin.get(f"/orgs/{org}/events")
    assert admin.post(f"/events/{ev}/archive").status_code == 303
    assert admin.post(f"/events/{ev}/restore").status_code == 303
    assert admin.get(f"/events/{ev}/audit").status_code == 200
    # A plain member is not.
    m = new_user()
    add_member(org, m)
    m.get(f"/orgs/{org}/events")
    assert m.post(f"/events/{ev}/archive").status_code == 404


# --- areas ------------------------------------------------------------------------

def test_areas_create_rename_describe_and_duplicates():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org)
    main = new_area(owner, ev, "Main Stage", colour="red",
                    description="Loud *stuff*")
    assert sql(f"SELECT name, name_norm, colour FROM areas WHERE id = {main}") \
        == [["Main Stage", "main stage", "red"]]
    u = uid(owner)
    assert count(f"SELECT COUNT(*) FROM grants WHERE event_id = {ev} AND "
                 f"user_id = {u} AND domain = 'area' AND scope_id = {main} "
                 f"AND level = 3") == 8
    page = owner.get(f"/events/{ev}/areas/{main}")
    assert page.status_code == 200 and "<em>stuff</em>" in page.text
    lst = owner.get(f"/events/{ev}/areas").text
    assert "Main Stage" in lst and "1 person" in lst
    # Duplicates ignoring case.
    r = owner.post(f"/events/{ev}/areas", {"name": "main STAGE"})
    assert r.status_code == 422 and "already called" in r.text
    assert count(f"SELECT COUNT(*) FROM areas WHERE event_id = {ev}") == 1
    bar = new_area(owner, ev, "Bar")
    owner.get(f"/events/{ev}/areas/{bar}")
    r = owner.post(f"/events/{ev}/areas/{bar}", {
        "name": "MAIN stage", "version": area_version(bar)})
    assert r.status_code == 422 and "already called" in r.text
    r = owner.post(f"/events/{ev}/areas", {"name": "Pit", "colour": "plaid"})
    assert r.status_code == 422 and "palette" in r.text
    # Rename and describe; the same name in another event is fine.
    ver = area_version(bar)
    r = owner.post(f"/events/{ev}/areas/{bar}", {
        "name": "Cocktail Bar", "description": "Upstairs", "colour": "teal",
        "version": ver})
    assert r.status_code == 303
    assert sql(f"SELECT name, description, colour, version FROM areas "
               f"WHERE id = {bar}") == [["Cocktail Bar", "Upstairs", "teal",
                                         str(ver + 1)]]
    # Stale version: 409 showing both.
    r = owner.post(f"/events/{ev}/areas/{bar}", {
        "name": "Stale Bar", "version": ver})
    assert r.status_code == 409
    assert "Stale Bar" in r.text and "Cocktail Bar" in r.text
    ev2 = new_event(owner, org)
    new_area(owner, ev2, "Main Stage")
    # JSON twin.
    tok = create_token(owner, "read-write")
    r = requests.post(BASE + f"/api/v1/events/{ev}/areas", json={
        "name": "Backstage", "description": "**crew only**"},
        headers=api(tok))
    assert r.status_code == 201, r.text
    a = r.json()["area"]
    assert a["colour"] == "slate"
    assert a["description_html"] == "<p><strong>crew only</strong></p>\n"
    r = requests.get(BASE + f"/api/v1/events/{ev}/areas", headers=api(tok))
    assert [i["name"] for i in r.json()["items"]] == [
        "Main Stage", "Cocktail Bar", "Backstage"]
    acts = {r[0] for r in sql(f"SELECT action FROM audit_log WHERE "
                              f"event_id = {ev}")}
    assert {"area.created", "area.updated"} <= acts


def test_area_delete_needs_the_typed_name_and_removes_grants():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org)
    area = new_area(owner, ev, "Camping")
    lead = new_user()
    put_on_event(ev, lead, [("area", area, "settings", 3)])
    page = owner.get(f"/events/{ev}/areas/{area}")
    assert "Delete area" in page.text and "data-confirm" in page.text
    for typed in ("", "camping", "Camp"):
        r = owner.post(f"/events/{ev}/areas/{area}/delete",
                       {"confirm_name": typed})
        assert r.status_code == 422 and "exactly" in r.text, typed
    assert count(f"SELECT COUNT(*) FROM areas WHERE id = {area}") == 1
    # The area lead may edit the area but not delete it.
    lead.get(f"/events/{ev}/areas/{area}")
    r = lead.post(f"/events/{ev}/areas/{area}", {
        "name": "Camping", "description": "Field B"})
    assert r.status_code == 303
    r = lead.post(f"/events/{ev}/areas/{area}/delete",
                  {"confirm_name": "Camping"})
    assert r.status_code == 403
    r = owner.post(f"/events/{ev}/areas/{area}/delete",
                   {"confirm_name": "Camping"})
    assert r.status_code == 303
    assert r.headers["Location"] == f"/events/{ev}/areas"
    assert count(f"SELECT COUNT(*) FROM areas WHERE id = {area}") == 0
    assert count(f"SELECT COUNT(*) FROM grants WHERE event_id = {ev} AND "
                 f"domain = 'area' AND scope_id = {area}") == 0
    ch = sql_one(f"SELECT changes FROM audit_log WHERE event_id = {ev} AND "
                 f"action = 'area.deleted'")
    assert '"grants_removed":9' in ch
    assert owner.get(f"/events/{ev}/areas/{area}").status_code == 404
    # The area lead now sees no areas at all.
    assert lead.get(f"/events/{ev}/areas").status_code == 404


# --- tenancy and view-only users --------------------------------------------------

def test_member_of_another_org_gets_404_everywhere():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org)
    area = new_area(owner, ev, "Stage")
    other = new_user()
    new_org(other)
    tok = create_token(other, "read-write")
    gets = [f"/events/{ev}", f"/events/{ev}/settings", f"/events/{ev}/audit",
            f"/events/{ev}/areas", f"/events/{ev}/areas/{area}",
            f"/orgs/{org}/events", f"/orgs/{org}/events/new",
            "/events/999999999", f"/events/{ev}/areas/999999999"]
    posts = [f"/events/{ev}/settings", f"/events/{ev}/archive",
             f"/events/{ev}/restore", f"/events/{ev}/areas",
             f"/events/{ev}/areas/{area}", f"/events/{ev}/areas/{area}/delete",
             f"/orgs/{org}/events"]
    for path in gets:
        assert other.get(path).status_code == 404, path
        problem(requests.get(BASE + "/api/v1" + path, headers=api(tok)), 404,
                "not-found")
    other.get("/account")
    for path in posts:
        assert other.post(path, {"name": "x", "confirm_name": "Stage"}) \
            .status_code == 404, path
        problem(requests.post(BASE + "/api/v1" + path, json={
            "name": "x", "confirm_name": "Stage"}, headers=api(tok)), 404,
            "not-found")
    # An area of another event through this event's URL is 404 too.
    ev2 = new_event(other, new_org(other))
    area2 = new_area(other, ev2, "Elsewhere")
    assert owner.get(f"/events/{ev}/areas/{area2}").status_code == 404
    assert sql_one(f"SELECT name FROM areas WHERE id = {area}") == "Stage"


def test_view_only_user_sees_no_edit_controls_and_gets_403_on_writes():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org)
    area = new_area(owner, ev, "Stage")
    viewer = new_user()
    put_on_event(ev, viewer, VIEWER)
    pages = {p: viewer.get(p) for p in (
        f"/events/{ev}", f"/events/{ev}/settings", f"/events/{ev}/areas",
        f"/events/{ev}/areas/{area}")}
    for path, r in pages.items():
        assert r.status_code == 200, path
        for control in ('name="version"', "Archive event", "New area",
                        "Delete area", "Edit area", ">Edit<"):
            assert control not in r.text, (path, control)
    assert viewer.get(f"/events/{ev}/audit").status_code == 404
    for path, data in ((f"/events/{ev}/settings", settings_data(ev, name="V")),
                       (f"/events/{ev}/archive", {}),
                       (f"/events/{ev}/areas", {"name": "Mine"}),
                       (f"/events/{ev}/areas/{area}", {"name": "Mine"}),
                       (f"/events/{ev}/areas/{area}/delete",
                        {"confirm_name": "Stage"})):
        r = viewer.post(path, data)
        assert r.status_code == 403, (path, r.status_code)
    tok = create_token(viewer, "read-write")
    p = problem(requests.post(BASE + f"/api/v1/events/{ev}/areas", json={
        "name": "Mine"}, headers=api(tok)), 403, "insufficient-permission")
    assert "settings" in p["detail"] and "edit" in p["detail"]
    assert count(f"SELECT COUNT(*) FROM areas WHERE event_id = {ev}") == 1
    # A free collaborator (no seat) doesn't see areas or settings at all.
    free = new_user()
    put_on_event(ev, free, VIEWER, seat=False)
    assert free.get(f"/events/{ev}").status_code == 200
    for path in (f"/events/{ev}/settings", f"/events/{ev}/areas",
                 f"/events/{ev}/areas/{area}"):
        assert free.get(path).status_code == 404, path


def test_event_audit_log_newest_first_for_admins():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org, name="Audited")
    new_area(owner, ev, "Gate")
    r = owner.get(f"/events/{ev}/audit")
    assert r.status_code == 200
    assert r.text.index("area.created") < r.text.index("event.created")
    j = owner.get(f"/api/v1/events/{ev}/audit").json()
    assert [i["action"] for i in j["items"]] == ["area.created",
                                                 "event.created"]
    assert j["items"][1]["target_label"] == "Audited"
    assert j["next_url"] is None
    # Only this event's entries.
    ev2 = new_event(owner, org)
    assert len(owner.get(f"/api/v1/events/{ev2}/audit").json()["items"]) == 1


def test_page_query_counts_do_not_grow_with_rows():
    owner = new_user()
    org = new_org(owner)
    ev = new_event(owner, org)
    new_area(owner, ev, "One")
    paths = [f"/events/{ev}", f"/events/{ev}/areas", f"/orgs/{org}/events",
             f"/events/{ev}/audit"]
    before = [owner.get(p).headers["X-Debug-Queries"] for p in paths]
    for name in ("Two", "Three", "Four"):
        new_area(owner, ev, name)
        new_event(owner, org)
    after = [owner.get(p).headers["X-Debug-Queries"] for p in paths]
    assert before == after
