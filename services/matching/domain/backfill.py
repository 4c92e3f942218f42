"""History written after the fact: when an admin's `occurred_at` is acceptable for an aggregate. Pure.

A customer migrating from another platform brings months of enrollments, matches, sessions and
feedback. Each backfilled write carries the moment it happened. That moment is acceptable when it
is at most 5 minutes ahead of now (clocks drift), not before 2000-01-01, and never before what the
aggregate already recorded: a pair is accepted after it was proposed, ends after it started, a
session is completed after it was created and began, a proposal follows both members' enrollments.

A `Stamp` is the moment a write records. An admin's is strict: out of order is a 422. One derived
from other history (a leaver's departure, the sessions a backfilled end cancels) moves up to the
aggregate's latest moment instead, since nothing ends before it began.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.errors import Invalid
from shared.timeutil import parse_rfc3339, to_rfc3339

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)

History = Mapping[str, str | None]  # what the aggregate recorded, by name -> RFC 3339 moment (or None)


@dataclass(frozen=True)
class Backfill:
    """An admin's request to record history: when it happened, and who records it (the token's `sub`)."""

    occurred_at: datetime
    by: str


@dataclass(frozen=True)
class Stamp:
    """The moment a write records, and whether it is history recorded after the fact."""

    at: str
    backfilled: bool = False
    strict: bool = False  # an admin's occurred_at: refused, not moved, when it precedes the history

    def applied_to(self, history: History) -> Stamp:
        """This stamp for an aggregate with `history`: unchanged, moved up to its latest moment, or Invalid."""
        if not self.backfilled:
            return self  # now follows everything recorded
        late = [(what, moment) for what, moment in history.items()
                if moment and parse_rfc3339(moment) > parse_rfc3339(self.at)]
        if not late:
            return self
        if self.strict:
            what, moment = late[0]
            raise _invalid(f"must not be before {what} ({moment})")
        return replace(self, at=max((m for _, m in late), key=parse_rfc3339))

    def derived(self) -> Stamp:
        """The stamp of what this write causes (e.g. the sessions an end cancels): it yields to their history."""
        return replace(self, strict=False)


def occurred(occurred_at: datetime, now: datetime) -> Stamp:
    """An admin's `occurred_at` as a strict stamp; Invalid outside 2000-01-01 .. now + 5 minutes.

    Compared before it is ever converted, so a year-1 or year-9999 instant is a 422, never an overflow."""
    if occurred_at > now + CLOCK_SKEW:
        raise _invalid("must not be more than 5 minutes in the future")
    if occurred_at < EARLIEST:
        raise _invalid("must not be before 2000-01-01T00:00:00Z")
    return Stamp(to_rfc3339(occurred_at), backfilled=True, strict=True)


def from_profile(data: Mapping[str, Any], now: str) -> Stamp:
    """The moment of a profile change: its own `updated_at` when HR backfilled it, else now."""
    if not data.get("backfilled") or not data.get("updated_at"):
        return Stamp(now)
    try:
        return Stamp(to_rfc3339(parse_rfc3339(data["updated_at"])), backfilled=True)
    except (ValueError, OverflowError):  # profiles validates its times; a bad one must not stop a departure
        return Stamp(now)


def _invalid(message: str) -> Invalid:
    return Invalid(f"occurred_at {message}", {"occurred_at": [message]})


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
