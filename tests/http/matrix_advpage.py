"""Permission-matrix rows of the advance page routes (PRODUCT §13.5-§13.8),
and the SQL builders the advance page tests share (module templates,
blocks, asset types, advances and their modules are written directly, so
these tests never wait for the pages that create them).

The matrix uses an advance of collaborator V1 with one module: a
required text question left unanswered (so Submit answers 422), a
checkbox question answered by V1, a file question with one file and a
request block with one item; the module requires submission. Who sees
it: the producer, the coordinator (advancing admin), the Event-domain
viewer, the Org Pro observer and V1's contact; V2's contact, members
not on the event and other tenants get 404. Empty POSTs of those who
may write reach validation (422: a version, a value, a block, a kind,
the missing answers) or a state conflict (409: nothing to reopen);
those who may only view get 403. PATCH and DELETE share their paths
with POST routes: the matrix requests every method with POST, so those
rows repeat the POST row (test_adv*.py send the real methods)."""

import json
import uuid

from matrix_common import row
from bo import sql, sql_one
from world import uid_of


# --- builders -----------------------------------------------------------

def q(s):
    """A SQL string literal."""
    if s is None:
        return "NULL"
    return "'" + str(s).replace("\\", "\\\\").replace("'", "''") + "'"


def category(ev, name=None):
    name = name or "Cat " + uuid.uuid4().hex[:6]
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({ev}, "
        f"{q(name)})")
    return int(sql_one(f"SELECT id FROM module_categories WHERE event_id = "
                       f"{ev} AND name = {q(name)}"))


def template(ev, label, cat=None, name=None):
    cat = cat or category(ev)
    name = name or label + " " + uuid.uuid4().hex[:6]
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id, "
        f"created_at, updated_at) VALUES ({ev}, {q(name)}, {q(label)}, {cat},"
        f" UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM module_templates WHERE event_id = "
                       f"{ev} AND name = {q(name)}"))


def options(*labels, retired=()):
    return json.dumps([{"key": f"o{i + 1}", "label": l,
                        "retired": l in retired}
                       for i, l in enumerate(labels)])


def block(ev, tpl, kind, position=None, **cols):
    if position is None:
        position = int(sql_one(f"SELECT COALESCE(MAX(position), -1) + 1 "
                               f"FROM module_blocks WHERE template_id = "
                               f"{tpl}"))
    names = ["event_id", "template_id", "kind", "position"]
    vals = [str(ev), str(tpl), q(kind), str(position)]
    for k, v in cols.items():
        names.append(k)
        vals.append(str(int(v)) if isinstance(v, bool) else
                    str(v) if isinstance(v, int) else q(v))
    sql(f"INSERT INTO module_blocks ({', '.join(names)}) VALUES "
        f"({', '.join(vals)})")
    return int(sql_one(f"SELECT MAX(id) FROM module_blocks WHERE template_id"
                       f" = {tpl}"))


def question(ev, tpl, label, rtype, required=False, **cols):
    return block(ev, tpl, "question", label=label, rtype=rtype,
                 required=required, **cols)


def asset_type(ev, label, item_label="Item"):
    name = label + " " + uuid.uuid4().hex[:6]
    sql(f"INSERT INTO asset_types (event_id, name, label, item_label, "
        f"created_at, updated_at) VALUES ({ev}, {q(name)}, {q(label)}, "
        f"{q(item_label)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM asset_types WHERE event_id = {ev} "
                       f"AND name = {q(name)}"))


def asset_sub(ev, at, skey, label):
    sql(f"INSERT INTO asset_subs (event_id, asset_type_id, skey, label) "
        f"VALUES ({ev}, {at}, {q(skey)}, {q(label)})")
    return int(sql_one(f"SELECT id FROM asset_subs WHERE asset_type_id = "
                       f"{at} AND skey = {q(skey)}"))


def asset_prop(ev, at, key, label, rtype, required=False, sub=None,
               opts=None, retired=False, position=0):
    sql(f"INSERT INTO asset_props (event_id, asset_type_id, sub_id, pkey, "
        f"label, rtype, options, required, retired, position) VALUES ({ev},"
        f" {at}, {sub if sub else 'NULL'}, {q(key)}, {q(label)}, {q(rtype)},"
        f" {q(opts)}, {int(required)}, {int(retired)}, {position})")


def advance(ev, collab, name, by, area=None):
    u = str(uuid.uuid4())
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name, "
        f"name_norm, area_id, created_by, created_at, updated_at) VALUES "
        f"({q(u)}, {ev}, {collab}, {q(name)}, LOWER({q(name)}), "
        f"{area if area else 'NULL'}, {by}, UTC_TIMESTAMP(3), "
        f"UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM advances WHERE uuid = {q(u)}"))


def advmod(ev, adv, tpl, position=0, due=None, required=True,
           submission=False, reviewer=None):
    sql(f"INSERT INTO advance_modules (event_id, advance_id, "
        f"module_template_id, position, due_date, required, submission, "
        f"reviewer_user_id) VALUES ({ev}, {adv}, {tpl}, {position}, {q(due)},"
        f" {int(required)}, {int(submission)}, "
        f"{reviewer if reviewer else 'NULL'})")
    return int(sql_one(f"SELECT id FROM advance_modules WHERE advance_id = "
                       f"{adv} AND module_template_id = {tpl}"))


def answer(ev, mod, blk, value, by):
    sql(f"INSERT INTO answers (event_id, advance_module_id, block_id, value,"
        f" updated_by, updated_at) VALUES ({ev}, {mod}, {blk}, {q(value)}, "
        f"{by}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM answers WHERE advance_module_id = "
                       f"{mod} AND block_id = {blk}"))


def item(ev, mod, blk, by, description="Thing", quantity=1, props=None,
         position=0):
    sql(f"INSERT INTO line_items (event_id, advance_module_id, block_id, "
        f"position, description, quantity, props, created_by, created_at, "
        f"updated_by, updated_at) VALUES ({ev}, {mod}, {blk}, {position}, "
        f"{q(description)}, {quantity}, {q(props)}, {by}, UTC_TIMESTAMP(3), "
        f"{by}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT MAX(id) FROM line_items WHERE "
                       f"advance_module_id = {mod} AND block_id = {blk}"))


def file_row(ev, mod, blk, by, name="rider.txt", data="hello"):
    sql(f"INSERT INTO answer_files (event_id, advance_module_id, block_id, "
        f"name, ctype, size, data, created_by, created_at) VALUES ({ev}, "
        f"{mod}, {blk}, {q(name)}, 'text/plain; charset=utf-8', {len(data)},"
        f" {q(data)}, {by}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT MAX(id) FROM answer_files WHERE "
                       f"advance_module_id = {mod} AND block_id = {blk}"))


# --- matrix -------------------------------------------------------------

_A = "/events/{event}/advances/{adv}"
_M = _A + "/modules/{m}"
_Q = _M + "/answers/{block}"
_F = _Q
_L = _M + "/line-items/{li}"

# Personas: anon owner orgpro std_noseat std_view seat v1 v2 other
_SEE = row(303, 200, 200, 404, 200, 200, 200, 404, 404)
_ANSWER = row(401, 422, 403, 404, 403, 422, 422, 404, 404)
_JUDGE = row(401, 422, 403, 404, 403, 422, 403, 404, 404)

ROWS = {
    f"GET {_A}": _SEE,
    f"GET {_M}": _SEE,
    f"POST {_M}": _ANSWER,
    f"GET {_Q}": _SEE,
    f"POST {_Q}": _ANSWER,
    f"PATCH {_Q}": _ANSWER,
    f"DELETE {_Q}": _ANSWER,
    f"POST {_Q}/review": _JUDGE,
    f"POST {_F}/files/upload": _ANSWER,
    f"GET {_F}/files/{{f}}": _SEE,
    f"POST {_F}/files/{{f}}/delete": _ANSWER,
    f"POST {_M}/line-items": _ANSWER,
    f"GET {_L}": _SEE,
    f"POST {_L}": _ANSWER,
    f"PATCH {_L}": _ANSWER,
    f"DELETE {_L}": _ANSWER,
    f"POST {_L}/delete": _ANSWER,
    f"POST {_L}/review": _JUDGE,
    f"POST {_L}/approval": _JUDGE,
    f"POST {_M}/submit": row(401, 422, 403, 404, 403, 422, 422, 404, 404),
    f"POST {_M}/reopen": row(401, 409, 403, 404, 403, 409, 403, 404, 404),
    "GET /events/{event}/module-templates/{id}/preview":
        row(303, 200, 200, 404, 200, 200, 404, 404, 404),
}


def prepare(w):
    ev, by = w.event, uid_of(w.owner)
    tpl = template(ev, "Hospitality")
    text = question(ev, tpl, "Rider notes", "text", required=True)
    check = question(ev, tpl, "Parking needed", "checkbox")
    fileq = question(ev, tpl, "Rider", "file")
    req = block(ev, tpl, "request", label="Towels", item_label="Towel",
                needs_op=True)
    adv = advance(ev, w.v1, "Matrix page advance", by)
    mod = advmod(ev, adv, tpl, submission=True)
    answer(ev, mod, check, "true", uid_of(w.vendor1))
    f = file_row(ev, mod, fileq, by)
    answer(ev, mod, fileq, str(f), by)
    li = item(ev, mod, req, by)
    w.adv_ids = {"{adv}": adv, "{m}": mod, "{block}": text, "{f}": f,
                 "{li}": li}
    w.adv_fileq = fileq
    w.adv_tpl = tpl


# Only this module's own paths: the advances group's settings, move,
# delete and tracking routes keep their own advance (matrix_advances.py).
_OWN = {k.split(" ", 1)[1] for k in ROWS}


def subs(path, w):
    if path not in _OWN:
        return {}
    if "/advances/{adv}" in path:
        ids = dict(w.adv_ids)
        if "/files" in path:
            ids["{block}"] = w.adv_fileq
        return ids
    if "/module-templates/{id}/preview" in path:
        return {"{id}": w.adv_tpl}
    return {}
