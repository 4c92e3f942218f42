"""Mongo adapter of the fact store: the fact collections and the erasure register, on one session.

Inside the consumer's transaction (the unit of work's session) a batch's facts commit together with
the record that its events were processed; outside one (a request, the report loop) each read stands
on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.analytics.domain import facts as f

PREFIX = "analytics_"
ERASURES, SETTINGS = f"{PREFIX}erasures", f"{PREFIX}settings"


class MongoFacts:
    """The analytics facts in one database, read and written on one session (or none)."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        self._db, self._session = db, session
        self._pending: dict[str, list[dict[str, Any]]] = {}

    def _kind(self, kind: str):
        return self._db[PREFIX + kind]

    # -- writes (worker) -----------------------------------------------------------------------
    def add(self, kind: str, doc: Mapping[str, Any]) -> None:
        """Buffer a fact for `flush`, which writes the batch's facts in one bulk write per collection."""
        self._pending.setdefault(kind, []).append(dict(doc))

    def flush(self) -> None:
        """Write the buffered facts; versions of someone erased meanwhile are stored without contact data."""
        pending, self._pending = self._pending, {}
        if f.PEOPLE in pending:
            erased = self.erased_versions({d["person"] for d in pending[f.PEOPLE]})
            pending[f.PEOPLE] = f.without_erased_contacts(pending[f.PEOPLE], erased)
        for kind, docs in pending.items():
            self._write_once(kind, docs)

    def _write_once(self, kind: str, docs: list[dict[str, Any]]) -> None:
        """Record facts once each: a fact already recorded (a replay or redelivery) stays as it is.

        An upsert that only sets on insert, rather than an insert that tolerates duplicate keys: inside
        a transaction a duplicate-key error aborts the whole transaction.
        """
        ops = [UpdateOne({"_id": d["_id"]}, {"$setOnInsert": {k: v for k, v in d.items() if k != "_id"}},
                         upsert=True) for d in docs]
        if ops:
            self._kind(kind).bulk_write(ops, ordered=False, session=self._session)

    def erased_versions(self, people: Iterable[str]) -> dict[str, int]:
        """The erasure version of each of these people who was erased."""
        found = self._db[ERASURES].find({"_id": {"$in": sorted(people)}}, session=self._session)
        return {d["_id"]: d["version"] for d in found}

    def record_erasure(self, person: str, version: int) -> None:
        """Remember that `person` was erased at `version`; keeps the highest version seen."""
        self._db[ERASURES].update_one({"_id": person}, {"$max": {"version": version}}, upsert=True,
                                      session=self._session)

    def strip_contact(self, person: str, below_version: int) -> None:
        """Remove employee id, name and email from the person's profile facts older than the erasure."""
        unset = {name: "" for name in f.CONTACT_FIELDS}
        self._kind(f.PEOPLE).update_many({"person": person, "version": {"$lt": below_version}},
                                         {"$unset": unset}, session=self._session)

    # -- reads (report building) ---------------------------------------------------------------
    def programs(self, program_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        found = self._kind(f.PROGRAMS).find({"_id": {"$in": sorted(program_ids)}}, session=self._session)
        return {d["_id"]: d for d in found}

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The facts of one kind for some programs."""
        return list(self._kind(kind).find({"program_id": {"$in": sorted(program_ids)}}, session=self._session))

    def of_people(self, kind: str, people: Iterable[str]) -> list[dict[str, Any]]:
        """The person or goal facts of these people (people and goals belong to no program)."""
        return list(self._kind(kind).find({"person": {"$in": sorted(people)}}, _fields(kind), session=self._session))

    def people_in(self, departments: Iterable[str]) -> set[str]:
        """Everyone who was in one of these departments in any version of their profile."""
        found = self._kind(f.PEOPLE).find({"department": {"$in": sorted(departments)}}, {"person": 1},
                                          session=self._session)
        return {d["person"] for d in found}

    def programs_of(self, people: Iterable[str]) -> set[str]:
        """The programs these people ever enrolled in."""
        found = self._kind(f.ENROLLMENTS).find({"person": {"$in": sorted(people)}}, {"program_id": 1},
                                               session=self._session)
        return {d["program_id"] for d in found}

    def known_programs(self) -> set[str]:
        """Programs that have a `program.created` or any enrollment."""
        ids = {d["_id"] for d in self._kind(f.PROGRAMS).find({}, {"_id": 1}, session=self._session)}
        return ids | set(self._kind(f.ENROLLMENTS).distinct("program_id", session=self._session))


def _fields(kind: str) -> dict[str, int]:
    """What report building reads of person and goal facts (contact data only where shown)."""
    if kind == f.GOALS:
        return {k: 1 for k in ("goal", "person", "version", "status", "progress", "at")}
    return {k: 1 for k in ("person", "version", "at", "department", "grade", "mentor_capacity",
                           "employment_status", "employee_id", "name", "erased")}
