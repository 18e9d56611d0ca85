"""ISO 639 languages, ISO 3166 countries and IANA time zones, checked against Babel and zoneinfo.

Babel's CLDR data is the single source: the same tables name languages and countries in each
locale, so a code accepted here can always be displayed.
"""

from functools import cache
from zoneinfo import available_timezones

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def language_codes() -> frozenset[str]:
    # CLDR lists ISO 639-1 codes and ISO 639-2/3 codes where no two-letter one exists.
    return frozenset(code for code in Locale("en").languages if code.isalpha() and code.islower())


@cache
def country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_language_code(value: str) -> None:
    if value not in language_codes():
        raise ValidationError(
            _("“%(value)s” is not an ISO 639 language code (for example “fr”, “en”, “es”)."),
            code="invalid_language",
            params={"value": value},
        )


def validate_language_list(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give a list of language codes."), code="invalid_language_list")
    for code in value:
        validate_language_code(code)
    if len(set(value)) != len(value):
        raise ValidationError(_("A language is listed twice."), code="duplicate_language")


def in_language(texts: dict, language: str | None) -> str:
    """The text for a reader of ``language`` from {code: text}: fr-CA falls back to fr; ""
    when there is none (the caller falls back to its main text)."""
    if not language or not texts:
        return ""
    return texts.get(language) or texts.get(language.split("-")[0].lower()) or ""


def validate_titles(value: object) -> None:
    """A text per language: {"en": "Meeting the mayor", "es": "Encuentro con el alcalde"}."""
    _validate_texts(value, 200)


def validate_descriptions(value: object) -> None:
    _validate_texts(value, 20_000)


def _validate_texts(value: object, longest: int) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Give one text per language code."), code="invalid_texts")
    for code, text in value.items():
        validate_language_code(code)
        if not isinstance(text, str) or not text.strip() or len(text) > longest:
            raise ValidationError(
                _("The text in “%(code)s” must have 1 to %(longest)d characters."),
                code="invalid_text",
                params={"code": code, "longest": longest},
            )


def validate_country_code(value: str) -> None:
    if value not in country_codes():
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166 country code (for example “FR”, “CA”, “BF”)."),
            code="invalid_country",
            params={"value": value},
        )


def validate_time_zone(value: str) -> None:
    if value not in time_zones():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone (for example “Europe/Paris”)."),
            code="invalid_time_zone",
            params={"value": value},
        )
