"""Reads of the confirmations app: what a host may see, and the organiser's dashboard."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone

from confirmations.models import HostAnswer, HostLink, Proposal
from delegations.models import Delegation, Guest
from events.models import Person, Visit
from planner import i18n
from scheduling.models import InterpreterAssignment, Programme, Slot


@dataclasses.dataclass
class HostSlot:
    """One of a host's slots as the host page shows it: nothing about other hosts' slots,
    guests' contact details or the organiser's notes."""

    id: int
    title: str
    description: str
    start: dt.datetime
    end: dt.datetime
    date: str
    time: str
    venue: str
    address: str
    map_url: str
    audience: list[str]
    people: int
    languages: list[str]
    interpreters: list[str]
    status: str
    answer: HostAnswer | None
    can_answer: bool
    fixed: bool


@dataclasses.dataclass
class HostView:
    visit: Visit
    person: Person
    dates: str
    delegations: list[dict]
    slots: list[HostSlot]


def _delegations(visit: Visit, locale: str) -> list[dict]:
    rows = []
    for delegation in (
        Delegation.objects.filter(visit=visit)
        .prefetch_related(
            Prefetch(
                "guests",
                queryset=Guest.objects.only(
                    "pk", "delegation_id", "country", "preferred_language", "subgroup_id"
                ),
            )
        )
        .order_by("name")
    ):
        guests = list(delegation.guests.all())
        rows.append(
            {
                "name": delegation.name,
                "size": len(guests),
                "countries": i18n.names(
                    sorted({i18n.country_name(g.country, locale) for g in guests}), locale
                ),
                "languages": i18n.names(
                    sorted({i18n.language_name(g.preferred_language, locale) for g in guests}),
                    locale,
                ),
            }
        )
    return rows


def host_view(*, link: HostLink, locale: str) -> HostView:
    """The host's slots of the published version, with their answers (a constant number of
    queries)."""
    visit, person = link.visit, link.person
    zone = ZoneInfo(visit.time_zone)
    programme = Programme.objects.select_related("current_version").filter(visit=visit).first()
    version = programme.current_version if programme else None
    slots: list[HostSlot] = []
    if version is not None:
        answers = {
            a.activity_id: a
            for a in HostAnswer.objects.filter(programme=programme, person=person, current=True)
        }
        group_sizes = dict(
            Guest.objects.filter(delegation__visit=visit, subgroup__isnull=False)
            .values_list("subgroup")
            .annotate(n=Count("pk"))
        )
        everyone = Guest.objects.filter(delegation__visit=visit).count()
        rows = (
            version.slots.filter(activity__host_links__person=person)
            .exclude(status=Slot.Status.CANCELLED)
            .select_related("activity", "venue")
            .prefetch_related(
                "activity__audience",
                Prefetch(
                    "assignments",
                    queryset=InterpreterAssignment.objects.select_related("interpreter__person"),
                ),
            )
            .order_by("start")
            .distinct()
        )
        for slot in rows:
            answer = answers.get(slot.activity_id)
            if answer is not None and answer.start != slot.start:
                answer = None  # answered for another time: not for this one
            audience = list(slot.activity.audience.all())
            fixed = (slot.locked and slot.status != Slot.Status.CONFIRMED) or (
                answer is not None and answer.fixed_at is not None
            )
            slots.append(
                HostSlot(
                    id=slot.pk,
                    title=slot.activity.local_title,
                    description=slot.activity.local_description,
                    start=slot.start,
                    end=slot.end,
                    date=i18n.full_date(slot.start.astimezone(zone).date(), locale),
                    time=i18n.time_range(slot.start, slot.end, zone, locale),
                    venue=slot.venue.name,
                    address=slot.venue.full_address,
                    map_url=slot.venue.map_url,
                    audience=[g.name for g in audience],
                    people=sum(group_sizes.get(g.pk, 0) for g in audience)
                    if audience
                    else everyone,
                    languages=[i18n.language_name(c, locale) for c in slot.activity.languages],
                    interpreters=sorted(
                        {a.interpreter.person.full_name for a in slot.assignments.all()}
                    ),
                    status=slot.status,
                    answer=answer,
                    can_answer=not fixed,
                    fixed=fixed,
                )
            )
    return HostView(
        visit=visit,
        person=person,
        dates=i18n.date_range(visit.start_date, visit.end_date, locale),
        delegations=_delegations(visit, locale),
        slots=slots,
    )


# ---------------------------------------------------------------------------------------------
# The organiser's dashboard

STATES = ("not_sent", "proposed", "no_answer", "confirmed", "declined", "offered")


def state_label(state: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "not_sent": _("not sent yet"),
        "proposed": _("proposed, waiting"),
        "no_answer": _("no answer"),
        "confirmed": _("confirmed"),
        "declined": _("declined"),
        "offered": _("offered other times"),
    }[state]


@dataclasses.dataclass
class Row:
    slot_id: int
    activity_id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    host_id: int
    host: str
    state: str
    slot_status: str
    locked: bool
    reason: str
    windows: list[dict]
    fixed: bool
    answered_at: dt.datetime | None
    sent_at: dt.datetime | None
    since_sent_s: int | None
    reminders: int


def dashboard_rows(
    *, visit: Visit, state: str | None = None, host: int | None = None, now=None
) -> list[Row]:
    """Every (slot, host) of the published version with the host's state for it.

    ``no_answer``: sent longer ago than the reminder delay and still unanswered. Five queries
    whatever the number of slots."""
    now = now or timezone.now()
    programme = Programme.objects.select_related("current_version").filter(visit=visit).first()
    version = programme.current_version if programme else None
    if version is None:
        return []
    answers = {
        (a.activity_id, a.person_id): a
        for a in HostAnswer.objects.filter(programme=programme, current=True)
    }
    proposals: dict[int, Proposal] = {}
    for proposal in Proposal.objects.filter(visit=visit).order_by("sent_at", "pk"):
        # Time since sending counts from the latest proposal: the one the host answers.
        proposals[proposal.person_id] = proposal
    wait = dt.timedelta(hours=settings.HOST_REMINDER_AFTER_H)
    rows = []
    slots = (
        version.slots.exclude(status=Slot.Status.CANCELLED)
        .select_related("activity")
        .prefetch_related("activity__host_links__person")
        .order_by("start", "pk")
    )
    for slot in slots:
        for link in sorted(slot.activity.host_links.all(), key=lambda h: h.person.full_name):
            if host is not None and link.person_id != host:
                continue
            answer = answers.get((slot.activity_id, link.person_id))
            if answer is not None and answer.start != slot.start:
                answer = None
            proposal = proposals.get(link.person_id)
            if answer is not None:
                row_state = answer.answer
            elif proposal is None:
                row_state = "not_sent"
            elif now - proposal.sent_at > wait:
                row_state = "no_answer"
            else:
                row_state = "proposed"
            if state and row_state != state:
                continue
            rows.append(
                Row(
                    slot_id=slot.pk,
                    activity_id=slot.activity_id,
                    title=slot.activity.local_title,
                    start=slot.start,
                    end=slot.end,
                    host_id=link.person_id,
                    host=link.person.full_name,
                    state=row_state,
                    slot_status=slot.status,
                    locked=slot.locked,
                    reason=answer.reason if answer else "",
                    windows=[
                        {"start": w["start"], "end": w["end"]}
                        for w in (answer.windows if answer else [])
                        if "start" in w
                    ],
                    fixed=bool(answer and answer.fixed_at),
                    answered_at=answer.created_at if answer else None,
                    sent_at=proposal.sent_at if proposal else None,
                    since_sent_s=int((now - proposal.sent_at).total_seconds())
                    if proposal
                    else None,
                    reminders=proposal.reminders if proposal else 0,
                )
            )
    return rows


def dashboard_counts(rows: list[Row]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        counts[row.state] += 1
    return counts
