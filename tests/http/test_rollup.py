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


# --- paging in SQL (issue: the roll-up pages in SQL) ------------------------
# Truth is computed here from the rows in the database with the rules of
# PRODUCT §9 and §15 (order: due, empty last; due time, a date alone at the
# end of its day; event id; position; id) and compared with what the pages
# serve, page by page.

def bulk_tasks(ev, n, owner_uid, prefix, due=None):
    """n tasks in ev, by SQL; due(i) gives (due_date, due_time) or None."""
    org = sql_one(f"SELECT org_id FROM events WHERE id = {ev}")
    sts = {r[1]: int(r[0]) for r in sql(
        f"SELECT id, name FROM task_statuses WHERE event_id = {ev}")}
    order = ["To Do", "In Progress", "To Do", "Done", "In Review", "To Do",
             "In Progress", "To Do", "Done", "Archived"]
    rows = []
    for i in range(n):
        d = due(i) if due else None
        dd = f"'{d[0]}'" if d and d[0] else "NULL"
        dt = f"'{d[1]}'" if d and d[1] else "NULL"
        rows.append(f"(UUID(), {ev}, {org}, '{prefix} {i:04d}', "
                    f"{sts[order[i % 10]]}, {dd}, {dt}, {(i * 7) % 13}, "
                    f"{owner_uid}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    for k in range(0, len(rows), 500):
        sql("INSERT INTO tasks (uuid, event_id, org_id, name, status_id, "
            "due_date, due_time, position, created_by, created_at, "
            "updated_at) VALUES " + ",".join(rows[k:k + 500]))
    return [int(r[0]) for r in sql(
        f"SELECT id FROM tasks WHERE event_id = {ev} AND name LIKE "
        f"'{prefix} %' ORDER BY name")]


def spread_due(i):
    """Five days, some with a time, every 6th undated, a few long past."""
    if i % 6 == 5:
        return None
    if i % 17 == 3:
        return ("2020-01-0%d" % (1 + i % 3), None)
    times = [None, "09:00", "17:30", None, "23:59"]
    return ("2030-03-0%d" % (1 + i % 5), times[(i // 5) % 5])


def link(kind, task, ev, **who):
    if kind == "area":
        sql(f"INSERT INTO task_areas (task_id, event_id, area_id) VALUES "
            f"({task}, {ev}, {who['area']})")
        return
    col = "user_id" if "user" in who else "collaborator_id"
    val = who.get("user", who.get("collab"))
    sql(f"INSERT INTO task_people (task_id, event_id, role, {col}) VALUES "
        f"({task}, {ev}, '{kind}', {val})")


@pytest.fixture(scope="module")
def pw():
    w = W()
    w.owner = new_user(tag="powner")
    w.org = new_org(w.owner, org_standard=8, org_pro=2, event_pro=8)
    w.pool = int(sql_one(f"SELECT id FROM license_pools WHERE org_id = "
                         f"{w.org} AND product = 'event_pro'"))
    ou = uid_of(w.owner)
    w.ev_a = new_event(w.owner, w.org, name="Paging A")
    w.ev_b = new_event(w.owner, w.org, name="Paging B",
                       timezone="America/New_York")
    w.ev_c = new_event(w.owner, w.org, name="Paging C")
    w.ev_arch = new_event(w.owner, w.org, name="Paging Archived")
    w.va1 = insert_collab(w.ev_a, "Paging Sound")
    w.va2 = insert_collab(w.ev_a, "Paging Light")
    w.host_a = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                           f"{w.ev_a} AND is_host = 1"))
    w.host_b = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                           f"{w.ev_b} AND is_host = 1"))
    for ev, name in ((w.ev_a, "Paging Stage"), (w.ev_b, "Paging Gate")):
        sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, "
            f"created_at) VALUES (UUID(), {ev}, '{name}', LOWER('{name}'), "
            f"UTC_TIMESTAMP(3))")
    w.area_a = int(sql_one(f"SELECT id FROM areas WHERE event_id = "
                           f"{w.ev_a}"))
    w.area_b = int(sql_one(f"SELECT id FROM areas WHERE event_id = "
                           f"{w.ev_b}"))
    w.ta = bulk_tasks(w.ev_a, 150, ou, "PA", spread_due)
    w.tb = bulk_tasks(w.ev_b, 80, ou, "PB", spread_due)
    w.tc = bulk_tasks(w.ev_c, 3, ou, "PC", spread_due)
    bulk_tasks(w.ev_arch, 5, ou, "PX", spread_due)

    # People, each an Org Standard member (the roll-up is for members).
    def member(tag):
        b = new_user(tag=tag)
        add_member(w.org, b, "member", "org_standard")
        return b
    # Collaborator-scoped: tasks view over Paging Sound's tasks.
    w.by_collab = member("pcollab")
    put_on_event(w.ev_a, w.by_collab, w.host_a,
                 [("collaborator", w.va1, "tasks", 1)], w.pool)
    # Area-scoped in A (area lead of the stage), everything in B and C:
    # most events seen whole, so the roll-up walks the organization's
    # index and lets A's tasks through by what the user sees there.
    w.by_area = member("parea")
    put_on_event(w.ev_a, w.by_area, w.host_a,
                 [("area", w.area_a, "tasks", 3)], w.pool)
    put_on_event(w.ev_b, w.by_area, w.host_b, VIEWER, w.pool)
    host_c = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                         f"{w.ev_c} AND is_host = 1"))
    put_on_event(w.ev_c, w.by_area, host_c, VIEWER, w.pool)
    # Assignee: no tasks grant; assigned directly or through Light.
    w.assignee = member("passignee")
    put_on_event(w.ev_a, w.assignee, w.va2, [], w.pool)
    # Reviewer: no tasks grant.
    w.reviewer = member("previewer")
    put_on_event(w.ev_a, w.reviewer, w.host_a, [], w.pool)
    # Free collaborator user (no seat): Sound's vendor contact, with an
    # area grant the license caps.
    w.free = member("pfree")
    put_on_event(w.ev_a, w.free, w.va1,
                 vendor_contact(w.va1) + [("area", w.area_a, "tasks", 1)])
    # Org Pro: every active event, on none.
    w.pro = new_user(tag="ppro")
    add_member(w.org, w.pro, "member", "org_pro")
    w.stranger = new_user(tag="pstranger")
    new_org(w.stranger)

    au, ru = uid_of(w.assignee), uid_of(w.reviewer)
    for i, t in enumerate(w.ta):
        if i % 4 == 0:
            link("assignee", t, w.ev_a, collab=w.va1)
        if i % 5 == 1:
            link("area", t, w.ev_a, area=w.area_a)
        if i % 7 == 2:
            link("assignee", t, w.ev_a, user=au)
        if i % 11 == 3:
            link("assignee", t, w.ev_a, collab=w.va2)
        if i % 9 == 4:
            link("reviewer", t, w.ev_a, user=ru)
        if i % 13 == 6:
            link("assignee", t, w.ev_a, user=ou)
    for i, t in enumerate(w.tb):
        if i % 3 == 0:
            link("area", t, w.ev_b, area=w.area_b)
        if i % 8 == 1:
            link("reviewer", t, w.ev_b, user=ru)  # not on B: hidden
    w.owner.get(f"/events/{w.ev_arch}/settings")
    r = w.owner.post(f"/events/{w.ev_arch}/archive", {})
    assert r.status_code == 303, r.text[:500]
    return w


def truth(w, events, keep=lambda row: True, archived=False):
    """The tasks of events in roll-up order, as rows (id, event, due date,
    due time, state, status name), filtered by keep; Archived state out
    unless archived."""
    rows = sql(
        "SELECT t.id, t.event_id, COALESCE(DATE_FORMAT(t.due_date, "
        "'%Y-%m-%d'), ''), COALESCE(t.due_time, ''), t.position, s.state, "
        "s.name FROM tasks t JOIN task_statuses s ON s.id = t.status_id "
        f"WHERE t.event_id IN ({','.join(str(e) for e in events)})")
    out = [(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), r[5], r[6])
           for r in rows]
    out = [r for r in out if (archived or r[5] != "archived") and keep(r)]
    out.sort(key=lambda r: (r[2] == "", r[2], r[3] or "24:00", r[1], r[4],
                            r[0]))
    return out


def jget(b, path):
    """JSON of a page's own path (Accept), past the API's rate limit: these
    tests read many pages."""
    return b.get(path, headers={"Accept": "application/json"})


def page_json(b, path):
    r = jget(b, path)
    assert r.status_code == 200, r.text[:500]
    return r.json()


def all_pages(b, path):
    """Every page of a roll-up (JSON), following next_url; returns the
    tasks and the pages."""
    pages, url = [], path
    while url:
        j = page_json(b, url)
        pages.append(j)
        assert len(pages) < 30
        url = j["next_url"]
    return [t for j in pages for t in j["tasks"]], pages


def ids(tasks):
    return [t["id"] for t in tasks]


def test_pages_follow_the_order_and_link_each_other(pw):
    want = truth(pw, [pw.ev_a, pw.ev_b, pw.ev_c])
    assert 200 < len(want) < 300
    got, pages = all_pages(pw.owner, f"/orgs/{pw.org}/tasks")
    assert ids(got) == [r[0] for r in want]
    assert [len(j["tasks"]) for j in pages] == [100, 100, len(want) - 200]
    for n, j in enumerate(pages, 1):
        assert j["page"] == n and j["total"] == len(want)
        assert j["total_capped"] is False
        assert j["prev_url"] == (None if n == 1 else
                                 f"/orgs/{pw.org}/tasks?page={n - 1}")
        assert j["next_url"] == (None if n == 3 else
                                 f"/orgs/{pw.org}/tasks?page={n + 1}")
    # Page 2 on its own, as HTML: the same tasks, links keep the filters.
    page = pw.owner.get(f"/orgs/{pw.org}/tasks?page=2").text
    assert f"{len(want)} task(s)" in page
    first = got[100]
    assert first["name"] in page and got[99]["name"] not in page
    j = page_json(pw.owner, f"/orgs/{pw.org}/tasks?state=todo&page=2")
    assert j["prev_url"] == f"/orgs/{pw.org}/tasks?page=1&state=todo"
    # Past the end: empty, the total still right, a way back.
    j = page_json(pw.owner, f"/orgs/{pw.org}/tasks?page=9")
    assert j["tasks"] == [] and j["total"] == len(want)
    assert j["next_url"] is None and j["prev_url"].endswith("page=8")
    assert jget(pw.owner, f"/orgs/{pw.org}/tasks?page=0").status_code == 400


def test_rows_show_status_phase_and_overdue(pw):
    """Each row names its own status (name, colour, state) and phase, and
    is overdue only when past due and not done or archived: read with the
    page's rows, per event."""
    evs = ",".join(str(e) for e in (pw.ev_a, pw.ev_b, pw.ev_c))
    for ev, tasks in ((pw.ev_a, pw.ta), (pw.ev_b, pw.tb)):
        phases = [int(r[0]) for r in sql(
            f"SELECT id FROM task_phases WHERE event_id = {ev} "
            f"ORDER BY position")]
        assert phases
        for i, t in enumerate(tasks[:30]):
            if i % 3 == 0:
                sql(f"UPDATE tasks SET phase_id = {phases[i % len(phases)]}"
                    f" WHERE id = {t}")
    want = {int(r[0]): (r[1], r[2], r[3], r[4] or None, r[5] == "1")
            for r in sql(
                "SELECT t.id, s.name, s.colour, s.state, COALESCE(p.name, "
                "''), t.due_date < '2021-01-01' AND s.state NOT IN ('done',"
                " 'archived') FROM tasks t JOIN task_statuses s ON s.id = "
                "t.status_id LEFT JOIN task_phases p ON p.id = t.phase_id "
                f"WHERE t.event_id IN ({evs})")}
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?archived=1")
    assert len(got) == len(want)
    for t in got:
        st = t["status"]
        assert (st["name"], st["colour"], st["state"], t["phase"],
                t["overdue"]) == want[t["id"]], t["name"]
    assert {w[3] for w in want.values()} - {None}
    assert any(w[4] for w in want.values())
    # Past due but done or archived: never overdue.
    assert any(not w[4] and w[2] in ("done", "archived")
               for i, w in want.items() if i in pw.ta[3::17])


def test_rows_keep_people_and_areas_in_the_events_order(pw):
    """A row's assignees come in the order they were added and its area
    tags in the areas' order (position, then name), as on the event's own
    task page; people and tags are read for the whole page at once."""
    t, ev = pw.tc[1], pw.ev_c
    for name, pos in (("Tag Zulu", 1), ("Tag Bravo", 5), ("Tag Alpha", 5)):
        sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, position,"
            f" created_at) VALUES (UUID(), {ev}, '{name}', LOWER('{name}'), "
            f"{pos}, UTC_TIMESTAMP(3))")
    area = {r[1]: int(r[0]) for r in sql(
        f"SELECT id, name FROM areas WHERE event_id = {ev} AND name LIKE "
        "'Tag %'")}
    for name in ("Tag Bravo", "Tag Alpha", "Tag Zulu"):
        link("area", t, ev, area=area[name])
    crew = [insert_collab(ev, n) for n in ("Paging Zed Co", "Paging Abc Co")]
    link("assignee", t, ev, collab=crew[0])
    link("assignee", t, ev, user=uid_of(pw.owner))
    link("assignee", t, ev, collab=crew[1])
    link("reviewer", t, ev, user=uid_of(pw.owner))
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?event={ev}")
    row = next(x for x in got if x["id"] == t)
    assert [a["name"] for a in row["areas"]] == [
        "Tag Zulu", "Tag Alpha", "Tag Bravo"]
    assert [(a["kind"], a["name"]) for a in row["assignees"]] == [
        ("collaborator", "Paging Zed Co"),
        ("user", sql_one(f"SELECT name FROM users WHERE id = "
                         f"{uid_of(pw.owner)}")),
        ("collaborator", "Paging Abc Co")]
    own = page_json(pw.owner, f"/events/{ev}/tasks/{t}")
    own = own.get("task", own)
    assert [a["name"] for a in own["areas"]] == \
        [a["name"] for a in row["areas"]]
    assert [a["name"] for a in own["assignees"]] == \
        [a["name"] for a in row["assignees"]]
    # The other rows of the page keep theirs (none here).
    assert all(x["areas"] == [] and x["assignees"] == []
               for x in got if x["id"] != t)


def test_events_come_in_start_date_order():
    """The roll-up's events (the filter's list, the order of ties) by
    start date, then uuid, whatever order they were made in; the same in
    the personal workspace."""
    owner = new_user(tag="rorder")
    org = new_org(owner, org_standard=2, org_pro=0, event_pro=5)
    made = {name: new_event(owner, org, name=name, start_date=d,
                            end_date=d)
            for name, d in (("Order Late", "2027-09-01"),
                            ("Order Early", "2027-05-01"),
                            ("Order Mid A", "2027-07-01"),
                            ("Order Mid B", "2027-07-01"))}
    want = [int(x[0]) for x in sql(
        f"SELECT id FROM events WHERE org_id = {org} AND status = 'active'"
        " ORDER BY start_date, uuid")]
    assert sorted(want) == sorted(made.values())
    assert want[0] == made["Order Early"] and want[-1] == made["Order Late"]
    got = [e["id"] for e in page_json(owner, f"/orgs/{org}/tasks")["events"]]
    assert got == want
    pid = int(sql_one(f"SELECT id FROM orgs WHERE kind = 'personal' AND "
                      f"personal_user_id = {uid_of(owner)}"))
    mine = [e["id"] for e in page_json(owner, f"/orgs/{pid}/tasks")["events"]]
    assert mine == want


def test_ties_break_by_event_then_position(pw):
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?due_from=2030-03-02"
                                 f"&due_to=2030-03-02")
    keys = [(t["due_time"] or "24:00", t["event"]["id"]) for t in got]
    assert keys == sorted(keys)
    assert {t["event"]["id"] for t in got} == {pw.ev_a, pw.ev_b, pw.ev_c}
    # A date alone sorts after every time of that day.
    assert got[-1]["due_time"] is None and got[0]["due_time"] == "09:00"


def test_archived_state_hidden_unless_asked(pw):
    evs = [pw.ev_a, pw.ev_b, pw.ev_c]
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks")
    assert all(t["status"]["state"] != "archived" for t in got)
    want = truth(pw, evs, archived=True)
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?archived=1")
    assert ids(got) == [r[0] for r in want]
    want = truth(pw, evs, lambda r: r[5] == "archived", archived=True)
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?state=archived")
    assert ids(got) == [r[0] for r in want] and want
    # The archived event stays out, asked or not.
    arch = {int(r[0]) for r in sql(f"SELECT id FROM tasks WHERE event_id = "
                                   f"{pw.ev_arch}")}
    assert not arch & set(ids(got))


def test_every_filter(pw):
    evs = [pw.ev_a, pw.ev_b, pw.ev_c]
    au = uid_of(pw.assignee)

    def people(role, col, val):
        return {int(r[0]) for r in sql(
            f"SELECT task_id FROM task_people WHERE role = '{role}' AND "
            f"{col} = {val}")}
    mine = people("assignee", "user_id", uid_of(pw.owner))
    cases = {
        f"event={pw.ev_b}": truth(pw, [pw.ev_b]),
        f"event={pw.ev_b}&event={pw.ev_c}": truth(pw, [pw.ev_b, pw.ev_c]),
        "state=done": truth(pw, evs, lambda r: r[5] == "done"),
        "state=todo&state=review": truth(
            pw, evs, lambda r: r[5] in ("todo", "review")),
        "status=IN%20progress": truth(
            pw, evs, lambda r: r[6] == "In Progress"),
        "status=nothing%20like%20this": [],
        "assignee=me": truth(pw, evs, lambda r: r[0] in mine),
        f"assignee=user:{au}": truth(
            pw, evs, lambda r: r[0] in people("assignee", "user_id", au)),
        f"assignee=collaborator:{pw.va1}": truth(
            pw, evs, lambda r: r[0] in people("assignee", "collaborator_id",
                                              pw.va1)),
        "due_from=2030-03-02&due_to=2030-03-03": truth(
            pw, evs, lambda r: "2030-03-02" <= r[2] <= "2030-03-03"
            and r[2] != ""),
        "due_to=2020-12-31": truth(
            pw, evs, lambda r: r[2] != "" and r[2] <= "2020-12-31"),
        "overdue=1": truth(
            pw, evs, lambda r: r[2] != "" and r[2] < "2021-01-01"
            and r[5] not in ("done", "archived")),
        "overdue=1&archived=1": truth(
            pw, evs, lambda r: r[2] != "" and r[2] < "2021-01-01"
            and r[5] not in ("done", "archived"), archived=True),
        f"event={pw.ev_a}&state=done&archived=1": truth(
            pw, [pw.ev_a], lambda r: r[5] in ("done", "archived"),
            archived=True),
    }
    for q, want in cases.items():
        got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?{q}")
        assert ids(got) == [r[0] for r in want], q
    assert cases["overdue=1"] and cases["assignee=me"]
    got, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?overdue=1")
    assert all(t["overdue"] for t in got)
    for bad in ("state=closed", "assignee=someone", "assignee=user:x",
                "due_from=2030-13-01", "page=x"):
        r = jget(pw.owner, f"/orgs/{pw.org}/tasks?{bad}")
        assert r.status_code == 400, bad


def visible_per_event(b, events):
    """The union of the per-event task lists b sees (default filters)."""
    out = set()
    for ev in events:
        r = jget(b, f"/events/{ev}/tasks")
        if r.status_code == 404:
            continue
        assert r.status_code == 200, r.text[:300]
        out |= {t["id"] for t in r.json()["tasks"]}
    return out


def test_scoped_users_see_what_each_event_shows_them(pw):
    evs = [pw.ev_a, pw.ev_b, pw.ev_c]
    order = {r[0]: k for k, r in enumerate(truth(pw, evs))}
    seen = {}
    for who in ("by_collab", "by_area", "assignee", "reviewer", "free",
                "pro", "owner"):
        b = getattr(pw, who)
        want = visible_per_event(b, evs)
        got, _ = all_pages(b, f"/orgs/{pw.org}/tasks")
        assert set(ids(got)) == want, who
        assert ids(got) == sorted(want, key=order.get), who
        seen[who] = want
    # Each rule is exercised: a part of A, more than nothing.
    a = set(pw.ta)
    for who in ("by_collab", "by_area", "assignee", "reviewer", "free"):
        assert 0 < len(seen[who] & a) < len(a) - 15, who
    assert seen["by_area"] >= set(pw.tb) - set(
        r[0] for r in truth(pw, [pw.ev_b], lambda r: r[5] == "archived",
                            archived=True))
    assert seen["pro"] == seen["owner"]
    # The archived event's own list still shows its tasks; the roll-up
    # never does.
    arch = visible_per_event(pw.pro, [pw.ev_arch])
    assert arch and not arch & seen["pro"]
    # Across pages for a scoped user whose tasks fill more than one.
    got, pages = all_pages(pw.by_area, f"/orgs/{pw.org}/tasks")
    assert len(pages) >= 2 and len(got) == len(seen["by_area"])
    # Filtered the same way as the owner's view of those tasks.
    q = "state=todo&due_from=2030-03-01"
    mine, _ = all_pages(pw.by_area, f"/orgs/{pw.org}/tasks?{q}")
    alls, _ = all_pages(pw.owner, f"/orgs/{pw.org}/tasks?{q}")
    assert ids(mine) == [i for i in ids(alls) if i in seen["by_area"]]


def test_every_query_plan_agrees(pw):
    """Every active event seen whole walks the organization's index with
    nothing per event to match; events seen whole holding most of it walk
    the index matching each event (so does overdue, which needs each
    event's clock); one event of three is found and sorted: the same rows
    every way, for whole and scoped sight (the area lead sees A in
    part)."""
    def counted(b, path):
        """Every page, each with the whole count (none is capped here)."""
        got, pages = all_pages(b, path)
        assert all(j["total"] == len(got) and not j["total_capped"]
                   for j in pages)
        return got

    for b in (pw.pro, pw.by_area):
        whole = counted(b, f"/orgs/{pw.org}/tasks?archived=1")
        for ev in (pw.ev_a, pw.ev_b):
            one = counted(b, f"/orgs/{pw.org}/tasks?archived=1&event={ev}")
            assert ids(one) == [t["id"] for t in whole
                                if t["event"]["id"] == ev]
        late = counted(b, f"/orgs/{pw.org}/tasks?archived=1&overdue=1")
        assert late and ids(late) == [t["id"] for t in whole
                                      if t["overdue"]]
    # A member on one event of three: that event's tasks, sorted.
    got = counted(pw.reviewer, f"/orgs/{pw.org}/tasks")
    assert got and {t["event"]["id"] for t in got} == {pw.ev_a}


def test_foreign_and_archived(pw):
    assert jget(pw.stranger, f"/orgs/{pw.org}/tasks").status_code == 404
    assert pw.stranger.get(f"/orgs/{pw.org}/tasks").status_code == 404
    # A filter naming an event of another organization or an archived
    # one picks nothing.
    other = new_event(pw.stranger, int(sql_one(
        f"SELECT org_id FROM org_members WHERE user_id = "
        f"{uid_of(pw.stranger)} LIMIT 1")))
    for ev in (other, pw.ev_arch):
        j = page_json(pw.owner, f"/orgs/{pw.org}/tasks?event={ev}&archived=1")
        assert j["tasks"] == [] and j["total"] == 0


def test_my_work_pages_across_organizations(pw):
    """The personal workspace: every event the user is on, any org."""
    pid = int(sql_one(f"SELECT id FROM orgs WHERE kind = 'personal' AND "
                      f"personal_user_id = {uid_of(pw.by_area)}"))
    want = visible_per_event(pw.by_area, [pw.ev_a, pw.ev_b, pw.ev_c])
    got, _ = all_pages(pw.by_area, f"/orgs/{pid}/tasks")
    org_view, _ = all_pages(pw.by_area, f"/orgs/{pw.org}/tasks")
    assert set(ids(got)) == want and ids(got) == ids(org_view)


def test_total_is_capped_past_a_thousand(pw):
    big = new_org(pw.owner, org_standard=2, org_pro=0, event_pro=2)
    ev = new_event(pw.owner, big, name="Capped")
    made = bulk_tasks(ev, 1155, uid_of(pw.owner), "PK",
                      lambda i: ("2030-01-%02d" % (1 + i % 28), None))
    open_n = len(made) - len(made) // 10  # every 10th is Archived
    j = page_json(pw.owner, f"/orgs/{big}/tasks")
    assert j["total"] == 1000 and j["total_capped"] is True
    assert len(j["tasks"]) == 100 and j["next_url"].endswith("page=2")
    page = pw.owner.get(f"/orgs/{big}/tasks").text
    assert "1,000+ task(s)" in page
    # Counted a thousand past each page's first: from page 2 on it
    # reaches the end.
    assert 1000 < open_n < 1100
    j = page_json(pw.owner, f"/orgs/{big}/tasks?page=2")
    assert j["total"] == open_n and j["total_capped"] is False
    last = (open_n - 1) // 100 + 1
    j = page_json(pw.owner, f"/orgs/{big}/tasks?page={last}")
    assert j["total"] == open_n and j["total_capped"] is False
    assert len(j["tasks"]) == open_n - 100 * (last - 1)
    assert j["next_url"] is None
    # Every page, in order: each task once.
    got, pages = all_pages(pw.owner, f"/orgs/{big}/tasks")
    assert len(got) == open_n == len(set(ids(got))) and len(pages) == last
    # The same statements for 3 tasks and for 1,155, filtered or not,
    # walking the index or sorting one event's tasks.
    small = new_org(pw.owner, org_standard=2, org_pro=0, event_pro=2)
    sev = new_event(pw.owner, small, name="Small")
    bulk_tasks(sev, 3, uid_of(pw.owner), "PS",
               lambda i: ("2030-01-01", None))
    for org in (small, big):
        pw.owner.get(f"/orgs/{org}/tasks")  # the workspace is remembered
    for q in ("", "page=2", "state=todo&overdue=1&assignee=me",
              "status=to%20do&due_from=2030-01-02"):
        counts = []
        for org in (small, big):
            r = jget(pw.owner, f"/orgs/{org}/tasks?{q}")
            assert r.status_code == 200, r.text[:300]
            counts.append(int(r.headers["X-Debug-Queries"]))
        assert counts[0] == counts[1], (q, counts)
    # A scoped user on one event of three (sorted, not walked) spends
    # the same statements as one who sees everything.
    a = jget(pw.reviewer, f"/orgs/{pw.org}/tasks")
    b = jget(pw.owner, f"/orgs/{pw.org}/tasks")
    assert a.headers["X-Debug-Queries"] == b.headers["X-Debug-Queries"]
