"""Schedule exports and CSV downloads (issue 6 items 3 and 5; FEEDS.md §6,
§7, §9, §10; PRODUCT §16): schedule.xml and schedule.json validated
against the C3VOC schemas with our extra rules on top, the same items in
both, stable ids and guids, the revision, visibility, the fixed query
count, and the task and schedule CSVs (quoting, BOM, CRLF, the formula
guard, filters and visibility)."""

import json
import os
import re
import subprocess
import tempfile
import uuid
import xml.etree.ElementTree as ET

import pytest

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from world import put_on_event, uid_of, vendor_contact, insert_collab

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DATA = os.environ.get("BO_SCHEMA_DIR",
                      os.path.join(ROOT, "..", "shared", "data"))
XSD = os.path.join(DATA, "schedule.xml.xsd")
JSON_SCHEMA = os.path.join(DATA, "schedule.json.schema.json")
HHMM = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")
DT = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):00([+-]\d\d:\d\d)$")


class W:
    pass


def new_area(ev, name, pos):
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, position,"
        f" created_at) VALUES (UUID(), {ev}, '{name}', LOWER('{name}'),"
        f" {pos}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM areas WHERE event_id = {ev} AND"
                       f" name = '{name}'"))


def create(b, ev, **fields):
    data = {"name": "Act " + uuid.uuid4().hex[:6], "start_date": "2027-03-27",
            "start_time": "10:00", "end_date": "2027-03-27",
            "end_time": "11:00"}
    data.update(fields)
    b.get(f"/events/{ev}/schedule")
    r = b.post(f"/events/{ev}/activities", data)
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="xowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.code = "xp-" + uuid.uuid4().hex[:6]
    w.event = new_event(w.owner, w.org, name="Export Fest <&>",
                        code=w.code, start_date="2027-03-27",
                        end_date="2027-03-29", timezone="Europe/Berlin")
    w.v1 = insert_collab(w.event, "Sound Co")
    w.v2 = insert_collab(w.event, "Catering Co")
    w.vendor = new_user(tag="xvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.stage = new_area(w.event, "Main Stage", 1)
    w.office = new_area(w.event, "Production Office", 2)
    o = w.owner
    # Spring forward in Berlin on 28 March: a daily series across it.
    w.series = create(o, w.event, name="Crew briefing",
                      start_date="2027-03-27", start_time="09:00",
                      end_date="2027-03-27", end_time="09:30",
                      repeat="daily", until="2027-03-29",
                      areas=[str(w.office)], location="Office, room 2",
                      participants=[f"collaborator:{w.v1}:organizer"])
    w.midnight = create(o, w.event, name="Headliner changeover",
                        start_date="2027-03-27", start_time="23:30",
                        end_date="2027-03-28", end_time="01:15",
                        areas=[str(w.stage), str(w.office)])
    w.long = create(o, w.event, name="Load-in marathon",
                    start_date="2027-03-27", start_time="12:00",
                    end_date="2027-03-28", end_time="18:00",
                    areas=[str(w.stage)])
    w.noarea = create(o, w.event, name="Grüße, \"quoted\" & emoji 🎪",
                      start_date="2027-03-29", start_time="14:00",
                      end_date="2027-03-29", end_time="15:00",
                      participants=[f"collaborator:{w.v2}:organizer"])
    w.frame = create(o, w.event, name="Load-in window", type="time_frame",
                     start_date="2027-03-27", start_time="06:00",
                     end_date="2027-03-27", end_time="20:00")
    w.allday = create(o, w.event, name="Build days", all_day="1",
                      start_date="2027-03-27", end_date="2027-03-29")
    w.gone = create(o, w.event, name="Cancelled thing")
    v = sql_one(f"SELECT version FROM activities WHERE id = {w.gone}")
    r = o.post(f"/events/{w.event}/activities/{w.gone}/cancel",
               {"version": v})
    assert r.status_code == 303, r.text
    # C0 controls can't come through the form; put some in directly.
    sql(f"UPDATE activities SET description = CONCAT('Trucks at gate B.',"
        f" CHAR(7), ' Forklift *required*.', CHAR(27)) WHERE id ="
        f" {w.midnight}")
    return w


def get(b, path, status=200):
    r = b.s.get(BASE + path)
    assert r.status_code == status, r.text[:2000]
    return r


def xml_of(w, b=None, q=""):
    r = get(b or w.owner, f"/events/{w.event}/schedule.xml{q}")
    return r


def json_of(w, b=None, q=""):
    return get(b or w.owner, f"/events/{w.event}/schedule.json{q}")


def xml_events(root):
    out = {}
    for day in root.iter("day"):
        for room in day.iter("room"):
            for ev in room.iter("event"):
                out[ev.get("guid")] = {
                    "id": int(ev.get("id")), "day": day.get("date"),
                    "room": room.get("name"),
                    "title": ev.findtext("title"),
                    "date": ev.findtext("date"),
                    "start": ev.findtext("start"),
                    "duration": ev.findtext("duration"),
                    "description": ev.findtext("description"),
                    "abstract": ev.findtext("abstract"),
                    "slug": ev.findtext("slug"),
                    "track": ev.findtext("track")}
    return out


def test_xml_validates_against_the_xsd(w):
    if not os.path.exists(XSD):
        pytest.skip(f"schema not found: {XSD}")
    r = xml_of(w)
    assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="{w.code}.xml"'
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(r.content)
        f.flush()
        p = subprocess.run(["xmllint", "--noout", "--schema", XSD, f.name],
                           capture_output=True, text=True)
    assert p.returncode == 0, p.stderr + r.text


def test_json_validates_against_the_schema(w):
    if not os.path.exists(JSON_SCHEMA):
        pytest.skip(f"schema not found: {JSON_SCHEMA}")
    import jsonschema
    r = json_of(w)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="{w.code}.json"'
    with open(JSON_SCHEMA) as f:
        schema = json.load(f)
    v = jsonschema.Draft6Validator(schema,
                                   format_checker=jsonschema.FormatChecker())
    errors = sorted(v.iter_errors(r.json()), key=str)
    assert not errors, "\n".join(str(e) for e in errors[:5])


def test_format_rules_on_top_of_the_schemas(w):
    root = ET.fromstring(xml_of(w).content)
    assert root[0].tag == "generator"
    assert root.find("url") is None
    conf = root.find("conference")
    acronym = conf.findtext("acronym")
    assert acronym == w.code.replace("-", "_")
    assert re.match(r"^[a-z0-9_]{4,32}$", acronym)
    assert [c.tag for c in conf][:10] == [
        "title", "acronym", "start", "end", "days", "timeslot_duration",
        "time_zone_name", "base_url", "url", "track"]
    assert conf.findtext("title") == "Export Fest <&>"
    assert conf.findtext("time_zone_name") == "Europe/Berlin"
    assert conf.findtext("timeslot_duration") == "00:15"
    days = root.findall("day")
    assert [int(d.get("index")) for d in days] == [1, 2, 3]
    assert conf.findtext("days") == "3"
    assert [d.get("date") for d in days] == ["2027-03-27", "2027-03-28",
                                             "2027-03-29"]
    # The spring-forward day: +01:00 at its start, +02:00 at its end.
    assert days[1].get("start") == "2027-03-28T00:00:00+01:00"
    assert days[1].get("end") == "2027-03-29T00:00:00+02:00"
    evs = xml_events(root)
    titles = [e["title"] for e in evs.values()]
    for gone in ("Load-in window", "Build days", "Cancelled thing"):
        assert gone not in titles
    for e in evs.values():
        assert HHMM.match(e["duration"]) and e["duration"] != "00:00"
        m = DT.match(e["date"])
        assert m, e["date"]
        assert m.group(2) == e["start"]
        assert e["slug"].startswith(acronym + "-%d-" % e["id"])
    assert len({e["id"] for e in evs.values()}) == len(evs)
    assert len({e["slug"] for e in evs.values()}) == len(evs)
    # The series: three occurrences at 09:00 local across the change.
    brief = sorted((e for e in evs.values() if e["title"] == "Crew briefing"),
                   key=lambda e: e["date"])
    assert [e["date"] for e in brief] == [
        "2027-03-27T09:00:00+01:00", "2027-03-28T09:00:00+02:00",
        "2027-03-29T09:00:00+02:00"]
    assert all(e["room"] == "Production Office" for e in brief)
    assert brief[0]["description"] == "Location: Office, room 2"
    assert brief[0]["track"] == "Sound Co"
    # Crossing midnight (under 24 h): one item on its start day, listed
    # under its first area, the other area in the description.
    ch = [e for e in evs.values() if e["title"] == "Headliner changeover"]
    assert len(ch) == 1 and ch[0]["day"] == "2027-03-27"
    assert ch[0]["room"] == "Main Stage"
    assert ch[0]["duration"] == "01:45"
    assert ch[0]["description"] == "Also in: Production Office"
    # Control characters dropped; markdown kept.
    assert ch[0]["abstract"] == "Trucks at gate B. Forklift *required*."
    # 30 hours: split at the day boundary, one item per day.
    lm = sorted((e for e in evs.values() if e["title"] == "Load-in marathon"),
                key=lambda e: e["date"])
    assert [(e["day"], e["start"], e["duration"]) for e in lm] == [
        ("2027-03-27", "12:00", "12:00"), ("2027-03-28", "00:00", "17:00")]
    assert [e["description"] for e in lm] == ["Part 1 of 2", "Part 2 of 2"]
    # No area: the synthetic room.
    na = [e for e in evs.values() if e["title"].startswith("Grüße")]
    assert na[0]["room"] == "No area"
    assert na[0]["track"] == "Catering Co"
    rooms = [r.get("name") for r in days[0].findall("room")]
    assert rooms == ["Main Stage", "Production Office"]


def test_xml_and_json_carry_the_same_items(w):
    x = xml_events(ET.fromstring(xml_of(w).content))
    j = json_of(w).json()
    assert j["generator"]["name"] == "BackOps"
    conf = j["schedule"]["conference"]
    assert conf["daysCount"] == 3
    jev = {}
    for day in conf["days"]:
        for room, evs in day["rooms"].items():
            for e in evs:
                assert e["room"] == room
                assert set(e) >= {"subtitle", "language", "links"}
                assert "public_name" not in json.dumps(e["persons"])
                assert DT.match(e["date"]) and DT.match(e["end"])
                jev[e["guid"]] = (e["id"], e["date"], e["duration"])
    assert jev == {g: (e["id"], e["date"], e["duration"])
                   for g, e in x.items()}


def test_stable_ids_guids_and_revision(w):
    a = xml_of(w).content
    assert xml_of(w).content == a
    before = xml_events(ET.fromstring(a))
    rev = int(ET.fromstring(a).findtext("version"))
    n = int(sql_one("SELECT COUNT(*) FROM export_id_map"))
    # Change one activity: every other guid and id stays.
    v = sql_one(f"SELECT version FROM activities WHERE id = {w.noarea}")
    r = w.owner.post(f"/events/{w.event}/activities/{w.noarea}", {
        "name": "Renamed", "start_date": "2027-03-29", "start_time": "15:00",
        "end_date": "2027-03-29", "end_time": "16:00", "version": v,
        "participants": [f"collaborator:{w.v2}:organizer"]})
    assert r.status_code == 303, r.text[:2000]
    b = xml_of(w).content
    after = xml_events(ET.fromstring(b))
    assert int(ET.fromstring(b).findtext("version")) > rev
    for g, e in before.items():
        assert g in after and after[g]["id"] == e["id"]
    assert int(sql_one("SELECT COUNT(*) FROM export_id_map")) == n
    # The occurrence guids follow FEEDS §6.6 (version 8).
    occ = [g for g, e in after.items() if e["title"] == "Crew briefing"]
    assert all(g[14] == "8" and g[19] in "89ab" for g in occ)
    plain = sql_one(f"SELECT uuid FROM activities WHERE id = {w.midnight}")
    assert plain in after


def test_visibility_and_area_scope(w):
    # The vendor of Sound Co sees its own activity, not the others.
    titles = {e["title"] for e in xml_events(ET.fromstring(
        xml_of(w, w.vendor).content)).values()}
    assert titles == {"Crew briefing"}
    # One area: only what is tagged with it.
    titles = {e["title"] for e in xml_events(ET.fromstring(
        xml_of(w, q=f"?area={w.stage}").content)).values()}
    assert titles == {"Headliner changeover", "Load-in marathon"}
    r = get(w.owner, f"/events/{w.event}/schedule.xml?area={w.stage}")
    assert f"{w.code}-area-{w.stage}.xml" in r.headers["Content-Disposition"]
    # Bad and foreign input.
    r = get(w.owner, f"/events/{w.event}/schedule.xml?area=abc", 400)
    assert "area" in r.text
    other = new_event(w.owner, w.org)
    oa = new_area(other, "Elsewhere", 1)
    r = get(w.owner, f"/events/{w.event}/schedule.json?area={oa}", 404)
    assert "area" in r.text
    get(w.vendor, f"/events/{w.event}/schedule.xml?area={w.stage}", 404)
    stranger = new_user(tag="xstranger")
    get(stranger, f"/events/{w.event}/schedule.xml", 404)
    get(stranger, f"/events/{w.event}/tasks.csv", 404)


def queries(b, path):
    r = b.s.get(BASE + path)
    assert r.status_code == 200, r.text[:500]
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


def test_schedule_xml_query_count_is_fixed(w):
    uid = uid_of(w.owner)
    small = new_event(w.owner, w.org, start_date="2027-06-10",
                      end_date="2027-06-12")
    big = new_event(w.owner, w.org, start_date="2027-06-10",
                    end_date="2027-06-12")
    bulk(small, uid, 10)
    bulk(big, uid, 1000)
    for ev in (small, big):  # first export inserts the ids
        queries(w.owner, f"/events/{ev}/schedule.xml")
    q = [queries(w.owner, f"/events/{ev}/schedule.{fmt}")
         for fmt in ("xml", "json") for ev in (small, big)]
    assert q[0] == q[1] and q[2] == q[3], q
    root = ET.fromstring(get(w.owner, f"/events/{big}/schedule.xml").content)
    assert len(list(root.iter("event"))) == 1000


# --- CSV ----------------------------------------------------------------------

def rows_of(r):
    import csv
    import io
    body = r.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body[3:].decode("utf-8")
    # Rows end in CRLF: a bare LF only ever sits inside a quoted cell.
    assert text.endswith("\r\n")
    assert re.search(r'[^\r"]\n"', text) is None
    return list(csv.reader(io.StringIO(text, newline="")))


def test_schedule_csv(w):
    r = get(w.owner, f"/events/{w.event}/schedule.csv?from=2027-03-27"
            f"&to=2027-03-27")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == (
        f'attachment; filename="{w.code}-schedule-2027-03-27-2027-03-27.csv"')
    assert r.content.endswith(b"\r\n")
    assert b"\n" not in r.content.replace(b"\r\n", b"")
    rows = rows_of(r)
    head = rows[0]
    assert head[:5] == ["date", "start", "end", "utc_offset", "timezone"]
    by = {row[head.index("name")]: row for row in rows[1:]}
    b = by["Crew briefing"]
    assert b[1:4] == ["2027-03-27 09:00", "2027-03-27 09:30",
                    "UTC+01:00"]
    assert by["Build days"][head.index("all_day")] == "yes"
    assert by["Load-in window"][head.index("type")] == "time frame"
    assert by["Cancelled thing"][head.index("cancelled")] == "yes"
    # Next day: summer time.
    rows = rows_of(get(w.owner, f"/events/{w.event}/schedule.csv?"
                                f"from=2027-03-28&to=2027-03-28"))
    b = [row for row in rows if row[6] == "Crew briefing"][0]
    assert b[3] == "UTC+02:00"
    # The vendor's CSV holds what the vendor's list shows.
    names = {row[6] for row in rows_of(get(
        w.vendor, f"/events/{w.event}/schedule.csv"))[1:]}
    assert "Crew briefing" in names and "Load-in marathon" not in names
    r = get(w.owner, f"/api/v1/events/{w.event}/schedule.csv?"
            f"from=2027-13-01", 422)
    assert r.json()["detail"].startswith("from:")
    r = get(w.owner, f"/events/{w.event}/schedule.csv?from=2027-03-29"
            f"&to=2027-03-27", 422)
    assert "to" in r.text


def task(b, ev, expect=303, **fields):
    data = {"name": "Task " + uuid.uuid4().hex[:6]}
    data.update(fields)
    b.get(f"/events/{ev}/tasks/new")
    r = b.post(f"/events/{ev}/tasks", data)
    assert r.status_code == expect, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


def test_tasks_csv_quoting_guard_filters_and_visibility(w):
    ev = w.event
    t1 = task(w.owner, ev, name='=HYPERLINK("http://x.test","click")',
              due_date="2027-03-28", assignees=[f"collaborator:{w.v1}"])
    t2 = task(w.owner, ev, name="Rig, \"truss\"; 3 m",
              due_date="2027-03-29", priority="high")
    t3 = task(w.owner, ev, name="-2+3 @home", priority="low",
              assignees=[f"collaborator:{w.v2}"])
    r = get(w.owner, f"/events/{ev}/tasks.csv")
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="{w.code}-tasks.csv"'
    body = r.content
    assert body.startswith(b'\xef\xbb\xbf"id","name",')
    assert b'"\'=HYPERLINK(""http://x.test"",""click"")"' in body
    assert b'"Rig, ""truss""' in body
    assert b'"\'-2+3 @home"' in body
    rows = rows_of(r)
    head = rows[0]
    ids = [int(x[0]) for x in rows[1:]]
    assert {t1, t2, t3} <= set(ids)
    # The list's filters apply.
    rows = rows_of(get(w.owner, f"/events/{ev}/tasks.csv?priority=high"))
    assert [int(x[0]) for x in rows[1:]] == [t2]
    rows = rows_of(get(w.owner, f"/events/{ev}/tasks.csv?sort=due"))
    got = [int(x[0]) for x in rows[1:]]
    assert got.index(t1) < got.index(t2) < got.index(t3)
    r = get(w.owner, f"/events/{ev}/tasks.csv?priority=extreme", 400)
    assert "priority" in r.text
    r = get(w.owner, f"/events/{ev}/tasks.csv?due_from=tomorrow", 400)
    assert "due_from" in r.text.lower() or "due from" in r.text.lower()
    # The vendor sees their collaborator's task only, as in the list.
    vis = {int(x[0]) for x in rows_of(get(w.vendor,
                                          f"/events/{ev}/tasks.csv"))[1:]}
    assert t1 in vis and t3 not in vis
    html = get(w.vendor, f"/api/v1/events/{ev}/tasks").json()

    def ids_of(items):
        out = set()
        for t in items:
            out.add(t["id"])
        return out
    assert vis == ids_of(html["tasks"])
    assert head[head.index("due_date")] == "due_date"
