"""The ``logistics`` section of a visit in the demo/bulk-entry JSON (see web.seed).

    "logistics": {
      "journeys": [{"guest": "…", "direction": "arrival", "mode": "plane",
                    "place": "<venue name>", "time": "2009-04-15T10:40", "reference": "AF 7780"}],
      "stays": [{"venue": "<venue name>", "first_night": "2009-04-15", "last_night": "…",
                 "guest": "…" | "subgroup": "…" | "delegation": "…", "room": "…"}],
      "vehicles": [{"name": "Minibus 1", "seats": 8, "driver": "<person key>",
                    "available_from": "…", "available_until": "…"}],
      "meal_services": [{"venue": "…", "serves_meals": true, "caterer": "…", "language": "fr"}],
      "required_guests": [["<activity title>", "<guest name>"]],
      "companions": [{"person": "<person key>", "subgroup": "…", "note": "…"}],
      "letters": [{"language": "fr", "subject": "…", "body": "…", "signature": "…"}]
    }

Same rules as the rest of the loader: matched on natural keys, every record validated with
``full_clean``, the first bad value names its JSON path.
"""

from collections.abc import Callable
from dataclasses import dataclass

from delegations.models import Delegation, Guest, SubGroup
from events.models import Activity, Visit
from logistics.models import (
    ActivityGuest,
    Companion,
    Journey,
    LetterTemplate,
    MealService,
    Stay,
    Vehicle,
)
from planner.seeding import SeedError, keep_only, require, upsert


@dataclass(frozen=True)
class _Section:
    """One visit's ``logistics`` section being loaded, with the loader's helpers."""

    loader: object  # web.seed's loader: dates, instants, people, the report
    visit: Visit
    venue_ref: Callable
    zone: object
    upsert: Callable
    require: Callable
    keep_only: Callable
    error: type[Exception]

    def guest(self, name: str, path: str) -> Guest:
        guest = Guest.objects.filter(delegation__visit=self.visit, full_name=name).first()
        if guest is None:
            raise self.error(path, f"no guest named {name!r} in this visit")
        return guest

    def subgroup(self, name: str, path: str) -> SubGroup:
        subgroup = SubGroup.objects.filter(delegation__visit=self.visit, name=name).first()
        if subgroup is None:
            raise self.error(path, f"no sub-group named {name!r}")
        return subgroup

    def instant(self, value, path: str):
        return self.loader._instant(value, self.zone, path)


def _journeys(s: _Section, rows: list, path: str) -> None:
    for j, jdata in enumerate(rows):
        jpath = f"{path}.journeys[{j}]"
        guest = s.guest(s.require(jdata, "guest", jpath), f"{jpath}.guest")
        s.upsert(
            Journey,
            jpath,
            {"guest": guest, "direction": s.require(jdata, "direction", jpath)},
            {
                "mode": jdata.get("mode", Journey.Mode.PLANE),
                "place": s.venue_ref(s.require(jdata, "place", jpath), f"{jpath}.place"),
                "time": s.instant(s.require(jdata, "time", jpath), f"{jpath}.time"),
                "reference": jdata.get("reference", ""),
                "transfer": jdata.get("transfer", True),
                "note": jdata.get("note", ""),
            },
        )
        s.loader.report.count("journeys")


def _stays(s: _Section, rows: list, path: str) -> None:
    """The stays of the section, and only those (the others are deleted)."""
    kept = []
    for j, sdata in enumerate(rows):
        spath = f"{path}.stays[{j}]"
        lookup = {
            "visit": s.visit,
            "venue": s.venue_ref(s.require(sdata, "venue", spath), f"{spath}.venue"),
            "first_night": s.loader._date(
                s.require(sdata, "first_night", spath), f"{spath}.first_night"
            ),
            "guest": None,
            "subgroup": None,
            "delegation": None,
        }
        if sdata.get("guest"):
            lookup["guest"] = s.guest(sdata["guest"], f"{spath}.guest")
        if sdata.get("subgroup"):
            lookup["subgroup"] = s.subgroup(sdata["subgroup"], f"{spath}.subgroup")
        if sdata.get("delegation"):
            lookup["delegation"] = Delegation.objects.filter(
                visit=s.visit, name=sdata["delegation"]
            ).first()
            if lookup["delegation"] is None:
                raise s.error(f"{spath}.delegation", f"no delegation named {sdata['delegation']!r}")
        values = {
            "last_night": s.loader._date(
                s.require(sdata, "last_night", spath), f"{spath}.last_night"
            ),
            "room": sdata.get("room", ""),
            "note": sdata.get("note", ""),
        }
        kept.append(s.upsert(Stay, spath, lookup, values))
        s.loader.report.count("stays")
    s.keep_only(Stay.objects.filter(visit=s.visit), kept)


def _vehicles(s: _Section, rows: list, path: str) -> None:
    for j, vdata in enumerate(rows):
        vpath = f"{path}.vehicles[{j}]"
        values = {
            "seats": s.require(vdata, "seats", vpath),
            "driver": s.loader._person_ref(vdata["driver"], f"{vpath}.driver")
            if vdata.get("driver")
            else None,
            "note": vdata.get("note", ""),
        }
        for name in ("available_from", "available_until"):
            values[name] = s.instant(vdata[name], f"{vpath}.{name}") if vdata.get(name) else None
        lookup = {"visit": s.visit, "name": s.require(vdata, "name", vpath)}
        s.upsert(Vehicle, vpath, lookup, values)
        s.loader.report.count("vehicles")


MEAL_SERVICE_FIELDS = ("serves_meals", "caterer", "contact_name", "email", "phone", "language")


def _meal_services(s: _Section, rows: list, path: str) -> None:
    for j, mdata in enumerate(rows):
        mpath = f"{path}.meal_services[{j}]"
        values = {k: mdata[k] for k in (*MEAL_SERVICE_FIELDS, "capacity") if k in mdata}
        venue = s.venue_ref(s.require(mdata, "venue", mpath), f"{mpath}.venue")
        s.upsert(MealService, mpath, {"venue": venue}, values)
        s.loader.report.count("meal services")


def _required_guests(s: _Section, rows: list, path: str) -> None:
    for j, (title, name) in enumerate(rows):
        rpath = f"{path}.required_guests[{j}]"
        activity = Activity.objects.filter(visit=s.visit, title=title).first()
        if activity is None:
            raise s.error(rpath, f"no activity titled {title!r}")
        s.upsert(ActivityGuest, rpath, {"activity": activity, "guest": s.guest(name, rpath)}, {})


def _companions(s: _Section, rows: list, path: str) -> None:
    for j, cdata in enumerate(rows):
        cpath = f"{path}.companions[{j}]"
        subgroup = None
        if cdata.get("subgroup"):
            subgroup = s.subgroup(cdata["subgroup"], f"{cpath}.subgroup")
        person = s.loader._person_ref(s.require(cdata, "person", cpath), f"{cpath}.person")
        s.upsert(
            Companion,
            cpath,
            {"visit": s.visit, "person": person},
            {"subgroup": subgroup, "note": cdata.get("note", "")},
        )
        s.loader.report.count("companions")


def _letters(s: _Section, rows: list, path: str) -> None:
    for j, ldata in enumerate(rows):
        lpath = f"{path}.letters[{j}]"
        s.upsert(
            LetterTemplate,
            lpath,
            {"visit": s.visit, "language": s.require(ldata, "language", lpath)},
            {
                "subject": s.require(ldata, "subject", lpath),
                "body": s.require(ldata, "body", lpath),
                "signature": ldata.get("signature", ""),
            },
        )


# In this order: a stay or a companion may name what an earlier part created.
SECTIONS = {
    "journeys": _journeys,
    "stays": _stays,
    "vehicles": _vehicles,
    "meal_services": _meal_services,
    "required_guests": _required_guests,
    "companions": _companions,
    "letters": _letters,
}


def logistics_load(loader, visit: Visit, venue_ref, zone, data: dict, path: str) -> None:
    section = _Section(loader, visit, venue_ref, zone, upsert, require, keep_only, SeedError)
    for key, load in SECTIONS.items():
        load(section, data.get(key, []), path)
