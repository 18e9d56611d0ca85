"""Post the hostile corpus of issue #16 against a live server and count its server errors.

Starts gunicorn on a free port with a fresh SQLite database (migrated, one organisation, one
organiser, one visit), signs in, then sends: names with CRLF, control characters, a right-to-left
override and 10,000 characters through the API and through the spreadsheet import; a zip bomb,
a 2,000,000-row XLSX, an XLSX declaring A1:XFD1048576, one of 16,384 columns, one of 2,200,000
shared strings and one of 460,000 (just under their limit), one declaring nested entities, an
XLSX named .csv, a 30 MB CSV, a 61-column CSV; CSVs in UTF-8, UTF-8 with BOM, UTF-16 (LE and
BE) and Windows-1252 with LF, CRLF and CR-only line endings; binary files;
Content-Security-Policy reports (one, junk, 20 KB, a burst of 150). Every answer under 500
counts as handled. The server's peak memory is the largest VmHWM (peak resident set) among the
gunicorn master and its workers, read from /proc.

    .venv/bin/python benchmarks/security/run.py

The last line is exactly ``hostile: requests=N server_errors=N peak_rss_mb=N``.
"""

import argparse
import http.client
import http.cookiejar
import io
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

HOSTILE_NAMES = [
    "Ana\r\nATTENDEE:mailto:evil@example.org",
    "Line\nbreak",
    "Carriage\ronly",
    "Nul\x00byte",
    "Esc\x1b[31mred",
    "Bell\x07 and \x0b vertical tab",
    "Right\u202eto-left override",
    "Zero\u200bwidth and \ufeff BOM",
    "x" * 10_000,
    "  spaced  ",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil")',
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(data_dir: Path) -> dict:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="planner.settings",
        PLANNER_DATA_DIR=str(data_dir),
        SECRET_KEY=os.environ.get("SECRET_KEY", "security-benchmark-only"),
        DEBUG="0",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="127.0.0.1",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests import factories

    org = factories.organisation()
    user = factories.organiser(org, username="hostile-organiser")
    visit = factories.visit(org)
    return {"visit": visit.pk, "token": factories.token_for(user)}


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.statuses: list[tuple[str, int]] = []

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def send(self, label, method, path, body=None, headers=None) -> tuple[int, bytes]:
        if body is not None and len(body) > 2 * 1024 * 1024:
            status, content = self.send_large(path, body, headers or {})
            self.statuses.append((label, status))
            return status, content
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers or {}
        )
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=300) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, content = exc.code, exc.read()
        except (ConnectionError, TimeoutError, urllib.error.URLError) as exc:
            # A server that hangs up or never answers failed as surely as a 500.
            print(f"  {label}: no answer ({exc})")
            status, content = 599, b""
        self.statuses.append((label, status))
        return status, content

    def send_large(self, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        """POST as a browser does: stop sending the body once the server has answered (a
        server that refuses an upload from its declared size answers before reading it)."""
        host, port = self.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=300)
        connection.putrequest("POST", path)
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        for name, value in {**headers, "Cookie": cookies, "Referer": self.base + path}.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        try:
            for start in range(0, len(body), 64 * 1024):
                if select.select([connection.sock], [], [], 0)[0]:
                    break  # the answer came before the whole body was sent
                connection.sock.sendall(body[start : start + 64 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            response = connection.getresponse()
            return response.status, response.read()
        except (ConnectionError, http.client.HTTPException) as exc:
            print(f"  {path}: no answer ({exc})")
            return 599, b""
        finally:
            connection.close()

    def form(self, label, path, fields: dict, files: dict | None = None):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(value).encode()
                + b"\r\n"
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": self.csrf(),
        }
        return self.send(label, "POST", path, body, headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main">'
)


def xlsx(write_sheet, *, head: bytes = SHEET_HEAD, shared_strings=None) -> bytes:
    """A workbook whose one sheet's XML (after ``head``) is written by ``write_sheet(out)``;
    with ``shared_strings(out)``, a shared-strings part too."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_strings
            else ""
        )
        + "</Types>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main" xmlns:r="{rel}"><sheets><sheet name="hosts" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    )
    strings_rel = (
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings
        else ""
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
        f'worksheet" Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        if shared_strings:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                shared_strings(part)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head)
            write_sheet(sheet)
            sheet.write(b"</worksheet>")
    return out.getvalue()


def tall_xlsx(rows: int) -> bytes:
    """2,000,000 one-cell rows in a few hundred KB: the sheet XML written by hand."""

    def write(sheet):
        sheet.write(b"<sheetData>")
        chunk = b"<row><c><v>1</v></c></row>" * 10_000
        for _ in range(rows // 10_000):
            sheet.write(chunk)
        sheet.write(b"</sheetData>")

    return xlsx(write)


def huge_dimension_xlsx() -> bytes:
    """Two cells, but a declared size of A1:XFD1048576 (17 billion cells if padded)."""

    def write(sheet):
        sheet.write(
            b'<dimension ref="A1:XFD1048576"/><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>full_name</t></is></c></row>'
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>Ana</t></is></c></row></sheetData>'
        )

    return xlsx(write)


def wide_xlsx(columns: int = 16_384) -> bytes:
    """One row of 16,384 cells (every column Excel has)."""

    def write(sheet):
        sheet.write(b"<sheetData><row>" + b"<c><v>1</v></c>" * columns + b"</row></sheetData>")

    return xlsx(write)


def shared_strings_xlsx(count: int = 2_200_000) -> bytes:
    """A sheet of one cell and 2,200,000 shared strings (48 MB unpacked, under the unpacked
    limit): a reader that loads every shared string holds them all in memory."""

    def strings(part):
        part.write(
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.'
            b'org/spreadsheetml/2006/main">'
        )
        chunk = b"<si><t>abcdef</t></si>" * 10_000
        for _ in range(count // 10_000):
            part.write(chunk)
        part.write(b"</sst>")

    def write(sheet):
        sheet.write(b'<sheetData><row><c t="s"><v>0</v></c></row></sheetData>')

    return xlsx(write, shared_strings=strings)


def entity_expansion_xlsx() -> bytes:
    """A sheet declaring nested entities ("billion laughs")."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )

    def write(sheet):
        sheet.write(b'<sheetData><row><c t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>')

    return xlsx(write, head=head)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        zeros = b"\0" * (1024 * 1024)
        for _ in range(1024):  # 1 GB unpacked
            member.write(zeros)
    return out.getvalue()


def csv_text(names: list[str], newline: str) -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    lines = ["full_name,position"] + [f"{cell(n)},Maire" for n in names]
    return newline.join(lines) + newline


def corpus() -> list[tuple[str, str, bytes]]:
    """(label, filename, content) of every file posted to the import page."""
    clean = ["Éric Andrieu", "Ana Núñez"]
    files = []
    encoders = {
        "utf-8": lambda t: t.encode("utf-8"),
        "utf-8-bom": lambda t: t.encode("utf-8-sig"),
        "utf-16-le": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
        "utf-16-be": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        "windows-1252": lambda t: t.encode("cp1252"),
    }
    for encoding, encode in encoders.items():
        for ending, newline in (("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")):
            files.append(
                (f"csv {encoding} {ending}", "hosts.csv", encode(csv_text(clean, newline)))
            )
    for i, name in enumerate(HOSTILE_NAMES):
        files.append((f"csv hostile name {i}", "hosts.csv", csv_text([name], "\n").encode()))
    files += [
        ("binary bytes", "hosts.csv", bytes(range(256)) * 64),
        ("binary png", "hosts.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096)),
        ("random bytes", "hosts.xlsx", os.urandom(65536)),
        ("utf-16 without BOM", "hosts.csv", csv_text(clean, "\r\n").encode("utf-16-le")),
        ("61 columns", "hosts.csv", ",".join(f"c{i}" for i in range(61)).encode()),
        ("zip bomb", "hosts.xlsx", zip_bomb()),
        ("2,000,000 rows", "hosts.xlsx", tall_xlsx(2_000_000)),
        ("declared A1:XFD1048576", "hosts.xlsx", huge_dimension_xlsx()),
        ("16,384 columns xlsx", "hosts.xlsx", wide_xlsx()),
        ("2,200,000 shared strings", "hosts.xlsx", shared_strings_xlsx()),
        ("460,000 shared strings", "hosts.xlsx", shared_strings_xlsx(460_000)),  # under the limit
        ("entity expansion xlsx", "hosts.xlsx", entity_expansion_xlsx()),
        ("xlsx named .csv", "hosts.csv", huge_dimension_xlsx()),
        ("30 MB csv", "hosts.csv", b"full_name\n" + b"Ana Nunez\n" * (3 * 1024 * 1024)),
        ("empty", "hosts.csv", b""),
    ]
    return files


def peak_rss_mb(pid: int) -> float:
    """The largest peak resident set among the server process and its children."""
    peaks = []
    for child in [pid, *children(pid)]:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in children(c)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    data = setup(Path(tempfile.mkdtemp(prefix="security-bench-")))
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "planner.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stderr=subprocess.DEVNULL,
    )
    peak = 0.0
    peaks: list[tuple[str, float]] = []  # the peak so far, after each file of the corpus
    client = Client(f"http://127.0.0.1:{port}")
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{client.base}/accounts/login/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        client.send("login page", "GET", "/accounts/login/")
        client.form(
            "sign in",
            "/accounts/login/",
            {"username": "hostile-organiser", "password": "pw-for-tests-only"},
        )
        baseline = peak_rss_mb(server.pid)
        visit = data["visit"]
        api = {"Authorization": f"Bearer {data['token']}", "Content-Type": "application/json"}
        for i, name in enumerate(HOSTILE_NAMES):
            body = json.dumps({"full_name": name, "role": "host", "position": name}).encode()
            client.send(f"api person {i}", "POST", "/api/v1/people", body, api)
            body = json.dumps({"name": name, "address": name}).encode()
            client.send(f"api venue {i}", "POST", f"/api/v1/visits/{visit}/venues", body, api)
        page = f"/visits/{visit}/import/"
        client.send("import page", "GET", page)
        for label, filename, content in corpus():
            status, html = client.form(
                label, page, {"kind": "hosts", "action": "check"}, {"file": (filename, content)}
            )
            token = re.search(rb'name="token" value="([^"]+)"', html)
            if status == 200 and token:
                client.form(
                    f"{label} (import)",
                    page,
                    {"kind": "hosts", "action": "import", "token": token.group(1).decode()},
                )
            peak = max(peak, peak_rss_mb(server.pid))
            peaks.append((label, peak))
        # Content-Security-Policy reports: one, junk, over 16 KB, and a burst past the rate.
        report = {
            "csp-report": {
                "document-uri": "http://x/host/" + "k" * 43 + "/",
                "effective-directive": "style-src-attr\r\nFAKE",
            }
        }
        csp = {"Content-Type": "application/csp-report"}
        client.send("csp report", "POST", "/csp-report/", json.dumps(report).encode(), csp)
        client.send("csp report junk", "POST", "/csp-report/", b"\xff\x00{", csp)
        big = json.dumps({"csp-report": {"blocked-uri": "x" * 20_000}}).encode()
        client.send("csp report 20 KB", "POST", "/csp-report/", big, csp)
        for i in range(150):
            client.send(
                f"csp report burst {i}", "POST", "/csp-report/", json.dumps(report).encode(), csp
            )
        for label, path in (
            ("visit page", f"/visits/{visit}/"),
            ("people api", "/api/v1/people"),
            ("venues api", f"/api/v1/visits/{visit}/venues"),
        ):
            client.send(label, "GET", path, headers=api)
        peak = max(peak, peak_rss_mb(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)

    errors = [(label, status) for label, status in client.statuses if status >= 500]
    width = max(len(label) for label, _status in client.statuses)
    for label, status in client.statuses:
        print(f"  {label:<{width}}  {status}")
    print("peak RSS so far, after each file:")
    for label, so_far in peaks:
        print(f"  {label:<{width}}  {so_far:.0f} MB")
    print(f"server errors: {errors}")
    print(f"peak RSS before the corpus: {baseline:.0f} MB (largest gunicorn process)")
    print(
        f"hostile: requests={len(client.statuses)} server_errors={len(errors)} "
        f"peak_rss_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
