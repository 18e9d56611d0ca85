"""The project's settings, plus what the feed benchmark serves beside the feeds: the same
bytes as a static file (WhiteNoise, as in production) and a django-ical feed."""

import os

from planner.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.feeds.urls"
# WhiteNoise serves the files of this directory at the site's root, like robots.txt.
WHITENOISE_ROOT = os.environ.get("FEEDS_BENCH_STATIC") or None
WHITENOISE_AUTOREFRESH = False
