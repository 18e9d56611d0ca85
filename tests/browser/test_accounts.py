"""Accounts in a real browser: in French, an editor invites a colleague, who opens the link
from the email, chooses a password, lands on the visit list, signs out and in again; on a
desktop and on a 390 px phone. axe-core checks the account pages in fr and en."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_q.conf import Conf

from planner import services
from planner.models import Organiser
from tests import factories
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "Garrigue-en-fleurs-1789"


@pytest.fixture
def team_site(transactional_db, monkeypatch):
    org = factories.organisation(name="Réseau des Corbières")
    editor = factories.organiser(org, username="marie@example.org")
    editor.email = "marie@example.org"
    editor.save()
    visit = factories.visit(org, title="Délégation du Québec, avril 2009")
    # The live server sends the queued email itself, as a worker would.
    monkeypatch.setattr(Conf, "SYNC", True)
    return visit


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_load_state()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_an_invited_colleague_joins_in_french(
    browser, live_server, team_site, artifacts, width, name
):
    viewport = {"width": width, "height": 900}
    editor = browser.new_context(viewport=viewport, locale="fr-FR")
    page = editor.new_page()
    sign_in(page, live_server.url, "marie@example.org", "pw-for-tests-only")
    page.goto(f"{live_server.url}/accounts/team/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "marie@example.org" in page.locator("#members td").first.inner_text()
    page.fill("#id_email", "paul@example.org")
    page.select_option("#id_role", "viewer")
    assert page.locator("#id_language").input_value() == "fr"
    page.click("#invite-button")
    page.wait_for_selector("#invitations")
    assert "paul@example.org" in page.locator("#invitations").inner_text()
    page.screenshot(path=artifacts / f"accounts-team-fr-{name}.png", full_page=True)
    assert no_sideways_scroll(page)

    (message,) = mail.outbox
    assert message.to == ["paul@example.org"]
    path = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)

    colleague = browser.new_context(viewport=viewport, locale="fr-FR")
    page = colleague.new_page()
    page.goto(live_server.url + path)
    assert "Réseau des Corbières" in page.locator("h1").inner_text()
    page.screenshot(path=artifacts / f"accounts-invitation-fr-{name}.png", full_page=True)
    assert no_sideways_scroll(page)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("#accept-button")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    assert "Délégation du Québec, avril 2009" in page.locator("main").inner_text()
    # (The visit list's own phone layout is the visit pages' work, tested there.)
    page.screenshot(path=artifacts / f"accounts-joined-visits-fr-{name}.png", full_page=True)
    joined = Organiser.objects.get(user__email="paul@example.org")
    assert (joined.organisation.name, joined.role) == ("Réseau des Corbières", "viewer")

    page.click("#sign-out")
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    sign_in(page, live_server.url, "paul@example.org", PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert "Délégation du Québec, avril 2009" in page.locator("main").inner_text()
    # A viewer reads the team, and finds nothing there to change.
    page.goto(f"{live_server.url}/accounts/team/")
    assert page.locator("#invite-button").count() == 0
    editor.close()
    colleague.close()


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_account_pages_pass_wcag_aa(browser, live_server, team_site, artifacts, locale):
    org = team_site.owner
    editor = get_user_model().objects.get(username="marie@example.org")
    _invitation, key = services.invitation_create(
        organisation=org,
        email="paul@example.org",
        role="editor",
        language="fr",
        invited_by=editor,
    )
    services.api_token_create(user=editor, name="Tableur")
    short = locale[:2]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale=locale)
    base = live_server.url
    for path, name in (
        ("/accounts/login/", "sign-in"),
        (f"/accounts/invitation/{key}/", "invitation"),
        ("/accounts/invitation/" + "x" * 43 + "/", "invitation-invalid"),
        ("/accounts/password_reset/", "password-reset"),
        ("/accounts/reset/MQ/bad-token/", "password-reset-bad-link"),
    ):
        page.goto(base + path)
        assert_accessible(page, name)
        page.screenshot(path=artifacts / f"accounts-{name}-{short}.png", full_page=True)
    page.goto(base + "/accounts/password_reset/")
    page.fill("#id_email", "marie@example.org")
    page.click("#send-reset")
    page.wait_for_load_state()
    assert_accessible(page, "password-reset-sent")
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(base + link)
    page.wait_for_selector("#id_new_password1")
    assert_accessible(page, "password-reset-confirm")
    page.screenshot(path=artifacts / f"accounts-password-reset-confirm-{short}.png", full_page=True)

    sign_in(page, base, "marie@example.org", "pw-for-tests-only")
    for path, name in (
        ("/accounts/team/", "team"),
        ("/accounts/tokens/", "tokens"),
        ("/accounts/password_change/", "password-change"),
    ):
        page.goto(base + path)
        assert_accessible(page, name)
        page.screenshot(path=artifacts / f"accounts-{name}-{short}.png", full_page=True)
    page.goto(base + "/accounts/tokens/")
    page.fill("#id_name", "Agenda partagé")
    page.click("#create-token")
    page.wait_for_selector("#new-key")
    assert_accessible(page, "tokens with a new key")
    page.screenshot(path=artifacts / f"accounts-tokens-new-key-{short}.png", full_page=True)
    page.goto(base + "/accounts/team/")
    page.fill("#id_email", "not an address")
    page.click("#invite-button")
    page.wait_for_selector(".error")
    assert_accessible(page, "team with an error")
    page.screenshot(path=artifacts / f"accounts-team-error-{short}.png", full_page=True)
