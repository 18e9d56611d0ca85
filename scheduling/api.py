from ninja import Path, Router
from ninja.pagination import paginate

from events.selectors import visit_get
from planner.api_support import READ_ERRORS, Pagination, organisation_of, responses
from planner.schema_types import MAX_ID
from scheduling import schemas, selectors

router = Router(tags=["programmes"])

VisitId = Path(..., ge=1, le=MAX_ID)


@router.get(
    "/visits/{visit_id}/versions",
    response=responses({200: list[schemas.VersionSummaryOut]}, READ_ERRORS),
    operation_id="version_list",
)
@paginate(Pagination)
def list_versions(request, visit_id: int = VisitId):
    """Every programme version of the visit, newest first; `is_current` marks the published one."""
    return selectors.version_list(visit=visit_get(organisation_of(request), visit_id))


@router.get(
    "/visits/{visit_id}/versions/{number}",
    response=responses({200: schemas.VersionOut}, READ_ERRORS),
    operation_id="version_get",
)
def get_version(request, visit_id: int = VisitId, number: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.version_get(visit=visit_get(organisation_of(request), visit_id), number=number)
