"""Mongo adapter: insert-only fact collections, the erasure register, the pseudonym key and built reports.

Every read is a plain `find`; no aggregation operators, so the same code runs on FerretDB and MongoDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.analytics.domain import facts as f
from services.analytics.domain.pseudonyms import new_key
from shared.mongo import IndexSpec, asc

PREFIX = "analytics_"
ERASURES, SETTINGS, REPORTS = f"{PREFIX}erasures", f"{PREFIX}settings", f"{PREFIX}reports"
PROGRAM_SCOPED = (f.ENROLLMENTS, f.MENTORSHIPS, f.SESSIONS, f.FEEDBACK)
DUPLICATE_KEY = 11000

INDEXES = [
    *(IndexSpec(PREFIX + kind, asc("program_id")) for kind in PROGRAM_SCOPED),
    IndexSpec(PREFIX + f.PEOPLE, asc("person")),
    IndexSpec(PREFIX + f.GOALS, asc("person")),
]


class FactRepository:
    """The analytics projections in one database."""

    def __init__(self, db: Database):
        self._db = db

    def collection(self, kind: str):
        return self._db[PREFIX + kind]

    # -- writes (worker) -----------------------------------------------------------------------
    def add(self, kind: str, doc: Mapping[str, Any]) -> bool:
        """Record a fact once; False if that fact was already recorded (a replay or redelivery)."""
        try:
            self.collection(kind).insert_one(dict(doc))
            return True
        except DuplicateKeyError:
            return False

    def add_many(self, kind: str, docs: list[Mapping[str, Any]]) -> int:
        """Record many facts at once; those already recorded are skipped. Returns how many are new."""
        try:
            return len(self.collection(kind).insert_many([dict(d) for d in docs], ordered=False).inserted_ids)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
            return len(docs) - len(errors)

    def erased_versions(self, people: Iterable[str]) -> dict[str, int]:
        """The erasure version of each of these people who was erased."""
        return {d["_id"]: d["version"] for d in self._db[ERASURES].find({"_id": {"$in": sorted(people)}})}

    def erased_version(self, person: str) -> int | None:
        doc = self._db[ERASURES].find_one({"_id": person})
        return doc["version"] if doc else None

    def record_erasure(self, person: str, version: int) -> None:
        """Remember that `person` was erased at `version`; keeps the highest version seen."""
        current = self.erased_version(person)
        if current is None:
            try:
                self._db[ERASURES].insert_one({"_id": person, "version": version})
                return
            except DuplicateKeyError:
                current = self.erased_version(person)
        if current is not None and current < version:
            self._db[ERASURES].update_one({"_id": person}, {"$set": {"version": version}})

    def strip_contact(self, person: str, below_version: int) -> None:
        """Remove employee id, name and email from the person's profile facts older than the erasure."""
        unset = {name: "" for name in f.CONTACT_FIELDS}
        self.collection(f.PEOPLE).update_many({"person": person, "version": {"$lt": below_version}},
                                              {"$unset": unset})

    def pseudonym_key(self) -> str:
        """The database's pseudonym key, created on first use (every replica reads the same one)."""
        doc = self._db[SETTINGS].find_one({"_id": "pseudonym_key"})
        if doc is None:
            try:
                self._db[SETTINGS].insert_one({"_id": "pseudonym_key", "key": new_key()})
            except DuplicateKeyError:
                pass  # another replica created it first: use theirs
            doc = self._db[SETTINGS].find_one({"_id": "pseudonym_key"})
        return doc["key"]

    # -- reads ---------------------------------------------------------------------------------
    def program_docs(self, program_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in self.collection(f.PROGRAMS).find({"_id": {"$in": list(program_ids)}})}

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The facts of one kind for some programs."""
        return list(self.collection(kind).find({"program_id": {"$in": list(program_ids)}}))

    def everyone(self, kind: str) -> list[dict[str, Any]]:
        """Every person or goal fact (people and goals belong to no program)."""
        return list(self.collection(kind).find({}, _fields(kind)))

    def known_programs(self) -> set[str]:
        """Programs that have a `program.created` or any enrollment."""
        ids = {d["_id"] for d in self.collection(f.PROGRAMS).find({}, {"_id": 1})}
        return ids | set(self.collection(f.ENROLLMENTS).distinct("program_id"))

    # -- reports -------------------------------------------------------------------------------
    def save_report(self, program_id: str, report: Mapping[str, Any], started: str) -> bool:
        """Store a built report unless one built from a later start is already there."""
        try:
            self._db[REPORTS].update_one({"_id": program_id, "started": {"$lt": started}},
                                         {"$set": {**report, "started": started}}, upsert=True)
            return True
        except DuplicateKeyError:
            return False

    def report(self, program_id: str) -> dict[str, Any] | None:
        return self._db[REPORTS].find_one({"_id": program_id})

    def reports(self, fields: Iterable[str]) -> list[dict[str, Any]]:
        return list(self._db[REPORTS].find({}, {name: 1 for name in fields}))


def _fields(kind: str) -> dict[str, int]:
    """What report building reads of person and goal facts (contact data only where shown)."""
    if kind == f.GOALS:
        return {k: 1 for k in ("goal", "person", "version", "status", "progress", "at")}
    return {k: 1 for k in ("person", "version", "at", "department", "grade", "mentor_capacity",
                           "employment_status", "employee_id", "name", "erased")}
