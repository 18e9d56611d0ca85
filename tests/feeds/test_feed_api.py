"""Organisers' feed links: list, create (links shown once), reset, revoke, tenancy."""

import pytest

from scheduling.access import AccessToken
from tests import factories
from tests.conftest import ApiClient


@pytest.fixture
def api_for(published, organiser):
    return ApiClient(factories.token_for(organiser))


def test_feed_create_returns_links_and_qr_once(published, api_for):
    plan = published
    response = api_for.post(
        f"/visits/{plan.visit.pk}/feeds", {"subject": "guest", "subject_id": plan.guest_fr.pk}
    )
    assert response.status_code == 201
    body = response.json()
    key = body["https_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert body["https_url"] == f"http://127.0.0.1:8000/feeds/{key}.ics"
    assert body["webcal_url"] == f"webcal://127.0.0.1:8000/feeds/{key}.ics"
    assert body["qr_svg"].startswith("<svg")
    assert (body["subject"], body["subject_label"], body["state"]) == (
        "guest",
        "Marie Tremblay",
        "active",
    )
    token = AccessToken.objects.get(pk=body["id"])
    assert token.key_hash == AccessToken.hash_key(key) and key not in token.key_hash
    assert len(key) == 43  # 256 random bits
    listed = api_for.get(f"/visits/{plan.visit.pk}/feeds").json()
    assert [(f["id"], f["prefix"]) for f in listed] == [(body["id"], key[:6])]
    assert "https_url" not in listed[0]


def test_feed_reset_gives_a_new_link_and_ends_the_old(published, api_for):
    plan = published
    made = api_for.post(f"/visits/{plan.visit.pk}/feeds", {"subject": "programme"}).json()
    reset = api_for.post(f"/visits/{plan.visit.pk}/feeds/{made['id']}/reset")
    assert reset.status_code == 201
    assert reset.json()["https_url"] != made["https_url"]
    states = {f["id"]: f["state"] for f in api_for.get(f"/visits/{plan.visit.pk}/feeds").json()}
    assert states == {made["id"]: "reset", reset.json()["id"]: "active"}


def test_feed_revoke_marks_it_revoked(published, api_for):
    plan = published
    made = api_for.post(
        f"/visits/{plan.visit.pk}/feeds", {"subject": "person", "subject_id": plan.mayor.pk}
    ).json()
    revoked = api_for.post(f"/visits/{plan.visit.pk}/feeds/{made['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked"


def test_feed_create_refuses_a_guest_of_another_visit(published, api_for, org):
    other = factories.visit(org)
    stranger = factories.guest(factories.delegation(other))
    response = api_for.post(
        f"/visits/{published.visit.pk}/feeds", {"subject": "guest", "subject_id": stranger.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.subject_id"


def test_feed_create_refuses_unknown_fields_and_subjects(published, api_for):
    url = f"/visits/{published.visit.pk}/feeds"
    assert api_for.post(url, {"subject": "programme", "colour": "red"}).status_code == 422
    assert api_for.post(url, {"subject": "everyone"}).status_code == 422
    assert api_for.post(url, {"subject": "guest"}).status_code == 422


def test_feed_of_another_organisation_is_404(published, other_org):
    stranger = ApiClient(factories.token_for(factories.organiser(other_org)))
    assert stranger.get(f"/visits/{published.visit.pk}/feeds").status_code == 404
    token = AccessToken.objects.create(
        key_hash="0" * 64,
        prefix="000000",
        purpose="feed",
        subject="programme",
        visit=published.visit,
    )
    url = f"/visits/{published.visit.pk}/feeds/{token.pk}/revoke"
    assert stranger.post(url).status_code == 404


def test_feed_list_counts_queries_with_one_and_three_feeds(
    published, api_for, django_assert_num_queries
):
    plan = published
    url = f"/visits/{plan.visit.pk}/feeds"
    api_for.post(url, {"subject": "programme"})
    with django_assert_num_queries(3):
        assert len(api_for.get(url).json()) == 1
    api_for.post(url, {"subject": "guest", "subject_id": plan.guest_fr.pk})
    api_for.post(url, {"subject": "interpreter", "subject_id": plan.interpreter.pk})
    with django_assert_num_queries(3):
        assert len(api_for.get(url).json()) == 3
