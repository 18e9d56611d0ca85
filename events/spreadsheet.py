"""Read organisers' spreadsheets (CSV or XLSX) into typed rows, and write the blank templates.

Nothing here touches the database: each cell is turned into a Python value or into a
``CellError`` naming the row as the spreadsheet shows it (the header is row 1) and the column
as the file spells it. Checking values against the models is ``import_services``' job, so the
rules live in one place (the models' ``full_clean``).
"""

import codecs
import csv
import datetime as dt
import io
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from events.models import Activity, Availability

# A cell left empty: the service decides whether that clears the field or leaves it alone.
EMPTY = None
MAX_BYTES = 1024 * 1024


class CellProblem(ValueError):
    """A cell whose text cannot be read as the column's type (the message says why)."""


@dataclass(frozen=True)
class CellError:
    row: int | None  # None: about the whole file
    column: str
    reason: str


@dataclass(frozen=True)
class Column:
    key: str
    names: tuple[str, ...]  # English, French, Spanish first (the template's headers), then variants
    parse: Callable[[object, ZoneInfo], object]
    required: bool = False
    example: str = ""

    def header(self, language: str) -> str:
        index = {"en": 0, "fr": 1, "es": 2}.get(language, 0)
        return self.names[index]


@dataclass
class Row:
    number: int
    values: dict[str, object]  # column key -> parsed value (EMPTY when the cell is blank)
    errors: list[CellError] = field(default_factory=list)


@dataclass
class Sheet:
    kind: str
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header as in the file
    rows: list[Row] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)  # header and file problems
    refused: str = ""  # why the whole file was refused (a limit, not a spreadsheet), if it was

    def column_label(self, key: str) -> str:
        return self.headers.get(key, key)


def normalise(text: object) -> str:
    """`Durée (minutes)` and `duree_minutes` are the same header: no accents, case or spacing."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return "_".join(words)


# Cell readers -----------------------------------------------------------------------------


def _text(raw, zone) -> str:
    # XLSX gives numbers for phone numbers or postcodes typed without quotes.
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _lower(raw, zone) -> str:
    return _text(raw, zone).lower()


def _upper(raw, zone) -> str:
    return _text(raw, zone).upper()


def _integer(raw, zone) -> int:
    if isinstance(raw, bool):
        raise CellProblem(_("“%(value)s” is not a whole number.") % {"value": raw})
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    try:
        return int(str(raw).strip())
    except ValueError:
        raise CellProblem(_("“%(value)s” is not a whole number.") % {"value": raw}) from None


TRUE = {"yes", "oui", "si", "true", "vrai", "verdadero", "1", "y", "o", "x"}
FALSE = {"no", "non", "false", "faux", "falso", "0", "n"}


def _boolean(raw, zone) -> bool:
    if isinstance(raw, bool):
        return raw
    word = normalise(_text(raw, zone))
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise CellProblem(
        _("“%(value)s” is not yes or no (yes/no, oui/non, sí/no, true/false, 1/0).")
        % {"value": raw}
    )


DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)


def _instant(raw, zone: ZoneInfo) -> dt.datetime:
    """Times are the visit's local times; XLSX date cells come as naive datetimes already."""
    if isinstance(raw, dt.datetime):
        parsed = raw
    elif isinstance(raw, dt.date):
        raise CellProblem(_("“%(value)s” has a date but no time.") % {"value": raw})
    else:
        text = _text(raw, zone)
        for pattern in DATETIME_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise CellProblem(
                _(
                    "“%(value)s” is not a date and time "
                    "(for example 2009-04-16 09:00 or 16/04/2009 09:00)."
                )
                % {"value": raw}
            )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


@cache
def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choice by its code or by its label in English, French or Spanish (`réunion` = meeting)."""
    names = {}
    for language in ("es", "fr", "en"):
        with translation.override(language):
            names.update({normalise(label): value for value, label in choices.choices})
    names.update({normalise(value): value for value in choices.values})
    return names


def _choice(choices: type[models.TextChoices]):
    def parse(raw, zone) -> str:
        value = _choice_names(choices).get(normalise(_text(raw, zone)))
        if value is None:
            raise CellProblem(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": raw, "choices": ", ".join(choices.values)}
            )
        return value

    return parse


def _split(raw, zone) -> list[str]:
    return [part.strip() for part in _text(raw, zone).split(";") if part.strip()]


def _codes(raw, zone) -> list[str]:
    return [code.lower() for code in _split(raw, zone)]


def _levels(raw, zone) -> list[tuple[str, str]]:
    """`en:fluent;fr:basic`; a language without a level is spoken fluently."""
    pairs = []
    for part in _split(raw, zone):
        code, _sep, level = part.partition(":")
        pairs.append((code.strip().lower(), level.strip().lower() or "fluent"))
    return pairs


def _col(key, names, parse=_text, required=False, example=""):
    return Column(key, tuple(names), parse, required, example)


# Column names: English, French, Spanish, then variants people type. Compared after normalise().
FULL_NAME = ("full_name", "nom_complet", "nombre_completo", "name", "nom", "nombre")
LANGUAGES = ("languages", "langues", "idiomas")
PREFERRED = ("preferred_language", "langue_preferee", "idioma_preferido")
ORGANISATION = ("organisation", "organisation", "organizacion", "organization")
POSITION = ("position", "fonction", "cargo")
EMAIL = ("email", "courriel", "correo", "e_mail", "mail", "correo_electronico")

KINDS: dict[str, list[Column]] = {
    "activities": [
        _col("title", ("title", "titre", "título"), required=True, example="Visite du château"),
        _col("kind", ("kind", "type", "tipo"), _choice(Activity.Kind), example="visit"),
        _col(
            "duration_minutes",
            (
                "duration_minutes",
                "durée_minutes",
                "duración_minutos",
                "duration",
                "durée",
                "duración",
            ),
            _integer,
            required=True,
            example="90",
        ),
        _col("venue", ("venue", "lieu", "lugar"), required=True, example="Mairie"),
        _col(
            "venue_address",
            ("venue_address", "adresse_du_lieu", "dirección_del_lugar", "adresse"),
            example="",
        ),
        _col("hosts", ("hosts", "hôtes", "anfitriones"), _split, example="Eric Andrieu"),
        _col("languages", LANGUAGES, _codes, example="fr"),
        _col(
            "interpretation_mode",
            ("interpretation_mode", "mode_d_interprétation", "modo_de_interpretación"),
            _choice(Activity.Interpretation),
            example="consecutive",
        ),
        _col("mandatory", ("mandatory", "obligatoire", "obligatorio"), _boolean, example="yes"),
        _col("value", ("value", "valeur", "valor"), _integer, example="0"),
        _col("earliest", ("earliest", "pas_avant", "no_antes_de"), _instant, example="{day} 09:00"),
        _col("latest", ("latest", "fini_avant", "terminado_antes_de"), _instant, example=""),
        _col("fixed_start", ("fixed_start", "début_fixe", "inicio_fijo"), _instant, example=""),
        _col("phase", ("phase", "phase", "fase"), example=""),
    ],
    "hosts": [
        _col("full_name", FULL_NAME, required=True, example="Eric Andrieu"),
        _col("position", POSITION, example="Maire"),
        _col("organisation", ORGANISATION, example="Mairie de Villerouge-Termenès"),
        _col("email", EMAIL, example="maire@example.org"),
        _col("phone", ("phone", "téléphone", "teléfono"), example="+33 4 68 00 00 00"),
        _col("languages", LANGUAGES, _codes, example="fr;en"),
        _col("preferred_language", PREFERRED, _lower, example="fr"),
    ],
    "availability": [
        _col(
            "host", ("host", "hôte", "anfitrión", *FULL_NAME), required=True, example="Eric Andrieu"
        ),
        _col("start", ("start", "début", "inicio"), _instant, required=True, example="{day} 09:00"),
        _col("end", ("end", "fin", "fin"), _instant, required=True, example="{day} 12:00"),
        _col("kind", ("kind", "type", "tipo"), _choice(Availability.Kind), example="available"),
        _col("note", ("note", "note", "nota"), example=""),
    ],
    "guests": [
        _col(
            "delegation",
            ("delegation", "délégation", "delegación"),
            required=True,
            example="Délégation internationale",
        ),
        _col("full_name", FULL_NAME, required=True, example="Jacques Fiset"),
        _col("country", ("country", "pays", "país"), _upper, example="CA"),
        _col("organisation", ORGANISATION, example="CLD de Québec"),
        _col("position", POSITION, example="Directeur"),
        _col("email", EMAIL, example="guest@example.org"),
        _col("preferred_language", PREFERRED, _lower, example="fr"),
        _col("languages", LANGUAGES, _levels, example="fr:native;en:working"),
        _col("arrival", ("arrival", "arrivée", "llegada"), _instant, example="{day} 10:40"),
        _col("departure", ("departure", "départ", "salida"), _instant, example=""),
        _col(
            "dietary_needs",
            ("dietary_needs", "régime_alimentaire", "necesidades_alimentarias", "régime"),
            example="",
        ),
        _col("subgroup", ("subgroup", "sous_groupe", "subgrupo", "sub_group"), example=""),
    ],
}

# In a workbook with one sheet per kind, the sheet is found by its name in any of the languages.
SHEET_NAMES = {
    "activities": ("activities", "activites", "actividades"),
    "hosts": ("hosts", "hotes", "anfitriones"),
    "availability": ("availability", "disponibilites", "disponibilidad", "disponibilidades"),
    "guests": ("guests", "invites", "invitados"),
}


def kind_label(kind: str) -> str:
    return {
        "activities": _("activities"),
        "hosts": _("hosts"),
        "availability": _("availability windows"),
        "guests": _("guests"),
    }[kind]


# Reading files ----------------------------------------------------------------------------


def limit(name: str) -> int:
    """An upload limit from the settings (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ...)."""
    return int(getattr(settings, name, LIMITS[name]))


LIMITS = {
    "IMPORT_MAX_BYTES": MAX_BYTES,
    "IMPORT_MAX_ROWS": 5000,
    "IMPORT_MAX_COLUMNS": 60,
    "IMPORT_MAX_CELLS": 200_000,
    "IMPORT_MAX_UNPACKED_BYTES": 50 * 1024 * 1024,
    "IMPORT_MAX_SHARED_STRINGS_BYTES": 10 * 1024 * 1024,
}


class Refused(ValueError):
    """The whole file is refused (too large, too many rows, not a spreadsheet): says why."""


def too_large_message() -> str:
    return _("The file is larger than %(size)s; split it into several files.") % {
        "size": filesizeformat(limit("IMPORT_MAX_BYTES"))
    }


def _is_xlsx(content: bytes, filename: str) -> bool:
    # An XLSX file is a zip archive; the name alone may lie (".csv" saved from Excel as xlsx).
    return content[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm"))


def _bounded(rows) -> list[list[object]]:
    """Rows from a streaming reader, stopped as soon as one of the limits is passed.

    Trailing blank cells do not count as columns; blank rows do not count as rows, but at most
    ten times the row limit of them are read, so a sheet of empty rows ends too."""
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    max_cells = limit("IMPORT_MAX_CELLS")
    table: list[list[object]] = []
    filled = cells = 0
    for read, row in enumerate(rows, start=1):
        values = list(row)
        while values and _blank(values[-1]):
            values.pop()
        if values:
            filled += 1
        if filled > max_rows + 1 or read > 10 * (max_rows + 1):  # + 1: the header row
            raise Refused(
                _("The file has more than %(limit)d rows; split it into several files.")
                % {"limit": max_rows}
            )
        if len(values) > max_columns:
            raise Refused(_("The file has more than %(limit)d columns.") % {"limit": max_columns})
        cells += sum(1 for v in values if not _blank(v))
        if cells > max_cells:
            raise Refused(
                _("The file has more than %(limit)d filled cells; split it into several files.")
                % {"limit": max_cells}
            )
        table.append(values)
    return table


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text"), else
    Windows-1252 (Excel's CSV on Windows in French or Spanish); a binary file is refused."""
    not_text = _(
        "The file is neither a spreadsheet nor a text file; save it as CSV (UTF-8) or XLSX."
    )
    for bom, encoding in BOMS:
        if content.startswith(bom):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                raise Refused(not_text) from None
            break
    else:
        if b"\x00" in content:
            raise Refused(not_text)
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise Refused(not_text) from None
    if "\x00" in text:
        raise Refused(not_text)
    return text


def _csv_rows(content: bytes) -> list[list[object]]:
    text = _decode(content)
    lines = text[:65536].splitlines()
    first = lines[0] if lines else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": the csv reader sees CR, LF and CRLF line endings as they are and splits on
    # each (and keeps them inside quoted cells).
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise Refused(_("The file cannot be read as a CSV or XLSX spreadsheet.")) from None


def _check_zip(content: bytes) -> None:
    """Refuse a zip that unpacks to more than the limit, before any of it is unpacked."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limit("IMPORT_MAX_UNPACKED_BYTES"):
        raise Refused(
            _("The file unpacks to more than %(size)s; split it into several files.")
            % {"size": filesizeformat(limit("IMPORT_MAX_UNPACKED_BYTES"))}
        )


def _check_shared_strings(content: bytes) -> None:
    """Refuse a workbook whose shared strings (the distinct texts of its cells, one part)
    unpack to more than IMPORT_MAX_SHARED_STRINGS_BYTES, before openpyxl reads them: it holds
    them all in memory before the first row (48 MB of short strings: 330 MB). The part is
    found as openpyxl finds it, by its content type in [Content_Types].xml, whatever its name."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if archive.getinfo(ARC_CONTENT_TYPES).file_size > 1024 * 1024:
            raise Refused(_("The file cannot be read as a CSV or XLSX spreadsheet."))
        part = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES))).find(SHARED_STRINGS)
        if part is None:
            return
        size = archive.getinfo(part.PartName.lstrip("/")).file_size
    if size > limit("IMPORT_MAX_SHARED_STRINGS_BYTES"):
        raise Refused(
            _("The file holds more than %(size)s of distinct texts; split it into several files.")
            % {"size": filesizeformat(limit("IMPORT_MAX_SHARED_STRINGS_BYTES"))}
        )


# openpyxl's private API this module relies on, checked with this version (a test fails when
# the installed openpyxl differs, to look again at ReadOnlyWorksheet before moving on).
OPENPYXL_CHECKED = "3.1.5"


def _unsized(sheet) -> None:
    """The sheet's size is not read up front: the rows are read as they are, not padded."""
    sheet._min_column = sheet._min_row = 1
    sheet._max_column = sheet._max_row = None


@cache
def _openpyxl_adjusted() -> None:
    """Read-only sheets made not to size themselves, once for the process (on the first XLSX
    upload: only those pay for importing openpyxl).

    Opening a read-only sheet looks for its <dimension> (``ReadOnlyWorksheet.__init__`` calls
    ``_get_size``); in a sheet without one (any file not written by Excel) openpyxl parses the
    whole sheet into memory to look for it: 170 MB for 2,000,000 rows. This module opens the
    only read-only sheets of the project, and reads them with ``reset_dimensions`` anyway."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _unsized


def _xlsx_rows(content: bytes, kind: str) -> list[list[object]]:
    from openpyxl import load_workbook

    _openpyxl_adjusted()
    _check_zip(content)
    _check_shared_strings(content)
    with warnings.catch_warnings():
        # Workbooks not written by Excel lack a default style; openpyxl warns and reads them fine.
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        names = SHEET_NAMES[kind]
        sheet = next((s for s in book.worksheets if normalise(s.title) in names), None)
        sheet = sheet or book.worksheets[0]
        # The declared dimensions may be A1:XFD1048576: rows are read as they are, not padded.
        sheet.reset_dimensions()
        return _bounded(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read(*, kind: str, content: bytes, filename: str, zone: ZoneInfo) -> Sheet:
    """Parse a whole file; every problem found is kept, none stops the reading."""
    sheet = Sheet(kind=kind)
    if len(content) > limit("IMPORT_MAX_BYTES"):
        sheet.refused = too_large_message()
        sheet.errors.append(CellError(None, "", sheet.refused))
        return sheet
    try:
        table = _xlsx_rows(content, kind) if _is_xlsx(content, filename) else _csv_rows(content)
    except Refused as exc:
        sheet.refused = str(exc)
        sheet.errors.append(CellError(None, "", sheet.refused))
        return sheet
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        SyntaxError,  # XML that does not parse (ElementTree's and lxml's errors), entity bombs
    ):
        sheet.refused = _("The file cannot be read as a CSV or XLSX spreadsheet.")
        sheet.errors.append(CellError(None, "", sheet.refused))
        return sheet
    while table and all(_blank(v) for v in table[-1]):
        table.pop()
    if not table:
        sheet.errors.append(CellError(None, "", _("The file is empty.")))
        return sheet

    columns = KINDS[kind]
    by_name = {normalise(name): column for column in columns for name in column.names}
    positions: dict[int, Column] = {}
    for index, header in enumerate(table[0]):
        if _blank(header):
            continue
        label = str(header).strip()
        column = by_name.get(normalise(header))
        if column is None:
            expected = ", ".join(c.key for c in columns)
            sheet.errors.append(
                CellError(
                    1,
                    label,
                    _("Unknown column; the columns are: %(columns)s.") % {"columns": expected},
                )
            )
        elif column.key in sheet.headers:
            sheet.errors.append(
                CellError(
                    1,
                    label,
                    _("This column repeats “%(other)s”.") % {"other": sheet.headers[column.key]},
                )
            )
        else:
            sheet.headers[column.key] = label
            positions[index] = column
    for column in columns:
        if column.required and column.key not in sheet.headers:
            sheet.errors.append(CellError(1, column.key, _("This column is missing.")))

    for number, cells in enumerate(table[1:], start=2):
        if all(_blank(v) for v in cells):
            continue
        row = Row(number=number, values={})
        for index, column in positions.items():
            raw = cells[index] if index < len(cells) else None
            label = sheet.headers[column.key]
            if _blank(raw):
                row.values[column.key] = EMPTY
                if column.required:
                    row.errors.append(CellError(number, label, _("This cell is required.")))
                continue
            try:
                row.values[column.key] = column.parse(raw, zone)
            except CellProblem as exc:
                row.errors.append(CellError(number, label, str(exc)))
        sheet.rows.append(row)
    return sheet


# Writing templates ------------------------------------------------------------------------


def template_rows(*, kind: str, language: str, day: dt.date) -> list[list[str]]:
    """The header row in the reader's language and one example row to overwrite."""
    columns = KINDS[kind]
    example = [c.example.replace("{day}", day.isoformat()) for c in columns]
    return [[c.header(language) for c in columns], example]


def template_csv(rows: list[list[str]], *, language: str) -> bytes:
    # French and Spanish Excel split CSV on ";" (the comma is their decimal mark); a BOM makes
    # Excel read UTF-8 accents correctly.
    delimiter = ";" if language in ("fr", "es") else ","
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(rows: list[list[str]], *, kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = kind
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter_cells in sheet.columns:
        width = max(len(str(c.value or "")) for c in letter_cells) + 2
        sheet.column_dimensions[letter_cells[0].column_letter].width = max(width, 12)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
