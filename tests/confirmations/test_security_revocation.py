"""Revocation reaches everything (issue #16): revoking a host's link ends the calendar feeds
the host made from it; a shared programme feed is reset by organisers only."""

from django.test import Client

from confirmations import links
from scheduling.access import AccessToken, access_token_create


def feed(key: str):
    return Client().get(f"/feeds/{key}.ics")


def test_revoking_a_host_link_revokes_the_feeds_made_from_it(published, organiser):
    link, key = published.link(published.mayor)
    made = Client().post(f"/host/{key}/calendar/")
    assert made.status_code == 201
    feed_key = links.host_calendar_key(link=link, language="fr")
    assert feed(feed_key).status_code == 200
    # A feed the organiser made for the same host is the organiser's to revoke.
    _token, organisers = access_token_create(
        visit=published.visit,
        purpose=AccessToken.Purpose.FEED,
        subject="person",
        subject_id=published.mayor.pk,
        user=organiser,
    )
    links.host_link_revoke(visit=published.visit, person=published.mayor)
    assert feed(feed_key).status_code == 410
    assert (
        AccessToken.objects.filter(
            purpose="feed", person=published.mayor, created_by=None, revoked_at=None
        ).count()
        == 0
    )
    assert feed(organisers).status_code == 200


def test_the_organisers_revoke_button_ends_the_hosts_feeds(published, organiser):
    link, _key = published.link(published.mayor)
    feed_key = links.host_calendar_key(link=link, language="fr")
    client = Client()
    client.force_login(organiser)
    url = f"/visits/{published.visit.pk}/confirmations/hosts/{published.mayor.pk}/revoke/"
    assert client.post(url).status_code in {200, 302}
    assert feed(feed_key).status_code == 410


def _programme_key(visit, user=None) -> str:
    _token, key = access_token_create(
        visit=visit, purpose=AccessToken.Purpose.FEED, subject="programme", user=user
    )
    return key


def test_a_subscriber_cannot_reset_the_shared_programme_feed(published, organiser):
    key = _programme_key(published.visit, organiser)
    response = Client().post(f"/feeds/{key}/reset")
    assert response.status_code == 403
    assert "only the organisers" in response.content.decode()
    assert feed(key).status_code == 200
    assert AccessToken.objects.filter(purpose="feed").count() == 1


def test_a_subscriber_still_replaces_their_personal_feed(published):
    link, _key = published.link(published.mayor)
    feed_key = links.host_calendar_key(link=link, language="fr")
    assert Client().post(f"/feeds/{feed_key}/reset").status_code == 201
    assert feed(feed_key).status_code == 410


def test_an_organiser_still_resets_the_programme_feed(published, organiser):
    key = _programme_key(published.visit, organiser)
    client = Client()
    client.force_login(organiser)
    token = AccessToken.objects.get(purpose="feed")
    response = client.post(f"/visits/{published.visit.pk}/feeds/{token.pk}/", {"action": "reset"})
    assert response.status_code == 200
    assert feed(key).status_code == 410
