"""The events this service publishes, built from stored records: ids, statuses, numbers, times.

Never notes, comments or agendas: those stay in this service (DESIGN.md §3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.matching.lifecycle import SOURCE
from shared.events import Event, new_event


def program_created(program: Mapping[str, Any]) -> Event:
    data = {k: program[k] for k in ("program_id", "name", "starts_on", "ends_on", "checkin_every_days")}
    return new_event("mentoring.program.created", {**data, "admin_id": program.get("admin_id")}, source=SOURCE)


def enrollment(type_suffix: str, enrolled: Mapping[str, Any], at: str, reason: str | None = None) -> Event:
    """`mentoring.enrollment.created` or `.withdrawn`."""
    data = {"program_id": enrolled["program_id"], "employee_id": enrolled["employee_id"], "role": enrolled["role"],
            "reason": reason, "at": at}
    return new_event(f"mentoring.enrollment.{type_suffix}", data, source=SOURCE)


def run_completed(run: Mapping[str, Any]) -> Event:
    data = {k: run[k] for k in ("program_id", "run_id", "objective", "duration_ms")}
    data.update(assigned=run["assigned_count"], unmatched=run["unmatched_count"])
    return new_event("mentoring.matching_run.completed", data, source=SOURCE)


MENTORSHIP_FIELDS = ("mentorship_id", "program_id", "mentor_id", "mentee_id", "status", "score", "breakdown",
                     "reasons", "created_at", "started_at", "ended_at")


def mentorship(type_name: str, record: Mapping[str, Any]) -> Event:
    """A mentorship event; the end reason rides along as `reason`."""
    data = {k: record.get(k) for k in MENTORSHIP_FIELDS}
    data.update(breakdown=dict(record.get("breakdown") or {}), reasons=list(record.get("reasons") or []),
                reason=record.get("end_reason"))
    return new_event(type_name, data, source=SOURCE)


SESSION_FIELDS = ("session_id", "mentorship_id", "program_id", "mentor_id", "mentee_id", "status", "scheduled_at",
                  "duration_minutes", "completed_at")


def session(type_suffix: str, record: Mapping[str, Any]) -> Event:
    data = {k: record.get(k) for k in SESSION_FIELDS}
    data["goal_ids"] = list(record.get("goal_ids") or [])
    return new_event(f"mentoring.session.{type_suffix}", data, source=SOURCE)


FEEDBACK_FIELDS = ("feedback_id", "mentorship_id", "program_id", "session_id", "author_id", "author_role",
                   "rating", "submitted_at")


def feedback_submitted(record: Mapping[str, Any]) -> Event:
    """Ratings only: the comment is private to the pair."""
    return new_event("mentoring.feedback.submitted", {k: record.get(k) for k in FEEDBACK_FIELDS}, source=SOURCE)
