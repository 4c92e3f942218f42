"""Which active mentorships need a program admin's attention, and why. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.timeutil import parse_rfc3339

LOW_RATING = 2  # a rating at or below this is a signal
STALLED_GOAL_DAYS = 30


@dataclass(frozen=True)
class PairHistory:
    """What the service knows about one active mentorship up to `as_of`."""

    started_at: str
    completed_sessions_at: Sequence[str] = ()  # when each completed session took place
    ratings: Sequence[tuple[int, str]] = ()  # (rating, submitted_at)
    mentee_goals: Sequence[Mapping[str, Any]] = ()  # {goal_id, status, progressed_at}


def signals(history: PairHistory, checkin_every_days: int, as_of: datetime) -> list[dict[str, Any]]:
    """The signals that fire for one mentorship, in a fixed order; empty when all is well."""
    found = [no_session(history, checkin_every_days, as_of), low_rating(history, as_of),
             stalled_goals(history, as_of)]
    return [signal for signal in found if signal is not None]


def no_session(history: PairHistory, checkin_every_days: int, as_of: datetime) -> dict[str, Any] | None:
    """No completed session for twice the check-in interval, since the start or the last session."""
    last = _latest(history.completed_sessions_at, as_of) or parse_rfc3339(history.started_at)
    days = (as_of - last).days
    if days < 2 * checkin_every_days:
        return None
    return {"signal": "no_session_for_days", "days": days}


def low_rating(history: PairHistory, as_of: datetime) -> dict[str, Any] | None:
    ratings = [r for r, at in history.ratings if parse_rfc3339(at) <= as_of]
    if not ratings or min(ratings) > LOW_RATING:
        return None
    return {"signal": "low_rating", "rating": min(ratings)}


def stalled_goals(history: PairHistory, as_of: datetime) -> dict[str, Any] | None:
    """The mentee's active goals whose progress has not moved for 30 days."""
    stalled = sorted(goal["goal_id"] for goal in history.mentee_goals
                     if goal.get("status") == "active" and goal.get("progressed_at")
                     and (as_of - parse_rfc3339(goal["progressed_at"])).days >= STALLED_GOAL_DAYS)
    if not stalled:
        return None
    return {"signal": "stalled_goals", "goal_ids": stalled}


def _latest(moments: Iterable[str], as_of: datetime) -> datetime | None:
    past = [m for m in (parse_rfc3339(t) for t in moments) if m <= as_of]
    return max(past) if past else None
