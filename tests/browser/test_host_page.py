"""A host's journey in a real browser, on a phone-sized screen, without JavaScript: open the
link in French, confirm one slot, decline another with a reason; the organiser sees both on
the dashboard; the re-plan has run; once published, the guest's feed shows the new time."""

import json
import re
from pathlib import Path

import pytest
from django_q.conf import Conf

from confirmations import links, proposals
from scheduling import services
from scheduling.access import AccessToken, access_token_create
from scheduling.models import Slot, SolveJob
from tests import factories
from web.seed import seed_load

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "web" / "demo" / "aude-2009.json"
ARTEFACTS = ROOT / "var" / "artefacts"
PHONE = {"width": 390, "height": 844}
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def aude_sent(transactional_db, monkeypatch):
    """The Aude programme solved, published and sent to its hosts."""
    visit = seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
    factories.organiser(visit.owner, username="organiser")
    # The live server runs queued jobs (the re-plan) itself, as a worker would.
    monkeypatch.setattr(Conf, "SYNC", True)
    job = services.solve_start(visit=visit, time_limit_s=20)
    job.refresh_from_db()
    assert job.state == SolveJob.State.DONE
    services.version_publish(version=job.result_version)
    proposals.proposals_send(visit=visit)
    return visit


def vevent(feed: str, title: str) -> str:
    for block in feed.split("BEGIN:VEVENT")[1:]:
        if title in block.replace("\r\n ", ""):
            return block
    raise AssertionError(f"no event {title!r}")


def dtstart(event: str) -> str:
    return re.search(r"DTSTART[^:]*:(\d{8}T\d{4})", event).group(1)


def test_host_confirms_and_declines_then_organiser_and_feed_follow(browser, live_server, aude_sent):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    visit = aude_sent
    laurent = visit.activities.get(title__startswith="Accueil").host_links.get().person
    _link, key = links.host_link_get(visit=visit, person=laurent)
    welcome = Slot.objects.get(
        version__programme__visit=visit, version__number=1, activity__title__startswith="Accueil"
    )
    exchange = Slot.objects.get(
        version__number=1, version__programme__visit=visit, activity__title__startswith="Échanges"
    )
    guest = visit.delegations.get().guests.get(full_name="Jacques Fiset")
    _token, feed_key = access_token_create(
        visit=visit, purpose=AccessToken.Purpose.FEED, subject="guest", subject_id=guest.pk
    )
    feed_url = f"{live_server.url}/feeds/{feed_key}.ics"

    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    before = page.request.get(feed_url).text()
    old_start = dtstart(vevent(before, "Échanges avec les membres"))

    # The host opens the link: French (their language), their three slots only.
    page.goto(f"{live_server.url}/host/{key}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("article.slot").count() == 3
    assert "mercredi 15 avril 2009" in page.locator(f"#slot-{welcome.pk} .when").inner_text()
    assert "Eric Andrieu" not in page.content()  # another host's meeting
    page.screenshot(path=ARTEFACTS / "host-page-fr.png", full_page=True)

    # Confirm the welcome meeting.
    with page.expect_navigation():
        page.locator(f"#slot-{welcome.pk} button[value=confirmed]").click()
    assert page.locator(f"#slot-{welcome.pk} .answer").get_attribute("data-answer") == "confirmed"

    # Decline the exchanges, with a reason (the details element opens without script).
    article = page.locator(f"#slot-{exchange.pk}")
    article.locator("details summary").first.click()
    article.locator("textarea[name=reason]").first.fill("Assemblée générale ce jour-là")
    with page.expect_navigation():
        article.locator("button[value=declined]").click()
    answer = page.locator(f"#slot-{exchange.pk} .answer")
    assert answer.get_attribute("data-answer") == "declined"
    assert "Assemblée générale ce jour-là" in answer.inner_text()
    page.screenshot(path=ARTEFACTS / "host-page-fr-answered.png", full_page=True)
    for lang in ("en", "es"):
        page.goto(f"{live_server.url}/host/{key}/?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        page.screenshot(path=ARTEFACTS / f"host-page-{lang}.png", full_page=True)
    context.close()

    # The decline started a re-plan, which the live server ran: version 2 moves the meeting.
    job = SolveJob.objects.get(kind=SolveJob.Kind.REPLAN)
    assert job.state == SolveJob.State.DONE
    moved = job.result_version.slots.get(activity=exchange.activity)
    assert moved.start != exchange.start
    kept = job.result_version.slots.get(activity=welcome.activity)
    assert (kept.start, kept.status, kept.locked) == (welcome.start, "confirmed", True)

    # The organiser sees both answers, then publishes the re-plan.
    organiser = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    organiser.goto(f"{live_server.url}/accounts/login/?next=/visits/{visit.pk}/confirmations/")
    organiser.fill("#id_username", "organiser")
    organiser.fill("#id_password", "pw-for-tests-only")
    with organiser.expect_navigation():
        organiser.click("#sign-in")
    confirmed = organiser.locator(f'tr[data-host="{laurent.pk}"][data-state="confirmed"]')
    declined = organiser.locator(f'tr[data-host="{laurent.pk}"][data-state="declined"]')
    assert confirmed.count() == 1 and declined.count() == 1
    assert "Assemblée générale ce jour-là" in declined.inner_text()
    organiser.screenshot(path=ARTEFACTS / "confirmations-dashboard-en.png", full_page=True)
    organiser.goto(f"{live_server.url}/visits/{visit.pk}/versions/{job.result_version.number}/")
    with organiser.expect_navigation():
        organiser.get_by_role("button", name="Publish this version").click()
    organiser.close()

    # The guest's feed follows the published version: the exchanges at their new time.
    after = browser.new_page()
    feed = after.request.get(feed_url).text()
    after.close()
    event = vevent(feed, "Échanges avec les membres")
    assert dtstart(event) != old_start
    assert int(re.search(r"SEQUENCE:(\d+)", event).group(1)) >= 1
    assert "STATUS:TENTATIVE" in event
