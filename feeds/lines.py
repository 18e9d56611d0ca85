"""A VEVENT written as content lines directly: the bytes icalendar writes, without its objects.

icalendar's object model (a property object per value, a Parameters dictionary each, content
lines parsed back for folding) costs about half a millisecond an event: a 60-event feed's first
render after a publication spent 30 ms there, as long as django-ical's whole feed. This writer
takes the same calls ``feeds.render._event`` makes on an ``icalendar.Event`` (``new``, ``add``,
``to_ical``) for the properties a feed writes, and writes what icalendar 7 writes, byte for
byte: properties in icalendar's order (the VEVENT canonical order, then by name, each name's
values in the order added), TEXT escaped as vText, parameters sorted, RFC 6868-escaped and
quoted as icalendar quotes them, a leading BOM dropped from a value as icalendar's decoding
drops it, lines folded at 75 octets as icalendar folds (never inside a UTF-8 character, an
escape's backslash or caret carried to the next line). tests/feeds/test_lines.py compares it
with icalendar on every kind of event and on hostile texts. What it does not know it refuses
(ValueError or TypeError), as it refuses what icalendar refuses (an end before the start).

icalendar stays the reference, the parser, and the writer of VTIMEZONE and the calendar head.
"""

import datetime as dt
import functools
import operator
import re

from icalendar import Event, Parameters
from icalendar.error import InvalidCalendar
from icalendar.timezone.tzid import tzid_from_tzinfo

# icalendar's own tables: the leading properties of a VEVENT and the parameters it quotes.
_ORDER = {name: i for i, name in enumerate(Event.canonical_order)}
_ALWAYS_QUOTED = frozenset(Parameters.always_quoted)
_QUOTE_ALSO = dict(Parameters.quote_also)
_QUOTABLE = re.compile("[,;:\u2019]")  # icalendar's parameter.QUOTABLE

# The value type icalendar gives each property a feed writes (types_factory), when the value
# is a string; any other name is refused rather than guessed.
_TEXT = frozenset(
    {"SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "TRANSP", "UID", "COMMENT", "CLASS"}
)
_URI = frozenset({"URL"})
_UTC_NAMES = frozenset({"DTSTAMP", "CREATED", "LAST-MODIFIED"})
_BOM = "\ufeff"


def escape_text(value: str) -> str:
    """vText's escaping (icalendar's ``_escape_char``): ``\\N`` read as a line break, then
    backslash, semicolon and comma escaped, and every line break (CRLF, LF, lone CR) as ``\\n``.
    """
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _value(text: str) -> str:
    # icalendar encodes a value and decodes it as utf-8-sig: one leading BOM goes.
    return text[1:] if text.startswith(_BOM) else text


def param_value(name: str, value: str) -> str:
    """A parameter's value as icalendar writes it: RFC 6868 (``^^``, ``^n``, ``^'``), a double
    quote as a single one, quoted when it holds ``, ; :`` or ``’`` or its name is always quoted
    (X-ADDRESS and X-TITLE among them, for Apple's structured location)."""
    if not isinstance(value, str):
        raise TypeError(f"{name}: a parameter value is a string, not {value!r}")
    also = _QUOTE_ALSO.get(name)  # looked for before the escaping, as icalendar does
    also = also is not None and any(c in value for c in also)
    value = (
        value.replace("^", "^^")
        .replace("\r\n", "^n")
        .replace("\r", "^n")
        .replace("\n", "^n")
        .replace('"', "^'")
    )
    if also or name in _ALWAYS_QUOTED or _QUOTABLE.search(value):
        return f'"{value}"'
    return value


def fold(line: str) -> bytes:
    """icalendar's folding: at most 74 octets a line before the CRLF and space, never inside a
    UTF-8 character, and a backslash or caret ending a piece moved to the next one (so an
    escape is not split). Linear in the line's length."""
    return _fold(line.encode())


def _fold(data: bytes) -> bytes:
    size = len(data)
    if size < 75:
        return data
    pieces, start = [], 0
    while size - start >= 75:
        end = start + 74
        while data[end] & 0xC0 == 0x80:  # inside a character: before it
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


@functools.lru_cache(maxsize=64)
def _tzid(tzinfo: dt.tzinfo | None) -> str | None:
    return tzid_from_tzinfo(tzinfo)


def _datetime(value: dt.datetime) -> tuple[str, str | None]:
    """A DATE-TIME's text and its TZID (None: UTC, written with Z, or a floating time)."""
    text = "%04d%02d%02dT%02d%02d%02d" % (  # noqa: UP031 - twice as fast as the f-string
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
    )
    tzid = _tzid(value.tzinfo) if value.tzinfo is not None else None
    if tzid is None:
        tzid = value.tzname()
    if tzid == "UTC":
        return text + "Z", None
    return text, tzid


def _utc(value: dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise TypeError(f"a datetime in UTC is wanted, not {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


@functools.lru_cache(maxsize=1024)
def _parameters(pairs: tuple[tuple[str, str], ...]) -> str:
    """The parameters as icalendar writes them: names in capitals, sorted, ``;``-separated
    (a feed has a few sets: the language, the zone, the place of each venue)."""
    upper = {name.upper(): value for name, value in pairs}
    return ";".join(f"{name}={param_value(name, value)}" for name, value in sorted(upper.items()))


_LAST = len(_ORDER)


class VEvent:
    """The subset of ``icalendar.Event`` a feed event uses: ``new``, ``add``, ``to_ical``."""

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: list[tuple[tuple[int, str], bytes]] = []  # (where it goes, folded line)

    @classmethod
    def new(
        cls,
        *,
        uid: str,
        stamp: dt.datetime,
        start: dt.datetime,
        end: dt.datetime,
        sequence: int,
        created: dt.datetime | None = None,
        last_modified: dt.datetime | None = None,
    ) -> "VEvent":
        """As ``icalendar.Event.new`` with these arguments (every one explicit: no random UID,
        no clock); an end before the start is refused with icalendar's InvalidCalendar."""
        if not isinstance(sequence, int) or isinstance(sequence, bool):
            raise TypeError(f"SEQUENCE must be an int, got {sequence!r}")
        if sequence < 0:
            raise InvalidCalendar(f"SEQUENCE must be >= 0, got {sequence}")
        if sequence > 2**31 - 1:  # vInt: RFC 5545's INTEGER is 32 bits
            raise ValueError(f"SEQUENCE {sequence} is outside RFC 5545's integers")
        if not isinstance(uid, str):
            raise TypeError(f"UID must be a string, got {uid!r}")
        # What ``add`` would write, without its dispatch (every event has these lines).
        event = cls()
        lines = event._lines
        lines.append((_key("DTSTAMP"), _fold(b"DTSTAMP:" + _utc_text(stamp))))
        if created is not None:
            lines.append((_key("CREATED"), _fold(b"CREATED:" + _utc_text(created))))
        if last_modified is not None:
            line = b"LAST-MODIFIED:" + _utc_text(last_modified)
            lines.append((_key("LAST-MODIFIED"), _fold(line)))
        event.add("UID", uid)
        lines.append((_key("DTSTART"), _fold(_datetime_line("DTSTART", start).encode())))
        lines.append((_key("DTEND"), _fold(_datetime_line("DTEND", end).encode())))
        lines.append((_key("SEQUENCE"), b"SEQUENCE:%d" % sequence))
        if start > end:
            raise InvalidCalendar("end must be after start")
        return event

    def add(self, name: str, value, parameters: dict[str, str] | None = None) -> None:
        pairs = tuple(parameters.items()) if parameters else ()
        if type(value) is str and len(value) <= _KEPT_LENGTH:
            # Most lines come back from event to event (status, place, category): kept.
            self._lines.append(_text_line(name, value, pairs))
        elif type(value) is list and all(type(v) is str for v in value):
            self._lines.append(_text_line(name, tuple(value), pairs))
        else:
            self._lines.append(_line(name, value, pairs))

    def to_ical(self) -> bytes:
        lines = sorted(self._lines, key=_first)  # stable: a name's values as added
        return b"\r\n".join([b"BEGIN:VEVENT", *(line for _, line in lines), b"END:VEVENT\r\n"])


_KEPT_LENGTH = 2000  # longer values are written each time, not kept


@functools.lru_cache(maxsize=4096)
def _text_line(name: str, value, pairs: tuple) -> tuple[tuple[int, str], bytes]:
    """``_line`` of a string (or of CATEGORIES' strings, as a tuple), kept."""
    return _line(name, list(value) if type(value) is tuple else value, pairs)


def _line(name: str, value, pairs: tuple) -> tuple[tuple[int, str], bytes]:
    """Where the property goes and its folded line, as icalendar writes it."""
    name = name.upper()
    tzid = None
    if isinstance(value, str):
        if name in _URI or dict(pairs).get("VALUE") == "URI":
            if "\r" in value or "\n" in value:
                raise ValueError(f"{name}: a URI cannot hold a line break")
            text = _value(str(value))
        elif name in _TEXT:
            text = _value(escape_text(value))
        else:
            raise ValueError(f"{name}: not written by this writer")
    elif isinstance(value, dt.datetime):
        if name in _UTC_NAMES:
            value = _utc(value)
        text, tzid = _datetime(value)
    elif isinstance(value, bool):
        raise TypeError(f"{name}: a boolean is not written by this writer")
    elif isinstance(value, int):
        if name != "SEQUENCE":
            raise ValueError(f"{name}: not written by this writer")
        text = str(value)
    elif isinstance(value, list) and name == "CATEGORIES":
        if not all(isinstance(v, str) for v in value):
            raise TypeError("CATEGORIES: strings are wanted")
        text = _value(",".join(escape_text(v) for v in value))
    elif isinstance(value, tuple) and name == "GEO" and len(value) == 2:
        text = f"{float(value[0])};{float(value[1])}"
    else:
        raise TypeError(f"{name}: {type(value).__name__} is not written by this writer")
    if tzid is not None:
        pairs = (*pairs, ("TZID", tzid))
    line = f"{name};{_parameters(pairs)}:{text}" if pairs else f"{name}:{text}"
    return _key(name), fold(line)


_first = operator.itemgetter(0)


@functools.cache
def _key(name: str) -> tuple[int, str]:
    """Where a property goes: icalendar's canonical order, then by name."""
    return (_ORDER.get(name, _LAST), name)


def _utc_text(value: dt.datetime) -> bytes:
    """A DTSTAMP, CREATED or LAST-MODIFIED value: in UTC, as icalendar's setters put it."""
    return _utc_format(_utc(value))


# Kept by the UTC time (a publication gives many events the same times): not by a local time,
# which compares equal to the other side of an autumn change (``fold`` ignored).
@functools.lru_cache(maxsize=1024)
def _utc_format(value: dt.datetime) -> bytes:
    return _datetime(value)[0].encode()


def _datetime_line(name: str, value: dt.datetime) -> str:
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{name}: a datetime is wanted, not {type(value).__name__}")
    text, tzid = _datetime(value)
    if tzid is None:
        return f"{name}:{text}"
    return f"{name};{_parameters((('TZID', tzid),))}:{text}"


def forget() -> None:
    """Forget the kept lines, times, parameters and zone names (see ``render.forget``)."""
    for kept in (_text_line, _utc_format, _parameters, _tzid, _key):
        kept.cache_clear()
