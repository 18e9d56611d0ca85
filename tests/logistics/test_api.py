"""The logistics API: entries with clear 422s, computed reads, constant queries per list."""

import pytest

from logistics.models import (
    ActivityGuest,
    Companion,
    LegAssignment,
    LetterTemplate,
    MealService,
)
from tests import factories
from tests.logistics.conftest import DAY1, at


@pytest.fixture
def api_trip(api, org, trip):
    api.get("/me")  # the first request of a token records its use
    return trip


def test_journey_create_and_read(api, api_trip):
    trip = api_trip
    response = api.post(
        f"/visits/{trip.visit.pk}/journeys",
        {
            "guest": trip.fiset.pk,
            "direction": "arrival",
            "mode": "train",
            "place": trip.airport.pk,
            "time": "2009-04-20T10:40:00+02:00",
            "reference": "TGV 6203",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("guest", "direction", "mode", "place", "reference")} == {
        "guest": trip.fiset.pk,
        "direction": "arrival",
        "mode": "train",
        "place": trip.airport.pk,
        "reference": "TGV 6203",
    }


def test_journey_departure_before_arrival_is_422(api, api_trip):
    trip = api_trip
    factories.journey(trip.fiset, trip.airport, at(0, 10))
    response = api.post(
        f"/visits/{trip.visit.pk}/journeys",
        {
            "guest": trip.fiset.pk,
            "direction": "departure",
            "place": trip.airport.pk,
            "time": "2009-04-20T09:00:00+02:00",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.time", "reason": "The departure is before the arrival."}
    ]


def test_journey_for_a_guest_of_another_visit_is_422(api, api_trip, org):
    trip = api_trip
    stranger = factories.guest(factories.delegation(factories.visit(org)))
    response = api.post(
        f"/visits/{trip.visit.pk}/journeys",
        {
            "guest": stranger.pk,
            "direction": "arrival",
            "place": trip.airport.pk,
            "time": "2009-04-20T09:00:00+02:00",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.guest", "reason": f"No such guest here (id {stranger.pk})."}
    ]


def test_vehicle_with_no_seats_is_422(api, api_trip):
    response = api.post(f"/visits/{api_trip.visit.pk}/vehicles", {"name": "Vélo", "seats": 0})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.seats", "reason": "A vehicle needs at least one passenger seat."},
    ]


def test_vehicle_with_a_driver_of_another_organisation_is_422(api, api_trip, other_org):
    stranger = factories.person(other_org)
    response = api.post(
        f"/visits/{api_trip.visit.pk}/vehicles",
        {"name": "Car", "seats": 3, "driver": stranger.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.driver"


def test_stay_for_two_scopes_is_422(api, api_trip):
    trip = api_trip
    response = api.post(
        f"/visits/{trip.visit.pk}/stays",
        {
            "venue": trip.hotel.pk,
            "first_night": "2009-04-20",
            "last_night": "2009-04-21",
            "guest": trip.fiset.pk,
            "delegation": trip.delegation.pk,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.guest", "reason": "Give a delegation, a sub-group or a guest, not several."}
    ]


def test_letter_template_with_unknown_placeholder_is_422(api, api_trip):
    response = api.post(
        f"/visits/{api_trip.visit.pk}/letter-templates",
        {"language": "fr", "subject": "Invitation", "body": "Bonjour {{ passport }}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.body", "reason": "Unknown placeholders: passport."}
    ]


def test_unknown_field_is_422(api, api_trip):
    response = api.post(
        f"/visits/{api_trip.visit.pk}/vehicles", {"name": "Car", "seats": 3, "wheels": 4}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.wheels"


def test_logistics_of_another_organisation_is_404(api, other_org):
    visit = factories.visit(other_org)
    assert api.get(f"/visits/{visit.pk}/logistics").status_code == 404
    assert api.get(f"/visits/{visit.pk}/vehicles").status_code == 404


def test_logistics_read_follows_the_published_version(api, api_trip):
    trip = api_trip
    trip.publish_day_one()
    body = api.get(f"/visits/{trip.visit.pk}/logistics").json()
    assert body["version"] == 1
    assert [(leg["origin_name"], leg["people"], leg["seats"]) for leg in body["legs"]] == [
        ("Hôtel de la Cité", 3, 8),
        ("Mairie de Villerouge", 3, 8),
        ("Auberge du Château", 3, 8),
        ("Ferme de Sarrant", 3, 8),
    ]
    assert body["meals"][0]["diets"] == {"halal": 1, "vegetarian": 1, "": 1}
    assert body["meals"][0]["total"] == 3
    assert [night["night"] for night in body["rooming"]] == ["2009-04-20", "2009-04-21"]
    assert body["warnings"] == []


def test_warnings_endpoint_lists_shortfalls_with_their_leg(api, api_trip):
    trip = api_trip
    trip.minibus.seats = 1
    trip.minibus.save()
    trip.publish_day_one()
    warnings = api.get(f"/visits/{trip.visit.pk}/logistics/warnings").json()
    assert [(w["code"], w["refs"]["missing"]) for w in warnings] == [("seats_short", 2)] * 4


def test_unknown_version_is_404(api, api_trip):
    assert api.get(f"/visits/{api_trip.visit.pk}/logistics", version=7).status_code == 404


def test_itinerary_in_the_guests_language(api, api_trip):
    trip = api_trip
    trip.publish_day_one()
    body = api.get(
        f"/visits/{trip.visit.pk}/logistics/guests/{trip.jayasooria.pk}/itinerary"
    ).json()
    assert body["language"] == "en"
    (day,) = body["days"][:1]
    assert day["lodging"] == "Hôtel de la Cité"
    assert [item["title"] for item in day["items"]][:2] == [
        "Ride to Mairie de Villerouge",
        "Rencontre avec le maire",
    ]
    assert (
        api.get(f"/visits/{trip.visit.pk}/logistics/guests/{trip.fiset.pk}/itinerary").json()[
            "language"
        ]
        == "fr"
    )


def test_diff_between_versions_lists_leg_and_meal_changes(api, api_trip):
    trip = api_trip
    trip.publish_day_one()
    trip.publish_day_one(farm=at(1, 14))
    body = api.get(f"/visits/{trip.visit.pk}/logistics/diff/1/2").json()
    assert [(leg["origin"], leg["destination"]) for leg in body["legs"]["added"]] == [
        (trip.restaurant.pk, trip.hotel.pk),
        (trip.hotel.pk, trip.farm.pk),
        (trip.farm.pk, trip.hotel.pk),
    ]
    assert [(leg["origin"], leg["destination"]) for leg in body["legs"]["removed"]] == [
        (trip.restaurant.pk, trip.farm.pk),
        (trip.farm.pk, trip.hotel.pk),
    ]
    assert body["meals"] == {"added": [], "removed": [], "changed": []}
    assert body["lodging"] == []


def _journeys(trip, n):
    for guest in trip.guests[:n]:
        factories.journey(guest, trip.airport, at(0, 8))


def _stays(trip, n):
    for i in range(n):
        factories.stay(trip.visit, trip.hotel, DAY1, DAY1, guest=trip.guests[i], room=str(i))


def _vehicles(trip, n):
    trip.minibus.delete()
    for i in range(n):
        factories.vehicle(trip.visit, name=f"Car {i}", driver=trip.mayor)


def _legs(trip, n):
    for i in range(n):
        LegAssignment.objects.create(visit=trip.visit, leg_key=f"L{i}", vehicle=trip.minibus)


def _meals(trip, n):
    for venue in (trip.restaurant, trip.farm, trip.townhall)[:n]:
        MealService.objects.create(venue=venue)


def _required(trip, n):
    for guest in trip.guests[:n]:
        ActivityGuest.objects.create(activity=trip.meeting, guest=guest)


def _letters(trip, n):
    for code in ("fr", "en", "es")[:n]:
        LetterTemplate.objects.create(visit=trip.visit, language=code, subject="S", body="B")


def _snapshots(trip, n):
    for i in range(n):
        trip.publish_day_one(farm=at(i, 14))


def _companions(trip, n):
    for _ in range(n):
        Companion.objects.create(visit=trip.visit, person=factories.person(trip.visit.owner))


LISTS = {
    "journeys": _journeys,
    "stays": _stays,
    "vehicles": _vehicles,
    "leg-assignments": _legs,
    "meal-services": _meals,
    "required-guests": _required,
    "letter-templates": _letters,
    "companions": _companions,
    "logistics/snapshots": _snapshots,
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_endpoint_uses_constant_queries(api, api_trip, name, count, django_assert_num_queries):
    trip = api_trip
    if name == "stays":
        trip.visit.stays.all().delete()
    LISTS[name](trip, count)
    # token (with its organisation), visit, count, page
    with django_assert_num_queries(4):
        response = api.get(f"/visits/{trip.visit.pk}/{name}")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_update_and_delete_a_vehicle(api, api_trip):
    trip = api_trip
    url = f"/visits/{trip.visit.pk}/vehicles/{trip.minibus.pk}"
    response = api.put(url, {"name": "Minibus", "seats": 9})
    assert (response.status_code, response.json()["seats"]) == (200, 9)
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_itinerary_in_an_unknown_language_is_422(api, api_trip):
    trip = api_trip
    url = f"/visits/{trip.visit.pk}/logistics/guests/{trip.fiset.pk}/itinerary"
    response = api.get(url, lang="00000000000")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "query.lang", "reason": "Give one of: fr, en, es."}
    ]


def test_itinerary_of_a_guest_preferring_a_language_without_interface_is_english(api, api_trip):
    trip = api_trip
    trip.tamini.preferred_language = "mos"
    trip.tamini.save()
    url = f"/visits/{trip.visit.pk}/logistics/guests/{trip.tamini.pk}/itinerary"
    assert api.get(url).json()["language"] == "en"


def test_itinerary_follows_the_published_version(api, api_trip):
    trip = api_trip
    url = f"/visits/{trip.visit.pk}/logistics/guests/{trip.jayasooria.pk}/itinerary"

    def farm_day():
        days = api.get(url).json()["days"]
        return [
            d["day"] for d in days for item in d["items"] if item["title"] == "Visite de la ferme"
        ]

    trip.publish_day_one()
    assert farm_day() == ["2009-04-20"]
    trip.publish_day_one(farm=at(1, 14))
    assert farm_day() == ["2009-04-21"]


def test_companion_of_another_organisation_is_422(api, api_trip, other_org):
    stranger = factories.person(other_org)
    response = api.post(f"/visits/{api_trip.visit.pk}/companions", {"person": stranger.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.person", "reason": f"No such person here (id {stranger.pk})."}
    ]


def _feed(trip, guest) -> str:
    from django.test import Client

    from scheduling.access import AccessToken, access_token_create

    key = access_token_create(
        visit=trip.visit,
        purpose=AccessToken.Purpose.FEED,
        subject="guest" if guest else "programme",
        subject_id=guest.pk if guest else None,
        language="en",
    )[1]
    response = Client().get(f"/feeds/{key}.ics")
    assert response.status_code == 200
    return response.content.decode().replace("\r\n ", "")


def test_journey_shows_in_that_guests_feed_only_and_leaves_it_when_deleted(api, api_trip):
    trip = api_trip
    trip.publish_day_one()
    created = api.post(
        f"/visits/{trip.visit.pk}/journeys",
        {
            "guest": trip.fiset.pk,
            "direction": "arrival",
            "mode": "plane",
            "place": trip.airport.pk,
            "time": "2009-04-20T08:40:00+02:00",
            "reference": "AF 7780",
        },
    )
    assert created.status_code == 201, created.json()
    own = _feed(trip, trip.fiset)
    assert f"SUMMARY;LANGUAGE=en:Arrival: {trip.airport.name}\r\n" in own
    assert "DESCRIPTION;LANGUAGE=en:AF 7780\r\n" in own
    assert "DTSTART;TZID=Europe/Paris:20090420T084000\r\n" in own
    assert "AF 7780" not in _feed(trip, trip.jayasooria)  # another guest's flight
    assert "AF 7780" not in _feed(trip, None)  # nor in the whole programme

    deleted = api.delete(f"/visits/{trip.visit.pk}/journeys/{created.json()['id']}")
    assert deleted.status_code == 204
    # A removed event stays as cancelled only until it has passed; this 2009 one has.
    assert "AF 7780" not in _feed(trip, trip.fiset)
