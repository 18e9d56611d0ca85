"""Locale-dependent formatting through Babel (never hand-made month or weekday names)."""

import datetime as dt

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_skeleton,
    format_time,
)
from babel.lists import format_list
from django.utils import timezone
from django.utils.translation import get_language, to_locale


def current_locale() -> str:
    return to_locale(get_language() or "en")


def full_date(value: dt.date, locale: str | None = None) -> str:
    """ "lundi 20 avril 2009", "Monday, April 20, 2009"."""
    return format_date(value, format="full", locale=locale or current_locale())


def short_day(value: dt.date, locale: str | None = None) -> str:
    """ "lun. 20 avr.", "Mon, Apr 20": a day's column heading."""
    return format_skeleton("MMMEd", value, locale=locale or current_locale())


def date_range(start: dt.date, end: dt.date, locale: str | None = None) -> str:
    """ "15–19 avril 2009", "Apr 15 – 19, 2009"."""
    return format_interval(start, end, "yMMMd", locale=locale or current_locale())


def short_time(value: dt.datetime | dt.time, zone=None, locale: str | None = None) -> str:
    return format_time(value, format="short", tzinfo=zone, locale=locale or current_locale())


def date_time(value: dt.datetime, zone=None, locale: str | None = None) -> str:
    return format_datetime(value, format="full", tzinfo=zone, locale=locale or current_locale())


def _local(value: dt.datetime, zone) -> dt.datetime:
    """``value`` in ``zone``, else in the active time zone."""
    if zone is None:
        return timezone.localtime(value)
    return value.astimezone(zone)


def day_time(value: dt.datetime, zone=None, locale: str | None = None, sep: str = ", ") -> str:
    """ "Tuesday, April 21, 2009, 9:30 AM": the day in full, then the time, in ``zone`` (else
    the active time zone)."""
    local = _local(value, zone)
    return f"{full_date(local.date(), locale)}{sep}{short_time(local, zone=zone, locale=locale)}"


def day_time_range(start: dt.datetime, end: dt.datetime, zone, locale: str | None = None) -> str:
    """ "lundi 20 avril 2009, 10:00–12:00": the day in full, then the times."""
    local = _local(start, zone)
    return f"{full_date(local.date(), locale)}, {time_range(start, end, zone, locale)}"


def time_range(start: dt.datetime, end: dt.datetime, zone=None, locale=None) -> str:
    """ "14:30–16:00", "2:30 – 4:00 PM": the locale's own clock (12 or 24 hours)."""
    loc = Locale.parse(locale or current_locale())
    skeleton = "hm" if "h" in loc.time_formats["short"].pattern else "Hm"
    return format_interval(start, end, skeleton, tzinfo=zone, locale=loc)


def names(items: list[str], locale: str | None = None) -> str:
    """ "le maire, le conseil et la librairie"."""
    return format_list(list(items), locale=locale or current_locale()) if items else ""


def duration(minutes: int, locale: str | None = None) -> str:
    """ "1 h 30", "1 hr 30 min" from CLDR unit patterns."""
    from babel.units import format_unit

    loc = locale or current_locale()
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="short", locale=loc))
    if rest or not hours:
        parts.append(format_unit(rest, "duration-minute", length="short", locale=loc))
    return " ".join(parts)


def language_name(code: str, locale: str | None = None) -> str:
    """ "anglais", "inglés"; the code itself when CLDR does not know it."""
    return Locale.parse(locale or current_locale()).languages.get(code, code)


def country_name(code: str, locale: str | None = None) -> str:
    return Locale.parse(locale or current_locale()).territories.get(code, code)
