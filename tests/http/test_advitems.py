"""Request line items (issue 7 item 5, PRODUCT §13.2 request blocks,
§13.5 "Add request", §13.7): items without an asset type (description,
quantity, notes) and with one (its properties and sub-asset rows, each
value checked like an answer, required ones enforced), the maximum per
block, versions (If-Match 428/412, stale forms 409 with both), content
changes resetting both approvals and the review, who removes what
(respondents until approved, admins unless linked to procurement,
request-locked), and vendor isolation on every item route."""

import json

import pytest

from bo import BASE, sql, sql_one
from world import build_world, uid_of
from matrix_advpage import (advance, advmod, asset_prop, asset_sub,
                            asset_type, block, item, options, template)


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = build_world()
    ev, by = w.event, uid_of(w.owner)
    w.tpl = template(ev, "Production")
    w.towels = block(ev, w.tpl, "request", label="Towels", item_label="Towel",
                     max_items=2, needs_op=True)
    w.at = asset_type(ev, "Labour call", "Call")
    asset_prop(ev, w.at, "start", "Start", "datetime", required=True,
               position=0)
    asset_prop(ev, w.at, "kind", "Kind", "select",
               opts=options("Load-in", "Load-out"), position=1)
    asset_prop(ev, w.at, "old", "Old field", "text", retired=True,
               position=2)
    w.sub = asset_sub(ev, w.at, "crew", "Laborer")
    asset_prop(ev, w.at, "role", "Role", "text", required=True, sub=w.sub,
               position=0)
    asset_prop(ev, w.at, "qty", "Quantity", "number", sub=w.sub, position=1)
    w.labour = block(ev, w.tpl, "request", label="Labour", item_label="Call",
                     asset_type_id=w.at, needs_op=True, needs_res=True)
    w.adv = advance(ev, w.v1, "Main show", by)
    w.mod = advmod(ev, w.adv, w.tpl)
    w.adv2 = advance(ev, w.v2, "Catering", by)
    w.mod2 = advmod(ev, w.adv2, w.tpl)
    w.v2_item = item(ev, w.mod2, w.towels, uid_of(w.vendor2), "V2 towel")
    for b in w.personas.values():
        b.get("/account")
    return w


def murl(w, mod=None, adv=None):
    return f"/events/{w.event}/advances/{adv or w.adv}/modules/{mod or w.mod}"


def iurl(w, li, mod=None):
    return f"{murl(w, mod)}/line-items/{li}"


def jreq(b, method, path, body=None, etag=None):
    h = {"Origin": BASE, "X-CSRF-Token": b.csrf or "",
         "Accept": "application/json"}
    if etag is not None:
        h["If-Match"] = etag
    return b.s.request(method, BASE + path, json=body, headers=h,
                       allow_redirects=False)


def items(w, blk, mod=None):
    return sql(f"SELECT id, description, quantity, notes FROM line_items "
               f"WHERE advance_module_id = {mod or w.mod} AND block_id = "
               f"{blk} ORDER BY position")


def test_add_edit_remove_plain_items(w):
    b = w.vendor1
    b.get(murl(w))
    r = b.post(murl(w) + "/line-items", {"block_id": w.towels,
                                         "description": "Black towels",
                                         "quantity": "12",
                                         "notes": "Stage left\nplease"})
    assert r.status_code == 303, r.text[:2000]
    assert r.headers["Location"].endswith(f"#r{w.mod}-{w.towels}")
    rows = items(w, w.towels)
    assert rows[0][1:] == ["Black towels", "12", "Stage left\\nplease"]
    t = b.get(murl(w)).text
    assert "Black towels" in t and "Pending" in t
    assert "Needs review" not in t
    # Refused: nothing stored, the add form open with what was typed.
    r = b.post(murl(w) + "/line-items", {"block_id": w.towels,
                                         "description": "",
                                         "quantity": "0",
                                         "notes": "keep me"})
    assert r.status_code == 422
    assert "Description is required." in r.text
    assert "Quantity must be a whole number" in r.text
    assert "keep me" in r.text and "<details class=\"adv-add\" open" in r.text
    r = b.post(murl(w) + "/line-items", {"block_id": w.towels,
                                         "description": "x",
                                         "quantity": "lots"})
    assert r.status_code == 422
    r = b.post(murl(w) + "/line-items", {"block_id": w.towels,
                                         "description": "y" * 501})
    assert r.status_code == 422 and "500 characters" in r.text
    assert len(items(w, w.towels)) == 1
    # Default quantity 1; the block's maximum of 2.
    r = jreq(b, "POST", murl(w) + "/line-items",
             {"block_id": w.towels, "description": "White towel"})
    assert r.status_code == 201, r.text
    it = r.json()["item"]
    assert it["quantity"] == 1 and r.headers["ETag"] == it["etag"]
    r = jreq(b, "POST", murl(w) + "/line-items",
             {"block_id": w.towels, "description": "Third"})
    assert r.status_code == 422
    assert "at most 2" in r.json()["errors"][0]["message"]
    # A block of another kind or template.
    r = jreq(b, "POST", murl(w) + "/line-items",
             {"block_id": 999999, "description": "x"})
    assert r.status_code == 422
    # GET with its ETag, 304.
    r = b.s.get(BASE + "/api/v1" + iurl(w, it["id"]))
    assert r.status_code == 200 and r.headers["ETag"] == it["etag"]
    assert r.json()["item"]["description"] == "White towel"
    r = b.s.get(BASE + "/api/v1" + iurl(w, it["id"]),
                headers={"If-None-Match": it["etag"]})
    assert r.status_code == 304
    # Edit: If-Match required, stale refused with the current item.
    r = jreq(b, "PATCH", iurl(w, it["id"]), {"quantity": 3})
    assert r.status_code == 428
    r = jreq(b, "PATCH", iurl(w, it["id"]), {"quantity": 3}, it["etag"])
    assert r.status_code == 200
    assert r.json()["item"]["quantity"] == 3
    assert r.json()["item"]["description"] == "White towel"
    r = jreq(w.owner, "PATCH", iurl(w, it["id"]), {"quantity": 4},
             it["etag"])
    assert r.status_code == 412
    assert r.json()["current"]["quantity"] == 3
    # A stale form: 409 with the current values and the typed form.
    b.get(iurl(w, it["id"]))
    r = b.post(iurl(w, it["id"]), {"description": "Grey towel",
                                   "quantity": "5", "version": "1"})
    assert r.status_code == 409
    assert "while you were editing" in r.text
    assert 'value="Grey towel"' in r.text
    assert 'name="version" value="2"' in r.text
    r = b.post(iurl(w, it["id"]), {"description": "Grey towel",
                                   "quantity": "5", "version": "2"})
    assert r.status_code == 303
    assert items(w, w.towels)[1][1:3] == ["Grey towel", "5"]
    # Remove.
    r = b.post(iurl(w, it["id"]) + "/delete", {"version": "3"})
    assert r.status_code == 303
    assert len(items(w, w.towels)) == 1
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE target_type = "
                   f"'line_item' AND target_id = {it['id']}") == "4"


def test_asset_type_form_with_sub_rows(w):
    b = w.vendor1
    t = b.get(murl(w)).text
    assert 'name="p:start"' in t and 'name="s:crew:0:role"' in t
    assert 'name="rows:crew" value="3"' in t
    assert "Old field" not in t
    form = {"block_id": w.labour, "p:start": "2027-07-01T08:00",
            "p:kind": "o1", "rows:crew": "3",
            "s:crew:0:role": "Stagehand", "s:crew:0:qty": "4",
            "s:crew:1:role": "", "s:crew:1:qty": "",
            "s:crew:2:role": "Rigger", "s:crew:2:qty": "2"}
    r = b.post(murl(w) + "/line-items", form)
    assert r.status_code == 303, r.text[:3000]
    props = json.loads(sql_one(f"SELECT props FROM line_items WHERE "
                               f"block_id = {w.labour} AND "
                               f"advance_module_id = {w.mod}"))
    assert props == {"props": {"start": "2027-07-01 06:00:00",
                               "kind": "o1"},
                     "subs": {"crew": [{"role": "Stagehand", "qty": "4"},
                                       {"role": "Rigger", "qty": "2"}]}}
    t = b.get(murl(w)).text
    assert "Start: 2027-07-01 08:00 CEST" in t and "Laborer: 2" in t
    # Required values, types and started rows checked; all kept.
    bad = dict(form, **{"p:start": "", "p:kind": "o7",
                        "s:crew:1:qty": "3", "s:crew:2:qty": "two"})
    r = b.post(murl(w) + "/line-items", bad)
    assert r.status_code == 422
    assert "Start is required." in r.text
    assert "Kind: Choose one of the options." in r.text
    assert "Laborer row 2: a required value is missing." in r.text
    assert "Quantity: Enter a number" in r.text
    assert 'value="two"' in r.text
    assert sql_one(f"SELECT COUNT(*) FROM line_items WHERE block_id = "
                   f"{w.labour}") == "1"
    # JSON, typed values.
    r = jreq(b, "POST", murl(w) + "/line-items", {
        "block_id": w.labour,
        "props": {"start": "2027-07-02T22:00", "kind": "o2"},
        "subs": {"crew": [{"role": "Driver", "qty": 1}]}})
    assert r.status_code == 201, r.text
    it = r.json()["item"]
    assert [p["value_text"] for p in it["props"]] == [
        "2027-07-02 22:00 CEST", "Load-out"]
    assert it["subs"][0]["rows"][0]["cells"][0]["value_text"] == "Driver"
    # A PATCH may leave "props" out: they stay; "subs" is replaced.
    r = jreq(b, "PATCH", iurl(w, it["id"]), {"subs": {"crew": []}},
             it["etag"])
    assert r.status_code == 200, r.text
    props = json.loads(sql_one(f"SELECT props FROM line_items WHERE id = "
                               f"{it['id']}"))
    assert props == {"props": {"start": "2027-07-02 20:00:00",
                               "kind": "o2"}, "subs": {"crew": []}}
    r = jreq(b, "POST", murl(w) + "/line-items", {
        "block_id": w.labour, "props": {"kind": "o1"},
        "subs": {"crew": [{"qty": 1}]}})
    assert r.status_code == 422
    fields = {e["parameter"] for e in r.json()["errors"]}
    assert fields == {"p:start", "s:crew:0:role"}


def test_retired_property_kept_and_shown_to_staff(w):
    by = uid_of(w.vendor1)
    li = item(w.event, w.mod, w.labour, by, None, props=json.dumps(
        {"props": {"start": "2027-07-01 06:00:00", "old": "legacy"},
         "subs": {}}), position=9)
    assert "legacy" not in w.vendor1.get(iurl(w, li)).text
    assert "legacy" in w.owner.get(iurl(w, li)).text
    w.vendor1.get(iurl(w, li))
    r = w.vendor1.post(iurl(w, li), {"p:start": "2027-07-01T09:00",
                                     "rows:crew": "0", "version": "1"})
    assert r.status_code == 303, r.text[:2000]
    props = json.loads(sql_one(f"SELECT props FROM line_items WHERE id = "
                               f"{li}"))
    assert props["props"] == {"start": "2027-07-01 07:00:00",
                              "old": "legacy"}


def test_changes_reset_approvals_and_who_removes(w):
    ev, by = w.event, uid_of(w.vendor1)
    sql(f"DELETE FROM line_items WHERE advance_module_id = {w.mod} AND "
        f"block_id = {w.towels}")
    li = item(ev, w.mod, w.towels, by, "Approved towel")
    sql(f"UPDATE line_items SET op_state = 'approved', op_by = "
        f"{uid_of(w.owner)}, op_at = UTC_TIMESTAMP(3), review = 'reviewed'"
        f" WHERE id = {li}")
    b = w.vendor1
    b.get(iurl(w, li))
    # Approved: the vendor cannot remove it, an admin can.
    r = b.post(iurl(w, li) + "/delete", {"version": "1"})
    assert r.status_code == 409
    # A content change resets the approval and the review.
    r = b.post(iurl(w, li), {"description": "Changed towel",
                             "quantity": "1", "version": "1"})
    assert r.status_code == 303
    row = sql(f"SELECT op_state, op_by IS NULL, review, version FROM "
              f"line_items WHERE id = {li}")[0]
    assert row == ["pending", "1", "needs_review", "2"]
    # Saving what is there changes nothing (no version, no audit).
    r = b.post(iurl(w, li), {"description": "Changed towel",
                             "quantity": "1", "version": "2"})
    assert r.status_code == 303
    assert sql_one(f"SELECT version FROM line_items WHERE id = {li}") == "2"
    sql(f"UPDATE line_items SET res_state = 'approved' WHERE id = {li}")
    w.owner.get(iurl(w, li))
    r = w.owner.post(iurl(w, li) + "/delete", {"version": "2"})
    assert r.status_code == 303
    # Linked to procurement: locked for everyone.
    li = item(ev, w.mod, w.towels, by, "Ordered towel")
    sql(f"UPDATE line_items SET procurement_linked = 1 WHERE id = {li}")
    for who in (w.owner, w.vendor1):
        r = jreq(who, "DELETE", iurl(w, li), None, f'"{li}-v1"')
        assert r.status_code == 409
        assert r.json()["code"] == "request-locked"
        r = jreq(who, "PATCH", iurl(w, li), {"quantity": 2}, f'"{li}-v1"')
        assert r.status_code == 409
    t = w.vendor1.get(murl(w)).text
    assert "Ordered" in t
    # Viewers cannot add.
    r = jreq(w.std_view, "POST", murl(w) + "/line-items",
             {"block_id": w.towels, "description": "x"})
    assert r.status_code == 403


def test_vendor_isolation_on_every_item_route(w):
    li = item(w.event, w.mod, w.labour, uid_of(w.vendor1), None,
              props='{"props": {}, "subs": {}}', position=20)
    own = iurl(w, li)
    cross = iurl(w, w.v2_item)          # V2's item, V1's module
    foreign_mod = f"{murl(w, w.mod2)}/line-items/{w.v2_item}"
    routes = [("GET", ""), ("POST", ""), ("PATCH", ""), ("DELETE", ""),
              ("POST", "/delete"), ("POST", "/review"),
              ("POST", "/approval")]
    for method, tail in routes:
        for b, path in ((w.vendor2, own), (w.vendor1, cross),
                        (w.vendor1, foreign_mod), (w.owner, cross),
                        (w.other, own)):
            r = jreq(b, method, path + tail,
                     {"description": "x", "kind": "operational",
                      "state": "approved"}, '"1-v1"')
            assert r.status_code == 404, (method, path + tail,
                                          r.status_code)
    for b in (w.vendor2,):
        r = jreq(b, "POST", murl(w) + "/line-items",
                 {"block_id": w.towels, "description": "x"})
        assert r.status_code == 404
    r = jreq(w.vendor1, "POST", murl(w, w.mod2, w.adv2) + "/line-items",
             {"block_id": w.towels, "description": "x"})
    assert r.status_code == 404
    assert sql_one(f"SELECT description FROM line_items WHERE id = "
                   f"{w.v2_item}") == "V2 towel"
