"""Permission-matrix rows of the run-of-show routes (PRODUCT §10).

matrix_schedule.py substitutes its own activity for every
/activities/{id} path (it is applied after this module), so the rows are
checked against that activity: an event-only one (no participants, not
global), visible to schedule viewers of the Event domain and to the Org
Pro observer, 404 for both vendor contacts, who cannot see it. Changing
its run of show needs schedule edit covering it (the producer and the
coordinator), so viewers get 403. Empty POSTs reach validation (422): a
segment or column needs a name, a move a position, a removal the
version; an edit that sends no field changes nothing (303). The segment
and column the rows name are added to that activity on first use.
test_runofshow.py checks the vendor cases on an activity V1 takes part
in."""

from matrix_common import row
from bo import sql, sql_one
from world import uid_of

_E = "/events/{event}/activities/{id}/run-of-show"

ROWS = {
    "GET /events/{event}/run-of-show": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    f"GET {_E}": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    f"POST {_E}/segments": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    f"POST {_E}/segments/{{seg}}": row(401, 303, 403, 404, 403, 303, 404, 404, 404),
    f"POST {_E}/segments/{{seg}}/move": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    f"POST {_E}/segments/{{seg}}/delete": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    f"POST {_E}/columns": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    f"POST {_E}/columns/{{col}}": row(401, 303, 403, 404, 403, 303, 404, 404, 404),
    f"POST {_E}/columns/{{col}}/move": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    f"POST {_E}/columns/{{col}}/delete": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
}


def _ensure(w):
    """A segment and a column on matrix_schedule's activity (w.activity,
    which exists once every prepare() has run)."""
    if getattr(w, "ros_for", None) == w.activity:
        return
    a = w.activity
    sql(f"INSERT INTO ros_segments (activity_id, event_id, name, "
        f"duration_min, colour, position, created_by, created_at, "
        f"updated_at) VALUES ({a}, {w.event}, 'Walk-in', 15, 'blue', 0, "
        f"{uid_of(w.owner)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.ros_segment = int(sql_one(
        f"SELECT id FROM ros_segments WHERE activity_id = {a}"))
    sql(f"INSERT INTO ros_columns (activity_id, event_id, name, width, "
        f"position, created_at, updated_at) VALUES ({a}, {w.event}, "
        f"'Camera', 'medium', 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.ros_column = int(sql_one(
        f"SELECT id FROM ros_columns WHERE activity_id = {a}"))
    w.ros_for = a


def subs(path, w):
    if "/run-of-show/" in path and "/activities/{id}" in path:
        _ensure(w)
        return {"{seg}": w.ros_segment, "{col}": w.ros_column}
    return {}
