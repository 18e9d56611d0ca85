"""The Content-Security-Policy in a real browser (issue #16): the main pages and the API's
docs work under it with no violation reported, and a violation is seen when there is one."""

import pytest

from confirmations import links
from events.models import Person
from tests.browser import conftest
from tests.browser.test_timetable import aude_site, login  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_main_pages_and_api_docs_run_under_the_policy(browser, live_server, aude_site):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    answer = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    login(page, live_server, "/")
    page.goto(f"{live_server.url}/visits/{aude_site.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    page.goto(f"{live_server.url}/visits/{aude_site.pk}/feeds/")
    page.goto(f"{live_server.url}/visits/{aude_site.pk}/booklet/")
    host = Person.objects.filter(owner=aude_site.owner).order_by("pk").first()
    _link, key = links.host_link_get(visit=aude_site, person=host)
    page.goto(f"{live_server.url}/host/{key}/")
    # Swagger UI from our own static files, rendered, under the same policy.
    docs = page.goto(f"{live_server.url}/api/v1/docs")
    assert docs.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")
    assert conftest.CSP_VIOLATIONS == []


def test_an_injected_inline_script_is_refused_and_reported(browser, live_server, aude_site):  # noqa: F811
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    with page.expect_console_message() as message:
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.injected = true"; document.body.append(s); }"""
        )
    assert "Content Security Policy" in message.value.text
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in v for v in conftest.CSP_VIOLATIONS)
    conftest.CSP_VIOLATIONS.clear()  # seen on purpose
