"""Background jobs of the invitations app (django-q2) and its outbox handler."""

from invitations.replies import replies_poll
from invitations.services import invitations_sync
from outbox import registry
from scheduling.models import Programme


@registry.handles("invitations.sync")
def invitations_sync_run(*, programme_id: int, person_ids=None, resend: bool = False) -> None:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is not None:  # a visit deleted meanwhile: nothing left to invite to
        invitations_sync(programme=programme, person_ids=person_ids, resend=resend)


def replies_poll_task() -> dict:
    """The minute schedule (migration 0002): read the replies waiting in the mailbox."""
    return replies_poll()
