"""Development goals: how progress moves them and what of them the bus may carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.errors import Conflict
from shared.events import catalog as ev
from shared.events.catalog import EventType

GOAL_STATUSES = ("active", "completed", "abandoned")


def new_goal(goal_id: str, employee_id: str, body: Mapping[str, Any], now: str) -> dict[str, Any]:
    """A fresh, active goal at 0 % from what the person wrote."""
    return {"goal_id": goal_id, "employee_id": employee_id, "title": body["title"],
            "description": body.get("description"),
            "target_skills": sorted({s.strip().lower() for s in body.get("target_skills", [])}),
            "due_on": body["due_on"].isoformat() if body.get("due_on") else None,
            "milestones": [dict(m) for m in body.get("milestones", [])], "status": "active",
            "progress": 0, "version": 1, "created_at": now, "updated_at": now}


def progress_goal(goal: Mapping[str, Any], progress: int | None,
                  status: str | None) -> tuple[dict, EventType | None]:
    """Apply a progress/status change; returns the new goal and the event type it emits (or None)."""
    if goal["status"] == "completed" and (status not in (None, "completed") or
                                          progress not in (None, 100)):
        raise Conflict("a completed goal cannot be changed")
    new_progress = goal["progress"] if progress is None else progress
    new_status = status or goal["status"]
    if new_progress == 100 or new_status == "completed":
        new_progress, new_status = 100, "completed"
    updated = {**goal, "progress": new_progress, "status": new_status}
    if new_status == goal["status"] and new_progress == goal["progress"]:
        return updated, None
    if new_status == "completed":
        return updated, ev.GOAL_COMPLETED
    return updated, ev.GOAL_PROGRESSED


def goal_event_data(goal: Mapping[str, Any], previous_progress: int | None = None) -> dict[str, Any]:
    """Goal facts for the bus: ids, skills, status and numbers; never the title or description."""
    return {"goal_id": goal["goal_id"], "employee_id": goal["employee_id"],
            "target_skills": list(goal.get("target_skills", [])), "status": goal["status"],
            "progress": goal["progress"], "previous_progress": previous_progress, "due_on": goal.get("due_on"),
            "milestones_total": len(goal.get("milestones", [])), "version": goal["version"],
            "updated_at": goal["updated_at"]}


def without_private_text(goal: Mapping[str, Any]) -> dict[str, Any]:
    """A goal as a manager follows it: progress and status, not the person's own words."""
    return {k: v for k, v in goal.items() if k not in ("title", "description", "milestones")}
