"""Permission-matrix rows of the Advance Manager (PRODUCT §13.10, §13.7).

prepare() gives the world a module template with a question and a
request block, used by an event-wide advance of V1 with an answer and a
line item. The manager is for seat holders and Org Pro users with
advancing view somewhere: the producer, the coordinator, the viewer and
the Org Pro observer read every page; the vendor contacts (free access:
they use the portal) and everyone off the event get 404. Empty bulk
POSTs reach validation (422) for advancing admins; viewers and the
observer may look but not act (403). test_advmanager.py checks the
refusals item by item."""

import uuid

from matrix_common import row
from bo import sql, sql_one
from world import uid_of

_M = "/events/{event}/advance-manager"
_READ = row(303, 200, 200, 404, 200, 200, 404, 404, 404)
_BULK = row(401, 422, 403, 404, 403, 422, 404, 404, 404)

ROWS = {
    f"GET {_M}": _READ,
    f"GET {_M}/approvals": _READ,
    f"POST {_M}/approvals/bulk": _BULK,
    f"GET {_M}/{{template}}": _READ,
    f"GET {_M}/{{template}}/print": _READ,
    f"GET {_M}/{{template}}/blocks/{{block}}/items.csv": _READ,
    f"POST {_M}/{{template}}/bulk": _BULK,
}


def prepare(w):
    ev, u = w.event, uid_of(w.owner)
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({ev}, "
        f"'Manager matrix')")
    cat = sql_one(f"SELECT id FROM module_categories WHERE event_id = {ev}"
                  f" AND name = 'Manager matrix'")
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id,"
        f" created_at, updated_at) VALUES ({ev}, 'manager-matrix', "
        f"'Stage needs', {cat}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.am_tpl = int(sql_one(f"SELECT id FROM module_templates WHERE "
                           f"event_id = {ev} AND name = 'manager-matrix'"))
    sql(f"INSERT INTO module_blocks (event_id, template_id, position, kind,"
        f" label, rtype, required) VALUES ({ev}, {w.am_tpl}, 0, 'question',"
        f" 'Console', 'text', 1)")
    q = sql_one(f"SELECT id FROM module_blocks WHERE template_id = "
                f"{w.am_tpl} AND kind = 'question'")
    sql(f"INSERT INTO module_blocks (event_id, template_id, position, kind,"
        f" label, needs_op, needs_res) VALUES ({ev}, {w.am_tpl}, 1, "
        f"'request', 'Gear', 1, 1)")
    w.am_block = int(sql_one(f"SELECT id FROM module_blocks WHERE "
                             f"template_id = {w.am_tpl} AND kind = "
                             f"'request'"))
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name, "
        f"name_norm, created_by, created_at, updated_at) VALUES "
        f"('{uuid.uuid4()}', {ev}, {w.v1}, 'Manager matrix', "
        f"'manager matrix', {u}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    adv = sql_one(f"SELECT id FROM advances WHERE event_id = {ev} AND "
                  f"name = 'Manager matrix'")
    sql(f"INSERT INTO advance_modules (event_id, advance_id, "
        f"module_template_id) VALUES ({ev}, {adv}, {w.am_tpl})")
    m = sql_one(f"SELECT id FROM advance_modules WHERE advance_id = {adv}")
    sql(f"INSERT INTO answers (event_id, advance_module_id, block_id, value,"
        f" updated_by, updated_at) VALUES ({ev}, {m}, {q}, 'Midas', {u}, "
        f"UTC_TIMESTAMP(3))")
    sql(f"INSERT INTO line_items (event_id, advance_module_id, block_id, "
        f"description, created_by, created_at, updated_by, updated_at) "
        f"VALUES ({ev}, {m}, {w.am_block}, 'Amp', {u}, UTC_TIMESTAMP(3), "
        f"{u}, UTC_TIMESTAMP(3))")


def subs(path, w):
    if "/advance-manager/" in path:
        return {"{template}": w.am_tpl, "{block}": w.am_block}
    return {}
