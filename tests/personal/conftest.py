import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from events.models import TravelTime, Venue
from scheduling import services
from scheduling.attendance import solver_group
from scheduling.models import ProgrammeVersion
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
MONDAY, TUESDAY, WEDNESDAY = dt.date(2030, 5, 6), dt.date(2030, 5, 7), dt.date(2030, 5, 8)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), PARIS)


class Stage:
    """A three-day visit in May 2030: a Spanish-speaking guest, a French-speaking guest with
    a private diet, a guest without email, one interpreter (French into Spanish) at the
    mayor's meeting, a lunch, and the bookshop."""

    def __init__(self, org):
        self.org = org
        self.visit = factories.visit(
            org,
            title="Étape régionale, mai 2030",
            slug="etape-mai-2030",
            start_date=MONDAY,
            end_date=WEDNESDAY,
            description="Internal: budget still open with the council",
        )
        v = self.visit
        self.hall = factories.venue(
            v,
            name="Salle des fêtes",
            address="1 place de la République",
            city="Couiza",
            latitude=42.9425,
            longitude=2.254,
        )
        self.bookshop_venue = factories.venue(v, name="Librairie", address="32120 Sarrant")
        self.restaurant = factories.venue(
            v, name="Auberge du Razès", city="Couiza", kind=Venue.Kind.RESTAURANT
        )
        for a, b, minutes in (
            (self.hall, self.bookshop_venue, 60),
            (self.hall, self.restaurant, 10),
            (self.restaurant, self.bookshop_venue, 60),
        ):
            TravelTime.objects.create(visit=v, origin=a, destination=b, minutes=minutes)
            TravelTime.objects.create(visit=v, origin=b, destination=a, minutes=minutes)
        self.mayor = factories.person(
            org,
            full_name="Eric Andrieu",
            position="maire",
            email="maire@example.org",
            phone="+33 4 00 00 00 01",
            preferred_language="fr",
        )
        self.bookseller = factories.person(
            org, full_name="Lucía Ferrer", email="libreria@example.org", preferred_language="es"
        )
        self.interpreter = factories.interpreter(
            org, directions=(("fr", "es"), ("es", "fr")), modes=["consecutive"]
        )
        self.interpreter.person.email = "interprete@example.org"
        self.interpreter.person.preferred_language = "en"
        self.interpreter.person.full_name = "Clara Interprète"
        self.interpreter.person.save()
        v.interpreters.add(self.interpreter)
        self.meeting = factories.activity(
            v,
            self.hall,
            hosts=[self.mayor],
            title="Rencontre avec le maire",
            duration_minutes=120,
            interpretation_mode="consecutive",
        )
        self.lunch = factories.activity(
            v, self.restaurant, title="Déjeuner", duration_minutes=60, kind="meal"
        )
        self.bookshop = factories.activity(
            v,
            self.bookshop_venue,
            hosts=[self.bookseller],
            title="Librairie de Sarrant",
            duration_minutes=90,
        )
        self.delegation = factories.delegation(v, name="Délégation Amérique latine")
        self.ana = factories.guest(
            self.delegation,
            languages=(("es", "native"),),
            full_name="Ana García",
            country="CL",
            preferred_language="es",
            email="ana.garcia@example.org",
            dietary_needs="vegetariana",
        )
        self.marie = factories.guest(
            self.delegation,
            languages=(("fr", "native"),),
            full_name="Marie Tremblay",
            country="CA",
            preferred_language="fr",
            email="marie.tremblay@example.org",
            dietary_needs="Private: no pork",
        )
        self.amadou = factories.guest(
            self.delegation,
            languages=(("fr", "native"),),
            full_name="Amadou Ouédraogo",
            country="BF",
            preferred_language="fr",
        )
        self.programme = services.programme_for(visit=v)

    def publish(self, slots: dict) -> ProgrammeVersion:
        """Publish a version: {activity: start}; the meeting in French, interpreted into
        Spanish for Ana by the interpreter."""
        group = solver_group(self.delegation.pk)
        version = factories.programme_version(
            self.visit,
            slots.items(),
            assignments=[(self.meeting, self.interpreter, "fr", "es")],
            languages={"spoken": "fr", "listening": [[group, "fr", 2], [group, "es", 1]]},
        )
        self.programme.refresh_from_db()
        return version


FIRST = {"meeting": at(MONDAY, 10), "lunch": at(MONDAY, 12, 30), "bookshop": at(MONDAY, 15)}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stage(org):
    return Stage(org)


@pytest.fixture
def published(stage):
    stage.publish({getattr(stage, name): start for name, start in FIRST.items()})
    return stage
