"""Backfilled history in profiles: the event that says so, the audit entry, and the audit trail's list.

A PUT, an import row, a new goal or a goal's move that carries HR's `occurred_at` runs in one transaction
with its entry in `profiles_backfill_audit` (shared.backfill.recording), so the change, its events (in
the changed document's outbox) and the entry commit at once or not at all. A live write is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.profiles.domain.profiles import SOURCE
from services.profiles.use_cases.ports import Page, ProfilesUnit
from shared.backfill import Backfill
from shared.events import Event, EventType, new_event
from shared.timeutil import now_rfc3339, to_rfc3339


def announce(event_type: EventType, data: Mapping[str, Any], backfilled: bool = False) -> Event:
    """The event of a write; history says `backfilled: true`, so consumers place it in the past and notify nobody."""
    return new_event(event_type, {**data, "backfilled": True} if backfilled else dict(data), source=SOURCE)


def entry(event_type: EventType, aggregate_id: str, employee_id: str, occurred_at: str, by: str) -> dict[str, Any]:
    """One audit record: what was backfilled (`profile.updated`, `goal.progressed`, ...), for whom, when it
    happened, when and by whom it was recorded."""
    return {"operation": event_type.name.removeprefix("mentoring."), "aggregate_id": aggregate_id,
            "employee_ids": [employee_id], "occurred_at": occurred_at, "recorded_at": now_rfc3339(), "by": by}


def recorded(uow: ProfilesUnit, backfill: Backfill | None, event_type: EventType, aggregate_id: str,
             employee_id: str) -> None:
    """Audit a backfilled write, in its unit of work (nothing for a live one)."""
    if backfill is not None:
        uow.backfills.record([entry(event_type, aggregate_id, employee_id, to_rfc3339(backfill.occurred_at),
                                    backfill.by)])


def list_backfills(uow: ProfilesUnit, *, limit: int, cursor: str | None) -> Page:
    """The audit trail, oldest recording first."""
    return uow.backfills.page(limit=limit, cursor=cursor)
