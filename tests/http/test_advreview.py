"""Review, approvals and submission (issue 7 items 5 and 6, PRODUCT §13.5
§13.6, §13.7): marking answers and items reviewed with the version seen,
a later change returning them to needs review with the reviewed value
shown, both approvals with who, when and reason (the reason shown to the
vendor, required to decline), who may give which, only the approvals a
block asks for, and submission: 422 naming what is missing, then
submitted and read-only for the vendor (409) until an advancing admin
reopens it; admins may edit a submitted module directly (logged)."""

import pytest

from bo import BASE, new_user, sql, sql_one
from world import VIEWER, build_world, put_on_event, uid_of
from matrix_advpage import advance, advmod, block, question, template


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = build_world()
    ev, by = w.event, uid_of(w.owner)
    w.tpl = template(ev, "Backline")
    w.name = question(ev, w.tpl, "Tour manager", "text", required=True)
    w.notes = question(ev, w.tpl, "Notes", "longtext")
    w.req = block(ev, w.tpl, "request", label="Amps", item_label="Amp",
                  needs_op=True, needs_res=True)
    w.req_op = block(ev, w.tpl, "request", label="Chairs",
                     item_label="Chair", needs_op=True)
    w.tpl2 = template(ev, "Parking")
    w.plate = question(ev, w.tpl2, "Plate", "text")
    # A module reviewer who holds only Event-domain advancing view.
    w.rev = new_user(tag="reviewer")
    put_on_event(ev, w.rev, w.host, VIEWER, w.pool)
    w.adv = advance(ev, w.v1, "Main show", by)
    w.mod = advmod(ev, w.adv, w.tpl, submission=True,
                   reviewer=uid_of(w.rev))
    w.mod2 = advmod(ev, w.adv, w.tpl2, position=1)
    for b in list(w.personas.values()) + [w.rev]:
        b.get("/account")
    return w


def murl(w, mod=None):
    return f"/events/{w.event}/advances/{w.adv}/modules/{mod or w.mod}"


def aurl(w, blk, mod=None):
    return f"{murl(w, mod)}/answers/{blk}"


def jreq(b, method, path, body=None, etag=None):
    h = {"Origin": BASE, "X-CSRF-Token": b.csrf or "",
         "Accept": "application/json"}
    if etag is not None:
        h["If-Match"] = etag
    return b.s.request(method, BASE + path, json=body, headers=h,
                       allow_redirects=False)


def save(b, w, blk, value, mod=None):
    r = b.s.get(BASE + aurl(w, blk, mod),
                headers={"Accept": "application/json"})
    r = jreq(b, "PATCH", aurl(w, blk, mod), {"value": value},
             r.headers["ETag"])
    assert r.status_code == 200, r.text
    return r.json()["answer"]


def version(w, blk, mod=None):
    return int(sql_one(f"SELECT version FROM answers WHERE "
                       f"advance_module_id = {mod or w.mod} AND block_id = "
                       f"{blk}"))


def add_item(b, w, blk, desc="Fender Twin", qty=1):
    r = jreq(b, "POST", murl(w) + "/line-items",
             {"block_id": blk, "description": desc, "quantity": qty})
    assert r.status_code == 201, r.text
    return r.json()["item"]


def test_answer_review_and_rereview(w):
    a = save(w.vendor1, w, w.notes, "Two amps")
    t = w.owner.get(murl(w)).text
    assert "Needs review" in t
    # Reviewed with the version seen.
    r = w.owner.post(aurl(w, w.notes) + "/review",
                     {"version": str(a["version"])})
    assert r.status_code == 303
    row = sql(f"SELECT review, reviewed_by FROM answers WHERE "
              f"advance_module_id = {w.mod} AND block_id = {w.notes}")[0]
    assert row == ["reviewed", str(uid_of(w.owner))]
    t = w.owner.get(murl(w)).text
    assert "Reviewed by" in t
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE action = "
                   f"'answer.reviewed' AND event_id = {w.event}") == "1"
    # The vendor changes it: back to needs review, the reviewed value
    # shown to staff as what it was.
    save(w.vendor1, w, w.notes, "Three amps")
    row = sql(f"SELECT review, reviewed_by IS NULL FROM answers WHERE "
              f"advance_module_id = {w.mod} AND block_id = {w.notes}")[0]
    assert row == ["needs_review", "1"]
    t = w.owner.get(murl(w)).text
    assert "Changed since the last review" in t and "Two amps" in t
    v = w.owner.s.get(BASE + "/api/v1" + f"/events/{w.event}/advances/"
                      f"{w.adv}").json()
    q = [b for m in v["modules"] for b in m["blocks"]
         if b.get("id") == w.notes][0]
    assert q["review"]["needs_review"] is True
    assert q["review"]["previous"]["value"] == "Two amps"
    # The vendor sees none of it.
    t = w.vendor1.get(murl(w)).text
    assert "Needs review" not in t and "Two amps" not in t
    # A stale review: the form's version (409) or If-Match (412).
    r = w.owner.post(aurl(w, w.notes) + "/review", {"version": "1"})
    assert r.status_code == 409
    r = jreq(w.owner, "POST", aurl(w, w.notes) + "/review", {}, '"1-v1"')
    assert r.status_code == 412
    r = jreq(w.owner, "POST", aurl(w, w.notes) + "/review", {})
    assert r.status_code == 428
    r = w.owner.post(aurl(w, w.notes) + "/review",
                     {"version": str(version(w, w.notes))})
    assert r.status_code == 303
    t = w.owner.get(murl(w)).text
    assert "Changed since the last review" not in t


def test_who_may_review(w):
    save(w.vendor1, w, w.name, "Alex")
    ver = str(version(w, w.name))
    for b in (w.vendor1, w.std_view, w.orgpro):
        b.get(murl(w))
        assert b.post(aurl(w, w.name) + "/review",
                      {"version": ver}).status_code == 403
    assert w.vendor2.post(aurl(w, w.name) + "/review",
                          {"version": ver}).status_code == 404
    # The module's reviewer may, with only advancing view.
    w.rev.get(murl(w))
    assert w.rev.post(aurl(w, w.name) + "/review",
                      {"version": ver}).status_code == 303
    # But not on another module.
    save(w.vendor1, w, w.plate, "AB-12", w.mod2)
    assert w.rev.post(aurl(w, w.plate, w.mod2) + "/review",
                      {"version": str(version(w, w.plate, w.mod2))}
                      ).status_code == 403
    # Nothing to review on an unanswered question.
    sql(f"DELETE FROM answers WHERE advance_module_id = {w.mod2}")
    assert w.owner.post(aurl(w, w.plate, w.mod2) + "/review",
                        {"version": "0"}).status_code == 409


def test_item_review_and_approvals(w):
    it = add_item(w.vendor1, w, w.req)
    iurl = murl(w) + f"/line-items/{it['id']}"
    assert it["operational_approval"]["state"] == "pending"
    assert "review" not in it or it["review"] is None
    ver = str(it["version"])
    w.owner.get(murl(w))
    # Decline without a reason: 422; with one: the vendor sees it.
    r = w.owner.post(iurl + "/approval", {"kind": "operational",
                                         "state": "declined",
                                         "version": ver})
    assert r.status_code == 422
    r = w.owner.post(iurl + "/approval", {"kind": "operational",
                                         "state": "declined",
                                         "reason": "Use the house amp",
                                         "version": ver})
    assert r.status_code == 303
    t = w.vendor1.get(murl(w)).text
    assert "Declined" in t and "Use the house amp" in t
    t = w.vendor1.get(iurl).text
    assert "Use the house amp" in t and "Needs review" not in t
    # Unknown kind or state.
    for bad in ({"kind": "other", "state": "approved"},
                {"kind": "operational", "state": "maybe"}):
        bad["version"] = ver
        assert w.owner.post(iurl + "/approval", bad).status_code == 422
    # Resource approval: Event-domain advancing admins only.
    w.rev.get(murl(w))
    r = w.rev.post(iurl + "/approval", {"kind": "resource",
                                       "state": "approved", "version": ver})
    assert r.status_code == 403
    r = w.rev.post(iurl + "/approval", {"kind": "operational",
                                       "state": "approved", "version": ver})
    assert r.status_code == 303
    w.seat.get(murl(w))
    r = w.seat.post(iurl + "/approval", {"kind": "resource",
                                        "state": "approved",
                                        "version": ver})
    assert r.status_code == 303
    row = sql(f"SELECT op_state, op_by, res_state, res_by FROM line_items "
              f"WHERE id = {it['id']}")[0]
    assert row == ["approved", str(uid_of(w.rev)), "approved",
                   str(uid_of(w.seat))]
    t = w.vendor1.get(iurl).text
    assert t.count("Approved") >= 2
    # Vendors never approve.
    w.vendor1.get(murl(w))
    assert w.vendor1.post(iurl + "/approval", {
        "kind": "operational", "state": "approved",
        "version": ver}).status_code == 403
    # Only the approvals the block asks for.
    chair = add_item(w.vendor1, w, w.req_op, "Chair")
    r = w.owner.post(murl(w) + f"/line-items/{chair['id']}/approval",
                     {"kind": "resource", "state": "approved",
                      "version": str(chair["version"])})
    assert r.status_code == 422 and "does not need resource" in r.text
    # Review with the version seen, as JSON with If-Match.
    r = jreq(w.owner, "POST", iurl + "/review", {}, it["etag"])
    assert r.status_code == 200, r.text
    # The vendor cannot delete it now (approved), and a change resets
    # both approvals and the review.
    r = jreq(w.vendor1, "DELETE", iurl, None, it["etag"])
    assert r.status_code == 409 and r.json()["code"] == "request-locked"
    r = jreq(w.vendor1, "PATCH", iurl, {"quantity": 2}, it["etag"])
    assert r.status_code == 200, r.text
    row = sql(f"SELECT op_state, res_state, review, version FROM line_items"
              f" WHERE id = {it['id']}")[0]
    assert row == ["pending", "pending", "needs_review", "2"]
    # Approving against the old version now: 409 / 412.
    r = w.owner.post(iurl + "/approval", {"kind": "operational",
                                         "state": "approved",
                                         "version": ver})
    assert r.status_code == 409
    r = jreq(w.owner, "POST", iurl + "/approval",
             {"kind": "operational", "state": "approved"}, it["etag"])
    assert r.status_code == 412
    assert sql_one(f"SELECT COUNT(*) FROM audit_log WHERE action = "
                   f"'line_item.approval' AND target_id = {it['id']}") == "3"


def test_submit_lock_and_reopen(w):
    sql(f"DELETE FROM answers WHERE advance_module_id = {w.mod} AND "
        f"block_id = {w.name}")
    w.vendor1.get(murl(w))
    r = w.vendor1.post(murl(w) + "/submit")
    assert r.status_code == 422
    assert "Tour manager is required before submitting" in r.text
    r = jreq(w.vendor1, "POST", murl(w) + "/submit")
    assert r.status_code == 422
    assert r.json()["errors"][0]["parameter"] == f"a{w.name}"
    save(w.vendor1, w, w.name, "Alex")
    r = w.vendor1.post(murl(w) + "/submit")
    assert r.status_code == 303
    row = sql(f"SELECT state, submitted_by FROM advance_modules WHERE id = "
              f"{w.mod}")[0]
    assert row == ["submitted", str(uid_of(w.vendor1))]
    t = w.vendor1.get(murl(w)).text
    assert "Submitted by" in t and "read-only" in t
    assert "Submit module" not in t
    # Read-only for the vendor: answers, the module form, items.
    r = jreq(w.vendor1, "PATCH", aurl(w, w.notes), {"value": "late"},
             '"0-v0"')
    assert r.status_code == 409 and r.json()["code"] == "module-submitted"
    r = w.vendor1.post(murl(w), {f"v{w.notes}": "0", f"a{w.notes}": "x"})
    assert r.status_code == 409
    r = jreq(w.vendor1, "POST", murl(w) + "/line-items",
             {"block_id": w.req, "description": "late amp"})
    assert r.status_code == 409
    assert w.vendor1.post(murl(w) + "/submit").status_code == 409
    # The vendor cannot reopen; an admin edits directly (logged, still
    # submitted).
    assert w.vendor1.post(murl(w) + "/reopen").status_code == 403
    a = save(w.owner, w, w.notes, "Admin fix")
    assert a["value"] == "Admin fix"
    assert sql_one(f"SELECT state FROM advance_modules WHERE id = "
                   f"{w.mod}") == "submitted"
    assert "module_submitted" in sql_one(
        f"SELECT changes FROM audit_log WHERE action = 'answer.saved' AND "
        f"event_id = {w.event} ORDER BY id DESC LIMIT 1")
    # Reopen with a reason.
    w.owner.get(murl(w))
    r = w.owner.post(murl(w) + "/reopen", {"reason": "Missing rider"})
    assert r.status_code == 303
    assert sql_one(f"SELECT state FROM advance_modules WHERE id = "
                   f"{w.mod}") == "open"
    t = w.vendor1.get(murl(w)).text
    assert "Missing rider" in t and "Submit module" in t
    assert w.owner.post(murl(w) + "/reopen").status_code == 409
    save(w.vendor1, w, w.notes, "After reopen")
    # A module that needs no submitting.
    assert w.owner.post(murl(w, w.mod2) + "/submit").status_code == 409
    acts = [x[0] for x in sql(f"SELECT action FROM audit_log WHERE "
                              f"event_id = {w.event} AND target_id = "
                              f"{w.mod} AND target_type = "
                              f"'advance_module' ORDER BY id")]
    assert acts == ["advance_module.submitted", "advance_module.reopened"]


def test_module_review_status(w):
    v = w.owner.s.get(BASE + "/api/v1" + f"/events/{w.event}/advances/"
                      f"{w.adv}").json()
    m = [x for x in v["modules"] if x["id"] == w.mod][0]
    assert m["review_status"] == "needs_review"
    v = w.vendor1.s.get(BASE + "/api/v1" + f"/events/{w.event}/advances/"
                        f"{w.adv}").json()
    m = [x for x in v["modules"] if x["id"] == w.mod][0]
    assert m["review_status"] is None
