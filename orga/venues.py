"""A visit's venues and the travel times between them.

Venues are written by the API's service (resource_save with events.api.VENUES), whose
after-save estimates the missing travel times: a page, the API and an import all get them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import api as events_api
from events import selectors, services
from events.pages import page_visit
from orga import quick_views, steps
from orga.form_saving import form_saved, refused
from orga.quick import VenueRows
from orga.venues_forms import TravelForm, VenueForm, travel_rows
from planner import i18n
from planner.crud import resource_delete


@login_required
def venue_list(request, visit_id: int):
    """The venues, and a table to add several at once (the setup path's first step)."""
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    done, several = quick_views.handle(request, visit, VenueRows, step="venues")
    if done:
        return done
    venues = selectors.venue_list(visit.owner, visit)
    rows = [
        {"venue": v, "country": i18n.country_name(v.country) if v.country else ""} for v in venues
    ]
    context = {
        "visit": visit,
        "rows": rows,
        "nav": "venues",
        "several": several,
        **steps.context(visit, "venues"),
    }
    status = 422 if quick_views.failed(several) else 200
    return render(request, "orga/venues/list.html", context, status=status)


@login_required
def venue_edit(request, visit_id: int, venue_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    venue = None
    if venue_id is not None:
        venue = get_object_or_404(selectors.venue_list(visit.owner, visit), pk=venue_id)
    form = VenueForm(request.POST or None, visit=visit, instance=venue)
    valid = request.method == "POST" and form.is_valid()
    if valid and form_saved(request, form, resource=events_api.VENUES, visit=visit, instance=venue):
        return steps.after_save(request, visit, "venues", redirect("orga:venues", visit.pk))
    context = {
        "visit": visit,
        "venue": venue,
        "form": form,
        "nav": "venues",
        **steps.context(visit, "venues"),
    }
    return render(request, "orga/venues/form.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def venue_delete(request, visit_id: int, venue_id: int):
    visit = page_visit(request, visit_id, edit=True)
    venue = get_object_or_404(selectors.venue_list(visit.owner, visit), pk=venue_id)
    try:
        resource_delete(venue, resource=events_api.VENUES)
    except ValidationError as exc:
        why = " ".join(exc.messages)
        messages.error(
            request,
            _("“%(name)s” cannot be deleted. %(why)s") % {"name": venue.name, "why": why},
        )
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": venue.name})
    return redirect("orga:venues", visit.pk)


@login_required
def travel(request, visit_id: int):
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    venues = list(selectors.venue_list(visit.owner, visit))
    rows = travel_rows(venues, list(selectors.travel_time_list(visit.owner, visit)))
    form = TravelForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for origin, destination, minutes in form.changed_pairs():
                    services.travel_time_set(
                        visit=visit, origin=origin, destination=destination, minutes=minutes
                    )
        except ValidationError as exc:
            refused(exc, form)
        else:
            messages.success(request, _("Travel times saved."))
            return redirect("orga:travel", visit.pk)
    context = {
        "visit": visit,
        "form": form,
        "rows": form.bound_rows(),
        "unlocated": [v for v in venues if v.latitude is None],
        "nav": "travel",
    }
    return render(request, "orga/venues/travel.html", context, status=422 if form.errors else 200)
