"""Calendar building: plain data in, iCalendar bytes out (no request, no database).

The callers (``feeds.views``, the hosts' emails) decide who sees what (``feeds.selectors``);
this module decides how it is written, so that every client reads it the same way (see
/work/shared/FEEDS.md): stable UIDs and SEQUENCE as given, times from the data only (same
input, same bytes), one VTIMEZONE per zone written from the zone database for the dates
covered (no RDATE lists, which Outlook ignores), no METHOD and no ATTENDEE (clients would
send invitations), text in the subscriber's language with LANGUAGE=, and user text cleaned so
it cannot break a line.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vText,
)

from events.models import Activity
from feeds import lines
from planner import i18n
from planner.languages import text_language
from scheduling.spoken import languages_text

PRODID = "-//planner//Delegation programme feeds 1.0//EN"
REFRESH = dt.timedelta(hours=1)

# C0 controls but tab and newline, DEL and C1 controls: meaningless in a calendar and refused
# by strict parsers. CR is turned into a newline first, so no text ever ends a content line.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    text = str(value or "")
    if text.isprintable():  # no line break, no control character: nothing to take out
        return text.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", text).strip()


@dataclass(frozen=True)
class Place:
    name: str
    address: str = ""
    city: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Interpreting:
    name: str
    directions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Item:
    """One event as the subscriber should see it (status already per subscriber)."""

    uid: str
    kind: str  # "activity", "travel" or "journey" (a guest's arrival or departure)
    start: dt.datetime  # aware
    end: dt.datetime
    status: str  # "confirmed", "tentative", "cancelled"
    sequence: int
    created: dt.datetime
    modified: dt.datetime
    title: str = ""
    text: str = ""
    slot_status: str = ""
    venue: Place | None = None
    origin: Place | None = None
    destination: Place | None = None
    minutes: int = 0
    hosts: tuple[tuple[str, str], ...] = ()  # (name, position)
    interpreters: tuple[Interpreting, ...] = ()
    languages: tuple[str, ...] = ()
    spoken: str = ""  # the language chosen, and (language, guests) listening: see spoken.py
    listening: tuple[tuple[str, int], ...] = ()
    phase: str = ""
    questions: tuple[str, ...] = ()
    direction: str = ""  # of a journey: "arrival" or "departure"
    category: str = ""  # of an activity: its kind (events.Activity.Kind: "meeting", ...)
    reference: str = ""  # of a journey: flight or train number, booking


@dataclass(frozen=True)
class Feed:
    uid: str
    audience: str  # "programme", "guest", "person" (a host), "interpreter"
    visit_title: str
    subject_name: str
    language: str
    time_zone: str
    first_date: dt.date
    last_date: dt.date
    items: tuple[Item, ...] = field(default=())
    url: str = ""  # the page each event links to (URL): a host's answer page


ACTIVITY_KINDS = Activity.Kind.choices  # (code, lazy label)
STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}


def feed_render(feed: Feed) -> bytes:
    lang = text_language(feed.language)
    with translation.override(lang):
        return _render(feed, lang, to_locale(lang))


def feed_name(audience: str, visit_title: str, subject_name: str) -> str:
    """The calendar's name, on one line, in the active language."""
    name = clean_text(
        _("%(visit)s: full programme") % {"visit": visit_title}
        if audience == "programme"
        else _("%(visit)s: %(name)s") % {"visit": visit_title, "name": subject_name}
    )
    return " ".join(name.split())


_END = b"END:VCALENDAR\r\n"


def _render(feed: Feed, lang: str, locale: str) -> bytes:
    """The calendar's own lines, then its VTIMEZONE and its events, each written once per
    content and kept (``_vtimezone_bytes``, ``_event_bytes``): the same bytes icalendar writes
    for the whole calendar, since it writes a component's lines alone, without its parent."""
    head = _head(
        feed.uid, feed_name(feed.audience, feed.visit_title, feed.subject_name), feed.time_zone
    )
    parts = [head, _vtimezone_bytes(feed.time_zone, feed.first_date, feed.last_date)]
    for item in sorted(feed.items, key=lambda i: (i.start, i.uid)):
        args = (item, feed.audience, feed.url, feed.time_zone, lang, locale)
        try:
            parts.append(_event_bytes(*args))
        except TypeError:  # an item holding a list cannot be a key: written, not kept
            parts.append(_event_bytes.__wrapped__(*args))
    parts.append(_END)
    return b"".join(parts)


@functools.lru_cache(maxsize=256)
def _head(uid: str, name: str, time_zone: str) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties (without its END)."""
    # uid and every time given explicitly: Calendar.new would make them random / now.
    cal = Calendar.new(prodid=PRODID, uid=uid, refresh_interval=REFRESH)
    # The name on one line and as TEXT: Calendar.new(name=...) stores NAME and X-WR-CALNAME
    # unescaped (vUnknown), which writes a name's line break as a new content line (a new
    # property, under ``python -O`` where icalendar's assert does not stop it).
    for prop in ("NAME", "X-WR-CALNAME"):
        cal.add(prop, vText(name))
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    cal.add("X-WR-TIMEZONE", time_zone)
    body = cal.to_ical()
    assert body.endswith(_END)
    return body[: -len(_END)]


@functools.lru_cache(maxsize=256)
def _vtimezone_bytes(zone_name: str, first: dt.date, last: dt.date) -> bytes:
    return _vtimezone(zone_name, first, last).to_ical()


# An event's bytes depend on the item, the audience (its notes), the page URL, the zone and the
# language only: a feed's events are written once and reused by every later render (a new
# publication renders only what changed). Bounded: about 1 KB an event. Written by
# ``lines.VEvent``, icalendar's bytes without its object model (a tenth of the time: the first
# render after a publication writes every event); tests/feeds/test_lines.py holds it to
# icalendar's ``Event`` byte for byte.
@functools.lru_cache(maxsize=8192)
def _event_bytes(
    item: Item, audience: str, url: str, time_zone: str, lang: str, locale: str
) -> bytes:
    return _event(item, audience, url, ZoneInfo(time_zone), lang, locale).to_ical()


def _text(event: Event | lines.VEvent, name: str, value: str, lang: str) -> None:
    value = clean_text(value)
    if value:
        event.add(name, value, parameters={"LANGUAGE": lang})


def _summary(item: Item) -> str:
    if item.kind == "travel":
        origin = item.origin.name if item.origin else "?"
        destination = item.destination.name if item.destination else "?"
        summary = _("Travel: %(origin)s → %(destination)s") % {
            "origin": origin,
            "destination": destination,
        }
    elif item.kind == "journey":
        place = item.venue.name if item.venue else "?"
        summary = (
            _("Arrival: %(place)s") if item.direction == "arrival" else _("Departure: %(place)s")
        ) % {"place": place}
    else:
        summary = item.title
    if item.status == "cancelled":
        # Outlook has no cancelled state for appointments: the title says it.
        summary = _("Cancelled: %(title)s") % {"title": clean_text(summary)}
    return summary


def _event(
    item: Item,
    audience: str,
    url: str,
    zone: ZoneInfo,
    lang: str,
    locale: str,
    new=lines.VEvent.new,
) -> Event | lines.VEvent:
    """The event, built by ``new``: the direct writer's, or ``icalendar.Event.new`` (the
    reference the tests compare it with: both are given the same calls)."""
    event = new(
        uid=item.uid,
        stamp=item.modified.astimezone(dt.UTC),
        start=item.start.astimezone(zone),
        end=item.end.astimezone(zone),
        sequence=item.sequence,
        created=item.created.astimezone(dt.UTC),
        last_modified=item.modified.astimezone(dt.UTC),
    )
    event.add("STATUS", STATUS[item.status])
    if item.status == "cancelled":
        event.add("TRANSP", "TRANSPARENT")  # a cancelled event leaves the time free
    _text(event, "SUMMARY", _summary(item), lang)
    if url:
        event.add("URL", url)
    event.add("CATEGORIES", [_category(item, lang)], parameters={"LANGUAGE": lang})
    if item.kind == "travel":
        _text(event, "DESCRIPTION", _travel_description(item, locale), lang)
        _place(event, item.origin, lang, locale)
        return event
    if item.kind == "journey":
        _text(event, "DESCRIPTION", "\n".join(p for p in (item.reference, item.text) if p), lang)
        _place(event, item.venue, lang, locale)
        return event
    _text(event, "DESCRIPTION", _description(item, audience, locale, lang), lang)
    _place(event, item.venue, lang, locale)
    return event


def _kept(function):
    """``function`` with its results kept by argument (the first render after a publication
    writes the same hosts, team, languages and places again and again), or computed when an
    argument cannot be a key (an item holding a list)."""
    kept = functools.lru_cache(maxsize=1024)(function)

    @functools.wraps(function)
    def call(*args):
        try:
            return kept(*args)
        except TypeError:
            return function(*args)

    call.cache_clear = kept.cache_clear
    return call


def _category(item: Item, lang: str | None = None) -> str:
    """CATEGORIES, in the reader's language: the kind of activity, travel, arrival, departure."""
    return _category_text(item.kind, item.direction, item.category, lang or get_language())


@_kept
def _category_text(kind: str, direction: str, category: str, lang: str) -> str:
    if kind == "travel":
        return capfirst(_("travel"))
    if kind == "journey":
        return _("Arrival") if direction == "arrival" else _("Departure")
    kinds = dict(ACTIVITY_KINDS)
    return capfirst(str(kinds[category])) if category in kinds else _("Activity")


def _param(value: str) -> str:
    """A parameter value on one line, without the double quote no parameter can hold."""
    return " ".join(clean_text(value).replace('"', "'").split())


def _place(event: Event | lines.VEvent, place: Place | None, lang: str, locale: str) -> None:
    """LOCATION, and where the place has coordinates GEO and Apple's structured location (the
    map pin Apple Calendar shows and uses for travel time)."""
    if place is None:
        return
    address, pin = _place_text(place, locale)
    _text(event, "LOCATION", address, lang)
    if place.latitude is None or place.longitude is None:
        return
    lat, lon = round(place.latitude, 6), round(place.longitude, 6)
    event.add("GEO", (lat, lon))
    event.add("X-APPLE-STRUCTURED-LOCATION", f"geo:{lat},{lon}", parameters=dict(pin))


@_kept
def _place_text(place: Place, locale: str) -> tuple[str, tuple]:
    """A place's address, and the map pin's parameters: its address and title (its address
    when it has no name). Its coordinates are not read here: 0.0 and -0.0, equal keys, are
    written apart."""
    address = _address(place, locale)
    pin_address = _param(address)
    pin = (
        ("VALUE", "URI"),  # the value (geo:lat,lon) is a URI
        ("X-ADDRESS", pin_address),
        ("X-APPLE-RADIUS", "70"),
        ("X-TITLE", _param(place.name) or pin_address),
    )
    return address, pin


# CLDR lookups parse the locale each time: a feed repeats the same few names many times.
@functools.lru_cache(maxsize=1024)
def _language_name(code: str, locale: str) -> str:
    return i18n.language_name(code, locale)


@functools.lru_cache(maxsize=1024)
def _country_name(code: str, locale: str) -> str:
    return i18n.country_name(code, locale)


@functools.lru_cache(maxsize=4096)
def _names(items: tuple[str, ...], locale: str) -> str:
    return i18n.names(list(items), locale)


def _address(place: Place, locale: str) -> str:
    parts = [place.name, place.address]
    if place.city and place.city not in place.address:
        parts.append(place.city)
    if place.country:
        parts.append(_country_name(place.country, locale))
    return ", ".join(clean_text(p) for p in parts if clean_text(p))


def _direction(pair: tuple[str, str], locale: str) -> str:
    return " → ".join(_language_name(code, locale) for code in pair)


def _description(item: Item, audience: str, locale: str, lang: str | None = None) -> str:
    """The notes, in the active language (``lang``, when given: the caller's override), each
    line cleaned (the lines kept by ``_kept`` are kept cleaned)."""
    lang = lang or get_language()
    lines = []
    if item.status == "cancelled":
        lines += [clean_text(_("Cancelled: this no longer takes place at this time.")), ""]
    if item.text:
        lines += [clean_text(item.text), ""]
    if item.hosts:
        lines.append(_hosts_line(item.hosts, locale, lang))
    if item.interpreters:
        lines.append(_team_line(item.interpreters, locale, lang))
    if item.languages or item.spoken:
        lines.append(_languages_line(item.languages, item.spoken, item.listening, locale, lang))
    if item.phase:
        lines.append(clean_text(_("Phase: %(phase)s") % {"phase": item.phase}))
    for question in item.questions:
        lines.append(clean_text(_("Reading grid: %(question)s") % {"question": question}))
    if audience == "person" and item.status != "cancelled":
        answer = {
            "proposed": _("Proposed: waiting for your answer."),
            "confirmed": _("You confirmed this time."),
        }.get(item.slot_status)
        if answer:
            lines.append(clean_text(answer))
    elif item.status == "tentative":
        lines.append(clean_text(_("To be confirmed by the host.")))
    return "\n".join(lines)


# The lines a programme repeats from event to event, kept per language (``lang``: the active
# one, which the strings are translated into).
@_kept
def _hosts_line(hosts: tuple, locale: str, lang: str) -> str:
    names = [f"{n} ({p})" if p else n for n, p in hosts]
    return clean_text(_("Hosts: %(names)s") % {"names": _names(tuple(names), locale)})


@_kept
def _team_line(interpreters: tuple, locale: str, lang: str) -> str:
    team = [
        "{} ({})".format(i.name, ", ".join(_direction(tuple(d), locale) for d in i.directions))
        for i in interpreters
    ]
    return clean_text(_("Interpreters: %(names)s") % {"names": _names(tuple(team), locale)})


@_kept
def _languages_line(languages: tuple, spoken: str, listening: tuple, locale: str, lang: str) -> str:
    chosen = {"spoken": spoken, "listening": [(0, c, n) for c, n in listening]}
    text = _("Languages: %(names)s") % {"names": languages_text(chosen, languages, locale)}
    return clean_text(text)


def forget() -> None:
    """Forget everything rendering keeps by content (events' bytes, zones, heads, repeated
    lines, the writer's lines and times): what the first render of a new process finds. CLDR
    names and zone transitions stay, as they always did (they are per locale or zone)."""
    for kept in (
        _event_bytes,
        _vtimezone_bytes,
        _head,
        _place_text,
        _hosts_line,
        _team_line,
        _languages_line,
        _category_text,
    ):
        kept.cache_clear()
    lines.forget()


def _travel_description(item: Item, locale: str) -> str:
    return _("Travel time: %(duration)s") % {"duration": i18n.duration(item.minutes, locale)}


@functools.lru_cache(maxsize=64)
def _transitions(zone_name: str, first: dt.date, last: dt.date) -> tuple:
    """(utc instant, offset before, offset after, dst after, name after) in [first, last]."""
    zone = ZoneInfo(zone_name)
    start = dt.datetime.combine(first, dt.time(), dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC)

    def offset(t):
        return t.astimezone(zone).utcoffset()

    found = []
    t = start
    step = dt.timedelta(hours=6)  # zones change at most twice a year, never twice in 6 hours
    while t < end:
        nxt = t + step
        if offset(nxt) != offset(t):
            lo, hi = t, nxt  # the change happens in (lo, hi]: narrow it to the minute
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    break
                lo, hi = (mid, hi) if offset(mid) == offset(lo) else (lo, mid)
            after = hi.astimezone(zone)
            found.append((hi, offset(lo), after.utcoffset(), _daylight(after), after.tzname()))
        t = nxt
    return tuple(found)


def _daylight(local: dt.datetime) -> bool:
    """Whether a local time is summer time as calendars mean it (the DAYLIGHT part, the larger
    offset). tzdata writes Ireland's winter as a negative saving (IST its standard time):
    taken as is, GMT would be the DAYLIGHT part and IST the STANDARD one."""
    saving = local.dst()
    if saving:
        return saving > dt.timedelta(0)
    # No saving now: summer time all the same when the saving is negative later in the year.
    return any((local + dt.timedelta(days=d)).dst() < dt.timedelta(0) for d in (91, 182, 273))


def _observance(instant: dt.datetime, before, after, dst: bool, tzname: str) -> tuple:
    """A transition as an observance: DTSTART in the local time before it (RFC 5545)."""
    return ((instant + before).replace(tzinfo=None), before, after, dst, tzname)


def _earlier_standard(zone_name: str, opening: dt.datetime) -> list[tuple]:
    """The observances in force at ``opening`` when it falls in daylight time: the last change
    into standard time before it, and the change into daylight time that followed. Outlook wants
    a STANDARD part in every VTIMEZONE (MS-OXCICAL), even for a programme in summer."""
    day = opening.date()
    window = _transitions(zone_name, day - dt.timedelta(days=800), day)
    earlier = [t for t in window if t[0] <= opening]
    for i in range(len(earlier) - 1, -1, -1):
        if not earlier[i][3]:
            return [_observance(*t) for t in earlier[i:]]
    # No standard time in two years (a zone kept on summer time): its offset, as standard.
    return [(dt.datetime(1970, 1, 1), opening.utcoffset(), opening.utcoffset(), False, "")]


def vtimezone(zone_name: str, first: dt.date, last: dt.date) -> Timezone:
    """A VTIMEZONE valid from a day before ``first`` to a day after ``last``: the offset in
    force at the start (with the change into it, and the standard time before, when it is
    daylight time), then one observance per transition (DTSTART in the local time before it, as
    RFC 5545 wants), no RRULE or RDATE."""
    first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    zone = ZoneInfo(zone_name)
    tz = Timezone()
    tz.add("TZID", zone_name)
    opening = dt.datetime.combine(first, dt.time(), zone)
    if _daylight(opening):
        observances = _earlier_standard(zone_name, opening)
        if observances[-1][3]:  # the daylight part starts at its real change
            opening = None
    else:
        observances = []
    if opening is not None:
        offset = opening.utcoffset()
        observances.append(
            (opening.replace(tzinfo=None), offset, offset, _daylight(opening), opening.tzname())
        )
    for transition in _transitions(zone_name, first, last):
        observances.append(_observance(*transition))
    for local_start, before, after, dst, tzname in observances:
        part = TimezoneDaylight() if dst else TimezoneStandard()
        part.add("DTSTART", local_start)
        part.add("TZOFFSETFROM", before)
        part.add("TZOFFSETTO", after)
        if tzname:
            part.add("TZNAME", tzname)
        tz.add_component(part)
    return tz


_vtimezone = vtimezone  # the name it had before it was public
