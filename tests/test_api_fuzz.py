"""Property-based fuzzing of the whole API from its live OpenAPI schema (schemathesis).

Every operation gets generated valid and invalid requests, as an authenticated organiser of the
demo data; any 5xx, or any answer that does not match the documented schema, fails. On the
operations whose input refuses coercion (#16: strict minutes, counts and booleans, clean text),
an invalid request that is accepted (2xx) fails too (``negative_data_rejection``).
"""

import json
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from planner.wsgi import application
from tests import factories
from web.seed import seed_load

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
DEMO = Path(__file__).resolve().parents[1] / "web" / "demo" / "aude-2009.json"


# The operations whose bodies hold strict types (planner.schema_types: Minutes, Count, Flag;
# `minutes: false` or `"30"` is refused, not coerced) and clean text (Name, ShortText,
# LongText): there a generated invalid request must be refused. (Elsewhere ids are plain
# integers that pydantic's lax mode reads from "3", which is no defect.)
STRICT_OPERATIONS = {
    "visit_create",
    "visit_update",
    "venue_create",
    "venue_update",
    "travel_time_create",
    "travel_time_update",
    "travel_time_estimate",
    "activity_create",
    "activity_update",
    "precedence_create",
    "precedence_update",
    "journey_create",
    "journey_update",
    "meal_service_create",
    "meal_service_update",
    "slot_move",
}


def test_the_strict_operations_exist():
    ids = {
        operation.get("operationId")
        for path in schema.raw_schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
    }
    assert ids >= STRICT_OPERATIONS, STRICT_OPERATIONS - ids


@pytest.fixture(scope="module", autouse=True)
def keep_connection_across_requests():
    """Requests go straight to the WSGI app: keep Django from closing the test's connection
    at the end of each one, as its own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def token(django_db_setup, django_db_blocker):
    """Demo data and an organiser, created once for all the generated requests.

    Created inside a transaction that is rolled back at the end, not flushed away: each test's
    own transaction is a savepoint within it (as in Django's TestCase.setUpTestData), and the
    rows migrations made (django-q2's schedules) are still there for the tests that follow.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_load(json.loads(DEMO.read_text(encoding="utf-8")))
        user = factories.organiser(report.organisation, username="fuzzer")
        yield factories.token_for(user)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def fuzz_statuses():
    """Counts answers by status, printed at the end: proof the fuzzer reached real data."""
    counts = Counter()
    yield counts
    print(
        f"\nschemathesis: {sum(counts.values())} requests, statuses {dict(sorted(counts.items()))}"
    )


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_never_fails_and_matches_its_schema(case, token, fuzz_statuses):
    # Business rules reject some schema-valid input (an unknown language code): no defect, so
    # positive_data_acceptance is off. Invalid input must be refused where types are strict.
    excluded = [positive_data_acceptance]
    if case.operation.definition.raw.get("operationId") not in STRICT_OPERATIONS:
        excluded.append(negative_data_rejection)
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded
    )
    fuzz_statuses[response.status_code] += 1
