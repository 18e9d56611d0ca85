"""The setup path of a visit: after creating it, the organiser goes through its steps in order
(venues, hosts, the hosts' availability, guests, interpreters, activities) and ends on the
visit's page to build the programme.

Each step's form has a "Save and continue" button (``continue`` in the POST) that leads to the
next step; every step can be skipped. The indicator says which steps have something entered
(one cheap query each) and which are still to do.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from delegations.models import Guest, Interpreter
from events.models import Activity, Availability, Person, Venue, Visit


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    # The label of the button that saves and leads to this step ("… to the hosts").
    go_to: str


STEPS = (
    Step("venues", _("Venues"), _("Save and continue to the venues")),
    Step("hosts", _("Hosts"), _("Save and continue to the hosts")),
    Step("availability", _("Hosts' availability"), _("Save and continue to the availability")),
    Step("guests", _("Guests"), _("Save and continue to the guests")),
    Step("interpreters", _("Interpreters"), _("Save and continue to the interpreters")),
    Step("activities", _("Activities"), _("Save and continue to the activities")),
)
KEYS = [s.key for s in STEPS]
BUILD_LABEL = _("Save and continue to the programme")


def step_url(visit: Visit, key: str, *, pool: bool | None = None) -> str:
    """Where a step is done. The interpreters' step opens the form of a new interpreter while
    the organisation has none (none to take from an earlier visit either); ``pool`` says
    whether it has some, when already known."""
    if key == "interpreters":
        if pool is None:
            pool = Interpreter.objects.filter(owner=visit.owner).exists()
        name = "orga:interpreters" if pool else "orga:interpreter-new"
        return reverse(name, args=[visit.pk])
    if key == "build":
        return reverse("scheduling:visit", args=[visit.pk])
    return reverse(
        {
            "venues": "orga:venues",
            "hosts": "orga:hosts",
            "availability": "orga:availability",
            "guests": "orga:guests",
            "activities": "orga:activities",
        }[key],
        args=[visit.pk],
    )


def next_key(key: str) -> str:
    index = KEYS.index(key)
    return KEYS[index + 1] if index + 1 < len(KEYS) else "build"


def done(visit: Visit) -> dict[str, bool]:
    """Which steps have something entered for this visit (and whether the organisation has
    interpreters, under "pool"): one query."""
    hosts = Person.objects.filter(owner=OuterRef("owner")).exclude(role=Person.Role.INTERPRETER)
    here = {"visit": OuterRef("pk")}
    found = (
        Visit.objects.filter(pk=visit.pk)
        .annotate(
            step_venues=Exists(Venue.objects.filter(**here)),
            step_hosts=Exists(hosts),
            step_availability=Exists(
                Availability.objects.filter(**here).exclude(person__role=Person.Role.INTERPRETER)
            ),
            step_guests=Exists(Guest.objects.filter(delegation__visit=OuterRef("pk"))),
            step_interpreters=Exists(Visit.interpreters.through.objects.filter(**here)),
            step_activities=Exists(Activity.objects.filter(**here)),
            step_pool=Exists(Interpreter.objects.filter(owner=OuterRef("owner"))),
        )
        .values(*(f"step_{k}" for k in (*KEYS, "pool")))
        .get()
    )
    return {k.removeprefix("step_"): v for k, v in found.items()}


def context(visit: Visit, current: str) -> dict:
    """The indicator and the continue button of step ``current``, for its template."""
    entered = done(visit)
    pool = entered.pop("pool")
    following = next_key(current)
    label = BUILD_LABEL if following == "build" else STEPS[KEYS.index(following)].go_to
    return {
        "steps": [
            {
                "key": s.key,
                "title": s.title,
                "url": step_url(visit, s.key, pool=pool),
                "done": entered[s.key],
                "current": s.key == current,
                "number": n,
            }
            for n, s in enumerate(STEPS, start=1)
        ],
        "step_number": KEYS.index(current) + 1,
        "step_count": len(STEPS),
        "steps_done": sum(entered.values()),
        "steps_todo": len(STEPS) - sum(entered.values()),
        "next_url": step_url(visit, following, pool=pool),
        "next_label": label,
        "next_is_build": following == "build",
    }


def wants_next(request) -> bool:
    return "continue" in request.POST


def after_save(request, visit: Visit, current: str, default):
    """The redirect after a step's form saved: the next step when the person asked for it."""
    if wants_next(request):
        return redirect(step_url(visit, next_key(current)))
    return default
