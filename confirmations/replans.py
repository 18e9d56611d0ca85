"""Re-plans the hosts' answers ask for: started at once, or kept (``ReplanWanted``) until the
solve that runs has ended; and what organisers hear of a re-plan's result."""

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from confirmations.models import ReplanWanted
from confirmations.wording import organisers_of
from notifications import services as notify
from planner import i18n
from scheduling import services as scheduling
from scheduling.explanations import explained
from scheduling.models import Programme, SolveJob

log = logging.getLogger(__name__)


def replan_request(*, programme_id: int, reason: str) -> SolveJob | None:
    """Start a re-plan now, or as soon as the solve that runs has ended."""
    programme = Programme.objects.select_related("visit").get(pk=programme_id)
    try:
        return scheduling.programme_replan(visit=programme.visit, reason=reason[:300])
    except scheduling.SolveRefused:
        with transaction.atomic():
            wanted, _created = ReplanWanted.objects.select_for_update().get_or_create(
                programme=programme
            )
            wanted.reasons = "\n".join(filter(None, [wanted.reasons, reason]))[-2000:]
            wanted.save()
        return None


def solve_finished(*, job_id: int) -> None:
    """After any solve: tell organisers about a proposed re-plan, and run the re-plan that
    declines asked for while it ran. Never raises (the job has ended either way)."""
    try:
        _solve_finished(job_id)
    except Exception:
        log.exception("after solve job %s", job_id)


def _solve_finished(job_id: int) -> None:
    job = SolveJob.objects.select_related("programme__visit", "result_version").get(pk=job_id)
    programme = job.programme
    if job.kind == SolveJob.Kind.REPLAN:
        if job.state == SolveJob.State.DONE and job.result_version:
            _tell_organisers_replanned(job)
        elif job.state in (SolveJob.State.FAILED, SolveJob.State.TIMED_OUT):
            _tell_organisers_replan_failed(job)
    wanted = ReplanWanted.objects.filter(programme=programme).first()
    if (
        wanted is None
        or SolveJob.objects.filter(programme=programme, state__in=SolveJob.ACTIVE_STATES).exists()
    ):
        return
    reasons = wanted.reasons
    wanted.delete()
    try:
        scheduling.programme_replan(visit=programme.visit, reason=reasons.splitlines()[-1][:300])
    except scheduling.SolveRefused:
        ReplanWanted.objects.get_or_create(programme=programme, defaults={"reasons": reasons})


def replans_wanted_start(*, now=None) -> int:
    """The sweep's part: a re-plan kept waiting for a solve that ended without telling us (its
    worker died) starts now. Returns how many started."""
    started = 0
    for wanted in ReplanWanted.objects.select_related("programme__visit"):
        programme = wanted.programme
        if SolveJob.objects.filter(programme=programme, state__in=SolveJob.ACTIVE_STATES).exists():
            continue
        try:
            scheduling.programme_replan(
                visit=programme.visit, reason=wanted.reasons.splitlines()[-1][:300]
            )
        except scheduling.SolveRefused:
            continue
        wanted.delete()
        started += 1
    return started


def _tell_organisers_replanned(job: SolveJob) -> None:
    version = job.result_version
    base = job.base_version
    visit = job.programme.visit
    zone = ZoneInfo(visit.time_zone)
    diff = scheduling.version_diff(old=base, new=version) if base else {"moved": []}
    link = settings.SITE_URL + reverse(
        "scheduling:version", kwargs={"visit_id": visit.pk, "number": version.number}
    )
    for organiser in organisers_of(visit):
        with translation.override(organiser.language):
            lines = [
                _("Version %(number)d is ready (%(moves)d moved) — %(reason)s")
                % {"number": version.number, "moves": len(diff["moved"]), "reason": job.reason}
            ]
            lines += [
                _("%(title)s: %(before)s → %(after)s. %(why)s")
                % {
                    "title": m["title"],
                    "before": i18n.date_time(m["from"], zone),
                    "after": i18n.date_time(m["to"], zone),
                    "why": _(m["reason"]) if m["reason"] else "",
                }
                for m in diff["moved"]
            ]
            notify.change_notify(
                recipient=organiser,
                topic=_("Re-plan: %(visit)s") % {"visit": visit.title},
                lines=lines,
                key=f"replan-{version.pk}",
                link=link,
                link_label=_("Look at the new version and publish it"),
                visit=visit,
            )


def _tell_organisers_replan_failed(job: SolveJob) -> None:
    visit = job.programme.visit
    link = settings.SITE_URL + reverse("scheduling:visit", kwargs={"visit_id": visit.pk})
    for organiser in organisers_of(visit):
        with translation.override(organiser.language):
            lines = [_("No new programme keeps every answer: %(reason)s") % {"reason": job.reason}]
            lines += [c["sentence"] for c in explained(job.conflicts, visit=visit)]
            if not job.conflicts and job.message:
                lines.append(_(job.message))
            notify.change_notify(
                recipient=organiser,
                topic=_("Re-plan: %(visit)s") % {"visit": visit.title},
                lines=lines,
                key=f"replan-failed-{job.pk}",
                link=link,
                link_label=_("Look at the programme"),
                visit=visit,
            )
