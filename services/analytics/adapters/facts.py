"""Mongo adapter of the fact store: the fact collections and the erasure register, on one session.

Inside the consumer's transaction (the unit of work's session) a batch's facts commit together with
the record that its events were processed; outside one (a request, the report loop) each read stands
on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.analytics.domain import facts as f

PREFIX = "analytics_"
ERASURES, SETTINGS = f"{PREFIX}erasures", f"{PREFIX}settings"
# $in lists are sent in chunks: SecantusDB matches $in in time quadratic in the list's length (2,000
# people in one query took 7-14 s, in chunks of 50 0.56 s); on MongoDB it costs a few round trips.
IN_CHUNK = 50


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

        The facts not stored yet are inserted; an insert that met a duplicate key would abort the whole
        transaction, and on SecantusDB this costs half of an upsert per fact. In the transaction, another
        batch inserting the same fact meanwhile is a write conflict, and the consumer runs the batch again.
        """
        new: dict[str, dict[str, Any]] = {}
        for doc in docs:
            new.setdefault(doc["_id"], doc)  # the first of a batch's copies of one fact
        for known in self._find_in(self._kind(kind), "_id", new, {"_id": 1}):
            del new[known["_id"]]
        if new:
            self._kind(kind).insert_many(list(new.values()), ordered=False, session=self._session)

    def erased_versions(self, people: Iterable[str]) -> dict[str, int]:
        """The erasure version of each of these people who was erased."""
        return {d["_id"]: d["version"] for d in self._find_in(self._db[ERASURES], "_id", people)}

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
        return {d["_id"]: d for d in self._find_in(self._kind(f.PROGRAMS), "_id", program_ids)}

    def scoped(self, kind: str, program_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The facts of one kind for some programs."""
        return list(self._find_in(self._kind(kind), "program_id", program_ids))

    def of_people(self, kind: str, people: Iterable[str]) -> list[dict[str, Any]]:
        """The person or goal facts of these people (people and goals belong to no program)."""
        return list(self._find_in(self._kind(kind), "person", people, _fields(kind)))

    def people_in(self, departments: Iterable[str]) -> set[str]:
        """Everyone who was in one of these departments in any version of their profile."""
        return {d["person"] for d in self._find_in(self._kind(f.PEOPLE), "department", departments, {"person": 1})}

    def programs_of(self, people: Iterable[str]) -> set[str]:
        """The programs these people ever enrolled in."""
        return {d["program_id"] for d in self._find_in(self._kind(f.ENROLLMENTS), "person", people, {"program_id": 1})}

    def _find_in(self, coll, name: str, values: Iterable[str], projection: dict | None = None) -> Iterator[dict]:
        """The documents whose `name` is one of `values`, asked for IN_CHUNK values at a time."""
        values = sorted(set(values))
        for start in range(0, len(values), IN_CHUNK):
            yield from coll.find({name: {"$in": values[start:start + IN_CHUNK]}}, projection, session=self._session)

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
