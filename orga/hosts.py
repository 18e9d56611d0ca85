"""Hosts and their availability (a week grid and a plain list of windows).

Every write goes through the API's resources (planner.crud.resource_save / resource_delete
with events.api), so a page accepts and refuses exactly what the API does; a week of windows
is saved in one transaction."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import api as events_api
from events import selectors
from events.forms import WindowForm
from events.models import ActivityHost, Availability, Person
from events.pages import page_visit
from orga import people_grid as grid
from orga import quick_views, steps
from orga.form_saving import refused
from orga.people_forms import (
    HostForm,
    LanguageRows,
)
from orga.people_shared import can_edit, delete_page, form_rows
from orga.quick import HostRows
from planner import i18n
from planner.crud import resource_delete, resource_save


def _hosts(visit):
    """The organisation's people other than interpreters, with this visit's windows counted
    and the activities they host in it: one query each, whatever their number."""
    return (
        selectors.person_list(visit.owner)
        .exclude(role=Person.Role.INTERPRETER)
        .annotate(windows=Count("availabilities", filter=Q(availabilities__visit=visit)))
        .prefetch_related(
            Prefetch(
                "host_links",
                queryset=ActivityHost.objects.filter(activity__visit=visit)
                .select_related("activity")
                .order_by("activity__title"),
                to_attr="links_here",
            )
        )
    )


@login_required
def host_list(request, visit_id: int):
    """The hosts, and a table to add several at once (name and language)."""
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    done, several = quick_views.handle(request, visit, HostRows, step="hosts")
    if done:
        return done
    context = {
        "visit": visit,
        "hosts": _hosts(visit),
        "nav": "hosts",
        "several": several,
        **steps.context(visit, "hosts"),
    }
    status = 422 if quick_views.failed(several) else 200
    return render(request, "orga/people/hosts.html", context, status=status)


@login_required
def host_edit(request, visit_id: int, person_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    person = None
    if person_id is not None:
        people = selectors.person_list(visit.owner).exclude(role=Person.Role.INTERPRETER)
        person = get_object_or_404(people, pk=person_id)
    initial = {}
    if person:
        initial = {f: getattr(person, f) for f in ("full_name", "position", "email", "phone")}
        initial["preferred_language"] = person.preferred_language
    data = request.POST if request.method == "POST" else None
    form = HostForm(data, visit=visit, initial=initial)
    rows = form_rows(
        LanguageRows,
        data,
        visit=visit,
        prefix="languages",
        initial=[{"language": c} for c in (person.languages if person else [])],
        key="language",
    )
    if data is not None and form.is_valid() and rows.is_valid():
        try:
            saved = resource_save(
                events_api.PEOPLE,
                organisation=visit.owner,
                scope_obj=visit.owner,
                instance=person,
                data=form.payload(rows.rows("language"), role=person.role if person else "host"),
            )
        except ValidationError as exc:
            refused(exc, form, rows, "languages")
        else:
            if person is None:
                messages.success(
                    request,
                    _("“%(name)s” was added. Mark when they can receive the delegation.")
                    % {"name": saved.full_name},
                )
                return steps.after_save(
                    request, visit, "hosts", redirect("orga:person-windows", visit.pk, saved.pk)
                )
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.full_name})
            return redirect("orga:hosts", visit.pk)
    context = {
        "visit": visit,
        "person": person,
        "form": form,
        "rows": rows,
        "nav": "hosts",
        **steps.context(visit, "hosts"),
    }
    status = 422 if data is not None and (form.errors or rows.total_error_count()) else 200
    if rows.problems:
        status = 422
    return render(request, "orga/people/host_form.html", context, status=status)


@login_required
def host_delete(request, visit_id: int, person_id: int):
    visit = page_visit(request, visit_id, edit=True)
    person = get_object_or_404(selectors.person_list(visit.owner), pk=person_id)
    return delete_page(
        request,
        visit=visit,
        resource=events_api.PEOPLE,
        instance=person,
        name=person.full_name,
        back=reverse("orga:hosts", args=[visit.pk]),
        nav="hosts",
    )


# --- availability: the week grid and the plain list -----------------------------------------

PAINTED = (Availability.Kind.AVAILABLE, Availability.Kind.PREFERRED)


def _week(visit, windows):
    zone = ZoneInfo(visit.time_zone)
    days, rows = visit.days, grid.half_hours(visit.day_start, visit.day_end)
    painted = [grid.Window(w.start, w.end, w.kind) for w in windows if w.kind in PAINTED]
    return zone, days, rows, painted


def _week_save(request, *, visit, person, windows, quiet: bool = False) -> list[str]:
    """Replace the person's painted windows by the grid's, keeping what the grid cannot show
    (hours outside the day window, "unavailable" windows). Returns the refusals, if any."""
    zone, days, rows, painted = _week(visit, windows)
    allowed = set(grid.grid_cells(days, rows))
    try:
        wanted = grid.parse_week(request.POST.get("week", ""), allowed)
    except grid.BadCell as exc:
        return [_("“%(cell)s” is not a half-hour of this visit's grid.") % {"cell": exc}]
    if wanted == grid.cell_states(painted, days, rows, zone):
        request.week_unchanged = True
        if not quiet:
            messages.info(request, _("Nothing changed."))
        return []
    new = grid.windows_from_cells(wanted, zone) + grid.outside_parts(painted, days, rows, zone)
    try:
        with transaction.atomic():
            for window in windows:
                if window.kind in PAINTED:
                    resource_delete(window)
            for window in sorted(new, key=lambda w: w.start):
                resource_save(
                    events_api.AVAILABILITY,
                    organisation=visit.owner,
                    scope_obj=visit,
                    data={
                        "person": person.pk,
                        "start": window.start,
                        "end": window.end,
                        "kind": window.kind,
                        "note": _notes(windows, window),
                    },
                )
    except ValidationError as exc:
        return exc.messages
    if not quiet:
        messages.success(request, _("The week was saved. Re-plan the programme to use it."))
    return []


def _grid(visit, windows) -> dict:
    """The week grid's days and half-hours, each cell in its state (available, preferred)."""
    zone, days, rows, painted = _week(visit, windows)
    states = grid.cell_states(painted, days, rows, zone)
    return {
        "days": [{"name": i18n.full_date(d), "short": i18n.short_day(d)} for d in days],
        "week": [
            {
                "time": i18n.short_time(time),
                "cells": [
                    {
                        "key": grid.cell_key(day, time),
                        "state": states.get(grid.cell_key(day, time), ""),
                        "label": f"{i18n.full_date(day)}, {i18n.short_time(time)}",
                    }
                    for day in days
                ],
            }
            for time in rows
        ],
    }


def _fetched(request) -> bool:
    """A week saved from the page of every host's week (a fetch): the answer is JSON."""
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
def availability(request, visit_id: int):
    """Every host's week on one page, one after another: each is drawn and saved in place (a
    fetch POST of the form the person's own page posts); without JavaScript each host links to
    that page, whose list of windows works without it."""
    visit = page_visit(request, visit_id)
    hosts = list(
        selectors.person_list(visit.owner)
        .exclude(role=Person.Role.INTERPRETER)
        .order_by("full_name", "pk")
    )
    windows: dict[int, list] = {}
    for window in selectors.availability_list(visit.owner, visit).filter(person__in=hosts):
        windows.setdefault(window.person_id, []).append(window)
    people = [
        {
            "person": p,
            "suffix": f"-{p.pk}",
            "count": len(windows.get(p.pk, [])),
            **_grid(visit, windows.get(p.pk, [])),
        }
        for p in hosts
    ]
    context = {
        "visit": visit,
        "people": people,
        "nav": "hosts",
        "can_edit": can_edit(request),
        **steps.context(visit, "availability"),
    }
    return render(request, "orga/people/availability.html", context)


def _notes(old: list[Availability], window: grid.Window) -> str:
    """A redrawn window keeps the notes of the windows of its kind it overlaps."""
    notes = [
        w.note
        for w in old
        if w.note and w.kind == window.kind and w.start < window.end and w.end > window.start
    ]
    return "; ".join(dict.fromkeys(notes))[:200]


def _window_add(form, *, visit, person) -> bool:
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
        refused(exc, form)
        return False
    return True


def _back_to(visit, person) -> tuple[str, str]:
    if person.role == Person.Role.INTERPRETER:
        return reverse("orga:interpreters", args=[visit.pk]), "interpreters"
    return reverse("orga:hosts", args=[visit.pk]), "hosts"


@login_required
def person_windows(request, visit_id: int, person_id: int):
    """The person's availability for the visit: a week grid to paint (with JavaScript) over
    the list of windows with add and remove (without)."""
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    person = get_object_or_404(selectors.person_list(visit.owner), pk=person_id)
    windows = list(selectors.availability_list(visit.owner, visit).filter(person=person))
    form = WindowForm(request.POST if "day" in request.POST else None, visit=visit)
    problems: list[str] = []
    if request.method == "POST":
        if "week" in request.POST:
            fetched = _fetched(request)
            problems = _week_save(
                request, visit=visit, person=person, windows=windows, quiet=fetched
            )
            if fetched:
                if problems:
                    message = _("The week of %(name)s was not saved.")
                elif getattr(request, "week_unchanged", False):
                    message = _("Nothing changed in the week of %(name)s.")
                else:
                    message = _("The week of %(name)s was saved.")
                return JsonResponse(
                    {
                        "saved": not problems,
                        "message": message % {"name": person.full_name},
                        "problems": problems,
                    },
                    status=422 if problems else 200,
                )
            if not problems:
                return redirect("orga:person-windows", visit.pk, person.pk)
        elif form.is_valid() and _window_add(form, visit=visit, person=person):
            messages.success(request, _("Window added. Re-plan the programme to use it."))
            return redirect("orga:person-windows", visit.pk, person.pk)
        windows = list(selectors.availability_list(visit.owner, visit).filter(person=person))
    zone = ZoneInfo(visit.time_zone)
    back, nav = _back_to(visit, person)
    context = {
        "visit": visit,
        "person": person,
        "form": form,
        "problems": problems,
        "nav": nav,
        "back": back,
        "can_edit": can_edit(request),
        **_grid(visit, windows),
        "rows": [
            {
                "window": w,
                "day": i18n.full_date(timezone.localtime(w.start).date()),
                "hours": i18n.time_range(w.start, w.end, zone=zone),
            }
            for w in windows
        ],
    }
    status = 422 if problems or form.errors else 200
    return render(request, "orga/people/windows.html", context, status=status)


@login_required
@require_POST
def window_delete(request, visit_id: int, person_id: int, window_id: int):
    visit = page_visit(request, visit_id, edit=True)
    window = get_object_or_404(
        selectors.availability_list(visit.owner, visit), pk=window_id, person_id=person_id
    )
    resource_delete(window, resource=events_api.AVAILABILITY)
    messages.success(request, _("Window removed. Re-plan the programme to take it into account."))
    return redirect("orga:person-windows", visit.pk, person_id)
