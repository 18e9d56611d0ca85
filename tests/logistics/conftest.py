import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from events.models import Activity, TravelTime, Venue
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
DAY1 = dt.date(2009, 4, 20)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY1 + dt.timedelta(days=day), dt.time(hour, minute), PARIS)


class Trip:
    """Three days in the Aude (20–22 April 2009): a hotel, an airport, a town hall, a
    restaurant and a farm that serves no meals; three guests who eat differently; a minibus."""

    def __init__(self, org):
        v = self.visit = factories.visit(
            org,
            title="Délégation, avril 2009",
            slug="delegation-2009",
            start_date=DAY1,
            end_date=DAY1 + dt.timedelta(days=2),
        )
        self.hotel = factories.venue(
            v,
            name="Hôtel de la Cité",
            kind=Venue.Kind.LODGING,
            address="Place de l'Église",
            city="Carcassonne",
            capacity=10,
        )
        self.airport = factories.venue(
            v, name="Aéroport de Toulouse-Blagnac", kind=Venue.Kind.STATION, city="Blagnac"
        )
        self.townhall = factories.venue(
            v, name="Mairie de Villerouge", address="Place de la Mairie", city="Villerouge-Termenès"
        )
        self.restaurant = factories.venue(
            v, name="Auberge du Château", kind=Venue.Kind.RESTAURANT, city="Villerouge-Termenès"
        )
        self.farm = factories.venue(v, name="Ferme de Sarrant", city="Sarrant")
        minutes = {
            (self.hotel, self.townhall): 45,
            (self.townhall, self.restaurant): 5,
            (self.restaurant, self.farm): 60,
            (self.farm, self.hotel): 90,
            (self.airport, self.hotel): 75,
            (self.hotel, self.airport): 75,
            (self.townhall, self.hotel): 45,
            (self.restaurant, self.hotel): 50,
            (self.hotel, self.farm): 90,
            (self.hotel, self.restaurant): 50,
            (self.townhall, self.farm): 60,
            (self.farm, self.townhall): 60,
            (self.farm, self.restaurant): 60,
            (self.restaurant, self.townhall): 5,
        }
        for (a, b), m in minutes.items():
            TravelTime.objects.create(visit=v, origin=a, destination=b, minutes=m)
        self.mayor = factories.person(
            org, full_name="Eric Andrieu", position="maire", phone="+33 4 68 00 00 00"
        )
        self.delegation = factories.delegation(v, name="Délégation internationale")
        self.fiset = factories.guest(
            self.delegation,
            full_name="Jacques Fiset",
            country="CA",
            preferred_language="fr",
            languages=(("fr", "native"),),
        )
        self.jayasooria = factories.guest(
            self.delegation, full_name="Denison Jayasooria", country="MY", dietary_needs="halal"
        )
        self.tamini = factories.guest(
            self.delegation,
            full_name="Patricia Tamini",
            country="BF",
            preferred_language="fr",
            dietary_needs="Vegetarian",
            languages=(("fr", "fluent"),),
        )
        self.meeting = factories.activity(
            v,
            self.townhall,
            hosts=[self.mayor],
            title="Rencontre avec le maire",
            duration_minutes=90,
        )
        self.lunch = factories.activity(
            v,
            self.restaurant,
            title="Déjeuner à l'auberge",
            kind=Activity.Kind.MEAL,
            duration_minutes=60,
        )
        self.visit_farm = factories.activity(
            v, self.farm, title="Visite de la ferme", duration_minutes=120
        )
        factories.stay(v, self.hotel, DAY1, DAY1 + dt.timedelta(days=1))
        self.minibus = factories.vehicle(v, seats=8, name="Minibus")

    @property
    def guests(self):
        return [self.fiset, self.jayasooria, self.tamini]

    def publish_day_one(self, **starts):
        """The meeting 10:00, lunch 12:00, the farm 14:00 on the first day (or as given)."""
        times = {"meeting": at(0, 10), "lunch": at(0, 12), "farm": at(0, 14), **starts}
        return factories.programme_version(
            self.visit,
            [
                (self.meeting, times["meeting"]),
                (self.lunch, times["lunch"]),
                (self.visit_farm, times["farm"]),
            ],
        )


@pytest.fixture
def trip(org):
    return Trip(org)
