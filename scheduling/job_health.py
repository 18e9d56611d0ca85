"""Solve jobs that finish: the sweeper's part for the rows that are the solver's own outbox.

A queued job whose bell was lost (a worker killed after taking it off the queue, Redis
restarted) is rung again; a running job whose heartbeat stopped is ended with its true cause
(its worker is gone, or the worker lives but the database could not be reached) and a
re-plan is retried once by itself. No job state blocks a visit until a person acts.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from outbox.services import task_ring
from scheduling.models import Programme, SolveJob

log = logging.getLogger(__name__)

SOLVE_TASK = "scheduling.tasks.programme_solve_task"

MESSAGE_KILLED = gettext_noop(
    "The worker stopped before the solve finished; the previous programme is unchanged."
)
MESSAGE_DATABASE = gettext_noop(
    "The database could not be reached while the solve ran; the previous programme is unchanged."
)
# Stored untranslated (gettext_noop) and translated when shown, so no filled-in text.
MESSAGE_RETRIED = {
    MESSAGE_KILLED: gettext_noop(
        "Started again by itself: the worker of the previous attempt stopped."
    ),
    MESSAGE_DATABASE: gettext_noop(
        "Started again by itself: the previous attempt could not reach the database."
    ),
}


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_alive(worker: str) -> bool | None:
    """True/False for a worker on this machine; None when it ran elsewhere (unknown)."""
    host, _, pid = worker.rpartition(":")
    if not host or host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def job_ring(job_id: int) -> bool:
    return task_ring(SOLVE_TASK, job_id, group="solve")


def _stale_cause(job: SolveJob, now: dt.datetime) -> str | None:
    """Why a silent running job stopped, or None while it may still be working."""
    alive = worker_alive(job.worker) if job.worker else False
    if alive is False or alive is None:
        return MESSAGE_KILLED
    # Its worker lives, yet has not written for the whole time the solve may take: the
    # database was out of its reach when it had to write (its heartbeat survives short ones).
    patience = dt.timedelta(seconds=job.time_limit_s + settings.SOLVE_STALE_AFTER_S * 4)
    if job.heartbeat_at is None or job.heartbeat_at < now - patience:
        return MESSAGE_DATABASE
    return None


def solve_jobs_reap(
    *, programme: Programme | None = None, visit=None, now: dt.datetime | None = None
) -> int:
    """End running jobs whose worker went silent, with the cause; a re-plan starts again once.
    Returns how many jobs were ended."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.SOLVE_STALE_AFTER_S)
    jobs = SolveJob.objects.filter(state=SolveJob.State.RUNNING, heartbeat_at__lt=stale)
    if programme is not None:
        jobs = jobs.filter(programme=programme)
    if visit is not None:
        jobs = jobs.filter(programme__visit=visit)
    ended = 0
    for job in jobs:
        cause = _stale_cause(job, now)
        if cause is None:
            continue
        if not SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).update(
            state=SolveJob.State.FAILED, message=cause, finished_at=now
        ):
            continue  # it ended meanwhile
        ended += 1
        if job.kind == SolveJob.Kind.REPLAN and job.retry_of_id is None:
            _retry(job, cause)
    return ended


def _retry(job: SolveJob, cause: str) -> None:
    try:
        with transaction.atomic():
            again = SolveJob.objects.create(
                programme=job.programme,
                kind=job.kind,
                requested_by=job.requested_by,
                reason=job.reason,
                time_limit_s=job.time_limit_s,
                base_version=job.base_version,
                retry_of=job,
                message=MESSAGE_RETRIED[cause],
            )
    except IntegrityError:
        return  # a person started another solve meanwhile: that one stands
    transaction.on_commit(lambda: job_ring(again.pk))


def solve_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """The outbox sweeper's part: end silent jobs, ring again for queued ones nobody took."""
    now = now or timezone.now()
    ended = solve_jobs_reap(now=now)
    waiting = now - dt.timedelta(seconds=settings.OUTBOX_RERING_AFTER_S)
    queued = SolveJob.objects.filter(state=SolveJob.State.QUEUED, created_at__lt=waiting)
    # A job still waiting behind a long solve gets a second bell too: taking a job is atomic
    # (queued -> running), so the extra bell finds it taken and does nothing.
    rung = sum(job_ring(pk) for pk in queued.values_list("pk", flat=True))
    return ended + rung
