"""Issue 16: numbers and booleans that must not be coerced are refused (422 naming the field),
not stored as something else (`minutes: false` was a 0-minute travel time)."""

import pytest

from events.models import TravelTime
from tests import factories


@pytest.fixture
def places(visit):
    return factories.venue(visit, name="Mairie"), factories.venue(visit, name="Ferme")


@pytest.mark.parametrize("minutes", [False, True, "30", 30.5])
def test_travel_minutes_must_be_a_number(api, visit, places, minutes):
    origin, destination = places
    body = {"origin": origin.pk, "destination": destination.pk, "minutes": minutes}
    answer = api.post(f"/visits/{visit.pk}/travel-times", body)
    assert answer.status_code == 422, answer.content
    assert [e["field"] for e in answer.json()["errors"]] == ["body.payload.minutes"] or [
        e["field"] for e in answer.json()["errors"]
    ] == ["body.minutes"]
    assert not TravelTime.objects.filter(visit=visit).exists()


def test_travel_minutes_as_a_number_are_taken(api, visit, places):
    origin, destination = places
    body = {"origin": origin.pk, "destination": destination.pk, "minutes": 30}
    assert api.post(f"/visits/{visit.pk}/travel-times", body).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", True),
        ("capacity", "12"),
        ("exclusive", 1),
        ("exclusive", "true"),
    ],
)
def test_venue_capacity_and_flags_are_strict(api, visit, field, value):
    answer = api.post(f"/visits/{visit.pk}/venues", {"name": "Salle", field: value})
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"][0]["field"].endswith(field)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_minutes", False),
        ("duration_minutes", "60"),
        ("mandatory", 0),
        ("two_way", "no"),
        ("working_lunch", 1),
    ],
)
def test_activity_durations_and_flags_are_strict(api, visit, places, field, value):
    body = {"title": "Rencontre", "duration_minutes": 60, "venue": places[0].pk, field: value}
    answer = api.post(f"/visits/{visit.pk}/activities", body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"][0]["field"].endswith(field)


def test_interpreter_daily_cap_is_strict(api, org):
    person = factories.person(org, full_name="Ann Hitchman")
    body = {
        "person": person.pk,
        "modes": ["consecutive"],
        "directions": [{"source": "fr", "target": "en"}],
        "daily_cap_minutes": True,
    }
    answer = api.post("/interpreters", body)
    assert answer.status_code == 422, answer.content
    assert [e["field"] for e in answer.json()["errors"]] == ["body.daily_cap_minutes"]
    assert api.post("/interpreters", {**body, "daily_cap_minutes": 300}).status_code == 201


@pytest.mark.parametrize("start", [0, 1239868800, 1.5, True])
def test_an_instant_is_text_not_seconds_since_1970(api, visit, org, start):
    # pydantic's lax mode read 0 as 1970-01-01T00:00:00Z (schemathesis' negative cases).
    person = factories.person(org, full_name="Eric Andrieu")
    day = visit.start_date.isoformat()
    body = {"person": person.pk, "start": start, "end": f"{day}T12:00:00+02:00"}
    answer = api.post(f"/visits/{visit.pk}/availability", body)
    assert answer.status_code == 422, answer.content
    assert [e["field"] for e in answer.json()["errors"]] == ["body.start"]
    ok = {**body, "start": f"{day}T09:00:00+02:00"}
    assert api.post(f"/visits/{visit.pk}/availability", ok).status_code == 201
