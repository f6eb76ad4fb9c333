"""Advancing rows written with SQL, for tests that need templates,
advances, answers and line items without going through the pages that
make them (the schema is sql/0011_advancing.sql)."""

import json
import uuid

from bo import sql_one


def insert(query):
    # One client call: LAST_INSERT_ID() belongs to the connection.
    return int(sql_one(query + "; SELECT LAST_INSERT_ID()"))


def q(s):
    return "'" + s.replace("'", "''") + "'"


def asset_type(ev, label, props):
    """props: [(key, label, rtype, options list or None, required)]."""
    at = insert(f"INSERT INTO asset_types (event_id, name, label, created_at,"
                f" updated_at) VALUES ({ev}, '{uuid.uuid4().hex[:8]}', "
                f"{q(label)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    for pos, (key, plabel, rtype, opts, req) in enumerate(props, 1):
        o = q(json.dumps([{"key": k, "label": v} for k, v in opts])) \
            if opts else "NULL"
        insert(f"INSERT INTO asset_props (event_id, asset_type_id, pkey, "
               f"label, rtype, options, required, position) VALUES ({ev}, "
               f"{at}, '{key}', {q(plabel)}, '{rtype}', {o}, {req}, {pos})")
    return at


def module_template(ev, label):
    cat = insert(f"INSERT INTO module_categories (event_id, name) VALUES "
                 f"({ev}, 'Cat {uuid.uuid4().hex[:6]}')")
    return insert(f"INSERT INTO module_templates (event_id, name, label, "
                  f"category_id, created_at, updated_at) VALUES ({ev}, "
                  f"'{label} {uuid.uuid4().hex[:6]}', {q(label)}, {cat}, "
                  f"UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")


def question(ev, tpl, pos, label, rtype, required=0, options=None):
    return insert(f"INSERT INTO module_blocks (event_id, template_id, "
                  f"position, kind, label, rtype, required, options) VALUES "
                  f"({ev}, {tpl}, {pos}, 'question', {q(label)}, '{rtype}', "
                  f"{required}, {q(options) if options else 'NULL'})")


def request(ev, tpl, pos, name, asset=None, op=1, res=1, item_label=None):
    return insert(f"INSERT INTO module_blocks (event_id, template_id, "
                  f"position, kind, label, item_label, asset_type_id, "
                  f"needs_op, needs_res) VALUES ({ev}, {tpl}, {pos}, "
                  f"'request', {q(name)}, "
                  f"{q(item_label) if item_label else 'NULL'}, "
                  f"{asset or 'NULL'}, {op}, {res})")


def advance(ev, collab, name, area=None, activity=None):
    return insert(f"INSERT INTO advances (uuid, event_id, collaborator_id, "
                  f"name, name_norm, area_id, activity_id, created_by, "
                  f"created_at, updated_at) VALUES (UUID(), {ev}, {collab}, "
                  f"{q(name)}, LOWER({q(name)}), {area or 'NULL'}, "
                  f"{activity or 'NULL'}, 1, UTC_TIMESTAMP(3), "
                  f"UTC_TIMESTAMP(3))")


def module(ev, adv, tpl, due=None, submission=0, position=1):
    return insert(f"INSERT INTO advance_modules (event_id, advance_id, "
                  f"module_template_id, position, due_date, submission) "
                  f"VALUES ({ev}, {adv}, {tpl}, {position}, "
                  f"{q(due) if due else 'NULL'}, {submission})")


def answer(ev, mod, block, value):
    insert(f"INSERT INTO answers (event_id, advance_module_id, block_id, "
           f"value, updated_by, updated_at) VALUES ({ev}, {mod}, {block}, "
           f"{q(value)}, 1, UTC_TIMESTAMP(3))")


def item(ev, mod, block, props=None, desc=None, qty=1, op="pending",
         reason=None, res="pending"):
    return insert(
        f"INSERT INTO line_items (event_id, advance_module_id, block_id, "
        f"description, quantity, props, op_state, op_reason, res_state, "
        f"created_by, created_at, updated_by, updated_at) VALUES ({ev}, "
        f"{mod}, {block}, {q(desc) if desc else 'NULL'}, {qty}, "
        f"{q(json.dumps(props)) if props else 'NULL'}, '{op}', "
        f"{q(reason) if reason else 'NULL'}, '{res}', 1, UTC_TIMESTAMP(3), "
        f"1, UTC_TIMESTAMP(3))")
