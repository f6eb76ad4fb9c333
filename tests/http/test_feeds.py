"""Calendar feeds and feed tokens (issue 6 items 1 and 2; FEEDS.md §2–§5):
each scope's iCalendar parsed property by property, byte-stable refetches,
SEQUENCE rules, ETag/304, revocation (one and all), access loss, vendor
visibility, headers, a fixed query count, and tokens kept out of the log."""

import re
import threading
import time
import uuid

import icalendar
import pytest
import requests

from bo import (BASE, BASE_NOLIMIT, Browser, app_log, new_event,
                new_org, new_user, sql, sql_one)
from world import insert_collab, put_on_event, uid_of, vendor_contact

TOKEN_RE = re.compile(r"bofeed_[A-Za-z0-9_-]{43}")


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="fowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Harbour Fest",
                        start_date="2027-07-09", end_date="2027-07-12",
                        timezone="Europe/Berlin")
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id ="
                         f" {w.event} AND is_host = 1"))
    w.v1 = insert_collab(w.event, "Rigging Co")
    w.v2 = insert_collab(w.event, "Catering Co")
    w.vendor = new_user(tag="fvendor")
    put_on_event(w.event, w.vendor, w.v1, vendor_contact(w.v1))
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES (UUID(), {w.event}, 'Main Stage', 'main stage', "
        f"UTC_TIMESTAMP(3))")
    w.area = int(sql_one(f"SELECT id FROM areas WHERE event_id = {w.event}"))
    w.owner.get(f"/events/{w.event}/schedule")
    w.a_timed = create(w.owner, w.event, name="Load-in, rigging; \\ day",
                       start_time="08:00", end_time="12:30",
                       location="Dock B", areas=str(w.area),
                       description="Trucks at gate B.\nForklift *required*.",
                       participants=f"collaborator:{w.v1}")
    w.a_series = create(w.owner, w.event, name="Crew briefing",
                        start_time="09:00", end_time="09:30",
                        repeat="daily", until="2027-07-12", **{"global": "1"})
    w.a_allday = create(w.owner, w.event, name="Site open", all_day="1",
                        type="time_frame", start_date="2027-07-10",
                        end_date="2027-07-11", **{"global": "1"})
    w.a_v2 = create(w.owner, w.event, name="Catering only",
                    participants=f"collaborator:{w.v2}")
    return w


def create(b, ev, **fields):
    data = {"name": "Act " + uuid.uuid4().hex[:6], "start_date": "2027-07-10",
            "start_time": "10:00", "end_date": "2027-07-10",
            "end_time": "11:00"}
    data.update(fields)
    b.get(f"/events/{ev}/schedule")
    r = b.post(f"/events/{ev}/activities", data)
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].rsplit("/", 1)[1])


def subscribe(b, kind, scope_id, expect=201):
    page = {"personal": "/calendar", "event": None}.get(kind)
    b.get(page or "/account")
    r = b.post(f"/account/feeds/new/{kind}/{scope_id}", {})
    assert r.status_code == expect, r.text[:2000]
    if expect != 201:
        return None
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in r.headers["Cache-Control"]
    urls = re.findall(r"https?://[^\s\"<]+/feeds/(bofeed_[A-Za-z0-9_-]{43})"
                      r"/calendar\.ics", r.text)
    assert urls, r.text[:2000]
    assert "webcal://" in r.text
    return urls[0]


def fetch(token, headers=None, params=None):
    # The test server without nginx's feed limits (test_feed_rate_limit
    # checks those on the other one).
    return requests.get(f"{BASE_NOLIMIT}/feeds/{token}/calendar.ics",
                        headers=headers or {}, params=params,
                        allow_redirects=False)


def own_event(tag, name, **kw):
    """A new user owning an organization with one event: (user, event)."""
    b = new_user(tag=tag)
    org = new_org(b, org_standard=2, org_pro=0, event_pro=2)
    return b, new_event(b, org, name=name, **kw)


def feed_id(tok):
    return sql_one(f"SELECT id FROM feed_token WHERE token_hint = "
                   f"'{tok[:11]}' AND revoked_at IS NULL")


def events_of(body):
    cal = icalendar.Calendar.from_ical(body)
    return cal, {str(c["UID"]): c for c in cal.walk("VEVENT")}


def uuid_of(aid):
    return sql_one(f"SELECT uuid FROM activities WHERE id = {aid}")


def test_event_feed_properties(w):
    tok = subscribe(w.owner, "event", w.event)
    r = fetch(tok)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = r.content
    # F05 lexical rules
    assert b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    cal, evs = events_of(body)
    assert cal["VERSION"] == "2.0"
    assert str(cal["PRODID"]) == "-//BackOps//BackOps 1//EN"
    assert cal["CALSCALE"] == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Harbour Fest"
    assert str(cal["NAME"]) == "Harbour Fest"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in body
    for bad in (b"METHOD", b"SOURCE", b"ATTENDEE", b"ORGANIZER",
                b"VALARM", b"freeassociation", b"X-LIC"):
        assert bad not in body
    tzs = [str(c["TZID"]) for c in cal.walk("VTIMEZONE")]
    assert tzs == ["Europe/Berlin"]

    t = evs[uuid_of(w.a_timed)]
    assert b"DTSTART;TZID=Europe/Berlin:20270710T080000\r\n" in body
    assert b"DTEND;TZID=Europe/Berlin:20270710T123000\r\n" in body
    assert t["DTSTART"].dt.utcoffset().total_seconds() == 7200
    assert str(t["SUMMARY"]) == "Load-in, rigging; \\ day"
    assert str(t["LOCATION"]) == "Main Stage, Dock B"
    desc = str(t["DESCRIPTION"])
    assert desc.startswith("Trucks at gate B.\nForklift *required*.\n\n")
    assert "Participants: Rigging Co" in desc
    assert desc.endswith(f"/events/{w.event}/activities/{w.a_timed}")
    assert str(t["URL"]).endswith(f"/events/{w.event}/activities/"
                                  f"{w.a_timed}")
    assert t["STATUS"] == "CONFIRMED"
    assert int(t["SEQUENCE"]) == 0
    assert "TRANSP" not in t
    assert t["DTSTAMP"].dt == t["LAST-MODIFIED"].dt
    assert t["DTSTAMP"].dt.tzinfo is not None
    upd = sql_one(f"SELECT DATE_FORMAT(updated_at, '%Y%m%dT%H%i%sZ') FROM "
                  f"activities WHERE id = {w.a_timed}")
    assert f"DTSTAMP:{upd}".encode() in body
    assert re.fullmatch(r"[0-9a-f-]{36}", str(t["UID"]))

    s = evs[uuid_of(w.a_series)]
    assert b"RRULE:FREQ=DAILY;UNTIL=20270712T215959Z\r\n" in body
    assert s["RRULE"]["FREQ"] == ["DAILY"]

    a = evs[uuid_of(w.a_allday)]
    assert b"DTSTART;VALUE=DATE:20270710\r\n" in body
    assert b"DTEND;VALUE=DATE:20270712\r\n" in body
    assert a["TRANSP"] == "TRANSPARENT"
    # VEVENTs ordered by start: the all-day item (00:00) first
    assert list(evs)[0] == uuid_of(w.a_allday)


def test_refetch_is_identical_and_304(w):
    tok = subscribe(w.owner, "collaborator", w.v1)
    r1, r2 = fetch(tok), fetch(tok)
    assert r1.content == r2.content
    et = r1.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', et)
    assert et == r2.headers["ETag"]
    assert "Last-Modified" in r1.headers
    r3 = fetch(tok, {"If-None-Match": et})
    assert r3.status_code == 304 and r3.content == b""
    assert r3.headers["ETag"] == et
    assert r3.headers["Referrer-Policy"] == "no-referrer"
    r4 = fetch(tok, {"If-None-Match": '"0000"'})
    assert r4.status_code == 200
    h = requests.head(f"{BASE}/feeds/{tok}/calendar.ics")
    assert h.status_code == 200 and h.content == b""
    assert h.headers["ETag"] == et


def test_feed_headers_and_methods(w):
    tok = subscribe(w.owner, "area", w.area)
    r = fetch(tok)
    assert r.status_code == 200
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in r.headers["X-Robots-Tag"]
    assert r.headers["Cache-Control"] == "private, no-cache"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Content-Disposition"].startswith("attachment; filename=")
    assert int(r.headers["Content-Length"]) == len(r.content)
    assert "Set-Cookie" not in r.headers
    assert "Content-Encoding" not in r.headers
    _, evs = events_of(r.content)
    assert set(evs) == {uuid_of(w.a_timed)}   # tagged with the area only
    r = requests.post(f"{BASE}/feeds/{tok}/calendar.ics")
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
    assert fetch(tok, params={"past_days": "x"}).status_code == 400
    assert fetch(tok, params=[("past_days", "1"), ("past_days", "2")]) \
        .status_code == 400
    assert fetch(tok, params={"utm_source": "x"}).status_code == 200
    # A client that prefers JSON gets the calendar all the same, and an
    # unknown token the same plain 404 as always.
    r = fetch(tok, headers={"Accept": "application/json, text/calendar"})
    assert r.status_code == 200 and r.content.startswith(b"BEGIN:VCALENDAR")
    r = fetch("bofeed_" + "A" * 43, headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.text == fetch("bofeed_" + "A" * 43).text
    assert requests.get(f"{BASE}/api/v1/feeds/{tok}/calendar.ics") \
        .status_code == 404


def test_subscribe_shown_only_where_the_feed_would_be_made(w):
    """Settings view shows an area's page, crew view a collaborator's;
    their feeds need schedule view. Without it the pages show no
    Subscribe (it led to a 404), and the feed is still refused."""
    b = new_user(tag="fsettings")
    pool = int(sql_one(f"SELECT id FROM license_pools WHERE org_id = {w.org}"
                       f" AND product = 'event_pro'"))
    put_on_event(w.event, b, w.host, [("event", 0, "settings", 1),
                                      ("event", 0, "crew", 1)], pool)
    control = 'class="cal-subscribe"'     # the form, or "you subscribe"
    for kind, page, scope in (
            ("area", f"/events/{w.event}/areas/{w.area}", w.area),
            ("collaborator", f"/events/{w.event}/collaborators/{w.v2}",
             w.v2)):
        r = b.get(page)
        assert r.status_code == 200, (kind, r.status_code)
        assert control not in r.text and "/account/feeds/new/" not in \
            r.text, kind
        subscribe(b, kind, scope, expect=404)
        assert control in w.owner.get(page).text, kind


def test_event_page_knows_the_subscription_with_the_session(w):
    """The event calendar's page learns whether the user subscribes to it
    from the session's own statement: the HTML page costs no statement
    more than its JSON twin, and the control follows the feed as it is
    made, revoked and made again."""
    b, ev = own_event("fpagesub", "Page Sub Fest", start_date="2027-07-09",
                      end_date="2027-07-10")
    page = f"/events/{ev}/schedule/day/2027-07-09"
    form = f'action="/account/feeds/new/event/{ev}"'
    b.get(page)             # the session's last use is fresh from here
    html = b.get(page)
    assert html.status_code == 200 and form in html.text
    assert "You subscribe to this calendar" not in html.text
    js = b.s.get(BASE + page, headers={"Accept": "application/json"})
    assert js.status_code == 200 and "subscribe" not in js.json()
    assert int(html.headers["X-Debug-Queries"]) == \
        int(js.headers["X-Debug-Queries"])
    subscribe(w.owner, "event", ev, expect=404)     # not on the event
    assert form in b.get(page).text
    subscribe(b, "event", ev)
    html = b.get(page)
    assert "You subscribe to this calendar" in html.text
    assert form not in html.text
    fid = sql_one(f"SELECT id FROM feed_token WHERE owner_user_id = "
                  f"{uid_of(b)} AND scope_kind = 'event' AND scope_id = {ev}"
                  f" AND revoked_at IS NULL")
    b.get("/account/feeds")
    assert b.post(f"/account/feeds/{fid}/revoke", {}).status_code == 303
    assert form in b.get(page).text
    subscribe(b, "event", ev)
    assert "You subscribe to this calendar" in b.get(page).text


def test_edit_bumps_only_that_sequence(w):
    tok = subscribe(w.owner, "personal", 0)
    w.owner.get(f"/events/{w.event}/schedule")
    # the owner takes part in nothing; global ones are in the personal feed
    _, before = events_of(fetch(tok).content)
    assert uuid_of(w.a_series) in before and uuid_of(w.a_allday) in before
    ev_tok = subscribe(w.owner, "event", w.event, expect=200)
    assert ev_tok is None   # exists already: not shown again
    aid = create(w.owner, w.event, name="Sound check", start_time="14:00",
                 end_time="15:00", **{"global": "1"})
    _, b1 = events_of(fetch(tok).content)
    p = f"/events/{w.event}/activities/{aid}"
    w.owner.get(p)
    base = {"name": "Sound check", "start_date": "2027-07-10",
            "end_date": "2027-07-10", "global": "1"}
    # a rename keeps SEQUENCE
    r = w.owner.post(p, dict(base, name="Sound check 2", start_time="14:00",
                             end_time="15:00", version="1"))
    assert r.status_code == 303, r.text[:500]
    _, b2 = events_of(fetch(tok).content)
    u = uuid_of(aid)
    assert int(b2[u]["SEQUENCE"]) == int(b1[u]["SEQUENCE"]) == 0
    # a new time raises it by one, and only this item's
    time.sleep(1.1)   # DTSTAMP has second resolution
    r = w.owner.post(p, dict(base, name="Sound check 2", start_time="16:00",
                             end_time="17:00", version="2"))
    assert r.status_code == 303, r.text[:500]
    _, b3 = events_of(fetch(tok).content)
    assert int(b3[u]["SEQUENCE"]) == 1
    assert b3[u]["DTSTAMP"].dt > b1[u]["DTSTAMP"].dt
    for k in b2:
        if k != u:
            assert int(b3[k]["SEQUENCE"]) == int(b2[k]["SEQUENCE"])
            assert b3[k]["DTSTAMP"].dt == b2[k]["DTSTAMP"].dt
    # cancelled: kept, with STATUS:CANCELLED, prefix and a new SEQUENCE
    r = w.owner.post(p + "/cancel", {"version": "3"})
    assert r.status_code == 303
    _, b4 = events_of(fetch(tok).content)
    assert b4[u]["STATUS"] == "CANCELLED"
    assert str(b4[u]["SUMMARY"]) == "[Cancelled] Sound check 2"
    assert int(b4[u]["SEQUENCE"]) == 2


def test_vendor_collaborator_feed(w):
    tok = subscribe(w.vendor, "collaborator", w.v1)
    _, evs = events_of(fetch(tok).content)
    assert set(evs) == {uuid_of(w.a_timed)}
    # the vendor may not subscribe to the other vendor's calendar
    subscribe(w.vendor, "collaborator", w.v2, expect=404)
    tok_ev = subscribe(w.vendor, "event", w.event)
    _, evs = events_of(fetch(tok_ev).content)
    assert uuid_of(w.a_v2) not in evs
    assert uuid_of(w.a_timed) in evs and uuid_of(w.a_series) in evs


def test_revoke_one_and_all(w):
    b, ev = own_event("frevoke", "Revoke Fest")
    t1 = subscribe(b, "event", ev)
    t2 = subscribe(b, "personal", 0)
    assert fetch(t1).status_code == 200
    fid = sql_one(f"SELECT id FROM feed_token WHERE owner_user_id = "
                  f"{uid_of(b)} AND scope_kind = 'event'")
    page = b.get("/account/feeds")
    assert page.status_code == 200 and t1[:11] in page.text
    assert t1 not in page.text
    r = b.post(f"/account/feeds/{fid}/revoke", {})
    assert r.status_code == 303
    r404 = fetch(t1)
    assert r404.status_code == 404 and r404.content == b"Not found"
    assert fetch(t2).status_code == 200
    t3 = subscribe(b, "event", ev)   # a new one for the same scope
    b.get("/account/feeds")
    r = b.post("/account/feeds/revoke-all", {})
    assert r.status_code == 303
    for t in (t2, t3):
        assert fetch(t).status_code == 404
    assert fetch("bofeed_" + "A" * 43).content == b"Not found"
    acts = [x[0] for x in sql(f"SELECT action FROM audit_log WHERE "
                              f"target_type IN ('feed_token', 'user') AND "
                              f"actor_user_id = {uid_of(b)}")]
    assert "feed.created" in acts and "feed.revoked" in acts
    assert "feed.revoked_all" in acts
    assert sql_one(f"SELECT COUNT(*) FROM feed_token WHERE owner_user_id = "
                   f"{uid_of(b)} AND token_hint NOT LIKE 'bofeed\\_%'") == "0"


def test_reset_gives_new_address(w):
    b, ev = own_event("freset", "Reset Fest")
    t1 = subscribe(b, "event", ev)
    fid = feed_id(t1)
    b.get("/account/feeds")
    r = b.post(f"/account/feeds/{fid}/reset", {})
    assert r.status_code == 201
    t2 = TOKEN_RE.search(r.text).group(0)
    assert t2 != t1
    assert fetch(t1).status_code == 404
    assert fetch(t2).status_code == 200


def test_removed_member_gets_404(w):
    m = new_user(tag="fremoved")
    put_on_event(w.event, m, w.v2, vendor_contact(w.v2))
    tok = subscribe(m, "collaborator", w.v2)
    assert fetch(tok).status_code == 200
    u = uid_of(m)
    sql(f"DELETE FROM grants WHERE event_id = {w.event} AND user_id = {u}")
    sql(f"DELETE FROM event_users WHERE event_id = {w.event} AND "
        f"user_id = {u}")
    r = fetch(tok)
    assert r.status_code == 404 and r.content == b"Not found"
    assert sql_one(f"SELECT revoke_reason FROM feed_token WHERE "
                   f"owner_user_id = {u}") == "access_lost"


def test_tokens_hashed_and_not_logged(w):
    tok = subscribe(w.owner, "event", w.event, expect=200) or None
    b, ev = own_event("flog", "Log Fest")
    tok = subscribe(b, "event", ev)
    fetch(tok)
    fetch(tok, params={"past_days": "bad"})
    log = app_log()
    assert tok not in log
    assert not TOKEN_RE.search(log)
    assert "GET /feeds/{token}/calendar.ics" in log
    assert tok[:11] in log
    assert sql_one(f"SELECT COUNT(*) FROM feed_token WHERE "
                   f"token_hash = UNHEX(SHA2('{tok}', 256))") == "0"
    assert sql_one(f"SELECT LENGTH(token_hash) FROM feed_token WHERE "
                   f"token_hint = '{tok[:11]}'") == "32"


def test_one_log_line_per_poll_with_feed_and_hint(w):
    # FEEDS §5.5: the app log names the feed by id and hint, on the
    # request's own closing line, whatever the answer.
    b, ev = own_event("flogline", "Log Line Fest")
    tok = subscribe(b, "event", ev)
    fid = feed_id(tok)
    first = fetch(tok)
    again = fetch(tok, headers={"If-None-Match": first.headers["ETag"]})
    bad = fetch(tok, params={"past_days": "bad"})
    assert (first.status_code, again.status_code, bad.status_code) == \
        (200, 304, 400)
    assert "Content-Length" not in again.headers and again.content == b""
    log = app_log().splitlines()
    for r in (first, again, bad):
        rid = r.headers["X-Request-Id"]
        lines = [l for l in log if f" rid={rid} " in l]
        assert len(lines) == 1, lines
        assert f"status={r.status_code}" in lines[0]
        assert f"feed={fid} hint={tok[:11]} scope=event:{ev}" in lines[0]
        assert tok not in lines[0]


def bulk(ev, owner_id, n):
    rows = ",".join(
        f"(UUID(), {ev}, 'activity', 'Bulk {i}', 0, "
        f"'2027-06-10 {8 + i % 10:02d}:00:00', "
        f"'2027-06-10 {9 + i % 10:02d}:00:00', {i % 2}, {owner_id},"
        f" UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))" for i in range(n))
    sql("INSERT INTO activities (uuid, event_id, kind, name, all_day,"
        " start_utc, end_utc, is_global, created_by, created_at, updated_at)"
        " VALUES " + rows)
    sql(f"INSERT INTO activity_participants (activity_id, event_id, user_id,"
        f" role, required) SELECT id, event_id, {owner_id}, 'organizer', 1"
        f" FROM activities WHERE event_id = {ev}")


def test_query_count_is_fixed(w):
    uid = uid_of(w.owner)
    small = new_event(w.owner, w.org, start_date="2027-06-10",
                      end_date="2027-06-12")
    big = new_event(w.owner, w.org, start_date="2027-06-10",
                    end_date="2027-06-12")
    bulk(small, uid, 10)
    bulk(big, uid, 1000)
    ts, tb = subscribe(w.owner, "event", small), subscribe(w.owner, "event",
                                                           big)
    fetch(ts), fetch(tb)
    rs, rb = fetch(ts), fetch(tb)
    assert rs.status_code == rb.status_code == 200
    qs, qb = int(rs.headers["X-Debug-Queries"]), \
        int(rb.headers["X-Debug-Queries"])
    assert qs == qb and qb <= 12
    _, evs = events_of(rb.content)
    assert len(evs) == 1000


def test_feed_rate_limit_per_token(w):
    """FEEDS §4: 120 fetches an hour per token with a burst of 10; past
    it nginx answers 429 with Retry-After (and the token stays out of its
    error log)."""
    ev = new_event(w.owner, w.org, name="Limit Fest")
    tok = subscribe(w.owner, "event", ev)
    codes = []
    for _ in range(14):
        r = requests.get(f"{BASE}/feeds/{tok}/calendar.ics")
        codes.append(r.status_code)
        if r.status_code == 429:
            assert r.headers.get("Retry-After") == "60"
    assert codes[0] == 200 and 429 in codes, codes


# --- 304 from the token row (0018) -----------------------------------------------

def conditional(tok, etag=None, since=None, params=None):
    h = {}
    if etag:
        h["If-None-Match"] = etag
    if since:
        h["If-Modified-Since"] = since
    return fetch(tok, h, params)


def token_for(b, kind, scope_id):
    """A token of b's feed of the scope: a new one, or the existing one
    reset (a token is shown only once)."""
    b.get("/account/feeds")
    r = b.post(f"/account/feeds/new/{kind}/{scope_id}", {})
    if r.status_code == 201:
        return TOKEN_RE.findall(r.text)[0]
    assert r.status_code == 200, r.text[:500]
    fid = sql_one(f"SELECT id FROM feed_token WHERE owner_user_id ="
                  f" {uid_of(b)} AND scope_kind = '{kind}' AND"
                  f" scope_id = {scope_id} AND revoked_at IS NULL")
    r = b.post(f"/account/feeds/{fid}/reset", {})
    assert r.status_code in (200, 201), r.text[:500]
    return TOKEN_RE.findall(r.text)[0]


def test_unchanged_feed_answers_304_from_the_token_row(w):
    """A poll whose feed cannot have changed is answered from the token
    row alone: one SQL statement, ETag and Last-Modified of the body sent
    before; If-Modified-Since counts only without If-None-Match."""
    tok = token_for(w.owner, "area", w.area)
    r1 = fetch(tok)
    assert r1.status_code == 200
    et, lm = r1.headers["ETag"], r1.headers["Last-Modified"]
    r2 = conditional(tok, etag=et)
    assert r2.status_code == 304 and r2.content == b""
    assert r2.headers["ETag"] == et and r2.headers["Last-Modified"] == lm
    assert r2.headers["Cache-Control"] == "private, no-cache"
    assert r2.headers["X-Debug-Queries"] == "1"
    # If-Modified-Since: not before Last-Modified → 304; before → 200.
    assert conditional(tok, since=lm).status_code == 304
    earlier = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(
        time.mktime(time.strptime(lm, "%a, %d %b %Y %H:%M:%S GMT")) -
        86400))
    r = conditional(tok, since=earlier)
    assert r.status_code == 200 and r.content == r1.content
    # … and is ignored beside an If-None-Match that does not match.
    assert conditional(tok, etag='"0000"', since=lm).status_code == 200
    # The same on the long way (no remembered body yet): a new token.
    sql(f"UPDATE feed_token SET cache_key = NULL WHERE owner_user_id ="
        f" {uid_of(w.owner)} AND scope_kind = 'area' AND revoked_at IS NULL")
    assert conditional(tok, since=lm).status_code == 304
    assert conditional(tok, etag='"0000"', since=lm).status_code == 200


def test_a_change_through_the_app_ends_the_304(w):
    """Whatever the app changes in the scope — an activity, a name shown
    in the feed — the next poll with the old ETag gets the new body."""
    tok = token_for(w.owner, "collaborator", w.v1)
    et = fetch(tok).headers["ETag"]
    assert conditional(tok, etag=et).status_code == 304
    create(w.owner, w.event, name="Truck unload", start_time="13:00",
           end_time="14:00", participants=f"collaborator:{w.v1}")
    r = conditional(tok, etag=et)
    assert r.status_code == 200 and b"Truck unload" in r.content
    et2 = r.headers["ETag"]
    assert et2 != et
    assert conditional(tok, etag=et2).status_code == 304
    # A rename of the collaborator (the feed's title carries it).
    w.owner.get(f"/events/{w.event}/collaborators/{w.v1}/settings")
    version = sql_one(f"SELECT version FROM collaborators WHERE id = {w.v1}")
    r = w.owner.post(f"/events/{w.event}/collaborators/{w.v1}",
                     {"name": "Rigging Company", "version": str(version)})
    assert r.status_code == 303, r.text[:500]
    r = conditional(tok, etag=et2)
    assert r.status_code == 200 and b"Rigging Company" in r.content
    assert r.headers["ETag"] != et2


def test_the_window_is_part_of_the_remembered_body(w):
    """Two windows give two bodies: one window's ETag never gets a 304
    for the other."""
    tok = token_for(w.owner, "event", w.event)
    wide = fetch(tok)
    narrow = fetch(tok, params={"future_days": "1"})
    assert wide.headers["ETag"] != narrow.headers["ETag"]
    assert conditional(tok, etag=wide.headers["ETag"],
                       params={"future_days": "1"}).status_code == 200
    assert conditional(tok, etag=narrow.headers["ETag"]).status_code == 200
    assert conditional(tok, etag=wide.headers["ETag"]).status_code == 304
    # A bad window is still a 400 (after the token), never a 304.
    r = conditional(tok, etag=wide.headers["ETag"],
                    params={"future_days": "0"})
    assert r.status_code == 400


def test_access_lost_through_the_app_is_404_not_304(w):
    """Removed from the event through Users & access: the next
    conditional poll is the 404 of a lost scope, and the token is
    revoked."""
    m = new_user(tag="fleaver")
    put_on_event(w.event, m, w.v2, vendor_contact(w.v2))
    tok = token_for(m, "collaborator", w.v2)
    et = fetch(tok).headers["ETag"]
    assert conditional(tok, etag=et).status_code == 304
    w.owner.get(f"/events/{w.event}/users")
    r = w.owner.post(f"/events/{w.event}/users/{uid_of(m)}/remove", {})
    assert r.status_code in (200, 303), r.text[:500]
    r = conditional(tok, etag=et)
    assert r.status_code == 404 and r.content == b"Not found"
    assert sql_one(f"SELECT revoke_reason FROM feed_token WHERE "
                   f"owner_user_id = {uid_of(m)}") == "access_lost"


def test_a_disabled_owner_gets_404_not_304(w):
    """Disabling an account revokes its feeds (FEEDS §5.3, access_lost,
    audited): a conditional poll with the last ETag is the 404 of an
    unknown token, not the 304 the token row alone would give."""
    import subprocess
    from bo import BIN, CONF
    owner, ev = own_event("fdisable", "Disable Fest")
    tok = token_for(owner, "event", ev)
    other = token_for(owner, "personal", 0)
    et = fetch(tok).headers["ETag"]
    assert conditional(tok, etag=et).status_code == 304
    subprocess.run([BIN, "-c", CONF, "user", "disable", owner.email],
                   check=True, capture_output=True)
    r = conditional(tok, etag=et)
    assert r.status_code == 404 and r.content == b"Not found"
    assert fetch(other).status_code == 404
    uid = uid_of(owner)
    assert sql_one(f"SELECT COUNT(*) FROM feed_token WHERE owner_user_id ="
                   f" {uid} AND (revoked_at IS NULL OR revoke_reason <>"
                   f" 'access_lost')") == "0"
    assert sql_one(f"SELECT JSON_VALUE(changes, '$.count') FROM audit_log"
                   f" WHERE action = 'feed.revoked_all' AND target_id ="
                   f" {uid}") == "2"


def test_an_owner_disabled_behind_the_app_gets_404_on_the_long_way(w):
    """The owner's account is read whenever the body is made (§5.4): an
    account disabled in the database alone ends the feed as soon as the
    poll goes the long way (here: a new window)."""
    owner, ev = own_event("fdisable2", "Disable Fest Two")
    tok = token_for(owner, "event", ev)
    assert fetch(tok).status_code == 200
    sql(f"UPDATE users SET status = 'disabled' WHERE id = {uid_of(owner)}")
    r = fetch(tok, params={"future_days": "7"})
    assert r.status_code == 404 and r.content == b"Not found"


def cache_key_of(tok):
    k = sql_one(f"SELECT cache_key FROM feed_token WHERE id ="
                f" {feed_id(tok)}")
    return None if k == "NULL" else k


def test_a_write_forgets_the_bodies_of_the_feeds_it_changes(w):
    """A committed write clears the remembered body of the feeds of its
    event and of its organization's roll-ups (0021); a write to the
    organization's own entries, of every feed in it. Another event's
    feeds keep theirs, and their polls stay one statement. A forgotten
    feed is made again on the next poll — the same body, so still 304 —
    and remembered, after which polls are one statement again."""
    other = new_event(w.owner, w.org, name="Forget Fest",
                      start_date="2027-08-01", end_date="2027-08-02")
    ev_tok = token_for(w.owner, "event", w.event)
    org_tok = token_for(w.owner, "org_schedule", w.org)
    etags = {t: fetch(t).headers["ETag"] for t in (ev_tok, org_tok)}

    def long_way(tok):
        r = conditional(tok, etag=etags[tok])
        if r.status_code == 200:
            etags[tok] = r.headers["ETag"]
            return True
        assert r.status_code == 304
        return int(r.headers["X-Debug-Queries"]) > 1

    assert not long_way(ev_tok) and not long_way(org_tok)
    create(w.owner, other, name="Forget check", start_date="2027-08-01",
           end_date="2027-08-01")
    assert cache_key_of(org_tok) is None
    assert cache_key_of(ev_tok) is not None
    assert not long_way(ev_tok)
    assert long_way(org_tok) and not long_way(org_tok)
    w.owner.get(f"/orgs/{w.org}/invitations")
    r = w.owner.post(f"/orgs/{w.org}/invitations", {
        "emails": f"forget-{uuid.uuid4().hex[:8]}@example.test",
        "role": "member", "license": "org_standard"})
    assert r.status_code in (200, 303), r.text[:500]
    assert cache_key_of(ev_tok) is None and cache_key_of(org_tok) is None
    assert long_way(ev_tok) and long_way(org_tok)
    assert not long_way(ev_tok) and not long_way(org_tok)
    # A write that fails leaves the bodies as they were.
    r = w.owner.post(f"/events/{w.event}/activities", {"name": ""})
    assert r.status_code == 422
    assert not long_way(ev_tok) and not long_way(org_tok)


def paused_fetch(tok, secs, out, key):
    """A poll whose body is held for secs before it is remembered (a test
    build's pause), in a thread; its answer goes to out[key]."""
    def run():
        out[key] = fetch(tok, {"X-Test-Fault": f"cache-pause={secs}"})
    t = threading.Thread(target=run)
    t.start()
    return t


def wait_for_claim(tok, not_this=None):
    end = time.time() + 5
    while True:
        k = cache_key_of(tok)
        if k is not None and k.startswith("~") and k != not_this:
            return k
        assert time.time() < end, "the poll never claimed the cache"
        time.sleep(0.02)


def test_a_body_made_while_a_write_commits_is_not_remembered(w):
    """A poll makes its body, then a write to the scope commits before the
    poll remembers it: the body lacks the write, so its ETag must not get
    a 304 afterwards."""
    owner, ev = own_event("fclaim", "Claim Fest", start_date="2027-07-09",
                          end_date="2027-07-12")
    tok = token_for(owner, "event", ev)
    out = {}
    t = paused_fetch(tok, 2, out, "p")
    try:
        wait_for_claim(tok)
        time.sleep(0.5)     # the body is made; the poll waits to store it
        create(owner, ev, name="Meanwhile", start_date="2027-07-10",
               end_date="2027-07-10")
    finally:
        t.join(10)
    assert out["p"].status_code == 200
    assert b"Meanwhile" not in out["p"].content
    assert cache_key_of(tok) is None
    r = conditional(tok, etag=out["p"].headers["ETag"])
    assert r.status_code == 200 and b"Meanwhile" in r.content
    assert conditional(tok, etag=r.headers["ETag"]).status_code == 304


def test_polls_side_by_side_leave_a_live_claim_alone(w):
    """While one poll makes the body, others of the same token make it
    too but neither take its claim nor store: the first one's body is
    remembered (polls that took the claim from each other would never
    store under load). A claim left by a request that is gone is taken
    over; a current key is not touched by a poll that only lacks its
    body."""
    owner, ev = own_event("fclaim3", "Claim Fest Three",
                          start_date="2027-07-09", end_date="2027-07-12")
    tok = token_for(owner, "event", ev)
    out = {}
    t = paused_fetch(tok, 2, out, "first")
    try:
        first = wait_for_claim(tok)
        for _ in range(3):
            assert fetch(tok).status_code == 200
            assert cache_key_of(tok) == first
    finally:
        t.join(10)
    key = cache_key_of(tok)
    assert key is not None and not key.startswith("~")
    et = out["first"].headers["ETag"]
    r = conditional(tok, etag=et)
    assert r.status_code == 304 and r.headers["X-Debug-Queries"] == "1"
    # Without the body: made again, the key left as it is.
    assert fetch(tok).headers["ETag"] == et
    assert cache_key_of(tok) == key
    # A dead request's claim (an hour old) is taken over and stored.
    fid = feed_id(tok)
    sql(f"UPDATE feed_token SET cache_key = CONCAT('~', LPAD(LOWER(HEX("
        f"UNIX_TIMESTAMP() - 3600)), 8, '0'), '0123456789abcdef')"
        f" WHERE id = {fid}")
    assert fetch(tok).status_code == 200
    assert cache_key_of(tok) == key
    # A live one is not (and the poll still answers).
    live = sql_one(f"SELECT CONCAT('~', LPAD(LOWER(HEX(UNIX_TIMESTAMP())),"
                   f" 8, '0'), '0123456789abcdef')")
    sql(f"UPDATE feed_token SET cache_key = '{live}' WHERE id = {fid}")
    assert fetch(tok).status_code == 200
    assert cache_key_of(tok) == live


def test_a_claim_taken_over_keeps_the_older_body_out(w):
    """Two polls make the body, one before and one after a write: the
    first to finish (the older body) must not be remembered over the
    second's claim, nor may the newer one be lost."""
    owner, ev = own_event("fclaim2", "Claim Fest Two",
                          start_date="2027-07-09", end_date="2027-07-12")
    tok = token_for(owner, "event", ev)
    out = {}
    t1 = paused_fetch(tok, 2, out, "old")
    t2 = None
    try:
        first = wait_for_claim(tok)
        time.sleep(0.3)
        create(owner, ev, name="In between", start_date="2027-07-10",
               end_date="2027-07-10")
        t2 = paused_fetch(tok, 3, out, "new")
        wait_for_claim(tok, not_this=first)
    finally:
        t1.join(10)
        if t2 is not None:
            t2.join(10)
    assert b"In between" not in out["old"].content
    assert b"In between" in out["new"].content
    r = conditional(tok, etag=out["old"].headers["ETag"])
    assert r.status_code == 200 and b"In between" in r.content
    r = conditional(tok, etag=out["new"].headers["ETag"])
    assert r.status_code == 304 and r.headers["X-Debug-Queries"] == "1"


def test_a_write_that_commits_late_still_ends_the_304(w):
    """Two writes in one organization, the first held just before its
    COMMIT (a test build's pause) while the second commits: a poll in
    between sees only the second. Once the first commits, that poll's
    ETag must not get a 304 — the newest audit id could not tell, as the
    first write's entry is the older one."""
    other = new_event(w.owner, w.org, name="Late Fest",
                      start_date="2027-08-05", end_date="2027-08-06")
    tok = token_for(w.owner, "org_schedule", w.org)
    fetch(tok)
    second = Browser()
    assert second.login(w.owner.email).status_code == 303
    second.get(f"/events/{w.event}/schedule")
    late = {}

    def late_write():
        late["r"] = second.post(f"/events/{w.event}/activities", {
            "name": "Late load-in", "start_date": "2027-07-10",
            "start_time": "07:00", "end_date": "2027-07-10",
            "end_time": "08:00"}, headers={"X-Test-Fault": "commit-pause=2"})

    t = threading.Thread(target=late_write)
    t.start()
    try:
        # Its audit entry is written, not yet committed.
        end = time.time() + 5
        while int(sql_one("SET SESSION TRANSACTION ISOLATION LEVEL READ"
                          " UNCOMMITTED; SELECT COUNT(*) FROM audit_log"
                          " WHERE target_label = 'Late load-in'")) == 0:
            assert time.time() < end
            time.sleep(0.02)
        create(w.owner, other, name="Early soundcheck",
               start_date="2027-08-05", end_date="2027-08-05")
        between = fetch(tok)
    finally:
        t.join(10)
    assert late["r"].status_code == 303, late["r"].text[:500]
    assert between.status_code == 200
    assert b"Early soundcheck" in between.content
    assert b"Late load-in" not in between.content
    assert sql_one("SELECT target_label FROM audit_log WHERE target_label"
                   " IN ('Late load-in', 'Early soundcheck')"
                   " ORDER BY id LIMIT 1") == "Late load-in"
    r = conditional(tok, etag=between.headers["ETag"])
    assert r.status_code == 200 and b"Late load-in" in r.content
