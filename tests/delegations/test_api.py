import pytest

from delegations.models import Guest
from tests import factories


def test_guest_create_with_languages(api, visit):
    delegation = factories.delegation(visit)
    payload = {
        "delegation": delegation.pk,
        "full_name": "Denison Jayasooria",
        "country": "MY",
        "preferred_language": "en",
        "languages": [{"language": "en", "level": "fluent"}, {"language": "ms"}],
    }
    response = api.post(f"/visits/{visit.pk}/guests", payload)
    assert response.status_code == 201, response.content
    assert response.json()["languages"] == [
        {"language": "en", "level": "fluent"},
        {"language": "ms", "level": "fluent"},
    ]


def test_guest_duplicate_is_422(api, visit):
    delegation = factories.delegation(visit)
    factories.guest(delegation, full_name="Ben Quiñones")
    payload = {"delegation": delegation.pk, "full_name": "Ben Quiñones", "country": "PH"}
    response = api.post(f"/visits/{visit.pk}/guests", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.full_name",
            "reason": "Another guest here already has this full name.",
        }
    ]


def test_guest_unknown_language_names_the_row(api, visit):
    delegation = factories.delegation(visit)
    payload = {
        "delegation": delegation.pk,
        "full_name": "Patricia Tamini",
        "country": "BF",
        "languages": [{"language": "fr"}, {"language": "zzz"}],
    }
    response = api.post(f"/visits/{visit.pk}/guests", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.languages.1.language"
    assert Guest.objects.count() == 0


def test_guest_in_delegation_of_another_visit_is_422(api, org, visit):
    foreign = factories.delegation(factories.visit(org))
    payload = {"delegation": foreign.pk, "full_name": "X", "country": "FR"}
    response = api.post(f"/visits/{visit.pk}/guests", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.delegation"


def test_interpreter_create_and_list(api, org):
    person = factories.person(org, full_name="Judith Hitchman", role="interpreter")
    payload = {
        "person": person.pk,
        "modes": ["simultaneous", "consecutive"],
        "directions": [{"source": "fr", "target": "en"}, {"source": "en", "target": "fr"}],
    }
    response = api.post("/interpreters", payload)
    assert response.status_code == 201, response.content
    assert response.json()["full_name"] == "Judith Hitchman"
    assert api.get("/interpreters").json()["count"] == 1


def test_interpreter_same_language_direction_is_422(api, org):
    person = factories.person(org)
    payload = {
        "person": person.pk,
        "modes": ["consecutive"],
        "directions": [{"source": "fr", "target": "fr"}],
    }
    response = api.post("/interpreters", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.directions", "reason": "Interpreting needs two different languages."}
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_guest_list_uses_constant_queries(api, visit, count, django_assert_num_queries):
    delegation = factories.delegation(visit)
    for _ in range(count):
        factories.guest(delegation)
    api.get("/me")
    # token with organisation, visit, count, page, languages
    with django_assert_num_queries(5):
        response = api.get(f"/visits/{visit.pk}/guests")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_interpreter_list_uses_constant_queries(api, org, count, django_assert_num_queries):
    for _ in range(count):
        factories.interpreter(org)
    api.get("/me")
    # token with organisation, count, page with person, directions
    with django_assert_num_queries(4):
        response = api.get("/interpreters")
    assert response.json()["count"] == count
