"""The only bridge between the database and the solver's dataclasses, both ways.

Times: the solver counts wall-clock minutes from midnight of the visit's first day in the
visit's time zone. Converting through local wall-clock time (not elapsed seconds) keeps
"09:00" at minute 540 of its day across a daylight-saving change.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext_noop

from delegations.models import (
    Delegation,
    Guest,
    GuestLanguage,
    Interpreter,
    LanguageDirection,
    SubGroup,
)
from events.models import (
    TIME_GRID_CHOICES,
    Activity,
    ActivityHost,
    Availability,
    Person,
    Phase,
    Precedence,
    TravelTime,
    Venue,
    Visit,
    VisitFormat,
)
from scheduling import solver
from scheduling.models import InterpreterAssignment, ProgrammeVersion, Slot
from scheduling.solver import policy as interpretation_policy

MINUTES_PER_DAY = 24 * 60
# Ids the solver needs for groups that are not sub-groups: a delegation without sub-groups
# travels as one group. Sub-group ids stay below this offset.
WHOLE_DELEGATION_OFFSET = 1_000_000_000


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


def problem_from_visit(
    visit: Visit, *, base_version: ProgrammeVersion | None = None
) -> ProblemBundle:
    """Build the solver's problem from the database (a few queries, whatever the size)."""
    clock = Clock.for_visit(visit)
    day_start, day_end = clock.of_day(visit.day_start), clock.of_day(visit.day_end)
    lunch = (clock.of_day(visit.lunch_start), clock.of_day(visit.lunch_end), visit.lunch_minutes)
    days = tuple(
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

    activities = {
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

    # Logistics: when the guests an activity requires are there; where each group sleeps.
    from logistics.solver_hints import solver_hints

    hints = solver_hints(visit=visit)

    def by_day(kind: str, pk: int) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(hints.lodging.get((kind, pk), {}).items()))

    def bound(own, presence, pick):
        values = [clock.minutes(x) for x in (own, presence) if x is not None]
        return pick(values) if values else None

    def presence(kind: str, pk: int) -> tuple[int, int] | None:
        """From the guests' journeys, else the visit's arrival and departure (clipped to
        the visit's days; None when neither side is known or they contradict each other,
        which the logistics page warns about)."""
        start, end = hints.presence.get((kind, pk), (None, None))
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

    # Groups: each sub-group, and each delegation without sub-groups as one group.
    subgroups = list(
        SubGroup.objects.filter(delegation__visit=visit).prefetch_related("guests__languages")
    )
    groups = []
    for sg in subgroups:
        languages, size = _group_languages(list(sg.guests.all()))
        groups.append(
            solver.Group(
                sg.pk,
                sg.name,
                languages,
                sg.lodging_id or visit.lodging_id,
                max(size, 1),
                lodging_by_day=by_day("subgroup", sg.pk),
                presence=presence("subgroup", sg.pk),
                members=_group_members(list(sg.guests.all())),
            )
        )
    for delegation in visit.delegations.prefetch_related("subgroups", "guests__languages"):
        if delegation.subgroups.all():
            continue
        gid = WHOLE_DELEGATION_OFFSET + delegation.pk
        languages, size = _group_languages(list(delegation.guests.all()))
        groups.append(
            solver.Group(
                gid,
                delegation.name,
                languages,
                visit.lodging_id,
                max(size, 1),
                lodging_by_day=by_day("delegation", delegation.pk),
                presence=presence("delegation", delegation.pk),
                members=_group_members(list(delegation.guests.all())),
            )
        )

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

    fallback_languages = tuple(visit.working_languages[:1])
    solver_activities = tuple(
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

    previous, previous_assignments, locked = (), (), frozenset()
    if base_version is not None:
        slots = list(
            base_version.slots.prefetch_related("assignments").filter(activity_id__in=activities)
        )
        previous = tuple(
            solver.Placement(
                s.activity_id, clock.minutes(s.start) // MINUTES_PER_DAY, clock.minutes(s.start)
            )
            for s in slots
            if s.status != Slot.Status.CANCELLED
        )
        previous_assignments = tuple(
            solver.Assignment(s.activity_id, a.interpreter_id, (a.source, a.target))
            for s in slots
            for a in s.assignments.all()
        )
        # Confirmed slots never move; the organiser's locks neither.
        locked = frozenset(
            s.activity_id for s in slots if s.locked or s.status == Slot.Status.CONFIRMED
        )

    problem = solver.Problem(
        days=days,
        venues=venues,
        travel=travel,
        hosts=tuple(hosts),
        groups=tuple(groups),
        activities=solver_activities,
        precedences=tuple(
            solver.Precedence(p.before_id, p.after_id, p.min_gap_minutes)
            for p in visit.precedences.all()
        ),
        interpreters=tuple(solver_interpreters),
        previous=previous,
        previous_assignments=previous_assignments,
        locked=locked,
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


def visit_from_problem(
    problem: solver.Problem,
    *,
    owner,
    title: str,
    start_date: dt.date = dt.date(2009, 4, 20),
    time_zone: str = "Europe/Paris",
) -> Visit:
    """Create a visit from a solver problem (the JSON format's import), in one transaction.

    What the format cannot say is chosen plainly: every day takes the first day's window and
    lunch; people are named after the problem's names (or "Host 3"); each group becomes a
    sub-group whose guests (as many per language as the group's size) speak that language;
    interpreters' home venues, previous placements and locks are not imported."""
    with transaction.atomic():
        first = problem.days[0]
        clock_origin = dt.datetime.combine(start_date, dt.time())
        zone = ZoneInfo(time_zone)

        def instant(minutes: int) -> dt.datetime:
            return (clock_origin + dt.timedelta(minutes=minutes)).replace(tzinfo=zone)

        def clock(minutes: int) -> dt.time:
            return dt.time((minutes % MINUTES_PER_DAY) // 60, minutes % 60)

        span_days = max(d.end for d in problem.days) // MINUTES_PER_DAY
        lodging_ids = {g.lodging_venue for g in problem.groups if g.lodging_venue is not None}
        visit = Visit(
            owner=owner,
            kind=Visit.Kind.DELEGATION,
            title=title,
            slug=slugify_unique(owner, title),
            start_date=start_date,
            end_date=start_date + dt.timedelta(days=span_days),
            time_zone=time_zone,
            day_start=clock(first.start),
            day_end=clock(first.end) if first.end % MINUTES_PER_DAY else dt.time(23, 59),
            lunch_start=clock(first.lunch_start) if first.lunch_min else dt.time(12, 0),
            lunch_end=clock(first.lunch_end) if first.lunch_min else dt.time(14, 0),
            lunch_minutes=first.lunch_min,
            working_languages=sorted({x for a in problem.activities for x in a.languages}),
        )
        grids = {value for value, _label in TIME_GRID_CHOICES}
        if problem.time_grid in grids:
            visit.time_grid_minutes = problem.time_grid
        spans = [g.presence for g in problem.groups if g.presence is not None]
        if spans:
            # The visit has one arrival and one departure: when every group is there.
            visit.delegation_arrives = instant(max(s for s, _e in spans))
            visit.delegation_leaves = instant(min(e for _s, e in spans))
        visit.interpretation_policy = problem.interpretation.policy
        visit.interpretation_rules = interpretation_policy.rules_of(problem.interpretation)
        visit.full_clean()
        visit.save()

        venues = {}
        for v in problem.venues:
            kind = Venue.Kind.LODGING if v.id in lodging_ids else Venue.Kind.HOST_SITE
            venues[v.id] = Venue.objects.create(
                visit=visit, name=v.name or f"Venue {v.id}", kind=kind
            )
        TravelTime.objects.bulk_create(
            TravelTime(visit=visit, origin=venues[a], destination=venues[b], minutes=m)
            for (a, b), m in problem.travel.items()
            if a != b and a in venues and b in venues
        )
        if len(lodging_ids) == 1:
            visit.lodging = venues[next(iter(lodging_ids))]
            visit.save(update_fields=["lodging"])

        def person(name: str, role: str, fallback: str) -> Person:
            return Person.objects.create(
                owner=owner, full_name=f"{name or fallback} ({visit.slug})", role=role
            )

        def add_windows(who: Person, windows, busy) -> None:
            rows = [
                Availability(
                    visit=visit,
                    person=who,
                    start=instant(w.start),
                    end=instant(w.end),
                    kind=Availability.Kind.PREFERRED
                    if w.preferred
                    else Availability.Kind.AVAILABLE,
                )
                for w in windows
            ]
            rows += [
                Availability(
                    visit=visit,
                    person=who,
                    start=instant(s),
                    end=instant(e),
                    kind=Availability.Kind.UNAVAILABLE,
                )
                for s, e in busy
            ]
            Availability.objects.bulk_create(rows)

        hosts = {}
        for h in problem.hosts:
            hosts[h.id] = person(h.name, Person.Role.HOST, f"Host {h.id}")
            add_windows(hosts[h.id], h.windows, h.busy)

        interpreters = []
        for i in problem.interpreters:
            who = person(i.name, Person.Role.INTERPRETER, f"Interpreter {i.id}")
            interpreter = Interpreter.objects.create(
                owner=owner, person=who, modes=list(i.modes), daily_cap_minutes=i.daily_cap
            )
            LanguageDirection.objects.bulk_create(
                LanguageDirection(interpreter=interpreter, source=s, target=t)
                for s, t in i.directions
            )
            add_windows(who, i.windows, i.busy)
            interpreters.append(interpreter)
        visit.interpreters.set(interpreters)

        delegation = Delegation.objects.create(visit=visit, name="Delegation")
        subgroups = {}
        for g in problem.groups:
            sub = SubGroup.objects.create(
                delegation=delegation,
                name=g.name or f"Group {g.id}",
                lodging=venues.get(g.lodging_venue),
            )
            subgroups[g.id] = sub
            for k, member in enumerate(g.members):
                for n in range(member.count):
                    guest = Guest.objects.create(
                        delegation=delegation,
                        subgroup=sub,
                        full_name=f"{sub.name} {k + 1}.{n + 1}",
                        country="FR",
                        preferred_language=member.preferred or member.follows[0],
                    )
                    GuestLanguage.objects.bulk_create(
                        GuestLanguage(guest=guest, language=x) for x in member.follows
                    )
            for language in () if g.members else g.languages:
                for n in range(g.size):
                    guest = Guest.objects.create(
                        delegation=delegation,
                        subgroup=sub,
                        full_name=f"{sub.name} {language} {n + 1}",
                        country="FR",
                        preferred_language=language,
                    )
                    GuestLanguage.objects.create(guest=guest, language=language)

        phases = {}
        if any(a.phase is not None for a in problem.activities):
            fmt = VisitFormat.objects.create(owner=owner, name=f"Phases ({visit.slug})")
            for order in sorted({a.phase for a in problem.activities if a.phase is not None}):
                phases[order] = Phase.objects.create(format=fmt, order=order, name=f"Phase {order}")
            visit.format = fmt
            visit.save(update_fields=["format"])

        activities = {}
        for a in problem.activities:
            activity = Activity(
                visit=visit,
                title=a.name or f"Activity {a.id}",
                kind=Activity.Kind.MEAL if a.meal else Activity.Kind.MEETING,
                duration_minutes=a.duration,
                venue=venues[a.venue],
                languages=list(a.languages),
                interpretation_mode=a.interpretation_mode,
                two_way=a.two_way,
                mandatory=a.mandatory,
                value=a.value,
                earliest=instant(a.earliest) if a.earliest is not None else None,
                latest=instant(a.latest) if a.latest is not None else None,
                phase=phases.get(a.phase),
                fixed_start=instant(a.fixed_start) if a.fixed_start is not None else None,
                working_lunch=a.working_lunch,
                place_in_visit=a.place_in_visit,
            )
            activity.full_clean()  # the same rules as any other entry (durations, windows)
            activity.save()
            ActivityHost.objects.bulk_create(
                ActivityHost(activity=activity, person=hosts[h]) for h in a.hosts
            )
            activity.audience.set([subgroups[g] for g in a.groups])
            activities[a.id] = activity
        Precedence.objects.bulk_create(
            Precedence(
                visit=visit,
                before=activities[p.before],
                after=activities[p.after],
                min_gap_minutes=p.min_gap,
            )
            for p in problem.precedences
        )
    return visit


def slugify_unique(owner, title: str) -> str:
    from events.services import visit_fill_slug

    probe = Visit(owner=owner, title=title)
    visit_fill_slug(instance=probe, organisation=owner)
    return probe.slug
