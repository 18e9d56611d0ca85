"""The organiser's workbench in Chromium, in French: dragging a block (refused with its
reasons, or a new version), moving one with the keyboard, the checklist and the Check button
of a fresh visit, and pages that fit a 390 px phone."""

# ruff: noqa: F811 (aude_site is a fixture imported from test_timetable)
import datetime as dt

import pytest

from events.models import Person
from scheduling import services
from scheduling.models import ProgrammeVersion, Slot
from tests import factories
from tests.browser.moves import legal_move
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_timetable import aude_site, login  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}


def solved(browser, live_server, visit, viewport=None, locale="fr-FR"):
    """A page on the visit with version 1 built by the solver."""
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000}, locale=locale)
    login(page, live_server, f"/visits/{visit.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    return page


def block_of(page, slot: Slot):
    return page.locator(f'.block[data-slot="{slot.pk}"]')


def place(page, slot: Slot) -> tuple[str, int, int]:
    """Where a block is drawn: its day, and its offsets from that day's column."""
    return tuple(
        page.evaluate(
            """(id) => {
            const block = document.querySelector(`.block[data-slot="${id}"]`);
            const day = block.closest('.day-body');
            const b = block.getBoundingClientRect(), d = day.getBoundingClientRect();
            return [day.dataset.date, Math.round(b.left - d.left), Math.round(b.top - d.top)];
        }""",
            slot.pk,
        )
    )


def drag(page, slot: Slot, *, days: int = 0, minutes: int = 0) -> None:
    """Drag a block by whole days and minutes, as a person with a mouse would."""
    block_of(page, slot).scroll_into_view_if_needed()
    geometry = page.evaluate(
        """(id) => {
            const root = document.querySelector('.timetable');
            const block = document.querySelector(`.block[data-slot="${id}"]`);
            const bodies = [...document.querySelectorAll('.day-body')];
            const own = block.closest('.day-body');
            const b = block.getBoundingClientRect(), d = own.getBoundingClientRect();
            return {x: b.left + 20, y: b.top + 8, day: bodies.indexOf(own),
                    lefts: bodies.map(x => x.getBoundingClientRect().left), width: d.width,
                    height: d.height, span: root.dataset.last - root.dataset.first};
        }""",
        slot.pk,
    )
    x = geometry["lefts"][geometry["day"] + days] + 20 if days else geometry["x"]
    y = geometry["y"] + minutes / geometry["span"] * geometry["height"]
    page.mouse.move(geometry["x"], geometry["y"])
    page.mouse.down()
    for k in range(1, 6):  # several steps: a drag, not a click
        page.mouse.move(
            geometry["x"] + (x - geometry["x"]) * k / 5, geometry["y"] + (y - geometry["y"]) * k / 5
        )
    page.mouse.up()


def test_drag_that_breaks_a_rule_is_refused_and_the_block_returns(
    browser,
    live_server,
    aude_site,
    artifacts,
):
    page = solved(browser, live_server, aude_site)
    mayor = Slot.objects.get(
        version__number=1, activity__title__startswith="Rencontre avec le maire"
    )
    block = block_of(page, mayor)
    before = place(page, mayor)
    days_after = len(aude_site.days) - 1 - (mayor.start.date() - aude_site.start_date).days
    with page.expect_response(lambda r: r.url.endswith(f"/slots/{mayor.pk}/move/")) as answer:
        drag(page, mayor, days=days_after or -1, minutes=8 * 60)
    assert answer.value.status == 409
    page.wait_for_selector("#move-problems:not([hidden]) li")
    reasons = page.locator("#move-problems li").all_inner_texts()
    assert reasons == answer.value.json()["reasons"]
    assert reasons
    page.wait_for_timeout(400)  # the block slides back
    assert place(page, mayor) == before
    assert block.get_attribute("style").count("transform") == 0
    assert ProgrammeVersion.objects.count() == 1
    page.screenshot(path=artifacts / "workbench-drag-refused-fr.png", full_page=True)


def test_legal_drag_makes_a_version(browser, live_server, aude_site, artifacts):
    page = solved(browser, live_server, aude_site)
    chateau, minutes = legal_move(aude_site, aude_site.time_grid_minutes)
    with page.expect_response(lambda r: r.url.endswith(f"/slots/{chateau.pk}/move/")) as answer:
        drag(page, chateau, minutes=minutes)
    assert answer.value.status == 200
    page.wait_for_url(f"**/visits/{aude_site.pk}/versions/2/")
    moved = Slot.objects.get(version__number=2, activity=chateau.activity)
    assert moved.start == chateau.start + dt.timedelta(minutes=minutes)
    assert "version 2" in page.locator(".messages").inner_text()
    assert "Version 2" in page.locator(".version-badge").inner_text()
    page.screenshot(path=artifacts / "workbench-drag-accepted-fr.png", full_page=True)


def test_keyboard_moves_a_slot(browser, live_server, aude_site):
    page = solved(browser, live_server, aude_site)
    chateau, minutes = legal_move(aude_site, aude_site.time_grid_minutes)
    grid = aude_site.time_grid_minutes
    block_of(page, chateau).locator(".grip").focus()
    for _step in range(abs(minutes) // grid):
        page.keyboard.press("ArrowDown" if minutes > 0 else "ArrowUp")
    target = (chateau.start + dt.timedelta(minutes=minutes)).astimezone(factories.PARIS)
    assert target.strftime("%H:%M") in page.locator("#move-status").inner_text()
    # Escape puts it back; nothing is sent.
    page.keyboard.press("Escape")
    cancelled = page.locator(".timetable").get_attribute("data-msg-cancel")
    assert page.locator("#move-status").inner_text() == cancelled
    assert "transform" not in (block_of(page, chateau).get_attribute("style") or "")
    for _step in range(abs(minutes) // grid):
        page.keyboard.press("ArrowDown" if minutes > 0 else "ArrowUp")
    with page.expect_navigation(url=f"**/visits/{aude_site.pk}/versions/2/"):
        page.keyboard.press("Enter")
    moved = Slot.objects.get(version__number=2, activity=chateau.activity)
    assert moved.start == chateau.start + dt.timedelta(minutes=minutes)


def test_fresh_visit_shows_the_checklist_and_check_lists_problems(
    browser,
    live_server,
    aude_site,
    artifacts,
):
    org = aude_site.owner
    visit = factories.visit(org, title="Nouvelle visite")
    hall = factories.venue(visit, name="Mairie")
    host = Person.objects.create(owner=org, full_name="Hôte sans plage")
    factories.activity(visit, hall, hosts=[host], title="Accueil")
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    login(page, live_server, f"/visits/{visit.pk}/")
    missing = page.locator("ul.missing li").all_inner_texts()
    assert missing[0].startswith("Hôte sans plage")
    assert len(missing) == 2  # the host's window and the guests
    page.screenshot(path=artifacts / "workbench-checklist-fr.png", full_page=True)
    page.click("#check-button")
    page.wait_for_selector("#check-problems li")
    problems = page.locator("#check-problems li").all_inner_texts()
    assert problems == [
        "Hôte sans plage n'a aucune plage de disponibilité : “Accueil” ne peut pas être placé."
    ]
    page.screenshot(path=artifacts / "workbench-check-fr.png", full_page=True)


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_workbench_pages_pass_wcag_aa(browser, live_server, aude_site, locale):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale=locale)
    login(page, live_server, f"/visits/{aude_site.pk}/")
    assert_accessible(page, "visit page with its checklist")
    page.click("#check-button")
    page.wait_for_selector("#check-result")
    assert_accessible(page, "check page")
    page.goto(f"{live_server.url}/visits/{aude_site.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    assert_accessible(page, "visit page with movable blocks")


def test_pages_fit_a_phone(browser, live_server, aude_site, artifacts):
    page = solved(browser, live_server, aude_site, viewport=PHONE)
    services.version_publish(version=ProgrammeVersion.objects.get(number=1))
    pages = {
        "visits": "/",
        "visit": f"/visits/{aude_site.pk}/",
        "answers": f"/visits/{aude_site.pk}/confirmations/",
        "check": f"/visits/{aude_site.pk}/check/",
    }
    widths = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=artifacts / f"workbench-phone-{name}-fr.png", full_page=True)
    assert widths == dict.fromkeys(pages, 390)


def test_move_field_accepts_any_time_on_the_grid(browser, live_server, aude_site):
    """A slot at an odd minute (kept from an earlier grid) can still be moved to 14:30."""
    visit = factories.visit(aude_site.owner, time_grid_minutes=15, working_languages=["fr"])
    talk = factories.activity(visit, factories.venue(visit), title="Exposé")
    version = factories.programme_version(
        visit, [(talk, dt.datetime(2009, 4, 20, 9, 7, tzinfo=factories.PARIS))]
    )
    slot = version.slots.get()
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    login(page, live_server, f"/visits/{visit.pk}/")
    field = page.locator(f"#move-{slot.pk}")
    validity = "(input, value) => { input.value = value; return input.validity.stepMismatch; }"
    assert field.evaluate(validity, "2009-04-21T14:30") is False
    assert field.evaluate(validity, "2009-04-21T14:07") is True
    block_of(page, slot).locator("summary").click()
    field.fill("2009-04-21T14:30")
    with page.expect_navigation(url=f"**/visits/{visit.pk}/versions/2/"):
        block_of(page, slot).get_by_role("button", name="Déplacer", exact=True).click()
    assert version.programme.versions.get(number=2).slots.get().start == dt.datetime(
        2009, 4, 21, 14, 30, tzinfo=factories.PARIS
    )
