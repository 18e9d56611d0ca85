"""The one "end after start" check that models, forms and services call."""

import datetime as dt

from planner.validators import ends_before_start

NINE, TEN = dt.time(9), dt.time(10)


def test_an_interval_that_ends_before_or_as_it_starts_is_refused():
    assert ends_before_start(TEN, NINE)
    assert ends_before_start(NINE, NINE)
    assert not ends_before_start(NINE, TEN)


def test_a_missing_end_is_left_to_the_required_field():
    assert not ends_before_start(None, TEN)
    assert not ends_before_start(NINE, None)


def test_midnight_is_a_time_like_any_other():
    assert ends_before_start(dt.time(1), dt.time(0))
