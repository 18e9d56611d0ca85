"""WCAG 2.1 A and AA checks by Deque's axe-core (npm, tests/js) on the organiser's pages, in a
real browser, in French and English: labels, contrast, landmarks, keyboard-reachable names."""

import json
from pathlib import Path

import pytest

from confirmations import links
from delegations.models import Guest
from events.models import Person
from logistics.models import Vehicle
from scheduling import services
from tests.browser.test_timetable import aude_site, login  # noqa: F401 (fixture)

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests/js` (make js-deps)")
    # Evaluated by the test driver, not added as an inline <script>: the site's
    # Content-Security-Policy refuses inline scripts, as it should.
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
        })"""
    )
    return [
        {
            "rule": v["id"],
            "help": v["help"],
            "where": [n["target"] for n in v["nodes"]][:5],
            "why": v["nodes"][0]["failureSummary"],
        }
        for v in result["violations"]
    ]


def assert_accessible(page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_organiser_pages_pass_wcag_aa(browser, live_server, aude_site, locale):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale=locale)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "sign-in")
    login(page, live_server, "/")
    assert_accessible(page, "visit list")
    page.goto(f"{live_server.url}/visits/{aude_site.pk}/")
    assert_accessible(page, "visit page before any programme")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    assert_accessible(page, "visit page with the timetable")
    host = Person.objects.filter(owner=aude_site.owner).order_by("pk").first()
    guest = Guest.objects.filter(delegation__visit=aude_site).order_by("pk").first()
    vehicle = Vehicle.objects.filter(visit=aude_site).order_by("pk").first()
    pages = (
        "feeds/",
        "import/",
        "activities/new/",
        f"windows/?person={host.pk}",
        "booklet/",
        "confirmations/",
        "logistics/",
        "logistics/rooming/",
        f"logistics/vehicles/{vehicle.pk}/",
        f"logistics/guests/{guest.pk}/itinerary/",
        f"logistics/guests/{guest.pk}/letter/",
    )
    for path in pages:
        page.goto(f"{live_server.url}/visits/{aude_site.pk}/{path}")
        assert_accessible(page, path)
    page.goto(f"{live_server.url}/visits/{aude_site.pk}/activities/new/")
    page.click("#add-activity")  # nothing filled in: every required field says why
    page.wait_for_load_state()
    assert page.locator(".edit-form .error").count() >= 2
    assert_accessible(page, "add an activity, with errors")


def test_timetable_is_a_readable_list_on_a_phone(browser, live_server, aude_site):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    login(page, live_server, f"/visits/{aude_site.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    # Nothing wider than the screen: the days stack, no sideways scrolling.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(page, "visit page on a phone")


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_host_pages_pass_wcag_aa(browser, live_server, aude_site, lang):  # noqa: F811
    organiser = aude_site.owner.organisers.first().user
    services.solve_start(visit=aude_site, user=organiser, reason="tests")
    services.version_publish(version=aude_site.programme.versions.latest("number"))
    host = Person.objects.filter(
        owner=aude_site.owner, hosted_activities__slots__isnull=False
    ).first()
    _link, key = links.host_link_get(visit=aude_site, person=host)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/host/{key}/?lang={lang}")
    assert page.locator("article.slot").count() >= 1
    assert_accessible(page, "host page")
    page.click("#calendar-button")
    page.wait_for_selector("#subscribe")
    assert_accessible(page, "host calendar page")
