"""A visit's own pages: create, change, duplicate, archive; the list of visits."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from delegations.models import Guest, SubGroup
from events.models import Activity, Availability, Precedence, TravelTime, Venue, Visit
from planner.models import Organiser
from scheduling.models import Programme
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def editor(org, client):
    client.force_login(factories.organiser(org, username="editor"))
    return client


@pytest.fixture
def viewer(org):
    user = factories.organiser(org, username="viewer")
    Organiser.objects.filter(user=user).update(role=Organiser.Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def visit_data(**changes) -> dict:
    data = {
        "title": "Visite d'étude en Aude",
        "kind": "delegation",
        "start_date": "2026-04-20",
        "end_date": "2026-04-23",
        "time_zone": "Europe/Paris",
        "working_languages": ["fr", "en"],
        "working_languages_other": "",
        "day_start": "08:30",
        "day_end": "19:00",
        "lunch_start": "12:00",
        "lunch_end": "14:00",
        "lunch_minutes": "60",
        "time_grid_minutes": "15",
        "interpretation_policy": "liaison",
        "format": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_visit_new_creates_the_visit_and_goes_to_its_venues(org, editor):
    response = editor.post("/visits/new/", visit_data(working_languages_other="oc"))
    visit = Visit.objects.get(owner=org)
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/venues/"
    assert (visit.title, visit.slug, visit.kind) == (
        "Visite d'étude en Aude",
        "visite-detude-en-aude",
        "delegation",
    )
    assert (visit.start_date, visit.end_date) == (dt.date(2026, 4, 20), dt.date(2026, 4, 23))
    assert visit.working_languages == ["fr", "en", "oc"]
    assert (visit.time_grid_minutes, visit.interpretation_policy) == (15, "liaison")
    assert (visit.day_start, visit.lunch_minutes) == (dt.time(8, 30), 60)


def test_visit_new_page_offers_zones_and_languages_by_name(editor):
    response = editor.get("/visits/new/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/Paris" selected>France</option>' in html
    assert '<option value="America/Toronto">Canada (Toronto)</option>' in html
    assert 'value="es"' in html and "espagnol" in html
    assert '<option value="oc">occitan</option>' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2026-04-19"}, "end_date", "The last day is before the first day."),
        ({"end_date": "2026-07-30"}, "end_date", "A visit lasts at most 61 days."),
        ({"day_end": "08:00"}, "day_end", "The day ends before it starts."),
        ({"lunch_minutes": "180"}, "lunch_minutes", "The lunch break is longer than its window."),
        ({"lunch_start": "07:00"}, "lunch_start", "The lunch window lies outside the day."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", None),
        ({"working_languages": ["xx"]}, "working_languages", None),
        ({"working_languages": [], "working_languages_other": ""}, "working_languages", None),
        ({"start_date": "20/04/2026"}, "start_date", None),
        ({"start_date": "0001-01-01"}, "start_date", "Pick a date between 2000 and 2100."),
        ({"end_date": "9999-12-31"}, "end_date", "Pick a date between 2000 and 2100."),
        ({"time_grid_minutes": "7"}, "time_grid_minutes", None),
        ({"lunch_minutes": "-5"}, "lunch_minutes", None),
    ],
)
def test_visit_new_refuses_a_bad_value_on_its_field(org, editor, changes, field, message):
    response = editor.post("/visits/new/", visit_data(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not Visit.objects.filter(owner=org).exists()


def test_visit_new_error_is_in_the_readers_language(org, editor):
    response = editor.post(
        "/visits/new/", visit_data(end_date="2026-04-01"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 422
    assert response.context["form"].errors["end_date"] == [
        "Le dernier jour précède le premier jour."
    ]


def test_visit_new_with_a_title_taken_says_so_on_the_title(org, editor):
    factories.visit(org, title="Visite d'étude en Aude")
    response = editor.post("/visits/new/", visit_data())
    assert response.status_code == 422
    assert response.context["form"].errors == {"title": ["Another visit already has this title."]}
    assert Visit.objects.filter(owner=org).count() == 1


def test_visit_new_refuses_a_viewer(viewer, org):
    assert viewer.get("/visits/new/").status_code == 403
    assert viewer.post("/visits/new/", visit_data()).status_code == 403
    assert not Visit.objects.exists()


def test_visit_edit_saves_settings_and_lodging(org, editor):
    visit = factories.visit(org, title="Aude")
    hotel = factories.venue(visit, name="Hôtel")
    data = visit_data(title="Aude 2026", lodging=str(hotel.pk), interpretation_policy="conference")
    response = editor.post(f"/visits/{visit.pk}/settings/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.title, visit.lodging_id, visit.interpretation_policy) == (
        "Aude 2026",
        hotel.pk,
        "conference",
    )
    assert visit.slug.startswith("visit-")  # the address stays the same


def test_visit_edit_page_shows_the_current_values(org, editor):
    visit = factories.visit(org, title="Aude", working_languages=["fr", "oc"])
    html = editor.get(f"/visits/{visit.pk}/settings/").content.decode()
    assert 'value="Aude"' in html
    assert 'value="oc" id="id_working_languages_1" checked' in html
    assert 'value="2009-04-20"' in html


def test_visit_edit_of_another_organisation_is_404(other_org, editor):
    other = factories.visit(other_org)
    assert editor.get(f"/visits/{other.pk}/settings/").status_code == 404
    assert editor.post(f"/visits/{other.pk}/settings/", visit_data()).status_code == 404
    assert editor.post(f"/visits/{other.pk}/archive/").status_code == 404
    assert editor.get(f"/visits/{other.pk}/duplicate/").status_code == 404


def test_visit_edit_refuses_a_viewer(org, viewer):
    visit = factories.visit(org, title="Aude")
    assert viewer.post(f"/visits/{visit.pk}/settings/", visit_data()).status_code == 403
    assert viewer.post(f"/visits/{visit.pk}/archive/").status_code == 403
    assert viewer.post(f"/visits/{visit.pk}/duplicate/", {}).status_code == 403
    visit.refresh_from_db()
    assert (visit.title, visit.archived_at) == ("Aude", None)


def test_visit_archive_moves_it_under_archived_and_back(org, editor):
    current = factories.visit(org, title="Current")
    old = factories.visit(org, title="Old")
    response = editor.post(f"/visits/{old.pk}/archive/")
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.archived_at is not None
    page = editor.get("/")
    assert [v.pk for v in page.context["visits"]] == [current.pk]
    assert [v.pk for v in page.context["archived"]] == [old.pk]
    assert 'id="archived-visits"' in page.content.decode()
    editor.post(f"/visits/{old.pk}/archive/", {"archived": "0"})
    old.refresh_from_db()
    assert old.archived_at is None


def test_visit_list_of_an_empty_organisation_says_what_to_do_first(editor):
    html = editor.get("/").content.decode()
    assert 'id="first-steps"' in html
    assert 'href="/visits/new/" id="new-visit"' in html


def test_visit_list_hides_new_visit_from_a_viewer(viewer):
    html = viewer.get("/").content.decode()
    assert 'id="new-visit"' not in html


@pytest.mark.parametrize("count", [1, 3])
def test_visit_list_queries_stay_constant(org, editor, count, django_assert_num_queries):
    for n in range(count):
        visit = factories.visit(org, title=f"V{n}")
        Programme.objects.create(visit=visit)
    factories.visit(org, title="Archived", archived_at=dt.datetime(2026, 1, 1, tzinfo=PARIS))
    # session, user, organiser, organisation, visits with their programmes
    with django_assert_num_queries(5):
        response = editor.get("/")
    assert len(response.context["visits"]) == count


@pytest.fixture
def full_visit(org):
    visit = factories.visit(org, title="Aude 2009", time_zone="Europe/Paris")
    hall = factories.venue(visit, name="Mairie", latitude=43.0, longitude=2.2)
    farm = factories.venue(visit, name="Ferme", latitude=43.1, longitude=2.3)
    visit.lodging = hall
    visit.save()
    TravelTime.objects.create(visit=visit, origin=hall, destination=farm, minutes=17)
    host = factories.person(org, full_name="Eric")
    first = factories.activity(
        visit,
        hall,
        hosts=[host],
        title="Accueil",
        fixed_start=dt.datetime(2009, 4, 20, 9, 0, tzinfo=PARIS),
        place_in_visit="first",
    )
    then = factories.activity(visit, farm, title="Visite de la ferme")
    Precedence.objects.create(visit=visit, before=first, after=then)
    delegation = factories.delegation(visit, name="Québec")
    group = delegation.subgroups.create(name="Élus", lodging=hall)
    guest = factories.guest(delegation, full_name="Marie", subgroup=group)
    guest.arrival = dt.datetime(2009, 4, 19, 18, 0, tzinfo=PARIS)
    guest.save()
    then.audience.set([group])
    factories.window(visit, host, 0, "09:00", "12:00")
    factories.programme_version(visit, [(first, dt.datetime(2009, 4, 20, 9, 0, tzinfo=PARIS))])
    return visit


def test_visit_duplicate_copies_people_places_and_activities_moved_in_time(org, editor, full_visit):
    response = editor.post(
        f"/visits/{full_visit.pk}/duplicate/", {"title": "Aude 2010", "start_date": "2010-04-19"}
    )
    copy = Visit.objects.get(owner=org, title="Aude 2010")
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{copy.pk}/settings/"
    assert (copy.start_date, copy.end_date) == (dt.date(2010, 4, 19), dt.date(2010, 4, 23))
    assert sorted(Venue.objects.filter(visit=copy).values_list("name", flat=True)) == [
        "Ferme",
        "Mairie",
    ]
    assert copy.lodging.visit_id == copy.pk and copy.lodging.name == "Mairie"
    assert list(TravelTime.objects.filter(visit=copy).values_list("minutes", "source")) == [
        (17, "entered")
    ]
    first = Activity.objects.get(visit=copy, title="Accueil")
    # 20 April 2009 was a Monday, so is 19 April 2010; 9:00 stays 9:00 (local time).
    assert first.fixed_start == dt.datetime(2010, 4, 19, 9, 0, tzinfo=PARIS)
    assert (first.venue.visit_id, first.place_in_visit) == (copy.pk, "first")
    assert [link.person.full_name for link in first.host_links.all()] == ["Eric"]
    then = Activity.objects.get(visit=copy, title="Visite de la ferme")
    assert list(Precedence.objects.filter(visit=copy).values_list("before", "after")) == [
        (first.pk, then.pk)
    ]
    group = SubGroup.objects.get(delegation__visit=copy)
    assert list(then.audience.all()) == [group]
    assert group.lodging.visit_id == copy.pk
    guest = Guest.objects.get(delegation__visit=copy)
    assert (guest.full_name, guest.subgroup_id) == ("Marie", group.pk)
    assert guest.arrival == dt.datetime(2010, 4, 18, 18, 0, tzinfo=PARIS)
    assert [lang.language for lang in guest.languages.all()] == ["en"]
    # No answers, no versions: they belong to the earlier dates.
    assert not Availability.objects.filter(visit=copy).exists()
    assert not Programme.objects.filter(visit=copy).exists()
    # The earlier visit is untouched.
    assert Activity.objects.filter(visit=full_visit).count() == 2


def test_visit_duplicate_with_a_taken_title_says_so(org, editor, full_visit):
    response = editor.post(
        f"/visits/{full_visit.pk}/duplicate/", {"title": "Aude 2009", "start_date": "2010-04-19"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"title": ["Another visit already has this title."]}
    assert Visit.objects.filter(owner=org).count() == 1


def test_visit_duplicate_with_a_bad_date_names_the_field(org, editor, full_visit):
    response = editor.post(
        f"/visits/{full_visit.pk}/duplicate/", {"title": "Aude 2010", "start_date": "2010-02-30"}
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["start_date"]


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_visit_duplicate_far_in_time_is_refused_not_a_500(org, editor, full_visit, start):
    response = editor.post(
        f"/visits/{full_visit.pk}/duplicate/", {"title": "Aude 9999", "start_date": start}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"start_date": ["Pick a date between 2000 and 2100."]}


def test_visit_presence_is_read_in_the_visits_own_time_zone(org, editor):
    data = visit_data(
        time_zone="America/Toronto",
        delegation_arrives="2026-04-19T18:30",
        delegation_leaves="2026-04-23T16:00",
    )
    assert editor.post("/visits/new/", data).status_code == 302
    visit = Visit.objects.get(owner=org)
    toronto = ZoneInfo("America/Toronto")
    assert visit.delegation_arrives == dt.datetime(2026, 4, 19, 18, 30, tzinfo=toronto)
    assert visit.delegation_leaves == dt.datetime(2026, 4, 23, 16, 0, tzinfo=toronto)
    page = editor.get(f"/visits/{visit.pk}/settings/")
    assert 'value="2026-04-19T18:30"' in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"delegation_arrives": "2001-04-19T18:30"},
            "delegation_arrives",
            "Pick a time from the day before the visit to the day after it.",
        ),
        (
            {"delegation_leaves": "2026-04-25T09:00"},
            "delegation_leaves",
            "Pick a time from the day before the visit to the day after it.",
        ),
        (
            {"delegation_arrives": "2026-04-21T09:00", "delegation_leaves": "2026-04-20T09:00"},
            "delegation_leaves",
            "The delegation leaves before it arrives.",
        ),
    ],
)
def test_visit_presence_outside_the_visit_is_refused_on_its_field(
    org, editor, changes, field, message
):
    response = editor.post("/visits/new/", visit_data(**changes))
    assert response.status_code == 422
    assert response.context["form"].errors == {field: [message]}
    assert not Visit.objects.filter(owner=org).exists()


def test_visit_presence_outside_the_visit_is_refused_by_the_api_too(api, org):
    payload = {
        "kind": "delegation",
        "title": "Aude",
        "start_date": "2009-04-20",
        "end_date": "2009-04-24",
        "delegation_arrives": "2001-04-19T18:30:00+02:00",
    }
    response = api.post("/visits", payload)
    assert response.status_code == 422
    assert not Visit.objects.filter(owner=org).exists()


def test_visit_interpretation_numbers_are_picked_not_typed_as_json(org, editor):
    table = {"simultaneous": [[60, 2], [600, 3]]}
    visit = factories.visit(org, title="Aude", interpretation_rules={"team_strength": table})
    page = editor.get(f"/visits/{visit.pk}/settings/")
    assert "liaison: 360; conference: no limit" in page.content.decode()
    data = visit_data(title="Aude", daily_limit="300", long_stint="", min_break="20")
    assert editor.post(f"/visits/{visit.pk}/settings/", data).status_code == 302
    visit.refresh_from_db()
    assert visit.interpretation_rules == {
        "team_strength": table,
        "daily_limit": 300,
        "min_break": 20,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"daily_limit": "3600"}, "daily_limit"), ({"min_break": "-1"}, "min_break")],
)
def test_visit_interpretation_number_out_of_bounds_is_refused_on_its_field(
    org, editor, changes, field
):
    response = editor.post("/visits/new/", visit_data(**changes))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]


def test_visit_break_without_a_stint_is_refused_by_the_policys_rule(org, editor):
    data = visit_data(interpretation_policy="conference", min_break="20")
    response = editor.post("/visits/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "min_break": ["a break needs the length of the stint it follows (long_stint)"]
    }
    assert not Visit.objects.filter(owner=org).exists()


def test_visit_duplicate_through_the_api_refuses_and_accepts_as_the_page(api, org, full_visit):
    taken = api.post(
        f"/visits/{full_visit.pk}/duplicate", {"title": "Aude 2009", "start_date": "2010-04-19"}
    )
    far = api.post(
        f"/visits/{full_visit.pk}/duplicate", {"title": "Aude 9999", "start_date": "9999-01-04"}
    )
    assert (taken.status_code, far.status_code) == (422, 422)
    made = api.post(
        f"/visits/{full_visit.pk}/duplicate", {"title": "Aude 2010", "start_date": "2010-04-19"}
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["title"], body["start_date"], body["end_date"]) == (
        "Aude 2010",
        "2010-04-19",
        "2010-04-23",
    )
    assert Activity.objects.filter(visit_id=body["id"]).count() == 2


def test_visit_duplicate_through_the_api_of_another_organisation_is_404(api, other_org):
    theirs = factories.visit(other_org)
    response = api.post(
        f"/visits/{theirs.pk}/duplicate", {"title": "X", "start_date": "2010-01-01"}
    )
    assert response.status_code == 404
    assert Visit.objects.count() == 1


def test_visit_duplicate_through_the_api_refuses_a_viewers_token(org, full_visit):
    from tests.conftest import ApiClient

    user = factories.organiser(org, username="reader")
    Organiser.objects.filter(user=user).update(role=Organiser.Role.VIEWER)
    api = ApiClient(factories.token_for(user))
    data = {"title": "Aude 2010", "start_date": "2010-04-19"}
    assert api.post(f"/visits/{full_visit.pk}/duplicate", data).status_code == 403
    assert Visit.objects.filter(owner=org).count() == 1
