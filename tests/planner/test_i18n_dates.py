"""The one date-time family of planner.i18n: a day in full and a time (or times)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from planner import i18n
from planner.templatetags.planner_i18n import when

PARIS = ZoneInfo("Europe/Paris")
# 07:30 UTC on 21 April 2009 is 09:30 in Paris.
INSTANT = dt.datetime(2009, 4, 21, 7, 30, tzinfo=dt.UTC)


def test_day_time_is_the_full_day_then_the_short_time_in_the_zone():
    assert i18n.day_time(INSTANT, PARIS, "en") == "Tuesday, April 21, 2009, 9:30\u202fAM"
    assert i18n.day_time(INSTANT, PARIS, "fr", sep=" ") == "mardi 21 avril 2009 09:30"


def test_day_time_without_zone_is_in_the_active_time_zone_as_the_template_filter():
    with timezone.override(PARIS):
        assert i18n.day_time(INSTANT, locale="en") == "Tuesday, April 21, 2009, 9:30\u202fAM"


def test_day_time_range_is_the_full_day_then_the_times():
    end = INSTANT + dt.timedelta(hours=2)
    assert i18n.day_time_range(INSTANT, end, PARIS, "fr") == (
        f"mardi 21 avril 2009, {i18n.time_range(INSTANT, end, PARIS, 'fr')}"
    )


def test_the_when_filter_reads_the_active_language_and_time_zone(settings):
    from django.utils import translation

    with translation.override("en"), timezone.override(PARIS):
        assert when(INSTANT) == i18n.day_time(INSTANT, PARIS, "en")
    assert when(None) == ""
