"""Serving feeds over HTTP: statuses, headers, conditional requests, who sees what."""

import pytest
from django.test import Client
from icalendar import Calendar

from feeds import render
from scheduling.access import AccessToken, access_token_reset, access_token_revoke
from scheduling.models import Slot
from tests.feeds.conftest import SATURDAY, SUNDAY, at
from tests.feeds.parsers import check_all, unfolded


def get(key: str, **headers):
    # A bare client sends no Accept header, as Google's fetcher does.
    return Client().get(f"/feeds/{key}.ics", headers=headers)


def summaries(response) -> list[tuple[str, str, int]]:
    cal = Calendar.from_ical(response.content)
    return [(str(e["SUMMARY"]), str(e["STATUS"]), int(e["SEQUENCE"])) for e in cal.walk("VEVENT")]


@pytest.fixture
def renders(monkeypatch):
    """Counts calendar renderings (the expensive step the cache exists to skip)."""
    calls = []
    real = render.feed_render

    def counting(feed):
        calls.append(feed.uid)
        return real(feed)

    monkeypatch.setattr(render, "feed_render", counting)
    return calls


def test_feed_answers_calendar_without_accept_header(published):
    response = get(published.feed_key())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Accept" not in response.request
    check_all(response.content)


def test_feed_programme_shows_every_slot_and_the_travel(published):
    response = get(published.feed_key())
    assert summaries(response) == [
        ("Rencontre avec le maire", "TENTATIVE", 0),
        ("Atelier Sud", "TENTATIVE", 0),
        # The programme's feed speaks the visit's first working language (French here).
        ("Trajet : Salle des fêtes → Ferme de Sarrant", "CONFIRMED", 0),
        ("Librairie de Sarrant", "CONFIRMED", 0),
    ]


def test_feed_guest_sees_only_their_subgroup_in_their_language(published):
    plan = published
    north = get(plan.feed_key("guest", plan.guest_fr.pk))
    south = get(plan.feed_key("guest", plan.guest_en.pk))
    assert [s[0] for s in summaries(north)] == ["Rencontre avec le maire", "Librairie de Sarrant"]
    assert [s[0] for s in summaries(south)] == [
        "Rencontre avec le maire",
        "Atelier Sud",
        "Travel: Salle des fêtes → Ferme de Sarrant",
        "Librairie de Sarrant",
    ]
    text = north.content.decode()
    assert "SUMMARY;LANGUAGE=fr:Rencontre avec le maire" in text
    assert "français → anglais" in text.replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=en:Rencontre avec le maire" in south.content.decode()


def test_feed_shows_no_contact_details(published):
    plan = published
    body = get(plan.feed_key("guest", plan.guest_en.pk)).content.decode().replace("\r\n ", "")
    for secret in ("maire@example.org", "marie@example.org", "Marie Tremblay", "ATTENDEE"):
        assert secret not in body


def test_feed_host_sees_their_slots_with_status(published):
    plan = published
    response = get(plan.feed_key("person", plan.bookseller.pk))
    assert summaries(response) == [("Librairie de Sarrant", "CONFIRMED", 0)]
    description = str(Calendar.from_ical(response.content).walk("VEVENT")[0]["DESCRIPTION"])
    # The bookseller reads French: the fixed words come from the fr catalogue.
    assert description.endswith("Vous avez confirmé cet horaire.")


def test_feed_interpreter_sees_their_assignments_and_loses_one_as_cancelled(published):
    plan = published
    key = plan.feed_key("interpreter", plan.interpreter.pk)
    assert summaries(get(key)) == [("Rencontre avec le maire", "TENTATIVE", 0)]
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
            plan.workshop: (at(SUNDAY, 9), at(SUNDAY, 10, 30)),
        },
        assignments=[(plan.meeting, plan.other_interpreter)],
    )
    # The interpreter reads French: the cancelled title says so in French.
    assert summaries(get(key)) == [("Annulé : Rencontre avec le maire", "CANCELLED", 1)]
    other = get(plan.feed_key("interpreter", plan.other_interpreter.pk))
    assert summaries(other) == [("Rencontre avec le maire", "TENTATIVE", 1)]


def test_feed_if_none_match_answers_304_with_one_query_and_no_render(
    published, django_assert_num_queries, renders
):
    key = published.feed_key()
    first = get(key)
    assert len(renders) == 1
    with django_assert_num_queries(1):
        again = get(key, if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert len(renders) == 1


def test_feed_if_modified_since_answers_304(published, django_assert_num_queries, renders):
    key = published.feed_key()
    first = get(key)
    with django_assert_num_queries(1):
        again = get(key, if_modified_since=first["Last-Modified"])
    assert again.status_code == 304
    assert len(renders) == 1


def test_feed_stale_etag_gets_the_full_feed(published):
    response = get(published.feed_key(), if_none_match='"not-this-one"')
    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_feed_cached_200_costs_one_query(published, django_assert_num_queries):
    key = published.feed_key()
    first = get(key)
    with django_assert_num_queries(1):
        again = get(key)
    assert again.content == first.content


def test_feed_same_data_gives_same_bytes_and_etag_after_the_cache_is_lost(published):
    from django.core.cache import cache

    key = published.feed_key()
    first = get(key)
    cache.clear()
    again = get(key)
    assert (again.content, again["ETag"], again["Last-Modified"]) == (
        first.content,
        first["ETag"],
        first["Last-Modified"],
    )


def test_feed_new_publication_changes_etag(published):
    plan = published
    key = plan.feed_key()
    first = get(key)
    plan.publish({plan.meeting: (at(SATURDAY, 14), at(SATURDAY, 16))})
    again = get(key, if_none_match=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "key",
    ["x", "a" * 42, "a" * 44, "%00" + "a" * 40, "a" * 40 + "!!!", "a" * 43],
)
def test_feed_malformed_or_unknown_token_is_404(published, key, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = get(key)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_feed_revoked_token_is_410(published):
    key = published.feed_key()
    access_token_revoke(token=AccessToken.objects.get())
    response = get(key)
    assert response.status_code == 410
    assert b"BEGIN:VCALENDAR" not in response.content


def test_feed_reset_token_is_410_and_the_new_one_works(published):
    old_key = published.feed_key()
    _new, new_key = access_token_reset(token=AccessToken.objects.get())
    assert get(old_key).status_code == 410
    assert get(new_key).status_code == 200


def test_feed_deleted_guest_is_410(published):
    plan = published
    key = plan.feed_key("guest", plan.guest_fr.pk)
    plan.guest_fr.delete()
    assert get(key).status_code == 410


def test_feed_expired_token_is_410(published):
    import datetime as dt

    key = published.feed_key(expires_at=at(SATURDAY, 0) - dt.timedelta(days=3650))
    assert get(key).status_code == 410


def test_feed_unpublished_programme_is_an_empty_calendar_with_its_name(plan):
    # A 404 makes calendar apps refuse the link when it is added (#19).
    key = plan.feed_key("guest", plan.guest_en.pk)
    response = get(key)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal, js = check_all(response.content)
    assert js["events"] == []
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]
    name = "Étape régionale\\, mars 2030: Aziz Rahman"  # TEXT escapes the comma
    assert f"X-WR-CALNAME:{name}" in unfolded(response.content)
    assert f"NAME:{name}" in unfolded(response.content)
    assert js["timezones"] == ["Europe/Paris"]
    # Published later: the same link fills in.
    plan.workshop.audience.clear()
    plan.publish({plan.workshop: (at(SATURDAY, 10), at(SATURDAY, 12))})
    assert len(check_all(get(key).content)[1]["events"]) == 1


def test_feed_host_link_token_opens_no_feed(published):
    key = published.feed_key()
    AccessToken.objects.update(purpose=AccessToken.Purpose.HOST_LINK)
    assert get(key).status_code == 404


def test_feed_owner_resets_their_own_link(published):
    plan = published
    key = plan.feed_key("guest", plan.guest_fr.pk)
    response = Client().post(f"/feeds/{key}/reset")
    assert response.status_code == 201
    links = response.json()
    new_key = links["https_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert links["webcal_url"] == "webcal://" + links["https_url"].split("://", 1)[1]
    assert get(key).status_code == 410
    assert get(new_key).status_code == 200
    assert Client().post(f"/feeds/{key}/reset").status_code == 410


def test_feed_user_text_with_control_characters_stays_a_valid_feed(published):
    plan = published
    # No NUL here: PostgreSQL cannot store one (the pure builder test covers it).
    plan.meeting.title = "Maire\rUID:evil\r\nEND:VEVENT\x0b\x1f"
    plan.meeting.description = "a;b,c\\d\n\x1bfin"
    plan.meeting.save()
    plan.publish({plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12))})
    response = get(plan.feed_key())
    cal, js = check_all(response.content)
    titles = [e["summary"] for e in js["events"]]
    assert "Maire\nUID:evil\nEND:VEVENT" in titles
    # The meeting, and what left the programme: cancelled until it has passed.
    assert [(e["uid"].split("@")[0], e["status"]) for e in js["events"]] == [
        (f"activity-{plan.meeting.pk}", "TENTATIVE"),
        (f"activity-{plan.workshop.pk}", "CANCELLED"),
        (f"travel-g{plan.south.pk}-20300331-v{plan.hall.pk}-v{plan.farm.pk}", "CANCELLED"),
        (f"activity-{plan.bookshop.pk}", "CANCELLED"),
    ]
    assert len(cal.walk("VEVENT")) == 4


def test_feed_follows_a_change_of_the_guests_language_and_the_visit_title(published):
    plan = published
    key = plan.feed_key("guest", plan.guest_fr.pk)
    assert b"SUMMARY;LANGUAGE=fr:" in get(key).content
    plan.guest_fr.preferred_language = "es"
    plan.guest_fr.save()
    plan.visit.title = "Étape régionale, nuevo título"
    plan.visit.save()
    body = get(key).content.decode()
    assert "SUMMARY;LANGUAGE=es:Rencontre avec le maire" in body
    assert "X-WR-CALNAME:Étape régionale\\, nuevo título: Marie Tremblay" in body


def test_feed_answers_head_and_refuses_post(published):
    key = published.feed_key()
    head = Client().head(f"/feeds/{key}.ics")
    assert head.status_code == 200
    assert head["Content-Type"] == "text/calendar; charset=utf-8"
    assert Client().post(f"/feeds/{key}.ics").status_code == 405


def test_feed_poll_is_answered_before_the_session_and_locale_layers(published):
    # LocaleMiddleware would add "Vary: Accept-Language"; the feed's language is the token's.
    response = Client().get(f"/feeds/{published.feed_key()}.ics", headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "")
    assert "sessionid" not in response.cookies


def test_feed_unknown_key_message_follows_the_browser_language(published):
    response = Client().get("/feeds/" + "a" * 43 + ".ics", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert (
        response.content.decode() == "No hay ninguna suscripción de calendario en esta dirección.\n"
    )


def test_feed_addresses_below_a_key_are_left_to_the_urlconf(published):
    # Only /feeds/<key>.ics is short-circuited; a deeper path still gets the normal 404 page.
    response = Client().get("/feeds/" + published.feed_key() + "/x.ics")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_feed_titles_follow_the_subscribers_language(plan):
    plan.meeting.titles = {"en": "Meeting the mayor", "es": "Encuentro con el alcalde"}
    plan.meeting.save(update_fields=["titles"])
    plan.publish({plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12))})
    english = get(plan.feed_key("guest", plan.guest_en.pk)).content.decode()
    french = get(plan.feed_key("guest", plan.guest_fr.pk)).content.decode()
    spanish = get(plan.feed_key("programme", language="es")).content.decode()
    assert "SUMMARY;LANGUAGE=en:Meeting the mayor\r\n" in english
    assert "SUMMARY;LANGUAGE=fr:Rencontre avec le maire\r\n" in french  # no fr title: the title
    assert "SUMMARY;LANGUAGE=es:Encuentro con el alcalde\r\n" in spanish


def test_feed_description_follows_the_subscribers_language(plan):
    plan.meeting.description = "Le maire présente la commune."
    plan.meeting.descriptions = {"en": "The mayor presents the village."}
    plan.meeting.save(update_fields=["description", "descriptions"])
    plan.publish({plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12))})
    english = get(plan.feed_key("guest", plan.guest_en.pk)).content.decode().replace("\r\n ", "")
    french = get(plan.feed_key("guest", plan.guest_fr.pk)).content.decode().replace("\r\n ", "")
    assert "The mayor presents the village." in english
    assert "Le maire présente la commune." not in english
    assert "Le maire présente la commune." in french


def test_feed_guest_journey_moves_then_is_cancelled_with_growing_sequence(published):
    from logistics.models import Journey
    from logistics.services import journeys_changed_send

    plan = published
    journey = Journey.objects.create(
        guest=plan.guest_en,
        direction="arrival",
        place=plan.hall,
        time=at(SATURDAY, 8),
        reference="AF 1",
    )
    journeys_changed_send(instance=journey)
    key = plan.feed_key("guest", plan.guest_en.pk)

    def arrival():
        events = get(key).content.decode().replace("\r\n ", "").split("BEGIN:VEVENT")
        found = [e for e in events if "AF 1" in e]
        return found[0] if found else ""

    assert "SEQUENCE:0" in arrival() and "STATUS:CONFIRMED" in arrival()
    check_all(get(key).content)  # icalendar, vobject and ical.js read the journey too
    assert "AF 1" not in get(plan.feed_key("guest", plan.guest_fr.pk)).content.decode()
    journey.time = at(SATURDAY, 9)
    journey.save()
    journeys_changed_send(instance=journey)
    assert "SEQUENCE:1" in arrival() and "DTSTART;TZID=Europe/Paris:20300330T090000" in arrival()
    visit = journey.guest.delegation.visit
    journey.delete()
    journeys_changed_send(scope_obj=visit)
    assert "SEQUENCE:2" in arrival() and "STATUS:CANCELLED" in arrival()


def test_feed_file_name_names_the_visit_and_the_person_in_ascii(published):
    plan = published
    guest = get(plan.feed_key("guest", plan.guest_fr.pk))
    assert guest["Content-Disposition"] == ('inline; filename="etape-mars-2030-marie-tremblay.ics"')
    assert get(plan.feed_key())["Content-Disposition"] == 'inline; filename="etape-mars-2030.ics"'
    plan.mayor.full_name = 'Éric "Ândrieu"; ☃ \r\nX-Evil: 1'
    plan.mayor.save()
    host = get(plan.feed_key("person", plan.mayor.pk))
    assert (
        host["Content-Disposition"]
        == 'inline; filename="etape-mars-2030-eric-andrieu-x-evil-1.ics"'
    )


def test_feed_is_gzipped_when_the_client_takes_it_with_its_own_etag(published):
    import gzip

    key = published.feed_key()
    plain = get(key)
    zipped = get(key, accept_encoding="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 2
    assert zipped["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    # Each representation revalidates with its own ETag, and only with it.
    again = get(key, accept_encoding="gzip", if_none_match=zipped["ETag"])
    assert (again.status_code, again["ETag"]) == (304, zipped["ETag"])
    assert get(key, if_none_match=plain["ETag"]).status_code == 304
    assert get(key, if_none_match=zipped["ETag"]).status_code == 200
    assert get(key, accept_encoding="gzip;q=0", if_none_match=plain["ETag"]).status_code == 304
    # Same data, same gzip bytes (no time in the gzip header).
    from django.core.cache import cache

    cache.clear()
    assert get(key, accept_encoding="gzip").content == zipped.content


def test_feed_last_modified_follows_the_subscribers_events_only(published):
    import datetime as dt

    from django.db.models import F

    from feeds.models import FeedEvent, ProgrammeFeed

    plan = published
    hour = dt.timedelta(hours=1)  # published an hour ago (Last-Modified counts seconds)
    FeedEvent.objects.update(modified=F("modified") - hour, created=F("created") - hour)
    ProgrammeFeed.objects.update(synced_at=F("synced_at") - hour)
    key = plan.feed_key("guest", plan.guest_fr.pk)  # north: the meeting, not the workshop
    first = get(key)
    latest = max(e.modified for e in FeedEvent.objects.all())
    from django.utils.http import http_date

    assert first["Last-Modified"] == http_date(int(latest.timestamp()))
    # The southern workshop moves: the programme changed, the northern guest's feed did not.
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
            plan.workshop: (at(SUNDAY, 10), at(SUNDAY, 11, 30)),
        },
        assignments=[(plan.meeting, plan.interpreter)],
    )
    second = get(key)
    assert second.content == first.content
    assert (second["ETag"], second["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert get(key, if_modified_since=first["Last-Modified"]).status_code == 304


def test_feed_last_modified_moves_when_only_the_calendar_name_changes(published):
    """A client that revalidates with If-Modified-Since alone must not keep the old name:
    Last-Modified follows the bytes, not only the events."""
    import datetime as dt

    from django.db.models import F

    from feeds.models import FeedEvent

    plan = published
    hour = dt.timedelta(hours=1)
    FeedEvent.objects.update(modified=F("modified") - hour, created=F("created") - hour)
    key = plan.feed_key("guest", plan.guest_fr.pk)
    first = get(key)
    plan.visit.title = "Étape régionale, nouveau nom"
    plan.visit.save()
    second = get(key)
    assert second.content != first.content
    assert second["Last-Modified"] != first["Last-Modified"]
    assert get(key, if_modified_since=first["Last-Modified"]).status_code == 200
    # Renamed back and forth: still never behind what a client holds.
    from django.core.cache import cache

    cache.clear()
    assert get(key)["Last-Modified"] == second["Last-Modified"]
