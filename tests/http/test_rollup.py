"""Organization roll-ups (issue 6 item 4; PRODUCT §15, FEEDS §8): the
task roll-up and the combined schedule as HTML, JSON and our own XML,
validated against the XSD we ship (and a set of broken documents that
must fail it); archived events and other organizations never appear;
each event's visibility rules hold; a fixed query count."""

import os
import re
import subprocess
import tempfile
import uuid

import pytest

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from world import put_on_event, uid_of, vendor_contact, insert_collab, \
    add_member, VIEWER

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
XSD = os.path.join(ROOT, "public", "schemas", "backops-rollup-1.xsd")
NS = "{urn:uuid:5bd03a66-cc7c-4511-b99d-609dfac4f744}"


class W:
    pass


def status_id(ev, name):
    return int(sql_one(f"SELECT id FROM task_statuses WHERE event_id = {ev}"
                       f" AND name = '{name}'"))


def add_task(b, ev, **fields):
    data = {"name": "T " + uuid.uuid4().hex[:6]}
    data.update(fields)
    b.get(f"/events/{ev}/tasks/new")
    r = b.post(f"/events/{ev}/tasks", data)
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


def add_activity(b, ev, **fields):
    data = {"name": "A " + uuid.uuid4().hex[:6], "start_date": "2027-06-10",
            "start_time": "10:00", "end_date": "2027-06-10",
            "end_time": "11:00"}
    data.update(fields)
    b.get(f"/events/{ev}/schedule")
    r = b.post(f"/events/{ev}/activities", data)
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="rowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=2, event_pro=6)
    w.pool = int(sql_one(f"SELECT id FROM license_pools WHERE org_id = "
                         f"{w.org} AND product = 'event_pro'"))
    w.ev1 = new_event(w.owner, w.org, name="Rollup One",
                      start_date="2027-06-10", end_date="2027-06-12")
    w.ev2 = new_event(w.owner, w.org, name="Rollup Two",
                      start_date="2027-07-01", end_date="2027-07-02",
                      timezone="America/New_York")
    w.arch = new_event(w.owner, w.org, name="Rollup Archived")
    w.v1 = insert_collab(w.ev1, "Rollup Sound")
    w.v2 = insert_collab(w.ev1, "Rollup Catering")
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES (UUID(), {w.ev1}, 'Main Stage', 'main stage', "
        f"UTC_TIMESTAMP(3))")
    w.area = int(sql_one(f"SELECT id FROM areas WHERE event_id = {w.ev1}"))
    # Org Standard member on ev1 only (viewer grants).
    w.member = new_user(tag="rmember")
    add_member(w.org, w.member, "member", "org_standard")
    host1 = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                        f"{w.ev1} AND is_host = 1"))
    put_on_event(w.ev1, w.member, host1, VIEWER, w.pool)
    # Org Pro member on no event: sees every active event.
    w.pro = new_user(tag="rpro")
    add_member(w.org, w.pro, "member", "org_pro")
    # A vendor contact of Rollup Sound on ev1 (not an org member).
    w.vendor = new_user(tag="rvendor")
    put_on_event(w.ev1, w.vendor, w.v1, vendor_contact(w.v1))
    w.stranger = new_user(tag="rstranger")
    w.other_org = new_org(w.stranger)

    w.t_parent = add_task(w.owner, w.ev1, name="Book stage crew",
                          due_date="2027-06-01", priority="high",
                          areas=["", str(w.area)],
                          assignees=["", f"collaborator:{w.v1}"],
                          reviewers=["", str(uid_of(w.member))])
    w.t_child = add_task(w.owner, w.ev1, name="Confirm crew list",
                         parent=str(w.t_parent), due_date="2027-06-05",
                         due_time="17:00")
    w.t_internal = add_task(w.owner, w.ev1, name="Internal budget")
    w.t_ev2 = add_task(w.owner, w.ev2, name="Ship barricades",
                       due_date="2027-05-20")
    w.t_arch_state = add_task(w.owner, w.ev2, name="Old archived task",
                              status=str(status_id(w.ev2, "Archived")))
    w.t_arch_event = add_task(w.owner, w.arch, name="In archived event")
    w.a_global = add_activity(w.owner, w.ev1, name="Gates open", **{
        "global": "1"})
    w.a_vendor = add_activity(w.owner, w.ev1, name="Soundcheck",
                              participants=[f"collaborator:{w.v1}"],
                              areas=[str(w.area)])
    w.a_internal = add_activity(w.owner, w.ev1, name="Budget meeting")
    w.a_ev2 = add_activity(w.owner, w.ev2, name="NY briefing",
                           start_date="2027-07-01", end_date="2027-07-01",
                           repeat="daily", until="2027-07-02", **{
                               "global": "1"})
    w.a_arch = add_activity(w.owner, w.arch, name="Archived gates", **{
        "global": "1"})
    w.owner.get(f"/events/{w.arch}/settings")
    r = w.owner.post(f"/events/{w.arch}/archive", {})
    assert r.status_code == 303, r.text[:500]
    return w


def api(b, path, expect=200):
    r = b.s.get(BASE + "/api/v1" + path)
    assert r.status_code == expect, r.text[:1000]
    return r.json()


def names(j):
    return [t["name"] for t in j["tasks"]]


def test_task_rollup_orders_and_excludes_archived(w):
    j = api(w.owner, f"/orgs/{w.org}/tasks")
    got = names(j)
    # Due first (soonest), undated last; archived state and event out.
    assert got[:3] == ["Ship barricades", "Book stage crew",
                       "Confirm crew list"]
    assert "Internal budget" in got[3:]
    assert "Old archived task" not in got and "In archived event" not in got
    row = j["tasks"][0]
    assert row["event"]["name"] == "Rollup Two"
    assert row["status"]["state"] == "todo"
    j = api(w.owner, f"/orgs/{w.org}/tasks?archived=1")
    assert "Old archived task" in names(j)
    assert "In archived event" not in names(j)


def test_task_rollup_filters(w):
    j = api(w.owner, f"/orgs/{w.org}/tasks?event={w.ev2}")
    assert names(j) == ["Ship barricades"]
    j = api(w.owner, f"/orgs/{w.org}/tasks?due_from=2027-06-02&"
                     f"due_to=2027-06-30")
    assert names(j) == ["Confirm crew list"]
    j = api(w.owner, f"/orgs/{w.org}/tasks?assignee=collaborator:{w.v1}")
    assert names(j) == ["Book stage crew"]
    j = api(w.owner, f"/orgs/{w.org}/tasks?status=in%20review")
    assert names(j) == []
    r = w.owner.s.get(BASE + f"/api/v1/orgs/{w.org}/tasks?state=closed")
    assert r.status_code == 400


def test_task_rollup_follows_event_visibility(w):
    # Org Standard member: ev1 only (not ev2, not on it).
    got = names(api(w.member, f"/orgs/{w.org}/tasks"))
    assert "Book stage crew" in got and "Internal budget" in got
    assert "Ship barricades" not in got
    # Org Pro: every active event.
    got = names(api(w.pro, f"/orgs/{w.org}/tasks"))
    assert "Ship barricades" in got and "Book stage crew" in got
    # Other organizations: 404; vendors are not members.
    assert w.stranger.get(f"/orgs/{w.org}/tasks").status_code == 404
    assert w.vendor.get(f"/orgs/{w.org}/tasks").status_code == 404


def test_my_work_in_the_personal_workspace(w):
    pid = int(sql_one(f"SELECT id FROM orgs WHERE kind = 'personal' AND "
                      f"personal_user_id = {uid_of(w.vendor)}"))
    got = names(api(w.vendor, f"/orgs/{pid}/tasks"))
    # The vendor sees their collaborator's task only, across events.
    assert got == ["Book stage crew"]
    page = w.vendor.get(f"/orgs/{pid}/tasks").text
    assert "My work" in page and "Book stage crew" in page
    j = api(w.vendor, f"/orgs/{pid}/schedule?from=2027-06-01&to=2027-07-31")
    got = [o["name"] for o in j["occurrences"]]
    assert "Soundcheck" in got and "Gates open" in got
    assert "Budget meeting" not in got and "NY briefing" not in got


def test_combined_schedule(w):
    j = api(w.pro, f"/orgs/{w.org}/schedule?from=2027-06-01&to=2027-07-31")
    got = [o["name"] for o in j["occurrences"]]
    # Global ones of every active event; the Org Pro observer takes part
    # in nothing else. The daily series expands.
    assert got.count("NY briefing") == 2
    assert "Gates open" in got
    assert "Soundcheck" not in got and "Archived gates" not in got
    ny = [o for o in j["occurrences"] if o["name"] == "NY briefing"][0]
    assert ny["event_name"] == "Rollup Two"
    # Each item in its event's zone by default.
    page = w.pro.get(f"/orgs/{w.org}/schedule?from=2027-06-01&"
                     f"to=2027-07-31").text
    assert "NY briefing" in page and "each event" in page
    r = w.pro.s.get(BASE + f"/api/v1/orgs/{w.org}/schedule?from=2027-06-01"
                    f"&to=2028-07-31")
    assert r.status_code == 422
    r = w.pro.s.get(BASE + f"/api/v1/orgs/{w.org}/schedule?zone=mars")
    assert r.status_code == 422


def xml_of(b, path, expect=200):
    r = b.s.get(BASE + path)
    assert r.status_code == expect, r.text[:500]
    assert r.headers["Content-Type"].startswith("application/xml")
    return r.content


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


def test_rollup_xml_validates_against_the_shipped_xsd(w):
    import xml.etree.ElementTree as ET
    for kind in ("schedule", "tasks"):
        data = xml_of(w.owner, f"/orgs/{w.org}/{kind}.xml?past_days=366")
        rc, err = xmllint(data)
        assert rc == 0, err + data.decode()[:3000]
        root = ET.fromstring(data)
        assert root.tag == NS + "rollup" and root.get("kind") == kind
        # The child matches kind (the XSD can't tie them).
        assert root.find(NS + kind) is not None
        assert root.find(NS + ("tasks" if kind == "schedule" else
                               "schedule")) is None
        evs = [e.get("code") for e in root.iter(NS + "event")]
        assert len(evs) == 2  # not the archived event
    root = ET.fromstring(xml_of(w.owner, f"/orgs/{w.org}/tasks.xml?"
                                         f"past_days=366"))
    tasks = {t.find(NS + "title").text: t for t in root.iter(NS + "task")}
    assert "Old archived task" not in tasks
    child = tasks["Confirm crew list"]
    assert child.get("parent") == tasks["Book stage crew"].get("guid")
    assert child.get("due") == "2027-06-05T17:00:00+02:00"
    assert tasks["Book stage crew"].get("due") == "2027-06-01"
    assert tasks["Book stage crew"].find(NS + "status").get("color") \
        .startswith("#")
    root = ET.fromstring(xml_of(w.owner, f"/orgs/{w.org}/schedule.xml?"
                                         f"past_days=366"))
    acts = {a.find(NS + "title").text: a for a in root.iter(NS + "activity")}
    # Series once, with its rule; times with their event's offset.
    ny = acts["NY briefing"]
    assert ny.find(NS + "recurrence").get("freq") == "daily"
    assert ny.get("start") == "2027-07-01T10:00:00-04:00"
    assert acts["Gates open"].get("start") == "2027-06-10T10:00:00+02:00"
    assert "Archived gates" not in acts
    r = w.owner.s.get(BASE + f"/orgs/{w.org}/tasks.xml?past_days=999")
    assert r.status_code == 400


def test_xml_follows_visibility(w):
    import xml.etree.ElementTree as ET
    root = ET.fromstring(xml_of(w.member, f"/orgs/{w.org}/tasks.xml?"
                                          f"past_days=366"))
    titles = {t.find(NS + "title").text for t in root.iter(NS + "task")}
    assert "Ship barricades" not in titles and "Book stage crew" in titles
    assert w.stranger.s.get(BASE + f"/orgs/{w.org}/tasks.xml"
                            ).status_code == 404


def mutate_one(data, old, new):
    """Replace the first match of the regex old in data (bytes) by new;
    the mutation must apply."""
    text = data.decode()
    out, n = re.subn(old, new, text, count=1)
    assert n == 1, f"nothing matched {old}"
    return out.encode()


def test_xsd_refuses_broken_documents(w):
    """The XSD is strict: documents we produce, broken one way each, must
    fail it."""
    sched = xml_of(w.owner, f"/orgs/{w.org}/schedule.xml?past_days=366")
    tasks = xml_of(w.owner, f"/orgs/{w.org}/tasks.xml?past_days=366")
    guids = re.findall(r'<activity id="\d+" guid="([0-9a-f-]{36})"',
                       sched.decode())
    assert len(guids) >= 2
    broken = {
        "dangling event": mutate_one(
            sched, r'(<activity [^>]*event=")[0-9a-f-]{36}',
            r"\g<1>00000000-0000-4000-8000-000000000000"),
        "duplicate activity guid": mutate_one(
            sched, 'guid="' + guids[1] + '"', 'guid="' + guids[0] + '"'),
        "missing offset": mutate_one(
            sched, r'(start="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)[+-]\d\d:\d\d"',
            r'\g<1>"'),
        "dangling area reference": mutate_one(
            sched, r'<area_ref area="[0-9a-f-]{36}"',
            '<area_ref area="00000000-0000-4000-8000-000000000001"'),
        "unknown state": mutate_one(tasks, r'state="todo"', 'state="open"'),
        "task parent pointing nowhere": mutate_one(
            tasks, r'parent="[0-9a-f-]{36}"',
            'parent="00000000-0000-4000-8000-000000000002"'),
        "upper-case guid": mutate_one(
            tasks, r'(<organization id="\d+" guid=")([0-9a-f-]{36})',
            lambda m: m.group(1) + m.group(2).upper()),
        "bad colour": mutate_one(tasks, r'color="#[0-9a-f]{6}"',
                                 'color="orange"'),
        "empty title": mutate_one(tasks, r"<title>[^<]+</title>",
                                  "<title> </title>"),
    }
    assert xmllint(sched)[0] == 0 and xmllint(tasks)[0] == 0
    for name, doc in broken.items():
        rc, err = xmllint(doc)
        assert rc != 0, f"{name} validated"


def test_rollup_query_count_does_not_grow(w):
    small = new_org(w.owner, org_standard=2, org_pro=0, event_pro=2)
    large = new_org(w.owner, org_standard=2, org_pro=0, event_pro=2)
    uid = uid_of(w.owner)
    for org, n in ((small, 5), (large, 600)):
        ev = new_event(w.owner, org, name="Bulk " + uuid.uuid4().hex[:4])
        st = status_id(ev, "To Do")
        rows = ",".join(
            f"(UUID(), {ev}, {org}, 'Bulk task {i}', {st}, {uid}, "
            f"'2027-06-1{i % 3}', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))"
            for i in range(n))
        sql("INSERT INTO tasks (uuid, event_id, org_id, name, status_id,"
            " created_by, due_date, created_at, updated_at) VALUES " + rows)
        acts = ",".join(
            f"(UUID(), {ev}, 'activity', 'Bulk act {i}', 0, "
            f"'2027-06-10 08:00:00', '2027-06-10 09:00:00', 1, {uid}, "
            f"UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))" for i in range(n))
        sql("INSERT INTO activities (uuid, event_id, kind, name, all_day, "
            "start_utc, end_utc, is_global, created_by, created_at, "
            "updated_at) VALUES " + acts)
    for org in (small, large):
        w.owner.get(f"/orgs/{org}/tasks")  # the workspace is remembered
    counts = {}
    for org in (small, large):
        for path in ("tasks", "schedule?from=2027-06-01&to=2027-06-30",
                     "tasks.xml", "schedule.xml"):
            r = w.owner.s.get(BASE + f"/orgs/{org}/{path}")
            assert r.status_code == 200, r.text[:300]
            counts.setdefault(path, []).append(
                int(r.headers["X-Debug-Queries"]))
    for path, (a, b) in counts.items():
        assert a == b, (path, a, b)
    j = api(w.owner, f"/orgs/{large}/tasks")
    assert j["total"] == 600 and len(j["tasks"]) == 100
    j = api(w.owner, f"/orgs/{large}/tasks?page=6")
    assert len(j["tasks"]) == 100
    j = api(w.owner, f"/orgs/{large}/tasks?page=7")
    assert len(j["tasks"]) == 0


def test_combined_schedule_feed(w):
    """The org_schedule iCal feed (FEEDS §2): the same items as the page,
    each series once with its rule, re-checked on every fetch."""
    from test_feeds import subscribe, fetch, events_of
    page = w.pro.get(f"/orgs/{w.org}/schedule").text
    assert "Subscribe" in page
    tok = subscribe(w.pro, "org_schedule", w.org)
    r = fetch(tok, params={"past_days": "366"})
    assert r.status_code == 200, r.text[:500]
    vevents = list(events_of(r.content)[1].values())
    titles = [str(e.get("SUMMARY")) for e in vevents]
    assert "NY briefing" in titles and "Gates open" in titles
    assert "Budget meeting" not in titles and "Archived gates" not in titles
    ny = [e for e in vevents if str(e.get("SUMMARY")) == "NY briefing"][0]
    assert ny.get("RRULE") is not None
    assert str(ny.get("DTSTART").params.get("TZID")) == "America/New_York"
    # The task due dates of the same organization.
    ttok = subscribe(w.pro, "org_tasks", w.org)
    r = fetch(ttok, params={"past_days": "366"})
    assert r.status_code == 200, r.text[:500]
    due = {str(e.get("SUMMARY")): e for e in
           events_of(r.content)[1].values()}
    assert "Due: Ship barricades" in due and "Due: Book stage crew" in due
    assert "Due: Internal budget" not in due  # no due date
    assert "Due: Old archived task" not in due
    ship = due["Due: Ship barricades"]
    assert ship.get("DTSTART").dt.isoformat() == "2027-05-20"
    assert ship.get("DTEND").dt.isoformat() == "2027-05-21"
    assert "Rollup Two" in str(ship.get("DESCRIPTION"))
    # Not a member: no feed for this organization.
    subscribe(w.stranger, "org_schedule", w.org, expect=404)
    subscribe(w.stranger, "org_tasks", w.org, expect=404)
    # A member who leaves loses the feed on the next fetch.
    sql(f"DELETE FROM org_members WHERE org_id = {w.org} AND user_id = "
        f"{uid_of(w.pro)}")
    assert fetch(tok).status_code == 404
    assert fetch(ttok).status_code == 404
