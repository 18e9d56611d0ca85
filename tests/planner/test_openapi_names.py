"""Two schemas of the API under one name: django-ninja keeps one in the OpenAPI document and
the other operation's answers are then checked (and documented) against the wrong shape."""

from collections import defaultdict

from ninja import Schema

from benchmarks.architecture.report import APPS
from web.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    documented = set(api.get_openapi_schema()["components"]["schemas"])
    ours = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.split(".")[0] in APPS and cls.__name__ in documented:
            ours[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: sorted(where) for name, where in ours.items() if len(where) > 1} == {}
