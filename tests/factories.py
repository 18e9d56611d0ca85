"""Small builders for test data: each returns a saved, valid object; keywords override."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from delegations.models import Delegation, Guest, GuestLanguage, Interpreter, LanguageDirection
from events.models import Activity, ActivityHost, Availability, Person, Venue, Visit
from planner.models import Organisation, Organiser
from planner.services import api_token_create

PARIS = ZoneInfo("Europe/Paris")
_seq = itertools.count(1)


def organisation(**kw) -> Organisation:
    kw.setdefault("name", f"Network {next(_seq)}")
    kw.setdefault("kind", "network")
    return Organisation.objects.create(**kw)


def organiser(org: Organisation, username: str | None = None):
    user = get_user_model().objects.create_user(
        username=username or f"organiser{next(_seq)}", password="pw-for-tests-only"
    )
    Organiser.objects.create(user=user, organisation=org)
    return user


def token_for(user) -> str:
    return api_token_create(user=user, name="tests")[1]


def visit(owner: Organisation, **kw) -> Visit:
    n = next(_seq)
    kw.setdefault("kind", Visit.Kind.DELEGATION)
    kw.setdefault("title", f"Visit {n}")
    kw.setdefault("slug", f"visit-{n}")
    kw.setdefault("start_date", dt.date(2009, 4, 20))
    kw.setdefault("end_date", dt.date(2009, 4, 24))
    kw.setdefault("working_languages", ["fr", "en"])
    return Visit.objects.create(owner=owner, **kw)


def venue(v: Visit, **kw) -> Venue:
    kw.setdefault("name", f"Venue {next(_seq)}")
    return Venue.objects.create(visit=v, **kw)


def person(owner: Organisation, **kw) -> Person:
    kw.setdefault("full_name", f"Person {next(_seq)}")
    kw.setdefault("languages", ["fr"])
    return Person.objects.create(owner=owner, **kw)


def window(v: Visit, p: Person, day: int, start: str, end: str, kind="available"):
    date = v.start_date + dt.timedelta(days=day)
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return Availability.objects.create(
        visit=v,
        person=p,
        start=dt.datetime.combine(date, dt.time(h1, m1), PARIS),
        end=dt.datetime.combine(date, dt.time(h2, m2), PARIS),
        kind=kind,
    )


def activity(v: Visit, where: Venue, hosts=(), **kw) -> Activity:
    kw.setdefault("title", f"Activity {next(_seq)}")
    kw.setdefault("duration_minutes", 90)
    kw.setdefault("languages", ["fr"])
    a = Activity.objects.create(visit=v, venue=where, **kw)
    for h in hosts:
        ActivityHost.objects.create(activity=a, person=h)
    return a


def delegation(v: Visit, **kw) -> Delegation:
    kw.setdefault("name", f"Delegation {next(_seq)}")
    return Delegation.objects.create(visit=v, **kw)


def guest(d: Delegation, languages=(("en", "fluent"),), **kw) -> Guest:
    kw.setdefault("full_name", f"Guest {next(_seq)}")
    kw.setdefault("country", "CA")
    g = Guest.objects.create(delegation=d, **kw)
    for code, level in languages:
        GuestLanguage.objects.create(guest=g, language=code, level=level)
    return g


def interpreter(owner: Organisation, directions=(("fr", "en"), ("en", "fr")), **kw) -> Interpreter:
    p = person(owner, role="interpreter", languages=sorted({x for d in directions for x in d}))
    kw.setdefault("modes", ["consecutive", "simultaneous"])
    i = Interpreter.objects.create(owner=owner, person=p, **kw)
    for source, target in directions:
        LanguageDirection.objects.create(interpreter=i, source=source, target=target)
    return i


# --- logistics (appended) -----------------------------------------------------------------


def journey(g: Guest, place: Venue, time: dt.datetime, direction="arrival", **kw):
    from logistics.models import Journey

    kw.setdefault("mode", "plane")
    return Journey.objects.create(guest=g, place=place, time=time, direction=direction, **kw)


def stay(v: Visit, where: Venue, first_night: dt.date, last_night: dt.date, **kw):
    from logistics.models import Stay

    return Stay.objects.create(
        visit=v, venue=where, first_night=first_night, last_night=last_night, **kw
    )


def vehicle(v: Visit, seats: int = 8, **kw):
    from logistics.models import Vehicle

    kw.setdefault("name", f"Minibus {next(_seq)}")
    return Vehicle.objects.create(visit=v, seats=seats, **kw)


def programme_version(v: Visit, slots, *, publish: bool = True, assignments=(), languages=None):
    """A version with ``slots`` as (activity, aware start) or (activity, start, end) tuples,
    published unless told; ``assignments`` as (activity, interpreter, source, target);
    ``languages`` stored on every slot (what the solver would have written)."""
    from scheduling import services
    from scheduling.models import InterpreterAssignment, Programme, ProgrammeVersion, Slot

    programme, _ = Programme.objects.get_or_create(visit=v)
    number = (
        programme.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = ProgrammeVersion.objects.create(programme=programme, number=number, source="manual")
    made = {}
    for a, start, *end in slots:
        made[a.pk] = Slot.objects.create(
            version=version,
            activity=a,
            venue_id=a.venue_id,
            start=start,
            end=end[0] if end else start + dt.timedelta(minutes=a.duration_minutes),
            languages=languages or {},
        )
    for a, interpreter, source, target in assignments:
        InterpreterAssignment.objects.create(
            slot=made[a.pk], interpreter=interpreter, source=source, target=target
        )
    if publish:
        version = services.version_publish(version=version)
    return version
