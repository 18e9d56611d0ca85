"""Writes of the notifications app: queue an email, send it (with retries), and batch changes
into one digest per person.

Any app tells people about changes through ``change_notify``: it records lines; a digest per
recipient leaves once no new line came for ``NOTIFY_DIGEST_DELAY_S`` (or at the latest
``NOTIFY_DIGEST_MAX_WAIT_S`` after the first one), so a burst of changes makes one email.
"""

import dataclasses
import datetime as dt
import logging
import re
from collections import OrderedDict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import OutgoingEmail, PendingChange
from outbox.services import task_ring
from planner.languages import text_language

log = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.email_send_task"


@dataclasses.dataclass(frozen=True)
class Recipient:
    """Who to tell: an address, the language to write in, and a name to greet."""

    email: str
    language: str = "fr"
    name: str = ""


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A file attached to an email; with no name, an alternative body part instead (a
    calendar invitation's text/calendar part sits beside the text, as iMIP wants)."""

    name: str
    mimetype: str
    content: str


@transaction.atomic
def email_queue(
    *,
    recipient: Recipient,
    subject: str,
    text: str,
    html: str = "",
    kind: str = OutgoingEmail.Kind.OTHER,
    attachments: tuple[Attachment, ...] = (),
    visit=None,
) -> OutgoingEmail:
    """Record an email and send it from a background task once the transaction commits."""
    email = OutgoingEmail.objects.create(
        visit=visit,
        to_email=recipient.email,
        to_name=recipient.name,
        language=text_language(recipient.language),
        kind=kind,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        attachments=[dataclasses.asdict(a) for a in attachments],
        attachment_names=[a.name for a in attachments if a.name],
    )
    # The row is the work: a lost bell (broker down, worker killed) is rung again by the sweep.
    transaction.on_commit(lambda: task_ring(SEND_TASK, email.pk, group="email"))
    return email


SPECIALS = re.compile(r'[,;:"<>()\[\]@\\]')
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _address(name: str, address: str) -> str:
    """ "Name <address>", the name quoted when it holds a comma or the like ("Dupont, Jean").
    Not email.utils.formataddr: it encodes non-ASCII names at once, and Django does that itself
    when sending, so the log and test outboxes keep names readable. A name stored before the
    models refused line breaks and control characters is put on one line without them."""
    name = " ".join(_CONTROL.sub("", name or "").split())
    if not name:
        return address
    if SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def _scrubbed() -> dict:
    return {"body_text": "", "body_html": "", "attachments": []}


def email_send(*, email_id: int, now=None) -> OutgoingEmail:
    """Send one queued email now. A failure is recorded and retried later (backing off)
    until ``EMAIL_MAX_ATTEMPTS``; sending twice is impossible (the row is claimed first)."""
    now = now or timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state != OutgoingEmail.State.QUEUED:
            return email
        if email.next_attempt_at is not None and email.next_attempt_at > now:
            return email  # a retry that is not due yet
        # Claim: a second worker delivered the same task sees a future next attempt.
        email.attempts += 1
        email.next_attempt_at = now + dt.timedelta(seconds=settings.EMAIL_SEND_CLAIM_S)
        email.save(update_fields=["attempts", "next_attempt_at"])
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_address(email.to_name, email.to_email)],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        if not attachment["name"]:  # a body in another form (text/calendar; method=REQUEST)
            message.attach_alternative(attachment["content"], attachment["mimetype"])
        else:
            message.attach(attachment["name"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except Exception as exc:  # whatever the backend raises, the log must say so
        log.warning("email %s to %s failed: %s", email.pk, email.to_email, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                state=OutgoingEmail.State.FAILED,
                last_error=error,
                next_attempt_at=None,
                **_scrubbed(),  # given up on: resending means making the message anew
            )
        else:
            backoff = settings.EMAIL_RETRY_BASE_S * 2 ** (email.attempts - 1)
            OutgoingEmail.objects.filter(pk=email.pk).update(
                last_error=error, next_attempt_at=now + dt.timedelta(seconds=backoff)
            )
    else:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            state=OutgoingEmail.State.SENT,
            sent_at=timezone.now(),
            next_attempt_at=None,
            **_scrubbed(),
        )
    email.refresh_from_db()
    return email


def emails_retry_due(*, now=None) -> int:
    """Send every queued email whose retry is due, and every one never tried whose bell was
    lost (run by the scheduled tick and by the outbox sweep when a worker starts)."""
    now = now or timezone.now()
    lost_before = now - dt.timedelta(seconds=settings.OUTBOX_RERING_AFTER_S)
    due = list(
        OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED)
        .filter(
            Q(attempts__gt=0, next_attempt_at__lte=now)
            | Q(attempts=0, next_attempt_at__isnull=True, created_at__lte=lost_before)
        )
        .values_list("pk", flat=True)
    )
    for pk in due:
        email_send(email_id=pk, now=now)
    return len(due)


@transaction.atomic
def change_notify(
    *,
    recipient: Recipient,
    topic: str,
    lines: list[str],
    key: str = "",
    link: str = "",
    link_label: str = "",
    visit=None,
    now=None,
) -> int:
    """Record changes to tell one person about; they leave in one digest (see module doc).

    ``key`` names what the lines are about: newer lines with the same key replace older
    ones. ``link`` (optional) is put at the end of the digest, e.g. a personal page."""
    if not recipient.email or not lines:
        return 0
    now = now or timezone.now()
    if key:
        PendingChange.objects.filter(email=recipient.email, topic=topic, key=key).delete()
    PendingChange.objects.bulk_create(
        PendingChange(
            visit=visit,
            email=recipient.email,
            name=recipient.name,
            language=text_language(recipient.language),
            topic=topic[:300],
            key=key,
            line=line,
            link=link,
            link_label=link_label,
            created_at=now,
        )
        for line in lines
    )
    return len(lines)


def _due_recipients(now) -> list[str]:
    delay = dt.timedelta(seconds=settings.NOTIFY_DIGEST_DELAY_S)
    max_wait = dt.timedelta(seconds=settings.NOTIFY_DIGEST_MAX_WAIT_S)
    spans = PendingChange.objects.values("email").annotate(
        first=Min("created_at"), last=Max("created_at")
    )
    return sorted(
        row["email"]
        for row in spans
        if row["last"] + delay <= now or row["first"] + max_wait <= now
    )


def digests_flush(*, now=None, force: bool = False) -> list[OutgoingEmail]:
    """Send one digest to each recipient whose changes have settled (all of them with
    ``force``). Lines added while a digest is written wait for the next one."""
    now = now or timezone.now()
    emails = []
    recipients = (
        sorted(set(PendingChange.objects.values_list("email", flat=True)))
        if force
        else _due_recipients(now)
    )
    for address in recipients:
        with transaction.atomic():
            rows = list(
                PendingChange.objects.select_for_update()
                .filter(email=address, created_at__lte=now)
                .order_by("created_at", "pk")
            )
            if not rows:
                continue
            emails.append(_digest_write(rows))
            PendingChange.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return emails


def _digest_write(rows: list[PendingChange]) -> OutgoingEmail:
    latest = rows[-1]
    topics: OrderedDict[str, list[str]] = OrderedDict()
    links: OrderedDict[str, str] = OrderedDict()
    for row in rows:
        topics.setdefault(row.topic, []).append(row.line)
        if row.link:
            links[row.link] = row.link_label
    language = text_language(latest.language)
    visits = {row.visit_id for row in rows}
    context = {
        "name": latest.name,
        "topics": list(topics.items()),
        "links": list(links.items()),
        "count": len(rows),
    }
    with translation.override(language):
        if len(topics) == 1:
            subject = _("What changed: %(topic)s") % {"topic": next(iter(topics))}
        else:
            subject = _("What changed in your programmes")
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    return email_queue(
        recipient=Recipient(email=latest.email, language=language, name=latest.name),
        subject=subject,
        text=text,
        html=html,
        kind=OutgoingEmail.Kind.DIGEST,
        visit=rows[0].visit if len(visits) == 1 else None,
    )


def notifications_tick(*, now=None) -> dict:
    """The scheduled job: digests whose changes settled, and retries that are due."""
    now = now or timezone.now()
    return {
        "digests": len(digests_flush(now=now)),
        "retried": emails_retry_due(now=now),
    }
