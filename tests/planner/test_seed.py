import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from delegations.models import Guest
from events.models import Activity, Visit
from web.seed import SeedError, seed_load

DEMO_DIR = Path(__file__).resolve().parents[2] / "web" / "demo"


def aude() -> dict:
    return json.loads((DEMO_DIR / "aude-2009.json").read_text(encoding="utf-8"))


def snapshot() -> str:
    from io import StringIO

    out = StringIO()
    call_command(
        "dumpdata",
        "planner",
        "events",
        "delegations",
        "scheduling",
        stdout=out,
        exclude=["events.visit"],
    )
    visits = list(Visit.objects.order_by("pk").values())
    return out.getvalue() + repr(visits)


@pytest.mark.django_db
def test_demo_loads_every_case():
    call_command("load_demo", verbosity=0)
    kinds = sorted(Visit.objects.values_list("kind", flat=True))
    assert kinds == ["delegation", "forum"] + ["learning_journey"] * 5
    aude_visit = Visit.objects.get(slug="aude-2009")
    assert aude_visit.delegations.get().guests.count() == 5
    assert {g.country for g in Guest.objects.filter(delegation__visit=aude_visit)} == {
        "CA",
        "MY",
        "PH",
        "BF",
    }


@pytest.mark.django_db
def test_demo_load_twice_leaves_database_unchanged():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


@pytest.mark.django_db
def test_demo_contact_addresses_are_example_org():
    call_command("load_demo", verbosity=0)
    from events.models import Person

    emails = [e for e in Person.objects.values_list("email", flat=True) if e]
    emails += [e for e in Guest.objects.values_list("email", flat=True) if e]
    assert emails and all(e.endswith("@example.org") for e in emails)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            lambda d: d["visits"][0]["delegations"][0]["guests"][0].update(country="QC"),
            "$.visits[0].delegations[0].guests[0].country",
            "“QC” is not an ISO 3166 country code (for example “FR”, “CA”, “BF”).",
        ),
        (
            lambda d: d["visits"][0]["availability"][0].update(end="2009-04-16T08:00"),
            "$.visits[0].availability[0].end",
            "The window ends before it starts.",
        ),
        (
            lambda d: d["visits"][0]["activities"][0].update(duration_minutes=700),
            "$.visits[0].activities[0].duration_minutes",
            "The activity lasts longer than a programme day (630 minutes).",
        ),
        (
            lambda d: d["visits"][0]["delegations"][0]["guests"].append(
                copy.deepcopy(d["visits"][0]["delegations"][0]["guests"][0])
            ),
            "$.visits[0].delegations[0].guests[5].full_name",
            "'Jacques Fiset' is listed twice in this delegation",
        ),
        (
            lambda d: d["people"][0].update(languages=["fr", "klingon"]),
            "$.people[0].languages",
            "“klingon” is not an ISO 639 language code (for example “fr”, “en”, “es”).",
        ),
        (
            lambda d: d["visits"][0]["travel"]["entered"].append(
                ["Gîte d'étape de Couiza", "Nowhere", 10]
            ),
            "$.visits[0].travel.entered[4]",
            "no venue named 'Nowhere' in this visit",
        ),
    ],
)
def test_seed_bad_value_names_path_and_writes_nothing(change, path, reason):
    document = aude()
    change(document)
    with pytest.raises(SeedError) as exc:
        seed_load(document)
    assert (exc.value.path, exc.value.reason) == (path, reason)
    assert Visit.objects.count() == 0
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_seed_keeps_a_venues_exclusive_room():
    document = aude()
    document["visits"][0]["venues"][0]["exclusive"] = True
    visit = seed_load(document).visits[0]
    name = document["visits"][0]["venues"][0]["name"]
    assert visit.venues.get(name=name).exclusive is True
    assert visit.venues.filter(exclusive=True).count() == 1
