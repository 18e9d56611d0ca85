"""Clean text, one rule for every way in: the models, the API schemas, the imports.

Single-line text (names, titles, notes) refuses line breaks and control characters; names
also refuse the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
let a name display as something else in an email or a calendar. Multi-line text (reasons,
descriptions) keeps tab and newline but refuses every other control character. Both strip
surrounding white space. The checks are plain functions raising ``ValueError`` (``check_*``)
so the pydantic types in ``planner.schema_types`` use the very same code as the Django
validators here.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, LF and CR (handled per kind), DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("[\r\n\u0085\u2028\u2029]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")

# For the OpenAPI schema: what a client may send (JSON Schema "pattern", ECMA-262 syntax).
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"
NAME_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
MULTI_LINE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
SINGLE_LINE_RULE = "One line: no line breaks or control characters; surrounding spaces are removed."
NAME_RULE = (
    SINGLE_LINE_RULE + " No bidirectional overrides or isolates (U+202A-U+202E, U+2066-U+2069)."
)
MULTI_LINE_RULE = "Text: line breaks and tabs allowed, no other control characters."


def check_no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


def check_single_line(value: str) -> str:
    if _LINE_BREAK.search(value) or "\t" in value:
        raise ValueError("must be a single line")
    return value


def check_no_bidi(value: str) -> str:
    if _BIDI.search(value):
        raise ValueError("bidirectional override characters are not allowed")
    return value


def check_single_line_text(value: str) -> str:
    return check_single_line(check_no_control(value))


def check_name(value: str) -> str:
    return check_no_bidi(check_single_line_text(value))


def _django(check, code, message):
    def validator(value):
        if value is None:
            return
        try:
            check(str(value))
        except ValueError:
            raise ValidationError(message, code=code) from None

    validator.__name__ = f"validate_{code}"
    return validator


validate_no_control = _django(
    check_no_control, "control_characters", _("Control characters are not allowed.")
)
validate_single_line = _django(
    check_single_line_text,
    "single_line",
    _("Must be a single line without control characters."),
)
validate_name = _django(
    check_name,
    "name",
    _("Must be a single line without control characters or bidirectional overrides."),
)


class _Stripped:
    def to_python(self, value):
        value = super().to_python(value)
        return value.strip() if isinstance(value, str) else value


class SingleLineField(_Stripped, models.CharField):
    """A one-line text: no line break, no control character (validated by ``full_clean``)."""

    default_validators = [validate_single_line]


class NameField(_Stripped, models.CharField):
    """A person's, place's or thing's name: single line and no bidirectional override."""

    default_validators = [validate_name]


class MultiLineField(_Stripped, models.TextField):
    """Free text: line breaks allowed, other control characters refused."""

    default_validators = [validate_no_control]
