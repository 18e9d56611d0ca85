import email
import email.policy

import pytest
from django.core import mail
from django_q.conf import Conf

from tests.confirmations.conftest import FIRST, Stage, _fresh_cache  # noqa: F401

ORGANIZER = "rencontres@example.org"


@pytest.fixture
def q_sync(monkeypatch):
    """Queued tasks run at once (when the transaction commits), as a worker would."""
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def stage(org, settings):
    settings.INVITATIONS_ORGANIZER_EMAIL = ORGANIZER
    # Replies are read (an answer is asked for): the mailbox is only polled when a test does;
    # a test that started a real mailbox (test_roundtrip's servers) keeps its own.
    if not getattr(settings, "INVITATIONS_IMAP_HOST", None):
        settings.INVITATIONS_IMAP_HOST, settings.INVITATIONS_IMAP_USER = "127.0.0.1", "replies"
    settings.INVITATIONS_UPDATE_DELAY_S = 0  # a publication's sync runs at commit
    return Stage(org)


@pytest.fixture
def published(stage, q_sync, django_capture_on_commit_callbacks):
    stage.interpreter.person.email = "interprete@example.org"
    stage.interpreter.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        stage.publish(
            {getattr(stage, name): span for name, span in FIRST.items()},
            assignments=[(stage.meeting, stage.interpreter)],
        )
    return stage


def invitations_in(outbox=None) -> list[dict]:
    """The calendar invitations in the test outbox: to, subject, the parsed message, the
    calendar of its text/calendar part and of its invite.ics attachment."""
    found = []
    for message in mail.outbox if outbox is None else outbox:
        raw = message.message().as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        if _has_calendar(parsed):
            found.append(invitation_of(parsed, raw))
            # The calendar as the app wrote it (as_bytes above writes LF line ends; SMTP sends
            # CRLF, as test_roundtrip checks).
            found[-1]["ics"] = next(
                content.encode()
                for content, mimetype in message.alternatives
                if mimetype.startswith("text/calendar")
            )
    return found


def _has_calendar(parsed) -> bool:
    return any(p.get_content_type() == "text/calendar" for p in parsed.walk())


def invitation_of(parsed, raw: bytes) -> dict:
    inline = attached = None
    for part in parsed.walk():
        if part.get_content_type() != "text/calendar":
            continue
        if part.get_filename() == "invite.ics":
            attached = part
        else:
            inline = part
    return {
        "to": parsed["To"],
        "subject": str(parsed["Subject"]),
        "message": parsed,
        "raw": raw,
        "inline": inline,
        "attached": attached,
        "ics": inline.get_payload(decode=True) if inline is not None else None,
    }
