"""The outbox keeps work in the database: a lost bell, a dead worker or a failing handler
never loses an item, and the same cause never runs twice."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker

from outbox import registry, services
from outbox.models import OutboxItem

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[dict] = []


@registry.handles("test.record")
def _record(**payload):
    CALLS.append(payload)


@registry.handles("test.explode")
def _explode(**payload):
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    broker = get_broker()
    broker.purge_queue()
    yield
    broker.purge_queue()


def _later(seconds):
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_work_is_written_with_its_change_and_rolled_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.item_add(kind="test.record", key="k-rollback", payload={"n": 1})
        raise RuntimeError("the change fails")
    assert not OutboxItem.objects.exists()
    with transaction.atomic():
        services.item_add(kind="test.record", key="k-kept", payload={"n": 2})
    item = OutboxItem.objects.get(key="k-kept")
    assert item.state == OutboxItem.State.PENDING and item.rung_at is not None
    assert get_broker().queue_size() == 1


def test_the_same_cause_is_one_item():
    services.item_add(kind="test.record", key="same", payload={"n": 1})
    services.item_add(kind="test.record", key="same", payload={"n": 2})
    assert OutboxItem.objects.filter(key="same").count() == 1
    assert OutboxItem.objects.get(key="same").payload == {"n": 1}


def test_an_unknown_kind_is_refused_before_anything_is_written():
    with pytest.raises(LookupError):
        services.item_add(kind="no.such.kind", key="x")
    assert not OutboxItem.objects.exists()


def test_two_bells_run_the_work_once():
    item = services.item_add(kind="test.record", key="once", payload={"n": 3})
    assert services.item_run(item_id=item.pk).state == OutboxItem.State.DONE
    assert services.item_run(item_id=item.pk) is None
    assert CALLS == [{"n": 3}]


def test_a_failing_handler_is_retried_later_then_given_up():
    item = services.item_add(kind="test.explode", key="explodes")
    ran = services.item_run(item_id=item.pk)
    assert ran.state == OutboxItem.State.PENDING and ran.not_before > timezone.now()
    assert "boom" in ran.last_error
    # not due yet: a bell now does nothing
    assert services.item_run(item_id=item.pk) is None
    for attempt in range(2, 7):
        ran = services.item_run(item_id=item.pk, now=_later(10**6 * attempt))
    assert ran.state == OutboxItem.State.FAILED and ran.attempts == 6


def test_a_change_commits_even_when_the_broker_is_down_and_the_sweeper_rings_later(
    monkeypatch,
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr("django_q.tasks.async_task", broker_down)
    with transaction.atomic():
        item = services.item_add(kind="test.record", key="broker-down", payload={"n": 4})
    assert OutboxItem.objects.get(pk=item.pk).state == OutboxItem.State.PENDING
    monkeypatch.undo()
    assert services.sweep(now=_later(120))["rung"] == 1
    assert get_broker().queue_size() == 1
    services.item_run(item_id=item.pk)
    assert CALLS == [{"n": 4}]


def test_a_recent_bell_is_not_rung_again_but_an_old_one_is():
    services.item_add(kind="test.record", key="rung")
    assert services.sweep()["rung"] == 0
    assert services.sweep(now=_later(3600))["rung"] == 1


def test_work_left_running_by_a_dead_worker_is_given_back_and_done():
    item = services.item_add(kind="test.record", key="orphan", payload={"n": 5})
    OutboxItem.objects.filter(pk=item.pk).update(
        state=OutboxItem.State.RUNNING, claimed_at=timezone.now(), attempts=1
    )
    assert services.sweep()["released"] == 0  # still within the time a handler may take
    counts = services.sweep(now=_later(3600))
    assert counts["released"] == 1 and counts["rung"] == 1
    assert services.item_run(item_id=item.pk, now=_later(3600)).state == "done"
    assert CALLS == [{"n": 5}]


def test_each_app_sweeps_its_own_rows(monkeypatch):
    seen = []
    monkeypatch.setattr(registry, "_sweepers", {"mine": lambda now: seen.append(now) or 7})
    now = timezone.now()
    assert services.sweep(now=now)["mine"] == 7
    assert seen == [now]
