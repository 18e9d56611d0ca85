"""Issue 14: each group is present from the end of its arrival transfer to the start of its
departure transfer (from the guests' journeys, else the visit's arrival and departure), and
every activity of the group lies inside it, in solving, moving by hand and publishing."""

import pytest

from scheduling import services
from scheduling.adapters import problem_from_visit
from scheduling.solver import validate
from tests import factories
from tests.logistics.conftest import at


def _group(trip):
    (group,) = problem_from_visit(trip.visit).problem.groups
    return group


def test_group_presence_from_the_guests_journeys(trip):
    # All land at 10:40 (45 min at the airport, 75 min to the hotel: ready 12:40); Tamini
    # lands later, at 13:00 (ready 15:00); all fly home on day 2 at 12:00 (2 h check-in and
    # 75 min to the airport: they leave the programme at 08:45).
    for guest in trip.guests:
        land = at(0, 13) if guest == trip.tamini else at(0, 10, 40)
        factories.journey(guest, trip.airport, land)
        factories.journey(guest, trip.airport, at(2, 12), direction="departure")
    assert _group(trip).presence == (15 * 60, 2 * 1440 + 8 * 60 + 45)


def test_group_presence_from_the_visit_when_no_journey_says(trip):
    trip.visit.delegation_arrives = at(0, 14)
    trip.visit.delegation_leaves = at(2, 11)
    trip.visit.save()
    assert _group(trip).presence == (14 * 60, 2 * 1440 + 11 * 60)


def test_journeys_win_over_the_visit_side_by_side(trip):
    trip.visit.delegation_arrives = at(0, 14)
    trip.visit.delegation_leaves = at(2, 11)
    trip.visit.save()
    for guest in trip.guests:
        factories.journey(guest, trip.airport, at(0, 8))
    assert _group(trip).presence == (10 * 60, 2 * 1440 + 11 * 60)


def test_no_presence_without_journeys_or_visit_times(trip):
    assert _group(trip).presence is None


def test_visit_time_grid_and_place_in_visit_reach_the_solver(trip):
    trip.visit.time_grid_minutes = 15
    trip.visit.save()
    trip.meeting.place_in_visit = "first"
    trip.meeting.save()
    problem = problem_from_visit(trip.visit).problem
    assert problem.time_grid == 15
    places = {a.id: a.place_in_visit for a in problem.activities}
    assert places == {trip.meeting.pk: "first", trip.lunch.pk: "", trip.visit_farm.pk: ""}


def test_solve_places_every_activity_inside_the_presence(trip):
    from tests.logistics.test_adapters import _solve

    trip.visit.delegation_arrives = at(1, 9)
    trip.visit.save()
    job = _solve(trip)
    assert job.state == "done", (job.message, job.conflicts)
    for slot in job.result_version.slots.all():
        assert slot.start >= at(1, 9), slot.activity.title
        assert slot.start.minute % 5 == 0


def test_move_before_the_arrival_is_refused(trip):
    version = trip.publish_day_one(meeting=at(1, 10), lunch=at(1, 12), farm=at(1, 14))
    trip.visit.delegation_arrives = at(1, 9)
    trip.visit.save()
    slot = version.slots.get(activity=trip.meeting)
    with pytest.raises(services.EditRefused) as refused:
        services.slot_move(slot=slot, start=at(0, 10))
    assert "presence" in {v.rule for v in refused.value.violations}


def test_check_reports_a_programme_before_the_arrival(trip):
    trip.publish_day_one()
    trip.visit.delegation_arrives = at(1, 9)
    trip.visit.save()
    from scheduling.services import _result_of

    bundle = problem_from_visit(trip.visit)
    version = trip.visit.programme.versions.get()
    rules = {v.rule for v in validate(bundle.problem, _result_of(version, bundle, {}))}
    assert "presence" in rules
