"""The JSON problem format's import: a solver problem becomes a visit's rows (the reverse of
``scheduling.adapters.problem_from_visit``). Here rather than in ``events.import_services``
because it reads the solver's dataclasses: events stays below scheduling."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

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
from planner.text import check_name
from scheduling import solver
from scheduling.adapters import MINUTES_PER_DAY, Clock
from scheduling.solver import policy as interpretation_policy


def _time_of_day(minutes: int) -> dt.time:
    return dt.time((minutes % MINUTES_PER_DAY) // 60, minutes % 60)


def _visit(problem: solver.Problem, clock: Clock, *, owner, title: str, time_zone: str) -> Visit:
    """The visit row: every day takes the first day's window and lunch; the delegation is
    there when every group is."""
    first = problem.days[0]
    start_date = clock.origin.date()
    span_days = max(d.end for d in problem.days) // MINUTES_PER_DAY
    visit = Visit(
        owner=owner,
        kind=Visit.Kind.DELEGATION,
        title=title,
        slug=slugify_unique(owner, title),
        start_date=start_date,
        end_date=start_date + dt.timedelta(days=span_days),
        time_zone=time_zone,
        day_start=_time_of_day(first.start),
        day_end=_time_of_day(first.end) if first.end % MINUTES_PER_DAY else dt.time(23, 59),
        lunch_start=_time_of_day(first.lunch_start) if first.lunch_min else dt.time(12, 0),
        lunch_end=_time_of_day(first.lunch_end) if first.lunch_min else dt.time(14, 0),
        lunch_minutes=first.lunch_min,
        working_languages=sorted({x for a in problem.activities for x in a.languages}),
    )
    grids = {value for value, _label in TIME_GRID_CHOICES}
    if problem.time_grid in grids:
        visit.time_grid_minutes = problem.time_grid
    spans = [g.presence for g in problem.groups if g.presence is not None]
    if spans:
        # The visit has one arrival and one departure: when every group is there.
        visit.delegation_arrives = clock.instant(max(s for s, _e in spans))
        visit.delegation_leaves = clock.instant(min(e for _s, e in spans))
    visit.interpretation_policy = problem.interpretation.policy
    visit.interpretation_rules = interpretation_policy.rules_of(problem.interpretation)
    visit.full_clean()
    visit.save()
    return visit


def _venues(problem: solver.Problem, visit: Visit) -> dict[int, Venue]:
    """The venues (a group's lodging is a lodging) and the travel times between them; the
    visit's lodging when all groups share one."""
    lodging_ids = {g.lodging_venue for g in problem.groups if g.lodging_venue is not None}
    venues = {}
    for v in problem.venues:
        kind = Venue.Kind.LODGING if v.id in lodging_ids else Venue.Kind.HOST_SITE
        venues[v.id] = Venue.objects.create(visit=visit, name=v.name or f"Venue {v.id}", kind=kind)
    TravelTime.objects.bulk_create(
        TravelTime(visit=visit, origin=venues[a], destination=venues[b], minutes=m)
        for (a, b), m in problem.travel.items()
        if a != b and a in venues and b in venues
    )
    if len(lodging_ids) == 1:
        visit.lodging = venues[next(iter(lodging_ids))]
        visit.save(update_fields=["lodging"])
    return venues


def _windows(visit: Visit, who: Person, clock: Clock, windows, busy) -> None:
    rows = [
        Availability(
            visit=visit,
            person=who,
            start=clock.instant(w.start),
            end=clock.instant(w.end),
            kind=Availability.Kind.PREFERRED if w.preferred else Availability.Kind.AVAILABLE,
        )
        for w in windows
    ]
    rows += [
        Availability(
            visit=visit,
            person=who,
            start=clock.instant(s),
            end=clock.instant(e),
            kind=Availability.Kind.UNAVAILABLE,
        )
        for s, e in busy
    ]
    Availability.objects.bulk_create(rows)


def _people(problem: solver.Problem, visit: Visit, clock: Clock) -> dict[int, Person]:
    """Hosts and interpreters, named after the problem's names (or "Host 3"), with their
    windows; the hosts by problem id."""
    owner = visit.owner

    def person(name: str, role: str, fallback: str) -> Person:
        return Person.objects.create(
            owner=owner, full_name=f"{name or fallback} ({visit.slug})", role=role
        )

    hosts = {}
    for h in problem.hosts:
        hosts[h.id] = person(h.name, Person.Role.HOST, f"Host {h.id}")
        _windows(visit, hosts[h.id], clock, h.windows, h.busy)

    interpreters = []
    for i in problem.interpreters:
        who = person(i.name, Person.Role.INTERPRETER, f"Interpreter {i.id}")
        interpreter = Interpreter.objects.create(
            owner=owner, person=who, modes=list(i.modes), daily_cap_minutes=i.daily_cap
        )
        LanguageDirection.objects.bulk_create(
            LanguageDirection(interpreter=interpreter, source=s, target=t) for s, t in i.directions
        )
        _windows(visit, who, clock, i.windows, i.busy)
        interpreters.append(interpreter)
    visit.interpreters.set(interpreters)
    return hosts


def _guests(delegation: Delegation, sub: SubGroup, group: solver.Group) -> None:
    """The group's guests: one per member count (following its languages), or, in the
    format before choices, ``size`` per language."""
    for k, member in enumerate(group.members):
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
    for language in () if group.members else group.languages:
        for n in range(group.size):
            guest = Guest.objects.create(
                delegation=delegation,
                subgroup=sub,
                full_name=f"{sub.name} {language} {n + 1}",
                country="FR",
                preferred_language=language,
            )
            GuestLanguage.objects.create(guest=guest, language=language)


def _subgroups(
    problem: solver.Problem, visit: Visit, venues: dict[int, Venue]
) -> dict[int, SubGroup]:
    """One delegation; each group a sub-group of it, by problem id."""
    delegation = Delegation.objects.create(visit=visit, name="Delegation")
    subgroups = {}
    for g in problem.groups:
        subgroups[g.id] = SubGroup.objects.create(
            delegation=delegation,
            name=g.name or f"Group {g.id}",
            lodging=venues.get(g.lodging_venue),
        )
        _guests(delegation, subgroups[g.id], g)
    return subgroups


def _phases(problem: solver.Problem, visit: Visit) -> dict[int, Phase]:
    """A format of the problem's phases, when it has any, by phase order."""
    orders = sorted({a.phase for a in problem.activities if a.phase is not None})
    if not orders:
        return {}
    fmt = VisitFormat.objects.create(owner=visit.owner, name=f"Phases ({visit.slug})")
    phases = {
        order: Phase.objects.create(format=fmt, order=order, name=f"Phase {order}")
        for order in orders
    }
    visit.format = fmt
    visit.save(update_fields=["format"])
    return phases


def _activities(
    problem: solver.Problem,
    visit: Visit,
    clock: Clock,
    *,
    venues: dict[int, Venue],
    hosts: dict[int, Person],
    subgroups: dict[int, SubGroup],
    phases: dict[int, Phase],
) -> None:
    """The activities, with their hosts and audience, then the precedences between them."""
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
            earliest=clock.instant(a.earliest) if a.earliest is not None else None,
            latest=clock.instant(a.latest) if a.latest is not None else None,
            phase=phases.get(a.phase),
            fixed_start=clock.instant(a.fixed_start) if a.fixed_start is not None else None,
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


def _check_names(problem: solver.Problem, slug_length: int) -> None:
    """Every name the problem gives, under the models' rules (planner.text) and within the
    columns they go to, before a row is written: a ValidationError naming the problem's path
    (``problem.venues[2].name``), never a row a feed or an email cannot carry."""
    person = 200 - slug_length - len(" ()")
    lists = (
        ("venues", problem.venues, 200),
        ("hosts", problem.hosts, person),
        ("interpreters", problem.interpreters, person),
        ("groups", problem.groups, 100),
        ("activities", problem.activities, 200),
    )
    errors = {}
    for key, entries, limit in lists:
        for index, entry in enumerate(entries):
            path = f"problem.{key}[{index}].name"
            name = entry.name or ""
            try:
                check_name(name)
            except ValueError as exc:
                errors[path] = str(exc)
                continue
            if len(name) > limit:
                errors[path] = f"at most {limit} characters"
    if errors:
        raise ValidationError(errors)


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
    clock = Clock(ZoneInfo(time_zone), dt.datetime.combine(start_date, dt.time()))
    with transaction.atomic():
        visit = _visit(problem, clock, owner=owner, title=title, time_zone=time_zone)
        _check_names(problem, len(visit.slug))
        venues = _venues(problem, visit)
        hosts = _people(problem, visit, clock)
        subgroups = _subgroups(problem, visit, venues)
        phases = _phases(problem, visit)
        _activities(
            problem,
            visit,
            clock,
            venues=venues,
            hosts=hosts,
            subgroups=subgroups,
            phases=phases,
        )
    return visit


def slugify_unique(owner, title: str) -> str:
    from events.services import visit_fill_slug

    probe = Visit(owner=owner, title=title)
    visit_fill_slug(instance=probe, organisation=owner)
    return probe.slug
