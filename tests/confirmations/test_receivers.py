"""Publication and the end of a solve reach confirmations and logistics through the
programme app's signals: scheduling never imports the apps above it."""

import ast
import pathlib
from unittest import mock

import pytest

from confirmations import receivers as confirmations_receivers
from logistics import receivers as logistics_receivers
from logistics.models import LogisticsSnapshot
from scheduling import services, signals
from scheduling.models import SolveJob
from tests.confirmations.conftest import FIRST
from tests.confirmations.test_services import CONFIRM, record

SCHEDULING = pathlib.Path(services.__file__).parent


def spied(signal, receiver, uid):
    """Swap the receiver connected as ``uid`` for a mock that calls it, for one test."""
    spy = mock.Mock(side_effect=receiver)
    spy.__qualname__ = receiver.__qualname__  # send_robust logs a failing receiver by name
    assert signal.disconnect(dispatch_uid=uid), f"{uid} is not connected"
    signal.connect(spy, dispatch_uid=uid, weak=False)
    return spy


@pytest.fixture
def publication_spies():
    signal = signals.version_published
    wanted = {
        "confirmations.version_published": confirmations_receivers.version_published,
        "logistics.version_published": logistics_receivers.version_published,
    }
    spies = {uid: spied(signal, receiver, uid) for uid, receiver in wanted.items()}
    yield spies
    for uid, receiver in wanted.items():
        signal.disconnect(dispatch_uid=uid)
        signal.connect(receiver, dispatch_uid=uid)


def test_publishing_calls_the_confirmations_and_logistics_receivers(published, publication_spies):
    record(published, published.mayor, published.council, CONFIRM)
    previous = published.programme.current_version
    version = published.publish({getattr(published, n): span for n, span in FIRST.items()})
    for spy in publication_spies.values():
        spy.assert_called_once()
        assert spy.call_args.kwargs["version"] == version
        assert spy.call_args.kwargs["previous"] == previous
    # Their work is done: the answer holds in the new version, its logistics are recorded.
    assert published.slot(published.council).status == "confirmed"
    assert LogisticsSnapshot.objects.filter(version=version).exists()


def test_a_failing_receiver_rolls_the_publication_back(published, publication_spies):
    publication_spies["logistics.version_published"].side_effect = RuntimeError("no snapshot")
    before = published.programme.current_version
    with pytest.raises(RuntimeError):
        published.publish({getattr(published, n): span for n, span in FIRST.items()})
    published.programme.refresh_from_db()
    assert published.programme.current_version == before


@pytest.fixture
def solve_spy():
    uid = "confirmations.solve_finished"
    spy = spied(signals.solve_finished, confirmations_receivers.solve_finished, uid)
    yield spy
    signals.solve_finished.disconnect(dispatch_uid=uid)
    signals.solve_finished.connect(confirmations_receivers.solve_finished, dispatch_uid=uid)


def test_the_end_of_a_solve_reaches_confirmations(published, solve_spy):
    job = services.programme_replan(visit=published.visit, reason="organiser", time_limit_s=10)
    services.programme_solve(job_id=job.pk)
    solve_spy.assert_called_once()
    assert solve_spy.call_args.kwargs["job"].pk == job.pk
    assert solve_spy.call_args.kwargs["job"].state == SolveJob.State.DONE


def test_a_failing_solve_receiver_leaves_the_job_as_it_ended(published, solve_spy):
    solve_spy.side_effect = RuntimeError("mail server down")
    job = services.programme_replan(visit=published.visit, reason="organiser", time_limit_s=10)
    assert services.programme_solve(job_id=job.pk).state == SolveJob.State.DONE


def imported_modules(path: pathlib.Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("name", ["services.py", "signals.py", "tasks.py"])
def test_scheduling_imports_neither_confirmations_nor_logistics(name):
    higher = {
        module
        for module in imported_modules(SCHEDULING / name)
        if module.split(".")[0] in ("confirmations", "logistics")
    }
    assert higher == set()
