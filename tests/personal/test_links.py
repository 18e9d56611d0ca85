"""Personal links: made once and reused, resolved, revoked with their feed; the page opens
with the link only, and unknown, revoked and expired links answer the very same 404."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from personal import links
from personal.models import PersonalLink
from scheduling.access import AccessToken
from tests import factories

INVALID = "A" * 43


def page(key, **params):
    return Client().get(f"/me/{key}/", params)


def test_link_is_made_once_and_reused(published):
    first, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    again, same = links.personal_link_get(visit=published.visit, guest=published.ana)
    assert (first.pk, key) == (again.pk, same)
    assert first.token.purpose == AccessToken.Purpose.PERSONAL_PAGE
    assert first.feed_token.purpose == AccessToken.Purpose.FEED
    assert first.feed_token.guest_id == published.ana.pk
    assert first.token.expires_at == first.feed_token.expires_at
    assert links.personal_link_resolve(key=key).pk == first.pk
    # Only the hash is stored.
    assert not AccessToken.objects.filter(key_hash=key).exists()


def test_link_for_someone_of_another_visit_is_refused(published, org):
    other = factories.visit(org, slug="other")
    stranger = factories.guest(factories.delegation(other))
    with pytest.raises(ValidationError) as refused:
        links.personal_link_get(visit=published.visit, guest=stranger)
    assert "guest" in refused.value.message_dict
    lone = factories.interpreter(org)
    with pytest.raises(ValidationError):
        links.personal_link_get(visit=published.visit, interpreter=lone)


def test_revoking_ends_the_page_and_its_feed_then_a_new_pair_is_made(published):
    link, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    feed = links.feed_key(link)
    assert Client().get(f"/feeds/{feed}.ics").status_code == 200
    links.personal_link_revoke(link=link)
    assert page(key).status_code == 404
    assert Client().get(f"/feeds/{feed}.ics").status_code == 410
    with pytest.raises(links.LinkInvalid):
        links.personal_link_resolve(key=key)
    renewed, new_key = links.personal_link_get(visit=published.visit, guest=published.ana)
    assert renewed.pk == link.pk and new_key != key
    assert links.feed_key(renewed) != feed
    assert page(new_key).status_code == 200


def test_unknown_revoked_and_expired_links_answer_the_same_404(published):
    revoked, revoked_key = links.personal_link_get(visit=published.visit, guest=published.ana)
    links.personal_link_revoke(link=revoked)
    expired, expired_key = links.personal_link_get(visit=published.visit, guest=published.marie)
    AccessToken.objects.filter(pk=expired.token_id).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    answers = [page(k) for k in (INVALID, revoked_key, expired_key, "short")]
    assert {a.status_code for a in answers} == {404}
    bodies = {a.content for a in answers}
    assert len(bodies) == 1
    assert all("no-store" in a["Cache-Control"] for a in answers)


def test_a_host_link_key_opens_no_personal_page(published):
    from confirmations.links import host_link_get

    _link, host_key = host_link_get(visit=published.visit, person=published.mayor)
    assert page(host_key).status_code == 404


@override_settings(HOST_LINK_RATE_PER_MIN=3, HOST_LINK_GUESSES_PER_MIN=2)
def test_rate_limit_on_guesses_never_blocks_a_working_link(published):
    _link, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    codes = [page(f"{INVALID[:-2]}{i:02d}").status_code for i in range(4)]
    assert codes[:2] == [404, 404] and codes[-1] == 429
    assert page(key).status_code == 200
    # One key hammered: past the limit a minute, it waits too.
    codes = [page(key).status_code for _ in range(3)]
    assert codes[-1] == 429


def test_opening_records_first_and_last_time(published):
    link, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    assert link.first_opened_at is None
    page(key)
    link.refresh_from_db()
    first = link.first_opened_at
    assert first is not None and link.last_opened_at == first
    page(key)
    link.refresh_from_db()
    assert link.first_opened_at == first and link.last_opened_at >= first
    assert link.seen_version_id == published.programme.current_version_id


def test_one_link_per_person_and_visit(published):
    links.personal_link_get(visit=published.visit, interpreter=published.interpreter)
    links.personal_link_get(visit=published.visit, interpreter=published.interpreter)
    assert PersonalLink.objects.filter(interpreter=published.interpreter).count() == 1


def test_feed_fetches_are_recorded_for_the_organiser(published):
    from feeds.models import FeedFetch

    link, _key = links.personal_link_get(visit=published.visit, guest=published.ana)
    url = f"/feeds/{links.feed_key(link)}.ics"
    assert not FeedFetch.objects.exists()
    first = Client().get(url)
    assert first.status_code == 200
    fetch = FeedFetch.objects.get(token_id=link.feed_token_id)
    assert fetch.first_fetched_at == fetch.last_fetched_at
    Client().get(url, headers={"if-none-match": first["ETag"]})  # within 10 minutes: no write
    assert FeedFetch.objects.get().last_fetched_at == fetch.last_fetched_at
    links.personal_link_revoke(link=link)
    assert Client().get(url).status_code == 410
    assert FeedFetch.objects.count() == 1
