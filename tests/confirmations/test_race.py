"""A host confirms through the answer service while a re-plan's solver runs in another
thread (real concurrency, committed data): the confirmation is never lost."""

import threading

import pytest
from django.db import connection

from confirmations import answers, links
from confirmations.models import HostAnswer
from scheduling import services
from scheduling.models import Slot, SolveJob
from tests.scheduling.test_queue import small_visit, solve_in_process, wait_for  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def host_of(slot):
    return slot.activity.host_links.order_by("person_id").first().person


def test_host_confirmation_racing_a_replan_is_kept(small_visit):  # noqa: F811
    first = solve_in_process(small_visit, time_limit_s=10)
    services.version_publish(version=first)
    slots = [s for s in first.slots.order_by("start") if s.activity.host_links.exists()]
    declined, target = slots[0], slots[len(slots) // 2]
    decline_link, _key = links.host_link_get(visit=small_visit, person=host_of(declined))
    confirm_link, _key = links.host_link_get(visit=small_visit, person=host_of(target))
    # The decline starts the re-plan (queued at commit; this test plays the worker).
    answers.host_answer_record(link=decline_link, slot_id=declined.pk, answer="declined")
    job = SolveJob.objects.get(kind=SolveJob.Kind.REPLAN)
    result: list[SolveJob] = []
    solver_thread = threading.Thread(
        target=lambda: (result.append(services.programme_solve(job_id=job.pk)), connection.close())
    )
    solver_thread.start()
    wait_for(
        lambda: SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).exists(), 30, 0.01
    )
    answers.host_answer_record(link=confirm_link, slot_id=target.pk, answer="confirmed")
    during = SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).exists()
    solver_thread.join()
    done = result[0]
    print(
        f"\nrace[host confirms during replan]: {done.state} after {done.attempts} solver "
        f"run(s), confirmation {'during' if during else 'just after'} the solve"
    )
    assert done.state == SolveJob.State.DONE, done.message
    services.version_publish(version=done.result_version)
    kept = done.result_version.slots.get(activity=target.activity)
    assert (kept.start, kept.status, kept.locked) == (target.start, Slot.Status.CONFIRMED, True)
    # The declined meeting moved, or (an optional one) was left out.
    moved = done.result_version.slots.filter(activity=declined.activity).first()
    assert moved is None or moved.start != declined.start
    assert HostAnswer.objects.filter(current=True).count() == 2
