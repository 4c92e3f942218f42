"""Mongo adapter: the fact collections, the erasure register, the pseudonym key and built reports.

Bound to the unit of work's session: inside the consumer's transaction the facts of a batch commit
together with the record that its events were processed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.analytics.domain import facts as f
from services.analytics.domain.pseudonyms import new_key
from shared.mongo import IndexSpec, asc

PREFIX = "analytics_"
ERASURES, SETTINGS, REPORTS = f"{PREFIX}erasures", f"{PREFIX}settings", f"{PREFIX}reports"
PROGRAM_SCOPED = (f.ENROLLMENTS, f.MENTORSHIPS, f.SESSIONS, f.FEEDBACK)

INDEXES = [
    *(IndexSpec(PREFIX + kind, asc("program_id")) for kind in PROGRAM_SCOPED),
    IndexSpec(PREFIX + f.ENROLLMENTS, asc("person")),  # the programs a person takes part in
    IndexSpec(PREFIX + f.PEOPLE, asc("person", "version")),
    IndexSpec(PREFIX + f.PEOPLE, asc("department")),  # the comparison group of the outcomes
    IndexSpec(PREFIX + f.GOALS, asc("person")),
    IndexSpec(REPORTS, asc("outcomes.departments")),  # reports a colleague's change makes stale
    IndexSpec(REPORTS, asc("program.ends_on")),  # the programs that get gauges
]


class FactRepository:
    """The analytics projections in one database, read and written on one session (or none)."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        self._db, self._session = db, session
        self._pending: dict[str, list[dict[str, Any]]] = {}

    def collection(self, kind: str):
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
            self.add_many(kind, docs)

    def add_many(self, kind: str, docs: list[Mapping[str, Any]]) -> None:
        """Record facts once each: a fact already recorded (a replay or redelivery) stays as it is.

        An upsert that only sets on insert, rather than an insert that tolerates duplicate keys: inside
        a transaction a duplicate-key error aborts the whole transaction.
        """
        ops = [UpdateOne({"_id": d["_id"]}, {"$setOnInsert": {k: v for k, v in d.items() if k != "_id"}},
                         upsert=True) for d in docs]
        if ops:
            self.collection(kind).bulk_write(ops, ordered=False, session=self._session)

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
        self.collection(f.PEOPLE).update_many({"person": person, "version": {"$lt": below_version}},
                                              {"$unset": unset}, session=self._session)

    def pseudonym_key(self) -> str:
        """The database's pseudonym key, created on first use (every replica reads the same one)."""
        doc = self._db[SETTINGS].find_one({"_id": "pseudonym_key"}, session=self._session)
        if doc is None:
            try:
                self._db[SETTINGS].insert_one({"_id": "pseudonym_key", "key": new_key()}, session=self._session)
            except DuplicateKeyError:
                pass  # another replica created it first: use theirs
            doc = self._db[SETTINGS].find_one({"_id": "pseudonym_key"}, session=self._session)
        return doc["key"]

    # -- reads ---------------------------------------------------------------------------------
    def program_docs(self, program_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in self.collection(f.PROGRAMS).find({"_id": {"$in": list(program_ids)}},
                                                                       session=self._session)}

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The facts of one kind for some programs."""
        return list(self.collection(kind).find({"program_id": {"$in": list(program_ids)}}, session=self._session))

    def of_people(self, kind: str, people: Iterable[str]) -> list[dict[str, Any]]:
        """The person or goal facts of these people (people and goals belong to no program)."""
        found = self.collection(kind).find({"person": {"$in": sorted(people)}}, _fields(kind), session=self._session)
        return list(found)

    def people_in(self, departments: Iterable[str]) -> set[str]:
        """Everyone who was in one of these departments in any version of their profile."""
        found = self.collection(f.PEOPLE).find({"department": {"$in": sorted(departments)}}, {"person": 1},
                                               session=self._session)
        return {d["person"] for d in found}

    def programs_of(self, people: Iterable[str]) -> set[str]:
        """The programs these people ever enrolled in."""
        found = self.collection(f.ENROLLMENTS).find({"person": {"$in": sorted(people)}}, {"program_id": 1},
                                                    session=self._session)
        return {d["program_id"] for d in found}

    def known_programs(self) -> set[str]:
        """Programs that have a `program.created` or any enrollment."""
        ids = {d["_id"] for d in self.collection(f.PROGRAMS).find({}, {"_id": 1}, session=self._session)}
        return ids | set(self.collection(f.ENROLLMENTS).distinct("program_id", session=self._session))

    # -- reports -------------------------------------------------------------------------------
    def save_report(self, program_id: str, report: Mapping[str, Any], started: str) -> bool:
        """Store a built report unless one built from a later start is already there."""
        try:
            self._db[REPORTS].update_one({"_id": program_id, "started": {"$lt": started}},
                                         {"$set": {**report, "started": started}}, upsert=True,
                                         session=self._session)
            return True
        except DuplicateKeyError:
            return False

    def report(self, program_id: str) -> dict[str, Any] | None:
        return self._db[REPORTS].find_one({"_id": program_id}, session=self._session)

    def reports_showing(self, departments: Iterable[str]) -> set[str]:
        """Programs whose outcomes compare their participants with one of these departments."""
        found = self._db[REPORTS].find({"outcomes.departments": {"$in": sorted(departments)}}, {"_id": 1},
                                       session=self._session)
        return {d["_id"] for d in found}

    def reports_ending_since(self, day: str, fields: Iterable[str]) -> list[dict[str, Any]]:
        """Reports of programs that end on `day` or later, or whose dates are not known yet."""
        projection = {name: 1 for name in fields}  # two indexed queries: not every store unites an $or's indexes
        return [doc for ends in ({"$gte": day}, None)
                for doc in self._db[REPORTS].find({"program.ends_on": ends}, projection, session=self._session)]


def _fields(kind: str) -> dict[str, int]:
    """What report building reads of person and goal facts (contact data only where shown)."""
    if kind == f.GOALS:
        return {k: 1 for k in ("goal", "person", "version", "status", "progress", "at")}
    return {k: 1 for k in ("person", "version", "at", "department", "grade", "mentor_capacity",
                           "employment_status", "employee_id", "name", "erased")}
