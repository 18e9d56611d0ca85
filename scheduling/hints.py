"""What the programme solver is told by the apps above scheduling (the logistics: when the
guests are there, where each group sleeps), without scheduling importing them.

A higher app registers the function that computes a visit's hints in its ``AppConfig.ready``
(``hints_provider_set``); ``problem_from_visit`` takes hints as an argument and, when none are
given, asks ``visit_hints``. One registered function rather than a signal: there is exactly
one answer to merge, and the callers that start a solve (services, API, selectors) are in
scheduling too, so they could not pass the logistics' hints themselves without importing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

Bounds = tuple[dt.datetime | None, dt.datetime | None]


@dataclass(frozen=True)
class SolverHints:
    """``windows``: per activity, when the guests it requires are all there (from the end of
    their pick-up to the start of their drop-off), as aware datetimes, None for unbounded.
    ``lodging``: per sub-group id and per delegation id (``"subgroup"``/``"delegation"``),
    the venue each day starts from, by day index: where most of its guests slept the night
    before (on their first day, where they sleep that night). The solver models one lodging
    per day, so a day that ends elsewhere still ends at its start depot there.
    """

    windows: dict[int, Bounds] = field(default_factory=dict)
    lodging: dict[tuple[str, int], dict[int, int]] = field(default_factory=dict)
    # Per sub-group / delegation (keys as in ``lodging``): when all its guests are there,
    # from the last one's end of arrival transfer to the first one's start of departure
    # transfer; None on a side no guest's journey or arrival/departure says.
    presence: dict[tuple[str, int], Bounds] = field(default_factory=dict)


_provider: Callable[..., SolverHints] | None = None


def hints_provider_set(provider: Callable[..., SolverHints] | None) -> None:
    """Register ``provider(visit=...) -> SolverHints`` (None: no hints)."""
    global _provider
    _provider = provider


def visit_hints(visit) -> SolverHints:
    """The registered provider's hints for ``visit``; empty ones when none is registered."""
    return _provider(visit=visit) if _provider is not None else SolverHints()
