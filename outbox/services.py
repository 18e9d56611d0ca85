"""Write work in the caller's transaction; run it once it is due; sweep what was left behind."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox import registry
from outbox.models import OutboxItem

log = logging.getLogger(__name__)

RUN_TASK = "outbox.tasks.item_run_task"


def item_add(*, kind: str, key: str, payload: dict | None = None, delay_s: float = 0) -> OutboxItem:
    """Record work due because of the change being saved (call it inside that change's
    transaction); the bell rings after commit. The same key twice is the same work: the
    first row is kept."""
    registry.handler(kind)  # an unknown kind is a programming error: refuse it now
    item, created = OutboxItem.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "payload": payload or {},
            "not_before": timezone.now() + dt.timedelta(seconds=delay_s),
        },
    )
    if created and not delay_s:
        transaction.on_commit(lambda: bell_ring(item.pk))
    return item


def task_ring(func: str, *args, group: str) -> bool:
    """Queue a django-q2 task for work whose row is already committed (an outbox item, a solve
    job, an email). A broker that is down is logged, not raised: the row waits for the
    sweeper, and the request whose change committed must not answer 500."""
    from django_q.tasks import async_task

    try:
        async_task(func, *args, group=group)
    except Exception:  # the broker's own errors vary (redis, ORM): none may undo the commit
        log.warning("outbox: %s%s not queued (broker down?); the sweeper will", func, args)
        return False
    return True


def bell_ring(item_id: int) -> bool:
    """Ask a worker to run the item."""
    OutboxItem.objects.filter(pk=item_id).update(rung_at=timezone.now())
    return task_ring(RUN_TASK, item_id, group="outbox")


def item_run(*, item_id: int, now: dt.datetime | None = None) -> OutboxItem | None:
    """Take the item if it is still pending and due, run its handler, record the outcome.
    A second bell for the same item finds it taken and does nothing."""
    now = now or timezone.now()
    taken = OutboxItem.objects.filter(
        pk=item_id, state=OutboxItem.State.PENDING, not_before__lte=now
    ).update(state=OutboxItem.State.RUNNING, claimed_at=now, attempts=F("attempts") + 1)
    if not taken:
        return None
    item = OutboxItem.objects.get(pk=item_id)
    try:
        # The handler's writes and the item's "done" commit together: a worker killed in
        # between leaves neither, and the item runs again whole (never half, never twice).
        with transaction.atomic():
            registry.handler(item.kind)(**item.payload)
            item.state, item.done_at, item.last_error = OutboxItem.State.DONE, timezone.now(), ""
            item.save(update_fields=["state", "done_at", "last_error"])
    except Exception as exc:
        log.exception("outbox: %s failed (attempt %s)", item, item.attempts)
        _failed(item, exc)
    return item


def _failed(item: OutboxItem, exc: Exception) -> None:
    item.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if item.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        item.state = OutboxItem.State.FAILED
    else:
        backoff = settings.OUTBOX_RETRY_BASE_S * 2 ** (item.attempts - 1)
        item.state = OutboxItem.State.PENDING
        item.not_before = timezone.now() + dt.timedelta(seconds=backoff)
    item.save(update_fields=["state", "last_error", "not_before"])


def sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Ring again for due items whose bell was never rung or long ago (lost with a worker or
    with Redis), give back items left running by a dead worker, then let each app sweep its
    own rows. Run every minute and when a worker starts."""
    now = now or timezone.now()
    rering_before = now - dt.timedelta(seconds=settings.OUTBOX_RERING_AFTER_S)
    stale_before = now - dt.timedelta(seconds=settings.OUTBOX_STALE_AFTER_S)
    released = OutboxItem.objects.filter(
        state=OutboxItem.State.RUNNING, claimed_at__lt=stale_before
    ).update(state=OutboxItem.State.PENDING, last_error="the worker running it stopped")
    due = OutboxItem.objects.filter(state=OutboxItem.State.PENDING, not_before__lte=now).filter(
        Q(rung_at__isnull=True) | Q(rung_at__lt=rering_before)
    )
    rung = sum(bell_ring(pk) for pk in due.values_list("pk", flat=True)[:500])
    counts = {"rung": rung, "released": released}
    for name, sweeper in registry.sweepers().items():
        try:
            counts[name] = sweeper(now=now)
        except Exception:
            log.exception("outbox: sweeper %s failed", name)
    return counts
