"""Writes of the programme lifecycle: solve jobs, versions, publication, locks, moves, diffs.

Versions are written whole, in one transaction, only once the solver has finished: a failed,
cancelled, timed-out or killed solve leaves every existing version exactly as it was.
"""

import dataclasses
import datetime as dt
import logging
import threading
from zoneinfo import ZoneInfo

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events.models import Visit
from planner import i18n
from scheduling import signals, solver
from scheduling.adapters import (
    MINUTES_PER_DAY,
    choice_from_json,
    problem_from_visit,
    version_write,
)
from scheduling.job_health import job_ring, solve_jobs_reap, worker_id
from scheduling.models import Programme, ProgrammeVersion, Slot, SolveJob

log = logging.getLogger(__name__)

# A running job shows a sign of life every HEARTBEAT_S; one silent for
# settings.SOLVE_STALE_AFTER_S has lost its worker (killed, crashed) and is marked failed.
HEARTBEAT_S = 2.0
# A confirmation that arrives during a re-plan and conflicts with its result re-runs it.
MAX_SOLVER_RUNS = 3
DEFAULT_TIME_LIMIT_S = 30.0


class SolveRefused(Exception):
    """A solve cannot start (another one runs); the message is for the organiser."""


class EditRefused(Exception):
    """A manual edit breaks hard rules; ``violations`` says which."""

    def __init__(self, message: str, violations: tuple = ()):
        super().__init__(message)
        self.violations = violations


def programme_for(*, visit: Visit) -> Programme:
    programme, _created = Programme.objects.get_or_create(visit=visit)
    return programme


def _latest_version(programme: Programme) -> ProgrammeVersion | None:
    return programme.current_version or programme.versions.order_by("-number").first()


def solve_start(
    *,
    visit: Visit,
    user=None,
    kind: str = SolveJob.Kind.SOLVE,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    reason: str = "",
) -> SolveJob:
    """Queue a solve of the visit's programme; refused while another one is queued or runs."""
    programme = programme_for(visit=visit)
    solve_jobs_reap(programme=programme)
    try:
        with transaction.atomic():
            job = SolveJob.objects.create(
                programme=programme,
                kind=kind,
                requested_by=user if user and user.is_authenticated else None,
                reason=reason,
                time_limit_s=time_limit_s,
                base_version=_latest_version(programme),
            )
    except IntegrityError:
        raise SolveRefused(
            _("A solve is already queued or running for this programme: wait or cancel it.")
        ) from None
    # The job row is the work: if the bell is lost (broker down, worker killed), the sweeper
    # rings again; the request never fails after the commit.
    transaction.on_commit(lambda: job_ring(job.pk))
    return job


def programme_replan(*, visit: Visit, reason: str, user=None, **kw) -> SolveJob:
    """Re-plan around what is agreed: confirmed and locked slots stay, declined ones move,
    the rest moves as little as possible; each moved slot records why."""
    return solve_start(visit=visit, user=user, kind=SolveJob.Kind.REPLAN, reason=reason, **kw)


def solve_cancel(*, job: SolveJob) -> SolveJob:
    """A queued job is cancelled at once; a running one stops at the solver's next check."""
    now = timezone.now()
    if SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.QUEUED).update(
        state=SolveJob.State.CANCELLED, cancel_requested=True, finished_at=now
    ):
        job.refresh_from_db()
        return job
    SolveJob.objects.filter(pk=job.pk, state=SolveJob.State.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


class _Heartbeat(threading.Thread):
    """Beside the solver: records a sign of life and the latest progress, and watches for a
    cancel request. It is the only thread of a solve that writes while the solver runs:
    CP-SAT calls the progress callback from its own threads, which must not open
    connections."""

    def __init__(self, job_id: int, stop: threading.Event):
        super().__init__(daemon=True, name=f"solve-heartbeat-{job_id}")
        self.job_id, self.stop_solver, self.done = job_id, stop, threading.Event()
        self.latest: dict | None = None
        self.written: dict | None = None

    def record(self, progress: solver.Progress) -> None:
        self.latest = {
            "objective": progress.objective,
            "bound": progress.bound,
            "gap": progress.gap,
            "elapsed_s": round(progress.elapsed_s, 2),
            "solutions": progress.solutions,
        }

    def beat(self) -> None:
        fields = {"heartbeat_at": timezone.now()}
        latest = self.latest
        if latest is not None and latest is not self.written:
            fields["progress"] = self.written = latest
        SolveJob.objects.filter(pk=self.job_id).update(**fields)
        if SolveJob.objects.filter(pk=self.job_id, cancel_requested=True).exists():
            self.stop_solver.set()

    def run(self) -> None:
        try:
            while not self.done.wait(HEARTBEAT_S):
                try:
                    self.beat()
                except DatabaseError:
                    # The database is out of reach for now: the solve goes on, and the next
                    # beat (on a new connection) tells the sweeper this worker still lives.
                    log.warning("solve job %s: heartbeat not written", self.job_id)
                    connection.close()
        finally:
            connection.close()


def _finish(job_id: int, state: str, **fields) -> None:
    SolveJob.objects.filter(pk=job_id).update(state=state, finished_at=timezone.now(), **fields)


def _confirmed_since(base: ProgrammeVersion | None, known: frozenset[int]) -> dict[int, Slot]:
    """Slots of the base version confirmed or locked after the problem was built."""
    if base is None:
        return {}
    return {s.activity_id: s for s in _held(base) if s.activity_id not in known}


def _held(version: ProgrammeVersion) -> list[Slot]:
    """The version's slots that must not move: confirmed by their host or locked."""
    return list(
        version.slots.filter(status=Slot.Status.CONFIRMED) | version.slots.filter(locked=True)
    )


def _newer_base(programme: Programme, base: ProgrammeVersion | None) -> ProgrammeVersion | None:
    """The version published since the job's base, if any (the caller holds the programme's
    lock): a result computed from an older base would undo it and the answers given to it."""
    current = Programme.objects.get(pk=programme.pk).current_version
    if current is None or (base is not None and current.pk == base.pk):
        return None
    return current


def _moves_a_held_slot(bundle, placed: dict[int, int], version: ProgrammeVersion) -> bool:
    """Whether the result moves (or drops) a confirmed or locked slot of ``version``."""
    return any(
        slot.activity_id in bundle.activities
        and slot.status != Slot.Status.CANCELLED
        and placed.get(slot.activity_id) != bundle.clock.minutes(slot.start)
        for slot in _held(version)
    )


def programme_solve(*, job_id: int, solver_params: solver.Params | None = None) -> SolveJob:
    """Run one job to its end (the background task's body). Never leaves a partial version."""
    claimed = SolveJob.objects.filter(pk=job_id, state=SolveJob.State.QUEUED).update(
        state=SolveJob.State.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=worker_id(),
    )
    job = SolveJob.objects.select_related("programme__visit").get(pk=job_id)
    if not claimed:
        return job  # cancelled before it started, or delivered twice by the broker
    stop = threading.Event()
    heartbeat = _Heartbeat(job_id, stop)
    heartbeat.start()
    try:
        for run in range(1, MAX_SOLVER_RUNS + 1):
            outcome = _solve_once(job, heartbeat, run, solver_params)
            if outcome != "rerun":
                break
        else:
            _finish(
                job_id,
                SolveJob.State.FAILED,
                message=gettext_noop(
                    "Confirmations kept arriving during the re-plan; start it again."
                ),
            )
    except Exception as exc:  # the job must end in a state, whatever went wrong
        log.exception("solve job %s failed", job_id)
        _finish(job_id, SolveJob.State.FAILED, message=f"{type(exc).__name__}: {exc}")
    finally:
        heartbeat.done.set()
        heartbeat.join()
    job.refresh_from_db()
    # Higher apps react (confirmations: organisers hear of a re-plan, declines that came
    # meanwhile re-plan again). Robustly: the job has ended either way, and Django logs a
    # failing receiver.
    signals.solve_finished.send_robust(sender=SolveJob, job=job)
    return job


def _solve_once(job: SolveJob, heartbeat: _Heartbeat, run: int, params) -> str:
    """One solver run and, if nothing it did not see conflicts with it, its version.

    Before writing (under the programme's lock, which publications and answers take too) the
    result is checked against what happened while it ran: a version published since its base
    makes it run again from that version (its slots, its answers); an answer that the result
    moves makes it run again with that slot held. A version that moves a confirmed or locked
    slot of its base or of the published version is never written."""
    programme = job.programme
    base = job.base_version
    bundle = problem_from_visit(programme.visit, base_version=base)
    params = dataclasses.replace(
        params or solver.Params(), time_limit_s=job.time_limit_s, stop=heartbeat.stop_solver
    )
    result = solver.solve_programme(bundle.problem, params, on_progress=heartbeat.record)
    heartbeat.beat()  # the final progress, before the version is written
    SolveJob.objects.filter(pk=job.pk).update(attempts=run)
    conflicts = [dataclasses.asdict(c) for c in result.conflicts]
    with transaction.atomic():
        # Serialises with confirmations, which lock the same row.
        Programme.objects.select_for_update().get(pk=programme.pk)
        if SolveJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
            _finish(job.pk, SolveJob.State.CANCELLED)
            return "done"
        if result.status in ("infeasible", "invalid"):
            _finish(job.pk, SolveJob.State.FAILED, conflicts=conflicts, message=result.status)
            return "done"
        if result.status == "unknown":
            _finish(
                job.pk,
                SolveJob.State.TIMED_OUT,
                message=gettext_noop("No programme was found within the time limit."),
            )
            return "done"
        newer = _newer_base(programme, base)
        if newer is not None:
            # Published meanwhile (with the answers given to it): run again from it.
            SolveJob.objects.filter(pk=job.pk).update(base_version=newer)
            job.base_version = newer
            return "rerun"
        placed = {p.activity: p.start for p in result.placements}
        for activity_id, slot in _confirmed_since(base, bundle.problem.locked).items():
            if placed.get(activity_id) != bundle.clock.minutes(slot.start):
                return "rerun"  # a confirmation arrived meanwhile and this result moves it
        if base is not None and _moves_a_held_slot(bundle, placed, base):
            # Only if the solver broke a hold it was given: refuse rather than move it.
            _finish(
                job.pk,
                SolveJob.State.FAILED,
                conflicts=conflicts,
                message=gettext_noop("The result moved a confirmed slot; nothing was written."),
            )
            return "done"
        version = version_write(
            bundle=bundle,
            result=result,
            programme=programme,
            source=ProgrammeVersion.Source.REPLAN
            if job.kind == SolveJob.Kind.REPLAN
            else ProgrammeVersion.Source.SOLVER,
            note=job.reason,
        )
        if programme.auto_publish:
            version_publish(version=version)
        _finish(
            job.pk,
            SolveJob.State.DONE,
            result_version=version,
            conflicts=conflicts,
            message=result.status,
        )
    return "done"


class PublishNeedsConfirmation(EditRefused):
    """The version breaks hard rules or raises logistics warnings: ``violations`` lists each
    one; publishing it takes an explicit confirmation (``confirm=True``)."""


def version_publish_problems(*, version: ProgrammeVersion) -> list[solver.Conflict]:
    """What an organiser must see before publishing ``version``: every hard rule it breaks
    (the validator, on the visit as it is now: a declined slot, a guest arriving later, an
    activity off the grid) and every warning a higher app raises (``publish_check``)."""
    bundle = problem_from_visit(version.programme.visit, base_version=version)
    problems = list(solver.validate(bundle.problem, _result_of(version, bundle, {})))
    for _receiver, warnings in signals.publish_check.send(sender=ProgrammeVersion, version=version):
        problems += [solver.Conflict("logistics", {}, {"message": str(w)}) for w in warnings or ()]
    return problems


@transaction.atomic
def version_publish(*, version: ProgrammeVersion, confirm: bool = True) -> ProgrammeVersion:
    """Make a version the one hosts, guests and feeds see; answers given meanwhile carry over.

    With ``confirm=False`` (the organiser's pages and the API), a version that breaks a hard
    rule or raises a logistics warning is refused with ``PublishNeedsConfirmation`` listing
    each problem; the organiser then confirms (``confirm=True``) to publish it anyway."""
    if not confirm:
        problems = version_publish_problems(version=version)
        if problems:
            raise PublishNeedsConfirmation(
                _("This version breaks rules or raises warnings; confirm to publish it anyway."),
                tuple(problems),
            )
    programme = Programme.objects.select_for_update().get(pk=version.programme_id)
    current = programme.current_version
    if current is not None and current.pk != version.pk:
        _carry_answers(source=current, target=version)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    programme.current_version = version
    programme.save(update_fields=["current_version"])
    # Higher apps react in this transaction (confirmations: hosts' answers hold in the new
    # version, hosts whose slots moved get a new proposal; logistics: drivers and caterers
    # hear what changed for their legs and meals).
    signals.version_published.send(sender=ProgrammeVersion, version=version, previous=current)
    # Last, once every receiver above has written: what the programme shows has changed.
    signals.programme_changed.send(sender=Programme, programme=programme, at=version.published_at)
    return version


def _carry_answers(*, source: ProgrammeVersion, target: ProgrammeVersion) -> None:
    """A host's answer to a slot stays valid in a newer version where the slot did not move."""
    answered = {
        s.activity_id: s
        for s in source.slots.exclude(status=Slot.Status.PROPOSED)
        if s.status != Slot.Status.CANCELLED or s.locked
    }
    for slot in target.slots.filter(activity_id__in=answered):
        old = answered[slot.activity_id]
        if old.start == slot.start and (slot.status, slot.locked) != (old.status, old.locked):
            if old.status == Slot.Status.DECLINED:
                continue  # the re-plan exists to move it; never resurrect a declined time
            Slot.objects.filter(pk=slot.pk).update(status=old.status, locked=old.locked)


@transaction.atomic
def slot_set_lock(*, slot: Slot, locked: bool) -> Slot:
    Programme.objects.select_for_update().get(pk=slot.version.programme_id)
    if not locked and slot.status == Slot.Status.CONFIRMED:
        raise EditRefused(_("A confirmed slot stays locked; the host confirmed this time."))
    Slot.objects.filter(pk=slot.pk).update(locked=locked)
    slot.refresh_from_db()
    return slot


def slots_set_status(
    *, programme: Programme, activity_id: int, start, status: str, from_number: int
) -> None:
    """Set the status of the activity's slot at ``start`` in version ``from_number`` and every
    later one (a version written meanwhile must not miss it); cancelled slots stay as they are.

    A confirmed slot is locked. A slot that stops being confirmed loses only the lock the
    confirmation set; the organiser's own locks on slots not confirmed stay."""
    slots = Slot.objects.filter(
        version__programme=programme,
        version__number__gte=from_number,
        activity_id=activity_id,
        start=start,
    ).exclude(status=Slot.Status.CANCELLED)
    if status == Slot.Status.CONFIRMED:
        slots.update(status=status, locked=True)
    else:
        slots.filter(status=Slot.Status.CONFIRMED).update(status=status, locked=False)
        slots.exclude(status=Slot.Status.CONFIRMED).update(status=status)


def _result_of(version: ProgrammeVersion, bundle, moves: dict[int, int]) -> solver.ProgrammeResult:
    placements, assignments, languages = [], [], []
    for slot in version.slots.prefetch_related("assignments"):
        if slot.status == Slot.Status.CANCELLED:
            continue
        choice = choice_from_json(slot.activity_id, slot.languages)
        if choice is not None:
            languages.append(choice)
        start = moves.get(slot.activity_id, bundle.clock.minutes(slot.start))
        placements.append(solver.Placement(slot.activity_id, start // MINUTES_PER_DAY, start))
        assignments.extend(
            solver.Assignment(slot.activity_id, a.interpreter_id, (a.source, a.target))
            for a in slot.assignments.all()
        )
    return solver.ProgrammeResult(
        "feasible",
        placements=tuple(placements),
        assignments=tuple(assignments),
        languages=tuple(languages),
    )


def slot_move(*, slot: Slot, start, force: bool = False, note: str = "") -> ProgrammeVersion:
    """Move one slot by hand: checked against every hard rule; a new version if it holds."""
    version = slot.version
    if slot.locked or slot.status == Slot.Status.CONFIRMED:
        raise EditRefused(_("This slot is locked; unlock it before moving it."))
    programme = version.programme
    grid = programme.visit.time_grid_minutes
    local = start.astimezone(ZoneInfo(programme.visit.time_zone))
    if (local.hour * 60 + local.minute) % grid or local.second or local.microsecond:
        # Refused here rather than by the validator: the organiser gets the two nearest
        # times they can pick instead of a rule id.
        before = local.replace(second=0, microsecond=0) - dt.timedelta(
            minutes=(local.hour * 60 + local.minute) % grid
        )
        raise EditRefused(
            _(
                "%(time)s is not on this visit's %(grid)d-minute grid: "
                "choose %(before)s or %(after)s."
            )
            % {
                "time": i18n.short_time(local.time()),
                "grid": grid,
                "before": i18n.short_time(before.time()),
                "after": i18n.short_time((before + dt.timedelta(minutes=grid)).time()),
            }
        )
    bundle = problem_from_visit(programme.visit, base_version=version)
    new_start = bundle.clock.minutes(start)
    # The organiser moves what is locked on purpose; the validator checks the rest as it is.
    # The slots left where they were count as kept: a time kept from before the grid changed
    # (09:07 on a 15-minute grid) is not held against this move.
    kept = frozenset(pl.activity for pl in bundle.problem.previous) - {slot.activity_id}
    problem = dataclasses.replace(bundle.problem, locked=kept)
    result = _result_of(version, bundle, {slot.activity_id: new_start})
    violations = tuple(solver.validate(problem, result))
    if violations and not force:
        raise EditRefused(_("This move breaks the programme's rules."), violations)
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        new = version_write(
            bundle=bundle,
            result=result,
            programme=programme,
            source=ProgrammeVersion.Source.MANUAL,
            note=note or _("Moved by hand: %(title)s") % {"title": slot.activity.title},
        )
        Slot.objects.filter(version=new, activity_id=slot.activity_id).update(
            change_reason=gettext_noop("Moved by the organiser.")
        )
    return new


def version_diff(*, old: ProgrammeVersion, new: ProgrammeVersion) -> dict:
    """What changed between two versions of one programme (``selectors.version_diff``)."""
    from scheduling import selectors

    return selectors.version_diff(old=old, new=new)
