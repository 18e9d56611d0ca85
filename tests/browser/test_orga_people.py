"""A visit's people in a real browser, in French: a host whose week is drawn on the grid (by
dragging, then by keyboard), a guest with two languages, an interpreter; every page fits a
390 px phone; axe-core finds no WCAG 2.1 A/AA violation on any of them, in fr and en."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from delegations.models import Guest, Interpreter, SubGroup
from events.models import Availability, Person
from tests import factories
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def small_visit(transactional_db):
    org = factories.organisation(name="Communauté de communes du Limouxin")
    factories.organiser(org, username="organiser")
    visit = factories.visit(
        org,
        title="Visite philippine",
        start_date=dt.date(2009, 4, 20),
        end_date=dt.date(2009, 4, 22),
    )
    delegation = factories.delegation(visit, name="Délégation de Mindanao")
    SubGroup.objects.create(delegation=delegation, name="Élus")
    return visit


def login(page, live_server, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("#sign-in")
    page.wait_for_load_state()


def cell(page, key: str):
    return page.locator(f'.week-grid button.cell[data-key="{key}"]')


def drag(page, start: str, end: str) -> None:
    first, last = cell(page, start).bounding_box(), cell(page, end).bounding_box()
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + last["height"] / 2, steps=8)
    page.mouse.up()


def spans(person) -> list[tuple[str, str, str]]:
    return [
        (f"{w.start.astimezone(PARIS):%d %H:%M}", f"{w.end.astimezone(PARIS):%d %H:%M}", w.kind)
        for w in Availability.objects.filter(person=person).order_by("start", "kind")
    ]


def marked(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.week-grid button.cell')]
            .filter(b => b.dataset.state).map(b => [b.dataset.key, b.dataset.state]))"""
    )


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_people_in_french_by_mouse_and_keyboard(browser, live_server, small_visit, artifacts):
    visit = small_visit
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    base = f"/visits/{visit.pk}"
    login(page, live_server, f"{base}/hosts/")
    assert page.locator("h1").inner_text() == "Hôtes"

    # A host: name, position, two languages from the pickers.
    page.click("#add-host")
    page.fill("#id_full_name", "Jean-Paul Dupré")
    page.fill("#id_position", "maire de Chalabre")
    page.select_option("#id_languages-0-language", "fr")
    page.select_option("#id_languages-1-language", "oc")
    page.click("#save-host")
    page.wait_for_selector("#week-form:not([hidden])")
    host = Person.objects.get(full_name="Jean-Paul Dupré")
    assert host.languages == ["fr", "oc"]
    assert page.url.endswith(f"{base}/people/{host.pk}/windows/")
    page.goto(f"{live_server.url}{base}/hosts/")
    page.screenshot(path=artifacts / "people-hosts-fr.png", full_page=True)
    page.goto(f"{live_server.url}{base}/people/{host.pk}/windows/")
    page.wait_for_selector("#week-form:not([hidden])")

    # Drag over half-hours: Monday 9:00–12:00 available, Tuesday 14:00–16:00 preferred.
    drag(page, "2009-04-20T09:00", "2009-04-20T11:30")
    page.check('input[name="mode"][value="preferred"]')
    drag(page, "2009-04-21T14:00", "2009-04-21T15:30")
    assert len(marked(page)) == 10
    page.screenshot(path=artifacts / "people-week-grid-drawn-fr.png", full_page=True)
    with page.expect_navigation():
        page.click("#save-week")
    assert spans(host) == [
        ("20 09:00", "20 12:00", "available"),
        ("21 14:00", "21 16:00", "preferred"),
    ]
    page.reload()
    page.wait_for_selector("#week-form:not([hidden])")
    states = marked(page)
    assert states["2009-04-20T11:30"] == "available"
    assert states["2009-04-21T15:30"] == "preferred"
    assert len(states) == 10
    assert page.locator("#windows tbody tr").count() == 2
    page.screenshot(path=artifacts / "people-week-grid-fr.png", full_page=True)

    # The keyboard alone: one Tab stop for the grid, arrows move, Space marks, Shift+arrow
    # marks on the way; Wednesday 10:00–11:00 becomes available.
    page.check('input[name="mode"][value="available"]')
    page.focus('input[name="mode"][value="available"]')
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.key") == "2009-04-20T08:30"
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "ArrowDown", "ArrowDown"):
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.dataset.key") == "2009-04-22T10:00"
    page.keyboard.press("Space")
    page.keyboard.press("Shift+ArrowDown")
    assert "disponible" in page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "save-week"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert spans(host)[-1] == ("22 10:00", "22 11:00", "available")

    # A guest speaking two languages, in a sub-group, from the Philippines.
    page.goto(f"{live_server.url}{base}/guests/")
    page.click("#add-guest")
    page.fill("#id_full_name", "Ben Quiñones")
    page.select_option("#id_subgroup", label="Délégation de Mindanao / Élus")
    page.select_option("#id_country", "PH")
    page.select_option("#id_preferred_language", "en")
    page.select_option("#id_languages-0-language", "en")
    page.select_option("#id_languages-0-level", "native")
    page.select_option("#id_languages-1-language", "fr")
    page.select_option("#id_languages-1-level", "basic")
    page.fill("#id_dietary_needs", "végétarien")
    page.click("#save-guest")
    page.wait_for_selector("table.guests")
    guest = Guest.objects.get(full_name="Ben Quiñones")
    assert sorted((x.language, x.level) for x in guest.languages.all()) == [
        ("en", "native"),
        ("fr", "basic"),
    ]
    assert "anglais (langue maternelle)" in page.locator("table.guests").inner_text()
    page.screenshot(path=artifacts / "people-guests-fr.png", full_page=True)
    page.goto(f"{live_server.url}{base}/guests/{guest.pk}/")
    page.screenshot(path=artifacts / "people-guest-form-fr.png", full_page=True)
    page.goto(f"{live_server.url}{base}/delegations/")
    page.screenshot(path=artifacts / "people-delegations-fr.png", full_page=True)

    # An interpreter: two directions, two modes, a daily limit.
    page.goto(f"{live_server.url}{base}/interpreters/")
    page.click("#add-interpreter")
    page.fill("#id_full_name", "Claire Martin")
    page.check('input[name="modes"][value="consecutive"]')
    page.check('input[name="modes"][value="whispered"]')
    page.fill("#id_daily_cap_minutes", "300")
    page.select_option("#id_directions-0-source", "fr")
    page.select_option("#id_directions-0-target", "en")
    page.select_option("#id_directions-1-source", "en")
    page.select_option("#id_directions-1-target", "fr")
    page.click("#save-interpreter")
    page.wait_for_selector("#week-form:not([hidden])")
    interpreter = Interpreter.objects.get(person__full_name="Claire Martin")
    assert list(visit.interpreters.all()) == [interpreter]
    page.goto(f"{live_server.url}{base}/interpreters/")
    assert "français → anglais, anglais → français" in page.locator("#interpreters").inner_text()
    page.screenshot(path=artifacts / "people-interpreters-fr.png", full_page=True)

    # A 390 px phone: no page scrolls sideways (the grid scrolls in its own box).
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="fr-FR")
    login(phone, live_server, f"{base}/hosts/")
    for path in people_pages(visit):
        phone.goto(f"{live_server.url}{path}")
        assert fits_a_phone(phone), path
    phone.goto(f"{live_server.url}{base}/people/{host.pk}/windows/")
    phone.wait_for_selector("#week-form:not([hidden])")
    assert fits_a_phone(phone)
    phone.screenshot(path=artifacts / "people-phone-week-grid-fr.png", full_page=True)
    phone.goto(f"{live_server.url}{base}/guests/new/")
    phone.screenshot(path=artifacts / "people-phone-guest-form-fr.png", full_page=True)


def people_pages(visit) -> list[str]:
    base = f"/visits/{visit.pk}"
    host = Person.objects.filter(owner=visit.owner).exclude(role="interpreter").first()
    guest = Guest.objects.filter(delegation__visit=visit).first()
    interpreter = visit.interpreters.first()
    delegation = visit.delegations.first()
    group = SubGroup.objects.filter(delegation=delegation).first()
    pages = [
        f"{base}/hosts/",
        f"{base}/hosts/new/",
        f"{base}/guests/",
        f"{base}/guests/new/",
        f"{base}/interpreters/",
        f"{base}/interpreters/new/",
        f"{base}/delegations/",
        f"{base}/delegations/new/",
        f"{base}/delegations/{delegation.pk}/",
        f"{base}/delegations/{delegation.pk}/delete/",
        f"{base}/subgroups/new/",
        f"{base}/subgroups/{group.pk}/",
    ]
    if host:
        pages += [
            f"{base}/hosts/{host.pk}/",
            f"{base}/hosts/{host.pk}/delete/",
            f"{base}/people/{host.pk}/windows/",
        ]
    if guest:
        pages += [f"{base}/guests/{guest.pk}/", f"{base}/guests/{guest.pk}/delete/"]
    if interpreter:
        pages += [
            f"{base}/interpreters/{interpreter.pk}/",
            f"{base}/interpreters/{interpreter.pk}/delete/",
        ]
    return pages


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_people_pages_pass_wcag_aa(browser, live_server, small_visit, locale):
    visit = small_visit
    host = factories.person(visit.owner, full_name="Jean-Paul Dupré")
    factories.window(visit, host, 0, "09:00", "12:00")
    factories.window(visit, host, 1, "14:00", "15:00", kind="preferred")
    activity = factories.activity(visit, factories.venue(visit), hosts=[host], title="Rencontre")
    delegation = visit.delegations.get()
    factories.guest(delegation, subgroup=delegation.subgroups.get())
    visit.interpreters.add(factories.interpreter(visit.owner))
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale=locale)
    login(page, live_server, f"/visits/{visit.pk}/hosts/")
    for path in people_pages(visit):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state()
        assert_accessible(page, path)
    # A form with its errors, and a delete refused with its reason.
    page.goto(f"{live_server.url}/visits/{visit.pk}/guests/new/")
    page.click("#save-guest")
    page.wait_for_load_state()
    assert page.locator(".edit-form .error").count() >= 2
    assert_accessible(page, "guest form with errors")
    page.goto(f"{live_server.url}/visits/{visit.pk}/hosts/{host.pk}/delete/")
    assert activity.title in page.locator("#still-used").inner_text()
    assert_accessible(page, "delete refused")
