"""One occurrence of a repeating activity (issue 5 item 3, PRODUCT §10,
FEEDS §3.4, §3.6, §8.2): move, rename, cancel, restore and reset a single
date of a series while the others stay as they are; series edits that move
the occurrences drop those changes (and say so); the calendars, exports,
day sheets, the iCal feed and the roll-up XML show each occurrence as it
now is; permissions follow the activity's."""

import csv
import datetime
import io
import os
import re
import subprocess
import tempfile
import uuid
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest
import requests
from dateutil.rrule import rrulestr

from bo import BASE, BASE_NOLIMIT, new_event, new_org, new_user, sql, sql_one
from world import put_on_event, uid_of, vendor_contact, insert_collab
from test_schedule import create, api_get
from test_core import create_token
from test_feeds import subscribe, fetch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
XSD = os.path.join(ROOT, "public", "schemas", "backops-rollup-1.xsd")
NS = "{urn:uuid:5bd03a66-cc7c-4511-b99d-609dfac4f744}"
AMS = ZoneInfo("Europe/Amsterdam")
DAYS = ["2027-03-%02d" % d for d in range(25, 32)]


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="oowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    # The clocks go forward in the night to Sunday 28 March 2027.
    w.event = new_event(w.owner, w.org, name="Occ Fest",
                        start_date="2027-03-25", end_date="2027-03-31",
                        timezone="Europe/Amsterdam")
    w.v1 = insert_collab(w.event, "Stage Co")
    w.v2 = insert_collab(w.event, "Food Co")
    w.vendor = new_user(tag="ovendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="ovendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                         f" {w.event} AND is_host = 1"))
    w.viewer = new_user(tag="oviewer")
    pool = int(sql_one(f"SELECT pool_id FROM events WHERE id = {w.event}"))
    put_on_event(w.event, w.viewer, w.host, [("event", 0, "schedule", 1)],
                 pool)
    w.owner.get(f"/events/{w.event}/schedule")
    return w


def series(w, b=None, ev=None, **fields):
    data = dict(name="Briefing " + uuid.uuid4().hex[:6],
                start_date="2027-03-25", start_time="09:00",
                end_date="2027-03-25", end_time="09:30", repeat="daily",
                until="2027-03-31")
    data.update(fields)
    return data["name"], create(b or w.owner, ev or w.event, **data)


def occ_path(w, aid, date, ev=None):
    return f"/events/{ev or w.event}/activities/{aid}/occurrences/{date}"


def post(b, path, expect=303, **data):
    if not getattr(b, "primed", False):
        b.get("/account")   # the signed-in session's CSRF token
        b.primed = True
    r = b.post(path, data)
    assert r.status_code == expect, re.sub(r"(?s)<head>.*?</header>", "",
                                           r.text)[:3000]
    return r


def listing(w, aid, b=None, frm="2027-03-20", to="2027-04-05"):
    """The occurrences of activity aid on the event's list in the range."""
    j = api_get(b or w.owner, f"/events/{w.event}/schedule?from={frm}"
                f"&to={to}").json()
    return [o for o in j["occurrences"] if o["activity_id"] == aid]


def by_date(items):
    return {o["occurrence_date"]: o for o in items}


def exc_count(aid):
    return int(sql_one(f"SELECT COUNT(*) FROM activity_exceptions WHERE"
                       f" activity_id = {aid}"))


def version_of(w, aid):
    return api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                   ).json()["activity"]["version"]


def test_move_one_occurrence_only_that_day_changes(w):
    name, aid = series(w)
    before = api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                     ).json()["activity"]["version"]
    r = post(w.owner, occ_path(w, aid, "2027-03-26"), start_date="2027-03-26",
             start_time="14:00", end_date="2027-03-26", end_time="15:00",
             version=str(before))
    assert r.headers["Location"] == \
        f"/events/{w.event}/activities/{aid}?date=2027-03-26"
    got = by_date(listing(w, aid))
    assert sorted(got) == DAYS
    moved = got["2027-03-26"]
    assert moved["start"] == "2027-03-26T13:00:00Z"
    assert moved["duration_minutes"] == 60
    assert moved["moved"] and moved["changed"] and not moved["cancelled"]
    assert moved["url"] == \
        f"/events/{w.event}/activities/{aid}?date=2027-03-26"
    for d, o in got.items():
        if d == "2027-03-26":
            continue
        assert o["start_local"] == d + "T09:00:00", o
        assert o["duration_minutes"] == 30 and not o["moved"]
        assert not o["changed"]
    # The series' version moved with the write.
    assert version_of(w, aid) == before + 1
    # Day and week views.
    day = api_get(w.owner, f"/events/{w.event}/schedule/day/2027-03-26"
                  ).json()
    mine = [o for o in day["occurrences"] if o["activity_id"] == aid]
    assert [o["start_hm"] for o in mine] == ["14:00"]
    page = w.owner.get(f"/events/{w.event}/schedule/day/2027-03-26").text
    assert f'href="/events/{w.event}/activities/{aid}?date=2027-03-26"' \
        in page
    week = api_get(w.owner, f"/events/{w.event}/schedule/week/2027-03-26"
                   ).json()
    blocks = {d["date"]: [b["start_hm"] for b in d["blocks"]
                          if b["activity_id"] == aid]
              for d in week["week_days"]}
    assert blocks["2027-03-26"] == ["14:00"]
    assert blocks["2027-03-25"] == ["09:00"]
    assert blocks["2027-03-28"] == ["09:00"]
    # Another day: the occurrence of the 27th moves to the 29th.
    post(w.owner, occ_path(w, aid, "2027-03-27"), start_date="2027-03-29",
         start_time="16:00", end_date="2027-03-29", end_time="17:00")
    d27 = api_get(w.owner, f"/events/{w.event}/schedule/day/2027-03-27"
                  ).json()["occurrences"]
    assert not [o for o in d27 if o["activity_id"] == aid]
    d29 = api_get(w.owner, f"/events/{w.event}/schedule/day/2027-03-29"
                  ).json()["occurrences"]
    d29 = [(o["start_hm"], o["occurrence_date"]) for o in d29
           if o["activity_id"] == aid]
    assert d29 == [("09:00", "2027-03-29"), ("16:00", "2027-03-27")]
    # A range holding only the new day still finds it.
    only = listing(w, aid, frm="2027-03-29", to="2027-03-29")
    assert sorted(o["occurrence_date"] for o in only) == [
        "2027-03-27", "2027-03-29"]
    assert sql_one(f"SELECT action FROM audit_log WHERE target_type ="
                   f" 'activity' AND target_id = {aid} ORDER BY id DESC"
                   f" LIMIT 1") == "activity.occurrence_updated"


def test_cancel_restore_and_reset(w):
    name, aid = series(w)
    post(w.owner, occ_path(w, aid, "2027-03-30") + "/cancel")
    got = by_date(listing(w, aid))
    assert got["2027-03-30"]["cancelled"]
    assert [d for d, o in got.items() if o["cancelled"]] == ["2027-03-30"]
    page = w.owner.get(f"/events/{w.event}/schedule/day/2027-03-30").text
    assert f"<s>{name}</s>" in page
    page = w.owner.get(f"/events/{w.event}/schedule/day/2027-03-29").text
    assert f"<s>{name}</s>" not in page and name in page
    # Cancelled again: nothing to write.
    r = requests.post(BASE + "/api/v1" + occ_path(w, aid, "2027-03-30") +
                      "/cancel", json={},
                      headers={"Authorization": "Bearer " +
                               create_token(w.owner, "read-write")})
    assert r.status_code == 200 and r.json()["changed"] is False
    post(w.owner, occ_path(w, aid, "2027-03-30") + "/cancel", restore="1")
    assert not any(o["cancelled"] for o in listing(w, aid))
    assert exc_count(aid) == 0   # back to the series: no exception left
    actions = [r[0] for r in sql(
        f"SELECT action FROM audit_log WHERE target_type = 'activity' AND"
        f" target_id = {aid} ORDER BY id")]
    assert actions[-2:] == ["activity.occurrence_cancelled",
                            "activity.occurrence_restored"]
    # Reset drops a move and a rename at once.
    post(w.owner, occ_path(w, aid, "2027-03-31"), start_date="2027-03-31",
         start_time="11:00", end_date="2027-03-31", end_time="11:30",
         name="Late briefing")
    assert by_date(listing(w, aid))["2027-03-31"]["name"] == "Late briefing"
    post(w.owner, occ_path(w, aid, "2027-03-31") + "/reset")
    o = by_date(listing(w, aid))["2027-03-31"]
    assert o["name"] == name and o["start_local"] == "2027-03-31T09:00:00"
    assert exc_count(aid) == 0
    # Resetting what is not changed writes nothing.
    post(w.owner, occ_path(w, aid, "2027-03-31") + "/reset")


def test_name_and_location_override_one_occurrence(w):
    name, aid = series(w, location="Tent 1")
    post(w.owner, occ_path(w, aid, "2027-03-28"), name="Special briefing",
         location="Tent 4")
    got = by_date(listing(w, aid))
    assert got["2027-03-28"]["name"] == "Special briefing"
    assert got["2027-03-28"]["location"] == "Tent 4"
    assert not got["2027-03-28"]["moved"]
    assert got["2027-03-28"]["start_local"] == "2027-03-28T09:00:00"
    assert {o["name"] for d, o in got.items() if d != "2027-03-28"} == {name}
    assert {o["location"] for d, o in got.items() if d != "2027-03-28"} == \
        {"Tent 1"}
    # The occurrence page shows it, with the form for the owner.
    page = w.owner.get(occ_path(w, aid, "2027-03-28")).text
    assert "Special briefing" in page and 'value="Tent 4"' in page
    assert 'name="start_time"' in page and 'value="09:00"' in page
    # The series' name changes; the override stays on its date.
    post(w.owner, f"/events/{w.event}/activities/{aid}", name=name + " v2",
         start_date="2027-03-25", start_time="09:00", end_date="2027-03-25",
         end_time="09:30", repeat="daily", until="2027-03-31",
         location="Tent 1")
    got = {o["occurrence_date"]: o for o in
           listing(w, aid)}
    assert got["2027-03-28"]["name"] == "Special briefing"
    assert got["2027-03-27"]["name"] == name + " v2"
    assert exc_count(aid) == 1
    # The series' own name again: no override left.
    post(w.owner, occ_path(w, aid, "2027-03-28"), name=name + " v2",
         location="Tent 1")
    assert exc_count(aid) == 0


def test_series_rule_or_start_change_drops_exceptions(w):
    name, aid = series(w)
    post(w.owner, occ_path(w, aid, "2027-03-26"), start_date="2027-03-26",
         start_time="12:00", end_date="2027-03-26", end_time="12:30")
    post(w.owner, occ_path(w, aid, "2027-03-27") + "/cancel")
    assert exc_count(aid) == 2
    # The edit form warns before the rule changes.
    page = w.owner.get(f"/events/{w.event}/activities/{aid}").text
    assert "2 single occurrence(s) of this series are changed" in page
    assert "drops those single-occurrence changes" in page
    # Longer, same start: kept.
    post(w.owner, f"/events/{w.event}/activities/{aid}", name=name,
         start_date="2027-03-25", start_time="09:00", end_date="2027-03-25",
         end_time="09:45", repeat="daily", until="2027-03-31")
    assert exc_count(aid) == 2
    got = by_date(listing(w, aid))
    assert got["2027-03-25"]["duration_minutes"] == 45
    assert got["2027-03-26"]["duration_minutes"] == 30  # its own times
    # A new start time: dropped, and said.
    r = post(w.owner, f"/events/{w.event}/activities/{aid}", name=name,
             start_date="2027-03-25", start_time="10:00",
             end_date="2027-03-25", end_time="10:45", repeat="daily",
             until="2027-03-31")
    assert exc_count(aid) == 0
    page = w.owner.get(r.headers["Location"]).text
    assert "2 changed or cancelled occurrences no longer matched the series"\
        in page
    got = by_date(listing(w, aid))
    assert all(o["start_local"].endswith("T10:00:00") and not o["changed"]
               and not o["cancelled"] for o in got.values())
    ch = sql_one(f"SELECT changes FROM audit_log WHERE target_type ="
                 f" 'activity' AND target_id = {aid} AND action ="
                 f" 'activity.updated' ORDER BY id DESC LIMIT 1")
    assert '"occurrence_changes_dropped": 2' in ch or \
        '"occurrence_changes_dropped":2' in ch
    # A new until (the rule) drops them too, through the JSON twin.
    post(w.owner, occ_path(w, aid, "2027-03-26") + "/cancel")
    tok = create_token(w.owner, "read-write")
    r = requests.post(BASE + f"/api/v1/events/{w.event}/activities/{aid}",
                      json={"name": name, "start_date": "2027-03-25",
                            "start_time": "10:00", "end_date": "2027-03-25",
                            "end_time": "10:45", "repeat": "daily",
                            "until": "2027-03-30"},
                      headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 200, r.text
    assert r.json()["occurrence_changes_dropped"] == 1
    assert exc_count(aid) == 0


def test_dates_that_are_not_occurrences(w):
    name, aid = series(w)
    for date in ("2027-04-05", "2027-03-24", "2027-02-30", "tomorrow"):
        r = w.owner.s.get(BASE + occ_path(w, aid, date))
        assert r.status_code == 404, date
        assert "date" in r.text
        post(w.owner, occ_path(w, aid, date) + "/cancel", expect=404)
    _, weekly = series(w, repeat="weekly", weekdays="mon", until="2027-04-30",
                       start_date="2027-03-29", end_date="2027-03-29")
    post(w.owner, occ_path(w, weekly, "2027-03-30") + "/cancel", expect=404)
    post(w.owner, occ_path(w, weekly, "2027-04-05") + "/cancel")
    single = create(w.owner, w.event, start_date="2027-03-26",
                    end_date="2027-03-26")
    post(w.owner, occ_path(w, single, "2027-03-26") + "/cancel", expect=404)
    post(w.owner, occ_path(w, 999999999, "2027-03-26") + "/cancel",
         expect=404)
    # Nothing to change: 422 naming a field.
    r = post(w.owner, occ_path(w, aid, "2027-03-26"), expect=422)
    assert 'id="start_date-error"' in r.text
    # Malformed times and an end before the start.
    r = post(w.owner, occ_path(w, aid, "2027-03-26"), expect=422,
             start_time="25:99")
    assert 'id="start_time-error"' in r.text
    r = post(w.owner, occ_path(w, aid, "2027-03-26"), expect=422,
             start_time="10:00", end_time="09:00")
    assert 'id="end_time-error"' in r.text
    r = post(w.owner, occ_path(w, aid, "2027-03-26"), expect=422,
             start_date="2028-06-01", end_date="2028-06-01")
    assert 'id="start_date-error"' in r.text
    assert exc_count(aid) == 0


def test_all_day_occurrence_cannot_move(w):
    name, aid = series(w, all_day="1", start_time="", end_time="")
    r = post(w.owner, occ_path(w, aid, "2027-03-27"), expect=422,
             start_date="2027-03-28", end_date="2027-03-28")
    assert "cannot be moved" in r.text
    post(w.owner, occ_path(w, aid, "2027-03-27"), name="Day off")
    post(w.owner, occ_path(w, aid, "2027-03-28") + "/cancel")
    got = by_date(listing(w, aid))
    assert got["2027-03-27"]["name"] == "Day off"
    assert got["2027-03-28"]["cancelled"]
    page = w.owner.get(occ_path(w, aid, "2027-03-27")).text
    assert 'name="start_time"' not in page


def test_stale_series_version(w):
    name, aid = series(w)
    v = version_of(w, aid)
    post(w.owner, occ_path(w, aid, "2027-03-26"), expect=409,
         name="Stale", version=str(v - 1))
    post(w.owner, occ_path(w, aid, "2027-03-26") + "/cancel", expect=409,
         version=str(v + 5))
    post(w.owner, occ_path(w, aid, "2027-03-26") + "/reset", expect=409,
         version=str(v - 1))
    assert exc_count(aid) == 0
    post(w.owner, occ_path(w, aid, "2027-03-26"), name="Fresh",
         version=str(v))
    # The series moved on: the old version is stale for the series form
    # and for another occurrence alike.
    post(w.owner, occ_path(w, aid, "2027-03-27"), expect=409, name="Late",
         version=str(v))
    r = post(w.owner, f"/events/{w.event}/activities/{aid}", expect=409,
             name=name, start_date="2027-03-25", start_time="09:00",
             end_date="2027-03-25", end_time="09:30", repeat="daily",
             until="2027-03-31", version=str(v))
    assert "version" in r.text


def test_permissions(w):
    # V1's activity: its vendor sees and edits it; V2's vendor does not
    # even see it; a schedule viewer sees it and may not change it.
    name, aid = series(w, participants=f"collaborator:{w.v1}:organizer")
    path = occ_path(w, aid, "2027-03-26")
    assert w.vendor2.s.get(BASE + path).status_code == 404
    post(w.vendor2, path, expect=404, name="Mine now")
    post(w.vendor2, path + "/cancel", expect=404)
    post(w.vendor2, path + "/reset", expect=404)
    r = w.viewer.get(path)
    assert r.status_code == 200 and 'name="start_time"' not in r.text
    post(w.viewer, path, expect=403, name="Viewer")
    post(w.viewer, path + "/cancel", expect=403)
    post(w.viewer, path + "/reset", expect=403)
    page = w.viewer.get(f"/events/{w.event}/activities/{aid}").text
    assert "Cancel this occurrence" not in page
    post(w.vendor, path, name="Vendor briefing")
    assert by_date(listing(w, aid))["2027-03-26"]["name"] == \
        "Vendor briefing"
    assert exc_count(aid) == 1


def test_archived_event_refuses(w):
    ev = new_event(w.owner, w.org, start_date="2027-03-25",
                   end_date="2027-03-31")
    w.owner.get(f"/events/{ev}/schedule")
    _, aid = series(w, ev=ev)
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")
    path = occ_path(w, aid, "2027-03-26", ev=ev)
    assert w.owner.s.get(BASE + path).status_code == 200
    r = post(w.owner, path, expect=409, name="Late")
    assert "archived" in r.text
    post(w.owner, path + "/cancel", expect=409)
    post(w.owner, path + "/reset", expect=409)
    assert exc_count(aid) == 0


def test_dst_move_onto_spring_forward_night(w):
    name, aid = series(w, start_time="20:00", end_time="21:00")
    # 01:30–03:30 on 28 March lasts one hour: 02:00–03:00 does not exist.
    post(w.owner, occ_path(w, aid, "2027-03-27"), start_date="2027-03-28",
         start_time="01:30", end_date="2027-03-28", end_time="03:30")
    o = by_date(listing(w, aid))["2027-03-27"]
    assert o["start"] == "2027-03-28T00:30:00Z"
    assert o["end"] == "2027-03-28T01:30:00Z"
    assert o["duration_minutes"] == 60
    assert "CET" in o["time_text"] and "CEST" in o["time_text"]
    # A time in the gap is refused like on the series form.
    r = post(w.owner, occ_path(w, aid, "2027-03-29"), expect=422,
             start_date="2027-03-28", start_time="02:30",
             end_date="2027-03-28", end_time="04:00")
    assert 'id="start_time-error"' in r.text and "daylight" in r.text
    assert exc_count(aid) == 1
    # The series' own occurrences keep 20:00 local across the change.
    got = by_date(listing(w, aid))
    assert got["2027-03-26"]["start"] == "2027-03-26T19:00:00Z"
    assert got["2027-03-29"]["start"] == "2027-03-29T18:00:00Z"


def test_json_twin_partial_edit(w):
    name, aid = series(w)
    tok = create_token(w.owner, "read-write")
    h = {"Authorization": "Bearer " + tok}
    r = requests.post(BASE + "/api/v1" + occ_path(w, aid, "2027-03-29"),
                      json={"start_time": "10:00", "end_time": "11:00"},
                      headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["changed"] is True
    assert j["occurrence"]["start"] == "2027-03-29T08:00:00Z"
    assert j["occurrence"]["original_start"] == "2027-03-29T07:00:00Z"
    assert j["occurrence"]["moved"] is True
    # Only the location: the move stays.
    r = requests.post(BASE + "/api/v1" + occ_path(w, aid, "2027-03-29"),
                      json={"location": "Gate C"}, headers=h)
    assert r.status_code == 200, r.text
    o = r.json()["occurrence"]
    assert o["location"] == "Gate C" and o["start"] == "2027-03-29T08:00:00Z"
    r = requests.get(BASE + "/api/v1" + occ_path(w, aid, "2027-03-29"),
                     headers=h)
    assert r.status_code == 200 and r.json()["occurrence"]["location"] == \
        "Gate C"
    r = requests.post(BASE + "/api/v1" + occ_path(w, aid, "2027-03-29"),
                      json={}, headers=h)
    assert r.status_code == 422


def test_activity_page_lists_occurrences(w):
    name, aid = series(w)
    post(w.owner, occ_path(w, aid, "2027-03-27") + "/cancel")
    page = w.owner.get(f"/events/{w.event}/activities/{aid}").text
    assert page.count("Cancel this occurrence") == 6
    assert page.count(">Restore</button>") == 1
    assert page.count("Edit this occurrence") == 7
    assert occ_path(w, aid, "2027-03-31") in page
    page = w.owner.get(f"/events/{w.event}/activities/{aid}"
                       f"?date=2027-03-27").text
    assert "This occurrence: Sat 27 Mar 2027" in page
    assert "occ-selected" in page
    page = w.owner.get(f"/events/{w.event}/activities/{aid}"
                       f"?date=2027-05-01").text
    assert "no occurrence on 2027-05-01" in page
    j = api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                f"?date=2027-03-27").json()
    assert j["occurrence"]["occurrence_cancelled"] is True
    assert len(j["occurrences"]) == 7


def test_run_of_show_times_the_moved_occurrence(w):
    name, aid = series(w)
    post(w.owner, occ_path(w, aid, "2027-03-26"), start_date="2027-03-26",
         start_time="15:00", end_date="2027-03-26", end_time="16:00")
    j = api_get(w.owner, f"/events/{w.event}/activities/{aid}/run-of-show"
                f"?date=2027-03-26").json()
    assert j["activity"]["start"] == "2027-03-26T14:00:00Z"
    assert j["activity"]["duration_minutes"] == 60
    j = api_get(w.owner, f"/events/{w.event}/activities/{aid}/run-of-show"
                f"?date=2027-03-25").json()
    assert j["activity"]["start"] == "2027-03-25T08:00:00Z"


def vevents(body, uid):
    cal = icalendar.Calendar.from_ical(body)
    return [c for c in cal.walk("VEVENT") if str(c["UID"]) == uid]


def test_feed_has_the_exception_components(w):
    name, aid = series(w, location="Hall")
    uid = sql_one(f"SELECT uuid FROM activities WHERE id = {aid}")
    tok = subscribe(w.owner, "event", w.event)
    seq0 = int(sql_one(f"SELECT sequence FROM activities WHERE id = {aid}"))
    post(w.owner, occ_path(w, aid, "2027-03-26"), start_date="2027-03-26",
         start_time="14:00", end_date="2027-03-26", end_time="14:45",
         location="Tent 2")
    post(w.owner, occ_path(w, aid, "2027-03-30") + "/cancel")
    r = fetch(tok)
    assert r.status_code == 200
    body = r.content
    text = body.decode()
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20270326T090000\r\n" in text
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20270330T090000\r\n" in text
    comps = vevents(body, uid)
    assert len(comps) == 3
    master = [c for c in comps if "RECURRENCE-ID" not in c][0]
    moved = [c for c in comps if "RECURRENCE-ID" in c and
             c["RECURRENCE-ID"].dt.day == 26][0]
    gone = [c for c in comps if "RECURRENCE-ID" in c and
            c["RECURRENCE-ID"].dt.day == 30][0]
    # Python's view: each RECURRENCE-ID is an occurrence of the master's
    # rule, and the exception carries the occurrence as the app shows it.
    rule = rrulestr(master["RRULE"].to_ical().decode(),
                    dtstart=master["DTSTART"].dt)
    # (dateutil repeats the local wall time: compare wall times.)
    occs = [o.replace(tzinfo=None) for o in rule]
    assert len(occs) == 7
    assert moved["RECURRENCE-ID"].dt.replace(tzinfo=None) in occs
    assert gone["RECURRENCE-ID"].dt.replace(tzinfo=None) in occs
    assert moved["RECURRENCE-ID"].dt == datetime.datetime(
        2027, 3, 26, 9, 0, tzinfo=AMS)
    app = by_date(listing(w, aid))["2027-03-26"]
    assert moved["DTSTART"].dt.astimezone(datetime.timezone.utc) == \
        datetime.datetime.fromisoformat(app["start"].replace("Z", "+00:00"))
    assert moved["DTEND"].dt.astimezone(datetime.timezone.utc) == \
        datetime.datetime.fromisoformat(app["end"].replace("Z", "+00:00"))
    assert str(moved["LOCATION"]) == "Tent 2"
    assert str(moved["SUMMARY"]) == name
    assert str(moved["STATUS"]) == "CONFIRMED"
    assert int(moved["SEQUENCE"]) == seq0 + 1
    assert "RRULE" not in moved
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["SUMMARY"]) == "[Cancelled] " + name
    assert str(gone["LOCATION"]) == "Hall"
    assert gone["DTSTART"].dt == datetime.datetime(2027, 3, 30, 9, 0,
                                                  tzinfo=AMS)
    assert "EXDATE" not in master
    # Past the retention, the skipped occurrence is an EXDATE of the
    # series (FEEDS §3.6) and its component leaves the feed.
    sql(f"UPDATE activity_exceptions SET updated_at = UTC_TIMESTAMP(3) -"
        f" INTERVAL 40 DAY WHERE activity_id = {aid} AND cancelled = 1")
    text = fetch(tok).content.decode()
    assert "EXDATE;TZID=Europe/Amsterdam:20270330T090000\r\n" in text
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20270330T090000" not in text
    comps = vevents(text.encode(), uid)
    assert len(comps) == 2
    master = [c for c in comps if "RECURRENCE-ID" not in c][0]
    assert master["EXDATE"].dts[0].dt == datetime.datetime(
        2027, 3, 30, 9, 0, tzinfo=AMS)


def test_exports_and_day_sheet_leave_cancelled_out(w):
    name, aid = series(w)
    xml = w.owner.s.get(BASE + f"/events/{w.event}/schedule.xml").content
    root = ET.fromstring(xml)

    def mine(root):
        return {e.findtext("date"): e.get("guid") for e in root.iter("event")
                if e.findtext("title") in (name, "Moved briefing")}
    first = mine(root)
    assert len(first) == 7
    guid26 = first["2027-03-26T09:00:00+01:00"]
    post(w.owner, occ_path(w, aid, "2027-03-26"), start_date="2027-03-26",
         start_time="13:00", end_date="2027-03-26", end_time="13:30",
         name="Moved briefing")
    post(w.owner, occ_path(w, aid, "2027-03-30") + "/cancel")
    root = ET.fromstring(w.owner.s.get(
        BASE + f"/events/{w.event}/schedule.xml").content)
    after = mine(root)
    assert len(after) == 6
    assert "2027-03-30T09:00:00+02:00" not in after
    # Moved: new time and title, same guid (named by the original start).
    assert after["2027-03-26T13:00:00+01:00"] == guid26
    titles = {e.findtext("date"): e.findtext("title")
              for e in root.iter("event")}
    assert titles["2027-03-26T13:00:00+01:00"] == "Moved briefing"
    j = w.owner.s.get(BASE + f"/events/{w.event}/schedule.json").json()
    js = [e for d in j["schedule"]["conference"]["days"]
          for room in d["rooms"].values() for e in room
          if e["title"] in (name, "Moved briefing")]
    assert len(js) == 6
    # Day sheets: the cancelled date has nothing, the moved one its time.
    ds = api_get(w.owner, f"/events/{w.event}/daysheets/activity/{aid}/"
                 f"2027-03-30").json()
    assert ds["schedule"] == []
    ds = api_get(w.owner, f"/events/{w.event}/daysheets/activity/{aid}/"
                 f"2027-03-26").json()
    assert [(s["name"], s["time_text"]) for s in ds["schedule"]] == [
        ("Moved briefing", "13:00–13:30")]
    # The CSV keeps every occurrence and marks the cancelled one.
    text = w.owner.s.get(BASE + f"/events/{w.event}/schedule.csv"
                         ).content.decode("utf-8-sig")
    rows = {r["date"]: r for r in csv.DictReader(io.StringIO(text))
            if r["activity_id"] == str(aid)}
    assert sorted(rows) == DAYS
    assert [d for d, r in rows.items() if r["cancelled"] == "yes"] == [
        "2027-03-30"]
    assert rows["2027-03-30"]["url"].endswith(
        f"/events/{w.event}/activities/{aid}?date=2027-03-30")
    assert rows["2027-03-26"]["name"] == "Moved briefing"
    assert rows["2027-03-26"]["start"] == "2027-03-26 13:00"


def xmllint(data):
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(data)
        name = f.name
    try:
        p = subprocess.run(["xmllint", "--noout", "--schema", XSD, name],
                           capture_output=True, text=True)
    finally:
        os.unlink(name)
    return p.returncode, p.stderr


def test_rollup_xml_exceptions(w):
    name, aid = series(w)
    post(w.owner, occ_path(w, aid, "2027-03-26"), start_date="2027-03-26",
         start_time="14:00", end_date="2027-03-26", end_time="15:00")
    post(w.owner, occ_path(w, aid, "2027-03-29") + "/cancel")
    post(w.owner, occ_path(w, aid, "2027-03-30"), name="Renamed")
    data = w.owner.s.get(BASE + f"/orgs/{w.org}/schedule.xml?past_days=366"
                         ).content
    rc, err = xmllint(data)
    assert rc == 0, err + data.decode()[:3000]
    root = ET.fromstring(data)
    act = [a for a in root.iter(NS + "activity")
           if a.find(NS + "title").text == name][0]
    children = [c.tag.replace(NS, "") for c in act]
    assert children[:5] == ["title", "recurrence", "exception", "exception",
                            "exception"]
    ex = {e.get("recurrence_id"): e for e in act.iter(NS + "exception")}
    moved = ex["2027-03-26T09:00:00+01:00"]
    assert moved.get("status") == "confirmed"
    assert moved.get("start") == "2027-03-26T14:00:00+01:00"
    assert moved.get("end") == "2027-03-26T15:00:00+01:00"
    assert moved.get("updated").endswith("Z")
    gone = ex["2027-03-29T09:00:00+02:00"]
    assert gone.get("status") == "cancelled" and gone.get("start") is None
    renamed = ex["2027-03-30T09:00:00+02:00"]
    assert renamed.get("status") == "confirmed"
    # SEQUENCE as in the feed: the series' own (occurrence writes leave
    # it alone), each exception from the series' + 1.
    seq = int(sql_one(f"SELECT sequence FROM activities WHERE id = {aid}"))
    assert int(act.get("sequence")) == seq
    assert all(int(e.get("sequence")) >= seq + 1 for e in ex.values())


def queries(b, path):
    r = b.s.get(BASE_NOLIMIT + path)
    assert r.status_code == 200, r.text[:500]
    return int(r.headers["X-Debug-Queries"])


def test_query_counts_do_not_grow_with_exceptions(w):
    def fresh():
        ev = new_event(w.owner, w.org, start_date="2027-03-25",
                       end_date="2027-03-31")
        w.owner.get(f"/events/{ev}/schedule")
        return ev
    small, big = fresh(), fresh()
    _, a1 = series(w, ev=small)
    _, a2 = series(w, ev=big)
    for ev, aid in ((big, a2),):
        for d in DAYS:
            post(w.owner, occ_path(w, aid, d, ev=ev), name="X " + d)
        post(w.owner, occ_path(w, aid, DAYS[0], ev=ev) + "/cancel")
    for path in ("/schedule", "/schedule/week/2027-03-26",
                 "/schedule/day/2027-03-26", "/schedule.xml",
                 "/schedule.csv"):
        # (A first fetch of schedule.xml assigns export ids.)
        queries(w.owner, f"/events/{small}{path}")
        queries(w.owner, f"/events/{big}{path}")
        assert queries(w.owner, f"/events/{small}{path}") == \
            queries(w.owner, f"/events/{big}{path}"), path
    ts = subscribe(w.owner, "event", small)
    tb = subscribe(w.owner, "event", big)
    fetch(ts), fetch(tb)
    rs, rb = fetch(ts), fetch(tb)
    assert rs.headers["X-Debug-Queries"] == rb.headers["X-Debug-Queries"]
    assert int(rb.headers["X-Debug-Queries"]) <= 12
