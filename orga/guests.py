"""Guests, delegations and sub-groups of a visit.

Every write goes through the API's resources (planner.crud.resource_save / resource_delete
with delegations.api), so a page accepts and refuses exactly what the API does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations import api as delegations_api
from delegations import selectors as delegation_selectors
from events import selectors
from events.pages import page_visit
from orga import quick_views, steps
from orga.form_saving import form_saved, refused
from orga.people_forms import (
    DelegationForm,
    GuestForm,
    LevelRows,
    SubGroupForm,
)
from orga.people_shared import delete_page, form_rows
from orga.quick import GuestRows, visit_delegation
from planner import i18n
from planner.crud import resource_save


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
    rows = form_rows(
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
            refused(exc, form, rows, "languages")
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
    return delete_page(
        request,
        visit=visit,
        resource=delegations_api.GUESTS,
        instance=guest,
        name=guest.full_name,
        back=reverse("orga:guests", args=[visit.pk]),
        nav="guests",
    )


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
        resource = delegations_api.DELEGATIONS
        if form_saved(request, form, resource=resource, visit=visit, instance=delegation):
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
    return delete_page(
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
        resource = delegations_api.SUBGROUPS
        if form_saved(request, form, resource=resource, visit=visit, instance=subgroup):
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
    return delete_page(
        request,
        visit=visit,
        resource=delegations_api.SUBGROUPS,
        instance=subgroup,
        name=subgroup.name,
        back=reverse("orga:delegations", args=[visit.pk]),
        nav="delegations",
    )
