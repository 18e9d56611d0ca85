"""Interpreters of a visit: the list, joining one from the organisation, editing one with
the person they are (one transaction), their directions, leaving and deleting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations import api as delegations_api
from delegations import selectors as delegation_selectors
from delegations.models import Interpreter
from events import api as events_api
from events.pages import page_visit
from orga import steps
from orga.form_saving import refused
from orga.people_forms import (
    DirectionRows,
    InterpreterForm,
)
from orga.people_shared import form_rows
from planner import i18n
from planner.crud import resource_delete, resource_save


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
    rows = form_rows(
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
            refused(exc, form, rows, "directions")
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
