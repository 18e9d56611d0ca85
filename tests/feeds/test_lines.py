"""The direct VEVENT writer (feeds.lines) writes icalendar's bytes: every event ``render._event``
builds, written by the writer and by icalendar's ``Event`` from the same calls, is the same
bytes, for ordinary events of every kind and for hostile texts; what icalendar refuses, the
writer refuses."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import to_locale
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Event, Parameters, vText
from icalendar.error import InvalidCalendar
from icalendar.parser.string import _foldline

from feeds import lines, render
from tests.feeds.test_feeds import CHANGED, HALL, PARIS
from tests.feeds.test_feeds import item as feed_item

FARM = render.Place("Ferme de la Bouriette", "Route de Rennes", "Couiza", "FR")
TEAM = (render.Interpreting("Ann Hitchman", (("fr", "en"), ("en", "fr"))),)
URL = "https://planner.example/answers/a1b2c3/?slot=12&x=a,b;c"


def item(**kw) -> render.Item:
    """test_feeds' item with more to escape and write: TEXT specials, two hosts, a sequence."""
    rich = dict(
        status="confirmed",
        sequence=3,
        modified=CHANGED + dt.timedelta(days=1, seconds=7),
        title="Rencontre avec le maire, l'équipe; et les élus",
        text="Échanges avec les acteurs du territoire.\nQuestions, débat.",
        hosts=(("Eric Andrieu", "maire"), ("Librairie", "")),
        interpreters=TEAM,
        languages=("fr", "en"),
        category="meeting",
    )
    return feed_item(**{**rich, **kw})


def written(it, audience="guest", url="", lang="fr", zone="Europe/Paris", new=None):
    """An event's bytes, by the writer (``new`` None) or by icalendar (``Event.new``)."""
    with translation.override(lang):
        args = (it, audience, url, ZoneInfo(zone), lang, to_locale(lang))
        event = render._event(*args) if new is None else render._event(*args, new=new)
        return event.to_ical()


def same(it, **kw) -> bytes:
    ours, theirs = written(it, **kw), written(it, new=Event.new, **kw)
    assert ours == theirs
    return ours


ORDINARY = {
    "activity": item(),
    "tentative": item(status="tentative"),
    "cancelled": item(status="cancelled"),
    "proposed to a host": item(slot_status="proposed"),
    "confirmed by a host": item(slot_status="confirmed", status="tentative"),
    "no venue": item(venue=None),
    "venue without coordinates": item(venue=FARM),
    "chosen language": item(spoken="fr", listening=(("en", 3), ("es", 1), ("fr", 4))),
    "phase and questions": item(phase="Visite", questions=("Qui décide ?", "Avec quel budget ?")),
    "unknown kind": item(category="nothing-known"),
    "no text, no hosts": item(text="", hosts=(), interpreters=(), languages=()),
    "travel": item(
        uid="travel-g1-2009-03-28-v1-v2@etape.planner",
        kind="travel",
        title="",
        origin=HALL,
        destination=FARM,
        minutes=95,
        venue=None,
    ),
    "travel from nowhere": item(kind="travel", origin=None, destination=None, minutes=20),
    "cancelled travel": item(kind="travel", status="cancelled", origin=FARM, destination=HALL),
    "arrival": item(kind="journey", direction="arrival", reference="AF 1234", text="Gare"),
    "departure": item(kind="journey", direction="departure", venue=HALL, reference=""),
    "sequence 0, one minute": item(sequence=0, end=dt.datetime(2009, 3, 28, 10, 1, tzinfo=PARIS)),
    "start is end": item(end=dt.datetime(2009, 3, 28, 10, tzinfo=PARIS)),
    "times with seconds": item(
        start=dt.datetime(2009, 3, 28, 9, 59, 59, 999999, tzinfo=dt.UTC),
        created=dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=ZoneInfo("Asia/Tokyo")),
    ),
    "across summer time": item(
        start=dt.datetime(2009, 3, 29, 1, 30, tzinfo=PARIS),
        end=dt.datetime(2009, 3, 29, 3, 30, tzinfo=PARIS),
    ),
    "negative coordinates": item(venue=render.Place("Quai", "", "", "", -33.8568, -0.00001)),
    "zero coordinates": item(venue=render.Place("Null Island", "", "", "", 0.0, 0.0)),
    "a place named by its address only": item(venue=render.Place("", "", "", "", 1.5, 2.5)),
}


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
@pytest.mark.parametrize("audience", ["programme", "guest", "person", "interpreter"])
@pytest.mark.parametrize("name", ORDINARY)
def test_writer_writes_icalendars_bytes_for_every_kind_of_event(name, audience, lang):
    for url in ("", URL):
        body = same(ORDINARY[name], audience=audience, url=url, lang=lang)
        assert body.startswith(b"BEGIN:VEVENT\r\n") and body.endswith(b"END:VEVENT\r\n")


@pytest.mark.parametrize(
    "zone", ["Europe/Paris", "UTC", "Etc/UTC", "Africa/Abidjan", "Asia/Kolkata", "America/St_Johns"]
)
def test_writer_names_the_zone_as_icalendar_does(zone):
    body = same(item(), zone=zone)
    if zone in ("UTC", "Etc/UTC", "Africa/Abidjan"):  # the same as UTC for icalendar: Z
        assert b"TZID" not in body


def test_writer_writes_the_sample_a_client_reads():
    cancelled = item(status="cancelled", title="Rencontre, maire; élus", text="a \\N b, c; d")
    body = same(cancelled, url=URL, lang="en")
    assert body.decode().split("\r\n")[:8] == [
        "BEGIN:VEVENT",
        "SUMMARY;LANGUAGE=en:Cancelled: Rencontre\\, maire\\; élus",
        "DTSTART;TZID=Europe/Paris:20090328T100000",
        "DTEND;TZID=Europe/Paris:20090328T120000",
        "DTSTAMP:20090303T083007Z",
        "UID:activity-1@etape.planner",
        "SEQUENCE:3",
        "CATEGORIES;LANGUAGE=en:Meeting",
    ]
    assert b'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS="Salle des f' in body


def test_writer_refuses_an_end_before_the_start_as_icalendar_does():
    backwards = item(end=dt.datetime(2009, 3, 28, 9, 59, tzinfo=PARIS))
    for new in (None, Event.new):
        with pytest.raises(InvalidCalendar):
            written(backwards, new=new)


@pytest.mark.parametrize("value", [True, 1.0, "3"])
def test_writer_refuses_a_sequence_that_is_not_an_int(value):
    for new in (lines.VEvent.new, Event.new):
        with pytest.raises(TypeError):
            new(uid="u", stamp=CHANGED, start=CHANGED, end=CHANGED, sequence=value)


def test_writer_refuses_what_it_does_not_know():
    event = lines.VEvent.new(uid="u", stamp=CHANGED, start=CHANGED, end=CHANGED, sequence=0)
    with pytest.raises(ValueError):
        event.add("ATTENDEE", "mailto:x@example.org")
    with pytest.raises(ValueError):
        event.add("URL", "https://example.org/\r\nATTENDEE:mailto:x@example.org")
    with pytest.raises(TypeError):
        event.add("SUMMARY", 12.5)


# Hostile texts: line breaks of every kind, controls, escapes, quotes, RTL overrides, BOMs,
# combining marks, 2-, 3- and 4-byte characters (emoji), built so that they often land on the
# 75-octet fold boundary. Kept under 1,000 characters: icalendar's folding is quadratic.
SPECIALS = [
    "\r\n", "\r", "\n", "\x00", "\x1b", "\x7f", "\x85", "\t", "\\", "\\N", "\\n", ";", ",",
    ":", '"', "^", "'", "\u2019", "\u202e", "\u2066", "\u2028", "\u2029", "\ufeff", "\u0301",
    "é", "€", "😀", "𝄞", "👩‍👩‍👧", " ", "=", "ATTENDEE:mailto:evil@example.org",
]  # fmt: skip
hostile = (
    st.lists(
        st.one_of(
            st.sampled_from(SPECIALS),
            st.text(max_size=12),
            st.text(alphabet="ab", min_size=60, max_size=80),  # pushes the next one to a fold
        ),
        max_size=40,
    )
    .map("".join)
    .filter(lambda s: len(s) < 1000)
)
zones = st.sampled_from(["Europe/Paris", "UTC", "America/New_York", "Asia/Kolkata"])
moments = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(PARIS)
)
places = st.one_of(
    st.none(),
    st.builds(
        render.Place,
        hostile,
        hostile,
        hostile,
        st.sampled_from(["", "FR", "CA", "ZZ"]),
        st.one_of(st.none(), st.floats(-90, 90)),
        st.one_of(st.none(), st.floats(-180, 180)),
    ),
)


@st.composite
def hostile_items(draw):
    start = draw(moments)
    return render.Item(
        uid=draw(st.one_of(st.just("a@b"), hostile)),
        kind=draw(st.sampled_from(["activity", "travel", "journey"])),
        start=start,
        end=start + draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=3))),
        status=draw(st.sampled_from(["confirmed", "tentative", "cancelled"])),
        sequence=draw(st.integers(-(2**40), 2**40)),
        created=draw(moments),
        modified=draw(moments),
        title=draw(hostile),
        text=draw(hostile),
        slot_status=draw(st.sampled_from(["", "proposed", "confirmed"])),
        venue=draw(places),
        origin=draw(places),
        destination=draw(places),
        minutes=draw(st.integers(0, 600)),
        hosts=tuple(draw(st.lists(st.tuples(hostile, hostile), max_size=3))),
        interpreters=tuple(
            render.Interpreting(name, (("fr", "en"),))
            for name in draw(st.lists(hostile, max_size=2))
        ),
        languages=tuple(draw(st.lists(st.sampled_from(["fr", "en", "es", "xx"]), max_size=3))),
        phase=draw(hostile),
        questions=tuple(draw(st.lists(hostile, max_size=2))),
        direction=draw(st.sampled_from(["arrival", "departure"])),
        category=draw(st.sampled_from(["", "meeting", "visit", "unknown"])),
        reference=draw(hostile),
    )


def outcome(it, **kw):
    """The bytes written, or the class of the exception raised."""
    try:
        return written(it, **kw)
    except Exception as error:  # the class is what is compared
        return type(error)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    it=hostile_items(),
    audience=st.sampled_from(["programme", "guest", "person", "interpreter"]),
    lang=st.sampled_from(["fr", "en", "es"]),
    zone=zones,
    url=st.sampled_from(["", URL, "\ufeffhttps://x.example/é😀", "https://x/" + "é" * 90]),
)
def test_writer_writes_icalendars_bytes_for_hostile_texts(it, audience, lang, zone, url):
    kw = dict(audience=audience, url=url, lang=lang, zone=zone)
    ours, theirs = outcome(it, **kw), outcome(it, new=Event.new, **kw)
    assert ours == theirs
    if isinstance(ours, bytes):
        assert all(len(line) <= 75 for line in ours.split(b"\r\n"))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=999).filter(lambda s: "\n" not in s))
def test_fold_is_icalendars(line):
    try:
        expected = _foldline(line).encode()
    except UnicodeEncodeError:  # a lone surrogate: both refuse it
        with pytest.raises(UnicodeEncodeError):
            lines.fold(line)
        return
    assert lines.fold(line) == expected


@pytest.mark.parametrize("special", ["\\", "^", "é", "€", "😀", "\\\\", "^^", "a"])
def test_fold_keeps_escapes_and_characters_whole_at_every_boundary(special):
    for before, after in itertools.product(range(66, 80), (0, 1, 5, 80)):
        line = "SUMMARY:" + "x" * (before - 8) + special + "y" * after
        assert lines.fold(line) == _foldline(line).encode()


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(["LANGUAGE", "X-ADDRESS", "X-TITLE", "CN", "TZID", "X-APPLE-RADIUS"]),
    value=hostile,
)
def test_parameters_are_written_as_icalendar_writes_them(name, value):
    assume(not (name == "TZID" and value == "UTC"))  # icalendar leaves TZID=UTC out
    try:
        expected = Parameters({name: value}).to_ical().decode()
    except UnicodeEncodeError:
        return
    assert f"{name}={lines.param_value(name, value)}" == expected


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_text_is_escaped_as_vtext(value):
    try:
        expected = vText(value).to_ical().decode()
    except UnicodeEncodeError:
        return
    assert lines.escape_text(value) == expected


def test_a_ten_thousand_character_name_is_written_and_read_back():
    """Only the writer: icalendar's folding takes quadratic time on it."""
    name = "Délégation 😀 " + "x\\;,^" * 2_000
    body = written(item(title=name, status="confirmed"))
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    event = Event.from_ical(body)
    assert str(event["SUMMARY"]) == name
