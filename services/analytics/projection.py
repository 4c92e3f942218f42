"""Use case of the worker: record each event as a fact, erase people, and note which reports changed."""

from __future__ import annotations

import threading
from collections.abc import Callable

from services.analytics.domain import facts as f
from services.analytics.repository import FactRepository
from shared.events import Event


class Changes:
    """Programs whose report is out of date; `everyone` when a person or goal fact may touch any program."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._programs: set[str] = set()
        self._everyone = False

    def program(self, program_id: str) -> None:
        with self._lock:
            self._programs.add(program_id)

    def everyone(self) -> None:
        with self._lock:
            self._everyone = True

    def take(self) -> tuple[set[str], bool]:
        """The pending changes, cleared."""
        with self._lock:
            taken = (self._programs, self._everyone)
            self._programs, self._everyone = set(), False
            return taken


class Projection:
    """Applies events to the fact store; idempotent, in any order across aggregates.

    Facts are buffered and written in bulk by `flush`, which the consumer calls before it commits a
    batch's offsets (one round trip per collection instead of one per event).
    """

    def __init__(self, repo: FactRepository, pseudonymise: Callable[[str], str], changes: Changes):
        self._repo, self._pseudonymise, self._changes = repo, pseudonymise, changes
        self._pending: dict[str, list[dict]] = {}

    def apply(self, event: Event) -> None:
        fact = f.fact_of(event, self._pseudonymise)
        if isinstance(fact, f.Erasure):
            self.erase(fact)
        elif fact is not None:
            self.record(fact)

    def record(self, fact: f.Fact) -> None:
        self._pending.setdefault(fact.kind, []).append(fact.doc)

    def flush(self) -> None:
        """Write the buffered facts, then mark what they changed."""
        pending, self._pending = self._pending, {}
        if f.PEOPLE in pending:
            pending[f.PEOPLE] = self._without_erased_contacts(pending[f.PEOPLE])
        for kind, docs in pending.items():
            self._repo.add_many(kind, docs)
        for docs in pending.values():
            for doc in docs:
                if "program_id" in doc:
                    self._changes.program(doc["program_id"])
                else:
                    self._changes.everyone()

    def _without_erased_contacts(self, docs: list[dict]) -> list[dict]:
        """Late or replayed versions of someone already erased are kept without their contact data."""
        erased = self._repo.erased_versions({d["person"] for d in docs})
        return [f.strip_contact(d) if d["version"] < erased.get(d["person"], 0) else d for d in docs]

    def erase(self, erasure: f.Erasure) -> None:
        """Register first, so facts arriving meanwhile are stored stripped; then strip what is there."""
        self.flush()  # the person's earlier versions in this batch are stored before they are stripped
        self._repo.record_erasure(erasure.person, erasure.version)
        self._repo.strip_contact(erasure.person, erasure.version)
        self._repo.add(f.PEOPLE, f.erasure_fact(erasure).doc)
        self._changes.everyone()

    def handlers(self) -> dict[str, Callable[[Event], None]]:
        """The consumer's handler table: every projected event type goes through `apply`."""
        return dict.fromkeys(f.PROJECTED_TYPES, self.apply)
