"""Backfilled history on the use-case side: its stamp, its audit entry, and the transaction they share.

A write an admin backfills (a body with `occurred_at`) runs in `uow.atomically` together with its
entry in the audit trail, so the change, its events (in the changed document's outbox) and the
audit record commit at once or not at all. A live write takes its usual path, unchanged. The stamp,
the transaction and the pseudonym are shared.backfill's (profiles backfills too), named here for the use cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.matching.use_cases.ports import Page, UnitOfWork
from shared.backfill import Backfill, live, pseudonym, recording, stamp
from shared.timeutil import now_rfc3339, to_rfc3339

__all__ = ["entry", "list_backfills", "live", "pseudonym", "recorded", "recording", "stamp"]  # with shared.backfill's

# what each audit entry says was backfilled
ENROLLED, PROPOSED, WAVE = "enrollment.created", "mentorship.proposed", "matching_run.requested"
MENTORSHIP_ACTIONS = {"accept": "mentorship.started", "decline": "mentorship.declined", "end": "mentorship.ended"}
SCHEDULED, FEEDBACK = "session.scheduled", "feedback.submitted"
SESSION_ACTIONS = {"complete": "session.completed", "cancel": "session.cancelled"}


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


def list_backfills(uow: UnitOfWork, *, limit: int, cursor: str | None) -> Page:
    """The audit trail, oldest recording first."""
    return uow.backfills.page(limit=limit, cursor=cursor)
