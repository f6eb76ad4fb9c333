"""Tasks (issue 5 items 1, 2, 6; PRODUCT §9): default statuses and
phases, create/edit with every field, refused input (nothing saved),
dependency cycles named, parents and depth, the reviewers rule, assignee
status changes, collaborator-scoped visibility, filters, board, bulk
changes all-or-nothing, delete with subtasks, status and phase
management, and the list's fixed query count."""

import re
import uuid

import pytest
import requests

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from test_core import create_token
from world import put_on_event, uid_of, vendor_contact, insert_collab, \
    VIEWER


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="towner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Task Fest",
                        start_date="2027-06-10", end_date="2027-06-12")
    w.other_event = new_event(w.owner, w.org, name="Other Fest")
    w.pool = int(sql_one(f"SELECT id FROM license_pools WHERE org_id = "
                         f"{w.org} AND product = 'event_pro'"))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                         f" {w.event} AND is_host = 1"))
    w.v1 = insert_collab(w.event, "Sound Co")
    w.v2 = insert_collab(w.event, "Catering Co")
    w.ov = insert_collab(w.other_event, "Elsewhere Co")
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES (UUID(), {w.event}, 'Main Stage', 'main stage', "
        f"UTC_TIMESTAMP(3))")
    w.area = int(sql_one(f"SELECT id FROM areas WHERE event_id = {w.event}"))
    w.vendor = new_user(tag="tvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="tvendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.viewer = new_user(tag="tviewer")
    put_on_event(w.event, w.viewer, w.host, VIEWER, w.pool)
    w.reviewer = new_user(tag="treviewer")
    put_on_event(w.event, w.reviewer, w.host, VIEWER, w.pool)
    # Edits tasks only for the Sound Co collaborator.
    w.scoped = new_user(tag="tscoped")
    put_on_event(w.event, w.scoped, w.host,
                 [("collaborator", w.v1, "tasks", 2)], w.pool)
    w.stranger = new_user(tag="tstranger")
    new_org(w.stranger)
    return w


def tasks(w):
    return f"/events/{w.event}/tasks"


def status_id(ev, name):
    return int(sql_one(f"SELECT id FROM task_statuses WHERE event_id = {ev}"
                       f" AND name = '{name}'"))


def create(b, ev, expect=303, **fields):
    data = {"name": "Task " + uuid.uuid4().hex[:6]}
    data.update(fields)
    b.get(f"/events/{ev}/tasks/new")
    r = b.post(f"/events/{ev}/tasks", data)
    assert r.status_code == expect, r.text[:3000]
    if expect != 303:
        return r
    m = re.match(rf"^/events/{ev}/tasks/(\d+)$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def api_get(b, path, expect=200):
    r = b.s.get(BASE + "/api/v1" + path)
    assert r.status_code == expect, r.text
    return r.json()


def task_count(ev):
    return int(sql_one(f"SELECT COUNT(*) FROM tasks WHERE event_id = {ev}"))


def errors_of(r):
    """Field names a 422 page marks, or its error summary links to."""
    return set(re.findall(r'id="([a-z_]+)-error"', r.text)) | set(
        re.findall(r'<li><a href="#([a-z_]+)">', r.text))


def test_new_event_has_default_statuses_and_phases(w):
    j = api_get(w.owner, f"/events/{w.event}/tasks/settings")
    names = [(s["name"], s["state"]) for s in j["statuses"]]
    assert names == [("To Do", "todo"), ("In Progress", "active"),
                     ("In Review", "review"), ("Done", "done"),
                     ("Archived", "archived")]
    assert [p["name"] for p in j["phases"]] == [
        "Pre-event", "Load-in", "Show", "Load-out", "Post-event"]


def test_create_with_every_field_and_json_twin(w):
    ph = int(sql_one(f"SELECT id FROM task_phases WHERE event_id = "
                     f"{w.event} AND name = 'Load-in'"))
    dep = create(w.owner, w.event, name="Book the crane")
    tid = create(w.owner, w.event, name="Rig the PA", priority="high",
                 description="Line array **left and right**",
                 status=str(status_id(w.event, "In Progress")),
                 phase=str(ph), start_date="2027-06-09",
                 start_time="08:00", due_date="2027-06-10",
                 due_time="12:30",
                 assignees=["", f"user:{uid_of(w.viewer)}",
                            f"collaborator:{w.v1}"],
                 reviewers=["", str(uid_of(w.reviewer))],
                 areas=["", str(w.area)], depends_on=["", str(dep)])
    t = api_get(w.owner, f"{tasks(w)}/{tid}")["task"]
    assert t["name"] == "Rig the PA" and t["priority"] == "high"
    assert t["status"]["name"] == "In Progress"
    assert t["status"]["state"] == "active"
    assert t["phase"]["name"] == "Load-in"
    assert (t["start_date"], t["start_time"]) == ("2027-06-09", "08:00")
    assert (t["due_date"], t["due_time"]) == ("2027-06-10", "12:30")
    assert "<strong>left and right</strong>" in t["description_html"]
    assert sorted((a["kind"], a.get("user_id") or a["collaborator_id"])
                  for a in t["assignees"]) == [
        ("collaborator", w.v1), ("user", uid_of(w.viewer))]
    assert [r["user_id"] for r in t["reviewers"]] == [uid_of(w.reviewer)]
    assert [a["id"] for a in t["areas"]] == [w.area]
    assert [d["id"] for d in t["depends_on"]] == [dep]
    assert t["blocked"] is True
    assert t["source"] == "manual"
    page = w.owner.get(f"{tasks(w)}/{tid}").text
    assert "Rig the PA" in page and "Europe/Amsterdam" in page
    assert "Book the crane" in page and "blocking" in page
    assert sql_one(f"SELECT action FROM audit_log WHERE target_type = 'task'"
                   f" AND target_id = {tid}") == "task.created"


def test_create_through_the_api_answers_201(w):
    tok = create_token(w.owner, "read-write")
    r = requests.post(BASE + f"/api/v1{tasks(w)}", json={
        "name": "API task", "priority": "low", "areas": [str(w.area)]},
        headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 201, r.text
    t = r.json()["task"]
    assert t["priority"] == "low" and t["status"]["name"] == "To Do"
    assert r.headers["Location"] == f"/api/v1{tasks(w)}/{t['id']}"
    r = requests.post(BASE + f"/api/v1{tasks(w)}", json={
        "name": "x", "due_date": "2027-13-01"},
        headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 422
    assert {e["parameter"] for e in r.json()["errors"]} == {"due_date"}


@pytest.mark.parametrize("fields, field", [
    ({"name": ""}, "name"),
    ({"start_date": "2027-06-11", "due_date": "2027-06-10"}, "due_date"),
    ({"start_date": "2027-06-10", "start_time": "18:00",
      "due_date": "2027-06-10", "due_time": "09:00"}, "due_date"),
    ({"due_time": "10:00"}, "due_date"),
    ({"due_date": "2027-06-10", "due_time": "25:99"}, "due_time"),
    ({"priority": "extreme"}, "priority"),
    ({"status": "999999999"}, "status"),
    ({"phase": "999999999"}, "phase"),
])
def test_bad_input_names_the_field_and_saves_nothing(w, fields, field):
    before = task_count(w.event)
    data = {"name": "Bad " + uuid.uuid4().hex[:6]}
    data.update(fields)
    r = create(w.owner, w.event, expect=422, **data)
    assert field in errors_of(r), (field, errors_of(r))
    assert task_count(w.event) == before


def test_foreign_parent_participant_and_dependency_refused(w):
    foreign = create(w.owner, w.other_event, name="Elsewhere")
    before = task_count(w.event)
    r = create(w.owner, w.event, expect=422, parent=str(foreign))
    assert "parent" in errors_of(r)
    assert "must be a task of this event" in r.text
    r = create(w.owner, w.event, expect=422,
               assignees=[f"collaborator:{w.ov}"])
    assert "assignees" in errors_of(r)
    r = create(w.owner, w.event, expect=422,
               assignees=[f"user:{uid_of(w.stranger)}"])
    assert "assignees" in errors_of(r)
    r = create(w.owner, w.event, expect=422, depends_on=[str(foreign)])
    assert "depends_on" in errors_of(r)
    assert task_count(w.event) == before


def test_dependency_cycle_is_refused_naming_the_cycle(w):
    a = create(w.owner, w.event, name="Cycle A")
    b = create(w.owner, w.event, name="Cycle B", depends_on=[str(a)])
    c = create(w.owner, w.event, name="Cycle C", depends_on=[str(b)])
    w.owner.get(f"{tasks(w)}/{a}")
    r = w.owner.post(f"{tasks(w)}/{a}", {"depends_on": ["", str(c)]})
    assert r.status_code == 422
    assert "depends_on" in errors_of(r)
    assert "“Cycle A” → “Cycle C” → “Cycle B” → “Cycle A”" in r.text
    assert sql_one(f"SELECT COUNT(*) FROM task_deps WHERE task_id = {a}") \
        == "0"
    # The JSON twin names the code.
    tok = create_token(w.owner, "read-write")
    r = requests.post(BASE + f"/api/v1{tasks(w)}/{a}",
                      json={"depends_on": [str(c)]},
                      headers={"Authorization": "Bearer " + tok})
    assert r.status_code == 422
    assert [e["code"] for e in r.json()["errors"]] == ["dependency-cycle"]
    # Itself.
    r = w.owner.post(f"{tasks(w)}/{a}", {"depends_on": ["", str(a)]})
    assert r.status_code == 422 and "depend on itself" in r.text
    # A dependency that closes no cycle is fine, and advisory only.
    r = w.owner.post(f"{tasks(w)}/{c}", {
        "status": str(status_id(w.event, "Done"))})
    assert r.status_code == 303


def test_parent_rules(w):
    top = create(w.owner, w.event, name="Level 1")
    chain = [top]
    for i in range(2, 6):
        chain.append(create(w.owner, w.event, name=f"Level {i}",
                            parent=str(chain[-1])))
    # A sixth level is refused.
    r = create(w.owner, w.event, expect=422, parent=str(chain[-1]))
    assert "parent" in errors_of(r) and "five levels" in r.text
    # A task can't move under its own subtask.
    w.owner.get(f"{tasks(w)}/{top}")
    r = w.owner.post(f"{tasks(w)}/{top}", {"parent": str(chain[2])})
    assert r.status_code == 422 and "parent" in errors_of(r)
    # The list shows the tree in order, subtasks indented.
    page = w.owner.get(tasks(w) + "?q=Level").text
    order = re.findall(r'task-row depth-(\d)">.*?>(Level \d)<', page, re.S)
    assert order == [(str(i), f"Level {i + 1}") for i in range(5)]


def test_reviewers_rule_and_assignee_status_change(w):
    tid = create(w.owner, w.event, name="Approve stage plot",
                 assignees=["", f"collaborator:{w.v1}"],
                 reviewers=["", str(uid_of(w.reviewer))])
    done = status_id(w.event, "Done")
    review = status_id(w.event, "In Review")
    # The vendor (tasks view only, assigned through their collaborator)
    # may move it along but not into Done.
    page = w.vendor.get(f"{tasks(w)}/{tid}")
    assert page.status_code == 200
    assert "Change status" in page.text and 'id="edit-title"' not in page.text
    r = w.vendor.post(f"{tasks(w)}/{tid}/status", {"status": str(done)})
    assert r.status_code == 403
    assert "In Review" in r.text
    r = w.vendor.post(f"{tasks(w)}/{tid}/status", {"status": str(review)})
    assert r.status_code == 303
    # The vendor can't edit other fields.
    r = w.vendor.post(f"{tasks(w)}/{tid}", {"name": "Renamed"})
    assert r.status_code == 403
    # The reviewer (view only, not an assignee) may close it.
    w.reviewer.get(f"{tasks(w)}/{tid}")
    r = w.reviewer.post(f"{tasks(w)}/{tid}/status", {"status": str(done)})
    assert r.status_code == 303
    t = api_get(w.owner, f"{tasks(w)}/{tid}")["task"]
    assert t["status"]["name"] == "Done"
    acts = sql(f"SELECT action FROM audit_log WHERE target_type = 'task' AND"
               f" target_id = {tid} ORDER BY id")
    assert [a[0] for a in acts] == ["task.created", "task.status",
                                    "task.status"]
    # Someone else with view only and not an assignee may not.
    w.viewer.get(tasks(w))
    r = w.viewer.post(f"{tasks(w)}/{tid}/status", {"status": str(review)})
    assert r.status_code == 403


def test_collaborator_scoped_visibility(w):
    mine = create(w.owner, w.event, name="For Sound Co",
                  assignees=["", f"collaborator:{w.v1}"])
    theirs = create(w.owner, w.event, name="For Catering Co",
                    assignees=["", f"collaborator:{w.v2}"])
    internal = create(w.owner, w.event, name="Internal budget")
    names = {t["name"] for t in api_get(w.vendor, tasks(w))["tasks"]}
    assert "For Sound Co" in names
    assert "For Catering Co" not in names and "Internal budget" not in names
    assert w.vendor.get(f"{tasks(w)}/{mine}").status_code == 200
    for tid in (theirs, internal):
        assert w.vendor.get(f"{tasks(w)}/{tid}").status_code == 404
        assert w.vendor.post(f"{tasks(w)}/{tid}/status", {
            "status": str(status_id(w.event, "In Review"))}).status_code \
            == 404
    # The board too.
    board = w.vendor.get(tasks(w) + "/board").text
    assert "For Sound Co" in board and "For Catering Co" not in board
    # Another tenant sees nothing at all.
    assert w.stranger.get(tasks(w)).status_code == 404
    assert w.stranger.get(f"{tasks(w)}/{mine}").status_code == 404
    # A vendor's pick lists hold only their own collaborator.
    page = w.vendor.get(tasks(w)).text
    assert "Catering Co (collaborator)" not in page


def test_scoped_editor_must_assign_their_collaborator(w):
    r = create(w.scoped, w.event, expect=403, name="Unscoped")
    assert "assign that collaborator" in r.text
    tid = create(w.scoped, w.event, name="Scoped",
                 assignees=["", f"collaborator:{w.v1}"])
    # ... and can't take it out of their scope.
    r = w.scoped.post(f"{tasks(w)}/{tid}", {"assignees": [""]})
    assert r.status_code == 403
    assert api_get(w.owner, f"{tasks(w)}/{tid}")["task"]["assignees"][0][
        "collaborator_id"] == w.v1


def test_viewer_cannot_create_or_edit(w):
    assert w.viewer.get(f"{tasks(w)}/new").status_code == 403
    r = w.viewer.post(tasks(w), {"name": "Nope"})
    assert r.status_code == 403


def test_stale_version_is_a_conflict(w):
    tid = create(w.owner, w.event, name="Versioned")
    w.owner.get(f"{tasks(w)}/{tid}")
    assert w.owner.post(f"{tasks(w)}/{tid}", {"name": "One", "version": "1"}
                        ).status_code == 303
    r = w.owner.post(f"{tasks(w)}/{tid}", {"name": "Two", "version": "1"})
    assert r.status_code == 409
    assert api_get(w.owner, f"{tasks(w)}/{tid}")["task"]["name"] == "One"


def test_filters_sorting_and_archived_hidden(w):
    ev = new_event(w.owner, w.org, name="Filter Fest")
    base = f"/events/{ev}/tasks"
    arch = status_id(ev, "Archived")
    create(w.owner, ev, name="Zebra late", due_date="2020-01-01",
           priority="low")
    create(w.owner, ev, name="Alpha soon", due_date="2099-01-01",
           priority="urgent", assignees=["", f"user:{uid_of(w.owner)}"])
    create(w.owner, ev, name="Old stuff", status=str(arch))
    names = [t["name"] for t in api_get(w.owner, base)["tasks"]]
    assert sorted(names) == ["Alpha soon", "Zebra late"]
    names = [t["name"] for t in api_get(w.owner, base + "?state=archived")[
        "tasks"]]
    assert names == ["Old stuff"]
    assert len(api_get(w.owner, base + "?state=all")["tasks"]) == 3
    j = api_get(w.owner, base + "?overdue=1")
    assert [t["name"] for t in j["tasks"]] == ["Zebra late"]
    assert j["tasks"][0]["overdue"] is True
    assert [t["name"] for t in api_get(w.owner, base + "?assignee=me")[
        "tasks"]] == ["Alpha soon"]
    assert [t["name"] for t in api_get(w.owner, base + "?sort=priority")[
        "tasks"]] == ["Alpha soon", "Zebra late"]
    assert [t["name"] for t in api_get(w.owner, base + "?sort=due")[
        "tasks"]] == ["Zebra late", "Alpha soon"]
    assert [t["name"] for t in api_get(w.owner, base + "?q=zeb")[
        "tasks"]] == ["Zebra late"]
    assert [t["name"] for t in api_get(
        w.owner, base + "?due_from=2098-01-01&due_to=2099-12-31")[
        "tasks"]] == ["Alpha soon"]
    r = w.owner.s.get(BASE + "/api/v1" + base + "?sort=bogus")
    assert r.status_code == 400 and "sort" in r.text
    r = w.owner.s.get(BASE + "/api/v1" + base + "?state=closed")
    assert r.status_code == 400
    # The board: a column per status; Archived only when asked for.
    cols = api_get(w.owner, base + "/board")["columns"]
    assert [c["name"] for c in cols] == ["To Do", "In Progress", "In Review",
                                         "Done"]
    assert cols[0]["count"] == 2
    cols = api_get(w.owner, base + "/board?state=archived")["columns"]
    assert [c["name"] for c in cols] == ["Archived"]


def test_bulk_status_is_all_or_nothing(w):
    mine = create(w.owner, w.event, name="Bulk mine",
                  assignees=["", f"collaborator:{w.v1}"])
    other = create(w.owner, w.event, name="Bulk other",
                   assignees=["", f"collaborator:{w.v2}"])
    active = status_id(w.event, "In Progress")
    w.vendor.get(tasks(w))
    r = w.vendor.post(tasks(w) + "/bulk", {"ids": [str(mine), str(other)],
                                           "status": str(active)})
    assert r.status_code == 404
    assert api_get(w.owner, f"{tasks(w)}/{mine}")["task"]["status"][
        "name"] == "To Do"
    r = w.vendor.post(tasks(w) + "/bulk", {"ids": [str(mine)],
                                           "status": str(active)})
    assert r.status_code == 303
    assert api_get(w.owner, f"{tasks(w)}/{mine}")["task"]["status"][
        "name"] == "In Progress"
    # Owner: status and an assignee for both at once.
    w.owner.get(tasks(w))
    r = w.owner.post(tasks(w) + "/bulk", {
        "ids": [str(mine), str(other)],
        "assignee": f"user:{uid_of(w.viewer)}"})
    assert r.status_code == 303
    for tid in (mine, other):
        t = api_get(w.owner, f"{tasks(w)}/{tid}")["task"]
        assert uid_of(w.viewer) in [a.get("user_id") for a in t["assignees"]]
    r = w.owner.post(tasks(w) + "/bulk", {"ids": [str(mine)]})
    assert r.status_code == 422


def test_delete_needs_admin_and_confirms_subtasks(w):
    parent = create(w.owner, w.event, name="Delete parent")
    child = create(w.owner, w.event, name="Delete child", parent=str(parent))
    w.scoped.get(tasks(w))
    r = w.scoped.post(f"{tasks(w)}/{parent}/delete", {})
    assert r.status_code == 404  # not visible to a collaborator-scoped user
    w.owner.get(f"{tasks(w)}/{parent}")
    r = w.owner.post(f"{tasks(w)}/{parent}/delete", {})
    assert r.status_code == 422 and "version" in errors_of(r)
    r = w.owner.post(f"{tasks(w)}/{parent}/delete", {"version": "2"})
    assert r.status_code == 409 and "changed" in r.text
    r = w.owner.post(f"{tasks(w)}/{parent}/delete", {"version": "1"})
    assert r.status_code == 409 and "1 subtask" in r.text
    assert task_count_of(parent) == 1
    w.viewer.get(f"{tasks(w)}/{parent}")
    r = w.viewer.post(f"{tasks(w)}/{parent}/delete", {"version": "1"})
    assert r.status_code == 403
    r = w.owner.post(f"{tasks(w)}/{parent}/delete", {"with_subtasks": "1",
                                                      "version": "1"})
    assert r.status_code == 303
    assert task_count_of(parent) == 0 and task_count_of(child) == 0
    acts = sql_one(f"SELECT COUNT(*) FROM audit_log WHERE action = "
                   f"'task.deleted' AND target_id IN ({parent}, {child})")
    assert acts == "2"
    sql(f"INSERT INTO tasks (uuid, event_id, org_id, name, status_id, "
        f"source, created_by, created_at, updated_at) VALUES (UUID(), "
        f"{w.event}, (SELECT org_id FROM events WHERE id = {w.event}), "
        f"'From advancing', {status_id(w.event, 'To Do')}, 'advancing', "
        f"{uid_of(w.owner)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    adv = int(sql_one(f"SELECT id FROM tasks WHERE name = 'From advancing'"
                      f" AND event_id = {w.event}"))
    r = w.owner.post(f"{tasks(w)}/{adv}/delete", {"version": "1"})
    assert r.status_code == 409 and "advancing" in r.text


def task_count_of(tid):
    return int(sql_one(f"SELECT COUNT(*) FROM tasks WHERE id = {tid}"))


def test_status_management(w):
    ev = new_event(w.owner, w.org, name="Status Fest")
    base = f"/events/{ev}"
    w.owner.get(base + "/tasks/settings")
    r = w.owner.post(base + "/task-statuses", {"name": "Waiting on vendor",
                                               "state": "active",
                                               "colour": "orange"})
    assert r.status_code == 303
    r = w.owner.post(base + "/task-statuses", {"name": "waiting ON vendor",
                                               "state": "todo"})
    assert r.status_code == 422 and "name" in errors_of(r)
    r = w.owner.post(base + "/task-statuses", {"name": "Odd",
                                               "state": "paused"})
    assert r.status_code == 422 and "state" in errors_of(r)
    r = w.owner.post(base + "/task-statuses", {"name": "Odd",
                                               "state": "todo",
                                               "colour": "chartreuse"})
    assert r.status_code == 422 and "colour" in errors_of(r)
    todo = status_id(ev, "To Do")
    # The only To Do status can't go.
    r = w.owner.post(f"{base}/task-statuses/{todo}/delete", {})
    assert r.status_code == 409 and "at least one" in r.text
    waiting = status_id(ev, "Waiting on vendor")
    tid = create(w.owner, ev, name="Uses waiting", status=str(waiting))
    r = w.owner.post(f"{base}/task-statuses/{waiting}/delete", {})
    assert r.status_code == 409 and "1 task" in r.text
    inprog = status_id(ev, "In Progress")
    r = w.owner.post(f"{base}/task-statuses/{waiting}/delete",
                     {"replacement": str(inprog)})
    assert r.status_code == 303
    t = api_get(w.owner, f"{base}/tasks/{tid}")["task"]
    assert t["status"]["name"] == "In Progress"
    # Rename keeps the state; others may not manage statuses.
    r = w.owner.post(f"{base}/task-statuses/{inprog}", {"name": "Doing",
                                                        "colour": "teal"})
    assert r.status_code == 303
    assert sql_one(f"SELECT CONCAT(name, '/', state, '/', colour) FROM "
                   f"task_statuses WHERE id = {inprog}") == "Doing/active/teal"
    r = w.viewer.post(f"/events/{w.event}/task-statuses",
                      {"name": "Mine", "state": "todo"})
    assert r.status_code == 403


def test_phase_delete_confirms_with_the_count(w):
    ev = new_event(w.owner, w.org, name="Phase Fest")
    base = f"/events/{ev}"
    w.owner.get(base + "/tasks/settings")
    show = int(sql_one(f"SELECT id FROM task_phases WHERE event_id = {ev}"
                       f" AND name = 'Show'"))
    for i in range(2):
        create(w.owner, ev, name=f"Show task {i}", phase=str(show))
    r = w.owner.post(f"{base}/phases/{show}/delete", {})
    assert r.status_code == 200 and "2 task(s)" in r.text
    assert sql_one(f"SELECT COUNT(*) FROM task_phases WHERE id = {show}") \
        == "1"
    r = w.owner.post(f"{base}/phases/{show}/delete", {"confirm": "1"})
    assert r.status_code == 303
    assert sql_one(f"SELECT COUNT(*) FROM tasks WHERE event_id = {ev} AND "
                   f"phase_id IS NOT NULL") == "0"
    assert sql_one(f"SELECT COUNT(*) FROM tasks WHERE event_id = {ev}") == "2"
    r = w.owner.post(f"{base}/phases", {"name": "Rehearsal",
                                        "start_date": "2027-06-09",
                                        "end_date": "2027-06-08"})
    assert r.status_code == 422 and "end_date" in errors_of(r)
    r = w.owner.post(f"{base}/phases", {"name": "Rehearsal",
                                        "start_date": "2027-06-08"})
    assert r.status_code == 303


def test_archived_event_refuses_task_writes(w):
    ev = new_event(w.owner, w.org, name="Archive Fest")
    tid = create(w.owner, ev, name="Before archive")
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")
    w.owner.get(f"/events/{ev}/tasks/{tid}")
    r = w.owner.post(f"/events/{ev}/tasks", {"name": "After"})
    assert r.status_code == 409
    r = w.owner.post(f"/events/{ev}/tasks/{tid}/status",
                     {"status": str(status_id(ev, "Done"))})
    assert r.status_code == 409
    assert w.owner.get(f"/events/{ev}/tasks/{tid}").status_code == 200


def queries(b, path):
    r = b.s.get(BASE + path)
    assert r.status_code == 200, r.text[:500]
    return int(r.headers["X-Debug-Queries"])


def bulk(ev, owner_id, status, area, collab, n, prefix):
    org = sql_one(f"SELECT org_id FROM events WHERE id = {ev}")
    rows = ",".join(
        f"(UUID(), {ev}, {org}, '{prefix} {i}', {status}, {owner_id}, "
        f"'2027-06-1{i % 3}', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))"
        for i in range(n))
    sql("INSERT INTO tasks (uuid, event_id, org_id, name, status_id, "
        "created_by, due_date, created_at, updated_at) VALUES " + rows)
    sql(f"INSERT INTO task_areas (task_id, event_id, area_id) SELECT id, "
        f"{ev}, {area} FROM tasks WHERE event_id = {ev} AND name LIKE "
        f"'{prefix} %'")
    sql(f"INSERT INTO task_people (task_id, event_id, role, "
        f"collaborator_id) SELECT id, {ev}, 'assignee', {collab} FROM tasks "
        f"WHERE event_id = {ev} AND name LIKE '{prefix} %'")


def test_list_and_board_query_count_does_not_grow(w):
    small = new_event(w.owner, w.org, name="Small Fest")
    large = new_event(w.owner, w.org, name="Large Fest")
    uid = uid_of(w.owner)
    for ev, n in ((small, 10), (large, 1000)):
        w.owner.get(f"/events/{ev}/tasks")
        area = int(sql_one(
            f"INSERT INTO areas (uuid, event_id, name, name_norm, "
            f"created_at) VALUES (UUID(), {ev}, 'Stage', 'stage', "
            f"UTC_TIMESTAMP(3)) RETURNING id"))
        collab = int(sql_one(f"SELECT id FROM collaborators WHERE event_id"
                             f" = {ev} AND is_host = 1"))
        bulk(ev, uid, status_id(ev, "To Do"), area, collab, n, "Bulk")
    for path in ("/tasks", "/tasks/board"):
        a = queries(w.owner, f"/events/{small}{path}")
        b = queries(w.owner, f"/events/{large}{path}")
        assert a == b, (path, a, b)
    assert len(api_get(w.owner, f"/events/{large}/tasks")["tasks"]) == 1000
