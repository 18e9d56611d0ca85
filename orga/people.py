"""A visit's people: hosts and their availability (a week grid), guests, interpreters,
delegations and sub-groups.

Every write goes through the API's resources (planner.crud.resource_save / resource_delete
with events.api and delegations.api), so a page accepts and refuses exactly what the API
does; a form only turns picks into the API's input. A write spanning several records (an
interpreter and their person, a week of windows) is one transaction: nothing half-saved.
"""

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

from delegations import api as delegations_api
from delegations import selectors as delegation_selectors
from delegations.models import Interpreter
from events import api as events_api
from events import selectors
from events.forms import WindowForm
from events.models import ActivityHost, Availability, Person
from events.pages import page_visit
from orga import people_grid as grid
from orga import quick_views, steps
from orga.people_forms import (
    DelegationForm,
    DirectionRows,
    GuestForm,
    HostForm,
    InterpreterForm,
    LanguageRows,
    LevelRows,
    SubGroupForm,
)
from orga.quick import GuestRows, HostRows, visit_delegation
from planner import i18n
from planner.crud import resource_delete, resource_save

# --- shared ------------------------------------------------------------------------------------


def _refused(exc: ValidationError, form, rows=None, rows_key: str = "") -> None:
    """The service's reasons, each on its field: a form field, a row's field
    ("languages.1.language") or the rows as a whole; anything else on the form."""
    for field, reasons in getattr(exc, "message_dict", {None: exc.messages}).items():
        head, _dot, rest = (field or "").partition(".")
        for reason in reasons:
            if rows is not None and head == rows_key:
                index, _dot, name = rest.partition(".")
                if index.isdigit() and int(index) < len(rows.filled):
                    row = rows.filled[int(index)]
                    row.add_error(name if name in row.fields else None, reason)
                else:
                    rows.problems.append(reason)
            elif field in form.fields:
                form.add_error(field, reason)
            else:
                form.add_error(None, reason)


def _rows(cls, data, *, visit, prefix: str, initial: list[dict], key: str):
    rows = cls(data, visit=visit, prefix=prefix, initial=initial)
    rows.problems = []
    # The rows that carry a value, in order: the service numbers its errors by them.
    rows.filled = (
        [f for f in rows.forms if f.is_valid() and f.cleaned_data.get(key)] if data else []
    )
    return rows


def _can_edit(request) -> bool:
    return request.user.organiser.can_edit


def _delete_page(request, *, visit, resource, instance, name: str, back: str, nav: str):
    """GET: what deleting would meet (the same check the delete runs); POST: delete, or
    say what still uses it (409), never cascade silently nor fail with a 500."""
    reasons: list[str] = []
    if request.method == "POST":
        try:
            resource_delete(instance, resource=resource)
        except ValidationError as exc:
            reasons = exc.messages
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
            return redirect(back)
    elif resource.before_delete:
        try:
            resource.before_delete(instance=instance)
        except ValidationError as exc:
            reasons = exc.messages
    context = {"visit": visit, "name": name, "reasons": reasons, "back": back, "nav": nav}
    status = 409 if reasons and request.method == "POST" else 200
    return render(request, "orga/people/delete.html", context, status=status)


# --- hosts -------------------------------------------------------------------------------------


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
    rows = _rows(
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
            _refused(exc, form, rows, "languages")
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
    return _delete_page(
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
        "can_edit": _can_edit(request),
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
        _refused(exc, form)
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
        "can_edit": _can_edit(request),
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


# --- guests ------------------------------------------------------------------------------------


@login_required
def guest_list(request, visit_id: int):
    """The guests by delegation, and a table to add several at once (the first ones make the
    visit's delegation when it has none)."""
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    done, several = quick_views.handle(request, visit, GuestRows, step="guests")
    if done:
        return done
    delegations = delegation_selectors.delegation_list(visit.owner, visit).prefetch_related(
        "subgroups",
        Prefetch(
            "guests",
            queryset=delegation_selectors.guest_list(visit.owner, visit).select_related("subgroup"),
        ),
    )
    groups = []
    for delegation in delegations:
        guests = list(delegation.guests.all())
        parts = [
            {"subgroup": group, "guests": [g for g in guests if g.subgroup_id == group.pk]}
            for group in delegation.subgroups.all()
        ]
        parts.append({"subgroup": None, "guests": [g for g in guests if not g.subgroup_id]})
        for part in parts:
            part["rows"] = [
                {
                    "guest": g,
                    "country": i18n.country_name(g.country),
                    "languages": i18n.names(
                        [
                            f"{i18n.language_name(x.language)} ({x.get_level_display()})"
                            for x in g.languages.all()
                        ]
                    ),
                }
                for g in part["guests"]
            ]
        groups.append(
            {
                "delegation": delegation,
                "parts": [p for p in parts if p["rows"]],
                "count": len(guests),
            }
        )
    context = {
        "visit": visit,
        "groups": groups,
        "nav": "guests",
        "several": several,
        **steps.context(visit, "guests"),
    }
    status = 422 if quick_views.failed(several) else 200
    return render(request, "orga/people/guests.html", context, status=status)


@login_required
def guest_edit(request, visit_id: int, guest_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    guest = None
    if guest_id is not None:
        guest = get_object_or_404(delegation_selectors.guest_list(visit.owner, visit), pk=guest_id)
    delegations = delegation_selectors.delegation_list(visit.owner, visit)
    subgroups = delegation_selectors.subgroup_list(visit.owner, visit).select_related("delegation")
    initial: dict = {}
    if guest:
        names = (
            "full_name",
            "country",
            "preferred_language",
            "organisation",
            "position",
            "email",
            "dietary_needs",
        )
        initial = {n: getattr(guest, n) for n in names}
        initial |= {
            "delegation": guest.delegation_id,
            "subgroup": guest.subgroup_id,
            "arrival": guest.arrival and timezone.localtime(guest.arrival),
            "departure": guest.departure and timezone.localtime(guest.departure),
        }
    else:
        chosen = request.GET.get("delegation", "")
        first = delegations.filter(pk=chosen).first() if chosen.isdigit() else None
        first = first or delegations.first()
        initial["delegation"] = first.pk if first else None
    data = request.POST if request.method == "POST" else None
    form = GuestForm(
        data, visit=visit, initial=initial, delegations=delegations, subgroups=subgroups
    )
    rows = _rows(
        LevelRows,
        data,
        visit=visit,
        prefix="languages",
        initial=[
            {"language": x.language, "level": x.level}
            for x in (guest.languages.all() if guest else [])
        ],
        key="language",
    )
    if data is not None and form.is_valid() and rows.is_valid():
        try:
            with transaction.atomic():
                payload = form.payload(rows.rows("language"))
                if payload["delegation"] is None:  # the first guest makes the delegation
                    payload["delegation"] = visit_delegation(visit).pk
                saved = resource_save(
                    delegations_api.GUESTS,
                    organisation=visit.owner,
                    scope_obj=visit,
                    instance=guest,
                    data=payload,
                )
        except ValidationError as exc:
            _refused(exc, form, rows, "languages")
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.full_name})
            return steps.after_save(request, visit, "guests", redirect("orga:guests", visit.pk))
    context = {
        "visit": visit,
        "guest": guest,
        "form": form,
        "rows": rows,
        "nav": "guests",
        "has_delegation": delegations.exists(),
        **steps.context(visit, "guests"),
    }
    failed = data is not None and (form.errors or rows.total_error_count() or rows.problems)
    return render(request, "orga/people/guest_form.html", context, status=422 if failed else 200)


@login_required
def guest_delete(request, visit_id: int, guest_id: int):
    visit = page_visit(request, visit_id, edit=True)
    guest = get_object_or_404(delegation_selectors.guest_list(visit.owner, visit), pk=guest_id)
    return _delete_page(
        request,
        visit=visit,
        resource=delegations_api.GUESTS,
        instance=guest,
        name=guest.full_name,
        back=reverse("orga:guests", args=[visit.pk]),
        nav="guests",
    )


# --- interpreters ------------------------------------------------------------------------------


def _interpreters(visit):
    return delegation_selectors.interpreter_list(visit.owner).annotate(
        windows=Count("person__availabilities", filter=Q(person__availabilities__visit=visit))
    )


@login_required
def interpreter_list(request, visit_id: int):
    visit = page_visit(request, visit_id)
    here = list(_interpreters(visit).filter(visits=visit))
    others = list(
        delegation_selectors.interpreter_list(visit.owner)
        .exclude(visits=visit)
        .prefetch_related(None)
        .only("pk", "person__full_name")
    )
    rows = [
        {
            "interpreter": i,
            "directions": ", ".join(
                f"{i18n.language_name(d.source)} → {i18n.language_name(d.target)}"
                for d in sorted(i.directions.all(), key=lambda d: d.pk)
            ),
            "modes": i18n.names([str(Interpreter.Mode(m).label) for m in i.modes]),
            "cap": i18n.duration(i.daily_cap_minutes),
        }
        for i in here
    ]
    context = {
        "visit": visit,
        "rows": rows,
        "others": others,
        "nav": "interpreters",
        **steps.context(visit, "interpreters"),
    }
    return render(request, "orga/people/interpreters.html", context)


@login_required
@require_POST
def interpreter_join(request, visit_id: int):
    """An interpreter of the organisation (from an earlier visit) works on this one too."""
    visit = page_visit(request, visit_id, edit=True)
    chosen = request.POST.get("interpreter", "")
    interpreter = get_object_or_404(
        delegation_selectors.interpreter_list(visit.owner),
        pk=int(chosen) if chosen.isdigit() and len(chosen) < 10 else 0,
    )
    visit.interpreters.add(interpreter)
    messages.success(request, _("“%(name)s” works on this visit.") % {"name": interpreter})
    return redirect("orga:interpreters", visit.pk)


@login_required
@require_POST
def interpreter_leave(request, visit_id: int, interpreter_id: int):
    """The interpreter no longer works on this visit; they stay in the organisation's pool
    (and in the programme versions already made)."""
    visit = page_visit(request, visit_id, edit=True)
    interpreter = get_object_or_404(visit.interpreters.select_related("person"), pk=interpreter_id)
    visit.interpreters.remove(interpreter)
    messages.success(
        request, _("“%(name)s” no longer works on this visit.") % {"name": interpreter}
    )
    return redirect("orga:interpreters", visit.pk)


@login_required
def interpreter_edit(request, visit_id: int, interpreter_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    interpreter = None
    if interpreter_id is not None:
        interpreter = get_object_or_404(
            delegation_selectors.interpreter_list(visit.owner), pk=interpreter_id
        )
    initial: dict = {}
    if interpreter:
        person = interpreter.person
        initial = {
            "full_name": person.full_name,
            "email": person.email,
            "phone": person.phone,
            "preferred_language": person.preferred_language,
            "modes": interpreter.modes,
            "daily_cap_minutes": interpreter.daily_cap_minutes,
        }
    data = request.POST if request.method == "POST" else None
    form = InterpreterForm(data, visit=visit, initial=initial)
    rows = _rows(
        DirectionRows,
        data,
        visit=visit,
        prefix="directions",
        initial=_direction_pairs(visit, interpreter),
        key="source",
    )
    if data is not None and form.is_valid() and rows.is_valid():
        directions = _directions(rows)
        try:
            with transaction.atomic():
                person = resource_save(
                    events_api.PEOPLE,
                    organisation=visit.owner,
                    scope_obj=visit.owner,
                    instance=interpreter.person if interpreter else None,
                    data=form.person_payload(directions),
                )
                if not directions:
                    raise ValidationError({"directions": _("Give at least one direction.")})
                saved = resource_save(
                    delegations_api.INTERPRETERS,
                    organisation=visit.owner,
                    scope_obj=visit.owner,
                    instance=interpreter,
                    data=form.payload(person.pk, directions),
                )
                visit.interpreters.add(saved)
        except ValidationError as exc:
            _refused(exc, form, rows, "directions")
        else:
            if interpreter is None:
                messages.success(
                    request,
                    _("“%(name)s” was added. Mark when they can work.") % {"name": person},
                )
                return steps.after_save(
                    request,
                    visit,
                    "interpreters",
                    redirect("orga:person-windows", visit.pk, person.pk),
                )
            messages.success(request, _("“%(name)s” was saved.") % {"name": person})
            return redirect("orga:interpreters", visit.pk)
    context = {
        "visit": visit,
        "interpreter": interpreter,
        "form": form,
        "rows": rows,
        "nav": "interpreters",
        **steps.context(visit, "interpreters"),
    }
    failed = data is not None and (form.errors or rows.total_error_count() or rows.problems)
    return render(
        request, "orga/people/interpreter_form.html", context, status=422 if failed else 200
    )


def _direction_pairs(visit, interpreter) -> list[dict]:
    """The rows of the directions: a pair done both ways is one row with "both ways" ticked.
    A new interpreter of a visit in two languages starts with that pair."""
    if interpreter is None:
        languages = visit.working_languages
        if len(languages) == 2:
            return [{"source": languages[0], "target": languages[1], "both_ways": True}]
        return []
    pairs = [(d.source, d.target) for d in sorted(interpreter.directions.all(), key=lambda d: d.pk)]
    rows, seen = [], set()
    for source, target in pairs:
        if (source, target) in seen:
            continue
        both = (target, source) in pairs
        seen |= {(source, target), (target, source)} if both else {(source, target)}
        rows.append({"source": source, "target": target, "both_ways": both})
    return rows


def _directions(rows) -> list[dict]:
    """Each filled row's direction, and its way back when "both ways" is ticked; the service
    numbers its refusals by this list, so ``rows.filled`` is lined up with it."""
    directions, filled = [], []
    for row in rows.forms:
        data = row.cleaned_data if row.is_valid() else {}
        if not data.get("source"):
            continue
        ways = [(data["source"], data["target"])]
        if data.get("both_ways"):
            ways.append((data["target"], data["source"]))
        for source, target in ways:
            if {"source": source, "target": target} not in directions:
                directions.append({"source": source, "target": target})
                filled.append(row)
    rows.filled = filled
    return directions


def _reasons(check, instance) -> list[str]:
    try:
        check(instance=instance)
    except ValidationError as exc:
        return exc.messages
    return []


@login_required
def interpreter_delete(request, visit_id: int, interpreter_id: int):
    visit = page_visit(request, visit_id, edit=True)
    interpreter = get_object_or_404(
        delegation_selectors.interpreter_list(visit.owner), pk=interpreter_id
    )
    back = reverse("orga:interpreters", args=[visit.pk])
    reasons = [
        _("%(name)s also works on “%(visit)s”: remove them from this visit instead.")
        % {"name": interpreter, "visit": other}
        for other in interpreter.visits.exclude(pk=visit.pk).order_by("start_date")
    ]
    reasons += _reasons(delegations_api.INTERPRETERS.before_delete, interpreter)
    if request.method == "POST" and not reasons:
        try:
            with transaction.atomic():
                person = interpreter.person
                resource_delete(interpreter, resource=delegations_api.INTERPRETERS)
                resource_delete(person, resource=events_api.PEOPLE)
        except ValidationError as exc:
            reasons = exc.messages
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": person})
            return redirect(back)
    context = {
        "visit": visit,
        "name": str(interpreter),
        "reasons": reasons,
        "back": back,
        "nav": "interpreters",
    }
    status = 409 if reasons and request.method == "POST" else 200
    return render(request, "orga/people/delete.html", context, status=status)


# --- delegations and sub-groups ----------------------------------------------------------------


@login_required
def delegation_list(request, visit_id: int):
    visit = page_visit(request, visit_id)
    delegations = (
        delegation_selectors.delegation_list(visit.owner, visit)
        .annotate(guest_count=Count("guests", distinct=True))
        .prefetch_related(
            Prefetch(
                "subgroups",
                queryset=delegation_selectors.subgroup_list(visit.owner, visit)
                .select_related("lodging")
                .annotate(guest_count=Count("guests")),
            )
        )
    )
    context = {"visit": visit, "delegations": delegations, "nav": "delegations"}
    return render(request, "orga/people/delegations.html", context)


@login_required
def delegation_edit(request, visit_id: int, delegation_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    delegation = None
    if delegation_id is not None:
        delegation = get_object_or_404(
            delegation_selectors.delegation_list(visit.owner, visit), pk=delegation_id
        )
    initial = {"name": delegation.name, "description": delegation.description} if delegation else {}
    data = request.POST if request.method == "POST" else None
    form = DelegationForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            saved = resource_save(
                delegations_api.DELEGATIONS,
                organisation=visit.owner,
                scope_obj=visit,
                instance=delegation,
                data=form.payload(),
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
            return redirect("orga:delegations", visit.pk)
    context = {"visit": visit, "delegation": delegation, "form": form, "nav": "delegations"}
    status = 422 if form.errors else 200
    return render(request, "orga/people/delegation_form.html", context, status=status)


@login_required
def delegation_delete(request, visit_id: int, delegation_id: int):
    visit = page_visit(request, visit_id, edit=True)
    delegation = get_object_or_404(
        delegation_selectors.delegation_list(visit.owner, visit), pk=delegation_id
    )
    return _delete_page(
        request,
        visit=visit,
        resource=delegations_api.DELEGATIONS,
        instance=delegation,
        name=delegation.name,
        back=reverse("orga:delegations", args=[visit.pk]),
        nav="delegations",
    )


@login_required
def subgroup_edit(request, visit_id: int, subgroup_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    subgroup = None
    if subgroup_id is not None:
        subgroup = get_object_or_404(
            delegation_selectors.subgroup_list(visit.owner, visit), pk=subgroup_id
        )
    delegations = delegation_selectors.delegation_list(visit.owner, visit)
    if subgroup:
        initial = {
            "delegation": subgroup.delegation_id,
            "name": subgroup.name,
            "lodging": subgroup.lodging_id,
        }
    else:
        chosen = request.GET.get("delegation", "")
        initial = {"delegation": int(chosen)} if chosen.isdigit() and len(chosen) < 10 else {}
    data = request.POST if request.method == "POST" else None
    form = SubGroupForm(
        data,
        initial=initial,
        delegations=delegations,
        venues=selectors.venue_list(visit.owner, visit),
    )
    if data is not None and form.is_valid():
        try:
            saved = resource_save(
                delegations_api.SUBGROUPS,
                organisation=visit.owner,
                scope_obj=visit,
                instance=subgroup,
                data=form.payload(),
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
            return redirect("orga:delegations", visit.pk)
    context = {
        "visit": visit,
        "subgroup": subgroup,
        "form": form,
        "nav": "delegations",
        "has_delegation": delegations.exists(),
    }
    status = 422 if form.errors else 200
    return render(request, "orga/people/subgroup_form.html", context, status=status)


@login_required
def subgroup_delete(request, visit_id: int, subgroup_id: int):
    visit = page_visit(request, visit_id, edit=True)
    subgroup = get_object_or_404(
        delegation_selectors.subgroup_list(visit.owner, visit), pk=subgroup_id
    )
    return _delete_page(
        request,
        visit=visit,
        resource=delegations_api.SUBGROUPS,
        instance=subgroup,
        name=subgroup.name,
        back=reverse("orga:delegations", args=[visit.pk]),
        nav="delegations",
    )
