"""Issue 14, bad input through the JSON import (the API): refused on the JSON path, never a
server error."""

import pytest


def _import(api, problem, raw=None):
    if raw is not None:
        return api.client.post("/api/v1/problems/import", raw, content_type="application/json")
    return api.post("/problems/import", {"title": "Imported", "problem": problem})


def _problem(**day):
    return {
        "days": [{"id": 0, "start": 540, "end": 1080, **day}],
        "venues": [{"id": 1}],
        "activities": [{"id": 1, "duration": 60, "venue": 1}],
    }


@pytest.mark.parametrize(
    ("day", "field", "reason"),
    [
        ({"end": 10**7}, "end", "10000000 minutes is beyond the horizon (±527040)"),
        ({"end": 2**40}, "end", "1099511627776 does not fit in 32 bits"),
        (
            {"lunch_start": 720, "lunch_end": 750, "lunch_min": 60},
            "lunch_end",
            "the lunch window is shorter than the lunch (60 minutes)",
        ),
    ],
)
def test_import_refuses_data_the_solver_would_misread_on_its_path(api, day, field, reason):
    answer = _import(api, _problem(**day))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": f"body.problem.days[0].{field}", "reason": reason}]


def test_import_refuses_overlapping_days(api):
    problem = _problem()
    problem["days"].append({"id": 1, "start": 1000, "end": 1200})
    answer = _import(api, problem)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.problem.days[1].start"


@pytest.mark.parametrize(
    "raw",
    [
        '{"title": "x", "problem": ' + "[" * 50_000 + "]" * 50_000 + "}",
        b'{"title": "Caf\xe9", "problem": {}}',
    ],
)
def test_import_refuses_unreadable_bodies_without_a_server_error(api, raw):
    assert _import(api, None, raw).status_code == 400
