"""History written after the fact: when an admin's `occurred_at` is acceptable, the moment a write records,
and the one transaction a backfilled write shares with its audit entry.

A customer migrating from another platform brings months of history (HR changes and goals in profiles;
enrollments, matches, sessions and feedback in matching). Each backfilled write carries the moment it
happened. That moment is acceptable when it is at most 5 minutes ahead of now (clocks drift), not before
2000-01-01, and never before what the aggregate already recorded (each service names its aggregates'
history: a pair is accepted after it was proposed, a goal moves after its last change, ...).

A `Stamp` is the moment a write records. An admin's is strict: out of order is a 422. One derived from
other history (a leaver's departure, the sessions a backfilled end cancels) moves up to the aggregate's
latest moment instead, since nothing ends before it began.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from shared.errors import Invalid
from shared.timeutil import now_rfc3339, parse_rfc3339, to_rfc3339, utcnow

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)

History = Mapping[str, str | None]  # what the aggregate recorded, by name -> RFC 3339 moment (or None)
T = TypeVar("T")


@dataclass(frozen=True)
class Backfill:
    """An admin's request to record history: when it happened, and who records it (the token's `sub`)."""

    occurred_at: datetime
    by: str


@dataclass(frozen=True)
class Stamp:
    """The moment a write records, and whether it is history recorded after the fact."""

    at: str
    backfilled: bool = False
    strict: bool = False  # an admin's occurred_at: refused, not moved, when it precedes the history

    def applied_to(self, history: History) -> Stamp:
        """This stamp for an aggregate with `history`: unchanged, moved up to its latest moment, or Invalid."""
        if not self.backfilled:
            return self  # now follows everything recorded
        late = [(what, moment) for what, moment in history.items()
                if moment and parse_rfc3339(moment) > parse_rfc3339(self.at)]
        if not late:
            return self
        if self.strict:
            what, moment = late[0]
            raise invalid(f"must not be before {what} ({moment})")
        return replace(self, at=max((m for _, m in late), key=parse_rfc3339))

    def derived(self) -> Stamp:
        """The stamp of what this write causes (e.g. the sessions an end cancels): it yields to their history."""
        return replace(self, strict=False)


def occurred(occurred_at: datetime, now: datetime) -> Stamp:
    """An admin's `occurred_at` as a strict stamp; Invalid outside 2000-01-01 .. now + 5 minutes.

    Compared before it is ever converted, so a year-1 or year-9999 instant is a 422, never an overflow."""
    if occurred_at > now + CLOCK_SKEW:
        raise invalid("must not be more than 5 minutes in the future")
    if occurred_at < EARLIEST:
        raise invalid("must not be before 2000-01-01T00:00:00Z")
    return Stamp(to_rfc3339(occurred_at), backfilled=True, strict=True)


def invalid(message: str) -> Invalid:
    """The 422 of an unacceptable `occurred_at`, worded alike in every service."""
    return Invalid(f"occurred_at {message}", {"occurred_at": [message]})


def live() -> Stamp:
    return Stamp(now_rfc3339())


def stamp(backfill: Backfill | None) -> Stamp:
    """Now, or the admin's `occurred_at` (a 422 when it is outside the window)."""
    return live() if backfill is None else occurred(backfill.occurred_at, utcnow())


class Atomic(Protocol):
    def atomically(self, work: Callable[[Any], T]) -> T:
        """`work` on a unit of work whose writes commit together or not at all (shared.unit_of_work)."""


U = TypeVar("U", bound=Atomic)


def recording(uow: U, backfill: Backfill | None, work: Callable[[U], T]) -> T:
    """Live: `work` as always. Backfilled: the moment checked first, then `work` in one transaction."""
    if backfill is None:
        return work(uow)
    stamp(backfill)
    return uow.atomically(work)


def pseudonym() -> str:
    """What an erased person's id becomes in an audit trail: random, and kept nowhere, so no one can map it
    back; one per erasure, so the trail still shows which entries concerned the same person."""
    return f"erased-{uuid.uuid4().hex[:16]}"


class AuditTrail(Protocol):
    """The audit trail of backfilled history: one entry per write an admin recorded with a past moment."""

    def record(self, entries: Sequence[Mapping[str, Any]]) -> None: ...
    def page(self, *, limit: int, cursor: str | None) -> dict[str, Any]: ...
    def pseudonymise(self, employee_id: str, pseudonym: str) -> None: ...
