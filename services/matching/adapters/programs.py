"""Programs and enrollments in Mongo; each write carries its events in the same document (shared.outbox)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.matching.adapters.indexes import ENROLLMENTS, PROGRAMS
from shared import outbox
from shared.events import Event
from shared.pagination import page

CHUNK = 5000  # ids per $in query


def enrollment_key(program_id: str, employee_id: str) -> str:
    return f"{program_id}:{employee_id}"


class MongoPrograms:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._programs, self._session = db[PROGRAMS], session

    def insert(self, program: Mapping[str, Any], events: Sequence[Event]) -> None:
        self._programs.insert_one(outbox.stamp_new({"_id": program["program_id"], **program}, events),
                                  session=self._session)

    def get(self, program_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._programs.find_one({"_id": program_id}, session=self._session))

    def page(self, name: str | None, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return page(self._programs, {"name": name} if name else {}, limit=limit, cursor=cursor,
                    render=outbox.strip, session=self._session)


class MongoEnrollments:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._enrollments, self._session = db[ENROLLMENTS], session

    def get(self, program_id: str, employee_id: str) -> dict[str, Any] | None:
        found = self._enrollments.find_one({"_id": enrollment_key(program_id, employee_id)}, session=self._session)
        return outbox.strip(found)

    def get_many(self, program_id: str, employee_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = [enrollment_key(program_id, e) for e in employee_ids]
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), CHUNK):
            for doc in self._enrollments.find({"_id": {"$in": keys[start:start + CHUNK]}}, session=self._session):
                found[doc["employee_id"]] = outbox.strip(doc)
        return found

    def insert(self, enrollment: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """False when the person is already (or was) enrolled in the program (raised inside a transaction)."""
        key = enrollment_key(enrollment["program_id"], enrollment["employee_id"])
        try:
            self._enrollments.insert_one(outbox.stamp_new({"_id": key, **enrollment}, events), session=self._session)
        except DuplicateKeyError:
            if self._session is not None:
                raise
            return False
        return True

    def update(self, current: Mapping[str, Any], changes: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """Apply `changes` only while the enrollment still has the version read; False when a concurrent
        writer changed it first."""
        condition = {"_id": enrollment_key(current["program_id"], current["employee_id"]),
                     "version": current["version"]}
        update = outbox.append({"$set": dict(changes)}, events)
        return self._enrollments.update_one(condition, update, session=self._session).matched_count == 1

    def write_many(self, inserts: Sequence[tuple[dict, Event]],
                   updates: Sequence[tuple[dict, dict, Event]]) -> set[str]:
        """Many inserts and guarded updates in one bulk write; returns the employee ids whose write did not
        happen because a concurrent writer got there first.

        A bulk write counts matches but does not say which guarded update matched nothing, so each
        update is an upsert on its guard: one that finds its version gone tries to insert the key
        instead, and the duplicate key names that very row (outside a transaction, where an error
        would abort the whole batch). Exact, in one round trip. Inside a transaction the lost race aborts
        it, and is raised for the unit of work to run again."""
        ops: list = [InsertOne(outbox.stamp_new({"_id": enrollment_key(e["program_id"], e["employee_id"]), **e},
                                                [event])) for e, event in inserts]
        ops += [UpdateOne({"_id": enrollment_key(c["program_id"], c["employee_id"]), "version": c["version"]},
                          outbox.append({"$set": changes}, [event]), upsert=True) for c, changes, event in updates]
        owners = [e["employee_id"] for e, _ in inserts] + [c["employee_id"] for c, _, _ in updates]
        if not ops:
            return set()
        try:
            self._enrollments.bulk_write(ops, ordered=False, session=self._session)
        except BulkWriteError as exc:
            if self._session is not None:
                raise
            return {owners[err["index"]] for err in exc.details.get("writeErrors", [])}
        return set()

    def active(self, program_id: str, role: str) -> list[dict[str, Any]]:
        query = {"program_id": program_id, "role": role, "status": "active"}
        return [outbox.strip(d) for d in self._enrollments.find(query, {outbox.OUTBOX: 0}, session=self._session)]

    def active_of(self, employee_id: str) -> list[dict[str, Any]]:
        query = {"employee_id": employee_id, "status": "active"}
        return [outbox.strip(d) for d in self._enrollments.find(query, session=self._session)]

    def page(self, program_id: str, *, role: str | None, status: str | None, limit: int,
             cursor: str | None) -> dict[str, Any]:
        query = {"program_id": program_id, **({"role": role} if role else {}), **({"status": status} if status else {})}
        return page(self._enrollments, query, limit=limit, cursor=cursor, render=outbox.strip, session=self._session)
