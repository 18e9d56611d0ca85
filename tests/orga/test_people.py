"""A visit's people pages: hosts and their week of windows, guests, interpreters, delegations
and sub-groups; refusals on the field, tenancy, viewers, deletes refused while in use."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from delegations.models import Delegation, Guest, Interpreter, SubGroup
from events.models import Availability, Person
from planner.models import Organiser
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


def at(visit, day: int, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(
        visit.start_date + dt.timedelta(days=day), dt.time(hours, minutes), PARIS
    )


def spans(person) -> list[tuple[str, str, str]]:
    return [
        (f"{w.start.astimezone(PARIS):%d %H:%M}", f"{w.end.astimezone(PARIS):%d %H:%M}", w.kind)
        for w in Availability.objects.filter(person=person).order_by("start")
    ]


def rows(prefix: str, values: list[dict], total: int | None = None) -> dict:
    """A formset's POST: ``values`` as rows, then blank ones up to ``total``."""
    total = max(total or 0, len(values))
    data = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index in range(total):
        row = values[index] if index < len(values) else {}
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def host_data(languages=("fr", "oc"), **changes) -> dict:
    data = {
        "full_name": "Jean Dupont",
        "position": "maire",
        "email": "",
        "phone": "",
        "preferred_language": "fr",
        **rows("languages", [{"language": code} for code in languages], 3),
    }
    data.update(changes)
    return data


# --- hosts -------------------------------------------------------------------------------------


def test_host_new_saves_and_goes_to_the_windows(org, visit, editor):
    response = editor.post(f"/visits/{visit.pk}/hosts/new/", host_data())
    person = Person.objects.get(owner=org, full_name="Jean Dupont")
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/people/{person.pk}/windows/"
    assert (person.role, person.position, person.languages) == ("host", "maire", ["fr", "oc"])


def test_host_duplicate_name_is_refused_on_the_name(org, visit, editor):
    factories.person(org, full_name="Jean Dupont")
    response = editor.post(f"/visits/{visit.pk}/hosts/new/", host_data())
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "full_name": ["Another person here already has this full name."]
    }
    assert Person.objects.filter(owner=org).count() == 1


def test_host_unknown_language_is_refused_on_its_row(org, visit, editor):
    data = host_data(**{"languages-0-language": "xx"})
    response = editor.post(f"/visits/{visit.pk}/hosts/new/", data)
    assert response.status_code == 422
    assert response.context["rows"].forms[0].errors == {
        "language": ["“xx” is not a language this list knows; pick one from the list."]
    }
    assert not Person.objects.filter(owner=org).exists()


def test_refusal_is_in_the_readers_language(org, visit, editor):
    person = factories.person(org)
    url = f"/visits/{visit.pk}/people/{person.pk}/windows/"
    data = window_data("2009-04-20", "12:00", "09:00")
    response = editor.post(url, data, headers={"accept-language": "fr"})
    assert response.status_code == 422
    assert response.context["form"].errors == {"end": ["La plage se termine avant de commencer."]}


def test_host_edit_keeps_the_role_and_changes_the_languages(org, visit, editor):
    person = factories.person(org, full_name="Jean Dupont", role="resource")
    data = host_data(languages=["en"])
    response = editor.post(f"/visits/{visit.pk}/hosts/{person.pk}/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.languages) == ("resource", ["en"])


def test_host_delete_refused_while_hosting_says_what(org, visit, editor):
    person = factories.person(org, full_name="Jean Dupont")
    factories.activity(visit, factories.venue(visit), hosts=[person], title="Rencontre")
    page = editor.get(f"/visits/{visit.pk}/hosts/{person.pk}/delete/")
    assert page.context["reasons"] == ["Jean Dupont hosts “Rencontre”."]
    response = editor.post(f"/visits/{visit.pk}/hosts/{person.pk}/delete/")
    assert response.status_code == 409
    assert response.context["reasons"] == ["Jean Dupont hosts “Rencontre”."]
    assert Person.objects.filter(pk=person.pk).exists()


def test_host_delete_removes_an_unused_host_and_their_windows(org, visit, editor):
    person = factories.person(org)
    factories.window(visit, person, 0, "09:00", "12:00")
    response = editor.post(f"/visits/{visit.pk}/hosts/{person.pk}/delete/")
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Availability.objects.exists()


def test_api_person_delete_refused_while_hosting(org, visit, api):
    person = factories.person(org, full_name="Jean Dupont")
    factories.activity(visit, factories.venue(visit), hosts=[person], title="Rencontre")
    response = api.delete(f"/people/{person.pk}")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "reason": "Jean Dupont hosts “Rencontre”."}
    ]
    assert Person.objects.filter(pk=person.pk).exists()


# --- windows: the service ------------------------------------------------------------------


def test_touching_windows_merge_into_one_through_the_api(org, visit, api):
    person = factories.person(org)
    for start, end in (("09:00", "12:00"), ("12:00", "15:00")):
        payload = {
            "person": person.pk,
            "start": at(visit, 0, start).isoformat(),
            "end": at(visit, 0, end).isoformat(),
        }
        response = api.post(f"/visits/{visit.pk}/availability", payload)
        assert response.status_code == 201, response.content
    assert spans(person) == [("20 09:00", "20 15:00", "available")]
    assert dt.datetime.fromisoformat(response.json()["start"]) == at(visit, 0, "09:00")


def test_overlapping_windows_merge_and_keep_other_kinds_apart(org, visit, api):
    person = factories.person(org)
    payloads = [
        ("08:00", "10:00", "available"),
        ("11:00", "12:00", "available"),
        ("09:30", "11:30", "available"),
        ("10:00", "10:30", "preferred"),
    ]
    for start, end, kind in payloads:
        payload = {
            "person": person.pk,
            "start": at(visit, 1, start).isoformat(),
            "end": at(visit, 1, end).isoformat(),
            "kind": kind,
        }
        assert api.post(f"/visits/{visit.pk}/availability", payload).status_code == 201
    assert spans(person) == [
        ("21 08:00", "21 12:00", "available"),
        ("21 10:00", "21 10:30", "preferred"),
    ]


def test_window_outside_the_visit_is_refused_by_the_api(org, visit, api):
    person = factories.person(org)
    payload = {
        "person": person.pk,
        "start": "2001-04-20T09:00:00+02:00",
        "end": "2001-04-20T12:00:00+02:00",
    }
    response = api.post(f"/visits/{visit.pk}/availability", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.start",
            "reason": "The window lies outside the visit's days (Apr 20\u2009–\u200924, 2009).",
        }
    ]
    assert not Availability.objects.exists()


def test_window_running_past_the_last_day_is_refused_on_its_end(org, visit, api):
    person = factories.person(org)
    payload = {
        "person": person.pk,
        "start": at(visit, 4, "20:00").isoformat(),
        "end": at(visit, 5, "09:00").isoformat(),
    }
    response = api.post(f"/visits/{visit.pk}/availability", payload)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.end"]


# --- windows: the page ---------------------------------------------------------------------


def window_data(day: str, start: str, end: str, kind="available") -> dict:
    return {"day": day, "start": start, "end": end, "kind": kind, "note": ""}


def test_window_form_adds_and_merges(org, visit, editor):
    person = factories.person(org)
    url = f"/visits/{visit.pk}/people/{person.pk}/windows/"
    assert editor.post(url, window_data("2009-04-20", "09:00", "12:00")).status_code == 302
    assert editor.post(url, window_data("2009-04-20", "12:00", "15:00")).status_code == 302
    assert spans(person) == [("20 09:00", "20 15:00", "available")]


def test_window_form_refuses_an_end_before_the_start(org, visit, editor):
    person = factories.person(org)
    url = f"/visits/{visit.pk}/people/{person.pk}/windows/"
    response = editor.post(url, window_data("2009-04-20", "12:00", "09:00"))
    assert response.status_code == 422
    assert response.context["form"].errors == {"end": ["The window ends before it starts."]}
    assert not Availability.objects.exists()


def test_window_form_refuses_a_day_outside_the_visit(org, visit, editor):
    person = factories.person(org)
    url = f"/visits/{visit.pk}/people/{person.pk}/windows/"
    response = editor.post(url, window_data("2001-04-20", "09:00", "12:00"))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["day"]
    assert not Availability.objects.exists()


def test_week_grid_shows_the_windows_as_half_hours(org, visit, editor):
    person = factories.person(org)
    factories.window(visit, person, 0, "09:00", "10:00")
    factories.window(visit, person, 1, "14:00", "14:30", kind="preferred")
    response = editor.get(f"/visits/{visit.pk}/people/{person.pk}/windows/")
    marked = {
        cell["key"]: cell["state"]
        for row in response.context["week"]
        for cell in row["cells"]
        if cell["state"]
    }
    assert marked == {
        "2009-04-20T09:00": "available",
        "2009-04-20T09:30": "available",
        "2009-04-21T14:00": "preferred",
    }
    # The visit's day runs 8:30–19:00: 21 half-hours a day, 5 days.
    assert len(response.context["week"]) == 21
    assert len(response.context["week"][0]["cells"]) == 5


def test_week_grid_replaces_the_windows_in_one_submission(org, visit, editor):
    person = factories.person(org)
    factories.window(visit, person, 0, "09:00", "10:00")
    factories.window(visit, person, 2, "19:00", "21:00")  # after the day: not on the grid
    factories.window(visit, person, 3, "09:00", "12:00", kind="unavailable")
    week = "2009-04-21T09:00=a 2009-04-21T09:30=a 2009-04-21T10:00=p 2009-04-22T18:30=a"
    response = editor.post(f"/visits/{visit.pk}/people/{person.pk}/windows/", {"week": week})
    assert response.status_code == 302
    assert spans(person) == [
        ("21 09:00", "21 10:00", "available"),
        ("21 10:00", "21 10:30", "preferred"),
        ("22 18:30", "22 21:00", "available"),  # the evening kept, merged with 18:30–19:00
        ("23 09:00", "23 12:00", "unavailable"),
    ]


def test_week_grid_keeps_the_notes_of_redrawn_windows(org, visit, editor):
    person = factories.person(org)
    factories.window(visit, person, 0, "09:00", "10:00")
    Availability.objects.update(note="only in the mairie")
    week = "2009-04-20T09:00=a 2009-04-20T09:30=a 2009-04-20T10:00=a 2009-04-21T09:00=a"
    response = editor.post(f"/visits/{visit.pk}/people/{person.pk}/windows/", {"week": week})
    assert response.status_code == 302
    notes = list(Availability.objects.order_by("start").values_list("note", flat=True))
    assert notes == ["only in the mairie", ""]


def test_interpreter_duplicate_name_is_refused_on_the_name(org, visit, editor):
    factories.person(org, full_name="Claire Martin")
    response = editor.post(f"/visits/{visit.pk}/interpreters/new/", interpreter_data())
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "full_name": ["Another person here already has this full name."]
    }
    assert not Interpreter.objects.exists()


def test_week_grid_refuses_a_cell_off_the_grid_and_saves_nothing(org, visit, editor):
    person = factories.person(org)
    factories.window(visit, person, 0, "09:00", "10:00")
    week = "2009-04-21T09:00=a 2001-04-21T09:30=a"
    response = editor.post(f"/visits/{visit.pk}/people/{person.pk}/windows/", {"week": week})
    assert response.status_code == 422
    assert response.context["problems"] == [
        "“2001-04-21T09:30=a” is not a half-hour of this visit's grid."
    ]
    assert spans(person) == [("20 09:00", "20 10:00", "available")]


def test_week_grid_unchanged_keeps_windows_off_the_half_hours(org, visit, editor):
    person = factories.person(org)
    factories.window(visit, person, 0, "09:10", "09:50")
    week = "2009-04-20T09:00=a 2009-04-20T09:30=a"
    response = editor.post(f"/visits/{visit.pk}/people/{person.pk}/windows/", {"week": week})
    assert response.status_code == 302
    assert spans(person) == [("20 09:10", "20 09:50", "available")]


def test_window_delete_removes_one_window(org, visit, editor):
    person = factories.person(org)
    window = factories.window(visit, person, 0, "09:00", "10:00")
    url = f"/visits/{visit.pk}/people/{person.pk}/windows/{window.pk}/delete/"
    assert editor.post(url).status_code == 302
    assert not Availability.objects.exists()


# --- guests ------------------------------------------------------------------------------------


def guest_data(delegation, languages=(("en", "native"), ("fr", "basic")), **changes) -> dict:
    data = {
        "full_name": "Ben Quiñones",
        "delegation": str(delegation.pk),
        "subgroup": "",
        "country": "PH",
        "preferred_language": "en",
        "organisation": "",
        "position": "",
        "email": "",
        "arrival": "2009-04-19T18:00",
        "departure": "2009-04-25T10:00",
        "dietary_needs": "vegetarian",
        **rows("languages", [{"language": c, "level": level} for c, level in languages], 3),
    }
    data.update(changes)
    return data


def test_guest_new_saves_languages_with_levels(visit, editor):
    delegation = factories.delegation(visit)
    group = SubGroup.objects.create(delegation=delegation, name="Élus")
    data = guest_data(delegation, subgroup=str(group.pk))
    response = editor.post(f"/visits/{visit.pk}/guests/new/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    guest = Guest.objects.get(full_name="Ben Quiñones")
    assert sorted((x.language, x.level) for x in guest.languages.all()) == [
        ("en", "native"),
        ("fr", "basic"),
    ]
    assert (guest.subgroup, guest.country, guest.dietary_needs) == (group, "PH", "vegetarian")
    assert guest.arrival == dt.datetime(2009, 4, 19, 18, 0, tzinfo=PARIS)


def test_guest_departure_before_arrival_is_refused_on_departure(visit, editor):
    delegation = factories.delegation(visit)
    data = guest_data(delegation, departure="2009-04-18T10:00")
    response = editor.post(f"/visits/{visit.pk}/guests/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "departure": ["The departure is before the arrival."]
    }
    assert not Guest.objects.exists()


def test_guest_language_twice_is_refused_and_nothing_saved(visit, editor):
    delegation = factories.delegation(visit)
    data = guest_data(delegation, languages=[("en", "native"), ("en", "basic")])
    response = editor.post(f"/visits/{visit.pk}/guests/new/", data)
    assert response.status_code == 422
    assert response.context["rows"].problems == ["A language is listed twice."]
    assert not Guest.objects.exists()


def test_guest_unknown_country_is_refused(visit, editor):
    delegation = factories.delegation(visit)
    response = editor.post(f"/visits/{visit.pk}/guests/new/", guest_data(delegation, country="QQ"))
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "country": ["“QQ” is not a country this list knows; pick one from the list."]
    }


def test_guest_subgroup_of_another_delegation_is_refused(visit, editor):
    delegation, other = factories.delegation(visit), factories.delegation(visit)
    group = SubGroup.objects.create(delegation=other, name="Élus")
    data = guest_data(delegation, subgroup=str(group.pk))
    response = editor.post(f"/visits/{visit.pk}/guests/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "subgroup": ["This sub-group belongs to another delegation."]
    }


def test_guest_edit_and_delete(visit, editor):
    delegation = factories.delegation(visit)
    guest = factories.guest(delegation, full_name="Ben Quiñones")
    data = guest_data(delegation, full_name="Ben Quiñones Jr")
    assert editor.post(f"/visits/{visit.pk}/guests/{guest.pk}/", data).status_code == 302
    guest.refresh_from_db()
    assert guest.full_name == "Ben Quiñones Jr"
    assert editor.post(f"/visits/{visit.pk}/guests/{guest.pk}/delete/").status_code == 302
    assert not Guest.objects.exists()


# --- interpreters ------------------------------------------------------------------------------


def interpreter_data(directions=(("fr", "en"), ("en", "fr")), **changes) -> dict:
    data = {
        "full_name": "Claire Martin",
        "email": "",
        "phone": "",
        "preferred_language": "fr",
        "modes": ["consecutive", "whispered"],
        "daily_cap_minutes": "300",
        **rows("directions", [{"source": a, "target": b} for a, b in directions], 3),
    }
    data.update(changes)
    return data


def test_interpreter_new_makes_person_interpreter_and_joins_the_visit(org, visit, editor):
    response = editor.post(f"/visits/{visit.pk}/interpreters/new/", interpreter_data())
    interpreter = Interpreter.objects.get(owner=org)
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/people/{interpreter.person_id}/windows/"
    assert interpreter.person.role == "interpreter"
    assert interpreter.person.languages == ["fr", "en"]
    assert (interpreter.modes, interpreter.daily_cap_minutes) == (["consecutive", "whispered"], 300)
    assert sorted((d.source, d.target) for d in interpreter.directions.all()) == [
        ("en", "fr"),
        ("fr", "en"),
    ]
    assert list(visit.interpreters.all()) == [interpreter]


def test_interpreter_same_language_both_ways_is_refused_and_nothing_saved(org, visit, editor):
    data = interpreter_data(directions=[("fr", "fr")])
    response = editor.post(f"/visits/{visit.pk}/interpreters/new/", data)
    assert response.status_code == 422
    assert response.context["rows"].problems == ["Interpreting needs two different languages."]
    assert not Person.objects.filter(owner=org).exists()


def test_interpreter_without_a_mode_or_direction_is_refused(org, visit, editor):
    data = interpreter_data(modes=[], directions=[])
    response = editor.post(f"/visits/{visit.pk}/interpreters/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors == {"modes": ["Tick at least one mode."]}
    data = interpreter_data(directions=[])
    response = editor.post(f"/visits/{visit.pk}/interpreters/new/", data)
    assert response.status_code == 422
    assert response.context["rows"].problems == ["Give at least one direction."]
    assert not Person.objects.filter(owner=org).exists()


def test_interpreter_edit_and_delete(org, visit, editor):
    interpreter = factories.interpreter(org)
    visit.interpreters.add(interpreter)
    url = f"/visits/{visit.pk}/interpreters/{interpreter.pk}/"
    assert editor.post(url, interpreter_data(daily_cap_minutes="240")).status_code == 302
    interpreter.refresh_from_db()
    assert interpreter.daily_cap_minutes == 240
    assert editor.post(url + "delete/").status_code == 302
    assert not Interpreter.objects.exists()
    assert not Person.objects.filter(owner=org).exists()


def test_interpreter_of_two_visits_is_removed_from_one_not_deleted(org, visit, editor):
    interpreter = factories.interpreter(org)
    other = factories.visit(org, title="Visite de 2010")
    visit.interpreters.add(interpreter)
    other.interpreters.add(interpreter)
    response = editor.post(f"/visits/{visit.pk}/interpreters/{interpreter.pk}/delete/")
    assert response.status_code == 409
    assert response.context["reasons"] == [
        f"{interpreter} also works on “Visite de 2010”: remove them from this visit instead."
    ]
    response = editor.post(f"/visits/{visit.pk}/interpreters/{interpreter.pk}/leave/")
    assert response.status_code == 302
    assert list(visit.interpreters.all()) == []
    assert list(other.interpreters.all()) == [interpreter]


def test_interpreter_join_adds_an_earlier_interpreter(org, visit, editor):
    interpreter = factories.interpreter(org)
    response = editor.post(
        f"/visits/{visit.pk}/interpreters/join/", {"interpreter": interpreter.pk}
    )
    assert response.status_code == 302
    assert list(visit.interpreters.all()) == [interpreter]


# --- delegations and sub-groups ----------------------------------------------------------------


def test_delegation_add_edit_and_duplicate_name(visit, editor):
    url = f"/visits/{visit.pk}/delegations/new/"
    assert editor.post(url, {"name": "Philippines", "description": ""}).status_code == 302
    response = editor.post(url, {"name": "Philippines", "description": ""})
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["Another delegation here already has this name."]
    }
    delegation = Delegation.objects.get(visit=visit)
    url = f"/visits/{visit.pk}/delegations/{delegation.pk}/"
    assert editor.post(url, {"name": "Mindanao", "description": "x"}).status_code == 302
    delegation.refresh_from_db()
    assert (delegation.name, delegation.description) == ("Mindanao", "x")


def test_delegation_delete_refused_while_it_has_guests(visit, editor):
    delegation = factories.delegation(visit, name="Philippines")
    factories.guest(delegation, full_name="Ben")
    response = editor.post(f"/visits/{visit.pk}/delegations/{delegation.pk}/delete/")
    assert response.status_code == 409
    assert response.context["reasons"] == ["“Philippines” has 1 guest(s): “Ben”."]
    assert Delegation.objects.filter(pk=delegation.pk).exists()


def test_subgroup_add_and_delete_refused_while_an_audience(visit, editor):
    delegation = factories.delegation(visit)
    url = f"/visits/{visit.pk}/subgroups/new/"
    data = {"delegation": delegation.pk, "name": "Élus", "lodging": ""}
    assert editor.post(url, data).status_code == 302
    group = SubGroup.objects.get(delegation=delegation)
    activity = factories.activity(visit, factories.venue(visit), title="Atelier")
    activity.audience.add(group)
    response = editor.post(f"/visits/{visit.pk}/subgroups/{group.pk}/delete/")
    assert response.status_code == 409
    assert response.context["reasons"] == ["“Élus” is the audience of “Atelier”."]
    activity.audience.clear()
    assert editor.post(f"/visits/{visit.pk}/subgroups/{group.pk}/delete/").status_code == 302
    assert not SubGroup.objects.exists()


def test_api_subgroup_delete_refused_while_an_audience(visit, api):
    group = SubGroup.objects.create(delegation=factories.delegation(visit), name="Élus")
    factories.activity(visit, factories.venue(visit), title="Atelier").audience.add(group)
    response = api.delete(f"/visits/{visit.pk}/subgroups/{group.pk}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["reason"] == "“Élus” is the audience of “Atelier”."


# --- tenancy and roles -------------------------------------------------------------------------


def _pages(visit, person, guest, interpreter, delegation, group) -> list[str]:
    v = f"/visits/{visit.pk}"
    return [
        f"{v}/hosts/",
        f"{v}/hosts/new/",
        f"{v}/hosts/{person.pk}/",
        f"{v}/hosts/{person.pk}/delete/",
        f"{v}/people/{person.pk}/windows/",
        f"{v}/guests/",
        f"{v}/guests/new/",
        f"{v}/guests/{guest.pk}/",
        f"{v}/guests/{guest.pk}/delete/",
        f"{v}/interpreters/",
        f"{v}/interpreters/new/",
        f"{v}/interpreters/{interpreter.pk}/",
        f"{v}/interpreters/{interpreter.pk}/delete/",
        f"{v}/delegations/",
        f"{v}/delegations/new/",
        f"{v}/delegations/{delegation.pk}/",
        f"{v}/delegations/{delegation.pk}/delete/",
        f"{v}/subgroups/new/",
        f"{v}/subgroups/{group.pk}/",
        f"{v}/subgroups/{group.pk}/delete/",
    ]


def _world(org):
    visit = factories.visit(org)
    person = factories.person(org)
    delegation = factories.delegation(visit)
    group = SubGroup.objects.create(delegation=delegation, name="Élus")
    guest = factories.guest(delegation, subgroup=group)
    interpreter = factories.interpreter(org)
    visit.interpreters.add(interpreter)
    return visit, person, guest, interpreter, delegation, group


def test_every_people_page_answers_its_own_organiser(org, editor):
    for url in _pages(*_world(org)):
        assert editor.get(url).status_code == 200, url


def test_another_organisations_ids_are_404(org, other_org, editor):
    visit, *_rest = _world(org)
    theirs = _world(other_org)
    # Their visit, and their people inside our visit's URLs.
    for url in _pages(*theirs):
        assert editor.get(url).status_code == 404, url
    ours = [visit, *theirs[1:]]
    for url in _pages(*ours):
        if url.endswith(("/new/", "/hosts/", "/guests/", "/interpreters/", "/delegations/")):
            continue
        assert editor.get(url).status_code == 404, url
    leave = f"/visits/{visit.pk}/interpreters/{theirs[3].pk}/leave/"
    assert editor.post(leave).status_code == 404
    join = f"/visits/{visit.pk}/interpreters/join/"
    assert editor.post(join, {"interpreter": theirs[3].pk}).status_code == 404
    assert not visit.interpreters.filter(pk=theirs[3].pk).exists()
    window = factories.window(theirs[0], theirs[1], 0, "09:00", "10:00")
    url = f"/visits/{visit.pk}/people/{theirs[1].pk}/windows/{window.pk}/delete/"
    assert editor.post(url).status_code == 404
    assert Availability.objects.filter(pk=window.pk).exists()


def test_viewer_reads_lists_but_every_write_is_403(org, viewer):
    world = _world(org)
    visit, person = world[0], world[1]
    for url in _pages(*world):
        listing = url.endswith(("/hosts/", "/guests/", "/interpreters/", "/delegations/"))
        expected = 200 if listing or url.endswith("/windows/") else 403
        assert viewer.get(url).status_code == expected, url
        if not listing:
            assert viewer.post(url, {}).status_code == 403, url
    week = "2009-04-21T09:00=a"
    url = f"/visits/{visit.pk}/people/{person.pk}/windows/"
    assert viewer.post(url, {"week": week}).status_code == 403
    assert viewer.post(f"/visits/{visit.pk}/interpreters/join/", {}).status_code == 403
    leave = f"/visits/{visit.pk}/interpreters/{world[3].pk}/leave/"
    assert viewer.post(leave).status_code == 403
    assert visit.interpreters.count() == 1
    assert not Availability.objects.exists()


def test_viewer_sees_no_grid_nor_edit_links(org, viewer):
    visit, person, *_rest = _world(org)
    page = viewer.get(f"/visits/{visit.pk}/people/{person.pk}/windows/").content.decode()
    assert 'id="week-form"' not in page
    assert 'id="window-form"' not in page
    assert 'id="add-host"' not in viewer.get(f"/visits/{visit.pk}/hosts/").content.decode()


# --- list pages: a constant number of queries ------------------------------------------------


def _hosts(org, visit, n):
    venue = factories.venue(visit)
    for _ in range(n):
        person = factories.person(org)
        factories.window(visit, person, 0, "09:00", "10:00")
        factories.activity(visit, venue, hosts=[person])


def _guests(org, visit, n):
    delegation = factories.delegation(visit)
    group = SubGroup.objects.create(delegation=delegation, name="Élus")
    for i in range(n):
        factories.guest(delegation, subgroup=group if i % 2 else None)


def _interpreters(org, visit, n):
    for _ in range(n):
        interpreter = factories.interpreter(org)
        visit.interpreters.add(interpreter)
        factories.window(visit, interpreter.person, 0, "09:00", "10:00")
    factories.interpreter(org)  # of another visit: offered to join


def _delegations(org, visit, n):
    for _ in range(n):
        delegation = factories.delegation(visit)
        group = SubGroup.objects.create(delegation=delegation, name="Élus")
        factories.guest(delegation, subgroup=group)


LISTS = {
    # page: (builder, queries = session, user, organiser, organisation, visit, its owner, then
    # the page's own: one per list and one per prefetch; the setup path's steps, one; the
    # guests' "add several" rows, the visit's delegations once)
    "hosts": (_hosts, 9),
    "guests": (_guests, 12),
    "interpreters": (_interpreters, 10),
    "delegations": (_delegations, 8),
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_pages_query_count_is_constant(org, editor, django_assert_num_queries, name, count):
    visit = factories.visit(org)
    build, queries = LISTS[name]
    build(org, visit, count)
    with django_assert_num_queries(queries):
        response = editor.get(f"/visits/{visit.pk}/{name}/")
    assert response.status_code == 200
