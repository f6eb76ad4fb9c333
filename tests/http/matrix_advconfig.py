"""Permission-matrix rows of the advancing configuration routes (PRODUCT
§13.1-§13.3, §5 advancing row): asset types, module categories, module
templates with their blocks, advance templates with their modules.

Staff read them: the producer and the coordinator (advancing admin), the
viewer (advancing view) and the Org Pro observer (implicit Event view)
get 200; vendor contacts, whose advancing comes only through their own
collaborator, get 404 like the Standard member who is not on the event
and the other tenant. Every write and the admins' forms need Event-domain
advancing admin: the viewer and the observer get 403. Empty POSTs reach
validation (422: names, labels, kinds, positions and removal versions
are required); an empty advance-template module form is a valid form
(unticked boxes, no due date), so it saves (303). The objects the rows
name are made with SQL in prepare()."""

from matrix_common import row
from bo import sql, sql_one

_AT = "/events/{event}/asset-types"
_MC = "/events/{event}/module-categories"
_MT = "/events/{event}/module-templates"
_AV = "/events/{event}/advance-templates"

READ = row(303, 200, 200, 404, 200, 200, 404, 404, 404)
ADMIN_FORM = row(303, 200, 403, 404, 403, 200, 404, 404, 404)
WRITE_422 = row(401, 422, 403, 404, 403, 422, 404, 404, 404)
WRITE_303 = row(401, 303, 403, 404, 403, 303, 404, 404, 404)

ROWS = {
    f"GET {_AT}": READ,
    f"POST {_AT}": WRITE_422,
    f"GET {_AT}/new": ADMIN_FORM,
    f"GET {_AT}/{{id}}": READ,
    f"POST {_AT}/{{id}}": WRITE_422,
    f"GET {_AT}/{{id}}/delete": ADMIN_FORM,
    f"POST {_AT}/{{id}}/delete": WRITE_422,
    f"POST {_AT}/{{id}}/properties": WRITE_422,
    f"POST {_AT}/{{id}}/properties/{{p}}": WRITE_422,
    f"POST {_AT}/{{id}}/properties/{{p}}/move": WRITE_422,
    f"POST {_AT}/{{id}}/properties/{{p}}/delete": WRITE_422,
    f"POST {_AT}/{{id}}/sub-assets": WRITE_422,
    f"POST {_AT}/{{id}}/sub-assets/{{s}}": WRITE_422,
    f"POST {_AT}/{{id}}/sub-assets/{{s}}/move": WRITE_422,
    f"POST {_AT}/{{id}}/sub-assets/{{s}}/delete": WRITE_422,
    f"GET {_MC}": READ,
    f"POST {_MC}": WRITE_422,
    f"GET {_MC}/{{id}}": READ,
    f"POST {_MC}/{{id}}": WRITE_422,
    f"POST {_MC}/{{id}}/move": WRITE_422,
    f"POST {_MC}/{{id}}/delete": WRITE_422,
    f"GET {_MT}": READ,
    f"POST {_MT}": WRITE_422,
    f"GET {_MT}/new": ADMIN_FORM,
    f"GET {_MT}/{{id}}": READ,
    f"POST {_MT}/{{id}}": WRITE_422,
    f"GET {_MT}/{{id}}/delete": ADMIN_FORM,
    f"POST {_MT}/{{id}}/delete": WRITE_422,
    f"POST {_MT}/{{id}}/blocks": WRITE_422,
    f"GET {_MT}/{{id}}/blocks/{{b}}": READ,
    f"POST {_MT}/{{id}}/blocks/{{b}}": WRITE_422,
    f"POST {_MT}/{{id}}/blocks/{{b}}/move": WRITE_422,
    f"POST {_MT}/{{id}}/blocks/{{b}}/delete": WRITE_422,
    f"GET {_AV}": READ,
    f"POST {_AV}": WRITE_422,
    f"GET {_AV}/new": ADMIN_FORM,
    f"GET {_AV}/{{id}}": READ,
    f"POST {_AV}/{{id}}": WRITE_422,
    f"GET {_AV}/{{id}}/delete": ADMIN_FORM,
    f"POST {_AV}/{{id}}/delete": WRITE_422,
    f"POST {_AV}/{{id}}/modules": WRITE_422,
    f"POST {_AV}/{{id}}/modules/{{m}}": WRITE_303,
    f"POST {_AV}/{{id}}/modules/{{m}}/move": WRITE_422,
    f"POST {_AV}/{{id}}/modules/{{m}}/delete": WRITE_422,
}


def prepare(w):
    """One of each object in the matrix event."""
    e = w.event
    sql(f"INSERT INTO asset_types (event_id, name, label, created_at,"
        f" updated_at) VALUES ({e}, 'mx-labor', 'Labor call',"
        f" UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.cfg_type = int(sql_one(f"SELECT id FROM asset_types WHERE event_id ="
                             f" {e} AND name = 'mx-labor'"))
    sql(f"INSERT INTO asset_subs (event_id, asset_type_id, skey, label)"
        f" VALUES ({e}, {w.cfg_type}, 'laborer', 'Laborer')")
    w.cfg_sub = int(sql_one(f"SELECT id FROM asset_subs WHERE asset_type_id"
                            f" = {w.cfg_type}"))
    sql(f"INSERT INTO asset_props (event_id, asset_type_id, pkey, label,"
        f" rtype) VALUES ({e}, {w.cfg_type}, 'start', 'Start', 'datetime')")
    w.cfg_prop = int(sql_one(f"SELECT id FROM asset_props WHERE"
                             f" asset_type_id = {w.cfg_type}"))
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({e},"
        f" 'Technical')")
    w.cfg_cat = int(sql_one(f"SELECT id FROM module_categories WHERE"
                            f" event_id = {e}"))
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id,"
        f" created_at, updated_at) VALUES ({e}, 'Audio rider', 'Audio',"
        f" {w.cfg_cat}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.cfg_tpl = int(sql_one(f"SELECT id FROM module_templates WHERE"
                            f" event_id = {e}"))
    sql(f"INSERT INTO module_blocks (event_id, template_id, kind, body)"
        f" VALUES ({e}, {w.cfg_tpl}, 'content', 'Hello')")
    w.cfg_block = int(sql_one(f"SELECT id FROM module_blocks WHERE"
                              f" template_id = {w.cfg_tpl}"))
    sql(f"INSERT INTO advance_templates (event_id, name, created_at,"
        f" updated_at) VALUES ({e}, 'Artist', UTC_TIMESTAMP(3),"
        f" UTC_TIMESTAMP(3))")
    w.cfg_atpl = int(sql_one(f"SELECT id FROM advance_templates WHERE"
                             f" event_id = {e}"))
    sql(f"INSERT INTO advance_template_modules (event_id,"
        f" advance_template_id, module_template_id) VALUES ({e},"
        f" {w.cfg_atpl}, {w.cfg_tpl})")
    w.cfg_mod = int(sql_one(f"SELECT id FROM advance_template_modules WHERE"
                            f" advance_template_id = {w.cfg_atpl}"))


def subs(path, w):
    if path.startswith(_AT + "/{id}"):
        return {"{id}": w.cfg_type, "{p}": w.cfg_prop, "{s}": w.cfg_sub}
    if path.startswith(_MC + "/{id}"):
        return {"{id}": w.cfg_cat}
    if path.startswith(_MT + "/{id}"):
        return {"{id}": w.cfg_tpl, "{b}": w.cfg_block}
    if path.startswith(_AV + "/{id}"):
        return {"{id}": w.cfg_atpl, "{m}": w.cfg_mod}
    return {}
