"""A new organiser's whole visit in Chromium, in French (#13): from the link that sets their
first password to a published programme, following the setup path's "continue" buttons
(the journey benchmarks/pages/scratch.py counts). Then what the person sees: the published
timetable with the five activities on the visit's 5-minute grid, no admin page on the way,
the step pages on a 390 px phone without sideways scrolling, and axe-core on each step page
in French and English. Screenshots go to var/artefacts/scratch/."""

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django_q.conf import Conf

from events.models import Visit
from planner.models import Organisation, Organiser
from scheduling.models import Slot
from tests.browser.scratch_journey import Journey, run
from tests.browser.test_accessibility import assert_accessible
from web.accounts import password_set_link

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "artefacts" / "scratch"
PHONE = {"width": 390, "height": 844}
STEP_PAGES = (
    ("venues", "venues/"),
    ("hosts", "hosts/"),
    ("availability", "availability/"),
    ("guests", "guests/"),
    ("interpreters", "interpreters/"),
    ("interpreter-new", "interpreters/new/"),
    ("activities", "activities/"),
    ("visit", ""),
)


@pytest.fixture
def newcomer(transactional_db, monkeypatch):
    """What the operator's command makes: an organisation and its organiser, who has only the
    link to set a password. The programme is solved in the request (no worker here; the
    benchmark runs a real one)."""
    monkeypatch.setattr(Conf, "SYNC", True)
    org = Organisation.objects.create(name="Réseau Sud", kind="network", country="FR")
    user = get_user_model().objects.create_user(
        username="orga@example.org", email="orga@example.org"
    )
    user.set_unusable_password()
    user.save()
    Organiser.objects.create(user=user, organisation=org)
    return user


def test_new_organiser_enters_and_publishes_a_visit_in_the_pages(browser, live_server, newcomer):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    link = re.sub(r"^https?://[^/]+", live_server.url, password_set_link(newcomer))
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    journey = Journey(page, live_server.url)
    try:
        visit_id = run(journey, link)
    except Exception:
        page.screenshot(path=str(ARTEFACTS / "stopped-fr.png"), full_page=True)
        raise

    # The published timetable, as the person sees it: the five activities.
    page.wait_for_selector(".timetable .block")
    page.screenshot(path=str(ARTEFACTS / "published-fr.png"), full_page=True)
    blocks = page.locator(".timetable .block")
    assert blocks.count() == 5
    text = " ".join(blocks.all_inner_texts())
    for title in (
        "Accueil à la mairie",
        "Visite de la librairie",
        "Rencontre avec les élus",
        "Atelier économie solidaire",
        "Bilan de la visite",
    ):
        assert title in text
    assert "publié" in page.locator(".version-badge").inner_text()
    visit = Visit.objects.get(pk=visit_id)
    programme = visit.programme
    zone = ZoneInfo(visit.time_zone)
    slots = Slot.objects.filter(version=programme.current_version)
    assert slots.count() == 5
    for slot in slots:
        local = slot.start.astimezone(zone)
        assert local.minute % 5 == 0 and local.second == 0, slot

    # Nothing in the admin, and the figures of the issue's goal.
    assert journey.admin == 0
    assert journey.pages <= 15, journey.seen
    assert journey.fields <= 60
    print(journey.line())

    # The step pages on a phone: no sideways scrolling.
    phone = browser.new_context(locale="fr-FR", viewport=PHONE)
    phone.add_cookies(context.cookies())
    small = phone.new_page()
    for name, path in STEP_PAGES:
        small.goto(f"{live_server.url}/visits/{visit_id}/{path}")
        small.screenshot(path=str(ARTEFACTS / f"{name}-fr-390.png"), full_page=True)
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)
    phone.close()

    # axe-core on each step page, in French and in English.
    for locale, lang in (("fr-FR", "fr"), ("en-GB", "en")):
        reader = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
        reader.add_cookies(context.cookies())
        seen = reader.new_page()
        for name, path in STEP_PAGES[:-1]:
            seen.goto(f"{live_server.url}/visits/{visit_id}/{path}")
            if lang == "en":
                seen.screenshot(path=str(ARTEFACTS / f"{name}-en.png"), full_page=True)
            assert_accessible(seen, f"{name} ({lang})")
        # A refused row, as the person sees it.
        seen.goto(f"{live_server.url}/visits/{visit_id}/venues/")
        seen.fill("#id_add-0-city", "Sarrant")
        seen.click("#save-several")
        seen.wait_for_selector("#several-problems")
        seen.screenshot(path=str(ARTEFACTS / f"venues-refused-{lang}.png"), full_page=True)
        assert_accessible(seen, f"venues with a refused row ({lang})")
        reader.close()
    context.close()
