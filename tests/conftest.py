import pytest
from django.test import Client

from tests import factories


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
