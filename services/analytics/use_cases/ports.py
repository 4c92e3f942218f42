"""What the use cases need from the outside world, as Protocols: the Mongo adapters implement them, and
so do the in-memory fakes of the unit tests (tests/unit/analytics/fakes.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

Doc = dict[str, Any]


class Facts(Protocol):
    """The fact store: one immutable document per state transition, plus the erasure register."""

    def add(self, kind: str, doc: Mapping[str, Any]) -> None:
        """Buffer a fact until `flush`; a fact already recorded stays as it was first written."""

    def flush(self) -> None:
        """Write the buffered facts; versions at or below a recorded erasure lose their contact data."""

    def erased_versions(self, people: Iterable[str]) -> dict[str, int]: ...

    def record_erasure(self, person: str, version: int) -> None: ...

    def strip_contact(self, person: str, below_version: int) -> None: ...

    def programs(self, program_ids: Iterable[str]) -> dict[str, Doc]: ...

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[Doc]: ...

    def of_people(self, kind: str, people: Iterable[str]) -> list[Doc]: ...

    def people_in(self, departments: Iterable[str]) -> set[str]: ...

    def programs_of(self, people: Iterable[str]) -> set[str]: ...

    def known_programs(self) -> set[str]: ...


class Reports(Protocol):
    """The built reports, one per program."""

    def save(self, program_id: str, report: Mapping[str, Any], started: str) -> bool: ...

    def get(self, program_id: str) -> Doc | None: ...

    def showing(self, departments: Iterable[str]) -> set[str]: ...

    def ending_since(self, day: str, fields: Iterable[str]) -> list[Doc]: ...


class StaleReports(Protocol):
    """Where committed facts say which reports are out of date (the report loop takes them)."""

    def note(self, doc: Mapping[str, Any]) -> None: ...


class GaugeBoard(Protocol):
    """The per-program business gauges (Prometheus)."""

    def show(self, program_id: str, values: Mapping[str, float]) -> None: ...

    def drop(self, program_id: str) -> None: ...


class UnitOfWork(Protocol):
    """One consumed batch, one request or one round of a job."""

    facts: Facts
    reports: Reports
    pseudonymise: Callable[[str], str]
    changes: StaleReports

    def after_commit(self, action: Callable[[], None]) -> None: ...

    def flush(self) -> None: ...
