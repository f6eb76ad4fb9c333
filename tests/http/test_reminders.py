"""Advance due-date reminders (issue 7 item 10; PRODUCT §13.11): the
event's reminder days in its settings (who may change them, refused
input, versions), and `backopsd jobs`, run with a chosen "now": from
09:00 event time each respondent (an event user of the advance's
collaborator with advancing edit on it) gets one mail per event and day
listing the modules whose due date hits an offset — never complete,
submitted or undated ones, nothing for archived events, nothing twice the
same day. Advances are written with SQL (sql/0011_advancing.sql)."""

import subprocess
import uuid

import pytest
import requests

from bo import (BASE, BIN, CONF, mails_to, new_event, new_org, new_user, sql,
                sql_one)
from test_advtrack import advance, answer, block, category, module, template
from test_core import create_token, problem
from world import (VIEWER, add_member, insert_collab, put_on_event, uid_of,
                   vendor_contact)


def vendor_crew(cid):
    return [("collaborator", cid, s, 1) for s in ("crew", "advancing",
                                                   "files", "schedule")]


def jobs(now):
    r = subprocess.run([BIN, "-c", CONF, "jobs", "--now", now],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def reminders(addr):
    return [m for m in mails_to(addr) if m["Subject"].startswith("Reminder")]


class W:
    pass


@pytest.fixture(scope="module")
def w():
    w = W()
    w.owner = new_user(tag="mowner")
    w.org = new_org(w.owner, org_standard=5, org_pro=0, event_pro=5)
    w.event = new_event(w.owner, w.org, name="Remind Fest",
                        start_date="2027-07-01", end_date="2027-07-03",
                        timezone="Europe/Amsterdam")
    ev = w.event
    w.pool = int(sql_one(f"SELECT pool_id FROM events WHERE id = {ev}"))
    w.host = int(sql_one(f"SELECT id FROM collaborators WHERE event_id = "
                         f"{ev} AND is_host = 1"))
    w.v1 = insert_collab(ev, "Sound Vendor")
    w.v2 = insert_collab(ev, "Bar Vendor")
    w.vendor = new_user(tag="mvendor")
    put_on_event(ev, w.vendor, w.v1, vendor_contact(w.v1))
    w.crew = new_user(tag="mcrew")
    put_on_event(ev, w.crew, w.v1, vendor_crew(w.v1))
    w.vendor2 = new_user(tag="mvendor2")
    put_on_event(ev, w.vendor2, w.v2, vendor_contact(w.v2))
    w.viewer = new_user(tag="mviewer")
    add_member(w.org, w.viewer, "member", "org_standard")
    put_on_event(ev, w.viewer, w.host, VIEWER, w.pool)
    uid = uid_of(w.owner)
    cat = category(ev)
    w.labels = {}

    def tpl(label):
        t = template(ev, cat, label + " rider", label)
        qid = block(ev, t, 0, "question", "Anything?", required=1)
        return t, qid

    # Today is 2027-06-20; the default offsets are 7, 1 and -1.
    adv = advance(ev, w.v1, "Main show", uid)
    w.adv = adv
    cases = [("Audio", "2027-06-27", {}),          # 7 days before: yes
             ("Power", "2027-06-21", {}),          # 1 day before: yes
             ("Catering", "2027-06-19", {}),       # 1 day after: yes
             ("Backline", "2027-06-25", {}),       # 5 days: not an offset
             ("Credentials", "2027-06-21", {"state": "submitted",
                                            "submission": 1}),
             ("Hospitality", "2027-06-27", {"complete": True}),
             ("Labour", None, {})]                 # undated
    w.mods = {}
    for pos, (label, due, opt) in enumerate(cases):
        t, qid = tpl(label)
        mid = module(ev, adv, t, due=due, position=pos,
                     state=opt.get("state", "open"),
                     submission=opt.get("submission", 0))
        if opt.get("complete"):
            answer(ev, mid, qid, uid)
        w.mods[label] = mid
    t, _ = tpl("Bar")
    w.adv2 = advance(ev, w.v2, "Bar", uid)
    w.mods["Bar"] = module(ev, w.adv2, t, due="2027-06-21")
    w.token = create_token(w.owner, "read-write")
    return w


def test_before_nine_local_time_nothing(w):
    # 06:30 UTC is 08:30 in Amsterdam (CEST).
    jobs("2027-06-20T06:30:00Z")
    assert reminders(w.vendor.email) == []
    assert sql_one(f"SELECT COUNT(*) FROM advance_reminders WHERE event_id ="
                   f" {w.event}") == "0"


def test_one_mail_per_respondent_with_the_right_modules(w):
    # 07:05 UTC is 09:05 in Amsterdam: past nine there, not in UTC.
    out = jobs("2027-06-20T07:05:00Z")
    assert "sent" in out
    msgs = reminders(w.vendor.email)
    assert len(msgs) == 1
    body = msgs[0].get_content()
    for label in ("Audio", "Power", "Catering"):
        assert f"- {label} (Main show)" in body
    for label in ("Backline", "Credentials", "Hospitality", "Labour", "Bar"):
        assert f"- {label} (" not in body
    assert "due in 7 days, Sun 27 Jun 2027" in body
    assert "due tomorrow, Mon 21 Jun 2027" in body
    assert "was due yesterday, Sat 19 Jun 2027" in body
    assert (f"/events/{w.event}/advances/{w.adv}/modules/"
            f"{w.mods['Audio']}") in body
    assert msgs[0]["Subject"] == "Reminder: 3 advance modules for Remind Fest"
    # The other vendor gets only its own module.
    m2 = reminders(w.vendor2.email)
    assert len(m2) == 1
    assert "- Bar (Bar)" in m2[0].get_content()
    assert "Main show" not in m2[0].get_content()
    assert m2[0]["Subject"] == "Reminder: Bar for Remind Fest"
    # Vendor crew (advancing view) does not answer: no mail; nor staff.
    assert reminders(w.crew.email) == []
    assert reminders(w.owner.email) == []
    assert reminders(w.viewer.email) == []
    # The ledger names the local day and the outbox row.
    rows = sql(f"SELECT user_id, DATE_FORMAT(day, '%Y-%m-%d'), outbox_id IS "
               f"NOT NULL FROM advance_reminders WHERE event_id = {w.event}"
               f" ORDER BY user_id")
    assert sorted(r[0] for r in rows) == sorted(
        [str(uid_of(w.vendor)), str(uid_of(w.vendor2))])
    assert {(r[1], r[2]) for r in rows} == {("2027-06-20", "1")}


def test_running_again_the_same_day_sends_nothing(w):
    out = jobs("2027-06-20T15:00:00Z")
    assert "already sent today" in out
    assert len(reminders(w.vendor.email)) == 1
    assert len(reminders(w.vendor2.email)) == 1
    # Late in the local evening it is still the same day (21:59 CEST).
    jobs("2027-06-20T19:59:00Z")
    assert len(reminders(w.vendor.email)) == 1


def test_offsets_decide_the_day(w):
    # 2027-06-21: due dates on 06-28, 06-22 and 06-20 would hit: none.
    jobs("2027-06-21T08:00:00Z")
    assert len(reminders(w.vendor.email)) == 1
    # With 0 among the offsets, Power (due that day) is reminded; Bar too.
    w.owner.get(f"/events/{w.event}/settings")
    r = w.owner.post(f"/events/{w.event}/settings/reminders",
                     {"reminder_offsets": "0"})
    assert r.status_code == 303, r.text[:2000]
    jobs("2027-06-21T08:10:00Z")
    msgs = reminders(w.vendor.email)
    assert len(msgs) == 2
    body = msgs[-1].get_content()
    assert "- Power (Main show): due today, Mon 21 Jun 2027" in body
    assert "Audio" not in body
    assert msgs[-1]["Subject"] == "Reminder: Power for Remind Fest"


def test_no_reminders_when_none_are_set_or_the_event_is_archived(w):
    ev = w.event
    w.owner.get(f"/events/{ev}/settings")
    r = w.owner.post(f"/events/{ev}/settings/reminders",
                     {"reminder_offsets": ""})
    assert r.status_code == 303
    assert sql_one(f"SELECT reminder_offsets FROM events WHERE id = {ev}") \
        == ""
    jobs("2027-06-22T08:00:00Z")
    assert len(reminders(w.vendor.email)) == 2
    # Power is a day overdue on the 22nd.
    sql(f"UPDATE events SET reminder_offsets = '-1' WHERE id = {ev}")
    sql(f"UPDATE events SET status = 'archived' WHERE id = {ev}")
    try:
        jobs("2027-06-22T08:05:00Z")
        assert len(reminders(w.vendor.email)) == 2
    finally:
        sql(f"UPDATE events SET status = 'active' WHERE id = {ev}")
    jobs("2027-06-22T08:10:00Z")
    msgs = reminders(w.vendor.email)
    assert len(msgs) == 3
    assert "- Power (Main show): was due yesterday" in msgs[-1].get_content()
    # Submitting or completing stops them.
    sql(f"UPDATE advance_modules SET state = 'submitted' WHERE id = "
        f"{w.mods['Catering']}")
    sql(f"UPDATE events SET reminder_offsets = '-4,-3' WHERE id = {ev}")
    jobs("2027-06-23T08:00:00Z")
    assert len(reminders(w.vendor.email)) == 3
    sql(f"UPDATE events SET reminder_offsets = '7,1,-1' WHERE id = {ev}")


# --- the setting -----------------------------------------------------------------

def remind_path(w):
    return f"/events/{w.event}/settings/reminders"


def test_reminder_days_in_the_settings(w):
    ev = w.event
    r = w.owner.get(f"/events/{ev}/settings")
    assert r.status_code == 200
    assert "Advance reminders" in r.text
    assert 'name="reminder_offsets"' in r.text
    r = w.owner.post(remind_path(w), {"reminder_offsets": "14, 3 ,0,-2"})
    assert r.status_code == 303
    assert r.headers["Location"] == f"/events/{ev}/settings"
    assert sql_one(f"SELECT reminder_offsets FROM events WHERE id = {ev}") \
        == "14,3,0,-2"
    r = w.owner.get(f"/events/{ev}/settings")
    assert ("14 days and 3 days before the due date, on the due date and "
            "2 days after it.") in r.text
    assert 'value="14, 3, 0, -2"' in r.text
    j = w.owner.s.get(BASE + f"/api/v1/events/{ev}/settings").json()
    assert j["reminders"]["offsets"] == [14, 3, 0, -2]
    a = sql(f"SELECT changes FROM audit_log WHERE event_id = {ev} AND action"
            f" = 'event.reminders_updated' ORDER BY id DESC LIMIT 1")
    assert "14,3,0,-2" in a[0][0]
    # JSON: an array of numbers, If-Match on the event's version.
    v = int(sql_one(f"SELECT version FROM events WHERE id = {ev}"))
    r = requests.post(BASE + "/api/v1" + remind_path(w),
                      json={"reminder_offsets": [1, 7, -1]},
                      headers={"Authorization": "Bearer " + w.token,
                               "If-Match": f'"{ev}-v{v}"'})
    assert r.status_code == 200, r.text
    assert r.json()["reminders"]["offsets"] == [7, 1, -1]
    assert r.headers["ETag"] == f'"{ev}-v{v + 1}"'
    problem(requests.post(BASE + "/api/v1" + remind_path(w),
                          json={"reminder_offsets": "3"},
                          headers={"Authorization": "Bearer " + w.token,
                                   "If-Match": f'"{ev}-v{v}"'}), 412)


@pytest.mark.parametrize("value,message", [
    ("61", "61 is out of range"),
    ("-61", "-61 is out of range"),
    ("7, a", "“a” is not a whole number of days."),
    ("1.5", "“1.5” is not a whole number of days."),
    ("1,2,3,4,5,6", "At most 5 reminder days."),
    ("7, 1, 7", "7 is listed twice."),
])
def test_reminder_days_refused(w, value, message):
    before = sql_one(f"SELECT reminder_offsets FROM events WHERE id = "
                     f"{w.event}")
    w.owner.get(f"/events/{w.event}/settings")
    r = w.owner.post(remind_path(w), {"reminder_offsets": value})
    assert r.status_code == 422
    assert message in r.text
    assert f'value="{value}"' in r.text     # what was typed is kept
    p = problem(requests.post(BASE + "/api/v1" + remind_path(w),
                              json={"reminder_offsets": value},
                              headers={"Authorization": "Bearer " + w.token}),
                422)
    assert p["errors"][0]["field"] == "reminder_offsets"
    assert sql_one(f"SELECT reminder_offsets FROM events WHERE id = "
                   f"{w.event}") == before


def test_reminder_days_who_and_versions(w):
    ev = w.event
    w.owner.get(f"/events/{ev}/settings")
    r = w.owner.post(remind_path(w), {})
    assert r.status_code == 422
    assert "Reminder days are required" in r.text
    v = int(sql_one(f"SELECT version FROM events WHERE id = {ev}"))
    r = w.owner.post(remind_path(w), {"reminder_offsets": "2",
                                      "version": str(v - 1)})
    assert r.status_code == 409
    assert "Someone changed this event" in r.text
    # Settings view may look, not change; vendors have no settings view.
    w.viewer.get(f"/events/{ev}/settings")
    assert w.viewer.post(remind_path(w),
                         {"reminder_offsets": "2"}).status_code == 403
    r = w.viewer.get(f"/events/{ev}/settings")
    assert "Advance reminders" in r.text
    assert 'name="reminder_offsets"' not in r.text
    w.vendor.get(f"/events/{ev}")
    assert w.vendor.post(remind_path(w),
                         {"reminder_offsets": "2"}).status_code == 404
    assert sql_one(f"SELECT version FROM events WHERE id = {ev}") == str(v)
