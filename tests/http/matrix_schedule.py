"""Permission-matrix rows of the schedule routes (PRODUCT §10)."""

from matrix_common import row
from bo import sql, sql_one
from world import uid_of

ROWS = {
    "GET /events/{event}/schedule": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/schedule/day/{date}": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/schedule/week/{date}": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/schedule/month/{month}": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /calendar": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /calendar/week/{date}": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /events/{event}/schedule/timeline/{date}": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "POST /events/{event}/activities": row(401, 422, 403, 404, 403, 422, 422, 422, 404),
    "GET /events/{event}/activities/{id}": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    "POST /events/{event}/activities/{id}": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    "POST /events/{event}/activities/{id}/cancel": row(401, 303, 403, 404, 403, 303, 404, 404, 404),
    # One occurrence of the series (2027-07-02): seen like the activity,
    # changed like it. An empty edit sends nothing to change (422); a
    # cancel and a reset need no field (303).
    "GET /events/{event}/activities/{id}/occurrences/{date}": row(303, 200, 200, 404, 200, 200, 404, 404, 404),
    "POST /events/{event}/activities/{id}/occurrences/{date}": row(401, 422, 403, 404, 403, 422, 404, 404, 404),
    "POST /events/{event}/activities/{id}/occurrences/{date}/cancel": row(401, 303, 403, 404, 403, 303, 404, 404, 404),
    "POST /events/{event}/activities/{id}/occurrences/{date}/reset": row(401, 303, 403, 404, 403, 303, 404, 404, 404),
}


def prepare(w):
    """An event-only activity (no participants, not global): visible to
    schedule viewers of the Event domain only. A daily series over the
    event's last two days, so the occurrence routes have a real
    occurrence ({date} is 2027-07-02, its first)."""
    sql(f"INSERT INTO activities (uuid, event_id, kind, name, all_day, "
        f"start_utc, end_utc, rec_freq, rec_interval, rec_until, "
        f"created_by, created_at, updated_at) VALUES "
        f"(UUID(), {w.event}, 'activity', 'Matrix check', 0, "
        f"'2027-07-02 10:00:00', '2027-07-02 11:00:00', 'daily', 1, "
        f"'2027-07-03', {uid_of(w.owner)}, "
        f"UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.activity = int(sql_one(f"SELECT id FROM activities WHERE event_id = "
                             f"{w.event} AND name = 'Matrix check'"))


def subs(path, w):
    if "/activities/{id}" in path:
        return {"{id}": w.activity}
    if "{month}" in path:
        return {"{month}": "2027-07"}
    return {}
