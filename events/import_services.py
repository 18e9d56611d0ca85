"""Import a visit's activities, hosts, availability windows or guests from a spreadsheet.

Every row is written inside one transaction with the models' own ``full_clean``, so later rows
can refer to what earlier rows created (a delegation, a venue) and the rules are exactly those
of the admin and the API. The transaction is rolled back on a dry run and whenever any row has
an error: an import writes all its rows or nothing. Rows are matched on natural keys (titles,
names, windows), and a record whose values are already those of the file is not written, so
importing the same file twice leaves the database as it was. An import never deletes a record
that the file does not mention; it does replace an activity's hosts and a guest's languages
with the ones its row lists, because those belong to the row.
"""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events import services, spreadsheet
from events.models import Activity, ActivityHost, Availability, Person, Venue, Visit
from events.spreadsheet import EMPTY, CellError, Row, Sheet
from planner.models import Organisation

# The JSON loader's comparison and message flattening: the same notion of "unchanged" and the
# same field/reason pairs whichever way the data comes in.
from planner.seeding import error_messages, same

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    # Records made on the way (a delegation, a venue, a sub-group), by their verbose name.
    also_created: dict[str, int] = field(default_factory=dict)
    saved: bool = False
    refused: str = ""  # the whole file was refused (a limit, not a spreadsheet): why

    @property
    def ok(self) -> bool:
        return not self.errors


class _RowInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems  # (column key or model field, reason)


def fail(key: str, reason: str):
    raise _RowInvalid([(key, reason)])


class Importer:
    """One kind of row. ``key`` names the row for duplicate detection, ``apply`` writes it."""

    # Model field -> column key, where the spreadsheet calls a field something else.
    field_columns: dict[str, str] = {}
    key_column = ""

    def __init__(self, visit: Visit, report: ImportReport, sheet: Sheet):
        self.visit, self.report, self.sheet = visit, report, sheet
        self.owner = visit.owner

    def key(self, values: dict):
        raise NotImplementedError

    def apply(self, values: dict) -> str:
        raise NotImplementedError

    # helpers shared by the kinds

    def upsert(self, model, lookup: dict, values: dict, fields: dict | None = None):
        """Create or update by natural key; return (instance, status). Writes only changes."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance, status = model(**lookup), CREATED
        elif all(same(getattr(instance, k), v) for k, v in values.items()):
            return instance, UNCHANGED
        else:
            status = UPDATED
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except ValidationError as exc:
            mapping = {**self.field_columns, **(fields or {})}
            raise _RowInvalid(
                [(mapping.get(name, name), message) for name, message in error_messages(exc)]
            ) from None
        instance.save()
        return instance, status

    def side_create(self, model, lookup: dict, column: str):
        """A record a row refers to by name and may bring into being (delegation, venue)."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance, _status = self.upsert(model, lookup, {}, fields={"name": column})
            label = str(model._meta.verbose_name_plural)
            self.report.also_created[label] = self.report.also_created.get(label, 0) + 1
        return instance

    def person(self, name: str, column: str) -> Person:
        person = Person.objects.filter(owner=self.owner, full_name=name).first()
        if person is None:
            fail(column, _("No host named “%(name)s”; import the hosts first.") % {"name": name})
        return person


def given(values: dict, names: tuple[str, ...], blank: dict) -> dict:
    """The columns the file has; an empty cell clears a field that may be blank, else keeps it."""
    out = {}
    for name in names:
        if name not in values:
            continue
        value = values[name]
        if value is EMPTY:
            if name not in blank:
                continue
            value = blank[name]
        out[name] = value
    return out


class _Activities(Importer):
    key_column = "title"

    def key(self, values):
        return values.get("title")

    def apply(self, values):
        data = given(
            values,
            (
                "kind",
                "duration_minutes",
                "languages",
                "interpretation_mode",
                "mandatory",
                "value",
                "earliest",
                "latest",
                "fixed_start",
            ),
            {"languages": [], "earliest": None, "latest": None, "fixed_start": None},
        )
        if values.get("venue") is not EMPTY and "venue" in values:
            data["venue"] = self.venue(values["venue"], values.get("venue_address"))
        if "phase" in values:
            data["phase"] = self.phase(values["phase"]) if values["phase"] else None
        activity, status = self.upsert(
            Activity, {"visit": self.visit, "title": values["title"]}, data
        )
        if "hosts" in values and self.set_hosts(activity, values["hosts"] or []):
            status = UPDATED if status == UNCHANGED else status
        return status

    def venue(self, name: str, address) -> Venue:
        venue = Venue.objects.filter(visit=self.visit, name=name).first()
        if venue is not None:
            return venue
        if not address:
            fail(
                "venue",
                _(
                    "No venue named “%(name)s” in this visit; add it, "
                    "or give its address in a venue_address column to create it."
                )
                % {"name": name},
            )
        venue, _status = self.upsert(
            Venue, {"visit": self.visit, "name": name}, {"address": address}, {"name": "venue"}
        )
        label = str(Venue._meta.verbose_name_plural)
        self.report.also_created[label] = self.report.also_created.get(label, 0) + 1
        return venue

    def phase(self, name: str):
        phase = (
            self.visit.format.phases.filter(name__iexact=name).first()
            if self.visit.format_id
            else None
        )
        if phase is None:
            fail("phase", _("No phase named “%(name)s” in this visit's format.") % {"name": name})
        return phase

    def set_hosts(self, activity: Activity, names: list[str]) -> bool:
        if len(set(names)) != len(names):
            fail("hosts", _("A host is listed twice."))
        wanted = {self.person(name, "hosts").pk for name in names}
        current = set(activity.host_links.values_list("person_id", flat=True))
        if wanted == current:
            return False
        activity.host_links.exclude(person_id__in=wanted).delete()
        for person_id in wanted - current:
            self.upsert(ActivityHost, {"activity": activity, "person_id": person_id}, {})
        return True


class _Hosts(Importer):
    key_column = "full_name"
    field_columns = {"affiliation": "organisation"}

    def key(self, values):
        return values.get("full_name")

    def apply(self, values):
        data = given(
            values,
            ("position", "email", "phone", "languages", "preferred_language"),
            {"position": "", "email": "", "phone": "", "languages": []},
        )
        if "organisation" in values:
            name = values["organisation"]
            # Organisations are shared by all networks: a host's council or association is
            # looked up by name and recorded once.
            data["affiliation"] = (
                self.side_create(Organisation, {"name": name}, "organisation") if name else None
            )
        lookup = {"owner": self.owner, "full_name": values["full_name"]}
        if not Person.objects.filter(**lookup).exists():
            data["role"] = Person.Role.HOST  # an existing person keeps their role
        _person, status = self.upsert(Person, lookup, data)
        return status


class _Availability(Importer):
    key_column = "start"
    field_columns = {"person": "host"}

    def key(self, values):
        return (values.get("host"), values.get("start"), values.get("end"))

    def apply(self, values):
        person = self.person(values["host"], "host")
        lookup = {
            "visit": self.visit,
            "person": person,
            "start": values["start"],
            "end": values["end"],
        }
        data = given(values, ("kind", "note"), {"note": ""})
        kind = data.get("kind", Availability.Kind.AVAILABLE)
        # A window already held by a merged one (9–15 for a row 9–12) is there already.
        exact = Availability.objects.filter(**lookup).exists()
        if not exact and services.availability_covered(
            visit=self.visit, person=person, kind=kind, start=values["start"], end=values["end"]
        ):
            return UNCHANGED
        window, status = self.upsert(Availability, lookup, data)
        services.availability_merge(instance=window)
        return status


IMPORTERS: dict[str, type[Importer]] = {
    "activities": _Activities,
    "hosts": _Hosts,
    "availability": _Availability,
    # "guests": delegations.imports.GuestImporter, registered by DelegationsConfig.ready
}


def importer_register(kind: str, importer: type[Importer]) -> None:
    """A higher app's kind of row (events does not import the apps above it)."""
    IMPORTERS[kind] = importer


def _column_error(sheet: Sheet, row: Row, key: str, reason: str) -> CellError:
    if key in sheet.headers:
        return CellError(row.number, sheet.column_label(key), reason)
    # A rule about a field the file has no column for (a missing country, a whole-record rule).
    return CellError(row.number, key, reason)


def visit_import(*, visit: Visit, kind: str, file, dry_run: bool) -> ImportReport:
    """Check (``dry_run``) or import one spreadsheet of ``kind`` into ``visit``.

    ``file`` is an uploaded file or any object with ``read()`` and an optional ``name``.
    Returns the report; writes only when there is no error and ``dry_run`` is false.
    """
    if kind not in IMPORTERS:
        raise ValueError(f"unknown import kind {kind!r}")
    most = spreadsheet.limit("IMPORT_MAX_BYTES")
    # The upload's size is known before it is read: a larger one is refused unread, and no
    # more than the limit is ever read from any file.
    size = getattr(file, "size", None)
    content = b"" if size is not None and size > most else file.read(most + 1)
    if len(content) > most or (size is not None and size > most):
        refused = spreadsheet.too_large_message()
        return ImportReport(kind=kind, errors=[CellError(None, "", refused)], refused=refused)
    sheet = spreadsheet.read(
        kind=kind,
        content=content,
        filename=getattr(file, "name", "") or "",
        zone=ZoneInfo(visit.time_zone),
    )
    report = ImportReport(
        kind=kind, rows=len(sheet.rows), errors=list(sheet.errors), refused=sheet.refused
    )
    if sheet.refused:
        return report
    importer = IMPORTERS[kind](visit, report, sheet)
    seen: dict[object, int] = {}
    # Without a required column no row can be matched; its cells' own errors are still worth
    # listing, so the organiser fixes everything in one go.
    complete = all(c.key in sheet.headers for c in spreadsheet.KINDS[kind] if c.required)
    with transaction.atomic():
        for row in sheet.rows:
            if row.errors or not complete:
                report.errors.extend(row.errors)
                continue
            key = importer.key(row.values)
            if key in seen:
                report.errors.append(
                    _column_error(
                        sheet,
                        row,
                        importer.key_column,
                        _("This row repeats row %(row)d.") % {"row": seen[key]},
                    )
                )
                continue
            seen[key] = row.number
            try:
                # A savepoint per row: a failed row leaves nothing behind for the next rows.
                with transaction.atomic():
                    status = importer.apply(row.values)
            except _RowInvalid as exc:
                report.errors.extend(
                    _column_error(sheet, row, key, reason) for key, reason in exc.problems
                )
                continue
            except IntegrityError:
                # Someone else wrote the same record meanwhile; the check is worth redoing.
                report.errors.append(
                    CellError(row.number, "", _("This row clashes with a record saved meanwhile."))
                )
                continue
            setattr(report, status, getattr(report, status) + 1)
        report.errors.sort(key=lambda e: (e.row or 0,))
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report
