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

from planner.text import (
    MULTI_LINE_PATTERN,
    MULTI_LINE_RULE,
    NAME_PATTERN,
    NAME_RULE,
    SINGLE_LINE_PATTERN,
    SINGLE_LINE_RULE,
    check_name,
    check_no_control,
    check_single_line_text,
)

MAX_ID = 2**31 - 1


# The same checks as the models' fields (planner.text), documented in the OpenAPI schema.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(check_name),
    Field(json_schema_extra={"pattern": NAME_PATTERN, "description": NAME_RULE}),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(check_single_line_text),
    Field(json_schema_extra={"pattern": SINGLE_LINE_PATTERN, "description": SINGLE_LINE_RULE}),
]
LongText = Annotated[
    str,
    StringConstraints(max_length=20_000),
    AfterValidator(check_no_control),
    Field(json_schema_extra={"pattern": MULTI_LINE_PATTERN, "description": MULTI_LINE_RULE}),
]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=12, pattern=r"^\w+$")
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Strict: ``false`` or ``"30"`` is refused, not stored as 0 or 30 minutes.
Minutes = Annotated[int, Field(ge=0, le=24 * 60, strict=True)]
Count = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]
Flag = Annotated[bool, Field(strict=True)]


def _instant_text(value):
    # pydantic's lax mode reads a number as seconds since 1970: `"time": 0` was stored as
    # 1970-01-01. An instant is written as text (ISO 8601 with its offset).
    if isinstance(value, (str, dt.datetime)):
        return value
    raise ValueError("must be a date and time as text, ISO 8601 with its offset")


Instant = Annotated[AwareDatetime, BeforeValidator(_instant_text)]


class InSchema(Schema):
    """Input schemas reject unknown fields, so a typo is an error rather than ignored."""

    model_config = ConfigDict(extra="forbid")


# An address, or empty: validated by Django's EmailValidator in the model, bounded here.
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254),
    AfterValidator(check_single_line_text),
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
