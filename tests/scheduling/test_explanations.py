"""Explanations an organiser acts on (#14 part 7): whole sentences whatever is missing, names
and titles in the reader's language, a lock with its time, no reason twice, related reasons in
one sentence, culprits first."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.utils import translation

from scheduling.explanations import PLACEHOLDER, TEMPLATES, explained, sentence, with_sentences

KINDS = tuple(PLACEHOLDER)
# Every figure a template may name, as the solver gives it.
PARAMS = {
    "start": 600,
    "arrives": 840,
    "leaves": 2000,
    "duration": 90,
    "team": 2,
    "mode": "consecutive",
    "policy": "conference",
    "max": 4,
    "rest": 15,
    "stint": 90,
    "grid": 5,
    "message": "The coach is full.",
    "field": "duration",
    "value": 0,
    "cap": 360,
}
NAMES = {
    "activity": {1: "Welcome", 2: "Meeting the mayor"},
    "host": {1: "Eric Andrieu", 2: "Alain Laurent"},
    "interpreter": {1: "Sarah Hitchman"},
    "group": {1: "Delegation"},
    "day": {0: "Wednesday, April 15, 2009", 1: "Thursday, April 16, 2009"},
    "venue": {1: "Couiza", 2: "Carcassonne"},
    "moment": {
        m: {"weekday": f"Wednesday at {m}", "date": f"Wednesday, April 15, 2009 at {m}"}
        for m in (600, 840, 2000)
    },
    "bounds": {"first": 510, "last": 5 * 1440},
}
BROKEN = [
    re.compile(p)
    for p in (
        r"%\(",  # a placeholder left
        r"\s[.,)]",  # a gap where a name was: "between ."
        r"[:;]\s*\.",
        r"\(\s*\)",
        r"“”",
        r"\s\s",
        r"None",
        r"^[a-z“]?[a-z]",  # starts in lower case
    )
]


def _broken(text: str) -> list[str]:
    return [p.pattern for p in BROKEN if p.search(text)] + ([] if text.endswith(".") else ["."])


def _conflicts():
    """Every rule (and the presence variants), with every subset of its entities and with
    its figures or without."""
    rules = [*TEMPLATES, "presence", "unknown_rule"]
    for rule in rules:
        for size in range(len(KINDS) + 1):
            for kinds in itertools.combinations(KINDS, size):
                entities = {kind: [1, 2] if kind == "activity" else [1] for kind in kinds}
                for params in (PARAMS, {}, {"team": None, "start": None}):
                    yield {"rule": rule, "entities": entities, "params": params}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_template_is_a_whole_sentence_whatever_is_missing(language):
    with translation.override(language):
        bad = {}
        for conflict in _conflicts():
            text = sentence(conflict, NAMES)
            if _broken(text):
                bad[repr(conflict)] = (text, _broken(text))
    assert not bad, list(bad.items())[:5]


def test_an_entity_deleted_since_the_solve_is_left_out_not_shown_as_a_gap():
    conflict = {"rule": "group_travel", "entities": {"group": [9], "activity": [7]}}
    with translation.override("en"):
        text = sentence(conflict, NAMES)
    assert text == "The delegation cannot get from one venue to the next in time."


def test_travel_without_activities_is_a_whole_sentence():
    """The solver's travel guard names the group only: "... does not fit between ." before."""
    conflict = {"rule": "group_travel", "entities": {"group": [1]}, "params": {}}
    with translation.override("en"):
        text = sentence(conflict, NAMES)
    assert text.startswith("Delegation cannot get from one venue to the next in time between")
    assert not _broken(text)


def _activity(aude, prefix):
    return aude.activities.get(title__startswith=prefix)


def test_titles_days_and_times_are_in_the_readers_language(aude):
    mayor = _activity(aude, "Rencontre avec le maire")
    conflicts = [
        {"rule": "mandatory", "entities": {"activity": [mayor.pk]}, "params": {}},
        {"rule": "lunch", "entities": {"group": [], "day": [0]}, "params": {}},
    ]
    with translation.override("en"):
        english = [c["sentence"] for c in with_sentences(conflicts, visit=aude)]
    with translation.override("fr"):
        french = [c["sentence"] for c in with_sentences(conflicts, visit=aude)]
    assert english[0].startswith("“Meeting the mayor of Villerouge-Termenès” must")
    assert french[0].startswith("“Rencontre avec le maire de Villerouge-Termenès”")
    assert "Wednesday, April 15, 2009" in english[1]
    assert "mercredi 15 avril 2009" in french[1]


def test_a_lock_is_explained_with_its_time(aude):
    exchanges = _activity(aude, "Échanges avec les membres")
    thursday = dt.datetime(2009, 4, 16, 10, 30) - dt.datetime(2009, 4, 15)
    start = int(thursday.total_seconds() // 60)
    conflict = {
        "rule": "locked",
        "entities": {"activity": [exchanges.pk]},
        "params": {"start": start},
    }
    with translation.override("en"):
        (said,) = with_sentences([conflict], visit=aude)
    with translation.override("fr"):
        (dit,) = with_sentences([conflict], visit=aude)
    assert said["sentence"] == (
        "“Exchanges with members of the Pactes Locaux network” is locked on Thursday, "
        "April 16, 2009 at 10:30\u202fAM, a time that no longer works."
    )
    assert "jeudi 16 avril 2009" in dit["sentence"] and "10:30" in dit["sentence"]


def test_the_same_reason_is_said_once(aude):
    mayor = _activity(aude, "Rencontre avec le maire")
    host = mayor.host_links.get().person
    one = {"rule": "host_window", "entities": {"activity": [mayor.pk], "host": [host.pk]}}
    # The same rule on the same entities, once from the pre-check (with figures), once not.
    again = {**one, "params": {"duration": 120}}
    with translation.override("en"):
        assert len(with_sentences([one, again, one], visit=aude)) == 1
        assert len(explained([one, again, one], visit=aude)) == 1


def test_activities_held_up_by_the_same_window_are_one_sentence(aude):
    laurent = _activity(aude, "Accueil de la délégation").host_links.get().person
    wrap_up, exchanges = _activity(aude, "Synthèse"), _activity(aude, "Échanges")
    conflicts = [
        {"rule": "host_window", "entities": {"activity": [a.pk], "host": [laurent.pk]}}
        for a in (wrap_up, exchanges)
    ]
    with translation.override("en"):
        (said,) = explained(conflicts, visit=aude)
    assert said["sentence"] == (
        "Alain Laurent is not available long enough for “Wrap-up and preparation of Lux'09 "
        "workshop 7” and “Exchanges with members of the Pactes Locaux network” (check their "
        "availability windows)."
    )
    assert said["entities"]["activity"] == [wrap_up.pk, exchanges.pk]


def test_culprits_come_first_and_collateral_items_are_left_out(aude):
    """One interpreter under the conference policy: per activity "must take place", "no
    interpreter covers" and the team; the team is the reason, said once for all of them."""
    acts = [_activity(aude, p) for p in ("Rencontre au Conseil", "Rencontre avec le maire")]
    exchanges = _activity(aude, "Échanges")
    team = {"team": 2, "mode": "consecutive", "duration": 120, "policy": "conference"}
    conflicts = [
        c
        for a in acts
        for c in (
            {"rule": "mandatory", "entities": {"activity": [a.pk]}, "params": {}},
            {"rule": "interpretation", "entities": {"activity": [a.pk]}, "params": {}},
            {"rule": "team_strength", "entities": {"activity": [a.pk]}, "params": team},
        )
    ]
    conflicts.append({"rule": "mandatory", "entities": {"activity": [exchanges.pk]}})
    conflicts.append({"rule": "locked", "entities": {"activity": [exchanges.pk]}, "params": {}})
    with translation.override("en"):
        said = explained(conflicts, visit=aude)
    assert [c["rule"] for c in said] == ["locked", "team_strength"]
    assert said[1]["sentence"].startswith(
        "“Meeting at the Aude departmental council (CG11)” and “Meeting the mayor of "
        "Villerouge-Termenès” each need a team of 2 interpreters (consecutive) under conference"
    )


def test_must_take_place_stays_when_nothing_else_names_the_activity(aude):
    mayor = _activity(aude, "Rencontre avec le maire")
    alone = [{"rule": "mandatory", "entities": {"activity": [mayor.pk]}, "params": {}}]
    with translation.override("en"):
        assert [c["rule"] for c in explained(alone, visit=aude)] == ["mandatory"]


def test_a_failed_solve_reads_culprits_first_on_the_page_and_in_the_api(aude, client, monkeypatch):
    """Laurent kept free on the first afternoon only: his two activities that no longer fit
    are one sentence, in English titles on the English page, before the other reasons, and
    no "must take place" for an activity another reason names."""
    from django.urls import reverse

    from scheduling import services
    from tests import factories
    from tests.conftest import ApiClient

    # The explanation takes a few seconds: no heartbeat write from another thread meanwhile
    # (SQLite would find the test's transaction holding the lock).
    monkeypatch.setattr(services, "HEARTBEAT_S", 3600)
    laurent = _activity(aude, "Accueil de la délégation").host_links.get().person
    paris = dt.timezone(dt.timedelta(hours=2))
    aude.availabilities.filter(person=laurent).update(
        start=dt.datetime(2009, 4, 15, 14, 0, tzinfo=paris),
        end=dt.datetime(2009, 4, 15, 17, 0, tzinfo=paris),
    )
    job = services.programme_solve(job_id=services.solve_start(visit=aude, time_limit_s=20).pk)
    assert job.state == "failed"
    organiser = factories.organiser(aude.owner)
    api = ApiClient(factories.token_for(organiser))
    answer = api.client.get(
        f"/api/v1/visits/{aude.pk}/jobs/{job.pk}", headers={"accept-language": "en"}
    ).json()
    said = answer["conflicts"]
    sentences = [c["sentence"] for c in said]
    assert said[0]["rule"] == "host_window", sentences
    assert sentences[0].startswith(
        "Alain Laurent is not available long enough for “Wrap-up and preparation of Lux"
    )
    assert "“Exchanges with members of the Pactes Locaux network”" in sentences[0]
    assert "mandatory" not in {c["rule"] for c in said}
    assert len(set(sentences)) == len(sentences) < len(job.conflicts)
    client.force_login(organiser)
    page = client.get(reverse("scheduling:visit", kwargs={"visit_id": aude.pk})).content.decode()
    assert "Alain Laurent is not available long enough for “Wrap-up and preparation of Lux" in page
    assert "must take place" not in page


def test_data_to_correct_comes_before_what_it_blocks(aude):
    """A missing travel time first: nothing else holds until it is entered."""
    mayor = _activity(aude, "Rencontre avec le maire")
    venues = list(aude.venues.order_by("pk").values_list("pk", flat=True)[:2])
    conflicts = [
        {"rule": "host_no_windows", "entities": {"activity": [mayor.pk], "host": []}},
        {"rule": "missing_travel", "entities": {"venue": venues}, "params": {}},
    ]
    with translation.override("en"):
        said = explained(conflicts, visit=aude)
    assert [c["rule"] for c in said] == ["missing_travel", "host_no_windows"]
    # The host is unknown (deleted since): the activity is still named.
    assert said[1]["sentence"] == (
        "“Meeting the mayor of Villerouge-Termenès” cannot be placed: one of its hosts has no "
        "availability window."
    )


def test_a_solve_out_of_time_says_what_to_do():
    """The solver's `time_limit` reason (issue 18) reads as advice, not the generic line."""
    conflict = {
        "rule": "time_limit",
        "entities": {},
        "params": {"stage": "model build", "reason": "out of time", "limit": 10.0},
    }
    with translation.override("en"):
        said = sentence(conflict, {})
    assert said.startswith("The visit is too large to build a programme within the time limit")


def test_a_re_plan_out_of_time_names_the_activity_it_found_no_place_for():
    """A re-plan stuck on one activity (solver: construct.repair) says which, not that the
    visit is too large."""
    conflict = {
        "rule": "time_limit",
        "entities": {"activity": [2]},
        "params": {"stage": "search", "reason": "out of time", "limit": 2.0},
    }
    with translation.override("en"):
        said = sentence(conflict, NAMES)
    assert said.startswith("No new place was found for “Meeting the mayor” within the time limit")
    assert "too large" not in said


def test_a_first_programme_out_of_time_names_what_found_no_place():
    """A first programme whose insertion found no place for mandatory activities (solver:
    insert.py, generated M-23) says which and what to do, in each language, and neither
    "new place" (a re-plan's wording) nor that the visit is too large."""
    conflict = {
        "rule": "time_limit",
        "entities": {"activity": [1, 2]},
        "params": {"stage": "search", "reason": "out of time", "first": True},
    }
    said = {}
    for code in ("en", "fr", "es"):
        with translation.override(code):
            said[code] = sentence(conflict, NAMES)
    assert said["en"].startswith("No place was found for “Welcome” and “Meeting the mayor”")
    assert "Make some of them optional" in said["en"]
    assert said["fr"].startswith("Aucune place n’a été trouvée pour “Welcome” et")
    assert said["es"].startswith("No se encontró lugar para")
    assert not any("too large" in x or "new place" in x for x in said.values())
    one = dict(conflict, entities={"activity": [2]})
    with translation.override("en"):
        assert "Make it optional, widen its hosts" in sentence(one, NAMES)
