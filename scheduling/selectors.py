import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from events.models import TravelTime, Visit
from planner import i18n
from scheduling import attendance, solver
from scheduling.models import Programme, ProgrammeVersion, Slot, SolveJob


def version_list(*, visit: Visit) -> QuerySet[ProgrammeVersion]:
    current = Programme.objects.filter(pk=OuterRef("programme_id"), current_version=OuterRef("pk"))
    return (
        ProgrammeVersion.objects.filter(programme__visit=visit)
        .annotate(is_current=Exists(current))
        .order_by("-number")
    )


def version_get(*, visit: Visit, number: int) -> ProgrammeVersion:
    return get_object_or_404(
        version_list(visit=visit).prefetch_related("slots__assignments", "slots__activity"),
        number=number,
    )


def version_summary(*, version: ProgrammeVersion) -> dict:
    """Figures an organiser reads first: days used, activities, interpreter hours, travel."""
    slots = list(
        version.slots.exclude(status="cancelled")
        .select_related("activity")
        .prefetch_related("assignments")
        .order_by("start")
    )
    travel = {
        (t.origin_id, t.destination_id): t.minutes
        for t in TravelTime.objects.filter(visit_id=version.programme.visit_id)
    }
    minutes = 0
    zone = ZoneInfo(version.programme.visit.time_zone)
    for before, after in itertools.pairwise(slots):
        if before.start.astimezone(zone).date() == after.start.astimezone(zone).date():
            minutes += travel.get((before.venue_id, after.venue_id), 0)
    interpreting = sum(
        len({a.interpreter_id for a in slot.assignments.all()}) * slot.activity.duration_minutes
        for slot in slots
    )
    return {
        "days": len({slot.start.astimezone(zone).date() for slot in slots}),
        "placed": len(slots),
        "unplaced": len(version.unplaced),
        "interpreter_hours": interpreting / 60,
        "travel_minutes": minutes,
    }


def job_list(*, visit: Visit) -> QuerySet[SolveJob]:
    return (
        SolveJob.objects.filter(programme__visit=visit)
        .select_related("programme__visit", "base_version", "result_version")
        .order_by("-created_at", "-pk")
    )


def job_get(*, visit: Visit, job_id: int) -> SolveJob:
    return get_object_or_404(job_list(visit=visit), pk=job_id)


def slot_get(*, slot_id: int) -> Slot:
    return Slot.objects.select_related("activity").prefetch_related("assignments").get(pk=slot_id)


def version_for_display(*, visit: Visit, number: int | None = None) -> ProgrammeVersion | None:
    """The version a visit page shows: the one asked for, else the published, else the latest."""
    versions = ProgrammeVersion.objects.filter(programme__visit=visit)
    if number is not None:
        return get_object_or_404(versions, number=number)
    programme = Programme.objects.filter(visit=visit).select_related("current_version").first()
    if programme and programme.current_version:
        return programme.current_version
    return versions.order_by("-number").first()


@dataclass(frozen=True)
class SlotChange:
    """One activity's slot in the old version and in the new one (None: not there)."""

    activity: int
    before: Slot | None
    after: Slot | None

    @property
    def kind(self) -> str | None:
        """ "added", "cancelled", "moved" (in time or to another venue), or None."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "cancelled"
        a, b = self.before, self.after
        return None if (a.start, a.end, a.venue_id) == (b.start, b.end, b.venue_id) else "moved"


def version_pairs(
    *, old: ProgrammeVersion, new: ProgrammeVersion, live_only: bool = False
) -> dict[int, SlotChange]:
    """Every activity of either version with its slot in each, by activity id, in two
    queries and their prefetches. ``live_only``: a cancelled slot counts as no slot."""

    def slots(version):
        rows = version.slots.select_related("activity", "venue").prefetch_related(
            "activity__host_links", "activity__audience", "assignments"
        )
        if live_only:
            rows = rows.exclude(status=Slot.Status.CANCELLED)
        return {s.activity_id: s for s in rows}

    before, after = slots(old), slots(new)
    return {
        k: SlotChange(k, before.get(k), after.get(k)) for k in sorted(before.keys() | after.keys())
    }


def version_changes(
    *, old: ProgrammeVersion, new: ProgrammeVersion, live_only: bool = False
) -> dict[int, SlotChange]:
    """The activities added, cancelled, or moved (in time or to another venue) from ``old``
    to ``new``, by activity id: the one slot diff of the versions page, the publication
    notices and re-plans."""
    return {
        k: change
        for k, change in version_pairs(old=old, new=new, live_only=live_only).items()
        if change.kind is not None
    }


def version_diff(*, old: ProgrammeVersion, new: ProgrammeVersion) -> dict:
    """What changed between two versions of one programme (the versions page, the API and
    re-plans): moved, added, cancelled (``version_changes``), then interpreters and status."""

    def team(slot):
        return sorted((a.interpreter_id, a.source, a.target) for a in slot.assignments.all())

    pairs = version_pairs(old=old, new=new)
    moved, added, cancelled, interpreters, status = [], [], [], [], []
    for activity_id, change in pairs.items():
        a, b = change.before, change.after
        if change.kind == "added":
            added.append({"activity": activity_id, "title": b.activity.local_title, "to": b.start})
            continue
        if change.kind == "cancelled":
            cancelled.append(
                {"activity": activity_id, "title": a.activity.local_title, "from": a.start}
            )
            continue
        if change.kind == "moved":
            moved.append(
                {
                    "activity": activity_id,
                    "title": b.activity.local_title,
                    "from": a.start,
                    "to": b.start,
                    "reason": b.change_reason,
                }
            )
        if team(a) != team(b):
            interpreters.append(
                {
                    "activity": activity_id,
                    "title": b.activity.local_title,
                    "before": [x[0] for x in team(a)],
                    "after": [x[0] for x in team(b)],
                }
            )
        if a.status != b.status:
            status.append(
                {
                    "activity": activity_id,
                    "title": b.activity.local_title,
                    "from": a.status,
                    "to": b.status,
                }
            )
    return {
        "old": old.number,
        "new": new.number,
        "moved": moved,
        "added": added,
        "cancelled": cancelled,
        "interpreters": interpreters,
        "status": status,
    }


def version_slots(
    *,
    version: ProgrammeVersion,
    host: int | None = None,
    interpreter: int | None = None,
    subgroup: int | None = None,
) -> list[Slot]:
    """Slots with everything a timetable shows, in a constant number of queries; optionally
    only one host's, one interpreter's or one sub-group's (with the whole-delegation ones)."""
    slots = version.slots.all()
    if host:
        slots = slots.filter(activity__host_links__person_id=host)
    if interpreter:
        slots = slots.filter(assignments__interpreter_id=interpreter).distinct()
    if subgroup:
        slots = slots.filter(Q(activity__audience=subgroup) | Q(activity__audience__isnull=True))
    return list(
        slots.select_related("activity", "venue")
        .prefetch_related(
            "assignments__interpreter__person",
            "activity__host_links__person",
        )
        .order_by("start")
    )


def travel_matrix(*, visit: Visit) -> dict[tuple[int, int], int]:
    """Minutes between venues by the quickest route through the entered times, as the solver
    plans: an entry longer than a detour through another venue is not what the bus drives."""
    from scheduling.solver import shortest_paths

    direct = TravelTime.objects.filter(visit=visit).values_list(
        "origin_id", "destination_id", "minutes"
    )
    return shortest_paths({(o, d): m for o, d, m in direct})


def visit_people(*, visit: Visit) -> dict:
    """Who a timetable can be shown for: hosts, interpreters and sub-groups of the visit."""
    from delegations.models import SubGroup
    from events.models import Person

    return {
        "hosts": list(
            Person.objects.filter(host_links__activity__visit=visit)
            .distinct()
            .order_by("full_name")
        ),
        "interpreters": list(
            visit.interpreters.select_related("person").order_by("person__full_name")
        ),
        "subgroups": list(SubGroup.objects.filter(delegation__visit=visit).order_by("name")),
    }


@dataclass
class Readiness:
    """What an organiser has entered for a visit and what still stops a first build."""

    days: list
    venues: list[str]
    travel_entered: int
    travel_estimated: int
    hosts_with_windows: list[str]
    hosts_without_windows: list[str]
    guests: list[str]
    guest_languages: list[tuple[str, int]]
    interpreters: list[str]
    mandatory: list[str]
    optional: list[str]
    missing: list[dict] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def _quoted(names) -> str:
    return i18n.names([f"“{name}”" for name in names])


@dataclass
class _VisitRows:
    """What visit_readiness reads of a visit, loaded in a fixed number of queries."""

    venues: list[tuple[int, str]]
    travel: list[tuple[int, int, str]]
    activities: list
    with_windows: set[int]
    guests: list
    split: set[int]
    interpreters: list


def _visit_rows(visit: Visit) -> _VisitRows:
    from delegations.models import Guest, SubGroup
    from events.models import Activity, ActivityHost, Availability, Venue

    hosts = ActivityHost.objects.select_related("person").order_by("person__full_name")
    return _VisitRows(
        venues=list(Venue.objects.filter(visit=visit).order_by("name").values_list("pk", "name")),
        travel=list(
            TravelTime.objects.filter(visit=visit).values_list(
                "origin_id", "destination_id", "source"
            )
        ),
        activities=list(
            Activity.objects.filter(visit=visit)
            .select_related("venue")
            .prefetch_related(Prefetch("host_links", queryset=hosts), "audience")
            .order_by("title")
        ),
        with_windows=set(
            Availability.objects.filter(visit=visit)
            .exclude(kind=Availability.Kind.UNAVAILABLE)
            .values_list("person_id", flat=True)
        ),
        guests=list(
            Guest.objects.filter(delegation__visit=visit)
            .prefetch_related("languages")
            .order_by("full_name")
        ),
        split=set(
            SubGroup.objects.filter(delegation__visit=visit).values_list("delegation_id", flat=True)
        ),
        interpreters=list(
            visit.interpreters.select_related("person").order_by("person__full_name")
        ),
    )


def _lack(code: str, fix: str, text: str) -> dict:
    return {"code": code, "fix": fix, "text": text}


def _missing_travel(visit: Visit, rows: _VisitRows) -> list[dict]:
    """Every pair of venues the programme uses needs a time, one direction at least."""
    names = dict(rows.venues)
    used = sorted({a.venue_id for a in rows.activities} | ({visit.lodging_id} - {None}))
    entered = {(o, d) for o, d, _source in rows.travel}
    return [
        _lack(
            "no_travel",
            "travel",
            _("No travel time between %(venues)s.")
            % {"venues": _quoted([names.get(u, u), names.get(v, v)])},
        )
        for k, u in enumerate(used)
        for v in used[k + 1 :]
        if (u, v) not in entered and (v, u) not in entered
    ]


def _hosts(rows: _VisitRows) -> dict[int, str]:
    return {
        link.person_id: link.person.full_name
        for a in rows.activities
        for link in a.host_links.all()
    }


def _missing_windows(rows: _VisitRows, hosts: dict[int, str]) -> list[dict]:
    needed_by: dict[int, list[str]] = {}
    for a in rows.activities:
        for link in a.host_links.all():
            if link.required and link.person_id not in rows.with_windows:
                needed_by.setdefault(link.person_id, []).append(a.title)
    return [
        _lack(
            "host_without_window",
            "hosts",
            _("%(host)s has no availability window, and %(activities)s cannot happen without them.")
            % {"host": hosts[pid], "activities": _quoted(titles)},
        )
        for pid, titles in sorted(needed_by.items(), key=lambda item: hosts[item[0]])
    ]


def _missing_guests(rows: _VisitRows) -> list[dict]:
    missing = []
    if not rows.guests:
        missing.append(
            _lack("no_guest", "guests", _("No guest yet: the programme is built for a delegation."))
        )
    for guest in rows.guests:
        if not guest.languages.all():
            missing.append(
                _lack(
                    "guest_without_language",
                    "guests",
                    _("%(guest)s has no language: the interpreting needed is unknown.")
                    % {"guest": guest.full_name},
                )
            )
    return missing


def _interpreted_titles(visit: Visit, rows: _VisitRows) -> list[str]:
    """Activities a group hears in a language they do not speak (the same reading of each
    guest's languages as the solver's problem)."""
    from events.models import Activity
    from scheduling.adapters import _group_languages

    members: dict[tuple[str, int], list] = {}
    for guest in rows.guests:
        if guest.delegation_id in rows.split:
            if guest.subgroup_id:
                members.setdefault(("subgroup", guest.subgroup_id), []).append(guest)
        else:
            members.setdefault(("delegation", guest.delegation_id), []).append(guest)
    follows = {key: set(_group_languages(people)[0]) for key, people in members.items() if people}
    fallback = visit.working_languages[:1]
    interpreted = []
    for a in rows.activities:
        if a.kind == Activity.Kind.MEAL and not a.working_lunch:
            continue
        audience = {g.pk for g in a.audience.all()}
        # A delegation without sub-groups follows what is for the whole delegation.
        heard = set().union(
            *(
                langs
                for (kind, pk), langs in follows.items()
                if attendance.attends(audience, pk if kind == "subgroup" else None)
            )
        )
        if heard - set(a.languages or fallback):
            interpreted.append(a.title)
    return interpreted


def visit_readiness(*, visit: Visit) -> Readiness:
    """Counts, short lists and what is missing to build, in a fixed number of queries.

    A quick reading of the data as entered (the solver's pre-checks go further: see
    visit_precheck); each missing item names the area of the pages that fixes it."""
    rows = _visit_rows(visit)
    hosts = _hosts(rows)
    missing: list[dict] = []
    if not rows.venues:
        missing.append(
            _lack("no_venue", "venues", _("No venue yet: every activity takes place somewhere."))
        )
    if not rows.activities:
        missing.append(
            _lack("no_activity", "activities", _("No activity yet: there is nothing to place."))
        )
    missing += _missing_travel(visit, rows)
    missing += _missing_windows(rows, hosts)
    missing += _missing_guests(rows)
    interpreted = _interpreted_titles(visit, rows)
    if interpreted and not rows.interpreters:
        missing.append(
            _lack(
                "no_interpreter",
                "interpreters",
                _("%(activities)s needs interpreting and the visit has no interpreter.")
                % {"activities": _quoted(interpreted)},
            )
        )
    counts: dict[str, int] = {}
    for guest in rows.guests:
        for row in guest.languages.all():
            counts[row.language] = counts.get(row.language, 0) + 1
    estimated = TravelTime.Source.ESTIMATED
    return Readiness(
        days=visit.days,
        venues=[name for _pk, name in rows.venues],
        travel_entered=sum(1 for *_pair, source in rows.travel if source != estimated),
        travel_estimated=sum(1 for *_pair, source in rows.travel if source == estimated),
        hosts_with_windows=sorted(n for pid, n in hosts.items() if pid in rows.with_windows),
        hosts_without_windows=sorted(n for pid, n in hosts.items() if pid not in rows.with_windows),
        guests=[guest.full_name for guest in rows.guests],
        guest_languages=sorted((i18n.language_name(code), n) for code, n in counts.items()),
        interpreters=[i.person.full_name for i in rows.interpreters],
        mandatory=[a.title for a in rows.activities if a.mandatory],
        optional=[a.title for a in rows.activities if not a.mandatory],
        missing=missing,
    )


def visit_precheck(*, visit: Visit) -> list[dict]:
    """The solver's pre-checks on the visit as it stands, in words; nothing is solved.

    Data errors (a missing travel time) and impossibilities seen on one activity (a host
    without a window) are both listed, as far as the data lets the second run."""
    from scheduling import explanations
    from scheduling.adapters import problem_from_visit
    from scheduling.solver.precheck import check_data, check_feasibility
    from scheduling.solver.prepare import Prepared

    try:
        prep = Prepared(problem_from_visit(visit).problem)
        conflicts = check_data(prep)
        # A missing travel time or an empty visit still lets each activity be looked at;
        # an unknown or duplicate id does not.
        if all(c.rule in ("missing_travel", "no_activities") for c in conflicts):
            conflicts += check_feasibility(prep)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        conflicts = [solver.Conflict("bad_value", {}, {"error": f"{type(exc).__name__}: {exc}"})]
    # Read as a failed solve's reasons: culprits first, one sentence per reason ("into" and
    # "from" English of one activity read the same), activities with the same cause together.
    return explanations.explained(
        [
            {
                "rule": c.rule,
                "entities": {k: list(v) for k, v in c.entities.items()},
                "params": dict(c.params),
            }
            for c in conflicts
        ],
        visit=visit,
    )
