"""The program KPIs of DESIGN.md §4, for everyone in a program or for one group of its people.

Definitions where the contract is silent:
* enrolled = currently enrolled (withdrawn people drop out of every figure but the outcomes cohort);
* matched mentee = an enrolled mentee with a mentorship in the program that started (active or ended);
  hours to match = from their enrollment to the first such start;
* sessions per active mentorship per month = completed sessions / mentorship-months, where each
  started mentorship counts from its start to its end (or now), and at least one month;
* program goals = goals of enrolled mentees that were open at some point in the program's window;
  completed = completed inside the window;
* mentor utilization = proposed + active mentorships of the program's enrolled mentors / their
  `mentor_capacity` (one capacity across all programs, as in matching).
Within a group, mentorships, sessions and feedback count for the group of the mentee.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from services.analytics.domain.state import Goal, ProgramFacts
from services.analytics.domain.times import hours_between, moment
from services.analytics.domain.window import program_window
from shared.timeutil import to_rfc3339

MONTH = timedelta(days=30.4375)
STARTED = ("active", "ended")
ASSIGNED = ("proposed", "active")


def ratio(part: float, whole: float, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


def summary(facts: ProgramFacts, as_of: datetime, members: set[str] | None = None) -> dict[str, Any]:
    """The summary KPIs; `members` restricts them to a group of people."""
    def within(person: str | None) -> bool:
        return members is None or person in members

    mentees = {p for p in facts.enrolled("mentee") if within(p)}
    mentors = {p for p in facts.enrolled("mentor") if within(p)}
    pairs = [m for m in facts.mentorships.values() if within(m["mentee"])]
    mentee_of = {m["mentorship"]: m["mentee"] for m in facts.mentorships.values()}
    sessions = [s for s in facts.sessions.values() if s["status"] == "completed" and within(s["mentee"])]
    feedback = [f for f in facts.feedback if members is None or mentee_of.get(f["mentorship"]) in members]
    hours = hours_to_match(facts, mentees)
    goals = program_goals(facts, mentees, as_of)
    completed = [g for g in goals if goal_completed_in(facts, g, as_of)]
    return {
        "enrolled_mentees": len(mentees), "enrolled_mentors": len(mentors), "matched_mentees": len(hours),
        "match_rate": ratio(len(hours), len(mentees)),
        "median_hours_to_match": round(statistics.median(hours.values()), 2) if hours else None,
        "active_mentorships": sum(m["status"] == "active" for m in pairs),
        "ended_mentorships": sum(m["status"] == "ended" for m in pairs),
        "sessions_completed": len(sessions),
        "sessions_per_active_mentorship_per_month": session_rate(len(sessions), pairs, as_of),
        "goals_total": len(goals), "goals_completed": len(completed),
        "goal_completion_rate": ratio(len(completed), len(goals)),
        "average_feedback_rating": round(statistics.fmean(f["rating"] for f in feedback), 2) if feedback else None,
        "feedback_count": len(feedback),
        "mentor_utilization": mentor_utilization(facts, mentors),
        "as_of": to_rfc3339(as_of),
    }


def hours_to_match(facts: ProgramFacts, mentees: set[str]) -> dict[str, float]:
    """Per matched mentee, hours from enrollment to their first started mentorship (never negative)."""
    first_start: dict[str, str] = {}
    for pair in facts.mentorships.values():
        if pair["status"] in STARTED and pair["mentee"] in mentees and pair.get("started_at"):
            first_start[pair["mentee"]] = min(pair["started_at"], first_start.get(pair["mentee"], pair["started_at"]))
    return {mentee: max(0.0, hours_between(facts.enrollments[(mentee, "mentee")]["at"], started))
            for mentee, started in first_start.items()}


def session_rate(completed: int, pairs: Iterable[dict[str, Any]], as_of: datetime) -> float | None:
    months = 0.0
    for pair in pairs:
        if pair["status"] in STARTED and pair.get("started_at"):
            until = moment(pair.get("ended_at")) or as_of
            months += max(1.0, (until - moment(pair["started_at"])) / MONTH)
    return round(completed / months, 2) if months else None


def program_goals(facts: ProgramFacts, mentees: set[str], as_of: datetime) -> list[Goal]:
    window = program_window(facts.program, as_of)
    return [g for g in facts.goals.values() if g.person in mentees and
            window.open_at_some_point(g.created_at, g.closed_at)]


def goal_completed_in(facts: ProgramFacts, goal: Goal, as_of: datetime) -> bool:
    return goal.status == "completed" and program_window(facts.program, as_of).contains(goal.closed_at)


def assigned_pairs(facts: ProgramFacts, mentors: set[str]) -> Counter[str]:
    """Per mentor, their proposed and active mentorships in the program (what takes up capacity)."""
    return Counter(m["mentor"] for m in facts.mentorships.values()
                   if m["mentor"] in mentors and m["status"] in ASSIGNED)


def mentor_utilization(facts: ProgramFacts, mentors: set[str]) -> float | None:
    capacity = sum(facts.people[m].mentor_capacity for m in mentors if m in facts.people)
    return ratio(assigned_pairs(facts, mentors).total(), capacity)


def rating_distribution(facts: ProgramFacts) -> dict[str, int]:
    """How many feedback entries gave each rating 1..5."""
    counts = {str(r): 0 for r in range(1, 6)}
    for entry in facts.feedback:
        counts[str(entry["rating"])] += 1
    return counts
