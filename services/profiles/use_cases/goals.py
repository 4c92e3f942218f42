"""Development goals: set one, follow them, move their progress."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.profiles.domain import access, profiles
from services.profiles.domain import goals as rules
from services.profiles.use_cases.people import get_profile, read_profile
from services.profiles.use_cases.ports import Page, ProfilesUnit
from shared.auth import Principal
from shared.errors import Conflict, NotFound
from shared.events import catalog as ev
from shared.events import new_event
from shared.timeutil import now_rfc3339


def set_goal(uow: ProfilesUnit, principal: Principal, employee_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """A new goal of a living person (themselves, or HR); its facts go on the bus, its text does not."""
    access.check_self_or_hr(principal, employee_id)
    get_profile(uow, employee_id)
    goal = rules.new_goal(str(uuid.uuid4()), employee_id, body, now_rfc3339())
    uow.goals.insert(goal, [new_event(ev.GOAL_CREATED, rules.goal_event_data(goal), source=profiles.SOURCE)])
    return goal


def goals_of(uow: ProfilesUnit, principal: Principal, employee_id: str, *, limit: int,
             cursor: str | None) -> Page:
    """A person's goals for whoever may read their profile; managers see progress, not the text."""
    read_profile(uow, principal, employee_id)
    found = uow.goals.page_of(employee_id, limit=limit, cursor=cursor)
    if access.sees_goal_text(principal, employee_id):
        return found
    return {**found, "items": [rules.without_private_text(goal) for goal in found["items"]]}


def progress_goal(uow: ProfilesUnit, principal: Principal, goal_id: str, progress: int | None,
                  status: str | None) -> dict[str, Any]:
    """Move a goal's progress or status (its owner, or HR); reaching 100 % completes it."""
    goal = uow.goals.get(goal_id)
    if goal is None:
        raise NotFound(f"no goal {goal_id}")
    access.check_self_or_hr(principal, goal["employee_id"])
    updated, event_type = rules.progress_goal(goal, progress, status)
    if event_type is None:
        return goal
    updated.update(version=goal["version"] + 1, updated_at=now_rfc3339())
    event = new_event(event_type, rules.goal_event_data(updated, previous_progress=goal["progress"]),
                      source=profiles.SOURCE)
    if not uow.goals.update(goal_id, goal["version"], updated, [event]):
        raise Conflict("the goal changed meanwhile; retry")
    return updated
