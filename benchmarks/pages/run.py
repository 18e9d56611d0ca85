"""Page weights and database queries of the organiser's pages on the Aude 2009 demo, after a
solve: bytes of HTML, of the stylesheets and scripts each page links (each counted once per
page, uncompressed and gzip-compressed), and queries per request. Then a guest's own page
(#20), opened from their personal link without a session, with its printed version, manifest
and service worker, and its queries again once the guest has many more activities (they must
not grow with them). Prints tables; not a test.

    .venv/bin/python benchmarks/pages/run.py
"""

import gzip
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("PLANNER_DATA_DIR", tempfile.mkdtemp(prefix="planner-pages-"))
os.environ["Q_SYNC"] = "1"  # the solve runs inside solve_start, as a worker would run it
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

Path(os.environ["PLANNER_DATA_DIR"], "static").mkdir(exist_ok=True)  # quiets WhiteNoise

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def main() -> None:
    import django

    django.setup()
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from delegations.models import Guest
    from events.models import Person
    from scheduling import services
    from tests import factories
    from web.seed import seed_load

    call_command("migrate", verbosity=0)
    document = json.loads((ROOT / "web" / "demo" / "aude-2009.json").read_text("utf-8"))
    visit = seed_load(document).visits[0]
    user = factories.organiser(visit.owner, username="organiser")
    services.solve_start(visit=visit, user=user, reason="benchmark")
    version = visit.programme.versions.order_by("-number").first()
    services.version_publish(version=version)
    host = Person.objects.filter(owner=visit.owner).order_by("pk").first()
    guest = Guest.objects.filter(delegation__visit=visit).order_by("pk").first()
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(user)
    pages = [
        ("visits", "/"),
        ("visit + timetable", f"/visits/{visit.pk}/"),
        ("printed programme fr+en", f"/visits/{visit.pk}/booklet/?also=en"),
        ("calendar feeds", f"/visits/{visit.pk}/feeds/"),
        ("import", f"/visits/{visit.pk}/import/"),
        ("add an activity", f"/visits/{visit.pk}/activities/new/"),
        ("host windows", f"/visits/{visit.pk}/windows/?person={host.pk}"),
        ("hosts' answers", f"/visits/{visit.pk}/confirmations/"),
        ("logistics", f"/visits/{visit.pk}/logistics/"),
        ("a guest's itinerary", f"/visits/{visit.pk}/logistics/guests/{guest.pk}/itinerary/"),
    ]

    def measure(client, name: str, path: str) -> int:
        client.get(path)  # warm caches and the session, as a second visit would
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        html = response.content
        assets = b""
        for url in dict.fromkeys(ASSET.findall(html.decode())):
            found = finders.find(url.removeprefix("/static/"))
            assets += Path(found).read_bytes() if found else b""
        total = html + assets
        print(
            f"  {name:26} {len(html) / 1024:7.1f}K {len(total) / 1024:7.1f}K"
            f" {len(gzip.compress(total)) / 1024:7.1f}K {len(queries):8d} {response.status_code:6d}"
        )
        return len(queries)

    header = f"  {'page':26} {'HTML':>8} {'+assets':>8} {'gzip':>8} {'queries':>8} {'status':>6}"
    print(f"Aude 2009 demo, {version.slots.count()} slots, organiser pages in French")
    print(header)
    for name, path in pages:
        measure(client, name, path)

    guest_pages(visit, version, guest, measure, header)


def guest_pages(visit, version, guest, measure, header) -> None:
    """A guest's own page and what goes with it, then the same page with many more entries."""
    import datetime as dt

    from django.test import Client

    from events.models import Activity
    from personal import links, selectors
    from scheduling.models import Slot

    _link, key = links.personal_link_get(visit=visit, guest=guest)
    reader = Client(headers={"Accept-Language": "es"})  # no session: the link is the key
    page = f"/me/{key}/?lang=es"
    link = links.personal_link_resolve(key=key)
    entries = sum(len(day.entries) for day in selectors.page_view(link=link).days)
    print(f"\n{guest.full_name}'s own page, in Spanish, {entries} entries")
    print(header)
    before = measure(reader, "a guest's page", page)
    measure(reader, "printed version es+fr", f"/me/{key}/print/?lang=es&second=fr")
    measure(reader, "web app manifest", f"/me/{key}/manifest.webmanifest")
    measure(reader, "service worker", f"/me/{key}/sw.js")

    # Forty more activities for the whole delegation, in the published version, over the
    # visit's days: the page's queries must stay the same.
    first = version.slots.select_related("activity", "venue").order_by("start").first()
    zone = first.start.tzinfo
    added = 0
    for n in range(40):
        day = visit.start_date + dt.timedelta(days=n % 4)
        start = dt.datetime.combine(day, dt.time(7, 0), zone) + dt.timedelta(minutes=n // 4)
        activity = Activity.objects.create(
            visit=visit,
            venue=first.venue,
            title=f"Atelier supplémentaire {n + 1}",
            duration_minutes=20,
            languages=["fr"],
        )
        Slot.objects.create(
            version=version,
            activity=activity,
            venue=first.venue,
            start=start,
            end=start + dt.timedelta(minutes=20),
        )
        added += 1
    link = links.personal_link_resolve(key=key)
    more = sum(len(day.entries) for day in selectors.page_view(link=link).days)
    print(f"  the same page with {more} entries ({added} more activities in the version):")
    after = measure(reader, "a guest's page", page)
    measure(reader, "printed version es+fr", f"/me/{key}/print/?lang=es&second=fr")
    verdict = "constant" if after == before else f"GREW {before} -> {after}"
    print(f"  queries of the guest's page: {before} then {after}, {verdict}")


if __name__ == "__main__":
    main()
