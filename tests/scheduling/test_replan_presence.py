"""Issue 14: after any single host decline of the Aude demo, the re-plan keeps every activity
inside its group's presence (the delegation lands on Wednesday; before, the re-plan put a
meeting at 08:30 that morning) and every start on the visit's time grid."""

import pytest

from scheduling import services
from scheduling.adapters import problem_from_visit
from scheduling.models import Slot, SolveJob


def _solve(visit, kind=None, time_limit_s=10.0):
    start = services.programme_replan if kind == "replan" else services.solve_start
    kw = {"reason": "decline"} if kind == "replan" else {}
    job = start(visit=visit, time_limit_s=time_limit_s, **kw)
    return services.programme_solve(job_id=job.pk)


def _outside_presence(visit, version) -> list[str]:
    bundle = problem_from_visit(visit)
    presence = {g.id: g.presence for g in bundle.problem.groups}
    assert all(presence.values()), "the demo's journeys give every group a presence"
    groups = {a.id: a.groups or tuple(presence) for a in bundle.problem.activities}
    out = []
    for slot in version.slots.exclude(status=Slot.Status.CANCELLED).select_related("activity"):
        start, end = bundle.clock.minutes(slot.start), bundle.clock.minutes(slot.end)
        for gid in groups[slot.activity_id]:
            arrives, leaves = presence[gid]
            if start < arrives or end > leaves:
                out.append(f"{slot.activity.title} at {slot.start:%a %H:%M}")
        if start % visit.time_grid_minutes:
            out.append(f"{slot.activity.title} off the grid at {slot.start:%a %H:%M}")
    return out


@pytest.mark.slow
def test_replan_after_each_single_decline_stays_inside_the_presence(aude):
    first = _solve(aude)
    assert first.state == SolveJob.State.DONE, first.message
    version = first.result_version
    assert _outside_presence(aude, version) == []
    # The demo marks the welcome first and the wrap-up last of the visit.
    order = [s.activity.title for s in version.slots.order_by("start").select_related("activity")]
    assert order[0].startswith("Accueil de la délégation")
    assert order[-1].startswith("Synthèse et préparation")
    services.version_publish(version=version)
    # A fixed time declined has nowhere to go (the welcome): every other hosted slot.
    hosted = [
        s
        for s in version.slots.order_by("start").select_related("activity")
        if s.activity.host_links.exists() and s.activity.fixed_start is None
    ]
    assert len(hosted) >= 5
    replanned = 0
    for slot in hosted:
        Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.DECLINED)
        job = _solve(aude, "replan", time_limit_s=3.0)
        if job.state == SolveJob.State.DONE:
            replanned += 1
            assert _outside_presence(aude, job.result_version) == [], slot.activity.title
        else:
            # No programme without that time (the bookshop: its host's windows, the drive
            # and the days the delegation is there): said so, nothing placed.
            assert job.message == "infeasible" and job.conflicts, slot.activity.title
        Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.PROPOSED)
    assert replanned >= len(hosted) - 2
