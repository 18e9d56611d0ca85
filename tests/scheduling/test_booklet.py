"""The printed programme: one language or two side by side, times, places, contacts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from scheduling.models import Slot
from tests import factories
from tests.scheduling.test_views import published_visit

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def client_in(organiser):
    def make(language: str = "en") -> Client:
        client = Client(headers={"Accept-Language": language})
        client.force_login(organiser)
        return client

    return make


@pytest.fixture
def aude(org):
    visit = factories.visit(org, time_zone="Europe/Paris")
    hall = factories.venue(
        visit,
        name="Mairie",
        address="Place de la Mairie",
        city="Couiza",
        latitude=42.94,
        longitude=2.25,
    )
    farm = factories.venue(visit, name="Ferme de Sarrant")
    mayor = factories.person(
        org, full_name="Eric Andrieu", position="Maire", phone="+33 4 68 00 00 00"
    )
    meeting = factories.activity(
        visit,
        hall,
        hosts=[mayor],
        title="Rencontre avec le maire",
        titles={"en": "Meeting the mayor"},
    )
    visit_farm = factories.activity(visit, farm, title="Visite de la ferme", kind="visit")
    from events.models import TravelTime

    TravelTime.objects.create(visit=visit, origin=hall, destination=farm, minutes=45)
    factories.programme_version(
        visit,
        [
            (meeting, dt.datetime(2009, 4, 21, 9, 0, tzinfo=PARIS)),
            (visit_farm, dt.datetime(2009, 4, 21, 14, 0, tzinfo=PARIS)),
        ],
    )
    return visit


def test_booklet_in_french_with_english_side_by_side(aude, client_in):
    response = client_in("fr").get(f"/visits/{aude.pk}/booklet/?also=en")
    assert response.status_code == 200
    page = response.content.decode()
    book = response.context["booklet"]
    assert book.languages == ["fr", "en"]
    assert book.days[0].labels == [("fr", "mardi 21 avril 2009"), ("en", "Tuesday, April 21, 2009")]
    first, second = book.days[0].entries
    assert first.time == "09:00\u2009\u2013\u200910:30"
    assert [(code, t.title, t.kind) for code, t in first.texts] == [
        ("fr", "Rencontre avec le maire", "rencontre"),
        ("en", "Meeting the mayor", "meeting"),
    ]
    assert first.address == "Place de la Mairie, Couiza"
    assert first.hosts == ["Eric Andrieu (Maire)"]
    assert second.travel == [("fr", "45\u00a0min de route"), ("en", "45 min on the road")]
    assert '<td lang="en"><strong class="title">Meeting the mayor</strong>' in page
    assert [(c.name, c.phone) for c in book.contacts] == [("Eric Andrieu", "+33 4 68 00 00 00")]


def test_booklet_in_one_language_follows_the_page(aude, client_in):
    book = client_in("es").get(f"/visits/{aude.pk}/booklet/").context["booklet"]
    assert book.languages == ["es"]
    assert book.titles == [("es", "Programa")]
    assert book.days[0].entries[0].texts[0][1].title == "Rencontre avec le maire"  # no es title


def test_booklet_leaves_out_cancelled_slots(aude, client_in):
    Slot.objects.filter(activity__title="Visite de la ferme").update(status=Slot.Status.CANCELLED)
    book = client_in().get(f"/visits/{aude.pk}/booklet/").context["booklet"]
    assert [t.title for e in book.days[0].entries for _c, t in e.texts] == ["Meeting the mayor"]


def test_booklet_unknown_language_is_400_naming_the_parameter(aude, client_in):
    response = client_in().get(f"/visits/{aude.pk}/booklet/?also=xx")
    assert response.status_code == 400
    assert response.content.decode().startswith("also: “xx” is not a language of this site")


def test_booklet_without_a_programme_says_how_to_get_one(org, client_in):
    visit = factories.visit(org)
    response = client_in().get(f"/visits/{visit.pk}/booklet/")
    assert response.status_code == 200
    assert "There is no programme yet" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_booklet_uses_constant_queries(org, client_in, count, django_assert_num_queries):
    visit, _host = published_visit(org, count)
    client = client_in()
    client.get(f"/visits/{visit.pk}/booklet/?also=fr")
    with django_assert_num_queries(13):
        client.get(f"/visits/{visit.pk}/booklet/?also=fr")
