"""A host's own feed follows their own answer (#19): confirmed by them reads confirmed for them
while a co-host has not answered; the others still read it as tentative."""

from django.utils import translation
from icalendar import Calendar

from confirmations.answers import host_answer_record
from confirmations.links import host_link_get
from events.models import ActivityHost
from feeds.models import FeedEvent
from scheduling.models import Slot
from tests import factories
from tests.feeds.conftest import SATURDAY, SUNDAY, at
from tests.feeds.test_feed_views import get


def _event(response, title: str):
    cal = Calendar.from_ical(response.content)
    (event,) = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == title]
    return event


def _answer(plan, person, answer="confirmed"):
    link, _key = host_link_get(visit=plan.visit, person=person)
    slot = Slot.objects.get(version=plan.programme.current_version, activity=plan.meeting)
    return host_answer_record(link=link, slot_id=slot.pk, answer=answer)


def _publish_with_two_hosts(plan):
    ActivityHost.objects.create(activity=plan.meeting, person=plan.bookseller)
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
        }
    )


def test_host_feed_follows_the_hosts_own_answer(plan):
    _publish_with_two_hosts(plan)
    mayor = plan.feed_key("person", plan.mayor.pk, language="en")
    bookseller = plan.feed_key("person", plan.bookseller.pk, language="en")
    programme = plan.feed_key(language="en")
    title = "Rencontre avec le maire"
    before = int(_event(get(mayor), title)["SEQUENCE"])

    _answer(plan, plan.mayor)

    assert Slot.objects.get(
        version=plan.programme.current_version, activity=plan.meeting
    ).status == (Slot.Status.PROPOSED)  # the bookseller has not answered
    own = _event(get(mayor), title)
    assert str(own["STATUS"]) == "CONFIRMED"
    with translation.override("en"):
        assert "You confirmed this time." in str(own["DESCRIPTION"])
    assert "waiting for your answer" not in str(own["DESCRIPTION"])
    # The calendar must take the change: SEQUENCE grew.
    assert int(own["SEQUENCE"]) == before + 1

    other = _event(get(bookseller), title)
    assert str(other["STATUS"]) == "TENTATIVE"
    assert "Proposed: waiting for your answer." in str(other["DESCRIPTION"])
    assert str(_event(get(programme), title)["STATUS"]) == "TENTATIVE"


def test_feed_event_keeps_answers_only_for_the_time_answered(plan):
    _publish_with_two_hosts(plan)
    _answer(plan, plan.mayor)
    key = f"activity-{plan.meeting.pk}"
    assert FeedEvent.objects.get(key=key).data["answers"] == {str(plan.mayor.pk): "confirmed"}
    # Moved: the mayor answered for the old time only.
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 14), at(SATURDAY, 16)),
            plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
        }
    )
    assert "answers" not in FeedEvent.objects.get(key=key).data
    mayor = plan.feed_key("person", plan.mayor.pk, language="en")
    assert str(_event(get(mayor), "Rencontre avec le maire")["STATUS"]) == "TENTATIVE"


def test_host_feed_events_link_to_the_hosts_answer_page(published):
    from confirmations.links import host_url

    plan = published
    _link, host_key = host_link_get(visit=plan.visit, person=plan.mayor)
    cal = Calendar.from_ical(get(plan.feed_key("person", plan.mayor.pk)).content)
    assert [str(e["URL"]) for e in cal.walk("VEVENT")] == [host_url(host_key)]
    guest = Calendar.from_ical(get(plan.feed_key("guest", plan.guest_fr.pk)).content)
    assert all("URL" not in e for e in guest.walk("VEVENT"))


def test_host_feed_follows_a_new_answer_link(published):
    """An organiser resets a host's link: the host's feed (already polled, so cached) links
    to the new page at once, and no longer to the dead one."""
    from confirmations.links import host_link_revoke, host_url

    plan = published
    _link, old_key = host_link_get(visit=plan.visit, person=plan.mayor)
    # The organiser's own subscription link for the host (it outlives the host's link).
    organiser = factories.organiser(plan.visit.owner)
    feed_key = plan.feed_key("person", plan.mayor.pk, user=organiser)
    first = get(feed_key)
    assert host_url(old_key).encode() in first.content.replace(b"\r\n ", b"")
    host_link_revoke(visit=plan.visit, person=plan.mayor)
    revoked = Calendar.from_ical(get(feed_key).content)
    assert all("URL" not in e for e in revoked.walk("VEVENT"))
    _link, new_key = host_link_get(visit=plan.visit, person=plan.mayor)
    again = get(feed_key, if_modified_since=first["Last-Modified"])
    assert again.status_code == 200
    cal = Calendar.from_ical(again.content)
    assert [str(e["URL"]) for e in cal.walk("VEVENT")] == [host_url(new_key)]
