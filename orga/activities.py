"""A visit's activities: list, add, change, delete.

An activity is written by the API's service (resource_save with events.api.ACTIVITIES) and
its "after X" rules by the precedences' one, in one transaction: a refusal of either leaves
nothing half-saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from events import api as events_api
from events.models import Activity, Precedence
from events.pages import page_visit
from orga import quick_views, steps
from orga.activities_forms import ActivityForm
from orga.form_saving import refused
from orga.quick import ActivityRows
from planner import i18n
from planner.crud import resource_delete, resource_save


def _activities(visit):
    return (
        Activity.objects.filter(visit=visit)
        .select_related("venue")
        .prefetch_related("host_links__person")
        .order_by("title", "pk")
    )


@login_required
def activity_list(request, visit_id: int):
    """The activities, and a table to add several at once (title, duration, venue, host)."""
    visit = page_visit(request, visit_id, edit=request.method == "POST")
    done, several = quick_views.handle(request, visit, ActivityRows, step="activities")
    if done:
        return done
    activities = list(_activities(visit))
    titles = {a.pk: a.title for a in activities}
    after: dict[int, list[str]] = {}
    for before, later in Precedence.objects.filter(visit=visit).values_list("before", "after"):
        after.setdefault(later, []).append(titles.get(before, ""))
    rows = [
        {
            "activity": a,
            "duration": i18n.duration(a.duration_minutes),
            "hosts": i18n.names([link.person.full_name for link in a.host_links.all()]),
            "languages": i18n.names([i18n.language_name(code) for code in a.languages]),
            "when": _when(a),
            "after": i18n.names(sorted(after.get(a.pk, []))),
        }
        for a in activities
    ]
    context = {
        "visit": visit,
        "rows": rows,
        "nav": "activities",
        "several": several,
        **steps.context(visit, "activities"),
    }
    status = 422 if quick_views.failed(several) else 200
    return render(request, "orga/activities/list.html", context, status=status)


def _when(activity: Activity) -> str:
    """The time rules of an activity in the reader's words, at the visit's local time:
    "fixed: Tue, Apr 21, 10:30 AM"."""

    def at(value):
        local = timezone.localtime(value)
        return f"{i18n.short_day(local.date())}, {i18n.short_time(local)}"

    if activity.fixed_start:
        return _("fixed: %(when)s") % {"when": at(activity.fixed_start)}
    parts = []
    if activity.earliest:
        parts.append(_("not before %(when)s") % {"when": at(activity.earliest)})
    if activity.latest:
        parts.append(_("over by %(when)s") % {"when": at(activity.latest)})
    return "; ".join(parts)


def _save(visit, form, activity):
    """The activity, then its "after" rules, all or nothing."""
    with transaction.atomic():
        saved = resource_save(
            events_api.ACTIVITIES,
            organisation=visit.owner,
            scope_obj=visit,
            instance=activity,
            data=form.payload(),
        )
        wanted = set(form.after_ids())
        current = Precedence.objects.filter(visit=visit, after=saved)
        current.exclude(before_id__in=wanted).delete()
        for before in wanted - set(current.values_list("before_id", flat=True)):
            try:
                resource_save(
                    events_api.PRECEDENCES,
                    organisation=visit.owner,
                    scope_obj=visit,
                    data={"before": before, "after": saved.pk, "min_gap_minutes": 0},
                )
            except ValidationError as exc:
                raise ValidationError({"after": exc.messages}) from exc
    return saved


@login_required
def activity_edit(request, visit_id: int, activity_id: int | None = None):
    visit = page_visit(request, visit_id, edit=True)
    activity = None
    if activity_id is not None:
        activity = get_object_or_404(
            _activities(visit).prefetch_related("audience"), pk=activity_id
        )
    form = ActivityForm(request.POST or None, visit=visit, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(visit, form, activity)
        except ValidationError as exc:
            refused(exc, form)
        else:
            messages.success(
                request,
                _("“%(title)s” was saved. Re-plan the programme to place it.")
                % {"title": saved.title},
            )
            return steps.after_save(
                request, visit, "activities", redirect("orga:activities", visit.pk)
            )
    context = {
        "visit": visit,
        "activity": activity,
        "form": form,
        "nav": "activities",
        "has_venues": "venue" in form.fields and form.fields["venue"].queryset.exists(),
        **steps.context(visit, "activities"),
    }
    return render(request, "orga/activities/form.html", context, status=422 if form.errors else 200)


@login_required
def activity_delete(request, visit_id: int, activity_id: int):
    """A page that says what goes with the activity (its place in programme versions, its
    "after" rules) before the POST that deletes it."""
    visit = page_visit(request, visit_id, edit=True)
    activity = get_object_or_404(Activity.objects.filter(visit=visit), pk=activity_id)
    if request.method == "POST":
        try:
            resource_delete(activity)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("orga:activity-edit", visit.pk, activity.pk)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": activity.title})
        return redirect("orga:activities", visit.pk)
    versions = list(
        activity.slots.values_list("version__number", flat=True)
        .order_by("version__number")
        .distinct()
    )
    rules = Precedence.objects.filter(Q(before=activity) | Q(after=activity)).count()
    context = {
        "visit": visit,
        "activity": activity,
        "versions": versions,
        "rules": rules,
        "nav": "activities",
    }
    return render(request, "orga/activities/delete.html", context)
