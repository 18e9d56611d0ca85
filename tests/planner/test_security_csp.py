"""Content-Security-Policy header (issue #16) on the pages, the host page, the feeds and the
API's docs, whose Swagger UI is served from our static files (no CDN to allow); no inline
style either; the endpoint violations are reported to."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from confirmations import links
from tests.confirmations.conftest import Stage

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https://tile.openstreetmap.org; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
    "report-uri /csp-report/; report-to csp"
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/docs", "/admin/login/"])
def test_pages_carry_the_policy(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'


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


def _page_templates():
    for template in ROOT.glob("*/templates/**/*.html"):
        if "/email/" not in str(template):  # mail clients want inline styles; no CSP there
            yield template


def test_no_template_has_an_inline_style():
    found = []
    for template in _page_templates():
        text = template.read_text(encoding="utf-8")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=", text):
            found.append(str(template.relative_to(ROOT)))
    assert found == []


def test_no_static_script_writes_a_style_attribute():
    # element.style.x = ... (CSSOM) is not governed by style-src; a style attribute written
    # as markup or through setAttribute is. Our own scripts (not the vendored libraries).
    found = []
    for script in ROOT.glob("*/static/**/*.js"):
        if "vendor" in script.parts:
            continue
        text = script.read_text(encoding="utf-8")
        if re.search(r"setAttribute\(\s*[\"']style|style=|<style", text):
            found.append(str(script.relative_to(ROOT)))
    assert found == []


def test_the_timetable_places_by_class_from_a_static_stylesheet():
    from scheduling.timetable import place, places_css, span_class

    assert place(90, 45) == "placed at-h1 at-m30 sized len-h0 len-m45"
    assert place(-15) == "placed at-h0 at-m0"  # a leg starting before the window
    assert span_class(8 * 60, 18 * 60) == "span-h10"
    assert span_class(0, 24 * 60) == "span-h24"
    css = (ROOT / "planner/static/planner/timetable-places.css").read_text(encoding="utf-8")
    assert css == places_css()  # regenerate the file from places_css() after a change
    for name in ("at-h24", "at-m59", "len-h24", "len-m59", "span-h24"):
        assert f".{name} {{" in css


def _report(client, body, content_type="application/csp-report", **extra):
    return client.post("/csp-report/", body, content_type=content_type, **extra)


VIOLATION = {
    "csp-report": {
        "document-uri": "https://example.org/host/" + "k" * 43 + "/",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "blocked-uri": "inline",
        "source-file": "https://example.org/static/x.js\r\nFAKE LINE",
        "line-number": 3,
    }
}


def test_a_report_is_logged_on_one_line_with_the_key_masked(db, caplog):
    cache.clear()
    with caplog.at_level(logging.WARNING, logger="planner.csp"):
        response = _report(Client(), json.dumps(VIOLATION))
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "planner.csp"]
    line = record.getMessage()
    assert "directive=style-src-attr" in line and "blocked=inline" in line
    assert "k" * 10 not in line and "/host/kkkk" in line
    assert "\n" not in line and "\r" not in line


def test_reporting_api_reports_are_read_too(db, caplog):
    cache.clear()
    body = [
        {
            "type": "csp-violation",
            "body": {"effectiveDirective": "script-src-elem", "blockedURL": "inline"},
        }
    ]
    with caplog.at_level(logging.WARNING, logger="planner.csp"):
        response = _report(Client(), json.dumps(body), "application/reports+json")
    assert response.status_code == 204
    assert any("directive=script-src-elem" in r.getMessage() for r in caplog.records)


def test_a_report_over_16_kb_is_refused_unread(db):
    cache.clear()
    big = {"csp-report": {"blocked-uri": "x" * (16 * 1024)}}
    assert _report(Client(), json.dumps(big)).status_code == 413


def test_reports_are_rate_limited_per_address(db, settings):
    cache.clear()
    settings.CSP_REPORTS_PER_MIN = 3
    client = Client()
    codes = [_report(client, json.dumps(VIOLATION)).status_code for _ in range(5)]
    assert codes == [204, 204, 204, 429, 429]
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _report(other, json.dumps(VIOLATION)).status_code == 204


def test_a_report_must_be_a_post_of_a_report(db):
    cache.clear()
    assert Client().get("/csp-report/").status_code == 405
    assert _report(Client(), "not json").status_code == 400
    assert _report(Client(), json.dumps({"x": 1})).status_code == 400
    assert _report(Client(), b"\xff\xfe", "application/json").status_code == 400
