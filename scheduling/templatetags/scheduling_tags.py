"""Template filters about the programme's own values (planner_i18n holds the base's)."""

from django import template

from scheduling.models import Slot

register = template.Library()


@register.filter
def slot_status(code: str) -> str:
    """A slot status code in the reader's language; an unknown code as it is."""
    try:
        return Slot.Status(code).label
    except ValueError:
        return code
