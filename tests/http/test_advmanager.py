"""The Advance Manager (issue 7 item 8; PRODUCT §13.10, §13.7): the
overview's counts over a mix of module states, the module table's
columns, values, filters and sorting, its CSV, the line-item CSV and the
print view, the approvals list and its filters, bulk review, due dates,
approve and decline (all or nothing, with their refusals), who may see
and act, and query counts that do not grow with the rows.

Templates, blocks, advances, modules, answers, files and line items are
written with SQL (schema sql/0011_advancing.sql) so these tests never
wait for the pages that create them."""

import csv
import io
import json
import re
import uuid

import pytest
import requests

from bo import BASE_NOLIMIT as BASE, new_event, new_org, new_user, sql, sql_one
from test_core import create_token, problem
from world import (COORDINATOR, VIEWER, add_member, insert_collab,
                   put_on_event, uid_of, vendor_contact)


def q(s):
    """An SQL string literal."""
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def insert_area(ev, name):
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES ('{uuid.uuid4()}', {ev}, {q(name)}, {q(name.lower())}, "
        f"UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM areas WHERE event_id = {ev} AND "
                       f"name = {q(name)}"))


def category(ev, name="Technical"):
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({ev}, "
        f"{q(name)})")
    return int(sql_one(f"SELECT id FROM module_categories WHERE event_id = "
                       f"{ev} AND name = {q(name)}"))


def template(ev, cat, name, label):
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id,"
        f" created_at, updated_at) VALUES ({ev}, {q(name)}, {q(label)}, "
        f"{cat}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM module_templates WHERE event_id = "
                       f"{ev} AND name = {q(name)}"))


def block(ev, tpl, pos, kind, label=None, rtype=None, required=0,
          options=None, asset=None, needs_op=0, needs_res=0, retired=0):
    sql(f"INSERT INTO module_blocks (event_id, template_id, position, kind,"
        f" body, label, rtype, required, options, asset_type_id, needs_op,"
        f" needs_res, retired) VALUES ({ev}, {tpl}, {pos}, '{kind}', "
        f"{q('Read this.') if kind == 'content' else 'NULL'}, "
        f"{q(label) if label else 'NULL'}, {q(rtype) if rtype else 'NULL'}, "
        f"{required}, {q(json.dumps(options)) if options else 'NULL'}, "
        f"{asset or 'NULL'}, {needs_op}, {needs_res}, {retired})")
    return int(sql_one("SELECT MAX(id) FROM module_blocks"))


def asset_type(ev, name, label, props):
    sql(f"INSERT INTO asset_types (event_id, name, label, created_at, "
        f"updated_at) VALUES ({ev}, {q(name)}, {q(label)}, "
        f"UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    at = int(sql_one(f"SELECT id FROM asset_types WHERE event_id = {ev} "
                     f"AND name = {q(name)}"))
    for i, (key, lbl, rt) in enumerate(props):
        sql(f"INSERT INTO asset_props (event_id, asset_type_id, pkey, label,"
            f" rtype, position) VALUES ({ev}, {at}, {q(key)}, {q(lbl)}, "
            f"{q(rt)}, {i})")
    return at


def advance(ev, cid, name, owner, area=None):
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name, "
        f"name_norm, area_id, created_by, created_at, updated_at) VALUES "
        f"('{uuid.uuid4()}', {ev}, {cid}, {q(name)}, {q(name.lower())}, "
        f"{area or 'NULL'}, {owner}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM advances WHERE collaborator_id = "
                       f"{cid} AND name = {q(name)}"))


def module(ev, adv, tpl, due=None, submission=0, submitted=0,
           reviewer=None, pos=0):
    sql(f"INSERT INTO advance_modules (event_id, advance_id, "
        f"module_template_id, position, due_date, submission, state, "
        f"reviewer_user_id) VALUES ({ev}, {adv}, {tpl}, {pos}, "
        f"{q(due) if due else 'NULL'}, {submission}, "
        f"'{'submitted' if submitted else 'open'}', {reviewer or 'NULL'})")
    return int(sql_one(f"SELECT id FROM advance_modules WHERE advance_id = "
                       f"{adv} AND module_template_id = {tpl}"))


def answer(ev, mod, blk, value, uid, reviewed=False, version=1):
    sql(f"INSERT INTO answers (event_id, advance_module_id, block_id, value,"
        f" review, reviewed_by, reviewed_at, updated_by, updated_at, "
        f"version) VALUES ({ev}, {mod}, {blk}, {q(value)}, "
        f"'{'reviewed' if reviewed else 'needs_review'}', "
        f"{uid if reviewed else 'NULL'}, "
        f"{'UTC_TIMESTAMP(3)' if reviewed else 'NULL'}, {uid}, "
        f"UTC_TIMESTAMP(3), {version})")


def item(ev, mod, blk, uid, pos=0, description=None, quantity=1,
         props=None, reviewed=False, op="pending", res="pending",
         res_reason=None):
    sql(f"INSERT INTO line_items (event_id, advance_module_id, block_id, "
        f"position, description, quantity, props, review, op_state, "
        f"res_state, res_reason, created_by, created_at, updated_by, "
        f"updated_at) VALUES ({ev}, {mod}, {blk}, {pos}, "
        f"{q(description) if description else 'NULL'}, {quantity}, "
        f"{q(json.dumps(props)) if props else 'NULL'}, "
        f"'{'reviewed' if reviewed else 'needs_review'}', '{op}', '{res}', "
        f"{q(res_reason) if res_reason else 'NULL'}, {uid}, "
        f"UTC_TIMESTAMP(3), {uid}, UTC_TIMESTAMP(3))")
    return int(sql_one("SELECT MAX(id) FROM line_items"))


def file_answer(ev, mod, blk, name, uid):
    sql(f"INSERT INTO answer_files (event_id, advance_module_id, block_id, "
        f"name, ctype, size, data, created_by, created_at) VALUES ({ev}, "
        f"{mod}, {blk}, {q(name)}, 'application/pdf', 4, 'PDF!', {uid}, "
        f"UTC_TIMESTAMP(3))")
    fid = int(sql_one("SELECT MAX(id) FROM answer_files"))
    answer(ev, mod, blk, str(fid), uid)
    return fid


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="amowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=1, event_pro=8)
    w.event = new_event(w.owner, w.org, name="Manager Fest",
                        start_date="2027-07-01", end_date="2027-07-03",
                        timezone="Europe/Amsterdam")
    ev = w.event
    w.uid = uid_of(w.owner)
    w.pool = int(sql_one(f"SELECT pool_id FROM events WHERE id = {ev}"))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                         f"{ev} AND is_host = 1"))
    w.sound = insert_collab(ev, "Sound Co")
    w.bar = insert_collab(ev, "Bar Co")
    w.light = insert_collab(ev, "Light Co")
    w.main = insert_area(ev, "Main Stage")
    w.side = insert_area(ev, "Side Stage")

    w.coord = new_user(tag="amcoord")
    put_on_event(ev, w.coord, w.host, COORDINATOR, w.pool)
    w.viewer = new_user(tag="amviewer")
    add_member(w.org, w.viewer, "member", "org_standard")
    put_on_event(ev, w.viewer, w.host, VIEWER, w.pool)
    w.lead = new_user(tag="amlead")
    put_on_event(ev, w.lead, w.host, [("area", w.main, "advancing", 3)],
                 w.pool)
    w.cadmin = new_user(tag="amcadmin")
    put_on_event(ev, w.cadmin, w.host,
                 [("collaborator", w.sound, "advancing", 3),
                  ("area", w.side, "advancing", 3)], w.pool)
    w.vendor = new_user(tag="amvendor")
    put_on_event(ev, w.vendor, w.sound, vendor_contact(w.sound))
    w.other = new_user(tag="amother")
    new_org(w.other)

    cat = category(ev)
    w.mic = asset_type(ev, "mic", "Microphone",
                       [("model", "Model", "text"),
                        ("count", "How many", "number")])
    w.audio = template(ev, cat, "audio-rider", "Audio")
    w.b_intro = block(ev, w.audio, 0, "content")
    w.b_console = block(ev, w.audio, 1, "question", "Console", "text",
                        required=1)
    w.b_channels = block(ev, w.audio, 2, "question", "Channels", "number")
    w.b_side = block(ev, w.audio, 3, "question", "Stage side", "select",
                     options=[{"key": "o1", "label": "Left",
                               "retired": False},
                              {"key": "o2", "label": "Right",
                               "retired": False}])
    w.b_arrival = block(ev, w.audio, 4, "question", "Arrival", "datetime")
    w.b_rider = block(ev, w.audio, 5, "question", "Rider", "file")
    w.b_mics = block(ev, w.audio, 6, "request", "Microphones",
                     asset=w.mic, needs_op=1, needs_res=1)
    w.b_extras = block(ev, w.audio, 7, "request", "Extras", needs_op=1)
    w.hosp = template(ev, cat, "hospitality", "Hospitality")
    w.b_diet = block(ev, w.hosp, 0, "question", "Dietary needs", "text",
                     required=1)
    w.unused = template(ev, cat, "unused", "Unused")

    u = w.uid
    # Sound — Main show (Main Stage): complete, needs review, past due
    # but complete (so not overdue).
    w.a1 = advance(ev, w.sound, "Main show", u, w.main)
    w.m1 = module(ev, w.a1, w.audio, due="2020-01-01")
    answer(ev, w.m1, w.b_console, "=1+2", u)
    answer(ev, w.m1, w.b_channels, "32", u, reviewed=True)
    answer(ev, w.m1, w.b_side, "o2", u, reviewed=True)
    answer(ev, w.m1, w.b_arrival, "2027-07-01 12:00:00", u, reviewed=True)
    w.f1 = file_answer(ev, w.m1, w.b_rider, "rider.pdf", u)
    sql(f"UPDATE answers SET review = 'reviewed' WHERE block_id = "
        f"{w.b_rider}")
    w.i1 = item(ev, w.m1, w.b_mics, u, 0,
                props={"props": {"model": "SM58", "count": "4"}})
    w.i2 = item(ev, w.m1, w.b_mics, u, 1,
                props={"props": {"model": "Beta 52", "count": "1"}},
                reviewed=True, op="approved", res="declined",
                res_reason="Budget")
    # Bar — Bar (no area): not started, overdue.
    w.a2 = advance(ev, w.bar, "Bar", u)
    w.m2 = module(ev, w.a2, w.audio, due="2020-01-01")
    w.m2h = module(ev, w.a2, w.hosp, pos=1)
    answer(ev, w.m2h, w.b_diet, "Vegan", u, reviewed=True)
    # Light — Lights (Side Stage): in progress, not due yet.
    w.a3 = advance(ev, w.light, "Lights", u, w.side)
    w.m3 = module(ev, w.a3, w.audio, due="2099-01-01")
    answer(ev, w.m3, w.b_channels, "16", u, reviewed=True)
    w.i3 = item(ev, w.m3, w.b_extras, u, 0, description="Riser",
                quantity=2, reviewed=True)
    # Sound — Second show (Side Stage): needs submission, not submitted.
    w.a4 = advance(ev, w.sound, "Second show", u, w.side)
    w.m4 = module(ev, w.a4, w.audio, submission=1)
    answer(ev, w.m4, w.b_console, "Midas M32", u, reviewed=True)

    w.tok = {}
    w.owner.get(f"/events/{ev}")
    return w


def token(w, who):
    b = getattr(w, who)
    if who not in w.tok:
        w.tok[who] = create_token(b, "read-write")
    return w.tok[who]


# JSON through Accept on the page's own path: /api/v1 has a per-address
# rate limit this many requests would meet (test_api_twins uses it).
JSON = {"Accept": "application/json"}


def api_get(b, path, expect=200):
    r = b.s.get(BASE + path, headers=JSON)
    assert r.status_code == expect, (r.status_code, r.text[:500])
    return r.json() if expect == 200 else r


def api_post(w, who, path, body):
    return requests.post(BASE + path, json=body, headers=dict(JSON, **{
        "Authorization": "Bearer " + token(w, who)}))


def mgr(w):
    return f"/events/{w.event}/advance-manager"


def table(w, tpl=None):
    return f"{mgr(w)}/{tpl or w.audio}"


def rows_by(v):
    return {(r["collaborator_name"], r["advance_name"]): r for r in v["rows"]}


# --- overview ---------------------------------------------------------------


def test_overview_counts(w):
    v = api_get(w.owner, mgr(w))
    by = {t["name"]: t for t in v["templates"]}
    assert set(by) == {"audio-rider", "hospitality"}
    a = by["audio-rider"]
    assert (a["label"], a["category"]) == ("Audio", "Technical")
    assert (a["advances"], a["complete"], a["incomplete"],
            a["needs_review"], a["overdue"]) == (4, 1, 3, 1, 1)
    h = by["hospitality"]
    assert (h["advances"], h["complete"], h["incomplete"],
            h["needs_review"], h["overdue"]) == (1, 1, 0, 0, 0)
    assert v["totals"]["modules"] == 5
    assert a["url"] == table(w)
    assert a["overdue_url"] == table(w) + "?overdue=1"


def test_overview_html(w):
    r = w.owner.get(mgr(w))
    assert r.status_code == 200
    assert "Advance Manager" in r.text and "Audio" in r.text
    assert f'href="{table(w)}?needs_review=1"' in r.text
    assert "Unused" not in r.text


@pytest.mark.parametrize("tail", ["", "/{tpl}", "/approvals"])
def test_manager_pages_show_the_advancing_subnav(w, tail):
    path = mgr(w) + tail.format(tpl=w.audio)
    r = w.owner.get(path)
    assert r.status_code == 200, r.text[:300]
    nav = re.search(r'<nav class="[^"]*adv-subnav[^"]*".*?</nav>', r.text,
                    re.S)
    assert nav, "no advancing sub-navigation"
    cur = re.findall(r'href="([^"]+)" aria-current="page"', nav.group(0))
    assert cur == [mgr(w)], cur
    assert f'href="/events/{w.event}/advances"' in nav.group(0)
    # The sub-navigation comes after the event header, before the card.
    assert r.text.index("adv-subnav") < r.text.index('<section class="card"')
    items = api_get(w.owner, path)["subnav"]
    assert [i["key"] for i in items if i["current"]] == ["manager"]
    assert "advances" in [i["key"] for i in items]


# --- module table ------------------------------------------------------------


def test_table_columns_and_values(w):
    v = api_get(w.owner, table(w))
    assert v["template"]["label"] == "Audio"
    labels = [c["label"] for c in v["columns"]]
    assert labels == ["Console", "Channels", "Stage side", "Arrival",
                      "Rider", "Microphones", "Extras"]
    assert [c["kind"] for c in v["columns"]][-2:] == ["request", "request"]
    assert v["columns"][0]["required"] is True
    assert v["count"] == v["total"] == 4
    rows = rows_by(v)
    r1 = rows[("Sound Co", "Main show")]
    assert r1["area_name"] == "Main Stage"
    assert r1["due_date"] == "2020-01-01"
    assert r1["completion"] == "complete" and r1["overdue"] is False
    assert r1["needs_review"] is True
    cells = {c["label"]: c for c in r1["cells"]}
    assert cells["Console"]["display"] == "=1+2"
    assert cells["Console"]["needs_review"] is True
    assert cells["Channels"]["value"] == 32
    assert cells["Channels"]["needs_review"] is False
    assert cells["Stage side"]["display"] == "Right"
    assert cells["Arrival"]["display"] == "2027-07-01 14:00 CEST"
    f = cells["Rider"]["files"]
    assert [x["name"] for x in f] == ["rider.pdf"]
    assert f[0]["url"] == (f"/events/{w.event}/advances/{w.a1}/modules/"
                           f"{w.m1}/answers/{w.b_rider}/files/{w.f1}")
    assert cells["Microphones"]["item_count"] == 2
    assert cells["Microphones"]["items_needing_review"] == 1
    assert cells["Extras"]["item_count"] == 0
    r2 = rows[("Bar Co", "Bar")]
    assert (r2["completion"], r2["overdue"], r2["area_name"]) == \
        ("not_started", True, None)
    r3 = rows[("Light Co", "Lights")]
    assert (r3["completion"], r3["overdue"]) == ("in_progress", False)
    assert [c["item_count"] for c in r3["cells"] if c["request"]] == [0, 1]
    r4 = rows[("Sound Co", "Second show")]
    assert r4["completion"] == "in_progress"
    assert r4["requires_submission"] is True
    assert r4["submission_state"] == "open"
    # What the page showed as needing review, with versions.
    assert f"answer:{w.m1}:{w.b_console}:1" in v["seen"]
    assert f"item:{w.i1}:1" in v["seen"]
    assert not any(s.startswith(f"item:{w.i2}:") for s in v["seen"])


def test_table_html(w):
    r = w.owner.get(table(w))
    assert r.status_code == 200
    t = r.text
    assert "<th scope=\"col\" class=\"advm-col\">Console" in t
    assert "rider.pdf</a>" in t
    assert "2027-07-01 14:00 CEST" in t
    assert 'name="cells"' in t and 'name="modules"' in t
    assert f'value="answer:{w.m1}:{w.b_console}:1"' in t
    assert "Overdue" in t


def test_filters(w):
    def names(query):
        v = api_get(w.owner, table(w) + query)
        return [(r["collaborator_name"], r["advance_name"])
                for r in v["rows"]]
    assert names(f"?collaborator={w.sound}") == [
        ("Sound Co", "Main show"), ("Sound Co", "Second show")]
    assert names(f"?area={w.side}") == [("Light Co", "Lights"),
                                         ("Sound Co", "Second show")]
    assert names("?area=none") == [("Bar Co", "Bar")]
    assert names("?completion=complete") == [("Sound Co", "Main show")]
    assert names("?completion=not_started") == [("Bar Co", "Bar")]
    assert len(names("?completion=incomplete")) == 3
    assert names("?completion=in_progress") == [
        ("Light Co", "Lights"), ("Sound Co", "Second show")]
    assert names("?needs_review=1") == [("Sound Co", "Main show")]
    assert names("?overdue=1") == [("Bar Co", "Bar")]
    assert names(f"?collaborator={w.sound}&area={w.main}") == [
        ("Sound Co", "Main show")]
    v = api_get(w.owner, table(w) + f"?collaborator={w.sound}")
    assert v["count"] == 2 and v["total"] == 4
    assert {o["label"] for o in v["collaborator_options"]} == {
        "Sound Co", "Bar Co", "Light Co"}
    assert {o["label"] for o in v["area_options"]} == {
        "Main Stage", "Side Stage", "No area"}
    for bad in ("?completion=done", "?sort=name", "?dir=up", "?area=x",
                "?collaborator=abc"):
        problem(w.owner.s.get(BASE + table(w) + bad, headers=JSON), 400,
                "invalid-parameter")


def test_sorting(w):
    def order(query):
        v = api_get(w.owner, table(w) + query)
        return [r["advance_name"] for r in v["rows"]]
    assert order("") == ["Bar", "Lights", "Main show", "Second show"]
    assert order("?dir=desc") == ["Second show", "Main show", "Lights",
                                  "Bar"]
    assert order("?sort=advance") == ["Bar", "Lights", "Main show",
                                      "Second show"]
    # Undated modules last either way.
    assert order("?sort=due") == ["Bar", "Main show", "Lights",
                                  "Second show"]
    assert order("?sort=due&dir=desc")[-1] == "Second show"
    assert order("?sort=completion") == ["Bar", "Lights", "Second show",
                                         "Main show"]


def test_csv(w):
    r = w.owner.get(table(w) + ".csv")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    assert ".csv" in r.headers["Content-Disposition"]
    body = r.content
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in body and body.count(b"\n") == body.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(body[3:].decode(), newline="")))
    head = rows[0]
    assert head[:4] == ["collaborator", "advance", "area", "activity"]
    assert "Console" in head and "Microphones (items)" in head
    assert head[-1] == "url"
    data = {(x[0], x[1]): dict(zip(head, x)) for x in rows[1:]}
    assert len(data) == 4
    m = data[("Sound Co", "Main show")]
    assert m["Console"] == "'=1+2"       # formula guard
    assert m["Stage side"] == "Right"
    assert m["Arrival"] == "2027-07-01 14:00 CEST"
    assert m["Microphones (items)"] == "2"
    assert m["Rider"].startswith("rider.pdf (") and \
        f"/files/{w.f1})" in m["Rider"]
    assert m["completion"] == "Complete" and m["needs_review"] == "yes"
    assert data[("Bar Co", "Bar")]["overdue"] == "yes"
    # The page's filters apply.
    r = w.owner.get(table(w) + f".csv?area={w.side}&sort=advance")
    rows = list(csv.reader(io.StringIO(r.content[3:].decode(),
                                       newline="")))
    assert [x[1] for x in rows[1:]] == ["Lights", "Second show"]


def test_items_csv(w):
    r = w.owner.get(f"{table(w)}/blocks/{w.b_mics}/items.csv")
    assert r.status_code == 200, r.text[:300]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content[3:].decode(),
                                       newline="")))
    head = rows[0]
    assert head[:6] == ["collaborator", "advance", "area", "activity",
                        "item_number", "item_id"]
    assert "Model" in head and "How many" in head
    assert "operational_approval" in head and "resource_approval" in head
    data = [dict(zip(head, x)) for x in rows[1:]]
    assert [(d["Model"], d["How many"]) for d in data] == [("SM58", "4"),
                                                            ("Beta 52", "1")]
    assert data[0]["review"] == "needs review"
    assert (data[1]["operational_approval"], data[1]["resource_approval"],
            data[1]["resource_reason"]) == ("approved", "declined", "Budget")
    r = w.owner.get(f"{table(w)}/blocks/{w.b_extras}/items.csv")
    rows = list(csv.reader(io.StringIO(r.content[3:].decode(),
                                       newline="")))
    head = rows[0]
    assert "description" in head and "quantity" in head
    d = dict(zip(head, rows[1]))
    assert (d["description"], d["quantity"]) == ("Riser", "2")
    assert d["resource_approval"] == "not required"
    assert d["operational_approval"] == "pending"
    # A question block, another template's block: not a request here.
    assert w.owner.get(f"{table(w)}/blocks/{w.b_console}/items.csv"
                       ).status_code == 404
    assert w.owner.get(f"{table(w)}/blocks/{w.b_diet}/items.csv"
                       ).status_code == 404


def test_print_view(w):
    r = w.owner.get(f"{table(w)}/print?sort=advance")
    assert r.status_code == 200
    t = r.text
    assert "advm-print" in t and "Generated" in t
    assert 'type="checkbox"' not in t and "/bulk" not in t
    assert t.index("Lights") < t.index("Second show")
    v = api_get(w.owner, f"{table(w)}/print")
    assert v["count"] == 4 and "seen" not in v


def test_unknown_templates(w):
    for path in (f"{mgr(w)}/999999999", f"{mgr(w)}/abc",
                 f"{mgr(w)}/{w.unused}x", f"{mgr(w)}/999999999.csv"):
        assert w.owner.get(path).status_code == 404, path
    # An unused template of the event: an empty table for Event-domain
    # viewers, unknown to everyone else.
    v = api_get(w.owner, table(w, w.unused))
    assert v["rows"] == [] and v["total"] == 0
    assert w.lead.get(table(w, w.unused)).status_code == 404


# --- approvals list ------------------------------------------------------------


def test_approvals_list(w):
    ap = f"{mgr(w)}/approvals"
    v = api_get(w.owner, ap)
    names = [i["name"] for i in v["items"]]
    assert names == ["Riser", "Microphone 1", "Microphone 2"]
    i1 = v["items"][1]
    assert i1["properties_text"] == "Model: SM58 · How many: 4"
    assert i1["operational"]["state"] == "pending"
    assert i1["resource"]["required"] is True
    assert i1["token"] == f"{w.i1}:1"
    i2 = v["items"][2]
    assert (i2["operational"]["state"], i2["resource"]["state"],
            i2["resource"]["reason"]) == ("approved", "declined", "Budget")
    riser = v["items"][0]
    assert riser["resource"]["required"] is False
    assert riser["quantity"] == 2

    def ids(query):
        return [i["id"] for i in api_get(w.owner, ap + query)["items"]]
    assert ids(f"?asset_type={w.mic}") == [w.i1, w.i2]
    assert ids("?asset_type=none") == [w.i3]
    assert ids(f"?collaborator={w.light}") == [w.i3]
    assert ids(f"?area={w.main}") == [w.i1, w.i2]
    assert ids("?area=none") == []
    assert ids("?operational=pending") == [w.i3, w.i1]
    assert ids("?resource=declined") == [w.i2]
    assert ids("?resource=pending") == [w.i1]
    assert ids(f"?module={w.hosp}") == []
    for bad in ("?operational=yes", "?asset_type=x", "?area=-1"):
        problem(w.owner.s.get(BASE + ap + bad, headers=JSON), 400,
                "invalid-parameter")
    r = w.owner.get(ap + f"?asset_type={w.mic}")
    assert r.status_code == 200 and "Microphone 1" in r.text
    assert "Riser" not in r.text


# --- permissions ------------------------------------------------------------------


def test_who_may_open(w):
    paths = [mgr(w), table(w), table(w) + ".csv", f"{table(w)}/print",
             f"{mgr(w)}/approvals", f"{table(w)}/blocks/{w.b_mics}/items.csv"]
    for p in paths:
        assert w.viewer.get(p).status_code == 200, p
        assert w.coord.get(p).status_code == 200, p
        # Vendors use the portal; other tenants never see the event.
        assert w.vendor.get(p).status_code == 404, p
        assert w.other.get(p).status_code == 404, p


def test_area_lead_sees_only_their_area(w):
    v = api_get(w.lead, mgr(w))
    assert [(t["name"], t["advances"]) for t in v["templates"]] == [
        ("audio-rider", 1)]
    v = api_get(w.lead, table(w))
    assert [r["advance_name"] for r in v["rows"]] == ["Main show"]
    assert v["can_bulk"] is True
    assert [o["label"] for o in v["collaborator_options"]] == ["Sound Co"]
    assert w.lead.get(table(w, w.hosp)).status_code == 404
    v = api_get(w.lead, f"{mgr(w)}/approvals")
    assert [i["id"] for i in v["items"]] == [w.i1, w.i2]
    # Collaborator and area grants add up: Sound Co's advances and the
    # Side Stage's.
    v = api_get(w.cadmin, table(w))
    assert sorted(r["advance_name"] for r in v["rows"]) == [
        "Lights", "Main show", "Second show"]


def test_viewer_cannot_bulk(w):
    v = api_get(w.viewer, table(w))
    assert v["can_bulk"] is False and v["seen"] == []
    r = w.viewer.get(table(w))
    assert 'name="modules"' not in r.text
    r = w.viewer.post(f"{table(w)}/bulk", {"action": "mark_reviewed",
                                          "modules": f"{w.m1}:1"})
    assert r.status_code == 403
    r = api_post(w, "viewer", f"{table(w)}/bulk", {
        "action": "mark_reviewed", "modules": [f"{w.m1}:1"]})
    problem(r, 403, "insufficient-permission")
    r = api_post(w, "viewer", f"{mgr(w)}/approvals/bulk", {
        "action": "approve", "items": [f"{w.i1}:1"]})
    problem(r, 403, "insufficient-permission")
    assert sql_one(f"SELECT review FROM answers WHERE advance_module_id = "
                   f"{w.m1} AND block_id = {w.b_console}") == "needs_review"
    for p in (f"{table(w)}/bulk", f"{mgr(w)}/approvals/bulk"):
        r = api_post(w, "vendor", p, {"action": "approve"})
        problem(r, 404, "not-found")
        r = api_post(w, "other", p, {"action": "approve"})
        problem(r, 404, "not-found")


# --- bulk actions ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bk(w):
    """A template of its own for the bulk tests, so the reads above keep
    their numbers: two advances of Sound Co (Main Stage) and one of Bar
    Co, answers and items needing review."""
    ev, u = w.event, w.uid
    b = W()
    cat = category(ev, "Bulk")
    b.tpl = template(ev, cat, "bulk", "Bulk module")
    b.q1 = block(ev, b.tpl, 0, "question", "First", "text")
    b.q2 = block(ev, b.tpl, 1, "question", "Second", "text")
    b.req = block(ev, b.tpl, 2, "request", "Gear", needs_op=1, needs_res=1)
    b.opreq = block(ev, b.tpl, 3, "request", "Passes", needs_op=1)
    b.reviewer = new_user(tag="amreviewer")
    put_on_event(ev, b.reviewer, w.host, VIEWER, w.pool)
    b.aA = advance(ev, w.sound, "Bulk A", u, w.main)
    b.mA = module(ev, b.aA, b.tpl)
    answer(ev, b.mA, b.q1, "one", u)
    answer(ev, b.mA, b.q2, "two", u)
    b.iA = item(ev, b.mA, b.req, u, 0, description="Amp")
    b.iA2 = item(ev, b.mA, b.req, u, 1, description="Cable")
    b.aB = advance(ev, w.bar, "Bulk B", u)
    b.mB = module(ev, b.aB, b.tpl, reviewer=uid_of(b.reviewer))
    answer(ev, b.mB, b.q1, "three", u)
    b.iB = item(ev, b.mB, b.req, u, 0, description="Tent")
    b.iP = item(ev, b.mB, b.opreq, u, 0, description="Pass")
    return b


def review_of(mod, blk):
    return sql_one(f"SELECT review FROM answers WHERE advance_module_id = "
                   f"{mod} AND block_id = {blk}")


def item_row(iid):
    return sql(f"SELECT review, op_state, res_state, COALESCE(op_reason, ''),"
               f" COALESCE(res_reason, '') FROM line_items WHERE id = {iid}"
               )[0]


def audits(ev, action):
    return int(sql_one(f"SELECT COUNT(*) FROM audit_log WHERE event_id = "
                       f"{ev} AND action = '{action}'"))


def test_bulk_review_modules(w, bk):
    v = api_get(w.owner, table(w, bk.tpl))
    assert v["can_bulk"] and v["can_review"] and v["can_set_due_date"]
    before = audits(w.event, "answer.reviewed")
    r = api_post(w, "owner", f"{table(w, bk.tpl)}/bulk", {
        "action": "mark_reviewed", "modules": [f"{bk.mA}:1"],
        "seen": v["seen"]})
    assert r.status_code == 200, r.text
    assert r.json()["answers_reviewed"] == 2
    assert r.json()["items_reviewed"] == 2
    assert review_of(bk.mA, bk.q1) == review_of(bk.mA, bk.q2) == "reviewed"
    assert item_row(bk.iA)[0] == item_row(bk.iA2)[0] == "reviewed"
    assert review_of(bk.mB, bk.q1) == "needs_review"
    assert item_row(bk.iB)[0] == "needs_review"
    assert audits(w.event, "answer.reviewed") == before + 2
    row = rows_by(api_get(w.owner, table(w, bk.tpl)))[("Sound Co",
                                                        "Bulk A")]
    assert row["needs_review"] is False


def test_bulk_review_cells_and_stale(w, bk):
    v = api_get(w.owner, table(w, bk.tpl))
    # Someone saves Bulk B's answer after the page was shown.
    sql(f"UPDATE answers SET value = 'changed', version = 2 WHERE "
        f"advance_module_id = {bk.mB} AND block_id = {bk.q1}")
    r = api_post(w, "owner", f"{table(w, bk.tpl)}/bulk", {
        "action": "mark_reviewed",
        "cells": [f"{bk.mB}:{bk.q1}", f"{bk.mB}:{bk.req}"],
        "seen": v["seen"]})
    problem(r, 409, "edit-conflict")
    assert "First" in r.json()["detail"] and "Bulk B" in r.json()["detail"]
    # Nothing changed: the item in the same selection still needs review.
    assert item_row(bk.iB)[0] == "needs_review"
    assert review_of(bk.mB, bk.q1) == "needs_review"
    # Without the versions the page showed, nothing is reviewed blind.
    r = api_post(w, "owner", f"{table(w, bk.tpl)}/bulk", {
        "action": "mark_reviewed", "cells": [f"{bk.mB}:{bk.req}"]})
    problem(r, 409, "edit-conflict")
    # Shown again, the cell alone goes through.
    v = api_get(w.owner, table(w, bk.tpl))
    assert f"answer:{bk.mB}:{bk.q1}:2" in v["seen"]
    r = api_post(w, "owner", f"{table(w, bk.tpl)}/bulk", {
        "action": "mark_reviewed", "cells": [f"{bk.mB}:{bk.req}"],
        "seen": v["seen"]})
    assert r.status_code == 200, r.text
    assert (r.json()["answers_reviewed"], r.json()["items_reviewed"]) == \
        (0, 1)
    assert item_row(bk.iB)[0] == "reviewed"
    assert item_row(bk.iP)[0] == "needs_review"
    assert review_of(bk.mB, bk.q1) == "needs_review"


def test_bulk_review_refusals(w, bk):
    path = f"{table(w, bk.tpl)}/bulk"
    r = api_post(w, "owner", path, {"action": "mark_reviewed"})
    problem(r, 422, "validation-failed")
    r = api_post(w, "owner", path, {"action": "delete", "modules": ["1"]})
    problem(r, 422, "validation-failed")
    assert r.json()["errors"][0]["parameter"] == "action"
    r = api_post(w, "owner", path, {"action": "mark_reviewed",
                                    "modules": ["x:y"]})
    problem(r, 422)
    r = api_post(w, "owner", path, {"action": "mark_reviewed",
                                    "modules": [f"{w.m1}:1"]})
    problem(r, 404, "not-found")        # another template's module
    # The area lead does not see Bar Co's advance at all.
    r = api_post(w, "lead", path, {"action": "mark_reviewed",
                                   "modules": [f"{bk.mB}:1"]})
    problem(r, 404, "not-found")
    # A bad due date is a field error, not a bad filter.
    r = api_post(w, "owner", path, {"action": "set_due_date",
                                    "modules": [f"{bk.mB}:1"],
                                    "due_date": "2027-02-30"})
    problem(r, 422, "validation-failed")
    assert r.json()["errors"][0]["parameter"] == "due_date"
    r = api_post(w, "owner", path + "?sort=bogus", {"action": "x"})
    problem(r, 400, "invalid-parameter")
    sql(f"UPDATE events SET status = 'archived' WHERE id = {w.event}")
    try:
        r = api_post(w, "owner", path, {"action": "mark_reviewed",
                                        "modules": [f"{bk.mB}:1"]})
        problem(r, 409, "event-archived")
        r = api_post(w, "owner", f"{mgr(w)}/approvals/bulk", {
            "action": "approve", "items": [f"{bk.iB}:1"]})
        problem(r, 409, "event-archived")
        # Read-only pages: no bulk controls.
        v = api_get(w.owner, table(w, bk.tpl))
        assert v["can_bulk"] is False and v["seen"] == []
        page = w.owner.get(table(w, bk.tpl)).text
        assert 'name="cells"' not in page and 'name="modules"' not in page
        assert api_get(w.owner, f"{mgr(w)}/approvals")["can_bulk"] is False
    finally:
        sql(f"UPDATE events SET status = 'active' WHERE id = {w.event}")


def test_reviewer_reviews_but_cannot_set_due(w, bk):
    v = api_get(bk.reviewer, table(w, bk.tpl))
    rows = rows_by(v)
    assert rows[("Bar Co", "Bulk B")]["can_review"] is True
    assert rows[("Bar Co", "Bulk B")]["can_set_due_date"] is False
    assert rows[("Sound Co", "Bulk A")]["can_review"] is False
    bk.reviewer.tok = create_token(bk.reviewer, "read-write")
    h = dict(JSON, Authorization="Bearer " + bk.reviewer.tok)
    path = BASE + f"{table(w, bk.tpl)}/bulk"
    r = requests.post(path, headers=h, json={
        "action": "set_due_date", "modules": [f"{bk.mB}:1"],
        "due_date": "2027-06-01"})
    problem(r, 403, "insufficient-permission")
    r = requests.post(path, headers=h, json={
        "action": "mark_reviewed", "modules": [f"{bk.mA}:1", f"{bk.mB}:1"],
        "seen": v["seen"]})
    problem(r, 403, "insufficient-permission")
    assert review_of(bk.mB, bk.q1) == "needs_review"
    r = requests.post(path, headers=h, json={
        "action": "mark_reviewed", "modules": [f"{bk.mB}:1"],
        "seen": v["seen"]})
    assert r.status_code == 200, r.text
    assert review_of(bk.mB, bk.q1) == "reviewed"


def test_bulk_set_due_date(w, bk):
    path = f"{table(w, bk.tpl)}/bulk"
    ver = int(sql_one(f"SELECT version FROM advance_modules WHERE id = "
                      f"{bk.mA}"))
    before = audits(w.event, "advance_module.updated")
    r = api_post(w, "owner", path, {"action": "set_due_date",
                                    "modules": [f"{bk.mA}:{ver}"]})
    problem(r, 422, "validation-failed")
    assert r.json()["errors"][0]["parameter"] == "due_date"
    r = api_post(w, "owner", path, {"action": "set_due_date",
                                    "modules": [f"{bk.mA}"],
                                    "due_date": "2027-06-01"})
    problem(r, 422)                     # the version is needed
    r = api_post(w, "owner", path, {"action": "set_due_date",
                                    "modules": [f"{bk.mA}:{ver}",
                                                f"{bk.mB}:1"],
                                    "due_date": "2027-06-01"})
    assert r.status_code == 200, r.text
    assert r.json()["modules_changed"] == 2
    assert sql_one(f"SELECT DATE_FORMAT(due_date, '%Y-%m-%d') FROM "
                   f"advance_modules WHERE id = {bk.mA}") == "2027-06-01"
    assert int(sql_one(f"SELECT version FROM advance_modules WHERE id = "
                       f"{bk.mA}")) == ver + 1
    assert audits(w.event, "advance_module.updated") == before + 2
    # The version the page showed is now stale: nothing changes.
    r = api_post(w, "owner", path, {"action": "set_due_date",
                                    "modules": [f"{bk.mA}:{ver}"],
                                    "clear_due_date": True})
    problem(r, 409, "edit-conflict")
    assert sql_one(f"SELECT due_date FROM advance_modules WHERE id = "
                   f"{bk.mA}") == "2027-06-01"
    r = api_post(w, "owner", path, {"action": "set_due_date",
                                    "modules": [f"{bk.mA}:{ver + 1}"],
                                    "clear_due_date": True})
    assert r.status_code == 200, r.text
    assert sql_one(f"SELECT due_date FROM advance_modules WHERE id = "
                   f"{bk.mA}") == "NULL"


def test_bulk_html_form(w, bk):
    sql(f"UPDATE answers SET review = 'needs_review' WHERE "
        f"advance_module_id = {bk.mA}")
    r = w.coord.get(table(w, bk.tpl))
    assert r.status_code == 200
    seen = re.findall(r'name="seen" value="([^"]+)"', r.text)
    assert f"answer:{bk.mA}:{bk.q1}:1" in seen
    r = w.coord.post(f"{table(w, bk.tpl)}/bulk?collaborator={w.sound}", {
        "action": "mark_reviewed", "cells": f"{bk.mA}:{bk.q1}",
        "seen": seen})
    assert r.status_code == 303, r.text[:500]
    assert r.headers["Location"] == \
        f"{table(w, bk.tpl)}?collaborator={w.sound}"
    assert review_of(bk.mA, bk.q1) == "reviewed"
    assert review_of(bk.mA, bk.q2) == "needs_review"
    page = w.coord.get(r.headers["Location"])
    assert "1 answer and 0 line items marked reviewed" in page.text
    # A refusal shows the page again, naming what was refused.
    r = w.coord.get(table(w, bk.tpl))
    sql(f"UPDATE answers SET version = 5 WHERE advance_module_id = "
        f"{bk.mA} AND block_id = {bk.q2}")
    seen = re.findall(r'name="seen" value="([^"]+)"', r.text)
    r = w.coord.post(f"{table(w, bk.tpl)}/bulk", {
        "action": "mark_reviewed", "modules": f"{bk.mA}:1", "seen": seen})
    assert r.status_code == 409
    assert "Nothing was changed" in r.text and "“Second” of Sound Co" in \
        r.text
    r = w.coord.post(f"{table(w, bk.tpl)}/bulk", {"action": "set_due_date",
                                                  "modules": f"{bk.mA}:1"})
    assert r.status_code == 422 and "Enter a due date" in r.text


# --- bulk approvals ---------------------------------------------------------------


def test_approve_and_decline(w, bk):
    path = f"{mgr(w)}/approvals/bulk"
    before = audits(w.event, "line_item.approved")
    r = api_post(w, "owner", path, {"action": "approve", "kind":
                                    "operational", "items": [f"{bk.iA}:1",
                                                             f"{bk.iB}:1"]})
    assert r.status_code == 200, r.text
    assert r.json()["updated"] == 2
    assert item_row(bk.iA)[1] == item_row(bk.iB)[1] == "approved"
    assert audits(w.event, "line_item.approved") == before + 2
    r = api_post(w, "owner", path, {"action": "decline", "kind": "resource",
                                    "items": [f"{bk.iA}:1"]})
    problem(r, 422, "validation-failed")
    assert any(e["parameter"] == "reason" for e in r.json()["errors"])
    assert item_row(bk.iA)[2] == "pending"
    r = api_post(w, "owner", path, {"action": "decline", "kind": "resource",
                                    "items": [f"{bk.iA}:1"],
                                    "reason": "Not in budget"})
    assert r.status_code == 200, r.text
    assert item_row(bk.iA)[1:] == ["approved", "declined", "",
                                   "Not in budget"]
    v = api_get(w.owner, f"{mgr(w)}/approvals?resource=declined"
                f"&module={bk.tpl}")
    assert [i["id"] for i in v["items"]] == [bk.iA]


def test_approval_refusals(w, bk):
    path = f"{mgr(w)}/approvals/bulk"
    # Resource approval needs Event-domain advancing admin: a collaborator
    # and area admin is refused outright.
    r = api_post(w, "cadmin", path, {"action": "approve", "kind": "resource",
                                     "items": [f"{bk.iA2}:1"]})
    problem(r, 403, "insufficient-permission")
    # ... but may give the operational one on Sound Co's items.
    r = api_post(w, "cadmin", path, {"action": "approve", "kind":
                                     "operational", "items": [f"{bk.iA2}:1"]})
    assert r.status_code == 200, r.text
    # The block does not ask for resource approval: nothing changes.
    r = api_post(w, "owner", path, {"action": "approve", "kind": "resource",
                                    "items": [f"{bk.iB}:1", f"{bk.iP}:1"]})
    problem(r, 422, "validation-failed")
    assert item_row(bk.iB)[2] == "pending"
    # Changed since shown: nothing changes.
    sql(f"UPDATE line_items SET version = 2 WHERE id = {bk.iP}")
    r = api_post(w, "owner", path, {"action": "approve", "kind":
                                    "operational", "items": [f"{bk.iA2}:1",
                                                             f"{bk.iP}:1"]})
    problem(r, 409, "edit-conflict")
    assert item_row(bk.iP)[1] == "pending"
    # The area lead cannot see Bar Co's items.
    r = api_post(w, "lead", path, {"action": "approve", "kind":
                                   "operational", "items": [f"{bk.iB}:1"]})
    problem(r, 404, "not-found")
    r = api_post(w, "owner", path, {"action": "approve", "kind": "both",
                                    "items": ["1:x"]})
    problem(r, 422, "validation-failed")
    # The module's reviewer gives operational approval there only.
    h = dict(JSON, Authorization="Bearer " + bk.reviewer.tok)
    r = requests.post(BASE + path, headers=h, json={
        "action": "approve", "kind": "operational", "items": [f"{bk.iP}:2"]})
    assert r.status_code == 200, r.text
    assert item_row(bk.iP)[1] == "approved"
    r = requests.post(BASE + path, headers=h, json={
        "action": "approve", "kind": "operational", "items": [f"{bk.iA2}:1"]})
    problem(r, 403, "insufficient-permission")


def test_approvals_html_form(w, bk):
    r = w.coord.get(f"{mgr(w)}/approvals?module={bk.tpl}")
    assert r.status_code == 200
    assert f'value="{bk.iA2}:1"' in r.text
    assert '<option value="resource">' in r.text
    r = w.coord.post(f"{mgr(w)}/approvals/bulk?module={bk.tpl}", {
        "action": "approve", "kind": "resource", "items": f"{bk.iA2}:1"})
    assert r.status_code == 303, r.text[:500]
    assert r.headers["Location"] == f"{mgr(w)}/approvals?module={bk.tpl}"
    assert item_row(bk.iA2)[2] == "approved"
    r = w.coord.post(f"{mgr(w)}/approvals/bulk", {
        "action": "decline", "kind": "operational", "items": f"{bk.iA2}:1"})
    assert r.status_code == 422 and "Give a reason" in r.text
    r = w.cadmin.get(f"{mgr(w)}/approvals")
    assert '<option value="resource">' not in r.text


# --- JSON twins and query counts ----------------------------------------------------


def test_api_twins(w):
    r = w.owner.s.get(BASE + "/api/v1" + table(w))
    assert r.status_code == 200 and r.json()["total"] == 4
    r = w.owner.s.get(BASE + "/api/v1" + mgr(w))
    assert r.status_code == 200 and r.json()["templates"]
    r = requests.post(BASE + "/api/v1" + f"{table(w)}/bulk", json={
        "action": "mark_reviewed"}, headers={
        "Authorization": "Bearer " + token(w, "owner")})
    problem(r, 422, "validation-failed")


def queries(b, path):
    r = b.s.get(BASE + path)
    assert r.status_code == 200, r.text[:300]
    return int(r.headers["X-Debug-Queries"])


def test_query_counts_do_not_grow(w):
    owner = new_user(tag="amcount")
    org = new_org(owner, org_standard=1, org_pro=0, event_pro=1)
    ev = new_event(owner, org, name="Count Fest")
    u = uid_of(owner)
    cat = category(ev)
    mic = asset_type(ev, "mic", "Microphone", [("model", "Model", "text")])
    tpl = template(ev, cat, "count", "Count")
    qs = [block(ev, tpl, i, "question", f"Q{i}", "text") for i in range(3)]
    rq = block(ev, tpl, 3, "request", "Mics", asset=mic, needs_op=1)
    fq = block(ev, tpl, 4, "question", "File", "file")

    def add(n):
        cid = insert_collab(ev, f"Collab {n}")
        adv = advance(ev, cid, f"Adv {n}", u)
        m = module(ev, adv, tpl, due="2020-01-01")
        for b in qs:
            answer(ev, m, b, f"v{n}", u)
        item(ev, m, rq, u, props={"props": {"model": f"M{n}"}})
        file_answer(ev, m, fq, f"f{n}.pdf", u)

    add(0)
    owner.get(f"/events/{ev}")       # the session's first-request writes
    paths = [f"/events/{ev}/advance-manager",
             f"/events/{ev}/advance-manager/{tpl}",
             f"/events/{ev}/advance-manager/{tpl}.csv",
             f"/events/{ev}/advance-manager/{tpl}/print",
             f"/events/{ev}/advance-manager/{tpl}/blocks/{rq}/items.csv",
             f"/events/{ev}/advance-manager/approvals"]
    one = [queries(owner, p) for p in paths]
    for n in range(1, 30):
        add(n)
    v = api_get(owner, f"/events/{ev}/advance-manager/{tpl}")
    assert v["total"] == 30
    thirty = [queries(owner, p) for p in paths]
    assert one == thirty
    assert max(one) <= 16, one


def test_long_answers_are_cut_in_cells_only(w):
    ev, u = w.event, w.uid
    cat = category(ev, "Notes")
    tpl = template(ev, cat, "notes", "Notes")
    b = block(ev, tpl, 0, "question", "Story", "longtext")
    adv = advance(ev, w.light, "Notes", u)
    m = module(ev, adv, tpl)
    text = "Line one\n" + "é" * 400
    answer(ev, m, b, text, u)
    cell = api_get(w.owner, table(w, tpl))["rows"][0]["cells"][0]
    assert cell["cut"] is True and cell["long"] is True
    assert cell["display"].endswith("…") and len(cell["display"]) < 200
    assert cell["value"] == text
    page = w.owner.get(table(w, tpl)).text
    assert 'class="advm-long"' in page and ">more</a>" in page
    r = w.owner.get(table(w, tpl) + ".csv")
    rows = list(csv.reader(io.StringIO(r.content[3:].decode(), newline="")))
    assert rows[1][rows[0].index("Story")] == text
