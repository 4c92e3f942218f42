"""Which reports are out of date: committed facts note it, the worker's report loop takes it."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any


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
