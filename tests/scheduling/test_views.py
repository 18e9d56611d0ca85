import datetime as dt

import pytest
from django.test import Client

from scheduling import services
from scheduling.models import InterpreterAssignment, ProgrammeVersion, Slot
from tests import factories


def published_visit(org, count: int):
    """A visit whose published version holds ``count`` slots, each with host and interpreter."""
    visit = factories.visit(org)
    venue = factories.venue(visit)
    host = factories.person(org)
    interpreter = factories.interpreter(org)
    visit.interpreters.add(interpreter)
    programme = services.programme_for(visit=visit)
    version = ProgrammeVersion.objects.create(programme=programme, number=1, source="solver")
    for i in range(count):
        activity = factories.activity(visit, venue, hosts=[host])
        start = dt.datetime(2009, 4, 20 + i, 9, tzinfo=dt.UTC)
        slot = Slot.objects.create(
            version=version,
            activity=activity,
            venue=venue,
            start=start,
            end=start + dt.timedelta(minutes=90),
        )
        InterpreterAssignment.objects.create(
            slot=slot, interpreter=interpreter, source="fr", target="en"
        )
    services.version_publish(version=version)
    return visit, host


@pytest.fixture
def browser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


@pytest.mark.parametrize("count", [1, 3])
def test_visit_page_uses_constant_queries(browser_client, org, count, django_assert_num_queries):
    visit, _host = published_visit(org, count)
    browser_client.get(f"/visits/{visit.pk}/")  # warm the session
    with django_assert_num_queries(23):
        response = browser_client.get(f"/visits/{visit.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="block ') == count


def test_visit_page_of_another_organisation_is_404(browser_client, other_org):
    visit, _host = published_visit(other_org, 1)
    assert browser_client.get(f"/visits/{visit.pk}/").status_code == 404


def test_visit_page_for_one_host_shows_only_their_slots(browser_client, org):
    visit, host = published_visit(org, 2)
    other = factories.person(org, full_name="Someone else")
    Slot.objects.filter(version__programme__visit=visit).first().activity.host_links.update(
        person=other
    )
    page = browser_client.get(f"/visits/{visit.pk}/?host={host.pk}").content.decode()
    assert page.count('class="block ') == 1


def test_visit_page_without_programme_explains_what_to_do(browser_client, org):
    visit = factories.visit(org)
    page = browser_client.get(f"/visits/{visit.pk}/").content.decode()
    assert "No programme yet" in page


def test_visit_pages_need_login(client, org):
    visit = factories.visit(org)
    response = client.get(f"/visits/{visit.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_diff_page_says_what_moved_with_babel_dates_and_answer_labels(org, organiser):
    visit, _host = published_visit(org, 2)
    old = ProgrammeVersion.objects.get(programme__visit=visit, number=1)
    new = ProgrammeVersion.objects.create(programme=old.programme, number=2, source="manual")
    first, second = old.slots.order_by("start")
    Slot.objects.create(
        version=new,
        activity=first.activity,
        venue=first.venue,
        start=first.start + dt.timedelta(hours=2),
        end=first.end + dt.timedelta(hours=2),
    )
    Slot.objects.create(
        version=new,
        activity=second.activity,
        venue=second.venue,
        start=second.start,
        end=second.end,
        status=Slot.Status.CONFIRMED,
    )
    first.activity.titles = {"fr": "Rencontre"}
    first.activity.save(update_fields=["titles"])
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(organiser)
    page = client.get(f"/visits/{visit.pk}/diff/1/2/").content.decode()
    # 9:00 UTC is 11:00 in Paris (the visit's zone), in April.
    assert "<li>Rencontre: lundi 20 avril 2009, 11:00 → lundi 20 avril 2009, 13:00</li>" in page
    assert f"<li>{second.activity.title}: proposé → confirmé</li>" in page
