"""The organiser's workbench on one visit: what is entered, what is missing, and the solver's
pre-checks in words before anything is built."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from events.pages import page_visit
from planner import i18n
from scheduling import selectors


@login_required
def visit_check(request, visit_id: int):
    """The checklist and every problem the solver's pre-checks find, without solving."""
    visit = page_visit(request, visit_id)
    context = {
        "visit": visit,
        "visit_dates": i18n.date_range(visit.start_date, visit.end_date),
        "readiness": selectors.visit_readiness(visit=visit),
        "problems": selectors.visit_precheck(visit=visit),
        "can_edit": request.user.organiser.can_edit,
    }
    return render(request, "orga/workbench/check.html", context)
