"""Sentences a person can act on, from the solver's structured conflicts.

The solver returns rule ids and entity ids (see docs/problem-format.md); this module names the
entities from the database in the reader's language (activity titles per language, dates and
times by Babel) and phrases each rule.

Each rule has several phrasings, the most precise first: the first one whose every placeholder
has a value is used, and the last needs none, so a conflict without entities still reads as a
whole sentence. `with_sentences` phrases each conflict (violations of a move or a publication);
`explained` turns the conflicts of a failed solve into reasons: culprits first, the same reason
once, activities held up by the same cause in one sentence, collateral items left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from babel.dates import format_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from delegations.models import Delegation, Interpreter, SubGroup
from events.models import Activity, Person, Venue, Visit
from planner import i18n
from scheduling.attendance import solver_group
from scheduling.solver.explain import rank


@dataclasses.dataclass(frozen=True)
class Say:
    """One phrasing; `many` when `subject` (an entity kind) names more than one."""

    one: str
    many: str | None = None
    subject: str = "activity"

    def needs(self) -> set[str]:
        return set(re.findall(r"%\((\w+)\)s", self.one))


# An out-of-time solve that names no activity holding it up.
TOO_LARGE = Say(
    N_(
        "The visit is too large to build a programme within the time limit: give the solve "
        "more time, or split the visit into smaller parts."
    )
)

# A presence sentence when its side, its time or its group is unknown.
PRESENCE = (
    Say(N_("%(activities)s does not fit while %(groups)s is there.")),
    Say(N_("%(activities)s does not fit while the delegation is there.")),
    Say(N_("An activity does not fit while the delegation is there.")),
)

# rule id -> phrasings, the most precise first; the last needs no placeholder. Placeholders:
# activities, hosts, interpreters, groups, days, venues, start (a date and time) and the rule's
# own figures (team, mode, ...).
TEMPLATES: dict[str, tuple[Say, ...]] = {
    "mandatory": (
        Say(
            N_("%(activities)s must take place, and no time is left for it."),
            N_("%(activities)s must take place, and no time is left for them."),
        ),
        Say(N_("A mandatory activity has no time left for it.")),
    ),
    "once": (
        Say(
            N_("%(activities)s can take place only once."),
            N_("%(activities)s can each take place only once."),
        ),
        Say(N_("An activity can take place only once.")),
    ),
    "day_window": (
        Say(
            N_("%(activities)s does not fit inside the programme's days."),
            N_("%(activities)s do not fit inside the programme's days."),
        ),
        Say(N_("An activity is longer than any day of the programme.")),
    ),
    "time_window": (
        Say(
            N_("%(activities)s does not fit between its “not before” and “over by” times."),
            N_("%(activities)s do not fit between their “not before” and “over by” times."),
        ),
        Say(N_("An activity does not fit between its “not before” and “over by” times.")),
    ),
    "fixed_start": (
        Say(
            N_("%(activities)s is fixed to start on %(start)s, and that time cannot be kept."),
            N_("%(activities)s are fixed to start on %(start)s, and that time cannot be kept."),
        ),
        Say(
            N_("%(activities)s has a fixed start that cannot be kept."),
            N_("%(activities)s have fixed starts that cannot be kept."),
        ),
        Say(N_("An activity has a fixed start that cannot be kept.")),
    ),
    "locked": (
        Say(
            N_("%(activities)s is locked on %(start)s, a time that no longer works."),
            N_("%(activities)s are locked on %(start)s, a time that no longer works."),
        ),
        Say(
            N_("%(activities)s is locked or confirmed at a time that no longer works."),
            N_("%(activities)s are locked or confirmed at times that no longer work."),
        ),
        Say(N_("An activity is locked or confirmed at a time that no longer works.")),
    ),
    "locked_without_previous": (
        Say(
            N_("%(activities)s is locked but has no previous time."),
            N_("%(activities)s are locked but have no previous time."),
        ),
        Say(N_("An activity is locked but has no previous time.")),
    ),
    "host_window": (
        # The time the activity is fixed or locked at (a pre-check), or moved to (a move).
        Say(
            N_("%(hosts)s is not available for %(activities)s on %(start)s."),
            N_("%(hosts)s are not available together for %(activities)s on %(start)s."),
            subject="host",
        ),
        Say(
            N_(
                "%(hosts)s is not available long enough for %(activities)s "
                "(check their availability windows)."
            ),
            N_(
                "%(hosts)s are not available together long enough for %(activities)s "
                "(check their availability windows)."
            ),
            subject="host",
        ),
        Say(
            N_("%(activities)s does not fit in its hosts' availability windows."),
            N_("%(activities)s do not fit in their hosts' availability windows."),
        ),
        Say(N_("A host is not available long enough for their activity.")),
    ),
    "host_no_windows": (
        Say(
            N_("%(hosts)s has no availability window, so %(activities)s cannot be placed."),
            N_("%(hosts)s has no availability window, so none of %(activities)s can be placed."),
        ),
        Say(
            N_("%(activities)s cannot be placed: one of its hosts has no availability window."),
            N_("%(activities)s cannot be placed: one of their hosts has no availability window."),
        ),
        Say(N_("A host has no availability window, so their activity cannot be placed.")),
    ),
    "host_overlap": (
        Say(N_("%(hosts)s would be in two places at once (%(activities)s).")),
        Say(N_("%(hosts)s would be in two places at once.")),
        Say(N_("A host would be in two places at once (%(activities)s).")),
        Say(N_("A host would be in two places at once.")),
    ),
    "venue_overlap": (
        Say(N_("%(venues)s would hold two activities at once (%(activities)s).")),
        Say(N_("%(venues)s would hold two activities at once.")),
        Say(N_("A venue would hold two activities at once (%(activities)s).")),
        Say(N_("A venue would hold two activities at once.")),
    ),
    "group_travel": (
        Say(
            N_(
                "%(groups)s cannot get from one venue to the next in time: the travel does not "
                "fit between %(activities)s."
            )
        ),
        Say(
            N_(
                "%(groups)s cannot get from one venue to the next in time between its "
                "activities (check the travel times and the fixed or locked times)."
            ),
            N_(
                "%(groups)s cannot get from one venue to the next in time between their "
                "activities (check the travel times and the fixed or locked times)."
            ),
            subject="group",
        ),
        Say(
            N_(
                "The delegation cannot get from one venue to the next in time: the travel does "
                "not fit between %(activities)s."
            )
        ),
        Say(N_("The delegation cannot get from one venue to the next in time.")),
    ),
    "missing_travel": (
        Say(N_("The travel time between %(venues)s is missing.")),
        Say(N_("A travel time between two venues is missing.")),
    ),
    "lunch": (
        Say(N_("%(groups)s has no room for the lunch break on %(days)s.")),
        Say(N_("%(groups)s has no room for the lunch break.")),
        Say(N_("There is no room for the lunch break on %(days)s.")),
        Say(N_("There is no room for the lunch break on one of the days.")),
    ),
    "interpretation": (
        Say(N_("No interpreter covers the languages needed for %(activities)s.")),
        Say(N_("No interpreter covers the languages an activity needs.")),
    ),
    "team_strength": (
        Say(
            N_(
                "%(activities)s needs a team of %(team)s interpreters (%(mode)s) and too few "
                "are available then."
            ),
            N_(
                "%(activities)s each need a team of %(team)s interpreters (%(mode)s) and too "
                "few are available then."
            ),
        ),
        Say(
            N_("%(activities)s is longer than any interpreting team may work (%(mode)s)."),
            N_("%(activities)s are longer than any interpreting team may work (%(mode)s)."),
        ),
        Say(N_("An interpreted activity needs more interpreters than are available then.")),
    ),
    # The visit's policy says how many: under conference interpreting, the AIIC table.
    "team_strength_conference": (
        Say(
            N_(
                "%(activities)s needs a team of %(team)s interpreters (%(mode)s) under "
                "conference interpreting, the visit's policy, and too few are available then; "
                "under liaison interpreting one interpreter per language would do."
            ),
            N_(
                "%(activities)s each need a team of %(team)s interpreters (%(mode)s) under "
                "conference interpreting, the visit's policy, and too few are available then; "
                "under liaison interpreting one interpreter per language would do."
            ),
        ),
        Say(
            N_(
                "An interpreted activity needs a larger team under conference interpreting, "
                "the visit's policy, than is available then; under liaison interpreting one "
                "interpreter per language would do."
            )
        ),
    ),
    "whisper_listeners": (
        Say(
            N_(
                "Whispered interpretation serves at most %(max)s listeners; %(activities)s has more."  # noqa: E501
            ),
            N_(
                "Whispered interpretation serves at most %(max)s listeners; %(activities)s "
                "each have more."
            ),
        ),
        Say(N_("An activity has more listeners than whispered interpretation can serve.")),
    ),
    "interpreter_window": (
        Say(N_("%(interpreters)s is not available for %(activities)s.")),
        Say(N_("%(interpreters)s is not available for their activity.")),
        Say(N_("An interpreter is not available for %(activities)s.")),
        Say(N_("An interpreter is not available for their activity.")),
    ),
    "interpreter_overlap": (
        Say(N_("%(interpreters)s would interpret two activities at once.")),
        Say(N_("An interpreter would interpret two activities at once.")),
    ),
    "daily_cap": (
        Say(N_("%(interpreters)s would interpret more than their daily limit on %(days)s.")),
        Say(N_("%(interpreters)s would interpret more than their daily limit.")),
        Say(N_("An interpreter would interpret more than their daily limit on %(days)s.")),
        Say(N_("An interpreter would interpret more than their daily limit.")),
    ),
    "language_choice": (
        Say(
            N_(
                "%(activities)s would be held in a language its speakers do not use, or a "
                "guest would listen in one they do not follow."
            ),
            N_(
                "%(activities)s would be held in a language their speakers do not use, or a "
                "guest would listen in one they do not follow."
            ),
        ),
        Say(
            N_(
                "An activity would be held in a language its speakers do not use, or a guest "
                "would listen in one they do not follow."
            )
        ),
    ),
    "interpreter_rest": (
        Say(
            N_(
                "%(interpreters)s needs a break of %(rest)s minutes after interpreting for "
                "%(stint)s minutes or more, and the programme leaves none."
            )
        ),
        Say(
            N_(
                "An interpreter needs a break after interpreting for a long time, and the "
                "programme leaves none."
            )
        ),
    ),
    "phase": (
        Say(N_("The phases of %(groups)s cannot all follow one another in order.")),
        Say(N_("The phases of the programme cannot all follow one another in order.")),
    ),
    "precedence": (
        Say(N_("%(activities)s cannot take place in the required order.")),
        Say(N_("Two activities cannot take place in the required order.")),
    ),
    "presence": PRESENCE,
    # The side that binds (see _presence_variant); with the activity's start when known (the
    # fixed or locked time of a pre-check, the placed or moved one of a check).
    "presence_too_late": (
        Say(N_("%(groups)s arrives on %(arrives)s, too late for %(activities)s on %(start)s.")),
        *PRESENCE,
    ),
    "presence_too_early": (
        Say(N_("%(groups)s leaves on %(leaves)s, too early for %(activities)s on %(start)s.")),
        *PRESENCE,
    ),
    "presence_arrives": (
        Say(
            N_("%(groups)s arrives on %(arrives)s: %(activities)s does not fit after that."),
            N_("%(groups)s arrives on %(arrives)s: %(activities)s do not fit after that."),
        ),
        *PRESENCE,
    ),
    "presence_leaves": (
        Say(
            N_("%(groups)s leaves on %(leaves)s: %(activities)s does not fit before."),
            N_("%(groups)s leaves on %(leaves)s: %(activities)s do not fit before."),
        ),
        *PRESENCE,
    ),
    "presence_both": (
        Say(
            N_(
                "%(groups)s arrives on %(arrives)s and leaves on %(leaves)s: %(activities)s "
                "does not fit in between."
            ),
            N_(
                "%(groups)s arrives on %(arrives)s and leaves on %(leaves)s: %(activities)s "
                "do not fit in between."
            ),
        ),
        *PRESENCE,
    ),
    "grid": (
        Say(
            N_(
                "%(activities)s has no start on the visit's %(grid)s-minute time grid inside "
                "its windows."
            ),
            N_(
                "%(activities)s have no start on the visit's %(grid)s-minute time grid inside "
                "their windows."
            ),
        ),
        Say(N_("An activity has no start on the visit's time grid inside its windows.")),
    ),
    "place_in_visit": (
        Say(
            N_("%(activities)s cannot be placed first or last of the visit as marked."),
            N_("%(activities)s cannot all be placed first or last of the visit as marked."),
        ),
        Say(N_("An activity cannot be placed first or last of the visit as marked.")),
    ),
    "day_overlap": (
        Say(N_("The days %(days)s overlap.")),
        Say(N_("Two days of the visit overlap.")),
    ),
    "logistics": (
        Say(N_("Logistics: %(message)s")),
        Say(N_("A logistics check raises a warning.")),
    ),
    "bad_value": (
        Say(N_("The value of “%(field)s” cannot be used (%(value)s).")),
        Say(N_("The value of “%(field)s” cannot be used.")),
        Say(N_("A value of the visit cannot be used.")),
    ),
    "no_days": (Say(N_("The visit has no days to place activities in.")),),
    "no_activities": (Say(N_("There is nothing to place: add activities first.")),),
    "time_limit": (
        # A re-plan names the activity it found no place for (solver: construct.repair).
        Say(
            N_(
                "No new place was found for %(activities)s within the time limit: give the "
                "solve more time, or make room for it by moving or dropping an activity nearby."
            ),
            N_(
                "No new place was found for %(activities)s within the time limit: give the "
                "solve more time, or make room for them by moving or dropping activities nearby."
            ),
        ),
        TOO_LARGE,
    ),
    # A first programme whose insertion found no place for mandatory activities (solver:
    # insert.py): the days may be too full for them.
    "time_limit_first": (
        Say(
            N_(
                "No place was found for %(activities)s within the time limit: the days may be "
                "too full. Make it optional, widen its hosts' availability, or give the solve "
                "more time."
            ),
            N_(
                "No place was found for %(activities)s within the time limit: the days may be "
                "too full. Make some of them optional, widen their hosts' availability, or give "
                "the solve more time."
            ),
        ),
        TOO_LARGE,
    ),
    "unexplained": (
        Say(
            N_(
                "No programme keeps every rule, and no smaller reason was found in the time "
                "the search had."
            )
        ),
    ),
}
GENERIC = (
    Say(N_("A rule of the programme cannot be kept (%(rule)s).")),
    Say(N_("A rule of the programme cannot be kept.")),
)
# An entity kind -> its placeholder.
PLACEHOLDER = {
    "activity": "activities",
    "host": "hosts",
    "interpreter": "interpreters",
    "group": "groups",
    "day": "days",
    "venue": "venues",
}
# Params that are minutes from the visit's first midnight, said as a date and a time.
MOMENTS = ("start", "arrives", "leaves")


def _names(conflicts: list[dict], visit: Visit) -> dict[str, dict]:
    ids: dict[str, set[int]] = {}
    for conflict in conflicts:
        for kind, values in (conflict.get("entities") or {}).items():
            ids.setdefault(kind, set()).update(values or ())
    language = get_language()
    names = {
        # The title as the reader's language puts it (Activity.title_in falls back to title).
        "activity": {
            a.pk: a.title_in(language)
            for a in Activity.objects.filter(visit=visit, pk__in=ids.get("activity", ())).only(
                "pk", "title", "titles"
            )
        },
        "host": dict(
            Person.objects.filter(owner=visit.owner, pk__in=ids.get("host", ())).values_list(
                "pk", "full_name"
            )
        ),
        "interpreter": dict(
            Interpreter.objects.filter(pk__in=ids.get("interpreter", ())).values_list(
                "pk", "person__full_name"
            )
        ),
        "venue": dict(
            Venue.objects.filter(visit=visit, pk__in=ids.get("venue", ())).values_list("pk", "name")
        ),
        "group": dict(
            SubGroup.objects.filter(
                delegation__visit=visit, pk__in=ids.get("group", ())
            ).values_list("pk", "name")
        ),
    }
    for delegation in Delegation.objects.filter(visit=visit):
        names["group"][solver_group(delegation.pk)] = delegation.name
    names["day"] = {
        index: i18n.full_date(visit.start_date + dt.timedelta(days=index))
        for index in ids.get("day", ())
        if isinstance(index, int)
    }
    names["moment"] = {
        m: _moment(visit, m)
        for conflict in conflicts
        for m in ((conflict.get("params") or {}).get(k) for k in MOMENTS)
        if isinstance(m, int) and not isinstance(m, bool)
    }
    # An arrival before the first day's start or a departure after the last day's end is no
    # bound on the programme: the sentence leaves that side out.
    names["bounds"] = {
        "first": visit.day_start.hour * 60 + visit.day_start.minute,
        "last": (len(visit.days) - 1) * 24 * 60 + visit.day_end.hour * 60 + visit.day_end.minute,
    }
    return names


def _moment(visit: Visit, minute: int) -> dict[str, str]:
    """A minute from the first midnight: the weekday and time ("Wednesday at 2:00 PM", said
    of an arrival within the visit) and the full date and time (a lock's or a fixed start's)."""
    when = dt.datetime.combine(visit.start_date, dt.time()) + dt.timedelta(minutes=minute)
    time = i18n.short_time(when.time())
    weekday = format_date(when, "EEEE", locale=i18n.current_locale())
    return {
        "weekday": _("%(weekday)s at %(time)s") % {"weekday": weekday, "time": time},
        "date": _("%(date)s at %(time)s") % {"date": i18n.full_date(when.date()), "time": time},
    }


def _presence_variant(conflict: dict, names) -> str:
    """Say the side that binds: the arrival, the departure or both (a side at the edge of
    the visit is no bound at all); the activity's start, when known, said with its date."""
    params = conflict.get("params") or {}
    arrives, leaves = params.get("arrives"), params.get("leaves")
    if not isinstance(arrives, int) or not isinstance(leaves, int):
        return "presence"
    start, duration = params.get("start"), params.get("duration")
    if isinstance(start, int):
        if start < arrives:
            return "presence_too_late"
        if isinstance(duration, int) and start + duration > leaves:
            return "presence_too_early"
    bounds = names.get("bounds") or {"first": 0, "last": leaves + 1}
    known = (arrives > bounds["first"], leaves < bounds["last"])
    return {
        (True, True): "presence_both",
        (True, False): "presence_arrives",
        (False, True): "presence_leaves",
    }.get(known, "presence")


def _rule(conflict: dict, names) -> str:
    rule = conflict.get("rule") or ""
    if rule == "presence":
        return _presence_variant(conflict, names)
    params = conflict.get("params") or {}
    if rule == "team_strength" and params.get("policy") == "conference":
        return "team_strength_conference"
    if rule == "time_limit" and params.get("first"):
        return "time_limit_first"
    return rule


def _values(conflict: dict, names) -> tuple[dict[str, str], dict[str, int]]:
    """The placeholders' texts ("" when unknown) and how many entities each kind names."""
    entities = conflict.get("entities") or {}

    def listed(kind: str) -> str:
        quoted = []
        for v in entities.get(kind) or ():
            name = names.get(kind, {}).get(v)
            if not name:
                continue  # an entity deleted since the solve: left out, not shown as an id
            quoted.append(f"“{name}”" if kind in ("activity", "venue") else str(name))
        return i18n.names(quoted)

    values = {placeholder: listed(kind) for kind, placeholder in PLACEHOLDER.items()}
    counts = {kind: len(entities.get(kind) or ()) for kind in PLACEHOLDER}
    for key, value in (conflict.get("params") or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)) or value == "":
            continue
        values[key] = str(value)
    for key in MOMENTS:
        moment = names.get("moment", {}).get((conflict.get("params") or {}).get(key))
        if moment:
            values[key] = moment["date" if key == "start" else "weekday"]
    if "mode" in values:
        values["mode"] = str(dict(Activity.Interpretation.choices).get(values["mode"], ""))
    values["rule"] = conflict.get("rule") or ""
    return values, counts


def _phrase(rule: str, values: dict[str, str], counts: dict[str, int]) -> str:
    for say in TEMPLATES.get(rule, GENERIC):
        if all(values.get(key) for key in say.needs()):
            template = say.many if say.many and counts.get(say.subject, 0) > 1 else say.one
            text = _(template) % {k: v for k, v in values.items()}
            return text[:1].upper() + text[1:]
    return _(GENERIC[-1].one)


def sentence(conflict: dict, names: dict[str, dict]) -> str:
    values, counts = _values(conflict, names)
    return _phrase(_rule(conflict, names), values, counts)


def _key(conflict: dict) -> tuple:
    """The rule and its entities: the same rule on the same people and activities."""
    entities = conflict.get("entities") or {}
    return (conflict.get("rule"), tuple(sorted((k, tuple(v or ())) for k, v in entities.items())))


def with_sentences(conflicts: list[dict], *, visit: Visit) -> list[dict]:
    """Each conflict with its sentence; the same rule on the same entities is said once."""
    if not conflicts:
        return []
    names = _names(conflicts, visit)
    out, keys, sentences = [], set(), set()
    for conflict in conflicts:
        text = sentence(conflict, names)
        key = _key(conflict)
        if key in keys or text in sentences:
            continue
        keys.add(key)
        sentences.add(text)
        out.append({**conflict, "sentence": text})
    return out


def _collateral(conflict: dict, others: list[dict]) -> bool:
    """An item a more direct cause already explains: "must take place" of an activity another
    reason names; "no interpreter covers" of one whose team is named as too small."""
    rule = conflict.get("rule")
    activities = set((conflict.get("entities") or {}).get("activity") or ())
    if not activities or rule not in ("mandatory", "once", "interpretation"):
        return False
    direct = (
        {"team_strength", "whisper_listeners"}
        if rule == "interpretation"
        else {c.get("rule") for c in others} - {"mandatory", "once"}
    )
    named = {
        a
        for c in others
        if c is not conflict and c.get("rule") in direct
        for a in (c.get("entities") or {}).get("activity") or ()
    }
    return activities <= named


def explained(conflicts: list[dict], *, visit: Visit) -> list[dict]:
    """Why there is no programme, for the reader: culprits first (rules an organiser sets
    before the resources they strain and before "must take place"), items a more direct cause
    explains left out, activities held up by the same cause in one sentence, no reason twice.
    Each item keeps its rule, its entities (merged when grouped) and its params."""
    if not conflicts:
        return []
    names = _names(conflicts, visit)
    kept = [c for c in conflicts if not _collateral(c, conflicts)] or list(conflicts)
    groups: dict[tuple, dict] = {}
    for order, conflict in enumerate(kept):
        values, counts = _values(conflict, names)
        rule = _rule(conflict, names)
        # Two items are one reason when they read the same apart from their activities.
        shape = _phrase(rule, {**values, "activities": "\x00"}, {**counts, "activity": 1})
        key = (rule, shape if values["activities"] else (shape, order))
        item = groups.setdefault(
            key,
            {
                "conflict": {**conflict, "entities": dict(conflict.get("entities") or {})},
                "values": values,
                "counts": counts,
                "rule": rule,
                "order": order,
            },
        )
        if item["order"] != order:
            entities = item["conflict"]["entities"]
            merged = list(dict.fromkeys([*entities.get("activity", ()), *_activities(conflict)]))
            entities["activity"] = merged
            item["counts"]["activity"] = len(merged)
            item["values"]["activities"] = _values(item["conflict"], names)[0]["activities"]
    items = sorted(groups.values(), key=lambda i: (rank(i["conflict"].get("rule", "")), i["order"]))
    out, said = [], set()
    for item in items:
        text = _phrase(item["rule"], item["values"], item["counts"])
        if text in said:
            continue
        said.add(text)
        out.append({**item["conflict"], "sentence": text})
    return out


def _activities(conflict: dict) -> list[int]:
    return list((conflict.get("entities") or {}).get("activity") or ())
