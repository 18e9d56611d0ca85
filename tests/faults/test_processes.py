"""Faults with real processes (issue #15), on the test database (SQLite, or PostgreSQL with
DATABASE_URL): a worker killed with SIGKILL, a private Redis stopped during a publish, a web
process killed right after a publish committed. Nothing is timed: the tests wait on
conditions, and print what benchmarks/faults/run.py reports."""

import pytest

from benchmarks.solver.generate import generate
from planner.models import Organisation
from scheduling.import_problem import visit_from_problem
from tests import factories
from tests.faults import harness

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stage(transactional_db):
    return harness.published_stage("Faults network")


def report(fault):
    print(f"\nfault[{fault.name}]: lost={fault.lost} seconds={fault.seconds} {fault.notes}")


def test_worker_killed_mid_solve_with_a_solve_queued_behind_both_end(stage):
    owner = Organisation.objects.create(name="Generated network")
    slow = visit_from_problem(generate("M", 1), owner=owner, title="Generated M visit")
    fault = harness.worker_killed(slow, stage.visit)
    report(fault)
    assert fault.lost == 0 and fault.recovered, fault.notes


@pytest.mark.skipif(not harness.RedisServer.available(), reason="needs redis-server")
def test_redis_stopped_during_a_publish_answers_200_and_notifies_once_it_returns(stage):
    token = factories.token_for(factories.organiser(stage.org, username="faults-organiser"))
    fault = harness.redis_stopped_during_publish(stage, token)
    report(fault)
    assert fault.lost == 0 and fault.recovered, fault.notes


def test_web_process_killed_after_a_publish_commits_notices_are_still_sent(stage):
    fault = harness.web_killed_after_commit(stage)
    report(fault)
    assert fault.lost == 0 and fault.recovered, fault.notes
