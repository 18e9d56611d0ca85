"""django-q2 entry points: they take ids and call a service."""

import logging

from outbox import services

log = logging.getLogger(__name__)


def item_run_task(item_id: int) -> str | None:
    item = services.item_run(item_id=item_id)
    return item.state if item else None


def sweep_task() -> dict:
    return services.sweep()


def sweep_on_spawn(sender=None, proc_name=None, **kwargs) -> None:
    try:
        services.sweep()
    except Exception:  # a worker must start even when the sweep cannot run (database down)
        log.exception("outbox: sweep at worker start failed")
