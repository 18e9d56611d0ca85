"""Bounded uploads (#16): spreadsheets are read streaming and stop at the row, column, cell and
unpacked-size limits; a zip bomb is refused before any of it is parsed; CSV in UTF-8, UTF-8 with
BOM, UTF-16 and Windows-1252 with any line ending reads the same rows; binary files and files
over the size limit are refused with a 4xx that names the reason and never echoes the upload."""

# ruff: noqa: E501 (the package XML of a hand-made workbook)

import base64
import io
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.http.multipartparser import MultiPartParser

from events import import_views, spreadsheet
from tests import factories

PARIS = ZoneInfo("Europe/Paris")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="hosts" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def tall_xlsx(rows: int, cell: str = "<c><v>1</v></c>") -> bytes:
    """An XLSX of ``rows`` one-cell rows, its sheet XML written by hand in chunks: 2,000,000
    rows make a few hundred KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            chunk = (f"<row>{cell}</row>" * 10_000).encode()
            for _ in range(rows // 10_000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def read(content: bytes, name: str = "data.csv", kind: str = "hosts"):
    return spreadsheet.read(kind=kind, content=content, filename=name, zone=PARIS)


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows the reader pulled from the file."""
    count = {"rows": 0}
    bounded = spreadsheet._bounded

    def counting(rows):
        def each():
            for row in rows:
                count["rows"] += 1
                yield row

        return bounded(each())

    monkeypatch.setattr(spreadsheet, "_bounded", counting)
    return count


def test_two_million_row_xlsx_is_refused_and_small(rows_read, monkeypatch):
    content = tall_xlsx(2_000_000, cell='<c t="n"><v>1</v></c>')  # 64 MB of sheet XML
    assert len(content) < 1024 * 1024

    sheet = read(content, "tall.xlsx")

    assert sheet.rows == []
    assert "unpacks to more than 50.0\xa0MB" in sheet.refused
    assert rows_read["rows"] == 0


def test_rows_stop_at_the_row_limit(rows_read, settings, monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    def whole_sheet(self):
        # Without a <dimension>, openpyxl would parse the whole sheet into memory for its size.
        raise AssertionError("the sheet was parsed whole for its dimensions")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", whole_sheet)
    settings.IMPORT_MAX_UNPACKED_BYTES = 10**9
    sheet = read(tall_xlsx(2_000_000), "tall.xlsx")

    assert sheet.refused == "The file has more than 5000 rows; split it into several files."
    assert sheet.rows == []
    assert rows_read["rows"] == 5002  # the header, 5000 rows, and the one too many


def test_zip_bomb_is_refused_before_any_parse(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        zeros = b"\0" * (1024 * 1024)
        for _ in range(60):
            member.write(zeros)

    sheet = read(out.getvalue(), "bomb.xlsx")

    assert sheet.refused == "The file unpacks to more than 50.0\xa0MB; split it into several files."


def test_columns_and_cells_are_bounded(settings):
    wide = ",".join(f"c{i}" for i in range(61)).encode()
    assert read(wide).refused == "The file has more than 60 columns."

    settings.IMPORT_MAX_CELLS = 10
    many = b"full_name,position\n" + b"A,B\n" * 10
    assert read(many).refused == (
        "The file has more than 10 filled cells; split it into several files."
    )


ROWS = [["full_name", "position"], ["Éric Andrieu", "Maire"], ["Ana Núñez", "Alcaldesa"]]
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
    "utf-16-le": lambda text: text.encode("utf-16-le").join([b"\xff\xfe", b""]),
    "utf-16-be": lambda text: text.encode("utf-16-be").join([b"\xfe\xff", b""]),
    "windows-1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_every_encoding_and_line_ending_reads_the_same_rows(encoding, newline, delimiter):
    text = newline.join(delimiter.join(row) for row in ROWS) + newline
    sheet = read(ENCODINGS[encoding](text))

    assert (sheet.refused, sheet.errors) == ("", [])
    assert [row.values for row in sheet.rows] == [
        {"full_name": "Éric Andrieu", "position": "Maire"},
        {"full_name": "Ana Núñez", "position": "Alcaldesa"},
    ]
    assert [row.number for row in sheet.rows] == [2, 3]


def test_quoted_line_breaks_stay_in_their_cell():
    sheet = read(b'full_name,position\r"Ana\rN",Alcaldesa\r')

    assert [row.values["full_name"] for row in sheet.rows] == ["Ana\rN"]


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"full_name\nAna\x00\n",
        b"\xff\xfe\x00\xd8",  # UTF-16 with a broken surrogate
    ],
    ids=["bytes", "png", "nul", "bad-utf-16"],
)
def test_binary_is_refused(content):
    sheet = read(content)

    assert sheet.refused == (
        "The file is neither a spreadsheet nor a text file; save it as CSV (UTF-8) or XLSX."
    )
    assert sheet.rows == []


# The page ---------------------------------------------------------------------------------


@pytest.fixture
def visit(db):
    org = factories.organisation()
    return factories.visit(org)


@pytest.fixture
def organiser_client(client, visit):
    factories.organiser(visit.owner, username="limits-organiser")
    client.login(username="limits-organiser", password="pw-for-tests-only")
    return client


def upload(content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return file


MARKER = b"SECRET-UPLOAD-CONTENT-7f3a"


def test_refusal_page_is_small_and_holds_no_upload(organiser_client, visit):
    content = b"\x00" + MARKER * 20_000  # 520 KB of binary
    response = organiser_client.post(
        f"/visits/{visit.pk}/import/",
        {"kind": "hosts", "action": "check", "file": upload(content, "x.csv")},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The file was not read: The file is neither a spreadsheet nor a text file" in html
    assert len(response.content) < 20_000
    assert MARKER.decode() not in html
    assert 'name="payload"' not in html


def test_checked_file_stays_on_the_server(organiser_client, visit):
    content = b"full_name,position\nAna Nunez,Alcaldesa\n"
    response = organiser_client.post(
        f"/visits/{visit.pk}/import/",
        {"kind": "hosts", "action": "check", "file": upload(content, "hosts.csv")},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert base64.b64encode(content).decode() not in html
    assert 'name="payload"' not in html
    token = response.context["token"]
    assert f'name="token" value="{token}"' in html

    done = organiser_client.post(
        f"/visits/{visit.pk}/import/", {"kind": "hosts", "action": "import", "token": token}
    )
    assert done.status_code == 302
    # Imported once: the stored file is gone.
    again = organiser_client.post(
        f"/visits/{visit.pk}/import/", {"kind": "hosts", "action": "import", "token": token}
    )
    assert again.status_code == 400


def test_token_of_another_session_imports_nothing(organiser_client, client, visit):
    response = organiser_client.post(
        f"/visits/{visit.pk}/import/",
        {
            "kind": "hosts",
            "action": "check",
            "file": upload(b"full_name\nAna\n", "hosts.csv"),
        },
    )
    token = response.context["token"]
    other = factories.organiser(visit.owner, username="other-organiser")
    client.force_login(other)
    stolen = client.post(
        f"/visits/{visit.pk}/import/", {"kind": "hosts", "action": "import", "token": token}
    )
    assert stolen.status_code == 400


def test_30_mb_csv_is_refused_before_its_body_is_read(organiser_client, visit, monkeypatch):
    def never(self):
        raise AssertionError("the request body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", never)
    content = b"full_name\n" + MARKER * (30 * 1024 * 1024 // len(MARKER))
    response = organiser_client.post(
        f"/visits/{visit.pk}/import/",
        {"kind": "hosts", "action": "check", "file": upload(content, "big.csv")},
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "The file is larger than 1.0\xa0MB; split it into several files." in html
    assert MARKER.decode() not in html
    assert len(response.content) < 20_000


def test_upload_over_the_limit_is_refused_from_its_size_unread(
    organiser_client, visit, monkeypatch, settings
):
    settings.IMPORT_MAX_BYTES = 50_000

    def never(*args, **kwargs):
        raise AssertionError("the upload was read")

    monkeypatch.setattr(import_views, "visit_import", never)
    response = organiser_client.post(
        f"/visits/{visit.pk}/import/",
        {"kind": "hosts", "action": "check", "file": upload(b"a" * 60_000, "big.csv")},
    )

    assert response.status_code == 413
    assert "The file is larger than 48.8\xa0KB" in response.content.decode()


def test_import_page_still_checks_csrf(visit):
    from django.test import Client

    user = factories.organiser(visit.owner, username="csrf-organiser")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        f"/visits/{visit.pk}/import/",
        {"kind": "hosts", "action": "check", "file": upload(b"full_name\nAna\n", "h.csv")},
    )

    assert response.status_code == 403


def test_openpyxl_private_api_is_the_one_checked():
    """events.spreadsheet replaces ReadOnlyWorksheet._get_size (openpyxl's private API) so a
    read-only sheet does not parse itself whole for its size. Checked against one version:
    when openpyxl changes, look again at ReadOnlyWorksheet, then move OPENPYXL_CHECKED."""
    import inspect

    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    assert openpyxl.__version__ == spreadsheet.OPENPYXL_CHECKED
    assert "self._get_size()" in inspect.getsource(ReadOnlyWorksheet.__init__)
    for name in ("_min_column", "_min_row", "_max_column", "_max_row"):
        assert hasattr(ReadOnlyWorksheet, name)
    assert ReadOnlyWorksheet.iter_rows is Worksheet.iter_rows
    assert "self._max_row" in inspect.getsource(ReadOnlyWorksheet.reset_dimensions)


def test_openpyxl_is_adjusted_once_per_process(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import WorkSheetParser

    spreadsheet._openpyxl_adjusted()
    assert ReadOnlyWorksheet._get_size is spreadsheet._unsized

    def whole_sheet(self):
        raise AssertionError("the sheet was parsed whole for its dimensions")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", whole_sheet)
    hits = spreadsheet._openpyxl_adjusted.cache_info().hits
    sheet = read(tall_xlsx(20_000), "tall.xlsx")
    # The upload used the adjusted openpyxl, not adjusted again.
    assert spreadsheet._openpyxl_adjusted.cache_info().hits == hits + 1
    assert sheet.refused.startswith("The file has more than 5000 rows")


def test_upload_limits_are_read_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings",
        "DEBUG": "1",
        "IMPORT_MAX_BYTES": "2048",
        "IMPORT_MAX_UNPACKED_BYTES": "4096",
        "IMPORT_MAX_ROWS": "7",
        "IMPORT_MAX_COLUMNS": "8",
        "IMPORT_MAX_CELLS": "9",
        "IMPORT_MAX_SHARED_STRINGS_BYTES": "1024",
    }
    code = (
        "import django; django.setup(); from events import spreadsheet as s; "
        "print([s.limit(n) for n in sorted(s.LIMITS)])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # sorted: BYTES, CELLS, COLUMNS, ROWS, SHARED_STRINGS_BYTES, UNPACKED_BYTES
    assert "".join(out) == "[2048,9,8,7,1024,4096]"


def sheet_xlsx(sheet_xml, types=CONTENT_TYPES, rels=WORKBOOK_RELS, parts=()) -> bytes:
    """A workbook of one sheet; `parts`: more (name, content) written before the sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for name, content in parts:
            archive.writestr(name, content)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b"]><worksheet "
    + NS
    + b'><sheetData><row><c t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    "sheet_xml",
    [
        LAUGHS,  # "billion laughs": 10^9 characters from a few hundred bytes
        b"<worksheet " + NS + b"><sheetData><row><c><v>1</v></row></sheetData>",  # broken XML
        b"<worksheet " + NS + b"><sheetData><row><c>",  # cut short
    ],
    ids=["entity-expansion", "mismatched-tag", "truncated"],
)
def test_xml_that_does_not_parse_is_refused_not_a_server_error(sheet_xml):
    # ElementTree's ParseError is a SyntaxError, not a ValueError: it was a 500.
    sheet = read(sheet_xlsx(sheet_xml), "bad.xlsx")
    assert sheet.refused == "The file cannot be read as a CSV or XLSX spreadsheet."
    assert sheet.rows == []


def test_shared_strings_are_bounded_before_openpyxl_reads_them(settings, monkeypatch):
    # openpyxl holds every shared string in memory before the first row; the part is found by
    # its content type, so a name other than sharedStrings.xml does not slip through.
    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    types = CONTENT_TYPES.replace(
        "</Types>",
        '<Override PartName="/xl/strings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="strings.xml"/></Relationships>',
    )
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "<si><t>abcdef</t></si>" * 2000
        + "</sst>"
    )
    workbook = sheet_xlsx(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>',
        types=types,
        rels=rels,
        parts=[("xl/strings.xml", strings)],
    )
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 20_000
    monkeypatch.setattr(openpyxl, "load_workbook", never)
    sheet = read(workbook, "strings.xlsx")
    assert sheet.refused == (
        "The file holds more than 19.5\xa0KB of distinct texts; split it into several files."
    )
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 100_000
    monkeypatch.undo()
    sheet = read(workbook, "strings.xlsx")
    assert sheet.refused == ""
    assert sheet.headers == {} and sheet.errors  # read: "abcdef" is no column of hosts
