"""The shape of a visit's interpretation rules, checked where the organiser enters them.

What the rules mean, and each policy's defaults, belong to the solver
(scheduling/solver/policy.py, docs/problem-format.md "Interpretation policy"). This app sits
below scheduling and may not import it, and an organiser's error needs a sentence in their
language rather than the solver's path: so the check is made here too, with the same keys
and bounds (tests/events/test_interpretation.py keeps the two equal).
"""

from django.utils.translation import gettext as _

MODES = ("simultaneous", "consecutive", "whispered")
# key -> (lowest, highest); daily_limit may also be null (each interpreter's own cap).
BOUNDS = {
    "whisper_max_listeners": (1, 10),
    "daily_limit": (30, 720),
    "long_stint": (0, 480),
    "min_break": (0, 240),
}
TEAM_MINUTES, TEAM_SIZE = (1, 24 * 60), (1, 10)
RULE_KEYS = ("team_strength", *BOUNDS)
# A break follows a stint of this length by default: liaison has one, conference none.
DEFAULT_LONG_STINT = {"liaison": 90, "conference": 0}


def _number(value, lo: int, hi: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return _("a whole number is expected")
    if not lo <= value <= hi:
        return _("between %(lo)d and %(hi)d is expected") % {"lo": lo, "hi": hi}
    return None


def _table_errors(value) -> list[str]:
    if not isinstance(value, dict):
        return [_("team_strength: a table per mode is expected")]
    out = []
    for mode, rows in value.items():
        if mode not in MODES:
            problem = _("team_strength: “%(mode)s” is not an interpretation mode")
            out.append(problem % {"mode": mode})
            continue
        if not isinstance(rows, list) or not rows:
            out.append(
                _("team_strength.%(mode)s: rows of [minutes, interpreters] are expected")
                % {"mode": mode}
            )
            continue
        last = None
        for k, row in enumerate(rows):
            where = f"team_strength.{mode}[{k}]"
            if not isinstance(row, list) or len(row) != 2:
                out.append(_("%(where)s: [minutes, interpreters] is expected") % {"where": where})
                break
            problem = _number(row[0], *TEAM_MINUTES) or _number(row[1], *TEAM_SIZE)
            if problem:
                out.append(f"{where}: {problem}")
                break
            if last is not None and row[0] <= last[0]:
                out.append(
                    _("%(where)s: each row must be for longer activities than the one before")
                    % {"where": where}
                )
                break
            if last is not None and row[1] < last[1]:
                out.append(
                    _("%(where)s: a longer activity cannot need fewer interpreters")
                    % {"where": where}
                )
                break
            last = row
    return out


def rules_errors(policy: str, rules) -> list[str]:
    """What is wrong with `rules` under `policy` (empty: nothing), one sentence each."""
    if not isinstance(rules, dict):
        return [_("The rules must be a set of named numbers.")]
    out = []
    for key, value in rules.items():
        if key not in RULE_KEYS:
            out.append(_("“%(key)s” is not an interpretation rule.") % {"key": key})
        elif key == "team_strength":
            out += _table_errors(value)
        elif not (key == "daily_limit" and value is None):
            problem = _number(value, *BOUNDS[key])
            if problem:
                out.append(f"{key}: {problem}")
    stint = rules.get("long_stint", DEFAULT_LONG_STINT.get(policy, 0))
    if not out and rules.get("min_break") and not stint:
        out.append(_("min_break: a break needs the length of the stint it follows (long_stint)"))
    return out
