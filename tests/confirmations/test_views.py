import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from confirmations import links, proposals
from confirmations.models import HostAnswer
from scheduling import services
from scheduling.access import AccessToken
from tests import factories
from tests.confirmations.conftest import FIRST, TUESDAY, WEDNESDAY, at

INVALID = "A" * 43  # well-formed, but no such link


def page(key: str, client=None, **params):
    return (client or Client()).get(f"/host/{key}/", params)


def answer(key: str, slot_id: int, value: str, client=None, **fields):
    data = {"slot": slot_id, "answer": value, **fields}
    return (client or Client()).post(f"/host/{key}/", data)


def test_host_page_shows_only_the_hosts_own_slots_and_no_private_data(published):
    _link, key = published.link(published.mayor)
    response = page(key)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="slot ') == 2
    assert "Rencontre avec le maire" in body and "Conseil municipal" in body
    assert "Librairie de Sarrant" not in body  # the bookseller's slot
    for private in (
        "marie.tremblay@example.org",  # guests' emails
        "jose.santos@example.org",
        "+33 5 00 00 00 02",  # another host's phone
        "libreria@example.org",
        "+33 4 00 00 00 01",  # even their own phone is not echoed
        "Private: no pork",  # guests' notes
        "Private: budget",  # the organiser's description of the visit
    ):
        assert private not in body
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert "<script" not in body
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_host_page_is_in_the_hosts_language_with_babel_dates(published):
    _link, key = published.link(published.bookseller)
    body = page(key).content.decode()
    assert '<html lang="es">' in body
    assert "lunes, 6 de mayo de 2030" in body
    fr = page(key, lang="fr").content.decode()
    assert '<html lang="fr">' in fr and "lundi 6 mai 2030" in fr


def test_host_page_shows_the_delegation_and_interpreters(published):
    _link, key = published.link(published.mayor)
    body = page(key, lang="en").content.decode()
    assert "Délégation Québec–Philippines" in body
    assert "Canada" in body and "Philippines" in body
    interpreter = published.interpreter.person.full_name
    assert interpreter in body
    assert "openstreetmap.org/?mlat=42.9425" in body


def test_invalid_and_expired_links_look_the_same(published):
    link, key = published.link(published.mayor)
    unknown = page(INVALID)
    AccessToken.objects.filter(pk=link.token_id).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = page(key)
    links.host_link_revoke(visit=published.visit, person=published.mayor)
    revoked = page(key)
    junk = page("not-a-key")
    assert {r.status_code for r in (unknown, expired, revoked, junk)} == {404}
    assert unknown.content == expired.content == revoked.content == junk.content


def test_answer_needs_a_csrf_token(published):
    _link, key = published.link(published.mayor)
    client = Client(enforce_csrf_checks=True)
    response = answer(key, published.slot(published.meeting).pk, "confirmed", client=client)
    assert response.status_code == 403
    assert HostAnswer.objects.count() == 0


def test_answer_with_the_pages_csrf_token_is_recorded(published):
    _link, key = published.link(published.mayor)
    client = Client(enforce_csrf_checks=True)
    page(key, client=client)
    token = client.cookies["csrftoken"].value
    response = answer(
        key,
        published.slot(published.meeting).pk,
        "confirmed",
        client=client,
        csrfmiddlewaretoken=token,
    )
    assert response.status_code == 302
    assert HostAnswer.objects.get().answer == "confirmed"


def test_answering_by_get_changes_nothing(published):
    _link, key = published.link(published.mayor)
    response = page(key, slot=published.slot(published.meeting).pk, answer="confirmed")
    assert response.status_code == 200
    assert HostAnswer.objects.count() == 0


def test_confirm_redirects_and_the_page_shows_the_answer(published):
    _link, key = published.link(published.mayor)
    client = Client()
    slot = published.slot(published.meeting)
    response = answer(key, slot.pk, "confirmed", client=client, lang="en")
    assert response.status_code == 302
    assert response["Location"] == f"/host/{key}/?lang=en#slot-{slot.pk}"
    body = client.get(response["Location"]).content.decode()
    assert "Thank you: “Rencontre avec le maire” is confirmed." in body
    assert 'data-answer="confirmed"' in body
    # A double click: the same answer once more changes nothing, and says so.
    client.post(f"/host/{key}/", {"slot": slot.pk, "answer": "confirmed", "lang": "en"})
    body = client.get(f"/host/{key}/?lang=en").content.decode()
    assert "Your answer was already recorded; nothing changed." in body
    assert HostAnswer.objects.count() == 1


def test_decline_with_reason_is_shown_back(published):
    _link, key = published.link(published.mayor)
    client = Client()
    slot = published.slot(published.council)
    answer(key, slot.pk, "declined", client=client, reason="Conseil ce jour-là", lang="en")
    body = client.get(f"/host/{key}/?lang=en").content.decode()
    assert 'data-answer="declined"' in body and "Conseil ce jour-là" in body


def test_offer_ending_before_it_starts_is_a_form_error(published):
    _link, key = published.link(published.mayor)
    response = answer(
        key,
        published.slot(published.meeting).pk,
        "offered",
        w0_day=WEDNESDAY.isoformat(),
        w0_from="14:00",
        w0_to="11:00",
        lang="en",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field="windows.0.end"' in body
    assert "This time ends before it starts." in body
    assert HostAnswer.objects.count() == 0


def test_offer_outside_the_visit_is_a_form_error(published):
    _link, key = published.link(published.mayor)
    response = answer(
        key,
        published.slot(published.meeting).pk,
        "offered",
        w0_day="2030-05-20",
        w0_from="09:00",
        w0_to="11:00",
        lang="en",
    )
    assert response.status_code == 422
    assert 'data-field="windows.0.start"' in response.content.decode()


def test_offer_is_recorded(published):
    _link, key = published.link(published.mayor)
    response = answer(
        key,
        published.slot(published.meeting).pk,
        "offered",
        w0_day=WEDNESDAY.isoformat(),
        w0_from="09:00",
        w0_to="12:00",
    )
    assert response.status_code == 302
    offer = HostAnswer.objects.get()
    assert offer.answer == "offered"
    assert [(w["start"], w["end"]) for w in offer.windows if "start" in w] == [
        (at(WEDNESDAY, 9).isoformat(), at(WEDNESDAY, 12).isoformat())
    ]


def test_answer_for_a_moved_slot_says_where_it_went(published):
    _link, key = published.link(published.mayor)
    seen = published.slot(published.meeting)
    published.publish(
        {
            published.meeting: (at(TUESDAY, 14), at(TUESDAY, 16)),
            published.council: FIRST["council"],
        }
    )
    response = answer(key, seen.pk, "confirmed", lang="en")
    assert response.status_code == 409
    body = response.content.decode()
    assert "has moved to Tuesday, May 7, 2030" in body
    assert HostAnswer.objects.count() == 0


def test_answer_after_the_organiser_locked_is_refused_on_the_page(published):
    _link, key = published.link(published.mayor)
    slot = published.slot(published.meeting)
    services.slot_set_lock(slot=slot, locked=True)
    response = answer(key, slot.pk, "declined", lang="en")
    assert response.status_code == 409
    assert "The organiser has fixed “Rencontre avec le maire”" in response.content.decode()
    # The page offers no buttons for it any more.
    body = page(key, lang="en").content.decode()
    assert body.count('value="confirmed"') == 1


def test_host_page_is_rate_limited_per_key(published, settings):
    settings.HOST_LINK_RATE_PER_MIN = 3
    _link, key = published.link(published.mayor)
    codes = [page(key).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    # The fourth request with that key waits, from any address.
    limited = page(key, client=Client(REMOTE_ADDR="10.0.0.2"))
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    # Another host's link, from the same address, is not held back.
    _link, other = published.link(published.bookseller)
    assert page(other).status_code == 200


# The organiser's dashboard


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def test_dashboard_shows_each_hosts_state(published, organiser_client):
    proposals.proposals_send(visit=published.visit)
    _link, key = published.link(published.mayor)
    answer(key, published.slot(published.meeting).pk, "confirmed")
    answer(key, published.slot(published.council).pk, "declined", reason="Conseil")
    response = organiser_client.get(f"/visits/{published.visit.pk}/confirmations/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-state="confirmed"' in body and 'data-state="declined"' in body
    assert 'data-state="proposed"' in body  # the bookseller has not answered
    assert '<strong data-count="declined">1</strong>' in body
    only = organiser_client.get(
        f"/visits/{published.visit.pk}/confirmations/", {"state": "declined"}
    ).content.decode()
    assert only.count("<tr class=") == 1 and "Conseil" in only


def test_dashboard_of_another_organisation_is_not_found(published, other_org):
    stranger = factories.organiser(other_org)
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/visits/{published.visit.pk}/confirmations/").status_code == 404


def test_dashboard_resend_sends_the_same_link(
    published, organiser_client, mailoutbox, q_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"/visits/{published.visit.pk}/confirmations/hosts/{published.mayor.pk}/resend/"
        )
    assert response.status_code == 302
    _link, key = published.link(published.mayor)
    # The proposal (its slots follow as calendar invitations, each with an invite.ics).
    sent = [m for m in mailoutbox if not m.attachments]
    assert len(sent) == 1 and f"/host/{key}/" in sent[0].body


def test_dashboard_points_to_the_replan_waiting_to_be_published(
    published, organiser_client, q_sync, django_capture_on_commit_callbacks
):
    _link, key = published.link(published.mayor)
    with django_capture_on_commit_callbacks(execute=True):
        answer(key, published.slot(published.meeting).pk, "declined")
    body = organiser_client.get(f"/visits/{published.visit.pk}/confirmations/").content.decode()
    assert 'id="waiting-version"' in body
    assert f'href="/visits/{published.visit.pk}/diff/1/2/"' in body


def test_dashboard_revoke_then_resend_gives_a_new_working_link(
    published, organiser_client, mailoutbox, q_sync, django_capture_on_commit_callbacks
):
    _link, old = published.link(published.mayor)
    base = f"/visits/{published.visit.pk}/confirmations/hosts/{published.mayor.pk}"
    assert organiser_client.post(f"{base}/revoke/").status_code == 302
    assert page(old).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"{base}/resend/")
    _link, new = published.link(published.mayor)
    assert new != old and f"/host/{new}/" in mailoutbox[-1].body
    assert page(new).status_code == 200


def test_dashboard_fix_ends_the_hosts_right_to_change(published, organiser_client):
    _link, key = published.link(published.mayor)
    slot = published.slot(published.meeting)
    answer(key, slot.pk, "confirmed")
    response = organiser_client.post(
        f"/visits/{published.visit.pk}/confirmations/slots/{slot.pk}/fix/"
    )
    assert response.status_code == 302
    body = page(key, lang="en").content.decode()
    assert "The organisers have fixed this slot" in body
    assert answer(key, slot.pk, "declined", lang="en").status_code == 409


@pytest.mark.parametrize("count", [1, 3])
def test_host_page_queries_do_not_grow_with_slots(stage, count, django_assert_num_queries):
    extra = [
        factories.activity(
            stage.visit, stage.hall, hosts=[stage.mayor], title=f"Atelier {i}", duration_minutes=60
        )
        for i in range(count - 1)
    ]
    slots = {stage.meeting: FIRST["meeting"]}
    slots.update(
        {a: (at(WEDNESDAY, 9 + 2 * i), at(WEDNESDAY, 10 + 2 * i)) for i, a in enumerate(extra)}
    )
    stage.publish(slots, assignments=[(stage.meeting, stage.interpreter)])
    _link, key = stage.link(stage.mayor)
    client = Client()
    with django_assert_num_queries(10):
        response = page(key, client=client)
    assert response.content.decode().count('class="slot ') == count


def test_host_calendar_gives_a_feed_of_the_hosts_own_slots_in_their_language(published):
    _link, key = published.link(published.mayor)
    response = Client().post(f"/host/{key}/calendar/", {"lang": "es"})
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    https_url = response.context["calendar"]["https_url"]
    assert response.context["calendar"]["webcal_url"].startswith("webcal://")
    feed = Client().get(urlsplit(https_url).path)
    assert feed.status_code == 200
    text = feed.content.decode().replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=es:Rencontre avec le maire" in text
    assert "Librairie de Sarrant" not in text  # another host's slot
    token = AccessToken.objects.get(key_hash=AccessToken.hash_key(https_url[-47:-4]))
    assert (token.purpose, token.subject, token.person_id) == ("feed", "person", published.mayor.pk)


def test_host_calendar_with_an_invalid_link_is_the_same_404(published):
    assert Client().post(f"/host/{INVALID}/calendar/").status_code == 404
    _link, key = published.link(published.mayor)
    assert Client().get(f"/host/{key}/calendar/").status_code == 405
