"""Development goals: set one, follow them, move their progress."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.profiles.domain import access, history
from services.profiles.domain import goals as rules
from services.profiles.use_cases import backfills
from services.profiles.use_cases.people import get_profile, read_profile
from services.profiles.use_cases.ports import Page, ProfilesUnit
from shared.auth import Principal
from shared.backfill import Backfill, recording, stamp
from shared.errors import Conflict, NotFound
from shared.events import catalog as ev


def set_goal(uow: ProfilesUnit, principal: Principal, employee_id: str, body: Mapping[str, Any],
             backfill: Backfill | None = None) -> dict[str, Any]:
    """A new goal of a living person (themselves, or HR); its facts go on the bus, its text does not.
    Backfilled: set at the `occurred_at` (not before the profile was created), audited with it."""
    access.check_self_or_hr(principal, employee_id)

    def work(tx: ProfilesUnit) -> dict[str, Any]:
        when = stamp(backfill).applied_to(history.of_new_goal(get_profile(tx, employee_id)))
        goal = rules.new_goal(str(uuid.uuid4()), employee_id, body, when.at)
        tx.goals.insert(goal, [backfills.announce(ev.GOAL_CREATED, rules.goal_event_data(goal), when.backfilled)])
        backfills.recorded(tx, backfill, ev.GOAL_CREATED, goal["goal_id"], employee_id)
        return goal

    return recording(uow, backfill, work)


def goals_of(uow: ProfilesUnit, principal: Principal, employee_id: str, *, limit: int,
             cursor: str | None) -> Page:
    """A person's goals for whoever may read their profile; managers see progress, not the text."""
    read_profile(uow, principal, employee_id)
    found = uow.goals.page_of(employee_id, limit=limit, cursor=cursor)
    if access.sees_goal_text(principal, employee_id):
        return found
    return {**found, "items": [rules.without_private_text(goal) for goal in found["items"]]}


def progress_goal(uow: ProfilesUnit, principal: Principal, goal_id: str, progress: int | None,
                  status: str | None, backfill: Backfill | None = None) -> dict[str, Any]:
    """Move a goal's progress or status (its owner, or HR); reaching 100 % completes it. Backfilled: moved
    at the `occurred_at` (not before its last change), audited with it."""
    return recording(uow, backfill, lambda tx: _move(tx, principal, goal_id, progress, status, backfill))


def _move(uow: ProfilesUnit, principal: Principal, goal_id: str, progress: int | None, status: str | None,
          backfill: Backfill | None) -> dict[str, Any]:
    goal = uow.goals.get(goal_id)
    if goal is None:
        raise NotFound(f"no goal {goal_id}")
    access.check_self_or_hr(principal, goal["employee_id"])
    updated, event_type = rules.progress_goal(goal, progress, status)
    if event_type is None:
        return goal
    when = stamp(backfill).applied_to(history.of_goal(goal))
    updated.update(version=goal["version"] + 1, updated_at=when.at)
    data = rules.goal_event_data(updated, previous_progress=goal["progress"])
    if not uow.goals.update(goal_id, goal["version"], updated, [backfills.announce(event_type, data, when.backfilled)]):
        raise Conflict("the goal changed meanwhile; retry")
    backfills.recorded(uow, backfill, event_type, goal_id, goal["employee_id"])
    return updated
