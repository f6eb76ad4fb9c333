"""The vendor portal's home (issue 7 item 5; PRODUCT §13.5): respondents
see only their own collaborator's advances with progress, next due date
and overdue marks, module states without review marks, and links to
their schedule and crew; staff get the collaborators they may preview
and a read-only "Preview as" showing exactly what respondents see; one
vendor asking for another's anything gets 404."""

import re
import uuid

import pytest

from bo import BASE, new_user, sql, sql_one
from world import build_world, put_on_event, uid_of
from matrix_advances import (adv_module, advance, answer, line_item,
                             module_template)


@pytest.fixture(scope="module")
def w():
    w = build_world()
    w.rider, w.rb = module_template(
        w.event, "Audio rider", [{"label": "Console", "required": 1},
                                 {"label": "Monitors", "required": 1},
                                 {"kind": "request", "label": "Backline"}])
    w.hosp, w.hb = module_template(w.event, "Hospitality",
                                   [{"label": "Dietary", "required": 1}])
    # V1: one advance half done and overdue, one not started.
    w.a1 = advance(w.event, w.v1, "Friday show")
    w.m1 = adv_module(w.event, w.a1, w.rider, 0, due="2020-03-01")
    w.m1b = adv_module(w.event, w.a1, w.hosp, 1, due="2099-05-01")
    answer(w.event, w.m1, w.rb[0], "CL5")
    answer(w.event, w.m1b, w.hb[0], "Vegan")
    w.a1b = advance(w.event, w.v1, "Saturday show")
    adv_module(w.event, w.a1b, w.hosp, 0, due="2099-06-01")
    # V2: its own.
    w.a2 = advance(w.event, w.v2, "Catering plan")
    w.m2 = adv_module(w.event, w.a2, w.hosp, 0)
    line_item(w.event, w.m2, w.rb[2], "Fridge")
    for b in w.personas.values():
        if b is not w.anon:
            b.get("/account")
    return w


def portal(w, tail=""):
    return f"/events/{w.event}/portal{tail}"


def jget(b, path, status=200):
    r = b.s.get(BASE + "/api/v1" + path)
    assert r.status_code == status, r.text[:2000]
    return r.json() if status == 200 else r


def test_vendor_sees_only_their_collaborators_advances(w):
    j = jget(w.vendor1, portal(w))
    assert j["preview"] is False
    assert j["collaborator"] == {"id": w.v1, "name": "Sound Vendor"}
    names = [i["name"] for i in j["items"]]
    assert names == ["Friday show", "Saturday show"]
    fri = j["items"][0]
    # Required items: Console and Monitors, Dietary → 2 of 3 answered.
    assert (fri["progress"]["required_answered"],
            fri["progress"]["required_total"]) == (2, 3)
    assert fri["progress"]["state"] == "in_progress"
    assert fri["overdue"] is True              # rider due 2020, incomplete
    assert fri["progress"]["next_due"] == "2020-03-01"
    assert fri["url"] == f"/events/{w.event}/advances/{w.a1}"
    mods = {m["label"]: m for m in fri["modules"]}
    assert mods["Audio rider"]["marker"] == "◐"
    assert mods["Audio rider"]["overdue"] is True
    assert mods["Hospitality"]["marker"] == "✓"
    assert mods["Hospitality"]["overdue"] is False
    # Respondents never see review marks or staff links.
    assert "needs_review" not in fri["progress"]
    assert all("needs_review" not in m for m in fri["modules"])
    assert fri["settings_url"] is None
    assert j["overdue_count"] == 1 and j["open_count"] == 2
    assert j["schedule_url"] == \
        f"/events/{w.event}/schedule?cal=collab:{w.v1}"
    assert j["crew_url"] == f"/events/{w.event}/collaborators/{w.v1}/crew"
    # The links work for them.
    assert w.vendor1.get(j["schedule_url"]).status_code == 200
    assert w.vendor1.get(j["crew_url"]).status_code == 200
    # HTML: the page, without the other vendor's anything.
    r = w.vendor1.get(portal(w))
    assert r.status_code == 200
    assert "Friday show" in r.text and "Catering plan" not in r.text
    assert "Overdue" in r.text and "Needs review" not in r.text
    j2 = jget(w.vendor2, portal(w))
    assert [i["name"] for i in j2["items"]] == ["Catering plan"]
    assert j2["items"][0]["progress"]["required_total"] == 1


def test_vendor_gets_404_for_the_other_collaborator(w):
    for me, other in ((w.vendor1, w.v2), (w.vendor2, w.v1)):
        assert me.get(portal(w, f"/preview/{other}")).status_code == 404
        assert me.get(f"/events/{w.event}/collaborators/{other}/advances"
                      ).status_code == 404
    assert w.vendor1.get(portal(w, "/preview/999999999")).status_code == 404
    # Their own preview is their own portal, marked as a preview.
    j = jget(w.vendor1, portal(w, f"/preview/{w.v1}"))
    assert j["preview"] is True
    assert [i["name"] for i in j["items"]] == ["Friday show",
                                               "Saturday show"]


def test_staff_preview_is_what_respondents_see(w):
    j = jget(w.owner, portal(w))
    assert "preview" not in j
    names = {i["name"]: i for i in j["items"]}
    assert {"Sound Vendor", "Catering Vendor"} <= set(names)
    assert names["Sound Vendor"]["preview_url"] == portal(
        w, f"/preview/{w.v1}")
    assert names["Sound Vendor"]["advances"] == 2
    p = jget(w.owner, portal(w, f"/preview/{w.v1}"))
    v = jget(w.vendor1, portal(w))
    assert p["preview"] is True
    assert p["items"] == v["items"]
    assert p["staff_url"] == \
        f"/events/{w.event}/collaborators/{w.v1}/advances"
    r = w.owner.get(portal(w, f"/preview/{w.v1}"))
    assert r.status_code == 200
    assert "Preview as Sound Vendor" in r.text
    assert "Needs review" not in r.text
    # The viewer and the Org Pro observer may preview too (view).
    for b in (w.std_view, w.orgpro, w.seat):
        assert b.get(portal(w, f"/preview/{w.v2}")).status_code == 200
        assert b.get(portal(w)).status_code == 200


def test_portal_for_nobody_else(w):
    assert w.other.get(portal(w)).status_code == 404
    assert w.std_noseat.get(portal(w)).status_code == 404
    assert w.other.get(portal(w, f"/preview/{w.v1}")).status_code == 404
    r = w.anon.get(portal(w))
    assert r.status_code == 303
    # On the event without any advancing: 404.
    u = new_user(tag="pcrew")
    put_on_event(w.event, u, w.v1, [("collaborator", w.v1, "crew", 1)])
    assert u.get(portal(w)).status_code == 404
    assert u.get(portal(w, f"/preview/{w.v1}")).status_code == 404


def test_navigation_points_vendors_to_the_portal(w):
    r = w.vendor1.get(f"/events/{w.event}")
    assert f'href="/events/{w.event}/portal"' in r.text
    r = w.owner.get(f"/events/{w.event}")
    assert f'href="/events/{w.event}/advances"' in r.text
    # The collaborator pages carry the Advances tab.
    r = w.owner.get(f"/events/{w.event}/collaborators/{w.v1}")
    assert f"/collaborators/{w.v1}/advances" in r.text
    r = w.owner.get(f"/events/{w.event}/collaborators/{w.v1}/advances")
    assert r.status_code == 200
    assert "Friday show" in r.text and 'aria-current="page">Advances' in \
        r.text
    assert "Preview their portal" in r.text


def test_portal_query_count_is_fixed(w):
    n1 = int(w.vendor2.get(portal(w)).headers["X-Debug-Queries"])
    for i in range(12):
        a = advance(w.event, w.v2, f"More {i} " + uuid.uuid4().hex[:4])
        m = adv_module(w.event, a, w.rider, due="2020-01-01")
        answer(w.event, m, w.rb[1], "x")
    r = w.vendor2.get(portal(w))
    assert r.text.count("More ") >= 12
    assert int(r.headers["X-Debug-Queries"]) == n1


def test_a_finished_advance_says_nothing_is_left_due(w):
    done = advance(w.event, w.v2, "Sunday load-out")
    m = adv_module(w.event, done, w.hosp, 0, due="2099-07-01")
    answer(w.event, m, w.hb[0], "None")
    page = w.vendor2.get(portal(w)).text
    row = page[page.index("Sunday load-out"):]
    assert "Nothing left due" in row[:1500]
    assert "No due date" not in row[:1500]
