import json
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models.signals import post_migrate
from django.test import Client

from tests import factories

DEMO = Path(__file__).resolve().parents[1] / "web" / "demo" / "aude-2009.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrated, with the rows its data migrations made kept for good.

    A flush empties every table: the one after each transactional test (live_server,
    transactional_db) and any a fixture runs. It also removes the django-q2 schedules that
    migrations create (outbox's sweep, the notifications tick, the host reminders), so a test
    run after it, on the same xdist worker or later in the same order, would find none. Flush
    sends post_migrate: django_q's receiver here puts back the schedules as migrations left them.
    """
    from django_q.models import Schedule

    with django_db_blocker.unblock():
        migrated = [
            {
                f.attname: getattr(row, f.attname)
                for f in Schedule._meta.concrete_fields
                if not f.primary_key
            }
            for row in Schedule.objects.order_by("pk")
        ]

    def restore(sender, using="default", **kwargs):
        if sender.label != "django_q":
            return
        for fields in migrated:
            Schedule.objects.using(using).get_or_create(name=fields["name"], defaults=fields)

    post_migrate.connect(restore, weak=False, dispatch_uid="tests.restore_migrated_schedules")
    yield
    post_migrate.disconnect(dispatch_uid="tests.restore_migrated_schedules")


@pytest.fixture
def org(db):
    return factories.organisation(name="Pactes Locaux (tests)")


@pytest.fixture
def other_org(db):
    return factories.organisation(name="Another network")


@pytest.fixture
def organiser(org):
    return factories.organiser(org, username="organiser")


class ApiClient:
    """A test client that speaks JSON to /api/v1/ with a bearer token."""

    def __init__(self, token: str):
        self.client = Client(headers={"authorization": f"Bearer {token}"})

    def _url(self, path: str) -> str:
        return f"/api/v1{path}"

    def get(self, path, **params):
        return self.client.get(self._url(path), params)

    def post(self, path, data=None):
        return self.client.post(self._url(path), data or {}, content_type="application/json")

    def put(self, path, data):
        return self.client.put(self._url(path), data, content_type="application/json")

    def delete(self, path):
        return self.client.delete(self._url(path))


@pytest.fixture
def api(organiser):
    return ApiClient(factories.token_for(organiser))


@pytest.fixture
def visit(org):
    return factories.visit(org)


@pytest.fixture(scope="module")
def aude_once(django_db_setup, django_db_blocker):
    """The Aude 2009 demo visit, loaded once per module (seed_load is among the slowest
    setups) in a transaction rolled back at the module's end; each test's own transaction is
    a savepoint inside it, so what a test changes is gone for the next (as in Django's
    TestCase.setUpTestData). A test takes a fresh copy: ``Visit.objects.get(pk=aude_once.pk)``.
    Only for modules whose tests are all plain ``db`` ones (a transactional test's flush
    cannot run inside it; pytest-django runs those after the module's ``db`` tests anyway),
    and whose other tests do not count every row of the database."""
    from web.seed import seed_load

    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
        transaction.set_rollback(True)
