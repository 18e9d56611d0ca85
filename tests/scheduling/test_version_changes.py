"""The one slot diff (``selectors.version_changes``) and the attendance loader."""

import datetime as dt
from zoneinfo import ZoneInfo

from delegations.models import SubGroup
from scheduling import selectors
from scheduling.models import Slot
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2030, 4, 2)


def t(hour: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour), PARIS)


def test_changes_are_added_cancelled_and_moved_in_time_or_venue(org):
    v = factories.visit(org)
    hall, farm = factories.venue(v), factories.venue(v)
    kept, shifted, relocated, dropped, new = (factories.activity(v, hall) for _ in range(5))
    old = factories.programme_version(
        v, [(kept, t(9)), (shifted, t(11)), (relocated, t(14)), (dropped, t(16))], publish=False
    )
    new_version = factories.programme_version(
        v, [(kept, t(9)), (shifted, t(12)), (relocated, t(14)), (new, t(17))], publish=False
    )
    Slot.objects.filter(version=new_version, activity=relocated).update(venue=farm)

    changes = selectors.version_changes(old=old, new=new_version)

    assert {k: c.kind for k, c in changes.items()} == {
        shifted.pk: "moved",
        relocated.pk: "moved",
        dropped.pk: "cancelled",
        new.pk: "added",
    }
    assert (changes[shifted.pk].before.start, changes[shifted.pk].after.start) == (t(11), t(12))
    assert changes[relocated.pk].after.venue_id == farm.pk
    assert changes[dropped.pk].after is None and changes[new.pk].before is None
    assert list(changes) == sorted(changes)


def test_a_cancelled_slot_counts_as_none_when_live_only(org):
    v = factories.visit(org)
    hall = factories.venue(v)
    a = factories.activity(v, hall)
    old = factories.programme_version(v, [(a, t(9))], publish=False)
    new_version = factories.programme_version(v, [(a, t(9))], publish=False)
    Slot.objects.filter(version=new_version).update(status=Slot.Status.CANCELLED)

    assert selectors.version_changes(old=old, new=new_version) == {}
    assert selectors.version_changes(old=old, new=new_version, live_only=True)[a.pk].kind == (
        "cancelled"
    )


def test_readiness_hears_an_activity_only_through_its_audience(org):
    v = factories.visit(org)
    hall = factories.venue(v)
    d = factories.delegation(v)
    red = SubGroup.objects.create(delegation=d, name="Red")
    blue = SubGroup.objects.create(delegation=d, name="Blue")
    factories.guest(d, subgroup=red, languages=(("en", "fluent"),))
    factories.guest(d, subgroup=blue, languages=(("fr", "fluent"),))
    for_red = factories.activity(v, hall, title="For red", languages=["fr"])
    for_red.audience.set([red])
    for_blue = factories.activity(v, hall, title="For blue", languages=["fr"])
    for_blue.audience.set([blue])
    factories.activity(v, hall, title="For all", languages=["fr"])

    missing = selectors.visit_readiness(visit=v).missing
    (needs,) = [m["text"] for m in missing if m["code"] == "no_interpreter"]
    assert "For red" in needs and "For all" in needs and "For blue" not in needs
