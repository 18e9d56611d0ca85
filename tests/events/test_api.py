import pytest

from events.models import Activity, Visit
from tests import factories

VISIT = {
    "kind": "delegation",
    "title": "Délégation dans l'Aude",
    "start_date": "2009-04-20",
    "end_date": "2009-04-24",
    "working_languages": ["fr", "en"],
}


def test_visit_create_returns_201_and_fills_slug(api, org):
    response = api.post("/visits", VISIT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "delegation-dans-laude"
    assert body["day_start"] == "08:30"
    assert Visit.objects.get(pk=body["id"]).owner == org


def test_visit_create_end_before_start_is_422_naming_field(api):
    response = api.post("/visits", {**VISIT, "end_date": "2009-04-19"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.end_date", "reason": "The last day is before the first day."}
    ]
    assert Visit.objects.count() == 0


def test_visit_create_unknown_language_is_422_naming_field(api):
    response = api.post("/visits", {**VISIT, "working_languages": ["fr", "zz"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.working_languages"


def test_visit_create_unknown_field_is_422(api):
    response = api.post("/visits", {**VISIT, "colour": "blue"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.colour"


def test_visit_create_naive_datetime_or_bad_date_is_422(api):
    response = api.post("/visits", {**VISIT, "start_date": "20/04/2009"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.start_date"


def test_visit_create_nul_byte_in_title_is_422(api):
    response = api.post("/visits", {**VISIT, "title": "Aude\x00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.title"


def test_visit_of_another_organisation_is_404(api, other_org):
    foreign = factories.visit(other_org)
    assert api.get(f"/visits/{foreign.pk}").status_code == 404
    assert api.get(f"/visits/{foreign.pk}/venues").status_code == 404
    assert api.delete(f"/visits/{foreign.pk}").status_code == 404
    assert Visit.objects.filter(pk=foreign.pk).exists()


def test_api_without_credentials_is_401(client, db):
    assert client.get("/api/v1/visits").status_code == 401


def test_api_with_unknown_token_is_401(client, db):
    response = client.get("/api/v1/visits", headers={"authorization": "Bearer nope"})
    assert response.status_code == 401


def test_api_user_without_organisation_is_403(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("lonely", password="x-for-tests")
    token = factories.token_for(user)
    response = client.get("/api/v1/visits", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_api_session_login_works(client, organiser):
    client.force_login(organiser)
    assert client.get("/api/v1/me").json()["name"] == "Pactes Locaux (tests)"


def test_token_is_stored_hashed(organiser):
    from planner.models import ApiToken
    from planner.services import api_token_create

    token, key = api_token_create(user=organiser, name="laptop")
    assert token.key_hash != key
    assert key not in {t.key_hash for t in ApiToken.objects.all()}
    assert token.key_hash == ApiToken.hash_key(key)


def test_travel_time_to_venue_of_another_visit_is_422(api, org, visit):
    here = factories.venue(visit)
    elsewhere = factories.venue(factories.visit(org))
    response = api.post(
        f"/visits/{visit.pk}/travel-times",
        {"origin": here.pk, "destination": elsewhere.pk, "minutes": 30},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.destination", "reason": f"No such venue here (id {elsewhere.pk})."}
    ]


def test_travel_time_estimate_uses_coordinates(api, visit):
    carcassonne = factories.venue(visit, latitude="43.2130", longitude="2.3491")
    couiza = factories.venue(visit, latitude="42.9425", longitude="2.2540")
    factories.venue(visit)  # no coordinates: left out
    response = api.post(f"/visits/{visit.pk}/travel-times/estimate", {"speed_kmh": 60})
    assert response.status_code == 200, response.content
    legs = {(t["origin"], t["destination"]): t["minutes"] for t in response.json()}
    # 31.1 km as the crow flies x 1.3 detour at 60 km/h = 40 minutes, both ways.
    assert legs == {(carcassonne.pk, couiza.pk): 40, (couiza.pk, carcassonne.pk): 40}


def test_activity_create_with_hosts_and_update(api, org, visit):
    venue = factories.venue(visit)
    mayor = factories.person(org, full_name="Le maire")
    payload = {
        "title": "Meet the mayor",
        "duration_minutes": 120,
        "venue": venue.pk,
        "hosts": [{"person": mayor.pk}],
        "languages": ["fr"],
    }
    created = api.post(f"/visits/{visit.pk}/activities", payload)
    assert created.status_code == 201, created.content
    assert created.json()["hosts"] == [{"person": mayor.pk, "required": True}]
    item = created.json()["id"]
    updated = api.put(f"/visits/{visit.pk}/activities/{item}", {**payload, "hosts": []})
    assert updated.status_code == 200
    assert updated.json()["hosts"] == []


def test_activity_with_host_of_another_organisation_is_422_and_writes_nothing(
    api, visit, other_org
):
    venue = factories.venue(visit)
    stranger = factories.person(other_org)
    payload = {
        "title": "Meet a stranger",
        "duration_minutes": 60,
        "venue": venue.pk,
        "hosts": [{"person": stranger.pk}],
    }
    response = api.post(f"/visits/{visit.pk}/activities", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.hosts", "reason": f"Unknown people: {stranger.pk}."}
    ]
    assert Activity.objects.count() == 0


def test_activity_longer_than_day_is_422(api, visit):
    venue = factories.venue(visit)
    payload = {"title": "Marathon", "duration_minutes": 700, "venue": venue.pk}
    response = api.post(f"/visits/{visit.pk}/activities", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.duration_minutes"


def test_venue_delete_in_use_is_422(api, visit):
    venue = factories.venue(visit)
    activity = factories.activity(visit, venue)
    response = api.delete(f"/visits/{visit.pk}/venues/{venue.pk}")
    assert response.status_code == 422
    assert f"Still linked to activity “{activity}”." in response.json()["detail"]


def test_path_id_out_of_range_is_422(api):
    assert api.get(f"/visits/{2**63}").status_code == 422


def test_pagination_offset_out_of_range_is_422(api):
    assert api.get("/visits", offset=10**12).status_code == 422


@pytest.mark.parametrize("count", [1, 3])
def test_activity_list_uses_constant_queries(api, org, visit, count, django_assert_num_queries):
    venue = factories.venue(visit)
    host = factories.person(org)
    for _ in range(count):
        factories.activity(visit, venue, hosts=[host])
    api.get("/me")  # the first request of a token records its use
    # token with organisation, visit, count, page, host links, audience
    with django_assert_num_queries(6):
        response = api.get(f"/visits/{visit.pk}/activities")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_visit_list_uses_constant_queries(api, org, count, django_assert_num_queries):
    for _ in range(count):
        factories.visit(org)
    api.get("/me")
    # token with organisation, count, page, interpreters
    with django_assert_num_queries(4):
        response = api.get("/visits")
    assert response.json()["count"] == count
