"""django-q2 entry points: they take ids and call a service."""

from confirmations import notices, proposals, replans
from outbox import registry


def host_reminders_task() -> int:
    return proposals.host_reminders_send()


@registry.handles("confirmations.publication_notify")
def publication_notify_task(version_id: int, previous_id: int) -> dict:
    return notices.publication_notify(version_id=version_id, previous_id=previous_id)


@registry.handles("confirmations.replan")
def replan_task(programme_id: int, reason: str) -> None:
    replans.replan_request(programme_id=programme_id, reason=reason)
