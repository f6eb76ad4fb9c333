"""Permission-matrix rows of the organization roll-ups (PRODUCT §15):
open to every member of the organization, 404 to everyone else."""

from matrix_common import row

ROWS = {
    "GET /orgs/{org}/tasks": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "GET /orgs/{org}/tasks.xml": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "GET /orgs/{org}/schedule": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
    "GET /orgs/{org}/schedule.xml": row(303, 200, 200, 200, 200, 404, 404, 404, 404),
}
