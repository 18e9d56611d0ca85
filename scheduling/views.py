"""The organiser's pages: visits, the timetable, solving with progress, locks, moves, diffs.

Views parse, call a service, and render; every edit goes through the same services as the API.
"""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Activity, Visit
from events.pages import page_visit
from planner import i18n
from planner.pages import page_organisation
from scheduling import booklet, explanations, selectors, services, timetable
from scheduling.models import Slot, SolveJob


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
def visit_list(request):
    visits = (
        Visit.objects.filter(owner=page_organisation(request))
        .select_related("programme__current_version")
        .order_by("-start_date")
    )
    # Archived visits leave the list of current ones; they stay readable under "Archived".
    current, archived = [], []
    for visit in visits:
        (archived if visit.archived_at else current).append(visit)
    context = {"visits": current, "archived": archived}
    return render(request, "scheduling/visit_list.html", context)


@login_required
def visit_detail(request, visit_id: int, number: int | None = None, violations=None):
    visit = page_visit(request, visit_id)
    version = selectors.version_for_display(visit=visit, number=number)
    only = {key: _int_param(request, key) for key in ("host", "interpreter", "subgroup")}
    slots = selectors.version_slots(version=version, **only) if version else []
    table = timetable.build(visit=visit, slots=slots, travel=selectors.travel_matrix(visit=visit))
    jobs = list(selectors.job_list(visit=visit)[:5])
    last_job = jobs[0] if jobs else None
    conflicts = []
    if last_job and last_job.state == SolveJob.State.FAILED:
        conflicts = explanations.explained(last_job.conflicts, visit=visit)
    unplaced = Activity.objects.filter(pk__in=version.unplaced) if version else []
    context = {
        "visit": visit,
        "visit_dates": i18n.date_range(visit.start_date, visit.end_date),
        "version": version,
        "versions": list(selectors.version_list(visit=visit)[:20]),
        "timetable": table,
        "last_job": last_job,
        "active_job": last_job if last_job and last_job.is_active else None,
        "conflicts": conflicts,
        "unplaced": unplaced,
        "violations": violations or [],
        "summary": selectors.version_summary(version=version) if version else None,
        "people": selectors.visit_people(visit=visit),
        "only": only,
        "can_edit": request.user.organiser.can_edit,
        # The move field's step and base: any start on the visit's grid is valid, whatever
        # odd minute the slot starts at now (the base is otherwise the field's value).
        "grid": visit.time_grid_minutes,
        "grid_seconds": visit.time_grid_minutes * 60,
        "move_min": f"{visit.start_date.isoformat()}T00:00",
        # Before the first build the page lists what is entered and what is missing.
        "readiness": None if version else selectors.visit_readiness(visit=visit),
    }
    return render(request, "scheduling/visit_detail.html", context)


@login_required
@require_POST
def visit_solve(request, visit_id: int):
    visit = page_visit(request, visit_id, edit=True)
    try:
        services.solve_start(visit=visit, user=request.user, reason=_("Started from the timetable"))
        messages.info(request, _("The programme is being built; this page follows its progress."))
    except services.SolveRefused as exc:
        messages.error(request, str(exc))
    return redirect("scheduling:visit", visit_id=visit.pk)


@login_required
@require_POST
def job_cancel(request, visit_id: int, job_id: int):
    visit = page_visit(request, visit_id, edit=True)
    services.solve_cancel(job=selectors.job_get(visit=visit, job_id=job_id))
    messages.info(request, _("The solve is being stopped; the programme already there stays."))
    return redirect("scheduling:visit", visit_id=visit.pk)


@login_required
@require_POST
def version_publish(request, visit_id: int, number: int):
    """Publish; a version that breaks a rule or raises a logistics warning first gets a page
    listing each problem, with a "Publish anyway" button (which posts confirm=1)."""
    visit = page_visit(request, visit_id)
    version = selectors.version_get(visit=visit, number=number)
    try:
        services.version_publish(version=version, confirm=request.POST.get("confirm") == "1")
    except services.PublishNeedsConfirmation as exc:
        problems = explanations.with_sentences(
            [dataclasses.asdict(v) for v in exc.violations], visit=visit
        )
        context = {"visit": visit, "version": version, "problems": problems}
        return render(request, "scheduling/publish_confirm.html", context)
    messages.success(
        request, _("Version %(number)d is now the published programme.") % {"number": number}
    )
    return redirect("scheduling:visit", visit_id=visit.pk)


def _slot(request, visit_id: int, slot_id: int) -> Slot:
    visit = page_visit(request, visit_id, edit=True)
    return get_object_or_404(
        Slot.objects.select_related("version__programme__visit", "activity"),
        pk=slot_id,
        version__programme__visit=visit,
    )


@login_required
@require_POST
def slot_lock(request, visit_id: int, slot_id: int):
    slot = _slot(request, visit_id, slot_id)
    locked = request.POST.get("locked") == "1"
    try:
        services.slot_set_lock(slot=slot, locked=locked)
    except services.EditRefused as exc:
        messages.error(request, str(exc))
    return redirect("scheduling:version", visit_id=visit_id, number=slot.version.number)


def _wants_json(request) -> bool:
    """The timetable's script asks for JSON; a plain form post gets the page as before."""
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def slot_move(request, visit_id: int, slot_id: int):
    """Move one slot (the form, a drag or the keyboard): a new version, or the reasons."""
    slot = _slot(request, visit_id, slot_id)
    visit = slot.version.programme.visit
    raw = request.POST.get("start", "")
    try:
        local = dt.datetime.fromisoformat(raw)
    except ValueError:
        message = _("Give the new start as a date and time.")
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message, "reasons": []}, status=400)
        messages.error(request, message)
        return redirect("scheduling:version", visit_id=visit_id, number=slot.version.number)
    start = local.replace(tzinfo=ZoneInfo(visit.time_zone)) if local.tzinfo is None else local
    try:
        new = services.slot_move(slot=slot, start=start)
    except services.EditRefused as exc:
        violations = explanations.with_sentences(
            [
                {"rule": v.rule, "entities": dict(v.entities), "params": dict(v.params)}
                for v in exc.violations
            ],
            visit=visit,
        )
        if _wants_json(request):
            reasons = [v["sentence"] for v in violations] or [str(exc)]
            return JsonResponse({"ok": False, "message": str(exc), "reasons": reasons}, status=409)
        messages.error(request, str(exc))
        return visit_detail(request, visit_id, number=slot.version.number, violations=violations)
    message = _("Moved. Version %(number)d holds the change; publish it to send it out.") % {
        "number": new.number
    }
    messages.success(request, message)
    url = reverse("scheduling:version", kwargs={"visit_id": visit_id, "number": new.number})
    if _wants_json(request):
        return JsonResponse({"ok": True, "number": new.number, "url": url, "message": message})
    return redirect(url)


@login_required
def version_diff(request, visit_id: int, old: int, new: int):
    visit = page_visit(request, visit_id)
    diff = services.version_diff(
        old=selectors.version_get(visit=visit, number=old),
        new=selectors.version_get(visit=visit, number=new),
    )
    return render(request, "scheduling/diff.html", {"visit": visit, "diff": diff})


def _language_param(request, name: str, default: str | None) -> str | None:
    value = request.GET.get(name, "") or default
    if value is None or value in dict(settings.LANGUAGES):
        return value
    raise BadLanguage(
        _("%(param)s: “%(value)s” is not a language of this site (%(choices)s).")
        % {"param": name, "value": value[:20], "choices": ", ".join(dict(settings.LANGUAGES))}
    )


class BadLanguage(ValueError):
    pass


@login_required
def visit_booklet(request, visit_id: int):
    """The printable programme, in the page's language or ?lang=, with ?also= side by side."""
    visit = page_visit(request, visit_id)
    try:
        first = _language_param(request, "lang", translation.get_language()[:2])
        second = _language_param(request, "also", None)
    except BadLanguage as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    languages = [first] + ([second] if second and second != first else [])
    version = selectors.version_for_display(visit=visit)
    slots = selectors.version_slots(version=version) if version else []
    prefetch_related_objects(
        slots,
        "activity__host_links__person__affiliation",
        "assignments__interpreter__person__affiliation",
    )
    with translation.override(first):
        book = booklet.build(
            visit=visit,
            slots=slots,
            travel=selectors.travel_matrix(visit=visit),
            languages=languages,
        )
        context = {
            "visit": visit,
            "version": version,
            "booklet": book,
            "choices": [(code, i18n.language_name(code)) for code in dict(settings.LANGUAGES)],
            "first": first,
            "second": second or "",
        }
        return render(request, "scheduling/booklet.html", context)
