"""The tests' one way to wait: poll a condition until it holds or a deadline passes.

Tests wait on conditions, never for fixed times, and assert no durations (the
machine is shared: timings belong in benchmarks/). The deadline only turns a
hang into a failure that says what was awaited.
"""
from __future__ import annotations

import time
from typing import Any, Callable


def wait_until(condition: Callable[[], Any], timeout: float = 60.0, what: str = "",
               interval: float = 0.05) -> Any:
    """Call ``condition`` until it returns a true value, and return that value.

    Parameters
    ----------
    condition : callable
        No arguments; polled every ``interval`` seconds.
    timeout : float
        Seconds before giving up with an ``AssertionError``.
    what : str
        What is awaited, for the failure message (default: the condition's name).
    interval : float
        Seconds between two polls.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for "
                                 f"{what or getattr(condition, '__name__', 'a condition')}")
        time.sleep(interval)
