"""Through the API, organisation B's token reaches none of organisation A's data.

The operations are read from the live OpenAPI schema: a route added tomorrow is tried too
(and fails until ``ITEM_MODELS`` says which model its ids name)."""

import pytest

from delegations.models import Delegation, Guest, Interpreter, SubGroup
from events.models import (
    Activity,
    Availability,
    Person,
    Precedence,
    TravelTime,
    Venue,
    Visit,
    VisitFormat,
)
from logistics.models import (
    ActivityGuest,
    Companion,
    Journey,
    LegAssignment,
    LetterTemplate,
    MealService,
    Stay,
    Vehicle,
)
from scheduling.models import SolveJob
from tests.conftest import ApiClient
from tests.planner.conftest import A_NAME, A_VISIT
from web.api import api

# The collection a path parameter follows -> the model its ids name.
ITEM_MODELS = {
    "formats": VisitFormat,
    "people": Person,
    "visits": Visit,
    "venues": Venue,
    "travel-times": TravelTime,
    "availability": Availability,
    "activities": Activity,
    "precedences": Precedence,
    "interpreters": Interpreter,
    "delegations": Delegation,
    "subgroups": SubGroup,
    "guests": Guest,
    "jobs": SolveJob,
    "journeys": Journey,
    "stays": Stay,
    "vehicles": Vehicle,
    "leg-assignments": LegAssignment,
    "meal-services": MealService,
    "required-guests": ActivityGuest,
    "companions": Companion,
    "letter-templates": LetterTemplate,
}
# Parameters that are not ids of an organisation's rows: version numbers (each visit has its
# own 1, 2, ...) and a host's key (the key is the credential, not the organisation).
NOT_IDS = {"number", "old", "new", "key"}
PREFIX = "/api/v1"


def operations(method: str) -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        path.removeprefix(PREFIX)
        for path, ops in paths.items()
        if method in ops and "{key}" not in path
    )


def params_of(path: str) -> list[tuple[str, str]]:
    """(parameter, the collection just before it) for each {parameter} of the path."""
    parts = path.strip("/").split("/")
    return [(p[1:-1], parts[i - 1]) for i, p in enumerate(parts) if p.startswith("{")]


def a_row(world, model):
    a, _b = world
    return a.rows(model).first()


def fill(path: str, world, *, visit) -> str:
    values = {}
    for name, collection in params_of(path):
        if name == "visit_id":
            values[name] = visit.pk
        elif name in NOT_IDS:
            values[name] = 1
        else:
            model = ITEM_MODELS.get(collection) or ITEM_MODELS.get(name.removesuffix("_id") + "s")
            assert model is not None, f"{path}: which model does {{{name}}} name?"
            values[name] = a_row(world, model).pk
    return path.format(**values)


@pytest.fixture
def b_api(world, db):
    return ApiClient(world[1].token)


GET_PATHS = operations("get")


def test_the_schema_has_the_operations_these_tests_walk():
    assert len(GET_PATHS) >= 50
    assert len(operations("delete")) >= 20


@pytest.mark.parametrize("path", [p for p in GET_PATHS if "{" in p])
def test_reading_another_organisations_rows_is_404(world, b_api, path):
    a, b = world
    # A's visit, and A's rows under it.
    response = b_api.get(fill(path, world, visit=a.trip.visit))
    assert response.status_code == 404, response.content
    # B's own visit with A's row ids: still nothing.
    if any(name not in NOT_IDS | {"visit_id"} for name, _ in params_of(path)):
        response = b_api.get(fill(path, world, visit=b.trip.visit))
        assert response.status_code == 404, response.content


@pytest.mark.parametrize("path", [p for p in GET_PATHS if "{" not in p])
def test_lists_show_none_of_another_organisations_rows(world, b_api, path):
    a, _b = world
    response = b_api.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert A_NAME not in text and A_VISIT not in text
    model = ITEM_MODELS.get(path.strip("/"))
    if model is not None:
        ids = {item["id"] for item in response.json()["items"]}
        assert ids & {row.pk for row in a.rows(model)} == set()
        assert ids  # B's own rows are there


@pytest.mark.parametrize("path", operations("delete"))
def test_deleting_another_organisations_rows_is_404(world, b_api, path):
    a, _b = world
    target = fill(path, world, visit=a.trip.visit)
    response = b_api.delete(target)
    assert response.status_code == 404, response.content
    _name, collection = params_of(path)[-1]
    model = ITEM_MODELS[collection]
    assert model.objects.filter(pk=a_row(world, model).pk).exists()
