"""The week grid of a person's availability: the visit's days as columns, half-hours of its day
window as rows. Pure code: windows in, cells out, and back (no ORM, no request)."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

STEP = dt.timedelta(minutes=30)
# The grid paints the two kinds a host gives; "unavailable" windows are kept as they are.
KINDS = {"a": "available", "p": "preferred"}
CODES = {kind: code for code, kind in KINDS.items()}


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime
    kind: str


def half_hours(day_start: dt.time, day_end: dt.time) -> list[dt.time]:
    """Row starts: from the half-hour at or before the day's start to the one that holds its
    end (a day of 8:45–19:00 has rows 8:30 … 18:30)."""
    first = day_start.hour * 60 + (day_start.minute // 30) * 30
    last = day_end.hour * 60 + day_end.minute
    return [dt.time(m // 60, m % 60) for m in range(first, last, 30)]


def cell_key(day: dt.date, time: dt.time) -> str:
    return f"{day.isoformat()}T{time:%H:%M}"


def grid_cells(days: list[dt.date], rows: list[dt.time]) -> list[str]:
    return [cell_key(day, time) for day in days for time in rows]


def cell_states(
    windows: list[Window], days: list[dt.date], rows: list[dt.time], zone: ZoneInfo
) -> dict[str, str]:
    """Each half-hour a window of a painted kind overlaps, with that kind (preferred wins)."""
    states: dict[str, str] = {}
    for day in days:
        for time in rows:
            start = dt.datetime.combine(day, time, zone)
            end = start + STEP
            kinds = {w.kind for w in windows if w.start < end and w.end > start}
            kind = next((k for k in ("preferred", "available") if k in kinds), None)
            if kind:
                states[cell_key(day, time)] = kind
    return states


class BadCell(ValueError):
    pass


def parse_week(value: str, allowed: set[str]) -> dict[str, str]:
    """``"2009-04-20T09:00=a 2009-04-20T09:30=p"`` → {cell: kind}; any other cell is refused."""
    states: dict[str, str] = {}
    for item in value.split():
        key, _sep, code = item.partition("=")
        if key not in allowed or code not in KINDS:
            raise BadCell(item[:40])
        states[key] = KINDS[code]
    return states


def windows_from_cells(states: dict[str, str], zone: ZoneInfo) -> list[Window]:
    """Runs of adjacent half-hours of one kind on one day make one window."""
    windows: list[Window] = []
    for key in sorted(states):
        start = dt.datetime.combine(
            dt.date.fromisoformat(key[:10]), dt.time.fromisoformat(key[11:]), zone
        )
        kind = states[key]
        last = windows[-1] if windows else None
        if last and last.kind == kind and last.end == start:
            windows[-1] = Window(last.start, start + STEP, kind)
        else:
            windows.append(Window(start, start + STEP, kind))
    return windows


def outside_parts(
    windows: list[Window], days: list[dt.date], rows: list[dt.time], zone: ZoneInfo
) -> list[Window]:
    """The parts of ``windows`` the grid cannot show (an evening after the day window): a
    week saved from the grid keeps them instead of erasing what it never displayed."""
    if not rows:
        return list(windows)
    spans = [
        (
            dt.datetime.combine(day, rows[0], zone),
            dt.datetime.combine(day, rows[-1], zone) + STEP,
        )
        for day in days
    ]
    parts: list[Window] = []
    for window in windows:
        pieces = [(window.start, window.end)]
        for span_start, span_end in spans:
            cut = []
            for start, end in pieces:
                if end <= span_start or start >= span_end:
                    cut.append((start, end))
                    continue
                if start < span_start:
                    cut.append((start, span_start))
                if end > span_end:
                    cut.append((span_end, end))
            pieces = cut
        parts += [Window(start, end, window.kind) for start, end in pieces]
    return parts
