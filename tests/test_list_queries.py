"""Every list endpoint answers with a constant number of queries, whatever the row count."""

import itertools

import pytest

from events.models import Precedence, TravelTime, VisitFormat
from tests import factories


def _venues(org, visit, n):
    for _ in range(n):
        factories.venue(visit)


def _travel(org, visit, n):
    venues = [factories.venue(visit) for _ in range(n + 1)]
    for a, b in itertools.pairwise(venues):
        TravelTime.objects.create(visit=visit, origin=a, destination=b, minutes=10)


def _availability(org, visit, n):
    host = factories.person(org)
    for day in range(n):
        factories.window(visit, host, day, "09:00", "12:00")


def _precedences(org, visit, n):
    venue = factories.venue(visit)
    acts = [factories.activity(visit, venue) for _ in range(n + 1)]
    for a, b in itertools.pairwise(acts):
        Precedence.objects.create(visit=visit, before=a, after=b)


def _people(org, visit, n):
    for _ in range(n):
        factories.person(org)


def _formats(org, visit, n):
    for i in range(n):
        fmt = VisitFormat.objects.create(owner=org, name=f"Format {i}")
        fmt.phases.create(order=1, name="Illustrer")
        fmt.questions.create(order=1, text="Quelle économie ?")


def _delegations(org, visit, n):
    for _ in range(n):
        factories.delegation(visit)


def _subgroups(org, visit, n):
    delegation = factories.delegation(visit)
    for i in range(n):
        delegation.subgroups.create(name=f"Group {i}")


CASES = {
    # path: (builder, queries = token with organisation, [visit], count, page, prefetches)
    "/visits/{v}/venues": (_venues, 4),
    "/visits/{v}/travel-times": (_travel, 4),
    "/visits/{v}/availability": (_availability, 4),
    "/visits/{v}/precedences": (_precedences, 4),
    "/visits/{v}/delegations": (_delegations, 4),
    "/visits/{v}/subgroups": (_subgroups, 4),
    "/people": (_people, 3),
    "/formats": (_formats, 5),
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("path", sorted(CASES))
def test_list_endpoint_uses_constant_queries(
    api, org, visit, path, count, django_assert_num_queries
):
    build, queries = CASES[path]
    build(org, visit, count)
    api.get("/me")  # the first request of a token records its use
    with django_assert_num_queries(queries):
        response = api.get(path.format(v=visit.pk))
    assert response.status_code == 200
    assert response.json()["count"] == count
