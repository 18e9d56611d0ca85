"""Sending each guest and interpreter their link: one email each in their language with
the page link and their own subscribe links, through the email log; people without an
address are listed for the organiser."""

import pytest

from notifications.models import OutgoingEmail
from personal import links, sending
from personal.models import PersonalLink


def test_nothing_is_sent_before_publication(stage):
    with pytest.raises(sending.SendRefused):
        sending.personal_send_all(visit=stage.visit)
    assert not OutgoingEmail.objects.exists()


def test_send_to_all_in_each_persons_language(published):
    report = sending.personal_send_all(visit=published.visit)
    assert sorted(link.person_name for link in report.sent) == [
        "Ana García",
        "Clara Interprète",
        "Marie Tremblay",
    ]
    assert [link.person_name for link in report.without_email] == ["Amadou Ouédraogo"]
    emails = {e.to_email: e for e in OutgoingEmail.objects.all()}
    assert set(emails) == {
        "ana.garcia@example.org",
        "marie.tremblay@example.org",
        "interprete@example.org",
    }
    ana = emails["ana.garcia@example.org"]
    assert ana.language == "es"
    assert "Étape régionale, mai 2030" in ana.subject
    link = PersonalLink.objects.get(guest=published.ana)
    _same, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    assert f"/me/{key}/" in ana.body_text
    feed = links.feed_key(link)
    assert f"webcal://127.0.0.1:8000/feeds/{feed}.ics" in ana.body_text
    assert "calendar.google.com/calendar/render?cid=webcal" in ana.body_html
    assert "outlook.live.com/calendar/0/addfromweb?url=" in ana.body_html
    assert "6–8 may 2030" in ana.body_text  # dates in Spanish
    # Nothing of the others in anyone's email.
    assert "Marie" not in ana.body_text and "no pork" not in ana.body_text
    assert link.sent_count == 1 and link.sent_at is not None and link.email_id == ana.pk
    # The guest without email has a link all the same, to be handed over.
    assert PersonalLink.objects.filter(guest=published.amadou, sent_at__isnull=True).exists()


def test_resend_carries_the_same_link_until_revoked(published):
    sending.personal_send(visit=published.visit, guest=published.ana)
    again, _ = sending.personal_send(visit=published.visit, guest=published.ana)
    bodies = [e.body_text for e in OutgoingEmail.objects.order_by("pk")]
    assert bodies[0] == bodies[1]
    assert again.sent_count == 2
    links.personal_link_revoke(link=again)
    sending.personal_send(visit=published.visit, guest=published.ana)
    assert OutgoingEmail.objects.order_by("-pk").first().body_text != bodies[0]
