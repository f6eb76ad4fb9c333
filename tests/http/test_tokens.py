"""Personal access tokens (PRODUCT §19): shown once, stored hashed, used
as Bearer on /api/v1, scoped, revocable."""

import re

import requests

from bo import BASE, Browser, new_user, sql, sql_one
from test_core import create_token, problem


def test_token_create_use_revoke():
    u = new_user()
    tok = create_token(u, "read")
    # Stored only as a keyed hash; the list shows a hint, never the secret.
    assert sql_one(f"SELECT COUNT(*) FROM api_tokens WHERE hint LIKE "
                   f"'{tok[:10]}%'") == "1"
    page = u.get("/account/tokens")
    assert tok not in page.text and tok[:10] in page.text
    h = {"Authorization": "Bearer " + tok}
    r = requests.get(BASE + "/api/v1/account", headers=h)
    assert r.status_code == 200
    body = r.json()
    assert body["me"]["email"] == u.email
    assert body["workspaces"][0]["kind"] == "personal"
    assert "password_hash" not in r.text
    tid = re.search(r"/account/tokens/(\d+)/revoke", page.text).group(1)
    u.get("/account/tokens")
    assert u.post(f"/account/tokens/{tid}/revoke").status_code == 303
    problem(requests.get(BASE + "/api/v1/account", headers=h), 401,
            "unauthenticated")


def test_token_is_shown_once():
    u = new_user()
    tok = create_token(u)
    assert tok not in u.get("/account/tokens").text


def test_read_token_cannot_write_and_tokens_cannot_manage_tokens():
    u = new_user()
    read = create_token(u, "read")
    rw = create_token(u, "read-write")
    for t in (read, rw):
        r = requests.post(BASE + "/api/v1/account/tokens",
                          json={"name": "x"},
                          headers={"Authorization": "Bearer " + t})
        problem(r, 403, "token-scope")
    r = requests.post(BASE + "/api/v1/account/verify/resend", json={},
                      headers={"Authorization": "Bearer " + read})
    problem(r, 403, "token-scope")


def test_bearer_with_cookie_is_400_and_garbage_token_401():
    u = new_user()
    tok = create_token(u)
    r = u.s.get(BASE + "/api/v1/account",
                headers={"Authorization": "Bearer " + tok})
    problem(r, 400)
    r = requests.get(BASE + "/api/v1/account",
                     headers={"Authorization": "Bearer boapi_nope"})
    problem(r, 401)


def test_expired_token_is_401():
    u = new_user()
    tok = create_token(u)
    sql("UPDATE api_tokens SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 "
        "SECOND WHERE expires_at IS NOT NULL")
    problem(requests.get(BASE + "/api/v1/account",
                         headers={"Authorization": "Bearer " + tok}), 401)


def test_revoking_someone_elses_token_is_404():
    a = new_user()
    b = new_user()
    create_token(a)
    tid = sql_one(f"SELECT t.id FROM api_tokens t JOIN users u ON u.id = "
                  f"t.user_id WHERE u.email_norm = '{a.email}'")
    b.get("/account/tokens")
    assert b.post(f"/account/tokens/{tid}/revoke").status_code == 404
    assert sql_one(f"SELECT revoked_at IS NULL FROM api_tokens "
                   f"WHERE id = {tid}") == "1"


def test_token_name_is_required():
    u = new_user()
    u.get("/account/tokens")
    r = u.post("/account/tokens", {"name": ""})
    assert r.status_code == 422 and "Name is required" in r.text
