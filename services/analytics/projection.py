"""Use case of the worker: record each event as a fact, erase people, and note which reports changed."""

from __future__ import annotations

import threading
from typing import Any

from services.analytics.domain import facts as f
from shared.events import Event


class Changes:
    """What committed facts made stale: programs, and people whose facts may touch any program's report."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._programs: set[str] = set()
        self._people: set[str] = set()

    def note(self, doc: dict[str, Any]) -> None:
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


def apply(uow: Any, event: Event) -> None:
    """Record the event's fact in the unit of work, or erase the person it names."""
    fact = f.fact_of(event, uow.pseudonymise)
    if isinstance(fact, f.Erasure):
        erase(uow, fact)
    elif fact is not None:
        record(uow, fact)


def record(uow: Any, fact: f.Fact) -> None:
    """Buffer the fact for the batch's bulk write; once committed, its report is out of date."""
    uow.facts.add(fact.kind, fact.doc)
    uow.after_commit(lambda: uow.changes.note(fact.doc))


def erase(uow: Any, erasure: f.Erasure) -> None:
    """Register first, so that versions written after it (this batch's too) are stored stripped; then
    strip what is stored. All in the batch's transaction."""
    uow.facts.record_erasure(erasure.person, erasure.version)
    uow.facts.strip_contact(erasure.person, erasure.version)
    record(uow, f.erasure_fact(erasure))
