"""In-memory fact and report stores with the same methods as the Mongo adapters, and a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from services.analytics.domain import facts as f
from services.analytics.domain.pseudonyms import Pseudonyms, new_key
from services.analytics.entrypoints.handlers import EVENT_HANDLERS
from services.analytics.use_cases.rebuilds import Changes
from services.analytics.use_cases.reports import load_facts
from shared.consumer import handler_table

HANDLERS = handler_table(EVENT_HANDLERS)


class InMemoryFacts:
    def __init__(self) -> None:
        self.kinds: dict[str, dict[str, dict]] = {kind: {} for kind in f.KINDS}
        self.erasures: dict[str, int] = {}
        self._pending: dict[str, list[dict]] = {}

    def add(self, kind: str, doc: Mapping[str, Any]) -> None:
        self._pending.setdefault(kind, []).append(dict(doc))

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        if f.PEOPLE in pending:
            erased = self.erased_versions({d["person"] for d in pending[f.PEOPLE]})
            pending[f.PEOPLE] = f.without_erased_contacts(pending[f.PEOPLE], erased)
        for kind, docs in pending.items():
            for doc in docs:
                self.kinds[kind].setdefault(doc["_id"], doc)

    def erased_versions(self, people: Iterable[str]) -> dict[str, int]:
        return {p: self.erasures[p] for p in people if p in self.erasures}

    def record_erasure(self, person: str, version: int) -> None:
        self.erasures[person] = max(version, self.erasures.get(person, 0))

    def strip_contact(self, person: str, below_version: int) -> None:
        for doc in self.kinds[f.PEOPLE].values():
            if doc["person"] == person and doc["version"] < below_version:
                for name in f.CONTACT_FIELDS:
                    doc.pop(name, None)

    def programs(self, program_ids: Iterable[str]) -> dict[str, dict]:
        return {pid: doc for pid, doc in self.kinds[f.PROGRAMS].items() if pid in set(program_ids)}

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[dict]:
        wanted = set(program_ids)
        return [dict(d) for d in self.kinds[kind].values() if d["program_id"] in wanted]

    def of_people(self, kind: str, people: Iterable[str]) -> list[dict]:
        wanted = set(people)
        return [dict(d) for d in self.kinds[kind].values() if d["person"] in wanted]

    def people_in(self, departments: Iterable[str]) -> set[str]:
        wanted = set(departments)
        return {d["person"] for d in self.kinds[f.PEOPLE].values() if d.get("department") in wanted}

    def programs_of(self, people: Iterable[str]) -> set[str]:
        wanted = set(people)
        return {d["program_id"] for d in self.kinds[f.ENROLLMENTS].values() if d["person"] in wanted}

    def known_programs(self) -> set[str]:
        return set(self.kinds[f.PROGRAMS]) | {d["program_id"] for d in self.kinds[f.ENROLLMENTS].values()}


class InMemoryReports:
    def __init__(self) -> None:
        self.saved: dict[str, dict] = {}
        self.builds: list[str] = []  # every program whose report was stored, in order

    def save(self, program_id: str, report: Mapping[str, Any], started: str) -> bool:
        if program_id in self.saved and self.saved[program_id]["started"] >= started:
            return False
        self.saved[program_id] = {**report, "_id": program_id, "started": started}
        self.builds.append(program_id)
        return True

    def get(self, program_id: str) -> dict | None:
        return self.saved.get(program_id)

    def showing(self, departments: Iterable[str]) -> set[str]:
        wanted = set(departments)
        return {pid for pid, r in self.saved.items() if wanted & set(r["outcomes"]["departments"])}

    def ending_since(self, day: str, fields: Iterable[str]) -> list[dict]:
        return [r for r in self.saved.values() if (r["program"].get("ends_on") or day) >= day]


class FakeUnitOfWork:
    """One consumed batch (or one request) on the in-memory stores; `commit` flushes and runs the
    after-commit actions, as the consumer's transaction does."""

    def __init__(self, facts: InMemoryFacts, reports: InMemoryReports, pseudonymise: Callable[[str], str],
                 changes: Changes):
        self.facts, self.reports, self.pseudonymise, self.changes = facts, reports, pseudonymise, changes
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, action: Callable[[], None]) -> None:
        self._after_commit.append(action)

    def flush(self) -> None:
        self.facts.flush()

    def commit(self) -> None:
        self.flush()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()


class Projected:
    """Events applied through the real projection onto in-memory stores."""

    def __init__(self, key: str | None = None) -> None:
        self.repo, self.reports = InMemoryFacts(), InMemoryReports()
        self.changes = Changes()
        self.pseudonymise = Pseudonyms(key or new_key())

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.repo, self.reports, self.pseudonymise, self.changes)

    def apply(self, events: Iterable, batch: int = 7) -> Projected:
        """Apply events through EVENT_HANDLERS in units of work of `batch` events, as the consumer does
        with each polled batch (types without a handler are skipped)."""
        events = list(events)
        for start in range(0, len(events), batch):
            uow = self.unit_of_work()
            for event in events[start:start + batch]:
                if event.type in HANDLERS:
                    HANDLERS[event.type](event, uow)
            uow.commit()
        return self

    def facts(self, program_id: str):
        return load_facts(self.repo, [program_id])[program_id]


class InMemoryGauges:
    """The gauge board as a dict: program id -> the values shown."""

    def __init__(self) -> None:
        self.shown: dict[str, dict[str, float]] = {}

    def show(self, program_id: str, values: Mapping[str, float]) -> None:
        self.shown[program_id] = dict(values)

    def drop(self, program_id: str) -> None:
        self.shown.pop(program_id, None)
