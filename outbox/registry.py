"""Who does each kind of work, and who sweeps their own rows.

Apps register in their AppConfig.ready, so this app imports none of them: it sits under all.
"""

from collections.abc import Callable

_handlers: dict[str, Callable[..., object]] = {}
_sweepers: dict[str, Callable[..., int]] = {}


def handles(kind: str):
    """Decorator: `fn(**payload)` does the work of one item of `kind`; it must be idempotent
    (a killed worker's item runs again)."""

    def register(fn):
        _handlers[kind] = fn
        return fn

    return register


def sweeps(name: str):
    """Decorator: `fn(now=...) -> int` re-dispatches the app's own pending rows (solve jobs,
    emails) that nobody took; called by every sweep."""

    def register(fn):
        _sweepers[name] = fn
        return fn

    return register


def handler(kind: str) -> Callable[..., object]:
    try:
        return _handlers[kind]
    except KeyError:
        raise LookupError(f"no handler registered for outbox kind {kind!r}") from None


def sweepers() -> dict[str, Callable[..., int]]:
    return dict(_sweepers)
