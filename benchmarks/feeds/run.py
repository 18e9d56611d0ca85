"""Feed benchmark: render time of a 60-event feed, and the feed endpoint's throughput under
gunicorn beside the same bytes as a static file and a django-ical feed. Prints a table.

    .venv/bin/python benchmarks/feeds/run.py [--requests 3000] [--concurrency 8]

Everything runs on 127.0.0.1, on a throw-away SQLite database; the load generator sends a
fixed number of requests (HTTP/1.0, one connection each) from a few threads.
"""

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: Path, static_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.feeds.settings",
        PLANNER_DATA_DIR=str(data_dir),
        FEEDS_BENCH_STATIC=str(static_dir),
        SECRET_KEY=os.environ.get("SECRET_KEY", "feeds-benchmark-only"),
        DEBUG="0",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="127.0.0.1",
        # Persistent connections, as a deployment would use: a poll is then one query.
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_programme(events: int = 60):
    """A five-day visit, 12 activities a day in four venues, all published in one version."""
    from delegations.models import Delegation, Guest
    from events.models import Activity, ActivityHost, Person, Venue, Visit
    from planner.models import Organisation
    from scheduling import services
    from scheduling.access import AccessToken, access_token_create
    from scheduling.models import InterpreterAssignment, ProgrammeVersion, Slot
    from tests import factories

    paris = ZoneInfo("Europe/Paris")
    org = Organisation.objects.create(name="Bench network", kind="network")
    visit = Visit.objects.create(
        owner=org,
        kind=Visit.Kind.DELEGATION,
        title="Délégation internationale, benchmark",
        slug="bench",
        start_date=dt.date(2030, 4, 15),
        end_date=dt.date(2030, 4, 19),
        working_languages=["fr", "en"],
    )
    venues = [
        Venue.objects.create(
            visit=visit,
            name=f"Lieu {i}",
            address=f"{i} place de la Mairie, 11190 Couiza",
            city="Couiza",
            latitude=42.94 + i / 100,
            longitude=2.25,
        )
        for i in range(4)
    ]
    host = Person.objects.create(owner=org, full_name="Eric Andrieu", position="maire")
    interpreter = factories.interpreter(org)
    delegation = Delegation.objects.create(visit=visit, name="Délégation")
    guest = Guest.objects.create(
        delegation=delegation, full_name="Marie Tremblay", country="CA", preferred_language="fr"
    )
    programme = services.programme_for(visit=visit)
    version = ProgrammeVersion.objects.create(programme=programme, number=1, source="manual")
    for n in range(events):
        day, k = divmod(n, 12)
        start = dt.datetime.combine(
            visit.start_date + dt.timedelta(days=day), dt.time(8, 0), paris
        ) + dt.timedelta(minutes=50 * k)
        activity = Activity.objects.create(
            visit=visit,
            title=f"Rencontre n° {n + 1} : économie solidaire, gouvernance; échelles",
            description="Échanges avec les acteurs du territoire.\nQuestions, débat.",
            duration_minutes=45,
            venue=venues[n % 4],
            languages=["fr"],
        )
        ActivityHost.objects.create(activity=activity, person=host)
        slot = Slot.objects.create(
            version=version,
            activity=activity,
            venue=activity.venue,
            start=start,
            end=start + dt.timedelta(minutes=45),
            status="confirmed" if n % 3 else "proposed",
        )
        for s, t in (("fr", "en"), ("en", "fr")):
            InterpreterAssignment.objects.create(
                slot=slot, interpreter=interpreter, source=s, target=t
            )
    services.version_publish(version=version)
    key = access_token_create(
        visit=visit, purpose=AccessToken.Purpose.FEED, subject="guest", subject_id=guest.pk
    )[1]
    return visit, key


def time_render(visit, repeat: int = 200) -> dict:
    from feeds import render
    from feeds.selectors import feed_items
    from scheduling.models import Programme

    feed = Programme.objects.get(visit=visit).feed

    def spec():
        return render.Feed(
            uid="bench@bench.planner",
            audience="guest",
            visit_title=visit.title,
            subject_name="Marie Tremblay",
            language="fr",
            time_zone=visit.time_zone,
            first_date=feed.first_date,
            last_date=feed.last_date,
            items=feed_items(feed=feed, subject="guest", who=0),
        )

    built = spec()
    assert len(built.items) == 60, len(built.items)
    pure, full = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        body = render.feed_render(built)
        pure.append(time.perf_counter() - t)
        t = time.perf_counter()
        render.feed_render(spec())
        full.append(time.perf_counter() - t)
    return {"render": pure, "read+render": full, "bytes": body}


def time_uncached(visit, key: str, repeat: int = 100) -> dict:
    """One feed request without the response cache against django-ical's, in this process,
    alternating so both see the same machine: the view reads the feed state and renders (its
    events' bytes, kept per content, are reused: that is the point); "cold" also forgets
    those, as the first render after a publication does."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from benchmarks.feeds.django_ical_peer import ProgrammeICalFeed
    from feeds import render
    from feeds.views import feed_ics

    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    peer = ProgrammeICalFeed()

    def ours():
        cache.clear()
        response = feed_ics(factory.get(f"/feeds/{key}.ics"), key)
        assert response.status_code == 200, response.status_code

    def cold():
        # Everything a render keeps by content forgotten: the events, the zone, the head, and
        # the lines repeated from event to event (places, hosts, categories, the writer's).
        render.forget()
        ours()

    def theirs():
        response = peer(factory.get(f"/bench/django-ical/{visit.pk}.ics"), visit_id=visit.pk)
        assert response.status_code == 200, response.status_code

    runs = {"ours": [], "cold": [], "django-ical": []}
    for fn in (ours, cold, theirs):
        fn()  # warm imports and connections
    for _ in range(repeat):
        for name, fn in (("ours", ours), ("cold", cold), ("django-ical", theirs)):
            t = time.perf_counter()
            fn()
            runs[name].append(time.perf_counter() - t)
    return runs


def fetch(port: int, path: str, headers: dict) -> int:
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        first = s.recv(65536)
        while s.recv(65536):
            pass
    return int(first[9:12])


def load(port: int, path: str, headers: dict, total: int, concurrency: int) -> dict:
    for _ in range(20):  # warm every worker (and its render cache)
        fetch(port, path, headers)
    latencies, statuses, lock = [], {}, threading.Lock()

    def worker(count):
        mine, codes = [], {}
        for _ in range(count):
            t = time.perf_counter()
            code = fetch(port, path, headers)
            mine.append(time.perf_counter() - t)
            codes[code] = codes.get(code, 0) + 1
        with lock:
            latencies.extend(mine)
            for c, n in codes.items():
                statuses[c] = statuses.get(c, 0) + n

    share = [total // concurrency + (i < total % concurrency) for i in range(concurrency)]
    threads = [threading.Thread(target=worker, args=(n,)) for n in share]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": total / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "statuses": statuses,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="the cheap rows take turns this many times, so a neighbour's load hits them alike",
    )
    parser.add_argument("--slow-requests", type=int, default=600, help="for the two slow rows")
    parser.add_argument(
        "--render-only", action="store_true", help="only the in-process render rows (no gunicorn)"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="feeds-bench-"))
    static = tmp / "static-root"
    static.mkdir()
    setup_django(tmp, static)
    visit, key = build_programme()
    timing = time_render(visit)
    (static / "feed.ics").write_bytes(timing["bytes"])
    uncached = time_uncached(visit, key)
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    ours, cold, peer = (ms(uncached[k]) for k in ("ours", "cold", "django-ical"))
    print(f"60-event feed, {len(timing['bytes'])} bytes")
    print(f"  render (pure, median of 200):          {ms(timing['render']):7.2f} ms")
    print(f"  read feed state + render (median):     {ms(timing['read+render']):7.2f} ms")
    print(
        f"  uncached render, 60 events: ours {ours:.2f} ms, django-ical {peer:.2f} ms,"
        f" ratio {peer / ours:.1f}  (>= 5; medians of {len(uncached['ours'])}, same run)"
    )
    print(
        f"  first render after a publication (no event kept): ours {cold:.2f} ms,"
        f" ratio {peer / cold:.1f}"
    )
    # What writing every event (and the zone and head) adds to the uncached request: the part
    # the renderer owns; the rest of the request (token, feed state, events read) is the same.
    print(f"  first render's writing, over the uncached request: {cold - ours:.2f} ms")
    if args.render_only:
        return

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "benchmarks.feeds.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                if fetch(port, "/feed.ics", {}) == 200:
                    break
            except OSError:
                time.sleep(0.1)
        feed_path = f"/feeds/{key}.ics"
        etag = _etag(port, feed_path)
        targets = [
            ("static file (WhiteNoise)", "/feed.ics", {}, 200),
            ("feed 200 (cached render)", feed_path, {}, 200),
            ("feed 304 (If-None-Match)", feed_path, {"If-None-Match": etag}, 304),
            ("feed 200, render every time", f"/bench/uncached/{key}.ics", {}, 200),
            ("django-ical feed", f"/bench/django-ical/{visit.pk}.ics", {}, 200),
        ]
        # The machine is shared: the three cheap rows take turns in rounds and each ratio is
        # the median of per-round ratios, so a burst of someone else's load hits both sides.
        fast, slow = targets[:3], targets[3:]
        rounds = {name: [] for name, *_ in fast}
        for _ in range(args.rounds):
            for name, path, headers, expected in fast:
                r = load(port, path, headers, args.requests // args.rounds, args.concurrency)
                assert set(r["statuses"]) == {expected}, (name, r["statuses"])
                rounds[name].append(r)
        results = {name: _median_of(rs) for name, rs in rounds.items()}
        for name, path, headers, expected in slow:
            r = load(port, path, headers, args.slow_requests, args.concurrency)
            assert set(r["statuses"]) == {expected}, (name, r["statuses"])
            results[name] = r
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    print(
        f"gunicorn, {args.workers} sync workers, {args.concurrency} client threads, 127.0.0.1;"
        f" cheap rows: {args.rounds} rounds of {args.requests // args.rounds} requests (medians),"
        f" slow rows: {args.slow_requests} requests"
    )
    print(f"  {'target':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"  {name:32} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f}")
    fresh = results["feed 200 (cached render)"]["rps"]

    def per_round(name: str) -> float:
        static = rounds["static file (WhiteNoise)"]
        pairs = zip(rounds[name], static, strict=True)
        return statistics.median(r["rps"] / s["rps"] for r, s in pairs)

    print()
    print("ratios (targets from issue 5; against static: median of per-round ratios)")
    print(f"  feed 200 / static file:   {per_round('feed 200 (cached render)'):5.2f}  (>= 0.50)")
    print(f"  feed 304 / static file:   {per_round('feed 304 (If-None-Match)'):5.2f}  (>= 0.90)")
    print(f"  feed 200 / django-ical:   {fresh / results['django-ical feed']['rps']:5.2f}  (>= 3)")
    print(
        f"  uncached feed / django-ical: "
        f"{results['feed 200, render every time']['rps'] / results['django-ical feed']['rps']:5.2f}"
    )


def _median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99")}


def _etag(port: int, path: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    for line in head.split("\r\n"):
        if line.lower().startswith("etag:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("no ETag in the feed's answer")


if __name__ == "__main__":
    main()
