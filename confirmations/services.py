"""Writes of the confirmations app: hosts' links, proposals and reminders, answers and their
effects (lock, re-plan, feeds, digests).

Every answer is written under the programme row lock (``select_for_update``), the same lock
a re-plan takes before writing its version: an answer and a re-plan never interleave, and a
re-plan that started before a confirmation re-reads it (``scheduling.services``).
"""

import base64
import dataclasses
import datetime as dt
import logging
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from confirmations.models import HostAnswer, HostLink, Proposal, ReplanWanted
from events.models import ActivityHost, Availability, Person, Visit
from feeds import render
from feeds.selectors import feed_items
from feeds.sync import programme_feed_ensure, programme_feed_sync
from notifications import services as notify
from notifications.models import OutgoingEmail
from planner import i18n
from planner.languages import text_language
from scheduling.access import (
    PREFIX_LENGTH,
    AccessToken,
    TokenGone,
    TokenUnknown,
    access_token_create,
    access_token_resolve,
    access_token_revoke,
)
from scheduling.models import Programme, ProgrammeVersion, Slot, SolveJob

log = logging.getLogger(__name__)

MAX_WINDOWS = 5
HMAC_SALT = "confirmations.HostLink"


class LinkInvalid(Exception):
    """Unknown, revoked, reset or expired: the host sees the same answer for all of them."""


class AnswerRefused(Exception):
    """An answer that cannot be recorded as it is; the message is for the host."""

    def __init__(self, message: str, code: str, status: int = 409):
        super().__init__(message)
        self.code, self.status = code, status


class SendRefused(Exception):
    """Proposals cannot be sent (nothing published); the message is for the organiser."""


# ---------------------------------------------------------------------------------------------
# Links


def _key(salt: str) -> str:
    digest = salted_hmac(HMAC_SALT, salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")  # 43 characters


def link_expiry(visit: Visit, now=None) -> dt.datetime:
    """Links work until the end of the visit's last day (its own time zone), and at least
    HOST_LINK_MIN_DAYS after they are made."""
    zone = ZoneInfo(visit.time_zone)
    after_visit = dt.datetime.combine(visit.end_date + dt.timedelta(days=1), dt.time(), zone)
    soonest = (now or timezone.now()) + dt.timedelta(days=settings.HOST_LINK_MIN_DAYS)
    return max(after_visit, soonest)


def host_url(key: str) -> str:
    return settings.SITE_URL + reverse("confirmations:host", kwargs={"key": key})


def _is_host(visit: Visit, person: Person) -> bool:
    return ActivityHost.objects.filter(activity__visit=visit, person=person).exists()


@transaction.atomic
def host_link_get(*, visit: Visit, person: Person, user=None) -> tuple[HostLink, str]:
    """The host's working link (made on first use, or anew once the old one is over)."""
    if person.owner_id != visit.owner_id or not _is_host(visit, person):
        raise ValidationError({"person": _("This person hosts nothing in this visit.")})
    link = HostLink.objects.select_for_update().filter(visit=visit, person=person).first()
    if link is not None:
        token = AccessToken.objects.get(pk=link.token_id)
        if token.state() == "active":
            link.token = token
            return link, _key(link.salt)
    salt = secrets.token_urlsafe(32)
    key = _key(salt)
    token = AccessToken.objects.create(
        key_hash=AccessToken.hash_key(key),
        prefix=key[:PREFIX_LENGTH],
        purpose=AccessToken.Purpose.HOST_LINK,
        subject=AccessToken.Subject.PERSON,
        visit=visit,
        person=person,
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=link_expiry(visit),
    )
    if link is None:
        link = HostLink.objects.create(visit=visit, person=person, token=token, salt=salt)
    else:
        link.token, link.salt = token, salt
        link.save(update_fields=["token", "salt"])
    return link, key


@transaction.atomic
def host_link_revoke(*, visit: Visit, person: Person, reason=AccessToken.RevokeReason.REVOKED):
    """Kill the host's link; the next email to them carries a new one."""
    link = HostLink.objects.select_related("token").filter(visit=visit, person=person).first()
    if link is not None:
        access_token_revoke(token=link.token, reason=reason)
    return link


def host_link_resolve(*, key: str) -> HostLink:
    """The link of a key, or LinkInvalid (one exception: no way to tell unknown from over)."""
    try:
        # One query: the token with its link (and the link's visit and host) joined.
        token = access_token_resolve(
            key=key,
            purpose=AccessToken.Purpose.HOST_LINK,
            related=("host_link__visit", "host_link__person"),
        )
    except (TokenUnknown, TokenGone):
        raise LinkInvalid from None
    link = getattr(token, "host_link", None)
    if link is None or token.subject != AccessToken.Subject.PERSON:
        raise LinkInvalid
    return link


# ---------------------------------------------------------------------------------------------
# Words for people


def language_of(person: Person) -> str:
    return text_language(person.preferred_language)


def when(slot_or_start, end=None, *, zone: ZoneInfo) -> str:
    """ "lundi 20 avril 2009, 10:00–12:00" in the active language."""
    start = getattr(slot_or_start, "start", slot_or_start)
    end = getattr(slot_or_start, "end", end)
    local = start.astimezone(zone)
    return f"{i18n.full_date(local.date())}, {i18n.time_range(start, end, zone)}"


def _host_ics(programme: Programme, person: Person, language: str) -> str:
    feed = programme_feed_ensure(programme=programme)
    if feed is None:
        return ""
    visit = programme.visit
    items = feed_items(feed=feed, subject="person", who=person.pk, language=language)
    body = render.feed_render(
        render.Feed(
            uid=f"host-{person.pk}@{visit.slug}.planner",
            audience="person",
            visit_title=visit.title,
            subject_name=person.full_name,
            language=language,
            time_zone=visit.time_zone,
            first_date=feed.first_date,
            last_date=feed.last_date,
            items=items,
        )
    )
    return body.decode()


def _host_slots(version: ProgrammeVersion, person: Person) -> list[Slot]:
    return list(
        version.slots.filter(activity__host_links__person=person)
        .exclude(status=Slot.Status.CANCELLED)
        .select_related("activity", "venue")
        .order_by("start")
        .distinct()
    )


# ---------------------------------------------------------------------------------------------
# Proposals and reminders


def _host_email(
    *, visit: Visit, version: ProgrammeVersion, person: Person, link: HostLink, key: str, kind: str
) -> OutgoingEmail:
    language = language_of(person)
    zone = ZoneInfo(visit.time_zone)
    slots = _host_slots(version, person)
    with translation.override(language):
        lines = [
            {"title": s.activity.local_title, "when": when(s, zone=zone), "venue": s.venue.name}
            for s in slots
        ]
        context = {
            "name": person.full_name,
            "visit": visit,
            "dates": i18n.date_range(visit.start_date, visit.end_date),
            "slots": lines,
            "link": host_url(key),
            "reminder": kind == OutgoingEmail.Kind.REMINDER,
            # The link's own expiry (at least HOST_LINK_MIN_DAYS away), not the visit's end.
            "expires": i18n.full_date(
                (link.token.expires_at.astimezone(zone) - dt.timedelta(microseconds=1)).date()
            ),
        }
        if kind == OutgoingEmail.Kind.REMINDER:
            subject = _("Reminder: your answer for %(visit)s") % {"visit": visit.title}
        else:
            subject = _("Times proposed for your meetings: %(visit)s") % {"visit": visit.title}
        text = render_to_string("confirmations/email/proposal.txt", context)
        html = render_to_string("confirmations/email/proposal.html", context)
        ics = _host_ics(version.programme, person, language)
    attachments = (notify.Attachment(f"{visit.slug}.ics", "text/calendar", ics),) if ics else ()
    return notify.email_queue(
        recipient=notify.Recipient(person.email, language, person.full_name),
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        attachments=attachments,
        visit=visit,
    )


def _published(visit: Visit) -> tuple[Programme, ProgrammeVersion]:
    programme = Programme.objects.select_related("current_version", "visit").filter(visit=visit)
    programme = programme.first()
    if programme is None or programme.current_version is None:
        raise SendRefused(_("Publish a version of the programme before sending it to hosts."))
    return programme, programme.current_version


def hosts_of(version: ProgrammeVersion) -> list[Person]:
    ids = (
        Slot.objects.filter(version=version)
        .exclude(status=Slot.Status.CANCELLED)
        .values("activity__host_links__person")
    )
    return list(Person.objects.filter(pk__in=ids).order_by("full_name"))


@transaction.atomic
def proposal_send(
    *, visit: Visit, person: Person, user=None, kind: str = Proposal.Kind.FIRST
) -> Proposal | None:
    """Email one host their slots of the published version with their personal link."""
    _programme, version = _published(visit)
    if not person.email:
        return None
    if not _host_slots(version, person):
        return None
    link, key = host_link_get(visit=visit, person=person, user=user)
    email = _host_email(
        visit=visit,
        version=version,
        person=person,
        link=link,
        key=key,
        kind=OutgoingEmail.Kind.PROPOSAL,
    )
    return Proposal.objects.create(
        visit=visit,
        version=version,
        person=person,
        kind=kind,
        email=email,
        sent_by=user if user is not None and user.is_authenticated else None,
        sent_at=timezone.now(),
    )


def proposals_send(*, visit: Visit, user=None, person_ids=None) -> list[Proposal]:
    """Send the published version to its hosts (all, or those named); one email each."""
    _programme, version = _published(visit)
    sent = []
    for person in hosts_of(version):
        if person_ids is not None and person.pk not in person_ids:
            continue
        proposal = proposal_send(visit=visit, person=person, user=user)
        if proposal is not None:
            sent.append(proposal)
    return sent


def _unanswered(programme: Programme, version: ProgrammeVersion, person: Person) -> list[Slot]:
    answered = {
        (a.activity_id, a.start)
        for a in HostAnswer.objects.filter(programme=programme, person=person, current=True)
    }
    return [s for s in _host_slots(version, person) if (s.activity_id, s.start) not in answered]


def host_reminders_send(*, now=None) -> int:
    """Remind hosts who were sent a proposal and have left slots unanswered for a while."""
    now = now or timezone.now()
    wait = dt.timedelta(hours=settings.HOST_REMINDER_AFTER_H)
    latest: dict[tuple[int, int], Proposal] = {}
    candidates = (
        Proposal.objects.filter(sent_at__lte=now - wait, visit__end_date__gte=now.date())
        .select_related("visit", "person")
        .order_by("sent_at", "pk")
    )
    for proposal in candidates:
        latest[(proposal.visit_id, proposal.person_id)] = proposal
    sent = 0
    for proposal in latest.values():
        if proposal.reminders >= settings.HOST_REMINDER_MAX:
            continue
        if proposal.reminded_at is not None and proposal.reminded_at > now - wait:
            continue
        if Proposal.objects.filter(
            visit=proposal.visit, person=proposal.person, sent_at__gt=now - wait
        ).exists():
            continue  # a newer proposal went out meanwhile
        with transaction.atomic():
            try:
                programme, version = _published(proposal.visit)
            except SendRefused:
                continue
            person = proposal.person
            if not person.email or not _unanswered(programme, version, person):
                continue
            link, key = host_link_get(visit=proposal.visit, person=person)
            _host_email(
                visit=proposal.visit,
                version=version,
                person=person,
                link=link,
                key=key,
                kind=OutgoingEmail.Kind.REMINDER,
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                reminders=proposal.reminders + 1, reminded_at=now
            )
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# Answers


@dataclasses.dataclass
class AnswerOutcome:
    answer: HostAnswer
    slot: Slot
    changed: bool


def _aware(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=zone) if timezone.is_naive(value) else value


def windows_check(*, visit: Visit, windows) -> list[tuple[dt.datetime, dt.datetime]]:
    """Offered windows as aware datetimes, or ValidationError naming each bad field."""
    zone = ZoneInfo(visit.time_zone)
    first = dt.datetime.combine(visit.start_date, dt.time(), zone)
    last = dt.datetime.combine(visit.end_date + dt.timedelta(days=1), dt.time(), zone)
    errors, checked = {}, []
    if not windows:
        errors["windows"] = [_("Give at least one time that suits you.")]
    if len(windows) > MAX_WINDOWS:
        errors["windows"] = [_("Give at most %(n)d times.") % {"n": MAX_WINDOWS}]
    for i, (start, end) in enumerate(windows[:MAX_WINDOWS]):
        start, end = _aware(start, zone), _aware(end, zone)
        if end <= start:
            errors[f"windows.{i}.end"] = [_("This time ends before it starts.")]
        elif start < first or end > last:
            errors[f"windows.{i}.start"] = [
                _("This time falls outside the visit (%(dates)s).")
                % {"dates": i18n.date_range(visit.start_date, visit.end_date)}
            ]
        else:
            checked.append((start, end))
    if errors:
        raise ValidationError(errors)
    return checked


def _relevant_hosts(activity_id: int) -> set[int]:
    links = list(ActivityHost.objects.filter(activity_id=activity_id))
    required = {h.person_id for h in links if h.required}
    return required or {h.person_id for h in links}


def _status_from_answers(programme: Programme, activity_id: int, start) -> str | None:
    """The slot status the hosts' current answers give (None: nobody answered this time)."""
    answers = {
        a.person_id: a.answer
        for a in HostAnswer.objects.filter(
            programme=programme, activity_id=activity_id, start=start, current=True
        )
    }
    if not answers:
        return None
    hosts = _relevant_hosts(activity_id)
    refused = (HostAnswer.Answer.DECLINED, HostAnswer.Answer.OFFERED)
    if any(answers.get(h) in refused for h in hosts):
        return Slot.Status.DECLINED
    if hosts and all(answers.get(h) == HostAnswer.Answer.CONFIRMED for h in hosts):
        return Slot.Status.CONFIRMED
    return Slot.Status.PROPOSED


def _apply(programme: Programme, activity_id: int, start, from_number: int) -> str | None:
    """Write the answers' status on this activity's slot at this time, in the given version
    and every later one (a re-plan written meanwhile must not miss it)."""
    status = _status_from_answers(programme, activity_id, start)
    if status is None:
        return None
    slots = Slot.objects.filter(
        version__programme=programme,
        version__number__gte=from_number,
        activity_id=activity_id,
        start=start,
    ).exclude(status=Slot.Status.CANCELLED)
    if status == Slot.Status.CONFIRMED:
        slots.update(status=status, locked=True)  # a confirmation locks the slot
    else:
        # Only the lock a confirmation set goes with it; the organiser's own locks stay.
        slots.filter(status=Slot.Status.CONFIRMED).update(status=status, locked=False)
        slots.exclude(status=Slot.Status.CONFIRMED).update(status=status)
    return status


def _offer_windows(visit: Visit, person: Person, windows) -> list[int]:
    """Offered times become preferred availability windows (their ids returned)."""
    return [
        Availability.objects.create(
            visit=visit,
            person=person,
            start=start,
            end=end,
            kind=Availability.Kind.PREFERRED,
            note=_("Offered by the host on the answer page"),
        ).pk
        for start, end in windows
    ]


@transaction.atomic
def host_answer_record(
    *,
    link: HostLink,
    slot_id: int,
    answer: str,
    reason: str = "",
    windows=(),
) -> AnswerOutcome:
    """Record a host's answer to one of their slots of the published version.

    Confirm locks the slot; decline or other times mark it declined and start a re-plan.
    Refused (AnswerRefused) when the slot is not the host's, has moved or was cancelled since
    the host saw it, or the organiser has fixed it. The same answer twice changes nothing."""
    visit, person = link.visit, link.person
    if answer not in HostAnswer.Answer.values:
        raise ValidationError({"answer": _("Choose confirm, decline or other times.")})
    reason = (reason or "").strip()[:1000]
    programme = Programme.objects.select_for_update().filter(visit=visit).first()
    current = programme.current_version if programme else None
    seen = (
        Slot.objects.filter(
            pk=slot_id, version__programme=programme, activity__host_links__person=person
        )
        .select_related("activity")
        .first()
        if programme
        else None
    )
    if seen is None or current is None:
        raise AnswerRefused(_("This is not one of your slots."), "not_found", status=404)
    slot = (
        Slot.objects.filter(version=current, activity_id=seen.activity_id)
        .select_related("activity", "venue")
        .first()
    )
    zone = ZoneInfo(visit.time_zone)
    if slot is None or slot.status == Slot.Status.CANCELLED:
        raise AnswerRefused(
            _("“%(title)s” is no longer in the programme; nothing to answer.")
            % {"title": seen.activity.local_title},
            "cancelled",
        )
    if (slot.start, slot.end, slot.venue_id) != (seen.start, seen.end, seen.venue_id):
        raise AnswerRefused(
            _(
                "“%(title)s” has moved to %(when)s since you opened this page. "
                "Your answer was not recorded: look at the new time and answer again."
            )
            % {"title": slot.activity.local_title, "when": when(slot, zone=zone)},
            "moved",
        )
    previous = HostAnswer.objects.filter(
        programme=programme, activity=slot.activity, person=person, current=True
    ).first()
    fixed = previous is not None and previous.fixed_at is not None and previous.start == slot.start
    if fixed or (slot.locked and slot.status != Slot.Status.CONFIRMED):
        raise AnswerRefused(
            _("The organiser has fixed “%(title)s”; contact them to change it.")
            % {"title": slot.activity.local_title},
            "locked",
        )
    offered = windows_check(visit=visit, windows=list(windows)) if answer == "offered" else []
    stored = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in offered]
    if (
        previous is not None
        and (previous.start, previous.answer, previous.reason) == (slot.start, answer, reason)
        and [{"start": w["start"], "end": w["end"]} for w in previous.windows if "start" in w]
        == stored
    ):
        return AnswerOutcome(previous, slot, changed=False)  # a double click
    if previous is not None:
        HostAnswer.objects.filter(pk=previous.pk).update(current=False)
        ids = [w["availability"] for w in previous.windows if w.get("availability")]
        Availability.objects.filter(pk__in=ids, person=person).delete()
    if offered:
        made = _offer_windows(visit, person, offered)
        stored = [{**w, "availability": pk} for w, pk in zip(stored, made, strict=True)]
    if answer != HostAnswer.Answer.CONFIRMED:
        # The host cannot receive the delegation then: no later re-plan may put it back there
        # (the solver only knows the declines of its base version). Undone if they change it.
        blocked = Availability.objects.create(
            visit=visit,
            person=person,
            start=slot.start,
            end=slot.end,
            kind=Availability.Kind.UNAVAILABLE,
            note=_("Declined on the answer page"),
        )
        stored.append({"availability": blocked.pk, "declined": True})
    new = HostAnswer.objects.create(
        programme=programme,
        activity=slot.activity,
        person=person,
        version=current,
        start=slot.start,
        end=slot.end,
        answer=answer,
        reason=reason,
        windows=stored,
    )
    was = slot.status
    status = _apply(programme, slot.activity_id, slot.start, current.number)
    slot.refresh_from_db()
    if status != was:
        programme_feed_sync(programme=programme)
    if status == Slot.Status.DECLINED:
        why = _("%(host)s cannot receive the delegation at that time: %(title)s") % {
            "host": person.full_name,
            "title": slot.activity.local_title,
        }
        programme_id = programme.pk
        transaction.on_commit(lambda: replan_request(programme_id=programme_id, reason=why))
    _tell_organisers(visit, person, slot, new)
    return AnswerOutcome(new, slot, changed=True)


@transaction.atomic
def answers_fix(*, visit: Visit, slot: Slot) -> int:
    """The organiser fixes a slot: hosts can no longer change their answers to it (and it
    is locked). Returns how many answers were fixed."""
    from scheduling import services as scheduling

    programme = Programme.objects.select_for_update().get(visit=visit)
    if slot.version_id != programme.current_version_id:
        raise SendRefused(_("Only slots of the published version can be fixed."))
    if not slot.locked:
        scheduling.slot_set_lock(slot=slot, locked=True)
    return HostAnswer.objects.filter(
        programme=programme,
        activity_id=slot.activity_id,
        start=slot.start,
        current=True,
        fixed_at__isnull=True,
    ).update(fixed_at=timezone.now())


def _organisers(visit: Visit) -> list[notify.Recipient]:
    from planner.models import Organiser

    return [
        notify.Recipient(o.user.email, settings.LANGUAGE_CODE, o.user.get_full_name())
        for o in Organiser.objects.filter(organisation_id=visit.owner_id)
        .select_related("user")
        .exclude(user__email="")
    ]


def _tell_organisers(visit: Visit, person: Person, slot: Slot, answer: HostAnswer) -> None:
    zone = ZoneInfo(visit.time_zone)
    link = settings.SITE_URL + reverse("confirmations:dashboard", kwargs={"visit_id": visit.pk})
    for organiser in _organisers(visit):
        with translation.override(organiser.language):
            line = _("%(host)s: %(answer)s — %(title)s (%(when)s)") % {
                "host": person.full_name,
                "answer": answer.get_answer_display(),
                "title": slot.activity.local_title,
                "when": when(slot, zone=zone),
            }
            if answer.reason:
                line += " — " + answer.reason
            notify.change_notify(
                recipient=organiser,
                topic=_("Answers from hosts: %(visit)s") % {"visit": visit.title},
                lines=[line],
                key=f"answer-{slot.activity_id}-{person.pk}",
                link=link,
                link_label=_("Confirmations"),
                visit=visit,
            )


# ---------------------------------------------------------------------------------------------
# Re-plans and publication


def replan_request(*, programme_id: int, reason: str) -> SolveJob | None:
    """Start a re-plan now, or as soon as the solve that runs has ended."""
    from scheduling import services as scheduling

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
    from scheduling import services as scheduling

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


def _tell_organisers_replanned(job: SolveJob) -> None:
    from scheduling import services as scheduling

    version = job.result_version
    base = job.base_version
    visit = job.programme.visit
    zone = ZoneInfo(visit.time_zone)
    diff = scheduling.version_diff(old=base, new=version) if base else {"moved": []}
    link = settings.SITE_URL + reverse(
        "scheduling:version", kwargs={"visit_id": visit.pk, "number": version.number}
    )
    for organiser in _organisers(visit):
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
    from scheduling.explanations import with_sentences

    visit = job.programme.visit
    link = settings.SITE_URL + reverse("scheduling:visit", kwargs={"visit_id": visit.pk})
    for organiser in _organisers(visit):
        with translation.override(organiser.language):
            lines = [_("No new programme keeps every answer: %(reason)s") % {"reason": job.reason}]
            lines += [c["sentence"] for c in with_sentences(job.conflicts, visit=visit)]
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


def answers_apply(*, version: ProgrammeVersion) -> int:
    """Hosts' current answers hold in a newly published version wherever the time is the
    same (a declined time stays declined, so the next re-plan moves it)."""
    programme = version.programme
    changed = 0
    by_slot = {(s.activity_id, s.start): s for s in version.slots.all()}
    seen = set()
    for answer in HostAnswer.objects.filter(programme=programme, current=True):
        key = (answer.activity_id, answer.start)
        if key in seen or key not in by_slot:
            continue
        seen.add(key)
        before = by_slot[key].status
        status = _apply(programme, answer.activity_id, answer.start, version.number)
        changed += status is not None and status != before
    return changed


def version_published(*, version: ProgrammeVersion, previous: ProgrammeVersion | None) -> None:
    """Called by ``version_publish`` inside its transaction, before the feeds follow."""
    answers_apply(version=version)
    # A re-plan's own result is never re-planned from here: that could only loop.
    if (
        version.source != ProgrammeVersion.Source.REPLAN
        and version.slots.filter(status=Slot.Status.DECLINED).exists()
    ):
        programme_id = version.programme_id
        why = _("Declined times remain in the published version.")
        transaction.on_commit(lambda: replan_request(programme_id=programme_id, reason=why))
    if previous is not None and previous.pk != version.pk:
        from django_q.tasks import async_task

        ids = (version.pk, previous.pk)
        transaction.on_commit(
            lambda: async_task("confirmations.tasks.publication_notify_task", *ids, group="email")
        )


def _line(title: str, before, after, zone) -> str:
    if before is None:
        return _("%(title)s: added, %(when)s.") % {"title": title, "when": when(*after, zone=zone)}
    if after is None:
        return _("%(title)s: cancelled (was %(when)s).") % {
            "title": title,
            "when": when(*before, zone=zone),
        }
    return _("%(title)s: moved from %(before)s to %(after)s.") % {
        "title": title,
        "before": when(*before, zone=zone),
        "after": when(*after, zone=zone),
    }


def publication_notify(*, version_id: int, previous_id: int) -> dict:
    """What a newly published version changed, told to each person concerned: hosts whose
    slots moved get a new proposal (their link); guests and interpreters a digest."""
    from delegations.models import Guest

    version = ProgrammeVersion.objects.select_related("programme__visit").get(pk=version_id)
    previous = ProgrammeVersion.objects.get(pk=previous_id)
    visit = version.programme.visit
    zone = ZoneInfo(visit.time_zone)

    def slots(v):
        return {
            s.activity_id: s
            for s in v.slots.exclude(status=Slot.Status.CANCELLED)
            .select_related("activity")
            .prefetch_related("activity__host_links", "activity__audience", "assignments")
        }

    before, after = slots(previous), slots(version)
    changed = {}
    for activity_id in before.keys() | after.keys():
        a, b = before.get(activity_id), after.get(activity_id)
        if (
            a is not None
            and b is not None
            and (a.start, a.end, a.venue_id)
            == (
                b.start,
                b.end,
                b.venue_id,
            )
        ):
            continue
        changed[activity_id] = (a, b)
    counts = {"hosts": 0, "guests": 0, "interpreters": 0}
    if not changed:
        return counts
    told_hosts = set(Proposal.objects.filter(visit=visit).values_list("person_id", flat=True))
    hosts: dict[int, list[int]] = {}
    guests_of: dict[int, list[int]] = {}
    interpreters: dict[int, list[int]] = {}
    whole = []
    for activity_id, (a, b) in changed.items():
        slot = b or a
        for link in slot.activity.host_links.all():
            hosts.setdefault(link.person_id, []).append(activity_id)
        audience = [g.pk for g in slot.activity.audience.all()]
        if audience:
            for group in audience:
                guests_of.setdefault(group, []).append(activity_id)
        else:
            whole.append(activity_id)
        for s in (a, b):
            for assignment in s.assignments.all() if s else ():
                interpreters.setdefault(assignment.interpreter_id, []).append(activity_id)

    def lines_for(activity_ids):
        out = []
        for activity_id in sorted(set(activity_ids)):
            a, b = changed[activity_id]
            out.append(
                (
                    activity_id,
                    _line(
                        (b or a).activity.local_title,
                        (a.start, a.end) if a else None,
                        (b.start, b.end) if b else None,
                        zone,
                    ),
                )
            )
        return out

    def tell(recipient, activity_ids, link="", link_label=""):
        with translation.override(recipient.language):
            for activity_id, line in lines_for(activity_ids):
                notify.change_notify(
                    recipient=recipient,
                    topic=visit.title,
                    lines=[line],
                    key=f"activity-{activity_id}",
                    link=link,
                    link_label=link_label,
                    visit=visit,
                )

    for person in Person.objects.filter(pk__in=hosts.keys() & told_hosts).exclude(email=""):
        _link, key = host_link_get(visit=visit, person=person)
        recipient = notify.Recipient(person.email, language_of(person), person.full_name)
        with translation.override(recipient.language):
            label = _("Your new proposal: confirm or decline each time")
        tell(recipient, hosts[person.pk], host_url(key), label)
        Proposal.objects.create(
            visit=visit,
            version=version,
            person=person,
            kind=Proposal.Kind.UPDATE,
            sent_at=timezone.now(),
        )
        counts["hosts"] += 1
    for guest in Guest.objects.filter(delegation__visit=visit).exclude(email=""):
        # A guest in no sub-group follows what is meant for the whole delegation (as feeds do).
        group_activities = whole + guests_of.get(guest.subgroup_id, [])
        if group_activities:
            tell(
                notify.Recipient(guest.email, guest.preferred_language, guest.full_name),
                group_activities,
            )
            counts["guests"] += 1
    from delegations.models import Interpreter

    for interpreter in Interpreter.objects.filter(pk__in=interpreters).select_related("person"):
        person = interpreter.person
        if person.email:
            tell(
                notify.Recipient(person.email, person.preferred_language, person.full_name),
                interpreters[interpreter.pk],
            )
            counts["interpreters"] += 1
    return counts


def host_calendar_key(*, link: HostLink, language: str) -> str:
    """A calendar subscription of the host's own slots, asked for from their page. Each ask
    makes a new feed link (its key is shown once); the organiser sees and revokes them all on
    the visit's calendar feeds page."""
    _token, key = access_token_create(
        visit=link.visit,
        purpose=AccessToken.Purpose.FEED,
        subject=AccessToken.Subject.PERSON,
        subject_id=link.person_id,
        language=language,
        expires_at=link_expiry(link.visit),
    )
    return key
