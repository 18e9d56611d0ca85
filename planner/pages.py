"""What every organiser page starts with: the signed-in organiser's organisation, and a visit
of it with its time zone active."""

from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Visit
from planner.models import Organisation


def page_organisation(request) -> Organisation:
    try:
        return request.user.organiser.organisation
    except ObjectDoesNotExist:
        raise PermissionDenied(_("This account is not an organiser of any organisation.")) from None


def page_visit(request, visit_id: int) -> Visit:
    """Another organisation's visit does not exist (404), whatever its id."""
    visit = get_object_or_404(Visit, pk=visit_id, owner=page_organisation(request))
    # Times on a visit's pages are the visit's local times, wherever the organiser is.
    timezone.activate(ZoneInfo(visit.time_zone))
    return visit
