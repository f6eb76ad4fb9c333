"""The advance page (issue 7 item 5, PRODUCT §13.5): the table of contents
with state markers, due dates and overdue marks, every block rendered by
its kind and response type, required-but-missing flags, retired blocks
hidden from respondents and marked for staff, review marks for staff
only, the module page with its ETag, the JSON twin, a query count that
does not grow with modules or answers, the template preview, and who
sees what (vendor isolation, viewers, other tenants)."""

import re

import pytest

from bo import BASE, sql, sql_one
from world import build_world, uid_of
from matrix_advpage import (advance, advmod, answer, asset_prop, asset_sub,
                            asset_type, block, file_row, item, options,
                            question, template)


class A:
    pass


@pytest.fixture(scope="module")
def w():
    w = build_world()
    ev, by = w.event, uid_of(w.owner)
    w.tpl = template(ev, "Hospitality")
    w.content = block(ev, w.tpl, "content", body="Welcome **crew**.\n\n"
                      "<script>alert(1)</script>")
    w.q = {}
    w.q["text"] = question(ev, w.tpl, "Contact name", "text", required=True,
                           prompt="Who do we *call*?", help="Full name.")
    w.q["longtext"] = question(ev, w.tpl, "Notes", "longtext")
    w.q["number"] = question(ev, w.tpl, "Guests", "number", num_min="0",
                             num_max="40", num_whole=True)
    w.q["date"] = question(ev, w.tpl, "Arrival", "date")
    w.q["datetime"] = question(ev, w.tpl, "Load-in", "datetime")
    w.q["checkbox"] = question(ev, w.tpl, "Parking", "checkbox")
    w.q["select"] = question(ev, w.tpl, "Diet", "select",
                             options=options("Vegan", "Meat"))
    w.q["multiselect"] = question(ev, w.tpl, "Drinks", "multiselect",
                                  options=options("Water", "Beer", "Tea"))
    w.q["email"] = question(ev, w.tpl, "Email", "email")
    w.q["phone"] = question(ev, w.tpl, "Phone", "phone")
    w.q["url"] = question(ev, w.tpl, "Website", "url")
    w.q["file"] = question(ev, w.tpl, "Rider", "file")
    w.retired = question(ev, w.tpl, "Old question", "text", retired=True)
    w.req = block(ev, w.tpl, "request", label="Towels", item_label="Towel",
                  needs_op=True, needs_res=True)
    w.at = asset_type(ev, "Labour call", "Call")
    asset_prop(ev, w.at, "start", "Start", "datetime", required=True)
    sub = asset_sub(ev, w.at, "crew", "Laborer")
    asset_prop(ev, w.at, "role", "Role", "text", required=True, sub=sub)
    w.areq = block(ev, w.tpl, "request", label="Labour", item_label="Call",
                   asset_type_id=w.at)
    w.tpl2 = template(ev, "Power")
    w.power = question(ev, w.tpl2, "Amps", "number", required=True)
    w.adv = advance(ev, w.v1, "Main show", by)
    w.mod = advmod(ev, w.adv, w.tpl, position=0, due="2020-01-01")
    w.mod2 = advmod(ev, w.adv, w.tpl2, position=1, due="2099-01-01",
                    submission=True)
    w.adv2 = advance(ev, w.v2, "Catering", by)
    w.mod_v2 = advmod(ev, w.adv2, w.tpl2)
    for b in w.personas.values():
        b.get("/account")
    return w


def page(w, b=None, adv=None):
    return (b or w.owner).get(f"/events/{w.event}/advances/"
                             f"{adv or w.adv}")


def api(b, path):
    return b.s.get(BASE + "/api/v1" + path)


def test_page_shows_every_block_by_type(w):
    r = page(w, w.vendor1)
    assert r.status_code == 200, r.text[:3000]
    t = r.text
    assert "Hospitality" in t and "Power" in t
    assert "Welcome <strong>crew</strong>." in t
    assert "<script>alert(1)</script>" not in t
    assert "Who do we <em>call</em>?" in t
    for kind in ("text", "date", "datetime-local", "email", "tel", "url",
                 "checkbox"):
        assert f'type="{kind}"' in t, kind
    assert "<textarea" in t and "<select" in t
    assert 'inputmode="decimal"' in t
    assert "Vegan" in t and "Beer" in t
    assert 'enctype="multipart/form-data"' in t
    assert "Towels" in t and "Add Towel" in t and "Add Call" in t
    assert "Laborer" in t
    assert "/js/advance.js" in t


def test_toc_markers_due_and_overdue(w):
    t = page(w).text
    toc = t[t.index('class="adv-toc"'):t.index('class="adv-modules"')]
    assert "Hospitality" in toc and "Power" in toc
    assert "○" in toc
    assert "overdue" in toc
    assert "Due Wed 1 Jan 2020" in toc
    v = api(w.owner, f"/events/{w.event}/advances/{w.adv}").json()
    by_id = {m["id"]: m for m in v["toc"]}
    assert by_id[w.mod]["overdue"] is True
    assert by_id[w.mod]["state"] == "not_started"
    assert by_id[w.mod2]["overdue"] is False


def test_required_missing_flagged(w):
    t = page(w, w.vendor1).text
    assert "Required — not answered yet." in t
    assert "Required, not answered yet" in t
    v = api(w.vendor1, f"/events/{w.event}/advances/{w.adv}").json()
    mod = [m for m in v["modules"] if m["id"] == w.mod][0]
    missing = [m["label"] for m in mod["missing"]]
    assert "Contact name" in missing
    q = [b for b in mod["blocks"] if b.get("id") == w.q["text"]][0]
    assert q["missing"] is True and q["required"] is True


def test_retired_hidden_from_respondents_marked_for_staff(w):
    assert "Old question" not in page(w, w.vendor1).text
    t = page(w, w.owner).text
    assert "Old question" in t
    i = t.index("Old question")
    assert "Retired" in t[i:i + 400]


def test_review_marks_only_for_staff(w):
    answer(w.event, w.mod, w.q["longtext"], "Quiet room please",
           uid_of(w.vendor1))
    try:
        t = page(w, w.vendor1).text
        assert "Quiet room please" in t
        assert "Needs review" not in t and "Mark reviewed" not in t
        v = api(w.vendor1, f"/events/{w.event}/advances/{w.adv}").json()
        assert "needs_review" not in str(v).replace("'needs_review': False",
                                                    "")
        for m in v["modules"]:
            for b in m["blocks"]:
                assert b.get("review") is None
        t = page(w, w.owner).text
        assert "Needs review" in t and "Mark reviewed" in t
        t = page(w, w.std_view).text
        assert "Needs review" in t and "Mark reviewed" not in t
    finally:
        sql(f"DELETE FROM answers WHERE advance_module_id = {w.mod} AND "
            f"block_id = {w.q['longtext']}")


def test_vendor_isolation_and_viewers(w):
    assert page(w, w.vendor2).status_code == 404
    assert page(w, w.other).status_code == 404
    assert page(w, w.std_noseat).status_code == 404
    assert page(w, w.std_view).status_code == 200
    assert page(w, w.orgpro).status_code == 200
    assert page(w, w.vendor2, w.adv2).status_code == 200
    assert page(w, w.vendor1, w.adv2).status_code == 404
    # A module of V2's advance through V1's advance: 404 too.
    r = w.vendor1.get(f"/events/{w.event}/advances/{w.adv}/modules/"
                      f"{w.mod_v2}")
    assert r.status_code == 404
    r = w.owner.get(f"/events/{w.event}/advances/{w.adv}/modules/"
                    f"{w.mod_v2}")
    assert r.status_code == 404
    # Viewers cannot answer.
    w.std_view.get(f"/events/{w.event}/advances/{w.adv}")
    r = w.std_view.post(f"/events/{w.event}/advances/{w.adv}/modules/"
                        f"{w.mod}/answers/{w.q['text']}",
                        {"value": "x", "version": "0"})
    assert r.status_code == 403


def test_module_page_and_etag(w):
    r = w.vendor1.get(f"/events/{w.event}/advances/{w.adv}/modules/{w.mod2}")
    assert r.status_code == 200
    assert "Amps" in r.text and "Contact name" not in r.text
    assert "Submit module" in r.text
    r = w.vendor1.s.get(BASE + f"/api/v1/events/{w.event}/advances/{w.adv}"
                        f"/modules/{w.mod2}")
    assert r.status_code == 200
    tag = r.headers["ETag"]
    assert re.match(r'^"\d+-v\d+"$', tag)
    r = w.vendor1.s.get(BASE + f"/api/v1/events/{w.event}/advances/{w.adv}"
                        f"/modules/{w.mod2}", headers={"If-None-Match": tag})
    assert r.status_code == 304


def test_json_twin(w):
    v = api(w.vendor1, f"/events/{w.event}/advances/{w.adv}").json()
    assert v["advance"]["id"] == w.adv
    assert [m["id"] for m in v["modules"]] == [w.mod, w.mod2]
    kinds = [b["kind"] for b in v["modules"][0]["blocks"]]
    assert kinds[0] == "content" and "question" in kinds and \
        "request" in kinds
    q = [b for b in v["modules"][0]["blocks"]
         if b.get("id") == w.q["select"]][0]
    assert q["response_type"] == "select"
    assert [o["label"] for o in q["input"]["options"]] == ["Vegan", "Meat"]


def test_query_count_is_fixed(w):
    ev, by = w.event, uid_of(w.owner)
    adv = advance(ev, w.v1, "Counted", by)
    advmod(ev, adv, w.tpl)
    path = f"/events/{ev}/advances/{adv}"
    n1 = int(w.owner.get(path).headers["X-Debug-Queries"])
    n1v = int(w.vendor1.get(path).headers["X-Debug-Queries"])
    m1 = int(sql_one(f"SELECT id FROM advance_modules WHERE advance_id = "
                     f"{adv}"))
    m2 = advmod(ev, adv, w.tpl2, position=1)
    for m in (m1,):
        for kind in ("text", "longtext", "email", "phone"):
            answer(ev, m, w.q[kind], "x@example.test" if kind == "email"
                   else "0123" if kind == "phone" else "v", by)
        for _ in range(3):
            item(ev, m, w.req, by)
        f = file_row(ev, m, w.q["file"], by)
        answer(ev, m, w.q["file"], str(f), by)
    answer(ev, m2, w.power, "16", by)
    n2 = int(w.owner.get(path).headers["X-Debug-Queries"])
    n2v = int(w.vendor1.get(path).headers["X-Debug-Queries"])
    assert n1 == n2
    assert n1v == n2v
    mp = f"{path}/modules/{m1}"
    assert int(w.owner.get(mp).headers["X-Debug-Queries"]) <= n2 + 1


def test_preview(w):
    path = f"/events/{w.event}/module-templates/{w.tpl}/preview"
    r = w.owner.get(path)
    assert r.status_code == 200, r.text[:2000]
    assert "Preview" in r.text and "Contact name" in r.text
    assert "Old question" not in r.text
    assert " disabled" in r.text
    assert 'name="csrf_token"' in r.text  # the layout's forms only
    assert 'action="/events' not in r.text.split('class="adv-title"')[1]
    assert w.std_view.get(path).status_code == 200
    assert w.vendor1.get(path).status_code == 404
    assert w.other.get(path).status_code == 404
    assert w.owner.get(f"/events/{w.event}/module-templates/999999999"
                       f"/preview").status_code == 404
    v = api(w.owner, path).json()
    assert v["preview"] is True
    assert all(b.get("review") is None for b in v["module"]["blocks"])
