"""iTIP messages (RFC 5546) as iCalendar bytes: plain data in, bytes out (no database).

A REQUEST invites one attendee to one event; a CANCEL withdraws it (same UID, higher
SEQUENCE, STATUS:CANCELLED). The VTIMEZONE and the text cleaning are the feeds' own
(``feeds.render``), so an invitation and a feed of the same slot read the same way.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from feeds import render

PRODID = "-//planner//Delegation calendar invitations 1.0//EN"
REQUEST, CANCEL, REPLY = "REQUEST", "CANCEL", "REPLY"


@dataclass(frozen=True)
class Party:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Message:
    method: str  # REQUEST or CANCEL
    uid: str
    sequence: int
    stamp: dt.datetime  # aware: when this message was made (DTSTAMP)
    start: dt.datetime  # aware
    end: dt.datetime
    time_zone: str
    summary: str
    location: str
    description: str
    language: str
    organizer: Party
    attendee: Party
    # An answer is asked for only when replies are read (invitations.conf.imap): else a
    # reply would go to a mailbox nobody reads, and the person answers on their page.
    rsvp: bool = True


def _address(party: Party, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    name = " ".join(render.clean_text(party.name).split())
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = value
    return address


def _text(event: Event, name: str, value: str, language: str) -> None:
    value = render.clean_text(value)
    if value:
        event.add(name, value, parameters={"LANGUAGE": language})


def message_render(message: Message) -> bytes:
    """The iCalendar object of one iTIP message (METHOD, one VTIMEZONE, one VEVENT)."""
    zone = ZoneInfo(message.time_zone)
    start, end = message.start.astimezone(zone), message.end.astimezone(zone)
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", message.method)
    cal.add_component(render.vtimezone(message.time_zone, start.date(), end.date()))
    event = Event()
    event.add("UID", message.uid)
    event.add("DTSTAMP", message.stamp.astimezone(dt.UTC))
    event.add("SEQUENCE", message.sequence)
    event.add("DTSTART", start)
    event.add("DTEND", end)
    _text(event, "SUMMARY", message.summary, message.language)
    _text(event, "LOCATION", message.location, message.language)
    _text(event, "DESCRIPTION", message.description, message.language)
    event.add("ORGANIZER", _address(message.organizer))
    cancel = message.method == CANCEL
    event.add(
        "ATTENDEE",
        _address(
            message.attendee,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            **({} if cancel else {"rsvp": "TRUE" if message.rsvp else "FALSE"}),
        ),
    )
    event.add("STATUS", "CANCELLED" if cancel else "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT" if cancel else "OPAQUE")
    cal.add_component(event)
    return cal.to_ical()
