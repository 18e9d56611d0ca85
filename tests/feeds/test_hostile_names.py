"""Issue 16: hostile names (line breaks, an injected ATTENDEE, NUL, ESC, a right-to-left
override, 10,000 characters) in every feed kind: 200, every parser reads it, every property
is the calendar's own, no control character reaches the bytes."""

import pytest
from django.db import connection
from django.test import Client

from delegations.models import Guest
from events.models import Activity, Person, Venue, Visit
from tests.feeds.parsers import check_all, unfolded

HOSTILE = [
    "Eric\r\nATTENDEE:mailto:evil@example.org",
    "Eric\nATTENDEE;CN=x:mailto:evil@example.org",
    "Eric\rEND:VEVENT\r\nBEGIN:VEVENT",
    "Nul\x00byte and \x1b[31mescape",
    "Right\u202eto\u2066left",
    "Long " + "x" * 10_000,
    "Dupont, Jean; \\N: a comma, a semicolon, a backslash",
]
# What the feed itself writes: anything else is injected.
PROPERTIES = {
    "BEGIN", "END", "VERSION", "PRODID", "UID", "NAME", "X-WR-CALNAME", "REFRESH-INTERVAL",
    "CALSCALE", "X-PUBLISHED-TTL", "X-WR-TIMEZONE", "TZID", "DTSTART", "TZOFFSETFROM",
    "TZOFFSETTO", "TZNAME", "DTSTAMP", "DTEND", "SEQUENCE", "CREATED", "LAST-MODIFIED",
    "STATUS", "SUMMARY", "DESCRIPTION", "LOCATION", "GEO", "CATEGORIES", "URL", "TRANSP",
    "X-APPLE-STRUCTURED-LOCATION",
}  # fmt: skip


def _hostile(plan, name: str) -> None:
    """Written past the models' validation, as rows stored before it existed would be."""
    if connection.vendor == "postgresql" and ("\x00" in name or len(name) > 200):
        # PostgreSQL refuses NUL in text and enforces the 200-character columns: no such
        # row can have been stored there (SQLite holds both, so the case runs there).
        pytest.skip("PostgreSQL cannot hold this row")
    Person.objects.filter(pk=plan.mayor.pk).update(full_name=name, position=name)
    Person.objects.filter(pk=plan.interpreter.person.pk).update(full_name=name + " (2)")
    Guest.objects.filter(pk=plan.guest_fr.pk).update(full_name=name)
    Venue.objects.filter(pk=plan.hall.pk).update(name=name, address=name, city=name)
    Activity.objects.filter(pk=plan.meeting.pk).update(title=name, description=name)
    Visit.objects.filter(pk=plan.visit.pk).update(title=name)


def _feeds(plan):
    return {
        "programme": plan.feed_key(),
        "guest": plan.feed_key("guest", plan.guest_fr.pk),
        "host": plan.feed_key("person", plan.mayor.pk),
        "interpreter": plan.feed_key("interpreter", plan.interpreter.pk),
    }


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_every_feed_kind_carries_hostile_names_as_text(published, name):
    _hostile(published, name)
    for kind, key in _feeds(published).items():
        response = Client().get(f"/feeds/{key}.ics")
        assert response.status_code == 200, kind
        body = response.content
        for control in (b"\x00", b"\x1b", b"\x7f"):
            assert control not in body, kind
        lines = unfolded(body)
        written = {line.split(":")[0].split(";")[0] for line in lines}
        assert written <= PROPERTIES, (kind, written - PROPERTIES)
        assert not any(line.startswith("ATTENDEE") for line in lines), kind
        cal, js = check_all(body)
        assert len(cal.walk("VEVENT")) == len(js["events"]) >= 1, kind
        assert js["calname"] == str(cal["X-WR-CALNAME"]), kind


SCRIPT = """
import datetime as dt, django, sys
django.setup()
from feeds import render
name = "E\\r\\nATTENDEE:mailto:evil@example.org"
feed = render.Feed(uid="u", audience="person", visit_title=name, subject_name=name,
    language="en", time_zone="Europe/Paris", first_date=dt.date(2030, 1, 1),
    last_date=dt.date(2030, 1, 2))
sys.stdout.buffer.write(render.feed_render(feed))
"""


def test_python_optimised_renders_the_same_name_without_injection():
    """Under ``python -O`` icalendar's own assert is gone: the escaping must not rely on it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "planner.settings"}
    run = subprocess.run(
        [sys.executable, "-O", "-c", SCRIPT],
        capture_output=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode()
    lines = unfolded(run.stdout)
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert (
        "X-WR-CALNAME:E ATTENDEE:mailto:evil@example.org: E ATTENDEE:mailto:evil@example.org"
        in lines
    )
