"""The people and goals this service knows from `mentoring.profiles` and `mentoring.goals`.

People keep only what messages need (name, email, time zone, manager, employment status) and their
version: an older or replayed profile never overwrites a newer one, and an erasure leaves only a
tombstone. A person's goals live in one document (counts are one read), each goal at its newest version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import ReplaceOne, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.notifications.adapters.bulk import by_ids

PEOPLE, GOALS = "notifications_people", "notifications_goals"
PERSON_FIELDS = ("name", "email", "timezone", "manager_id", "employment_status")
GOAL_FIELDS = ("goal_id", "employee_id", "status", "progress", "version", "updated_at")


def newest(items: Iterable[Mapping[str, Any]], key: str) -> dict[str, Mapping[str, Any]]:
    """The item with the highest `version` per `key` (a batch may hold several versions of one)."""
    found: dict[str, Mapping[str, Any]] = {}
    for item in items:
        if item[key] not in found or item["version"] > found[item[key]]["version"]:
            found[item[key]] = item
    return found


class MongoPeople:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[PEOPLE], session

    def by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in by_ids(self._coll, ids, self._session)}

    def record(self, profiles: Sequence[Mapping[str, Any]]) -> None:
        latest = newest(profiles, "employee_id")
        stored = {d["_id"]: d.get("version") for d in self._coll.find(
            {"_id": {"$in": list(latest)}}, {"version": 1}, session=self._session)}
        writes = [UpdateOne({"_id": person}, {"$set": {**{k: p.get(k) for k in PERSON_FIELDS}, "version": p["version"]},
                                              "$unset": {"erased": ""}}, upsert=True)
                  for person, p in latest.items() if stored.get(person) is None or stored[person] < p["version"]]
        if writes:
            self._coll.bulk_write(writes, ordered=False, session=self._session)

    def erase(self, employee_id: str, version: int) -> None:
        """Keep only a tombstone, so late or replayed events cannot bring the person back."""
        stored = self._coll.find_one({"_id": employee_id}, {"version": 1}, session=self._session)
        if stored is not None and (stored.get("version") or 0) > version:
            return  # a later profile (the person came back) stands
        self._coll.replace_one({"_id": employee_id}, {"_id": employee_id, "erased": True, "version": version},
                               upsert=True, session=self._session)


class MongoGoals:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[GOALS], session

    def of(self, employee_ids: Iterable[str]) -> list[dict[str, Any]]:
        return [g for doc in by_ids(self._coll, employee_ids, self._session) for g in doc["goals"]]

    def record(self, goals: Sequence[Mapping[str, Any]]) -> None:
        by_person: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for goal in newest(goals, "goal_id").values():
            by_person[goal["employee_id"]].append(goal)
        stored = {d["_id"]: {g["goal_id"]: g for g in d["goals"]} for d in by_ids(self._coll, by_person, self._session)}
        writes = []
        for person, changes in by_person.items():
            mine = dict(stored.get(person, {}))
            fresh = [g for g in changes if g["goal_id"] not in mine or mine[g["goal_id"]]["version"] < g["version"]]
            mine |= {g["goal_id"]: {k: g.get(k) for k in GOAL_FIELDS} for g in fresh}
            if fresh:
                writes.append(ReplaceOne({"_id": person}, {"_id": person, "goals": list(mine.values())}, upsert=True))
        if writes:
            self._coll.bulk_write(writes, ordered=False, session=self._session)

    def erase(self, employee_id: str) -> None:
        self._coll.delete_one({"_id": employee_id}, session=self._session)
