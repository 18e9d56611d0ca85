"""The printed programme in a real browser: French with English side by side, to A4 PDF."""

import pytest

from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_timetable import aude_site, login  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_booklet_prints_in_french_and_english(browser, live_server, aude_site, artifacts):  # noqa: F811
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    login(page, live_server, f"/visits/{aude_site.pk}/")
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    page.click("#booklet-link")
    page.select_option("#also", "en")
    page.click(".booklet-options button[type=submit]")
    page.wait_for_selector('.booklet td[lang="en"]')
    day_titles = page.locator(".booklet .day h2").all_inner_texts()
    assert day_titles[0] == "Mercredi 15 avril 2009 / Wednesday, April 15, 2009"
    assert (
        page.locator('.booklet td[lang="fr"] .kind').count()
        == page.locator('.booklet td[lang="en"] .kind').count()
    )
    assert page.locator(".booklet .contacts tbody tr").count() >= 1
    assert_accessible(page, "printed programme")
    page.emulate_media(media="print")
    assert page.locator(".booklet-options").is_hidden()
    pdf = page.pdf(path=str(artifacts / "booklet-fr-en.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
