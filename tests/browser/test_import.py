"""An organiser imports activities in a real browser: template, a file with one bad row, the
error by row and column, the corrected file, the import, and the activity in the programme."""

import csv
import io
import json
from pathlib import Path

import pytest
from django_q.conf import Conf

from events.models import Activity
from tests import factories
from web.seed import seed_load

DEMO = Path(__file__).resolve().parents[2] / "web" / "demo" / "aude-2009.json"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

GOOD = "Visite de la coopérative de Chalabre"
FIXED = "Rencontre avec les producteurs du marché de Quillan"


@pytest.fixture
def aude_site(transactional_db, monkeypatch):
    visit = seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
    factories.organiser(visit.owner, username="organiser")
    # The live server runs the queued solve itself, as a worker would.
    monkeypatch.setattr(Conf, "SYNC", True)
    return visit


def activity_row(header: list[str], **values) -> list[str]:
    return [values.get(name, "") for name in header]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def test_organiser_fixes_a_bad_row_and_imports(
    browser, live_server, aude_site, artifacts, tmp_path
):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    visit_path = f"/visits/{aude_site.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={visit_path}")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("#sign-in")
    page.wait_for_load_state()

    page.click("#import-link")
    page.wait_for_selector("#check-button")
    assert page.url == f"{live_server.url}/visits/{aude_site.pk}/import/"

    with page.expect_download() as download_info:
        page.click("#template-activities-csv")
    download = download_info.value
    assert download.suggested_filename == "activities-template.csv"
    template = Path(download.path()).read_text(encoding="utf-8-sig")
    header, example = list(csv.reader(io.StringIO(template)))
    assert header[:4] == ["title", "kind", "duration_minutes", "venue"]
    assert example[:3] == ["Visite du château", "visit", "90"]

    common = {
        "kind": "visit",
        "duration_minutes": "60",
        "venue": "Salle des fêtes de Quillan",
        "languages": "fr",
        "mandatory": "no",
        "value": "5",
    }
    good = activity_row(header, title=GOOD, hosts="Peter Wollny", **common)
    bad = activity_row(header, title=FIXED, hosts="Pierre Inconnu", **common)
    page.select_option("#import-kind", "activities")
    page.set_input_files(
        "#import-file", str(write_csv(tmp_path / "journey.csv", [header, good, bad]))
    )
    page.click("#check-button")
    page.wait_for_selector("#import-errors")

    cells = page.locator("#import-errors tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
    )
    assert cells == [["3", "hosts", "No host named “Pierre Inconnu”; import the hosts first."]]
    assert page.locator("#import-button").is_disabled()
    page.screenshot(path=artifacts / "import-errors.png", full_page=True)
    assert not Activity.objects.filter(title__in=[GOOD, FIXED]).exists()

    fixed = activity_row(header, title=FIXED, hosts="Claire Marty", **common)
    page.select_option("#import-kind", "activities")
    page.set_input_files(
        "#import-file", str(write_csv(tmp_path / "journey-fixed.csv", [header, good, fixed]))
    )
    page.click("#check-button")
    page.wait_for_selector("#import-summary")
    assert page.locator("#import-summary").inner_text() == (
        "2 to create, 0 to update, 0 unchanged."
    )
    assert page.locator("#import-errors").count() == 0
    assert not Activity.objects.filter(title__in=[GOOD, FIXED]).exists()

    with page.expect_navigation():
        page.click("#import-button")
    assert page.url == f"{live_server.url}{visit_path}"
    assert page.locator(".messages li").all_inner_texts() == [
        "Imported activities from journey-fixed.csv: 2 created, 0 updated, 0 unchanged."
    ]
    assert sorted(
        Activity.objects.filter(visit=aude_site, title__in=[GOOD, FIXED]).values_list(
            "title", "hosts__full_name"
        )
    ) == [(FIXED, "Claire Marty"), (GOOD, "Peter Wollny")]

    # The imported activities take part in the programme: placed, or listed as left out.
    page.click("#solve-button")
    page.wait_for_selector(".timetable .block")
    programme = page.locator("main").inner_text()
    assert GOOD in programme
    assert FIXED in programme
