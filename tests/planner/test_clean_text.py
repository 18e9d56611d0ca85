"""Issue 16: one rule for clean text, at the models, the API schemas, the problem import and
the OpenAPI schema: line breaks and control characters refused in single-line text, bidi
overrides refused in names, surrounding spaces stripped, lengths bounded."""

import pytest
from django.core.exceptions import ValidationError

from confirmations.models import HostAnswer
from events.models import Venue
from notifications.services import _address
from tests import factories

BAD_NAMES = [
    "Salle\r\nATTENDEE:mailto:evil@example.org",
    "Salle\nB",
    "Nul\x00",
    "Esc\x1b[31m",
    "Tab\tinside",
    "Right\u202eto left",
    "Isolate\u2066x\u2069",
    "Line\u2028separator",
]


@pytest.mark.parametrize("name", BAD_NAMES, ids=range(len(BAD_NAMES)))
def test_models_refuse_hostile_names(visit, name):
    venue = Venue(visit=visit, name=name)
    with pytest.raises(ValidationError) as refused:
        venue.full_clean()
    assert "name" in refused.value.message_dict


def test_models_strip_names_and_bound_them(visit):
    venue = Venue(visit=visit, name="  Salle des fêtes  ")
    venue.full_clean()
    assert venue.name == "Salle des fêtes"
    with pytest.raises(ValidationError):
        Venue(visit=visit, name="x" * 10_000).full_clean()


def test_multi_line_text_keeps_line_breaks_but_no_control_characters():
    field = HostAnswer._meta.get_field("reason")
    assert field.clean("  Not that day.\nSorry\tall  ", None) == "Not that day.\nSorry\tall"
    for bad in ("Nul\x00", "Esc\x1b", "Del\x7f", "C1\x9b"):
        with pytest.raises(ValidationError):
            field.clean(bad, None)


@pytest.mark.parametrize("name", BAD_NAMES, ids=range(len(BAD_NAMES)))
def test_api_refuses_hostile_names_naming_the_field(api, visit, name):
    answer = api.post(f"/visits/{visit.pk}/venues", {"name": name})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["body.payload.name"] or [
        e["field"] for e in answer.json()["errors"]
    ] == ["body.name"]


def test_api_strips_names(api, visit):
    answer = api.post(f"/visits/{visit.pk}/venues", {"name": "  Salle  "})
    assert answer.status_code == 201
    assert answer.json()["name"] == "Salle"


def _problem(venue="Salle", host="Eric", activity="Rencontre"):
    return {
        "days": [{"id": 0, "start": 540, "end": 1080}],
        "venues": [{"id": 1, "name": venue}],
        "hosts": [{"id": 1, "name": host, "windows": [{"start": 540, "end": 1080}]}],
        "activities": [{"id": 1, "name": activity, "duration": 60, "venue": 1, "hosts": [1]}],
    }


@pytest.mark.parametrize(
    ("problem", "path"),
    [
        (_problem(venue="x" * 10_000), "venues[0].name"),
        (_problem(venue="Salle\r\nATTENDEE:x"), "venues[0].name"),
        (_problem(host="Eric\nAndrieu"), "hosts[0].name"),
        (_problem(host="Eric\u202eAndrieu"), "hosts[0].name"),
        (_problem(activity="Nul\x00"), "activities[0].name"),
    ],
)
def test_problem_import_refuses_hostile_names_on_their_path(api, problem, path):
    answer = api.post("/problems/import", {"title": "Imported", "problem": problem})
    assert answer.status_code == 422, answer.content
    assert [e["field"] for e in answer.json()["errors"]] == [f"body.problem.{path}"]
    assert not Venue.objects.filter(visit__title="Imported").exists()


def test_problem_import_takes_clean_names(api):
    answer = api.post("/problems/import", {"title": "Imported", "problem": _problem()})
    assert answer.status_code == 201, answer.content


def test_openapi_documents_the_text_rules(client):
    spec = client.get("/api/v1/openapi.json").json()
    venue = spec["components"]["schemas"]["VenueIn"]["properties"]
    assert "\\u202e" in venue["name"]["pattern"].lower()
    assert "bidirectional" in venue["name"]["description"]
    assert (
        "single line" in venue["address"]["description"].lower()
        or "One line" in (venue["address"]["description"])
    )


def test_email_addresses_put_old_names_on_one_line():
    assert _address("Eric\r\nBcc: evil@example.org\x00", "eric@example.org") == (
        '"Eric Bcc: evil@example.org" <eric@example.org>'
    )


def test_factories_still_make_clean_rows(org):
    factories.person(org, full_name="Eric Andrieu").full_clean()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("csv", "Marie\nDupont"),
        ("xlsx", "Marie\nDupont"),
        ("csv", "Marie\u202eDupont"),
        ("xlsx", "Marie\u202eDupont"),
        ("csv", "Marie\x1bDupont"),  # openpyxl cannot write ESC in a cell
    ],
)
def test_spreadsheet_import_refuses_hostile_names_on_their_column(visit, fmt, name):
    from events.import_services import visit_import
    from events.models import Person
    from tests.events.test_spreadsheet import make_file

    file = make_file(fmt, [["full_name", "position"], [name, "maire"]])
    report = visit_import(visit=visit, kind="hosts", file=file, dry_run=False)
    assert report.errors and not report.saved
    assert "full_name" in str(report.errors[0]) or "full name" in str(report.errors[0]).lower()
    assert not Person.objects.filter(owner=visit.owner).exists()
