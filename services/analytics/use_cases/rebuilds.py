"""Which reports are out of date (committed facts note it) and the rounds that rebuild them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from services.analytics.use_cases.ports import UnitOfWork
from services.analytics.use_cases.reports import rebuild, stale_programs


class Changes:
    """What committed facts made stale: programs, and people whose facts may touch any program's report."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._programs: set[str] = set()
        self._people: set[str] = set()

    def note(self, doc: Mapping[str, Any]) -> None:
        """A committed fact: its program's report is stale, and so may be those its person appears in."""
        with self._lock:
            if "program_id" in doc:
                self._programs.add(doc["program_id"])
            if "person" in doc:
                self._people.add(doc["person"])

    def take(self) -> tuple[set[str], set[str]]:
        """The pending changes (programs, people), cleared."""
        with self._lock:
            taken = (self._programs, self._people)
            self._programs, self._people = set(), set()
            return taken

    def give_back(self, programs: set[str], people: set[str]) -> None:
        """Changes taken by a round that failed: the next round tries them again."""
        with self._lock:
            self._programs |= programs
            self._people |= people


class ReportRebuilds:
    """One round of the worker's report loop: rebuild the reports that committed facts made stale (every
    program's in the first round, to catch up after a restart). A round that took long leaves the store
    to the consumer for twice its duration before the next one."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], changes: Changes, min_size: int,
                 clock: Callable[[], float] = time.monotonic):
        self._unit_of_work, self._changes, self._min_size, self._clock = unit_of_work, changes, min_size, clock
        self._everyone, self._not_before = True, 0.0

    def tick(self) -> bool:
        """Rebuild what is stale, if it is time; never busy, so the loop pauses between rounds."""
        if self._clock() < self._not_before:
            return False
        programs, people = self._changes.take()
        if self._everyone or programs or people:
            started = self._clock()
            try:
                self._rebuild(programs, people)
            except Exception:  # the store is away: keep the changes for the next round
                self._changes.give_back(programs, people)
                raise
            self._everyone, ended = False, self._clock()
            self._not_before = ended + min(60.0, 2 * (ended - started))
        return False

    def _rebuild(self, programs: set[str], people: set[str]) -> None:
        uow = self._unit_of_work()
        stale = uow.facts.known_programs() if self._everyone else stale_programs(uow, programs, people)
        rebuild(uow, stale, self._min_size)
