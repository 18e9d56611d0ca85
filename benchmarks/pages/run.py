"""Page weights and database queries of the organiser's pages on the Aude 2009 demo, after a
solve: bytes of HTML, of the stylesheets and scripts each page links (each counted once per
page, uncompressed and gzip-compressed), and queries per request. Prints a table; not a test.

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
    print(f"Aude 2009 demo, {version.slots.count()} slots, organiser pages in French")
    print(f"  {'page':26} {'HTML':>8} {'+assets':>8} {'gzip':>8} {'queries':>8} {'status':>6}")
    for name, path in pages:
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


if __name__ == "__main__":
    main()
