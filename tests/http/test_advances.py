"""Advances for staff (issue 7 item 4; PRODUCT §13.4, §13.6, §13.11): the
list with progress and "no respondent" warnings, creating an advance
blank or from an advance template (a copy with due dates resolved),
names unique per collaborator, area and activity visibility, module
add / settings / reorder / removal (typed confirmation, audit keeps the
values, procurement-linked items lock), reviewers, stale versions,
vendor isolation on every route, a fixed query count, archived events
and other tenants. Advancing configuration, answers and line items are
set up with SQL (the pages that write them belong to other groups)."""

import json
import re
import uuid

import pytest
import requests

from bo import BASE, new_org, new_user, sql, sql_one
from world import (COORDINATOR, add_member, build_world, insert_collab,
                   put_on_event, uid_of, vendor_contact)
from matrix_advances import (adv_module, advance, advance_template, answer,
                             category, line_item, module_template)


@pytest.fixture(scope="module")
def w():
    w = build_world()
    w.cat = category(w.event, "Production")
    w.rider, w.rider_blocks = module_template(
        w.event, "Audio rider",
        [{"label": "Console", "required": 1},
         {"label": "Monitors", "required": 1},
         {"label": "Notes", "required": 0},
         {"kind": "content", "body": "Read this first"},
         {"label": "Old question", "required": 1, "retired": 1},
         {"kind": "request", "label": "Backline"}], cat=w.cat)
    w.hosp, w.hosp_blocks = module_template(
        w.event, "Hospitality", [{"label": "Dietary", "required": 1}],
        cat=w.cat)
    w.power, w.power_blocks = module_template(
        w.event, "Power", [{"label": "Amps", "required": 0}], cat=w.cat)
    # Someone with a seat whose advancing admin covers only V1.
    w.v1admin = new_user(tag="v1admin")
    put_on_event(w.event, w.v1admin, w.host,
                 [("collaborator", w.v1, "advancing", 3),
                  ("collaborator", w.v1, "crew", 1)], w.pool)
    for b in w.personas.values():
        if b is not w.anon:
            b.get("/account")
    w.v1admin.get("/account")
    return w


def url(w, tail=""):
    return f"/events/{w.event}/advances{tail}"


def token(b):
    b.get("/account/tokens")
    r = b.post("/account/tokens", {"name": "adv " + uuid.uuid4().hex[:4],
                                   "scope": "read-write",
                                   "expires_in_days": "30"})
    return re.search(r"boapi_[A-Za-z0-9_-]{43}", r.text).group(0)


def api(tok, method, path, **kw):
    headers = kw.pop("headers", {})
    headers["Authorization"] = "Bearer " + tok
    return requests.request(method, BASE + "/api/v1" + path,
                            headers=headers, **kw)


def jget(b, path):
    r = b.s.get(BASE + "/api/v1" + path)
    assert r.status_code == 200, r.text[:2000]
    return r


def create(b, w, collab, name, expect=303, **fields):
    b.get(url(w, "/new"))
    data = {"collaborator_id": str(collab), "name": name}
    data.update({k: str(v) for k, v in fields.items()})
    r = b.post(url(w), data)
    assert r.status_code == expect, r.text[:3000]
    if expect == 303:
        m = re.match(rf"^/events/{w.event}/advances/(\d+)/settings$",
                     r.headers["Location"])
        assert m, r.headers["Location"]
        return int(m.group(1))
    return r


def mods_of(adv):
    return sql(f"SELECT module_template_id, position, "
               f"IFNULL(DATE_FORMAT(due_date, '%Y-%m-%d'), ''), required, "
               f"tracked, submission, IFNULL(reviewer_user_id, 0) FROM "
               f"advance_modules WHERE advance_id = {adv} ORDER BY position")


def errors(r):
    return {e.get("parameter") or e.get("pointer") for e in
            r.json().get("errors", [])}


def last_audit(w, action):
    return sql_one(f"SELECT changes FROM audit_log WHERE event_id = "
                   f"{w.event} AND action = '{action}' ORDER BY id DESC "
                   f"LIMIT 1")


# --- creating -----------------------------------------------------------------

def test_create_blank_html_and_json(w):
    adv = create(w.owner, w, w.v1, "Blank one")
    row = sql(f"SELECT collaborator_id, name, advance_template_id, area_id,"
              f" activity_id, created_by FROM advances WHERE id = {adv}")[0]
    assert row == [str(w.v1), "Blank one", "NULL", "NULL", "NULL",
                   str(uid_of(w.owner))]
    assert mods_of(adv) == []
    assert json.loads(last_audit(w, "advance.created"))["name"]["new"] == \
        "Blank one"
    r = w.owner.get(url(w, f"/{adv}/settings"))
    assert r.status_code == 200 and "Blank one" in r.text
    assert "No modules yet" in r.text
    # JSON: 201, Location of the advance page, ETag from the version.
    tok = token(w.seat)
    r = api(tok, "POST", url(w), json={"collaborator_id": w.v2,
                                       "name": "Catering day 1"})
    assert r.status_code == 201, r.text
    j = r.json()
    aid = j["advance"]["id"]
    assert r.headers["Location"] == f"/api/v1/events/{w.event}/advances/{aid}"
    assert r.headers["ETag"] == f'"{aid}-v1"'
    assert j["advance"]["collaborator_name"] == "Catering Vendor"
    assert j["modules"] == []
    assert j["advance"]["progress"]["state"] == "not_started"


def test_create_from_template_copies_and_resolves_due_dates(w):
    tpl = advance_template(w.event, "Artist " + uuid.uuid4().hex[:4], [
        {"mt": w.rider, "due_kind": "fixed", "due_date": "2027-06-15",
         "tracked": 1, "reviewer": uid_of(w.seat)},
        {"mt": w.hosp, "due_kind": "before", "due_days": 10,
         "required": 0, "submission": 1,
         "reviewer": uid_of(w.std_view)},
        {"mt": w.power}])
    adv = create(w.owner, w, w.v1, "Headliner", template_id=tpl)
    # Event starts 2027-07-01: ten days before is 2027-06-21.
    assert mods_of(adv) == [
        [str(w.rider), "0", "2027-06-15", "1", "1", "0",
         str(uid_of(w.seat))],
        [str(w.hosp), "1", "2027-06-21", "0", "0", "1", "0"],
        [str(w.power), "2", "", "1", "0", "0", "0"]]
    assert sql_one(f"SELECT advance_template_id FROM advances WHERE id = "
                   f"{adv}") == str(tpl)
    # The viewer holds no advancing admin: not copied as reviewer, said so.
    ch = json.loads(last_audit(w, "advance.created"))
    assert ch["modules"] == ["Audio rider", "Hospitality", "Power"]
    assert len(ch["reviewers_not_copied"]) == 1
    r = w.owner.get(f"/events/{w.event}/advances/{adv}/settings")
    assert "were left out" in r.text
    # A copy: later template edits change nothing here.
    sql(f"UPDATE advance_template_modules SET due_kind = 'fixed', "
        f"due_date = '2027-01-01', required = 0 WHERE advance_template_id ="
        f" {tpl}")
    sql(f"DELETE FROM advance_template_modules WHERE advance_template_id = "
        f"{tpl} AND module_template_id = {w.power}")
    assert [m[2] for m in mods_of(adv)] == ["2027-06-15", "2027-06-21", ""]
    assert len(mods_of(adv)) == 3


def test_name_unique_per_collaborator(w):
    create(w.owner, w, w.v1, "Same name")
    r = create(w.owner, w, w.v1, "same NAME", expect=422)
    assert "already has an advance" in r.text
    assert 'value="same NAME"' in r.text      # typed value kept
    create(w.owner, w, w.v2, "Same name")   # another collaborator: fine
    # Length and required.
    r = create(w.owner, w, w.v1, "x" * 201, expect=422)
    assert "Name must be 1 to 200" in r.text
    tok = token(w.owner)
    r = api(tok, "POST", url(w), json={"collaborator_id": w.v1})
    assert r.status_code == 422 and "name" in errors(r)
    # Renaming onto a taken name is refused too.
    other = create(w.owner, w, w.v1, "Rename me")
    r = api(tok, "POST", url(w, f"/{other}/settings"),
            json={"name": "SAME name"})
    assert r.status_code == 422 and "name" in errors(r)


def test_area_activity_and_template_must_be_visible(w):
    # An activity nobody but Event-domain schedule viewers sees.
    sql(f"INSERT INTO activities (uuid, event_id, kind, name, all_day, "
        f"start_date, end_date, created_by, created_at, updated_at) VALUES"
        f" ('{uuid.uuid4()}', {w.event}, 'activity', 'Secret rehearsal', 1,"
        f" '2027-07-01', '2027-07-01', {uid_of(w.owner)}, UTC_TIMESTAMP(3),"
        f" UTC_TIMESTAMP(3))")
    act = int(sql_one(f"SELECT id FROM activities WHERE event_id = "
                      f"{w.event} AND name = 'Secret rehearsal'"))
    # v1admin manages V1's advancing but sees neither the area nor it.
    r = create(w.v1admin, w, w.v1, "Scoped", expect=422, area_id=w.area,
               activity_id=act, template_id=999999999)
    assert "Area must be an area of this event you can see" in r.text
    assert "Activity must be an activity of this event you can see" in \
        r.text
    assert "Advance template must be one of this event" in r.text
    # V2 is not theirs to see: a field error, not a leak.
    r = create(w.v1admin, w, w.v2, "Theirs", expect=422)
    assert "Collaborator must be a collaborator of this event" in r.text
    tok = token(w.v1admin)
    r = api(tok, "POST", url(w), json={"collaborator_id": w.v1,
                                       "name": "Scoped", "area_id": w.area,
                                       "activity_id": act})
    assert r.status_code == 422
    assert errors(r) == {"area_id", "activity_id"}
    # Without the scope it works; the producer may scope it.
    adv = create(w.v1admin, w, w.v1, "Scoped")
    adv2 = create(w.owner, w, w.v1, "Scoped 2", area_id=w.area,
                  activity_id=act)
    assert sql(f"SELECT area_id, activity_id FROM advances WHERE id = "
               f"{adv2}") == [[str(w.area), str(act)]]
    # Its settings keep a scope its manager cannot see when saving.
    r = w.v1admin.get(url(w, f"/{adv2}/settings"))
    assert r.status_code == 200
    assert re.search(rf'option value="{w.area}" selected>Main Stage', r.text)
    r = w.v1admin.post(url(w, f"/{adv2}/settings"),
                       {"name": "Scoped 2b", "area_id": str(w.area),
                        "activity_id": str(act), "version": "1"})
    assert r.status_code == 303, r.text
    assert sql(f"SELECT name, area_id, activity_id FROM advances WHERE id ="
               f" {adv2}") == [["Scoped 2b", str(w.area), str(act)]]
    # Changing the scope later follows the same rule.
    r = api(tok, "POST", url(w, f"/{adv}/settings"), json={"area_id":
                                                          w.area})
    assert r.status_code == 422 and errors(r) == {"area_id"}
    # The area page's delete is refused while an advance is scoped to it.
    w.owner.get(f"/events/{w.event}/areas/{w.area}")
    r = w.owner.post(f"/events/{w.event}/areas/{w.area}/delete",
                     {"confirm_name": "Main Stage"})
    assert r.status_code == 409 and "advance" in r.text
    # The new form offers only visible choices.
    r = w.v1admin.get(url(w, "/new"))
    assert r.status_code == 200
    assert "Secret rehearsal" not in r.text and "Main Stage" not in r.text
    assert "Catering Vendor" not in r.text and "Sound Vendor" in r.text
    r = w.owner.get(url(w, f"/new?collaborator_id={w.v1}"))
    assert "Secret rehearsal" in r.text and "Main Stage" in r.text


def test_create_needs_admin_covering_the_collaborator(w):
    # The viewer and vendors: 403 (no admin anywhere); v1admin for V2
    # (visible through crew view? no: not visible) — see above; the
    # coordinator may.
    for b in (w.std_view, w.vendor1, w.orgpro):
        b.get("/account")
        r = b.post(url(w), {"collaborator_id": str(w.v1), "name": "X"})
        assert r.status_code == 403, r.text
        assert b.get(url(w, "/new")).status_code == 403
    create(w.seat, w, w.v2, "By the coordinator")


# --- modules ------------------------------------------------------------------

def settings_url(w, adv):
    return url(w, f"/{adv}/settings")


def mod_url(w, adv, m, tail=""):
    return url(w, f"/{adv}/modules/{m}{tail}")


def mod_id(adv, mt):
    return int(sql_one(f"SELECT id FROM advance_modules WHERE advance_id = "
                       f"{adv} AND module_template_id = {mt}"))


def test_modules_add_reorder_settings(w):
    adv = create(w.owner, w, w.v1, "Modules " + uuid.uuid4().hex[:4])
    w.owner.get(settings_url(w, adv))
    r = w.owner.post(url(w, f"/{adv}/modules"),
                     {"module_template_id": str(w.rider),
                      "due_date": "2027-06-01", "required": "1"})
    assert r.status_code == 303, r.text
    r = w.owner.post(url(w, f"/{adv}/modules"),
                     {"module_template_id": str(w.hosp)})
    assert r.status_code == 303
    tok = token(w.owner)
    r = api(tok, "POST", url(w, f"/{adv}/modules"),
            json={"module_template_id": w.power,
                  "requires_submission": True})
    assert r.status_code == 201, r.text
    assert [m["label"] for m in r.json()["modules"]] == \
        ["Audio rider", "Hospitality", "Power"]
    assert mods_of(adv) == [
        [str(w.rider), "0", "2027-06-01", "1", "0", "0", "0"],
        [str(w.hosp), "1", "", "0", "0", "0", "0"],   # form: unticked
        [str(w.power), "2", "", "1", "0", "1", "0"]]  # JSON: default yes
    # Each module template at most once; unknown ones refused.
    r = w.owner.post(url(w, f"/{adv}/modules"),
                     {"module_template_id": str(w.rider)})
    assert r.status_code == 422 and "at most once" in r.text
    r = api(tok, "POST", url(w, f"/{adv}/modules"),
            json={"module_template_id": 999999999})
    assert r.status_code == 422 and errors(r) == {"module_template_id"}
    # Reorder: power up twice, rider down past the end.
    power = mod_id(adv, w.power)
    for _ in range(2):
        r = w.owner.post(mod_url(w, adv, power, "/move"),
                         {"direction": "up"})
        assert r.status_code == 303
    assert [m[0] for m in mods_of(adv)] == [str(w.power), str(w.rider),
                                            str(w.hosp)]
    r = api(tok, "POST", mod_url(w, adv, mod_id(adv, w.rider), "/move"),
            json={"position": 99})
    assert r.status_code == 200
    assert [(m[0], m[1]) for m in mods_of(adv)] == [
        (str(w.power), "0"), (str(w.hosp), "1"), (str(w.rider), "2")]
    r = w.owner.post(mod_url(w, adv, power, "/move"), {"direction": "left"})
    assert r.status_code == 422
    # Settings: due date, required, submission; empty due date clears.
    hosp = mod_id(adv, w.hosp)
    r = w.owner.post(mod_url(w, adv, hosp, "/settings"),
                     {"due_date": "2027-06-20", "required": "1",
                      "requires_submission": "1", "version": "1"})
    assert r.status_code == 303, r.text
    assert mods_of(adv)[1][2:6] == ["2027-06-20", "1", "0", "1"]
    ch = json.loads(last_audit(w, "advance_module.updated"))
    assert ch["due_date"] == {"old": None, "new": "2027-06-20"}
    r = api(tok, "POST", mod_url(w, adv, hosp, "/settings"),
            json={"due_date": ""})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{hosp}-v3"'
    assert r.json()["module"]["due_date"] is None
    assert mods_of(adv)[1][3] == "1"     # JSON left required alone
    r = w.owner.post(mod_url(w, adv, hosp, "/settings"),
                     {"due_date": "2027-02-30", "version": "3"})
    assert r.status_code == 422 and "Due date must be a date" in r.text


def test_reviewer_must_hold_admin(w):
    adv = create(w.owner, w, w.v1, "Reviewed " + uuid.uuid4().hex[:4])
    m = adv_module(w.event, adv, w.rider)
    tok = token(w.owner)
    for who in (w.std_view, w.vendor1, w.vendor2, w.other):
        r = api(tok, "POST", mod_url(w, adv, m, "/settings"),
                json={"reviewer_id": uid_of(who)})
        assert r.status_code == 422, r.text
        assert errors(r) == {"reviewer_id"}
    # The coordinator (Event advancing admin) and v1admin (admin on V1).
    for who in (w.seat, w.v1admin):
        r = api(tok, "POST", mod_url(w, adv, m, "/settings"),
                json={"reviewer_id": uid_of(who)})
        assert r.status_code == 200, r.text
        assert r.json()["module"]["reviewer_id"] == uid_of(who)
    # The settings page offers exactly the admins.
    r = w.owner.get(settings_url(w, adv))
    opts = re.findall(rf'<select class="select" id="rev-{m}".*?</select>',
                      r.text, re.S)[0]
    ids = set(re.findall(r'option value="(\d+)"', opts))
    assert str(uid_of(w.seat)) in ids and str(uid_of(w.owner)) in ids
    assert str(uid_of(w.std_view)) not in ids
    assert str(uid_of(w.vendor1)) not in ids


def test_remove_module_without_and_with_answers(w):
    adv = create(w.owner, w, w.v1, "Removals " + uuid.uuid4().hex[:4])
    m1 = adv_module(w.event, adv, w.rider, 0)
    m2 = adv_module(w.event, adv, w.hosp, 1)
    m3 = adv_module(w.event, adv, w.power, 2)
    # Empty: immediate, the others close up.
    w.owner.get(settings_url(w, adv))
    r = w.owner.post(mod_url(w, adv, m3, "/delete"), {})
    assert r.status_code == 303, r.text
    answer(w.event, m1, w.rider_blocks[0], "Yamaha CL5")
    answer(w.event, m1, w.rider_blocks[2], "Bring spare cables")
    line_item(w.event, m1, w.rider_blocks[5], "Drum riser", 2)
    r = w.owner.get(mod_url(w, adv, m1, "/delete"))
    assert r.status_code == 200
    assert "Type 3 to confirm" in r.text and "Yamaha CL5" in r.text
    for confirm in ("", "2", "delete"):
        r = w.owner.post(mod_url(w, adv, m1, "/delete"),
                         {"confirm": confirm})
        assert r.status_code == 422, confirm
        assert "2 answers and 1 line item" in r.text
    assert sql_one(f"SELECT COUNT(*) FROM advance_modules WHERE id = "
                   f"{m1}") == "1"
    r = w.owner.post(mod_url(w, adv, m1, "/delete"), {"confirm": "3"})
    assert r.status_code == 303
    assert sql_one(f"SELECT COUNT(*) FROM answers WHERE advance_module_id ="
                   f" {m1}") == "0"
    assert mods_of(adv) == [[str(w.hosp), "0", "", "1", "0", "0", "0"]]
    ch = json.loads(last_audit(w, "advance_module.deleted"))
    assert ch["module"]["old"] == "Audio rider"
    values = {a["question"]: a["value"] for a in ch["removed"]["answers"]}
    assert values == {"Console": "Yamaha CL5",
                      "Notes": "Bring spare cables"}
    assert ch["removed"]["line_items"][0]["description"] == "Drum riser"
    assert ch["removed"]["line_items"][0]["quantity"] == 2
    # JSON: the same confirmation.
    answer(w.event, m2, w.hosp_blocks[0], "Vegan")
    tok = token(w.owner)
    r = api(tok, "POST", mod_url(w, adv, m2, "/delete"), json={})
    assert r.status_code == 422 and errors(r) == {"confirm"}
    r = api(tok, "POST", mod_url(w, adv, m2, "/delete"), json={"confirm": 1})
    assert r.status_code == 200 and r.json()["answers_removed"] == 1


def test_procurement_linked_items_lock_removal(w):
    adv = create(w.owner, w, w.v1, "Locked " + uuid.uuid4().hex[:4])
    m = adv_module(w.event, adv, w.rider)
    line_item(w.event, m, w.rider_blocks[5], "PA hire", procurement=1)
    w.owner.get(settings_url(w, adv))
    r = w.owner.post(mod_url(w, adv, m, "/delete"), {"confirm": "1"})
    assert r.status_code == 409 and "procurement" in r.text
    r = w.owner.post(url(w, f"/{adv}/delete"), {"confirm": "1"})
    assert r.status_code == 409
    tok = token(w.owner)
    r = api(tok, "POST", url(w, f"/{adv}/delete"), json={"confirm": "1"})
    assert r.status_code == 409 and r.json()["code"] == "request-locked"
    assert "Locked by procurement" in w.owner.get(
        mod_url(w, adv, m, "/delete")).text
    assert sql_one(f"SELECT COUNT(*) FROM advances WHERE id = {adv}") == "1"


def test_delete_advance(w):
    adv = create(w.owner, w, w.v1, "Doomed " + uuid.uuid4().hex[:4])
    m = adv_module(w.event, adv, w.rider)
    answer(w.event, m, w.rider_blocks[1], "4 wedges")
    r = w.owner.get(url(w, f"/{adv}/delete"))
    assert r.status_code == 200 and "Type 1 to confirm" in r.text
    r = w.owner.post(url(w, f"/{adv}/delete"), {"confirm": "2"})
    assert r.status_code == 422
    r = w.owner.post(url(w, f"/{adv}/delete"), {"confirm": "1",
                                                "version": "1"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == \
        f"/events/{w.event}/collaborators/{w.v1}/advances"
    assert sql_one(f"SELECT COUNT(*) FROM advances WHERE id = {adv}") == "0"
    assert sql_one(f"SELECT COUNT(*) FROM advance_modules WHERE id = "
                   f"{m}") == "0"
    ch = json.loads(last_audit(w, "advance.deleted"))
    assert ch["removed"]["answers"][0]["value"] == "4 wedges"
    # Empty: no confirmation needed.
    adv = create(w.owner, w, w.v1, "Empty " + uuid.uuid4().hex[:4])
    r = w.owner.post(url(w, f"/{adv}/delete"), {})
    assert r.status_code == 303


# --- versions -------------------------------------------------------------------

def test_stale_versions(w):
    adv = create(w.owner, w, w.v1, "Versioned " + uuid.uuid4().hex[:4])
    w.owner.get(settings_url(w, adv))
    r = w.owner.post(settings_url(w, adv), {"name": "Versioned v2",
                                            "area_id": "", "activity_id": "",
                                            "version": "1"})
    assert r.status_code == 303
    # A second editor still holding version 1: 409 with both values.
    r = w.seat.get(settings_url(w, adv))
    r = w.seat.post(settings_url(w, adv), {"name": "Mine", "area_id": "",
                                           "activity_id": "",
                                           "version": "1"})
    assert r.status_code == 409
    assert "Mine" in r.text and "Versioned v2" in r.text
    assert "now version 2" in r.text or "it is now version 2" in r.text
    assert sql_one(f"SELECT name FROM advances WHERE id = {adv}") == \
        "Versioned v2"
    # JSON: If-Match stale 412, current fine, absent allowed.
    tok = token(w.owner)
    r = jget(w.owner, settings_url(w, adv))
    assert r.headers["ETag"] == f'"{adv}-v2"'
    r = api(tok, "POST", settings_url(w, adv), json={"name": "X"},
            headers={"If-Match": f'"{adv}-v1"'})
    assert r.status_code == 412
    r = api(tok, "POST", settings_url(w, adv), json={"name": "Y"},
            headers={"If-Match": f'"{adv}-v2"'})
    assert r.status_code == 200 and r.headers["ETag"] == f'"{adv}-v3"'
    r = api(tok, "POST", settings_url(w, adv), json={"name": "Z"})
    assert r.status_code == 200 and r.json()["advance"]["name"] == "Z"
    r = api(tok, "POST", settings_url(w, adv), json={"name": "W",
                                                     "version": 1})
    assert r.status_code == 409
    # Modules: the same on their settings.
    m = adv_module(w.event, adv, w.rider)
    r = w.owner.post(mod_url(w, adv, m, "/settings"),
                     {"due_date": "2027-05-01", "required": "1",
                      "version": "1"})
    assert r.status_code == 303
    r = w.seat.post(mod_url(w, adv, m, "/settings"),
                    {"due_date": "2027-05-09", "required": "1",
                     "version": "1"})
    assert r.status_code == 409
    assert "2027-05-09" in r.text and "2027-05-01" in r.text
    r = api(tok, "POST", mod_url(w, adv, m, "/settings"),
            json={"required": False}, headers={"If-Match": f'"{m}-v1"'})
    assert r.status_code == 412
    r = w.owner.post(mod_url(w, adv, m, "/delete"), {"version": "1"})
    assert r.status_code == 409
    r = w.owner.post(url(w, f"/{adv}/delete"), {"version": "1"})
    assert r.status_code == 409


# --- progress -------------------------------------------------------------------

def progress_of(w, b, adv):
    for it in jget(b, url(w)).json()["items"]:
        if it["id"] == adv:
            return it
    raise AssertionError(f"advance {adv} not listed")


def test_progress_numbers(w):
    adv = advance(w.event, w.v2, "Progress " + uuid.uuid4().hex[:4])
    rider = adv_module(w.event, adv, w.rider, 0, due="2099-01-01")
    hosp = adv_module(w.event, adv, w.hosp, 1, due="2020-01-01")
    power = adv_module(w.event, adv, w.power, 2, required=0)
    it = progress_of(w, w.owner, adv)
    p = it["progress"]
    # Rider: 2 required questions (retired and content left out), hosp 1.
    assert p["state"] == "not_started"
    assert (p["required_answered"], p["required_total"]) == (0, 3)
    assert (p["modules"], p["modules_complete"]) == (3, 0)
    assert p["next_due"] == "2020-01-01"
    # Hospitality is required and past due: overdue.
    assert it["overdue"] is True and p["overdue"] is True
    # An answer to the optional question starts the rider.
    answer(w.event, rider, w.rider_blocks[2], "hi")
    p = progress_of(w, w.owner, adv)["progress"]
    assert p["state"] == "in_progress" and p["required_answered"] == 0
    assert p["needs_review"] is True
    # A retired block's answer changes nothing.
    answer(w.event, hosp, w.rider_blocks[4], "old")
    assert progress_of(w, w.owner, adv)["progress"]["required_answered"] \
        == 0
    answer(w.event, rider, w.rider_blocks[0], "a", review="reviewed")
    answer(w.event, rider, w.rider_blocks[1], "b", review="reviewed")
    answer(w.event, hosp, w.hosp_blocks[0], "c", review="reviewed")
    sql(f"UPDATE answers SET review = 'reviewed' WHERE advance_module_id ="
        f" {rider}")
    p = progress_of(w, w.owner, adv)["progress"]
    assert (p["required_answered"], p["required_total"]) == (3, 3)
    # Power is optional and untouched: the advance is complete anyway.
    assert p["modules_complete"] == 2 and p["state"] == "complete"
    assert p["complete"] is True and p["overdue"] is False
    assert p["needs_review"] is False
    assert p["next_due"] is None
    # A module needing submission stays in progress until submitted.
    sql(f"UPDATE advance_modules SET submission = 1 WHERE id = {hosp}")
    it = progress_of(w, w.owner, adv)
    assert it["progress"]["state"] == "in_progress" and it["overdue"]
    sql(f"UPDATE advance_modules SET state = 'submitted' WHERE id = {hosp}")
    assert progress_of(w, w.owner, adv)["progress"]["state"] == "complete"
    # Items of a block that is not the module's template's count for
    # nothing; a request block of its own counts as input.
    line_item(w.event, power, w.rider_blocks[5], "not this template")
    j = jget(w.owner, settings_url(w, adv)).json()
    states = {m["label"]: m["progress"]["completion"] for m in j["modules"]}
    assert states == {"Audio rider": "complete", "Hospitality": "complete",
                      "Power": "not_started"}
    req, rblocks = module_template(w.event, "Backline", [
        {"kind": "request", "label": "Gear"},
        {"label": "Arrival", "required": 1}])
    bl = adv_module(w.event, adv, req, 3)
    line_item(w.event, bl, rblocks[0], "Amp", review="reviewed")
    # Backline is required: started by its item, not complete without
    # its required question.
    it = progress_of(w, w.owner, adv)
    assert it["progress"]["state"] == "in_progress"
    assert it["progress"]["complete"] is False
    j = jget(w.owner, settings_url(w, adv)).json()
    mod = [m for m in j["modules"] if m["label"] == "Backline"][0]
    assert mod["progress"]["completion"] == "in_progress"
    assert mod["progress"]["needs_review"] is False
    answer(w.event, bl, rblocks[1], "09:00", review="reviewed")
    assert progress_of(w, w.owner, adv)["progress"]["state"] == "complete"


def test_no_respondent_warning(w):
    v3 = insert_collab(w.event, "Silent Vendor")
    adv3 = advance(w.event, v3, "Nobody home")
    adv1 = advance(w.event, w.v1, "Somebody home " + uuid.uuid4().hex[:4])
    items = {i["id"]: i for i in jget(w.owner, url(w)).json()["items"]}
    assert items[adv3]["no_respondent"] is True
    assert items[adv1]["no_respondent"] is False
    groups = {g["collaborator_name"]: g for g in
              jget(w.owner, url(w)).json()["groups"]}
    assert groups["Silent Vendor"].get("no_respondent") is True
    assert not groups["Sound Vendor"].get("no_respondent")
    assert "No respondent" in w.owner.get(url(w)).text
    # A user on V3 with only view is still no respondent; edit makes one.
    u = new_user(tag="v3crew")
    put_on_event(w.event, u, v3, [("collaborator", v3, "advancing", 1)])
    assert jget(w.owner, url(w)).json()["items"][0] is not None
    items = {i["id"]: i for i in jget(w.owner, url(w)).json()["items"]}
    assert items[adv3]["no_respondent"] is True
    sql(f"UPDATE grants SET level = 2 WHERE user_id = {uid_of(u)} AND "
        f"event_id = {w.event}")
    items = {i["id"]: i for i in jget(w.owner, url(w)).json()["items"]}
    assert items[adv3]["no_respondent"] is False


def test_list_sorting_and_subnav(w):
    j = jget(w.owner, url(w) + "?sort=due").json()
    assert j["groups"] is None
    dues = [i["progress"]["next_due"] for i in j["items"]]
    dated = [d for d in dues if d]
    assert dated == sorted(dated)
    assert dues[:len(dated)] == dated      # undated last
    r = w.owner.s.get(BASE + "/api/v1" + url(w) + "?sort=colour")
    assert r.status_code == 422
    keys = [n["key"] for n in jget(w.owner, url(w)).json()["subnav"]]
    assert keys == ["advances", "manager", "module-templates",
                    "advance-templates", "asset-types", "task-mapping"]
    # A vendor sees neither the configuration nor the Manager.
    keys = [n["key"] for n in jget(w.vendor1, url(w)).json()["subnav"]]
    assert keys == ["advances"]


def test_list_query_count_is_fixed(w):
    owner = new_user(tag="qowner")
    org = new_org(owner, event_pro=2)
    from bo import new_event
    ev = new_event(owner, org)
    c = insert_collab(ev, "Q Vendor")
    mt, blocks = module_template(ev, "Q mod", [{"label": "Q", "required": 1}])
    a = advance(ev, c, "Q0")
    m = adv_module(ev, a, mt)
    answer(ev, m, blocks[0], "x")
    owner.get(f"/events/{ev}")      # takes the event's "created" flash
    n1 = int(owner.get(f"/events/{ev}/advances").headers["X-Debug-Queries"])
    for i in range(1, 30):
        cc = insert_collab(ev, f"Q Vendor {i}")
        a = advance(ev, cc, f"Q{i}")
        m = adv_module(ev, a, mt, due="2020-01-01")
        answer(ev, m, blocks[0], "y")
        line_item(ev, m, blocks[0], "z")
    r = owner.get(f"/events/{ev}/advances")
    assert r.status_code == 200
    assert r.text.count("Q Vendor") >= 30
    assert int(r.headers["X-Debug-Queries"]) == n1
    n3 = int(owner.get(f"/events/{ev}/collaborators/{c}/advances")
             .headers["X-Debug-Queries"])
    assert n3 < n1 + 5


# --- who may do what -------------------------------------------------------------

def routes_of(w, adv, m):
    a = f"/events/{w.event}/advances/{adv}"
    return [("GET", a + "/settings"), ("POST", a + "/settings"),
            ("GET", a + "/delete"), ("POST", a + "/delete"),
            ("POST", a + "/modules"),
            ("POST", a + f"/modules/{m}/settings"),
            ("POST", a + f"/modules/{m}/move"),
            ("GET", a + f"/modules/{m}/delete"),
            ("POST", a + f"/modules/{m}/delete")]


def call(b, method, path, data=None):
    if method == "GET":
        return b.get(path)
    return b.post(path, data or {"confirm": "1", "direction": "up",
                                 "module_template_id": "1",
                                 "name": "Hack"})


def test_vendor_isolation_every_route(w):
    a1 = advance(w.event, w.v1, "V1 only " + uuid.uuid4().hex[:4])
    m1 = adv_module(w.event, a1, w.rider)
    a2 = advance(w.event, w.v2, "V2 only " + uuid.uuid4().hex[:4])
    m2 = adv_module(w.event, a2, w.rider)
    answer(w.event, m1, w.rider_blocks[0], "v1 secret")
    answer(w.event, m2, w.rider_blocks[0], "v2 secret")
    for me, mine, theirs in ((w.vendor1, (a1, m1), (a2, m2)),
                             (w.vendor2, (a2, m2), (a1, m1))):
        me.get("/account")
        for method, path in routes_of(w, *mine):
            assert call(me, method, path).status_code == 403, path
        for method, path in routes_of(w, *theirs):
            assert call(me, method, path).status_code == 404, path
        # A module id of the other advance under mine: still only 403
        # (managing is not theirs), never the other's data.
        a = f"/events/{w.event}/advances/{mine[0]}/modules/{theirs[1]}"
        assert call(me, "GET", a + "/delete").status_code == 403
        # The list and the tabs show only their own, without review
        # marks.
        items = jget(me, url(w)).json()["items"]
        assert all("needs_review" not in i["progress"] and
                   "no_respondent" not in i for i in items)
        names = {i["name"] for i in items}
        assert any(n.startswith("V1 only" if me is w.vendor1 else
                                "V2 only") for n in names)
        assert not any(n.startswith("V2 only" if me is w.vendor1 else
                                    "V1 only") for n in names)
        other_c = w.v2 if me is w.vendor1 else w.v1
        own_c = w.v1 if me is w.vendor1 else w.v2
        assert me.get(f"/events/{w.event}/collaborators/{other_c}/advances"
                      ).status_code == 404
        r = me.get(f"/events/{w.event}/collaborators/{own_c}/advances")
        assert r.status_code == 200 and "secret" not in r.text
        assert "Needs review" not in r.text     # respondents: no marks
        assert me.get(url(w, "/new")).status_code == 403
        r = me.post(url(w), {"collaborator_id": str(other_c), "name": "x"})
        assert r.status_code == 403
    # For staff, a module of another advance is not found.
    a = f"/events/{w.event}/advances/{a1}/modules/{m2}"
    for method, tail in (("GET", "/delete"), ("POST", "/delete"),
                         ("POST", "/settings"), ("POST", "/move")):
        assert call(w.owner, method, a + tail).status_code == 404, tail
    # Nothing changed.
    assert sql_one(f"SELECT name FROM advances WHERE id = {a1}").startswith(
        "V1 only")
    assert sql_one(f"SELECT COUNT(*) FROM advance_modules WHERE advance_id "
                   f"IN ({a1}, {a2})") == "2"
    # The same through the API with tokens.
    tok = token(w.vendor1)
    assert api(tok, "GET", url(w, f"/{a2}/settings")).status_code == 404
    assert api(tok, "GET", url(w, f"/{a1}/settings")).status_code == 403
    assert api(tok, "POST", url(w, f"/{a2}/delete"),
               json={"confirm": "1"}).status_code == 404


def test_viewer_and_observer_get_403(w):
    a = advance(w.event, w.v1, "Viewed " + uuid.uuid4().hex[:4])
    m = adv_module(w.event, a, w.rider)
    for b in (w.std_view, w.orgpro):
        b.get("/account")
        for method, path in routes_of(w, a, m):
            assert call(b, method, path).status_code == 403, path
        assert b.get(url(w)).status_code == 200


def test_other_tenant_and_strangers_404(w):
    a = advance(w.event, w.v1, "Foreign " + uuid.uuid4().hex[:4])
    m = adv_module(w.event, a, w.rider)
    for b in (w.other, w.std_noseat):
        b.get("/account")
        for method, path in routes_of(w, a, m) + [
                ("GET", url(w)), ("GET", url(w, "/new")),
                ("POST", url(w)),
                ("GET", f"/events/{w.event}/collaborators/{w.v1}/advances")]:
            assert call(b, method, path).status_code == 404, path
    # An advance id of another event under this event: 404.
    owner = new_user(tag="aother")
    org = new_org(owner)
    from bo import new_event
    ev = new_event(owner, org)
    c = insert_collab(ev, "Elsewhere")
    far = advance(ev, c, "Far away")
    assert w.owner.get(url(w, f"/{far}/settings")).status_code == 404
    assert owner.get(f"/events/{ev}/advances/{a}/settings").status_code \
        == 404


def test_archived_event_refuses_writes(w):
    owner = new_user(tag="aarch")
    org = new_org(owner)
    from bo import new_event
    ev = new_event(owner, org, start_date="2027-07-01",
                   end_date="2027-07-02")
    c = insert_collab(ev, "Archived Vendor")
    mt, _ = module_template(ev, "Arch mod")
    a = advance(ev, c, "Frozen")
    m = adv_module(ev, a, mt)
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")
    owner.get(f"/events/{ev}/advances")
    base = f"/events/{ev}/advances"
    for method, path in [("POST", base)] + routes_of(
            type("E", (), {"event": ev}), a, m):
        if method == "POST":
            r = owner.post(path, {"collaborator_id": str(c), "name": "x",
                                  "module_template_id": str(mt),
                                  "direction": "up"})
            assert r.status_code == 409, path
    assert owner.get(base).status_code == 200
    r = owner.get(f"{base}/{a}/settings")
    assert r.status_code == 200 and "Add module" not in r.text
