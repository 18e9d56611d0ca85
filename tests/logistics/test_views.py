"""The organiser's printable logistics pages, each in its reader's language."""

from pathlib import Path

import pytest
from django.test import Client

from logistics.models import LetterTemplate, MealService
from tests import factories
from tests.logistics.conftest import at


@pytest.fixture
def client(organiser):
    c = Client()
    c.force_login(organiser)
    return c


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_pages_need_a_login(trip):
    response = Client().get(f"/visits/{trip.visit.pk}/logistics/")
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_pages_of_another_organisation_are_404(client, other_org):
    visit = factories.visit(other_org)
    assert client.get(f"/visits/{visit.pk}/logistics/").status_code == 404


def test_overview_lists_warnings_and_links(client, trip):
    trip.minibus.seats = 2
    trip.minibus.save()
    trip.publish_day_one()
    html = page(client, f"/visits/{trip.visit.pk}/logistics/")
    assert html.count('data-code="seats_short"') == 4
    assert "is short by 1 seats (3 people, 2 seats)." in html
    assert f"/visits/{trip.visit.pk}/logistics/guests/{trip.fiset.pk}/itinerary/" in html
    assert f"/visits/{trip.visit.pk}/logistics/vehicles/{trip.minibus.pk}/" in html
    assert f"/visits/{trip.visit.pk}/logistics/meals/{trip.restaurant.pk}/" in html


def test_rooming_list_per_night_and_hotel(client, trip):
    factories.stay(
        trip.visit,
        trip.hotel,
        trip.visit.start_date,
        trip.visit.start_date,
        guest=trip.fiset,
        room="Chambre 12",
    )
    html = page(client, f"/visits/{trip.visit.pk}/logistics/rooming/")
    assert html.count("<h2>Night of ") == 2
    assert "Night of Monday, April 20, 2009" in html
    assert "<td>Jacques Fiset</td><td>Chambre 12</td>" in html
    assert html.count("3 guests") == 2


def test_vehicle_sheet_is_in_the_drivers_language(client, trip):
    driver = factories.person(
        trip.visit.owner,
        full_name="Serge Bonnet",
        preferred_language="fr",
        phone="+33 4 68 00 00 01",
    )
    trip.minibus.driver = driver
    trip.minibus.save()
    trip.publish_day_one()
    html = page(client, f"/visits/{trip.visit.pk}/logistics/vehicles/{trip.minibus.pk}/")
    assert '<div lang="fr">' in html
    assert "<h2>lundi 20 avril 2009</h2>" in html
    assert html.count("data-leg=") == 4
    assert "Denison Jayasooria, Jacques Fiset et Patricia Tamini" in html
    english = page(
        client, f"/visits/{trip.visit.pk}/logistics/vehicles/{trip.minibus.pk}/", lang="en"
    )
    assert "<h2>Monday, April 20, 2009</h2>" in english


def test_meal_sheet_gives_numbers_and_diets_in_the_caterers_language(client, trip):
    MealService.objects.create(venue=trip.restaurant, caterer="Auberge", language="es")
    trip.publish_day_one()
    html = page(client, f"/visits/{trip.visit.pk}/logistics/meals/{trip.restaurant.pk}/")
    assert '<div lang="es">' in html
    assert "lunes, 20 de abril de 2009" in html
    assert '<td class="total">3</td>' in html
    assert "<li>halal: 1</li>" in html and "<li>vegetarian: 1</li>" in html


def test_meal_sheet_of_a_venue_without_meals_says_so(client, trip):
    MealService.objects.create(venue=trip.restaurant, serves_meals=False, language="en")
    trip.publish_day_one()
    html = page(client, f"/visits/{trip.visit.pk}/logistics/meals/{trip.restaurant.pk}/")
    assert "This venue does not serve meals" in html


def test_itinerary_in_the_guests_language_and_bilingual(client, trip):
    factories.journey(trip.fiset, trip.airport, at(0, 6, 30), reference="AF 7780")
    trip.publish_day_one()
    url = f"/visits/{trip.visit.pk}/logistics/guests/{trip.fiset.pk}/itinerary/"
    html = page(client, url)
    assert html.count('<article class="copy itinerary"') == 1
    assert '<article class="copy itinerary" lang="fr">' in html
    assert "<h2>lundi 20 avril 2009</h2>" in html
    assert "AF 7780" in html
    assert "Rencontre avec le maire" in html and "Place de la Mairie, Villerouge-Termenès" in html
    assert "Eric Andrieu (maire, +33 4 68 00 00 00)" in html
    assert "Minibus" in html
    both = page(client, url, lang="fr", also="en")
    assert '<article class="copy itinerary" lang="en">' in both
    assert "<h2>Monday, April 20, 2009</h2>" in both and "<h2>lundi 20 avril 2009</h2>" in both
    # The print rules are a static stylesheet (no <style> block under the CSP).
    assert "logistics/sheet.css" in both
    sheet = (
        Path(__file__).resolve().parents[2] / "logistics/static/logistics/sheet.css"
    ).read_text()
    assert "@media print" in sheet


def test_letter_in_french_and_in_the_guests_language(client, trip):
    LetterTemplate.objects.create(
        visit=trip.visit,
        language="en",
        subject="Invitation for {{ guest }}",
        body="We invite {{ guest }} ({{ country }}) from {{ arrival }} to {{ departure }}.",
        signature="The organisers",
    )
    url = f"/visits/{trip.visit.pk}/logistics/guests/{trip.jayasooria.pk}/letter/"
    html = page(client, url)
    assert html.count('<article class="copy letter"') == 2
    assert '<article class="copy letter" lang="fr">' in html
    assert "<h1>Invitation for Denison Jayasooria</h1>" in html
    assert (
        "We invite Denison Jayasooria (Malaysia) from Monday, April 20, 2009 to "
        "Wednesday, April 22, 2009." in html
    )
    # No French template: the default text, with French dates and country names.
    assert "Malaisie" in html and "lundi 20 avril 2009" in html


def test_letter_for_a_french_speaker_is_printed_once(client, trip):
    html = page(client, f"/visits/{trip.visit.pk}/logistics/guests/{trip.fiset.pk}/letter/")
    assert html.count('<article class="copy letter"') == 1


def test_visit_page_links_to_the_logistics(client, trip):
    html = page(client, f"/visits/{trip.visit.pk}/")
    assert f'href="/visits/{trip.visit.pk}/logistics/" id="logistics-link"' in html


def test_itinerary_and_meal_sheet_use_the_readers_activity_titles(client, trip):
    trip.meeting.titles = {"en": "Meeting the mayor"}
    trip.meeting.save()
    trip.lunch.titles = {"es": "Almuerzo en el albergue"}
    trip.lunch.save()
    MealService.objects.create(venue=trip.restaurant, language="es")
    trip.publish_day_one()
    base = f"/visits/{trip.visit.pk}/logistics/guests"
    english = page(client, f"{base}/{trip.jayasooria.pk}/itinerary/")
    assert "Meeting the mayor" in english and "Rencontre avec le maire" not in english
    french = page(client, f"{base}/{trip.fiset.pk}/itinerary/")
    assert "Rencontre avec le maire" in french and "Meeting the mayor" not in french
    meals = page(client, f"/visits/{trip.visit.pk}/logistics/meals/{trip.restaurant.pk}/")
    assert "<h2>Almuerzo en el albergue</h2>" in meals
