"""Receivers of confirmations' and scheduling's signals (connected in InvitationsConfig.ready).

Both run in the sender's transaction and write an outbox row there (``invitations.sync``):
the invitations are made by a worker once the change is committed, never lost with a dead
worker, never sent for a change rolled back. A publication waits
``INVITATIONS_UPDATE_DELAY_S`` (120 s) and a burst of publications makes one sync: ten moves
of a meeting in a minute send one update, not ten."""

from django.utils import timezone

from confirmations.models import Proposal
from invitations import conf
from outbox.models import OutboxItem
from outbox.services import item_add
from scheduling.models import Programme

KIND = "invitations.sync"


def proposal_sent(sender, *, proposal, **kwargs) -> None:
    """A host was sent their proposal: each of their slots as an invitation (sent again as
    it is when the organiser resends the proposal)."""
    programme = Programme.objects.filter(visit_id=proposal.visit_id).first()
    if programme is not None:
        item_add(
            kind=KIND,
            key=f"invitations-proposal:{proposal.pk}",
            payload={
                "programme_id": programme.pk,
                "person_ids": [proposal.person_id],
                "resend": proposal.kind == Proposal.Kind.RESEND,
            },
        )


def programme_changed(sender, *, programme, at=None, **kwargs) -> None:
    """A version was published: moved slots send updates, removed ones cancellations,
    interpreters' new assignments invitations (one sync for a burst of publications)."""
    prefix = f"invitations-programme:{programme.pk}:"
    waiting = OutboxItem.objects.filter(
        kind=KIND, key__startswith=prefix, state=OutboxItem.State.PENDING
    )
    if waiting.exists():
        return  # the sync waiting reads the published version when it runs
    at = at or timezone.now()
    item_add(
        kind=KIND,
        key=f"{prefix}{at.isoformat()}",
        payload={"programme_id": programme.pk},
        delay_s=float(conf.setting("INVITATIONS_UPDATE_DELAY_S", "120") or 0),
    )
