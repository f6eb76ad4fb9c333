"""Permission-matrix rows of the advmap routes: the advance task mapping
(PRODUCT §13.9), turning task tracking of an advance module on or off,
and the event's reminder days (§13.11).

The mapping is an event-wide task setting: tasks view (Event domain) sees
it — the producer, the Org Pro observer, the viewer, the coordinator —
and only Event tasks admins change it; an empty POST keeps every status
(303, nothing changed). Vendor contacts hold tasks view on their own
collaborator only, so the page is not theirs (404).

Tracking is asked on a module of an advance of V1 (added by prepare):
advancing admin covering it (producer, coordinator) reaches validation
(422: no tracked value); viewers and V1's vendor contact (advancing
edit) get 403; V2's contact cannot see V1's advance (404).

Reminder days need Event settings admin: only the producer reaches
validation (422: no value sent); settings viewers get 403; vendors have
no Event settings view (404)."""

import uuid

from matrix_common import row
from bo import sql, sql_one
from world import uid_of

ROWS = {
    "GET /events/{event}/advance-task-mapping": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    "POST /events/{event}/advance-task-mapping": row(401, 303, 403, 404, 403, 403, 404, 404, 404),
    "POST /events/{event}/advances/{adv}/modules/{m}/tracking": row(401, 422, 403, 404, 403, 422, 403, 404, 404),
    "POST /events/{event}/settings/reminders": row(401, 422, 403, 404, 403, 403, 404, 404, 404),
}


def prepare(w):
    """An advance of V1 with one module, written with SQL."""
    ev = w.event
    tag = uuid.uuid4().hex[:8]
    sql(f"INSERT INTO module_categories (event_id, name) VALUES ({ev}, "
        f"'Track {tag}')")
    cat = int(sql_one(f"SELECT id FROM module_categories WHERE event_id = "
                      f"{ev} AND name = 'Track {tag}'"))
    sql(f"INSERT INTO module_templates (event_id, name, label, category_id,"
        f" created_at, updated_at) VALUES ({ev}, 'Track {tag}', 'Audio', "
        f"{cat}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    tpl = int(sql_one(f"SELECT id FROM module_templates WHERE event_id = "
                      f"{ev} AND name = 'Track {tag}'"))
    sql(f"INSERT INTO module_blocks (event_id, template_id, position, kind,"
        f" label, rtype) VALUES ({ev}, {tpl}, 0, 'question', 'Console', "
        f"'text')")
    sql(f"INSERT INTO advances (uuid, event_id, collaborator_id, name, "
        f"name_norm, created_by, created_at, updated_at) VALUES "
        f"('{uuid.uuid4()}', {ev}, {w.v1}, 'Track {tag}', 'track {tag}', "
        f"{uid_of(w.owner)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.advmap_adv = int(sql_one(f"SELECT id FROM advances WHERE event_id = "
                               f"{ev} AND name = 'Track {tag}'"))
    sql(f"INSERT INTO advance_modules (event_id, advance_id, "
        f"module_template_id, due_date) VALUES ({ev}, {w.advmap_adv}, "
        f"{tpl}, '2027-06-20')")
    w.advmap_mod = int(sql_one(f"SELECT id FROM advance_modules WHERE "
                               f"advance_id = {w.advmap_adv}"))


def subs(path, w):
    if path.endswith("/tracking"):
        return {"{adv}": w.advmap_adv, "{m}": w.advmap_mod}
    return {}
