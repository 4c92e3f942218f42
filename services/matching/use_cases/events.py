"""The events this service publishes, built from stored records: ids, statuses, numbers, times.

Never notes, comments or agendas: those stay in this service (DESIGN.md §3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.events import Event, new_event
from shared.events import catalog as ev

SOURCE = "/tandem/matching"

# what each mentorship action announces
MENTORSHIP_EVENT_OF = {"propose": ev.MENTORSHIP_PROPOSED, "accept": ev.MENTORSHIP_STARTED,
                       "decline": ev.MENTORSHIP_DECLINED, "end": ev.MENTORSHIP_ENDED}


def _history(data: dict[str, Any], backfilled: bool) -> dict[str, Any]:
    """Backfilled history says so (`backfilled: true`), so consumers place it in the past and notify nobody."""
    return {**data, "backfilled": True} if backfilled else data


def program_created(program: Mapping[str, Any]) -> Event:
    data = {k: program[k] for k in ("program_id", "name", "starts_on", "ends_on", "checkin_every_days")}
    return new_event(ev.PROGRAM_CREATED, {**data, "admin_id": program.get("admin_id")}, source=SOURCE)


def enrollment(kind: ev.EventType, enrolled: Mapping[str, Any], at: str, reason: str | None = None, *,
               backfilled: bool = False) -> Event:
    """`ev.ENROLLMENT_CREATED` or `ev.ENROLLMENT_WITHDRAWN`."""
    data = {"program_id": enrolled["program_id"], "employee_id": enrolled["employee_id"], "role": enrolled["role"],
            "reason": reason, "at": at}
    return new_event(kind, _history(data, backfilled), source=SOURCE)


def run_completed(run: Mapping[str, Any]) -> Event:
    data = {k: run[k] for k in ("program_id", "run_id", "objective", "duration_ms")}
    data.update(assigned=run["assigned_count"], unmatched=run["unmatched_count"])
    return new_event(ev.MATCHING_RUN_COMPLETED, data, source=SOURCE)


MENTORSHIP_FIELDS = ("mentorship_id", "program_id", "mentor_id", "mentee_id", "status", "score", "breakdown",
                     "reasons", "created_at", "started_at", "ended_at")


def mentorship(action: str, record: Mapping[str, Any], *, backfilled: bool = False) -> Event:
    """The event of a mentorship action (propose, accept, decline, end); the end reason rides along as `reason`."""
    data = {k: record.get(k) for k in MENTORSHIP_FIELDS}
    data.update(breakdown=dict(record.get("breakdown") or {}), reasons=list(record.get("reasons") or []),
                reason=record.get("end_reason"))
    return new_event(MENTORSHIP_EVENT_OF[action], _history(data, backfilled), source=SOURCE)


SESSION_FIELDS = ("session_id", "mentorship_id", "program_id", "mentor_id", "mentee_id", "status", "scheduled_at",
                  "duration_minutes", "completed_at")


def session(kind: ev.EventType, record: Mapping[str, Any], *, backfilled: bool = False) -> Event:
    data = {k: record.get(k) for k in SESSION_FIELDS}
    data["goal_ids"] = list(record.get("goal_ids") or [])
    return new_event(kind, _history(data, backfilled), source=SOURCE)


FEEDBACK_FIELDS = ("feedback_id", "mentorship_id", "program_id", "session_id", "author_id", "author_role",
                   "rating", "submitted_at")


def feedback_submitted(record: Mapping[str, Any], *, backfilled: bool = False) -> Event:
    """Ratings only: the comment is private to the pair."""
    data = {k: record.get(k) for k in FEEDBACK_FIELDS}
    return new_event(ev.FEEDBACK_SUBMITTED, _history(data, backfilled), source=SOURCE)
