"""Day sheets (issue 6 item 6; PRODUCT §14): a day's briefing per area,
activity and collaborator in event time, contacts and tasks due that
day, each filtered by the viewer; a vendor sees only their own
collaborator's sheet and what it may see there; the print layout; the
JSON twin; refused input; a fixed query count."""

import re
import uuid

import pytest

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from world import put_on_event, uid_of, vendor_contact, insert_collab


class W:
    pass


def new_area(ev, name):
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at)"
        f" VALUES (UUID(), {ev}, '{name}', LOWER('{name}'),"
        f" UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM areas WHERE event_id = {ev} AND"
                       f" name = '{name}'"))


def create(b, ev, **fields):
    data = {"name": "Act " + uuid.uuid4().hex[:6], "start_date": "2027-05-14",
            "start_time": "10:00", "end_date": "2027-05-14",
            "end_time": "11:00"}
    data.update(fields)
    b.get(f"/events/{ev}/schedule")
    r = b.post(f"/events/{ev}/activities", data)
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


def task(b, ev, **fields):
    data = {"name": "Task " + uuid.uuid4().hex[:6]}
    data.update(fields)
    b.get(f"/events/{ev}/tasks/new")
    r = b.post(f"/events/{ev}/tasks", data)
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


def crew(ev, cid, first, poc, phone, user=None):
    sql(f"INSERT INTO crew (event_id, collaborator_id, first_name, last_name,"
        f" title, phone, email, point_of_contact, user_id, created_at)"
        f" VALUES ({ev}, {cid}, '{first}', 'Crew', 'Stage manager',"
        f" '{phone}', '{first.lower()}@example.test', {poc},"
        f" {user or 'NULL'}, UTC_TIMESTAMP(3))")


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="dsowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Sheet Fest",
                        start_date="2027-05-14", end_date="2027-05-16",
                        timezone="America/New_York",
                        venue_name="Pier 9")
    w.v1 = insert_collab(w.event, "Sound Co")
    w.v2 = insert_collab(w.event, "Catering Co")
    w.vendor = new_user(tag="dsvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="dsvendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.stage = new_area(w.event, "Main Stage")
    o, ev = w.owner, w.event
    w.a_sound = create(o, ev, name="Soundcheck", start_time="14:00",
                       end_time="15:30", areas=[str(w.stage)],
                       location="FOH desk",
                       participants=[f"collaborator:{w.v1}:organizer"])
    w.a_cater = create(o, ev, name="Catering setup", start_time="07:00",
                       end_time="09:00",
                       participants=[f"collaborator:{w.v2}:organizer"])
    w.a_global = create(o, ev, name="Doors open", start_time="18:00",
                        end_time="18:30", **{"global": "1"})
    w.a_night = create(o, ev, name="Night load-out", start_time="22:00",
                       end_date="2027-05-15", end_time="03:00",
                       areas=[str(w.stage)])
    w.a_other_day = create(o, ev, name="Tomorrow only",
                           start_date="2027-05-15", end_date="2027-05-15",
                           areas=[str(w.stage)])
    crew(ev, w.v1, "Sam", 1, "+1 555 0101")
    crew(ev, w.v1, "Rita", 0, "+1 555 0102")
    crew(ev, w.v2, "Cat", 1, "+1 555 0201")
    w.t_v1 = task(o, ev, name="Sound task", due_date="2027-05-14",
                  assignees=[f"collaborator:{w.v1}"])
    w.t_v2 = task(o, ev, name="Catering task", due_date="2027-05-14",
                  assignees=[f"collaborator:{w.v2}"])
    w.t_area = task(o, ev, name="Stage task", due_date="2027-05-14",
                    due_time="12:00", areas=[str(w.stage)])
    w.t_later = task(o, ev, name="Later task", due_date="2027-05-15",
                     areas=[str(w.stage)])
    return w


def sheet(w, b, kind, sid, date="2027-05-14", status=200):
    r = b.s.get(f"{BASE}/api/v1/events/{w.event}/daysheets/{kind}/{sid}/"
                f"{date}")
    assert r.status_code == status, r.text[:2000]
    return r.json()


def names(j, key="schedule"):
    return [x["name"] for x in j.get(key) or []]


def test_area_sheet(w):
    j = sheet(w, w.owner, "area", w.stage)
    h = j["sheet"]
    assert h["subject"] == "Main Stage" and h["kind"] == "area"
    assert h["date_text"] == "Friday 14 May 2027"
    assert h["timezone"] == "America/New_York" and h["utc_offset"] == "-04:00"
    assert h["venue_name"] == "Pier 9" and h["generated_at"].endswith("Z")
    # Tagged + global, in event time, by start; the night one continues.
    assert names(j) == ["Soundcheck", "Doors open", "Night load-out"]
    night = j["schedule"][2]
    assert night["time_text"] == "22:00–15 May 03:00" and night["continues"]
    assert j["schedule"][0]["start"] == "2027-05-14T14:00:00-04:00"
    assert j["schedule"][0]["location"] == "FOH desk"
    assert j["schedule"][0]["organizers"] == "Sound Co"
    # The user organizers (the owner created two of them), then the
    # points of contact of taking-part collaborators (crew view: owner).
    assert [c["name"] for c in j["contacts"]] == ["Test Person", "Sam Crew"]
    assert j["contacts"][1]["phone"] == "+1 555 0101"
    assert j["contacts"][1]["collaborator"] == "Sound Co"
    assert names(j, "tasks") == ["Stage task"]
    # No advances in this event: an empty list (test_advsummary.py fills it).
    assert j["advance"] == [] and j["has_advance"] is False
    # The next day.
    j = sheet(w, w.owner, "area", w.stage, "2027-05-15")
    assert names(j) == ["Night load-out", "Tomorrow only"]
    assert j["schedule"][0]["continues_from"]
    assert names(j, "tasks") == ["Later task"]


def test_activity_and_collaborator_sheets(w):
    j = sheet(w, w.owner, "activity", w.a_sound)
    assert names(j) == ["Soundcheck"]
    assert names(j, "tasks") == ["Stage task"]
    j = sheet(w, w.owner, "collaborator", w.v1)
    assert names(j) == ["Soundcheck", "Doors open"]
    # Its points of contact first, then the rest of its crew.
    assert [c["name"] for c in j["contacts"]] == ["Sam Crew", "Rita Crew"]
    assert names(j, "tasks") == ["Sound task"]


def test_vendor_sees_only_their_own(w):
    j = sheet(w, w.vendor, "collaborator", w.v1)
    assert "Catering setup" not in names(j)
    assert names(j) == ["Soundcheck", "Doors open"]
    assert names(j, "tasks") == ["Sound task"]
    assert "Catering task" not in names(j, "tasks")
    assert all(c["collaborator"] == "Sound Co" for c in j["contacts"])
    # Another collaborator's sheet is not there for them.
    sheet(w, w.vendor, "collaborator", w.v2, status=404)
    sheet(w, w.vendor, "activity", w.a_cater, status=404)
    # An area they hold no schedule view on.
    sheet(w, w.vendor, "area", w.stage, status=404)
    r = w.vendor.s.get(f"{BASE}/events/{w.event}/daysheets/collaborator/"
                       f"{w.v2}/2027-05-14")
    assert r.status_code == 404


def test_bad_input(w):
    ev = w.event
    for path, field in (
            (f"/daysheets/stage/{w.stage}/2027-05-14", "kind"),
            (f"/daysheets/area/{w.stage}/2027-02-30", "date"),
            (f"/daysheets/area/{w.stage}/tomorrow", "date"),
            ("/daysheets/area/999999999/2027-05-14", "id"),
            ("/daysheets/area/abc/2027-05-14", "id"),
            (f"/daysheets/collaborator/{w.stage}/2027-05-14", "id")):
        r = w.owner.s.get(f"{BASE}/api/v1/events/{ev}{path}")
        assert r.status_code == 404, path
        assert r.json()["detail"].startswith(field + ":"), (path, r.text)
    # Another event's area, and another tenant.
    other = new_event(w.owner, w.org)
    oa = new_area(other, "Elsewhere")
    sheet(w, w.owner, "area", oa, status=404)
    stranger = new_user(tag="dsstranger")
    sheet(w, stranger, "area", w.stage, status=404)


def test_default_date_and_html(w):
    # Outside the event's dates today: the first day.
    j = w.owner.s.get(f"{BASE}/api/v1/events/{w.event}/daysheets/area/"
                      f"{w.stage}").json()
    assert j["sheet"]["date"] == "2027-05-14"
    r = w.owner.get(f"/events/{w.event}/daysheets/area/{w.stage}/2027-05-14")
    assert r.status_code == 200
    assert "Content-Security-Policy" in r.headers
    assert 'class="daysheet"' in r.text
    assert "Soundcheck" in r.text and "Friday 14 May 2027" in r.text
    css = w.owner.s.get(f"{BASE}/css/app.css").text
    assert "@media print" in css and ".daysheet" in css


def bulk(ev, owner_id, area, n):
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
    sql(f"INSERT INTO activity_areas (activity_id, event_id, area_id)"
        f" SELECT id, event_id, {area} FROM activities WHERE event_id = {ev}")


def test_query_count_is_fixed(w):
    uid = uid_of(w.owner)
    counts = []
    for n in (10, 1000):
        ev = new_event(w.owner, w.org, start_date="2027-06-10",
                       end_date="2027-06-12")
        area = new_area(ev, "Stage")
        bulk(ev, uid, area, n)
        path = f"/events/{ev}/daysheets/area/{area}/2027-06-10"
        r = w.owner.s.get(BASE + path)
        assert r.status_code == 200
        r = w.owner.s.get(BASE + path)
        counts.append(int(r.headers["X-Debug-Queries"]))
        j = w.owner.s.get(BASE + "/api/v1" + path).json()
        assert len(j["schedule"]) == n
    assert counts[0] == counts[1], counts


def test_links_where_users_find_them(w):
    ev = w.event
    page = w.owner.get(f"/events/{ev}/areas/{w.stage}").text
    assert f'href="/events/{ev}/daysheets/area/{w.stage}"' in page
    assert f'href="/events/{ev}/schedule.xml?area={w.stage}"' in page
    page = w.owner.get(f"/events/{ev}/activities/{w.a_sound}").text
    assert f'href="/events/{ev}/daysheets/activity/{w.a_sound}"' in page
    page = w.vendor.get(f"/events/{ev}/collaborators/{w.v1}").text
    assert f'href="/events/{ev}/daysheets/collaborator/{w.v1}"' in page
    page = w.owner.get(f"/events/{ev}/schedule").text
    for ext in ("xml", "json"):
        assert f'href="/events/{ev}/schedule.{ext}"' in page
    assert f'href="/events/{ev}/schedule.csv?from=2027-05-14&amp;to=' \
        f'2027-05-16"' in page
    page = w.owner.get(f"/events/{ev}/schedule/day/2027-05-14").text
    assert f'/events/{ev}/schedule.csv?from=2027-05-14&amp;to=2027-05-14' \
        in page
    page = w.owner.get(f"/events/{ev}/tasks").text
    assert f'formaction="/events/{ev}/tasks.csv"' in page
    assert w.owner.get("/docs/exports").status_code == 200
