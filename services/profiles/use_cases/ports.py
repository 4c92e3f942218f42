"""What the profile use cases need from the outside, as Protocols: the people and goals they keep.

The Mongo adapters (services.profiles.adapters) implement them on one store session; the unit tests use
the in-memory fakes of tests/unit/profiles/fakes.py. Every write carries the events it causes, which
the outbox relay publishes later (DESIGN.md §3: a state change and its events are never separated).
A backfilled write also records its audit entry (shared.backfill.AuditTrail), in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from shared.backfill import AuditTrail
from shared.events import Event

T = TypeVar("T")

Page = dict[str, Any]  # {"items": [...], "next_cursor": str | None}


@dataclass(frozen=True)
class ProfileFilter:
    """Which living profiles a list shows; `among` restricts it to those ids (a manager's reports)."""

    department: str | None = None
    manager_id: str | None = None
    role: str | None = None
    skill: str | None = None
    among: frozenset[str] | None = None


class People(Protocol):
    """Profiles by employee id; an erased person stays as a tombstone that keeps only the version."""

    def get(self, employee_id: str) -> dict[str, Any] | None: ...

    def get_many(self, employee_ids: Iterable[str]) -> dict[str, dict[str, Any]]: ...

    def insert(self, profile: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """False when the person exists already (another writer created them)."""

    def update(self, employee_id: str, version: int, profile: Mapping[str, Any], events: Sequence[Event],
               unset: Iterable[str] = ()) -> bool:
        """Write `profile` only if the stored version is still `version`; False when it is not."""

    def erase(self, employee_id: str, version: int, tombstone: Mapping[str, Any], event: Event) -> bool:
        """Replace the person (at `version`) with `tombstone`, whose only pending event is `event`."""

    def write_many(self, creates: Sequence[tuple[dict, Sequence[Event]]],
                   updates: Sequence[tuple[dict, int, Sequence[Event]]]) -> set[str]:
        """Many inserts and conditional updates at once, each with its events; returns the ids whose write
        did not land."""

    def manager_of(self, employee_id: str) -> str | None: ...

    def reports_of(self, manager_id: str) -> set[str]:
        """Everyone below a manager, directly or indirectly."""

    def page(self, which: ProfileFilter, *, limit: int, cursor: str | None) -> Page:
        """Living profiles in employee-id order, continuing after `cursor`."""


class Goals(Protocol):
    """Development goals by goal id."""

    def get(self, goal_id: str) -> dict[str, Any] | None: ...

    def insert(self, goal: Mapping[str, Any], events: Sequence[Event]) -> None: ...

    def update(self, goal_id: str, version: int, goal: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """Write `goal` only if the stored version is still `version`."""

    def page_of(self, employee_id: str, *, limit: int, cursor: str | None) -> Page: ...

    def delete_of(self, employee_id: str) -> int:
        """Remove every goal of a person (erasure); returns how many went."""


class ProfilesUnit(Protocol):
    """The unit of work a profile use case runs in: its repositories on one store session."""

    people: People
    goals: Goals
    backfills: AuditTrail

    def atomically(self, work: Callable[[ProfilesUnit], T]) -> T:
        """`work` on a unit of work whose writes commit together or not at all; rerun from the start
        when a concurrent writer wins inside it (shared.unit_of_work)."""
