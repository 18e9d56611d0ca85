"""What the organiser follows per guest and interpreter of a visit: link made, sent, opened,
calendar subscribed (its feed fetched at least once), and the counts of each (page and API)."""

from dataclasses import dataclass

from django.utils import timezone

from events.models import Visit
from feeds.models import FeedFetch
from personal.models import PersonalLink
from personal.people import visit_guests, visit_interpreters


@dataclass
class PersonState:
    kind: str  # guest | interpreter
    id: int
    name: str
    email: str
    language: str
    link: PersonalLink | None
    state: str  # none | active | revoked | expired (the link's)
    sent_at: object = None
    sent_count: int = 0
    first_opened_at: object = None
    last_opened_at: object = None
    subscribed_at: object = None

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    @property
    def opened(self) -> bool:
        return self.first_opened_at is not None

    @property
    def subscribed(self) -> bool:
        return self.subscribed_at is not None


def _state(link: PersonalLink | None, now) -> str:
    if link is None:
        return "none"
    state = link.token.state(now)
    return state if state in {"active", "expired"} else "revoked"


def people_states(*, visit: Visit) -> list[PersonState]:
    """Every guest, then every interpreter, of the visit with their link's state."""
    now = timezone.now()
    links = list(PersonalLink.objects.filter(visit=visit).select_related("token", "feed_token"))
    by_guest = {link.guest_id: link for link in links if link.guest_id}
    by_interpreter = {link.interpreter_id: link for link in links if link.interpreter_id}
    fetched = dict(
        FeedFetch.objects.filter(
            token_id__in=[link.feed_token_id for link in links if link.feed_token_id]
        ).values_list("token_id", "first_fetched_at")
    )
    rows = []
    people = [
        ("guest", g.pk, g.full_name, g.email, g.preferred_language, by_guest.get(g.pk))
        for g in visit_guests(visit)
    ] + [
        (
            "interpreter",
            i.pk,
            i.person.full_name,
            i.person.email,
            i.person.preferred_language,
            by_interpreter.get(i.pk),
        )
        for i in visit_interpreters(visit)
    ]
    for kind, pk, name, email, language, link in people:
        row = PersonState(kind, pk, name, email, language, link, _state(link, now))
        if link is not None:
            row.sent_at, row.sent_count = link.sent_at, link.sent_count
            row.first_opened_at, row.last_opened_at = link.first_opened_at, link.last_opened_at
            row.subscribed_at = fetched.get(link.feed_token_id)
        rows.append(row)
    return rows


def counts(rows: list[PersonState]) -> dict[str, int]:
    return {
        "people": len(rows),
        "sent": sum(r.sent for r in rows),
        "opened": sum(r.opened for r in rows),
        "subscribed": sum(r.subscribed for r in rows),
        "without_email": sum(not r.email for r in rows),
        "revoked": sum(r.state == "revoked" for r in rows),
    }
