"""Issue 14 on the models: a fixed start off the visit's time grid and a delegation that
leaves before it arrives are refused on their field."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests import factories

PARIS = ZoneInfo("Europe/Paris")


def _activity(visit, minute: int):
    venue = factories.venue(visit)
    activity = factories.activity(visit, venue, title="Accueil", duration_minutes=60)
    activity.fixed_start = dt.datetime.combine(visit.start_date, dt.time(9, minute), PARIS)
    return activity


def test_fixed_start_on_the_grid_is_accepted(visit):
    visit.time_grid_minutes = 15
    _activity(visit, 45).full_clean()


def test_fixed_start_off_the_grid_names_the_field(visit):
    visit.time_grid_minutes = 15
    with pytest.raises(ValidationError) as refused:
        _activity(visit, 50).full_clean()
    assert refused.value.message_dict == {
        "fixed_start": ["The fixed start is not on the visit's 15-minute time grid."]
    }


def test_delegation_leaving_before_it_arrives_names_the_field(visit):
    visit.delegation_arrives = dt.datetime.combine(visit.start_date, dt.time(14), PARIS)
    visit.delegation_leaves = visit.delegation_arrives - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert refused.value.message_dict == {
        "delegation_leaves": ["The delegation leaves before it arrives."]
    }
