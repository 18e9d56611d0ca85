"""A guest's itinerary printed to PDF by real Chromium, in English and in French, and the text
read back from the PDF itself (fonts' ToUnicode maps), not from the page."""

import json
import re
import unicodedata
import zlib
from pathlib import Path

import pytest
from django_q.conf import Conf

from delegations.models import Guest
from scheduling import services
from tests import factories
from web.seed import seed_load

DEMO = Path(__file__).resolve().parents[2] / "web" / "demo" / "aude-2009.json"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


# --- A small PDF text reader (enough for Chromium's output: Type0 fonts, hex strings) ------

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    objects = {}
    for match in _OBJ.finditer(data):
        body = match.group(2)
        head, stream = body, b""
        if b"stream" in body:
            head, _, rest = body.partition(b"stream")
            raw = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
            stream = zlib.decompress(raw) if b"FlateDecode" in head else raw
        objects[int(match.group(1))] = (head, stream)
    return objects


def _cmap(stream: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int.from_bytes(bytes.fromhex(dst.decode()), "big")
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _ref(head: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", head)
    return int(found.group(1)) if found else None


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, words joined as Chromium laid them out."""
    objects = _objects(data)

    def leaves(number: int) -> list[int]:
        head = objects[number][0]
        if not re.search(rb"/Type\s*/Pages\b", head):
            return [number]
        kids = re.search(rb"/Kids\s*\[(.*?)\]", head, re.S).group(1)
        return [leaf for kid in re.findall(rb"(\d+) 0 R", kids) for leaf in leaves(int(kid))]

    root = next(
        number
        for number, (head, _) in objects.items()
        if re.search(rb"/Type\s*/Pages\b", head) and b"/Parent" not in head
    )
    pages = []
    for number in leaves(root):
        head = objects[number][0]
        resources = head
        ref = _ref(head, b"Resources")
        if ref is not None:
            resources = objects[ref][0]
        font_dict = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
        if font_dict is None and _ref(resources, b"Font") is not None:
            font_dict = re.search(rb"<<(.*?)>>", objects[_ref(resources, b"Font")][0], re.S)
        fonts = {}
        for name, number in re.findall(
            rb"/(\w+)\s+(\d+) 0 R", font_dict.group(1) if font_dict else b""
        ):
            to_unicode = _ref(objects[int(number)][0], b"ToUnicode")
            fonts[name] = _cmap(objects[to_unicode][1]) if to_unicode else {}
        contents = [_ref(head, b"Contents")]
        text, current = [], {}
        for number in contents:
            stream = objects[number][1] if number else b""
            for token in re.finditer(
                rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(T\*|Tm|ET)",
                stream,
                re.S,
            ):
                if token.group(1):
                    current = fonts.get(token.group(1), {})
                elif token.group(4):
                    text.append(" ")
                else:
                    chunks = token.group(2) or b"<" + token.group(3) + b">"
                    for hexa in re.findall(rb"<([0-9A-Fa-f]*)>", chunks):
                        for i in range(0, len(hexa), 4):
                            text.append(current.get(int(hexa[i : i + 4], 16), ""))
        # Chromium moves glyph by glyph (Td) and writes spaces as glyphs: a new line or text
        # block is a space; ligatures (ﬀ) are unfolded.
        pages.append(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", "".join(text))))
    return pages


# --- The test ------------------------------------------------------------------------------


@pytest.fixture
def aude_published(transactional_db, monkeypatch):
    visit = seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
    factories.organiser(visit.owner, username="organiser")
    monkeypatch.setattr(Conf, "SYNC", True)
    job = services.solve_start(visit=visit, time_limit_s=20.0)
    job = services.programme_solve(job_id=job.pk)
    assert job.state == "done", job.message
    services.version_publish(version=job.result_version)
    return visit


def login(page, live_server, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("#sign-in")
    page.wait_for_load_state()


def printed(page, path: Path) -> list[str]:
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden()
    assert page.locator(".toolbar").is_hidden()
    data = page.pdf(path=str(path), format="A4")
    return pdf_text(data)


def test_itinerary_prints_in_english_and_in_french(browser, live_server, aude_published, artifacts):
    visit = aude_published
    malaysia = Guest.objects.get(full_name="Denison Jayasooria")
    quebec = Guest.objects.get(full_name="Jacques Fiset")
    page = browser.new_page(viewport={"width": 1200, "height": 1000}, locale="en-GB")
    base = f"/visits/{visit.pk}/logistics/guests"
    login(page, live_server, f"{base}/{malaysia.pk}/itinerary/")
    assert page.locator("article.itinerary").get_attribute("lang") == "en"

    english = " ".join(printed(page, artifacts / "itinerary-en.pdf"))
    for expected in (
        "Itinerary of Denison Jayasooria",
        "Wednesday, April 15, 2009",
        "Arrival",
        "AF 7780",
        "Aéroport de Toulouse-Blagnac",
        "Pick-up and transfer to Gîte d'étape de Couiza",
        "Minibus des Pactes Locaux",
        "Meeting the mayor of Villerouge-Termenès",  # the activity's English title
        "Eric Andrieu",
        "Night at Gîte d'étape de Couiza",
        "Monday, April 20, 2009",
        "Departure",
    ):
        assert expected in english, expected
    assert "Data entry" not in english  # the site's header is not printed
    assert "Rencontre avec le maire" not in english

    # The Québec guest's itinerary opens in French: Babel's dates, the same places.
    page.goto(f"{live_server.url}{base}/{quebec.pk}/itinerary/")
    assert page.locator("article.itinerary").get_attribute("lang") == "fr"
    french = " ".join(printed(page, artifacts / "itinerary-fr.pdf"))
    for expected in (
        "Jacques Fiset",
        "mercredi 15 avril 2009",
        "AF 7780",
        "Gîte d'étape de Couiza",
        "Rencontre avec le maire de Villerouge-Termenès",
        "lundi 20 avril 2009",
    ):
        assert expected in french, expected
    assert "Wednesday" not in french and "Meeting the mayor" not in french

    # Bilingual on request: the French copy, then the English one on a new page.
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}{base}/{quebec.pk}/itinerary/?lang=fr&also=en")
    pages = printed(page, artifacts / "itinerary-fr-en.pdf")
    both = " ".join(pages)
    assert "mercredi 15 avril 2009" in both and "Wednesday, April 15, 2009" in both
    first_english = next(i for i, text in enumerate(pages) if "Wednesday, April 15" in text)
    assert first_english > 0
    assert "mercredi 15 avril 2009" in pages[0]
    assert all("Wednesday" not in text for text in pages[:first_english])
    assert all("mercredi" not in text for text in pages[first_english:])
