"""A small festival built for permission tests: one team organization with
an event, two vendors, an area and crew, and one signed-in Browser per
persona of the permission matrix (issue 4):

  anon        not signed in
  owner       org owner, Org Standard, producer of the event (seat)
  orgpro      Org Pro member, not on the event (observer)
  std_noseat  Org Standard member, not on the event
  std_view    Org Standard member on the event with a seat, Viewer grants
  seat        event user on the host collaborator with an Event Pro seat,
              Coordinator grants (not an org member)
  v1          free collaborator access, Vendor contact of collaborator V1
  v2          free collaborator access, Vendor contact of collaborator V2
  other       owner of another organization

The structure is written with SQL so this fixture does not depend on the
pages it is used to test."""

import uuid

from bo import Browser, new_org, new_user, sql, sql_one

PRODUCER = [("event", 0, s, 3) for s in ("settings", "users", "schedule",
                                           "tasks", "files", "documents",
                                           "advancing", "crew")]
VIEWER = [("event", 0, s, 1) for s in ("settings", "schedule", "tasks",
                                         "files", "documents", "advancing",
                                         "crew")]
COORDINATOR = [("event", 0, "settings", 1), ("event", 0, "users", 1),
               ("event", 0, "schedule", 2), ("event", 0, "tasks", 2),
               ("event", 0, "files", 2), ("event", 0, "documents", 2),
               ("event", 0, "advancing", 3), ("event", 0, "crew", 2)]


def vendor_contact(cid):
    return [("collaborator", cid, "settings", 2),
            ("collaborator", cid, "users", 2),
            ("collaborator", cid, "crew", 3),
            ("collaborator", cid, "advancing", 2),
            ("collaborator", cid, "files", 2),
            ("collaborator", cid, "schedule", 2),
            ("collaborator", cid, "tasks", 1)]


def uid_of(b):
    return int(sql_one(f"SELECT id FROM users WHERE email_norm = '{b.email}'"))


def insert_collab(ev, name, host=0):
    sql(f"INSERT INTO collaborators (uuid, event_id, name, name_norm, "
        f"is_host, created_at) VALUES ('{uuid.uuid4()}', {ev}, '{name}', "
        f"LOWER('{name}'), {host}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev} "
                       f"AND name = '{name}'"))


def put_on_event(ev, b, cid, grants, pool=None):
    u = uid_of(b)
    sql(f"INSERT INTO event_users (event_id, user_id, collaborator_id, "
        f"joined_at) VALUES ({ev}, {u}, {cid}, UTC_TIMESTAMP(3))")
    if pool:
        sql(f"INSERT INTO event_seats (pool_id, event_id, user_id, "
            f"assigned_at) VALUES ({pool}, {ev}, {u}, UTC_TIMESTAMP(3))")
    for dom, scope, sec, lvl in grants:
        sql(f"INSERT INTO grants (event_id, user_id, domain, scope_id, "
            f"section, level, granted_at) VALUES ({ev}, {u}, '{dom}', "
            f"{scope}, '{sec}', {lvl}, UTC_TIMESTAMP(3))")


def add_member(org, b, role, product):
    pool = sql_one(f"SELECT id FROM license_pools WHERE org_id = {org} AND "
                   f"product = '{product}' ORDER BY id LIMIT 1")
    sql(f"INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)"
        f" VALUES ({org}, {uid_of(b)}, '{role}', {pool}, UTC_TIMESTAMP(3))")


class World:
    pass


def build_world():
    w = World()
    w.owner = new_user(tag="owner")
    w.org = new_org(w.owner, name="Matrix Festival Co", org_standard=10,
                    org_pro=2, event_pro=5, license="org_standard")
    w.pool = int(sql_one(f"SELECT id FROM license_pools WHERE org_id = "
                         f"{w.org} AND product = 'event_pro'"))
    code = "mx" + uuid.uuid4().hex[:8]
    sql(f"INSERT INTO events (uuid, org_id, name, code, timezone, start_date,"
        f" end_date, pool_id, created_by, created_at, updated_at) VALUES "
        f"('{uuid.uuid4()}', {w.org}, 'Matrix Fest', '{code}', "
        f"'Europe/Amsterdam', '2027-07-01', '2027-07-03', {w.pool}, "
        f"{uid_of(w.owner)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.event = int(sql_one(f"SELECT id FROM events WHERE code = '{code}'"))
    w.host = insert_collab(w.event, "Matrix Festival Co", host=1)
    w.v1 = insert_collab(w.event, "Sound Vendor")
    w.v2 = insert_collab(w.event, "Catering Vendor")
    sql(f"INSERT INTO areas (uuid, event_id, name, name_norm, created_at) "
        f"VALUES ('{uuid.uuid4()}', {w.event}, 'Main Stage', 'main stage', "
        f"UTC_TIMESTAMP(3))")
    w.area = int(sql_one(f"SELECT id FROM areas WHERE event_id = {w.event}"))
    for cid, first in ((w.v1, "Sam"), (w.v2, "Cat")):
        sql(f"INSERT INTO crew (event_id, collaborator_id, first_name, "
            f"created_at) VALUES ({w.event}, {cid}, '{first}', "
            f"UTC_TIMESTAMP(3))")
    w.crew_v1 = int(sql_one(f"SELECT id FROM crew WHERE collaborator_id = "
                            f"{w.v1}"))
    w.crew_v2 = int(sql_one(f"SELECT id FROM crew WHERE collaborator_id = "
                            f"{w.v2}"))
    put_on_event(w.event, w.owner, w.host, PRODUCER, w.pool)

    w.orgpro = new_user(tag="orgpro")
    add_member(w.org, w.orgpro, "member", "org_pro")
    w.std_noseat = new_user(tag="stdnoseat")
    add_member(w.org, w.std_noseat, "member", "org_standard")
    w.std_view = new_user(tag="stdview")
    add_member(w.org, w.std_view, "member", "org_standard")
    put_on_event(w.event, w.std_view, w.host, VIEWER, w.pool)
    w.seat = new_user(tag="seat")
    put_on_event(w.event, w.seat, w.host, COORDINATOR, w.pool)
    w.vendor1 = new_user(tag="vendor1")
    put_on_event(w.event, w.vendor1, w.v1, vendor_contact(w.v1))
    w.vendor2 = new_user(tag="vendor2")
    put_on_event(w.event, w.vendor2, w.v2, vendor_contact(w.v2))
    w.other = new_user(tag="other")
    w.other_org = new_org(w.other, name="Other Co")
    w.anon = Browser()
    w.personas = {"anon": w.anon, "owner": w.owner, "orgpro": w.orgpro,
                  "std_noseat": w.std_noseat, "std_view": w.std_view,
                  "seat": w.seat, "v1": w.vendor1, "v2": w.vendor2,
                  "other": w.other}
    return w
