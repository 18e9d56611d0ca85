"""Issue 20: what changed in a guest's own rides and nights since she last looked (a vehicle,
a pick-up time, a hotel) is marked on her page like a moved activity, from the logistics as
published with each version (``logistics.diff``); another guest's changes are not."""

import re

import pytest
from django.test import Client

from events.models import TravelTime
from logistics.models import Companion, Journey, LegAssignment
from logistics.selectors import logistics_plan
from personal import links
from tests import factories
from tests.personal.conftest import FIRST, MONDAY, TUESDAY, at


def html(key) -> str:
    response = Client().get(f"/me/{key}/", {"lang": "en"})
    assert response.status_code == 200
    return response.content.decode()


def key_of(stage, guest) -> str:
    return links.personal_link_get(visit=stage.visit, guest=guest)[1]


def changed_rides(page: str) -> list[str]:
    return re.findall(r'<li class="entry kind-\w+ changed" id="ride-([^"]+)"', page)


def changed_nights(page: str) -> list[str]:
    return re.findall(r'<p class="night changed" id="night-([\d-]+)">', page)


class Logistics:
    """The stage with two hotels, a station, two minibuses; the delegation sleeps at the
    Hôtel du Pont on Monday and Tuesday; Ana and Marie come by train on Monday morning, too
    far apart to share a pick-up."""

    def __init__(self, stage):
        self.stage = stage
        v = stage.visit
        self.pont = factories.venue(v, name="Hôtel du Pont", kind="lodging")
        self.thermes = factories.venue(v, name="Hôtel des Thermes", kind="lodging")
        self.station = factories.venue(v, name="Gare de Couiza")
        places = (stage.hall, stage.restaurant, stage.bookshop_venue)
        for a in (self.pont, self.thermes, self.station):
            for b in (*places, self.pont, self.thermes, self.station):
                if a != b:
                    for origin, destination in ((a, b), (b, a)):
                        TravelTime.objects.get_or_create(
                            visit=v,
                            origin=origin,
                            destination=destination,
                            defaults={"minutes": 20},
                        )
        factories.stay(v, self.pont, MONDAY, TUESDAY, delegation=stage.delegation)
        self.blue = factories.vehicle(v, name="Minibus bleu")
        self.red = factories.vehicle(v, name="Minibus rouge")
        self.ana_train = factories.journey(stage.ana, self.station, at(MONDAY, 5, 30), mode="train")
        self.marie_train = factories.journey(stage.marie, self.station, at(MONDAY, 8), mode="train")

    def publish(self):
        return self.stage.publish({getattr(self.stage, n): s for n, s in FIRST.items()})

    def leg(self, kind: str, guests: set[int], destination=None):
        plan = logistics_plan(visit=self.stage.visit)
        return next(
            view
            for view in plan.legs
            if view.leg.kind == kind
            and set(view.leg.guests) == guests
            and (destination is None or view.destination == destination)
        )

    def pin(self, view, vehicle):
        LegAssignment.objects.create(visit=self.stage.visit, leg_key=view.key, vehicle=vehicle)


@pytest.fixture
def logistics(stage):
    setup = Logistics(stage)
    setup.publish()  # version 1
    return setup


def test_a_new_vehicle_and_a_new_hotel_are_marked(logistics):
    stage = logistics.stage
    ana = key_of(stage, stage.ana)
    page = html(ana)  # seen version 1
    everyone = {stage.ana.pk, stage.marie.pk, stage.amadou.pk}
    lunch_ride = logistics.leg("programme", everyone, destination=stage.restaurant)
    assert "Minibus bleu" in page and not changed_rides(page)
    logistics.pin(lunch_ride, logistics.red)
    factories.stay(stage.visit, logistics.thermes, TUESDAY, TUESDAY, guest=stage.ana)
    logistics.publish()  # version 2: the same programme

    page = html(ana)
    assert changed_rides(page) == [lunch_ride.key]
    ride = re.search(rf'id="ride-{lunch_ride.key}">(.*?)</li>\s*(?=<li|</ol)', page, re.S).group(1)
    assert '<span class="badge">Changed</span>' in ride and "Minibus rouge" in ride
    # Her Tuesday night is at the other hotel now; Monday's is unchanged.
    assert changed_nights(page) == ["2030-05-07"]
    night = re.search(r'id="night-2030-05-07">(.*?)</p>', page, re.S).group(1)
    assert "Hôtel des Thermes" in night and '<span class="badge">Changed</span>' in night
    # The box at the top counts and lists both.
    box = re.search(r'<section class="changes" id="changes".*?</section>', page, re.S).group(0)
    assert "2 changes in your programme" in box
    assert f'href="#ride-{lunch_ride.key}"' in box and 'href="#night-2030-05-07"' in box
    # No activity moved.
    assert "entry kind-activity changed" not in page


def test_a_new_pick_up_time_is_marked(logistics):
    stage = logistics.stage
    ana = key_of(stage, stage.ana)
    html(ana)
    Journey.objects.filter(pk=logistics.ana_train.pk).update(time=at(MONDAY, 6))
    logistics.publish()
    pickup = logistics.leg("pickup", {stage.ana.pk})
    page = html(ana)
    assert changed_rides(page) == [pickup.key]
    ride = re.search(rf'id="ride-{pickup.key}">(.*?)</li>\s*(?=<li|</ol)', page, re.S).group(1)
    assert '<span class="badge">Changed</span>' in ride
    assert "1 change in your programme" in page and not changed_nights(page)


def test_another_guests_ride_and_night_are_not_shown(logistics):
    stage = logistics.stage
    ana, marie = key_of(stage, stage.ana), key_of(stage, stage.marie)
    html(ana)
    html(marie)
    marie_pickup = logistics.leg("pickup", {stage.marie.pk})
    logistics.pin(marie_pickup, logistics.red)
    factories.stay(stage.visit, logistics.thermes, TUESDAY, TUESDAY, guest=stage.marie)
    logistics.publish()

    page = html(ana)
    assert 'id="changes"' not in page and " changed" not in page
    assert marie_pickup.key not in page and "Hôtel des Thermes" not in page
    # On Marie's own page both are marked.
    page = html(marie)
    assert changed_rides(page) == [marie_pickup.key]
    assert changed_nights(page) == ["2030-05-07"]


def test_an_interpreters_ride_with_a_new_vehicle_is_marked(logistics):
    stage = logistics.stage
    Companion.objects.create(visit=stage.visit, person=stage.interpreter.person)
    logistics.publish()  # version 2: she rides with the delegation
    key = links.personal_link_get(visit=stage.visit, interpreter=stage.interpreter)[1]
    html(key)
    everyone = {stage.ana.pk, stage.marie.pk, stage.amadou.pk}
    lunch_ride = logistics.leg("programme", everyone, destination=stage.restaurant)
    logistics.pin(lunch_ride, logistics.red)
    logistics.publish()  # version 3
    page = html(key)
    assert changed_rides(page) == [lunch_ride.key]
    assert not changed_nights(page)
