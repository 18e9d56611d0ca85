"""The feeds as their own app: the apps under it never import feed code, and the projection
from a version to the wanted events reads nothing (its facts are read before)."""

import ast
import re
from pathlib import Path

from django.core.cache import cache
from django.test import Client

from feeds.models import FeedEvent
from feeds.projection import wanted_events
from feeds.sources import projection_sources

ROOT = Path(__file__).resolve().parents[2]
# The apps the feeds read from: they announce changes by signals instead of calling feeds.
BELOW_FEEDS = ("events", "delegations", "scheduling", "logistics", "notifications")
FEED_CODE = re.compile(r"^(feeds|scheduling\.feed(s|_\w+))(\.|$)")


def _imported(path: Path) -> set[str]:
    """Every module an import in the file names, function-level imports included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_apps_below_the_feeds_never_import_feed_code():
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for app in BELOW_FEEDS
        for path in (ROOT / app).rglob("*.py")
        for name in _imported(path)
        if FEED_CODE.match(name)
    }
    assert not found


def test_projection_reads_nothing_and_gives_the_events_synced(published, django_assert_num_queries):
    plan = published
    sources = projection_sources(version=plan.programme.current_version, visit=plan.visit)
    with django_assert_num_queries(0):
        wanted = wanted_events(sources)
    assert wanted == wanted_events(sources)
    stored = FeedEvent.objects.filter(programme=plan.programme, removed=False)
    assert set(wanted) == set(stored.values_list("key", flat=True))
    assert {"activity", "travel"} == {w["kind"] for w in wanted.values()}


def test_feed_revalidation_takes_a_weakened_tag_and_a_star(published):
    """Django's conditional-response helper compares as the feeds always did (RFC 9110
    13.1.2, weak comparison): a proxy may have weakened the tag."""
    key = published.feed_key()
    first = Client().get(f"/feeds/{key}.ics")
    for tag in ("W/" + first["ETag"], "*", f'"other", {first["ETag"]}'):
        again = Client().get(f"/feeds/{key}.ics", headers={"if-none-match": tag})
        assert (again.status_code, again["ETag"]) == (304, first["ETag"]), tag
        cache.clear()  # and the same once the validators are no longer cached
        again = Client().get(f"/feeds/{key}.ics", headers={"if-none-match": tag})
        assert (again.status_code, again.content) == (304, b""), tag
