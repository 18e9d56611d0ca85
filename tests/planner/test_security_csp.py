"""Content-Security-Policy header (issue #16) on the pages, the host page, the feeds and the
API's docs, whose Swagger UI is served from our static files (no CDN to allow)."""

import pytest
from django.test import Client

from confirmations import links
from tests.confirmations.conftest import Stage

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/docs", "/admin/login/"])
def test_pages_carry_the_policy(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


def test_the_host_page_and_a_404_carry_it(org):
    stage = Stage(org)
    stage.publish({})  # nothing placed: the page still opens
    _link, key = links.host_link_get(visit=stage.visit, person=stage.mayor)
    assert Client().get(f"/host/{key}/")["Content-Security-Policy"] == POLICY
    assert Client().get("/host/nope/")["Content-Security-Policy"] == POLICY


def test_the_api_docs_load_nothing_from_another_site(db):
    body = Client().get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in body and "unpkg" not in body
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "<script>" not in body.replace('<script type="application/json"', "")


def test_no_template_has_an_inline_script_or_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = []
    for template in root.glob("*/templates/**/*.html"):
        if "/email/" in str(template):
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            found.append(str(template.relative_to(root)))
    assert found == []
