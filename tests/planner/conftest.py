import pytest
from django.db import transaction

from tests.planner.tenancy import populate

A_NAME, A_VISIT = "Alpha network", "ALPHA visit of April 2009"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Organisations A and B with rows of every admin model, built once per module; each
    test still rolls back its own changes (its ``db`` transaction is nested in this one)."""
    with django_db_blocker.unblock(), transaction.atomic():
        a = populate(A_NAME, "ALPHA")
        b = populate("Beta network", "BETA")
        yield a, b
        transaction.set_rollback(True)
