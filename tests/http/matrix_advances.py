"""Permission-matrix rows of the advances routes (PRODUCT §13.4, §13.5),
and the SQL helpers test_advances.py and test_portal.py share to set up
advancing configuration, answers and line items without the pages of
other groups.

The rows use an advance of collaborator V1 ({c}) with one module ({m})
holding an answer, so that empty POSTs stop at validation: removing
needs the typed count (422), adding a module needs one (422), moving a
direction (422); an empty module-settings form is a real form with
every box unticked (303). Managing needs advancing admin covering the
advance: the producer and the coordinator; viewers, the Org Pro
observer and V1's vendor contact (advancing edit) get 403, V2's vendor
404 — V1's advance does not exist for them. Creating needs advancing
admin somewhere (403 for the rest). The list and the portal open for
anyone with advancing view somewhere; staff get the portal's preview
chooser, vendors their own collaborator's portal."""

import uuid

from matrix_common import row
from bo import sql, sql_one
from world import uid_of

_A = "/events/{event}/advances/{adv}"
_M = _A + "/modules/{m}"

ROWS = {
    "GET /events/{event}/advances": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "POST /events/{event}/advances": row(401, 422, 403, 404, 403, 422, 403, 403, 404),
    "GET /events/{event}/advances/new": row(303, 200, 403, 404, 403, 200, 403, 403, 404),
    f"GET {_A}/settings": row(303, 200, 403, 404, 403, 200, 403, 404, 404),
    f"POST {_A}/settings": row(401, 422, 403, 404, 403, 422, 403, 404, 404),
    f"GET {_A}/delete": row(303, 200, 403, 404, 403, 200, 403, 404, 404),
    f"POST {_A}/delete": row(401, 422, 403, 404, 403, 422, 403, 404, 404),
    f"POST {_A}/modules": row(401, 422, 403, 404, 403, 422, 403, 404, 404),
    f"POST {_M}/settings": row(401, 303, 403, 404, 403, 303, 403, 404, 404),
    f"POST {_M}/move": row(401, 422, 403, 404, 403, 422, 403, 404, 404),
    f"GET {_M}/delete": row(303, 200, 403, 404, 403, 200, 403, 404, 404),
    f"POST {_M}/delete": row(401, 422, 403, 404, 403, 422, 403, 404, 404),
    "GET /events/{event}/collaborators/{c}/advances": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
    "GET /events/{event}/portal": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/portal/preview/{c}": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
}

_MINE = {k.split(" ", 1)[1] for k in ROWS}


# --- set-up helpers (direct SQL, schema sql/0011_advancing.sql) ----------

def _q(s):
    return "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"


def category(ev, name=None):
    name = name or "Cat " + uuid.uuid4().hex[:6]
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({ev}, "
        f"{_q(name)})")
    return int(sql_one(f"SELECT id FROM module_categories WHERE event_id ="
                       f" {ev} AND name = {_q(name)}"))


def module_template(ev, label, blocks=(), name=None, cat=None):
    """A module template; blocks are dicts: kind (question, request,
    content), label, required, rtype, retired. Returns (id, [block ids])."""
    name = name or label + " " + uuid.uuid4().hex[:6]
    cat = cat or category(ev)
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id,"
        f" created_at, updated_at) VALUES ({ev}, {_q(name)}, {_q(label)}, "
        f"{cat}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    tid = int(sql_one(f"SELECT id FROM module_templates WHERE event_id = "
                      f"{ev} AND name = {_q(name)}"))
    ids = []
    for pos, b in enumerate(blocks):
        kind = b.get("kind", "question")
        sql(f"INSERT INTO module_blocks (event_id, template_id, position, "
            f"kind, label, body, rtype, required, retired) VALUES ({ev}, "
            f"{tid}, {pos}, '{kind}', {_q(b.get('label', 'Q' + str(pos)))},"
            f" {_q(b.get('body'))}, "
            f"{_q(b.get('rtype', 'text') if kind == 'question' else None)},"
            f" {int(b.get('required', 0))}, {int(b.get('retired', 0))})")
        ids.append(int(sql_one(f"SELECT MAX(id) FROM module_blocks WHERE "
                               f"template_id = {tid}")))
    return tid, ids


def advance_template(ev, name, modules):
    """modules: dicts with mt and optionally due_kind, due_date,
    due_days, required, tracked, submission, reviewer."""
    sql(f"INSERT INTO advance_templates (event_id, name, created_at, "
        f"updated_at) VALUES ({ev}, {_q(name)}, UTC_TIMESTAMP(3), "
        f"UTC_TIMESTAMP(3))")
    tid = int(sql_one(f"SELECT id FROM advance_templates WHERE event_id = "
                      f"{ev} AND name = {_q(name)}"))
    for pos, m in enumerate(modules):
        sql(f"INSERT INTO advance_template_modules (event_id, "
            f"advance_template_id, module_template_id, position, due_kind, "
            f"due_date, due_days, required, tracked, submission, "
            f"reviewer_user_id) VALUES ({ev}, {tid}, {m['mt']}, {pos}, "
            f"'{m.get('due_kind', 'none')}', {_q(m.get('due_date'))}, "
            f"{_q(m.get('due_days'))}, {int(m.get('required', 1))}, "
            f"{int(m.get('tracked', 0))}, {int(m.get('submission', 0))}, "
            f"{_q(m.get('reviewer'))})")
    return tid


def advance(ev, collab, name=None, area=None, activity=None, by=None):
    name = name or "Advance " + uuid.uuid4().hex[:6]
    by = by or int(sql_one("SELECT MIN(id) FROM users"))
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name, "
        f"name_norm, area_id, activity_id, created_by, created_at, "
        f"updated_at) VALUES ('{uuid.uuid4()}', {ev}, {collab}, {_q(name)},"
        f" LOWER({_q(name)}), {_q(area)}, {_q(activity)}, {by}, "
        f"UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT id FROM advances WHERE collaborator_id = "
                       f"{collab} AND name = {_q(name)}"))


def adv_module(ev, adv, mt, position=0, due=None, required=1, submission=0,
               submitted=0, reviewer=None):
    sql(f"INSERT INTO advance_modules (event_id, advance_id, "
        f"module_template_id, position, due_date, required, submission, "
        f"reviewer_user_id, state) VALUES ({ev}, {adv}, {mt}, {position}, "
        f"{_q(due)}, {required}, {submission}, {_q(reviewer)}, "
        f"'{'submitted' if submitted else 'open'}')")
    return int(sql_one(f"SELECT id FROM advance_modules WHERE advance_id = "
                       f"{adv} AND module_template_id = {mt}"))


def answer(ev, mod, block, value, review="needs_review"):
    by = int(sql_one("SELECT MIN(id) FROM users"))
    sql(f"INSERT INTO answers (event_id, advance_module_id, block_id, value,"
        f" review, updated_by, updated_at) VALUES ({ev}, {mod}, {block}, "
        f"{_q(value)}, '{review}', {by}, UTC_TIMESTAMP(3))")


def line_item(ev, mod, block, desc="Item", quantity=1, procurement=0,
              review="needs_review"):
    by = int(sql_one("SELECT MIN(id) FROM users"))
    sql(f"INSERT INTO line_items (event_id, advance_module_id, block_id, "
        f"description, quantity, review, procurement_linked, created_by, "
        f"created_at, updated_by, updated_at) VALUES ({ev}, {mod}, {block},"
        f" {_q(desc)}, {quantity}, '{review}', {procurement}, {by}, "
        f"UTC_TIMESTAMP(3), {by}, UTC_TIMESTAMP(3))")
    return int(sql_one(f"SELECT MAX(id) FROM line_items WHERE "
                       f"advance_module_id = {mod}"))


# --- the matrix --------------------------------------------------------------

def prepare(w):
    mt, blocks = module_template(w.event, "Matrix rider",
                                 [{"label": "Stage plot", "required": 1}])
    w.adv_mt = mt
    w.adv = advance(w.event, w.v1, "Matrix advance", by=uid_of(w.owner))
    w.adv_mod = adv_module(w.event, w.adv, mt)
    answer(w.event, w.adv_mod, blocks[0], "plot.pdf")


def subs(path, w):
    if path in _MINE:
        return {"{adv}": w.adv, "{m}": w.adv_mod}
    return {}
