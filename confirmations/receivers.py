"""Receivers of the programme app's signals (connected in ConfirmationsConfig.ready)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from confirmations import answers, replans
from scheduling.models import ProgrammeVersion, Slot


def version_published(sender, *, version, previous, **kwargs) -> None:
    """In the publishing transaction, before the feeds follow: hosts' current answers hold in
    the new version; then what is due after the commit (a re-plan, the notices)."""
    answers.answers_apply(version=version)
    # A re-plan's own result is never re-planned from here: that could only loop.
    replan = (
        version.source != ProgrammeVersion.Source.REPLAN
        and version.slots.filter(status=Slot.Status.DECLINED).exists()
    )
    notify = previous is not None and previous.pk != version.pk
    # What is due once the publication is committed (the place an outbox takes over).
    if replan:
        programme_id = version.programme_id
        why = _("Declined times remain in the published version.")
        transaction.on_commit(lambda: replans.replan_request(programme_id=programme_id, reason=why))
    if notify:
        ids = (version.pk, previous.pk)
        transaction.on_commit(
            lambda: async_task("confirmations.tasks.publication_notify_task", *ids, group="email")
        )


def solve_finished(sender, *, job, **kwargs) -> None:
    """Organisers hear of a proposed re-plan; declines that came meanwhile re-plan again."""
    replans.solve_finished(job_id=job.pk)
