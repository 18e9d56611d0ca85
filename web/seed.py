"""Load organisations, people and whole visits from a readable JSON document.

The demo data and any organiser's bulk entry use the same path: every record is built, checked
with ``full_clean`` (the same rules as the admin and the API) and saved inside one transaction,
so a file with one bad value writes nothing and names the JSON path of the value. Records are
matched on their natural keys (names, titles, slugs), so loading the same file twice leaves
the database as it was.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from delegations.models import (
    Delegation,
    Guest,
    GuestLanguage,
    Interpreter,
    LanguageDirection,
    SubGroup,
)
from events import services as event_services
from events.models import (
    Activity,
    ActivityHost,
    Availability,
    Person,
    Precedence,
    TravelTime,
    Venue,
    Visit,
    VisitFormat,
    default_interpretation_policy,
)
from planner.models import Organisation
from planner.seeding import SeedError, error_messages, keep_only, record_save, require, upsert


@dataclass
class SeedReport:
    organisation: Organisation | None = None
    visits: list[Visit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


class _Loader:
    def __init__(self, report: SeedReport):
        self.report = report
        self.people: dict[str, Person] = {}
        self.interpreters: dict[str, Interpreter] = {}

    def organisation(self, data: dict, path: str) -> Organisation:
        name = require(data, "name", path)
        values = {k: data[k] for k in ("kind", "country", "city", "website") if k in data}
        return upsert(Organisation, path, {"name": name}, values)

    def load(self, document: dict) -> None:
        if not isinstance(document, dict):
            raise SeedError("$", "the document must be a JSON object")
        owner = self.organisation(require(document, "organisation", "$"), "$.organisation")
        self.report.organisation = owner
        for i, data in enumerate(document.get("organisations", [])):
            self.organisation(data, f"$.organisations[{i}]")
        for i, data in enumerate(document.get("people", [])):
            self.person(owner, data, f"$.people[{i}]")
        for i, data in enumerate(document.get("interpreters", [])):
            self.interpreter(owner, data, f"$.interpreters[{i}]")
        formats = {}
        for i, data in enumerate(document.get("formats", [])):
            fmt = self.visit_format(owner, data, f"$.formats[{i}]")
            formats[fmt.name] = fmt
        for i, data in enumerate(document.get("visits", [])):
            self.visit(owner, formats, data, f"$.visits[{i}]")

    def person(self, owner: Organisation, data: dict, path: str) -> None:
        key = require(data, "key", path)
        affiliation = None
        if data.get("affiliation"):
            affiliation = Organisation.objects.filter(name=data["affiliation"]).first()
            if affiliation is None:
                raise SeedError(
                    f"{path}.affiliation", f"no organisation named {data['affiliation']!r}"
                )
        values = {
            k: data[k]
            for k in ("role", "position", "email", "phone", "languages", "preferred_language")
            if k in data
        }
        values["affiliation"] = affiliation
        name = require(data, "full_name", path)
        self.people[key] = upsert(Person, path, {"owner": owner, "full_name": name}, values)
        self.report.count("people")

    def _person_ref(self, key: str, path: str) -> Person:
        if key not in self.people:
            raise SeedError(path, f"no person with key {key!r}")
        return self.people[key]

    def interpreter(self, owner: Organisation, data: dict, path: str) -> None:
        key = require(data, "person", path)
        person = self._person_ref(key, f"{path}.person")
        values = {"owner": owner, "modes": require(data, "modes", path)}
        if "daily_cap_minutes" in data:
            values["daily_cap_minutes"] = data["daily_cap_minutes"]
        interpreter = upsert(Interpreter, path, {"person": person}, values)
        directions = require(data, "directions", path)
        kept = [
            upsert(
                LanguageDirection,
                f"{path}.directions[{j}]",
                {"interpreter": interpreter, "source": source, "target": target},
                {},
            )
            for j, (source, target) in enumerate(directions)
        ]
        keep_only(interpreter.directions.all(), kept)
        self.interpreters[key] = interpreter
        self.report.count("interpreters")

    def visit_format(self, owner: Organisation, data: dict, path: str) -> VisitFormat:
        name = require(data, "name", path)
        fmt = upsert(
            VisitFormat,
            path,
            {"owner": owner, "name": name},
            {"description": data.get("description", "")},
        )
        phases = [
            {
                "name": require(p, "name", f"{path}.phases[{j}]"),
                "description": p.get("description", ""),
            }
            for j, p in enumerate(data.get("phases", []))
        ]
        questions = [
            {"text": require(q, "text", f"{path}.questions[{j}]"), "phase": q.get("phase")}
            for j, q in enumerate(data.get("questions", []))
        ]
        try:
            event_services.format_set_children(
                instance=fmt, organisation=owner, phases=phases, questions=questions
            )
        except ValidationError as exc:
            name, message = error_messages(exc)[0]
            raise SeedError(f"{path}.{name}", message) from None
        return fmt

    def visit(self, owner, formats: dict, data: dict, path: str) -> None:
        """One visit and everything in it, in the order the references need."""
        visit, fmt = self._visit_row(owner, formats, data, path)
        zone = ZoneInfo(visit.time_zone)
        venue_ref = self._venues(visit, data, path)
        self._visit_links(visit, venue_ref, data, path)
        self._travel(visit, venue_ref, data, path)
        self._windows(visit, zone, data, path)
        subgroups = {}
        for j, ddata in enumerate(data.get("delegations", [])):
            subgroups.update(
                self.delegation(visit, venue_ref, zone, ddata, f"{path}.delegations[{j}]")
            )
        activities = self._activities(visit, fmt, venue_ref, zone, subgroups, data, path)
        self._precedences(visit, activities, data, path)
        if data.get("logistics"):
            from logistics.seed import logistics_load

            logistics_load(self, visit, venue_ref, zone, data["logistics"], f"{path}.logistics")
        self.report.visits.append(visit)

    def _visit_row(self, owner, formats: dict, data: dict, path: str):
        slug = require(data, "slug", path)
        fmt = None
        if data.get("format"):
            fmt = (
                formats.get(data["format"])
                or VisitFormat.objects.filter(owner=owner, name=data["format"]).first()
            )
            if fmt is None:
                raise SeedError(f"{path}.format", f"no format named {data['format']!r}")
        values = {
            "kind": require(data, "kind", path),
            "title": require(data, "title", path),
            "description": data.get("description", ""),
            "format": fmt,
            "start_date": self._date(require(data, "start_date", path), f"{path}.start_date"),
            "end_date": self._date(require(data, "end_date", path), f"{path}.end_date"),
            "time_zone": data.get("time_zone", "Europe/Paris"),
            "working_languages": data.get("working_languages", []),
            "interpretation_policy": data.get(
                "interpretation_policy", default_interpretation_policy(data.get("kind", ""))
            ),
            "interpretation_rules": data.get("interpretation_rules", {}),
        }
        for name in ("day_start", "day_end", "lunch_start", "lunch_end"):
            if name in data:
                values[name] = self._time(data[name], f"{path}.{name}")
        if "lunch_minutes" in data:
            values["lunch_minutes"] = data["lunch_minutes"]
        visit = upsert(Visit, path, {"owner": owner, "slug": slug}, values)
        return visit, fmt

    def _venues(self, visit, data: dict, path: str):
        """The visit's venues; returns the lookup by name that later references use."""
        venues = {}
        for j, venue_data in enumerate(data.get("venues", [])):
            vpath = f"{path}.venues[{j}]"
            vname = require(venue_data, "name", vpath)
            vvalues = {
                k: venue_data[k]
                for k in (
                    "kind",
                    "address",
                    "city",
                    "country",
                    "latitude",
                    "longitude",
                    "capacity",
                    "time_zone",
                    "exclusive",
                )
                if k in venue_data
            }
            for coordinate in ("latitude", "longitude"):
                if isinstance(vvalues.get(coordinate), float):
                    # Through str: the float's binary expansion has more than 6 decimals.
                    vvalues[coordinate] = Decimal(str(vvalues[coordinate]))
            venues[vname] = upsert(Venue, vpath, {"visit": visit, "name": vname}, vvalues)
            self.report.count("venues")

        def venue_ref(name: str, vpath: str) -> Venue:
            if name not in venues:
                raise SeedError(vpath, f"no venue named {name!r} in this visit")
            return venues[name]

        return venue_ref

    def _visit_links(self, visit, venue_ref, data: dict, path: str) -> None:
        lodging = venue_ref(data["lodging"], f"{path}.lodging") if data.get("lodging") else None
        if visit.lodging != lodging:
            visit.lodging = lodging
            record_save(visit, path)
        visit.interpreters.set(
            [
                self._interpreter_ref(key, f"{path}.interpreters[{j}]")
                for j, key in enumerate(data.get("interpreters", []))
            ]
        )

    def _travel(self, visit, venue_ref, data: dict, path: str) -> None:
        travel = data.get("travel", {})
        for j, (origin, destination, minutes) in enumerate(travel.get("entered", [])):
            tpath = f"{path}.travel.entered[{j}]"
            upsert(
                TravelTime,
                tpath,
                {"origin": venue_ref(origin, tpath), "destination": venue_ref(destination, tpath)},
                {"visit": visit, "minutes": minutes, "source": TravelTime.Source.ENTERED},
            )
            self.report.count("travel times")
        if "estimate" in travel:
            estimate = travel["estimate"]
            written = event_services.travel_times_estimate(
                visit=visit,
                speed_kmh=estimate.get("speed_kmh", event_services.DEFAULT_SPEED_KMH),
                detour_factor=estimate.get("detour_factor", event_services.DEFAULT_DETOUR_FACTOR),
            )
            self.report.count("travel times", len(written))

    def _windows(self, visit, zone, data: dict, path: str) -> None:
        kept = []
        for j, window in enumerate(data.get("availability", [])):
            apath = f"{path}.availability[{j}]"
            person = self._person_ref(require(window, "person", apath), f"{apath}.person")
            lookup = {
                "visit": visit,
                "person": person,
                "start": self._instant(require(window, "start", apath), zone, f"{apath}.start"),
                "end": self._instant(require(window, "end", apath), zone, f"{apath}.end"),
            }
            values = {
                "kind": window.get("kind", Availability.Kind.AVAILABLE),
                "note": window.get("note", ""),
            }
            kept.append(upsert(Availability, apath, lookup, values))
            self.report.count("availability windows")
        keep_only(Availability.objects.filter(visit=visit), kept)

    def _activities(self, visit, fmt, venue_ref, zone, subgroups, data: dict, path: str) -> dict:
        phases = {p.name: p for p in fmt.phases.all()} if fmt else {}
        activities = {}
        for j, adata in enumerate(data.get("activities", [])):
            apath = f"{path}.activities[{j}]"
            title = require(adata, "title", apath)
            phase = None
            if adata.get("phase"):
                phase = phases.get(adata["phase"])
                if phase is None:
                    raise SeedError(
                        f"{apath}.phase", f"no phase named {adata['phase']!r} in the format"
                    )
            avalues = {
                k: adata[k]
                for k in (
                    "kind",
                    "titles",
                    "description",
                    "descriptions",
                    "duration_minutes",
                    "languages",
                    "interpretation_mode",
                    "two_way",
                    "working_lunch",
                    "place_in_visit",
                    "mandatory",
                    "value",
                )
                if k in adata
            }
            avalues["venue"] = venue_ref(require(adata, "venue", apath), f"{apath}.venue")
            avalues["phase"] = phase
            for name in ("earliest", "latest", "fixed_start"):
                avalues[name] = (
                    self._instant(adata[name], zone, f"{apath}.{name}") if adata.get(name) else None
                )
            activity = upsert(Activity, apath, {"visit": visit, "title": title}, avalues)
            links = []
            for k, host in enumerate(adata.get("hosts", [])):
                key, required = (
                    (host, True)
                    if isinstance(host, str)
                    else (host["person"], host.get("required", True))
                )
                person = self._person_ref(key, f"{apath}.hosts[{k}]")
                links.append(
                    upsert(
                        ActivityHost,
                        f"{apath}.hosts[{k}]",
                        {"activity": activity, "person": person},
                        {"required": required},
                    )
                )
            keep_only(activity.host_links.all(), links)
            audience = []
            for k, name in enumerate(adata.get("audience", [])):
                if name not in subgroups:
                    raise SeedError(f"{apath}.audience[{k}]", f"no sub-group named {name!r}")
                audience.append(subgroups[name])
            activity.audience.set(audience)
            activities[title] = activity
            self.report.count("activities")

        return activities

    def _precedences(self, visit, activities: dict, data: dict, path: str) -> None:
        kept = []
        for j, (before, after, *gap) in enumerate(data.get("precedences", [])):
            ppath = f"{path}.precedences[{j}]"
            for title in (before, after):
                if title not in activities:
                    raise SeedError(ppath, f"no activity titled {title!r}")
            kept.append(
                upsert(
                    Precedence,
                    ppath,
                    {"before": activities[before], "after": activities[after]},
                    {"visit": visit, "min_gap_minutes": gap[0] if gap else 0},
                )
            )
        keep_only(Precedence.objects.filter(visit=visit), kept)

    def delegation(self, visit, venue_ref, zone, data: dict, path: str) -> dict[str, SubGroup]:
        delegation = upsert(
            Delegation,
            path,
            {"visit": visit, "name": require(data, "name", path)},
            {"description": data.get("description", "")},
        )
        subgroups = {}
        for j, sdata in enumerate(data.get("subgroups", [])):
            spath = f"{path}.subgroups[{j}]"
            lodging = (
                venue_ref(sdata["lodging"], f"{spath}.lodging") if sdata.get("lodging") else None
            )
            subgroups[sdata["name"]] = upsert(
                SubGroup,
                spath,
                {"delegation": delegation, "name": require(sdata, "name", spath)},
                {"lodging": lodging},
            )
        seen = set()
        for j, gdata in enumerate(data.get("guests", [])):
            gpath = f"{path}.guests[{j}]"
            name = require(gdata, "full_name", gpath)
            if name in seen:
                raise SeedError(
                    f"{gpath}.full_name", f"{name!r} is listed twice in this delegation"
                )
            seen.add(name)
            gvalues = {
                k: gdata[k]
                for k in (
                    "email",
                    "country",
                    "organisation",
                    "position",
                    "preferred_language",
                    "dietary_needs",
                )
                if k in gdata
            }
            gvalues["subgroup"] = None
            if gdata.get("subgroup"):
                if gdata["subgroup"] not in subgroups:
                    raise SeedError(
                        f"{gpath}.subgroup", f"no sub-group named {gdata['subgroup']!r}"
                    )
                gvalues["subgroup"] = subgroups[gdata["subgroup"]]
            for when in ("arrival", "departure"):
                gvalues[when] = (
                    self._instant(gdata[when], zone, f"{gpath}.{when}") if gdata.get(when) else None
                )
            guest = upsert(Guest, gpath, {"delegation": delegation, "full_name": name}, gvalues)
            spoken = [
                upsert(
                    GuestLanguage,
                    f"{gpath}.languages[{k}]",
                    {"guest": guest, "language": language},
                    {"level": level},
                )
                for k, (language, level) in enumerate(gdata.get("languages", []))
            ]
            keep_only(guest.languages.all(), spoken)
            self.report.count("guests")
        return subgroups

    def _interpreter_ref(self, key: str, path: str) -> Interpreter:
        if key not in self.interpreters:
            raise SeedError(path, f"no interpreter with person key {key!r}")
        return self.interpreters[key]

    @staticmethod
    def _date(value, path: str) -> dt.date:
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            raise SeedError(path, f"{value!r} is not a date (YYYY-MM-DD)")
        return parsed

    @staticmethod
    def _time(value, path: str) -> dt.time:
        parsed = parse_time(value) if isinstance(value, str) else None
        if parsed is None:
            raise SeedError(path, f"{value!r} is not a time (HH:MM)")
        return parsed

    @staticmethod
    def _instant(value, zone: ZoneInfo, path: str) -> dt.datetime:
        """Times in the file are local to the visit unless they carry an offset."""
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise SeedError(path, f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM)")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


@transaction.atomic
def seed_load(document: dict) -> SeedReport:
    """Load one document; on any error nothing of it is written (SeedError names the path)."""
    report = SeedReport()
    try:
        _Loader(report).load(document)
    except (KeyError, TypeError, ValueError) as exc:
        raise SeedError("$", f"malformed document: {exc}") from None
    return report
