"""The re-plan race of issue #15: a re-plan starts from published version 1; meanwhile the
organiser publishes version 2 and a host confirms a slot of version 2. The re-plan must not
write a version made from version 1 that moves that confirmed slot: it runs again from
version 2 and keeps the confirmation."""

import pytest

from confirmations import answers
from scheduling import services
from scheduling.models import Slot, SolveJob
from tests.confirmations.conftest import FIRST, TUESDAY, at

pytestmark = pytest.mark.django_db(transaction=True)


def test_replan_runs_again_from_a_version_published_meanwhile_and_keeps_its_confirmation(
    published, monkeypatch
):
    v1 = published.programme.current_version
    job = services.programme_replan(visit=published.visit, reason="test", time_limit_s=3)
    assert job.base_version == v1
    real_solve = services.solver.solve_programme
    runs = []

    def solve_while_the_organiser_publishes(problem, params, on_progress=None):
        result = real_solve(problem, params, on_progress)
        if not runs:
            # Meanwhile: version 2 moves the council to the afternoon, and the mayor confirms.
            spans = {getattr(published, name): span for name, span in FIRST.items()}
            spans[published.council] = (at(TUESDAY, 14), at(TUESDAY, 15))
            published.publish(spans)
            link, _key = published.link(published.mayor)
            answers.host_answer_record(
                link=link, slot_id=published.slot(published.council).pk, answer="confirmed"
            )
        runs.append(problem.locked)
        return result

    monkeypatch.setattr(services.solver, "solve_programme", solve_while_the_organiser_publishes)
    job = services.programme_solve(job_id=job.pk)

    v2 = published.programme.current_version
    assert v2.number == 2
    assert (job.state, job.attempts) == (SolveJob.State.DONE, 2), job.message
    assert job.base_version == v2
    written = job.result_version
    assert written.based_on == v2
    kept = written.slots.get(activity=published.council)
    assert (kept.start, kept.status, kept.locked) == (at(TUESDAY, 14), Slot.Status.CONFIRMED, True)
    # The second run had the confirmed slot held.
    assert published.council.pk in runs[1]
    # Nothing written from version 1.
    assert not published.programme.versions.filter(based_on=v1, source="replan").exists()
