"""Receivers of the programme app's signals (connected in ConfirmationsConfig.ready)."""

from django.utils.translation import gettext as _

from confirmations import answers, links, replans
from confirmations.models import HostAnswer, HostLink
from outbox.services import item_add
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
    # What is due once the publication is committed: rows of the outbox, written in the
    # publishing transaction, so a web process killed after the commit loses nothing.
    if replan:
        item_add(
            kind="confirmations.replan",
            key=f"replan:version-{version.pk}",
            payload={
                "programme_id": version.programme_id,
                "reason": _("Declined times remain in the published version."),
            },
        )
    if notify:
        item_add(
            kind="confirmations.publication_notify",
            key=f"publication-notify:{version.pk}:{previous.pk}",
            payload={"version_id": version.pk, "previous_id": previous.pk},
        )


def solve_finished(sender, *, job, **kwargs) -> None:
    """Organisers hear of a proposed re-plan; declines that came meanwhile re-plan again."""
    replans.solve_finished(job_id=job.pk)


def feed_answers(*, programme_id: int) -> list[tuple]:
    """For the feeds (``feeds.providers``): every host's current answer and the time it is for."""
    return list(
        HostAnswer.objects.filter(programme_id=programme_id, current=True).values_list(
            "activity_id", "person_id", "start", "answer"
        )
    )


def feed_host_page(*, visit_id: int, subject_id: int) -> str:
    """For the feeds: the host's answer page while their link works (never makes one)."""
    link = HostLink.objects.filter(visit_id=visit_id, person_id=subject_id).first()
    if link is None or link.token.state() != "active":
        return ""
    return links.link_url(link)
