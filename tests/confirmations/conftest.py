import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django_q.conf import Conf

from confirmations import links
from events.models import TravelTime
from scheduling import services
from scheduling.models import ProgrammeVersion, Slot
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
MONDAY, TUESDAY, WEDNESDAY = dt.date(2030, 5, 6), dt.date(2030, 5, 7), dt.date(2030, 5, 8)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), PARIS)


class Stage:
    """A three-day visit in May 2030 with two hosts (the mayor: two meetings; the bookseller:
    one), a delegation of two guests and one interpreter; versions are written by hand."""

    def __init__(self, org):
        self.org = org
        self.visit = factories.visit(
            org,
            title="Étape régionale, mai 2030",
            slug="etape-mai-2030",
            start_date=MONDAY,
            end_date=WEDNESDAY,
            description="Private: budget still open with the council",
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
        self.farm = factories.venue(v, name="Librairie", address="32120 Sarrant")
        TravelTime.objects.create(visit=v, origin=self.hall, destination=self.farm, minutes=60)
        TravelTime.objects.create(visit=v, origin=self.farm, destination=self.hall, minutes=60)
        self.mayor = factories.person(
            org,
            full_name="Eric Andrieu",
            position="maire",
            email="maire@example.org",
            phone="+33 4 00 00 00 01",
            preferred_language="fr",
        )
        self.bookseller = factories.person(
            org,
            full_name="Lucía Ferrer",
            email="libreria@example.org",
            phone="+33 5 00 00 00 02",
            preferred_language="es",
            languages=["es", "fr"],
        )
        self.interpreter = factories.interpreter(org)
        self.second_interpreter = factories.interpreter(org)
        v.interpreters.add(self.interpreter, self.second_interpreter)
        for day in range(3):
            for host in (self.mayor, self.bookseller):
                factories.window(v, host, day, "08:30", "19:00")
        self.meeting = factories.activity(
            v, self.hall, hosts=[self.mayor], title="Rencontre avec le maire", duration_minutes=120
        )
        self.council = factories.activity(
            v, self.hall, hosts=[self.mayor], title="Conseil municipal", duration_minutes=60
        )
        self.bookshop = factories.activity(
            v,
            self.farm,
            hosts=[self.bookseller],
            title="Librairie de Sarrant",
            duration_minutes=90,
        )
        self.delegation = factories.delegation(v, name="Délégation Québec–Philippines")
        self.guest_ca = factories.guest(
            self.delegation,
            full_name="Marie Tremblay",
            country="CA",
            preferred_language="fr",
            email="marie.tremblay@example.org",
            dietary_needs="Private: no pork",
        )
        self.guest_ph = factories.guest(
            self.delegation,
            full_name="Jose Santos",
            country="PH",
            preferred_language="en",
            email="jose.santos@example.org",
        )
        self.programme = services.programme_for(visit=v)

    def version(self, slots: dict, assignments=()) -> ProgrammeVersion:
        return factories.programme_version(
            self.visit,
            [(activity, start, end) for activity, (start, end) in slots.items()],
            publish=False,
            assignments=[(a, interpreter, "fr", "en") for a, interpreter in assignments],
        )

    def publish(self, slots: dict, assignments=()) -> ProgrammeVersion:
        version = services.version_publish(version=self.version(slots, assignments))
        self.programme.refresh_from_db()
        return version

    def link(self, person):
        return links.host_link_get(visit=self.visit, person=person)

    def slot(self, activity, version=None) -> Slot:
        self.programme.refresh_from_db()
        version = version or self.programme.current_version
        return Slot.objects.get(version=version, activity=activity)


FIRST = {
    "meeting": (at(MONDAY, 10), at(MONDAY, 12)),
    "council": (at(TUESDAY, 9), at(TUESDAY, 10)),
    "bookshop": (at(MONDAY, 15), at(MONDAY, 16, 30)),
}


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
    stage.publish(
        {getattr(stage, name): span for name, span in FIRST.items()},
        assignments=[(stage.meeting, stage.interpreter)],
    )
    return stage


@pytest.fixture
def q_sync(monkeypatch):
    """Queued tasks run at once (when the transaction commits), as a worker would."""
    monkeypatch.setattr(Conf, "SYNC", True)
