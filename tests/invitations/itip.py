"""Replies as a calendar client writes them, built with vobject (not icalendar, which the
app writes and reads with), and the invitations as every parser reads them."""

import datetime as dt
import email.policy
import email.utils
import json
import subprocess
from email.message import EmailMessage
from pathlib import Path

import vobject
from dateutil.tz import UTC  # vobject knows dateutil's UTC, not datetime's
from icalendar import Calendar

from tests.feeds.parsers import _node_or_skip, parse_vobject, wire_lines

ORGANIZER = "rencontres@example.org"


def reply_ics(
    *, uid: str, sequence: int, attendee: str, partstat: str, start: dt.datetime, end=None
) -> str:
    cal = vobject.iCalendar()
    cal.add("method").value = "REPLY"
    event = cal.add("vevent")
    event.add("uid").value = uid
    event.add("dtstamp").value = dt.datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    event.add("dtstart").value = start.astimezone(UTC)
    event.add("dtend").value = (end or start + dt.timedelta(hours=1)).astimezone(UTC)
    event.add("sequence").value = str(sequence)
    event.add("summary").value = "Accepted: a meeting" if partstat == "ACCEPTED" else "Reply"
    organizer = event.add("organizer")
    organizer.value = f"mailto:{ORGANIZER}"
    person = event.add("attendee")
    person.value = f"mailto:{attendee}"
    person.params["PARTSTAT"] = [partstat]
    person.params["CN"] = ["The host"]
    return cal.serialize()


def reply_email(
    *,
    uid: str,
    sequence: int,
    attendee: str,
    partstat: str,
    start: dt.datetime,
    sender: str | None = None,
    attached: bool = False,
    ics: str | None = None,
) -> bytes:
    """A REPLY email like Gmail's or Outlook's: the calendar as an alternative part
    (text/calendar; method=REPLY), or attached as invite.ics (Apple Mail)."""
    ics = (
        ics
        if ics is not None
        else reply_ics(
            uid=uid, sequence=sequence, attendee=attendee, partstat=partstat, start=start
        )
    )
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = f"The host <{sender or attendee}>"
    message["To"] = ORGANIZER
    message["Subject"] = f"{partstat.title()}: invitation"
    message["Message-ID"] = email.utils.make_msgid()
    message.set_content(f"{partstat} by the calendar.\n")
    if attached:
        message.add_attachment(
            ics.encode(), maintype="application", subtype="ics", filename="invite.ics"
        )
    else:
        message.add_alternative(ics, subtype="calendar", params={"method": "REPLY"})
    return message.as_bytes()


def method_and_sequence(body: bytes) -> dict:
    """An invitation read by icalendar, vobject and ical.js: each must read the same METHOD,
    UID and SEQUENCE (and CANCEL must read STATUS:CANCELLED)."""
    wire_lines(body)
    cal = Calendar.from_ical(body)
    assert [(c.name, c.errors) for c in cal.walk() if c.errors] == []
    cal.validate()
    (event,) = cal.walk("VEVENT")
    seen = {
        "icalendar": (
            str(cal["METHOD"]),
            str(event["UID"]),
            int(event["SEQUENCE"]),
            str(event["STATUS"]),
        )
    }
    vcal = parse_vobject(body)
    vevent = vcal.vevent
    seen["vobject"] = (
        vcal.method.value,
        vevent.uid.value,
        int(vevent.sequence.value),
        vevent.status.value,
    )
    js = parse_itip_js(body)
    (jevent,) = js["events"]
    seen["ical.js"] = (js["method"], jevent["uid"], jevent["sequence"], jevent["status"])
    return seen


def parse_itip_js(body: bytes) -> dict:
    node = _node_or_skip()
    run = subprocess.run(
        [node, str(Path(__file__).with_name("parse_itip.mjs"))],
        input=body,
        capture_output=True,
    )
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout)
