"""Each fault of issue #15 against real processes (django-q2 workers, a web process, a private
redis-server), on a scratch database: what was lost and how long the system took to recover
by itself. Prints a table, then last a line ``faults: lost=N recovered=N/M``. Not a test (the
same scenes are tests/faults/test_processes.py).

    .venv/bin/python benchmarks/faults/run.py                       # SQLite + ORM broker
    DATABASE_URL=postgres://postgres@127.0.0.1/planner_faults_bench \\
        REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python benchmarks/faults/run.py

A PostgreSQL database named in DATABASE_URL is dropped and created again (use a scratch one).

"items lost": work never done (a solve job left queued or running, a publication's outbox
item not done, a host not told of the move, a confirmation the re-plan moved) plus, during
the Redis outage, every request answered other than 200. "seconds to recover": from the
restart (a new worker; Redis back and a worker started) to everything done.
"""

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("STATIC_MANIFEST", "0")
DATA = tempfile.mkdtemp(prefix="planner-faults-")
os.environ.setdefault("PLANNER_DATA_DIR", DATA)
os.environ.setdefault("Q_CLUSTER_NAME", f"planner-faults-{os.getpid()}")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA}/faults.sqlite3")


def _scratch_postgres(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    name = urlsplit(url).path.strip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="run these faults only (by number, from 1)")
    args = parser.parse_args()
    if os.environ["DATABASE_URL"].startswith("postgres"):
        _scratch_postgres(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from benchmarks.solver.generate import generate
    from planner.models import Organisation
    from scheduling.import_problem import visit_from_problem
    from tests import factories
    from tests.faults import harness

    def killed_worker():
        stage = harness.published_stage("Faults: worker")
        owner = Organisation.objects.create(name="Faults: generated")
        slow = visit_from_problem(generate("M", 1), owner=owner, title="Generated M visit")
        return harness.worker_killed(slow, stage.visit)

    def redis_stopped():
        stage = harness.published_stage("Faults: redis")
        token = factories.token_for(factories.organiser(stage.org, username="faults-redis"))
        return harness.redis_stopped_during_publish(stage, token)

    def web_killed():
        return harness.web_killed_after_commit(harness.published_stage("Faults: web"))

    def replan_race():
        return harness.replan_race(harness.published_stage("Faults: re-plan"))

    faults = [
        ("worker killed (kill -9), a solve queued behind", killed_worker),
        ("Redis stopped during a publish", redis_stopped),
        ("web process killed after a publish committed", web_killed),
        ("re-plan racing a publication and a confirmation", replan_race),
    ]
    if not harness.RedisServer.available():
        print("redis-server not found: the Redis fault is skipped")
        faults = [f for f in faults if f[1] is not redis_stopped]
    if args.only:
        faults = [f for i, f in enumerate(faults, 1) if str(i) in args.only]

    db = "PostgreSQL" if "postgres" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
    broker = "Redis" if settings.REDIS_URL else "ORM"
    print(f"database: {db}, broker: {broker}")
    rows = []
    for name, run in faults:
        started = time.monotonic()
        try:
            fault = run()
        except Exception:
            traceback.print_exc()
            fault = harness.Fault(name, lost=1)
            fault.notes.append("the scene itself failed")
        fault.name = name
        rows.append(fault)
        notes = "; ".join(n for n in fault.notes if n)
        print(f"  {name}: {time.monotonic() - started:.1f} s in all ({notes})", flush=True)

    width = max(len(f.name) for f in rows)
    print()
    print(f"{'fault':<{width}}  {'items lost':>10}  {'seconds to recover':>18}")
    for f in rows:
        seconds = f"{f.seconds:.1f}" if f.seconds is not None else "not recovered"
        print(f"{f.name:<{width}}  {f.lost:>10}  {seconds:>18}")
    lost = sum(f.lost for f in rows)
    recovered = sum(f.recovered for f in rows)
    print(f"faults: lost={lost} recovered={recovered}/{len(rows)}")
    return 0 if lost == 0 and recovered == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
