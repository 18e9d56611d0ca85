"""Hosts' answers to their slots and what follows from them: the slot's status (a
confirmation locks it), the host's windows, a re-plan after a decline, the organisers told.

Every answer is written under the programme row lock (``select_for_update``), the same lock
a re-plan takes before writing its version: an answer and a re-plan never interleave, and a
re-plan that started before a confirmation re-reads it (``scheduling.services``).
"""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confirmations.models import HostAnswer, HostLink
from confirmations.proposals import SendRefused
from confirmations.replans import replan_request
from confirmations.wording import organisers_of, when
from events import services as events
from events.models import ActivityHost, Availability, Person, Visit
from feeds.sync import programme_feed_sync
from notifications import services as notify
from planner import i18n
from planner.text import validate_no_control
from planner.validators import ends_before_start
from scheduling import services as scheduling
from scheduling.models import Programme, ProgrammeVersion, Slot

MAX_WINDOWS = 5


class AnswerRefused(Exception):
    """An answer that cannot be recorded as it is; the message is for the host."""

    def __init__(self, message: str, code: str, status: int = 409):
        super().__init__(message)
        self.code, self.status = code, status


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
        if ends_before_start(start, end):
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
    if status is not None:
        scheduling.slots_set_status(
            programme=programme,
            activity_id=activity_id,
            start=start,
            status=status,
            from_number=from_number,
        )
    return status


# ---------------------------------------------------------------------------------------------
# Recording one answer, step by step


def _slot_to_answer(
    visit: Visit, person: Person, slot_id: int
) -> tuple[Programme, ProgrammeVersion, Slot]:
    """The programme (locked), its published version and the host's slot in it, as the host
    saw it; AnswerRefused when it is not theirs, was cancelled or has moved since."""
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
            % {
                "title": slot.activity.local_title,
                "when": when(slot, zone=ZoneInfo(visit.time_zone)),
            },
            "moved",
        )
    return programme, current, slot


def _previous_answer(programme: Programme, slot: Slot, person: Person) -> HostAnswer | None:
    """The host's current answer to the slot's activity; AnswerRefused once the organiser has
    fixed it (or locked a slot the host has not confirmed)."""
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
    return previous


def _same_answer(
    previous: HostAnswer | None, slot: Slot, answer: str, reason: str, offered: list[dict]
) -> bool:
    """The host gave this very answer already (a double click)."""
    return (
        previous is not None
        and (previous.start, previous.answer, previous.reason) == (slot.start, answer, reason)
        and [{"start": w["start"], "end": w["end"]} for w in previous.windows if "start" in w]
        == offered
    )


def _answer_withdraw(previous: HostAnswer, person: Person) -> None:
    """The host's earlier answer stops counting, and the windows it made go with it."""
    HostAnswer.objects.filter(pk=previous.pk).update(current=False)
    ids = [w["availability"] for w in previous.windows if w.get("availability")]
    events.availabilities_remove(person=person, ids=ids)


def _offer_windows(visit: Visit, person: Person, windows) -> list[int]:
    """Offered times become preferred availability windows (their ids returned)."""
    return [
        events.availability_add(
            visit=visit,
            person=person,
            start=start,
            end=end,
            kind=Availability.Kind.PREFERRED,
            note=_("Offered by the host on the answer page"),
        ).pk
        for start, end in windows
    ]


def _windows_write(
    visit: Visit, person: Person, slot: Slot, answer: str, offered, stored: list[dict]
) -> list[dict]:
    """The host's windows this answer makes, as the answer stores them (with their ids): the
    times offered, and the declined time closed."""
    if offered:
        made = _offer_windows(visit, person, offered)
        stored = [{**w, "availability": pk} for w, pk in zip(stored, made, strict=True)]
    if answer != HostAnswer.Answer.CONFIRMED:
        # The host cannot receive the delegation then: no later re-plan may put it back there
        # (the solver only knows the declines of its base version). Undone if they change it.
        blocked = events.availability_add(
            visit=visit,
            person=person,
            start=slot.start,
            end=slot.end,
            kind=Availability.Kind.UNAVAILABLE,
            note=_("Declined on the answer page"),
        )
        stored.append({"availability": blocked.pk, "declined": True})
    return stored


def _answer_effects(
    programme: Programme,
    version: ProgrammeVersion,
    visit: Visit,
    person: Person,
    slot: Slot,
    answer: HostAnswer,
) -> None:
    """The slot takes the status of its hosts' answers; the feeds follow (the status, and each
    host's own answer); a
    decline asks for a re-plan once committed; the organisers hear of the answer."""
    status = _apply(programme, slot.activity_id, slot.start, version.number)
    slot.refresh_from_db()
    programme_feed_sync(programme=programme)  # the host's own feed shows their own answer
    if status == Slot.Status.DECLINED:
        why = _("%(host)s cannot receive the delegation at that time: %(title)s") % {
            "host": person.full_name,
            "title": slot.activity.local_title,
        }
        programme_id = programme.pk
        transaction.on_commit(lambda: replan_request(programme_id=programme_id, reason=why))
    _tell_organisers(visit, person, slot, answer)


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
    try:
        validate_no_control(reason)  # the reason goes into the organisers' emails
    except ValidationError as invalid:
        raise ValidationError({"reason": invalid.messages}) from None
    programme, current, slot = _slot_to_answer(visit, person, slot_id)
    previous = _previous_answer(programme, slot, person)
    offered = windows_check(visit=visit, windows=list(windows)) if answer == "offered" else []
    stored = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in offered]
    if _same_answer(previous, slot, answer, reason, stored):
        return AnswerOutcome(previous, slot, changed=False)
    if previous is not None:
        _answer_withdraw(previous, person)
    stored = _windows_write(visit, person, slot, answer, offered, stored)
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
    _answer_effects(programme, current, visit, person, slot, new)
    return AnswerOutcome(new, slot, changed=True)


# ---------------------------------------------------------------------------------------------
# The organiser's side


@transaction.atomic
def answers_fix(*, visit: Visit, slot: Slot) -> int:
    """The organiser fixes a slot: hosts can no longer change their answers to it (and it
    is locked). Returns how many answers were fixed."""
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


def _tell_organisers(visit: Visit, person: Person, slot: Slot, answer: HostAnswer) -> None:
    zone = ZoneInfo(visit.time_zone)
    link = settings.SITE_URL + reverse("confirmations:dashboard", kwargs={"visit_id": visit.pk})
    for organiser in organisers_of(visit):
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
