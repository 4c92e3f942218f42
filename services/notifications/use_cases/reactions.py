"""Events that call for a notification: a pair proposed, a mentorship started, a goal completed.

Each records what the event says (as `tracking` does) and hands the rule's notices to `issuing`;
history an admin backfilled is recorded and calls for nobody's attention now.
They take a whole batch, so the people involved and their managers are two `$in` lookups per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from services.notifications.domain import rules
from services.notifications.domain.notices import of_event
from services.notifications.use_cases.issuing import issue
from services.notifications.use_cases.ports import Doc, UnitOfWork

Batch = Sequence[Mapping[str, Any]]


def introduce_pairs(uow: UnitOfWork, mentorships: Batch) -> None:
    """`mentorship.proposed`: mentor and mentee are introduced to each other."""
    uow.mentorships.record(mentorships)
    people = uow.people.by_id(m[f"{role}_id"] for m in mentorships for role in ("mentor", "mentee"))
    issue(uow, [notice for m in mentorships for notice in of_event(rules.introductions(m, people), m)])


def tell_managers_of_starts(uow: UnitOfWork, mentorships: Batch) -> None:
    """`mentorship.started`: the mentee's manager hears who mentors their report."""
    uow.mentorships.record(mentorships)
    people = with_managers(uow, [m["mentee_id"] for m in mentorships])
    issue(uow, [notice for m in mentorships for notice in of_event(rules.manager_on_start(m, people), m)])


def tell_managers_of_goals(uow: UnitOfWork, goals: Batch) -> None:
    """`goal.completed`: the manager hears that a goal was reached, and how many are done."""
    uow.goals.record(goals)
    people = with_managers(uow, [g["employee_id"] for g in goals])
    goals_of: dict[str, list[Doc]] = defaultdict(list)
    for goal in uow.goals.of({g["employee_id"] for g in goals}):
        goals_of[goal["employee_id"]].append(goal)
    issue(uow, [notice for g in goals
                for notice in of_event(rules.manager_on_goal_completed(g, people, goals_of[g["employee_id"]]), g)])


def with_managers(uow: UnitOfWork, report_ids: Iterable[str]) -> dict[str, Doc]:
    """These people and their managers, as this service knows them."""
    people = uow.people.by_id(report_ids)
    managers = {p.get("manager_id") for p in people.values() if p.get("manager_id")}
    return people | uow.people.by_id(managers - set(people))
