"""What every organiser page starts with: the signed-in organiser's organisation, and a visit
of it with its time zone active."""

from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Visit
from planner.models import Organisation


def page_organisation(request, *, edit: bool = False) -> Organisation:
    """The organiser's organisation; ``edit`` refuses viewers (403) on pages that write."""
    try:
        organiser = request.user.organiser
    except (ObjectDoesNotExist, AttributeError):
        raise PermissionDenied(_("This account is not an organiser of any organisation.")) from None
    if edit and not organiser.can_edit:
        raise PermissionDenied(_("Your role in this organisation is to read, not to change."))
    return organiser.organisation


def page_visit(request, visit_id: int, *, edit: bool = False) -> Visit:
    """Another organisation's visit does not exist (404), whatever its id."""
    visit = get_object_or_404(Visit, pk=visit_id, owner=page_organisation(request, edit=edit))
    # Times on a visit's pages are the visit's local times, wherever the organiser is.
    timezone.activate(ZoneInfo(visit.time_zone))
    return visit
