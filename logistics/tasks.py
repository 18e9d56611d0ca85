"""django-q2 entry points: they take ids and call a service."""

from logistics import services
from outbox import registry


@registry.handles("logistics.notify")
def logistics_notify_task(version_id: int, previous_id: int) -> dict:
    return services.logistics_notify(version_id=version_id, previous_id=previous_id)
