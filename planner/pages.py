"""What every organiser page starts with: the signed-in organiser's organisation (a visit of it:
events.pages.page_visit)."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils.translation import gettext as _

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
