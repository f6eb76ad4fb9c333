"""Run of show (issue 5 item 5; PRODUCT §10): ordered segments whose
start times are computed from the activity's start and the durations
before them, custom columns with a value per segment, overruns, version
conflicts, refused input, who may see and change it, the printable event
page with a fixed query count, audit entries and the JSON twins."""

import re
import uuid

import pytest
import requests

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from world import (VIEWER, add_member, insert_collab, put_on_event, uid_of,
                   vendor_contact)


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="rowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Show Fest",
                        start_date="2027-07-01", end_date="2027-07-03",
                        timezone="Europe/Amsterdam")
    w.pool = int(sql_one(f"SELECT pool_id FROM events WHERE id = {w.event}"))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                         f" {w.event} AND is_host = 1"))
    w.v1 = insert_collab(w.event, "Light Co")
    w.v2 = insert_collab(w.event, "Bar Co")
    w.vendor = new_user(tag="rvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="rvendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.viewer = new_user(tag="rviewer")
    add_member(w.org, w.viewer, "member", "org_standard")
    put_on_event(w.event, w.viewer, w.host, VIEWER, w.pool)
    w.owner.get(f"/events/{w.event}/schedule")
    return w


def create_activity(b, ev, **fields):
    data = {"name": "Show " + uuid.uuid4().hex[:6],
            "start_date": "2027-07-02", "start_time": "10:00",
            "end_date": "2027-07-02", "end_time": "11:00"}
    data.update(fields)
    b.get(f"/events/{ev}/schedule")
    r = b.post(f"/events/{ev}/activities", data)
    assert r.status_code == 303, r.text[:2000]
    return int(re.match(rf"^/events/{ev}/activities/(\d+)$",
                        r.headers["Location"]).group(1))


def ros(ev, aid):
    return f"/events/{ev}/activities/{aid}/run-of-show"


def view(b, ev, aid, query=""):
    r = b.s.get(BASE + "/api/v1" + ros(ev, aid) + query)
    assert r.status_code == 200, r.text
    return r.json()


def add(b, ev, aid, name, minutes, expect=303, **fields):
    b.get(ros(ev, aid))
    data = {"name": name, "duration": str(minutes)}
    data.update(fields)
    r = b.post(ros(ev, aid) + "/segments", data)
    assert r.status_code == expect, r.text[:2000]
    return r


def seg_id(ev, aid, name):
    return int(sql_one(f"SELECT id FROM ros_segments WHERE event_id = {ev}"
                       f" AND activity_id = {aid} AND name = '{name}'"))


def starts(j):
    return [(s["name"], s["start_text"]) for s in j["segments"]]


def positions(ev, aid):
    return [int(r[0]) for r in sql(
        f"SELECT position FROM ros_segments WHERE event_id = {ev} AND"
        f" activity_id = {aid} ORDER BY position")]


def test_insert_and_move_recompute_every_start(w):
    aid = create_activity(w.owner, w.event)
    add(w.owner, w.event, aid, "Doors", 10)
    add(w.owner, w.event, aid, "Opening", 20, colour="blue")
    add(w.owner, w.event, aid, "Speech", 15)
    j = view(w.owner, w.event, aid)
    assert starts(j) == [("Doors", "10:00"), ("Opening", "10:10"),
                         ("Speech", "10:30")]
    # Stored in UTC, shown in the event's zone (CEST in July).
    assert j["segments"][1]["start"] == "2027-07-02T08:10:00Z"
    assert j["segments"][1]["start_local"] == "2027-07-02T10:10:00"
    assert j["timezone"] == "Europe/Amsterdam"
    # Inserting before the second shifts every later start.
    add(w.owner, w.event, aid, "Welcome", 5, position="1")
    j = view(w.owner, w.event, aid)
    assert starts(j) == [("Doors", "10:00"), ("Welcome", "10:10"),
                         ("Opening", "10:15"), ("Speech", "10:35")]
    assert positions(w.event, aid) == [0, 1, 2, 3]
    # Move the last to the top, then the (new) first to past the end.
    sp = seg_id(w.event, aid, "Speech")
    r = w.owner.post(ros(w.event, aid) + f"/segments/{sp}/move",
                     {"position": "0"})
    assert r.status_code == 303
    j = view(w.owner, w.event, aid)
    assert starts(j) == [("Speech", "10:00"), ("Doors", "10:15"),
                         ("Welcome", "10:25"), ("Opening", "10:30")]
    r = w.owner.post(ros(w.event, aid) + f"/segments/{sp}/move",
                     {"position": "99"})
    assert r.status_code == 303
    j = view(w.owner, w.event, aid)
    assert starts(j) == [("Doors", "10:00"), ("Welcome", "10:10"),
                         ("Opening", "10:15"), ("Speech", "10:35")]
    assert positions(w.event, aid) == [0, 1, 2, 3]
    page = w.owner.get(ros(w.event, aid)).text
    assert "Europe/Amsterdam" in page and "10:35" in page
    assert "ros-c-blue" in page


def test_delete_keeps_positions_dense(w):
    aid = create_activity(w.owner, w.event)
    for i, m in enumerate((5, 10, 15, 20)):
        add(w.owner, w.event, aid, f"S{i}", m)
    sid = seg_id(w.event, aid, "S1")
    # A removal needs the version the remover saw.
    r = w.owner.post(ros(w.event, aid) + f"/segments/{sid}/delete", {})
    assert r.status_code == 422
    r = w.owner.post(ros(w.event, aid) + f"/segments/{sid}/delete",
                     {"version": "1"})
    assert r.status_code == 303
    assert positions(w.event, aid) == [0, 1, 2]
    assert starts(view(w.owner, w.event, aid)) == [
        ("S0", "10:00"), ("S2", "10:05"), ("S3", "10:20")]


def test_overrun_flagged(w):
    aid = create_activity(w.owner, w.event)
    add(w.owner, w.event, aid, "Long talk", 50)
    j = view(w.owner, w.event, aid)
    assert not j["overrun"] and j["remaining_minutes"] == 10
    add(w.owner, w.event, aid, "Q and A", 20)
    j = view(w.owner, w.event, aid)
    assert [s["overrun"] for s in j["segments"]] == [False, True]
    assert j["overrun"] and j["overrun_minutes"] == 10
    assert j["segments"][1]["end_text"] == "11:10"
    assert "Overrun" in w.owner.get(ros(w.event, aid)).text


def test_stale_version_conflicts(w):
    aid = create_activity(w.owner, w.event)
    add(w.owner, w.event, aid, "Intro", 10)
    sid = seg_id(w.event, aid, "Intro")
    p = ros(w.event, aid) + f"/segments/{sid}"
    r = w.owner.post(p, {"name": "Intro 2", "duration": "12",
                         "version": "1"})
    assert r.status_code == 303
    r = w.owner.post(p, {"name": "Intro 3", "duration": "14",
                         "version": "1"})
    assert r.status_code == 409
    assert sql_one(f"SELECT name FROM ros_segments WHERE id = {sid}") == \
        "Intro 2"
    r = w.owner.post(p + "/delete", {"version": "1"})
    assert r.status_code == 409
    assert sql_one(f"SELECT COUNT(*) FROM ros_segments WHERE id = {sid}") \
        == "1"


@pytest.mark.parametrize("fields,field", [
    ({"duration": "1441"}, "duration"),
    ({"duration": "-5"}, "duration"),
    ({"duration": "soon"}, "duration"),
    ({"colour": "mauve"}, "colour"),
    ({"name": ""}, "name"),
])
def test_bad_input_refused(w, fields, field):
    aid = create_activity(w.owner, w.event)
    data = {"name": "Bad", "duration": "10"}
    data.update(fields)
    w.owner.get(ros(w.event, aid))
    r = w.owner.post(ros(w.event, aid) + "/segments", data)
    assert r.status_code == 422
    assert f'id="{field}-error"' in r.text, field
    assert sql_one(f"SELECT COUNT(*) FROM ros_segments WHERE activity_id ="
                   f" {aid}") == "0"
    # The same on an existing segment: nothing changes.
    add(w.owner, w.event, aid, "Good", 10)
    sid = seg_id(w.event, aid, "Good")
    r = w.owner.post(ros(w.event, aid) + f"/segments/{sid}", data)
    assert r.status_code == 422
    assert field in r.text
    assert sql(f"SELECT name, duration_min, colour, version FROM ros_segments"
               f" WHERE id = {sid}") == [["Good", "10", "grey", "1"]]


def test_vendor_sees_only_their_activity(w):
    aid = create_activity(w.owner, w.event,
                          participants=f"collaborator:{w.v1}:attendee")
    add(w.owner, w.event, aid, "Lights up", 5)
    sid = seg_id(w.event, aid, "Lights up")
    assert w.vendor.get(ros(w.event, aid)).status_code == 200
    # The other vendor cannot see it: 404 on the page and every write.
    v2 = w.vendor2
    v2.get(f"/events/{w.event}/schedule")
    assert v2.get(ros(w.event, aid)).status_code == 404
    assert v2.s.get(BASE + "/api/v1" + ros(w.event, aid)).status_code == 404
    base = ros(w.event, aid)
    for path, data in ((base + "/segments", {"name": "x", "duration": "1"}),
                       (base + f"/segments/{sid}", {"name": "x"}),
                       (base + f"/segments/{sid}/move", {"position": "0"}),
                       (base + f"/segments/{sid}/delete", {"version": "1"}),
                       (base + "/columns", {"name": "x"})):
        assert v2.post(path, data).status_code == 404, path
    # V1's contact holds schedule edit on V1, which covers the activity.
    add(w.vendor, w.event, aid, "Blackout", 1)
    names = [s["name"] for s in view(w.vendor, w.event, aid)["segments"]]
    assert names == ["Lights up", "Blackout"]
    # The event page shows V1's contact only what they may see.
    j = w.vendor2.s.get(f"{BASE}/api/v1/events/{w.event}/run-of-show").json()
    assert aid not in [a["id"] for a in j["activities"]]
    j = w.vendor.s.get(f"{BASE}/api/v1/events/{w.event}/run-of-show").json()
    assert aid in [a["id"] for a in j["activities"]]


def test_viewer_reads_but_cannot_write(w):
    aid = create_activity(w.owner, w.event)
    add(w.owner, w.event, aid, "Opening", 10)
    sid = seg_id(w.event, aid, "Opening")
    page = w.viewer.get(ros(w.event, aid))
    assert page.status_code == 200 and "Opening" in page.text
    assert "Add a segment" not in page.text
    assert not view(w.viewer, w.event, aid)["can_edit"]
    base = ros(w.event, aid)
    for path, data in ((base + "/segments", {"name": "x", "duration": "1"}),
                       (base + f"/segments/{sid}", {"name": "x"}),
                       (base + f"/segments/{sid}/move", {"position": "0"}),
                       (base + f"/segments/{sid}/delete", {"version": "1"}),
                       (base + "/columns", {"name": "x"})):
        assert w.viewer.post(path, data).status_code == 403, path
    assert sql_one(f"SELECT COUNT(*) FROM ros_segments WHERE activity_id ="
                   f" {aid}") == "1"


def test_columns_and_values(w):
    aid = create_activity(w.owner, w.event)
    base = ros(w.event, aid)
    w.owner.get(base)
    assert w.owner.post(base + "/columns", {"name": "Camera"}
                        ).status_code == 303
    assert w.owner.post(base + "/columns", {"name": "Cue", "width": "wide"}
                        ).status_code == 303
    r = w.owner.post(base + "/columns", {"name": "Bad", "width": "huge"})
    assert r.status_code == 422 and "width" in r.text
    cam, cue = [int(r[0]) for r in sql(
        f"SELECT id FROM ros_columns WHERE activity_id = {aid}"
        f" ORDER BY position")]
    add(w.owner, w.event, aid, "Song", 4, column_ids=f"{cam},{cue}",
        value_0="Cam 2", value_1="GO 14")
    sid = seg_id(w.event, aid, "Song")
    j = view(w.owner, w.event, aid)
    assert [c["name"] for c in j["columns"]] == ["Camera", "Cue"]
    assert [(v["column"], v["value"]) for v in j["segments"][0]["values"]] \
        == [("Camera", "Cam 2"), ("Cue", "GO 14")]
    # Emptying one value keeps the other.
    r = w.owner.post(base + f"/segments/{sid}",
                     {"column_ids": f"{cam},{cue}", "value_0": "",
                      "value_1": "GO 15"})
    assert r.status_code == 303
    assert sql(f"SELECT column_id, value FROM ros_values WHERE segment_id ="
               f" {sid}") == [[str(cue), "GO 15"]]
    # A column of another activity is refused.
    other = create_activity(w.owner, w.event)
    w.owner.post(ros(w.event, other) + "/columns", {"name": "Foreign"})
    foreign = int(sql_one(f"SELECT id FROM ros_columns WHERE activity_id ="
                          f" {other}"))
    r = w.owner.post(base + f"/segments/{sid}",
                     {"column_ids": str(foreign), "value_0": "x"})
    assert r.status_code == 422 and "column_ids" in r.text
    # Move the second column first; delete it with its values.
    r = w.owner.post(base + f"/columns/{cue}/move", {"position": "0"})
    assert r.status_code == 303
    assert [c["name"] for c in view(w.owner, w.event, aid)["columns"]] == \
        ["Cue", "Camera"]
    r = w.owner.post(base + f"/columns/{cue}/delete", {"version": "1"})
    assert r.status_code == 303
    assert sql_one(f"SELECT COUNT(*) FROM ros_values WHERE segment_id ="
                   f" {sid}") == "0"
    assert [int(r[0]) for r in sql(
        f"SELECT position FROM ros_columns WHERE activity_id = {aid}")] == [0]
    r = w.owner.post(base + f"/columns/{cam}", {"name": "Camera 1",
                                                "version": "1"})
    assert r.status_code == 303
    r = w.owner.post(base + f"/columns/{cam}", {"name": "Camera 2",
                                                "version": "1"})
    assert r.status_code == 409


def test_json_twins(w):
    aid = create_activity(w.owner, w.event)
    w.owner.get("/account/tokens")
    r = w.owner.post("/account/tokens", {"name": "ros", "scope":
                                         "read-write",
                                         "expires_in_days": "30"})
    tok = re.search(r"boapi_[A-Za-z0-9_-]{43}", r.text).group(0)
    h = {"Authorization": "Bearer " + tok}
    api = BASE + "/api/v1" + ros(w.event, aid)
    r = requests.post(api + "/columns", json={"name": "Mic"}, headers=h)
    assert r.status_code == 201, r.text
    col = r.json()["columns"][0]["id"]
    r = requests.post(api + "/segments", json={
        "name": "Band", "duration": 30, "colour": "green",
        "values": {str(col): "Mic 3"}}, headers=h)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/api/v1" + ros(w.event, aid)
    j = r.json()
    seg = j["segments"][0]
    assert seg["name"] == "Band" and seg["colour"] == "green"
    assert seg["values"][0]["value"] == "Mic 3"
    r = requests.post(api + "/segments", json={
        "name": "Encore", "duration": 10, "position": 0}, headers=h)
    assert [s["name"] for s in r.json()["segments"]] == ["Encore", "Band"]
    assert r.json()["segments"][1]["start_text"] == "10:10"
    r = requests.post(api + "/segments", json={"name": "X",
                                               "duration": 2000}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "duration"
    r = requests.post(api + "/segments", json={"name": "X", "duration": 5,
                                               "colour": "plaid"}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "colour"
    r = requests.post(api + f"/segments/{seg['id']}",
                      json={"duration": 45, "version": 1}, headers=h)
    assert r.status_code == 200, r.text
    r = requests.post(api + f"/segments/{seg['id']}",
                      json={"duration": 50, "version": 1}, headers=h)
    assert r.status_code == 409
    r = requests.post(api + f"/segments/{seg['id']}/move",
                      json={"position": 0}, headers=h)
    assert [s["name"] for s in r.json()["segments"]] == ["Band", "Encore"]
    r = requests.post(api + f"/segments/{seg['id']}/delete",
                      json={"version": 2}, headers=h)
    assert r.status_code == 200
    assert [s["name"] for s in r.json()["segments"]] == ["Encore"]
    # Audit entries, written with each change.
    acts = [r[0] for r in sql(
        f"SELECT action FROM audit_log WHERE target_type = 'ros_segment' AND"
        f" target_id = {seg['id']} ORDER BY id")]
    assert acts == ["ros_segment.created", "ros_segment.updated",
                    "ros_segment.moved", "ros_segment.deleted"]
    assert sql_one(f"SELECT action FROM audit_log WHERE target_type ="
                   f" 'ros_column' AND target_id = {col}") == \
        "ros_column.created"


def test_all_day_and_recurring(w):
    aid = create_activity(w.owner, w.event, all_day="1",
                          start_date="2027-07-01", end_date="2027-07-01")
    add(w.owner, w.event, aid, "Build", 90)
    j = view(w.owner, w.event, aid)
    assert starts(j) == [("Build", "00:00")]
    assert j["segments"][0]["start"] == "2027-06-30T22:00:00Z"
    rid = create_activity(w.owner, w.event, start_time="20:00",
                          end_time="21:00", start_date="2027-07-01",
                          end_date="2027-07-01", repeat="daily",
                          until="2027-07-03")
    add(w.owner, w.event, rid, "Set", 30)
    add(w.owner, w.event, rid, "Encore", 10)
    j = view(w.owner, w.event, rid, "?date=2027-07-03")
    assert j["segments"][1]["start"] == "2027-07-03T18:30:00Z"
    assert [o["value"] for o in j["occurrences"]] == [
        "2027-07-01", "2027-07-02", "2027-07-03"]
    r = w.owner.s.get(BASE + "/api/v1" + ros(w.event, rid) +
                      "?date=2027-07-09")
    assert r.status_code == 422


def queries(b, path):
    r = b.s.get(BASE + path)
    assert r.status_code == 200
    return int(r.headers["X-Debug-Queries"])


def bulk(ev, owner_id, n):
    rows = ",".join(
        f"(UUID(), {ev}, 'activity', 'Bulk {i}', 0, "
        f"'2027-06-10 {8 + i % 10:02d}:00:00', "
        f"'2027-06-10 {9 + i % 10:02d}:00:00', {i % 2}, {owner_id},"
        f" UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))" for i in range(n))
    sql("INSERT INTO activities (uuid, event_id, kind, name, all_day,"
        " start_utc, end_utc, is_global, created_by, created_at, updated_at)"
        " VALUES " + rows)
    sql(f"INSERT INTO activity_participants (activity_id, event_id, user_id,"
        f" role, required) SELECT id, event_id, {owner_id}, 'organizer', 1"
        f" FROM activities WHERE event_id = {ev}")
    for pos, (name, mins) in enumerate((("Intro", 10), ("Main", 40))):
        sql(f"INSERT INTO ros_segments (activity_id, event_id, name,"
            f" duration_min, colour, position, created_by, created_at,"
            f" updated_at) SELECT id, event_id, '{name}', {mins}, 'teal',"
            f" {pos}, {owner_id}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)"
            f" FROM activities WHERE event_id = {ev}")
    sql(f"INSERT INTO ros_columns (activity_id, event_id, name, width,"
        f" position, created_at, updated_at) SELECT id, event_id, 'Cue',"
        f" 'narrow', 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM activities"
        f" WHERE event_id = {ev}")
    sql(f"INSERT INTO ros_values (segment_id, column_id, activity_id,"
        f" event_id, value) SELECT s.id, c.id, s.activity_id, s.event_id,"
        f" 'GO' FROM ros_segments s JOIN ros_columns c ON c.activity_id ="
        f" s.activity_id WHERE s.event_id = {ev}")


def test_event_page_printable_with_fixed_query_count(w):
    uid = uid_of(w.owner)
    small = new_event(w.owner, w.org, start_date="2027-06-10",
                      end_date="2027-06-12")
    big = new_event(w.owner, w.org, start_date="2027-06-10",
                    end_date="2027-06-12")
    bulk(small, uid, 10)
    bulk(big, uid, 1000)
    queries(w.owner, f"/events/{small}/run-of-show")
    queries(w.owner, f"/events/{big}/run-of-show")
    q_small = queries(w.owner, f"/events/{small}/run-of-show")
    q_big = queries(w.owner, f"/events/{big}/run-of-show")
    assert q_small == q_big
    j = w.owner.s.get(f"{BASE}/api/v1/events/{big}/run-of-show").json()
    assert len(j["activities"]) == 1000
    first = j["activities"][0]
    assert [s["name"] for s in first["segments"]] == ["Intro", "Main"]
    assert first["segments"][1]["values"][0]["value"] == "GO"
    r = w.owner.get(f"/events/{small}/run-of-show")
    assert r.status_code == 200
    assert "Bulk 0" in r.text and "Intro" in r.text and "Cue" in r.text
    # Printable: the navigation is marked to drop out on paper.
    assert 'class="no-print"' in r.text
    css = requests.get(BASE + "/css/app.css").text
    assert "@media print" in css.split("Run of show")[-1]
    # Nobody outside the event sees it.
    stranger = new_user(tag="rstranger")
    assert stranger.get(f"/events/{small}/run-of-show").status_code == 404
