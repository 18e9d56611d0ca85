"""Checks shared by the models, forms, API schemas and services (one place for each rule)."""

from __future__ import annotations


def ends_before_start(start, end) -> bool:
    """Whether an interval does not end after it starts (``end <= start``): a window, a slot,
    a day or an answer's time that ends before (or as) it starts. False while either end is
    missing: a required field says so itself. Each caller keeps its own sentence ("The slot
    ends before it starts.")."""
    return start is not None and end is not None and end <= start
