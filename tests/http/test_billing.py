"""License pools and billing (PRODUCT §4): the billing page with use,
prices and totals, the confirm step for quantities, the refusal when
lowering below use, adding and closing pools, the billing history and
audit entries, and the billing hook (tests/stack/billing-hook, steered by
control files in $BO_STACK/billing-hook/)."""

import contextlib
import json
import os
import re
import time

import requests

from bo import BASE, new_org, new_user, sql, sql_one
from test_core import create_token, problem

HOOK_DIR = os.path.join(os.environ.get("BO_STACK", ""), "billing-hook")


@contextlib.contextmanager
def hook_mode(org, mode):
    """Make the test hook answer `mode` for one organization."""
    os.makedirs(HOOK_DIR, exist_ok=True)
    path = os.path.join(HOOK_DIR, f"mode.{org}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(mode + "\n")
    try:
        yield
    finally:
        os.unlink(path)


def hook_requests(org):
    path = os.path.join(HOOK_DIR, f"requests.{org}.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def user_id(b):
    return int(sql_one(f"SELECT id FROM users WHERE email_norm = '{b.email}'"))


def pool_of(org, product):
    return int(sql_one(f"SELECT id FROM license_pools WHERE org_id = {org} "
                       f"AND product = '{product}' AND status = 'active' "
                       f"ORDER BY id LIMIT 1"))


def pool_row(pool):
    q, v, st = sql(f"SELECT quantity, version, status FROM license_pools "
                   f"WHERE id = {pool}")[0]
    return int(q), int(v), st


def count(query):
    return int(sql_one(query))


def events_of(org):
    return count(f"SELECT COUNT(*) FROM billing_events WHERE org_id = {org}")


def audits_of(org, action):
    return count(f"SELECT COUNT(*) FROM audit_log WHERE org_id = {org} "
                 f"AND action = '{action}'")


def add_member(org, pool, role="member"):
    """An account that is a member holding a license of `pool` (set up
    directly: the members pages have their own tests)."""
    m = new_user(tag="member")
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({org}, {user_id(m)}, '{role}', {pool}, UTC_TIMESTAMP(3))")
    return m


def add_invitation(org, pool, inviter, email="pending@example.test"):
    sql(f"INSERT INTO org_invitations (org_id, email, email_norm, role,"
        f" pool_id, inviter_id, token_hash, created_at, expires_at) VALUES"
        f" ({org}, '{email}', '{email}', 'member', {pool}, {user_id(inviter)},"
        f" UNHEX(SHA2(UUID(), 256)), UTC_TIMESTAMP(3),"
        f" UTC_TIMESTAMP(3) + INTERVAL 7 DAY)")


def change(b, org, pool, quantity, confirm=True, version=None):
    b.get(f"/orgs/{org}/billing")
    data = {"quantity": str(quantity)}
    if confirm:
        data["confirm"] = "1"
    if version is not None:
        data["version"] = str(version)
    return b.post(f"/orgs/{org}/licenses/{pool}/quantity", data)


def api(tok):
    return {"Authorization": "Bearer " + tok}


# --- the page -----------------------------------------------------------------

def test_billing_page_shows_pools_use_prices_totals_and_holders():
    owner = new_user(tag="owner")
    org = new_org(owner, name="Stage Co", org_standard=5, org_pro=1,
                  event_pro=2)
    std = pool_of(org, "org_standard")
    m = add_member(org, std)
    add_invitation(org, std, owner, "invited-bill@example.test")
    r = owner.get(f"/orgs/{org}/billing")
    assert r.status_code == 200
    t = r.text
    # Test prices are the defaults: 15.00, 45.00, 25.00 EUR per month.
    for s in ("Org Standard", "Org Pro", "Event Pro", "EUR 15.00",
              "EUR 45.00", "EUR 25.00", "EUR 75.00", "EUR 50.00",
              "EUR 170.00", "per month", m.email, owner.email,
              "invited-bill@example.test"):
        assert s in t, s

    v = owner.get(f"/api/v1/orgs/{org}/billing").json()
    assert v["currency"] == "EUR" and v["period"] == "month"
    assert v["total_cents"] == 5 * 1500 + 4500 + 2 * 2500
    assert v["total"] == "EUR 170.00"
    by = {p["product"]: p for p in v["pools"]}
    s = by["org_standard"]
    assert (s["quantity"], s["assigned"], s["reserved"], s["in_use"],
            s["free"]) == (5, 2, 1, 3, 2)
    assert s["unit_price_cents"] == 1500 and s["line_total"] == "EUR 75.00"
    assert sorted(h["email"] for h in s["holders"]) == sorted(
        [owner.email, m.email])
    assert [x["email"] for x in s["reservations"]] == [
        "invited-bill@example.test"]
    # Event Pro: "in use" is the highest seat count on a bound event; no
    # events exist yet.
    assert by["event_pro"]["in_use"] == 0 and by["event_pro"]["free"] == 2
    # History: the organization's starting pools.
    kinds = sorted((h["kind"], h["product"]) for h in v["history"])
    assert kinds == [("pool_created", "event_pro"), ("pool_created", "org_pro"),
                     ("pool_created", "org_standard")]


def test_page_query_count_does_not_grow_with_holders():
    owner = new_user()
    org = new_org(owner, org_standard=20)
    std = pool_of(org, "org_standard")
    n1 = int(owner.get(f"/orgs/{org}/billing").headers["X-Debug-Queries"])
    for _ in range(3):
        add_member(org, std)
    add_invitation(org, std, owner, "q1@example.test")
    add_invitation(org, std, owner, "q2@example.test")
    change(owner, org, std, 21)
    n2 = int(owner.get(f"/orgs/{org}/billing").headers["X-Debug-Queries"])
    assert n1 == n2


def test_members_get_403_and_outsiders_404():
    owner = new_user()
    org = new_org(owner, org_standard=3)
    std = pool_of(org, "org_standard")
    member = add_member(org, std)
    admin = add_member(org, std, role="admin")
    stranger = new_user()
    paths = [f"/orgs/{org}/billing"]
    for p in paths:
        assert member.get(p).status_code == 403
        assert member.get("/api/v1" + p).status_code == 403
        assert stranger.get(p).status_code == 404
        problem(stranger.get("/api/v1" + p), 404, "not-found")
        assert admin.get(p).status_code == 200
    member.get("/account")
    stranger.get("/account")
    for b, st in ((member, 403), (stranger, 404)):
        assert b.post(f"/orgs/{org}/licenses/{std}/quantity",
                      {"quantity": "1", "confirm": "1"}).status_code == st
        assert b.post(f"/orgs/{org}/licenses/{std}/close").status_code == st
        assert b.post(f"/orgs/{org}/licenses",
                      {"product": "org_pro", "quantity": "1"}
                      ).status_code == st
    # Through the API too, with read-write tokens.
    for b, st, code in ((member, 403, "insufficient-permission"),
                        (stranger, 404, "not-found")):
        tok = create_token(b, "read-write")
        problem(requests.post(BASE + f"/api/v1/orgs/{org}/licenses/{std}/"
                              f"quantity", json={"quantity": 1,
                                                 "confirm": True},
                              headers=api(tok)), st, code)
        problem(requests.get(BASE + f"/api/v1/orgs/{org}/billing",
                             headers=api(tok)), st, code)
    assert pool_row(std)[0] == 3
    assert count(f"SELECT COUNT(*) FROM license_pools WHERE org_id = {org}"
                 ) == 3
    # Another organization's pool through my organization: 404.
    other = new_user()
    org2 = new_org(other)
    foreign = pool_of(org2, "org_standard")
    owner.get(f"/orgs/{org}/billing")
    assert owner.post(f"/orgs/{org}/licenses/{foreign}/quantity",
                      {"quantity": "9", "confirm": "1"}).status_code == 404
    assert owner.post(f"/orgs/{org}/licenses/{foreign}/close"
                      ).status_code == 404
    assert pool_row(foreign)[0] == 5


# --- changing quantities --------------------------------------------------------

def test_raise_needs_confirm_then_applies_with_history_and_audit():
    owner = new_user()
    org = new_org(owner, org_standard=5, org_pro=0, event_pro=0)
    std = pool_of(org, "org_standard")
    q, ver, _ = pool_row(std)
    ev = events_of(org)

    # Without confirm: a page with the new total and a Confirm button.
    r = change(owner, org, std, 7, confirm=False, version=ver)
    assert r.status_code == 200
    assert "EUR 105.00" in r.text and "Confirm" in r.text
    assert 'name="confirm" value="1"' in r.text
    assert pool_row(std) == (5, ver, "active") and events_of(org) == ev

    r = change(owner, org, std, 7, version=ver)
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == f"/orgs/{org}/billing"
    assert pool_row(std) == (7, ver + 1, "active")
    kind, old, new, price, cur, actor, ref = sql(
        f"SELECT kind, old_quantity, new_quantity, unit_price_cents, currency,"
        f" actor_user_id, hook_reference FROM billing_events WHERE org_id ="
        f" {org} ORDER BY id DESC LIMIT 1")[0]
    assert (kind, old, new, price, cur) == ("quantity_changed", "5", "7",
                                            "1500", "EUR")
    assert int(actor) == user_id(owner) and ref.startswith("test-")
    ch = json.loads(sql_one(
        f"SELECT changes FROM audit_log WHERE org_id = {org} AND action ="
        f" 'license_pool.quantity_changed' AND target_id = {std}"))
    assert ch == {"quantity": {"old": 5, "new": 7}}
    page = owner.get(f"/orgs/{org}/billing").text
    assert "quantity changed from 5 to 7" in page
    assert "5 → 7" in page and "EUR 105.00" in page

    # Lowering (still above use) works the same way.
    assert change(owner, org, std, 2).status_code == 303
    assert pool_row(std)[0] == 2
    assert "7 → 2" in owner.get(f"/orgs/{org}/billing").text


def test_lowering_below_use_is_refused_naming_what_to_free():
    owner = new_user()
    org = new_org(owner, org_standard=3, org_pro=0, event_pro=1)
    std = pool_of(org, "org_standard")
    add_member(org, std)
    add_invitation(org, std, owner, "reserved@example.test")
    before = pool_row(std)
    ev = events_of(org)
    msg = ("3 Org Standard licenses are in use (2 members, 1 pending "
           "invitation); free 1 before lowering to 2")

    # The preview already says so, and offers no Confirm button.
    r = change(owner, org, std, 2, confirm=False)
    assert r.status_code == 200 and msg in r.text
    assert 'name="confirm"' not in r.text

    r = change(owner, org, std, 2)
    assert r.status_code == 409
    assert msg in r.text and "Members" in r.text
    r = change(owner, org, std, 0)
    assert r.status_code == 409 and "free 3 before lowering to 0" in r.text
    tok = create_token(owner, "read-write")
    p = problem(requests.post(
        BASE + f"/api/v1/orgs/{org}/licenses/{std}/quantity",
        json={"quantity": 1, "confirm": True}, headers=api(tok)), 409, "in-use")
    assert "free 2 before lowering to 1" in p["detail"]
    # Nothing changed, and the hook was never asked.
    assert pool_row(std) == before and events_of(org) == ev
    assert audits_of(org, "license_pool.quantity_changed") == 0
    assert not [h for h in hook_requests(org)
                if h["kind"] == "quantity_changed"]
    # Exactly at use is fine.
    assert change(owner, org, std, 3).status_code == 303


def test_bad_quantities_are_422_and_change_nothing():
    owner = new_user()
    org = new_org(owner, org_standard=4)
    std = pool_of(org, "org_standard")
    before = pool_row(std)
    ev = events_of(org)
    for bad in ("-1", "10001", "99999999999999999999", "abc", "1.5", ""):
        for confirm in (False, True):
            r = change(owner, org, std, bad, confirm=confirm)
            assert r.status_code == 422, (bad, r.status_code)
            assert "Quantity" in r.text
            assert 'aria-invalid="true"' in r.text
    tok = create_token(owner, "read-write")
    for bad in (-1, 10001, "many"):
        p = problem(requests.post(
            BASE + f"/api/v1/orgs/{org}/licenses/{std}/quantity",
            json={"quantity": bad, "confirm": True}, headers=api(tok)), 422,
            "validation-failed")
        assert p["errors"][0]["parameter"] == "quantity"
    # Adding a pool: the same checks, plus the product.
    pools = count(f"SELECT COUNT(*) FROM license_pools WHERE org_id = {org}")
    owner.get(f"/orgs/{org}/billing")
    for data, field in (({"product": "org_pro", "quantity": "-5"}, "Quantity"),
                        ({"product": "org_pro", "quantity": "20000"},
                         "Quantity"),
                        ({"product": "gold", "quantity": "1"}, "Product"),
                        ({"product": "org_pro"}, "Quantity is required"),
                        ({"product": "org_pro", "quantity": "1",
                          "label": "x" * 101}, "Label")):
        r = owner.post(f"/orgs/{org}/licenses", data)
        assert r.status_code == 422, (data, r.status_code)
        assert field in r.text
    assert pool_row(std) == before and events_of(org) == ev
    assert count(f"SELECT COUNT(*) FROM license_pools WHERE org_id = {org}"
                 ) == pools


def test_stale_version_is_409_showing_both_values():
    owner = new_user()
    org = new_org(owner, org_standard=5)
    std = pool_of(org, "org_standard")
    _, ver, _ = pool_row(std)
    assert change(owner, org, std, 6, version=ver).status_code == 303
    r = change(owner, org, std, 8, version=ver)
    assert r.status_code == 409
    assert "You asked for 8" in r.text and "now holds 6" in r.text
    assert pool_row(std) == (6, ver + 1, "active")
    tok = create_token(owner, "read-write")
    p = problem(requests.post(
        BASE + f"/api/v1/orgs/{org}/licenses/{std}/quantity",
        json={"quantity": 8, "confirm": True, "version": ver},
        headers=api(tok)), 409, "edit-conflict")
    assert "8" in p["detail"] and "holds 6" in p["detail"]


def test_json_twin_preview_then_confirm():
    owner = new_user()
    org = new_org(owner, org_standard=5, org_pro=1, event_pro=2)
    std = pool_of(org, "org_standard")
    tok = create_token(owner, "read-write")
    url = BASE + f"/api/v1/orgs/{org}/licenses/{std}/quantity"
    r = requests.post(url, json={"quantity": 10}, headers=api(tok))
    assert r.status_code == 200
    pv = r.json()["preview"]
    assert pv["new_total_cents"] == 10 * 1500 + 4500 + 2 * 2500
    assert pv["new_total"] == "EUR 245.00" and pv["can_confirm"]
    assert pool_row(std)[0] == 5
    r = requests.post(url, json={"quantity": 10, "confirm": True},
                      headers=api(tok))
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["changed"] and b["pool"]["quantity"] == 10
    assert b["total"] == "EUR 245.00" and b["hook_reference"]
    assert pool_row(std)[0] == 10


# --- adding and closing pools -------------------------------------------------

def test_add_and_close_pool_with_history_and_audit():
    owner = new_user()
    org = new_org(owner, org_standard=2, org_pro=0, event_pro=0)
    owner.get(f"/orgs/{org}/billing")
    r = owner.post(f"/orgs/{org}/licenses", {"product": "org_pro",
                                            "quantity": "3",
                                            "label": "Directors"})
    assert r.status_code == 303, r.text
    pid, q, label, st = sql(
        f"SELECT id, quantity, label, status FROM license_pools WHERE org_id ="
        f" {org} AND product = 'org_pro'")[0]
    assert (q, label, st) == ("3", "Directors", "active")
    assert sql(f"SELECT kind, COALESCE(old_quantity, 'null'), new_quantity,"
               f" unit_price_cents FROM billing_events WHERE pool_id = {pid}"
               ) == [["pool_created", "null", "3", "4500"]]
    assert audits_of(org, "license_pool.created") == 1
    page = owner.get(f"/orgs/{org}/billing").text
    assert "Directors" in page and "EUR 135.00" in page
    assert f"/orgs/{org}/licenses/{pid}/close" in page

    # An unused pool closes; the history keeps it.
    r = owner.post(f"/orgs/{org}/licenses/{pid}/close")
    assert r.status_code == 303
    assert pool_row(pid)[2] == "closed"
    assert sql(f"SELECT kind, old_quantity, new_quantity FROM billing_events"
               f" WHERE pool_id = {pid} ORDER BY id DESC LIMIT 1") == [
        ["pool_closed", "3", "0"]]
    assert audits_of(org, "license_pool.closed") == 1
    page = owner.get(f"/orgs/{org}/billing")
    assert f"/orgs/{org}/licenses/{pid}/close" not in page.text
    assert "Pool closed" in page.text
    assert "EUR 30.00" in page.text          # 2 × Org Standard left
    # Closed: no more changes.
    assert owner.post(f"/orgs/{org}/licenses/{pid}/close").status_code == 409
    assert change(owner, org, pid, 5).status_code == 409

    # A pool in use doesn't close.
    std = pool_of(org, "org_standard")
    ev = events_of(org)
    r = owner.post(f"/orgs/{org}/licenses/{std}/close")
    assert r.status_code == 409
    assert "1 Org Standard license is in use (1 member)" in r.text
    assert pool_row(std)[2] == "active" and events_of(org) == ev


def test_add_pool_json_twin():
    owner = new_user()
    org = new_org(owner)
    tok = create_token(owner, "read-write")
    r = requests.post(BASE + f"/api/v1/orgs/{org}/licenses",
                      json={"product": "event_pro", "quantity": 4},
                      headers=api(tok))
    assert r.status_code == 201, r.text
    p = r.json()["pool"]
    assert p["product"] == "event_pro" and p["quantity"] == 4
    assert p["line_total"] == "EUR 100.00"
    r = requests.post(BASE + f"/api/v1/orgs/{org}/licenses/{p['id']}/close",
                      json={}, headers=api(tok))
    assert r.status_code == 200 and r.json()["pool"]["status"] == "closed"


def test_personal_workspace_holds_event_pro_only():
    u = new_user()
    pid = int(sql_one(f"SELECT o.id FROM orgs o JOIN users u ON"
                      f" o.personal_user_id = u.id WHERE u.email_norm ="
                      f" '{u.email}'"))
    r = u.get(f"/orgs/{pid}/billing")
    assert r.status_code == 200 and "Event Pro" in r.text
    assert 'value="org_standard"' not in r.text
    r = u.post(f"/orgs/{pid}/licenses", {"product": "org_standard",
                                         "quantity": "1"})
    assert r.status_code == 422 and "Event Pro licenses only" in r.text
    r = u.post(f"/orgs/{pid}/licenses", {"product": "event_pro",
                                         "quantity": "2"})
    assert r.status_code == 303
    ep = pool_of(pid, "event_pro")
    assert count(f"SELECT COUNT(*) FROM license_pools WHERE org_id = {pid}"
                 ) == 1
    assert change(u, pid, ep, 3).status_code == 303
    assert pool_row(ep)[0] == 3
    assert "EUR 75.00" in u.get(f"/orgs/{pid}/billing").text
    # Nobody else sees it.
    other = new_user()
    assert other.get(f"/orgs/{pid}/billing").status_code == 404


# --- the billing hook -------------------------------------------------------------

def test_hook_accepts_with_reference_and_gets_the_documented_payload():
    owner = new_user()
    org = new_org(owner, name="Hook Co", org_standard=5)
    std = pool_of(org, "org_standard")
    with hook_mode(org, "accept INV-42"):
        assert change(owner, org, std, 6).status_code == 303
    assert sql_one(f"SELECT hook_reference FROM billing_events WHERE org_id ="
                   f" {org} ORDER BY id DESC LIMIT 1") == "INV-42"
    h = hook_requests(org)[-1]
    assert set(h) == {"kind", "org_id", "org_name", "pool_id", "product",
                      "old_quantity", "new_quantity", "unit_price_cents",
                      "currency", "actor_email", "time"}
    assert h["kind"] == "quantity_changed" and h["org_id"] == org
    assert h["org_name"] == "Hook Co" and h["pool_id"] == std
    assert h["product"] == "org_standard"
    assert (h["old_quantity"], h["new_quantity"]) == (5, 6)
    assert h["unit_price_cents"] == 1500 and h["currency"] == "EUR"
    assert h["actor_email"] == owner.email
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", h["time"])
    assert "INV-42" in owner.get(f"/orgs/{org}/billing").text
    # Creating a pool tells it too, with no old quantity.
    owner.get(f"/orgs/{org}/billing")
    assert owner.post(f"/orgs/{org}/licenses",
                      {"product": "org_pro", "quantity": "2"}
                      ).status_code == 303
    h = hook_requests(org)[-1]
    assert h["kind"] == "pool_created" and h["old_quantity"] is None
    assert h["new_quantity"] == 2 and h["unit_price_cents"] == 4500


def test_hook_rejection_shows_its_message_and_changes_nothing():
    owner = new_user()
    org = new_org(owner, org_standard=5)
    std = pool_of(org, "org_standard")
    before = pool_row(std)
    ev = events_of(org)
    reason = "Card declined: update your payment details"
    tok = create_token(owner, "read-write")
    with hook_mode(org, "reject " + reason):
        r = change(owner, org, std, 9)
        assert r.status_code == 422
        assert reason in r.text and 'aria-invalid="true"' in r.text
        p = problem(requests.post(
            BASE + f"/api/v1/orgs/{org}/licenses/{std}/quantity",
            json={"quantity": 9, "confirm": True}, headers=api(tok)), 422,
            "validation-failed")
        assert p["errors"][0]["parameter"] == "quantity"
        assert reason in p["errors"][0]["message"]
        # Adding and closing pools are refused alike.
        owner.get(f"/orgs/{org}/billing")
        r = owner.post(f"/orgs/{org}/licenses", {"product": "event_pro",
                                                "quantity": "1",
                                                "label": "Refused"})
        assert r.status_code == 422 and reason in r.text
        assert 'value="Refused"' in r.text       # what was typed is kept
        ep = pool_of(org, "event_pro")
        r = owner.post(f"/orgs/{org}/licenses/{ep}/close")
        assert r.status_code == 422 and reason in r.text
        assert pool_row(ep)[2] == "active"
    with hook_mode(org, "reject"):
        r = change(owner, org, std, 9)
        assert r.status_code == 422 and "declined this change" in r.text
    assert pool_row(std) == before and events_of(org) == ev
    assert count(f"SELECT COUNT(*) FROM license_pools WHERE org_id = {org}"
                 f" AND label = 'Refused'") == 0
    assert audits_of(org, "license_pool.quantity_changed") == 0
    assert audits_of(org, "license_pool.created") == 0
    # Once it accepts again, the change goes through.
    assert change(owner, org, std, 9).status_code == 303
    assert pool_row(std)[0] == 9


def test_hook_silence_bad_answer_and_failure_are_refusals():
    owner = new_user()
    org = new_org(owner, org_standard=5)
    std = pool_of(org, "org_standard")
    before = pool_row(std)
    ev = events_of(org)
    for mode, text in (("silent", "gave no answer"),
                       ("garbage", "could not read"),
                       ("fail Out of credit", "Out of credit"),
                       ("nonsense", "billing system failed")):
        with hook_mode(org, mode):
            r = change(owner, org, std, 7)
            assert r.status_code == 422, mode
            assert text in r.text, mode
            assert "nothing was changed" in r.text
    assert pool_row(std) == before and events_of(org) == ev


def test_hook_timeout_is_a_refusal_and_releases_the_pool():
    owner = new_user()
    org = new_org(owner, org_standard=5)
    std = pool_of(org, "org_standard")
    before = pool_row(std)
    with hook_mode(org, "sleep"):
        t0 = time.monotonic()
        r = change(owner, org, std, 7)
        took = time.monotonic() - t0
    assert r.status_code == 422
    assert "did not answer within" in r.text
    # Ended before the worker's request_timeout (6 s in the test stack).
    assert took < 6
    assert pool_row(std) == before
    assert change(owner, org, std, 7).status_code == 303
    assert pool_row(std)[0] == 7
