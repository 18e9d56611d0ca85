import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services as notify
from notifications.models import OutgoingEmail, PendingChange
from tests.notifications import backends

MARIE = notify.Recipient("marie@example.org", "fr", "Marie Tremblay")
JOSE = notify.Recipient("jose@example.org", "en", "Jose Santos")
T0 = dt.datetime(2030, 5, 1, 9, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    backends.FAILURES["left"] = 0
    yield backends.FAILURES
    backends.FAILURES["left"] = 0


def queued(**kw) -> OutgoingEmail:
    return notify.email_queue(
        recipient=MARIE, subject="Sujet", text="Bonjour", html="<p>Bonjour</p>", **kw
    )


def test_email_send_records_success_and_drops_the_bodies(db):
    email = notify.email_send(email_id=queued().pk)
    assert (email.state, email.attempts, email.last_error) == ("sent", 1, "")
    assert email.sent_at is not None
    assert (email.body_text, email.body_html) == ("", "")
    (message,) = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["Marie Tremblay <marie@example.org>"],
        "Sujet",
        "Bonjour",
    )


def test_email_to_a_name_with_a_comma_is_quoted(db):
    email = notify.email_queue(
        recipient=notify.Recipient("jd@example.org", "fr", "Dupont, Jean"), subject="S", text="x"
    )
    notify.email_send(email_id=email.pk)
    assert mail.outbox[0].to == ['"Dupont, Jean" <jd@example.org>']


def test_email_sent_twice_goes_out_once(db):
    email = queued()
    notify.email_send(email_id=email.pk)
    notify.email_send(email_id=email.pk)
    assert len(mail.outbox) == 1


def test_failed_send_is_retried_with_backoff_then_sent(db, flaky, settings):
    settings.EMAIL_RETRY_BASE_S = 60
    flaky["left"] = 2
    email = notify.email_send(email_id=queued().pk)
    assert (email.state, email.attempts) == ("queued", 1)
    assert email.last_error == "ConnectionRefusedError: SMTP server unreachable"
    first_retry = email.next_attempt_at
    assert notify.emails_retry_due(now=first_retry - dt.timedelta(seconds=1)) == 0
    assert notify.emails_retry_due(now=first_retry) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("queued", 2)
    # The second wait is twice the first.
    assert email.next_attempt_at - first_retry == dt.timedelta(seconds=120)
    assert notify.emails_retry_due(now=email.next_attempt_at) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 3)
    assert len(mail.outbox) == 1


def test_send_failing_every_time_ends_failed(db, flaky, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    flaky["left"] = 10
    email = notify.email_send(email_id=queued().pk)
    notify.emails_retry_due(now=email.next_attempt_at)
    email.refresh_from_db()
    assert (email.state, email.attempts, email.next_attempt_at) == ("failed", 2, None)
    assert email.body_text == ""
    assert mail.outbox == []


def test_burst_of_ten_changes_makes_one_digest_per_person(db, settings):
    settings.NOTIFY_DIGEST_DELAY_S = 15 * 60
    for i in range(10):
        for who in (MARIE, JOSE):
            notify.change_notify(
                recipient=who, topic="Aude 2009", lines=[f"Change {i}"], now=minutes(i)
            )
    # Changes kept coming until minute 9: nothing leaves before minute 24.
    assert notify.digests_flush(now=minutes(23)) == []
    emails = notify.digests_flush(now=minutes(24))
    assert sorted(e.to_email for e in emails) == ["jose@example.org", "marie@example.org"]
    marie = next(e for e in emails if e.to_email == "marie@example.org")
    assert [f"Change {i}" in marie.body_text for i in range(10)] == [True] * 10
    assert marie.kind == "digest"
    assert PendingChange.objects.count() == 0
    assert notify.digests_flush(now=minutes(60)) == []


def test_digest_leaves_after_the_maximum_wait_even_if_changes_keep_coming(db, settings):
    settings.NOTIFY_DIGEST_DELAY_S = 15 * 60
    settings.NOTIFY_DIGEST_MAX_WAIT_S = 60 * 60
    for i in range(0, 70, 10):
        notify.change_notify(recipient=MARIE, topic="Aude", lines=[f"at {i}"], now=minutes(i))
    assert len(notify.digests_flush(now=minutes(60))) == 1


def test_same_key_keeps_only_the_latest_line(db):
    for hour in (10, 11, 14):
        notify.change_notify(
            recipient=MARIE,
            topic="Aude",
            lines=[f"Maire: {hour} h"],
            key="activity-1",
            now=minutes(0),
        )
    (email,) = notify.digests_flush(now=minutes(30))
    assert "Maire: 14 h" in email.body_text
    assert "Maire: 10 h" not in email.body_text and "Maire: 11 h" not in email.body_text


def test_digest_is_written_in_the_recipients_language(db):
    notify.change_notify(recipient=JOSE, topic="Aude", lines=["x"], now=minutes(0))
    (email,) = notify.digests_flush(now=minutes(30))
    assert email.language == "en"
    assert email.subject == "What changed: Aude"
    assert email.body_text.startswith("Hello Jose Santos,")


def test_change_notify_without_address_records_nothing(db):
    count = notify.change_notify(recipient=notify.Recipient(""), topic="Aude", lines=["x"])
    assert count == 0 and PendingChange.objects.count() == 0


def test_tick_sends_settled_digests_and_due_retries(db, flaky):
    flaky["left"] = 1
    failed = notify.email_send(email_id=queued().pk)
    settled = timezone.now() - dt.timedelta(minutes=20)
    notify.change_notify(recipient=JOSE, topic="Aude", lines=["x"], now=settled)
    assert notify.notifications_tick(now=max(failed.next_attempt_at, timezone.now())) == {
        "digests": 1,
        "retried": 1,
    }
