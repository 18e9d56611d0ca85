"""A visit's own pages: create, change its settings, duplicate it, archive it.

Each page parses a form and calls the service the API calls (planner.crud.resource_save with
events.api.VISITS), so the page and the API accept and refuse the same visits.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations.services import visit_duplicate
from events import api as events_api
from events import selectors, services
from events.pages import page_visit
from orga.form_saving import refused
from orga.visits_forms import DuplicateForm, VisitForm
from planner.crud import resource_save
from planner.pages import page_organisation


def _status(form) -> int:
    return 422 if form.errors else 200


def _refused(form, exc: ValidationError) -> None:
    """As orga.form_saving.refused, and the policy's reasons ("min_break: …", one rule
    each) on the number they name."""
    if not hasattr(exc, "message_dict") or "interpretation_rules" not in exc.message_dict:
        return refused(exc, form)
    errors = dict(exc.message_dict)
    for reason in errors.pop("interpretation_rules"):
        key, _sep, text = reason.partition(": ")
        form.add_error(key if key in form.fields and text else None, text or reason)
    if errors:
        refused(ValidationError(errors), form)
    return None


@login_required
def visit_new(request):
    organisation = page_organisation(request, edit=True)
    form = VisitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            visit = resource_save(
                events_api.VISITS,
                organisation=organisation,
                scope_obj=organisation,
                data=form.payload(),
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” was created. Now add the places it goes to.")
                % {"title": visit.title},
            )
            return redirect("orga:venues", visit.pk)
    # An earlier visit can be the start of this one (its people, places and activities).
    earlier = selectors.visit_list(organisation).only("pk", "title", "start_date", "end_date")
    context = {"form": form, "earlier": earlier}
    return render(request, "orga/visits/new.html", context, status=_status(form))


@login_required
def visit_edit(request, visit_id: int):
    visit = page_visit(request, visit_id, edit=True)
    form = VisitForm(request.POST or None, organisation=visit.owner, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            resource_save(
                events_api.VISITS,
                organisation=visit.owner,
                scope_obj=visit.owner,
                instance=visit,
                data=form.payload(),
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The visit's settings were saved."))
            return redirect("orga:visit-edit", visit.pk)
    context = {"visit": visit, "form": form, "nav": "settings"}
    return render(request, "orga/visits/edit.html", context, status=_status(form))


@login_required
def visit_copy(request, visit_id: int):
    source = page_visit(request, visit_id, edit=True)
    form = DuplicateForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_duplicate(
                source=source,
                organisation=source.owner,
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as exc:
            refused(exc, form)
        else:
            messages.success(
                request,
                _("“%(title)s” starts from “%(source)s”. Check its settings and dates.")
                % {"title": visit.title, "source": source.title},
            )
            return redirect("orga:visit-edit", visit.pk)
    context = {"visit": source, "form": form, "nav": "settings"}
    return render(request, "orga/visits/duplicate.html", context, status=_status(form))


@login_required
@require_POST
def visit_archive(request, visit_id: int):
    visit = page_visit(request, visit_id, edit=True)
    archived = request.POST.get("archived") != "0"
    services.visit_archive(visit=visit, archived=archived)
    if archived:
        note = _("“%(title)s” was archived: it is listed under “Archived”.")
    else:
        note = _("“%(title)s” is back in the list of visits.")
    messages.success(request, note % {"title": visit.title})
    return redirect("scheduling:visits")
