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
    assert fields(p) == {"options_text"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "Colour", "response_type": "select",
                          "options": [str(i) for i in range(201)]}), 422)
    assert fields(p) == {"options_text"}
    p = problem(api(w, "POST", base + "/properties",
                    json={"label": "Colour", "response_type": "select",
                          "options": ["Red", "red"]}), 422)
    assert fields(p) == {"options_text"}
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
