"""The ``logistics`` section of a visit in the demo/bulk-entry JSON (see planner.seed).

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


def logistics_load(loader, visit: Visit, venue_ref, zone, data: dict, path: str) -> None:
    from planner.seed import SeedError, _keep_only, _require, _upsert

    def guest_ref(name: str, gpath: str) -> Guest:
        guest = Guest.objects.filter(delegation__visit=visit, full_name=name).first()
        if guest is None:
            raise SeedError(gpath, f"no guest named {name!r} in this visit")
        return guest

    for j, jdata in enumerate(data.get("journeys", [])):
        jpath = f"{path}.journeys[{j}]"
        guest = guest_ref(_require(jdata, "guest", jpath), f"{jpath}.guest")
        _upsert(
            Journey,
            jpath,
            {"guest": guest, "direction": _require(jdata, "direction", jpath)},
            {
                "mode": jdata.get("mode", Journey.Mode.PLANE),
                "place": venue_ref(_require(jdata, "place", jpath), f"{jpath}.place"),
                "time": loader._instant(_require(jdata, "time", jpath), zone, f"{jpath}.time"),
                "reference": jdata.get("reference", ""),
                "transfer": jdata.get("transfer", True),
                "note": jdata.get("note", ""),
            },
        )
        loader.report.count("journeys")

    kept = []
    for j, sdata in enumerate(data.get("stays", [])):
        spath = f"{path}.stays[{j}]"
        lookup = {
            "visit": visit,
            "venue": venue_ref(_require(sdata, "venue", spath), f"{spath}.venue"),
            "first_night": loader._date(
                _require(sdata, "first_night", spath), f"{spath}.first_night"
            ),
            "guest": None,
            "subgroup": None,
            "delegation": None,
        }
        if sdata.get("guest"):
            lookup["guest"] = guest_ref(sdata["guest"], f"{spath}.guest")
        if sdata.get("subgroup"):
            lookup["subgroup"] = SubGroup.objects.filter(
                delegation__visit=visit, name=sdata["subgroup"]
            ).first()
            if lookup["subgroup"] is None:
                raise SeedError(f"{spath}.subgroup", f"no sub-group named {sdata['subgroup']!r}")
        if sdata.get("delegation"):
            lookup["delegation"] = Delegation.objects.filter(
                visit=visit, name=sdata["delegation"]
            ).first()
            if lookup["delegation"] is None:
                raise SeedError(
                    f"{spath}.delegation", f"no delegation named {sdata['delegation']!r}"
                )
        values = {
            "last_night": loader._date(_require(sdata, "last_night", spath), f"{spath}.last_night"),
            "room": sdata.get("room", ""),
            "note": sdata.get("note", ""),
        }
        kept.append(_upsert(Stay, spath, lookup, values))
        loader.report.count("stays")
    _keep_only(Stay.objects.filter(visit=visit), kept)

    for j, vdata in enumerate(data.get("vehicles", [])):
        vpath = f"{path}.vehicles[{j}]"
        values = {
            "seats": _require(vdata, "seats", vpath),
            "driver": loader._person_ref(vdata["driver"], f"{vpath}.driver")
            if vdata.get("driver")
            else None,
            "note": vdata.get("note", ""),
        }
        for name in ("available_from", "available_until"):
            values[name] = (
                loader._instant(vdata[name], zone, f"{vpath}.{name}") if vdata.get(name) else None
            )
        _upsert(Vehicle, vpath, {"visit": visit, "name": _require(vdata, "name", vpath)}, values)
        loader.report.count("vehicles")

    for j, mdata in enumerate(data.get("meal_services", [])):
        mpath = f"{path}.meal_services[{j}]"
        values = {
            k: mdata[k]
            for k in (
                "serves_meals",
                "caterer",
                "contact_name",
                "email",
                "phone",
                "language",
                "capacity",
            )
            if k in mdata
        }
        _upsert(
            MealService,
            mpath,
            {"venue": venue_ref(_require(mdata, "venue", mpath), f"{mpath}.venue")},
            values,
        )
        loader.report.count("meal services")

    for j, (title, name) in enumerate(data.get("required_guests", [])):
        rpath = f"{path}.required_guests[{j}]"
        activity = Activity.objects.filter(visit=visit, title=title).first()
        if activity is None:
            raise SeedError(rpath, f"no activity titled {title!r}")
        _upsert(ActivityGuest, rpath, {"activity": activity, "guest": guest_ref(name, rpath)}, {})

    for j, cdata in enumerate(data.get("companions", [])):
        cpath = f"{path}.companions[{j}]"
        subgroup = None
        if cdata.get("subgroup"):
            subgroup = SubGroup.objects.filter(
                delegation__visit=visit, name=cdata["subgroup"]
            ).first()
            if subgroup is None:
                raise SeedError(f"{cpath}.subgroup", f"no sub-group named {cdata['subgroup']!r}")
        _upsert(
            Companion,
            cpath,
            {
                "visit": visit,
                "person": loader._person_ref(_require(cdata, "person", cpath), f"{cpath}.person"),
            },
            {"subgroup": subgroup, "note": cdata.get("note", "")},
        )
        loader.report.count("companions")

    for j, ldata in enumerate(data.get("letters", [])):
        lpath = f"{path}.letters[{j}]"
        _upsert(
            LetterTemplate,
            lpath,
            {"visit": visit, "language": _require(ldata, "language", lpath)},
            {
                "subject": _require(ldata, "subject", lpath),
                "body": _require(ldata, "body", lpath),
                "signature": ldata.get("signature", ""),
            },
        )
