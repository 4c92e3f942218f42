"""A program's dates as a time window: `starts_on` 00:00 UTC up to the end of `ends_on`, or now if sooner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.analytics.domain.times import day, moment, start_of


@dataclass(frozen=True)
class Window:
    start: datetime | None  # None: the program's start is not known yet
    end: datetime

    def contains(self, text: str | None) -> bool:
        at = moment(text)
        return at is not None and (self.start is None or at >= self.start) and at <= self.end

    def open_at_some_point(self, opened: str, closed: str | None) -> bool:
        """Did something that existed from `opened` until `closed` overlap the window?"""
        return moment(opened) <= self.end and (closed is None or self.start is None or moment(closed) >= self.start)


def program_window(program: Mapping[str, Any] | None, as_of: datetime) -> Window:
    starts = day((program or {}).get("starts_on"))
    ends = day((program or {}).get("ends_on"))
    end = min(start_of(ends + timedelta(days=1)), as_of) if ends else as_of
    return Window(start_of(starts) if starts else None, end)
