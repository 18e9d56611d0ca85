"""Languages as choices from the database to the printed word (issue 14, part 4): guests'
languages reach the solver as members, the choice is stored on the slot, and the timetable,
the booklet and the feeds say it with one function."""

import datetime as dt

from django.utils import translation

from delegations.models import Guest
from events.models import Activity, ActivityHost, Person
from feeds.render import Item, _description
from scheduling import booklet, services
from scheduling.adapters import problem_from_visit
from scheduling.models import Slot
from scheduling.solver import Member
from scheduling.solver.prepare import Prepared
from scheduling.spoken import languages_text
from scheduling.timetable import build as timetable_build


def _aude_members(aude):
    (group,) = problem_from_visit(aude).problem.groups
    return group.members


def test_guests_reach_the_solver_as_what_they_follow(aude):
    assert _aude_members(aude) == (
        Member(("en", "fr"), 2, "fr"),
        Member(("en", "ms"), 1, "en"),
        Member(("en", "tl"), 1, "en"),
        Member(("fr", "mos"), 1, "fr"),
    )


def test_basic_knowledge_is_not_followed(aude):
    guest = Guest.objects.get(full_name="Ben Quiñones")
    assert sorted(guest.languages.values_list("language", "level")) == [
        ("en", "fluent"),
        ("es", "basic"),
        ("tl", "native"),
    ]
    assert not any("es" in m.follows for m in _aude_members(aude))


def test_a_guest_following_fr_or_en_needs_nothing_from_either_host(aude):
    """The two Québécois follow French and English: with a French host they listen directly
    and only the two who do not follow French get English; with an English host French is
    rendered for Patricia Tamini, and the Québécois, who prefer it, listen in it too."""
    activity = Activity.objects.filter(visit=aude).order_by("pk").first()
    for spoken, rendered in (["fr"], [("en", 2)]), (["en"], [("fr", 3)]):
        activity.languages = spoken
        activity.save()
        problem = problem_from_visit(aude).problem
        (a,) = [x for x in problem.activities if x.id == activity.pk]
        choice = Prepared(problem).best_choice(a)
        assert choice.spoken == spoken[0]
        assert [(code, n) for _g, code, n in choice.listening if code != spoken[0]] == rendered


def test_hosts_languages_are_the_candidates_when_the_activity_lists_none(aude):
    activity = Activity.objects.filter(visit=aude).order_by("pk").first()
    activity.languages = []
    activity.save()
    host = ActivityHost.objects.filter(activity=activity).first().person
    Person.objects.filter(pk=host.pk).update(languages=["de", "fr"])
    (got,) = [a for a in problem_from_visit(aude).problem.activities if a.id == activity.pk]
    assert got.languages == ("de", "fr")


def _solved_slots(visit):
    job = services.solve_start(visit=visit, time_limit_s=20.0)
    job = services.programme_solve(job_id=job.pk)
    return (
        Slot.objects.filter(version=job.result_version)
        .select_related("activity", "venue")
        .prefetch_related("assignments__interpreter__person", "activity__host_links__person")
    )


def test_solve_stores_the_choice_on_each_slot(aude):
    slots = _solved_slots(aude)
    welcome = slots.get(activity__title__startswith="Accueil")
    assert welcome.languages == {"spoken": "fr", "listening": welcome.languages["listening"]}
    assert sorted((code, n) for _g, code, n in welcome.languages["listening"]) == [
        ("en", 2),
        ("fr", 3),
    ]
    with translation.override("en"):
        blocks = [
            b for d in timetable_build(visit=aude, slots=slots, travel={}).days for b in d.blocks
        ]
        block = next(b for b in blocks if b.slot_id == welcome.pk)
        assert block.languages == ["in French, interpreted into English for 2 guests"]


def test_languages_text_in_the_readers_language():
    chosen = {"spoken": "fr", "listening": [[1, "en", 2], [1, "fr", 3], [2, "es", 1]]}
    with translation.override("en"):
        assert languages_text(chosen) == (
            "in French, interpreted into English for 2 guests and Spanish for 1 guest"
        )
        assert languages_text({"spoken": "fr", "listening": [[1, "fr", 3]]}) == "in French"
        assert languages_text({}, ["fr", "en"]) == "French and English"
    with translation.override("fr"):
        assert "anglais" in languages_text(chosen)


def test_feed_says_what_was_chosen():
    now = dt.datetime(2009, 4, 20, 9, tzinfo=dt.UTC)
    item = Item(
        "uid",
        "activity",
        now,
        now,
        "confirmed",
        0,
        now,
        now,
        languages=("fr",),
        spoken="fr",
        listening=(("en", 2), ("fr", 3)),
    )
    with translation.override("en"):
        text = _description(item, "programme", "en")
    assert "Languages: in French, interpreted into English for 2 guests" in text


def test_booklet_says_what_was_chosen(aude):
    slots = list(_solved_slots(aude))
    book = booklet.build(visit=aude, slots=slots, travel={}, languages=["en"])
    texts = [text for day in book.days for e in day.entries for _c, text in e.texts]
    assert "in French, interpreted into English for 2 guests" in [t.languages for t in texts]


def test_api_slot_says_the_languages(aude):
    from tests import factories
    from tests.conftest import ApiClient

    slots = _solved_slots(aude)
    api = ApiClient(factories.token_for(factories.organiser(aude.owner)))
    version = slots[0].version
    body = api.get(f"/visits/{aude.pk}/versions/{version.number}").json()
    by_id = {s["id"]: s for s in body["slots"]}
    for slot in slots:
        assert by_id[slot.pk]["languages"] == slot.languages
    assert all(s["languages"]["spoken"] in ("fr", "en") for s in body["slots"])
