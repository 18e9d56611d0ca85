"""Publishing a new version tells drivers and caterers what changed for them."""

import pytest
from django_q.conf import Conf

from events.models import TravelTime
from logistics.diff import logistics_diff
from logistics.models import LogisticsSnapshot, MealService
from notifications.models import PendingChange
from scheduling import services
from tests import factories
from tests.logistics.conftest import at


@pytest.fixture
def q_sync(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def staffed(trip):
    trip.minibus.driver = factories.person(
        trip.visit.owner,
        full_name="Serge Bonnet",
        email="chauffeur@example.org",
        preferred_language="en",
    )
    trip.minibus.save()
    MealService.objects.create(
        venue=trip.restaurant, email="auberge@example.org", contact_name="Auberge", language="en"
    )
    return trip


def test_publishing_tells_the_driver_and_the_caterer(
    staffed, q_sync, django_capture_on_commit_callbacks
):
    trip = staffed
    # Tamini's train comes at 12:30: she misses lunch at 12:00 but not at 13:00.
    factories.journey(trip.tamini, trip.airport, at(0, 12, 30), mode="train", transfer=False)
    with django_capture_on_commit_callbacks(execute=True):
        trip.publish_day_one()
    assert PendingChange.objects.count() == 0  # the first publication changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        trip.publish_day_one(lunch=at(0, 13), farm=at(1, 14))
    driver = list(
        PendingChange.objects.filter(email="chauffeur@example.org")
        .order_by("pk")
        .values_list("line", flat=True)
    )
    # In version 1 the minibus drove Tamini to the farm, so the restaurant → farm leg (at the
    # same time) was never the driver's; in version 2 it cannot fetch her at the hotel for
    # lunch (it is at the town hall until 11:35), so that new leg is not the driver's either.
    assert driver == [
        "New: Auberge du Château → Hôtel de la Cité, Monday, April 20, 2009 2:00\u202fPM, "
        "3 people.",
        "New: Hôtel de la Cité → Ferme de Sarrant, Tuesday, April 21, 2009 12:30\u202fPM, "
        "3 people.",
        "New: Ferme de Sarrant → Hôtel de la Cité, Tuesday, April 21, 2009 4:00\u202fPM, 3 people.",
        "Cancelled: Hôtel de la Cité → Ferme de Sarrant, Monday, April 20, 2009 12:30\u202fPM.",
        "Cancelled: Ferme de Sarrant → Hôtel de la Cité, Monday, April 20, 2009 4:00\u202fPM.",
    ]
    (line,) = PendingChange.objects.filter(email="auberge@example.org").values_list(
        "line", flat=True
    )
    assert line == (
        "Changed: Déjeuner à l'auberge, Monday, April 20, 2009 1:00\u202fPM: 3 covers "
        "(2 covers before); halal: 1, vegetarian: 1, —: 1."
    )


def test_driver_hears_in_their_language(staffed, q_sync, django_capture_on_commit_callbacks):
    trip = staffed
    trip.minibus.driver.preferred_language = "fr"
    trip.minibus.driver.save()
    with django_capture_on_commit_callbacks(execute=True):
        trip.publish_day_one()
    with django_capture_on_commit_callbacks(execute=True):
        trip.publish_day_one(farm=at(1, 14))
    lines = PendingChange.objects.filter(email="chauffeur@example.org")
    assert {change.language for change in lines} == {"fr"}
    assert sum("mardi 21 avril 2009 12:30" in change.line for change in lines) == 1


def test_driver_with_a_language_the_site_lacks_hears_in_english(
    staffed, q_sync, django_capture_on_commit_callbacks
):
    # Mooré is a valid ISO 639 code with no Babel locale: the notice must not fail on it.
    trip = staffed
    trip.minibus.driver.preferred_language = "mos"
    trip.minibus.driver.save()
    with django_capture_on_commit_callbacks(execute=True):
        trip.publish_day_one()
    with django_capture_on_commit_callbacks(execute=True):
        trip.publish_day_one(farm=at(1, 14))
    lines = PendingChange.objects.filter(email="chauffeur@example.org")
    assert {change.language for change in lines} == {"en"}
    assert sum("Tuesday, April 21, 2009 12:30\u202fPM" in change.line for change in lines) == 1


def test_diff_of_identical_versions_is_empty(trip):
    first = trip.publish_day_one()
    second = trip.publish_day_one()
    diff = logistics_diff(visit=trip.visit, old=first, new=second)
    assert diff == {
        "old": 1,
        "new": 2,
        "legs": {"added": [], "removed": [], "changed": []},
        "meals": {"added": [], "removed": [], "changed": []},
        "lodging": [],
    }


def test_diff_from_nothing_lists_every_leg_and_meal(trip):
    version = trip.publish_day_one()
    diff = logistics_diff(visit=trip.visit, old=None, new=version)
    assert (len(diff["legs"]["added"]), len(diff["meals"]["added"])) == (4, 1)
    assert len(diff["lodging"]) == 6  # three guests, two nights


def test_publish_without_a_previous_version_queues_nothing(
    trip, django_capture_on_commit_callbacks
):
    version = factories.programme_version(trip.visit, [(trip.meeting, at(0, 10))], publish=False)
    with django_capture_on_commit_callbacks() as callbacks:
        services.version_publish(version=version)
    assert not any("logistics" in repr(c) for c in callbacks)


def test_each_publication_keeps_its_logistics(trip):
    first = trip.publish_day_one()
    second = trip.publish_day_one(farm=at(1, 14))
    assert LogisticsSnapshot.objects.count() == 2
    legs = first.logistics_snapshot.data["legs"]
    assert sorted(leg["destination"] for leg in legs.values()) == sorted(
        [trip.townhall.pk, trip.restaurant.pk, trip.farm.pk, trip.hotel.pk]
    )
    assert second.logistics_snapshot.data["version"] == 2


def test_a_change_of_hotel_between_publications_reaches_the_driver(
    staffed, q_sync, django_capture_on_commit_callbacks
):
    trip = staffed
    with django_capture_on_commit_callbacks(execute=True):
        first = trip.publish_day_one()
    gite = factories.venue(trip.visit, name="Gîte de Couiza", kind="lodging")
    for a, b in ((gite, trip.townhall), (trip.farm, gite)):
        TravelTime.objects.create(visit=trip.visit, origin=a, destination=b, minutes=30)
    trip.visit.stays.update(venue=gite)
    with django_capture_on_commit_callbacks(execute=True):
        second = trip.publish_day_one()
    # Same slots: under today's stays the two versions do not differ...
    assert logistics_diff(visit=trip.visit, old=first, new=second)["lodging"] == []
    # ...but as published they do, and the driver hears of the legs that changed.
    published = logistics_diff(visit=trip.visit, old=first, new=second, stored=True)
    assert len(published["lodging"]) == 6
    assert published["lodging"][0]["before"] == trip.hotel.pk
    assert published["lodging"][0]["after"] == gite.pk
    lines = list(
        PendingChange.objects.filter(email="chauffeur@example.org").values_list("line", flat=True)
    )
    assert lines == [
        "New: Gîte de Couiza → Mairie de Villerouge, Monday, April 20, 2009 9:30\u202fAM, "
        "3 people.",
        "New: Ferme de Sarrant → Gîte de Couiza, Monday, April 20, 2009 4:00\u202fPM, 3 people.",
        "Cancelled: Hôtel de la Cité → Mairie de Villerouge, Monday, April 20, 2009 9:15\u202fAM.",
        "Cancelled: Ferme de Sarrant → Hôtel de la Cité, Monday, April 20, 2009 4:00\u202fPM.",
    ]
