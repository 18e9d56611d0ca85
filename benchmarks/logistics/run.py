"""Figures for the logistics computed on read. Prints a table; not a test.

1. The Aude 2009 demo (5 guests, 11 slots): the whole plan (legs, vehicles, rooming, meals,
   warnings), one guest's itinerary page, queries per plan.
2. A large synthetic visit: 5 days, 4 sub-groups of 15 guests (60), 8 activities a day per
   sub-group (160 slots, a meal each day per sub-group), arrivals spread over the first day,
   6 vehicles: the same figures.
3. The pure seating function alone on 1,000 legs and 20 vehicles.

    .venv/bin/python benchmarks/logistics/run.py [--runs 5]
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("PLANNER_DATA_DIR", tempfile.mkdtemp(prefix="planner-bench-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("STATIC_MANIFEST", "0")  # pages render without collectstatic


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def large_visit(owner):
    from zoneinfo import ZoneInfo

    from delegations.models import Delegation, Guest, SubGroup
    from events.models import Activity, TravelTime, Venue, Visit
    from logistics.models import Journey, MealService, Stay, Vehicle
    from scheduling import services
    from scheduling.models import Programme, ProgrammeVersion, Slot

    paris = ZoneInfo("Europe/Paris")
    first = dt.date(2030, 5, 6)
    visit = Visit.objects.create(
        owner=owner,
        kind="delegation",
        title="Large",
        slug="large",
        start_date=first,
        end_date=first + dt.timedelta(days=4),
    )
    hotel = Venue.objects.create(visit=visit, name="Hotel", kind="lodging", capacity=80)
    airport = Venue.objects.create(visit=visit, name="Airport", kind="station")
    sites = [Venue.objects.create(visit=visit, name=f"Site {i}") for i in range(12)]
    restaurant = Venue.objects.create(visit=visit, name="Restaurant", kind="restaurant")
    MealService.objects.create(venue=restaurant, capacity=100)
    places = [hotel, airport, restaurant, *sites]
    TravelTime.objects.bulk_create(
        TravelTime(visit=visit, origin=a, destination=b, minutes=10 + (a.pk * 7 + b.pk) % 30)
        for a in places
        for b in places
        if a != b
    )
    delegation = Delegation.objects.create(visit=visit, name="Network")
    groups = [SubGroup.objects.create(delegation=delegation, name=f"Group {g}") for g in range(4)]
    guests = []
    for g, group in enumerate(groups):
        for n in range(15):
            guests.append(
                Guest.objects.create(
                    delegation=delegation,
                    subgroup=group,
                    full_name=f"Guest {g}-{n}",
                    country="FR",
                    dietary_needs=("vegetarian", "halal", "", "")[n % 4],
                )
            )
    Journey.objects.bulk_create(
        Journey(
            guest=guest,
            direction="arrival",
            place=airport,
            time=dt.datetime.combine(first, dt.time(6 + i % 2, (i * 7) % 60), paris),
        )
        for i, guest in enumerate(guests)
    )
    Stay.objects.create(
        visit=visit, venue=hotel, first_night=first, last_night=first + dt.timedelta(days=3)
    )
    for v in range(6):
        Vehicle.objects.create(visit=visit, name=f"Minibus {v}", seats=16)
    programme = Programme.objects.create(visit=visit)
    version = ProgrammeVersion.objects.create(programme=programme, number=1, source="manual")
    slots = []
    for day in range(5):
        date = first + dt.timedelta(days=day)
        for g, group in enumerate(groups):
            for k in range(8):
                venue = restaurant if k == 3 else sites[(g * 3 + k + day) % 12]
                activity = Activity.objects.create(
                    visit=visit,
                    title=f"A{day}-{g}-{k}",
                    duration_minutes=50,
                    venue=venue,
                    kind="meal" if k == 3 else "meeting",
                )
                activity.audience.set([group])
                start = dt.datetime.combine(date, dt.time(8), paris) + dt.timedelta(minutes=90 * k)
                slots.append(
                    Slot(
                        version=version,
                        activity=activity,
                        venue=venue,
                        start=start,
                        end=start + dt.timedelta(minutes=50),
                    )
                )
    Slot.objects.bulk_create(slots)
    services.version_publish(version=version)
    return visit, guests[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import json

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from logistics import seating
    from logistics.selectors import logistics_plan
    from scheduling import services
    from tests import factories
    from web.seed import seed_load

    call_command("migrate", verbosity=0)
    demo = json.loads((ROOT / "web/demo/aude-2009.json").read_text(encoding="utf-8"))
    aude = seed_load(demo).visits[0]
    job = services.programme_solve(job_id=services.solve_start(visit=aude, time_limit_s=30).pk)
    services.version_publish(version=job.result_version)
    user = factories.organiser(aude.owner, username="bench")
    client = Client()
    client.force_login(user)
    large, large_guest = large_visit(aude.owner)

    print(f"{'case':34} {'legs':>5} {'queries':>8} {'plan':>10} {'itinerary':>11}  warnings")
    for name, visit, guest in (
        ("Aude 2009 (5 guests, 11 slots)", aude, aude.delegations.first().guests.first()),
        ("large (60 guests, 160 slots)", large, large_guest),
    ):
        queries: list[str] = []

        def count(run, sql, *rest, log=queries):
            log.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            counted = logistics_plan(visit=visit)
        assert counted.legs
        seconds, plan = timed(lambda v=visit: logistics_plan(visit=v), args.runs)
        url = f"/visits/{visit.pk}/logistics/guests/{guest.pk}/itinerary/"
        page, response = timed(lambda u=url: client.get(u), args.runs)
        assert response.status_code == 200
        codes = Counter(w.code for w in plan.warnings)
        print(
            f"{name:34} {len(plan.legs):>5} {len(queries):>8} "
            f"{ms(seconds):>10} {ms(page):>11}  {dict(sorted(codes.items()))}"
        )

    base = dt.datetime(2030, 5, 6, 6, 0, tzinfo=dt.UTC)
    legs = [
        seating.SeatLeg(
            f"L{i}",
            i % 9,
            (i + 1) % 9,
            base + dt.timedelta(minutes=7 * i),
            base + dt.timedelta(minutes=7 * i + 45),
            3 + i % 14,
        )
        for i in range(1000)
    ]
    vehicles = [seating.SeatVehicle(v, 8 + (v % 3) * 4) for v in range(20)]
    travel = {(a, b): 15 for a in range(9) for b in range(9) if a != b}
    seconds, result = timed(
        lambda: seating.assign_vehicles(legs, vehicles, travel=travel), args.runs
    )
    print(
        f"seating alone: 1,000 legs, 20 vehicles: {ms(seconds)} "
        f"({len(result.shortfalls)} legs short, {len(result.split)} split)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
