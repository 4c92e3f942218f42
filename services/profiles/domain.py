"""Profiles and goals as plain data with their rules; no Flask, Kafka or Mongo here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.errors import Conflict

SOURCE = "/tandem/profiles"

# The fields a person may change about themselves; everything else belongs to HR (PUT only).
SELF_SERVICE_FIELDS = frozenset({"skills", "interests", "bio", "languages", "availability_hours_per_month",
                                 "mentor_capacity", "roles"})

# What leaves the service on the bus: a bio is free text and stays here.
PRIVATE_PROFILE_FIELDS = frozenset({"bio"})


def with_defaults(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Fill the optional fields the way DESIGN.md §4 promises."""
    filled = {"title": None, "location": None, "timezone": "UTC", "languages": ["en"], "manager_id": None,
              "years_experience": None, "skills": [], "interests": [], "availability_hours_per_month": None,
              "bio": None, "employment_status": "active", **profile}
    if filled.get("mentor_capacity") is None:
        filled["mentor_capacity"] = 1 if "mentor" in filled["roles"] else 0
    filled["skills"] = normalise_skills(filled["skills"])
    return filled


def normalise_skills(skills: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Lower-case skill names; a repeated skill keeps its highest level."""
    best: dict[str, int] = {}
    for skill in skills:
        name = skill["name"].strip().lower()
        best[name] = max(best.get(name, 0), int(skill["level"]))
    return [{"name": name, "level": level} for name, level in best.items()]


def changed_fields(stored: Mapping[str, Any] | None, incoming: Mapping[str, Any]) -> set[str]:
    if stored is None:
        return set(incoming)
    return {k for k, v in incoming.items() if stored.get(k) != v}


def event_data(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as other services see it on `mentoring.profiles`."""
    return {k: v for k, v in profile.items()
            if k not in PRIVATE_PROFILE_FIELDS and k not in ("created_at", "erased")}


# -- goals ---------------------------------------------------------------------------------------

GOAL_STATUSES = ("active", "completed", "abandoned")


def progress_goal(goal: Mapping[str, Any], progress: int | None, status: str | None) -> tuple[dict, str | None]:
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
        return updated, "mentoring.goal.completed"
    return updated, "mentoring.goal.progressed"


def goal_event_data(goal: Mapping[str, Any], previous_progress: int | None = None) -> dict[str, Any]:
    """Goal facts for the bus: ids, skills, status and numbers; never the title or description."""
    return {"goal_id": goal["goal_id"], "employee_id": goal["employee_id"],
            "target_skills": list(goal.get("target_skills", [])), "status": goal["status"],
            "progress": goal["progress"], "previous_progress": previous_progress, "due_on": goal.get("due_on"),
            "milestones_total": len(goal.get("milestones", [])), "version": goal["version"],
            "updated_at": goal["updated_at"]}
