"""Pairs at risk: active mentorships whose own history says a program admin should look at them.

Computed from analytics' facts alone (never from matching's store), as of the report's time:
* `no_session_for_days`: no completed session for at least twice the program's check-in interval,
  counted from the pair's last completed session, or from its start if it has held none yet;
* `low_rating`: the latest rating the mentee or the mentor gave is 2 or lower (one bad session months
  ago followed by good ones is no longer a risk);
* `stalled_goals`: the mentee has active goals that have not moved (progress or status) for 30 days.
The list is a report: most urgent first (most signals, then the longest silence).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from services.analytics.domain.state import ProgramFacts
from services.analytics.domain.times import moment

LOW_RATING = 2  # a latest rating at or below this is a signal
STALLED_GOAL_DAYS = 30
SILENCE_IN_CHECKINS = 2  # a pair is silent after this many check-in intervals without a session


def pairs_at_risk(facts: ProgramFacts, as_of: datetime) -> list[dict[str, Any]]:
    """The program's active pairs with at least one signal, most urgent first."""
    sessions = completed_sessions(facts, as_of)
    ratings = latest_ratings(facts, as_of)
    stalled = stalled_goals(facts, as_of)
    found = []
    for pair in facts.mentorships.values():
        if pair["status"] != "active" or not _begun(pair, as_of):
            continue
        item = assessed(pair, sessions.get(pair["mentorship"], []), ratings.get(pair["mentorship"], {}),
                        stalled.get(pair["mentee"], []), _cadence(facts), as_of)
        if item["signals"]:
            found.append(item)
    return sorted(found, key=lambda i: (-len(i["signals"]), -i["days_without_session"], i["mentorship_id"]))


def assessed(pair: Mapping[str, Any], sessions: list[str], ratings: Mapping[str, tuple[str, int]],
             stalled: list[str], cadence: int | None, as_of: datetime) -> dict[str, Any]:
    """One active pair with its context (start, last session, sessions held) and the signals that fire."""
    last = sessions[-1] if sessions else None
    days = (as_of - moment(last or pair["started_at"])).days
    signals = []
    if cadence and days >= SILENCE_IN_CHECKINS * cadence:
        signals.append({"signal": "no_session_for_days", "days": days})
    lowest = min((rating for _, rating in ratings.values()), default=None)
    if lowest is not None and lowest <= LOW_RATING:
        signals.append({"signal": "low_rating", "rating": lowest})
    if stalled:
        signals.append({"signal": "stalled_goals", "goal_ids": stalled})
    return {"mentorship_id": pair["mentorship"], "mentor": pair["mentor"], "mentee": pair["mentee"],
            "started_at": pair["started_at"], "last_session_at": last, "sessions_completed": len(sessions),
            "days_without_session": days, "signals": signals}


def completed_sessions(facts: ProgramFacts, as_of: datetime) -> dict[str, list[str]]:
    """Per mentorship, when its sessions were completed (up to `as_of`), oldest first."""
    found: dict[str, list[str]] = {}
    for s in facts.sessions.values():
        if s["status"] == "completed" and s.get("completed_at") and moment(s["completed_at"]) <= as_of:
            found.setdefault(s["mentorship"], []).append(s["completed_at"])
    return {mentorship: sorted(times) for mentorship, times in found.items()}


def latest_ratings(facts: ProgramFacts, as_of: datetime) -> dict[str, dict[str, tuple[str, int]]]:
    """Per mentorship and author role (mentee, mentor), the latest rating given up to `as_of`, with its time."""
    found: dict[str, dict[str, tuple[str, int]]] = {}
    for entry in facts.feedback:
        if moment(entry["at"]) > as_of:
            continue
        by_role = found.setdefault(entry["mentorship"], {})
        given = (entry["at"], entry["rating"])
        by_role[entry["author_role"]] = max(by_role.get(entry["author_role"], given), given, key=lambda g: g[0])
    return found


def stalled_goals(facts: ProgramFacts, as_of: datetime) -> dict[str, list[str]]:
    """Per person, their active goals that have not moved for STALLED_GOAL_DAYS (goal ids, sorted)."""
    before = as_of - timedelta(days=STALLED_GOAL_DAYS)
    found: dict[str, list[str]] = {}
    for goal in sorted(facts.goals.values(), key=lambda g: g.goal):
        if goal.status == "active" and moment(goal.updated_at) <= before:
            found.setdefault(goal.person, []).append(goal.goal)
    return found


def _begun(pair: Mapping[str, Any], as_of: datetime) -> bool:
    return bool(pair.get("started_at")) and moment(pair["started_at"]) <= as_of


def _cadence(facts: ProgramFacts) -> int | None:
    """The program's check-in interval in days; unknown until its `program.created` arrives."""
    return (facts.program or {}).get("checkin_every_days")
