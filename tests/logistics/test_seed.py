"""The demo's logistics section loads, reloads without change, and names a bad value."""

import copy
import json
from pathlib import Path

import pytest

from logistics.models import Companion, Journey, MealService, Stay, Vehicle
from logistics.selectors import logistics_plan
from web.seed import SeedError, seed_load

DEMO = Path(__file__).resolve().parents[2] / "web" / "demo" / "aude-2009.json"


@pytest.fixture
def document():
    return json.loads(DEMO.read_text(encoding="utf-8"))


def test_demo_logistics_load(db, document):
    visit = seed_load(document).visits[0]
    assert Journey.objects.filter(guest__delegation__visit=visit).count() == 10
    assert list(Vehicle.objects.filter(visit=visit).values_list("name", "seats")) == [
        ("Minibus des Pactes Locaux", 8),
        ("Voiture de Claire Vidal", 3),
    ]
    assert Stay.objects.filter(visit=visit).count() == 1
    assert MealService.objects.get(venue__visit=visit).capacity == 30
    assert sorted(c.person.full_name for c in Companion.objects.filter(visit=visit)) == [
        "Alain Laurent",
        "Judith Hitchman",
    ]
    plan = logistics_plan(visit=visit)
    assert [w.code for w in plan.warnings] == ["no_programme"]
    # Two pick-ups (airport, station) and two drop-offs, before any programme exists.
    assert sorted((v.leg.kind, v.origin.name, v.leg.people) for v in plan.legs) == [
        ("dropoff", "Gîte d'étape de Couiza", 2),
        ("dropoff", "Gîte d'étape de Couiza", 3),
        ("pickup", "Aéroport de Toulouse-Blagnac", 3),
        ("pickup", "Gare de Carcassonne", 2),
    ]


def test_demo_loads_twice_without_change(db, document):
    seed_load(copy.deepcopy(document))
    before = list(Journey.objects.order_by("pk").values()), list(Stay.objects.values())
    seed_load(document)
    assert (list(Journey.objects.order_by("pk").values()), list(Stay.objects.values())) == before


def test_document_without_logistics_still_loads(db, document):
    del document["visits"][0]["logistics"]
    visit = seed_load(document).visits[0]
    assert Vehicle.objects.filter(visit=visit).count() == 0


def test_bad_logistics_value_names_its_path(db, document):
    document["visits"][0]["logistics"]["vehicles"][1]["seats"] = 0
    with pytest.raises(SeedError) as exc:
        seed_load(document)
    assert (exc.value.path, exc.value.reason) == (
        "$.visits[0].logistics.vehicles[1].seats",
        "A vehicle needs at least one passenger seat.",
    )
    assert Vehicle.objects.count() == 0


def test_unknown_guest_in_a_journey_names_its_path(db, document):
    document["visits"][0]["logistics"]["journeys"][0]["guest"] = "Nobody"
    with pytest.raises(SeedError) as exc:
        seed_load(document)
    assert (exc.value.path, exc.value.reason) == (
        "$.visits[0].logistics.journeys[0].guest",
        "no guest named 'Nobody' in this visit",
    )


@pytest.mark.parametrize(
    ("part", "change", "path", "reason"),
    [
        ("stays", {"subgroup": "Nobody"}, "stays[0].subgroup", "no sub-group named 'Nobody'"),
        (
            "stays",
            {"delegation": "Nobody"},
            "stays[0].delegation",
            "no delegation named 'Nobody'",
        ),
        (
            "companions",
            {"subgroup": "Nobody"},
            "companions[0].subgroup",
            "no sub-group named 'Nobody'",
        ),
    ],
)
def test_unknown_names_in_each_part_name_their_path(db, document, part, change, path, reason):
    document["visits"][0]["logistics"][part][0].update(change)
    with pytest.raises(SeedError) as exc:
        seed_load(document)
    assert (exc.value.path, exc.value.reason) == (f"$.visits[0].logistics.{path}", reason)


def test_required_guests_of_an_unknown_activity_name_their_path(db, document):
    document["visits"][0]["logistics"]["required_guests"] = [["No such visit", "Jacques Fiset"]]
    with pytest.raises(SeedError) as exc:
        seed_load(document)
    assert (exc.value.path, exc.value.reason) == (
        "$.visits[0].logistics.required_guests[0]",
        "no activity titled 'No such visit'",
    )
