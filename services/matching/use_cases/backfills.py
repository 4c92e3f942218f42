"""Backfilled history on the use-case side: its stamp, its audit entry, and the transaction they share.

A write an admin backfills (a body with `occurred_at`) runs in `uow.atomically` together with its
entry in the audit trail, so the change, its events (in the changed document's outbox) and the
audit record commit at once or not at all. A live write takes its usual path, unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from services.matching.domain.backfill import Backfill, Stamp, occurred
from services.matching.use_cases.ports import Page, UnitOfWork
from shared.timeutil import now_rfc3339, to_rfc3339, utcnow

T = TypeVar("T")

# what each audit entry says was backfilled
ENROLLED, PROPOSED, WAVE = "enrollment.created", "mentorship.proposed", "matching_run.requested"
MENTORSHIP_ACTIONS = {"accept": "mentorship.started", "decline": "mentorship.declined", "end": "mentorship.ended"}
SCHEDULED, FEEDBACK = "session.scheduled", "feedback.submitted"
SESSION_ACTIONS = {"complete": "session.completed", "cancel": "session.cancelled"}


def live() -> Stamp:
    return Stamp(now_rfc3339())


def stamp(backfill: Backfill | None) -> Stamp:
    """Now, or the admin's `occurred_at` (a 422 when it is outside the window)."""
    return live() if backfill is None else occurred(backfill.occurred_at, utcnow())


def recording(uow: UnitOfWork, backfill: Backfill | None, work: Callable[[UnitOfWork], T]) -> T:
    """Live: `work` as always. Backfilled: the moment checked first, then `work` in one transaction."""
    if backfill is None:
        return work(uow)
    stamp(backfill)
    return uow.atomically(work)


def entry(operation: str, aggregate_id: str, program_id: str, people: Iterable[str], occurred_at: str,
          by: str) -> dict[str, Any]:
    """One audit record: what was backfilled, for whom, when it happened, when and by whom it was recorded."""
    return {"operation": operation, "aggregate_id": aggregate_id, "program_id": program_id,
            "employee_ids": sorted(set(people)), "occurred_at": occurred_at, "recorded_at": now_rfc3339(),
            "by": by}


def recorded(uow: UnitOfWork, backfill: Backfill | None, operation: str, aggregate_id: str, program_id: str,
             people: Iterable[str]) -> None:
    """Audit a backfilled write, in its unit of work (nothing for a live one)."""
    if backfill is not None:
        uow.backfills.record([entry(operation, aggregate_id, program_id, people, to_rfc3339(backfill.occurred_at),
                                    backfill.by)])


def pseudonym() -> str:
    """What an erased person's id becomes in the audit trail: random, and kept nowhere, so no one can map it
    back; one per erasure, so the trail still shows which entries concerned the same person."""
    return f"erased-{uuid.uuid4().hex[:16]}"


def list_backfills(uow: UnitOfWork, *, limit: int, cursor: str | None) -> Page:
    """The audit trail, oldest recording first."""
    return uow.backfills.page(limit=limit, cursor=cursor)
