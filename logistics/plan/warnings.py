"""What the logistics stages ask the organiser to look at, as codes with parameters.

The stages compute in no particular language: a warning is a stable ``code``, the plain
values its sentence needs (``params``) and the ids it is about (``refs``, the API's field).
``warning_text`` is the one place a code becomes a sentence, in the reader's active language,
so pages, the API, the publish check and letters word a warning alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from planner import i18n
from planner.codes import in_language


@dataclass(frozen=True)
class ActivityName:
    """An activity's title and its translations: shown in the reader's language."""

    title: str
    titles: dict = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, activity) -> ActivityName:
        return cls(activity.title, dict(activity.titles or {}))

    def shown(self) -> str:
        return in_language(self.titles, get_language()) or self.title


@dataclass(frozen=True)
class LegName:
    """A leg as the organiser reads it: from, to, and when it leaves (in the visit's zone)."""

    origin: str
    destination: str
    depart: dt.datetime
    zone: ZoneInfo

    def shown(self) -> str:
        return _("%(origin)s → %(destination)s at %(time)s on %(day)s") % {
            "origin": self.origin,
            "destination": self.destination,
            "time": i18n.short_time(self.depart, zone=self.zone),
            "day": i18n.full_date(self.depart.astimezone(self.zone).date()),
        }


@dataclass(frozen=True)
class LogisticsWarning:
    """Something the organiser must look at. ``code`` is stable; ``params`` are the values of
    its sentence; ``refs`` the ids it concerns."""

    code: str
    params: dict = field(default_factory=dict)
    refs: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The sentence in the active language (templates read it as ``w.message``)."""
        return warning_text(self)


def _when(value: dt.datetime, zone: ZoneInfo) -> str:
    return i18n.day_time(value, zone, sep=" ")


def _absent(p: dict) -> str:
    return _("%(guest)s is not there for “%(activity)s” (%(when)s).") % {
        "guest": p["guest"],
        "activity": p["activity"].shown(),
        "when": _when(p["start"], p["zone"]),
    }


def _lodging_over_capacity(p: dict) -> str:
    return ngettext(
        "%(venue)s sleeps %(capacity)d but %(count)d guest is booked there on "
        "the night of %(night)s.",
        "%(venue)s sleeps %(capacity)d but %(count)d guests are booked there on "
        "the night of %(night)s.",
        p["count"],
    ) % {**p, "night": i18n.full_date(p["night"])}


# One sentence per code; each reads only its own warning's params.
SENTENCES = {
    "departure_before_arrival": lambda p: _("%(guest)s leaves before arriving.") % p,
    "no_lodging": lambda p: (
        _("%(guest)s has no lodging for the night of %(night)s.")
        % {"guest": p["guest"], "night": i18n.full_date(p["night"])}
    ),
    "no_programme": lambda p: _("No programme has been published yet."),
    "guest_misses": _absent,
    "required_guest_absent": _absent,
    "no_travel_time": lambda p: _("No travel time from %(origin)s to %(destination)s.") % p,
    "late_arrival": lambda p: (
        _("%(leg)s arrives %(minutes)d minutes after “%(activity)s” starts.")
        % {**p, "leg": p["leg"].shown(), "activity": p["activity"].shown()}
    ),
    "leg_split": lambda p: (
        _(
            "%(leg)s: %(people)d people, more than any vehicle seats (%(largest)d); "
            "they ride in %(count)d vehicles."
        )
        % {**p, "leg": p["leg"].shown()}
    ),
    "seats_short": lambda p: (
        _("%(leg)s is short by %(missing)d seats (%(people)d people, %(seats)d seats).")
        % {**p, "leg": p["leg"].shown()}
    ),
    "vehicle_conflict": lambda p: (
        _("%(vehicle)s is chosen for %(leg)s but is busy or unavailable then.")
        % {**p, "leg": p["leg"].shown()}
    ),
    "stale_assignment": lambda p: (
        _("A vehicle is chosen for a leg the programme no longer has (%(leg)s).") % p
    ),
    "venue_serves_no_meals": lambda p: (
        _("“%(activity)s” is a meal at %(venue)s, which does not serve meals.")
        % {**p, "activity": p["activity"].shown()}
    ),
    "meal_over_capacity": lambda p: (
        _("“%(activity)s”: %(people)d covers, %(venue)s serves %(capacity)d.")
        % {**p, "activity": p["activity"].shown()}
    ),
    "lodging_over_capacity": _lodging_over_capacity,
}


def warning_text(warning: LogisticsWarning) -> str:
    """The warning's sentence in the active language (call under ``translation.override``
    for another reader's)."""
    return SENTENCES[warning.code](warning.params)
