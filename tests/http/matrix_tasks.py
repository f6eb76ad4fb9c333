"""Permission-matrix rows of the task routes (PRODUCT §9). The world
gets one task assigned to collaborator V1, so its contact (v1) sees it
and V2's contact does not."""

from matrix_common import row
from bo import sql, sql_one
from world import uid_of

ROWS = {
    "GET /events/{event}/tasks": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/tasks/board": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/tasks/new": row(303, 200, 403, 404, 403, 200, 403, 403, 404),
    "GET /events/{event}/tasks/settings": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "POST /events/{event}/tasks/bulk": row(401, 422, 422, 404, 422, 422, 422, 422, 404),
    "POST /events/{event}/tasks": row(401, 422, 403, 404, 403, 422, 403, 403, 404),
    "GET /events/{event}/tasks/{id}": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
    "POST /events/{event}/tasks/{id}": row(401, 303, 403, 404, 403, 303, 403, 404, 404),
    "POST /events/{event}/tasks/{id}/status": row(401, 422, 403, 404, 403, 422, 422, 404, 404),
    "POST /events/{event}/tasks/{id}/delete": row(401, 422, 403, 404, 403, 403, 403, 404, 404),
    "POST /events/{event}/task-statuses": row(401, 422, 403, 404, 403, 403, 403, 403, 404),
    "POST /events/{event}/task-statuses/{id}": row(401, 422, 403, 404, 403, 403, 403, 403, 404),
    "POST /events/{event}/task-statuses/{id}/delete": row(401, 409, 403, 404, 403, 403, 403, 403, 404),
    "POST /events/{event}/phases": row(401, 422, 403, 404, 403, 403, 403, 403, 404),
    "POST /events/{event}/phases/{id}": row(401, 422, 403, 404, 403, 403, 403, 403, 404),
    "POST /events/{event}/phases/{id}/delete": row(401, 303, 403, 404, 403, 403, 403, 403, 404),
}


def prepare(w):
    sql(f"INSERT INTO task_statuses (event_id, name, name_norm, colour, "
        f"state, position, created_at) VALUES ({w.event}, 'To Do', 'to do',"
        f" 'slate', 'todo', 0, UTC_TIMESTAMP(3)), ({w.event}, 'Done', "
        f"'done', 'green', 'done', 1, UTC_TIMESTAMP(3))")
    st = sql_one(f"SELECT id FROM task_statuses WHERE event_id = {w.event}"
                 f" AND name = 'To Do'")
    sql(f"INSERT INTO task_phases (event_id, name, name_norm, position, "
        f"created_at) VALUES ({w.event}, 'Show', 'show', 0, "
        f"UTC_TIMESTAMP(3))")
    w.task_status = int(st)
    w.phase = int(sql_one(f"SELECT id FROM task_phases WHERE event_id = "
                          f"{w.event}"))
    sql(f"INSERT INTO tasks (uuid, event_id, org_id, name, status_id, "
        f"created_by, created_at, updated_at) VALUES (UUID(), {w.event}, "
        f"(SELECT org_id FROM events WHERE id = {w.event}), 'Matrix task', "
        f"{st}, {uid_of(w.owner)}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
    w.task = int(sql_one(f"SELECT id FROM tasks WHERE event_id = {w.event}"))
    sql(f"INSERT INTO task_people (task_id, event_id, role, collaborator_id)"
        f" VALUES ({w.task}, {w.event}, 'assignee', {w.v1})")


def subs(path, w):
    if "/tasks/{id}" in path:
        return {"{id}": w.task}
    if "/task-statuses/{id}" in path:
        return {"{id}": w.task_status}
    if "/phases/{id}" in path:
        return {"{id}": w.phase}
    return {}
