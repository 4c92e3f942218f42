"""Poll with a deadline for asynchronous outcomes; never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(check: Callable[[], T], *, timeout: float = 30.0, interval: float = 0.2,
             message: str = "condition") -> T:
    """Call `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def wait_while_progressing(progress: Callable[[], int], target: int, *, stall: float = 45.0,
                           interval: float = 0.5, message: str = "progress") -> None:
    """Wait until `progress()` reaches `target`; fail once it has not moved for `stall` seconds.

    For bulk work whose pace depends on the machine (a thousand emails on a loaded CI runner): a
    stuck pipeline fails as fast as with a deadline, a slow one that keeps moving is not a failure."""
    last, moved = progress(), time.monotonic()
    while last < target:
        if time.monotonic() - moved > stall:
            raise AssertionError(f"{message}: stuck at {last} of {target} for {stall}s")
        time.sleep(interval)
        now = progress()
        if now > last:
            last, moved = now, time.monotonic()
