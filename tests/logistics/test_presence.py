"""Issue 14: each group is present from the end of its arrival transfer to the start of its
departure transfer (from the guests' journeys, else the visit's arrival and departure), and
every activity of the group lies inside it, in solving, moving by hand and publishing."""

import pytest

from scheduling import services
from scheduling.adapters import problem_from_visit
from scheduling.solver import validate
from tests import factories
from tests.logistics.conftest import at


def _no_interpretation(trip):
    """Every guest follows French and English, every activity is held in either: no
    interpreter is needed whichever way the languages are read."""
    from delegations.models import GuestLanguage

    trip.visit.activities.update(languages=["fr", "en"])
    for guest in trip.guests:
        for code in ("fr", "en"):
            GuestLanguage.objects.get_or_create(guest=guest, language=code)


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
    _no_interpretation(trip)
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


# ---- publishing asks for a confirmation first ----------------------------------------------
def _unpublished_before_arrival(trip):
    """Version 2 holds the first day's programme although the delegation arrives on day 2."""
    trip.publish_day_one(meeting=at(1, 10), lunch=at(1, 12), farm=at(1, 14))
    trip.visit.delegation_arrives = at(1, 9)
    trip.visit.save()
    return factories.programme_version(
        trip.visit,
        [(trip.meeting, at(0, 10)), (trip.lunch, at(0, 12)), (trip.visit_farm, at(0, 14))],
        publish=False,
    )


def test_publish_without_confirm_lists_each_problem_and_keeps_the_old_version(trip):
    version = _unpublished_before_arrival(trip)
    with pytest.raises(services.PublishNeedsConfirmation) as refused:
        services.version_publish(version=version, confirm=False)
    rules = sorted(v.rule for v in refused.value.violations)
    assert rules.count("presence") == 3
    trip.visit.programme.refresh_from_db()
    assert trip.visit.programme.current_version.number == 1


def test_publish_with_confirm_publishes_anyway(trip):
    version = _unpublished_before_arrival(trip)
    services.version_publish(version=version, confirm=True)
    trip.visit.programme.refresh_from_db()
    assert trip.visit.programme.current_version == version


def test_publish_of_a_clean_version_needs_no_confirmation(trip):
    trip.visit.delegation_arrives = at(0, 9)
    trip.visit.save()
    _no_interpretation(trip)
    factories.window(trip.visit, trip.mayor, 1, "08:30", "19:00")
    version = factories.programme_version(
        trip.visit,
        [(trip.meeting, at(1, 10)), (trip.lunch, at(1, 12)), (trip.visit_farm, at(1, 14))],
        publish=False,
    )
    assert services.version_publish_problems(version=version) == []
    services.version_publish(version=version, confirm=False)
    trip.visit.programme.refresh_from_db()
    assert trip.visit.programme.current_version == version


def test_logistics_warnings_ask_for_a_confirmation_too(trip):
    # Tamini flies home before the farm visit (Journey): a "not there" warning, and the
    # group's presence rule too.
    factories.journey(trip.tamini, trip.airport, at(0, 12), direction="departure")
    version = factories.programme_version(
        trip.visit,
        [(trip.meeting, at(0, 10)), (trip.lunch, at(0, 12)), (trip.visit_farm, at(0, 14))],
        publish=False,
    )
    problems = services.version_publish_problems(version=version)
    logistics = [p.params["message"] for p in problems if p.rule == "logistics"]
    assert any("Patricia Tamini" in message for message in logistics), logistics


def test_publish_page_lists_problems_and_publishes_on_confirm(trip, client, django_user_model):
    from tests import factories as f

    version = _unpublished_before_arrival(trip)
    client.force_login(f.organiser(trip.visit.owner, username="pub"))
    url = f"/visits/{trip.visit.pk}/versions/{version.number}/publish/"
    page = client.post(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("arrives on Tuesday") == 3, body
    assert 'name="confirm" value="1"' in body
    trip.visit.programme.refresh_from_db()
    assert trip.visit.programme.current_version.number == 1
    assert client.post(url, {"confirm": "1"}).status_code == 302
    trip.visit.programme.refresh_from_db()
    assert trip.visit.programme.current_version == version


def test_publish_api_answers_409_with_the_list_then_publishes_on_confirm(trip):
    from tests.conftest import ApiClient

    version = _unpublished_before_arrival(trip)
    api = ApiClient(factories.token_for(factories.organiser(trip.visit.owner, username="api")))
    path = f"/visits/{trip.visit.pk}/versions/{version.number}/publish"
    refused = api.post(path)
    assert refused.status_code == 409
    sentences = [v["sentence"] for v in refused.json()["violations"]]
    presence = [s for s in sentences if "arrives on Tuesday at" in s]
    assert len(presence) == 3, sentences
    assert presence[0].startswith("Délégation internationale arrives on Tuesday at 9:00")
    assert api.post(path + "?confirm=true").status_code == 200
    trip.visit.programme.refresh_from_db()
    assert trip.visit.programme.current_version == version
