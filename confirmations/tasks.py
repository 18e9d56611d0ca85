"""django-q2 entry points: they take ids and call a service."""

from confirmations import notices, proposals


def host_reminders_task() -> int:
    return proposals.host_reminders_send()


def publication_notify_task(version_id: int, previous_id: int) -> dict:
    return notices.publication_notify(version_id=version_id, previous_id=previous_id)
