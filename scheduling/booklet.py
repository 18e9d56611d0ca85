"""The printed programme a delegation carries: each day's activities in order, with times,
places and addresses, hosts and interpreters, then a contact list — in one language, or in two
side by side.

Pure layout from a version's slots (already fetched, as for the timetable); every text a
person reads is produced under ``translation.override`` of each language, so French dates
and Spanish language names come out of Babel and the catalogues, not out of this module.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from planner import i18n
from scheduling.spoken import languages_text


@dataclass
class Text:
    """What one entry says in one language."""

    title: str
    kind: str
    languages: str


@dataclass
class Entry:
    time: str
    texts: list[tuple[str, Text]]
    venue: str
    address: str
    map_url: str
    hosts: list[str]
    interpreters: list[str]
    status: str
    travel: list[tuple[str, str]] = field(default_factory=list)  # the leg before it
    has_travel: bool = False


@dataclass
class Day:
    labels: list[tuple[str, str]]
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Contact:
    name: str
    role: list[tuple[str, str]]
    affiliation: str
    phone: str
    email: str


@dataclass
class Booklet:
    languages: list[str]
    titles: list[tuple[str, str]]  # "Programme" in each language
    dates: list[tuple[str, str]]
    days: list[Day]
    contacts: list[Contact]


def _in_each(languages: list[str], make) -> list[tuple[str, object]]:
    """(language, what ``make`` says in it) for each language: templates set lang= from it."""
    out = []
    for code in languages:
        with translation.override(code):
            out.append((code, make(code)))
    return out


def build(*, visit, slots, travel: dict[tuple[int, int], int], languages: list[str]) -> Booklet:
    """Lay out ``slots`` (activity, venue, assignments and host links prefetched)."""
    zone = ZoneInfo(visit.time_zone)
    days: dict[dt.date, Day] = {}
    contacts: dict[tuple[str, int], Contact] = {}
    previous: dict[dt.date, object] = {}
    for slot in sorted(slots, key=lambda s: s.start):
        if slot.status == "cancelled":
            continue
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        date = start.date()
        day = days.get(date)
        if day is None:
            day = days[date] = Day(_in_each(languages, lambda _c, d=date: i18n.full_date(d)))
        activity, venue = slot.activity, slot.venue
        minutes = 0
        if date in previous and previous[date].venue_id != slot.venue_id:
            minutes = travel.get((previous[date].venue_id, slot.venue_id), 0)
        previous[date] = slot
        hosts = sorted(activity.host_links.all(), key=lambda h: h.person.full_name)
        interpreters = sorted(
            {a.interpreter.person for a in slot.assignments.all()}, key=lambda p: p.full_name
        )
        day.entries.append(
            Entry(
                time=i18n.time_range(start, end, zone, locale=languages[0]),
                texts=_in_each(
                    languages,
                    lambda code, a=activity, chosen=slot.languages: Text(
                        a.title_in(code),
                        a.get_kind_display(),
                        languages_text(chosen, a.languages),
                    ),
                ),
                venue=venue.name,
                address=venue.full_address,
                map_url=venue.map_url,
                hosts=[
                    h.person.full_name + (f" ({h.person.position})" if h.person.position else "")
                    for h in hosts
                ],
                interpreters=[p.full_name for p in interpreters],
                status=slot.status,
                has_travel=bool(minutes),
                travel=_in_each(
                    languages,
                    lambda _c, m=minutes: (
                        _("%(duration)s on the road") % {"duration": i18n.duration(m)} if m else ""
                    ),
                ),
            )
        )
        for h in hosts:
            _contact(contacts, ("host", h.person.pk), h.person, "host", languages)
        for p in interpreters:
            _contact(contacts, ("interpreter", p.pk), p, "interpreter", languages)
    return Booklet(
        languages=languages,
        titles=_in_each(languages, lambda _c: _("Programme")),
        dates=_in_each(languages, lambda _c: i18n.date_range(visit.start_date, visit.end_date)),
        days=[days[d] for d in sorted(days)],
        contacts=sorted(contacts.values(), key=lambda c: c.name),
    )


def _contact(contacts: dict, key, person, role: str, languages: list[str]) -> None:
    if key in contacts:
        return
    label = {"host": lambda _c: _("host"), "interpreter": lambda _c: _("interpreter")}[role]
    contacts[key] = Contact(
        name=person.full_name,
        role=_in_each(languages, label),
        affiliation=person.affiliation.name if person.affiliation_id else "",
        phone=person.phone,
        email=person.email,
    )
