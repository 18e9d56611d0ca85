"""The programme solver: a pure function from a Problem to a ProgrammeResult.

Imports the standard library and OR-Tools only (never Django); see docs/problem-format.md.
"""

from .explain import explain_infeasibility, feasible_when_relaxed
from .model import (
    DEFAULT_TEAM_STRENGTH,
    Activity,
    Assignment,
    Conflict,
    Day,
    Group,
    Host,
    Interpretation,
    Interpreter,
    LanguageChoice,
    Member,
    Params,
    Placement,
    Precedence,
    Problem,
    ProgrammeResult,
    Progress,
    SolveStatus,
    Venue,
    Violation,
    Weights,
    Window,
)
from .prepare import shortest_paths
from .solve import solve_programme
from .validate import validate

__all__ = [
    "DEFAULT_TEAM_STRENGTH",
    "Activity",
    "Assignment",
    "Conflict",
    "Day",
    "Group",
    "Host",
    "Interpretation",
    "Interpreter",
    "LanguageChoice",
    "Member",
    "Params",
    "Placement",
    "Precedence",
    "Problem",
    "ProgrammeResult",
    "Progress",
    "SolveStatus",
    "Venue",
    "Violation",
    "Weights",
    "Window",
    "explain_infeasibility",
    "feasible_when_relaxed",
    "shortest_paths",
    "solve_programme",
    "validate",
]
