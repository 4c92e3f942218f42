"""Use cases of the profiles service: upsert, self-service edit, erasure, bulk import, goals."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.profiles.domain import goals, profiles
from services.profiles.use_cases.ports import ProfilesUnit
from shared.errors import Conflict, NotFound, PreconditionFailed
from shared.events import Event, EventType, new_event
from shared.events import catalog as ev
from shared.org_chart import walk_chain
from shared.timeutil import now_rfc3339


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "failed": self.failed}


class ProfileService:
    def __init__(self, uow: ProfilesUnit):
        self.uow = uow

    # -- people --------------------------------------------------------------------------------
    def get(self, employee_id: str) -> dict[str, Any]:
        person = self.uow.people.get(employee_id)
        if person is None or person.get("erased"):
            raise NotFound(f"no profile for employee {employee_id}")
        return person

    def upsert(self, employee_id: str, body: Mapping[str, Any], if_match: int | None = None) -> tuple[dict, bool]:
        """Create or replace a profile; returns (profile, created)."""
        for _ in range(3):
            stored = self.uow.people.get(employee_id)  # a tombstone too: a rehire continues its versions
            _check_precondition(self._live(stored), if_match)
            incoming = profiles.with_defaults({**body, "employee_id": employee_id})
            outcome = self._write(employee_id, stored, incoming)
            if outcome is not None:
                return outcome
            if if_match is not None:
                raise PreconditionFailed("the profile changed meanwhile; fetch it again")
        raise Conflict("the profile is being changed concurrently; retry")

    def patch(self, employee_id: str, changes: Mapping[str, Any], if_match: int | None = None) -> dict:
        for _ in range(3):
            stored = self.get(employee_id)
            _check_precondition(stored, if_match)
            merged = profiles.with_defaults({**profiles.public_fields(stored), **changes})
            outcome = self._write(employee_id, stored, merged)
            if outcome is not None:
                return outcome[0]
            if if_match is not None:
                raise PreconditionFailed("the profile changed meanwhile; fetch it again")
        raise Conflict("the profile is being changed concurrently; retry")

    def _write(self, employee_id: str, stored: dict | None, incoming: dict) -> tuple[dict, bool] | None:
        """One optimistic write over `stored` (None, live, or an erasure's tombstone); None when another
        writer got there first."""
        now = now_rfc3339()
        if self._live(stored) is None:
            version = (stored or {}).get("version", 0) + 1  # after an erasure, a rehire continues its versions
            profile = {**incoming, "version": version, "created_at": now, "updated_at": now}
            event = self.profile_event(ev.PROFILE_CREATED, profile)
            if self._create(employee_id, profile, event, version):
                return profile, True
            return None
        if not profiles.changed_fields(profiles.public_fields(stored), incoming):
            return stored, False  # idempotent re-send: no new version, no event
        profile = {**incoming, "version": stored["version"] + 1, "created_at": stored["created_at"],
                   "updated_at": now}
        event = self.profile_event(ev.PROFILE_UPDATED, profile)
        if self.uow.people.update(employee_id, stored["version"], profile, [event]):
            return profile, False
        return None

    def _create(self, employee_id: str, profile: dict, event: Event, version: int) -> bool:
        if version == 1:
            return self.uow.people.insert(profile, [event])
        return self.uow.people.update(employee_id, version - 1, profile, [event], unset=("erased", "erased_at"))

    def erase(self, employee_id: str) -> None:
        """Right to erasure: the person becomes a tombstone and every service is told."""
        stored = self.get(employee_id)
        version = stored["version"] + 1
        event = new_event(ev.PROFILE_DELETED, {"employee_id": employee_id, "version": version},
                          source=profiles.SOURCE)
        tombstone = {"employee_id": employee_id, "erased": True, "version": version, "erased_at": now_rfc3339()}
        if not self.uow.people.erase(employee_id, stored["version"], tombstone, event):
            raise Conflict("the profile changed meanwhile; retry the erasure")
        self.uow.goals.delete_of(employee_id)

    def management_chain(self, employee_id: str, manager_id: str | None) -> list[str]:
        """Manager, their manager, ... of a person whose manager is `manager_id` (stops at cycles)."""
        if manager_id is None:
            return []  # known to report to no one: nothing to walk
        return list(walk_chain(employee_id, self.uow.people.manager_of, manager_id))

    @staticmethod
    def _live(doc: dict | None) -> dict | None:
        return doc if profiles.is_live(doc) else None

    @staticmethod
    def profile_event(event_type: EventType, profile: Mapping[str, Any]) -> Event:
        return new_event(event_type, profiles.event_data(profile), source=profiles.SOURCE)

    # -- goals ---------------------------------------------------------------------------------
    def create_goal(self, employee_id: str, body: Mapping[str, Any]) -> dict:
        self.get(employee_id)
        goal = goals.new_goal(str(uuid.uuid4()), employee_id, body, now_rfc3339())
        event = new_event(ev.GOAL_CREATED, goals.goal_event_data(goal), source=profiles.SOURCE)
        self.uow.goals.insert(goal, [event])
        return goal

    def get_goal(self, goal_id: str) -> dict:
        goal = self.uow.goals.get(goal_id)
        if goal is None:
            raise NotFound(f"no goal {goal_id}")
        return goal

    def progress_goal(self, goal_id: str, progress: int | None, status: str | None) -> dict:
        goal = self.get_goal(goal_id)
        updated, event_type = goals.progress_goal(goal, progress, status)
        if event_type is None:
            return goal
        updated.update(version=goal["version"] + 1, updated_at=now_rfc3339())
        data = goals.goal_event_data(updated, previous_progress=goal["progress"])
        event = new_event(event_type, data, source=profiles.SOURCE)
        if not self.uow.goals.update(goal_id, goal["version"], updated, [event]):
            raise Conflict("the goal changed meanwhile; retry")
        return updated


def _check_precondition(stored: Mapping[str, Any] | None, if_match: int | None) -> None:
    if if_match is None:
        return
    if stored is None or stored["version"] != if_match:
        raise PreconditionFailed("If-Match does not match the current version of the profile")
