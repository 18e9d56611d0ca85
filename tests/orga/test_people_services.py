"""The people pages' rules live in the services, so the API and the import keep them too:
merged windows, deletes refused while in use, viewers kept out of the old windows page."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from delegations.models import Guest, Interpreter
from events.import_services import visit_import
from events.models import Availability
from logistics.models import ActivityGuest
from planner.models import Organiser
from scheduling.models import InterpreterAssignment
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


def spans(person) -> list[tuple[str, str, str]]:
    return [
        (f"{w.start.astimezone(PARIS):%d %H:%M}", f"{w.end.astimezone(PARIS):%d %H:%M}", w.kind)
        for w in Availability.objects.filter(person=person).order_by("start")
    ]


def windows_file(rows: list[tuple[str, str, str]]):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["host", "start", "end", "kind"])
    for row in rows:
        writer.writerow([*row, "available"])
    file = io.BytesIO(out.getvalue().encode("utf-8"))
    file.name = "windows.csv"
    return file


def test_import_merges_touching_windows_and_reimport_changes_nothing(org, visit):
    host = factories.person(org, full_name="Eric Andrieu")
    rows = [
        ("Eric Andrieu", "2009-04-20 09:00", "2009-04-20 12:00"),
        ("Eric Andrieu", "2009-04-20 12:00", "2009-04-20 15:00"),
    ]
    report = visit_import(visit=visit, kind="availability", file=windows_file(rows), dry_run=False)
    assert report.errors == []
    assert spans(host) == [("20 09:00", "20 15:00", "available")]
    again = visit_import(visit=visit, kind="availability", file=windows_file(rows), dry_run=False)
    assert (again.errors, again.created, again.unchanged) == ([], 0, 2)
    assert spans(host) == [("20 09:00", "20 15:00", "available")]


def test_import_refuses_a_window_outside_the_visit(org, visit):
    factories.person(org, full_name="Eric Andrieu")
    rows = [("Eric Andrieu", "2001-04-20 09:00", "2001-04-20 12:00")]
    report = visit_import(visit=visit, kind="availability", file=windows_file(rows), dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "start")]
    assert not Availability.objects.exists()


def test_api_update_merges_into_the_updated_window(org, visit, api):
    host = factories.person(org)
    factories.window(visit, host, 0, "09:00", "10:00")
    moved = factories.window(visit, host, 0, "14:00", "15:00")
    payload = {
        "person": host.pk,
        "start": dt.datetime(2009, 4, 20, 10, 0, tzinfo=PARIS).isoformat(),
        "end": dt.datetime(2009, 4, 20, 11, 0, tzinfo=PARIS).isoformat(),
    }
    response = api.put(f"/visits/{visit.pk}/availability/{moved.pk}", payload)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == moved.pk
    assert spans(host) == [("20 09:00", "20 11:00", "available")]


def test_guest_delete_refused_while_an_activity_needs_them(visit, api):
    guest = factories.guest(factories.delegation(visit), full_name="Ben")
    activity = factories.activity(visit, factories.venue(visit), title="Atelier")
    ActivityGuest.objects.create(activity=activity, guest=guest)
    response = api.delete(f"/visits/{visit.pk}/guests/{guest.pk}")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body",
            "reason": "Still linked to guest required by an activity “Ben @ Atelier”.",
        }
    ]
    assert Guest.objects.filter(pk=guest.pk).exists()


def test_interpreter_delete_in_a_version_is_refused_not_a_500(org, visit, editor_client):
    interpreter = factories.interpreter(org)
    visit.interpreters.add(interpreter)
    activity = factories.activity(visit, factories.venue(visit), title="Atelier")
    version = factories.programme_version(
        visit, [(activity, dt.datetime(2009, 4, 20, 9, 0, tzinfo=PARIS))], publish=False
    )
    InterpreterAssignment.objects.create(
        slot=version.slots.get(), interpreter=interpreter, source="fr", target="en"
    )
    response = editor_client.post(f"/visits/{visit.pk}/interpreters/{interpreter.pk}/delete/")
    assert response.status_code == 409
    assert len(response.context["reasons"]) == 1
    assert response.context["reasons"][0].startswith("Still linked to interpreter assignment")
    assert Interpreter.objects.filter(pk=interpreter.pk).exists()


@pytest.fixture
def editor_client(org):
    client = Client()
    client.force_login(factories.organiser(org, username="editor"))
    return client


def test_old_windows_page_refuses_a_viewers_writes(org, visit):
    user = factories.organiser(org, username="viewer")
    Organiser.objects.filter(user=user).update(role=Organiser.Role.VIEWER)
    client = Client()
    client.force_login(user)
    host = factories.person(org)
    window = factories.window(visit, host, 0, "09:00", "10:00")
    url = f"/visits/{visit.pk}/windows/?person={host.pk}"
    assert client.get(url).status_code == 200
    data = {"day": "2009-04-20", "start": "11:00", "end": "12:00", "kind": "available"}
    assert client.post(url, data).status_code == 403
    assert client.post(f"/visits/{visit.pk}/windows/{window.pk}/delete/").status_code == 403
    assert list(Availability.objects.all()) == [window]
