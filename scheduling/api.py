from ninja import Path, Router
from ninja.pagination import paginate

from events.selectors import visit_get
from planner.api_support import Pagination, organisation_of
from planner.schema_types import MAX_ID
from scheduling import schemas, selectors

router = Router(tags=["programmes"])

VisitId = Path(..., ge=1, le=MAX_ID)


@router.get(
    "/visits/{int:visit_id}/versions",
    response=list[schemas.VersionSummaryOut],
    operation_id="version_list",
)
@paginate(Pagination)
def list_versions(request, visit_id: int = VisitId):
    """Every programme version of the visit, newest first; `is_current` marks the published one."""
    return selectors.version_list(visit=visit_get(organisation_of(request), visit_id))


@router.get(
    "/visits/{int:visit_id}/versions/{int:number}",
    response=schemas.VersionOut,
    operation_id="version_get",
)
def get_version(request, visit_id: int = VisitId, number: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.version_get(visit=visit_get(organisation_of(request), visit_id), number=number)
