"""Which reports are out of date (committed facts note it) and the rounds that rebuild them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from services.analytics.use_cases.ports import UnitOfWork
from services.analytics.use_cases.reports import rebuild, stale_programs

Clock = Callable[[], float]
MAX_DELAY_SECONDS = 30.0  # while facts keep arriving, a stale report waits at most this long


class Changes:
    """What committed facts made stale: programs, and people whose facts may touch any program's report."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._lock, self._clock = threading.Lock(), clock
        self._programs: set[str] = set()
        self._people: set[str] = set()
        self._first: float | None = None  # when the oldest pending change was noted
        self._last: float | None = None

    def note(self, doc: Mapping[str, Any]) -> None:
        """A committed fact: its program's report is stale, and so may be those its person appears in."""
        with self._lock:
            if "program_id" in doc:
                self._programs.add(doc["program_id"])
            if "person" in doc:
                self._people.add(doc["person"])
            self._noted()

    def _noted(self) -> None:
        self._last = self._clock()
        self._first = self._last if self._first is None else self._first

    def due(self, quiet_seconds: float) -> bool:
        """Changes are pending and no new one came for `quiet_seconds`, or the oldest waited MAX_DELAY_SECONDS."""
        with self._lock:
            now = self._clock()
            return self._last is not None and (now - self._last >= quiet_seconds
                                               or now - self._first >= MAX_DELAY_SECONDS)

    def take(self) -> tuple[set[str], set[str]]:
        """The pending changes (programs, people), cleared."""
        with self._lock:
            taken = (self._programs, self._people)
            self._programs, self._people, self._first, self._last = set(), set(), None, None
            return taken

    def note_programs(self, programs: set[str]) -> None:
        """Reports out of date for a reason other than a fact (time passing): rebuilt in the next round."""
        with self._lock:
            self._programs |= programs
            if programs:
                self._noted()

    def give_back(self, programs: set[str], people: set[str]) -> None:
        """Changes taken by a round that failed: a later round tries them again."""
        with self._lock:
            self._programs |= programs
            self._people |= people
            self._noted()


def refresh_running(uow: UnitOfWork, changes: Changes, today: date) -> set[str]:
    """Mark the reports of programs that have not ended before `today` stale: their pairs at risk and
    rates count the days up to the moment they are computed. Returns those programs."""
    running = {report["_id"] for report in uow.reports.ending_since(today.isoformat(), ["_id"])}
    changes.note_programs(running)
    return running


class ReportRebuilds:
    """One round of the worker's report loop: rebuild the reports that committed facts made stale (every
    program's in the first round, to catch up after a restart).

    The store is one core shared with the consumer, and rebuilding a big program takes seconds, so a
    round waits until no fact came for `quiet_seconds` (or the oldest change waited MAX_DELAY_SECONDS,
    during a replay or a bulk import), and never starts sooner than twice the previous round's duration
    after it."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], changes: Changes, min_size: int, *,
                 quiet_seconds: float = 0.0, clock: Clock = time.monotonic):
        self._unit_of_work, self._changes, self._min_size = unit_of_work, changes, min_size
        self._quiet, self._clock = quiet_seconds, clock
        self._everyone, self._not_before = True, 0.0

    def tick(self) -> bool:
        """Rebuild what is stale, if it is time; never busy, so the loop pauses between rounds."""
        if self._clock() < self._not_before or not (self._everyone or self._changes.due(self._quiet)):
            return False
        programs, people = self._changes.take()
        started = self._clock()
        try:
            self._rebuild(programs, people)
        except Exception:  # the store is away: keep the changes for a later round
            self._changes.give_back(programs, people)
            raise
        self._everyone, ended = False, self._clock()
        self._not_before = ended + min(60.0, 2 * (ended - started))
        return False

    def _rebuild(self, programs: set[str], people: set[str]) -> None:
        uow = self._unit_of_work()
        stale = uow.facts.known_programs() if self._everyone else stale_programs(uow, programs, people)
        rebuild(uow, stale, self._min_size)
