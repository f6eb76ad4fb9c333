"""Help pages rendered from Markdown (PRODUCT §12.5)."""

import requests

from bo import BASE


def test_docs_index_and_pages_render_with_sidebar():
    r = requests.get(BASE + "/docs")
    assert r.status_code == 200
    for slug in ("getting-started", "concepts", "organizations",
                 "licensing", "permissions"):
        assert f'href="/docs/{slug}"' in r.text, slug
        p = requests.get(BASE + "/docs/" + slug)
        assert p.status_code == 200, slug
        assert "<h1" in p.text or "<h2" in p.text
        assert "<script>" not in p.text


ADVANCING = ("advancing", "advancing-templates", "advancing-advances",
             "advancing-vendors", "advancing-review")


def test_advancing_pages_listed_and_render():
    r = requests.get(BASE + "/docs")
    assert r.status_code == 200
    for slug in ADVANCING:
        assert f'href="/docs/{slug}"' in r.text, slug
        p = requests.get(BASE + "/docs/" + slug)
        assert p.status_code == 200, slug
        assert "<h1" in p.text or "<h2" in p.text
        assert "<script>" not in p.text
    c = requests.get(BASE + "/docs/concepts")
    assert 'href="/docs/advancing"' in c.text


def test_advancing_pages_sit_after_run_of_show_in_sidebar():
    r = requests.get(BASE + "/api/v1/docs/advancing")
    assert r.status_code == 200
    top = next(g for g in r.json()["sidebar"] if g["group"] == "")
    slugs = [p["slug"] for p in top["pages"]]
    order = ("tasks", "schedule", "run-of-show") + ADVANCING + ("rollups",)
    assert [s for s in slugs if s in order] == list(order), slugs


def test_docs_json_twin():
    r = requests.get(BASE + "/api/v1/docs/getting-started")
    assert r.status_code == 200
    page = r.json()["page"]
    assert page["title"] and page["html"]


def test_unknown_slug_is_404_with_sidebar():
    r = requests.get(BASE + "/docs/no-such-page")
    assert r.status_code == 404
    assert 'href="/docs/getting-started"' in r.text
    assert requests.get(BASE + "/api/v1/docs/nope").status_code == 404
    assert requests.get(BASE + "/docs/../etc/passwd").status_code in (400, 404)
