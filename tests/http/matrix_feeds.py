"""Permission-matrix rows of the feed routes (FEEDS.md §4–§5).

The feed answers one 404 to everyone for a token that does not exist (the
token, not the session, is the credential; cookies are ignored). Subscribe
is checked on the world's event: whoever may enter the event gets a feed
(201, the address shown once); std_noseat and other cannot enter it (404).
Revoke and reset name a feed id nobody owns (404); revoke-all always
succeeds for a signed-in user."""

from matrix_common import row

ROWS = {
    "GET /feeds/{token}/calendar.ics": row(404, 404, 404, 404, 404, 404, 404, 404, 404),
    "POST /account/feeds/new/{kind}/{id}": row(401, 201, 201, 404, 201, 201, 201, 201, 404),
    "GET /account/feeds": row(303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /account/feeds/revoke-all": row(401, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /account/feeds/{id}/revoke": row(401, 404, 404, 404, 404, 404, 404, 404, 404),
    "POST /account/feeds/{id}/reset": row(401, 404, 404, 404, 404, 404, 404, 404, 404),
}


def subs(path, w):
    if "{token}" in path:
        return {"{token}": "bofeed_" + "A" * 43}
    if path == "/account/feeds/new/{kind}/{id}":
        return {"{kind}": "event", "{id}": w.event}
    return {}
