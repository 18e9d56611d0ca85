"""The organiser's page of personal links: each person sent or not, opened or not,
subscribed or not; send to all, send to one, revoke, the hand-over sheet; another
organisation's visit does not exist."""

from django.test import Client

from notifications.models import OutgoingEmail
from personal import links
from personal.models import PersonalLink
from tests import factories


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_lists_everyone_and_sends_to_all(published, organiser):
    client = signed_in(organiser)
    url = f"/visits/{published.visit.pk}/people-links/"
    page = client.get(url).content.decode()
    for name in ("Ana García", "Marie Tremblay", "Amadou Ouédraogo", "Clara Interprète"):
        assert name in page
    assert 'data-count="sent">0<' in page
    response = client.post(url + "send/", follow=True)
    page = response.content.decode()
    assert 'data-count="sent">3<' in page
    assert "Amadou Ouédraogo" in page and OutgoingEmail.objects.count() == 3
    _link, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    Client().get(f"/me/{key}/")
    page = client.get(url).content.decode()
    assert 'data-count="opened">1<' in page
    visit_page = client.get(f"/visits/{published.visit.pk}/").content.decode()
    assert f'href="/visits/{published.visit.pk}/people-links/"' in visit_page


def test_send_one_revoke_and_handover(published, organiser):
    client = signed_in(organiser)
    base = f"/visits/{published.visit.pk}/people-links/guest/"
    client.post(f"{base}{published.ana.pk}/send/")
    assert OutgoingEmail.objects.get().to_email == "ana.garcia@example.org"
    client.post(f"{base}{published.ana.pk}/revoke/")
    assert PersonalLink.objects.get(guest=published.ana).token.revoked_at is not None
    sheet = client.post(f"{base}{published.amadou.pk}/handover/")
    assert sheet.status_code == 200
    _link, key = links.personal_link_get(visit=published.visit, guest=published.amadou)
    body = sheet.content.decode()
    assert f"/me/{key}/" in body and "<svg" in body
    assert '<article class="handover" lang="fr">' in body  # the person's language
    assert client.get(f"{base}{published.amadou.pk}/handover/").status_code == 405
    assert client.post(f"{base}999999/send/").status_code == 404
    assert client.post(f"/visits/{published.visit.pk}/people-links/host/1/send/").status_code == 404


def test_another_organisation_sees_nothing(published, other_org):
    stranger = signed_in(factories.organiser(other_org, username="stranger"))
    url = f"/visits/{published.visit.pk}/people-links/"
    assert stranger.get(url).status_code == 404
    assert stranger.post(url + "send/").status_code == 404
    assert stranger.post(f"{url}guest/{published.ana.pk}/handover/").status_code == 404
    assert stranger.post(f"{url}guest/{published.ana.pk}/revoke/").status_code == 404
    assert not OutgoingEmail.objects.exists() and not PersonalLink.objects.exists()
