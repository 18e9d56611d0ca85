"""The solve queue with a real django-q2 worker process (ORM broker, or Redis with REDIS_URL).

These tests commit their data (a worker is another process) and time nothing: they print the
figures the closing notes quote.
"""

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django_q.tasks import async_task

from benchmarks.solver.generate import generate
from planner.models import Organisation
from scheduling import services
from scheduling.import_problem import visit_from_problem
from scheduling.models import ProgrammeVersion, Slot, SolveJob
from web.seed import seed_load

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "web" / "demo" / "aude-2009.json"
STALE_AFTER_S = 3.0

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(settings):
    """A `manage.py qcluster` on the test database, in its own process group."""
    settings.SOLVE_STALE_AFTER_S = STALE_AFTER_S
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "Q_WORKERS": "1",
        "PLANNER_SOLVE_STALE_AFTER_S": str(STALE_AFTER_S),
        "SECRET_KEY": settings.SECRET_KEY,
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    if process.poll() is None:
        # SIGTERM to the parent lets the cluster stop its children cleanly...
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    # ...and whatever it left behind goes too: an orphaned worker would take the next test's
    # tasks from the same queue.
    if _group_alive(process.pid):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def solve_in_process(visit, time_limit_s: float = 30.0) -> ProgrammeVersion:
    """A version made without the queue (solve_start would also hand the job to the worker)."""
    programme = services.programme_for(visit=visit)
    job = SolveJob.objects.create(programme=programme, time_limit_s=time_limit_s)
    job = services.programme_solve(job_id=job.pk)
    assert job.result_version is not None, f"{job.state}: {job.message}"
    return job.result_version


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(predicate, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


@pytest.fixture
def aude_committed(transactional_db):
    return seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]


@pytest.fixture
def large_visit(transactional_db):
    """A generated 60-activity, two-group delegation (the benchmark's M family): its solve
    from scratch surely runs for a while."""
    owner = Organisation.objects.create(name="Generated network")
    return visit_from_problem(generate("M", 1), owner=owner, title="Generated M visit")


@pytest.fixture
def small_visit(transactional_db):
    """A generated 25-activity delegation with twelve hosts (the benchmark's S family): its
    first programme comes in well under a second, so a race test does not hang on the
    solver's speed under load."""
    owner = Organisation.objects.create(name="Generated network")
    return visit_from_problem(generate("S", 0), owner=owner, title="Generated S visit")


def version_by_hand(visit, count: int = 5) -> ProgrammeVersion:
    """A version of a few slots written directly, one after the other on the first day (what
    the killed-worker test needs is a version to keep intact, not a good one)."""
    programme = services.programme_for(visit=visit)
    version = ProgrammeVersion.objects.create(
        programme=programme, number=1, source=ProgrammeVersion.Source.MANUAL
    )
    zone = ZoneInfo(visit.time_zone)
    start = dt.datetime.combine(visit.start_date, dt.time(9), zone)
    for activity in visit.activities.order_by("pk")[:count]:
        end = start + dt.timedelta(minutes=activity.duration_minutes)
        Slot.objects.create(
            version=version, activity=activity, venue=activity.venue, start=start, end=end
        )
        start = end + dt.timedelta(hours=1)
    return version


def test_solve_through_worker_publishes_a_version(aude_committed, worker):
    broker = "redis" if settings.REDIS_URL else "orm"
    started = time.monotonic()
    job = services.solve_start(visit=aude_committed, time_limit_s=30)
    done = wait_for(
        lambda: (
            SolveJob.objects.filter(pk=job.pk).exclude(state__in=SolveJob.ACTIVE_STATES).first()
        ),
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert done is not None, "the worker did not finish the job"
    assert done.state == SolveJob.State.DONE, done.message
    services.version_publish(version=done.result_version)
    print(f"\nqueue[{broker}]: solve -> version in {elapsed:.2f} s (job {done.attempts} run)")
    assert done.result_version.slots.count() >= 10


def test_killed_worker_leaves_previous_version_intact(large_visit, worker):
    previous = version_by_hand(large_visit)
    services.version_publish(version=previous)
    before = list(previous.slots.order_by("pk").values_list("activity_id", "start", "status"))

    # A solve from scratch (no base version to keep), so it is surely still running when the
    # worker dies; queued exactly as solve_start queues it.
    job = SolveJob.objects.create(programme=previous.programme, time_limit_s=300)
    async_task("scheduling.tasks.programme_solve_task", job.pk, group="solve")
    running = wait_for(
        lambda: SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).first(),
        timeout=60,
    )
    assert running is not None, "the worker never started the job"
    time.sleep(1.0)  # mid-solve
    assert SolveJob.objects.get(pk=job.pk).state == SolveJob.State.RUNNING
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()

    def failed():
        services.solve_jobs_reap()
        return SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.FAILED).first()

    reaped = wait_for(failed, timeout=STALE_AFTER_S * 5)
    assert reaped is not None
    assert "worker stopped" in reaped.message
    assert ProgrammeVersion.objects.filter(programme=previous.programme).count() == 1
    previous.programme.refresh_from_db()
    assert previous.programme.current_version_id == previous.pk
    after = list(previous.slots.order_by("pk").values_list("activity_id", "start", "status"))
    assert after == before


def test_concurrent_solve_requests_start_exactly_one(aude_committed):
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def request():
        barrier.wait()
        try:
            services.solve_start(visit=aude_committed, time_limit_s=5)
            outcomes.append("started")
        except services.SolveRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"\nrace[solve_start x4]: {sorted(outcomes)}")
    assert sorted(outcomes) == ["refused", "refused", "refused", "started"]
    assert SolveJob.objects.filter(state__in=SolveJob.ACTIVE_STATES).count() == 1


def test_confirmation_racing_a_replan_is_kept(small_visit):
    """A real concurrent confirmation while the re-plan's solver runs in another thread."""
    first = solve_in_process(small_visit, time_limit_s=10)
    services.version_publish(version=first)
    slots = list(first.slots.order_by("start"))
    declined, confirmed = slots[0], slots[len(slots) // 2]
    Slot.objects.filter(pk=declined.pk).update(status=Slot.Status.DECLINED)
    job = services.solve_start(visit=small_visit, kind=SolveJob.Kind.REPLAN, time_limit_s=15)
    result: list[SolveJob] = []
    solver_thread = threading.Thread(
        target=lambda: (result.append(services.programme_solve(job_id=job.pk)), connection.close())
    )
    solver_thread.start()
    wait_for(
        lambda: SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).exists(), 30, 0.01
    )
    Slot.objects.filter(pk=confirmed.pk).update(status=Slot.Status.CONFIRMED, locked=True)
    during = SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).exists()
    solver_thread.join()
    done = result[0]
    print(
        f"\nrace[confirm during replan]: {done.state} after {done.attempts} solver run(s), "
        f"confirmation {'during' if during else 'just after'} the solve"
    )
    assert done.state == SolveJob.State.DONE, done.message
    # Whichever came first, the answer is in the programme people see once it is published.
    services.version_publish(version=done.result_version)
    kept = done.result_version.slots.get(activity=confirmed.activity)
    assert (kept.start, kept.status) == (confirmed.start, Slot.Status.CONFIRMED)
