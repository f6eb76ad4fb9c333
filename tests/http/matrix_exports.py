"""Permission-matrix rows of the export and day sheet routes (issue 6):
downloads follow the schedule and task lists (everyone on the event; the
contents are filtered), day sheets the subject (here collaborator V1:
its own contact, and those with schedule or crew view on it)."""

from matrix_common import row

ROWS = {
    "GET /events/{event}/schedule.xml": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/schedule.json": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/schedule.csv": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/tasks.csv": row(303, 200, 200, 404, 200, 200, 200, 200, 404),
    "GET /events/{event}/daysheets/{kind}/{id}": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
    "GET /events/{event}/daysheets/{kind}/{id}/{date}": row(303, 200, 200, 404, 200, 200, 200, 404, 404),
}


def subs(path, w):
    if "/daysheets/" in path:
        return {"{kind}": "collaborator", "{id}": w.v1}
    return {}
