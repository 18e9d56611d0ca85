"""Field types shared by the API's input schemas.

Bounds live here once so that no request can reach the database with a value it cannot store
(a 64-bit overflow, a NUL byte PostgreSQL refuses): such input is a 422 naming the field.
"""

import datetime as dt
import re
from typing import Annotated

from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

MAX_ID = 2**31 - 1


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value) or "\x7f" in value:
        raise ValueError("control characters are not allowed")
    return value


def _single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
    AfterValidator(_single_line),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(_no_control_characters),
    AfterValidator(_single_line),
]
LongText = Annotated[
    str, StringConstraints(max_length=20_000), AfterValidator(_no_control_characters)
]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=12, pattern=r"^\w+$")
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Instant = AwareDatetime


class InSchema(Schema):
    """Input schemas reject unknown fields, so a typo is an error rather than ignored."""

    model_config = ConfigDict(extra="forbid")


# An address, or empty: validated by Django's EmailValidator in the model, bounded here.
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_single_line)
]
Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[-a-z0-9_]+$"),
]

_CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


def _parse_clock(value):
    """A wall-clock time of the visit's own zone: "HH:MM", no offset (it is not an instant)."""
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or not re.fullmatch(_CLOCK_PATTERN, value):
        raise ValueError("must be a local time HH:MM (24-hour, no time zone)")
    return dt.time.fromisoformat(value)


ClockTime = Annotated[
    dt.time,
    BeforeValidator(_parse_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _CLOCK_PATTERN, "example": "08:30"}),
]
