"""Hard rules, one `add_<rule>` per rule id (see docs/problem-format.md)."""

from .activities import (
    add_day_window,
    add_fixed_start,
    add_locked,
    add_mandatory,
    add_phase,
    add_precedence,
    add_time_window,
)
from .bounds import add_redundant
from .cliques import add_cliques
from .groups import add_group_travel, add_lunch, add_venue_overlap
from .hosts import add_host_overlap, add_host_window
from .interpreters import (
    add_daily_cap,
    add_interpretation,
    add_interpreter_overlap,
    add_interpreter_window,
)
from .placement import add_place_in_visit, add_presence
from .rest import add_interpreter_rest

ALL_RULES = (
    add_mandatory,
    add_day_window,
    add_time_window,
    add_fixed_start,
    add_locked,
    add_host_window,
    add_host_overlap,
    add_group_travel,
    add_lunch,
    add_venue_overlap,
    add_interpretation,
    add_interpreter_window,
    add_interpreter_overlap,
    add_daily_cap,
    add_interpreter_rest,
    add_phase,
    add_precedence,
    add_presence,
    add_place_in_visit,
    add_cliques,  # redundant: at most one per resource and common minute
    add_redundant,  # last: links the circuits' travel to its lower bound
)
