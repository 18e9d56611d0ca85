"""What a visit's organiser pages start with: the visit, of the signed-in organiser's
organisation, with its time zone active."""

from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.models import Visit
from planner.pages import page_organisation


def page_visit(request, visit_id: int, *, edit: bool = False) -> Visit:
    """Another organisation's visit does not exist (404), whatever its id."""
    visit = get_object_or_404(Visit, pk=visit_id, owner=page_organisation(request, edit=edit))
    # Times on a visit's pages are the visit's local times, wherever the organiser is.
    timezone.activate(ZoneInfo(visit.time_zone))
    return visit
