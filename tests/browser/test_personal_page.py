"""Guests' and interpreters' own pages in a real browser at phone width: the organiser sends
the links (French), a Spanish-speaking guest opens hers from the email, sees her days in
Spanish and finds the subscribe links; an interpreter sees their assignments; after a
re-plan the moved activity is marked as changed; the organiser sees who was sent and who
opened. axe-core finds no WCAG 2.1 A/AA violation on the guest's page in fr, en and es."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django_q.conf import Conf

from delegations.models import Guest
from notifications.models import OutgoingEmail
from personal import links
from scheduling import services
from scheduling.models import InterpreterAssignment, Programme, Slot, SolveJob
from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_timetable import login
from web.seed import seed_load

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "web" / "demo" / "aude-2009.json"
SHOTS = ARTIFACTS / "personal"  # looked at by a person: kept with the others
PHONE = {"width": 390, "height": 844}
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def aude_published(transactional_db, monkeypatch):
    """The Aude programme solved and published; Ben Quiñones reads Spanish."""
    visit = seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
    factories.organiser(visit.owner, username="organiser")
    Guest.objects.filter(delegation__visit=visit, full_name="Ben Quiñones").update(
        preferred_language="es"
    )
    monkeypatch.setattr(Conf, "SYNC", True)
    job = services.solve_start(visit=visit, time_limit_s=20)
    job.refresh_from_db()
    assert job.state == SolveJob.State.DONE
    services.version_publish(version=job.result_version)
    return visit


def email_link(address: str) -> str:
    """The page link in the email sent to ``address``: its row in the email log says it was
    sent (its body is dropped once sent, it holds links), the message is in Django's test
    outbox."""
    row = OutgoingEmail.objects.filter(to_email=address).latest("pk")
    assert row.state == OutgoingEmail.State.SENT and row.language == "es"
    message = next(m for m in mail.outbox if address in m.to[0])
    return re.search(r"https?://\S+(/me/[A-Za-z0-9_-]{43}/)", message.body).group(1)


def test_guest_and_interpreter_pages_at_phone_width(browser, live_server, aude_published):
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = aude_published
    ben = Guest.objects.get(delegation__visit=visit, full_name="Ben Quiñones")

    # The organiser (French) sends every guest and interpreter their link.
    organiser = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    login(organiser, live_server, f"/visits/{visit.pk}/")
    organiser.click("#people-links-link")
    assert organiser.locator("html").get_attribute("lang") == "fr"
    organiser.click("#send-all")
    organiser.wait_for_load_state()
    row = organiser.locator(f'tr[data-kind="guest"][data-person="{ben.pk}"]')
    assert row.get_attribute("data-sent") == "yes"
    assert row.get_attribute("data-opened") == "no"

    # Ben opens the link from his email, on a phone: his days in Spanish.
    path = email_link("guest.philippines@example.org")
    context = browser.new_context(viewport=PHONE, locale="es-ES")
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "es"
    days = page.locator("section.day h2").all_inner_texts()
    assert days and all(re.search(r"de abril de 2009$", d) for d in days), days
    assert page.locator("li.entry.kind-activity").count() >= 5
    assert page.locator("a.map").count() >= 1
    # The subscribe links: webcal, Google, Outlook.com, the address to copy, a QR code.
    assert page.locator("#subscribe-webcal").get_attribute("href").startswith("webcal://")
    google = page.locator("#subscribe-google").get_attribute("href")
    assert google.startswith("https://calendar.google.com/calendar/render?cid=webcal")
    outlook = page.locator("#subscribe-outlook").get_attribute("href")
    assert outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?url=http")
    assert page.locator("#https-link").input_value().endswith(".ics")
    assert page.locator("#subscribe svg").count() == 1
    # Nothing of the other guests.
    content = page.content()
    for other in ("Jacques Fiset", "Denison Jayasooria", "halal", "guest.quebec@example.org"):
        assert other not in content
    page.screenshot(path=SHOTS / "guest-es.png", full_page=True)
    page.screenshot(path=SHOTS / "guest-es-top.png")
    page.locator("li.entry.kind-activity").first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "guest-es-day.png")
    page.locator("#subscribe").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "guest-es-subscribe.png")

    # axe-core on the guest's page in each language.
    for lang in ("fr", "en", "es"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page, f"guest page ({lang})")

    # An interpreter sees their assignments, directions and daily load.
    assigned = (
        InterpreterAssignment.objects.filter(slot__version__programme__visit=visit)
        .values_list("interpreter", flat=True)
        .order_by("interpreter")
        .first()
    )
    interpreter = visit.interpreters.get(pk=assigned)
    _link, key = links.personal_link_get(visit=visit, interpreter=interpreter)
    interp = context.new_page()
    interp.goto(f"{live_server.url}/me/{key}/?lang=en")
    assert interp.locator("li.entry.kind-assignment").count() >= 1
    assert "→" in interp.locator("dd.directions").first.inner_text()
    assert "of interpreting" in interp.locator("p.load").first.inner_text()
    interp.screenshot(path=SHOTS / "interpreter-en.png", full_page=True)
    interp.locator("li.entry.kind-assignment").first.scroll_into_view_if_needed()
    interp.screenshot(path=SHOTS / "interpreter-en-assignment.png")
    assert_accessible(interp, "interpreter page (en)")

    # A re-plan moves one of Ben's activities: his page marks it as changed.
    page.goto(live_server.url + path)
    activity = int(page.locator("li.entry.kind-activity").last.get_attribute("data-activity"))
    current = Programme.objects.get(visit=visit).current_version
    slot = Slot.objects.get(version=current, activity_id=activity)
    moved = services.slot_move(slot=slot, start=slot.start + dt.timedelta(minutes=60), force=True)
    services.version_publish(version=moved)
    page.reload()
    assert page.locator("#changes").is_visible()
    changed = page.locator(f'li.entry.changed[data-activity="{activity}"]')
    assert changed.count() == 1 and changed.locator(".badge").is_visible()
    changed.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "guest-es-changed.png")
    page.goto(live_server.url + path)
    page.screenshot(path=SHOTS / "guest-es-changes-top.png")

    # The organiser sees that Ben was sent his link and opened it.
    organiser.reload()
    row = organiser.locator(f'tr[data-kind="guest"][data-person="{ben.pk}"]')
    assert row.get_attribute("data-sent") == "yes"
    assert row.get_attribute("data-opened") == "yes"
    assert re.search(r"\d{1,2}:\d{2}", row.locator("td.opened").inner_text())
    organiser.screenshot(path=SHOTS / "organiser-fr.png", full_page=True)
    assert_accessible(organiser, "organiser's people links (fr)")
    # The hand-over sheet of a person's link: the address and its QR code, to print.
    row.locator("form[action$='/handover/'] button").click()
    organiser.wait_for_load_state()
    assert organiser.locator("#page-link").input_value().endswith(path)
    assert organiser.locator(".handover svg").count() == 2
    assert_accessible(organiser, "hand-over sheet (fr)")
    organiser.screenshot(path=SHOTS / "handover-fr.png", full_page=True)
    context.close()
