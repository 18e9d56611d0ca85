"""The visit's interpretation policy: its defaults, the shape of its rules, and the figures
the model, the greedy, the pre-checks and the validator take from it (one place each).

`rules` is what an organiser changes (the visit's `interpretation_rules`, the problem JSON's
`interpretation` object without `policy`): only the numbers that differ from the policy's
defaults. Pure: no Django, no CP-SAT.
"""

from __future__ import annotations

from .model import DEFAULT_TEAM_STRENGTH, MODES, POLICIES, Activity, Day, Interpretation

# Each policy's numbers when its rules leave them out.
DEFAULTS: dict[str, dict] = {
    "liaison": {
        "team_strength": DEFAULT_TEAM_STRENGTH,
        "whisper_max_listeners": 3,
        "daily_limit": 360,
        "long_stint": 90,
        "min_break": 30,
    },
    "conference": {
        "team_strength": DEFAULT_TEAM_STRENGTH,
        "whisper_max_listeners": 3,
        "daily_limit": None,
        "long_stint": 0,
        "min_break": 0,
    },
}
# (lowest, highest) accepted for each number: an organiser's typo (3600 for 360) is refused.
BOUNDS = {
    "whisper_max_listeners": (1, 10),
    "daily_limit": (30, 720),
    "long_stint": (0, 480),
    "min_break": (0, 240),
    "team_minutes": (1, 24 * 60),
    "team_size": (1, 10),
}
RULE_KEYS = tuple(DEFAULTS["liaison"])


class RulesError(ValueError):
    """A rules dict of the wrong shape; `path` names the key (`team_strength.consecutive[1]`)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path, self.reason = path, reason


def _int(value, path: str, key: str, none_ok: bool = False) -> int | None:
    if value is None and none_ok:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(path, f"expected an integer, got {type(value).__name__}")
    lo, hi = BOUNDS[key]
    if not lo <= value <= hi:
        raise RulesError(path, f"must be between {lo} and {hi}")
    return value


def _table(value, path: str) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    if not isinstance(value, dict):
        raise RulesError(path, f"expected an object, got {type(value).__name__}")
    out = dict(DEFAULT_TEAM_STRENGTH)
    for mode, rows in value.items():
        p = f"{path}.{mode}"
        if mode not in MODES:
            raise RulesError(p, f"expected one of {', '.join(MODES)}")
        if not isinstance(rows, (list, tuple)) or not rows:
            raise RulesError(p, "expected a non-empty array of [minutes, interpreters]")
        parsed = []
        for k, row in enumerate(rows):
            q = f"{p}[{k}]"
            if not isinstance(row, (list, tuple)) or len(row) != 2:
                raise RulesError(q, "expected [minutes, interpreters]")
            minutes = _int(row[0], f"{q}[0]", "team_minutes")
            team = _int(row[1], f"{q}[1]", "team_size")
            if parsed and minutes <= parsed[-1][0]:
                raise RulesError(f"{q}[0]", "must be longer than the row before")
            if parsed and team < parsed[-1][1]:
                raise RulesError(f"{q}[1]", "a longer activity cannot need fewer interpreters")
            parsed.append((minutes, team))
        out[mode] = tuple(parsed)
    return tuple((mode, out[mode]) for mode in MODES if mode in out)


def interpretation(policy: str = "conference", rules: dict | None = None) -> Interpretation:
    """The policy with its defaults, overridden by `rules` (checked: RulesError)."""
    if policy not in POLICIES:
        raise RulesError("policy", f"expected one of {', '.join(POLICIES)}, got {policy!r}")
    rules = {} if rules is None else rules
    if not isinstance(rules, dict):
        raise RulesError("", f"expected an object, got {type(rules).__name__}")
    for key in rules:
        if key not in RULE_KEYS:
            raise RulesError(str(key), "unknown rule")
    values = {**DEFAULTS[policy], **rules}
    out = Interpretation(
        policy=policy,
        team_strength=_table(values["team_strength"], "team_strength"),
        whisper_max_listeners=_int(
            values["whisper_max_listeners"], "whisper_max_listeners", "whisper_max_listeners"
        ),
        daily_limit=_int(values["daily_limit"], "daily_limit", "daily_limit", none_ok=True),
        long_stint=_int(values["long_stint"], "long_stint", "long_stint"),
        min_break=_int(values["min_break"], "min_break", "min_break"),
    )
    if out.min_break and not out.long_stint:
        raise RulesError("long_stint", "a break needs the length of the stint it follows")
    return out


def rules_of(interp: Interpretation) -> dict:
    """The numbers that differ from the policy's defaults (what the JSON and the visit keep)."""
    full = {
        "team_strength": dict(interp.team_strength),
        "whisper_max_listeners": interp.whisper_max_listeners,
        "daily_limit": interp.daily_limit,
        "long_stint": interp.long_stint,
        "min_break": interp.min_break,
    }
    base = DEFAULTS.get(interp.policy, DEFAULTS["conference"])
    out = {}
    for key, value in full.items():
        if key == "team_strength":
            changed = {m: [list(r) for r in rows] for m, rows in value.items()}
            if value != base[key]:
                out[key] = changed
        elif value != base[key]:
            out[key] = value
    return out


def to_dict(interp: Interpretation) -> dict:
    return {"policy": interp.policy, **rules_of(interp)}


def team_size(interp: Interpretation, mode: str, duration: int, n_languages: int) -> int | None:
    """Interpreters needed per need (simultaneous/whispered) or per activity (consecutive).
    None when the duration exceeds the table (no team can interpret that long). Liaison:
    one interpreter per need for consecutive and whispered activities, whatever the length
    (the daily limit and the breaks bound it)."""
    if interp.policy == "liaison" and mode in ("consecutive", "whispered"):
        return 1
    for max_minutes, team in interp.table(mode):
        if duration <= max_minutes:
            if mode == "consecutive":
                team += max(0, n_languages - 2)
            return team
    return None


def interpreted_minutes(a: Activity, day: Day | None) -> int:
    """Minutes of `a` that are interpreted on `day`: a meal's lunch (the day's `lunch_min`)
    is a break unless it is a working lunch."""
    if a.meal and not a.working_lunch and day is not None:
        return max(0, a.duration - day.lunch_min)
    return a.duration


def daily_cap(interp: Interpretation, own_cap: int) -> int:
    """An interpreter's interpreted minutes per day: their own cap within the policy's limit."""
    if interp.daily_limit is None:
        return own_cap
    return min(own_cap, interp.daily_limit)


def rest_after(interp: Interpretation, minutes: int) -> int:
    """The break an interpreter needs after interpreting `minutes` in one go."""
    if interp.long_stint and interp.min_break and minutes >= interp.long_stint:
        return interp.min_break
    return 0


def from_json(value) -> Interpretation:
    """The problem JSON's `interpretation` object: `policy` and the rules that differ."""
    if value is None:
        return Interpretation()
    if not isinstance(value, dict):
        raise RulesError("", f"expected an object, got {type(value).__name__}")
    rules = {k: v for k, v in value.items() if k != "policy"}
    return interpretation(value.get("policy", "conference"), rules)


def json_schema() -> dict:
    rows = {
        "type": "array",
        "description": "[[max minutes, interpreters], ...], longest last",
        "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "minItems": 1,
    }

    def number(key: str) -> dict:
        lo, hi = BOUNDS[key]
        return {"type": "integer", "minimum": lo, "maximum": hi}

    return {
        "type": "object",
        "additionalProperties": False,
        "description": "The visit's interpretation policy; numbers left out take the "
        "policy's defaults (docs/problem-format.md).",
        "properties": {
            "policy": {"enum": list(POLICIES), "default": "conference"},
            "team_strength": {
                "type": "object",
                "additionalProperties": False,
                "properties": {mode: rows for mode in MODES},
            },
            "whisper_max_listeners": number("whisper_max_listeners"),
            "daily_limit": {**number("daily_limit"), "type": ["integer", "null"]},
            "long_stint": number("long_stint"),
            "min_break": number("min_break"),
        },
    }
