"""Changing a host's windows from the organiser's pages (activities: tests/orga)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from events.models import Availability
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def site(db, client):
    org = factories.organisation(name="Réseau")
    client.force_login(factories.organiser(org))
    visit = factories.visit(org, time_zone="Europe/Paris")
    venue = factories.venue(visit, name="Mairie")
    host = factories.person(org, full_name="Eric Andrieu")
    return visit, venue, host


def test_host_windows_adds_a_window_in_the_visit_time_zone(site, client):
    visit, _venue, host = site
    response = client.post(
        f"/visits/{visit.pk}/windows/?person={host.pk}",
        {"day": "2009-04-21", "start": "09:30", "end": "12:00", "kind": "available"},
    )
    assert response.status_code == 302
    window = Availability.objects.get(person=host)
    assert window.start == dt.datetime(2009, 4, 21, 9, 30, tzinfo=PARIS)
    assert window.end == dt.datetime(2009, 4, 21, 12, 0, tzinfo=PARIS)
    page = client.get(response["Location"])
    hours = "9:30\u202fAM\u2009\u2013\u200912:00\u202fPM"
    assert f"<td>Tuesday, April 21, 2009</td><td>{hours}</td>" in page.content.decode()


def test_host_windows_end_before_start_names_the_field(site, client):
    visit, _venue, host = site
    response = client.post(
        f"/visits/{visit.pk}/windows/?person={host.pk}",
        {"day": "2009-04-21", "start": "12:00", "end": "09:00", "kind": "available"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["end"] == ["The window ends before it starts."]
    assert not Availability.objects.exists()


def test_host_windows_day_outside_the_visit_is_refused(site, client):
    visit, _venue, host = site
    response = client.post(
        f"/visits/{visit.pk}/windows/?person={host.pk}",
        {"day": "2009-05-01", "start": "09:00", "end": "12:00", "kind": "available"},
    )
    assert response.status_code == 422
    assert "day" in response.context["form"].errors


def test_host_window_delete_removes_only_that_window(site, client):
    visit, _venue, host = site
    keep = factories.window(visit, host, 0, "09:00", "12:00")
    drop = factories.window(visit, host, 1, "09:00", "12:00")
    response = client.post(f"/visits/{visit.pk}/windows/{drop.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/windows/?person={host.pk}"
    assert list(Availability.objects.values_list("pk", flat=True)) == [keep.pk]


def test_edit_pages_of_another_organisations_visit_are_404(site, client):
    other = factories.visit(factories.organisation(name="Autre"))
    assert client.get(f"/visits/{other.pk}/activities/new/").status_code == 404
    assert client.get(f"/visits/{other.pk}/windows/").status_code == 404


def test_host_windows_page_queries_stay_constant(site, client, django_assert_max_num_queries):
    visit, _venue, host = site
    factories.window(visit, host, 0, "09:00", "12:00")
    with django_assert_max_num_queries(12) as one:
        client.get(f"/visits/{visit.pk}/windows/?person={host.pk}")
    for day in (1, 2):
        factories.window(visit, host, day, "09:00", "12:00")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/visits/{visit.pk}/windows/?person={host.pk}")
