"""Members, roles, org licenses and invitations of team organizations
(PRODUCT §3, §4; issue 3 items 2, 4, 6, 7; RELIABILITY T19, AC-3, AC-5)."""

import re
import threading

import requests

from bo import (BASE, BASE_NOLIMIT, PASSWORD, Browser, last_mail, link_with,
                new_org, new_user, sql, sql_one, unique_email)
from test_core import create_token, problem


# --- helpers -----------------------------------------------------------------

def uid_of(addr):
    return sql_one(f"SELECT id FROM users WHERE email_norm = '{addr.lower()}'")


def member_row(oid, addr):
    """(role, product) of a membership, or None."""
    rows = sql(f"SELECT m.role, COALESCE(p.product, '-') FROM org_members m"
               f" JOIN users u ON u.id = m.user_id"
               f" LEFT JOIN license_pools p ON p.id = m.pool_id"
               f" WHERE m.org_id = {oid} AND u.email_norm = '{addr.lower()}'")
    return tuple(rows[0]) if rows else None


def state(oid):
    """Everything an invitation or member change could have written."""
    return (
        sql(f"SELECT user_id, role, COALESCE(pool_id, 0), version FROM"
            f" org_members WHERE org_id = {oid} ORDER BY user_id"),
        sql(f"SELECT id, email_norm, status, HEX(token_hash), expires_at FROM"
            f" org_invitations WHERE org_id = {oid} ORDER BY id"),
        sql_one("SELECT COUNT(*) FROM outbox"),
        sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid}"),
    )


def invite(b, oid, emails, role="member", license="org_standard"):
    b.get(f"/orgs/{oid}/invitations")
    return b.post(f"/orgs/{oid}/invitations",
                  {"emails": emails, "role": role, "license": license})


def accept_path(addr):
    link = link_with(last_mail(addr), "/invitations/accept?token=")
    return link[link.index("/invitations/accept"):]


def token_of(path):
    return path.split("token=", 1)[1]


def add_member(owner, oid, role="member", license="org_standard",
               verified=True):
    """A new account made a member of oid through an invitation of an
    existing account (added at once); returns its signed-in Browser."""
    u = new_user(verified=verified)
    r = invite(owner, oid, u.email, role=role, license=license)
    assert r.status_code == 303, r.text
    assert member_row(oid, u.email) == (role, license)
    return u


def version_of(oid, addr):
    return sql_one(f"SELECT m.version FROM org_members m JOIN users u ON"
                   f" u.id = m.user_id WHERE m.org_id = {oid}"
                   f" AND u.email_norm = '{addr.lower()}'")


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


# --- the members page ----------------------------------------------------------

def test_members_list_filters_and_controls():
    owner = new_user()
    oid = new_org(owner, org_standard=5, org_pro=2)
    m1 = add_member(owner, oid)
    admin = add_member(owner, oid, role="admin", license="org_pro")

    page = owner.get(f"/orgs/{oid}/members")
    assert page.status_code == 200
    for u in (owner, m1, admin):
        assert u.email in page.text
    assert f"/members/{uid_of(m1.email)}/remove" in page.text
    assert f"/members/{uid_of(m1.email)}/role" in page.text
    # The owner's own row has no Remove (leaving is its own action).
    assert f"/members/{uid_of(owner.email)}/remove" not in page.text

    # JSON twin: {items: [...]}, oldest member first.
    j = owner.s.get(BASE_NOLIMIT + f"/api/v1/orgs/{oid}/members").json()
    assert [i["email"] for i in j["items"]] == [owner.email, m1.email,
                                                admin.email]
    first = j["items"][0]
    assert first["role"] == "owner" and first["license"] == "org_standard"
    assert first["joined_at"].endswith("Z") and first["name"]

    # Filters by role and by license.
    j = owner.s.get(BASE_NOLIMIT +
                    f"/api/v1/orgs/{oid}/members?role=admin").json()
    assert [i["email"] for i in j["items"]] == [admin.email]
    j = owner.s.get(BASE_NOLIMIT +
                    f"/api/v1/orgs/{oid}/members?license=org_pro").json()
    assert [i["email"] for i in j["items"]] == [admin.email]
    r = owner.get(f"/orgs/{oid}/members?role=boss")
    assert r.status_code == 422 and "Role must be" in r.text

    # A plain member sees the list but no controls.
    page = m1.get(f"/orgs/{oid}/members")
    assert page.status_code == 200 and owner.email in page.text
    assert "/remove" not in page.text and "/role" not in page.text
    assert "Invite people" not in page.text
    j = m1.s.get(BASE_NOLIMIT + f"/api/v1/orgs/{oid}/members").json()
    assert j["can_manage"] is False
    assert not any(i["editable"] for i in j["items"])
    # An admin manages members and admins, never owners.
    j = admin.s.get(BASE_NOLIMIT + f"/api/v1/orgs/{oid}/members").json()
    rows = {i["email"]: i for i in j["items"]}
    assert rows[m1.email]["editable"] and not rows[owner.email]["editable"]


def test_member_cannot_manage():
    owner = new_user()
    oid = new_org(owner)
    m1 = add_member(owner, oid)
    m2 = add_member(owner, oid)
    before = state(oid)
    assert m1.get(f"/orgs/{oid}/invitations").status_code == 403
    r = invite(m1, oid, unique_email())
    assert r.status_code == 403
    m1.get(f"/orgs/{oid}/members")
    for path, data in ((f"/members/{uid_of(m2.email)}/role",
                        {"role": "admin"}),
                       (f"/members/{uid_of(m2.email)}/license",
                        {"license": "org_pro"}),
                       (f"/members/{uid_of(m2.email)}/remove", {})):
        assert m1.post(f"/orgs/{oid}{path}", data).status_code == 403, path
    assert state(oid) == before


# --- inviting ---------------------------------------------------------------

def test_existing_account_is_added_at_once_with_mail():
    owner = new_user()
    oid = new_org(owner, name="Stagehands Ltd", org_standard=3, org_pro=1)
    other = new_user()
    r = invite(owner, oid, other.email.upper(), license="org_pro")
    assert r.status_code == 303
    assert r.headers["Location"] == f"/orgs/{oid}/members"
    assert member_row(oid, other.email) == ("member", "org_pro")
    msg = last_mail(other.email)
    assert "added to Stagehands Ltd" in msg["Subject"]
    assert f"/orgs/{oid}" in msg.get_content()
    assert sql_one(f"SELECT COUNT(*) FROM org_invitations WHERE org_id = "
                   f"{oid}") == "0"
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'member.added' AND target_id = "
                   f"{uid_of(other.email)} AND changes LIKE '%org_pro%'") == "1"
    # The new member reaches the organization straight away.
    assert other.get(f"/orgs/{oid}").status_code == 200
    assert other.get(f"/orgs/{oid}/members").status_code == 200


def test_invite_json_twin_batch_of_existing_and_new():
    owner = new_user()
    oid = new_org(owner, org_standard=4)
    tok = create_token(owner, "read-write")
    existing = new_user()
    fresh = unique_email("fresh")
    r = requests.post(BASE + f"/api/v1/orgs/{oid}/invitations",
                      json={"emails": f"{existing.email}, {fresh}",
                            "role": "admin", "license": "org_standard"},
                      headers=bearer(tok))
    assert r.status_code == 201, r.text
    body = r.json()
    assert [a["email"] for a in body["added"]] == [existing.email]
    assert [i["email"] for i in body["invited"]] == [fresh]
    assert member_row(oid, existing.email) == ("admin", "org_standard")
    j = requests.get(BASE + f"/api/v1/orgs/{oid}/invitations",
                     headers=bearer(tok)).json()
    assert [i["email"] for i in j["items"]] == [fresh]
    assert j["items"][0]["role"] == "admin"
    assert j["items"][0]["expires_at"].endswith("Z")
    # A read-only token may look but not invite.
    ro = create_token(owner, "read")
    problem(requests.post(BASE + f"/api/v1/orgs/{oid}/invitations",
                          json={"emails": unique_email(), "role": "member",
                                "license": "org_standard"},
                          headers=bearer(ro)), 403, "token-scope")


def test_new_email_invitation_through_mail_into_signup_and_org():
    owner = new_user()
    oid = new_org(owner, name="Riverside Fest", org_standard=2)
    addr = unique_email("newbie")
    r = invite(owner, oid, addr, role="admin")
    assert r.status_code == 303
    assert r.headers["Location"] == f"/orgs/{oid}/invitations"
    inv = sql(f"SELECT status, role, TIMESTAMPDIFF(HOUR, created_at,"
              f" expires_at) FROM org_invitations WHERE org_id = {oid}")
    assert inv == [["pending", "admin", "168"]]
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'invitation.created'") == "1"
    # The token is stored only as a keyed hash.
    path = accept_path(addr)
    assert token_of(path).startswith("boinv_")
    assert sql_one(f"SELECT COUNT(*) FROM org_invitations WHERE token_hash ="
                   f" '{token_of(path)}'") == "0"
    listing = owner.get(f"/orgs/{oid}/invitations")
    assert addr in listing.text and "Resend" in listing.text

    b = Browser()
    page = b.get(path)
    assert page.status_code == 200
    assert "Join Riverside Fest" in page.text
    assert f'value="{addr}" readonly' in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # Password policy: 422, the form again with the name kept; nothing made.
    r = b.post("/invitations/accept", {"token": token_of(path),
                                       "name": "New Person",
                                       "password": "short",
                                       "timezone": "Europe/Berlin"})
    assert r.status_code == 422
    assert 'value="New Person"' in r.text and "12" in r.text
    assert uid_of(addr) is None
    r = b.post("/invitations/accept", {"token": token_of(path),
                                       "name": "New Person",
                                       "password": PASSWORD,
                                       "timezone": "Europe/Berlin"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == f"/orgs/{oid}"
    assert b.get(f"/orgs/{oid}").status_code == 200     # signed in, member
    assert member_row(oid, addr) == ("admin", "org_standard")
    assert sql_one(f"SELECT email_verified_at IS NOT NULL FROM users WHERE"
                   f" email_norm = '{addr}'") == "1"
    assert sql(f"SELECT status, accepted_user_id FROM org_invitations"
               f" WHERE org_id = {oid}") == [["accepted", uid_of(addr)]]
    # The reservation became the assignment: same pool, no extra use.
    assert sql_one(f"SELECT COUNT(*) FROM org_members m JOIN license_pools p"
                   f" ON p.id = m.pool_id WHERE m.org_id = {oid}") == "2"
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'invitation.accepted'") == "1"
    # A used link is dead.
    fresh = Browser()
    r = fresh.get(path)
    assert r.status_code == 410 and "no longer valid" in r.text
    fresh.get("/login")                         # a form's CSRF token
    r = fresh.post("/invitations/accept", {"token": token_of(path),
                                           "name": "X", "password": PASSWORD,
                                           "timezone": "UTC"})
    assert r.status_code == 410


def test_invite_bad_input_names_each_row_and_changes_nothing():
    owner = new_user()
    oid = new_org(owner, org_standard=10)
    member = add_member(owner, oid)
    pending = unique_email("pending")
    assert invite(owner, oid, pending).status_code == 303
    before = state(oid)
    good = unique_email("good")

    r = invite(owner, oid, f"{good}\nnot-an-address, {member.email} "
                           f"{pending}\nalso@bad")
    assert r.status_code == 422
    assert "not-an-address is not a valid email address" in r.text
    assert "also@bad is not a valid email address" in r.text
    assert f"{member.email} is already a member" in r.text
    assert f"{pending} already has a pending invitation" in r.text
    assert good in r.text                       # what was typed is kept
    assert state(oid) == before

    r = invite(owner, oid, good, role="boss")
    assert r.status_code == 422 and "Role must be" in r.text
    r = invite(owner, oid, good, license="event_pro")
    assert r.status_code == 422 and "License must be" in r.text
    r = invite(owner, oid, " , \n ")
    assert r.status_code == 422
    r = invite(owner, oid, " ".join(unique_email() for _ in range(101)))
    assert r.status_code == 422 and "at most 100" in r.text
    assert state(oid) == before

    # JSON: a problem with one errors[] entry per bad row.
    tok = create_token(owner, "read-write")
    p = problem(requests.post(BASE + f"/api/v1/orgs/{oid}/invitations",
                              json={"emails": f"{member.email} nope",
                                    "role": "member",
                                    "license": "org_standard"},
                              headers=bearer(tok)), 422, "validation-failed")
    codes = sorted(e["code"] for e in p["errors"])
    assert codes == ["already-member", "email"]
    assert state(oid)[:2] == before[:2]


def test_not_enough_licenses_refuses_whole_batch():
    owner = new_user()
    oid = new_org(owner, org_standard=3, org_pro=0)     # 2 free
    assert invite(owner, oid, unique_email()).status_code == 303  # 1 left
    existing = new_user()
    before = state(oid)
    r = invite(owner, oid, f"{existing.email} {unique_email()}")
    assert r.status_code == 409
    assert "Not enough free Org Standard licenses: 2 needed, 1 free" in r.text
    assert state(oid) == before
    assert member_row(oid, existing.email) is None
    tok = create_token(owner, "read-write")
    problem(requests.post(BASE + f"/api/v1/orgs/{oid}/invitations",
                          json={"emails": "a@x.test b@x.test",
                                "role": "member", "license": "org_standard"},
                          headers=bearer(tok)), 409, "no-seats-available")
    # No Org Pro pool with room at all.
    r = invite(owner, oid, existing.email, license="org_pro")
    assert r.status_code == 409 and "Org Pro" in r.text


def test_revoke_and_expiry_release_the_reservation():
    owner = new_user()
    oid = new_org(owner, org_standard=2)                # 1 free
    first = unique_email("first")
    assert invite(owner, oid, first).status_code == 303
    second = unique_email("second")
    assert invite(owner, oid, second).status_code == 409
    iid = sql_one(f"SELECT id FROM org_invitations WHERE org_id = {oid}")
    path = accept_path(first)
    owner.get(f"/orgs/{oid}/invitations")
    r = owner.post(f"/orgs/{oid}/invitations/{iid}/revoke")
    assert r.status_code == 303
    assert sql_one(f"SELECT status FROM org_invitations WHERE id = {iid}") \
        == "revoked"
    assert Browser().get(path).status_code == 410
    assert owner.post(f"/orgs/{oid}/invitations/{iid}/revoke").status_code \
        == 409
    # The license is free again; let that invitation expire: free again.
    assert invite(owner, oid, second).status_code == 303
    sql(f"UPDATE org_invitations SET expires_at = UTC_TIMESTAMP(3) WHERE"
        f" org_id = {oid} AND status = 'pending'")
    path2 = accept_path(second)
    b = Browser()
    assert b.get(path2).status_code == 410
    b.get("/login")
    assert b.post("/invitations/accept", {"token": token_of(path2), "name":
                  "Late", "password": PASSWORD, "timezone": "UTC"}
                  ).status_code == 410
    assert uid_of(second) is None
    third = unique_email("third")
    assert invite(owner, oid, third).status_code == 303
    # An expired invitation is not pending: the address can be asked again.
    assert invite(owner, oid, second).status_code == 409   # no license left
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'invitation.revoked'") == "1"


def test_resend_kills_the_old_link():
    owner = new_user()
    oid = new_org(owner)
    addr = unique_email("resend")
    assert invite(owner, oid, addr).status_code == 303
    old = accept_path(addr)
    iid = sql_one(f"SELECT id FROM org_invitations WHERE org_id = {oid}")
    sql(f"UPDATE org_invitations SET expires_at = UTC_TIMESTAMP(3) +"
        f" INTERVAL 1 DAY WHERE id = {iid}")
    owner.get(f"/orgs/{oid}/invitations")
    r = owner.post(f"/orgs/{oid}/invitations/{iid}/resend")
    assert r.status_code == 303
    new = accept_path(addr)
    assert new != old
    assert sql_one(f"SELECT TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(3), expires_at)"
                   f" FROM org_invitations WHERE id = {iid}") in ("167", "168")
    b = Browser()
    assert b.get(old).status_code == 410
    assert b.get(new).status_code == 200
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'invitation.resent'") == "1"


def test_personal_workspace_refuses_invitations():
    u = new_user()
    pid = sql_one(f"SELECT o.id FROM orgs o JOIN users u ON"
                  f" u.id = o.personal_user_id WHERE u.email_norm = '{u.email}'")
    before = sql_one("SELECT COUNT(*) FROM org_invitations")
    r = u.get(f"/orgs/{pid}/invitations")
    assert r.status_code == 403 and "personal workspace" in r.text
    u.get("/account")
    r = u.post(f"/orgs/{pid}/invitations", {"emails": unique_email(),
                                            "role": "member",
                                            "license": "org_standard"})
    assert r.status_code == 403 and "personal workspace" in r.text
    assert sql_one("SELECT COUNT(*) FROM org_invitations") == before
    assert sql_one(f"SELECT COUNT(*) FROM org_members WHERE org_id = {pid}") \
        == "0"
    r = u.post(f"/orgs/{pid}/leave")
    assert r.status_code == 403
    page = u.get(f"/orgs/{pid}/members")
    assert page.status_code == 200 and "single user" in page.text


def test_unverified_admin_cannot_invite_and_admin_cannot_invite_owner():
    owner = new_user()
    oid = new_org(owner)
    unverified = add_member(owner, oid, role="admin", verified=False)
    before = state(oid)
    r = invite(unverified, oid, unique_email())
    assert r.status_code == 403 and "Verify your email" in r.text
    admin = add_member(owner, oid, role="admin")
    before = state(oid)
    r = invite(admin, oid, unique_email(), role="owner")
    assert r.status_code == 403 and "Only owners" in r.text
    assert state(oid) == before
    assert invite(owner, oid, unique_email(), role="owner").status_code == 303


# --- roles, licenses, removing, leaving --------------------------------------

def test_roles_and_the_last_owner_rule():
    owner = new_user()
    oid = new_org(owner)
    m = add_member(owner, oid)
    admin = add_member(owner, oid, role="admin")
    mid, aid, oid_owner = uid_of(m.email), uid_of(admin.email), \
        uid_of(owner.email)

    # Admins promote members to admin, but never to owner, and leave
    # owners alone.
    admin.get(f"/orgs/{oid}/members")
    r = admin.post(f"/orgs/{oid}/members/{mid}/role", {"role": "admin"})
    assert r.status_code == 303 and member_row(oid, m.email)[0] == "admin"
    before = state(oid)
    r = admin.post(f"/orgs/{oid}/members/{mid}/role", {"role": "owner"})
    assert r.status_code == 403
    r = admin.post(f"/orgs/{oid}/members/{oid_owner}/role",
                   {"role": "member"})
    assert r.status_code == 403
    # Unknown role: 422 naming the field.
    r = admin.post(f"/orgs/{oid}/members/{mid}/role", {"role": "boss"})
    assert r.status_code == 422 and "Role must be" in r.text
    assert state(oid) == before

    # The last owner can't be demoted, removed, or leave.
    owner.get(f"/orgs/{oid}/members")
    r = owner.post(f"/orgs/{oid}/members/{oid_owner}/role",
                   {"role": "admin"})
    assert r.status_code == 409 and "last owner" in r.text
    r = owner.post(f"/orgs/{oid}/members/{oid_owner}/remove")
    assert r.status_code == 409
    r = owner.post(f"/orgs/{oid}/leave")
    assert r.status_code == 409
    tok = create_token(owner, "read-write")
    problem(requests.post(BASE + f"/api/v1/orgs/{oid}/members/{oid_owner}/"
                          "role", json={"role": "member"},
                          headers=bearer(tok)), 409, "last-owner")
    problem(requests.post(BASE + f"/api/v1/orgs/{oid}/leave", json={},
                          headers=bearer(tok)), 409, "last-owner")
    assert state(oid) == before

    # Promote first, then step down.
    r = owner.post(f"/orgs/{oid}/members/{aid}/role", {"role": "owner"})
    assert r.status_code == 303
    r = owner.post(f"/orgs/{oid}/members/{oid_owner}/role",
                   {"role": "member"})
    assert r.status_code == 303
    assert member_row(oid, owner.email)[0] == "member"
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'member.role_changed' AND changes LIKE"
                   f" '%\"old\":\"owner\"%'") == "1"
    # The one owner left is again the last.
    admin.get(f"/orgs/{oid}/members")
    r = admin.post(f"/orgs/{oid}/leave")
    assert r.status_code == 409


def test_stale_version_is_a_conflict():
    owner = new_user()
    oid = new_org(owner, org_pro=2)
    m = add_member(owner, oid)
    mid = uid_of(m.email)
    v = version_of(oid, m.email)
    owner.get(f"/orgs/{oid}/members")
    r = owner.post(f"/orgs/{oid}/members/{mid}/role",
                   {"role": "admin", "version": v})
    assert r.status_code == 303
    before = state(oid)
    r = owner.post(f"/orgs/{oid}/members/{mid}/role",
                   {"role": "member", "version": v})
    assert r.status_code == 409 and "admin" in r.text
    r = owner.post(f"/orgs/{oid}/members/{mid}/license",
                   {"license": "org_pro", "version": v})
    assert r.status_code == 409
    assert state(oid) == before


def test_switch_license_race_safe_and_refused_when_full():
    owner = new_user()
    oid = new_org(owner, org_standard=5, org_pro=1)
    m1 = add_member(owner, oid)
    m2 = add_member(owner, oid)
    owner.get(f"/orgs/{oid}/members")
    r = owner.post(f"/orgs/{oid}/members/{uid_of(m1.email)}/license",
                   {"license": "org_pro"})
    assert r.status_code == 303
    assert member_row(oid, m1.email) == ("member", "org_pro")
    before = state(oid)
    r = owner.post(f"/orgs/{oid}/members/{uid_of(m2.email)}/license",
                   {"license": "org_pro"})
    assert r.status_code == 409
    assert "No Org Pro license is free" in r.text
    r = owner.post(f"/orgs/{oid}/members/{uid_of(m2.email)}/license",
                   {"license": "enterprise"})
    assert r.status_code == 422 and "License must be" in r.text
    assert state(oid) == before
    tok = create_token(owner, "read-write")
    problem(requests.post(BASE + f"/api/v1/orgs/{oid}/members/"
                          f"{uid_of(m2.email)}/license",
                          json={"license": "org_pro"}, headers=bearer(tok)),
            409, "no-seats-available")
    # Switching back frees the Pro license for someone else.
    r = owner.post(f"/orgs/{oid}/members/{uid_of(m1.email)}/license",
                   {"license": "org_standard"})
    assert r.status_code == 303
    r = requests.post(BASE + f"/api/v1/orgs/{oid}/members/"
                      f"{uid_of(m2.email)}/license",
                      json={"license": "org_pro"}, headers=bearer(tok))
    assert r.status_code == 200 and r.json()["member"]["license"] == "org_pro"
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'member.license_changed'") == "3"


def test_removed_member_is_refused_on_the_next_request():
    owner = new_user()
    oid = new_org(owner, org_standard=3)
    m = add_member(owner, oid)
    mt = create_token(m, "read")
    assert m.get(f"/orgs/{oid}/members").status_code == 200
    mid = uid_of(m.email)
    owner.get(f"/orgs/{oid}/members")
    r = owner.post(f"/orgs/{oid}/members/{mid}/remove")
    assert r.status_code == 303
    assert member_row(oid, m.email) is None
    for path in (f"/orgs/{oid}", f"/orgs/{oid}/members"):
        assert m.get(path).status_code == 404, path
    problem(requests.get(BASE + f"/api/v1/orgs/{oid}/members",
                         headers=bearer(mt)), 404, "not-found")
    # The account itself is untouched, and the license is free again.
    assert m.get("/account").status_code == 200
    assert sql_one(f"SELECT action FROM audit_log WHERE org_id = {oid} AND"
                   f" target_id = {mid} ORDER BY id DESC LIMIT 1") \
        == "member.removed"
    assert owner.post(f"/orgs/{oid}/members/{mid}/remove").status_code == 404
    assert invite(owner, oid, f"{unique_email()} {unique_email()}") \
        .status_code == 303


def test_owner_rules_for_removal_and_member_leaving():
    owner = new_user()
    oid = new_org(owner)
    owner2 = add_member(owner, oid, role="owner")
    admin = add_member(owner, oid, role="admin")
    m = add_member(owner, oid)
    before = state(oid)
    admin.get(f"/orgs/{oid}/members")
    r = admin.post(f"/orgs/{oid}/members/{uid_of(owner2.email)}/remove")
    assert r.status_code == 403
    assert state(oid) == before
    # Owners remove owners (there is another one).
    owner.get(f"/orgs/{oid}/members")
    r = owner.post(f"/orgs/{oid}/members/{uid_of(owner2.email)}/remove")
    assert r.status_code == 303
    # Anyone else may leave.
    m.get(f"/orgs/{oid}/members")
    r = m.post(f"/orgs/{oid}/leave")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert member_row(oid, m.email) is None
    assert m.get(f"/orgs/{oid}").status_code == 404
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'member.left'") == "1"


# --- accepting ------------------------------------------------------------------

def test_accept_as_other_account_changes_nothing():
    owner = new_user()
    oid = new_org(owner)
    addr = unique_email("invitee")
    assert invite(owner, oid, addr).status_code == 303
    path = accept_path(addr)
    intruder = new_user()
    before = state(oid)
    r = intruder.get(path)
    assert r.status_code == 409
    assert f"This invitation is for {addr}" in r.text
    assert "Sign out first" in r.text
    r = intruder.post("/invitations/accept", {"token": token_of(path)})
    assert r.status_code == 409
    assert state(oid) == before
    assert member_row(oid, intruder.email) is None
    assert intruder.get(f"/orgs/{oid}").status_code == 404


def test_accept_signed_in_with_the_invited_address():
    owner = new_user()
    oid = new_org(owner, name="Quay Events")
    addr = unique_email("later")
    assert invite(owner, oid, addr).status_code == 303
    path = accept_path(addr)
    # The person signs up on their own (unverified), then opens the link.
    b = Browser()
    assert b.signup(addr).status_code == 200
    assert b.login(addr).status_code == 303
    page = b.get(path)
    assert page.status_code == 200 and "Join Quay Events" in page.text
    assert 'action="/invitations/accept"' in page.text
    r = b.post("/invitations/accept", {"token": token_of(path)})
    assert r.status_code == 303 and r.headers["Location"] == f"/orgs/{oid}"
    assert member_row(oid, addr) == ("member", "org_standard")
    assert sql_one(f"SELECT email_verified_at IS NOT NULL FROM users WHERE"
                   f" email_norm = '{addr}'") == "1"
    assert b.get(f"/orgs/{oid}").status_code == 200


def test_accept_signed_out_with_an_existing_account_signs_in_first():
    owner = new_user()
    oid = new_org(owner)
    addr = unique_email("returning")
    assert invite(owner, oid, addr).status_code == 303
    path = accept_path(addr)
    made = Browser()
    assert made.signup(addr).status_code == 200     # account exists now
    b = Browser()
    page = b.get(path)
    assert page.status_code == 200
    m = re.search(r'href="(/login\?next=[^"]+)"', page.text)
    assert m and "%2Finvitations%2Faccept%3Ftoken%3Dboinv_" in m.group(1)
    before = state(oid)
    b.get("/login")
    r = b.post("/invitations/accept", {"token": token_of(path), "name": "X",
                                       "password": PASSWORD,
                                       "timezone": "UTC"})
    assert r.status_code == 409 and "sign in" in r.text
    assert state(oid) == before
    r = b.login(addr, next=path)
    assert r.status_code == 303 and r.headers["Location"] == path
    page = b.get(path)
    assert "Join" in page.text
    assert b.post("/invitations/accept",
                  {"token": token_of(path)}).status_code == 303
    assert member_row(oid, addr) == ("member", "org_standard")


def test_unknown_and_malformed_links_are_410():
    b = Browser()
    for tok in ("boinv_" + "A" * 43, "nonsense", "bover_" + "A" * 43):
        r = b.get(f"/invitations/accept?token={tok}")
        assert r.status_code in (410, 422), tok
    r = b.get("/invitations/accept?token=boinv_" + "A" * 43)
    assert r.status_code == 410
    r = requests.get(BASE + "/api/v1/invitations/accept?token=boinv_" +
                     "A" * 43)
    problem(r, 410, "invitation-invalid")


# --- tenancy ---------------------------------------------------------------

def test_member_of_one_org_gets_404_for_everything_of_another():
    a_owner = new_user()
    org_a = new_org(a_owner)
    b_owner = new_user()
    org_b = new_org(b_owner)
    b_member = add_member(b_owner, org_b)
    assert invite(b_owner, org_b, unique_email()).status_code == 303
    b_inv = sql_one(f"SELECT id FROM org_invitations WHERE org_id = {org_b}")
    b_uid = uid_of(b_member.email)
    before = state(org_b)
    tok = create_token(a_owner, "read-write")

    for path in (f"/orgs/{org_b}/members", f"/orgs/{org_b}/invitations",
                 f"/orgs/{org_b}/members?role=owner"):
        assert a_owner.get(path).status_code == 404, path
        problem(requests.get(BASE + "/api/v1" + path, headers=bearer(tok)),
                404, "not-found")
    a_owner.get(f"/orgs/{org_a}/members")
    posts = [(f"/orgs/{org_b}/members/{b_uid}/role", {"role": "admin"}),
             (f"/orgs/{org_b}/members/{b_uid}/license",
              {"license": "org_pro"}),
             (f"/orgs/{org_b}/members/{b_uid}/remove", {}),
             (f"/orgs/{org_b}/leave", {}),
             (f"/orgs/{org_b}/invitations",
              {"emails": unique_email(), "role": "member",
               "license": "org_standard"}),
             (f"/orgs/{org_b}/invitations/{b_inv}/resend", {}),
             (f"/orgs/{org_b}/invitations/{b_inv}/revoke", {}),
             # B's objects addressed through A's own organization.
             (f"/orgs/{org_a}/members/{b_uid}/role", {"role": "admin"}),
             (f"/orgs/{org_a}/members/{b_uid}/license",
              {"license": "org_pro"}),
             (f"/orgs/{org_a}/members/{b_uid}/remove", {}),
             (f"/orgs/{org_a}/invitations/{b_inv}/resend", {}),
             (f"/orgs/{org_a}/invitations/{b_inv}/revoke", {})]
    for path, data in posts:
        assert a_owner.post(path, data).status_code == 404, path
        problem(requests.post(BASE + "/api/v1" + path, json=data,
                              headers=bearer(tok)), 404, "not-found")
    assert state(org_b) == before


# --- T19: the race for the last license ------------------------------------

def test_twenty_concurrent_invitations_for_one_free_license():
    owner = new_user()
    oid = new_org(owner, org_standard=2, org_pro=0)     # exactly 1 free
    invitees = [new_user(verified=False) for _ in range(20)]
    admins = []
    for _ in range(20):                 # each request its own session
        b = Browser(BASE_NOLIMIT)
        assert b.login(owner.email).status_code == 303
        b.get(f"/orgs/{oid}/invitations")
        admins.append(b)
    results = [None] * 20
    start = threading.Barrier(20)

    def run(i):
        start.wait()
        results[i] = admins[i].post(
            f"/orgs/{oid}/invitations",
            {"emails": invitees[i].email, "role": "member",
             "license": "org_standard"})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303] + [409] * 19, statuses
    for r in results:
        if r.status_code == 409:
            assert "Not enough free Org Standard licenses" in r.text
    assert sql_one(f"SELECT COUNT(*) FROM org_members WHERE org_id = {oid}") \
        == "2"
    # Per pool, assigned + reserved never exceeds the quantity.
    assert sql(f"SELECT p.quantity, (SELECT COUNT(*) FROM org_members m"
               f" WHERE m.pool_id = p.id) + (SELECT COUNT(*) FROM"
               f" org_invitations i WHERE i.pool_id = p.id AND i.status ="
               f" 'pending') FROM license_pools p WHERE p.org_id = {oid} AND"
               f" p.product = 'org_standard'") == [["2", "2"]]
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {oid} AND"
                   f" action = 'member.added'") == "1"


def test_concurrent_json_invitations_of_new_addresses():
    owner = new_user()
    oid = new_org(owner, org_standard=1, org_pro=2)     # 2 Pro free
    tok = create_token(owner, "read-write")
    results = [None] * 10
    start = threading.Barrier(10)

    def run(i):
        start.wait()
        results[i] = requests.post(
            BASE_NOLIMIT + f"/api/v1/orgs/{oid}/invitations",
            json={"emails": unique_email(f"race{i}"), "role": "member",
                  "license": "org_pro"}, headers=bearer(tok))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201] * 2 + [409] * 8, statuses
    for r in results:
        if r.status_code == 409:
            assert r.json()["code"] == "no-seats-available"
    assert sql_one(f"SELECT COUNT(*) FROM org_invitations WHERE org_id ="
                   f" {oid} AND status = 'pending'") == "2"
