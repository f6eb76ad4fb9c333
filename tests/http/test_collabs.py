"""Collaborators and crew (PRODUCT §5 crew and settings sections, §8;
issue 4 items 3, 7; RELIABILITY AC-3, AC-4 / T21 vendor isolation)."""

import re
import uuid

import pytest
import requests

from advfix import advance, answer, module, module_template, question
from bo import BASE, Browser, new_org, new_user, sql, sql_one

try:                    # the events pages' helper, where they exist
    from bo import new_event
except ImportError:     # pragma: no cover
    new_event = None
from test_core import create_token, problem

SECTIONS = ("settings", "users", "schedule", "tasks", "files", "documents",
            "advancing", "crew")
PRODUCER = [("event", 0, s, 3) for s in SECTIONS]
VIEWER = [("event", 0, s, 1) for s in SECTIONS if s != "users"]


def vendor_contact(cid):
    return [("collaborator", cid, "settings", 2),
            ("collaborator", cid, "users", 2),
            ("collaborator", cid, "crew", 3),
            ("collaborator", cid, "advancing", 2),
            ("collaborator", cid, "files", 2),
            ("collaborator", cid, "schedule", 2),
            ("collaborator", cid, "tasks", 1)]


def vendor_crew(cid):
    return [("collaborator", cid, s, 1)
            for s in ("crew", "advancing", "files", "schedule")]


# --- set-up with SQL: the pages under test are not used to build it ----------

def uid_of(b):
    return int(sql_one(f"SELECT id FROM users WHERE email_norm = "
                       f"'{b.email.lower()}'"))


def q(s):
    return "NULL" if s is None else "'" + s.replace("'", "''") + "'"


def insert_collab(ev, name, host=0):
    sql(f"INSERT INTO collaborators (uuid, event_id, name, name_norm, is_host,"
        f" created_at) VALUES ('{uuid.uuid4()}', {ev}, {q(name)},"
        f" LOWER({q(name)}), {host}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev}"
                       f" AND name = {q(name)}"))


def insert_crew(ev, cid, first, last=None, email=None, poc=0, user=None):
    sql(f"INSERT INTO crew (event_id, collaborator_id, first_name, last_name,"
        f" email, email_norm, point_of_contact, user_id, created_at) VALUES"
        f" ({ev}, {cid}, {q(first)}, {q(last)}, {q(email)},"
        f" {q(email.lower() if email else None)}, {poc},"
        f" {user if user else 'NULL'}, UTC_TIMESTAMP(3))")
    return int(sql_one("SELECT MAX(id) FROM crew"))


def put_on_event(ev, b, cid, grants, pool=None):
    u = uid_of(b)
    sql(f"INSERT INTO event_users (event_id, user_id, collaborator_id,"
        f" joined_at) VALUES ({ev}, {u}, {cid}, UTC_TIMESTAMP(3))")
    if pool:
        sql(f"INSERT INTO event_seats (pool_id, event_id, user_id,"
            f" assigned_at) VALUES ({pool}, {ev}, {u}, UTC_TIMESTAMP(3))")
    for dom, scope, sec, lvl in grants:
        sql(f"INSERT INTO grants (event_id, user_id, domain, scope_id,"
            f" section, level, granted_at) VALUES ({ev}, {u}, '{dom}',"
            f" {scope}, '{sec}', {lvl}, UTC_TIMESTAMP(3))")


def pending_invitation(ev, cid, crew_id, email, inviter):
    sql(f"INSERT INTO event_invitations (event_id, collaborator_id, crew_id,"
        f" email, email_norm, grants_json, inviter_id, token_hash, created_at,"
        f" expires_at) VALUES ({ev}, {cid}, {crew_id if crew_id else 'NULL'},"
        f" {q(email)}, {q(email.lower())}, '[]', {inviter},"
        f" UNHEX(SHA2('{uuid.uuid4()}', 256)), UTC_TIMESTAMP(3),"
        f" UTC_TIMESTAMP(3) + INTERVAL 7 DAY)")


class World:
    pass


@pytest.fixture(scope="module")
def w():
    """An event with its host, two vendors V1 and V2 with crew, and the
    people who look at them: the producer (owner, seat), a viewer (seat,
    Viewer grants), a free vendor contact of V1, a member of another
    organization and a signed-in stranger."""
    w = World()
    w.owner = new_user(tag="cowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.pool = int(sql_one(f"SELECT id FROM license_pools WHERE org_id ="
                         f" {w.org} AND product = 'event_pro'"))
    if new_event is not None:
        # Through the events pages: the host collaborator, the owner on it
        # with a seat and the Producer preset.
        w.event = new_event(w.owner, w.org, name="Crew Fest",
                            host_name="Crew Fest Productions")
        w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                             f" {w.event} AND is_host = 1"))
    else:
        code = "co" + uuid.uuid4().hex[:8]
        sql(f"INSERT INTO events (uuid, org_id, name, code, timezone,"
            f" start_date, end_date, pool_id, created_by, created_at,"
            f" updated_at) VALUES ('{uuid.uuid4()}', {w.org}, 'Crew Fest',"
            f" '{code}', 'Europe/Amsterdam', '2027-07-01', '2027-07-03',"
            f" {w.pool}, {uid_of(w.owner)}, UTC_TIMESTAMP(3),"
            f" UTC_TIMESTAMP(3))")
        w.event = int(sql_one(f"SELECT id FROM events WHERE code = '{code}'"))
        w.host = insert_collab(w.event, "Crew Fest Productions", host=1)
        put_on_event(w.event, w.owner, w.host, PRODUCER, w.pool)
    w.host_name = sql_one(f"SELECT name FROM collaborators WHERE id ="
                          f" {w.host}")
    w.v1 = insert_collab(w.event, "Sound Co")
    w.v2 = insert_collab(w.event, "Catering Co")
    w.crew_v1 = insert_crew(w.event, w.v1, "Sam", "Sound", poc=1)
    w.crew_v2 = insert_crew(w.event, w.v2, "Cat", "Cook", "cat@v2.example")
    w.viewer = new_user(tag="cviewer")
    put_on_event(w.event, w.viewer, w.host, VIEWER, w.pool)
    w.vendor = new_user(tag="cvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.other = new_user(tag="cother")
    new_org(w.other)
    w.stranger = new_user(tag="cstranger")
    return w


def base(w):
    return f"/events/{w.event}/collaborators"


def api(b, method, path, tok, **kw):
    return requests.request(method, BASE + "/api/v1" + path,
                            headers={"Authorization": "Bearer " + tok},
                            **kw)


def field_names(p):
    return {e["parameter"] for e in p["errors"]}


def new_collab(w, name=None, **extra):
    name = name or "Vendor " + uuid.uuid4().hex[:6]
    w.owner.get(base(w) + "/new")
    r = w.owner.post(base(w), dict(name=name, **extra))
    assert r.status_code == 303, r.text
    m = re.match(rf"^/events/{w.event}/collaborators/(\d+)$",
                 r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1)), name


def audit_actions(w, target_type, target_id):
    return [row[0] for row in sql(
        f"SELECT action FROM audit_log WHERE event_id = {w.event} AND"
        f" target_type = '{target_type}' AND target_id = {target_id}"
        f" ORDER BY id")]


def strip_rid(r):
    return r.text.replace(r.headers.get("X-Request-Id", "@@"), "RID")


# --- collaborators -----------------------------------------------------------

def test_create_collaborator_with_scope_admin_and_audit(w):
    r = w.owner.get(base(w) + "/new")
    assert r.status_code == 200
    assert 'name="colour"' in r.text and 'name="csrf_token"' in r.text
    cid, name = new_collab(w, description="**Loud** sound",
                           email="info@sound.example",
                           phone="+31 (0)20-555.1234",
                           website="https://sound.example/", colour="teal")
    row = sql(f"SELECT name, name_norm, description, email, phone, website,"
              f" colour, is_host, version FROM collaborators WHERE id = {cid}")
    assert row == [[name, name.lower(), "**Loud** sound", "info@sound.example",
                    "+31 (0)20-555.1234", "https://sound.example/", "teal",
                    "0", "1"]]
    # The creator is the collaborator's scope admin, in every section.
    grants = sql(f"SELECT section, level FROM grants WHERE event_id ="
                 f" {w.event} AND user_id = {uid_of(w.owner)} AND domain ="
                 f" 'collaborator' AND scope_id = {cid} ORDER BY section")
    assert len(grants) == 8 and all(g[1] == "3" for g in grants)
    assert audit_actions(w, "collaborator", cid) == ["collaborator.created"]
    # The overview shows the profile with rendered Markdown.
    r = w.owner.get(f"{base(w)}/{cid}")
    assert r.status_code == 200
    assert "<strong>Loud</strong>" in r.text
    assert r.headers["ETag"] == f'"{cid}-v1"'
    j = w.owner.s.get(f"{BASE}/api/v1{base(w)}/{cid}").json()
    assert j["collaborator"]["description"] == "**Loud** sound"
    assert "<strong>Loud</strong>" in j["collaborator"]["description_html"]
    assert j["collaborator"]["crew_count"] == 0


def test_create_collaborator_validation_names_each_field(w):
    w.owner.get(base(w) + "/new")
    r = w.owner.post(base(w), {"name": "", "email": "not-an-email",
                               "phone": "12", "website": "ftp://x.example",
                               "colour": "mauve",
                               "description": "kept text"})
    assert r.status_code == 422
    for f in ("name", "email", "phone", "website", "colour"):
        assert f'id="{f}-error"' in r.text, f
    assert "kept text" in r.text and "not-an-email" in r.text
    assert "ftp://x.example" in r.text
    # Phone rules: 3–40 of digits, spaces and +()-. with ≥ 3 digits.
    for bad in ("+-()", "12a45", "1" * 41, "1.2"):
        r = w.owner.post(base(w), {"name": "Phone test", "phone": bad})
        assert r.status_code == 422, bad
        assert 'id="phone-error"' in r.text
    tok = create_token(w.owner, "read-write")
    p = problem(api(w.owner, "POST", base(w), tok,
                    json={"name": "x" * 201, "website": "javascript:alert(1)",
                          "phone": "abc"}), 422, "validation-failed")
    assert field_names(p) == {"name", "website", "phone"}
    assert sql_one(f"SELECT COUNT(*) FROM collaborators WHERE event_id ="
                   f" {w.event} AND name = 'Phone test'") == "0"


def test_duplicate_collaborator_name_ignoring_case(w):
    cid, name = new_collab(w)
    r = w.owner.post(base(w), {"name": name.upper()})
    assert r.status_code == 422
    assert 'id="name-error"' in r.text and "already exists" in r.text
    tok = create_token(w.owner, "read-write")
    p = problem(api(w.owner, "POST", base(w), tok,
                    json={"name": name.lower()}), 422)
    assert field_names(p) == {"name"}
    # Renaming onto another's name is refused the same way.
    other, _ = new_collab(w)
    w.owner.get(f"{base(w)}/{other}/settings")
    r = w.owner.post(f"{base(w)}/{other}", {"name": name.lower(),
                                            "version": "1"})
    assert r.status_code == 422 and 'id="name-error"' in r.text
    # The host's name counts too.
    r = w.owner.post(base(w), {"name": w.host_name.swapcase()})
    assert r.status_code == 422


def test_edit_collaborator_version_conflict_and_etag(w):
    cid, name = new_collab(w, phone="555 1234")
    r = w.owner.get(f"{base(w)}/{cid}/settings")
    assert r.status_code == 200 and 'name="version" value="1"' in r.text
    r = w.owner.post(f"{base(w)}/{cid}", {"name": name + " Ltd",
                                          "phone": "555 9999",
                                          "colour": "green", "version": "1"})
    assert r.status_code == 303, r.text
    assert sql(f"SELECT name, phone, colour, version FROM collaborators WHERE"
               f" id = {cid}") == [[name + " Ltd", "555 9999", "green", "2"]]
    ch = sql_one(f"SELECT changes FROM audit_log WHERE target_type ="
                 f" 'collaborator' AND target_id = {cid} AND action ="
                 f" 'collaborator.updated'")
    assert "555 9999" in ch and "555 1234" in ch
    # A stale form: 409 showing both values, nothing saved.
    r = w.owner.post(f"{base(w)}/{cid}", {"name": name + " Stale",
                                          "phone": "555 0000",
                                          "version": "1"})
    assert r.status_code == 409
    assert name + " Stale" in r.text and name + " Ltd" in r.text
    assert 'name="version" value="2"' in r.text
    assert sql_one(f"SELECT version FROM collaborators WHERE"
                   f" id = {cid}") == "2"
    # JSON: a partial update keeps what it leaves out; If-Match is checked.
    tok = create_token(w.owner, "read-write")
    problem(requests.post(f"{BASE}/api/v1{base(w)}/{cid}",
                          json={"website": "https://x.example"},
                          headers={"Authorization": "Bearer " + tok,
                                   "If-Match": f'"{cid}-v1"'}), 412)
    r = requests.post(f"{BASE}/api/v1{base(w)}/{cid}",
                      json={"website": "https://x.example"},
                      headers={"Authorization": "Bearer " + tok,
                               "If-Match": f'"{cid}-v2"'})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{cid}-v3"'
    c = r.json()["collaborator"]
    assert c["website"] == "https://x.example"
    assert c["phone"] == "555 9999" and c["name"] == name + " Ltd"
    p = problem(api(w.owner, "POST", f"{base(w)}/{cid}", tok,
                    json={"name": "x", "version": 1}), 409, "edit-conflict")
    assert "version 3" in p["detail"]
    # Saving what is already there writes nothing.
    n = len(audit_actions(w, "collaborator", cid))
    r = api(w.owner, "POST", f"{base(w)}/{cid}", tok,
            json={"phone": "555 9999", "version": 3})
    assert r.status_code == 200 and r.json()["collaborator"]["version"] == 3
    assert len(audit_actions(w, "collaborator", cid)) == n


def test_host_cannot_be_deleted(w):
    r = w.owner.get(f"{base(w)}/{w.host}/delete")
    assert r.status_code == 200
    assert "host collaborator" in r.text
    assert 'action="' + f"{base(w)}/{w.host}/delete" not in r.text
    w.owner.get(f"{base(w)}/{w.host}/settings")
    r = w.owner.post(f"{base(w)}/{w.host}/delete", {})
    assert r.status_code == 409 and "host" in r.text
    assert sql_one(f"SELECT COUNT(*) FROM collaborators WHERE id ="
                   f" {w.host}") == "1"


def test_collaborator_with_users_or_invitations_cannot_be_deleted(w):
    cid, name = new_collab(w)
    crew = insert_crew(w.event, cid, "Ann", "Able")
    u = new_user(tag="cblock")
    put_on_event(w.event, u, cid, vendor_crew(cid))
    r = w.owner.get(f"{base(w)}/{cid}/delete")
    assert r.status_code == 200 and u.email in r.text
    r = w.owner.post(f"{base(w)}/{cid}/delete", {})
    assert r.status_code == 409
    assert u.email in r.text or "Test Person" in r.text
    tok = create_token(w.owner, "read-write")
    p = problem(api(w.owner, "POST", f"{base(w)}/{cid}/delete", tok,
                    json={}), 409, "in-use")
    assert "event users" in p["detail"]
    # Without the user but with a pending invitation: still refused.
    sql(f"DELETE FROM grants WHERE event_id = {w.event} AND user_id ="
        f" {uid_of(u)}")
    sql(f"DELETE FROM event_users WHERE event_id = {w.event} AND user_id ="
        f" {uid_of(u)}")
    pending_invitation(w.event, cid, crew, "ann@invited.example",
                       uid_of(w.owner))
    p = problem(api(w.owner, "POST", f"{base(w)}/{cid}/delete", tok,
                    json={}), 409, "in-use")
    assert "ann@invited.example" in p["detail"]
    assert sql_one(f"SELECT COUNT(*) FROM crew WHERE collaborator_id ="
                   f" {cid}") == "1"


def test_delete_collaborator_confirms_and_takes_its_crew(w):
    cid, name = new_collab(w)
    insert_crew(w.event, cid, "Bea", "Gone")
    insert_crew(w.event, cid, "Cas")
    # An old, revoked invitation does not block and goes too.
    pending_invitation(w.event, cid, None, "old@x.example", uid_of(w.owner))
    sql(f"UPDATE event_invitations SET status = 'revoked' WHERE"
        f" collaborator_id = {cid}")
    r = w.owner.get(f"{base(w)}/{cid}/delete")
    assert r.status_code == 200
    assert "Bea Gone" in r.text and "Cas" in r.text
    assert "2 crew members" in r.text and "data-confirm" in r.text
    # The confirmation carries the version; a stale one deletes nothing.
    r = w.owner.post(f"{base(w)}/{cid}/delete", {"version": "7"})
    assert r.status_code == 409
    r = w.owner.post(f"{base(w)}/{cid}/delete", {"version": "1"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == base(w)
    assert sql_one(f"SELECT COUNT(*) FROM collaborators WHERE id = {cid}") \
        == "0"
    assert sql_one(f"SELECT COUNT(*) FROM crew WHERE collaborator_id ="
                   f" {cid}") == "0"
    assert sql_one(f"SELECT COUNT(*) FROM grants WHERE domain ="
                   f" 'collaborator' AND scope_id = {cid}") == "0"
    ch = sql_one(f"SELECT changes FROM audit_log WHERE action ="
                 f" 'collaborator.deleted' AND target_id = {cid}")
    assert "Bea Gone" in ch and "Cas" in ch
    assert w.owner.get(f"{base(w)}/{cid}").status_code == 404


# --- crew --------------------------------------------------------------------

def test_crew_add_validation_and_duplicates(w):
    cid, _ = new_collab(w)
    path = f"{base(w)}/{cid}/crew"
    r = w.owner.get(path + "/new")
    assert r.status_code == 200 and 'name="first_name"' in r.text
    r = w.owner.post(path, {"first_name": "", "last_name": "L" * 101,
                            "title": "T" * 201, "role_on_show": "R" * 201,
                            "email": "bad@", "phone": "x",
                            "notes": "n" * 5001})
    assert r.status_code == 422
    for f in ("first_name", "last_name", "title", "role_on_show", "email",
              "phone", "notes"):
        assert f'id="{f}-error"' in r.text, f
    r = w.owner.post(path, {"first_name": "Dana", "last_name": "Lee",
                            "title": "Stage manager",
                            "role_on_show": "Main stage",
                            "email": "Dana@Crew.example",
                            "phone": "+1 (555) 010-2030",
                            "point_of_contact": "1",
                            "notes": "Call *after* 10:00"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == path
    row = sql(f"SELECT first_name, last_name, email, email_norm,"
              f" point_of_contact, user_id FROM crew WHERE collaborator_id ="
              f" {cid}")
    assert row == [["Dana", "Lee", "Dana@Crew.example", "dana@crew.example",
                    "1", "NULL"]]
    crew_id = int(sql_one(f"SELECT id FROM crew WHERE collaborator_id ="
                          f" {cid}"))
    assert audit_actions(w, "crew", crew_id) == ["crew.created"]
    # Email unique within the collaborator, ignoring case.
    r = w.owner.post(path, {"first_name": "Dup", "email": "dana@CREW.example"})
    assert r.status_code == 422
    assert 'id="email-error"' in r.text and "Dup" in r.text
    tok = create_token(w.owner, "read-write")
    p = problem(api(w.owner, "POST", path, tok,
                    json={"first_name": "Dup", "email": "DANA@crew.example"}),
                422)
    assert field_names(p) == {"email"}
    # …but another collaborator may have the same person.
    r = api(w.owner, "POST", f"{base(w)}/{w.v2}/crew", tok,
            json={"first_name": "Dana", "email": "dana@crew.example",
                  "point_of_contact": True})
    assert r.status_code == 201, r.text
    c = r.json()["crew"]
    assert c["point_of_contact"] is True and c["access"] == "none"
    assert r.headers["Location"] == f"/api/v1{base(w)}/{w.v2}/crew/{c['id']}"
    # A single name is fine; the overview lists points of contact.
    r = api(w.owner, "POST", path, tok, json={"first_name": "Prince"})
    assert r.status_code == 201
    assert r.json()["crew"]["name"] == "Prince"
    r = w.owner.get(f"{base(w)}/{cid}")
    assert "Dana Lee" in r.text and "Points of contact" in r.text
    r = w.owner.get(f"{path}/{crew_id}")
    assert "<em>after</em>" in r.text


def test_crew_edit_conflict_and_delete(w):
    cid, _ = new_collab(w)
    crew_id = insert_crew(w.event, cid, "Eli", "Old", "eli@x.example")
    insert_crew(w.event, cid, "Fay", None, "fay@x.example")
    path = f"{base(w)}/{cid}/crew/{crew_id}"
    r = w.owner.get(path)
    assert r.status_code == 200 and r.headers["ETag"] == f'"{crew_id}-v1"'
    r = w.owner.post(path, {"first_name": "Eli", "last_name": "New",
                            "email": "eli@x.example", "title": "Rigger",
                            "version": "1"})
    assert r.status_code == 303, r.text
    assert sql(f"SELECT last_name, title, version FROM crew WHERE id ="
               f" {crew_id}") == [["New", "Rigger", "2"]]
    r = w.owner.post(path, {"first_name": "Eli", "last_name": "Stale",
                            "version": "1"})
    assert r.status_code == 409 and "Stale" in r.text and "New" in r.text
    r = w.owner.post(path, {"first_name": "Eli", "email": "FAY@x.example",
                            "version": "2"})
    assert r.status_code == 422 and 'id="email-error"' in r.text
    r = w.owner.post(path, {"first_name": "", "version": "2"})
    assert r.status_code == 422 and 'id="first_name-error"' in r.text
    r = w.owner.post(path + "/delete", {"version": "2"})
    assert r.status_code == 303
    assert r.headers["Location"] == f"{base(w)}/{cid}/crew"
    assert audit_actions(w, "crew", crew_id) == ["crew.updated",
                                                 "crew.deleted"]
    assert w.owner.get(path).status_code == 404


def test_crew_access_is_derived(w):
    cid, _ = new_collab(w)
    none = insert_crew(w.event, cid, "Nia")
    invited = insert_crew(w.event, cid, "Ivo", email="ivo@x.example")
    pending_invitation(w.event, cid, invited, "ivo@x.example",
                       uid_of(w.owner))
    u = new_user(tag="cactive")
    put_on_event(w.event, u, cid, [])
    active = insert_crew(w.event, cid, "Ada", user=uid_of(u))
    gone = new_user(tag="cgone")
    noacc = insert_crew(w.event, cid, "Noa", user=uid_of(gone))
    j = w.owner.s.get(f"{BASE}/api/v1{base(w)}/{cid}/crew").json()
    access = {c["id"]: c["access"] for c in j["items"]}
    assert access == {none: "none", invited: "invited", active: "active",
                      noacc: "no_access"}
    # Nothing of the record gives access by itself: Noa's user is not in.
    assert gone.get(f"/events/{w.event}/collaborators").status_code == 404
    # The producer (crew admin) gets "Invite user" where nobody is invited.
    r = w.owner.get(f"{base(w)}/{cid}/crew")
    assert f"{base(w)}/{cid}/crew/{none}/invite" in r.text
    assert f"{base(w)}/{cid}/crew/{noacc}/invite" in r.text
    assert f"{base(w)}/{cid}/crew/{invited}/invite" not in r.text
    assert f"{base(w)}/{cid}/crew/{active}/invite" not in r.text
    # A record with a pending invitation is not deleted under it.
    r = w.owner.post(f"{base(w)}/{cid}/crew/{invited}/delete", {})
    assert r.status_code == 409 and "ivo@x.example" in r.text


def test_crew_list_query_count_is_flat(w):
    cid, _ = new_collab(w)
    insert_crew(w.event, cid, "One")
    w.owner.get(f"{base(w)}/{cid}")     # shows (and spends) the flash
    n1 = int(w.owner.get(f"{base(w)}/{cid}/crew").headers["X-Debug-Queries"])
    for i in range(8):
        insert_crew(w.event, cid, f"Many{i}", email=f"m{i}@x.example")
    n2 = int(w.owner.get(f"{base(w)}/{cid}/crew").headers["X-Debug-Queries"])
    assert n1 == n2
    l1 = int(w.owner.get(base(w)).headers["X-Debug-Queries"])
    new_collab(w)
    w.owner.get(base(w))
    l2 = int(w.owner.get(base(w)).headers["X-Debug-Queries"])
    assert l1 == l2


# --- who sees what -----------------------------------------------------------

def test_viewer_sees_everything_without_controls_and_gets_403(w):
    v = w.viewer
    r = v.get(base(w))
    assert r.status_code == 200
    for name in (w.host_name, "Sound Co", "Catering Co"):
        assert name in r.text
    assert "New collaborator" not in r.text
    r = v.get(f"{base(w)}/{w.v1}")
    assert r.status_code == 200
    assert f"{base(w)}/{w.v1}/settings" not in r.text
    assert "Add crew member" not in r.text
    r = v.get(f"{base(w)}/{w.v1}/crew")
    assert r.status_code == 200 and "Sam Sound" in r.text
    assert "Delete" not in r.text and "/invite" not in r.text
    assert "Add crew member" not in r.text
    r = v.get(f"{base(w)}/{w.v1}/crew/{w.crew_v1}")
    assert r.status_code == 200 and 'name="first_name"' not in r.text
    assert v.get(f"{base(w)}/{w.v1}/settings").status_code == 403
    assert v.get(f"{base(w)}/{w.v1}/delete").status_code == 403
    assert v.get(base(w) + "/new").status_code == 403
    assert v.get(f"{base(w)}/{w.v1}/crew/new").status_code == 403
    for path, data in ((base(w), {"name": "Viewer made"}),
                       (f"{base(w)}/{w.v1}", {"name": "Renamed"}),
                       (f"{base(w)}/{w.v1}/delete", {}),
                       (f"{base(w)}/{w.v1}/crew", {"first_name": "X"}),
                       (f"{base(w)}/{w.v1}/crew/{w.crew_v1}",
                        {"first_name": "X"}),
                       (f"{base(w)}/{w.v1}/crew/{w.crew_v1}/delete", {})):
        r = v.post(path, data)
        assert r.status_code == 403, (path, r.status_code)
    tok = create_token(v, "read-write")
    problem(api(v, "POST", f"{base(w)}/{w.v1}/crew", tok,
                json={"first_name": "X"}), 403, "insufficient-permission")
    assert sql_one(f"SELECT name FROM collaborators WHERE id = {w.v1}") == \
        "Sound Co"


def test_vendor_sees_and_edits_own_collaborator_only(w):
    v = w.vendor
    r = v.get(base(w))
    assert r.status_code == 200
    assert "Sound Co" in r.text
    assert "Catering Co" not in r.text and w.host_name not in r.text
    j = v.s.get(f"{BASE}/api/v1{base(w)}").json()
    assert [c["id"] for c in j["items"]] == [w.v1]
    # Its own collaborator: overview, crew, crew record; edit them.
    assert v.get(f"{base(w)}/{w.v1}").status_code == 200
    r = v.get(f"{base(w)}/{w.v1}/crew")
    assert r.status_code == 200 and "Sam Sound" in r.text
    assert f"/crew/{w.crew_v1}/invite" in r.text
    r = v.get(f"{base(w)}/{w.v1}/settings")
    assert r.status_code == 200
    r = v.post(f"{base(w)}/{w.v1}", {"name": "Sound Co", "phone": "020 555 01",
                                     "colour": "blue"})
    assert r.status_code == 303, r.text
    v.get(f"{base(w)}/{w.v1}/crew/new")
    r = v.post(f"{base(w)}/{w.v1}/crew", {"first_name": "Vic",
                                          "email": "vic@v1.example"})
    assert r.status_code == 303, r.text
    r = v.post(f"{base(w)}/{w.v1}/crew/{w.crew_v1}",
               {"first_name": "Sam", "last_name": "Sound", "title": "FOH"})
    assert r.status_code == 303, r.text
    # …but not create collaborators or delete its own (Event crew needed).
    assert v.post(base(w), {"name": "Vendor made"}).status_code == 403
    assert v.post(f"{base(w)}/{w.v1}/delete", {}).status_code == 403


def test_vendor_gets_identical_404s_for_other_collaborators(w):
    """T21: V2, its crew and their ids are invisible to V1's vendor:
    the same 404 as for ids that do not exist, in HTML and JSON."""
    v = w.vendor
    tok = create_token(v, "read-write")
    missing_c, missing_crew = 999999999, 999999998
    pairs = [
        (f"{base(w)}/{w.v2}", f"{base(w)}/{missing_c}"),
        (f"{base(w)}/{w.v2}/crew", f"{base(w)}/{missing_c}/crew"),
        (f"{base(w)}/{w.v2}/settings", f"{base(w)}/{missing_c}/settings"),
        (f"{base(w)}/{w.v2}/delete", f"{base(w)}/{missing_c}/delete"),
        (f"{base(w)}/{w.v2}/crew/new", f"{base(w)}/{missing_c}/crew/new"),
        (f"{base(w)}/{w.v2}/crew/{w.crew_v2}",
         f"{base(w)}/{missing_c}/crew/{missing_crew}"),
        (f"{base(w)}/{w.host}", f"{base(w)}/{missing_c}"),
        # V2's crew id under V1's path: not found either.
        (f"{base(w)}/{w.v1}/crew/{w.crew_v2}",
         f"{base(w)}/{w.v1}/crew/{missing_crew}"),
    ]
    for seen, missing in pairs:
        a, b = v.get(seen), v.get(missing)
        assert a.status_code == 404 and b.status_code == 404, seen
        assert strip_rid(a).replace(seen, "P") == \
            strip_rid(b).replace(missing, "P"), seen
        ja = api(v, "GET", seen, tok)
        jb = api(v, "GET", missing, tok)
        pa, pb = problem(ja, 404, "not-found"), problem(jb, 404, "not-found")
        for k in ("instance", "request_id"):
            pa.pop(k), pb.pop(k)
        assert pa == pb
    writes = [
        (f"{base(w)}/{w.v2}", {"name": "Taken over"}),
        (f"{base(w)}/{w.v2}/delete", {}),
        (f"{base(w)}/{w.v2}/crew", {"first_name": "Spy"}),
        (f"{base(w)}/{w.v2}/crew/{w.crew_v2}", {"first_name": "Spy"}),
        (f"{base(w)}/{w.v2}/crew/{w.crew_v2}/delete", {}),
        (f"{base(w)}/{w.v1}/crew/{w.crew_v2}", {"first_name": "Spy"}),
        (f"{base(w)}/{w.v1}/crew/{w.crew_v2}/delete", {}),
    ]
    v.get(base(w))
    for path, data in writes:
        assert v.post(path, data).status_code == 404, path
        problem(api(v, "POST", path, tok, json=data), 404, "not-found")
    assert sql(f"SELECT name FROM collaborators WHERE id = {w.v2}") == \
        [["Catering Co"]]
    assert sql(f"SELECT first_name FROM crew WHERE id = {w.crew_v2}") == \
        [["Cat"]]


def test_members_of_other_orgs_and_strangers_get_404(w):
    for b in (w.other, w.stranger):
        for path in (base(w), f"{base(w)}/{w.v1}", f"{base(w)}/{w.v1}/crew",
                     f"{base(w)}/{w.v1}/crew/{w.crew_v1}", base(w) + "/new"):
            assert b.get(path).status_code == 404, path
        b.get("/account")
        assert b.post(base(w), {"name": "Intruder"}).status_code == 404
    anon = Browser()
    r = anon.get(base(w))
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")
    problem(requests.get(f"{BASE}/api/v1{base(w)}"), 401)


def test_linked_person_edits_own_name_and_phone(w):
    cid, _ = new_collab(w)
    person = new_user(tag="cself")
    put_on_event(w.event, person, cid, vendor_crew(cid))
    mine = insert_crew(w.event, cid, "Old", "Name", "self@x.example",
                       user=uid_of(person))
    other = insert_crew(w.event, cid, "Someone", "Else")
    r = person.get(f"{base(w)}/{cid}")
    assert r.status_code == 200 and f"/crew/{mine}" in r.text
    r = person.get(f"{base(w)}/{cid}/crew/{mine}")
    assert r.status_code == 200
    assert 'name="first_name"' in r.text and 'name="title"' not in r.text
    r = person.post(f"{base(w)}/{cid}/crew/{mine}",
                    {"first_name": "New", "last_name": "Name",
                     "phone": "06 1234 5678", "title": "Boss",
                     "email": "hijack@x.example", "version": "1"})
    assert r.status_code == 303, r.text
    assert sql(f"SELECT first_name, phone, title, email FROM crew WHERE id ="
               f" {mine}") == [["New", "06 1234 5678", "NULL",
                                "self@x.example"]]
    # Crew view only: another record is visible, not editable.
    assert person.get(f"{base(w)}/{cid}/crew/{other}").status_code == 200
    r = person.post(f"{base(w)}/{cid}/crew/{other}", {"first_name": "X"})
    assert r.status_code == 403


def test_archived_event_refuses_writes(w):
    cid, name = new_collab(w)
    crew_id = insert_crew(w.event, cid, "Arch")
    sql(f"UPDATE events SET status = 'archived' WHERE id = {w.event}")
    try:
        r = w.owner.get(f"{base(w)}/{cid}/crew")
        assert r.status_code == 200 and "archived" in r.text
        assert "Add crew member" not in r.text and "/invite" not in r.text
        r = w.owner.get(base(w))
        assert r.status_code == 200 and "New collaborator" not in r.text
        tok = create_token(w.owner, "read-write")
        for path, data in ((base(w), {"name": "Late"}),
                           (f"{base(w)}/{cid}", {"name": "Late"}),
                           (f"{base(w)}/{cid}/delete", {}),
                           (f"{base(w)}/{cid}/crew", {"first_name": "Late"}),
                           (f"{base(w)}/{cid}/crew/{crew_id}",
                            {"first_name": "Late"}),
                           (f"{base(w)}/{cid}/crew/{crew_id}/delete", {})):
            assert w.owner.post(path, data).status_code == 409, path
            problem(api(w.owner, "POST", path, tok, json=data), 409,
                    "event-archived")
    finally:
        sql(f"UPDATE events SET status = 'active' WHERE id = {w.event}")
    assert sql_one(f"SELECT name FROM collaborators WHERE id = {cid}") == name


def test_free_user_without_grants_sees_only_own_collaborator_name(w):
    """Basic access: an event user of V1 with no grants sees V1 itself
    (its name and profile) but not its crew list, and nothing of V2."""
    u = new_user(tag="cbasic")
    put_on_event(w.event, u, w.v1, [])
    r = u.get(base(w))
    assert r.status_code == 200 and "Sound Co" in r.text
    assert "Catering Co" not in r.text
    r = u.get(f"{base(w)}/{w.v1}")
    assert r.status_code == 200 and "Points of contact" not in r.text
    j = u.s.get(f"{BASE}/api/v1{base(w)}/{w.v1}").json()
    assert j["collaborator"]["crew_count"] is None
    assert j["points_of_contact"] == []
    assert u.get(f"{base(w)}/{w.v1}/crew").status_code == 403
    assert u.get(f"{base(w)}/{w.v1}/crew/{w.crew_v1}").status_code == 404
    assert u.get(f"{base(w)}/{w.v1}/settings").status_code == 403
    assert u.get(f"{base(w)}/{w.v2}").status_code == 404


def test_etags_on_single_objects(w):
    tok = create_token(w.owner, "read")
    r = api(w.owner, "GET", f"{base(w)}/{w.v2}/crew/{w.crew_v2}", tok)
    assert r.status_code == 200
    tag = r.headers["ETag"]
    assert re.fullmatch(rf'"{w.crew_v2}-v\d+"', tag)
    r = requests.get(f"{BASE}/api/v1{base(w)}/{w.v2}/crew/{w.crew_v2}",
                     headers={"Authorization": "Bearer " + tok,
                              "If-None-Match": tag})
    assert r.status_code == 304 and r.headers["ETag"] == tag
    r = w.owner.get(f"{base(w)}/{w.v2}/crew/{w.crew_v2}")
    assert r.status_code == 200 and "Invite user" in r.text


def test_answered_advances_block_deletion_empty_ones_go_with_it(w):
    cid, name = new_collab(w)
    tpl = module_template(w.event, "Rider")
    q = question(w.event, tpl, 1, "Console", "text")
    empty = advance(w.event, cid, "Not started yet")
    module(w.event, empty, tpl)
    answered = advance(w.event, cid, "Half done")
    answer(w.event, module(w.event, answered, tpl), q, "SD12")
    # An advance holding answers stops the deletion, named on the page
    # and in the problem; nothing goes.
    r = w.owner.get(f"{base(w)}/{cid}/delete")
    assert r.status_code == 200 and "Half done" in r.text
    assert "Not started yet" not in r.text
    tok = create_token(w.owner, "read-write")
    p = problem(api(w.owner, "POST", f"{base(w)}/{cid}/delete", tok,
                    json={}), 409, "in-use")
    assert "advances with answers (Half done)" in p["detail"]
    assert sql_one(f"SELECT COUNT(*) FROM advances WHERE collaborator_id ="
                   f" {cid}") == "2"
    # Without it, the empty advance goes with the collaborator.
    sql(f"DELETE FROM advances WHERE id = {answered}")
    w.owner.get(f"{base(w)}/{cid}/delete")
    r = w.owner.post(f"{base(w)}/{cid}/delete", {})
    assert r.status_code == 303, r.text[:1000]
    assert sql_one(f"SELECT COUNT(*) FROM advances WHERE id = {empty}") \
        == "0"
    assert sql_one(f"SELECT COUNT(*) FROM collaborators WHERE id = {cid}") \
        == "0"
