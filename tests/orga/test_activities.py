"""A visit's activities: every field the solver reads, picked on the page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from events.models import Activity, Precedence, VisitFormat
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


@pytest.fixture
def site(org):
    fmt = VisitFormat.objects.create(owner=org, name="Pactes")
    phase = fmt.phases.create(order=1, name="Illustrer")
    visit = factories.visit(org, title="Aude", time_zone="Europe/Paris", format=fmt)
    hall = factories.venue(visit, name="Mairie")
    mayor = factories.person(org, full_name="Le maire")
    clerk = factories.person(org, full_name="La secrétaire")
    delegation = factories.delegation(visit)
    elected = delegation.subgroups.create(name="Élus")
    welcome = factories.activity(visit, hall, title="Accueil")
    return {
        "visit": visit,
        "hall": hall,
        "mayor": mayor,
        "clerk": clerk,
        "elected": elected,
        "welcome": welcome,
        "phase": phase,
    }


def activity_data(site, **changes) -> dict:
    data = {
        "title": "Rencontre avec le maire",
        "title_fr": "",
        "title_en": "Meeting the mayor",
        "title_es": " ",
        "kind": "meeting",
        "duration_minutes": "90",
        "venue": str(site["hall"].pk),
        "hosts_required": [str(site["mayor"].pk)],
        "hosts_optional": [str(site["clerk"].pk)],
        "languages": ["fr"],
        "languages_other": "oc",
        "interpretation_mode": "simultaneous",
        "two_way": "",
        "working_lunch": "",
        "audience": [str(site["elected"].pk)],
        "mandatory": "",
        "value": "40",
        "earliest": "2009-04-21T09:00",
        "latest": "2009-04-21T18:00",
        "fixed_start": "",
        "place_in_visit": "last",
        "phase": str(site["phase"].pk),
        "after": [str(site["welcome"].pk)],
        "description": "Salle du conseil",
    }
    data.update(changes)
    return data


def test_activity_new_saves_every_field_the_solver_reads(editor, site):
    visit = site["visit"]
    response = editor.post(f"/visits/{visit.pk}/activities/new/", activity_data(site))
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/activities/"
    a = Activity.objects.get(visit=visit, title="Rencontre avec le maire")
    assert a.titles == {"en": "Meeting the mayor"}
    assert (a.kind, a.duration_minutes, a.venue_id) == ("meeting", 90, site["hall"].pk)
    assert sorted((h.person.full_name, h.required) for h in a.host_links.all()) == [
        ("La secrétaire", False),
        ("Le maire", True),
    ]
    assert a.languages == ["fr", "oc"]
    assert (a.interpretation_mode, a.two_way, a.working_lunch) == ("simultaneous", False, False)
    assert list(a.audience.all()) == [site["elected"]]
    assert (a.mandatory, a.value) == (False, 40)
    assert a.earliest == dt.datetime(2009, 4, 21, 9, 0, tzinfo=PARIS)
    assert a.latest == dt.datetime(2009, 4, 21, 18, 0, tzinfo=PARIS)
    assert (a.fixed_start, a.place_in_visit, a.phase_id) == (None, "last", site["phase"].pk)
    assert list(Precedence.objects.values_list("before", "after")) == [(site["welcome"].pk, a.pk)]


def test_activity_edit_shows_the_values_and_replaces_the_after_rules(editor, site):
    visit, welcome = site["visit"], site["welcome"]
    lunch = factories.activity(visit, site["hall"], title="Déjeuner", kind="meal")
    editor.post(f"/visits/{visit.pk}/activities/new/", activity_data(site))
    a = Activity.objects.get(title="Rencontre avec le maire")
    page = editor.get(f"/visits/{visit.pk}/activities/{a.pk}/")
    html = page.content.decode()
    assert 'value="2009-04-21T09:00"' in html
    assert 'name="languages" value="oc"' in html and "checked" in html
    assert page.context["form"].initial["after"] == [welcome.pk]
    data = activity_data(site, after=[str(lunch.pk)], fixed_start="2009-04-22T10:30")
    data.update(earliest="", latest="", working_lunch="on", two_way="on")
    response = editor.post(f"/visits/{visit.pk}/activities/{a.pk}/", data)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.fixed_start == dt.datetime(2009, 4, 22, 10, 30, tzinfo=PARIS)
    assert (a.earliest, a.working_lunch, a.two_way) == (None, True, True)
    assert list(Precedence.objects.values_list("before", "after")) == [(lunch.pk, a.pk)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "Accueil"}, "title", "This visit already has an activity with this title."),
        (
            {"earliest": "2009-05-01T09:00"},
            "earliest",
            "Pick a time during the visit (Apr 20\u2009\u2013\u200924, 2009).",
        ),
        ({"latest": "2009-04-21T08:00"}, "latest", "“Over by” is before “not before”."),
        (
            {"hosts_optional": None},
            "hosts_optional",
            "Le maire cannot be required and optional at once.",
        ),
        (
            {"duration_minutes": "700"},
            "duration_minutes",
            "The activity lasts longer than a programme day (630 minutes).",
        ),
        ({"duration_minutes": "2"}, "duration_minutes", None),
        ({"fixed_start": "demain"}, "fixed_start", None),
        ({"venue": "999999"}, "venue", None),
        ({"languages_other": "xx"}, "languages_other", None),
        ({"place_in_visit": "middle"}, "place_in_visit", None),
        ({"interpretation_mode": "telepathy"}, "interpretation_mode", None),
    ],
)
def test_activity_new_refuses_a_bad_value_on_its_field(editor, site, changes, field, message):
    if changes.get("hosts_optional", "") is None:
        changes["hosts_optional"] = [str(site["mayor"].pk)]
    visit = site["visit"]
    response = editor.post(f"/visits/{visit.pk}/activities/new/", activity_data(site, **changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert Activity.objects.filter(visit=visit).count() == 1  # nothing half-saved
    assert not Precedence.objects.exists()


def test_activity_with_a_venue_of_another_visit_is_refused(editor, site):
    visit = site["visit"]
    elsewhere = factories.venue(factories.visit(visit.owner))
    data = activity_data(site, venue=str(elsewhere.pk))
    response = editor.post(f"/visits/{visit.pk}/activities/new/", data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["venue"]


def test_activity_after_one_that_already_follows_it_is_refused(editor, site):
    visit, welcome = site["visit"], site["welcome"]
    later = factories.activity(visit, site["hall"], title="Bilan")
    Precedence.objects.create(visit=visit, before=welcome, after=later)
    data = activity_data(site, title="Accueil", after=[str(later.pk)])
    response = editor.post(f"/visits/{visit.pk}/activities/{welcome.pk}/", data)
    assert response.status_code == 422
    assert response.context["form"].errors == {"after": ["Bilan already come after this activity."]}


def test_activity_error_is_in_the_readers_language(editor, site):
    visit = site["visit"]
    data = activity_data(site, latest="2009-04-21T08:00")
    response = editor.post(f"/visits/{visit.pk}/activities/new/", data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.context["form"].errors["latest"] == [
        "« Fin au plus tard » précède « début au plus tôt »."
    ]


def test_activity_delete_says_what_goes_with_it_then_deletes(editor, site):
    visit, welcome = site["visit"], site["welcome"]
    later = factories.activity(visit, site["hall"], title="Bilan")
    Precedence.objects.create(visit=visit, before=welcome, after=later)
    factories.programme_version(visit, [(welcome, dt.datetime(2009, 4, 20, 9, tzinfo=PARIS))])
    page = editor.get(f"/visits/{visit.pk}/activities/{welcome.pk}/delete/")
    assert (page.context["versions"], page.context["rules"]) == ([1], 1)
    assert "It leaves programme version 1." in page.content.decode()
    response = editor.post(f"/visits/{visit.pk}/activities/{welcome.pk}/delete/")
    assert response.status_code == 302
    assert list(Activity.objects.filter(visit=visit)) == [later]


def test_activity_pages_of_another_organisation_are_404(editor, site, other_org):
    theirs_visit = factories.visit(other_org)
    theirs = factories.activity(theirs_visit, factories.venue(theirs_visit))
    visit = site["visit"]
    assert editor.get(f"/visits/{theirs_visit.pk}/activities/").status_code == 404
    assert editor.get(f"/visits/{theirs_visit.pk}/activities/new/").status_code == 404
    assert editor.get(f"/visits/{visit.pk}/activities/{theirs.pk}/").status_code == 404
    assert editor.post(f"/visits/{visit.pk}/activities/{theirs.pk}/delete/").status_code == 404
    # Another organisation's people cannot be picked as hosts.
    stranger = factories.person(other_org, full_name="Inconnu")
    data = activity_data(site, hosts_required=[str(stranger.pk)])
    response = editor.post(f"/visits/{visit.pk}/activities/new/", data)
    assert list(response.context["form"].errors) == ["hosts_required"]
    assert Activity.objects.filter(pk=theirs.pk).exists()


def test_activity_writes_refuse_a_viewer_who_still_reads_the_list(viewer, site):
    visit, welcome = site["visit"], site["welcome"]
    assert viewer.get(f"/visits/{visit.pk}/activities/").status_code == 200
    assert viewer.get(f"/visits/{visit.pk}/activities/new/").status_code == 403
    assert (
        viewer.post(f"/visits/{visit.pk}/activities/new/", activity_data(site)).status_code == 403
    )
    assert viewer.post(f"/visits/{visit.pk}/activities/{welcome.pk}/delete/").status_code == 403
    assert Activity.objects.filter(visit=visit).count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_activity_list_queries_stay_constant(editor, org, count, django_assert_num_queries):
    visit = factories.visit(org)
    hall = factories.venue(visit)
    for n in range(count):
        factories.activity(visit, hall, hosts=[factories.person(org)], title=f"A{n}")
    # session, user, organiser, organisation, visit, activities with venues, host links
    # with their people, precedences; the setup path's steps; the "add several" rows: the
    # visit's owner, its venues and hosts (once for all the rows)
    with django_assert_num_queries(13):
        response = editor.get(f"/visits/{visit.pk}/activities/")
    assert len(response.context["rows"]) == count


def test_activity_list_says_when_and_after_what_in_the_readers_words(editor, site):
    visit, welcome = site["visit"], site["welcome"]
    tour = factories.activity(
        visit,
        site["hall"],
        title="Visite",
        languages=["fr", "oc"],
        fixed_start=dt.datetime(2009, 4, 21, 10, 30, tzinfo=PARIS),
    )
    Precedence.objects.create(visit=visit, before=welcome, after=tour)
    response = editor.get(f"/visits/{visit.pk}/activities/", HTTP_ACCEPT_LANGUAGE="fr")
    row = next(r for r in response.context["rows"] if r["activity"] == tour)
    assert (row["languages"], row["after"]) == ("français et occitan", "Accueil")
    assert row["when"].endswith(": mar. 21 avr., 10:30")  # Babel's French, whatever "fixed" reads


def test_activity_page_without_people_says_where_to_add_hosts(editor, org):
    visit = factories.visit(org)
    factories.venue(visit)
    page = editor.get(f"/visits/{visit.pk}/activities/new/")
    assert "hosts_required" not in page.context["form"].fields
    assert f'href="/visits/{visit.pk}/hosts/"' in page.content.decode()
