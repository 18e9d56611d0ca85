"""A guest's page read offline, in real Chromium at phone width (#20): the page and its
printed version are kept by the page's service worker on the first visit; with the network
cut (Playwright's offline mode) both reload from the kept copy (a title changed on the
server meanwhile is not seen until the network is back), which still says when it was last
brought up to date. Each day's map shows its numbered places on OpenStreetMap tiles,
attributed; with the tiles blocked the page is complete (its places listed with their
addresses) and says the map background is missing. The worker keeps nothing but its own
link and the static files.

Screenshots in /tmp/personal-offline-shots/."""

import json
import struct
import zlib
from pathlib import Path

import pytest
from django_q.conf import Conf

from delegations.models import Guest
from personal import links
from scheduling import services
from scheduling.models import SolveJob
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_accessible
from web.seed import seed_load

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "web" / "demo" / "aude-2009.json"
SHOTS = ARTIFACTS / "personal-offline"  # looked at by a person: kept with the others
PHONE = {"width": 390, "height": 844}
TILES = "https://tile.openstreetmap.org/**"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url);
  }
  return urls;
}"""


def _tile() -> bytes:
    """A plain 256×256 PNG, light green: the sandbox has no network, the tiles are faked."""
    row = b"\x00" + bytes((0xE6, 0xEF, 0xDF)) * 256
    data = zlib.compress(row * 256, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture
def aude(transactional_db, monkeypatch):
    """The Aude programme solved and published."""
    visit = seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
    monkeypatch.setattr(Conf, "SYNC", True)
    job = services.solve_start(visit=visit, time_limit_s=20)
    job.refresh_from_db()
    assert job.state == SolveJob.State.DONE
    services.version_publish(version=job.result_version)
    return visit


def _first_map_points(page) -> int:
    return page.evaluate(
        """() => {
          const box = document.querySelector('[data-map]');
          return JSON.parse(document.getElementById(box.dataset.map).textContent).points.length;
        }"""
    )


def test_guest_page_and_printed_version_read_offline(browser, live_server, aude):
    SHOTS.mkdir(parents=True, exist_ok=True)
    guest = Guest.objects.get(delegation__visit=aude, full_name="Ben Quiñones")
    _link, key = links.personal_link_get(visit=aude, guest=guest)
    other = Guest.objects.get(delegation__visit=aude, full_name="Jacques Fiset")
    _other_link, other_key = links.personal_link_get(visit=aude, guest=other)
    scope = f"{live_server.url}/me/{key}/"
    page_url, print_url = f"{scope}?lang=es", f"{scope}print/?lang=es"

    context = browser.new_context(viewport=PHONE, locale="es-ES")
    tile = _tile()
    context.route(TILES, lambda route: route.fulfill(body=tile, content_type="image/png"))
    page = context.new_page()
    log = []
    page.on("console", lambda message: log.append(f"console {message.type}: {message.text}"))

    # First visit, online: the worker takes the page over and keeps it and its printed version.
    page.goto(page_url)
    assert page.locator("html").get_attribute("lang") == "es"
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("async (url) => !!(await caches.match(url))", arg=page_url)
    page.wait_for_function("async (url) => !!(await caches.match(url))", arg=print_url)
    scope_seen = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope_seen == scope
    # A second look, online, through the worker: the copy kept is the one on the screen.
    response = page.reload()
    assert response.from_service_worker
    stamp = page.locator(".offline-status time").get_attribute("datetime")
    assert "Bienvenida de la delegación" in page.content()

    # The map of the first day: one numbered marker per place with coordinates, attributed.
    points = _first_map_points(page)
    assert points >= 2
    first_map = page.locator("[data-map]").first
    first_map.scroll_into_view_if_needed()
    page.wait_for_function(
        "(n) => document.querySelector('[data-map]').dataset.mapDrawn == n", arg=points
    )
    assert first_map.locator(".leaflet-marker-icon.map-pin").count() == points
    assert (
        "OpenStreetMap contributors"
        in first_map.locator(".leaflet-control-attribution").inner_text()
    )
    page.screenshot(path=SHOTS / "guest-es-online.png", full_page=True)
    first_map.screenshot(path=SHOTS / "guest-es-map.png")
    log.append(f"online: worker scope {scope_seen}, first map {points} markers, stamp {stamp}")

    # Meanwhile the organisers change a title: the kept copy does not know yet.
    activity = aude.activities.get(title__startswith="Accueil")
    activity.titles = {**activity.titles, "es": "Bienvenida (nuevo título)"}
    activity.save(update_fields=["titles"])

    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == aude.title
    assert page.locator("li.entry").count() > 3
    assert "Bienvenida de la delegación" in page.content()
    assert "nuevo título" not in page.content()
    assert page.locator(".offline-status time").get_attribute("datetime") == stamp
    assert page.locator("[data-offline-note]").is_visible()
    page.screenshot(path=SHOTS / "guest-es-offline.png", full_page=True)
    entries = page.locator("li.entry").count()
    log.append(f"offline: page reloaded from the kept copy of {stamp}, {entries} entries")

    page.goto(print_url)
    assert page.locator("h1").is_visible()
    assert "Bienvenida de la delegación" in page.content()
    assert page.locator("ol.entries li.entry").count() > 3
    assert page.locator(".qr svg").count() == 1
    page.screenshot(path=SHOTS / "guest-es-print-offline.png", full_page=True)
    log.append("offline: printed version reloaded from the kept copy")

    # Back online: the page is brought up to date.
    context.set_offline(False)
    page.goto(page_url)
    assert "Bienvenida (nuevo título)" in page.content()
    assert page.locator(".offline-status time").get_attribute("datetime") >= stamp

    # What the worker keeps: this link and static files, never another person's page or an
    # organiser's page (one opened in the same browser meanwhile).
    page.goto(f"{live_server.url}/visits/{aude.pk}/")
    page.goto(page_url)
    kept = page.evaluate(KEPT_URLS)
    assert kept
    outside = [u for u in kept if not u.startswith((scope, f"{live_server.url}/static/"))]
    assert outside == []
    assert not any(other_key in u for u in kept)
    linked = page.evaluate(
        """() => [...document.querySelectorAll('link[rel=stylesheet], script[src]')]
               .map((node) => node.href || node.src)"""
    )
    assert linked and set(linked) <= set(kept)  # every file the page needs, for offline
    log.append(f"kept: {len(kept)} addresses, all under {scope} or /static/")
    (SHOTS / "offline-test.log").write_text("\n".join(log) + "\n", encoding="utf-8")
    context.close()


def test_page_is_complete_when_tiles_cannot_load(browser, live_server, aude):
    SHOTS.mkdir(parents=True, exist_ok=True)
    guest = Guest.objects.get(delegation__visit=aude, full_name="Ben Quiñones")
    _link, key = links.personal_link_get(visit=aude, guest=guest)
    # No worker here, so that the route sees every request.
    context = browser.new_context(viewport=PHONE, locale="es-ES", service_workers="block")
    context.route(TILES, lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{live_server.url}/me/{key}/?lang=es")
    points = _first_map_points(page)
    page.wait_for_function(
        "(n) => document.querySelector('[data-map]').dataset.mapDrawn == n", arg=points
    )
    first_day = page.locator("section.day").first
    first_day.locator("[data-map-note]").wait_for(state="visible")
    assert first_day.locator(".leaflet-marker-icon.map-pin").count() == points
    places = first_day.locator("ol.places li")
    assert places.count() >= points
    assert all(places.nth(i).inner_text().strip() for i in range(places.count()))
    assert first_day.locator("ol.places .address").count() >= 1
    assert first_day.locator("li.entry").count() >= 1
    page.screenshot(path=SHOTS / "guest-es-no-tiles.png", full_page=True)
    context.close()


def test_page_without_javascript_lists_the_places(browser, live_server, aude):
    guest = Guest.objects.get(delegation__visit=aude, full_name="Ben Quiñones")
    _link, key = links.personal_link_get(visit=aude, guest=guest)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/me/{key}/?lang=en")
    assert page.locator("[data-map]").first.is_hidden()  # no empty box without the script
    assert page.locator("ol.places li").count() >= 2
    assert page.locator("li.entry").count() > 3
    page.screenshot(path=SHOTS / "guest-en-no-js.png", full_page=True)
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
def test_maps_and_printed_version_pass_wcag_aa(browser, live_server, aude, lang):
    guest = Guest.objects.get(delegation__visit=aude, full_name="Ben Quiñones")
    _link, key = links.personal_link_get(visit=aude, guest=guest)
    context = browser.new_context(viewport=PHONE, service_workers="block")
    tile = _tile()
    context.route(TILES, lambda route: route.fulfill(body=tile, content_type="image/png"))
    page = context.new_page()
    page.goto(f"{live_server.url}/me/{key}/?lang={lang}")
    points = _first_map_points(page)
    page.wait_for_function(
        "(n) => document.querySelector('[data-map]').dataset.mapDrawn == n", arg=points
    )
    assert_accessible(page, f"guest page with its maps ({lang})")
    second = "fr" if lang != "fr" else "es"
    page.goto(f"{live_server.url}/me/{key}/print/?lang={lang}&second={second}")
    assert page.locator(f'.second[lang="{second}"]').count() > 0
    assert_accessible(page, f"printed version {lang}+{second}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"guest-print-{lang}-{second}.png", full_page=True)
    context.close()
