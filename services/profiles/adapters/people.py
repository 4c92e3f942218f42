"""People in Mongo (`profiles_people`): profiles and erasure tombstones, each write with its events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.profiles.adapters.indexes import PEOPLE
from services.profiles.use_cases.ports import Page, ProfileFilter
from shared import outbox
from shared.events import Event
from shared.org_chart import reports_of
from shared.pagination import page

# Reads never need the pending events (the relay's business), which pile up while the broker is away.
WITHOUT_OUTBOX = {outbox.OUTBOX: 0}
# Ids per $in: SecantusDB matches each found document against the whole list (n² in the list's length:
# 1,000 ids took ~1 s, ten lists of 100 ~0.15 s); a MongoDB server takes either in one round trip or ten.
IN_CHUNK = 100


class MongoPeople:
    """The `People` port on one store session (None: every write stands on its own)."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        self._people, self._session = db[PEOPLE], session

    def get(self, employee_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._people.find_one({"_id": employee_id}, WITHOUT_OUTBOX, session=self._session))

    def get_many(self, employee_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids, found = list(employee_ids), {}
        for start in range(0, len(ids), IN_CHUNK):
            chunk = self._people.find({"_id": {"$in": ids[start:start + IN_CHUNK]}}, WITHOUT_OUTBOX,
                                      session=self._session)
            found |= {d["_id"]: outbox.strip(d) for d in chunk}
        return found

    def insert(self, profile: Mapping[str, Any], events: Sequence[Event]) -> bool:
        try:
            self._people.insert_one(outbox.stamp_new({"_id": profile["employee_id"], **profile}, events),
                                    session=self._session)
            return True
        except DuplicateKeyError:
            return False

    def update(self, employee_id: str, version: int, profile: Mapping[str, Any], events: Sequence[Event],
               unset: Iterable[str] = ()) -> bool:
        change: dict[str, Any] = {"$set": dict(profile)}
        if unset:
            change["$unset"] = {name: "" for name in unset}
        result = self._people.update_one({"_id": employee_id, "version": version}, outbox.append(change, events),
                                         session=self._session)
        return result.modified_count == 1

    def erase(self, employee_id: str, version: int, tombstone: Mapping[str, Any], event: Event) -> bool:
        doc = outbox.stamp_new({"_id": employee_id, **tombstone}, [event])
        result = self._people.replace_one({"_id": employee_id, "version": version}, doc, session=self._session)
        return result.modified_count == 1

    def write_many(self, creates: Sequence[tuple[dict, Sequence[Event]]],
                   updates: Sequence[tuple[dict, int, Sequence[Event]]]) -> set[str]:
        ops = [InsertOne(outbox.stamp_new({"_id": p["employee_id"], **p}, e)) for p, e in creates]
        ops += [UpdateOne({"_id": p["employee_id"], "version": v}, outbox.append({"$set": p}, e))
                for p, v, e in updates]
        if not ops:
            return set()
        try:
            matched, failed = self._people.bulk_write(ops, ordered=False, session=self._session).matched_count, set()
        except BulkWriteError as exc:
            matched = exc.details.get("nMatched", 0)
            failed = {_op_id(ops[err["index"]]) for err in exc.details.get("writeErrors", [])}
        applied = [u for u in updates if u[0]["employee_id"] not in failed]
        if matched < len(applied):  # a version check matched nothing: someone wrote first
            failed |= self._not_landed(applied)
        return failed

    def _not_landed(self, updates: Sequence[tuple[dict, int, Sequence[Event]]]) -> set[str]:
        """The updates whose profile is not what is stored now (the bulk result only counts them)."""
        stored = self.get_many(p["employee_id"] for p, _, _ in updates)
        return {p["employee_id"] for p, _, _ in updates
                if any(stored.get(p["employee_id"], {}).get(k) != v for k, v in p.items())}

    def manager_of(self, employee_id: str) -> str | None:
        found = self._people.find_one({"_id": employee_id}, {"manager_id": 1}, session=self._session)
        return (found or {}).get("manager_id")

    def reports_of(self, manager_id: str) -> set[str]:
        return reports_of(self._people, manager_id, session=self._session)

    def page(self, which: ProfileFilter, *, limit: int, cursor: str | None) -> Page:
        return page(self._people, listed(which), limit=limit, cursor=cursor, render=outbox.strip,
                    session=self._session)


def listed(which: ProfileFilter) -> dict[str, Any]:
    """The Mongo filter of a profile list: living people, narrowed by each field that is set.

    One predicate, so one index (field, _id) serves it and its pages on any MongoDB-compatible store
    (SecantusDB uses an index only when it holds every field of the filter). A narrowed list needs no
    "living" predicate: a tombstone keeps no department, manager, roles or skills, and `among` (a
    manager's reports) is read from living people. The whole list asks for `erased` missing (an
    equality on null, an index bound; a rehire unsets it) rather than `$ne: true`, which is none."""
    query: dict[str, Any] = {}
    for value, field in ((which.department, "department"), (which.manager_id, "manager_id"),
                         (which.role, "roles"), (which.skill, "skills.name")):
        if value is not None:
            query[field] = value
    if which.among is not None:
        query["_id"] = {"$in": sorted(which.among)}
    return query or {"erased": None}


def _op_id(op) -> str:
    doc = getattr(op, "_doc", None) or getattr(op, "_filter", {})
    return doc["_id"]
