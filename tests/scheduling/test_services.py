import datetime as dt

import pytest

from scheduling import services
from scheduling.adapters import problem_from_visit
from scheduling.models import ProgrammeVersion, Slot, SolveJob
from scheduling.solver import validate

FAST = {"time_limit_s": 20.0}


def solved(visit, **kw) -> SolveJob:
    job = services.solve_start(visit=visit, **{**FAST, **kw})
    return services.programme_solve(job_id=job.pk)


def test_solve_writes_a_valid_version(aude):
    job = solved(aude)
    assert job.state == SolveJob.State.DONE
    version = job.result_version
    assert version.number == 1
    assert version.solver_status == "optimal"
    assert version.slots.count() + len(version.unplaced) == aude.activities.count()
    bundle = problem_from_visit(aude, base_version=version)
    result = services._result_of(version, bundle, {})
    assert validate(bundle.problem, result) == []


def test_second_solve_while_one_is_queued_is_refused(aude):
    services.solve_start(visit=aude, **FAST)
    with pytest.raises(services.SolveRefused):
        services.solve_start(visit=aude, **FAST)
    assert SolveJob.objects.count() == 1


def test_cancel_queued_job_never_writes_a_version(aude):
    job = services.solve_start(visit=aude, **FAST)
    services.solve_cancel(job=job)
    job = services.programme_solve(job_id=job.pk)
    assert job.state == SolveJob.State.CANCELLED
    assert ProgrammeVersion.objects.count() == 0


def test_infeasible_solve_keeps_previous_version(aude):
    first = solved(aude).result_version
    services.version_publish(version=first)
    before = list(first.slots.values_list("activity_id", "start", "status"))
    # The mayor is now available only 30 minutes: his 2-hour meeting cannot happen.
    mayor = aude.activities.get(title__startswith="Rencontre avec le maire").host_links.get().person
    aude.availabilities.filter(person=mayor).update(
        start=dt.datetime(2009, 4, 16, 7, 0, tzinfo=dt.UTC),
        end=dt.datetime(2009, 4, 16, 7, 30, tzinfo=dt.UTC),
    )
    job = solved(aude)
    assert job.state == SolveJob.State.FAILED
    assert {c["rule"] for c in job.conflicts} >= {"host_window"}
    assert ProgrammeVersion.objects.count() == 1
    assert list(first.slots.values_list("activity_id", "start", "status")) == before


def test_publish_then_resolve_moves_nothing_and_keeps_confirmations(aude):
    first = solved(aude).result_version
    services.version_publish(version=first)
    confirmed = first.slots.order_by("start").first()
    Slot.objects.filter(pk=confirmed.pk).update(status=Slot.Status.CONFIRMED, locked=True)
    second = solved(aude).result_version
    assert second.number == 2
    assert second.terms["moves"] == 0
    carried = second.slots.get(activity=confirmed.activity)
    assert (carried.start, carried.status) == (confirmed.start, Slot.Status.CONFIRMED)


def test_decline_replan_moves_the_declined_slot_only_as_needed(aude):
    first = solved(aude).result_version
    services.version_publish(version=first)
    declined = first.slots.get(activity__title__startswith="Rencontre au Conseil général")
    Slot.objects.filter(pk=declined.pk).update(status=Slot.Status.DECLINED)
    job = solved(aude, kind=SolveJob.Kind.REPLAN)
    assert job.state == SolveJob.State.DONE
    second = job.result_version
    moved = second.slots.get(activity=declined.activity)
    assert moved.start != declined.start
    assert moved.status == Slot.Status.PROPOSED
    assert moved.change_reason == "The host declined the previous time."
    diff = services.version_diff(old=first, new=second)
    assert declined.activity_id in {m["activity"] for m in diff["moved"]}
    assert second.terms["moves"] == len(diff["moved"])


def test_confirmation_during_replan_is_never_lost(aude, monkeypatch):
    """A host confirms while the solver runs; the result moves that slot, so it is re-run."""
    first = solved(aude).result_version
    services.version_publish(version=first)
    target = first.slots.get(activity__title__startswith="Rencontre au Conseil général")
    real_solve = services.solver.solve_programme
    runs = []

    def solve_and_confirm_meanwhile(problem, params, on_progress=None):
        result = real_solve(problem, params, on_progress)
        if not runs:
            # The first result moves the CG11 meeting (we force it by confirming only now).
            Slot.objects.filter(pk=target.pk).update(status=Slot.Status.CONFIRMED, locked=True)
            moved = tuple(
                p if p.activity != target.activity_id else type(p)(p.activity, p.day, p.start + 60)
                for p in result.placements
            )
            result = type(result)(**{**result.__dict__, "placements": moved})
        runs.append(problem.locked)
        return result

    monkeypatch.setattr(services.solver, "solve_programme", solve_and_confirm_meanwhile)
    job = solved(aude, kind=SolveJob.Kind.REPLAN)
    assert job.state == SolveJob.State.DONE
    assert job.attempts == 2
    assert target.activity_id not in runs[0] and target.activity_id in runs[1]
    kept = job.result_version.slots.get(activity=target.activity)
    assert (kept.start, kept.status) == (target.start, Slot.Status.CONFIRMED)


def test_lock_then_move_is_refused(aude):
    version = solved(aude).result_version
    slot = version.slots.order_by("start").first()
    services.slot_set_lock(slot=slot, locked=True)
    with pytest.raises(services.EditRefused):
        services.slot_move(
            slot=Slot.objects.get(pk=slot.pk), start=slot.start + dt.timedelta(hours=1)
        )


def test_illegal_move_names_the_broken_rules(aude):
    version = solved(aude).result_version
    slot = version.slots.get(activity__title__startswith="Rencontre avec le maire")
    # Sunday night: outside the day and the mayor's windows.
    with pytest.raises(services.EditRefused) as exc:
        services.slot_move(slot=slot, start=dt.datetime(2009, 4, 19, 21, 0, tzinfo=dt.UTC))
    assert {"host_window", "day_window"} <= {v.rule for v in exc.value.violations}
    assert ProgrammeVersion.objects.count() == 1


def test_legal_move_writes_a_new_version(aude):
    version = solved(aude).result_version
    new = None
    # The first shift that keeps every rule (the validator decides which), on the visit's
    # 5-minute grid; an optimal programme may leave one activity no slack, so any slot.
    shifts = sorted((m for m in range(-120, 125, 5) if m), key=lambda m: (abs(m), -m))
    for slot in version.slots.order_by("start"):
        for minutes in shifts:
            try:
                start = slot.start + dt.timedelta(minutes=minutes)
                new = services.slot_move(slot=slot, start=start)
                break
            except services.EditRefused:
                continue
        if new is not None:
            break
    assert new is not None, "no legal shift of up to two hours"
    assert new.number == 2
    moved = new.slots.get(activity=slot.activity)
    assert moved.start == slot.start + dt.timedelta(minutes=minutes)
    assert moved.change_reason == "Moved by the organiser."
    assert services.version_diff(old=version, new=new)["moved"][0]["activity"] == slot.activity_id
    assert ProgrammeVersion.objects.count() == 2


def test_stale_running_job_is_reaped_as_failed(aude):
    job = services.solve_start(visit=aude, **FAST)
    long_ago = dt.datetime(2009, 1, 1, tzinfo=dt.UTC)
    SolveJob.objects.filter(pk=job.pk).update(state=SolveJob.State.RUNNING, heartbeat_at=long_ago)
    assert services.solve_jobs_reap() == 1
    job.refresh_from_db()
    assert job.state == SolveJob.State.FAILED
    assert "worker stopped" in job.message


def test_slots_set_status_reaches_later_versions_and_keeps_the_organisers_locks(aude):
    """A confirmed slot is locked; one that stops being confirmed loses that lock only; a
    slot the organiser locked keeps its lock; cancelled slots and earlier versions stay."""
    programme = services.programme_for(visit=aude)
    meeting, council, visit = aude.activities.order_by("pk")[:3]
    start = dt.datetime(2009, 4, 16, 8, 0, tzinfo=dt.UTC)

    def version(number, council_locked=False):
        made = ProgrammeVersion.objects.create(
            programme=programme, number=number, source=ProgrammeVersion.Source.MANUAL
        )
        for activity, locked, status in (
            (meeting, False, Slot.Status.PROPOSED),
            (council, council_locked, Slot.Status.PROPOSED),
            (visit, False, Slot.Status.CANCELLED),
        ):
            Slot.objects.create(
                version=made,
                activity=activity,
                venue=activity.venue,
                start=start,
                end=start + dt.timedelta(hours=1),
                locked=locked,
                status=status,
            )

    def set_status(status):
        for activity in (meeting, council, visit):
            services.slots_set_status(
                programme=programme,
                activity_id=activity.pk,
                start=start,
                status=status,
                from_number=2,
            )

    def states(activity):
        slots = Slot.objects.filter(activity=activity).order_by("version__number")
        return [(s.version.number, s.status, s.locked) for s in slots]

    version(1), version(2), version(3, council_locked=True)
    set_status(Slot.Status.DECLINED)
    assert states(council) == [
        (1, "proposed", False),
        (2, "declined", False),
        (3, "declined", True),
    ]
    set_status(Slot.Status.CONFIRMED)
    assert states(meeting) == [
        (1, "proposed", False),
        (2, "confirmed", True),
        (3, "confirmed", True),
    ]
    set_status(Slot.Status.PROPOSED)
    assert states(meeting) == [
        (1, "proposed", False),
        (2, "proposed", False),
        (3, "proposed", False),
    ]
    assert [s[1:] for s in states(visit)] == [("cancelled", False)] * 3
