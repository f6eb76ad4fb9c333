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


NOW = "UTC_TIMESTAMP(3)"


def _insert(table, values, find):
    """Insert one row (column: SQL literal) and return its id, found by
    the WHERE clause find."""
    sql(f"INSERT INTO {table} ({', '.join(values)}) VALUES"
        f" ({', '.join(str(v) for v in values.values())})")
    return int(sql_one(f"SELECT id FROM {table} WHERE {find}"))


def prepare(w):
    """One of each object in the matrix event."""
    e = w.event
    w.cfg_type = _insert("asset_types", {
        "event_id": e, "name": "'mx-labor'", "label": "'Labor call'",
        "created_at": NOW, "updated_at": NOW},
        f"event_id = {e} AND name = 'mx-labor'")
    w.cfg_sub = _insert("asset_subs", {
        "event_id": e, "asset_type_id": w.cfg_type, "skey": "'laborer'",
        "label": "'Laborer'"}, f"asset_type_id = {w.cfg_type}")
    w.cfg_prop = _insert("asset_props", {
        "event_id": e, "asset_type_id": w.cfg_type, "pkey": "'start'",
        "label": "'Start'", "rtype": "'datetime'"},
        f"asset_type_id = {w.cfg_type}")
    w.cfg_cat = _insert("module_categories", {
        "event_id": e, "name": "'Technical'"}, f"event_id = {e}")
    w.cfg_tpl = _insert("module_templates", {
        "event_id": e, "name": "'Audio rider'", "label": "'Audio'",
        "category_id": w.cfg_cat, "created_at": NOW, "updated_at": NOW},
        f"event_id = {e}")
    w.cfg_block = _insert("module_blocks", {
        "event_id": e, "template_id": w.cfg_tpl, "kind": "'content'",
        "body": "'Hello'"}, f"template_id = {w.cfg_tpl}")
    w.cfg_atpl = _insert("advance_templates", {
        "event_id": e, "name": "'Artist'", "created_at": NOW,
        "updated_at": NOW}, f"event_id = {e}")
    w.cfg_mod = _insert("advance_template_modules", {
        "event_id": e, "advance_template_id": w.cfg_atpl,
        "module_template_id": w.cfg_tpl},
        f"advance_template_id = {w.cfg_atpl}")


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
