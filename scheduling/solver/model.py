"""Input and output data of the programme solver.

Everything is a frozen dataclass with integer ids and integer minutes, minute 0 being midnight
of the programme's first day. No time zones, no locale, no ORM: the Django side converts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

MODES = ("simultaneous", "consecutive", "whispered")


class SolveStatus(StrEnum):
    """What a solve ended with (docs/problem-format.md, `status`). A `str`: each member equals
    its value ("optimal" == SolveStatus.OPTIMAL) and is written as it in JSON."""

    OPTIMAL = "optimal"  # proven
    FEASIBLE = "feasible"  # a programme, optimality not proven
    INFEASIBLE = "infeasible"  # no programme; the conflicts say why
    UNKNOWN = "unknown"  # time ran out (or the solve was cancelled) before any programme
    INVALID = "invalid"  # bad data; the conflicts say what

    @property
    def has_programme(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


STATUSES = tuple(s.value for s in SolveStatus)
PLACES_IN_VISIT = ("", "first", "last")
# No time in a problem lies beyond a year from minute 0 (or before minus a year: other
# visits' busy times): a bound every figure the model derives from it stays far inside
# CP-SAT's 64-bit integers, and that catches a unit mistake (seconds, epoch) as a data error.
HORIZON = 366 * 24 * 60
# Every other integer (durations, values, sizes, caps) holds in 32 bits.
INT32 = 2**31 - 1


@dataclass(frozen=True)
class Day:
    """A programme day. Activities (and the legs from/to lodging) fit in [start, end].

    Lunch: a break of `lunch_min` minutes must fit inside [lunch_start, lunch_end] for every
    group, overlapping no activity of that group except `meal` activities (a working lunch
    is the lunch). `lunch_min=0` disables it. `soft_end` (optional) is when the day should
    end; finishing later costs the `late` term.
    """

    id: int
    start: int
    end: int
    lunch_start: int = 0
    lunch_end: int = 0
    lunch_min: int = 0
    soft_end: int | None = None


@dataclass(frozen=True)
class Venue:
    """A place. `exclusive` venues (meeting rooms) hold one activity at a time."""

    id: int
    name: str = ""
    exclusive: bool = False


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    preferred: bool = False


@dataclass(frozen=True)
class Host:
    """Someone who must be present. `busy` intervals are taken elsewhere (other delegations)."""

    id: int
    name: str = ""
    windows: tuple[Window, ...] = ()
    busy: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Member:
    """`count` members of a group who follow any of `follows` (at a working level) and would
    rather listen in `preferred` ("" : no preference)."""

    follows: tuple[str, ...]
    count: int = 1
    preferred: str = ""


@dataclass(frozen=True)
class Group:
    """A sub-group of the delegation. With `members`, each member listens in one language they
    follow, chosen by the solver (docs/problem-format.md, "Languages as choices"); without,
    `languages` are the languages its `size` members need, each one not spoken at an
    activity needing interpretation into it (the format before choices).

    Each day's first leg starts from, and its last leg ends at, the day's lodging:
    `lodging_by_day` pairs (day id, venue id) for nights elsewhere (a tour); a day not
    listed uses `lodging_venue` (None: no lodging legs that day)."""

    id: int
    name: str = ""
    languages: tuple[str, ...] = ()
    lodging_venue: int | None = None
    size: int = 1
    lodging_by_day: tuple[tuple[int, int], ...] = ()
    # (start, end): from the end of the arrival transfer to the start of the departure one;
    # every activity of the group lies inside it. None: there the whole programme.
    presence: tuple[int, int] | None = None
    members: tuple[Member, ...] = ()

    def lodging_on(self, day_id: int) -> int | None:
        """The venue the group starts and ends day `day_id` at (None: no lodging legs)."""
        for did, venue in self.lodging_by_day:
            if did == day_id:
                return venue
        return self.lodging_venue


@dataclass(frozen=True)
class Activity:
    """Something to place. `groups=()` means the whole delegation (every group).

    `earliest` bounds the start, `latest` bounds the end. `phase` orders activities per group
    (None: unordered). `two_way`: guests speak too, so their languages must also be rendered
    into a spoken language. `meal` activities may take the place of the lunch break.
    """

    id: int
    name: str = ""
    duration: int = 60
    venue: int = 0
    hosts: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    groups: tuple[int, ...] = ()
    mandatory: bool = True
    value: int = 0
    earliest: int | None = None
    latest: int | None = None
    phase: int | None = None
    fixed_start: int | None = None
    interpretation_mode: str = "consecutive"
    two_way: bool = False
    meal: bool = False
    # 'first': ends before any other activity of the visit starts (the welcome); 'last':
    # starts after every other one ends (the closing); '': anywhere.
    place_in_visit: str = ""
    # A meal's lunch is a break for the interpreters too (not interpreted, not counted in
    # their day) unless the organiser marks it a working lunch.
    working_lunch: bool = False


@dataclass(frozen=True)
class Precedence:
    """If both are placed, `after` starts at least `min_gap` minutes after `before` ends."""

    before: int
    after: int
    min_gap: int = 0


@dataclass(frozen=True)
class Interpreter:
    id: int
    name: str = ""
    directions: tuple[tuple[str, str], ...] = ()
    modes: tuple[str, ...] = MODES
    windows: tuple[Window, ...] = ()
    daily_cap: int = 360
    home_venue: int | None = None
    busy: tuple[tuple[int, int], ...] = ()  # taken elsewhere, like Host.busy


@dataclass(frozen=True)
class Placement:
    activity: int
    day: int
    start: int


@dataclass(frozen=True)
class LanguageChoice:
    """An activity's languages: the one spoken and, per group, the languages its members
    listen in, as (group, language, members) rows; a language other than `spoken` is
    interpreted into."""

    activity: int
    spoken: str
    listening: tuple[tuple[int, str, int], ...] = ()


@dataclass(frozen=True)
class Assignment:
    activity: int
    interpreter: int
    direction: tuple[str, str]


# (max duration in minutes, interpreters) per mode, after AIIC; consecutive gets +1 per
# language beyond two ("at least 2 for two languages, 3 for three").
DEFAULT_TEAM_STRENGTH: dict[str, tuple[tuple[int, int], ...]] = {
    "simultaneous": ((40, 1), (240, 2), (360, 3), (480, 4)),
    "consecutive": ((40, 1), (480, 2)),
    "whispered": ((40, 1), (240, 2), (360, 3), (480, 4)),
}
POLICIES = ("liaison", "conference")


@dataclass(frozen=True)
class Interpretation:
    """How the visit is interpreted (docs/problem-format.md, "Interpretation policy").

    'conference': team strength after AIIC (`team_strength`, per mode: (max minutes,
    interpreters) rows). 'liaison' (a site visit): one interpreter per need for consecutive
    and whispered activities (simultaneous keeps the table: a booth is conference work),
    at most `daily_limit` interpreted minutes a day, and after an activity of `long_stint`
    interpreted minutes or more, `min_break` minutes before the interpreter's next one.
    `policy.interpretation(policy, rules)` gives each policy's defaults."""

    policy: str = "conference"
    team_strength: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = tuple(
        DEFAULT_TEAM_STRENGTH.items()
    )
    whisper_max_listeners: int = 3
    daily_limit: int | None = None  # None: each interpreter's own daily_cap only
    long_stint: int = 0  # 0: no rest rule
    min_break: int = 0

    def table(self, mode: str) -> tuple[tuple[int, int], ...]:
        return dict(self.team_strength).get(mode, ())


@dataclass(frozen=True)
class Problem:
    days: tuple[Day, ...]
    venues: tuple[Venue, ...]
    travel: dict[tuple[int, int], int]
    hosts: tuple[Host, ...]
    groups: tuple[Group, ...]
    activities: tuple[Activity, ...]
    precedences: tuple[Precedence, ...] = ()
    interpreters: tuple[Interpreter, ...] = ()
    previous: tuple[Placement, ...] = ()
    previous_assignments: tuple[Assignment, ...] = ()
    locked: frozenset[int] = frozenset()
    # Every start is a multiple of this many minutes (minute 0 is midnight of the first day,
    # so multiples are round wall-clock times); 1: no grid. A locked start off the grid (a
    # version made before) keeps its time.
    time_grid: int = 5
    interpretation: Interpretation = Interpretation()


@dataclass(frozen=True)
class Weights:
    """Objective weights (minimised: every term except `value` is a cost).

    `moves` dominates: one moved activity costs more than any realistic sum of comfort terms,
    so a re-plan moves as little as possible before it optimises anything else.
    """

    moves: int = 100_000
    value: int = 100
    preferred: int = 30
    travel: int = 1
    late: int = 2
    balance: int = 1
    interpreter_spread: int = 1
    # Languages as choices: each interpretation (target language of an activity) beyond the
    # fewest that activity could need, and each member not listening in their preferred
    # language. The first is worth an hour of spread, so fewer interpreters come first.
    interpretations: int = 100
    language: int = 1


@dataclass(frozen=True)
class Params:
    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 0
    deterministic: bool = False
    relative_gap: float = 0.0
    weights: Weights = field(default_factory=Weights)
    # Set from another thread to cancel a running solve (the best solution so far is kept).
    stop: threading.Event | None = None
    explain: bool = True
    explain_time_limit_s: float = 10.0
    # 'lexicographic': everything but travel first (pairwise encoding, proves fast), then
    # travel with the first value as a bound (circuits); 'weighted': one solve of the sum
    # with the `sequencing` encoding. See docs/problem-format.md for the measurements.
    strategy: str = "lexicographic"
    stage1_share: float = 0.5
    # 'circuit' (per group and day, exact travel), 'pairwise' (disjunctions, travel cost not
    # modelled) or 'both'; used by the 'weighted' strategy.
    sequencing: str = "circuit"
    # Raw CP-SAT parameters (name -> value) for experiments, applied last.
    cp_sat: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    objective: float
    bound: float
    gap: float
    elapsed_s: float
    solutions: int


@dataclass(frozen=True)
class Conflict:
    """One rule instance that takes part in making the problem infeasible (or a data error).

    `entities` maps a kind ('activity', 'host', 'group', 'interpreter', 'day', 'venue') to ids;
    `params` carries the figures a sentence needs (minutes, languages, ...)."""

    rule: str
    entities: dict[str, tuple[int, ...]] = field(default_factory=dict)
    params: dict = field(default_factory=dict)


Violation = Conflict


@dataclass(frozen=True)
class ProgrammeResult:
    status: str
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    wall_time_s: float = 0.0
    time_to_first_s: float | None = None
    placements: tuple[Placement, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    unplaced: tuple[int, ...] = ()
    terms: dict[str, int] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    moved: tuple[int, ...] = ()
    languages: tuple[LanguageChoice, ...] = ()


ProgressCallback = Callable[[Progress], None]
