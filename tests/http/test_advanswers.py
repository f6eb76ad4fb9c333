"""Answers on the advance page (issue 7 items 5 and 11, PRODUCT §13.2,
§13.5, §13.8): every response type good and bad through JSON and forms
(the field named, other answers kept), clearing, per-field saves, the
module's Save without scripting (an error re-shows the whole module),
If-Match (428/412 with the current value, author and time) and stale
forms (409 with both values, keep mine / take theirs) with two sessions,
no conflict between different questions, file answers (types detected
from the content, size and count limits, download and removal), the
submitted-module and archived-event locks, and vendor isolation on
every answer and file route."""

import re
import threading

import pytest
import requests

from bo import BASE, sql, sql_one
from world import build_world, uid_of
from matrix_advpage import (advance, advmod, answer, block, file_row,
                            options, question, template)


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = build_world()
    ev, by = w.event, uid_of(w.owner)
    w.tpl = template(ev, "Hospitality")
    w.q = {}
    w.q["text"] = question(ev, w.tpl, "Contact name", "text", required=True)
    w.q["longtext"] = question(ev, w.tpl, "Notes", "longtext")
    w.q["number"] = question(ev, w.tpl, "Guests", "number", num_min="0",
                             num_max="40", num_whole=True)
    w.q["decimal"] = question(ev, w.tpl, "Budget", "number")
    w.q["date"] = question(ev, w.tpl, "Arrival", "date")
    w.q["datetime"] = question(ev, w.tpl, "Load-in", "datetime")
    w.q["checkbox"] = question(ev, w.tpl, "Parking", "checkbox")
    w.q["select"] = question(ev, w.tpl, "Diet", "select",
                             options=options("Vegan", "Meat", "Fish",
                                             retired=("Fish",)))
    w.q["multiselect"] = question(ev, w.tpl, "Drinks", "multiselect",
                                  options=options("Water", "Beer", "Tea"))
    w.q["email"] = question(ev, w.tpl, "Email", "email")
    w.q["phone"] = question(ev, w.tpl, "Phone", "phone")
    w.q["url"] = question(ev, w.tpl, "Website", "url")
    w.q["file"] = question(ev, w.tpl, "Rider", "file")
    w.retired = question(ev, w.tpl, "Old", "text", retired=True)
    w.content = block(ev, w.tpl, "content", body="Hello")
    w.tpl_other = template(ev, "Other")
    w.other_q = question(ev, w.tpl_other, "Elsewhere", "text")
    w.adv = advance(ev, w.v1, "Main show", by)
    w.mod = advmod(ev, w.adv, w.tpl)
    w.adv2 = advance(ev, w.v2, "Catering", by)
    w.mod2 = advmod(ev, w.adv2, w.tpl)
    w.v2_answer = answer(ev, w.mod2, w.q["text"], "Cat", uid_of(w.vendor2))
    w.v2_file = file_row(ev, w.mod2, w.q["file"], uid_of(w.vendor2),
                         name="v2.txt", data="secret of v2")
    answer(ev, w.mod2, w.q["file"], str(w.v2_file), uid_of(w.vendor2))
    for b in w.personas.values():
        b.get("/account")
    return w


def url(w, blk, mod=None, adv=None):
    return (f"/events/{w.event}/advances/{adv or w.adv}/modules/"
            f"{mod or w.mod}/answers/{blk}")


def mod_url(w, mod=None, adv=None):
    return f"/events/{w.event}/advances/{adv or w.adv}/modules/{mod or w.mod}"


def jreq(b, method, path, body=None, etag=None, api=False):
    """JSON on the page's own path (Accept: application/json), as
    advance.js sends it; api=True uses the /api/v1 twin (rate limited,
    so only a few tests do)."""
    h = {"Origin": BASE, "X-CSRF-Token": b.csrf or "",
         "Accept": "application/json"}
    if etag is not None:
        h["If-Match"] = etag
    return b.s.request(method, BASE + ("/api/v1" if api else "") + path,
                       json=body, headers=h, allow_redirects=False)


def post_pairs(b, path, pairs):
    """A form post with repeated names (Browser.post takes a dict)."""
    return b.s.post(BASE + path, data=list(pairs) + [("csrf_token", b.csrf)],
                    headers={"Origin": BASE}, allow_redirects=False)


def etag_of(b, w, blk, mod=None):
    r = b.s.get(BASE + url(w, blk, mod),
                headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return r.headers["ETag"]


def stored(w, blk, mod=None):
    v = sql_one(f"SELECT value FROM answers WHERE advance_module_id = "
                f"{mod or w.mod} AND block_id = {blk}")
    return v.replace("\\n", "\n") if v is not None else None


def clear(w, blk, mod=None):
    sql(f"DELETE FROM answers WHERE advance_module_id = {mod or w.mod} AND "
        f"block_id = {blk}")


def put(b, w, blk, value, mod=None):
    r = jreq(b, "PATCH", url(w, blk, mod), {"value": value},
             etag_of(b, w, blk, mod))
    return r


GOOD = [
    ("text", "  Sam Smith ", "Sam Smith", "Sam Smith"),
    ("longtext", "Line one\nLine two", "Line one\nLine two",
     "Line one\nLine two"),
    ("number", 12, "12", 12),
    ("number", "007", "7", 7),
    ("decimal", "4.50", "4.5", 4.5),
    ("date", "2027-07-01", "2027-07-01", "2027-07-01"),
    ("datetime", "2027-07-01T18:30", "2027-07-01 16:30:00",
     "2027-07-01T16:30:00Z"),
    ("checkbox", True, "true", True),
    ("checkbox", False, "false", False),
    ("select", "o2", "o2", "o2"),
    ("multiselect", ["o3", "o1"], "o1,o3", ["o1", "o3"]),
    ("email", "sam@example.test", "sam@example.test", "sam@example.test"),
    ("phone", "+31 6 1234 5678", "+31 6 1234 5678", "+31 6 1234 5678"),
    ("url", "https://example.test/rider", "https://example.test/rider",
     "https://example.test/rider"),
]


@pytest.mark.parametrize("kind,sent,canon,back", GOOD)
def test_every_type_saves_as_json(w, kind, sent, canon, back):
    r = put(w.vendor1, w, w.q[kind], sent)
    assert r.status_code == 200, r.text
    a = r.json()["answer"]
    assert a["value"] == back
    assert stored(w, w.q[kind]) == canon
    assert r.headers["ETag"] == a["etag"]
    assert "review" not in a  # a respondent sees no review marks
    hist = sql_one(f"SELECT value FROM answer_history WHERE "
                   f"advance_module_id = {w.mod} AND block_id = "
                   f"{w.q[kind]} ORDER BY id DESC LIMIT 1")
    assert hist.replace("\\n", "\n") == canon


BAD = [
    ("number", "12a", "Enter a number"),
    ("number", "41", "40 or less"),
    ("number", "-1", "0 or more"),
    ("number", "1.5", "whole number"),
    ("date", "2027-02-30", "YYYY-MM-DD"),
    ("date", "July 1st", "YYYY-MM-DD"),
    ("datetime", "tomorrow", "date and time"),
    ("datetime", "2027-03-28T02:30", "does not exist"),
    ("select", "o9", "Choose one of the options"),
    ("select", "o3", "Choose one of the options"),
    ("multiselect", ["o1", "zz"], "not one of the options"),
    ("email", "nope", "email address"),
    ("phone", "call me", "phone number"),
    ("url", "ftp://example.test", "http"),
    ("text", "x" * 501, "500 characters"),
    ("checkbox", "maybe", "yes or no"),
]


@pytest.mark.parametrize("kind,sent,msg", BAD)
def test_bad_values_refused_as_json(w, kind, sent, msg):
    other = w.q["email"] if kind != "email" else w.q["phone"]
    assert put(w.vendor1, w, other, "keep@example.test" if kind != "email"
               else "0123456").status_code == 200
    before = stored(w, w.q[kind])
    r = put(w.vendor1, w, w.q[kind], sent)
    assert r.status_code == 422, r.text
    p = r.json()
    assert p["code"] == "validation-failed"
    assert p["errors"][0]["pointer"] == "/value"
    assert msg in p["errors"][0]["message"]
    label = sql_one(f"SELECT label FROM module_blocks WHERE id = "
                    f"{w.q[kind]}")
    assert label in p["errors"][0]["message"]
    assert stored(w, w.q[kind]) == before
    assert stored(w, other) in ("keep@example.test", "0123456")


def _form_value(sent):
    if sent is True:
        return "true"
    if sent is False:
        return None
    if isinstance(sent, list):
        return sent
    return str(sent)


@pytest.mark.parametrize("kind,sent,canon,back", GOOD)
def test_every_type_saves_through_the_module_form(w, kind, sent, canon,
                                                 back):
    b = w.vendor1
    blk = w.q[kind]
    b.get(mod_url(w))
    if kind == "checkbox" and sent is False:
        assert put(b, w, blk, True).status_code == 200
    else:
        clear(w, blk)
    r = post_pairs(b, mod_url(w), module_form(w, {blk: _form_value(sent)}))
    assert r.status_code == 303, r.text[:2000]
    assert stored(w, blk) == canon


@pytest.mark.parametrize("kind,sent,msg", BAD)
def test_bad_values_refused_through_the_module_form(w, kind, sent, msg):
    b = w.vendor1
    blk = w.q[kind]
    b.get(mod_url(w))
    assert put(b, w, w.q["email"] if kind != "email" else w.q["phone"],
               "kept@example.test" if kind != "email" else
               "0201").status_code == 200
    before = stored(w, blk)
    r = post_pairs(b, mod_url(w), module_form(w, {blk: _form_value(sent)}))
    assert r.status_code == 422
    label = sql_one(f"SELECT label FROM module_blocks WHERE id = {blk}")
    assert f"{label}: " in r.text and msg in r.text
    # What was typed stays (a select can only show its own options).
    if isinstance(sent, str) and kind not in ("checkbox", "select"):
        assert sent in r.text
    assert stored(w, blk) == before


def test_bad_values_refused_through_the_form(w):
    b = w.vendor1
    b.get(url(w, w.q["number"]))
    clear(w, w.q["number"])
    r = b.post(url(w, w.q["number"]), {"value": "twelve", "version": "0"})
    assert r.status_code == 422
    assert "Guests: Enter a number" in r.text
    assert 'value="twelve"' in r.text
    assert stored(w, w.q["number"]) is None
    r = b.post(url(w, w.q["number"]), {"value": "12", "version": "0"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(
        f"#m{w.mod}-a{w.q['number']}")
    assert stored(w, w.q["number"]) == "12"
    # An unticked checkbox on its own page means no.
    b.get(url(w, w.q["checkbox"]))
    ver = sql_one(f"SELECT COALESCE(MAX(version), 0) FROM answers WHERE "
                  f"advance_module_id = {w.mod} AND block_id = "
                  f"{w.q['checkbox']}")
    r = b.post(url(w, w.q["checkbox"]), {"version": ver})
    assert r.status_code == 303
    assert stored(w, w.q["checkbox"]) == "false"
    # Multi-select: repeated values.
    ver = sql_one(f"SELECT COALESCE(MAX(version), 0) FROM answers WHERE "
                  f"advance_module_id = {w.mod} AND block_id = "
                  f"{w.q['multiselect']}")
    r = post_pairs(b, url(w, w.q["multiselect"]),
                   [("value", "o2"), ("value", "o1"), ("version", ver)])
    assert r.status_code == 303
    assert stored(w, w.q["multiselect"]) == "o1,o2"
    # The form needs its version.
    r = b.post(url(w, w.q["text"]), {"value": "x"})
    assert r.status_code == 422 and "Version is required" in r.text


def test_clearing(w):
    assert put(w.vendor1, w, w.q["longtext"], "to go").status_code == 200
    r = put(w.vendor1, w, w.q["longtext"], None)
    assert r.status_code == 200
    assert r.json()["answer"]["answered"] is False
    assert r.headers["ETag"] == '"0-v0"'
    assert stored(w, w.q["longtext"]) is None
    assert sql_one(f"SELECT value IS NULL FROM answer_history WHERE "
                   f"advance_module_id = {w.mod} AND block_id = "
                   f"{w.q['longtext']} ORDER BY id DESC LIMIT 1") == "1"
    assert put(w.vendor1, w, w.q["longtext"], "again").status_code == 200
    assert put(w.vendor1, w, w.q["longtext"], "").status_code == 200
    assert stored(w, w.q["longtext"]) is None
    assert put(w.vendor1, w, w.q["longtext"], "third").status_code == 200
    r = jreq(w.vendor1, "DELETE", url(w, w.q["longtext"]))
    assert r.status_code == 428
    r = jreq(w.vendor1, "DELETE", url(w, w.q["longtext"]), etag='"1-v1"')
    assert r.status_code == 412
    r = jreq(w.vendor1, "DELETE", url(w, w.q["longtext"]),
             etag=etag_of(w.vendor1, w, w.q["longtext"]))
    assert r.status_code == 200
    assert stored(w, w.q["longtext"]) is None


def test_if_match_required_and_stale(w):
    b = w.vendor1
    clear(w, w.q["text"])
    r = jreq(b, "PATCH", url(w, w.q["text"]), {"value": "A"}, api=True)
    assert r.status_code == 428
    assert r.json()["code"] == "precondition-required"
    r = jreq(b, "PATCH", url(w, w.q["text"]), {"value": "A"}, '"0-v0"')
    assert r.status_code == 200
    first = r.headers["ETag"]
    # The owner (another session) saves on top of it.
    r = jreq(w.owner, "PATCH", url(w, w.q["text"]), {"value": "B"}, first)
    assert r.status_code == 200
    # The vendor's next save is based on the first version: 412, with
    # what is there now, who saved it and when.
    r = jreq(b, "PATCH", url(w, w.q["text"]), {"value": "C"}, first,
             api=True)
    assert r.status_code == 412
    p = r.json()
    assert p["code"] == "precondition-failed"
    cur = p["current"]
    assert cur["value"] == "B" and cur["version"] == 2
    assert cur["updated_by_name"]
    assert cur["updated_at"] and cur["updated_at_local"]
    assert stored(w, w.q["text"]) == "B"
    # Different questions never conflict.
    r = jreq(b, "PATCH", url(w, w.q["email"]), {"value": "v@example.test"},
             etag_of(b, w, w.q["email"]))
    assert r.status_code == 200
    # Keep mine: resave against the current version.
    r = jreq(b, "PATCH", url(w, w.q["text"]), {"value": "C"}, cur["etag"])
    assert r.status_code == 200
    assert stored(w, w.q["text"]) == "C"
    # A new answer based on "0-v0" when one exists now: stale too.
    r = jreq(w.owner, "PATCH", url(w, w.q["text"]), {"value": "D"},
             '"0-v0"')
    assert r.status_code == 412


def test_saves_at_the_same_time_all_land(w):
    """Vendors autosave side by side: saves into different modules of one
    event at the same moment all succeed. (Each write once raised its
    event's change mark for the feeds inside its transaction, which failed
    every save whose snapshot predated another's: 1020.)"""
    advs = [advance(w.event, w.v1, f"Side {i}", uid_of(w.owner))
            for i in range(6)]
    mods = [advmod(w.event, a, w.tpl) for a in advs]
    statuses = []

    values = {"text": "Side by side", "longtext": "Two\nlines",
              "email": "sam@example.test", "phone": "+31 6 1234 5678",
              "url": "https://example.test"}

    def saves(adv, mod):
        s = requests.Session()      # one connection per thread, same sign-in
        s.cookies.update(w.vendor1.s.cookies)
        h = {"Origin": BASE, "X-CSRF-Token": w.vendor1.csrf,
             "Accept": "application/json", "If-Match": '"0-v0"'}
        for kind, value in values.items():
            r = s.patch(BASE + url(w, w.q[kind], mod, adv),
                        json={"value": value}, headers=h)
            statuses.append((r.status_code, r.text[:200]))

    threads = [threading.Thread(target=saves, args=am)
               for am in zip(advs, mods)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(statuses) == 30
    assert [s for s in statuses if s[0] != 200] == []
    assert int(sql_one(f"SELECT COUNT(*) FROM answers WHERE"
                       f" advance_module_id IN ({', '.join(map(str, mods))})"
                       )) == 30


def test_stale_form_shows_both_values(w):
    b = w.vendor1
    clear(w, w.q["phone"])
    b.get(url(w, w.q["phone"]))
    r = b.post(url(w, w.q["phone"]), {"value": "0201", "version": "0"})
    assert r.status_code == 303
    # The owner changes it; the vendor's form is still at version 1.
    assert jreq(w.owner, "PATCH", url(w, w.q["phone"]), {"value": "0299"},
                etag_of(w.owner, w, w.q["phone"])).status_code == 200
    r = b.post(url(w, w.q["phone"]), {"value": "0777", "version": "1"})
    assert r.status_code == 409
    assert "0299" in r.text and 'value="0777"' in r.text
    assert "take theirs" in r.text
    assert 'name="version" value="2"' in r.text
    assert stored(w, w.q["phone"]) == "0299"
    r = b.post(url(w, w.q["phone"]), {"value": "0777", "version": "2"})
    assert r.status_code == 303
    assert stored(w, w.q["phone"]) == "0777"


def module_form(w, values, versions=None):
    """Every question of the module as the page's form posts it."""
    data = []
    for blk, v in values.items():
        ver = (versions or {}).get(blk)
        if ver is None:
            ver = sql_one(f"SELECT COALESCE(MAX(version), 0) FROM answers "
                          f"WHERE advance_module_id = {w.mod} AND block_id "
                          f"= {blk}")
        data.append((f"v{blk}", str(ver)))
        if isinstance(v, list):
            data += [(f"a{blk}", x) for x in v]
        elif v is not None:
            data.append((f"a{blk}", v))
    return data


def test_module_save_without_scripting(w):
    b = w.vendor1
    for k in ("text", "number", "date", "select", "multiselect", "checkbox",
              "url"):
        clear(w, w.q[k])
    b.get(f"/events/{w.event}/advances/{w.adv}")
    data = module_form(w, {w.q["text"]: "Sam", w.q["number"]: "3",
                           w.q["date"]: "2027-07-01", w.q["select"]: "o1",
                           w.q["multiselect"]: ["o2", "o3"],
                           w.q["checkbox"]: None, w.q["url"]: ""})
    data.append(("back", "advance"))
    r = post_pairs(b, mod_url(w), data)
    assert r.status_code == 303, r.text[:3000]
    assert r.headers["Location"].endswith(f"#module-{w.mod}")
    assert stored(w, w.q["text"]) == "Sam"
    assert stored(w, w.q["number"]) == "3"
    assert stored(w, w.q["multiselect"]) == "o2,o3"
    # An untouched, unticked checkbox stays unanswered.
    assert stored(w, w.q["checkbox"]) is None
    assert stored(w, w.q["url"]) is None
    # One bad value: nothing saved, the whole module re-shown as typed.
    data = module_form(w, {w.q["text"]: "Samantha", w.q["number"]: "3x",
                           w.q["date"]: "2027-13-01", w.q["url"]: "nope"})
    r = post_pairs(b, mod_url(w), data)
    assert r.status_code == 422
    assert "Guests: Enter a number" in r.text
    assert "Arrival: Enter a date" in r.text
    assert "Website: Enter a web address" in r.text
    assert 'value="Samantha"' in r.text and 'value="3x"' in r.text
    assert stored(w, w.q["text"]) == "Sam"
    # Stale: another session changed one question meanwhile.
    old = module_form(w, {w.q["text"]: "Samuel", w.q["number"]: "4"})
    assert jreq(w.owner, "PATCH", url(w, w.q["text"]), {"value": "Sally"},
                etag_of(w.owner, w, w.q["text"])).status_code == 200
    r = post_pairs(b, mod_url(w), old)
    assert r.status_code == 409
    assert "Sally" in r.text and 'value="Samuel"' in r.text
    assert "Keep mine" in r.text and "Take theirs" in r.text
    assert stored(w, w.q["number"]) == "3"
    # Take theirs for the stale one, keep the rest.
    data = module_form(w, {w.q["number"]: "4"})
    data += [(f"v{w.q['text']}", "1"), (f"a{w.q['text']}", "Samuel"),
             (f"t{w.q['text']}", "theirs")]
    r = post_pairs(b, mod_url(w), data)
    assert r.status_code == 303
    assert stored(w, w.q["text"]) == "Sally"
    assert stored(w, w.q["number"]) == "4"
    # Keep mine: the re-shown form carries the current version.
    r = post_pairs(b, mod_url(w), module_form(w, {w.q["text"]: "Samuel"}))
    assert r.status_code == 303
    assert stored(w, w.q["text"]) == "Samuel"
    # An answered checkbox left unticked becomes no.
    assert put(b, w, w.q["checkbox"], True).status_code == 200
    r = post_pairs(b, mod_url(w), module_form(w, {w.q["checkbox"]: None}))
    assert r.status_code == 303
    assert stored(w, w.q["checkbox"]) == "false"


def test_module_save_as_json(w):
    b = w.vendor1
    ver = int(sql_one(f"SELECT COALESCE(MAX(version), 0) FROM answers WHERE "
                      f"advance_module_id = {w.mod} AND block_id = "
                      f"{w.q['decimal']}"))
    r = jreq(b, "POST", mod_url(w), {"answers": [
        {"block_id": w.q["decimal"], "value": 99.25, "version": ver}]})
    assert r.status_code == 200, r.text
    assert r.json()["saved"] == 1
    assert stored(w, w.q["decimal"]) == "99.25"
    r = jreq(b, "POST", mod_url(w), {"answers": [
        {"block_id": w.q["decimal"], "value": 1, "version": ver}]})
    assert r.status_code == 409
    assert r.json()["conflicts"][0]["block_id"] == w.q["decimal"]
    r = jreq(b, "POST", mod_url(w), {"answers": [
        {"block_id": w.other_q, "value": "x", "version": 0}]})
    assert r.status_code == 422


def test_only_live_questions_of_this_module(w):
    b = w.vendor1
    # A block of another template, a content block, a retired question.
    for blk in (w.other_q, w.content):
        assert jreq(b, "PATCH", url(w, blk), {"value": "x"},
                    '"0-v0"').status_code == 404
    assert jreq(b, "PATCH", url(w, w.retired), {"value": "x"},
                '"0-v0"').status_code == 404
    r = jreq(w.owner, "PATCH", url(w, w.retired), {"value": "x"}, '"0-v0"')
    assert r.status_code == 422
    assert "retired" in r.json()["errors"][0]["message"]


def test_viewers_cannot_answer_and_archived_refuses(w):
    r = jreq(w.std_view, "PATCH", url(w, w.q["text"]), {"value": "x"},
             '"0-v0"')
    assert r.status_code == 403
    assert jreq(w.orgpro, "PATCH", url(w, w.q["text"]), {"value": "x"},
                '"0-v0"').status_code == 403
    sql(f"UPDATE events SET status = 'archived' WHERE id = {w.event}")
    try:
        r = jreq(w.vendor1, "PATCH", url(w, w.q["text"]), {"value": "x"},
                 etag_of(w.vendor1, w, w.q["text"]))
        assert r.status_code == 409
        assert r.json()["code"] == "event-archived"
        t = w.vendor1.get(f"/events/{w.event}/advances/{w.adv}").text
        assert "data-url=" not in t
    finally:
        sql(f"UPDATE events SET status = 'active' WHERE id = {w.event}")


# --- files ----------------------------------------------------------------

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 60
BIN = b"\x00\x01\x02\x03binary\xff\xfe"


def upload(b, w, files, version=None, mod=None, blk=None):
    blk = blk or w.q["file"]
    if version is None:
        version = sql_one(f"SELECT COALESCE(MAX(version), 0) FROM answers "
                          f"WHERE advance_module_id = {mod or w.mod} AND "
                          f"block_id = {blk}")
    b.get(f"/events/{w.event}/advances/{w.adv}")
    return b.post(url(w, blk, mod) + "/files/upload",
                  {"version": str(version)},
                  files=[("file", f) for f in files])


def test_file_upload_download_remove(w):
    b = w.vendor1
    sql(f"DELETE FROM answers WHERE advance_module_id = {w.mod} AND "
        f"block_id = {w.q['file']}")
    r = upload(b, w, [("rider.pdf", PDF, "application/octet-stream"),
                      ("stage.png", PNG, "text/plain"),
                      ("notes.txt", "Hello ünïcode\n".encode(), None)])
    assert r.status_code == 303, r.text[:2000]
    ids = stored(w, w.q["file"]).split(",")
    assert len(ids) == 3
    rows = sql(f"SELECT name, ctype, size FROM answer_files WHERE "
               f"advance_module_id = {w.mod} AND block_id = {w.q['file']} "
               f"ORDER BY id")
    assert [x[1] for x in rows] == ["application/pdf", "image/png",
                                    "text/plain; charset=utf-8"]
    r = b.get(url(w, w.q["file"]) + f"/files/{ids[0]}")
    assert r.status_code == 200
    assert r.content == PDF
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"].startswith(
        'attachment; filename="rider.pdf"')
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # Staff see it too; the other vendor does not.
    assert w.owner.get(url(w, w.q["file"]) +
                       f"/files/{ids[0]}").status_code == 200
    assert w.vendor2.get(url(w, w.q["file"]) +
                         f"/files/{ids[0]}").status_code == 404
    # V2's file through V1's advance and module: 404.
    assert b.get(url(w, w.q["file"]) +
                 f"/files/{w.v2_file}").status_code == 404
    # The answer lists the files.
    a = b.s.get(BASE + "/api/v1" + url(w, w.q["file"])).json()["answer"]
    assert a["value"] == ids
    # Remove one.
    ver = sql_one(f"SELECT version FROM answers WHERE advance_module_id = "
                  f"{w.mod} AND block_id = {w.q['file']}")
    r = b.post(url(w, w.q["file"]) + f"/files/{ids[1]}/delete",
               {"version": ver})
    assert r.status_code == 303
    assert stored(w, w.q["file"]) == f"{ids[0]},{ids[2]}"
    assert b.get(url(w, w.q["file"]) +
                 f"/files/{ids[1]}").status_code == 404
    # A stale version: 409.
    r = b.post(url(w, w.q["file"]) + f"/files/{ids[0]}/delete",
               {"version": ver})
    assert r.status_code == 409


def test_file_types_sizes_and_counts(w):
    b = w.vendor1
    before = stored(w, w.q["file"])
    for name, data in (("setup.exe", EXE), ("blob.bin", BIN),
                       ("run.sh", b"#!/bin/sh\nrm -rf /\n")):
        r = upload(b, w, [(name, data, "application/pdf")])
        assert r.status_code == 422, name
        assert "not a file type we accept" in r.text
        assert name in r.text
        assert "Rider:" in r.text
    r = upload(b, w, [("big.txt", b"a" * (15 * 1024 * 1024 + 1), None)])
    assert r.status_code == 422
    assert "big.txt is larger than 15 MB" in r.text
    r = upload(b, w, [])
    assert r.status_code == 422 and "Choose a file" in r.text
    assert stored(w, w.q["file"]) == before
    # At most 10 per question.
    sql(f"DELETE FROM answers WHERE advance_module_id = {w.mod} AND "
        f"block_id = {w.q['file']}")
    for i in range(2):
        r = upload(b, w, [(f"f{i}{j}.txt", b"x", None) for j in range(5)])
        assert r.status_code == 303, r.text[:1000]
    r = upload(b, w, [("eleven.txt", b"x", None)])
    assert r.status_code == 422 and "at most 10 files" in r.text
    assert len(stored(w, w.q["file"]).split(",")) == 10


def test_file_upload_json_needs_if_match(w):
    b = w.vendor1
    path = BASE + "/api/v1" + url(w, w.q["file"]) + "/files/upload"
    h = {"Origin": BASE, "X-CSRF-Token": b.csrf}
    r = b.s.post(path, files=[("file", ("a.txt", b"hi"))], headers=h)
    assert r.status_code == 428
    h["If-Match"] = '"0-v0"'
    r = b.s.post(path, files=[("file", ("a.txt", b"hi"))], headers=h)
    assert r.status_code == 412
    assert r.json()["current"]["answered"] is True
    h["If-Match"] = etag_of(b, w, w.q["file"])
    sql(f"DELETE FROM answers WHERE advance_module_id = {w.mod} AND "
        f"block_id = {w.q['file']}")
    h["If-Match"] = '"0-v0"'
    r = b.s.post(path, files=[("file", ("a.txt", b"hi"))], headers=h)
    assert r.status_code == 201, r.text
    assert len(r.json()["answer"]["value"]) == 1


# --- vendor isolation -------------------------------------------------------

def test_vendor_isolation_on_every_answer_route(w):
    """V2's contact on V1's advance, and V1's advance path with V2's
    module, answer or file: 404 on every route, both vendors."""
    ev = w.event
    a1 = f"/events/{ev}/advances/{w.adv}"
    mix = f"{a1}/modules/{w.mod2}"
    own = f"{a1}/modules/{w.mod}"
    fid = sql_one(f"SELECT MIN(id) FROM answer_files WHERE "
                  f"advance_module_id = {w.mod}") or "1"
    routes = [
        ("GET", a1), ("GET", own), ("POST", own),
        ("GET", f"{own}/answers/{w.q['text']}"),
        ("POST", f"{own}/answers/{w.q['text']}"),
        ("PATCH", f"{own}/answers/{w.q['text']}"),
        ("DELETE", f"{own}/answers/{w.q['text']}"),
        ("POST", f"{own}/answers/{w.q['text']}/review"),
        ("POST", f"{own}/answers/{w.q['file']}/files/upload"),
        ("GET", f"{own}/answers/{w.q['file']}/files/{fid}"),
        ("POST", f"{own}/answers/{w.q['file']}/files/{fid}/delete"),
    ]
    for method, path in routes:
        for b in (w.vendor2,):
            r = jreq(b, method, path, {"value": "x"}, '"0-v0"')
            assert r.status_code == 404, (method, path, r.status_code)
    # V1 through its own advance but V2's module / file ids.
    for method, path in [
            ("GET", mix), ("POST", mix),
            ("GET", f"{mix}/answers/{w.q['text']}"),
            ("PATCH", f"{mix}/answers/{w.q['text']}"),
            ("DELETE", f"{mix}/answers/{w.q['text']}"),
            ("POST", f"{mix}/answers/{w.q['text']}/review"),
            ("POST", f"{mix}/answers/{w.q['file']}/files/upload"),
            ("GET", f"{mix}/answers/{w.q['file']}/files/{w.v2_file}"),
            ("GET", f"{own}/answers/{w.q['file']}/files/{w.v2_file}"),
            ("POST", f"{own}/answers/{w.q['file']}/files/{w.v2_file}"
                     "/delete"),
            ("GET", f"/events/{ev}/advances/{w.adv2}"),
            ("GET", f"/events/{ev}/advances/{w.adv2}/modules/{w.mod2}/"
                    f"answers/{w.q['text']}")]:
        r = jreq(w.vendor1, method, path, {"value": "x"}, '"0-v0"')
        assert r.status_code == 404, (method, path, r.status_code)
    assert stored(w, w.q["text"], w.mod2) == "Cat"
