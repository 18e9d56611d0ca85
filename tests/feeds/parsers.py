"""Each feed goes through three independent parsers and the wire checks none of them does."""

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

JS = Path(__file__).resolve().parents[1] / "js"


def parse_icalendar(body: bytes) -> Calendar:
    cal = Calendar.from_ical(body)
    assert [(c.name, c.errors) for c in cal.walk() if c.errors] == []
    cal.validate()
    return cal


def parse_vobject(body: bytes):
    return vobject.readOne(body.decode("utf-8"), validate=True)


def _node_or_skip() -> str:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not (JS / "node_modules" / "ical.js").is_dir():
        missing = "ical.js is not installed: run `npm ci --prefix tests/js` (make js-deps)"
    if missing:
        # CI must run Thunderbird's parser: there, a missing parser is a failure, not a skip.
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"ical.js tests cannot run under CI: {missing}")
        pytest.skip(missing)
    return node


def parse_icaljs(body: bytes) -> dict:
    node = _node_or_skip()
    run = subprocess.run(
        [node, str(JS / "parse_feed.mjs")], input=body, capture_output=True, timeout=60
    )
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout)


def wire_lines(body: bytes) -> list[bytes]:
    """Physical lines; asserts CRLF only, at most 75 octets, and whole UTF-8 characters."""
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold that split a character would not decode
    return lines


def unfolded(body: bytes) -> list[str]:
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def check_all(body: bytes) -> tuple[Calendar, dict]:
    """Every parser and wire check; returns icalendar's and ical.js's views."""
    wire_lines(body)
    cal = parse_icalendar(body)
    parse_vobject(body)
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for event in events:
        assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert event["DTEND"].dt > event["DTSTART"].dt
        for name in ("DTSTART", "DTEND"):
            # No floating times, and a VTIMEZONE for every TZID.
            assert event[name].dt.tzinfo is not None
            assert event[name].params["TZID"] in zones
    return cal, parse_icaljs(body)
