import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Activity, Availability, TravelTime, Visit
from tests import factories


def error_fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


def test_visit_clean_end_before_start_names_end_date(org):
    visit = Visit(
        owner=org,
        kind="delegation",
        title="T",
        slug="t",
        start_date=dt.date(2009, 4, 20),
        end_date=dt.date(2009, 4, 19),
    )
    with pytest.raises(ValidationError) as exc:
        visit.full_clean()
    assert "end_date" in error_fields(exc.value)


def test_visit_database_rejects_end_before_start(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            owner=org,
            kind="delegation",
            title="T",
            slug="t",
            start_date=dt.date(2009, 4, 20),
            end_date=dt.date(2009, 4, 19),
        )


def test_visit_unknown_language_code_names_field(org):
    visit = factories.visit(org)
    visit.working_languages = ["fr", "xx"]
    with pytest.raises(ValidationError) as exc:
        visit.full_clean()
    assert exc.value.message_dict["working_languages"] == [
        "“xx” is not an ISO 639 language code (for example “fr”, “en”, “es”)."
    ]


def test_visit_unknown_time_zone_names_field(org):
    visit = factories.visit(org)
    visit.time_zone = "Europe/Atlantis"
    with pytest.raises(ValidationError) as exc:
        visit.full_clean()
    assert error_fields(exc.value) == {"time_zone"}


def test_visit_lunch_longer_than_window_is_rejected(org):
    visit = factories.visit(org)
    visit.lunch_minutes = 180
    with pytest.raises(ValidationError) as exc:
        visit.full_clean()
    assert error_fields(exc.value) == {"lunch_minutes"}


def test_venue_unknown_country_names_field(visit):
    venue = factories.venue(visit)
    venue.country = "XX"
    with pytest.raises(ValidationError) as exc:
        venue.full_clean()
    assert error_fields(exc.value) == {"country"}


def test_travel_time_to_venue_of_another_visit_is_rejected(org, visit):
    here = factories.venue(visit)
    elsewhere = factories.venue(factories.visit(org))
    travel = TravelTime(visit=visit, origin=here, destination=elsewhere, minutes=30)
    with pytest.raises(ValidationError) as exc:
        travel.full_clean()
    assert exc.value.message_dict["destination"] == ["This venue belongs to another visit."]


def test_travel_time_database_rejects_same_venue(visit):
    here = factories.venue(visit)
    with pytest.raises(IntegrityError), transaction.atomic():
        TravelTime.objects.create(visit=visit, origin=here, destination=here, minutes=3)


def test_availability_end_before_start_names_end(org, visit):
    host = factories.person(org)
    start = dt.datetime(2009, 4, 20, 10, tzinfo=dt.UTC)
    window = Availability(visit=visit, person=host, start=start, end=start - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        window.full_clean()
    assert exc.value.message_dict["end"] == ["The window ends before it starts."]


def test_activity_longer_than_a_day_names_duration(visit):
    activity = factories.activity(visit, factories.venue(visit))
    activity.duration_minutes = 11 * 60  # the default day is 08:30–19:00 (630 minutes)
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert exc.value.message_dict["duration_minutes"] == [
        "The activity lasts longer than a programme day (630 minutes)."
    ]


def test_activity_duplicate_title_in_visit_is_rejected(visit):
    venue = factories.venue(visit)
    factories.activity(visit, venue, title="Meet the mayor")

    clone = Activity(visit=visit, venue=venue, title="Meet the mayor", duration_minutes=60)
    with pytest.raises(ValidationError) as exc:
        clone.full_clean()
    assert "__all__" in exc.value.message_dict or "title" in exc.value.message_dict


def test_activity_title_in_falls_back_to_the_language_then_the_title(visit):
    venue = factories.venue(visit)
    activity = factories.activity(visit, venue, title="Rencontre", titles={"en": "Meeting"})
    assert activity.title_in("en") == "Meeting"
    assert activity.title_in("en-GB") == "Meeting"
    assert activity.title_in("es") == "Rencontre"
    assert activity.title_in(None) == "Rencontre"


@pytest.mark.parametrize(
    "titles", [{"xx-nope": "Meeting"}, {"en": ""}, {"en": "x" * 201}, ["en", "Meeting"]]
)
def test_activity_bad_titles_name_the_field(visit, titles):
    venue = factories.venue(visit)
    activity = Activity(visit=visit, title="Rencontre", duration_minutes=60, venue=venue)
    activity.titles = titles
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert list(caught.value.message_dict) == ["titles"]


@pytest.mark.django_db
def test_visit_dates_far_from_today_are_refused_on_the_field_not_overflowed():
    """Year 1 minus a day overflowed the presence check's date maths (a 500 from the API)."""
    from planner.models import Organisation

    owner = Organisation.objects.create(name="Far dates")
    visit = Visit(
        owner=owner,
        kind="delegation",
        title="Far",
        slug="far",
        start_date=dt.date(1, 1, 1),
        end_date=dt.date(9999, 12, 31),
        delegation_arrives=dt.datetime(2009, 4, 20, 9, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert sorted(refused.value.message_dict) == ["end_date", "start_date"]
