"""Advancing configuration (issue 7 items 1-3; PRODUCT §13.1-§13.3): asset
types with properties and sub-assets, module categories, module templates
with their blocks, advance templates with their modules. Happy paths
through HTML and JSON, every refusal the rules name (duplicate names,
bad types and options, number limits, request flags, type changes once
answered, deletions in use, retire instead of delete), stale versions
(409 pages showing both values, 412 for If-Match), who may read and
write (viewer 403, vendor 404, other tenant 404, archived 409), audit
entries and the query counts of the list pages.

Objects of other groups (advances, answers, line items) are made with
SQL: the schema is fixed."""

import json
import re
import uuid

import pytest
import requests

from bo import BASE, new_event, new_org, new_user, sql, sql_one
from test_core import create_token, problem
from world import (COORDINATOR, VIEWER, add_member, insert_collab,
                   put_on_event, uid_of, vendor_contact)


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="cfgowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=1, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Config Fest",
                        start_date="2027-07-10", end_date="2027-07-12",
                        timezone="Europe/Amsterdam")
    w.pool = int(sql_one(f"SELECT pool_id FROM events WHERE id = {w.event}"))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                         f" {w.event} AND is_host = 1"))
    w.v1 = insert_collab(w.event, "Sound Co")
    w.coord = new_user(tag="cfgcoord")
    put_on_event(w.event, w.coord, w.host, COORDINATOR, w.pool)
    w.viewer = new_user(tag="cfgviewer")
    add_member(w.org, w.viewer, "member", "org_standard")
    put_on_event(w.event, w.viewer, w.host, VIEWER, w.pool)
    w.vendor = new_user(tag="cfgvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    w.other = new_user(tag="cfgother")
    new_org(w.other)
    w.tok = create_token(w.owner, "read-write")
    w.ctok = create_token(w.coord, "read-write")
    for b in (w.owner, w.coord, w.viewer, w.vendor, w.other):
        b.get("/account")
    return w


def ev(w, path=""):
    return f"/events/{w.event}{path}"


def api(w, method, path, tok=None, **kw):
    headers = kw.pop("headers", {})
    headers["Authorization"] = "Bearer " + (tok or w.tok)
    return requests.request(method, BASE + "/api/v1" + path, headers=headers,
                            **kw)


def fields(p):
    return {e.get("pointer", "").lstrip("/") or e.get("parameter")
            for e in p["errors"]}


def audit_actions(w, target_type, target_id):
    return [r[0] for r in sql(
        f"SELECT action FROM audit_log WHERE event_id = {w.event} AND"
        f" target_type = '{target_type}' AND target_id = {target_id}"
        f" ORDER BY id")]


def uniq(prefix):
    return prefix + " " + uuid.uuid4().hex[:6]


def new_category(w, name=None, icon=""):
    r = api(w, "POST", ev(w, "/module-categories"),
            json={"name": name or uniq("Cat"), "icon": icon})
    assert r.status_code == 201, r.text
    return r.json()["module_category"]


def new_asset_type(w, **extra):
    body = {"name": uniq("type"), "label": "Labor call"}
    body.update(extra)
    r = api(w, "POST", ev(w, "/asset-types"), json=body)
    assert r.status_code == 201, r.text
    return r.json()["asset_type"]


def new_template(w, cat=None, **extra):
    cat = cat or new_category(w)
    body = {"name": uniq("Rider"), "label": "Audio rider",
            "category_id": cat["id"]}
    body.update(extra)
    r = api(w, "POST", ev(w, "/module-templates"), json=body)
    assert r.status_code == 201, r.text
    return r.json()["module_template"]


def add_block(w, tid, expect=201, **body):
    r = api(w, "POST", ev(w, f"/module-templates/{tid}/blocks"), json=body)
    assert r.status_code == expect, r.text
    return r.json()


def make_advance(w, tid, collab=None):
    """An advance of V1 using module template tid (SQL); returns the
    advance module id."""
    collab = collab or w.v1
    name = uniq("Advance")
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name,"
        f" name_norm, created_by, created_at, updated_at) VALUES"
        f" ('{uuid.uuid4()}', {w.event}, {collab}, '{name}', LOWER('{name}'),"
        f" {uid_of(w.owner)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    adv = int(sql_one(f"SELECT id FROM advances WHERE event_id = {w.event}"
                      f" AND name = '{name}'"))
    sql(f"INSERT INTO advance_modules (event_id, advance_id,"
        f" module_template_id) VALUES ({w.event}, {adv}, {tid})")
    return int(sql_one(f"SELECT id FROM advance_modules WHERE advance_id ="
                       f" {adv}")), name


def answer(w, module, block, value):
    sql(f"INSERT INTO answers (event_id, advance_module_id, block_id, value,"
        f" updated_by, updated_at) VALUES ({w.event}, {module}, {block},"
        f" '{value}', {uid_of(w.owner)}, UTC_TIMESTAMP(3))")


def line_item(w, module, block, props):
    sql(f"INSERT INTO line_items (event_id, advance_module_id, block_id,"
        f" props, created_by, created_at, updated_by, updated_at) VALUES"
        f" ({w.event}, {module}, {block}, '{json.dumps(props)}',"
        f" {uid_of(w.owner)}, UTC_TIMESTAMP(3), {uid_of(w.owner)},"
        f" UTC_TIMESTAMP(3))")


# --- module categories -------------------------------------------------------

def test_categories_html_create_edit_move_delete(w):
    b = w.owner
    r = b.get(ev(w, "/module-categories"))
    assert r.status_code == 200, r.text
    r = b.post(ev(w, "/module-categories"), {"name": "Technical",
                                            "icon": "speaker"})
    assert r.status_code == 303, r.text
    r = b.post(ev(w, "/module-categories"), {"name": "Hospitality",
                                            "icon": "food"})
    assert r.status_code == 303
    cats = api(w, "GET", ev(w, "/module-categories")).json()["items"]
    names = [c["name"] for c in cats]
    assert names[-2:] == ["Technical", "Hospitality"]
    tech = [c for c in cats if c["name"] == "Technical"][0]
    hosp = [c for c in cats if c["name"] == "Hospitality"][0]
    # Duplicate name (any case): 422 naming the field, typed value kept.
    r = b.post(ev(w, "/module-categories"), {"name": "technical"})
    assert r.status_code == 422
    assert 'value="technical"' in r.text and "already" in r.text
    p = problem(api(w, "POST", ev(w, "/module-categories"),
                    json={"name": "TECHNICAL"}), 422, "validation-failed")
    assert fields(p) == {"name"}
    p = problem(api(w, "POST", ev(w, "/module-categories"),
                    json={"name": "Bad icon", "icon": "rocket-ship"}), 422)
    assert fields(p) == {"icon"}
    # Move Hospitality before Technical (HTML buttons post an index).
    idx = names.index("Hospitality")
    r = b.post(ev(w, f"/module-categories/{hosp['id']}/move"),
               {"position": str(idx - 1)})
    assert r.status_code == 303
    names = [c["name"] for c in api(w, "GET", ev(w, "/module-categories"))
             .json()["items"]]
    assert names.index("Hospitality") < names.index("Technical")
    # Rename with the version seen; the ETag follows.
    r = b.post(ev(w, f"/module-categories/{tech['id']}"),
               {"name": "Tech", "icon": "light", "version": "1"})
    assert r.status_code == 303
    r = api(w, "GET", ev(w, f"/module-categories/{tech['id']}"))
    assert r.status_code == 200
    assert r.headers["ETag"] == f'"{tech["id"]}-v2"'
    assert r.json()["module_category"]["name"] == "Tech"
    # A stale form: 409 page with both values.
    r = b.post(ev(w, f"/module-categories/{tech['id']}"),
               {"name": "Technik", "icon": "light", "version": "1"})
    assert r.status_code == 409
    assert "Technik" in r.text and "Tech" in r.text
    # If-Match stale: 412; current: 200.
    problem(api(w, "POST", ev(w, f"/module-categories/{tech['id']}"),
                json={"name": "X"}, headers={"If-Match": f'"{tech["id"]}-v1"'}),
            412, "precondition-failed")
    r = api(w, "POST", ev(w, f"/module-categories/{tech['id']}"),
            json={"icon": "power"}, headers={"If-Match": f'"{tech["id"]}-v2"'})
    assert r.status_code == 200 and r.headers["ETag"] == f'"{tech["id"]}-v3"'
    assert r.json()["module_category"]["name"] == "Tech"
    # In use: 409 naming the template; unused: deleted.
    tpl = new_template(w, cat=tech)
    p = problem(api(w, "POST", ev(w, f"/module-categories/{tech['id']}/delete"),
                    json={"version": 3}), 409, "in-use")
    assert tpl["name"] in p["detail"]
    r = b.post(ev(w, f"/module-categories/{tech['id']}/delete"),
               {"version": "3"})
    assert r.status_code == 409 and tpl["name"] in r.text
    r = b.post(ev(w, f"/module-categories/{hosp['id']}/delete"),
               {"version": "1"})
    assert r.status_code == 303
    assert sql_one(f"SELECT COUNT(*) FROM module_categories WHERE id ="
                   f" {hosp['id']}") == "0"
    assert audit_actions(w, "module_category", hosp["id"]) == [
        "module_category.created", "module_category.moved",
        "module_category.deleted"]
