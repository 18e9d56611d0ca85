"""Time from "solve" to a published version through the django-q2 queue, against calling the
solver directly, on the Aude 2009 demo. Prints a table; not a test.

    .venv/bin/python benchmarks/queue/run.py [--runs 5]            # SQLite + ORM broker
    REDIS_URL=redis://127.0.0.1:6379/7 DATABASE_URL=postgres://postgres@127.0.0.1/planner_bench \\
        .venv/bin/python benchmarks/queue/run.py                    # PostgreSQL + Redis
"""

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("PLANNER_DATA_DIR", tempfile.mkdtemp(prefix="planner-bench-"))
os.environ.setdefault("Q_CLUSTER_NAME", f"planner-bench-{os.getpid()}")


def stop_cluster(process: subprocess.Popen) -> None:
    """SIGTERM to the cluster's parent lets it stop its children; the group is killed if not."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):  # children the cluster left behind
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from events.models import Visit
    from scheduling import services, solver
    from scheduling.adapters import problem_from_visit
    from scheduling.models import SolveJob

    if "postgres" in settings.DATABASES["default"]["ENGINE"]:
        # A fresh database for the run, so the demo loads as on a new machine.
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    visit = Visit.objects.get(slug="aude-2009")
    broker = "redis" if settings.REDIS_URL else "orm"
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the cluster's start-up is not part of a solve
        queued = []
        for _ in range(args.runs):
            started = time.perf_counter()
            job = services.solve_start(visit=visit, time_limit_s=30)
            while True:
                job.refresh_from_db()
                if not job.is_active:
                    break
                time.sleep(0.02)
            assert job.state == SolveJob.State.DONE, job.message
            services.version_publish(version=job.result_version)
            queued.append(time.perf_counter() - started)
    finally:
        stop_cluster(worker)

    direct = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = solver.solve_programme(
            problem_from_visit(visit).problem, solver.Params(time_limit_s=30)
        )
        assert result.status == "optimal", result.status
        direct.append(time.perf_counter() - started)

    def row(name, xs):
        return f"| {name:<38} | {statistics.median(xs):8.3f} | {max(xs):8.3f} |"

    print(f"Aude 2009, {args.runs} runs each, {database} + {broker} broker")
    print("| path                                   | median s |    max s |")
    print("|----------------------------------------|----------|----------|")
    print(row("solve -> published version (queue)", queued))
    print(row("solver called directly (problem built)", direct))
    overhead = statistics.median(queued) - statistics.median(direct)
    print(f"queue overhead (median difference): {overhead:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
