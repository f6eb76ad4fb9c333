"""Calendars as views (issue 5 item 4; PRODUCT §10 "Calendars"): week
and month grids, overlaid calendars with a marker per calendar, the
selector limited to viewable calendars, the personal calendar across
events and zones, clash marking, the activity form's pick lists, and a
fixed query count for the date-ranged reads."""

import re
import uuid

import pytest

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from world import put_on_event, uid_of, vendor_contact, insert_collab
from test_schedule import create, api_get, new_area, queries


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="cowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Cal Fest",
                        start_date="2027-03-27", end_date="2027-03-29",
                        timezone="Europe/Amsterdam")
    w.v1 = insert_collab(w.event, "Lights Co")
    w.v2 = insert_collab(w.event, "Bar Co")
    w.area = new_area(w.event, "Field")
    w.vendor = new_user(tag="cvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="cvendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.other = new_event(w.owner, w.org, name="Other Fest")
    w.other_area = new_area(w.other, "Elsewhere")
    w.owner.get(f"/events/{w.event}/schedule")
    return w


def ev(w):
    return f"/events/{w.event}/schedule"


def blocks(j, name):
    return [(d["date"], b) for d in j["week_days"] for b in d["blocks"]
            if b["name"] == name]


def test_week_view_across_dst(w):
    short = "Short night " + uuid.uuid4().hex[:4]
    normal = "Normal night " + uuid.uuid4().hex[:4]
    frame = "Build window " + uuid.uuid4().hex[:4]
    allday = "Festival day " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=short, start_date="2027-03-28",
           start_time="01:30", end_date="2027-03-28", end_time="03:30")
    create(w.owner, w.event, name=normal, start_date="2027-03-27",
           start_time="01:30", end_date="2027-03-27", end_time="03:30")
    create(w.owner, w.event, name=frame, type="time_frame",
           start_date="2027-03-27", start_time="08:00",
           end_date="2027-03-27", end_time="12:00")
    aid = create(w.owner, w.event, name=allday, all_day="1",
                 start_date="2027-03-27", end_date="2027-03-28")
    w.owner.post(f"/events/{w.event}/activities/{aid}/cancel", {})
    j = api_get(w.owner, f"{ev(w)}/week/2027-03-25").json()
    assert j["from"] == "2027-03-22" and j["to"] == "2027-03-28"
    assert [d["date"] for d in j["week_days"]][0] == "2027-03-22"
    # The spring-forward night lasts an hour: four quarter-hour rows.
    (date, b), = blocks(j, short)
    assert date == "2027-03-28" and b["minutes"] == 60 and b["rows"] == 4
    assert b["duration_minutes"] == 60
    (date, b), = blocks(j, normal)
    assert date == "2027-03-27" and b["minutes"] == 120 and b["rows"] == 8
    assert j["first_hour"] <= 1
    # Time frames are bands; all-day ones sit in the all-day row, and a
    # cancelled one is shown cancelled.
    sat = [d for d in j["week_days"] if d["date"] == "2027-03-27"][0]
    assert [f["name"] for f in sat["frames"]] == [frame]
    sun = [d for d in j["week_days"] if d["date"] == "2027-03-28"][0]
    assert [a["name"] for a in sun["all_day"]] == [allday]
    assert sun["all_day"][0]["cancelled"]
    html = w.owner.get(f"{ev(w)}/week/2027-03-25").text
    assert re.search(r'class="wk-block[^"]* cn-4 [^"]*"[^>]*title="'
                     + re.escape(short), html)
    assert "wk-frame" in html and "wk-cancelled" in html
    assert "style=" not in html.split('class="wk"', 1)[1]
    # Navigation keeps to weeks.
    assert "/schedule/week/2027-03-15" in html
    assert "/schedule/week/2027-03-29" in html
    assert w.owner.get(f"{ev(w)}/week/2027-02-30").status_code == 404


def test_month_view_shows_a_series(w):
    name = "Rehearsal " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=name, start_date="2027-02-15",
           start_time="18:00", end_date="2027-02-15", end_time="19:00",
           repeat="weekly", weekdays=["mon", "thu"])
    j = api_get(w.owner, f"{ev(w)}/month/2027-03").json()
    assert j["month"] == "2027-03"
    got = sorted({o["date"] for o in j["occurrences"] if o["name"] == name})
    # The series began in February and never ends: every Monday and
    # Thursday of the grid (1 Mar … 4 Apr) is there.
    assert got == ["2027-03-01", "2027-03-04",
                   "2027-03-08", "2027-03-11", "2027-03-15", "2027-03-18",
                   "2027-03-22", "2027-03-25", "2027-03-29", "2027-04-01"]
    cells = {d["date"]: d for wk in j["weeks"] for d in wk["days"]}
    assert len(cells) % 7 == 0 and len(cells) >= 28
    assert cells["2027-03-08"]["in_month"] and \
        not cells["2027-04-01"]["in_month"]
    assert any(i["name"] == name for i in cells["2027-03-11"]["items"])
    assert not any(i["name"] == name for i in cells["2027-03-10"]["items"])
    html = w.owner.get(f"{ev(w)}/month/2027-03").text
    assert "/schedule/month/2027-02" in html and \
        "/schedule/month/2027-04" in html
    assert w.owner.get(f"{ev(w)}/month/2027-13").status_code == 404
    assert w.owner.get(f"{ev(w)}/month/soon").status_code == 404


def test_overlay_shows_shared_activity_once(w):
    both = "Shared " + uuid.uuid4().hex[:4]
    only_area = "Area only " + uuid.uuid4().hex[:4]
    neither = "Neither " + uuid.uuid4().hex[:4]
    day = {"start_date": "2027-03-29", "end_date": "2027-03-29"}
    create(w.owner, w.event, name=both, areas=str(w.area),
           participants=f"collaborator:{w.v1}", **day)
    create(w.owner, w.event, name=only_area, areas=str(w.area), **day)
    create(w.owner, w.event, name=neither, **day)
    q = f"cal=collab:{w.v1}&cal=area:{w.area}"
    j = api_get(w.owner, f"{ev(w)}/week/2027-03-29?{q}").json()
    got = [o for o in j["occurrences"] if o["name"] == both]
    assert len(got) == 1
    assert [m["calendar"] for m in got[0]["markers"]] == [
        f"collab:{w.v1}", f"area:{w.area}"]
    assert len({m["colour"] for m in got[0]["markers"]}) == 2
    got = [o for o in j["occurrences"] if o["name"] == only_area]
    assert [m["calendar"] for m in got[0]["markers"]] == [f"area:{w.area}"]
    assert not [o for o in j["occurrences"] if o["name"] == neither]
    html = w.owner.get(f"{ev(w)}/week/2027-03-29?{q}").text
    assert html.count(f'title="{both} ·') == 1
    assert html.count('class="cal-marker') >= 3
    # The same choice on the list and day views.
    j = api_get(w.owner, f"{ev(w)}/day/2027-03-29?{q}").json()
    assert [len(o["markers"]) for o in j["occurrences"]
            if o["name"] == both] == [2]


def selector(j):
    return {g["label"]: [i["key"] for i in g["items"]]
            for g in j["calendars"]}


def test_selector_lists_only_viewable_calendars(w):
    j = api_get(w.vendor, f"{ev(w)}/week/2027-03-29").json()
    sel = selector(j)
    assert sel["General"] == ["personal", "event"]
    assert sel["Collaborators"] == [f"collab:{w.v1}"]
    assert sel["Areas"] == []
    html = w.vendor.get(f"{ev(w)}/week/2027-03-29").text
    assert "Bar Co" not in html
    assert f'value="collab:{w.v2}"' not in html
    for bad in (f"collab:{w.v2}", f"area:{w.area}",
                f"area:{w.other_area}", "collab:999999999"):
        r = w.vendor.get(f"{ev(w)}/week/2027-03-29?cal={bad}")
        assert r.status_code == 404, bad
        assert "cal" in r.text
        r = w.vendor.s.get(f"{BASE}/api/v1{ev(w)}?cal={bad}")
        assert r.status_code == 404, bad
        assert "Bar Co" not in r.text
    # The owner may view everything on the event, but not another
    # event's area.
    sel = selector(api_get(w.owner, f"{ev(w)}/week/2027-03-29").json())
    assert {f"collab:{w.v1}", f"collab:{w.v2}"} <= set(sel["Collaborators"])
    assert sel["Areas"] == [f"area:{w.area}"]
    assert w.owner.get(f"{ev(w)}/day/2027-03-29?cal=area:{w.other_area}"
                       ).status_code == 404
    r = w.owner.get(f"{ev(w)}/day/2027-03-29?cal=stage")
    assert r.status_code == 422 and "cal" in r.text


def test_vendor_collab_calendar_shows_its_activities(w):
    mine = "V1 soundcheck " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=mine, start_date="2027-03-28",
           end_date="2027-03-28", participants=f"collaborator:{w.v1}")
    j = api_get(w.vendor, f"{ev(w)}/week/2027-03-28?cal=collab:{w.v1}"
                ).json()
    assert mine in {o["name"] for o in j["occurrences"]}


def test_personal_calendar_across_events_and_zones(w):
    u = new_user(tag="cpers")
    uid = uid_of(u)
    sql(f"UPDATE users SET timezone = 'Asia/Tokyo' WHERE id = {uid}")
    ny = new_event(w.owner, w.org, name="NY Fest", start_date="2027-05-10",
                   end_date="2027-05-12", timezone="America/New_York")
    ams = new_event(w.owner, w.org, name="AMS Fest",
                    start_date="2027-05-10", end_date="2027-05-12",
                    timezone="Europe/Amsterdam")
    for e in (ny, ams):
        host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                           f" {e} AND is_host = 1"))
        put_on_event(e, u, host, [])
    w.owner.get(f"/events/{ny}/schedule")
    a_ny = create(w.owner, ny, name="NY call", start_date="2027-05-10",
                  start_time="09:00", end_date="2027-05-10",
                  end_time="10:00", participants=f"user:{uid}:attendee")
    create(w.owner, ams, name="AMS call", start_date="2027-05-10",
           start_time="15:00", end_date="2027-05-10", end_time="16:00",
           participants=f"user:{uid}:attendee")
    create(w.owner, ams, name="AMS internal", start_date="2027-05-10",
           start_time="11:00", end_date="2027-05-10", end_time="12:00")
    create(w.owner, ams, name="AMS gates", start_date="2027-05-11",
           start_time="11:00", end_date="2027-05-11", end_time="12:00",
           **{"global": "1"})
    j = api_get(u, "/calendar?from=2027-05-09&to=2027-05-12").json()
    occ = {o["name"]: o for o in j["occurrences"]}
    assert set(occ) == {"NY call", "AMS call", "AMS gates"}
    assert occ["NY call"]["timezone"] == "America/New_York"
    assert occ["NY call"]["start_local"] == "2027-05-10T09:00:00"
    assert occ["NY call"]["event_name"] == "NY Fest"
    assert occ["AMS call"]["timezone"] == "Europe/Amsterdam"
    assert occ["AMS call"]["start_local"] == "2027-05-10T15:00:00"
    assert occ["NY call"]["url"] == f"/events/{ny}/activities/{a_ny}"
    # The switch: everything in the user's own zone (Tokyo, UTC+9).
    j = api_get(u, "/calendar?zone=user&from=2027-05-09&to=2027-05-12"
                ).json()
    occ = {o["name"]: o for o in j["occurrences"]}
    assert occ["NY call"]["timezone"] == "Asia/Tokyo"
    assert occ["NY call"]["start_local"] == "2027-05-10T22:00:00"
    assert occ["AMS call"]["start_local"] == "2027-05-10T22:00:00"
    assert occ["AMS call"]["date"] == "2027-05-10"
    html = u.get("/calendar?zone=user&from=2027-05-09&to=2027-05-12").text
    assert "NY Fest" in html and "JST" in html
    # The two calls overlap (13:00Z) and the user is required in both.
    assert occ["NY call"]["clash"] and occ["AMS call"]["clash"]
    assert not occ["AMS gates"]["clash"]
    # Week grid and event filter.
    j = api_get(u, f"/calendar/week/2027-05-10?event={ny}").json()
    assert {o["name"] for o in j["occurrences"]} == {"NY call"}
    assert u.get(f"/calendar?event={w.event}").status_code == 404
    assert u.get("/calendar?zone=mars").status_code == 422
    assert u.get("/calendar/week/2027-02-31").status_code == 404


def test_clash_marked(w):
    e = new_event(w.owner, w.org, start_date="2027-04-01",
                  end_date="2027-04-02")
    w.owner.get(f"/events/{e}/schedule")
    uid = uid_of(w.owner)
    a = create(w.owner, e, name="Walkthrough", start_date="2027-04-01",
               start_time="10:00", end_date="2027-04-01", end_time="11:00",
               participants=f"user:{uid}:organizer")
    b = create(w.owner, e, name="Press call", start_date="2027-04-01",
               start_time="10:30", end_date="2027-04-01", end_time="11:30",
               participants=f"user:{uid}:organizer")
    c = create(w.owner, e, name="Optional chat", start_date="2027-04-01",
               start_time="10:15", end_date="2027-04-01", end_time="10:45",
               participants=f"user:{uid}:organizer:optional")
    d = create(w.owner, e, name="Lunch", start_date="2027-04-01",
               start_time="11:30", end_date="2027-04-01", end_time="12:30",
               participants=f"user:{uid}:organizer")
    j = api_get(w.owner, f"/events/{e}/schedule/day/2027-04-01").json()
    clash = {o["activity_id"]: o["clash"] for o in j["occurrences"]}
    assert clash == {a: True, b: True, c: False, d: False}
    html = w.owner.get(f"/events/{e}/schedule/day/2027-04-01").text
    assert html.count("cal-clash-badge") == 2
    page = w.owner.get(f"/events/{e}/activities/{a}").text
    assert "Clashes" in page and "Press call" in page
    assert "Lunch" not in page.split("Clashes", 1)[1]
    j = api_get(w.owner, f"/events/{e}/activities/{d}").json()
    assert j["clashes"] == []
    j = api_get(w.owner, f"/events/{e}/activities/{b}").json()
    assert [x["name"] for x in j["clashes"]] == ["Walkthrough"]
    # Cancelling one ends the clash.
    w.owner.post(f"/events/{e}/activities/{b}/cancel", {})
    j = api_get(w.owner, f"/events/{e}/schedule/week/2027-04-01").json()
    assert not any(o["clash"] for o in j["occurrences"])


def test_form_pick_lists(w):
    uid = uid_of(w.owner)
    html = w.owner.get(ev(w)).text
    assert f'<option value="user:{uid}:organizer"' in html
    assert f'<option value="collaborator:{w.v2}:attendee:optional"' in html
    assert f'name="areas" value="{w.area}"' in html
    # What the pick lists send, one select per person or collaborator
    # (empty ones "—" skipped) and the areas' "none" sentinel.
    aid = create(w.owner, w.event, name="Picked",
                 participants=["", f"user:{uid}:organizer", "",
                               f"collaborator:{w.v1}:attendee:optional"],
                 areas=["none", str(w.area)])
    act = api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                  ).json()["activity"]
    assert [(p["kind"], p["role"], p["required"])
            for p in act["participants"]] == [
        ("user", "organizer", True), ("collaborator", "attendee", False)]
    assert [a["id"] for a in act["areas"]] == [w.area]
    page = w.owner.get(f"/events/{w.event}/activities/{aid}").text
    assert (f'<option value="collaborator:{w.v1}:attendee:optional"'
            f' selected>') in page
    # Unticking every area clears them (the sentinel is still sent).
    r = w.owner.post(f"/events/{w.event}/activities/{aid}", {
        "name": "Picked", "start_date": "2027-03-27", "start_time": "10:00",
        "end_date": "2027-03-27", "end_time": "11:00", "areas": "none",
        "participants": f"user:{uid}:organizer"})
    assert r.status_code == 303
    act = api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                  ).json()["activity"]
    assert act["areas"] == []
    # The vendor's form offers their own collaborator only.
    html = w.vendor.get(ev(w)).text
    assert f"collaborator:{w.v1}:organizer" in html
    assert f"collaborator:{w.v2}:" not in html


def bulk(ev_id, owner_id, n, day="2027-06-10"):
    rows = ",".join(
        f"(UUID(), {ev_id}, 'activity', 'Bulk {i}', 0, "
        f"'{day} {8 + i % 10:02d}:00:00', "
        f"'{day} {9 + i % 10:02d}:00:00', {i % 2}, {owner_id},"
        f" UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))" for i in range(n))
    sql("INSERT INTO activities (uuid, event_id, kind, name, all_day,"
        " start_utc, end_utc, is_global, created_by, created_at, updated_at)"
        " VALUES " + rows)
    sql(f"INSERT INTO activity_participants (activity_id, event_id, user_id,"
        f" role, required) SELECT id, event_id, {owner_id}, 'organizer', 1"
        f" FROM activities WHERE event_id = {ev_id}")


def test_query_count_fixed_on_week_and_personal(w):
    small_u = new_user(tag="cqsmall")
    big_u = new_user(tag="cqbig")
    small = new_event(w.owner, w.org, start_date="2027-06-10",
                      end_date="2027-06-12")
    big = new_event(w.owner, w.org, start_date="2027-06-10",
                    end_date="2027-06-12")
    for e, u in ((small, small_u), (big, big_u)):
        host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                           f" {e} AND is_host = 1"))
        put_on_event(e, u, host, [])
    bulk(small, uid_of(small_u), 10)
    bulk(big, uid_of(big_u), 1000)
    # Rows outside the range are not read at all.
    bulk(big, uid_of(big_u), 50, day="2028-01-10")
    for path in ("/schedule/week/2027-06-10", "/schedule/month/2027-06",
                 "/schedule?cal=event&cal=personal"):
        queries(w.owner, f"/events/{small}{path}")
        qs = queries(w.owner, f"/events/{small}{path}")
        qb = queries(w.owner, f"/events/{big}{path}")
        assert qs == qb, path
    j = w.owner.s.get(f"{BASE}/api/v1/events/{big}/schedule/week/2027-06-10"
                      ).json()
    assert len(j["occurrences"]) == 1000
    p = "/calendar/week/2027-06-10"
    queries(small_u, p)
    queries(big_u, p)
    assert queries(small_u, p) == queries(big_u, p)
    p = "/calendar?from=2027-06-01&to=2027-06-30"
    assert queries(small_u, p) == queries(big_u, p)
    j = big_u.s.get(f"{BASE}/api/v1{p}").json()
    assert len(j["occurrences"]) == 1000
