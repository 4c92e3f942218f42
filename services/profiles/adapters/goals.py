"""Goals in Mongo (`profiles_goals`), each write with its events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.profiles.adapters.indexes import GOALS
from services.profiles.use_cases.ports import Page
from shared import outbox
from shared.events import Event
from shared.pagination import page


class MongoGoals:
    """The `Goals` port on one store session (None: every write stands on its own)."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        self._goals, self._session = db[GOALS], session

    def get(self, goal_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._goals.find_one({"_id": goal_id}, {outbox.OUTBOX: 0}, session=self._session))

    def insert(self, goal: Mapping[str, Any], events: Sequence[Event]) -> None:
        self._goals.insert_one(outbox.stamp_new({"_id": goal["goal_id"], **goal}, events), session=self._session)

    def update(self, goal_id: str, version: int, goal: Mapping[str, Any], events: Sequence[Event]) -> bool:
        result = self._goals.update_one({"_id": goal_id, "version": version},
                                        outbox.append({"$set": dict(goal)}, events), session=self._session)
        return result.modified_count == 1

    def page_of(self, employee_id: str, *, limit: int, cursor: str | None) -> Page:
        return page(self._goals, {"employee_id": employee_id}, limit=limit, cursor=cursor, render=outbox.strip,
                    session=self._session)

    def delete_of(self, employee_id: str) -> int:
        return self._goals.delete_many({"employee_id": employee_id}, session=self._session).deleted_count
