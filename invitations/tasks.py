"""Background jobs of the invitations app (django-q2)."""

from invitations.replies import replies_poll
from invitations.services import syncs_run_due


def syncs_due_task() -> int:
    """Rung when a sync is written: bring the invitations due in step."""
    return syncs_run_due()


def replies_poll_task() -> dict:
    """The minute schedule (migration 0002): read the replies waiting in the mailbox."""
    return replies_poll()
