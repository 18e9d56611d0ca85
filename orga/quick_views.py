"""The "add several" part of a list page (see orga/quick.py): an empty table on GET; on POST
every filled row saved at once, then the list again or the next step of the setup path."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from orga import steps

PREFIX = "add"


def handle(request, visit, rows_class, *, step: str):
    """(a redirect or None, the rows to show or None for a reader who cannot change)."""
    if not request.user.organiser.can_edit:
        return None, None
    if request.method != "POST":
        return None, rows_class(visit=visit, prefix=PREFIX)
    rows = rows_class(request.POST, visit=visit, prefix=PREFIX)
    if rows.is_valid():
        count = rows.save()
        if count is not None:
            if count:
                messages.success(
                    request,
                    ngettext("%(count)d row was saved.", "%(count)d rows were saved.", count)
                    % {"count": count},
                )
            elif not steps.wants_next(request):
                messages.info(request, _("Nothing was saved: every row was empty."))
            return steps.after_save(request, visit, step, redirect(request.path)), rows
    return None, rows


def failed(rows) -> bool:
    return rows is not None and rows.is_bound and rows.total_error_count() > 0
