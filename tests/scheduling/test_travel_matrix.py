"""Pages, feeds and vehicle sheets read travel times as the solver plans them."""

from events.models import TravelTime
from scheduling.selectors import travel_matrix
from tests import factories


def test_travel_matrix_takes_the_quickest_route_and_both_directions(visit):
    a, b, c, lone = (factories.venue(visit, name=n) for n in ("A", "B", "C", "Lone"))
    TravelTime.objects.create(visit=visit, origin=a, destination=b, minutes=210)
    TravelTime.objects.create(visit=visit, origin=a, destination=c, minutes=60)
    TravelTime.objects.create(visit=visit, origin=c, destination=b, minutes=100)
    minutes = travel_matrix(visit=visit)
    assert minutes[(a.pk, b.pk)] == 160  # through C, not the 210 entered
    assert minutes[(b.pk, a.pk)] == 160  # given one way only: the same back
    assert minutes[(c.pk, a.pk)] == 60
    assert minutes[(a.pk, a.pk)] == 0
    assert not any(lone.pk in pair for pair in minutes)  # no route: no time


def test_travel_matrix_keeps_an_entered_time_in_each_direction(visit):
    a, b = factories.venue(visit, name="A"), factories.venue(visit, name="B")
    TravelTime.objects.create(visit=visit, origin=a, destination=b, minutes=30)
    TravelTime.objects.create(visit=visit, origin=b, destination=a, minutes=45)
    assert travel_matrix(visit=visit) == {
        (a.pk, a.pk): 0,
        (a.pk, b.pk): 30,
        (b.pk, a.pk): 45,
        (b.pk, b.pk): 0,
    }
