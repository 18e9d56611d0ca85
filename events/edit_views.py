"""The organiser's editing pages: change a host's windows (activities: orga.activities).

Views parse a form and call the same service as the API (planner.crud.resource_save with the
API's resources), so a page can never accept what the API would refuse, or the reverse.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import api as events_api
from events import selectors
from events.forms import WindowForm
from events.models import Availability
from events.pages import page_visit
from planner import i18n
from planner.crud import resource_delete, resource_save


def _refused(form, exc: ValidationError) -> None:
    """The service's reasons, each on its field when the form has that field."""
    for field, reasons in getattr(exc, "message_dict", {None: exc.messages}).items():
        for reason in reasons:
            form.add_error(field if field in form.fields else None, reason)


@login_required
def host_windows(request, visit_id: int):
    # Superseded by the week grid (orga:person-windows); kept for its links, read-only to viewers.
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    people = selectors.person_list(visit.owner)
    person_id = request.GET.get("person", "")
    person = (
        get_object_or_404(people, pk=int(person_id))
        if person_id.isdigit() and len(person_id) < 10
        else None
    )
    form = WindowForm(request.POST or None, visit=visit)
    if person and request.method == "POST" and form.is_valid():
        zone = ZoneInfo(visit.time_zone)
        day = form.cleaned_data["day"]
        try:
            resource_save(
                events_api.AVAILABILITY,
                organisation=visit.owner,
                scope_obj=visit,
                data={
                    "person": person.pk,
                    "start": dt.datetime.combine(day, form.cleaned_data["start"], tzinfo=zone),
                    "end": dt.datetime.combine(day, form.cleaned_data["end"], tzinfo=zone),
                    "kind": form.cleaned_data["kind"],
                    "note": form.cleaned_data["note"],
                },
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Window added. Re-plan the programme to use it."))
            return redirect(f"{request.path}?person={person.pk}")
    windows = (
        selectors.availability_list(visit.owner, visit).filter(person=person) if person else []
    )
    rows = [
        {
            "window": w,
            "day": i18n.full_date(timezone.localtime(w.start).date()),
            "hours": i18n.time_range(w.start, w.end, zone=ZoneInfo(visit.time_zone)),
        }
        for w in windows
    ]
    context = {"visit": visit, "people": people, "person": person, "rows": rows, "form": form}
    status = 422 if form.errors else 200
    return render(request, "events/host_windows.html", context, status=status)


@login_required
@require_POST
def host_window_delete(request, visit_id: int, window_id: int):
    visit = page_visit(request, visit_id, edit=True)
    window = get_object_or_404(Availability, pk=window_id, visit=visit)
    resource_delete(window)
    messages.success(request, _("Window removed. Re-plan the programme to take it into account."))
    return redirect(reverse("events:windows", args=[visit.pk]) + f"?person={window.person_id}")
