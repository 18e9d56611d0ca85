"""A visit's venues and the travel times between them."""

from decimal import Decimal

import pytest
from django.test import Client

from events.models import TravelTime, Venue
from planner.models import Organiser
from tests import factories


@pytest.fixture
def editor(org, client):
    client.force_login(factories.organiser(org, username="editor"))
    return client


@pytest.fixture
def viewer(org):
    user = factories.organiser(org, username="viewer")
    Organiser.objects.filter(user=user).update(role=Organiser.Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def venue_data(**changes) -> dict:
    data = {
        "name": "Mairie de Quillan",
        "kind": "host_site",
        "address": "1 place de la République",
        "city": "Quillan",
        "country": "FR",
        "latitude": "42.8744",
        "longitude": "2.1822",
        "capacity": "40",
    }
    data.update(changes)
    return data


def test_venue_new_saves_and_estimates_travel_to_the_located_venues(org, editor, visit):
    farm = factories.venue(visit, name="Ferme", latitude=43.0461, longitude=2.2179)
    response = editor.post(f"/visits/{visit.pk}/venues/new/", venue_data(exclusive="on"))
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/venues/"
    hall = Venue.objects.get(visit=visit, name="Mairie de Quillan")
    assert (hall.city, hall.country, hall.latitude, hall.capacity, hall.exclusive) == (
        "Quillan",
        "FR",
        Decimal("42.874400"),
        40,
        True,
    )
    times = TravelTime.objects.filter(visit=visit).order_by("origin_id")
    # 19.4 km as the crow flies, × 1.3 on the road at 60 km/h: 25 minutes, both ways.
    assert [(t.origin_id, t.destination_id, t.minutes, t.source) for t in times] == [
        (farm.pk, hall.pk, 25, "estimated"),
        (hall.pk, farm.pk, 25, "estimated"),
    ]


def test_venue_edit_keeps_entered_times_and_reestimates_the_rest(org, editor, visit):
    farm = factories.venue(visit, name="Ferme", latitude=43.0461, longitude=2.2179)
    hall = factories.venue(visit, name="Mairie", latitude=42.8744, longitude=2.1822)
    TravelTime.objects.create(visit=visit, origin=farm, destination=hall, minutes=40)
    response = editor.post(f"/visits/{visit.pk}/venues/{hall.pk}/", venue_data(name="Mairie"))
    assert response.status_code == 302
    assert sorted(
        TravelTime.objects.filter(visit=visit).values_list("origin", "minutes", "source")
    ) == sorted([(farm.pk, 40, "entered"), (hall.pk, 25, "estimated")])


def test_venue_without_coordinates_loses_its_estimates(org, editor, visit):
    farm = factories.venue(visit, name="Ferme", latitude=43.0461, longitude=2.2179)
    hall = factories.venue(visit, name="Mairie", latitude=42.8744, longitude=2.1822)
    TravelTime.objects.create(
        visit=visit, origin=farm, destination=hall, minutes=25, source="estimated"
    )
    data = venue_data(name="Mairie", latitude="", longitude="")
    assert editor.post(f"/visits/{visit.pk}/venues/{hall.pk}/", data).status_code == 302
    assert not TravelTime.objects.filter(visit=visit).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": "95"}, "latitude"),
        ({"latitude": "north"}, "latitude"),
        ({"longitude": ""}, "longitude"),
        ({"country": "XX"}, "country"),
        ({"capacity": "-3"}, "capacity"),
        ({"name": ""}, "name"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_venue_new_refuses_a_bad_value_on_its_field(org, editor, visit, changes, field):
    response = editor.post(f"/visits/{visit.pk}/venues/new/", venue_data(**changes))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert not Venue.objects.filter(visit=visit).exists()


def test_venue_with_a_taken_name_says_so_on_the_name(org, editor, visit):
    factories.venue(visit, name="Mairie de Quillan")
    response = editor.post(f"/visits/{visit.pk}/venues/new/", venue_data())
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["This visit already has a venue with this name."]
    }


def test_venue_delete_removes_an_unused_venue(org, editor, visit):
    venue = factories.venue(visit, name="Salle")
    response = editor.post(f"/visits/{visit.pk}/venues/{venue.pk}/delete/")
    assert response.status_code == 302
    assert not Venue.objects.filter(pk=venue.pk).exists()


def test_venue_delete_refuses_a_venue_still_used_and_names_the_activity(org, editor, visit):
    venue = factories.venue(visit, name="Salle")
    factories.activity(visit, venue, title="Atelier")
    response = editor.post(f"/visits/{visit.pk}/venues/{venue.pk}/delete/", follow=True)
    assert Venue.objects.filter(pk=venue.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "“Salle” cannot be deleted. Still linked to activity “Atelier”."
    ]


def test_venue_pages_of_another_organisation_are_404(org, other_org, editor, visit):
    other_visit = factories.visit(other_org)
    theirs = factories.venue(other_visit)
    assert editor.get(f"/visits/{other_visit.pk}/venues/").status_code == 404
    assert editor.get(f"/visits/{other_visit.pk}/travel/").status_code == 404
    assert editor.post(f"/visits/{other_visit.pk}/venues/new/", venue_data()).status_code == 404
    # Another organisation's venue through one's own visit is not there either.
    assert editor.get(f"/visits/{visit.pk}/venues/{theirs.pk}/").status_code == 404
    assert editor.post(f"/visits/{visit.pk}/venues/{theirs.pk}/delete/").status_code == 404
    assert Venue.objects.filter(pk=theirs.pk).exists()


def test_venue_writes_refuse_a_viewer_who_still_reads(org, viewer, visit):
    venue = factories.venue(visit, name="Salle")
    page = viewer.get(f"/visits/{visit.pk}/venues/")
    assert page.status_code == 200
    html = page.content.decode()
    # Links a viewer cannot follow are not offered.
    assert f'href="/visits/{visit.pk}/settings/"' not in html
    assert f'href="/visits/{visit.pk}/venues/new/"' not in html
    assert "Delete" not in html
    assert viewer.get(f"/visits/{visit.pk}/travel/").status_code == 200
    assert viewer.post(f"/visits/{visit.pk}/venues/new/", venue_data()).status_code == 403
    assert viewer.post(f"/visits/{visit.pk}/venues/{venue.pk}/delete/").status_code == 403
    assert viewer.post(f"/visits/{visit.pk}/travel/", {}).status_code == 403
    assert list(Venue.objects.filter(visit=visit)) == [venue]


@pytest.mark.parametrize("count", [1, 3])
def test_venue_list_queries_stay_constant(org, editor, visit, count, django_assert_num_queries):
    for n in range(count):
        factories.venue(visit, name=f"V{n}", latitude=43, longitude=2)
    # session, user, organiser, organisation, visit, the visit's owner, venues, the setup
    # path's steps
    with django_assert_num_queries(8):
        response = editor.get(f"/visits/{visit.pk}/venues/")
    assert len(response.context["rows"]) == count


@pytest.fixture
def three(visit):
    a = factories.venue(visit, name="A", latitude=43.0, longitude=2.0)
    b = factories.venue(visit, name="B", latitude=43.1, longitude=2.0)
    c = factories.venue(visit, name="C")
    from events import services

    services.travel_times_estimate(visit=visit)
    TravelTime.objects.create(visit=visit, origin=b, destination=c, minutes=30)
    return a, b, c


def test_travel_page_shows_every_pair_entered_estimated_or_missing(editor, visit, three):
    response = editor.get(f"/visits/{visit.pk}/travel/")
    rows = [
        (r["origin"].name, r["destination"].name, r["minutes"], r["source"])
        for r in response.context["rows"]
    ]
    assert rows == [
        ("A", "B", 14, "estimated"),
        ("A", "C", None, "missing"),
        ("B", "C", 30, "entered"),
    ]
    html = response.content.decode()
    assert '<span class="badge estimate">estimate</span>' in html
    assert '<span class="badge missing">missing</span>' in html


def test_travel_page_saves_a_changed_pair_both_ways_as_entered(editor, visit, three):
    a, b, c = three
    data = {f"pair_{a.pk}_{b.pk}": "20", f"pair_{a.pk}_{c.pk}": "", f"pair_{b.pk}_{c.pk}": "30"}
    response = editor.post(f"/visits/{visit.pk}/travel/", data)
    assert response.status_code == 302
    assert sorted(
        TravelTime.objects.filter(visit=visit).values_list(
            "origin", "destination", "minutes", "source"
        )
    ) == sorted(
        [
            (a.pk, b.pk, 20, "entered"),
            (b.pk, a.pk, 20, "entered"),
            (b.pk, c.pk, 30, "entered"),
        ]
    )


@pytest.mark.parametrize("value", ["-4", "2000", "vingt"])
def test_travel_page_refuses_a_bad_value_and_saves_nothing(editor, visit, three, value):
    a, b, c = three
    data = {f"pair_{a.pk}_{b.pk}": "20", f"pair_{a.pk}_{c.pk}": value}
    response = editor.post(f"/visits/{visit.pk}/travel/", data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [f"pair_{a.pk}_{c.pk}"]
    assert TravelTime.objects.get(origin=a, destination=b).source == "estimated"


@pytest.mark.parametrize("count", [1, 3])
def test_travel_page_queries_stay_constant(editor, visit, count, django_assert_num_queries):
    venues = [
        factories.venue(visit, name=f"V{n}", latitude=43 + n / 10, longitude=2)
        for n in range(count + 1)
    ]
    from events import services

    services.travel_times_estimate(visit=visit)
    # session, user, organiser, organisation, visit, the visit's owner, venues, travel times
    with django_assert_num_queries(8):
        response = editor.get(f"/visits/{visit.pk}/travel/")
    assert len(response.context["rows"]) == len(venues) * (len(venues) - 1) // 2
