"""Advance task tracking (issue 7 item 7; PRODUCT §13.9): the event's
mapping of advancing states to task statuses (seeded, edited, refused
input, versions, who may see and change it), the task tree of a tracked
module (exactly what is built, due date, area, assignee), statuses that
follow answers, reviews, line items and approvals, tracking off and on
again, retired blocks and removed items, the managed status of generated
tasks, the tracking route's permissions and its fixed query count.

Advances, modules, blocks, answers and line items are written with SQL
(sql/0011_advancing.sql): this file does not depend on the pages of the
other advancing groups. A sync is asked for through the tracking route
(sending the value a module already has recalculates its tree)."""

import re
import uuid

import pytest
import requests

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from test_core import create_token, problem
from world import (COORDINATOR, VIEWER, add_member, insert_collab,
                   put_on_event, uid_of, vendor_contact)


# --- advancing objects by SQL ---------------------------------------------

def q(s):
    return "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"


def insert_id(table, where):
    return int(sql_one(f"SELECT MAX(id) FROM {table} WHERE {where}"))


def category(ev, name="Technical"):
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({ev}, "
        f"{q(name)})")
    return insert_id("module_categories", f"event_id = {ev}")


def template(ev, cat, name, label):
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id,"
        f" created_at, updated_at) VALUES ({ev}, {q(name)}, {q(label)}, "
        f"{cat}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return insert_id("module_templates", f"event_id = {ev}")


def block(ev, tpl, pos, kind, label=None, required=0, item_label=None,
          needs_op=0, needs_res=0, retired=0, body=None):
    rtype = "text" if kind == "question" else None
    sql(f"INSERT INTO module_blocks (event_id, template_id, position, kind,"
        f" body, label, rtype, required, item_label, needs_op, needs_res,"
        f" retired) VALUES ({ev}, {tpl}, {pos}, '{kind}', {q(body)}, "
        f"{q(label)}, {q(rtype)}, {required}, {q(item_label)}, {needs_op},"
        f" {needs_res}, {retired})")
    return insert_id("module_blocks", f"template_id = {tpl}")


def advance(ev, collab, name, uid, area=None):
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name, "
        f"name_norm, area_id, created_by, created_at, updated_at) VALUES "
        f"('{uuid.uuid4()}', {ev}, {collab}, {q(name)}, LOWER({q(name)}), "
        f"{area or 'NULL'}, {uid}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return insert_id("advances", f"event_id = {ev}")


def module(ev, adv, tpl, due=None, reviewer=None, tracked=0, submission=0,
           required=1, position=0, state="open"):
    sql(f"INSERT INTO advance_modules (event_id, advance_id, "
        f"module_template_id, position, due_date, required, tracked, "
        f"submission, reviewer_user_id, state) VALUES ({ev}, {adv}, {tpl}, "
        f"{position}, {q(due)}, {required}, {tracked}, {submission}, "
        f"{reviewer or 'NULL'}, '{state}')")
    return insert_id("advance_modules", f"advance_id = {adv}")


def answer(ev, mid, bid, uid, value="yes", review="needs_review"):
    sql(f"INSERT INTO answers (event_id, advance_module_id, block_id, value,"
        f" review, updated_by, updated_at) VALUES ({ev}, {mid}, {bid}, "
        f"{q(value)}, '{review}', {uid}, UTC_TIMESTAMP(3))"
        f" ON DUPLICATE KEY UPDATE review = '{review}'")


def item(ev, mid, bid, uid, description=None, position=0,
         review="needs_review", op="pending", res="pending"):
    sql(f"INSERT INTO line_items (event_id, advance_module_id, block_id, "
        f"position, description, review, op_state, res_state, created_by, "
        f"created_at, updated_by, updated_at) VALUES ({ev}, {mid}, {bid}, "
        f"{position}, {q(description)}, '{review}', '{op}', '{res}', {uid}, "
        f"UTC_TIMESTAMP(3), {uid}, UTC_TIMESTAMP(3))")
    return insert_id("line_items", f"advance_module_id = {mid}")


def module_version(mid):
    return int(sql_one(f"SELECT version FROM advance_modules WHERE id = "
                       f"{mid}"))


# --- the world ---------------------------------------------------------------

class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="towner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Track Fest",
                        start_date="2027-07-01", end_date="2027-07-03",
                        timezone="Europe/Amsterdam")
    ev = w.event
    w.pool = int(sql_one(f"SELECT pool_id FROM events WHERE id = {ev}"))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                         f"{ev} AND is_host = 1"))
    w.v1 = insert_collab(ev, "Sound Vendor")
    w.v2 = insert_collab(ev, "Bar Vendor")
    w.vendor = new_user(tag="tvendor")
    put_on_event(ev, w.vendor, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="tvendor2")
    put_on_event(ev, w.vendor2, w.v2, vendor_contact(w.v2))
    w.viewer = new_user(tag="tviewer")
    add_member(w.org, w.viewer, "member", "org_standard")
    put_on_event(ev, w.viewer, w.host, VIEWER, w.pool)
    w.coord = new_user(tag="tcoord")
    put_on_event(ev, w.coord, w.host, COORDINATOR, w.pool)
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES ('{uuid.uuid4()}', {ev}, 'Main Stage', 'main stage', "
        f"UTC_TIMESTAMP(3))")
    w.area = insert_id("areas", f"event_id = {ev}")
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES ('{uuid.uuid4()}', {ev}, 'Club', 'club', "
        f"UTC_TIMESTAMP(3))")
    w.area2 = insert_id("areas", f"event_id = {ev}")
    w.uid = uid_of(w.owner)
    cat = category(ev)
    w.tpl = template(ev, cat, "Audio rider", "Audio")
    block(ev, w.tpl, 0, "content", body="Tell us about your show.")
    w.console = block(ev, w.tpl, 1, "question", "Console", required=1)
    w.monitors = block(ev, w.tpl, 2, "question", "Monitors")
    w.backline = block(ev, w.tpl, 3, "request", "Backline",
                       item_label="Instrument", needs_op=1)
    w.old = block(ev, w.tpl, 4, "question", "Old question", retired=1)
    w.tpl2 = template(ev, cat, "Hospitality", "Hospitality")
    w.rooms = block(ev, w.tpl2, 0, "question", "Rooms")
    w.statuses = {row[1]: int(row[0]) for row in sql(
        f"SELECT id, name FROM task_statuses WHERE event_id = {ev}")}
    w.token = create_token(w.owner, "read-write")
    w.owner.get(f"/events/{ev}/advance-task-mapping")
    return w


def new_advance(w, name, due="2027-06-01", reviewer=True, items=0,
                tracked=0, area=True):
    adv = advance(w.event, w.v1, name, w.uid, w.area if area else None)
    mid = module(w.event, adv, w.tpl, due=due,
                 reviewer=w.uid if reviewer else None, tracked=tracked)
    for i in range(items):
        item(w.event, mid, w.backline, w.uid, position=i,
             description="Guitar amp" if i == 0 else None)
    return adv, mid


def track_path(w, adv, mid):
    return f"/events/{w.event}/advances/{adv}/modules/{mid}/tracking"


def track(w, adv, mid, on=True, b=None, expect=303, version=True):
    b = b or w.owner
    b.get(f"/events/{w.event}/advance-task-mapping")
    data = {"tracked": "1" if on else "0"}
    if version:
        data["version"] = str(module_version(mid))
    r = b.post(track_path(w, adv, mid), data)
    assert r.status_code == expect, r.text[:2000]
    return r


def tree(adv):
    """The generated tasks of an advance, by task id."""
    rows = sql(
        "SELECT l.kind, l.advance_module_id, l.block_id, l.line_item_id,"
        " t.id, t.name, s.name, s.state,"
        " COALESCE(DATE_FORMAT(t.due_date, '%Y-%m-%d'), ''), t.source,"
        " COALESCE(t.parent_id, 0)"
        " FROM advance_tasks l JOIN tasks t ON t.id = l.task_id"
        " JOIN task_statuses s ON s.id = t.status_id"
        f" WHERE l.advance_id = {adv} ORDER BY t.id")
    return [dict(kind=r[0], mid=int(r[1]), bid=int(r[2]), iid=int(r[3]),
                 id=int(r[4]), name=r[5], status=r[6], state=r[7],
                 due=r[8], source=r[9], parent=int(r[10])) for r in rows]


def node(t, kind, bid=0, iid=0):
    found = [n for n in t if n["kind"] == kind and n["bid"] == bid and
             n["iid"] == iid]
    assert len(found) == 1, (kind, bid, iid, t)
    return found[0]


def states(t):
    """kind/label → state, for the nodes of one module's tree."""
    return {(n["kind"], n["bid"], n["iid"]): n["state"] for n in t}


def api(path):
    return BASE + "/api/v1" + path


def bearer(w, **extra):
    h = {"Authorization": "Bearer " + w.token}
    h.update(extra)
    return h


# --- the mapping ---------------------------------------------------------------

def map_path(w):
    return f"/events/{w.event}/advance-task-mapping"


def test_mapping_is_seeded_at_creation_and_shown(w):
    row = sql(f"SELECT s1.name, s2.name, s3.name, s4.name, m.version FROM "
              f"advance_task_map m JOIN task_statuses s1 ON s1.id = "
              f"m.not_started_status_id JOIN task_statuses s2 ON s2.id = "
              f"m.needs_review_status_id JOIN task_statuses s3 ON s3.id = "
              f"m.done_status_id JOIN task_statuses s4 ON s4.id = "
              f"m.archived_status_id WHERE m.event_id = {w.event}")
    assert row[0][:4] == ["To Do", "In Review", "Done", "Archived"]
    r = w.owner.s.get(api(map_path(w)))
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["mapping"]["not_started"]["name"] == "To Do"
    assert j["mapping"]["needs_review"]["state"] == "review"
    assert j["mapping"]["archived"]["id"] == w.statuses["Archived"]
    assert r.headers["ETag"] == f'"{w.event}-v{j["mapping"]["version"]}"'
    assert j["can_edit"] is True
    r = w.owner.get(map_path(w))
    assert r.status_code == 200
    assert 'name="not_started"' in r.text and "In Review" in r.text
    # Only To Do statuses are offered for "not started".
    sel = re.search(r'<select id="not_started".*?</select>', r.text, re.S)
    assert "Done" not in sel.group(0)


def test_mapping_shows_the_advancing_subnav_and_answers_304(w):
    r = w.owner.get(map_path(w))
    assert r.status_code == 200
    nav = re.search(r'<nav class="[^"]*adv-subnav[^"]*".*?</nav>', r.text,
                    re.S)
    assert nav, "no advancing sub-navigation"
    cur = re.findall(r'href="([^"]+)" aria-current="page"', nav.group(0))
    assert cur == [map_path(w)], cur
    assert f'href="/events/{w.event}/advances"' in nav.group(0)
    r = w.owner.s.get(api(map_path(w)))
    j = r.json()
    assert [i["key"] for i in j["subnav"] if i["current"]] == \
        ["task-mapping"]
    tag = r.headers["ETag"]
    r = w.owner.s.get(api(map_path(w)), headers={"If-None-Match": tag})
    assert r.status_code == 304 and r.headers["ETag"] == tag


def test_mapping_is_seeded_on_first_use(w):
    ev = new_event(w.owner, w.org, name="Seedless")
    sql(f"DELETE FROM advance_task_map WHERE event_id = {ev}")
    r = w.owner.s.get(api(f"/events/{ev}/advance-task-mapping"))
    assert r.status_code == 200, r.text
    assert r.json()["mapping"]["done"]["name"] == "Done"
    assert sql_one(f"SELECT COUNT(*) FROM advance_task_map WHERE event_id ="
                   f" {ev}") == "1"


def test_mapping_who_may_see_and_change(w):
    # Tasks view sees it read-only; changing it needs Event tasks admin.
    r = w.viewer.get(map_path(w))
    assert r.status_code == 200
    assert 'name="not_started"' not in r.text
    assert "can see the mapping but not change it" in r.text
    r = w.viewer.post(map_path(w), {"not_started": str(w.statuses["To Do"])})
    assert r.status_code == 403
    w.coord.get(map_path(w))
    r = w.coord.post(map_path(w), {"not_started": str(w.statuses["To Do"])})
    assert r.status_code == 403
    # A vendor contact has tasks view on its own collaborator only: the
    # event-wide mapping is not theirs to see.
    assert w.vendor.get(map_path(w)).status_code == 404
    w.vendor.get(f"/events/{w.event}")
    assert w.vendor.post(map_path(w), {}).status_code == 404
    other = new_user(tag="tother")
    assert other.get(map_path(w)).status_code == 404


def test_mapping_refuses_a_status_of_the_wrong_state(w):
    w.owner.get(map_path(w))
    before = sql_one(f"SELECT version FROM advance_task_map WHERE event_id ="
                     f" {w.event}")
    r = w.owner.post(map_path(w), {"not_started": str(w.statuses["Done"]),
                                   "archived": str(w.statuses["Archived"])})
    assert r.status_code == 422
    assert "Not started must be a status of the To Do state" in r.text
    # The typed choice is kept in the form.
    sel = re.search(r'<select id="not_started".*?</select>', r.text, re.S)
    assert sel
    p = problem(requests.post(api(map_path(w)), json={
        "needs_review": w.statuses["To Do"], "done": 999999999},
        headers=bearer(w)), 422)
    fields = {e["field"] for e in p["errors"]}
    assert fields == {"needs_review", "done"}
    assert sql_one(f"SELECT version FROM advance_task_map WHERE event_id ="
                   f" {w.event}") == before


def test_mapping_versions(w):
    v = int(sql_one(f"SELECT version FROM advance_task_map WHERE event_id ="
                    f" {w.event}"))
    w.owner.get(map_path(w))
    r = w.owner.post(map_path(w), {"not_started": str(w.statuses["To Do"]),
                                   "version": str(v - 1 if v > 1 else v + 5)})
    assert r.status_code == 409
    assert "Someone changed the mapping" in r.text
    problem(requests.post(api(map_path(w)), json={
        "done": w.statuses["Done"]},
        headers=bearer(w, **{"If-Match": f'"{w.event}-v{v + 7}"'})), 412)
    # Sending the current mapping changes nothing (no new version).
    r = requests.post(api(map_path(w)), json={
        "done": w.statuses["Done"]},
        headers=bearer(w, **{"If-Match": f'"{w.event}-v{v}"'}))
    assert r.status_code == 200, r.text
    assert r.json()["mapping"]["version"] == v


def test_mapping_change_moves_generated_tasks(w):
    adv, mid = new_advance(w, "Mapping show")
    track(w, adv, mid)
    w.owner.get(f"/events/{w.event}/tasks/settings")
    r = w.owner.post(f"/events/{w.event}/task-statuses",
                     {"name": "Waiting on vendor", "state": "todo",
                      "colour": "slate"})
    assert r.status_code in (201, 303), r.text[:500]
    waiting = int(sql_one(f"SELECT id FROM task_statuses WHERE event_id = "
                          f"{w.event} AND name = 'Waiting on vendor'"))
    todo_before = [n["id"] for n in tree(adv) if n["state"] == "todo"]
    assert todo_before
    v = int(sql_one(f"SELECT version FROM advance_task_map WHERE event_id ="
                    f" {w.event}"))
    w.owner.get(map_path(w))
    r = w.owner.post(map_path(w), {"not_started": str(waiting),
                                   "version": str(v)})
    assert r.status_code == 303, r.text[:2000]
    after = {n["id"]: n["status"] for n in tree(adv)}
    assert all(after[i] == "Waiting on vendor" for i in todo_before)
    # Other states keep their statuses.
    assert "In Review" not in [after[i] for i in todo_before]
    a = sql(f"SELECT changes FROM audit_log WHERE event_id = {w.event} AND "
            f"action = 'advance_task_map.updated' ORDER BY id DESC LIMIT 1")
    assert "Waiting on vendor" in a[0][0]
    # The next sync uses the new status; then map back.
    track(w, adv, mid)
    assert {n["status"] for n in tree(adv) if n["state"] == "todo"} == \
        {"Waiting on vendor"}
    r = requests.post(api(map_path(w)), json={
        "not_started": w.statuses["To Do"]}, headers=bearer(w))
    assert r.status_code == 200, r.text
    assert r.json()["tasks_moved"] >= len(todo_before)
    assert {n["status"] for n in tree(adv) if n["state"] == "todo"} == \
        {"To Do"}


def test_a_mapped_status_cannot_be_deleted_until_remapped(w):
    w.owner.get(f"/events/{w.event}/tasks/settings")
    r = w.owner.post(f"/events/{w.event}/task-statuses",
                     {"name": "Vendor review", "state": "review",
                      "colour": "slate"})
    assert r.status_code in (201, 303), r.text[:500]
    mine = int(sql_one(f"SELECT id FROM task_statuses WHERE event_id = "
                       f"{w.event} AND name = 'Vendor review'"))
    r = requests.post(api(map_path(w)), json={"needs_review": mine},
                      headers=bearer(w))
    assert r.status_code == 200, r.text
    # Deleting it would leave the mapping pointing nowhere: 409 naming
    # the mapping, and nothing changes.
    r = requests.post(api(f"/events/{w.event}/task-statuses/{mine}/delete"),
                      json={}, headers=bearer(w))
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "in-use" and "task mapping" in r.json()["detail"]
    assert sql_one(f"SELECT COUNT(*) FROM task_statuses WHERE id = {mine}") \
        == "1"
    # Remapped first, it goes.
    r = requests.post(api(map_path(w)), json={
        "needs_review": w.statuses["In Review"]}, headers=bearer(w))
    assert r.status_code == 200, r.text
    r = requests.post(api(f"/events/{w.event}/task-statuses/{mine}/delete"),
                      json={}, headers=bearer(w))
    assert r.status_code == 200, r.text
    # The statuses page links to the mapping.
    page = w.owner.get(f"/events/{w.event}/tasks/settings").text
    assert f"/events/{w.event}/advance-task-mapping" in page


# --- the tree -----------------------------------------------------------------

def test_tracking_on_builds_exactly_the_tree(w):
    adv, mid = new_advance(w, "Main show", items=2)
    r = track(w, adv, mid)
    assert r.headers["Location"] == \
        f"/events/{w.event}/advances/{adv}/settings"
    t = tree(adv)
    kinds = [n["kind"] for n in t]
    assert kinds.count("advance") == 1
    assert kinds.count("module") == 1
    # Console, Monitors and Backline: not the content block, not the
    # retired question.
    assert kinds.count("block") == 3
    assert kinds.count("item") == 2
    a = node(t, "advance")
    m = node(t, "module")
    assert a["name"] == "Sound Vendor — Main show"
    assert m["name"] == "Audio"
    assert node(t, "block", w.console)["name"] == "Console"
    assert node(t, "block", w.backline)["name"] == "Backline"
    items = [n for n in t if n["kind"] == "item"]
    assert [n["name"] for n in items] == ["Guitar amp", "Instrument 2"]
    # Parents: advance → module → block → item.
    assert a["parent"] == 0 and m["parent"] == a["id"]
    assert all(n["parent"] == m["id"] for n in t if n["kind"] == "block")
    assert all(n["parent"] == node(t, "block", w.backline)["id"]
               for n in items)
    # Due date, source, area, assignee.
    assert {n["due"] for n in t} == {"2027-06-01"}
    assert {n["source"] for n in t} == {"advancing"}
    ids = ",".join(str(n["id"]) for n in t)
    assert sql(f"SELECT DISTINCT area_id FROM task_areas WHERE task_id IN "
               f"({ids})") == [[str(w.area)]]
    assert sql_one(f"SELECT COUNT(*) FROM task_areas WHERE task_id IN "
                   f"({ids})") == str(len(t))
    people = sql(f"SELECT role, user_id FROM task_people WHERE task_id IN "
                 f"({ids}) GROUP BY role, user_id")
    assert people == [["assignee", str(w.uid)]]
    assert sql_one(f"SELECT COUNT(*) FROM task_people WHERE task_id IN "
                   f"({ids})") == str(len(t))
    # Statuses: unanswered questions not started, unreviewed items need
    # review, so do their block, the module and the advance.
    s = states(t)
    assert s[("block", w.console, 0)] == "todo"
    assert s[("block", w.monitors, 0)] == "todo"
    assert all(n["state"] == "review" for n in items)
    assert s[("block", w.backline, 0)] == "review"
    assert m["state"] == "review" and a["state"] == "review"
    # The module's version moved; one audit entry.
    assert module_version(mid) == 2
    assert sql_one(f"SELECT tracked FROM advance_modules WHERE id = {mid}") \
        == "1"
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE event_id = "
                   f"{w.event} AND action = 'advance_module.tracked' AND "
                   f"target_id = {mid}") == "1"
    # The JSON twin: sending the value again recalculates, adds nothing.
    r = requests.post(api(track_path(w, adv, mid)), json={"tracked": True},
                      headers=bearer(w))
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["module"]["task_tracked"] is True
    assert j["tasks"] == {"created": 0, "moved": 0}
    assert r.headers["ETag"] == f'"{mid}-v{module_version(mid)}"'
    assert len(tree(adv)) == len(t)


def test_statuses_follow_answers_reviews_and_approvals(w):
    ev, uid = w.event, w.uid
    adv, mid = new_advance(w, "Follow show")
    track(w, adv, mid)
    s = states(tree(adv))
    # Nothing in: everything not started, the empty request block too.
    assert set(s.values()) == {"todo"}

    answer(ev, mid, w.console, uid)
    track(w, adv, mid)
    s = states(tree(adv))
    assert s[("block", w.console, 0)] == "review"
    assert s[("module", 0, 0)] == "review"

    answer(ev, mid, w.console, uid, review="reviewed")
    track(w, adv, mid)
    s = states(tree(adv))
    assert s[("block", w.console, 0)] == "done"
    # Done, not started and not started: still needs review.
    assert s[("module", 0, 0)] == "review"

    li = item(ev, mid, w.backline, uid, "Drum kit")
    track(w, adv, mid)
    t = tree(adv)
    assert node(t, "item", w.backline, li)["name"] == "Drum kit"
    assert node(t, "item", w.backline, li)["state"] == "review"
    assert node(t, "block", w.backline)["state"] == "review"

    # Reviewed, but the operational approval the block asks for is
    # pending: still needs review.
    sql(f"UPDATE line_items SET review = 'reviewed' WHERE id = {li}")
    track(w, adv, mid)
    assert node(tree(adv), "item", w.backline, li)["state"] == "review"

    sql(f"UPDATE line_items SET op_state = 'approved' WHERE id = {li}")
    track(w, adv, mid)
    t = tree(adv)
    assert node(t, "item", w.backline, li)["state"] == "done"
    assert node(t, "block", w.backline)["state"] == "done"

    answer(ev, mid, w.monitors, uid, review="reviewed")
    track(w, adv, mid)
    s = states(tree(adv))
    assert s[("module", 0, 0)] == "done"
    assert s[("advance", 0, 0)] == "done"

    # A declined request is decided: it stays done.
    sql(f"UPDATE line_items SET op_state = 'declined', op_reason = 'No' "
        f"WHERE id = {li}")
    track(w, adv, mid)
    assert node(tree(adv), "item", w.backline, li)["state"] == "done"

    # A resource approval the block does not ask for changes nothing;
    # once asked for and pending, the item needs review again.
    sql(f"UPDATE module_blocks SET needs_res = 1 WHERE id = {w.backline}")
    try:
        track(w, adv, mid)
        assert node(tree(adv), "item", w.backline, li)["state"] == "review"
    finally:
        sql(f"UPDATE module_blocks SET needs_res = 0 WHERE id = "
            f"{w.backline}")

    # A second tracked module, untouched: the advance is partly done.
    m2 = module(ev, adv, w.tpl2, due="2027-06-10", reviewer=uid,
                position=1)
    track(w, adv, m2)
    t = tree(adv)
    assert [n["name"] for n in t if n["kind"] == "module"] == \
        ["Audio", "Hospitality"]
    assert node(t, "advance")["state"] == "review"
    # The advance task is due with its earliest module.
    assert node(t, "advance")["due"] == "2027-06-01"


def test_tracking_off_archives_and_on_again_reuses(w):
    adv, mid = new_advance(w, "Toggle show", items=1)
    answer(w.event, mid, w.console, w.uid, review="reviewed")
    track(w, adv, mid)
    first = tree(adv)
    ids = sorted(n["id"] for n in first)
    track(w, adv, mid, on=False)
    off = tree(adv)
    assert sorted(n["id"] for n in off) == ids
    assert {n["state"] for n in off} == {"archived"}
    assert {n["status"] for n in off} == {"Archived"}
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE event_id = "
                   f"{w.event} AND action = 'advance_module.untracked' AND "
                   f"target_id = {mid}") == "1"
    # Turning it off again keeps it off and adds nothing.
    track(w, adv, mid, on=False)
    # Changes while off are picked up when it comes back on, with the
    # same tasks (no duplicates).
    li = item(w.event, mid, w.backline, w.uid, "Bass amp", position=5)
    track(w, adv, mid)
    on = tree(adv)
    assert sorted(n["id"] for n in on if n["iid"] != li) == ids
    assert len([n for n in on if n["iid"] == li]) == 1
    assert node(on, "block", w.console)["state"] == "done"
    assert node(on, "module")["state"] == "review"
    assert sql_one(f"SELECT COUNT(*) FROM advance_tasks WHERE advance_id = "
                   f"{adv}") == str(len(ids) + 1)


def test_retired_blocks_removed_items_and_modules_are_archived(w):
    ev = w.event
    tpl = template(ev, category(ev, "Retire " + uuid.uuid4().hex[:6]),
                   "Retire rider " + uuid.uuid4().hex[:6], "Retire")
    qa = block(ev, tpl, 0, "question", "Keep")
    qb = block(ev, tpl, 1, "question", "Retire me")
    rq = block(ev, tpl, 2, "request", "Gear")
    adv = advance(ev, w.v1, "Retire show", w.uid)
    mid = module(ev, adv, tpl, due="2027-06-02", reviewer=w.uid)
    m2 = module(ev, adv, w.tpl2, due="2027-06-03", reviewer=w.uid,
                position=1)
    li = item(ev, mid, rq, w.uid, "Spare cable")
    answer(ev, mid, qa, w.uid, review="reviewed")
    track(w, adv, mid)
    track(w, adv, m2)
    assert node(tree(adv), "block", qb)["state"] == "todo"
    # Retiring a block (answered elsewhere) archives its task; the module
    # no longer waits for it.
    sql(f"UPDATE module_blocks SET retired = 1 WHERE id = {qb}")
    track(w, adv, mid)
    t = tree(adv)
    assert node(t, "block", qb)["state"] == "archived"
    # A removed line item: its task is archived; the block has no items.
    sql(f"DELETE FROM line_items WHERE id = {li}")
    track(w, adv, mid)
    t = tree(adv)
    assert node(t, "item", rq, li)["state"] == "archived"
    assert node(t, "block", rq)["state"] == "todo"
    # A removed module: its tasks are archived at the next sync of the
    # advance, which keeps the other module's.
    m2_ids = [n["id"] for n in t if n["mid"] == m2]
    sql(f"DELETE FROM advance_modules WHERE id = {m2}")
    track(w, adv, mid)
    t = tree(adv)
    assert {n["state"] for n in t if n["id"] in m2_ids} == {"archived"}
    mods = [n for n in t if n["kind"] == "module" and n["mid"] == mid]
    assert mods[0]["state"] == "review"
    assert node(t, "advance")["state"] == "review"


def test_due_date_assignee_and_area_follow_the_module(w):
    adv, mid = new_advance(w, "Follow fields show")
    track(w, adv, mid)
    t = tree(adv)
    hand = node(t, "block", w.monitors)["id"]
    # Someone moves one task's due date by hand.
    w.owner.get(f"/events/{w.event}/tasks/{hand}")
    r = w.owner.post(f"/events/{w.event}/tasks/{hand}",
                     {"name": "Monitors", "due_date": "2027-05-20"})
    assert r.status_code == 303, r.text[:1000]
    coord = uid_of(w.coord)
    sql(f"UPDATE advance_modules SET due_date = '2027-06-15', "
        f"reviewer_user_id = {coord} WHERE id = {mid}")
    sql(f"UPDATE advances SET area_id = {w.area2} WHERE id = {adv}")
    track(w, adv, mid)
    t = tree(adv)
    due = {n["id"]: n["due"] for n in t}
    assert due.pop(hand) == "2027-05-20"
    assert set(due.values()) == {"2027-06-15"}
    ids = ",".join(str(n["id"]) for n in t)
    assert sql(f"SELECT DISTINCT user_id FROM task_people WHERE task_id IN "
               f"({ids}) AND role = 'assignee'") == [[str(coord)]]
    assert sql(f"SELECT DISTINCT area_id FROM task_areas WHERE task_id IN "
               f"({ids})") == [[str(w.area2)]]


def test_moving_an_advance_to_another_area_moves_its_tasks(w):
    adv, mid = new_advance(w, "Move me show")
    track(w, adv, mid)
    r = requests.post(api(f"/events/{w.event}/advances/{adv}/settings"),
                      json={"name": "Moved show", "area_id": w.area2},
                      headers=bearer(w))
    assert r.status_code == 200, r.text
    t = tree(adv)
    # Names, once made, are the tasks' own (editable by hand).
    assert node(t, "advance")["name"].endswith("— Move me show")
    ids = ",".join(str(n["id"]) for n in t)
    assert sql(f"SELECT DISTINCT area_id FROM task_areas WHERE task_id IN "
               f"({ids})") == [[str(w.area2)]]


# --- managed statuses ----------------------------------------------------------

def test_generated_task_status_is_managed_other_fields_editable(w):
    adv, mid = new_advance(w, "Managed show")
    track(w, adv, mid)
    t = tree(adv)
    tid = node(t, "block", w.console)["id"]
    base = f"/events/{w.event}/tasks/{tid}"
    w.owner.get(base)
    r = w.owner.post(base + "/status", {"status": str(w.statuses["Done"])})
    assert r.status_code == 409
    assert "follows its advance" in r.text
    problem(requests.post(api(base + "/status"), json={
        "status": w.statuses["Done"]}, headers=bearer(w)), 409,
        "managed-by-advancing")
    w.owner.get(f"/events/{w.event}/tasks")
    r = w.owner.post(f"/events/{w.event}/tasks/bulk",
                     {"ids": [str(tid)], "status": str(w.statuses["Done"])})
    assert r.status_code == 409
    problem(requests.post(api(base), json={
        "status": w.statuses["Done"]}, headers=bearer(w)), 409,
        "managed-by-advancing")
    # Renaming works, the status stays, with or without sending it.
    r = w.owner.post(base, {"name": "Console (FOH)",
                            "status": str(w.statuses["To Do"])})
    assert r.status_code == 303, r.text[:1000]
    r = requests.post(api(base), json={"priority": "high"},
                      headers=bearer(w))
    assert r.status_code == 200, r.text
    row = sql(f"SELECT t.name, s.name, t.priority FROM tasks t JOIN "
              f"task_statuses s ON s.id = t.status_id WHERE t.id = {tid}")
    assert row == [["Console (FOH)", "To Do", "high"]]
    # The task page offers no status change; the board no move.
    j = w.owner.s.get(api(base)).json()
    assert j["can_status"] is False and j["status_managed"] is True
    # The edit form shows the status without offering it.
    page = w.owner.get(base).text
    assert re.search(r'<select id="status" name="status" disabled', page)
    assert "Advancing sets this status" in page
    # Deleting stays refused: tracking off archives instead.
    r = w.owner.post(base + "/delete", {"version": str(int(sql_one(
        f"SELECT version FROM tasks WHERE id = {tid}")))})
    assert r.status_code == 409
    # A sync keeps the new name.
    track(w, adv, mid)
    assert node(tree(adv), "block", w.console)["name"] == "Console (FOH)"


# --- the route -------------------------------------------------------------------

def test_tracking_route_permissions_and_versions(w):
    adv, mid = new_advance(w, "Perm show")
    path = track_path(w, adv, mid)
    # Viewers and the vendor (advancing edit) see it but may not toggle.
    w.viewer.get(f"/events/{w.event}")
    assert w.viewer.post(path, {"tracked": "1"}).status_code == 403
    w.vendor.get(f"/events/{w.event}")
    assert w.vendor.post(path, {"tracked": "1"}).status_code == 403
    # Another vendor does not see V1's advance at all.
    w.vendor2.get(f"/events/{w.event}")
    assert w.vendor2.post(path, {"tracked": "1"}).status_code == 404
    # The coordinator holds advancing admin.
    track(w, adv, mid, b=w.coord)
    # A module of another advance under this one's URL: 404.
    adv2, mid2 = new_advance(w, "Other perm show")
    track(w, adv, mid2, expect=404)
    track(w, adv, 999999999, expect=404, version=False)
    # No value: 422; stale form version: 409; stale If-Match: 412.
    r = w.owner.post(path, {"version": str(module_version(mid))})
    assert r.status_code == 422
    problem(requests.post(api(path), json={}, headers=bearer(w)), 422)
    r = w.owner.post(path, {"tracked": "0", "version": "1"})
    assert r.status_code == 409
    assert "task tracking is now on" in r.text
    problem(requests.post(api(path), json={"tracked": False},
                          headers=bearer(w, **{"If-Match": f'"{mid}-v1"'})),
            412)
    assert sql_one(f"SELECT tracked FROM advance_modules WHERE id = {mid}") \
        == "1"


def test_sync_reads_a_fixed_number_of_queries(w):
    small, ms = new_advance(w, "Small show", items=1)
    big, mb = new_advance(w, "Big show", items=6)
    for i in range(4):
        item(w.event, mb, w.backline, w.uid, f"Extra {i}", position=10 + i)
    answer(w.event, mb, w.console, w.uid)
    track(w, small, ms)
    track(w, big, mb)
    # With nothing to change, a recalculation costs the same whatever the
    # size of the tree.
    n1 = int(track(w, small, ms).headers["X-Debug-Queries"])
    n2 = int(track(w, big, mb).headers["X-Debug-Queries"])
    assert n1 == n2


def test_archived_event_refuses_every_write(w):
    ev = new_event(w.owner, w.org, name="Archived track")
    v1 = insert_collab(ev, "Late Vendor")
    tpl = template(ev, category(ev), "Late rider", "Late")
    block(ev, tpl, 0, "question", "Anything")
    adv = advance(ev, v1, "Late show", w.uid)
    mid = module(ev, adv, tpl, due="2027-06-01")
    w.owner.get(f"/events/{ev}/advance-task-mapping")
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")
    r = w.owner.get(f"/events/{ev}/advance-task-mapping")
    assert r.status_code == 200
    assert 'name="not_started"' not in r.text
    r = w.owner.post(f"/events/{ev}/advance-task-mapping",
                     {"not_started": str(w.statuses["To Do"])})
    assert r.status_code == 409
    r = w.owner.post(f"/events/{ev}/advances/{adv}/modules/{mid}/tracking",
                     {"tracked": "1"})
    assert r.status_code == 409
    r = w.owner.post(f"/events/{ev}/settings/reminders",
                     {"reminder_offsets": "3"})
    assert r.status_code == 409
    assert sql_one(f"SELECT COUNT(*) FROM advance_tasks WHERE advance_id = "
                   f"{adv}") == "0"
