"""A progress bar on stderr with rows/s and ETA (redrawn in place on a terminal, one line at a time otherwise)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 28
LOG_EVERY_SECONDS = 5.0  # without a terminal, a line every few seconds keeps CI logs readable


def format_count(n: int) -> str:
    return f"{n:,}"


def format_duration(seconds: float | None) -> str:
    """0:07, 12:34, 1:02:03; '--:--' when unknown."""
    if seconds is None:
        return "--:--"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def rows_per_second(rows: int, elapsed: float) -> float | None:
    return rows / elapsed if rows > 0 and elapsed > 0 else None


def eta_seconds(done: int, total: int, rate: float | None) -> float | None:
    """Seconds left at the current rate; None before there is a rate."""
    if done >= total:
        return 0.0
    return (total - done) / rate if rate else None


def render(done: int, total: int, elapsed: float, started_at: int = 0, width: int = BAR_WIDTH) -> str:
    """'[#######-----]  1,000/4,000 rows  25%  850 rows/s  ETA 0:04' (rate counts this session's rows only)."""
    fraction = min(done / total, 1.0) if total else 1.0
    filled = int(fraction * width)
    rate = rows_per_second(done - started_at, elapsed)
    speed = f"{rate:,.0f} rows/s" if rate is not None else "-- rows/s"
    return (f"[{'#' * filled}{'-' * (width - filled)}] {format_count(done)}/{format_count(total)} rows "
            f"{fraction:4.0%}  {speed}  ETA {format_duration(eta_seconds(done, total, rate))}")


class ProgressBar:
    """Shows import progress; `update(done)` after each chunk, `finish()` once."""

    def __init__(self, total: int, stream: TextIO, *, enabled: bool = True, started_at: int = 0,
                 clock: Callable[[], float] = time.monotonic):
        self.total, self.stream, self.enabled, self.started_at = total, stream, enabled, started_at
        self.clock, self.start = clock, clock()
        self.done, self._last_log = started_at, float("-inf")
        self.in_place = enabled and is_terminal(stream)

    def update(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        now = self.clock()
        if self.in_place:
            self.stream.write("\r" + render(done, self.total, now - self.start, self.started_at) + "\x1b[K")
            self.stream.flush()
        elif now - self._last_log >= LOG_EVERY_SECONDS or done >= self.total:
            self._last_log = now
            self.stream.write(render(done, self.total, now - self.start, self.started_at) + "\n")
            self.stream.flush()

    def finish(self) -> None:
        """End the bar's line so later messages start on a fresh one."""
        if self.in_place:
            self.stream.write("\n")
            self.stream.flush()

    @property
    def elapsed(self) -> float:
        return self.clock() - self.start


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
