"""The work a publication, a solve request or an email causes survives a lost bell: the rows
are written with the change, and the sweep finishes what nobody ran."""

import datetime as dt
import os
import socket

import pytest
from django.utils import timezone
from django_q.brokers import get_broker

from confirmations.models import Proposal, ReplanWanted
from confirmations.proposals import proposals_send
from notifications.models import OutgoingEmail, PendingChange
from notifications.services import Recipient, email_queue, emails_retry_due
from outbox import services as outbox
from outbox.models import OutboxItem
from scheduling import job_health, services
from scheduling.models import SolveJob
from tests.confirmations.conftest import FIRST, TUESDAY, at

pytestmark = pytest.mark.django_db


def _later(seconds):
    return timezone.now() + dt.timedelta(seconds=seconds)


def _moved(stage):
    return stage.publish(
        {
            stage.meeting: (at(TUESDAY, 14), at(TUESDAY, 16)),
            stage.council: FIRST["council"],
            stage.bookshop: FIRST["bookshop"],
        }
    )


def _run_all_pending(now=None):
    for pk in OutboxItem.objects.filter(state="pending").values_list("pk", flat=True):
        outbox.item_run(item_id=pk, now=now)


def test_a_publication_writes_its_notices_as_work_in_its_own_transaction(published):
    """A web process killed right after the commit (no on-commit callback ran): the notices
    are rows, and the sweep's run tells everyone once."""
    proposals_send(visit=published.visit)
    _moved(published)
    kinds = set(OutboxItem.objects.values_list("kind", flat=True))
    assert kinds == {"confirmations.publication_notify", "logistics.notify"}
    assert not PendingChange.objects.exists()  # nothing ran: only the work is recorded
    assert outbox.sweep(now=_later(120))["rung"] == 2
    _run_all_pending()
    told = set(PendingChange.objects.values_list("email", flat=True))
    assert told == {"maire@example.org", "marie.tremblay@example.org", "jose.santos@example.org"}
    assert Proposal.objects.filter(person=published.mayor, kind="update").count() == 1
    # A second bell (the sweep again, a duplicate delivery) changes nothing.
    _run_all_pending()
    for pk in OutboxItem.objects.values_list("pk", flat=True):
        assert outbox.item_run(item_id=pk) is None
    assert Proposal.objects.filter(person=published.mayor, kind="update").count() == 1


def test_a_notice_that_fails_halfway_leaves_nothing_and_runs_again_whole(published, monkeypatch):
    from confirmations import notices

    proposals_send(visit=published.visit)
    _moved(published)
    real = notices._tell_guests

    def dies_after_the_hosts(*args, **kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(notices, "_tell_guests", dies_after_the_hosts)
    item = OutboxItem.objects.get(kind="confirmations.publication_notify")
    assert outbox.item_run(item_id=item.pk).state == "pending"
    # The hosts' part was written before the failure, and rolled back with it.
    assert not Proposal.objects.filter(kind="update").exists()
    assert not PendingChange.objects.exists()
    monkeypatch.setattr(notices, "_tell_guests", real)
    assert outbox.item_run(item_id=item.pk, now=_later(3600)).state == "done"
    assert Proposal.objects.filter(kind="update").count() == 1
    assert PendingChange.objects.filter(email="marie.tremblay@example.org").exists()


def test_a_request_whose_change_committed_does_not_fail_when_the_broker_is_down(
    published, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr("django_q.tasks.async_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.solve_start(visit=published.visit, time_limit_s=5)
        email_queue(recipient=Recipient("a@example.org", "fr", "A"), subject="s", text="t")
    assert SolveJob.objects.get(pk=job.pk).state == SolveJob.State.QUEUED
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.QUEUED


def test_a_queued_solve_nobody_took_is_rung_again(published):
    get_broker().purge_queue()
    services.solve_start(visit=published.visit, time_limit_s=5)
    assert job_health.solve_jobs_sweep() == 0  # just asked for: its bell may be on its way
    assert job_health.solve_jobs_sweep(now=_later(120)) == 1
    assert get_broker().queue_size() == 1
    get_broker().purge_queue()


def _running(job, worker, heartbeat_ago_s):
    SolveJob.objects.filter(pk=job.pk).update(
        state=SolveJob.State.RUNNING,
        worker=worker,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=heartbeat_ago_s),
    )


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_a_silent_job_whose_worker_is_gone_fails_with_that_cause_and_a_replan_runs_again(
    published,
):
    job = services.programme_replan(visit=published.visit, reason="declined", time_limit_s=5)
    _running(job, f"{socket.gethostname()}:{_dead_pid()}", heartbeat_ago_s=600)
    assert job_health.solve_jobs_reap() == 1
    job.refresh_from_db()
    assert job.state == SolveJob.State.FAILED and "worker stopped" in job.message
    retry = SolveJob.objects.get(retry_of=job)
    assert retry.state == SolveJob.State.QUEUED and retry.kind == SolveJob.Kind.REPLAN
    # The retry is tried once only: if it too loses its worker, a person decides.
    _running(retry, f"{socket.gethostname()}:{_dead_pid()}", heartbeat_ago_s=600)
    assert job_health.solve_jobs_reap() == 1
    assert not SolveJob.objects.filter(state__in=SolveJob.ACTIVE_STATES).exists()


def test_a_silent_job_whose_worker_lives_waits_then_says_the_database_was_unreachable(
    published, settings
):
    job = services.solve_start(visit=published.visit, time_limit_s=5)
    alive = f"{socket.gethostname()}:{os.getpid()}"
    _running(job, alive, heartbeat_ago_s=settings.SOLVE_STALE_AFTER_S + 1)
    assert job_health.solve_jobs_reap() == 0  # a short outage: the solve goes on
    assert SolveJob.objects.get(pk=job.pk).state == SolveJob.State.RUNNING
    _running(job, alive, heartbeat_ago_s=5 + settings.SOLVE_STALE_AFTER_S * 5)
    assert job_health.solve_jobs_reap() == 1
    job.refresh_from_db()
    assert job.state == SolveJob.State.FAILED and "database" in job.message
    assert not SolveJob.objects.filter(retry_of=job).exists()  # a first solve is not a re-plan


def test_the_heartbeat_outlives_a_database_outage(published, monkeypatch):
    import threading

    from django.db import DatabaseError

    calls = []

    def beat(self):
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseError("server closed the connection unexpectedly")
        self.done.set()

    monkeypatch.setattr(services, "HEARTBEAT_S", 0.01)
    monkeypatch.setattr(services._Heartbeat, "beat", beat)
    heartbeat = services._Heartbeat(0, threading.Event())
    heartbeat.start()
    heartbeat.join(timeout=30)
    assert len(calls) == 2 and not heartbeat.is_alive()


def test_an_email_whose_bell_was_lost_is_sent_by_the_sweep(db, mailoutbox):
    email = email_queue(recipient=Recipient("a@example.org", "fr", "A"), subject="s", text="t")
    assert emails_retry_due() == 0  # just queued: its bell may be on its way
    assert emails_retry_due(now=_later(120)) == 1
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT and len(mailoutbox) == 1


def test_a_replan_kept_waiting_for_a_solve_whose_worker_died_starts_by_the_sweep(published):
    ReplanWanted.objects.create(programme=published.programme, reasons="declined")
    busy = services.solve_start(visit=published.visit, time_limit_s=5)
    assert outbox.sweep()["replans_wanted"] == 0  # a solve is queued: the re-plan waits
    SolveJob.objects.filter(pk=busy.pk).update(state=SolveJob.State.FAILED)
    assert outbox.sweep()["replans_wanted"] == 1
    assert SolveJob.objects.get(state=SolveJob.State.QUEUED).kind == SolveJob.Kind.REPLAN
    assert not ReplanWanted.objects.exists()
