import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from delegations.models import SubGroup
from events.models import TravelTime
from scheduling import services
from scheduling.access import AccessToken, access_token_create
from scheduling.models import InterpreterAssignment, ProgrammeVersion, Slot
from tests import factories
from tests.scheduling.conftest import aude  # noqa: F401  (the demo visit, for scenarios)

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _feed_urls_and_fresh_cache(settings):
    settings.ROOT_URLCONF = "tests.feeds.urls"
    cache.clear()
    yield
    cache.clear()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), PARIS)


class Plan:
    """A small visit across the end of March 2030 (Europe/Paris changes to summer time on
    Sunday 31 March, 02:00 → 03:00), whose versions tests write and publish by hand."""

    def __init__(self, org):
        self.visit = factories.visit(
            org,
            title="Étape régionale, mars 2030",
            slug="etape-mars-2030",
            start_date=dt.date(2030, 3, 29),
            end_date=dt.date(2030, 4, 1),
        )
        v = self.visit
        self.hall = factories.venue(
            v,
            name="Salle des fêtes",
            address="1 place de la République, 11190 Couiza",
            city="Couiza",
            latitude=42.9425,
            longitude=2.254,
        )
        self.farm = factories.venue(
            v, name="Ferme de Sarrant", address="32120 Sarrant", latitude=43.78, longitude=0.93
        )
        TravelTime.objects.create(visit=v, origin=self.hall, destination=self.farm, minutes=120)
        TravelTime.objects.create(visit=v, origin=self.farm, destination=self.hall, minutes=120)
        self.mayor = factories.person(
            org, full_name="Eric Andrieu", position="maire", email="maire@example.org"
        )
        self.bookseller = factories.person(org, full_name="Libraire de Sarrant")
        self.interpreter = factories.interpreter(org)
        self.other_interpreter = factories.interpreter(org)
        self.meeting = factories.activity(
            v, self.hall, hosts=[self.mayor], title="Rencontre avec le maire", languages=["fr"]
        )
        self.bookshop = factories.activity(
            v, self.farm, hosts=[self.bookseller], title="Librairie de Sarrant", languages=["fr"]
        )
        self.delegation = factories.delegation(v, name="Délégation internationale")
        self.north = SubGroup.objects.create(delegation=self.delegation, name="Nord")
        self.south = SubGroup.objects.create(delegation=self.delegation, name="Sud")
        self.workshop = factories.activity(v, self.hall, title="Atelier Sud", languages=["fr"])
        self.workshop.audience.set([self.south])
        self.guest_fr = factories.guest(
            self.delegation,
            full_name="Marie Tremblay",
            preferred_language="fr",
            email="marie@example.org",
            subgroup=self.north,
        )
        self.guest_en = factories.guest(
            self.delegation, full_name="Aziz Rahman", preferred_language="en", subgroup=self.south
        )
        self.programme = services.programme_for(visit=v)

    def version(self, slots: dict, assignments=()) -> ProgrammeVersion:
        """slots: activity -> (start, end[, status]); assignments: (activity, interpreter)."""
        last = self.programme.versions.count()
        version = ProgrammeVersion.objects.create(
            programme=self.programme, number=last + 1, source=ProgrammeVersion.Source.MANUAL
        )
        made = {}
        for activity, spec in slots.items():
            start, end, *status = spec
            made[activity.pk] = Slot.objects.create(
                version=version,
                activity=activity,
                venue=activity.venue,
                start=start,
                end=end,
                status=status[0] if status else Slot.Status.PROPOSED,
            )
        for activity, interpreter in assignments:
            for source, target in (("fr", "en"), ("en", "fr")):
                InterpreterAssignment.objects.create(
                    slot=made[activity.pk], interpreter=interpreter, source=source, target=target
                )
        return version

    def publish(self, slots: dict, assignments=()) -> ProgrammeVersion:
        version = services.version_publish(version=self.version(slots, assignments))
        self.programme.refresh_from_db()
        return version

    def feed_key(self, subject="programme", subject_id=None, **kw) -> str:
        return access_token_create(
            visit=self.visit,
            purpose=AccessToken.Purpose.FEED,
            subject=subject,
            subject_id=subject_id,
            **kw,
        )[1]


SATURDAY, SUNDAY = dt.date(2030, 3, 30), dt.date(2030, 3, 31)


@pytest.fixture
def plan(org):
    return Plan(org)


@pytest.fixture
def published(plan):
    """Saturday: the mayor (winter time); Sunday, after the clocks moved: the bookshop, and
    the southern sub-group's workshop; one interpreter at the mayor's meeting."""
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
            plan.workshop: (at(SUNDAY, 9), at(SUNDAY, 10, 30)),
        },
        assignments=[(plan.meeting, plan.interpreter)],
    )
    return plan
