"""Faults with real processes: a django-q2 worker killed with SIGKILL, a private Redis stopped
during a publish, a web process killed right after a publish committed.

Each fault is a function that sets the scene on the current database (committed data: the
workers, web servers and Redis are other processes), breaks something, lets the system
recover by itself (only a worker is started again, as a supervisor would) and returns a
``Fault`` result: how many pieces of work were lost and how long the recovery took. The tests
(tests/faults/test_processes.py) assert on it; benchmarks/faults/run.py prints it.
"""

import contextlib
import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# A worker counts a running solve silent for this long as stopped (the default is 30 s).
STALE_AFTER_S = 3.0
WAIT_S = 180.0  # generous: the machine is shared; nothing here is timed against a limit


@dataclasses.dataclass
class Fault:
    name: str
    lost: int = 0
    seconds: float | None = None  # from the restart to everything done
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def recovered(self) -> bool:
        return self.lost == 0 and self.seconds is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = WAIT_S, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(redis_url: str | None = None, **extra) -> dict:
    """The environment of a process on this database; ``redis_url`` None keeps this process's
    broker (settings.REDIS_URL, or the ORM broker), "" forces the ORM broker."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "Q_WORKERS": "1",
        "PLANNER_SOLVE_STALE_AFTER_S": str(STALE_AFTER_S),
        # The sweep at worker start rings again for everything pending, however recent.
        "OUTBOX_RERING_AFTER_S": "0",
        "STATIC_MANIFEST": "0",
    }
    env.pop("REDIS_URL", None)
    redis_url = settings.REDIS_URL if redis_url is None else redis_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


class Process:
    """A child in its own process group, so that it and its children go together."""

    def __init__(self, args: list[str], env: dict):
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill9(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=15)
        self.kill9()  # whatever it left behind (an orphaned worker would take later tasks)


def qcluster(**env) -> Process:
    return Process([sys.executable, "manage.py", "qcluster"], child_env(**env))


def web(port: int, **env) -> Process:
    process = Process(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        child_env(**env),
    )
    if not wait_for(lambda: http("GET", port, "/")[0] is not None, timeout=60):
        process.stop()
        raise RuntimeError("the web process did not start")
    return process


def http(method: str, port: int, path: str, token: str = "") -> tuple[int | None, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, b""


class RedisServer:
    """A private ``redis-server`` on a port of its own, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> None:
        self.process = Process(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            dict(os.environ),
        )
        if not wait_for(self._answers, timeout=30):
            raise RuntimeError("redis-server did not start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


# The scenes


def published_stage(name: str):
    """The three-slot visit of the confirmations tests, published, its hosts told."""
    from confirmations.proposals import proposals_send
    from tests import factories
    from tests.confirmations.conftest import FIRST, Stage

    stage = Stage(factories.organisation(name=name))
    stage.publish(
        {getattr(stage, n): span for n, span in FIRST.items()},
        assignments=[(stage.meeting, stage.interpreter)],
    )
    proposals_send(visit=stage.visit)
    return stage


def moved_version(stage):
    """Version 2, not yet published: the mayor's meeting moves to Tuesday afternoon."""
    from tests.confirmations.conftest import FIRST, TUESDAY, at

    return stage.version(
        {
            stage.meeting: (at(TUESDAY, 14), at(TUESDAY, 16)),
            stage.council: FIRST["council"],
            stage.bookshop: FIRST["bookshop"],
        }
    )


def _notices_lost(stage, since_pk: int, fault: Fault) -> int:
    """Outbox items of the publication not done, plus the mayor not told of the move."""
    from confirmations.models import Proposal
    from outbox.models import OutboxItem

    items = OutboxItem.objects.filter(pk__gt=since_pk)
    left = items.exclude(state=OutboxItem.State.DONE).count()
    told = Proposal.objects.filter(person=stage.mayor, kind="update").exists()
    fault.notes.append(f"{items.count()} outbox items, mayor told: {told}")
    return left + (0 if told else 1)


def _last_item_pk() -> int:
    from outbox.models import OutboxItem

    return OutboxItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _publication_done(since_pk: int) -> bool:
    from outbox.models import OutboxItem

    items = OutboxItem.objects.filter(pk__gt=since_pk)
    return items.exists() and not items.exclude(state=OutboxItem.State.DONE).exists()


def worker_killed(slow_visit, quick_visit) -> Fault:
    """SIGKILL to the worker (its whole process group) while it solves one visit and a solve of
    another waits behind it; a new worker starts: both jobs end, nobody acts."""
    from scheduling import services
    from scheduling.models import SolveJob

    fault = Fault("worker killed (kill -9) mid-solve, a solve queued behind")
    worker = qcluster()
    try:
        running = services.solve_start(visit=slow_visit, time_limit_s=20)
        queued = services.solve_start(visit=quick_visit, time_limit_s=20)
        taken = wait_for(
            lambda: SolveJob.objects.filter(pk=running.pk, state="running").exists(), step=0.05
        )
        if not taken:
            raise RuntimeError("the worker never took the first job")
        time.sleep(1.0)  # well inside the solve
    finally:
        worker.kill9()
    fault.notes.append(
        "at the kill: "
        + ", ".join(
            f"{j.pk}={j.state}" for j in SolveJob.objects.filter(pk__in=[running.pk, queued.pk])
        )
    )
    # A supervisor restarts the worker; by then the dead one's heartbeat is stale.
    time.sleep(STALE_AFTER_S + 0.5)
    started = time.monotonic()
    worker = qcluster()
    try:
        ended = wait_for(
            lambda: (
                not SolveJob.objects.filter(
                    pk__in=[running.pk, queued.pk], state__in=SolveJob.ACTIVE_STATES
                ).exists()
            )
        )
        seconds = time.monotonic() - started
    finally:
        worker.stop()
    jobs = {j.pk: j for j in SolveJob.objects.filter(pk__in=[running.pk, queued.pk])}
    first, second = jobs[running.pk], jobs[queued.pk]
    fault.notes.append(f"killed job: {first.state} ({first.message}); queued job: {second.state}")
    fault.lost = (first.state in SolveJob.ACTIVE_STATES) + (second.state != SolveJob.State.DONE)
    fault.seconds = seconds if ended else None
    return fault


def redis_stopped_during_publish(stage, token: str) -> Fault:
    """A private Redis (cache and broker of a web process and a worker) stops; an organiser
    publishes and calendar clients poll meanwhile; Redis comes back and a worker (re)starts."""
    from scheduling.access import AccessToken, access_token_create

    fault = Fault("Redis stopped during a publish")
    redis = RedisServer()
    redis.start()
    port = free_port()
    server = web(port, redis_url=redis.url)
    worker = None
    try:
        feed_key = access_token_create(
            visit=stage.visit, purpose=AccessToken.Purpose.FEED, subject="programme"
        )[1]
        _link, host_key = stage.link(stage.mayor)
        assert http("GET", port, f"/feeds/{feed_key}.ics")[0] == 200
        version = moved_version(stage)
        since = _last_item_pk()
        redis.stop()
        status, body = http(
            "POST",
            port,
            f"/api/v1/visits/{stage.visit.pk}/versions/{version.number}/publish?confirm=true",
            token,
        )
        feeds = [http("GET", port, f"/feeds/{feed_key}.ics")[0] for _ in range(10)]
        host = [http("GET", port, f"/host/{host_key}/")[0] for _ in range(3)]
        fault.notes.append(f"publish {status}, feeds {feeds.count(200)}/10 200, host pages {host}")
        wrong = (status != 200) + sum(c != 200 for c in feeds) + sum(c != 200 for c in host)
        redis.start()
        started = time.monotonic()
        worker = qcluster(redis_url=redis.url)
        done = wait_for(lambda: _publication_done(since))
        seconds = time.monotonic() - started
        fault.lost = _notices_lost(stage, since, fault) + wrong
        fault.seconds = seconds if done else None
        fault.notes.append(f"publish answer: {body[:80]!r}" if status != 200 else "")
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        redis.stop()
    return fault


_PUBLISH_THEN_DIE = """
import os
from django.db import transaction
from scheduling import services
from scheduling.models import ProgrammeVersion
version = ProgrammeVersion.objects.get(pk={pk})
with transaction.atomic():
    # Registered first, so it runs first once the publication commits: before any bell.
    transaction.on_commit(lambda: os._exit(9))
    services.version_publish(version=version)
"""


def web_killed_after_commit(stage) -> Fault:
    """A process publishes and dies the instant its transaction commits (no on-commit bell
    rang); a worker starts: the notices are sent."""
    fault = Fault("web process killed right after a publish committed")
    version = moved_version(stage)
    since = _last_item_pk()
    died = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _PUBLISH_THEN_DIE.format(pk=version.pk)],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        timeout=WAIT_S,
    )
    stage.programme.refresh_from_db()
    published = stage.programme.current_version_id == version.pk
    fault.notes.append(f"exit {died.returncode}, published: {published}")
    if died.returncode != 9 or not published:
        raise RuntimeError(f"the publishing process did not die as planned: {died.stderr[-800:]}")
    started = time.monotonic()
    worker = qcluster()
    try:
        done = wait_for(lambda: _publication_done(since))
        seconds = time.monotonic() - started
    finally:
        worker.stop()
    fault.lost = _notices_lost(stage, since, fault)
    fault.seconds = seconds if done else None
    return fault


def replan_race(stage) -> Fault:
    """The re-plan race (in process: the solver's run is where the other writes happen)."""
    from confirmations import answers
    from scheduling import services
    from tests.confirmations.conftest import FIRST, TUESDAY, at

    fault = Fault("re-plan racing a publication and a confirmation")
    job = services.programme_replan(visit=stage.visit, reason="fault", time_limit_s=3)
    real_solve = services.solver.solve_programme
    runs = []

    def solve_while_the_organiser_publishes(problem, params, on_progress=None):
        result = real_solve(problem, params, on_progress)
        if not runs:
            spans = {getattr(stage, name): span for name, span in FIRST.items()}
            spans[stage.council] = (at(TUESDAY, 14), at(TUESDAY, 15))
            stage.publish(spans)
            link, _key = stage.link(stage.mayor)
            answers.host_answer_record(
                link=link, slot_id=stage.slot(stage.council).pk, answer="confirmed"
            )
        runs.append(1)
        return result

    started = time.monotonic()
    services.solver.solve_programme = solve_while_the_organiser_publishes
    try:
        job = services.programme_solve(job_id=job.pk)
    finally:
        services.solver.solve_programme = real_solve
    seconds = time.monotonic() - started
    kept = (
        job.result_version
        and job.result_version.slots.filter(
            activity=stage.council, start=at(TUESDAY, 14), status="confirmed", locked=True
        ).exists()
    )
    fault.notes.append(f"job {job.state} after {job.attempts} run(s)")
    fault.lost = 0 if kept else 1
    fault.seconds = seconds if job.state == "done" else None
    return fault


def json_line(fault: Fault) -> str:
    return json.dumps({**dataclasses.asdict(fault), "at": dt.datetime.now(dt.UTC).isoformat()})
