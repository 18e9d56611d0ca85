"""JSON <-> dataclasses, with errors that name the JSON path and the reason.

One field table (FIELDS) drives parsing, serialisation and the JSON Schema in
docs/problem.schema.json (`python -m scheduling.solver schema` regenerates it).
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from . import policy
from .model import (
    HORIZON,
    INT32,
    MODES,
    PLACES_IN_VISIT,
    STATUSES,
    Activity,
    Assignment,
    Conflict,
    Day,
    Group,
    Host,
    Interpreter,
    LanguageChoice,
    Member,
    Placement,
    Precedence,
    Problem,
    ProgrammeResult,
    SolveStatus,
    Venue,
    Window,
)

FORMAT = "planner-problem/1"


class ProblemFormatError(ValueError):
    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


# kinds: int, int?, str, bool, mode, pair, lodging ([day, venue]), and lists of them
# (int[], window[], busy[], lodging[], ...)
FIELDS: dict[type, dict[str, tuple[str, Any]]] = {
    Day: {
        "id": ("int", ...),
        "start": ("time", ...),
        "end": ("time", ...),
        "lunch_start": ("time", 0),
        "lunch_end": ("time", 0),
        "lunch_min": ("time", 0),
        "soft_end": ("time?", None),
    },
    Venue: {"id": ("int", ...), "name": ("str", ""), "exclusive": ("bool", False)},
    Host: {
        "id": ("int", ...),
        "name": ("str", ""),
        "windows": ("window[]", ()),
        "busy": ("busy[]", ()),
    },
    Group: {
        "id": ("int", ...),
        "name": ("str", ""),
        "languages": ("str[]", ()),
        "lodging_venue": ("int?", None),
        "size": ("int", 1),
        "lodging_by_day": ("lodging[]", ()),
        "presence": ("span?", None),
        "members": ("member[]", ()),
    },
    Activity: {
        "id": ("int", ...),
        "name": ("str", ""),
        "duration": ("time", ...),
        "venue": ("int", ...),
        "hosts": ("int[]", ()),
        "languages": ("str[]", ()),
        "groups": ("int[]", ()),
        "mandatory": ("bool", True),
        "value": ("int", 0),
        "earliest": ("time?", None),
        "latest": ("time?", None),
        "phase": ("int?", None),
        "fixed_start": ("time?", None),
        "interpretation_mode": ("mode", "consecutive"),
        "two_way": ("bool", False),
        "meal": ("bool", False),
        "place_in_visit": ("place", ""),
        "working_lunch": ("bool", False),
    },
    Precedence: {"before": ("int", ...), "after": ("int", ...), "min_gap": ("time", 0)},
    Interpreter: {
        "id": ("int", ...),
        "name": ("str", ""),
        "directions": ("pair[]", ()),
        "modes": ("mode[]", MODES),
        "windows": ("window[]", ()),
        "daily_cap": ("time", 360),
        "home_venue": ("int?", None),
        "busy": ("busy[]", ()),
    },
    Placement: {"activity": ("int", ...), "day": ("int", ...), "start": ("time", ...)},
    Assignment: {"activity": ("int", ...), "interpreter": ("int", ...), "direction": ("pair", ...)},
}

LISTS = {
    "days": Day,
    "venues": Venue,
    "hosts": Host,
    "groups": Group,
    "activities": Activity,
    "precedences": Precedence,
    "interpreters": Interpreter,
    "previous": Placement,
    "previous_assignments": Assignment,
}
REQUIRED_LISTS = ("days", "venues", "activities")


def _int(v, path):
    if isinstance(v, bool) or not isinstance(v, int):
        raise ProblemFormatError(path, f"expected an integer, got {type(v).__name__}")
    if not -INT32 - 1 <= v <= INT32:
        raise ProblemFormatError(path, f"{v} does not fit in 32 bits")
    return v


def _time(v, path):
    """Minutes (a time or a duration): within a year of minute 0 (model.HORIZON)."""
    _int(v, path)
    if not -HORIZON <= v <= HORIZON:
        raise ProblemFormatError(path, f"{v} minutes is beyond the horizon (±{HORIZON})")
    return v


def _str(v, path):
    if not isinstance(v, str):
        raise ProblemFormatError(path, f"expected a string, got {type(v).__name__}")
    return v


def _list(v, path):
    if not isinstance(v, list):
        raise ProblemFormatError(path, f"expected an array, got {type(v).__name__}")
    return v


def _pair(v, path, conv):
    _list(v, path)
    if len(v) != 2:
        raise ProblemFormatError(path, f"expected 2 items, got {len(v)}")
    return (conv(v[0], f"{path}[0]"), conv(v[1], f"{path}[1]"))


def _value(kind: str, v, path: str):
    if kind == "int":
        return _int(v, path)
    if kind == "int?":
        return None if v is None else _int(v, path)
    if kind == "time":
        return _time(v, path)
    if kind == "time?":
        return None if v is None else _time(v, path)
    if kind == "span?":
        if v is None:
            return None
        s, e = _pair(v, path, _time)
        if e <= s:
            raise ProblemFormatError(f"{path}[1]", "must be after the start")
        return (s, e)
    if kind == "place":
        if v not in PLACES_IN_VISIT:
            choices = ", ".join(repr(x) for x in PLACES_IN_VISIT)
            raise ProblemFormatError(path, f"expected one of {choices}, got {v!r}")
        return v
    if kind == "str":
        return _str(v, path)
    if kind == "bool":
        if not isinstance(v, bool):
            raise ProblemFormatError(path, f"expected true or false, got {type(v).__name__}")
        return v
    if kind == "mode":
        if v not in MODES:
            raise ProblemFormatError(path, f"expected one of {', '.join(MODES)}, got {v!r}")
        return v
    if kind == "pair":
        return _pair(v, path, _str)
    if kind == "row":  # (group, language, members) of a LanguageChoice
        _list(v, path)
        if len(v) != 3:
            raise ProblemFormatError(path, f"expected 3 items, got {len(v)}")
        return (_int(v[0], f"{path}[0]"), _str(v[1], f"{path}[1]"), _int(v[2], f"{path}[2]"))
    if kind == "lodging":
        return _pair(v, path, _int)
    item = kind[:-2]
    items = _list(v, path)
    out = []
    for k, x in enumerate(items):
        p = f"{path}[{k}]"
        if item == "window":
            obj = _obj(
                Window,
                x,
                p,
                {"start": ("time", ...), "end": ("time", ...), "preferred": ("bool", False)},
            )
            if obj.end <= obj.start:
                raise ProblemFormatError(f"{p}.end", "must be after start")
            out.append(obj)
        elif item == "member":
            obj = _obj(Member, x, p, MEMBER_FIELDS)
            if not obj.follows:
                raise ProblemFormatError(f"{p}.follows", "at least one language")
            if obj.count < 1:
                raise ProblemFormatError(f"{p}.count", "must be >= 1")
            out.append(obj)
        elif item == "busy":
            s, e = _pair(x, p, _time)
            if e <= s:
                raise ProblemFormatError(f"{p}[1]", "must be after the start")
            out.append((s, e))
        else:
            out.append(_value(item, x, p))
    return tuple(out)


def _obj(cls, d, path, fields=None):
    fields = fields or FIELDS[cls]
    if not isinstance(d, dict):
        raise ProblemFormatError(path, f"expected an object, got {type(d).__name__}")
    for key in d:
        if key not in fields:
            raise ProblemFormatError(f"{path}.{key}", "unknown field")
    kwargs = {}
    for name, (kind, default) in fields.items():
        if name not in d:
            if default is ...:
                raise ProblemFormatError(f"{path}.{name}", "required field is missing")
            continue
        kwargs[name] = _value(kind, d[name], f"{path}.{name}")
    return cls(**kwargs)


def problem_from_dict(d: dict) -> Problem:
    if not isinstance(d, dict):
        raise ProblemFormatError("$", "expected an object")
    known = {"format", "travel", "locked", "time_grid", "interpretation", *LISTS}
    for key in d:
        if key not in known:
            raise ProblemFormatError(f"$.{key}", "unknown field")
    if "format" in d and d["format"] != FORMAT:
        raise ProblemFormatError("$.format", f"expected {FORMAT!r}")
    for key in REQUIRED_LISTS:
        if key not in d:
            raise ProblemFormatError(f"$.{key}", "required field is missing")
    parts = {}
    for key, cls in LISTS.items():
        items = _list(d.get(key, []), f"$.{key}")
        parts[key] = tuple(_obj(cls, x, f"$.{key}[{k}]") for k, x in enumerate(items))
    travel = {}
    for k, x in enumerate(_list(d.get("travel", []), "$.travel")):
        t = _obj(dict, x, f"$.travel[{k}]", TRAVEL_FIELDS)
        if t["minutes"] < 0:
            raise ProblemFormatError(f"$.travel[{k}].minutes", "must be >= 0")
        travel[t["from"], t["to"]] = t["minutes"]
    locked = frozenset(_value("int[]", d.get("locked", []), "$.locked"))
    grid = _int(d.get("time_grid", 5), "$.time_grid")
    if not 1 <= grid <= 24 * 60:
        raise ProblemFormatError("$.time_grid", "expected minutes from 1 to 1440")
    _check_times(parts, grid)
    try:
        interpretation = policy.from_json(d.get("interpretation"))
    except policy.RulesError as e:
        path = "$.interpretation" + (f".{e.path}" if e.path else "")
        raise ProblemFormatError(path, e.reason) from None
    return Problem(
        travel=travel, locked=locked, time_grid=grid, interpretation=interpretation, **parts
    )


def _check_times(parts: dict, grid: int) -> None:
    """What the solver would otherwise misread, refused with its path: days that overlap (a
    group would travel between them in no time), a lunch window shorter than the lunch, a
    fixed start off the time grid."""
    days = sorted(enumerate(parts["days"]), key=lambda kd: (kd[1].start, kd[0]))
    for (_j, x), (k, y) in itertools.pairwise(days):
        if y.start < x.end:
            raise ProblemFormatError(
                f"$.days[{k}].start", f"day {y.id} overlaps day {x.id} (which ends at {x.end})"
            )
    for k, day in enumerate(parts["days"]):
        if day.end <= day.start:
            raise ProblemFormatError(f"$.days[{k}].end", "must be after start")
        if day.lunch_min > 0 and day.lunch_end - day.lunch_start < day.lunch_min:
            raise ProblemFormatError(
                f"$.days[{k}].lunch_end",
                f"the lunch window is shorter than the lunch ({day.lunch_min} minutes)",
            )
    for k, a in enumerate(parts["activities"]):
        if a.fixed_start is not None and a.fixed_start % grid:
            raise ProblemFormatError(
                f"$.activities[{k}].fixed_start", f"not on the {grid}-minute time grid"
            )


MEMBER_FIELDS = {"follows": ("str[]", ...), "count": ("int", 1), "preferred": ("str", "")}
TRAVEL_FIELDS = {"from": ("int", ...), "to": ("int", ...), "minutes": ("time", ...)}


def _plain(x):
    if dataclasses.is_dataclass(x):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, (tuple, list, frozenset, set)):
        items = sorted(x) if isinstance(x, (frozenset, set)) else x
        return [_plain(v) for v in items]
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    return x


def problem_to_dict(p: Problem) -> dict:
    out: dict[str, Any] = {"format": FORMAT}
    for key in LISTS:
        out[key] = [_plain(x) for x in getattr(p, key)]
    out["travel"] = [{"from": u, "to": v, "minutes": m} for (u, v), m in sorted(p.travel.items())]
    out["locked"] = sorted(p.locked)
    out["time_grid"] = p.time_grid
    out["interpretation"] = policy.to_dict(p.interpretation)
    return out


def result_to_dict(r: ProgrammeResult) -> dict:
    d = _plain(r)
    d["conflicts"] = [
        {"rule": c.rule, "entities": _plain(c.entities), "params": _plain(c.params)}
        for c in r.conflicts
    ]
    return d


def result_from_dict(d: dict) -> ProgrammeResult:
    if not isinstance(d, dict):
        raise ProblemFormatError("$", "expected an object")
    status = d.get("status", "feasible")
    if status not in STATUSES:
        raise ProblemFormatError("$.status", f"unknown status {status!r}")
    status = SolveStatus(status)
    pls = tuple(
        _obj(Placement, x, f"$.placements[{k}]")
        for k, x in enumerate(_list(d.get("placements", []), "$.placements"))
    )
    asg = tuple(
        _obj(Assignment, x, f"$.assignments[{k}]")
        for k, x in enumerate(_list(d.get("assignments", []), "$.assignments"))
    )
    conflicts = tuple(
        Conflict(
            c["rule"], {k: tuple(v) for k, v in c.get("entities", {}).items()}, c.get("params", {})
        )
        for c in _list(d.get("conflicts", []), "$.conflicts")
    )
    return ProgrammeResult(
        status=status,
        objective=d.get("objective"),
        bound=d.get("bound"),
        gap=d.get("gap"),
        wall_time_s=d.get("wall_time_s", 0.0),
        time_to_first_s=d.get("time_to_first_s"),
        placements=pls,
        assignments=asg,
        unplaced=tuple(_value("int[]", d.get("unplaced", []), "$.unplaced")),
        terms=dict(d.get("terms", {})),
        conflicts=conflicts,
        moved=tuple(_value("int[]", d.get("moved", []), "$.moved")),
        languages=tuple(
            _language_choice(x, f"$.languages[{k}]")
            for k, x in enumerate(_list(d.get("languages", []), "$.languages"))
        ),
    )


def _language_choice(x, path: str) -> LanguageChoice:
    fields = {"activity": ("int", ...), "spoken": ("str", ...), "listening": ("row[]", ())}
    obj = _obj(dict, x, path, fields)
    return LanguageChoice(obj["activity"], obj["spoken"], obj["listening"])


# ---- JSON Schema ---------------------------------------------------------------------------
def _schema_of(kind: str) -> dict:
    if kind == "member":
        return _object_schema(MEMBER_FIELDS)
    simple = {
        "int": {"type": "integer"},
        "int?": {"type": ["integer", "null"]},
        "time": {"type": "integer", "minimum": -HORIZON, "maximum": HORIZON},
        "time?": {"type": ["integer", "null"], "minimum": -HORIZON, "maximum": HORIZON},
        "span?": {
            "type": ["array", "null"],
            "description": "[start, end] minutes",
            "items": {"type": "integer", "minimum": -HORIZON, "maximum": HORIZON},
            "minItems": 2,
            "maxItems": 2,
        },
        "place": {"enum": list(PLACES_IN_VISIT)},
        "str": {"type": "string"},
        "bool": {"type": "boolean"},
        "mode": {"enum": list(MODES)},
        "pair": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "window": {
            "type": "object",
            "additionalProperties": False,
            "required": ["start", "end"],
            "properties": {
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "preferred": {"type": "boolean", "default": False},
            },
        },
        "busy": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "lodging": {
            "type": "array",
            "description": "[day id, venue id]: where the group starts and ends that day",
            "items": {"type": "integer"},
            "minItems": 2,
            "maxItems": 2,
        },
    }
    if kind in simple:
        return simple[kind]
    return {"type": "array", "items": _schema_of(kind[:-2])}


def _object_schema(fields) -> dict:
    props = {}
    for name, (kind, default) in fields.items():
        s = dict(_schema_of(kind))
        if default is not ...:
            s["default"] = list(default) if isinstance(default, tuple) else default
        props[name] = s
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [n for n, (_k, d) in fields.items() if d is ...],
        "properties": props,
    }


def json_schema() -> dict:
    props: dict[str, Any] = {"format": {"const": FORMAT}}
    for key, cls in LISTS.items():
        props[key] = {"type": "array", "items": _object_schema(FIELDS[cls])}
    props["travel"] = {"type": "array", "items": _object_schema(TRAVEL_FIELDS)}
    props["locked"] = {"type": "array", "items": {"type": "integer"}}
    props["time_grid"] = {"type": "integer", "minimum": 1, "maximum": 1440, "default": 5}
    props["interpretation"] = policy.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.org/planner/problem.schema.json",
        "title": "planner programme problem",
        "description": "See docs/problem-format.md. Times are integer minutes from midnight "
        "of the programme's first day.",
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED_LISTS),
        "properties": props,
    }
