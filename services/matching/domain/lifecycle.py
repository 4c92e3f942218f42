"""The rules of a mentorship's life: which transitions, sessions and feedback are allowed when.

Pure: plain dicts in, changes out; the service layer writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.errors import Conflict

MENTORSHIP_STATUSES = ("proposed", "active", "declined", "ended")
OPEN_STATUSES = ("proposed", "active")  # these hold a mentor's capacity
SESSION_STATUSES = ("scheduled", "completed", "cancelled")
# The instants matching accepts (a session's start, an at-risk `as_of`): wide enough for any real
# program, narrow enough that an 8-hour session in any timezone stays inside what calendars hold.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC)

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("proposed",), "active"),
    "decline": (("proposed",), "declined"),
    "end": (("proposed", "active"), "ended"),
}

END_REASONS = ("completed", "not_a_fit", "withdrawn", "left_company", "erased", "other")


def transition(mentorship: Mapping[str, Any], action: str, now: str, reason: str | None = None) -> dict[str, Any]:
    """The fields that change when `action` happens to `mentorship`; Conflict when it may not."""
    check_transition(mentorship, action)
    target = TRANSITIONS[action][1]
    changes: dict[str, Any] = {"status": target, "version": mentorship.get("version", 1) + 1}
    if action == "accept":
        changes["started_at"] = now
    else:
        changes["ended_at"] = now
        changes["end_reason"] = reason or ("declined" if action == "decline" else "other")
    if target not in OPEN_STATUSES:
        changes.update(release_slots(mentorship["mentorship_id"]))
    return changes


def check_transition(mentorship: Mapping[str, Any], action: str) -> None:
    """Conflict when `action` may not happen to a mentorship in its status."""
    status = mentorship["status"]
    if status not in TRANSITIONS[action][0]:
        raise Conflict(f"a {status} mentorship cannot be {_past(action)}")


def _past(action: str) -> str:
    return {"accept": "accepted", "decline": "declined", "end": "ended"}[action]


def mentor_slot(mentor_id: str, n: int) -> str:
    """One unit of a mentor's capacity; unique across open mentorships of every program."""
    return f"{mentor_id}#{n}"


def mentee_slot(program_id: str, mentee_id: str) -> str:
    """A mentee has at most one open mentorship per program."""
    return f"{program_id}#{mentee_id}"


def release_slots(mentorship_id: str) -> dict[str, str]:
    # unique values, never null: MongoDB's unique indexes treat missing values as equal
    return {"mentor_slot": f"closed#{mentorship_id}", "mentee_slot": f"closed#{mentorship_id}"}


def free_mentor_slots(mentor_id: str, capacity: int, held: set[str], wanted: int) -> list[str]:
    """Up to `wanted` slots below `capacity` that no open mentorship holds."""
    free = [mentor_slot(mentor_id, n) for n in range(capacity) if mentor_slot(mentor_id, n) not in held]
    return free[:max(0, min(wanted, capacity - len(held)))]


def member_role(mentorship: Mapping[str, Any], employee_id: str | None) -> str | None:
    """'mentor', 'mentee' or None for someone outside the pair."""
    if employee_id is None:
        return None
    if mentorship["mentor_id"] == employee_id:
        return "mentor"
    if mentorship["mentee_id"] == employee_id:
        return "mentee"
    return None


# -- sessions -------------------------------------------------------------------------------------

def check_can_schedule(mentorship: Mapping[str, Any]) -> None:
    if mentorship["status"] != "active":
        raise Conflict(f"sessions are scheduled for active mentorships; this one is {mentorship['status']}")


def check_session_transition(session: Mapping[str, Any], action: str) -> None:
    """Conflict unless the session is still scheduled."""
    if session["status"] != "scheduled":
        done = "completed" if action == "complete" else "cancelled"
        raise Conflict(f"a {session['status']} session cannot be {done}")


def session_transition(session: Mapping[str, Any], action: str, now: str) -> dict[str, Any]:
    """Complete or cancel a scheduled session."""
    check_session_transition(session, action)
    if action == "complete":
        return {"status": "completed", "completed_at": now}
    return {"status": "cancelled", "cancelled_at": now}


# -- feedback -------------------------------------------------------------------------------------

def check_can_give_feedback(mentorship: Mapping[str, Any]) -> None:
    if mentorship["status"] not in ("active", "ended"):
        raise Conflict(f"feedback is for active or ended mentorships; this one is {mentorship['status']}")
