"""Entering a visit quickly (#13): the setup path's "Save and continue" buttons, the "add
several" tables (all rows in one transaction, a bad row refused on its field, blank rows
ignored), every host's week on one page, the defaults, and the sign-in after the first
password."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from delegations.models import Delegation, Guest, Interpreter
from events.models import Activity, Availability, Person, Venue
from planner.models import Organiser
from planner.services import invitation_create
from tests import factories
from tests.orga.test_people import interpreter_data, rows
from web.accounts import password_set_link

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


def several(values: list[dict], blank: dict | None = None, total: int = 5, **extra) -> dict:
    """The "add several" POST as the browser sends it: the filled rows, then blank rows that
    still carry what the page offered (``blank``)."""
    filled = [{**(blank or {}), **row} for row in values]
    data = rows("add", filled + [dict(blank or {})] * (total - len(values)), total)
    data.update(extra)
    return data


def row_errors(response, index: int) -> dict:
    return response.context["several"].forms[index].errors


# --- venues -------------------------------------------------------------------------------------


VENUES = [
    {"name": "Mairie", "city": "Villerouge", "latitude": "43.0069", "longitude": "2.6244"},
    {"name": "Librairie", "city": "Sarrant", "latitude": "43.7747", "longitude": "0.9297"},
]


def test_venues_several_are_saved_together_and_blank_rows_ignored(visit, editor):
    response = editor.post(f"/visits/{visit.pk}/venues/", several(VENUES))
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/venues/"
    saved = Venue.objects.filter(visit=visit).order_by("name")
    assert [(v.name, v.city, v.kind, v.country) for v in saved] == [
        ("Librairie", "Sarrant", "host_site", "FR"),
        ("Mairie", "Villerouge", "host_site", "FR"),
    ]
    # The service's after-save ran for each: the travel time between them is estimated.
    assert visit.travel_times.count() >= 1


def test_venues_several_a_bad_row_saves_nothing_and_is_marked_on_its_field(visit, editor):
    bad = {**VENUES[1], "latitude": "95"}
    response = editor.post(f"/visits/{visit.pk}/venues/", several([VENUES[0], bad]))
    assert response.status_code == 422
    assert "latitude" in row_errors(response, 1)
    assert not row_errors(response, 0)
    assert not Venue.objects.filter(visit=visit).exists()


def test_venues_several_a_duplicate_among_the_rows_undoes_the_rows_before(visit, editor):
    # The first row is valid and written; the second is refused by the service on its name:
    # the transaction takes the first back.
    response = editor.post(
        f"/visits/{visit.pk}/venues/", several([VENUES[0], {**VENUES[1], "name": "Mairie"}])
    )
    assert response.status_code == 422
    assert "name" in row_errors(response, 1)
    assert not Venue.objects.filter(visit=visit).exists()


def test_several_refusal_is_in_the_readers_language(visit, editor):
    editor.cookies["django_language"] = "fr"
    response = editor.post(
        f"/visits/{visit.pk}/venues/", several([{"city": "Sarrant"}]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 422
    assert row_errors(response, 0)["name"] == ["Ce champ est obligatoire."]


def test_venues_continue_leads_to_the_hosts_even_with_every_row_blank(visit, editor):
    response = editor.post(f"/visits/{visit.pk}/venues/", several(VENUES, **{"continue": "1"}))
    assert response["Location"] == f"/visits/{visit.pk}/hosts/"
    skipped = editor.post(f"/visits/{visit.pk}/venues/", several([], **{"continue": "1"}))
    assert skipped["Location"] == f"/visits/{visit.pk}/hosts/"
    assert Venue.objects.filter(visit=visit).count() == 2


def test_venue_form_continue_leads_to_the_hosts(visit, editor):
    data = {"name": "Gare", "kind": "host_site", "country": "FR", "continue": "1"}
    response = editor.post(f"/visits/{visit.pk}/venues/new/", data)
    assert response["Location"] == f"/visits/{visit.pk}/hosts/"
    del data["continue"]
    plain = editor.post(f"/visits/{visit.pk}/venues/new/", {**data, "name": "Quai"})
    assert plain["Location"] == f"/visits/{visit.pk}/venues/"


# --- hosts and their weeks ------------------------------------------------------------------------


HOST_BLANK = {"language": "fr"}  # the visit's first working language, offered


def test_hosts_several_take_the_offered_language_and_continue_to_the_weeks(org, visit, editor):
    data = several(
        [{"full_name": "Maire"}, {"full_name": "Chargée", "language": "en"}],
        HOST_BLANK,
        **{"continue": "1"},
    )
    response = editor.post(f"/visits/{visit.pk}/hosts/", data)
    assert response["Location"] == f"/visits/{visit.pk}/availability/"
    people = Person.objects.filter(owner=org).order_by("full_name")
    assert [(p.full_name, p.role, p.languages, p.preferred_language) for p in people] == [
        ("Chargée", "host", ["en"], "en"),
        ("Maire", "host", ["fr"], "fr"),
    ]


def test_hosts_several_a_name_taken_refuses_every_row(org, visit, editor):
    factories.person(org, full_name="Maire")
    data = several([{"full_name": "Libraire"}, {"full_name": "Maire"}], HOST_BLANK)
    response = editor.post(f"/visits/{visit.pk}/hosts/", data)
    assert response.status_code == 422
    assert "full_name" in row_errors(response, 1)
    assert not Person.objects.filter(full_name="Libraire").exists()


def test_every_hosts_week_on_one_page_each_saved_in_place(org, visit, editor):
    mayor = factories.person(org, full_name="Maire")
    factories.person(org, full_name="Libraire")
    factories.interpreter(org)  # not a host: no week here
    page = editor.get(f"/visits/{visit.pk}/availability/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="week-form"') == 2
    assert f'action="/visits/{visit.pk}/people/{mayor.pk}/windows/"' in html
    # The same form the person's own page posts, sent by fetch: answered in JSON.
    week = "2009-04-20T09:00=a 2009-04-20T09:30=a 2009-04-20T10:00=p"
    answer = editor.post(
        f"/visits/{visit.pk}/people/{mayor.pk}/windows/",
        {"week": week},
        headers={"X-Requested-With": "fetch"},
    )
    assert answer.status_code == 200
    assert answer.json()["saved"] is True
    windows = Availability.objects.filter(person=mayor).order_by("start")
    assert [(w.start.astimezone(PARIS).time(), w.kind) for w in windows] == [
        (dt.time(9), "available"),
        (dt.time(10), "preferred"),
    ]
    again = editor.post(
        f"/visits/{visit.pk}/people/{mayor.pk}/windows/",
        {"week": week},
        headers={"X-Requested-With": "fetch"},
    )
    assert "Nothing changed" in again.json()["message"]
    bad = editor.post(
        f"/visits/{visit.pk}/people/{mayor.pk}/windows/",
        {"week": "2001-01-01T09:00=a"},
        headers={"X-Requested-With": "fetch"},
    )
    assert bad.status_code == 422
    assert bad.json()["saved"] is False and bad.json()["problems"]
    # The page's continue link goes to the guests; without JavaScript it is a plain link.
    assert f'href="/visits/{visit.pk}/guests/" id="continue"' in html


# --- guests -------------------------------------------------------------------------------------


GUEST_BLANK = {"level": "fluent"}
GUESTS = [
    {"full_name": "Awa Diop", "country": "SN", "language": "fr"},
    {"full_name": "Grace Mensah", "country": "GH", "language": "en", "level": "native"},
]


def test_first_guests_make_the_visits_delegation(visit, editor):
    data = several(GUESTS, GUEST_BLANK, **{"continue": "1"})
    response = editor.post(f"/visits/{visit.pk}/guests/", data)
    # No interpreter in the organisation yet: the next step is the form of a new one.
    assert response["Location"] == f"/visits/{visit.pk}/interpreters/new/"
    delegation = Delegation.objects.get(visit=visit)
    assert delegation.name == visit.title
    guests = Guest.objects.filter(delegation=delegation).order_by("full_name")
    assert [
        (
            g.full_name,
            g.country,
            g.preferred_language,
            [(x.language, x.level) for x in g.languages.all()],
        )
        for g in guests
    ] == [
        ("Awa Diop", "SN", "fr", [("fr", "fluent")]),
        ("Grace Mensah", "GH", "en", [("en", "native")]),
    ]


def test_guests_several_a_bad_row_saves_nothing_not_even_the_delegation(visit, editor):
    data = several([GUESTS[0], {**GUESTS[1], "country": "XX"}], GUEST_BLANK)
    response = editor.post(f"/visits/{visit.pk}/guests/", data)
    assert response.status_code == 422
    assert "country" in row_errors(response, 1)
    assert not Guest.objects.exists()
    assert not Delegation.objects.filter(visit=visit).exists()


def test_guests_several_join_the_only_delegation(visit, editor):
    delegation = factories.delegation(visit, name="Sénégal")
    editor.post(f"/visits/{visit.pk}/guests/", several(GUESTS[:1], GUEST_BLANK))
    assert Guest.objects.get().delegation == delegation
    assert Delegation.objects.filter(visit=visit).count() == 1


def test_guests_several_pick_among_several_delegations(visit, editor):
    factories.delegation(visit, name="A")
    second = factories.delegation(visit, name="B")
    missing = editor.post(f"/visits/{visit.pk}/guests/", several(GUESTS[:1], GUEST_BLANK))
    assert missing.status_code == 422
    assert "delegation" in row_errors(missing, 0)
    row = {**GUESTS[0], "delegation": str(second.pk)}
    editor.post(f"/visits/{visit.pk}/guests/", several([row], GUEST_BLANK))
    assert Guest.objects.get().delegation == second


def test_guest_form_without_a_delegation_makes_it(visit, editor):
    page = editor.get(f"/visits/{visit.pk}/guests/new/")
    assert page.status_code == 200 and 'id="delegation-made"' in page.content.decode()
    data = {
        "full_name": "Awa Diop",
        "delegation": "",
        "subgroup": "",
        "country": "SN",
        "preferred_language": "fr",
        "organisation": "",
        "position": "",
        "email": "",
        "arrival": "",
        "departure": "",
        "dietary_needs": "",
        "continue": "1",
        **rows("languages", [{"language": "fr", "level": "fluent"}], 3),
    }
    response = editor.post(f"/visits/{visit.pk}/guests/new/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/interpreters/new/"
    assert Guest.objects.get().delegation.name == visit.title


# --- interpreters -------------------------------------------------------------------------------


def test_interpreter_form_offers_the_visits_pair_both_ways_and_the_usual_modes(visit, editor):
    page = editor.get(f"/visits/{visit.pk}/interpreters/new/")
    form, directions = page.context["form"], page.context["rows"]
    assert form["modes"].value() == ["consecutive", "whispered"]
    first = directions.forms[0]
    assert (first["source"].value(), first["target"].value(), first["both_ways"].value()) == (
        "fr",
        "en",
        True,
    )


def test_interpreter_both_ways_makes_two_directions_and_continues_to_activities(org, visit, editor):
    data = interpreter_data(directions=(("fr", "en"),), **{"continue": "1"})
    data["directions-0-both_ways"] = "on"
    response = editor.post(f"/visits/{visit.pk}/interpreters/new/", data)
    assert response["Location"] == f"/visits/{visit.pk}/activities/"
    interpreter = Interpreter.objects.get(owner=org)
    assert sorted((d.source, d.target) for d in interpreter.directions.all()) == [
        ("en", "fr"),
        ("fr", "en"),
    ]
    # Shown again as one pair both ways.
    page = editor.get(f"/visits/{visit.pk}/interpreters/{interpreter.pk}/")
    shown = [
        (r["source"].value(), r["target"].value(), r["both_ways"].value())
        for r in page.context["rows"].forms
        if r["source"].value()
    ]
    assert shown == [("fr", "en", True)]


# --- activities ---------------------------------------------------------------------------------


@pytest.fixture
def places(org, visit):
    return {
        "hall": factories.venue(visit, name="Mairie"),
        "shop": factories.venue(visit, name="Librairie"),
        "mayor": factories.person(org, full_name="Maire", languages=["fr"]),
        "officer": factories.person(org, full_name="Chargée", languages=["en", "de"]),
    }


ACTIVITY_BLANK = {"duration_minutes": "90"}


def test_activities_several_saved_with_their_host_and_its_language(visit, editor, places):
    data = several(
        [
            {"title": "Accueil", "venue": str(places["hall"].pk), "host": str(places["mayor"].pk)},
            {
                "title": "Atelier",
                "duration_minutes": "60",
                "venue": str(places["shop"].pk),
                "host": str(places["officer"].pk),
            },
            {"title": "Bilan", "venue": str(places["hall"].pk)},
        ],
        ACTIVITY_BLANK,
        **{"continue": "1"},
    )
    response = editor.post(f"/visits/{visit.pk}/activities/", data)
    assert response["Location"] == f"/visits/{visit.pk}/"
    found = {
        a.title: (
            a.duration_minutes,
            a.venue.name,
            [(h.person.full_name, h.required) for h in a.host_links.all()],
            a.languages,
            a.mandatory,
        )
        for a in Activity.objects.filter(visit=visit)
    }
    assert found == {
        "Accueil": (90, "Mairie", [("Maire", True)], ["fr"], True),
        "Atelier": (60, "Librairie", [("Chargée", True)], ["en"], True),
        "Bilan": (90, "Mairie", [], [], True),
    }


def test_activities_several_a_bad_row_saves_nothing(visit, editor, places):
    good = {"title": "Accueil", "venue": str(places["hall"].pk)}
    for bad, field in (
        (
            {"title": "Atelier", "venue": str(places["hall"].pk), "duration_minutes": "0"},
            "duration_minutes",
        ),
        ({"title": "Atelier"}, "venue"),
        ({"title": "Accueil", "venue": str(places["hall"].pk)}, "title"),
        ({"title": "Atelier", "venue": "999999"}, "venue"),
    ):
        response = editor.post(
            f"/visits/{visit.pk}/activities/", several([good, bad], ACTIVITY_BLANK)
        )
        assert response.status_code == 422, bad
        assert field in row_errors(response, 1), (bad, row_errors(response, 1))
        assert not Activity.objects.filter(visit=visit).exists()


def test_activity_venue_defaults_to_the_only_venue(org, visit, editor):
    hall = factories.venue(visit, name="Mairie")
    page = editor.get(f"/visits/{visit.pk}/activities/new/")
    assert page.context["form"]["venue"].value() == hall.pk
    listed = editor.get(f"/visits/{visit.pk}/activities/")
    assert listed.context["several"].forms[0]["venue"].value() == hall.pk
    factories.venue(visit, name="Librairie")
    page = editor.get(f"/visits/{visit.pk}/activities/new/")
    assert page.context["form"]["venue"].value() is None


# --- the path, tenancy, roles -------------------------------------------------------------------


def test_step_indicator_counts_done_and_to_do(org, visit, editor):
    factories.venue(visit)
    factories.person(org, full_name="Maire")
    page = editor.get(f"/visits/{visit.pk}/hosts/")
    assert (page.context["steps_done"], page.context["steps_todo"]) == (2, 4)
    assert page.context["step_number"] == 2
    assert page.context["next_url"] == f"/visits/{visit.pk}/availability/"
    assert 'aria-current="step"' in page.content.decode()


LIST_PAGES = ("venues", "hosts", "guests", "activities", "availability")


@pytest.mark.parametrize("page", LIST_PAGES)
def test_another_organisations_visit_is_404(other_org, editor, page):
    theirs = factories.visit(other_org)
    assert editor.get(f"/visits/{theirs.pk}/{page}/").status_code == 404
    assert editor.post(f"/visits/{theirs.pk}/{page}/", several(VENUES)).status_code == 404
    assert not Venue.objects.filter(visit=theirs).exists()


@pytest.mark.parametrize("page", ("venues", "hosts", "guests", "activities"))
def test_a_viewer_reads_without_the_table_and_cannot_post(visit, viewer, page):
    response = viewer.get(f"/visits/{visit.pk}/{page}/")
    assert response.status_code == 200
    assert response.context["several"] is None
    assert 'id="several-form"' not in response.content.decode()
    assert viewer.post(f"/visits/{visit.pk}/{page}/", several(VENUES)).status_code == 403
    assert not Venue.objects.filter(visit=visit).exists()


def test_a_viewer_sees_the_weeks_without_grids(org, visit, viewer):
    mayor = factories.person(org, full_name="Maire")
    response = viewer.get(f"/visits/{visit.pk}/availability/")
    assert response.status_code == 200
    assert 'class="week-form"' not in response.content.decode()
    saved = viewer.post(
        f"/visits/{visit.pk}/people/{mayor.pk}/windows/",
        {"week": "2009-04-20T09:00=a"},
        headers={"X-Requested-With": "fetch"},
    )
    assert saved.status_code == 403


# --- the first password signs the person in -----------------------------------------------------


def test_the_operators_link_signs_the_person_in_and_opens_their_visits(org):
    user = get_user_model().objects.create_user(username="new@example.org", email="new@example.org")
    user.set_unusable_password()
    user.save()
    Organiser.objects.create(user=user, organisation=org)
    client = Client()
    link = re.sub(r"^https?://[^/]+", "", password_set_link(user))
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Villerouge-2027-x", "new_password2": "Villerouge-2027-x"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:visits")
    visits = client.get(reverse("scheduling:visits"))
    assert visits.status_code == 200
    assert "Your password is saved and you are signed in." in visits.content.decode()
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_invitations_link_signs_the_person_in_and_opens_their_visits(org):
    inviter = factories.organiser(org, username="boss")
    _invitation, key = invitation_create(
        organisation=org,
        email="colleague@example.org",
        role="editor",
        language="fr",
        invited_by=inviter,
    )
    client = Client()
    response = client.post(
        f"/accounts/invitation/{key}/",
        {"password1": "Villerouge-2027-x", "password2": "Villerouge-2027-x"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:visits")
    assert client.get(reverse("scheduling:visits")).status_code == 200
