"""Rules that react to one event: pair introduction, manager told of a start or a completed goal.

Inputs are plain projections (dicts) this service keeps; outputs are Notices naming people by id.
No I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.notifications.domain.notices import (
    GOAL_COMPLETED,
    INTRODUCTION,
    MENTORSHIP_STARTED,
    Notice,
    notification_id,
    reachable,
)

People = Mapping[str, Mapping[str, Any]]


def day(value: Any) -> str | None:
    """The calendar date of a timestamp (datetime or RFC 3339 text), for messages."""
    if value is None or value == "":
        return None
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


def introductions(mentorship: Mapping[str, Any], people: People) -> list[Notice]:
    """On `mentorship.proposed`: introduce mentor and mentee to each other (the match's reasons, names
    and program are rendered when the message goes out)."""
    pair = {"mentor": mentorship["mentor_id"], "mentee": mentorship["mentee_id"]}
    notices = []
    for role, partner_role in (("mentor", "mentee"), ("mentee", "mentor")):
        recipient = pair[role]
        if not reachable(people.get(recipient)):
            continue
        facts = {"your_role": role, "partner_role": partner_role, "mentorship_id": mentorship["mentorship_id"]}
        notices.append(Notice(notification_id("intro", mentorship["mentorship_id"], recipient), recipient,
                              INTRODUCTION, facts, mentorship.get("program_id"), {"partner": pair[partner_role]}))
    return notices


def manager_of(person: Mapping[str, Any] | None, people: People) -> str | None:
    """The person's manager, if both are known and the manager was not erased."""
    if not person or person.get("erased") or not person.get("manager_id"):
        return None
    manager = person["manager_id"]
    return manager if reachable(people.get(manager)) else None


def manager_on_start(mentorship: Mapping[str, Any], people: People) -> list[Notice]:
    """On `mentorship.started`: the mentee's manager learns who mentors their report, and since when."""
    manager = manager_of(people.get(mentorship["mentee_id"]), people)
    if manager is None:
        return []
    facts = {"started_on": day(mentorship.get("started_at")), "mentorship_id": mentorship["mentorship_id"]}
    about = {"report": mentorship["mentee_id"], "mentor": mentorship["mentor_id"]}
    return [Notice(notification_id("started", mentorship["mentorship_id"], manager), manager, MENTORSHIP_STARTED,
                   facts, mentorship.get("program_id"), about)]


def manager_on_goal_completed(goal: Mapping[str, Any], people: People,
                              goals_of_person: Sequence[Mapping[str, Any]]) -> list[Notice]:
    """On `goal.completed`: the manager sees that a goal was reached and how many are done, never its text."""
    manager = manager_of(people.get(goal["employee_id"]), people)
    if manager is None:
        return []
    live = [g for g in goals_of_person if g.get("status") != "abandoned"]
    facts = {"goals_completed": sum(1 for g in live if g.get("status") == "completed"),
             "goals_total": len(live), "completed_on": day(goal.get("updated_at"))}
    return [Notice(notification_id("goal", goal["goal_id"], manager), manager, GOAL_COMPLETED, facts,
                   about={"report": goal["employee_id"]})]
