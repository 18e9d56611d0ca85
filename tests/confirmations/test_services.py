import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from confirmations import answers, links, notices, proposals
from confirmations.models import HostAnswer, HostLink, Proposal, ReplanWanted
from events.models import Availability
from feeds.models import FeedEvent
from notifications import services as notify
from notifications.models import OutgoingEmail
from planner import i18n
from scheduling import services
from scheduling.access import KEY_PATTERN, AccessToken
from scheduling.models import Slot, SolveJob
from tests import factories
from tests.confirmations.conftest import FIRST, TUESDAY, WEDNESDAY, at

CONFIRM, DECLINE, OFFER = "confirmed", "declined", "offered"


def record(stage, person, activity, answer, **kw):
    link, _key = stage.link(person)
    return answers.host_answer_record(
        link=link, slot_id=stage.slot(activity).pk, answer=answer, **kw
    )


def test_host_link_key_is_random_256_bits_and_stored_hashed(published):
    link, key = published.link(published.mayor)
    assert KEY_PATTERN.fullmatch(key)
    token = AccessToken.objects.get(pk=link.token_id)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert (token.purpose, token.subject, token.person_id, token.visit_id) == (
        "host_link",
        "person",
        published.mayor.pk,
        published.visit.pk,
    )
    assert key not in {link.salt, token.key_hash}
    # It expires once the visit is over (midnight after its last day, Paris time).
    assert token.expires_at == at(WEDNESDAY + dt.timedelta(days=1), 0)


def test_link_for_a_visit_already_over_still_works_for_a_week(stage, settings):
    settings.HOST_LINK_MIN_DAYS = 7
    stage.visit.start_date, stage.visit.end_date = dt.date(2009, 4, 15), dt.date(2009, 4, 19)
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    assert links.link_expiry(stage.visit, now=now) == now + dt.timedelta(days=7)


def test_host_link_get_twice_gives_the_same_link(published):
    first = published.link(published.mayor)
    second = published.link(published.mayor)
    assert first[1] == second[1]
    assert HostLink.objects.count() == 1 and AccessToken.objects.count() == 1


def test_host_link_after_revoke_is_a_new_link(published):
    _link, old = published.link(published.mayor)
    links.host_link_revoke(visit=published.visit, person=published.mayor)
    with pytest.raises(links.LinkInvalid):
        links.host_link_resolve(key=old)
    _link, new = published.link(published.mayor)
    assert new != old
    assert links.host_link_resolve(key=new).person == published.mayor


def test_host_link_for_a_person_hosting_nothing_is_refused(published):
    stranger = published.interpreter.person
    with pytest.raises(ValidationError):
        links.host_link_get(visit=published.visit, person=stranger)


def test_confirm_locks_the_slot_and_the_feed_says_confirmed(published):
    outcome = record(published, published.mayor, published.meeting, CONFIRM)
    slot = published.slot(published.meeting)
    assert (slot.status, slot.locked, outcome.changed) == ("confirmed", True, True)
    event = FeedEvent.objects.get(key=f"activity-{published.meeting.pk}")
    assert event.status == "confirmed"


def test_confirm_twice_records_one_answer(published):
    record(published, published.mayor, published.meeting, CONFIRM)
    second = record(published, published.mayor, published.meeting, CONFIRM)
    assert second.changed is False
    assert HostAnswer.objects.count() == 1
    assert published.slot(published.meeting).status == "confirmed"


def test_confirm_after_the_organiser_locked_is_refused(published):
    services.slot_set_lock(slot=published.slot(published.meeting), locked=True)
    with pytest.raises(answers.AnswerRefused) as refused:
        record(published, published.mayor, published.meeting, CONFIRM)
    assert refused.value.code == "locked"
    assert HostAnswer.objects.count() == 0
    assert published.slot(published.meeting).status == "proposed"


def test_answer_for_a_slot_that_moved_meanwhile_is_refused(published):
    seen = published.slot(published.meeting)
    published.publish(
        {
            published.meeting: (at(TUESDAY, 14), at(TUESDAY, 16)),
            published.council: FIRST["council"],
            published.bookshop: FIRST["bookshop"],
        }
    )
    link, _key = published.link(published.mayor)
    with pytest.raises(answers.AnswerRefused) as refused:
        answers.host_answer_record(link=link, slot_id=seen.pk, answer=CONFIRM)
    assert refused.value.code == "moved"
    assert "has moved to" in str(refused.value)
    assert HostAnswer.objects.count() == 0
    assert published.slot(published.meeting).status == "proposed"


def test_answer_on_an_older_version_where_the_time_held_applies_to_the_current(published):
    seen = published.slot(published.meeting)
    published.publish({published.meeting: FIRST["meeting"], published.council: FIRST["council"]})
    link, _key = published.link(published.mayor)
    outcome = answers.host_answer_record(link=link, slot_id=seen.pk, answer=CONFIRM)
    current = published.slot(published.meeting)
    assert outcome.slot.pk == current.pk != seen.pk
    assert current.status == "confirmed"


def test_answer_for_another_hosts_slot_is_not_found(published):
    link, _key = published.link(published.mayor)
    with pytest.raises(answers.AnswerRefused) as refused:
        answers.host_answer_record(
            link=link, slot_id=published.slot(published.bookshop).pk, answer=CONFIRM
        )
    assert (refused.value.code, refused.value.status) == ("not_found", 404)


def test_decline_marks_the_slot_declined_and_starts_a_replan(
    published, q_sync, django_capture_on_commit_callbacks
):
    declined = published.slot(published.meeting)
    with django_capture_on_commit_callbacks(execute=True):
        record(published, published.mayor, published.meeting, DECLINE, reason="Conseil ce jour-là")
    assert Slot.objects.get(pk=declined.pk).status == "declined"
    job = SolveJob.objects.get()
    assert (job.kind, job.state) == ("replan", "done")
    moved = job.result_version.slots.get(activity=published.meeting)
    assert moved.start != declined.start
    assert moved.change_reason == "The host declined the previous time."
    answer = HostAnswer.objects.get()
    assert (answer.answer, answer.reason) == ("declined", "Conseil ce jour-là")


def test_decline_after_confirming_unlocks_the_slot(published):
    record(published, published.mayor, published.meeting, CONFIRM)
    record(published, published.mayor, published.meeting, DECLINE)
    slot = published.slot(published.meeting)
    assert (slot.status, slot.locked) == ("declined", False)
    assert HostAnswer.objects.filter(current=True).get().answer == "declined"
    assert HostAnswer.objects.count() == 2


def test_offer_window_that_ends_before_it_starts_names_the_field(published):
    with pytest.raises(ValidationError) as invalid:
        record(
            published,
            published.mayor,
            published.meeting,
            OFFER,
            windows=[(at(TUESDAY, 14), at(TUESDAY, 16)), (at(TUESDAY, 16), at(TUESDAY, 15))],
        )
    assert set(invalid.value.message_dict) == {"windows.1.end"}
    assert HostAnswer.objects.count() == 0


def test_offer_window_outside_the_visit_names_the_field(published):
    after = WEDNESDAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as invalid:
        record(
            published,
            published.mayor,
            published.meeting,
            OFFER,
            windows=[(at(after, 9), at(after, 11))],
        )
    assert set(invalid.value.message_dict) == {"windows.0.start"}
    assert published.slot(published.meeting).status == "proposed"


def test_offer_without_windows_is_refused(published):
    with pytest.raises(ValidationError) as invalid:
        record(published, published.mayor, published.meeting, OFFER, windows=[])
    assert set(invalid.value.message_dict) == {"windows"}


def test_offer_records_preferred_windows_and_declines_the_time(published):
    record(
        published,
        published.mayor,
        published.meeting,
        OFFER,
        windows=[(at(WEDNESDAY, 9), at(WEDNESDAY, 12))],
    )
    assert published.slot(published.meeting).status == "declined"
    offered = Availability.objects.filter(person=published.mayor, kind="preferred")
    assert [(r.start, r.end) for r in offered] == [(at(WEDNESDAY, 9), at(WEDNESDAY, 12))]
    # Changing the answer takes the offered window back.
    record(published, published.mayor, published.meeting, CONFIRM)
    assert not offered.all().exists()
    assert Availability.objects.filter(person=published.mayor).count() == 3


def test_offer_then_replan_places_the_meeting_in_the_offered_window(
    published, q_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(
            published,
            published.mayor,
            published.meeting,
            OFFER,
            windows=[(at(WEDNESDAY, 9), at(WEDNESDAY, 12))],
        )
    job = SolveJob.objects.get()
    moved = job.result_version.slots.get(activity=published.meeting)
    assert at(WEDNESDAY, 9) <= moved.start and moved.end <= at(WEDNESDAY, 12)


def test_confirmation_during_a_replan_is_never_lost(published, monkeypatch):
    """The host confirms (through the service, under the programme lock) while the solver
    runs, and the solver's first result moves that meeting: the job re-runs and keeps it."""
    target = published.slot(published.council)
    real_solve = services.solver.solve_programme
    runs = []

    def solve_and_confirm_meanwhile(problem, params, on_progress=None):
        result = real_solve(problem, params, on_progress)
        if not runs:
            record(published, published.mayor, published.council, CONFIRM)
            moved = tuple(
                p if p.activity != target.activity_id else type(p)(p.activity, p.day, p.start + 60)
                for p in result.placements
            )
            result = type(result)(**{**result.__dict__, "placements": moved})
        runs.append(problem.locked)
        return result

    monkeypatch.setattr(services.solver, "solve_programme", solve_and_confirm_meanwhile)
    job = services.programme_replan(visit=published.visit, reason="test", time_limit_s=10)
    job = services.programme_solve(job_id=job.pk)
    assert (job.state, job.attempts) == ("done", 2)
    kept = job.result_version.slots.get(activity=published.council)
    assert (kept.start, kept.status, kept.locked) == (target.start, "confirmed", True)


def test_decline_while_a_solve_runs_replans_once_it_ends(
    published, q_sync, django_capture_on_commit_callbacks
):
    running = services.programme_replan(visit=published.visit, reason="organiser", time_limit_s=10)
    declined = published.slot(published.bookshop)
    with django_capture_on_commit_callbacks(execute=True):
        record(published, published.bookseller, published.bookshop, DECLINE)
    assert ReplanWanted.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.programme_solve(job_id=running.pk)
    assert ReplanWanted.objects.count() == 0
    jobs = list(SolveJob.objects.order_by("created_at", "pk"))
    assert [(j.kind, j.state) for j in jobs] == [("replan", "done"), ("replan", "done")]
    assert jobs[1].base_version == published.programme.current_version
    moved = jobs[1].result_version.slots.get(activity=published.bookshop)
    assert moved.start != declined.start


def test_publish_keeps_hosts_answers_where_the_time_held(published):
    record(published, published.mayor, published.council, CONFIRM)
    record(published, published.bookseller, published.bookshop, DECLINE)
    # A version written without the answers (e.g. by hand meanwhile) gets them on publishing.
    published.publish({getattr(published, n): span for n, span in FIRST.items()})
    assert published.slot(published.council).status == "confirmed"
    assert published.slot(published.council).locked is True
    assert published.slot(published.bookshop).status == "declined"


def test_proposals_send_one_email_per_host_in_their_language_with_ics(
    published, q_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = proposals.proposals_send(visit=published.visit)
    assert sorted(p.person.full_name for p in sent) == ["Eric Andrieu", "Lucía Ferrer"]
    # Each slot follows as a calendar invitation of its own (the invitations app).
    sent_mail = [m for m in mail.outbox if not m.attachments]
    assert sorted(m.to[0] for m in sent_mail) == [
        "Eric Andrieu <maire@example.org>",
        "Lucía Ferrer <libreria@example.org>",
    ]
    by_host = {m.to[0].split("<")[1][:-1]: m for m in sent_mail}
    mayor, bookseller = by_host["maire@example.org"], by_host["libreria@example.org"]
    assert "lundi 6 mai 2030" in mayor.body
    assert "Rencontre avec le maire" in mayor.body and "Librairie de Sarrant" not in mayor.body
    assert "lunes, 6 de mayo de 2030" in bookseller.body
    _link, key = published.link(published.mayor)
    assert f"/host/{key}/" in mayor.body
    assert mayor.alternatives[0][1] == "text/html"
    proposal_mail = OutgoingEmail.objects.filter(kind="proposal")
    assert set(proposal_mail.values_list("state", "kind")) == {("sent", "proposal")}
    # Sent: the bodies (holding the link) are no longer in the database.
    assert not OutgoingEmail.objects.exclude(body_text="").exists()


def test_proposals_send_without_a_published_version_is_refused(stage):
    with pytest.raises(proposals.SendRefused):
        proposals.proposals_send(visit=stage.visit)


def test_reminders_go_to_hosts_with_unanswered_slots_only(published):
    sent = proposals.proposals_send(visit=published.visit)
    later = sent[0].sent_at + dt.timedelta(hours=73)
    record(published, published.bookseller, published.bookshop, CONFIRM)
    assert proposals.host_reminders_send(now=later) == 1
    reminder = OutgoingEmail.objects.get(kind="reminder")
    assert reminder.to_email == "maire@example.org"
    # Not again before the delay has passed again, and never more than HOST_REMINDER_MAX.
    assert proposals.host_reminders_send(now=later + dt.timedelta(hours=1)) == 0
    assert proposals.host_reminders_send(now=later + dt.timedelta(hours=74)) == 1
    assert proposals.host_reminders_send(now=later + dt.timedelta(hours=150)) == 0
    assert Proposal.objects.get(person=published.mayor).reminders == 2


def test_publication_tells_moved_hosts_and_guests_in_one_digest_each(published):
    proposals.proposals_send(visit=published.visit)
    OutgoingEmail.objects.all().delete()
    # Ten changes in a burst: the meeting moves back and forth, the council too.
    for i in range(10):
        published.publish(
            {
                published.meeting: (at(TUESDAY, 14 + i % 2), at(TUESDAY, 16 + i % 2)),
                published.council: (at(WEDNESDAY, 9 + i % 3), at(WEDNESDAY, 10 + i % 3)),
                published.bookshop: FIRST["bookshop"],
            }
        )
        notices.publication_notify(
            version_id=published.programme.current_version_id,
            previous_id=published.programme.versions.get(
                number=published.programme.current_version.number - 1
            ).pk,
        )
    assert OutgoingEmail.objects.count() == 0  # nothing before the changes settle
    emails = notify.digests_flush(force=True)
    assert sorted(e.to_email for e in emails) == [
        "jose.santos@example.org",
        "maire@example.org",
        "marie.tremblay@example.org",
    ]
    mayor = next(e for e in emails if e.to_email == "maire@example.org")
    # One line per meeting (the latest move), and the personal link.
    assert mayor.body_text.count("Rencontre avec le maire") == 1
    assert mayor.body_text.count("Conseil municipal") == 1
    _link, key = published.link(published.mayor)
    assert f"/host/{key}/" in mayor.body_text
    assert Proposal.objects.filter(person=published.mayor, kind="update").count() == 10


def test_declined_time_stays_closed_to_later_replans_until_the_answer_changes(published):
    declined = published.slot(published.meeting)
    record(published, published.mayor, published.meeting, DECLINE)
    blocked = Availability.objects.filter(person=published.mayor, kind="unavailable")
    assert [(b.start, b.end) for b in blocked] == [(declined.start, declined.end)]
    record(published, published.mayor, published.meeting, CONFIRM)
    assert not blocked.all().exists()


def test_replan_result_with_declines_left_is_not_replanned_again(
    published, q_sync, django_capture_on_commit_callbacks
):
    """Publishing a re-plan's own result never starts another re-plan (no loop)."""
    record(published, published.mayor, published.meeting, DECLINE)
    version = published.version({getattr(published, n): span for n, span in FIRST.items()})
    version.source = "replan"
    version.save(update_fields=["source"])
    with django_capture_on_commit_callbacks(execute=True):
        services.version_publish(version=version)
    assert published.slot(published.meeting).status == "declined"
    assert SolveJob.objects.count() == 0


def test_organisers_hear_of_answers_and_of_the_replan(
    published, organiser, q_sync, django_capture_on_commit_callbacks
):
    organiser.email = "organiser@example.org"
    organiser.save()
    with django_capture_on_commit_callbacks(execute=True):
        record(published, published.mayor, published.meeting, DECLINE, reason="Conseil")
    (email,) = [e for e in notify.digests_flush(force=True) if e.to_email == organiser.email]
    assert "Eric Andrieu: declined — Rencontre avec le maire" in email.body_text
    assert "— Conseil" in email.body_text
    assert "Version 2 is ready" in email.body_text
    assert "/confirmations/" in email.body_text and "/versions/2/" in email.body_text


def test_organisers_hear_why_a_replan_found_nothing(
    published, organiser, q_sync, django_capture_on_commit_callbacks
):
    organiser.email = "organiser@example.org"
    organiser.save()
    # The mayor can only do Monday morning: declining it leaves no time for his meeting.
    Availability.objects.filter(person=published.mayor).delete()
    factories.window(published.visit, published.mayor, 0, "09:30", "12:30")
    with django_capture_on_commit_callbacks(execute=True):
        record(published, published.mayor, published.meeting, DECLINE)
    assert SolveJob.objects.get().state == "failed"
    (email,) = [e for e in notify.digests_flush(force=True) if e.to_email == organiser.email]
    assert "No new programme keeps every answer" in email.body_text
    assert (
        "Eric Andrieu is not available long enough for “Rencontre avec le maire”" in email.body_text
    )


def test_host_changes_a_confirmation_until_the_organiser_fixes_it(published):
    record(published, published.mayor, published.meeting, CONFIRM)
    record(published, published.mayor, published.meeting, DECLINE)
    record(published, published.mayor, published.meeting, CONFIRM)
    assert answers.answers_fix(visit=published.visit, slot=published.slot(published.meeting)) == 1
    with pytest.raises(answers.AnswerRefused) as refused:
        record(published, published.mayor, published.meeting, DECLINE)
    assert refused.value.code == "locked"
    slot = published.slot(published.meeting)
    assert (slot.status, slot.locked) == ("confirmed", True)
    assert HostAnswer.objects.get(current=True).fixed_at is not None


def test_proposal_says_until_when_the_link_really_works(
    published, q_sync, django_capture_on_commit_callbacks, settings
):
    # A link lasts until the visit is over and at least HOST_LINK_MIN_DAYS after it is made:
    # for a visit ending within a week the email must name the later date.
    settings.HOST_LINK_MIN_DAYS = 3650
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposals_send(visit=published.visit, person_ids=[published.mayor.pk])
    link, _key = published.link(published.mayor)
    zone = ZoneInfo(published.visit.time_zone)
    last = (link.token.expires_at.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    assert last > published.visit.end_date
    with translation.override("fr"):
        assert f"jusqu'au {i18n.full_date(last)}" in mail.outbox[0].body


def test_publication_notice_to_a_guest_in_a_language_without_texts_is_in_the_default(
    published, settings
):
    """A guest or interpreter reading Mooré (no texts, no Babel locale) is told in the site's
    language, as hosts, drivers and caterers are: the notice task does not fail on them."""
    published.guest_ca.preferred_language = "mos"
    published.guest_ca.save(update_fields=["preferred_language"])
    published.interpreter.person.preferred_language = "dyu"
    published.interpreter.person.email = "interprete@example.org"
    published.interpreter.person.save(update_fields=["preferred_language", "email"])
    previous = published.programme.current_version
    version = published.publish(
        {
            published.meeting: (at(TUESDAY, 14), at(TUESDAY, 16)),
            published.council: FIRST["council"],
            published.bookshop: FIRST["bookshop"],
        },
        assignments=[(published.meeting, published.interpreter)],
    )
    told = notices.publication_notify(version_id=version.pk, previous_id=previous.pk)
    assert (told["guests"], told["interpreters"]) == (2, 1)
    emails = {e.to_email: e for e in notify.digests_flush(force=True)}
    with translation.override(settings.LANGUAGE_CODE):
        moved = i18n.full_date(TUESDAY)
    for address in ("marie.tremblay@example.org", "interprete@example.org"):
        assert emails[address].language == settings.LANGUAGE_CODE
        assert moved in emails[address].body_text
