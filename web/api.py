"""The REST API: one NinjaAPI, one router per app, mounted under /api/v1/ (docs at /api/v1/docs)."""

import dataclasses

from ninja import NinjaAPI, Schema

from confirmations.api import router as confirmations_router
from delegations.api import router as delegations_router
from events.api import router as events_router
from feeds.api import router as feeds_router
from invitations.api import router as invitations_router
from logistics.api import router as logistics_router
from notifications.api import router as notifications_router
from personal.api import router as personal_router
from planner.api_support import (
    API_AUTH,
    READ_ERRORS,
    install_error_handlers,
    organisation_of,
    responses,
)
from scheduling.api import router as scheduling_router
from scheduling.explanations import with_sentences
from scheduling.services import EditRefused, SolveRefused

api = NinjaAPI(
    title="planner API",
    version="1",
    description=(
        "Plan learning journeys and delegation visits. Authenticate with a session cookie "
        "(sign in at /accounts/login/) or `Authorization: Bearer <token>` (a token made on "
        "/accounts/tokens/). A viewer's requests read; their writes answer 403. Bad input "
        "answers 422 with `errors: [{field, reason}]`."
    ),
    auth=API_AUTH,
    urls_namespace="api-v1",
)
install_error_handlers(api)


@api.exception_handler(SolveRefused)
def on_solve_refused(request, exc):
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=409)


@api.exception_handler(EditRefused)
def on_edit_refused(request, exc):
    violations = [dataclasses.asdict(v) for v in exc.violations]
    visit = getattr(request, "_planner_visit", None)
    if visit is not None:
        violations = with_sentences(violations, visit=visit)
    return api.create_response(request, {"detail": str(exc), "violations": violations}, status=409)


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str


@api.get(
    "/me",
    response=responses({200: OrganisationOut}, READ_ERRORS),
    operation_id="organisation_me",
    tags=["account"],
)
def me(request):
    """The organisation the authenticated organiser plans for."""
    return organisation_of(request)


api.add_router("/", events_router)
api.add_router("/", delegations_router)
api.add_router("/", scheduling_router)
api.add_router("/", feeds_router)
api.add_router("/", confirmations_router)
api.add_router("/", notifications_router)
api.add_router("/", logistics_router)
api.add_router("/", invitations_router)
api.add_router("/", personal_router)
