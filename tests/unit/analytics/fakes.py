"""An in-memory FactRepository with the same methods as the Mongo adapter, for pure unit tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.analytics.domain import facts as f
from services.analytics.domain.pseudonyms import Pseudonyms, new_key
from services.analytics.projection import Changes, Projection
from services.analytics.reports import load_facts


class InMemoryFacts:
    def __init__(self) -> None:
        self.kinds: dict[str, dict[str, dict]] = {kind: {} for kind in f.KINDS}
        self.erasures: dict[str, int] = {}
        self.saved: dict[str, dict] = {}

    def add(self, kind: str, doc: Mapping[str, Any]) -> bool:
        if doc["_id"] in self.kinds[kind]:
            return False
        self.kinds[kind][doc["_id"]] = dict(doc)
        return True

    def add_many(self, kind: str, docs: list[Mapping[str, Any]]) -> int:
        return sum(self.add(kind, doc) for doc in docs)

    def erased_versions(self, people: Iterable[str]) -> dict[str, int]:
        return {p: self.erasures[p] for p in people if p in self.erasures}

    def erased_version(self, person: str) -> int | None:
        return self.erasures.get(person)

    def record_erasure(self, person: str, version: int) -> None:
        self.erasures[person] = max(version, self.erasures.get(person, 0))

    def strip_contact(self, person: str, below_version: int) -> None:
        for doc in self.kinds[f.PEOPLE].values():
            if doc["person"] == person and doc["version"] < below_version:
                for name in f.CONTACT_FIELDS:
                    doc.pop(name, None)

    def program_docs(self, program_ids: Iterable[str]) -> dict[str, dict]:
        return {pid: doc for pid, doc in self.kinds[f.PROGRAMS].items() if pid in set(program_ids)}

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[dict]:
        wanted = set(program_ids)
        return [dict(d) for d in self.kinds[kind].values() if d["program_id"] in wanted]

    def everyone(self, kind: str) -> list[dict]:
        return [dict(d) for d in self.kinds[kind].values()]

    def known_programs(self) -> set[str]:
        return set(self.kinds[f.PROGRAMS]) | {d["program_id"] for d in self.kinds[f.ENROLLMENTS].values()}

    def save_report(self, program_id: str, report: Mapping[str, Any], started: str) -> bool:
        if program_id in self.saved and self.saved[program_id]["started"] >= started:
            return False
        self.saved[program_id] = {**report, "_id": program_id, "started": started}
        return True

    def report(self, program_id: str) -> dict | None:
        return self.saved.get(program_id)

    def reports(self, fields: Iterable[str]) -> list[dict]:
        return list(self.saved.values())


class Projected:
    """Events applied through the real Projection onto in-memory facts."""

    def __init__(self, key: str | None = None) -> None:
        self.repo = InMemoryFacts()
        self.changes = Changes()
        self.pseudonymise = Pseudonyms(key or new_key())
        self.projection = Projection(self.repo, self.pseudonymise, self.changes)

    def apply(self, events: Iterable, batch: int = 7) -> Projected:
        """Apply events, flushing every `batch` events as the consumer does after each polled batch."""
        for i, event in enumerate(events, 1):
            self.projection.apply(event)
            if i % batch == 0:
                self.projection.flush()
        self.projection.flush()
        return self

    def facts(self, program_id: str):
        return load_facts(self.repo, [program_id])[program_id]
