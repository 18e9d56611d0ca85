"""Template filters for dates and codes in the reader's language, through Babel
(planner.i18n), so templates never format a date with Django's own month names."""

from django import template

from planner import i18n

register = template.Library()


@register.filter
def when(value):
    """An aware datetime in the active time zone: "Tuesday, April 21, 2009, 9:30 AM"."""
    if not value:
        return ""
    return i18n.day_time(value)


@register.filter
def dates_of(visit) -> str:
    """A visit's dates as an interval: "Apr 20 – 24, 2009", "20–24 avr. 2009"."""
    return i18n.date_range(visit.start_date, visit.end_date)
