"""The Content-Security-Policy in a real browser (issue #16): every page an organiser can
reach by following links, the host page and the API's docs work under it with no violation
reported (no inline script, no inline style), the timetable's blocks stand where their times
say without a style attribute, and a violation is seen when there is one."""

import re
from urllib.parse import urljoin, urlsplit

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


# Links not to follow: signing out, switching language, downloads and calendar files (not
# pages), the admin (Django's own templates) and the API (JSON, its docs are visited).
SKIP = re.compile(
    r"^/(accounts/logout|i18n/|admin/|api/)|\.(ics|csv|xlsx|pdf|json)$|/(export|download|template)"
)


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def test_every_page_an_organiser_reaches_runs_under_the_policy(browser, live_server, aude_site):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    login(page, live_server, f"/visits/{aude_site.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    host = Person.objects.filter(owner=aude_site.owner).order_by("pk").first()
    _link, key = links.host_link_get(visit=aude_site, person=host)
    queue, seen, visited = ["/", f"/visits/{aude_site.pk}/", f"/host/{key}/"], set(), []
    while queue and len(visited) < 120:
        path = queue.pop(0)
        if _pattern(path) in seen:
            continue
        seen.add(_pattern(path))
        answer = page.goto(live_server.url + path)
        if answer is None or "text/html" not in answer.headers.get("content-type", ""):
            continue
        assert answer.status < 500, path
        assert "style-src 'self';" in answer.headers["content-security-policy"]
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urlsplit(urljoin(page.url, href))
            if target.netloc != urlsplit(live_server.url).netloc or SKIP.search(target.path):
                continue
            if _pattern(target.path) not in seen:
                queue.append(target.path)
    assert len(visited) > 20, visited  # the crawl reached the visit's pages
    assert conftest.CSP_VIOLATIONS == [], visited


def test_timetable_blocks_stand_at_their_times_without_style_attributes(
    browser,
    live_server,
    aude_site,  # noqa: F811
):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    login(page, live_server, f"/visits/{aude_site.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    assert page.locator("[style]").count() == 0
    places = page.evaluate(
        """() => {
          const root = document.querySelector(".timetable");
          const first = Number(root.dataset.first), span = Number(root.dataset.last) - first;
          return [...document.querySelectorAll(".block[data-start]")].map(block => {
            const body = block.closest(".day-body").getBoundingClientRect();
            const box = block.getBoundingClientRect();
            const [h, m] = block.dataset.start.slice(11).split(":").map(Number);
            const minutes = Number(block.dataset.minutes);
            return {
              top: box.top - body.top, height: box.height,
              wantTop: (h * 60 + m - first) / span * body.height,
              wantHeight: minutes / span * body.height,
            };
          });
        }"""
    )
    assert len(places) >= 5
    for place in places:
        assert abs(place["top"] - place["wantTop"]) < 1.5, place
        assert abs(place["height"] - place["wantHeight"]) < 1.5, place
