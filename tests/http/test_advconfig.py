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

from bo import BASE_NOLIMIT, new_event, new_org, new_user, sql, sql_one
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
    """JSON through the HTML path with a JSON Accept (the same handlers as
    /api/v1, outside nginx's per-address API rate limit, which a test
    making hundreds of calls would hit); prefix=True uses /api/v1."""
    headers = kw.pop("headers", {})
    headers["Authorization"] = "Bearer " + (tok or w.tok)
    headers.setdefault("Accept", "application/json")
    prefix = "/api/v1" if kw.pop("prefix", False) else ""
    return requests.request(method, BASE_NOLIMIT + prefix + path,
                            headers=headers, **kw)


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


# --- the advancing sub-navigation --------------------------------------------

@pytest.mark.parametrize("path,current", [
    ("/asset-types", "asset-types"),
    ("/asset-types/new", "asset-types"),
    ("/module-categories", "module-templates"),
    ("/module-templates", "module-templates"),
    ("/module-templates/new", "module-templates"),
    ("/advance-templates", "advance-templates"),
    ("/advance-templates/new", "advance-templates"),
])
def test_config_pages_show_the_advancing_subnav(w, path, current):
    r = w.owner.get(ev(w, path))
    assert r.status_code == 200, r.text
    nav = re.search(r'<nav class="[^"]*adv-subnav[^"]*".*?</nav>', r.text,
                    re.S)
    assert nav, "no advancing sub-navigation"
    cur = re.findall(r'href="([^"]+)" aria-current="page"', nav.group(0))
    assert cur == [ev(w, "/" + current)], cur
    assert f'href="{ev(w, "/advances")}"' in nav.group(0)
    items = api(w, "GET", ev(w, path)).json()["subnav"]
    assert [i["key"] for i in items if i["current"]] == [current]


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
    # Move Hospitality before Technical (HTML buttons post an index and
    # name the row they move).
    r = b.get(ev(w, "/module-categories"))
    assert 'aria-label="Move Hospitality up"' in r.text
    assert 'aria-label="Move Technical down"' in r.text
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


# --- asset types -------------------------------------------------------------

def test_asset_type_html_and_json_happy_path(w):
    b = w.owner
    r = b.get(ev(w, "/asset-types/new"))
    assert r.status_code == 200 and 'name="item_label"' in r.text
    name = uniq("laborcall")
    r = b.post(ev(w, "/asset-types"), {"name": name, "label": "Labor call",
                                      "icon": "people", "category":
                                      "Staffing", "item_label": "Call"})
    assert r.status_code == 303, r.text
    m = re.match(rf"^/events/{w.event}/asset-types/(\d+)$",
                 r.headers["Location"])
    tid = int(m.group(1))
    page = ev(w, f"/asset-types/{tid}")
    r = b.get(page)
    assert r.status_code == 200 and "Labor call" in r.text
    # Properties of the type, a sub-asset and a property of it.
    r = b.post(page + "/properties", {"label": "Start", "response_type":
                                     "datetime", "required": "1",
                                     "version": "1"})
    assert r.status_code == 303, r.text
    r = b.post(page + "/properties", {"label": "Crew role",
                                     "response_type": "select",
                                     "options_text": "Stagehand\nRigger\n",
                                     "version": "2"})
    assert r.status_code == 303, r.text
    r = b.post(page + "/sub-assets", {"label": "Laborer", "version": "3"})
    assert r.status_code == 303, r.text
    t = api(w, "GET", ev(w, f"/asset-types/{tid}")).json()["asset_type"]
    sub = t["sub_assets"][0]
    assert sub["key"] == "laborer" and sub["label"] == "Laborer"
    r = b.post(page + "/properties", {"label": "Quantity",
                                     "response_type": "number",
                                     "sub_asset_id": str(sub["id"]),
                                     "required": "1", "version": "4"})
    assert r.status_code == 303, r.text
    r = api(w, "GET", ev(w, f"/asset-types/{tid}"))
    assert r.status_code == 200 and r.headers["ETag"] == f'"{tid}-v5"'
    t = r.json()["asset_type"]
    assert (t["name"], t["label"], t["icon"], t["category"],
            t["item_label"]) == (name, "Labor call", "people", "Staffing",
                                 "Call")
    props = [(p["key"], p["response_type"], p["required"])
             for p in t["properties"]]
    assert props == [("start", "datetime", True), ("crew_role", "select",
                                                   False)]
    role = t["properties"][1]
    assert [(o["key"], o["label"]) for o in role["options"]] == [
        ("o1", "Stagehand"), ("o2", "Rigger")]
    assert [(p["key"], p["response_type"]) for p in
            t["sub_assets"][0]["properties"]] == [("quantity", "number")]
    # Rename an option keeping its key, drop one, add one (JSON form).
    r = api(w, "POST", ev(w, f"/asset-types/{tid}/properties/{role['id']}"),
            json={"options": [{"key": "o1", "label": "Stage hand"},
                              {"label": "Runner"}]},
            headers={"If-Match": f'"{tid}-v5"'})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{tid}-v6"'
    role = r.json()["asset_type"]["properties"][1]
    assert [(o["key"], o["label"], o["retired"]) for o in role["options"]] \
        == [("o1", "Stage hand", False), ("o3", "Runner", False)]
    # The same through the textarea: "key | Label" keeps keys.
    r = b.post(page + f"/properties/{role['id']}",
               {"label": "Crew role", "response_type": "select",
                "options_text": "o3 | Runner\no1 | Stagehand\nLoader",
                "version": "6"})
    assert r.status_code == 303, r.text
    role = api(w, "GET", ev(w, f"/asset-types/{tid}")).json()[
        "asset_type"]["properties"][1]
    assert [(o["key"], o["label"]) for o in role["options"]] == [
        ("o3", "Runner"), ("o1", "Stagehand"), ("o4", "Loader")]
    # Move the second property to the top.
    r = b.post(page + f"/properties/{role['id']}/move", {"position": "0",
                                                        "version": "7"})
    assert r.status_code == 303
    t = api(w, "GET", ev(w, f"/asset-types/{tid}")).json()["asset_type"]
    assert [p["key"] for p in t["properties"]] == ["crew_role", "start"]
    # Edit the type itself.
    r = b.post(page, {"name": name, "label": "Labour call", "icon": "people",
                      "category": "Staffing", "item_label": "Call",
                      "version": "8"})
    assert r.status_code == 303
    r = b.get(ev(w, "/asset-types"))
    assert r.status_code == 200 and "Labour call" in r.text
    items = api(w, "GET", ev(w, "/asset-types")).json()["items"]
    mine = [i for i in items if i["id"] == tid][0]
    assert mine["properties_count"] == 2 and mine["sub_assets_count"] == 1
    assert "asset_type.updated" in audit_actions(w, "asset_type", tid)
    assert audit_actions(w, "asset_property", role["id"]) == [
        "asset_property.created", "asset_property.updated",
        "asset_property.updated", "asset_property.moved"]


def test_asset_type_refusals(w):
    t = new_asset_type(w, name="Backline")
    tid = t["id"]
    base = ev(w, f"/asset-types/{tid}")
    # Name unique per event, any case: JSON 422 and HTML 422 keep input.
    p = problem(api(w, "POST", ev(w, "/asset-types"),
                    json={"name": "BACKLINE", "label": "x"}), 422)
    assert fields(p) == {"name"}
    r = w.owner.post(ev(w, "/asset-types"), {"name": "backline",
                                            "label": "Other label"})
    assert r.status_code == 422 and 'value="Other label"' in r.text
    p = problem(api(w, "POST", ev(w, "/asset-types"), json={}), 422)
    assert fields(p) == {"name", "label"}
    # Properties: bad type, files, options, keys.
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "X", "response_type": "colour"}), 422)
    assert fields(p) == {"response_type"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "X", "response_type": "file"}), 422)
    assert fields(p) == {"response_type"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "Colour", "response_type": "select"}), 422)
    assert fields(p) == {"options"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "Colour", "response_type": "select",
                          "options": [str(i) for i in range(201)]}), 422)
    assert fields(p) == {"options"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "Colour", "response_type": "select",
                          "options": ["Red", "red"]}), 422)
    assert fields(p) == {"options"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "X", "key": "9bad", "response_type":
                          "text"}), 422)
    assert fields(p) == {"key"}
    r = api(w, "POST", base + "/properties",
            json={"label": "Model", "response_type": "text"})
    assert r.status_code == 201
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "Model 2", "key": "model",
                          "response_type": "text"}), 422)
    assert fields(p) == {"key"}
    # 200 options are fine.
    r = api(w, "POST", base + "/properties",
            json={"label": "Size", "response_type": "select",
                  "options": ["S%d" % i for i in range(200)]})
    assert r.status_code == 201, r.text
    assert len(r.json()["asset_type"]["properties"][1]["options"]) == 200
    assert sql_one(f"SELECT COUNT(*) FROM asset_props WHERE asset_type_id ="
                   f" {tid}") == "2"


def test_asset_property_values_rules(w):
    t = new_asset_type(w)
    tid = t["id"]
    base = ev(w, f"/asset-types/{tid}")
    for body in ({"label": "Count", "response_type": "number"},
                 {"label": "Colour", "response_type": "select",
                  "options": ["Red", "Blue", "Green"]},
                 {"label": "Unused", "response_type": "text"}):
        assert api(w, "POST", base + "/properties", json=body) \
            .status_code == 201
    r = api(w, "POST", base + "/sub-assets", json={"label": "Crew member"})
    assert r.status_code == 201
    t = r.json()["asset_type"]
    sub = t["sub_assets"][0]
    r = api(w, "POST", base + "/properties",
            json={"label": "Role", "response_type": "text",
                  "sub_asset_id": sub["id"]})
    assert r.status_code == 201
    t = r.json()["asset_type"]
    count, colour, unused = t["properties"]
    subprop = t["sub_assets"][0]["properties"][0]
    # A request block of a template using the type, one line item.
    tpl = new_template(w)
    blk = add_block(w, tpl["id"], kind="request", name="Crew",
                    asset_type_id=tid)["block"]
    mod, _ = make_advance(w, tpl["id"])
    line_item(w, mod, blk["id"], {"props": {"count": "4", "colour": "o2"},
                                  "subs": {"crew_member": [{"role": "x"}]}})
    ver = t["version"]
    # The type of a property with values can't change: 409.
    p = problem(api(w, "POST", base + f"/properties/{count['id']}",
                    json={"response_type": "text"}), 409, "in-use")
    assert "1 line item" in p["detail"]
    # Without values it can.
    r = api(w, "POST", base + f"/properties/{unused['id']}",
            json={"response_type": "longtext"})
    assert r.status_code == 200
    ver += 1
    # An option in use is retired, an unused one removed.
    r = api(w, "POST", base + f"/properties/{colour['id']}",
            json={"options": [{"key": "o1", "label": "Red"}]})
    assert r.status_code == 200, r.text
    ver += 1
    opts = [(o["key"], o["retired"]) for o in
            r.json()["asset_type"]["properties"][1]["options"]]
    assert opts == [("o1", False), ("o2", True)]
    # Offer the retired one again (HTML checkbox).
    r = w.owner.post(base + f"/properties/{colour['id']}",
                     {"label": "Colour", "response_type": "select",
                      "options_text": "o1 | Red", "restore_options": "o2",
                      "version": str(ver)})
    assert r.status_code == 303, r.text
    ver += 1
    opts = [(o["key"], o["retired"]) for o in api(w, "GET", base).json()[
        "asset_type"]["properties"][1]["options"]]
    assert opts == [("o1", False), ("o2", False)]
    # Removing a property with values retires it; without, deletes it.
    r = api(w, "POST", base + f"/properties/{count['id']}/delete",
            json={"version": ver})
    assert r.status_code == 200 and r.json()["result"] == "retired"
    ver += 1
    assert sql_one(f"SELECT retired FROM asset_props WHERE id ="
                   f" {count['id']}") == "1"
    r = w.owner.post(base + f"/properties/{unused['id']}/delete",
                     {"version": str(ver)})
    assert r.status_code == 303
    ver += 1
    assert sql_one(f"SELECT COUNT(*) FROM asset_props WHERE id ="
                   f" {unused['id']}") == "0"
    assert audit_actions(w, "asset_property", count["id"])[-1] == \
        "asset_property.retired"
    # A sub-asset with rows is retired, its property with values too.
    r = api(w, "POST", base + f"/properties/{subprop['id']}/delete",
            json={"version": ver})
    assert r.json()["result"] == "retired"
    ver += 1
    r = api(w, "POST", base + f"/sub-assets/{sub['id']}/delete",
            json={"version": ver})
    assert r.status_code == 200 and r.json()["result"] == "retired"
    ver += 1
    assert r.json()["asset_type"]["sub_assets"][0]["retired"] is True
    # The type is in use by the request block: 409 naming it.
    p = problem(api(w, "POST", base + "/delete", json={"version": ver}),
                409, "in-use")
    assert tpl["name"] in p["detail"] and "Crew" in p["detail"]
    r = w.owner.get(base + "/delete")
    assert r.status_code == 200 and tpl["name"] in r.text
    r = w.owner.post(base + "/delete", {"version": str(ver)})
    assert r.status_code == 409 and tpl["name"] in r.text
    # An unused type goes, with its properties.
    t2 = new_asset_type(w)
    assert api(w, "POST", ev(w, f"/asset-types/{t2['id']}/properties"),
               json={"label": "A", "response_type": "text"}).status_code == 201
    r = w.owner.post(ev(w, f"/asset-types/{t2['id']}/delete"),
                     {"version": "2"})
    assert r.status_code == 303
    assert sql_one(f"SELECT COUNT(*) FROM asset_props WHERE asset_type_id ="
                   f" {t2['id']}") == "0"
    assert audit_actions(w, "asset_type", t2["id"])[-1] == \
        "asset_type.deleted"


def test_asset_type_stale_versions(w):
    t = new_asset_type(w, category="Power")
    tid = t["id"]
    page = ev(w, f"/asset-types/{tid}")
    assert api(w, "POST", page, json={"category": "Electrics"}).status_code \
        == 200
    # A form based on version 1: 409 page showing both values, nothing saved.
    r = w.owner.post(page, {"name": t["name"], "label": "Labor call",
                            "category": "Mine", "item_label": "Item",
                            "icon": "", "version": "1"})
    assert r.status_code == 409
    assert "Mine" in r.text and "Electrics" in r.text
    assert 'name="version" value="2"' in r.text
    assert sql_one(f"SELECT category FROM asset_types WHERE id = {tid}") \
        == "Electrics"
    problem(api(w, "POST", page, json={"category": "X"},
                headers={"If-Match": f'"{tid}-v1"'}), 412)
    p = problem(api(w, "POST", page, json={"category": "X", "version": 1}),
                409, "edit-conflict")
    assert "version 2" in p["detail"]
    # Property forms carry the type's version too.
    r = w.owner.post(page + "/properties", {"label": "Late",
                                            "response_type": "text",
                                            "version": "1"})
    assert r.status_code == 409
    problem(api(w, "POST", page + "/properties",
                json={"label": "Late", "response_type": "text"},
                headers={"If-Match": f'"{tid}-v1"'}), 412)
    # Delete needs a version (or If-Match).
    p = problem(api(w, "POST", page + "/delete", json={}), 422)
    assert fields(p) == {"version"}


# --- module templates and blocks ---------------------------------------------

def blocks_of(w, tid):
    r = api(w, "GET", ev(w, f"/module-templates/{tid}"))
    assert r.status_code == 200, r.text
    return r.json()["module_template"]["blocks"]


def test_module_template_editor_html(w):
    b = w.owner
    cat = new_category(w, name=uniq("Technical"))
    at = new_asset_type(w, label="Backline item")
    r = b.get(ev(w, "/module-templates/new"))
    assert r.status_code == 200 and cat["name"] in r.text
    name = uniq("Audio rider")
    r = b.post(ev(w, "/module-templates"), {
        "name": name, "label": "Audio", "icon": "speaker",
        "category_id": str(cat["id"]), "note": "For **headliners**"})
    assert r.status_code == 303, r.text
    tid = int(re.match(rf"^/events/{w.event}/module-templates/(\d+)$",
                       r.headers["Location"]).group(1))
    page = ev(w, f"/module-templates/{tid}")
    r = b.post(page + "/blocks", {"kind": "content",
                                  "body": "Send us your **rider**."})
    assert r.status_code == 303, r.text
    assert r.headers["Location"].startswith(page + "#block-")
    r = b.post(page + "/blocks", {"kind": "question", "label": "Console",
                                  "prompt": "Which *desk*?",
                                  "help": "Brand and model",
                                  "response_type": "select",
                                  "options_text": "Digital\nAnalog",
                                  "required": "1"})
    assert r.status_code == 303, r.text
    r = b.post(page + "/blocks", {"kind": "request", "name": "Backline",
                                  "item_label": "Piece",
                                  "asset_type_id": str(at["id"]),
                                  "needs_operational_approval": "1",
                                  "needs_resource_approval": "1",
                                  "procurement_eligible": "1",
                                  "max_items": "20"})
    assert r.status_code == 303, r.text
    r = b.post(page + "/blocks", {"kind": "question", "label": "Channels",
                                  "response_type": "number", "min": "1",
                                  "max": "64.0", "whole": "1",
                                  "position": "1"})
    assert r.status_code == 303, r.text
    bl = blocks_of(w, tid)
    assert [x["kind"] for x in bl] == ["content", "question", "question",
                                       "request"]
    assert [x.get("label") or x.get("name") for x in bl[1:]] == [
        "Channels", "Console", "Backline"]
    assert bl[0]["body_html"].count("<strong>rider</strong>") == 1
    ch = bl[1]
    assert (ch["response_type"], ch["min"], ch["max"], ch["whole"]) == (
        "number", "1", "64", True)
    co = bl[2]
    assert co["required"] is True and co["prompt_html"].count("<em>") == 1
    assert [(o["key"], o["label"]) for o in co["options"]] == [
        ("o1", "Digital"), ("o2", "Analog")]
    rq = bl[3]
    assert (rq["name"], rq["item_label"], rq["asset_type_id"],
            rq["needs_operational_approval"], rq["needs_resource_approval"],
            rq["procurement_eligible"], rq["max_items"]) == (
        "Backline", "Piece", at["id"], True, True, True, 20)
    # The editor: kind badges, preview link, no-JS move buttons.
    r = b.get(page)
    assert r.status_code == 200
    assert "Preview as a respondent" in r.text
    assert f'href="{page}/preview"' in r.text
    assert "cfg-badge-request" in r.text and "cfg-badge-question" in r.text
    assert r.text.count('name="position"') >= 3
    # Move the request up to the top, then edit the console question.
    r = b.post(page + f"/blocks/{rq['id']}/move", {"position": "0",
                                                   "version": "1"})
    assert r.status_code == 303
    assert [x["id"] for x in blocks_of(w, tid)] == [rq["id"], bl[0]["id"],
                                                    ch["id"], co["id"]]
    r = b.post(page + f"/blocks/{co['id']}", {
        "label": "Mixing console", "prompt": "Which desk?", "help": "",
        "response_type": "select", "options_text": "o2 | Analogue\no1 | "
        "Digital", "required": "1", "version": "1"})
    assert r.status_code == 303, r.text
    r = api(w, "GET", page + f"/blocks/{co['id']}")
    assert r.status_code == 200 and r.headers["ETag"] == f'"{co["id"]}-v2"'
    blk = r.json()["block"]
    assert blk["label"] == "Mixing console" and blk["help"] is None
    assert [(o["key"], o["label"]) for o in blk["options"]] == [
        ("o2", "Analogue"), ("o1", "Digital")]
    # HTML GET of a block opens it in the editor.
    r = b.get(page + f"/blocks/{co['id']}")
    assert r.status_code == 200 and "Mixing console" in r.text
    # Template settings.
    r = b.post(page, {"name": name, "label": "Sound", "icon": "speaker",
                      "category_id": str(cat["id"]), "note": "",
                      "version": str(api(w, "GET", page).json()[
                          "module_template"]["version"])})
    assert r.status_code == 303, r.text
    t = api(w, "GET", page).json()["module_template"]
    assert t["label"] == "Sound" and t["note"] is None
    r = b.get(ev(w, "/module-templates"))
    assert r.status_code == 200 and name in r.text
    items = api(w, "GET", ev(w, "/module-templates")).json()["items"]
    assert [i["blocks_count"] for i in items if i["id"] == tid] == [4]
    assert audit_actions(w, "module_block", co["id"]) == [
        "module_block.created", "module_block.updated"]
    assert audit_actions(w, "module_template", tid) == [
        "module_template.created", "module_template.updated"]


def test_block_refusals(w):
    t = new_template(w)
    tid = t["id"]
    url = ev(w, f"/module-templates/{tid}/blocks")
    cases = [
        ({"kind": "poem"}, {"kind"}),
        ({"kind": "content"}, {"body"}),
        ({"kind": "question", "response_type": "text"}, {"label"}),
        ({"kind": "question", "label": "x" * 101, "response_type": "text"},
         {"label"}),
        ({"kind": "question", "label": "Q", "response_type": "colour"},
         {"response_type"}),
        ({"kind": "question", "label": "Q"}, {"response_type"}),
        ({"kind": "question", "label": "Q", "response_type": "select"},
         {"options"}),
        ({"kind": "question", "label": "Q", "response_type": "multiselect",
          "options": ["o%d" % i for i in range(201)]}, {"options"}),
        ({"kind": "question", "label": "Q", "response_type": "number",
          "min": "10", "max": "2"}, {"max"}),
        ({"kind": "question", "label": "Q", "response_type": "number",
          "min": "ten"}, {"min"}),
        ({"kind": "question", "label": "Q", "response_type": "number",
          "max": "1234567890123456"}, {"max"}),
        ({"kind": "request", "name": "R", "max_items": 0}, {"max_items"}),
        ({"kind": "request", "name": "R", "max_items": 1000},
         {"max_items"}),
        ({"kind": "request", "name": "R", "procurement_eligible": True},
         {"procurement_eligible"}),
        ({"kind": "request", "name": "R", "asset_type_id": 999999999},
         {"asset_type_id"}),
        ({"kind": "request"}, {"name"}),
    ]
    for body, want in cases:
        p = problem(api(w, "POST", url, json=body), 422, "validation-failed")
        assert fields(p) == want, (body, p["errors"])
    # HTML: 422 keeps what was typed.
    r = w.owner.post(url, {"kind": "question", "label": "Power draw",
                           "response_type": "number", "min": "5",
                           "max": "1"})
    assert r.status_code == 422
    assert 'value="Power draw"' in r.text and "below the minimum" in r.text
    assert sql_one(f"SELECT COUNT(*) FROM module_blocks WHERE template_id ="
                   f" {tid}") == "0"
    # Limits that are fine: 1 and 999 items, 1 and 200 options, min = max.
    add_block(w, tid, kind="request", name="R1", max_items=1)
    add_block(w, tid, kind="request", name="R2", max_items=999)
    add_block(w, tid, kind="question", label="One", response_type="select",
              options=["Only"])
    add_block(w, tid, kind="question", label="Many",
              response_type="multiselect",
              options=["o%d" % i for i in range(200)])
    add_block(w, tid, kind="question", label="Exactly",
              response_type="number", min="3", max="3.0")
    # Names of templates: unique, category required and of the event.
    p = problem(api(w, "POST", ev(w, "/module-templates"),
                    json={"name": t["name"].upper(), "label": "x",
                          "category_id": t["category_id"]}), 422)
    assert fields(p) == {"name"}
    p = problem(api(w, "POST", ev(w, "/module-templates"),
                    json={"name": uniq("T"), "label": "x"}), 422)
    assert fields(p) == {"category_id"}
    p = problem(api(w, "POST", ev(w, "/module-templates"),
                    json={"name": uniq("T"), "label": "x",
                          "category_id": 999999999}), 422)
    assert fields(p) == {"category_id"}
    # Labels may repeat.
    new_template(w, label=t["label"])


def test_answered_blocks_are_retired_not_deleted(w):
    at = new_asset_type(w)
    t = new_template(w)
    tid = t["id"]
    page = ev(w, f"/module-templates/{tid}")
    q = add_block(w, tid, kind="question", label="Colour",
                  response_type="multiselect",
                  options=["Red", "Blue", "Green"])["block"]
    n = add_block(w, tid, kind="question", label="Notes",
                  response_type="text")["block"]
    c = add_block(w, tid, kind="content", body="Hello")["block"]
    rq = add_block(w, tid, kind="request", name="Gear",
                   asset_type_id=at["id"])["block"]
    mod, adv_name = make_advance(w, tid)
    answer(w, mod, q["id"], "o1,o3")
    line_item(w, mod, rq["id"], {"props": {}})
    # A question's type can't change once answered.
    p = problem(api(w, "POST", page + f"/blocks/{q['id']}",
                    json={"response_type": "select"}), 409, "in-use")
    assert "1 answer" in p["detail"]
    r = w.owner.post(page + f"/blocks/{q['id']}", {
        "label": "Colour", "response_type": "text", "version": "1"})
    assert r.status_code == 409 and "1 answer" in r.text
    assert 'value="Colour"' in r.text
    # ... an unanswered one's can.
    r = api(w, "POST", page + f"/blocks/{n['id']}",
            json={"response_type": "longtext"})
    assert r.status_code == 200 and r.json()["block"]["response_type"] == \
        "longtext"
    # A request's asset type can't change once it has items.
    p = problem(api(w, "POST", page + f"/blocks/{rq['id']}",
                    json={"asset_type_id": None}), 409, "in-use")
    # Options in use are retired; unused ones removed.
    r = api(w, "POST", page + f"/blocks/{q['id']}",
            json={"options": [{"key": "o2", "label": "Blue"}]})
    assert r.status_code == 200, r.text
    assert [(o["key"], o["retired"]) for o in r.json()["block"]["options"]] \
        == [("o2", False), ("o1", True), ("o3", True)]
    # Delete: answered blocks are retired, the others deleted.
    r = api(w, "POST", page + f"/blocks/{q['id']}/delete",
            json={"version": r.json()["block"]["version"]})
    assert r.status_code == 200 and r.json()["result"] == "retired"
    assert r.json()["block"]["retired"] is True
    r = w.owner.post(page + f"/blocks/{rq['id']}/delete", {"version": "1"})
    assert r.status_code == 303
    assert sql_one(f"SELECT retired FROM module_blocks WHERE id ="
                   f" {rq['id']}") == "1"
    r = api(w, "POST", page + f"/blocks/{c['id']}/delete",
            json={"version": 1})
    assert r.status_code == 200 and r.json()["result"] == "deleted"
    assert sql_one(f"SELECT COUNT(*) FROM module_blocks WHERE id ="
                   f" {c['id']}") == "0"
    assert audit_actions(w, "module_block", q["id"])[-1] == \
        "module_block.retired"
    # Positions stay dense.
    assert [int(x[0]) for x in sql(
        f"SELECT position FROM module_blocks WHERE template_id = {tid}"
        f" ORDER BY position")] == [0, 1, 2]
    # A retired block may be offered again.
    r = api(w, "POST", page + f"/blocks/{rq['id']}", json={"retired": False})
    assert r.status_code == 200 and r.json()["block"]["retired"] is False
    # The template is in use: 409 naming the advance (and later an
    # advance template).
    p = problem(api(w, "POST", page + "/delete", json={"version":
                    api(w, "GET", page).json()["module_template"][
                        "version"]}), 409, "in-use")
    assert adv_name in p["detail"]
    r = w.owner.get(page + "/delete")
    assert r.status_code == 200 and adv_name in r.text
    t2 = new_template(w)
    atpl = api(w, "POST", ev(w, "/advance-templates"),
               json={"name": uniq("Artist")}).json()["advance_template"]
    assert api(w, "POST", ev(w, f"/advance-templates/{atpl['id']}/modules"),
               json={"module_template_id": t2["id"]}).status_code == 201
    p = problem(api(w, "POST", ev(w, f"/module-templates/{t2['id']}/delete"),
                    json={"version": 1}), 409, "in-use")
    assert atpl["name"] in p["detail"]
    # An unused template goes with its blocks.
    t3 = new_template(w)
    add_block(w, t3["id"], kind="content", body="Bye")
    r = w.owner.post(ev(w, f"/module-templates/{t3['id']}/delete"),
                     {"version": "2"})
    assert r.status_code == 303, r.text
    assert sql_one(f"SELECT COUNT(*) FROM module_blocks WHERE template_id ="
                   f" {t3['id']}") == "0"


def test_block_stale_versions(w):
    t = new_template(w)
    tid = t["id"]
    page = ev(w, f"/module-templates/{tid}")
    q = add_block(w, tid, kind="question", label="Arrival",
                  response_type="datetime")["block"]
    r = api(w, "POST", page + f"/blocks/{q['id']}",
            json={"label": "Arrival time"},
            headers={"If-Match": f'"{q["id"]}-v1"'})
    assert r.status_code == 200 and r.headers["ETag"] == f'"{q["id"]}-v2"'
    problem(api(w, "POST", page + f"/blocks/{q['id']}", json={"label": "X"},
                headers={"If-Match": f'"{q["id"]}-v1"'}), 412)
    r = w.owner.post(page + f"/blocks/{q['id']}", {
        "label": "Arrival at the gate", "response_type": "datetime",
        "version": "1"})
    assert r.status_code == 409
    assert "Arrival at the gate" in r.text and "Arrival time" in r.text
    assert sql_one(f"SELECT label FROM module_blocks WHERE id = {q['id']}") \
        == "Arrival time"
    # The template's ETag moves with its blocks.
    r = api(w, "GET", page)
    tag = r.headers["ETag"]
    assert api(w, "GET", page, headers={"If-None-Match": tag}).status_code \
        == 304
    add_block(w, tid, kind="content", body="More")
    assert api(w, "GET", page).headers["ETag"] != tag
    # A stale settings form: 409 with both values.
    r = w.owner.post(page, {"name": t["name"], "label": "Mine",
                            "category_id": str(t["category_id"]),
                            "version": "1"})
    assert r.status_code == 409 and "Mine" in r.text


# --- advance templates -------------------------------------------------------

def test_advance_template_editor_html(w):
    b = w.owner
    t1, t2, t3 = new_template(w), new_template(w), new_template(w)
    r = b.get(ev(w, "/advance-templates/new"))
    assert r.status_code == 200
    name = uniq("Headline artist")
    r = b.post(ev(w, "/advance-templates"), {"name": name})
    assert r.status_code == 303, r.text
    aid = int(re.match(rf"^/events/{w.event}/advance-templates/(\d+)$",
                       r.headers["Location"]).group(1))
    page = ev(w, f"/advance-templates/{aid}")
    r = b.get(page)
    assert r.status_code == 200 and t1["name"] in r.text
    coord = uid_of(w.coord)
    sel = re.search(r'name="default_reviewer_id">(.*?)</select>', r.text,
                    re.S).group(1)
    assert f'value="{coord}"' in sel          # offered as a reviewer
    assert f'value="{uid_of(w.viewer)}"' not in sel
    r = b.post(page + "/modules", {"module_template_id": str(t1["id"]),
                                   "due_kind": "fixed",
                                   "due_date": "2027-06-01",
                                   "required": "1", "task_tracked": "1",
                                   "default_reviewer_id": str(coord),
                                   "version": "1"})
    assert r.status_code == 303, r.text
    r = b.post(page + "/modules", {"module_template_id": str(t2["id"]),
                                   "due_kind": "before", "due_days": "14",
                                   "requires_submission": "1",
                                   "version": "2"})
    assert r.status_code == 303, r.text
    r = b.post(page + "/modules", {"module_template_id": str(t3["id"]),
                                   "due_kind": "none", "required": "1",
                                   "position": "0", "version": "3"})
    assert r.status_code == 303, r.text
    r = api(w, "GET", page)
    assert r.status_code == 200 and r.headers["ETag"] == f'"{aid}-v4"'
    mods = r.json()["advance_template"]["modules"]
    assert [m["module_template_id"] for m in mods] == [t3["id"], t1["id"],
                                                       t2["id"]]
    m3, m1, m2 = mods
    assert m1["default_due"] == {"kind": "fixed", "date": "2027-06-01"}
    assert (m1["required"], m1["task_tracked"], m1["requires_submission"],
            m1["default_reviewer_id"]) == (True, True, False, coord)
    assert m2["default_due"] == {"kind": "before", "days_before_start": 14}
    assert (m2["required"], m2["requires_submission"]) == (False, True)
    assert m3["default_due"] == {"kind": "none"}
    # The page resolves "14 days before" against the event start.
    r = b.get(page)
    assert "2027-06-26" in r.text
    # Edit a module, move it, remove another.
    r = b.post(page + f"/modules/{m2['id']}", {
        "due_kind": "fixed", "due_date": "2027-07-01", "required": "1",
        "version": "4"})
    assert r.status_code == 303, r.text
    r = b.post(page + f"/modules/{m2['id']}/move", {"position": "0",
                                                    "version": "5"})
    assert r.status_code == 303
    r = b.post(page + f"/modules/{m3['id']}/delete", {"version": "6"})
    assert r.status_code == 303
    mods = api(w, "GET", page).json()["advance_template"]["modules"]
    assert [(m["module_template_id"], m["position"]) for m in mods] == [
        (t2["id"], 0), (t1["id"], 1)]
    assert mods[0]["default_due"] == {"kind": "fixed", "date": "2027-07-01"}
    assert mods[0]["requires_submission"] is False
    # Rename; the list shows it.
    r = b.post(page, {"name": name + " (EU)", "version": "7"})
    assert r.status_code == 303
    r = b.get(ev(w, "/advance-templates"))
    assert r.status_code == 200 and name + " (EU)" in r.text
    items = api(w, "GET", ev(w, "/advance-templates")).json()["items"]
    assert [i["modules_count"] for i in items if i["id"] == aid] == [2]
    assert audit_actions(w, "advance_template_module", m3["id"]) == [
        "advance_template_module.created", "advance_template_module.deleted"]


def test_advance_template_refusals(w):
    t1 = new_template(w)
    r = api(w, "POST", ev(w, "/advance-templates"), json={"name": "Artist"})
    assert r.status_code == 201
    a = r.json()["advance_template"]
    base = ev(w, f"/advance-templates/{a['id']}")
    p = problem(api(w, "POST", ev(w, "/advance-templates"),
                    json={"name": "ARTIST"}), 422)
    assert fields(p) == {"name"}
    r = w.owner.post(ev(w, "/advance-templates"), {"name": "artist"})
    assert r.status_code == 422 and 'value="artist"' in r.text
    cases = [
        ({}, {"module_template_id"}),
        ({"module_template_id": 999999999}, {"module_template_id"}),
        ({"module_template_id": t1["id"], "due_kind": "soon"}, {"due_kind"}),
        ({"module_template_id": t1["id"], "due_kind": "fixed"},
         {"due_date"}),
        ({"module_template_id": t1["id"], "due_kind": "fixed",
          "due_date": "2027-02-30"}, {"due_date"}),
        ({"module_template_id": t1["id"], "due_kind": "before"},
         {"due_days"}),
        ({"module_template_id": t1["id"], "due_kind": "before",
          "due_days": 731}, {"due_days"}),
        ({"module_template_id": t1["id"],
          "default_reviewer_id": uid_of(w.viewer)}, {"default_reviewer_id"}),
        ({"module_template_id": t1["id"],
          "default_reviewer_id": uid_of(w.other)}, {"default_reviewer_id"}),
    ]
    for body, want in cases:
        p = problem(api(w, "POST", base + "/modules", json=body), 422)
        assert fields(p) == want, (body, p["errors"])
    r = api(w, "POST", base + "/modules", json={
        "module_template_id": t1["id"], "default_reviewer_id":
        uid_of(w.coord)})
    assert r.status_code == 201, r.text
    mod = r.json()["advance_template"]["modules"][0]
    # JSON defaults: required, not tracked, no submission, no due date.
    assert (mod["required"], mod["task_tracked"],
            mod["requires_submission"], mod["default_due"]) == (
        True, False, False, {"kind": "none"})
    # Once per advance template.
    p = problem(api(w, "POST", base + "/modules",
                    json={"module_template_id": t1["id"]}), 422)
    assert fields(p) == {"module_template_id"}
    # Stale: the template's version.
    problem(api(w, "POST", base + f"/modules/{mod['id']}",
                json={"required": False}, headers={"If-Match":
                                                   f'"{a["id"]}-v1"'}), 412)
    r = w.owner.post(base + f"/modules/{mod['id']}", {
        "due_kind": "before", "due_days": "3", "version": "1"})
    assert r.status_code == 409 and "before" in r.text
    # Deleting a template leaves the advances made from it.
    mod_id, adv_name = make_advance(w, t1["id"])
    sql(f"UPDATE advances SET advance_template_id = {a['id']} WHERE name ="
        f" '{adv_name}'")
    r = w.owner.get(base + "/delete")
    assert r.status_code == 200 and "1 advance" in r.text
    r = w.owner.post(base + "/delete", {"version": "2"})
    assert r.status_code == 303, r.text
    assert sql_one(f"SELECT COUNT(*) FROM advance_templates WHERE id ="
                   f" {a['id']}") == "0"
    assert sql_one(f"SELECT advance_template_id IS NULL FROM advances WHERE"
                   f" name = '{adv_name}'") == "1"


# --- who may read and write --------------------------------------------------

def test_permissions(w):
    cat = new_category(w)
    at = new_asset_type(w)
    t = new_template(w, cat=cat)
    blk = add_block(w, t["id"], kind="content", body="x")["block"]
    a = api(w, "POST", ev(w, "/advance-templates"),
            json={"name": uniq("Perm")}).json()["advance_template"]
    reads = ["/asset-types", f"/asset-types/{at['id']}",
             "/module-categories", f"/module-categories/{cat['id']}",
             "/module-templates", f"/module-templates/{t['id']}",
             f"/module-templates/{t['id']}/blocks/{blk['id']}",
             "/advance-templates", f"/advance-templates/{a['id']}"]
    writes = [("/asset-types", {"name": uniq("x"), "label": "x"}),
              (f"/asset-types/{at['id']}", {"label": "Changed"}),
              ("/module-categories", {"name": uniq("c")}),
              ("/module-templates", {"name": uniq("t"), "label": "t",
                                     "category_id": cat["id"]}),
              (f"/module-templates/{t['id']}/blocks",
               {"kind": "content", "body": "y"}),
              (f"/module-templates/{t['id']}/blocks/{blk['id']}/delete",
               {"version": 1}),
              ("/advance-templates", {"name": uniq("a")}),
              (f"/advance-templates/{a['id']}", {"name": uniq("a")})]
    vtok = create_token(w.viewer, "read-write")
    for path in reads:
        assert w.viewer.get(ev(w, path)).status_code == 200, path
        assert w.vendor.get(ev(w, path)).status_code == 404, path
        assert w.other.get(ev(w, path)).status_code == 404, path
        assert w.coord.get(ev(w, path)).status_code == 200, path
    for path in ("/asset-types/new", "/module-templates/new",
                 "/advance-templates/new"):
        assert w.viewer.get(ev(w, path)).status_code == 403, path
        assert w.vendor.get(ev(w, path)).status_code == 404, path
    for path, body in writes:
        p = problem(api(w, "POST", ev(w, path), tok=vtok, json=body), 403,
                    "insufficient-permission")
        assert "advancing" in p["detail"]
        assert w.vendor.post(ev(w, path), {k: str(v) for k, v in
                                           body.items()}).status_code == 404
        assert w.other.post(ev(w, path), {k: str(v) for k, v in
                                          body.items()}).status_code == 404
    # The coordinator (advancing admin through the Event grant) writes.
    for path, body in writes:
        r = api(w, "POST", ev(w, path), tok=w.ctok, json=body)
        assert r.status_code in (200, 201), (path, r.text)
    # The nav of a staff page shows the config tabs; the viewer sees no
    # edit controls.
    r = w.viewer.get(ev(w, f"/module-templates/{t['id']}"))
    assert "Module templates" in r.text and "Add Content" not in r.text
    r = w.owner.get(ev(w, f"/module-templates/{t['id']}"))
    assert "Add Content" in r.text
    # /api/v1 is the same handler.
    r = api(w, "GET", ev(w, "/module-categories"), prefix=True)
    assert r.status_code == 200 and "items" in r.json()


def test_archived_event_refuses_writes(w):
    ev2 = new_event(w.owner, w.org, name="Old Fest")
    tok = w.tok
    r = api(w, "POST", f"/events/{ev2}/module-categories",
            json={"name": "Tech"})
    assert r.status_code == 201
    cat = r.json()["module_category"]
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev2}")
    assert w.owner.get(f"/events/{ev2}/module-categories").status_code == 200
    for path, body in (("/module-categories", {"name": "More"}),
                       (f"/module-categories/{cat['id']}", {"name": "X"}),
                       ("/asset-types", {"name": "a", "label": "a"}),
                       ("/advance-templates", {"name": "a"}),
                       ("/module-templates", {"name": "m", "label": "m",
                                              "category_id": cat["id"]})):
        problem(api(w, "POST", f"/events/{ev2}{path}", tok=tok, json=body),
                409, "event-archived")
    r = w.owner.post(f"/events/{ev2}/module-categories", {"name": "More"})
    assert r.status_code == 409
    assert w.owner.get(f"/events/{ev2}/asset-types/new").status_code == 409


# --- query counts ------------------------------------------------------------

def queries(b, path):
    r = b.get(path)
    assert r.status_code == 200, r.text
    return int(r.headers["X-Debug-Queries"])


def test_list_and_editor_query_counts_do_not_grow(w):
    ev2 = new_event(w.owner, w.org, name="Count Fest")
    b = w.owner
    paths = [f"/events/{ev2}/asset-types", f"/events/{ev2}/module-categories",
             f"/events/{ev2}/module-templates",
             f"/events/{ev2}/advance-templates"]

    def post(path, body):
        r = api(w, "POST", f"/events/{ev2}{path}", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def grow():
        cat = post("/module-categories", {"name": uniq("c")})[
            "module_category"]
        at = post("/asset-types", {"name": uniq("a"), "label": "a"})[
            "asset_type"]
        post(f"/asset-types/{at['id']}/properties",
             {"label": uniq("p"), "response_type": "text"})
        t = post("/module-templates", {"name": uniq("t"), "label": "t",
                                       "category_id": cat["id"]})[
            "module_template"]
        post(f"/module-templates/{t['id']}/blocks",
             {"kind": "question", "label": "q", "response_type": "text"})
        a = post("/advance-templates", {"name": uniq("a")})[
            "advance_template"]
        post(f"/advance-templates/{a['id']}/modules",
             {"module_template_id": t["id"]})
        return at, t, a

    at, t, a = grow()
    b.get(paths[0])         # shows (and so clears) any pending flash
    editors = [f"/events/{ev2}/asset-types/{at['id']}",
               f"/events/{ev2}/module-templates/{t['id']}",
               f"/events/{ev2}/advance-templates/{a['id']}"]
    before = [queries(b, p) for p in paths + editors]
    for _ in range(3):
        grow()
        post(f"/asset-types/{at['id']}/properties",
             {"label": uniq("p"), "response_type": "text"})
        post(f"/module-templates/{t['id']}/blocks",
             {"kind": "content", "body": "more"})
    t2 = post("/module-templates", {"name": uniq("t"), "label": "t",
                                    "category_id": t["category_id"]})[
        "module_template"]
    post(f"/advance-templates/{a['id']}/modules",
         {"module_template_id": t2["id"]})
    after = [queries(b, p) for p in paths + editors]
    assert before == after


def test_objects_of_another_event_are_not_found(w):
    ev2 = new_event(w.owner, w.org, name="Sister Fest")

    def post2(path, body):
        r = api(w, "POST", f"/events/{ev2}{path}", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    cat2 = post2("/module-categories", {"name": "Elsewhere"})[
        "module_category"]
    at2 = post2("/asset-types", {"name": "x", "label": "x"})["asset_type"]
    t2 = post2("/module-templates", {"name": "x", "label": "x",
                                     "category_id": cat2["id"]})[
        "module_template"]
    b2 = post2(f"/module-templates/{t2['id']}/blocks",
               {"kind": "content", "body": "x"})["block"]
    a2 = post2("/advance-templates", {"name": "x"})["advance_template"]
    mine = new_template(w)
    for path in (f"/asset-types/{at2['id']}",
                 f"/module-categories/{cat2['id']}",
                 f"/module-templates/{t2['id']}",
                 f"/module-templates/{t2['id']}/blocks/{b2['id']}",
                 f"/module-templates/{mine['id']}/blocks/{b2['id']}",
                 f"/advance-templates/{a2['id']}"):
        problem(api(w, "GET", ev(w, path)), 404, "not-found")
        assert w.owner.get(ev(w, path)).status_code == 404
        problem(api(w, "POST", ev(w, path), json={"name": "y"}), 404)
    # Their ids are refused as references in this event.
    p = problem(api(w, "POST", ev(w, "/module-templates"),
                    json={"name": uniq("t"), "label": "t",
                          "category_id": cat2["id"]}), 422)
    assert fields(p) == {"category_id"}
    p = problem(api(w, "POST", ev(w, f"/module-templates/{mine['id']}/blocks"),
                    json={"kind": "request", "name": "R",
                          "asset_type_id": at2["id"]}), 422)
    assert fields(p) == {"asset_type_id"}
    a = api(w, "POST", ev(w, "/advance-templates"),
            json={"name": uniq("a")}).json()["advance_template"]
    p = problem(api(w, "POST", ev(w, f"/advance-templates/{a['id']}/modules"),
                    json={"module_template_id": t2["id"]}), 422)
    assert fields(p) == {"module_template_id"}
