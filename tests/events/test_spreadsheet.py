"""Spreadsheet import: every kind from CSV and XLSX, errors by row and column, all or nothing,
idempotent re-import, French and Spanish headers, the template downloads and the page."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from delegations.models import Delegation, Guest, GuestLanguage, SubGroup
from events.import_services import visit_import
from events.models import Activity, ActivityHost, Availability, Person, Venue, Visit
from events.spreadsheet import CellError
from planner.models import Organisation
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
MODELS = (
    Activity,
    ActivityHost,
    Availability,
    Person,
    Venue,
    Organisation,
    Delegation,
    SubGroup,
    Guest,
    GuestLanguage,
)


@pytest.fixture
def aude(db, aude_once):
    """The Aude 2009 delegation visit, loaded from the demo file once for the module
    (tests/conftest.py); each test's changes are rolled back."""
    return Visit.objects.get(pk=aude_once.pk)


def csv_file(rows, delimiter=",", name="data.csv"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    file = io.BytesIO(out.getvalue().encode("utf-8"))
    file.name = name
    return file


def xlsx_file(rows, name="data.xlsx", title="Sheet1", extra_sheets=()):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for sheet_title, sheet_rows in extra_sheets:
        other = book.create_sheet(sheet_title)
        for row in sheet_rows:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    file = io.BytesIO(out.getvalue())
    file.name = name
    return file


def make_file(fmt, rows):
    return csv_file(rows) if fmt == "csv" else xlsx_file(rows)


def snapshot():
    """Every row of every table an import may touch, to prove a run wrote nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def run(visit, kind, file, dry_run=False):
    return visit_import(visit=visit, kind=kind, file=file, dry_run=dry_run)


def at(day, hour, minute=0):
    return dt.datetime(2009, 4, day, hour, minute, tzinfo=PARIS)


ACTIVITY_HEADER = [
    "title",
    "kind",
    "duration_minutes",
    "venue",
    "hosts",
    "languages",
    "interpretation_mode",
    "mandatory",
    "value",
    "earliest",
    "latest",
]
COOPERATIVE = [
    "Visite de la coopérative de Chalabre",
    "visit",
    "75",
    "Salle des fêtes de Quillan",
    "Peter Wollny; Claire Marty",
    "fr;en",
    "whispered",
    "no",
    "4",
    "2009-04-16 09:00",
    "16/04/2009 18:00",
]


# Every kind, from CSV and from XLSX -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_activities_import_creates_activity_with_hosts(aude, fmt):
    report = run(aude, "activities", make_file(fmt, [ACTIVITY_HEADER, COOPERATIVE]))

    assert (report.errors, report.created, report.updated, report.saved) == ([], 1, 0, True)
    activity = Activity.objects.get(visit=aude, title="Visite de la coopérative de Chalabre")
    assert activity.kind == "visit"
    assert activity.duration_minutes == 75
    assert activity.venue.name == "Salle des fêtes de Quillan"
    assert sorted(activity.hosts.values_list("full_name", flat=True)) == [
        "Claire Marty",
        "Peter Wollny",
    ]
    assert activity.languages == ["fr", "en"]
    assert activity.interpretation_mode == "whispered"
    assert activity.mandatory is False
    assert activity.value == 4
    assert activity.earliest == at(16, 9)
    assert activity.latest == at(16, 18)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hosts_import_creates_person_and_organisation(aude, fmt):
    rows = [
        [
            "full_name",
            "position",
            "organisation",
            "email",
            "phone",
            "languages",
            "preferred_language",
        ],
        [
            "Marie Dupont",
            "Gérante",
            "Coopérative de Chalabre",
            "coop@example.org",
            "+33 4 68 69 00 00",
            "fr;es",
            "fr",
        ],
    ]
    report = run(aude, "hosts", make_file(fmt, rows))

    assert (report.errors, report.created, report.also_created) == ([], 1, {"organisations": 1})
    person = Person.objects.get(owner=aude.owner, full_name="Marie Dupont")
    assert (person.role, person.position, person.affiliation.name) == (
        "host",
        "Gérante",
        "Coopérative de Chalabre",
    )
    assert (person.email, person.phone, person.languages, person.preferred_language) == (
        "coop@example.org",
        "+33 4 68 69 00 00",
        ["fr", "es"],
        "fr",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_availability_import_creates_window(aude, fmt):
    start = "2009-04-18 09:00" if fmt == "csv" else dt.datetime(2009, 4, 18, 9, 0)
    rows = [
        ["host", "start", "end", "kind", "note"],
        ["Eric Andrieu", start, "18/04/2009 11:30", "preferred", "Marché du samedi"],
    ]
    before = Availability.objects.filter(visit=aude).count()
    report = run(aude, "availability", make_file(fmt, rows))

    assert (report.errors, report.created) == ([], 1)
    assert Availability.objects.filter(visit=aude).count() == before + 1
    window = Availability.objects.get(visit=aude, person__full_name="Eric Andrieu", start=at(18, 9))
    assert (window.end, window.kind, window.note) == (
        at(18, 11, 30),
        "preferred",
        "Marché du samedi",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_guests_import_creates_delegation_subgroup_and_languages(aude, fmt):
    rows = [
        [
            "delegation",
            "full_name",
            "country",
            "organisation",
            "languages",
            "arrival",
            "departure",
            "dietary_needs",
            "subgroup",
        ],
        [
            "Délégation du Chili",
            "Ana Rojas",
            "cl",
            "Red de Economía Solidaria",
            "es:native;fr:basic;en",
            "2009-04-15 10:40",
            "2009-04-20 09:00",
            "vegetarian",
            "Groupe rural",
        ],
    ]
    report = run(aude, "guests", make_file(fmt, rows))

    assert (report.errors, report.created) == ([], 1)
    assert report.also_created == {"delegations": 1, "sub-groups": 1}
    guest = Guest.objects.get(delegation__visit=aude, full_name="Ana Rojas")
    assert guest.delegation.name == "Délégation du Chili"
    assert guest.subgroup.name == "Groupe rural"
    assert (guest.country, guest.organisation, guest.dietary_needs) == (
        "CL",
        "Red de Economía Solidaria",
        "vegetarian",
    )
    assert (guest.arrival, guest.departure) == (at(15, 10, 40), at(20, 9))
    assert sorted(guest.languages.values_list("language", "level")) == [
        ("en", "fluent"),
        ("es", "native"),
        ("fr", "basic"),
    ]


def test_workbook_import_takes_the_sheet_named_after_the_kind(aude):
    file = xlsx_file(
        [["full_name"], ["Marie Dupont"]],
        title="Hôtes",
        extra_sheets=[("Activités", [ACTIVITY_HEADER, COOPERATIVE])],
    )
    report = run(aude, "activities", file)

    assert (report.errors, report.created) == ([], 1)
    assert not Person.objects.filter(full_name="Marie Dupont").exists()


# One bad row: exactly that row, column and reason, and nothing written ------------------------


def test_activities_import_with_unknown_language_writes_nothing(aude):
    bad = [*COOPERATIVE[:5], "fr;xx", *COOPERATIVE[6:]]
    bad[0] = "Deuxième visite"
    before = snapshot()
    report = run(aude, "activities", csv_file([ACTIVITY_HEADER, COOPERATIVE, bad]))

    assert report.errors == [
        CellError(
            3, "languages", "“xx” is not an ISO 639 language code (for example “fr”, “en”, “es”)."
        )
    ]
    assert (report.created, report.saved) == (1, False)
    assert snapshot() == before


def test_activities_import_with_unknown_host_writes_nothing(aude):
    bad = [*COOPERATIVE[:4], "Pierre Inconnu", *COOPERATIVE[5:]]
    before = snapshot()
    report = run(aude, "activities", xlsx_file([ACTIVITY_HEADER, bad]))

    assert report.errors == [
        CellError(2, "hosts", "No host named “Pierre Inconnu”; import the hosts first.")
    ]
    assert snapshot() == before


def test_availability_import_with_end_before_start_writes_nothing(aude):
    rows = [
        ["Host", "Start", "End"],
        ["Eric Andrieu", "2009-04-18 09:00", "2009-04-18 11:00"],
        ["Hélène Castan", "2009-04-18 14:00", "2009-04-18 13:00"],
    ]
    before = snapshot()
    report = run(aude, "availability", csv_file(rows))

    assert report.errors == [CellError(3, "End", "The window ends before it starts.")]
    assert snapshot() == before


def test_guests_import_with_duplicate_guest_writes_nothing(aude):
    rows = [
        ["delegation", "full_name", "country"],
        ["Délégation du Chili", "Ana Rojas", "CL"],
        ["Délégation du Chili", "Ana Rojas", "CL"],
    ]
    before = snapshot()
    report = run(aude, "guests", csv_file(rows))

    assert report.errors == [CellError(3, "full_name", "This row repeats row 2.")]
    assert snapshot() == before


def test_import_with_unreadable_cells_lists_every_error(aude):
    rows = [
        ["title", "duration_minutes", "venue", "mandatory", "earliest", "couleur"],
        ["A", "une heure", "Salle des fêtes de Quillan", "peut-être", "demain", "bleu"],
        ["B", "60", "Nulle part", "yes", "", ""],
        ["", "60", "Salle des fêtes de Quillan", "yes", "", ""],
    ]
    report = run(aude, "activities", csv_file(rows), dry_run=True)

    assert report.errors == [
        CellError(
            1,
            "couleur",
            "Unknown column; the columns are: title, kind, duration_minutes, venue, "
            "venue_address, hosts, languages, interpretation_mode, mandatory, value, earliest, "
            "latest, fixed_start, phase.",
        ),
        CellError(2, "duration_minutes", "“une heure” is not a whole number."),
        CellError(
            2,
            "mandatory",
            "“peut-être” is not yes or no (yes/no, oui/non, sí/no, true/false, 1/0).",
        ),
        CellError(
            2,
            "earliest",
            "“demain” is not a date and time (for example 2009-04-16 09:00 or 16/04/2009 09:00).",
        ),
        CellError(
            3,
            "venue",
            "No venue named “Nulle part” in this visit; add it, or give its address in a "
            "venue_address column to create it.",
        ),
        CellError(4, "title", "This cell is required."),
    ]


def test_import_without_required_column_reports_it(aude):
    report = run(aude, "guests", csv_file([["full_name", "country"], ["Ana Rojas", "CL"]]))

    assert report.errors == [CellError(1, "delegation", "This column is missing.")]


def test_guest_without_country_reports_the_field(aude):
    report = run(aude, "guests", csv_file([["delegation", "full_name"], ["Chili", "Ana Rojas"]]))

    assert report.errors == [CellError(2, "country", "This field cannot be blank.")]


def test_import_of_garbage_reports_an_unreadable_file(aude):
    file = io.BytesIO(b"PK\x03\x04 not really a zip")
    file.name = "broken.xlsx"
    report = run(aude, "hosts", file)

    assert report.errors == [
        CellError(None, "", "The file cannot be read as a CSV or XLSX spreadsheet.")
    ]


# Dry run, idempotence, updates ------------------------------------------------------------


def test_dry_run_counts_and_writes_nothing(aude):
    existing = "Rencontre avec le maire de Villerouge-Termenès"
    rows = [["title", "duration_minutes", "venue"], [*COOPERATIVE[:1], "75", COOPERATIVE[3]]]
    mayor = Activity.objects.get(visit=aude, title=existing)
    rows.append([existing, str(mayor.duration_minutes), mayor.venue.name])
    rows.append([existing.replace("maire", "MAIRE"), "30", mayor.venue.name])
    before = snapshot()
    report = run(aude, "activities", csv_file(rows), dry_run=True)

    assert (report.errors, report.saved) == ([], False)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 1)
    assert snapshot() == before


def test_activities_import_of_changed_duration_counts_an_update(aude):
    title = "Rencontre avec le maire de Villerouge-Termenès"
    venue = Activity.objects.get(visit=aude, title=title).venue.name
    report = run(
        aude, "activities", csv_file([["title", "duration", "venue"], [title, "45", venue]])
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert Activity.objects.get(visit=aude, title=title).duration_minutes == 45


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        ("activities", [ACTIVITY_HEADER, COOPERATIVE]),
        ("hosts", [["full_name", "organisation", "languages"], ["Marie Dupont", "Coop", "fr;es"]]),
        (
            "availability",
            [["host", "start", "end"], ["Eric Andrieu", "18/04/2009 09:00", "18/04/2009 11:00"]],
        ),
        (
            "guests",
            [
                ["delegation", "full_name", "country", "languages", "subgroup"],
                ["Délégation du Chili", "Ana Rojas", "CL", "es:native;fr:basic", "Groupe rural"],
            ],
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimport_of_same_file_changes_nothing(aude, kind, rows, fmt):
    first = run(aude, kind, make_file(fmt, rows))
    after_first = snapshot()
    second = run(aude, kind, make_file(fmt, rows))

    assert (first.errors, first.created) == ([], 1)
    assert (second.errors, second.created, second.updated, second.unchanged) == ([], 0, 0, 1)
    assert second.also_created == {}
    assert snapshot() == after_first


def test_activities_import_creates_venue_given_an_address(aude):
    rows = [
        ["title", "duration_minutes", "venue", "venue_address"],
        ["Marché de Limoux", "60", "Place de la République, Limoux", "Place de la République"],
    ]
    report = run(aude, "activities", csv_file(rows))

    assert (report.errors, report.created, report.also_created) == ([], 1, {"venues": 1})
    venue = Venue.objects.get(visit=aude, name="Place de la République, Limoux")
    assert venue.address == "Place de la République"
    assert Activity.objects.get(visit=aude, title="Marché de Limoux").venue == venue


# French and Spanish headers ----------------------------------------------------------------


def test_activities_import_with_french_headers(aude):
    rows = [
        ["Titre", "Durée (minutes)", "Lieu", "Hôtes", "Langues", "Obligatoire", "Début fixe"],
        [
            "Visite de la coopérative",
            "60",
            "Salle des fêtes de Quillan",
            "Peter Wollny",
            "fr",
            "oui",
            "17/04/2009 16:00",
        ],
    ]
    report = run(aude, "activities", csv_file(rows, delimiter=";"))

    assert (report.errors, report.created) == ([], 1)
    activity = Activity.objects.get(visit=aude, title="Visite de la coopérative")
    assert (activity.duration_minutes, activity.mandatory, activity.fixed_start) == (
        60,
        True,
        at(17, 16),
    )
    assert list(activity.hosts.values_list("full_name", flat=True)) == ["Peter Wollny"]


def test_guests_import_with_spanish_headers(aude):
    rows = [
        ["Delegación", "Nombre completo", "País", "Idiomas", "Llegada", "Subgrupo"],
        ["Delegación de Chile", "Ana Rojas", "CL", "es:native", "15/04/2009 10:40", ""],
    ]
    report = run(aude, "guests", xlsx_file(rows))

    assert (report.errors, report.created) == ([], 1)
    guest = Guest.objects.get(delegation__name="Delegación de Chile", full_name="Ana Rojas")
    assert (guest.country, guest.arrival, guest.subgroup) == ("CL", at(15, 10, 40), None)


def test_activities_import_with_spanish_headers_reads_si(aude):
    rows = [
        ["TÍTULO", "duracion minutos", "Lugar", "Obligatorio"],
        ["Visita", "30", "Salle des fêtes de Quillan", "Sí"],
        ["Otra visita", "30", "Salle des fêtes de Quillan", "no"],
    ]
    report = run(aude, "activities", csv_file(rows))

    assert report.errors == []
    assert dict(
        Activity.objects.filter(title__in=["Visita", "Otra visita"]).values_list(
            "title", "mandatory"
        )
    ) == {"Visita": True, "Otra visita": False}


# The page, the templates and who may use them ------------------------------------------------


@pytest.fixture
def client_of(client, aude):
    factories.organiser(aude.owner, username="aude-organiser")
    client.login(username="aude-organiser", password="pw-for-tests-only")
    return client


def test_template_csv_has_header_and_example(client_of, aude):
    response = client_of.get(f"/visits/{aude.pk}/import/template/activities.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="activities-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        *ACTIVITY_HEADER[:4],
        "venue_address",
        "hosts",
        "languages",
        "interpretation_mode",
        "mandatory",
        "value",
        "earliest",
        "latest",
        "fixed_start",
        "phase",
    ]
    assert len(rows) == 2
    assert rows[1][:3] == ["Visite du château", "visit", "90"]
    assert rows[1][10] == "2009-04-15 09:00"


def test_template_xlsx_in_french_reads_back(client_of, aude):
    response = client_of.get(
        f"/visits/{aude.pk}/import/template/guests.xlsx", headers={"accept-language": "fr"}
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "guests"
    assert rows[0][:3] == ["délégation", "nom_complet", "pays"]
    assert rows[1][:3] == ["Délégation internationale", "Jacques Fiset", "CA"]


def test_template_of_unknown_kind_is_not_found(client_of, aude):
    assert client_of.get(f"/visits/{aude.pk}/import/template/rooms.csv").status_code == 404
    assert client_of.get(f"/visits/{aude.pk}/import/template/hosts.ods").status_code == 404


def test_import_page_check_lists_errors_and_disables_import(client_of, aude):
    bad = [*COOPERATIVE[:4], "Pierre Inconnu", *COOPERATIVE[5:]]
    before = snapshot()
    response = client_of.post(
        f"/visits/{aude.pk}/import/",
        {"kind": "activities", "action": "check", "file": csv_file([ACTIVITY_HEADER, bad])},
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert report.errors == [
        CellError(2, "hosts", "No host named “Pierre Inconnu”; import the hosts first.")
    ]
    html = response.content.decode()
    assert "<td>2</td><td>hosts</td><td>No host named “Pierre Inconnu”" in html
    assert 'id="import-button" disabled' in html
    assert snapshot() == before


def test_import_page_imports_checked_file_and_redirects(client_of, aude):
    check = client_of.post(
        f"/visits/{aude.pk}/import/",
        {"kind": "activities", "action": "check", "file": csv_file([ACTIVITY_HEADER, COOPERATIVE])},
    )
    assert 'id="import-button" disabled' not in check.content.decode()
    assert not Activity.objects.filter(title=COOPERATIVE[0]).exists()

    response = client_of.post(
        f"/visits/{aude.pk}/import/",
        {
            "kind": "activities",
            "action": "import",
            "token": check.context["token"],
        },
        follow=True,
    )

    assert response.redirect_chain == [(f"/visits/{aude.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Imported activities from data.csv: 1 created, 0 updated, 0 unchanged."
    ]
    assert Activity.objects.filter(visit=aude, title=COOPERATIVE[0]).count() == 1


def test_import_page_revalidates_on_import(client_of, aude):
    bad = csv_file([["host", "start", "end"], ["Nobody", "2009-04-18 09:00", "2009-04-18 10:00"]])
    before = snapshot()
    check = client_of.post(
        f"/visits/{aude.pk}/import/", {"kind": "availability", "action": "check", "file": bad}
    )
    response = client_of.post(
        f"/visits/{aude.pk}/import/",
        {"kind": "availability", "action": "import", "token": check.context["token"]},
    )

    assert response.status_code == 200
    assert response.context["report"].errors == [
        CellError(2, "host", "No host named “Nobody”; import the hosts first.")
    ]
    assert snapshot() == before


def test_import_page_of_another_organisation_is_not_found(client, aude, other_org):
    factories.organiser(other_org, username="stranger")
    client.login(username="stranger", password="pw-for-tests-only")

    assert client.get(f"/visits/{aude.pk}/import/").status_code == 404
    assert client.get(f"/visits/{aude.pk}/import/template/hosts.csv").status_code == 404


def test_import_page_for_user_without_organisation_is_forbidden(client, aude, django_user_model):
    # As on every organiser page: the account exists but plans for no organisation.
    django_user_model.objects.create_user(username="visitor", password="pw-for-tests-only")
    client.login(username="visitor", password="pw-for-tests-only")

    assert client.get(f"/visits/{aude.pk}/import/").status_code == 403


def test_import_page_anonymous_is_sent_to_login(client, aude):
    response = client.get(f"/visits/{aude.pk}/import/")

    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next=/visits/{aude.pk}/import/",
    )


def test_visit_page_links_to_import(client_of, aude):
    html = client_of.get(f"/visits/{aude.pk}/").content.decode()

    assert f'href="/visits/{aude.pk}/import/"' in html


def test_availability_import_reads_french_kind_labels(aude):
    rows = [
        ["Hôte", "Début", "Fin", "Type"],
        ["Eric Andrieu", "18/04/2009 09:00", "18/04/2009 10:00", "Préférée"],
        ["Eric Andrieu", "18/04/2009 14:00", "18/04/2009 15:00", "indisponible"],
    ]
    report = run(aude, "availability", csv_file(rows, delimiter=";"))

    assert (report.errors, report.created) == ([], 2)
    kinds = Availability.objects.filter(
        visit=aude, person__full_name="Eric Andrieu", start__in=[at(18, 9), at(18, 14)]
    ).order_by("start")
    assert list(kinds.values_list("kind", flat=True)) == ["preferred", "unavailable"]


def test_activities_import_with_unknown_kind_names_the_choices(aude):
    rows = [["título", "tipo", "duración", "lugar"], ["Visita", "paseo", "30", "Mairie"]]
    report = run(aude, "activities", csv_file(rows))

    assert report.errors == [
        CellError(
            2,
            "tipo",
            "“paseo” is not one of: visit, meeting, workshop, plenary, meal, reception, free.",
        )
    ]
