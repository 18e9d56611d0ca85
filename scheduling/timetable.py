"""The timetable a person looks at: days as columns, hours as rows, blocks sized by duration.

Pure layout from a version's slots (already fetched): positions are percentages of the
displayed day window, so the template only places boxes. The page sends no ``style``
attribute (the Content-Security-Policy allows none): a box is placed by classes naming its
start and length in hours and minutes from the window's first hour (``place``), which the
static ``planner/timetable-places.css`` (``places_css``) turns into ``top`` and ``height``.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from planner import i18n
from scheduling import attendance
from scheduling.spoken import languages_text


def place(at: int, length: int | None = None) -> str:
    """The classes placing a box ``at`` minutes after the window's start, ``length`` long."""
    at = max(0, at)
    classes = f"placed at-h{at // 60} at-m{at % 60}"
    if length is not None:
        length = max(0, length)
        classes += f" sized len-h{length // 60} len-m{length % 60}"
    return classes


def span_class(first: int, last: int) -> str:
    return f"span-h{max(1, min(24, (last - first) // 60))}"


def places_css() -> str:
    """The static stylesheet behind ``place`` and ``span_class`` (planner/timetable-places.css)."""
    lines = [
        "/* Written by scheduling.timetable.places_css(); tests/planner/test_csp.py compares. */",
        "/* Timetable boxes placed by class, not by style attribute (CSP style-src 'self'). */",
        ".timetable .placed { top: calc(100% * (var(--at-h, 0) * 60 + var(--at-m, 0))"
        " / var(--span, 1440)); }",
        ".timetable .sized { height: calc(100% * (var(--len-h, 0) * 60 + var(--len-m, 0))"
        " / var(--span, 1440)); }",
    ]
    lines += [f".span-h{h} {{ --span: {h * 60}; }}" for h in range(1, 25)]
    lines += [f".at-h{h} {{ --at-h: {h}; }}" for h in range(25)]
    lines += [f".at-m{m} {{ --at-m: {m}; }}" for m in range(60)]
    lines += [f".len-h{h} {{ --len-h: {h}; }}" for h in range(25)]
    lines += [f".len-m{m} {{ --len-m: {m}; }}" for m in range(60)]
    return "\n".join(lines) + "\n"


@dataclass
class Block:
    slot_id: int
    title: str
    kind: str
    start: dt.datetime
    end: dt.datetime
    time_label: str
    venue: str
    status: str
    locked: bool
    interpreters: list[str]
    languages: list[str]
    hosts: list[str]
    top: float
    height: float
    change_reason: str = ""
    # Length in minutes: a dragged block keeps it wherever it lands.
    minutes: int = 0
    place: str = ""  # the classes that put it there (see ``place``)


@dataclass
class Leg:
    minutes: int
    top: float
    height: float
    label: str
    place: str = ""


@dataclass
class Day:
    date: dt.date
    label: str
    blocks: list[Block] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)


@dataclass
class Timetable:
    days: list[Day]
    hours: list[dict]
    first_minute: int
    last_minute: int

    @property
    def span_class(self) -> str:
        return span_class(self.first_minute, self.last_minute)


def _minute_of_day(value: dt.datetime) -> int:
    return value.hour * 60 + value.minute


def build(*, visit, slots, travel: dict[tuple[int, int], int]) -> Timetable:
    """Lay out ``slots`` (with activity, venue, assignments and host links prefetched)."""
    zone = ZoneInfo(visit.time_zone)
    first = min(_minute_of_day(dt.datetime.combine(visit.start_date, visit.day_start)), 8 * 60)
    last = max(_minute_of_day(dt.datetime.combine(visit.start_date, visit.day_end)), 18 * 60)
    for slot in slots:
        first = min(first, _minute_of_day(slot.start.astimezone(zone)))
        last = max(last, _minute_of_day(slot.end.astimezone(zone)) or 24 * 60)
    first, last = (first // 60) * 60, -(-last // 60) * 60
    span = last - first

    def pct(minute: int) -> float:
        return round(100 * (minute - first) / span, 3)

    days = {d: Day(d, i18n.full_date(d)) for d in visit.days}
    # The travel before each block: the legs between the shown slots of each day.
    paths = attendance.day_paths(
        [(0, attendance.Stop(s.activity_id, s.venue_id, s.start, s.end)) for s in slots],
        zone,
        lambda _owner, _day: (None, None),
    )
    travel_before = {
        before: minutes
        for path in paths
        for *_leg, minutes, _after, before in attendance.path_legs(path, travel)
        if minutes
    }
    for slot in sorted(slots, key=lambda s: s.start):
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        day = days.get(start.date())
        if day is None:
            day = days.setdefault(start.date(), Day(start.date(), i18n.full_date(start.date())))
        s, e = _minute_of_day(start), _minute_of_day(end) or 24 * 60
        minutes = travel_before.get(slot.activity_id)
        if minutes:
            day.legs.append(
                Leg(
                    minutes,
                    pct(s - minutes),
                    pct(s) - pct(s - minutes),
                    i18n.duration(minutes),
                    place=place(s - minutes - first, minutes + min(0, s - minutes - first)),
                )
            )
        day.blocks.append(
            Block(
                slot_id=slot.pk,
                title=slot.activity.local_title,
                kind=slot.activity.kind,
                start=start,
                end=end,
                time_label=i18n.time_range(start, end, zone),
                venue=slot.venue.name,
                status=slot.status,
                locked=slot.locked,
                interpreters=sorted(
                    {a.interpreter.person.full_name for a in slot.assignments.all()}
                ),
                languages=[languages_text(slot.languages, slot.activity.languages)],
                hosts=[link.person.full_name for link in slot.activity.host_links.all()],
                top=pct(s),
                height=pct(e) - pct(s),
                change_reason=slot.change_reason,
                minutes=int((slot.end - slot.start).total_seconds() // 60),
                place=place(s - first, e - s),
            )
        )
    hours = [
        {"label": i18n.short_time(dt.time(m // 60, 0)), "top": pct(m), "place": place(m - first)}
        for m in range(first, last, 60)
    ]
    return Timetable(sorted(days.values(), key=lambda d: d.date), hours, first, last)
