import datetime as dt

import pytest

from scheduling import services
from scheduling.models import SolveJob
from tests import factories


@pytest.fixture
def aude_api(aude):
    """An API client for the organisation that owns the demo Aude visit."""
    from tests.conftest import ApiClient

    return ApiClient(factories.token_for(factories.organiser(aude.owner)))


def run_queued(job_id: int) -> SolveJob:
    # Tests run the worker's body in-process: on_commit never fires inside a test transaction.
    return services.programme_solve(job_id=job_id)


def test_solve_watch_publish_diff_through_the_api(aude, aude_api):
    started = aude_api.post(f"/visits/{aude.pk}/solve", {"time_limit_s": 20})
    assert started.status_code == 202, started.content
    assert started.json()["state"] == "queued"
    assert aude_api.post(f"/visits/{aude.pk}/solve", {}).status_code == 409
    run_queued(started.json()["id"])
    job = aude_api.get(f"/visits/{aude.pk}/jobs/{started.json()['id']}").json()
    assert (job["state"], job["result_version"]) == ("done", 1)
    assert job["progress"]["solutions"] >= 1
    published = aude_api.post(f"/visits/{aude.pk}/versions/1/publish")
    assert published.status_code == 200
    versions = aude_api.get(f"/visits/{aude.pk}/versions").json()["items"]
    assert [(v["number"], v["is_current"]) for v in versions] == [(1, True)]
    version = aude_api.get(f"/visits/{aude.pk}/versions/1").json()
    slot = version["slots"][0]
    assert aude_api.post(f"/visits/{aude.pk}/slots/{slot['id']}/lock").json()["locked"] is True
    moved = aude_api.post(
        f"/visits/{aude.pk}/slots/{slot['id']}/move",
        {"start": "2009-04-19T21:00:00+02:00"},
    )
    assert moved.status_code == 409
    assert "locked" in moved.json()["detail"]
    diff = aude_api.get(f"/visits/{aude.pk}/versions/1/diff/1").json()
    assert diff["moved"] == [] and diff["added"] == []


def test_illegal_move_is_409_with_sentences(aude, aude_api):
    job = services.solve_start(visit=aude, time_limit_s=20)
    version = run_queued(job.pk).result_version
    slot = version.slots.get(activity__title__startswith="Rencontre avec le maire")
    response = aude_api.post(
        f"/visits/{aude.pk}/slots/{slot.pk}/move", {"start": "2009-04-19T21:00:00+02:00"}
    )
    assert response.status_code == 409
    body = response.json()
    rules = {v["rule"] for v in body["violations"]}
    assert "host_window" in rules
    sentence = next(v["sentence"] for v in body["violations"] if v["rule"] == "host_window")
    # The host, then the activity in the page's language (English) and the time it was moved to.
    assert sentence.startswith("Eric Andrieu is not available for “Meeting the mayor")
    assert sentence.endswith("on Sunday, April 19, 2009 at 9:00\u202fPM.")


def test_failed_solve_explains_in_french(aude, aude_api):
    mayor = aude.activities.get(title__startswith="Rencontre avec le maire").host_links.get()
    aude.availabilities.filter(person=mayor.person).update(
        start=dt.datetime(2009, 4, 16, 7, 0, tzinfo=dt.UTC),
        end=dt.datetime(2009, 4, 16, 7, 30, tzinfo=dt.UTC),
    )
    job = run_queued(services.solve_start(visit=aude, time_limit_s=20).pk)
    assert job.state == "failed"
    answer = aude_api.client.get(
        f"/api/v1/visits/{aude.pk}/jobs/{job.pk}", headers={"accept-language": "fr"}
    ).json()
    sentences = [c["sentence"] for c in answer["conflicts"] if c["rule"] == "host_window"]
    assert sentences and sentences[0].startswith("Eric Andrieu n")


def test_export_then_import_creates_an_equivalent_visit(aude, aude_api):
    exported = aude_api.get(f"/visits/{aude.pk}/problem")
    assert exported.status_code == 200
    problem = exported.json()
    imported = aude_api.post(
        "/problems/import",
        {"title": "Aude (copie)", "start_date": "2009-04-15", "problem": problem},
    )
    assert imported.status_code == 201, imported.content
    copy_id = imported.json()["id"]
    again = aude_api.get(f"/visits/{copy_id}/problem").json()
    assert len(again["activities"]) == len(problem["activities"])
    assert again["days"] == problem["days"]


def test_import_bad_problem_is_422_naming_the_path(aude_api):
    response = aude_api.post("/problems/import", {"title": "Broken", "problem": {"days": "x"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("body.problem")


def test_import_problem_with_unknown_venue_is_422(aude, aude_api):
    problem = aude_api.get(f"/visits/{aude.pk}/problem").json()
    problem["activities"][0]["venue"] = 999_999
    response = aude_api.post("/problems/import", {"title": "Broken", "problem": problem})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.problem"
