"""Receivers of confirmations' and scheduling's signals (connected in InvitationsConfig.ready).

Both run in the sender's transaction and write a ``PendingSync`` row there: the invitations
are made by a worker once the change is committed, never lost with a dead worker (the outbox's
minute sweep runs what is due), never sent for a change rolled back. A publication waits
``INVITATIONS_UPDATE_DELAY_S`` (120 s) and a burst of publications makes one sync: ten moves
of a meeting in a minute send one update, not ten."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from confirmations.models import Proposal
from invitations import conf
from invitations.models import PendingSync
from outbox.services import task_ring
from scheduling.models import Programme

SYNC_TASK = "invitations.tasks.syncs_due_task"


def _ring() -> None:
    transaction.on_commit(lambda: task_ring(SYNC_TASK, group="invitations"))


def proposal_sent(sender, *, proposal, **kwargs) -> None:
    """A host was sent their proposal: each of their slots as an invitation (sent again as
    it is when the organiser resends the proposal)."""
    programme = Programme.objects.filter(visit_id=proposal.visit_id).first()
    if programme is not None:
        PendingSync.objects.create(
            programme=programme,
            person_ids=[proposal.person_id],
            resend=proposal.kind == Proposal.Kind.RESEND,
            due_at=timezone.now(),
        )
        _ring()


def programme_changed(sender, *, programme, **kwargs) -> None:
    """A version was published: moved slots send updates, removed ones cancellations,
    interpreters' new assignments invitations (one sync for a burst of publications)."""
    everyone = PendingSync.objects.filter(programme=programme, person_ids__isnull=True)
    if everyone.exists():
        return  # the sync waiting reads the published version when it runs
    delay = float(conf.setting("INVITATIONS_UPDATE_DELAY_S", "120") or 0)
    PendingSync.objects.create(
        programme=programme, due_at=timezone.now() + dt.timedelta(seconds=delay)
    )
    if not delay:
        _ring()
