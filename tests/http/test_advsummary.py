"""Where advance data shows up (issue 7 item 9; PRODUCT §13.4 scope,
§14.4): area-scoped advances on the area page and the area's day sheet,
activity-scoped ones on the activity page and its day sheet, all of a
collaborator's advances on its day sheet; answered questions as
"label: answer", "— missing" for unanswered required questions, line
items with their approval states and decline reasons; only advances the
viewer may see; a fixed number of queries however many advances."""

import json

import pytest

from advfix import (advance, answer, insert, item, module, module_template,
                    q, question, request)
from bo import BASE, new_user, sql
from world import build_world, put_on_event, uid_of

DAY = "2027-07-01"


@pytest.fixture(scope="module")
def w():
    w = build_world()
    ev = w.event
    w.power = insert(f"INSERT INTO asset_types (event_id, name, label, "
                     f"created_at, updated_at) VALUES ({ev}, 'power', "
                     f"'Power drop', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    sql(f"INSERT INTO asset_props (event_id, asset_type_id, pkey, label, "
        f"rtype, options, required, position) VALUES ({ev}, {w.power}, "
        f"'phase', 'Phase', 'select', "
        f"{q(json.dumps([{'key': 'one', 'label': 'Single phase'}, {'key': 'three', 'label': 'Three phase'}]))}"
        f", 1, 1), ({ev}, {w.power}, 'amps', 'Current (A)', 'number', NULL, "
        f"1, 2)")
    w.tpl = module_template(ev, "Audio rider")
    w.foh = question(ev, w.tpl, 1, "FOH console", "text", required=1)
    w.mixes = question(ev, w.tpl, 2, "Monitor mixes", "number", required=1)
    w.diet = question(ev, w.tpl, 3, "Dietary needs", "multiselect",
                      options=json.dumps([{"key": "veg", "label": "Vegetarian"},
                                          {"key": "gf", "label": "Gluten-free"}]))
    w.drops = request(ev, w.tpl, 4, "Power drops", asset=w.power)
    w.misc = request(ev, w.tpl, 5, "Other kit", op=1, res=0)

    # V1: scoped to the area, partly answered, a declined item.
    w.adv1 = advance(ev, w.v1, "Main Stage audio", area=w.area)
    w.mod1 = module(ev, w.adv1, w.tpl, due="2026-01-01")
    answer(ev, w.mod1, w.foh, "DiGiCo SD12")
    answer(ev, w.mod1, w.diet, "veg,gf")
    item(ev, w.mod1, w.drops, props={"props": {"phase": "three",
                                               "amps": "63"}, "subs": {}},
         op="declined", reason="Split it in two")
    item(ev, w.mod1, w.misc, desc="Drum riser", qty=2, op="approved")
    # V2: event-wide, answered completely.
    w.adv2 = advance(ev, w.v2, "Catering audio")
    w.mod2 = module(ev, w.adv2, w.tpl)
    answer(ev, w.mod2, w.foh, "Yamaha CL5")
    answer(ev, w.mod2, w.mixes, "4")
    # An activity with an activity-scoped advance of V2.
    w.act = insert(f"INSERT INTO activities (uuid, event_id, name, "
                   f"start_utc, end_utc, created_by, created_at, updated_at)"
                   f" VALUES (UUID(), {ev}, 'Soundcheck', "
                   f"'2027-07-01 10:00:00', '2027-07-01 11:00:00', 1, "
                   f"UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    sql(f"INSERT INTO activity_areas (activity_id, event_id, area_id) "
        f"VALUES ({w.act}, {ev}, {w.area})")
    w.adv3 = advance(ev, w.v2, "Soundcheck needs", activity=w.act)
    w.mod3 = module(ev, w.adv3, w.tpl)
    answer(ev, w.mod3, w.foh, "Soundcheck desk")
    return w


def sheet(b, kind, sid, w):
    r = b.s.get(f"{BASE}/api/v1/events/{w.event}/daysheets/{kind}/{sid}/"
                f"{DAY}")
    assert r.status_code == 200, r.text[:500]
    return r.json()


def modules_of(j, name):
    for a in j["advance"]:
        if a["name"] == name:
            return a["modules"]
    raise AssertionError(f"{name} not in {[a['name'] for a in j['advance']]}")


def test_area_day_sheet_lists_area_scoped_advances_with_answers(w):
    j = sheet(w.owner, "area", w.area, w)
    assert [a["name"] for a in j["advance"]] == ["Main Stage audio"]
    (m,) = modules_of(j, "Main Stage audio")
    qs = {x["label"]: x for x in m["questions"]}
    assert qs["FOH console"]["answer"] == "DiGiCo SD12"
    assert qs["Dietary needs"]["answer"] == "Vegetarian, Gluten-free"
    # Required but unanswered: flagged; optional unanswered: left out.
    assert qs["Monitor mixes"]["missing"] is True
    assert qs["Monitor mixes"]["answer"] is None
    assert m["completion"] == "in_progress" and m["overdue"] is True
    reqs = {x["name"]: x["items"] for x in m["requests"]}
    (drop,) = reqs["Power drops"]
    assert drop["text"] == "Phase: Three phase · Current (A): 63"
    assert drop["operational"] == "declined"
    assert drop["operational_reason"] == "Split it in two"
    assert drop["resource"] == "pending"
    (kit,) = reqs["Other kit"]
    assert kit["text"] == "Drum riser × 2" and "resource" not in kit

    html = w.owner.get(f"/events/{w.event}/daysheets/area/{w.area}/{DAY}")
    assert "Advance data" in html.text
    assert "FOH console: DiGiCo SD12" in html.text
    assert "— missing" in html.text and "Split it in two" in html.text


def test_area_and_activity_pages_show_their_advances(w):
    page = w.owner.get(f"/events/{w.event}/areas/{w.area}").text
    assert "Main Stage audio" in page and "Soundcheck needs" not in page
    assert f"/events/{w.event}/advances/{w.adv1}" in page
    act = w.owner.get(f"/events/{w.event}/activities/{w.act}").text
    assert "Soundcheck needs" in act and "Soundcheck desk" in act
    assert "Main Stage audio" not in act
    j = sheet(w.owner, "activity", w.act, w)
    assert [a["name"] for a in j["advance"]] == ["Soundcheck needs"]


def test_collaborator_sheet_holds_all_its_advances_and_only_its_own(w):
    j = sheet(w.vendor2, "collaborator", w.v2, w)
    assert sorted(a["name"] for a in j["advance"]) == [
        "Catering audio", "Soundcheck needs"]
    (m,) = modules_of(j, "Catering audio")
    assert m["completion"] == "complete"
    j1 = sheet(w.vendor1, "collaborator", w.v1, w)
    assert [a["name"] for a in j1["advance"]] == ["Main Stage audio"]
    # The other vendor's sheet stays closed.
    r = w.vendor2.s.get(f"{BASE}/api/v1/events/{w.event}/daysheets/"
                        f"collaborator/{w.v1}/{DAY}")
    assert r.status_code == 404


def test_advances_the_viewer_cannot_see_stay_out(w):
    # Schedule view on the area opens its sheet, but without advancing
    # there is no advance data on it.
    lead = new_user(tag="schedonly")
    put_on_event(w.event, lead, w.host, [("area", w.area, "schedule", 1),
                                         ("area", w.area, "settings", 1)],
                 w.pool)
    j = sheet(lead, "area", w.area, w)
    assert j["advance"] == [] and j["has_advance"] is False
    assert "Advance data" not in lead.get(
        f"/events/{w.event}/daysheets/area/{w.area}/{DAY}").text
    page = lead.get(f"/events/{w.event}/areas/{w.area}")
    assert page.status_code == 200 and "Main Stage audio" not in page.text
    # Advancing view on the area shows the area's advance.
    put_on_event_grant(w.event, lead, ("area", w.area, "advancing", 1))
    assert [a["name"] for a in sheet(lead, "area", w.area, w)["advance"]] \
        == ["Main Stage audio"]


def put_on_event_grant(ev, b, g):
    dom, scope, sec, lvl = g
    sql(f"INSERT INTO grants (event_id, user_id, domain, scope_id, section, "
        f"level, granted_at) VALUES ({ev}, {uid_of(b)}, '{dom}', {scope}, "
        f"'{sec}', {lvl}, UTC_TIMESTAMP(3))")


def test_query_count_does_not_grow_with_advances(w):
    def count():
        r = w.owner.get(f"/events/{w.event}/areas/{w.area}")
        assert r.status_code == 200
        return int(r.headers["X-Debug-Queries"])

    before = count()
    for i in range(6):
        adv = advance(w.event, w.v2, f"Extra {i}", area=w.area)
        mod = module(w.event, adv, w.tpl)
        answer(w.event, mod, w.foh, f"Desk {i}")
    assert count() == before
    j = sheet(w.owner, "area", w.area, w)
    assert len(j["advance"]) == 7


def test_navigation_leads_staff_to_advancing_and_vendors_to_their_portal(w):
    def nav(b):
        r = b.s.get(f"{BASE}/api/v1/events/{w.event}/areas/{w.area}"
                    if b is not w.vendor1 else
                    f"{BASE}/api/v1/events/{w.event}/schedule")
        assert r.status_code == 200, r.text[:300]
        return {n["key"]: n["url"] for n in r.json()["nav"]}

    staff = nav(w.owner)
    assert staff["advancing"] == f"/events/{w.event}/advances"
    assert "portal" not in staff
    vendor = nav(w.vendor1)
    assert vendor["portal"] == f"/events/{w.event}/portal"
    assert "advancing" not in vendor
