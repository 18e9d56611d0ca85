"""One deadline for a whole solve (issue 18): every stage (preparation, the pre-checks, the
greedy, the insertion, each model build, the search, the explanation) reads the time left
from the same `Deadline`, and the long loops check it, so that the wall time stays within the
limit on any size. A stage that runs out raises `OutOfTime`, naming itself; solve.py then
answers with the best programme so far, or `unknown` with a `time_limit` conflict that says
which stage ran out."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass


class OutOfTime(Exception):
    """The deadline passed (or the solve was cancelled) inside `stage`."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


@dataclass
class Deadline:
    """`limit_s` seconds from `t0` (time.perf_counter()); `stop` cancels it early."""

    t0: float
    limit_s: float
    stop: threading.Event | None = None

    @classmethod
    def start(cls, limit_s: float, stop: threading.Event | None = None) -> Deadline:
        return cls(time.perf_counter(), limit_s, stop)

    @property
    def end(self) -> float:
        return self.t0 + self.limit_s

    def at(self, share: float) -> float:
        """The moment `share` of the limit has passed (absolute, perf_counter)."""
        return self.t0 + self.limit_s * share

    def left(self) -> float:
        return self.end - time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def expired(self) -> bool:
        return time.perf_counter() >= self.end or (self.stop is not None and self.stop.is_set())

    def check(self, stage: str) -> None:
        if self.expired():
            raise OutOfTime(stage)


def check(deadline: Deadline | None, stage: str) -> None:
    """`deadline.check(stage)`, or nothing without a deadline (tests, the validator)."""
    if deadline is not None:
        deadline.check(stage)


@contextlib.contextmanager
def cancelled_by(stop: threading.Event | None, cancel: Callable[[], None]) -> Iterator[None]:
    """Inside the block, `cancel()` is called (from a watcher thread) as soon as `stop` is
    set: for a search that only looks at its own limit between solutions (OR-Tools routing's
    `CancelSearch`), so that a cancelled solve does not run on to its time limit."""
    if stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        # Again until the block ends: a cancel before the search has begun may be forgotten.
        while not done.wait(0.05):
            if stop.is_set():
                cancel()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
