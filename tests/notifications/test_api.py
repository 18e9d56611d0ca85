import pytest

from notifications import services as notify
from notifications.models import OutgoingEmail

MARIE = notify.Recipient("marie@example.org", "fr", "Marie Tremblay")


def test_email_list_is_the_visits_log(visit, api):
    email = notify.email_queue(recipient=MARIE, subject="Sujet", text="x", visit=visit)
    notify.email_send(email_id=email.pk)
    notify.email_queue(recipient=MARIE, subject="Autre visite", text="x")
    rows = api.get(f"/visits/{visit.pk}/emails").json()["items"]
    assert [(r["to_email"], r["subject"], r["state"], r["attempts"]) for r in rows] == [
        ("marie@example.org", "Sujet", "sent", 1)
    ]
    assert "body_text" not in rows[0]
    assert api.get(f"/visits/{visit.pk}/emails", state="queued").json()["count"] == 0


@pytest.mark.parametrize("count", [1, 3])
def test_email_list_queries_do_not_grow(visit, api, count, django_assert_num_queries):
    for i in range(count):
        notify.email_queue(recipient=MARIE, subject=f"Sujet {i}", text="x", visit=visit)
    with django_assert_num_queries(5):
        response = api.get(f"/visits/{visit.pk}/emails")
    assert response.json()["count"] == count == OutgoingEmail.objects.count()


def test_email_list_of_another_organisation_is_not_found(visit, other_org):
    from tests import factories
    from tests.conftest import ApiClient

    stranger = ApiClient(factories.token_for(factories.organiser(other_org)))
    assert stranger.get(f"/visits/{visit.pk}/emails").status_code == 404
