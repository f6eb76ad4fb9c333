"""Schedule (issue 5 items 3, 4, 6; PRODUCT §10): activities entered in
event time and stored in UTC across daylight saving, recurrence
expansion, collaborator-scoped visibility, the calendar's fixed query
count, refused input and archived events."""

import re
import uuid

import pytest
import requests

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from test_core import create_token
from world import put_on_event, uid_of, vendor_contact, insert_collab


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="sowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Sched Fest",
                        start_date="2027-03-27", end_date="2027-03-29",
                        timezone="Europe/Amsterdam")
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                         f" {w.event} AND is_host = 1"))
    w.v1 = insert_collab(w.event, "Sound Co")
    w.v2 = insert_collab(w.event, "Catering Co")
    w.vendor = new_user(tag="svendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="svendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.owner.get(f"/events/{w.event}/schedule")
    return w


def sched(w):
    return f"/events/{w.event}/schedule"


def create(b, ev, expect=303, **fields):
    data = {"name": "Act " + uuid.uuid4().hex[:6], "start_date": "2027-03-27",
            "start_time": "10:00", "end_date": "2027-03-27",
            "end_time": "11:00"}
    data.update(fields)
    b.get(f"/events/{ev}/schedule")
    r = b.post(f"/events/{ev}/activities", data)
    assert r.status_code == expect, r.text[:2000]
    if expect != 303:
        return r
    m = re.match(rf"^/events/{ev}/activities/(\d+)$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def api_get(b, path):
    r = b.s.get(BASE + "/api/v1" + path)
    assert r.status_code == 200, r.text
    return r


def test_day_lists_keep_each_activitys_area_tags_in_order(w):
    """Several activities of one day, each tagged with areas in its own
    way: every occurrence carries its own tags, in the areas' order
    (position, then name), on the day, in a range list and on the
    activity itself."""
    names = {"Zone Zulu": 1, "Zone Bravo": 5, "Zone Alpha": 5,
             "Zone Mike": 3}
    for n, pos in names.items():
        sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, position,"
            f" created_at) VALUES (UUID(), {w.event}, '{n}', LOWER('{n}'), "
            f"{pos}, UTC_TIMESTAMP(3))")
    area = {r[1]: r[0] for r in sql(
        f"SELECT id, name FROM areas WHERE event_id = {w.event} AND name "
        "LIKE 'Zone %'")}
    tag = uuid.uuid4().hex[:4]
    want = {
        f"Tagged one {tag}": ["Zone Zulu", "Zone Mike", "Zone Alpha",
                              "Zone Bravo"],
        f"Tagged two {tag}": ["Zone Alpha", "Zone Bravo"],
        f"Tagged three {tag}": ["Zone Mike"],
        f"Tagged none {tag}": [],
    }
    ids = {}
    for i, (name, tags) in enumerate(want.items()):
        # Tagged in reverse of the order shown.
        ids[name] = create(w.owner, w.event, name=name,
                           start_date="2027-03-29",
                           start_time="%02d:00" % (9 + i),
                           end_date="2027-03-29",
                           end_time="%02d:30" % (9 + i),
                           areas=[str(area[t]) for t in reversed(tags)])
    day = api_get(w.owner, f"{sched(w)}/day/2027-03-29").json()
    rng = api_get(w.owner, f"{sched(w)}?from=2027-03-29&to=2027-03-29"
                  ).json()
    for occs in (day["occurrences"], rng["occurrences"]):
        got = {o["name"]: o["areas"] for o in occs if o["name"] in want}
        assert got == want
    for name, aid in ids.items():
        act = api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                      ).json()["activity"]
        assert [a["name"] for a in act["areas"]] == want[name], name


def test_dst_spring_forward_lasts_one_hour(w):
    aid = create(w.owner, w.event, name="Night shift",
                 start_date="2027-03-28", start_time="01:30",
                 end_date="2027-03-28", end_time="03:30")
    a = api_get(w.owner, f"/events/{w.event}/activities/{aid}").json()
    act = a["activity"]
    assert act["start"] == "2027-03-28T00:30:00Z"
    assert act["end"] == "2027-03-28T01:30:00Z"
    assert act["duration_minutes"] == 60
    assert "CET" in act["start_local"] and "CEST" in act["end_local"]
    page = w.owner.get(f"/events/{w.event}/activities/{aid}").text
    assert "Europe/Amsterdam" in page
    # The audit entry of the write.
    assert sql_one(f"SELECT action FROM audit_log WHERE target_type ="
                   f" 'activity' AND target_id = {aid}") == "activity.created"


def test_gap_refused_and_ambiguous_takes_earlier(w):
    n = sql_one(f"SELECT COUNT(*) FROM activities WHERE event_id = {w.event}")
    r = create(w.owner, w.event, expect=422, start_date="2027-03-28",
               start_time="02:30", end_date="2027-03-28", end_time="04:00")
    assert 'id="start_time-error"' in r.text
    assert sql_one(f"SELECT COUNT(*) FROM activities WHERE event_id ="
                   f" {w.event}") == n
    aid = create(w.owner, w.event, start_date="2027-10-31",
                 start_time="02:30", end_date="2027-10-31", end_time="03:30")
    act = api_get(w.owner, f"/events/{w.event}/activities/{aid}"
                  ).json()["activity"]
    assert act["start"] == "2027-10-31T00:30:00Z"
    assert act["duration_minutes"] == 120


def occ(w, b, frm, to):
    return api_get(b, f"{sched(w)}?from={frm}&to={to}").json()["occurrences"]


def test_list_days_grouped_on_the_page_dated_in_json(w):
    """The HTML list heads each day with its items; the JSON list gives
    every occurrence once, with its local date, and no second copy
    grouped by day."""
    name = "Soundcheck " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=name, start_date="2027-05-03",
           start_time="23:30", end_date="2027-05-04", end_time="00:30",
           repeat="daily", until="2027-05-05")
    j = api_get(w.owner, f"{sched(w)}?from=2027-05-03&to=2027-05-05").json()
    got = [o for o in j["occurrences"] if o["name"] == name]
    assert [o["date"] for o in got] == ["2027-05-03", "2027-05-04",
                                        "2027-05-05"]
    assert "days" not in j
    # Each one ends the next day, which its time text names.
    first = got[0]
    assert first["time_text"] == "23:30 CEST – 4 May 00:30 CEST"
    assert (first["start"], first["end"]) == ("2027-05-03T21:30:00Z",
                                              "2027-05-03T22:30:00Z")
    assert (first["start_local"], first["end_local"]) == (
        "2027-05-03T23:30:00", "2027-05-04T00:30:00")
    assert first["occurrence_date"] == "2027-05-03"
    assert first["start_hm"] == "23:30" and first["duration_minutes"] == 60
    page = w.owner.get(f"{sched(w)}?from=2027-05-03&to=2027-05-05").text
    heads = re.findall(r"<h3><a href=\"[^\"]*/schedule/day/(2027-05-0\d)",
                       page)
    assert heads == ["2027-05-03", "2027-05-04", "2027-05-05"]
    assert page.count(name) >= 3
    assert "23:30 CEST – 5 May 00:30 CEST" in page


def test_day_api_matches_the_week_view_occurrence_for_occurrence(w):
    """The day's API writes its occurrences as text, the week view builds
    them as objects; a client sees the same occurrence either way:
    timed, all-day, overnight, repeating with a moved occurrence, global,
    cancelled, with a location, areas and quotes in the name."""
    ev = new_event(w.owner, w.org, name="Parity " + uuid.uuid4().hex[:4],
                   start_date="2027-06-14", end_date="2027-06-20",
                   timezone="America/New_York")
    area = new_area(ev, 'Stage "B" / Main')
    create(w.owner, ev, name='Soundcheck "loud" & <clear>',
           start_date="2027-06-16", start_time="09:15",
           end_date="2027-06-16", end_time="10:00", location="Dock 2",
           areas=str(area))
    create(w.owner, ev, name="Build", all_day="1", start_date="2027-06-15",
           end_date="2027-06-17", **{"global": "1"})
    create(w.owner, ev, name="Night shift", start_date="2027-06-16",
           start_time="22:00", end_date="2027-06-17", end_time="06:00")
    daily = create(w.owner, ev, name="Stand-up", start_date="2027-06-14",
                   start_time="08:00", end_date="2027-06-14",
                   end_time="08:15", repeat="daily", until="2027-06-20")
    r = w.owner.post(f"/events/{ev}/activities/{daily}/occurrences/"
                     "2027-06-16", {"start_date": "2027-06-16",
                                    "start_time": "08:30",
                                    "end_date": "2027-06-16",
                                    "end_time": "09:00", "version": "1"})
    assert r.status_code == 303, r.text[:500]
    gone = create(w.owner, ev, name="Cancelled talk",
                  start_date="2027-06-16", start_time="12:00",
                  end_date="2027-06-16", end_time="13:00")
    assert w.owner.post(f"/events/{ev}/activities/{gone}/cancel",
                        {"version": "1"}).status_code == 303

    day = api_get(w.owner, f"/events/{ev}/schedule/day/2027-06-16").json()
    week = api_get(w.owner, f"/events/{ev}/schedule/week/2027-06-16").json()
    in_week = [o for o in week["occurrences"]
               if o["date"] == "2027-06-16" or o["name"] in (
                   "Build", "Night shift")]
    key = lambda o: (o["name"], o.get("occurrence_date") or "")
    by_week = {key(o): o for o in in_week}
    assert len(day["occurrences"]) == 5
    for o in day["occurrences"]:
        assert o == by_week[key(o)], o["name"]
    got = {o["name"]: o for o in day["occurrences"]}
    assert got['Soundcheck "loud" & <clear>']["areas"] == ['Stage "B" / Main']
    assert got["Stand-up"]["moved"] and got["Stand-up"]["changed"]
    assert got["Stand-up"]["time_text"] == "08:30 EDT – 09:00 EDT"
    assert got["Night shift"]["time_text"] == "22:00 EDT – 17 Jun 06:00 EDT"
    assert got["Cancelled talk"]["cancelled"]
    assert got["Build"]["global"] and got["Build"]["time_text"] == "All day"
    # The text is escaped for embedding like every JSON answer.
    raw = api_get(w.owner, f"/events/{ev}/schedule/day/2027-06-16").text
    assert "\\u003cclear\\u003e" in raw and "<clear>" not in raw


def test_session_and_event_standing_come_in_one_statement(w):
    """A signed-in event page reads the session and the user's standing
    on the event together: one statement fewer than the same request
    with an API token. The standing is still the user's own, an unknown
    or foreign event is still a 404, and an expired session on an event
    route is still ended."""
    path = f"/api/v1/events/{w.event}/schedule/day/2027-03-27"
    tok = create_token(w.owner)
    for _ in range(2):      # the second: the token's last use is fresh
        by_token = requests.get(BASE + path,
                                headers={"Authorization": "Bearer " + tok})
    assert by_token.status_code == 200
    by_session = w.owner.s.get(BASE + path)
    assert by_session.status_code == 200
    assert int(by_session.headers["X-Debug-Queries"]) == \
        int(by_token.headers["X-Debug-Queries"]) - 1
    assert by_session.json()["occurrences"] == by_token.json()["occurrences"]
    # Each user's own standing: the vendor is offered their own
    # collaborator's calendar, not the other vendor's.
    def labels(j):
        return {i["label"] for g in j["calendars"] for i in g["items"]}
    assert {"Sound Co", "Catering Co"} <= labels(by_session.json())
    mine = labels(w.vendor.s.get(BASE + path).json())
    assert "Sound Co" in mine and "Catering Co" not in mine
    other = new_user(tag="sother")
    oorg = new_org(other, org_standard=1)
    oev = new_event(other, oorg, name="Elsewhere", start_date="2027-03-27",
                    end_date="2027-03-28", timezone="Europe/Amsterdam")
    for ev in (oev, 999999999):
        r = w.owner.s.get(f"{BASE}/api/v1/events/{ev}/schedule/day/"
                          "2027-03-27")
        assert r.status_code == 404, ev
    u = new_user(tag="sidle")
    uorg = new_org(u, org_standard=1)
    uev = new_event(u, uorg, name="Idle", start_date="2027-03-27",
                    end_date="2027-03-28", timezone="Europe/Amsterdam")
    assert u.s.get(f"{BASE}/api/v1/events/{uev}/schedule").status_code == 200
    sid = sql_one("SELECT MAX(s.id) FROM sessions s JOIN users u ON "
                  f"u.id = s.user_id WHERE u.email_norm = '{u.email}'")
    sql(f"UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 31 "
        f"MINUTE WHERE id = {sid}")
    assert u.s.get(f"{BASE}/api/v1/events/{uev}/schedule").status_code == 401
    assert sql_one(f"SELECT COUNT(*) FROM sessions WHERE id = {sid}") == "0"


def test_recurrence_expands_across_a_month(w):
    name = "Breakfast " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=name, start_date="2027-03-25",
           start_time="08:00", end_date="2027-03-25", end_time="09:00",
           repeat="daily", until="2027-04-03")
    got = [o for o in occ(w, w.owner, "2027-03-20", "2027-04-30")
           if o["name"] == name]
    assert [o["date"] for o in got] == [
        "2027-03-%02d" % d for d in range(25, 32)] + [
        "2027-04-%02d" % d for d in range(1, 4)]
    # Local start kept across the change: 08:00 CET = 07:00Z, then
    # 08:00 CEST = 06:00Z; an hour long either way.
    assert got[0]["start"] == "2027-03-25T07:00:00Z"
    assert got[-1]["start"] == "2027-04-03T06:00:00Z"
    assert all(o["duration_minutes"] == 60 for o in got)
    assert all(o["start_local"].endswith("T08:00:00") for o in got)

    name = "Monthly " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=name, start_date="2027-01-31",
           start_time="12:00", end_date="2027-01-31", end_time="13:00",
           repeat="monthly", until="2027-08-31")
    got = [o["date"] for o in occ(w, w.owner, "2027-01-01", "2027-12-31")
           if o["name"] == name]
    assert got == ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31",
                   "2027-08-31"]

    name = "Weekly " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=name, start_date="2027-03-03",
           start_time="18:00", end_date="2027-03-03", end_time="19:00",
           repeat="weekly", weekdays=["mon", "thu"], until="2027-03-31")
    got = [o["date"] for o in occ(w, w.owner, "2027-03-01", "2027-03-31")
           if o["name"] == name]
    assert got == ["2027-03-04", "2027-03-08", "2027-03-11", "2027-03-15",
                   "2027-03-18", "2027-03-22", "2027-03-25", "2027-03-29"]


def test_day_view(w):
    name = "Soundcheck " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=name, start_date="2027-03-29",
           start_time="14:00", end_date="2027-03-29", end_time="15:00")
    r = w.owner.get(f"{sched(w)}/day/2027-03-29")
    assert r.status_code == 200 and name in r.text
    r = w.owner.get(f"{sched(w)}/day/2027-03-30")
    assert r.status_code == 200 and name not in r.text
    assert w.owner.get(f"{sched(w)}/day/2027-02-30").status_code == 404
    assert w.owner.get(f"{sched(w)}?from=2027-03-29&to=2027-03-01"
                       ).status_code == 422
    assert w.owner.get(f"{sched(w)}?from=soon").status_code == 422


def test_collaborator_scoped_visibility(w):
    g = "Gates open " + uuid.uuid4().hex[:4]
    mine = "Sound load-in " + uuid.uuid4().hex[:4]
    theirs = "Catering setup " + uuid.uuid4().hex[:4]
    internal = "Producers meeting " + uuid.uuid4().hex[:4]
    create(w.owner, w.event, name=g, **{"global": "1"})
    a_mine = create(w.owner, w.event, name=mine,
                    participants=f"collaborator:{w.v1}:attendee")
    a_theirs = create(w.owner, w.event, name=theirs,
                      participants=f"collaborator:{w.v2}:attendee")
    create(w.owner, w.event, name=internal)
    names = {o["name"] for o in occ(w, w.vendor, "2027-03-27", "2027-03-27")}
    assert g in names and mine in names
    assert theirs not in names and internal not in names
    assert w.vendor.get(f"/events/{w.event}/activities/{a_mine}"
                        ).status_code == 200
    assert w.vendor.get(f"/events/{w.event}/activities/{a_theirs}"
                        ).status_code == 404
    names = {o["name"] for o in occ(w, w.owner, "2027-03-27", "2027-03-27")}
    assert {g, mine, theirs, internal} <= names
    # A vendor contact (schedule edit on V1) creates only with V1 taking
    # part, and never a global activity.
    create(w.vendor, w.event, expect=403)
    create(w.vendor, w.event, expect=403, participants=f"collaborator:{w.v1}",
           **{"global": "1"})
    aid = create(w.vendor, w.event, participants=f"collaborator:{w.v1}")
    assert w.vendor2.get(f"/events/{w.event}/activities/{aid}"
                         ).status_code == 404


def test_edit_version_and_cancel(w):
    aid = create(w.owner, w.event, name="Rehearsal")
    p = f"/events/{w.event}/activities/{aid}"
    w.owner.get(p)
    base = {"name": "Rehearsal 2", "start_date": "2027-03-27",
            "start_time": "12:00", "end_date": "2027-03-27",
            "end_time": "13:00"}
    r = w.owner.post(p, dict(base, version="1"))
    assert r.status_code == 303, r.text[:1000]
    r = w.owner.post(p, dict(base, version="1"))
    assert r.status_code == 409
    r = w.owner.post(p + "/cancel", {"version": "2"})
    assert r.status_code == 303
    act = api_get(w.owner, p).json()["activity"]
    assert act["cancelled"] and act["name"] == "Rehearsal 2"
    got = [o for o in occ(w, w.owner, "2027-03-27", "2027-03-27")
           if o["activity_id"] == aid]
    assert got and got[0]["cancelled"]
    assert [r[0] for r in sql(
        f"SELECT action FROM audit_log WHERE target_type = 'activity' AND"
        f" target_id = {aid} ORDER BY id")] == [
        "activity.created", "activity.updated", "activity.cancelled"]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_day_holds_what_overlaps_it_far_from_utc(w, zone):
    """The day's rows are found in SQL within hours of the zone's day
    (0016's span indexes): whatever overlaps the local day is on it —
    overnight from the day before, a long one started days earlier, an
    all-day span, daily and weekly series (one crossing midnight into the
    day, one lasting three days) — and nothing of the days around it, in
    the zones furthest from UTC (+14 h, -11 h)."""
    ev = new_event(w.owner, w.org, name="Far " + zone, timezone=zone,
                   start_date="2027-07-08", end_date="2027-07-12")
    on = {"Midnight": dict(start_date="2027-07-10", start_time="00:00",
                           end_date="2027-07-10", end_time="00:30"),
          "Last slot": dict(start_date="2027-07-10", start_time="23:30",
                            end_date="2027-07-10", end_time="23:59"),
          "Overnight": dict(start_date="2027-07-09", start_time="20:00",
                            end_date="2027-07-10", end_time="02:00"),
          "Four days": dict(start_date="2027-07-07", start_time="10:00",
                            end_date="2027-07-11", end_time="10:00"),
          "Whole days": dict(all_day="1", start_date="2027-07-08",
                             end_date="2027-07-10"),
          "Each morning": dict(start_date="2027-06-20", start_time="07:00",
                               end_date="2027-06-20", end_time="08:00",
                               repeat="daily", until="2027-07-31"),
          # 2027-07-10 is a Saturday.
          "Saturday class": dict(start_date="2027-06-19", start_time="09:00",
                                 end_date="2027-06-19", end_time="10:00",
                                 repeat="weekly", weekdays=["sat"],
                                 until="2027-07-31"),
          "Friday late": dict(start_date="2027-06-18", start_time="23:00",
                              end_date="2027-06-19", end_time="01:00",
                              repeat="weekly", weekdays=["fri"],
                              until="2027-07-31"),
          "Thursday weekend": dict(all_day="1", start_date="2027-06-17",
                                   end_date="2027-06-19", repeat="weekly",
                                   weekdays=["thu"], until="2027-07-31")}
    off = {"Day before": dict(start_date="2027-07-09", start_time="23:00",
                              end_date="2027-07-09", end_time="23:59"),
           "Day after": dict(start_date="2027-07-11", start_time="00:00",
                             end_date="2027-07-11", end_time="01:00"),
           "Long before": dict(start_date="2027-07-05", start_time="10:00",
                               end_date="2027-07-09", end_time="22:00"),
           "Days before": dict(all_day="1", start_date="2027-07-07",
                               end_date="2027-07-09"),
           "Ended series": dict(start_date="2027-06-20", start_time="07:00",
                                end_date="2027-06-20", end_time="08:00",
                                repeat="daily", until="2027-07-09"),
           "Wednesday class": dict(start_date="2027-06-16",
                                   start_time="09:00", end_date="2027-06-16",
                                   end_time="10:00", repeat="weekly",
                                   weekdays=["wed"], until="2027-07-31")}
    for name, f in list(on.items()) + list(off.items()):
        create(w.owner, ev, name=name, **f)
    day = api_get(w.owner, f"/events/{ev}/schedule/day/2027-07-10").json()
    assert sorted(o["name"] for o in day["occurrences"]) == sorted(on)
    got = api_get(w.owner, f"/events/{ev}/schedule?from=2027-07-10"
                  f"&to=2027-07-10").json()["occurrences"]
    assert sorted(o["name"] for o in got) == sorted(on)


@pytest.mark.parametrize("fields,field", [
    ({"end_time": "09:00"}, "end_time"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"repeat": "daily"}, "until"),
    ({"repeat": "daily", "until": "2030-01-01"}, "until"),
    ({"repeat": "weekly", "until": "2027-05-01"}, "weekdays"),
    ({"repeat": "hourly"}, "repeat"),
    ({"interval": "100", "repeat": "daily", "until": "2027-04-01"},
     "interval"),
    ({"participants": "user:999999999"}, "participants"),
    ({"areas": "999999999"}, "areas"),
    ({"name": ""}, "name"),
])
def test_bad_input_refused(w, fields, field):
    n = sql_one(f"SELECT COUNT(*) FROM activities WHERE event_id = {w.event}")
    r = create(w.owner, w.event, expect=422, **fields)
    assert f'id="{field}-error"' in r.text, field
    assert sql_one(f"SELECT COUNT(*) FROM activities WHERE event_id ="
                   f" {w.event}") == n


def test_participant_from_another_event_refused(w):
    other = new_event(w.owner, w.org, name="Other Fest")
    oc = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = {other}"
                     f" AND is_host = 1"))
    r = create(w.owner, w.event, expect=422,
               participants=f"collaborator:{oc}")
    assert 'id="participants-error"' in r.text


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


def test_list_query_count_is_fixed(w):
    uid = uid_of(w.owner)
    small = new_event(w.owner, w.org, start_date="2027-06-10",
                      end_date="2027-06-12")
    big = new_event(w.owner, w.org, start_date="2027-06-10",
                    end_date="2027-06-12")
    bulk(small, uid, 10)
    bulk(big, uid, 1000)
    queries(w.owner, f"/events/{small}/schedule")
    queries(w.owner, f"/events/{big}/schedule")
    q_small = queries(w.owner, f"/events/{small}/schedule")
    q_big = queries(w.owner, f"/events/{big}/schedule")
    assert q_small == q_big
    j = w.owner.s.get(f"{BASE}/api/v1/events/{big}/schedule").json()
    assert len(j["occurrences"]) == 1000


def test_archived_event_refuses_writes(w):
    ev = new_event(w.owner, w.org)
    w.owner.get(f"/events/{ev}/schedule")
    aid = create(w.owner, ev)
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")
    r = create(w.owner, ev, expect=409)
    assert "archived" in r.text
    r = w.owner.post(f"/events/{ev}/activities/{aid}/cancel", {})
    assert r.status_code == 409
    assert w.owner.get(f"/events/{ev}/schedule").status_code == 200


def new_area(ev, name):
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at)"
        f" VALUES (UUID(), {ev}, '{name}', LOWER('{name}'),"
        f" UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM areas WHERE event_id = {ev} AND"
                       f" name = '{name}'"))


def test_area_timeline(w):
    ev = new_event(w.owner, w.org, start_date="2027-03-27",
                   end_date="2027-03-29")
    stage = new_area(ev, "Main Stage")
    tent = new_area(ev, "Tent")
    w.owner.get(f"/events/{ev}/schedule")
    create(w.owner, ev, name="Overnight build", start_date="2027-03-28",
           start_time="01:30", end_date="2027-03-28", end_time="03:30",
           areas=str(stage))
    create(w.owner, ev, name="Load-in window", type="time_frame",
           start_date="2027-03-28", start_time="08:00",
           end_date="2027-03-28", end_time="12:00", areas=[stage, tent])
    create(w.owner, ev, name="Briefing", start_date="2027-03-28",
           start_time="09:00", end_date="2027-03-28", end_time="09:45")
    r = w.owner.get(f"/events/{ev}/schedule/timeline/2027-03-28")
    assert r.status_code == 200
    assert "<svg" in r.text and "Overnight build" in r.text
    assert "style=" not in r.text.split("<svg", 1)[1].split("</svg>")[0]
    j = api_get(w.owner, f"/events/{ev}/schedule/timeline/2027-03-28").json()
    # The spring-forward day is 23 hours long on the axis.
    assert j["day_minutes"] == 23 * 60
    cols = {c["name"]: c for c in j["columns"]}
    assert set(cols) == {"Main Stage", "Tent", "No area"}
    block = cols["Main Stage"]["blocks"][0]
    assert block["name"] == "Overnight build" and block["minutes"] == 60
    assert block["h"] == 40     # four 15-minute steps of 10 px
    assert [f["name"] for f in cols["Tent"]["frames"]] == ["Load-in window"]
    assert cols["No area"]["blocks"][0]["minutes"] == 45
    assert w.owner.get(f"/events/{ev}/schedule/timeline/2027-13-01"
                       ).status_code == 404


def test_every_activity_change_raises_the_schedule_revision(w):
    def rev():
        return int(sql_one(f"SELECT COALESCE(MAX(revision), 0) FROM "
                           f"schedule_revisions WHERE event_id = {w.event}"))
    before = rev()
    aid = create(w.owner, w.event, name="Revision check")
    assert rev() == before + 1
    w.owner.get(f"/events/{w.event}/activities/{aid}")
    r = w.owner.post(f"/events/{w.event}/activities/{aid}/cancel", {})
    assert r.status_code == 303
    assert rev() == before + 2
    # A refused change leaves it alone.
    create(w.owner, w.event, expect=422, name="Bad", end_time="09:00")
    assert rev() == before + 2
