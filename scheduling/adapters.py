"""The bridge from the database to the solver's dataclasses and back to slots (the JSON
format's import, problem -> rows, is ``scheduling.import_problem``).

Times: the solver counts wall-clock minutes from midnight of the visit's first day in the
visit's time zone. Converting through local wall-clock time (not elapsed seconds) keeps
"09:00" at minute 540 of its day across a daylight-saving change.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch
from django.utils.translation import gettext_noop

from delegations.models import (
    Guest,
    SubGroup,
)
from events.models import (
    Activity,
    ActivityHost,
    Availability,
    TravelTime,
    Visit,
)
from scheduling import attendance, solver
from scheduling.hints import SolverHints, visit_hints
from scheduling.models import InterpreterAssignment, ProgrammeVersion, Slot
from scheduling.solver import policy as interpretation_policy

MINUTES_PER_DAY = 24 * 60


@dataclass
class Clock:
    """Converts between aware datetimes and the solver's minutes for one visit."""

    zone: ZoneInfo
    origin: dt.datetime  # naive local midnight of the first day

    @classmethod
    def for_visit(cls, visit: Visit) -> "Clock":
        return cls(ZoneInfo(visit.time_zone), dt.datetime.combine(visit.start_date, dt.time()))

    def minutes(self, instant: dt.datetime) -> int:
        local = instant.astimezone(self.zone).replace(tzinfo=None)
        return int((local - self.origin).total_seconds() // 60)

    def instant(self, minutes: int) -> dt.datetime:
        return (self.origin + dt.timedelta(minutes=minutes)).replace(tzinfo=self.zone)

    @staticmethod
    def of_day(value: dt.time) -> int:
        return value.hour * 60 + value.minute


@dataclass
class ProblemBundle:
    """A solver problem and what is needed to read its result back."""

    problem: solver.Problem
    clock: Clock
    activities: dict[int, Activity]
    base_version: ProgrammeVersion | None


def _windows(rows, clock: Clock) -> tuple[tuple[solver.Window, ...], tuple[tuple[int, int], ...]]:
    windows, busy = [], []
    for row in rows:
        start, end = clock.minutes(row.start), clock.minutes(row.end)
        if row.kind == Availability.Kind.UNAVAILABLE:
            busy.append((start, end))
        else:
            windows.append(solver.Window(start, end, row.kind == Availability.Kind.PREFERRED))
    return tuple(sorted(windows, key=lambda w: (w.start, w.end))), tuple(sorted(busy))


def _busy_elsewhere(visit: Visit, clock: Clock, person_ids, interpreter_ids):
    """Slots of other visits' published programmes: a host or interpreter is one person."""
    horizon_start = clock.instant(0)
    horizon_end = clock.instant((len(visit.days) + 1) * MINUTES_PER_DAY)
    published = (
        Slot.objects.filter(
            version__programme__current_version=F("version"),
            start__lt=horizon_end,
            end__gt=horizon_start,
        )
        .exclude(version__programme__visit=visit)
        .exclude(status=Slot.Status.CANCELLED)
    )
    hosts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for slot in published.filter(activity__host_links__person_id__in=person_ids).values(
        "start", "end", "activity__host_links__person_id"
    ):
        span = (clock.minutes(slot["start"]), clock.minutes(slot["end"]))
        hosts[slot["activity__host_links__person_id"]].append(span)
    interpreters: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in InterpreterAssignment.objects.filter(
        slot__in=published, interpreter_id__in=interpreter_ids
    ).values("slot__start", "slot__end", "interpreter_id"):
        span = (clock.minutes(row["slot__start"]), clock.minutes(row["slot__end"]))
        interpreters[row["interpreter_id"]].append(span)
    return hosts, interpreters


def _group_languages(guests: list[Guest]) -> tuple[tuple[str, ...], int]:
    """The languages a group must be able to follow, and how many listen in each at most.

    Each guest follows their preferred language if they know it beyond a basic level, else
    their best one. The size reported is the largest number of guests relying on one language
    (what whispered interpretation is limited by)."""
    per_language: Counter[str] = Counter()
    for guest in guests:
        known = [gl.language for gl in guest.languages.all() if gl.follows_a_meeting]
        language = (
            guest.preferred_language if guest.preferred_language in known or not known else known[0]
        )
        per_language[language] += 1
    return tuple(sorted(per_language)), max(per_language.values(), default=0)


def _group_members(guests: list[Guest]) -> tuple[solver.Member, ...]:
    """The group's members for the solver's choice of languages: each guest follows every
    language they know beyond a basic level (their preferred one when they list none) and
    prefers their preferred language; guests alike are one entry with a count."""
    counts: Counter[tuple[tuple[str, ...], str]] = Counter()
    for guest in guests:
        known = sorted({gl.language for gl in guest.languages.all() if gl.follows_a_meeting})
        follows = tuple(known) or (guest.preferred_language,)
        preferred = guest.preferred_language if guest.preferred_language in follows else ""
        counts[follows, preferred] += 1
    return tuple(
        solver.Member(follows, n, preferred) for (follows, preferred), n in sorted(counts.items())
    )


def _spoken(activity: Activity, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """The languages an activity can be held in: its own list, else those every required
    host speaks, else the visit's first working language."""
    if activity.languages:
        return tuple(activity.languages)
    spoken = [link.person.languages for link in activity.host_links.all() if link.person.languages]
    common = [x for x in spoken[0] if all(x in other for other in spoken[1:])] if spoken else []
    return tuple(common) or fallback


def visit_interpretation(visit: Visit) -> solver.Interpretation:
    """The visit's policy with its numbers (Visit.clean checked their shape)."""
    return interpretation_policy.interpretation(
        visit.interpretation_policy, visit.interpretation_rules or {}
    )


def _days(visit: Visit, clock: Clock) -> tuple[solver.Day, ...]:
    day_start, day_end = clock.of_day(visit.day_start), clock.of_day(visit.day_end)
    lunch = (clock.of_day(visit.lunch_start), clock.of_day(visit.lunch_end), visit.lunch_minutes)
    return tuple(
        solver.Day(
            id=i,
            start=i * MINUTES_PER_DAY + day_start,
            end=i * MINUTES_PER_DAY + day_end,
            lunch_start=i * MINUTES_PER_DAY + lunch[0],
            lunch_end=i * MINUTES_PER_DAY + lunch[1],
            lunch_min=lunch[2],
        )
        for i in range(len(visit.days))
    )


def _activities(visit: Visit) -> dict[int, Activity]:
    """The visit's activities with their required hosts and audience, by id."""
    return {
        a.pk: a
        for a in Activity.objects.filter(visit=visit)
        .select_related("phase", "venue")
        .prefetch_related(
            Prefetch(
                "host_links",
                queryset=ActivityHost.objects.filter(required=True).select_related("person"),
            ),
            "audience",
        )
        .order_by("pk")
    }


def _presence(
    visit: Visit, clock: Clock, hints: SolverHints, key: tuple[str, int]
) -> tuple[int, int] | None:
    """A group's presence from the guests' journeys, else the visit's arrival and departure
    (clipped to the visit's days; None when neither side is known or they contradict each
    other, which the logistics page warns about)."""
    start, end = hints.presence.get(key, (None, None))
    start = start if start is not None else visit.delegation_arrives
    end = end if end is not None else visit.delegation_leaves
    if start is None and end is None:
        return None
    lo, hi = 0, (len(visit.days) + 1) * MINUTES_PER_DAY
    span = (
        min(max(clock.minutes(start), lo), hi) if start is not None else lo,
        max(min(clock.minutes(end), hi), lo) if end is not None else hi,
    )
    return span if span[0] < span[1] else None


def _groups(visit: Visit, clock: Clock, hints: SolverHints) -> list[solver.Group]:
    """Each sub-group, and each delegation without sub-groups as one group."""

    def group(gid: int, name: str, guests: list[Guest], lodging, key) -> solver.Group:
        languages, size = _group_languages(guests)
        return solver.Group(
            gid,
            name,
            languages,
            lodging,
            max(size, 1),
            lodging_by_day=tuple(sorted(hints.lodging.get(key, {}).items())),
            presence=_presence(visit, clock, hints, key),
            members=_group_members(guests),
        )

    subgroups = SubGroup.objects.filter(delegation__visit=visit).prefetch_related(
        "guests__languages"
    )
    groups = [
        group(
            sg.pk,
            sg.name,
            list(sg.guests.all()),
            sg.lodging_id or visit.lodging_id,
            ("subgroup", sg.pk),
        )
        for sg in subgroups
    ]
    for delegation in visit.delegations.prefetch_related("subgroups", "guests__languages"):
        if delegation.subgroups.all():
            continue
        groups.append(
            group(
                attendance.solver_group(delegation.pk),
                delegation.name,
                list(delegation.guests.all()),
                visit.lodging_id,
                ("delegation", delegation.pk),
            )
        )
    return groups


def _people(
    visit: Visit,
    clock: Clock,
    activities: dict[int, Activity],
    base_version: ProgrammeVersion | None,
) -> tuple[tuple[solver.Host, ...], tuple[solver.Interpreter, ...]]:
    """Hosts and interpreters with their windows and their busy times (other visits'
    published slots; for a re-plan, the slots a host declined)."""
    windows_by_person: dict[int, list[Availability]] = defaultdict(list)
    for row in Availability.objects.filter(visit=visit).order_by("start"):
        windows_by_person[row.person_id].append(row)

    host_ids = sorted({link.person_id for a in activities.values() for link in a.host_links.all()})
    interpreters = list(
        visit.interpreters.select_related("person").prefetch_related("directions").order_by("pk")
    )
    busy_hosts, busy_interpreters = _busy_elsewhere(
        visit, clock, host_ids, [i.pk for i in interpreters]
    )

    # A host who declined a slot is not available then: the re-plan must move it.
    if base_version is not None:
        for slot in base_version.slots.filter(status=Slot.Status.DECLINED):
            activity = activities.get(slot.activity_id)
            for link in activity.host_links.all() if activity else ():
                busy_hosts[link.person_id].append(
                    (clock.minutes(slot.start), clock.minutes(slot.end))
                )

    hosts = []
    for pid in host_ids:
        windows, busy = _windows(windows_by_person.get(pid, []), clock)
        hosts.append(solver.Host(pid, "", windows, tuple(sorted((*busy, *busy_hosts[pid])))))

    solver_interpreters = []
    for interpreter in interpreters:
        windows, busy = _windows(windows_by_person.get(interpreter.person_id, []), clock)
        solver_interpreters.append(
            solver.Interpreter(
                id=interpreter.pk,
                name=interpreter.person.full_name,
                directions=tuple(
                    sorted((d.source, d.target) for d in interpreter.directions.all())
                ),
                modes=tuple(interpreter.modes),
                windows=windows,
                busy=tuple(sorted((*busy, *busy_interpreters[interpreter.pk]))),
                daily_cap=interpreter.daily_cap_minutes,
            )
        )
    return tuple(hosts), tuple(solver_interpreters)


def _solver_activities(
    visit: Visit, clock: Clock, activities: dict[int, Activity], hints: SolverHints
) -> tuple[solver.Activity, ...]:
    """Each activity; its window narrowed to when the guests it requires are there."""

    def bound(own, presence, pick):
        values = [clock.minutes(x) for x in (own, presence) if x is not None]
        return pick(values) if values else None

    fallback_languages = tuple(visit.working_languages[:1])
    return tuple(
        solver.Activity(
            id=a.pk,
            name=a.title,
            duration=a.duration_minutes,
            venue=a.venue_id,
            hosts=tuple(sorted(link.person_id for link in a.host_links.all())),
            languages=_spoken(a, fallback_languages),
            groups=tuple(sorted(g.pk for g in a.audience.all())),
            mandatory=a.mandatory,
            value=a.value,
            earliest=bound(a.earliest, hints.windows.get(a.pk, (None, None))[0], max),
            latest=bound(a.latest, hints.windows.get(a.pk, (None, None))[1], min),
            phase=a.phase.order if a.phase else None,
            fixed_start=clock.minutes(a.fixed_start) if a.fixed_start else None,
            interpretation_mode=a.interpretation_mode,
            two_way=a.two_way,
            meal=a.kind == Activity.Kind.MEAL,
            working_lunch=a.working_lunch,
            place_in_visit=a.place_in_visit,
        )
        for a in activities.values()
    )


def _venues_and_travel(
    visit: Visit, activities: dict[int, Activity], groups: list[solver.Group]
) -> tuple[tuple[solver.Venue, ...], dict[tuple[int, int], int]]:
    """The venues the programme can use (activities' and lodgings) and the travel times
    between them."""
    venue_ids = (
        {a.venue_id for a in activities.values()}
        | {g.lodging_venue for g in groups if g.lodging_venue}
        | {venue for g in groups for _day, venue in g.lodging_by_day}
    )
    venues = tuple(
        solver.Venue(v.pk, v.name, v.exclusive)
        for v in visit.venues.filter(pk__in=venue_ids).order_by("pk")
    )
    travel = {
        (t.origin_id, t.destination_id): t.minutes
        for t in TravelTime.objects.filter(
            visit=visit, origin_id__in=venue_ids, destination_id__in=venue_ids
        )
    }
    return venues, travel


def _previous(
    base_version: ProgrammeVersion | None, activities: dict[int, Activity], clock: Clock
) -> dict:
    """For a re-plan: the base version's placements and interpreters, and what must not
    move (confirmed slots, the organiser's locks)."""
    if base_version is None:
        return {"previous": (), "previous_assignments": (), "locked": frozenset()}
    slots = list(
        base_version.slots.prefetch_related("assignments").filter(activity_id__in=activities)
    )
    return {
        "previous": tuple(
            solver.Placement(
                s.activity_id, clock.minutes(s.start) // MINUTES_PER_DAY, clock.minutes(s.start)
            )
            for s in slots
            if s.status != Slot.Status.CANCELLED
        ),
        "previous_assignments": tuple(
            solver.Assignment(s.activity_id, a.interpreter_id, (a.source, a.target))
            for s in slots
            for a in s.assignments.all()
        ),
        "locked": frozenset(
            s.activity_id for s in slots if s.locked or s.status == Slot.Status.CONFIRMED
        ),
    }


def problem_from_visit(
    visit: Visit,
    *,
    base_version: ProgrammeVersion | None = None,
    hints: SolverHints | None = None,
) -> ProblemBundle:
    """Build the solver's problem from the database (a few queries, whatever the size).

    ``hints``: what the apps above scheduling know (when the guests are there, where each
    group sleeps); by default those of the registered provider (``scheduling.hints``)."""
    clock = Clock.for_visit(visit)
    if hints is None:
        hints = visit_hints(visit)
    activities = _activities(visit)
    groups = _groups(visit, clock, hints)
    hosts, interpreters = _people(visit, clock, activities, base_version)
    venues, travel = _venues_and_travel(visit, activities, groups)
    problem = solver.Problem(
        days=_days(visit, clock),
        venues=venues,
        travel=travel,
        hosts=hosts,
        groups=tuple(groups),
        activities=_solver_activities(visit, clock, activities, hints),
        precedences=tuple(
            solver.Precedence(p.before_id, p.after_id, p.min_gap_minutes)
            for p in visit.precedences.all()
        ),
        interpreters=interpreters,
        **_previous(base_version, activities, clock),
        interpretation=visit_interpretation(visit),
        time_grid=visit.time_grid_minutes,
    )
    return ProblemBundle(problem, clock, activities, base_version)


def version_write(
    *,
    bundle: ProblemBundle,
    result: solver.ProgrammeResult,
    programme,
    source: str,
    note: str = "",
) -> ProgrammeVersion:
    """Write a solver result as a new, complete version (the caller holds the transaction).

    Slots that did not move keep their status and lock (a confirmed slot stays confirmed);
    moved ones are proposed again, with the reason."""
    base = bundle.base_version
    before = {s.activity_id: s for s in base.slots.all()} if base else {}
    last = programme.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=last + 1,
        source=source,
        based_on=base,
        solver_status=result.status if result.status in ("optimal", "feasible") else "",
        objective=round(result.objective) if result.objective is not None else None,
        bound=round(result.bound) if result.bound is not None else None,
        terms={k: int(v) for k, v in result.terms.items()},
        unplaced=sorted(result.unplaced),
        note=note,
    )
    slots = []
    chosen = {c.activity: c for c in result.languages}
    for placement in sorted(result.placements, key=lambda p: (p.start, p.activity)):
        activity = bundle.activities[placement.activity]
        start = bundle.clock.instant(placement.start)
        old = before.get(activity.pk)
        choice = chosen.get(activity.pk)
        unchanged = old is not None and old.start == start and old.status != Slot.Status.DECLINED
        slots.append(
            Slot(
                version=version,
                activity=activity,
                venue_id=activity.venue_id,
                start=start,
                end=bundle.clock.instant(placement.start + activity.duration_minutes),
                status=old.status if unchanged else Slot.Status.PROPOSED,
                locked=old.locked if unchanged else False,
                change_reason="" if unchanged or old is None else _moved_reason(old),
                languages=choice_to_json(choice) if choice else (old.languages if old else {}),
            )
        )
    Slot.objects.bulk_create(slots)
    by_activity = {slot.activity_id: slot for slot in slots}
    InterpreterAssignment.objects.bulk_create(
        InterpreterAssignment(
            slot=by_activity[a.activity],
            interpreter_id=a.interpreter,
            source=a.direction[0],
            target=a.direction[1],
        )
        for a in result.assignments
        if a.activity in by_activity
    )
    return version


def choice_to_json(choice: solver.LanguageChoice) -> dict:
    """Slot.languages: the spoken language and (group id, language, guests) rows."""
    return {"spoken": choice.spoken, "listening": [list(row) for row in choice.listening]}


def choice_from_json(activity_id: int, data: dict) -> solver.LanguageChoice | None:
    """A slot's stored choice back for the solver's validator (None when none is stored)."""
    if not data or not data.get("spoken"):
        return None
    rows = tuple((int(g), str(lang), int(n)) for g, lang, n in data.get("listening", []))
    return solver.LanguageChoice(activity_id, data["spoken"], rows)


# Stored in English and translated when shown (gettext_noop marks them for the catalogues).
REASON_DECLINED = gettext_noop("The host declined the previous time.")
REASON_MOVED = gettext_noop("Moved to make room for other changes.")


def _moved_reason(old: Slot) -> str:
    return REASON_DECLINED if old.status == Slot.Status.DECLINED else REASON_MOVED
