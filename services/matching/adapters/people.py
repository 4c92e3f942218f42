"""Matching's own view of people and their goals, fed by the profiles and goals streams (Mongo).

Writes are guarded by the profile's or goal's `version`, so replays and redeliveries change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.collection import Collection
from pymongo.database import Database

from services.matching.adapters.indexes import GOALS, PEOPLE
from shared.org_chart import MAX_DEPTH, reports_of, walk_chain

CHUNK = 5000  # ids per $in query

# The profile fields matching needs; email, bio and the rest stay with the profiles service.
PERSON_FIELDS = ("name", "department", "grade", "languages", "timezone", "skills", "roles", "mentor_capacity",
                 "manager_id", "employment_status", "updated_at")


class MongoPeople:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._people, self._goals, self._session = db[PEOPLE], db[GOALS], session

    # -- people ----------------------------------------------------------------------------------
    def apply_profile(self, data: Mapping[str, Any]) -> bool:
        """Store a profile version if it is newer than the stored one; False for a stale one."""
        person = {name: data.get(name) for name in PERSON_FIELDS}
        person.update(employee_id=data["employee_id"], version=data["version"], erased=False)
        return self._apply_newer(self._people, data["employee_id"], data["version"], person, {"$set": person})

    def apply_erasure(self, employee_id: str, version: int) -> bool:
        """Keep only a tombstone: the id, the version, and that the person was erased."""
        tombstone = {"employee_id": employee_id, "version": version, "erased": True, "employment_status": "erased"}
        unset = {name: "" for name in PERSON_FIELDS if name != "employment_status"}
        return self._apply_newer(self._people, employee_id, version, tombstone, {"$set": tombstone, "$unset": unset})

    def get(self, employee_id: str) -> dict[str, Any] | None:
        return self._people.find_one({"_id": employee_id}, session=self._session)

    def get_many(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            found.update((d["_id"], d) for d in self._people.find({"_id": {"$in": chunk}}, session=self._session))
        return found

    def chains(self, people: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
        """Each person's management chain (manager first), computed from stored manager ids."""
        manager_of = {pid: p.get("manager_id") for pid, p in people.items()}
        frontier = {m for m in manager_of.values() if m and m not in manager_of}
        for _ in range(MAX_DEPTH):
            if not frontier:
                break
            found = {d["_id"]: d.get("manager_id") for chunk in _chunks(sorted(frontier))
                     for d in self._people.find({"_id": {"$in": chunk}}, {"manager_id": 1}, session=self._session)}
            manager_of.update({m: found.get(m) for m in frontier})
            frontier = {m for m in found.values() if m and m not in manager_of}
        return {pid: walk_chain(pid, manager_of.get) for pid in people}

    def reports_of(self, manager_id: str) -> set[str]:
        """Everyone below a manager, directly or indirectly."""
        return reports_of(self._people, manager_id, self._session)

    # -- goals -----------------------------------------------------------------------------------
    def apply_goal(self, data: Mapping[str, Any], progressed: bool) -> bool:
        """Store a goal version if newer; `progressed` moves the goal's last-progress time."""
        goal = {"employee_id": data["employee_id"], "target_skills": list(data.get("target_skills") or []),
                "status": data["status"], "progress": data["progress"], "version": data["version"],
                "updated_at": data.get("updated_at")}
        changes = {**goal, "progressed_at": data.get("updated_at")} if progressed else goal
        return self._apply_newer(self._goals, data["goal_id"], data["version"],
                                 {**goal, "progressed_at": data.get("updated_at")}, {"$set": changes})

    def goals_of(self, employee_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        by_person: dict[str, list[dict[str, Any]]] = {}
        for chunk in _chunks(list(dict.fromkeys(employee_ids))):
            for goal in self._goals.find({"employee_id": {"$in": chunk}}, session=self._session):
                by_person.setdefault(goal["employee_id"], []).append({**goal, "goal_id": goal["_id"]})
        return by_person

    def delete_goals_of(self, employee_id: str) -> int:
        return self._goals.delete_many({"employee_id": employee_id}, session=self._session).deleted_count

    def _apply_newer(self, collection: Collection, doc_id: str, version: int, document: Mapping[str, Any],
                     update: Mapping[str, Any]) -> bool:
        """Insert, or update when `version` is newer than the stored one; a stale or replayed version writes
        nothing. The consumer calls this inside its transaction, where the read and the write see one
        snapshot and a concurrent writer is a write conflict that reruns the whole batch: no retry here."""
        stored = collection.find_one({"_id": doc_id}, {"version": 1}, session=self._session)
        if stored is None:
            collection.insert_one({"_id": doc_id, **document}, session=self._session)
            return True
        if stored.get("version", 0) >= version:
            return False
        guard = {"_id": doc_id, "version": stored.get("version")}
        return collection.update_one(guard, update, session=self._session).matched_count == 1


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]
