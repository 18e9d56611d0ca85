import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from confirmations import answers, proposals
from confirmations.models import HostAnswer, Proposal
from scheduling.access import AccessToken
from tests.confirmations.conftest import FIRST, TUESDAY, WEDNESDAY, at

INVALID = "A" * 43


def host_get(key, **params):
    return Client().get(f"/api/v1/host/{key}", params)


def host_post(key, slot_id, body, lang="en"):
    return Client().post(
        f"/api/v1/host/{key}/slots/{slot_id}/answer?lang={lang}",
        body,
        content_type="application/json",
    )


def test_host_api_lists_only_the_hosts_slots(published):
    _link, key = published.link(published.bookseller)
    response = host_get(key)
    assert response.status_code == 200
    data = response.json()
    assert (data["host"], data["language"]) == ("Lucía Ferrer", "es")
    assert [s["title"] for s in data["slots"]] == ["Librairie de Sarrant"]
    assert data["slots"][0]["date"] == "lunes, 6 de mayo de 2030"
    assert "example.org" not in response.content.decode()


def test_host_api_confirm_then_double_click(published):
    _link, key = published.link(published.mayor)
    slot = published.slot(published.meeting)
    first = host_post(key, slot.pk, {"answer": "confirmed"})
    second = host_post(key, slot.pk, {"answer": "confirmed"})
    assert first.status_code == second.status_code == 200
    assert (first.json()["status"], first.json()["locked"], first.json()["changed"]) == (
        "confirmed",
        True,
        True,
    )
    assert second.json()["changed"] is False
    assert HostAnswer.objects.count() == 1


def test_host_api_moved_slot_is_a_409_with_detail(published):
    _link, key = published.link(published.mayor)
    seen = published.slot(published.meeting)
    published.publish(
        {published.meeting: (at(TUESDAY, 14), at(TUESDAY, 16)), published.council: FIRST["council"]}
    )
    response = host_post(key, seen.pk, {"answer": "confirmed"})
    assert response.status_code == 409
    assert response.json()["code"] == "moved"
    assert response.json()["detail"].startswith("“Rencontre avec le maire” has moved to")
    assert HostAnswer.objects.count() == 0
    # In the host's own language unless asked otherwise.
    french = host_post(key, seen.pk, {"answer": "confirmed"}, lang="")
    assert "mardi 7 mai 2030" in french.json()["detail"]


def test_host_api_locked_slot_is_a_409(published):
    from scheduling import services

    _link, key = published.link(published.mayor)
    slot = published.slot(published.meeting)
    services.slot_set_lock(slot=slot, locked=True)
    response = host_post(key, slot.pk, {"answer": "declined", "reason": "non"})
    assert (response.status_code, response.json()["code"]) == (409, "locked")


def test_host_api_window_ending_before_start_is_a_422_naming_the_field(published):
    _link, key = published.link(published.mayor)
    body = {
        "answer": "offered",
        "windows": [{"start": at(WEDNESDAY, 14).isoformat(), "end": at(WEDNESDAY, 11).isoformat()}],
    }
    response = host_post(key, published.slot(published.meeting).pk, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.windows.0.end"]


def test_host_api_window_outside_the_visit_is_a_422_naming_the_field(published):
    _link, key = published.link(published.mayor)
    body = {
        "answer": "offered",
        "windows": [{"start": "2030-06-01T09:00:00+02:00", "end": "2030-06-01T11:00:00+02:00"}],
    }
    response = host_post(key, published.slot(published.meeting).pk, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.windows.0.start"]


def test_host_api_unknown_field_is_a_422(published):
    _link, key = published.link(published.mayor)
    response = host_post(key, published.slot(published.meeting).pk, {"answer": "confirmed", "x": 1})
    assert response.status_code == 422


def test_host_api_invalid_and_expired_links_look_the_same(published):
    link, key = published.link(published.mayor)
    slot_id = published.slot(published.meeting).pk
    unknown = host_get(INVALID), host_post(INVALID, slot_id, {"answer": "confirmed"})
    AccessToken.objects.filter(pk=link.token_id).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = host_get(key), host_post(key, slot_id, {"answer": "confirmed"})
    for a, b in zip(unknown, expired, strict=True):
        assert (
            (a.status_code, a.content)
            == (b.status_code, b.content)
            == (404, b'{"detail": "This link does not work.", "errors": []}')
        )
    assert HostAnswer.objects.count() == 0


def test_host_api_other_hosts_slot_is_not_found(published):
    _link, key = published.link(published.mayor)
    response = host_post(key, published.slot(published.bookshop).pk, {"answer": "declined"})
    assert response.status_code == 404
    assert HostAnswer.objects.count() == 0


def test_host_api_is_rate_limited(published, settings):
    settings.HOST_LINK_RATE_PER_MIN = 2
    _link, key = published.link(published.mayor)
    assert [host_get(key).status_code for _ in range(3)] == [200, 200, 429]
    assert "wait a minute" in host_get(key).json()["detail"]


# Organisers


def test_confirmation_list_states_and_filters(published, api):
    proposals.proposals_send(visit=published.visit)
    link, _key = published.link(published.mayor)
    answers.host_answer_record(
        link=link, slot_id=published.slot(published.meeting).pk, answer="confirmed"
    )
    visit = published.visit.pk
    rows = api.get(f"/visits/{visit}/confirmations").json()["items"]
    assert [(r["title"], r["host"], r["state"]) for r in rows] == [
        ("Rencontre avec le maire", "Eric Andrieu", "confirmed"),
        ("Librairie de Sarrant", "Lucía Ferrer", "proposed"),
        ("Conseil municipal", "Eric Andrieu", "proposed"),
    ]
    assert all(r["since_sent_s"] is not None and r["since_sent_s"] >= 0 for r in rows)
    only = api.get(f"/visits/{visit}/confirmations", state="confirmed").json()["items"]
    assert [r["title"] for r in only] == ["Rencontre avec le maire"]
    bookseller = api.get(f"/visits/{visit}/confirmations", host=published.bookseller.pk).json()[
        "items"
    ]
    assert [r["host"] for r in bookseller] == ["Lucía Ferrer"]
    assert api.get(f"/visits/{visit}/confirmations", state="nonsense").status_code == 422


@pytest.mark.parametrize("count", [1, 3])
def test_confirmation_list_queries_do_not_grow(stage, api, count, django_assert_num_queries):
    names = ["meeting", "bookshop", "council"][:count]
    stage.publish({getattr(stage, n): FIRST[n] for n in names})
    proposals.proposals_send(visit=stage.visit)
    with django_assert_num_queries(9):
        response = api.get(f"/visits/{stage.visit.pk}/confirmations")
    assert response.json()["count"] == count


def test_proposals_send_api(published, api):
    response = api.post(f"/visits/{published.visit.pk}/confirmations/send", {})
    assert response.status_code == 202
    assert response.json()["sent"] == 2
    assert Proposal.objects.count() == 2
    only = api.post(
        f"/visits/{published.visit.pk}/confirmations/send", {"hosts": [published.mayor.pk]}
    )
    assert only.json()["sent"] == 1


def test_proposals_send_api_without_published_version_is_a_409(stage, api):
    response = api.post(f"/visits/{stage.visit.pk}/confirmations/send", {})
    assert response.status_code == 409
    assert "Publish a version" in response.json()["detail"]


def test_revoke_api_kills_the_link(published, api):
    _link, key = published.link(published.mayor)
    response = api.post(
        f"/visits/{published.visit.pk}/confirmations/hosts/{published.mayor.pk}/revoke"
    )
    assert response.status_code == 204
    assert host_get(key).status_code == 404


def test_confirmations_of_another_organisation_are_not_found(published, other_org):
    from tests import factories
    from tests.conftest import ApiClient

    stranger = ApiClient(factories.token_for(factories.organiser(other_org)))
    assert stranger.get(f"/visits/{published.visit.pk}/confirmations").status_code == 404
