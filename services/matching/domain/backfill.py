"""History written after the fact in matching: what each aggregate recorded before its next step. Pure.

When an admin's `occurred_at` is acceptable at all (the window, the strict `Stamp`) is shared.backfill's,
as profiles backfills too. This module says what a moment must not precede here: a pair is accepted after
it was proposed, ends after it started, a session is completed after it was created and began, a
proposal follows both members' enrollments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.backfill import History, Stamp
from shared.timeutil import parse_rfc3339, to_rfc3339


def from_profile(data: Mapping[str, Any], now: str) -> Stamp:
    """The moment of a profile change: its own `updated_at` when HR backfilled it, else now."""
    if not data.get("backfilled") or not data.get("updated_at"):
        return Stamp(now)
    try:
        return Stamp(to_rfc3339(parse_rfc3339(data["updated_at"])), backfilled=True)
    except (ValueError, OverflowError):  # profiles validates its times; a bad one must not stop a departure
        return Stamp(now)


# -- what each aggregate recorded before the next step ------------------------------------------

def enrollment_history(current: Mapping[str, Any] | None) -> History:
    """Re-enrolling follows the earlier withdrawal; a first enrollment follows nothing in particular."""
    return {"the earlier withdrawal": (current or {}).get("withdrawn_at")}


def withdrawal_history(enrollment: Mapping[str, Any]) -> History:
    return {"the enrollment": enrollment.get("enrolled_at")}


def proposal_history(mentor_enrollment: Mapping[str, Any], mentee_enrollment: Mapping[str, Any]) -> History:
    return {"the mentor's enrollment": mentor_enrollment.get("enrolled_at"),
            "the mentee's enrollment": mentee_enrollment.get("enrolled_at")}


def transition_history(mentorship: Mapping[str, Any], action: str) -> History:
    """accept and decline follow the proposal; an end also follows the start."""
    history = {"the proposal": mentorship.get("created_at")}
    if action == "end":
        history["the start"] = mentorship.get("started_at")
    return history


def schedule_history(mentorship: Mapping[str, Any]) -> History:
    return {"the mentorship's start": mentorship.get("started_at")}


def session_history(session: Mapping[str, Any], action: str) -> History:
    """Completing follows the session's creation and its scheduled start; cancelling its creation."""
    history = {"the session's creation": session.get("created_at")}
    if action == "complete":
        history["the session's start"] = session.get("scheduled_at")
    return history


def feedback_history(mentorship: Mapping[str, Any], session: Mapping[str, Any] | None) -> History:
    history = {"the mentorship's start": mentorship.get("started_at")}
    if session is not None:
        history["the session's start"] = session.get("scheduled_at")
    return history


def enrolled_by(enrollment: Mapping[str, Any], as_of: str | None) -> bool:
    """Was this enrollment in place at `as_of` (a backfilled wave's moment; None: now)?"""
    return as_of is None or parse_rfc3339(enrollment["enrolled_at"]) <= parse_rfc3339(as_of)
