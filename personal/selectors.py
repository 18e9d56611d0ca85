"""What a guest's or an interpreter's own page shows, day by day, in the active language
(call under ``translation.override``). Only the person's own things: no other guest's name,
contact, diet or itinerary, no host contact, nothing internal (notes, costs)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from delegations.models import Guest, Interpreter
from events.models import Activity, Venue, Visit
from logistics.diff import plan_summary, summary_diff, version_summary
from logistics.selectors import Plan, logistics_plan
from personal.models import PersonalLink
from planner import i18n
from scheduling import attendance, selectors
from scheduling.models import InterpreterAssignment, ProgrammeVersion, Slot
from scheduling.spoken import languages_text


@dataclass
class Entry:
    """One line of a day: an activity, an assignment, a ride, an arrival or a departure."""

    kind: str  # activity | assignment | arrival | departure | pickup | dropoff | ride
    start: dt.datetime
    end: dt.datetime | None
    title: str
    time_label: str = ""
    place: str = ""
    address: str = ""
    map_url: str = ""
    hosts: list[str] = field(default_factory=list)
    language: str = ""
    interpretation: str = ""
    directions: list[str] = field(default_factory=list)
    mode: str = ""
    vehicle: str = ""
    lines: list[str] = field(default_factory=list)
    meal: bool = False
    diet: str = ""
    changed: str = ""  # "moved" or "added": since the person last looked
    activity_id: int | None = None
    leg_key: str = ""  # rides: the leg's key in the logistics (see logistics.legs.Leg.key)


@dataclass
class DayView:
    day: dt.date
    label: str
    entries: list[Entry]
    lodging: str = ""
    lodging_address: str = ""
    lodging_map: str = ""
    load: str = ""  # interpreters: minutes of interpreting against the daily cap
    over_cap: bool = False
    lodging_changed: bool = False  # the night's hotel is not the one of the version last seen


@dataclass
class PageView:
    visit: Visit
    dates: str
    name: str
    kind: str  # guest | interpreter
    days: list[DayView]
    version: ProgrammeVersion | None
    cancelled: list[str] = field(default_factory=list)
    changed: int = 0
    diet: str = ""

    @property
    def changed_entries(self) -> list[tuple[DayView, Entry]]:
        """The entries marked as moved or new, with their day, in the order of the days."""
        return [(day, e) for day in self.days for e in day.entries if e.changed]

    @property
    def changed_nights(self) -> list[DayView]:
        """The days whose night's lodging changed since the person last looked."""
        return [day for day in self.days if day.lodging_changed]


def published(visit: Visit) -> ProgrammeVersion | None:
    programme = getattr(visit, "programme", None)
    return programme.current_version if programme is not None else None


def _since(link: PersonalLink, version: ProgrammeVersion | None) -> ProgrammeVersion | None:
    """The version the person saw before ``version`` (None: nothing to compare)."""
    if version is None or link.changes_since_id is None or link.changes_since_id == version.pk:
        return None
    return ProgrammeVersion.objects.filter(pk=link.changes_since_id).first()


def _changes(old: ProgrammeVersion | None, version: ProgrammeVersion | None) -> dict:
    if old is None or version is None:
        return {}
    return selectors.version_changes(old=old, new=version, live_only=True)


def _logistics_changes(old: ProgrammeVersion | None, plan: Plan) -> dict | None:
    """The logistics differences (``logistics.diff``) from ``old`` as published (its snapshot;
    today's data when it has none) to the plan the page shows; None: nothing to compare."""
    if old is None or plan.version is None:
        return None
    return summary_diff(
        version_summary(visit=plan.visit, version=old, stored=True), plan_summary(plan)
    )


def _ride_marks(diff: dict | None, mine) -> dict[str, str]:
    """Per leg key, "moved" or "added" for the person's own rides (``mine(leg)``) that are
    new to them or whose times or vehicles changed. A new ride on the route of one of their
    rides that is gone (the same kind, from and to the same places) is that ride moved."""
    if diff is None:
        return {}
    legs = diff["legs"]

    def route(leg: dict) -> tuple:
        return (leg["kind"], leg["origin"], leg["destination"])

    gone = {route(leg) for leg in legs["removed"] if mine(leg)} | {
        route(c["before"]) for c in legs["changed"] if mine(c["before"]) and not mine(c["after"])
    }

    def new(leg: dict) -> str:
        return "moved" if route(leg) in gone else "added"

    marks = {leg["key"]: new(leg) for leg in legs["added"] if mine(leg)}
    for c in legs["changed"]:
        before, after = c["before"], c["after"]
        if not mine(after):
            continue
        if not mine(before):
            marks[c["key"]] = new(after)
        elif any(before[k] != after[k] for k in ("depart", "arrive", "vehicles")):
            marks[c["key"]] = "moved"
    return marks


def _night_marks(diff: dict | None, guest_id: int) -> set[dt.date]:
    """The guest's nights whose lodging is another than in the version compared with."""
    if diff is None:
        return set()
    return {
        dt.date.fromisoformat(row["night"])
        for row in diff["lodging"]
        if row["guest"] == guest_id and row["after"] is not None
    }


def _place(venue: Venue | None) -> dict:
    if venue is None:
        return {}
    return {"place": venue.name, "address": venue.full_address, "map_url": venue.map_url}


def _label(entry: Entry, zone: ZoneInfo) -> None:
    if entry.end is not None:
        entry.time_label = i18n.time_range(entry.start, entry.end, zone=zone)
    else:
        entry.time_label = i18n.short_time(entry.start, zone=zone)


def _vehicles(view) -> str:
    # Shown under the label "Vehicle": the names only, not "Vehicle: …" a second time.
    if not view.vehicles:
        return _("to be confirmed")
    names = [
        _("%(vehicle)s, driver %(driver)s") % {"vehicle": v.name, "driver": v.driver.full_name}
        if v.driver
        else v.name
        for v in view.vehicles
    ]
    return i18n.names(names)


def _leg_entry(view, zone: ZoneInfo) -> Entry:
    kind = {"pickup": "pickup", "dropoff": "dropoff"}.get(view.leg.kind, "ride")
    title = {
        "pickup": _("Pick-up and transfer to %(place)s"),
        "dropoff": _("Drop-off at %(place)s"),
        "ride": _("Ride to %(place)s"),
    }[kind] % {"place": view.destination.name}
    lines = [
        _("Pick-up at %(time)s, %(place)s")
        % {"time": i18n.short_time(view.leg.depart, zone=zone), "place": view.origin.name}
    ]
    if view.leg.travel_minutes:
        lines.append(_("About %(duration)s") % {"duration": i18n.duration(view.leg.travel_minutes)})
    return Entry(
        kind,
        view.leg.depart,
        view.leg.arrive,
        title,
        vehicle=_vehicles(view),
        lines=lines,
        leg_key=view.key,
        **_place(view.origin),
    )


def _listening(guest: Guest, slot: Slot) -> str | None:
    """The language the guest listens in at this slot (the solver's choice for their group)."""
    rows = slot.languages.get("listening", []) if slot.languages else []
    groups = {
        guest.subgroup_id or attendance.WHOLE,
        attendance.solver_group(guest.delegation_id),
        attendance.WHOLE,
    }
    mine = [code for group, code, count in rows if group in groups and count]
    if not mine:
        return None
    if guest.preferred_language in mine:
        return guest.preferred_language
    known = [lang.language for lang in guest.languages.all()]
    return next((code for code in mine if code in known), mine[0])


def _interpretation_for(guest: Guest, slot: Slot) -> str:
    spoken = slot.languages.get("spoken") if slot.languages else None
    if not spoken:
        return ""
    heard = _listening(guest, slot)
    if heard is None or heard == spoken:
        return _("No interpretation needed for you.")
    mode = (
        slot.activity.get_interpretation_mode_display() if slot.activity.interpretation_mode else ""
    )
    names = sorted(
        {a.interpreter.person.full_name for a in slot.assignments.all() if a.target == heard}
    )
    text = _("Interpreted for you into %(language)s") % {"language": i18n.language_name(heard)}
    if mode:
        text += f" ({mode})"
    if names:
        text += " — " + _("by %(names)s") % {"names": i18n.names(names)}
    return text + "."


def _slot_entry(slot: Slot, kind: str = "activity") -> Entry:
    activity = slot.activity
    return Entry(
        kind,
        slot.start,
        slot.end,
        activity.local_title,
        hosts=sorted(link.person.full_name for link in activity.host_links.all()),
        language=languages_text(slot.languages, activity.languages),
        meal=activity.kind == Activity.Kind.MEAL,
        activity_id=activity.pk,
        **_place(slot.venue),
    )


def _mark(entries: list[Entry], changes: dict, rides: dict[str, str]) -> int:
    count = 0
    for entry in entries:
        if entry.activity_id:
            change = changes.get(entry.activity_id)
            if change is not None and change.kind in {"moved", "added"}:
                entry.changed = change.kind
                count += 1
        elif entry.leg_key in rides:
            entry.changed = rides[entry.leg_key]
            count += 1
    return count


def _days(entries: list[Entry], zone: ZoneInfo, nights=()) -> dict[dt.date, list[Entry]]:
    order = {
        "arrival": 0,
        "pickup": 1,
        "ride": 2,
        "activity": 3,
        "assignment": 3,
        "dropoff": 4,
        "departure": 5,
    }
    entries.sort(key=lambda e: (e.start, order[e.kind]))
    per_day: dict[dt.date, list[Entry]] = defaultdict(list)
    for night in nights:
        per_day[night]
    for entry in entries:
        _label(entry, zone)
        per_day[entry.start.astimezone(zone).date()].append(entry)
    return dict(sorted(per_day.items()))


def _cancelled(changes: dict, keep) -> list[str]:
    return [
        change.before.activity.local_title
        for change in changes.values()
        if change.kind == "cancelled" and keep(change.before)
    ]


def guest_page(*, link: PersonalLink, plan: Plan | None = None) -> PageView:
    guest = (
        Guest.objects.select_related("delegation")
        .prefetch_related("languages")
        .get(pk=link.guest_id)
    )
    visit = link.visit
    version = published(visit)
    plan = plan or logistics_plan(visit=visit, version=version)
    zone = plan.zone
    entries: list[Entry] = []
    titles = {"arrival": _("Arrival"), "departure": _("Departure")}
    for direction, journey in plan.journeys.get(guest.pk, {}).items():
        lines = [journey.get_mode_display()]
        if journey.reference:
            lines.append(_("Reference: %(reference)s") % {"reference": journey.reference})
        entries.append(
            Entry(
                direction,
                journey.time,
                None,
                titles[direction],
                lines=lines,
                **_place(journey.place),
            )
        )
    entries += [_leg_entry(view, zone) for view in plan.guest_legs(guest.pk)]
    diet = guest.dietary_needs.strip()
    for slot in plan.guest_slots(guest.pk):
        entry = _slot_entry(slot)
        entry.interpretation = _interpretation_for(guest, slot)
        if entry.meal and diet:
            entry.diet = diet
        entries.append(entry)
    old = _since(link, version)
    changes = _changes(old, version)
    logistics = _logistics_changes(old, plan)
    changed = _mark(entries, changes, _ride_marks(logistics, lambda leg: guest.pk in leg["guests"]))
    nights = _night_marks(logistics, guest.pk)
    days = []
    for day, items in _days(entries, zone, plan.nights.get(guest.pk, [])).items():
        lodged = plan.lodging.get((guest.pk, day))
        venue = lodged[0] if lodged else None
        days.append(
            DayView(
                day,
                i18n.full_date(day),
                items,
                lodging=venue.name if venue else "",
                lodging_address=venue.full_address if venue else "",
                lodging_map=venue.map_url if venue else "",
                lodging_changed=venue is not None and day in nights,
            )
        )
    group = guest.subgroup_id
    cancelled = _cancelled(
        changes,
        lambda slot: attendance.attends([sg.pk for sg in slot.activity.audience.all()], group),
    )
    return PageView(
        visit=visit,
        dates=i18n.date_range(visit.start_date, visit.end_date),
        name=guest.full_name,
        kind="guest",
        days=days,
        version=version,
        cancelled=cancelled,
        changed=changed + sum(day.lodging_changed for day in days) + len(cancelled),
        diet=diet,
    )


def _assignments(version: ProgrammeVersion | None, interpreter: Interpreter) -> dict[Slot, list]:
    if version is None:
        return {}
    rows = (
        InterpreterAssignment.objects.filter(slot__version=version, interpreter=interpreter)
        .exclude(slot__status=Slot.Status.CANCELLED)
        .select_related("slot__activity", "slot__venue")
        .prefetch_related("slot__activity__host_links__person")
        .order_by("slot__start", "source", "target")
    )
    per_slot: dict[Slot, list] = {}
    for row in rows:
        per_slot.setdefault(row.slot, []).append(row)
    return per_slot


def _moves(slots: list[Slot], travel: dict, zone: ZoneInfo) -> list[Entry]:
    """Going from one assignment to the next at another place, the same day."""
    moves = []
    for before, after in itertools.pairwise(slots):
        same_day = before.end.astimezone(zone).date() == after.start.astimezone(zone).date()
        if not same_day or before.venue_id == after.venue_id:
            continue
        minutes = travel.get((before.venue_id, after.venue_id))
        lines = [_("From %(origin)s") % {"origin": before.venue.name}]
        if minutes:
            lines.append(_("About %(duration)s") % {"duration": i18n.duration(minutes)})
        moves.append(
            Entry(
                "ride",
                before.end,
                after.start,
                _("Ride to %(place)s") % {"place": after.venue.name},
                lines=lines,
                **_place(before.venue),
            )
        )
    return moves


def interpreter_page(*, link: PersonalLink, plan: Plan | None = None) -> PageView:
    interpreter = Interpreter.objects.select_related("person").get(pk=link.interpreter_id)
    visit = link.visit
    version = published(visit)
    zone = ZoneInfo(visit.time_zone)
    per_slot = _assignments(version, interpreter)
    entries: list[Entry] = []
    minutes: dict[dt.date, int] = defaultdict(int)
    for slot, rows in per_slot.items():
        entry = _slot_entry(slot, kind="assignment")
        entry.directions = [
            f"{i18n.language_name(r.source)} → {i18n.language_name(r.target)}" for r in rows
        ]
        mode = slot.activity.interpretation_mode
        entry.mode = slot.activity.get_interpretation_mode_display() if mode else ""
        entries.append(entry)
        minutes[slot.start.astimezone(zone).date()] += int(
            (slot.end - slot.start).total_seconds() // 60
        )
    slots = list(per_slot)
    ridden = False
    if slots:
        plan = plan or logistics_plan(visit=visit, version=version)
        person_id = interpreter.person_id
        for view in plan.legs:
            if any(p.pk == person_id for p in view.companions):
                entries.append(_leg_entry(view, zone))
                ridden = True
    if not ridden:
        entries += _moves(slots, selectors.travel_matrix(visit=visit), zone)
    old = _since(link, version)
    changes = _changes(old, version)
    rides: dict[str, str] = {}
    if ridden:
        rides = _ride_marks(
            _logistics_changes(old, plan), lambda leg: person_id in leg["companions"]
        )
    changed = _mark(entries, changes, rides)
    cap = interpreter.daily_cap_minutes
    days = []
    for day, items in _days(entries, zone).items():
        load = minutes.get(day, 0)
        days.append(
            DayView(
                day,
                i18n.full_date(day),
                items,
                load=_("%(done)s of interpreting (daily limit %(cap)s)")
                % {"done": i18n.duration(load), "cap": i18n.duration(cap)}
                if cap
                else i18n.duration(load),
                over_cap=bool(cap) and load > cap,
            )
        )
    mine = {slot.activity_id for slot in slots}
    cancelled = _cancelled(
        changes,
        lambda slot: (
            slot.activity_id not in mine
            and any(a.interpreter_id == interpreter.pk for a in slot.assignments.all())
        ),
    )
    return PageView(
        visit=visit,
        dates=i18n.date_range(visit.start_date, visit.end_date),
        name=interpreter.person.full_name,
        kind="interpreter",
        days=days,
        version=version,
        cancelled=cancelled,
        changed=changed + len(cancelled),
    )


def page_view(*, link: PersonalLink) -> PageView:
    if link.guest_id:
        return guest_page(link=link)
    return interpreter_page(link=link)
