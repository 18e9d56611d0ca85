"""Every logistics model has its admin pages (list, add, change)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from logistics.models import (
    ActivityGuest,
    Companion,
    Journey,
    LegAssignment,
    LetterTemplate,
    MealService,
    Stay,
    Vehicle,
)
from tests import factories
from tests.logistics.conftest import at


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_admin_pages_of_every_model(admin_client, trip):
    journey = factories.journey(trip.fiset, trip.airport, at(0, 9))
    rows = [
        journey,
        trip.visit.stays.first(),
        trip.minibus,
        LegAssignment.objects.create(visit=trip.visit, leg_key="L1", vehicle=trip.minibus),
        MealService.objects.create(venue=trip.restaurant),
        ActivityGuest.objects.create(activity=trip.meeting, guest=trip.fiset),
        LetterTemplate.objects.create(visit=trip.visit, language="fr", subject="S", body="B"),
        Companion.objects.create(visit=trip.visit, person=trip.mayor),
    ]
    models = {type(row) for row in rows}
    assert models == {
        Companion,
        Journey,
        Stay,
        Vehicle,
        LegAssignment,
        MealService,
        ActivityGuest,
        LetterTemplate,
    }
    for row in rows:
        base = f"/admin/logistics/{row._meta.model_name}/"
        for url in (base, f"{base}add/", f"{base}{row.pk}/change/"):
            assert admin_client.get(url).status_code == 200, url


def test_publication_records_are_read_only_in_the_admin(admin_client, trip):
    snapshot = trip.publish_day_one().logistics_snapshot
    base = "/admin/logistics/logisticssnapshot/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}{snapshot.pk}/change/").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{snapshot.pk}/change/", {"data": "{}"}).status_code == 403
