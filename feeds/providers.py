"""What the apps above feeds tell the feeds, without feeds importing them.

A higher app registers a function in its ``AppConfig.ready`` (as logistics registers the
solver's hints with ``scheduling.hints.hints_provider_set``):

- ``answers_provider_set(fn)``: ``fn(programme_id=...)`` gives every host's current answer,
  as ``(activity_id, person_id, start, answer)`` rows (``answer``: "confirmed", "declined",
  "offered"; ``start``: the time it was given for). confirmations registers it, so a host's
  own feed shows their own answer while a co-host has not answered.
- ``page_url_register(subject, fn)``: ``fn(visit_id=..., subject_id=...)`` gives the page a
  subscriber of that kind ("person": a host's answer page) opens from each event (URL), or "".

With nothing registered the feeds show the slot's status and no URL.
"""

from __future__ import annotations

from collections.abc import Callable

_answers: Callable[..., list] | None = None
_page_urls: dict[str, Callable[..., str]] = {}


def answers_provider_set(provider: Callable[..., list] | None) -> None:
    global _answers
    _answers = provider


def host_answers(*, programme_id: int) -> dict[tuple[int, int], tuple]:
    """(activity, person) -> (start answered for, answer), from the registered provider."""
    if _answers is None:
        return {}
    return {
        (activity, person): (start, answer)
        for activity, person, start, answer in _answers(programme_id=programme_id)
    }


def page_url_register(subject: str, provider: Callable[..., str] | None) -> None:
    if provider is None:
        _page_urls.pop(subject, None)
    else:
        _page_urls[subject] = provider


def page_url(*, subject: str, visit_id: int, subject_id: int | None) -> str:
    """The page a subscriber's events link to (URL), or ""."""
    provider = _page_urls.get(subject)
    if provider is None or subject_id is None:
        return ""
    return provider(visit_id=visit_id, subject_id=subject_id) or ""
