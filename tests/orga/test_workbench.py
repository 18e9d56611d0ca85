"""The visit before its first build (what is entered, what is missing, the solver's checks in
words) and moving a slot on the visit's time grid."""

import datetime as dt
import re

import pytest
from django.test import Client

from delegations.models import Guest, GuestLanguage
from events.models import Person, TravelTime
from planner.models import Organiser
from scheduling import selectors
from scheduling.models import ProgrammeVersion
from tests import factories

PARIS = factories.PARIS


@pytest.fixture
def editor(organiser):
    client = Client()
    client.force_login(organiser)
    return client


@pytest.fixture
def viewer(org):
    user = factories.organiser(org, username="viewer")
    Organiser.objects.filter(user=user).update(role=Organiser.Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def missing_texts(page: str) -> list[str]:
    """The missing items of a rendered page, as a reader sees them (without the link)."""
    block = page.split('<ul class="missing"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li [^>]*>(.*?)</li>", block, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<a .*?</a>", "", item)).strip() for item in items]


def entered(page: str) -> list[tuple[str, str]]:
    """The "what is entered" lines of a rendered page, without their links."""
    rows = re.findall(r'data-count="(\w+)">(.*?)(?:<a |</dd>)', page, flags=re.S)
    return [(key, re.sub(r"\s+", " ", text).strip()) for key, text in rows]


def filled_visit(org, *, activities: int = 3):
    """Two venues without a travel time between them, hosts with and without a window, a
    guest without a language, English listeners at French activities and no interpreter."""
    visit = factories.visit(org, title="Aude")
    town, castle = (factories.venue(visit, name=n) for n in ("Town hall", "Castle"))
    mayor = factories.person(org, full_name="Ada Mayor")
    guide = factories.person(org, full_name="Bea Guide")
    factories.window(visit, guide, 0, "09:00", "17:00")
    factories.activity(visit, town, hosts=[mayor], title="Meeting the mayor")
    factories.activity(visit, castle, hosts=[guide], title="Castle tour")
    for n in range(activities - 2):
        factories.activity(visit, castle, title=f"Walk {n}", mandatory=False, value=5)
    delegation = factories.delegation(visit)
    factories.guest(delegation, full_name="Chloé", languages=[("fr", "fluent")])
    factories.guest(delegation, full_name="Dan", languages=[("en", "native")])
    factories.guest(delegation, full_name="Eve", languages=[])
    return visit


def test_checklist_of_an_empty_visit_says_what_to_enter_first(editor, org):
    visit = factories.visit(org)
    response = editor.get(f"/visits/{visit.pk}/")
    page = response.content.decode()
    assert missing_texts(page) == [
        "No venue yet: every activity takes place somewhere.",
        "No activity yet: there is nothing to place.",
        "No guest yet: the programme is built for a delegation.",
    ]
    assert entered(page)[1:] == [
        ("venues", "0"),
        ("travel", "0 entered, 0 estimated"),
        ("hosts", "0 with availability, 0 without"),
        ("guests", "0"),
        ("interpreters", "0"),
        ("activities", "0 mandatory, 0 optional"),
    ]
    assert entered(page)[0] == ("days", "5 days · Apr 20 – 24, 2009")
    # Each item links to the page that fixes it.
    block = page.split('<ul class="missing"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="([^"]+)">', block) == [
        f"/visits/{visit.pk}/{area}/" for area in ("venues", "activities", "guests")
    ]


def test_checklist_of_a_filled_visit_lists_what_is_entered_and_missing(editor, org):
    visit = filled_visit(org)
    readiness = selectors.visit_readiness(visit=visit)
    assert readiness.venues == ["Castle", "Town hall"]
    assert readiness.hosts_with_windows == ["Bea Guide"]
    assert readiness.hosts_without_windows == ["Ada Mayor"]
    assert readiness.guests == ["Chloé", "Dan", "Eve"]
    assert readiness.guest_languages == [("English", 1), ("French", 1)]
    assert readiness.mandatory == ["Castle tour", "Meeting the mayor"]
    assert readiness.optional == ["Walk 0"]
    assert [m["code"] for m in readiness.missing] == [
        "no_travel",
        "host_without_window",
        "guest_without_language",
        "no_interpreter",
    ]
    page = editor.get(f"/visits/{visit.pk}/").content.decode()
    assert missing_texts(page) == [
        "No travel time between “Town hall” and “Castle”.",
        "Ada Mayor has no availability window, and “Meeting the mayor” cannot happen without them.",
        "Eve has no language: the interpreting needed is unknown.",
        "“Castle tour”, “Meeting the mayor”, and “Walk 0” needs interpreting and the visit "
        "has no interpreter.",
    ]
    block = page.split('<ul class="missing"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="([^"]+)">', block) == [
        f"/visits/{visit.pk}/{area}/" for area in ("travel", "hosts", "guests", "interpreters")
    ]


def test_checklist_is_empty_once_everything_is_entered(editor, org):
    visit = filled_visit(org)
    town, castle = visit.venues.order_by("pk")
    TravelTime.objects.create(visit=visit, origin=town, destination=castle, minutes=20)
    factories.window(visit, Person.objects.get(full_name="Ada Mayor"), 1, "09:00", "12:00")
    GuestLanguage.objects.create(guest=Guest.objects.get(full_name="Eve"), language="fr")
    visit.interpreters.add(factories.interpreter(org))
    assert selectors.visit_readiness(visit=visit).missing == []
    page = editor.get(f"/visits/{visit.pk}/").content.decode()
    assert 'id="nothing-missing"' in page


@pytest.mark.parametrize("activities", [1, 3])
def test_checklist_uses_constant_queries(editor, org, activities, django_assert_num_queries):
    visit = filled_visit(org, activities=max(activities, 2))
    if activities == 1:
        visit.activities.exclude(title="Meeting the mayor").delete()
    editor.get(f"/visits/{visit.pk}/")  # warm the session
    with django_assert_num_queries(23):
        response = editor.get(f"/visits/{visit.pk}/")
    assert response.status_code == 200


def test_check_lists_the_solvers_prechecks_in_words(editor, org):
    visit = filled_visit(org)
    response = editor.get(f"/visits/{visit.pk}/check/")
    page = response.content.decode()
    assert response.status_code == 200
    problems = [
        re.sub(r"\s+", " ", p)
        for p in re.findall(r'<li data-rule="\w+">(.*?)</li>', page, flags=re.S)
    ]
    assert problems == [
        "The travel time between “Town hall” and “Castle” is missing.",
        "Ada Mayor has no availability window, so “Meeting the mayor” cannot be placed.",
        # One reason for both activities: one sentence (#14 part 7).
        "No interpreter covers the languages needed for “Meeting the mayor” and “Castle tour”.",
    ]
    # The checklist is on the page too, and nothing was solved.
    assert len(missing_texts(page)) == 4
    assert not ProgrammeVersion.objects.exists()


def test_check_of_another_organisation_is_404(editor, other_org):
    visit = factories.visit(other_org)
    assert editor.get(f"/visits/{visit.pk}/check/").status_code == 404


# --- moving a slot on the grid -----------------------------------------------------------


def movable(org, grid: int = 15):
    """A published version with one slot at 09:07 (off the grid: an old time kept)."""
    visit = factories.visit(org, time_grid_minutes=grid, working_languages=["fr"])
    place = factories.venue(visit, name="Hall")
    activity = factories.activity(visit, place, title="Talk")
    version = factories.programme_version(
        visit, [(activity, dt.datetime(2009, 4, 20, 9, 7, tzinfo=PARIS))]
    )
    return visit, version.slots.get()


def test_move_form_steps_on_the_visit_grid_from_midnight(editor, org):
    visit, slot = movable(org, grid=15)
    page = editor.get(f"/visits/{visit.pk}/").content.decode()
    field = re.search(rf'<input id="move-{slot.pk}"[^>]*>', page).group(0)
    assert 'step="900"' in field
    assert 'min="2009-04-20T00:00"' in field
    assert 'value="2009-04-20T09:07"' in field


def test_move_off_the_grid_is_refused_with_the_reason(editor, org):
    visit, slot = movable(org, grid=15)
    response = editor.post(
        f"/visits/{visit.pk}/slots/{slot.pk}/move/",
        {"start": "2009-04-20T14:07"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["reasons"] == [
        "2:07\u202fPM is not on this visit's 15-minute grid: choose 2:00\u202fPM or 2:15\u202fPM."
    ]
    assert ProgrammeVersion.objects.count() == 1


def test_move_off_the_grid_by_the_form_shows_the_reason_on_the_page(editor, org):
    visit, slot = movable(org, grid=15)
    response = editor.post(
        f"/visits/{visit.pk}/slots/{slot.pk}/move/", {"start": "2009-04-20T14:07"}, follow=True
    )
    assert "2:07\u202fPM is not on this visit&#x27;s 15-minute grid" in response.content.decode()
    assert ProgrammeVersion.objects.count() == 1


def test_move_on_the_grid_makes_a_version(editor, org):
    visit, slot = movable(org, grid=15)
    response = editor.post(
        f"/visits/{visit.pk}/slots/{slot.pk}/move/",
        {"start": "2009-04-20T14:30"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "number": 2,
        "url": f"/visits/{visit.pk}/versions/2/",
        "message": "Moved. Version 2 holds the change; publish it to send it out.",
    }
    moved = ProgrammeVersion.objects.get(number=2).slots.get()
    assert moved.start == dt.datetime(2009, 4, 20, 14, 30, tzinfo=PARIS)


def test_move_that_breaks_a_rule_answers_its_reasons(editor, org):
    visit, slot = movable(org, grid=15)
    response = editor.post(
        f"/visits/{visit.pk}/slots/{slot.pk}/move/",
        {"start": "2009-04-20T22:00"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["reasons"] == ["“Talk” does not fit inside the programme's days."]
    assert ProgrammeVersion.objects.count() == 1


def test_viewer_cannot_move_or_lock(viewer, org):
    visit, slot = movable(org, grid=15)
    move = viewer.post(f"/visits/{visit.pk}/slots/{slot.pk}/move/", {"start": "2009-04-20T14:30"})
    lock = viewer.post(f"/visits/{visit.pk}/slots/{slot.pk}/lock/", {"locked": "1"})
    assert (move.status_code, lock.status_code) == (403, 403)
    assert ProgrammeVersion.objects.count() == 1
    page = viewer.get(f"/visits/{visit.pk}/").content.decode()
    assert "data-move-url" not in page
    assert 'class="grip"' not in page


def test_move_is_not_refused_for_another_slot_kept_off_the_grid(editor, org):
    """A slot kept at 09:07 from before the grid changed does not block moving another."""
    visit = factories.visit(org, time_grid_minutes=15, working_languages=["fr"])
    place = factories.venue(visit, name="Hall")
    kept = factories.activity(visit, place, title="Kept")
    moved = factories.activity(visit, place, title="Moved")
    version = factories.programme_version(
        visit,
        [
            (kept, dt.datetime(2009, 4, 20, 9, 7, tzinfo=PARIS)),
            (moved, dt.datetime(2009, 4, 21, 9, 0, tzinfo=PARIS)),
        ],
    )
    slot = version.slots.get(activity=moved)
    response = editor.post(
        f"/visits/{visit.pk}/slots/{slot.pk}/move/",
        {"start": "2009-04-21T14:30"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200, response.json()
    new = ProgrammeVersion.objects.get(number=2)
    assert new.slots.get(activity=kept).start == dt.datetime(2009, 4, 20, 9, 7, tzinfo=PARIS)
