"""Stage 2: the nights each guest sleeps here and where: the most specific stay (guest,
sub-group, delegation, then the whole visit), else the sub-group's or the visit's lodging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from delegations.models import Guest
from events.models import Venue
from logistics.models import Stay
from logistics.plan.attendance import Presence
from logistics.plan.warnings import LogisticsWarning

DAY = dt.timedelta(days=1)
# (guest id, night) -> (venue, stay or None when it is the visit's or sub-group's default)
Lodging = dict[tuple[int, dt.date], tuple[Venue, Stay | None]]


def local_date(value: dt.datetime, zone: ZoneInfo) -> dt.date:
    return value.astimezone(zone).date()


def nights(
    first_day: dt.date, last_day: dt.date, presence: Presence, zone: ZoneInfo
) -> list[dt.date]:
    """The nights a guest sleeps here: from the evening they arrive to the eve of leaving
    (the visit's first day and, without a known departure, the eve of its last day)."""
    start, end = presence
    first = local_date(start, zone) if start else first_day
    last = local_date(end, zone) - DAY if end else last_day - DAY
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def stay_for(stays: Iterable[Stay], guest: Guest, night: dt.date) -> Stay | None:
    """The most specific stay covering ``guest`` on ``night``."""
    best: Stay | None = None
    for stay in stays:
        if not (stay.first_night <= night <= stay.last_night):
            continue
        applies = (
            (stay.guest_id and stay.guest_id == guest.pk)
            or (stay.subgroup_id and stay.subgroup_id == guest.subgroup_id)
            or (stay.delegation_id and stay.delegation_id == guest.delegation_id)
            or stay.scope_rank == 0
        )
        if applies and (best is None or stay.scope_rank > best.scope_rank):
            best = stay
    return best


def lodging(
    guests: Iterable[Guest],
    presence: dict[int, Presence],
    stays: list[Stay],
    venues: dict[int, Venue],
    default: Venue | None,
    days: tuple[dt.date, dt.date],
    zone: ZoneInfo,
) -> tuple[Lodging, dict[int, list[dt.date]], list[LogisticsWarning]]:
    """Where each guest sleeps each night, their nights, and a warning per night without a
    bed. ``days`` is the visit's first and last day; ``default`` the visit's lodging."""
    where: Lodging = {}
    per_guest: dict[int, list[dt.date]] = {}
    warnings = []
    for guest in guests:
        arrival, departure = presence[guest.pk]
        if arrival and departure and departure <= arrival:
            per_guest[guest.pk] = []  # already warned about: no night to count
            continue
        per_guest[guest.pk] = nights(*days, presence[guest.pk], zone)
        for night in per_guest[guest.pk]:
            stay = stay_for(stays, guest, night)
            if stay is not None:
                where[(guest.pk, night)] = (venues[stay.venue_id], stay)
                continue
            fallback = (guest.subgroup.lodging if guest.subgroup_id else None) or default
            if fallback is not None:
                where[(guest.pk, night)] = (fallback, None)
            else:
                warnings.append(
                    LogisticsWarning(
                        "no_lodging",
                        {"guest": guest.full_name, "night": night},
                        {"guest": guest.pk, "night": night.isoformat()},
                    )
                )
    return where, per_guest, warnings
