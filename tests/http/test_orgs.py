"""Team organizations: creation, the organization home, the workspace
switcher, tenancy (a foreign organization is a 404) and the audit log
(PRODUCT §2–§4, §20)."""

import re

import requests

from bo import BASE, Browser, new_org, new_user, sql, sql_one


def test_create_org_makes_owner_with_license_pools_and_audit():
    u = new_user()
    oid = new_org(u, name="Festival Co", org_standard=3, org_pro=1,
                  event_pro=2, license="org_pro")
    assert sql_one(f"SELECT kind FROM orgs WHERE id = {oid}") == "team"
    rows = sql(f"SELECT product, quantity FROM license_pools WHERE org_id = "
               f"{oid} ORDER BY product")
    assert sorted(rows) == [["event_pro", "2"], ["org_pro", "1"],
                            ["org_standard", "3"]]
    assert sql_one(f"SELECT CONCAT(m.role, ':', p.product) FROM org_members m"
                   f" JOIN license_pools p ON p.id = m.pool_id"
                   f" WHERE m.org_id = {oid}") == "owner:org_pro"
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} "
                   f"AND action = 'org.created'") == "1"
    home = u.get(f"/orgs/{oid}")
    assert home.status_code == 200 and "Festival Co" in home.text
    # The switcher lists it; the org is now the remembered workspace.
    assert "Festival Co" in u.get("/account").text
    r = u.get("/")
    assert r.status_code == 303 and r.headers["Location"] == f"/orgs/{oid}"


def test_create_org_json_twin():
    u = new_user()
    tok_page = u.get("/account/tokens")
    r = u.post("/account/tokens", {"name": "rw", "scope": "read-write"})
    tok = re.search(r"boapi_[A-Za-z0-9_-]{43}", r.text).group(0)
    r = requests.post(BASE + "/api/v1/orgs", json={
        "name": "API Org", "timezone": "UTC", "org_standard": 2,
        "license": "org_standard"}, headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 201, r.text
    org = r.json()["org"]
    assert org["name"] == "API Org" and org["my_role"] == "owner"
    r = requests.get(BASE + f"/api/v1/orgs/{org['id']}",
                     headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 200 and r.json()["org"]["kind"] == "team"
    assert tok_page.status_code == 200


def test_create_org_bad_input_changes_nothing():
    u = new_user()
    before = sql_one("SELECT COUNT(*) FROM orgs")
    cases = [
        ({"org_standard": "0", "license": "org_standard"}, "at least 1"),
        ({"org_standard": "-3"}, "from 0 to 10000"),
        ({"org_standard": "100001"}, "from 0 to 10000"),
        ({"org_standard": "lots"}, "whole number"),
        ({"license": "enterprise"}, "Org Standard or Org Pro"),
        ({"name": ""}, "Name is required"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
    ]
    for override, message in cases:
        data = {"name": "Bad Org", "timezone": "UTC", "org_standard": "2",
                "org_pro": "0", "event_pro": "0", "license": "org_standard"}
        data.update(override)
        u.get("/orgs/new")
        r = u.post("/orgs", data)
        assert r.status_code == 422, (override, r.status_code)
        assert message in r.text, (override, message)
        assert 'value="Bad Org"' in r.text or override.get("name") == ""
    assert sql_one("SELECT COUNT(*) FROM orgs") == before


def test_unverified_user_cannot_create_org():
    u = new_user(verified=False)
    u.get("/orgs/new")
    r = u.post("/orgs", {"name": "Nope", "timezone": "UTC",
                         "org_standard": "1", "license": "org_standard"})
    assert r.status_code == 403
    assert "Verify your email" in r.text


def test_foreign_org_is_404_everywhere():
    a = new_user()
    b = new_user()
    oid = new_org(a)
    for path in (f"/orgs/{oid}", f"/orgs/{oid}/audit", f"/orgs/{oid}/members",
                 f"/orgs/{oid}/billing", f"/orgs/{oid}/invitations",
                 f"/api/v1/orgs/{oid}", f"/orgs/999999999"):
        assert b.get(path).status_code == 404, path
    b.get("/")
    assert b.post("/workspace", {"org_id": str(oid)}).status_code == 404
    # The personal workspace of someone else is foreign too.
    pid = sql_one(f"SELECT o.id FROM orgs o JOIN users u ON "
                  f"u.id = o.personal_user_id WHERE u.email_norm = '{a.email}'")
    assert b.get(f"/orgs/{pid}").status_code == 404


def test_session_and_org_standing_come_in_one_statement():
    """A signed-in organization page reads the session and the user's
    standing in the organization together: one statement fewer than the
    same request with an API token, the same answer. The standing is
    still each user's own (role, license, personal workspace), a foreign
    or unknown organization still a 404, and an expired session on an
    organization route still ended."""
    from test_core import create_token
    u = new_user(tag="oone")
    oid = new_org(u, name="One Statement Co")
    tok = create_token(u)
    for path in (f"/api/v1/orgs/{oid}/tasks", f"/api/v1/orgs/{oid}/members",
                 f"/api/v1/orgs/{oid}"):
        for _ in range(2):      # the second: the token's last use is fresh
            by_token = requests.get(
                BASE + path, headers={"Authorization": "Bearer " + tok})
        assert by_token.status_code == 200, path
        by_session = u.s.get(BASE + path)
        assert by_session.status_code == 200, path
        assert int(by_session.headers["X-Debug-Queries"]) == \
            int(by_token.headers["X-Debug-Queries"]) - 1, path
        strip = lambda j: {k: v for k, v in j.items()
                           if k not in ("csrf_token", "request_id")}
        assert strip(by_session.json()) == strip(by_token.json()), path
    assert u.s.get(f"{BASE}/api/v1/orgs/{oid}").json()["org"]["my_role"] \
        == "owner"
    # A member's own standing: no admin action, and without a license
    # the explaining 403.
    v = new_user(tag="otwo")
    vid = sql_one(f"SELECT id FROM users WHERE email_norm = '{v.email}'")
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({oid}, {vid}, 'member', NULL, UTC_TIMESTAMP(3))")
    assert v.s.get(f"{BASE}/api/v1/orgs/{oid}").status_code == 403
    pool = sql_one(f"SELECT id FROM license_pools WHERE org_id = {oid} AND "
                   "product = 'org_standard'")
    sql(f"UPDATE org_members SET pool_id = {pool} WHERE org_id = {oid} AND "
        f"user_id = {vid}")
    r = v.s.get(f"{BASE}/api/v1/orgs/{oid}")
    assert r.status_code == 200 and r.json()["org"]["my_role"] == "member"
    assert v.s.get(f"{BASE}/orgs/{oid}/billing").status_code == 403
    # The personal workspace: its owner's, nobody else's.
    pid = sql_one(f"SELECT o.id FROM orgs o JOIN users x ON "
                  f"x.id = o.personal_user_id WHERE x.email_norm = '{v.email}'")
    r = v.s.get(f"{BASE}/api/v1/orgs/{pid}/tasks")
    assert r.status_code == 200 and r.json()["personal"] is True
    for o in (pid, 999999999):
        assert u.s.get(f"{BASE}/api/v1/orgs/{o}/tasks").status_code == 404
    sid = sql_one("SELECT MAX(s.id) FROM sessions s JOIN users x ON "
                  f"x.id = s.user_id WHERE x.email_norm = '{v.email}'")
    sql(f"UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 31 "
        f"MINUTE WHERE id = {sid}")
    assert v.s.get(f"{BASE}/api/v1/orgs/{oid}").status_code == 401
    assert sql_one(f"SELECT COUNT(*) FROM sessions WHERE id = {sid}") == "0"


def test_workspace_switcher_remembers_choice():
    u = new_user()
    o1 = new_org(u, name="Alpha Works")
    o2 = new_org(u, name="Beta Works")
    page = u.get(f"/orgs/{o1}")
    # Personal first, then team organizations alphabetically.
    names = re.findall(r'class="menu-item-text">([^<]+)<', page.text)
    assert names[:3] == ["Personal workspace", "Alpha Works", "Beta Works"]
    # The list comes with the session on every request: a membership
    # given or taken elsewhere shows on the next page, its name escaped.
    other = new_user()
    o3 = new_org(other, name='Acme & "Sons" <Events>')
    uid = sql_one(f"SELECT id FROM users WHERE email_norm = '{u.email}'")
    sql(f"INSERT INTO org_members (org_id, user_id, role, joined_at) "
        f"VALUES ({o3}, {uid}, 'member', UTC_TIMESTAMP(3))")
    page = u.get(f"/orgs/{o1}")
    names = re.findall(r'class="menu-item-text">([^<]+)<', page.text)
    assert names[:4] == ["Personal workspace",
                         "Acme &amp; &quot;Sons&quot; &lt;Events&gt;",
                         "Alpha Works", "Beta Works"]
    sql(f"DELETE FROM org_members WHERE org_id = {o3} AND user_id = {uid}")
    names = re.findall(r'class="menu-item-text">([^<]+)<',
                       u.get(f"/orgs/{o1}").text)
    assert names[:3] == ["Personal workspace", "Alpha Works", "Beta Works"]
    r = u.post("/workspace", {"org_id": str(o2)})
    assert r.status_code == 303 and r.headers["Location"] == f"/orgs/{o2}"
    assert u.get("/").headers["Location"] == f"/orgs/{o2}"
    pid = sql_one(f"SELECT o.id FROM orgs o JOIN users u ON "
                  f"u.id = o.personal_user_id WHERE u.email_norm = '{u.email}'")
    u.get("/account")
    r = u.post("/workspace", {"org_id": pid})
    assert r.headers["Location"] == "/"
    assert u.get("/").status_code == 200


def test_org_audit_log_newest_first_and_paged():
    u = new_user()
    oid = new_org(u)
    sql("INSERT INTO audit_log (at, org_id, actor_user_id, actor_kind, auth, "
        "action, target_type, target_label) SELECT UTC_TIMESTAMP(3) - "
        f"INTERVAL seq SECOND, {oid}, NULL, 'system', 'none', "
        "CONCAT('test.entry', seq), 'org', 'x' FROM seq_1_to_60")
    r = u.get(f"/orgs/{oid}/audit")
    assert r.status_code == 200
    actions = re.findall(r"<code>((?:org|test)\.[a-z0-9.]+)</code>", r.text)
    assert actions[0] == "org.created"
    assert actions[1] == "test.entry1"
    assert len(actions) == 50
    r2 = u.get(f"/orgs/{oid}/audit?page=2")
    assert "test.entry50" in r2.text and "test.entry49" not in r2.text
    j = u.s.get(BASE + f"/api/v1/orgs/{oid}/audit").json()
    assert j["items"][0]["action"] == "org.created"
    assert u.get(f"/orgs/{oid}/audit?page=0").status_code == 400


def test_member_without_license_sees_explaining_page():
    u = new_user()
    oid = new_org(u, name="Licensed Co")
    v = new_user()
    vid = sql_one(f"SELECT id FROM users WHERE email_norm = '{v.email}'")
    # A membership without an org license (e.g. after a pool closed).
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({oid}, {vid}, 'member', NULL, UTC_TIMESTAMP(3))")
    r = v.get(f"/orgs/{oid}")
    assert r.status_code == 403
    assert "need an org license" in r.text
    assert u.email in r.text          # who can fix it
    assert v.get(f"/api/v1/orgs/{oid}").status_code == 403


def test_audit_entries_keep_their_target_label():
    u = new_user()
    oid = new_org(u, name="Label Check Co")
    assert sql_one(f"SELECT target_label FROM audit_log WHERE org_id = {oid}"
                   f" AND action = 'org.created'") == "Label Check Co"


def test_removing_a_member_takes_them_off_every_org_event():
    from bo import new_event
    owner = new_user()
    oid = new_org(owner, name="Removal Co", event_pro=3)
    ev = new_event(owner, oid)
    m = new_user()
    mid = sql_one(f"SELECT id FROM users WHERE email_norm = '{m.email}'")
    pool = sql_one(f"SELECT id FROM license_pools WHERE org_id = {oid} AND "
                   f"product = 'org_standard'")
    epool = sql_one(f"SELECT pool_id FROM events WHERE id = {ev}")
    host = sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev} AND "
                   f"is_host = 1")
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({oid}, {mid}, 'member', {pool}, UTC_TIMESTAMP(3))")
    sql(f"INSERT INTO event_users (event_id, user_id, collaborator_id, "
        f"joined_at) VALUES ({ev}, {mid}, {host}, UTC_TIMESTAMP(3))")
    sql(f"INSERT INTO event_seats (pool_id, event_id, user_id, assigned_at) "
        f"VALUES ({epool}, {ev}, {mid}, UTC_TIMESTAMP(3))")
    sql(f"INSERT INTO grants (event_id, user_id, domain, scope_id, section, "
        f"level, granted_at) VALUES ({ev}, {mid}, 'event', 0, 'settings', 1,"
        f" UTC_TIMESTAMP(3))")
    assert m.get(f"/events/{ev}").status_code == 200
    owner.get(f"/orgs/{oid}/members")
    r = owner.post(f"/orgs/{oid}/members/{mid}/remove")
    assert r.status_code == 303
    assert m.get(f"/events/{ev}").status_code == 404
    assert m.get(f"/orgs/{oid}").status_code == 404
    for table in ("event_seats", "grants", "event_users"):
        assert sql_one(f"SELECT COUNT(*) FROM {table} WHERE user_id = "
                       f"{mid}") == "0", table


def test_members_list_counts_org_events():
    from bo import new_event
    owner = new_user()
    oid = new_org(owner, event_pro=3)
    new_event(owner, oid)
    new_event(owner, oid)
    items = owner.s.get(
        __import__("bo").BASE + f"/api/v1/orgs/{oid}/members").json()["items"]
    assert items[0]["event_count"] == 2
