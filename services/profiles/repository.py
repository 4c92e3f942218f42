"""Mongo adapter for people and goals; every write carries its events in the same document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.profiles.adapters.indexes import GOALS, INDEXES, OUTBOX_COLLECTIONS, PEOPLE
from shared import outbox
from shared.events import Event
from shared.org_chart import reports_of, walk_chain
from shared.pagination import page

__all__ = ["GOALS", "INDEXES", "OUTBOX_COLLECTIONS", "PEOPLE", "ProfileRepository"]


class ProfileRepository:
    def __init__(self, db: Database):
        self._people, self._goals = db[PEOPLE], db[GOALS]

    # -- people --------------------------------------------------------------------------------
    def get(self, employee_id: str) -> dict[str, Any] | None:
        """The stored person (a tombstone after erasure), without outbox bookkeeping."""
        return outbox.strip(self._people.find_one({"_id": employee_id}))

    def get_many(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: outbox.strip(d) for d in self._people.find({"_id": {"$in": list(ids)}})}

    def insert(self, profile: Mapping[str, Any], events: Sequence[Event]) -> bool:
        try:
            self._people.insert_one(outbox.stamp_new({"_id": profile["employee_id"], **profile}, events))
            return True
        except DuplicateKeyError:
            return False

    def update(self, employee_id: str, version: int, new: Mapping[str, Any], events: Sequence[Event],
               unset: Iterable[str] = ()) -> bool:
        """Write `new` fields only if the stored version is still `version` (optimistic concurrency)."""
        update: dict[str, Any] = {"$set": dict(new)}
        if unset:
            update["$unset"] = {name: "" for name in unset}
        result = self._people.update_one({"_id": employee_id, "version": version}, outbox.append(update, events))
        return result.modified_count == 1

    def erase(self, employee_id: str, version: int, tombstone: Mapping[str, Any], event: Event) -> bool:
        """Replace the person with a tombstone whose only pending event is the erasure itself."""
        doc = outbox.stamp_new({"_id": employee_id, **tombstone}, [event])
        result = self._people.replace_one({"_id": employee_id, "version": version}, doc)
        return result.modified_count == 1

    def bulk_write(self, creates: Sequence[tuple[dict, Event]],
                   updates: Sequence[tuple[dict, int, Event]]) -> set[str]:
        """Apply many upserts at once; returns the ids that lost a race and need a single retry."""
        ops = [InsertOne(outbox.stamp_new({"_id": p["employee_id"], **p}, [e])) for p, e in creates]
        ops += [UpdateOne({"_id": p["employee_id"], "version": v}, outbox.append({"$set": p}, [e]))
                for p, v, e in updates]
        if not ops:
            return set()
        try:
            self._people.bulk_write(ops, ordered=False)
        except BulkWriteError as exc:
            return {_op_id(ops[err["index"]]) for err in exc.details.get("writeErrors", [])}
        return set()

    def management_chain(self, employee_id: str, manager_id: str | None) -> list[str]:
        """Manager, their manager, ... of a person whose manager is `manager_id` (stops at cycles)."""
        if manager_id is None:
            return []  # known to report to no one: nothing to walk
        return list(walk_chain(employee_id, self._manager_of, manager_id))

    def _manager_of(self, employee_id: str) -> str | None:
        return (self._people.find_one({"_id": employee_id}, {"manager_id": 1}) or {}).get("manager_id")

    def reports_of(self, manager_id: str) -> set[str]:
        """Everyone below a manager, directly or indirectly."""
        return reports_of(self._people, manager_id)

    def page(self, query: Mapping[str, Any], *, limit: int, cursor: str | None, render) -> dict[str, Any]:
        return page(self._people, {**query, "erased": {"$ne": True}}, limit=limit, cursor=cursor,
                    render=lambda d: render(outbox.strip(d)))

    # -- goals ---------------------------------------------------------------------------------
    def get_goal(self, goal_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._goals.find_one({"_id": goal_id}))

    def insert_goal(self, goal: Mapping[str, Any], events: Sequence[Event]) -> None:
        self._goals.insert_one(outbox.stamp_new({"_id": goal["goal_id"], **goal}, events))

    def update_goal(self, goal_id: str, version: int, new: Mapping[str, Any], events: Sequence[Event]) -> bool:
        result = self._goals.update_one({"_id": goal_id, "version": version},
                                        outbox.append({"$set": dict(new)}, events))
        return result.modified_count == 1

    def page_goals(self, employee_id: str, *, limit: int, cursor: str | None, render) -> dict[str, Any]:
        return page(self._goals, {"employee_id": employee_id}, limit=limit, cursor=cursor,
                    render=lambda d: render(outbox.strip(d)))

    def delete_goals_of(self, employee_id: str) -> int:
        return self._goals.delete_many({"employee_id": employee_id}).deleted_count


def _op_id(op) -> str:
    doc = getattr(op, "_doc", None) or getattr(op, "_filter", {})
    return doc["_id"]
