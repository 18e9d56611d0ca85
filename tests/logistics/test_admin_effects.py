"""An edit in the admin has the same effects as the same edit in the pages or the API
(issue 17 part 6): a journey reaches the guests' feeds, windows merge, travel times follow."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from events.models import Availability, TravelTime, Venue
from logistics import signals
from logistics.models import Journey
from tests import factories
from tests.logistics.conftest import at


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def journeys_heard():
    heard = mock.Mock()
    signals.journeys_changed.connect(heard, dispatch_uid="test-admin-effects", weak=False)
    yield heard
    signals.journeys_changed.disconnect(dispatch_uid="test-admin-effects")


def _local(value: dt.datetime) -> dict:
    local = value.astimezone(dt.timezone(dt.timedelta(hours=2)))
    return {"time_0": local.strftime("%Y-%m-%d"), "time_1": local.strftime("%H:%M")}


def test_a_journey_added_changed_or_deleted_in_the_admin_reaches_the_feeds(
    admin_client, trip, journeys_heard
):
    response = admin_client.post(
        "/admin/logistics/journey/add/",
        {
            "guest": trip.fiset.pk,
            "direction": "arrival",
            "mode": "plane",
            "place": trip.airport.pk,
            **_local(at(0, 9)),
        },
    )
    journey = Journey.objects.filter(guest=trip.fiset).first()
    assert journey is not None, response.context["adminform"].form.errors
    assert journeys_heard.call_args.kwargs["visit"] == trip.visit
    admin_client.post(f"/admin/logistics/journey/{journey.pk}/delete/", {"post": "yes"})
    assert not Journey.objects.filter(pk=journey.pk).exists()
    assert journeys_heard.call_count == 2


def test_journeys_deleted_by_the_admins_bulk_action_each_reach_the_feeds(
    admin_client, trip, journeys_heard
):
    rows = [factories.journey(g, trip.airport, at(0, 9)) for g in (trip.fiset, trip.jayasooria)]
    admin_client.post(
        "/admin/logistics/journey/",
        {"action": "delete_selected", "_selected_action": [j.pk for j in rows], "post": "yes"},
    )
    assert not Journey.objects.filter(pk__in=[j.pk for j in rows]).exists()
    assert journeys_heard.call_count == 2


def test_touching_windows_added_in_the_admin_become_one(admin_client, trip):
    host = trip.mayor
    factories.window(trip.visit, host, 0, "09:00", "12:00")
    response = admin_client.post(
        "/admin/events/availability/add/",
        {
            "visit": trip.visit.pk,
            "person": host.pk,
            "kind": "available",
            "start_0": str(trip.visit.start_date),
            "start_1": "12:00",
            "end_0": str(trip.visit.start_date),
            "end_1": "15:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    windows = Availability.objects.filter(person=host, visit=trip.visit, kind="available")
    day_one = [w for w in windows if w.start.date() == trip.visit.start_date]
    assert len(day_one) == 1
    assert (day_one[0].end - day_one[0].start) == dt.timedelta(hours=6)


def test_a_venue_with_coordinates_added_in_the_admin_gets_estimated_travel_times(
    admin_client, trip
):
    trip.airport.latitude, trip.airport.longitude = 43.2157, 2.3063
    trip.airport.save()
    response = admin_client.post(
        "/admin/events/venue/add/",
        {
            "visit": trip.visit.pk,
            "name": "Gîte de Lagrasse",
            "kind": Venue.Kind.LODGING,
            "country": "FR",
            "latitude": "43.0919",
            "longitude": "2.6181",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    venue = Venue.objects.get(name="Gîte de Lagrasse")
    assert TravelTime.objects.filter(origin=venue, destination=trip.airport).exists()
