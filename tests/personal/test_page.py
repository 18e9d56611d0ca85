"""A guest's and an interpreter's page: their own days only, in their language (switchable),
the changes since they last looked, and nothing of other guests or internal."""

import re

import pytest
from django.test import Client

from personal import links
from tests.personal.conftest import FIRST, TUESDAY, at


def html(key, **params) -> str:
    response = Client().get(f"/me/{key}/", params)
    assert response.status_code == 200
    return response.content.decode()


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def ana_key(published):
    return links.personal_link_get(visit=published.visit, guest=published.ana)[1]


def test_guest_page_in_their_language_with_their_day(published, ana_key):
    page = html(ana_key)
    assert '<html lang="es">' in page
    assert "lunes, 6 de mayo de 2030" in page
    assert "Rencontre avec le maire" in page and "Librairie de Sarrant" in page
    assert "1 place de la République, Couiza" in page
    assert "https://www.openstreetmap.org/?mlat=42.942500&amp;mlon=2.254000" in page
    assert "Eric Andrieu" in page  # who receives them
    assert "Clara Interprète" in page  # who interprets for them
    assert "español" in text(page)
    assert "vegetariana" in page  # their own diet, at the meal
    assert "webcal://" in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in page
    assert "https://outlook.live.com/calendar/0/addfromweb?url=http" in page
    assert "<svg" in page  # the QR code


def test_language_switch(published, ana_key):
    assert "Monday, May 6, 2030" in html(ana_key, lang="en")
    assert "lundi 6 mai 2030" in html(ana_key, lang="fr")
    assert "lunes, 6 de mayo de 2030" in html(ana_key, lang="xx")  # unknown: theirs


def test_guest_page_shows_nothing_of_other_guests_or_internal(published, ana_key):
    page = html(ana_key)
    for other in (
        "Marie Tremblay",
        "marie.tremblay@example.org",
        "Private: no pork",
        "Amadou",
        "maire@example.org",  # host contacts
        "+33 4 00 00 00 01",
        "libreria@example.org",
        "Internal: budget",  # the visit's internal notes
        "interprete@example.org",
    ):
        assert other not in page, other


def test_changes_since_last_look_are_highlighted_until_the_next_version(published, ana_key):
    html(ana_key)  # seen version 1
    moved = {**{getattr(published, k): v for k, v in FIRST.items()}}
    moved[published.bookshop] = at(TUESDAY, 10)
    published.publish(moved)
    page = html(ana_key)
    assert 'id="changes"' in page
    changed = re.findall(
        r'<li class="entry kind-activity changed" id="activity-\d+" data-activity="(\d+)"', page
    )
    assert changed == [str(published.bookshop.pk)]
    assert "martes, 7 de mayo de 2030" in page
    # The box at the top links to it, with its new day and time.
    listed = re.search(r'<ul class="changed-list">(.*?)</ul>', page, re.S).group(1)
    assert f'href="#activity-{published.bookshop.pk}"' in listed
    assert "martes, 7 de mayo de 2030, 10:00–11:30" in listed
    # A reload still shows it; the link remembers what was seen.
    assert re.findall(r"entry kind-activity changed", html(ana_key)) == [
        "entry kind-activity changed"
    ]


def test_first_look_after_a_replan_shows_no_change(published):
    moved = {getattr(published, k): v for k, v in FIRST.items()}
    moved[published.bookshop] = at(TUESDAY, 10)
    published.publish(moved)
    _link, key = links.personal_link_get(visit=published.visit, guest=published.marie)
    page = html(key)
    assert 'id="changes"' not in page and " changed" not in page


def test_cancelled_activity_is_listed_as_a_change(published, ana_key):
    html(ana_key)
    published.publish({published.meeting: FIRST["meeting"], published.lunch: FIRST["lunch"]})
    page = html(ana_key)
    assert 'class="cancelled"' in page and "Librairie de Sarrant" in page


def test_interpreter_page_has_assignments_directions_mode_and_load(published):
    _link, key = links.personal_link_get(visit=published.visit, interpreter=published.interpreter)
    page = html(key)
    assert '<html lang="en">' in page
    assert "Rencontre avec le maire" in page
    assert "French → Spanish" in page
    assert "consecutive" in page
    assert "2 hr of interpreting (daily limit 6 hr)" in page
    # Not the activities they do not interpret, nor any guest's name or diet.
    assert "Librairie de Sarrant" not in page
    for other in ("Ana García", "Marie Tremblay", "vegetariana", "Private: no pork"):
        assert other not in page


def test_unpublished_programme_says_so(stage):
    _link, key = links.personal_link_get(visit=stage.visit, guest=stage.ana)
    page = html(key, lang="en")
    assert 'id="unpublished"' in page


def _queries(key) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        html(key)
    return len(captured)


def test_page_queries_do_not_grow_with_the_programme(published, ana_key):
    from tests import factories

    slots = {getattr(published, k): v for k, v in FIRST.items()}
    html(ana_key)
    slots[published.bookshop] = at(TUESDAY, 17)
    published.publish(slots)
    html(ana_key)  # the first look at version 2: its changes since version 1 are shown
    few = _queries(ana_key)
    for hour in (9, 11, 14):
        extra = factories.activity(
            published.visit, published.hall, hosts=[published.mayor], duration_minutes=60
        )
        slots[extra] = at(TUESDAY, hour)
    published.publish(slots)
    html(ana_key)  # version 3, three more activities (and changes)
    assert _queries(ana_key) == few


def test_a_sub_groups_activity_stays_off_the_others_pages(published, ana_key):
    from delegations.models import SubGroup

    north = SubGroup.objects.create(delegation=published.delegation, name="Nord")
    south = SubGroup.objects.create(delegation=published.delegation, name="Sud")
    published.ana.subgroup = north
    published.ana.save()
    published.marie.subgroup = south
    published.marie.save()
    published.bookshop.audience.set([south])
    published.publish({getattr(published, k): v for k, v in FIRST.items()})
    assert "Librairie de Sarrant" not in html(ana_key)
    _link, marie = links.personal_link_get(visit=published.visit, guest=published.marie)
    assert "Librairie de Sarrant" in html(marie)
