"""Sentences a person can act on, from the solver's structured conflicts.

The solver returns rule ids and entity ids (see docs/problem-format.md); this module names the
entities from the database and phrases each rule in the reader's language.
"""

import datetime as dt

from babel.dates import format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from delegations.models import Delegation, Interpreter, SubGroup
from events.models import Activity, Person, Venue, Visit
from planner import i18n
from scheduling.adapters import WHOLE_DELEGATION_OFFSET

# rule id -> sentence; placeholders: activities, hosts, interpreters, groups, days, venues,
# and the rule's own figures (duration, team, mode, ...).
TEMPLATES = {
    "mandatory": N_("%(activities)s must take place, and no time is left for it."),
    "once": N_("%(activities)s can take place only once."),
    "day_window": N_("%(activities)s does not fit inside the programme's days."),
    "time_window": N_("%(activities)s does not fit between its “not before” and “over by” times."),
    "fixed_start": N_("%(activities)s has a fixed start that cannot be kept."),
    "locked": N_("%(activities)s is locked or confirmed at a time that no longer works."),
    "locked_without_previous": N_("%(activities)s is locked but has no previous time."),
    "host_window": N_(
        "%(hosts)s is not available long enough for %(activities)s "
        "(check their availability windows)."
    ),
    "host_no_windows": N_(
        "%(hosts)s has no availability window, so %(activities)s cannot be placed."
    ),
    "host_overlap": N_("%(hosts)s would be in two places at once (%(activities)s)."),
    "venue_overlap": N_("%(venues)s would hold two activities at once (%(activities)s)."),
    "group_travel": N_(
        "%(groups)s cannot get from one venue to the next in time: the travel does not fit "
        "between %(activities)s."
    ),
    "missing_travel": N_("The travel time between %(venues)s is missing."),
    "lunch": N_("%(groups)s has no room for the lunch break on %(days)s."),
    "interpretation": N_("No interpreter covers the languages needed for %(activities)s."),
    "team_strength": N_(
        "%(activities)s needs a team of %(team)s interpreters (%(mode)s) and too few are "
        "available then."
    ),
    # The visit's policy says how many: under conference interpreting, the AIIC table.
    "team_strength_conference": N_(
        "%(activities)s needs a team of %(team)s interpreters (%(mode)s) under conference "
        "interpreting, the visit's policy, and too few are available then; under liaison "
        "interpreting one interpreter per language would do."
    ),
    "whisper_listeners": N_(
        "Whispered interpretation serves at most %(max)s listeners; %(activities)s has more."
    ),
    "interpreter_window": N_("%(interpreters)s is not available for %(activities)s."),
    "interpreter_overlap": N_("%(interpreters)s would interpret two activities at once."),
    "daily_cap": N_("%(interpreters)s would interpret more than their daily limit on %(days)s."),
    "language_choice": N_(
        "%(activities)s would be held in a language its speakers do not use, or a guest "
        "would listen in one they do not follow."
    ),
    "interpreter_rest": N_(
        "%(interpreters)s needs a break of %(rest)s minutes after interpreting for %(stint)s "
        "minutes or more, and the programme leaves none."
    ),
    "phase": N_("The phases of %(groups)s cannot all follow one another in order."),
    "precedence": N_("%(activities)s cannot take place in the required order."),
    "presence": N_("%(activities)s does not fit while %(groups)s is there."),
    "presence_arrives": N_(
        "%(groups)s arrives on %(arrives)s: %(activities)s does not fit after that."
    ),
    "presence_leaves": N_("%(groups)s leaves on %(leaves)s: %(activities)s does not fit before."),
    "presence_both": N_(
        "%(groups)s arrives on %(arrives)s and leaves on %(leaves)s: %(activities)s does not "
        "fit in between."
    ),
    "grid": N_(
        "%(activities)s has no start on the visit's %(grid)s-minute time grid inside its windows."
    ),
    "place_in_visit": N_("%(activities)s cannot be placed first or last of the visit as marked."),
    "day_overlap": N_("The days %(days)s overlap."),
    "logistics": N_("Logistics: %(message)s"),
    "bad_value": N_("The value of “%(field)s” cannot be used (%(value)s)."),
    "no_days": N_("The visit has no days to place activities in."),
    "no_activities": N_("There is nothing to place: add activities first."),
}
GENERIC = N_("A rule of the programme cannot be kept (%(rule)s).")


def _names(conflicts: list[dict], visit: Visit) -> dict[str, dict[int, str]]:
    ids: dict[str, set[int]] = {}
    for conflict in conflicts:
        for kind, values in conflict.get("entities", {}).items():
            ids.setdefault(kind, set()).update(values)
    names = {
        "activity": dict(
            Activity.objects.filter(visit=visit, pk__in=ids.get("activity", ())).values_list(
                "pk", "title"
            )
        ),
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
        names["group"][WHOLE_DELEGATION_OFFSET + delegation.pk] = delegation.name
    names["day"] = {
        index: i18n.full_date(visit.start_date + dt.timedelta(days=index))
        for index in ids.get("day", ())
    }
    # Times the sentences name ("Wednesday 2:00 PM"), minutes from the first midnight.
    origin = dt.datetime.combine(visit.start_date, dt.time())
    locale = i18n.current_locale()
    names["minute"] = {
        m: _("%(weekday)s at %(time)s")
        % {
            "weekday": format_date(origin + dt.timedelta(minutes=m), "EEEE", locale=locale),
            "time": i18n.short_time((origin + dt.timedelta(minutes=m)).time()),
        }
        for conflict in conflicts
        for m in (conflict.get("params", {}).get(k) for k in ("arrives", "leaves"))
        if isinstance(m, int)
    }
    names["horizon"] = {0: (len(visit.days) + 1) * 24 * 60}
    return names


def _presence_variant(conflict: dict, names) -> dict:
    """Say the side that binds: the arrival, the departure or both (a side at the edge of
    the visit is no bound at all)."""
    params = conflict.get("params", {})
    arrives, leaves = params.get("arrives"), params.get("leaves")
    if not isinstance(arrives, int) or not isinstance(leaves, int):
        return conflict
    known = (arrives > 0, leaves < names["horizon"][0])
    rule = {
        (True, True): "presence_both",
        (True, False): "presence_arrives",
        (False, True): "presence_leaves",
    }.get(known, "presence")
    when = {"arrives": names["minute"].get(arrives), "leaves": names["minute"].get(leaves)}
    return {**conflict, "rule": rule, "params": {**params, **when}}


def sentence(conflict: dict, names: dict[str, dict[int, str]]) -> str:
    if conflict.get("rule") == "presence":
        conflict = _presence_variant(conflict, names)

    def listed(kind: str) -> str:
        values = conflict.get("entities", {}).get(kind, ())
        quoted = [
            f"“{names[kind].get(v, v)}”"
            if kind in ("activity", "venue")
            else str(names[kind].get(v, v))
            for v in values
        ]
        return i18n.names(quoted)

    values = {
        "activities": listed("activity"),
        "hosts": listed("host"),
        "interpreters": listed("interpreter"),
        "groups": listed("group"),
        "days": listed("day"),
        "venues": listed("venue"),
        "rule": conflict.get("rule", ""),
        **{k: v for k, v in conflict.get("params", {}).items() if isinstance(v, (int, float, str))},
    }
    rule = conflict.get("rule")
    if rule == "team_strength" and conflict.get("params", {}).get("policy") == "conference":
        rule = "team_strength_conference"
    template = TEMPLATES.get(rule, GENERIC)
    try:
        return _(template) % values
    except (KeyError, ValueError, TypeError):
        return _(GENERIC) % values


def with_sentences(conflicts: list[dict], *, visit: Visit) -> list[dict]:
    if not conflicts:
        return []
    names = _names(conflicts, visit)
    return [{**conflict, "sentence": sentence(conflict, names)} for conflict in conflicts]
