"""The personal links in the API: per-person state and counts, send, revoke; another
organisation's visit does not exist; bad input is refused with the field and reason."""

from django.test import Client

from feeds.models import FeedFetch
from notifications.models import OutgoingEmail
from personal import links
from personal.models import PersonalLink
from scheduling.access import AccessToken
from tests import factories
from tests.conftest import ApiClient


def test_states_and_counts_follow_sent_opened_subscribed(published, api):
    url = f"/visits/{published.visit.pk}/personal-links"
    data = api.get(url).json()
    assert data["counts"] == {
        "people": 4,
        "sent": 0,
        "opened": 0,
        "subscribed": 0,
        "without_email": 1,
        "revoked": 0,
    }
    assert [(p["kind"], p["name"], p["state"]) for p in data["people"]] == [
        ("guest", "Amadou Ouédraogo", "none"),
        ("guest", "Ana García", "none"),
        ("guest", "Marie Tremblay", "none"),
        ("interpreter", "Clara Interprète", "none"),
    ]
    sent = api.post(url + "/send").json()
    assert len(sent["sent"]) == 3 and [p["name"] for p in sent["without_email"]] == [
        "Amadou Ouédraogo"
    ]
    link, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    Client().get(f"/me/{key}/")
    assert Client().get(f"/feeds/{links.feed_key(link)}.ics").status_code == 200
    data = api.get(url).json()
    assert data["counts"]["sent"] == 3
    assert data["counts"]["opened"] == 1
    assert data["counts"]["subscribed"] == 1
    ana = next(p for p in data["people"] if p["name"] == "Ana García")
    assert ana["opened"] and ana["subscribed"] and ana["first_opened_at"]
    assert "email" not in ana and ana["has_email"] is True
    assert FeedFetch.objects.count() == 1


def test_send_one_and_revoke(published, api):
    url = f"/visits/{published.visit.pk}/personal-links"
    response = api.post(url + "/send", {"kind": "guest", "person": published.ana.pk})
    assert response.status_code == 202
    assert [p["name"] for p in response.json()["sent"]] == ["Ana García"]
    assert OutgoingEmail.objects.count() == 1
    response = api.post(url + "/revoke", {"kind": "guest", "person": published.ana.pk})
    assert response.status_code == 204
    link = PersonalLink.objects.get(guest=published.ana)
    assert link.token.revoked_at is not None
    assert AccessToken.objects.get(pk=link.feed_token_id).revoked_at is not None
    assert api.get(url).json()["counts"]["revoked"] == 1


def test_bad_input_is_refused_with_field_and_reason(published, api):
    url = f"/visits/{published.visit.pk}/personal-links"
    response = api.post(url + "/send", {"kind": "guest"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.person"
    response = api.post(url + "/send", {"kind": "host", "person": 1})
    assert response.status_code == 422
    response = api.post(url + "/revoke", {"kind": "guest", "person": published.ana.pk})
    assert response.status_code == 404  # no link yet
    response = api.post(url + "/send", {"kind": "guest", "person": 10**9})
    assert response.status_code == 404


def test_nothing_published_is_a_409(stage, api):
    response = api.post(f"/visits/{stage.visit.pk}/personal-links/send")
    assert response.status_code == 409


def test_another_organisation_gets_404(published, other_org):
    intruder = ApiClient(factories.token_for(factories.organiser(other_org, username="x")))
    url = f"/visits/{published.visit.pk}/personal-links"
    assert intruder.get(url).status_code == 404
    assert intruder.post(url + "/send").status_code == 404
    assert (
        intruder.post(url + "/revoke", {"kind": "guest", "person": published.ana.pk}).status_code
        == 404
    )
    assert not OutgoingEmail.objects.exists()
    # Nor a person of their own visit through this one.
    theirs = factories.guest(factories.delegation(factories.visit(other_org, slug="theirs")))
    api_own = ApiClient(factories.token_for(factories.organiser(published.org, username="y")))
    response = api_own.post(url + "/send", {"kind": "guest", "person": theirs.pk})
    assert response.status_code == 404
