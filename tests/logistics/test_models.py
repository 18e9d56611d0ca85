"""Bad input is refused with the field and the reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from logistics.models import Journey, LetterTemplate, Stay, Vehicle
from tests import factories
from tests.logistics.conftest import DAY1, at


def _errors(instance) -> dict:
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    return exc.value.message_dict


def test_journey_departure_before_arrival_is_refused(trip):
    factories.journey(trip.fiset, trip.airport, at(0, 10))
    departure = Journey(guest=trip.fiset, place=trip.airport, time=at(0, 9), direction="departure")
    assert _errors(departure) == {"time": ["The departure is before the arrival."]}


def test_journey_arrival_after_departure_is_refused(trip):
    factories.journey(trip.fiset, trip.airport, at(1, 10), direction="departure")
    arrival = Journey(guest=trip.fiset, place=trip.airport, time=at(1, 11), direction="arrival")
    assert _errors(arrival) == {"time": ["The departure is before the arrival."]}


def test_journey_at_another_visits_venue_is_refused(trip, org):
    elsewhere = factories.venue(factories.visit(org))
    journey = Journey(guest=trip.fiset, place=elsewhere, time=at(0, 9), direction="arrival")
    assert _errors(journey) == {"place": ["This venue belongs to another visit."]}


def test_vehicle_without_seats_is_refused(trip):
    assert _errors(Vehicle(visit=trip.visit, name="Vélo", seats=0)) == {
        "seats": ["A vehicle needs at least one passenger seat."]
    }
    with transaction.atomic(), pytest.raises(IntegrityError):
        Vehicle.objects.create(visit=trip.visit, name="Vélo", seats=0)


def test_vehicle_available_until_before_from_is_refused(trip):
    vehicle = Vehicle(
        visit=trip.visit, name="Car", seats=3, available_from=at(1, 9), available_until=at(0, 9)
    )
    assert _errors(vehicle) == {
        "available_until": ["“Available until” must be after “available from”."]
    }


def test_stay_for_a_guest_and_a_delegation_at_once_is_refused(trip):
    stay = Stay(
        visit=trip.visit,
        venue=trip.hotel,
        first_night=DAY1,
        last_night=DAY1,
        guest=trip.fiset,
        delegation=trip.delegation,
    )
    assert _errors(stay) == {"guest": ["Give a delegation, a sub-group or a guest, not several."]}


def test_stay_outside_the_visit_is_refused(trip):
    stay = Stay(
        visit=trip.visit, venue=trip.hotel, first_night=DAY1, last_night=DAY1 + dt.timedelta(days=5)
    )
    assert _errors(stay) == {
        "first_night": ["The nights must lie between the eve of the first day and the last day."]
    }


def test_stay_last_night_before_first_is_refused(trip):
    stay = Stay(
        visit=trip.visit, venue=trip.hotel, first_night=DAY1 + dt.timedelta(days=1), last_night=DAY1
    )
    assert _errors(stay) == {"last_night": ["The last night is before the first night."]}


def test_letter_template_with_unknown_placeholder_is_refused(trip):
    template = LetterTemplate(
        visit=trip.visit,
        language="fr",
        subject="Invitation",
        body="Bonjour {{ guest }}, votre passeport {{ passport }} {{ x.y }}",
    )
    assert _errors(template) == {"body": ["Unknown placeholders: passport, {{ x.y }}."]}
