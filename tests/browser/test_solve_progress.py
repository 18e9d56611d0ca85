"""A solve under way, as the organiser sees it on a phone in French: the state, the time and
the gap in French words and French numbers (they were English words and '12.5')."""

# ruff: noqa: F811 (aude_site is a fixture imported from test_timetable)
import pytest

from scheduling.models import Programme, SolveJob
from tests.browser.test_timetable import aude_site, login  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser]


def test_the_progress_of_a_solve_reads_in_the_page_language(
    browser, live_server, aude_site, artifacts
):
    programme, _ = Programme.objects.get_or_create(visit=aude_site)
    progress = {"objective": -120.0, "bound": -140.0, "gap": 0.125, "elapsed_s": 3.25}
    SolveJob.objects.create(
        programme=programme, state=SolveJob.State.RUNNING, progress={**progress, "solutions": 4}
    )
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="fr-FR")
    login(page, live_server, f"/visits/{aude_site.pk}/")
    text = page.locator("#progress-text")
    page.locator("#progress-text", has_text="#4").wait_for()  # the first poll answered
    assert text.inner_text() == "en cours · 3,3\u00a0s · #4 · écart 12,5\u00a0%"
    assert page.locator("#progress-bar").evaluate("b => b.value") == 87.5
    page.screenshot(path=str(artifacts / "solve-progress-phone-fr.png"), full_page=True)
