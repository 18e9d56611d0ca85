import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from delegations.models import Guest, LanguageDirection
from tests import factories


def test_guest_duplicate_in_delegation_is_rejected(visit):
    delegation = factories.delegation(visit)
    factories.guest(delegation, full_name="Ben Quiñones")
    duplicate = Guest(delegation=delegation, full_name="Ben Quiñones", country="PH")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert exc.value.messages == ["Guest with this Delegation and Full name already exists."]


def test_guest_departure_before_arrival_names_departure(visit):
    guest = factories.guest(factories.delegation(visit))
    guest.arrival = dt.datetime(2009, 4, 20, 10, tzinfo=dt.UTC)
    guest.departure = dt.datetime(2009, 4, 19, 10, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as exc:
        guest.full_clean()
    assert exc.value.message_dict["departure"] == ["The departure is before the arrival."]


def test_guest_unknown_country_names_country(visit):
    guest = factories.guest(factories.delegation(visit))
    guest.country = "QC"
    with pytest.raises(ValidationError) as exc:
        guest.full_clean()
    assert set(exc.value.message_dict) == {"country"}


def test_language_direction_database_rejects_same_language(org):
    interpreter = factories.interpreter(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        LanguageDirection.objects.create(interpreter=interpreter, source="fr", target="fr")


def test_interpreter_unknown_mode_names_modes(org):
    interpreter = factories.interpreter(org)
    interpreter.modes = ["telepathic"]
    with pytest.raises(ValidationError) as exc:
        interpreter.full_clean()
    assert set(exc.value.message_dict) == {"modes"}
