from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Status
from ninja.pagination import paginate

from events.schemas import VisitOut
from events.selectors import visit_get, visit_list
from planner.api_support import ERRORS, READ_ERRORS, Pagination, organisation_of, responses
from planner.schema_types import MAX_ID
from scheduling import explanations, schemas, selectors, services
from scheduling.adapters import problem_from_visit
from scheduling.import_problem import visit_from_problem
from scheduling.models import Slot, SolveJob
from scheduling.solver.io import ProblemFormatError, problem_from_dict, problem_to_dict

router = Router(tags=["programmes"])

VisitId = Path(..., ge=1, le=MAX_ID)
Number = Path(..., ge=1, le=MAX_ID)
ItemId = Path(..., ge=1, le=MAX_ID)
REFUSED = {409: schemas.ViolationsOut}


def _visit(request, visit_id: int):
    visit = visit_get(organisation_of(request), visit_id)
    request._planner_visit = visit  # lets error answers name the visit's entities
    return visit


def _job_out(job: SolveJob) -> SolveJob:
    job.conflicts = explanations.explained(job.conflicts, visit=job.programme.visit)
    return job


@router.post(
    "/visits/{visit_id}/solve",
    response=responses({202: schemas.JobOut}),
    operation_id="solve_start",
)
def solve(request, payload: schemas.SolveIn, visit_id: int = VisitId):
    """Build (or rebuild) the programme in the background; watch the job for progress.

    Refused with 409 while another solve of the same programme is queued or running."""
    job = services.solve_start(
        visit=_visit(request, visit_id),
        user=request.auth,
        time_limit_s=payload.time_limit_s,
        reason=payload.reason,
    )
    return Status(202, _job_out(selectors.job_get(visit=job.programme.visit, job_id=job.pk)))


@router.post(
    "/visits/{visit_id}/replan",
    response=responses({202: schemas.JobOut}),
    operation_id="programme_replan",
)
def replan(request, payload: schemas.SolveIn, visit_id: int = VisitId):
    """Re-plan the published programme around confirmed and locked slots (after a decline)."""
    job = services.programme_replan(
        visit=_visit(request, visit_id),
        user=request.auth,
        reason=payload.reason,
        time_limit_s=payload.time_limit_s,
    )
    return Status(202, _job_out(selectors.job_get(visit=job.programme.visit, job_id=job.pk)))


@router.get(
    "/visits/{visit_id}/jobs",
    response=responses({200: list[schemas.JobOut]}, READ_ERRORS),
    operation_id="job_list",
)
@paginate(Pagination)
def list_jobs(request, visit_id: int = VisitId):
    visit = _visit(request, visit_id)
    # A job whose worker died is reported failed, not running.
    services.solve_jobs_reap(visit=visit)
    return [_job_out(job) for job in selectors.job_list(visit=visit)]


@router.get(
    "/visits/{visit_id}/jobs/{job_id}",
    response=responses({200: schemas.JobOut}, READ_ERRORS),
    operation_id="job_get",
)
def get_job(request, visit_id: int = VisitId, job_id: int = ItemId):
    visit = _visit(request, visit_id)
    services.solve_jobs_reap(visit=visit)
    return _job_out(selectors.job_get(visit=visit, job_id=job_id))


@router.post(
    "/visits/{visit_id}/jobs/{job_id}/cancel",
    response=responses({200: schemas.JobOut}),
    operation_id="job_cancel",
)
def cancel_job(request, visit_id: int = VisitId, job_id: int = ItemId):
    visit = _visit(request, visit_id)
    services.solve_cancel(job=selectors.job_get(visit=visit, job_id=job_id))
    return _job_out(selectors.job_get(visit=visit, job_id=job_id))


@router.get(
    "/visits/{visit_id}/versions",
    response=responses({200: list[schemas.VersionSummaryOut]}, READ_ERRORS),
    operation_id="version_list",
)
@paginate(Pagination)
def list_versions(request, visit_id: int = VisitId):
    """Every programme version of the visit, newest first; `is_current` marks the published one."""
    return selectors.version_list(visit=_visit(request, visit_id))


@router.get(
    "/visits/{visit_id}/versions/{number}",
    response=responses({200: schemas.VersionOut}, READ_ERRORS),
    operation_id="version_get",
)
def get_version(request, visit_id: int = VisitId, number: int = Number):
    return selectors.version_get(visit=_visit(request, visit_id), number=number)


@router.post(
    "/visits/{visit_id}/versions/{number}/publish",
    response=responses({200: schemas.VersionSummaryOut}, {**ERRORS, **REFUSED}),
    operation_id="version_publish",
)
def publish_version(request, visit_id: int = VisitId, number: int = Number, confirm: bool = False):
    """Make this version the one hosts, guests and calendar feeds see.

    A version that breaks a hard rule or raises a logistics warning is refused with 409 and
    each problem (`violations`, with a sentence each) unless `?confirm=true` is given."""
    visit = _visit(request, visit_id)
    version = selectors.version_get(visit=visit, number=number)
    services.version_publish(version=version, confirm=confirm)
    return selectors.version_get(visit=visit, number=number)


@router.get(
    "/visits/{visit_id}/versions/{old}/diff/{new}",
    response=responses({200: schemas.DiffOut}, READ_ERRORS),
    operation_id="version_diff",
)
def diff_versions(request, visit_id: int = VisitId, old: int = Number, new: int = Number):
    """Moved, added and cancelled slots, interpreter and status changes from `old` to `new`."""
    visit = _visit(request, visit_id)
    return services.version_diff(
        old=selectors.version_get(visit=visit, number=old),
        new=selectors.version_get(visit=visit, number=new),
    )


def _slot(request, visit_id: int, slot_id: int) -> Slot:
    visit = _visit(request, visit_id)
    return get_object_or_404(
        Slot.objects.select_related("version__programme", "activity"),
        pk=slot_id,
        version__programme__visit=visit,
    )


@router.post(
    "/visits/{visit_id}/slots/{slot_id}/lock",
    response=responses({200: schemas.SlotOut}),
    operation_id="slot_lock",
)
def lock_slot(request, visit_id: int = VisitId, slot_id: int = ItemId):
    """A locked slot never moves when the programme is re-planned."""
    slot = services.slot_set_lock(slot=_slot(request, visit_id, slot_id), locked=True)
    return selectors.slot_get(slot_id=slot.pk)


@router.post(
    "/visits/{visit_id}/slots/{slot_id}/unlock",
    response=responses({200: schemas.SlotOut}),
    operation_id="slot_unlock",
)
def unlock_slot(request, visit_id: int = VisitId, slot_id: int = ItemId):
    slot = services.slot_set_lock(slot=_slot(request, visit_id, slot_id), locked=False)
    return selectors.slot_get(slot_id=slot.pk)


@router.post(
    "/visits/{visit_id}/slots/{slot_id}/move",
    response=responses({201: schemas.VersionSummaryOut}, {**ERRORS, **REFUSED}),
    operation_id="slot_move",
)
def move_slot(request, payload: schemas.MoveIn, visit_id: int = VisitId, slot_id: int = ItemId):
    """Move one slot by hand. The move is checked against every hard rule: a move that breaks
    one is refused with 409 and the rules it breaks, unless `force` is set. A new version is
    written; publish it to send it out."""
    slot = _slot(request, visit_id, slot_id)
    version = services.slot_move(slot=slot, start=payload.start, force=payload.force)
    return Status(
        201, selectors.version_get(visit=slot.version.programme.visit, number=version.number)
    )


@router.get(
    "/visits/{visit_id}/problem",
    response=responses({200: dict}, READ_ERRORS),
    operation_id="problem_export",
)
def export_problem(request, visit_id: int = VisitId):
    """The visit as the solver sees it, in the documented JSON problem format
    (`docs/problem-format.md`); `python -m scheduling.solver solve` reads it."""
    visit = _visit(request, visit_id)
    programme = getattr(visit, "programme", None)
    base = programme.current_version if programme else None
    return problem_to_dict(problem_from_visit(visit, base_version=base).problem)


@router.post(
    "/problems/import",
    response=responses({201: VisitOut}),
    operation_id="problem_import",
)
def import_problem(request, payload: schemas.ProblemImportIn):
    """Create a visit from a problem in the JSON format (what `problem_export` gives)."""
    try:
        problem = problem_from_dict(payload.problem)
    except ProblemFormatError as exc:
        raise DjangoValidationError({f"problem.{exc.path.lstrip('$.')}": exc.reason}) from None
    try:
        visit = visit_from_problem(
            problem,
            owner=organisation_of(request),
            title=payload.title,
            start_date=payload.start_date,
            time_zone=payload.time_zone,
        )
    except (KeyError, IndexError, ValueError, OverflowError) as exc:
        # References to ids the problem does not define, days out of range: nothing was saved.
        raise DjangoValidationError(
            {"problem": f"cannot be imported: {type(exc).__name__}: {exc}"}
        ) from None
    return Status(201, visit_list(organisation_of(request)).get(pk=visit.pk))
