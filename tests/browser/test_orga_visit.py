"""An organiser of a new organisation sets up a visit in Chromium, in French, from an empty
list of visits: the visit, two venues, the travel page with its estimate (then corrected),
an activity with its hosts; every page fits a 390 px phone and passes axe-core in fr and en."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from events.models import Activity, Precedence, TravelTime, Venue, Visit
from planner.models import Organisation
from tests import factories
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def empty_organisation(transactional_db):
    org = Organisation.objects.create(name="Réseau rural d'Occitanie", kind="network")
    factories.organiser(org, username="organiser")
    return org


def sign_in(page, live_server, next_path="/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("#sign-in")
    page.wait_for_load_state()


def fits_a_phone(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_organiser_sets_up_a_visit_from_an_empty_organisation(
    browser, live_server, empty_organisation, artifacts
):
    org = empty_organisation
    # Hosts come from the people pages; here they are already in the organisation.
    factories.person(org, full_name="Jean Dupont", languages=["fr"])
    factories.person(org, full_name="Ana García", languages=["es", "fr"])
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    sign_in(page, live_server)

    assert page.locator("#first-steps").is_visible()
    page.screenshot(path=str(artifacts / "orga-visits-empty-fr.png"), full_page=True)
    page.click("#new-visit")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Nouvelle visite" or page.url.endswith("/visits/new/")
    page.fill("#id_title", "Visite d'étude en Haute Vallée de l'Aude")
    page.select_option("#id_kind", "learning_journey")
    page.fill("#id_start_date", "2026-05-12")
    page.fill("#id_end_date", "2026-05-14")
    assert page.locator("#id_time_zone").input_value() == "Europe/Paris"
    assert page.locator("#id_time_zone option[value='Europe/Paris']").inner_text() == "France"
    page.check("input[name=working_languages][value=fr]")
    page.check("input[name=working_languages][value=es]")
    page.select_option("#id_working_languages_other", "oc")
    page.select_option("#id_time_grid_minutes", "15")
    page.screenshot(path=str(artifacts / "orga-visit-new-fr.png"), full_page=True)
    page.click("#save-visit")
    page.wait_for_load_state()

    visit = Visit.objects.get(owner=org)
    assert visit.working_languages == ["fr", "es", "oc"]
    assert (visit.start_date, visit.time_grid_minutes) == (dt.date(2026, 5, 12), 15)
    assert page.url == f"{live_server.url}/visits/{visit.pk}/venues/"

    venues = [
        ("Mairie de Quillan", "1 place de la République", "Quillan", "42.8744", "2.1822"),
        ("Coopérative de Chalabre", "Route de Mirepoix", "Chalabre", "42.9826", "2.0021"),
    ]
    for name, address, city, lat, lon in venues:
        page.click("#add-venue")
        page.fill("#id_name", name)
        page.fill("#id_address", address)
        page.fill("#id_city", city)
        assert page.locator("#id_country").input_value() == "FR"
        page.fill("#id_latitude", lat)
        page.fill("#id_longitude", lon)
        page.check("#id_exclusive")
        page.fill("#id_capacity", "30")
        page.click("#save-venue")
        page.wait_for_load_state()
    assert page.locator("#venues tbody tr").count() == 2
    page.screenshot(path=str(artifacts / "orga-venues-fr.png"), full_page=True)

    page.click("#travel-link")
    page.wait_for_load_state()
    row = page.locator("#travel tbody tr")
    assert row.count() == 1
    assert row.locator(".badge.estimate").count() == 1
    estimate = TravelTime.objects.filter(visit=visit).first()
    assert estimate.source == "estimated"
    assert row.locator("input").input_value() == str(estimate.minutes)
    page.screenshot(path=str(artifacts / "orga-travel-estimate-fr.png"), full_page=True)
    row.locator("input").fill("35")
    page.click("#save-travel")
    page.wait_for_load_state()
    assert page.locator("#travel tbody tr .badge.entered").count() == 1
    assert sorted(TravelTime.objects.filter(visit=visit).values_list("minutes", "source")) == [
        (35, "entered"),
        (35, "entered"),
    ]

    page.click(".visit-nav a[href$='/activities/']")
    page.wait_for_load_state()
    assert page.locator(".empty").is_visible()
    page.click("#add-activity-link")
    page.fill("#id_title", "Accueil à la mairie")
    page.fill("#id_title_en", "Welcome at the town hall")
    page.fill("#id_duration_minutes", "60")
    page.select_option("#id_venue", label="Mairie de Quillan")
    page.check("#id_hosts_required input[type=checkbox] >> nth=1")  # Jean Dupont
    page.check("#id_hosts_optional input[type=checkbox] >> nth=0")  # Ana García
    page.check("input[name=languages][value=fr]")
    page.select_option("#id_interpretation_mode", "consecutive")
    page.check("input[name=place_in_visit][value=first]")
    page.fill("#id_earliest", "2026-05-12T09:00")
    page.screenshot(path=str(artifacts / "orga-activity-new-fr.png"), full_page=True)
    page.click("#add-activity")
    page.wait_for_load_state()
    welcome = Activity.objects.get(visit=visit)
    assert sorted((h.person.full_name, h.required) for h in welcome.host_links.all()) == [
        ("Ana García", False),
        ("Jean Dupont", True),
    ]
    assert (welcome.place_in_visit, welcome.titles) == ("first", {"en": "Welcome at the town hall"})
    assert welcome.earliest == dt.datetime(2026, 5, 12, 9, 0, tzinfo=PARIS)

    # A second activity after the first, refused once (a time outside the visit), then saved.
    page.click("#add-activity-link")
    page.fill("#id_title", "Visite de la coopérative")
    page.fill("#id_duration_minutes", "90")
    page.select_option("#id_venue", label="Coopérative de Chalabre")
    page.check("input[name=after]")
    page.fill("#id_fixed_start", "2026-06-01T10:00")
    page.click("#add-activity")
    page.wait_for_load_state()
    error = page.locator("#id_fixed_start-error")
    assert error.inner_text().startswith("Choisissez") or error.is_visible()
    page.screenshot(path=str(artifacts / "orga-activity-error-fr.png"), full_page=True)
    page.fill("#id_fixed_start", "")
    page.click("#add-activity")
    page.wait_for_load_state()
    assert page.locator("#activities tbody tr").count() == 2
    visit_tour = Activity.objects.get(visit=visit, title="Visite de la coopérative")
    assert list(Precedence.objects.values_list("before", "after")) == [(welcome.pk, visit_tour.pk)]
    page.screenshot(path=str(artifacts / "orga-activities-fr.png"), full_page=True)

    # Every page on a 390 px phone: no sideways scrolling.
    phone = browser.new_page(viewport=PHONE, locale="fr-FR")
    sign_in(phone, live_server)
    hall = Venue.objects.get(visit=visit, name="Mairie de Quillan")
    paths = {
        "visits": "/",
        "visit-new": "/visits/new/",
        "settings": f"/visits/{visit.pk}/settings/",
        "duplicate": f"/visits/{visit.pk}/duplicate/",
        "venues": f"/visits/{visit.pk}/venues/",
        "venue": f"/visits/{visit.pk}/venues/{hall.pk}/",
        "travel": f"/visits/{visit.pk}/travel/",
        "activities": f"/visits/{visit.pk}/activities/",
        "activity": f"/visits/{visit.pk}/activities/{welcome.pk}/",
        "activity-delete": f"/visits/{visit.pk}/activities/{welcome.pk}/delete/",
    }
    widths = {}
    for name, path in paths.items():
        phone.goto(f"{live_server.url}{path}")
        widths[name] = fits_a_phone(phone)
        phone.screenshot(path=str(artifacts / f"orga-phone-{name}-fr.png"), full_page=True)
    assert {name: w for name, w in widths.items() if w > 390} == {}


@pytest.fixture
def planned_visit(transactional_db):
    org = Organisation.objects.create(name="Réseau", kind="network")
    factories.organiser(org, username="organiser")
    visit = factories.visit(org, title="Aude", time_zone="Europe/Paris")
    hall = factories.venue(visit, name="Mairie", latitude=43.0, longitude=2.2)
    farm = factories.venue(visit, name="Ferme")
    TravelTime.objects.create(
        visit=visit, origin=hall, destination=farm, minutes=20, source="estimated"
    )
    host = factories.person(org, full_name="Le maire")
    delegation = factories.delegation(visit)
    delegation.subgroups.create(name="Élus")
    activity = factories.activity(visit, hall, hosts=[host], title="Accueil")
    factories.activity(visit, farm, title="Visite de la ferme")
    return visit, hall, activity


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_visit_pages_pass_wcag_aa(browser, live_server, planned_visit, locale):
    visit, hall, activity = planned_visit
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale=locale)
    sign_in(page, live_server)
    base = f"/visits/{visit.pk}"
    for path in (
        "/",
        "/visits/new/",
        f"{base}/settings/",
        f"{base}/duplicate/",
        f"{base}/venues/",
        f"{base}/venues/new/",
        f"{base}/venues/{hall.pk}/",
        f"{base}/travel/",
        f"{base}/activities/",
        f"{base}/activities/new/",
        f"{base}/activities/{activity.pk}/",
        f"{base}/activities/{activity.pk}/delete/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, path)
    # With errors on the fields.
    page.goto(f"{live_server.url}/visits/new/")
    page.click("#save-visit")
    page.wait_for_load_state()
    assert page.locator(".edit-form .error").count() >= 3
    assert_accessible(page, "new visit, with errors")
    page.goto(f"{live_server.url}{base}/venues/new/")
    page.fill("#id_latitude", "95")
    page.click("#save-venue")
    page.wait_for_load_state()
    assert page.locator(".edit-form .error").count() >= 2
    assert_accessible(page, "new venue, with errors")
    page.goto(f"{live_server.url}{base}/travel/")
    page.locator("#travel input").first.fill("-3")
    page.click("#save-travel")
    page.wait_for_load_state()
    assert page.locator(".travel-form .error").count() == 1
    assert_accessible(page, "travel, with an error")
    page.goto(f"{live_server.url}{base}/activities/new/")
    page.click("#add-activity")
    page.wait_for_load_state()
    assert page.locator(".edit-form .error").count() >= 2
    assert_accessible(page, "new activity, with errors")
